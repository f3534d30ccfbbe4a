use clap::Parser;

use chh_psa::cli::{Cli, Command};
use chh_psa::commands::base::BaseCase;
use chh_psa::error::{Result, exit_code};
use chh_psa::export::console;
use chh_psa::run::{self, Overrides, RunConfig};

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Base {
            distributions,
            json,
            detail,
        } => {
            let base = BaseCase::compute(&distributions)?;
            if let Some(path) = detail {
                base.write_detail(&path)?;
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&base.to_json()).unwrap_or_default()
                );
            } else {
                print!("{}", base.to_table());
            }
            Ok(())
        }
        Command::Tornado {
            run_file,
            outcome,
            out,
            quiet,
            force,
        } => {
            let overrides = Overrides {
                out,
                quiet,
                force,
                ..Default::default()
            };
            let config = RunConfig::load(&run_file, &overrides)?;
            let (plan, tornado, files) = run::tornado_only(&config, outcome.as_deref())?;
            if !quiet {
                let ids: Vec<String> = plan.model.options.iter().map(|o| o.id.clone()).collect();
                let result =
                    run::sensitivity::result(&tornado, &plan.outcome.label(&plan.model), &ids);
                print!("{}", console::tornado(&result, usize::MAX));
                print_written(&files);
            }
            Ok(())
        }
        Command::Run {
            run_file,
            samples,
            seed,
            threads,
            out,
            quiet,
            force,
            shard,
            until_mcse,
            until_mcse_pair,
        } => {
            let overrides = Overrides {
                samples,
                seed,
                threads,
                out,
                quiet,
                force,
                shard,
                until_mcse,
                until_mcse_pair,
            };
            let config = RunConfig::load(&run_file, &overrides)?;
            run::handle_interruption();
            report(&run::execute(&config)?, quiet);
            Ok(())
        }
        Command::Report { dir } => {
            let path = chh_psa::export::report::write(&dir)?;
            println!("Wrote {}", path.display());
            Ok(())
        }
        Command::Merge {
            shards,
            out,
            quiet,
            force,
        } => {
            run::handle_interruption();
            report(&run::merge(&shards, out.as_deref(), force, quiet)?, quiet);
            Ok(())
        }
    }
}

/// Prints a finished run's headline results and the files it wrote.
fn report(output: &run::RunOutput, quiet: bool) {
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

fn main() {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::exit(exit_code::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
