//! The learned named-entity tagger: an averaged structured perceptron over hashed features with exact
//! first-order Viterbi decoding over nine BIO tags (O and B/I of PER, LOC, ORG, MISC).
//!
//! Why a perceptron and not a neural model: it trains in a minute on ANERcorp, its model is a couple of
//! megabytes of integers, it decodes hundreds of thousands of tokens a second in wasm, and every piece
//! (features, decoding, training, file format) is small enough to test. Gazetteers and rules catch what they
//! list; the tagger generalises to names it has never seen from context, affixes and triggers.
//!
//! Two stages: the first tags each sentence from word, affix, window, gazetteer and trigger features; the
//! second sees the same features plus what the first stage said about every mention of the same stem in
//! the surrounding sentences ([`MEMORY_WINDOW`]), so a name recognised once (after a title, say) is found
//! again where its context is weaker. On ANERcorp's dev split this gains about one F1 point.
//!
//! Pieces: [`features`] turns words into hashed feature ids (with [`lexicon`]: how each stem is used in a
//! large Arabic word list), [`model`] holds the quantised weights and their
//! file format, [`train`] learns them. The shipped model (trained on ANERcorp, CC BY-SA 4.0, see
//! `core/models/LICENSE.md`) is embedded and loaded once by [`embedded`].

pub mod byte_rows;
pub mod corpus;
pub mod document;
pub mod features;
pub mod fingerprints;
pub mod hash;
pub mod lexicon;
pub mod model;
pub mod overlay;
pub mod stem;
pub mod stem_table;
pub mod train;

use crate::annotation::EntityType;
use byte_rows::PairedRows;
use document::DocumentWords;
use features::{Extractor, GazHit, Memory, WordAtoms};
pub use model::{Model, ModelError};
pub use overlay::{Overlay, OverlayError, GRID, GRID_LIMIT, GRID_SUM_LIMIT};

/// Number of tags: O plus B and I for each of the four tagged types.
pub const N_TAGS: usize = 9;

/// The entity types the tagger knows, in tag-index order.
pub const TYPES: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Loc,
    EntityType::Org,
    EntityType::Misc,
];

/// One BIO tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(EntityType),
    I(EntityType),
}

impl Tag {
    /// Index 0..N_TAGS: O = 0, B-type = 1 + 2k, I-type = 2 + 2k. Types the tagger does not know map to O.
    pub fn index(self) -> usize {
        let k = |t: EntityType| TYPES.iter().position(|x| *x == t);
        match self {
            Tag::O => 0,
            Tag::B(t) => k(t).map_or(0, |k| 1 + 2 * k),
            Tag::I(t) => k(t).map_or(0, |k| 2 + 2 * k),
        }
    }

    pub fn from_index(i: usize) -> Tag {
        match i {
            0 => Tag::O,
            i if i % 2 == 1 => Tag::B(TYPES[(i - 1) / 2]),
            i => Tag::I(TYPES[(i - 2) / 2]),
        }
    }

    /// Reads `O`, `B-X`, `I-X` (X any [`EntityType`] name, `PERS` included). DATE, NUM and anything
    /// unknown read as O, since the tagger does not predict them.
    pub fn parse(s: &str) -> Tag {
        use crate::conll::Bio;
        let ty = |t: &str| t.parse::<EntityType>().ok().filter(|t| TYPES.contains(t));
        match Bio::parse(s) {
            Some(Bio::B(t)) => ty(t).map_or(Tag::O, Tag::B),
            Some(Bio::I(t)) => ty(t).map_or(Tag::O, Tag::I),
            _ => Tag::O,
        }
    }

    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::O => None,
            Tag::B(t) | Tag::I(t) => Some(t),
        }
    }

    /// The CoNLL spelling, writing PER as `per_name` (`"PERS"` for ANERcorp-style output).
    pub fn to_conll(self, per_name: &str) -> String {
        let name = |t: EntityType| {
            if t == EntityType::Per {
                per_name.to_string()
            } else {
                t.to_string()
            }
        };
        match self {
            Tag::O => "O".to_string(),
            Tag::B(t) => format!("B-{}", name(t)),
            Tag::I(t) => format!("I-{}", name(t)),
        }
    }
}

/// May tag index `cur` follow `prev` (`None` = sentence start)? I-X only after B-X or I-X.
#[inline]
pub fn allowed(prev: Option<usize>, cur: usize) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    matches!(prev, Some(p) if p != 0 && p.div_ceil(2) == cur / 2)
}

