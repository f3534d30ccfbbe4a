//! An elicited parameter's fit, as summary.json keeps it, `base --json`
//! prints it and the report draws it: built once, from the fitted
//! distribution.

use crate::distribution::{Continuous, Family};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::distribution::{ElicitedDist, ExpertFit};

/// An elicited parameter's fit, for the expert to see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElicitedResult {
    pub experts: Vec<ExpertResult>,
    /// The fitted (or, for several experts, pooled) 5th, 50th and 95th
    /// percentiles.
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
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
    /// The plausible limits given; none where none was.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Each judgement's weight in the sum of squares.
    pub weights: Vec<f64>,
    /// Degrees of freedom of a Student-t fit.
    pub df: f64,
    pub values: Vec<f64>,
    pub probabilities: Vec<f64>,
    /// The fit's P(X ≤ value) at each judged value.
    pub fitted_probabilities: Vec<f64>,
    /// The expert's own fitted 5th, 50th and 95th percentiles.
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CdfPoint {
    pub x: f64,
    pub pooled: f64,
    pub experts: Vec<f64>,
}

/// How many points the fitted CDF is drawn through.
const CDF_POINTS: usize = 101;

impl ElicitedResult {
    pub fn of(d: &ElicitedDist) -> Self {
        let experts = d
            .weights
            .iter()
            .zip(&d.experts)
            .map(|(&weight, e)| ExpertResult::of(e, weight))
            .collect();
        let judged = d
            .experts
            .iter()
            .flat_map(|e| e.judgements.values.iter().copied());
        let (low, high) = judged.fold((d.quantile(0.005), d.quantile(0.995)), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let curve = (0..CDF_POINTS)
            .map(|i| {
                let x = low + (high - low) * i as f64 / (CDF_POINTS - 1) as f64;
                CdfPoint {
                    x,
                    pooled: d.cdf(x),
                    experts: d.experts.iter().map(|e| e.cdf(x)).collect(),
                }
            })
            .collect();
        ElicitedResult {
            experts,
            p5: d.quantile(0.05),
            p50: d.quantile(0.5),
            p95: d.quantile(0.95),
            curve,
        }
    }
}

impl ExpertResult {
    fn of(e: &ExpertFit, weight: f64) -> Self {
        let j = &e.judgements;
        let finite = |x: f64| x.is_finite().then_some(x);
        ExpertResult {
            family: e.shape.name().into(),
            fitted: e.parameters(),
            weight,
            sum_of_squares: e.sum_of_squares,
            lower: finite(j.lower),
            upper: finite(j.upper),
            weights: j.weights.clone(),
            df: j.df,
            values: j.values.clone(),
            probabilities: j.probabilities.clone(),
            fitted_probabilities: j.values.iter().map(|&v| e.cdf(v)).collect(),
            p5: e.quantile(0.05),
            p50: e.quantile(0.5),
            p95: e.quantile(0.95),
        }
    }
}
