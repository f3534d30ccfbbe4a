//! Scenarios: variants of a run (discount rate, horizon, realisation, no
//! roll-out uncertainty) evaluated on the same draws as the main run, so
//! that differences between scenarios are not sampling noise. This file
//! checks the run file's scenarios; `scenario_results.rs` evaluates them.

use std::path::Path;

use super::set_value::SetValue;
use crate::distribution::Distribution;
use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Inputs;
use crate::plan::config::ScenarioEntry;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub adjustments: Adjustments,
    pub horizon_years: Option<usize>,
    pub rollout: Option<bool>,
}

fn parameter_slot(inputs: &Inputs, file: &Path, item: &str, name: &str) -> Result<usize> {
    inputs.parameter_index(name).ok_or_else(|| {
        let hint = did_you_mean(name, inputs.parameters.iter().map(|p| p.name.as_str()));
        Error::input(file, item, format!("no parameter `{name}`{hint}"))
    })
}

/// A parameter a scenario draws from `spec` instead: checked as a
/// parameter file's distribution is, and refused for a parameter that is
/// not drawn from a continuous distribution (its draws could not be carried
/// over through their cumulative probability).
fn redrawn(
    inputs: &Inputs,
    slot: usize,
    spec: &crate::distribution::DistributionSpec,
    file: &Path,
    at: &str,
) -> Result<(usize, Distribution, Distribution)> {
    let p = &inputs.parameters[slot];
    if p.distribution.cdf(p.base).is_none() {
        return Err(Error::input(
            file,
            at,
            format!(
                "`{}` is {} in the parameter files, so its draws cannot be carried onto another distribution; restate it in the run file (`[parameters.{}]`) or set it to a value",
                p.name,
                p.distribution.family(),
                p.name
            ),
        ));
    }
    let new = spec
        .resolve(p.base)
        .map_err(|e| Error::input(file, at, format!("infeasible distribution: {e}")))?;
    if new.cdf(p.base).is_none() {
        return Err(Error::input(
            file,
            at,
            format!(
                "is {}; a scenario draws from a continuous distribution (normal, truncated_normal, lognormal, gamma, beta, uniform, triangular, pert), or sets a value",
                new.family()
            ),
        ));
    }
    p.domain
        .check(p.base, &new)
        .map_err(|why| Error::input(file, at, why))?;
    Ok((slot, p.distribution.clone(), new))
}

/// Checks the run file's scenarios against the inputs.
pub fn resolve(entries: &[ScenarioEntry], inputs: &Inputs, file: &Path) -> Result<Vec<Scenario>> {
    let mut names = std::collections::HashSet::new();
    entries
        .iter()
        .map(|e| {
            let item = format!("scenario `{}`", e.name);
            if !names.insert(e.name.as_str()) {
                return Err(Error::input(file, &item, "two scenarios have this name"));
            }
            let mut adjustments = Adjustments::default();
            for (name, value) in &e.set {
                let slot = parameter_slot(inputs, file, &format!("{item}.set"), name)?;
                let value = match value {
                    SetValue::Value(v) => *v,
                    SetValue::Distribution(spec) => {
                        let spec = &**spec;
                        let at = format!("{item}.set.{name}");
                        adjustments.redraw.push(redrawn(inputs, slot, spec, file, &at)?);
                        continue;
                    }
                };
                let domain = inputs.parameters[slot].domain;
                if !value.is_finite() || !domain.contains(value) {
                    return Err(Error::input(
                        file,
                        format!("{item}.set.{name}"),
                        format!("is {value}; it must be {}", domain.describe()),
                    ));
                }
                adjustments.set.push((slot, value));
            }
            for (name, source) in &e.link {
                let at = format!("{item}.link.{name}");
                let slot = parameter_slot(inputs, file, &format!("{item}.link"), name)?;
                let from = parameter_slot(inputs, file, &at, source)?;
                let refuse = |why: String| Err(Error::input(file, &at, why));
                if slot == from {
                    return refuse(format!("links `{name}` to itself"));
                }
                if e.set.contains_key(name) {
                    return refuse(format!(
                        "`{name}` is both set and linked in this scenario; give it one or the other"
                    ));
                }
                if e.link.contains_key(source) {
                    return refuse(format!(
                        "links to `{source}`, which this scenario links in turn (a chain or a cycle); link both to the parameter they should follow"
                    ));
                }
                // The linked parameter takes the source's values: they must
                // lie in its own domain, as its own distribution's must.
                let (target, origin) = (&inputs.parameters[slot], &inputs.parameters[from]);
                if let Err(why) = target.domain.check(origin.base, &origin.distribution) {
                    return refuse(format!(
                        "`{name}` must be {}, but `{source}` ({}) does not fit: {why}",
                        target.domain.describe(),
                        origin.unit
                    ));
                }
                adjustments.link.push((slot, from));
            }
            let horizon_years = match e.horizon_years {
                None => None,
                Some(h) if (1..=crate::sampling::rollout::MAX_YEARS as i64).contains(&h) => {
                    Some(h as usize)
                }
                Some(h) => {
                    return Err(Error::input(
                        file,
                        format!("{item}.horizon_years"),
                        format!("is {h}; it must be between 1 and 100"),
                    ));
                }
            };
            Ok(Scenario {
                name: e.name.clone(),
                description: e.description.clone().unwrap_or_default(),
                adjustments,
                horizon_years,
                rollout: e.rollout,
            })
        })
        .collect()
}

/// Changes a scenario makes to every draw's parameter values.
#[derive(Debug, Clone, Default)]
pub struct Adjustments {
    /// (slot, value): held at a value.
    pub set: Vec<(usize, f64)>,
    /// (slot, source slot): takes another parameter's value.
    pub link: Vec<(usize, usize)>,
    /// (slot, its distribution, the one it is drawn from instead): a draw
    /// x becomes the new distribution's quantile at the old one's F(x), so
    /// the scenario's draw keeps the main draw's place in its distribution.
    pub redraw: Vec<(usize, Distribution, Distribution)>,
}

impl Adjustments {
    /// On a draw's values: redrawn, set, then linked.
    pub fn apply(&self, values: &mut [f64]) {
        for (slot, old, new) in &self.redraw {
            let u = old.cdf(values[*slot]).unwrap_or(0.5);
            // Kept inside (0, 1) so that an unbounded tail stays finite.
            values[*slot] = new.quantile(u.clamp(1e-16, 1.0 - 1e-16));
        }
        self.apply_at_base(values);
    }

    /// On base values, which a change of distribution leaves as they are.
    pub fn apply_at_base(&self, values: &mut [f64]) {
        for &(slot, v) in &self.set {
            values[slot] = v;
        }
        for &(slot, source) in &self.link {
            values[slot] = values[source];
        }
    }
}
