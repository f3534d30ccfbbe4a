//! One option-year: the hubs that ran and what they achieved and cost.

use super::N_ACTIVITIES;

/// The hub schedule of one option in one year, whether expected or sampled.
/// Indexes `[standard, enhanced]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearHubs {
    /// Hub-years operated (a hub that folds mid-year counts its share).
    pub hub_years: [f64; 2],
    /// Hub-years weighted by realisation: full-effect hub-years.
    pub effective_hub_years: f64,
    /// Hubs opening this year that incur the start-up cost.
    pub start_ups: [f64; 2],
    /// Hub-months of consultant and GP backfill paid this year.
    pub backfill_hub_months: [f64; 2],
}

impl YearHubs {
    pub fn add(&mut self, other: &YearHubs) {
        for m in 0..2 {
            self.hub_years[m] += other.hub_years[m];
            self.start_ups[m] += other.start_ups[m];
            self.backfill_hub_months[m] += other.backfill_hub_months[m];
        }
        self.effective_hub_years += other.effective_hub_years;
    }
}

/// What one option achieves in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearOutcome {
    pub year: usize,
    pub hubs: YearHubs,
    /// Activity avoided, in the order of [`super::ACTIVITIES`].
    pub activity_avoided: [f64; N_ACTIVITIES],
    pub gross_benefit: f64,
    pub running_cost: f64,
    pub transition_cost: f64,
    /// Gross benefit less running and transition costs.
    pub net_value: f64,
}

/// An option's totals against the comparator.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionResult {
    pub id: String,
    /// Net efficiency against the comparator each year, undiscounted.
    pub net_efficiency_by_year: Vec<f64>,
    pub nominal: f64,
    pub present_value: f64,
}
