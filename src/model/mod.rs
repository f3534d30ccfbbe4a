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

use crate::inputs::Domain;

/// The activities a hub avoids, with their display names. Each has an
/// `impact_<id>` (per hub-year at full effect) and a `cost_<id>` parameter.
pub const ACTIVITIES: [(&str, &str); 6] = [
    ("new_outpatient", "new outpatient attendances"),
    ("followup_outpatient", "follow-up outpatient attendances"),
    ("ae_attendance", "A&E attendances"),
    ("admission", "non-elective admissions"),
    ("gp_appointment", "GP appointments"),
    ("camhs_referral", "CAMHS referrals"),
];

pub const N_ACTIVITIES: usize = ACTIVITIES.len();

/// Parameters the model itself needs, beside those the option and resource
/// tables name.
pub fn required_parameters() -> Vec<(String, Domain)> {
    let mut needed = Vec::new();
    for (id, _) in ACTIVITIES {
        needed.push((format!("impact_{id}"), Domain::NonNegative));
        needed.push((format!("cost_{id}"), Domain::NonNegative));
    }
    for (name, domain) in [
        ("realisation_standard", Domain::UnitInterval),
        ("realisation_enhanced", Domain::UnitInterval),
        ("start_up_cost", Domain::NonNegative),
        ("discount_rate", Domain::Rate),
        ("consultant_hours_per_new_outpatient", Domain::NonNegative),
        (
            "consultant_hours_per_followup_outpatient",
            Domain::NonNegative,
        ),
        ("consultant_outpatient_hours_per_fte", Domain::Positive),
        ("gp_minutes_per_appointment", Domain::NonNegative),
        ("gp_hours_per_fte", Domain::Positive),
    ] {
        needed.push((name.to_string(), domain));
    }
    needed
}