/// Exact first-order Viterbi under the transition constraints. `emit[i]` are token i's tag scores,
/// `trans[p][c]` the score of tag c after p (row N_TAGS: start). Writes the best path into `out`.
pub fn viterbi(
    emit: &[[f32; N_TAGS]],
    trans: &[[f32; N_TAGS]; N_TAGS + 1],
    back: &mut Vec<[u8; N_TAGS]>,
    out: &mut Vec<usize>,
) {
    out.clear();
    back.clear();
    let n = emit.len();
    if n == 0 {
        return;
    }
    let mut score = [f32::NEG_INFINITY; N_TAGS];
    for c in 0..N_TAGS {
        if allowed(None, c) {
            score[c] = trans[N_TAGS][c] + emit[0][c];
        }
    }
    back.push([0; N_TAGS]);
    for e in &emit[1..] {
        let mut next = [f32::NEG_INFINITY; N_TAGS];
        let mut bp = [0u8; N_TAGS];
        for c in 0..N_TAGS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for p in 0..N_TAGS {
                if !allowed(Some(p), c) {
                    continue;
                }
                let s = score[p] + trans[p][c];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            next[c] = best + e[c];
            bp[c] = arg as u8;
        }
        score = next;
        back.push(bp);
    }
    let mut best = 0;
    for c in 1..N_TAGS {
        if score[c] > score[best] {
            best = c;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
}

/// Posterior tag probabilities per token (forward-backward over `exp(score / temperature)` with the same
/// transition constraints as decoding).
///
/// Why in probability space with per-token rescaling rather than in logs: it needs 9 `exp` per token
/// (emissions, shifted by their maximum) and 90 per call (transitions), instead of a log-sum-exp over 9
/// terms for each of 81 transitions per token in both directions, which made confidences cost more than
/// the rest of tagging put together.
pub fn marginals(
    emit: &[[f32; N_TAGS]],
    trans: &[[f32; N_TAGS]; N_TAGS + 1],
    temperature: f32,
) -> Vec<[f32; N_TAGS]> {
    let n = emit.len();
    let t = 1.0 / temperature.max(1e-6);
    // exp of transition scores, 0 where a transition is not allowed; shifted by their maximum.
    let tmax = trans
        .iter()
        .flatten()
        .cloned()
        .fold(f32::NEG_INFINITY, f32::max);
    let mut tp = [[0f32; N_TAGS]; N_TAGS + 1];
    for (p, row) in tp.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            let prev = (p < N_TAGS).then_some(p);
            if allowed(prev, c) {
                *v = ((trans[p][c] - tmax) * t).exp();
            }
        }
    }
    let ep: Vec<[f32; N_TAGS]> = emit
        .iter()
        .map(|e| {
            let m = e.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            e.map(|x| ((x - m) * t).exp())
        })
        .collect();
    let normalise = |v: &mut [f32; N_TAGS]| {
        let z: f32 = v.iter().sum();
        if z > 0.0 && z.is_finite() {
            v.iter_mut().for_each(|x| *x /= z);
        }
    };
    let mut alpha = vec![[0f32; N_TAGS]; n];
    for i in 0..n {
        for c in 0..N_TAGS {
            let into = if i == 0 {
                tp[N_TAGS][c]
            } else {
                (0..N_TAGS).map(|p| alpha[i - 1][p] * tp[p][c]).sum()
            };
            alpha[i][c] = into * ep[i][c];
        }
        normalise(&mut alpha[i]);
    }
    let mut beta = vec![[1f32; N_TAGS]; n];
    for i in (0..n.saturating_sub(1)).rev() {
        for p in 0..N_TAGS {
            beta[i][p] = (0..N_TAGS)
                .map(|c| tp[p][c] * ep[i + 1][c] * beta[i + 1][c])
                .sum();
        }
        normalise(&mut beta[i]);
    }
    (0..n)
        .map(|i| {
            let mut m = [0f32; N_TAGS];
            for c in 0..N_TAGS {
                m[c] = alpha[i][c] * beta[i][c];
            }
            normalise(&mut m);
            m
        })
        .collect()
}

/// Sentences on each side of a sentence whose first-stage tags feed its second stage's memory (about
/// one news article's worth, the same in training and tagging).
pub const MEMORY_WINDOW: usize = 15;

/// Buffers reused across calls to [`Tagger::tag_into`], so that tagging a stream allocates little per
/// sentence once warmed up.
#[derive(Default)]
pub struct Scratch {
    ext: Extractor,
    emit: Vec<[f32; N_TAGS]>,
    back: Vec<[u8; N_TAGS]>,
    path: Vec<usize>,
    pred1: Vec<usize>,
    stems: Vec<u64>,
    gaz: Vec<Vec<GazHit>>,
    extra: Vec<Vec<u32>>,
    mem: Memory,
    /// Learned deltas added to every emission score (online learning), if any.
    overlay: Option<std::sync::Arc<Overlay>>,
    /// Extract with [`Extractor::extract_split`] (the fast path) rather than [`Extractor::extract`].
    split: bool,
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A loaded model ready to tag.
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Model,
    trans: Vec<[[f32; N_TAGS]; N_TAGS + 1]>,
    /// The two stages' rows side by side, built on first use by a two-stage model held as bytes.
    paired: std::sync::OnceLock<Option<PairedRows>>,
}

impl Tagger {
    pub fn new(model: Model) -> Tagger {
        let trans = model.stages.iter().map(|s| s.transitions()).collect();
        Tagger {
            model,
            trans,
            paired: std::sync::OnceLock::new(),
        }
    }

    /// [`PairedRows`] of the two stages, if both are held as byte rows.
    fn paired(&self) -> Option<&PairedRows> {
        self.paired
            .get_or_init(|| match &self.model.stages[..] {
                [a, b] => PairedRows::new(a.byte_rows()?, b.byte_rows()?),
                _ => None,
            })
            .as_ref()
    }

    /// Builds now what tagging builds on first use (the paired rows, the lexicon, cluster and name-list
    /// tables), so that a caller can do it while it reads its input (`sahifa tag` does).
    pub fn prepare(&self) {
        self.paired();
        let _ = (
            crate::data::lexicon(),
            crate::data::clusters(),
            crate::data::names(),
        );
    }

