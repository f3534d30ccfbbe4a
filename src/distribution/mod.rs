//! Distribution families for model parameters.
//!
//! Each family lives in its own file with a constructor that validates its
//! parameters, its closed-form moments, its quantile function (from statrs) and
//! its sampler (from rand_distr). Health economists mostly give mean and
//! standard error; beta, gamma and lognormal are fitted from those by the
//! method of moments, and also accept their native parameters.
//!
//! `elicited.rs` fits a distribution to an expert's judgements as SHELF
//! does (with `nelder_mead.rs`), and `pool.rs` pools several experts.
//!
//! `spec.rs` turns the `distribution = { family = ..., ... }` table of a
//! parameter file into one of these, or into an [`Infeasible`] error that says
//! why and what would be feasible.

pub mod bernoulli;
mod beta;
pub mod elicited;
mod fixed;
mod gamma;
mod lognormal;
mod nelder_mead;
mod normal;
mod pert;
mod pool;
mod skew_normal;
mod spec;
mod student_t;
mod triangular;
mod uniform;

pub use bernoulli::{BernoulliDist, BinomialDist};
pub use beta::BetaDist;
pub use elicited::{ExpertFit, Judgements, Shape, T_DF};
pub use fixed::Fixed;
pub use gamma::GammaDist;
pub use lognormal::LogNormalDist;
pub use normal::{NormalDist, TruncatedNormalDist};
pub use pert::PertDist;
pub use pool::ElicitedDist;
pub use skew_normal::SkewNormalDist;
pub use spec::{DistributionSpec, ExpertSpec};
pub use student_t::StudentTDist;
pub use triangular::TriangularDist;
pub use uniform::UniformDist;

use rand::Rng;
use std::fmt;

/// Why a distribution cannot be built from the values given.
#[derive(Debug, Clone, PartialEq)]
pub enum Infeasible {
    NotFinite {
        field: &'static str,
        value: f64,
    },
    NotPositive {
        field: &'static str,
        value: f64,
    },
    Negative {
        field: &'static str,
        value: f64,
    },
    BetaMeanOutsideUnit {
        mean: f64,
    },
    BetaSeTooLarge {
        mean: f64,
        se: f64,
    },
    LowNotBelowHigh {
        low: f64,
        high: f64,
    },
    ModeOutsideRange {
        mode: f64,
        low: f64,
        high: f64,
    },
    ProbabilityOutsideUnit {
        field: &'static str,
        value: f64,
    },
    EventsExceedTrials {
        events: f64,
        trials: f64,
    },
    LogNormalMeanNotPositive {
        mean: f64,
    },
    TooLarge {
        field: &'static str,
        value: f64,
        most: f64,
        why: &'static str,
    },
    NoMassInRange {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
        mass: f64,
    },
    UnknownFamily {
        family: String,
        suggestion: Option<&'static str>,
    },
    MissingField {
        family: &'static str,
        needs: &'static str,
    },
    UnusedField {
        family: &'static str,
        field: &'static str,
    },
    /// Judgements an elicited distribution cannot be fitted to.
    Elicitation {
        message: String,
    },
}

