//! `sahifa train --continue-from MODEL --annotations FILE`: folds a team's corrections into a model.
//!
//! The widget learns from its annotator online, as an overlay of weight deltas over the shipped model
//! (`sahifa_core::tagger::overlay`). This runs the same learning on annotations the widget exported (any of
//! its five formats, with `--text` for the article they are over) or on a CoNLL file whose words are the
//! text, starting from `MODEL` (`embedded` for the shipped one), and writes the model with the deltas
//! folded into its weights. Same inputs, same bytes.

use crate::error::{CliError, Result};
use crate::input::read_text;
use sahifa_core::formats::Format;
use sahifa_core::session::learned_from_export;
use sahifa_core::tagger::{Model, Overlay};

/// What `--continue-from` needs from the command line.
pub struct Continue<'a> {
    pub model: &'a str,
    pub annotations: &'a str,
    pub text: Option<&'a str>,
    pub passes: usize,
    pub out: &'a str,
}

/// The format of an exported file, from its name (`.jsonl`, `.json` W3C, `.ann` brat, `.csv`; anything
/// else is read as CoNLL).
fn format_of(path: &str) -> Format {
    let lower = path.to_ascii_lowercase();
    match () {
        _ if lower.ends_with(".jsonl") => Format::Jsonl,
        _ if lower.ends_with(".json") => Format::W3c,
        _ if lower.ends_with(".ann") => Format::Brat,
        _ if lower.ends_with(".csv") => Format::Csv,
        _ => Format::Conll,
    }
}

pub fn run(c: Continue<'_>) -> Result<()> {
    let tagger = crate::tag::load(Some(c.model).filter(|m| *m != "embedded"))?;
    let data = read_text(c.annotations)?;
    let format = format_of(c.annotations);
    let text = match (c.text, format) {
        (Some(t), _) => read_text(t)?,
        // A CoNLL file's words are the text: one sentence a line.
        (None, Format::Conll) => sahifa_core::conll::read(&data)
            .sentences
            .iter()
            .map(|s| s.words.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        (None, f) => {
            return Err(CliError::Corpus(format!(
                "{}: {} annotations need --text ARTICLE, the text they are over",
                c.annotations,
                f.as_str()
            )))
        }
    };
    let overlay = learned_from_export(&tagger, &Overlay::new(), format, &text, &data, c.passes)
        .map_err(|e| CliError::Corpus(format!("{}: {e}", c.annotations)))?;
    let mut model: Model = tagger.model().clone();
    model.fold(&overlay);
    let bytes = model.to_bytes();
    std::fs::write(c.out, &bytes).map_err(|source| CliError::WriteFile {
        path: c.out.to_string(),
        source,
    })?;
    eprintln!(
        "learned {} weight rows from {} ({}), {} pass(es); wrote {}: {} bytes",
        overlay.len(),
        c.annotations,
        format.as_str(),
        c.passes.max(1),
        c.out,
        bytes.len()
    );
    Ok(())
}
