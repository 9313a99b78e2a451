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
    fn rejects_invalid_ranges() {
        assert_eq!(snap("abc", 2, 1, true), None);
        assert_eq!(snap("abc", 0, 9, true), None);
    }
}
