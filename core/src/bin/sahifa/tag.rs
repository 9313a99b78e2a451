//! `sahifa tag [--model MODEL] FILE|-`: tags a CoNLL-style file (one token a line, optional gold column)
//! with the learned tagger and prints `token gold pred` (or `token pred`) a line, IOB2.
//!
//! Predictions use the input's name for persons (`PERS` when the gold column writes it, else `PER`); the
//! tagger only predicts PER/LOC/ORG/MISC, everything else is O. Lines with an empty token are skipped, and a
//! blank line is printed after each sentence (sentences end at `.`-like tokens or 150 tokens).

use crate::input::read_text;
use sahifa_core::conll::{self, Document};
use sahifa_core::tagger::{self, Tagger};
use std::io::Write;

pub const USAGE: &str = "usage: sahifa tag [--model MODEL] FILE|-";

/// Parses `[--model MODEL] FILE|-`.
pub fn parse_args(args: &[String], usage: &str) -> Result<(Option<String>, String), String> {
    let mut model = None;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => {
                model = Some(
                    it.next()
                        .cloned()
                        .ok_or_else(|| format!("--model needs a value\n{usage}"))?,
                )
            }
            f if file.is_none() && (f == "-" || !f.starts_with("--")) => file = Some(f.to_string()),
            other => return Err(format!("unexpected argument {other:?}\n{usage}")),
        }
    }
    Ok((model, file.ok_or_else(|| usage.to_string())?))
}

/// The tagger from `--model`, or the embedded one.
pub fn load(model: Option<&str>) -> Result<std::borrow::Cow<'static, Tagger>, String> {
    match model {
        None => Ok(std::borrow::Cow::Borrowed(tagger::embedded())),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}"))?;
            Tagger::from_bytes(&bytes)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("{p}: {e}"))
        }
    }
}

/// `PERS` when the document's gold column uses it, else `PER`.
pub fn person_name(doc: &Document) -> &'static str {
    let pers = doc
        .sentences
        .iter()
        .flat_map(|s| &s.tags)
        .any(|t| conll::tag_type(t) == Some("PERS"));
    if pers {
        "PERS"
    } else {
        "PER"
    }
}

/// Predicted tags for every sentence, in the document's naming. The file is tagged as one document, so
/// the second stage remembers the neighbouring sentences (see `tagger::MEMORY_WINDOW`).
pub fn predict(t: &Tagger, doc: &Document) -> Vec<Vec<String>> {
    let per = person_name(doc);
    let words: Vec<&Vec<String>> = doc.sentences.iter().map(|s| &s.words).collect();
    let words: Vec<Vec<&str>> = words
        .iter()
        .map(|w| w.iter().map(String::as_str).collect())
        .collect();
    t.tag_document(&words)
        .into_iter()
        .map(|s| s.into_iter().map(|(t, _)| t.to_conll(per)).collect())
        .collect()
}

pub fn run(args: &[String]) -> Result<(), String> {
    let (model, file) = parse_args(args, USAGE)?;
    let t = load(model.as_deref())?;
    let doc = conll::read(&read_text(&file)?);
    if doc.token_count() == 0 {
        return Err(format!("{file}: no tokens"));
    }
    let preds = predict(&t, &doc);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for (s, p) in doc.sentences.iter().zip(&preds) {
        for (i, word) in s.words.iter().enumerate() {
            let r = if doc.has_gold {
                writeln!(w, "{word} {} {}", s.tags[i], p[i])
            } else {
                writeln!(w, "{word} {}", p[i])
            };
            r.map_err(|e| format!("cannot write: {e}"))?;
        }
        writeln!(w).map_err(|e| format!("cannot write: {e}"))?;
    }
    w.flush().map_err(|e| format!("cannot write: {e}"))
}
