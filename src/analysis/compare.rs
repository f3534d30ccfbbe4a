//! One option against another: the paired difference A − B over the draws,
//! the probability that it exceeds a margin, and the verdict that
//! probability supports.
//!
//! Both options share each draw (common random numbers), so the difference
//! is taken draw by draw; its spread, not the overlap of the two options'
//! own distributions, says how sure the comparison is.

use super::stats::{Proportion, mean, proportion, quantiles, sd, wilson};

/// Points on the curve of P(A − B > m) over margins m.
pub const CURVE_POINTS: usize = 101;

/// A verdict band: the verdict for P(A − B > margin) in `[low, high)`
/// (the top band includes 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low: f64,
    pub high: f64,
    /// How the verdict reads, e.g. "Very likely".
    pub label: &'static str,
}

/// The verdict bands, lowest first. They are symmetric: a probability p
/// and 1 − p fall in mirror bands, so swapping A and B mirrors the verdict
/// (p = 0.4 is "Unlikely" as p = 0.6 is "Likely").
pub const BANDS: [Band; 7] = [
    Band {
        low: 0.0,
        high: 0.05,
        label: "Almost certainly not",
    },
    Band {
        low: 0.05,
        high: 0.20,
        label: "Very unlikely",
    },
    Band {
        low: 0.20,
        high: 0.40,
        label: "Unlikely",
    },
    Band {
        low: 0.40,
        high: 0.60,
        label: "Too close to call",
    },
    Band {
        low: 0.60,
        high: 0.80,
        label: "Likely",
    },
    Band {
        low: 0.80,
        high: 0.95,
        label: "Very likely",
    },
    Band {
        low: 0.95,
        high: 1.0,
        label: "Almost certainly",
    },
];

/// The band of probability `p`. Edges below one half belong to the band
/// beneath them and edges above to the band above, so that p and 1 − p
/// always mirror each other; one half itself is too close to call.
pub fn band(p: f64) -> Band {
    let index = if p >= 0.5 {
        BANDS.iter().rposition(|b| p >= b.low).unwrap_or(3)
    } else {
        BANDS.iter().position(|b| p <= b.high).unwrap_or(3)
    };
    BANDS[index]
}

/// What the draws let one say of a probability: its band when the whole
/// Wilson interval lies in that band, else the bands the interval spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// "Very likely", or "Not settled: “Very likely” to “Almost certainly”".
    pub label: String,
    /// The interval lies in one band.
    pub settled: bool,
    /// Where not settled: the draws at which the interval would lie in the
    /// estimate's band, were the estimate to stay as it is; none when no
    /// run could (an estimate on a band's edge) or it would take more than
    /// `MOST_DRAWS_ADVISED`.
    pub draws_to_settle: Option<u64>,
}

/// Beyond this, "how many draws would settle it" has no useful answer.
pub const MOST_DRAWS_ADVISED: u64 = 1_000_000_000;

/// The verdict on `p`, a share of `n` draws with its Wilson interval at
/// `level`: never a band the interval does not lie in.
pub fn verdict(p: &Proportion, n: u64, level: f64) -> Verdict {
    let (low, high) = (band(p.wilson_low), band(p.wilson_high));
    if low == high {
        return Verdict {
            label: low.label.into(),
            settled: true,
            draws_to_settle: None,
        };
    }
    Verdict {
        label: format!("Not settled: “{}” to “{}”", low.label, high.label),
        settled: false,
        draws_to_settle: draws_to_settle(p.estimate, n, level),
    }
}

