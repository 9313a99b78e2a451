//! Training: the averaged structured perceptron (Collins 2002) with the same Viterbi decoder as tagging.
//!
//! Why this learner: it needs no gradient machinery or hyper-parameters beyond the number of epochs, it is
//! deterministic given a seed (training order is shuffled with a fixed xorshift generator, features are
//! hashed with fixed functions), and averaging makes it about as accurate as a CRF on this kind of data.
//! Each epoch is scored on a held-out dev set and the best epoch's averaged weights are kept.

use super::features::{gazetteer_hits, Extractor, GazHit};
use super::{marginals, viterbi, Model, Tag, N_TAGS};
use crate::metrics::Scores;

/// One training sentence.
#[derive(Debug, Clone)]
pub struct Example {
    pub words: Vec<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// log2 of the number of hashed feature rows.
    pub bits: u32,
    /// Emission weights smaller than this (in quantised units) are dropped from the model.
    pub prune: i16,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 12, seed: 1, bits: 20, prune: 0 }
    }
}

/// What training produced.
#[derive(Debug)]
pub struct Trained {
    pub model: Model,
    /// 1-based epoch whose weights were kept.
    pub best_epoch: usize,
    /// Dev scores of the kept epoch (empty when there was no dev set).
    pub dev: Scores,
}

/// Deterministic xorshift64* generator for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Feature ids of every sentence, extracted once.
struct Cached {
    ids: Vec<u32>,
    /// Per token: range into `ids`.
    starts: Vec<usize>,
    gold: Vec<usize>,
}

fn cache(examples: &[Example], bits: u32) -> Vec<Cached> {
    let mut ext = Extractor::new();
    let mut gaz: Vec<Vec<GazHit>> = Vec::new();
    examples
        .iter()
        .map(|ex| {
            gazetteer_hits(&ex.words, &mut gaz);
            ext.extract(&ex.words, &gaz, bits);
            let mut ids = Vec::new();
            let mut starts = vec![0];
            for i in 0..ex.words.len() {
                ids.extend_from_slice(ext.features(i));
                starts.push(ids.len());
            }
            Cached { ids, starts, gold: ex.tags.iter().map(|t| t.index()).collect() }
        })
        .collect()
}

fn emissions(c: &Cached, w: &[f32], out: &mut Vec<[f32; N_TAGS]>) {
    out.clear();
    for i in 0..c.gold.len() {
        let mut e = [0f32; N_TAGS];
        for &f in &c.ids[c.starts[i]..c.starts[i + 1]] {
            let row = &w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
            for t in 0..N_TAGS {
                e[t] += row[t];
            }
        }
        out.push(e);
    }
}

fn trans_matrix(t: &[f32]) -> [[f32; N_TAGS]; N_TAGS + 1] {
    let mut m = [[0f32; N_TAGS]; N_TAGS + 1];
    for (i, row) in m.iter_mut().enumerate() {
        row.copy_from_slice(&t[i * N_TAGS..(i + 1) * N_TAGS]);
    }
    m
}

fn names(tags: &[usize]) -> Vec<String> {
    tags.iter().map(|&t| Tag::from_index(t).to_conll("PER")).collect()
}

