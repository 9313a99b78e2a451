//! The `--threads N` pool shared by `extract` and `tag`: work is split into independent pieces, run on every
//! core, and put back in input order, so the output never depends on the thread count.

use crate::error::{CliError, Result};

/// A pool of `threads` threads (`None`: one per core); work runs on it through `pool.install`.
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let n = threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| CliError::Threads {
            threads: n,
            message: e.to_string(),
        })
}

/// clap's parser for `--threads`: a whole number, at least 1.
pub fn parse_threads(v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "--threads must be a whole number, at least 1, got {v}"
        )),
    }
}
