//! Shared by the import targets: how a fuzz input becomes an (article, file) pair, and the invariants every
//! successful import must satisfy.
#![allow(dead_code)]

use sahifa_core::formats::{export, import, Format};
use sahifa_core::slice_chars;

/// `article NUL file`, or just `file` for the seed article (where the committed seeds come from). A NUL in
/// the file part itself is what `check_input` refuses, so that path is still reached by a second NUL.
pub fn split(data: &[u8]) -> Option<(&str, &str)> {
    let s = std::str::from_utf8(data).ok()?;
    Some(match s.split_once('\0') {
        Some((text, file)) => (text, file),
        None => (sahifa_core::SEED_ARTICLE, s),
    })
}

/// Imports `file` against `text` and checks the result: every annotation in range, non-empty, its text the
/// slice at its offsets, its label non-empty. Then, for the formats that carry exact offsets, exporting
/// what was imported and importing that again gives the same spans (and notes where the format has them).
pub fn check_import(format: Format, text: &str, file: &str) {
    let Ok(got) = import(format, text, file) else {
        return;
    };
    let n = text.chars().count();
    for a in &got.annotations {
        assert!(
            a.start < a.end,
            "empty or reversed span {}..{}",
            a.start,
            a.end
        );
        assert!(
            a.end <= n,
            "span {}..{} past the text's {n} code points",
            a.start,
            a.end
        );
        assert_eq!(
            slice_chars(text, a.start, a.end),
            Some(a.text.as_str()),
            "text is not the slice"
        );
        assert!(!a.label.trim().is_empty(), "empty label");
    }
    if format == Format::Conll {
        return;
    }
    let again = export(format, text, "fuzz", &got.annotations);
    let back = import(format, text, &again)
        .unwrap_or_else(|e| panic!("re-importing our own {format} export failed: {e}\n{again}"));
    assert!(
        back.orphans.is_empty(),
        "our own export has orphans: {:?}",
        back.orphans
    );
    let key = |v: &[sahifa_core::Annotation]| {
        let mut k: Vec<_> = v
            .iter()
            .map(|a| {
                let note = if format == Format::Brat {
                    None
                } else {
                    a.note.clone()
                };
                (a.start, a.end, a.label.clone(), note)
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(
        key(&got.annotations),
        key(&back.annotations),
        "{format} re-export changed the spans"
    );
}

/// Runs `check` on a binary file as given, then "resealed" with a correct CRC-32 of the rest in its last 4
/// bytes (the model's and lexicon's trailer), so the fuzzer also gets past the checksum into the decoder.
pub fn as_given_and_resealed(data: &[u8], check: impl Fn(&[u8])) {
    check(data);
    if data.len() >= 4 {
        let mut sealed = data[..data.len() - 4].to_vec();
        sealed.extend_from_slice(&sahifa_core::tagger::model::crc32(&sealed).to_le_bytes());
        check(&sealed);
    }
}
