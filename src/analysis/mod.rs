//! Stage 5 of the pipeline: statistics over the draws.
//!
//! - [`stats`]: mean, standard deviation, percentiles, Monte Carlo standard
//!   errors and the Wilson interval of a proportion;
//! - [`decision`]: which option is best how often, ranks, pairwise
//!   comparisons, expected loss and the EVPI;
//! - [`compare`]: one option against another: P(A − B > margin), the
//!   difference's distribution, and the verdict;
//! - [`evppi`]: the value of learning one parameter or a group exactly,
//!   and each parameter's first-order variance share;
//! - [`evsi`]: the value of a study of a given size;
//! - [`information`]: those, run over a plan's parameters, groups and
//!   studies, and the EVPPI of every parameter learnt together from the
//!   nested Monte Carlo's inner draws;
//! - [`quantiles`]: percentiles of many draws in bounded memory;
//! - [`tornado`]: one-way sensitivity and switch points, with
//!   [`one_way`] (the deterministic model it moves) and [`two_way`] (two
//!   parameters over a grid);
//! - [`summary`]: the run's conclusions gathered into the typed
//!   `Results`;
//! - [`ranks`]: ranks by radix sort, rank correlations (global
//!   sensitivity) and the share of draws with a given ranking.
//!
//! The decision is taken on present value against the comparator: higher is
//! better.

pub mod compare;
pub mod decision;
pub mod evppi;
pub mod evsi;
pub mod information;
pub mod one_way;
pub mod quantiles;
pub mod ranks;
mod spline;
pub mod stats;
pub mod summary;
pub mod tornado;
pub mod two_way;
