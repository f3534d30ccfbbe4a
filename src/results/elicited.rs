//! An elicited parameter's fit, as summary.json keeps it and the report
//! draws it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An elicited parameter's fit, for the expert to see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElicitedResult {
    pub experts: Vec<ExpertResult>,
    /// The fitted CDF over its 0.5th to 99.5th percentile: the pool's, and
    /// each expert's at the same values.
    pub curve: Vec<CdfPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertResult {
    pub family: String,
    pub fitted: String,
    /// Weight in the pool (1 for a single expert).
    pub weight: f64,
    pub sum_of_squares: f64,
    pub values: Vec<f64>,
    pub probabilities: Vec<f64>,
    /// The fit's P(X ≤ value) at each judged value.
    pub fitted_probabilities: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CdfPoint {
    pub x: f64,
    pub pooled: f64,
    pub experts: Vec<f64>,
}
