//! One option-year: the hubs that ran and what they achieved and cost.

use crate::inputs::MAX_HUB_TYPES;

/// The hub schedule of one option in one year, whether expected or sampled.
/// Indexed by hub type, in the order the model declares them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearHubs {
    /// Hub-years operated (a hub that folds mid-year counts its share).
    pub hub_years: [f64; MAX_HUB_TYPES],
    /// Hub-years weighted by realisation: full-effect hub-years.
    pub effective_hub_years: f64,
    /// Hubs opening this year that incur the start-up cost.
    pub start_ups: [f64; MAX_HUB_TYPES],
    /// Hub-months of backfill paid this year.
    pub backfill_hub_months: [f64; MAX_HUB_TYPES],
}

impl Default for YearHubs {
    fn default() -> Self {
        YearHubs {
            hub_years: [0.0; MAX_HUB_TYPES],
            effective_hub_years: 0.0,
            start_ups: [0.0; MAX_HUB_TYPES],
            backfill_hub_months: [0.0; MAX_HUB_TYPES],
        }
    }
}

impl YearHubs {
    pub fn add(&mut self, other: &YearHubs) {
        for m in 0..MAX_HUB_TYPES {
            self.hub_years[m] += other.hub_years[m];
            self.start_ups[m] += other.start_ups[m];
            self.backfill_hub_months[m] += other.backfill_hub_months[m];
        }
        self.effective_hub_years += other.effective_hub_years;
    }
}

/// What one option achieves in one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearOutcome {
    pub year: usize,
    pub hubs: YearHubs,
    /// Activity avoided, in the order of the model's activities.
    pub activity_avoided: Vec<f64>,
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
