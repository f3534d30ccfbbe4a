//! Value of information in a run: the EVPPI of each sampled parameter and
//! of each group the run file declares, beside the EVPI, written to
//! `evppi.parquet`, the summary and the report.
//!
//! The decision is on present value against the comparator. The roll-out's
//! hub-level events are sampled but are not parameters one could learn, so
//! they count in the EVPI and in no EVPPI; the roll-out group holds the
//! parameters that govern them.

use rayon::prelude::*;
use std::path::Path;

use super::config::EvppiEntry;
use crate::analysis::evppi;
use crate::error::{Error, Result, did_you_mean};
use crate::inputs::Inputs;

/// A parameter or group whose EVPPI is estimated: its members by their
/// position among the sampled parameters.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub group: bool,
    pub members: Vec<String>,
    slots: Vec<usize>,
}

/// Resolves `[evppi]` against the inputs: every group member must be a
/// sampled parameter.
pub fn items(
    entry: &EvppiEntry,
    inputs: &Inputs,
    sampled: &[usize],
    file: &Path,
) -> Result<Vec<Item>> {
    let slot_of = |name: &str| {
        sampled
            .iter()
            .position(|&i| inputs.parameters[i].name == name)
    };
    let mut items = Vec::new();
    if entry.parameters {
        for (slot, &i) in sampled.iter().enumerate() {
            let name = inputs.parameters[i].name.clone();
            items.push(Item {
                name: name.clone(),
                group: false,
                members: vec![name],
                slots: vec![slot],
            });
        }
    }
    for (group, members) in &entry.groups {
        let at = format!("evppi.groups.{group}");
        if members.is_empty() {
            return Err(Error::input(
                file,
                &at,
                "a group needs at least one parameter",
            ));
        }
        let mut slots = Vec::with_capacity(members.len());
        for name in members {
            let Some(slot) = slot_of(name) else {
                let message = match inputs.parameter(name) {
                    Some(_) => {
                        format!("`{name}` is fixed: only sampled parameters carry information")
                    }
                    None => format!(
                        "`{name}` is not a parameter{}",
                        did_you_mean(name, inputs.parameters.iter().map(|p| p.name.as_str()))
                    ),
                };
                return Err(Error::input(file, &at, message));
            };
            if slots.contains(&slot) {
                return Err(Error::input(file, &at, format!("`{name}` is listed twice")));
            }
            slots.push(slot);
        }
        items.push(Item {
            name: group.clone(),
            group: true,
            members: members.clone(),
            slots,
        });
    }
    Ok(items)
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub group: bool,
    pub members: Vec<String>,
    /// The regression's own estimate, before the cap.
    pub estimate: f64,
    pub se: f64,
    pub method: &'static str,
}

/// Each item's EVPPI as the regressions estimate it, before it is set
/// against the EVPI of all the draws.
#[derive(Debug, Clone)]
pub struct Estimates {
    draws: usize,
    rows: Vec<Row>,
}

impl Estimates {
    /// The result, with each estimate capped to [0, EVPI]: learning part
    /// of the uncertainty cannot be worth more than learning all of it.
    pub fn against(self, evpi: f64) -> crate::results::EvppiResult {
        crate::results::EvppiResult {
            evpi_gbp: evpi,
            draws_used: self.draws,
            method: "regression of each option's net benefit on the parameter(s) (Strong, Oakley & Brennan 2014); se from coefficient draws and the Monte Carlo error; estimates are capped to [0, EVPI]".into(),
            rows: self
                .rows
                .into_iter()
                .map(|r| {
                    let evppi = r.estimate.clamp(0.0, evpi.max(0.0));
                    crate::results::EvppiRow {
                        kind: if r.group { "group" } else { "parameter" }.into(),
                        share_of_evpi: (evpi > 0.0).then(|| evppi / evpi),
                        name: r.name,
                        members: r.members,
                        evppi_gbp: evppi,
                        estimate_gbp: r.estimate,
                        se_gbp: r.se,
                        method: r.method.into(),
                    }
                })
                .collect(),
        }
    }
}

/// Estimates each item's EVPPI from the sampled parameter columns and each
/// option's PV, on the first `max_draws` draws.
pub fn estimate(
    items: &[Item],
    sampled_columns: &[Vec<f64>],
    present_value: &[Vec<f64>],
    max_draws: usize,
    seed: u64,
) -> Estimates {
    let n = present_value.first().map_or(0, Vec::len).min(max_draws);
    let net_benefit: Vec<Vec<f64>> = present_value.iter().map(|v| v[..n].to_vec()).collect();
    let rows = items
        .par_iter()
        .enumerate()
        .map(|(k, item)| {
            let columns: Vec<&[f64]> = item
                .slots
                .iter()
                .map(|&s| &sampled_columns[s][..n])
                .collect();
            let e = evppi::evppi(&columns, &net_benefit, seed ^ (0xe5_0000 + k as u64));
            Row {
                name: item.name.clone(),
                group: item.group,
                members: item.members.clone(),
                estimate: e.evppi,
                se: e.se,
                method: e.method,
            }
        })
        .collect();
    Estimates { draws: n, rows }
}

/// The regressions started on threads of their own as soon as the draws they
/// use are in, so that they run while the later draws are computed.
pub struct Started(std::thread::JoinHandle<Estimates>);

impl Started {
    /// Starts `estimate` on the first `max_draws` draws, given as those
    /// prefixes of the sampled parameter columns and each option's PV, on a
    /// pool of `threads` threads.
    pub fn start(
        items: Vec<Item>,
        sampled_columns: Vec<Vec<f64>>,
        present_value: Vec<Vec<f64>>,
        max_draws: usize,
        seed: u64,
        threads: usize,
    ) -> Started {
        Started(std::thread::spawn(move || {
            let run = || estimate(&items, &sampled_columns, &present_value, max_draws, seed);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .start_handler(|_| super::yield_to_the_draws())
                .build();
            match pool {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            }
        }))
    }

    pub fn wait(self) -> Estimates {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}
