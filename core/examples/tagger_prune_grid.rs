//! One dev training run saved at several pruning thresholds: dev scores (ANERcorp's last tenth, and the
//! held-out tenth of each added corpus on PER/LOC/ORG) and gzip-free model sizes for each.
//!
//! `cargo run --release -p sahifa-core --example tagger_prune_grid -- --data ../shared/data/anercorp/train.txt
//! [--add FILE[:FOLDING[:WEIGHT]]]... [--domain-copies] [--epochs 7] [--grid 3,9/6,12/10,20]
//! [--dev-fraction 0.1] [--temperature X] [--levels 0/2/3] [--shifts 8/10] [--cost 2] [--ensemble 5] [--bits 18] [--profile P.bin]
//! [--train-half 1|2] [--jackknife A.bin,B.bin]` (each threshold is saved with each grid of
//! levels, 0 = linear steps only, and each O margin; writes each model to PREFIX-X-Y-L-S.bin, `--prefix /tmp/grid`, for gzip to measure; with
//! `--dev-fraction 0` these are the shippable models at each threshold). `--profile` trains and scores with
//! that type-profile table (`core/examples/build_profile.rs`).

#[path = "common/grid.rs"]
mod grid;
#[path = "common/halves.rs"]
mod halves;

use sahifa_core::conll;
use sahifa_core::tagger::corpus::{read_added, score, Corpus, CorpusSpec};
use sahifa_core::tagger::stem_table::{self, StemTable};
use sahifa_core::tagger::train::{examples, finish, split_dev, train_corpora, TrainOptions};
use sahifa_core::tagger::{Tagger, TYPES};
use sahifa_core::EntityType;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = TrainOptions {
        epochs: 7,
        ..TrainOptions::default()
    };
    let (mut data, mut specs, mut grid) = (None, Vec::new(), vec![[3.0f32, 9.0]]);
    let mut dev_fraction = 0.1;
    let mut levels = vec![0u32];
    let mut shifts = vec![opts.shift];
    let mut prefix = "/tmp/grid".to_string();
    let mut train_half: Option<usize> = None;
    let mut jackknife: Vec<&'static StemTable> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--data" => data = Some(v()),
            "--add" => specs.push(v().parse::<CorpusSpec>().expect("--add")),
            "--domain-copies" => opts.domain_copies = true,
            "--stack-ensemble" => opts.stack_ensemble = true,
            "--epochs" => opts.epochs = v().parse().expect("--epochs"),
            "--seed" => opts.seed = v().parse().expect("--seed"),
            "--cost" => opts.cost = v().parse().expect("--cost"),
            "--ensemble" => opts.ensemble = v().parse().expect("--ensemble"),
            "--bits" => opts.bits = v().parse().expect("--bits"),
            "--dev-fraction" => dev_fraction = v().parse().expect("--dev-fraction"),
            "--temperature" => opts.temperature = Some(v().parse().expect("--temperature")),
            "--prefix" => prefix = v(),
            "--train-half" => train_half = Some(v().parse::<usize>().expect("--train-half 1|2")),
            "--jackknife" => jackknife = v().split(',').map(halves::table).collect(),
            "--profile" => stem_table::set_profiles(Some(halves::table(&v()))),
            "--shifts" => {
                shifts = v()
                    .split('/')
                    .map(|x| x.parse().expect("--shifts"))
                    .collect()
            }
            "--levels" => {
                levels = v()
                    .split('/')
                    .map(|l| l.parse().expect("--levels"))
                    .collect()
            }
            "--grid" => grid = grid::thresholds(&v()),
            other => panic!("unknown option {other}"),
        }
    }
    let doc = conll::read(&std::fs::read_to_string(data.expect("--data FILE")).expect("readable"));
    let (tr, dev) = split_dev(examples(&doc), dev_fraction);
    let mut corpora = vec![Corpus::new(tr, 1.0, 0)];
    let (added, held) = read_added(&specs, dev_fraction).expect("readable corpora");
    corpora.extend(added);
    // `--train-half H`: only the first (1) or second (2) half of each corpus, the model that profiles the
    // other half for a jackknife. `--jackknife A,B`: each corpus's first half with profile A (from the
    // model of the second halves), its second half with B.
    if let Some(h) = train_half {
        corpora = corpora.iter().map(|c| halves::half(c, h)).collect();
    }
    if let [a, b] = jackknife[..] {
        corpora = halves::jackknife(&corpora, a, b);
    }
    let t = train_corpora(&corpora, &dev, &opts, |_, _, _| {});
    let combos = grid.iter().flat_map(|p| {
        let shifts = &shifts;
        levels
            .iter()
            .flat_map(move |l| shifts.iter().map(move |s| (*p, *l, *s)))
    });
    for (p, l, shift) in combos {
        let o = TrainOptions {
            prune: p,
            levels: l,
            shift,
            ..opts.clone()
        };
        let model = finish(&t.quantized, &t.counts, &o);
        let bytes = model.to_bytes();
        let path = format!("{prefix}-{}-{}-{l}-{shift}.bin", p[0], p[1]);
        std::fs::write(&path, &bytes).expect("writable /tmp");
        let tagger = Tagger::new(model);
        let dev_scores = score(&tagger, &dev, &TYPES);
        let plo = [EntityType::Per, EntityType::Loc, EntityType::Org];
        let held: Vec<_> = held.iter().map(|(_, d)| score(&tagger, d, &plo)).collect();
        println!(
            "prune {},{} levels {l} shift {shift}: {} bytes, {} gzipped ({path}); dev {:.2}, held-out {}",
            p[0],
            p[1],
            bytes.len(),
            gzipped(&bytes),
            100.0 * dev_scores.micro().f1(),
            held.iter()
                .map(|h| format!("{:.2}", 100.0 * h.micro().f1()))
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!("{}", dev_scores.table());
        for h in &held {
            println!("held-out added corpus (PER LOC ORG):\n{}", h.table());
        }
    }
}

/// Size at gzip's best compression (what `gzip -9` gives, within a few bytes).
fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("in memory");
    e.finish().expect("in memory").len()
}
