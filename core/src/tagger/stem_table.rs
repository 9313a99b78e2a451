//! Tables from a stem to a small value: word clusters learned from unlabeled Arabic Wikipedia (which of a
//! few hundred distributional classes a stem belongs to, [`clusters`]) and typed name lists (which kinds of
//! name list a stem occurs in, [`name_lists`]).
//!
//! Why: most names the tagger misses are words its training text never shows. Words used in the same
//! contexts in a large corpus (city names, given names, club names, ...) fall in the same cluster, so a
//! weight learned for a cluster from the names training does show carries over to the names it does not.
//!
//! Built at build time by `tools/clusters` (word2vec vectors clustered with k-means) and
//! `core/examples/build_clusters.rs` (stems as this tagger strips them; each stem takes the cluster of its
//! most frequent form). Stems are keyed by a 24-bit fingerprint of their hash, Rice-coded like the
//! lexicon's. CC BY-SA 4.0 like the text it comes from (`core/models/LICENSE.md`).
//!
//! The name lists come from `tools/names` (arwikicats, MIT; Wikidata names from arabic-name-romanizer,
//! CC0): every word of a listed name, with the bits of the lists it is in ([`lists`]). They are features
//! the model weighs, never decisions.
//!
//! Layout (little-endian):
//! ```text
//! magic "SAHIFACL" | version u32 | count u32 | rice k u32 | payload_len u32 | clusters u32
//! payload: Rice-coded gaps between sorted fingerprints | ids: count bytes
//! crc32 u32 (of every byte before it)
//! ```

use super::fingerprints;
use super::hash::{crc32, hash_bytes};
use std::collections::HashMap;

pub const MAGIC: &[u8; 8] = b"SAHIFACL";
pub const VERSION: u32 = 1;
const FP_BITS: u32 = 24;
const HEAD: usize = 8 + 20;

/// Why a stem table was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StemTableError {
    #[error("not a Sahifa stem table (bad magic header)")]
    BadMagic,
    #[error("stem table is truncated: needs {needed} bytes, has {has}")]
    Truncated { needed: usize, has: usize },
    #[error("unsupported stem table version {0} (this build reads {VERSION})")]
    Version(u32),
    #[error(
        "stem table is corrupted: checksum {computed:08x} does not match the stored {stored:08x}"
    )]
    Checksum { stored: u32, computed: u32 },
    #[error("stem table is corrupted: {0}")]
    Corrupt(&'static str),
}

/// Sorted stem fingerprints with their cluster ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StemTable {
    fps: Vec<u32>,
    ids: Vec<u8>,
    n_clusters: u32,
}

impl StemTable {
    /// Builds the table from `(stem hash, count, cluster)` triples (one per word form; `stem hash` is
    /// [`hash_bytes`] of the form's normalised, clitic-stripped stem): each stem takes the cluster with the
    /// largest count among its forms, and the `max_stems` stems with the largest counts are kept.
    pub fn from_forms(forms: impl IntoIterator<Item = (u64, u64, u8)>, max_stems: usize) -> Self {
        let mut per: HashMap<u64, HashMap<u8, u64>> = HashMap::new();
        let mut n_clusters = 0u32;
        for (h, c, k) in forms {
            *per.entry(h).or_default().entry(k).or_default() += c;
            n_clusters = n_clusters.max(k as u32 + 1);
        }
        let mut stems: Vec<(u64, u64, u8)> = per
            .into_iter()
            .map(|(h, ks)| {
                let total = ks.values().sum();
                // Largest count, then smallest id: no dependence on hash-map order.
                let (&k, _) = ks
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .expect("a stem has a form");
                (h, total, k)
            })
            .collect();
        stems.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        stems.truncate(max_stems);
        // Two stems may share a fingerprint: the more frequent one (earlier) keeps it.
        let mut seen = std::collections::HashSet::new();
        let mut pairs: Vec<(u32, u8)> = stems
            .into_iter()
            .map(|(h, _, k)| (fingerprints::of(h, FP_BITS), k))
            .filter(|(fp, _)| seen.insert(*fp))
            .collect();
        pairs.sort_unstable();
        StemTable {
            fps: pairs.iter().map(|p| p.0).collect(),
            ids: pairs.iter().map(|p| p.1).collect(),
            n_clusters,
        }
    }

    /// Builds a table of bit sets from `(stem hash, bits)` pairs: each stem keeps the OR of its forms'
    /// bits (the typed name lists: a stem may be a given name and a place).
    pub fn from_bits(forms: impl IntoIterator<Item = (u64, u8)>) -> Self {
        let mut per: HashMap<u64, u8> = HashMap::new();
        for (h, b) in forms {
            *per.entry(h).or_default() |= b;
        }
        let n = per.len();
        let mut t = StemTable::from_forms(per.into_iter().map(|(h, b)| (h, 1, b)), n);
        t.n_clusters = t.n_clusters.max(u8::MAX as u32 + 1);
        t
    }

    pub fn len(&self) -> usize {
        self.fps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fps.is_empty()
    }

    /// Number of distinct cluster ids (one more than the largest).
    pub fn n_clusters(&self) -> u32 {
        self.n_clusters
    }

