//! Re-anchoring: finding where an imported span belongs in the current article text.
//!
//! Why it exists: exports outlive the text they were made on. An article gets a correction, a sentence
//! inserted, harakat added, a hamza seat changed, its digits rewritten in Arabic-Indic; the offsets in an old
//! export then point at the wrong letters. Every format that carries the span's text (its *quote*) lets us
//! find the span again, so an import places each span by the first of these that works:
//!
//! 1. **Position**: the quote is exactly what the text holds at the given offsets (or there is no quote and
//!    the offsets are in range).
//! 2. **Search**: otherwise every occurrence of the quote in the text is a candidate, compared on matching
//!    keys ([`crate::normalize`]: harakat, tatweel, hamza and alef forms, ى/ي, ة/ه, digit scripts folded), so
//!    both literal (**Exact**) and folded (**Fuzzy**) occurrences count. The candidate whose surroundings
//!    agree best with the recorded `prefix`/`suffix` (also compared as keys) wins; ties go to the one nearest
//!    the old offset, then to a literal match. A literal match keeps the quote's extent; a folded one is
//!    mapped back to original code points through [`crate::normalize::Normalized::to_orig`], and the marks
//!    (harakat, tatweel) right after its last letter are kept inside the span, so a span never ends inside a
//!    letter's marks.
//! 3. Otherwise the span is an **orphan**, with the reason.

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
    Found {
        start: usize,
        end: usize,
        method: Method,
    },
    Orphan(OrphanReason),
}

/// Why a span could not be placed: shown to the user beside the orphan, so it says what was tried.
/// Typed, so an interface can say it in its own language; `Display` is the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrphanReason {
    #[error("offsets outside the text and no quote to find the span by")]
    NoQuote,
    #[error("quote {0:?} not found in the text, not even ignoring harakat, tatweel, hamza forms and digit scripts")]
    NotFound(String),
    /// Placed, but across a paragraph break, which a mark cannot cross.
    #[error("the span crosses a paragraph break")]
    CrossesParagraph,
    /// A label with white space round it (` PER`), which would not match the label it means.
    #[error("the label {0:?} has spaces around it")]
    LabelSpaces(String),
    /// A label that is not a valid label name.
    #[error(transparent)]
    BadLabel(#[from] crate::session::LabelError),
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
        Anchorer {
            text,
            chars: text.chars().collect(),
            map: OffsetMap::new(text),
            norm: None,
        }
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
                    Some((start, end)) => Anchor::Found {
                        start,
                        end,
                        method: Method::Position,
                    },
                    None => Anchor::Orphan(OrphanReason::NoQuote),
                };
            }
            Some(x) => x,
        };
        if let Some((s, e)) = old {
            if self.chars[s..e].iter().copied().eq(exact.chars()) {
                return Anchor::Found {
                    start: s,
                    end: e,
                    method: Method::Position,
                };
            }
        }
        let near = q.start;
        let qlen = exact.chars().count();
        let nq = normalize::normalize(exact).text;
        if !nq.is_empty() {
            if let Some(found) = self.search_keys(exact, qlen, &nq, q) {
                return found;
            }
        }
        // A quote of marks only (empty key) or one starting with a dropped char: plain search.
        let prefix: Vec<char> = q.prefix.unwrap_or("").chars().collect();
        let suffix: Vec<char> = q.suffix.unwrap_or("").chars().collect();
        let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
        for b in find_all(self.text, exact) {
            let s = self
                .map
                .byte_to_cp(b)
                .expect("match starts on a char boundary");
            let score = context_score(&self.chars, s, s + qlen, &prefix, &suffix);
            consider(&mut best, score, near, s);
        }
        match best {
            Some((_, _, s)) => Anchor::Found {
                start: s,
                end: s + qlen,
                method: Method::Exact,
            },
            None => Anchor::Orphan(OrphanReason::NotFound(exact.to_string())),
        }
    }

    /// Every occurrence of the quote's key in the text's key is a candidate; the best agreement of the
    /// (normalised) prefix and suffix wins, then the nearest to the old start, then a literal match over a
    /// folded one. A literal match keeps the quote's exact extent; a folded one is mapped back through
    /// `to_orig` and takes in the marks that follow its last letter.
    fn search_keys(&mut self, exact: &str, qlen: usize, nq: &str, q: &Quote) -> Option<Anchor> {
        let len = self.chars.len();
        let text = self.text;
        let nt = self.norm.get_or_insert_with(|| {
            let norm = normalize::normalize(text);
            let chars = norm.text.chars().collect();
            let map = OffsetMap::new(&norm.text);
            NormText { norm, chars, map }
        });
        let nprefix: Vec<char> = normalize::normalize(q.prefix.unwrap_or(""))
            .text
            .chars()
            .collect();
        let nsuffix: Vec<char> = normalize::normalize(q.suffix.unwrap_or(""))
            .text
            .chars()
            .collect();
        let nqlen = nq.chars().count();
        let chars = &self.chars;
        // The best candidate whose key match lies inside `lo..hi` (code points of the key text), as
        // (score, distance, folded, start, end).
        let scan = |lo: usize, hi: usize| -> Option<(usize, usize, bool, usize, usize)> {
            let (bl, bh) = (nt.map.cp_to_byte(lo)?, nt.map.cp_to_byte(hi)?);
            let mut best: Option<(usize, usize, bool, usize, usize)> = None;
            for b in find_all(&nt.norm.text[bl..bh], nq) {
                let ns = nt
                    .map
                    .byte_to_cp(bl + b)
                    .expect("match starts on a char boundary");
                let start = nt.norm.to_orig[ns];
                let literal = start + qlen <= len
                    && chars[start..start + qlen].iter().copied().eq(exact.chars());
                let end = if literal {
                    start + qlen
                } else {
                    let mut end = nt.norm.to_orig[ns + nqlen - 1] + 1;
                    while end < len
                        && matches!(normalize::fold_char(chars[end]), normalize::Fold::Drop)
                        && !chars[end].is_whitespace()
                    {
                        end += 1;
                    }
                    end
                };
                let score = context_score(&nt.chars, ns, ns + nqlen, &nprefix, &nsuffix);
                let dist = q.start.map_or(0, |n| n.abs_diff(start));
                let better = match best {
                    None => true,
                    Some((bs, bd, bf, _, _)) => {
                        (std::cmp::Reverse(score), dist, !literal) < (std::cmp::Reverse(bs), bd, bf)
                    }
                };
                if better {
                    best = Some((score, dist, !literal, start, end));
                }
            }
            best
        };
        let nlen = nt.chars.len();
        // Large texts: look near the old position first. A candidate there with the full context score that
        // is nearer than half the window is the global best (key text may be up to twice as long as the
        // original, through lam-alef ligatures, so anything outside the window is farther than that).
        let mut best = None;
        if let Some(old) = q.start {
            let h = nt.norm.to_orig.partition_point(|&o| o < old);
            for w in WINDOWS.into_iter().filter(|&w| nlen > 2 * w) {
                let local = scan(h.saturating_sub(w), (h + w + nqlen).min(nlen));
                if local.is_some_and(|(score, dist, ..)| {
                    score == nprefix.len() + nsuffix.len() && dist < w / 2
                }) {
                    best = local;
                    break;
                }
            }
        }
        if best.is_none() {
            best = scan(0, nlen);
        }
        best.map(|(_, _, folded, start, end)| Anchor::Found {
            start,
            end,
            method: if folded { Method::Fuzzy } else { Method::Exact },
        })
    }
}

