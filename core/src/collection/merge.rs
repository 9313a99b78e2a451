//! Two tabs on one collection: an article saved by another tab since this one last read it is merged,
//! never overwritten.
//!
//! The shell stores each article with a revision and writes it only if the stored revision is the one it
//! last read (a compare-and-set in one IndexedDB transaction). When it is not, another tab saved in
//! between, and the shell merges with [`merge_entry`]: three ways, against the entry both tabs last agreed
//! on, with the same annotation merge the single-article widget uses between tabs
//! ([`crate::session::MergeReport`]). Why a three-way merge by annotation id rather than "last save wins"
//! or a plain union: a plain union cannot tell a mark the other tab deleted from one this tab added, and
//! last-save-wins loses the other annotator's work. By id, a side that did not touch a mark takes the
//! other side's version (edit, deletion, addition); when both changed the same mark differently both
//! versions are kept and counted as conflicts, so the annotator sees them (the widget's conflict banner)
//! instead of one silently winning. The merge is decided by content, not by which tab runs it, so both
//! tabs reach the same entry and stop saving.

use super::{CollectionError, Entry};
use crate::annotation::Annotation;
use crate::session::{merge_annotations, MergeReport, Snapshot};

/// `ours` and `theirs`, both made from `base` (the entry as both tabs last agreed on it; `None` when
/// this tab never read a stored version), merged. Refused when they are not the same article (another
/// text under the same position or id).
pub fn merge_entry(base: Option<&Entry>, ours: &Entry, theirs: &Entry) -> Result<(Entry, MergeReport), CollectionError> {
    if ours.id != theirs.id || ours.text != theirs.text {
        return Err(CollectionError::Article {
            id: ours.id.clone(),
            reason: format!("another tab saved another article ({:?}) in its place", theirs.id),
        });
    }
    let mut out = ours.clone();
    let mut report = MergeReport::default();
    out.work = match (&ours.work, &theirs.work) {
        (None, w) | (w, None) => w.clone(),
        (Some(o), Some(t)) => {
            let base_list: &[Annotation] = base.and_then(|b| b.work.as_ref()).map_or(&[], |w| &w.annotations);
            let mine: Vec<&Annotation> = o.annotations.iter().collect();
            let (mut annotations, labels, r) = merge_annotations(base_list, &mine, &t.annotations, &o.labels, &t.labels);
            annotations.sort_by(|a, b| (a.start, std::cmp::Reverse(a.end), &a.id).cmp(&(b.start, std::cmp::Reverse(b.end), &b.id)));
            report = r;
            Some(Snapshot { schema: o.schema, annotations, labels, rev: None, parent: None })
        }
    };
    // The done flag and the metadata: a side that left them as they were takes the other's.
    let base_done = base.map(|b| b.done);
    if base_done == Some(ours.done) || base.is_none() && theirs.done {
        out.done = theirs.done;
    }
    if base.is_some_and(|b| b.meta == ours.meta) {
        out.meta = theirs.meta.clone();
    }
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Source, Status};
    use crate::session::SNAPSHOT_SCHEMA;

    const TEXT: &str = "زار محمد علي القاهرة أمس مع وفد من شركة مصر للطيران";

    fn mark(id: &str, start: usize, end: usize, label: &str) -> Annotation {
        let text: String = TEXT.chars().skip(start).take(end - start).collect();
        let mut a = Annotation::user(id, start, end, label, text);
        a.status = Status::Accepted;
        assert_eq!(a.source, Source::User);
        a
    }

    fn entry(marks: &[Annotation], done: bool) -> Entry {
        let mut e = Entry::new("a", TEXT);
        e.work = Some(Snapshot { schema: SNAPSHOT_SCHEMA, annotations: marks.to_vec(), labels: vec![], rev: None, parent: None });
        e.done = done;
        e
    }

    fn ids(e: &Entry) -> Vec<(String, String)> {
        e.annotations().iter().map(|a| (a.id.clone(), a.label.clone())).collect()
    }

    #[test]
    fn each_tab_adds_a_mark_and_both_are_kept() {
        let base = entry(&[mark("u1", 4, 8, "PER")], false);
        let ours = entry(&[mark("u1", 4, 8, "PER"), mark("u2", 13, 20, "LOC")], false);
        let theirs = entry(&[mark("u1", 4, 8, "PER"), mark("t1", 41, 44, "ORG")], false);
        let (m, r) = merge_entry(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(ids(&m), [("u1".into(), "PER".into()), ("u2".into(), "LOC".into()), ("t1".into(), "ORG".into())]);
        assert!(r.conflicts.is_empty());
        // The other tab reaches the same entry.
        let (m2, _) = merge_entry(Some(&base), &theirs, &ours).unwrap();
        assert_eq!(m.work, m2.work);
    }

    #[test]
    fn a_deletion_by_one_tab_is_not_undone_by_the_other() {
        let base = entry(&[mark("u1", 4, 8, "PER"), mark("u2", 13, 20, "LOC")], false);
        let ours = entry(&[mark("u1", 4, 8, "PER")], false);
        let (m, r) = merge_entry(Some(&base), &ours, &base).unwrap();
        assert_eq!(ids(&m), [("u1".into(), "PER".into())]);
        assert_eq!(r.taken, 0);
        let (m, r) = merge_entry(Some(&base), &base, &ours).unwrap();
        assert_eq!(ids(&m), [("u1".into(), "PER".into())]);
        assert_eq!(r.taken, 1);
    }

    #[test]
    fn the_same_mark_changed_differently_is_kept_twice_and_reported() {
        let base = entry(&[mark("u1", 4, 8, "PER")], false);
        let ours = entry(&[mark("u1", 4, 8, "ORG")], false);
        let theirs = entry(&[mark("u1", 4, 8, "LOC")], false);
        let (m, r) = merge_entry(Some(&base), &ours, &theirs).unwrap();
        let mut labels: Vec<String> = m.annotations().iter().map(|a| a.label.clone()).collect();
        labels.sort();
        assert_eq!(labels, ["LOC", "ORG"]);
        assert_eq!(r.conflicts.len(), 1);
        let (m2, _) = merge_entry(Some(&base), &theirs, &ours).unwrap();
        assert_eq!(m.work, m2.work, "both tabs settle on the same entry");
    }

    #[test]
    fn done_follows_the_side_that_changed_it() {
        let base = entry(&[], false);
        let (m, _) = merge_entry(Some(&base), &base, &entry(&[], true)).unwrap();
        assert!(m.done);
        let (m, _) = merge_entry(Some(&entry(&[], true)), &entry(&[], false), &entry(&[], true)).unwrap();
        assert!(!m.done, "this tab un-ticked it; the other did not touch it");
    }

    #[test]
    fn no_common_base_unites_both_sides() {
        let ours = entry(&[mark("u1", 4, 8, "PER")], false);
        let theirs = entry(&[mark("t1", 41, 44, "ORG")], true);
        let (m, _) = merge_entry(None, &ours, &theirs).unwrap();
        assert_eq!(m.annotations().len(), 2);
        assert!(m.done);
        let (m, _) = merge_entry(None, &Entry::new("a", TEXT), &theirs).unwrap();
        assert_eq!(m.annotations().len(), 1, "work saved elsewhere on an article never opened here is taken");
    }

    #[test]
    fn another_article_in_its_place_is_refused() {
        let other = Entry::new("b", "نص آخر");
        assert!(merge_entry(None, &entry(&[], false), &other).is_err());
    }
}
