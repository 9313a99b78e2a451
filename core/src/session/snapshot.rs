//! Saved work: what a shell stores so that a reload brings the session back, and how it is read again.
//!
//! The snapshot is the whole annotation list (suggestions with their review status included) and the
//! user's labels, serialised with serde under a schema number. Reading says *why* a saved entry cannot be
//! used — not JSON, another schema, or a text it does not fit — so a shell can tell the user and keep the
//! entry aside instead of silently overwriting it.

use super::labels::LabelDef;
use crate::annotation::Annotation;
use serde::{Deserialize, Serialize};

/// Bumped whenever the saved shape changes; older saves are refused with [`SnapshotError::Schema`].
pub const SNAPSHOT_SCHEMA: u32 = 1;

/// The work as it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema: u32,
    pub annotations: Vec<Annotation>,
    /// The user's labels (built-in ones are not saved).
    pub labels: Vec<LabelDef>,
    /// This save's revision, and the revision it was made from: how a tab tells whether another tab's save
    /// already holds its own (see [`super::MergeReport`]). Absent in saves of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// Why saved work cannot be restored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the saved work cannot be read ({0})")]
    Unreadable(String),
    #[error("the saved work has schema {found}, this version reads schema {expected}")]
    Schema { found: u32, expected: u32 },
    #[error("the saved work does not fit this article: annotation {id:?} at {start}..{end} is not {text:?} here")]
    DoesNotFit {
        id: String,
        start: usize,
        end: usize,
        text: String,
    },
}

impl Snapshot {
    /// Reads a snapshot saved by [`Snapshot::to_json`] (or by an earlier version with the same schema).
    pub fn from_json(json: &str) -> Result<Snapshot, SnapshotError> {
        #[derive(Deserialize)]
        struct Head {
            schema: u32,
        }
        let head: Head =
            serde_json::from_str(json).map_err(|e| SnapshotError::Unreadable(e.to_string()))?;
        if head.schema != SNAPSHOT_SCHEMA {
            return Err(SnapshotError::Schema {
                found: head.schema,
                expected: SNAPSHOT_SCHEMA,
            });
        }
        serde_json::from_str(json).map_err(|e| SnapshotError::Unreadable(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot always serialises")
    }
}

/// The saved shape, borrowed, so saving never copies the work.
#[derive(Serialize)]
pub(crate) struct SnapshotRef<'a> {
    pub schema: u32,
    pub annotations: Vec<&'a Annotation>,
    pub labels: Vec<&'a LabelDef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<&'a str>,
}

/// `sahifa:v1:<fnv-1a of the text>:<length>`: stable across reloads and versions, different for
/// different articles. The `v1` is the key's own version; it has never changed, so old saves are found.
pub fn storage_key(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("sahifa:v1:{h:016x}:{}", text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_and_other_schemas_say_why() {
        assert!(matches!(Snapshot::from_json("{\"schema\":1,\"annot"), Err(SnapshotError::Unreadable(_))));
        assert!(matches!(Snapshot::from_json("[]"), Err(SnapshotError::Unreadable(_))));
        assert_eq!(
            Snapshot::from_json("{\"schema\":7,\"annotations\":[],\"labels\":[]}"),
            Err(SnapshotError::Schema { found: 7, expected: 1 })
        );
        let s = Snapshot {
            schema: 1,
            annotations: vec![],
            labels: vec![LabelDef::custom("EVENT")],
            rev: None,
            parent: None,
        };
        assert_eq!(Snapshot::from_json(&s.to_json()), Ok(s));
    }

    #[test]
    fn storage_keys_are_stable() {
        // The key widgets have saved under since the first version: changing it would lose saved work.
        assert_eq!(storage_key("abc"), "sahifa:v1:e71fa2190541574b:3");
        assert_ne!(storage_key("ab"), storage_key("abc"));
    }
}
