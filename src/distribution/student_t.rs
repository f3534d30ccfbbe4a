//! Student's t with location μ, scale σ and ν degrees of freedom: the
//! family SHELF fits, beside the normal, where an expert's tails are
//! heavier than a normal's (ν = 3 unless the judgements say otherwise).

use rand::Rng;
use rand_distr::{Distribution as _, StudentT};
use statrs::distribution::{ContinuousCDF, StudentsT as StatrsStudentsT};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct StudentTDist {
    location: f64,
    scale: f64,
    df: f64,
    sampler: StudentT<f64>,
    quantiles: StatrsStudentsT,
}

impl StudentTDist {
    pub fn new(location: f64, scale: f64, df: f64) -> Result<Self, Infeasible> {
        super::finite("location", location)?;
        super::positive("scale", scale)?;
        super::positive("df", df)?;
        let invalid = |field: &'static str, value: f64| Infeasible::NotPositive { field, value };
        Ok(StudentTDist {
            location,
            scale,
            df,
            sampler: StudentT::new(df).map_err(|_| invalid("df", df))?,
            quantiles: StatrsStudentsT::new(location, scale, df)
                .map_err(|_| invalid("scale", scale))?,
        })
    }
}

impl super::Family for StudentTDist {
    /// The location where the mean exists (ν > 1), else not a number.
    fn mean(&self) -> f64 {
        if self.df > 1.0 {
            self.location
        } else {
            f64::NAN
        }
    }

    /// σ²ν/(ν − 2) where ν > 2; infinite for 1 < ν ≤ 2.
    fn variance(&self) -> f64 {
        match self.df {
            df if df > 2.0 => self.scale * self.scale * df / (df - 2.0),
            df if df > 1.0 => f64::INFINITY,
            _ => f64::NAN,
        }
    }

    fn quantile(&self, p: f64) -> f64 {
        self.quantiles.inverse_cdf(p)
    }

    fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.location + self.scale * self.sampler.sample(rng)
    }

    fn describe(&self) -> String {
        format!(
            "student_t(location={:.6}, scale={:.6}, df={})",
            self.location, self.scale, self.df
        )
    }
}

impl super::Continuous for StudentTDist {
    fn cdf(&self, x: f64) -> f64 {
        self.quantiles.cdf(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::{Continuous, Family};

    /// Against closed forms: with one degree of freedom the t is Cauchy,
    /// F(x) = 1/2 + atan((x − μ)/σ)/π; with two, F(t) = 1/2 + t/(2√(2 + t²)).
    #[test]
    fn cauchy_and_two_degrees_of_freedom_match_their_closed_forms() {
        let cauchy = StudentTDist::new(3.0, 2.0, 1.0).unwrap();
        let two = StudentTDist::new(0.0, 1.0, 2.0).unwrap();
        for x in [-7.0, -1.0, 0.5, 3.0, 10.0] {
            let want = 0.5 + ((x - 3.0) / 2.0f64).atan() / std::f64::consts::PI;
            assert!((cauchy.cdf(x) - want).abs() < 1e-10, "{x}");
            let want = 0.5 + x / (2.0 * (2.0 + x * x).sqrt());
            assert!((two.cdf(x) - want).abs() < 1e-10, "{x}");
        }
        for p in [0.01, 0.3, 0.5, 0.9] {
            assert!((cauchy.cdf(cauchy.quantile(p)) - p).abs() < 1e-9, "{p}");
        }
        assert!(cauchy.mean().is_nan() && two.variance().is_infinite());
        assert_eq!(StudentTDist::new(1.0, 2.0, 4.0).unwrap().variance(), 8.0);
    }
}
