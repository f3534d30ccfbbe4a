//! Gamma(shape k, scale θ): mean kθ, variance kθ².
//!
//! From mean m and standard error s by the method of moments:
//! k = m²/s², θ = s²/m. Costs and counts are usually given this way.

use rand::Rng;
use rand_distr::{Distribution as _, Gamma};
use statrs::distribution::{ContinuousCDF, Gamma as StatrsGamma};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct GammaDist {
    shape: f64,
    scale: f64,
    sampler: Gamma<f64>,
    quantiles: StatrsGamma,
}

impl GammaDist {
    pub fn new(shape: f64, scale: f64) -> Result<Self, Infeasible> {
        super::positive("shape", shape)?;
        super::positive("scale", scale)?;
        Ok(GammaDist {
            shape,
            scale,
            sampler: Gamma::new(shape, scale).map_err(|_| Infeasible::NotPositive {
                field: "shape",
                value: shape,
            })?,
            quantiles: StatrsGamma::new(shape, 1.0 / scale).map_err(|_| {
                Infeasible::NotPositive {
                    field: "scale",
                    value: scale,
                }
            })?,
        })
    }

    pub fn from_mean_se(mean: f64, se: f64) -> Result<Self, Infeasible> {
        super::positive("mean", mean)?;
        super::non_negative("se", se)?;
        super::positive("se", se)?;
        Self::new((mean / se).powi(2), se * se / mean)
    }
}

impl super::Family for GammaDist {
    fn mean(&self) -> f64 {
        self.shape * self.scale
    }

    fn variance(&self) -> f64 {
        self.shape * self.scale * self.scale
    }

    fn quantile(&self, p: f64) -> f64 {
        self.quantiles.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (0.0, f64::INFINITY)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!("gamma(shape={:.6}, scale={:.6})", self.shape, self.scale)
    }
}

impl super::Continuous for GammaDist {
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
    fn gamma_from_mean_se_reproduces_mean_and_variance() {
        let d = Distribution::Gamma(GammaDist::from_mean_se(135.0, 30.0).unwrap());
        testing::assert_moments(&d, 135.0, 900.0);
        let s = StatrsGamma::new(135.0_f64.powi(2) / 900.0, 135.0 / 900.0).unwrap();
        testing::assert_tail_quantiles(&d, s.inverse_cdf(0.025), s.inverse_cdf(0.975));
    }

    #[test]
    fn gamma_native_shape_below_one() {
        let d = Distribution::Gamma(GammaDist::new(0.5, 2.0).unwrap());
        testing::assert_moments(&d, 1.0, 2.0);
        // Gamma(1/2, scale 2) is chi-squared with 1 df, whose p-quantile is Φ⁻¹((1+p)/2)².
        let z = statrs::distribution::Normal::standard();
        let chi2 = |p: f64| z.inverse_cdf((1.0 + p) / 2.0).powi(2);
        testing::assert_tail_quantiles(&d, chi2(0.025), chi2(0.975));
    }

    #[test]
    fn gamma_rejects_negative_se() {
        assert_eq!(
            GammaDist::from_mean_se(10.0, -2.0),
            Err(Infeasible::Negative {
                field: "se",
                value: -2.0
            })
        );
    }

    #[test]
    fn gamma_rejects_nan_mean() {
        assert!(matches!(
            GammaDist::from_mean_se(f64::NAN, 2.0),
            Err(Infeasible::NotFinite { field: "mean", .. })
        ));
    }
}
