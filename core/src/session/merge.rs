//! Merging work saved by another tab (or window) on the same article into this session, so that two tabs
//! never overwrite each other's annotations.
//!
//! A three-way merge by annotation id: `base` is the snapshot both tabs last agreed on (what this tab last
//! saved or merged), `theirs` is what the other tab saved, `ours` is this session's current work. For each
//! id, a side that did not change it since `base` takes the other side's version (an edit, a deletion, an
//! addition); when both changed it differently, both versions are kept — ours under its id, theirs under a
//! new one — and the merge reports a conflict so the user can be told. User labels are united. Machine
//! suggestions nobody reviewed are not the annotator's work: each tab's tagger may suggest them again
//! differently as it learns, so a reviewed version beats an unreviewed one, and two unreviewed versions
//! settle on one, without a conflict.

use super::labels::LabelDef;
use crate::annotation::{Annotation, Source, Status};
use std::collections::{BTreeSet, HashMap};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MergeReport {
    /// Annotations taken from the other tab (added, changed or deleted there).
    pub taken: usize,
    /// Annotations both tabs changed differently: both versions are kept.
    pub conflicts: Vec<String>,
}

/// A side-independent order of two versions of one annotation.
fn rank(a: &Annotation) -> String {
    serde_json::to_string(a).expect("annotations serialise")
}

/// A machine suggestion nobody has reviewed: what a tab's tagger may suggest again differently (online
/// learning re-suggests unreviewed text), so a change to it never conflicts with a decision.
fn unreviewed(a: &Annotation) -> bool {
    a.source == Source::Extractor && a.status == Status::Suggested
}

/// The merged annotations and labels of `ours` with `theirs` since `base`.
pub(crate) fn merge(
    base: &[Annotation],
    ours: &[&Annotation],
    theirs: &[Annotation],
    our_labels: &[LabelDef],
    their_labels: &[LabelDef],
) -> (Vec<Annotation>, Vec<LabelDef>, MergeReport) {
    let base: HashMap<&str, &Annotation> = base.iter().map(|a| (a.id.as_str(), a)).collect();
    let mine: HashMap<&str, &Annotation> = ours.iter().map(|a| (a.id.as_str(), *a)).collect();
    let other: HashMap<&str, &Annotation> = theirs.iter().map(|a| (a.id.as_str(), a)).collect();
    let ids: BTreeSet<&str> = mine.keys().chain(other.keys()).copied().collect();
    let mut out: Vec<Annotation> = Vec::with_capacity(ids.len());
    let mut report = MergeReport::default();
    let mut renamed: Vec<Annotation> = Vec::new();
    for id in ids {
        let (b, o, t) = (base.get(id).copied(), mine.get(id).copied(), other.get(id).copied());
        match (o, t) {
            (Some(o), Some(t)) if o == t => out.push(o.clone()),
            (Some(o), Some(t)) => {
                if Some(o) == b {
                    out.push(t.clone());
                    report.taken += 1;
                } else if Some(t) == b {
                    out.push(o.clone());
                } else if unreviewed(o) != unreviewed(t) {
                    // One tab reviewed it, the other's machine suggested it again (its tagger learned in the
                    // meantime): the annotator's decision stands, and that is no conflict.
                    out.push(if unreviewed(o) { t.clone() } else { o.clone() });
                    report.taken += usize::from(unreviewed(o));
                } else if unreviewed(o) && unreviewed(t) {
                    // Both machines suggested it again differently: one suggestion, the same in both tabs.
                    out.push(if rank(o) <= rank(t) { o.clone() } else { t.clone() });
                    report.taken += usize::from(rank(t) < rank(o));
                } else {
                    // Both changed it, or each tab made a new annotation under the same id: keep both.
                    // Which one keeps the id is decided by content, not by side, so that both tabs
                    // reach the same merge and settle.
                    let (first, second) = if rank(o) <= rank(t) { (o, t) } else { (t, o) };
                    out.push(first.clone());
                    renamed.push(second.clone());
                    if b.is_some() {
                        report.conflicts.push(id.to_string());
                    }
                }
            }
            (Some(o), None) => match b {
                // They deleted it; we had not touched it.
                Some(b) if b == o => report.taken += 1,
                // Their machine dropped a suggestion ours also left unreviewed: dropped.
                Some(_) if unreviewed(o) => report.taken += 1,
                // They deleted what we changed: keep ours, say so.
                Some(_) => {
                    out.push(o.clone());
                    report.conflicts.push(id.to_string());
                }
                // Ours alone.
                None => out.push(o.clone()),
            },
            (None, Some(t)) => match b {
                // We deleted it; they had not touched it.
                Some(b) if b == t => {}
                // We deleted what their machine merely suggested again: deleted.
                Some(_) if unreviewed(t) => {}
                // We deleted what they changed: keep theirs, say so.
                Some(_) => {
                    out.push(t.clone());
                    report.taken += 1;
                    report.conflicts.push(id.to_string());
                }
                None => {
                    out.push(t.clone());
                    report.taken += 1;
                }
            },
            (None, None) => unreachable!("ids come from ours or theirs"),
        }
    }
    let mut taken_ids: std::collections::HashSet<String> = out.iter().map(|a| a.id.clone()).collect();
    for mut t in renamed {
        let mut n = 2;
        while taken_ids.contains(&format!("{}-{n}", t.id)) {
            n += 1;
        }
        t.id = format!("{}-{n}", t.id);
        taken_ids.insert(t.id.clone());
        report.taken += 1;
        out.push(t);
    }
    let mut labels: Vec<LabelDef> = our_labels.to_vec();
    for l in their_labels {
        if !labels.iter().any(|m| m.name == l.name) {
            labels.push(l.clone());
        }
    }
    (out, labels, report)
}


