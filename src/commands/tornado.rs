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
    let config = RunConfig::load(&args.run_file, &overrides)?;
    let (plan, tornado, files) = run::tornado_only(&config, args.outcome.as_deref())?;
    if !quiet {
        let ids: Vec<String> = plan.model.options.iter().map(|o| o.id.clone()).collect();
        let result = run::sensitivity::result(&tornado, &plan.outcome.label(&plan.model), &ids);
        print!("{}", console::tornado(&result, usize::MAX));
        print_written(&files);
    }
    Ok(())
}
