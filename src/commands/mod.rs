//! The subcommands: each wires the pipeline stages together for one job.

pub mod base;
