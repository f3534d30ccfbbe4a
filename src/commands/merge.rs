//! `chh-psa merge`: the shards of a split run combined into exactly what a
//! single run writes.

use super::print_run;
use crate::cli::MergeArgs;
use crate::error::Result;
use crate::run;

pub fn execute(args: &MergeArgs) -> Result<()> {
    let d = &args.destination;
    run::handle_interruption();
    print_run(
        &run::merge(&args.shards, d.out.as_deref(), d.force, d.quiet)?,
        d.quiet,
    );
    Ok(())
}
