//! `chh-psa run`: the PSA and every analysis the run file asks for.

use super::print_run;
use crate::cli::RunArgs;
use crate::error::Result;
use crate::run::{self, Overrides, RunConfig};

pub fn execute(args: RunArgs) -> Result<()> {
    let quiet = args.destination.quiet;
    let overrides = Overrides {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads,
        out: args.destination.out,
        quiet,
        force: args.destination.force,
        shard: args.shard,
        until_mcse: args.until_mcse,
        until_mcse_pair: args.until_mcse_pair,
    };
    let config = RunConfig::load(&args.run_file, &overrides)?;
    run::handle_interruption();
    print_run(&run::execute(&config)?, quiet);
    Ok(())
}
