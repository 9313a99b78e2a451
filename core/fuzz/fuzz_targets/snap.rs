//! Fuzzes selection snapping: 4 bytes of selection (start, end as u16), 1 flag byte, then the article
//! (UTF-8). A snapped span is non-empty, inside the text, never starts or ends on whitespace, never cuts a
//! grapheme cluster (a mark never leaves its letter), and without clitic dropping snapping it again changes
//! nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa_core::snap;
use unicode_segmentation::UnicodeSegmentation;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let start = u16::from_le_bytes([data[0], data[1]]) as usize;
    let end = u16::from_le_bytes([data[2], data[3]]) as usize;
    let drop_clitic = data[4] & 1 == 1;
    let Ok(text) = std::str::from_utf8(&data[5..]) else {
        return;
    };
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let Some((s, e)) = snap(text, start, end, drop_clitic) else {
        return;
    };
    assert!(s < e && e <= n, "snapped {s}..{e} of {n}");
    assert!(
        start < end && end <= n,
        "a snap for an invalid selection {start}..{end}"
    );
    assert!(
        !chars[s].is_whitespace() && !chars[e - 1].is_whitespace(),
        "whitespace at an edge"
    );
    // Grapheme boundaries as code-point offsets.
    let mut bounds = vec![0];
    let mut cp = 0;
    for g in text.graphemes(true) {
        cp += g.chars().count();
        bounds.push(cp);
    }
    if !drop_clitic {
        assert!(
            bounds.binary_search(&s).is_ok() && bounds.binary_search(&e).is_ok(),
            "{s}..{e} cuts a grapheme"
        );
        assert_eq!(
            snap(text, s, e, false),
            Some((s, e)),
            "snapping is not idempotent"
        );
    }
});
