//! One annotation session: an article, the machine's suggestions and the user's annotations, labels, view
//! filters and history, changed only by [`Action`]s through one reducer ([`Session::apply`]).
//!
//! Why here and not in the widget: every shell (the Yew widget, its JS API, a worker, a future CLI review
//! mode) must make the same decisions about what an edit means — whether a range may be annotated, what a
//! relabel does to an entity id, what undo restores, how an import merges, how saved work comes back — and
//! those decisions are only trustworthy if they are tested natively, without a browser. So the session is
//! pure data and pure functions: no DOM, no storage, no clock. Shells hold a [`Session`], dispatch actions,
//! and render what they get back; side effects (saving, extracting, downloading) are theirs.
//!
//! A refused action is an `Err(`[`Refused`]`)` that says why, and leaves the session as it was, so the JS
//! API and the UI can both report it the same way.

mod action;
mod article;
mod extraction;
mod history;
mod labels;
mod learn;
mod merge;
mod propagate;
mod reduce;
mod share;
mod snapshot;

pub use action::{Action, ActionKind};
pub use article::Article;
pub use extraction::{paragraph_groups, GroupedExtraction, ONE_GO};
pub use labels::{builtin_labels, LabelDef, LabelError};
pub use learn::{learned, learned_from_export, lessons, LearnError};
pub use merge::MergeReport;
/// The three-way merge of two annotation lists, for the collection's merge of two tabs' saves.
pub(crate) use merge::merge as merge_annotations;
pub use propagate::Propagation;
pub use reduce::{ImportReport, Refused, Session};
pub use share::LearnedShare;
pub use snapshot::{storage_key, Snapshot, SnapshotError, SNAPSHOT_SCHEMA};
