//! Precision-driven runs (`--until-mcse X`): how many draws it takes for
//! the Monte Carlo standard error of P(accelerated beats supported),
//! √(p̂(1 − p̂)/N), to fall below X.
//!
//! A first pass draws the options' present values chunk by chunk, counting
//! wins, and checks the MCSE every `STEP` draws from `MIN_DRAWS` on. The
//! run then proceeds with exactly that many draws, so its files are those
//! of a run with `--samples N`: draw i depends only on the seed and i.

use serde_json::{Value, json};

use super::{CHUNK, Plan, RunConfig, check_interrupted};
use crate::error::{Error, Result};

/// Draws between checks of the MCSE.
pub const STEP: u64 = 100;
/// No run stops before this many draws, where p̂ itself is still rough.
pub const MIN_DRAWS: u64 = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Stopping {
    pub target: f64,
    pub draws: u64,
    pub maximum: u64,
    /// MCSE of P(accelerated beats supported) at `draws`.
    pub mcse: f64,
    /// True when the target was met; false when the maximum stopped it.
    pub precision_reached: bool,
}

impl Stopping {
    pub fn describe(&self) -> String {
        if self.precision_reached {
            format!(
                "Stopped by precision: MCSE {:.5} < {} after {} draws (checked every {STEP} from {MIN_DRAWS}; at most {}).",
                self.mcse, self.target, self.draws, self.maximum
            )
        } else {
            format!(
                "Stopped by the maximum of {} draws: MCSE {:.5} had not reached {}.",
                self.maximum, self.mcse, self.target
            )
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "rule": format!("until the MCSE of P(accelerated beats supported) < {}, checked every {STEP} draws from {MIN_DRAWS}", self.target),
            "target_mcse": self.target,
            "draws": self.draws,
            "maximum_draws": self.maximum,
            "mcse": self.mcse,
            "stopped_by": if self.precision_reached { "precision" } else { "maximum draws" },
        })
    }
}

fn mcse(wins: u64, n: u64) -> f64 {
    let p = wins as f64 / n as f64;
    (p * (1.0 - p) / n as f64).sqrt()
}

/// The draw count at which the MCSE first falls below `target`, or the
/// run's `samples` (the maximum) if it never does.
pub fn draws_needed(config: &RunConfig, plan: &Plan, target: f64) -> Result<Stopping> {
    let index = |id: &str| plan.model.options.iter().position(|o| o.id == id);
    let (Some(a), Some(b)) = (index("accelerated"), index("supported")) else {
        return Err(Error::Usage(
            "--until-mcse follows P(accelerated beats supported), but the options lack `accelerated` or `supported`".into(),
        ));
    };
    let engine = plan.engine(config, &plan.model, config.uncertainty);
    let options = plan.model.options.len();
    let maximum = config.samples;
    let mut pv = vec![0.0; CHUNK * options];
    let (mut wins, mut first) = (0u64, 0u64);
    while first < maximum {
        check_interrupted()?;
        let len = (CHUNK as u64).min(maximum - first);
        let chunk = &mut pv[..len as usize * options];
        engine.present_values(first, chunk);
        for (j, draw) in chunk.chunks_exact(options).enumerate() {
            wins += u64::from(draw[a] > draw[b]);
            let n = first + j as u64 + 1;
            if n >= MIN_DRAWS && n.is_multiple_of(STEP) && mcse(wins, n) < target {
                return Ok(Stopping {
                    target,
                    draws: n,
                    maximum,
                    mcse: mcse(wins, n),
                    precision_reached: true,
                });
            }
        }
        first += len;
    }
    Ok(Stopping {
        target,
        draws: maximum,
        maximum,
        mcse: mcse(wins, maximum),
        precision_reached: false,
    })
}
