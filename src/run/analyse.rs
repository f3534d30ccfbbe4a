//! Everything after the draws: tornado, scenarios, the yearly budget, rank
//! correlations, the draws' statistics and the value of information, then
//! the result files, published together.

use super::draws::Drawn;
use super::engine::Engine;
use super::folder::{RunOutput, Staged};
use super::signals::check_interrupted;
use super::{evppi, precision, scenario_results};
use crate::analysis::ranks;
use crate::analysis::summary;
use crate::error::Result;
use crate::plan::Plan;
use crate::plan::config::RunConfig;
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
    let Run { config, plan, .. } = *run;
    let Drawn {
        columns,
        scenarios: tally,
        yearly,
        spent: [scenarios_spent, yearly_spent],
    } = drawn;
    let clock = std::time::Instant::now();
    let Staged {
        staging,
        samples_path,
        metadata,
    } = staged;
    let Columns {
        kept,
        nominal,
        present_value,
    } = Columns::split(columns, run.engine);
    let mut files = vec![samples_path];

    let tornado = crate::analysis::one_way::tornado(plan);
    let about = crate::export::tornado::TornadoAbout::of(plan);
    let tornado_result = about.result(&tornado);
    files.extend(crate::export::tornado::write(
        staging.dir(),
        &tornado,
        &tornado_result,
        &about,
        &metadata,
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
        files.push(crate::export::yearly::write_draws(
            staging.dir(),
            &plan.model,
            draws,
            &metadata,
        )?);
    }
    check_interrupted()?;
    let readings = read_draws(run, &kept, &nominal, &present_value);
    check_interrupted()?;
    let mut results = summary::compute(
        config,
        plan,
        readings.statistics,
        summary::Analyses {
            tornado: tornado_result,
            scenarios,
            correlations: readings.correlations,
            copulas: readings.copulas,
            variance_shares: readings.variance_shares,
            evppi: readings.evppi,
            learnable: readings.learnable,
            studies: readings.studies,
            stopping: stopping.as_ref().map(|s| s.result()),
            yearly: yearly.result,
        },
    );
    if config.timings {
        results.timings = Some(StageTimings {
            draws_s: run.drawing.as_secs_f64(),
            scenarios_s: scenarios_spent.as_secs_f64(),
            yearly_s: yearly_spent.as_secs_f64(),
            tornado_s: tornado_done.as_secs_f64(),
            analyses_s: (clock.elapsed() - tornado_done).as_secs_f64(),
        });
    }
    let analysed = clock.elapsed();
    let published = Published {
        results: &results,
        kept: &kept,
        present_value: &present_value,
        metadata: &metadata,
    };
    let files = publish(run, staging, files, &published)?;
    Ok(RunOutput {
        results: Some(results),
        files,
        writing: clock.elapsed() - analysed,
    })
}

/// The draws' columns by what they hold.
struct Columns {
    /// The sampled parameters, then the hub-years.
    kept: Vec<Vec<f64>>,
    /// Each option's nominal value and PV.
    nominal: Vec<Vec<f64>>,
    present_value: Vec<Vec<f64>>,
}

impl Columns {
    /// Each option's nominal value and PV are taken from the columns the
    /// engine's layout names for them, not from their order.
    fn split(mut columns: Vec<Vec<f64>>, engine: &Engine) -> Columns {
        let layout = &engine.layout;
        let offset = layout.outcome_offset();
        let mut outcomes = columns.split_off(offset);
        let options = layout.options;
        let mut take = |column: usize| std::mem::take(&mut outcomes[column - offset]);
        let nominal = (0..options)
            .map(|k| take(layout.nominal_column(k)))
            .collect();
        let present_value = (0..options)
            .map(|k| take(layout.present_value_column(k)))
            .collect();
        Columns {
            kept: columns,
            nominal,
            present_value,
        }
    }
}

/// What the analyses that read the draws found.
struct Readings {
    statistics: summary::DrawStatistics,
    correlations: Vec<(String, f64)>,
    copulas: Vec<CorrelationCheck>,
    variance_shares: (Vec<(String, f64, f64)>, usize),
    evppi: Option<crate::analysis::information::Estimates>,
    learnable: Option<crate::analysis::information::Learnable>,
    studies: Vec<crate::results::StudyResult>,
}

