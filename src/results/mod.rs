//! Stage 6 of the pipeline: everything a run concludes, as one typed value.
//!
//! `summary.json` is this value serialised; `summary.parquet`, the console
//! tables and `report.html` are all produced from it, and `chh-psa report`
//! reads it back by deserialising, so a renamed field is a compile error
//! rather than a silent gap. Per-option results are keyed by option id in
//! the options' file order; decision pairs are keyed `A-B`, headline first.
//! `docs/summary.schema.json` is generated from these types.

mod columns;
mod elicited;
mod reading;
mod statistics;

pub use columns::DrawColumn;
pub use elicited::{CdfPoint, ElicitedResult, ExpertResult};
pub use reading::VISIBLE_SHARE;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use statistics::{CorrelationCheck, Describe, Proportion};

/// Bumped whenever a field of `summary.json` is renamed, removed or changes
/// meaning; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub schema_version: u32,
    pub engine: EngineInfo,
    pub run: RunInfo,
    /// Each option, keyed by id, in the order of the option file.
    pub options: IndexMap<String, OptionResult>,
    pub decision: DecisionResult,
    /// The option with the highest mean PV.
    pub best_option_by_mean: String,
    /// Expected value of perfect information: E[max value] − max E[value].
    pub evpi_gbp: f64,
    pub evpi_mcse_gbp: f64,
    pub evppi: Option<EvppiResult>,
    /// Each declared study's expected value of sample information.
    pub evsi: Vec<StudyResult>,
    /// How a precision-driven run (`--until-mcse`) stopped.
    pub stopping: Option<StoppingResult>,
    pub correlated_parameters: Vec<CorrelationCheck>,
    pub ranking_robustness: RankingRobustness,
    pub tornado: TornadoResult,
    /// Each `[[two_way]]` analysis of the run file.
    pub two_way: Vec<TwoWayResult>,
    /// The budget year by year under uncertainty, and when each option
    /// pays back (absent from summaries written before it existed).
    #[serde(default)]
    pub yearly: Option<YearlyResult>,
    pub parameters: Vec<ParameterResult>,
    pub scenarios: Vec<ScenarioResult>,
    /// Wall time of each stage, when the run was asked for it
    /// (`--timings`); absent otherwise, so that a re-run writes the same file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<StageTimings>,
}

/// Seconds of wall time each stage of a run took.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageTimings {
    /// Sampling, the model and every scenario over every draw, and
    /// writing `samples.parquet` (for a merge: reading and joining the
    /// shards, then the scenarios).
    pub draws_s: f64,
    /// The part of `draws_s` spent on scenarios: the threads' time on them
    /// over the number of threads.
    pub scenarios_s: f64,
    /// The part of `draws_s` spent counting the yearly budget, as
    /// `scenarios_s`.
    pub yearly_s: f64,
    /// The one-way analysis, and each scenario's base case.
    pub tornado_s: f64,
    /// The yearly budget's percentiles, rank correlations, the draws'
    /// statistics, EVPPI, EVSI and the summary.
    pub analyses_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInfo {
    pub samples: u64,
    pub seed: u64,
    /// SHA-256 over the parameter files.
    pub inputs_hash: String,
    /// SHA-256 of the run file.
    pub run_file_hash: String,
    pub sampling_design: String,
    pub sampling_design_key: String,
    pub uncertainty: UncertaintyInfo,
    pub decision_metric: String,
    /// Confidence level of every interval.
    pub interval_level: f64,
    pub horizon_years: usize,
    pub percentile_method: String,
    /// Parameters the run file restated on top of the parameter folder
    /// (`[parameters.NAME]`), in the folder's order; absent when none, so
    /// that a run without any writes the same file as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restated_parameters: Vec<RestatedParameter>,
}

