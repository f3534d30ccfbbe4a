//! Triangular on [min, max] with its mode: for expert ranges.

use rand::Rng;
use rand_distr::{Distribution as _, Triangular};
use statrs::distribution::{ContinuousCDF, Triangular as StatrsTriangular};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct TriangularDist {
    min: f64,
    mode: f64,
    max: f64,
    sampler: Triangular<f64>,
    quantiles: StatrsTriangular,
}

impl TriangularDist {
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, Infeasible> {
        super::ordered(min, max)?;
        super::finite("mode", mode)?;
        if !(min..=max).contains(&mode) {
            return Err(Infeasible::ModeOutsideRange {
                mode,
                low: min,
                high: max,
            });
        }
        let bad = Infeasible::ModeOutsideRange {
            mode,
            low: min,
            high: max,
        };
        Ok(TriangularDist {
            min,
            mode,
            max,
            sampler: Triangular::new(min, max, mode).map_err(|_| bad.clone())?,
            quantiles: StatrsTriangular::new(min, max, mode).map_err(|_| bad)?,
        })
    }
}

impl super::Family for TriangularDist {
    fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    fn variance(&self) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
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
        format!(
            "triangular(min={}, mode={}, max={})",
            self.min, self.mode, self.max
        )
    }
}

impl super::Continuous for TriangularDist {
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
    fn triangular_moments_and_percentiles() {
        let d = Distribution::Triangular(TriangularDist::new(500.0, 700.0, 1800.0).unwrap());
        let (a, c, b): (f64, f64, f64) = (500.0, 700.0, 1800.0);
        testing::assert_moments(
            &d,
            (a + b + c) / 3.0,
            (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0,
        );
        // By hand: below the mode F(x) = (x−a)²/((b−a)(c−a)); above, 1 − (b−x)²/((b−a)(b−c)).
        let q025 = a + (0.025_f64 * (b - a) * (c - a)).sqrt();
        let q975 = b - (0.025_f64 * (b - a) * (b - c)).sqrt();
        testing::assert_tail_quantiles(&d, q025, q975);
    }

    #[test]
    fn triangular_rejects_mode_outside_range() {
        assert_eq!(
            TriangularDist::new(0.0, 5.0, 2.0),
            Err(Infeasible::ModeOutsideRange {
                mode: 5.0,
                low: 0.0,
                high: 2.0
            })
        );
    }
}
