//! CoNLL export and import: one `token<TAB>IOB2-tag` a line, a blank line between sentences.
//!
//! Tokens are the core tokenizer's ([`crate::tokenize::tokenize`]), sentences its
//! [`crate::tokenize::sentences`] (they end after `.` `!` `?` `؟` `…` `۔` and at line breaks), tags the one
//! BIO reader's ([`crate::conll::Bio`]). CoNLL can only say
//! which tokens an entity covers, so:
//! - **Export** tags every token that a span touches. A span covering part of a token (e.g. يريفان inside
//!   ويريفان, leaving the proclitic out as the guidelines ask) tags the whole token. Overlapping spans cannot
//!   be written: the earliest (then longest) wins and spans overlapping it are left out.
//! - **Import** aligns the file's tokens to the article by scanning forward (whitespace between tokens may
//!   differ; anything else must match exactly, or the line is reported). A span runs from its `B-` token to
//!   its last `I-` token. It starts at the token's *stem* when the tokenizer finds proclitics on that token
//!   (ويريفان `B-LOC` gives يريفان), following the guidelines' proclitic rule, so a span exported from the
//!   stem comes back identical. A span that the user drew around a whole token including its proclitic
//!   comes back without the proclitic; one that ended inside a token comes back ending at the token's end.
//! - `I-X` after `O` or after another type starts a new span (IOB1 files read as well); ANERcorp's `PERS`
//!   becomes `PER`. Lines may use a space instead of the tab; the token is the first column and the tag the
//!   last; `-DOCSTART-` lines are skipped, and so are comment lines: a line that starts with `# ` and is
//!   not itself a `# TAG` token line (a reviewed-only export starts with `# sahifa: reviewed annotations
//!   only`).

use super::{canonical_label, Codec, Doc, FormatError, Imported, Location, TextIndex};
use crate::conll::Bio;
use crate::tokenize::{sentences, tokenize};
use std::collections::HashMap;

pub struct Conll;

const SHAPE: &str = "expected 'token\\tTAG' with TAG O, B-TYPE or I-TYPE";

impl Codec for Conll {
    fn export(doc: &Doc) -> String {
        let tokens = tokenize(doc.text);
        let mut tags: Vec<Option<String>> = vec![None; tokens.len()];
        let mut spans: Vec<_> = doc.annotations.iter().filter(|a| a.start < a.end).collect();
        spans.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
        for a in spans {
            let first = tokens.partition_point(|t| t.end <= a.start);
            let idx: Vec<usize> = (first..tokens.len())
                .take_while(|&i| tokens[i].start < a.end)
                .collect();
            if idx.is_empty() || idx.iter().any(|&i| tags[i].is_some()) {
                continue;
            }
            for (k, &i) in idx.iter().enumerate() {
                tags[i] = Some(format!("{}-{}", if k == 0 { "B" } else { "I" }, a.label));
            }
        }
        let mut out = String::new();
        for (si, range) in sentences(doc.text, &tokens).into_iter().enumerate() {
            if si > 0 {
                out.push('\n');
            }
            for i in range {
                out.push_str(&tokens[i].text);
                out.push('\t');
                out.push_str(tags[i].as_deref().unwrap_or("O"));
                out.push('\n');
            }
        }
        out
    }

    fn import(text: &str, data: &str) -> Result<Vec<Imported>, FormatError> {
        let chars: Vec<char> = text.chars().collect();
        let index = TextIndex::new(text);
        let stems: HashMap<usize, usize> = tokenize(text)
            .into_iter()
            .filter(|t| t.has_proclitic())
            .map(|t| (t.start, t.stem_start))
            .collect();
        let mut cursor = 0;
        let mut out: Vec<Imported> = Vec::new();
        // The open span: (label, start, end, line).
        let mut open: Option<(String, usize, usize, usize)> = None;
        let close = |open: &mut Option<(String, usize, usize, usize)>, out: &mut Vec<Imported>| {
            if let Some((label, start, end, line)) = open.take() {
                let start = stems
                    .get(&start)
                    .copied()
                    .filter(|&s| s < end)
                    .unwrap_or(start);
                out.push(Imported {
                    start: Some(start),
                    end: Some(end),
                    quote: index.slice(start, end).map(str::to_string),
                    label,
                    location: Location::Line(line),
                    ..Default::default()
                });
            }
        };
        for (i, raw) in data.split('\n').enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                close(&mut open, &mut out);
                continue;
            }
            let fields: Vec<&str> = if line.contains('\t') {
                line.split('\t').collect()
            } else {
                line.split_whitespace().collect()
            };
            let token = fields[0].trim();
            if token.starts_with("-DOCSTART-") {
                continue;
            }
            let token_line = fields.len() == 2 && Bio::parse(fields[1].trim()).is_some();
            if line.starts_with("# ") && !token_line {
                continue;
            }
            if fields.len() < 2 || token.is_empty() {
                return Err(FormatError::at_line(line_no, SHAPE));
            }
            let tag = fields[fields.len() - 1].trim();
            let (bio, label) = match Bio::parse(tag) {
                Some(Bio::O) => ('O', ""),
                Some(Bio::B(l)) => ('B', l),
                Some(Bio::I(l)) => ('I', l),
                None => {
                    return Err(FormatError::at_line(
                        line_no,
                        format!("{SHAPE}, found tag {tag:?}"),
                    )
                    .field("tag"))
                }
            };
            // Align the token to the text.
            while cursor < chars.len()
                && (chars[cursor].is_whitespace() || chars[cursor] == '\u{200B}')
            {
                cursor += 1;
            }
            let tlen = token.chars().count();
            let here: String = chars[cursor..(cursor + tlen).min(chars.len())]
                .iter()
                .collect();
            if here != token {
                return Err(FormatError::at_line(
                    line_no,
                    if cursor >= chars.len() {
                        format!("token {token:?} is past the end of the text: is this file for another article?")
                    } else {
                        format!(
                            "token {token:?} does not match the text at code point {cursor} ({here:?}): is this file for another article?"
                        )
                    },
                )
                .field("token"));
            }
            let (ts, te) = (cursor, cursor + tlen);
            cursor = te;
            let label = canonical_label(label);
            match bio {
                'O' => close(&mut open, &mut out),
                'I' if open.as_ref().is_some_and(|o| o.0 == label) => {
                    if let Some(o) = open.as_mut() {
                        o.2 = te;
                    }
                }
                _ => {
                    close(&mut open, &mut out);
                    open = Some((label, ts, te, line_no));
                }
            }
        }
        close(&mut open, &mut out);
        Ok(out)
    }
}
