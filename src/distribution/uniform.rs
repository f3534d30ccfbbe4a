//! Uniform on [min, max].

use rand::Rng;
use rand_distr::{Distribution as _, Uniform};
use statrs::distribution::{ContinuousCDF, Uniform as StatrsUniform};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct UniformDist {
    min: f64,
    max: f64,
    sampler: Uniform<f64>,
    quantiles: StatrsUniform,
}

impl UniformDist {
    pub fn new(min: f64, max: f64) -> Result<Self, Infeasible> {
        super::ordered(min, max)?;
        let bad = Infeasible::LowNotBelowHigh {
            low: min,
            high: max,
        };
        Ok(UniformDist {
            min,
            max,
            sampler: Uniform::new_inclusive(min, max).map_err(|_| bad.clone())?,
            quantiles: StatrsUniform::new(min, max).map_err(|_| bad)?,
        })
    }
}

impl super::Family for UniformDist {
    fn mean(&self) -> f64 {
        (self.min + self.max) / 2.0
    }

    fn variance(&self) -> f64 {
        (self.max - self.min).powi(2) / 12.0
    }

    fn quantile(&self, p: f64) -> f64 {
        self.quantiles.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!("uniform(min={}, max={})", self.min, self.max)
    }
}

impl super::Continuous for UniformDist {
    /// P(X ≤ x).
    fn cdf(&self, x: f64) -> f64 {
        self.quantiles.cdf(x)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Distribution, Infeasible, testing};
    use super::*;

    #[test]
    fn uniform_moments_and_percentiles() {
        let d = Distribution::Uniform(UniformDist::new(6.0, 18.0).unwrap());
        testing::assert_moments(&d, 12.0, 12.0);
        testing::assert_tail_quantiles(&d, 6.0 + 0.025 * 12.0, 6.0 + 0.975 * 12.0);
    }

    #[test]
    fn uniform_rejects_low_above_high() {
        assert_eq!(
            UniformDist::new(3.0, 1.0),
            Err(Infeasible::LowNotBelowHigh {
                low: 3.0,
                high: 1.0
            })
        );
    }
}
