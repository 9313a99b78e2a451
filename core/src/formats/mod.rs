//! Export and import of annotations in five interchange formats, as pure functions over strings.
//!
//! Why one module with one trait: the widget's export/import dialogs, the `sahifa extract --format` command
//! and the tests all need the same five formats, and each format (a private module each) only has to say
//! how it writes a document and how it reads its own syntax into records. Everything that is the same for
//! all formats lives here and in the crate's `anchor` module: the input checks (size cap, binary data),
//! re-anchoring every imported span to the current article text, turning unplaceable ones into
//! [`Orphan`]s, and building [`Annotation`]s. Callers see only [`import`], [`export`], [`merge`] and their
//! types, plus [`export_with`] and [`ExportScope`] for choosing what an export holds.
//!
//! | format | what | carries |
//! | --- | --- | --- |
//! | [`Format::W3c`] | W3C Web Annotation JSON-LD collection (`w3c.rs`) | offsets, quote with prefix/suffix, label, note, entity, source (`creator` user / `generator` software, and `sahifa:source`), status (`sahifa:status`), confidence, id |
//! | [`Format::Brat`] | brat standoff `.ann` (`brat.rs`); the `.txt` is the article text | offsets, quote, label, note, source and status (brat attributes `Source`, `Status` on machine annotations) |
//! | [`Format::Conll`] | one `token<TAB>IOB2-tag` a line (`conll.rs`) | token-level spans, label (no review state: export [`ExportScope::Reviewed`] for annotated data) |
//! | [`Format::Jsonl`] | one JSON object a document, spaCy/Prodigy/doccano style (`jsonl.rs`) | offsets (quote from the line's own text), label, note, entity, source, status |
//! | [`Format::Csv`] | `start,end,type,text,entity,source,note,status`, RFC 4180 (`csv.rs`) | offsets, quote, label, note, entity, source, status |
//!
//! All offsets are Unicode code points into the article text, end exclusive.
//!
//! ## Import contract
//! - [`import`] either returns the complete result or an error; it never returns part of a file.
//! - A [`FormatError`] names where the problem is: a 1-based line, a 1-based annotation number, a field
//!   (its variants say which), and a reason a user can act on. Offsets in JSON must be whole, non-negative
//!   and fit a `usize` on the platform (wasm32 included), or the field is reported.
//! - Inputs over [`MAX_IMPORT_BYTES`] and inputs holding NUL bytes (binary data) are refused up front, and
//!   files with more than [`MAX_IMPORT_SPANS`] annotations as soon as a reader counts them, so a hostile
//!   file under the byte limit cannot make an import hold millions of records. (The JSON formats parse the
//!   whole file before that count: their peak memory is some 15 times the file's size.)
//! - Syntax errors, missing or mistyped fields, reversed or empty ranges, and offsets outside the article
//!   that come without a quote to find the span by are errors. A span whose quote no longer matches the
//!   article at its offsets is *re-anchored* (found again by its quote and context); one that cannot be found is returned as an
//!   [`Orphan`] with the reason, not as an error, because an edited article is the normal case.
//! - Imported annotations are `Source::User`/`Status::Accepted` unless the format says otherwise (W3C, JSONL,
//!   CSV and brat carry `source` and `status`; a user's annotation is always accepted). Their `entity` is
//!   the imported entity id or empty when the format has none (the widget's clustering assigns one). Ids
//!   come from the file where it has them (W3C), else `imported-<n>`.
//!
//! ## Export scope
//! [`export_with`] takes an [`ExportScope`]: `Reviewed` writes the user's annotations and accepted
//! suggestions only; `All` writes everything, rejected suggestions included with status `rejected` in the
//! four formats that carry status (CoNLL, which cannot mark them, leaves them out). A reviewed-only CoNLL
//! export starts with the comment line `# sahifa: reviewed annotations only`; CoNLL import skips `# `
//! comment lines.
//!
//! ## Duplicates and review state
//! One span, one mark: an imported annotation whose `(start, end)` is already annotated in the current
//! work is not added a second time. If it carries a review decision (it is anything but an unreviewed
//! machine suggestion, i.e. not `extractor`/`suggested`) and its label, source, status or note differ, the
//! existing annotation (a kept one first, else a rejected suggestion) takes the imported label, source,
//! status and note (a missing note keeps the existing one); its id stays. Otherwise the import is skipped
//! as a duplicate. So a suggestion that was accepted, retyped or rejected, exported and imported into a
//! session with the machine's fresh suggestions comes back as one mark with its review state. Imports that
//! repeat an earlier import's `(start, end, label)` are skipped too. [`merge`] returns the annotations to
//! add, the updated existing ones and the number skipped, and renames imported ids that collide with
//! existing ones; applying the result (one undoable step) is the session's job.

