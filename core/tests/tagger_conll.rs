//! The CoNLL reader on noisy input and the entity-level metrics on a hand-computed example.

use sahifa_core::conll;
use sahifa_core::metrics::Scores;

#[test]
fn reader_handles_noisy_lines() {
    // Tabs, an empty token, three fields (a stray RLM in the middle), trailing spaces, a missing tag,
    // IOB-style I- at an entity start, no blank lines (sentences end at ".").
    let text = "\u{feff}جاء\tO\n O\nالأمن\u{200f}1706 \u{200f} I-ORG\nالعام I-ORG  \n. O\nفي O\nبغداد B-LOC\nهنا\n";
    let d = conll::read(text);
    assert!(d.has_gold);
    assert_eq!(d.sentences.len(), 2);
    assert_eq!(
        d.sentences[0].words,
        ["جاء", "الأمن\u{200f}1706", "العام", "."]
    );
    assert_eq!(d.sentences[0].tags, ["O", "B-ORG", "I-ORG", "O"]);
    assert_eq!(d.sentences[1].words, ["في", "بغداد", "هنا"]);
    assert_eq!(d.sentences[1].tags, ["O", "B-LOC", "O"]);
}

#[test]
fn metrics_hand_computed() {
    // Sentence 1: gold PERS(0-1) ORG(3)     pred PERS(0-1) ORG(3-4)          → PERS tp, ORG fp+fn
    // Sentence 2: gold LOC(0) LOC(2)        pred LOC(0) MISC(2)              → LOC tp + fn, MISC fp
    let mut s = Scores::new();
    s.add(
        &["B-PERS", "I-PERS", "O", "B-ORG", "O"],
        &["B-PERS", "I-PERS", "O", "B-ORG", "I-ORG"],
    );
    s.add(&["B-LOC", "O", "B-LOC"], &["B-LOC", "O", "B-MISC"]);
    let m = s.micro();
    assert_eq!((m.tp, m.fp, m.fn_), (2, 2, 2));
    assert!((m.precision() - 0.5).abs() < 1e-12 && (m.recall() - 0.5).abs() < 1e-12);
    assert!((m.f1() - 0.5).abs() < 1e-12);
    let loc = s.per_type["LOC"];
    assert!((loc.precision() - 1.0).abs() < 1e-12 && (loc.recall() - 0.5).abs() < 1e-12);
    assert!((loc.f1() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(s.per_type["MISC"].f1(), 0.0);
    assert_eq!(s.per_type["PERS"].f1(), 1.0);
}
