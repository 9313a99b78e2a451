//! A collection exported in each collection format and imported into an empty profile (CoNLL: into the
//! same articles without their work) comes back equal: the same articles, metadata, done flags, and
//! annotations with the same spans, labels, sources, statuses and notes (CoNLL: spans and labels of
//! everything but rejected suggestions). Bad input is refused with the line or article named.

use proptest::prelude::*;
use sahifa_core::collection::exchange::{self, CollectionFormat};
use sahifa_core::collection::{Collection, CollectionError, Entry, Progress};
use sahifa_core::session::{Snapshot, SNAPSHOT_SCHEMA};
use sahifa_core::{Annotation, Source, Status};
use serde_json::json;

/// Words with no proclitic letter in front, so CoNLL's stem rule leaves the spans as they are.
const WORDS: &[&str] = &[
    "أحمد", "مصر", "قال", "الرئيس", "اليوم", "جامعة", "القاهرة", "حسن", "عمان", "تونس", "خالد", "زار",
    "مدينة", "نهر", "شركة", "المدرسة", "أمس", "ثلاثة",
];
const LABELS: &[&str] = &["PER", "LOC", "ORG", "EVENT"];

type Key = (usize, usize, String, Source, Status, Option<String>);

fn keys(anns: &[Annotation], conll: bool) -> Vec<Key> {
    let mut v: Vec<Key> = anns
        .iter()
        .filter(|a| !conll || a.status != Status::Rejected)
        .map(|a| {
            if conll {
                (a.start, a.end, a.label.clone(), Source::User, Status::Accepted, None)
            } else {
                (a.start, a.end, a.label.clone(), a.source, a.status, a.note.clone())
            }
        })
        .collect();
    v.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    v
}

/// An article of `paragraphs` (lists of word indices) and marks over some of its words: `(word, len,
/// label, kind)` where kind picks user / suggested / accepted / rejected.
fn article(id: usize, paragraphs: &[Vec<usize>], marks: &[(usize, usize, usize, u8)], done: bool) -> Entry {
    let mut text = String::new();
    let mut words: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, paragraph)
    for (p, para) in paragraphs.iter().enumerate() {
        if p > 0 {
            text.push_str("\n\n");
        }
        for (k, &w) in para.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            let start = text.chars().count();
            text.push_str(WORDS[w % WORDS.len()]);
            words.push((start, text.chars().count(), p));
        }
    }
    let mut anns: Vec<Annotation> = Vec::new();
    let mut used = vec![false; words.len()];
    for (n, &(w, len, label, kind)) in marks.iter().enumerate() {
        let first = w % words.len();
        let last = (first + len).min(words.len() - 1);
        if words[last].2 != words[first].2 || used[first..=last].iter().any(|u| *u) {
            continue;
        }
        used[first..=last].iter_mut().for_each(|u| *u = true);
        let (start, end) = (words[first].0, words[last].1);
        let (source, status) = match kind % 4 {
            0 => (Source::User, Status::Accepted),
            1 => (Source::Extractor, Status::Suggested),
            2 => (Source::Extractor, Status::Accepted),
            _ => (Source::Extractor, Status::Rejected),
        };
        anns.push(Annotation {
            id: format!("a{n}"),
            start,
            end,
            label: LABELS[label % LABELS.len()].to_string(),
            text: text.chars().skip(start).take(end - start).collect(),
            entity: String::new(),
            canonical: String::new(),
            source,
            status,
            note: (kind % 5 == 0).then(|| format!("ملاحظة {n}")),
            confidence: None,
        });
    }
    let mut e = Entry::new(format!("مقال {id}.txt"), text);
    e.meta.insert("n".into(), json!(id));
    e.done = done;
    if !anns.is_empty() {
        e.work = Some(Snapshot {
            schema: SNAPSHOT_SCHEMA,
            annotations: anns,
            labels: vec![],
            rev: None,
            parent: None,
        });
    }
    e
}

