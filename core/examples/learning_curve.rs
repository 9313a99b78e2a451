//! The learning curve of the widget's annotator loop: how much better the suggestions on the rest of a
//! document get once the annotator has corrected its first N sentences, by propagation alone and with
//! online updates of the tagger.
//!
//! ANERcorp's dev part (the last 10% of `train.txt`, as `sahifa train` holds it out) is cut into documents
//! of `--doc-sentences` consecutive sentences (ANERcorp marks no document breaks), one sentence a line.
//! Each document starts as the widget starts: a [`Session`] over the machine's extraction with `--model`
//! (use one trained without the dev part, the README's dev command, for an honest figure). A simulated
//! annotator then works through the first N sentences in order, through the same actions the widget
//! sends: it accepts each PER/LOC/ORG/MISC suggestion that matches the gold exactly, rejects the others
//! (DATE and NUM are not in ANERcorp's gold and are left alone), and adds each gold name still missing.
//! Propagation happens inside those actions. With `online`, the tagger then learns from the reviewed
//! sentences ([`sahifa_core::session::learned`]) and the rest is suggested again
//! ([`Session::resuggest`]). Suggestions are scored on the document's last sentences after the largest N
//! (the same sentences for every N), PER LOC ORG, exact spans with proclitics outside.
//!
//! `cargo run --release -p sahifa-core --example learning_curve -- --data ../shared/data/anercorp/train.txt
//! [--model MODEL] [--doc-sentences 40]`

use sahifa_core::tagger::train::{examples, split_dev};
use sahifa_core::{conll, EntityType};

#[path = "common/annotator.rs"]
mod annotator;
#[path = "common/gold.rs"]
mod gold;
use annotator::{add, annotate, cells, document, score, Doc, SCORED};
const NS: [usize; 4] = [0, 5, 10, 20];
const TAGGED: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Loc,
    EntityType::Org,
    EntityType::Misc,
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| annotator::arg(&args, name);
    let data = get("--data").unwrap_or_else(|| "../shared/data/anercorp/train.txt".into());
    let per_doc: usize =
        get("--doc-sentences").map_or(40, |v| v.parse().expect("--doc-sentences N"));
    assert!(per_doc > NS[3], "--doc-sentences must exceed {}", NS[3]);
    let tagger = annotator::model(get("--model"));
    let text = std::fs::read_to_string(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
    let (_, dev) = split_dev(examples(&conll::read(&text)), 0.1);
    let docs: Vec<Doc> = dev.chunks_exact(per_doc).map(document).collect();
    let scored_gold: usize = docs
        .iter()
        .map(|d| {
            d.gold
                .iter()
                .filter(|g| g.0 >= d.lines[NS[3]].0 && SCORED.contains(&g.2))
                .count()
        })
        .sum();
    println!(
        "{} documents of {per_doc} sentences; scored: sentences {}–{per_doc} of each, {scored_gold} PER/LOC/ORG names",
        docs.len(),
        NS[3] + 1
    );
    println!("| N | mode | P | R | micro F1 | PER F1 | LOC F1 | ORG F1 |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for n in NS {
        for online in [false, true] {
            let mut total = vec![Default::default(); SCORED.len()];
            for doc in &docs {
                let mut s = annotate(annotator::start(&tagger, doc), doc, n, &TAGGED);
                if online {
                    s = annotator::learn_and_resuggest(&tagger, s, usize::MAX);
                }
                add(&mut total, &score(&s, doc, NS[3]));
            }
            let mode = if online {
                "propagation + online"
            } else {
                "propagation"
            };
            println!("| {n} | {mode} | {}", cells(&total));
        }
    }
}
