//! `chh-psa run`: the PSA and every analysis the run file asks for; with
//! several run files, a batch: each run into its own folder, then the runs
//! side by side.

use std::path::{Path, PathBuf};

use super::print_run;
use crate::cli::RunArgs;
use crate::error::{Error, Result};
use crate::run::{self, Overrides, RunConfig};

pub fn execute(args: RunArgs) -> Result<()> {
    let quiet = args.destination.quiet;
    let overrides = Overrides {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads,
        out: args.destination.out.clone(),
        quiet,
        force: args.destination.force,
        shard: args.shard,
        until_mcse: args.until_mcse,
        until_mcse_pair: args.until_mcse_pair.clone(),
        timings: args.timings,
    };
    run::handle_interruption();
    if let [file] = &args.run_files[..] {
        return one(file, &overrides);
    }
    if overrides.out.is_some() || overrides.shard.is_some() {
        return Err(Error::Usage(
            "a batch of several run files writes each run into the folder its file names: leave out --out and --shard (use --batch-out for the comparison)".into(),
        ));
    }
    let folder = args.batch_out.unwrap_or_else(|| PathBuf::from("out/batch"));
    several(&args.run_files, &overrides, &folder)
}

fn one(file: &Path, overrides: &Overrides) -> Result<()> {
    let config = RunConfig::load(file, overrides)?;
    let output = run::execute(&config)?;
    print_run(&output, overrides.quiet);
    if let Some(t) = output.results.as_ref().and_then(|r| r.timings) {
        println!(
            "\nTime: draws {:.2} s (scenarios {:.2} s and yearly budget {:.2} s of it); tornado {:.2} s; analyses {:.2} s; files {:.2} s",
            t.draws_s,
            t.scenarios_s,
            t.yearly_s,
            t.tornado_s,
            t.analyses_s,
            output.writing.as_secs_f64()
        );
    }
    Ok(())
}

/// Each run in turn, a failing one reported and the others completed;
/// then the comparison of those that finished. Fails if any run failed.
fn several(files: &[PathBuf], overrides: &Overrides, folder: &Path) -> Result<()> {
    let mut failed = Vec::new();
    let mut finished = Vec::new();
    for (k, file) in files.iter().enumerate() {
        if !overrides.quiet {
            println!("== run {} of {}: {}", k + 1, files.len(), file.display());
        }
        let done = RunConfig::load(file, overrides).and_then(|config| {
            let output = run::execute(&config)?;
            Ok((config, output))
        });
        match done {
            Ok((config, output)) => {
                if !overrides.quiet {
                    println!("   finished: {}", config.output.display());
                }
                if let Some(results) = output.results {
                    finished.push((file.display().to_string(), config.output, results));
                }
            }
            // Ctrl-C stops the batch, not only the run it fell in.
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(e) => {
                eprintln!("error: {e}");
                failed.push((file.clone(), e));
            }
        }
    }
    super::compare::side_by_side(&finished, folder, overrides.quiet)?;
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::Batch {
        runs: files.len(),
        failed,
    })
}
