//! `sahifa extract`: the extraction core's entities.
//!
//! - One article (`FILE` or `-`): JSON (default), one of the interchange formats of
//!   `sahifa_core::formats`, or `--format html` (the article with its marks, as `sahifa render`).
//! - Many articles: several FILEs, or a JSONL stream of `{"id", "text"}` objects (`--jsonl`, or any FILE
//!   ending in `.jsonl`). Output is JSONL, one line an article in input order:
//!   `{"id": …, "annotations": [ … ]}` with the core's `Annotation` JSON. A plain FILE's id is its path.
//!   Articles are extracted on every core (`--threads N`); the output does not depend on N.

use crate::error::{CliError, Result};
use crate::input::{check_text, display_name, read_text, MAX_BYTES};
use crate::parallel::{parse_threads, pool};
use rayon::prelude::*;
use sahifa_core::formats::Format;
use serde_json::{json, Value};
use std::io::{BufRead, Read, Write};

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// json (default), w3c, brat, conll, jsonl, csv or html; for one article (many articles give JSONL).
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Read every FILE as JSONL, one `{"id", "text"}` article a line (implied for names ending in .jsonl).
    #[arg(long)]
    jsonl: bool,
    /// Threads for many articles (default: one per core); the output is the same for any number.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    threads: Option<usize>,
    /// Article files, or - for standard input.
    #[arg(value_name = "FILE|-", required = true)]
    files: Vec<String>,
}

#[derive(clap::Args)]
pub struct RenderArgs {
    /// The article file, or - for standard input.
    #[arg(value_name = "FILE|-")]
    file: String,
}

enum Single {
    Json,
    Html,
    Export(Format),
}

fn single_format(f: Option<&str>) -> Result<Single> {
    match f {
        None | Some("json") => Ok(Single::Json),
        Some("html") => Ok(Single::Html),
        Some(f) => f
            .parse::<Format>()
            .map(Single::Export)
            .map_err(|_| CliError::UnknownFormat(f.into())),
    }
}

pub fn run(args: ExtractArgs) -> Result<()> {
    let batch = args.jsonl || args.files.len() > 1 || args.files.iter().any(|f| is_jsonl(f));
    if !batch {
        let format = single_format(args.format.as_deref())?;
        return one(&args.files[0], format);
    }
    if let Some(f) = args.format.as_deref().filter(|&f| f != "json") {
        // Refuse a format batch mode cannot honour, but name a misspelt one as such.
        single_format(Some(f))?;
        return Err(CliError::FormatInBatch(f.into()));
    }
    batch_run(&args.files, args.jsonl, args.threads)
}

pub fn render(args: RenderArgs) -> Result<()> {
    one(&args.file, Single::Html)
}

fn is_jsonl(path: &str) -> bool {
    path.ends_with(".jsonl")
}

