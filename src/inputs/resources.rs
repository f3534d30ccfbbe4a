//! The hub's resource lines: who gives how many hours a month, at which rate,
//! for which hub types, and whether the hours are an incremental running cost
//! and are backfilled when a hub opens.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceEntry {
    pub name: String,
    /// Parameter holding hours per hub per month.
    pub hours: String,
    /// Parameter holding the hourly rate.
    pub rate: String,
    /// The hub types (`[[hub_type]]` ids) the line applies to.
    pub hub_types: Vec<String>,
    /// Counted as running cost (not a substitution of time already paid for).
    pub incremental: bool,
    /// Backfilled for a new hub's first months.
    pub backfilled: bool,
    /// Why the line is (or is not) counted; where this was fitted, to what.
    pub reason: String,
}
