//! PERT on [min, max] with its mode: a beta rescaled to the range with
//! α = 1 + 4(mode − min)/(max − min), β = 1 + 4(max − mode)/(max − min),
//! so that the mean is (min + 4·mode + max)/6. Quantiles are the statrs beta's,
//! rescaled.

use rand::Rng;
use rand_distr::{Distribution as _, Pert};
use statrs::distribution::{Beta as StatrsBeta, ContinuousCDF};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct PertDist {
    min: f64,
    mode: f64,
    max: f64,
    sampler: Pert<f64>,
    shape: StatrsBeta,
}

impl PertDist {
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, Infeasible> {
        super::ordered(min, max)?;
        super::finite("mode", mode)?;
        let bad = Infeasible::ModeOutsideRange {
            mode,
            low: min,
            high: max,
        };
        if !(min..=max).contains(&mode) {
            return Err(bad);
        }
        let range = max - min;
        let (alpha, beta) = (
            1.0 + 4.0 * (mode - min) / range,
            1.0 + 4.0 * (max - mode) / range,
        );
        Ok(PertDist {
            min,
            mode,
            max,
            sampler: Pert::new(min, max)
                .with_mode(mode)
                .map_err(|_| bad.clone())?,
            shape: StatrsBeta::new(alpha, beta).map_err(|_| bad)?,
        })
    }

    fn alpha_beta(&self) -> (f64, f64) {
        let range = self.max - self.min;

        (
            1.0 + 4.0 * (self.mode - self.min) / range,
            1.0 + 4.0 * (self.max - self.mode) / range,
        )
    }
}

impl super::Family for PertDist {
    fn mean(&self) -> f64 {
        (self.min + 4.0 * self.mode + self.max) / 6.0
    }

    fn variance(&self) -> f64 {
        let (a, b) = self.alpha_beta();
        let range = self.max - self.min;
        range * range * a * b / ((a + b).powi(2) * (a + b + 1.0))
    }

    fn quantile(&self, p: f64) -> f64 {
        self.min + (self.max - self.min) * self.shape.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!(
            "pert(min={}, mode={}, max={})",
            self.min, self.mode, self.max
        )
    }
}

impl super::Continuous for PertDist {
    /// P(X ≤ x): the scaled beta's.
    fn cdf(&self, x: f64) -> f64 {
        self.shape
            .cdf(((x - self.min) / (self.max - self.min)).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Distribution, Infeasible, testing};
    use super::*;

    #[test]
    fn pert_with_values_beyond_the_arithmetic_says_so_rather_than_blaming_the_mode() {
        let e = PertDist::new(0.0, 1e308, 1.5e308)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("at most 1.0000e100") && !e.contains("outside"),
            "{e}"
        );
    }

    #[test]
    fn pert_moments_and_percentiles() {
        let d = Distribution::Pert(PertDist::new(200.0, 300.0, 1000.0).unwrap());
        // α = 1.5, β = 4.5 on a range of 800.
        let (a, b) = (1.5_f64, 4.5_f64);
        let mean = 200.0 + 800.0 * a / (a + b);
        assert!((mean - (200.0 + 1200.0 + 1000.0) / 6.0).abs() < 1e-9);
        let var = 800.0_f64.powi(2) * a * b / ((a + b) * (a + b) * (a + b + 1.0));
        testing::assert_moments(&d, mean, var);
        let s = StatrsBeta::new(a, b).unwrap();
        testing::assert_tail_quantiles(
            &d,
            200.0 + 800.0 * s.inverse_cdf(0.025),
            200.0 + 800.0 * s.inverse_cdf(0.975),
        );
    }

    #[test]
    fn pert_rejects_mode_outside_range() {
        assert_eq!(
            PertDist::new(1.0, 0.0, 2.0),
            Err(Infeasible::ModeOutsideRange {
                mode: 0.0,
                low: 1.0,
                high: 2.0
            })
        );
    }
}