/// One article, the way `extract` always worked.
fn one(path: &str, format: Single) -> Result<()> {
    let text = read_text(path)?;
    let annotations = sahifa_core::extract(&text);
    let out = match format {
        Single::Html => sahifa_core::html::render(&text, &annotations),
        Single::Export(f) => {
            let name = if path == "-" { "stdin" } else { path };
            sahifa_core::formats::export(f, &text, name, &annotations)
        }
        Single::Json => {
            let entities: Vec<_> = annotations
                .into_iter()
                .map(|a| {
                    json!({
                        "start": a.start, "end": a.end, "type": a.label, "text": a.text,
                        "entity": a.entity, "canonical": a.canonical,
                        // The f32 through its shortest decimal form: 0.9, not 0.8999999761581421.
                        "confidence": a.confidence.map(|c| c.to_string().parse::<f64>().unwrap_or(c as f64)),
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&json!({ "entities": entities }))
                .expect("JSON values always serialise");
            s.push('\n');
            s
        }
    };
    let mut w = std::io::stdout().lock();
    w.write_all(out.as_bytes())?;
    w.flush()?;
    Ok(())
}

/// One article of a batch: its id (a JSON string or number) and text.
struct Article {
    id: Value,
    text: String,
}

/// Articles handed to the pool at a time: enough to keep every core busy, few enough that a long stream
/// is never all in memory.
const BLOCK: usize = 512;

fn batch_run(files: &[String], force_jsonl: bool, threads: Option<usize>) -> Result<()> {
    let pool = pool(threads)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    {
        let mut block = Vec::with_capacity(BLOCK);
        let mut flush = |block: &mut Vec<Article>| -> Result<()> {
            let lines: Vec<String> = pool.install(|| block.par_iter().map(extract_line).collect());
            block.clear();
            for l in lines {
                out.write_all(l.as_bytes())?;
            }
            Ok(())
        };
        for path in files {
            if force_jsonl || is_jsonl(path) {
                read_jsonl(path, |a| {
                    block.push(a);
                    if block.len() == BLOCK {
                        flush(&mut block)?;
                    }
                    Ok(())
                })?;
            } else {
                block.push(Article {
                    id: Value::String(path.clone()),
                    text: read_text(path)?,
                });
                if block.len() == BLOCK {
                    flush(&mut block)?;
                }
            }
        }
        flush(&mut block)?;
    }
    out.flush()?;
    Ok(())
}

/// One output line: serialised straight from the core's `Annotation` (not through `serde_json::Value`, which
/// would widen an f32 confidence of 0.9 to 0.8999999761581421).
#[derive(serde::Serialize)]
struct Line<'a> {
    id: &'a Value,
    annotations: &'a [sahifa_core::Annotation],
}

/// The output line of one article.
fn extract_line(a: &Article) -> String {
    let annotations = sahifa_core::extract(&a.text);
    let line = Line {
        id: &a.id,
        annotations: &annotations,
    };
    let mut s = serde_json::to_string(&line).expect("annotations always serialise");
    s.push('\n');
    s
}

/// Reads a JSONL stream of articles, handing each to `each` in order. Blank lines are skipped; a line that
/// is not an object with an `id` (string or number) and a `text` (string) is an error naming its number.
fn read_jsonl(path: &str, mut each: impl FnMut(Article) -> Result<()>) -> Result<()> {
    let name = display_name(path).to_string();
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(path).map_err(|source| CliError::Open {
            path: path.into(),
            source,
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, f))
    };
    let mut reader = reader.take(u64::MAX);
    let bad = |line: usize, message: String| CliError::JsonlLine {
        path: name.clone(),
        line,
        message,
    };
    let (mut line_no, mut articles) = (0, 0usize);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        // Cap each line (one article) as a whole file is capped.
        reader.set_limit(MAX_BYTES + 2);
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| CliError::Read {
                path: name.clone(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.len() as u64 > MAX_BYTES + 1 {
            return Err(bad(
                line_no,
                format!("longer than {} MB", MAX_BYTES / 1024 / 1024),
            ));
        }
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let line =
            check_text(path, std::mem::take(&mut buf)).map_err(|e| bad(line_no, e.to_string()))?;
        let v: Value =
            serde_json::from_str(&line).map_err(|e| bad(line_no, format!("not JSON: {e}")))?;
        let id = match v.get("id") {
            Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
            Some(_) => return Err(bad(line_no, "\"id\" must be a string or a number".into())),
            None => {
                return Err(bad(
                    line_no,
                    "no \"id\"; each line is {\"id\": …, \"text\": …}".into(),
                ))
            }
        };
        let text = match v.get("text") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(bad(line_no, "\"text\" must be a string".into())),
            None => {
                return Err(bad(
                    line_no,
                    "no \"text\"; each line is {\"id\": …, \"text\": …}".into(),
                ))
            }
        };
        articles += 1;
        each(Article { id, text })?;
    }
    if articles == 0 {
        return Err(CliError::Empty { path: name });
    }
    Ok(())
}
