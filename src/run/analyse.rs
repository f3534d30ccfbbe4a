//! Everything after the draws: tornado, scenarios, the yearly budget, rank
//! correlations, the draws' statistics and the value of information, then
//! the result files, published together.

use rayon::prelude::*;
use std::sync::atomic::Ordering;

use super::config::RunConfig;
use super::draws::Drawn;
use super::engine::Engine;
use super::folder::{RunOutput, Staged};
use super::plan::Plan;
use super::signals::check_interrupted;
use super::{evppi, precision, scenario_results, sensitivity, summary, yearly};
use crate::analysis::ranks;
use crate::error::Result;
use crate::results::{CorrelationCheck, StageTimings};

/// A run being analysed: its settings, its plan and the engine of its draws.
pub(super) struct Run<'a> {
    pub config: &'a RunConfig,
    pub plan: &'a Plan,
    pub engine: &'a Engine<'a>,
    /// How long the draws took, for `--timings`.
    pub drawing: std::time::Duration,
}

/// Everything after the draws (`columns`, as the engine lays them out):
/// tornado, scenarios, the yearly budget, rank correlations and the
/// summary, then the staged files are published.
pub(super) fn analyse(
    run: &Run,
    drawn: Drawn,
    staged: Staged,
    stopping: Option<precision::Stopping>,
) -> Result<RunOutput> {
    let Run {
        config,
        plan,
        engine,
        drawing,
    } = *run;
    let Drawn {
        mut columns,
        scenarios: tally,
        yearly,
        spent: [scenarios_spent, yearly_spent],
    } = drawn;
    let clock = std::time::Instant::now();
    let Staged {
        mut staging,
        samples_path,
        metadata,
    } = staged;
    let metadata = &metadata;
    let options = plan.model.options.len();
    let outcomes_by_option = columns.split_off(engine.layout.outcome_offset());
    let kept = columns;
    let (mut nominal, mut present_value) =
        (Vec::with_capacity(options), Vec::with_capacity(options));
    for (k, column) in outcomes_by_option.into_iter().enumerate() {
        if k % 2 == 0 {
            nominal.push(column)
        } else {
            present_value.push(column)
        }
    }
    let mut files = vec![samples_path];

    let tornado = plan.tornado();
    files.extend(sensitivity::write(
        staging.dir(),
        &tornado,
        &plan.tornado_about(),
        metadata,
    )?);
    check_interrupted()?;
    let scenarios: Vec<_> = (0..plan.scenarios.len())
        .map(|i| scenario_results::finish(i, config, plan, &tally))
        .collect::<Result<_>>()?;
    check_interrupted()?;
    let tornado_done = clock.elapsed();
    let yearly = yearly.ok_or_else(|| {
        crate::error::Error::internal(&config.file, "the draws counted no yearly budget")
    })?;
    if let Some(draws) = &yearly.draws {
        files.push(yearly::write_draws(
            staging.dir(),
            &plan.model,
            draws,
            metadata,
        )?);
    }
    check_interrupted()?;

    // Each draw's value of the tornado's outcome (the headline difference),
    // which the rank correlations and the variance shares both take.
    let outcome_draws = plan.outcome.over_draws(&present_value);
    // The rank correlations, the draws' own statistics and the EVPPI are
    // independent: on several threads each runs beside the others. The
    // EVPPI is waited for last, as it may have started during the draws.
    let draws = || summary::Draws {
        nominal: &nominal,
        present_value: &present_value,
    };
    let ((correlations, copulas, variance_shares), (statistics, (estimates, learnable, studies))) =
        rayon::join(
            || {
                (
                    rank_correlations(engine, &kept, &outcome_draws),
                    correlation_checks(plan, engine, &kept),
                    variance_shares(config, engine, &kept, &outcome_draws),
                )
            },
            || {
                rayon::join(
                    || summary::DrawStatistics::compute(plan, draws()),
                    || {
                        let estimates = (!plan.evppi.is_empty()).then(|| {
                            evppi::estimate(
                                &plan.evppi,
                                &kept[..engine.layout.sampled.len()],
                                &present_value,
                                config.evppi.max_draws as usize,
                                config.seed,
                            )
                        });
                        let learnable = (!plan.evppi.is_empty()).then(|| {
                            evppi::learnable(
                                engine,
                                &kept[..engine.layout.sampled.len()],
                                config.evppi.nested_outer_draws as usize,
                                config.evppi.nested_inner_draws as usize,
                            )
                        });
                        let studies = evppi::study_values(
                            &plan.studies,
                            &kept[..engine.layout.sampled.len()],
                            &present_value,
                            config.evppi.max_draws as usize,
                            config.seed,
                        );
                        (estimates, learnable, studies)
                    },
                )
            },
        );
    check_interrupted()?;
    let mut results = summary::compute(
        config,
        plan,
        statistics,
        summary::Analyses {
            tornado,
            scenarios,
            correlations,
            copulas,
            variance_shares,
            evppi: estimates,
            learnable,
            studies,
            stopping,
            yearly: yearly.result,
        },
    );
    if config.timings {
        results.timings = Some(StageTimings {
            draws_s: drawing.as_secs_f64(),
            scenarios_s: scenarios_spent.as_secs_f64(),
            yearly_s: yearly_spent.as_secs_f64(),
            tornado_s: tornado_done.as_secs_f64(),
            analyses_s: (clock.elapsed() - tornado_done).as_secs_f64(),
        });
    }
    let inputs: Vec<(String, &[f64])> = results
        .ranking_robustness
        .strongest_inputs(crate::export::report::SCATTERED_INPUTS)
        .iter()
        .filter_map(|c| {
            let slot = engine.layout.names.iter().position(|n| *n == c.input)?;
            Some((c.input.clone(), kept[slot].as_slice()))
        })
        .collect();
    let draws = crate::export::report::Draws {
        pv: &present_value,
        inputs: &inputs,
    };
    let analysed = clock.elapsed();
    let finished = crate::export::Finished {
        results: &results,
        metadata,
        draws: &draws,
    };
    for exporter in crate::export::EXPORTERS {
        files.extend(exporter.export(staging.dir(), &finished)?);
    }
    let csv = config.outputs.csv();
    if csv.draws {
        // The per-draw files are still being closed in the background.
        staging.wait_for_closing()?;
    }
    files.extend(crate::export::csv::write(
        staging.dir(),
        &files,
        csv,
        metadata,
    )?);
    files.extend(crate::export::Exporter::export(
        &crate::export::summary::Json,
        staging.dir(),
        &finished,
    )?);
    check_interrupted()?;
    // With --force, results of an earlier run that this one does not write
    // (e.g. its scenarios) would otherwise sit beside the new ones.
    let retired = super::folder::result_files();
    let retired: Vec<&str> = retired.iter().map(String::as_str).collect();
    let files = staging.commit(&files, &retired)?;
    Ok(RunOutput {
        results: Some(results),
        files,
        writing: clock.elapsed() - analysed,
    })
}

