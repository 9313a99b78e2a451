//! Review state survives export and import (issue 16, item 4): in a session where one suggestion is
//! accepted, one rejected, one retyped and one span added by the user with a note, an export re-imported into
//! a fresh session of the same article (with the machine's fresh suggestions) gives back the same work.

use sahifa_core::formats::{export_with, import, ExportScope, Format, CONLL_REVIEWED_ONLY};
use sahifa_core::session::{Action, Session};
use sahifa_core::{extract, tokenize, Annotation, Source, Status};

type Carried = (usize, usize, String, Source, Status, Option<String>);

fn carried(a: &Annotation) -> Carried {
    (
        a.start,
        a.end,
        a.label.clone(),
        a.source,
        a.status,
        a.note.clone(),
    )
}

fn sorted(mut v: Vec<Carried>) -> Vec<Carried> {
    v.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    v
}

fn kept(s: &Session) -> Vec<Carried> {
    sorted(s.kept().map(|a| carried(a)).collect())
}

/// The annotator's decisions: the user's annotations and reviewed suggestions.
fn decisions(s: &Session) -> Vec<Carried> {
    sorted(
        s.annotations()
            .iter()
            .filter(|a| a.source == Source::User || a.status != Status::Suggested)
            .map(|a| carried(a))
            .collect(),
    )
}

fn reviewed(s: &Session) -> Vec<Carried> {
    sorted(
        s.annotations()
            .iter()
            .filter(|a| a.status == Status::Accepted)
            .map(|a| carried(a))
            .collect(),
    )
}

/// Whether `start..end` comes back as itself through CoNLL (token-aligned, proclitics left out), so the
/// same spans serve every format.
fn token_exact(text: &str, start: usize, end: usize) -> bool {
    let a = Annotation::user("x", start, end, "LOC", "");
    let data = export_with(Format::Conll, text, "t", &[a], ExportScope::All);
    import(Format::Conll, text, &data).is_ok_and(|r| {
        r.annotations.len() == 1 && (r.annotations[0].start, r.annotations[0].end) == (start, end)
    })
}

fn text() -> String {
    sahifa_core::SEED_ARTICLE.to_string()
}

fn fresh(text: &str) -> Session {
    Session::new(text.to_string(), extract(text), true)
}

/// The reviewed session: accepted, rejected, retyped suggestions and a user span with a note.
fn reviewed_session(text: &str) -> Session {
    let s = fresh(text);
    let picks: Vec<Annotation> = s
        .annotations()
        .iter()
        .filter(|a| token_exact(text, a.start, a.end))
        .take(3)
        .map(|a| (**a).clone())
        .collect();
    assert_eq!(
        picks.len(),
        3,
        "the seed article has three token-aligned suggestions"
    );
    let s = s
        .apply(Action::Accept {
            id: picks[0].id.clone(),
        })
        .unwrap();
    let s = s
        .apply(Action::Reject {
            id: picks[1].id.clone(),
        })
        .unwrap();
    let new_label = if picks[2].label == "PER" {
        "ORG"
    } else {
        "PER"
    };
    let s = s
        .apply(Action::Update {
            id: picks[2].id.clone(),
            label: Some(new_label.into()),
            note: None,
        })
        .unwrap();
    // A word nobody marked, from its stem on.
    let word = tokenize(text)
        .into_iter()
        .filter(|t| t.end - t.stem_start >= 4 && t.text.chars().all(char::is_alphabetic))
        .find(|t| {
            s.annotations()
                .iter()
                .all(|a| a.end <= t.start || a.start >= t.end)
                && token_exact(text, t.stem_start, t.end)
        })
        .expect("an unmarked word");
    let s = s
        .apply(Action::Add {
            start: word.stem_start,
            end: word.end,
            label: "MISC".into(),
            note: Some("ملاحظة، مع \"اقتباس\"".into()),
        })
        .unwrap();
    // The state the test is about.
    let states: Vec<(Source, Status)> = s
        .annotations()
        .iter()
        .map(|a| (a.source, a.status))
        .collect();
    assert!(states.contains(&(Source::Extractor, Status::Rejected)));
    assert!(states.contains(&(Source::Extractor, Status::Suggested)));
    assert_eq!(reviewed(&s).len(), 3);
    s
}

