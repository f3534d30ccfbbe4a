//! `[evppi]` and `[evsi]` of a run file, checked against the inputs before
//! any draw: the parameters and groups whose EVPPI is estimated, and the
//! studies whose EVSI is.

use std::path::Path;

use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Domain;
use crate::inputs::Inputs;
use crate::plan::config::{EvppiEntry, EvsiEntry, StudyEntry};

/// A parameter or group whose EVPPI is estimated: its members by their
/// position among the sampled parameters.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub group: bool,
    pub members: Vec<String>,
    pub slots: Vec<usize>,
}

/// Resolves `[evppi]` against the inputs: every group member must be a
/// sampled parameter.
pub fn items(
    entry: &EvppiEntry,
    inputs: &Inputs,
    sampled: &[usize],
    file: &Path,
) -> Result<Vec<Item>> {
    let slot_of = |name: &str| {
        sampled
            .iter()
            .position(|&i| inputs.parameters[i].name == name)
    };
    let mut items = Vec::new();
    if entry.parameters {
        for (slot, &i) in sampled.iter().enumerate() {
            let name = inputs.parameters[i].name.clone();
            items.push(Item {
                name: name.clone(),
                group: false,
                members: vec![name],
                slots: vec![slot],
            });
        }
    }
    for (group, members) in &entry.groups {
        let at = format!("evppi.groups.{group}");
        if members.is_empty() {
            return Err(Error::input(
                file,
                &at,
                "a group needs at least one parameter",
            ));
        }
        let mut slots = Vec::with_capacity(members.len());
        for name in members {
            let Some(slot) = slot_of(name) else {
                let message = match inputs.parameter(name) {
                    Some(_) => {
                        format!("`{name}` is fixed: only sampled parameters carry information")
                    }
                    None => format!(
                        "`{name}` is not a parameter{}",
                        did_you_mean(name, inputs.parameters.iter().map(|p| p.name.as_str()))
                    ),
                };
                return Err(Error::input(file, &at, message));
            };
            if slots.contains(&slot) {
                return Err(Error::input(file, &at, format!("`{name}` is listed twice")));
            }
            slots.push(slot);
        }
        items.push(Item {
            name: group.clone(),
            group: true,
            members: members.clone(),
            slots,
        });
    }
    Ok(items)
}

/// How a study's observations arise from the parameter it informs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Likelihood {
    /// n trials, each a success with the parameter's probability.
    Binomial,
    /// n observations with the parameter as their mean and this standard
    /// deviation each.
    Normal { sd: f64 },
}

/// Most observations a study may have.
pub const MAX_STUDY_SIZE: i64 = 10_000_000;

/// A declared study, checked against the inputs.
#[derive(Debug, Clone)]
pub struct Study {
    pub name: String,
    pub parameters: Vec<String>,
    /// Positions among the sampled parameters.
    pub slots: Vec<usize>,
    pub likelihood: Likelihood,
    /// Ascending.
    pub sizes: Vec<u64>,
    pub cost: f64,
    pub cost_per_observation: f64,
}

/// Resolves `[[evsi.study]]` against the inputs, refusing before any draw
/// a study of an unknown or fixed parameter, a likelihood that does not
/// fit a parameter's domain, or sizes and costs that are not valid.
pub fn studies(
    entry: &EvsiEntry,
    inputs: &Inputs,
    sampled: &[usize],
    file: &Path,
) -> Result<Vec<Study>> {
    let mut names = std::collections::HashSet::new();
    entry
        .studies
        .iter()
        .map(|e| {
            let at = |field: &str| study_field(e, field);
            if !names.insert(e.name.as_str()) {
                return Err(Error::input(file, at("name"), "two studies have this name"));
            }
            let likelihood = likelihood(e, file)?;
            let slots = study_slots(e, likelihood, inputs, sampled, file)?;
            let sizes = study_sizes(e, file)?;
            for (field, cost) in [
                ("cost", e.cost),
                ("cost_per_observation", e.cost_per_observation),
            ] {
                if !(cost.is_finite() && cost >= 0.0) {
                    return Err(Error::input(
                        file,
                        at(field),
                        format!("is {cost}; a cost in £ must be finite and 0 or more"),
                    ));
                }
            }
            Ok(Study {
                name: e.name.clone(),
                parameters: e.parameters.clone(),
                slots,
                likelihood,
                sizes,
                cost: e.cost,
                cost_per_observation: e.cost_per_observation,
            })
        })
        .collect()
}

