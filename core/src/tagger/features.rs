//! Feature extraction for the tagger: every feature of a token becomes one bucket of a fixed-size hashed
//! table.
//!
//! Why hashing, and why by hand: a feature table keyed by strings would need a vocabulary in the model file
//! and a `HashMap` with a random seed at run time; hashing with a fixed function (FNV-1a over bytes, then a
//! 64-bit mixer) gives the same bucket on every platform, wasm32 included, needs no vocabulary, and lets the
//! extractor build no strings per feature: each token's key, stem and shape are hashed once into "atoms",
//! and a feature is the mix of a template id with one or two atoms. All buffers live in [`Extractor`] and
//! are reused from sentence to sentence.

use crate::gazetteer::{cat, longest_match_keys};
use crate::normalize::push_key;
use crate::tokenize::tokenize;
use std::ops::Range;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Version of the feature set; stored in the model file so that a model never runs with other features.
pub const FEATURE_VERSION: u32 = 1;

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a of a byte string (the atom of a piece of text).
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    fnv(FNV_OFFSET, bytes)
}

/// Combines two hashes (order matters) with the splitmix64 finaliser.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let mut x = a.rotate_left(23) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Feature templates; the numeric values are part of the model format (see [`FEATURE_VERSION`]).
#[derive(Clone, Copy)]
#[repr(u64)]
enum T {
    Bias = 1,
    Key,
    Stem,
    KeyPre,
    KeySuf,
    StemPre,
    StemSuf,
    Shape,
    Len,
    Clitics,
    WinKey,
    WinStem,
    BiKeyPrev,
    BiKeyNext,
    BiStemPrev,
    BiStemNext,
    Trigger,
    ShapeTri,
    Gaz,
    KeyTri,
}

/// Proclitic letters, in the normalised key (so ا/أ are already folded).
const PROCLITIC_CONJ: [char; 2] = ['و', 'ف'];
const PROCLITIC_PREP: [char; 3] = ['ب', 'ل', 'ك'];
/// Suffixes stripped for the stem, in key spelling (ة is folded to ه). Longest first.
const SUFFIXES: [&str; 8] = ["يه", "ها", "هم", "ون", "ين", "ات", "ان", "ي"];

/// The clitic-stripped stem of a key: `(stem range, proclitic code, suffix code)`. Proclitics: an optional
/// و/ف, an optional ب/ل/ك, then the article ال (or لل = ل + ال without alef). The stem keeps at least two
/// letters, so short words are left alone.
pub fn stem_range(key: &str) -> (Range<usize>, u8, u8) {
    let chars: Vec<(usize, char)> = key.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    let mut code = 0u8;
    let min_len = 2;
    let at = |i: usize| chars.get(i).map(|c| c.1);
    if n > i + min_len + 1 && at(i).is_some_and(|c| PROCLITIC_CONJ.contains(&c)) {
        i += 1;
        code |= 1;
    }
    if n > i + min_len + 1 && at(i).is_some_and(|c| PROCLITIC_PREP.contains(&c)) {
        // لل: preposition ل before an article whose alef is dropped.
        if at(i) == Some('ل') && at(i + 1) == Some('ل') && n > i + 2 + min_len {
            i += 2;
            code |= 2 | 4;
        } else if at(i + 1) == Some('ا') && at(i + 2) == Some('ل') && n > i + 3 + min_len {
            i += 3;
            code |= 2 | 4;
        } else {
            i += 1;
            code |= 2;
        }
    }
    if code & 4 == 0 && at(i) == Some('ا') && at(i + 1) == Some('ل') && n > i + 2 + min_len {
        i += 2;
        code |= 4;
    }
    let start = chars.get(i).map_or(key.len(), |c| c.0);
    let mut end = key.len();
    let mut suf = 0u8;
    for (k, s) in SUFFIXES.iter().enumerate() {
        if key[start..].ends_with(s) && key[start..end - s.len()].chars().count() >= 3 {
            end -= s.len();
            suf = k as u8 + 1;
            break;
        }
    }
    (start..end, code, suf)
}

/// Script class of a char for the word shape.
fn class(c: char) -> u8 {
    if crate::normalize::is_arabic_letter(c) {
        b'a'
    } else if c.is_ascii_digit() {
        b'd'
    } else if c.is_ascii_alphabetic() {
        b'L'
    } else if c.is_alphabetic() {
        b'x'
    } else if c.is_numeric() {
        b'd'
    } else {
        b'p'
    }
}

