//! Fuzzes the brat importer: `article NUL file` or a bare file (against the seed article). Any input either
//! fails with an error or gives annotations inside the article whose text is the slice at their offsets;
//! re-exporting and re-importing them gives the same spans (see `common.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa_core::formats::Format;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((text, file)) = common::split(data) {
        common::check_import(Format::Brat, text, file);
    }
});
