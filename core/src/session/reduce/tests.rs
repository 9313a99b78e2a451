//! One test (at least) per action, and one per defect the session ended.

use super::*;

const TEXT: &str = "زار ماكرون باريس 😀 في 2020.\n\nثم عاد إلى فرنسا.";

fn session() -> Session {
    Session::new(TEXT.to_string(), crate::extract(TEXT), true)
}

/// The same article before the machine has suggested anything.
fn bare() -> Session {
    Session::new(TEXT.to_string(), vec![], true)
}

fn add(s: &Session, start: usize, end: usize, label: &str) -> Result<Session, Refused> {
    s.apply(Action::Add {
        start,
        end,
        label: label.into(),
        note: Some("ملاحظة".into()),
    })
}

/// Code-point offsets of `needle` in `TEXT`.
fn span(needle: &str) -> (usize, usize) {
    let b = TEXT.find(needle).expect("in the text");
    let s = TEXT[..b].chars().count();
    (s, s + needle.chars().count())
}

fn suggestion(s: &Session) -> Annotation {
    s.annotations()
        .iter()
        .find(|a| a.source == Source::Extractor)
        .map(|a| (**a).clone())
        .expect("the core finds something here")
}

#[test]
fn load_starts_afresh() {
    let s = add(&session(), 4, 10, "PER").unwrap();
    let loaded = s
        .apply(Action::Load {
            text: "نص آخر".into(),
            annotations: vec![],
            extracted: false,
        })
        .unwrap();
    assert_eq!(loaded.article.text, "نص آخر");
    assert!(loaded.annotations().is_empty() && !loaded.can_undo() && !loaded.is_extracted());
}

#[test]
fn add_undo_redo_round_trip() {
    let s0 = bare();
    assert_eq!(s0.next_user_id(), "u1");
    let s1 = add(&s0, 4, 10, "PER").unwrap();
    let added = s1.find("u1").expect("added");
    assert_eq!(added.text, "ماكرون");
    assert_eq!(added.source, Source::User);
    assert_eq!(added.note.as_deref(), Some("ملاحظة"));
    assert!(!added.entity.is_empty());
    assert_eq!(s1.selected.as_deref(), Some("u1"));
    assert_eq!(s1.next_user_id(), "u2");
    let s2 = s1.apply(Action::Undo).unwrap();
    assert_eq!(s2.annotations(), s0.annotations());
    let s3 = s2.apply(Action::Redo).unwrap();
    assert_eq!(s3.annotations(), s1.annotations());
}

#[test]
fn invalid_adds_are_refused_with_a_reason() {
    let s0 = session();
    assert_eq!(add(&s0, 5, 5, "PER").unwrap_err(), Refused::EmptyRange { start: 5, end: 5 });
    assert!(matches!(add(&s0, 6, 2, "PER"), Err(Refused::EmptyRange { .. })));
    assert!(matches!(add(&s0, 0, 999, "PER"), Err(Refused::OutOfRange { len, .. }) if len == s0.article.len_chars));
    assert!(matches!(add(&s0, 0, 3, "NOPE"), Err(Refused::UnknownLabel { .. })));
}

#[test]
fn a_span_across_paragraphs_is_refused() {
    let (s, _) = span("2020");
    let (_, e) = span("ثم عاد");
    assert_eq!(
        add(&session(), s, e, "MISC").unwrap_err(),
        Refused::CrossesParagraph { start: s, end: e }
    );
}

#[test]
fn emoji_does_not_shift_code_point_offsets() {
    let (s, e) = span("2020");
    let s1 = add(&Session::new(TEXT.into(), vec![], true), s, e, "DATE").unwrap();
    assert_eq!(s1.find("u1").unwrap().text, "2020");
}

