//! Bernoulli(p) and Binomial(n, p): roll-out events (a hub opens or not; how
//! many of n hubs slip). Draws are returned as f64 counts.

use rand::Rng;
use rand_distr::{Bernoulli, Binomial, Distribution as _};
use statrs::distribution::{Binomial as StatrsBinomial, DiscreteCDF};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct BernoulliDist {
    p: f64,
    sampler: Bernoulli,
}

impl BernoulliDist {
    pub fn new(p: f64) -> Result<Self, Infeasible> {
        super::probability("p", p)?;
        Ok(BernoulliDist {
            p,
            sampler: Bernoulli::new(p).map_err(|_| Infeasible::ProbabilityOutsideUnit {
                field: "p",
                value: p,
            })?,
        })
    }
}

impl super::Family for BernoulliDist {
    fn mean(&self) -> f64 {
        self.p
    }

    fn variance(&self) -> f64 {
        self.p * (1.0 - self.p)
    }

    /// The smallest k in {0, 1} with P(X ≤ k) ≥ p.
    fn quantile(&self, p: f64) -> f64 {
        if p <= 1.0 - self.p { 0.0 } else { 1.0 }
    }

    fn support(&self) -> (f64, f64) {
        (0.0, 1.0)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        f64::from(u8::from(self.sampler.sample(rng)))
    }

    fn describe(&self) -> String {
        format!("bernoulli(p={})", self.p)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinomialDist {
    n: u64,
    p: f64,
    sampler: Binomial,
    quantiles: StatrsBinomial,
}

/// The smallest k with P(X ≤ k) ≥ u under `law`, Binomial(n, ·), by
/// bisection on statrs' CDF. statrs' own `inverse_cdf` can fail to converge
/// (and panic) when the CDF's rounding never quite reaches u; this search
/// keeps P(X ≤ hi) ≥ u by construction (P(X ≤ n) = 1) and cannot fail.
pub fn quantile(law: &StatrsBinomial, n: u64, u: f64) -> u64 {
    if n == 0 || u <= law.cdf(0) {
        return 0;
    }
    if u >= 1.0 {
        return n;
    }
    // cdf(lo) < u ≤ cdf(hi)
    let (mut lo, mut hi) = (0, n);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if law.cdf(mid) >= u {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// Most trials a binomial takes: a roll-out counts hubs or events, not
/// millions of them.
pub const MAX_TRIALS: f64 = 1_000_000.0;

impl BinomialDist {
    pub fn new(n: f64, p: f64) -> Result<Self, Infeasible> {
        super::non_negative("n", n)?;
        super::probability("p", p)?;
        if n.fract() != 0.0 {
            return Err(Infeasible::NotFinite {
                field: "n (a whole number)",
                value: n,
            });
        }
        if n > MAX_TRIALS {
            return Err(Infeasible::TooLarge {
                field: "n",
                value: n,
                most: MAX_TRIALS,
                why: "a binomial here counts hubs or events; more trials than that is a mistake of unit",
            });
        }
        let trials = n as u64;
        let bad = Infeasible::ProbabilityOutsideUnit {
            field: "p",
            value: p,
        };
        Ok(BinomialDist {
            n: trials,
            p,
            sampler: Binomial::new(trials, p).map_err(|_| bad.clone())?,
            quantiles: StatrsBinomial::new(p, trials).map_err(|_| bad)?,
        })
    }
}

impl super::Family for BinomialDist {
    fn mean(&self) -> f64 {
        self.n as f64 * self.p
    }

    fn variance(&self) -> f64 {
        self.n as f64 * self.p * (1.0 - self.p)
    }

    fn quantile(&self, p: f64) -> f64 {
        quantile(&self.quantiles, self.n, p) as f64
    }

    fn support(&self) -> (f64, f64) {
        (0.0, self.n as f64)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng) as f64
    }

    fn describe(&self) -> String {
        format!("binomial(n={}, p={})", self.n, self.p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Distribution, Infeasible, testing};
    use super::*;
    use crate::distribution::Family;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// For a discrete law the empirical share at or below each reported
    /// percentile must reach it, and the share strictly below must not.
    fn assert_discrete_percentiles(d: &Distribution, q025: f64, q975: f64) {
        assert_eq!(d.quantile(0.025), q025);
        assert_eq!(d.quantile(0.975), q975);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let xs: Vec<f64> = (0..testing::DRAWS).map(|_| d.sample(&mut rng)).collect();
        let n = xs.len() as f64;
        let se = (0.025_f64 * 0.975 / n).sqrt();
        for (p, q) in [(0.025, q025), (0.975, q975)] {
            let at_or_below = xs.iter().filter(|x| **x <= q).count() as f64 / n;
            let below = xs.iter().filter(|x| **x < q).count() as f64 / n;
            assert!(
                at_or_below >= p - 5.0 * se,
                "P(X ≤ {q}) = {at_or_below} < {p}"
            );
            assert!(below <= p + 5.0 * se, "P(X < {q}) = {below} > {p}");
        }
    }

    #[test]
    fn bernoulli_moments_and_percentiles() {
        let d = Distribution::Bernoulli(BernoulliDist::new(0.3).unwrap());
        testing::assert_moments(&d, 0.3, 0.21);
        assert_discrete_percentiles(&d, 0.0, 1.0);
    }

    #[test]
    fn binomial_moments_and_percentiles_match_statrs() {
        let d = Distribution::Binomial(BinomialDist::new(28.0, 0.2).unwrap());
        testing::assert_moments(&d, 5.6, 28.0 * 0.2 * 0.8);
        let s = StatrsBinomial::new(0.2, 28).unwrap();
        assert_discrete_percentiles(&d, s.inverse_cdf(0.025) as f64, s.inverse_cdf(0.975) as f64);
    }

    #[test]
    fn bernoulli_rejects_probability_above_one() {
        assert_eq!(
            BernoulliDist::new(1.5),
            Err(Infeasible::ProbabilityOutsideUnit {
                field: "p",
                value: 1.5
            })
        );
    }

    #[test]
    fn binomial_takes_a_million_trials_and_refuses_more() {
        let d = BinomialDist::new(1e6, 0.3).unwrap();
        let s = StatrsBinomial::new(0.3, 1_000_000).unwrap();
        for p in [0.025, 0.5, 0.975, 1e-12, 1.0 - 1e-12] {
            let k = d.quantile(p) as u64;
            // The smallest k whose CDF reaches p: an exact check, where
            // statrs' own inverse_cdf fails to converge.
            assert!(s.cdf(k) >= p && s.cdf(k - 1) < p, "p = {p}: {k}");
        }
        let e = BinomialDist::new(4e12, 0.3).err().unwrap().to_string();
        assert!(
            e.contains("n is 4.0000e12") && e.contains("at most 1000000"),
            "{e}"
        );
    }

    #[test]
    fn binomial_rejects_nan_probability() {
        assert!(matches!(
            BinomialDist::new(9.0, f64::NAN),
            Err(Infeasible::NotFinite { field: "p", .. })
        ));
    }
}
