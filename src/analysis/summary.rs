//! A run's conclusions gathered into the typed [`Results`]: per option the
//! distribution of its value, the decision statistics, each decision pair,
//! beside the deterministic base case and the analyses.

use indexmap::IndexMap;
use rayon::prelude::*;

use super::compare::{BANDS, compare};
use super::decision::{Decision, decide};
use super::ranks::share_with_ranking;
use super::stats::{Describe, LEVEL, describe};
use crate::distribution::Distribution;
use crate::model::Model;
use crate::plan::Plan;
use crate::plan::config::RunConfig;
use crate::plan::question::Question;
use crate::results::*;

/// The analyses beyond the draws' own statistics.
pub struct Analyses {
    pub tornado: TornadoResult,
    pub scenarios: Vec<ScenarioResult>,
    /// Spearman correlation of each varying column with the tornado's outcome.
    pub correlations: Vec<(String, f64)>,
    /// Each sampled parameter's first-order variance share of that outcome,
    /// with its standard error, and the draws used.
    pub variance_shares: (Vec<(String, f64, f64)>, usize),
    pub copulas: Vec<CorrelationCheck>,
    /// The EVPPI regressions' estimates, set here against the EVPI.
    pub evppi: Option<super::information::Estimates>,
    /// The EVPPI of every sampled parameter together (nested).
    pub learnable: Option<super::information::Learnable>,
    /// Each declared study's EVSI.
    pub studies: Vec<StudyResult>,
    pub stopping: Option<StoppingResult>,
    pub yearly: crate::results::YearlyResult,
}

/// The draws of a run: each option's nominal value and PV, option-major.
pub struct Draws<'a> {
    pub nominal: &'a [Vec<f64>],
    pub present_value: &'a [Vec<f64>],
}

/// The statistics of the draws themselves (each option's distribution,
/// the decision and its pairs, the published ranking's share): they need
/// nothing from the other analyses, so a run computes them beside those.
pub struct DrawStatistics {
    decision: Decision,
    /// Each option's (nominal, PV) description.
    described: Vec<(Describe, Describe)>,
    pairs: DecisionResult,
    published_share: Option<f64>,
}

impl DrawStatistics {
    pub fn compute(plan: &Plan, draws: Draws) -> DrawStatistics {
        let model = &plan.model;
        // Each description reads its option's draws several times:
        // independent work, so spread over the threads.
        let described = (0..model.options.len())
            .into_par_iter()
            .map(|k| {
                (
                    describe(&draws.nominal[k]),
                    describe(&draws.present_value[k]),
                )
            })
            .collect();
        let ranking = plan.inputs.published.as_ref().map(|p| p.ranking.as_slice());
        let published_share = ranking
            .and_then(|ranking| published_order(model, ranking))
            .map(|order| share_with_ranking(draws.present_value, &order));
        DrawStatistics {
            decision: decide(draws.present_value, LEVEL),
            described,
            pairs: decision(&plan.question, model, draws.present_value),
            published_share,
        }
    }
}

/// The options in the published ranking's order, where the parameter files
/// give one that ranks every option.
fn published_order(model: &Model, ranking: &[String]) -> Option<Vec<usize>> {
    let index = |id: &str| model.options.iter().position(|o| o.id == id);
    let order: Option<Vec<usize>> = ranking.iter().map(|id| index(id)).collect();
    order.filter(|order| order.len() == model.options.len())
}