fn study_field(e: &StudyEntry, field: &str) -> String {
    format!("evsi.study `{}`.{field}", e.name)
}

/// The study's likelihood, with the sd a normal one needs.
fn likelihood(e: &StudyEntry, file: &Path) -> Result<Likelihood> {
    let at = |field: &str| study_field(e, field);
    match (e.likelihood.as_str(), e.sd) {
        ("binomial", None) => Ok(Likelihood::Binomial),
        ("binomial", Some(_)) => Err(Error::input(
            file,
            at("sd"),
            "a binomial study has no sd: its trials' spread follows from the probability",
        )),
        ("normal", Some(sd)) if sd.is_finite() && sd > 0.0 => Ok(Likelihood::Normal { sd }),
        ("normal", Some(sd)) => Err(Error::input(
            file,
            at("sd"),
            format!("is {sd}; the sd of one observation must be a finite number above 0"),
        )),
        ("normal", None) => Err(Error::input(
            file,
            at("sd"),
            "a normal study needs the sd of one observation, in the parameter's unit",
        )),
        (other, _) => Err(Error::input(
            file,
            at("likelihood"),
            format!(
                "is `{other}`{}; it must be `binomial` (trials of a probability) or `normal` (observations of a mean)",
                did_you_mean(other, ["binomial", "normal"])
            ),
        )),
    }
}

/// The positions among the sampled parameters of those the study informs,
/// each sampled, listed once and observable through the likelihood.
fn study_slots(
    e: &StudyEntry,
    likelihood: Likelihood,
    inputs: &Inputs,
    sampled: &[usize],
    file: &Path,
) -> Result<Vec<usize>> {
    let at = |field: &str| study_field(e, field);
    if e.parameters.is_empty() {
        return Err(Error::input(
            file,
            at("parameters"),
            "a study informs at least one parameter",
        ));
    }
    let mut slots = Vec::new();
    for name in &e.parameters {
        let i = inputs.require(name, file, &at("parameters"))?;
        let Some(slot) = sampled.iter().position(|&s| s == i) else {
            return Err(Error::input(
                file,
                at("parameters"),
                format!("`{name}` is fixed: a study can only inform a sampled parameter"),
            ));
        };
        let domain = inputs.parameters[i].domain;
        if likelihood == Likelihood::Binomial && domain != Domain::UnitInterval {
            return Err(Error::input(
                file,
                at("likelihood"),
                format!(
                    "a binomial study observes a probability, but `{name}` is {}; use `normal`",
                    domain.describe()
                ),
            ));
        }
        if slots.contains(&slot) {
            return Err(Error::input(
                file,
                at("parameters"),
                format!("`{name}` is listed twice"),
            ));
        }
        slots.push(slot);
    }
    Ok(slots)
}

/// The study's sizes, ascending, each a whole number in range and
/// different from the others.
fn study_sizes(e: &StudyEntry, file: &Path) -> Result<Vec<u64>> {
    let at = |field: &str| study_field(e, field);
    let mut sizes = Vec::with_capacity(e.sizes.len());
    for &n in &e.sizes {
        if !(1..=MAX_STUDY_SIZE).contains(&n) {
            return Err(Error::input(
                file,
                at("sizes"),
                format!("holds {n}; each size must be a whole number from 1 to {MAX_STUDY_SIZE}"),
            ));
        }
        sizes.push(n as u64);
    }
    sizes.sort_unstable();
    if sizes.is_empty() || sizes.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::input(
            file,
            at("sizes"),
            "must list one or more different sizes",
        ));
    }
    Ok(sizes)
}
