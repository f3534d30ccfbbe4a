//! Percentiles of many draws in memory that does not grow with the draws.
//!
//! The yearly budget has a distribution in every option-year cell: a
//! million draws of five options over ten years and four quantities would
//! take over a gigabyte to keep whole. A [`Sketch`] instead counts each
//! value in a bucket of relative width 2^-9: the bucket is the value's
//! sign, binary exponent and leading nine mantissa bits. Read back, an
//! order statistic is its bucket's midpoint, within 2^-10 (0.1%) of the
//! true value relative to that value, and never outside the smallest and
//! largest values counted (so a cell whose draws all agree is exact).
//! Counts are whole numbers, so sketches merged in any order agree: the
//! result does not depend on the thread count.

/// Mantissa bits kept: buckets are 2^-9 wide relative to their values,
/// finer than the Monte Carlo error of a percentile at a million draws,
/// and coarse enough that a cell's counters stay in cache.
const BITS: u32 = 9;
const SHIFT: u32 = 52 - BITS;
/// Biased binary exponent of the smallest magnitude counted apart from
/// zero (2^-27, about 7.5e-9): anything smaller, in £, counts as zero.
const MIN_EXPONENT: u64 = 1023 - 27;
/// Exponents counted, up to 2^53 (beyond any plausible £ value; larger
/// magnitudes count in the largest bucket).
const EXPONENTS: u64 = 80;
/// Buckets of each sign.
const KEYS: usize = (EXPONENTS << BITS) as usize;
/// Buckets are held in pages, allocated when first used: a cell's draws
/// touch a few hundred buckets, not the hundreds of thousands possible.
const PAGE: usize = 256;
/// The largest relative error of an order statistic read from a sketch.
pub const RELATIVE_ACCURACY: f64 = 1.0 / (1u64 << (BITS + 1)) as f64;

#[derive(Debug, Clone)]
pub struct Sketch {
    /// Pages `first..first + pages.len()`, the span the values have reached
    /// so far: a cell's values cluster, so the span is short and stays in
    /// cache.
    first: usize,
    pages: Vec<Option<Box<[u32; PAGE]>>>,
    count: u64,
    min: f64,
    max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            first: 0,
            pages: Vec::new(),
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

/// The bucket of a magnitude among those of its sign, or None for zero.
fn magnitude_key(magnitude: f64) -> Option<usize> {
    let bits = magnitude.to_bits();
    if bits >> 52 < MIN_EXPONENT {
        return None;
    }
    let key = (bits >> SHIFT) - (MIN_EXPONENT << BITS);
    // NaN and infinities have the largest exponent: they saturate.
    Some((key as usize).min(KEYS - 1))
}

/// A value's bucket among all, in order: negative values (largest
/// magnitude first), zero, positive values.
fn position(value: f64) -> usize {
    match magnitude_key(value.abs()) {
        None => KEYS,
        Some(key) if value < 0.0 => KEYS - 1 - key,
        Some(key) => KEYS + 1 + key,
    }
}

/// The midpoint of a bucket, the value an order statistic in it reads as.
fn midpoint(position: usize) -> f64 {
    let (key, sign) = match position.cmp(&KEYS) {
        std::cmp::Ordering::Equal => return 0.0,
        std::cmp::Ordering::Less => (KEYS - 1 - position, -1.0),
        std::cmp::Ordering::Greater => (position - KEYS - 1, 1.0),
    };
    let top = key as u64 + (MIN_EXPONENT << BITS);
    let low = f64::from_bits(top << SHIFT);
    let high = f64::from_bits((top + 1) << SHIFT);
    sign * (low + (high - low) / 2.0)
}

impl Sketch {
    /// Page `page`, made and the span widened if need be.
    fn page(&mut self, page: usize) -> &mut [u32; PAGE] {
        if self.pages.is_empty() {
            self.first = page;
        }
        if page < self.first {
            let before = self.first - page;
            self.pages.splice(0..0, (0..before).map(|_| None));
            self.first = page;
        }
        let at = page - self.first;
        if at >= self.pages.len() {
            self.pages.resize_with(at + 1, || None);
        }
        self.pages[at].get_or_insert_with(|| Box::new([0; PAGE]))
    }

    pub fn add(&mut self, value: f64) {
        let at = position(value);
        let (page, slot) = (at / PAGE, at % PAGE);
        // Nearly every value falls in a page already made.
        match self.pages.get_mut(page.wrapping_sub(self.first)) {
            Some(Some(counts)) => counts[slot] += 1,
            _ => self.page(page)[slot] += 1,
        }
        self.count += 1;
        if value < self.min {
            self.min = value;
        }
        if value > self.max {
            self.max = value;
        }
    }

