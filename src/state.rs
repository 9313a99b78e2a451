//! The widget's one state and its one reducer.
//!
//! Every edit — from a key, a click or the JS API — is an [`Action`] through [`State::reduce`], so undo,
//! autosave and `change` events each live in exactly one place. The reducer is pure: it never touches the
//! DOM or storage, and it refuses invalid edits by leaving the state as it was (callers validate first with
//! [`State::check_range`] when they must report an error).

use sahifa_core::formats::{self, Format, Orphan};
use sahifa_core::slice_chars;
use sahifa_core::{paragraphs, Paragraph};
use sahifa_core::{Annotation, EntityType, Source, Status};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// The article: its text (what offsets count) and paragraphs, shared cheaply between renders.
#[derive(Debug, PartialEq)]
pub struct Article {
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    pub len_chars: usize,
}

impl Article {
    pub fn new(text: String) -> Self {
        let paragraphs = paragraphs(&text);
        let len_chars = text.chars().count();
        Article {
            text,
            paragraphs,
            len_chars,
        }
    }
}

/// What an import did, for the API's result and the widget's status line.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub added: usize,
    pub duplicates: usize,
    pub orphans: Vec<Orphan>,
}

/// A label the picker offers: the six built-in types plus the user's own, kept with the work.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabelDef {
    pub name: String,
    pub color: String,
    /// Key that picks it in the label picker (`1`–`9` by default).
    pub key: Option<char>,
}