/// Trigger classes: words near a name that say what kind of name it is.
pub mod trigger {
    pub const TITLE: u8 = 1;
    pub const ORG_HEAD: u8 = 2;
    pub const SPEECH: u8 = 3;
    pub const PLACE: u8 = 4;
    pub const NATIONALITY: u8 = 5;
}

const TRIGGERS: &[(u8, &[&str])] = &[
    (
        trigger::TITLE,
        &[
            "الرئيس", "رئيس", "وزير", "الوزير", "الملك", "الامير", "الشيخ", "السيد", "السيدة", "الدكتور",
            "المستشار", "زعيم", "الزعيم", "السفير", "نائب", "المتحدث", "الناطق", "الجنرال", "العقيد", "اللواء",
            "المدرب", "اللاعب", "الامين", "امين", "مدير", "المدير", "رئيسة", "المبعوث", "القائد", "قائد",
            "البابا", "الرئيسة", "العاهل", "ولي", "الفنان", "الكاتب", "الشاعر", "المخرج", "النجم", "الممثل",
            "مستشار", "السناتور", "النائب", "القاضي", "المحامي", "الاستاذ", "المفكر", "المرشح", "الحاخام", "المطرب",
        ],
    ),
    (
        trigger::ORG_HEAD,
        &[
            "وزارة", "مجموعة", "حزب", "شركة", "جامعة", "منظمة", "مجلس", "اتحاد", "جمعية", "حركة", "بنك", "هيئة",
            "وكالة", "لجنة", "صحيفة", "مؤسسة", "جبهة", "البنك", "المنتخب", "نادي", "محكمة", "برنامج", "مركز",
            "معهد", "قناة", "مجلة", "اذاعة", "تلفزيون", "الاتحاد", "منتخب", "فريق", "الحزب", "المجلس",
            "رابطة", "نقابة", "ائتلاف", "تنظيم", "صندوق", "الوكالة", "المنظمة", "الجامعة", "الشركة", "حكومة",
        ],
    ),
    (
        trigger::SPEECH,
        &[
            "قال", "اعلن", "صرح", "اكد", "اضاف", "اوضح", "ذكر", "اشار", "قالت", "اعلنت", "اكدت", "اضافت",
            "اوضحت", "ذكرت", "اشارت", "يقول", "تقول", "صرحت", "افاد", "افادت", "نقلت", "نقل", "دعا", "طالب",
        ],
    ),
    (
        trigger::PLACE,
        &[
            "مدينة", "عاصمة", "العاصمة", "شمال", "جنوب", "شرق", "غرب", "ولاية", "منطقة", "جزيرة", "دولة",
            "بلاد", "اقليم", "محافظة", "قرية", "بلدة", "مقاطعة", "شمالي", "جنوبي", "شرقي", "غربي", "نهر",
            "بحر", "جبال", "جبل", "سواحل", "حدود", "مطار", "ميناء", "في", "الى", "من",
        ],
    ),
];

fn trigger_table() -> &'static Vec<(u64, u8)> {
    static TABLE: std::sync::OnceLock<Vec<(u64, u8)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        let mut buf = String::new();
        for (class, words) in TRIGGERS {
            for w in *words {
                buf.clear();
                push_key(w, &mut buf);
                v.push((hash_bytes(buf.as_bytes()), *class));
            }
        }
        v.sort_unstable();
        v.dedup_by_key(|e| e.0);
        v
    })
}

fn trigger_of(key_hash: u64) -> u8 {
    let t = trigger_table();
    t.binary_search_by_key(&key_hash, |e| e.0).map_or(0, |i| t[i].1)
}

/// Pushes prefix and suffix features of `s` of 1..=max chars (a word shorter than `max` gives fewer).
fn affixes(s: &str, pre: u64, suf: u64, max: usize, out: &mut Vec<u64>) {
    let nchars = s.chars().count();
    let upto = max.min(nchars.saturating_sub(1)).max(1).min(nchars);
    let mut ends = s.char_indices().map(|(i, _)| i).skip(1).chain(std::iter::once(s.len()));
    for k in 1..=upto {
        let e = ends.next().unwrap_or(s.len());
        out.push(mix(mix(pre, k as u64), hash_bytes(&s.as_bytes()[..e])));
    }
    let mut starts = s.char_indices().rev().map(|(i, _)| i);
    for k in 1..=upto {
        let b = starts.next().unwrap_or(0);
        out.push(mix(mix(suf, k as u64), hash_bytes(&s.as_bytes()[b..])));
    }
}

