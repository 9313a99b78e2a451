//! Training: the averaged structured perceptron (Collins 2002) with the same Viterbi decoder as tagging.
//!
//! Why this learner: it needs no gradient machinery or hyper-parameters beyond the number of epochs, it is
//! deterministic given a seed (training order is shuffled with a fixed xorshift generator, features are
//! hashed with fixed functions), and averaging makes it about as accurate as a CRF on this kind of data.
//! Each epoch is scored on a held-out dev set and the best epoch's averaged weights are kept.

pub use super::corpus::Corpus;
use super::corpus::{examples_folded, Folding};
use super::features::{gazetteer_hits, memory_features, Extractor, GazHit, Memory, Vocab, Window};
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
    /// Emission weights whose magnitude times the square root of their feature's training count is below
    /// this are dropped from the model, per stage (see [`Model::prune`]).
    pub prune: [f32; 2],
    /// Hamming cost added to wrong tags during training decodes (0 = plain perceptron).
    pub cost: f32,
    /// 1: word features only; 2: add a second stage with document memory.
    pub stages: usize,
    /// Rare-word features (a vocabulary of words seen twice or more is stored in the model).
    pub rare: bool,
    /// Number of differently-seeded runs whose weights are averaged.
    pub ensemble: usize,
    /// Quantisation step of the stored weights, in real units (see [`Model::coarsen`]).
    pub step: f32,
    /// Margin against tag O (see [`Model::shift_o`]); 8 was best on every one of five cross-validation
    /// folds of the training file (`examples/tagger_cv.rs`), worth about half a point of F1.
    pub shift: f32,
    /// Softmax temperature of the confidences; `None` picks it on the dev set (1 without one).
    pub temperature: Option<f32>,
    /// Sentences of corpora other than domain 0 also get domain-specific copies of their features.
    pub domain_copies: bool,
    /// Stored values snapped to a logarithmic grid of this many levels per doubling, 0 for none (see
    /// [`Model::snap_to_levels`]).
    pub levels: u32,
    /// The first-stage models that predict the training text for the second stage's memory (one per
    /// fold) are ensembles of `ensemble` runs, like the first stage that tagging uses, instead of one run.
    pub stack_ensemble: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            seed: 1,
            bits: 18,
            prune: [3.0, 9.0],
            cost: 2.0,
            stages: 2,
            rare: false,
            ensemble: 5,
            step: 0.5,
            shift: 8.0,
            temperature: None,
            domain_copies: false,
            levels: 0,
            stack_ensemble: false,
        }
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
    /// The model before pruning, coarsening and the O margin, and each feature row's training count:
    /// [`finish`] makes `model` from them.
    pub quantized: Model,
    pub counts: Vec<u32>,
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
    /// Second-stage (memory) ids per token, empty for the first stage.
    extra: Vec<Vec<u32>>,
    stems: Vec<u64>,
    gold: Vec<usize>,
    /// How much this sentence's updates count (its corpus's weight), per type of the token's tag: O,
    /// then PER, LOC, ORG, MISC (see [`Corpus::type_weights`]).
    weight: [f32; 5],
    /// Per token: end of its general features in `ids` (domain copies, never seen at tagging time, follow).
    general: Vec<usize>,
}

fn cache(examples: &[Example], vocab: &Vocab, bits: u32) -> Vec<Cached> {
    cache_corpus(examples, vocab, bits, 0, [1.0; 5], false)
}

fn cache_corpus(
    examples: &[Example],
    vocab: &Vocab,
    bits: u32,
    domain: u8,
    weight: [f32; 5],
    copies: bool,
) -> Vec<Cached> {
    let mut ext = Extractor::new();
    ext.set_domain(domain, copies);
    let mut gaz: Vec<Vec<GazHit>> = Vec::new();
    examples
        .iter()
        .map(|ex| {
            gazetteer_hits(&ex.words, &mut gaz);
            ext.extract(&ex.words, &gaz, vocab, bits);
            let mut ids = Vec::new();
            let mut starts = vec![0];
            let mut general = Vec::new();
            for i in 0..ex.words.len() {
                // `ids` grows exactly as the extractor's own buffer does.
                general.push(ext.general_end(i));
                ids.extend_from_slice(ext.features(i));
                starts.push(ids.len());
            }
            Cached {
                ids,
                starts,
                extra: Vec::new(),
                stems: (0..ex.words.len()).map(|i| ext.stem_hash(i)).collect(),
                gold: ex.tags.iter().map(|t| t.index()).collect(),
                weight,
                general,
            }
        })
        .collect()
}

