//! Stage 2 of the pipeline: draws.
//!
//! Draw i's random numbers depend only on the run seed and i: each draw has
//! its own ChaCha8 streams, one for the parameters and one per option for its
//! roll-out. So a draw gives the same numbers on one thread or many, in one
//! run or split across several, and adding an option does not disturb the
//! parameters of any draw.

pub mod rollout;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::inputs::Inputs;

/// Streams per draw: slot 0 for parameters, slot 1 + k for option k's roll-out.
const SLOTS_PER_DRAW: u64 = 64;

/// Most options a run can hold (one stream slot each).
pub const MAX_OPTIONS: usize = (SLOTS_PER_DRAW - 1) as usize;

/// The random stream of one purpose within one draw.
pub fn stream(seed: u64, draw: u64, slot: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(draw * SLOTS_PER_DRAW + slot);
    rng
}

pub fn parameter_stream(seed: u64, draw: u64) -> ChaCha8Rng {
    stream(seed, draw, 0)
}

pub fn rollout_stream(seed: u64, draw: u64, option: usize) -> ChaCha8Rng {
    stream(seed, draw, 1 + option as u64)
}

/// Samples every parameter of draw `draw` into `out`, in the inputs' order.
pub fn draw_parameters(inputs: &Inputs, seed: u64, draw: u64, out: &mut [f64]) {
    let mut rng = parameter_stream(seed, draw);
    for (slot, parameter) in out.iter_mut().zip(&inputs.parameters) {
        *slot = parameter.distribution.sample(&mut rng);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn a_draw_stream_depends_only_on_seed_and_draw() {
        let a: f64 = stream(1, 5, 0).random();
        let b: f64 = stream(1, 5, 0).random();
        let c: f64 = stream(1, 6, 0).random();
        let d: f64 = stream(2, 5, 0).random();
        let e: f64 = stream(1, 5, 1).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_ne!(a, e);
    }
}
