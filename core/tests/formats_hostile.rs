//! Hostile imports: deeply nested JSON, inputs at and over the size limits, and offsets that are no offsets
//! (negative, fractional, NaN, too large, past the end). Each is refused with an error that says what and
//! where, and the import returns nothing at all (an import is all or nothing, so the caller's work is
//! unchanged).

use sahifa_core::formats::{import, Format, FormatError, MAX_IMPORT_BYTES, MAX_IMPORT_SPANS};

const TEXT: &str = "زار بوتين يريفان أمس.";

fn err(f: Format, data: &str) -> FormatError {
    match import(f, TEXT, data) {
        Ok(r) => panic!(
            "{f}: expected an error, got {} annotations and {} orphans",
            r.annotations.len(),
            r.orphans.len()
        ),
        Err(e) => e,
    }
}

fn w3c_with(selector: &str) -> String {
    format!(
        r#"{{"type": "Annotation", "body": {{"purpose": "tagging", "value": "PER"}}, "target": {{"selector": {selector}}}}}"#
    )
}

#[test]
fn deeply_nested_json_is_refused_not_overflowing_the_stack() {
    for deep in ["[".repeat(100_000), "{\"a\":".repeat(100_000)] {
        let e = err(Format::W3c, &deep);
        assert_eq!(e.line(), Some(1), "{e}");
        assert!(e.to_string().contains("not valid JSON"), "{e}");
        assert!(e.to_string().contains("recursion limit"), "{e}");
        let jsonl = format!("{{\"spans\": []}}\n{deep}\n");
        let e = err(Format::Jsonl, &jsonl);
        assert!(e.to_string().starts_with("line 2: not valid JSON"), "{e}");
    }
    // Nesting within serde's limit but in the wrong place is a shape error naming the field.
    let e = err(
        Format::W3c,
        &w3c_with(&format!("{}{}", "[".repeat(100), "]".repeat(100))),
    );
    assert_eq!(e.field_name(), Some("target.selector"), "{e}");
    let e = err(Format::Jsonl, r#"{"spans": [[[[[[1]]]]]]}"#);
    assert_eq!(e.field_name(), Some("spans[0]"), "{e}");
}

#[test]
fn the_byte_limit_is_exact_and_named() {
    // One byte over: refused before any parsing, naming the limit, for every format.
    let over = " ".repeat(MAX_IMPORT_BYTES + 1);
    for f in Format::ALL {
        let e = err(f, &over);
        assert!(
            e.to_string().contains("more than the 20 MB limit"),
            "{f}: {e}"
        );
    }
    // At the limit: parsed (and refused for what it holds, not for its size).
    let at = " ".repeat(MAX_IMPORT_BYTES);
    let e = err(Format::Csv, &at);
    assert_eq!(e.to_string(), "the CSV has no header row");
}

#[test]
fn files_with_too_many_annotations_are_refused() {
    let n = MAX_IMPORT_SPANS + 1;
    let too_many = format!("more than {MAX_IMPORT_SPANS} annotations");

    let spans = vec![r#"{"start": 4, "end": 9, "label": "PER"}"#; n].join(",");
    let e = err(Format::Jsonl, &format!("{{\"spans\": [{spans}]}}"));
    assert!(
        e.to_string()
            .starts_with("line 1, field 'spans': more than"),
        "{e}"
    );

    let items =
        vec![w3c_with(r#"{"type": "TextPositionSelector", "start": 4, "end": 9}"#); n].join(",");
    let e = err(Format::W3c, &format!("[{items}]"));
    assert!(e.to_string().contains(&too_many), "{e}");

    let brat: String = (1..=n).map(|i| format!("T{i}\tPER 4 9\tبوتين\n")).collect();
    let e = err(Format::Brat, &brat);
    assert_eq!(e.line(), Some(n), "{e}");
    assert!(e.to_string().contains(&too_many), "{e}");

    let csv = format!("start,end,type\n{}", "4,9,PER\n".repeat(n));
    let e = err(Format::Csv, &csv);
    assert_eq!(e.line(), Some(n + 1), "{e}");
    assert!(e.to_string().contains(&too_many), "{e}");

    // At the limit itself the files import.
    let csv = format!("start,end,type\n{}", "4,9,PER\n".repeat(MAX_IMPORT_SPANS));
    assert_eq!(
        import(Format::Csv, TEXT, &csv).unwrap().annotations.len(),
        MAX_IMPORT_SPANS
    );
}

#[test]
fn csv_that_would_make_millions_of_fields_or_rows_is_refused_cheaply() {
    // A near-limit row of commas used to become 20 million strings (half a gigabyte) before the field
    // count was checked; a near-limit run of blank lines, 20 million empty rows.
    let mut commas = String::from("start,end,type\n");
    commas.push_str(&",".repeat(MAX_IMPORT_BYTES - commas.len()));
    let e = err(Format::Csv, &commas);
    assert_eq!(e.to_string(), "line 2: more than 64 fields in one row");
    let blank = format!("start,end,type\n{}", "\n".repeat(MAX_IMPORT_BYTES - 20));
    assert_eq!(
        import(Format::Csv, TEXT, &blank).unwrap().annotations.len(),
        0
    );
}

#[test]
fn offsets_that_are_not_offsets_are_refused_naming_the_field() {
    for bad in [
        "-1", "1.5", "1e400", "\"4\"", "null", "true", "NaN", "Infinity",
    ] {
        // W3C
        let data = w3c_with(&format!(
            r#"{{"type": "TextPositionSelector", "start": {bad}, "end": 9}}"#
        ));
        let e = err(Format::W3c, &data);
        let s = e.to_string();
        if matches!(bad, "NaN" | "Infinity" | "1e400") {
            assert!(s.starts_with("line 1: not valid JSON"), "{bad}: {s}");
        } else {
            // The field is named; the reason (negative, fractional, not a number) is formats' own test.
            assert!(
                s.starts_with("annotation 1, field 'target.selector.start': "),
                "{bad}: {s}"
            );
        }
        // JSONL
        let data = format!(r#"{{"spans": [{{"start": 4, "end": {bad}, "label": "PER"}}]}}"#);
        let s = err(Format::Jsonl, &data).to_string();
        if matches!(bad, "NaN" | "Infinity" | "1e400") {
            assert!(s.starts_with("line 1: not valid JSON"), "{bad}: {s}");
        } else {
            assert!(s.starts_with("line 1, field 'spans[0].end': "), "{bad}: {s}");
        }
    }
    for bad in ["-1", "1.5", "NaN", "inf", "", "0x4", "18446744073709551616"] {
        let csv = format!("start,end,type\n4,9,PER\n{bad},9,PER\n");
        let e = err(Format::Csv, &csv);
        assert_eq!(e.line(), Some(3), "{bad}: {e}");
        assert_eq!(e.field_name(), Some("start"), "{bad}: {e}");
        let brat = format!("T1\tPER 4 9\tبوتين\nT2\tPER {bad} 9\tبوتين\n");
        let e = err(Format::Brat, &brat);
        assert_eq!(e.line(), Some(2), "{bad}: {e}");
    }
}

#[test]
fn offsets_past_the_end_without_a_quote_are_refused() {
    let e = err(
        Format::W3c,
        &w3c_with(r#"{"type": "TextPositionSelector", "start": 4, "end": 900}"#),
    );
    assert_eq!(
        e.to_string(),
        "annotation 1: offsets 4..900 are outside the text (21 code points) and there is no quote to find the span by"
    );
    // Too large for any text, and for a 32-bit usize (the widget's wasm32): refused, never wrapped around.
    let e = err(
        Format::W3c,
        &w3c_with(r#"{"type": "TextPositionSelector", "start": 4294967296, "end": 4294967301}"#),
    );
    assert!(
        e.to_string().contains("outside the text") || e.to_string().contains("too large"),
        "{e}"
    );
    // Reversed and empty ranges.
    for (s, e_) in [(9, 4), (4, 4)] {
        let e = err(Format::Csv, &format!("start,end,type\n{s},{e_},PER\n"));
        assert!(e.to_string().contains("empty or reversed"), "{e}");
    }
    // With a quote, offsets past the end only mean the text changed: the span is re-anchored.
    let r = import(
        Format::Csv,
        TEXT,
        "start,end,type,text\n400,405,PER,بوتين\n",
    )
    .unwrap();
    assert_eq!((r.annotations[0].start, r.annotations[0].end), (4, 9));
}
