//! Halves of training corpora for a jackknife of type profiles (`core/examples/build_profile.rs`): the
//! profile a training sentence is extracted with must come from a model that never saw it, as a held-out
//! sentence's does.

use sahifa_core::tagger::corpus::Corpus;
use sahifa_core::tagger::stem_table::StemTable;

/// The first (`h` = 1) or second (`h` = 2) half of a corpus's sentences.
pub fn half(c: &Corpus, h: usize) -> Corpus {
    let mid = c.examples.len() / 2;
    let ex = if h == 1 {
        &c.examples[..mid]
    } else {
        &c.examples[mid..]
    };
    Corpus {
        examples: ex.to_vec(),
        ..c.clone()
    }
}

/// Each corpus split in two, in order: its first half extracted with profile `a` (built by the model of
/// the second halves), its second half with `b`.
pub fn jackknife(corpora: &[Corpus], a: &'static StemTable, b: &'static StemTable) -> Vec<Corpus> {
    corpora
        .iter()
        .flat_map(|c| {
            [
                Corpus {
                    profile: Some(a),
                    ..half(c, 1)
                },
                Corpus {
                    profile: Some(b),
                    ..half(c, 2)
                },
            ]
        })
        .collect()
}

/// A profile table read from `path` and kept for the rest of the process.
pub fn table(path: &str) -> &'static StemTable {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let t = StemTable::from_bytes(&b).unwrap_or_else(|e| panic!("{path}: {e}"));
    Box::leak(Box::new(t))
}
