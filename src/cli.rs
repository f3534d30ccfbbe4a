//! The command line. Nothing past this module reads arguments.

use clap::{Parser, Subcommand};

use crate as chh_psa;
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
        /// Draw only the K-th of N contiguous parts of the draws (e.g. 2/4), for `merge`.
        #[arg(long, value_name = "K/N", value_parser = chh_psa_shard)]
        shard: Option<chh_psa::run::Shard>,
        /// Keep drawing until the Monte Carlo standard error of the headline
        /// pair's P(A beats B) is below this (e.g. 0.005); --samples is then
        /// the most draws made
        #[arg(long, value_name = "MCSE")]
        until_mcse: Option<f64>,
        /// The pair --until-mcse follows, in place of the headline: two
        /// option ids joined by a hyphen
        #[arg(long, value_name = "A-B")]
        until_mcse_pair: Option<String>,
    },
    /// Combine the shards of a split run into exactly what a single run writes.
    Merge {
        /// The shards' output folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder (default: the run file's).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No table on the console.
        #[arg(long, short)]
        quiet: bool,
        /// Overwrite results already in the output folder.
        #[arg(long)]
        force: bool,
    },
    /// Rebuild report.html from a finished run's files.
    Report {
        /// The run's output folder.
        dir: PathBuf,
    },
    /// One-way sensitivity (tornado) and switch points, without draws.
    Tornado {
        /// Run file, e.g. runs/base.toml.
        run_file: PathBuf,
        /// `A-B` (option A's PV less option B's) or an option id (its PV against the comparator); default: the run file's, else its headline pair.
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

fn chh_psa_shard(text: &str) -> Result<chh_psa::run::Shard, String> {
    chh_psa::run::Shard::parse(text)
}
