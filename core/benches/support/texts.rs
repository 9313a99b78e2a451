//! Benchmark inputs shared by `benches/pipeline.rs` and `examples/bench_extract.rs` (included with
//! `#[path]`, so it is not a bench target of its own).
//!
//! The long article is ANERcorp's training text (`/work/shared/data/anercorp/train.txt`, or `$SAHIFA_ANERCORP`)
//! as running text: its tokens joined by spaces, a paragraph break after the first sentence end once a
//! paragraph has 80 words. Where that file is absent (a user's clone) the seed article is repeated instead,
//! so every bench still runs.

#![allow(dead_code)]

use sahifa_core::SEED_ARTICLE;

/// About the size of the ANERcorp running text, for the fallback.
pub const LONG_BYTES: usize = 1_200_000;

fn anercorp_tokens() -> Option<Vec<String>> {
    let candidates = [
        std::env::var("SAHIFA_ANERCORP").unwrap_or_default(),
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/anercorp/train.txt"
        )
        .to_string(),
        "/work/shared/data/anercorp/train.txt".to_string(),
    ];
    for path in candidates.iter().filter(|p| !p.is_empty()) {
        if let Ok(corpus) = std::fs::read_to_string(path) {
            let toks: Vec<String> = corpus
                .lines()
                .filter_map(|l| l.split_whitespace().next())
                .map(str::to_string)
                .collect();
            if toks.len() > 10_000 {
                return Some(toks);
            }
        }
    }
    None
}

/// Words of the source (ANERcorp tokens, or the seed's whitespace-separated words) and its name.
pub fn source_words() -> (Vec<String>, &'static str) {
    match anercorp_tokens() {
        Some(t) => (t, "anercorp"),
        None => (
            SEED_ARTICLE
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            "seed-repeated",
        ),
    }
}

/// Joins `words` into running text with paragraph breaks, cycling through them until `n` words.
pub fn running_text(words: &[String], n: usize) -> String {
    let mut text = String::new();
    let mut in_par = 0;
    for (i, w) in words.iter().cycle().take(n).enumerate() {
        if i > 0 {
            text.push_str(if in_par == 0 { "\n\n" } else { " " });
        }
        text.push_str(w);
        in_par += 1;
        if in_par >= 80 && (w == "." || w.ends_with('.')) {
            in_par = 0;
        }
    }
    text
}

/// The long article and its name: all of ANERcorp's training text, or the seed repeated to ~1.2 MB.
pub fn long_article() -> (String, &'static str) {
    match anercorp_tokens() {
        Some(t) => (running_text(&t, t.len()), "anercorp-train"),
        None => {
            let mut text = String::with_capacity(LONG_BYTES + SEED_ARTICLE.len());
            while text.len() < LONG_BYTES {
                text.push_str(SEED_ARTICLE);
                text.push_str("\n\n");
            }
            (text, "seed-repeated")
        }
    }
}

/// An article of `n` words from the same source.
pub fn article_of_words(n: usize) -> (String, &'static str) {
    let (words, name) = source_words();
    (running_text(&words, n), name)
}