/// The fewest draws, above `n`, at which an estimate of `p` would have its
/// Wilson interval inside `p`'s band.
fn draws_to_settle(p: f64, n: u64, level: f64) -> Option<u64> {
    let home = band(p);
    let settles = |m: u64| {
        let (lo, hi) = wilson(p, m as f64, level);
        band(lo) == home && band(hi) == home
    };
    let mut high = n.max(1) * 2;
    while !settles(high) {
        if high >= MOST_DRAWS_ADVISED {
            return None;
        }
        high = (high * 2).min(MOST_DRAWS_ADVISED);
    }
    let mut low = n.max(1);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if settles(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

/// One ordered pair of options compared over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub margin: f64,
    /// P(A − B > margin), by share of draws.
    pub p_beats: Proportion,
    pub verdict: Verdict,
    pub mean_difference: f64,
    /// Monte Carlo standard error of the mean difference: sd / √n.
    pub mean_difference_mcse: f64,
    pub p2_5: f64,
    pub median: f64,
    pub p97_5: f64,
    /// (m, P(A − B > m)), m ascending; holds 0 and the margin.
    pub curve: Vec<(f64, f64)>,
}

/// Compares option values `a` and `b` (paired by draw) at `margin`.
pub fn compare(a: &[f64], b: &[f64], margin: f64, level: f64) -> Comparison {
    let difference: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = difference.len();
    let q = quantiles(&difference, &[0.005, 0.025, 0.5, 0.975, 0.995]);
    let margins = curve_margins(q[0], q[4], margin);
    let exceed = count_above(&difference, &margins);
    let wins = difference.iter().filter(|&&d| d > margin).count() as u64;
    let spread = if n > 1 { sd(&difference) } else { 0.0 };
    let p_beats = proportion(wins, n as u64, level);
    Comparison {
        margin,
        verdict: verdict(&p_beats, n as u64, level),
        p_beats,
        mean_difference: mean(&difference),
        mean_difference_mcse: spread / (n as f64).sqrt(),
        p2_5: q[1],
        median: q[2],
        p97_5: q[3],
        curve: margins
            .into_iter()
            .zip(exceed)
            .map(|(m, count)| (m, count as f64 / n as f64))
            .collect(),
    }
}

/// Evenly spaced margins across `[low, high]`, widened to hold 0 and the
/// margin, with those two exactly among them.
fn curve_margins(low: f64, high: f64, margin: f64) -> Vec<f64> {
    let low = low.min(0.0).min(margin);
    let high = high.max(0.0).max(margin);
    let mut margins: Vec<f64> = if high > low {
        (0..CURVE_POINTS)
            .map(|i| low + (high - low) * i as f64 / (CURVE_POINTS - 1) as f64)
            .collect()
    } else {
        vec![low]
    };
    margins.extend([0.0, margin]);
    margins.sort_by(f64::total_cmp);
    margins.dedup();
    margins
}

/// For each of the ascending `thresholds`, how many values exceed it: one
/// binary search per value rather than a pass per threshold.
fn count_above(values: &[f64], thresholds: &[f64]) -> Vec<u64> {
    // below[j]: values exceeding thresholds[..j] but not thresholds[j].
    let mut below = vec![0u64; thresholds.len() + 1];
    for &v in values {
        below[thresholds.partition_point(|&t| t < v)] += 1;
    }
    let mut out = vec![0u64; thresholds.len()];
    let mut above = 0;
    for j in (0..thresholds.len()).rev() {
        above += below[j + 1];
        out[j] = above;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_the_unit_interval_in_order() {
        assert_eq!(BANDS[0].low, 0.0);
        assert_eq!(BANDS[BANDS.len() - 1].high, 1.0);
        for pair in BANDS.windows(2) {
            assert_eq!(pair[0].high, pair[1].low);
        }
    }

    #[test]
    fn verdict_follows_the_probability_at_every_edge() {
        let cases = [
            (0.0, "Almost certainly not"),
            (0.05, "Almost certainly not"),
            (0.050001, "Very unlikely"),
            (0.20, "Very unlikely"),
            (0.200001, "Unlikely"),
            (0.40, "Unlikely"),
            (0.400001, "Too close to call"),
            (0.5, "Too close to call"),
            (0.561, "Too close to call"),
            (0.599999, "Too close to call"),
            (0.60, "Likely"),
            (0.799999, "Likely"),
            (0.80, "Very likely"),
            (0.949999, "Very likely"),
            (0.95, "Almost certainly"),
            (1.0, "Almost certainly"),
        ];
        for (p, label) in cases {
            assert_eq!(band(p).label, label, "p = {p}");
        }
    }

    #[test]
    fn verdicts_mirror_when_the_pair_is_swapped() {
        let mirror = |label: &'static str| match label {
            "Almost certainly not" => "Almost certainly",
            "Very unlikely" => "Very likely",
            "Unlikely" => "Likely",
            "Likely" => "Unlikely",
            "Very likely" => "Very unlikely",
            "Almost certainly" => "Almost certainly not",
            other => other,
        };
        // p and 1 − p as the nearest doubles to i/1000 and (1000 − i)/1000:
        // computing 1.0 − p would carry p's rounding error across an edge.
        for i in 0..=1000 {
            let (p, q) = (i as f64 / 1000.0, (1000 - i) as f64 / 1000.0);
            assert_eq!(band(q).label, mirror(band(p).label), "p = {p}");
        }
    }

    /// The cases: 20 of 20 draws is not "almost certainly" (Wilson
    /// 0.839 to 1); nor is 1 of 1; 9,200 of 10,000 is "very likely".
    #[test]
    fn a_verdict_never_claims_a_band_its_interval_leaves() {
        for (wins, n, settled) in [
            (1, 1, false),
            (0, 1, false),
            (20, 20, false),
            (0, 20, false),
            (184, 200, false),
            (9_200, 10_000, true),
            (10_000, 10_000, true),
            (0, 10_000, true),
        ] {
            let p = proportion(wins, n, 0.95);
            let v = verdict(&p, n, 0.95);
            assert_eq!(v.settled, settled, "{wins} of {n}: {}", v.label);
            // Whatever the label, the bands it names hold both ends.
            for end in [p.wilson_low, p.wilson_high] {
                assert!(v.label.contains(band(end).label), "{wins}/{n}: {}", v.label);
            }
        }
        let v = verdict(&proportion(20, 20, 0.95), 20, 0.95);
        assert_eq!(v.label, "Not settled: “Very likely” to “Almost certainly”");
        // All of n draws: the Wilson lower end is n/(n + z²), at least 0.95
        // from n = 19 z² = 72.99 on: 73 draws.
        assert_eq!(v.draws_to_settle, Some(73));
        let one = verdict(&proportion(1, 1, 0.95), 1, 0.95);
        assert!(
            one.label.starts_with("Not settled: “Unlikely”"),
            "{}",
            one.label
        );
    }

    #[test]
    fn draws_to_settle_are_the_fewest_that_do() {
        // 0.5 at 20 draws: the interval must fit in 0.4 to 0.6.
        let p = proportion(10, 20, 0.95);
        let n = verdict(&p, 20, 0.95).draws_to_settle.unwrap();
        let fits = |m: u64| {
            let (lo, hi) = wilson(0.5, m as f64, 0.95);
            lo > 0.4 && hi < 0.6
        };
        assert!(fits(n) && !fits(n - 1), "{n}");
        // Near z²·p(1 − p)/d² = 3.8415 × 0.25 / 0.01 ≈ 96.
        assert!((90..=100).contains(&n), "{n}");
        // An estimate on an edge never settles.
        let edge = proportion(19, 20, 0.95);
        assert_eq!(verdict(&edge, 20, 0.95).draws_to_settle, None);
    }

    /// A hand-worked case: differences 1..=10, margin 3.
    #[test]
    fn comparison_of_a_hand_worked_pair() {
        let a: Vec<f64> = (1..=10).map(|i| i as f64 + 100.0).collect();
        let b = vec![100.0; 10];
        let c = compare(&a, &b, 3.0, 0.95);
        assert_eq!(c.p_beats.estimate, 0.7);
        assert_eq!(c.mean_difference, 5.5);
        // sd of 1..=10 is √(55/6).
        assert!((c.mean_difference_mcse - (55.0f64 / 6.0).sqrt() / 10f64.sqrt()).abs() < 1e-12);
        // Type 7 median of 1..=10.
        assert_eq!(c.median, 5.5);
        let at = |m: f64| c.curve.iter().find(|p| p.0 == m).unwrap().1;
        assert_eq!(at(0.0), 1.0);
        assert_eq!(at(3.0), 0.7);
    }

    #[test]
    fn the_curve_counts_as_a_direct_count_does_and_never_rises() {
        let a: Vec<f64> = (0..997)
            .map(|i| ((i * 7919) % 1000) as f64 - 300.0)
            .collect();
        let b: Vec<f64> = (0..997).map(|i| ((i * 104_729) % 500) as f64).collect();
        let c = compare(&a, &b, 25.0, 0.95);
        for &(m, p) in &c.curve {
            let direct = a.iter().zip(&b).filter(|(x, y)| *x - *y > m).count();
            assert_eq!(p, direct as f64 / 997.0, "m = {m}");
        }
        assert!(
            c.curve
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 >= w[1].1)
        );
        assert!(c.curve.iter().any(|p| p.0 == 0.0));
        assert!(c.curve.iter().any(|p| p.0 == 25.0));
    }

    #[test]
    fn a_constant_difference_gives_a_one_point_curve_that_holds_zero() {
        let c = compare(&[0.0; 5], &[0.0; 5], 0.0, 0.95);
        assert_eq!(c.curve, vec![(0.0, 0.0)]);
        assert_eq!(c.mean_difference_mcse, 0.0);
    }
}
