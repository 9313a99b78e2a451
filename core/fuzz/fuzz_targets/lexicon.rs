//! Fuzzes lexicon loading, like `model`: as given and resealed with a correct CRC-32. Loading never panics;
//! a lexicon that loads saves to bytes that load to an equal lexicon, and lookups work.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use sahifa_core::tagger::lexicon::Lexicon;

fuzz_target!(|data: &[u8]| common::as_given_and_resealed(data, check));

fn check(bytes: &[u8]) {
    let Ok(lex) = Lexicon::from_bytes(bytes) else {
        return;
    };
    let again = Lexicon::from_bytes(&lex.to_bytes()).expect("a loaded lexicon's bytes load");
    assert_eq!(again, lex, "save/load changed the lexicon");
    for w in ["مصر", "برنامج", "لبنان", ""] {
        let _ = lex.lookup(w);
        let _ = lex.is_whole(w);
    }
}
