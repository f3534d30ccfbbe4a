//! `yearly_draws.parquet`: every draw's yearly figures, one row per draw,
//! option and year, written when the run file asks for them.

use polars::prelude::*;
use std::path::{Path, PathBuf};

use super::parquet::{self, Metadata};
use crate::error::{Error, Result};
use crate::model::Model;

/// The file of every draw's yearly figures.
pub const DRAWS_FILE: &str = "yearly_draws.parquet";

/// Writes every draw's [investment, value avoided, net] for each option
/// and year, draw by draw.
pub fn write_draws(
    dir: &Path,
    model: &Model,
    flows: &[[f64; 3]],
    metadata: &Metadata,
) -> Result<PathBuf> {
    let (options, horizon) = (model.options.len(), model.horizon_years);
    let rows = flows.len();
    let draw: Vec<u64> = (0..rows)
        .map(|i| (i / (options * horizon)) as u64)
        .collect();
    let option: Vec<&str> = (0..rows)
        .map(|i| model.options[(i / horizon) % options].id.as_str())
        .collect();
    let year: Vec<i32> = (0..rows).map(|i| (i % horizon) as i32 + 1).collect();
    let column = |q: usize| flows.iter().map(|f| f[q]).collect::<Vec<f64>>();
    let path = dir.join(DRAWS_FILE);
    let mut frame = DataFrame::new(
        rows,
        vec![
            Column::new("draw".into(), draw),
            Column::new("option".into(), option),
            Column::new("year".into(), year),
            Column::new("investment_gbp".into(), column(0)),
            Column::new("value_avoided_gbp".into(), column(1)),
            Column::new("net_gbp".into(), column(2)),
        ],
    )
    .map_err(|e| Error::internal(&path, e))?;
    parquet::write(&path, &mut frame, metadata)?;
    Ok(path)
}
