//! The session and its one reducer.

use super::action::Action;
use super::article::Article;
use super::history::{History, Work};
use super::labels::{builtin_labels, LabelDef, LabelError};
use super::merge::{merge, MergeReport};
use super::propagate::{self, Propagation};
use super::snapshot::{Snapshot, SnapshotError, SnapshotRef, SNAPSHOT_SCHEMA};
use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::formats::{self, ExportScope, Format, FormatError, Orphan};
use crate::anchor::OrphanReason;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// Why an action was refused. The session is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    #[error("no annotation with id {0:?}")]
    NoSuchAnnotation(String),
    #[error("empty or reversed range {start}..{end}")]
    EmptyRange { start: usize, end: usize },
    #[error("range {start}..{end} is outside the article (it has {len} code points)")]
    OutOfRange { start: usize, end: usize, len: usize },
    #[error("range {start}..{end} crosses a paragraph break; annotate each paragraph's part on its own")]
    CrossesParagraph { start: usize, end: usize },
    #[error("unknown label {name:?}; known labels: {known}")]
    UnknownLabel { name: String, known: String },
    #[error(transparent)]
    Label(#[from] LabelError),
    #[error("{0:?} is the user's annotation, not a machine suggestion")]
    NotASuggestion(String),
    #[error("{id:?} already marks {start}..{end} as {label}")]
    Duplicate {
        id: String,
        start: usize,
        end: usize,
        label: String,
    },
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("nothing to redo")]
    NothingToRedo,
    #[error("nothing to import")]
    EmptyImport,
    #[error("nothing changed")]
    Unchanged,
    #[error("the annotator has made or reviewed marks already: the machine's suggestions are not replaced wholesale")]
    Decided,
}

/// What an import did, for the API's result and the widget's status line.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub added: usize,
    /// Existing annotations that took the imported review state (label, source, status, note).
    pub updated: usize,
    pub duplicates: usize,
    pub orphans: Vec<Orphan>,
}

/// One article's annotation session. Cheap to clone: everything large is shared.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub article: Rc<Article>,
    work: Work,
    history: History,
    /// Types the reader has switched off in the legend.
    pub hidden: Rc<BTreeSet<String>>,
    /// The annotation whose card is open.
    pub selected: Option<String>,
    /// Why the last autosave failed, shown until a save succeeds; the work stays in memory meanwhile.
    pub storage_error: Option<String>,
    extracted: bool,
    next_user_id: u64,
    /// What the last merge of another tab's work did, for the shell to tell the user.
    pub last_merge: Option<MergeReport>,
    /// What the last action's propagation did to the other mentions (empty when it did nothing).
    pub last_propagation: Propagation,
}

/// Document order: by start, the longer of two spans at one start first.
fn order(a: &Rc<Annotation>) -> (usize, std::cmp::Reverse<usize>) {
    (a.start, std::cmp::Reverse(a.end))
}

impl Session {
    /// A session over `text` with the machine's `annotations`; `extracted` says whether they are the
    /// complete extraction (a long article starts empty and is extracted in groups).
    pub fn new(text: String, annotations: Vec<Annotation>, extracted: bool) -> Self {
        let mut list: Vec<Rc<Annotation>> = annotations.into_iter().map(Rc::new).collect();
        list.sort_by_key(order);
        // Annotations adopted from a page rendered ahead of time may include the user's (`u7`).
        let next_user_id = highest_user_id(&list) + 1;
        Session {
            article: Rc::new(Article::new(text)),
            work: Work {
                annotations: Rc::new(list),
                labels: Rc::new(builtin_labels()),
                orphans: Rc::default(),
            },
            history: History::default(),
            hidden: Rc::default(),
            selected: None,
            storage_error: None,
            extracted,
            next_user_id,
            last_merge: None,
            last_propagation: Propagation::default(),
        }
    }

    /// A session over `text`, extracted at once when it is short enough for one go.
    pub fn extracted_if_short(text: String) -> Self {
        if text.chars().count() <= super::ONE_GO {
            let found = crate::extract(&text);
            Session::new(text, found, true)
        } else {
            Session::new(text, Vec::new(), false)
        }
    }

    /// Every annotation, rejected suggestions included, in document order.
    pub fn annotations(&self) -> &Rc<Vec<Rc<Annotation>>> {
        &self.work.annotations
    }

