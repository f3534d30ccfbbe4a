//! Stage 5 of the pipeline: statistics over the draws.
//!
//! - [`stats`]: mean, standard deviation, percentiles, Monte Carlo standard
//!   errors and the Wilson interval of a proportion;
//! - [`decision`]: which option is best how often, ranks, pairwise
//!   comparisons, expected loss and the EVPI.
//!
//! The decision is taken on present value against the comparator: higher is
//! better.

pub mod decision;
pub mod robustness;
pub mod stats;
pub mod tornado;
