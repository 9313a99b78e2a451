//! Feature extraction for the tagger: every feature of a token becomes one bucket of a fixed-size hashed
//! table.
//!
//! Why hashing, and why by hand: a feature table keyed by strings would need a vocabulary in the model file
//! and a `HashMap` with a random seed at run time; hashing with a fixed function (FNV-1a over bytes, then a
//! 64-bit mixer) gives the same bucket on every platform, wasm32 included, needs no vocabulary, and lets the
//! extractor build no strings per feature: each token's key, stem and shape are hashed once into "atoms",
//! and a feature is the mix of a template id with one or two atoms. All buffers live in [`Extractor`] and
//! are reused from sentence to sentence.

use super::hash::fnv;
use super::hash::WordHasher;
pub use super::hash::{hash_bytes, mix, FNV_OFFSET};
use super::lexicon::{self, Stats};
pub use super::stem::stem_range_with;
use super::stem_table;
use crate::gazetteer::{cat, longest_match_from, FirstWalks, ListToken};
use crate::normalize::push_key;
use crate::token::TokenKind;
use crate::tokenize::{tokenize, Token};
use std::collections::HashMap;
use std::ops::Range;

/// Version of the feature set; stored in the model file so that a model never runs with other features.
pub const FEATURE_VERSION: u32 = 4;

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
    CharGram,
    Mem,
    MemFrac,
    MemNb,
    Stage1,
    Rare,
    RareShape,
    RarePrev,
    RareNext,
    RareTri,
    Lex,
    LexArticle,
    LexSuffix,
    LexZipf,
    LexPrev,
    LexNext,
    LexEndings,
    Clu,
    CluWin,
    CluBi,
    CluShape,
    Domain,
    Names,
    NamesWin,
    Prof,
    ProfCoarse,
    ProfWin,
}

/// [`Atoms::lex`] of a stem the lexicon does not list (often a rare or transliterated name).
const LEX_ABSENT: u32 = u32::MAX;

/// The clitic-stripped stem of a key: `(stem range, proclitic code, suffix code)`. Proclitics: an optional
/// و/ف, an optional ب/ل/ك, then the article ال (or لل = ل + ال without alef). The stem keeps at least two
/// letters, so short words are left alone. An initial ب/ل/ك stays when the lexicon says the word is
/// whole ([`lexicon::Stats::whole`]): برنامج and لبنان are words, بمصر is ب + مصر.
pub fn stem_range(key: &str) -> (Range<usize>, u8, u8) {
    let lexicon = lexicon::embedded();
    stem_range_with(key, |stem| lexicon.is_whole(stem))
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
            "الرئيس",
            "رئيس",
            "وزير",
            "الوزير",
            "الملك",
            "الامير",
            "الشيخ",
            "السيد",
            "السيدة",
            "الدكتور",
            "المستشار",
            "زعيم",
            "الزعيم",
            "السفير",
            "نائب",
            "المتحدث",
            "الناطق",
            "الجنرال",
            "العقيد",
            "اللواء",
            "المدرب",
            "اللاعب",
            "الامين",
            "امين",
            "مدير",
            "المدير",
            "رئيسة",
            "المبعوث",
            "القائد",
            "قائد",
            "البابا",
            "الرئيسة",
            "العاهل",
            "ولي",
            "الفنان",
            "الكاتب",
            "الشاعر",
            "المخرج",
            "النجم",
            "الممثل",
            "مستشار",
            "السناتور",
            "النائب",
            "القاضي",
            "المحامي",
            "الاستاذ",
            "المفكر",
            "المرشح",
            "الحاخام",
            "المطرب",
        ],
    ),
    (
        trigger::ORG_HEAD,
        &[
            "وزارة",
            "مجموعة",
            "حزب",
            "شركة",
            "جامعة",
            "منظمة",
            "مجلس",
            "اتحاد",
            "جمعية",
            "حركة",
            "بنك",
            "هيئة",
            "وكالة",
            "لجنة",
            "صحيفة",
            "مؤسسة",
            "جبهة",
            "البنك",
            "المنتخب",
            "نادي",
            "محكمة",
            "برنامج",
            "مركز",
            "معهد",
            "قناة",
            "مجلة",
            "اذاعة",
            "تلفزيون",
            "الاتحاد",
            "منتخب",
            "فريق",
            "الحزب",
            "المجلس",
            "رابطة",
            "نقابة",
            "ائتلاف",
            "تنظيم",
            "صندوق",
            "الوكالة",
            "المنظمة",
            "الجامعة",
            "الشركة",
            "حكومة",
        ],
    ),
    (
        trigger::SPEECH,
        &[
            "قال",
            "اعلن",
            "صرح",
            "اكد",
            "اضاف",
            "اوضح",
            "ذكر",
            "اشار",
            "قالت",
            "اعلنت",
            "اكدت",
            "اضافت",
            "اوضحت",
            "ذكرت",
            "اشارت",
            "يقول",
            "تقول",
            "صرحت",
            "افاد",
            "افادت",
            "نقلت",
            "نقل",
            "دعا",
            "طالب",
        ],
    ),
    (
        trigger::PLACE,
        &[
            "مدينة",
            "عاصمة",
            "العاصمة",
            "شمال",
            "جنوب",
            "شرق",
            "غرب",
            "ولاية",
            "منطقة",
            "جزيرة",
            "دولة",
            "بلاد",
            "اقليم",
            "محافظة",
            "قرية",
            "بلدة",
            "مقاطعة",
            "شمالي",
            "جنوبي",
            "شرقي",
            "غربي",
            "نهر",
            "بحر",
            "جبال",
            "جبل",
            "سواحل",
            "حدود",
            "مطار",
            "ميناء",
            "في",
            "الى",
            "من",
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
    t.binary_search_by_key(&key_hash, |e| e.0)
        .map_or(0, |i| t[i].1)
}

/// Pushes prefix and suffix features of `s` of 1..=max chars (a word shorter than `max` gives fewer).
fn affixes(s: &str, pre: u64, suf: u64, max: usize, out: &mut Vec<u64>) {
    let nchars = s.chars().count();
    let upto = max.min(nchars.saturating_sub(1)).max(1).min(nchars);
    let mut ends = s
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain(std::iter::once(s.len()));
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
    /// The stem's [`lexicon::Stats`] code plus one; [`LEX_ABSENT`] when the lexicon does not list it, 0
    /// outside the sentence.
    lex: u32,
    /// 1 when the word is not in the training vocabulary (or seen there once), 2 outside the sentence.
    rare: u8,
    /// The stem's word cluster plus two; 1 when the table does not list it, 0 outside the sentence.
    clu: u16,
    /// Which typed name lists the stem occurs in ([`stem_table::lists`] bits; 0: none or outside).
    names: u8,
    /// The stem's [`stem_table::profile`] code plus two; 1 when the profile table does not list it, 0
    /// outside the sentence or without a profile table.
    prof: u8,
}

/// A word's [`Atoms`] as the tagger's document-wide table keeps them ([`Extractor::word_alone`] makes them,
/// [`Extractor::extract_known`] reads them).
#[derive(Clone, Copy, Default)]
pub struct WordAtoms(Atoms);

impl WordAtoms {
    /// Hash of the word's clitic-stripped stem (what [`Memory`] is keyed by).
    pub fn stem_hash(&self) -> u64 {
        self.0.stem
    }
}

/// The words seen at least twice in training, as a bitset over their key hashes.
///
/// Why: a word the tagger has (almost) never seen is much more likely to be a name than one it has, and
/// the hashed word features cannot tell "unseen" from "seen but neutral". Counting once-seen training words
/// as rare makes training see the rare-word situation as often as unseen text does.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Vocab {
    bits: u32,
    set: Vec<u64>,
}

