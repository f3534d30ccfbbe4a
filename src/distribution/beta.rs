//! Beta(α, β) on [0, 1]: for probabilities and proportions (realisation,
//! joining and slipping probabilities).
//!
//! From mean m and standard error s by the method of moments:
//! α = m·(m(1−m)/s² − 1), β = (1−m)·(m(1−m)/s² − 1), which needs s² < m(1−m).
//! From events r out of trials n: α = r, β = n − r.

use rand::Rng;
use rand_distr::{Beta, Distribution as _};
use statrs::distribution::{Beta as StatrsBeta, ContinuousCDF};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct BetaDist {
    alpha: f64,
    beta: f64,
    sampler: Beta<f64>,
    quantiles: StatrsBeta,
}

impl BetaDist {
    pub fn new(alpha: f64, beta: f64) -> Result<Self, Infeasible> {
        super::positive("alpha", alpha)?;
        super::positive("beta", beta)?;
        Ok(BetaDist {
            alpha,
            beta,
            sampler: Beta::new(alpha, beta).map_err(|_| Infeasible::NotPositive {
                field: "alpha",
                value: alpha,
            })?,
            quantiles: StatrsBeta::new(alpha, beta).map_err(|_| Infeasible::NotPositive {
                field: "beta",
                value: beta,
            })?,
        })
    }

    pub fn from_mean_se(mean: f64, se: f64) -> Result<Self, Infeasible> {
        super::finite("mean", mean)?;
        super::non_negative("se", se)?;
        super::positive("se", se)?;
        if mean <= 0.0 || mean >= 1.0 {
            return Err(Infeasible::BetaMeanOutsideUnit { mean });
        }
        let spread = mean * (1.0 - mean);
        if se * se >= spread {
            return Err(Infeasible::BetaSeTooLarge { mean, se });
        }
        let common = spread / (se * se) - 1.0;
        Self::new(mean * common, (1.0 - mean) * common)
    }

    pub fn from_events(events: f64, trials: f64) -> Result<Self, Infeasible> {
        super::positive("trials", trials)?;
        super::finite("events", events)?;
        if events <= 0.0 || events >= trials {
            return Err(Infeasible::EventsExceedTrials { events, trials });
        }
        Self::new(events, trials - events)
    }
}

impl super::Family for BetaDist {
    fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        self.alpha * self.beta / (s * s * (s + 1.0))
    }

    fn quantile(&self, p: f64) -> f64 {
        self.quantiles.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (0.0, 1.0)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!("beta(alpha={:.6}, beta={:.6})", self.alpha, self.beta)
    }
}

impl super::Continuous for BetaDist {
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
    fn beta_from_mean_se_reproduces_mean_and_variance() {
        let d = Distribution::Beta(BetaDist::from_mean_se(0.8, 0.1).unwrap());
        testing::assert_moments(&d, 0.8, 0.01);
        // α = 0.8·(0.16/0.01 − 1) = 12, β = 3.
        let s = StatrsBeta::new(12.0, 3.0).unwrap();
        testing::assert_tail_quantiles(&d, s.inverse_cdf(0.025), s.inverse_cdf(0.975));
    }

    #[test]
    fn beta_from_events_and_trials() {
        let d = Distribution::Beta(BetaDist::from_events(7.0, 9.0).unwrap());
        // Beta(7, 2): mean 7/9, variance 14/(81·10).
        testing::assert_moments(&d, 7.0 / 9.0, 14.0 / 810.0);
        let s = StatrsBeta::new(7.0, 2.0).unwrap();
        testing::assert_tail_quantiles(&d, s.inverse_cdf(0.025), s.inverse_cdf(0.975));
    }

    #[test]
    fn beta_uniform_case_has_linear_quantiles() {
        let d = Distribution::Beta(BetaDist::new(1.0, 1.0).unwrap());
        testing::assert_moments(&d, 0.5, 1.0 / 12.0);
        testing::assert_tail_quantiles(&d, 0.025, 0.975);
    }

    #[test]
    fn beta_rejects_se_too_large_for_mean() {
        // se² = 0.25 ≥ 0.5·0.5.
        let err = BetaDist::from_mean_se(0.5, 0.5).unwrap_err();
        assert_eq!(err, Infeasible::BetaSeTooLarge { mean: 0.5, se: 0.5 });
        assert!(err.to_string().contains("se must be below 0.5"));
    }

    #[test]
    fn beta_rejects_mean_outside_unit_interval() {
        assert_eq!(
            BetaDist::from_mean_se(1.2, 0.1),
            Err(Infeasible::BetaMeanOutsideUnit { mean: 1.2 })
        );
    }

    #[test]
    fn beta_rejects_negative_se_and_nan() {
        assert_eq!(
            BetaDist::from_mean_se(0.5, -0.1),
            Err(Infeasible::Negative {
                field: "se",
                value: -0.1
            })
        );
        assert!(matches!(
            BetaDist::from_mean_se(f64::NAN, 0.1),
            Err(Infeasible::NotFinite { field: "mean", .. })
        ));
    }

    #[test]
    fn beta_rejects_more_events_than_trials() {
        assert_eq!(
            BetaDist::from_events(10.0, 9.0),
            Err(Infeasible::EventsExceedTrials {
                events: 10.0,
                trials: 9.0
            })
        );
    }
}
