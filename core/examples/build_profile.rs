//! Builds a type-profile table (`stem_table::profile` codes) by tagging unlabeled Arabic Wikipedia with a
//! model: for each stem, how that model tagged it across all its occurrences (see
//! `core/src/tagger/stem_table.rs`, `profile`).
//!
//! `cargo run --release -p sahifa-core --example build_profile -- --model M.bin --text
//! ../shared/data/arwiki/arwiki-2017.txt.gz --counts /tmp/counts.tsv [--min 20] [--max 25000] [--threads 2]
//! [--probe "WORDS"] --out /tmp/profile.bin`: tags every paragraph (one line, one document) with the core's tokeniser and
//! sentence splitter, as extraction does, and writes the tag counts of every stem seen at least three times
//! to `--counts` (a cache: given without `--text`, it is read instead, and `--counts A,B` sums several); the table keeps the `--max` most
//! frequent stems seen at least `--min` times. Without `--model` the profile is built from the counts
//! alone. `--names-only` keeps only the stems with a non-zero code (the tagger reads a stem the word clusters
//! know and the table lacks as code 0); `--coarse` keeps only each code's name share and type;
//! `--org-misc` keeps only the name share of stems most often PER or LOC. The model must be one that never saw the text to be scored with the profile (the dev run's and
//! each cross-validation fold's own).

use sahifa_core::normalize_key;
use sahifa_core::tagger::features::{hash_bytes, stem_range};
use sahifa_core::tagger::stem_table::{profile, StemTable};
use sahifa_core::tagger::Tagger;
use std::collections::HashMap;
use std::io::{BufRead, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut model, mut text, mut counts, mut out) = (None, None, None, None);
    let (mut min, mut max, mut threads) = (20u64, 25_000usize, 2usize);
    let mut probe = String::new();
    let (mut names_only, mut coarse, mut org_misc) = (false, false, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--model" => model = Some(v()),
            "--text" => text = Some(v()),
            "--counts" => counts = Some(v()),
            "--out" => out = Some(v()),
            "--min" => min = v().parse().expect("--min"),
            "--max" => max = v().parse().expect("--max"),
            "--threads" => threads = v().parse().expect("--threads"),
            "--probe" => probe = v(),
            "--names-only" => names_only = true,
            "--coarse" => coarse = true,
            "--org-misc" => org_misc = true,
            other => panic!("unknown option {other}"),
        }
    }
    let counts_path = counts.expect("--counts FILE");
    let table: HashMap<u64, profile::Counts> = match text {
        Some(text) => {
            let bytes = std::fs::read(model.expect("--model FILE")).expect("readable model");
            let tagger = Tagger::from_bytes(&bytes).expect("a model");
            let t = tag_counts(&tagger, &text, threads);
            let mut f =
                std::io::BufWriter::new(std::fs::File::create(&counts_path).expect("writable"));
            let mut rows: Vec<_> = t
                .iter()
                .filter(|(_, c)| c.iter().sum::<u64>() >= 3)
                .collect();
            rows.sort_unstable_by_key(|r| *r.0);
            for (h, c) in rows {
                let c: Vec<String> = c.iter().map(u64::to_string).collect();
                writeln!(f, "{h}\t{}", c.join("\t")).expect("writable");
            }
            t
        }
        // Several cached count files (comma-separated) are summed: the two half models' counts give
        // held-out text a profile as strong as the jackknifed training text's.
        None => {
            let mut all: HashMap<u64, profile::Counts> = HashMap::new();
            for path in counts_path.split(',') {
                for l in std::fs::read_to_string(path)
                    .expect("readable counts")
                    .lines()
                {
                    let mut f = l.split('\t').map(|x| x.parse::<u64>().expect("a number"));
                    let e = all.entry(f.next().expect("a hash")).or_default();
                    for x in e.iter_mut() {
                        *x += f.next().expect("nine counts");
                    }
                }
            }
            all
        }
    };
    // `--probe "w1 w2 .."`: each word's stem counts (O, B/I of PER LOC ORG MISC) and code.
    for w in probe.split_whitespace() {
        let key = normalize_key(w);
        let (sr, _, _) = stem_range(&key);
        let c = table
            .get(&hash_bytes(key[sr].as_bytes()))
            .copied()
            .unwrap_or_default();
        println!("{w}: {c:?} code {}", profile::code(&c));
    }
    let forms = table.iter().filter_map(|(&h, c)| {
        let total: u64 = c.iter().sum();
        // `--coarse`: the name share and type only (purity and position dropped).
        let code = match profile::code(c) {
            // `--org-misc`: a stem most often PER or LOC keeps only its name share (codes 109-111).
            c if org_misc && c != 0 && (profile::coarse(c) - 1) % 4 < 2 => {
                109 + (profile::coarse(c) - 1) / 4
            }
            c if coarse && c != 0 => 1 + (profile::coarse(c) - 1) * 9,
            c => c,
        };
        (total >= min && (code != 0 || !names_only)).then_some((h, total, code))
    });
    let t = StemTable::from_forms(forms, max);
    let bytes = t.to_bytes();
    let out = out.expect("--out FILE");
    std::fs::write(&out, &bytes).expect("writable output");
    let mut hist = [0usize; 4];
    for c in table.values() {
        if c.iter().sum::<u64>() >= min {
            hist[(c[0] * 20 < c.iter().sum::<u64>() * 19) as usize] += 1;
        }
    }
    println!(
        "wrote {out}: {} stems ({} stems seen ≥ {min} times, {} of them tagged a name ≥ 5% of the time), {} bytes",
        t.len(),
        hist[0] + hist[1],
        hist[1],
        bytes.len()
    );
}

