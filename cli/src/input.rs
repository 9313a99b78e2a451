//! Reading a FILE or `-` with the checks every subcommand needs: a size cap, UTF-8, not binary, not empty.

use crate::error::{CliError, Result};
use std::io::Read;

/// Inputs larger than this are refused rather than read into memory (for a JSONL stream: each line).
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// The whole of `path` (`-`: standard input) as text.
pub fn read_text(path: &str) -> Result<String> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        let f = std::fs::File::open(path).map_err(|source| CliError::Open {
            path: path.into(),
            source,
        })?;
        // Sized from the file's length when known, rather than grown (and copied) by doubling.
        let len = f.metadata().map_or(0, |m| m.len().min(MAX_BYTES + 1));
        bytes.reserve_exact(len as usize + 1);
        f.take(MAX_BYTES + 1).read_to_end(&mut bytes)
    };
    read.map_err(|source| CliError::Read {
        path: display_name(path).into(),
        source,
    })?;
    check_text(path, bytes)
}

/// What error messages call `path`.
pub fn display_name(path: &str) -> &str {
    if path == "-" {
        "standard input"
    } else {
        path
    }
}

/// `bytes` as text, refused when too large, empty, binary or not UTF-8.
pub fn check_text(path: &str, bytes: Vec<u8>) -> Result<String> {
    let path = path.to_string();
    if bytes.len() as u64 > MAX_BYTES {
        return Err(CliError::TooLarge {
            path,
            mb: MAX_BYTES / 1024 / 1024,
        });
    }
    if bytes.is_empty() {
        return Err(CliError::Empty { path });
    }
    if bytes.contains(&0) {
        return Err(CliError::Binary { path });
    }
    String::from_utf8(bytes).map_err(|e| CliError::NotUtf8 {
        path,
        offset: e.utf8_error().valid_up_to(),
    })
}