mod brat;
mod conll;
mod csv;
mod jsonl;
mod w3c;

/// The names of sources and statuses, shared with the static render and its hydration.
pub(crate) use w3c::{parse_source, parse_status, status_str};

pub use crate::anchor::OrphanReason;
use crate::anchor::{Anchor, Anchorer, Quote};
use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::offsets::OffsetMap;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Imports larger than this are refused rather than parsed.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// Imports with more annotations than this are refused (a long article has a few thousand).
pub const MAX_IMPORT_SPANS: usize = 100_000;

/// The error for a file with more than [`MAX_IMPORT_SPANS`] annotations.
pub(crate) fn too_many_spans(location: Location) -> FormatError {
    FormatError::at(
        location,
        format!("more than {MAX_IMPORT_SPANS} annotations: an import holds at most that many"),
    )
}

/// Code points of context kept before and after a quote (W3C `prefix`/`suffix`).
pub const CONTEXT_CHARS: usize = 32;

/// The five interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    W3c,
    Brat,
    Conll,
    Jsonl,
    Csv,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::W3c,
        Format::Brat,
        Format::Conll,
        Format::Jsonl,
        Format::Csv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::W3c => "w3c",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// The usual file extension of an export in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::W3c => "jsonld",
            Format::Brat => "ann",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// The MIME type to offer a download with.
    pub fn mime(self) -> &'static str {
        match self {
            Format::W3c => "application/ld+json",
            Format::Brat | Format::Conll => "text/plain",
            Format::Jsonl => "application/jsonl",
            Format::Csv => "text/csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "w3c" | "webannotation" | "jsonld" => Ok(Format::W3c),
            "brat" | "ann" => Ok(Format::Brat),
            "conll" | "iob" | "iob2" => Ok(Format::Conll),
            "jsonl" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            other => Err(UnknownFormat(other.to_string())),
        }
    }
}

/// What an exporter is given: the article, its name (brat/W3C `source`, JSONL `meta`) and the annotations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub name: &'a str,
    pub annotations: &'a [Annotation],
}

/// One span as a format reads it, before re-anchoring. `start`/`end` are where the file says it is (code
/// points, maybe stale or out of range); `quote` with `prefix`/`suffix` is what it says is there.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Imported {
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub label: String,
    pub quote: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub note: Option<String>,
    pub id: Option<String>,
    pub entity: Option<String>,
    pub canonical: Option<String>,
    pub source: Option<Source>,
    pub status: Option<Status>,
    pub confidence: Option<f32>,
    /// Where the record is in the input, for error messages: "line 3" or "annotation 2".
    pub location: Location,
}

/// Where something is in an imported file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Location {
    #[default]
    None,
    /// 1-based line.
    Line(usize),
    /// 1-based annotation number (W3C, whose items are not line-oriented).
    Item(usize),
}

impl Location {
    /// `"line 3, "` before a field name, nothing for [`Location::None`].
    fn prefix(&self) -> String {
        match self {
            Location::None => String::new(),
            l => format!("{l}, "),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::None => Ok(()),
            Location::Line(n) => write!(f, "line {n}"),
            Location::Item(n) => write!(f, "annotation {n}"),
        }
    }
}

/// Why an import failed, and where: `"line 3: expected 'T<n>\tTYPE start end\ttext'"`,
/// `"annotation 2, field 'target.selector': missing"`. The message is shown to users as it is, so every
/// reason is a sentence a person can act on; the variant and [`Location`] let a caller point at the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The input as a whole: too large, binary, or holding nothing to import.
    #[error("{reason}")]
    Input { reason: String },
    /// A line or an annotation of the input, as a whole.
    #[error("{location}: {reason}")]
    Record { location: Location, reason: String },
    /// One field of a line or an annotation (of the whole input when `location` is [`Location::None`]).
    #[error("{}field '{field}': {reason}", location.prefix())]
    Field {
        location: Location,
        field: String,
        reason: String,
    },
}

