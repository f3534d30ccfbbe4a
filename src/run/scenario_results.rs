//! Each scenario evaluated on the run's draws: the same sampled parameter
//! values, with the scenario's changes, its own roll-out sampling and
//! horizon; the decision statistics it changes.

use rayon::prelude::*;

use super::config::{RunConfig, Uncertainty};
use super::plan::Plan;
use super::scenario::Scenario;
use crate::analysis::decision::decide;
use crate::analysis::stats::{LEVEL, proportion};
use crate::error::{Error, Result};
use crate::outcomes::{self, Rollout, Workspace};
use crate::results::ScenarioResult;

/// Runs one scenario on the run's draws, whose sampled parameter values
/// (one column per sampled parameter) are `drawn`.
pub fn evaluate(
    scenario: &Scenario,
    config: &RunConfig,
    plan: &Plan,
    drawn: &[Vec<f64>],
) -> Result<ScenarioResult> {
    let model = match scenario.horizon_years {
        Some(h) => plan.model.with_horizon(h),
        None => plan.model.clone(),
    };
    let uncertainty = Uncertainty {
        parameters: config.uncertainty.parameters,
        rollout: scenario.rollout.unwrap_or(config.uncertainty.rollout),
    };
    let mut engine = plan.engine(config, &model, uncertainty);
    engine.adjustments = scenario.adjustments.clone();
    engine.drawn = Some(drawn);
    let options = model.options.len();
    let n = config.samples as usize;
    let mut flat = vec![0.0; n * options];
    // Chunks keep the per-thread scratch reused; results do not depend on them.
    flat.par_chunks_mut(super::draws::CHUNK * options)
        .enumerate()
        .for_each(|(c, chunk)| engine.present_values((c * super::draws::CHUNK) as u64, chunk));
    engine.check_plausible(0, &flat, options).map_err(|e| {
        Error::input(
            &config.file,
            format!("scenario `{}`", scenario.name),
            e.to_string(),
        )
    })?;
    let pv: Vec<Vec<f64>> = (0..options)
        .map(|k| (0..n).map(|i| flat[i * options + k]).collect())
        .collect();
    let decision = decide(&pv, LEVEL);
    let mean_pv: Vec<f64> = pv.iter().map(|v| crate::analysis::stats::mean(v)).collect();
    let mut order: Vec<usize> = (0..options).collect();
    order.sort_by(|&a, &b| mean_pv[b].total_cmp(&mean_pv[a]));
    let question = &plan.question;
    let pairs = question
        .pairs
        .iter()
        .map(|pair| {
            let wins = (0..n)
                .filter(|&i| pv[pair.a][i] - pv[pair.b][i] > question.margin)
                .count();
            let p = proportion(wins as u64, n as u64, LEVEL);
            (pair.key(&model), p)
        })
        .collect();
    let mut ws = Workspace::new(&model);
    let mut base = outcomes::Totals::new(options);
    outcomes::evaluate(
        &model,
        &engine.base_values(),
        Rollout::Expected,
        &mut ws,
        &mut base,
    );
    let base_pv = base.present_value;
    let by_option = |values: &[f64]| {
        model
            .options
            .iter()
            .zip(values)
            .map(|(o, v)| (o.id.clone(), *v))
            .collect()
    };
    let p_best: Vec<f64> = decision.p_best.iter().map(|p| p.estimate).collect();
    if !base_pv.iter().all(|&v| outcomes::plausible(v)) {
        return Err(Error::input(
            &config.file,
            format!("scenario `{}`", scenario.name),
            "its base case gives option values that are not finite or beyond ±£1e15: the values it sets overflow the model's arithmetic",
        ));
    }
    Ok(ScenarioResult {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        ranking_by_mean_pv: order.iter().map(|&k| model.options[k].id.clone()).collect(),
        base_pv_gbp: by_option(&base_pv),
        mean_pv_gbp: by_option(&mean_pv),
        p_best: by_option(&p_best),
        pairs,
    })
}