impl Vocab {
    /// Bitset size used by training.
    pub const BITS: u32 = 17;

    /// The vocabulary of keys occurring at least `min_count` times in `sentences`.
    pub fn build<S: AsRef<str>>(sentences: &[Vec<S>], min_count: u32, bits: u32) -> Vocab {
        let mut counts: std::collections::BTreeMap<u64, u32> = std::collections::BTreeMap::new();
        let mut buf = String::new();
        for s in sentences {
            for w in s {
                buf.clear();
                push_key(w.as_ref(), &mut buf);
                *counts.entry(hash_bytes(buf.as_bytes())).or_default() += 1;
            }
        }
        let mut v = Vocab {
            bits,
            set: vec![0; (1usize << bits) / 64],
        };
        for (h, c) in counts {
            if c >= min_count {
                let b = v.slot(h);
                v.set[b / 64] |= 1 << (b % 64);
            }
        }
        v
    }

    /// Rebuilds a vocabulary from its bitset (as stored in a model file).
    pub fn from_words(bits: u32, set: Vec<u64>) -> Option<Vocab> {
        (bits == 0 && set.is_empty()
            || (6..=24).contains(&bits) && set.len() == (1usize << bits) / 64)
            .then_some(Vocab { bits, set })
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    pub fn words(&self) -> &[u64] {
        &self.set
    }

    fn slot(&self, h: u64) -> usize {
        (mix(h, 0x07ac_05e7) >> (64 - self.bits)) as usize
    }

    /// Is the key hash in the vocabulary? Always true for an empty vocabulary (no rare-word features).
    pub fn contains(&self, key_hash: u64) -> bool {
        if self.bits == 0 {
            return true;
        }
        let b = self.slot(key_hash);
        self.set[b / 64] & (1 << (b % 64)) != 0
    }
}

/// The table row of feature hash `h` in a table of `2^(64 - shift)` rows.
#[inline]
fn bucket(h: u64, shift: u32) -> u32 {
    (mix(h, 0x51ed_270b) >> shift) as u32
}

const BOS: [u64; 2] = [0x5eed_0001, 0x5eed_0002];
const EOS: [u64; 2] = [0x5eed_0003, 0x5eed_0004];

/// A gazetteer hit attached to a token: `(list id, position)` with position 0 = begins a multi-token match
/// or is a single-token match, 1 = inside one. Any source (the core's gazetteers) can fill these.
pub type GazHit = (u16, u8);

/// What a word alone determines: its atoms (all but `rare`, which depends on the model's vocabulary), its
/// normalised key (in [`Extractor`]'s key buffer) and its stem's place in the key with the proclitic and
/// suffix codes.
///
/// (A cache of these alone per distinct word was tried and made tagging about 10% slower: the hash map's
/// misses cost more than the look-ups saved. [`WordCache`] pays off because it also saves the word
/// features' hashing and table reads: the caller scores them once a word.)
struct WordEntry {
    atoms: Atoms,
    key: Range<usize>,
    stem: Range<usize>,
    clitics: (u8, u8),
}

/// Works out word `w`'s [`WordEntry`], appending its key to `keys`.
fn word_entry(
    w: &str,
    keys: &mut String,
    lexicon: &lexicon::Lexicon,
    clusters: &stem_table::StemTable,
    name_lists: &stem_table::StemTable,
    profiles: Option<&stem_table::StemTable>,
) -> WordEntry {
    let begin = keys.len();
    push_key(w, keys);
    let key = &keys[begin..];
    let (sr, pc, sc) = stem_range(key);
    let stem = &key[sr.clone()];
    let key_h = hash_bytes(key.as_bytes());
    // Shape: classes of the raw word's chars, runs collapsed, at most 4.
    let mut shape = FNV_OFFSET;
    let mut last = 0u8;
    let mut runs = 0;
    for c in w.chars() {
        if crate::normalize::fold_char(c) == crate::normalize::Fold::Drop {
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
    let stem_h = hash_bytes(stem.as_bytes());
    let lex = lexicon
        .get(stem_h)
        .map_or(LEX_ABSENT, |s| s.code() as u32 + 1);
    let clu = clusters.get(stem_h).map_or(1, |k| k as u16 + 2);
    let names = name_lists.get(stem_h).unwrap_or(0);
    // A profile table may list only the stems ever tagged a name: a stem the word clusters know (frequent
    // in the same corpus) that it lacks was (almost) never one, code 0.
    let prof = profiles.map_or(0, |t| {
        t.get(stem_h).map_or(if clu > 1 { 2 } else { 1 }, |c| c + 2)
    });
    WordEntry {
        atoms: Atoms {
            key: key_h,
            stem: stem_h,
            shape,
            trig,
            lex,
            rare: 0,
            clu,
            names,
            prof,
        },
        key: begin..keys.len(),
        stem: begin + sr.start..begin + sr.end,
        clitics: (pc, sc),
    }
}

/// Pushes the features of a word alone (form, stem, affixes, letter trigrams, shape, length, clitics).
fn word_features(key: &str, stem: &str, (pc, sc): (u8, u8), a: &Atoms, local: &mut Vec<u64>) {
    local.push(T::Bias as u64);
    local.push(mix(T::Key as u64, a.key));
    local.push(mix(T::Stem as u64, a.stem));
    affixes(key, T::KeyPre as u64, T::KeySuf as u64, 4, local);
    if stem.len() != key.len() {
        affixes(stem, T::StemPre as u64, T::StemSuf as u64, 3, local);
    }
    // Letter trigrams of the stem: transliterated foreign names share them. Each char boundary from the
    // third on ends the trigram that starts three chars before it.
    let b = stem.as_bytes();
    let mut cs = stem
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(b.len()));
    let mut win = [0usize; 3];
    for (k, c) in cs.by_ref().take(3).enumerate() {
        win[k] = c;
    }
    for end in cs {
        local.push(mix(T::CharGram as u64, hash_bytes(&b[win[0]..end])));
        win = [win[1], win[2], end];
    }
    local.push(mix(T::Shape as u64, a.shape));
    local.push(mix(T::Len as u64, stem.chars().count().min(12) as u64));
    local.push(mix(T::Clitics as u64, (pc as u64) << 8 | sc as u64));
}

/// Which of [`Extractor`]'s extractions `extract_with` does.
#[derive(Clone, Copy)]
enum Mode<'k> {
    /// [`Extractor::extract`]: every feature of every token.
    Whole,
    /// [`Extractor::extract_split`]: words remembered by their bytes in the [`WordCache`].
    Cached,
    /// [`Extractor::extract_known`]: word i's atoms are `table[numbers[i]]`.
    Known(&'k [u32], &'k [WordAtoms]),
    /// [`Extractor::word_alone`]: one word, not remembered.
    Alone,
}

/// Reusable feature extractor. After [`Extractor::extract`], [`Extractor::features`] gives each token's
/// bucket ids.
#[derive(Default)]
pub struct Extractor {
    /// The sentence's words' keys, one after another.
    keys: String,
    atoms: Vec<Atoms>,
    ids: Vec<u32>,
    starts: Vec<usize>,
    words: Vec<WordEntry>,
    local: Vec<u64>,
    /// Per token: where its general features end in `ids` (domain copies follow).
    general: Vec<usize>,
    domain: u8,
    domain_copies: bool,
    /// The word features of a word's first occurrence, when [`Extractor::extract_split`] is used.
    local_word: Vec<u64>,
    /// Distinct words seen by [`Extractor::extract_split`] since [`Extractor::new`].
    seen: WordCache,
    /// Per token of the last [`Extractor::extract_split`]: its word's entry in `seen`.
    slots: Vec<u32>,
}

/// The distinct words an [`Extractor`] has met through [`Extractor::extract_split`], each with its
/// [`Atoms`]; the word features of those met in the last call wait in `fresh` for the caller to score.
///
/// Why: news text repeats its words (ANERcorp's 125k tokens hold about a fifth as many distinct words),
/// and about half of a token's features depend on its word alone (form, stem, affixes, letter trigrams,
/// shape, lexicon, cluster and name-list features). Working them out and scoring them once a word rather
/// than once a token saves most of the feature building and half the table reads. A word is keyed by its
/// bytes, compared in full, so a hash collision only costs a second entry.
#[derive(Default)]
struct WordCache {
    index: std::collections::HashMap<u64, u32, StemHasher>,
    /// Entry e's word is `text[spans[e].0..spans[e].1]`.
    text: String,
    spans: Vec<(u32, u32)>,
    atoms: Vec<Atoms>,
    /// Entries added by the last call, each with the end of its word features' ids in `fresh_ids`.
    fresh: Vec<(u32, usize)>,
    fresh_ids: Vec<u32>,
}

impl WordCache {
    /// The entry of word `w` with hash `h`, if it was met before.
    fn find(&self, w: &str, h: u64) -> Option<u32> {
        let &e = self.index.get(&h)?;
        let (a, b) = self.spans[e as usize];
        (&self.text[a as usize..b as usize] == w).then_some(e)
    }

