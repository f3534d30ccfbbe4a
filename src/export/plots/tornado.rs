//! Plots as SVG, drawn with plotters. Every plot uses the same option colours.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::path::Path;

use super::super::AtomicFile;
use super::super::legend::{self, Entry};
use super::{Drawn, e, titled};
use crate::error::{Error, Result};
use crate::export::format::short;
use crate::results::{TornadoBar, TornadoResult};

/// Colours for "low end" and "high end" of a range.
pub const LOW: RGBColor = RGBColor(49, 104, 163);
pub const HIGH: RGBColor = RGBColor(230, 131, 38);

fn plot_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::output(path, format!("drawing the plot failed: {e}"))
}

/// A tornado diagram: one bar per parameter from the base case to the outcome
/// at its low (blue) and high (orange) value, a black whisker over the whole
/// grid where the effect turns inside the range, and the base case marked.
pub fn tornado(
    path: &Path,
    t: &TornadoResult,
    outcome_label: &str,
    option_ids: &[String],
) -> Result<()> {
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
pub fn tornado_svg(t: &TornadoResult, outcome_label: &str, option_ids: &[String]) -> Drawn<String> {
    let (t, hidden) = t.visible();
    let t = &t;
    let n = t.bars.len().max(1);
    let height = 120 + 26 * n as u32;
    let unit = crate::export::format::Unit::for_amounts(
        t.bars
            .iter()
            .flat_map(|b| [b.grid_min_gbp, b.grid_max_gbp])
            .chain([t.base_case_gbp, t.threshold_gbp]),
    );
    let m = |x: f64| x / unit.size;
    let threshold = m(t.threshold_gbp);
    let (mut lo, mut hi) = t.bars.iter().fold(
        (
            m(t.base_case_gbp).min(threshold),
            m(t.base_case_gbp).max(threshold),
        ),
        |(lo, hi), b| (lo.min(m(b.grid_min_gbp)), hi.max(m(b.grid_max_gbp))),
    );
    let pad = ((hi - lo) * 0.05).max(0.05);
    lo -= pad;
    hi += pad;
    // The option best at both ends of most bars goes in the legend; a label
    // names the best only where it differs from that one.
    let usual = usual_best(t, option_ids);
    let label = |i: usize| bar_label(&t.bars[i], usual);
    let mut svg = String::new();
    let mut entries = vec![
        Entry::swatch("parameter at its low value", LOW, 0.85),
        Entry::swatch("parameter at its high value", HIGH, 0.85),
        Entry::line(
            if t.threshold_gbp == 0.0 {
                "zero: where the decision changes".to_string()
            } else {
                format!(
                    "the margin, {}: where the decision changes",
                    crate::export::format::money(t.threshold_gbp)
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
            format!(
                "base case: {}",
                crate::export::format::money(t.base_case_gbp)
            ),
            RED,
            2,
        ));
        root.present().map_err(e)?;
    }
    entries.extend(notes(t, usual, &hidden));
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
fn bar_label(b: &TornadoBar, usual: Option<&str>) -> String {
    let ends = match (b.best_at_low.as_str(), b.best_at_high.as_str()) {
        (low, high) if low == high && Some(low) == usual => String::new(),
        (low, high) if low == high => format!("; best: {low}"),
        (low, high) => format!("; best: {low} → {high}"),
    };
    let outside = if b.base_outside() {
        format!("; base {} †", short(b.base_value))
    } else {
        String::new()
    };
    format!(
        "{} ({} to {}{outside}{ends})",
        b.parameter,
        short(b.low_value),
        short(b.high_value),
    )
}

/// The bars, the margin's line, the whiskers where an effect turns and
/// the base case, on amounts in units of `size`; whether any whisker was
/// drawn.
fn draw_bars(chart: &mut Chart, t: &TornadoResult, size: f64, n: usize) -> Drawn<bool> {
    let m = |x: f64| x / size;
    let threshold = m(t.threshold_gbp);
    let row = |i: usize| t.bars.len() - 1 - i;
    let centre = m(t.base_case_gbp);
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
    let ends = |b: &TornadoBar| {
        let (low, high) = (
            (m(b.outcome_at_low_gbp), LOW),
            (m(b.outcome_at_high_gbp), HIGH),
        );
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
    let turning = t.bars.iter().any(|b| b.turns_inside_range);
    chart
        .draw_series(
            t.bars
                .iter()
                .enumerate()
                .filter(|(_, b)| b.turns_inside_range)
                .map(|(i, b)| {
                    PathElement::new(
                        vec![
                            (m(b.grid_min_gbp), SegmentValue::CenterOf(row(i))),
                            (m(b.grid_max_gbp), SegmentValue::CenterOf(row(i))),
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
fn notes(t: &TornadoResult, usual: Option<&str>, hidden: &[String]) -> Vec<Entry> {
    let mut entries = Vec::new();
    if let Some(id) = usual {
        entries.push(Entry::note(format!(
            "Best option at both ends: {id} unless the label says otherwise (the better of the pair where the outcome is a difference).",
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
            crate::results::VISIBLE_SHARE * 100.0,
            hidden.join(", ")
        )));
    }
    entries
}

/// The option best at both ends of the most bars, if any bar has one;
/// of options as often best, the first in `ids`.
fn usual_best<'t>(t: &'t TornadoResult, ids: &[String]) -> Option<&'t str> {
    let order = |id: &str| ids.iter().position(|i| i == id).unwrap_or(ids.len());
    let mut counts: std::collections::BTreeMap<(usize, &str), usize> =
        std::collections::BTreeMap::new();
    for b in t.bars.iter().filter(|b| b.best_at_low == b.best_at_high) {
        let id = b.best_at_low.as_str();
        *counts.entry((order(id), id)).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
        .map(|((_, id), _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(name: &str, low: f64, high: f64) -> TornadoBar {
        TornadoBar {
            parameter: name.into(),
            base_value: 0.5,
            range_source: "2.5th-97.5th percentile".into(),
            low_value: 0.0,
            high_value: 1.0,
            outcome_at_low_gbp: low,
            outcome_at_high_gbp: high,
            grid_min_gbp: low.min(high),
            grid_max_gbp: low.max(high),
            turns_inside_range: false,
            best_at_low: "a".into(),
            best_at_high: "b".into(),
        }
    }

    /// The legend lies wholly below everything drawn for the data, and a
    /// parameter without visible effect is listed there, not drawn.
    #[test]
    fn the_tornado_legend_covers_no_bar_and_lists_the_invisible() {
        let t = TornadoResult {
            outcome: "A less B".into(),
            base_case_gbp: 1e6,
            threshold_gbp: 0.0,
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
