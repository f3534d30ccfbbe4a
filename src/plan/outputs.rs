//! `[outputs]` of a run file: files a run writes besides the default ones.

use serde::Deserialize;

/// `[outputs]`: files written besides the default ones.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputsEntry {
    /// A CSV copy of every results table, and `provenance.csv`.
    #[serde(default)]
    pub csv: bool,
    /// Also CSV copies of the per-draw files (`samples.csv`, and
    /// `yearly_draws.csv` with `[yearly] draws`): large.
    #[serde(default)]
    pub csv_draws: bool,
}
