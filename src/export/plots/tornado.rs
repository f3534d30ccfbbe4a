//! Plots as SVG, drawn with plotters. Every plot uses the same option colours.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::path::Path;

use super::super::AtomicFile;
use super::super::legend::{self, Entry};
use super::{Drawn, e, titled};
use crate::analysis::tornado::Tornado;
use crate::error::{Error, Result};
use crate::export::format::short;

/// Colours for "low end" and "high end" of a range.
pub const LOW: RGBColor = RGBColor(49, 104, 163);
pub const HIGH: RGBColor = RGBColor(230, 131, 38);

fn plot_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::output(path, format!("drawing the plot failed: {e}"))
}

/// A tornado diagram: one bar per parameter from the base case to the outcome
/// at its low (blue) and high (orange) value, a black whisker over the whole
/// grid where the effect turns inside the range, and the base case marked.
pub fn tornado(path: &Path, t: &Tornado, outcome_label: &str, option_ids: &[String]) -> Result<()> {
    let svg = tornado_svg(t, outcome_label, option_ids).map_err(|e| plot_error(path, e))?;
    let svg = titled(
        &svg,
        &format!(
            "Tornado: {outcome_label} as each parameter moves from its low to its high value, all others at base"
        ),
    );
    let mut file = AtomicFile::create(path)?;
    file.write_all(svg.as_bytes())?;
    file.commit()
}

/// The tornado diagram as SVG text.
pub fn tornado_svg(t: &Tornado, outcome_label: &str, option_ids: &[String]) -> Drawn<String> {
    let (t, hidden) = t.visible();
    let t = &t;
    let n = t.bars.len().max(1);
    let height = 120 + 26 * n as u32;
    let unit = crate::export::format::Unit::for_amounts(
        t.bars
            .iter()
            .flat_map(|b| [b.grid_min, b.grid_max])
            .chain([t.centre, t.threshold]),
    );
    let m = |x: f64| x / unit.size;
    let threshold = m(t.threshold);
    let (mut lo, mut hi) = t.bars.iter().fold(
        (m(t.centre).min(threshold), m(t.centre).max(threshold)),
        |(lo, hi), b| (lo.min(m(b.grid_min)), hi.max(m(b.grid_max))),
    );
    let pad = ((hi - lo) * 0.05).max(0.05);
    lo -= pad;
    hi += pad;
    // The option best at both ends of most bars goes in the legend; a label
    // names the best only where it differs from that one.
    let usual = usual_best(t);
    let label = |i: usize| bar_label(&t.bars[i], usual, option_ids);
    let mut svg = String::new();
    let mut entries = vec![
        Entry::swatch("parameter at its low value", LOW, 0.85),
        Entry::swatch("parameter at its high value", HIGH, 0.85),
        Entry::line(
            if t.threshold == 0.0 {
                "zero: where the decision changes".to_string()
            } else {
                format!(
                    "the margin, {}: where the decision changes",
                    crate::export::format::money(t.threshold)
                )
            },
            RGBColor(77, 77, 77),
            1,
        ),
    ];
    // Room for the longest label at 14 px (about 6.9 px a character), and
    // at least 600 px for the bars.
    let longest = (0..t.bars.len())
        .map(|i| label(i).chars().count())
        .max()
        .unwrap_or(0);
    let label_area = (longest as f64 * 6.9 + 24.0).max(200.0) as u32;
    let width = (label_area + 630).max(1100);
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Tornado: {outcome_label}"), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(label_area)
            .build_cartesian_2d(lo..hi, (0..n).into_segmented())
            .map_err(e)?;
        chart
            .configure_mesh()
            .max_light_lines(4)
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < t.bars.len() => label(t.bars.len() - 1 - i),
                _ => String::new(),
            })
            .x_desc(format!("{outcome_label}, {}", unit.name))
            .x_labels(super::axis::TICKS)
            .x_label_formatter(&|x| super::axis::label(*x, lo, hi))
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(e)?;
        if draw_bars(&mut chart, t, unit.size, n)? {
            entries.push(Entry::line(
                "range over the grid (effect turns inside the range)",
                BLACK,
                2,
            ));
        }
        entries.push(Entry::line(
            format!("base case: {}", crate::export::format::money(t.centre)),
            RED,
            2,
        ));
        root.present().map_err(e)?;
    }
    entries.extend(notes(t, usual, &hidden, option_ids));
    Ok(legend::below(svg, &entries))
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize>,
    >,
>;

/// A bar's label: the parameter, its range, and the best option at its
/// ends where that is not the `usual` one.
fn bar_label(b: &crate::analysis::tornado::Bar, usual: Option<usize>, ids: &[String]) -> String {
    let best = |k: usize| ids.get(k).map(String::as_str).unwrap_or("?");
    let ends = match (b.best_at_low, b.best_at_high) {
        (low, high) if low == high && Some(low) == usual => String::new(),
        (low, high) if low == high => format!("; best: {}", best(low)),
        (low, high) => format!("; best: {} → {}", best(low), best(high)),
    };
    let outside = if b.base_outside() {
        format!("; base {} †", short(b.base))
    } else {
        String::new()
    };
    format!(
        "{} ({} to {}{outside}{ends})",
        b.name,
        short(b.low),
        short(b.high),
    )
}

