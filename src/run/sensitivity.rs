//! The one-way analysis of the CHH model: which outcome, over which ranges.

use std::cell::RefCell;
use std::path::Path;

use super::config::TornadoEntry;
use crate::analysis::tornado::{
    Bar, OneWayModel, ParameterRange, RangeSource, SwitchKind, SwitchPoint, Tornado,
};
use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes::{self, Rollout, Workspace};
use polars::prelude::*;

/// The quantity a tornado shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// PV of option a less PV of option b.
    Difference(usize, usize),
    /// An option's PV against the comparator.
    AgainstComparator(usize),
}

impl Outcome {
    pub fn parse(text: &str, model: &Model, file: &Path) -> Result<Outcome> {
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
            Some((a, b)) => Ok(Outcome::Difference(find(a)?, find(b)?)),
            None => Ok(Outcome::AgainstComparator(find(text)?)),
        }
    }

    pub fn value(&self, pv: &[f64]) -> f64 {
        match *self {
            Outcome::Difference(a, b) => pv[a] - pv[b],
            Outcome::AgainstComparator(k) => pv[k],
        }
    }

    pub fn label(&self, model: &Model) -> String {
        let id = |k: usize| model.options[k].id.as_str();
        match *self {
            Outcome::Difference(a, b) => format!("PV of {} minus PV of {}", id(a), id(b)),
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

/// The deterministic CHH model (expected roll-out) seen by the one-way analysis.
pub struct Deterministic<'a> {
    pub model: &'a Model,
    pub outcome: Outcome,
    workspace: RefCell<Workspace>,
}

impl<'a> Deterministic<'a> {
    pub fn new(model: &'a Model, outcome: Outcome) -> Self {
        Deterministic {
            model,
            outcome,
            workspace: RefCell::new(Workspace::new(model)),
        }
    }
}

impl OneWayModel for Deterministic<'_> {
    fn option_values(&self, values: &[f64]) -> Vec<f64> {
        let n = self.model.options.len();
        let (mut nominal, mut pv) = (vec![0.0; n], vec![0.0; n]);
        outcomes::evaluate(
            self.model,
            values,
            Rollout::Expected,
            &mut self.workspace.borrow_mut(),
            &mut nominal,
            &mut pv,
        );
        pv
    }

    fn outcome(&self, option_values: &[f64]) -> f64 {
        self.outcome.value(option_values)
    }
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
            Some(&[low, high]) => {
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

/// Writes `tornado.parquet`, `switch_points.parquet` and `tornado.svg`.
pub fn write(
    dir: &Path,
    tornado: &Tornado,
    plan: &super::Plan,
    metadata: &crate::export::parquet::Metadata,
) -> Result<Vec<std::path::PathBuf>> {
    let ids: Vec<String> = plan.model.options.iter().map(|o| o.id.clone()).collect();
    let label = plan.outcome.label(&plan.model);
    let mut meta = metadata.clone();
    meta.push(("chh_psa.tornado_outcome".into(), label.clone()));
    meta.push((
        "chh_psa.tornado_centre_gbp".into(),
        tornado.centre.to_string(),
    ));
    meta.push(("chh_psa.tornado_grid".into(), plan.grid.to_string()));

    let b = &tornado.bars;
    let f = |get: &dyn Fn(&Bar) -> f64| b.iter().map(get).collect::<Vec<f64>>();
    let s = |get: &dyn Fn(&Bar) -> String| b.iter().map(get).collect::<Vec<String>>();
    let columns = vec![
        Column::new("parameter".into(), s(&|x| x.name.clone())),
        Column::new("range_source".into(), s(&|x| x.source.as_str().to_string())),
        Column::new("low_value".into(), f(&|x| x.low)),
        Column::new("high_value".into(), f(&|x| x.high)),
        Column::new("base_case_gbp".into(), vec![tornado.centre; b.len()]),
        Column::new("outcome_at_low_gbp".into(), f(&|x| x.outcome_at_low)),
        Column::new("outcome_at_high_gbp".into(), f(&|x| x.outcome_at_high)),
        Column::new("grid_min_gbp".into(), f(&|x| x.grid_min)),
        Column::new("grid_max_gbp".into(), f(&|x| x.grid_max)),
        Column::new("value_at_grid_min".into(), f(&|x| x.value_at_grid_min)),
        Column::new("value_at_grid_max".into(), f(&|x| x.value_at_grid_max)),
        Column::new("swing_gbp".into(), f(&|x| x.swing())),
        Column::new(
            "turns_inside_range".into(),
            b.iter().map(|x| x.turns).collect::<Vec<bool>>(),
        ),
        Column::new("best_at_low".into(), s(&|x| ids[x.best_at_low].clone())),
        Column::new("best_at_high".into(), s(&|x| ids[x.best_at_high].clone())),
    ];
    let tornado_path = dir.join("tornado.parquet");
    let mut df = DataFrame::new(b.len(), columns).map_err(|e| Error::output(&tornado_path, e))?;
    crate::export::parquet::write(&tornado_path, &mut df, &meta)?;

    let sp = &tornado.switch_points;
    let state = |p: &SwitchPoint, k: usize| match p.kind {
        SwitchKind::PreferredOption => ids[k].clone(),
        SwitchKind::OutcomeSign => if k == 1 {
            "positive"
        } else {
            "zero or negative"
        }
        .to_string(),
    };
    let columns = vec![
        Column::new(
            "parameter".into(),
            sp.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            sp.iter()
                .map(|p| p.kind.as_str().to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "value".into(),
            sp.iter().map(|p| p.value).collect::<Vec<_>>(),
        ),
        Column::new(
            "bracket_low".into(),
            sp.iter().map(|p| p.bracket.0).collect::<Vec<_>>(),
        ),
        Column::new(
            "bracket_high".into(),
            sp.iter().map(|p| p.bracket.1).collect::<Vec<_>>(),
        ),
        Column::new(
            "below".into(),
            sp.iter().map(|p| state(p, p.below)).collect::<Vec<_>>(),
        ),
        Column::new(
            "above".into(),
            sp.iter().map(|p| state(p, p.above)).collect::<Vec<_>>(),
        ),
    ];
    let switch_path = dir.join("switch_points.parquet");
    let mut df = DataFrame::new(sp.len(), columns).map_err(|e| Error::output(&switch_path, e))?;
    crate::export::parquet::write(&switch_path, &mut df, &meta)?;

    let svg_path = dir.join("tornado.svg");
    crate::export::svg::tornado(&svg_path, tornado, &label, &ids)?;
    Ok(vec![tornado_path, switch_path, svg_path])
}

/// The tornado as console text: the widest bars and every switch point.
pub fn table(tornado: &Tornado, ids: &[&str], label: &str, top: usize) -> String {
    use crate::export::console;
    let m = |x: f64| format!("{:+.2}", x / 1e6);
    let rows: Vec<Vec<String>> = tornado
        .bars
        .iter()
        .take(top)
        .map(|b| {
            vec![
                b.name.clone(),
                format!(
                    "{} to {}",
                    crate::export::svg::short(b.low),
                    crate::export::svg::short(b.high)
                ),
                m(b.outcome_at_low),
                m(b.outcome_at_high),
                format!("{:.2}", b.swing() / 1e6),
                if b.turns { "yes".into() } else { String::new() },
                format!("{} / {}", ids[b.best_at_low], ids[b.best_at_high]),
            ]
        })
        .collect();
    let mut out = format!("Tornado: {label} (£m); base case {}\n\n", m(tornado.centre));
    out.push_str(&console::table(
        &[
            "parameter",
            "range",
            "at low",
            "at high",
            "swing",
            "turns",
            "best low / high",
        ],
        &rows,
    ));
    if tornado.bars.len() > top {
        out.push_str(&format!(
            "({} more in tornado.parquet)\n",
            tornado.bars.len() - top
        ));
    }
    if tornado.switch_points.is_empty() {
        out.push_str("\nSwitch points: none; no parameter's range changes the preferred option or the sign of the outcome.\n");
    } else {
        out.push_str("\nSwitch points:\n");
        for p in &tornado.switch_points {
            let state = |k: usize| match p.kind {
                SwitchKind::PreferredOption => ids[k].to_string(),
                SwitchKind::OutcomeSign => if k == 1 {
                    "positive"
                } else {
                    "zero or negative"
                }
                .to_string(),
            };
            out.push_str(&format!(
                "  {} = {}: {} changes from {} to {}\n",
                p.name,
                crate::export::svg::short(p.value),
                p.kind.as_str(),
                state(p.below),
                state(p.above)
            ));
        }
    }
    out
}
