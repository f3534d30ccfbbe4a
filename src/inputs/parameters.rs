//! A parameter as written in a distribution file: its base value, unit,
//! description, source, whether it was fitted, and its distribution.

use serde::Deserialize;
use std::path::PathBuf;

use crate::distribution::{Distribution, DistributionSpec};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterEntry {
    pub description: String,
    pub unit: String,
    pub base: f64,
    pub source: String,
    /// What the value was fitted to, where the published summary left a gap.
    pub fitted: Option<String>,
    pub distribution: DistributionSpec,
}

/// A validated parameter, ready to be sampled.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub file: PathBuf,
    pub description: String,
    pub unit: String,
    pub base: f64,
    pub source: String,
    pub fitted: Option<String>,
    /// The distribution as the file states it (e.g. a mean and standard
    /// error), before it is fitted to a family's own parameters.
    pub entered: String,
    pub distribution: Distribution,
    /// The values the model accepts for it.
    pub domain: Domain,
}

impl Parameter {
    /// Whether draws vary it: every family but `fixed`.
    pub fn is_sampled(&self) -> bool {
        self.distribution.family() != "fixed"
    }
}

/// What values a parameter may take, as the model uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Counts, costs, hours, months: 0 or more.
    NonNegative,
    /// Divisors such as hours per full-time equivalent: above 0.
    Positive,
    /// Probabilities and realisation shares: between 0 and 1.
    UnitInterval,
    /// A discount rate: at least 0 and below 1.
    Rate,
}

impl Domain {
    pub fn contains(self, x: f64) -> bool {
        match self {
            Domain::NonNegative => x >= 0.0,
            Domain::Positive => x > 0.0,
            Domain::UnitInterval => (0.0..=1.0).contains(&x),
            Domain::Rate => (0.0..1.0).contains(&x),
        }
    }

    /// Families whose draws stay within the domain.
    fn suggestion(self) -> &'static str {
        match self {
            Domain::NonNegative | Domain::Positive => {
                "use a family that cannot go below 0: gamma or lognormal (from mean and se), or truncated_normal with min = 0"
            }
            Domain::UnitInterval | Domain::Rate => {
                "use a family bounded by 0 and 1: beta (from mean and se), or truncated_normal with min = 0 and max = 1"
            }
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Domain::NonNegative => "0 or more",
            Domain::Positive => "above 0",
            Domain::UnitInterval => "between 0 and 1",
            Domain::Rate => "at least 0 and below 1",
        }
    }

    /// Checks the base value and that draws cannot leave the domain. For
    /// unbounded families the 0.01% and 99.99% quantiles stand for the support.
    pub fn check(self, base: f64, dist: &Distribution) -> Result<(), String> {
        if !base.is_finite() {
            return Err(format!("base is {base}; it must be a finite number"));
        }
        if !self.contains(base) {
            return Err(format!("base is {base}; it must be {}", self.describe()));
        }
        let (lo, hi) = dist.support();
        if base < lo || base > hi {
            return Err(format!(
                "base {base} lies outside the range of its distribution {} ([{lo}, {hi}])",
                dist.describe()
            ));
        }
        // The whole support, not extreme quantiles: a normal cost with mean
        // 300 and sd 80.5 draws below 0 one time in ten thousand. An open
        // end at the domain's own open end (a gamma's 0 for a divisor) is
        // never drawn.
        let lower = self.contains(lo) || (self == Domain::Positive && lo == 0.0);
        let upper = self.contains(hi) || (self == Domain::Rate && hi == 1.0);
        if !lower || !upper {
            return Err(format!(
                "its distribution {} can draw values from {} to {}, but the parameter must be {}; {}",
                dist.describe(),
                crate::error::number(lo),
                crate::error::number(hi),
                self.describe(),
                self.suggestion()
            ));
        }
        Ok(())
    }
}