fn reimport(into: &Session, format: Format, data: &str) -> Session {
    let (action, report) = into
        .import(format, data)
        .unwrap_or_else(|e| panic!("{format}: {e}\n{data}"));
    assert!(report.orphans.is_empty(), "{format}: {:?}", report.orphans);
    into.apply(action)
        .unwrap_or_else(|e| panic!("{format}: {e}"))
}

#[test]
fn review_state_round_trips_into_a_session_with_fresh_suggestions() {
    let text = text();
    let s = reviewed_session(&text);
    for format in [Format::W3c, Format::Jsonl, Format::Csv, Format::Brat] {
        let data = s.export(format, "article");
        let back = reimport(&fresh(&text), format, &data);
        // The review decisions come back; what propagation did to the machine's other suggestions (dropped
        // a rejected form's, suggested a label on other mentions) is the machine's and is made again by
        // the next decisions, not carried by a file.
        assert_eq!(decisions(&back), decisions(&s), "{format}:\n{data}");
        // The rejected suggestion is back as rejected, and no span has two marks.
        let rejected = |x: &Session| -> Vec<(usize, usize)> {
            x.annotations()
                .iter()
                .filter(|a| a.status == Status::Rejected)
                .map(|a| (a.start, a.end))
                .collect()
        };
        assert_eq!(rejected(&back), rejected(&s), "{format}");
        let mut spans: Vec<(usize, usize)> = back.kept().map(|a| (a.start, a.end)).collect();
        let n = spans.len();
        spans.sort_unstable();
        spans.dedup();
        assert_eq!(spans.len(), n, "{format}: one mark a span");
        // Undo takes the whole import back in one step.
        let undone = back.apply(Action::Undo).unwrap();
        assert_eq!(kept(&undone), kept(&fresh(&text)), "{format}");
    }
}

#[test]
fn conll_reviewed_only_export_re_imports_to_exactly_the_reviewed_set() {
    let text = text();
    let s = reviewed_session(&text);
    let data = s.export_scoped(Format::Conll, "article", ExportScope::Reviewed);
    assert!(
        data.starts_with(&format!("{CONLL_REVIEWED_ONLY}\n")),
        "{data}"
    );
    // Into an empty session: exactly the reviewed spans and labels, as the user's.
    let empty = Session::new(text.clone(), vec![], true);
    let back = reimport(&empty, Format::Conll, &data);
    let without_notes = |v: Vec<Carried>| -> Vec<Carried> {
        v.into_iter()
            .map(|(s, e, l, so, st, _)| (s, e, l, so, st, None))
            .collect()
    };
    assert_eq!(kept(&back), without_notes(reviewed(&s)));
    // Into fresh suggestions: the reviewed ones come back reviewed, one mark a span.
    let back = reimport(&fresh(&text), Format::Conll, &data);
    assert_eq!(reviewed(&back), without_notes(reviewed(&s)));
    let fresh_count = fresh(&text).annotations().len();
    assert_eq!(
        back.annotations().len(),
        fresh_count + 1,
        "only the user's own span is new"
    );
}

#[test]
fn reviewed_scope_leaves_out_unreviewed_and_rejected_suggestions() {
    let text = text();
    let s = reviewed_session(&text);
    for format in Format::ALL {
        let data = s.export_scoped(format, "article", ExportScope::Reviewed);
        let back = reimport(&Session::new(text.clone(), vec![], true), format, &data);
        let got: Vec<(usize, usize, String)> = back
            .annotations()
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect();
        let want: Vec<(usize, usize, String)> =
            reviewed(&s).into_iter().map(|c| (c.0, c.1, c.2)).collect();
        assert_eq!(got, want, "{format}:\n{data}");
        assert!(
            back.annotations()
                .iter()
                .all(|a| a.status == Status::Accepted),
            "{format}"
        );
    }
}

