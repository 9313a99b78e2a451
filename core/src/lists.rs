//! The name lists as a candidate producer: every place where a listed name (or a misspelling of one)
//! starts, on its own.
//!
//! Why apart from the rules: a list match needs no context, so it can be found at every token without
//! knowing what the rules or the tagger read around it; deciding between a list match and a rule's or the
//! tagger's reading of the same words is the merge's job ([`crate::merge`]).

use crate::annotation::EntityType;
use crate::candidate::{Candidate, Proposal, Reading, Trust};
use crate::gazetteer::{self, cat, Words};
use crate::token::{Token, TokenKind};

/// Every list reading in `tokens`: listed names, fuzzy (skeleton) matches of listed names, and places
/// after a place head.
pub(crate) fn proposals(tokens: &[Token], words: &Words) -> Vec<Proposal> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !matches!(t.kind, TokenKind::Word | TokenKind::Latin) {
            continue;
        }
        let (b0, _) = words.get(i);
        let plain = words.is_plain(i);
        let span = |e: usize, ty, conf| Candidate {
            start: t.stem_start,
            end: tokens[e - 1].end,
            ty,
            confidence: conf,
            trust: Trust::Rule,
        };
        // A one-word reading that only a generated list or a fuzzy match supports.
        let weak = |e: usize, ty, conf, bits: u64| Candidate {
            trust: if e == i + 1 && bits & cat::HAND == 0 {
                Trust::Weak
            } else {
                Trust::Rule
            },
            ..span(e, ty, conf)
        };
        let mut push = |reading| out.push(Proposal { at: i, reading });
        // A plain word begins no entry, so only a fuzzy match can start at it.
        if !plain {
            if let Some((e, b)) =
                gazetteer::longest_match(tokens, i, cat::ORG | cat::LOC | cat::PER | cat::MISC)
            {
                let ty = if b & cat::ORG != 0 {
                    EntityType::Org
                } else if b & cat::PER != 0 {
                    EntityType::Per
                } else if b & cat::LOC != 0 {
                    EntityType::Loc
                } else {
                    EntityType::Misc
                };
                // A single word that is also a trigger, a head noun or a stop word is not a name by itself.
                let single_generic = e == i + 1 && b & (cat::STOP | cat::TITLE | cat::ORGHEAD) != 0;
                if !single_generic {
                    push(Reading::List(weak(e, ty, 0.9, b)));
                }
            }
        }
        // Skeletons of short unknown words match too much: an unknown word is looked up fuzzily only from
        // four letters on (eight bytes), unless it begins an entry.
        let short_unknown = plain && b0 == 0 && t.key.len() < 8;
        if b0 & (cat::STOP | cat::TITLE | cat::NAT | cat::WORD) == 0 && !short_unknown {
            if let Some((e, b)) =
                gazetteer::longest_skeleton_match(tokens, i, cat::ORG | cat::LOC | cat::PER)
            {
                push(Reading::Skeleton(weak(e, type_of(b), 0.7, b & !cat::HAND)));
            }
        }
        // A place head (جمهورية) extends a place name.
        if b0 & cat::LOCHEAD != 0 {
            if let Some((e, _)) = gazetteer::longest_match(tokens, i + 1, cat::LOC) {
                if !tokens[i + 1].has_proclitic() {
                    push(Reading::PlaceHead(span(e, EntityType::Loc, 0.85)));
                }
            }
        }
    }
    out
}

fn type_of(b: u64) -> EntityType {
    if b & cat::ORG != 0 {
        EntityType::Org
    } else if b & cat::PER != 0 {
        EntityType::Per
    } else {
        EntityType::Loc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn lists_propose_alone_at_every_token() {
        // Nothing here depends on what the rules read: the place after the title is proposed as it is
        // after any word, and the misspelt كاراباخ by its skeleton.
        let text = "وصل الرئيس إلى أذربيجان ثم إلى ناغوررني كاراباخ";
        let tokens = tokenize(text);
        let words = Words::new(&tokens);
        let found: Vec<(usize, &str)> = proposals(&tokens, &words)
            .iter()
            .map(|p| match &p.reading {
                Reading::List(c) => (
                    p.at,
                    crate::offsets::slice_chars(text, c.start, c.end).unwrap(),
                ),
                Reading::Skeleton(c) => (
                    p.at,
                    crate::offsets::slice_chars(text, c.start, c.end).unwrap(),
                ),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(found.contains(&(3, "أذربيجان")), "{found:?}");
        assert!(found.contains(&(6, "ناغوررني كاراباخ")), "{found:?}");
    }
}