/// Built-in labels in legend order, keys 1–6.
pub fn builtin_labels() -> Vec<LabelDef> {
    EntityType::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| LabelDef {
            name: t.as_str().to_string(),
            color: format!("var(--{})", t.as_str()),
            key: char::from_digit(i as u32 + 1, 10),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub article: Rc<Article>,
    /// Machine and user annotations, rejected suggestions included (they stay hidden but remembered).
    /// Each annotation is shared (`Rc`), so an edit copies pointers, not the work, and unchanged
    /// paragraphs compare equal by pointer.
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// Types the reader has switched off in the legend.
    pub hidden: Rc<BTreeSet<String>>,
    pub labels: Rc<Vec<LabelDef>>,
    pub selected: Option<String>,
    /// Why the last autosave failed, shown until a save succeeds; the work stays in memory meanwhile.
    pub storage_error: Option<String>,
    /// Annotations from the last import that could not be placed in this text, listed for the user.
    pub orphans: Rc<Vec<Orphan>>,
    /// True while a long article is still being extracted group by group.
    pub extracting: bool,
    undo: Vec<Rc<Vec<Rc<Annotation>>>>,
    redo: Vec<Rc<Vec<Rc<Annotation>>>>,
    next_user_id: u64,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A new article and the machine's annotations of it; history starts afresh.
    Load {
        text: String,
        annotations: Vec<Annotation>,
    },
    Add {
        start: usize,
        end: usize,
        label: String,
        note: Option<String>,
    },
    Update {
        id: String,
        label: Option<String>,
        note: Option<Option<String>>,
    },
    Remove {
        id: String,
    },
    Accept {
        id: String,
    },
    Reject {
        id: String,
    },
    /// Imported annotations (already re-anchored and de-duplicated) and what could not be placed: one
    /// undoable step. Build it with [`State::import`].
    Import {
        added: Vec<Annotation>,
        orphans: Vec<Orphan>,
    },
    /// Machine suggestions found for (part of) the article; `last` says extraction is complete.
    Suggest {
        annotations: Vec<Annotation>,
        last: bool,
    },
    /// Entity ids and canonical forms of machine suggestions after clustering the whole article:
    /// `(annotation id, entity, canonical)`.
    Relink(Vec<(String, String, String)>),
    /// Saved work for this article, restored on load (replaces the machine's fresh suggestions).
    Restore {
        annotations: Vec<Annotation>,
        labels: Vec<LabelDef>,
    },
    /// Outcome of the last autosave.
    StorageStatus(Option<String>),
    /// Adds or replaces a user-defined label.
    DefineLabel(LabelDef),
    Undo,
    Redo,
    ToggleType(String),
    Select(Option<String>),
}

impl State {
    pub fn new(text: String, annotations: Vec<Annotation>) -> Self {
        State {
            article: Rc::new(Article::new(text)),
            annotations: Rc::new(annotations.into_iter().map(Rc::new).collect()),
            hidden: Rc::default(),
            labels: Rc::new(builtin_labels()),
            selected: None,
            storage_error: None,
            orphans: Rc::default(),
            extracting: false,
            undo: Vec::new(),
            redo: Vec::new(),
            next_user_id: 1,
        }
    }

    /// The current work: every annotation except rejected suggestions (what export and the API return).
    pub fn kept(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.annotations
            .iter()
            .filter(|a| a.status != Status::Rejected)
    }

    /// Annotations that are shown: kept, type not filtered out.
    pub fn visible(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.kept().filter(|a| !self.hidden.contains(&a.label))
    }

    pub fn find(&self, id: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id).map(|a| &**a)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn has_label(&self, name: &str) -> bool {
        self.labels.iter().any(|l| l.name == name)
    }

    /// Why a label would be refused, if it would.
    pub fn check_label(&self, name: &str) -> Result<(), String> {
        if self.has_label(name) {
            Ok(())
        } else {
            let known: Vec<&str> = self.labels.iter().map(|l| l.name.as_str()).collect();
            Err(format!(
                "unknown label {name:?}; known labels: {}",
                known.join(", ")
            ))
        }
    }

    /// Parses, re-anchors and de-duplicates `data` against this state. The action applies it in one step;
    /// on error nothing is to be applied.
    pub fn import(&self, format: Format, data: &str) -> Result<(Action, ImportReport), String> {
        let result =
            formats::import(format, &self.article.text, data).map_err(|e| e.to_string())?;
        let (add, duplicates) = formats::merge(&self.annotations, result.annotations);
        let report = ImportReport {
            added: add.len(),
            duplicates,
            orphans: result.orphans.clone(),
        };
        let added = sahifa_core::assign(&self.annotations, add);
        Ok((
            Action::Import {
                added,
                orphans: result.orphans,
            },
            report,
        ))
    }

    /// Why a new annotation over `start..end` would be refused, if it would.
    pub fn check_range(&self, start: usize, end: usize) -> Result<(), String> {
        if start >= end {
            return Err(format!("empty or reversed range {start}..{end}"));
        }
        if end > self.article.len_chars {
            return Err(format!(
                "range {start}..{end} is outside the article (it has {} code points)",
                self.article.len_chars
            ));
        }
        Ok(())
    }

    /// Applies `f` to the current annotations and to every undo and redo snapshot.
    fn map_versions(&mut self, f: impl Fn(&[Rc<Annotation>]) -> Vec<Rc<Annotation>>) {
        self.annotations = Rc::new(f(&self.annotations));
        for v in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            *v = Rc::new(f(v));
        }
    }

    fn edited(&self, annotations: Vec<Rc<Annotation>>) -> State {
        let mut next = self.clone();
        next.undo.push(self.annotations.clone());
        next.redo.clear();
        next.annotations = Rc::new(annotations);
        next
    }

    fn apply(&self, action: Action) -> Option<State> {
        match action {
            Action::Load { text, annotations } => Some(State::new(text, annotations)),
            Action::Add {
                start,
                end,
                label,
                note,
            } => {
                self.check_range(start, end).ok()?;
                self.check_label(&label).ok()?;
                let text = slice_chars(&self.article.text, start, end)?.to_string();
                let id = format!("u{}", self.next_user_id);
                let mut list = (*self.annotations).clone();
                let new = Annotation {
                    note: note.filter(|n| !n.is_empty()),
                    ..Annotation::user(id.clone(), start, end, label, text)
                };
                list.extend(
                    sahifa_core::assign(&self.annotations, vec![new])
                        .into_iter()
                        .map(Rc::new),
                );
                list.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
                let mut next = self.edited(list);
                next.next_user_id += 1;
                next.selected = Some(id);
                Some(next)
            }
            Action::Update { id, label, note } => {
                if label.as_ref().is_some_and(|l| !self.has_label(l)) {
                    return None;
                }
                let mut list = (*self.annotations).clone();
                let a = Rc::make_mut(list.iter_mut().find(|a| a.id == id)?);
                if let Some(label) = label {
                    a.label = label;
                    // Editing a suggestion makes it the user's.
                    a.source = Source::User;
                    a.status = Status::Accepted;
                }
                if let Some(note) = note {
                    a.note = note.filter(|n| !n.is_empty());
                }
                Some(self.edited(list))
            }
            Action::Remove { id } => {
                let list: Vec<_> = self
                    .annotations
                    .iter()
                    .filter(|a| a.id != id)
                    .cloned()
                    .collect();
                if list.len() == self.annotations.len() {
                    return None;
                }
                let mut next = self.edited(list);
                next.selected = None;
                Some(next)
            }
            Action::Accept { id } | Action::Reject { id } if self.find(&id).is_none() => None,
            Action::Accept { id } => self.set_status(&id, Status::Accepted, Source::User),
            Action::Reject { id } => self.set_status(&id, Status::Rejected, Source::Extractor),
            Action::Import { added, orphans } => {
                if added.is_empty() && orphans.is_empty() {
                    return None;
                }
                let mut list = (*self.annotations).clone();
                let mut next_labels = (*self.labels).clone();
                for a in &added {
                    if !next_labels.iter().any(|l| l.name == a.label) {
                        next_labels.push(LabelDef {
                            name: a.label.clone(),
                            color: "var(--custom)".into(),
                            key: None,
                        });
                    }
                }
                list.extend(added.into_iter().map(Rc::new));
                list.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
                let mut next = self.edited(list);
                next.labels = Rc::new(next_labels);
                next.orphans = Rc::new(orphans);
                Some(next)
            }
            Action::Suggest { annotations, last } => {
                // Suggestions for paragraphs extracted after an edit belong to every version of the
                // work, so they join the undo and redo snapshots too: undoing an edit made while a long
                // article was still being read must not take later suggestions away.
                let new: Vec<Rc<Annotation>> = annotations.into_iter().map(Rc::new).collect();
                let mut next = self.clone();
                next.map_versions(|list| with_suggestions(list, &new));
                next.extracting = !last;
                Some(next)
            }
            Action::Relink(links) => {
                let by_id: std::collections::HashMap<&str, (&str, &str)> = links
                    .iter()
                    .map(|(id, e, c)| (id.as_str(), (e.as_str(), c.as_str())))
                    .collect();
                let mut next = self.clone();
                next.map_versions(|list| relinked(list, &by_id));
                Some(next)
            }
            Action::Restore {
                annotations,
                labels,
            } => {
                let mut next = self.clone();
                next.annotations = Rc::new(annotations.into_iter().map(Rc::new).collect());
                let mut all = builtin_labels();
                for l in labels {
                    if !all.iter().any(|b| b.name == l.name) {
                        all.push(l);
                    }
                }
                next.labels = Rc::new(all);
                next.next_user_id = next
                    .annotations
                    .iter()
                    .filter_map(|a| a.id.strip_prefix('u')?.parse::<u64>().ok())
                    .max()
                    .unwrap_or(0)
                    + 1;
                Some(next)
            }
            Action::StorageStatus(err) => {
                if self.storage_error == err {
                    return None;
                }
                let mut next = self.clone();
                next.storage_error = err;
                Some(next)
            }
            Action::DefineLabel(def) => {
                if def.name.trim().is_empty() {
                    return None;
                }
                let mut next = self.clone();
                let mut labels = (*self.labels).clone();
                match labels.iter_mut().find(|l| l.name == def.name) {
                    Some(l) => *l = def,
                    None => labels.push(def),
                }
                next.labels = Rc::new(labels);
                Some(next)
            }
            Action::Undo => {
                let mut next = self.clone();
                let prev = next.undo.pop()?;
                next.redo
                    .push(std::mem::replace(&mut next.annotations, prev));
                Some(next)
            }
            Action::Redo => {
                let mut next = self.clone();
                let later = next.redo.pop()?;
                next.undo
                    .push(std::mem::replace(&mut next.annotations, later));
                Some(next)
            }
            Action::ToggleType(label) => {
                let mut next = self.clone();
                let mut hidden = (*self.hidden).clone();
                if !hidden.remove(&label) {
                    hidden.insert(label);
                }
                next.hidden = Rc::new(hidden);
                Some(next)
            }
            Action::Select(id) => {
                let mut next = self.clone();
                next.selected = id;
                Some(next)
            }
        }
    }

    fn set_status(&self, id: &str, status: Status, source: Source) -> Option<State> {
        let mut list = (*self.annotations).clone();
        let a = Rc::make_mut(list.iter_mut().find(|a| a.id == id)?);
        if a.status == status {
            return None;
        }
        a.status = status;
        // Accepting makes the suggestion the user's; rejecting keeps it the machine's, hidden.
        if status == Status::Accepted {
            a.source = source;
        }
        Some(self.edited(list))
    }

    /// Whether an action changes the annotations (and so is an edit for undo, autosave and `change`).
    pub fn is_edit(action: &Action) -> bool {
        !matches!(
            action,
            Action::ToggleType(_)
                | Action::Select(_)
                | Action::Load { .. }
                | Action::DefineLabel(_)
                | Action::Restore { .. }
                | Action::Suggest { .. }
                | Action::Relink(_)
                | Action::StorageStatus(_)
        )
    }

    pub fn type_counts(&self) -> Vec<(EntityType, usize)> {
        EntityType::ALL
            .iter()
            .map(|&t| {
                let n = self
                    .annotations
                    .iter()
                    .filter(|a| a.status != Status::Rejected && a.label == t.as_str())
                    .count();
                (t, n)
            })
            .collect()
    }
}

