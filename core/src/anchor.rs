//! Re-anchoring: finding where an imported span belongs in the current article text.
//!
//! Why it exists: exports outlive the text they were made on. An article gets a correction, a sentence
//! inserted, harakat added, a hamza seat changed, its digits rewritten in Arabic-Indic; the offsets in an old
//! export then point at the wrong letters. Every format that carries the span's text (its *quote*) lets us
//! find the span again, so an import places each span by the first of these that works:
//!
//! 1. **Position**: the quote is exactly what the text holds at the given offsets (or there is no quote and
//!    the offsets are in range).
//! 2. **Exact**: the quote occurs elsewhere in the text. Among several occurrences the one whose surroundings
//!    agree best with the recorded `prefix`/`suffix` wins; ties go to the one nearest the old offset.
//! 3. **Fuzzy**: the quote occurs in the text once both are reduced to matching keys
//!    ([`crate::normalize`]: harakat, tatweel, hamza and alef forms, ى/ي, ة/ه, digit scripts folded). The
//!    match is mapped back to original code points through [`crate::normalize::Normalized::to_orig`], and
//!    marks (harakat, tatweel) right after its last letter are kept inside the span. Same tie-breaking.
//! 4. Otherwise the span is an **orphan**, with the reason.

use crate::normalize::{self, Normalized};
use crate::offsets::OffsetMap;

/// What is known about an imported span: where it was and what it said.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quote<'a> {
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub exact: Option<&'a str>,
    pub prefix: Option<&'a str>,
    pub suffix: Option<&'a str>,
}

/// How a span was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Position,
    Exact,
    Fuzzy,
}

/// The outcome for one span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Found { start: usize, end: usize, method: Method },
    Orphan(String),
}

/// Re-anchors spans against one text; build it once per import (the normalised text is computed only when
/// a fuzzy search is needed).
pub struct Anchorer<'a> {
    text: &'a str,
    chars: Vec<char>,
    map: OffsetMap,
    norm: Option<NormText>,
}

struct NormText {
    norm: Normalized,
    chars: Vec<char>,
    map: OffsetMap,
}

impl<'a> Anchorer<'a> {
    pub fn new(text: &'a str) -> Self {
        Anchorer { text, chars: text.chars().collect(), map: OffsetMap::new(text), norm: None }
    }

    /// Length of the text in code points.
    pub fn len_chars(&self) -> usize {
        self.chars.len()
    }

    /// Places one span; see the module doc for the order of attempts.
    pub fn anchor(&mut self, q: &Quote) -> Anchor {
        let len = self.chars.len();
        let old = match (q.start, q.end) {
            (Some(s), Some(e)) if s < e && e <= len => Some((s, e)),
            _ => None,
        };
        let exact = match q.exact.filter(|x| !x.is_empty()) {
            None => {
                return match old {
                    Some((start, end)) => Anchor::Found { start, end, method: Method::Position },
                    None => Anchor::Orphan("offsets outside the text and no quote to find the span by".into()),
                };
            }
            Some(x) => x,
        };
        if let Some((s, e)) = old {
            if self.chars[s..e].iter().copied().eq(exact.chars()) {
                return Anchor::Found { start: s, end: e, method: Method::Position };
            }
        }
        let near = q.start;
        let prefix: Vec<char> = q.prefix.unwrap_or("").chars().collect();
        let suffix: Vec<char> = q.suffix.unwrap_or("").chars().collect();
        let qlen = exact.chars().count();
        // Exact occurrences elsewhere.
        let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
        for b in find_all(self.text, exact) {
            let s = self.map.byte_to_cp(b).expect("match starts on a char boundary");
            let score = context_score(&self.chars, s, s + qlen, &prefix, &suffix);
            consider(&mut best, score, near, s, s);
        }
        if let Some((_, _, s)) = best {
            return Anchor::Found { start: s, end: s + qlen, method: Method::Exact };
        }
        // Fuzzy: on matching keys.
        let nq = normalize::normalize(exact).text;
        if nq.is_empty() {
            return Anchor::Orphan(format!("quote {exact:?} not found in the text"));
        }
        let nt = self.norm.get_or_insert_with(|| {
            let norm = normalize::normalize(self.text);
            let chars = norm.text.chars().collect();
            let map = OffsetMap::new(&norm.text);
            NormText { norm, chars, map }
        });
        let nprefix: Vec<char> = normalize::normalize(q.prefix.unwrap_or("")).text.chars().collect();
        let nsuffix: Vec<char> = normalize::normalize(q.suffix.unwrap_or("")).text.chars().collect();
        let nqlen = nq.chars().count();
        let mut best: Option<(usize, usize, usize)> = None;
        for b in find_all(&nt.norm.text, &nq) {
            let ns = nt.map.byte_to_cp(b).expect("match starts on a char boundary");
            let score = context_score(&nt.chars, ns, ns + nqlen, &nprefix, &nsuffix);
            consider(&mut best, score, near, ns, nt.norm.to_orig[ns]);
        }
        let Some((_, _, ns)) = best else {
            return Anchor::Orphan(format!(
                "quote {exact:?} not found in the text, not even ignoring harakat, tatweel, hamza forms and digit scripts"
            ));
        };
        // Map the end back: the original code point after the last matched key char, plus trailing marks.
        let start = nt.norm.to_orig[ns];
        let last = nt.norm.to_orig[ns + nqlen - 1];
        let mut end = last + 1;
        while end < len && matches!(normalize::fold_char(self.chars[end]), normalize::Fold::Drop) && !self.chars[end].is_whitespace() {
            end += 1;
        }
        Anchor::Found { start, end, method: Method::Fuzzy }
    }
}

