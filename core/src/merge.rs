//! The one merge: the producers' readings and the tagger's spans → non-overlapping candidates.
//!
//! Why one place: every rule about which reading wins where readings overlap lives here, so the producers
//! ([`crate::lists`], [`crate::rules`], the tagger) stay simple and can be changed, tested or left out
//! one by one. The rules, in the order they apply:
//! 1. **Reading the text left to right**, the list and rule readings at a token compete: the longest wins,
//!    then the surest, then the earliest in [`Reading`]'s order; the scan continues after the winner. A
//!    title wins over a shorter entity reading of the same words (وزير الخارجية) and makes the next words a
//!    possible person's name (the [`Reading::Person`] read as after a title); that expectation survives an
//!    organisation or a place (الرئيس الروسي فلاديمير بوتين, رئيس وزراء أرمينيا نيكول باشينيان) and ends at
//!    anything else. At a number, a date reading wins over a plain number.
//! 2. **Meeting the tagger** ([`Trust`]): one-word matches only a generated list supports and names after a
//!    title whose first word no list knows are left to the tagger; where the tagger finds a person
//!    overlapping a name read from context, the tagger's boundaries win; a rule span strictly inside a
//!    longer, confident tagger span gives way to it (dates and numbers excepted). A one-word tagger span on
//!    a stop-list word is dropped. (The README lists the same rules with the examples that led to them.)
//! 3. **Choosing** among what is left: surest first, then longest, then leftmost, never overlapping.

use crate::annotation::EntityType;
use crate::candidate::{Candidate, Proposal, Reading, Trust};
use crate::gazetteer::{cat, Words};
use crate::rules::skip_nationalities;
use crate::token::{Token, TokenKind};
use std::collections::BTreeMap;

/// A tagger's span: `(start, end, type, confidence)` in code points.
pub(crate) type TaggerSpan = (usize, usize, EntityType, f32);

/// Non-overlapping candidates sorted by start, from the producers' `proposals` (any order) and, when the
/// tagger ran, its spans; `n` is the text's length in code points.
pub(crate) fn merge(
    tokens: &[Token],
    words: &Words,
    mut proposals: Vec<Proposal>,
    tagger: Option<Vec<TaggerSpan>>,
    n: usize,
) -> Vec<Candidate> {
    proposals.sort_by_key(|p| (p.at, p.reading.rank()));
    let mut cands = scan(tokens, words, &proposals);
    if let Some(spans) = tagger {
        meet_tagger(&mut cands, spans, tokens, words, n);
    }
    select(cands)
}

/// Rule 1: one candidate per place where the left-to-right reading stops.
fn scan(tokens: &[Token], words: &Words, proposals: &[Proposal]) -> Vec<Candidate> {
    let at = |i: usize| {
        let first = proposals.partition_point(|p| p.at < i);
        proposals[first..].iter().take_while(move |p| p.at == i)
    };
    let mut out = Vec::new();
    let mut i = 0;
    // Set after a title (and its nationality adjectives or organisation): a name may follow.
    let mut expect_name = false;
    while i < tokens.len() {
        let t = &tokens[i];
        match t.kind {
            TokenKind::Number => {
                let date = at(i).find_map(|p| match &p.reading {
                    Reading::Date(c) => Some(c),
                    _ => None,
                });
                let number = || {
                    at(i).find_map(|p| match &p.reading {
                        Reading::Number(c) => Some(c),
                        _ => None,
                    })
                };
                match date.or_else(number) {
                    Some(c) => {
                        i = end_token(tokens, i, c.end);
                        out.push(c.clone());
                    }
                    None => i += 1,
                }
                expect_name = false;
                continue;
            }
            TokenKind::Word | TokenKind::Latin => {}
            TokenKind::Punct if t.text == "-" => {
                i += 1;
                continue;
            }
            _ => {
                expect_name = false;
                i += 1;
                continue;
            }
        }
        let mut best: Option<&Candidate> = None;
        let mut title_resume = None;
        for p in at(i) {
            match &p.reading {
                Reading::Title { end, resume } => {
                    if best.is_none_or(|b| *end > b.end || b.ty == EntityType::Date) {
                        title_resume = Some(*resume);
                        break;
                    }
                }
                Reading::Person { cand, after_title } => {
                    if *after_title == expect_name {
                        consider(&mut best, cand);
                    }
                }
                Reading::List(c)
                | Reading::Skeleton(c)
                | Reading::PlaceHead(c)
                | Reading::OrgPattern(c)
                | Reading::Date(c)
                | Reading::Number(c) => consider(&mut best, c),
            }
        }
        if let Some(resume) = title_resume {
            i = resume;
            expect_name = true;
            continue;
        }
        // A word no list knows as a name ends the expectation whatever it starts.
        let keep_expect = expect_name
            && !words.is_plain(i)
            && best.is_some_and(|c| matches!(c.ty, EntityType::Org | EntityType::Loc));
        match best {
            Some(c) => {
                i = end_token(tokens, i, c.end);
                out.push(c.clone());
                if keep_expect {
                    i = skip_nationalities(tokens, i);
                }
            }
            None => i += 1,
        }
        expect_name = keep_expect;
    }
    out
}

