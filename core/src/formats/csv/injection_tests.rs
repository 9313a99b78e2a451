//! CSV injection (OWASP): cells a spreadsheet would run as formulas are exported neutralised (quoted, with a
//! `'` in front), and importing the file gives back exactly the text that was exported.

use proptest::prelude::*;
use super::parse;
use crate::formats::{export, import, Format};
use crate::offsets::slice_chars;
use crate::Annotation;

const TEXT: &str = "قال الرئيس في موسكو إن الحرارة -2 درجة و+1 غداً";

fn span(id: &str, needle: &str, label: &str, note: Option<&str>) -> Annotation {
    let b = TEXT.find(needle).unwrap();
    let s = TEXT[..b].chars().count();
    let e = s + needle.chars().count();
    let mut a = Annotation::user(id, s, e, label, slice_chars(TEXT, s, e).unwrap());
    a.note = note.map(str::to_string);
    a
}

/// The data row of a one-annotation export (the line after the header, up to its CRLF).
fn row(csv: &str) -> &str {
    let body = csv.split_once("\r\n").unwrap().1;
    body.strip_suffix("\r\n").unwrap_or(body)
}

fn round_trip(anns: &[Annotation]) -> Vec<Annotation> {
    let csv = export(Format::Csv, TEXT, "t", anns);
    let got = import(Format::Csv, TEXT, &csv).unwrap_or_else(|e| panic!("{e}\n{csv}"));
    assert!(got.orphans.is_empty(), "{:?}\n{csv}", got.orphans);
    got.annotations
}

#[test]
fn formula_notes_are_neutralised_and_come_back_exactly() {
    let cases = [
        (
            "=HYPERLINK(\"http://x\",\"x\")",
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\"",
        ),
        ("+1", "\"'+1\""),
        ("-2", "\"'-2\""),
        ("@SUM(A1:A9)", "\"'@SUM(A1:A9)\""),
        ("\tcmd", "\"'\tcmd\""),
        ("\rcmd", "\"'\rcmd\""),
        ("'=1+1", "\"''=1+1\""),
        ("'tis", "\"''tis\""),
        ("''", "\"'''\""),
    ];
    for (note, cell) in cases {
        let a = span("a1", "موسكو", "LOC", Some(note));
        let csv = export(Format::Csv, TEXT, "t", &[a]);
        assert!(
            row(&csv).ends_with(&format!(",{cell},accepted")),
            "{note:?}: {:?}",
            row(&csv)
        );
        let back = round_trip(&[span("a1", "موسكو", "LOC", Some(note))]);
        assert_eq!(back[0].note.as_deref(), Some(note), "{note:?}");
    }
}

#[test]
fn harmless_cells_are_written_as_before() {
    let a = span("a1", "موسكو", "LOC", Some("عاصمة، روسيا"));
    let csv = export(Format::Csv, TEXT, "t", &[a]);
    assert_eq!(row(&csv), "14,19,LOC,موسكو,,user,عاصمة، روسيا,accepted");
}

#[test]
fn span_text_label_and_entity_are_neutralised_too() {
    let mut a = span("a1", "-2", "=LABEL", None);
    a.entity = "@e1".into();
    let b = span("a2", "+1", "+X", Some("-"));
    let csv = export(Format::Csv, TEXT, "t", &[a.clone(), b.clone()]);
    let data: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    let at = |a: &Annotation| format!("{},{}", a.start, a.end);
    assert_eq!(
        data[0],
        format!("{},\"'=LABEL\",\"'-2\",\"'@e1\",user,,accepted", at(&a))
    );
    assert_eq!(data[1], format!("{},\"'+X\",\"'+1\",,user,\"'-\",accepted", at(&b)));
    // The span texts come back without the quote mark, so they match the article where they were.
    let back = round_trip(&[a.clone(), b.clone()]);
    assert_eq!(
        (back[0].start, back[0].end, back[0].text.as_str()),
        (a.start, a.end, "-2")
    );
    assert_eq!(
        (back[0].label.as_str(), back[0].entity.as_str()),
        ("=LABEL", "@e1")
    );
    assert_eq!(
        (back[1].label.as_str(), back[1].note.as_deref()),
        ("+X", Some("-"))
    );
}

#[test]
fn a_leading_quote_written_by_another_tool_is_kept() {
    // Only a ' before a formula character or another ' is read as our neutralisation.
    let csv = "start,end,type,text,entity,source,note\r\n14,19,LOC,موسكو,,user,'tis fine\r\n";
    let got = import(Format::Csv, TEXT, csv).unwrap();
    assert_eq!(got.annotations[0].note.as_deref(), Some("'tis fine"));
    let csv = "start,end,type,text,entity,source,note\r\n14,19,LOC,موسكو,,user,'=1\r\n";
    let got = import(Format::Csv, TEXT, csv).unwrap();
    assert_eq!(got.annotations[0].note.as_deref(), Some("=1"));
}

/// Strings that start with the dangerous characters often, plus anything at all.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        "['=+@\\-\t\r]{0,3}\\PC{0,12}",
        "[='\"\t\r\n,]{0,6}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn csv_round_trip_is_exact_for_any_note_label_and_entity(
        note in nasty(),
        label in nasty(),
        entity in nasty(),
    ) {
        prop_assume!(!note.contains('\0') && !label.contains('\0') && !entity.contains('\0'));
        // CSV trims labels and refuses blank ones: those are not in its contract.
        prop_assume!(!label.trim().is_empty() && label.trim() == label);
        let mut a = span("a1", "-2", &label, Some(&note).filter(|n| !n.is_empty()).map(|n| n.as_str()));
        a.entity = entity.clone();
        let csv = export(Format::Csv, TEXT, "t", &[a.clone()]);
        let got = import(Format::Csv, TEXT, &csv).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
        prop_assert!(got.orphans.is_empty());
        let b = &got.annotations[0];
        prop_assert_eq!((b.start, b.end, &b.text), (a.start, a.end, &a.text));
        prop_assert_eq!(&b.label, &label);
        prop_assert_eq!(&b.entity, &entity);
        prop_assert_eq!(b.note.as_deref(), a.note.as_deref());
        // No cell, as a spreadsheet reads it, starts a formula.
        for (_, cells) in parse(&csv).unwrap() {
            for cell in cells {
                prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?} in {:?}", cell, csv);
            }
        }
    }
}