    /// Built-in labels, then the user's.
    pub fn labels(&self) -> &Rc<Vec<LabelDef>> {
        &self.work.labels
    }

    /// What the last import could not place.
    pub fn orphans(&self) -> &Rc<Vec<Orphan>> {
        &self.work.orphans
    }

    /// Whether the machine's extraction of the whole article is in.
    pub fn is_extracted(&self) -> bool {
        self.extracted
    }

    /// The current work: every annotation except rejected suggestions (what the API returns and shows; an
    /// export in [`ExportScope::All`] also writes the rejected ones, marked as rejected).
    pub fn kept(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.work
            .annotations
            .iter()
            .filter(|a| a.status != Status::Rejected)
    }

    /// Annotations that are shown: kept, type not filtered out.
    pub fn visible(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.kept().filter(|a| !self.hidden.contains(&a.label))
    }

    pub fn find(&self, id: &str) -> Option<&Annotation> {
        self.work
            .annotations
            .iter()
            .find(|a| a.id == id)
            .map(|a| &**a)
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// The session with `list` (sorted here) as its annotations, outside the undo history: what the
    /// machine's re-suggestion and retag produce. Refused when nothing changes.
    fn with_machine_list(&self, mut list: Vec<Rc<Annotation>>) -> Result<Session, Refused> {
        list.sort_by_key(order);
        if list == *self.work.annotations {
            return Err(Refused::Unchanged);
        }
        let mut next = self.clone();
        next.work.annotations = Rc::new(list);
        next.drop_stale_selection();
        Ok(next)
    }

    /// Whether the annotator has decided nothing yet: every annotation is an unreviewed machine
    /// suggestion and there is no edit to undo or redo (see [`Action::Retag`]).
    pub fn undecided(&self) -> bool {
        !self.can_undo()
            && !self.can_redo()
            && self
                .work
                .annotations
                .iter()
                .all(|a| a.source == Source::Extractor && a.status == Status::Suggested)
    }

    pub fn has_label(&self, name: &str) -> bool {
        self.work.labels.iter().any(|l| l.name == name)
    }

    /// The id the next user annotation will get.
    pub fn next_user_id(&self) -> String {
        format!("u{}", self.next_user_id)
    }

    /// Why a label would be refused, if it would.
    pub fn check_label(&self, name: &str) -> Result<(), Refused> {
        if self.has_label(name) {
            return Ok(());
        }
        let known: Vec<&str> = self.work.labels.iter().map(|l| l.name.as_str()).collect();
        Err(Refused::UnknownLabel {
            name: name.to_string(),
            known: known.join(", "),
        })
    }

    /// Why a new annotation over `start..end` would be refused, if it would: it must be a non-empty
    /// range inside the article and inside one paragraph (a mark cannot span a paragraph break).
    pub fn check_range(&self, start: usize, end: usize) -> Result<(), Refused> {
        if start >= end {
            return Err(Refused::EmptyRange { start, end });
        }
        if end > self.article.len_chars {
            return Err(Refused::OutOfRange {
                start,
                end,
                len: self.article.len_chars,
            });
        }
        if !self.article.within_one_paragraph(start, end) {
            return Err(Refused::CrossesParagraph { start, end });
        }
        Ok(())
    }

    /// Every label with the number of kept annotations that carry it: built-in types, then the user's.
    pub fn label_counts(&self) -> Vec<(&LabelDef, usize)> {
        self.work
            .labels
            .iter()
            .map(|l| (l, self.kept().filter(|a| a.label == l.name).count()))
            .collect()
    }

    /// How far review has come: `(decided, open)`, the annotations the annotator has decided (their own,
    /// accepted and rejected suggestions) and the machine's suggestions still waiting for a decision.
    pub fn review_progress(&self) -> (usize, usize) {
        let open = self
            .annotations()
            .iter()
            .filter(|a| a.status == Status::Suggested && a.source == Source::Extractor)
            .count();
        (self.annotations().len() - open, open)
    }

    /// Counts of kept annotations per built-in type, in legend order.
    pub fn type_counts(&self) -> Vec<(EntityType, usize)> {
        EntityType::ALL
            .iter()
            .map(|&t| (t, self.kept().filter(|a| a.label == t.as_str()).count()))
            .collect()
    }

    /// The work as it is saved: every annotation and the user's labels.
    pub fn snapshot_json(&self) -> String {
        self.snapshot_json_as(None, None)
    }

    /// The work as it is saved, as revision `rev` made from revision `parent`.
    pub fn snapshot_json_as(&self, rev: Option<&str>, parent: Option<&str>) -> String {
        let snap = SnapshotRef {
            schema: SNAPSHOT_SCHEMA,
            annotations: self.work.annotations.iter().map(|a| &**a).collect(),
            labels: self.user_labels().collect(),
            rev,
            parent,
        };
        serde_json::to_string(&snap).expect("a snapshot always serialises")
    }

    /// The work as an owned [`Snapshot`].
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            schema: SNAPSHOT_SCHEMA,
            annotations: self.work.annotations.iter().map(|a| (**a).clone()).collect(),
            labels: self.user_labels().cloned().collect(),
            rev: None,
            parent: None,
        }
    }

    fn user_labels(&self) -> impl Iterator<Item = &LabelDef> {
        self.work
            .labels
            .iter()
            .filter(|l| !LabelDef::is_builtin_name(&l.name))
    }

    /// Exports the work in `format`: [`ExportScope::All`], i.e. every annotation with its review state,
    /// rejected suggestions marked as rejected (CoNLL, which cannot mark them, leaves them out).
    pub fn export(&self, format: Format, name: &str) -> String {
        self.export_scoped(format, name, ExportScope::All)
    }

    /// Exports what `scope` includes of the work in `format` (see [`ExportScope`]).
    pub fn export_scoped(&self, format: Format, name: &str, scope: ExportScope) -> String {
        let all: Vec<Annotation> = self.work.annotations.iter().map(|a| (**a).clone()).collect();
        formats::export_with(format, &self.article.text, name, &all, scope)
    }

    /// Parses, re-anchors, de-duplicates and links `data` against this session: the [`Action::Import`]
    /// that applies it in one undoable step, and what it will do. On error nothing is to be applied.
    /// Spans across a paragraph break and labels that are not valid label names become orphans.
    pub fn import(&self, format: Format, data: &str) -> Result<(Action, ImportReport), FormatError> {
        let result = formats::import(format, &self.article.text, data)?;
        let mut orphans = result.orphans;
        let mut placed = Vec::with_capacity(result.annotations.len());
        let mut labels: Vec<LabelDef> = Vec::new();
        for a in result.annotations {
            let reason = if !self.article.within_one_paragraph(a.start, a.end) {
                Some(OrphanReason::CrossesParagraph)
            } else if self.has_label(&a.label) || labels.iter().any(|l| l.name == a.label) {
                None
            } else {
                match LabelDef::custom(a.label.clone()).validated() {
                    Ok(def) if def.name == a.label => {
                        labels.push(def);
                        None
                    }
                    Ok(_) => Some(OrphanReason::LabelSpaces(a.label.clone())),
                    Err(e) => Some(OrphanReason::BadLabel(e)),
                }
            };
            match reason {
                None => placed.push(a),
                Some(reason) => orphans.push(Orphan {
                    label: a.label,
                    quote: a.text,
                    note: a.note,
                    reason,
                }),
            }
        }
        let merged = formats::merge(&self.work.annotations, placed);
        let (mut add, update) = (merged.add, merged.update);
        // A machine suggestion of a form the annotator rejected is not suggested again, imported or not.
        let before = add.len();
        let blocked = propagate::blocked(&self.work.annotations);
        add.retain(|a| {
            a.source == Source::User
                || a.status != Status::Suggested
                || !blocked.contains(&(propagate::form(&a.text), a.label.clone()))
        });
        let skipped = merged.skipped + (before - add.len());
        labels.retain(|l| add.iter().chain(&update).any(|a| a.label == l.name));
        let report = ImportReport {
            added: add.len(),
            updated: update.len(),
            duplicates: skipped,
            orphans: orphans.clone(),
        };
        // Retyped annotations without an imported entity join one of their new type.
        let retyped: std::collections::HashSet<&str> = update.iter().map(|u| u.id.as_str()).collect();
        let others: Vec<&Annotation> = self
            .work
            .annotations
            .iter()
            .filter(|a| !retyped.contains(a.id.as_str()))
            .map(|a| &**a)
            .collect();
        let updated = crate::link::assign(&others, update);
        let added = crate::link::assign(&self.work.annotations, add);
        Ok((
            Action::Import {
                added,
                updated,
                labels,
                orphans,
            },
            report,
        ))
    }

    /// Applies `action`: the next session, or why it was refused (this one is then unchanged). A review
    /// decision (add, accept, retype, reject) propagates to the other mentions of its form in the same
    /// step, so one undo takes both back (see [`propagate`]).
    pub fn apply(&self, action: Action) -> Result<Session, Refused> {
        let decision = match &action {
            Action::Add { .. } => Some((None, false)),
            Action::Accept { id } => Some((Some(id.clone()), false)),
            Action::Update {
                id, label: Some(l), ..
            } if self.find(id).is_some_and(|a| a.label != *l) => Some((Some(id.clone()), false)),
            Action::Reject { id } => Some((Some(id.clone()), true)),
            _ => None,
        };
        let mut next = self.apply_one(action)?;
        next.last_propagation = Propagation::default();
        if let Some((id, reject)) = decision {
            // An add names its annotation by selecting it.
            if let Some(id) = id.or_else(|| next.selected.clone()) {
                next.propagate(&id, reject);
            }
        }
        Ok(next)
    }

    /// Propagates the review decision just made on `id` (see [`propagate`]), inside the current step.
    fn propagate(&mut self, id: &str, reject: bool) {
        let Some(decided) = self.find(id).cloned() else {
            return;
        };
        let list = &self.work.annotations;
        let (mut list, report) = if reject {
            propagate::rejected(&self.article, list, &decided)
        } else {
            propagate::labelled(&self.article, list, &decided)
        };
        if report.is_empty() {
            return;
        }
        list.sort_by_key(order);
        self.work.annotations = Rc::new(list);
        self.last_propagation = report;
    }

    fn apply_one(&self, action: Action) -> Result<Session, Refused> {
        match action {
            Action::Load {
                text,
                annotations,
                extracted,
            } => Ok(Session::new(text, annotations, extracted)),
            Action::Add {
                start,
                end,
                label,
                note,
            } => self.add(start, end, label, note),
            Action::Update { id, label, note } => self.update(&id, label, note),
            Action::Remove { id } => {
                let list: Vec<_> = self
                    .work
                    .annotations
                    .iter()
                    .filter(|a| a.id != id)
                    .cloned()
                    .collect();
                if list.len() == self.work.annotations.len() {
                    return Err(Refused::NoSuchAnnotation(id));
                }
                let mut next = self.edited(list);
                if next.selected.as_deref() == Some(id.as_str()) {
                    next.selected = None;
                }
                Ok(next)
            }
            Action::Accept { id } => {
                let a = self.require(&id)?;
                if a.status == Status::Accepted {
                    return Err(Refused::Unchanged);
                }
                self.with_annotation(&id, |a| {
                    a.status = Status::Accepted;
                    // Accepting makes the suggestion the user's.
                    a.source = Source::User;
                })
            }
            Action::Reject { id } => {
                let a = self.require(&id)?;
                if a.source == Source::User {
                    return Err(Refused::NotASuggestion(id));
                }
                if a.status == Status::Rejected {
                    return Err(Refused::Unchanged);
                }
                let mut next = self.with_annotation(&id, |a| a.status = Status::Rejected)?;
                if next.selected.as_deref() == Some(id.as_str()) {
                    next.selected = None;
                }
                Ok(next)
            }
            Action::ReviewEntity { entity, accept } => {
                let unreviewed = |a: &Annotation| {
                    a.entity == entity && a.source == Source::Extractor && a.status == Status::Suggested
                };
                if !self.work.annotations.iter().any(|a| unreviewed(a)) {
                    return Err(Refused::Unchanged);
                }
                let list = self
                    .work
                    .annotations
                    .iter()
                    .map(|a| {
                        if !unreviewed(a) {
                            return a.clone();
                        }
                        let mut b = (**a).clone();
                        if accept {
                            b.status = Status::Accepted;
                            b.source = Source::User;
                        } else {
                            b.status = Status::Rejected;
                        }
                        Rc::new(b)
                    })
                    .collect();
                let mut next = self.edited(list);
                next.drop_stale_selection();
                Ok(next)
            }
            Action::Import {
                added,
                updated,
                labels,
                orphans,
            } => {
                if added.is_empty() && updated.is_empty() && orphans.is_empty() {
                    return Err(Refused::EmptyImport);
                }
                let mut by_id: HashMap<String, Annotation> =
                    updated.into_iter().map(|u| (u.id.clone(), u)).collect();
                let mut list: Vec<Rc<Annotation>> = self
                    .work
                    .annotations
                    .iter()
                    .map(|a| by_id.remove(&a.id).map_or_else(|| a.clone(), Rc::new))
                    .collect();
                list.extend(added.into_iter().map(Rc::new));
                list.sort_by_key(order);
                let mut next = self.edited(list);
                let mut all = (*self.work.labels).clone();
                all.extend(labels.into_iter().filter(|l| !self.has_label(&l.name)));
                next.work.labels = Rc::new(all);
                // Imported user ids (`u7`) must not be handed out again by the next Add.
                next.next_user_id = next.next_user_id.max(highest_user_id(&next.work.annotations) + 1);
                next.work.orphans = Rc::new(orphans);
                next.drop_stale_selection();
                Ok(next)
            }
            Action::Suggest { annotations, last } => {
                // Suggestions for paragraphs extracted after an edit belong to every version of the work,
                // so undoing an edit made while a long article was still being read keeps them.
                // Forms the annotator rejected are not suggested again.
                let new = propagate::unblocked(
                    &self.work.annotations,
                    annotations.into_iter().map(Rc::new).collect(),
                );
                let mut next = self.clone();
                next.map_all(|w| w.annotations = Rc::new(with_suggestions(&w.annotations, &new)));
                next.extracted = last;
                Ok(next)
            }
            Action::Resuggest {
                start,
                end,
                annotations,
                learned,
            } => {
                self.with_machine_list(self.resuggested(start, end, annotations, learned))
            }
            Action::Retag { annotations } => {
                if !self.undecided() {
                    return Err(Refused::Decided);
                }
                self.with_machine_list(annotations.into_iter().map(Rc::new).collect())
            }
            Action::Relink(links) => {
                let by_id: HashMap<&str, (&str, &str)> = links
                    .iter()
                    .map(|(id, e, c)| (id.as_str(), (e.as_str(), c.as_str())))
                    .collect();
                let mut next = self.clone();
                next.map_all(|w| w.annotations = Rc::new(relinked(&w.annotations, &by_id)));
                Ok(next)
            }
            Action::Restore(snapshot) => self.restore(snapshot),
            Action::StorageStatus(err) => {
                if self.storage_error == err {
                    return Err(Refused::Unchanged);
                }
                let mut next = self.clone();
                next.storage_error = err;
                Ok(next)
            }
            Action::DefineLabel(def) => {
                let def = def.validated_among(&self.work.labels)?;
                if self.work.labels.contains(&def) {
                    return Err(Refused::Unchanged);
                }
                // A label belongs to every version of the work: undo never takes it away.
                let mut next = self.clone();
                next.map_all(|w| {
                    let mut labels = (*w.labels).clone();
                    match labels.iter_mut().find(|l| l.name == def.name) {
                        Some(l) => *l = def.clone(),
                        None => labels.push(def.clone()),
                    }
                    w.labels = Rc::new(labels);
                });
                Ok(next)
            }
            Action::Undo => {
                let mut next = self.clone();
                next.work = next
                    .history
                    .undo(self.work.clone())
                    .ok_or(Refused::NothingToUndo)?;
                next.drop_stale_selection();
                Ok(next)
            }
            Action::Redo => {
                let mut next = self.clone();
                next.work = next
                    .history
                    .redo(self.work.clone())
                    .ok_or(Refused::NothingToRedo)?;
                next.drop_stale_selection();
                Ok(next)
            }
            Action::ToggleType(label) => {
                let mut hidden = (*self.hidden).clone();
                if !hidden.remove(&label) {
                    hidden.insert(label);
                }
                let mut next = self.clone();
                next.hidden = Rc::new(hidden);
                Ok(next)
            }
            Action::Select(id) => {
                if let Some(id) = &id {
                    self.require(id)?;
                }
                if self.selected == id {
                    return Err(Refused::Unchanged);
                }
                let mut next = self.clone();
                next.selected = id;
                Ok(next)
            }
            Action::Merge { base, theirs } => self.merged(&base, theirs),
            Action::DismissOrphans => {
                if self.work.orphans.is_empty() {
                    return Err(Refused::Unchanged);
                }
                let mut next = self.clone();
                next.work.orphans = Rc::default();
                Ok(next)
            }
        }
    }

    fn require(&self, id: &str) -> Result<&Annotation, Refused> {
        self.find(id)
            .ok_or_else(|| Refused::NoSuchAnnotation(id.to_string()))
    }

    /// The next session with `annotations` as the work, the current work recorded for undo.
    fn edited(&self, annotations: Vec<Rc<Annotation>>) -> Session {
        let mut next = self.clone();
        next.history.record(self.work.clone());
        next.work.annotations = Rc::new(annotations);
        next
    }

    /// An edit of one annotation.
    fn with_annotation(&self, id: &str, f: impl FnOnce(&mut Annotation)) -> Result<Session, Refused> {
        let mut list = (*self.work.annotations).clone();
        let slot = list
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| Refused::NoSuchAnnotation(id.to_string()))?;
        f(Rc::make_mut(slot));
        Ok(self.edited(list))
    }

    fn map_all(&mut self, mut f: impl FnMut(&mut Work)) {
        f(&mut self.work);
        self.history.map_all(f);
    }

    fn drop_stale_selection(&mut self) {
        if let Some(id) = &self.selected {
            if self.find(id).is_none_or(|a| a.status == Status::Rejected) {
                self.selected = None;
            }
        }
    }

    fn add(
        &self,
        start: usize,
        end: usize,
        label: String,
        note: Option<String>,
    ) -> Result<Session, Refused> {
        self.check_range(start, end)?;
        self.check_label(&label)?;
        let note = note.filter(|n| !n.is_empty());
        // Marking exactly an existing span retypes and accepts that annotation (a kept one first, else a
        // rejected suggestion) instead of stacking a second mark on it.
        let same_span = |a: &&Rc<Annotation>| a.start == start && a.end == end;
        let existing = self
            .kept()
            .find(same_span)
            .or_else(|| self.work.annotations.iter().find(same_span));
        if let Some(a) = existing {
            let id = a.id.clone();
            let unchanged = a.label == label
                && a.status == Status::Accepted
                && (note.is_none() || note == a.note);
            if unchanged {
                return Err(Refused::Duplicate {
                    id,
                    start,
                    end,
                    label,
                });
            }
            let mut next = self.relabelled(&id, label, note.map(Some))?;
            next.selected = Some(id);
            return Ok(next);
        }
        let text = self
            .article
            .slice(start, end)
            .expect("checked range")
            .to_string();
        let id = self.next_user_id();
        let new = Annotation {
            note,
            ..Annotation::user(id.clone(), start, end, label, text)
        };
        let mut list = (*self.work.annotations).clone();
        list.extend(
            crate::link::assign(&self.work.annotations, vec![new])
                .into_iter()
                .map(Rc::new),
        );
        list.sort_by_key(order);
        let mut next = self.edited(list);
        next.next_user_id += 1;
        next.selected = Some(id);
        Ok(next)
    }

    fn update(
        &self,
        id: &str,
        label: Option<String>,
        note: Option<Option<String>>,
    ) -> Result<Session, Refused> {
        let a = self.require(id)?;
        if let Some(l) = &label {
            self.check_label(l)?;
        }
        let note = note.map(|n| n.filter(|n| !n.is_empty()));
        let label_changes = label.as_ref().is_some_and(|l| *l != a.label);
        let note_changes = note.as_ref().is_some_and(|n| *n != a.note);
        if !label_changes && !note_changes {
            return Err(Refused::Unchanged);
        }
        match label.filter(|_| label_changes) {
            Some(label) => self.relabelled(id, label, note),
            None => self.with_annotation(id, |a| a.note = note.expect("note changes")),
        }
    }

    /// `id` with a new label (and note, when given): the user's, accepted, and moved to an entity of its
    /// new type — an ORG must not keep its `PER:` entity id.
    fn relabelled(
        &self,
        id: &str,
        label: String,
        note: Option<Option<String>>,
    ) -> Result<Session, Refused> {
        let old = self.require(id)?;
        let mut a = old.clone();
        if a.label != label {
            a.label = label;
            a.entity.clear();
            a.canonical.clear();
            let others: Vec<Rc<Annotation>> = self
                .work
                .annotations
                .iter()
                .filter(|o| o.id != id)
                .cloned()
                .collect();
            a = crate::link::assign(&others, vec![a])
                .pop()
                .expect("one in, one out");
        }
        if let Some(note) = note {
            a.note = note;
        }
        a.source = Source::User;
        a.status = Status::Accepted;
        self.with_annotation(id, move |slot| *slot = a)
    }

    fn merged(&self, base: &[Annotation], theirs: Snapshot) -> Result<Session, Refused> {
        self.check_fits(&theirs)?;
        let mut report = None;
        let mut next = self.clone();
        let is_current = std::cell::Cell::new(true);
        next.map_all(|w| {
            let ours: Vec<&Annotation> = w.annotations.iter().map(|a| &**a).collect();
            let (list, labels, r) = merge(base, &ours, &theirs.annotations, &w.labels, &theirs.labels);
            if is_current.replace(false) {
                report = Some(r);
            }
            let mut list: Vec<Rc<Annotation>> = list.into_iter().map(Rc::new).collect();
            list.sort_by_key(order);
            w.annotations = Rc::new(list);
            w.labels = Rc::new(labels);
        });
        if next.work == self.work {
            return Err(Refused::Unchanged);
        }
        next.next_user_id = next.next_user_id.max(highest_user_id(&next.work.annotations) + 1);
        next.last_merge = report;
        next.drop_stale_selection();
        Ok(next)
    }

    /// Why saved work cannot be applied to this article, if it cannot: another schema, or an annotation
    /// whose text is not the article's at its offsets (a key reused for another text). One offset-map
    /// lookup an annotation, so restoring a long article's work stays linear.
    fn check_fits(&self, snapshot: &Snapshot) -> Result<(), SnapshotError> {
        if snapshot.schema != SNAPSHOT_SCHEMA {
            return Err(SnapshotError::Schema {
                found: snapshot.schema,
                expected: SNAPSHOT_SCHEMA,
            });
        }
        match snapshot
            .annotations
            .iter()
            .find(|a| a.start >= a.end || self.article.slice(a.start, a.end) != Some(a.text.as_str()))
        {
            Some(a) => Err(SnapshotError::DoesNotFit {
                id: a.id.clone(),
                start: a.start,
                end: a.end,
                text: a.text.clone(),
            }),
            None => Ok(()),
        }
    }

    fn restore(&self, snapshot: Snapshot) -> Result<Session, Refused> {
        self.check_fits(&snapshot)?;
        let mut labels = builtin_labels();
        for l in snapshot.labels {
            if !labels.iter().any(|b| b.name == l.name) {
                labels.push(l);
            }
        }
        let mut list: Vec<Rc<Annotation>> = snapshot.annotations.into_iter().map(Rc::new).collect();
        list.sort_by_key(order);
        let next_user_id = highest_user_id(&list) + 1;
        Ok(Session {
            article: self.article.clone(),
            work: Work {
                annotations: Rc::new(list),
                labels: Rc::new(labels),
                orphans: Rc::default(),
            },
            history: History::default(),
            hidden: self.hidden.clone(),
            selected: None,
            storage_error: self.storage_error.clone(),
            extracted: true,
            next_user_id,
            last_merge: None,
            last_propagation: Propagation::default(),
        })
    }
}

