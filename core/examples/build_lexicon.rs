//! Builds `core/models/lexicon.bin` from a word-frequency list (see `tools/lexicon/README.md`).
//!
//! `cargo run --release -p sahifa-core --example build_lexicon -- --words /tmp/wordfreq-ar.tsv
//! [--min 3e-6] --out core/models/lexicon.bin`: `--words` holds `word<TAB>frequency` lines (frequency as a
//! share of all words); stems whose forms add up to less than `--min` are left out.

use sahifa_core::tagger::lexicon::Lexicon;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut words, mut out, mut min) = (None, None, 3e-6f64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--words" => words = Some(v()),
            "--out" => out = Some(v()),
            "--min" => min = v().parse().expect("--min takes a number"),
            other => panic!("unknown option {other}"),
        }
    }
    let text = std::fs::read_to_string(words.expect("--words FILE")).expect("readable word list");
    let pairs = text.lines().filter_map(|l| {
        let (w, f) = l.split_once('\t')?;
        Some((w, f.trim().parse::<f64>().ok()?))
    });
    let lex = Lexicon::from_frequencies(pairs, min);
    let bytes = lex.to_bytes();
    let out = out.expect("--out FILE");
    std::fs::write(&out, &bytes).expect("writable output");
    println!("wrote {out}: {} stems, {} bytes", lex.len(), bytes.len());
}
