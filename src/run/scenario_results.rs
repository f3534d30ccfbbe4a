//! Each scenario's decision statistics, from what `scenario_draws.rs`
//! counted over the run's draws, and its base case.

use super::scenario_draws::ScenarioTally;
use crate::analysis::compare::verdict;
use crate::analysis::stats::{LEVEL, proportion};
use crate::error::{Error, Result};
use crate::outcomes::{self, Rollout, Workspace};
use crate::plan::Plan;
use crate::plan::config::RunConfig;
use crate::results::{ScenarioPairOutcome, ScenarioResult};

/// The statistics of scenario `index` of the plan, from the counts over
/// the run's draws, and its base case.
pub fn finish(
    index: usize,
    config: &RunConfig,
    plan: &Plan,
    tally: &ScenarioTally,
) -> Result<ScenarioResult> {
    let scenario = &plan.scenarios[index];
    let model = match scenario.horizon_years {
        Some(h) => plan.model.with_horizon(h),
        None => plan.model.clone(),
    };
    let options = model.options.len();
    let n = tally.draws;
    let at = index * options;
    let mean_pv: Vec<f64> = tally.sums[at..at + options]
        .iter()
        .map(|s| s / n as f64)
        .collect();
    let p_best: Vec<f64> = tally.best[at..at + options]
        .iter()
        .map(|&c| proportion(c, n, LEVEL).estimate)
        .collect();
    let mut order: Vec<usize> = (0..options).collect();
    order.sort_by(|&a, &b| mean_pv[b].total_cmp(&mean_pv[a]));
    let question = &plan.question;
    let at = |p: usize| index * question.pairs.len() + p;
    let pairs = question
        .pairs
        .iter()
        .enumerate()
        .map(|(p, pair)| (pair.key(&model), proportion(tally.wins[at(p)], n, LEVEL)))
        .collect::<indexmap::IndexMap<_, _>>();
    let pair_outcomes = pairs
        .iter()
        .enumerate()
        .map(|(p, (key, share))| {
            let verdict = verdict(share, n, LEVEL);
            let outcome = ScenarioPairOutcome {
                verdict: verdict.label,
                verdict_settled: verdict.settled,
                mean_difference_gbp: tally.difference_sums[at(p)] / n as f64,
                mean_difference_mcse_gbp: tally.difference_spread[at(p)].sd() / (n as f64).sqrt(),
            };
            (key.clone(), outcome)
        })
        .collect();
    let mut values = plan.inputs.base_values();
    scenario.adjustments.apply_at_base(&mut values);
    let mut ws = Workspace::new(&model);
    let mut base = outcomes::Totals::new(options);
    outcomes::evaluate(&model, &values, Rollout::Expected, &mut ws, &mut base);
    let base_pv = base.present_value;
    let by_option = |values: &[f64]| {
        model
            .options
            .iter()
            .zip(values)
            .map(|(o, v)| (o.id.clone(), *v))
            .collect()
    };
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
        pair_outcomes,
    })
}
