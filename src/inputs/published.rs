//! The published figures, checked against the options the files define.

use std::path::{Path, PathBuf};

use super::OptionEntry;
use crate::error::{Error, Result, did_you_mean};
use crate::published::Published;

/// Checks that the published figures name options, once each, with finite
/// values and positive rounding units.
pub(super) fn validate(
    published: Published,
    file: &Path,
    options: &[(OptionEntry, PathBuf)],
) -> Result<Published> {
    let ids = || options.iter().map(|(o, _)| o.id.as_str());
    let known = |id: &str, item: &str| {
        if ids().any(|o| o == id) {
            return Ok(());
        }
        let hint = did_you_mean(id, ids());
        Err(Error::input(
            file,
            item,
            format!("names the option `{id}`, which no file defines{hint}"),
        ))
    };
    let mut seen = std::collections::HashSet::new();
    for id in &published.ranking {
        known(id, "published.ranking")?;
        if !seen.insert(id.as_str()) {
            return Err(Error::input(
                file,
                "published.ranking",
                format!("lists `{id}` twice"),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for o in &published.options {
        let item = format!("published.option `{}`", o.id);
        known(&o.id, &item)?;
        if !seen.insert(o.id.as_str()) {
            return Err(Error::input(file, &item, "defined twice"));
        }
        let figures = [o.nominal_m, o.pv_m, o.nominal_rounding_m, o.pv_rounding_m];
        if figures.iter().any(|v| !v.is_finite())
            || o.nominal_rounding_m <= 0.0
            || o.pv_rounding_m <= 0.0
        {
            return Err(Error::input(
                file,
                &item,
                "its values must be finite and its rounding units positive (£m)",
            ));
        }
    }
    Ok(published)
}
