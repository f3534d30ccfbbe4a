//! Lognormal: ln X ~ N(meanlog, sdlog²).
//!
//! From mean m and standard error s by the method of moments:
//! sdlog² = ln(1 + s²/m²), meanlog = ln m − sdlog²/2.

use rand::Rng;
use rand_distr::{Distribution as _, LogNormal};
use statrs::distribution::{ContinuousCDF, LogNormal as StatrsLogNormal};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct LogNormalDist {
    meanlog: f64,
    sdlog: f64,
    sampler: LogNormal<f64>,
    quantiles: StatrsLogNormal,
}

impl LogNormalDist {
    pub fn new(meanlog: f64, sdlog: f64) -> Result<Self, Infeasible> {
        super::finite("meanlog", meanlog)?;
        super::positive("sdlog", sdlog)?;
        let bad = |_| Infeasible::NotPositive {
            field: "sdlog",
            value: sdlog,
        };
        Ok(LogNormalDist {
            meanlog,
            sdlog,
            sampler: LogNormal::new(meanlog, sdlog).map_err(bad)?,
            quantiles: StatrsLogNormal::new(meanlog, sdlog).map_err(|_| {
                Infeasible::NotPositive {
                    field: "sdlog",
                    value: sdlog,
                }
            })?,
        })
    }

    pub fn from_mean_se(mean: f64, se: f64) -> Result<Self, Infeasible> {
        super::finite("mean", mean)?;
        super::non_negative("se", se)?;
        super::positive("se", se)?;
        if mean <= 0.0 {
            return Err(Infeasible::LogNormalMeanNotPositive { mean });
        }
        let sdlog2 = (1.0 + (se / mean).powi(2)).ln();
        Self::new(mean.ln() - sdlog2 / 2.0, sdlog2.sqrt())
    }
}

impl super::Family for LogNormalDist {
    fn mean(&self) -> f64 {
        (self.meanlog + self.sdlog * self.sdlog / 2.0).exp()
    }

    fn variance(&self) -> f64 {
        let s2 = self.sdlog * self.sdlog;
        (s2.exp() - 1.0) * (2.0 * self.meanlog + s2).exp()
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
        format!(
            "lognormal(meanlog={:.6}, sdlog={:.6})",
            self.meanlog, self.sdlog
        )
    }
}

impl super::Continuous for LogNormalDist {
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
    fn lognormal_from_mean_se_reproduces_mean_and_variance() {
        let d = Distribution::LogNormal(LogNormalDist::from_mean_se(700.0, 250.0).unwrap());
        testing::assert_moments(&d, 700.0, 250.0 * 250.0);
        let sdlog = (1.0_f64 + (250.0_f64 / 700.0).powi(2)).ln().sqrt();
        let s = StatrsLogNormal::new(700.0_f64.ln() - sdlog * sdlog / 2.0, sdlog).unwrap();
        testing::assert_tail_quantiles(&d, s.inverse_cdf(0.025), s.inverse_cdf(0.975));
    }

    #[test]
    fn lognormal_native_parameters() {
        let d = Distribution::LogNormal(LogNormalDist::new(1.0, 0.5).unwrap());
        let mean = (1.0_f64 + 0.125).exp();
        let var = (0.25_f64.exp() - 1.0) * (2.0_f64 + 0.25).exp();
        testing::assert_moments(&d, mean, var);
        // exp(meanlog ± 1.959964 sdlog) by hand.
        testing::assert_tail_quantiles(
            &d,
            (1.0 - 1.959_963_984_540_054 * 0.5_f64).exp(),
            (1.0 + 1.959_963_984_540_054 * 0.5_f64).exp(),
        );
    }

    #[test]
    fn lognormal_rejects_negative_se() {
        assert_eq!(
            LogNormalDist::from_mean_se(10.0, -1.0),
            Err(Infeasible::Negative {
                field: "se",
                value: -1.0
            })
        );
    }

    #[test]
    fn lognormal_rejects_non_positive_mean() {
        assert_eq!(
            LogNormalDist::from_mean_se(0.0, 1.0),
            Err(Infeasible::LogNormalMeanNotPositive { mean: 0.0 })
        );
    }
}
