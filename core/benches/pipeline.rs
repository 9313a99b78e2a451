//! Extraction throughput in tokens per second, beside its floor measured in the same run: the core's own
//! normalise-and-tokenise pass (`tokenize`) alone, and the learned tagger alone on the same
//! tokens, split into sentences as `extract` splits them (features, both stages with document memory,
//! Viterbi and confidences: `Tagger::tag_token_document`, as `extract` runs it). `scripts/bench.sh` reads the estimates and reports
//! tokens/s, MB/s and the ratio extract ÷ tokenize.
//!
//! `cargo bench -p sahifa-core --bench pipeline`. Inputs: the seed article and the long article of
//! `support/texts.rs` (ANERcorp's training text as running text, or the seed repeated where it is absent).

#[path = "support/texts.rs"]
mod texts;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sahifa_core::{extract, sentences, tagger, tokenize, Token, SEED_ARTICLE};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let (long, _) = texts::long_article();
    let inputs = [("seed", SEED_ARTICLE.to_string()), ("long", long)];
    let model = tagger::embedded();
    let mut g = c.benchmark_group("pipeline_tagger");
    g.sample_size(10);
    for (name, text) in &inputs {
        let tokens = tokenize(text);
        let sentences: Vec<&[Token]> = sentences(text, &tokens)
            .into_iter()
            .flat_map(|r| tokens[r].chunks(sahifa_core::conll::MAX_SENTENCE_LEN))
            .collect();
        g.throughput(Throughput::Elements(tokens.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &sentences, |b, s| {
            b.iter(|| model.tag_token_document(black_box(s)).len())
        });
    }
    g.finish();
    for (group, floor) in [("pipeline_extract", false), ("pipeline_tokenize", true)] {
        let mut g = c.benchmark_group(group);
        g.sample_size(10);
        for (name, text) in &inputs {
            let tokens = tokenize(text).len();
            g.throughput(Throughput::Elements(tokens as u64));
            g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
                if floor {
                    b.iter(|| tokenize(black_box(t)).len())
                } else {
                    b.iter(|| extract(black_box(t)).len())
                }
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
