//! Scenarios: variants of a run (discount rate, horizon, realisation, no
//! roll-out uncertainty) evaluated on the same draws as the main run, so
//! that differences between scenarios are not sampling noise.

use rayon::prelude::*;
use std::path::Path;

use super::config::ScenarioEntry;
use super::{Adjustments, RunConfig, Uncertainty};
use crate::analysis::decision::decide;
use crate::analysis::stats::{LEVEL, proportion};
use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Inputs;
use crate::outcomes::{self, Rollout, Workspace};
use crate::results::ScenarioResult;

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
            for (name, &value) in &e.set {
                let slot = parameter_slot(inputs, file, &format!("{item}.set"), name)?;
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

/// Runs one scenario on the run's draws, whose sampled parameter values
/// (one column per sampled parameter) are `drawn`.
pub fn evaluate(
    scenario: &Scenario,
    config: &RunConfig,
    plan: &super::Plan,
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
    flat.par_chunks_mut(super::CHUNK * options)
        .enumerate()
        .for_each(|(c, chunk)| engine.present_values((c * super::CHUNK) as u64, chunk));
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
    let (mut base_nominal, mut base_pv) = (vec![0.0; options], vec![0.0; options]);
    outcomes::evaluate(
        &model,
        &engine.base_values(),
        Rollout::Expected,
        &mut ws,
        &mut base_nominal,
        &mut base_pv,
    );
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
