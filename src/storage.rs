//! Autosave in `localStorage`: the I/O only. What is saved and how it is read back (schema, fit to the
//! article) is the core's [`Snapshot`]; the key is the core's [`storage_key`] unless the embedder names one.
//! Failures are reported, never swallowed: a failed save keeps the work in memory and says so; saved work
//! that cannot be read is kept aside, never overwritten.

use gloo_storage::{LocalStorage, Storage};
pub use sahifa_core::session::storage_key;
use sahifa_core::session::{Session, Snapshot, SnapshotError};

/// What is under `key`: nothing, a snapshot, or the raw entry and why it cannot be read.
pub enum Loaded {
    Nothing,
    Saved(Snapshot),
    Unreadable { raw: String, why: SnapshotError },
}

pub fn load(key: &str) -> Loaded {
    let raw = match LocalStorage::raw().get_item(key) {
        Ok(Some(raw)) => raw,
        _ => return Loaded::Nothing,
    };
    match Snapshot::from_json(&raw) {
        Ok(s) => Loaded::Saved(s),
        Err(why) => Loaded::Unreadable { raw, why },
    }
}

/// Where an unreadable entry under `key` is kept aside (one slot per key; an older one is replaced only by
/// a newer unreadable entry, never by good work).
pub fn aside_key(key: &str) -> String {
    format!("{key}:unreadable")
}

/// Moves an unreadable entry aside so the next save cannot overwrite it.
pub fn set_aside(key: &str, raw: &str) -> Result<(), String> {
    let storage = LocalStorage::raw();
    storage
        .set_item(&aside_key(key), raw)
        .map_err(|e| format!("{e:?}"))?;
    storage.remove_item(key).map_err(|e| format!("{e:?}"))
}

/// Saves; the error says why it failed (quota, storage disabled) so the widget can show it.
pub fn save(key: &str, session: &Session) -> Result<(), String> {
    save_json(key, &session.snapshot_json())
}

/// Saves a snapshot already serialised.
pub fn save_json(key: &str, json: &str) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(key, json)
        .map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| format!("{e:?}"))
        })
}

use wasm_bindgen::JsCast;
