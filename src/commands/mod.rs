//! The subcommands, one file each: each wires the pipeline's stages
//! together for one job and prints what it did.

pub mod base;
pub mod compare;
pub mod merge;
pub mod report;
pub mod run;
pub mod tornado;

use crate::export::console;
use crate::run::RunOutput;

/// Prints a finished run's headline results and the files it wrote.
fn print_run(output: &RunOutput, quiet: bool) {
    if quiet {
        return;
    }
    if let Some(results) = &output.results {
        print!("{}", console::summary(results));
    }
    print_written(&output.files);
}

/// The files written, by name, under the folder they share.
fn print_written(files: &[std::path::PathBuf]) {
    let folder = files.first().and_then(|f| f.parent());
    match folder {
        Some(folder) if files.iter().all(|f| f.parent() == Some(folder)) => {
            let names: Vec<String> = files
                .iter()
                .filter_map(|f| f.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            println!("\nWrote to {}: {}", folder.display(), names.join(", "));
        }
        _ => {
            println!("\nWrote:");
            for file in files {
                println!("  {}", file.display());
            }
        }
    }
}
