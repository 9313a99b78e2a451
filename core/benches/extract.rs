//! Throughput of the extraction core, in bytes of article text per second.
//!
//! `cargo bench -p sahifa-core --bench extract`. Inputs: the seed article (7 KB) and a ~1 MB article made of
//! ANERcorp's tokens (`../shared/data/anercorp/train.txt`, or `$SAHIFA_ANERCORP`) when that file exists,
//! else of the seed repeated — so the bench runs anywhere. The `tokenize` group is the floor: normalising
//! and tokenising alone, which every other stage sits on.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sahifa_core::{extract, normalize, tokenize, SEED_ARTICLE};
use std::hint::black_box;

const LONG_BYTES: usize = 1 << 20;

fn long_article() -> (String, &'static str) {
    let candidates = [
        std::env::var("SAHIFA_ANERCORP").unwrap_or_default(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/anercorp/train.txt").to_string(),
        "/work/shared/data/anercorp/train.txt".to_string(),
    ];
    for path in candidates.iter().filter(|p| !p.is_empty()) {
        if let Ok(corpus) = std::fs::read_to_string(path) {
            let mut text = String::with_capacity(LONG_BYTES + 64);
            for line in corpus.lines() {
                let Some(tok) = line.split_whitespace().next() else { continue };
                text.push_str(tok);
                text.push(if tok == "." { '\n' } else { ' ' });
                if text.len() >= LONG_BYTES {
                    break;
                }
            }
            if text.len() > 100_000 {
                return (text, "anercorp-1MB");
            }
        }
    }
    let mut text = String::with_capacity(LONG_BYTES + SEED_ARTICLE.len());
    while text.len() < LONG_BYTES {
        text.push_str(SEED_ARTICLE);
        text.push_str("\n\n");
    }
    (text, "seed-repeated-1MB")
}

fn bench(c: &mut Criterion) {
    let (long, long_name) = long_article();
    let inputs = [("seed", SEED_ARTICLE.to_string()), (long_name, long)];
    let mut g = c.benchmark_group("extract");
    g.sample_size(10);
    for (name, text) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| b.iter(|| extract(black_box(t))));
    }
    g.finish();
    let mut g = c.benchmark_group("normalize+tokenize");
    g.sample_size(10);
    for (name, text) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| {
                let n = normalize::normalize(black_box(t));
                let toks = tokenize::tokenize(black_box(t));
                (n.text.len(), toks.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