    /// Adds word `w` (hash `h`) with its atoms; its entry.
    fn add(&mut self, w: &str, h: u64, atoms: Atoms) -> u32 {
        let e = self.atoms.len() as u32;
        let a = self.text.len() as u32;
        self.text.push_str(w);
        self.spans.push((a, self.text.len() as u32));
        self.atoms.push(atoms);
        self.index.entry(h).or_insert(e);
        e
    }
}

impl Extractor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of tokens of the last extraction.
    /// Which corpus the next sentences come from: 0 (news, and all text at tagging time) adds no
    /// feature; another value adds a per-domain bias, so a training corpus that tags differently (WikiFANE)
    /// moves that bias rather than the weights news text uses.
    ///
    /// With `copies` a sentence of another domain also gets a domain-specific copy of each of its features
    /// (Daumé 2007, "frustratingly easy domain adaptation"): what only that corpus does (its own tagging
    /// conventions) can be learned by the copies, which news text never looks up. Their ids lie in
    /// `2^bits..2^(bits+1)`, rows the model file never holds.
    pub fn set_domain(&mut self, domain: u8, copies: bool) {
        self.domain = domain;
        self.domain_copies = copies;
    }

    /// End of token `i`'s general features in [`Extractor::raw`]'s ids (domain copies lie after it).
    pub fn general_end(&self, i: usize) -> usize {
        self.general[i]
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hash of token `i`'s clitic-stripped stem (what [`Memory`] is keyed by).
    pub fn stem_hash(&self, i: usize) -> u64 {
        self.atoms[i].stem
    }

    /// All bucket ids of the last extraction and where each token's begin (`starts[i]..starts[i + 1]`).
    pub fn raw(&self) -> (&[u32], &[usize]) {
        (&self.ids, &self.starts)
    }

    /// Bucket ids of token `i` of the last extraction.
    #[inline]
    pub fn features(&self, i: usize) -> &[u32] {
        &self.ids[self.starts[i]..self.starts[i + 1]]
    }

    /// After [`Extractor::extract_split`]: token `i`'s word, as an entry number (0, 1, 2, … in the
    /// order words were first met).
    pub fn word_slot(&self, i: usize) -> u32 {
        self.slots[i]
    }

    /// After [`Extractor::extract_split`]: the words met for the first time, in entry order, each with
    /// its word features' bucket ids.
    pub fn fresh_words(&self) -> impl Iterator<Item = (u32, &[u32])> {
        let ids = &self.seen.fresh_ids;
        let ends = self.seen.fresh.iter().map(|&(_, end)| end);
        let begins = std::iter::once(0).chain(ends.clone());
        self.seen
            .fresh
            .iter()
            .zip(begins.zip(ends))
            .map(move |(&(e, _), (a, b))| (e, &ids[a..b]))
    }

    /// [`Extractor::extract`] with each token's features in two parts, whose union is exactly what
    /// `extract` gives: those of its word alone, which it works out for a word's first occurrence only
    /// (see [`Extractor::fresh_words`] and [`Extractor::word_slot`]), and those of its context and
    /// gazetteer hits ([`Extractor::raw`]). Words are remembered across calls. Not with domain copies.
    pub fn extract_split<S: AsRef<str>>(
        &mut self,
        words: &[S],
        gaz: &[Vec<GazHit>],
        vocab: &Vocab,
        bits: u32,
    ) {
        assert!(!self.domain_copies, "extract_split: no domain copies");
        self.extract_with(words, Mode::Cached, gaz, vocab, bits)
    }

    /// [`Extractor::extract_split`] of words whose atoms the caller worked out before with
    /// [`Extractor::word_alone`]: word i's are `table[numbers[i]]`, and its word features are the caller's
    /// too, so only the context and gazetteer features are extracted ([`Extractor::raw`]; no fresh words,
    /// and [`Extractor::word_slot`] is the word's number).
    pub fn extract_known<S: AsRef<str>>(
        &mut self,
        words: &[S],
        numbers: &[u32],
        table: &[WordAtoms],
        gaz: &[Vec<GazHit>],
        vocab: &Vocab,
        bits: u32,
    ) {
        assert!(!self.domain_copies, "extract_split: no domain copies");
        assert_eq!(numbers.len(), words.len(), "a number per word");
        self.extract_with(words, Mode::Known(numbers, table), gaz, vocab, bits)
    }

    /// Word `w`'s atoms and the bucket ids of its word features: what [`Extractor::extract_split`] works
    /// out at a word's first occurrence, for a table shared by many extractions
    /// ([`Extractor::extract_known`]). Clears the last extraction.
    pub fn word_alone(&mut self, w: &str, vocab: &Vocab, bits: u32) -> (WordAtoms, &[u32]) {
        assert!(!self.domain_copies, "extract_split: no domain copies");
        self.extract_with(&[w], Mode::Alone, &[], vocab, bits);
        (WordAtoms(self.atoms[0]), &self.seen.fresh_ids)
    }

    /// Extracts features of `words` into buckets of a table with `1 << bits` rows. `gaz` (empty, or one
    /// list per word) holds gazetteer hits.
    pub fn extract<S: AsRef<str>>(
        &mut self,
        words: &[S],
        gaz: &[Vec<GazHit>],
        vocab: &Vocab,
        bits: u32,
    ) {
        self.extract_with(words, Mode::Whole, gaz, vocab, bits)
    }

    /// [`Extractor::extract`] or one of its split forms, as `mode` says.
    fn extract_with<S: AsRef<str>>(
        &mut self,
        words: &[S],
        mode: Mode,
        gaz: &[Vec<GazHit>],
        vocab: &Vocab,
        bits: u32,
    ) {
        let split = !matches!(mode, Mode::Whole);
        let n = words.len();
        let lexicon = lexicon::embedded();
        let clusters = stem_table::clusters();
        let name_lists = stem_table::name_lists();
        let profiles = stem_table::profiles();
        self.atoms.clear();
        self.ids.clear();
        self.starts.clear();
        self.keys.clear();
        self.words.clear();
        self.slots.clear();
        self.seen.fresh.clear();
        self.seen.fresh_ids.clear();
        // Per token: whether its word features are wanted (always, unless split and met before).
        let mut fresh = Vec::with_capacity(n);
        for (k, w) in words.iter().enumerate() {
            let w = w.as_ref();
            let h = matches!(mode, Mode::Cached).then(|| hash_bytes(w.as_bytes()));
            let met = match mode {
                Mode::Known(numbers, table) => Some((numbers[k], table[numbers[k] as usize].0)),
                _ => h
                    .and_then(|h| self.seen.find(w, h))
                    .map(|e| (e, self.seen.atoms[e as usize])),
            };
            if let Some((e, a)) = met {
                self.atoms.push(a);
                self.slots.push(e);
                self.words.push(WordEntry {
                    atoms: a,
                    key: 0..0,
                    stem: 0..0,
                    clitics: (0, 0),
                });
                fresh.push(false);
                continue;
            }
            let e = word_entry(w, &mut self.keys, lexicon, clusters, name_lists, profiles);
            let mut a = e.atoms;
            a.rare = u8::from(!vocab.contains(a.key));
            match h {
                Some(h) => self.slots.push(self.seen.add(w, h, a)),
                None if split => self.slots.push(0), // alone: not remembered
                None => {}
            }
            self.atoms.push(a);
            self.words.push(e);
            fresh.push(true);
        }
        let shift = 64 - bits;
        let atoms = &self.atoms;
        let atom = |i: isize| -> Atoms {
            if i < 0 {
                let b = BOS[(-i - 1) as usize];
                Atoms {
                    key: b,
                    stem: b,
                    shape: b,
                    trig: 0,
                    lex: 0,
                    rare: 2,
                    clu: 0,
                    names: 0,
                    prof: 0,
                }
            } else if i as usize >= n {
                let e = EOS[i as usize - n];
                Atoms {
                    key: e,
                    stem: e,
                    shape: e,
                    trig: 0,
                    lex: 0,
                    rare: 2,
                    clu: 0,
                    names: 0,
                    prof: 0,
                }
            } else {
                atoms[i as usize]
            }
        };
        let local = &mut self.local;
        let general = &mut self.general;
        general.clear();
        let copies = (self.domain != 0 && self.domain_copies).then_some(self.domain as u64);
        let out = &mut self.ids;
        let starts = &mut self.starts;
        let mut count = 0usize;
        let local_word = &mut self.local_word;
        let seen = &mut self.seen;
        for i in 0..n {
            starts.push(count);
            local.clear();
            local_word.clear();
            let a = self.atoms[i];
            let e = &self.words[i];
            let keys = &self.keys;
            // Features of the word alone go to `local` with the rest, in the order training saw them,
            // or with `split` apart and only for a word's first occurrence.
            let fresh = fresh[i];
            macro_rules! word {
                ($h:expr) => {
                    if !split {
                        local.push($h)
                    } else if fresh {
                        local_word.push($h)
                    }
                };
            }
            if fresh {
                let (key, stem) = (&keys[e.key.clone()], &keys[e.stem.clone()]);
                let to = if split { &mut *local_word } else { &mut *local };
                word_features(key, stem, e.clitics, &a, to);
            }
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
            local.push(mix(
                mix(mix(T::ShapeTri as u64, p.shape), a.shape),
                nx.shape,
            ));
            if vocab.bits() > 0 {
                let r = a.rare as u64;
                word!(mix(T::Rare as u64, r));
                word!(mix(mix(T::RareShape as u64, r), a.shape));
                local.push(mix(mix(T::RarePrev as u64, r), p.key));
                local.push(mix(mix(T::RareNext as u64, r), nx.key));
                local.push(mix(
                    T::RareTri as u64,
                    (p.rare as u64) << 8 | r << 4 | nx.rare as u64,
                ));
            }
            // How the stem is used in general text (common nouns take the article and endings, names
            // mostly do not), alone, by part, and beside the neighbours' usage.
            {
                let l = a.lex as u64;
                let st = (a.lex != LEX_ABSENT).then(|| Stats::from_code((a.lex - 1) as u16));
                let (z, art, suf) = st.map_or((9, 9, 9), |s| {
                    (s.zipf as u64, s.article as u64, s.suffix as u64)
                });
                word!(mix(T::Lex as u64, l));
                word!(mix(T::LexArticle as u64, art));
                word!(mix(T::LexSuffix as u64, suf << 4 | art));
                word!(mix(T::LexZipf as u64, z));
                local.push(mix(T::LexPrev as u64, (p.lex as u64) << 16 | art));
                local.push(mix(T::LexNext as u64, (nx.lex as u64) << 16 | art));
                if let Some(s) = st {
                    let endings =
                        (s.plural as u64) << 4 | (s.nisba as u64) << 2 | s.proclitic as u64;
                    word!(mix(T::LexEndings as u64, endings));
                }
            }
            {
                let c = a.clu as u64;
                word!(mix(T::Clu as u64, c));
                word!(mix(T::CluShape as u64, c << 32 ^ a.shape));
                local.push(mix(T::CluWin as u64, (p.clu as u64) << 16 | 1));
                local.push(mix(T::CluWin as u64, (nx.clu as u64) << 16 | 2));
                local.push(mix(T::CluBi as u64, (p.clu as u64) << 16 | c));
                local.push(mix(T::CluBi as u64, c << 32 | (nx.clu as u64) << 16 | 1));
            }
            if a.names != 0 {
                word!(mix(T::Names as u64, a.names as u64));
            }
            for (k, b) in [p, nx].into_iter().enumerate() {
                if b.names != 0 {
                    let v = (k as u64) << 16 | (b.names as u64) << 8 | a.names as u64;
                    local.push(mix(T::NamesWin as u64, v));
                }
            }
            // How a model tagging unlabeled Wikipedia saw the stem (and its neighbours): the full code,
            // its coarse part (name share and type), and the neighbours' coarse parts beside its own.
            if a.prof != 0 {
                let coarse = |p: u8| match p {
                    0 | 1 => p as u64,
                    p => 2 + stem_table::profile::coarse(p - 2) as u64,
                };
                let c = coarse(a.prof);
                word!(mix(T::Prof as u64, a.prof as u64));
                word!(mix(T::ProfCoarse as u64, c));
                local.push(mix(T::ProfWin as u64, coarse(p.prof) << 8 | c));
                local.push(mix(T::ProfWin as u64, 1 << 16 | coarse(nx.prof) << 8 | c));
            }
            if self.domain != 0 {
                local.push(mix(T::Domain as u64, self.domain as u64));
            }
            for off in -2isize..=2 {
                let b = atom(i as isize + off);
                if b.trig != 0 {
                    local.push(mix(
                        T::Trigger as u64,
                        ((off + 2) as u64) << 8 | b.trig as u64,
                    ));
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
                out.push(bucket(h, shift));
            }
            count += local.len();
            if split && fresh {
                let ids = &mut seen.fresh_ids;
                ids.extend(local_word.iter().map(|&h| bucket(h, shift)));
                seen.fresh.push((self.slots[i], ids.len()));
            }
            general.push(count);
            if let Some(d) = copies {
                // In rows of their own past the table's end (training drops them), so that they neither
                // collide with nor bloat the weights news text reads.
                for &h in local.iter() {
                    out.push((mix(mix(h, 0xd0_3a1e), d) >> shift) as u32 | 1 << bits);
                }
                count += local.len();
            }
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
    let (mut text, mut word_starts) = (String::new(), Vec::with_capacity(words.len()));
    join_words(words, &mut text, &mut word_starts, &mut 0);
    let tokens = tokenize(&text);
    // Word index of each token.
    let mut tok_word = Vec::with_capacity(tokens.len());
    let mut w = 0usize;
    for t in &tokens {
        while w + 1 < word_starts.len() && word_starts[w + 1] <= t.start {
            w += 1;
        }
        tok_word.push(w);
    }
    hits_of_tokens(&tokens, &tok_word, words.len(), out, |i| {
        first_walks(tokens.get(i))
    });
}

/// Appends `words` to `text`, each followed by a space, and where each begins (in code points of `text`,
/// which `cp` counts) to `word_starts`. Format chars (RLM and friends, common in ANERcorp) would split
/// tokens: they are dropped.
fn join_words<S: AsRef<str>>(
    words: &[S],
    text: &mut String,
    word_starts: &mut Vec<usize>,
    cp: &mut usize,
) {
    for w in words {
        word_starts.push(*cp);
        for c in w.as_ref().chars().filter(|&c| !is_format(c)) {
            text.push(c);
            *cp += 1;
        }
        text.push(' ');
        *cp += 1;
    }
}

/// The tokens of a whole document of whitespace words, each distinct word tokenised once, from which each
/// sentence's [`gazetteer_hits`] are taken.
///
/// Why: news text repeats its words (ANERcorp's 125k tokens hold about 30k distinct words), and
/// tokenising every occurrence (proclitic splitting, a `String` or two per token) and walking the
/// gazetteer automaton through every occurrence's key were a quarter of `sahifa tag`'s time. The tokeniser
/// never joins characters across a space, so a word's tokens do not depend on its neighbours, and the
/// first step of a list match depends on the first token alone ([`FirstWalks`]): both are worked out once
/// a distinct word ([`WordTokens::of`], on any thread), and the hits are exactly those of tokenising each
/// sentence (tested).
#[derive(Default)]
pub struct DocumentTokens {
    /// Each distinct word's tokens and first walks, by number.
    words: Vec<WordTokens>,
    /// Per word of the document, sentence after sentence: its number.
    word_of: Vec<u32>,
    /// Per sentence: where its words begin in `word_of` (one more entry: the end).
    sentence: Vec<usize>,
    /// How many distinct words there are.
    distinct: usize,
}

/// A distinct word's tokens (format chars dropped) as the list walks read them, and the walks its first
/// token begins, if any.
///
/// Compact, since a document holds tens of thousands: the tokens' keys in one string and a few bytes a
/// token, rather than [`Token`]s and their two `String`s; the walks boxed, since most words begin none and
/// a walk takes a hundred bytes. (Fresh pages for these were a tenth of `sahifa tag`'s time.)
#[derive(Default)]
pub struct WordTokens {
    keys: Box<str>,
    /// Per token: where its key ends in `keys`, its kind, whether it has proclitics.
    tokens: Box<[(u16, TokenKind, bool)]>,
    walks: Option<Box<FirstWalks>>,
}

/// A token of a [`WordTokens`], borrowed.
#[derive(Clone, Copy)]
struct KeyToken<'a> {
    key: &'a str,
    kind: TokenKind,
    proclitic: bool,
}

impl ListToken for KeyToken<'_> {
    fn key(&self) -> &str {
        self.key
    }
    fn kind(&self) -> TokenKind {
        self.kind
    }
    fn has_proclitic(&self) -> bool {
        self.proclitic
    }
}

impl WordTokens {
    /// The tokens and first walks of whitespace word `w`.
    pub fn of(w: &str) -> WordTokens {
        let tokens = if w.chars().any(is_format) {
            tokenize(&w.chars().filter(|&c| !is_format(c)).collect::<String>())
        } else {
            tokenize(w)
        };
        let walks = Some(first_walks(tokens.first()))
            .filter(|w| !w.is_dead())
            .map(Box::new);
        let mut keys = String::with_capacity(tokens.iter().map(|t| t.key.len()).sum());
        let tokens = tokens
            .iter()
            .map(|t| {
                keys.push_str(&t.key);
                let end = u16::try_from(keys.len()).expect("a word's keys under 64 kB");
                (end, t.kind, t.has_proclitic())
            })
            .collect();
        WordTokens {
            keys: keys.into_boxed_str(),
            tokens,
            walks,
        }
    }

    /// The word's tokens, borrowed.
    fn tokens(&self) -> impl Iterator<Item = KeyToken<'_>> {
        let starts = std::iter::once(0).chain(self.tokens.iter().map(|t| t.0 as usize));
        self.tokens
            .iter()
            .zip(starts)
            .map(|(&(end, kind, proclitic), start)| KeyToken {
                key: &self.keys[start..end as usize],
                kind,
                proclitic,
            })
    }
}

impl DocumentTokens {
    /// The document's words numbered and each distinct word tokenised, on this thread.
    pub fn new<S: AsRef<str>>(sentences: &[Vec<S>]) -> DocumentTokens {
        let (mut doc, distinct) = DocumentTokens::numbered(sentences);
        for (slot, w) in doc.words_mut().iter_mut().zip(distinct) {
            *slot = WordTokens::of(w);
        }
        doc
    }

