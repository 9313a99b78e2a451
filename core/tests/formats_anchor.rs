//! Re-anchoring on import: the article changed since the export.

use sahifa_core::formats::{export, import, merge, Format};
use sahifa_core::slice_chars;
use sahifa_core::{Annotation, Source, Status};

const ORIGINAL: &str =
    "أعلن الكرملين أن فلاديمير بوتين سيزور أذربيجان يوم 27 سبتمبر 2020 لبحث ملف كاراباخ.";

fn span(text: &str, needle: &str, label: &str) -> Annotation {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {text}"));
    let start = text[..b].chars().count();
    Annotation {
        id: format!("id-{label}-{start}"),
        start,
        end: start + needle.chars().count(),
        label: label.into(),
        text: needle.into(),
        entity: String::new(),
        canonical: String::new(),
        source: Source::User,
        status: Status::Accepted,
        note: Some(format!("ملاحظة {needle}")),
        confidence: None,
    }
}

fn original_spans() -> Vec<Annotation> {
    vec![
        span(ORIGINAL, "الكرملين", "ORG"),
        span(ORIGINAL, "فلاديمير بوتين", "PER"),
        span(ORIGINAL, "أذربيجان", "LOC"),
        span(ORIGINAL, "27 سبتمبر 2020", "DATE"),
        span(ORIGINAL, "كاراباخ", "LOC"),
    ]
}

/// Formats that carry the quote.
const QUOTED: [Format; 4] = [Format::W3c, Format::Brat, Format::Csv, Format::Jsonl];

fn reimport(format: Format, new_text: &str) -> sahifa_core::formats::ImportResult {
    let data = export(format, ORIGINAL, "doc", &original_spans());
    import(format, new_text, &data).unwrap_or_else(|e| panic!("{format}: {e}"))
}

fn texts(r: &sahifa_core::formats::ImportResult, text: &str) -> Vec<String> {
    r.annotations
        .iter()
        .map(|a| {
            assert_eq!(slice_chars(text, a.start, a.end), Some(a.text.as_str()));
            a.text.clone()
        })
        .collect()
}

#[test]
fn inserted_text_before_the_spans_moves_them() {
    let new = format!("عاجل: {ORIGINAL}");
    for f in QUOTED {
        let r = reimport(f, &new);
        assert!(r.orphans.is_empty(), "{f}");
        assert_eq!(
            texts(&r, &new),
            [
                "الكرملين",
                "فلاديمير بوتين",
                "أذربيجان",
                "27 سبتمبر 2020",
                "كاراباخ"
            ],
            "{f}"
        );
        assert_eq!(r.annotations[1].start, original_spans()[1].start + 6, "{f}");
        assert_eq!(
            r.annotations[1].note.as_deref(),
            Some("ملاحظة فلاديمير بوتين"),
            "{f}"
        );
    }
}

#[test]
fn added_diacritics_are_matched_and_kept_inside_the_span() {
    let new = ORIGINAL
        .replace("بوتين", "بُوتِين")
        .replace("الكرملين", "الكِرمْلين");
    for f in QUOTED {
        let r = reimport(f, &new);
        assert!(r.orphans.is_empty(), "{f}");
        let t = texts(&r, &new);
        assert_eq!(t[0], "الكِرمْلين", "{f}");
        assert_eq!(t[1], "فلاديمير بُوتِين", "{f}");
        assert_eq!(t[2], "أذربيجان", "{f}");
    }
}

#[test]
fn a_changed_hamza_form_and_tatweel_still_match() {
    let new = ORIGINAL
        .replace("أذربيجان", "اذربيجان")
        .replace("كاراباخ", "كارابـــاخ");
    for f in QUOTED {
        let r = reimport(f, &new);
        assert!(r.orphans.is_empty(), "{f}");
        let t = texts(&r, &new);
        assert_eq!(t[2], "اذربيجان", "{f}");
        assert_eq!(t[4], "كارابـــاخ", "{f}");
    }
}

#[test]
fn arabic_indic_digits_match_latin_ones() {
    let new = ORIGINAL.replace("27", "٢٧").replace("2020", "٢٠٢٠");
    for f in QUOTED {
        let r = reimport(f, &new);
        assert!(r.orphans.is_empty(), "{f}");
        assert_eq!(texts(&r, &new)[3], "٢٧ سبتمبر ٢٠٢٠", "{f}");
    }
}

#[test]
fn a_deleted_quote_becomes_an_orphan_with_a_reason() {
    let new = ORIGINAL.replace("فلاديمير بوتين", "الرئيس");
    for f in QUOTED {
        let r = reimport(f, &new);
        assert_eq!(r.annotations.len(), 4, "{f}");
        assert_eq!(r.orphans.len(), 1, "{f}");
        let o = &r.orphans[0];
        assert_eq!(
            (o.label.as_str(), o.quote.as_str()),
            ("PER", "فلاديمير بوتين"),
            "{f}"
        );
        assert_eq!(o.note.as_deref(), Some("ملاحظة فلاديمير بوتين"), "{f}");
        assert!(o.reason.to_string().contains("not found"), "{f}: {}", o.reason);
    }
}

