//! CSV copies of the Parquet tables, on request (`[outputs] csv`), for
//! readers without a Parquet library: UTF-8, one header row, `.` decimals,
//! no thousands separators, numbers to full precision; the provenance the
//! Parquet files carry goes to a side file, `provenance.csv`. The per-draw
//! files (`samples.csv`, `yearly_draws.csv`) only with `csv_draws`, as
//! they are large.

use polars::prelude::{CsvWriter, SerWriter};
use std::path::{Path, PathBuf};

use super::AtomicFile;
use super::parquet::{self, Metadata};
use crate::error::{Error, Result};

/// Which CSV files a run writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Request {
    /// Every results table.
    pub tables: bool,
    /// Also the per-draw files.
    pub draws: bool,
}

impl From<&crate::plan::outputs::OutputsEntry> for Request {
    /// The run file's `[outputs]`: the per-draw files come with the tables.
    fn from(asked: &crate::plan::outputs::OutputsEntry) -> Request {
        Request {
            tables: asked.csv || asked.csv_draws,
            draws: asked.csv_draws,
        }
    }
}

pub const PROVENANCE_FILE: &str = "provenance.csv";

/// The Parquet files that hold a row per draw.
const PER_DRAW: [&str; 2] = ["samples.parquet", "yearly_draws.parquet"];

/// Beyond this a CSV file earns a word about its size.
const LARGE_BYTES: u64 = 100_000_000;

/// The CSV files a run may write, given the Parquet files it may write:
/// for a folder's list of results.
pub fn names(parquet_files: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = parquet_files
        .iter()
        .filter_map(|f| f.strip_suffix(".parquet"))
        .map(|stem| format!("{stem}.csv"))
        .collect();
    names.push(PROVENANCE_FILE.into());
    names
}

/// Writes, into `dir`, the CSV copy of each Parquet file among `written`
/// that `request` asks for, and the provenance; gives their paths.
pub fn write(
    dir: &Path,
    written: &[PathBuf],
    request: Request,
    metadata: &Metadata,
) -> Result<Vec<PathBuf>> {
    if !request.tables && !request.draws {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for parquet_file in written {
        let Some(name) = parquet_file.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".parquet") else {
            continue;
        };
        let per_draw = PER_DRAW.contains(&name);
        if (per_draw && !request.draws) || (!per_draw && !request.tables) {
            continue;
        }
        let path = dir.join(format!("{stem}.csv"));
        let mut frame = parquet::read(parquet_file)?;
        let mut file = AtomicFile::create(&path)?;
        CsvWriter::new(file.writer())
            .include_header(true)
            .finish(&mut frame)
            .map_err(|e| Error::output(&path, format!("writing CSV failed: {e}")))?;
        file.commit()?;
        warn_if_large(&path, parquet_file);
        out.push(path);
    }
    let path = dir.join(PROVENANCE_FILE);
    let mut text = String::from("key,value\n");
    for (key, value) in metadata {
        text.push_str(&format!("{},{}\n", quoted(key), quoted(value)));
    }
    let mut file = AtomicFile::create(&path)?;
    file.write_all(text.as_bytes())?;
    file.commit()?;
    out.push(path);
    Ok(out)
}

/// A CSV field: quoted, inner quotes doubled, when it holds a comma, a
/// quote or a line break.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn warn_if_large(csv: &Path, parquet_file: &Path) {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    if size(csv) > LARGE_BYTES {
        eprintln!(
            "note: {} is {:.0} MB; {} holds the same in {:.0} MB and reads faster",
            csv.file_name().unwrap_or_default().to_string_lossy(),
            size(csv) as f64 / 1e6,
            parquet_file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            size(parquet_file) as f64 / 1e6
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(quoted("seed"), "seed");
        assert_eq!(quoted("a, b"), "\"a, b\"");
        assert_eq!(quoted("say \"x\""), "\"say \"\"x\"\"\"");
    }

    #[test]
    fn each_parquet_file_has_its_csv_name() {
        assert_eq!(
            names(&["samples.parquet", "tornado.svg", "evsi.parquet"]),
            ["samples.csv", "evsi.csv", "provenance.csv"]
        );
    }
}
