//! W3C Web Annotation (JSON-LD) export and import.
//!
//! Export writes one `AnnotationCollection` whose `first` page holds every annotation. Each annotation has
//! an `id` (`urn:uuid:…` ids are kept, others become the relative IRI `#<id>`), `type: "Annotation"`,
//! `motivation: "tagging"`, a tagging `TextualBody` whose `value` is the label, a commenting `TextualBody`
//! for the note, and a `target` with the document `source` and two selectors: a `TextQuoteSelector`
//! (`exact`, `prefix`, `suffix` of up to 32 code points) and a `TextPositionSelector` (`start`, `end` in code
//! points, as the model specifies). Provenance: `creator` for the user's annotations, `generator` (Software
//! "sahifa") for the extractor's. Sahifa's own data travel as extension properties: `sahifa:source`,
//! `sahifa:status`, `sahifa:entity`, `sahifa:canonical`, `sahifa:confidence`.
//!
//! Import accepts a collection (with `first` as an embedded page), a bare `AnnotationPage`, a JSON array of
//! annotations or a single annotation. Errors name the annotation (1-based) and the field.

use super::{
    json_offset, too_many_spans, Codec, Doc, FormatError, Imported, Location, TextIndex,
    MAX_IMPORT_SPANS,
};
use crate::annotation::{Source, Status};
use serde_json::{json, Map, Value};

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

pub struct W3c;

fn iri(id: &str) -> String {
    if id.starts_with("urn:")
        || id.starts_with("http://")
        || id.starts_with("https://")
        || id.starts_with('#')
    {
        id.to_string()
    } else {
        format!("#{id}")
    }
}

impl Codec for W3c {
    fn export(doc: &Doc) -> String {
        let index = TextIndex::new(doc.text);
        let items: Vec<Value> = doc
            .annotations
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let (prefix, suffix) = index.context(a.start, a.end);
                let mut body = vec![json!({"type": "TextualBody", "purpose": "tagging", "value": a.label})];
                if let Some(note) = a.note.as_deref().filter(|n| !n.is_empty()) {
                    body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
                }
                let id = if a.id.is_empty() { format!("#x{}", i + 1) } else { iri(&a.id) };
                let mut o = Map::new();
                o.insert("id".into(), json!(id));
                o.insert("type".into(), json!("Annotation"));
                o.insert("motivation".into(), json!("tagging"));
                o.insert("body".into(), Value::Array(body));
                o.insert(
                    "target".into(),
                    json!({
                        "source": doc.name,
                        "selector": [
                            {"type": "TextQuoteSelector", "exact": index.span_text(a), "prefix": prefix, "suffix": suffix},
                            {"type": "TextPositionSelector", "start": a.start, "end": a.end}
                        ]
                    }),
                );
                match a.source {
                    Source::User => {
                        o.insert("creator".into(), json!({"type": "Person", "nickname": "user"}));
                    }
                    Source::Extractor => {
                        o.insert(
                            "generator".into(),
                            json!({"type": "Software", "name": "sahifa", "version": env!("CARGO_PKG_VERSION")}),
                        );
                    }
                }
                o.insert("sahifa:source".into(), json!(a.source.as_str()));
                o.insert("sahifa:status".into(), json!(status_str(a.status)));
                if !a.entity.is_empty() {
                    o.insert("sahifa:entity".into(), json!(a.entity));
                }
                if !a.canonical.is_empty() {
                    o.insert("sahifa:canonical".into(), json!(a.canonical));
                }
                if let Some(c) = a.confidence {
                    // Through the f32's shortest decimal form, so 0.9 is written 0.9, not 0.8999999761581421.
                    // Read back by serde_json, not `str::parse`: the standard library's float parser brings a
                    // 20 kB table of powers of five into the wasm (about 19 kB gzipped).
                    let c: f64 = serde_json::from_str(&c.to_string()).unwrap_or(c as f64);
                    o.insert("sahifa:confidence".into(), json!(c));
                }
                Value::Object(o)
            })
            .collect();
        let doc = json!({
            "@context": CONTEXT,
            "id": if doc.name.is_empty() { "#annotations".to_string() } else { format!("{}#annotations", doc.name) },
            "type": "AnnotationCollection",
            "label": format!("Sahifa annotations of {}", if doc.name.is_empty() { "the article" } else { doc.name }),
            "total": items.len(),
            "first": {"type": "AnnotationPage", "startIndex": 0, "items": items}
        });
        let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
        s.push('\n');
        s
    }

    fn import(_text: &str, data: &str) -> Result<Vec<Imported>, FormatError> {
        let root: Value = serde_json::from_str(data).map_err(|e| {
            FormatError::at_line(
                e.line().max(1),
                format!("not valid JSON (column {}): {e}", e.column()),
            )
        })?;
        let items = items_of(&root)?;
        if items.len() > MAX_IMPORT_SPANS {
            return Err(too_many_spans(Location::None));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, v)| annotation(i + 1, v))
            .collect()
    }
}