/// The rank correlations, the draws' own statistics and the value of
/// information are independent: on several threads each runs beside the
/// others.
fn read_draws(
    run: &Run,
    kept: &[Vec<f64>],
    nominal: &[Vec<f64>],
    present_value: &[Vec<f64>],
) -> Readings {
    let Run {
        config,
        plan,
        engine,
        ..
    } = *run;
    // Each draw's value of the tornado's outcome (the headline difference),
    // which the rank correlations and the variance shares both take.
    let outcome_draws = plan.outcome.over_draws(present_value);
    let sampled = &kept[..engine.layout.sampled.len()];
    let draws = summary::Draws {
        nominal,
        present_value,
    };
    let ((correlations, copulas, variance_shares), (statistics, (evppi, learnable, studies))) =
        rayon::join(
            || {
                (
                    ranks::with_outcome(&engine.layout.names, kept, &outcome_draws),
                    ranks::achieved_correlations(
                        &plan.sampling.copulas,
                        &plan.inputs.parameters,
                        &engine.layout.sampled,
                        kept,
                    ),
                    variance_shares(config, engine, kept, &outcome_draws),
                )
            },
            || {
                rayon::join(
                    || summary::DrawStatistics::compute(plan, draws),
                    || information_values(run, sampled, present_value),
                )
            },
        );
    Readings {
        statistics,
        correlations,
        copulas,
        variance_shares,
        evppi,
        learnable,
        studies,
    }
}

/// The EVPPI of the declared groups, of every sampled parameter together,
/// and each declared study's EVSI.
fn information_values(
    run: &Run,
    sampled: &[Vec<f64>],
    present_value: &[Vec<f64>],
) -> (
    Option<crate::analysis::information::Estimates>,
    Option<crate::analysis::information::Learnable>,
    Vec<crate::results::StudyResult>,
) {
    let Run {
        config,
        plan,
        engine,
        ..
    } = *run;
    let vop = &config.evppi;
    let estimates = (!plan.evppi.is_empty()).then(|| {
        crate::analysis::information::estimate(
            &plan.evppi,
            sampled,
            present_value,
            vop.max_draws as usize,
            config.seed,
        )
    });
    let learnable = (!plan.evppi.is_empty()).then(|| {
        evppi::learnable(
            engine,
            sampled,
            vop.nested_outer_draws as usize,
            vop.nested_inner_draws as usize,
        )
    });
    let studies = crate::analysis::information::study_values(
        &plan.studies,
        sampled,
        present_value,
        vop.max_draws as usize,
        config.seed,
    );
    (estimates, learnable, studies)
}

/// What the exporters read: the results, and the draws the report
/// scatters.
struct Published<'a> {
    results: &'a crate::results::Results,
    kept: &'a [Vec<f64>],
    present_value: &'a [Vec<f64>],
    metadata: &'a crate::export::parquet::Metadata,
}

/// Every exporter's files written into the staged folder beside the
/// draws' own, then the folder published whole.
fn publish(
    run: &Run,
    mut staging: crate::export::Staging,
    mut files: Vec<std::path::PathBuf>,
    published: &Published,
) -> Result<Vec<std::path::PathBuf>> {
    let Published {
        results,
        kept,
        present_value,
        metadata,
    } = *published;
    let layout = &run.engine.layout;
    let inputs: Vec<(String, &[f64])> = results
        .ranking_robustness
        .strongest_inputs(crate::export::report::SCATTERED_INPUTS)
        .iter()
        .filter_map(|c| {
            let slot = layout.names.iter().position(|n| *n == c.input)?;
            Some((c.input.clone(), kept[slot].as_slice()))
        })
        .collect();
    let draws = crate::export::report::Draws {
        pv: present_value,
        inputs: &inputs,
    };
    let finished = crate::export::Finished {
        results,
        metadata,
        draws: &draws,
    };
    for exporter in crate::export::EXPORTERS {
        files.extend(exporter.export(staging.dir(), &finished)?);
    }
    let csv = crate::export::csv::Request::from(&run.config.outputs);
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
    staging.commit(&files, &retired)
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
    let shares = crate::analysis::information::variance_shares(
        &engine.layout.names[..sampled],
        &kept[..sampled],
        &outcome[..n],
        n,
        config.seed,
    );
    (shares, n)
}