/// A parameter the run file changed: its base value and distribution as
/// entered, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestatedParameter {
    pub parameter: String,
    /// "base 0.5; beta: mean 0.5, se 0.1", as the folder states it.
    pub from: String,
    /// The same, as the run file leaves it.
    pub to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyInfo {
    /// Parameters drawn from their distributions (else at base).
    pub parameters: bool,
    /// Hub roll-out events drawn (else at their expectation).
    pub rollout: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionResult {
    pub name: String,
    pub base_case: BaseCase,
    pub nominal_gbp: Describe,
    pub pv_gbp: Describe,
    pub p_best: Proportion,
    /// P(rank r), r = 1 (best) first.
    pub p_rank: Vec<f64>,
    /// P(this option's PV exceeds the other's), keyed by the other's id.
    pub p_beats: IndexMap<String, f64>,
    pub expected_loss_gbp: f64,
    pub expected_loss_mcse_gbp: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseCase {
    pub nominal_gbp: f64,
    pub pv_gbp: f64,
}

/// The run's question and its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionResult {
    /// Key of the headline pair, or none when the run compares no pairs.
    pub headline: Option<String>,
    /// The margin of every pair whose `compare` entry states none; each
    /// pair's own is in its `margin_gbp`.
    pub default_margin_gbp: f64,
    /// How each verdict is worded from P(A − B > margin).
    pub verdict_bands: Vec<VerdictBand>,
    /// Each pair compared, keyed `A-B`, the headline first.
    pub pairs: IndexMap<String, PairResult>,
}

impl DecisionResult {
    pub fn headline(&self) -> Option<(&String, &PairResult)> {
        let key = self.headline.as_ref()?;
        self.pairs.get_key_value(key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictBand {
    /// The band holds probabilities from `low` to `high`.
    pub low: f64,
    pub high: f64,
    pub verdict: String,
}

/// Option `a` against option `b`, over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairResult {
    pub a: String,
    pub b: String,
    /// This pair's margin m, £: a beats b when its PV exceeds b's by more
    /// than m; negative for a non-inferiority question.
    pub margin_gbp: f64,
    /// P(PV of a − PV of b > m).
    pub p_a_beats_b: Proportion,
    /// The band its whole Wilson interval lies in, or, when the interval
    /// spans more than one, "Not settled: “X” to “Y”".
    pub verdict: String,
    /// The Wilson interval lies in one verdict band.
    pub verdict_settled: bool,
    /// When not settled: the draws that would settle it were the estimate
    /// to hold (none when no number of draws would, or over 10^9).
    pub draws_to_settle: Option<u64>,
    pub mean_difference_gbp: f64,
    pub mean_difference_mcse_gbp: f64,
    pub difference_p2_5_gbp: f64,
    pub difference_median_gbp: f64,
    pub difference_p97_5_gbp: f64,
    /// P(PV of a − PV of b > m) over margins m, ascending.
    pub curve: Vec<CurvePoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurvePoint {
    pub margin_gbp: f64,
    pub p_a_beats_b: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvppiResult {
    pub evpi_gbp: f64,
    pub draws_used: usize,
    pub method: String,
    pub rows: Vec<EvppiRow>,
    /// The EVPI split into what learning every sampled parameter could be
    /// worth and what no research can learn (the roll-out's events).
    pub split: Option<EvpiSplit>,
}

/// A declared study: its EVSI at each size, beside the EVPPI of the
/// parameters it informs (what a study of infinite size would be worth).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StudyResult {
    pub name: String,
    pub parameters: Vec<String>,
    pub likelihood: String,
    pub evppi_gbp: f64,
    pub evppi_se_gbp: f64,
    pub draws_used: usize,
    pub points: Vec<EvsiPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvsiPoint {
    /// Trials or observations.
    pub size: u64,
    /// The EVSI reported: the estimates made non-decreasing in the size
    /// (weighted isotonic regression) and held within [0, the EVPPI].
    pub evsi_gbp: f64,
    /// The regression's own estimate at this size, before either.
    pub estimate_gbp: f64,
    /// Standard error of the estimate.
    pub se_gbp: f64,
    /// The estimate exceeds 1.96 standard errors: distinguishable from zero.
    pub distinguishable_from_zero: bool,
    /// The study's fixed cost plus its cost per observation times the size.
    pub cost_gbp: f64,
    /// Expected net benefit of sampling: EVSI less the cost.
    pub enbs_gbp: f64,
}

/// The EVPI as learnable plus irreducible; the two add up to the EVPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvpiSplit {
    /// EVPPI of every sampled parameter together, capped to [0, EVPI].
    pub learnable_gbp: f64,
    /// The nested estimate before the cap.
    pub learnable_estimate_gbp: f64,
    pub learnable_se_gbp: f64,
    /// EVPI less the learnable part: which hubs open when.
    pub irreducible_gbp: f64,
    pub learnable_share: Option<f64>,
    pub irreducible_share: Option<f64>,
    pub outer_draws: usize,
    pub inner_draws: usize,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvppiRow {
    pub name: String,
    /// `parameter` or `group`.
    pub kind: String,
    pub members: Vec<String>,
    /// The estimate capped to [0, EVPI].
    pub evppi_gbp: f64,
    /// The regression's own estimate, before the cap.
    pub estimate_gbp: f64,
    pub se_gbp: f64,
    pub share_of_evpi: Option<f64>,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoppingResult {
    pub rule: String,
    /// The pair whose probability the rule follows, `A-B`.
    pub pair: String,
    pub target_mcse: f64,
    pub draws: u64,
    pub maximum_draws: u64,
    pub mcse: f64,
    /// `precision` or `maximum draws`.
    pub stopped_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingRobustness {
    /// The published ranking, where this run's options are those published.
    pub published_ranking: Option<Vec<String>>,
    pub share_of_draws_with_published_ranking: Option<f64>,
    /// The outcome the rank correlations are taken with (the tornado's).
    pub spearman_outcome: String,
    /// The options whose PVs make that outcome: `[A, B]` for A's PV less
    /// B's, `[A]` for A's PV against the comparator.
    #[serde(default)]
    pub spearman_outcome_options: Vec<String>,
    pub spearman: Vec<RankCorrelation>,
    /// Each sampled parameter's first-order variance share of that outcome
    /// (Sobol first-order index from the draws), on the first draws.
    pub variance_shares: Vec<VarianceShare>,
    pub variance_share_draws: usize,
    pub variance_share_method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VarianceShare {
    pub input: String,
    /// Var(E[outcome | input]) / Var(outcome).
    pub share: f64,
    pub se: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankCorrelation {
    pub input: String,
    pub rho: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TornadoResult {
    pub outcome: String,
    pub base_case_gbp: f64,
    /// Where the decision changes: the pair's margin for a difference of
    /// two options, zero for an option against the comparator.
    #[serde(default)]
    pub threshold_gbp: f64,
    pub bars: Vec<TornadoBar>,
    pub switch_points: Vec<SwitchPointResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TornadoBar {
    pub parameter: String,
    /// The parameter's base value; it may lie outside the range.
    pub base_value: f64,
    pub range_source: String,
    pub low_value: f64,
    pub high_value: f64,
    pub outcome_at_low_gbp: f64,
    pub outcome_at_high_gbp: f64,
    pub grid_min_gbp: f64,
    pub grid_max_gbp: f64,
    pub turns_inside_range: bool,
    pub best_at_low: String,
    pub best_at_high: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchPointResult {
    pub parameter: String,
    pub kind: String,
    pub value: f64,
    pub bracket: [f64; 2],
    /// Just below and just above the value: the preferred option's id, or
    /// the outcome's sign.
    pub below: String,
    pub above: String,
}

/// The headline outcome over a grid of two parameters, every other at base
/// and the roll-out at its expectation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TwoWayResult {
    /// [across, up].
    pub parameters: [String; 2],
    pub outcome: String,
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// The two parameters' base values.
    pub base: [f64; 2],
    /// Where the decision changes: the pair's margin (zero against the
    /// comparator); the boundary is drawn where the outcome crosses it.
    #[serde(default)]
    pub threshold_gbp: f64,
    /// `outcome_gbp[j][i]` at `y_values[j]`, `x_values[i]`.
    pub outcome_gbp: Vec<Vec<f64>>,
    /// The option with the highest PV in each cell, as `outcome_gbp`.
    pub preferred: Vec<Vec<String>>,
}

/// Each option's money year by year over the draws, undiscounted (in the
/// price year's £; efficiency, not cash released), and the year its
/// cumulative net efficiency against the comparator first turns positive
/// (its efficiency break-even; named `payback` in field names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearlyResult {
    pub comparator: String,
    /// How the percentiles are read: counted in buckets of this relative
    /// width's double, each within this fraction of the exact value.
    pub percentile_relative_accuracy: f64,
    pub method: String,
    /// Each option, keyed by id, in the order of the option file.
    pub options: IndexMap<String, OptionYears>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionYears {
    /// Year 1 first.
    pub years: Vec<BudgetYear>,
    /// Share of draws in which the option never pays back within the horizon.
    pub p_never_paid_back: f64,
    /// The payback year at the median of the draws; None when more than
    /// half never pay back.
    pub median_payback_year: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetYear {
    pub year: usize,
    /// Running plus transition (start-up and backfill) cost, £.
    pub investment_gbp: Spread,
    /// Value of the activity the hubs avoid, £.
    pub value_avoided_gbp: Spread,
    /// Value avoided less investment, £.
    pub net_gbp: Spread,
    /// Net less the comparator's, summed over years 1 to this one, £.
    pub cumulative_net_efficiency_gbp: Spread,
    /// Share of draws whose payback year is this one.
    pub p_payback_in_year: f64,
    /// Share of draws paid back by the end of this year.
    pub p_paid_back_by_year: f64,
}

/// A yearly quantity: its base-case value and its distribution over the
/// draws (percentiles of type 7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    pub base: f64,
    pub mean: f64,
    pub p2_5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p97_5: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterResult {
    pub name: String,
    pub description: String,
    pub unit: String,
    pub distribution: String,
    pub base: f64,
    pub p2_5: f64,
    pub p97_5: f64,
    pub source: String,
    pub fitted: Option<String>,
    /// The distribution as the parameter file states it, before fitting.
    #[serde(default)]
    pub entered: String,
    pub file: Option<String>,
    /// For a distribution elicited from experts: each expert's fit and the
    /// fitted CDF; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicited: Option<ElicitedResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioResult {
    pub name: String,
    pub description: String,
    /// Option ids, best mean PV first.
    pub ranking_by_mean_pv: Vec<String>,
    /// Keyed by option id.
    pub base_pv_gbp: IndexMap<String, f64>,
    pub mean_pv_gbp: IndexMap<String, f64>,
    pub p_best: IndexMap<String, f64>,
    /// P(A − B > margin) for each decision pair, keyed `A-B`.
    pub pairs: IndexMap<String, Proportion>,
    /// The verdict and mean difference of each decision pair, keyed `A-B`,
    /// as the main run gives them for its own.
    pub pair_outcomes: IndexMap<String, ScenarioPairOutcome>,
}

/// A decision pair under a scenario: what its P(A − B > m) supports, and
/// by how much A exceeds B on average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioPairOutcome {
    /// The band its whole Wilson interval lies in, or "Not settled: …".
    pub verdict: String,
    pub verdict_settled: bool,
    pub mean_difference_gbp: f64,
    pub mean_difference_mcse_gbp: f64,
}