#[test]
fn marking_exactly_a_suggestion_retypes_it_instead_of_stacking_a_duplicate() {
    let s0 = session();
    let sug = suggestion(&s0);
    let other = if sug.label == "ORG" { "MISC" } else { "ORG" };
    let s1 = add(&s0, sug.start, sug.end, other).unwrap();
    assert_eq!(s1.annotations().len(), s0.annotations().len(), "no second mark");
    let a = s1.find(&sug.id).unwrap();
    assert_eq!((a.label.as_str(), a.source, a.status), (other, Source::User, Status::Accepted));
    assert_eq!(s1.selected.as_deref(), Some(sug.id.as_str()));
    // The same label again changes nothing and says so.
    assert!(matches!(add(&s1, sug.start, sug.end, other), Err(Refused::Duplicate { .. })));
    // Marking a suggestion's span with its own label accepts it.
    let s2 = s0
        .apply(Action::Add { start: sug.start, end: sug.end, label: sug.label.clone(), note: None })
        .unwrap();
    assert_eq!(s2.find(&sug.id).unwrap().status, Status::Accepted);
}

#[test]
fn reject_hides_and_accept_adopts_a_suggestion() {
    let s0 = session();
    let id = suggestion(&s0).id;
    let rejected = s0.apply(Action::Reject { id: id.clone() }).unwrap();
    assert_eq!(rejected.find(&id).unwrap().status, Status::Rejected);
    assert!(rejected.visible().all(|a| a.id != id));
    assert!(rejected.kept().all(|a| a.id != id), "export leaves it out too");
    assert_eq!(rejected.apply(Action::Reject { id: id.clone() }).unwrap_err(), Refused::Unchanged);
    let accepted = s0.apply(Action::Accept { id: id.clone() }).unwrap();
    let a = accepted.find(&id).unwrap();
    assert_eq!((a.status, a.source), (Status::Accepted, Source::User));
    assert_eq!(accepted.apply(Action::Accept { id: id.clone() }).unwrap_err(), Refused::Unchanged);
    assert_eq!(accepted.apply(Action::Undo).unwrap().annotations(), s0.annotations());
}

#[test]
fn reject_refuses_a_users_annotation_and_unknown_ids() {
    let s1 = add(&bare(), 4, 10, "PER").unwrap();
    assert_eq!(s1.apply(Action::Reject { id: "u1".into() }).unwrap_err(), Refused::NotASuggestion("u1".into()));
    for action in [
        Action::Reject { id: "nope".into() },
        Action::Accept { id: "nope".into() },
        Action::Remove { id: "nope".into() },
        Action::Update { id: "nope".into(), label: None, note: Some(None) },
        Action::Select(Some("nope".into())),
    ] {
        assert_eq!(s1.apply(action).unwrap_err(), Refused::NoSuchAnnotation("nope".into()));
    }
}

#[test]
fn update_label_and_note_then_remove() {
    let s1 = add(&bare(), 4, 10, "PER").unwrap();
    let s2 = s1
        .apply(Action::Update { id: "u1".into(), label: Some("ORG".into()), note: Some(None) })
        .unwrap();
    let a = s2.find("u1").unwrap();
    assert_eq!((a.label.as_str(), a.note.clone()), ("ORG", None));
    assert_eq!(
        s2.apply(Action::Update { id: "u1".into(), label: Some("ORG".into()), note: None }).unwrap_err(),
        Refused::Unchanged
    );
    let s3 = s2.apply(Action::Remove { id: "u1".into() }).unwrap();
    assert!(s3.find("u1").is_none());
    assert_eq!(s3.selected, None);
}

#[test]
fn relabelling_moves_the_annotation_to_an_entity_of_its_new_type() {
    let s0 = session();
    let sug = s0
        .annotations()
        .iter()
        .find(|a| a.label == "PER")
        .map(|a| (**a).clone())
        .expect("a person is suggested");
    assert!(sug.entity.starts_with("PER:"));
    let s1 = s0
        .apply(Action::Update { id: sug.id.clone(), label: Some("ORG".into()), note: None })
        .unwrap();
    let a = s1.find(&sug.id).unwrap();
    assert!(a.entity.starts_with("ORG:"), "entity {:?} after a relabel to ORG", a.entity);
}

