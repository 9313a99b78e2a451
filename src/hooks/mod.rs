//! The widget's effects, one hook each, so [`crate::components::app`] only wires them to the view:
//! following the store, autosaving (and where), restoring or extracting the article and saying when it is
//! ready, where the tagger's data stands, keeping the article uneditable, the selection picker, incoming files, file drops and keyboard
//! shortcuts. Each hook owns its listeners and drops them when the widget goes away.

mod autosave;
mod extraction;
mod file_drop;
mod files;
mod picker;
mod ready;
mod shortcuts;
mod store;
mod tagger_data;

pub use autosave::{use_autosave, use_storage_key};
pub use extraction::{use_extraction, Unreadable};
pub use file_drop::{use_file_drop, FileDrop};
pub use files::use_article_files;
pub use picker::{use_picker, Pending};
pub use ready::{use_ready, use_uneditable};
pub use shortcuts::use_shortcuts;
pub use store::use_session;
pub use tagger_data::use_tagger_data;
