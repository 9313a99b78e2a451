//! `sahifa extract [--format json] FILE|-`: the extraction core's entities as JSON on stdout.

use crate::input::read_text;
use serde_json::json;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut format = "json".to_string();
    let mut path: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => format = it.next().ok_or("extract: --format needs a value")?.clone(),
            s if s.starts_with("--format=") => format = s["--format=".len()..].to_string(),
            s if s.starts_with("--") => return Err(format!("extract: unknown option {s:?}")),
            s => {
                if path.replace(s.to_string()).is_some() {
                    return Err("extract: give one FILE or -".into());
                }
            }
        }
    }
    let path = path.ok_or("extract: missing FILE (or - for standard input)")?;
    if format != "json" {
        return Err(match format.as_str() {
            "w3c" | "brat" | "conll" | "jsonl" | "csv" => {
                format!("extract: --format {format} is not available in this build yet; use --format json")
            }
            other => format!("extract: unknown format {other:?} (json|w3c|brat|conll|jsonl|csv)"),
        });
    }
    let text = read_text(&path)?;
    let entities: Vec<_> = sahifa_core::extract(&text)
        .into_iter()
        .map(|a| {
            json!({
                "start": a.start, "end": a.end, "type": a.label, "text": a.text,
                "entity": a.entity, "canonical": a.canonical, "confidence": a.confidence,
            })
        })
        .collect();
    let out = serde_json::to_string_pretty(&json!({ "entities": entities })).map_err(|e| e.to_string())?;
    println!("{out}");
    Ok(())
}
