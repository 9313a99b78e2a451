//! Name lists as one compact automaton, with longest-match lookup over token keys.
//!
//! Rules and clustering need to know that أذربيجان is a place, الكرملين an organisation, الرئيس a person
//! trigger and سبتمبر a month, across spelling variants. The lists (see `core/data/` and
//! `tools/gazetteer/`) are compiled by `build.rs` into an `fst::Map` from normalised keys (words joined by
//! one space) to category bits, in one file ([`Lists`]) embedded in the binary or installed by the page
//! (never fetched by the core itself), and lookups that walk the automaton token by token without allocating.
//!
//! The lists know tokens only as [`crate::token::Token`]s (keys, kinds, proclitics), not how they are
//! made, so the tokenizer can ask them whether a stem is a known word. [`Words`] looks every token up once
//! per extraction for the candidate producers and the merge.

use crate::token::{Token, TokenKind};
use fst::raw::{Fst, Node, Output};
use std::collections::HashMap;

/// Category bits (must match `build.rs`).
pub mod cat {
    pub const LOC: u64 = 1;
    pub const ORG: u64 = 1 << 1;
    pub const PER: u64 = 1 << 2;
    pub const GIVEN: u64 = 1 << 3;
    pub const TITLE: u64 = 1 << 4;
    pub const NAT: u64 = 1 << 5;
    pub const ORGHEAD: u64 = 1 << 6;
    pub const MONTH: u64 = 1 << 7;
    pub const DAY: u64 = 1 << 8;
    pub const NUMWORD: u64 = 1 << 9;
    pub const WORD: u64 = 1 << 10;
    pub const STOP: u64 = 1 << 11;
    pub const MISC: u64 = 1 << 12;
    pub const LOCHEAD: u64 = 1 << 13;
    pub const SURNAME: u64 = 1 << 14;
    /// The key is in a hand-kept list (`core/data/*.txt`), not only in the generated ones, whose city and
    /// name lists hold common words too (طراز, ينبع, مالك).
    pub const HAND: u64 = 1 << 15;
    /// Categories that are names by themselves.
    pub const NAME: u64 = LOC | ORG | PER | GIVEN | MISC | SURNAME;
}

/// The lists' two automata, as `build.rs` writes them into one file (`gazetteer.bin`): the lists (normalised
/// key → category bits) and the names' consonant skeletons (skeleton → LOC/ORG/PER bits).
///
/// Why a file of their own: they are about 80 kB gzipped, and both wasms of a page (the first-highlight
/// module and the widget) need them; as a file the page downloads them once. Embedded with the
/// `embedded-model` feature, installed at run time otherwise ([`crate::data`]).
///
/// Layout (little-endian):
/// ```text
/// magic "SAHIFAGZ" | version u32 | lists_len u32 | skeleton_len u32 | lists fst | skeleton fst
/// crc32 u32 (of every byte before it)
/// ```
pub struct Lists {
    names: Fst<Vec<u8>>,
    skeleton: Fst<Vec<u8>>,
}

pub const LISTS_MAGIC: &[u8; 8] = b"SAHIFAGZ";
pub const LISTS_VERSION: u32 = 1;
const LISTS_HEAD: usize = 8 + 12;

/// Why a gazetteer file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListsError {
    #[error("not a Sahifa gazetteer file (bad magic header)")]
    BadMagic,
    #[error("gazetteer file is truncated: needs {needed} bytes, has {has}")]
    Truncated { needed: usize, has: usize },
    #[error("unsupported gazetteer file version {0} (this build reads {LISTS_VERSION})")]
    Version(u32),
    #[error("gazetteer file is corrupted: checksum {computed:08x} does not match the stored {stored:08x}")]
    Checksum { stored: u32, computed: u32 },
    #[error("gazetteer file is corrupted: {0}")]
    Corrupt(String),
}

