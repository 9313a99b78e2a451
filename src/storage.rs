//! Autosave of the work in `localStorage`, schema-versioned, with failures reported rather than swallowed.
//!
//! The key is derived from the article text (or given by the embedder), so each article keeps its own work.
//! What is saved is the whole annotation list (suggestion statuses included) and the user's labels.

use crate::state::LabelDef;
use gloo_storage::{LocalStorage, Storage};
use sahifa_core::Annotation;
use serde::{Deserialize, Serialize};

/// Bumped whenever the saved shape changes; older saves are ignored, not misread.
pub const SCHEMA: u32 = 1;

#[derive(Serialize, Deserialize)]
pub struct Saved {
    pub schema: u32,
    pub annotations: Vec<Annotation>,
    pub labels: Vec<LabelDef>,
}

/// `sahifa:v1:<fnv-1a of the text>:<length>`: stable across reloads, different for different articles.
pub fn key_for(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("sahifa:v{SCHEMA}:{h:016x}:{}", text.chars().count())
}

pub fn load(key: &str) -> Option<Saved> {
    let saved: Saved = LocalStorage::get(key).ok()?;
    (saved.schema == SCHEMA).then_some(saved)
}

/// The saved shape, borrowed, so saving never copies the work.
#[derive(Serialize)]
struct SavedRef<'a> {
    schema: u32,
    annotations: Vec<&'a Annotation>,
    labels: &'a [LabelDef],
}

/// Saves; the error message says why it failed (quota, storage disabled) so the widget can show it.
pub fn save(
    key: &str,
    annotations: &[std::rc::Rc<Annotation>],
    labels: &[LabelDef],
) -> Result<(), String> {
    let saved = SavedRef {
        schema: SCHEMA,
        annotations: annotations.iter().map(|a| &**a).collect(),
        labels,
    };
    LocalStorage::set(key, &saved).map_err(|e| e.to_string())
}
