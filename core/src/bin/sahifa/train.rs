//! `sahifa train`: learns the tagger from a CoNLL file and writes the model file.
//!
//! The dev set is the LAST `--dev-fraction` of the file's sentences (file order, so it is a contiguous
//! stretch of text like a real held-out set); every epoch is scored on it and the best epoch is kept.
//! Same data, options and seed give the same model bytes.

use crate::input::read_text;
use sahifa_core::tagger::train::{examples, split_dev, train, TrainOptions};
use sahifa_core::tagger::Tagger;
use sahifa_core::{conll, metrics::Scores};

const USAGE: &str = "defaults: --dev-fraction 0.1 --seed 1 --epochs 12 --bits 18 --prune 5 --step 0.5 --shift 8 --cost 2 --stages 2 --ensemble 5
usage: sahifa train --data FILE --out MODEL [--dev-fraction 0.1] [--seed N] [--epochs N] [--bits N] [--prune X] [--step X] [--shift X] [--temperature X] [--cost X] [--stages 1|2] [--rare] [--ensemble N]";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut data = None;
    let mut out = None;
    let mut dev_fraction = 0.1f64;
    let mut opts = TrainOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--data" => data = Some(val("--data")?),
            "--out" => out = Some(val("--out")?),
            "--dev-fraction" => {
                dev_fraction = val("--dev-fraction")?
                    .parse()
                    .map_err(|_| "--dev-fraction: not a number")?;
                if !(0.0..0.9).contains(&dev_fraction) {
                    return Err("--dev-fraction must be in [0, 0.9)".into());
                }
            }
            "--seed" => opts.seed = val("--seed")?.parse().map_err(|_| "--seed: not a number")?,
            "--epochs" => {
                opts.epochs = val("--epochs")?
                    .parse()
                    .map_err(|_| "--epochs: not a number")?
            }
            "--bits" => {
                opts.bits = val("--bits")?.parse().map_err(|_| "--bits: not a number")?;
                if !(10..=22).contains(&opts.bits) {
                    return Err("--bits must be in 10..=22".into());
                }
            }
            "--step" => opts.step = val("--step")?.parse().map_err(|_| "--step: not a number")?,
            "--temperature" => {
                let t: f32 = val("--temperature")?
                    .parse()
                    .map_err(|_| "--temperature: not a number")?;
                if !(t.is_finite() && t > 0.0) {
                    return Err("--temperature must be positive".into());
                }
                opts.temperature = Some(t);
            }
            "--shift" => {
                opts.shift = val("--shift")?
                    .parse()
                    .map_err(|_| "--shift: not a number")?
            }
            "--cost" => opts.cost = val("--cost")?.parse().map_err(|_| "--cost: not a number")?,
            "--rare" => opts.rare = true,
            "--ensemble" => {
                opts.ensemble = val("--ensemble")?
                    .parse()
                    .map_err(|_| "--ensemble: not a number")?;
                if !(1..=16).contains(&opts.ensemble) {
                    return Err("--ensemble must be in 1..=16".into());
                }
            }
            "--stages" => {
                opts.stages = val("--stages")?
                    .parse()
                    .map_err(|_| "--stages: not a number")?;
                if !(1..=2).contains(&opts.stages) {
                    return Err("--stages must be 1 or 2".into());
                }
            }
            "--prune" => {
                opts.prune = val("--prune")?
                    .parse()
                    .map_err(|_| "--prune: not a number")?
            }
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
    let started = std::time::Instant::now();
    let no_dev = dev.is_empty();
    let result = train(&tr, &dev, &opts, |stage, epoch, s: &Scores| {
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
    }
    eprintln!(
        "wrote {out}: {} bytes, {} non-zero weights, temperature {}",
        bytes.len(),
        result.model.nonzero(),
        result.model.temperature()
    );
    Ok(())
}
