//! Inputs the fuzz targets (`core/fuzz`, `scripts/fuzz.sh`) found to break an invariant, kept as native
//! tests once fixed. Each names the target that found it.

use sahifa_core::offsets::slice_chars;
use sahifa_core::snap::snap;

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
