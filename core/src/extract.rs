//! The extraction pipeline: text → tokens → each candidate producer alone (the name lists, the hand rules,
//! the learned tagger) → one merge → clusters → [`Annotation`]s.
//!
//! This is the one function the CLI and the widget call. Each producer reads the tokens without knowing
//! the others ([`crate::lists`], [`crate::rules`], [`crate::tagger`]); every decision about overlaps lives
//! in [`crate::merge`]; ids and canonical forms come from [`crate::cluster`]. So a producer can be left out
//! ([`extract_with`] with no tagger) or replaced (another tagger, for scoring) without touching the rest.

use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::candidate::Candidate;
use crate::cluster::cluster;
use crate::gazetteer::Words;
use crate::lists;
use crate::merge::merge;
use crate::offsets::OffsetMap;
use crate::rules;
use crate::token::Token;
use crate::tokenize::tokenize;

/// A learned tagger's view: the tokens in, non-overlapping `(start, end, type, confidence)` spans (code
/// points) out. Only PER, LOC, ORG and MISC spans are used.
pub type TaggerFn<'a> = &'a dyn Fn(&[Token]) -> Vec<(usize, usize, EntityType, f32)>;

/// Entities of `text`: the rules and gazetteers merged with the shipped learned tagger, which finds the
/// names no list knows. Before the tagger's data is installed (a build without the `embedded-model`
/// feature, see [`crate::data`]), the rules and gazetteers alone.
pub fn extract(text: &str) -> Vec<Annotation> {
    match crate::tagger::installed() {
        Some(model) => extract_with(text, Some(&|tokens: &[Token]| model.spans_in(text, tokens))),
        None => extract_with(text, None),
    }
}

/// Entities of `text` from the rules and gazetteers alone (for comparison in the tests).
#[cfg(test)]
fn extract_rules(text: &str) -> Vec<Annotation> {
    extract_with(text, None)
}

/// Entities of `text`, merging the lists' and rules' candidates with a tagger's (PER LOC ORG MISC), or
/// with none. The merge rules are listed in the `merge` module and in the README.
pub fn extract_with(text: &str, tagger: Option<TaggerFn<'_>>) -> Vec<Annotation> {
    let tokens = tokenize(text);
    let words = Words::new(&tokens);
    let mut proposals = lists::proposals(&tokens, &words);
    proposals.extend(rules::proposals(&tokens, &words));
    let spans = tagger.map(|tag| tag(&tokens));
    let chosen = merge(&tokens, &words, proposals, spans, text.chars().count());
    annotate(text, chosen)
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
