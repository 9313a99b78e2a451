//! `sahifa eval [--model MODEL] FILE|-`: tags a CoNLL file with gold tags and prints entity-level
//! (exact match) precision, recall and F1 per type and micro-averaged.
//!
//! Gold types the tagger does not predict (anything but PER/PERS, LOC, ORG, MISC) are scored as O.

use crate::input::read_text;
use crate::tag::{load, parse_args, person_name, predict};
use sahifa_core::conll;
use sahifa_core::metrics::Scores;
use sahifa_core::tagger::Tag;

const USAGE: &str = "usage: sahifa eval [--model MODEL] FILE|-";

pub fn run(args: &[String]) -> Result<(), String> {
    let (model, file) = parse_args(args, USAGE)?;
    let t = load(model.as_deref())?;
    let doc = conll::read(&read_text(&file)?);
    if !doc.has_gold {
        return Err(format!("{file}: no gold tag column to evaluate against"));
    }
    let per = person_name(&doc);
    let preds = predict(&t, &doc);
    let mut scores = Scores::new();
    for (s, p) in doc.sentences.iter().zip(&preds) {
        let gold: Vec<String> = s.tags.iter().map(|g| Tag::parse(g).to_conll(per)).collect();
        scores.add(&gold, p);
    }
    print!("{}", scores.table());
    Ok(())
}