/// The highest number of a user id (`u7` → 7) in `list`, or 0.
fn highest_user_id(list: &[Rc<Annotation>]) -> u64 {
    list.iter()
        .filter_map(|a| a.id.strip_prefix('u')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

/// `list` with machine suggestions `new` added, in document order.
fn with_suggestions(list: &[Rc<Annotation>], new: &[Rc<Annotation>]) -> Vec<Rc<Annotation>> {
    let mut out = Vec::with_capacity(list.len() + new.len());
    out.extend_from_slice(list);
    out.extend_from_slice(new);
    out.sort_by_key(order);
    out
}

/// `list` with the entity ids and canonical forms of machine suggestions replaced as clustering said
/// (`id → (entity, canonical)`); unchanged annotations keep their `Rc`, so their paragraphs do not re-render.
fn relinked(list: &[Rc<Annotation>], by_id: &HashMap<&str, (&str, &str)>) -> Vec<Rc<Annotation>> {
    list.iter()
        .map(|a| match by_id.get(a.id.as_str()) {
            Some(&(e, c)) if a.source == Source::Extractor && (a.entity != e || a.canonical != c) => {
                let mut b = (**a).clone();
                b.entity = e.to_string();
                b.canonical = c.to_string();
                Rc::new(b)
            }
            _ => a.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