    /// Both stages' sums of the rows of `feats`, added to `a` and `b` (a two-stage model).
    #[inline]
    fn add_both(&self, feats: &[u32], a: &mut [i32; N_TAGS], b: &mut [i32; N_TAGS]) {
        match self.paired() {
            Some(p) => p.accumulate(feats, a, b),
            None => {
                self.model.stages[0].add_rows(feats, &[], a);
                self.model.stages[1].add_rows(feats, &[], b);
            }
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Model::from_bytes(bytes).map(Tagger::new)
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Tags one sentence of whitespace tokens (the second stage's memory is the sentence itself).
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        let mut s = Scratch::new();
        let mut out = Vec::new();
        self.tag_into(words, &mut s, &mut out);
        out
    }

    /// Extracts features and runs the first stage: `s.pred1` and `s.stems` are filled.
    fn stage1<S: AsRef<str>>(&self, words: &[S], s: &mut Scratch) {
        features::gazetteer_hits(words, &mut s.gaz);
        self.stage1_with_hits(words, s);
    }

    /// [`Tagger::stage1`] once `s.gaz` holds the words' gazetteer hits.
    fn stage1_with_hits<S: AsRef<str>>(&self, words: &[S], s: &mut Scratch) {
        self.features_with_hits(words, None, s);
        let (ids, starts) = s.ext.raw();
        let overlay = s.overlay.as_deref();
        self.decode(
            0,
            ids,
            starts,
            None,
            overlay,
            &mut s.emit,
            &mut s.back,
            &mut s.pred1,
        );
    }

    /// Extracts the features of `words` (into `s.ext`) and their stems (`s.stems`) once `s.gaz` holds
    /// their gazetteer hits; `known`, if given, holds the words' numbers and the table of their atoms
    /// for [`features::Extractor::extract_known`] (used on the fast path only).
    fn features_with_hits<S: AsRef<str>>(
        &self,
        words: &[S],
        known: Option<(&[u32], &[WordAtoms])>,
        s: &mut Scratch,
    ) {
        let (vocab, bits) = (&self.model.vocab, self.model.bits);
        if s.split {
            match known {
                Some((n, table)) => s.ext.extract_known(words, n, table, &s.gaz, vocab, bits),
                None => s.ext.extract_split(words, &s.gaz, vocab, bits),
            }
        } else {
            s.ext.extract(words, &s.gaz, vocab, bits);
        }
        s.stems.clear();
        s.stems.extend((0..words.len()).map(|i| s.ext.stem_hash(i)));
    }

    /// Scores a sentence's features (`ids[starts[i]..starts[i + 1]]` for token i, plus `extra[i]`) with
    /// stage `k` into `emit` and decodes into `path`.
    #[allow(clippy::too_many_arguments)]
    fn decode(
        &self,
        k: usize,
        ids: &[u32],
        starts: &[usize],
        extra: Option<&[Vec<u32>]>,
        overlay: Option<&Overlay>,
        emit: &mut Vec<[f32; N_TAGS]>,
        back: &mut Vec<[u8; N_TAGS]>,
        path: &mut Vec<usize>,
    ) {
        let stage = &self.model.stages[k];
        let n = starts.len().saturating_sub(1);
        emit.clear();
        emit.resize(n, [0.0; N_TAGS]);
        for (i, e) in emit.iter_mut().enumerate() {
            let (feats, more) = (
                &ids[starts[i]..starts[i + 1]],
                extra.map_or(&[][..], |x| &x[i]),
            );
            stage.emit(feats, more, e);
            if let Some(o) = overlay {
                o.add_to(k, feats, more, e);
            }
        }
        viterbi(emit, &self.trans[k], back, path);
    }

    /// Runs the last stage on a sentence whose first stage gave `pred1` (features `ids`/`starts`, stems in
    /// `s.stems`), with `s.mem` as memory; the result is in `s.path` and its scores in `s.emit`.
    fn stage2(&self, ids: &[u32], starts: &[usize], pred1: &[usize], s: &mut Scratch) {
        if self.model.stages.len() < 2 {
            s.path.clear();
            s.path.extend_from_slice(pred1);
            return;
        }
        features::memory_features(&s.stems, pred1, &s.mem, self.model.bits, &mut s.extra);
        self.decode(
            1,
            ids,
            starts,
            Some(&s.extra),
            s.overlay.as_deref(),
            &mut s.emit,
            &mut s.back,
            &mut s.path,
        );
    }

    /// Tags one sentence into `out`, reusing `scratch`.
    pub fn tag_into<S: AsRef<str>>(&self, words: &[S], scratch: &mut Scratch, out: &mut Vec<Tag>) {
        out.clear();
        self.stage1(words, scratch);
        scratch.mem.clear();
        for (&h, &t) in scratch.stems.iter().zip(&scratch.pred1) {
            scratch.mem.add(h, t);
        }
        let ext = std::mem::take(&mut scratch.ext);
        let pred1 = std::mem::take(&mut scratch.pred1);
        let (ids, starts) = ext.raw();
        self.stage2(ids, starts, &pred1, scratch);
        scratch.ext = ext;
        scratch.pred1 = pred1;
        out.extend(scratch.path.iter().map(|&i| Tag::from_index(i)));
    }

    /// Tags the sentences of one document; each sentence's memory holds the first-stage tags of the
    /// [`MEMORY_WINDOW`] sentences on each side. Every tag comes with its posterior probability.
    pub fn tag_document<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<(Tag, f32)>> {
        let mut out = Vec::with_capacity(sentences.len());
        self.tag_words(sentences, true, |_, path, conf| {
            out.push(with_confidences(path, conf))
        });
        out
    }

    /// [`Tagger::tag_document`] without the confidences, which cost a forward-backward pass per sentence:
    /// `f(i, tags)` receives sentence i's tag indices ([`Tag::from_index`]), in order.
    pub fn tag_document_indices<S: AsRef<str>>(
        &self,
        sentences: &[Vec<S>],
        f: impl FnMut(usize, &[usize]),
    ) {
        let mut f = f;
        self.tag_words(sentences, false, |i, path, _| f(i, path));
    }

    /// Both stages over sentences of whitespace words, their distinct words worked out once
    /// ([`DocumentWords`]).
    fn tag_words<S: AsRef<str>>(
        &self,
        sentences: &[Vec<S>],
        confidences: bool,
        sink: impl FnMut(usize, &[usize], &[f32]),
    ) {
        let doc = DocumentWords::new(self, sentences);
        self.tag_range(&doc, sentences, 0..sentences.len(), confidences, sink)
    }

    /// Tags sentences `range` of a document whose distinct words `doc` holds (worked out by this
    /// tagger): `f(i, tags)` receives sentence i's tag indices, for i in `range` in order. The
    /// [`MEMORY_WINDOW`] sentences on each side are tagged too as the second stage's memory, so the tags
    /// are those of tagging the whole document, and a document can be tagged in ranges on many threads
    /// that share `doc` (what `sahifa tag` does).
    pub fn tag_range_indices<S: AsRef<str>>(
        &self,
        doc: &DocumentWords,
        sentences: &[Vec<S>],
        range: std::ops::Range<usize>,
        mut f: impl FnMut(usize, &[usize]),
    ) {
        self.tag_range(doc, sentences, range, false, |i, path, _| f(i, path))
    }

    /// [`Tagger::tag_range_indices`], with confidences when asked.
    fn tag_range<S: AsRef<str>>(
        &self,
        doc: &DocumentWords,
        sentences: &[Vec<S>],
        range: std::ops::Range<usize>,
        confidences: bool,
        mut sink: impl FnMut(usize, &[usize], &[f32]),
    ) {
        let n = sentences.len();
        let (lo, hi) = (
            range.start.saturating_sub(MEMORY_WINDOW),
            (range.end + MEMORY_WINDOW).min(n),
        );
        self.tag_sentences(
            hi - lo,
            None,
            Some(doc.sums()),
            |i, s| {
                let tokens = doc.tokens();
                tokens.hits(lo + i, &mut s.gaz);
                let numbers = tokens.word_numbers(lo + i);
                self.features_with_hits(&sentences[lo + i], Some((numbers, doc.atoms())), s);
            },
            confidences,
            |i, path, conf| {
                if range.contains(&(lo + i)) {
                    sink(lo + i, path, conf)
                }
            },
        )
    }

    /// [`Tagger::tag_document`] of sentences that are runs of the core's tokens, one word per token: the
    /// gazetteer hits come from the tokens as they are (what extraction does, having tokenised once).
    pub fn tag_token_document(
        &self,
        sentences: &[&[crate::tokenize::Token]],
    ) -> Vec<Vec<(Tag, f32)>> {
        self.tag_token_document_with(sentences, None)
    }

    /// [`Tagger::tag_token_document`] with learned deltas added to the model's scores.
    pub fn tag_token_document_with(
        &self,
        sentences: &[&[crate::tokenize::Token]],
        overlay: Option<std::sync::Arc<Overlay>>,
    ) -> Vec<Vec<(Tag, f32)>> {
        let mut words: Vec<&str> = Vec::new();
        let mut out = Vec::with_capacity(sentences.len());
        self.tag_sentences(
            sentences.len(),
            overlay,
            None,
            |i, s| {
                features::gazetteer_hits_of_tokens(sentences[i], &mut s.gaz);
                words.clear();
                words.extend(sentences[i].iter().map(|t| t.text.as_str()));
                self.features_with_hits(&words, None, s);
            },
            true,
            |_, path, conf| out.push(with_confidences(path, conf)),
        );
        out
    }

    /// Both stages over `n` sentences whose features `features(i, scratch)` extracts (into `scratch.ext`
    /// and `scratch.stems`); `sink(i, tags, confidences)` receives each sentence's tag indices and, with
    /// `confidences`, each tag's posterior probability (else an empty slice).
    ///
    /// A two-stage model without an overlay takes [`Tagger::tag_sentences_paired`] (with `known`, if
    /// given); the rest (and tests, as the reference) [`Tagger::tag_sentences_reference`]. Both give the
    /// same tags and confidences.
    fn tag_sentences(
        &self,
        n: usize,
        overlay: Option<std::sync::Arc<Overlay>>,
        known: Option<&[[[i32; N_TAGS]; 2]]>,
        features: impl FnMut(usize, &mut Scratch),
        confidences: bool,
        sink: impl FnMut(usize, &[usize], &[f32]),
    ) {
        if overlay.is_none() && self.model.stages.len() == 2 {
            self.tag_sentences_paired(n, known, features, confidences, sink)
        } else {
            self.tag_sentences_reference(n, overlay, features, confidences, sink)
        }
    }

    /// [`Tagger::tag_sentences`] of a two-stage model without an overlay, in one pass over each token's
    /// features: the first stage's scores and the second stage's sums over the token's own features are
    /// taken together ([`PairedRows`]), and only those nine integers a token are kept for the second
    /// stage, which adds its memory features' rows. Integer sums are the same in any order, so the scores
    /// are exactly the reference path's.
    ///
    /// The word features' sums come from `known` when given (`features` then extracts with
    /// [`features::Extractor::extract_known`]), else are worked out at a word's first occurrence.
    fn tag_sentences_paired(
        &self,
        n: usize,
        known: Option<&[[[i32; N_TAGS]; 2]]>,
        mut features: impl FnMut(usize, &mut Scratch),
        confidences: bool,
        mut sink: impl FnMut(usize, &[usize], &[f32]),
    ) {
        let (first, last) = (&self.model.stages[0], &self.model.stages[1]);
        let mut s = Scratch {
            split: true,
            ..Scratch::new()
        };
        // Per distinct word (entry of `Extractor::word_slot`) met here: both stages' sums over its word
        // features.
        let mut word_sums: Vec<[[i32; N_TAGS]; 2]> = Vec::new();
        // The word sums of the current sentence's tokens.
        let mut sums: Vec<[[i32; N_TAGS]; 2]> = Vec::new();
        // The first stage runs MEMORY_WINDOW sentences ahead of the last, which decodes sentence d once
        // the first has seen d + MEMORY_WINDOW. Per token of the sentences in between (from sentence
        // `kept` on): the last stage's sum over its own features, its stem and its first-stage tag;
        // sentence j's tokens are tok_at[j - kept]..tok_at[j - kept + 1]. Sentences the memory window has
        // left are dropped, so the buffers stay small and in cache rather than growing over the run
        // (fresh pages were a third of `sahifa tag`'s time).
        let (mut base, mut stems, mut pred1) = (Vec::new(), Vec::new(), Vec::new());
        let (mut tok_at, mut kept) = (vec![0usize], 0usize);
        let mut window = features::Window::new(MEMORY_WINDOW);
        let mut conf = Vec::new();
        for i in 0..n + MEMORY_WINDOW {
            if i < n {
                features(i, &mut s);
                for (e, feats) in s.ext.fresh_words() {
                    debug_assert_eq!(e as usize, word_sums.len());
                    let [mut a, mut b] = [[0i32; N_TAGS]; 2];
                    self.add_both(feats, &mut a, &mut b);
                    word_sums.push([a, b]);
                }
                let table = known.unwrap_or(&word_sums);
                let (ids, starts) = s.ext.raw();
                let len = starts.len().saturating_sub(1);
                // The tokens' word sums first, in a pass of loads that do not wait on one another: a
                // word's entry is seldom in cache (ANERcorp's 30k words take 2 MB), and loaded inside
                // the loop below each one waited behind the previous token's row sums.
                sums.clear();
                sums.extend((0..len).map(|j| table[s.ext.word_slot(j) as usize]));
                s.emit.clear();
                s.emit.resize(len, [0.0; N_TAGS]);
                for (j, e) in s.emit.iter_mut().enumerate() {
                    let feats = &ids[starts[j]..starts[j + 1]];
                    let [mut a, mut b] = sums[j];
                    self.add_both(feats, &mut a, &mut b);
                    first.real(&a, e);
                    base.push(b);
                }
                viterbi(&s.emit, &self.trans[0], &mut s.back, &mut s.path);
                pred1.extend_from_slice(&s.path);
                stems.extend_from_slice(&s.stems);
                tok_at.push(stems.len());
            }
            let Some(d) = i.checked_sub(MEMORY_WINDOW) else {
                continue;
            };
            window.advance(d, n, &mut s.mem, |j| {
                let r = tok_at[j - kept]..tok_at[j - kept + 1];
                (&stems[r.clone()], &pred1[r])
            });
            let r = tok_at[d - kept]..tok_at[d - kept + 1];
            features::memory_features(
                &stems[r.clone()],
                &pred1[r.clone()],
                &s.mem,
                self.model.bits,
                &mut s.extra,
            );
            s.emit.clear();
            for (b, extra) in base[r].iter().zip(&s.extra) {
                let mut acc = *b;
                last.add_rows(extra, &[], &mut acc);
                let mut e = [0.0; N_TAGS];
                last.real(&acc, &mut e);
                s.emit.push(e);
            }
            viterbi(&s.emit, &self.trans[1], &mut s.back, &mut s.path);
            self.confidences(&s, 1, confidences, &mut conf);
            sink(d, &s.path, &conf);
            // The window has removed the sentences before `d - MEMORY_WINDOW`: drop them now and then.
            let gone = d.saturating_sub(MEMORY_WINDOW) - kept;
            if gone >= 4 * MEMORY_WINDOW {
                let t = tok_at[gone];
                base.drain(..t);
                stems.drain(..t);
                pred1.drain(..t);
                tok_at.drain(..gone);
                tok_at.iter_mut().for_each(|x| *x -= t);
                kept += gone;
            }
        }
    }

    /// With `confidences`, the posterior probability of each tag of `s.path` under `s.emit` and stage
    /// `k`'s transitions, into `conf` (else `conf` is left empty).
    fn confidences(&self, s: &Scratch, k: usize, confidences: bool, conf: &mut Vec<f32>) {
        conf.clear();
        if confidences {
            let m = marginals(&s.emit, &self.trans[k], self.model.temperature);
            conf.extend(s.path.iter().zip(m).map(|(&t, p)| p[t]));
        }
    }

    /// The last stage of `n` sentences (`firsts.tok_at.len() - 1`) in order, `stage(i, s)` decoding
    /// sentence i into `s.emit` and `s.path` once `s.mem` holds the first stage's tags of the
    /// [`MEMORY_WINDOW`] sentences around it; `sink` receives the tags and, with `confidences`, their
    /// posterior probabilities under stage `k`'s transitions.
    fn last_stage(
        &self,
        firsts: &FirstStage,
        s: &mut Scratch,
        k: usize,
        confidences: bool,
        mut sink: impl FnMut(usize, &[usize], &[f32]),
        mut stage: impl FnMut(usize, &mut Scratch),
    ) {
        let FirstStage {
            tok_at,
            stems,
            pred1,
        } = firsts;
        let n = tok_at.len() - 1;
        s.mem.clear();
        let mut window = features::Window::new(MEMORY_WINDOW);
        let mut conf = Vec::new();
        for i in 0..n {
            window.advance(i, n, &mut s.mem, |j| {
                let r = tok_at[j]..tok_at[j + 1];
                (&stems[r.clone()], &pred1[r])
            });
            stage(i, s);
            self.confidences(s, k, confidences, &mut conf);
            sink(i, &s.path, &conf);
        }
    }

    /// [`Tagger::tag_sentences`] stage by stage: each sentence's first stage scores and decodes its
    /// features, which are kept (with the stems and tags, in flat buffers) for the second stage to score
    /// again with its memory features; an overlay adds its deltas to both.
    fn tag_sentences_reference(
        &self,
        n: usize,
        overlay: Option<std::sync::Arc<Overlay>>,
        mut features: impl FnMut(usize, &mut Scratch),
        confidences: bool,
        sink: impl FnMut(usize, &[usize], &[f32]),
    ) {
        let mut s = Scratch {
            overlay,
            ..Scratch::new()
        };
        // Sentence i: features ids[id_at[i]..id_at[i + 1]], tokens tok_at[i]..tok_at[i + 1] of starts
        // (relative to the sentence's ids; one more entry per sentence), stems and pred1.
        let (mut ids, mut id_at) = (Vec::new(), vec![0usize]);
        let (mut starts, mut start_at) = (Vec::new(), vec![0usize]);
        let (mut stems, mut pred1, mut tok_at) = (Vec::new(), Vec::new(), vec![0usize]);
        for i in 0..n {
            features(i, &mut s);
            {
                let (sid, sst) = s.ext.raw();
                let overlay = s.overlay.as_deref();
                self.decode(
                    0,
                    sid,
                    sst,
                    None,
                    overlay,
                    &mut s.emit,
                    &mut s.back,
                    &mut s.pred1,
                );
            }
            let (sid, sst) = s.ext.raw();
            ids.extend_from_slice(sid);
            id_at.push(ids.len());
            starts.extend_from_slice(sst);
            start_at.push(starts.len());
            stems.extend_from_slice(&s.stems);
            pred1.extend_from_slice(&s.pred1);
            tok_at.push(stems.len());
        }
        let k = self.model.stages.len() - 1;
        let firsts = FirstStage {
            tok_at: &tok_at,
            stems: &stems,
            pred1: &pred1,
        };
        self.last_stage(&firsts, &mut s, k, confidences, sink, |i, s| {
            let f_ids = &ids[id_at[i]..id_at[i + 1]];
            let f_starts = &starts[start_at[i]..start_at[i + 1]];
            let r = tok_at[i]..tok_at[i + 1];
            s.stems.clear();
            s.stems.extend_from_slice(&stems[r.clone()]);
            if k == 0 {
                let overlay = s.overlay.clone();
                let o = overlay.as_deref();
                self.decode(
                    0,
                    f_ids,
                    f_starts,
                    None,
                    o,
                    &mut s.emit,
                    &mut s.back,
                    &mut s.path,
                );
            } else {
                self.stage2(f_ids, f_starts, &pred1[r], s);
            }
        });
    }
}

/// The first stage's results over a run of sentences, in flat buffers: sentence i's tokens are
/// `tok_at[i]..tok_at[i + 1]` of `stems` (their stem hashes) and `pred1` (their tags).
struct FirstStage<'a> {
    tok_at: &'a [usize],
    stems: &'a [u64],
    pred1: &'a [usize],
}

/// A sentence's tag indices paired with their confidences.
fn with_confidences(path: &[usize], conf: &[f32]) -> Vec<(Tag, f32)> {
    path.iter()
        .zip(conf)
        .map(|(&t, &p)| (Tag::from_index(t), p))
        .collect()
}

/// The score of tag sequence `path` under emissions `emit` and transitions `trans` (last row: start).
fn path_score(emit: &[[f32; N_TAGS]], trans: &[[f32; N_TAGS]; N_TAGS + 1], path: &[usize]) -> f32 {
    let mut prev = N_TAGS;
    let mut total = 0.0;
    for (e, &t) in emit.iter().zip(path) {
        total += e[t] + trans[prev][t];
        prev = t;
    }
    total
}

/// One passive-aggressive step on the tokens `at` where `path` differs from `gold` in stage `k`: their
/// features (`feats(i)`: the token's own and extra ids) move towards the gold types by the score gap
/// between the two paths plus `margin`, shared among all of them. Whether anything moved.
#[allow(clippy::too_many_arguments)]
fn correct<'f>(
    overlay: &mut Overlay,
    k: usize,
    trans: &[[f32; N_TAGS]; N_TAGS + 1],
    emit: &[[f32; N_TAGS]],
    path: &[usize],
    gold: &[usize],
    at: &[usize],
    feats: impl Fn(usize) -> (&'f [u32], &'f [u32]),
    margin: f32,
) -> bool {
    if at.is_empty() {
        return false;
    }
    let gap = path_score(emit, trans, path) - path_score(emit, trans, gold);
    let n: usize = at
        .iter()
        .map(|&i| feats(i).0.len() + feats(i).1.len())
        .sum();
    let step = (gap.max(0.0) + margin) / (2.0 * n.max(1) as f32);
    let mut moved = false;
    for &i in at {
        let (own, extra) = feats(i);
        moved |= overlay.nudge(k, own, extra, gold[i], path[i], step);
    }
    moved
}