impl Lists {
    /// Checks and decodes a `gazetteer.bin` (sizes, version, checksum, then each automaton's own header).
    pub fn from_bytes(bytes: &[u8]) -> Result<Lists, ListsError> {
        if bytes.len() < 8 || &bytes[..8] != LISTS_MAGIC {
            return Err(ListsError::BadMagic);
        }
        if bytes.len() < LISTS_HEAD + 4 {
            return Err(ListsError::Truncated { needed: LISTS_HEAD + 4, has: bytes.len() });
        }
        let word = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().unwrap());
        let (version, names_len, skeleton_len) = (word(0), word(1) as usize, word(2) as usize);
        if version != LISTS_VERSION {
            return Err(ListsError::Version(version));
        }
        let needed = LISTS_HEAD
            .checked_add(names_len)
            .and_then(|v| v.checked_add(skeleton_len))
            .and_then(|v| v.checked_add(4))
            .ok_or_else(|| ListsError::Corrupt("its sizes do not add up".into()))?;
        if needed > bytes.len() {
            return Err(ListsError::Truncated { needed, has: bytes.len() });
        }
        if needed < bytes.len() {
            return Err(ListsError::Corrupt("bytes after the checksum".into()));
        }
        let body = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[body..].try_into().unwrap());
        let computed = crate::tagger::hash::crc32(&bytes[..body]);
        if stored != computed {
            return Err(ListsError::Checksum { stored, computed });
        }
        let split = LISTS_HEAD + names_len;
        let fst = |b: &[u8]| Fst::new(b.to_vec()).map_err(|e| ListsError::Corrupt(e.to_string()));
        Ok(Lists { names: fst(&bytes[LISTS_HEAD..split])?, skeleton: fst(&bytes[split..body])? })
    }
}

/// The lists' automaton, embedded or installed; `None` before a host installs it (every list is empty).
fn fst() -> Option<&'static Fst<Vec<u8>>> {
    crate::data::gazetteer().map(|l| &l.names)
}

fn skeleton_fst() -> Option<&'static Fst<Vec<u8>>> {
    crate::data::gazetteer().map(|l| &l.skeleton)
}

/// Fuzzy variant of [`longest_match`] for names (LOC ORG PER bits only): compares consonant skeletons
/// ([`crate::normalize::skeleton`]), so ناغوررني كاراباخ finds ناغورني كاراباخ. Only entries of six letters or
/// more are indexed, and none whose skeleton a trigger or common word shares.
pub fn longest_skeleton_match(tokens: &[Token], i: usize, mask: u64) -> Option<(usize, u64)> {
    let f = skeleton_fst()?;
    let first = tokens.get(i)?;
    if first.kind != TokenKind::Word {
        return None;
    }
    let mut w = Walk::new(f);
    if !w.feed(crate::normalize::skeleton(&first.key).as_bytes()) {
        return None;
    }
    let mut best = None;
    let mut j = i + 1;
    // One word alone must be long and article-free to be trusted on its skeleton (المسائل ≠ a city).
    let single_ok = first.key.chars().count() >= 7 && !first.key.starts_with("ال");
    loop {
        if let Some(v) = w.value() {
            if v & mask != 0 && (j > i + 1 || single_ok) {
                best = Some((j, v));
            }
        }
        let Some(t) = tokens.get(j) else { break };
        if t.has_proclitic() || t.kind != TokenKind::Word || j - i >= 6 {
            break;
        }
        if !w.feed(b" ") || !w.feed(crate::normalize::skeleton(&t.key).as_bytes()) {
            break;
        }
        j += 1;
    }
    best
}

/// Category bits of one key (a word, or words joined by one space); 0 when unknown.
pub fn lookup(key: &str) -> u64 {
    fst().and_then(|f| f.get(key.as_bytes())).map(|o| o.value()).unwrap_or(0)
}

/// True when `key` is in any list.
pub fn is_known(key: &str) -> bool {
    lookup(key) != 0
}

/// True when `key` followed by a space begins some multi-word entry (الامم → الامم المتحدة).
pub fn is_known_prefix(key: &str) -> bool {
    let Some(f) = fst() else {
        return false;
    };
    let mut node = f.root();
    for &b in key.as_bytes().iter().chain(std::iter::once(&b' ')) {
        match node.find_input(b) {
            Some(i) => node = f.node(node.transition(i).addr),
            None => return false,
        }
    }
    true
}

