//! The summary of a run: per option the distribution of its value, and the
//! decision statistics, beside the deterministic base case.

use polars::prelude::*;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

use super::scenario::ScenarioResult;
use super::{Plan, RunConfig};
use crate::analysis::decision::{Decision, decide};
use crate::analysis::robustness::share_with_ranking;
use crate::analysis::stats::{Describe, Proportion, describe, proportion};
use crate::analysis::tornado::Tornado;
use crate::error::{Error, Result};
use crate::export::{self, console, parquet::Metadata};
use crate::outcomes::OptionDetail;
use crate::published::PUBLISHED_RANKING;

/// Confidence level of every interval in the summary.
pub const LEVEL: f64 = 0.95;

#[derive(Debug, Clone)]
pub struct OptionSummary {
    pub id: String,
    pub name: String,
    pub base_nominal: f64,
    pub base_pv: f64,
    pub nominal: Describe,
    pub pv: Describe,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub samples: u64,
    pub seed: u64,
    pub inputs_hash: String,
    pub uncertainty: super::Uncertainty,
    pub options: Vec<OptionSummary>,
    /// On present value.
    pub decision: Decision,
    /// P(accelerated PV > supported PV), where both options exist.
    pub accelerated_beats_supported: Option<Proportion>,
    /// Share of draws ranking all options as published, where they all exist.
    pub published_ranking_share: Option<f64>,
    pub outcome_label: String,
    pub extras: Extras,
    /// Every parameter: its distribution, base and central 95% range.
    pub parameters: Vec<Value>,
    pub horizon_years: usize,
    pub design: crate::sampling::Design,
}

/// Analyses beyond the draws' own statistics.
#[derive(Debug, Clone)]
pub struct Extras {
    pub tornado: Tornado,
    pub scenarios: Vec<ScenarioResult>,
    /// Spearman correlation of each sampled input with the tornado's outcome.
    pub correlations: Vec<(String, f64)>,
    /// Each correlated pair of parameters: declared and achieved.
    pub copulas: Vec<CorrelationCheck>,
    pub evppi: Option<super::evppi::Table>,
    /// How a precision-driven run (`--until-mcse`) stopped.
    pub stopping: Option<super::precision::Stopping>,
}

/// A pair of parameters in a correlation group.
#[derive(Debug, Clone)]
pub struct CorrelationCheck {
    pub a: String,
    pub b: String,
    /// Spearman correlation declared in the distribution file.
    pub target: f64,
    /// Spearman correlation imposed: the target, or the repaired matrix's.
    pub imposed: f64,
    /// Spearman correlation of the draws.
    pub achieved: f64,
    pub repaired: bool,
}

