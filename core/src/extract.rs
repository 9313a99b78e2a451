//! The extraction pipeline: text → tokens → candidates (rules, gazetteer, optional tagger) → spans →
//! clusters → [`Annotation`]s.
//!
//! This is the one function the CLI and the widget call. It owns the merge policy, so every candidate
//! producer (the hand rules here, a learned tagger plugged in through [`extract_with`]) only proposes
//! spans and never has to know about overlaps, ids or clustering.

use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::cluster::cluster;
use crate::gazetteer::{self, cat};
use crate::offsets::OffsetMap;
use crate::rules::{self, Candidate, Trust};
use crate::tokenize::{tokenize, Token, TokenKind};
use std::collections::HashMap;

/// A learned tagger's view: the tokens in, non-overlapping `(start, end, type, confidence)` spans (code points) out.
pub type TaggerFn<'a> = &'a dyn Fn(&[Token]) -> Vec<(usize, usize, EntityType, f32)>;

/// Entities of `text`: the rules and gazetteers merged with the embedded learned tagger, which finds the
/// names no list knows.
pub fn extract(text: &str) -> Vec<Annotation> {
    let model = crate::tagger::embedded();
    extract_with(text, Some(&|tokens: &[Token]| model.spans_in(text, tokens)))
}

/// Entities of `text` from the rules and gazetteers alone (for comparison in the tests).
#[cfg(test)]
fn extract_rules(text: &str) -> Vec<Annotation> {
    extract_with(text, None)
}

/// Entities of `text`, merging the rules' candidates with a tagger's (PER LOC ORG MISC).
///
/// Merge policy: rule candidates are taken first, longest and surest first, without overlaps; a tagger
/// span is then added where it overlaps nothing chosen, or replaces the rule spans it covers when it is
/// surer than each of them. Before that, rule candidates meet the tagger according to their [`Trust`].
pub fn extract_with(text: &str, tagger: Option<TaggerFn<'_>>) -> Vec<Annotation> {
    let tokens = tokenize(text);
    let mut cands = candidates(&tokens);
    if let Some(tag) = tagger {
        let n = text.chars().count();
        let mut spans = tag(&tokens);
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
                    && gazetteer::lookup(&t.key) & cat::STOP != 0
            })
        };
        for (s, e, ty, c) in spans {
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
    let chosen = select(cands);
    annotate(text, chosen)
}

/// All rule and gazetteer candidates, scanning the tokens left to right.
pub fn candidates(tokens: &[Token]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let n = tokens.len();
    let mut lex = Lex::default();
    let mut i = 0;
    // Set after a title (and its nationality adjectives or organisation): a name may follow.
    let mut expect_name = false;
    while i < n {
        let t = &tokens[i];
        match t.kind {
            TokenKind::Number => {
                if let Some(c) = rules::date_at(tokens, i).or_else(|| rules::number_at(tokens, i)) {
                    i = end_token(tokens, i, c.end);
                    out.push(c);
                } else {
                    i += 1;
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
        // Best named span at i: list matches, fuzzy list matches, organisation patterns, dates, numbers.
        let mut best: Option<Candidate> = None;
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
        let (b0, starts_entry) = lex.get(&t.key);
        let context = |e: usize, conf| Candidate {
            trust: if b0 & (cat::GIVEN | cat::PER | cat::SURNAME) == 0 {
                Trust::Guess
            } else {
                Trust::Context
            },
            ..span(e, EntityType::Per, conf)
        };
        // Fast path: a word that is unknown or only a common word, and begins no multi-word entry, can
        // only start a misspelt name or, after a title, an unknown person's name.
        if b0 & !(cat::STOP | cat::WORD) == 0 && !starts_entry {
            if b0 == 0 && t.key.len() >= 8 {
                if let Some((e, b)) =
                    gazetteer::longest_skeleton_match(tokens, i, cat::ORG | cat::LOC | cat::PER)
                {
                    consider(&mut best, weak(e, type_of(b), 0.7, b & !cat::HAND));
                }
            }
            if expect_name && b0 == 0 {
                if let Some(e) = rules::person_name(tokens, i, true) {
                    consider(&mut best, context(e, 0.85));
                }
            }
            match best {
                Some(c) => {
                    i = end_token(tokens, i, c.end);
                    out.push(c);
                }
                None => i += 1,
            }
            expect_name = false;
            continue;
        }
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
                consider(&mut best, weak(e, ty, 0.9, b));
            }
        }
        if b0 & (cat::STOP | cat::TITLE | cat::NAT | cat::WORD) == 0 {
            if let Some((e, b)) =
                gazetteer::longest_skeleton_match(tokens, i, cat::ORG | cat::LOC | cat::PER)
            {
                consider(&mut best, weak(e, type_of(b), 0.7, b & !cat::HAND));
            }
        }
        // A place head (جمهورية) extends a place name.
        if b0 & cat::LOCHEAD != 0 {
            if let Some((e, _)) = gazetteer::longest_match(tokens, i + 1, cat::LOC) {
                if !tokens[i + 1].has_proclitic() {
                    consider(&mut best, span(e, EntityType::Loc, 0.85));
                }
            }
        }
        if let Some(e) = rules::org_pattern(tokens, i) {
            consider(&mut best, span(e, EntityType::Org, 0.8));
        }
        if let Some(c) = rules::date_at(tokens, i) {
            consider(&mut best, c);
        }
        // A title outranks a shorter entity reading of the same words (وزير الخارجية).
        let title_end = rules::title_at(tokens, i);
        if let Some(te) = title_end {
            if best
                .as_ref()
                .is_none_or(|b| tokens[te - 1].end > b.end || b.ty == EntityType::Date)
            {
                i = rules::skip_nationalities(tokens, te);
                expect_name = true;
                continue;
            }
        }
        // A person's name: after a trigger, or a listed/given-name pair anywhere.
        if let Some(e) = rules::person_name(tokens, i, expect_name) {
            let conf = if expect_name { 0.85 } else { 0.75 };
            consider(&mut best, context(e, conf));
        }
        if let Some(c) = rules::number_at(tokens, i) {
            consider(&mut best, c);
        }
        match best {
            Some(c) => {
                let keep_expect = expect_name && matches!(c.ty, EntityType::Org | EntityType::Loc);
                i = end_token(tokens, i, c.end);
                out.push(c);
                expect_name = keep_expect;
                if keep_expect {
                    i = rules::skip_nationalities(tokens, i);
                }
            }
            None => {
                expect_name = false;
                i += 1;
            }
        }
    }
    out
}

/// Per-extraction memo of each distinct key's list bits and whether it begins a multi-word entry.
#[derive(Default)]
struct Lex<'t> {
    memo: HashMap<&'t str, (u64, bool)>,
}

