//! chh-psa: probabilistic sensitivity analysis of the North West London Child
//! Health Hub roll-out options.
//!
//! A run is a pipeline; each stage is a module that hands the next one
//! typed value (`docs/architecture.md` gives the tour):
//!
//! 1. [`inputs`]: parameter files in `distributions/` → `Inputs`, every
//!    parameter with its distribution (families in [`distribution`]);
//! 2. [`model`]: the inputs compiled → `Model`, hub schedule and parameter
//!    values → yearly activity, costs, net value;
//! 3. [`plan`]: the run file and flags, every check before any draw →
//!    `Plan`;
//! 4. [`run`]: the draws, in parallel ([`sampling`] draws parameters and
//!    roll-outs, [`outcomes`] values every option against the comparator)
//!    → the draws' columns, streamed to `samples.parquet`;
//! 5. [`analysis`]: statistics over the draws (decision uncertainty, the
//!    decision pairs, MCSE, EVPI, EVPPI, EVSI, tornado), gathered into
//! 6. [`results`]: everything a run concludes, as one typed value (and the
//!    names of the draws' columns, formed in one place);
//! 7. [`export`]: console tables, JSON, Parquet, the report and the
//!    workbook, all made from that value, written atomically; no other
//!    module writes a file.
//!
//! [`commands`] holds one function per subcommand; [`published`] the
//! figures the base case reproduces.

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
