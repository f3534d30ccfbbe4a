//! One-way sensitivity: each parameter from its low to its high value with
//! every other at base, on a grid so that an effect that turns inside the
//! range shows; and the switch points where the preferred option (or the sign
//! of the outcome) changes, found by bracketing and bisection.
//!
//! The centre is the deterministic base case itself, not a median of the
//! one-way results; each bar names the option that is best at each end.

pub use crate::plan::tornado::{ParameterRange, RangeSource};

/// One bar of the tornado.
#[derive(Debug, Clone)]
pub struct Bar {
    pub name: String,
    /// The parameter's base value, which may lie outside [low, high] (a
    /// probability based at 0 whose range is its 2.5th-97.5th percentiles).
    pub base: f64,
    pub low: f64,
    pub high: f64,
    pub source: RangeSource,
    pub outcome_at_low: f64,
    pub outcome_at_high: f64,
    /// Extremes of the outcome over the grid, and where they occur.
    pub grid_min: f64,
    pub grid_max: f64,
    pub value_at_grid_min: f64,
    pub value_at_grid_max: f64,
    /// The outcome rises and falls within the range.
    pub turns: bool,
    /// Index of the best option at each end.
    pub best_at_low: usize,
    pub best_at_high: usize,
}

impl Bar {
    /// Width of the outcome's range over the grid.
    pub fn swing(&self) -> f64 {
        self.grid_max - self.grid_min
    }

