//! Descriptive statistics with their Monte Carlo error.

use statrs::distribution::{ContinuousCDF, Normal};

pub use crate::results::{Describe, Proportion};

/// Confidence level of every interval a run reports.
pub const LEVEL: f64 = 0.95;

pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample standard deviation, by the two-pass formula for accuracy.
pub fn sd(xs: &[f64]) -> f64 {
    sd_about(xs, mean(xs))
}

/// The second pass of `sd`, given the mean `m` of `xs`.
fn sd_about(xs: &[f64], m: f64) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

/// The p-quantile of sorted data by linear interpolation between order
/// statistics (Hyndman & Fan type 7: R's default, numpy's and polars'
/// "linear"): h = (n − 1)·p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A key whose unsigned order is the order of `f64::total_cmp`: the sign bit
/// flipped for positives, every bit flipped for negatives.
pub(crate) fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The values of rank `ranks` (0-based, in the order of `f64::total_cmp`)
/// among all the values of `columns` pooled, without copying or reordering
/// them.
///
/// A radix selection: one pass finds the key bits in which the values
/// differ, a second counts the values by the top 16 of those bits, and a
/// third gathers only the values whose top bits are those of a wanted rank,
/// from which the wanted values are selected. Selecting in place would need
/// a copy of every value to reorder (every option's, pooled, for the
/// report's axis), which this avoids, and it is faster than that copy and
/// two selections in it (docs/performance.md).
pub fn order_statistics(columns: &[&[f64]], ranks: &[usize]) -> Vec<f64> {
    const DIGIT: u32 = 16;
    let n: usize = columns.iter().map(|c| c.len()).sum();
    assert!(
        ranks.iter().all(|&r| r < n),
        "ranks {ranks:?} beyond {n} values"
    );
    let Some(&first_value) = columns.iter().find_map(|c| c.first()) else {
        return Vec::new();
    };
    let first = total_order_key(first_value);
    let mut differing = 0;
    for column in columns {
        for &x in column.iter() {
            differing |= total_order_key(x) ^ first;
        }
    }
    if differing == 0 {
        // Every value has the same bits.
        return vec![first_value; ranks.len()];
    }
    // Bits above the highest differing one are the same in every value.
    let varying = u64::BITS - differing.leading_zeros();
    let shift = varying.saturating_sub(DIGIT);
    let mask = (1usize << (varying - shift)) - 1;
    let digit = |x: f64| (total_order_key(x) >> shift) as usize & mask;
    let mut starts = vec![0usize; mask + 2];
    for column in columns {
        for &x in column.iter() {
            starts[digit(x) + 1] += 1;
        }
    }
    for d in 1..starts.len() {
        starts[d] += starts[d - 1];
    }
    // The digit of each wanted rank, and where its values are gathered.
    let digits: Vec<usize> = ranks
        .iter()
        .map(|&r| starts.partition_point(|&s| s <= r) - 1)
        .collect();
    let mut slot = vec![usize::MAX; mask + 1];
    let mut gathered: Vec<Vec<f64>> = Vec::new();
    for &d in &digits {
        if slot[d] == usize::MAX {
            slot[d] = gathered.len();
            gathered.push(Vec::with_capacity(starts[d + 1] - starts[d]));
        }
    }
    for column in columns {
        for &x in column.iter() {
            if let Some(values) = gathered.get_mut(slot[digit(x)]) {
                values.push(x);
            }
        }
    }
    ranks
        .iter()
        .zip(&digits)
        .map(|(&r, &d)| {
            let values = &mut gathered[slot[d]];
            *values
                .select_nth_unstable_by(r - starts[d], f64::total_cmp)
                .1
        })
        .collect()
}

/// The p-quantiles (type 7) of all the values of `columns` pooled, at each
/// of `ps`: the two order statistics each needs, found by
/// [`order_statistics`].
pub fn pooled_quantiles(columns: &[&[f64]], ps: &[f64]) -> Vec<f64> {
    let n: usize = columns.iter().map(|c| c.len()).sum();
    if n == 0 {
        return vec![0.0; ps.len()];
    }
    let at = |p: f64| {
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as usize;
        (h, lo, (lo + 1).min(n - 1))
    };
    let ranks: Vec<usize> = ps
        .iter()
        .flat_map(|&p| {
            let (_, lo, hi) = at(p);
            [lo, hi]
        })
        .collect();
    let values = order_statistics(columns, &ranks);
    ps.iter()
        .zip(values.chunks_exact(2))
        .map(|(&p, x)| {
            let (h, lo, _) = at(p);
            x[0] + (h - lo as f64) * (x[1] - x[0])
        })
        .collect()
}

/// The p-quantiles (type 7) of `xs` at each of `ps`.
pub fn quantiles(xs: &[f64], ps: &[f64]) -> Vec<f64> {
    pooled_quantiles(&[xs], ps)
}

pub fn describe(xs: &[f64]) -> Describe {
    let m = mean(xs);
    let s = sd_about(xs, m);
    let [p2_5, median, p97_5] = quantiles(xs, &[0.025, 0.5, 0.975])[..] else {
        unreachable!("three probabilities give three quantiles")
    };
    Describe {
        mean: m,
        sd: s,
        mcse_mean: s / (xs.len() as f64).sqrt(),
        median,
        p2_5,
        p97_5,
    }
}

/// `successes` out of `n`, with a Wilson interval at `level` (e.g. 0.95).
pub fn proportion(successes: u64, n: u64, level: f64) -> Proportion {
    let nf = n as f64;
    let p = successes as f64 / nf;
    let (low, high) = wilson(p, nf, level);
    Proportion {
        estimate: p,
        mcse: (p * (1.0 - p) / nf).sqrt(),
        // At 0 or n successes the bound is exactly 0 or 1; rounding would
        // leave a few ulps.
        wilson_low: if successes == 0 { 0.0 } else { low },
        wilson_high: if successes == n { 1.0 } else { high },
    }
}