fn evaluate(dev: &[Cached], w: &[f32], t: &[f32]) -> Scores {
    let trans = trans_matrix(t);
    let mut scores = Scores::new();
    let (mut emit, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    for c in dev {
        emissions(c, w, &mut emit);
        viterbi(&emit, &trans, &mut back, &mut path);
        scores.add(&names(&c.gold), &names(&path));
    }
    scores
}

/// Picks the softmax temperature that gives the dev tokens' gold tags the highest likelihood.
fn pick_temperature(dev: &[Cached], w: &[f32], t: &[f32]) -> f32 {
    if dev.is_empty() {
        return 1.0;
    }
    let trans = trans_matrix(t);
    let mut emit = Vec::new();
    let mut best = (f64::NEG_INFINITY, 1.0f32);
    for temp in [0.25f32, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0] {
        let mut ll = 0f64;
        for c in dev.iter().take(300) {
            emissions(c, w, &mut emit);
            let m = marginals(&emit, &trans, temp);
            for (i, &g) in c.gold.iter().enumerate() {
                ll += (m[i][g].max(1e-9) as f64).ln();
            }
        }
        if ll > best.0 {
            best = (ll, temp);
        }
    }
    best.1
}

/// Trains on `train`, scoring every epoch on `dev` (may be empty: then the last epoch is kept) and calling
/// `on_epoch(epoch, &scores)` after each.
pub fn train(train: &[Example], dev: &[Example], opts: &TrainOptions, mut on_epoch: impl FnMut(usize, &Scores)) -> Trained {
    let bits = opts.bits;
    let size = (1usize << bits) * N_TAGS;
    let tsize = (N_TAGS + 1) * N_TAGS;
    let data = cache(train, bits);
    let dev = cache(dev, bits);
    let mut w = vec![0f32; size];
    let mut u = vec![0f64; size];
    let mut tw = vec![0f32; tsize];
    let mut tu = vec![0f64; tsize];
    let mut c = 1f64;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (mut emit, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(f64, usize, Vec<f32>, Vec<f32>, Scores)> = None;
    let mut avg = vec![0f32; size];
    let mut tavg = vec![0f32; tsize];
    for epoch in 1..=opts.epochs.max(1) {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let trans_now = |tw: &[f32]| trans_matrix(tw);
        for &k in &order {
            let s = &data[k];
            emissions(s, &w, &mut emit);
            viterbi(&emit, &trans_now(&tw), &mut back, &mut path);
            if path != s.gold {
                for i in 0..s.gold.len() {
                    let (g, p) = (s.gold[i], path[i]);
                    if g != p {
                        for &f in &s.ids[s.starts[i]..s.starts[i + 1]] {
                            let b = f as usize * N_TAGS;
                            w[b + g] += 1.0;
                            u[b + g] += c;
                            w[b + p] -= 1.0;
                            u[b + p] -= c;
                        }
                    }
                    let gp = if i == 0 { N_TAGS } else { s.gold[i - 1] };
                    let pp = if i == 0 { N_TAGS } else { path[i - 1] };
                    if (gp, g) != (pp, p) {
                        tw[gp * N_TAGS + g] += 1.0;
                        tu[gp * N_TAGS + g] += c;
                        tw[pp * N_TAGS + p] -= 1.0;
                        tu[pp * N_TAGS + p] -= c;
                    }
                }
            }
            c += 1.0;
        }
        for (a, (wi, ui)) in avg.iter_mut().zip(w.iter().zip(&u)) {
            *a = (*wi as f64 - ui / c) as f32;
        }
        for (a, (wi, ui)) in tavg.iter_mut().zip(tw.iter().zip(&tu)) {
            *a = (*wi as f64 - ui / c) as f32;
        }
        let scores = evaluate(&dev, &avg, &tavg);
        on_epoch(epoch, &scores);
        let f = if dev.is_empty() { epoch as f64 } else { scores.micro().f1() };
        if best.as_ref().is_none_or(|b| f > b.0) {
            match &mut best {
                Some(b) => {
                    b.0 = f;
                    b.1 = epoch;
                    b.2.copy_from_slice(&avg);
                    b.3.copy_from_slice(&tavg);
                    b.4 = scores;
                }
                None => best = Some((f, epoch, avg.clone(), tavg.clone(), scores)),
            }
        }
    }
    let (_, best_epoch, bw, bt, dev_scores) = best.expect("at least one epoch");
    let temperature = pick_temperature(&dev, &bw, &bt);
    let mut model = Model::quantize(bits, &bw, &bt, temperature);
    if opts.prune > 0 {
        model.prune(opts.prune);
    }
    Trained { model, best_epoch, dev: dev_scores }
}

/// Splits sentences into (train, dev): the last `dev_fraction` of the sentences, in file order, is dev.
pub fn split_dev(examples: Vec<Example>, dev_fraction: f64) -> (Vec<Example>, Vec<Example>) {
    let n = examples.len();
    let n_dev = ((n as f64) * dev_fraction.clamp(0.0, 0.9)).round() as usize;
    let mut train = examples;
    let dev = train.split_off(n - n_dev);
    (train, dev)
}

/// Turns a read CoNLL document into training examples (IOB2 tags, DATE/NUM and unknown types as O).
pub fn examples(doc: &crate::conll::Document) -> Vec<Example> {
    doc.sentences
        .iter()
        .filter(|s| s.tags.len() == s.words.len() && !s.words.is_empty())
        .map(|s| {
            let mut tags: Vec<Tag> = s.tags.iter().map(|t| Tag::parse(t)).collect();
            // An I- whose B- was a type the tagger drops must start its own entity.
            for i in 0..tags.len() {
                if let Tag::I(t) = tags[i] {
                    if i == 0 || tags[i - 1].entity_type() != Some(t) {
                        tags[i] = Tag::B(t);
                    }
                }
            }
            Example { words: s.words.clone(), tags }
        })
        .collect()
}
