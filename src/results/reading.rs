//! Reading a result: the option ids in order, each figure's statistics by
//! name, the tornado's visible bars, and the checks that a
//! result read back from a file is whole and consistent.

use super::*;

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

/// A bar whose swing is below this share of the widest shows no visible
/// effect at the tornado's scale.
pub const VISIBLE_SHARE: f64 = 0.005;

impl TornadoBar {
    /// Width of the outcome's range over the grid.
    pub fn swing(&self) -> f64 {
        self.grid_max_gbp - self.grid_min_gbp
    }

    /// The base value lies outside the range, so both ends move the
    /// outcome from the base case the same way (when it is monotone).
    pub fn base_outside(&self) -> bool {
        let (low, high) = (self.low_value, self.high_value);
        self.base_value < low.min(high) || self.base_value > low.max(high)
    }
}

impl TornadoResult {
    /// The tornado with only the bars whose effect is visible, and the
    /// names of the others (to be listed rather than drawn as empty rows).
    pub fn visible(&self) -> (TornadoResult, Vec<String>) {
        let widest = self.bars.iter().map(TornadoBar::swing).fold(0.0, f64::max);
        let (shown, hidden): (Vec<&TornadoBar>, Vec<&TornadoBar>) = self
            .bars
            .iter()
            .partition(|b| widest > 0.0 && b.swing() >= VISIBLE_SHARE * widest);
        (
            TornadoResult {
                outcome: self.outcome.clone(),
                base_case_gbp: self.base_case_gbp,
                threshold_gbp: self.threshold_gbp,
                bars: shown.into_iter().cloned().collect(),
                switch_points: self.switch_points.clone(),
            },
            hidden.into_iter().map(|b| b.parameter.clone()).collect(),
        )
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
