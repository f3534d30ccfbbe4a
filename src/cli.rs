//! The command line. Nothing past this module reads arguments.

use clap::{Args, Parser, Subcommand};

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
    Base(BaseArgs),
    /// A probabilistic sensitivity analysis run.
    Run(RunArgs),
    /// Combine the shards of a split run into exactly what a single run writes.
    Merge(MergeArgs),
    /// Rebuild report.html and results.xlsx from a finished run's files.
    Report(ReportArgs),
    /// One-way sensitivity (tornado) and switch points, without draws.
    Tornado(TornadoArgs),
    /// Finished runs side by side (batch.parquet and batch.html), as a batch
    /// of run files writes them: for runs made apart, on a cluster say.
    Compare(CompareArgs),
}

/// Where a command writes its results, and how much it says.
#[derive(Debug, Clone, Args)]
pub struct Destination {
    /// Output folder (overrides the run file).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar and no table: for batch use.
    #[arg(long, short)]
    pub quiet: bool,
    /// Overwrite results already in the output folder.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BaseArgs {
    /// Folder of parameter files.
    #[arg(long, default_value = "distributions")]
    pub distributions: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write the per-option, per-year detail to this Parquet file.
    #[arg(long, value_name = "FILE")]
    pub detail: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run file, e.g. runs/base.toml; several make a batch, each run into
    /// its own folder, compared side by side in the --batch-out folder.
    #[arg(required = true, num_args = 1..)]
    pub run_files: Vec<PathBuf>,
    /// Where a batch of several run files writes its comparison
    /// (batch.parquet); default out/batch.
    #[arg(long, value_name = "DIR")]
    pub batch_out: Option<PathBuf>,
    /// Number of draws (overrides the run file).
    #[arg(long)]
    pub samples: Option<u64>,
    /// Seed (overrides the run file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads; 0 or absent: one per core. Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub destination: Destination,
    /// Draw only the K-th of N contiguous parts of the draws (e.g. 2/4), for `merge`.
    #[arg(long, value_name = "K/N", value_parser = chh_psa_shard)]
    pub shard: Option<chh_psa::run::Shard>,
    /// Keep drawing until the Monte Carlo standard error of the headline
    /// pair's P(A beats B) is below this (e.g. 0.005); --samples is then
    /// the most draws made
    #[arg(long, value_name = "MCSE")]
    pub until_mcse: Option<f64>,
    /// The pair --until-mcse follows, in place of the headline: two
    /// option ids joined by a hyphen
    #[arg(long, value_name = "A-B")]
    pub until_mcse_pair: Option<String>,
    /// Record the wall time of each stage in summary.json and print it
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' output folders.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub destination: Destination,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The runs' output folders.
    #[arg(required = true)]
    pub folders: Vec<PathBuf>,
    /// Where the comparison goes.
    #[arg(long, value_name = "DIR", default_value = "out/batch")]
    pub out: PathBuf,
    /// No table: for batch use.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run's output folder.
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct TornadoArgs {
    /// Run file, e.g. runs/base.toml.
    pub run_file: PathBuf,
    /// `A-B` (option A's PV less option B's) or an option id (its PV against the comparator); default: the run file's, else its headline pair.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Where it writes: --out, else beside the run's folder (`out/base-tornado`,
    /// or `out/base-tornado-A-B` with --outcome), never among the run's results.
    #[command(flatten)]
    pub destination: Destination,
}

fn chh_psa_shard(text: &str) -> Result<chh_psa::run::Shard, String> {
    chh_psa::run::Shard::parse(text)
}