#[test]
fn every_status_carrying_format_writes_review_state() {
    let text = text();
    let s = reviewed_session(&text);
    let brat = s.export(Format::Brat, "a");
    assert!(
        brat.contains("\tStatus T") && brat.contains(" rejected\n") && brat.contains("\tSource T"),
        "{brat}"
    );
    let jsonl = s.export(Format::Jsonl, "a");
    assert!(
        jsonl.contains(r#""status":"rejected""#) && jsonl.contains(r#""status":"suggested""#),
        "{jsonl}"
    );
    let csv = s.export(Format::Csv, "a");
    assert!(csv.starts_with("start,end,type,text,entity,source,note,status\r\n"));
    assert!(csv.contains(",extractor,,rejected\r\n"), "{csv}");
    let w3c = s.export(Format::W3c, "a");
    assert!(
        w3c.contains(r#""sahifa:status": "rejected""#)
            && w3c.contains(r#""generator""#)
            && w3c.contains(r#""creator""#)
    );
    // CoNLL "everything" cannot mark a rejection, so it leaves the rejected suggestion out.
    let all = s.export(Format::Conll, "a");
    assert!(!all.starts_with('#'));
    let back = reimport(
        &Session::new(text.clone(), vec![], true),
        Format::Conll,
        &all,
    );
    let rejected: Vec<_> = s
        .annotations()
        .iter()
        .filter(|a| a.status == Status::Rejected)
        .map(|a| (a.start, a.end))
        .collect();
    assert!(back
        .annotations()
        .iter()
        .all(|a| !rejected.contains(&(a.start, a.end))));
}

#[test]
fn an_unreviewed_suggestion_in_an_import_does_not_undo_a_review() {
    let text = text();
    let s = reviewed_session(&text);
    // The machine's own suggestions, exported before any review, imported over the reviewed work.
    let before = fresh(&text).export(Format::W3c, "article");
    let (action, report) = s.import(Format::W3c, &before).unwrap();
    assert_eq!((report.added, report.updated), (0, 0));
    assert!(s.apply(action).is_err(), "nothing to import");
}

#[test]
fn brat_reads_its_review_attributes_and_says_what_is_wrong_with_them() {
    let text = "زار ماكرون باريس.";
    let ok = "T1\tPER 4 10\tماكرون\nT2\tLOC 11 16\tباريس\nA1\tSource T1 extractor\nA2\tStatus T1 rejected\nA3\tNegated T2\n";
    let r = import(Format::Brat, text, ok).unwrap();
    let got: Vec<_> = r
        .annotations
        .iter()
        .map(|a| (a.label.as_str(), a.source, a.status))
        .collect();
    assert_eq!(
        got,
        [
            ("PER", Source::Extractor, Status::Rejected),
            ("LOC", Source::User, Status::Accepted)
        ]
    );
    let e = import(
        Format::Brat,
        text,
        "T1\tPER 4 10\tماكرون\nA1\tStatus T1 maybe\n",
    )
    .unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert_eq!(e.field_name(), Some("Status"));
    let e = import(
        Format::Brat,
        text,
        "T1\tPER 4 10\tماكرون\nA1\tSource T9 extractor\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2: Source attribute for T9, which is not defined"
    );
}

#[test]
fn old_csv_without_a_status_column_and_conll_comments_still_import() {
    let text = "زار ماكرون باريس.";
    let old = "start,end,type,text,entity,source,note\n4,10,PER,ماكرون,,extractor,\n11,16,LOC,باريس,,user,\n";
    let r = import(Format::Csv, text, old).unwrap();
    let got: Vec<_> = r.annotations.iter().map(|a| (a.source, a.status)).collect();
    assert_eq!(
        got,
        [
            (Source::Extractor, Status::Suggested),
            (Source::User, Status::Accepted)
        ]
    );
    let conll = format!(
        "{CONLL_REVIEWED_ONLY}\n# another comment\nزار\tO\nماكرون\tB-PER\nباريس\tO\n.\tO\n"
    );
    let r = import(Format::Conll, text, &conll).unwrap();
    assert_eq!(r.annotations.len(), 1);
    assert_eq!((r.annotations[0].start, r.annotations[0].end), (4, 10));
}