impl FormatError {
    /// The whole input is refused.
    pub fn new(reason: impl Into<String>) -> Self {
        FormatError::Input {
            reason: reason.into(),
        }
    }
    /// 1-based line `line` is wrong.
    pub fn at_line(line: usize, reason: impl Into<String>) -> Self {
        FormatError::at(Location::Line(line), reason)
    }
    /// 1-based annotation `item` is wrong.
    pub fn at_item(item: usize, reason: impl Into<String>) -> Self {
        FormatError::at(Location::Item(item), reason)
    }
    /// The record at `location` is wrong.
    pub fn at(location: Location, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        match location {
            Location::None => FormatError::Input { reason },
            location => FormatError::Record { location, reason },
        }
    }
    /// Narrows the error to one field of its record.
    pub fn field(self, field: impl Into<String>) -> Self {
        let field = field.into();
        match self {
            FormatError::Input { reason } => FormatError::Field {
                location: Location::None,
                field,
                reason,
            },
            FormatError::Record { location, reason }
            | FormatError::Field {
                location, reason, ..
            } => FormatError::Field {
                location,
                field,
                reason,
            },
        }
    }
    /// Where the problem is ([`Location::None`] for the whole input).
    pub fn location(&self) -> Location {
        match self {
            FormatError::Input { .. } => Location::None,
            FormatError::Record { location, .. } | FormatError::Field { location, .. } => *location,
        }
    }
    /// 1-based line, when the error has one.
    pub fn line(&self) -> Option<usize> {
        match self.location() {
            Location::Line(n) => Some(n),
            _ => None,
        }
    }
    /// The field at fault, when one is.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            FormatError::Field { field, .. } => Some(field),
            _ => None,
        }
    }
    /// What is wrong, without where.
    pub fn reason(&self) -> &str {
        match self {
            FormatError::Input { reason }
            | FormatError::Record { reason, .. }
            | FormatError::Field { reason, .. } => reason,
        }
    }
}

/// `"{format} is not a format"`: the name given for an import or export format is none of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: expected one of w3c, brat, conll, jsonl, csv")]
pub struct UnknownFormat(pub String);

/// An imported annotation that could not be placed in the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub label: String,
    pub quote: String,
    pub note: Option<String>,
    pub reason: crate::anchor::OrphanReason,
}

/// The outcome of a successful import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportResult {
    pub annotations: Vec<Annotation>,
    pub orphans: Vec<Orphan>,
}

/// What every format implements.
pub(crate) trait Codec {
    /// Writes the whole document. Pure: the same input gives byte-identical output.
    fn export(doc: &Doc) -> String;
    /// Reads `data` (already checked for size and binary content) written for the article `text`.
    fn import(text: &str, data: &str) -> Result<Vec<Imported>, FormatError>;
}

/// Which annotations an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExportScope {
    /// The annotator's work only: the user's annotations and accepted suggestions (status `Accepted`).
    /// Nothing unreviewed, nothing rejected: what to hand on as annotated data.
    Reviewed,
    /// Everything: reviewed work, unreviewed suggestions, and rejected suggestions marked as rejected, so
    /// a re-import restores the rejections. CoNLL cannot mark anything, so it leaves the rejected out.
    #[default]
    All,
}

impl ExportScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportScope::Reviewed => "reviewed",
            ExportScope::All => "all",
        }
    }

    /// Whether an export in `format` with this scope holds `a`.
    pub fn includes(self, format: Format, a: &Annotation) -> bool {
        match self {
            ExportScope::Reviewed => a.status == Status::Accepted,
            ExportScope::All => format != Format::Conll || a.status != Status::Rejected,
        }
    }
}

impl FromStr for ExportScope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reviewed" => Ok(ExportScope::Reviewed),
            "all" | "everything" => Ok(ExportScope::All),
            other => Err(format!(
                "unknown export scope {other:?}: expected \"reviewed\" or \"all\""
            )),
        }
    }
}

/// Exports `annotations` of article `text` named `name` in `format`, all of them as given. Annotations are
/// written in `(start, end, label)` order whatever the input order.
pub fn export(format: Format, text: &str, name: &str, annotations: &[Annotation]) -> String {
    write(format, text, name, annotations.to_vec(), false)
}

