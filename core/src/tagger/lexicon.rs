//! How a stem behaves in general Arabic text, from a large word-frequency list (wordfreq's Arabic list:
//! Wikipedia, subtitles, web and news text).
//!
//! Why: most names the tagger misses are words it never saw in training, and for those its only cues are
//! the context and the spelling. A large corpus adds a third: how the stem is used. Common nouns and
//! adjectives take the article ال, plural and nisba endings and pronoun suffixes; names mostly do not, and a
//! stem the list does not know at all is often a transliterated name. These statistics cost a few bits per
//! stem and gained about one F1 point in cross-validation (README).
//!
//! Stems are keyed by a 24-bit fingerprint of their hash (a false hit for an unknown stem is about
//! 1 in 1,000), stored sorted and Rice-coded; each carries a packed [`Stats`]. The file is built by
//! `core/examples/build_lexicon.rs` and embedded; [`Lexicon::from_bytes`] refuses a damaged file.
//!
//! Layout (little-endian):
//! ```text
//! magic "SAHIFALX" | version u32 | count u32 | rice k u32 | payload_len u32
//! payload: Rice-coded gaps between sorted fingerprints | codes: count low bytes, then count high bytes
//! crc32 u32 (of every byte before it)
//! ```

use super::fingerprints;
use super::hash::{crc32, hash_bytes};
use super::stem::stem_range_with;
use crate::normalize::push_key;
use std::collections::HashMap;

pub const MAGIC: &[u8; 8] = b"SAHIFALX";
pub const VERSION: u32 = 2;
const FP_BITS: u32 = 24;

/// Usage statistics of one stem, each a small bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Zipf frequency of all the stem's forms, 1..=7, less one.
    pub zipf: u8,
    /// Share of occurrences with the article ال (bucket 0..=3, see [`bucket`]).
    pub article: u8,
    /// Share with a plural or dual ending (ون ين ات ان).
    pub plural: u8,
    /// Share with a nisba ending (ي يه).
    pub nisba: u8,
    /// Share with a proclitic (و ف ب ل ك).
    pub proclitic: u8,
    /// Share with any stripped suffix.
    pub suffix: u8,
    /// The stem begins with ب, ل or ك that is part of the word, not a preposition (برنامج, لبنان), so
    /// the stemmer keeps it.
    pub whole: bool,
}

impl Stats {
    /// Packs into 16 bits: whole in bit 15, zipf 12–14, article 8–9, plural 6–7, nisba 4–5, proclitic 2–3,
    /// suffix 0–1.
    pub fn code(self) -> u16 {
        (self.whole as u16) << 15
            | (self.zipf as u16) << 12
            | (self.article as u16) << 8
            | (self.plural as u16) << 6
            | (self.nisba as u16) << 4
            | (self.proclitic as u16) << 2
            | self.suffix as u16
    }

    pub fn from_code(c: u16) -> Stats {
        Stats {
            zipf: (c >> 12 & 7) as u8,
            article: (c >> 8 & 3) as u8,
            plural: (c >> 6 & 3) as u8,
            nisba: (c >> 4 & 3) as u8,
            proclitic: (c >> 2 & 3) as u8,
            suffix: (c & 3) as u8,
            whole: c >> 15 != 0,
        }
    }
}

/// A share in four buckets: under 3 %, under 15 %, under 50 %, at least half.
pub fn bucket(share: f64) -> u8 {
    if share < 0.03 {
        0
    } else if share < 0.15 {
        1
    } else if share < 0.5 {
        2
    } else {
        3
    }
}

fn fingerprint(stem_hash: u64) -> u32 {
    fingerprints::of(stem_hash, FP_BITS)
}

/// Sorted stem fingerprints with their packed stats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lexicon {
    fps: Vec<u32>,
    codes: Vec<u16>,
}

