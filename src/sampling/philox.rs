//! Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random
//! numbers: as easy as 1, 2, 3"): a counter-based generator. Its output for
//! a (key, counter) pair is a fixed bijection of the counter, so a stream is
//! addressed rather than set up: opening one costs nothing and its numbers
//! come four at a time. A draw's roll-out needs a few dozen numbers per
//! option, where a ChaCha8 stream would first be keyed and then fill a
//! 256-byte buffer.
//!
//! The run keys it with the seed and counts over (block, option, draw), so
//! the numbers of one draw's option depend on nothing else.

use std::convert::Infallible;

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
/// Key schedule increments: the golden ratio and √3 − 1 in 0.32 fixed point.
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

/// The Philox4x32 bijection with 10 rounds.
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let (mut c, mut k) = (counter, key);
    for round in 0..10 {
        if round > 0 {
            k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
        }
        let p0 = u64::from(M0) * u64::from(c[0]);
        let p1 = u64::from(M1) * u64::from(c[2]);
        let (hi0, lo0) = ((p0 >> 32) as u32, p0 as u32);
        let (hi1, lo1) = ((p1 >> 32) as u32, p1 as u32);
        c = [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0];
    }
    c
}

/// One stream: the outputs for counters (0, stream), (1, stream), … in turn.
#[derive(Debug, Clone)]
pub struct Philox {
    key: [u32; 2],
    /// Counter words 1..4: which stream.
    stream: [u32; 3],
    /// Counter word 0: the next block.
    block: u32,
    buffer: [u32; 4],
    used: usize,
}

impl Philox {
    /// The stream numbered `stream` (96 bits) under the 64-bit `key`.
    pub fn new(key: u64, stream: [u32; 3]) -> Philox {
        Philox {
            key: [key as u32, (key >> 32) as u32],
            stream,
            block: 0,
            buffer: [0; 4],
            used: 4,
        }
    }

    #[inline]
    fn next(&mut self) -> u32 {
        if self.used == 4 {
            self.refill();
        }
        let word = self.buffer[self.used];
        self.used += 1;
        word
    }

    /// Kept out of line, so that `next`, called for every roll-out event,
    /// is small enough to inline.
    #[inline(never)]
    fn refill(&mut self) {
        let [a, b, c] = self.stream;
        self.buffer = philox4x32_10([self.block, a, b, c], self.key);
        // 2^32 blocks of 16 bytes per stream: far beyond any roll-out.
        self.block = self.block.wrapping_add(1);
        self.used = 0;
    }
}

impl rand::TryRng for Philox {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next())
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let lo = u64::from(self.next());
        Ok(lo | (u64::from(self.next()) << 32))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    /// The known-answer vectors that ship with Random123 (kat_vectors,
    /// philox4x32 with 10 rounds).
    #[test]
    fn matches_the_random123_known_answers() {
        assert_eq!(
            philox4x32_10([0; 4], [0; 2]),
            [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]
        );
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]
        );
        assert_eq!(
            philox4x32_10(
                [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344],
                [0xa409_3822, 0x299f_31d0]
            ),
            [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]
        );
    }

    #[test]
    fn a_stream_reads_its_blocks_in_counter_order() {
        let key = 0x0123_4567_89ab_cdef_u64;
        let mut rng = Philox::new(key, [7, 8, 9]);
        let words: Vec<u32> = (0..12).map(|_| rng.next_u32()).collect();
        for block in 0..3u32 {
            assert_eq!(
                words[block as usize * 4..block as usize * 4 + 4],
                philox4x32_10([block, 7, 8, 9], [0x89ab_cdef, 0x0123_4567])
            );
        }
        // A u64 is two consecutive words, low first.
        let mut a = Philox::new(key, [1, 0, 0]);
        let mut b = Philox::new(key, [1, 0, 0]);
        let (lo, hi) = (a.next_u32(), a.next_u32());
        assert_eq!(b.next_u64(), u64::from(lo) | (u64::from(hi) << 32));
    }

    /// Uniformity as the roll-out uses it (the top bits of each word) and
    /// independence of neighbouring streams: a χ² test over 16 cells, and the
    /// correlation of the first words of streams that differ in one counter
    /// bit.
    #[test]
    fn words_are_uniform_and_neighbouring_streams_unrelated() {
        let n = 64_000;
        let mut cells = [0u32; 16];
        let mut rng = Philox::new(20221101, [0, 0, 0]);
        for _ in 0..n {
            cells[(rng.next_u32() >> 28) as usize] += 1;
        }
        let expected = n as f64 / 16.0;
        let chi2: f64 = cells
            .iter()
            .map(|&c| (f64::from(c) - expected).powi(2) / expected)
            .sum();
        // χ²(15) exceeds 37.7 with probability 0.001.
        assert!(chi2 < 37.7, "χ² = {chi2}");
        let u = |w: u32| f64::from(w) / 4_294_967_296.0 - 0.5;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for draw in 0..n as u32 {
            let x = u(Philox::new(1, [0, draw, 0]).next_u32());
            let y = u(Philox::new(1, [1, draw, 0]).next_u32());
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        let r = sxy / (sxx * syy).sqrt();
        // |r| > 4/√n has probability below 1e-4 for independent streams.
        assert!(r.abs() < 4.0 / (n as f64).sqrt(), "r = {r}");
    }
}
