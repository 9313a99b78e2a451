//! The data files — the gazetteer's automata, and the tagger's model, lexicon, word clusters and typed name
//! lists — embedded or installed at run time.
//!
//! Why: together they are about 355 kB gzipped, most of the widget's first download, and the first highlight
//! needs none of them (the gazetteers and rules find the listed names). With the `embedded-model` feature (on
//! by default: the CLI, the tests, the benches and the fuzz targets) they are `include_bytes!` in the binary
//! and decoded on first use, as before. Without it, a host fetches the four files and hands each to
//! [`install`] once; until all four are in, [`crate::extract`] runs the rules and gazetteers alone and
//! [`tagger_ready`] says `false`. Each file goes through its own loader (checksums, lengths, versions), so
//! corrupt or truncated bytes are refused with a [`DataError`] and nothing is installed.
//!
//! The gazetteer's automata ([`DataKind::Gazetteer`], about 80 kB gzipped) are a fifth file for the same
//! reason and one more: the page's first-highlight module (`paint/`) needs them as well, and as a file
//! both wasms share one download. Unlike the tagger's files they are needed by every extraction: a host
//! installs them before it extracts anything (until then the lists are empty, see [`lists_ready`]).

use std::str::FromStr;
use std::sync::OnceLock;

use crate::gazetteer::Lists;
pub use crate::gazetteer::ListsError;
use crate::tagger::lexicon::Lexicon;
use crate::tagger::stem_table::{StemTable, StemTableError};
use crate::tagger::{ModelError, Tagger};

/// One of the data files: the gazetteer's, or one of the tagger's four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataKind {
    /// The gazetteer's two automata (`gazetteer.bin`, built by `build.rs`).
    Gazetteer,
    /// The perceptron tagger's weights (`anercorp.bin`).
    Model,
    /// Word frequencies and shapes (`lexicon.bin`).
    Lexicon,
    /// Stem → word cluster (`clusters.bin`).
    Clusters,
    /// Stem → kinds of name list (`names.bin`).
    Names,
}

impl DataKind {
    /// All five, in the order a host may fetch them (the gazetteer first: extraction waits for it).
    pub const ALL: [DataKind; 5] = [
        DataKind::Gazetteer,
        DataKind::Model,
        DataKind::Lexicon,
        DataKind::Clusters,
        DataKind::Names,
    ];

    /// The stable file name the build ships it under.
    pub fn file_name(self) -> &'static str {
        match self {
            DataKind::Gazetteer => "gazetteer.bin",
            DataKind::Model => "anercorp.bin",
            DataKind::Lexicon => "lexicon.bin",
            DataKind::Clusters => "clusters.bin",
            DataKind::Names => "names.bin",
        }
    }

    /// The short name a host passes (`gazetteer`, `model`, `lexicon`, `clusters`, `names`).
    pub fn name(self) -> &'static str {
        match self {
            DataKind::Gazetteer => "gazetteer",
            DataKind::Model => "model",
            DataKind::Lexicon => "lexicon",
            DataKind::Clusters => "clusters",
            DataKind::Names => "names",
        }
    }
}

impl FromStr for DataKind {
    type Err = DataError;
    fn from_str(s: &str) -> Result<Self, DataError> {
        DataKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| DataError::UnknownKind(s.to_string()))
    }
}

/// Why a data file was not installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("unknown data kind {0:?} (expected gazetteer, model, lexicon, clusters or names)")]
    UnknownKind(String),
    #[error("the {} data is already installed", .0.name())]
    AlreadyInstalled(DataKind),
    #[error("{0}")]
    Gazetteer(ListsError),
    #[error("tagger model refused: {0}")]
    Model(ModelError),
    #[error("{0}")]
    Lexicon(String),
    #[error("{kind} refused: {err}", kind = .0.name(), err = .1)]
    Table(DataKind, StemTableError),
}

static GAZETTEER: OnceLock<Lists> = OnceLock::new();
static MODEL: OnceLock<Tagger> = OnceLock::new();
static LEXICON: OnceLock<Lexicon> = OnceLock::new();
static CLUSTERS: OnceLock<StemTable> = OnceLock::new();
static NAMES: OnceLock<StemTable> = OnceLock::new();

/// The embedded bytes of a file, with the `embedded-model` feature.
#[cfg(feature = "embedded-model")]
fn embedded(kind: DataKind) -> &'static [u8] {
    match kind {
        DataKind::Gazetteer => include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin")),
        DataKind::Model => include_bytes!("../models/anercorp.bin"),
        DataKind::Lexicon => include_bytes!("../models/lexicon.bin"),
        DataKind::Clusters => include_bytes!("../models/clusters.bin"),
        DataKind::Names => include_bytes!("../models/names.bin"),
    }
}