/// Key-text code points searched on each side of the old position, in turn, before the whole text.
const WINDOWS: [usize; 2] = [256, 4096];

/// Keeps the best candidate start `s`: higher context score, then smaller distance to `near`, then earlier.
fn consider(best: &mut Option<(usize, usize, usize)>, score: usize, near: Option<usize>, s: usize) {
    let dist = near.map_or(0, |n| n.abs_diff(s));
    let better = match *best {
        None => true,
        Some((bs, bd, _)) => score > bs || (score == bs && dist < bd),
    };
    if better {
        *best = Some((score, dist, s));
    }
}

/// How many chars of `prefix` (from its end) agree with the text before `s`, plus how many of `suffix`
/// (from its start) agree with the text after `e`.
fn context_score(chars: &[char], s: usize, e: usize, prefix: &[char], suffix: &[char]) -> usize {
    let before = chars[..s]
        .iter()
        .rev()
        .zip(prefix.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let after = chars[e.min(chars.len())..]
        .iter()
        .zip(suffix.iter())
        .take_while(|(a, b)| a == b)
        .count();
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

    fn place(
        text: &str,
        start: usize,
        end: usize,
        exact: &str,
        prefix: &str,
        suffix: &str,
    ) -> Anchor {
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
        assert_eq!(
            place(t, 4, 9, "بوتين", "", ""),
            Anchor::Found {
                start: 4,
                end: 9,
                method: Method::Position
            }
        );
    }

    #[test]
    fn context_picks_the_right_occurrence() {
        let t = "قال بوتين اليوم. ثم قال الرئيس بوتين غدا.";
        let second = t.chars().collect::<Vec<_>>().len() - "بوتين غدا.".chars().count();
        // Offsets are stale (0..5) but the prefix says "الرئيس ".
        let a = place(t, 0, 5, "بوتين", "الرئيس ", " غدا");
        assert_eq!(
            a,
            Anchor::Found {
                start: second,
                end: second + 5,
                method: Method::Exact
            }
        );
    }

    #[test]
    fn ties_go_to_the_nearest_occurrence() {
        let t = "مصر مصر مصر مصر";
        assert_eq!(
            place(t, 9, 12, "مصر", "", "").clone(),
            Anchor::Found {
                start: 8,
                end: 11,
                method: Method::Exact
            }
        );
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
    fn a_folded_match_in_place_beats_a_literal_one_far_away() {
        // The annotated mention got harakat; the same name appears literally later on.
        let t = "وصل بُوتِين أمس. وقال بوتين";
        assert_eq!(
            place(t, 4, 9, "بوتين", "وصل ", " أمس"),
            Anchor::Found {
                start: 4,
                end: 11,
                method: Method::Fuzzy
            }
        );
        // Without context, nearness decides too.
        assert_eq!(
            place(t, 4, 9, "بوتين", "", ""),
            Anchor::Found {
                start: 4,
                end: 11,
                method: Method::Fuzzy
            }
        );
        // And the literal one wins when the context points there.
        let second = t.chars().count() - 5;
        assert_eq!(
            place(t, 4, 9, "بوتين", "وقال ", ""),
            Anchor::Found {
                start: second,
                end: second + 5,
                method: Method::Exact
            }
        );
    }

    #[test]
    fn missing_quote_is_an_orphan() {
        assert!(matches!(
            place("نص آخر تماما", 0, 3, "بوتين", "", ""),
            Anchor::Orphan(_)
        ));
    }
}