/// `list` with machine suggestions `new` added, in document order.
fn with_suggestions(list: &[Rc<Annotation>], new: &[Rc<Annotation>]) -> Vec<Rc<Annotation>> {
    let mut out = Vec::with_capacity(list.len() + new.len());
    out.extend_from_slice(list);
    out.extend_from_slice(new);
    out.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
    out
}

/// `list` with the entity ids and canonical forms of machine suggestions replaced as clustering said
/// (`id → (entity, canonical)`); unchanged annotations keep their `Rc`, so their paragraphs do not re-render.
fn relinked(
    list: &[Rc<Annotation>],
    by_id: &std::collections::HashMap<&str, (&str, &str)>,
) -> Vec<Rc<Annotation>> {
    list.iter()
        .map(|a| match by_id.get(a.id.as_str()) {
            Some(&(e, c))
                if a.source == Source::Extractor && (a.entity != e || a.canonical != c) =>
            {
                let mut b = (**a).clone();
                b.entity = e.to_string();
                b.canonical = c.to_string();
                Rc::new(b)
            }
            _ => a.clone(),
        })
        .collect()
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "زار ماكرون باريس 😀 في 2020.";

    fn state() -> Rc<State> {
        let machine = sahifa_core::extract(TEXT);
        Rc::new(State::new(TEXT.to_string(), machine))
    }

    fn add(s: &Rc<State>, start: usize, end: usize, label: &str) -> Rc<State> {
        s.clone().reduce(Action::Add {
            start,
            end,
            label: label.into(),
            note: Some("ملاحظة".into()),
        })
    }

    #[test]
    fn add_undo_redo_round_trip() {
        let s0 = state();
        let s1 = add(&s0, 4, 10, "PER");
        let added = s1.annotations.iter().find(|a| a.id == "u1").expect("added");
        assert_eq!(added.text, "ماكرون");
        assert_eq!(added.source, Source::User);
        assert_eq!(added.note.as_deref(), Some("ملاحظة"));
        assert!(!added.entity.is_empty());
        let s2 = s1.clone().reduce(Action::Undo);
        assert_eq!(s2.annotations, s0.annotations);
        let s3 = s2.reduce(Action::Redo);
        assert_eq!(s3.annotations, s1.annotations);
    }

    #[test]
    fn invalid_edits_change_nothing() {
        let s0 = state();
        for bad in [(5, 5), (6, 2), (0, 999)] {
            let s = add(&s0, bad.0, bad.1, "PER");
            assert!(Rc::ptr_eq(&s, &s0), "range {bad:?} must be refused");
        }
        assert!(Rc::ptr_eq(&add(&s0, 0, 3, "NOPE"), &s0), "unknown label");
        assert!(Rc::ptr_eq(
            &s0.clone().reduce(Action::Remove {
                id: "missing".into()
            }),
            &s0
        ));
        assert!(
            Rc::ptr_eq(&s0.clone().reduce(Action::Undo), &s0),
            "nothing to undo"
        );
    }

    #[test]
    fn emoji_does_not_shift_code_point_offsets() {
        let s0 = state();
        let start = TEXT.chars().position(|c| c == '2').unwrap();
        let s1 = add(&s0, start, start + 4, "DATE");
        assert_eq!(s1.find("u1").unwrap().text, "2020");
    }

    #[test]
    fn reject_hides_and_accept_adopts_a_suggestion() {
        let s0 = state();
        let id = s0
            .annotations
            .first()
            .expect("the core finds something here")
            .id
            .clone();
        let rejected = s0.clone().reduce(Action::Reject { id: id.clone() });
        assert_eq!(rejected.find(&id).unwrap().status, Status::Rejected);
        assert!(rejected.visible().all(|a| a.id != id));
        assert!(
            rejected.kept().all(|a| a.id != id),
            "export leaves it out too"
        );
        // Hiding a type hides it from view, not from the work that is exported.
        let label = s0.annotations[0].label.clone();
        let hidden = s0.clone().reduce(Action::ToggleType(label.clone()));
        assert!(hidden.visible().all(|a| a.label != label));
        assert_eq!(hidden.kept().count(), s0.annotations.len());
        let accepted = s0.clone().reduce(Action::Accept { id: id.clone() });
        let a = accepted.find(&id).unwrap();
        assert_eq!((a.status, a.source), (Status::Accepted, Source::User));
        assert_eq!(accepted.reduce(Action::Undo).annotations, s0.annotations);
    }

    #[test]
    fn update_label_and_note_then_remove() {
        let s1 = add(&state(), 4, 10, "PER");
        let s2 = s1.reduce(Action::Update {
            id: "u1".into(),
            label: Some("ORG".into()),
            note: Some(None),
        });
        let a = s2.find("u1").unwrap();
        assert_eq!((a.label.as_str(), a.note.clone()), ("ORG", None));
        let s3 = s2.reduce(Action::Remove { id: "u1".into() });
        assert!(s3.find("u1").is_none());
    }

    #[test]
    fn user_labels_and_import_are_single_steps() {
        let s0 = state();
        let s1 = s0.clone().reduce(Action::DefineLabel(LabelDef {
            name: "EVENT".into(),
            color: "#f00".into(),
            key: Some('7'),
        }));
        assert!(s1.has_label("EVENT"));
        assert!(!s1.can_undo(), "defining a label is not an annotation edit");
        let s2 = add(&s1, 0, 3, "EVENT");
        assert_eq!(s2.find("u1").unwrap().label, "EVENT");
        let mut imported = s2.find("u1").unwrap().clone();
        imported.id = "imported-1".into();
        imported.start = 4;
        imported.end = 10;
        imported.text = "ماكرون".into();
        let s3 = s2.clone().reduce(Action::Import {
            added: vec![imported],
            orphans: vec![],
        });
        assert_eq!(s3.annotations.len(), s2.annotations.len() + 1);
        assert_eq!(s3.reduce(Action::Undo).annotations, s2.annotations);
    }

    #[test]
    fn restore_continues_user_ids() {
        let s1 = add(&state(), 4, 10, "PER");
        let saved = s1.annotations.iter().map(|a| (**a).clone()).collect();
        let restored = state().reduce(Action::Restore {
            annotations: saved,
            labels: vec![],
        });
        let s2 = add(&restored, 11, 16, "LOC");
        assert!(
            s2.find("u2").is_some(),
            "new ids do not collide with restored ones"
        );
    }

    #[test]
    fn late_suggestions_and_relinking_survive_undo_and_redo() {
        let s0 = Rc::new(State::new(TEXT.to_string(), Vec::new()));
        let s1 = add(&s0, 4, 10, "PER");
        let machine = sahifa_core::extract(TEXT);
        assert!(!machine.is_empty(), "the core finds something here");
        let late = machine[0].clone();
        let s2 = s1.clone().reduce(Action::Suggest {
            annotations: vec![late.clone()],
            last: true,
        });
        let s3 = s2.clone().reduce(Action::Relink(vec![(
            late.id.clone(),
            "LOC:relinked".into(),
            "relinked".into(),
        )]));
        let undone = s3.clone().reduce(Action::Undo);
        assert!(undone.find("u1").is_none(), "the user's edit is undone");
        let kept = undone
            .find(&late.id)
            .expect("a later suggestion survives undo");
        assert_eq!(kept.entity, "LOC:relinked", "and so does its relinking");
        let redone = undone.reduce(Action::Redo);
        assert!(redone.find("u1").is_some());
        assert_eq!(redone.find(&late.id).unwrap().entity, "LOC:relinked");
    }
}
