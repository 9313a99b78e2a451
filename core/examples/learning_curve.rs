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

use sahifa_core::metrics::Counts;
use sahifa_core::session::{learned, Action, Session};
use sahifa_core::tagger::train::{examples, split_dev, Example};
use sahifa_core::tagger::{Overlay, Tagger};
use sahifa_core::{conll, extract_with, EntityType, Source, Status, Token};
use std::collections::BTreeSet;
use std::sync::Arc;

#[path = "common/gold.rs"]
mod gold;
use gold::Span;
const NS: [usize; 4] = [0, 5, 10, 20];
const SCORED: [EntityType; 3] = [EntityType::Per, EntityType::Loc, EntityType::Org];
const TAGGED: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Loc,
    EntityType::Org,
    EntityType::Misc,
];

/// One document: its text, each line's code-point range, and the gold spans.
struct Doc {
    text: String,
    lines: Vec<(usize, usize)>,
    gold: BTreeSet<Span>,
}

fn document(sentences: &[Example]) -> Doc {
    let mut text = String::new();
    let mut cp = 0;
    let mut lines = Vec::new();
    let mut gold = Vec::new();
    for ex in sentences {
        if !text.is_empty() {
            text.push('\n');
            cp += 1;
        }
        let line_start = cp;
        let mut spans = Vec::new();
        for (i, w) in ex.words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                cp += 1;
            }
            spans.push((cp, cp + w.chars().count()));
            cp += w.chars().count();
            text.push_str(w);
        }
        lines.push((line_start, cp));
        gold.extend(gold::entity_spans(&ex.tags, &spans));
    }
    let gold = gold::skip_proclitics(&text, gold);
    Doc { text, lines, gold }
}

/// The annotator's pass over lines `0..n`: accept what is right, reject what is wrong, add what is missing.
fn annotate(mut s: Session, doc: &Doc, n: usize) -> Session {
    let apply = |s: &mut Session, a: Action| {
        if let Ok(next) = s.apply(a) {
            *s = next;
        }
    };
    for &(start, end) in &doc.lines[..n] {
        let open: Vec<(String, Span)> = s
            .kept()
            .filter(|a| a.start >= start && a.end <= end && a.status == Status::Suggested)
            .filter_map(|a| {
                let t: EntityType = a.label.parse().ok()?;
                TAGGED
                    .contains(&t)
                    .then(|| (a.id.clone(), (a.start, a.end, t)))
            })
            .collect();
        for (id, span) in open {
            let still_open = s.find(&id).is_some_and(|a| a.status == Status::Suggested);
            if !still_open {
                continue;
            }
            let action = if doc.gold.contains(&span) {
                Action::Accept { id }
            } else {
                Action::Reject { id }
            };
            apply(&mut s, action);
        }
        for &(gs, ge, ty) in doc.gold.iter().filter(|g| g.0 >= start && g.1 <= end) {
            let there = s.kept().any(|a| {
                a.start == gs && a.end == ge && a.label == ty.as_str() && a.source == Source::User
            });
            if !there {
                let add = Action::Add {
                    start: gs,
                    end: ge,
                    label: ty.as_str().into(),
                    note: None,
                };
                apply(&mut s, add);
            }
        }
    }
    s
}

/// Counts per scored type of the suggestions in lines `from..` against the gold there.
fn score(s: &Session, doc: &Doc, from: usize) -> Vec<Counts> {
    let start = doc.lines[from].0;
    let pred: BTreeSet<Span> = s
        .kept()
        .filter(|a| a.start >= start)
        .filter_map(|a| Some((a.start, a.end, a.label.parse::<EntityType>().ok()?)))
        .collect();
    SCORED
        .iter()
        .map(|&ty| {
            let g: BTreeSet<&Span> = doc
                .gold
                .iter()
                .filter(|x| x.0 >= start && x.2 == ty)
                .collect();
            let p: BTreeSet<&Span> = pred.iter().filter(|x| x.2 == ty).collect();
            let tp = g.intersection(&p).count();
            Counts {
                tp,
                fp: p.len() - tp,
                fn_: g.len() - tp,
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let data = get("--data").unwrap_or_else(|| "../shared/data/anercorp/train.txt".into());
    let per_doc: usize =
        get("--doc-sentences").map_or(40, |v| v.parse().expect("--doc-sentences N"));
    assert!(per_doc > NS[3], "--doc-sentences must exceed {}", NS[3]);
    let tagger = match get("--model") {
        Some(p) => Tagger::from_bytes(&std::fs::read(p).expect("model file")).expect("valid model"),
        None => sahifa_core::tagger::embedded().clone(),
    };
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
            let mut total = vec![Counts::default(); SCORED.len()];
            for doc in &docs {
                let found = extract_with(
                    &doc.text,
                    Some(&|t: &[Token]| tagger.spans_in(&doc.text, t)),
                );
                let mut s = annotate(Session::new(doc.text.clone(), found, true), doc, n);
                if online {
                    let overlay = Arc::new(learned(&tagger, &Overlay::new(), &s));
                    let len = doc.text.chars().count();
                    if let Some(next) = s
                        .resuggest(&tagger, Some(overlay), 0, len)
                        .and_then(|a| s.apply(a).ok())
                    {
                        s = next;
                    }
                }
                for (t, c) in total.iter_mut().zip(score(&s, doc, NS[3])) {
                    t.tp += c.tp;
                    t.fp += c.fp;
                    t.fn_ += c.fn_;
                }
            }
            let micro = total.iter().fold(Counts::default(), |m, c| Counts {
                tp: m.tp + c.tp,
                fp: m.fp + c.fp,
                fn_: m.fn_ + c.fn_,
            });
            let mode = if online {
                "propagation + online"
            } else {
                "propagation"
            };
            print!(
                "| {n} | {mode} | {:.2} | {:.2} | {:.2} |",
                100.0 * micro.precision(),
                100.0 * micro.recall(),
                100.0 * micro.f1()
            );
            for c in &total {
                print!(" {:.2} |", 100.0 * c.f1());
            }
            println!();
        }
    }
}
