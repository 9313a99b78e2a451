//! Tagging throughput of the embedded model on the seed article, reported in tokens per second
//! (features, emission scores and Viterbi; tokenisation is measured separately by `tag_text`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sahifa_core::tagger::{embedded, tag_text, Scratch, Tag};
use sahifa_core::tokenize::{sentences, tokenize};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let text = sahifa_core::SEED_ARTICLE;
    let tokens = tokenize(text);
    let sents: Vec<Vec<&str>> = sentences(text, &tokens)
        .into_iter()
        .map(|r| tokens[r].iter().map(|t| t.text.as_str()).collect())
        .collect();
    let n: usize = sents.iter().map(Vec::len).sum();
    let tagger = embedded();
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Elements(n as u64));
    let mut scratch = Scratch::new();
    let mut out: Vec<Tag> = Vec::new();
    g.bench_function("tag_sentences", |b| {
        b.iter(|| {
            let mut k = 0;
            for s in &sents {
                tagger.tag_into(black_box(s), &mut scratch, &mut out);
                k += out.len();
            }
            k
        })
    });
    g.bench_function("tag_text", |b| b.iter(|| tag_text(black_box(text)).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
