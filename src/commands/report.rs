//! `chh-psa report`: report.html and results.xlsx rebuilt from a finished
//! run's files.

use crate::cli::ReportArgs;
use crate::error::Result;
use crate::export::{summary, workbook};

pub fn execute(args: &ReportArgs) -> Result<()> {
    let path = crate::export::report::write(&args.dir)?;
    println!("Wrote {}", path.display());
    let results = summary::read_json(&args.dir.join("summary.json"))?;
    let path = workbook::write(&args.dir, &results)?;
    println!("Wrote {}", path.display());
    Ok(())
}