pub(crate) fn status_str(s: Status) -> &'static str {
    match s {
        Status::Suggested => "suggested",
        Status::Accepted => "accepted",
        Status::Rejected => "rejected",
    }
}

pub(crate) fn parse_status(s: &str) -> Option<Status> {
    match s {
        "suggested" => Some(Status::Suggested),
        "accepted" => Some(Status::Accepted),
        "rejected" => Some(Status::Rejected),
        _ => None,
    }
}

pub(crate) fn parse_source(s: &str) -> Option<Source> {
    match s {
        "user" => Some(Source::User),
        "extractor" => Some(Source::Extractor),
        _ => None,
    }
}

fn type_names(v: &Value) -> Vec<&str> {
    match v.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn items_of(root: &Value) -> Result<&[Value], FormatError> {
    match root {
        Value::Array(a) => Ok(a),
        Value::Object(o) => {
            let types = type_names(root);
            if types.contains(&"AnnotationCollection") {
                match o.get("first") {
                    Some(page @ Value::Object(_)) => page_items(page, "first.items"),
                    Some(Value::String(_)) => Err(FormatError::new(
                        "the collection's first page is a link, not embedded: export it with the page included",
                    )
                    .field("first")),
                    None if o.get("total").and_then(Value::as_u64) == Some(0) => Ok(&[]),
                    _ => Err(FormatError::new("missing or not an AnnotationPage object").field("first")),
                }
            } else if types.contains(&"AnnotationPage") {
                page_items(root, "items")
            } else if types.contains(&"Annotation") {
                Ok(std::slice::from_ref(root))
            } else {
                Err(FormatError::new(
                    "expected a W3C Web Annotation document: an AnnotationCollection, an AnnotationPage, or an array of Annotations",
                )
                .field("type"))
            }
        }
        _ => Err(FormatError::new(
            "expected a W3C Web Annotation document (a JSON object or array), found a bare JSON value",
        )),
    }
}

fn page_items<'v>(page: &'v Value, field: &str) -> Result<&'v [Value], FormatError> {
    match page.get("items") {
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(FormatError::new("must be an array").field(field)),
        None => Err(FormatError::new("missing").field(field)),
    }
}

fn str_field<'v>(
    o: &'v Value,
    key: &str,
    n: usize,
    path: &str,
) -> Result<Option<&'v str>, FormatError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(FormatError::at_item(n, "must be a string").field(path.to_string())),
    }
}

