//! The expected value of partial perfect information (EVPPI): what learning
//! one parameter, or a group, exactly would be worth before deciding.
//!
//! Regression method of Strong, Oakley & Brennan (2014, Med Decis Making
//! 34:311-326): each option's net benefit, less that of the option best on
//! average, is regressed on the parameter(s); the fitted values g_k estimate
//! E[NB_k − NB_ref | θ], and
//!
//!   EVPPI = mean_i max(0, max_k g_k(θ_i)) − max(0, max_k mean_i g_k(θ_i)).
//!
//! The smoother is a penalised regression spline (P-spline, Eilers & Marx
//! 1996) on each parameter's own scale (its range mapped onto [0, 1]), as
//! the established GAM-based tools fit, with the penalty chosen by
//! generalised cross-validation:
//!
//! - one parameter: 20 cubic B-splines, second-difference penalty;
//! - two parameters: a tensor product of 8 × 8 cubic B-splines, penalised
//!   along both margins;
//! - three or more: additive cubic P-splines (10 per member) plus every
//!   pairwise linear-by-linear interaction. Interactions beyond these are
//!   not captured, so a large group's estimate errs low.
//!
//! The standard error combines the regression's uncertainty (coefficients
//! drawn from their approximate posterior, N(β̂, σ²(BᵀB + λP)⁻¹), as in
//! Strong et al.) with the Monte Carlo error of the average over draws.

// Matrix code reads as its formulas with explicit indices.
#![allow(clippy::needless_range_loop)]

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

use super::spline::{Basis, basis, gram_matrix};
use crate::linalg::{Matrix, cholesky, cholesky_inverse, cholesky_solve};

/// Coefficient draws behind the standard error.
const POSTERIOR_DRAWS: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub evppi: f64,
    pub se: f64,
    pub method: &'static str,
    /// Effective degrees of freedom of each option's fit, averaged.
    pub edf: f64,
}

/// A penalised least-squares fit with its posterior for the coefficients.
struct Fit {
    coefficients: Vec<f64>,
    /// Cholesky factor of the coefficients' covariance σ²(BᵀB + λP)⁻¹.
    covariance_factor: Option<Matrix>,
    edf: f64,
}