#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(id: &str, start: usize, label: &str, confidence: f32) -> Annotation {
        let mut s = Annotation::user(id, start, start + 2, label, "xx");
        s.source = Source::Extractor;
        s.status = Status::Suggested;
        s.confidence = Some(confidence);
        s
    }

    #[test]
    fn a_review_beats_a_suggestion_made_again_elsewhere_without_conflict() {
        let base = vec![suggestion("x1", 0, "PER", 0.5), suggestion("x2", 4, "LOC", 0.5)];
        // This tab accepted x1 as ORG; the other tab's tagger suggested x1 again with another confidence
        // and x2 with another label.
        let mut accepted = Annotation::user("x1", 0, 2, "ORG", "xx");
        accepted.status = Status::Accepted;
        let ours = [accepted.clone(), base[1].clone()];
        let theirs = vec![suggestion("x1", 0, "PER", 0.7), suggestion("x2", 4, "ORG", 0.6)];
        let mine: Vec<&Annotation> = ours.iter().collect();
        let (out, _, report) = merge(&base, &mine, &theirs, &[], &[]);
        assert_eq!(ids(&out), [("x1".into(), "ORG".into()), ("x2".into(), "ORG".into())]);
        assert!(report.conflicts.is_empty());
        // The other tab, merging ours, reaches the same list.
        let their_refs: Vec<&Annotation> = theirs.iter().collect();
        let (back, _, report) = merge(&base, &their_refs, &ours, &[], &[]);
        assert_eq!(back, out);
        assert!(report.conflicts.is_empty());
    }

    #[test]
    fn two_suggestions_made_again_differently_settle_on_one() {
        let base = vec![suggestion("x1", 0, "PER", 0.5)];
        let (o, t) = (suggestion("x1", 0, "PER", 0.6), suggestion("x1", 0, "LOC", 0.7));
        let (one, _, r1) = merge(&base, &[&o], std::slice::from_ref(&t), &[], &[]);
        let (two, _, r2) = merge(&base, &[&t], std::slice::from_ref(&o), &[], &[]);
        assert_eq!(one.len(), 1);
        assert_eq!(one, two);
        assert!(r1.conflicts.is_empty() && r2.conflicts.is_empty());
    }

    #[test]
    fn a_suggestion_dropped_by_one_machine_and_redone_by_the_other_is_no_conflict() {
        let base = vec![suggestion("x1", 0, "PER", 0.5)];
        let again = suggestion("x1", 0, "PER", 0.9);
        let (out, _, r) = merge(&base, &[&again], &[], &[], &[]);
        assert!(out.is_empty() && r.conflicts.is_empty());
        let (out, _, r) = merge(&base, &[], std::slice::from_ref(&again), &[], &[]);
        assert!(out.is_empty() && r.conflicts.is_empty());
    }

    fn a(id: &str, start: usize, label: &str) -> Annotation {
        Annotation::user(id, start, start + 2, label, "xx")
    }

    fn ids(list: &[Annotation]) -> Vec<(String, String)> {
        list.iter().map(|a| (a.id.clone(), a.label.clone())).collect()
    }

    fn run(base: &[Annotation], ours: &[Annotation], theirs: &[Annotation]) -> (Vec<Annotation>, MergeReport) {
        let ours: Vec<&Annotation> = ours.iter().collect();
        let (out, _, report) = merge(base, &ours, theirs, &[], &[]);
        (out, report)
    }

    #[test]
    fn each_side_takes_what_only_the_other_changed() {
        let base = vec![a("x1", 0, "PER"), a("x2", 5, "LOC"), a("x3", 9, "ORG")];
        // Ours: relabelled x1, added u1. Theirs: deleted x2, added u2 (and x3 untouched by both).
        let ours = vec![a("x1", 0, "ORG"), a("x2", 5, "LOC"), a("x3", 9, "ORG"), a("u1", 12, "PER")];
        let theirs = vec![a("x1", 0, "PER"), a("x3", 9, "ORG"), a("u2", 15, "LOC")];
        let (out, report) = run(&base, &ours, &theirs);
        assert_eq!(
            ids(&out),
            [("u1", "PER"), ("u2", "LOC"), ("x1", "ORG"), ("x3", "ORG")]
                .map(|(i, l)| (i.to_string(), l.to_string()))
        );
        assert_eq!(report, MergeReport { taken: 2, conflicts: vec![] });
    }

    #[test]
    fn true_conflicts_keep_both_and_are_reported() {
        let base = vec![a("x1", 0, "PER")];
        let (out, report) = run(&base, &[a("x1", 0, "ORG")], &[a("x1", 0, "LOC")]);
        assert_eq!(ids(&out), [("x1".into(), "LOC".into()), ("x1-2".into(), "ORG".into())]);
        assert_eq!(report.conflicts, ["x1"]);
        // The other tab reaches the same merge.
        let (theirs, _) = run(&base, &[a("x1", 0, "LOC")], &[a("x1", 0, "ORG")]);
        assert_eq!(theirs, out);
        // A deletion against a change keeps the change and says so.
        let (out, report) = run(&base, &[], &[a("x1", 0, "LOC")]);
        assert_eq!(ids(&out), [("x1".into(), "LOC".into())]);
        assert_eq!(report.conflicts, ["x1"]);
    }

    #[test]
    fn the_same_new_id_in_both_tabs_is_two_annotations_not_a_conflict() {
        let (out, report) = run(&[], &[a("u1", 0, "PER")], &[a("u1", 4, "LOC")]);
        assert_eq!(ids(&out), [("u1".into(), "PER".into()), ("u1-2".into(), "LOC".into())]);
        assert!(report.conflicts.is_empty());
        // Merging the same work again changes nothing.
        let (again, _) = run(&out, &out, &out);
        assert_eq!(again, out);
    }
}
