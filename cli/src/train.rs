//! `sahifa train`: learns the tagger from a CoNLL file and writes the model file (or, with
//! `--continue-from`, folds exported annotations into an existing model: [`crate::learn`]).
//!
//! The dev set is the LAST `--dev-fraction` of the file's sentences (file order, so it is a contiguous
//! stretch of text like a real held-out set); every epoch is scored on it and the best epoch is kept.
//! Same data, options and seed give the same model bytes. Options left out keep the core's
//! `TrainOptions::default()`.

use crate::error::{CliError, Result};
use crate::input::read_text;
use sahifa_core::tagger::corpus::{read_added, score, CorpusSpec};
use sahifa_core::tagger::train::{
    examples, split_dev, train_corpora, Corpus, Example, TrainOptions,
};
use sahifa_core::tagger::Tagger;
use sahifa_core::EntityType;
use sahifa_core::{conll, metrics::Scores};

const DEFAULTS: &str = "defaults: --dev-fraction 0.1 --seed 1 --epochs 12 --bits 18 --prune 3,9 --step 0.5 --levels 0 --shift 8 --cost 2 --stages 2 --ensemble 5";

#[derive(clap::Args)]
#[command(allow_negative_numbers = true, after_help = DEFAULTS)]
pub struct TrainArgs {
    /// CoNLL file with a gold tag column.
    #[arg(long, value_name = "FILE", required_unless_present = "continue_from")]
    data: Option<String>,
    /// Continue from this model (`embedded`: the shipped one) on --annotations instead of training afresh.
    #[arg(
        long,
        value_name = "MODEL|embedded",
        requires = "annotations",
        conflicts_with = "data"
    )]
    continue_from: Option<String>,
    /// Annotations the widget exported (.jsonl, .json W3C, .ann brat, .csv; anything else is read as CoNLL).
    #[arg(long, value_name = "FILE", requires = "continue_from")]
    annotations: Option<String>,
    /// The article the annotations are over (a CoNLL file's own words are its text).
    #[arg(long, value_name = "ARTICLE", requires = "continue_from")]
    text: Option<String>,
    /// Passes over the annotations when continuing (default 1).
    #[arg(long, value_name = "N", requires = "continue_from",
          value_parser = |v: &str| parse("--passes", v, |x: &usize| (1..=20).contains(x), "in 1..=20"))]
    passes: Option<usize>,
    /// Where to write the model.
    #[arg(long, value_name = "MODEL")]
    out: String,
    /// The last fraction of the sentences held out to pick the best epoch, in [0, 0.9).
    #[arg(long, value_name = "X", default_value = "0.1",
          value_parser = |v: &str| parse("--dev-fraction", v, |x: &f64| (0.0..0.9).contains(x), "in [0, 0.9)"))]
    dev_fraction: f64,
    #[arg(long, value_name = "N", value_parser = |v: &str| parse("--seed", v, |_: &u64| true, ""))]
    seed: Option<u64>,
    #[arg(long, value_name = "N", value_parser = |v: &str| parse("--epochs", v, |x: &usize| *x >= 1, "at least 1"))]
    epochs: Option<usize>,
    /// Hashed feature table of 2^N weights.
    #[arg(long, value_name = "N", value_parser = |v: &str| parse("--bits", v, |x: &u32| (10..=22).contains(x), "in 10..=22"))]
    bits: Option<u32>,
    /// Pruning threshold for both stages, or the first stage's and the second's.
    #[arg(long, value_name = "X|X,Y", value_parser = parse_prune)]
    prune: Option<[f32; 2]>,
    #[arg(long, value_name = "X", value_parser = |v: &str| parse("--step", v, non_negative, "0 or more"))]
    step: Option<f32>,
    /// Snap stored weights to a logarithmic grid of N levels per doubling (0: the linear --step grid only).
    #[arg(long, value_name = "N", value_parser = |v: &str| parse("--levels", v, |x: &u32| *x <= 16, "in 0..=16"))]
    levels: Option<u32>,
    #[arg(long, value_name = "X", value_parser = |v: &str| parse("--shift", v, |x: &f32| x.is_finite(), "finite"))]
    shift: Option<f32>,
    #[arg(long, value_name = "X", value_parser = |v: &str| parse("--temperature", v, |x: &f32| x.is_finite() && *x > 0.0, "positive"))]
    temperature: Option<f32>,
    #[arg(long, value_name = "X", value_parser = |v: &str| parse("--cost", v, non_negative, "0 or more"))]
    cost: Option<f32>,
    #[arg(long, value_name = "1|2", value_parser = |v: &str| parse("--stages", v, |x: &usize| (1..=2).contains(x), "1 or 2"))]
    stages: Option<usize>,
    #[arg(long)]
    rare: bool,
    #[arg(long, value_name = "N", value_parser = |v: &str| parse("--ensemble", v, |x: &usize| (1..=16).contains(x), "in 1..=16"))]
    ensemble: Option<usize>,
    /// Give each added corpus's features a copy of their own (dropped from the saved model).
    #[arg(long)]
    domain_copies: bool,
    /// Another training corpus, FILE[:FOLDING[:WEIGHT]] (folding identity|wikifane|wikifane-nomisc,
    /// weight 1; 0 = only held out and scored; the weight may be followed by factors per type of the
    /// token's tag, e.g. 1,ORG=0.5,MISC=0). Its last --dev-fraction is held out and scored on
    /// PER/LOC/ORG. Repeatable; the corpora are domains 1, 2, … in order.
    #[arg(long, value_name = "FILE[:FOLDING[:WEIGHT]]", value_parser = |v: &str| v.parse::<CorpusSpec>())]
    add: Vec<CorpusSpec>,
}