pub fn compute(
    config: &RunConfig,
    plan: &Plan,
    statistics: DrawStatistics,
    analyses: Analyses,
) -> Results {
    let model = &plan.model;
    let ids: Vec<String> = model.options.iter().map(|o| o.id.clone()).collect();
    let DrawStatistics {
        decision: d,
        described,
        pairs,
        published_share,
    } = statistics;
    let options = option_results(plan, &d, described);
    Results {
        schema_version: SCHEMA_VERSION,
        engine: EngineInfo {
            name: "chh-psa".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        run: run_info(config, plan),
        options,
        decision: pairs,
        best_option_by_mean: ids[d.best_by_mean].clone(),
        evpi_gbp: d.evpi,
        evpi_mcse_gbp: d.evpi_mcse,
        evppi: analyses
            .evppi
            .map(|e| e.against(d.evpi, analyses.learnable)),
        stopping: analyses.stopping,
        evsi: analyses.studies,
        correlated_parameters: analyses.copulas,
        ranking_robustness: ranking_robustness(
            plan,
            published_share,
            analyses.correlations,
            analyses.variance_shares,
        ),
        tornado: analyses.tornado,
        two_way: plan
            .two_way
            .iter()
            .map(|t| super::two_way::evaluate(t, model, &plan.inputs, plan.outcome))
            .collect(),
        yearly: Some(analyses.yearly),
        parameters: parameters(plan),
        scenarios: analyses.scenarios,
        timings: None,
    }
}

/// Each option's base case, distribution over the draws, ranks and
/// expected loss, by id.
fn option_results(
    plan: &Plan,
    d: &Decision,
    described: Vec<(Describe, Describe)>,
) -> IndexMap<String, OptionResult> {
    let ids: Vec<&String> = plan.model.options.iter().map(|o| &o.id).collect();
    plan.model
        .options
        .iter()
        .enumerate()
        .zip(described)
        .map(|((k, o), (nominal, pv))| {
            let result = OptionResult {
                name: o.name.clone(),
                base_case: BaseCase {
                    nominal_gbp: plan.base[k].nominal,
                    pv_gbp: plan.base[k].present_value,
                },
                nominal_gbp: nominal,
                pv_gbp: pv,
                p_best: d.p_best[k],
                p_rank: d.p_rank[k].clone(),
                p_beats: ids
                    .iter()
                    .zip(&d.pairwise[k])
                    .map(|(id, p)| ((*id).clone(), *p))
                    .collect(),
                expected_loss_gbp: d.expected_loss[k],
                expected_loss_mcse_gbp: d.expected_loss_mcse[k],
            };
            (o.id.clone(), result)
        })
        .collect()
}

/// What was run, on what, and how the results are stated.
fn run_info(config: &RunConfig, plan: &Plan) -> RunInfo {
    RunInfo {
        samples: config.samples,
        seed: config.seed,
        inputs_hash: plan.inputs.hash.clone(),
        run_file_hash: config.run_file_hash.clone(),
        sampling_design: plan.sampling.design.describe().into(),
        sampling_design_key: plan.sampling.design.name().into(),
        uncertainty: UncertaintyInfo {
            parameters: config.uncertainty.parameters,
            rollout: config.uncertainty.rollout,
        },
        decision_metric:
            "pv_gbp: present value of net efficiency against the comparator; higher is better"
                .into(),
        interval_level: LEVEL,
        horizon_years: plan.model.horizon_years,
        percentile_method: "linear interpolation between order statistics (type 7)".into(),
        restated_parameters: plan
            .inputs
            .restated
            .iter()
            .map(|r| crate::results::RestatedParameter {
                parameter: r.name.clone(),
                from: r.from.clone(),
                to: r.to.clone(),
            })
            .collect(),
    }
}

/// How robust the published ranking is, and which inputs drive the
/// tornado's outcome.
fn ranking_robustness(
    plan: &Plan,
    published_share: Option<f64>,
    correlations: Vec<(String, f64)>,
    (shares, share_draws): (Vec<(String, f64, f64)>, usize),
) -> RankingRobustness {
    let model = &plan.model;
    RankingRobustness {
        share_of_draws_with_published_ranking: published_share,
        published_ranking: published_share
            .and(plan.inputs.published.as_ref())
            .map(|p| p.ranking.clone()),
        spearman_outcome: plan.outcome.label(model),
        spearman_outcome_options: plan.outcome.options(model),
        spearman: correlations
            .into_iter()
            .map(|(input, rho)| RankCorrelation { input, rho })
            .collect(),
        variance_shares: shares
            .into_iter()
            .map(|(input, share, se)| VarianceShare { input, share, se })
            .collect(),
        variance_share_draws: share_draws,
        variance_share_method: "Var(E[outcome | input]) / Var(outcome) from the same P-spline regression as the EVPPI (the Sobol first-order index from given data); se from coefficient draws and the Monte Carlo error of the variances".into(),
    }
}

/// Each of the question's pairs compared over the draws.
pub fn decision(question: &Question, model: &Model, present_value: &[Vec<f64>]) -> DecisionResult {
    let pairs = question
        .pairs
        .par_iter()
        .map(|pair| {
            let c = compare(
                &present_value[pair.a],
                &present_value[pair.b],
                pair.margin,
                LEVEL,
            );
            let result = PairResult {
                a: model.options[pair.a].id.clone(),
                b: model.options[pair.b].id.clone(),
                margin_gbp: pair.margin,
                p_a_beats_b: c.p_beats,
                verdict: c.verdict.label.clone(),
                verdict_settled: c.verdict.settled,
                draws_to_settle: c.verdict.draws_to_settle,
                mean_difference_gbp: c.mean_difference,
                mean_difference_mcse_gbp: c.mean_difference_mcse,
                difference_p2_5_gbp: c.p2_5,
                difference_median_gbp: c.median,
                difference_p97_5_gbp: c.p97_5,
                curve: c
                    .curve
                    .iter()
                    .map(|&(margin_gbp, p_a_beats_b)| CurvePoint {
                        margin_gbp,
                        p_a_beats_b,
                    })
                    .collect(),
            };
            (pair.key(model), result)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<IndexMap<_, _>>();
    DecisionResult {
        headline: question.headline().map(|p| p.key(model)),
        default_margin_gbp: question.default_margin,
        verdict_bands: BANDS
            .iter()
            .map(|b| VerdictBand {
                low: b.low,
                high: b.high,
                verdict: b.label.into(),
            })
            .collect(),
        pairs,
    }
}

/// Every parameter: its distribution, base and central 95% range.
fn parameters(plan: &Plan) -> Vec<ParameterResult> {
    plan.inputs
        .parameters
        .iter()
        .map(|p| ParameterResult {
            name: p.name.clone(),
            description: p.description.clone(),
            unit: p.unit.clone(),
            distribution: p.distribution.describe(),
            base: p.base,
            p2_5: p.distribution.quantile(0.025),
            p97_5: p.distribution.quantile(0.975),
            source: p.source.clone(),
            fitted: p.fitted.clone(),
            entered: p.entered.clone(),
            file: p.file.file_name().map(|f| f.to_string_lossy().into_owned()),
            elicited: match &p.distribution {
                Distribution::Elicited(d) => Some(ElicitedResult::of(d)),
                _ => None,
            },
        })
        .collect()
}
