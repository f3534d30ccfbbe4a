//! chh-psa: probabilistic sensitivity analysis of the North West London Child
//! Health Hub roll-out options.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`inputs`]: parameter files in `distributions/` → validated inputs;
//! 2. [`sampling`]: draws of parameters and of each option's roll-out;
//! 3. [`model`]: hub schedule and parameter values → yearly activity, costs, net value;
//! 4. [`outcomes`]: every option against the comparator, nominal and discounted;
//! 5. [`analysis`]: statistics over draws (decision uncertainty, the
//!    decision pairs, MCSE, EVPI);
//! 6. [`results`]: everything a run concludes, as one typed value (and the
//!    names of the draws' columns, formed in one place);
//! 7. [`export`]: console tables, JSON, Parquet, the report and the
//!    workbook, all made from that value, written atomically; no other
//!    module writes a file.
//!
//! [`plan`] reads a run file and checks everything before any draw;
//! [`run`] drives a PSA run from that plan; [`distribution`] holds the
//! distribution families; [`published`] the figures the base case reproduces.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod distribution;
pub mod error;
pub mod export;
pub mod inputs;
pub mod linalg;
pub mod model;
pub mod outcomes;
pub mod plan;
pub mod published;
pub mod results;
pub mod run;
pub mod sampling;