/// [`export`] of the annotations that `scope` includes (see [`ExportScope`]). A CoNLL export in
/// [`ExportScope::Reviewed`] starts with the comment line [`CONLL_REVIEWED_ONLY`].
pub fn export_with(
    format: Format,
    text: &str,
    name: &str,
    annotations: &[Annotation],
    scope: ExportScope,
) -> String {
    let chosen: Vec<Annotation> = annotations
        .iter()
        .filter(|a| scope.includes(format, a))
        .cloned()
        .collect();
    write(format, text, name, chosen, scope == ExportScope::Reviewed)
}

/// The first line of a reviewed-only CoNLL export (CoNLL import skips `# ` comment lines).
pub const CONLL_REVIEWED_ONLY: &str = "# sahifa: reviewed annotations only";

fn write(
    format: Format,
    text: &str,
    name: &str,
    mut sorted: Vec<Annotation>,
    reviewed_only: bool,
) -> String {
    sorted.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    let doc = Doc {
        text,
        name,
        annotations: &sorted,
    };
    match format {
        Format::W3c => w3c::W3c::export(&doc),
        Format::Brat => brat::Brat::export(&doc),
        Format::Conll if reviewed_only => {
            format!("{CONLL_REVIEWED_ONLY}\n{}", conll::Conll::export(&doc))
        }
        Format::Conll => conll::Conll::export(&doc),
        Format::Jsonl => jsonl::Jsonl::export(&doc),
        Format::Csv => csv::Csv::export(&doc),
    }
}

/// Checks shared by every import: size cap and binary data.
pub(crate) fn check_input(data: &str) -> Result<(), FormatError> {
    if data.len() > MAX_IMPORT_BYTES {
        return Err(FormatError::new(format!(
            "the import is {:.1} MB, more than the {} MB limit",
            data.len() as f64 / 1024.0 / 1024.0,
            MAX_IMPORT_BYTES / 1024 / 1024
        )));
    }
    if let Some(pos) = data.find('\0') {
        let line = data[..pos].matches('\n').count() + 1;
        return Err(FormatError::at_line(
            line,
            "binary data (a NUL byte): this is not a text export",
        ));
    }
    Ok(())
}

/// Reads `data` in `format`, re-anchors every span to `text` and returns the annotations and the orphans.
/// Either the whole file is read or nothing is: see the module doc for what is an error and what an orphan.
pub fn import(format: Format, text: &str, data: &str) -> Result<ImportResult, FormatError> {
    check_input(data)?;
    let data = data.strip_prefix('\u{FEFF}').unwrap_or(data);
    let records = match format {
        Format::W3c => w3c::W3c::import(text, data)?,
        Format::Brat => brat::Brat::import(text, data)?,
        Format::Conll => conll::Conll::import(text, data)?,
        Format::Jsonl => jsonl::Jsonl::import(text, data)?,
        Format::Csv => csv::Csv::import(text, data)?,
    };
    resolve(text, records)
}

/// Validates, re-anchors and converts imported records.
fn resolve(text: &str, records: Vec<Imported>) -> Result<ImportResult, FormatError> {
    let mut anchorer = Anchorer::new(text);
    let index = TextIndex::new(text);
    let len = anchorer.len_chars();
    let mut out = ImportResult::default();
    for (i, r) in records.into_iter().enumerate() {
        if r.label.trim().is_empty() {
            return Err(FormatError::at(r.location, "the label is empty").field("label"));
        }
        if let (Some(s), Some(e)) = (r.start, r.end) {
            if s >= e {
                return Err(FormatError::at(
                    r.location,
                    format!(
                        "the range {s}..{e} is empty or reversed (start must be less than end)"
                    ),
                ));
            }
        }
        let quote_given = r.quote.as_deref().is_some_and(|q| !q.is_empty());
        let in_range = matches!((r.start, r.end), (Some(_), Some(e)) if e <= len);
        if !quote_given {
            match (r.start, r.end) {
                (Some(s), Some(e)) if !in_range => {
                    return Err(FormatError::at(
                        r.location,
                        format!("offsets {s}..{e} are outside the text ({len} code points) and there is no quote to find the span by"),
                    ));
                }
                (Some(_), Some(_)) => {}
                _ => {
                    return Err(FormatError::at(
                        r.location,
                        "neither offsets nor a quote: nothing to place the span by",
                    ));
                }
            }
        }
        let q = Quote {
            start: r.start,
            end: r.end,
            exact: r.quote.as_deref().filter(|q| !q.is_empty()),
            prefix: r.prefix.as_deref(),
            suffix: r.suffix.as_deref(),
        };
        match anchorer.anchor(&q) {
            Anchor::Found { start, end, .. } => {
                let covered = index.slice(start, end).unwrap_or_default().to_string();
                let source = r.source.unwrap_or(Source::User);
                let status = match source {
                    Source::User => Status::Accepted,
                    Source::Extractor => r.status.unwrap_or(Status::Suggested),
                };
                out.annotations.push(Annotation {
                    id: r
                        .id
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("imported-{}", i + 1)),
                    start,
                    end,
                    label: r.label,
                    text: covered,
                    entity: r.entity.unwrap_or_default(),
                    canonical: r.canonical.unwrap_or_default(),
                    source,
                    status,
                    note: r.note.filter(|n| !n.is_empty()),
                    confidence: r.confidence,
                });
            }
            Anchor::Orphan(reason) => out.orphans.push(Orphan {
                label: r.label,
                quote: r.quote.unwrap_or_default(),
                note: r.note.filter(|n| !n.is_empty()),
                reason,
            }),
        }
    }
    Ok(out)
}

