//! Reading a result: the option ids in order, each figure's statistics by
//! name, the tornado as the analysis describes it, and the checks that a
//! result read back from a file is whole and consistent.

use super::*;
use crate::analysis::tornado::{Bar, RangeSource, SwitchKind, SwitchPoint, Tornado};

impl RankingRobustness {
    /// The outcome's value in each draw, from each option's PV over the
    /// draws (options in `ids` order).
    pub fn outcome_over_draws(&self, ids: &[String], pv: &[Vec<f64>]) -> Option<Vec<f64>> {
        let column = |id: &String| ids.iter().position(|i| i == id).map(|k| &pv[k]);
        match self.spearman_outcome_options.as_slice() {
            [a] => column(a).cloned(),
            [a, b] => {
                let (a, b) = (column(a)?, column(b)?);
                Some(a.iter().zip(b).map(|(x, y)| x - y).collect())
            }
            _ => None,
        }
    }

    /// The sampled inputs most strongly rank-correlated with the outcome,
    /// strongest first; the roll-out's own outcomes (hub-years) are left out.
    pub fn strongest_inputs(&self, count: usize) -> Vec<&RankCorrelation> {
        let mut inputs: Vec<&RankCorrelation> = self
            .spearman
            .iter()
            .filter(|c| !super::DrawColumn::is_hub_years(&c.input))
            .collect();
        inputs.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
        inputs.truncate(count);
        inputs
    }
}

impl Spread {
    /// Each statistic with the name its table column carries.
    pub fn named(&self) -> [(&'static str, f64); 7] {
        [
            ("base", self.base),
            ("mean", self.mean),
            ("p2_5", self.p2_5),
            ("p25", self.p25),
            ("p50", self.p50),
            ("p75", self.p75),
            ("p97_5", self.p97_5),
        ]
    }
}

impl TornadoResult {
    /// The tornado as the analysis holds it, for drawing; option ids are
    /// looked up in `ids` (an unknown id reads as the first option).
    pub fn to_tornado(&self, ids: &[String]) -> Tornado {
        let index = |id: &str| ids.iter().position(|i| i == id).unwrap_or(0);
        Tornado {
            centre: self.base_case_gbp,
            threshold: self.threshold_gbp,
            bars: self
                .bars
                .iter()
                .map(|b| Bar {
                    name: b.parameter.clone(),
                    base: b.base_value,
                    low: b.low_value,
                    high: b.high_value,
                    source: if b.range_source == RangeSource::Declared.as_str() {
                        RangeSource::Declared
                    } else {
                        RangeSource::Percentiles
                    },
                    outcome_at_low: b.outcome_at_low_gbp,
                    outcome_at_high: b.outcome_at_high_gbp,
                    grid_min: b.grid_min_gbp,
                    grid_max: b.grid_max_gbp,
                    value_at_grid_min: f64::NAN,
                    value_at_grid_max: f64::NAN,
                    turns: b.turns_inside_range,
                    best_at_low: index(&b.best_at_low),
                    best_at_high: index(&b.best_at_high),
                })
                .collect(),
            switch_points: self
                .switch_points
                .iter()
                .map(|p| SwitchPoint {
                    name: p.parameter.clone(),
                    kind: if p.kind == SwitchKind::OutcomeThreshold.as_str() {
                        SwitchKind::OutcomeThreshold
                    } else {
                        SwitchKind::PreferredOption
                    },
                    value: p.value,
                    bracket: (p.bracket[0], p.bracket[1]),
                    below: 0,
                    above: 0,
                })
                .collect(),
        }
    }
}

impl Results {
    /// What in these results contradicts the rest (a hand-edited or damaged
    /// summary): the field at fault and why, or none. Serde checks each
    /// field's type; this checks the fields against each other.
    pub fn inconsistency(&self) -> Option<(String, String)> {
        let n = self.options.len();
        let known = |id: &str| self.options.contains_key(id);
        let fault = |field: String, why: String| Some((field, why));
        if n == 0 {
            return fault("options".into(), "no option".into());
        }
        for (id, o) in &self.options {
            if o.p_rank.len() != n {
                return fault(
                    format!("options.{id}.p_rank"),
                    format!("has {} entries for {n} options", o.p_rank.len()),
                );
            }
            if o.p_beats.len() != n || !o.p_beats.keys().all(|k| known(k)) {
                return fault(
                    format!("options.{id}.p_beats"),
                    "must hold one entry for each option".into(),
                );
            }
        }
        if !known(&self.best_option_by_mean) {
            return fault("best_option_by_mean".into(), "names no option".into());
        }
        for (key, pair) in &self.decision.pairs {
            if !known(&pair.a) || !known(&pair.b) || *key != format!("{}-{}", pair.a, pair.b) {
                return fault(
                    format!("decision.pairs.{key}"),
                    "names options it does not hold".into(),
                );
            }
        }
        if let Some(h) = &self.decision.headline
            && !self.decision.pairs.contains_key(h)
        {
            return fault(
                "decision.headline".into(),
                format!("`{h}` is not among the pairs"),
            );
        }
        for bar in &self.tornado.bars {
            if !known(&bar.best_at_low) || !known(&bar.best_at_high) {
                return fault(
                    format!("tornado.bars.{}", bar.parameter),
                    "names no option".into(),
                );
            }
        }
        for (k, t) in self.two_way.iter().enumerate() {
            let (nx, ny) = (t.x_values.len(), t.y_values.len());
            let shaped_values =
                t.outcome_gbp.len() == ny && t.outcome_gbp.iter().all(|r| r.len() == nx);
            let shaped_options =
                t.preferred.len() == ny && t.preferred.iter().all(|r| r.len() == nx);
            if nx < 2 || ny < 2 || !shaped_values || !shaped_options {
                return fault(
                    format!("two_way[{k}]"),
                    "its grid does not have one value per pair of x and y values".into(),
                );
            }
        }
        for s in &self.scenarios {
            let keyed = |m: &IndexMap<String, f64>| m.len() == n && m.keys().all(|k| known(k));
            if !keyed(&s.base_pv_gbp) || !keyed(&s.mean_pv_gbp) || !keyed(&s.p_best) {
                return fault(
                    format!("scenarios.{}", s.name),
                    "must hold one value for each option".into(),
                );
            }
        }
        None
    }

    /// The option ids, in the option file's order.
    pub fn option_ids(&self) -> Vec<String> {
        self.options.keys().cloned().collect()
    }
}
