//! `[[two_way]]` of a run file, checked. Two-way sensitivity: the headline outcome (the tornado's) over a grid of
//! two parameters, every other at base and the roll-out at its expectation,
//! with the option preferred in each cell, so that a reviewer sees how two
//! uncertain things interact and where the preferred option changes.

use std::path::Path;

use crate::error::{Error, Result};
use crate::inputs::Inputs;
use crate::plan::config::TwoWayEntry;

/// Most points along an axis: 201² evaluations stay under a second.
pub const MAX_GRID: i64 = 201;

/// A checked two-way analysis: each axis's parameter slot and values.
#[derive(Debug, Clone)]
pub struct TwoWay {
    pub axes: [(usize, Vec<f64>); 2],
}

/// Checks the run file's `[[two_way]]` analyses against the inputs, before
/// any draw.
pub fn resolve(entries: &[TwoWayEntry], inputs: &Inputs, file: &Path) -> Result<Vec<TwoWay>> {
    entries
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let at = |field: &str| format!("two_way[{k}].{field}");
            let [x, y] = &e.parameters.0;
            if x == y {
                return Err(Error::input(
                    file,
                    at("parameters"),
                    format!("names `{x}` twice; a two-way analysis needs two different parameters"),
                ));
            }
            if !(3..=MAX_GRID).contains(&e.grid) {
                return Err(Error::input(
                    file,
                    at("grid"),
                    format!("is {}; it must be between 3 and {MAX_GRID} points", e.grid),
                ));
            }
            for name in e.ranges.keys() {
                if name != x && name != y {
                    return Err(Error::input(
                        file,
                        at("ranges"),
                        format!("gives a range for `{name}`, which is not one of this analysis's two parameters"),
                    ));
                }
            }
            let axis = |name: &str| -> Result<(usize, Vec<f64>)> {
                let slot = inputs.require(name, file, &at("parameters"))?;
                let p = &inputs.parameters[slot];
                let (low, high) = match e.ranges.get(name) {
                    Some(range) => {
                        let [low, high] = range.0;
                        if !(low.is_finite() && high.is_finite() && low < high) {
                            return Err(Error::input(
                                file,
                                at(&format!("ranges.{name}")),
                                format!("[{low}, {high}]: the low value must be below the high value"),
                            ));
                        }
                        if !p.domain.contains(low) || !p.domain.contains(high) {
                            return Err(Error::input(
                                file,
                                at(&format!("ranges.{name}")),
                                format!("[{low}, {high}] leaves the parameter's domain: it must be {}", p.domain.describe()),
                            ));
                        }
                        (low, high)
                    }
                    None if p.is_sampled() => {
                        (p.distribution.quantile(0.025), p.distribution.quantile(0.975))
                    }
                    None => {
                        return Err(Error::input(
                            file,
                            at("parameters"),
                            format!("`{name}` is fixed: give it a range under `ranges`, or choose a sampled parameter"),
                        ));
                    }
                };
                let n = e.grid as usize;
                let values = (0..n)
                    .map(|i| low + (high - low) * i as f64 / (n - 1) as f64)
                    .collect();
                Ok((slot, values))
            };
            Ok(TwoWay {
                axes: [axis(x)?, axis(y)?],
            })
        })
        .collect()
}
