//! Entity ids for annotations added after extraction (a user's marks, imports).
//!
//! A reader who marks "باشينيان" by hand expects it to join the entity the machine already knows as
//! "نيكول باشنيان". Re-clustering the whole article on every edit would renumber everything; instead the
//! new mention is clustered against one representative (the canonical form) per existing entity of its type.

use crate::annotation::{Annotation, EntityType, Status};
use crate::cluster::cluster_last;
use std::borrow::Borrow;
use std::collections::HashSet;

/// Fills `entity` and `canonical` of each annotation in `added` that lacks an entity id, joining an existing
/// entity of the same type in `existing` (or an earlier one in `added`) when the clustering rules say so.
pub fn assign<A: Borrow<Annotation>>(
    existing: &[A],
    mut added: Vec<Annotation>,
) -> Vec<Annotation> {
    for i in 0..added.len() {
        if !added[i].entity.is_empty() {
            continue;
        }
        let (head, tail) = added.split_at_mut(i);
        let a = &mut tail[0];
        let pool = existing
            .iter()
            .map(Borrow::borrow)
            .chain(head.iter())
            .filter(|e| e.status != Status::Rejected);
        let (entity, canonical) = link_one(pool, &a.label, &a.text);
        a.entity = entity;
        a.canonical = canonical;
    }
    added
}

fn link_one<'a>(
    pool: impl Iterator<Item = &'a Annotation>,
    label: &str,
    text: &str,
) -> (String, String) {
    let Ok(ty) = label.parse::<EntityType>() else {
        // User-defined labels: one entity per exact spelling.
        return (
            format!(
                "{label}:{}",
                text.split_whitespace().collect::<Vec<_>>().join("_")
            ),
            text.to_string(),
        );
    };
    let mut reps: Vec<(&str, &str)> = Vec::new(); // (entity id, canonical)
    let mut seen: HashSet<&str> = HashSet::new();
    for e in pool.filter(|e| e.label == ty.as_str() && !e.entity.is_empty()) {
        if seen.insert(e.entity.as_str()) {
            let canon = if e.canonical.is_empty() {
                e.text.as_str()
            } else {
                e.canonical.as_str()
            };
            reps.push((e.entity.as_str(), canon));
        }
    }
    let mut mentions: Vec<(EntityType, &str)> = reps.iter().map(|(_, c)| (ty, *c)).collect();
    mentions.push((ty, text));
    // Joined an existing entity: some representative now shares the new mention's cluster id.
    match cluster_last(&mentions) {
        (Some(k), _) => (reps[k].0.to_string(), reps[k].1.to_string()),
        (None, mine) => mine,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Source;

    fn ann(label: &str, text: &str, entity: &str, canonical: &str) -> Annotation {
        Annotation {
            id: text.into(),
            start: 0,
            end: text.chars().count(),
            label: label.into(),
            text: text.into(),
            entity: entity.into(),
            canonical: canonical.into(),
            source: Source::Extractor,
            status: Status::Suggested,
            note: None,
            confidence: None,
        }
    }

    #[test]
    fn a_hand_marked_variant_joins_the_known_entity() {
        let existing = vec![
            ann("PER", "نيكول باشنيان", "PER:نيكول_باشنيان", "نيكول باشنيان"),
            ann("PER", "فلاديمير بوتين", "PER:فلاديمير_بوتين", "فلاديمير بوتين"),
        ];
        let out = assign(
            &existing,
            vec![ann("PER", "باشينيان", "", ""), ann("PER", "بوتين", "", "")],
        );
        assert_eq!(out[0].entity, "PER:نيكول_باشنيان");
        assert_eq!(out[0].canonical, "نيكول باشنيان");
        assert_eq!(out[1].entity, "PER:فلاديمير_بوتين");
    }

    #[test]
    fn a_new_name_gets_its_own_entity_and_types_do_not_mix() {
        let existing = vec![ann("LOC", "موسكو", "LOC:موسكو", "موسكو")];
        let out = assign(
            &existing,
            vec![ann("ORG", "موسكو", "", ""), ann("PER", "زاخاروفا", "", "")],
        );
        assert_ne!(out[0].entity, "LOC:موسكو");
        assert!(out[0].entity.starts_with("ORG:"));
        assert!(out[1].entity.starts_with("PER:"));
        let kept = assign(&existing, vec![ann("LOC", "موسكو", "LOC:x", "x")]);
        assert_eq!(kept[0].entity, "LOC:x", "an existing id is kept");
    }

    #[test]
    fn custom_labels_group_by_spelling() {
        let out = assign::<Annotation>(&[], vec![ann("EVENT", "قمة  مينسك", "", "")]);
        assert_eq!(out[0].entity, "EVENT:قمة_مينسك");
    }
}
