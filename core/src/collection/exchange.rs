//! A whole collection in and out of the four collection formats, built on the single-article
//! [`formats`](crate::formats) so every span is written and re-anchored the same way.
//!
//! | [`CollectionFormat`] | file | carries |
//! | --- | --- | --- |
//! | `Jsonl` | one line an article, the single-article JSONL line (`text`, `spans`) with `meta` holding the article's own metadata plus `id` and `done` | everything: text, metadata, annotations with source and status, done |
//! | `Conll` | the articles' CoNLL one after another, each after a `-DOCSTART- <id>` line and a blank line | token-level spans and labels only; no text, so import needs the articles already in the collection |
//! | `W3c` | one W3C `AnnotationCollection`: every annotation's `target.source` is its article's IRI `urn:sahifa:article:<id>`; the articles themselves (id, source, text, meta, done) travel in the extension property `sahifa:articles` | everything |
//! | `BratZip` | a zip of `<name>.txt`/`<name>.ann` pairs and a `collection.json` manifest (`[{id, file, meta, done}]`) | text, annotations with source and status, metadata, done |
//!
//! Opening files is the same import: a JSONL of `{"text", "meta"?}` lines (spans optional) or any of the
//! exports above. Import is all or nothing: a [`CollectionError`] names the line or the article (and,
//! inside an article, the single-article [`FormatError`](crate::formats::FormatError) says where); a span
//! that cannot be placed is counted as an orphan, like a single-article import.

use super::{Collection, CollectionError, Entry, MAX_ARTICLES};
use crate::annotation::Annotation;
use crate::formats::{self, ExportScope, Format, FormatError, Location};
use crate::session::{LabelDef, Snapshot, SNAPSHOT_SCHEMA};
use serde_json::{json, Map, Value};
use std::io::{Read, Write};

/// The formats a whole collection is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionFormat {
    Jsonl,
    Conll,
    W3c,
    BratZip,
}

impl CollectionFormat {
    pub const ALL: [CollectionFormat; 4] = [
        CollectionFormat::Jsonl,
        CollectionFormat::Conll,
        CollectionFormat::W3c,
        CollectionFormat::BratZip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CollectionFormat::Jsonl => "jsonl",
            CollectionFormat::Conll => "conll",
            CollectionFormat::W3c => "w3c",
            CollectionFormat::BratZip => "brat",
        }
    }

    /// The file name extension of an export.
    pub fn extension(self) -> &'static str {
        match self {
            CollectionFormat::Jsonl => "jsonl",
            CollectionFormat::Conll => "conll",
            CollectionFormat::W3c => "jsonld",
            CollectionFormat::BratZip => "zip",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            CollectionFormat::Jsonl => "application/jsonl",
            CollectionFormat::Conll => "text/plain",
            CollectionFormat::W3c => "application/ld+json",
            CollectionFormat::BratZip => "application/zip",
        }
    }

    /// The format a file's name says it is in (`.jsonl`, `.conll`, `.jsonld`/`.json`, `.zip`).
    pub fn of_file(name: &str) -> Option<CollectionFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(CollectionFormat::Jsonl),
            "conll" | "iob" => Some(CollectionFormat::Conll),
            "jsonld" | "json" => Some(CollectionFormat::W3c),
            "zip" => Some(CollectionFormat::BratZip),
            _ => None,
        }
    }
}

impl std::str::FromStr for CollectionFormat {
    type Err = CollectionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Ok(CollectionFormat::Jsonl),
            "conll" => Ok(CollectionFormat::Conll),
            "w3c" | "jsonld" => Ok(CollectionFormat::W3c),
            "brat" | "zip" => Ok(CollectionFormat::BratZip),
            other => Err(CollectionError::Input(format!(
                "unknown collection format {other:?}: expected jsonl, conll, w3c or brat"
            ))),
        }
    }
}

/// What an import brings: the articles (to [`Collection::absorb`]) and the spans that found no place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Incoming {
    pub entries: Vec<Entry>,
    pub orphans: usize,
}

/// The prefix of an article's IRI in W3C exports.
pub const ARTICLE_IRI: &str = "urn:sahifa:article:";

/// The whole collection in `format` (text formats as UTF-8 bytes). Every annotation is written
/// ([`ExportScope::All`]: rejected suggestions marked as such; CoNLL leaves them out).
pub fn export(c: &Collection, format: CollectionFormat) -> Vec<u8> {
    match format {
        CollectionFormat::Jsonl => export_jsonl(c).into_bytes(),
        CollectionFormat::Conll => export_conll(c).into_bytes(),
        CollectionFormat::W3c => export_w3c(c).into_bytes(),
        CollectionFormat::BratZip => export_brat_zip(c),
    }
}

