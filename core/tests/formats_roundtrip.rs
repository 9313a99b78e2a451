//! Export-then-import round trips for every format, as properties over mixed Arabic/Latin/emoji texts.

use proptest::prelude::*;
use sahifa_core::formats::{export, import, Format};
use sahifa_core::slice_chars;
use sahifa_core::{sentences, tokenize};
use sahifa_core::{Annotation, Source, Status};

const PIECES: &[&str] = &[
    "مُحَمَّد",
    "بوتين",
    "ويريفان",
    "لأذربيجان",
    "الكرملين",
    "مـــصر",
    "😀",
    "Paris",
    "2020",
    "٢٧",
    "سبتمبر",
    "«الأمم»",
    "المتحدة",
    "Emmanuel",
    "؟",
    "x,y",
    "\"quoted\"",
    "ذاتياً",
    "👍🏽",
    "باشينيان",
    "١٢٣٫٥",
];
const SEPS: &[&str] = &[" ", " ", " ", "\n", "، ", ". ", "\n\n", "\t", " - "];
const LABELS: &[&str] = &[
    "PER",
    "LOC",
    "ORG",
    "MISC",
    "DATE",
    "NUM",
    "مهم",
    "Custom_label",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), 0..SEPS.len()), 1..25).prop_map(|v| {
        let mut s = String::new();
        for (i, (p, sep)) in v.iter().enumerate() {
            if i > 0 {
                s.push_str(SEPS[*sep]);
            }
            s.push_str(PIECES[*p]);
        }
        s
    })
}

fn note_strategy(one_line: bool) -> impl Strategy<Value = Option<String>> {
    let pool: &'static [&'static str] = if one_line {
        &["ملاحظة", "check, later", "\"quoted\" note", "😀 ok"]
    } else {
        &[
            "ملاحظة",
            "check, later",
            "\"quoted\" note",
            "two\nlines",
            "tab\there",
            "😀 ok",
        ]
    };
    prop::option::of(prop::sample::select(pool).prop_map(str::to_string))
}

fn ann(
    text: &str,
    i: usize,
    start: usize,
    end: usize,
    label: &str,
    note: Option<String>,
) -> Annotation {
    Annotation {
        id: format!("a{i}"),
        start,
        end,
        label: label.to_string(),
        text: slice_chars(text, start, end).unwrap().to_string(),
        entity: String::new(),
        canonical: String::new(),
        source: Source::User,
        status: Status::Accepted,
        note,
        confidence: None,
    }
}

/// Arbitrary spans (any code-point range) with labels and notes.
fn doc_strategy(
    one_line_notes: bool,
    avoid_break_edges: bool,
) -> impl Strategy<Value = (String, Vec<Annotation>)> {
    text_strategy().prop_flat_map(move |text| {
        let n = text.chars().count();
        let spans = prop::collection::vec(
            (
                0..n,
                1..=12usize,
                prop::sample::select(LABELS),
                note_strategy(one_line_notes),
            ),
            0..6,
        );
        (Just(text), spans).prop_map(move |(text, spans)| {
            let chars: Vec<char> = text.chars().collect();
            let mut out = Vec::new();
            for (i, (s, len, label, note)) in spans.into_iter().enumerate() {
                let e = (s + len).min(chars.len());
                if s >= e {
                    continue;
                }
                if avoid_break_edges && (chars[s] == '\n' || chars[e - 1] == '\n') {
                    continue;
                }
                out.push(ann(&text, i, s, e, label, note));
            }
            (text, out)
        })
    })
}

type Key = (usize, usize, String, Option<String>);

fn keys(v: &[Annotation], with_note: bool) -> Vec<Key> {
    let mut k: Vec<Key> = v
        .iter()
        .map(|a| {
            (
                a.start,
                a.end,
                a.label.clone(),
                if with_note { a.note.clone() } else { None },
            )
        })
        .collect();
    k.sort();
    k
}

fn round_trip(format: Format, text: &str, anns: &[Annotation], with_note: bool) -> Vec<Annotation> {
    let data = export(format, text, "doc-1", anns);
    let r = import(format, text, &data)
        .unwrap_or_else(|e| panic!("{format} import failed: {e}\n{data}"));
    assert!(r.orphans.is_empty(), "{format}: orphans {:?}", r.orphans);
    assert_eq!(
        keys(&r.annotations, with_note),
        keys(anns, with_note),
        "{format}:\n{data}"
    );
    for a in &r.annotations {
        assert_eq!(
            slice_chars(text, a.start, a.end),
            Some(a.text.as_str()),
            "{format}: text agrees with offsets"
        );
    }
    r.annotations
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn w3c_round_trips((text, anns) in doc_strategy(false, false)) {
        let back = round_trip(Format::W3c, &text, &anns, true);
        // W3C carries the ids too.
        let mut ids: Vec<_> = back.iter().map(|a| a.id.clone()).collect();
        let mut want: Vec<_> = anns.iter().map(|a| a.id.clone()).collect();
        ids.sort();
        want.sort();
        prop_assert_eq!(ids, want);
    }

    #[test]
    fn brat_round_trips((text, anns) in doc_strategy(true, true)) {
        round_trip(Format::Brat, &text, &anns, true);
    }

    #[test]
    fn jsonl_round_trips((text, anns) in doc_strategy(false, false)) {
        round_trip(Format::Jsonl, &text, &anns, true);
    }

    #[test]
    fn csv_round_trips((text, anns) in doc_strategy(false, false)) {
        round_trip(Format::Csv, &text, &anns, true);
    }

    #[test]
    fn conll_round_trips_token_spans(text in text_strategy(), picks in prop::collection::vec((any::<prop::sample::Index>(), 0..3usize, prop::sample::select(LABELS)), 0..6)) {
        let tokens = tokenize(&text);
        prop_assume!(!tokens.is_empty());
        let sents = sentences(&text, &tokens);
        let mut used = vec![false; tokens.len()];
        let mut anns = Vec::new();
        for (n, (idx, extra, label)) in picks.into_iter().enumerate() {
            let i = idx.index(tokens.len());
            let sent = sents.iter().find(|r| r.contains(&i)).unwrap();
            let j = (i + extra).min(sent.end - 1);
            if used[i..=j].iter().any(|u| *u) {
                continue;
            }
            used[i..=j].iter_mut().for_each(|u| *u = true);
            anns.push(ann(&text, n, tokens[i].stem_start, tokens[j].end, label, None));
        }
        round_trip(Format::Conll, &text, &anns, false);
    }

    /// Extractor annotations keep their source, status, entity and confidence through W3C.
    #[test]
    fn w3c_keeps_provenance((text, anns) in doc_strategy(false, false), conf in 0.0f32..1.0) {
        let anns: Vec<Annotation> = anns.into_iter().enumerate().map(|(i, mut a)| {
            if i % 2 == 0 {
                a.source = Source::Extractor;
                a.status = if i % 4 == 0 { Status::Suggested } else { Status::Rejected };
                a.confidence = Some(conf);
            }
            a.entity = format!("e{}", i / 2);
            a.canonical = a.text.clone();
            a
        }).collect();
        let data = export(Format::W3c, &text, "doc", &anns);
        let mut back = import(Format::W3c, &text, &data).unwrap().annotations;
        let mut want = anns.clone();
        back.sort_by(|a, b| a.id.cmp(&b.id));
        want.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(back, want);
    }
}
