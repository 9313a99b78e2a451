//! `sahifa eval [--model MODEL] FILE|-`: tags a CoNLL file with gold tags and prints entity-level
//! (exact match) precision, recall and F1 per type and micro-averaged.
//!
//! Gold types the tagger does not predict (anything but PER/PERS, LOC, ORG, MISC) are scored as O.

use crate::error::{CliError, Result};
use crate::input::read_text;
use crate::tag::{load, person_name, predict};
use crate::ModelFile;
use sahifa_core::conll;
use sahifa_core::metrics::Scores;
use sahifa_core::tagger::Tag;

pub fn run(args: ModelFile) -> Result<()> {
    let t = load(args.model.as_deref())?;
    let doc = conll::read(&read_text(&args.file)?);
    if !doc.has_gold {
        return Err(CliError::NoGoldToEvaluate { path: args.file });
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
