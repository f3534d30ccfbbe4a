//! The tornado's own files: `tornado.parquet` (each bar),
//! `switch_points.parquet` (where a parameter turns the decision) and
//! `tornado.svg`, written by a run and by `chh-psa tornado`.

use polars::prelude::*;
use std::path::{Path, PathBuf};

use crate::analysis::tornado::{Bar, SwitchKind, SwitchPoint, Tornado};
use crate::error::{Error, Result};
use crate::results::{SwitchPointResult, TornadoBar, TornadoResult};

/// The files [`write`] writes.
pub const FILES: [&str; 3] = ["tornado.parquet", "switch_points.parquet", "tornado.svg"];

/// What the tornado's files say of it beside its bars.
pub struct TornadoAbout {
    pub option_ids: Vec<String>,
    /// The outcome, in words.
    pub outcome: String,
    /// Points evaluated across each range.
    pub grid: usize,
}

impl TornadoAbout {
    /// What the plan's tornado is of.
    pub fn of(plan: &crate::plan::Plan) -> TornadoAbout {
        TornadoAbout {
            option_ids: plan.model.options.iter().map(|o| o.id.clone()).collect(),
            outcome: plan.outcome.label(&plan.model),
            grid: plan.grid,
        }
    }

    /// The tornado as the run's results hold it.
    pub fn result(&self, tornado: &Tornado) -> TornadoResult {
        result(tornado, &self.outcome, &self.option_ids)
    }
}

/// Writes `tornado.parquet` and `switch_points.parquet` from the analysis's
/// tornado (which holds where each bar's extremes lie), and `tornado.svg`
/// from its result, as the report draws it.
pub fn write(
    dir: &Path,
    tornado: &Tornado,
    shown: &TornadoResult,
    about: &TornadoAbout,
    metadata: &super::parquet::Metadata,
) -> Result<Vec<PathBuf>> {
    let ids = &about.option_ids;
    let label = about.outcome.clone();
    let mut meta = metadata.clone();
    meta.push(("chh_psa.tornado_outcome".into(), label.clone()));
    meta.push((
        "chh_psa.tornado_centre_gbp".into(),
        tornado.centre.to_string(),
    ));
    meta.push(("chh_psa.tornado_grid".into(), about.grid.to_string()));

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
    let tornado_path = dir.join(FILES[0]);
    let mut df = DataFrame::new(b.len(), columns).map_err(|e| Error::output(&tornado_path, e))?;
    super::parquet::write(&tornado_path, &mut df, &meta)?;

    let sp = &tornado.switch_points;
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
            sp.iter()
                .map(|p| state(p, p.below, ids, tornado.threshold))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "above".into(),
            sp.iter()
                .map(|p| state(p, p.above, ids, tornado.threshold))
                .collect::<Vec<_>>(),
        ),
    ];
    let switch_path = dir.join(FILES[1]);
    let mut df = DataFrame::new(sp.len(), columns).map_err(|e| Error::output(&switch_path, e))?;
    super::parquet::write(&switch_path, &mut df, &meta)?;

    let svg_path = dir.join(FILES[2]);
    super::plots::tornado(&svg_path, shown, &label, ids)?;
    Ok(vec![tornado_path, switch_path, svg_path])
}

/// What holds on one side of a switch point.
pub fn state(p: &SwitchPoint, k: usize, ids: &[String], threshold: f64) -> String {
    let m = super::format::money(threshold);
    match (p.kind, k == 1, threshold == 0.0) {
        (SwitchKind::PreferredOption, ..) => ids[k].clone(),
        (SwitchKind::OutcomeThreshold, true, true) => "positive".into(),
        (SwitchKind::OutcomeThreshold, false, true) => "zero or negative".into(),
        (SwitchKind::OutcomeThreshold, true, false) => format!("above {m}"),
        (SwitchKind::OutcomeThreshold, false, false) => format!("{m} or below"),
    }
}

/// The tornado as the run's results hold it.
fn result(tornado: &Tornado, label: &str, ids: &[String]) -> TornadoResult {
    TornadoResult {
        outcome: label.to_string(),
        base_case_gbp: tornado.centre,
        threshold_gbp: tornado.threshold,
        bars: tornado
            .bars
            .iter()
            .map(|b| TornadoBar {
                parameter: b.name.clone(),
                base_value: b.base,
                range_source: b.source.as_str().into(),
                low_value: b.low,
                high_value: b.high,
                outcome_at_low_gbp: b.outcome_at_low,
                outcome_at_high_gbp: b.outcome_at_high,
                grid_min_gbp: b.grid_min,
                grid_max_gbp: b.grid_max,
                turns_inside_range: b.turns,
                best_at_low: ids[b.best_at_low].clone(),
                best_at_high: ids[b.best_at_high].clone(),
            })
            .collect(),
        switch_points: tornado
            .switch_points
            .iter()
            .map(|p| SwitchPointResult {
                parameter: p.name.clone(),
                kind: p.kind.as_str().into(),
                value: p.value,
                bracket: [p.bracket.0, p.bracket.1],
                below: state(p, p.below, ids, tornado.threshold),
                above: state(p, p.above, ids, tornado.threshold),
            })
            .collect(),
    }
}
