//! Turning a raw text selection into the span a reader meant.
//!
//! Mouse and touch selections land anywhere: inside a letter's diacritics, on surrounding spaces and
//! punctuation, or including a proclitic (بموسكو when the name is موسكو). The guidelines keep proclitics
//! outside spans, so by default the selection snaps outward to whole grapheme clusters (a diacritic never
//! leaves its letter), trims spaces and punctuation at the edges, and drops a leading proclitic where the
//! tokenizer splits one off. The raw selection stays available: callers pass `drop_clitic = false`.

use crate::offsets::OffsetMap;
use crate::tokenize::tokenize;
use unicode_segmentation::UnicodeSegmentation;

/// The snapped `start..end` (code points) for a selection `start..end` of `text`, or `None` when nothing
/// but spaces and punctuation is selected or the range is invalid.
pub fn snap(text: &str, start: usize, end: usize, drop_clitic: bool) -> Option<(usize, usize)> {
    let map = OffsetMap::new(text);
    if start >= end || end > map.len_chars() {
        return None;
    }
    let (mut s, mut e) = grapheme_bounds(text, &map, start, end)?;
    // Trim spaces and punctuation, grapheme by grapheme: a cluster holding any is dropped whole, so an edge
    // never falls inside one (U+0603 and the comma after it are one cluster; so are a space and its mark).
    let piece = &text[map.byte_range(s, e)?];
    let clusters: Vec<&str> = piece.graphemes(true).collect();
    let junk = |g: &str| g.chars().any(is_edge_junk);
    let (mut i, mut j) = (0, clusters.len());
    while i < j && junk(clusters[i]) {
        s += clusters[i].chars().count();
        i += 1;
    }
    while j > i && junk(clusters[j - 1]) {
        e -= clusters[j - 1].chars().count();
        j -= 1;
    }
    if s >= e {
        return None;
    }
    if drop_clitic {
        let piece = &text[map.byte_range(s, e)?];
        if let Some(first) = tokenize(piece).first() {
            if first.start == 0 && first.stem_start > 0 && first.stem_start < first.end {
                s += first.stem_start;
            }
        }
    }
    Some((s, e))
}

/// The word with its article written out, when a span starts on the article's ل after the preposition ل:
/// in للأرمن (ل + الأرمن) the article's alef is not written, so the span the guidelines give (rule 2: the
/// proclitic outside, the article inside) is لأرمن, which reads like ل + أرمن. An interface shows this
/// reading (الأرمن) beside such a span, so an annotator sees it is the article's ل, not a proclitic left
/// behind. `None` for every other span.
pub fn article_reading(text: &str, start: usize, end: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if start == 0 || start >= end || end > chars.len() {
        return None;
    }
    let span = &chars[start..end];
    // The span starts ل + a letter, right after a ل that opens its word (alone, or after و / ف).
    if span.len() < 3 || span[0] != 'ل' || !span[1].is_alphabetic() || chars[start - 1] != 'ل' {
        return None;
    }
    let word_start = |i: usize| i == 0 || !chars[i - 1].is_alphabetic();
    let opens_word = word_start(start - 1)
        || (start >= 2 && matches!(chars[start - 2], 'و' | 'ف') && word_start(start - 2));
    if !opens_word {
        return None;
    }
    // Only where the tokenizer reads the word as ل + ال (its stem key gets the article back).
    let word_from = (0..start).rev().find(|&i| word_start(i))?;
    let word: String = chars[word_from..end].iter().collect();
    let token = tokenize(&word).into_iter().next()?;
    (token.start == 0 && word_from + token.stem_start == start && token.key.starts_with("ال"))
        .then(|| format!("ا{}", span.iter().collect::<String>()))
}

/// Widens `start..end` to the grapheme clusters it touches.
fn grapheme_bounds(
    text: &str,
    map: &OffsetMap,
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let (bs, be) = (map.cp_to_byte(start)?, map.cp_to_byte(end)?);
    let mut s = bs;
    let mut e = be;
    for (b, g) in text.grapheme_indices(true) {
        let ge = b + g.len();
        if b <= bs && bs < ge {
            s = b;
        }
        if b < be && be < ge {
            e = ge;
        }
    }
    Some((map.byte_to_cp(s)?, map.byte_to_cp(e)?))
}

