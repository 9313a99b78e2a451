//! Scores the extractor against hand-made gold annotations (exact span and type match) and prints a
//! per-type table. The seed gold (`fixtures/seed-gold.json`) was written by hand under
//! ANNOTATION_GUIDELINES.md; the second article (`fixtures/egypt-economy-ar.txt`, a different topic with
//! dates and numbers) is a sanity check that the rules are not fitted to the seed alone.

use sahifa_core::slice_chars;
use sahifa_core::{extract, SEED_ARTICLE};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Deserialize)]
struct Gold {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    ty: String,
    text: String,
}

const TYPES: [&str; 5] = ["PER", "LOC", "ORG", "DATE", "NUM"];

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Returns micro (P, R, F1) after printing the table.
fn score(name: &str, text: &str, gold_json: &str) -> (f64, f64, f64) {
    let gold: Vec<Gold> = serde_json::from_str(gold_json).expect("gold json");
    for g in &gold {
        assert_eq!(
            slice_chars(text, g.start, g.end),
            Some(g.text.as_str()),
            "gold offsets of {:?}",
            g.text
        );
    }
    let gold_set: HashSet<(usize, usize, String)> = gold
        .iter()
        .map(|g| (g.start, g.end, g.ty.clone()))
        .collect();
    let pred: HashSet<(usize, usize, String)> = extract(text)
        .into_iter()
        .filter(|a| TYPES.contains(&a.label.as_str()))
        .map(|a| (a.start, a.end, a.label))
        .collect();
    let mut rows: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new(); // tp, pred, gold
    for ty in TYPES {
        let g = gold_set.iter().filter(|x| x.2 == ty).count();
        let p = pred.iter().filter(|x| x.2 == ty).count();
        let tp = pred
            .iter()
            .filter(|x| x.2 == ty && gold_set.contains(*x))
            .count();
        rows.insert(ty, (tp, p, g));
    }
    println!("\n{name}: exact-span scores");
    println!(
        "{:<6} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
        "type", "tp", "pred", "gold", "P", "R", "F1"
    );
    let (mut tp_all, mut p_all, mut g_all) = (0, 0, 0);
    for ty in TYPES {
        let (tp, p, g) = rows[ty];
        tp_all += tp;
        p_all += p;
        g_all += g;
        let (pp, rr) = (tp as f64 / p.max(1) as f64, tp as f64 / g.max(1) as f64);
        println!(
            "{ty:<6} {tp:>5} {p:>5} {g:>5} {pp:>7.3} {rr:>7.3} {:>7.3}",
            f1(pp, rr)
        );
    }
    let (pp, rr) = (
        tp_all as f64 / p_all.max(1) as f64,
        tp_all as f64 / g_all.max(1) as f64,
    );
    println!(
        "{:<6} {tp_all:>5} {p_all:>5} {g_all:>5} {pp:>7.3} {rr:>7.3} {:>7.3}",
        "micro",
        f1(pp, rr)
    );
    for x in pred.difference(&gold_set) {
        println!(
            "  false positive: {} {:?}",
            x.2,
            slice_chars(text, x.0, x.1).unwrap_or("")
        );
    }
    for x in gold_set.difference(&pred) {
        println!(
            "  missed:         {} {:?}",
            x.2,
            slice_chars(text, x.0, x.1).unwrap_or("")
        );
    }
    (pp, rr, f1(pp, rr))
}

#[test]
fn seed_article_micro_f1_at_least_0_90() {
    let (_, _, f) = score(
        "seed article",
        SEED_ARTICLE,
        include_str!("fixtures/seed-gold.json"),
    );
    assert!(f >= 0.90, "micro F1 {f:.3} < 0.90");
}

#[test]
fn second_article_sanity() {
    let text = include_str!("fixtures/egypt-economy-ar.txt");
    let (p, _, f) = score(
        "egypt economy article",
        text,
        include_str!("fixtures/egypt-economy-gold.json"),
    );
    // An unseen topic: lower bar, but the rules must still be mostly right.
    assert!(p >= 0.75 && f >= 0.6, "precision {p:.3}, F1 {f:.3}");
}
