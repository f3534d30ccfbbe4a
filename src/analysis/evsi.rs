//! The expected value of sample information (EVSI): what a study of a
//! given size, informing one or more parameters, would be worth before
//! deciding.
//!
//! Regression on a summary statistic (Strong, Oakley, Brennan & Breeze
//! 2015, Med Decis Making 35:570-583): for each draw of the parameters a
//! study's data are simulated and reduced to their summary (the observed
//! proportion of n trials, or the mean of n observations); each option's
//! net benefit is regressed on the summaries exactly as the EVPPI regresses
//! it on the parameters, and
//!
//!   EVSI = mean_i max_k ĝ_k(T_i) − max_k mean_i ĝ_k(T_i).
//!
//! The studies of the sizes asked are nested: each larger study adds
//! observations to the smaller one's, so the curve over sizes is not
//! roughened by drawing each size afresh.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution as _, StandardNormal};

use super::evppi::{Estimate, evppi};

pub use crate::plan::evppi::Likelihood;

/// The summary statistic of each draw's study at each size: `out[s][i]`
/// for size `sizes[s]` (ascending) and draw i, from parameter draws
/// `theta` (probabilities for a binomial).
pub fn summaries(theta: &[f64], likelihood: Likelihood, sizes: &[u64], seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = vec![Vec::with_capacity(theta.len()); sizes.len()];
    for &t in theta {
        // Running totals over the nested studies: successes, or the sum of
        // standard normal errors.
        let (mut total, mut done) = (0.0, 0u64);
        for (s, &n) in sizes.iter().enumerate() {
            let more = n - done;
            total += match likelihood {
                Likelihood::Binomial => Binomial::new(more, t.clamp(0.0, 1.0))
                    .map_or(0.0, |law| law.sample(&mut rng) as f64),
                Likelihood::Normal { .. } => {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    (more as f64).sqrt() * z
                }
            };
            done = n;
            out[s].push(match likelihood {
                Likelihood::Binomial => total / n as f64,
                Likelihood::Normal { sd } => t + sd * total / n as f64,
            });
        }
    }
    out
}

/// The EVSI of a study informing the parameters `columns` (draws of each),
/// each observed through `likelihood`, at each of `sizes` (ascending,
/// positive), for options with net benefits `net_benefit[k][i]`.
pub fn evsi(
    columns: &[&[f64]],
    likelihood: Likelihood,
    sizes: &[u64],
    net_benefit: &[Vec<f64>],
    seed: u64,
) -> Vec<Estimate> {
    let per_parameter: Vec<Vec<Vec<f64>>> = columns
        .iter()
        .enumerate()
        .map(|(j, theta)| summaries(theta, likelihood, sizes, seed ^ (0x5e_0000 + j as u64)))
        .collect();
    (0..sizes.len())
        .map(|s| {
            let statistics: Vec<&[f64]> = per_parameter.iter().map(|p| p[s].as_slice()).collect();
            evppi(&statistics, net_benefit, seed ^ (0xe5_1000 + s as u64))
        })
        .collect()
}

/// The EVSI to report at each size from the regression's estimates
/// (`(estimate, se)`, sizes ascending) and the EVPPI of the parameters the
/// study informs: what a study is worth cannot fall as it grows, nor
/// exceed learning the parameters exactly. The estimates are made
/// non-decreasing by weighted isotonic regression (pool adjacent
/// violators, weights 1/se²), then held within [0, EVPPI].
pub fn reported(estimates: &[(f64, f64)], evppi: f64) -> Vec<f64> {
    // Blocks of pooled neighbours: (weighted mean, total weight, members).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for &(value, se) in estimates {
        // A £1 floor keeps a zero standard error from an infinite weight.
        let weight = 1.0 / (se * se + 1.0);
        blocks.push((value, weight, 1));
        while let [.., (m0, w0, n0), (m1, w1, n1)] = blocks[..] {
            if m0 <= m1 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            let w = w0 + w1;
            blocks.push(((m0 * w0 + m1 * w1) / w, w, n0 + n1));
        }
    }
    let ceiling = evppi.max(0.0);
    blocks
        .into_iter()
        .flat_map(|(m, _, n)| std::iter::repeat_n(m.clamp(0.0, ceiling), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first-year evaluation: £36, £75, £70, £43, £38, £69 at
    /// n = 5…200 with EVPPI £56. Pooling by hand with equal weights: 75,
    /// 70, 43, 38 pool to 56.5 (then 56.5 ≤ 69); capped at 56.
    #[test]
    fn reported_evsi_neither_falls_nor_exceeds_the_evppi() {
        let raw = [
            (36.0, 10.0),
            (75.0, 10.0),
            (70.0, 10.0),
            (43.0, 10.0),
            (38.0, 10.0),
            (69.0, 10.0),
        ];
        let shown = reported(&raw, 56.0);
        assert_eq!(shown[0], 36.0);
        for v in &shown[1..5] {
            assert!((v - 56.0).abs() < 1e-12, "{shown:?}");
        }
        assert_eq!(shown[5], 56.0);
        let uncapped = reported(&raw, 1e9);
        for v in &uncapped[1..5] {
            assert!((v - 56.5).abs() < 1e-12, "{uncapped:?}");
        }
        assert_eq!(uncapped[5], 69.0);
        // Weights: a precise estimate pulls the pool towards itself.
        let pulled = reported(&[(10.0, 1.0), (4.0, 100.0)], 1e9);
        assert!(pulled[0] > 9.9 && pulled[0] == pulled[1], "{pulled:?}");
        // Negative estimates read as nothing.
        assert_eq!(reported(&[(-5.0, 1.0), (3.0, 1.0)], 10.0), vec![0.0, 3.0]);
    }

    #[test]
    fn binomial_summaries_are_nested_proportions_with_the_right_mean() {
        let theta = vec![0.3; 4000];
        let sizes = [10, 40, 1000];
        let s = summaries(&theta, Likelihood::Binomial, &sizes, 1);
        for (k, &n) in sizes.iter().enumerate() {
            // Proportions of n trials: multiples of 1/n in [0, 1].
            assert!(
                s[k].iter()
                    .all(|p| (p * n as f64 - (p * n as f64).round()).abs() < 1e-9)
            );
            let mean = s[k].iter().sum::<f64>() / theta.len() as f64;
            let se = (0.3 * 0.7 / n as f64 / theta.len() as f64).sqrt();
            assert!((mean - 0.3).abs() < 4.0 * se, "n = {n}: {mean}");
        }
        // Nested: the successes of the larger study include the smaller's.
        for (small, large) in s[0].iter().zip(&s[1]) {
            assert!(large * 40.0 >= small * 10.0 - 1e-9);
        }
    }

    #[test]
    fn normal_summaries_have_the_sampling_variance_of_a_mean() {
        let theta = vec![5.0; 20_000];
        let s = summaries(&theta, Likelihood::Normal { sd: 2.0 }, &[4, 100], 2);
        for (k, n) in [(0, 4.0), (1, 100.0)] {
            let m = s[k].iter().sum::<f64>() / 20_000.0;
            let v = s[k].iter().map(|x| (x - m).powi(2)).sum::<f64>() / 19_999.0;
            let expected = 4.0 / n;
            assert!(
                (v - expected).abs() < 0.05 * expected,
                "n = {n}: {v} vs {expected}"
            );
        }
    }
}
