//! Fuzzes the annotation session with action sequences: the first byte picks one of two articles (the seed,
//! or the seed's first two paragraphs with no machine suggestions), then every 6 bytes are one action
//! (kind, two offsets, a label, an annotation to pick). After every applied action: each annotation lies
//! inside one paragraph, its text is the article's slice at its offsets, ids are unique, and a refused
//! action left the session as it was. At the end, undoing everything gives back the first work, and redoing
//! as many steps gives back the last.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa_core::formats::Format;
use sahifa_core::session::{Action, LabelDef, Session};
use std::collections::HashSet;

const LABELS: [&str; 6] = ["PER", "LOC", "ORG", "MISC", "EVENT", "DATE"];

thread_local! {
    /// The two starting sessions, extracted once (sessions share their data by `Rc`: one thread's).
    static SESSIONS: (Session, Session) = {
        let full = sahifa_core::SEED_ARTICLE.to_string();
        let short: Vec<&str> = full.split("\n\n").take(2).collect();
        (
            Session::new(full.clone(), sahifa_core::extract(&full), true),
            Session::new(short.join("\n\n"), Vec::new(), true),
        )
    };
}

fn check(s: &Session) {
    let mut ids = HashSet::new();
    for a in s.annotations().iter() {
        assert!(ids.insert(a.id.clone()), "duplicate id {}", a.id);
        assert!(a.start < a.end && a.end <= s.article.len_chars, "{a:?}");
        assert_eq!(s.article.slice(a.start, a.end), Some(a.text.as_str()), "{a:?}");
    }
}

fn action(s: &Session, b: &[u8]) -> Option<Action> {
    let n = s.article.len_chars.max(1);
    let start = u16::from_le_bytes([b[1], b[2]]) as usize % n;
    let end = start + 1 + (b[3] as usize % 24);
    let label = LABELS[b[4] as usize % LABELS.len()].to_string();
    let all = s.annotations();
    let pick = (!all.is_empty()).then(|| all[b[5] as usize % all.len()].id.clone());
    Some(match b[0] % 12 {
        0 | 1 => Action::Add { start, end, label, note: (b[3] & 1 == 1).then(|| "ملاحظة".into()) },
        2 => Action::Update { id: pick?, label: Some(label), note: None },
        3 => Action::Update { id: pick?, label: None, note: Some(Some("=1+1".into())) },
        4 => Action::Remove { id: pick? },
        5 => Action::Accept { id: pick? },
        6 => Action::Reject { id: pick? },
        7 => {
            let entity = all.get(b[5] as usize % all.len().max(1))?.entity.clone();
            Action::ReviewEntity { entity, accept: b[3] & 1 == 0 }
        }
        8 => {
            let f = Format::ALL[b[3] as usize % Format::ALL.len()];
            let other = Session::new(s.article.text.clone(), Vec::new(), true);
            let other = other
                .apply(Action::DefineLabel(LabelDef::custom("EVENT")))
                .ok()?
                .apply(Action::Add { start, end, label, note: None })
                .ok()?;
            s.import(f, &other.export(f, "a")).ok()?.0
        }
        9 => Action::DefineLabel(LabelDef { name: "EVENT".into(), color: "#c0c".into(), key: Some('7') }),
        10 => Action::Undo,
        _ => Action::Redo,
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let first = SESSIONS.with(|(full, short)| if pick & 1 == 0 { full.clone() } else { short.clone() });
    let mut s = first.clone();
    for b in rest.chunks_exact(6).take(64) {
        let Some(a) = action(&s, b) else { continue };
        let before = s.clone();
        match s.apply(a) {
            Ok(next) => s = next,
            Err(_) => assert_eq!(s, before, "a refused action changed nothing"),
        }
        check(&s);
    }
    let last = s.clone();
    let mut undone = 0;
    while let Ok(prev) = s.apply(Action::Undo) {
        s = prev;
        undone += 1;
    }
    assert_eq!(s.annotations(), first.annotations(), "undo of everything");
    assert_eq!(s.orphans(), first.orphans());
    for _ in 0..undone {
        s = s.apply(Action::Redo).expect("every undone step redoes");
    }
    assert_eq!(s.annotations(), last.annotations(), "redo of everything");
});