impl Summary {
    pub fn compute(
        config: &RunConfig,
        plan: &Plan,
        base: &[OptionDetail],
        nominal: &[Vec<f64>],
        present_value: &[Vec<f64>],
        extras: Extras,
    ) -> Summary {
        let (inputs, model) = (&plan.inputs, &plan.model);
        // Each description reads its option's draws five times (mean,
        // spread, and the radix selection of its percentiles): independent
        // work, so spread over the threads.
        let options = model
            .options
            .par_iter()
            .enumerate()
            .map(|(k, o)| OptionSummary {
                id: o.id.clone(),
                name: o.name.clone(),
                base_nominal: base[k].nominal,
                base_pv: base[k].present_value,
                nominal: describe(&nominal[k]),
                pv: describe(&present_value[k]),
            })
            .collect();
        let index = |id: &str| model.options.iter().position(|o| o.id == id);
        let accelerated_beats_supported = match (index("accelerated"), index("supported")) {
            (Some(a), Some(s)) => {
                let wins = present_value[a]
                    .iter()
                    .zip(&present_value[s])
                    .filter(|(x, y)| x > y)
                    .count();
                Some(proportion(wins as u64, config.samples, LEVEL))
            }
            _ => None,
        };
        let published: Option<Vec<usize>> = PUBLISHED_RANKING.iter().map(|id| index(id)).collect();
        let published_ranking_share = published
            .filter(|order| order.len() == model.options.len())
            .map(|order| share_with_ranking(present_value, &order));
        let parameters = inputs
            .parameters
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "description": p.description,
                    "unit": p.unit,
                    "distribution": p.distribution.describe(),
                    "base": p.base,
                    "p2_5": p.distribution.quantile(0.025),
                    "p97_5": p.distribution.quantile(0.975),
                    "source": p.source,
                    "fitted": p.fitted,
                    "file": p.file.file_name().map(|f| f.to_string_lossy().into_owned()),
                })
            })
            .collect();
        Summary {
            design: plan.sampling.design,
            horizon_years: model.horizon_years,
            parameters,
            published_ranking_share,
            outcome_label: plan.outcome.label(model),
            extras,
            samples: config.samples,
            seed: config.seed,
            inputs_hash: inputs.hash.clone(),
            uncertainty: config.uncertainty,
            options,
            decision: decide(present_value, LEVEL),
            accelerated_beats_supported,
        }
    }

    pub fn to_json(&self) -> Value {
        let ids: Vec<&str> = self.options.iter().map(|o| o.id.as_str()).collect();
        let d = &self.decision;
        let options: Vec<Value> = self
            .options
            .iter()
            .enumerate()
            .map(|(k, o)| {
                json!({
                    "id": o.id,
                    "name": o.name,
                    "base_case": { "nominal_gbp": o.base_nominal, "pv_gbp": o.base_pv },
                    "nominal_gbp": o.nominal,
                    "pv_gbp": o.pv,
                    "p_best": d.p_best[k],
                    "p_rank": d.p_rank[k],
                    "expected_loss_gbp": d.expected_loss[k],
                    "expected_loss_mcse_gbp": d.expected_loss_mcse[k],
                })
            })
            .collect();
        json!({
            "engine": { "name": "chh-psa", "version": env!("CARGO_PKG_VERSION") },
            "run": {
                "samples": self.samples,
                "seed": self.seed,
                "inputs_hash": self.inputs_hash,
                "sampling_design": self.design.describe(),
                "sampling_design_key": self.design.name(),
                "uncertainty": self.uncertainty,
                "decision_metric": "pv_gbp: present value of net efficiency against the comparator; higher is better",
                "interval_level": LEVEL,
                "horizon_years": self.horizon_years,
                "percentile_method": "linear interpolation between order statistics (type 7)",
            },
            "options": options,
            "p_accelerated_beats_supported": self.accelerated_beats_supported,
            "pairwise": { "options": ids, "p_row_beats_column": d.pairwise },
            "best_option_by_mean": ids[d.best_by_mean],
            "evpi_gbp": d.evpi,
            "evpi_mcse_gbp": d.evpi_mcse,
            "evppi": self.extras.evppi.as_ref().map(|t| t.to_json()),
            "stopping": self.extras.stopping.as_ref().map(|s| s.to_json()),
            "correlated_parameters": self.extras.copulas.iter().map(|c| json!({
                "parameters": [c.a, c.b],
                "target_spearman": c.target,
                "imposed_spearman": c.imposed,
                "achieved_spearman": c.achieved,
                "repaired": c.repaired,
            })).collect::<Vec<_>>(),
            "ranking_robustness": {
                "published_ranking": PUBLISHED_RANKING,
                "share_of_draws_with_published_ranking": self.published_ranking_share,
                "spearman_outcome": self.outcome_label,
                "spearman": self.extras.correlations.iter().map(|(n, r)| json!({"input": n, "rho": r})).collect::<Vec<_>>(),
            },
            "tornado": self.tornado_json(&ids),
            "parameters": self.parameters,
            "scenarios": self.extras.scenarios.iter().map(|r| {
                json!({
                    "name": r.name,
                    "description": r.description,
                    "ranking_by_mean_pv": r.ranking,
                    "base_pv_gbp": r.base_pv,
                    "mean_pv_gbp": r.mean_pv,
                    "p_best": r.p_best,
                    "p_accelerated_beats_supported": r.accelerated_beats_supported,
                })
            }).collect::<Vec<_>>(),
        })
    }

    fn tornado_json(&self, ids: &[&str]) -> Value {
        let t = &self.extras.tornado;
        json!({
            "outcome": self.outcome_label,
            "base_case_gbp": t.centre,
            "bars": t.bars.iter().map(|b| json!({
                "parameter": b.name,
                "range_source": b.source.as_str(),
                "low_value": b.low,
                "high_value": b.high,
                "outcome_at_low_gbp": b.outcome_at_low,
                "outcome_at_high_gbp": b.outcome_at_high,
                "grid_min_gbp": b.grid_min,
                "grid_max_gbp": b.grid_max,
                "turns_inside_range": b.turns,
                "best_at_low": ids[b.best_at_low],
                "best_at_high": ids[b.best_at_high],
            })).collect::<Vec<_>>(),
            "switch_points": t.switch_points.iter().map(|p| json!({
                "parameter": p.name,
                "kind": p.kind.as_str(),
                "value": p.value,
                "bracket": [p.bracket.0, p.bracket.1],
            })).collect::<Vec<_>>(),
        })
    }

    /// One row per option.
    pub fn frame(&self) -> Result<DataFrame> {
        let d = &self.decision;
        let n = self.options.len();
        let col = |name: &str, f: &dyn Fn(usize) -> f64| {
            Column::new(name.into(), (0..n).map(f).collect::<Vec<f64>>())
        };
        let o = &self.options;
        let mut columns = vec![
            Column::new(
                "option".into(),
                o.iter().map(|o| o.id.clone()).collect::<Vec<_>>(),
            ),
            col("base_nominal_gbp", &|k| o[k].base_nominal),
            col("base_pv_gbp", &|k| o[k].base_pv),
        ];
        for (metric, get) in [
            (
                "nominal",
                &(|k: usize| o[k].nominal) as &dyn Fn(usize) -> Describe,
            ),
            ("pv", &|k: usize| o[k].pv),
        ] {
            columns.push(col(&format!("mean_{metric}_gbp"), &|k| get(k).mean));
            columns.push(col(&format!("mcse_mean_{metric}_gbp"), &|k| {
                get(k).mcse_mean
            }));
            columns.push(col(&format!("sd_{metric}_gbp"), &|k| get(k).sd));
            columns.push(col(&format!("median_{metric}_gbp"), &|k| get(k).median));
            columns.push(col(&format!("p2_5_{metric}_gbp"), &|k| get(k).p2_5));
            columns.push(col(&format!("p97_5_{metric}_gbp"), &|k| get(k).p97_5));
        }
        columns.push(col("p_best", &|k| d.p_best[k].estimate));
        columns.push(col("p_best_mcse", &|k| d.p_best[k].mcse));
        for r in 0..n {
            columns.push(col(&format!("p_rank_{}", r + 1), &|k| d.p_rank[k][r]));
        }
        for (j, other) in o.iter().enumerate() {
            columns.push(col(&format!("p_beats_{}", other.id), &|k| d.pairwise[k][j]));
        }
        columns.push(col("expected_loss_gbp", &|k| d.expected_loss[k]));
        columns.push(col("expected_loss_mcse_gbp", &|k| d.expected_loss_mcse[k]));
        DataFrame::new(n, columns)
            .map_err(|e| Error::Usage(format!("building the summary table failed: {e}")))
    }

    pub fn write(&self, dir: &Path, metadata: &Metadata) -> Result<Vec<PathBuf>> {
        let json_path = dir.join("summary.json");
        let parquet_path = dir.join("summary.parquet");
        let mut meta = metadata.clone();
        meta.push(("chh_psa.evpi_gbp".into(), self.decision.evpi.to_string()));
        if let Some(p) = &self.accelerated_beats_supported {
            meta.push((
                "chh_psa.p_accelerated_beats_supported".into(),
                p.estimate.to_string(),
            ));
        }
        export::parquet::write(&parquet_path, &mut self.frame()?, &meta)?;
        let scenarios_path = dir.join("scenarios.parquet");
        let mut written = vec![parquet_path];
        if !self.extras.scenarios.is_empty() {
            export::parquet::write(&scenarios_path, &mut self.scenario_frame()?, &meta)?;
            written.push(scenarios_path);
        }
        // Last: its presence marks a finished run.
        export::write_json(&json_path, &self.to_json())?;
        written.push(json_path);
        Ok(written)
    }

    /// One row per scenario and option.
    pub fn scenario_frame(&self) -> Result<DataFrame> {
        let (mut scenario, mut option, mut base, mut mean, mut best, mut rank, mut acc) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for r in &self.extras.scenarios {
            for (k, o) in self.options.iter().enumerate() {
                scenario.push(r.name.clone());
                option.push(o.id.clone());
                base.push(r.base_pv[k]);
                mean.push(r.mean_pv[k]);
                best.push(r.p_best[k]);
                rank.push(
                    r.ranking
                        .iter()
                        .position(|id| *id == o.id)
                        .map_or(0, |p| p as u32 + 1),
                );
                acc.push(r.accelerated_beats_supported.map(|p| p.estimate));
            }
        }
        let n = scenario.len();
        DataFrame::new(
            n,
            vec![
                Column::new("scenario".into(), scenario),
                Column::new("option".into(), option),
                Column::new("base_pv_gbp".into(), base),
                Column::new("mean_pv_gbp".into(), mean),
                Column::new("p_best".into(), best),
                Column::new("rank_by_mean_pv".into(), rank),
                Column::new("p_accelerated_beats_supported".into(), acc),
            ],
        )
        .map_err(|e| Error::Usage(format!("building the scenario table failed: {e}")))
    }

    pub fn to_table(&self) -> String {
        let d = &self.decision;
        let m = |x: f64| format!("{:+.1}", x / 1e6);
        let rows: Vec<Vec<String>> = self
            .options
            .iter()
            .enumerate()
            .map(|(k, o)| {
                vec![
                    o.id.clone(),
                    m(o.base_pv),
                    format!("{} ± {:.2}", m(o.pv.mean), o.pv.mcse_mean / 1e6),
                    format!("{} to {}", m(o.pv.p2_5), m(o.pv.p97_5)),
                    m(o.nominal.mean),
                    format!("{:.3}", d.p_best[k].estimate),
                    (1..=self.options.len())
                        .map(|r| format!("{:.2}", d.p_rank[k][r - 1]))
                        .collect::<Vec<_>>()
                        .join(" "),
                    format!("{:.2}", d.expected_loss[k] / 1e6),
                ]
            })
            .collect();
        let mut out = format!(
            "PSA: {} draws ({}), seed {}, inputs {}\nNet efficiency against the comparator, £m; decisions on present value (PV)\n\n",
            self.samples,
            self.design.describe(),
            self.seed,
            &self.inputs_hash[..12]
        );
        out.push_str(&console::table(
            &[
                "option",
                "base PV",
                "mean PV ± MCSE",
                "95% interval",
                "mean nominal",
                "P(best)",
                "P(rank 1..n)",
                "exp. loss",
            ],
            &rows,
        ));
        if let Some(stop) = &self.extras.stopping {
            out.push_str(&format!("\n{}", stop.describe()));
        }
        if let Some(p) = &self.accelerated_beats_supported {
            out.push_str(&format!(
                "\nP(accelerated beats supported) = {:.3} ± {:.3} (MCSE); 95% Wilson interval {:.3} to {:.3}\n",
                p.estimate, p.mcse, p.wilson_low, p.wilson_high
            ));
        }
        out.push_str(&format!(
            "Best by mean PV: {}; EVPI £{:.2}m ± {:.2}\n",
            self.options[d.best_by_mean].id,
            d.evpi / 1e6,
            d.evpi_mcse / 1e6
        ));
        if let Some(share) = self.published_ranking_share {
            out.push_str(&format!(
                "Draws ranking all options as published ({}): {:.3}\n",
                PUBLISHED_RANKING.join(" > "),
                share
            ));
        }
        let mut strongest: Vec<&(String, f64)> = self.extras.correlations.iter().collect();
        strongest.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        if !strongest.is_empty() {
            out.push_str(&format!(
                "Strongest rank correlations with {}:",
                self.outcome_label
            ));
            for (name, rho) in strongest.iter().take(5) {
                out.push_str(&format!(" {name} {rho:+.2};"));
            }
            out.push('\n');
        }
        for c in &self.extras.copulas {
            out.push_str(&format!(
                "Correlated: {} ~ {}: Spearman target {:.3}{}, achieved {:.3}\n",
                c.a,
                c.b,
                c.target,
                if c.repaired {
                    format!(" (repaired to {:.3})", c.imposed)
                } else {
                    String::new()
                },
                c.achieved
            ));
        }
        if let Some(table) = &self.extras.evppi {
            out.push('\n');
            out.push_str(&table.to_table(8));
        }
        let ids: Vec<&str> = self.options.iter().map(|o| o.id.as_str()).collect();
        out.push('\n');
        out.push_str(&super::sensitivity::table(
            &self.extras.tornado,
            &ids,
            &self.outcome_label,
            10,
        ));
        if !self.extras.scenarios.is_empty() {
            let rows: Vec<Vec<String>> = self
                .extras
                .scenarios
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.ranking.join(" > "),
                        r.accelerated_beats_supported
                            .map(|p| format!("{:.3}", p.estimate))
                            .unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            out.push_str("\nScenarios, on the same draws:\n");
            out.push_str(&console::table(
                &["scenario", "ranking by mean PV", "P(acc > sup)"],
                &rows,
            ));
        }
        out
    }
}
