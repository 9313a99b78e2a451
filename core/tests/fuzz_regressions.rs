//! Inputs the fuzz targets (`core/fuzz`, `scripts/fuzz.sh`) found to break an invariant, kept as native
//! tests once fixed. Each names the target that found it.

use sahifa_core::formats::{import, Format};
use sahifa_core::slice_chars;
use sahifa_core::snap;

/// `snap`: U+0603 (ARABIC SIGN SAFHA) is a prepended mark, one grapheme cluster with the comma after it;
/// trimming the comma code point by code point left the span ending inside that cluster.
#[test]
fn snap_does_not_trim_into_a_grapheme_cluster() {
    let t = "الرئيس فلا\u{0603}، من";
    let (s, e) = (7, 12); // "فلا\u{0603}،"
    let (a, b) = snap(t, s, e, false).expect("a word is selected");
    assert_eq!(slice_chars(t, a, b), Some("فلا"));
    assert_eq!(
        snap(t, a, b, false),
        Some((a, b)),
        "snapping again changes nothing"
    );
    // A space with a mark on it is one cluster too: trimmed whole, never leaving the mark behind.
    let t = "\u{20}\u{064E}باريس";
    assert_eq!(snap(t, 0, t.chars().count(), false), Some((2, 7)));
}

/// `import_brat`: a type with a CR inside (`PE\rR`) was imported as it was, and exporting it wrote `PE_R`,
/// so a brat file did not survive its own round trip. A type holding whitespace is now an error.
#[test]
fn brat_type_with_whitespace_is_refused() {
    let text = "زار بوتين يريفان أمس.";
    for label in ["PE\rR", "P\u{A0}ER", "PER\u{2028}"] {
        let e = import(Format::Brat, text, &format!("T1\t{label} 4 9\tبوتين\n")).unwrap_err();
        assert_eq!(
            (e.line(), e.field_name()),
            (Some(1), Some("type")),
            "{e}"
        );
    }
    assert!(
        import(Format::Brat, text, "T1\tPER 4 9\tبوتين\r\n").is_ok(),
        "a CRLF line end is fine"
    );
}
