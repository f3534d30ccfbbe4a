//! The hub's resource lines: who gives how many hours a month, at which rate,
//! in which hub model, and whether the hours are an incremental running cost
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
    /// `all` hubs or `enhanced` hubs only.
    pub hubs: ResourceHubs,
    /// Counted as running cost (not a substitution of time already paid for).
    pub incremental: bool,
    /// Backfilled for a new hub's first months.
    pub backfilled: bool,
    /// Why the line is (or is not) counted; where this was fitted, to what.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ResourceHubs {
    All,
    Enhanced,
}