impl Lexicon {
    /// Aggregates `(word, frequency)` pairs (frequency as a share of all words) by clitic-stripped stem,
    /// the way the tagger strips them, and keeps stems whose forms add up to at least `min_total`.
    ///
    /// First it decides which stems that begin with ب/ل/ك are whole words: those whose forms are mostly
    /// (by frequency) more frequent than the same form without that letter (برنامج against رنامج, لبنان
    /// against بنان, but بمصر against مصر), and frequent enough to be kept, so that the tagger's stemmer
    /// finds the mark at run time.
    pub fn from_frequencies<'a>(
        words: impl IntoIterator<Item = (&'a str, f64)>,
        min_total: f64,
    ) -> Self {
        let mut freq: HashMap<String, f64> = HashMap::new();
        let mut key = String::new();
        for (w, f) in words {
            key.clear();
            push_key(w, &mut key);
            if key.is_empty() || f.is_nan() || f <= 0.0 {
                continue;
            }
            *freq.entry(key.clone()).or_default() += f;
        }
        let mut keys: Vec<(&String, f64)> = freq.iter().map(|(k, &f)| (k, f)).collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        // Per candidate stem: the frequency of its forms that are more frequent than the same form
        // without the letter (a vote for whole), and of those that are less (a vote for a preposition).
        let mut weigh: HashMap<u64, (f64, f64)> = HashMap::new();
        for &(k, f) in &keys {
            let Some(first) = k.chars().next() else {
                continue;
            };
            if !"بلك".contains(first) {
                continue;
            }
            let (sr, _, _) = stem_range_with(k, |_| true);
            if sr.start != 0 {
                continue;
            }
            let rest = &k[first.len_utf8()..];
            let e = weigh.entry(hash_bytes(k[sr].as_bytes())).or_default();
            if f >= freq.get(rest).copied().unwrap_or(0.0) {
                e.0 += f;
            } else {
                e.1 += f;
            }
        }
        let whole: std::collections::HashSet<u64> = weigh
            .into_iter()
            .filter(|(_, (yes, no))| *yes >= min_total && yes >= no)
            .map(|(h, _)| h)
            .collect();
        // total, article, plural, nisba, proclitic, any suffix
        let mut acc: HashMap<u64, [f64; 6]> = HashMap::new();
        for &(k, f) in &keys {
            let (sr, pc, sc) =
                stem_range_with(k, |stem| whole.contains(&hash_bytes(stem.as_bytes())));
            let e = acc.entry(hash_bytes(k[sr].as_bytes())).or_default();
            e[0] += f;
            let flags = [
                pc & 4 != 0,
                (4..=7).contains(&sc),
                sc == 1 || sc == 8,
                pc & 3 != 0,
                sc != 0,
            ];
            for (k, on) in flags.into_iter().enumerate() {
                if on {
                    e[k + 1] += f;
                }
            }
        }
        // Two stems may share a fingerprint: the more frequent one keeps it.
        let mut best: HashMap<u32, (f64, u16)> = HashMap::new();
        for (h, e) in acc {
            let t = e[0];
            if t < min_total {
                continue;
            }
            let stats = Stats {
                zipf: ((t * 1e9).log10().floor().clamp(1.0, 7.0) as u8) - 1,
                article: bucket(e[1] / t),
                plural: bucket(e[2] / t),
                nisba: bucket(e[3] / t),
                proclitic: bucket(e[4] / t),
                suffix: bucket(e[5] / t),
                whole: whole.contains(&h),
            };
            let slot = best.entry(fingerprint(h)).or_insert((t, stats.code()));
            if t > slot.0 {
                *slot = (t, stats.code());
            }
        }
        let mut pairs: Vec<(u32, u16)> = best.into_iter().map(|(fp, (_, c))| (fp, c)).collect();
        pairs.sort_unstable();
        Lexicon {
            fps: pairs.iter().map(|p| p.0).collect(),
            codes: pairs.iter().map(|p| p.1).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.fps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fps.is_empty()
    }

    /// Stats of the stem with this hash ([`hash_bytes`] of its normalised, clitic-stripped form), if listed.
    #[inline]
    pub fn get(&self, stem_hash: u64) -> Option<Stats> {
        self.fps
            .binary_search(&fingerprint(stem_hash))
            .ok()
            .map(|i| Stats::from_code(self.codes[i]))
    }

    /// Stats of a word as it appears in text (normalised and clitic-stripped here, with this lexicon's
    /// say on which initial ب/ل/ك belong to the word).
    pub fn lookup(&self, word: &str) -> Option<Stats> {
        let mut key = String::new();
        push_key(word, &mut key);
        let (sr, _, _) = stem_range_with(&key, |stem| self.is_whole(stem));
        self.get(hash_bytes(key[sr].as_bytes()))
    }

    /// Whether `stem` (normalised, beginning with ب/ل/ك) is listed as a word whose initial letter is its
    /// own ([`Stats::whole`]).
    pub fn is_whole(&self, stem: &str) -> bool {
        self.get(hash_bytes(stem.as_bytes()))
            .is_some_and(|s| s.whole)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let (k, payload) = fingerprints::encode(&self.fps, FP_BITS);
        let mut out = Vec::with_capacity(28 + payload.len() + 2 * self.codes.len());
        out.extend_from_slice(MAGIC);
        for v in [VERSION, self.fps.len() as u32, k, payload.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&payload);
        // Low and high bytes apart: each plane is far more regular, so gzip packs it better.
        out.extend(self.codes.iter().map(|c| *c as u8));
        out.extend(self.codes.iter().map(|c| (*c >> 8) as u8));
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        const HEAD: usize = 8 + 16;
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err("not a Sahifa lexicon (bad magic header)".into());
        }
        if bytes.len() < HEAD + 4 {
            return Err(format!("lexicon file is truncated: {} bytes", bytes.len()));
        }
        let word = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().unwrap());
        let (version, count, k, plen) = (word(0), word(1) as usize, word(2), word(3) as usize);
        if version != VERSION {
            return Err(format!(
                "unsupported lexicon version {version} (this build reads {VERSION})"
            ));
        }
        let needed = HEAD
            .checked_add(plen)
            .and_then(|v| v.checked_add(count.checked_mul(2)?))
            .and_then(|v| v.checked_add(4));
        match needed {
            Some(needed) if needed == bytes.len() => {}
            Some(needed) if needed > bytes.len() => {
                return Err(format!(
                    "lexicon file is truncated: needs {needed} bytes, has {}",
                    bytes.len()
                ))
            }
            _ => return Err("lexicon file is corrupted: its sizes do not add up".into()),
        }
        let body = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[body..].try_into().unwrap());
        let computed = crc32(&bytes[..body]);
        if stored != computed {
            return Err(format!(
                "lexicon file is corrupted: checksum {computed:08x} does not match the stored {stored:08x}"
            ));
        }
        let fps = fingerprints::decode(&bytes[HEAD..HEAD + plen], count, k, FP_BITS)
            .map_err(|e| format!("lexicon file is corrupted: {e}"))?;
        let lo = &bytes[HEAD + plen..HEAD + plen + count];
        let hi = &bytes[HEAD + plen + count..body];
        let codes = lo
            .iter()
            .zip(hi)
            .map(|(&l, &h)| (h as u16) << 8 | l as u16)
            .collect();
        Ok(Lexicon { fps, codes })
    }
}