#[test]
fn import_is_one_step_and_undo_takes_back_its_labels_and_orphans() {
    let s0 = session();
    let (s, e) = span("فرنسا");
    let data = format!(
        "start,end,type,text,entity,source,note\n{s},{e},EVENT,فرنسا,,user,\n0,3,PER,غائب تماما,,user,\n"
    );
    let (action, report) = s0.import(Format::Csv, &data).unwrap();
    // فرنسا is suggested already: the import retypes that mark (one span, one mark) rather than adding one.
    assert_eq!((report.added, report.updated, report.orphans.len()), (0, 1, 1));
    let s1 = s0.apply(action).unwrap();
    assert!(s1.has_label("EVENT"));
    assert_eq!(s1.orphans().len(), 1);
    assert_eq!(s1.annotations().len(), s0.annotations().len());
    let at: Vec<_> = s1.annotations().iter().filter(|a| (a.start, a.end) == (s, e)).collect();
    assert_eq!(at.len(), 1);
    assert_eq!((at[0].label.as_str(), at[0].source, at[0].status), ("EVENT", Source::User, Status::Accepted));
    let undone = s1.apply(Action::Undo).unwrap();
    assert_eq!(undone.annotations(), s0.annotations());
    assert!(!undone.has_label("EVENT"), "the import's label goes with it");
    assert_eq!(undone.orphans(), s0.orphans());
    let redone = undone.apply(Action::Redo).unwrap();
    assert!(redone.has_label("EVENT"));
}

#[test]
fn imported_spans_across_paragraphs_and_bad_labels_become_orphans() {
    let s0 = Session::new(TEXT.into(), vec![], true);
    let (s, _) = span("2020");
    let (_, e) = span("ثم");
    let (fs, fe) = span("فرنسا");
    let csv = format!(
        "start,end,type,text,entity,source,note\n{s},{e},MISC,,,user,\n{fs},{fe},TWO WORDS,فرنسا,,user,\n{fs},{fe},LOC,فرنسا,,user,\n"
    );
    let (action, report) = s0.import(Format::Csv, &csv).unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(report.orphans.len(), 2, "{:?}", report.orphans);
    let s1 = s0.apply(action).unwrap();
    assert!(!s1.has_label("TWO WORDS"));
    assert_eq!(s1.orphans().len(), 2);
    let dismissed = s1.apply(Action::DismissOrphans).unwrap();
    assert!(dismissed.orphans().is_empty());
    assert_eq!(dismissed.apply(Action::DismissOrphans).unwrap_err(), Refused::Unchanged);
}

#[test]
fn user_labels_are_validated_and_survive_undo() {
    let s0 = session();
    let event = LabelDef { name: "EVENT".into(), color: "#f00".into(), key: Some('7') };
    let s1 = add(&s0, 4, 10, "PER").unwrap();
    let s2 = s1.apply(Action::DefineLabel(event.clone())).unwrap();
    assert!(s2.has_label("EVENT"));
    assert!(s2.apply(Action::Undo).unwrap().has_label("EVENT"), "a defined label is not undone");
    for bad in [
        LabelDef { name: "two words".into(), ..event.clone() },
        LabelDef { name: "LOC".into(), ..event.clone() },
        LabelDef { key: Some('1'), ..event.clone() },
    ] {
        assert!(matches!(s0.apply(Action::DefineLabel(bad)), Err(Refused::Label(_))));
    }
    assert_eq!(s2.apply(Action::DefineLabel(event)).unwrap_err(), Refused::Unchanged);
}

#[test]
fn restore_continues_user_ids_and_refuses_a_save_for_another_text() {
    let s1 = add(&bare(), 4, 10, "PER").unwrap();
    let snap = Snapshot::from_json(&s1.snapshot_json()).unwrap();
    assert_eq!(snap, s1.snapshot());
    let restored = bare().apply(Action::Restore(snap.clone())).unwrap();
    assert_eq!(restored.annotations(), s1.annotations());
    assert!(restored.is_extracted());
    let s2 = add(&restored, 11, 16, "LOC").unwrap();
    assert!(s2.find("u2").is_some(), "new ids do not collide with restored ones");
    let other = Session::new("نص مختلف تماما عن المقال الأول وطويل بما يكفي".into(), vec![], true);
    assert!(matches!(
        other.apply(Action::Restore(snap)),
        Err(Refused::Snapshot(SnapshotError::DoesNotFit { .. }))
    ));
}

