//! Value of information from a run's draws: the EVPPI of each sampled parameter and
//! of each group the run file declares, beside the EVPI, written to
//! `evppi.parquet`, the summary and the report.
//!
//! The decision is on present value against the comparator. The roll-out's
//! hub-level events are sampled but are not parameters one could learn, so
//! they count in the EVPI and in no EVPPI; the roll-out group holds the
//! parameters that govern them.

use rayon::prelude::*;

use super::evppi;
use super::evsi::{self, Likelihood};
use crate::plan::evppi::{Item, Study};

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub group: bool,
    pub members: Vec<String>,
    /// The regression's own estimate, before the cap.
    pub estimate: f64,
    pub se: f64,
    pub method: &'static str,
}

/// Each item's EVPPI as the regressions estimate it, before it is set
/// against the EVPI of all the draws.
#[derive(Debug, Clone)]
pub struct Estimates {
    draws: usize,
    rows: Vec<Row>,
}

impl Estimates {
    /// The result, with each estimate capped to [0, EVPI]: learning part
    /// of the uncertainty cannot be worth more than learning all of it.
    pub fn against(self, evpi: f64, learnable: Option<Learnable>) -> crate::results::EvppiResult {
        let share = |gbp: f64| (evpi > 0.0).then(|| gbp / evpi);
        let split = learnable.map(|l| {
            let learnable_gbp = l.evppi.clamp(0.0, evpi.max(0.0));
            let irreducible_gbp = evpi.max(0.0) - learnable_gbp;
            crate::results::EvpiSplit {
                learnable_gbp,
                learnable_estimate_gbp: l.evppi,
                learnable_se_gbp: l.se,
                irreducible_gbp,
                learnable_share: share(learnable_gbp),
                irreducible_share: share(irreducible_gbp),
                outer_draws: l.outer,
                inner_draws: l.inner,
                method: "nested Monte Carlo: each outer parameter draw's option values averaged over inner redraws of the roll-out, bias-corrected by halves; se over outer draws; capped to [0, EVPI]".into(),
            }
        });
        crate::results::EvppiResult {
            split,
            evpi_gbp: evpi,
            draws_used: self.draws,
            method: "regression of each option's net benefit on the parameter(s) (Strong, Oakley & Brennan 2014); se from coefficient draws and the Monte Carlo error; estimates are capped to [0, EVPI]".into(),
            rows: self
                .rows
                .into_iter()
                .map(|r| {
                    let evppi = r.estimate.clamp(0.0, evpi.max(0.0));
                    crate::results::EvppiRow {
                        kind: if r.group { "group" } else { "parameter" }.into(),
                        share_of_evpi: (evpi > 0.0).then(|| evppi / evpi),
                        name: r.name,
                        members: r.members,
                        evppi_gbp: evppi,
                        estimate_gbp: r.estimate,
                        se_gbp: r.se,
                        method: r.method.into(),
                    }
                })
                .collect(),
        }
    }
}

/// Each option's PV over the first `max_draws` draws: the net benefit
/// the regressions read.
fn first_draws(present_value: &[Vec<f64>], max_draws: usize) -> Vec<Vec<f64>> {
    let n = present_value.first().map_or(0, Vec::len).min(max_draws);
    present_value.iter().map(|v| v[..n].to_vec()).collect()
}

/// The first `n` draws of the sampled parameters at `slots`.
fn first_of<'c>(slots: &[usize], sampled_columns: &'c [Vec<f64>], n: usize) -> Vec<&'c [f64]> {
    slots.iter().map(|&s| &sampled_columns[s][..n]).collect()
}

/// Estimates each item's EVPPI from the sampled parameter columns and each
/// option's PV, on the first `max_draws` draws.
pub fn estimate(
    items: &[Item],
    sampled_columns: &[Vec<f64>],
    present_value: &[Vec<f64>],
    max_draws: usize,
    seed: u64,
) -> Estimates {
    let net_benefit = first_draws(present_value, max_draws);
    let n = net_benefit.first().map_or(0, Vec::len);
    let rows = items
        .par_iter()
        .enumerate()
        .map(|(k, item)| {
            let columns = first_of(&item.slots, sampled_columns, n);
            let e = evppi::evppi(&columns, &net_benefit, seed ^ (0xe5_0000 + k as u64));
            Row {
                name: item.name.clone(),
                group: item.group,
                members: item.members.clone(),
                estimate: e.evppi,
                se: e.se,
                method: e.method,
            }
        })
        .collect();
    Estimates { draws: n, rows }
}

/// The EVPPI of every sampled parameter learnt together, by nested Monte
/// Carlo, and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Learnable {
    pub evppi: f64,
    pub se: f64,
    pub outer: usize,
    pub inner: usize,
}

/// Each outer draw's sums of every option's value over the two halves of
/// its inner redraws, `inner` redraws in all (1 where one evaluation is
/// exact), as the draws stage makes them.
pub struct InnerRedraws {
    pub halves: Vec<[Vec<f64>; 2]>,
    pub inner: usize,
}

