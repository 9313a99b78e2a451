//! Find in the article: every place a query occurs, as code-point spans of the original text.
//!
//! A reader types a word as they would write it, not as the article happens to spell it, so matching uses
//! the same keys as the gazetteers ([`crate::normalize`]): hamza seats, alef maqsura, taa marbuta, harakat,
//! tatweel, digit scripts and ASCII case are folded on both sides. A match ends after the last matched
//! letter's own marks (a shadda on it stays inside the span).

use crate::normalize::{is_arabic_mark, normalize};

/// Every non-overlapping occurrence of `query` in `text`, in order, as `(start, end)` code points (end
/// exclusive). An empty query (or one that folds to nothing) finds nothing.
pub fn find_all(text: &str, query: &str) -> Vec<(usize, usize)> {
    let q = normalize(query.trim()).text;
    if q.is_empty() {
        return Vec::new();
    }
    let hay = normalize(text);
    let chars: Vec<char> = text.chars().collect();
    let key: Vec<char> = hay.text.chars().collect();
    let needle: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= key.len() {
        if key[i..i + needle.len()] == needle[..] {
            let start = hay.to_orig[i];
            let mut end = hay.to_orig[i + needle.len() - 1] + 1;
            while end < chars.len() && is_arabic_mark(chars[end]) {
                end += 1;
            }
            // A two-char fold (a lam-alef ligature) maps both key chars to one code point: never split it.
            if out.last().is_none_or(|&(_, e)| start >= e) {
                out.push((start, end));
            }
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_chars;

    fn found(text: &str, q: &str) -> Vec<String> {
        find_all(text, q)
            .into_iter()
            .map(|(s, e)| slice_chars(text, s, e).unwrap().to_string())
            .collect()
    }

    #[test]
    fn finds_every_spelling_of_a_word() {
        let t = "زار أذربيجان، ثم اذربيجان، ثم مُحمّد وبالمكتبة 27 و٢٧";
        assert_eq!(found(t, "أذربيجان"), ["أذربيجان", "اذربيجان"]);
        assert_eq!(found(t, "محمد"), ["مُحمّد"], "harakat inside and after the last letter stay in the span");
        assert_eq!(found(t, "المكتبه"), ["المكتبة"], "taa marbuta");
        assert_eq!(found(t, "27"), ["27", "٢٧"], "digit scripts");
    }

    #[test]
    fn offsets_are_code_points_and_empty_queries_find_nothing() {
        let t = "😀 باريس Paris";
        assert_eq!(find_all(t, "باريس"), vec![(2, 7)]);
        assert_eq!(found(t, "paris"), ["Paris"], "ASCII case folded");
        assert!(find_all(t, "  ").is_empty());
        assert!(find_all(t, "\u{064E}").is_empty(), "a lone haraka folds to nothing");
    }
}