/// At most this many correction rounds per sentence in [`Tagger::learn`].
const LEARN_ROUNDS: usize = 6;
/// How far past a tie a corrected tag must win, as a share of the model's temperature.
const LEARN_MARGIN: f32 = 0.05;

impl Tagger {
    /// Learns one sentence the annotator corrected (online learning, see [`overlay`]): tags `tokens` with
    /// the first stage and `overlay`, and where its tag's type differs from `gold`'s, moves that word's
    /// features in `overlay` towards the gold type by just enough that it wins by a small margin (a
    /// passive-aggressive step), for up to [`LEARN_ROUNDS`] rounds. Returns whether anything was learned.
    ///
    /// Why the first stage only: the second stage reads what the first said about each name across the
    /// document, so a name learned there reaches its other mentions through the model's own memory
    /// features. Measured on ANERcorp's dev documents (`examples/learning_curve.rs`), updating both stages,
    /// or only the word's identity features, or with larger margins, lost precision as the corrections
    /// accumulated; this never scored below propagation alone.
    pub fn learn(
        &self,
        overlay: &mut Overlay,
        tokens: &[crate::tokenize::Token],
        gold: &[Tag],
    ) -> bool {
        self.learn_document(overlay, &[(tokens, gold.to_vec())])
    }

    /// [`Tagger::learn`] over the reviewed sentences of one document together: the last stage's memory
    /// holds what the first said about every one of them, as when the document is tagged.
    pub fn learn_document(
        &self,
        overlay: &mut Overlay,
        lessons: &[(&[crate::tokenize::Token], Vec<Tag>)],
    ) -> bool {
        use crate::token::TokenKind::{Latin, Number, Word};
        struct Sentence<'a> {
            tokens: &'a [crate::tokenize::Token],
            gold: Vec<usize>,
            ids: Vec<u32>,
            starts: Vec<usize>,
            stems: Vec<u64>,
            pred1: Vec<usize>,
        }
        let mut s = Scratch::new();
        let mut doc: Vec<Sentence> = lessons
            .iter()
            .filter(|(tokens, gold)| !tokens.is_empty() && tokens.len() == gold.len())
            .map(|(tokens, gold)| {
                features::gazetteer_hits_of_tokens(tokens, &mut s.gaz);
                let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
                s.ext
                    .extract(&words, &s.gaz, &self.model.vocab, self.model.bits);
                let (ids, starts) = s.ext.raw();
                Sentence {
                    tokens,
                    gold: gold.iter().map(|t| t.index()).collect(),
                    ids: ids.to_vec(),
                    starts: starts.to_vec(),
                    stems: (0..words.len()).map(|i| s.ext.stem_hash(i)).collect(),
                    pred1: Vec::new(),
                }
            })
            .collect();
        // Marks and symbols (a right-to-left mark glued to a name) teach nothing about names.
        let wrong_at = |x: &Sentence, path: &[usize]| -> Vec<usize> {
            (0..x.tokens.len())
                .filter(|&i| {
                    path[i] != x.gold[i] && matches!(x.tokens[i].kind, Word | Latin | Number)
                })
                .collect()
        };
        let mut learned = false;
        for round in 0..LEARN_ROUNDS {
            // Emission gaps ignore the transitions, which may still hold a decision: each round that
            // finds a sentence still wrong doubles the margin.
            let margin = self.model.temperature * LEARN_MARGIN * (1 << round) as f32;
            let mut wrong = false;
            for x in doc.iter_mut() {
                self.decode(
                    0,
                    &x.ids,
                    &x.starts,
                    None,
                    Some(overlay),
                    &mut s.emit,
                    &mut s.back,
                    &mut x.pred1,
                );
                let at = wrong_at(x, &x.pred1);
                let trans = &self.trans[0];
                let feats = |i: usize| (&x.ids[x.starts[i]..x.starts[i + 1]], &[][..]);
                wrong |= correct(
                    overlay, 0, trans, &s.emit, &x.pred1, &x.gold, &at, feats, margin,
                );
            }
            if self.model.stages.len() > 1 && !wrong {
                // The first stage is right now; the last decides, with what the first said as memory.
                s.mem.clear();
                for x in &doc {
                    for (&h, &t) in x.stems.iter().zip(&x.pred1) {
                        s.mem.add(h, t);
                    }
                }
                for x in &doc {
                    features::memory_features(
                        &x.stems,
                        &x.pred1,
                        &s.mem,
                        self.model.bits,
                        &mut s.extra,
                    );
                    self.decode(
                        1,
                        &x.ids,
                        &x.starts,
                        Some(&s.extra),
                        Some(overlay),
                        &mut s.emit,
                        &mut s.back,
                        &mut s.path,
                    );
                    let at = wrong_at(x, &s.path);
                    let (trans, extra) = (&self.trans[1], &s.extra);
                    let feats = |i: usize| (&x.ids[x.starts[i]..x.starts[i + 1]], &extra[i][..]);
                    wrong |= correct(
                        overlay, 1, trans, &s.emit, &s.path, &x.gold, &at, feats, margin,
                    );
                }
            }
            if !wrong {
                break;
            }
            learned = true;
        }
        learned
    }
}

