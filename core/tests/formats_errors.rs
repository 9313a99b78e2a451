//! Bad input: every error is clear, names the line or field, and nothing is half-imported.

use sahifa_core::formats::{export, import, Format, FormatError, MAX_IMPORT_BYTES};
use sahifa_core::Annotation;

const TEXT: &str = "زار بوتين يريفان أمس.";

fn err(f: Format, data: &str) -> FormatError {
    match import(f, TEXT, data) {
        Ok(r) => panic!("{f}: expected an error, got {r:?}"),
        Err(e) => e,
    }
}

fn one() -> Vec<Annotation> {
    vec![Annotation::user("1", 4, 9, "PER", "بوتين")]
}

#[test]
fn malformed_json_names_the_line() {
    let e = err(
        Format::W3c,
        "{\n  \"type\": \"AnnotationCollection\",\n  \"first\": {\n}",
    );
    assert!(e.to_string().starts_with("line 4"), "{e}");
    assert!(e.to_string().contains("not valid JSON"), "{e}");
    let e = err(Format::Jsonl, "{\"text\": \"x\", \"spans\": []}\n{oops}\n");
    assert_eq!(e.line(), Some(2), "{e}");
}

#[test]
fn w3c_missing_fields_name_the_annotation_and_field() {
    let data = export(Format::W3c, TEXT, "d", &one());
    let broken = data.replace("\"selector\"", "\"selektor\"");
    let e = err(Format::W3c, &broken);
    assert_eq!(
        e.to_string(),
        "annotation 1, field 'target.selector': missing"
    );
    let broken = data.replace("\"start\": 4", "\"start\": \"4\"");
    let e = err(Format::W3c, &broken);
    assert_eq!(
        e.to_string(),
        "annotation 1, field 'target.selector.start': must be a non-negative integer, found \"4\""
    );
    // Negative and fractional offsets say which they are (they used to share one message).
    let e = err(Format::W3c, &data.replace("\"start\": 4", "\"start\": -4"));
    assert_eq!(e.field_name(), Some("target.selector.start"));
    assert_eq!(e.reason(), "must not be negative, found -4");
    let e = err(Format::W3c, &data.replace("\"start\": 4", "\"start\": 4.5"));
    assert_eq!(e.reason(), "must be a whole number, found 4.5");
    let broken = data.replace("\"purpose\": \"tagging\"", "\"purpose\": \"linking\"");
    assert!(err(Format::W3c, &broken).to_string().contains("tagging"));
}

#[test]
fn brat_line_with_wrong_fields() {
    let e = err(Format::Brat, "T1\tPER 4 9\tبوتين\nT2 LOC 10 16 يريفان\n");
    assert_eq!(
        e.to_string(),
        "line 2: expected 'T<n>\\tTYPE start end\\ttext'"
    );
    let e = err(Format::Brat, "T1\tPER four 9\tبوتين\n");
    assert_eq!(
        e.to_string(),
        "line 1, field 'start': expected a non-negative integer, found \"four\""
    );
    let e = err(Format::Brat, "T1\tPER 9 4\tبوتين\n");
    assert!(
        e.to_string()
            .starts_with("line 1: the range 9 4 is empty or reversed"),
        "{e}"
    );
    let e = err(Format::Brat, "#1\tAnnotatorNotes T7\tnote\n");
    assert!(e.to_string().contains("T7"), "{e}");
}

#[test]
fn quote_length_mismatch_in_brat_is_an_error() {
    let e = err(Format::Brat, "T1\tPER 4 9\tبوتين الرئيس\n");
    assert!(e.to_string().starts_with("line 1, field 'text':"), "{e}");
}

#[test]
fn quote_mismatch_in_jsonl_is_an_error() {
    let data = format!(
        r#"{{"text": "{TEXT}", "spans": [{{"start": 4, "end": 9, "label": "PER", "text": "يريفان"}}]}}"#
    );
    let e = err(Format::Jsonl, &data);
    assert!(
        e.to_string().starts_with("line 1, field 'spans[0].text':"),
        "{e}"
    );
}

#[test]
fn offsets_out_of_range() {
    // No quote to find the span by: an error naming the line.
    let e = err(
        Format::Csv,
        "start,end,type,text,entity,source,note\n4,9,PER,,,,\n400,409,PER,,,,\n",
    );
    assert!(
        e.to_string()
            .starts_with("line 3: offsets 400..409 are outside the text"),
        "{e}"
    );
    let e = err(
        Format::Jsonl,
        r#"{"spans": [{"start": 4, "end": 900, "label": "PER"}]}"#,
    );
    assert!(
        e.to_string()
            .starts_with("line 1: offsets 4..900 are outside the text"),
        "{e}"
    );
    // Past the end of the JSONL line's own text.
    let e = err(
        Format::Jsonl,
        r#"{"text": "قصير", "spans": [{"start": 1, "end": 9, "label": "PER"}]}"#,
    );
    assert_eq!(e.field_name(), Some("spans[0].end"));
    // With a quote, stale offsets are re-anchored instead.
    let r = import(Format::Brat, TEXT, "T1\tPER 400 405\tبوتين\n").unwrap();
    assert_eq!((r.annotations[0].start, r.annotations[0].end), (4, 9));
}

