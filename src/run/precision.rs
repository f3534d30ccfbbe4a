//! Precision-driven runs (`--until-mcse X`): how many draws it takes for
//! the Monte Carlo standard error of the headline pair's P(A − B > margin),
//! √(p̂(1 − p̂)/N), to fall below X (`--until-mcse-pair` names another pair).
//!
//! A first pass draws the options' present values chunk by chunk, counting
//! wins, and checks the MCSE every `STEP` draws from `MIN_DRAWS` on. The
//! run then proceeds with exactly that many draws, so its files are those
//! of a run with `--samples N`: draw i depends only on the seed and i.

use super::draws::CHUNK;
use super::signals::check_interrupted;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::plan::config::RunConfig;
use crate::plan::question::Pair;

/// Draws between checks of the MCSE.
pub const STEP: u64 = 100;
/// No run stops before this many draws, where p̂ itself is still rough.
pub const MIN_DRAWS: u64 = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Stopping {
    /// The pair followed, `A-B`.
    pub pair: String,
    pub margin: f64,
    pub target: f64,
    pub draws: u64,
    pub maximum: u64,
    /// MCSE of the pair's P(A − B > margin) at `draws`.
    pub mcse: f64,
    /// True when the target was met; false when the maximum stopped it.
    pub precision_reached: bool,
}

impl Stopping {
    fn rule(&self) -> String {
        let (a, b) = self.pair.split_once('-').unwrap_or((&self.pair, ""));
        format!(
            "until the MCSE of P({}) < {}, checked every {STEP} draws from {MIN_DRAWS}",
            crate::export::format::margin_condition(a, b, self.margin),
            self.target
        )
    }

    pub fn result(&self) -> crate::results::StoppingResult {
        crate::results::StoppingResult {
            rule: self.rule(),
            pair: self.pair.clone(),
            target_mcse: self.target,
            draws: self.draws,
            maximum_draws: self.maximum,
            mcse: self.mcse,
            stopped_by: if self.precision_reached {
                "precision"
            } else {
                "maximum draws"
            }
            .into(),
        }
    }
}

fn mcse(wins: u64, n: u64) -> f64 {
    crate::analysis::stats::proportion(wins, n, crate::analysis::stats::LEVEL).mcse
}

/// The draw count at which the MCSE first falls below `target`, or the
/// run's `samples` (the maximum) if it never does.
pub fn draws_needed(config: &RunConfig, plan: &Plan, target: f64) -> Result<Stopping> {
    let followed = followed(config, plan)?;
    let (a, b) = (followed.a, followed.b);
    let (pair, margin) = (followed.key(&plan.model), followed.margin);
    let engine = super::engine::for_plan(plan, config, &plan.model, config.uncertainty);
    let options = plan.model.options.len();
    let maximum = config.samples;
    let mut pv = vec![0.0; CHUNK * options];
    let (mut wins, mut first) = (0u64, 0u64);
    while first < maximum {
        check_interrupted()?;
        let len = (CHUNK as u64).min(maximum - first);
        let chunk = &mut pv[..len as usize * options];
        engine.present_values(first, chunk);
        engine.check_plausible(first, chunk, options)?;
        for (j, draw) in chunk.chunks_exact(options).enumerate() {
            wins += u64::from(draw[a] - draw[b] > margin);
            let n = first + j as u64 + 1;
            if n >= MIN_DRAWS && n.is_multiple_of(STEP) && mcse(wins, n) < target {
                return Ok(Stopping {
                    pair,
                    margin,
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
        pair,
        margin,
        target,
        draws: maximum,
        maximum,
        mcse: mcse(wins, maximum),
        precision_reached: false,
    })
}

/// The pair `--until-mcse` follows: `--until-mcse-pair`, else the headline.
pub fn followed(config: &RunConfig, plan: &Plan) -> Result<Pair> {
    match &config.until_mcse_pair {
        Some(text) => Pair::parse(
            text,
            &plan.model,
            &plan.question,
            &config.file,
            "--until-mcse-pair",
        ),
        None => plan.question.headline().ok_or_else(|| {
            Error::input(
                &config.file,
                "decision.compare",
                "--until-mcse follows the headline pair's probability, but the run file compares no pairs; add `compare = [[\"A\", \"B\"]]` under [decision], or name a pair with --until-mcse-pair A-B",
            )
        }),
    }
}
