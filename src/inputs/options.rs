//! The options compared, as data: each option is a list of hub cohorts, and a
//! cohort says how many hubs, of which model, when they open or fold, and what
//! their transition costs. A new option is a new `[[option]]` table.

use serde::Deserialize;

/// A number written in place, or the name of a parameter whose value (and
/// uncertainty) it takes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ValueOrParameter {
    Value(f64),
    Parameter(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsFile {
    pub settings: Settings,
    #[serde(rename = "option")]
    pub options: Vec<OptionEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Primary care networks in the system: no option can run more hubs.
    pub pcns: i64,
    /// Years appraised, from year 1.
    pub horizon_years: i64,
    /// The option every other is valued against.
    pub comparator: String,
    pub price_year: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionEntry {
    pub id: String,
    pub name: String,
    pub description: String,
    pub source: String,
    #[serde(rename = "cohort")]
    pub cohorts: Vec<CohortEntry>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum HubModel {
    /// The current hub: GP + consultant clinic and MDT.
    Standard,
    /// The enhanced hub: adds local-authority members, a funded
    /// coordinator and population health management support.
    Enhanced,
}

impl HubModel {
    pub fn as_str(self) -> &'static str {
        match self {
            HubModel::Standard => "standard",
            HubModel::Enhanced => "enhanced",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortEntry {
    pub label: String,
    pub hubs: i64,
    pub model: HubModel,
    /// Running before year 1: no opening, no transition cost.
    #[serde(default)]
    pub existing: bool,
    /// First and last year of the opening window; hubs open evenly across it.
    pub opens: Option<super::exact::Two<i64>>,
    /// Chance that each hub of the cohort opens at all.
    pub join_probability: Option<ValueOrParameter>,
    /// Chance that each hub opens a year later than planned.
    pub slip_probability: Option<ValueOrParameter>,
    /// Existing hubs fold at times spread evenly over this many months from the start of year 1.
    pub folds_within_months: Option<ValueOrParameter>,
    /// Months of consultant and GP backfill each new hub receives.
    pub backfill_months: Option<ValueOrParameter>,
    /// Whether each new hub incurs the start-up cost.
    #[serde(default)]
    pub start_up: bool,
    /// Realisation in a hub's first year, where it differs from its model's.
    pub first_year_realisation: Option<ValueOrParameter>,
}