/// Reads an export (or a JSONL of articles) in `format`. CoNLL carries no text: its articles are looked up
/// by id in `known`. Nothing is returned unless the whole input is read.
pub fn import(
    format: CollectionFormat,
    data: &[u8],
    known: &Collection,
) -> Result<Incoming, CollectionError> {
    if data.len() > formats::MAX_IMPORT_BYTES * 5 {
        return Err(CollectionError::Input(format!(
            "the file is over {} MB",
            formats::MAX_IMPORT_BYTES * 5 / 1024 / 1024
        )));
    }
    match format {
        CollectionFormat::BratZip => import_brat_zip(data),
        _ => {
            let text = std::str::from_utf8(data).map_err(|e| {
                let line = data[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
                CollectionError::Line {
                    line,
                    reason: "not UTF-8 text".into(),
                }
            })?;
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
            match format {
                CollectionFormat::Jsonl => import_jsonl(text),
                CollectionFormat::Conll => import_conll(text, known),
                _ => import_w3c(text),
            }
        }
    }
}

/// The work a set of imported annotations makes: user labels for every label that is not built in.
fn work_of(annotations: Vec<Annotation>) -> Snapshot {
    let mut labels: Vec<LabelDef> = Vec::new();
    for a in &annotations {
        if !LabelDef::is_builtin_name(&a.label) && !labels.iter().any(|l| l.name == a.label) {
            labels.push(LabelDef::custom(a.label.clone()));
        }
    }
    Snapshot {
        schema: SNAPSHOT_SCHEMA,
        annotations,
        labels,
        rev: None,
        parent: None,
    }
}

/// The entry's metadata as exported: its own, plus `id` and `done`.
fn meta_out(e: &Entry) -> Value {
    let mut m = e.meta.clone();
    m.insert("id".into(), json!(e.id));
    m.insert("done".into(), json!(e.done));
    Value::Object(m)
}

/// Splits exported metadata back into `(id, done, own metadata)`.
fn meta_in(mut m: Map<String, Value>) -> (Option<String>, bool, Map<String, Value>) {
    let id = match m.remove("id") {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let done = m.remove("done").and_then(|v| v.as_bool()).unwrap_or(false);
    // What the single-article exporter adds about itself is not the article's.
    for k in ["generator", "version", "name"] {
        m.remove(k);
    }
    (id, done, m)
}

fn single(format: Format, e: &Entry) -> String {
    formats::export_with(format, &e.text, &e.id, e.annotations(), ExportScope::All)
}

fn export_jsonl(c: &Collection) -> String {
    let mut out = String::new();
    for e in c.entries() {
        let mut v: Value =
            serde_json::from_str(&single(Format::Jsonl, e)).expect("the JSONL exporter writes JSON");
        v["meta"] = meta_out(e);
        out.push_str(&serde_json::to_string(&v).expect("JSON values serialise"));
        out.push('\n');
    }
    out
}

fn import_jsonl(data: &str) -> Result<Incoming, CollectionError> {
    let mut out = Incoming::default();
    let mut ids = Collection::new();
    for (i, raw) in data.split('\n').enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let at = |reason: String| CollectionError::Line { line, reason };
        let v: Value = serde_json::from_str(raw).map_err(|e| at(format!("not valid JSON: {e}")))?;
        let Value::Object(mut o) = v else {
            return Err(at("expected a JSON object {\"text\", \"meta\"}".into()));
        };
        let text = match o.get("text") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) => return Err(at("field 'text': empty".into())),
            Some(_) => return Err(at("field 'text': must be a string".into())),
            None => return Err(at("field 'text': missing".into())),
        };
        let meta = match o.remove("meta") {
            Some(Value::Object(m)) => m,
            None | Some(Value::Null) => Map::new(),
            Some(_) => return Err(at("field 'meta': must be an object".into())),
        };
        let (meta_id, done, meta) = meta_in(meta);
        let top_id = match o.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let id = ids.free_id(&meta_id.or(top_id).unwrap_or_else(|| format!("line-{line}")));
        let has_spans = ["spans", "entities", "label"].iter().any(|k| o.contains_key(*k));
        let work = if has_spans {
            let one = formats::import(Format::Jsonl, &text, raw).map_err(|e| at(e.to_string()))?;
            out.orphans += one.orphans.len();
            Some(work_of(one.annotations))
        } else {
            None
        };
        ids.push(Entry::new(id.clone(), "-"))
            .map_err(|e| at(e.to_string()))?;
        out.entries.push(Entry { id, text, meta, work, done });
        if out.entries.len() > MAX_ARTICLES {
            return Err(CollectionError::TooMany);
        }
    }
    if out.entries.is_empty() {
        return Err(CollectionError::Input("no article in the file".into()));
    }
    Ok(out)
}

