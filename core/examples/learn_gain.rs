//! The learning gain on another domain: issue 19's "must show" protocol, on WikiFANE (Arabic Wikipedia)
//! rather than the news the tagger is trained on. For each document the widget starts with the machine's
//! suggestions; a simulated annotator acts on the first third of the document (by code points: every line
//! that starts in it) with the widget's own actions — accept right suggestions, reject wrong ones, add
//! missed names, propagation happening inside each action — then the widget learns from the reviewed
//! sentences and suggests the rest again ([`annotator::learn_and_resuggest`], the same groups of
//! paragraphs as `src/learner.rs`; what `await settle()` waits for). The suggestions on the untouched rest
//! (about two thirds) are scored before and after, PER LOC ORG exact spans, micro and per type.
//!
//! The documents: WikiFANE's last tenth of sentences (`split_dev(…, 0.1)`, what `sahifa train` holds out
//! when run with its default `--dev-fraction 0.1`), folded with `wikifane-nomisc`, cut into documents of
//! `--doc-sentences` consecutive sentences (the corpus marks no article breaks), one sentence a line,
//! words joined by spaces as the corpus tokenizes them (و and pronoun suffixes split off). Use `--model`
//! with a model trained with that tenth held out (the README's learning-curve command): the shipped model
//! was trained on all of WikiFANE, these sentences included.
//!
//! `cargo run --release -p sahifa-core --example learn_gain -- --data
//! ../shared/data/wikifane/wikifane-gold.txt --model /tmp/learn-dev.bin [--doc-sentences 30]
//! [--act per-loc-org|all] [--half 0|1] [--folding NAME] [--max-docs N] [--export docs.jsonl]`
//!
//! `--half 0` (or 1) keeps every other document, the even (odd) ones: a threshold chosen on one half can
//! be checked on the other. `--folding identity` with `--data ../shared/data/anercorp/train.txt` runs the
//! same protocol on ANERcorp's dev part (news, the training domain).
//!
//! `--act all` also rejects MISC suggestions (WikiFANE's folding leaves no MISC in the gold); the default
//! acts on PER/LOC/ORG suggestions only, the types scored. `--max-docs` keeps the first N documents;
//! `--export` writes the documents scored as JSON lines (`{"text", "acted_lines", "scored_from", "gold": [[start, end, type]]}`, code
//! points) for `bench/learn_gain.mjs`, which runs the same protocol in the page.

use sahifa_core::metrics::Counts;
use sahifa_core::tagger::corpus::{examples_folded, Folding};
use sahifa_core::tagger::train::split_dev;
use sahifa_core::{conll, EntityType};
use std::io::Write;

#[path = "common/annotator.rs"]
mod annotator;
#[path = "common/gold.rs"]
mod gold;
use annotator::{add, annotate, cells, document, micro, score, Doc, CHUNK, SCORED};

/// Lines the annotator acts on: those starting in the first third of the document's code points.
fn acted_lines(doc: &Doc) -> usize {
    let third = doc.text.chars().count() / 3;
    doc.lines.partition_point(|l| l.0 < third)
}

fn row(name: &str, total: &[Counts]) {
    println!("| {name} | {}", cells(total));
}

fn export(path: &str, docs: &[Doc]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("--export file"));
    for doc in docs {
        let n = acted_lines(doc);
        let gold: Vec<(usize, usize, &str)> =
            doc.gold.iter().map(|g| (g.0, g.1, g.2.as_str())).collect();
        let line = serde_json::json!({
            "text": doc.text,
            "acted_lines": doc.lines[..n],
            "scored_from": doc.lines[n].0,
            "gold": gold,
        });
        writeln!(out, "{line}").expect("write --export");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| annotator::arg(&args, name);
    let data = get("--data").unwrap_or_else(|| "../shared/data/wikifane/wikifane-gold.txt".into());
    let per_doc: usize =
        get("--doc-sentences").map_or(30, |v| v.parse().expect("--doc-sentences N"));
    assert!(per_doc >= 3, "--doc-sentences must be 3 or more");
    let acted: &[EntityType] = match get("--act").as_deref() {
        None | Some("per-loc-org") => &SCORED,
        Some("all") => &[
            EntityType::Per,
            EntityType::Loc,
            EntityType::Org,
            EntityType::Misc,
        ],
        Some(other) => panic!("--act per-loc-org|all, got {other}"),
    };
    let tagger = annotator::model(get("--model"));
    let text = std::fs::read_to_string(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
    let folding: Folding = get("--folding")
        .map_or(Ok(Folding::WikiFane { misc: false }), |f| f.parse())
        .expect("--folding identity|wikifane|wikifane-nomisc");
    let all = examples_folded(&conll::read(&text), folding);
    let (_, held) = split_dev(all, 0.1);
    let half: Option<usize> = get("--half").map(|h| h.parse().expect("--half 0|1"));
    let docs: Vec<Doc> = held
        .chunks_exact(per_doc)
        .enumerate()
        .filter(|(i, _)| half.is_none_or(|h| i % 2 == h))
        .map(|(_, d)| document(d))
        .take(get("--max-docs").map_or(usize::MAX, |v| v.parse().expect("--max-docs N")))
        .collect();
    if let Some(path) = get("--export") {
        export(&path, &docs);
    }
    let mut before = vec![Counts::default(); SCORED.len()];
    let mut propagated = before.clone();
    let mut after = before.clone();
    let (mut scored_gold, mut acted_cp, mut cp) = (0, 0, 0);
    for doc in &docs {
        let n = acted_lines(doc);
        scored_gold += doc.gold.iter().filter(|g| g.0 >= doc.lines[n].0).count();
        acted_cp += doc.lines[n].0;
        cp += doc.text.chars().count();
        let s = annotator::start(&tagger, doc);
        add(&mut before, &score(&s, doc, n));
        let s = annotate(s, doc, n, acted);
        add(&mut propagated, &score(&s, doc, n));
        let s = annotator::learn_and_resuggest(&tagger, s, CHUNK);
        add(&mut after, &score(&s, doc, n));
    }
    println!(
        "{} documents of {per_doc} sentences (the last tenth of {data}, {} sentences); acted on: {:.1}% of the code points; scored: the rest, {scored_gold} PER/LOC/ORG names",
        docs.len(),
        held.len(),
        100.0 * acted_cp as f64 / cp as f64
    );
    println!("| suggestions on the rest | P | R | micro F1 | PER F1 | LOC F1 | ORG F1 |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    row("before", &before);
    row("after the edits (propagation)", &propagated);
    row("after `settle()` (+ online learning)", &after);
    let gain = 100.0 * (micro(&after).f1() - micro(&before).f1());
    println!("gain: {gain:+.2} points of micro F1");
}
