//! Descriptive statistics with their Monte Carlo error.

use statrs::distribution::{ContinuousCDF, Normal};

/// Mean, spread and percentiles of one quantity over the draws.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Describe {
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator).
    pub sd: f64,
    /// Monte Carlo standard error of the mean: sd / √n.
    pub mcse_mean: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
}

pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample standard deviation, by the two-pass formula for accuracy.
pub fn sd(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
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

/// The p-quantiles (type 7) of unsorted data at each of `ps`, which must be
/// ascending, by selection: linear time. The middle one is selected first,
/// and each side's within the part of the data that selection left on that
/// side: for the median and the 2.5% and 97.5% points, one selection over
/// all the draws and one over each half, rather than three over all of
/// them. `scratch` is reordered.
pub fn quantiles_select(scratch: &mut [f64], ps: &[f64]) -> Vec<f64> {
    assert!(
        ps.is_sorted_by(|a, b| a <= b),
        "quantiles_select takes ascending probabilities"
    );
    let mut out = vec![0.0; ps.len()];
    if !scratch.is_empty() {
        let n = scratch.len();
        select_within(scratch, 0..n, None, ps, &mut out);
    }
    out
}

/// `range` holds the order statistics at its positions; `beyond` is the one
/// just after it, if any.
fn select_within(
    scratch: &mut [f64],
    range: std::ops::Range<usize>,
    beyond: Option<f64>,
    ps: &[f64],
    out: &mut [f64],
) {
    if ps.is_empty() {
        return;
    }
    let m = ps.len() / 2;
    let h = (scratch.len() - 1) as f64 * ps[m];
    let lo = h.floor() as usize;
    let (_, &mut at, above) =
        scratch[range.clone()].select_nth_unstable_by(lo - range.start, f64::total_cmp);
    let next = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .or(beyond)
        .unwrap_or(at);
    out[m] = at + (h - lo as f64) * (next - at);
    // Both parts keep the selected position, where a neighbouring p may fall.
    let (below_ps, above_ps) = ps.split_at(m);
    let (below_out, above_out) = out.split_at_mut(m);
    select_within(
        scratch,
        range.start..lo + 1,
        Some(next),
        below_ps,
        below_out,
    );
    select_within(
        scratch,
        lo..range.end,
        beyond,
        &above_ps[1..],
        &mut above_out[1..],
    );
}

pub fn describe(xs: &[f64]) -> Describe {
    let mut scratch = xs.to_vec();
    let s = sd(xs);
    let [p2_5, median, p97_5] = quantiles_select(&mut scratch, &[0.025, 0.5, 0.975])[..] else {
        unreachable!("three probabilities give three quantiles")
    };
    Describe {
        mean: mean(xs),
        sd: s,
        mcse_mean: s / (xs.len() as f64).sqrt(),
        median,
        p2_5,
        p97_5,
    }
}

/// A proportion over the draws, with its Monte Carlo error and a Wilson
/// score interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Proportion {
    pub estimate: f64,
    /// √(p(1 − p)/n).
    pub mcse: f64,
    pub wilson_low: f64,
    pub wilson_high: f64,
}

/// `successes` out of `n`, with a Wilson interval at `level` (e.g. 0.95).
pub fn proportion(successes: u64, n: u64, level: f64) -> Proportion {
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = z / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Proportion {
        estimate: p,
        mcse: (p * (1.0 - p) / nf).sqrt(),
        // At 0 or n successes the bound is exactly 0 or 1; rounding would
        // leave a few ulps.
        wilson_low: if successes == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        wilson_high: if successes == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    }
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
            let mut scratch = xs.clone();
            assert_eq!(
                quantiles_select(&mut scratch, &[p]),
                [quantile_sorted(&sorted, p)]
            );
        }
    }

    #[test]
    fn quantiles_selected_together_equal_sorted_quantiles() {
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
            for ps in sets {
                let mut scratch = xs.clone();
                let got = quantiles_select(&mut scratch, ps);
                let want: Vec<f64> = ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect();
                assert_eq!(got, want, "n = {n}, ps = {ps:?}");
            }
        }
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
