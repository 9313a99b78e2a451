//! Everything that can happen to a session, as data. A key, a click, the JS API and a restore all become
//! one of these, so what an action means is decided once, in the reducer.
//!
//! [`ActionKind`] is the payload-free name of an action: it is what listeners (autosave, `change` events)
//! receive, so dispatching never clones an import's annotations just to tell someone it happened. Its
//! questions ([`ActionKind::is_edit`], [`ActionKind::persists`], [`ActionKind::name`]) are exhaustive
//! matches: a new action cannot be added without deciding each of them.

use super::labels::LabelDef;
use super::snapshot::Snapshot;
use crate::annotation::Annotation;
use crate::formats::Orphan;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A new article and the machine's annotations of it; history starts afresh.
    Load {
        text: String,
        annotations: Vec<Annotation>,
        /// Whether `annotations` is the complete extraction (a long article is extracted later, in groups).
        extracted: bool,
    },
    /// A user annotation over `start..end`. Over exactly the span of an annotation already there, it
    /// retypes and accepts that one instead of stacking a duplicate.
    Add {
        start: usize,
        end: usize,
        label: String,
        note: Option<String>,
    },
    /// Changes a label and/or a note (`Some(None)` clears the note). A relabel makes the annotation the
    /// user's and moves it to an entity of its new type.
    Update {
        id: String,
        label: Option<String>,
        note: Option<Option<String>>,
    },
    Remove {
        id: String,
    },
    /// Makes a machine suggestion the user's.
    Accept {
        id: String,
    },
    /// Hides a machine suggestion and remembers that it was rejected.
    Reject {
        id: String,
    },
    /// Accepts (or rejects) every suggestion still unreviewed among the mentions of one entity: one step.
    ReviewEntity {
        entity: String,
        accept: bool,
    },
    /// Imported annotations (re-anchored, de-duplicated, linked), existing annotations that take an
    /// imported review state (`updated`, replacing the annotation with the same id), the labels they bring
    /// and what could not be placed: one undoable step. Build it with [`super::Session::import`].
    Import {
        added: Vec<Annotation>,
        updated: Vec<Annotation>,
        labels: Vec<LabelDef>,
        orphans: Vec<Orphan>,
    },
    /// Machine suggestions found for (part of) the article; `last` says extraction is complete.
    Suggest {
        annotations: Vec<Annotation>,
        last: bool,
    },
    /// The machine's suggestions for `start..end` again, after it learned from the annotator: they replace
    /// its unreviewed suggestions there (not the propagated ones) in sentences not yet reviewed. Build it
    /// with [`super::Session::resuggest`]. Not an undo step: undo returns to the suggestions before the edit.
    Resuggest {
        start: usize,
        end: usize,
        annotations: Vec<Annotation>,
        /// The tagger learned from the annotator (its overlay is not empty): a name where nothing was
        /// suggested before must then be a sure one. False when the suggestions are the tagger's own, e.g.
        /// its data arriving after the first suggestions (the lighter first load).
        learned: bool,
    },
    /// The machine's suggestions replaced wholesale by a new extraction of the whole article, while the
    /// annotator has decided nothing yet ([`super::Session::undecided`]; refused otherwise): the tagger's
    /// data came after the first suggestions (the widget's lighter first load, see `crate::data`). Not an
    /// undo step.
    Retag { annotations: Vec<Annotation> },
    /// Entity ids and canonical forms of machine suggestions after clustering the whole article:
    /// `(annotation id, entity, canonical)`.
    Relink(Vec<(String, String, String)>),
    /// Saved work for this article, restored on load (replaces the machine's fresh suggestions).
    Restore(Snapshot),
    /// Outcome of the last autosave: `Some(reason)` when it failed.
    StorageStatus(Option<String>),
    /// Adds or replaces a user-defined label (validated: see [`LabelDef::validated_among`]).
    DefineLabel(LabelDef),
    Undo,
    Redo,
    /// Shows or hides a type (the legend's filter); a view change, not an edit.
    ToggleType(String),
    Select(Option<String>),
    /// Closes the list of imported annotations that could not be placed.
    DismissOrphans,
    /// Work another tab saved on this article (`theirs`), merged into every version of this session's
    /// work since `base`, the annotations both tabs last agreed on (see [`super::MergeReport`]).
    Merge {
        base: Vec<Annotation>,
        theirs: Snapshot,
    },
}

