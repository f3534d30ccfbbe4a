//! Sampling designs: where in the unit hypercube each draw's parameters sit.
//!
//! - simple random: each draw's parameters come straight from its own stream;
//! - Latin hypercube: for N draws, each of the N equal strata of every
//!   parameter holds exactly one draw. Draw i's stratum in dimension d is
//!   π_d(i), a keyed permutation of 0..N computed for i alone (a Feistel
//!   network with cycle walking), so no table of N entries is built and a
//!   shard computes its draws without the others;
//! - scrambled Sobol: point i of the Joe-Kuo Sobol sequence (Gray-code
//!   order), Owen-scrambled by a hash keyed on the seed and the dimension
//!   (Burley 2020, "Practical hash-based Owen scrambling"), so that it stays
//!   a low-discrepancy set while each point is uniform on the hypercube.
//!
//! In every design draw i depends only on the seed, i and (for the Latin
//! hypercube) the run's total draw count: splitting a run or changing the
//! thread count changes nothing.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::joe_kuo;

/// Which design places the draws; chosen in the run file's `[sampling]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    #[default]
    Random,
    LatinHypercube,
    Sobol,
}

impl Design {
    pub fn describe(self) -> &'static str {
        match self {
            Design::Random => "simple random",
            Design::LatinHypercube => "Latin hypercube",
            Design::Sobol => "scrambled Sobol (Joe-Kuo directions, Owen scrambling)",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Design::Random => "random",
            Design::LatinHypercube => "latin_hypercube",
            Design::Sobol => "sobol",
        }
    }
}

/// SplitMix64's finaliser: a bijective mix of 64 bits, used to derive keys.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn key(seed: u64, salt: u64, dimension: usize) -> u64 {
    mix(mix(seed ^ salt).wrapping_add(dimension as u64))
}

/// A uniform on (0, 1) from 32 random bits, never 0 or 1, so that a
/// quantile function never sees an infinite tail.
#[inline]
pub(crate) fn open_unit(bits: u32) -> f64 {
    (f64::from(bits) + 0.5) * (1.0 / 4_294_967_296.0)
}

/// A keyed permutation of `0..n`, evaluated one index at a time.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    key: u64,
}

impl Permutation {
    const ROUNDS: u64 = 6;

    pub fn new(n: u64, key: u64) -> Permutation {
        // The smallest even bit width whose range covers n.
        let bits = (64 - n.saturating_sub(1).leading_zeros()).max(2);
        Permutation {
            n,
            half_bits: bits.div_ceil(2),
            key,
        }
    }

    fn feistel(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for round in 0..Self::ROUNDS {
            let f = mix(self.key ^ mix(right ^ (round << 56))) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }

    /// π(i) for i < n. The network permutes 0..4^half_bits; values beyond n
    /// are walked on until they fall inside, which keeps it a bijection.
    pub fn apply(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = self.feistel(i);
        while x >= self.n {
            x = self.feistel(x);
        }
        x
    }
}

/// Direction numbers of the first `dimensions` Sobol dimensions, 32 bits each.
fn directions(dimensions: usize) -> Vec<[u32; 32]> {
    let mut all = Vec::with_capacity(dimensions);
    let mut first = [0u32; 32];
    for (k, v) in first.iter_mut().enumerate() {
        *v = 1 << (31 - k);
    }
    all.push(first);
    for &(s, a, m) in joe_kuo::TABLE.iter().take(dimensions.saturating_sub(1)) {
        let s = s as usize;
        let mut v = [0u32; 32];
        for k in 0..32 {
            v[k] = if k < s {
                m[k] << (31 - k)
            } else {
                let mut x = v[k - s] ^ (v[k - s] >> s);
                for i in 1..s {
                    if (a >> (s - 1 - i)) & 1 == 1 {
                        x ^= v[k - i];
                    }
                }
                x
            };
        }
        all.push(v);
    }
    all
}

/// The Sobol sequence, unscrambled or Owen-scrambled.
#[derive(Debug, Clone)]
pub struct Sobol {
    directions: Vec<[u32; 32]>,
    /// One scrambling seed per dimension; None for the plain sequence.
    scramble: Option<Vec<u32>>,
}

impl Sobol {
    /// Most dimensions the shipped direction numbers support.
    pub const MAX_DIMENSIONS: usize = joe_kuo::DIMENSIONS;

    pub fn plain(dimensions: usize) -> Sobol {
        assert!(dimensions <= Self::MAX_DIMENSIONS);
        Sobol {
            directions: directions(dimensions),
            scramble: None,
        }
    }

    pub fn scrambled(dimensions: usize, seed: u64) -> Sobol {
        let mut sobol = Self::plain(dimensions);
        sobol.scramble = Some(
            (0..dimensions)
                .map(|d| key(seed, 0x50b0_1000, d) as u32)
                .collect(),
        );
        sobol
    }