/// What [`merge`] makes of an import: annotations to add, existing annotations with their new review state
/// (same `id` as before, to replace the old one), and the number of imports skipped as duplicates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merged {
    pub add: Vec<Annotation>,
    pub update: Vec<Annotation>,
    pub skipped: usize,
}

/// Whether `a` carries a review decision: anything but an unreviewed machine suggestion.
fn reviewed(a: &Annotation) -> bool {
    !(a.source == Source::Extractor && a.status == Status::Suggested)
}

/// Merges `imported` into `existing` (see the module doc's "Duplicates and review state"):
/// - an import whose span `(start, end)` is already annotated is the same mark: when it carries a review
///   decision (it is not an unreviewed suggestion) and its label, source, status or note differ, the
///   existing annotation (a kept one first, else a rejected one) takes them ([`Merged::update`], same id;
///   a note is only replaced by a note, never cleared; on a new label the imported entity, if any, comes
///   along, else the entity is left empty for linking); otherwise it is a duplicate and skipped;
/// - an import that repeats an earlier import's `(start, end, label)` is a duplicate;
/// - the rest are added, ids that collide with existing ids (or each other) renamed with a `-2`, `-3`…
///   suffix.
pub fn merge<A: std::borrow::Borrow<Annotation>>(
    existing: &[A],
    imported: Vec<Annotation>,
) -> Merged {
    let existing: Vec<&Annotation> = existing.iter().map(std::borrow::Borrow::borrow).collect();
    let mut by_span: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (i, a) in existing.iter().enumerate() {
        let slot = by_span.entry((a.start, a.end)).or_insert(i);
        if existing[*slot].status == Status::Rejected && a.status != Status::Rejected {
            *slot = i;
        }
    }
    let mut updated: HashSet<usize> = HashSet::new();
    let mut seen: HashSet<(usize, usize, String)> = HashSet::new();
    let mut ids: HashSet<String> = existing.iter().map(|a| a.id.clone()).collect();
    let mut out = Merged::default();
    for mut a in imported {
        if let Some(&i) = by_span.get(&(a.start, a.end)) {
            // One mark per span: the first reviewed import for an existing span decides, later ones are
            // duplicates.
            let old = existing[i];
            let note = a.note.clone().or_else(|| old.note.clone());
            let differs = a.label != old.label
                || a.source != old.source
                || a.status != old.status
                || note != old.note;
            if reviewed(&a) && differs && !updated.contains(&i) {
                let mut b = old.clone();
                if b.label != a.label {
                    b.label = std::mem::take(&mut a.label);
                    b.entity = std::mem::take(&mut a.entity);
                    b.canonical = if b.entity.is_empty() {
                        String::new()
                    } else {
                        std::mem::take(&mut a.canonical)
                    };
                }
                b.source = a.source;
                b.status = a.status;
                b.note = note;
                updated.insert(i);
                out.update.push(b);
            } else {
                out.skipped += 1;
            }
            continue;
        }
        if !seen.insert((a.start, a.end, a.label.clone())) {
            out.skipped += 1;
            continue;
        }
        if ids.contains(&a.id) {
            let base = a.id.clone();
            let mut n = 2;
            while ids.contains(&format!("{base}-{n}")) {
                n += 1;
            }
            a.id = format!("{base}-{n}");
        }
        ids.insert(a.id.clone());
        out.add.push(a);
    }
    out
}