    /// The document's words numbered (equal words get equal numbers, 0, 1, 2, … in the order they are
    /// first met), with the distinct words in number order; their tokens are still to be given
    /// ([`DocumentTokens::words_mut`]) before [`DocumentTokens::hits`].
    pub fn numbered<S: AsRef<str>>(sentences: &[Vec<S>]) -> (DocumentTokens, Vec<&str>) {
        // News text has about one distinct word in four or five: sized so that the map rarely grows.
        let n: usize = sentences.iter().map(Vec::len).sum();
        let mut index: HashMap<&str, u32, WordHasher> =
            HashMap::with_capacity_and_hasher(n / 3, WordHasher);
        let mut distinct = Vec::with_capacity(n / 3);
        let mut doc = DocumentTokens {
            word_of: Vec::with_capacity(n),
            sentence: Vec::with_capacity(sentences.len() + 1),
            ..DocumentTokens::default()
        };
        for s in sentences {
            doc.sentence.push(doc.word_of.len());
            for w in s {
                let e = *index.entry(w.as_ref()).or_insert_with_key(|w| {
                    distinct.push(*w);
                    (distinct.len() - 1) as u32
                });
                doc.word_of.push(e);
            }
        }
        doc.sentence.push(doc.word_of.len());
        doc.distinct = distinct.len();
        (doc, distinct)
    }