impl<'t> Lex<'t> {
    fn get(&mut self, key: &'t str) -> (u64, bool) {
        *self
            .memo
            .entry(key)
            .or_insert_with(|| (gazetteer::lookup(key), gazetteer::is_known_prefix(key)))
    }
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

/// Keeps `c` if it is longer than (or as long as and surer than) the best so far.
fn consider(best: &mut Option<Candidate>, c: Candidate) {
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

/// Chooses non-overlapping candidates: surest first, then longest, then leftmost; sorted by start.
fn select(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        b.confidence
            .partial_cmp(&a.confidence)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    // Chosen spans by start; they never overlap, so only the neighbours of a new span can collide.
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
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

fn annotate(text: &str, chosen: Vec<Candidate>) -> Vec<Annotation> {
    let map = OffsetMap::new(text);
    let texts: Vec<&str> = chosen
        .iter()
        .map(|c| {
            map.byte_range(c.start, c.end)
                .map(|r| &text[r])
                .unwrap_or("")
        })
        .collect();
    let mentions: Vec<(EntityType, &str)> =
        chosen.iter().zip(&texts).map(|(c, t)| (c.ty, *t)).collect();
    let ids = cluster(&mentions);
    chosen
        .into_iter()
        .zip(texts)
        .zip(ids)
        .enumerate()
        .map(|(n, ((c, t), (entity, canonical)))| Annotation {
            id: format!("x{}", n + 1),
            start: c.start,
            end: c.end,
            label: c.ty.as_str().to_string(),
            text: t.to_string(),
            entity,
            canonical,
            source: Source::Extractor,
            status: Status::Suggested,
            note: None,
            confidence: Some(c.confidence),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(String, String)> {
        extract(text)
            .into_iter()
            .map(|a| (a.label, a.text))
            .collect()
    }

    fn has(v: &[(String, String)], ty: &str, t: &str) -> bool {
        v.iter().any(|(a, b)| a == ty && b == t)
    }

    #[test]
    fn common_words_that_are_also_cities_are_left_to_the_tagger() {
        // طراز (Taraz), ينبع (Yanbu) and رانس (Reims) are in the generated city list; here they are "model",
        // "stems" and the end of فرانس. Rules alone mark them; with the tagger they go.
        for (text, word) in [
            ("أطلقت طائرة حربية اسرائيلية من طراز اف16 صاروخين", "طراز"),
            ("قال إن موقف الرئيس ينبع من خيار شخصي", "ينبع"),
            ("وقال لوكالة فرانس برس إن الوضع هادئ", "رانس"),
        ] {
            let rules_only: Vec<String> = extract_rules(text).into_iter().map(|a| a.text).collect();
            assert!(
                rules_only.iter().any(|t| t == word),
                "{word}: {rules_only:?}"
            );
            let v = spans(text);
            assert!(!v.iter().any(|(_, t)| t == word), "{word}: {v:?}");
        }
    }

    #[test]
    fn the_tagger_sets_where_a_name_after_a_title_ends() {
        // After a title the rules read unknown words as the name and run on into the next word.
        let text = "وأخيرا حقق الفنان سامح حسين حلمه في الوقوف امام الكاميرا";
        let rules_only: Vec<String> = extract_rules(text).into_iter().map(|a| a.text).collect();
        assert!(
            rules_only.contains(&"سامح حسين حلمه".to_string()),
            "{rules_only:?}"
        );
        let v = spans(text);
        assert!(has(&v, "PER", "سامح حسين"), "{v:?}");
    }

    #[test]
    fn unlisted_words_after_an_ambiguous_title_are_the_taggers_call() {
        // الفريق is a rank ("lieutenant general") and "the team".
        let text = "وقال الفريق مواصلة حملة الدفاع عن اللقب ضرورية";
        let rules_only: Vec<(String, String)> = extract_rules(text)
            .into_iter()
            .map(|a| (a.label, a.text))
            .collect();
        assert!(has(&rules_only, "PER", "مواصلة حملة"), "{rules_only:?}");
        let v = spans(text);
        assert!(!v.iter().any(|(l, _)| l == "PER"), "{v:?}");
    }

    #[test]
    fn an_indefinite_nationality_describes_rather_than_names() {
        let org = |text: &str| -> Vec<String> {
            extract_rules(text)
                .into_iter()
                .filter(|a| a.label == "ORG")
                .map(|a| a.text)
                .collect()
        };
        assert_eq!(
            org("وصوت البرلمان التركي على القرار"),
            vec!["البرلمان التركي"]
        );
        assert!(org("وهناك نحو 150 شركة صينية محلية تطرح إنتاجها").is_empty());
    }

    #[test]
    fn a_place_inside_a_longer_name_the_tagger_finds_gives_way() {
        // مدريد and كييف are listed places; the clubs named after them are one longer ORG.
        for (text, club, city) in [
            ("فاز ريال مدريد على ضيفه بثلاثة أهداف", "ريال مدريد", "مدريد"),
            ("تعادل دينامو كييف مع منافسه أمس", "دينامو كييف", "كييف"),
        ] {
            let rules_only: Vec<String> = extract_rules(text).into_iter().map(|a| a.text).collect();
            assert!(rules_only.iter().any(|t| t == city), "{rules_only:?}");
            let v = spans(text);
            assert!(has(&v, "ORG", club), "{v:?}");
            assert!(!v.iter().any(|(_, t)| t == city), "{v:?}");
        }
    }

    #[test]
    fn title_and_nationality_stay_outside_person() {
        let v = spans("استطاع أمس الرئيس الروسي فلاديمير بوتين، جمع وزيري خارجية باكو ويريفان");
        assert!(has(&v, "PER", "فلاديمير بوتين"), "{v:?}");
        assert!(has(&v, "LOC", "باكو") && has(&v, "LOC", "يريفان"), "{v:?}");
        assert!(!v.iter().any(|(_, t)| t.contains("الروسي")), "{v:?}");
    }

    #[test]
    fn org_then_person() {
        let v = spans("أعلنت الناطقة باسم وزارة الخارجية الروسية ماريا زاخاروفا أمس");
        assert_eq!(
            v,
            vec![
                ("ORG".into(), "وزارة الخارجية الروسية".into()),
                ("PER".into(), "ماريا زاخاروفا".into())
            ]
        );
    }

    #[test]
    fn ministry_split_at_fi() {
        let v = spans("وأعلنت وزارة الدفاع في كاراباخ سقوط 26 قتيلا");
        assert_eq!(
            v,
            vec![
                ("ORG".into(), "وزارة الدفاع".into()),
                ("LOC".into(), "كاراباخ".into()),
                ("NUM".into(), "26".into())
            ]
        );
    }

    #[test]
    fn generic_references_are_not_entities() {
        assert!(
            spans("قال إن المشرعين في البرلمان قد ينظرون في الإقليم مع القوات الروسية").is_empty()
        );
    }

    #[test]
    fn a_stop_word_alone_is_never_the_taggers_name() {
        // هاتفيا ("by phone") is on the stop list; a tagger that reads it as a person is overruled, while
        // its span over a real name stays.
        let text = "اتصل زيد هاتفيا بعمرو";
        let tagger = |toks: &[Token]| {
            ["هاتفيا", "زيد"]
                .iter()
                .map(|w| {
                    let t = toks.iter().find(|t| t.text == *w).unwrap();
                    (t.stem_start, t.end, EntityType::Per, 0.9)
                })
                .collect::<Vec<_>>()
        };
        let v: Vec<String> = extract_with(text, Some(&tagger))
            .into_iter()
            .map(|a| a.text)
            .collect();
        assert_eq!(v, vec!["زيد".to_string()]);
    }

    #[test]
    fn tagger_fills_gaps_only() {
        let text = "قال زيد عمرو في موسكو";
        let tagger = |toks: &[Token]| {
            let z = toks.iter().find(|t| t.text == "زيد").unwrap();
            let m = toks.iter().find(|t| t.text == "موسكو").unwrap();
            vec![
                (z.start, z.end + 5, EntityType::Per, 0.9),
                (m.start, m.end, EntityType::Org, 0.5),
            ]
        };
        let v: Vec<(String, String)> = extract_with(text, Some(&tagger))
            .into_iter()
            .map(|a| (a.label, a.text))
            .collect();
        assert_eq!(
            v,
            vec![
                ("PER".into(), "زيد عمرو".into()),
                ("LOC".into(), "موسكو".into())
            ]
        );
    }
}
