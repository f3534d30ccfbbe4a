//! The budget year by year: for every option and year, the investment
//! (running plus transition cost), the value of activity avoided and the
//! net, over the run's draws; the cumulative net efficiency against the
//! comparator; and the year in which that first turns positive (payback).
//!
//! Budget holders ask what each option costs and saves in each year, not
//! only its ten-year present value: these models release efficiency slowly.
//! The figures are undiscounted, in the price year's £; they are efficiency
//! (capacity freed), not cash released. Each draw's yearly
//! figures are counted as the run makes the draw, from its own parameter
//! values and roll-out, into a [`Sketch`] per cell, so that memory does not
//! grow with the draws; means are exact.

use std::sync::{Mutex, MutexGuard};

use super::engine::Scratch;
use super::stopwatch::Stopwatch;
use crate::analysis::quantiles::{RELATIVE_ACCURACY, Sketch};
use crate::model::Model;
use crate::plan::Plan;
use crate::results::{BudgetYear, OptionYears, Spread, YearlyResult};

/// Investment, value avoided, net, cumulative net efficiency.
const QUANTITIES: usize = 4;

/// One thread's counts over its share of the draws.
struct Tally {
    /// Option k, year t, quantity q at `(k * horizon + t) * QUANTITIES + q`.
    cells: Vec<Sketch>,
    /// Option k's draws paying back in year t at `k * (horizon + 1) + t - 1`;
    /// never at `k * (horizon + 1) + horizon`.
    payback: Vec<u64>,
    /// Each block's sums of every cell, with the block's first draw.
    sums: Vec<(u64, Vec<f64>)>,
    /// Each block's draws' figures, when they are to be written.
    draws: Vec<(u64, Vec<[f64; 3]>)>,
}

/// Every draw's yearly figures, and the distributions over them.
pub struct Yearly {
    pub result: YearlyResult,
    /// `[investment, value avoided, net]` of draw j, option k, year t at
    /// `(j * options + k) * horizon + t`, when the run file asks for them.
    pub draws: Option<Vec<[f64; 3]>>,
}

/// The yearly figures of the run's draws, counted as the draws are made:
/// one tally per thread, each block of draws' sums kept apart and added in
/// draw order at the end, so that nothing depends on the thread count.
pub struct YearlyCounts {
    tallies: Vec<Mutex<Tally>>,
    keep_draws: bool,
    /// The threads' time counting, when timed.
    stopwatch: Stopwatch,
}

/// The counts of one block of draws, on the thread computing it.
pub struct BlockCounts<'a> {
    tally: MutexGuard<'a, Tally>,
    first: u64,
    /// The block's sums of every cell, added in draw order.
    sums: Vec<f64>,
    kept: Vec<[f64; 3]>,
    flows: Vec<[f64; 3]>,
    counts: &'a YearlyCounts,
}

impl YearlyCounts {
    /// Counts for the draws of `model`, made on the current pool; with
    /// `keep_draws`, every draw's figures are kept to be written.
    pub fn new(model: &Model, keep_draws: bool, timed: bool) -> YearlyCounts {
        let threads = rayon::current_num_threads().max(1);
        YearlyCounts {
            tallies: (0..threads)
                .map(|_| Mutex::new(Tally::new(model)))
                .collect(),
            keep_draws,
            stopwatch: Stopwatch::new(timed),
        }
    }

    /// Starts counting the block of draws from `first`, on this thread.
    pub fn block(&self, model: &Model, first: u64) -> BlockCounts<'_> {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.tallies.len();
        // A panic elsewhere poisons nothing that matters: counts are plain.
        let tally = self.tallies[slot]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (options, horizon) = (model.options.len(), model.horizon_years);
        BlockCounts {
            sums: vec![0.0; tally.cells.len()],
            tally,
            first,
            kept: Vec::new(),
            flows: vec![[0.0; 3]; options * horizon],
            counts: self,
        }
    }

    /// Wall time spent counting: the threads' time over their number.
    pub fn spent(&self) -> std::time::Duration {
        self.stopwatch.spent(self.tallies.len())
    }

    /// The distributions over the `n` draws counted.
    pub fn finish(self, plan: &Plan, n: usize) -> Yearly {
        let mut tallies = self
            .tallies
            .into_iter()
            .map(|t| t.into_inner().unwrap_or_else(|p| p.into_inner()));
        let mut all = tallies.next().unwrap_or_else(|| Tally::new(&plan.model));
        for other in tallies {
            all.merge(other);
        }
        all.sums.sort_by_key(|(first, _)| *first);
        all.draws.sort_by_key(|(first, _)| *first);
        let draws = self
            .keep_draws
            .then(|| all.draws.drain(..).flat_map(|(_, d)| d).collect());
        Yearly {
            result: all.result(plan, n),
            draws,
        }
    }
}