fn emissions(c: &Cached, w: &[f32], out: &mut Vec<[f32; N_TAGS]>) {
    out.clear();
    for i in 0..c.gold.len() {
        let mut e = [0f32; N_TAGS];
        let extra = c.extra.get(i).map_or(&[][..], |x| &x[..]);
        for &f in c.ids[c.starts[i]..c.starts[i + 1]].iter().chain(extra) {
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
    tags.iter()
        .map(|&t| Tag::from_index(t).to_conll("PER"))
        .collect()
}

fn predict(data: &[Cached], w: &[f32], t: &[f32]) -> Vec<Vec<usize>> {
    let trans = trans_matrix(t);
    let (mut emit, mut back) = (Vec::new(), Vec::new());
    data.iter()
        .map(|c| {
            let mut path = Vec::new();
            emissions(c, w, &mut emit);
            viterbi(&emit, &trans, &mut back, &mut path);
            path
        })
        .collect()
}

fn evaluate(dev: &[Cached], w: &[f32], t: &[f32]) -> Scores {
    let mut scores = Scores::new();
    for (c, path) in dev.iter().zip(predict(dev, w, t)) {
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
    for temp in [
        0.5f32, 1.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0,
    ] {
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

/// Result of one perceptron run: averaged weights of the kept epoch.
struct Run {
    w: Vec<f32>,
    t: Vec<f32>,
    epoch: usize,
    scores: Scores,
}

/// Averaged perceptron over cached sentences; keeps the epoch with the best dev F1 (the last without dev).
fn perceptron(
    data: &[&Cached],
    dev: &[Cached],
    opts: &TrainOptions,
    epochs: usize,
    mut on_epoch: impl FnMut(usize, &Scores),
) -> Run {
    let bits = opts.bits;
    // Domain copies have rows of their own after the table (see `Extractor::set_domain`).
    let size = (1usize << (bits + opts.domain_copies as u32)) * N_TAGS;
    let tsize = (N_TAGS + 1) * N_TAGS;
    let mut w = vec![0f32; size];
    let mut u = vec![0f64; size];
    let mut tw = vec![0f32; tsize];
    let mut tu = vec![0f64; tsize];
    let mut c = 1f64;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (mut emit, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(f64, Run)> = None;
    let mut avg = vec![0f32; size];
    let mut tavg = vec![0f32; tsize];
    for epoch in 1..=epochs.max(1) {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &k in &order {
            let s = data[k];
            emissions(s, &w, &mut emit);
            if opts.cost > 0.0 {
                // Loss-augmented decoding: every wrong tag gets a head start, so updates also push
                // correct-but-narrow decisions towards a margin.
                for (e, &g) in emit.iter_mut().zip(&s.gold) {
                    for (t, v) in e.iter_mut().enumerate() {
                        if t != g {
                            *v += opts.cost;
                        }
                    }
                }
            }
            viterbi(&emit, &trans_matrix(&tw), &mut back, &mut path);
            if path != s.gold {
                for i in 0..s.gold.len() {
                    let (g, p) = (s.gold[i], path[i]);
                    // The type of the gold tag, or at a gold O of the predicted one (tags 2k-1, 2k).
                    let wt = s.weight[if g > 0 { g } else { p }.div_ceil(2)];
                    let cw = c * wt as f64;
                    if g != p {
                        let extra = s.extra.get(i).map_or(&[][..], |x| &x[..]);
                        for &f in s.ids[s.starts[i]..s.starts[i + 1]].iter().chain(extra) {
                            let b = f as usize * N_TAGS;
                            w[b + g] += wt;
                            u[b + g] += cw;
                            w[b + p] -= wt;
                            u[b + p] -= cw;
                        }
                    }
                    let gp = if i == 0 { N_TAGS } else { s.gold[i - 1] };
                    let pp = if i == 0 { N_TAGS } else { path[i - 1] };
                    if (gp, g) != (pp, p) {
                        tw[gp * N_TAGS + g] += wt;
                        tu[gp * N_TAGS + g] += cw;
                        tw[pp * N_TAGS + p] -= wt;
                        tu[pp * N_TAGS + p] -= cw;
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
        let scores = if dev.is_empty() {
            Scores::new()
        } else {
            evaluate(dev, &avg, &tavg)
        };
        on_epoch(epoch, &scores);
        let f = if dev.is_empty() {
            epoch as f64
        } else {
            scores.micro().f1()
        };
        match &mut best {
            Some((bf, run)) if f > *bf => {
                *bf = f;
                run.w.copy_from_slice(&avg);
                run.t.copy_from_slice(&tavg);
                run.epoch = epoch;
                run.scores = scores;
            }
            Some(_) => {}
            None => {
                best = Some((
                    f,
                    Run {
                        w: avg.clone(),
                        t: tavg.clone(),
                        epoch,
                        scores,
                    },
                ))
            }
        }
    }
    best.expect("at least one epoch").1
}

/// Fills every sentence's memory features from first-stage predictions `pred1` (same order as `data`,
/// which is in text order): each sentence remembers the [`super::MEMORY_WINDOW`] sentences on each side.
fn add_memory(data: &mut [Cached], pred1: &[Vec<usize>], bits: u32) {
    let mut mem = Memory::new();
    let mut window = Window::new(super::MEMORY_WINDOW);
    let n = data.len();
    for i in 0..n {
        window.advance(i, n, &mut mem, |j| (&data[j].stems[..], &pred1[j][..]));
        let mut extra = Vec::new();
        memory_features(&data[i].stems, &pred1[i], &mem, bits, &mut extra);
        data[i].extra = extra;
    }
}

/// Trains on `train`, scoring every epoch on `dev` (may be empty: then the last epoch is kept) and calling
/// `on_epoch(stage, epoch, &scores)` after each.
///
/// With `opts.stages == 2`, the first stage is trained as usual; its predictions on the training data come
/// from `FOLDS` models each trained without the fold they predict (so the second stage learns from
/// first-stage mistakes as they will look on unseen text), and the second stage is trained on the word
/// features plus memory features of those predictions.
pub fn train(
    train: &[Example],
    dev: &[Example],
    opts: &TrainOptions,
    on_epoch: impl FnMut(usize, usize, &Scores),
) -> Trained {
    let corpus = Corpus::new(train.to_vec(), 1.0, 0);
    train_corpora(std::slice::from_ref(&corpus), dev, opts, on_epoch)
}

/// [`train`] on several corpora at once, each with its weight and domain flag (see [`Corpus`]); their
/// sentences are concatenated in the order given.
pub fn train_corpora(
    corpora: &[Corpus],
    dev: &[Example],
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(usize, usize, &Scores),
) -> Trained {
    const FOLDS: usize = 5;
    let bits = opts.bits;
    let vocab = if opts.rare {
        let words: Vec<&[String]> = corpora
            .iter()
            .flat_map(|c| &c.examples)
            .map(|e| &e.words[..])
            .collect();
        let words: Vec<Vec<&str>> = words
            .iter()
            .map(|w| w.iter().map(String::as_str).collect())
            .collect();
        Vocab::build(&words, 2, Vocab::BITS)
    } else {
        Vocab::default()
    };
    let own = super::stem_table::profiles();
    let mut data: Vec<Cached> = corpora
        .iter()
        .flat_map(|c| {
            // A corpus's own type profiles (a jackknife's), else the thread's.
            super::stem_table::set_profiles(c.profile.or(own));
            let cached = cache_corpus(
                &c.examples,
                &vocab,
                bits,
                c.domain,
                {
                    let t = c.type_weights;
                    [1.0, t[0], t[1], t[2], t[3]].map(|f| f * c.weight)
                },
                opts.domain_copies,
            );
            super::stem_table::set_profiles(own);
            cached
        })
        .collect();
    let mut dev = cache(dev, &vocab, bits);
    // `opts.ensemble` runs that differ only in their shuffling seed, weights averaged: a cheap ensemble
    // that also evens out the run-to-run noise of the perceptron.
    let learn =
        |refs: &[&Cached], dev: &[Cached], epochs: usize, cb: &mut dyn FnMut(usize, &Scores)| {
            let mut run = perceptron(refs, dev, opts, epochs, &mut *cb);
            if opts.ensemble > 1 {
                for k in 1..opts.ensemble {
                    let o = TrainOptions {
                        seed: opts.seed.wrapping_add(k as u64 * 7919),
                        ..opts.clone()
                    };
                    let r = perceptron(refs, dev, &o, epochs, &mut *cb);
                    run.w.iter_mut().zip(&r.w).for_each(|(a, b)| *a += b);
                    run.t.iter_mut().zip(&r.t).for_each(|(a, b)| *a += b);
                }
                let k = opts.ensemble as f32;
                run.w.iter_mut().for_each(|a| *a /= k);
                run.t.iter_mut().for_each(|a| *a /= k);
                run.scores = if dev.is_empty() {
                    Scores::new()
                } else {
                    evaluate(dev, &run.w, &run.t)
                };
            }
            run
        };
    let refs: Vec<&Cached> = data.iter().collect();
    let first = learn(&refs, &dev, opts.epochs, &mut |e, s| on_epoch(1, e, s));
    let mut runs = vec![first];
    if opts.stages >= 2 {
        let e1 = runs[0].epoch;
        let mut pred1: Vec<Vec<usize>> = Vec::with_capacity(data.len());
        let n = data.len();
        for k in 0..FOLDS {
            let (lo, hi) = (k * n / FOLDS, (k + 1) * n / FOLDS);
            let rest: Vec<&Cached> = data[..lo].iter().chain(&data[hi..]).collect();
            let run = if opts.stack_ensemble {
                learn(&rest, &[], e1, &mut |_, _| {})
            } else {
                perceptron(&rest, &[], opts, e1, |_, _| {})
            };
            pred1.extend(predict(&data[lo..hi], &run.w, &run.t));
        }
        add_memory(&mut data, &pred1, bits);
        let dev_pred = predict(&dev, &runs[0].w, &runs[0].t);
        add_memory(&mut dev, &dev_pred, bits);
        let refs: Vec<&Cached> = data.iter().collect();
        runs.push(learn(&refs, &dev, opts.epochs, &mut |e, s| {
            on_epoch(2, e, s)
        }));
    }
    let last = runs.len() - 1;
    let temperature = opts
        .temperature
        .unwrap_or_else(|| pick_temperature(&dev, &runs[last].w, &runs[last].t));
    // The domain copies' rows are dropped: news text never reads them.
    let rows = (1usize << bits) * N_TAGS;
    let stages: Vec<(&[f32], &[f32])> = runs.iter().map(|r| (&r.w[..rows], &r.t[..])).collect();
    let quantized = Model::quantize(bits, &stages, vocab, temperature);
    let mut counts = vec![0u32; 1 << bits];
    // Domain copies are not counted: their rows are not in the model.
    for c in &data {
        let general = (0..c.general.len()).flat_map(|i| &c.ids[c.starts[i]..c.general[i]]);
        for &f in general.chain(c.extra.iter().flatten()) {
            counts[f as usize] += 1;
        }
    }
    let model = finish(&quantized, &counts, opts);
    let best_epoch = runs[last].epoch;
    Trained {
        model,
        best_epoch,
        dev: std::mem::take(&mut runs[last].scores),
        quantized,
        counts,
    }
}

/// What training does to the quantised weights before saving them: prune by use (`counts`, per row),
/// coarsen, shift O, snap to the grid of levels (see [`TrainOptions`]). Exposed so that one training run
/// can be saved at several pruning thresholds.
pub fn finish(quantized: &Model, counts: &[u32], opts: &TrainOptions) -> Model {
    let mut model = quantized.clone();
    if opts.prune.iter().any(|&p| p > 0.0) {
        model.prune(&opts.prune, counts);
    }
    if opts.step > 0.0 {
        model.coarsen(opts.step);
    }
    model.shift_o(opts.shift);
    model.clamp_to_bytes();
    model.snap_to_levels(opts.levels);
    model
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
    examples_folded(doc, Folding::Identity)
}
