//! Property tests of the session over random action sequences: undoing everything returns the first work,
//! redoing everything returns the last, and every state's export re-imports to itself in every format.

use proptest::prelude::*;
use sahifa_core::formats::Format;
use sahifa_core::session::{Action, LabelDef, Session};
use sahifa_core::{Annotation, Status};

/// Two paragraphs of the seed article: names, a date, a number, clitics.
fn text() -> String {
    let paras: Vec<&str> = sahifa_core::SEED_ARTICLE
        .split("\n\n")
        .filter(|p| p.chars().count() > 80)
        .take(2)
        .collect();
    paras.join("\n\n")
}

/// Word-aligned code-point spans of `text` (runs of non-space), each inside one paragraph.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// An action described by indices, resolved against the session it is applied to.
#[derive(Debug, Clone)]
enum Step {
    Add { word: usize, len: usize, label: usize, note: bool },
    Update { pick: usize, label: usize },
    Note { pick: usize },
    Remove { pick: usize },
    Accept { pick: usize },
    Reject { pick: usize },
    Import { word: usize, label: usize },
    Define,
    Undo,
    Redo,
    Toggle { label: usize },
}

const LABELS: [&str; 5] = ["PER", "LOC", "ORG", "MISC", "EVENT"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..200usize, 1..3usize, 0..5usize, any::<bool>())
            .prop_map(|(word, len, label, note)| Step::Add { word, len, label, note }),
        2 => (0..200usize, 0..5usize).prop_map(|(pick, label)| Step::Update { pick, label }),
        1 => (0..200usize).prop_map(|pick| Step::Note { pick }),
        2 => (0..200usize).prop_map(|pick| Step::Remove { pick }),
        2 => (0..200usize).prop_map(|pick| Step::Accept { pick }),
        2 => (0..200usize).prop_map(|pick| Step::Reject { pick }),
        1 => (0..200usize, 0..5usize).prop_map(|(word, label)| Step::Import { word, label }),
        1 => Just(Step::Define),
        2 => Just(Step::Undo),
        1 => Just(Step::Redo),
        1 => (0..5usize).prop_map(|label| Step::Toggle { label }),
    ]
}

fn pick(s: &Session, i: usize) -> Option<String> {
    let all = s.annotations();
    (!all.is_empty()).then(|| all[i % all.len()].id.clone())
}

/// The action a step means in `s` (None when it means nothing there, e.g. no annotation to pick).
fn resolve(s: &Session, words: &[(usize, usize)], step: &Step) -> Option<Action> {
    let label = |i: usize| LABELS[i].to_string();
    Some(match *step {
        Step::Add { word, len, label: l, note } => {
            let (start, _) = words[word % words.len()];
            let (_, end) = words[(word % words.len() + len - 1).min(words.len() - 1)];
            Action::Add { start, end, label: label(l), note: note.then(|| "ملاحظة =1".into()) }
        }
        Step::Update { pick: p, label: l } => Action::Update { id: pick(s, p)?, label: Some(label(l)), note: None },
        Step::Note { pick: p } => Action::Update { id: pick(s, p)?, label: None, note: Some(Some("تدقيق".into())) },
        Step::Remove { pick: p } => Action::Remove { id: pick(s, p)? },
        Step::Accept { pick: p } => Action::Accept { id: pick(s, p)? },
        Step::Reject { pick: p } => Action::Reject { id: pick(s, p)? },
        Step::Import { word, label: l } => {
            let (start, end) = words[word % words.len()];
            let quote = s.article.slice(start, end)?;
            let csv = format!("start,end,type,text,entity,source,note\n{start},{end},{},{quote},,user,\n", label(l));
            s.import(Format::Csv, &csv).ok()?.0
        }
        Step::Define => Action::DefineLabel(LabelDef { name: "EVENT".into(), color: "#c0c".into(), key: Some('7') }),
        Step::Undo => Action::Undo,
        Step::Redo => Action::Redo,
        Step::Toggle { label: l } => Action::ToggleType(label(l)),
    })
}