    /// How many distinct words the document has.
    pub fn distinct(&self) -> usize {
        self.distinct
    }

    /// The distinct words' tokens by number, to be filled with [`WordTokens::of`] each word (empty at
    /// first).
    pub fn words_mut(&mut self) -> &mut [WordTokens] {
        self.words.resize_with(self.distinct, WordTokens::default);
        &mut self.words
    }

    /// Sentence `i`'s words as numbers: equal words get equal numbers, 0, 1, 2, … in the order words
    /// are first met in the document.
    pub fn word_numbers(&self, i: usize) -> &[u32] {
        &self.word_of[self.sentence[i]..self.sentence[i + 1]]
    }

    /// Sentence `i`'s gazetteer hits, as [`gazetteer_hits`] gives them.
    pub fn hits(&self, i: usize, out: &mut Vec<Vec<GazHit>>) {
        let words = self.word_numbers(i);
        let (mut tokens, mut tok_word) = (Vec::new(), Vec::new());
        for (k, &e) in words.iter().enumerate() {
            for t in self.words[e as usize].tokens() {
                tokens.push(t);
                tok_word.push(k);
            }
        }
        hits_of_tokens(&tokens, &tok_word, words.len(), out, |t| {
            let walks = &self.words[words[tok_word[t]] as usize].walks;
            walks.as_deref().copied().unwrap_or_default()
        });
    }
}

/// The list walks a match starting at `first` begins with (the article may be stripped, as for every
/// gazetteer feature).
fn first_walks(first: Option<&Token>) -> FirstWalks {
    first.map_or_else(FirstWalks::default, |t| FirstWalks::of(t, true))
}

/// [`gazetteer_hits`] of words that are the core's own tokens (one word per token, as the extraction
/// pipeline tags them): the same hits without tokenising the words a second time.
pub fn gazetteer_hits_of_tokens(tokens: &[Token], out: &mut Vec<Vec<GazHit>>) {
    // A token of format chars alone is a word that tokenises to nothing: leave it out as that path does,
    // so that a name is still matched across it.
    let format_only = |t: &Token| t.text.chars().all(is_format);
    if !tokens.iter().any(format_only) {
        let identity: Vec<usize> = (0..tokens.len()).collect();
        hits_of_tokens(tokens, &identity, tokens.len(), out, |i| {
            first_walks(tokens.get(i))
        });
        return;
    }
    let (kept, tok_word): (Vec<Token>, Vec<usize>) = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !format_only(t))
        .map(|(i, t)| (t.clone(), i))
        .unzip();
    hits_of_tokens(&kept, &tok_word, tokens.len(), out, |i| {
        first_walks(kept.get(i))
    });
}

