//! Tick labels whose decimals follow the tick step, so that a chart whose
//! values run from −0.5 to 2 reads "−0.5, 0.0, 0.5, …", not "-0, 0, 0, 1".

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;

/// Labels asked of plotters on a numeric axis; charts set it explicitly
/// (`x_labels(TICKS)`) so that the step found here is the step drawn.
pub const TICKS: usize = 11;

/// Decimals that show the step between the ticks plotters places on
/// `[lo, hi]` with at most `ticks` labels.
pub fn decimals(lo: f64, hi: f64, ticks: usize) -> usize {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return 0;
    }
    let points = RangedCoordf64::from(lo..hi).key_points(ticks);
    let step = match points[..] {
        [a, b, ..] => (b - a).abs(),
        _ => hi - lo,
    };
    (0..=12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(12)
}

/// A tick at `x` on an axis over `[lo, hi]` with `TICKS` labels: as many
/// decimals as the step needs, never "-0", minus as U+2212.
pub fn label(x: f64, lo: f64, hi: f64) -> String {
    fixed(x, decimals(lo, hi, TICKS))
}

/// `x` with `digits` decimals, never "-0".
pub fn fixed(x: f64, digits: usize) -> String {
    let text = format!("{x:.digits$}");
    if text.chars().all(|c| matches!(c, '0' | '.' | '-')) {
        text.trim_start_matches('-').to_string()
    } else {
        text.replacen('-', "−", 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64) -> Vec<String> {
        RangedCoordf64::from(lo..hi)
            .key_points(TICKS)
            .into_iter()
            .map(|x| label(x, lo, hi))
            .collect()
    }

    /// Distinct and in order: each label parses back to a value above the
    /// one before.
    fn assert_readable(lo: f64, hi: f64) {
        let shown = labels(lo, hi);
        assert!(shown.len() >= 2, "{lo}..{hi}: {shown:?}");
        let values: Vec<f64> = shown
            .iter()
            .map(|s| s.replace('−', "-").parse::<f64>().unwrap())
            .collect();
        assert!(
            values.windows(2).all(|w| w[0] < w[1]),
            "{lo}..{hi}: {shown:?}"
        );
        assert!(!shown.iter().any(|s| s == "-0"
            || s.starts_with("−0") && s.trim_start_matches(['−', '0', '.']).is_empty()));
    }

    #[test]
    fn the_issue_axis_reads_in_halves() {
        assert_eq!(
            labels(-0.6, 2.1),
            ["−0.5", "0.0", "0.5", "1.0", "1.5", "2.0"]
        );
    }

    #[test]
    fn labels_are_distinct_and_ordered_at_every_scale() {
        for (lo, hi) in [
            (0.0, 0.002),
            (-0.004, -0.001),
            (-0.6, 2.1),
            (1.0, 48.0),
            (-16.4, 49.8),
            (-2_600.0, -120.0),
            (12_000.0, 24_500.0),
            (0.98, 1.02),
        ] {
            assert_readable(lo, hi);
        }
    }

    #[test]
    fn fixed_never_shows_minus_zero() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(-1.25, 1), "−1.2");
        assert_eq!(fixed(3.0, 0), "3");
    }
}
