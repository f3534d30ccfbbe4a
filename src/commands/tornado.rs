//! `chh-psa tornado`: the one-way analysis and switch points alone, without
//! draws.

use super::print_written;
use crate::cli::TornadoArgs;
use crate::error::Result;
use crate::export::console;
use crate::run::{self, Overrides, RunConfig};

pub fn execute(args: TornadoArgs) -> Result<()> {
    let quiet = args.destination.quiet;
    let overrides = Overrides {
        out: args.destination.out,
        quiet,
        force: args.destination.force,
        ..Default::default()
    };
    let explicit = overrides.out.is_some();
    let mut config = RunConfig::load(&args.run_file, &overrides)?;
    if !explicit {
        config.output = own_folder(&config.output, args.outcome.as_deref());
    }
    let (result, files) = run::tornado_only(&config, args.outcome.as_deref())?;
    if !quiet {
        print!("{}", console::tornado(&result, usize::MAX));
        print_written(&files);
    }
    Ok(())
}

/// A tornado asked alone goes beside the run's results, never among them:
/// `out/base` → `out/base-tornado` (`out/base-tornado-A-B` for an outcome
/// named on the command line).
fn own_folder(run_output: &std::path::Path, outcome: Option<&str>) -> std::path::PathBuf {
    let name = run_output
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let suffix = outcome.map_or_else(String::new, |o| format!("-{o}"));
    run_output.with_file_name(format!("{name}-tornado{suffix}"))
}