/// Format chars (RLM and friends, common in ANERcorp) that the gazetteer path drops from words.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200c}'..='\u{200f}' | '\u{feff}')
}

/// Hits of `n_words` words whose tokens are `tokens`, token i belonging to word `tok_word[i]`;
/// `firsts(i)` is [`FirstWalks::of`] token i, asked of each word's first token.
fn hits_of_tokens<T: ListToken>(
    tokens: &[T],
    tok_word: &[usize],
    n_words: usize,
    out: &mut Vec<Vec<GazHit>>,
    firsts: impl Fn(usize) -> FirstWalks,
) {
    out.truncate(n_words);
    out.iter_mut().for_each(Vec::clear);
    out.resize_with(n_words, Vec::new);
    let mask = GAZ_CATS.iter().fold(0, |m, c| m | c);
    for i in 0..tokens.len() {
        if i > 0 && tok_word[i - 1] == tok_word[i] {
            continue; // matches start at the first token of a word
        }
        let walks = firsts(i);
        if walks.is_dead() {
            continue;
        }
        let Some((end, bits)) = longest_match_from(&walks, tokens, i, mask) else {
            continue;
        };
        let (first, last) = (tok_word[i], tok_word[end - 1]);
        for (k, c) in GAZ_CATS.iter().enumerate() {
            if bits & c == 0 {
                continue;
            }
            for (j, hits) in out.iter_mut().enumerate().take(last + 1).skip(first) {
                let pos = if first == last {
                    2
                } else if j == first {
                    0
                } else {
                    1
                };
                hits.push((k as u16, pos));
            }
        }
    }
}