/// Each token's list bits and whether its key begins a multi-word entry (0 and false for tokens that are
/// not words), looked up once per distinct key.
pub(crate) struct Words {
    info: Vec<(u64, bool)>,
}

impl Words {
    pub(crate) fn new(tokens: &[Token]) -> Self {
        let mut memo: HashMap<&str, (u64, bool)> = HashMap::new();
        let info = tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word | TokenKind::Latin => *memo
                    .entry(&t.key)
                    .or_insert_with(|| (lookup(&t.key), is_known_prefix(&t.key))),
                _ => (0, false),
            })
            .collect();
        Words { info }
    }

    /// The list bits of token `i` and whether it begins a multi-word entry.
    pub(crate) fn get(&self, i: usize) -> (u64, bool) {
        self.info[i]
    }

    /// True when token `i` is a word that no list knows, or knows only as a common or stop word, and that
    /// begins no multi-word entry: it can start no listed name, only a misspelt one or an unknown person's.
    pub(crate) fn is_plain(&self, i: usize) -> bool {
        let (b, starts_entry) = self.info[i];
        b & !(cat::STOP | cat::WORD) == 0 && !starts_entry
    }
}

/// A walk through the automaton, fed one token key at a time.
#[derive(Clone, Copy)]
struct Walk<'f> {
    fst: &'f Fst<Vec<u8>>,
    node: Node<'f>,
    out: Output,
}

impl<'f> Walk<'f> {
    fn new(fst: &'f Fst<Vec<u8>>) -> Self {
        Walk {
            fst,
            node: fst.root(),
            out: Output::zero(),
        }
    }
    fn feed(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            match self.node.find_input(b) {
                Some(i) => {
                    let t = self.node.transition(i);
                    self.out = self.out.cat(t.out);
                    self.node = self.fst.node(t.addr);
                }
                None => return false,
            }
        }
        true
    }
    fn value(&self) -> Option<u64> {
        self.node
            .is_final()
            .then(|| self.out.cat(self.node.final_output()).value())
    }
}

/// The longest list entry starting at token `i` whose categories intersect `mask`: returns the end token
/// index (exclusive) and the entry's bits. The first token is matched by its stem key (proclitics
/// off); later tokens must be whole Arabic or Latin words without proclitics of their own.
pub fn longest_match(tokens: &[Token], i: usize, mask: u64) -> Option<(usize, u64)> {
    longest_match_keys(tokens, i, mask, false)
}

/// Like [`longest_match`], but the first token may also match with its article ال removed
/// (الروسية → روسية), which nationality adjectives and some place names need.
pub fn longest_match_keys(
    tokens: &[Token],
    i: usize,
    mask: u64,
    strip_article: bool,
) -> Option<(usize, u64)> {
    let first = tokens.get(i)?;
    longest_match_from(&FirstWalks::of(first, strip_article), tokens, i, mask)
}

/// What a list walk reads of a token after the first: a [`Token`], or a lighter copy of those three
/// fields (the tagger keeps one per distinct word of a document).
pub trait ListToken {
    fn key(&self) -> &str;
    fn kind(&self) -> TokenKind;
    fn has_proclitic(&self) -> bool;
}

impl ListToken for Token {
    fn key(&self) -> &str {
        &self.key
    }
    fn kind(&self) -> TokenKind {
        self.kind
    }
    fn has_proclitic(&self) -> bool {
        Token::has_proclitic(self)
    }
}

impl<T: ListToken> ListToken for &T {
    fn key(&self) -> &str {
        (**self).key()
    }
    fn kind(&self) -> TokenKind {
        (**self).kind()
    }
    fn has_proclitic(&self) -> bool {
        (**self).has_proclitic()
    }
}