    /// The base value lies outside the range, so both ends move the
    /// outcome from the base case the same way (when it is monotone).
    pub fn base_outside(&self) -> bool {
        self.base < self.low.min(self.high) || self.base > self.low.max(self.high)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchKind {
    /// The option with the highest value changes.
    PreferredOption,
    /// The outcome crosses the model's threshold (e.g. one option stops
    /// beating another by the pair's margin; zero: the outcome's sign).
    OutcomeThreshold,
}

impl SwitchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SwitchKind::PreferredOption => "preferred option",
            SwitchKind::OutcomeThreshold => "outcome against the margin",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SwitchPoint {
    pub name: String,
    pub kind: SwitchKind,
    /// The value where the switch happens (midpoint of the final bracket).
    pub value: f64,
    /// Final bisection bracket: the state differs at its two ends.
    pub bracket: (f64, f64),
    /// State just below and just above: the best option's index, or
    /// whether the outcome exceeds the threshold (0: no, 1: yes).
    pub below: usize,
    pub above: usize,
}

#[derive(Debug, Clone)]
pub struct Tornado {
    pub centre: f64,
    /// Where the decision changes: the outcome exceeds this or not.
    pub threshold: f64,
    /// Sorted by swing, widest first.
    pub bars: Vec<Bar>,
    pub switch_points: Vec<SwitchPoint>,
}

/// Index of the highest value; ties go to the first.
pub fn best(values: &[f64]) -> usize {
    (0..values.len()).fold(0, |b, k| if values[k] > values[b] { k } else { b })
}

/// What the analysis needs from the model.
pub trait OneWayModel {
    /// Every option's value (higher is better) at these parameter values.
    fn option_values(&self, values: &[f64]) -> Vec<f64>;
    /// The outcome the tornado shows, from the option values.
    fn outcome(&self, option_values: &[f64]) -> f64;
    /// The outcome's value where the decision changes (a pair's margin).
    fn threshold(&self) -> f64 {
        0.0
    }
    /// The option named best at a bar's end: by default the highest value.
    fn better(&self, option_values: &[f64]) -> usize {
        best(option_values)
    }
}

const BISECTION_STEPS: usize = 200;

/// Runs the one-way analysis over `ranges` with `grid` points per range (≥ 2).
pub fn tornado(
    model: &dyn OneWayModel,
    base: &[f64],
    ranges: &[ParameterRange],
    grid: usize,
) -> Tornado {
    let grid = grid.max(2);
    let centre = model.outcome(&model.option_values(base));
    let threshold = model.threshold();
    let mut bars = Vec::new();
    let mut switch_points = Vec::new();
    let mut values = base.to_vec();
    for range in ranges {
        let at = |x: f64, values: &mut Vec<f64>| {
            values[range.slot] = x;
            let options = model.option_values(values);
            (
                model.outcome(&options),
                best(&options),
                model.better(&options),
            )
        };
        let xs: Vec<f64> = (0..grid)
            .map(|i| {
                if i + 1 == grid {
                    range.high
                } else {
                    range.low + (range.high - range.low) * i as f64 / (grid - 1) as f64
                }
            })
            .collect();
        let points: Vec<(f64, usize, usize)> = xs.iter().map(|&x| at(x, &mut values)).collect();
        let (imin, imax) = points.iter().enumerate().fold((0, 0), |(lo, hi), (i, p)| {
            (
                if p.0 < points[lo].0 { i } else { lo },
                if p.0 > points[hi].0 { i } else { hi },
            )
        });
        let scale = points.iter().map(|p| p.0.abs()).fold(1.0, f64::max) * 1e-12;
        let rises = points.windows(2).any(|w| w[1].0 > w[0].0 + scale);
        let falls = points.windows(2).any(|w| w[1].0 < w[0].0 - scale);
        for (i, w) in points.windows(2).enumerate() {
            let above = |o: f64| usize::from(o > threshold);
            for kind in [SwitchKind::PreferredOption, SwitchKind::OutcomeThreshold] {
                let state = |p: (f64, usize, usize)| match kind {
                    SwitchKind::PreferredOption => p.1,
                    SwitchKind::OutcomeThreshold => above(p.0),
                };
                if state(w[0]) == state(w[1]) {
                    continue;
                }
                let (mut lo, mut hi) = (xs[i], xs[i + 1]);
                let below = state(w[0]);
                for _ in 0..BISECTION_STEPS {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi {
                        break;
                    }
                    if state(at(mid, &mut values)) == below {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                switch_points.push(SwitchPoint {
                    name: range.name.clone(),
                    kind,
                    value: 0.5 * (lo + hi),
                    bracket: (lo, hi),
                    below,
                    above: state(at(hi, &mut values)),
                });
            }
        }
        values[range.slot] = base[range.slot];
        bars.push(Bar {
            name: range.name.clone(),
            base: base[range.slot],
            low: range.low,
            high: range.high,
            source: range.source,
            outcome_at_low: points[0].0,
            outcome_at_high: points[grid - 1].0,
            grid_min: points[imin].0,
            grid_max: points[imax].0,
            value_at_grid_min: xs[imin],
            value_at_grid_max: xs[imax],
            turns: rises && falls,
            best_at_low: points[0].2,
            best_at_high: points[grid - 1].2,
        });
    }
    bars.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then_with(|| a.name.cmp(&b.name))
    });
    Tornado {
        centre,
        threshold,
        bars,
        switch_points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two options valued from two parameters x (slot 0) and y (slot 1):
    /// A = 1 − (x − 0.5)² (turns at x = 0.5), B = y. The outcome is A − B.
    struct Toy;

    impl OneWayModel for Toy {
        fn option_values(&self, v: &[f64]) -> Vec<f64> {
            vec![1.0 - (v[0] - 0.5).powi(2), v[1]]
        }
        fn outcome(&self, o: &[f64]) -> f64 {
            o[0] - o[1]
        }
    }

    fn range(slot: usize, name: &str, low: f64, high: f64) -> ParameterRange {
        ParameterRange {
            slot,
            name: name.into(),
            low,
            high,
            source: RangeSource::Declared,
        }
    }

    #[test]
    fn a_turn_inside_the_range_is_found() {
        // At the ends x = 0 and x = 1 the outcome is the same (0.75 − 0.5);
        // end points alone would show no effect at all.
        let t = tornado(&Toy, &[0.5, 0.5], &[range(0, "x", 0.0, 1.0)], 41);
        let bar = &t.bars[0];
        assert!((bar.outcome_at_low - bar.outcome_at_high).abs() < 1e-12);
        assert!(bar.turns);
        assert!((bar.grid_max - 0.5).abs() < 1e-12);
        assert!((bar.value_at_grid_max - 0.5).abs() < 1e-12);
        assert!((bar.swing() - 0.25).abs() < 1e-12);
        assert!((t.centre - 0.5).abs() < 1e-12);
    }

    #[test]
    fn monotone_effect_does_not_turn_and_bars_sort_by_swing() {
        let t = tornado(
            &Toy,
            &[0.5, 0.5],
            &[range(0, "x", 0.4, 0.6), range(1, "y", 0.0, 1.5)],
            11,
        );
        assert_eq!(t.bars[0].name, "y");
        assert!(!t.bars[0].turns);
        assert!((t.bars[0].outcome_at_low - 1.0).abs() < 1e-12);
        assert!((t.bars[0].outcome_at_high + 0.5).abs() < 1e-12);
        assert_eq!((t.bars[0].best_at_low, t.bars[0].best_at_high), (0, 1));
    }

    #[test]
    fn switch_point_is_where_the_preferred_option_changes() {
        // At x = 0, A = 0.75: B wins for y > 0.75.
        let t = tornado(&Toy, &[0.0, 0.5], &[range(1, "y", 0.0, 1.0)], 5);
        let preferred: Vec<&SwitchPoint> = t
            .switch_points
            .iter()
            .filter(|s| s.kind == SwitchKind::PreferredOption)
            .collect();
        assert_eq!(preferred.len(), 1);
        assert!((preferred[0].value - 0.75).abs() < 1e-12);
        assert_eq!((preferred[0].below, preferred[0].above), (0, 1));
        // The outcome A − B changes sign at the same value.
        let sign: Vec<&SwitchPoint> = t
            .switch_points
            .iter()
            .filter(|s| s.kind == SwitchKind::OutcomeThreshold)
            .collect();
        assert_eq!(sign.len(), 1);
        assert!((sign[0].value - 0.75).abs() < 1e-12);
    }

    #[test]
    fn two_switches_of_a_turning_effect_are_both_found() {
        // B fixed at 0.9: A = 1 − (x − 0.5)² beats it for |x − 0.5| < √0.1.
        let t = tornado(&Toy, &[0.5, 0.9], &[range(0, "x", 0.0, 1.0)], 21);
        let mut values: Vec<f64> = t
            .switch_points
            .iter()
            .filter(|s| s.kind == SwitchKind::PreferredOption)
            .map(|s| s.value)
            .collect();
        values.sort_by(f64::total_cmp);
        let r = 0.1_f64.sqrt();
        assert_eq!(values.len(), 2);
        assert!((values[0] - (0.5 - r)).abs() < 1e-12 && (values[1] - (0.5 + r)).abs() < 1e-12);
    }
}