/// Tag counts per stem hash over the paragraphs of `path` (gzipped or not), on `threads` threads.
fn tag_counts(tagger: &Tagger, path: &str, threads: usize) -> HashMap<u64, profile::Counts> {
    let file = std::fs::File::open(path).expect("readable text");
    let reader: Box<dyn BufRead> = if path.ends_with(".gz") {
        Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let lines: Vec<String> = reader.lines().map(|l| l.expect("utf-8 text")).collect();
    let start = std::time::Instant::now();
    let per: Vec<(HashMap<u64, profile::Counts>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let lines = &lines;
                s.spawn(move || {
                    let mut m: HashMap<u64, profile::Counts> = HashMap::new();
                    let mut n = 0usize;
                    for line in lines.iter().skip(k).step_by(threads) {
                        let tokens = sahifa_core::tokenize(line);
                        let mut chunks = Vec::new();
                        for r in sahifa_core::sentences(line, &tokens) {
                            chunks.extend(tokens[r].chunks(sahifa_core::conll::MAX_SENTENCE_LEN));
                        }
                        let tagged = tagger.tag_token_document(&chunks);
                        for (chunk, tags) in chunks.iter().zip(&tagged) {
                            for (tok, (tag, _)) in chunk.iter().zip(tags) {
                                let key = normalize_key(&tok.text);
                                let (sr, _, _) = stem_range(&key);
                                m.entry(hash_bytes(key[sr].as_bytes())).or_default()
                                    [tag.index()] += 1;
                                n += 1;
                            }
                        }
                    }
                    (m, n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("tagging thread"))
            .collect()
    });
    let mut all: HashMap<u64, profile::Counts> = HashMap::new();
    let mut n = 0;
    for (m, k) in per {
        n += k;
        for (h, c) in m {
            let e = all.entry(h).or_default();
            for (x, y) in e.iter_mut().zip(c) {
                *x += y;
            }
        }
    }
    eprintln!(
        "tagged {n} tokens in {:.1} s wall, {} distinct stems",
        start.elapsed().as_secs_f64(),
        all.len()
    );
    all
}