    /// Cluster of the stem with this hash ([`hash_bytes`] of its normalised, clitic-stripped form).
    #[inline]
    pub fn get(&self, stem_hash: u64) -> Option<u8> {
        self.fps
            .binary_search(&fingerprints::of(stem_hash, FP_BITS))
            .ok()
            .map(|i| self.ids[i])
    }

    /// Cluster of a normalised stem.
    pub fn get_stem(&self, stem: &str) -> Option<u8> {
        self.get(hash_bytes(stem.as_bytes()))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let (k, payload) = fingerprints::encode(&self.fps, FP_BITS);
        let mut out = Vec::with_capacity(HEAD + payload.len() + self.ids.len() + 4);
        out.extend_from_slice(MAGIC);
        let head = [
            VERSION,
            self.fps.len() as u32,
            k,
            payload.len() as u32,
            self.n_clusters,
        ];
        for v in head {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&payload);
        out.extend_from_slice(&self.ids);
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StemTableError> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(StemTableError::BadMagic);
        }
        if bytes.len() < HEAD + 4 {
            return Err(StemTableError::Truncated {
                needed: HEAD + 4,
                has: bytes.len(),
            });
        }
        let word = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().unwrap());
        let (version, count, k, plen, n_clusters) = (
            word(0),
            word(1) as usize,
            word(2),
            word(3) as usize,
            word(4),
        );
        if version != VERSION {
            return Err(StemTableError::Version(version));
        }
        let needed = HEAD
            .checked_add(plen)
            .and_then(|v| v.checked_add(count))
            .and_then(|v| v.checked_add(4))
            .ok_or(StemTableError::Corrupt("its sizes do not add up"))?;
        if needed > bytes.len() {
            return Err(StemTableError::Truncated {
                needed,
                has: bytes.len(),
            });
        }
        if needed < bytes.len() {
            return Err(StemTableError::Corrupt("bytes after the checksum"));
        }
        let body = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[body..].try_into().unwrap());
        let computed = crc32(&bytes[..body]);
        if stored != computed {
            return Err(StemTableError::Checksum { stored, computed });
        }
        let fps = fingerprints::decode(&bytes[HEAD..HEAD + plen], count, k, FP_BITS)
            .map_err(StemTableError::Corrupt)?;
        let ids = bytes[HEAD + plen..body].to_vec();
        if n_clusters > 256 || ids.iter().any(|&i| i as u32 >= n_clusters) {
            return Err(StemTableError::Corrupt("a cluster id out of range"));
        }
        Ok(StemTable {
            fps,
            ids,
            n_clusters,
        })
    }
}

/// The shipped word clusters (stem → cluster id): embedded or installed ([`crate::data`]).
///
/// # Panics
/// When they are neither (no `embedded-model` feature and not installed yet).
pub fn clusters() -> &'static StemTable {
    crate::data::clusters()
        .expect("the tagger's clusters are installed (sahifa_core::data::install)")
}

/// The shipped typed name lists (stem → bits of [`lists`]): embedded or installed ([`crate::data`]).
///
/// # Panics
/// When they are neither (no `embedded-model` feature and not installed yet).
pub fn name_lists() -> &'static StemTable {
    crate::data::names()
        .expect("the tagger's name lists are installed (sahifa_core::data::install)")
}

/// Type profiles from tagging unlabeled Arabic Wikipedia (stem → [`profile`] code), when a caller set
/// them for this thread with [`set_profiles`]; none by default (no profile features).
///
/// Per thread because each cross-validation fold (one thread each) must use the profile built by a model
/// that never saw its held-out part.
pub fn profiles() -> Option<&'static StemTable> {
    PROFILES.with(|p| p.get())
}

/// Sets (or clears) the type profiles [`profiles`] gives on this thread.
pub fn set_profiles(table: Option<&'static StemTable>) {
    PROFILES.with(|p| p.set(table))
}

thread_local! {
    static PROFILES: std::cell::Cell<Option<&'static StemTable>> = const { std::cell::Cell::new(None) };
}

/// How a stem was tagged across its occurrences in a large unlabeled corpus, bucketed into one byte.
///
/// Why: the names the tagger misses are names its training text never shows (clubs named after cities, a
/// story's bank, TV channels). A model tagging 7.8 million words of Wikipedia sees many of them in contexts
/// that give them away; the share of those contexts in which it called a stem a name, and which kind,
/// carries that over to text where the context does not.
pub mod profile {
    /// Tag counts of a stem, indexed like [`crate::tagger::Tag::index`]: O, B-PER, I-PER, B-LOC, I-LOC,
    /// B-ORG, I-ORG, B-MISC, I-MISC.
    pub type Counts = [u64; 9];