impl fmt::Display for Infeasible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Infeasible::*;
        match self {
            NotFinite { field, value } => {
                write!(f, "{field} is {value}; it must be a finite number")
            }
            NotPositive { field, value } => {
                write!(f, "{field} is {value}; it must be greater than 0")
            }
            Negative { field, value } => write!(f, "{field} is {value}; it must not be negative"),
            BetaMeanOutsideUnit { mean } => write!(
                f,
                "beta mean is {mean}; a beta mean must lie strictly between 0 and 1"
            ),
            BetaSeTooLarge { mean, se } => write!(
                f,
                "beta with mean {mean} and se {se} is infeasible: se² = {:.6} must be below mean·(1−mean) = {:.6}, so se must be below {:.6}",
                se * se,
                mean * (1.0 - mean),
                (mean * (1.0 - mean)).sqrt()
            ),
            LowNotBelowHigh { low, high } => {
                write!(
                    f,
                    "the lower bound {low} is not below the upper bound {high}"
                )
            }
            ModeOutsideRange { mode, low, high } => write!(
                f,
                "mode {mode} lies outside its range [{low}, {high}]; the mode must be between min and max"
            ),
            ProbabilityOutsideUnit { field, value } => {
                write!(f, "{field} is {value}; a probability must lie in [0, 1]")
            }
            EventsExceedTrials { events, trials } => write!(
                f,
                "events ({events}) must be between 0 and trials ({trials})"
            ),
            LogNormalMeanNotPositive { mean } => write!(
                f,
                "lognormal mean is {mean}; a lognormal fitted from mean and se needs a mean above 0"
            ),
            TooLarge {
                field,
                value,
                most,
                why,
            } => write!(
                f,
                "{field} is {}; it must be at most {} ({why})",
                crate::error::number(*value),
                crate::error::number(*most)
            ),
            NoMassInRange {
                mean,
                sd,
                low,
                high,
                mass,
            } => write!(
                f,
                "a normal with mean {} and sd {} has almost no probability ({}) in [{}, {}], so no draws can be made there; move the range or the mean, or widen the sd",
                crate::error::number(*mean),
                crate::error::number(*sd),
                crate::error::number(*mass),
                crate::error::number(*low),
                crate::error::number(*high)
            ),
            UnknownFamily { family, suggestion } => {
                write!(f, "unknown distribution family `{family}`")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                write!(f, " (known: {})", spec::FAMILIES.join(", "))
            }
            MissingField { family, needs } => write!(f, "a {family} distribution needs {needs}"),
            Elicitation { message } => write!(f, "elicited judgements: {message}"),
            UnusedField { family, field } => {
                write!(f, "`{field}` is not a parameter of a {family} distribution")
            }
        }
    }
}

impl std::error::Error for Infeasible {}

/// Largest magnitude of a distribution's field: beyond it the families'
/// own arithmetic (a PERT's mean is (min + 4·mode + max)/6) can overflow,
/// and no parameter of a health-service model needs it.
pub const MAX_MAGNITUDE: f64 = 1e100;

pub(crate) fn finite(field: &'static str, value: f64) -> Result<f64, Infeasible> {
    if !value.is_finite() {
        Err(Infeasible::NotFinite { field, value })
    } else if value.abs() > MAX_MAGNITUDE {
        Err(Infeasible::TooLarge {
            field,
            value,
            most: MAX_MAGNITUDE,
            why: "in magnitude; larger values overflow the arithmetic: give it in a larger unit",
        })
    } else {
        Ok(value)
    }
}

pub(crate) fn positive(field: &'static str, value: f64) -> Result<f64, Infeasible> {
    finite(field, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(Infeasible::NotPositive { field, value })
    }
}

pub(crate) fn non_negative(field: &'static str, value: f64) -> Result<f64, Infeasible> {
    finite(field, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(Infeasible::Negative { field, value })
    }
}

pub(crate) fn probability(field: &'static str, value: f64) -> Result<f64, Infeasible> {
    finite(field, value)?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Infeasible::ProbabilityOutsideUnit { field, value })
    }
}

pub(crate) fn ordered(low: f64, high: f64) -> Result<(), Infeasible> {
    finite("min", low)?;
    finite("max", high)?;
    if low < high {
        Ok(())
    } else {
        Err(Infeasible::LowNotBelowHigh { low, high })
    }
}

/// A validated distribution of one parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Fixed(Fixed),
    Normal(NormalDist),
    TruncatedNormal(TruncatedNormalDist),
    LogNormal(LogNormalDist),
    Gamma(GammaDist),
    Beta(BetaDist),
    Uniform(UniformDist),
    Triangular(TriangularDist),
    Pert(PertDist),
    Bernoulli(BernoulliDist),
    Binomial(BinomialDist),
    Elicited(ElicitedDist),
    /// Only as an elicited expert's fit.
    StudentT(StudentTDist),
    /// Only as an elicited expert's fit.
    SkewNormal(SkewNormalDist),
}

