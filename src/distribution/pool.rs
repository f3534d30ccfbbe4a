//! An elicited parameter: one expert's fitted distribution, or several
//! experts' fits combined by a weighted linear pool, the mixture
//! Σ ω_k F_k(x) with the weights ω_k summing to one (the pooling SHELF
//! recommends for combining experts' distributions mathematically). The
//! pool's quantile is found by bisection on its CDF, which lies between
//! the experts' own quantiles at the same probability.

use crate::distribution::Continuous;
use rand::{Rng, RngExt};

use super::Infeasible;
use super::elicited::ExpertFit;

/// Bisection stops when the bracket is this narrow relative to the value
/// (or to the experts' spread where the value is near zero).
const QUANTILE_ACCURACY: f64 = 1e-12;

#[derive(Debug, Clone, PartialEq)]
pub struct ElicitedDist {
    /// Each expert's fit, in the order given.
    pub experts: Vec<ExpertFit>,
    /// Each expert's weight in the pool, summing to one.
    pub weights: Vec<f64>,
}

impl ElicitedDist {
    pub fn single(fit: ExpertFit) -> Self {
        ElicitedDist {
            experts: vec![fit],
            weights: vec![1.0],
        }
    }

    /// The linear pool of `experts` with `weights` (normalised here; equal
    /// when none are given).
    pub fn pool(experts: Vec<ExpertFit>, weights: Option<Vec<f64>>) -> Result<Self, Infeasible> {
        let weights = weights.unwrap_or_else(|| vec![1.0; experts.len()]);
        if experts.is_empty() || weights.len() != experts.len() {
            return Err(Infeasible::Elicitation {
                message: format!(
                    "`pool_weights` must give one weight per expert ({} experts, {} weights)",
                    experts.len(),
                    weights.len()
                ),
            });
        }
        if weights.iter().any(|w| !w.is_finite() || *w <= 0.0) {
            return Err(Infeasible::Elicitation {
                message: "every weight in `pool_weights` must be greater than 0".into(),
            });
        }
        let total: f64 = weights.iter().sum();
        Ok(ElicitedDist {
            experts,
            weights: weights.iter().map(|w| w / total).collect(),
        })
    }

    fn weighted<'a>(&'a self) -> impl Iterator<Item = (f64, &'a ExpertFit)> + 'a {
        self.weights.iter().copied().zip(&self.experts)
    }
}

impl super::Family for ElicitedDist {
    fn quantile(&self, p: f64) -> f64 {
        if let [one] = &self.experts[..] {
            return one.quantile(p);
        }
        let (lo, hi) = self.support();
        if p <= 0.0 {
            return lo;
        }
        if p >= 1.0 {
            return hi;
        }
        let each: Vec<f64> = self.experts.iter().map(|e| e.quantile(p)).collect();
        let mut low = each.iter().copied().fold(f64::INFINITY, f64::min);
        let mut high = each.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scale = high.abs().max(low.abs()).max(high - low);
        for _ in 0..200 {
            if high - low <= QUANTILE_ACCURACY * scale {
                break;
            }
            let mid = 0.5 * (low + high);
            if self.cdf(mid) < p {
                low = mid;
            } else {
                high = mid;
            }
        }
        0.5 * (low + high)
    }

    fn mean(&self) -> f64 {
        self.weighted().map(|(w, e)| w * e.mean()).sum()
    }

    fn variance(&self) -> f64 {
        let m = self.mean();
        let second: f64 = self
            .weighted()
            .map(|(w, e)| w * (e.variance() + e.mean() * e.mean()))
            .sum();
        second - m * m
    }

    fn support(&self) -> (f64, f64) {
        self.experts
            .iter()
            .map(ExpertFit::support)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                (a.min(lo), b.max(hi))
            })
    }

    /// A draw from the pool: an expert chosen by weight, then a draw from
    /// that expert's fit.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let [one] = &self.experts[..] {
            return one.sample(rng);
        }
        let u: f64 = rng.random();
        let mut total = 0.0;
        for (w, e) in self.weighted() {
            total += w;
            if u < total {
                return e.sample(rng);
            }
        }
        self.experts[self.experts.len() - 1].sample(rng)
    }

    fn describe(&self) -> String {
        match &self.experts[..] {
            [one] => one.describe(),
            many => {
                let each: Vec<String> = self
                    .weighted()
                    .map(|(w, e)| format!("{w:.3} × {}", e.parameters()))
                    .collect();
                format!(
                    "elicited, a linear pool of {} experts: {}",
                    many.len(),
                    each.join(" + ")
                )
            }
        }
    }
}