/// The first step of [`longest_match_keys`], which depends on the first token alone: the automaton
/// walked through its key (and its key without the article), the walks still alive.
///
/// Why apart: a document repeats its words, and walking each occurrence's key byte by byte was about a
/// tenth of `sahifa tag`. [`crate::tagger::features::DocumentTokens`] works this out once per distinct
/// word and continues it over each occurrence's neighbours with [`longest_match_from`].
#[derive(Clone, Copy, Default)]
pub struct FirstWalks {
    walks: [Option<Walk<'static>>; 2],
}

impl FirstWalks {
    /// The walks a match starting at `first` begins with (none when it is not a word).
    pub fn of(first: &Token, strip_article: bool) -> FirstWalks {
        let mut walks = [None, None];
        if let (Some(f), TokenKind::Word | TokenKind::Latin) = (fst(), first.kind) {
            let stripped = first.key_without_article();
            let firsts: &[&str] = if strip_article && stripped != first.key {
                &[first.key.as_str(), stripped]
            } else {
                &[first.key.as_str()]
            };
            for (slot, k) in walks.iter_mut().zip(firsts) {
                let mut w = Walk::new(f);
                *slot = w.feed(k.as_bytes()).then_some(w);
            }
        }
        FirstWalks { walks }
    }

    /// True when no list entry begins with this token's key: no match can start there.
    pub fn is_dead(&self) -> bool {
        self.walks.iter().all(Option::is_none)
    }
}

/// [`longest_match_keys`] at token `i` of `tokens`, whose first step `firsts` is (`FirstWalks::of`
/// `tokens[i]`): the longest entry intersecting `mask`, as its end token index and bits.
pub fn longest_match_from<T: ListToken>(
    firsts: &FirstWalks,
    tokens: &[T],
    i: usize,
    mask: u64,
) -> Option<(usize, u64)> {
    let mut best = None;
    for w in firsts.walks.iter().flatten() {
        let mut w = *w;
        let mut j = i + 1;
        loop {
            if let Some(v) = w.value() {
                if v & mask != 0 && best.is_none_or(|(e, _)| j > e) {
                    best = Some((j, v));
                }
            }
            let Some(t) = tokens.get(j) else {
                break;
            };
            if t.has_proclitic()
                || !matches!(t.kind(), TokenKind::Word | TokenKind::Latin)
                || j - i >= 8
            {
                break;
            }
            if !w.feed(b" ") || !w.feed(t.key().as_bytes()) {
                break;
            }
            j += 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::key;
    use crate::tokenize::tokenize;

    #[test]
    fn single_keys() {
        assert!(lookup(&key("أذربيجان")) & cat::LOC != 0);
        assert!(lookup(&key("الكرملين")) & cat::ORG != 0);
        assert!(lookup(&key("سبتمبر")) & cat::MONTH != 0);
        assert!(lookup(&key("الاثنين")) & cat::DAY != 0);
        assert!(lookup(&key("الرئيس")) & cat::TITLE != 0);
        assert_eq!(lookup("zzzz"), 0);
    }

    #[test]
    fn multi_token_longest_match() {
        let toks = tokenize("قرار للأمم المتحدة أمس");
        assert_eq!(longest_match(&toks, 1, cat::ORG).map(|m| m.0), Some(3));
        let toks = tokenize("الولايات المتحدة وروسيا");
        assert_eq!(longest_match(&toks, 0, cat::LOC).map(|m| m.0), Some(2));
        assert_eq!(longest_match(&toks, 2, cat::LOC).map(|m| m.0), Some(3));
    }

    #[test]
    fn skeleton_match_finds_misspelling() {
        let toks = tokenize("اقليم ناغوررني كاراباخ المتنازع");
        assert_eq!(
            longest_skeleton_match(&toks, 1, cat::LOC).map(|m| m.0),
            Some(3)
        );
        assert_eq!(longest_skeleton_match(&toks, 0, cat::LOC), None);
    }

    #[test]
    fn nationality_forms_with_article() {
        let toks = tokenize("الخارجية الروسية");
        assert!(longest_match_keys(&toks, 1, cat::NAT, true).is_some());
        assert!(is_known_prefix("الامم"));
    }
}