/// What the first stage predicted for the words of a stretch of text (a document, or a window of sentences
/// around the one being tagged): for each stem, how often it was tagged as part of each entity type or O.
///
/// Why: a name is often tagged confidently once (after a title, in a known context) and missed elsewhere
/// in the same article; the second stage sees the first stage's verdicts on every mention of the stem.
///
/// A count map rather than a list, so that a window sliding over a document adds the sentence that enters
/// and removes the one that leaves instead of being rebuilt for every sentence.
#[derive(Default, Clone)]
pub struct Memory {
    counts: std::collections::HashMap<u64, [u32; 5], StemHasher>,
}

/// Stems are already hashes: the map uses them as they are.
#[derive(Default, Clone, Copy)]
struct StemHasher(u64);

impl std::hash::Hasher for StemHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| mix(h, b as u64));
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl std::hash::BuildHasher for StemHasher {
    type Hasher = StemHasher;
    fn build_hasher(&self) -> StemHasher {
        StemHasher(0)
    }
}

/// Index into a count array: types 0..4 (PER, LOC, ORG, MISC), then O.
fn slot(tag: usize) -> usize {
    if tag == 0 {
        4
    } else {
        (tag - 1) / 2
    }
}

impl Memory {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn clear(&mut self) {
        self.counts.clear();
    }
    /// Adds one token: its stem hash and first-stage tag index.
    pub fn add(&mut self, stem: u64, tag: usize) {
        self.counts.entry(stem).or_default()[slot(tag)] += 1;
    }
    /// Takes back one token added before.
    pub fn remove(&mut self, stem: u64, tag: usize) {
        if let Some(c) = self.counts.get_mut(&stem) {
            let k = slot(tag);
            c[k] = c[k].saturating_sub(1);
            if c.iter().all(|&x| x == 0) {
                self.counts.remove(&stem);
            }
        }
    }
    /// Counts per type (PER, LOC, ORG, MISC) and O of `stem`.
    fn counts(&self, stem: u64) -> [u32; 5] {
        self.counts.get(&stem).copied().unwrap_or_default()
    }
}

/// Moves a memory window over a document of `n` sentences: before sentence `i`, the memory holds the
/// sentences `i - window ..= i + window` (clipped). `sentence(j)` gives sentence j's `(stems, tags)`.
pub struct Window {
    window: usize,
    lo: usize,
    hi: usize,
}

impl Window {
    pub fn new(window: usize) -> Window {
        Window {
            window,
            lo: 0,
            hi: 0,
        }
    }

