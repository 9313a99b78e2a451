//! The tagger alone, in tokens per second of CPU time on one core: the work `benches/pipeline.rs`'s
//! `pipeline_tagger` times (`Tagger::tag_token_document` over the seed and the long article, split into
//! sentences as `extract` splits them), timed by the thread's own CPU clock rather than the wall clock.
//!
//!   cargo run --release -p sahifa-core --example tagger_cpu -- [RUNS]
//!
//! Why: on this shared 2-core machine other people's builds keep the load average at 5–20, and criterion's
//! wall time then measures the queue for the CPU. The thread's CPU time (`/proc/thread-self/schedstat`,
//! Linux) counts only this work; the least of RUNS (default 15) runs is printed, with the median.

#[path = "../benches/support/texts.rs"]
mod texts;

use sahifa_core::{sentences, tagger, tokenize, Token, SEED_ARTICLE};
use std::hint::black_box;

/// Nanoseconds this thread has run on a CPU.
fn thread_cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("CPU time")
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(15, |r| r.parse().expect("RUNS"));
    let (long, _) = texts::long_article();
    let model = tagger::embedded();
    for (name, text) in [("seed", SEED_ARTICLE.to_string()), ("long", long)] {
        let tokens = tokenize(&text);
        let chunks: Vec<&[Token]> = sentences(&text, &tokens)
            .into_iter()
            .flat_map(|r| tokens[r].chunks(sahifa_core::conll::MAX_SENTENCE_LEN))
            .collect();
        // The seed is short: time batches of repeats so that each run lasts some milliseconds.
        let repeat = (50_000 / tokens.len()).max(1);
        black_box(model.tag_token_document(&chunks));
        let mut ms: Vec<f64> = (0..runs)
            .map(|_| {
                let t0 = thread_cpu_ns();
                for _ in 0..repeat {
                    black_box(model.tag_token_document(black_box(&chunks)));
                }
                (thread_cpu_ns() - t0) as f64 / 1e6 / repeat as f64
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        let rate = |ms: f64| tokens.len() as f64 / ms; // tokens a ms = k tokens/s
        println!(
            "{name}: {} tokens, CPU per run least {:.2} ms ({:.0} k tokens/s), median {:.2} ms ({:.0} k tokens/s)",
            tokens.len(),
            ms[0],
            rate(ms[0]),
            ms[runs / 2],
            rate(ms[runs / 2])
        );
    }
}