fn annotation(n: usize, v: &Value) -> Result<Imported, FormatError> {
    let loc = Location::Item(n);
    if !v.is_object() {
        return Err(FormatError::at(loc, "must be a JSON object"));
    }
    if !type_names(v).contains(&"Annotation") {
        return Err(FormatError::at(loc, "expected \"Annotation\"").field("type"));
    }
    // Bodies: the tagging one gives the label, the commenting one the note.
    let bodies: Vec<&Value> = match v.get("body") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(b @ Value::Object(_)) => vec![b],
        Some(Value::String(_)) => {
            return Err(
                FormatError::at(loc, "is a link; expected an embedded TextualBody").field("body"),
            )
        }
        Some(_) => return Err(FormatError::at(loc, "must be an object or an array").field("body")),
        None => return Err(FormatError::at(loc, "missing").field("body")),
    };
    let mut label = None;
    let mut note: Option<String> = None;
    for (bi, b) in bodies.iter().enumerate() {
        let path = if bodies.len() > 1 {
            format!("body[{bi}].value")
        } else {
            "body.value".into()
        };
        let purpose = b.get("purpose").and_then(Value::as_str).unwrap_or("");
        let value = b.get("value").and_then(Value::as_str);
        match purpose {
            "tagging" | "classifying" | "identifying" if label.is_none() => {
                label =
                    Some(value.ok_or_else(|| {
                        FormatError::at(loc, "missing or not a string").field(path)
                    })?);
            }
            "commenting" | "describing" => {
                let v = value
                    .ok_or_else(|| FormatError::at(loc, "missing or not a string").field(path))?;
                note = Some(match note {
                    Some(prev) => format!("{prev}\n{v}"),
                    None => v.to_string(),
                });
            }
            _ => {}
        }
    }
    // A body without a purpose counts as the tag when there is no explicit one.
    if label.is_none() {
        label = bodies
            .iter()
            .find(|b| b.get("purpose").is_none())
            .and_then(|b| b.get("value"))
            .and_then(Value::as_str);
    }
    let label = label.ok_or_else(|| {
        FormatError::at(loc, "no TextualBody with purpose \"tagging\"").field("body")
    })?;

    let target = match v.get("target") {
        Some(Value::Array(a)) => a
            .first()
            .ok_or_else(|| FormatError::at(loc, "is an empty array").field("target"))?,
        Some(t @ Value::Object(_)) => t,
        Some(Value::String(_)) => {
            return Err(FormatError::at(
                loc,
                "is a bare link; expected a SpecificResource with selectors",
            )
            .field("target"))
        }
        Some(_) => return Err(FormatError::at(loc, "must be an object").field("target")),
        None => return Err(FormatError::at(loc, "missing").field("target")),
    };
    let selectors: Vec<&Value> = match target.get("selector") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        Some(_) => {
            return Err(
                FormatError::at(loc, "must be an object or an array").field("target.selector")
            )
        }
        None => return Err(FormatError::at(loc, "missing").field("target.selector")),
    };
    let mut r = Imported {
        label: label.to_string(),
        note,
        location: loc,
        ..Default::default()
    };
    let mut found = false;
    for s in selectors {
        match s.get("type").and_then(Value::as_str) {
            Some("TextQuoteSelector") => {
                found = true;
                r.quote = Some(
                    str_field(s, "exact", n, "target.selector.exact")?
                        .ok_or_else(|| {
                            FormatError::at(loc, "missing").field("target.selector.exact")
                        })?
                        .to_string(),
                );
                r.prefix = str_field(s, "prefix", n, "target.selector.prefix")?.map(str::to_string);
                r.suffix = str_field(s, "suffix", n, "target.selector.suffix")?.map(str::to_string);
            }
            Some("TextPositionSelector") => {
                found = true;
                let num = |k: &str| -> Result<usize, FormatError> {
                    let path = format!("target.selector.{k}");
                    match s.get(k) {
                        Some(v) => json_offset(v).map_err(|r| FormatError::at(loc, r).field(path)),
                        None => Err(FormatError::at(loc, "missing").field(path)),
                    }
                };
                r.start = Some(num("start")?);
                r.end = Some(num("end")?);
            }
            _ => {}
        }
    }
    if !found {
        return Err(FormatError::at(
            loc,
            "has neither a TextQuoteSelector nor a TextPositionSelector",
        )
        .field("target.selector"));
    }
    r.id = str_field(v, "id", n, "id")?.map(|id| id.strip_prefix('#').unwrap_or(id).to_string());
    r.entity = str_field(v, "sahifa:entity", n, "sahifa:entity")?.map(str::to_string);
    r.canonical = str_field(v, "sahifa:canonical", n, "sahifa:canonical")?.map(str::to_string);
    r.source = match str_field(v, "sahifa:source", n, "sahifa:source")? {
        Some(s) => Some(parse_source(s).ok_or_else(|| {
            FormatError::at(loc, "expected \"user\" or \"extractor\"").field("sahifa:source")
        })?),
        None if v.get("generator").is_some() && v.get("creator").is_none() => {
            Some(Source::Extractor)
        }
        None => None,
    };
    r.status = match str_field(v, "sahifa:status", n, "sahifa:status")? {
        Some(s) => Some(parse_status(s).ok_or_else(|| {
            FormatError::at(loc, "expected \"suggested\", \"accepted\" or \"rejected\"")
                .field("sahifa:status")
        })?),
        None => None,
    };
    r.confidence = match v.get("sahifa:confidence") {
        None | Some(Value::Null) => None,
        Some(Value::Number(x)) => x.as_f64().map(|x| x as f32),
        Some(_) => return Err(FormatError::at(loc, "must be a number").field("sahifa:confidence")),
    };
    Ok(r)
}
