//! What the parameter files must define for the Child Health Hub model:
//! the activities a hub avoids, and the parameters the model itself needs
//! beside those the option and resource tables name. The loader checks each
//! is defined, with a value in its domain, before any draw.

use super::Domain;

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