/// The bars, the margin's line, the whiskers where an effect turns and
/// the base case, on amounts in units of `size`; whether any whisker was
/// drawn.
fn draw_bars(chart: &mut Chart, t: &Tornado, size: f64, n: usize) -> Drawn<bool> {
    let m = |x: f64| x / size;
    let threshold = m(t.threshold);
    let row = |i: usize| t.bars.len() - 1 - i;
    let centre = m(t.centre);
    let bar = |i: usize, to: f64, colour: RGBColor| {
        let mut r = Rectangle::new(
            [
                (centre.min(to), SegmentValue::Exact(row(i))),
                (centre.max(to), SegmentValue::Exact(row(i) + 1)),
            ],
            colour.mix(0.85).filled(),
        );
        r.set_margin(4, 4, 0, 0);
        r
    };
    // The end farther from the base case first, so that where both
    // ends lie on one side (a base value outside the range) the nearer
    // end's bar is drawn over the farther's and both show.
    let ends = |b: &crate::analysis::tornado::Bar| {
        let (low, high) = ((m(b.outcome_at_low), LOW), (m(b.outcome_at_high), HIGH));
        if (low.0 - centre).abs() >= (high.0 - centre).abs() {
            [low, high]
        } else {
            [high, low]
        }
    };
    for k in 0..2 {
        chart
            .draw_series(t.bars.iter().enumerate().map(|(i, b)| {
                let (to, colour) = ends(b)[k];
                bar(i, to, colour)
            }))
            .map_err(e)?;
    }
    // Where the outcome, a difference between options or an option
    // against the comparator, changes the decision: the pair's margin.
    let line = BLACK.mix(0.7).stroke_width(1);
    chart
        .draw_series((0..n).map(|k| {
            PathElement::new(
                vec![
                    (threshold, SegmentValue::Exact(k)),
                    (threshold, SegmentValue::Exact(k + 1)),
                ],
                line,
            )
        }))
        .map_err(e)?;
    let turning = t.bars.iter().any(|b| b.turns);
    chart
        .draw_series(
            t.bars
                .iter()
                .enumerate()
                .filter(|(_, b)| b.turns)
                .map(|(i, b)| {
                    PathElement::new(
                        vec![
                            (m(b.grid_min), SegmentValue::CenterOf(row(i))),
                            (m(b.grid_max), SegmentValue::CenterOf(row(i))),
                        ],
                        BLACK.stroke_width(2),
                    )
                }),
        )
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![
                (centre, SegmentValue::Exact(0)),
                (centre, SegmentValue::Exact(n)),
            ],
            RED.stroke_width(2),
        )))
        .map_err(e)?;
    Ok(turning)
}

/// The legend's notes: the usual best option, bases outside their
/// range, and the parameters too weak to draw.
fn notes(t: &Tornado, usual: Option<usize>, hidden: &[String], ids: &[String]) -> Vec<Entry> {
    let best = |k: usize| ids.get(k).map(String::as_str).unwrap_or("?");
    let mut entries = Vec::new();
    if let Some(k) = usual {
        entries.push(Entry::note(format!(
            "Best option at both ends: {} unless the label says otherwise (the better of the pair where the outcome is a difference).",
            best(k)
        )));
    }
    if t.bars.iter().any(|b| b.base_outside()) {
        entries.push(Entry::note(
            "† base value outside its range: both ends move the outcome the same way from the base case; the nearer end's bar lies over the farther's.",
        ));
    }
    if !hidden.is_empty() {
        entries.push(Entry::note(format!(
            "No visible effect (swing under {}% of the widest): {}",
            crate::analysis::tornado::VISIBLE_SHARE * 100.0,
            hidden.join(", ")
        )));
    }
    entries
}

/// The option best at both ends of the most bars, if any bar has one.
fn usual_best(t: &Tornado) -> Option<usize> {
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for b in t.bars.iter().filter(|b| b.best_at_low == b.best_at_high) {
        *counts.entry(b.best_at_low).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(name: &str, low: f64, high: f64) -> crate::analysis::tornado::Bar {
        crate::analysis::tornado::Bar {
            name: name.into(),
            base: 0.5,
            low: 0.0,
            high: 1.0,
            source: crate::analysis::tornado::RangeSource::Percentiles,
            outcome_at_low: low,
            outcome_at_high: high,
            grid_min: low.min(high),
            grid_max: low.max(high),
            value_at_grid_min: 0.0,
            value_at_grid_max: 1.0,
            turns: false,
            best_at_low: 0,
            best_at_high: 1,
        }
    }

    /// The legend lies wholly below everything drawn for the data, and a
    /// parameter without visible effect is listed there, not drawn.
    #[test]
    fn the_tornado_legend_covers_no_bar_and_lists_the_invisible() {
        let t = Tornado {
            centre: 1e6,
            threshold: 0.0,
            bars: vec![
                bar("wide", -3e6, 4e6),
                bar("narrow", 0.5e6, 1.5e6),
                bar("flat", 1e6, 1e6 + 1.0),
            ],
            switch_points: vec![],
        };
        let svg = tornado_svg(&t, "A less B", &["a".into(), "b".into()]).unwrap();
        let (top, _) = legend::geometry::legend_rows(&svg).expect("a legend");
        assert!(legend::geometry::lowest_mark(&svg) <= top);
        assert!(svg.contains("No visible effect"));
        assert!(svg.contains("flat") && !svg.contains("flat (0 to 1"));
        assert!(svg.contains("narrow (0 to 1"));
    }
}
