//! `[tornado]` of a run file: the outcome the one-way analysis shows, and
//! the range and grid of each parameter it moves.

use std::path::Path;

use super::question::Question;
use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes;
use crate::plan::config::TornadoEntry;

/// The quantity a tornado shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// PV of option a less PV of option b, and the margin that difference
    /// must exceed for a to beat b (the pair's, where the question asks it).
    Difference(usize, usize, f64),
    /// An option's PV against the comparator.
    AgainstComparator(usize),
}

impl Outcome {
    /// Parses `A-B` (at the question's margin for that pair) or an option id.
    pub fn parse(text: &str, model: &Model, question: &Question, file: &Path) -> Result<Outcome> {
        let ids: Vec<&str> = model.options.iter().map(|o| o.id.as_str()).collect();
        let find = |id: &str| {
            ids.iter().position(|o| *o == id).ok_or_else(|| {
                let hint = did_you_mean(id, ids.iter().copied());
                Error::input(
                    file,
                    "tornado.outcome",
                    format!("no option `{id}`{hint} (options: {})", ids.join(", ")),
                )
            })
        };
        match text.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (find(a)?, find(b)?);
                Ok(Outcome::Difference(a, b, question.margin_of(a, b)))
            }
            None => Ok(Outcome::AgainstComparator(find(text)?)),
        }
    }

    /// The outcome when none is named: the headline pair's difference;
    /// without pairs, the base case's best option less its runner-up, the
    /// margin by which the deterministic analysis prefers it.
    pub fn default_for(question: &Question, base: &[outcomes::OptionDetail]) -> Outcome {
        if let Some(pair) = question.headline() {
            return Outcome::Difference(pair.a, pair.b, pair.margin);
        }
        let mut order: Vec<usize> = (0..base.len()).collect();
        order.sort_by(|&a, &b| base[b].present_value.total_cmp(&base[a].present_value));
        match order[..] {
            [best, second, ..] => Outcome::Difference(best, second, 0.0),
            _ => Outcome::AgainstComparator(0),
        }
    }

    /// The outcome in each draw, from each option's PV over the draws.
    pub fn over_draws(&self, present_value: &[Vec<f64>]) -> Vec<f64> {
        match *self {
            Outcome::Difference(a, b, _) => present_value[a]
                .iter()
                .zip(&present_value[b])
                .map(|(x, y)| x - y)
                .collect(),
            Outcome::AgainstComparator(k) => present_value[k].clone(),
        }
    }

    pub fn value(&self, pv: &[f64]) -> f64 {
        match *self {
            Outcome::Difference(a, b, _) => pv[a] - pv[b],
            Outcome::AgainstComparator(k) => pv[k],
        }
    }

    /// Where the decision the outcome stands for changes: the pair's
    /// margin, or zero against the comparator.
    pub fn threshold(&self) -> f64 {
        match *self {
            Outcome::Difference(_, _, margin) => margin,
            Outcome::AgainstComparator(_) => 0.0,
        }
    }

    /// The ids of the options whose PVs make the outcome: `[a, b]` for a
    /// difference, `[k]` against the comparator.
    pub fn options(&self, model: &Model) -> Vec<String> {
        let id = |k: usize| model.options[k].id.clone();
        match *self {
            Outcome::Difference(a, b, _) => vec![id(a), id(b)],
            Outcome::AgainstComparator(k) => vec![id(k)],
        }
    }

    pub fn label(&self, model: &Model) -> String {
        let id = |k: usize| model.options[k].id.as_str();
        match *self {
            Outcome::Difference(a, b, _) => format!("PV of {} minus PV of {}", id(a), id(b)),
            Outcome::AgainstComparator(k) => {
                format!(
                    "PV of {} against {}",
                    id(k),
                    model.options[model.comparator].id
                )
            }
        }
    }
}

/// Where a parameter's range came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSource {
    /// The 2.5th and 97.5th percentiles of its distribution.
    Percentiles,
    /// Declared in the run file.
    Declared,
}

impl RangeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RangeSource::Percentiles => "2.5th-97.5th percentile",
            RangeSource::Declared => "declared in run file",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ParameterRange {
    /// Slot of the parameter in the values.
    pub slot: usize,
    pub name: String,
    pub low: f64,
    pub high: f64,
    pub source: RangeSource,
}

/// The range of every uncertain parameter: declared in the run file, or its
/// distribution's 2.5th and 97.5th percentiles.
pub fn ranges(inputs: &Inputs, entry: &TornadoEntry, file: &Path) -> Result<Vec<ParameterRange>> {
    for name in entry.ranges.keys() {
        if inputs.parameter_index(name).is_none() {
            let hint = did_you_mean(name, inputs.parameters.iter().map(|p| p.name.as_str()));
            return Err(Error::input(
                file,
                format!("tornado.ranges.{name}"),
                format!("no such parameter{hint}"),
            ));
        }
    }
    let mut out = Vec::new();
    for (slot, p) in inputs.parameters.iter().enumerate() {
        let declared = entry.ranges.get(&p.name);
        if declared.is_none() && !p.is_sampled() {
            continue;
        }
        let (low, high, source) = match declared {
            Some(&crate::inputs::exact::Two([low, high])) => {
                let item = format!("tornado.ranges.{}", p.name);
                if !(low.is_finite() && high.is_finite() && low < high) {
                    return Err(Error::input(
                        file,
                        item,
                        format!("[{low}, {high}]: the low value must be below the high value"),
                    ));
                }
                if !p.domain.contains(low) || !p.domain.contains(high) {
                    return Err(Error::input(
                        file,
                        item,
                        format!(
                            "[{low}, {high}] leaves the parameter's domain: it must be {}",
                            p.domain.describe()
                        ),
                    ));
                }
                (low, high, RangeSource::Declared)
            }
            None => (
                p.distribution.quantile(0.025),
                p.distribution.quantile(0.975),
                RangeSource::Percentiles,
            ),
        };
        out.push(ParameterRange {
            slot,
            name: p.name.clone(),
            low,
            high,
            source,
        });
    }
    Ok(out)
}

pub fn grid(entry: &TornadoEntry, file: &Path) -> Result<usize> {
    if !(2..=10_001).contains(&entry.grid) {
        return Err(Error::input(
            file,
            "tornado.grid",
            format!("is {}; it must be between 2 and 10001 points", entry.grid),
        ));
    }
    Ok(entry.grid as usize)
}
