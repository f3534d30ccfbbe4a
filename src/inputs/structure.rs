//! The model's shape, as data: the activities the hubs change, the kinds
//! of hub, and the capacity measures activity avoided converts into. A new
//! activity, hub type or measure is a new table in a parameter file; the
//! loader checks each against the others and the parameters it names.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Domain, Inputs, Needed};
use crate::error::{Error, Result, did_you_mean};

/// Most hub types a model may declare.
pub const MAX_HUB_TYPES: usize = 4;

/// An activity the hubs change (`[[activity]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityEntry {
    pub id: String,
    /// Its name in tables and reports, plural: "emergency attendances".
    pub name: String,
    /// What one unit is: "attendances".
    pub unit: String,
    /// Parameter: units avoided per hub-year at full effect.
    pub impact: String,
    /// Parameter: the cost of one unit, in £.
    pub unit_cost: String,
}

/// A kind of hub (`[[hub_type]]`): cohorts name it, resource lines list
/// the kinds they apply to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubTypeEntry {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Parameter: the share of the full effect a hub of this kind achieves.
    pub realisation: String,
}

/// A capacity measure (`[[capacity]]`): clinical time that activity avoided
/// frees, in full-time equivalents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityEntry {
    pub id: String,
    /// Its name in tables, plural: "consultants".
    pub name: String,
    /// Parameter: hours a year that make one full-time equivalent.
    pub hours_per_fte: String,
    /// The activities whose units free this time, and how much each.
    #[serde(rename = "activity")]
    pub activities: Vec<TimePerUnit>,
}

/// The time one unit of an activity takes of a capacity measure's staff:
/// a parameter in hours, or in minutes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimePerUnit {
    pub activity: String,
    pub hours: Option<String>,
    pub minutes: Option<String>,
}

impl TimePerUnit {
    /// The parameter, and what divides it into hours.
    pub fn parameter(&self) -> (&str, f64) {
        match (&self.hours, &self.minutes) {
            (Some(h), _) => (h, 1.0),
            (None, Some(m)) => (m, 60.0),
            (None, None) => ("", 1.0),
        }
    }
}

/// The shape's tables as read, each with the file it came from.
#[derive(Default)]
pub struct Read {
    pub activities: Vec<(ActivityEntry, PathBuf)>,
    pub hub_types: Vec<(HubTypeEntry, PathBuf)>,
    pub capacities: Vec<(CapacityEntry, PathBuf)>,
}

/// Refuses an id (named in errors as `item`) that is not letters, digits
/// and underscores; `what` is the message's subject ("an option").
pub(super) fn check_id(file: &Path, item: &str, id: &str, what: &str) -> Result<()> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::input(
            file,
            item,
            format!("{what} id must be letters, digits and underscores"),
        ));
    }
    Ok(())
}

/// Refuses a second table of `table` with an id already seen.
fn unique<'a>(
    seen: &mut HashMap<&'a str, &'a Path>,
    table: &str,
    id: &'a str,
    file: &'a Path,
) -> Result<()> {
    check_id(file, &format!("{table} `{id}`"), id, "an")?;
    match seen.insert(id, file) {
        Some(first) => Err(Error::input(
            file,
            format!("{table} `{id}`"),
            format!("defined twice (also in {})", first.display()),
        )),
        None => Ok(()),
    }
}

/// Checks the shape's tables against each other, and adds the parameters
/// they name to `needed`, each with its domain and where it is named.
pub fn validate(inputs: &Inputs, read: &Read, needed: &mut Vec<Needed>) -> Result<()> {
    let dir = inputs.dir.as_path();
    for (table, empty) in [
        ("activity", read.activities.is_empty()),
        ("hub_type", read.hub_types.is_empty()),
    ] {
        if empty {
            return Err(Error::input(
                dir,
                table,
                format!("no file declares any [[{table}]]"),
            ));
        }
    }
    if read.hub_types.len() > MAX_HUB_TYPES {
        return Err(Error::input(
            &read.hub_types[MAX_HUB_TYPES].1,
            "hub_type",
            format!("at most {MAX_HUB_TYPES} hub types per model"),
        ));
    }
    let mut need = |name: &str, domain: Domain, file: &Path, item: String| {
        needed.push((name.to_string(), domain, file.to_path_buf(), item));
    };
    let mut seen = HashMap::new();
    for (a, file) in &read.activities {
        unique(&mut seen, "activity", &a.id, file)?;
        let item = |key: &str| format!("activity `{}`.{key}", a.id);
        need(&a.impact, Domain::NonNegative, file, item("impact"));
        need(&a.unit_cost, Domain::NonNegative, file, item("unit_cost"));
    }
    let mut seen = HashMap::new();
    for (h, file) in &read.hub_types {
        unique(&mut seen, "hub_type", &h.id, file)?;
        let item = format!("hub_type `{}`.realisation", h.id);
        need(&h.realisation, Domain::UnitInterval, file, item);
    }
    let activity_ids = || read.activities.iter().map(|(a, _)| a.id.as_str());
    let mut seen = HashMap::new();
    for (c, file) in &read.capacities {
        unique(&mut seen, "capacity", &c.id, file)?;
        let at = format!("capacity `{}`", c.id);
        need(
            &c.hours_per_fte,
            Domain::Positive,
            file,
            format!("{at}.hours_per_fte"),
        );
        if c.activities.is_empty() {
            return Err(Error::input(
                file,
                &at,
                "names no activity: give at least one [[capacity.activity]]",
            ));
        }
        for time in &c.activities {
            let item = format!("{at}.activity `{}`", time.activity);
            if !activity_ids().any(|id| id == time.activity) {
                let hint = did_you_mean(&time.activity, activity_ids());
                return Err(Error::input(
                    file,
                    &item,
                    format!("names an activity no file declares{hint}"),
                ));
            }
            if time.hours.is_some() == time.minutes.is_some() {
                return Err(Error::input(
                    file,
                    &item,
                    "give the time one unit takes as exactly one of `hours` or `minutes` (a parameter's name)",
                ));
            }
            need(time.parameter().0, Domain::NonNegative, file, item);
        }
    }
    Ok(())
}

/// The hub type an option's cohort or a resource line names, refused with
/// the closest declared id when there is none.
pub fn hub_type(
    read: &[(HubTypeEntry, PathBuf)],
    id: &str,
    file: &Path,
    item: &str,
) -> Result<usize> {
    read.iter().position(|(h, _)| h.id == id).ok_or_else(|| {
        let hint = did_you_mean(id, read.iter().map(|(h, _)| h.id.as_str()));
        Error::input(
            file,
            item,
            format!("names the hub type `{id}`, which no [[hub_type]] declares{hint}"),
        )
    })
}
