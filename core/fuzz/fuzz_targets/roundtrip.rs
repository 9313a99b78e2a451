//! Export → import round trip over made-up documents: an arbitrary article and arbitrary spans in it with
//! arbitrary labels, notes, entities and sources. Exporting in W3C, JSONL, CSV or brat and importing the
//! result into the same article must give back exactly the same spans (start, end, label, covered text), with
//! no orphans; W3C, JSONL and CSV also keep the note, entity and source exactly (CSV through its formula
//! neutralisation). CoNLL, which is token-level, must import without error and in range.
#![no_main]

use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use sahifa_core::formats::{export, import, Format};
use sahifa_core::slice_chars;
use sahifa_core::{Annotation, Source, Status};

const LABELS: [&str; 6] = ["PER", "LOC", "ORG", "MISC", "DATE", "EVENT"];

fn doc(u: &mut Unstructured) -> libfuzzer_sys::arbitrary::Result<(String, Vec<Annotation>, bool)> {
    let text = String::arbitrary(u)?;
    let n = text.chars().count();
    let free_labels = bool::arbitrary(u)?;
    let mut anns = Vec::new();
    if n == 0 {
        return Ok((text, anns, free_labels));
    }
    for i in 0..u.int_in_range(0..=6)? {
        let s = u.int_in_range(0..=n - 1)?;
        let e = u.int_in_range(s + 1..=n)?;
        let label = if free_labels {
            String::arbitrary(u)?
        } else {
            LABELS[u.choose_index(LABELS.len())?].to_string()
        };
        let extractor = bool::arbitrary(u)?;
        anns.push(Annotation {
            id: format!("a{i}"),
            start: s,
            end: e,
            label,
            text: slice_chars(&text, s, e).unwrap().to_string(),
            entity: String::arbitrary(u)?,
            canonical: String::new(),
            source: if extractor {
                Source::Extractor
            } else {
                Source::User
            },
            status: if extractor {
                Status::Suggested
            } else {
                Status::Accepted
            },
            note: Option::<String>::arbitrary(u)?.filter(|n| !n.is_empty()),
            confidence: None,
        });
    }
    Ok((text, anns, free_labels))
}

/// What brat keeps of each span: it cannot hold a line break in a fragment, so breaks at a span's edges are
/// dropped (and a span of nothing but breaks is not written), as `formats::brat` documents.
fn brat_spans(text: &str, anns: &[Annotation]) -> Vec<Annotation> {
    let is_break = |c: char| {
        matches!(
            c,
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}'
        )
    };
    let chars: Vec<char> = text.chars().collect();
    anns.iter()
        .filter_map(|a| {
            let (mut s, mut e) = (a.start, a.end);
            while s < e && is_break(chars[s]) {
                s += 1;
            }
            while e > s && is_break(chars[e - 1]) {
                e -= 1;
            }
            (s < e).then(|| Annotation {
                start: s,
                end: e,
                text: chars[s..e].iter().collect(),
                ..a.clone()
            })
        })
        .collect()
}

fn key(
    v: &[Annotation],
    full: bool,
) -> Vec<(usize, usize, String, String, Option<String>, String, Source)> {
    let mut k: Vec<_> = v
        .iter()
        .map(|a| {
            let (note, entity, source) = if full {
                (a.note.clone(), a.entity.clone(), a.source)
            } else {
                (None, String::new(), Source::User)
            };
            (
                a.start,
                a.end,
                a.label.clone(),
                a.text.clone(),
                note,
                entity,
                source,
            )
        })
        .collect();
    k.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    k.dedup();
    k
}

fuzz_target!(|data: &[u8]| {
    let Ok((text, anns, _)) = doc(&mut Unstructured::new(data)) else {
        return;
    };
    // Imports refuse NUL bytes (binary data) by design, so a document holding one cannot round-trip
    // through the formats that write it raw (CSV, brat).
    let has_nul = |s: &str| s.contains('\0');
    if has_nul(&text)
        || anns.iter().any(|a| {
            has_nul(&a.label) || has_nul(&a.entity) || a.note.as_deref().is_some_and(has_nul)
        })
    {
        return;
    }
    let n = text.chars().count();
    for format in Format::ALL {
        let file = export(format, &text, "fuzz", &anns);
        let got = import(format, &text, &file);
        if format == Format::Conll {
            // Token-level: labels and boundaries change by design; it must still read its own output.
            if let Ok(got) = got {
                for a in &got.annotations {
                    assert!(a.start < a.end && a.end <= n);
                    assert_eq!(slice_chars(&text, a.start, a.end), Some(a.text.as_str()));
                }
            }
            continue;
        }
        // A label that is blank (refused on import) or that a format must rewrite is not round-trippable.
        if anns.iter().any(|a| a.label.trim().is_empty()) {
            continue;
        }
        if format == Format::Csv && anns.iter().any(|a| a.label.trim() != a.label) {
            continue; // CSV trims labels on import
        }
        if format == Format::Brat && anns.iter().any(|a| a.label.contains(char::is_whitespace)) {
            continue; // brat labels cannot hold spaces: they become '_'
        }
        let got = got
            .unwrap_or_else(|e| panic!("{format}: importing our own export failed: {e}\n{file}"));
        assert!(
            got.orphans.is_empty(),
            "{format}: orphans {:?}\n{file}",
            got.orphans
        );
        let full = format != Format::Brat;
        let want = if full {
            anns.clone()
        } else {
            brat_spans(&text, &anns)
        };
        assert_eq!(
            key(&want, full),
            key(&got.annotations, full),
            "{format} round trip\n{file}"
        );
    }
});
