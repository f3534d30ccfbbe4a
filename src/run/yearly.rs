//! The budget year by year: for every option and year, the investment
//! (running plus transition cost), the value of activity avoided and the
//! net, over the run's draws; the cumulative net efficiency against the
//! comparator; and the year in which that first turns positive (payback).
//!
//! Budget holders ask what each option costs and saves in each year, not
//! only its ten-year present value: these models release cash slowly. The
//! figures are cash (undiscounted) in the price year. Each draw is
//! re-evaluated on its own parameter values and roll-out, and its yearly
//! figures are counted into a [`Sketch`] per cell, so that memory does not
//! grow with the draws; means are exact.

use polars::prelude::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::config::RunConfig;
use super::engine::Engine;
use super::plan::Plan;
use crate::analysis::quantiles::{RELATIVE_ACCURACY, Sketch};
use crate::error::{Error, Result};
use crate::export::parquet::{self, Metadata};
use crate::model::Model;
use crate::results::{BudgetYear, OptionYears, Spread, YearlyResult};

/// Draws a block: sums are added block by block, in draw order, so that the
/// means do not depend on the thread count.
const BLOCK: usize = 4096;

/// Investment, value avoided, net, cumulative net efficiency.
const QUANTITIES: usize = 4;

/// The file of every draw's yearly figures, written when the run file asks.
pub const DRAWS_FILE: &str = "yearly_draws.parquet";

/// One thread's counts over its share of the draws.
struct Tally {
    /// Option k, year t, quantity q at `(k * horizon + t) * QUANTITIES + q`.
    cells: Vec<Sketch>,
    /// Option k's draws paying back in year t at `k * (horizon + 1) + t - 1`;
    /// never at `k * (horizon + 1) + horizon`.
    payback: Vec<u64>,
    /// Each block's sums of every cell, with the block's index.
    sums: Vec<(usize, Vec<f64>)>,
    /// Each block's draws' figures, when they are to be written.
    draws: Vec<(usize, Vec<[f64; 3]>)>,
}

/// Every draw's yearly figures, and the distributions over them.
pub struct Yearly {
    pub result: YearlyResult,
    /// `[investment, value avoided, net]` of draw j, option k, year t at
    /// `(j * options + k) * horizon + t`, when the run file asks for them.
    pub draws: Option<Vec<[f64; 3]>>,
}

/// Evaluates every draw's yearly figures on the run's sampled values
/// (`drawn`: one column per sampled parameter).
pub fn evaluate(config: &RunConfig, plan: &Plan, drawn: &[Vec<f64>]) -> Yearly {
    let model = &plan.model;
    let mut engine = plan.engine(config, model, config.uncertainty);
    engine.drawn = Some(drawn);
    let n = config.samples as usize;
    let blocks = n.div_ceil(BLOCK);
    let threads = rayon::current_num_threads().min(blocks).max(1);
    let keep_draws = config.yearly.draws;
    let tallies: Vec<Tally> = (0..threads)
        .into_par_iter()
        .map(|t| {
            let mut tally = Tally::new(model);
            for b in blocks * t / threads..blocks * (t + 1) / threads {
                let draws = b * BLOCK..((b + 1) * BLOCK).min(n);
                tally.count_block(&engine, b, draws, keep_draws);
            }
            tally
        })
        .collect();
    let mut tallies = tallies.into_iter();
    let mut all = tallies.next().unwrap_or_else(|| Tally::new(model));
    for other in tallies {
        all.merge(other);
    }
    all.sums.sort_by_key(|(b, _)| *b);
    all.draws.sort_by_key(|(b, _)| *b);
    let draws = keep_draws.then(|| all.draws.drain(..).flat_map(|(_, d)| d).collect());
    Yearly {
        result: all.result(plan, n),
        draws,
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

    fn count_block(
        &mut self,
        engine: &Engine,
        block: usize,
        draws: std::ops::Range<usize>,
        keep_draws: bool,
    ) {
        let model = engine.model;
        let (options, horizon) = (model.options.len(), model.horizon_years);
        let mut sums = vec![0.0; self.cells.len()];
        let mut kept = Vec::with_capacity(if keep_draws {
            draws.len() * options * horizon
        } else {
            0
        });
        let mut s = engine.scratch();
        let mut flows = vec![[0.0; 3]; options * horizon];
        for draw in draws {
            engine.evaluate(draw as u64, &mut s);
            let rates = model.rates(&s.values);
            for k in 0..options {
                for (t, hubs) in s.workspace.schedule(k).iter().enumerate() {
                    let (gross, running, transition) = Model::year_money(hubs, &rates);
                    let investment = running + transition;
                    flows[k * horizon + t] = [investment, gross, gross - investment];
                }
            }
            let comparator = model.comparator * horizon;
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
                        self.cells[cell + q].add(v);
                        sums[cell + q] += v;
                    }
                }
                self.payback[k * (horizon + 1) + payback] += 1;
            }
            if keep_draws {
                kept.extend_from_slice(&flows);
            }
        }
        self.sums.push((block, sums));
        if keep_draws {
            self.draws.push((block, kept));
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
            method: "every draw re-evaluated year by year; percentiles (type 7) read from counts in buckets of relative width 2^-12, means exact; payback is the first year whose cumulative undiscounted net efficiency against the comparator is positive".into(),
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

/// Writes every draw's yearly figures: one row per draw, option and year.
pub fn write_draws(
    dir: &Path,
    model: &Model,
    flows: &[[f64; 3]],
    metadata: &Metadata,
) -> Result<PathBuf> {
    let (options, horizon) = (model.options.len(), model.horizon_years);
    let rows = flows.len();
    let draw: Vec<u64> = (0..rows)
        .map(|i| (i / (options * horizon)) as u64)
        .collect();
    let option: Vec<&str> = (0..rows)
        .map(|i| model.options[(i / horizon) % options].id.as_str())
        .collect();
    let year: Vec<i32> = (0..rows).map(|i| (i % horizon) as i32 + 1).collect();
    let column = |q: usize| flows.iter().map(|f| f[q]).collect::<Vec<f64>>();
    let path = dir.join(DRAWS_FILE);
    let mut frame = DataFrame::new(
        rows,
        vec![
            Column::new("draw".into(), draw),
            Column::new("option".into(), option),
            Column::new("year".into(), year),
            Column::new("investment_gbp".into(), column(0)),
            Column::new("value_avoided_gbp".into(), column(1)),
            Column::new("net_gbp".into(), column(2)),
        ],
    )
    .map_err(|e| Error::internal(&path, e))?;
    parquet::write(&path, &mut frame, metadata)?;
    Ok(path)
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