#[test]
fn late_suggestions_and_relinking_survive_undo_and_redo() {
    let s0 = Session::new(TEXT.to_string(), Vec::new(), false);
    let s1 = add(&s0, 4, 10, "PER").unwrap();
    let late = crate::extract(TEXT).into_iter().next().expect("the core finds something");
    let s2 = s1.apply(Action::Suggest { annotations: vec![late.clone()], last: true }).unwrap();
    assert!(s2.is_extracted());
    let s3 = s2
        .apply(Action::Relink(vec![(late.id.clone(), "LOC:relinked".into(), "relinked".into())]))
        .unwrap();
    let undone = s3.apply(Action::Undo).unwrap();
    assert!(undone.find("u1").is_none(), "the user's edit is undone");
    let kept = undone.find(&late.id).expect("a later suggestion survives undo");
    assert_eq!(kept.entity, "LOC:relinked", "and so does its relinking");
    let redone = undone.apply(Action::Redo).unwrap();
    assert!(redone.find("u1").is_some());
    assert_eq!(redone.find(&late.id).unwrap().entity, "LOC:relinked");
}

#[test]
fn view_actions_are_not_edits() {
    let s0 = session();
    let label = s0.annotations()[0].label.clone();
    let hidden = s0.apply(Action::ToggleType(label.clone())).unwrap();
    assert!(hidden.visible().all(|a| a.label != label));
    assert_eq!(hidden.kept().count(), s0.kept().count(), "hidden from view, not from export");
    assert!(!hidden.can_undo());
    let id = s0.annotations()[0].id.clone();
    let selected = s0.apply(Action::Select(Some(id.clone()))).unwrap();
    assert_eq!(selected.selected, Some(id));
    let failed = s0.apply(Action::StorageStatus(Some("quota".into()))).unwrap();
    assert_eq!(failed.storage_error.as_deref(), Some("quota"));
    assert_eq!(failed.apply(Action::StorageStatus(Some("quota".into()))).unwrap_err(), Refused::Unchanged);
    assert_eq!(s0.apply(Action::Undo).unwrap_err(), Refused::NothingToUndo);
    assert_eq!(s0.apply(Action::Redo).unwrap_err(), Refused::NothingToRedo);
}

/// A long article: the seed repeated past ONE_GO, in paragraphs.
fn long_article() -> String {
    let mut text = String::new();
    while text.chars().count() <= super::super::ONE_GO {
        text.push_str(crate::SEED_ARTICLE);
        text.push_str("\n\n");
    }
    text.trim_end().to_string()
}

#[test]
fn grouped_extraction_equals_what_the_groups_hold() {
    let mut s = Session::new(long_article(), vec![], false);
    let mut run = super::super::GroupedExtraction::new(&s.article);
    assert!(run.len() > 1);
    let article = s.article.clone();
    while let Some(action) = run.next_action(&article) {
        s = s.apply(action).unwrap();
    }
    assert!(s.is_extracted());
    let relink = run.finish().expect("more than one group is relinked");
    s = s.apply(relink).unwrap();
    for a in s.annotations().iter() {
        assert_eq!(s.article.slice(a.start, a.end), Some(a.text.as_str()), "{a:?}");
    }
    // Entity ids span groups: the seed's first person is one entity in every copy.
    let first = &s.annotations()[0];
    let same: Vec<_> = s.annotations().iter().filter(|a| a.text == first.text).collect();
    assert!(same.len() > 1 && same.iter().all(|a| a.entity == first.entity));
}

#[test]
fn relinking_type_by_type_gives_the_same_ids_as_relinking_at_once() {
    let mut text = String::new();
    while text.chars().count() <= 2 * super::super::ONE_GO {
        text.push_str(crate::SEED_ARTICLE);
        text.push_str("\n\n");
    }
    let text = text.trim_end().to_string();
    let extract = || {
        let mut s = Session::new(text.clone(), vec![], false);
        let article = s.article.clone();
        let mut run = super::super::GroupedExtraction::new(&article);
        while let Some(action) = run.next_action(&article) {
            s = s.apply(action).unwrap();
        }
        (s, run)
    };
    let (at_once, run) = extract();
    let at_once = at_once.apply(run.finish().expect("several groups")).unwrap();
    let (mut stepwise, run) = extract();
    let steps: Vec<Action> = run.relink_steps().collect();
    assert!(steps.len() > 1, "one step a type");
    for step in steps {
        stepwise = stepwise.apply(step).unwrap();
    }
    assert_eq!(stepwise.annotations(), at_once.annotations());
}

