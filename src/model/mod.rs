//! Stage 3 of the pipeline: the Child Health Hub model.
//!
//! Given one set of parameter values and each option's hub schedule (the
//! hub-years each year, how they open), it computes per option and year the
//! activity avoided, the gross benefit (activity × unit cost), the running
//! cost (hours × rates of the incremental resource lines), the transition
//! cost (start-up plus backfill hours × rates), the net value, and against the
//! comparator the net efficiency, nominal and discounted.
//!
//! The model is built bottom-up as the published analysis was; nothing in
//! here is a number: every input comes from `distributions/`.

mod compile;
mod outcome;

pub use compile::{CapacityReleased, Cohort, CompiledOption, Model, Rates, ValueRef, model_index};
pub use outcome::{OptionResult, YearHubs, YearOutcome};

// The activities and the parameters the model requires are part of what
// the parameter files must define, so they are declared with the inputs.
pub use crate::inputs::required::{ACTIVITIES, N_ACTIVITIES};