/// The Wilson score interval at `level` for a share `p` of `n` draws
/// (n need not be the draws made: it is also asked what more would give).
pub fn wilson(p: f64, n: f64, level: f64) -> (f64, f64) {
    let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_matches_a_hand_worked_case() {
        let xs = [4.0, 1.0, 3.0, 2.0, 5.0];
        let d = describe(&xs);
        assert_eq!(d.mean, 3.0);
        // Σ(x − 3)² = 10, /4 = 2.5.
        assert!((d.sd - 2.5_f64.sqrt()).abs() < 1e-15);
        assert!((d.mcse_mean - (2.5_f64 / 5.0).sqrt()).abs() < 1e-15);
        assert_eq!(d.median, 3.0);
        // h = 4 × 0.025 = 0.1 → 1 + 0.1 × (2 − 1).
        assert!((d.p2_5 - 1.1).abs() < 1e-12);
        // h = 3.9 → 4 + 0.9 × 1.
        assert!((d.p97_5 - 4.9).abs() < 1e-12);
    }

    #[test]
    fn selection_quantiles_equal_sorted_quantiles() {
        let xs: Vec<f64> = (0..1001).map(|i| ((i * 37) % 101) as f64 / 7.0).collect();
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.025, 0.5, 0.975, 1.0] {
            assert_eq!(quantiles(&xs, &[p]), [quantile_sorted(&sorted, p)]);
        }
    }

    #[test]
    fn quantiles_equal_sorted_quantiles_alone_and_pooled() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let sets: [&[f64]; 5] = [
            &[0.025, 0.5, 0.975],
            &[0.0, 1.0],
            &[0.3, 0.3, 0.31, 0.5],
            &[0.0, 0.001, 0.002, 0.5, 0.998, 0.999, 1.0],
            &[0.7],
        ];
        for n in [1, 2, 3, 4, 5, 40, 1001, 20_000] {
            // Ties (a few distinct values) and distinct values.
            let xs: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        f64::from(rng.random_range(0..4))
                    } else {
                        rng.random::<f64>() * 10.0 - 3.0
                    }
                })
                .collect();
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            // The same values pooled from three columns of unequal lengths.
            let (a, rest) = xs.split_at(n / 3);
            let (b, c) = rest.split_at(rest.len() / 4);
            for ps in sets {
                let want: Vec<f64> = ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect();
                assert_eq!(quantiles(&xs, ps), want, "n = {n}, ps = {ps:?}");
                assert_eq!(
                    pooled_quantiles(&[a, b, c], ps),
                    want,
                    "pooled, n = {n}, ps = {ps:?}"
                );
            }
        }
    }

    /// Every rank against a sort by `total_cmp`, bit for bit, where the
    /// radix digits are unevenly filled: signed zeros, infinities, NaN,
    /// subnormals, ties, values spanning many octaves or agreeing in all but
    /// their last bits, and most of the mass on one value.
    #[test]
    fn order_statistics_equal_a_sort_by_total_cmp() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let special = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE / 4.0,
            -5e-324,
            1.0,
            1.0,
        ];
        let mut columns: Vec<Vec<f64>> = vec![
            special.to_vec(),
            (0..3000)
                .map(|_| (rng.random::<f64>() * 80.0 - 40.0).exp())
                .collect(),
            (0..3000)
                .map(|i| 1e6 + f64::from(i % 7) * f64::EPSILON * 1e6)
                .collect(),
        ];
        columns.push(
            (0..3000)
                .map(|i| if i % 100 == 0 { -f64::from(i) } else { 2.5 })
                .collect(),
        );
        let cases: Vec<Vec<&[f64]>> = vec![
            vec![&columns[0]],
            vec![&columns[1]],
            vec![&columns[2]],
            vec![&columns[3]],
            columns.iter().map(Vec::as_slice).collect(),
            vec![&[7.0]],
            vec![&[], &[3.0, -3.0], &[]],
        ];
        for case in cases {
            let mut sorted: Vec<f64> = case.iter().flat_map(|c| c.iter().copied()).collect();
            sorted.sort_by(f64::total_cmp);
            let ranks: Vec<usize> = (0..sorted.len()).rev().collect();
            let got = order_statistics(&case, &ranks);
            for (&r, x) in ranks.iter().zip(&got) {
                assert_eq!(
                    x.to_bits(),
                    sorted[r].to_bits(),
                    "rank {r} of {}",
                    sorted.len()
                );
            }
        }
        assert!(order_statistics(&[&[]], &[]).is_empty());
    }

    #[test]
    fn wilson_interval_matches_the_textbook_example() {
        // 81 of 263 at 95% (Newcombe 1998, method 3): 0.2553 to 0.3662.
        let p = proportion(81, 263, 0.95);
        assert!((p.estimate - 81.0 / 263.0).abs() < 1e-15);
        assert!((p.wilson_low - 0.2553).abs() < 5e-5, "{}", p.wilson_low);
        assert!((p.wilson_high - 0.3662).abs() < 5e-5, "{}", p.wilson_high);
        assert!((p.mcse - (p.estimate * (1.0 - p.estimate) / 263.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn wilson_interval_stays_inside_zero_one_at_the_edges() {
        let p = proportion(0, 10, 0.95);
        assert_eq!(p.wilson_low, 0.0);
        // Upper bound for 0/n is z²/(n + z²).
        let z2 = 1.959_963_984_540_054_f64.powi(2);
        assert!((p.wilson_high - z2 / (10.0 + z2)).abs() < 1e-12);
    }
}