    /// Brings `mem` to sentence `i` (call with i = 0, 1, 2, … in order).
    pub fn advance<'a>(
        &mut self,
        i: usize,
        n: usize,
        mem: &mut Memory,
        sentence: impl Fn(usize) -> (&'a [u64], &'a [usize]),
    ) {
        let (lo, hi) = (i.saturating_sub(self.window), (i + self.window + 1).min(n));
        while self.hi < hi {
            let (st, tg) = sentence(self.hi);
            st.iter().zip(tg).for_each(|(&h, &t)| mem.add(h, t));
            self.hi += 1;
        }
        while self.lo < lo {
            let (st, tg) = sentence(self.lo);
            st.iter().zip(tg).for_each(|(&h, &t)| mem.remove(h, t));
            self.lo += 1;
        }
    }
}

/// Second-stage features of every token of a sentence whose stem hashes are `stems`: its stem's counts in
/// `mem`, the majority memory type of its neighbours, and the first-stage tags of it and its neighbours.
/// `out[i]` receives token i's extra bucket ids.
pub fn memory_features(
    stems: &[u64],
    pred1: &[usize],
    mem: &Memory,
    bits: u32,
    out: &mut Vec<Vec<u32>>,
) {
    let n = stems.len();
    let shift = 64 - bits;
    let bucket = |h: u64| bucket(h, shift);
    out.resize(n, Vec::new());
    let majority = |c: &[u32; 5]| -> Option<usize> {
        let (k, v) = (0..4).map(|k| (k, c[k])).max_by_key(|&(k, v)| (v, 4 - k))?;
        (v > 0 && 2 * v >= c.iter().sum::<u32>()).then_some(k)
    };
    let counts: Vec<[u32; 5]> = stems.iter().map(|&h| mem.counts(h)).collect();
    for i in 0..n {
        let o = &mut out[i];
        o.clear();
        let c = counts[i];
        let total: u32 = c.iter().sum();
        for (k, &ck) in c.iter().enumerate().take(4) {
            if ck > 0 {
                o.push(bucket(mix(T::Mem as u64, k as u64)));
                let frac = (3 * ck / total.max(1)).min(2) as u64;
                o.push(bucket(mix(mix(T::MemFrac as u64, k as u64), frac)));
            }
        }
        if c[4] == total && total > 1 {
            o.push(bucket(mix(T::Mem as u64, 9)));
        }
        for (d, j) in [(0u64, i.wrapping_sub(1)), (1, i + 1)] {
            let m = counts.get(j).and_then(majority).map_or(7, |k| k as u64);
            o.push(bucket(mix(mix(T::MemNb as u64, d), m)));
        }
        for (d, j) in [(0u64, i.wrapping_sub(1)), (1, i), (2, i + 1)] {
            let t = pred1.get(j).map_or(99, |&t| t as u64);
            o.push(bucket(mix(mix(T::Stage1 as u64, d), t)));
        }
        o.push(bucket(mix(
            mix(T::Stage1 as u64, 3),
            (pred1[i] as u64) << 8 | pred1.get(i + 1).map_or(99, |&t| t as u64),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_extraction_is_extraction_in_two_parts() {
        // Sentence by sentence over the seed article (words repeat within and across sentences): each
        // token's word features (worked out at the word's first occurrence) and context features are,
        // together, exactly the features `extract` gives it.
        let vocab = crate::tagger::embedded().model().vocab.clone();
        let (mut whole, mut split, mut known, mut alone) = (
            Extractor::new(),
            Extractor::new(),
            Extractor::new(),
            Extractor::new(),
        );
        // Words numbered by the caller, their atoms and word features worked out alone.
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let (mut table, mut alone_ids) = (Vec::new(), Vec::new());
        let mut word_ids: Vec<Vec<u32>> = Vec::new();
        let (mut gaz, mut repeats) = (Vec::new(), 0);
        for sentence in crate::SEED_ARTICLE.split('.') {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            gazetteer_hits(&words, &mut gaz);
            whole.extract(&words, &gaz, &vocab, 18);
            split.extract_split(&words, &gaz, &vocab, 18);
            let nums: Vec<u32> = words
                .iter()
                .map(|w| {
                    let next = numbers.len() as u32;
                    *numbers.entry(*w).or_insert_with(|| {
                        let (atoms, ids) = alone.word_alone(w, &vocab, 18);
                        table.push(atoms);
                        alone_ids.push(ids.to_vec());
                        next
                    })
                })
                .collect();
            // From the table, the same context features and word numbers, and no fresh words.
            known.extract_known(&words, &nums, &table, &gaz, &vocab, 18);
            assert_eq!(known.raw(), split.raw());
            assert_eq!(known.slots, nums);
            assert_eq!(known.fresh_words().count(), 0);
            for (e, ids) in split.fresh_words() {
                assert_eq!(e as usize, word_ids.len());
                assert_eq!(
                    ids, alone_ids[e as usize],
                    "a word's features worked out alone"
                );
                word_ids.push(ids.to_vec());
            }
            for i in 0..words.len() {
                let slot = split.word_slot(i) as usize;
                repeats += usize::from(slot + split.seen.fresh.len() < word_ids.len());
                let mut got = [&word_ids[slot][..], split.features(i)].concat();
                let mut want = whole.features(i).to_vec();
                got.sort_unstable();
                want.sort_unstable();
                assert_eq!(got, want, "{sentence}: word {i}");
            }
        }
        assert!(repeats > 100, "words met again: {repeats}");
    }

    #[test]
    fn words_with_one_hash_keep_their_own_entries() {
        let mut c = WordCache::default();
        let (a, b) = (
            Atoms {
                key: 1,
                ..Atoms::default()
            },
            Atoms {
                key: 2,
                ..Atoms::default()
            },
        );
        let ea = c.add("كتاب", 7, a);
        assert_eq!(c.find("كتاب", 7), Some(ea));
        assert_eq!(c.find("كتب", 7), None, "same hash, other word");
        let eb = c.add("كتب", 7, b);
        assert_ne!(ea, eb);
        assert_eq!(c.atoms[eb as usize].key, 2);
        assert_eq!(c.find("كتاب", 7), Some(ea));
        assert_eq!(c.find("كتاب", 8), None);
    }
}
