//! Every way a `sahifa` command can fail on bad input or a failing write. Each variant displays as one
//! line; `main` prints it after `sahifa: ` and exits with code 1.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Arguments clap refused, already reduced to one line.
    #[error("{0}")]
    Usage(String),
    #[error("cannot open {path}: {source}")]
    Open { path: String, source: io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("{path}: larger than {mb} MB; split it first")]
    TooLarge { path: String, mb: u64 },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: looks like a binary file (it holds NUL bytes)")]
    Binary { path: String },
    #[error("{path}: not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
    /// A bad line of a JSONL stream of articles; `line` counts from 1.
    #[error("{path}: line {line}: {message}")]
    JsonlLine {
        path: String,
        line: usize,
        message: String,
    },
    #[error("extract: unknown format {0:?} (json|w3c|brat|conll|jsonl|csv|html)")]
    UnknownFormat(String),
    #[error("extract: --format {0} writes one article; several files or JSONL input give JSONL (leave --format out)")]
    FormatInBatch(String),
    #[error("{path}: no tokens")]
    NoTokens { path: String },
    #[error("{path}: no gold tag column to evaluate against")]
    NoGoldToEvaluate { path: String },
    #[error("{path}: no tag column to learn from")]
    NoGoldToLearn { path: String },
    #[error("{path}: {source}")]
    Model {
        path: String,
        source: sahifa_core::tagger::ModelError,
    },
    /// An added training corpus (`--add`) that cannot be read.
    #[error("{0}")]
    Corpus(String),
    #[error("cannot start {threads} threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("cannot write: {0}")]
    Write(#[from] io::Error),
    #[error("cannot write {path}: {source}")]
    WriteFile { path: String, source: io::Error },
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