#[test]
fn csv_errors_name_the_line() {
    let e = err(Format::Csv, "a,b,c\n1,2,3\n");
    assert_eq!(
        e.to_string(),
        "line 1: expected the header 'start,end,type,text,entity,source,note,status'"
    );
    let e = err(
        Format::Csv,
        "start,end,type,text,entity,source,note\n4,9,PER,\"بوتين\n",
    );
    assert!(
        e.to_string()
            .starts_with("line 2: a quoted field is never closed"),
        "{e}"
    );
    let e = err(
        Format::Csv,
        "start,end,type,text,entity,source,note\n4,9,PER,بوتين,,robot,\n",
    );
    assert_eq!(
        e.to_string(),
        "line 2, field 'source': expected 'user' or 'extractor'"
    );
    let e = err(
        Format::Csv,
        "start,end,type,text,entity,source,note\n4,9,PER\n",
    );
    assert!(e.to_string().starts_with("line 2: 3 fields"), "{e}");
    // A quoted newline makes the next row start on a later line.
    let e = err(
        Format::Csv,
        "start,end,type,text,entity,source,note\n4,9,PER,بوتين,,user,\"a\nb\"\nx,9,PER,,,,\n",
    );
    assert_eq!(e.line(), Some(4), "{e}");
}

#[test]
fn conll_errors_name_the_line() {
    let e = err(Format::Conll, "زار\tO\nبوتين\tB-PER\nموسكو\tB-LOC\n");
    assert!(
        e.to_string()
            .starts_with("line 3, field 'token': token \"موسكو\" does not match the text"),
        "{e}"
    );
    let e = err(Format::Conll, "زار\tO\nبوتين\tX-PER\n");
    assert!(e.to_string().starts_with("line 2, field 'tag':"), "{e}");
    let e = err(Format::Conll, "زار\n");
    assert!(
        e.to_string().starts_with("line 1: expected 'token\\tTAG'"),
        "{e}"
    );
}

#[test]
fn binary_data_is_refused() {
    for f in Format::ALL {
        let e = err(f, "T1\tPER 4 9\tبو\0تين\n");
        assert!(e.to_string().contains("binary"), "{f}: {e}");
    }
}

#[test]
fn oversize_input_is_refused() {
    let big = "x".repeat(MAX_IMPORT_BYTES + 1);
    for f in Format::ALL {
        let e = err(f, &big);
        assert!(e.to_string().contains("MB limit"), "{f}: {e}");
    }
}

#[test]
fn the_wrong_format_is_reported_not_misread() {
    let csv = export(Format::Csv, TEXT, "d", &one());
    let w3c = export(Format::W3c, TEXT, "d", &one());
    let brat = export(Format::Brat, TEXT, "d", &one());
    let conll = export(Format::Conll, TEXT, "d", &one());
    let jsonl = export(Format::Jsonl, TEXT, "d", &one());
    let e = err(Format::W3c, &csv);
    assert!(e.to_string().starts_with("line 1: not valid JSON"), "{e}");
    let e = err(Format::Brat, &w3c);
    assert!(e.to_string().starts_with("line 1: expected 'T<n>"), "{e}");
    let e = err(Format::Csv, &brat);
    assert!(
        e.to_string().starts_with("line 1: expected the header"),
        "{e}"
    );
    let e = err(Format::Conll, &csv);
    assert_eq!(e.line(), Some(1), "{e}");
    let e = err(Format::Jsonl, &conll);
    assert!(e.to_string().starts_with("line 1: not valid JSON"), "{e}");
    let e = err(Format::W3c, &jsonl);
    assert_eq!(e.field_name(), Some("type"), "{e}");
    let e = err(Format::Brat, &jsonl);
    assert_eq!(e.line(), Some(1), "{e}");
}

#[test]
fn one_bad_record_fails_the_whole_import() {
    let data = "T1\tPER 4 9\tبوتين\nT2\tLOC 10 16\tيريفان\nT3\tLOC x 16\tيريفان\n";
    assert!(import(Format::Brat, TEXT, data).is_err());
    let empty_label = "start,end,type,text,entity,source,note\n4,9,PER,,,,\n10,16,,,,,\n";
    let e = err(Format::Csv, empty_label);
    assert_eq!(e.to_string(), "line 3, field 'type': is empty");
}
