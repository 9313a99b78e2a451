//! CoNLL entity-level scores: an entity counts as found only when its first token, last token and type all
//! match the gold entity exactly (the conlleval convention).
//!
//! Why its own module: training picks its best epoch with these numbers, `sahifa eval` prints them, and the
//! tests check them on a hand-computed example, so there must be exactly one definition.

use crate::conll::spans;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// True positives, false positives and false negatives for one type (or all types together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Accumulates counts over sentences, per entity type name as written in the tags.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub per_type: BTreeMap<String, Counts>,
}

impl Scores {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one sentence's gold and predicted IOB2 tags (same length).
    pub fn add(&mut self, gold: &[impl AsRef<str>], pred: &[impl AsRef<str>]) {
        let g = spans(gold);
        let p = spans(pred);
        for (s, e, t) in &g {
            let c = self.per_type.entry(t.clone()).or_default();
            if p.iter().any(|(ps, pe, pt)| ps == s && pe == e && pt == t) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
            }
        }
        for (s, e, t) in &p {
            if !g.iter().any(|(gs, ge, gt)| gs == s && ge == e && gt == t) {
                self.per_type.entry(t.clone()).or_default().fp += 1;
            }
        }
    }

    /// Adds another set of counts (pooling folds or documents).
    pub fn merge(&mut self, other: &Scores) {
        for (k, v) in &other.per_type {
            self.per_type.entry(k.clone()).or_default().add(*v);
        }
    }

    /// All types pooled.
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.per_type.values() {
            c.add(*v);
        }
        c
    }

    /// A plain-text table: one row per type and a `micro` row, precision/recall/F1 as percentages.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<6} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
            "type", "P", "R", "F1", "tp", "fp", "fn"
        );
        let rows = self
            .per_type
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain([("micro", self.micro())]);
        for (k, c) in rows {
            let _ = writeln!(
                s,
                "{:<6} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}",
                k,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_example() {
        // gold: PERS(0..2) LOC(3) ORG(5..7)      pred: PERS(0..2) LOC(3..5) ORG(5..7) LOC(8)
        let gold = [
            "B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O", "O",
        ];
        let pred = [
            "B-PERS", "I-PERS", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "O", "B-LOC",
        ];
        let mut s = Scores::new();
        s.add(&gold, &pred);
        assert_eq!(
            s.per_type["PERS"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            s.per_type["LOC"],
            Counts {
                tp: 0,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!(
            s.per_type["ORG"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        let m = s.micro();
        assert_eq!(
            m,
            Counts {
                tp: 2,
                fp: 2,
                fn_: 1
            }
        );
        assert!((m.precision() - 0.5).abs() < 1e-12);
        assert!((m.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.f1() - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(s.per_type["LOC"].f1(), 0.0);
        assert!(s.table().contains("micro"));
    }
}