    /// The 32-bit coordinate of point `i` in dimension `d`.
    pub fn bits(&self, i: u64, d: usize) -> u32 {
        let gray = i ^ (i >> 1);
        let v = &self.directions[d];
        let mut x = 0u32;
        let mut g = gray;
        let mut k = 0;
        while g != 0 && k < 32 {
            if g & 1 == 1 {
                x ^= v[k];
            }
            g >>= 1;
            k += 1;
        }
        match &self.scramble {
            None => x,
            Some(seeds) => owen_scramble(x, seeds[d]),
        }
    }

    /// The coordinate as a number in [0, 1): exactly the published value for
    /// the plain sequence.
    pub fn point(&self, i: u64, d: usize) -> f64 {
        f64::from(self.bits(i, d)) / 4_294_967_296.0
    }
}

/// Nested uniform (Owen) scrambling of a 32-bit fraction: each bit is
/// flipped by a hash of the bits above it, so the permutation of every
/// elementary interval is random and points stay stratified.
fn owen_scramble(x: u32, seed: u32) -> u32 {
    let mut v = x.reverse_bits();
    v = v.wrapping_add(seed);
    v ^= v.wrapping_mul(0x6c50_b47c);
    v ^= v.wrapping_mul(0xb82f_1e52);
    v ^= v.wrapping_mul(0xc7af_e638);
    v ^= v.wrapping_mul(0x8d22_f6e6);
    v.reverse_bits()
}

/// A design ready to give draw i's coordinates.
#[derive(Debug, Clone)]
pub enum Placement {
    Random,
    LatinHypercube(Vec<Permutation>, u64),
    Sobol(Sobol),
}

impl Placement {
    pub fn new(design: Design, dimensions: usize, seed: u64, draws: u64) -> Placement {
        match design {
            Design::Random => Placement::Random,
            Design::LatinHypercube => Placement::LatinHypercube(
                (0..dimensions)
                    .map(|d| Permutation::new(draws, key(seed, 0x1a71_0000, d)))
                    .collect(),
                draws,
            ),
            Design::Sobol => Placement::Sobol(Sobol::scrambled(dimensions, seed)),
        }
    }

    /// Coordinate `d` of draw `i`, on (0, 1). `rng` is the draw's own
    /// stream, which places the point within its Latin hypercube stratum.
    pub fn coordinate<R: Rng + ?Sized>(&self, i: u64, d: usize, rng: &mut R) -> f64 {
        match self {
            Placement::Random => open_unit(rng.next_u32()),
            Placement::LatinHypercube(permutations, n) => {
                let stratum = permutations[d].apply(i) as f64;
                (stratum + open_unit(rng.next_u32())) / *n as f64
            }
            Placement::Sobol(sobol) => open_unit(sobol.bits(i, d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sobol_matches_the_published_sequence() {
        // scipy.stats.qmc.Sobol(d=40, scramble=False), built on the same
        // Joe-Kuo table; columns are dimensions 1-5, 30 and 40.
        let published: [(u64, [f64; 7]); 8] = [
            (0, [0.0; 7]),
            (1, [0.5; 7]),
            (2, [0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.25]),
            (3, [0.25, 0.75, 0.75, 0.75, 0.25, 0.25, 0.75]),
            (4, [0.375, 0.375, 0.625, 0.875, 0.375, 0.125, 0.875]),
            (7, [0.125, 0.625, 0.375, 0.125, 0.125, 0.375, 0.125]),
            (
                100,
                [
                    0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7265625, 0.1328125,
                ],
            ),
            (
                1000,
                [
                    0.2197265625,
                    0.0966796875,
                    0.5185546875,
                    0.6767578125,
                    0.2802734375,
                    0.3408203125,
                    0.4794921875,
                ],
            ),
        ];
        let sobol = Sobol::plain(40);
        for (i, row) in published {
            for (&d, &expected) in [0, 1, 2, 3, 4, 29, 39].iter().zip(&row) {
                assert_eq!(
                    sobol.point(i, d),
                    expected,
                    "point {i}, dimension {}",
                    d + 1
                );
            }
        }
    }

    #[test]
    fn a_permutation_hits_every_index_once() {
        for n in [1u64, 2, 3, 17, 1000, 4097] {
            let p = Permutation::new(n, 42);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "n={n}: {j} twice");
                seen[j] = true;
            }
        }
    }

    #[test]
    fn owen_scrambling_keeps_the_first_points_stratified() {
        // The first 2^m points of a scrambled Sobol set put one point in
        // each interval of width 2^-m, in every dimension.
        let sobol = Sobol::scrambled(8, 7);
        for d in 0..8 {
            let mut seen = [false; 64];
            for i in 0..64 {
                let cell = (sobol.point(i, d) * 64.0) as usize;
                assert!(!seen[cell], "dimension {d}: cell {cell} twice");
                seen[cell] = true;
            }
        }
        assert_ne!(sobol.bits(1, 0), Sobol::plain(8).bits(1, 0));
    }
}