fn is_edge_junk(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '«'
                | '»'
                | '"'
                | '\''
                | '“'
                | '”'
                | '('
                | ')'
                | '['
                | ']'
                | '.'
                | ','
                | ':'
                | ';'
                | '!'
                | '?'
                | '-'
                | 'ـ'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_chars;

    fn pos(text: &str, needle: &str) -> (usize, usize) {
        let b = text.find(needle).unwrap();
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    }

    #[test]
    fn drops_a_proclitic_by_default_and_keeps_it_raw() {
        let t = "اجتمعوا بموسكو أمس";
        let (s, e) = pos(t, "بموسكو");
        let (a, b) = snap(t, s, e, true).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("موسكو"));
        let (a, b) = snap(t, s, e, false).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("بموسكو"));
    }

    #[test]
    fn never_splits_a_letter_from_its_diacritics() {
        let t = "قال مُحمّد";
        // Select "محم" ending between the second م and its shadda.
        let (s, _) = pos(t, "مُحمّد");
        let (a, b) = snap(t, s, s + 4, false).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("مُحمّ"));
    }

    #[test]
    fn trims_spaces_and_punctuation_and_keeps_emoji_whole() {
        let t = "«باريس»، 😀 ok";
        let (a, b) = snap(t, 0, 8, true).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("باريس"));
        assert_eq!(snap(t, 7, 9, true), None, "only punctuation and space");
        let e = t.chars().position(|c| c == '😀').unwrap();
        assert_eq!(
            snap(t, e, e + 1, true).map(|(a, b)| slice_chars(t, a, b).unwrap().to_string()),
            Some("😀".into())
        );
    }

    #[test]
    fn keeps_words_that_merely_start_like_a_clitic() {
        let t = "زار بكين";
        let (s, e) = pos(t, "بكين");
        let (a, b) = snap(t, s, e, true).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("بكين"), "Beijing is not ب + كين");
    }

    #[test]
    fn lam_then_article_keeps_the_articles_lam_and_says_so() {
        // للأرمن = ل + الأرمن: the guidelines' span (rule 2) keeps the article's ل; its reading is الأرمن.
        let t = "التطهير العرقي للأرمن في الإقليم";
        let (s, e) = pos(t, "للأرمن");
        let (a, b) = snap(t, s, e, true).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("لأرمن"));
        assert_eq!(article_reading(t, a, b).as_deref(), Some("الأرمن"));
        assert_eq!(snap(t, s, e, false).map(|(a, b)| slice_chars(t, a, b).unwrap().to_string()), Some("للأرمن".into()));
        // Also after و: وللأمم المتحدة.
        let t = "شكوى وللأمم المتحدة";
        let (s, e) = pos(t, "وللأمم المتحدة");
        let (a, b) = snap(t, s, e, true).unwrap();
        assert_eq!(slice_chars(t, a, b), Some("لأمم المتحدة"));
        assert_eq!(article_reading(t, a, b).as_deref(), Some("الأمم المتحدة"));
    }

    #[test]
    fn no_article_reading_for_other_spans() {
        let t = "زار لبنان وللبنان تاريخ";
        let (s, e) = pos(t, "لبنان");
        assert_eq!(article_reading(t, s, e), None, "a word that starts with ل");
        let (s, e) = pos(t, "للبنان");
        assert_eq!(article_reading(t, s, e), None, "the whole word, proclitic included");
        let t = "الأرمن";
        assert_eq!(article_reading(t, 1, 6), None, "ل of an article written in full");
    }

    #[test]
    fn rejects_invalid_ranges() {
        assert_eq!(snap("abc", 2, 1, true), None);
        assert_eq!(snap("abc", 0, 9, true), None);
    }
}