/// The line that starts each article in a collection CoNLL file.
pub const DOCSTART: &str = "-DOCSTART-";

fn export_conll(c: &Collection) -> String {
    let mut out = String::new();
    for e in c.entries() {
        out.push_str(&format!("{DOCSTART} {}\n\n", e.id.replace(['\n', '\r'], " ")));
        let body = single(Format::Conll, e);
        out.push_str(&body);
        if !body.ends_with("\n\n") {
            out.push_str(if body.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }
    out
}

/// A single-article error moved to the line it has in the whole file.
fn shift(e: FormatError, by: usize) -> String {
    match e.location() {
        Location::Line(n) => {
            let mut s = format!("line {}: ", n + by);
            if let Some(f) = e.field_name() {
                s.push_str(&format!("field '{f}': "));
            }
            s.push_str(e.reason());
            s
        }
        _ => e.to_string(),
    }
}

fn import_conll(data: &str, known: &Collection) -> Result<Incoming, CollectionError> {
    let lines: Vec<&str> = data.split('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with(DOCSTART))
        .collect();
    if starts.is_empty() {
        return Err(CollectionError::Input(format!(
            "no '{DOCSTART} <id>' line: a collection CoNLL file names each article"
        )));
    }
    let mut out = Incoming::default();
    for (k, &s) in starts.iter().enumerate() {
        let line = s + 1;
        let id = lines[s].trim_start()[DOCSTART.len()..].trim().to_string();
        let Some(entry) = known.index_of(&id).and_then(|i| known.get(i)) else {
            return Err(CollectionError::Line {
                line,
                reason: format!(
                    "article {id:?} is not in the collection (CoNLL does not carry the text: open the articles first)"
                ),
            });
        };
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let body = lines[s + 1..end].join("\n");
        let one = if body.trim().is_empty() {
            formats::ImportResult::default()
        } else {
            formats::import(Format::Conll, &entry.text, &body).map_err(|e| CollectionError::Article {
                id: id.clone(),
                reason: shift(e, s + 1),
            })?
        };
        out.orphans += one.orphans.len();
        out.entries.push(Entry {
            work: Some(work_of(one.annotations)),
            ..Entry::new(id, entry.text.clone())
        });
    }
    Ok(out)
}

fn export_w3c(c: &Collection) -> String {
    let mut articles = Vec::new();
    let mut items = Vec::new();
    for e in c.entries() {
        let source = format!("{ARTICLE_IRI}{}", e.id);
        let one: Value = serde_json::from_str(&formats::export_with(
            Format::W3c,
            &e.text,
            &source,
            e.annotations(),
            ExportScope::All,
        ))
        .expect("the W3C exporter writes JSON");
        if let Some(list) = one.pointer("/first/items").and_then(Value::as_array) {
            items.extend(list.iter().cloned());
        }
        articles.push(json!({
            "id": e.id, "source": source, "text": e.text, "meta": Value::Object(e.meta.clone()), "done": e.done
        }));
    }
    let doc = json!({
        "@context": formats_w3c_context(),
        "type": "AnnotationCollection",
        "label": "sahifa collection",
        "total": items.len(),
        "sahifa:articles": articles,
        "first": {"type": "AnnotationPage", "items": items},
    });
    serde_json::to_string(&doc).expect("JSON values serialise")
}

fn formats_w3c_context() -> Value {
    json!(["http://www.w3.org/ns/anno.jsonld", {"sahifa": "urn:sahifa:"}])
}

fn import_w3c(data: &str) -> Result<Incoming, CollectionError> {
    let doc: Value = serde_json::from_str(data)
        .map_err(|e| CollectionError::Line { line: e.line(), reason: format!("not valid JSON: {e}") })?;
    let articles = doc
        .get("sahifa:articles")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            CollectionError::Input(
                "field 'sahifa:articles': missing (a collection export lists its articles there)".into(),
            )
        })?;
    let items: &[Value] = doc
        .pointer("/first/items")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut entries = Vec::new();
    let mut sources = std::collections::HashMap::new();
    for (n, a) in articles.iter().enumerate() {
        let at = |reason: &str| CollectionError::Input(format!("sahifa:articles[{n}]: {reason}"));
        let id = a.get("id").and_then(Value::as_str).ok_or_else(|| at("field 'id': missing or not a string"))?;
        let text = a.get("text").and_then(Value::as_str).ok_or_else(|| at("field 'text': missing or not a string"))?;
        let source = a
            .get("source")
            .and_then(Value::as_str)
            .map_or_else(|| format!("{ARTICLE_IRI}{id}"), str::to_string);
        let meta = match a.get("meta") {
            Some(Value::Object(m)) => m.clone(),
            None | Some(Value::Null) => Map::new(),
            Some(_) => return Err(at("field 'meta': must be an object")),
        };
        sources.insert(source, entries.len());
        entries.push((
            Entry {
                meta,
                done: a.get("done").and_then(Value::as_bool).unwrap_or(false),
                ..Entry::new(id, text)
            },
            Vec::<Value>::new(),
        ));
    }
    for (n, item) in items.iter().enumerate() {
        let source = item.pointer("/target/source").and_then(Value::as_str).unwrap_or_default();
        let Some(&i) = sources.get(source) else {
            return Err(CollectionError::Input(format!(
                "annotation {}: its target.source {source:?} is none of the articles",
                n + 1
            )));
        };
        entries[i].1.push(item.clone());
    }
    let mut out = Incoming::default();
    for (mut e, items) in entries {
        let page = json!({"type": "AnnotationPage", "items": items}).to_string();
        let one = formats::import(Format::W3c, &e.text, &page).map_err(|err| CollectionError::Article {
            id: e.id.clone(),
            reason: err.to_string(),
        })?;
        out.orphans += one.orphans.len();
        e.work = Some(work_of(one.annotations));
        out.entries.push(e);
    }
    Ok(out)
}

/// A file name made from an id: no path separators or characters file systems refuse.
fn file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    let s = s.trim_matches('.').trim().to_string();
    let s = s
        .strip_suffix(".txt")
        .or_else(|| s.strip_suffix(".html"))
        .unwrap_or(&s)
        .to_string();
    if s.is_empty() { "article".into() } else { s }
}

