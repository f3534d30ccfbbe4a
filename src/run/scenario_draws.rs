//! Scenarios evaluated on each draw as the main run makes it, on the draw's
//! own parameter values and roll-out (common random numbers), and counted
//! chunk by chunk in draw order, so that nothing per draw is kept.
//!
//! A scenario that changes only the discount rate or the horizon reweights
//! the draw's yearly flows, which the main evaluation computes up to the
//! longest such horizon: no second model evaluation. A scenario that
//! changes parameter values, links or the roll-out's sampling re-runs the
//! model on the draw's values with its changes.

use super::engine::{Engine, Scratch};
use super::stopwatch::Stopwatch;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::outcomes::{self, Discounting, Rollout, Totals, Workspace};
use crate::plan::Plan;
use crate::plan::config::{RunConfig, Uncertainty};
use crate::plan::scenario::Scenario;

/// How a scenario's option values follow from a draw.
enum Evaluation {
    /// The draw's own yearly flows over `years`, discounted at `rate`, or
    /// at the draw's discount rate when `rate` is None.
    Reweighted { rate: Option<f64>, years: usize },
    /// The model re-run on the draw's values with the scenario's changes,
    /// its roll-out sampled (`rollout`) or at its expectation.
    Rerun { model: Box<Model>, rollout: bool },
}

impl Evaluation {
    fn of(scenario: &Scenario, model: &Model, uncertainty: Uncertainty) -> Evaluation {
        let years = scenario.horizon_years.unwrap_or(model.horizon_years);
        let rollout = scenario.rollout.unwrap_or(uncertainty.rollout);
        let discount = model.discount_rate_slot();
        let adjusted = &scenario.adjustments;
        let discount_only = adjusted.link.is_empty()
            && adjusted.redraw.is_empty()
            && adjusted.set.iter().all(|&(slot, _)| slot == discount)
            && !model.flows_read(discount);
        if discount_only && rollout == uncertainty.rollout {
            let rate = adjusted.set.last().map(|&(_, v)| v);
            return Evaluation::Reweighted { rate, years };
        }
        Evaluation::Rerun {
            model: Box::new(model.with_horizon(years)),
            rollout,
        }
    }
}

/// The run's scenarios, ready to evaluate on each of its draws.
pub struct ScenarioDraws<'a> {
    pub engine: &'a Engine<'a>,
    plan: &'a Plan,
    config: &'a RunConfig,
    evaluations: Vec<Evaluation>,
    /// The threads' time on scenarios, when timed.
    stopwatch: Stopwatch,
}

/// Per-thread buffers: each scenario's discount factors, and what a
/// re-run scenario evaluates in.
pub struct ScenarioScratch {
    discounting: Vec<Discounting>,
    values: Vec<f64>,
    workspace: Workspace,
    totals: Totals,
}

/// The years of yearly flows each draw of the main run must compute: the
/// model's horizon, or the longest horizon of a scenario that reweights.
pub fn span(plan: &Plan, config: &RunConfig) -> usize {
    plan.scenarios
        .iter()
        .map(
            |s| match Evaluation::of(s, &plan.model, config.uncertainty) {
                Evaluation::Reweighted { years, .. } => years,
                Evaluation::Rerun { .. } => 0,
            },
        )
        .fold(plan.model.horizon_years, usize::max)
}

impl<'a> ScenarioDraws<'a> {
    /// The plan's scenarios on `engine`'s draws, whose workspace must span
    /// [`span`] years.
    pub fn new(plan: &'a Plan, config: &'a RunConfig, engine: &'a Engine<'a>) -> Self {
        let evaluations = plan
            .scenarios
            .iter()
            .map(|s| Evaluation::of(s, &plan.model, config.uncertainty))
            .collect();
        ScenarioDraws {
            engine,
            plan,
            config,
            evaluations,
            stopwatch: Stopwatch::new(config.timings),
        }
    }

    /// No scenarios: a shard's draws, whose scenarios come with the merge.
    pub fn none(plan: &'a Plan, config: &'a RunConfig, engine: &'a Engine<'a>) -> Self {
        ScenarioDraws {
            evaluations: Vec::new(),
            ..Self::new(plan, config, engine)
        }
    }

    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// Values a draw has: one per scenario and option.
    pub fn width(&self) -> usize {
        self.evaluations.len() * self.plan.model.options.len()
    }

    pub fn scratch(&self) -> ScenarioScratch {
        let longest = self
            .evaluations
            .iter()
            .map(|e| match e {
                Evaluation::Rerun { model, .. } => model.horizon_years,
                Evaluation::Reweighted { .. } => 0,
            })
            .max()
            .unwrap_or(0);
        ScenarioScratch {
            discounting: vec![Discounting::default(); self.evaluations.len()],
            values: self.engine.base_values(),
            workspace: Workspace::spanning(&self.plan.model, longest),
            totals: Totals::new(self.plan.model.options.len()),
        }
    }

    /// Every scenario's option values (present value) for draw `draw`,
    /// whose main evaluation `s` holds: scenario i's option k at
    /// `out[i * options + k]`.
    pub(super) fn evaluate(
        &self,
        draw: u64,
        s: &Scratch,
        sc: &mut ScenarioScratch,
        out: &mut [f64],
    ) {
        if !self.evaluations.is_empty() {
            self.stopwatch.time(|| self.evaluate_all(draw, s, sc, out));
        }
    }

