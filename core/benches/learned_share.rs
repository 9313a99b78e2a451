//! What a save of learned weights costs since tabs add up their learning ([`LearnedShare`]): the stored
//! total read back from its bytes, this tab's part taken out and put in again, the total written as bytes
//! — against writing the bytes alone (what a save did before). On a real overlay: what the shipped tagger
//! learns from the seed article with every fifteenth word given to it as a person's name (about as many
//! entries as `bench/learn.mjs` leaves on a 20,000-word article: 3,289).
//!
//! `cargo bench -p sahifa-core --bench learned_share`

use criterion::{criterion_group, criterion_main, Criterion};
use sahifa_core::formats::Format;
use sahifa_core::session::{learned_from_export, LearnedShare};
use sahifa_core::tagger::{self, Overlay};
use sahifa_core::SEED_ARTICLE;
use std::hint::black_box;

/// A JSONL export of the seed article with every `nth` word of 3+ letters marked PER by the user.
fn export(nth: usize) -> String {
    // Whitespace-separated words as code-point ranges.
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in SEED_ARTICLE.chars().chain([' ']).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let chars: Vec<char> = SEED_ARTICLE.chars().collect();
    let spans: Vec<String> = words
        .into_iter()
        .filter(|&(i, j)| j - i >= 3 && chars[i..j].iter().all(|c| c.is_alphabetic()))
        .skip(nth - 1)
        .step_by(nth)
        .map(|(i, j)| {
            format!(r#"{{"start":{i},"end":{j},"label":"PER","source":"user","status":"accepted"}}"#)
        })
        .collect();
    let text = serde_json::to_string(SEED_ARTICLE).expect("a string");
    format!(r#"{{"text":{text},"spans":[{}]}}"#, spans.join(","))
}

fn bench(c: &mut Criterion) {
    let model = tagger::embedded();
    let mine = learned_from_export(
        model,
        &Overlay::new(),
        Format::Jsonl,
        SEED_ARTICLE,
        &export(15),
        1,
    )
    .expect("lessons")
    .on_grid();
    eprintln!(
        "learned_share: an overlay of {} entries, {} bytes",
        mine.len(),
        mine.to_bytes().len()
    );
    // Another tab's part, already stored: the same size, other values.
    let mut other = mine.clone();
    other.merge(&mine);
    let stored = other.to_bytes();
    let mut tab = LearnedShare::new(Some(&other));
    tab.set_learned(&tab.base().plus(&mine));
    let mut g = c.benchmark_group("learned_save");
    g.bench_function("bytes_only", |b| {
        b.iter(|| black_box(tab.current().to_bytes()))
    });
    g.bench_function("read_merge_write", |b| {
        b.iter(|| {
            let now = Overlay::from_bytes(black_box(&stored)).expect("intact");
            let total = tab.to_store(Some(&now));
            let mut t = tab.clone();
            t.saved(&total);
            black_box((total.to_bytes(), t.current()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
