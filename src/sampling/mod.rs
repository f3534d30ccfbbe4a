//! Part of stage 4 of the pipeline (the draws): each draw's parameter
//! values and roll-out.
//!
//! Draw i's random numbers depend only on the run seed and i: each draw has
//! its own streams, a ChaCha8 stream for the parameters and a Philox stream
//! per option for its roll-out (`philox.rs`). So a draw gives the same
//! numbers on one thread or many, in one run or split across several, and
//! adding an option does not disturb the parameters of any draw.
//!
//! How the parameters fill the hypercube is the run's design (`design.rs`:
//! simple random, Latin hypercube or scrambled Sobol); correlated groups go
//! through a Gaussian copula (`copula.rs`). The roll-out events of each option
//! are always simple random draws from its own stream.

pub mod copula;
pub mod design;
mod joe_kuo;
pub mod philox;
pub mod rollout;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{Error, Result};
use crate::inputs::Inputs;
pub use copula::Copula;
pub use design::{Design, Placement};
pub use philox::Philox;

/// ChaCha8 stream numbers per draw: the parameters use slot 0, and the rest
/// are kept free so that any later purpose leaves the parameters' streams
/// as they are.
const SLOTS_PER_DRAW: u64 = 64;

/// Most options a run can hold.
pub const MAX_OPTIONS: usize = (SLOTS_PER_DRAW - 1) as usize;

/// The ChaCha8 key of a run seed, as `seed_from_u64` derives it: derived once
/// per run rather than once per draw.
pub fn chacha_key(seed: u64) -> [u8; 32] {
    ChaCha8Rng::seed_from_u64(seed).get_seed()
}

/// The random stream of one purpose within one draw, under a run's key.
pub fn keyed_stream(key: [u8; 32], draw: u64, slot: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(draw * SLOTS_PER_DRAW + slot);
    rng
}

/// Option `option`'s roll-out events in draw `draw`: a Philox stream keyed
/// by the seed and numbered by (option, draw), since opening one costs
/// nothing and a draw opens one per option.
pub fn rollout_stream(seed: u64, draw: u64, option: usize) -> Philox {
    Philox::new(seed, [option as u32, draw as u32, (draw >> 32) as u32])
}

/// How one parameter gets its value in a draw.
#[derive(Debug, Clone, Copy)]
enum Role {
    Fixed(f64),
    /// Sampled alone; `dimension` is its coordinate in the design.
    Independent {
        dimension: usize,
    },
    /// In a correlation group; its value comes from the group's copula.
    Correlated {
        dimension: usize,
    },
}

/// The run's sampling choices, checked against the inputs before any draw:
/// the design, and each correlation group's copula.
#[derive(Debug, Clone, Default)]
pub struct SamplingPlan {
    pub design: Design,
    pub copulas: Vec<Copula>,
}

impl SamplingPlan {
    /// A correlation matrix that is not positive definite is an error naming
    /// its file, unless `repair`.
    pub fn new(inputs: &Inputs, design: Design, repair: bool) -> Result<SamplingPlan> {
        let dimensions = inputs.sampled().len();
        if design == Design::Sobol && dimensions > design::Sobol::MAX_DIMENSIONS {
            return Err(Error::input(
                &inputs.dir,
                "",
                format!(
                    "{dimensions} sampled parameters: the Sobol design supports at most {}",
                    design::Sobol::MAX_DIMENSIONS
                ),
            ));
        }
        let mut copulas = Vec::with_capacity(inputs.correlations.len());
        for group in &inputs.correlations {
            let copula = Copula::new(group.members.clone(), group.spearman.clone(), repair)
                .map_err(|e| {
                    Error::input(
                        &group.file,
                        format!("correlation [{}]", group.label()),
                        format!(
                            "the correlation matrix is not positive definite (the normal scores' matrix has smallest eigenvalue {:.4}); correct it, or set `repair_correlations = true` under [sampling] in the run file to use the nearest correlation matrix",
                            e.smallest_eigenvalue
                        ),
                    )
                })?;
            copulas.push(copula);
        }
        Ok(SamplingPlan { design, copulas })
    }
}

/// Draws the parameters of any draw of a run.
#[derive(Debug, Clone)]
pub struct Sampler<'a> {
    inputs: &'a Inputs,
    pub seed: u64,
    key: [u8; 32],
    placement: Placement,
    roles: Vec<Role>,
    copulas: Vec<Copula>,
    /// Widest group, for the per-draw buffer of normal scores.
    widest: usize,
}