    fn evaluate_all(&self, draw: u64, s: &Scratch, sc: &mut ScenarioScratch, out: &mut [f64]) {
        let main = self.engine.model;
        let options = main.options.len();
        for (i, (evaluation, out)) in self
            .evaluations
            .iter()
            .zip(out.chunks_mut(options))
            .enumerate()
        {
            match evaluation {
                Evaluation::Reweighted { rate, years } => {
                    let rate = rate.unwrap_or_else(|| main.discount_rate(&s.values));
                    let discounting = &mut sc.discounting[i];
                    discounting.update(rate, *years);
                    for (k, pv) in out.iter_mut().enumerate() {
                        *pv = outcomes::against_comparator(main, &s.workspace, k, discounting).1;
                    }
                }
                Evaluation::Rerun { model, rollout } => {
                    sc.values.copy_from_slice(&s.values);
                    let adjustments = &self.plan.scenarios[i].adjustments;
                    if self.config.uncertainty.parameters {
                        adjustments.apply(&mut sc.values);
                    } else {
                        adjustments.apply_at_base(&mut sc.values);
                    }
                    let rollout = Rollout::of(*rollout, self.engine.sampler.seed, draw);
                    outcomes::evaluate(
                        model,
                        &sc.values,
                        rollout,
                        &mut sc.workspace,
                        &mut sc.totals,
                    );
                    out.copy_from_slice(&sc.totals.present_value);
                }
            }
        }
    }

    /// Wall time spent on scenarios: the threads' time over their number.
    pub fn spent(&self) -> std::time::Duration {
        self.stopwatch.spent(rayon::current_num_threads())
    }

    /// The error for scenario `index`'s draw `draw`, whose option values
    /// are not plausible, naming the parameters that make them so.
    fn not_finite(&self, index: usize, draw: u64) -> Error {
        let scenario = &self.plan.scenarios[index];
        let (model, rollout) = match &self.evaluations[index] {
            Evaluation::Rerun { model, rollout } => ((**model).clone(), *rollout),
            Evaluation::Reweighted { years, .. } => (
                self.plan.model.with_horizon(*years),
                self.config.uncertainty.rollout,
            ),
        };
        let uncertainty = Uncertainty {
            rollout,
            ..self.config.uncertainty
        };
        let mut engine = super::engine::for_plan(self.plan, self.config, &model, uncertainty);
        engine.adjustments = scenario.adjustments.clone();
        Error::input(
            &self.config.file,
            format!("scenario `{}`", scenario.name),
            engine.not_finite(draw).to_string(),
        )
    }
}

/// What the scenarios' statistics need, counted over the draws in order.
pub struct ScenarioTally {
    options: usize,
    pairs: usize,
    pub draws: u64,
    /// Scenario i's option k at `i * options + k`: the sum of its values.
    pub sums: Vec<f64>,
    /// As `sums`: the draws in which the option is best (the first of
    /// equals, as the main run ranks).
    pub best: Vec<u64>,
    /// Scenario i's pair p at `i * pairs + p`: the draws in which the pair's
    /// first option beats its second by more than the margin.
    pub wins: Vec<u64>,
    /// As `wins`: the sum of the pair's differences, in draw order as the
    /// main run sums them, so that an unchanged scenario gives its mean
    /// to the last digit.
    pub difference_sums: Vec<f64>,
    /// As `wins`: the spread of the differences, for the mean's MCSE.
    pub difference_spread: Vec<RunningVariance>,
}

/// Welford's running variance: one pass, without the cancellation of
/// summing squares.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunningVariance {
    n: u64,
    mean: f64,
    m2: f64,
}

impl RunningVariance {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The sample standard deviation; 0 below two values.
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }
}

impl ScenarioTally {
    pub fn new(draws: &ScenarioDraws) -> ScenarioTally {
        let plan = draws.plan;
        let (options, pairs) = (plan.model.options.len(), plan.question.pairs.len());
        let scenarios = draws.evaluations.len();
        ScenarioTally {
            options,
            pairs,
            draws: 0,
            sums: vec![0.0; scenarios * options],
            best: vec![0; scenarios * options],
            wins: vec![0; scenarios * pairs],
            difference_sums: vec![0.0; scenarios * pairs],
            difference_spread: vec![RunningVariance::default(); scenarios * pairs],
        }
    }

    /// Counts draws `first..` whose scenario values are `columns` (one
    /// column per scenario and option, as [`ScenarioDraws::evaluate`] lays
    /// a draw out), refusing the first value that is not plausible.
    pub fn add(&mut self, draws: &ScenarioDraws, first: u64, columns: &[Vec<f64>]) -> Result<()> {
        let len = columns.first().map_or(0, Vec::len);
        let question = &draws.plan.question;
        for (index, values) in columns.chunks(self.options.max(1)).enumerate() {
            for (j, draw) in (0..len).zip(first..) {
                let at = index * self.options;
                let mut top = 0;
                for (k, column) in values.iter().enumerate() {
                    let v = column[j];
                    if !outcomes::plausible(v) {
                        return Err(draws.not_finite(index, draw));
                    }
                    self.sums[at + k] += v;
                    if v > values[top][j] {
                        top = k;
                    }
                }
                self.best[at + top] += 1;
                for (p, pair) in question.pairs.iter().enumerate() {
                    let difference = values[pair.a][j] - values[pair.b][j];
                    let at = index * self.pairs + p;
                    if difference > pair.margin {
                        self.wins[at] += 1;
                    }
                    self.difference_sums[at] += difference;
                    self.difference_spread[at].add(difference);
                }
            }
        }
        self.draws += len as u64;
        Ok(())
    }
}