/// The shipped lexicon: embedded or installed ([`crate::data`]).
///
/// # Panics
/// When it is neither (no `embedded-model` feature and not installed yet).
pub fn embedded() -> &'static Lexicon {
    crate::data::lexicon().expect("the tagger's lexicon is installed (sahifa_core::data::install)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Lexicon {
        Lexicon::from_frequencies(
            [
                ("مهندس", 1e-4),
                ("المهندس", 2e-4),
                ("مهندسون", 5e-5),
                ("ومهندس", 1e-5),
                ("شولتز", 2e-6),
                ("وشولتز", 1e-7),
                ("نادر", 1e-9),
            ],
            1e-6,
        )
    }

    #[test]
    fn forms_of_a_stem_add_up_and_shares_are_bucketed() {
        let lex = sample();
        assert_eq!(lex.len(), 2, "the rare stem is left out");
        let book = lex.lookup("مهندس").expect("listed");
        // 3.65e-4 in all: zipf 5.56 -> bucket 4; article 2e-4 / 3.65e-4 = 55 %.
        assert_eq!(book.zipf, 4);
        assert_eq!(book.article, 3);
        assert_eq!(book.plural, 1, "5e-5 / 3.65e-4 = 14 %");
        assert_eq!(book.proclitic, 0, "1e-5 / 3.65e-4 = 2.7 %");
        // Any clitic form finds the same stem.
        assert_eq!(lex.lookup("والمهندسين"), Some(book));
        let name = lex.lookup("شولتز").expect("listed");
        assert_eq!((name.article, name.suffix), (0, 0));
        assert_eq!(name.proclitic, 1, "1e-7 / 2.1e-6 = 4.8 %");
        assert_eq!(lex.lookup("نادر"), None);
    }

    #[test]
    fn an_initial_letter_stays_when_the_word_needs_it() {
        let lex = Lexicon::from_frequencies(
            [
                ("برنامج", 2.7e-4),
                ("البرنامج", 1.3e-4),
                ("ببرنامج", 1e-5),
                ("رنامج", 1e-8),
                ("مصر", 3e-4),
                ("بمصر", 4e-5),
                ("لمصر", 2e-5),
            ],
            1e-6,
        );
        let program = lex.lookup("برنامج").expect("listed");
        assert!(program.whole, "{program:?}");
        // One stem for every form: with the article, with a preposition, alone.
        assert_eq!(lex.lookup("البرنامج"), Some(program));
        assert_eq!(lex.lookup("ببرنامج"), Some(program));
        assert_eq!(program.article, 2, "1.3e-4 / 4.1e-4 = 32 %");
        // بمصر is ب + مصر: the letter goes, and the forms add up under مصر.
        let egypt = lex.lookup("مصر").expect("listed");
        assert!(!egypt.whole);
        assert_eq!(lex.lookup("بمصر"), Some(egypt));
        assert_eq!(egypt.proclitic, 2, "6e-5 / 3.6e-4 = 17 %");
        assert_eq!(lex.len(), 2);
    }

    #[test]
    fn file_round_trip() {
        let lex = sample();
        assert_eq!(Lexicon::from_bytes(&lex.to_bytes()).unwrap(), lex);
        let empty = Lexicon::default();
        assert_eq!(Lexicon::from_bytes(&empty.to_bytes()).unwrap(), empty);
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let bytes = sample().to_bytes();
        let err = Lexicon::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        let mut flipped = bytes.clone();
        flipped[30] ^= 0x10;
        let err = Lexicon::from_bytes(&flipped).unwrap_err();
        assert!(err.contains("checksum"), "{err}");
        assert!(Lexicon::from_bytes(b"SAHIFATG")
            .unwrap_err()
            .contains("magic"));
    }

    #[test]
    fn the_shipped_lexicon_tells_common_nouns_from_names() {
        let lex = embedded();
        assert!(lex.len() > 10_000, "{} stems", lex.len());
        // الحكومة: a common noun, mostly with the article.
        let gov = lex.lookup("الحكومة").expect("listed");
        assert!(gov.article >= 2, "{gov:?}");
        // أوباما: a name, frequent but never with the article.
        let obama = lex.lookup("أوباما").expect("listed");
        assert_eq!(obama.article, 0, "{obama:?}");
        assert!(obama.zipf >= 3, "{obama:?}");
        assert_eq!(lex.lookup("باشينيانوف"), None);
        // Names and nouns that begin with ب/ل/ك keep the letter, so every form meets at one stem.
        for forms in [
            ["لبنان", "للبنان", "بلبنان", "ولبنان"],
            ["برنامج", "البرنامج", "ببرنامج", "وبرنامج"],
            ["بغداد", "لبغداد", "وبغداد", "ببغداد"],
        ] {
            let first = lex.lookup(forms[0]).expect("listed");
            assert!(first.whole, "{}: {first:?}", forms[0]);
            for f in &forms[1..] {
                assert_eq!(lex.lookup(f), Some(first), "{f}");
            }
        }
        assert_eq!(lex.lookup("بمصر"), lex.lookup("مصر"));
    }

    proptest! {
        #[test]
        fn any_fingerprint_set_round_trips(fps in proptest::collection::btree_map(0u32..(1 << FP_BITS), any::<u16>(), 0..300)) {
            let lex = Lexicon { fps: fps.keys().copied().collect(), codes: fps.values().copied().collect() };
            prop_assert_eq!(Lexicon::from_bytes(&lex.to_bytes()).unwrap(), lex);
        }

        #[test]
        fn damage_with_a_fresh_checksum_loads_or_fails_cleanly(pos in 8usize..60, byte in any::<u8>()) {
            let mut bytes = sample().to_bytes();
            let body = bytes.len() - 4;
            if pos < body {
                bytes[pos] = byte;
                let crc = crc32(&bytes[..body]);
                bytes[body..].copy_from_slice(&crc.to_le_bytes());
            }
            let _ = Lexicon::from_bytes(&bytes);
        }
    }
}
