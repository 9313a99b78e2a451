//! JSON Lines export and import in the spaCy / Prodigy / doccano style: one JSON object a document,
//! `{"text": …, "spans": [{"start", "end", "label", "note"?, "entity"?, "source"?, "status"?}], "meta": {…}}`
//! (`source` is `user` or `extractor`, `status` `suggested`, `accepted` or `rejected`).
//!
//! Export writes one line for the article. Import reads the line whose `text` equals the article, or else the
//! first line that has spans; offsets are code points (what Python's `str` indexes). Each span's quote is cut
//! from that line's own `text`, so a file made for an earlier version of the article re-anchors. Also read:
//! doccano's `"label": [[start, end, "TYPE"], …]` and `"entities"` in the same shape. Errors name the line
//! and the field (`spans[2].end`).

use super::w3c::{parse_source, parse_status, status_str};
use super::{
    json_offset, too_many_spans, Codec, Doc, FormatError, Imported, Location, TextIndex,
    MAX_IMPORT_SPANS,
};
use serde_json::{json, Map, Value};

pub struct Jsonl;

impl Codec for Jsonl {
    fn export(doc: &Doc) -> String {
        let index = TextIndex::new(doc.text);
        let spans: Vec<Value> = doc
            .annotations
            .iter()
            .map(|a| {
                let mut o = Map::new();
                o.insert("start".into(), json!(a.start));
                o.insert("end".into(), json!(a.end));
                o.insert("label".into(), json!(a.label));
                o.insert("text".into(), json!(index.span_text(a)));
                if let Some(n) = a.note.as_deref().filter(|n| !n.is_empty()) {
                    o.insert("note".into(), json!(n));
                }
                if !a.entity.is_empty() {
                    o.insert("entity".into(), json!(a.entity));
                }
                o.insert("source".into(), json!(a.source.as_str()));
                o.insert("status".into(), json!(status_str(a.status)));
                Value::Object(o)
            })
            .collect();
        let line = json!({
            "text": doc.text,
            "spans": spans,
            "meta": {"name": doc.name, "generator": "sahifa", "version": env!("CARGO_PKG_VERSION")}
        });
        let mut s = serde_json::to_string(&line).expect("JSON values always serialise");
        s.push('\n');
        s
    }

    fn import(text: &str, data: &str) -> Result<Vec<Imported>, FormatError> {
        let mut chosen: Option<(usize, Value)> = None;
        for (i, raw) in data.split('\n').enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line).map_err(|e| {
                FormatError::at_line(
                    line_no,
                    format!("not valid JSON (column {}): {e}", e.column()),
                )
            })?;
            if !v.is_object() {
                return Err(FormatError::at_line(
                    line_no,
                    "expected a JSON object {\"text\", \"spans\"}",
                ));
            }
            let same = v.get("text").and_then(Value::as_str) == Some(text);
            if same {
                chosen = Some((line_no, v));
                break;
            }
            if chosen.is_none() {
                chosen = Some((line_no, v));
            }
        }
        let Some((line_no, v)) = chosen else {
            return Err(FormatError::new("no JSON object in the input"));
        };
        read_line(line_no, &v)
    }
}

fn read_line(line_no: usize, v: &Value) -> Result<Vec<Imported>, FormatError> {
    let loc = Location::Line(line_no);
    let own_text = match v.get("text") {
        Some(Value::String(s)) => Some(s.as_str()),
        None | Some(Value::Null) => None,
        Some(_) => return Err(FormatError::at(loc, "must be a string").field("text")),
    };
    let (key, list) = ["spans", "entities", "label"]
        .iter()
        .find_map(|k| v.get(*k).map(|l| (*k, l)))
        .ok_or_else(|| {
            FormatError::at(loc, "missing (expected a list of {start, end, label})").field("spans")
        })?;
    let list = list
        .as_array()
        .ok_or_else(|| FormatError::at(loc, "must be an array").field(key))?;
    if list.len() > MAX_IMPORT_SPANS {
        return Err(too_many_spans(loc).field(key));
    }
    let own = own_text.map(TextIndex::new);
    let mut out = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let path = |f: &str| {
            if f.is_empty() {
                format!("{key}[{i}]")
            } else {
                format!("{key}[{i}].{f}")
            }
        };
        let num = |x: Option<&Value>, f: &str| -> Result<usize, FormatError> {
            match x {
                Some(v) => json_offset(v).map_err(|r| FormatError::at(loc, r).field(path(f))),
                None => Err(FormatError::at(loc, "missing").field(path(f))),
            }
        };
        let string = |x: Option<&Value>, f: &str| -> Result<Option<String>, FormatError> {
            match x {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(FormatError::at(loc, "must be a string").field(path(f))),
            }
        };
        let mut r = Imported {
            location: loc,
            ..Default::default()
        };
        match s {
            Value::Object(_) => {
                r.start = Some(num(
                    s.get("start").or_else(|| s.get("start_offset")),
                    "start",
                )?);
                r.end = Some(num(s.get("end").or_else(|| s.get("end_offset")), "end")?);
                r.label = string(s.get("label"), "label")?
                    .ok_or_else(|| FormatError::at(loc, "missing").field(path("label")))?;
                r.note = string(s.get("note"), "note")?;
                r.entity = string(s.get("entity"), "entity")?;
                r.source = match string(s.get("source"), "source")? {
                    Some(x) => Some(parse_source(&x).ok_or_else(|| {
                        FormatError::at(loc, "expected \"user\" or \"extractor\"")
                            .field(path("source"))
                    })?),
                    None => None,
                };
                r.status = match string(s.get("status"), "status")? {
                    Some(x) => Some(parse_status(&x).ok_or_else(|| {
                        FormatError::at(loc, "expected \"suggested\", \"accepted\" or \"rejected\"")
                            .field(path("status"))
                    })?),
                    None => None,
                };
                r.quote = string(s.get("text"), "text")?;
            }
            Value::Array(a) if a.len() == 3 => {
                r.start = Some(num(a.first(), "0")?);
                r.end = Some(num(a.get(1), "1")?);
                r.label = string(a.get(2), "2")?.unwrap_or_default();
            }
            _ => {
                return Err(FormatError::at(
                    loc,
                    "expected {\"start\", \"end\", \"label\"} or [start, end, label]",
                )
                .field(path("")))
            }
        }
        let (st, en) = (r.start.unwrap_or(0), r.end.unwrap_or(0));
        if st >= en {
            return Err(
                FormatError::at(loc, format!("the range {st}..{en} is empty or reversed"))
                    .field(path("end")),
            );
        }
        if let Some(t) = &own {
            let n = t.len_chars();
            if en > n {
                return Err(FormatError::at(
                    loc,
                    format!("{en} is past the end of the line's text ({n} code points)"),
                )
                .field(path("end")));
            }
            let covered = t.slice(st, en).unwrap_or("");
            if let Some(q) = &r.quote {
                if q != covered {
                    return Err(FormatError::at(
                        loc,
                        format!("{q:?} does not match the line's text at {st}..{en} ({covered:?})"),
                    )
                    .field(path("text")));
                }
            }
            let (p, s) = t.context(st, en);
            r.quote = Some(covered.to_string());
            r.prefix = Some(p.to_string());
            r.suffix = Some(s.to_string());
        }
        out.push(r);
    }
    Ok(out)
}