/// What a format carries of an annotation, for comparing a state with its re-import.
fn carried(f: Format, a: &Annotation) -> (usize, usize, String, Option<String>, Option<(&'static str, String)>) {
    let note = match f {
        Format::Conll => None,
        _ => a.note.clone(),
    };
    let review = match f {
        Format::Conll => None,
        _ => Some((a.source.as_str(), format!("{:?}", a.status))),
    };
    (a.start, a.end, a.label.clone(), note, review)
}

fn check_round_trips(s: &Session) -> Result<(), TestCaseError> {
    for f in Format::ALL {
        let exported = s.export(f, "article");
        let mut fresh = Session::new(s.article.text.clone(), vec![], true);
        for l in s.labels().iter() {
            if let Ok(next) = fresh.apply(Action::DefineLabel(l.clone())) {
                fresh = next;
            }
        }
        if s.kept().next().is_some() {
            let (action, report) = fresh
                .import(f, &exported)
                .map_err(|e| TestCaseError::fail(format!("{f:?} re-import failed: {e}\n{exported}")))?;
            prop_assert!(report.orphans.is_empty(), "{:?} orphans {:?}", f, report.orphans);
            fresh = fresh.apply(action).map_err(|e| TestCaseError::fail(format!("{f:?}: {e}")))?;
        }
        // Every format: what is exported re-imports to an identical export.
        prop_assert_eq!(fresh.export(f, "article"), exported.clone(), "{:?} is not a fixpoint", f);
        // Formats that carry every span: the same spans, labels, notes and review state (source, status).
        if f != Format::Conll {
            let mut want: Vec<_> = s.kept().map(|a| carried(f, a)).collect();
            let mut got: Vec<_> = fresh.kept().map(|a| carried(f, a)).collect();
            want.sort();
            got.sort();
            prop_assert_eq!(got, want, "{:?}", f);
            // ...and rejected suggestions come back rejected, not as suggestions.
            let rejected = |x: &Session| {
                let mut v: Vec<_> = x.annotations().iter().filter(|a| a.status == Status::Rejected).map(|a| carried(f, a)).collect();
                v.sort();
                v
            };
            prop_assert_eq!(rejected(&fresh), rejected(s), "{:?} rejected", f);
        }
    }
    Ok(())
}

fn work(s: &Session) -> (Vec<Annotation>, Vec<String>, usize) {
    (
        s.annotations().iter().map(|a| (**a).clone()).collect(),
        s.labels().iter().map(|l| l.name.clone()).collect(),
        s.orphans().len(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_returns_the_first_work_and_redoing_as_many_the_last(steps in prop::collection::vec(step(), 1..25)) {
        let text = text();
        let words = words(&text);
        let first = Session::new(text.clone(), sahifa_core::extract(&text), true);
        let mut s = first.clone();
        let mut defined = false;
        for st in &steps {
            if let Some(action) = resolve(&s, &words, st) {
                defined |= matches!(action, Action::DefineLabel(_));
                if let Ok(next) = s.apply(action) {
                    s = next;
                }
            }
        }
        let last = s.clone();
        let mut undone = 0;
        while let Ok(prev) = s.apply(Action::Undo) {
            s = prev;
            undone += 1;
        }
        let (a0, mut l0, o0) = work(&first);
        if defined {
            l0.push("EVENT".into()); // a defined label belongs to every version
        }
        prop_assert_eq!(work(&s), (a0, l0, o0));
        for _ in 0..undone {
            s = s.apply(Action::Redo).expect("every undone step can be redone");
        }
        prop_assert_eq!(work(&s), work(&last));
    }

    #[test]
    fn every_state_exports_and_reimports_to_itself(steps in prop::collection::vec(step(), 1..12)) {
        let text = text();
        let words = words(&text);
        let mut s = Session::new(text.clone(), sahifa_core::extract(&text), true);
        check_round_trips(&s)?;
        for st in &steps {
            if let Some(action) = resolve(&s, &words, st) {
                if let Ok(next) = s.apply(action) {
                    s = next;
                    check_round_trips(&s)?;
                }
            }
        }
    }
}