/// The manifest's name inside a brat zip.
pub const MANIFEST: &str = "collection.json";

fn export_brat_zip(c: &Collection) -> Vec<u8> {
    let mut taken = std::collections::HashSet::new();
    let mut manifest = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    for e in c.entries() {
        let base = file_stem(&e.id);
        let mut stem = base.clone();
        let mut n = 2;
        while !taken.insert(stem.to_lowercase()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        files.push((format!("{stem}.txt"), e.text.clone()));
        files.push((format!("{stem}.ann"), single(Format::Brat, e)));
        manifest.push(json!({"id": e.id, "file": stem, "meta": Value::Object(e.meta.clone()), "done": e.done}));
    }
    files.push((
        MANIFEST.to_string(),
        serde_json::to_string(&manifest).expect("JSON values serialise"),
    ));
    write_zip(&files).expect("writing a zip to memory cannot fail")
}

/// A zip of `(name, text)` files, stored uncompressed: a DEFLATE compressor would add some 20 kB to the
/// widget's gzipped download for a file users zip again anyway; reading takes DEFLATE as well.
fn write_zip(files: &[(String, String)]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let mut zip = rawzip::ZipArchiveWriter::new(&mut out);
    for (name, body) in files {
        let (mut entry, _) = zip
            .new_file(name.as_str())
            .compression_method(rawzip::CompressionMethod::STORE)
            .start()?;
        // Stored, so written as is, with our CRC-32 rather than through rawzip's data writer, whose CRC
        // table (16 kB) is about 15 kB of the widget's gzipped wasm.
        entry.write_all(body.as_bytes())?;
        let crc = crate::tagger::hash::crc32(body.as_bytes());
        entry.finish(rawzip::DataDescriptorOutput::new(crc, body.len() as u64))?;
    }
    zip.finish()?;
    Ok(out)
}

/// The files of a zip as text, by name, in archive order; refused past `limit` bytes unpacked in all.
fn read_zip(data: &[u8], limit: usize) -> Result<Vec<(String, String)>, String> {
    let bad = |e: rawzip::Error| format!("not a readable zip: {e}");
    let archive = rawzip::ZipArchive::from_slice(data).map_err(bad)?;
    let mut entries = archive.entries();
    let mut out = Vec::new();
    let mut total = 0usize;
    while let Some(entry) = entries.next_entry().map_err(bad)? {
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .file_path()
            .try_normalize()
            .map_err(|e| format!("a file name in the zip is unsafe or unreadable: {e}"))?
            .as_ref()
            .to_string();
        let size = usize::try_from(entry.uncompressed_size_hint()).unwrap_or(usize::MAX);
        total = total.saturating_add(size);
        if total > limit {
            return Err("the zip unpacks to too much data".into());
        }
        let local = archive.get_entry(entry.wayfinder()).map_err(bad)?;
        let mut bytes = Vec::with_capacity(size.min(limit));
        let read = match entry.compression_method() {
            rawzip::CompressionMethod::STORE => local.data().take(size as u64 + 1).read_to_end(&mut bytes),
            rawzip::CompressionMethod::DEFLATE => flate2::bufread::DeflateDecoder::new(local.data())
                .take(size as u64 + 1)
                .read_to_end(&mut bytes),
            m => return Err(format!("{name}: compression {m:?} is not supported (use DEFLATE or none)")),
        };
        read.map_err(|e| format!("{name}: {e}"))?;
        // Size and CRC checked as rawzip's verifying reader does, with our CRC-32 (see `write_zip`).
        let unpacked = rawzip::ZipVerification {
            crc: crate::tagger::hash::crc32(&bytes),
            uncompressed_size: bytes.len() as u64,
        };
        local.claim_verifier().valid(unpacked).map_err(|e| format!("{name}: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
        out.push((name, text));
    }
    Ok(out)
}

fn import_brat_zip(data: &[u8]) -> Result<Incoming, CollectionError> {
    let unpacked = read_zip(data, formats::MAX_IMPORT_BYTES * 10).map_err(CollectionError::Input)?;
    let order: Vec<String> = unpacked
        .iter()
        .filter(|(n, _)| n.ends_with(".txt"))
        .map(|(n, _)| n.clone())
        .collect();
    let files: std::collections::BTreeMap<String, String> = unpacked.into_iter().collect();
    let manifest: Vec<Value> = match files.get(MANIFEST) {
        Some(m) => serde_json::from_str(m)
            .map_err(|e| CollectionError::Input(format!("{MANIFEST}: not valid JSON: {e}")))?,
        None => Vec::new(),
    };
    let by_file: std::collections::HashMap<&str, &Value> = manifest
        .iter()
        .filter_map(|m| Some((m.get("file")?.as_str()?, m)))
        .collect();
    let mut out = Incoming::default();
    let mut ids = Collection::new();
    for txt in order {
        let stem = txt.strip_suffix(".txt").expect("chosen by extension");
        let text = files[&txt].clone();
        let m = by_file.get(stem);
        let id = m
            .and_then(|m| m.get("id")?.as_str())
            .map_or_else(|| stem.rsplit('/').next().unwrap_or(stem).to_string(), str::to_string);
        let id = ids.free_id(&id);
        let work = match files.get(&format!("{stem}.ann")) {
            Some(ann) if !ann.trim().is_empty() => {
                let one = formats::import(Format::Brat, &text, ann).map_err(|e| CollectionError::Article {
                    id: id.clone(),
                    reason: format!("{stem}.ann: {e}"),
                })?;
                out.orphans += one.orphans.len();
                Some(work_of(one.annotations))
            }
            Some(_) => Some(work_of(Vec::new())),
            None => None,
        };
        ids.push(Entry::new(id.clone(), "-"))
            .map_err(|e| CollectionError::Input(e.to_string()))?;
        out.entries.push(Entry {
            meta: m.and_then(|m| m.get("meta")?.as_object().cloned()).unwrap_or_default(),
            done: m.and_then(|m| m.get("done")?.as_bool()).unwrap_or(false),
            work,
            ..Entry::new(id, text)
        });
    }
    if out.entries.is_empty() {
        return Err(CollectionError::Input("no .txt article in the zip".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod zip_tests {
    use super::{read_zip, write_zip};

    #[test]
    fn a_zip_round_trips_and_a_changed_byte_fails_its_crc() {
        let files = vec![("a.txt".to_string(), "زار الرئيس باريس".to_string()), ("b.ann".to_string(), "T1\tPER 0 4\tزار".to_string())];
        let zip = write_zip(&files).unwrap();
        assert_eq!(read_zip(&zip, 1 << 20).unwrap(), files);
        // The stored (uncompressed) text of the first file, one byte changed: same size, wrong CRC.
        let at = zip.windows(6).position(|w| w == "الرئ".as_bytes()[..6].as_ref()).unwrap();
        let mut bad = zip.clone();
        bad[at] ^= 1;
        let err = read_zip(&bad, 1 << 20).unwrap_err();
        assert!(err.starts_with("a.txt: ") && err.to_lowercase().contains("checksum"), "{err}");
    }
}
