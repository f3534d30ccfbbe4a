//! Parameters a run file restates on top of the parameter folder: a variant
//! of a run without a copy of `distributions/`. A restatement is checked
//! exactly as the folder's entry would be, with the run file named.

use serde::Deserialize;
use std::path::PathBuf;

use super::parameters::ParameterEntry;
use crate::distribution::DistributionSpec;

/// `[parameters.NAME]` in a run file: a new base value, distribution or
/// source for a parameter the folder defines; what it leaves out stays.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestatedEntry {
    pub base: Option<f64>,
    pub distribution: Option<DistributionSpec>,
    pub source: Option<String>,
}

/// One restatement and the run file that makes it.
#[derive(Debug, Clone)]
pub struct Restatement {
    pub name: String,
    pub file: PathBuf,
    pub entry: RestatedEntry,
}

/// A parameter the run file changed, from what, to what (each as its base
/// value and its distribution as entered).
#[derive(Debug, Clone, PartialEq)]
pub struct Restated {
    pub name: String,
    pub file: PathBuf,
    pub from: String,
    pub to: String,
}

/// A parameter's base value and distribution in words: "base 0.5; beta:
/// mean 0.5, se 0.1".
fn described(entry: &ParameterEntry) -> String {
    format!(
        "base {}; {}",
        entry.base,
        entry.distribution.as_entered(entry.base)
    )
}

impl Restatement {
    /// The folder's `entry` with this restatement applied, and the record of
    /// the change.
    pub fn apply(&self, mut entry: ParameterEntry) -> (ParameterEntry, Restated) {
        let from = described(&entry);
        if let Some(base) = self.entry.base {
            entry.base = base;
        }
        if let Some(distribution) = &self.entry.distribution {
            entry.distribution = distribution.clone();
        }
        if let Some(source) = &self.entry.source {
            entry.source.clone_from(source);
        }
        let record = Restated {
            name: self.name.clone(),
            file: self.file.clone(),
            from,
            to: described(&entry),
        };
        (entry, record)
    }
}
