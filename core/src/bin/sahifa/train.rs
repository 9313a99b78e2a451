//! `sahifa train`: learns the tagger from a CoNLL file and writes the model file.
//!
//! The dev set is the LAST `--dev-fraction` of the file's sentences (file order, so it is a contiguous
//! stretch of text like a real held-out set); every epoch is scored on it and the best epoch is kept.
//! Same data, options and seed give the same model bytes.

use crate::input::read_text;
use sahifa_core::annotation::EntityType;
use sahifa_core::tagger::corpus::{read_added, score, CorpusSpec};
use sahifa_core::tagger::train::{examples, split_dev, train_corpora, Corpus, TrainOptions};
use sahifa_core::tagger::Tagger;
use sahifa_core::{conll, metrics::Scores};

const USAGE: &str = "defaults: --dev-fraction 0.1 --seed 1 --epochs 12 --bits 18 --prune 3,9 --step 0.5 --shift 8 --cost 2 --stages 2 --ensemble 5
usage: sahifa train --data FILE --out MODEL [--dev-fraction 0.1] [--seed N] [--epochs N] [--bits N] [--prune X|X,Y] [--step X] [--shift X] [--temperature X] [--cost X] [--stages 1|2] [--rare] [--ensemble N] [--domain-copies] [--add FILE[:FOLDING[:WEIGHT]]]...
  --add: another training corpus (folding identity|wikifane|wikifane-nomisc, weight 1); its last --dev-fraction is held out and scored on PER/LOC/ORG";

/// The value `v` of option `name` as a `T`, refused with "`name` must be `why`" when `ok` says no.
fn parse<T: std::str::FromStr>(
    name: &str,
    v: String,
    ok: impl Fn(&T) -> bool,
    why: &str,
) -> Result<T, String> {
    let x: T = v
        .parse()
        .map_err(|_| format!("{name}: {v:?} is not a number"))?;
    if ok(&x) {
        Ok(x)
    } else {
        Err(format!("{name} must be {why}, got {v}"))
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut data = None;
    let mut out = None;
    let mut dev_fraction = 0.1f64;
    let mut opts = TrainOptions::default();
    let mut added: Vec<CorpusSpec> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        let non_negative = |x: &f32| x.is_finite() && *x >= 0.0;
        match a.as_str() {
            "--data" => data = Some(val("--data")?),
            "--out" => out = Some(val("--out")?),
            "--dev-fraction" => {
                dev_fraction = parse(a, val(a)?, |x: &f64| (0.0..0.9).contains(x), "in [0, 0.9)")?
            }
            "--seed" => opts.seed = parse(a, val(a)?, |_: &u64| true, "")?,
            "--epochs" => opts.epochs = parse(a, val(a)?, |x: &usize| *x >= 1, "at least 1")?,
            "--bits" => opts.bits = parse(a, val(a)?, |x| (10..=22).contains(x), "in 10..=22")?,
            "--ensemble" => {
                opts.ensemble = parse(a, val(a)?, |x| (1..=16).contains(x), "in 1..=16")?
            }
            "--stages" => opts.stages = parse(a, val(a)?, |x| (1..=2).contains(x), "1 or 2")?,
            "--temperature" => {
                let positive = |x: &f32| x.is_finite() && *x > 0.0;
                opts.temperature = Some(parse(a, val(a)?, positive, "positive")?)
            }
            "--step" => opts.step = parse(a, val(a)?, non_negative, "0 or more")?,
            "--prune" => {
                // One threshold for both stages, or the first stage's and the second's.
                let v = val(a)?;
                let xs = v
                    .split(',')
                    .map(|x| parse(a, x.to_string(), non_negative, "0 or more"))
                    .collect::<Result<Vec<f32>, _>>()?;
                opts.prune = match xs[..] {
                    [x] => [x, x],
                    [x, y] => [x, y],
                    _ => return Err(format!("--prune takes one or two numbers, got {v}")),
                };
            }
            "--cost" => opts.cost = parse(a, val(a)?, non_negative, "0 or more")?,
            "--shift" => opts.shift = parse(a, val(a)?, |x: &f32| x.is_finite(), "finite")?,
            "--rare" => opts.rare = true,
            "--domain-copies" => opts.domain_copies = true,
            "--add" => added.push(val(a)?.parse()?),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let data = data.ok_or_else(|| format!("--data is required\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    let doc = conll::read(&read_text(&data)?);
    if !doc.has_gold {
        return Err(format!("{data}: no tag column to learn from"));
    }
    let all = examples(&doc);
    let (tr, dev) = split_dev(all, dev_fraction);
    let ntok =
        |v: &[sahifa_core::tagger::train::Example]| v.iter().map(|e| e.words.len()).sum::<usize>();
    eprintln!(
        "train: {} sentences / {} tokens; dev (last {:.0}%): {} sentences / {} tokens",
        tr.len(),
        ntok(&tr),
        dev_fraction * 100.0,
        dev.len(),
        ntok(&dev)
    );
    // Each added corpus is its own domain (1, 2, ...); its last `dev_fraction` is held out too.
    let mut corpora = vec![Corpus {
        examples: tr,
        weight: 1.0,
        domain: 0,
    }];
    let (more, held) = read_added(&added, dev_fraction)?;
    for c in &more {
        eprintln!(
            "add domain {}: {} sentences, weight {}",
            c.domain,
            c.examples.len(),
            c.weight
        );
    }
    corpora.extend(more);
    let started = std::time::Instant::now();
    let no_dev = dev.is_empty();
    let result = train_corpora(&corpora, &dev, &opts, |stage, epoch, s: &Scores| {
        if no_dev {
            eprintln!(
                "stage {stage} epoch {epoch:>2}  (no dev set: the last epoch is kept)  ({:.1}s)",
                started.elapsed().as_secs_f64()
            );
            return;
        }
        let m = s.micro();
        eprintln!(
            "stage {stage} epoch {epoch:>2}  dev P {:.2} R {:.2} F1 {:.2}  ({:.1}s)",
            100.0 * m.precision(),
            100.0 * m.recall(),
            100.0 * m.f1(),
            started.elapsed().as_secs_f64()
        );
    });
    let bytes = result.model.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("cannot write {out}: {e}"))?;
    if !dev.is_empty() {
        eprintln!(
            "best epoch {} on dev (float weights):\n{}",
            result.best_epoch,
            result.dev.table()
        );
        // Score the model exactly as written (quantised, pruned), the way `sahifa eval` would.
        let tagger = Tagger::new(result.model.clone());
        let doc = conll::Document {
            sentences: dev
                .iter()
                .map(|e| conll::Sentence {
                    words: e.words.clone(),
                    tags: e.tags.iter().map(|t| t.to_conll("PER")).collect(),
                })
                .collect(),
            has_gold: true,
        };
        let mut scores = Scores::new();
        for (s, p) in doc.sentences.iter().zip(crate::tag::predict(&tagger, &doc)) {
            scores.add(&s.tags, &p);
        }
        eprintln!("saved model on dev:\n{}", scores.table());
        let plo = [EntityType::Per, EntityType::Loc, EntityType::Org];
        for (path, d) in &held {
            let s = score(&tagger, d, &plo);
            eprintln!(
                "saved model on {path}'s held-out part (PER LOC ORG):\n{}",
                s.table()
            );
        }
    }
    eprintln!(
        "wrote {out}: {} bytes, {} non-zero weights, temperature {}",
        bytes.len(),
        result.model.nonzero(),
        result.model.temperature()
    );
    Ok(())
}