    /// The byte code of `c`: 0 when the stem is (almost) never tagged a name; else how often it is a name
    /// (3 buckets), its most frequent type, how much that type dominates (3 buckets) and whether it
    /// begins or continues names (3 buckets). At most 108.
    pub fn code(c: &Counts) -> u8 {
        let total: u64 = c.iter().sum();
        let names = total - c[0];
        if total == 0 || names * 20 < total {
            return 0;
        }
        let share = if names * 4 < total {
            0
        } else if names * 5 < total * 3 {
            1
        } else {
            2
        };
        let per_type: Vec<u64> = (0..4).map(|t| c[1 + 2 * t] + c[2 + 2 * t]).collect();
        // Most frequent type; ties go to the first.
        let (ty, top) = per_type
            .iter()
            .enumerate()
            .fold((0, 0), |b, (t, &n)| if n > b.1 { (t, n) } else { b });
        let purity = if top * 5 < names * 3 {
            0
        } else if top * 20 < names * 17 {
            1
        } else {
            2
        };
        let begins: u64 = (0..4).map(|t| c[1 + 2 * t]).sum();
        let begin = if begins * 10 < names * 3 {
            0
        } else if begins * 10 < names * 7 {
            1
        } else {
            2
        };
        (1 + (share * 4 + ty as u64) * 9 + purity * 3 + begin) as u8
    }

    /// The coarse part of a code: 0 for "never a name", else 1 + name-share bucket × 4 + type.
    pub fn coarse(code: u8) -> u8 {
        if code == 0 {
            0
        } else {
            1 + (code - 1) / 9
        }
    }
}

/// The bits of the typed name lists' values: which kinds of list a stem's forms occur in.
pub mod lists {
    pub const GIVEN: u8 = 1;
    pub const SURNAME: u8 = 2;
    pub const PERSON: u8 = 4;
    pub const PLACE: u8 = 8;
    pub const CLUB: u8 = 16;
    pub const NATIONALITY: u8 = 32;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StemTable {
        let h = |s: &str| hash_bytes(s.as_bytes());
        StemTable::from_forms(
            [
                (h("باريس"), 100, 3),
                (h("باريس"), 5, 7),
                (h("لندن"), 80, 3),
                (h("محمد"), 300, 9),
                (h("نادر"), 1, 9),
            ],
            3,
        )
    }

    #[test]
    fn majority_cluster_and_top_stems() {
        let c = sample();
        assert_eq!(c.len(), 3);
        assert_eq!(c.get_stem("باريس"), Some(3));
        assert_eq!(c.get_stem("محمد"), Some(9));
        assert_eq!(c.get_stem("نادر"), None, "the rarest stem is cut");
        assert_eq!(c.n_clusters(), 10);
    }

    #[test]
    fn profile_codes_bucket_name_share_type_purity_and_position() {
        use profile::{coarse, code};
        // O, B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG, B-MISC, I-MISC
        assert_eq!(code(&[0; 9]), 0);
        assert_eq!(code(&[7329, 0, 0, 0, 0, 0, 0, 0, 0]), 0, "never a name");
        assert_eq!(
            code(&[3207, 0, 1, 0, 0, 0, 5, 0, 0]),
            0,
            "a name under 5% of the time"
        );
        // Mostly an ORG that begins names (a club): share 2, type 2, purity 2, begins 2.
        let club = code(&[9, 0, 0, 0, 1, 15, 0, 0, 0]);
        assert_eq!(club, 1 + (2 * 4 + 2) * 9 + 2 * 3 + 2);
        assert_eq!(coarse(club), 1 + 2 * 4 + 2);
        // ليون: a given name, a city and a club; PER most often, not pure (341 of 461 names).
        let leon = code(&[70, 296, 45, 68, 9, 5, 37, 1, 0]);
        assert_eq!(leon, 1 + (2 * 4) * 9 + 3 + 2);
        // A name half the time (share 1), PER 80% (purity 1), always inside a name (begins 0).
        let inner = code(&[50, 0, 40, 0, 0, 0, 10, 0, 0]);
        assert_eq!(inner, 1 + 4 * 9 + 3);
        for c in [club, leon, inner] {
            assert!(c <= 108);
        }
    }

    #[test]
    fn round_trip() {
        let c = sample();
        assert_eq!(StemTable::from_bytes(&c.to_bytes()).unwrap(), c);
        assert!(!clusters().is_empty());
        assert!(!name_lists().is_empty());
    }

    #[test]
    fn rejects_damage_with_typed_errors() {
        let b = sample().to_bytes();
        assert_eq!(
            StemTable::from_bytes(b"SAHIFALX"),
            Err(StemTableError::BadMagic)
        );
        for cut in [10, HEAD + 3, b.len() - 1] {
            assert!(
                matches!(
                    StemTable::from_bytes(&b[..cut]),
                    Err(StemTableError::Truncated { .. })
                ),
                "cut at {cut}"
            );
        }
        let mut bad = b.clone();
        let last_id = bad.len() - 5;
        bad[last_id] ^= 0x40;
        assert!(matches!(
            StemTable::from_bytes(&bad),
            Err(StemTableError::Checksum { .. })
        ));
        let mut v = b.clone();
        v[8] = 9;
        assert_eq!(StemTable::from_bytes(&v), Err(StemTableError::Version(9)));
        let msg = StemTable::from_bytes(&b[..b.len() - 2])
            .unwrap_err()
            .to_string();
        assert!(msg.contains("truncated"), "{msg}");
    }
}