/// Per-token precomputed atoms.
#[derive(Clone, Copy, Default)]
struct Atoms {
    key: u64,
    stem: u64,
    shape: u64,
    trig: u8,
}

const BOS: [u64; 2] = [0x5eed_0001, 0x5eed_0002];
const EOS: [u64; 2] = [0x5eed_0003, 0x5eed_0004];

/// A gazetteer hit attached to a token: `(list id, position)` with position 0 = begins a multi-token match
/// or is a single-token match, 1 = inside one. Any source (the core's gazetteers) can fill these.
pub type GazHit = (u16, u8);

/// Reusable feature extractor. After [`Extractor::extract`], [`Extractor::features`] gives each token's
/// bucket ids.
#[derive(Default)]
pub struct Extractor {
    key_buf: String,
    key_ranges: Vec<Range<usize>>,
    atoms: Vec<Atoms>,
    ids: Vec<u32>,
    starts: Vec<usize>,
    stems: Vec<(Range<usize>, u8, u8)>,
    local: Vec<u64>,
}

impl Extractor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of tokens of the last extraction.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bucket ids of token `i` of the last extraction.
    #[inline]
    pub fn features(&self, i: usize) -> &[u32] {
        &self.ids[self.starts[i]..self.starts[i + 1]]
    }

    /// Extracts features of `words` into buckets of a table with `1 << bits` rows. `gaz` (empty, or one
    /// list per word) holds gazetteer hits.
    pub fn extract<S: AsRef<str>>(&mut self, words: &[S], gaz: &[Vec<GazHit>], bits: u32) {
        let n = words.len();
        self.key_buf.clear();
        self.key_ranges.clear();
        self.atoms.clear();
        self.ids.clear();
        self.starts.clear();
        for w in words {
            let s = self.key_buf.len();
            push_key(w.as_ref(), &mut self.key_buf);
            self.key_ranges.push(s..self.key_buf.len());
        }
        self.stems.clear();
        let stems = &mut self.stems;
        for (i, w) in words.iter().enumerate() {
            let key = &self.key_buf[self.key_ranges[i].clone()];
            let (sr, pc, sc) = stem_range(key);
            let stem = &key[sr.clone()];
            let key_h = hash_bytes(key.as_bytes());
            // Shape: classes of the raw word's chars, runs collapsed, at most 4.
            let mut shape = FNV_OFFSET;
            let mut last = 0u8;
            let mut runs = 0;
            for c in w.as_ref().chars() {
                if crate::normalize::is_arabic_mark(c) {
                    continue;
                }
                let k = class(c);
                if k != last && runs < 4 {
                    shape = fnv(shape, &[k]);
                    runs += 1;
                    last = k;
                }
            }
            let trig = match trigger_of(key_h) {
                0 => trigger_of(hash_bytes(stem.as_bytes())),
                t => t,
            };
            self.atoms.push(Atoms { key: key_h, stem: hash_bytes(stem.as_bytes()), shape, trig });
            stems.push((sr, pc, sc));
        }
        let shift = 64 - bits;
        let atoms = &self.atoms;
        let atom = |i: isize| -> Atoms {
            if i < 0 {
                let b = BOS[(-i - 1) as usize];
                Atoms { key: b, stem: b, shape: b, trig: 0 }
            } else if i as usize >= n {
                let e = EOS[i as usize - n];
                Atoms { key: e, stem: e, shape: e, trig: 0 }
            } else {
                atoms[i as usize]
            }
        };
        let local = &mut self.local;
        let out = &mut self.ids;
        let starts = &mut self.starts;
        let mut count = 0usize;
        for i in 0..n {
            starts.push(count);
            local.clear();
            let a = self.atoms[i];
            let key = &self.key_buf[self.key_ranges[i].clone()];
            let (sr, pc, sc) = self.stems[i].clone();
            let stem = &key[sr];
            local.push(T::Bias as u64);
            local.push(mix(T::Key as u64, a.key));
            local.push(mix(T::Stem as u64, a.stem));
            affixes(key, T::KeyPre as u64, T::KeySuf as u64, 4, local);
            if stem.len() != key.len() {
                affixes(stem, T::StemPre as u64, T::StemSuf as u64, 3, local);
            }
            local.push(mix(T::Shape as u64, a.shape));
            local.push(mix(T::Len as u64, stem.chars().count().min(12) as u64));
            local.push(mix(T::Clitics as u64, (pc as u64) << 8 | sc as u64));
            for (k, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                let b = atom(i as isize + off);
                local.push(mix(mix(T::WinKey as u64, k as u64), b.key));
                local.push(mix(mix(T::WinStem as u64, k as u64), b.stem));
            }
            let (p, nx) = (atom(i as isize - 1), atom(i as isize + 1));
            local.push(mix(mix(T::BiKeyPrev as u64, p.key), a.key));
            local.push(mix(mix(T::BiKeyNext as u64, a.key), nx.key));
            local.push(mix(mix(T::BiStemPrev as u64, p.stem), a.stem));
            local.push(mix(mix(T::BiStemNext as u64, a.stem), nx.stem));
            local.push(mix(mix(mix(T::KeyTri as u64, p.stem), a.shape), nx.stem));
            local.push(mix(mix(mix(T::ShapeTri as u64, p.shape), a.shape), nx.shape));
            for off in -2isize..=2 {
                let b = atom(i as isize + off);
                if b.trig != 0 {
                    local.push(mix(T::Trigger as u64, ((off + 2) as u64) << 8 | b.trig as u64));
                }
            }
            if !gaz.is_empty() {
                for off in -1isize..=1 {
                    let j = i as isize + off;
                    if j < 0 || j as usize >= n {
                        continue;
                    }
                    for &(list, pos) in &gaz[j as usize] {
                        let v = ((off + 1) as u64) << 24 | (list as u64) << 8 | pos as u64;
                        local.push(mix(T::Gaz as u64, v));
                    }
                }
            }
            for &h in local.iter() {
                out.push((mix(h, 0x51ed_270b) >> shift) as u32);
            }
            count += local.len();
        }
        starts.push(count);
    }
}