/// What every family offers: its moments, quantile function, support,
/// draws and a short description. A new family implements it (and
/// [`Continuous`] if it has a density), then joins [`Distribution`].
pub trait Family {
    fn mean(&self) -> f64;
    fn variance(&self) -> f64;
    /// The p-quantile, 0 ≤ p ≤ 1.
    fn quantile(&self, p: f64) -> f64;
    /// The smallest and largest values a draw can take.
    fn support(&self) -> (f64, f64);
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64;
    /// A short human description, e.g. `gamma(shape=4, scale=62.5)`.
    fn describe(&self) -> String;
}

/// A family with a continuous distribution function, through which a draw
/// can be carried onto another distribution.
pub trait Continuous: Family {
    /// P(X ≤ x).
    fn cdf(&self, x: f64) -> f64;
}

macro_rules! each_family {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            Distribution::Fixed($d) => $e,
            Distribution::Normal($d) => $e,
            Distribution::TruncatedNormal($d) => $e,
            Distribution::LogNormal($d) => $e,
            Distribution::Gamma($d) => $e,
            Distribution::Beta($d) => $e,
            Distribution::Uniform($d) => $e,
            Distribution::Triangular($d) => $e,
            Distribution::Pert($d) => $e,
            Distribution::Bernoulli($d) => $e,
            Distribution::Binomial($d) => $e,
            Distribution::Elicited($d) => $e,
            Distribution::StudentT($d) => $e,
            Distribution::SkewNormal($d) => $e,
        }
    };
}

