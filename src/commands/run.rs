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
        timings: args.timings,
    };
    let config = RunConfig::load(&args.run_file, &overrides)?;
    run::handle_interruption();
    let output = run::execute(&config)?;
    print_run(&output, quiet);
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
