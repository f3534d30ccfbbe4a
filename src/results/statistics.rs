//! The statistics a result states over the draws: a quantity's
//! distribution, a proportion with its interval, and a correlated pair's
//! declared and achieved correlation. The analyses compute them.

/// Mean, spread and percentiles of one quantity over the draws.
#[derive(
    Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Describe {
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator).
    pub sd: f64,
    /// Monte Carlo standard error of the mean: sd / √n.
    pub mcse_mean: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
}

/// A proportion over the draws, with its Monte Carlo error and a Wilson
/// score interval.
#[derive(
    Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Proportion {
    pub estimate: f64,
    /// √(p(1 − p)/n).
    pub mcse: f64,
    pub wilson_low: f64,
    pub wilson_high: f64,
}

/// A pair of parameters in a correlation group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrelationCheck {
    pub parameters: [String; 2],
    /// Spearman correlation declared in the distribution file.
    pub target_spearman: f64,
    /// Spearman correlation imposed: the target, or the repaired matrix's.
    pub imposed_spearman: f64,
    /// Spearman correlation of the draws.
    pub achieved_spearman: f64,
    pub repaired: bool,
}
