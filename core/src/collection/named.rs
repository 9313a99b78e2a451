//! Named collections: the standalone page keeps several, each with its own articles, progress and
//! learning, listed by name. The records are small and stored by the shell (IndexedDB `collections`);
//! which names are acceptable is decided here, so the panel and the JS API refuse the same ones.

use super::CollectionError;
use serde::{Deserialize, Serialize};

/// The longest name kept (longer ones are cut at a character boundary).
pub const MAX_NAME: usize = 120;

/// One collection's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// Made once and never changed: the key of its articles and of what it learned.
    pub id: String,
    pub name: String,
    /// When it was made (milliseconds since 1970), for listing in order.
    #[serde(default)]
    pub created: f64,
    /// Deleted, and restorable until the page starts again (then its articles are removed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `wanted` as a collection's name among `others` (the live ones, not counting the one renamed): trimmed,
/// whitespace runs made one space, at most [`MAX_NAME`] characters; refused when empty or when another
/// collection has it already (compared ignoring case), since the list shows names only.
pub fn check_name<'a>(wanted: &str, others: impl IntoIterator<Item = &'a Named>) -> Result<String, CollectionError> {
    let name: String = wanted.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_NAME).collect();
    if name.is_empty() {
        return Err(CollectionError::EmptyName);
    }
    let folded = name.to_lowercase();
    if others.into_iter().any(|n| !n.deleted && n.name.to_lowercase() == folded) {
        return Err(CollectionError::NameTaken(name));
    }
    Ok(name)
}

/// The live collections in the order they were made.
pub fn live(all: &[Named]) -> Vec<&Named> {
    let mut v: Vec<&Named> = all.iter().filter(|n| !n.deleted).collect();
    v.sort_by(|a, b| a.created.total_cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(id: &str, name: &str, created: f64) -> Named {
        Named { id: id.into(), name: name.into(), created, deleted: false }
    }

    #[test]
    fn names_are_tidied_and_must_be_new() {
        let all = [named("a", "أخبار الاقتصاد", 1.0), Named { deleted: true, ..named("b", "Old", 2.0) }];
        assert_eq!(check_name("  أخبار   الرياضة ", &all).unwrap(), "أخبار الرياضة");
        assert_eq!(check_name(" \t", &all), Err(CollectionError::EmptyName));
        assert_eq!(check_name("أخبار الاقتصاد", &all), Err(CollectionError::NameTaken("أخبار الاقتصاد".into())));
        assert_eq!(check_name("old", &all).unwrap(), "old", "a deleted collection's name is free");
        assert_eq!(check_name(&"ن".repeat(300), &all).unwrap().chars().count(), MAX_NAME);
    }

    #[test]
    fn live_lists_in_creation_order_without_the_deleted() {
        let all = [named("b", "B", 2.0), named("a", "A", 1.0), Named { deleted: true, ..named("c", "C", 0.0) }];
        let ids: Vec<&str> = live(&all).iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn records_round_trip() {
        let n = named("x", "مجموعة", 3.0);
        let json = serde_json::to_string(&n).unwrap();
        assert!(!json.contains("deleted"));
        assert_eq!(serde_json::from_str::<Named>(&json).unwrap(), n);
    }
}