#[test]
fn extraction_elsewhere_gives_the_same_actions() {
    // What a Web Worker does: each group's text extracted apart, the results sent back as JSON and taken
    // in order. The actions must be exactly those of extracting here.
    let s = Session::new(long_article(), vec![], false);
    let article = s.article.clone();
    let mut here = super::super::GroupedExtraction::new(&article);
    let mut there = super::super::GroupedExtraction::new(&article);
    let texts = there.remaining_texts(&article);
    assert_eq!(texts.len(), here.len());
    assert!(texts.len() > 1);
    for t in texts {
        let json = serde_json::to_string(&crate::extract(t)).unwrap();
        let found: Vec<crate::Annotation> = serde_json::from_str(&json).unwrap();
        let theirs = there.take(found);
        assert_eq!(Some(theirs), here.next_action(&article));
    }
    assert_eq!(here.next_action(&article), None);
    assert!(there.remaining_texts(&article).is_empty());
    assert_eq!(there.finish(), here.finish());
}

#[test]
fn a_short_article_with_no_findings_counts_as_extracted() {
    // Before the session knew, a shell re-extracted an article whose extraction had found nothing.
    let s = Session::extracted_if_short("لا شيء هنا.".to_string());
    assert!(s.annotations().is_empty());
    assert!(s.is_extracted());
    let long = "كلمة ".repeat(super::super::ONE_GO / 4);
    assert!(!Session::extracted_if_short(long).is_extracted());
}

#[test]
fn every_action_kind_answers_its_three_questions() {
    use super::super::ActionKind;
    let edits = [
        ActionKind::Add,
        ActionKind::Update,
        ActionKind::Remove,
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::ReviewEntity,
        ActionKind::Import,
        ActionKind::Undo,
        ActionKind::Redo,
        ActionKind::Merge,
    ];
    let all = [
        ActionKind::Merge,
        ActionKind::ReviewEntity,
        ActionKind::Load,
        ActionKind::Add,
        ActionKind::Update,
        ActionKind::Remove,
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Import,
        ActionKind::Suggest,
        ActionKind::Relink,
        ActionKind::Restore,
        ActionKind::StorageStatus,
        ActionKind::DefineLabel,
        ActionKind::Undo,
        ActionKind::Redo,
        ActionKind::ToggleType,
        ActionKind::Select,
        ActionKind::DismissOrphans,
    ];
    let names: std::collections::HashSet<_> = all.iter().map(|k| k.name()).collect();
    assert_eq!(names.len(), all.len(), "names are distinct");
    for k in all {
        assert_eq!(k.is_edit(), edits.contains(&k), "{k:?}");
        // Every edit is saved; so are labels; nothing else is.
        assert_eq!(k.persists(), k.is_edit() || k == ActionKind::DefineLabel, "{k:?}");
    }
}

#[test]
fn another_tabs_work_merges_into_every_version_and_undo_keeps_it() {
    // Two tabs on one article, both from the same saved work.
    let base = bare();
    let saved = base.snapshot();
    let (fs, fe) = span("فرنسا");
    let (ds, de) = span("2020");
    // This tab adds a date; the other tab adds a place and saves.
    let ours = add(&base, ds, de, "DATE").unwrap();
    let theirs_tab = base
        .apply(Action::Add { start: fs, end: fe, label: "LOC".into(), note: None })
        .unwrap();
    let merged = ours
        .apply(Action::Merge { base: saved.annotations.clone(), theirs: theirs_tab.snapshot() })
        .unwrap();
    let texts: Vec<&str> = merged
        .annotations()
        .iter()
        .filter(|a| a.source == Source::User)
        .map(|a| a.text.as_str())
        .collect();
    assert!(texts.contains(&"فرنسا") && texts.contains(&"2020"), "{texts:?}");
    assert_eq!(merged.last_merge.as_ref().map(|r| r.conflicts.len()), Some(0));
    // Both tabs numbered their annotation u1: two annotations, and the next id is past both.
    assert_eq!(merged.annotations().len(), base.annotations().len() + 2);
    assert_eq!(merged.next_user_id(), "u2");
    // Undo takes back this tab's own edit, not the other tab's.
    let undone = merged.apply(Action::Undo).unwrap();
    let left: Vec<&str> = undone
        .annotations()
        .iter()
        .filter(|a| a.source == Source::User)
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(left, ["فرنسا"]);
    // After a merge both tabs agree on what the other saved: merging it again changes nothing.
    let agreed = theirs_tab.snapshot().annotations;
    assert_eq!(
        merged
            .apply(Action::Merge { base: agreed, theirs: theirs_tab.snapshot() })
            .unwrap_err(),
        Refused::Unchanged
    );
}

