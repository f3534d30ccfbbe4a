//! The command line. Nothing past this module reads arguments.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "chh-psa",
    version,
    about = "Probabilistic sensitivity analysis of the NW London Child Health Hub roll-out options"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The deterministic base case beside the published figures.
    Base {
        /// Folder of parameter files.
        #[arg(long, default_value = "distributions")]
        distributions: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also write the per-option, per-year detail to this Parquet file.
        #[arg(long, value_name = "FILE")]
        detail: Option<PathBuf>,
    },
    /// A probabilistic sensitivity analysis run.
    Run {
        /// Run file, e.g. runs/base.toml.
        run_file: PathBuf,
        /// Number of draws (overrides the run file).
        #[arg(long)]
        samples: Option<u64>,
        /// Seed (overrides the run file).
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads; 0 or absent: one per core. Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder (overrides the run file).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress bar and no table: for batch use.
        #[arg(long, short)]
        quiet: bool,
        /// Overwrite results already in the output folder.
        #[arg(long)]
        force: bool,
    },
    /// One-way sensitivity (tornado) and switch points, without draws.
    Tornado {
        /// Run file, e.g. runs/base.toml.
        run_file: PathBuf,
        /// `accelerated-supported` (one option's PV less another's) or an option id (its PV against the comparator).
        #[arg(long)]
        outcome: Option<String>,
        /// Output folder (overrides the run file).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No table on the console.
        #[arg(long, short)]
        quiet: bool,
        /// Overwrite tornado files already in the output folder.
        #[arg(long)]
        force: bool,
    },
}
