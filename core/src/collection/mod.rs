//! Many articles at once: a collection, each article with its id, text, metadata, the snapshot of its
//! session work and whether the annotator called it done.
//!
//! Why in the core: the widget's collection panel, its JS API and the tests all need the same answers to
//! "what is this article's status", "which is next among the unfinished ones", "where does this word
//! occur", and the same collection-wide export and import ([`exchange`]). Those are pure functions over
//! data, tested natively; the shell only stores entries (IndexedDB) and shows them.
//!
//! An article's [`Progress`] is derived from its work, never stored apart from it: `New` until the
//! annotator has reviewed anything (added, accepted, rejected or retyped a mark),
//! `InProgress` after that, `Done` only when set explicitly ([`Collection::set_done`]).

pub mod exchange;
pub mod merge;
pub mod named;

use crate::annotation::{Annotation, Source, Status};
use crate::normalize;
use crate::session::Snapshot;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// More articles than this are refused (the widget's storage is sized for a thousand).
pub const MAX_ARTICLES: usize = 10_000;

/// One article of a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique within the collection: a file name, a JSONL line's `id`/`meta.id`, or `article-<n>`.
    pub id: String,
    pub text: String,
    /// Whatever the source said about the article (JSONL `meta`), kept and exported as it came.
    #[serde(default)]
    pub meta: Map<String, Value>,
    /// The session's work on it, once it has been opened (or imported with annotations).
    #[serde(default)]
    pub work: Option<Snapshot>,
    #[serde(default)]
    pub done: bool,
}

impl Entry {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Entry {
            id: id.into(),
            text: text.into(),
            meta: Map::new(),
            work: None,
            done: false,
        }
    }

    /// The annotations of its work (none before it was opened).
    pub fn annotations(&self) -> &[Annotation] {
        self.work.as_ref().map_or(&[], |w| &w.annotations)
    }

    pub fn progress(&self) -> Progress {
        if self.done {
            Progress::Done
        } else if self
            .work
            .as_ref()
            .is_some_and(|w| w.annotations.iter().any(reviewed))
        {
            Progress::InProgress
        } else {
            Progress::New
        }
    }

    /// How many marks the annotator has reviewed (their own, accepted or rejected).
    pub fn reviewed(&self) -> usize {
        self.annotations().iter().filter(|a| reviewed(a)).count()
    }
}

/// Whether the annotator has decided anything about `a`.
fn reviewed(a: &Annotation) -> bool {
    a.source == Source::User || a.status != Status::Suggested
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    New,
    InProgress,
    Done,
}

impl Progress {
    pub const ALL: [Progress; 3] = [Progress::New, Progress::InProgress, Progress::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::New => "new",
            Progress::InProgress => "in-progress",
            Progress::Done => "done",
        }
    }
}

impl std::str::FromStr for Progress {
    type Err = CollectionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Progress::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| CollectionError::UnknownStatus(s.to_string()))
    }
}

/// How many articles are at each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub new: usize,
    #[serde(rename = "inProgress")]
    pub in_progress: usize,
    pub done: usize,
}

impl Counts {
    /// Done articles as a fraction of all (0 for an empty collection): the progress bar.
    pub fn fraction_done(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

/// An article where a search found its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub index: usize,
    pub id: String,
    /// How many times it occurs (after normalisation: hamza forms, ى/ي, ة/ه, diacritics folded).
    pub count: usize,
}

/// Why a collection operation was refused; every variant names the article or line at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CollectionError {
    #[error("article {id:?} is in the collection twice")]
    DuplicateId { id: String },
    #[error("article {id:?} is empty")]
    EmptyText { id: String },
    #[error("more than {MAX_ARTICLES} articles: a collection holds at most that many")]
    TooMany,
    #[error("unknown status {0:?}: expected new, in-progress or done")]
    UnknownStatus(String),
    #[error("article {id:?}: {reason}")]
    Article { id: String, reason: String },
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("{0}")]
    Input(String),
    #[error("a collection needs a name")]
    EmptyName,
    #[error("a collection named {0:?} exists already")]
    NameTaken(String),
    #[error("no collection {0:?}")]
    NoCollection(String),
}

