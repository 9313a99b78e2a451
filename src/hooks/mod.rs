//! The widget's effects, one hook each, so [`crate::components::app`] only wires them to the view:
//! following the store, autosaving, restoring or extracting the article, the selection picker, file drops
//! and keyboard shortcuts. Each hook owns its listeners and drops them when the widget goes away.

mod autosave;
mod extraction;
mod file_drop;
mod picker;
mod shortcuts;
mod store;

pub use autosave::use_autosave;
pub use extraction::{use_extraction, Unreadable};
pub use file_drop::{use_file_drop, FileDrop};
pub use picker::{use_picker, Pending};
pub use shortcuts::use_shortcuts;
pub use store::use_session;
