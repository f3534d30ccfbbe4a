//! Stage 6 of the pipeline: writing results.
//!
//! One writer per format, each going through [`atomic`]: a file appears under
//! its final name only once it is complete.

pub mod atomic;
pub mod console;
pub mod format;
pub mod legend;
pub mod parquet;
pub mod plots;
pub mod report;
pub mod summary;

pub use atomic::{AtomicFile, Staging};

use crate::error::{Error, Result};
use std::path::Path;

/// Writes `value` as pretty JSON to `path`, atomically.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::output(path, e))?;
    let mut file = AtomicFile::create(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.commit()
}