/// Keeps `c` if it is longer than (or as long as and surer than) the best so far.
fn consider<'c>(best: &mut Option<&'c Candidate>, c: &'c Candidate) {
    let better = match best {
        None => true,
        Some(b) => c.end > b.end || (c.end == b.end && c.confidence > b.confidence),
    };
    if better {
        *best = Some(c);
    }
}

/// Index of the first token at or after `from` that starts at or after code point `end`.
fn end_token(tokens: &[Token], from: usize, end: usize) -> usize {
    let mut j = from + 1;
    while j < tokens.len() && tokens[j].start < end {
        j += 1;
    }
    j
}

/// Rule 2: the candidates meet the tagger's spans, which join them as candidates.
fn meet_tagger(
    cands: &mut Vec<Candidate>,
    mut spans: Vec<TaggerSpan>,
    tokens: &[Token],
    words: &Words,
    n: usize,
) {
    spans.sort_by_key(|s| (s.0, s.1));
    // The tagger's spans overlapping `c` (they do not overlap each other, so a binary search on their
    // ends finds the first and the rest follow in order).
    let overlapping = |c: &Candidate| {
        let (start, end) = (c.start, c.end);
        let first = spans.partition_point(|s| s.1 <= start);
        spans[first..].iter().take_while(move |s| s.0 < end)
    };
    // Longest name wins (guideline 5): a rule span strictly inside a confident tagger span
    // (مدريد in ريال مدريد, كييف in دينامو كييف) gives way to it.
    let inside_longer = |c: &Candidate| {
        overlapping(c).any(|&(s, e, _, conf)| {
            conf >= 0.6 && s <= c.start && c.end <= e && e - s > c.end - c.start
        })
    };
    cands.retain(|c| match c.trust {
        Trust::Rule => matches!(c.ty, EntityType::Date | EntityType::Num) || !inside_longer(c),
        Trust::Weak | Trust::Guess => false,
        Trust::Context => !overlapping(c).any(|&(_, _, ty, _)| ty == c.ty),
    });
    // The stop list holds words that are never a name by themselves (هاتفيا "by phone", حاليا, الحكومة):
    // the tagger may still read one as a name where no rule would, so a one-word span on it is dropped.
    let stop_word = |s: usize, e: usize| {
        let k = tokens.partition_point(|t| t.end <= s);
        tokens.get(k).is_some_and(|t| {
            t.stem_start <= s
                && t.end == e
                && matches!(t.kind, TokenKind::Word)
                && words.get(k).0 & cat::STOP != 0
        })
    };
    for &(s, e, ty, c) in &spans {
        if s < e
            && !stop_word(s, e)
            && e <= n
            && matches!(
                ty,
                EntityType::Per | EntityType::Loc | EntityType::Org | EntityType::Misc
            )
        {
            cands.push(Candidate {
                start: s,
                end: e,
                ty,
                confidence: c.clamp(0.0, 1.0) * 0.9,
                trust: Trust::Rule,
            });
        }
    }
}

/// Rule 3: chooses non-overlapping candidates: surest first, then longest, then leftmost; sorted by start.
fn select(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        b.confidence
            .partial_cmp(&a.confidence)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    // Chosen spans by start; they never overlap, so only the neighbours of a new span can collide.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in cands {
        if c.start >= c.end {
            continue;
        }
        let before_ok = taken
            .range(..=c.start)
            .next_back()
            .is_none_or(|(_, &e)| e <= c.start);
        let after_ok = taken
            .range(c.start..)
            .next()
            .is_none_or(|(&s, _)| s >= c.end);
        if before_ok && after_ok {
            taken.insert(c.start, c.end);
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| (c.start, c.end));
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{lists, rules, tokenize::tokenize};

    fn merged(text: &str) -> Vec<(EntityType, String)> {
        let tokens = tokenize(text);
        let words = Words::new(&tokens);
        let mut props = lists::proposals(&tokens, &words);
        props.extend(rules::proposals(&tokens, &words));
        merge(&tokens, &words, props, None, text.chars().count())
            .into_iter()
            .map(|c| {
                (
                    c.ty,
                    crate::offsets::slice_chars(text, c.start, c.end)
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_title_makes_the_next_unknown_words_a_name_and_nothing_else_does() {
        // زيكو فرانشيسكو is in no list: a name only right after a title (and its nationality).
        assert_eq!(
            merged("قال الرئيس البرازيلي زيكو فرانشيسكو"),
            vec![(EntityType::Per, "زيكو فرانشيسكو".to_string())]
        );
        assert_eq!(merged("قال زيكو فرانشيسكو"), vec![]);
    }

    #[test]
    fn the_longest_reading_wins_and_the_scan_resumes_after_it() {
        // وزارة الخارجية الروسية (an organisation pattern) over الخارجية alone; the name after it is still
        // read as following the title (الناطقة باسم).
        assert_eq!(
            merged("أعلنت الناطقة باسم وزارة الخارجية الروسية ماريا زاخاروفا"),
            vec![
                (EntityType::Org, "وزارة الخارجية الروسية".to_string()),
                (EntityType::Per, "ماريا زاخاروفا".to_string())
            ]
        );
    }
}