/// Articles in the order they were opened, with an index by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collection {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
}

impl Collection {
    pub fn new() -> Self {
        Collection::default()
    }

    /// A collection of `entries`, refused whole if two share an id, one is empty, or there are too many.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Self, CollectionError> {
        let mut c = Collection::new();
        for e in entries {
            c.push(e)?;
        }
        Ok(c)
    }

    /// Adds an article at the end.
    pub fn push(&mut self, entry: Entry) -> Result<usize, CollectionError> {
        if self.entries.len() >= MAX_ARTICLES {
            return Err(CollectionError::TooMany);
        }
        if entry.text.trim().is_empty() {
            return Err(CollectionError::EmptyText { id: entry.id });
        }
        if self.by_id.contains_key(&entry.id) {
            return Err(CollectionError::DuplicateId { id: entry.id });
        }
        let i = self.entries.len();
        self.by_id.insert(entry.id.clone(), i);
        self.entries.push(entry);
        Ok(i)
    }

    /// An id not taken yet, made from `wanted` (`name`, `name-2`, `name-3`…).
    pub fn free_id(&self, wanted: &str) -> String {
        let base = if wanted.trim().is_empty() {
            format!("article-{}", self.entries.len() + 1)
        } else {
            wanted.trim().to_string()
        };
        if !self.by_id.contains_key(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !self.by_id.contains_key(id))
            .expect("some suffix is free")
    }

    /// Adds or updates articles: an entry whose id is new is added; one whose id is taken must have the
    /// same text, and then brings its work, metadata and done flag (an entry without work keeps the
    /// existing work). Checked first, so on an error nothing has changed. Returns `(added, updated)`.
    pub fn absorb(&mut self, incoming: Vec<Entry>) -> Result<(usize, usize), CollectionError> {
        let mut next = self.clone();
        let (mut added, mut updated) = (0, 0);
        for e in incoming {
            match next.by_id.get(&e.id) {
                Some(&i) => {
                    let old = &mut next.entries[i];
                    if old.text != e.text {
                        return Err(CollectionError::Article {
                            id: e.id,
                            reason: "already in the collection with another text".into(),
                        });
                    }
                    if e.work.is_some() {
                        old.work = e.work;
                    }
                    if !e.meta.is_empty() {
                        old.meta = e.meta;
                    }
                    old.done |= e.done;
                    updated += 1;
                }
                None => {
                    next.push(e)?;
                    added += 1;
                }
            }
        }
        *self = next;
        Ok((added, updated))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Puts `entry` at position `i` in place of the one there (another tab stored it there); refused,
    /// with nothing changed, if its id is another article's.
    pub fn replace(&mut self, i: usize, entry: Entry) -> Result<Entry, CollectionError> {
        if self.by_id.get(&entry.id).is_some_and(|&j| j != i) {
            return Err(CollectionError::DuplicateId { id: entry.id });
        }
        let Some(slot) = self.entries.get_mut(i) else {
            return Err(CollectionError::Input(format!("no article at position {i}")));
        };
        self.by_id.remove(&slot.id);
        self.by_id.insert(entry.id.clone(), i);
        Ok(std::mem::replace(slot, entry))
    }

    /// Records the session's work on article `i`.
    pub fn set_work(&mut self, i: usize, work: Snapshot) {
        if let Some(e) = self.entries.get_mut(i) {
            e.work = Some(work);
        }
    }

    /// Marks article `i` done or not (the annotator's call; nothing else sets it).
    pub fn set_done(&mut self, i: usize, done: bool) {
        if let Some(e) = self.entries.get_mut(i) {
            e.done = done;
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.entries.len(),
            ..Counts::default()
        };
        for e in &self.entries {
            match e.progress() {
                Progress::New => c.new += 1,
                Progress::InProgress => c.in_progress += 1,
                Progress::Done => c.done += 1,
            }
        }
        c
    }

    /// Indices of the articles with status `only` (all of them for `None`), in order.
    pub fn filtered(&self, only: Option<Progress>) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| only.is_none_or(|p| self.entries[i].progress() == p))
            .collect()
    }

    /// The next article after `from` (or the first, from `None`) with status `only`; `None` at the end.
    pub fn next(&self, from: Option<usize>, only: Option<Progress>) -> Option<usize> {
        let start = from.map_or(0, |i| i + 1);
        (start..self.entries.len()).find(|&i| only.is_none_or(|p| self.entries[i].progress() == p))
    }

    /// The article before `from` with status `only`; `None` at the start.
    pub fn prev(&self, from: usize, only: Option<Progress>) -> Option<usize> {
        (0..from.min(self.entries.len()))
            .rev()
            .find(|&i| only.is_none_or(|p| self.entries[i].progress() == p))
    }

    /// The articles whose text holds `query`, compared as normalised keys (what the widget's search box
    /// compares), with how often. An empty query finds nothing.
    pub fn find(&self, query: &str) -> Vec<Hit> {
        let q = normalize::key(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(index, e)| {
                let count = normalize::key(&e.text).matches(q.as_str()).count();
                (count > 0).then(|| Hit {
                    index,
                    id: e.id.clone(),
                    count,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SNAPSHOT_SCHEMA;

    fn work(annotations: Vec<Annotation>) -> Snapshot {
        Snapshot {
            schema: SNAPSHOT_SCHEMA,
            annotations,
            labels: vec![],
            rev: None,
            parent: None,
        }
    }

    fn suggestion(status: Status) -> Annotation {
        Annotation {
            id: "m1".into(),
            start: 0,
            end: 5,
            label: "PER".into(),
            text: "أحمد ".into(),
            entity: String::new(),
            canonical: String::new(),
            source: Source::Extractor,
            status,
            note: None,
            confidence: None,
        }
    }

    fn three() -> Collection {
        Collection::from_entries(vec![
            Entry::new("a", "قال أحمد في القاهرة"),
            Entry::new("b", "زار الرئيس القاهره"),
            Entry::new("c", "نص ثالث"),
        ])
        .unwrap()
    }

    #[test]
    fn status_follows_the_work_and_done_is_explicit() {
        let mut c = three();
        c.set_work(0, work(vec![suggestion(Status::Suggested)]));
        assert_eq!(c.get(0).unwrap().progress(), Progress::New, "unreviewed suggestions are not progress");
        c.set_work(0, work(vec![suggestion(Status::Rejected)]));
        assert_eq!(c.get(0).unwrap().progress(), Progress::InProgress);
        c.set_done(2, true);
        assert_eq!(
            c.counts(),
            Counts { total: 3, new: 1, in_progress: 1, done: 1 }
        );
        assert_eq!(c.filtered(Some(Progress::New)), vec![1]);
        assert!((c.counts().fraction_done() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn next_and_previous_skip_other_statuses() {
        let mut c = three();
        c.set_done(1, true);
        assert_eq!(c.next(None, None), Some(0));
        assert_eq!(c.next(Some(0), Some(Progress::New)), Some(2));
        assert_eq!(c.next(Some(2), None), None);
        assert_eq!(c.prev(2, Some(Progress::New)), Some(0));
        assert_eq!(c.prev(0, None), None);
    }

    #[test]
    fn find_compares_normalised_text() {
        let c = three();
        let hits = c.find("القاهرة");
        assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["a", "b"], "ة and ه fold");
        assert!(c.find("  ").is_empty());
    }

    #[test]
    fn duplicate_ids_and_empty_texts_are_refused_by_name() {
        let mut c = three();
        assert_eq!(
            c.push(Entry::new("b", "x")),
            Err(CollectionError::DuplicateId { id: "b".into() })
        );
        assert_eq!(
            c.push(Entry::new("d", " \n")),
            Err(CollectionError::EmptyText { id: "d".into() })
        );
        assert_eq!(c.free_id("b"), "b-2");
        let before = c.clone();
        let err = c.absorb(vec![Entry::new("z", "جديد"), Entry::new("a", "نص آخر")]);
        assert!(matches!(err, Err(CollectionError::Article { ref id, .. }) if id == "a"));
        assert_eq!(c, before, "a refused absorb changes nothing");
        assert_eq!(c.absorb(vec![Entry::new("z", "جديد")]), Ok((1, 0)));
    }
}
