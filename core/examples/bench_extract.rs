//! Native extraction throughput, printed as one JSON line per input, for `scripts/bench.sh` to set beside the
//! same extraction in Chromium (wasm) measured in the same run.
//!
//!   cargo run --release -p sahifa-core --example bench_extract -- [--min-ms N] [--write DIR] NAME=FILE...
//!
//! For each `NAME=FILE` it times `extract` and the `tokenize` floor, taking the best of 5 batches that together last
//! `--min-ms` (default 2000), and prints `{"name", "bytes", "chars", "words", "tokens", "annotations",
//! "extract_ms", "tokenize_ms"}` (milliseconds per run). `--write DIR` first writes the standard inputs
//! (`seed.txt`, `long.txt`, `words-1k.txt`, `words-10k.txt`, `words-20k.txt`, `words-100k.txt` and
//! `source.txt` naming where the words came from) into DIR and exits.

#[path = "../benches/support/texts.rs"]
mod texts;

use std::hint::black_box;
use std::time::Instant;

/// Milliseconds per run: the best of 5 batches of at least `min_ms / 5` each (the best batch is the one least
/// disturbed by whatever else the machine is doing).
fn per_run_ms(min_ms: f64, mut f: impl FnMut() -> usize) -> f64 {
    black_box(f()); // warm up once
    let mut best = f64::INFINITY;
    let mut sink = 0usize;
    for _ in 0..5 {
        let t0 = Instant::now();
        let mut runs = 0u32;
        loop {
            sink = sink.wrapping_add(f());
            runs += 1;
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            if ms >= min_ms / 5.0 {
                best = best.min(ms / runs as f64);
                break;
            }
        }
    }
    black_box(sink);
    best
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut min_ms = 2000.0;
    let mut inputs = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--min-ms" => {
                min_ms = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--min-ms N")
            }
            "--write" => {
                let dir = std::path::PathBuf::from(args.next().expect("--write DIR"));
                std::fs::create_dir_all(&dir).expect("create DIR");
                let (long, source) = texts::long_article();
                let mut files = vec![
                    ("seed.txt", sahifa_core::SEED_ARTICLE.to_string()),
                    ("long.txt", long),
                ];
                for (name, n) in [
                    ("words-1k.txt", 1_000),
                    ("words-10k.txt", 10_000),
                    ("words-20k.txt", 20_000),
                    ("words-100k.txt", 100_000),
                ] {
                    files.push((name, texts::article_of_words(n).0));
                }
                files.push(("source.txt", format!("{source}\n")));
                for (name, text) in files {
                    std::fs::write(dir.join(name), text).expect("write input");
                }
                return;
            }
            _ => {
                let (name, file) = a.split_once('=').expect("NAME=FILE");
                inputs.push((
                    name.to_string(),
                    std::fs::read_to_string(file).expect("read FILE"),
                ));
            }
        }
    }
    for (name, text) in inputs {
        let tokens = sahifa_core::tokenize(&text).len();
        let annotations = sahifa_core::extract(&text).len();
        let extract_ms = per_run_ms(min_ms, || sahifa_core::extract(black_box(&text)).len());
        let tokenize_ms = per_run_ms(min_ms / 2.0, || {
            sahifa_core::tokenize(black_box(&text)).len()
        });
        println!(
            "{{\"name\":{name:?},\"bytes\":{},\"chars\":{},\"words\":{},\"tokens\":{tokens},\"annotations\":{annotations},\"extract_ms\":{extract_ms},\"tokenize_ms\":{tokenize_ms}}}",
            text.len(),
            text.chars().count(),
            text.split_whitespace().count(),
        );
    }
}
