//! Builds `core/models/clusters.bin` from `tools/clusters/train_clusters.py`'s output (see
//! `tools/clusters/README.md`).
//!
//! `cargo run --release -p sahifa-core --example build_clusters -- --words /tmp/clusters.tsv
//! [--max 20000] --out core/models/clusters.bin`: `--words` holds `word<TAB>count<TAB>cluster` lines; each
//! word is normalised and clitic-stripped as the tagger does, each stem takes its forms' majority cluster,
//! and the `--max` most frequent stems are kept.
//!
//! With `--lists` it builds `core/models/names.bin` from `tools/names/generate.py`'s `word<TAB>bits` lines
//! instead: each stem keeps the OR of its forms' bits.

use sahifa_core::normalize_key;
use sahifa_core::tagger::features::{hash_bytes, stem_range};
use sahifa_core::tagger::stem_table::StemTable;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut words, mut out, mut max, mut lists) = (None, None, 20_000usize, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--words" => words = Some(v()),
            "--out" => out = Some(v()),
            "--max" => max = v().parse().expect("--max takes a number"),
            "--lists" => lists = true,
            other => panic!("unknown option {other}"),
        }
    }
    let text = std::fs::read_to_string(words.expect("--words FILE")).expect("readable word list");
    let stem_hash = |w: &str| {
        let key = normalize_key(w);
        let (sr, _, _) = stem_range(&key);
        hash_bytes(key[sr].as_bytes())
    };
    let clusters = if lists {
        let forms: Vec<(u64, u8)> = text
            .lines()
            .filter_map(|l| {
                let (w, b) = l.split_once('\t')?;
                Some((stem_hash(w), b.trim().parse().ok()?))
            })
            .collect();
        StemTable::from_bits(forms)
    } else {
        let forms: Vec<(u64, u64, u8)> = text
            .lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (w, c, k) = (f.next()?, f.next()?, f.next()?);
                Some((stem_hash(w), c.parse().ok()?, k.parse().ok()?))
            })
            .collect();
        StemTable::from_forms(forms, max)
    };
    let bytes = clusters.to_bytes();
    let out = out.expect("--out FILE");
    std::fs::write(&out, &bytes).expect("writable output");
    println!(
        "wrote {out}: {} stems in {} clusters, {} bytes",
        clusters.len(),
        clusters.n_clusters(),
        bytes.len()
    );
}
