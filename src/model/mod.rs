//! Stage 2 of the pipeline: the hub roll-out model.
//!
//! Given one set of parameter values and each option's hub schedule (the
//! hub-years each year, how they open), it computes per option and year the
//! activity avoided, the gross benefit (activity × unit cost), the running
//! cost (hours × rates of the incremental resource lines), the transition
//! cost (start-up plus backfill hours × rates), the net value, and against the
//! comparator the net efficiency, nominal and discounted.
//!
//! The model is built bottom-up as the published analysis was; nothing in
//! here is a number or a name: every input, and the model's shape (its
//! activities, hub types and capacity measures), comes from the parameter
//! files.

mod compile;
mod outcome;

pub use compile::{
    Activity, CapacityMeasure, Cohort, CompiledOption, HubType, Model, Rates, ValueRef,
};
pub use outcome::{OptionResult, YearHubs, YearOutcome};