#[test]
fn a_true_conflict_between_tabs_keeps_both_and_is_reported() {
    let base = session();
    let saved = base.snapshot();
    let sug = suggestion(&base);
    let ours = base
        .apply(Action::Update { id: sug.id.clone(), label: Some("MISC".into()), note: None })
        .unwrap();
    let theirs = base.apply(Action::Reject { id: sug.id.clone() }).unwrap();
    let merged = ours
        .apply(Action::Merge { base: saved.annotations, theirs: theirs.snapshot() })
        .unwrap();
    assert_eq!(merged.last_merge.as_ref().unwrap().conflicts, [sug.id.clone()]);
    assert_eq!(merged.find(&sug.id).unwrap().label, "MISC");
    assert_eq!(merged.find(&format!("{}-2", sug.id)).unwrap().status, Status::Rejected);
}

#[test]
fn reviewing_an_entity_accepts_or_rejects_its_open_suggestions_in_one_step() {
    let s0 = session();
    let sug = suggestion(&s0);
    let mentions = |s: &Session| -> Vec<(Source, Status)> {
        s.annotations().iter().filter(|a| a.entity == sug.entity).map(|a| (a.source, a.status)).collect()
    };
    let accepted = s0.apply(Action::ReviewEntity { entity: sug.entity.clone(), accept: true }).unwrap();
    assert!(mentions(&accepted).iter().all(|&m| m == (Source::User, Status::Accepted)));
    assert_eq!(
        accepted.apply(Action::ReviewEntity { entity: sug.entity.clone(), accept: false }).unwrap_err(),
        Refused::Unchanged,
        "nothing left to review"
    );
    let rejected = s0.apply(Action::ReviewEntity { entity: sug.entity.clone(), accept: false }).unwrap();
    assert!(mentions(&rejected).iter().all(|&(_, st)| st == Status::Rejected));
    assert_eq!(rejected.apply(Action::Undo).unwrap().annotations(), s0.annotations(), "one undo step");
    let counts = s0.label_counts();
    assert_eq!(counts.len(), 6);
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), s0.kept().count());
}

#[test]
fn an_imported_user_id_is_not_handed_out_again() {
    // Found by the session fuzz target: an import brought `u1` into a session whose next id was `u1`.
    let s0 = bare();
    let (fs, fe) = span("فرنسا");
    let other = add(&bare(), fs, fe, "LOC").unwrap();
    let (action, _) = s0.import(Format::W3c, &other.export(Format::W3c, "a")).unwrap();
    let s1 = s0.apply(action).unwrap();
    assert!(s1.find("u1").is_some(), "the import kept its id");
    let (ds, de) = span("2020");
    let s2 = add(&s1, ds, de, "DATE").unwrap();
    let ids: Vec<&str> = s2.annotations().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1], "{ids:?}");
}

#[test]
fn review_progress_counts_decisions_and_open_suggestions() {
    let s0 = session();
    let n = s0.annotations().len();
    assert!(n >= 2, "the machine finds several names here");
    assert_eq!(s0.review_progress(), (0, n), "nothing decided yet");
    let id = suggestion(&s0).id;
    let accepted = s0.apply(Action::Accept { id: id.clone() }).unwrap();
    assert_eq!(accepted.review_progress(), (1, n - 1));
    let other = accepted
        .annotations()
        .iter()
        .find(|a| a.status == Status::Suggested)
        .map(|a| a.id.clone())
        .unwrap();
    let rejected = accepted.apply(Action::Reject { id: other }).unwrap();
    assert_eq!(rejected.review_progress().0, 2, "a rejection is a decision too");
    let (start, end) = span("عاد");
    let added = add(&rejected, start, end, "MISC").unwrap();
    let (decided, open) = added.review_progress();
    assert_eq!(decided, 3, "the annotator's own mark counts as decided");
    assert_eq!(decided + open, added.annotations().len());
    assert_eq!(added.apply(Action::Undo).unwrap().review_progress(), rejected.review_progress());
}