impl Distribution {
    pub fn family(&self) -> &'static str {
        match self {
            Distribution::Fixed(_) => "fixed",
            Distribution::Normal(_) => "normal",
            Distribution::TruncatedNormal(_) => "truncated_normal",
            Distribution::LogNormal(_) => "lognormal",
            Distribution::Gamma(_) => "gamma",
            Distribution::Beta(_) => "beta",
            Distribution::Uniform(_) => "uniform",
            Distribution::Triangular(_) => "triangular",
            Distribution::Pert(_) => "pert",
            Distribution::Bernoulli(_) => "bernoulli",
            Distribution::Binomial(_) => "binomial",
            Distribution::Elicited(_) => "elicited",
            Distribution::StudentT(_) => "student_t",
            Distribution::SkewNormal(_) => "skew_normal",
        }
    }

    pub fn mean(&self) -> f64 {
        each_family!(self, d => d.mean())
    }

    pub fn variance(&self) -> f64 {
        each_family!(self, d => d.variance())
    }

    /// The p-quantile, 0 ≤ p ≤ 1.
    pub fn quantile(&self, p: f64) -> f64 {
        each_family!(self, d => d.quantile(p))
    }

    /// P(X ≤ x) for a continuous family; none for a fixed value or a
    /// count, whose draws cannot be carried onto another distribution
    /// through their cumulative probability.
    pub fn cdf(&self, x: f64) -> Option<f64> {
        match self {
            Distribution::Fixed(_) | Distribution::Bernoulli(_) | Distribution::Binomial(_) => None,
            Distribution::Normal(d) => Some(d.cdf(x)),
            Distribution::TruncatedNormal(d) => Some(d.cdf(x)),
            Distribution::LogNormal(d) => Some(d.cdf(x)),
            Distribution::Gamma(d) => Some(d.cdf(x)),
            Distribution::Beta(d) => Some(d.cdf(x)),
            Distribution::Uniform(d) => Some(d.cdf(x)),
            Distribution::Triangular(d) => Some(d.cdf(x)),
            Distribution::Pert(d) => Some(d.cdf(x)),
            Distribution::Elicited(d) => Some(d.cdf(x)),
            Distribution::StudentT(d) => Some(d.cdf(x)),
            Distribution::SkewNormal(d) => Some(d.cdf(x)),
        }
    }

    /// The smallest and largest values a draw can take.
    pub fn support(&self) -> (f64, f64) {
        each_family!(self, d => d.support())
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        each_family!(self, d => d.sample(rng))
    }

    /// A short human description, e.g. `gamma(shape=4, scale=62.5)`.
    pub fn describe(&self) -> String {
        each_family!(self, d => d.describe())
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Shared checks for every family: sample moments against the closed form.
    use super::Distribution;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    pub const DRAWS: usize = 200_000;

    /// Draws `DRAWS` samples and checks the sample mean and variance against the
    /// closed form within 5 Monte Carlo standard errors.
    pub fn assert_moments(dist: &Distribution, mean: f64, variance: f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(20221101);
        let xs: Vec<f64> = (0..DRAWS).map(|_| dist.sample(&mut rng)).collect();
        let n = DRAWS as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
        let mean_se = (variance / n).sqrt();
        // The variance of the sample variance is (m4 - v²)/n.
        let var_se = ((m4 - v * v).max(0.0) / n).sqrt();
        assert!(
            (m - mean).abs() <= 5.0 * mean_se + 1e-12,
            "{}: sample mean {m} vs closed form {mean} (se {mean_se})",
            dist.describe()
        );
        assert!(
            (v - variance).abs() <= 5.0 * var_se + 1e-12,
            "{}: sample variance {v} vs closed form {variance} (se {var_se})",
            dist.describe()
        );
        assert!((dist.mean() - mean).abs() <= 1e-9 * mean.abs().max(1.0));
        assert!((dist.variance() - variance).abs() <= 1e-9 * variance.abs().max(1.0));
    }

    /// Checks that the empirical 2.5th and 97.5th percentiles of the draws agree
    /// with the quantile function (the expected values come from statrs).
    pub fn assert_tail_quantiles(dist: &Distribution, q025: f64, q975: f64) {
        assert!((dist.quantile(0.025) - q025).abs() <= 1e-9 * q025.abs().max(1.0));
        assert!((dist.quantile(0.975) - q975).abs() <= 1e-9 * q975.abs().max(1.0));
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut xs: Vec<f64> = (0..DRAWS).map(|_| dist.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        // The share of draws below the true quantile is binomial: ±5 se of 0.025.
        let se = (0.025_f64 * 0.975 / DRAWS as f64).sqrt();
        let below_low = xs.partition_point(|x| *x < q025) as f64 / DRAWS as f64;
        let below_high = xs.partition_point(|x| *x < q975) as f64 / DRAWS as f64;
        assert!(
            (below_low - 0.025).abs() < 5.0 * se,
            "{}: {below_low} of draws below the 2.5th percentile {q025}",
            dist.describe()
        );
        assert!(
            (below_high - 0.975).abs() < 5.0 * se,
            "{}: {below_high} of draws below the 97.5th percentile {q975}",
            dist.describe()
        );
    }
}

#[cfg(test)]
mod cdf_tests {
    use super::*;

    /// F(F⁻¹(p)) = p for every continuous family, the identity a scenario
    /// relies on to carry a draw onto another distribution; the discrete
    /// and fixed ones have no such F.
    #[test]
    fn the_cdf_inverts_the_quantile_function() {
        let continuous = [
            Distribution::Normal(NormalDist::new(2.0, 0.5).unwrap()),
            Distribution::TruncatedNormal(TruncatedNormalDist::new(0.5, 0.3, 0.0, 1.0).unwrap()),
            Distribution::LogNormal(LogNormalDist::from_mean_se(100.0, 30.0).unwrap()),
            Distribution::Gamma(GammaDist::new(4.0, 62.5).unwrap()),
            Distribution::Beta(BetaDist::new(2.0, 8.0).unwrap()),
            Distribution::Uniform(UniformDist::new(6.0, 18.0).unwrap()),
            Distribution::Triangular(TriangularDist::new(2.0, 4.0, 6.0).unwrap()),
            Distribution::Pert(PertDist::new(500.0, 700.0, 1800.0).unwrap()),
        ];
        for d in &continuous {
            for p in [0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999] {
                let back = d.cdf(d.quantile(p)).unwrap();
                assert!((back - p).abs() < 1e-9, "{}: {p} → {back}", d.describe());
            }
        }
        assert!(
            Distribution::Fixed(Fixed::new(3.0).unwrap())
                .cdf(3.0)
                .is_none()
        );
    }
}
