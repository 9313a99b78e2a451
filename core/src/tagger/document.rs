//! A document's distinct words, worked out once and shared by everything that tags a part of it.
//!
//! Why: news text repeats its words (ANERcorp's 125k tokens hold about 30k distinct words), and about half
//! of a token's features, its tokens for the gazetteer and the first step of its list walks depend on its
//! word alone. Worked out once per distinct word rather than once per word and per run of sentences, that
//! work is no longer repeated by every thread of `sahifa tag` (on 2 threads the runs held 44k distinct
//! words between them where the document has 30k), and it can itself be spread over the threads: the words
//! are numbered in one pass ([`DocumentWords::numbered`]), pieces of the distinct words are worked out on
//! any thread ([`DocumentWords::work`]) and put back in order ([`DocumentWords::fill`]); then any range of
//! sentences is tagged from the shared table ([`super::Tagger::tag_range_indices`]).

use super::features::{DocumentTokens, Extractor, WordAtoms, WordTokens};
use super::{Tagger, N_TAGS};

/// The distinct words of a document of whitespace words: their numbers, tokens and list walks
/// ([`DocumentTokens`]), their atoms, and both stages' sums over their word features.
#[derive(Default)]
pub struct DocumentWords {
    tokens: DocumentTokens,
    atoms: Vec<WordAtoms>,
    sums: Vec<[[i32; N_TAGS]; 2]>,
}

/// A piece of a document's distinct words and their places in its [`DocumentWords`], to be worked out
/// ([`WordsPiece::work`]) on any thread.
pub struct WordsPiece<'d> {
    words: &'d [&'d str],
    tokens: &'d mut [WordTokens],
    atoms: &'d mut [WordAtoms],
    sums: &'d mut [[[i32; N_TAGS]; 2]],
}

impl WordsPiece<'_> {
    /// Works out the piece's words with tagger `t`.
    pub fn work(self, t: &Tagger) {
        let (vocab, bits) = (&t.model.vocab, t.model.bits);
        let mut ext = Extractor::new();
        for (k, w) in self.words.iter().enumerate() {
            self.tokens[k] = WordTokens::of(w);
            let (atoms, feats) = ext.word_alone(w, vocab, bits);
            self.atoms[k] = atoms;
            if let Some(sums) = self.sums.get_mut(k) {
                let [a, b] = sums;
                t.add_both(feats, a, b);
            }
        }
    }
}

impl DocumentWords {
    /// The whole table, worked out on this thread.
    pub fn new<S: AsRef<str>>(t: &Tagger, sentences: &[Vec<S>]) -> DocumentWords {
        let (mut doc, distinct) = DocumentWords::numbered(sentences);
        for piece in doc.pieces(t, &distinct, distinct.len()) {
            piece.work(t);
        }
        doc
    }

    /// The document's words numbered, with the distinct words in number order; what they need is still
    /// to be worked out ([`DocumentWords::pieces`]).
    pub fn numbered<S: AsRef<str>>(sentences: &[Vec<S>]) -> (DocumentWords, Vec<&str>) {
        let (tokens, distinct) = DocumentTokens::numbered(sentences);
        let doc = DocumentWords {
            tokens,
            ..DocumentWords::default()
        };
        (doc, distinct)
    }

    /// The table cut into pieces of `len` distinct words (`distinct`, as [`DocumentWords::numbered`] gave
    /// them), each to be worked out with tagger `t` before tagging; the table is sized once, and each
    /// piece writes its own part.
    pub fn pieces<'d>(
        &'d mut self,
        t: &Tagger,
        distinct: &'d [&'d str],
        len: usize,
    ) -> Vec<WordsPiece<'d>> {
        let n = self.tokens.distinct();
        assert_eq!(distinct.len(), n, "the distinct words of the document");
        let len = len.max(1);
        self.atoms.resize(n, WordAtoms::default());
        // A one-stage model has no pair of sums.
        let sums = if t.model.stages.len() == 2 { n } else { 0 };
        self.sums.resize(sums, [[0; N_TAGS]; 2]);
        let mut sums = self.sums.chunks_mut(len);
        distinct
            .chunks(len)
            .zip(self.tokens.words_mut().chunks_mut(len))
            .zip(self.atoms.chunks_mut(len))
            .map(|((words, tokens), atoms)| WordsPiece {
                words,
                tokens,
                atoms,
                sums: sums.next().unwrap_or_default(),
            })
            .collect()
    }

    /// How many distinct words the document has.
    pub fn distinct(&self) -> usize {
        self.tokens.distinct()
    }

    pub(crate) fn tokens(&self) -> &DocumentTokens {
        &self.tokens
    }

    pub(crate) fn atoms(&self) -> &[WordAtoms] {
        &self.atoms
    }

    /// Both stages' sums over each distinct word's word features (empty unless the model has two).
    pub(crate) fn sums(&self) -> &[[[i32; N_TAGS]; 2]] {
        &self.sums
    }
}
