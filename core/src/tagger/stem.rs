//! The tagger's clitic stripper over normalised keys, with "is this initial ب/ل/ك part of the word" left
//! to the caller (the lexicon knows; its builder decides before the lexicon exists).

use std::ops::Range;

/// Proclitic letters, in the normalised key (so ا/أ are already folded).
pub const PROCLITIC_CONJ: [char; 2] = ['و', 'ف'];
pub const PROCLITIC_PREP: [char; 3] = ['ب', 'ل', 'ك'];
/// Suffixes stripped for the stem, in key spelling (ة is folded to ه). Longest first.
pub const SUFFIXES: [&str; 8] = ["يه", "ها", "هم", "ون", "ين", "ات", "ان", "ي"];

/// The clitic-stripped stem of a key (see `features::stem_range`) with `whole(stem)` saying whether a stem that begins with ب/ل/ك is a word in its own
/// right (the lexicon's builder decides that from word frequencies before the lexicon exists).
pub fn stem_range_with(key: &str, whole: impl Fn(&str) -> bool) -> (Range<usize>, u8, u8) {
    let chars: Vec<(usize, char)> = key.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    let mut code = 0u8;
    let min_len = 2;
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let byte = |i: usize| chars.get(i).map_or(key.len(), |c| c.0);
    // The stem that starting at char `i` would give: is it whole?
    let whole_from = |i: usize| {
        let start = byte(i);
        whole(&key[start..suffix_end(key, start).0])
    };
    if n > i + min_len + 1 && at(i).is_some_and(|c| PROCLITIC_CONJ.contains(&c)) {
        i += 1;
        code |= 1;
    }
    if n > i + min_len + 1 && at(i).is_some_and(|c| PROCLITIC_PREP.contains(&c)) {
        // لل: preposition ل before an article whose alef is dropped, unless ل + a whole word (للبنان).
        if at(i) == Some('ل') && at(i + 1) == Some('ل') && n > i + 2 + min_len {
            if whole_from(i + 1) {
                i += 1;
                code |= 2;
            } else {
                i += 2;
                code |= 2 | 4;
            }
        } else if at(i + 1) == Some('ا') && at(i + 2) == Some('ل') && n > i + 3 + min_len {
            i += 3;
            code |= 2 | 4;
        } else if !whole_from(i) {
            i += 1;
            code |= 2;
        }
    }
    if code & 4 == 0 && at(i) == Some('ا') && at(i + 1) == Some('ل') && n > i + 2 + min_len {
        i += 2;
        code |= 4;
    }
    let start = byte(i);
    let (end, suf) = suffix_end(key, start);
    (start..end, code, suf)
}

/// Where the stem that starts at byte `start` ends once a suffix is stripped, and the suffix code.
fn suffix_end(key: &str, start: usize) -> (usize, u8) {
    for (k, s) in SUFFIXES.iter().enumerate() {
        if key[start..].ends_with(s) && key[start..key.len() - s.len()].chars().count() >= 3 {
            return (key.len() - s.len(), k as u8 + 1);
        }
    }
    (key.len(), 0)
}