/// A decoded file: installed, or (with the `embedded-model` feature) decoded from the binary on first use.
fn get<T>(
    cell: &'static OnceLock<T>,
    #[allow(unused_variables)] kind: DataKind,
    #[allow(unused_variables)] decode: fn(&[u8]) -> Result<T, DataError>,
) -> Option<&'static T> {
    #[cfg(feature = "embedded-model")]
    return Some(cell.get_or_init(|| {
        decode(embedded(kind)).unwrap_or_else(|e| panic!("the embedded {}: {e}", kind.name()))
    }));
    #[cfg(not(feature = "embedded-model"))]
    cell.get()
}

fn decode_gazetteer(b: &[u8]) -> Result<Lists, DataError> {
    Lists::from_bytes(b).map_err(DataError::Gazetteer)
}
fn decode_model(b: &[u8]) -> Result<Tagger, DataError> {
    Tagger::from_bytes(b).map_err(DataError::Model)
}
fn decode_lexicon(b: &[u8]) -> Result<Lexicon, DataError> {
    Lexicon::from_bytes(b).map_err(DataError::Lexicon)
}
fn decode_clusters(b: &[u8]) -> Result<StemTable, DataError> {
    StemTable::from_bytes(b).map_err(|e| DataError::Table(DataKind::Clusters, e))
}
fn decode_names(b: &[u8]) -> Result<StemTable, DataError> {
    StemTable::from_bytes(b).map_err(|e| DataError::Table(DataKind::Names, e))
}

/// The gazetteer's automata, if embedded or installed.
pub(crate) fn gazetteer() -> Option<&'static Lists> {
    get(&GAZETTEER, DataKind::Gazetteer, decode_gazetteer)
}
/// The tagger's model, if embedded or installed.
pub(crate) fn model() -> Option<&'static Tagger> {
    get(&MODEL, DataKind::Model, decode_model)
}
/// The lexicon, if embedded or installed.
pub(crate) fn lexicon() -> Option<&'static Lexicon> {
    get(&LEXICON, DataKind::Lexicon, decode_lexicon)
}
/// The word clusters, if embedded or installed.
pub(crate) fn clusters() -> Option<&'static StemTable> {
    get(&CLUSTERS, DataKind::Clusters, decode_clusters)
}
/// The typed name lists, if embedded or installed.
pub(crate) fn names() -> Option<&'static StemTable> {
    get(&NAMES, DataKind::Names, decode_names)
}

/// Decodes `bytes` as `kind` and installs it for the rest of the process. Refused (and nothing changes)
/// when the bytes are not a valid file of that kind, or when that kind is already there (installed or,
/// with the `embedded-model` feature, embedded).
pub fn install(kind: DataKind, bytes: &[u8]) -> Result<(), DataError> {
    fn put<T>(
        cell: &'static OnceLock<T>,
        kind: DataKind,
        bytes: &[u8],
        decode: fn(&[u8]) -> Result<T, DataError>,
    ) -> Result<(), DataError> {
        if installed(kind) {
            return Err(DataError::AlreadyInstalled(kind));
        }
        let value = decode(bytes)?;
        cell.set(value)
            .map_err(|_| DataError::AlreadyInstalled(kind))
    }
    match kind {
        DataKind::Gazetteer => put(&GAZETTEER, kind, bytes, decode_gazetteer),
        DataKind::Model => put(&MODEL, kind, bytes, decode_model),
        DataKind::Lexicon => put(&LEXICON, kind, bytes, decode_lexicon),
        DataKind::Clusters => put(&CLUSTERS, kind, bytes, decode_clusters),
        DataKind::Names => put(&NAMES, kind, bytes, decode_names),
    }
}

/// Whether `kind` is available: embedded (the feature) or installed.
pub fn installed(kind: DataKind) -> bool {
    cfg!(feature = "embedded-model")
        || match kind {
            DataKind::Gazetteer => GAZETTEER.get().is_some(),
            DataKind::Model => MODEL.get().is_some(),
            DataKind::Lexicon => LEXICON.get().is_some(),
            DataKind::Clusters => CLUSTERS.get().is_some(),
            DataKind::Names => NAMES.get().is_some(),
        }
}

/// Whether the tagger can run: all five files are available (its features look the lists up too). Until
/// then [`crate::extract`] gives the rules' and gazetteers' marks alone.
pub fn tagger_ready() -> bool {
    DataKind::ALL.into_iter().all(installed)
}