impl super::Continuous for ElicitedDist {
    fn cdf(&self, x: f64) -> f64 {
        self.weighted().map(|(w, e)| w * e.cdf(x)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::elicited::{Judgements, Shape};
    use super::*;
    use crate::distribution::Family;

    fn expert(values: &[f64], shape: Shape) -> ExpertFit {
        ExpertFit::fit(
            Judgements {
                values: values.to_vec(),
                probabilities: vec![0.25, 0.5, 0.75],
                lower: 0.0,
                upper: f64::INFINITY,
                weights: vec![1.0; 3],
                df: super::super::elicited::T_DF,
            },
            Some(shape),
        )
        .unwrap()
    }

    /// The pool's CDF is the weighted sum of the experts' CDFs, and its
    /// quantile inverts it.
    #[test]
    fn the_pool_is_the_weighted_mixture_and_its_quantile_inverts_it() {
        let (a, b) = (
            expert(&[2.0, 3.0, 4.5], Shape::Gamma),
            expert(&[5.0, 7.0, 9.0], Shape::LogNormal),
        );
        let pool = ElicitedDist::pool(vec![a.clone(), b.clone()], Some(vec![3.0, 1.0])).unwrap();
        assert_eq!(pool.weights, vec![0.75, 0.25]);
        for x in [0.5, 2.0, 3.3, 6.0, 12.0] {
            let want = 0.75 * a.cdf(x) + 0.25 * b.cdf(x);
            assert!((pool.cdf(x) - want).abs() < 1e-15, "{x}");
        }
        for p in [0.001, 0.05, 0.3, 0.5, 0.74, 0.9, 0.999] {
            let x = pool.quantile(p);
            assert!(
                (pool.cdf(x) - p).abs() < 1e-10,
                "{p}: F({x}) = {}",
                pool.cdf(x)
            );
        }
        let mean = 0.75 * a.mean() + 0.25 * b.mean();
        assert!((pool.mean() - mean).abs() < 1e-12 * mean);
    }

    /// 10^5 draws of the pool, through its quantile at uniform draws as a
    /// design draws them and by its sampler, pass a Kolmogorov-Smirnov
    /// test against its CDF at the 1% level.
    #[test]
    fn draws_of_the_pool_follow_its_cdf() {
        use rand::{RngExt, SeedableRng};
        let (a, b) = (
            expert(&[2.0, 3.0, 4.5], Shape::Gamma),
            expert(&[5.0, 7.0, 9.0], Shape::LogNormal),
        );
        let pool = ElicitedDist::pool(vec![a, b], Some(vec![1.0, 1.0])).unwrap();
        let n = 100_000;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let through_quantile: Vec<f64> =
            (0..n).map(|_| pool.quantile(rng.random::<f64>())).collect();
        let sampled: Vec<f64> = (0..n).map(|_| pool.sample(&mut rng)).collect();
        for mut draws in [through_quantile, sampled] {
            draws.sort_by(f64::total_cmp);
            let d = draws
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let f = pool.cdf(x);
                    (f - i as f64 / n as f64)
                        .abs()
                        .max((f - (i + 1) as f64 / n as f64).abs())
                })
                .fold(0.0, f64::max);
            assert!(d < 1.628 / (n as f64).sqrt(), "KS distance {d}");
        }
    }

    #[test]
    fn pool_weights_must_match_the_experts_and_be_positive() {
        let a = expert(&[2.0, 3.0, 4.5], Shape::Gamma);
        let e = ElicitedDist::pool(vec![a.clone()], Some(vec![1.0, 2.0])).unwrap_err();
        assert!(e.to_string().contains("one weight per expert"), "{e}");
        let e = ElicitedDist::pool(vec![a], Some(vec![0.0])).unwrap_err();
        assert!(e.to_string().contains("greater than 0"), "{e}");
    }
}