fn check(c: &Collection, format: CollectionFormat) -> Result<(), TestCaseError> {
    let data = exchange::export(c, format);
    let conll = format == CollectionFormat::Conll;
    // CoNLL carries no text: it is read into the same articles without their work.
    let known = if conll {
        Collection::from_entries(c.entries().iter().map(|e| Entry { work: None, ..e.clone() }).collect()).unwrap()
    } else {
        Collection::new()
    };
    let incoming = exchange::import(format, &data, &known).map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
    prop_assert_eq!(incoming.orphans, 0);
    let mut back = known.clone();
    back.absorb(incoming.entries).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back.len(), c.len());
    for (a, b) in c.entries().iter().zip(back.entries()) {
        prop_assert_eq!(&a.id, &b.id);
        prop_assert_eq!(&a.text, &b.text);
        prop_assert_eq!(&a.meta, &b.meta, "{:?}", format);
        prop_assert_eq!(a.done, b.done, "{:?}", format);
        prop_assert_eq!(keys(a.annotations(), conll), keys(b.annotations(), conll), "{:?} {}", format, a.id);
        if !conll {
            prop_assert_eq!(a.progress(), b.progress());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_format_round_trips(
        arts in prop::collection::vec(
            (
                prop::collection::vec(prop::collection::vec(0usize..100, 1..12), 1..3),
                prop::collection::vec((0usize..50, 0usize..3, 0usize..8, 0u8..20), 0..6),
                any::<bool>(),
            ),
            1..6,
        )
    ) {
        let c = Collection::from_entries(
            arts.iter().enumerate().map(|(i, (p, m, d))| article(i, p, m, *d)).collect(),
        ).unwrap();
        for f in CollectionFormat::ALL {
            check(&c, f)?;
        }
    }
}

#[test]
fn two_hundred_articles_round_trip_in_every_format() {
    let c = Collection::from_entries(
        (0..200)
            .map(|i| {
                let paras = vec![(0..8).map(|k| i * 7 + k * 3).collect::<Vec<_>>(), vec![i, i + 1, i + 2]];
                let marks = vec![(i, 0, i, (i % 4) as u8), (i + 3, 1, i + 1, 0)];
                article(i, &paras, &marks, i % 10 == 0)
            })
            .collect(),
    )
    .unwrap();
    assert_eq!(c.counts().done, 20);
    for f in CollectionFormat::ALL {
        check(&c, f).unwrap();
    }
}

#[test]
fn a_jsonl_of_articles_opens_as_new_articles() {
    let data = "{\"text\": \"قال أحمد\", \"meta\": {\"source\": \"وكالة\"}}\n\n{\"text\": \"زار مصر\", \"id\": 7}\n{\"text\": \"ثالث\", \"meta\": {\"id\": \"x\"}}\n";
    let inc = exchange::import(CollectionFormat::Jsonl, data.as_bytes(), &Collection::new()).unwrap();
    let ids: Vec<_> = inc.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["line-1", "7", "x"]);
    assert_eq!(inc.entries[0].meta["source"], "وكالة");
    assert!(inc.entries.iter().all(|e| e.work.is_none() && e.progress() == Progress::New));
}

#[test]
fn bad_input_names_the_line_or_the_article() {
    let empty = Collection::new();
    let err = |f, d: &[u8], k: &Collection| exchange::import(f, d, k).unwrap_err().to_string();
    assert_eq!(
        err(CollectionFormat::Jsonl, b"{\"text\": \"a\"}\n{\"text\": 3}\n", &empty),
        "line 2: field 'text': must be a string"
    );
    assert!(err(CollectionFormat::Jsonl, b"{\"text\": \"a\"}\n\n{oops\n", &empty).starts_with("line 3: not valid JSON"));
    assert!(err(
        CollectionFormat::Jsonl,
        "{\"text\": \"قال أحمد\", \"spans\": [{\"start\": 4, \"label\": \"PER\"}]}".as_bytes(),
        &empty
    )
    .starts_with("line 1: "));
    let known = Collection::from_entries(vec![Entry::new("a", "قال أحمد")]).unwrap();
    assert_eq!(
        err(CollectionFormat::Conll, "-DOCSTART- a\n\nقال\tO\nأحمد\tB-PER\n\n-DOCSTART- b\n\nx\tO\n".as_bytes(), &known),
        "line 6: article \"b\" is not in the collection (CoNLL does not carry the text: open the articles first)"
    );
    let e = err(CollectionFormat::Conll, "-DOCSTART- a\n\nقال\tO\nأحمد\tB-PER\nزيد\tO\n".as_bytes(), &known);
    assert!(e.starts_with("article \"a\": line 5: "), "{e}");
    assert!(err(CollectionFormat::BratZip, b"not a zip", &empty).starts_with("not a readable zip"));
    let mut c = known.clone();
    c.set_done(0, true);
    let w3c = String::from_utf8(exchange::export(&c, CollectionFormat::W3c)).unwrap();
    let broken = w3c.replace("\"sahifa:articles\"", "\"other\"");
    assert!(err(CollectionFormat::W3c, broken.as_bytes(), &empty).contains("sahifa:articles"));
}

#[test]
fn an_export_names_its_articles() {
    let c = Collection::from_entries(vec![Entry::new("a/b:c", "قال أحمد"), Entry::new("a_b_c", "زار مصر")]).unwrap();
    let conll = String::from_utf8(exchange::export(&c, CollectionFormat::Conll)).unwrap();
    assert!(conll.starts_with("-DOCSTART- a/b:c\n\n"));
    // Two ids that make the same file name get two files.
    let back = exchange::import(CollectionFormat::BratZip, &exchange::export(&c, CollectionFormat::BratZip), &Collection::new()).unwrap();
    assert_eq!(back.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a/b:c", "a_b_c"]);
    assert!(matches!(
        Collection::from_entries(vec![Entry::new("x", "a"), Entry::new("x", "b")]),
        Err(CollectionError::DuplicateId { .. })
    ));
}

#[test]
fn a_brat_zip_made_elsewhere_opens() {
    // Written by Python's zipfile (DEFLATE, a folder entry, no manifest): ids from the file names.
    let data = include_bytes!("fixtures/brat-from-elsewhere.zip");
    let inc = exchange::import(CollectionFormat::BratZip, data, &Collection::new()).unwrap();
    assert_eq!(inc.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["one", "two"]);
    let spans: Vec<_> = inc.entries[0].annotations().iter().map(|a| (a.start, a.end, a.label.as_str(), a.text.as_str())).collect();
    assert_eq!(spans, [(4, 8, "PER", "أحمد"), (12, 19, "LOC", "القاهرة")]);
    assert!(inc.entries[1].work.is_none(), "no .ann: nothing annotated yet");
}
