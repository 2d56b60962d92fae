//! Reading input text: files or stdin, strict UTF-8 with errors that name the byte offset.

use anyhow::{bail, Context, Result};
use std::io::Read;

/// Read `path` (or stdin for `-`) as UTF-8. Invalid UTF-8 is an error naming the file and the
/// byte offset, unless `lossy`, which replaces bad bytes and reports how many.
pub fn read_text(path: &str, lossy: bool) -> Result<String> {
    let mut bytes = Vec::new();
    let name = if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        "<stdin>".to_string()
    } else {
        bytes = std::fs::read(path)
            .with_context(|| format!("cannot read {path}: check that the file exists"))?;
        path.to_string()
    };
    decode(bytes, &name, lossy)
}

pub fn decode(bytes: Vec<u8>, name: &str, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            if !lossy {
                bail!(
                    "{name}: invalid UTF-8 at byte offset {off} (use --lossy to replace bad bytes)"
                );
            }
            let bytes = e.into_bytes();
            let s = String::from_utf8_lossy(&bytes).into_owned();
            let n = s.chars().filter(|&c| c == '\u{FFFD}').count();
            eprintln!("marsad: warning: {name}: replaced {n} invalid UTF-8 sequence(s), first at byte offset {off}");
            Ok(s)
        }
    }
}
