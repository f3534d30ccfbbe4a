//! Normal N(mean, sd²), and the normal truncated to [min, max].
//!
//! The truncated normal is sampled by inversion: a rand_distr uniform on
//! [Φ(a), Φ(b)] mapped through Φ⁻¹, which is exact and needs no rejection loop.

use rand::Rng;
use rand_distr::{Distribution as _, Normal, Uniform};
use statrs::distribution::{Continuous, ContinuousCDF, Normal as StatrsNormal};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct NormalDist {
    mean: f64,
    sd: f64,
    sampler: Normal<f64>,
    quantiles: StatrsNormal,
}

impl NormalDist {
    pub fn new(mean: f64, sd: f64) -> Result<Self, Infeasible> {
        super::finite("mean", mean)?;
        super::positive("sd", sd)?;
        Ok(NormalDist {
            mean,
            sd,
            sampler: Normal::new(mean, sd).map_err(|_| Infeasible::NotPositive {
                field: "sd",
                value: sd,
            })?,
            quantiles: StatrsNormal::new(mean, sd).map_err(|_| Infeasible::NotPositive {
                field: "sd",
                value: sd,
            })?,
        })
    }
}

impl super::Family for NormalDist {
    fn mean(&self) -> f64 {
        self.mean
    }

    fn variance(&self) -> f64 {
        self.sd * self.sd
    }

    fn quantile(&self, p: f64) -> f64 {
        self.quantiles.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!("normal(mean={}, sd={})", self.mean, self.sd)
    }
}