/// Keeps the best candidate `key` (placed at original code point `s`): higher context score, then smaller
/// distance to `near`, then earlier.
fn consider(best: &mut Option<(usize, usize, usize)>, score: usize, near: Option<usize>, key: usize, s: usize) {
    let dist = near.map_or(0, |n| n.abs_diff(s));
    let better = match *best {
        None => true,
        Some((bs, bd, _)) => score > bs || (score == bs && dist < bd),
    };
    if better {
        *best = Some((score, dist, key));
    }
}

/// How many chars of `prefix` (from its end) agree with the text before `s`, plus how many of `suffix`
/// (from its start) agree with the text after `e`.
fn context_score(chars: &[char], s: usize, e: usize, prefix: &[char], suffix: &[char]) -> usize {
    let before = chars[..s].iter().rev().zip(prefix.iter().rev()).take_while(|(a, b)| a == b).count();
    let after = chars[e.min(chars.len())..].iter().zip(suffix.iter()).take_while(|(a, b)| a == b).count();
    before + after
}

/// Byte offsets of every (possibly overlapping) occurrence of `needle` in `hay`.
fn find_all<'h>(hay: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let mut from = 0;
    std::iter::from_fn(move || {
        if from > hay.len() {
            return None;
        }
        let i = hay[from..].find(needle)? + from;
        // Step one char past the match start so overlapping matches are seen too.
        from = i + hay[i..].chars().next().map_or(1, char::len_utf8);
        Some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str, start: usize, end: usize, exact: &str, prefix: &str, suffix: &str) -> Anchor {
        Anchorer::new(text).anchor(&Quote {
            start: Some(start),
            end: Some(end),
            exact: Some(exact),
            prefix: Some(prefix),
            suffix: Some(suffix),
        })
    }

    #[test]
    fn position_wins_when_the_quote_is_there() {
        let t = "زار بوتين يريفان";
        assert_eq!(place(t, 4, 9, "بوتين", "", ""), Anchor::Found { start: 4, end: 9, method: Method::Position });
    }

    #[test]
    fn context_picks_the_right_occurrence() {
        let t = "قال بوتين اليوم. ثم قال الرئيس بوتين غدا.";
        let second = t.chars().collect::<Vec<_>>().len() - "بوتين غدا.".chars().count();
        // Offsets are stale (0..5) but the prefix says "الرئيس ".
        let a = place(t, 0, 5, "بوتين", "الرئيس ", " غدا");
        assert_eq!(a, Anchor::Found { start: second, end: second + 5, method: Method::Exact });
    }

    #[test]
    fn ties_go_to_the_nearest_occurrence() {
        let t = "مصر مصر مصر مصر";
        assert_eq!(place(t, 9, 12, "مصر", "", "").clone(), Anchor::Found { start: 8, end: 11, method: Method::Exact });
    }

    #[test]
    fn fuzzy_keeps_trailing_marks_and_maps_back() {
        let t = "وصل مُحَمَّدٌ إلى القاهرة";
        match place(t, 4, 8, "محمد", "", "") {
            Anchor::Found { start, end, method } => {
                assert_eq!(method, Method::Fuzzy);
                assert_eq!(crate::offsets::slice_chars(t, start, end), Some("مُحَمَّدٌ"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_quote_is_an_orphan() {
        assert!(matches!(place("نص آخر تماما", 0, 3, "بوتين", "", ""), Anchor::Orphan(_)));
    }
}