/// Gazetteer categories that become features, with their list ids.
const GAZ_CATS: [u64; 13] = [
    cat::LOC,
    cat::ORG,
    cat::PER,
    cat::GIVEN,
    cat::TITLE,
    cat::NAT,
    cat::ORGHEAD,
    cat::MONTH,
    cat::DAY,
    cat::NUMWORD,
    cat::MISC,
    cat::LOCHEAD,
    cat::SURNAME,
];

/// Gazetteer hits of each word: the words are tokenised with the core's tokeniser (so proclitics are
/// split off the way the gazetteer expects), every longest list match starting at a word is found, and each
/// word it covers gets `(category, 0)` when the match begins there or `(category, 1)` inside it, plus
/// `(category, 2)` for a single-word match.
pub fn gazetteer_hits<S: AsRef<str>>(words: &[S], out: &mut Vec<Vec<GazHit>>) {
    out.clear();
    out.resize(words.len(), Vec::new());
    let mut text = String::new();
    let mut word_starts = Vec::with_capacity(words.len());
    let mut cp = 0usize;
    for w in words {
        word_starts.push(cp);
        text.push_str(w.as_ref());
        text.push(' ');
        cp += w.as_ref().chars().count() + 1;
    }
    let tokens = tokenize(&text);
    // Word index of each token, and whether the token is the first of its word.
    let mut tok_word = Vec::with_capacity(tokens.len());
    let mut w = 0usize;
    for t in &tokens {
        while w + 1 < word_starts.len() && word_starts[w + 1] <= t.start {
            w += 1;
        }
        tok_word.push(w);
    }
    let mask = GAZ_CATS.iter().fold(0, |m, c| m | c);
    for i in 0..tokens.len() {
        if i > 0 && tok_word[i - 1] == tok_word[i] {
            continue; // matches start at the first token of a word
        }
        let Some((end, bits)) = longest_match_keys(&tokens, i, mask, true) else { continue };
        let (first, last) = (tok_word[i], tok_word[end - 1]);
        for (k, c) in GAZ_CATS.iter().enumerate() {
            if bits & c == 0 {
                continue;
            }
            for (j, hits) in out.iter_mut().enumerate().take(last + 1).skip(first) {
                let pos = if first == last { 2 } else if j == first { 0 } else { 1 };
                hits.push((k as u16, pos));
            }
        }
    }
}
