//! `sahifa tag [--model MODEL] [--threads N] FILE|-`: tags a CoNLL-style file (one token a line, optional
//! gold column) with the learned tagger and prints `token gold pred` (or `token pred`) a line, IOB2.
//!
//! Predictions use the input's name for persons (`PERS` when the gold column writes it, else `PER`); the
//! tagger only predicts PER/LOC/ORG/MISC, everything else is O. Lines with an empty token are skipped, and a
//! blank line is printed after each sentence (sentences end at `.`-like tokens or 150 tokens).
//!
//! Speed: the document's distinct words are worked out once, spread over every core
//! ([`DocumentWords`]), then the file is cut into runs of sentences tagged on every core from that shared
//! table. A sentence's second stage remembers
//! the [`MEMORY_WINDOW`] sentences on each side, so each run is tagged together with that many sentences of
//! context on both sides and only its own sentences are kept: the tags are exactly those of tagging the
//! whole file as one document, whatever the thread count.

use crate::error::{CliError, Result};
use crate::input::read_text;
use crate::parallel::{parse_threads, pool};
use crate::ModelFile;
use rayon::prelude::*;
use sahifa_core::conll::{self, Document};
use sahifa_core::tagger::document::DocumentWords;
use sahifa_core::tagger::{self, Tag, Tagger, MEMORY_WINDOW, N_TAGS};
use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;

#[derive(clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub input: ModelFile,
    /// Threads to tag with (default: one per core); the output is the same for any number.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
}

/// The tagger from `--model`, or the embedded one.
pub fn load(model: Option<&str>) -> Result<Cow<'static, Tagger>> {
    match model {
        None => Ok(Cow::Borrowed(tagger::embedded())),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|source| CliError::Read {
                path: p.into(),
                source,
            })?;
            Tagger::from_bytes(&bytes)
                .map(Cow::Owned)
                .map_err(|source| CliError::Model {
                    path: p.into(),
                    source,
                })
        }
    }
}

/// `PERS` when the document's gold column uses it, else `PER`.
pub fn person_name(doc: &Document) -> &'static str {
    person_name_of(doc.sentences.iter().flat_map(|s| &s.tags))
}

/// [`person_name`] of a document's gold tags.
fn person_name_of<T: AsRef<str>>(mut tags: impl Iterator<Item = T>) -> &'static str {
    if tags.any(|t| conll::tag_type(t.as_ref()) == Some("PERS")) {
        "PERS"
    } else {
        "PER"
    }
}

/// [`conll::read_borrowed`] on every core of the current pool: the gold-column counts of pieces cut at
/// line ends, then the sentences of pieces cut where a sentence ends ([`conll::sentence_cut`]), in order.
/// The same document; a serial parse was a tenth of the wall time of `sahifa tag` on two cores.
pub fn read_parallel(text: &str) -> conll::DocumentRef<'_> {
    let text = conll::strip_bom(text);
    let pieces = match rayon::current_num_threads() {
        1 => 1,
        threads => 2 * threads,
    };
    let ranges = |cut: &dyn Fn(usize) -> usize| {
        let mut cuts = vec![0];
        for k in 1..pieces {
            let c = cut(k * text.len() / pieces);
            if c > cuts[cuts.len() - 1] {
                cuts.push(c);
            }
        }
        if cuts[cuts.len() - 1] < text.len() {
            cuts.push(text.len());
        }
        cuts.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
    };
    let at_line = |at: usize| {
        let rest = &text.as_bytes()[at..];
        rest.iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| at + i + 1)
    };
    let counts = ranges(&at_line)
        .into_par_iter()
        .map(|(a, b)| conll::column_counts(&text[a..b]))
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    let has_gold = conll::has_gold_column(counts);
    let parts: Vec<_> = ranges(&|at| conll::sentence_cut(text, at, has_gold))
        .into_par_iter()
        .map(|(a, b)| conll::read_sentences(&text[a..b], has_gold))
        .collect();
    conll::DocumentRef {
        sentences: parts.into_iter().flatten().collect(),
        has_gold,
    }
}

/// Sentences per run handed to one thread: two runs a thread, so that a thread slowed by other work is
/// helped by the others, and no more, since each run tags the [`MEMORY_WINDOW`] sentences on each side
/// again as context; never so short that the context dominates.
fn run_len(n: usize) -> usize {
    match rayon::current_num_threads() {
        1 => n.max(1), // one run: no context tagged twice
        threads => n.div_ceil(2 * threads).max(8 * MEMORY_WINDOW),
    }
}

/// The document's distinct words worked out once for all runs ([`DocumentWords`]): numbered in one
/// pass, then worked out in pieces on every core of the current pool.
fn document_words<S: AsRef<str> + Sync>(t: &Tagger, sentences: &[Vec<S>]) -> DocumentWords {
    let (mut doc, distinct) = DocumentWords::numbered(sentences);
    let pieces = match rayon::current_num_threads() {
        1 => 1,
        threads => 4 * threads,
    };
    let len = distinct.len().div_ceil(pieces);
    doc.pieces(t, &distinct, len)
        .into_par_iter()
        .for_each(|piece| piece.work(t));
    doc
}