/// Entity spans found by the embedded tagger in raw text: `(start, end, type, confidence)`, offsets in code
/// points (end exclusive), confidence the mean posterior probability of the span's tags.
///
/// The text is tokenised with the core's tokeniser and split into sentences (at most
/// [`crate::conll::MAX_SENTENCE_LEN`] tokens each), tagged as one document; a span starts at its first
/// token's `stem_start`, so proclitics stay outside as the guidelines ask.
pub fn tag_text(text: &str) -> Vec<(usize, usize, EntityType, f32)> {
    embedded().spans(text)
}

impl Tagger {
    /// [`tag_text`] with this tagger.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize, EntityType, f32)> {
        self.spans_in(text, &crate::tokenize::tokenize(text))
    }

    /// [`Tagger::spans`] over tokens the caller already has (the extraction pipeline tokenises once).
    pub fn spans_in(
        &self,
        text: &str,
        tokens: &[crate::tokenize::Token],
    ) -> Vec<(usize, usize, EntityType, f32)> {
        self.spans_in_with(text, tokens, None)
    }

    /// [`Tagger::spans_in`] with learned deltas (online learning) added to the model's scores.
    pub fn spans_in_with(
        &self,
        text: &str,
        tokens: &[crate::tokenize::Token],
        overlay: Option<std::sync::Arc<Overlay>>,
    ) -> Vec<(usize, usize, EntityType, f32)> {
        let mut chunks: Vec<&[crate::tokenize::Token]> = Vec::new();
        for range in crate::tokenize::sentences(text, tokens) {
            chunks.extend(tokens[range].chunks(crate::conll::MAX_SENTENCE_LEN));
        }
        let tagged = self.tag_token_document_with(&chunks, overlay);
        let mut out = Vec::new();
        for (chunk, tagged) in chunks.iter().zip(&tagged) {
            let mut i = 0;
            while i < chunk.len() {
                let Tag::B(ty) = tagged[i].0 else {
                    i += 1;
                    continue;
                };
                let mut j = i + 1;
                while j < chunk.len() && tagged[j].0 == Tag::I(ty) {
                    j += 1;
                }
                let conf = tagged[i..j].iter().map(|t| t.1).sum::<f32>() / (j - i) as f32;
                let start = chunk[i].stem_start.min(chunk[i].end);
                if start < chunk[j - 1].end {
                    out.push((start, chunk[j - 1].end, ty, conf.clamp(0.0, 1.0)));
                }
                i = j;
            }
        }
        out
    }
}

