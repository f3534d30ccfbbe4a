//! Stage 7 of the pipeline (see the crate's own documentation): writing
//! results.
//!
//! One exporter per format, each behind [`Exporter`] and each drawing on the
//! one typed result: the Parquet tables and `summary.json`
//! ([`summary`]), the report ([`report`], with its figures from [`plots`]),
//! the workbook ([`workbook`]) and the CSV copies ([`csv`]); the console
//! tables ([`console`]) are printed from the same result. The files a run
//! writes before its results are whole are here too: the tornado's
//! ([`tornado`]), every draw's yearly figures ([`yearly`]), a shard's
//! record ([`shard`]), and the samples file's chunked writer ([`parquet`]),
//! which the draw loop drives; so are `base --detail` ([`detail`]) and a
//! batch's comparison ([`batch`]). No module outside this one writes a
//! file (`tests/architecture.rs`). Every file goes through [`atomic`]: it
//! appears under its final name only once it is complete.

pub mod atomic;
pub mod batch;
pub mod console;
pub mod csv;
pub mod detail;
pub mod format;
pub mod legend;
pub mod parquet;
pub mod plots;
pub mod report;
pub mod shard;
pub mod summary;
pub mod tornado;
pub mod workbook;
pub mod yearly;

pub use atomic::{AtomicFile, Staging};

use crate::error::{Error, Result};
use crate::results::Results;
use parquet::Metadata;
use std::path::{Path, PathBuf};

/// A finished run as its exporters see it: the typed result, the
/// provenance every file carries, and the draws the report plots.
pub struct Finished<'a> {
    pub results: &'a Results,
    pub metadata: &'a Metadata,
    pub draws: &'a report::Draws<'a>,
}

/// One format of a run's results, written into a folder.
pub trait Exporter {
    /// Writes this format's files into `dir`, returning their paths.
    fn export(&self, dir: &Path, run: &Finished) -> Result<Vec<PathBuf>>;

    /// Every file it may write, by name; a run's folder is the union of
    /// these and the draws' own files.
    fn files(&self) -> &'static [&'static str];
}

/// A run's formats in the order they are written; the CSV copies
/// ([`csv`]) and `summary.json` follow, the latter last, as its presence
/// marks a finished run (the report reads nothing but the result and the
/// draws).
pub const EXPORTERS: [&dyn Exporter; 3] = [&summary::Tables, &report::Report, &workbook::Excel];

/// Writes `value` as pretty JSON to `path`, atomically, fields in their
/// declared order.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::output(path, e))?;
    let mut file = AtomicFile::create(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.commit()
}
