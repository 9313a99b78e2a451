//! Fuzzes re-anchoring. Input: one flag byte (bit 0: old offsets given, bit 1: prefix/suffix given), start
//! and end as u16, then UTF-8 `exact \x1f prefix \x1f suffix [\x1f article]` (the seed article when the
//! article part is absent). A found span is inside the text and non-empty; placed by position or exact search,
//! it covers exactly the quote; when the old offsets already hold the quote it is placed there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa_core::anchor::{Anchor, Anchorer, Method, Quote};
use sahifa_core::slice_chars;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let flags = data[0];
    let start = u16::from_le_bytes([data[1], data[2]]) as usize;
    let end = u16::from_le_bytes([data[3], data[4]]) as usize;
    let Ok(rest) = std::str::from_utf8(&data[5..]) else {
        return;
    };
    let mut parts = rest.splitn(4, '\x1f');
    let exact = parts.next().unwrap_or("");
    let prefix = parts.next();
    let suffix = parts.next();
    let text = parts.next().unwrap_or(sahifa_core::SEED_ARTICLE);
    let n = text.chars().count();
    let with_offsets = flags & 1 == 1;
    let q = Quote {
        start: with_offsets.then_some(start),
        end: with_offsets.then_some(end),
        exact: Some(exact),
        prefix: if flags & 2 == 2 { prefix } else { None },
        suffix: if flags & 2 == 2 { suffix } else { None },
    };
    let mut anchorer = Anchorer::new(text);
    assert_eq!(anchorer.len_chars(), n);
    match anchorer.anchor(&q) {
        Anchor::Found {
            start: s,
            end: e,
            method,
        } => {
            assert!(s < e && e <= n, "found {s}..{e} in {n} code points");
            let covered = slice_chars(text, s, e).unwrap();
            if matches!(method, Method::Position | Method::Exact) && !exact.is_empty() {
                assert_eq!(covered, exact, "{method:?} match does not cover the quote");
            }
            if exact.is_empty() {
                assert!(
                    with_offsets && (s, e) == (start, end),
                    "no quote, yet placed elsewhere"
                );
            }
        }
        Anchor::Orphan(reason) => assert!(!reason.to_string().is_empty()),
    }
    if with_offsets
        && start < end
        && end <= n
        && !exact.is_empty()
        && slice_chars(text, start, end) == Some(exact)
    {
        assert_eq!(
            anchorer.anchor(&q),
            Anchor::Found {
                start,
                end,
                method: Method::Position
            },
            "the quote is at its offsets but was placed elsewhere"
        );
    }
});
