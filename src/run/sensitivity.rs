//! The tornado as the run's results hold it.

use crate::analysis::tornado::Tornado;
use crate::results::{SwitchPointResult, TornadoBar, TornadoResult};

/// The tornado as the run's results hold it.
pub fn result(tornado: &Tornado, label: &str, ids: &[String]) -> TornadoResult {
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
                below: crate::export::tornado::state(p, p.below, ids, tornado.threshold),
                above: crate::export::tornado::state(p, p.above, ids, tornado.threshold),
            })
            .collect(),
    }
}