impl super::Continuous for NormalDist {
    /// P(X ≤ x).
    fn cdf(&self, x: f64) -> f64 {
        self.quantiles.cdf(x)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TruncatedNormalDist {
    mean: f64,
    sd: f64,
    min: f64,
    max: f64,
    standard: StatrsNormal,
    /// Φ of the standardised bounds.
    cdf_min: f64,
    cdf_max: f64,
    uniform: Uniform<f64>,
}

impl TruncatedNormalDist {
    /// `mean` and `sd` are those of the untruncated normal.
    pub fn new(mean: f64, sd: f64, min: f64, max: f64) -> Result<Self, Infeasible> {
        super::finite("mean", mean)?;
        super::positive("sd", sd)?;
        super::ordered(min, max)?;
        let standard = StatrsNormal::standard();
        let cdf_min = standard.cdf((min - mean) / sd);
        let cdf_max = standard.cdf((max - mean) / sd);
        if cdf_max - cdf_min < 1e-12 {
            return Err(Infeasible::NoMassInRange {
                mean,
                sd,
                low: min,
                high: max,
                mass: (cdf_max - cdf_min).max(0.0),
            });
        }
        Ok(TruncatedNormalDist {
            mean,
            sd,
            min,
            max,
            standard,
            cdf_min,
            cdf_max,
            uniform: Uniform::new(cdf_min, cdf_max).map_err(|_| Infeasible::LowNotBelowHigh {
                low: min,
                high: max,
            })?,
        })
    }

    fn alpha_beta(&self) -> (f64, f64) {
        (
            (self.min - self.mean) / self.sd,
            (self.max - self.mean) / self.sd,
        )
    }
}

impl super::Family for TruncatedNormalDist {
    fn mean(&self) -> f64 {
        let (a, b) = self.alpha_beta();
        let z = self.cdf_max - self.cdf_min;
        self.mean + self.sd * (self.standard.pdf(a) - self.standard.pdf(b)) / z
    }

    fn variance(&self) -> f64 {
        let (a, b) = self.alpha_beta();
        let z = self.cdf_max - self.cdf_min;
        let (pa, pb) = (self.standard.pdf(a), self.standard.pdf(b));
        let shift = (pa - pb) / z;
        self.sd * self.sd * (1.0 + (a * pa - b * pb) / z - shift * shift)
    }

    fn quantile(&self, p: f64) -> f64 {
        let u = self.cdf_min + p * (self.cdf_max - self.cdf_min);
        (self.mean + self.sd * self.standard.inverse_cdf(u)).clamp(self.min, self.max)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u = self.uniform.sample(rng);
        (self.mean + self.sd * self.standard.inverse_cdf(u)).clamp(self.min, self.max)
    }

    fn describe(&self) -> String {
        format!(
            "truncated_normal(mean={}, sd={}, min={}, max={})",
            self.mean, self.sd, self.min, self.max
        )
    }
}

impl super::Continuous for TruncatedNormalDist {
    /// P(X ≤ x): the normal's, renormalised between the bounds.
    fn cdf(&self, x: f64) -> f64 {
        if x <= self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        let z = self.standard.cdf((x - self.mean) / self.sd);
        ((z - self.cdf_min) / (self.cdf_max - self.cdf_min)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Distribution, Infeasible, testing};
    use super::*;

    #[test]
    fn normal_moments_and_percentiles_match_closed_form_and_statrs() {
        let d = Distribution::Normal(NormalDist::new(150.0, 20.0).unwrap());
        testing::assert_moments(&d, 150.0, 400.0);
        let s = StatrsNormal::new(150.0, 20.0).unwrap();
        testing::assert_tail_quantiles(&d, s.inverse_cdf(0.025), s.inverse_cdf(0.975));
        // Φ⁻¹(0.975) = 1.959964 by hand.
        assert!((d.quantile(0.975) - (150.0 + 20.0 * 1.959_963_985)).abs() < 1e-6);
    }

    #[test]
    fn truncated_normal_moments_match_closed_form() {
        // Truncating N(0,1) to [0, ∞) gives the half-normal: mean √(2/π), variance 1 − 2/π.
        let d =
            Distribution::TruncatedNormal(TruncatedNormalDist::new(0.0, 1.0, 0.0, 40.0).unwrap());
        let pi = std::f64::consts::PI;
        testing::assert_moments(&d, (2.0 / pi).sqrt(), 1.0 - 2.0 / pi);
        // Half-normal quantile: Φ⁻¹((1+p)/2).
        let s = StatrsNormal::standard();
        testing::assert_tail_quantiles(
            &d,
            s.inverse_cdf((1.0 + 0.025) / 2.0),
            s.inverse_cdf((1.0 + 0.975) / 2.0),
        );
    }

    #[test]
    fn truncated_normal_asymmetric_range() {
        let d = TruncatedNormalDist::new(0.5, 0.2, 0.0, 0.6).unwrap();
        let dist = Distribution::TruncatedNormal(d.clone());
        // Closed form with a = -2.5, b = 0.5.
        let s = StatrsNormal::standard();
        let (a, b) = (-2.5, 0.5);
        let z = s.cdf(b) - s.cdf(a);
        let mean = 0.5 + 0.2 * (s.pdf(a) - s.pdf(b)) / z;
        let var =
            0.04 * (1.0 + (a * s.pdf(a) - b * s.pdf(b)) / z - ((s.pdf(a) - s.pdf(b)) / z).powi(2));
        testing::assert_moments(&dist, mean, var);
        let q = |p: f64| 0.5 + 0.2 * s.inverse_cdf(s.cdf(a) + p * z);
        testing::assert_tail_quantiles(&dist, q(0.025), q(0.975));
    }

    #[test]
    fn normal_rejects_negative_sd() {
        assert_eq!(
            NormalDist::new(1.0, -0.5),
            Err(Infeasible::NotPositive {
                field: "sd",
                value: -0.5
            })
        );
    }

    #[test]
    fn truncated_normal_far_from_its_range_says_so() {
        let e = TruncatedNormalDist::new(0.0, 1.0, 500.0, 1800.0)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("almost no probability") && e.contains("[500, 1800]"),
            "{e}"
        );
    }

    #[test]
    fn truncated_normal_rejects_min_above_max() {
        assert!(matches!(
            TruncatedNormalDist::new(0.0, 1.0, 2.0, 1.0),
            Err(Infeasible::LowNotBelowHigh { .. })
        ));
    }
}
