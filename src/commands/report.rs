//! `chh-psa report`: report.html rebuilt from a finished run's files.

use crate::cli::ReportArgs;
use crate::error::Result;

pub fn execute(args: &ReportArgs) -> Result<()> {
    let path = crate::export::report::write(&args.dir)?;
    println!("Wrote {}", path.display());
    Ok(())
}