/// Tags `sentences` as one document on the current rayon pool, handing `f` each run of sentences (its
/// range, and a function that feeds a `sink` `(sentence index, tag indices)` for each of the run's
/// sentences in order) (no confidences: nothing here prints them); the runs' results come back in order.
/// The runs share the document's distinct words, worked out once ([`document_words`]).
pub fn tag_runs<S, R>(
    t: &Tagger,
    sentences: &[Vec<S>],
    f: impl Fn(Range<usize>, &mut dyn FnMut(&mut dyn FnMut(usize, &[usize]))) -> R + Sync,
) -> Vec<R>
where
    S: AsRef<str> + Sync,
    R: Send,
{
    let doc = document_words(t, sentences);
    let n = sentences.len();
    let len = run_len(n);
    (0..n.div_ceil(len))
        .into_par_iter()
        .map(|k| {
            let run = k * len..((k + 1) * len).min(n);
            f(run.clone(), &mut |sink| {
                t.tag_range_indices(&doc, sentences, run.clone(), |i, tags| sink(i, tags))
            })
        })
        .collect()
}

/// Predicted tags for every sentence, in the document's naming (`PERS` or `PER`).
pub fn predict(t: &Tagger, doc: &Document) -> Vec<Vec<String>> {
    let names = tag_names(person_name(doc));
    tag_runs(t, &words(doc), |_, run| {
        let mut out: Vec<Vec<String>> = Vec::new();
        run(&mut |_, tags| out.push(tags.iter().map(|&t| names[t].clone()).collect()));
        out
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The document's words, borrowed, in the shape the tagger takes.
fn words(doc: &Document) -> Vec<Vec<&str>> {
    doc.sentences
        .iter()
        .map(|s| s.words.iter().map(String::as_str).collect())
        .collect()
}

/// The CoNLL spelling of each tag index.
fn tag_names(per: &str) -> [String; N_TAGS] {
    std::array::from_fn(|i| Tag::from_index(i).to_conll(per))
}

pub fn run(args: TagArgs) -> Result<()> {
    let TagArgs { input, threads } = args;
    let pool = pool(threads)?;
    let text = read_text(&input.file)?;
    // The model's tables are built while the input is parsed (words borrowed from the text).
    let (t, doc) = pool.install(|| {
        rayon::join(
            || {
                let t = load(input.model.as_deref())?;
                t.prepare();
                Ok::<_, CliError>(t)
            },
            || read_parallel(&text),
        )
    });
    let t = t?;
    if doc.token_count() == 0 {
        return Err(CliError::NoTokens { path: input.file });
    }
    let names = tag_names(person_name_of(doc.sentences.iter().flat_map(|s| &s.tags)));
    let has_gold = doc.has_gold;
    // Words and tags apart (moved, not copied): the words in the shape the tagger takes.
    let (words, tags): (Vec<_>, Vec<_>) =
        doc.sentences.into_iter().map(|s| (s.words, s.tags)).unzip();
    // Each run formats its own lines; the buffers are written in order.
    let buffers = pool.install(|| {
        tag_runs(&t, &words, |range, run| {
            // Sized once (at most the longest tag name a line), not grown by doubling into fresh pages.
            let longest = names.iter().map(String::len).max().unwrap_or(0);
            let size = |i: usize| -> usize {
                let gold: usize = tags[i].iter().map(|t| t.len() + 1).sum();
                let lines: usize = words[i].iter().map(|w| w.len() + longest + 2).sum();
                gold + lines + 1
            };
            let mut out = Vec::with_capacity(range.map(size).sum());
            run(&mut |i, predicted| {
                for (k, (word, &tag)) in words[i].iter().zip(predicted).enumerate() {
                    out.extend_from_slice(word.as_bytes());
                    out.push(b' ');
                    if has_gold {
                        out.extend_from_slice(tags[i][k].as_bytes());
                        out.push(b' ');
                    }
                    out.extend_from_slice(names[tag].as_bytes());
                    out.push(b'\n');
                }
                out.push(b'\n');
            });
            out
        })
    });
    let mut w = std::io::stdout().lock();
    for b in &buffers {
        w.write_all(b)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_on_every_core_as_in_one_pass() {
        // ANERcorp's shape (no blank lines, sentences end at `.`), blank lines, a sentence longer than
        // the cap, lines without a tag, an empty token with its tag, CRLF line ends.
        let mut texts = vec![String::new(), "كتب\n".to_string()];
        let mut anercorp = String::new();
        for i in 0..400 {
            anercorp.push_str(&format!("كلمة{i} O\nمحمد B-PERS\nعلي I-PERS\n"));
            if i % 7 == 0 {
                anercorp.push_str(". O\n");
            }
            if i % 11 == 0 {
                anercorp.push_str("\n \tO\nنيو يورك\n");
            }
        }
        texts.push(anercorp.clone());
        texts.push(anercorp.replace('\n', "\r\n"));
        texts.push(anercorp.replace(" O\n", "\n"));
        for threads in [1, 2, 3, 5] {
            let pool = crate::parallel::pool(Some(threads)).expect("a pool");
            for text in &texts {
                let want = conll::read_borrowed(text);
                let got = pool.install(|| read_parallel(text));
                assert_eq!(got, want, "{threads} threads");
            }
        }
    }
}
