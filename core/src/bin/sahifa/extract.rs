//! `sahifa extract [--format json|w3c|brat|conll|jsonl|csv] FILE|-`: the extraction core's entities on stdout,
//! as JSON (default) or in one of the interchange formats of `sahifa_core::formats`.

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
    let export_format = match format.as_str() {
        "json" => None,
        f => Some(f.parse::<sahifa_core::formats::Format>().map_err(|_| {
            format!("extract: unknown format {f:?} (json|w3c|brat|conll|jsonl|csv)")
        })?),
    };
    let text = read_text(&path)?;
    let annotations = sahifa_core::extract(&text);
    if let Some(f) = export_format {
        let name = if path == "-" { "stdin" } else { path.as_str() };
        print!(
            "{}",
            sahifa_core::formats::export(f, &text, name, &annotations)
        );
        return Ok(());
    }
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
    let out = serde_json::to_string_pretty(&json!({ "entities": entities }))
        .map_err(|e| e.to_string())?;
    println!("{out}");
    Ok(())
}