fn non_negative(x: &f32) -> bool {
    x.is_finite() && *x >= 0.0
}

/// The value `v` of option `name` as a `T`, refused with "`name` must be `why`" when `ok` says no.
fn parse<T: std::str::FromStr>(
    name: &str,
    v: &str,
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

fn parse_prune(v: &str) -> Result<[f32; 2], String> {
    let xs = v
        .split(',')
        .map(|x| parse("--prune", x, non_negative, "0 or more"))
        .collect::<Result<Vec<f32>, _>>()?;
    match xs[..] {
        [x] => Ok([x, x]),
        [x, y] => Ok([x, y]),
        _ => Err(format!("--prune takes one or two numbers, got {v}")),
    }
}

impl TrainArgs {
    fn options(&self) -> TrainOptions {
        let mut o = TrainOptions::default();
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { o.$f = v; } )* };
        }
        set!(seed, epochs, bits, prune, step, levels, shift, cost, stages, ensemble);
        if self.temperature.is_some() {
            o.temperature = self.temperature;
        }
        o.rare |= self.rare;
        o.domain_copies |= self.domain_copies;
        o
    }
}

pub fn run(args: TrainArgs) -> Result<()> {
    if let (Some(model), Some(annotations)) = (&args.continue_from, &args.annotations) {
        return crate::learn::run(crate::learn::Continue {
            model,
            annotations,
            text: args.text.as_deref(),
            passes: args.passes.unwrap_or(1),
            out: &args.out,
        });
    }
    let opts = args.options();
    let (out, dev_fraction) = (args.out, args.dev_fraction);
    let data = args
        .data
        .expect("clap requires --data without --continue-from");
    let doc = conll::read(&read_text(&data)?);
    if !doc.has_gold {
        return Err(CliError::NoGoldToLearn { path: data });
    }
    let all = examples(&doc);
    let (tr, dev) = split_dev(all, dev_fraction);
    let ntok = |v: &[Example]| v.iter().map(|e| e.words.len()).sum::<usize>();
    eprintln!(
        "train: {} sentences / {} tokens; dev (last {:.0}%): {} sentences / {} tokens",
        tr.len(),
        ntok(&tr),
        dev_fraction * 100.0,
        dev.len(),
        ntok(&dev)
    );
    // Each added corpus is its own domain (1, 2, ...); its last `dev_fraction` is held out too.
    let mut corpora = vec![Corpus::new(tr, 1.0, 0)];
    let (more, held) = read_added(&args.add, dev_fraction).map_err(CliError::Corpus)?;
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
    std::fs::write(&out, &bytes).map_err(|source| CliError::WriteFile {
        path: out.clone(),
        source,
    })?;
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