impl BlockCounts<'_> {
    /// Counts the draw whose main evaluation `s` holds (each option-year's
    /// money): its investment, value avoided and net, the cumulative net
    /// efficiency against the comparator, and payback.
    pub(super) fn add(&mut self, model: &Model, s: &Scratch) {
        let stopwatch = &self.counts.stopwatch;
        stopwatch.time(|| self.count(model, s));
    }

    fn count(&mut self, model: &Model, s: &Scratch) {
        let (options, horizon) = (model.options.len(), model.horizon_years);
        let flows = &mut self.flows;
        for k in 0..options {
            let money = &s.workspace.money(k)[..horizon];
            for (t, &[gross, running, transition]) in money.iter().enumerate() {
                let investment = running + transition;
                flows[k * horizon + t] = [investment, gross, gross - investment];
            }
        }
        let comparator = model.comparator * horizon;
        let tally = &mut *self.tally;
        for k in 0..options {
            let mut cumulative = 0.0;
            let mut payback = horizon;
            for t in 0..horizon {
                let [investment, value, own] = flows[k * horizon + t];
                cumulative += own - flows[comparator + t][2];
                if cumulative > 0.0 && payback == horizon {
                    payback = t;
                }
                let cell = (k * horizon + t) * QUANTITIES;
                for (q, v) in [investment, value, own, cumulative].into_iter().enumerate() {
                    tally.cells[cell + q].add(v);
                    self.sums[cell + q] += v;
                }
            }
            tally.payback[k * (horizon + 1) + payback] += 1;
        }
        if self.counts.keep_draws {
            self.kept.extend_from_slice(flows);
        }
    }

    /// Files the block's sums (and draws) with its thread's tally.
    pub fn finish(mut self) {
        let sums = std::mem::take(&mut self.sums);
        self.tally.sums.push((self.first, sums));
        if self.counts.keep_draws {
            let kept = std::mem::take(&mut self.kept);
            self.tally.draws.push((self.first, kept));
        }
    }
}

impl Tally {
    fn new(model: &Model) -> Tally {
        let (options, horizon) = (model.options.len(), model.horizon_years);
        Tally {
            cells: vec![Sketch::default(); options * horizon * QUANTITIES],
            payback: vec![0; options * (horizon + 1)],
            sums: Vec::new(),
            draws: Vec::new(),
        }
    }

    fn merge(&mut self, other: Tally) {
        for (ours, theirs) in self.cells.iter_mut().zip(&other.cells) {
            ours.merge(theirs);
        }
        for (ours, theirs) in self.payback.iter_mut().zip(&other.payback) {
            *ours += theirs;
        }
        self.sums.extend(other.sums);
        self.draws.extend(other.draws);
    }

    /// The distributions, with `n` draws counted and the sums in block order.
    fn result(&self, plan: &Plan, n: usize) -> YearlyResult {
        let model = &plan.model;
        let horizon = model.horizon_years;
        let mut totals = vec![0.0; self.cells.len()];
        for (_, sums) in &self.sums {
            for (total, s) in totals.iter_mut().zip(sums) {
                *total += s;
            }
        }
        let spread = |cell: usize, base: f64| {
            let sketch = &self.cells[cell];
            Spread {
                base,
                mean: totals[cell] / n as f64,
                p2_5: sketch.quantile(0.025),
                p25: sketch.quantile(0.25),
                p50: sketch.quantile(0.5),
                p75: sketch.quantile(0.75),
                p97_5: sketch.quantile(0.975),
            }
        };
        let options = model
            .options
            .iter()
            .zip(&plan.base)
            .enumerate()
            .map(|(k, (option, base))| {
                let counts = &self.payback[k * (horizon + 1)..(k + 1) * (horizon + 1)];
                let share = |c: u64| c as f64 / n as f64;
                let mut paid_back = 0;
                let mut base_cumulative = 0.0;
                let years = (0..horizon)
                    .map(|t| {
                        let y = &base.years[t];
                        base_cumulative += base.efficiency_by_year[t];
                        paid_back += counts[t];
                        let cell = (k * horizon + t) * QUANTITIES;
                        let investment = y.running_cost + y.transition_cost;
                        BudgetYear {
                            year: t + 1,
                            investment_gbp: spread(cell, investment),
                            value_avoided_gbp: spread(cell + 1, y.gross_benefit),
                            net_gbp: spread(cell + 2, y.net_value),
                            cumulative_net_efficiency_gbp: spread(cell + 3, base_cumulative),
                            p_payback_in_year: share(counts[t]),
                            p_paid_back_by_year: share(paid_back),
                        }
                    })
                    .collect();
                (
                    option.id.clone(),
                    OptionYears {
                        years,
                        p_never_paid_back: share(counts[horizon]),
                        median_payback_year: median_year(counts, n as u64),
                    },
                )
            })
            .collect();
        YearlyResult {
            comparator: model.options[model.comparator].id.clone(),
            percentile_relative_accuracy: RELATIVE_ACCURACY,
            method: "every draw counted year by year as it is made; percentiles (type 7) read from counts in buckets of relative width 2^-9, means exact; payback is the first year whose cumulative undiscounted net efficiency against the comparator is positive".into(),
            options,
        }
    }
}

/// The payback year of the median draw (the lower median: the year by
/// which at least half have paid back), or None when more than half never do.
fn median_year(counts: &[u64], n: u64) -> Option<usize> {
    let horizon = counts.len() - 1;
    let mut paid = 0;
    for (t, &c) in counts[..horizon].iter().enumerate() {
        paid += c;
        if 2 * paid >= n {
            return Some(t + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::median_year;

    #[test]
    fn the_median_payback_year_is_where_half_the_draws_have_paid_back() {
        // Years 1..3 and never: 10 draws.
        assert_eq!(median_year(&[2, 3, 1, 4], 10), Some(2));
        assert_eq!(median_year(&[5, 0, 0, 5], 10), Some(1));
        assert_eq!(median_year(&[1, 1, 1, 7], 10), None);
        assert_eq!(median_year(&[0, 0, 6, 4], 10), Some(3));
    }
}