/// The canonical spelling of a built-in type name (`PERS` → `PER`), other labels unchanged.
pub(crate) fn canonical_label(label: &str) -> String {
    match label.parse::<EntityType>() {
        Ok(t) => t.as_str().to_string(),
        Err(_) => label.to_string(),
    }
}

/// A text with its offset map, so that cutting many spans out of it costs O(log n) each, not O(n).
pub(crate) struct TextIndex<'a> {
    text: &'a str,
    map: OffsetMap,
}

impl<'a> TextIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        TextIndex {
            text,
            map: OffsetMap::new(text),
        }
    }

    pub(crate) fn len_chars(&self) -> usize {
        self.map.len_chars()
    }

    /// The text between code points `start` and `end`, or `None` if the range is invalid.
    pub(crate) fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        self.map.byte_range(start, end).map(|r| &self.text[r])
    }

    /// The span's text cut from the article, or the annotation's own text when its offsets do not fit.
    pub(crate) fn span_text<'b>(&self, a: &'b Annotation) -> &'b str
    where
        'a: 'b,
    {
        self.slice(a.start, a.end).unwrap_or(&a.text)
    }

    /// `prefix` and `suffix` context of the span `start..end`, up to [`CONTEXT_CHARS`] code points each.
    pub(crate) fn context(&self, start: usize, end: usize) -> (&'a str, &'a str) {
        let n = self.len_chars();
        let (start, end) = (start.min(n), end.min(n).max(start.min(n)));
        let prefix = self
            .slice(start.saturating_sub(CONTEXT_CHARS), start)
            .unwrap_or("");
        let suffix = self.slice(end, (end + CONTEXT_CHARS).min(n)).unwrap_or("");
        (prefix, suffix)
    }
}

/// A JSON offset field (W3C `start`/`end`, JSONL spans) as a `usize`. Only a whole, non-negative number
/// that fits the platform's `usize` is one: on wasm32 `usize` is 32 bits, where `as usize` would silently
/// turn 4294967301 into 5 and place the span somewhere else.
pub(crate) fn json_offset(v: &serde_json::Value) -> Result<usize, String> {
    match v {
        serde_json::Value::Number(n) => offset_from::<usize>(n),
        other => Err(format!("must be a non-negative integer, found {other}")),
    }
}

/// [`json_offset`]'s check for any width (the tests try a 32-bit one natively).
fn offset_from<T: TryFrom<u64>>(n: &serde_json::Number) -> Result<T, String> {
    let too_large = || format!("{n} is too large for an offset here");
    if let Some(u) = n.as_u64() {
        return T::try_from(u).map_err(|_| too_large());
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    Err(if f < 0.0 {
        format!("must not be negative, found {n}")
    } else if f.fract() != 0.0 {
        format!("must be a whole number, found {n}")
    } else if f >= u64::MAX as f64 {
        too_large()
    } else {
        format!("must be written as an integer, found {n}")
    })
}

/// Parses a non-negative integer field.
pub(crate) fn parse_offset(s: &str, location: Location, field: &str) -> Result<usize, FormatError> {
    s.trim().parse::<usize>().map_err(|_| {
        FormatError::at(
            location,
            format!("expected a non-negative integer, found {:?}", s),
        )
        .field(field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_that_do_not_fit_are_refused_not_wrapped() {
        // What wasm32 does with a usize: 2^32 + 5 must not become 5.
        let big = serde_json::Number::from((1u64 << 32) + 5);
        assert_eq!(
            offset_from::<u32>(&big),
            Err("4294967301 is too large for an offset here".to_string())
        );
        assert_eq!(offset_from::<u64>(&big), Ok((1u64 << 32) + 5));
        for (input, expected) in [
            ("7", Ok(7)),
            ("-3", Err("must not be negative, found -3")),
            ("2.5", Err("must be a whole number, found 2.5")),
            ("5.0", Err("must be written as an integer, found 5.0")),
            ("1e30", Err("1e+30 is too large for an offset here")),
            ("\"4\"", Err("must be a non-negative integer, found \"4\"")),
        ] {
            let v: serde_json::Value = serde_json::from_str(input).unwrap();
            assert_eq!(json_offset(&v), expected.map_err(str::to_string), "{input}");
        }
    }
}