/// An action's name without its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Load,
    Add,
    Update,
    Remove,
    Accept,
    Reject,
    ReviewEntity,
    Import,
    Suggest,
    Resuggest,
    Retag,
    Relink,
    Restore,
    StorageStatus,
    DefineLabel,
    Undo,
    Redo,
    ToggleType,
    Select,
    DismissOrphans,
    Merge,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Load { .. } => ActionKind::Load,
            Action::Add { .. } => ActionKind::Add,
            Action::Update { .. } => ActionKind::Update,
            Action::Remove { .. } => ActionKind::Remove,
            Action::Accept { .. } => ActionKind::Accept,
            Action::Reject { .. } => ActionKind::Reject,
            Action::ReviewEntity { .. } => ActionKind::ReviewEntity,
            Action::Import { .. } => ActionKind::Import,
            Action::Suggest { .. } => ActionKind::Suggest,
            Action::Resuggest { .. } => ActionKind::Resuggest,
            Action::Retag { .. } => ActionKind::Retag,
            Action::Relink(_) => ActionKind::Relink,
            Action::Restore(_) => ActionKind::Restore,
            Action::StorageStatus(_) => ActionKind::StorageStatus,
            Action::DefineLabel(_) => ActionKind::DefineLabel,
            Action::Undo => ActionKind::Undo,
            Action::Redo => ActionKind::Redo,
            Action::ToggleType(_) => ActionKind::ToggleType,
            Action::Select(_) => ActionKind::Select,
            Action::DismissOrphans => ActionKind::DismissOrphans,
            Action::Merge { .. } => ActionKind::Merge,
        }
    }
}

impl ActionKind {
    /// Whether it changes the user's work (a `change` event). All but [`ActionKind::Merge`] are undo steps:
    /// another tab's work is merged into every version, so undo here never takes it away.
    pub fn is_edit(self) -> bool {
        match self {
            ActionKind::Add
            | ActionKind::Update
            | ActionKind::Remove
            | ActionKind::Accept
            | ActionKind::Reject
            | ActionKind::ReviewEntity
            | ActionKind::Import
            | ActionKind::Undo
            | ActionKind::Redo
            | ActionKind::Merge => true,
            ActionKind::Load
            | ActionKind::Suggest
            | ActionKind::Resuggest
            | ActionKind::Retag
            | ActionKind::Relink
            | ActionKind::Restore
            | ActionKind::StorageStatus
            | ActionKind::DefineLabel
            | ActionKind::ToggleType
            | ActionKind::Select
            | ActionKind::DismissOrphans => false,
        }
    }

    /// Whether what it changes is saved (autosave runs after it).
    pub fn persists(self) -> bool {
        match self {
            ActionKind::Add
            | ActionKind::Update
            | ActionKind::Remove
            | ActionKind::Accept
            | ActionKind::Reject
            | ActionKind::ReviewEntity
            | ActionKind::Import
            | ActionKind::Undo
            | ActionKind::Redo
            | ActionKind::Merge
            | ActionKind::DefineLabel => true,
            // Suggestions are the machine's and come back by extracting again; a restore is what was
            // saved; the rest is view state.
            ActionKind::Load
            | ActionKind::Suggest
            | ActionKind::Resuggest
            | ActionKind::Retag
            | ActionKind::Relink
            | ActionKind::Restore
            | ActionKind::StorageStatus
            | ActionKind::ToggleType
            | ActionKind::Select
            | ActionKind::DismissOrphans => false,
        }
    }

    /// Its name in `change` events and logs.
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Load => "load",
            ActionKind::Add => "add",
            ActionKind::Update => "update",
            ActionKind::Remove => "remove",
            ActionKind::Accept => "accept",
            ActionKind::Reject => "reject",
            ActionKind::ReviewEntity => "review-entity",
            ActionKind::Import => "import",
            ActionKind::Suggest => "suggest",
            ActionKind::Resuggest => "resuggest",
            ActionKind::Retag => "retag",
            ActionKind::Relink => "relink",
            ActionKind::Restore => "restore",
            ActionKind::StorageStatus => "storage-status",
            ActionKind::DefineLabel => "define-label",
            ActionKind::Undo => "undo",
            ActionKind::Redo => "redo",
            ActionKind::ToggleType => "toggle-type",
            ActionKind::Select => "select",
            ActionKind::DismissOrphans => "dismiss-orphans",
            ActionKind::Merge => "merge",
        }
    }
}