/// The EVPPI of every sampled parameter learnt together, from each outer
/// draw's redraws of the roll-out:
///
///   EVPPI = mean over draws of max_k E[PV_k | θ] − max_k mean E[PV_k | θ],
///
/// with no regression. The maximum of averages over finitely many redraws
/// is biased upward by about c/inner; each draw's term is corrected by
/// comparing the two halves of its redraws (2·max(all) − mean of the
/// halves' maxima), so the bias left is of order 1/inner². The standard
/// error is that of the corrected terms over the outer draws, which carry
/// both levels' noise.
pub fn learnable(redraws: &InnerRedraws) -> Learnable {
    let (rows, inner) = (&redraws.halves, redraws.inner);
    let n = rows.len();
    let options = rows.first().map_or(0, |r| r[0].len());
    if n < 2 {
        return Learnable {
            evppi: 0.0,
            se: 0.0,
            outer: n,
            inner,
        };
    }
    // Values are taken against the option best on average, so that each
    // draw's term is its gain from switching (mostly 0), not the option
    // values themselves, whose spread would swamp the estimate.
    let nf = n as f64;
    let mean = |r: &[Vec<f64>; 2], k: usize| (r[0][k] + r[1][k]) / inner as f64;
    let reference = (0..options)
        .max_by(|&a, &b| {
            let total = |k| rows.iter().map(|r| mean(r, k)).sum::<f64>();
            total(a).total_cmp(&total(b))
        })
        .unwrap_or(0);
    let gain = |values: &dyn Fn(usize) -> f64| {
        (0..options)
            .map(|k| values(k) - values(reference))
            .fold(0.0, f64::max)
    };
    let terms: Vec<f64> = rows
        .iter()
        .map(|r| {
            let all = gain(&|k| mean(r, k));
            if inner < 2 {
                return all;
            }
            let per_half = (inner / 2) as f64;
            let halves = (gain(&|k| r[0][k] / per_half) + gain(&|k| r[1][k] / per_half)) / 2.0;
            2.0 * all - halves
        })
        .collect();
    let estimate = terms.iter().sum::<f64>() / nf;
    let variance = terms.iter().map(|t| (t - estimate).powi(2)).sum::<f64>() / (nf - 1.0);
    Learnable {
        evppi: estimate,
        se: (variance / nf).sqrt(),
        outer: n,
        inner,
    }
}

/// Each sampled parameter's first-order variance share of `outcome` (the
/// tornado's: the headline difference), on the first `max_draws` draws:
/// (name, share, standard error), in the sampled parameters' order.
pub fn variance_shares(
    names: &[String],
    columns: &[Vec<f64>],
    outcome: &[f64],
    max_draws: usize,
    seed: u64,
) -> Vec<(String, f64, f64)> {
    let n = outcome.len().min(max_draws);
    names
        .par_iter()
        .zip(columns)
        .enumerate()
        .map(|(k, (name, column))| {
            let varies = column[..n].iter().any(|v| *v != column[0]);
            let (share, se) = if varies {
                evppi::first_order_share(&column[..n], &outcome[..n], seed ^ (0x5a_0000 + k as u64))
            } else {
                (0.0, 0.0)
            };
            (name.clone(), share, se)
        })
        .collect()
}

/// Each study's EVSI at each size, with the EVPPI of its parameters (the
/// most any study of them can be worth), on the first `max_draws` draws.
pub fn study_values(
    studies: &[Study],
    sampled_columns: &[Vec<f64>],
    present_value: &[Vec<f64>],
    max_draws: usize,
    seed: u64,
) -> Vec<crate::results::StudyResult> {
    let net_benefit = first_draws(present_value, max_draws);
    let n = net_benefit.first().map_or(0, Vec::len);
    studies
        .par_iter()
        .enumerate()
        .map(|(k, study)| {
            let columns = first_of(&study.slots, sampled_columns, n);
            let seed = seed ^ (0xe5_5000 + k as u64);
            let ceiling = evppi::evppi(&columns, &net_benefit, seed);
            let estimates =
                evsi::evsi(&columns, study.likelihood, &study.sizes, &net_benefit, seed);
            let shown = evsi::reported(
                &estimates
                    .iter()
                    .map(|e| (e.evppi, e.se))
                    .collect::<Vec<_>>(),
                ceiling.evppi,
            );
            crate::results::StudyResult {
                name: study.name.clone(),
                parameters: study.parameters.clone(),
                likelihood: match study.likelihood {
                    Likelihood::Binomial => "binomial".into(),
                    Likelihood::Normal { sd } => format!("normal (sd {sd} per observation)"),
                },
                evppi_gbp: ceiling.evppi.max(0.0),
                evppi_se_gbp: ceiling.se,
                draws_used: n,
                points: study
                    .sizes
                    .iter()
                    .zip(estimates.iter().zip(shown))
                    .map(|(&size, (e, shown))| {
                        let cost = study.cost + study.cost_per_observation * size as f64;
                        crate::results::EvsiPoint {
                            size,
                            evsi_gbp: shown,
                            estimate_gbp: e.evppi,
                            se_gbp: e.se,
                            distinguishable_from_zero: e.evppi > 1.96 * e.se,
                            cost_gbp: cost,
                            enbs_gbp: shown - cost,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
