//! Reading a FILE or `-` with the checks every subcommand needs: a size cap, UTF-8, not binary, not empty.

use std::io::Read;

/// Inputs larger than this are refused rather than read into memory.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

pub fn read_text(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let f = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
        f.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {path}: {e}"))?;
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{path}: larger than {} MB; split it first",
            MAX_BYTES / 1024 / 1024
        ));
    }
    if bytes.is_empty() {
        return Err(format!("{path}: the file is empty"));
    }
    if bytes.contains(&0) {
        return Err(format!(
            "{path}: looks like a binary file (it holds NUL bytes)"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{path}: not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
