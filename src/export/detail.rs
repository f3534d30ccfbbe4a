//! `chh-psa base --detail FILE`: the deterministic base case per option
//! and year, as Parquet.

use polars::prelude::DataFrame;
use std::path::Path;

use crate::error::Result;

/// Writes the base case's `detail` table to `path`, with the inputs' hash.
pub fn write(path: &Path, detail: &mut DataFrame, inputs_hash: &str) -> Result<()> {
    let metadata = vec![
        (
            "chh_psa.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("chh_psa.inputs_hash".to_string(), inputs_hash.to_string()),
        (
            "chh_psa.content".to_string(),
            "deterministic base case, per option and year".to_string(),
        ),
    ];
    super::parquet::write(path, detail, &metadata)
}
