//! The parameters the roll-out model itself needs, whatever its shape:
//! beside them, the activities, hub types, capacity measures, options and
//! resource lines name their own. The loader checks each is defined, with
//! a value in its domain, before any draw.

use super::Domain;

/// Parameters the model itself needs, beside those its tables name.
pub fn required_parameters() -> Vec<(String, Domain)> {
    [
        ("start_up_cost", Domain::NonNegative),
        ("discount_rate", Domain::Rate),
    ]
    .into_iter()
    .map(|(name, domain)| (name.to_string(), domain))
    .collect()
}
