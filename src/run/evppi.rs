//! The nested Monte Carlo's inner draws: for the EVPPI of every sampled
//! parameter learnt together, each outer parameter draw's roll-out is
//! redrawn on streams of its own, apart from the run's.

use rayon::prelude::*;

use super::engine::Engine;
use crate::analysis::information::{InnerRedraws, Learnable};
use crate::outcomes::{self, Rollout};

/// For each of the run's first `outer` parameter draws, each option's
/// value summed over the two halves of `inner` redraws of the roll-out
/// (one evaluation, the exact conditional value, without roll-out
/// uncertainty; otherwise an even count, for the halves); then the
/// estimate (`analysis::information::learnable`).
pub fn learnable(engine: &Engine, columns: &[Vec<f64>], outer: usize, inner: usize) -> Learnable {
    crate::analysis::information::learnable(&inner_redraws(engine, columns, outer, inner))
}

fn inner_redraws(
    engine: &Engine,
    columns: &[Vec<f64>],
    outer: usize,
    inner: usize,
) -> InnerRedraws {
    let n = columns.first().map_or(0, Vec::len).min(outer);
    let options = engine.model.options.len();
    // Without roll-out uncertainty one evaluation is the exact conditional
    // value; otherwise an even count, for the halves.
    let inner = if engine.uncertainty.rollout {
        inner.max(2).next_multiple_of(2)
    } else {
        1
    };
    // Each outer draw's sums of each option's value over the two halves of
    // its redraws.
    let rows: Vec<[Vec<f64>; 2]> = (0..n)
        .into_par_iter()
        .map_init(
            || engine.scratch(),
            |s, i| {
                if engine.uncertainty.parameters {
                    engine
                        .sampler
                        .fill(columns.iter().map(|c| c[i]), &mut s.values);
                }
                engine.adjustments.apply(&mut s.values);
                let mut halves = [vec![0.0; options], vec![0.0; options]];
                for j in 0..inner {
                    let rollout = if engine.uncertainty.rollout {
                        Rollout::Sampled {
                            seed: inner_seed(engine.sampler.seed, j),
                            draw: i as u64,
                        }
                    } else {
                        Rollout::Expected
                    };
                    outcomes::evaluate(
                        engine.model,
                        &s.values,
                        rollout,
                        &mut s.workspace,
                        &mut s.totals,
                    );
                    for (h, v) in halves[j % 2].iter_mut().zip(&s.totals.present_value) {
                        *h += v;
                    }
                }
                halves
            },
        )
        .collect();
    InnerRedraws {
        halves: rows,
        inner,
    }
}

/// The seed of the `j`-th inner redraw of every draw's roll-out: SplitMix64
/// of the run's seed and j, apart from the run's own roll-out streams.
fn inner_seed(seed: u64, j: usize) -> u64 {
    let mut z = seed ^ 0x6e65_7374_6564_0000 ^ (j as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
