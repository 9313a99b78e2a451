//! A simulated annotator working through documents of gold sentences with the widget's own actions, and
//! the scoring of the suggestions it leaves, shared by the examples that measure what the widget learns
//! from its annotator (`learning_curve` on ANERcorp, `learn_gain` on WikiFANE).
//!
//! Why one module: both measurements must act and score the same way for their figures to compare: accept
//! each suggestion of an acted-on type that matches the gold exactly, reject the others, add each gold name
//! still missing (propagation happens inside those actions, as in the widget), and score PER LOC ORG exact
//! spans with proclitics outside.

use super::gold::{self, Span};
use sahifa_core::metrics::Counts;
use sahifa_core::session::{learned, paragraph_groups, Action, Session};
use sahifa_core::tagger::train::Example;
use sahifa_core::tagger::{Overlay, Tagger};
use sahifa_core::{extract_with, EntityType, Source, Status, Token};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The types scored.
pub const SCORED: [EntityType; 3] = [EntityType::Per, EntityType::Loc, EntityType::Org];

/// One document: its text (one sentence a line), each line's code-point range, and the gold spans.
pub struct Doc {
    pub text: String,
    pub lines: Vec<(usize, usize)>,
    pub gold: BTreeSet<Span>,
}

/// Consecutive gold sentences as one document, one sentence a line, words joined by spaces.
pub fn document(sentences: &[Example]) -> Doc {
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

/// The session the widget starts with: the machine's extraction of the whole document with `tagger`.
pub fn start(tagger: &Tagger, doc: &Doc) -> Session {
    let found = extract_with(
        &doc.text,
        Some(&|t: &[Token]| tagger.spans_in(&doc.text, t)),
    );
    Session::new(doc.text.clone(), found, true)
}

/// The annotator's pass over lines `0..n`: of the suggestions with a type in `acted`, accept what is right
/// and reject what is wrong; then add what is missing.
pub fn annotate(mut s: Session, doc: &Doc, n: usize, acted: &[EntityType]) -> Session {
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
                acted
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

/// Code points the widget re-suggests per task (`src/learner.rs`'s `CHUNK`).
#[allow(dead_code)] // `learning_curve` re-suggests the whole document in one go, as it always has.
pub const CHUNK: usize = 2_000;

/// What the widget does once an edit settles: learns from the reviewed sentences, then suggests the text
/// again with what it learned, a group of about `chunk` code points of paragraphs at a time (the widget:
/// [`CHUNK`], `src/learner.rs`).
pub fn learn_and_resuggest(tagger: &Tagger, mut s: Session, chunk: usize) -> Session {
    let overlay = Arc::new(learned(tagger, &Overlay::new(), &s));
    let article = s.article.clone();
    for (start, end) in paragraph_groups(&article, chunk) {
        if let Some(next) = s
            .resuggest(tagger, Some(overlay.clone()), start, end)
            .and_then(|a| s.apply(a).ok())
        {
            s = next;
        }
    }
    s
}

/// Counts per scored type of the marks in lines `from..` against the gold there.
pub fn score(s: &Session, doc: &Doc, from: usize) -> Vec<Counts> {
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

/// `total` plus `more`, type by type.
pub fn add(total: &mut [Counts], more: &[Counts]) {
    for (t, c) in total.iter_mut().zip(more) {
        t.tp += c.tp;
        t.fp += c.fp;
        t.fn_ += c.fn_;
    }
}

/// All types pooled.
pub fn micro(total: &[Counts]) -> Counts {
    total.iter().fold(Counts::default(), |m, c| Counts {
        tp: m.tp + c.tp,
        fp: m.fp + c.fp,
        fn_: m.fn_ + c.fn_,
    })
}

/// `P | R | micro F1 | PER F1 | LOC F1 | ORG F1 |`, the table cells of `total` (per type, [`SCORED`]'s order).
pub fn cells(total: &[Counts]) -> String {
    let m = micro(total);
    let mut out = format!(
        "{:.2} | {:.2} | {:.2} |",
        100.0 * m.precision(),
        100.0 * m.recall(),
        100.0 * m.f1()
    );
    for c in total {
        out += &format!(" {:.2} |", 100.0 * c.f1());
    }
    out
}

/// The value after `name` on the command line.
pub fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The model at `path` (`--model`), or the shipped one.
pub fn model(path: Option<String>) -> Tagger {
    match path {
        Some(p) => Tagger::from_bytes(&std::fs::read(p).expect("model file")).expect("valid model"),
        None => sahifa_core::tagger::embedded().clone(),
    }
}
