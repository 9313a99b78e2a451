//! Cross-validated tagger score: trains on `train.txt` with each of the last `--folds` tenths held out in
//! turn and prints the saved (quantised, pruned) model's micro F1 on each and their mean. Each fold keeps
//! its last epoch, as the shipped model does: the held-out tenth never chooses anything.
//!
//! Why: the single dev tenth has about 1,000 entities, so a one-point change there is within noise; the
//! mean over five contiguous tenths is what feature and option changes are judged by. All folds lie inside
//! the training file (never the corpus's held-out tail).
//!
//! `cargo run --release -p sahifa-core --example tagger_cv -- --data ../shared/data/anercorp/train.txt
//! [--folds 5] [--prune X|X,Y] [--step X] [--shift X] [--bits N] [--epochs N] [--ensemble N] [--cost X] [--rare]
//! [--shifts A,B,..] [--gap G] [--add FILE[:FOLDING[:WEIGHT]]]... [--domain-copies] [--save PREFIX] [--profiles P]
//! [--train-half 1|2] [--jackknife A,B]`: `--add` trains on
//! another corpus too in every fold (all but its last tenth, which the dev runs hold out); `--shifts` also scores each fold with these extra margins against O (on
//! top of training's own), `--gap G` also leaves out the G tenths before each held-out one. `--grid
//! 24,30/20,36` saves each fold's training run at these pruning thresholds too (with `--levels`, the
//! shift and `--shifts`), so one run compares them: a mean and a pooled table per setting. Each fold's model
//! is also scored on the held-out tenth of each added corpus (PER LOC ORG). `--save PREFIX` writes fold k's
//! model to PREFIX-k.bin (fold 0 holds out the last tenth); `--profiles P` trains and scores fold k with
//! type-profile table P-k.bin, which must come from a model that never saw fold k's held-out tenth (that
//! fold's saved model, `core/examples/build_profile.rs`). `--train-half 1|2` trains each fold on half of
//! each corpus (the models a jackknife profiles with); `--jackknife A,B` extracts each corpus's first half
//! with A-k.bin (from the second halves' model) and its second half with B-k.bin.

#[path = "common/grid.rs"]
mod grid;
#[path = "common/halves.rs"]
mod halves;