/// Whether the gazetteer's automata are available. Until then every list is empty: a host extracts
/// nothing before they are installed.
pub fn lists_ready() -> bool {
    installed(DataKind::Gazetteer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: DataKind) -> Vec<u8> {
        if kind == DataKind::Gazetteer {
            return include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin")).to_vec();
        }
        let path = format!("{}/models/{}", env!("CARGO_MANIFEST_DIR"), kind.file_name());
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in DataKind::ALL {
            assert_eq!(k.name().parse::<DataKind>(), Ok(k));
        }
        assert_eq!(
            "weights".parse::<DataKind>(),
            Err(DataError::UnknownKind("weights".into()))
        );
    }

    #[test]
    fn every_loader_refuses_truncated_and_corrupt_bytes_with_a_typed_error() {
        for k in DataKind::ALL {
            let good = file(k);
            let decode = |b: &[u8]| -> Result<(), DataError> {
                match k {
                    DataKind::Gazetteer => decode_gazetteer(b).map(drop),
                    DataKind::Model => decode_model(b).map(drop),
                    DataKind::Lexicon => decode_lexicon(b).map(drop),
                    DataKind::Clusters => decode_clusters(b).map(drop),
                    DataKind::Names => decode_names(b).map(drop),
                }
            };
            assert_eq!(decode(&good), Ok(()), "{k:?}: the shipped file loads");
            // Empty, cut short at several places, one flipped byte in the middle, one byte too many.
            let mut bad: Vec<Vec<u8>> = vec![Vec::new(), good[..8].to_vec()];
            bad.extend([2, 3].map(|d| good[..good.len() * (d - 1) / d].to_vec()));
            bad.push(good[..good.len() - 1].to_vec());
            let mut flipped = good.clone();
            flipped[good.len() / 2] ^= 0x55;
            bad.push(flipped);
            let mut longer = good.clone();
            longer.push(0);
            bad.push(longer);
            // Another kind's file.
            let other = DataKind::ALL[(k as usize + 1) % DataKind::ALL.len()];
            if !matches!((k, other), (DataKind::Clusters, DataKind::Names)) {
                bad.push(file(other));
            }
            for (i, b) in bad.iter().enumerate() {
                let err = decode(b).expect_err(&format!("{k:?}: bad input {i} refused"));
                let shape_ok = match (k, &err) {
                    (DataKind::Gazetteer, DataError::Gazetteer(_)) => true,
                    (DataKind::Model, DataError::Model(_)) => true,
                    (DataKind::Lexicon, DataError::Lexicon(m)) => m.contains("lexicon"),
                    (DataKind::Clusters | DataKind::Names, DataError::Table(t, _)) => *t == k,
                    _ => false,
                };
                assert!(shape_ok, "{k:?} input {i}: {err:?}");
                assert!(!err.to_string().is_empty());
            }
        }
    }

    #[test]
    fn install_refuses_bad_bytes_and_what_is_already_there() {
        // (Without the feature another test installs the real files meanwhile, so either refusal.)
        assert!(matches!(
            install(DataKind::Lexicon, b"not a lexicon"),
            Err(DataError::Lexicon(_) | DataError::AlreadyInstalled(_))
        ));
        #[cfg(feature = "embedded-model")]
        {
            assert!(tagger_ready());
            assert_eq!(
                install(DataKind::Clusters, b"SAHIFAST"),
                Err(DataError::AlreadyInstalled(DataKind::Clusters))
            );
            assert_eq!(
                install(DataKind::Model, &file(DataKind::Model)),
                Err(DataError::AlreadyInstalled(DataKind::Model))
            );
        }
    }

    /// Without the embedded data: empty lists until the gazetteer is installed, then rules and gazetteers
    /// only until the tagger's four files are, then the same marks as the embedded build's (one test, since
    /// the installs are for the whole process).
    #[cfg(not(feature = "embedded-model"))]
    #[test]
    fn extraction_is_rules_only_until_installed_then_the_full_pipeline() {
        let text = crate::SEED_ARTICLE;
        assert!(!lists_ready() && !tagger_ready());
        assert_eq!(crate::gazetteer::lookup(&crate::normalize::key("أذربيجان")), 0, "no lists yet");
        let without_lists = crate::extract(text);
        assert!(matches!(
            install(DataKind::Gazetteer, &file(DataKind::Model)),
            Err(DataError::Gazetteer(ListsError::BadMagic))
        ));
        install(DataKind::Gazetteer, &file(DataKind::Gazetteer)).unwrap();
        assert!(lists_ready() && !tagger_ready());
        let first = crate::extract(text);
        assert_eq!(first, crate::extract_with(text, None));
        assert!(first.len() > without_lists.len(), "the gazetteers mark more once installed");
        for k in DataKind::ALL.into_iter().skip(1) {
            assert!(!tagger_ready());
            install(k, &file(k)).unwrap();
            assert!(installed(k));
        }
        assert!(tagger_ready());
        assert_eq!(
            install(DataKind::Names, &file(DataKind::Names)),
            Err(DataError::AlreadyInstalled(DataKind::Names))
        );
        let model = model().unwrap();
        let full = crate::extract(text);
        assert_eq!(
            full,
            crate::extract_with(text, Some(&|t: &[crate::Token]| model.spans_in(text, t)))
        );
        assert_ne!(full, first, "the tagger adds or changes marks on the seed article");
    }
}
