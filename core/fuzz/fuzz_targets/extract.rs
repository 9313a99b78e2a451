//! Fuzzes the whole extraction pipeline: `cargo +nightly fuzz run extract` from `core/`.
//! Any UTF-8 input must extract without panicking, with spans in bounds, sorted, non-overlapping, and
//! each span's text equal to the slice it covers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa_core::slice_chars;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let n = text.chars().count();
    let mut prev_end = 0;
    for a in sahifa_core::extract(text) {
        assert!(a.start < a.end && a.end <= n, "span out of bounds");
        assert!(a.start >= prev_end, "spans overlap or are unsorted");
        assert_eq!(slice_chars(text, a.start, a.end), Some(a.text.as_str()));
        prev_end = a.end;
    }
    for t in sahifa_core::tokenize(text) {
        assert_eq!(slice_chars(text, t.start, t.end), Some(t.text.as_str()));
    }
});