impl<'a> Sampler<'a> {
    /// The sampler of a run of `draws` draws (the Latin hypercube's strata
    /// depend on the total).
    pub fn new(inputs: &'a Inputs, plan: &SamplingPlan, seed: u64, draws: u64) -> Sampler<'a> {
        let mut roles = Vec::with_capacity(inputs.parameters.len());
        let mut dimension = 0;
        for (i, p) in inputs.parameters.iter().enumerate() {
            if !p.is_sampled() {
                roles.push(Role::Fixed(p.distribution.mean()));
                continue;
            }
            let correlated = plan.copulas.iter().any(|g| g.members.contains(&i));
            roles.push(if correlated {
                Role::Correlated { dimension }
            } else {
                Role::Independent { dimension }
            });
            dimension += 1;
        }
        Sampler {
            inputs,
            seed,
            key: chacha_key(seed),
            placement: Placement::new(plan.design, dimension, seed, draws.max(1)),
            roles,
            widest: plan
                .copulas
                .iter()
                .map(|c| c.members.len())
                .max()
                .unwrap_or(0),
            copulas: plan.copulas.clone(),
        }
    }

    /// Every parameter of a draw whose sampled values are already known
    /// (`sampled`, in the inputs' order), with the fixed ones at their value:
    /// what `draw` gave for that draw.
    pub fn fill(&self, mut sampled: impl Iterator<Item = f64>, out: &mut [f64]) {
        for (slot, role) in out.iter_mut().zip(&self.roles) {
            *slot = match *role {
                Role::Fixed(v) => v,
                Role::Independent { .. } | Role::Correlated { .. } => {
                    sampled.next().unwrap_or(f64::NAN)
                }
            };
        }
    }

    /// Samples every parameter of draw `draw` into `out`, in the inputs'
    /// order.
    pub fn draw(&self, draw: u64, out: &mut [f64]) {
        let mut rng = keyed_stream(self.key, draw, 0);
        let parameters = &self.inputs.parameters;
        let random = matches!(self.placement, Placement::Random);
        for ((slot, role), parameter) in out.iter_mut().zip(&self.roles).zip(parameters) {
            match *role {
                Role::Fixed(v) => *slot = v,
                Role::Independent { dimension } => {
                    *slot = if random {
                        parameter.distribution.sample(&mut rng)
                    } else {
                        let u = self.placement.coordinate(draw, dimension, &mut rng);
                        parameter.distribution.quantile(u)
                    };
                }
                Role::Correlated { .. } => {}
            }
        }
        if self.copulas.is_empty() {
            return;
        }
        let normal = Normal::standard();
        let mut scores = [0.0; 64];
        let mut heap;
        let z: &mut [f64] = if self.widest <= scores.len() {
            &mut scores[..]
        } else {
            heap = vec![0.0; self.widest];
            &mut heap[..]
        };
        for copula in &self.copulas {
            let z = &mut z[..copula.members.len()];
            for (score, &member) in z.iter_mut().zip(&copula.members) {
                *score = if random {
                    StandardNormal.sample(&mut rng)
                } else {
                    let Role::Correlated { dimension } = self.roles[member] else {
                        unreachable!("a group member has the correlated role")
                    };
                    normal.inverse_cdf(self.placement.coordinate(draw, dimension, &mut rng))
                };
            }
            copula.correlate(z);
            for (&score, &member) in z.iter().zip(&copula.members) {
                // Φ rounds to 0 or 1 beyond ±8.3 sd; keep the quantile finite.
                let u = normal.cdf(score).clamp(1e-16, 1.0 - 1e-16);
                out[member] = parameters[member].distribution.quantile(u);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn a_draw_stream_depends_only_on_seed_and_draw() {
        let stream = |seed, draw, slot| keyed_stream(chacha_key(seed), draw, slot);
        let a: f64 = stream(1, 5, 0).random();
        let b: f64 = stream(1, 5, 0).random();
        let c: f64 = stream(1, 6, 0).random();
        let d: f64 = stream(2, 5, 0).random();
        let e: f64 = stream(1, 5, 1).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_ne!(a, e);
        // The key derived once gives the stream of a generator seeded from
        // the seed itself.
        let mut seeded = ChaCha8Rng::seed_from_u64(1);
        seeded.set_stream(5 * SLOTS_PER_DRAW);
        let f: f64 = seeded.random();
        assert_eq!(a, f);
    }
}