    /// Adds another sketch's counts to this one's.
    pub fn merge(&mut self, other: &Sketch) {
        for (p, theirs) in other.pages.iter().enumerate() {
            if let Some(theirs) = theirs {
                let ours = self.page(other.first + p);
                for (a, b) in ours.iter_mut().zip(theirs.iter()) {
                    *a += b;
                }
            }
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The `rank`-th smallest value counted (from 0), within
    /// [`RELATIVE_ACCURACY`] of it.
    fn order_statistic(&self, rank: u64) -> f64 {
        let mut below = 0;
        for (p, page) in self.pages.iter().enumerate() {
            let Some(page) = page else { continue };
            let in_page: u64 = page.iter().map(|&n| n as u64).sum();
            if below + in_page <= rank {
                below += in_page;
                continue;
            }
            for (i, &n) in page.iter().enumerate() {
                below += n as u64;
                if below > rank {
                    return midpoint((self.first + p) * PAGE + i).clamp(self.min, self.max);
                }
            }
        }
        self.max
    }

    /// The `p`-th quantile (0 ≤ p ≤ 1) by linear interpolation between
    /// order statistics (Hyndman and Fan's type 7, as R's `quantile`, numpy
    /// and every other percentile the engine reports), each read within
    /// [`RELATIVE_ACCURACY`]. NaN when nothing was counted.
    pub fn quantile(&self, p: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let h = (self.count - 1) as f64 * p.clamp(0.0, 1.0);
        let low = h.floor() as u64;
        let a = self.order_statistic(low);
        if low + 1 >= self.count {
            return a;
        }
        let b = self.order_statistic(low + 1);
        a + (h - low as f64) * (b - a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// Type 7 on a sorted copy: the definition the sketch approximates.
    fn exact(sorted: &[f64], p: f64) -> (f64, f64, f64) {
        let h = (sorted.len() - 1) as f64 * p;
        let low = h.floor() as usize;
        let high = (low + 1).min(sorted.len() - 1);
        let value = sorted[low] + (h - low as f64) * (sorted[high] - sorted[low]);
        (value, sorted[low], sorted[high])
    }

    fn check(values: &[f64]) {
        let mut sketch = Sketch::default();
        for &v in values {
            sketch.add(v);
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1.0] {
            let (value, a, b) = exact(&sorted, p);
            let tolerance = RELATIVE_ACCURACY * a.abs().max(b.abs()) + 1e-8;
            let got = sketch.quantile(p);
            assert!(
                (got - value).abs() <= tolerance,
                "p {p}: sketch {got}, sorted {value}, tolerance {tolerance}"
            );
        }
    }

    #[test]
    fn percentiles_agree_with_a_sort_within_the_stated_accuracy() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        // Both signs and a run of exact zeros, spanning many binary orders.
        let mixed: Vec<f64> = (0..20_000)
            .map(|i| match i % 5 {
                0 => 0.0,
                1 => -rng.random::<f64>() * 3e6,
                _ => rng.random::<f64>().powi(4) * 1e7,
            })
            .collect();
        check(&mixed);
        let narrow: Vec<f64> = (0..5_001).map(|_| 2.5e6 + rng.random::<f64>()).collect();
        check(&narrow);
        check(&[-4.0]);
        check(&[1.0, -1.0]);
    }

    #[test]
    fn identical_values_read_back_exactly() {
        let mut sketch = Sketch::default();
        for _ in 0..100 {
            sketch.add(-1_234_567.891);
        }
        for p in [0.0, 0.025, 0.5, 1.0] {
            assert_eq!(sketch.quantile(p), -1_234_567.891);
        }
    }

    #[test]
    fn merging_in_any_split_gives_the_same_sketch() {
        let values: Vec<f64> = (0..3000).map(|i| (i as f64 - 1000.0) * 1234.5).collect();
        let mut whole = Sketch::default();
        values.iter().for_each(|&v| whole.add(v));
        let (mut left, mut right) = (Sketch::default(), Sketch::default());
        values[..1234].iter().for_each(|&v| left.add(v));
        values[1234..].iter().for_each(|&v| right.add(v));
        right.merge(&left);
        for p in [0.0, 0.3, 0.5, 0.99, 1.0] {
            assert_eq!(whole.quantile(p).to_bits(), right.quantile(p).to_bits());
        }
        assert_eq!(right.count(), 3000);
    }

    #[test]
    fn extreme_values_saturate_rather_than_fail() {
        let mut sketch = Sketch::default();
        for v in [f64::MAX, -f64::MAX, 1e-300, f64::INFINITY, 0.0] {
            sketch.add(v);
        }
        assert_eq!(sketch.quantile(0.5), 0.0);
        assert!(Sketch::default().quantile(0.5).is_nan());
    }
}
