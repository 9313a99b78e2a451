//! Writes the fuzz targets' committed seed inputs to `fuzz/seeds/<target>/` from real data: the seed article,
//! its extraction exported in every format through the core, a tiny trained model and lexicon, and the
//! first bytes of the shipped model and lexicon. `cargo run -p sahifa-core --example fuzz_seeds` (from the
//! repository root); deterministic, so re-running it changes nothing unless the core's output does.

use sahifa_core::formats::{export, Format};
use sahifa_core::slice_chars;
use sahifa_core::tagger::lexicon::Lexicon;
use sahifa_core::tagger::train::{examples, train, TrainOptions};
use sahifa_core::{conll, extract, Annotation, SEED_ARTICLE};
use std::fs;
use std::path::Path;

const TINY: &str = "قال O\nالرئيس O\nجورج B-PERS\nبوش I-PERS\nفي O\nواشنطن B-LOC\n. O\n\
زار O\nوزير O\nالخارجية O\nموسكو B-LOC\nمع O\nوفد O\nمن O\nالأمم B-ORG\nالمتحدة I-ORG\n. O\n";

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let d = dir.join(target);
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join(name), bytes).unwrap();
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let _ = fs::remove_dir_all(&dir);
    let paragraphs: Vec<&str> = SEED_ARTICLE
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let short = paragraphs[..2.min(paragraphs.len())].join("\n\n");

    // extract: the article and its first paragraphs.
    write(&dir, "extract", "article.txt", SEED_ARTICLE.as_bytes());
    write(&dir, "extract", "short.txt", short.as_bytes());

    // The importers: the seed article's extraction exported in every format (read against the seed
    // article), the same with notes that need escaping, and a short article with its export after a NUL.
    let mut anns = extract(SEED_ARTICLE);
    anns.truncate(40);
    for (i, a) in anns.iter_mut().enumerate().take(4) {
        a.note = Some(
            [
                "=HYPERLINK(\"http://x\",\"x\")",
                "'=1+1",
                "line\nbreak, \"quoted\"",
                "-2",
            ][i]
                .to_string(),
        );
    }
    let short_anns = extract(&short);
    for f in Format::ALL {
        let target = format!("import_{f}");
        write(
            &dir,
            &target,
            &format!("seed.{}", f.extension()),
            export(f, SEED_ARTICLE, "seed-article-ar.txt", &anns).as_bytes(),
        );
        let mut with_text = short.clone().into_bytes();
        with_text.push(0);
        with_text.extend(export(f, &short, "short", &short_anns).bytes());
        write(
            &dir,
            &target,
            &format!("short.{}", f.extension()),
            &with_text,
        );
    }

    // roundtrip: structured input (arbitrary's format), so plain text bytes are as good a start as any.
    write(&dir, "roundtrip", "short.bin", short.as_bytes());
    write(
        &dir,
        "roundtrip",
        "annotations.bin",
        export(Format::Csv, &short, "short", &short_anns).as_bytes(),
    );

    // snap: selections around the first entities of a short text, with and without clitic dropping.
    for (i, a) in short_anns.iter().take(4).enumerate() {
        let mut b = Vec::new();
        b.extend((a.start.saturating_sub(1) as u16).to_le_bytes());
        b.extend(((a.end + 1) as u16).to_le_bytes());
        b.push(i as u8 & 1);
        b.extend(short.as_bytes());
        write(&dir, "snap", &format!("entity{i}.bin"), &b);
    }

    // anchor: quotes of the seed article's entities at their offsets, shifted, and with context.
    for (i, a) in anns.iter().take(4).enumerate() {
        let quote = |a: &Annotation, flags: u8, shift: usize, with_text: bool| {
            let mut b = vec![flags];
            b.extend(((a.start + shift) as u16).to_le_bytes());
            b.extend(((a.end + shift) as u16).to_le_bytes());
            b.extend(a.text.as_bytes());
            b.push(0x1f);
            b.extend(
                slice_chars(SEED_ARTICLE, a.start.saturating_sub(8), a.start)
                    .unwrap_or("")
                    .as_bytes(),
            );
            b.push(0x1f);
            b.extend(
                slice_chars(SEED_ARTICLE, a.end, a.end + 8)
                    .unwrap_or("")
                    .as_bytes(),
            );
            if with_text {
                b.push(0x1f);
                b.extend(short.as_bytes());
            }
            b
        };
        write(
            &dir,
            "anchor",
            &format!("at{i}.bin"),
            &quote(a, 1, 0, false),
        );
        write(
            &dir,
            "anchor",
            &format!("shifted{i}.bin"),
            &quote(a, 3, 5, false),
        );
        write(
            &dir,
            "anchor",
            &format!("other_text{i}.bin"),
            &quote(a, 3, 0, true),
        );
    }

    // model: a tiny trained model (whole file) and the shipped model's first 256 bytes.
    let doc = conll::read(TINY);
    let opts = TrainOptions {
        epochs: 3,
        seed: 7,
        bits: 8,
        prune: [0.0; 2],
        ensemble: 1,
        ..TrainOptions::default()
    };
    let model = train(&examples(&doc), &[], &opts, |_, _, _| {}).model;
    write(&dir, "model", "tiny.bin", &model.to_bytes());
    let shipped = include_bytes!("../models/anercorp.bin");
    write(&dir, "model", "shipped-head.bin", &shipped[..256]);

    // lexicon: a tiny lexicon (whole file) and the shipped lexicon's first 256 bytes.
    let words = [
        ("مصر", 0.01),
        ("بمصر", 0.002),
        ("برنامج", 0.003),
        ("لبنان", 0.004),
        ("قال", 0.02),
    ];
    let lex = Lexicon::from_frequencies(words.iter().map(|&(w, f)| (w, f)), 0.0);
    write(&dir, "lexicon", "tiny.bin", &lex.to_bytes());
    let shipped = include_bytes!("../models/lexicon.bin");
    write(&dir, "lexicon", "shipped-head.bin", &shipped[..256]);
    println!("seeds written to {}", dir.display());
}