/// The model trained on ANERcorp, embedded in the binary (the `embedded-model` feature).
#[cfg(feature = "embedded-model")]
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/anercorp.bin");

/// The shipped model: embedded (decoded on first use) or installed with [`crate::data::install`].
///
/// # Panics
/// Without the `embedded-model` feature, when the model is not installed yet: callers that may run
/// before then use [`installed`].
pub fn embedded() -> &'static Tagger {
    installed().expect("the tagger's data is installed (sahifa_core::data::install)")
}

/// The shipped model when the tagger can run (all four data files there, see
/// [`crate::data::tagger_ready`]); `None` before.
pub fn installed() -> Option<&'static Tagger> {
    crate::data::tagger_ready()
        .then(crate::data::model)
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_byte_rows_tag_as_the_dense_table_does() {
        // The shipped model loads packed (byte_rows); the same weights as a dense i16 table (how training
        // holds them) must give the same tags and confidences, sentence by sentence and as a document.
        let packed = embedded().clone();
        assert!(packed.model().narrow());
        let mut m = packed.model().clone();
        for s in &mut m.stages {
            s.weights.widen();
        }
        assert!(!m.narrow());
        let dense = Tagger::new(m);
        let text = crate::SEED_ARTICLE;
        let sentences: Vec<Vec<&str>> = text
            .split('.')
            .map(|s| s.split_whitespace().collect())
            .collect();
        assert_eq!(
            packed.tag_document(&sentences),
            dense.tag_document(&sentences)
        );
        for s in &sentences {
            assert_eq!(packed.tag(s), dense.tag(s));
        }
        assert_eq!(packed.spans(text), dense.spans(text));
        assert!(!packed.spans(text).is_empty());
    }

    /// The ways of tagging a document of whitespace words, with confidences: [`Tagger::tag_sentences`]'s
    /// fast path from a [`DocumentWords`] worked out in pieces of `piece` distinct words and tagged in
    /// ranges of `run` sentences (what `sahifa tag` does on many threads), the same fast path remembering
    /// words as it meets them (what extraction does), and the reference path.
    fn fast_and_reference(
        t: &Tagger,
        sentences: &[Vec<String>],
        piece: usize,
        run: usize,
    ) -> [Vec<Vec<(usize, f32)>>; 3] {
        let keep = |out: &mut Vec<Vec<(usize, f32)>>, path: &[usize], conf: &[f32]| {
            out.push(path.iter().copied().zip(conf.iter().copied()).collect())
        };
        let n = sentences.len();
        let (mut doc, distinct) = DocumentWords::numbered(sentences);
        for p in doc.pieces(t, &distinct, piece) {
            p.work(t);
        }
        let mut ranged = Vec::new();
        for a in (0..n).step_by(run.max(1)) {
            t.tag_range(&doc, sentences, a..(a + run).min(n), true, |i, p, c| {
                assert_eq!(i, ranged.len(), "sentences in order");
                keep(&mut ranged, p, c)
            });
        }
        // Words remembered as met; the reference tokenises each sentence and extracts each token in full.
        let features = |i: usize, s: &mut Scratch| {
            features::gazetteer_hits(&sentences[i], &mut s.gaz);
            t.features_with_hits(&sentences[i], None, s);
        };
        let (mut cached, mut reference) = (Vec::new(), Vec::new());
        t.tag_sentences_paired(n, None, features, true, |_, p, c| keep(&mut cached, p, c));
        t.tag_sentences_reference(n, None, features, true, |_, p, c| {
            keep(&mut reference, p, c)
        });
        [ranged, cached, reference]
    }

    /// Words for random documents: the seed article's (names, clitics, punctuation, digits) and a few
    /// made-up ones.
    fn word_pool() -> Vec<String> {
        let mut w: Vec<String> = crate::SEED_ARTICLE
            .split_whitespace()
            .map(String::from)
            .collect();
        w.sort();
        w.dedup();
        w.extend(
            [
                "بالقاهرة",
                "وللمنظمة",
                "X-ray",
                "٢٠٢٦",
                "\u{200f}",
                "،",
                "غوغل",
                "وبالأمم",
                "المتحدة",
                "نيو\u{200b}يورك",
                "\u{200f}الأمين",
            ]
            .map(String::from),
        );
        w
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn fast_path_tags_as_the_reference_path(
            picks in proptest::collection::vec(
                proptest::collection::vec(0usize..10_000, 0..40), 0..80),
            piece in 1usize..60,
            run in 1usize..50,
        ) {
            // Random documents of random sentences (empty ones included, long enough that the memory
            // window slides and is dropped from), tagged every way, the distinct words worked out in
            // pieces and the sentences tagged in ranges of any length: the same tags and the same
            // confidences, bit for bit.
            let pool = word_pool();
            let sentences: Vec<Vec<String>> = picks
                .iter()
                .map(|s| s.iter().map(|&k| pool[k % pool.len()].clone()).collect())
                .collect();
            let [ranged, cached, reference] =
                fast_and_reference(embedded(), &sentences, piece, run);
            proptest::prop_assert_eq!(&ranged, &reference);
            proptest::prop_assert_eq!(&cached, &reference);
        }

        #[test]
        fn a_document_tokenised_per_distinct_word_gives_each_sentence_its_hits(
            picks in proptest::collection::vec(
                proptest::collection::vec(0usize..10_000, 0..30), 0..20),
        ) {
            // The gazetteer hits and word numbers of `DocumentTokens` (each distinct word tokenised
            // and walked into the lists once) against tokenising each sentence on its own.
            let pool = word_pool();
            let sentences: Vec<Vec<String>> = picks
                .iter()
                .map(|s| s.iter().map(|&k| pool[k % pool.len()].clone()).collect())
                .collect();
            let doc = features::DocumentTokens::new(&sentences);
            let (mut want, mut got) = (Vec::new(), Vec::new());
            let mut first_met: Vec<&str> = Vec::new();
            for (i, s) in sentences.iter().enumerate() {
                features::gazetteer_hits(s, &mut want);
                doc.hits(i, &mut got);
                proptest::prop_assert_eq!(&got, &want);
                for (w, &k) in s.iter().zip(doc.word_numbers(i)) {
                    match first_met.iter().position(|m| m == w) {
                        Some(p) => proptest::prop_assert_eq!(p, k as usize),
                        None => {
                            proptest::prop_assert_eq!(first_met.len(), k as usize);
                            first_met.push(w);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn fast_path_tags_the_seed_as_the_reference_path() {
        // The seed article five times over, cut at its full stops and every 9 words: long enough that
        // the fast path drops sentences the memory window has left, several times.
        let text = [crate::SEED_ARTICLE; 5].join(" ");
        let sentences: Vec<Vec<String>> = text
            .split('.')
            .flat_map(|s| {
                let words: Vec<String> = s.split_whitespace().map(String::from).collect();
                words.chunks(9).map(<[String]>::to_vec).collect::<Vec<_>>()
            })
            .collect();
        assert!(sentences.len() > 8 * MEMORY_WINDOW, "{}", sentences.len());
        for (piece, run) in [(16, 7), (1000, 1000), (5, 90)] {
            let [fast, cached, reference] = fast_and_reference(embedded(), &sentences, piece, run);
            assert_eq!(fast, reference);
            assert_eq!(cached, reference);
        }
        let [fast, ..] = fast_and_reference(embedded(), &sentences, 16, 7);
        assert!(
            fast.iter().flatten().any(|&(t, _)| t != 0),
            "some names found"
        );
    }

    #[test]
    fn tag_index_round_trip() {
        for i in 0..N_TAGS {
            assert_eq!(Tag::from_index(i).index(), i);
        }
        assert_eq!(Tag::parse("B-PERS"), Tag::B(EntityType::Per));
        assert_eq!(Tag::parse("I-DATE"), Tag::O);
        assert_eq!(Tag::B(EntityType::Per).to_conll("PERS"), "B-PERS");
    }

    #[test]
    fn constraints() {
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2) && allowed(Some(2), 2));
        assert!(!allowed(Some(3), 2) && !allowed(Some(0), 2));
    }

    #[test]
    fn viterbi_respects_constraints() {
        // Token 0 prefers O, token 1 prefers I-PER: an I-PER after O is forbidden.
        let mut emit = vec![[0f32; N_TAGS]; 2];
        emit[0][0] = 2.0;
        emit[0][1] = 1.5;
        emit[1][2] = 3.0;
        let trans = [[0f32; N_TAGS]; N_TAGS + 1];
        let (mut b, mut out) = (Vec::new(), Vec::new());
        viterbi(&emit, &trans, &mut b, &mut out);
        assert_eq!(out, vec![1, 2]);
        let m = marginals(&emit, &trans, 1.0);
        assert!((m[0].iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert_eq!(m[0][2], 0.0);
    }

    #[test]
    fn marginals_match_brute_force_enumeration() {
        // Three tokens, arbitrary scores: the posterior of each tag is the sum of exp(path score / T) over
        // every allowed path through it, divided by the sum over all allowed paths.
        let mut emit = vec![[0f32; N_TAGS]; 3];
        let mut trans = [[0f32; N_TAGS]; N_TAGS + 1];
        let mut x = 0.37f32;
        let mut next = || {
            x = (x * 7.13 + 0.29).fract();
            x * 6.0 - 3.0
        };
        emit.iter_mut().flatten().for_each(|v| *v = next());
        trans.iter_mut().flatten().for_each(|v| *v = next());
        let temp = 1.7;
        let mut want = vec![[0f64; N_TAGS]; 3];
        let mut total = 0f64;
        for a in 0..N_TAGS {
            for b in 0..N_TAGS {
                for c in 0..N_TAGS {
                    if !(allowed(None, a) && allowed(Some(a), b) && allowed(Some(b), c)) {
                        continue;
                    }
                    let score = trans[N_TAGS][a]
                        + emit[0][a]
                        + trans[a][b]
                        + emit[1][b]
                        + trans[b][c]
                        + emit[2][c];
                    let w = ((score / temp) as f64).exp();
                    total += w;
                    want[0][a] += w;
                    want[1][b] += w;
                    want[2][c] += w;
                }
            }
        }
        let got = marginals(&emit, &trans, temp);
        for i in 0..3 {
            for t in 0..N_TAGS {
                let w = want[i][t] / total;
                assert!(
                    (got[i][t] as f64 - w).abs() < 1e-4,
                    "token {i} tag {t}: {} vs {w}",
                    got[i][t]
                );
            }
        }
    }
}
