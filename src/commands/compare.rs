//! `chh-psa compare`: finished runs side by side, from their folders; and
//! the comparison a batch of run files writes when its runs are done.

use std::path::{Path, PathBuf};

use crate::cli::CompareArgs;
use crate::error::{Error, Result};
use crate::export::batch::{self, BatchRun};
use crate::export::summary;
use crate::results::Results;

pub fn execute(args: &CompareArgs) -> Result<()> {
    let mut failed = Vec::new();
    let mut finished: Vec<(String, PathBuf, Results)> = Vec::new();
    for folder in &args.folders {
        let path = folder.join("summary.json");
        let read = if path.exists() {
            summary::read_json(&path)
        } else {
            Err(Error::Input {
                file: folder.clone(),
                item: String::new(),
                message: "holds no finished run (no summary.json): the run failed or has not ended; its own error or log says why".into(),
            })
        };
        match read {
            Ok(results) => finished.push((folder.display().to_string(), folder.clone(), results)),
            Err(e) => {
                eprintln!("error: {e}");
                failed.push((folder.clone(), e));
            }
        }
    }
    side_by_side(&finished, &args.out, args.quiet)?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Batch {
            runs: args.folders.len(),
            failed,
        })
    }
}

/// Writes the comparison of the runs that finished (run, folder, results)
/// into `folder`, and shows it unless `quiet`; nothing when none finished.
pub(super) fn side_by_side(
    finished: &[(String, PathBuf, Results)],
    folder: &Path,
    quiet: bool,
) -> Result<()> {
    if finished.is_empty() {
        return Ok(());
    }
    let runs: Vec<BatchRun> = finished
        .iter()
        .map(|(run, output, results)| BatchRun {
            run,
            output,
            results,
        })
        .collect();
    let path = batch::write(folder, &runs)?;
    if !quiet {
        print!("\nThe runs side by side:\n{}", batch::console(&runs));
        println!("Wrote {} and batch.html", path.display());
    }
    Ok(())
}
