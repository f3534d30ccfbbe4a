//! The options compared, as data: each option is a list of hub cohorts, and a
//! cohort says how many hubs, of which type, when they open or fold, and what
//! their transition costs. A new option is a new `[[option]]` table.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::{Domain, HubTypeEntry, Inputs, Needed, exact, structure};
use crate::error::{Error, Result};

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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortEntry {
    pub label: String,
    pub hubs: i64,
    /// The kind of hub: the id of a `[[hub_type]]`.
    #[serde(alias = "model")]
    pub hub_type: String,
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
    /// Months of backfill each new hub receives (the resource lines marked
    /// `backfilled`).
    pub backfill_months: Option<ValueOrParameter>,
    /// Whether each new hub incurs the start-up cost.
    #[serde(default)]
    pub start_up: bool,
    /// Realisation in a hub's first year, where it differs from its model's.
    pub first_year_realisation: Option<ValueOrParameter>,
}

/// Checks an option's cohorts, and adds the parameters they name to
/// `needed`.
pub(super) fn validate(
    inputs: &Inputs,
    option: &OptionEntry,
    file: &Path,
    hub_types: &[(HubTypeEntry, PathBuf)],
    needed: &mut Vec<Needed>,
) -> Result<()> {
    let at = |what: &str| format!("{}.{what}", option.id);
    structure::check_id(file, &option.id, &option.id, "an option")?;
    if option.cohorts.is_empty() {
        return Err(Error::input(
            file,
            &option.id,
            "the option has no [[option.cohort]]",
        ));
    }
    let mut total = 0;
    for cohort in &option.cohorts {
        let item = at(&cohort.label);
        structure::hub_type(
            hub_types,
            &cohort.hub_type,
            file,
            &format!("{item}.hub_type"),
        )?;
        if cohort.hubs < 0 {
            return Err(Error::input(
                file,
                item,
                format!(
                    "hubs is {}; a count of hubs cannot be negative",
                    cohort.hubs
                ),
            ));
        }
        total += cohort.hubs;
        check_opening(inputs, cohort, file, &item)?;
        check_references(cohort, file, &item, needed)?;
    }
    if total as usize > inputs.settings.pcns {
        return Err(Error::input(
            file,
            &option.id,
            format!(
                "the cohorts hold {total} hubs, more than the {} PCNs (one hub per PCN)",
                inputs.settings.pcns
            ),
        ));
    }
    Ok(())
}

/// A new cohort opens in a window of years; an existing one is open, and
/// only it can fold.
fn check_opening(inputs: &Inputs, cohort: &CohortEntry, file: &Path, item: &str) -> Result<()> {
    match (cohort.existing, cohort.opens) {
        (true, Some(_)) => {
            return Err(Error::input(
                file,
                item,
                "an existing cohort is already open: remove `opens`",
            ));
        }
        (false, None) => {
            return Err(Error::input(
                file,
                item,
                "a new cohort needs `opens = [first_year, last_year]`",
            ));
        }
        (false, Some(exact::Two([first, last]))) => {
            // A window may run past the horizon: its hubs open as
            // scheduled and only the years inside the horizon count.
            let most = super::MAX_YEARS as i64;
            if first < 1 || last < first || last > most {
                return Err(Error::input(
                    file,
                    item,
                    format!(
                        "opens = [{first}, {last}] must satisfy 1 ≤ first ≤ last ≤ {most} (years past the horizon, {}, may be named: they are not counted)",
                        inputs.settings.horizon_years
                    ),
                ));
            }
        }
        (true, None) => {}
    }
    if !cohort.existing && cohort.folds_within_months.is_some() {
        return Err(Error::input(
            file,
            item,
            "only existing hubs can fold: `folds_within_months` needs `existing = true`",
        ));
    }
    if cohort.existing
        && (cohort.join_probability.is_some()
            || cohort.slip_probability.is_some()
            || cohort.backfill_months.is_some()
            || cohort.start_up
            || cohort.first_year_realisation.is_some())
    {
        return Err(Error::input(
            file,
            item,
            "existing hubs do not open: joining, slipping, backfill, start-up and first-year realisation apply to new cohorts only",
        ));
    }
    Ok(())
}

/// Each of the cohort's values in its domain, or the parameter it names
/// added to `needed` with that domain.
fn check_references(
    cohort: &CohortEntry,
    file: &Path,
    item: &str,
    needed: &mut Vec<Needed>,
) -> Result<()> {
    let references = [
        (
            &cohort.join_probability,
            Domain::UnitInterval,
            "join_probability",
        ),
        (
            &cohort.slip_probability,
            Domain::UnitInterval,
            "slip_probability",
        ),
        (
            &cohort.folds_within_months,
            Domain::NonNegative,
            "folds_within_months",
        ),
        (
            &cohort.backfill_months,
            Domain::NonNegative,
            "backfill_months",
        ),
        (
            &cohort.first_year_realisation,
            Domain::UnitInterval,
            "first_year_realisation",
        ),
    ];
    for (reference, domain, key) in references {
        match reference {
            Some(ValueOrParameter::Parameter(name)) => needed.push((
                name.clone(),
                domain,
                file.to_path_buf(),
                format!("{item}.{key}"),
            )),
            Some(ValueOrParameter::Value(v)) if !v.is_finite() || !domain.contains(*v) => {
                return Err(Error::input(
                    file,
                    format!("{item}.{key}"),
                    format!("is {v}; it must be {}", domain.describe()),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