/// Penalised least-squares fits of each response in `ys` on the same basis.
/// Each candidate penalty is factored once for all responses; each response
/// then takes the penalty with the smallest GCV score.
fn fit_all(basis: &Basis, gram: &Matrix, ys: &[Vec<f64>]) -> Vec<Fit> {
    let p = basis.p;
    let responses: Vec<(Vec<f64>, f64)> = ys
        .iter()
        .map(|y| {
            let mut bty = vec![0.0; p];
            for ((columns, values), &yi) in basis.rows.iter().zip(y) {
                for (&j, &b) in columns.iter().zip(values) {
                    bty[j as usize] += b * yi;
                }
            }
            (bty, y.iter().map(|v| v * v).sum())
        })
        .collect();
    let n = ys.first().map_or(0, Vec::len) as f64;
    let scale = (0..p).map(|i| gram[i][i]).sum::<f64>() / p as f64;
    // Keeps the additive basis (whose members each sum to one) solvable.
    let ridge = 1e-9 * scale;
    // (GCV, coefficients, inverse of the penalised Gram matrix, edf, RSS).
    type Candidate = (f64, Vec<f64>, std::rc::Rc<Matrix>, f64, f64);
    let mut best: Vec<Option<Candidate>> = vec![None; ys.len()];
    // Penalties from 10^-6 to 10^4 times the basis's scale, half a decade apart.
    for step in 0..=20 {
        let lambda = scale * 10f64.powf(-6.0 + step as f64 * 0.5);
        let a: Matrix = (0..p)
            .map(|i| {
                (0..p)
                    .map(|j| {
                        gram[i][j] + lambda * basis.penalty[i][j] + if i == j { ridge } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        let Some(l) = cholesky(&a) else { continue };
        let inverse = std::rc::Rc::new(cholesky_inverse(&l));
        let edf: f64 = (0..p)
            .map(|i| (0..p).map(|k| inverse[i][k] * gram[k][i]).sum::<f64>())
            .sum();
        for ((bty, yty), slot) in responses.iter().zip(best.iter_mut()) {
            let beta = cholesky_solve(&l, bty);
            let fitted_sq: f64 = (0..p)
                .map(|i| beta[i] * (0..p).map(|j| gram[i][j] * beta[j]).sum::<f64>())
                .sum();
            let btb: f64 = beta.iter().zip(bty).map(|(b, v)| b * v).sum();
            let rss = (yty - 2.0 * btb + fitted_sq).max(0.0);
            let gcv = n * rss / (n - edf).powi(2);
            if slot.as_ref().is_none_or(|b| gcv < b.0) {
                *slot = Some((gcv, beta, inverse.clone(), edf, rss));
            }
        }
    }
    best.into_iter()
        .map(|candidate| {
            let Some((_, coefficients, inverse, edf, rss)) = candidate else {
                return Fit {
                    coefficients: vec![0.0; p],
                    covariance_factor: None,
                    edf: 0.0,
                };
            };
            let sigma2 = rss / (n - edf).max(1.0);
            let covariance: Matrix = inverse
                .iter()
                .map(|row| row.iter().map(|v| v * sigma2).collect())
                .collect();
            Fit {
                coefficients,
                covariance_factor: cholesky(&covariance),
                edf,
            }
        })
        .collect()
}

/// EVPPI under each set of coefficients in `sets` (`sets[s][k]`: option k
/// other than the reference), with the Monte Carlo variance of its first
/// term (Welford's running variance), in one pass over the basis rows.
///
/// The point estimate and every posterior draw share the pass: the
/// coefficients are laid out basis column by option by set, so that each
/// row's fitted values for all sets are multiply-adds over contiguous
/// coefficients.
fn value_under(basis: &Basis, sets: &[Vec<Vec<f64>>]) -> Vec<(f64, f64)> {
    value_under_in_blocks::<16>(basis, sets)
}

fn value_under_in_blocks<const BLOCK: usize>(
    basis: &Basis,
    sets: &[Vec<Vec<f64>>],
) -> Vec<(f64, f64)> {
    let s_count = sets.len();
    let options = sets.first().map_or(0, Vec::len);
    let width = options * s_count;
    let padded = width.div_ceil(BLOCK) * BLOCK;
    let mut coefficients = vec![0.0; basis.p * padded];
    for (s, set) in sets.iter().enumerate() {
        for (k, beta) in set.iter().enumerate() {
            for (j, &b) in beta.iter().enumerate() {
                coefficients[j * padded + k * s_count + s] = b;
            }
        }
    }
    let mut fitted = vec![0.0; padded];
    let mut sums = vec![0.0; width];
    let mut best = vec![0.0f64; s_count];
    let mut mean_best = vec![0.0; s_count];
    let mut squares = vec![0.0; s_count];
    let mut n = 0.0;
    for (columns, values) in basis.rows.iter() {
        for (start, out) in (0..padded)
            .step_by(BLOCK)
            .zip(fitted.chunks_exact_mut(BLOCK))
        {
            let mut acc = [0.0; BLOCK];
            for (&j, &b) in columns.iter().zip(values) {
                let at = j as usize * padded + start;
                let row: &[f64; BLOCK] = coefficients[at..at + BLOCK]
                    .try_into()
                    .expect("a block of BLOCK coefficients");
                for (a, c) in acc.iter_mut().zip(row) {
                    *a += b * c;
                }
            }
            out.copy_from_slice(&acc);
        }
        let fitted = &fitted[..width];
        for (sum, g) in sums.iter_mut().zip(fitted) {
            *sum += g;
        }
        best.fill(0.0);
        for by_set in fitted.chunks_exact(s_count) {
            for (m, g) in best.iter_mut().zip(by_set) {
                *m = m.max(*g);
            }
        }
        n += 1.0;
        for ((m, q), b) in mean_best.iter_mut().zip(&mut squares).zip(&best) {
            let delta = b - *m;
            *m += delta / n;
            *q += delta * (b - *m);
        }
    }
    (0..s_count)
        .map(|s| {
            if n == 0.0 {
                return (0.0, 0.0);
            }
            let best_mean = (0..options)
                .map(|k| sums[k * s_count + s] / n)
                .fold(0.0, f64::max);
            let variance = squares[s] / (n - 1.0).max(1.0);
            (mean_best[s] - best_mean, variance / n)
        })
        .collect()
}

/// Fewest draws on which variance shares are estimated: the regression
/// fits a spline of each parameter, and on a few dozen draws it fits noise
/// (shares near one for parameters that barely matter).
pub const MIN_SHARE_DRAWS: usize = 500;

/// The first-order variance share of `y` due to the parameter `column`:
/// Var(E[y | θ]) / Var(y), the Sobol first-order index estimated from the
/// draws already made (the same spline regression as the EVPPI's), with a
/// standard error combining the regression's uncertainty (coefficient
/// draws) and the Monte Carlo error of the two variances (delta method).
pub fn first_order_share(column: &[f64], y: &[f64], seed: u64) -> (f64, f64) {
    let n = y.len();
    if n < 3 {
        return (0.0, 0.0);
    }
    let nf = n as f64;
    let mean_y = y.iter().sum::<f64>() / nf;
    let centred: Vec<f64> = y.iter().map(|v| v - mean_y).collect();
    let var_y = centred.iter().map(|v| v * v).sum::<f64>() / nf;
    if var_y <= 0.0 {
        return (0.0, 0.0);
    }
    let basis = basis(&[column]);
    let gram = gram_matrix(&basis);
    let fit = fit_all(&basis, &gram, std::slice::from_ref(&centred))
        .pop()
        .expect("one response gives one fit");
    let fitted = |beta: &[f64]| -> Vec<f64> {
        basis
            .rows
            .iter()
            .map(|(columns, values)| {
                columns
                    .iter()
                    .zip(values)
                    .map(|(&j, &b)| b * beta[j as usize])
                    .sum()
            })
            .collect()
    };
    let share_of = |g: &[f64]| {
        let m = g.iter().sum::<f64>() / nf;
        g.iter().map(|v| (v - m).powi(2)).sum::<f64>() / nf / var_y
    };
    let g = fitted(&fit.coefficients);
    let share = share_of(&g);
    // Monte Carlo error of Var(g)/Var(y) as a ratio of means of squares.
    let mean_g = g.iter().sum::<f64>() / nf;
    let delta: Vec<f64> = g
        .iter()
        .zip(&centred)
        .map(|(gi, yi)| (gi - mean_g).powi(2) - share * yi * yi)
        .collect();
    let delta_mean = delta.iter().sum::<f64>() / nf;
    let mc_variance = delta.iter().map(|d| (d - delta_mean).powi(2)).sum::<f64>()
        / (nf - 1.0)
        / nf
        / var_y.powi(2);
    // Regression uncertainty: the share under coefficient draws.
    let mut regression_variance = 0.0;
    if let Some(l) = &fit.covariance_factor {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = basis.p;
        let shares: Vec<f64> = (0..POSTERIOR_DRAWS)
            .map(|_| {
                let z: Vec<f64> = (0..p).map(|_| StandardNormal.sample(&mut rng)).collect();
                let beta: Vec<f64> = (0..p)
                    .map(|i| fit.coefficients[i] + (0..=i).map(|k| l[i][k] * z[k]).sum::<f64>())
                    .collect();
                share_of(&fitted(&beta))
            })
            .collect();
        let m = shares.iter().sum::<f64>() / shares.len() as f64;
        regression_variance =
            shares.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (shares.len() as f64 - 1.0);
    }
    (share, (mc_variance + regression_variance).sqrt())
}

/// EVPPI of the parameter(s) `columns` (one slice of draws each) for a
/// decision between options with net benefits `net_benefit[k][i]`.
pub fn evppi(columns: &[&[f64]], net_benefit: &[Vec<f64>], seed: u64) -> Estimate {
    let n = columns[0].len();
    let means: Vec<f64> = net_benefit
        .iter()
        .map(|v| v.iter().sum::<f64>() / n as f64)
        .collect();
    let reference = (0..means.len())
        .max_by(|&a, &b| means[a].total_cmp(&means[b]))
        .unwrap_or(0);
    let basis = basis(columns);
    let p = basis.p;
    let gram = gram_matrix(&basis);
    let incremental: Vec<Vec<f64>> = net_benefit
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != reference)
        .map(|(_, nb)| {
            nb.iter()
                .zip(&net_benefit[reference])
                .map(|(a, b)| a - b)
                .collect()
        })
        .collect();
    let fits = fit_all(&basis, &gram, &incremental);
    // Regression uncertainty: EVPPI recomputed under coefficient draws,
    // evaluated with the point estimate in one pass.
    let point: Vec<Vec<f64>> = fits.iter().map(|f| f.coefficients.clone()).collect();
    let mut sets = Vec::with_capacity(POSTERIOR_DRAWS + 1);
    sets.push(point.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut z = vec![0.0; p];
    for _ in 0..POSTERIOR_DRAWS {
        let mut betas = point.clone();
        for (beta, f) in betas.iter_mut().zip(&fits) {
            if let Some(l) = &f.covariance_factor {
                z.iter_mut()
                    .for_each(|v| *v = StandardNormal.sample(&mut rng));
                for i in 0..p {
                    beta[i] += (0..=i).map(|k| l[i][k] * z[k]).sum::<f64>();
                }
            }
        }
        sets.push(betas);
    }
    let mut under = value_under(&basis, &sets);
    let values: Vec<f64> = under.split_off(1).into_iter().map(|(v, _)| v).collect();
    let (estimate, mc_variance) = under[0];
    let m = values.iter().sum::<f64>() / values.len() as f64;
    let regression_variance =
        values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (values.len() as f64 - 1.0);
    Estimate {
        evppi: estimate,
        se: (regression_variance + mc_variance).sqrt(),
        method: basis.method,
        edf: fits.iter().map(|f| f.edf).sum::<f64>() / fits.len().max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::super::spline::{cubic_bspline, second_difference_penalty};
    use super::*;

    #[test]
    fn cubic_bsplines_sum_to_one_and_match_the_uniform_formula() {
        for u in [0.0, 0.013, 0.5, 0.77, 1.0] {
            let (_, b) = cubic_bspline(u, 17);
            assert!((b.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        // At a knot the uniform cubic B-spline takes 1/6, 2/3, 1/6, 0.
        let (s, b) = cubic_bspline(0.5, 2);
        assert_eq!(s, 1);
        assert!((b[0] - 1.0 / 6.0).abs() < 1e-15 && (b[1] - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn second_differences_penalise_curvature_not_lines() {
        let d = second_difference_penalty(6);
        let line: Vec<f64> = (0..6).map(|i| 2.0 + 0.5 * i as f64).collect();
        let quadratic: Vec<f64> = (0..6).map(|i| (i * i) as f64).collect();
        let form = |x: &[f64]| -> f64 {
            (0..6)
                .map(|i| x[i] * (0..6).map(|j| d[i][j] * x[j]).sum::<f64>())
                .sum()
        };
        assert!(form(&line).abs() < 1e-12);
        // Each of the 4 second differences of i² is 2: 4 × 2² = 16.
        assert!((form(&quadratic) - 16.0).abs() < 1e-12);
    }

    /// Each set's EVPPI by its definition, row by row, with the variance of
    /// its first term in two passes.
    fn value_by_definition(basis: &Basis, sets: &[Vec<Vec<f64>>]) -> Vec<(f64, f64)> {
        sets.iter()
            .map(|set| {
                let fitted: Vec<Vec<f64>> = basis
                    .rows
                    .iter()
                    .map(|(columns, values)| {
                        set.iter()
                            .map(|beta| {
                                columns
                                    .iter()
                                    .zip(values)
                                    .fold(0.0, |g, (&j, &b)| g + b * beta[j as usize])
                            })
                            .collect()
                    })
                    .collect();
                let n = fitted.len() as f64;
                let best: Vec<f64> = fitted
                    .iter()
                    .map(|g| g.iter().fold(0.0, |m: f64, v| m.max(*v)))
                    .collect();
                let mean_best = best.iter().sum::<f64>() / n;
                let best_mean = (0..set.len())
                    .map(|k| fitted.iter().map(|g| g[k]).sum::<f64>() / n)
                    .fold(0.0, f64::max);
                let variance =
                    best.iter().map(|b| (b - mean_best).powi(2)).sum::<f64>() / (n - 1.0);
                (mean_best - best_mean, variance / n)
            })
            .collect()
    }

    #[test]
    fn value_under_matches_the_definition_at_every_block_width() {
        use rand::RngExt;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let draws: Vec<Vec<f64>> = (0..3)
            .map(|_| (0..500).map(|_| rng.random::<f64>()).collect())
            .collect();
        let columns: Vec<&[f64]> = draws.iter().map(Vec::as_slice).collect();
        for members in 1..=3 {
            let basis = basis(&columns[..members]);
            // 7 sets of 3 options: 21 fitted values a row, not a multiple of
            // any block width.
            let sets: Vec<Vec<Vec<f64>>> = (0..7)
                .map(|_| {
                    (0..3)
                        .map(|_| (0..basis.p).map(|_| rng.random::<f64>() - 0.5).collect())
                        .collect()
                })
                .collect();
            let expected = value_by_definition(&basis, &sets);
            for got in [
                value_under(&basis, &sets),
                value_under_in_blocks::<16>(&basis, &sets),
                value_under_in_blocks::<32>(&basis, &sets),
            ] {
                for ((v, var), (ev, evar)) in got.iter().zip(&expected) {
                    assert!((v - ev).abs() <= 1e-12 * ev.abs().max(1.0), "{v} vs {ev}");
                    assert!((var - evar).abs() <= 1e-9 * evar.abs(), "{var} vs {evar}");
                }
            }
        }
    }
}