#[test]
fn context_chooses_among_repeated_quotes() {
    // The export was made on a text where بوتين occurs twice; the second mention is annotated.
    let text = "قال بوتين كلمة. ثم وصل الرئيس بوتين إلى باكو.";
    let a = span(text, "الرئيس بوتين", "PER");
    let second = Annotation {
        start: a.start + 7,
        text: "بوتين".into(),
        ..a
    };
    let data = export(Format::W3c, text, "d", std::slice::from_ref(&second));
    // Now a sentence is inserted at the start that shifts everything past the first mention.
    let new = format!("بيان: {text}");
    let r = import(Format::W3c, &new, &data).unwrap();
    assert_eq!(
        r.annotations[0].start,
        second.start + 6,
        "prefix 'الرئيس ' picks the second mention"
    );
}

#[test]
fn merge_skips_duplicates_and_renames_colliding_ids() {
    let existing = original_spans();
    let data = export(Format::Csv, ORIGINAL, "doc", &existing[..2]);
    let mut imported = import(Format::Csv, ORIGINAL, &data).unwrap().annotations;
    let mut other = span(ORIGINAL, "الكرملين", "ORG");
    other.start += 1000; // a span nobody has: added, its id renamed when it collides
    other.end += 1000;
    other.id = existing[0].id.clone();
    imported.push(other.clone());
    imported.push(other); // duplicate inside the import itself
    let merged = merge(&existing, imported);
    assert_eq!(merged.skipped, 3);
    assert!(merged.update.is_empty());
    assert_eq!(merged.add.len(), 1);
    assert_ne!(merged.add[0].id, existing[0].id);
}

#[test]
fn merge_gives_an_existing_span_the_imported_review_state() {
    let existing = original_spans();
    // Same range, another label, the user's: the existing mark is retyped, not doubled.
    let mut retyped = span(ORIGINAL, "كاراباخ", "MISC");
    retyped.note = Some("منطقة".into());
    let at = existing
        .iter()
        .find(|a| a.start == retyped.start && a.end == retyped.end)
        .unwrap();
    // An unreviewed suggestion on an annotated span decides nothing: skipped.
    let mut suggestion = span(ORIGINAL, "الكرملين", "PER");
    suggestion.source = Source::Extractor;
    suggestion.status = Status::Suggested;
    let merged = merge(&existing, vec![retyped, suggestion]);
    assert!(merged.add.is_empty());
    assert_eq!(merged.skipped, 1);
    assert_eq!(merged.update.len(), 1);
    let u = &merged.update[0];
    assert_eq!(
        (u.id.as_str(), u.start, u.end),
        (at.id.as_str(), at.start, at.end)
    );
    assert_eq!(
        (u.label.as_str(), u.note.as_deref()),
        ("MISC", Some("منطقة"))
    );
    assert_eq!((u.source, u.status), (Source::User, Status::Accepted));
}

#[test]
fn no_quote_formats_use_offsets_as_they_are() {
    let data = r#"{"text": "مختلف", "spans": []}
{"spans": [{"start": 5, "end": 13, "label": "ORG"}]}"#;
    // The second line has no text: offsets only, taken as they are.
    let data2 = r#"{"spans": [{"start": 5, "end": 13, "label": "ORG"}]}"#;
    let r = import(Format::Jsonl, ORIGINAL, data2).unwrap();
    assert_eq!(r.annotations[0].text, "الكرملين");
    // The first line is chosen when none matches the text; it has no spans.
    assert!(import(Format::Jsonl, ORIGINAL, data)
        .unwrap()
        .annotations
        .is_empty());
}

/// A long text (the seed article many times over, so every quote and context repeats) with thousands of
/// annotations, re-anchored after an insertion at the start: each span must land on its own copy.
#[test]
fn re_anchoring_scales_and_stays_on_the_right_copy() {
    let text = sahifa_core::SEED_ARTICLE.repeat(12);
    // Every fourth whitespace-separated word.
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        words.push((s, i));
    }
    let anns: Vec<Annotation> = words
        .iter()
        .step_by(4)
        .enumerate()
        .map(|(i, &(start, end))| {
            Annotation::user(
                format!("t{i}"),
                start,
                end,
                "MISC",
                slice_chars(&text, start, end).unwrap(),
            )
        })
        .collect();
    assert!(anns.len() > 1500, "{}", anns.len());
    let shifted = format!("عاجل: {text}");
    let started = std::time::Instant::now();
    for f in [Format::W3c, Format::Jsonl] {
        let data = export(f, &text, "seed", &anns);
        let r = import(f, &shifted, &data).unwrap();
        assert!(r.orphans.is_empty(), "{f}");
        assert_eq!(r.annotations.len(), anns.len());
        for (got, want) in r.annotations.iter().zip(&anns) {
            assert_eq!(
                (got.start, got.end),
                (want.start + 6, want.end + 6),
                "{f}: {}",
                want.text
            );
        }
    }
    // Generous even for a debug build; a quadratic import would take minutes here.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