/// Each sampled parameter's first-order variance share of the tornado's
/// outcome, on the draws the EVPPI uses; none below `MIN_SHARE_DRAWS`
/// (`analysis::evppi`).
pub(super) fn variance_shares(
    config: &RunConfig,
    engine: &Engine,
    kept: &[Vec<f64>],
    outcome: &[f64],
) -> (Vec<(String, f64, f64)>, usize) {
    let n = outcome.len().min(config.evppi.max_draws.max(0) as usize);
    if n < crate::analysis::evppi::MIN_SHARE_DRAWS {
        return (Vec::new(), n);
    }
    let sampled = engine.layout.sampled.len();
    let shares = evppi::variance_shares(
        &engine.layout.names[..sampled],
        &kept[..sampled],
        &outcome[..n],
        n,
        config.seed,
    );
    (shares, n)
}

/// Spearman's correlation of every column that varies (sampled parameters
/// and hub-years) with the tornado's outcome, over all draws.
pub(super) fn rank_correlations(
    engine: &Engine,
    kept: &[Vec<f64>],
    outcome_draws: &[f64],
) -> Vec<(String, f64)> {
    let outcome = ranks::CentredRanks::of(outcome_draws);
    let varying: Vec<(&String, &Vec<f64>)> = engine
        .layout
        .names
        .iter()
        .zip(kept)
        .filter(|(_, column)| column.iter().any(|v| *v != column[0]))
        .collect();
    // One ranker per thread, each taking the next column until none is
    // left: a ranker's buffers hold three values a draw, and a fresh set
    // for each piece of work rayon splits off would cost in page faults
    // about as much as the ranking itself (docs/performance.md).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (next, varying, outcome) = (&next, &varying, &outcome);
    let mut correlations: Vec<(usize, f64)> = (0..rayon::current_num_threads())
        .into_par_iter()
        .flat_map_iter(|_| {
            let mut ranker = ranks::Ranker::default();
            std::iter::from_fn(move || {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (_, column) = varying.get(i)?;
                Some((i, ranker.spearman_with(column, outcome)))
            })
        })
        .collect();
    correlations.sort_by_key(|&(i, _)| i);
    correlations
        .into_iter()
        .map(|(i, rho)| (varying[i].0.clone(), rho))
        .collect()
}

/// Each correlated pair's declared, imposed and achieved Spearman
/// correlation over the run's draws.
pub(super) fn correlation_checks(
    plan: &Plan,
    engine: &Engine,
    columns: &[Vec<f64>],
) -> Vec<CorrelationCheck> {
    let column = |parameter: usize| {
        engine
            .layout
            .sampled
            .iter()
            .position(|&i| i == parameter)
            .map(|slot| &columns[slot])
    };
    let mut checks = Vec::new();
    for copula in &plan.sampling.copulas {
        // Each member ranked once for all its pairs.
        let ranks: Vec<Option<ranks::CentredRanks>> = copula
            .members
            .iter()
            .map(|&m| column(m).map(|c| ranks::CentredRanks::of(c)))
            .collect();
        for a in 0..copula.members.len() {
            for b in a + 1..copula.members.len() {
                let (Some(x), Some(y)) = (&ranks[a], &ranks[b]) else {
                    continue;
                };
                let achieved = x.spearman(y);
                checks.push(CorrelationCheck {
                    parameters: [
                        plan.inputs.parameters[copula.members[a]].name.clone(),
                        plan.inputs.parameters[copula.members[b]].name.clone(),
                    ],
                    target_spearman: copula.target[a][b],
                    imposed_spearman: copula.imposed[a][b],
                    achieved_spearman: achieved,
                    repaired: copula.repaired,
                });
            }
        }
    }
    checks
}
