//! Fuzzes tagger model loading. The input is tried twice: as it is (magic, version, truncation checks) and
//! "resealed" with a correct CRC-32 in its last 4 bytes, so the fuzzer gets past the checksum into the
//! section walk and the weight streams. Loading never panics; a model that loads saves to bytes that load
//! to an equal model, and it can tag a sentence with one tag a word.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use sahifa_core::tagger::{Model, Tagger};

fuzz_target!(|data: &[u8]| common::as_given_and_resealed(data, check));

fn check(bytes: &[u8]) {
    let Ok(model) = Model::from_bytes(bytes) else {
        return;
    };
    let again = Model::from_bytes(&model.to_bytes()).expect("a loaded model's bytes load");
    assert!(again == model, "save/load changed the model");
    let tagger = Tagger::new(model);
    let words = ["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن", "."];
    assert_eq!(tagger.tag(&words).len(), words.len());
}