use sahifa_core::conll;
use sahifa_core::metrics::Scores;
use sahifa_core::tagger::corpus::{read_added, score as score_types, Corpus, CorpusSpec};
use sahifa_core::tagger::stem_table;
use sahifa_core::tagger::train::{examples, finish, train_corpora, Example, TrainOptions};
use sahifa_core::tagger::Tagger;
use sahifa_core::EntityType;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = TrainOptions::default();
    let mut data = None;
    let mut folds = 5usize;
    let mut gap = 0usize;
    let mut type_shifts: Vec<(usize, f32)> = Vec::new();
    let mut shifts: Vec<f32> = Vec::new();
    let mut specs: Vec<CorpusSpec> = Vec::new();
    let mut grid: Vec<[f32; 2]> = Vec::new();
    let mut save: Option<String> = None;
    let (mut profiles, mut jackknife) = (None::<String>, None::<String>);
    let mut train_half: Option<usize> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--data" => data = Some(v()),
            "--folds" => folds = v().parse().expect("--folds"),
            "--prune" => {
                let xs: Vec<f32> = v()
                    .split(',')
                    .map(|x| x.parse().expect("--prune"))
                    .collect();
                opts.prune = [xs[0], *xs.last().unwrap()];
            }
            "--bits" => opts.bits = v().parse().expect("--bits"),
            "--epochs" => opts.epochs = v().parse().expect("--epochs"),
            "--ensemble" => opts.ensemble = v().parse().expect("--ensemble"),
            "--cost" => opts.cost = v().parse().expect("--cost"),
            "--rare" => opts.rare = true,
            "--domain-copies" => opts.domain_copies = true,
            "--stack-ensemble" => opts.stack_ensemble = true,
            "--add" => specs.push(v().parse().expect("--add FILE[:FOLDING[:WEIGHT]]")),
            "--seed" => opts.seed = v().parse().expect("--seed"),
            "--type-shifts" => {
                let ds: Vec<f32> = v()
                    .split(',')
                    .map(|x| x.parse().expect("--type-shifts"))
                    .collect();
                for ty in 1..=4 {
                    type_shifts.extend(ds.iter().map(|&d| (ty, d)));
                }
            }
            "--step" => opts.step = v().parse().expect("--step"),
            "--levels" => opts.levels = v().parse().expect("--levels"),
            "--shift" => opts.shift = v().parse().expect("--shift"),
            "--gap" => gap = v().parse().expect("--gap"),
            "--grid" => grid = grid::thresholds(&v()),
            "--save" => save = Some(v()),
            "--profiles" => profiles = Some(v()),
            "--jackknife" => jackknife = Some(v()),
            "--train-half" => train_half = Some(v().parse::<usize>().expect("--train-half 1|2")),
            "--shifts" => {
                shifts = v()
                    .split(',')
                    .map(|x| x.parse().expect("--shifts"))
                    .collect()
            }
            other => panic!("unknown option {other}"),
        }
    }
    let (added, held) = read_added(&specs, 0.1).expect("readable corpora");
    let path = data.expect("--data FILE");
    let doc = conll::read(&std::fs::read_to_string(&path).expect("readable data"));
    let all = examples(&doc);
    let n = all.len();
    let results: Vec<Fold> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..folds)
            .map(|k| {
                let (all, opts, shifts, type_shifts, grid) =
                    (&all, &opts, &shifts, &type_shifts, &grid);
                let (added, held, save) = (&added, &held, &save);
                let table = |prefix: &str| halves::table(&format!("{prefix}-{k}.bin"));
                let profile = profiles.as_deref().map(table);
                let jack = jackknife.as_deref().map(|j| {
                    let (a, b) = j.split_once(',').expect("--jackknife A,B");
                    (table(a), table(b))
                });
                s.spawn(move || {
                    stem_table::set_profiles(profile);
                    let (lo, hi) = ((9 - k) * n / 10, (10 - k) * n / 10);
                    // `--gap G` also leaves out the G tenths before the held-out one (how much does
                    // neighbouring text help?).
                    let cut = lo.saturating_sub(gap * n / 10);
                    let tr: Vec<Example> = all[..cut].iter().chain(&all[hi..]).cloned().collect();
                    let dev = &all[lo..hi];
                    // Epochs are not chosen on the held-out tenth: the last one is kept, as in the
                    // shipped model (its confidences' temperature is then 1, which no tag depends on).
                    let mut corpora = vec![Corpus::new(tr, 1.0, 0)];
                    corpora.extend(added.iter().cloned());
                    // `--train-half H`: each corpus's first (1) or second (2) half only (the model that
                    // profiles the other half); `--jackknife`: each half with the other half's profile.
                    if let Some(h) = train_half {
                        corpora = corpora.iter().map(|c| halves::half(c, h)).collect();
                    }
                    if let Some((a, b)) = jack {
                        corpora = halves::jackknife(&corpora, a, b);
                    }
                    let t = train_corpora(&corpora, &[], opts, |_, _, _| {});
                    let bytes = t.model.to_bytes();
                    if let Some(prefix) = save {
                        std::fs::write(format!("{prefix}-{k}.bin"), &bytes)
                            .expect("writable --save");
                    }
                    let bytes = bytes.len();
                    let words: Vec<Vec<&str>> = dev
                        .iter()
                        .map(|e| e.words.iter().map(String::as_str).collect())
                        .collect();
                    let score = |tagger: &Tagger| {
                        let mut scores = Scores::new();
                        for (e, p) in dev.iter().zip(tagger.tag_document(&words)) {
                            let g: Vec<String> = e.tags.iter().map(|t| t.to_conll("PER")).collect();
                            let p: Vec<String> = p.iter().map(|t| t.0.to_conll("PER")).collect();
                            scores.add(&g, &p);
                        }
                        scores
                    };
                    for &d in shifts {
                        let mut m = t.model.clone();
                        m.shift_o(d);
                        let f = score(&Tagger::new(m)).micro().f1();
                        eprintln!("fold {k} shift {d}: F1 {:.2}", 100.0 * f);
                    }
                    // `--type-shifts`: extra score for B/I of one type (1 PER, 2 LOC, 3 ORG, 4 MISC).
                    for &(ty, d) in type_shifts {
                        let mut m = t.model.clone();
                        m.shift_tag(2 * ty - 1, d);
                        m.shift_tag(2 * ty, d);
                        let f = score(&Tagger::new(m)).micro().f1();
                        eprintln!("fold {k} type {ty} shift {d}: F1 {:.2}", 100.0 * f);
                    }
                    // `--grid`: the same run at other pruning thresholds, each at every margin.
                    let mut extra = Vec::new();
                    for p in grid {
                        for &d in std::iter::once(&0.0).chain(shifts) {
                            let o = TrainOptions {
                                prune: *p,
                                shift: opts.shift + d,
                                ..opts.clone()
                            };
                            let m = finish(&t.quantized, &t.counts, &o);
                            let label = format!("prune {},{} shift {}", p[0], p[1], o.shift);
                            let bytes = m.to_bytes().len();
                            let s = score(&Tagger::new(m));
                            eprintln!("fold {k} {label}: F1 {:.2}", 100.0 * s.micro().f1());
                            extra.push((label, s, bytes));
                        }
                    }
                    let tagger = Tagger::new(t.model);
                    // The added corpora's held-out tenths (never trained on), PER LOC ORG.
                    let plo = [EntityType::Per, EntityType::Loc, EntityType::Org];
                    for (path, h) in held {
                        let f = score_types(&tagger, h, &plo).micro().f1();
                        eprintln!("fold {k} held-out {path}: F1 {:.2}", 100.0 * f);
                    }
                    (k, score(&tagger), bytes, extra)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("fold"))
            .collect()
    });
    let mut total = Scores::new();
    let mut f1s = Vec::new();
    for (k, s, bytes, _) in &results {
        let m = s.micro();
        println!(
            "fold {k} (tenth {}): P {:.2} R {:.2} F1 {:.2}  model {bytes} bytes",
            10 - k,
            100.0 * m.precision(),
            100.0 * m.recall(),
            100.0 * m.f1()
        );
        f1s.push(m.f1());
        total.merge(s);
    }
    let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
    println!(
        "mean fold F1 {:.2}; pooled:\n{}",
        100.0 * mean,
        total.table()
    );
    let settings = results.first().map_or(0, |r| r.3.len());
    for g in 0..settings {
        let mut total = Scores::new();
        let mut f1s = Vec::new();
        for (_, _, _, extra) in &results {
            f1s.push(format!("{:.2}", 100.0 * extra[g].1.micro().f1()));
            total.merge(&extra[g].1);
        }
        let mean =
            results.iter().map(|r| r.3[g].1.micro().f1()).sum::<f64>() / results.len() as f64;
        let bytes: Vec<String> = results.iter().map(|r| r.3[g].2.to_string()).collect();
        println!(
            "{}: folds {} (tenths 10 down), mean F1 {:.2}; model bytes {}; pooled:\n{}",
            results[0].3[g].0,
            f1s.join(" "),
            100.0 * mean,
            bytes.join(" "),
            total.table()
        );
    }
}

/// One fold's result: its index, scores and model size at the options given, and (label, scores, size)
/// for each `--grid` setting.
type Fold = (usize, Scores, usize, Vec<(String, Scores, usize)>);
