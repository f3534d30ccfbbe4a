//! The report's plots as SVG text, drawn with plotters. Each option keeps one
//! colour in every plot (Okabe-Ito, readable by colour-blind readers and in
//! print).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Entry};
use crate::analysis::stats::order_statistics;

type Drawn<T> = std::result::Result<T, String>;

fn e<E: std::fmt::Display>(err: E) -> String {
    err.to_string()
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(153, 153, 153),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// The colour of option k.
pub fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

pub fn colour_hex(k: usize) -> String {
    let RGBColor(r, g, b) = colour(k);
    format!("#{r:02x}{g:02x}{b:02x}")
}

const FONT: &str = "sans-serif";

/// Overlaid histograms of each option's PV (£m): the share of draws per bin.
/// Options that never vary (the comparator) are marked by a vertical line.
pub fn distributions(ids: &[String], values: &[Vec<f64>], axis: &str) -> Drawn<String> {
    let bins = 60;
    // The axis spans the 0.2nd to 99.8th percentile of every option's draws
    // pooled: two order statistics, selected where the draws lie rather
    // than from a sorted (or even a pooled) copy of them.
    let pooled: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
    let n: usize = values.iter().map(Vec::len).sum();
    let at = |p: f64| ((n - 1) as f64 * p) as usize;
    let [lo, hi] = order_statistics(&pooled, &[at(0.002), at(0.998)])[..] else {
        unreachable!("two ranks give two values")
    };
    let (lo, hi) = (lo / 1e6, hi / 1e6);
    // Runs refuse implausible option values, so this is for a summary read
    // back from elsewhere: nothing is drawn rather than an axis without end.
    if !(lo.is_finite() && hi.is_finite()) {
        return Ok(String::new());
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let width = (hi - lo) / bins as f64;
    let histograms: Vec<Vec<f64>> = values
        .iter()
        .map(|v| {
            let mut counts = vec![0.0; bins];
            for x in v {
                let b = ((x / 1e6 - lo) / width).floor();
                if b >= 0.0 && (b as usize) < bins {
                    counts[b as usize] += 1.0 / v.len() as f64;
                }
            }
            counts
        })
        .collect();
    let varies = |k: usize| values[k].iter().any(|v| *v != values[k][0]);
    let top = histograms
        .iter()
        .enumerate()
        .filter(|(k, _)| varies(*k))
        .flat_map(|(_, h)| h.iter().copied())
        .fold(0.0, f64::max)
        * 1.1;
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..top.max(1e-9))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(axis)
            .y_desc("share of draws per bin")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.3}"))
            .draw()
            .map_err(e)?;
        for (k, (id, counts)) in ids.iter().zip(&histograms).enumerate() {
            let constant = !varies(k);
            let style = colour(k).stroke_width(2);
            if constant {
                let x = values[k][0] / 1e6;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, 0.0), (x, top)],
                        style,
                    )))
                    .map_err(e)?;
                entries.push(Entry::line(
                    format!("{id} (the same in every draw)"),
                    colour(k),
                    2,
                ));
                continue;
            }
            let mut points = vec![(lo, 0.0)];
            for (b, c) in counts.iter().enumerate() {
                let x0 = lo + b as f64 * width;
                points.push((x0, *c));
                points.push((x0 + width, *c));
            }
            points.push((hi, 0.0));
            chart
                .draw_series(std::iter::once(PathElement::new(points, style)))
                .map_err(e)?;
            entries.push(Entry::line(id.as_str(), colour(k), 2));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// Rankogram: for each option a bar of its rank probabilities stacked from
/// rank 1 (the best, darkest) to the last, so each bar sums to one. Ranks
/// are categories, not a continuous axis, so they are not joined by lines.
pub fn rankogram(ids: &[String], p_rank: &[Vec<f64>]) -> Drawn<String> {
    const LEFT: f64 = 130.0;
    const TOP: f64 = 20.0;
    const WIDTH: f64 = 560.0;
    const ROW: f64 = 34.0;
    let n = ids.len();
    let height = TOP + ROW * n as f64 + 70.0;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    // Rank r's shade: from navy for the best to near-white for the worst,
    // evenly spaced so that neighbouring ranks stay distinct.
    let shade = |r: usize| {
        let f = if n > 1 {
            r as f64 / (n - 1) as f64
        } else {
            0.0
        };
        let mix = |dark: f64, pale: f64| (dark + (pale - dark) * f).round() as u8;
        format!(
            "#{:02x}{:02x}{:02x}",
            mix(8.0, 235.0),
            mix(48.0, 243.0),
            mix(107.0, 251.0)
        )
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\">\
         <title>Rank probabilities: for each option, the share of draws in which it ranks 1 (best) to {n}, stacked</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        w = LEFT + WIDTH + 30.0
    );
    for (k, id) in ids.iter().enumerate() {
        let y = TOP + ROW * k as f64;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"end\">{}</text>",
            LEFT - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(id)
        ));
        let mut x = LEFT;
        for (r, p) in p_rank.get(k).into_iter().flatten().enumerate() {
            let width = p.clamp(0.0, 1.0) * WIDTH;
            svg.push_str(&format!(
                "<rect x=\"{x:.2}\" y=\"{:.1}\" width=\"{width:.2}\" height=\"{:.1}\" fill=\"{}\"><title>{} rank {}: {:.3}</title></rect>",
                y + 4.0,
                ROW - 8.0,
                shade(r),
                escape(id),
                r + 1,
                p
            ));
            if width > 28.0 {
                svg.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\" fill=\"{}\">{:.2}</text>",
                    x + width / 2.0,
                    y + ROW / 2.0 + 4.0,
                    if r * 2 < n { "white" } else { "black" },
                    p
                ));
            }
            x += width;
        }
    }
    // Key below the bars.
    let ky = TOP + ROW * n as f64 + 20.0;
    for r in 0..n {
        let kx = LEFT + r as f64 * 80.0;
        svg.push_str(&format!(
            "<rect x=\"{kx:.1}\" y=\"{ky:.1}\" width=\"16\" height=\"16\" fill=\"{}\" stroke=\"#999\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">rank {}</text>",
            shade(r),
            kx + 20.0,
            ky + 13.0,
            r + 1
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{LEFT:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">share of draws (each bar sums to 1; rank 1 is the best)</text></svg>",
        ky + 40.0
    ));
    Ok(svg)
}

/// Heat map of P(row beats column), each cell labelled with its value.
pub fn pairwise(ids: &[String], matrix: &[Vec<f64>]) -> Drawn<String> {
    // White at 0 to dark blue at 1.
    let shade = |p: f64| {
        let t = p.clamp(0.0, 1.0);
        RGBColor(
            (255.0 - 255.0 * t) as u8,
            (255.0 - 141.0 * t) as u8,
            (255.0 - 77.0 * t) as u8,
        )
    };
    let n = ids.len();
    let cell = 90;
    let left = 120;
    let top = 40;
    let size = ((left + cell * n + 20) as u32, (top + cell * n + 80) as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let font = TextStyle::from((FONT, 13).into_font());
        for (j, id) in ids.iter().enumerate() {
            let x = left + cell * j + cell / 2;
            root.draw(&Text::new(
                id.clone(),
                (x as i32, 12),
                font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(e)?;
        }
        for (i, row) in matrix.iter().enumerate() {
            let y = top + cell * i;
            root.draw(&Text::new(
                ids[i].clone(),
                ((left - 8) as i32, (y + cell / 2) as i32),
                font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(e)?;
            for (j, p) in row.iter().enumerate() {
                let x = left + cell * j;
                // White at 0 to dark blue at 1; the diagonal is grey.
                let fill = if i == j {
                    RGBColor(230, 230, 230)
                } else {
                    shade(*p)
                };
                root.draw(&Rectangle::new(
                    [
                        (x as i32, y as i32),
                        ((x + cell - 2) as i32, (y + cell - 2) as i32),
                    ],
                    fill.filled(),
                ))
                .map_err(e)?;
                let text = if i == j {
                    "–".to_string()
                } else {
                    format!("{p:.3}")
                };
                let ink = if i != j && *p > 0.55 { WHITE } else { BLACK };
                root.draw(&Text::new(
                    text,
                    ((x + cell / 2) as i32, (y + cell / 2) as i32),
                    font.clone()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(e)?;
            }
        }
        root.draw(&Text::new(
            "row option beats column option in this share of draws (PV)",
            (left as i32, (top + cell * n + 12) as i32),
            font.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(e)?;
        // Colour key: eleven steps from 0 to 1.
        let key_y = (top + cell * n + 36) as i32;
        for step in 0..=10 {
            let x = left as i32 + step * 22;
            root.draw(&Rectangle::new(
                [(x, key_y), (x + 22, key_y + 14)],
                shade(step as f64 / 10.0).filled(),
            ))
            .map_err(e)?;
        }
        root.draw(&Rectangle::new(
            [(left as i32, key_y), (left as i32 + 242, key_y + 14)],
            RGBColor(150, 150, 150),
        ))
        .map_err(e)?;
        for (label, at) in [("0", 0), ("0.5", 121), ("1", 242)] {
            root.draw(&Text::new(
                label,
                (left as i32 + at, key_y + 18),
                font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(e)?;
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}

/// A running estimate against the number of draws, with its 95% Monte Carlo
/// band (a Wilson interval for a probability, so it stays within [0, 1];
/// estimate ± 1.96 MCSE for a mean), one line per series.
pub struct Trace {
    pub label: String,
    pub colour: usize,
    /// (x, estimate, band's low end, band's high end)
    pub points: Vec<(f64, f64, f64, f64)>,
}

impl Trace {
    /// A point whose band is the estimate ± 1.96 standard errors.
    pub fn normal_band(x: f64, estimate: f64, se: f64) -> (f64, f64, f64, f64) {
        (x, estimate, estimate - 1.96 * se, estimate + 1.96 * se)
    }
}

pub fn convergence(traces: &[Trace], y_desc: &str, scale: f64) -> Drawn<String> {
    log_traces(traces, "number of draws (log scale)", y_desc, scale)
}

/// Lines against a log-scaled x axis, each with its ±1.96 standard error
/// band: convergence traces, and the EVSI against the sample size.
pub fn log_traces(traces: &[Trace], x_desc: &str, y_desc: &str, scale: f64) -> Drawn<String> {
    // Nothing varies, or too few draws for a log axis: no plot to draw.
    if traces.iter().all(|t| t.points.len() < 2) {
        return Ok(String::new());
    }
    let n_max = traces
        .iter()
        .flat_map(|t| t.points.iter().map(|p| p.0))
        .fold(1.0, f64::max);
    let n_min = traces
        .iter()
        .flat_map(|t| t.points.iter().map(|p| p.0))
        .fold(n_max, f64::min);
    let values = traces
        .iter()
        .flat_map(|t| t.points.iter().flat_map(|p| [p.2 / scale, p.3 / scale]));
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return Ok(String::new());
    }
    let pad = ((hi - lo) * 0.05).max(1e-6);
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d((n_min..n_max).log_scale(), (lo - pad)..(hi + pad))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(e)?;
        for t in traces {
            let c = colour(t.colour);
            let mut band: Vec<(f64, f64)> = t.points.iter().map(|p| (p.0, p.3 / scale)).collect();
            band.extend(t.points.iter().rev().map(|p| (p.0, p.2 / scale)));
            chart
                .draw_series(std::iter::once(Polygon::new(band, c.mix(0.2).filled())))
                .map_err(e)?;
            let style = c.stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    t.points.iter().map(|p| (p.0, p.1 / scale)),
                    style,
                ))
                .map_err(e)?;
            entries.push(Entry::line(t.label.as_str(), c, 2));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// One decision pair's curve of P(A − B > m) over margins m.
pub struct MarginCurve {
    pub label: String,
    pub colour: usize,
    /// (margin in £, probability), margins ascending.
    pub points: Vec<(f64, f64)>,
}

/// P(A − B > m) against the margin m (£m), one line per decision pair,
/// with the decision's margin marked: the acceptability curve of a choice
/// already valued in £.
pub fn margin_curves(curves: &[MarginCurve], margin: f64) -> Drawn<String> {
    let margins = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0 / 1e6));
    let (lo, hi) = margins.fold((f64::MAX, f64::MIN), |(a, b), m| (a.min(m), b.max(m)));
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return Ok(String::new());
    }
    let pad = ((hi - lo) * 0.02).max(1e-3);
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..1.0)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("margin m: PV of A less PV of B, £m")
            .y_desc("P(A − B > m)")
            .draw()
            .map_err(e)?;
        let marker = BLACK.mix(0.6).stroke_width(1);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(margin / 1e6, 0.0), (margin / 1e6, 1.0)],
                marker,
            )))
            .map_err(e)?;
        entries.push(Entry::line(
            format!("decision margin (£{:.2}m)", margin / 1e6),
            RGBColor(102, 102, 102),
            1,
        ));
        for c in curves {
            let style = colour(c.colour).stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    c.points.iter().map(|p| (p.0 / 1e6, p.1)),
                    style,
                ))
                .map_err(e)?;
            entries.push(Entry::line(c.label.as_str(), colour(c.colour), 2));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// One bar of the EVPPI chart.
pub struct ValueBar {
    pub label: String,
    pub gbp: f64,
    pub se: f64,
    /// What the bar is, which sets its colour.
    pub kind: BarKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// A part of the EVPI: learnable or irreducible.
    Split,
    Group,
    Parameter,
}

/// The EVPPI as horizontal bars (£k) with ±1 standard error whiskers,
/// every bar given, in the order given, under the EVPI as a reference line.
pub fn evppi_bars(bars: &[ValueBar], evpi: f64) -> String {
    const ROW: f64 = 20.0;
    const LEFT: f64 = 300.0;
    const WIDTH: f64 = 900.0;
    const TOP: f64 = 30.0;
    let right = WIDTH - 20.0;
    let top_value = bars
        .iter()
        .map(|b| b.gbp + b.se)
        .chain([evpi])
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let x = |gbp: f64| LEFT + (gbp.clamp(0.0, top_value) / top_value) * (right - LEFT);
    let height = TOP + ROW * bars.len() as f64 + 45.0;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"evppi-title\">\
         <title id=\"evppi-title\">Expected value of partial perfect information of each group and parameter, £ thousands, with one standard error; the EVPI is £{:.1}k</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        evpi / 1e3
    );
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let fill = match b.kind {
            BarKind::Split => "#999999",
            BarKind::Group => "#0072b2",
            BarKind::Parameter => "#e69f00",
        };
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LEFT}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"black\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"11\">{:.1}</text>",
            LEFT - 6.0,
            y + 14.0,
            escape(&b.label),
            y + 3.0,
            x(b.gbp) - LEFT,
            ROW - 6.0,
            x(b.gbp - b.se),
            x(b.gbp + b.se),
            y + ROW / 2.0,
            y + ROW / 2.0,
            x(b.gbp + b.se) + 4.0,
            y + 14.0,
            b.gbp / 1e3
        ));
    }
    let bottom = TOP + ROW * bars.len() as f64;
    svg.push_str(&format!(
        "<line x1=\"{e:.1}\" x2=\"{e:.1}\" y1=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#d55e00\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{e:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"end\" fill=\"#d55e00\">EVPI £{:.1}k</text>\
         <line x1=\"{LEFT}\" x2=\"{right}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\">EVPPI, £ thousands (bar: estimate; whisker: ±1 standard error)</text></svg>",
        TOP - 6.0,
        TOP - 10.0,
        evpi / 1e3,
        (LEFT + right) / 2.0,
        bottom + 30.0,
        e = x(evpi),
    ));
    svg
}

/// The histogram of one pair's paired difference A − B (£m) over the draws,
/// the bins above the decision margin shaded, with lines at zero and at
/// the margin. The axis spans the 0.5th to 99.5th percentile.
pub fn difference_histogram(difference: &[f64], margin: f64, label: &str) -> Drawn<String> {
    let bins = 60;
    let n = difference.len();
    if n == 0 {
        return Ok(String::new());
    }
    let at = |p: f64| ((n - 1) as f64 * p) as usize;
    let [lo, hi] = order_statistics(&[difference], &[at(0.005), at(0.995)])[..] else {
        unreachable!("two ranks give two values")
    };
    let (lo, hi) = (
        (lo.min(0.0).min(margin)) / 1e6,
        (hi.max(0.0).max(margin)) / 1e6,
    );
    if !(lo.is_finite() && hi.is_finite()) {
        return Ok(String::new());
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0.0; bins];
    for d in difference {
        let b = ((d / 1e6 - lo) / width).floor();
        if b >= 0.0 && (b as usize) < bins {
            counts[b as usize] += 1.0 / n as f64;
        }
    }
    let top = counts.iter().copied().fold(0.0, f64::max) * 1.15;
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..top.max(1e-9))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(format!("{label}, £m"))
            .y_desc("share of draws per bin")
            .y_label_formatter(&|y| format!("{y:.3}"))
            .draw()
            .map_err(e)?;
        let above = colour(3);
        chart
            .draw_series(counts.iter().enumerate().map(|(b, c)| {
                let x0 = lo + b as f64 * width;
                let fill = if x0 + width / 2.0 > margin / 1e6 {
                    above.mix(0.7).filled()
                } else {
                    RGBColor(190, 190, 190).filled()
                };
                Rectangle::new([(x0, 0.0), (x0 + width, *c)], fill)
            }))
            .map_err(e)?;
        let zero = BLACK.stroke_width(2);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, top)],
                zero,
            )))
            .map_err(e)?;
        entries.push(Entry::swatch("draws above the margin", above, 0.7));
        entries.push(Entry::swatch("the others", RGBColor(190, 190, 190), 1.0));
        entries.push(Entry::line("no difference", BLACK, 2));
        if margin != 0.0 {
            let line = RGBColor(213, 94, 0).stroke_width(2);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(margin / 1e6, 0.0), (margin / 1e6, top)],
                    line,
                )))
                .map_err(e)?;
            entries.push(Entry::line("decision margin", RGBColor(213, 94, 0), 2));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// One pair's draws as points (B's PV across, A's up, £m) with the line
/// where they are equal (and, with a margin, where A leads by it): the
/// cost-effectiveness plane of a choice already valued in £. At most
/// `shown` draws, the run's first, are drawn.
pub fn pair_scatter(a: &[f64], b: &[f64], labels: (&str, &str), margin: f64) -> Drawn<String> {
    const SHOWN: usize = 2000;
    let points: Vec<(f64, f64)> = b
        .iter()
        .zip(a)
        .take(SHOWN)
        .map(|(x, y)| (x / 1e6, y / 1e6))
        .collect();
    let (lo, hi) = points
        .iter()
        .flat_map(|&(x, y)| [x, y])
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if points.is_empty() || !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return Ok(String::new());
    }
    let pad = ((hi - lo) * 0.05).max(1e-3);
    let (lo, hi) = (lo - pad, hi + pad);
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (520, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(format!("PV of {}, £m", labels.1))
            .y_desc(format!("PV of {}, £m", labels.0))
            .draw()
            .map_err(e)?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, 2, colour(3).mix(0.35).filled())),
            )
            .map_err(e)?;
        let equal = BLACK.stroke_width(2);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, lo), (hi, hi)],
                equal,
            )))
            .map_err(e)?;
        entries.push(Entry::line(
            format!("{} = {}", labels.0, labels.1),
            BLACK,
            2,
        ));
        if margin != 0.0 {
            let m = margin / 1e6;
            let line = RGBColor(213, 94, 0).stroke_width(2);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, lo + m), (hi - m, hi)],
                    line,
                )))
                .map_err(e)?;
            entries.push(Entry::line(
                format!("{} leads by the margin", labels.0),
                RGBColor(213, 94, 0),
                2,
            ));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// A two-way analysis as a heat map: each cell coloured by the outcome
/// (blue above zero, orange below, paler near zero), the boundary where the
/// outcome changes sign drawn between cells, and the base case marked.
pub fn two_way_heat_map(t: &crate::results::TwoWayResult) -> String {
    const LEFT: f64 = 90.0;
    const TOP: f64 = 30.0;
    const SIZE: f64 = 420.0;
    let (nx, ny) = (t.x_values.len(), t.y_values.len());
    if nx < 2 || ny < 2 {
        return String::new();
    }
    let (cw, ch) = (SIZE / nx as f64, SIZE / ny as f64);
    let extreme = t
        .outcome_gbp
        .iter()
        .flatten()
        .map(|v| v.abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-9);
    let fill = |v: f64| {
        let s = (v / extreme).clamp(-1.0, 1.0);
        let (r, g, b) = if s >= 0.0 {
            (0.0, 114.0, 178.0)
        } else {
            (213.0, 94.0, 0.0)
        };
        let a = s.abs();
        let mix = |c: f64| (255.0 - (255.0 - c) * a).round() as u8;
        format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
    };
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (w, h) = (LEFT + SIZE + 190.0, TOP + SIZE + 60.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">\
         <title>Two-way sensitivity: {} over {} (across) and {} (up); the black line is where it changes sign, the cross the base case</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        escape(&t.outcome),
        escape(&t.parameters[0]),
        escape(&t.parameters[1])
    );
    // Row 0 (the lowest y) at the bottom.
    let cell_y = |j: usize| TOP + SIZE - (j + 1) as f64 * ch;
    for (j, row) in t.outcome_gbp.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            svg.push_str(&format!(
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"><title>{:.2}m</title></rect>",
                LEFT + i as f64 * cw,
                cell_y(j),
                cw + 0.3,
                ch + 0.3,
                fill(v),
                v / 1e6
            ));
        }
    }
    // The sign boundary: an edge between two cells whose outcomes differ in sign.
    let positive = |i: usize, j: usize| t.outcome_gbp[j][i] > 0.0;
    for j in 0..ny {
        for i in 0..nx {
            if i + 1 < nx && positive(i, j) != positive(i + 1, j) {
                let x = LEFT + (i + 1) as f64 * cw;
                svg.push_str(&format!(
                    "<line x1=\"{x:.2}\" x2=\"{x:.2}\" y1=\"{:.2}\" y2=\"{:.2}\" stroke=\"black\" stroke-width=\"2\"/>",
                    cell_y(j),
                    cell_y(j) + ch
                ));
            }
            if j + 1 < ny && positive(i, j) != positive(i, j + 1) {
                let y = cell_y(j);
                svg.push_str(&format!(
                    "<line x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{y:.2}\" y2=\"{y:.2}\" stroke=\"black\" stroke-width=\"2\"/>",
                    LEFT + i as f64 * cw,
                    LEFT + (i + 1) as f64 * cw
                ));
            }
        }
    }
    // Axis positions: values map linearly onto the cells' centres.
    let (x0, x1) = (t.x_values[0], t.x_values[nx - 1]);
    let (y0, y1) = (t.y_values[0], t.y_values[ny - 1]);
    let px = |x: f64| LEFT + cw / 2.0 + (x - x0) / (x1 - x0) * (SIZE - cw);
    let py = |y: f64| TOP + SIZE - ch / 2.0 - (y - y0) / (y1 - y0) * (SIZE - ch);
    let (bx, by) = (px(t.base[0]), py(t.base[1]));
    if bx.is_finite() && by.is_finite() {
        svg.push_str(&format!(
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}\" stroke=\"black\" stroke-width=\"3\"/>",
            bx - 7.0, by - 7.0, bx + 7.0, by + 7.0, bx - 7.0, by + 7.0, bx + 7.0, by - 7.0
        ));
    }
    let short = super::svg::short;
    for (v, anchor) in [(x0, "start"), (x1, "end")] {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"{anchor}\">{}</text>",
            if anchor == "start" { LEFT } else { LEFT + SIZE },
            TOP + SIZE + 16.0,
            short(v)
        ));
    }
    for (v, y) in [(y0, TOP + SIZE), (y1, TOP + 12.0)] {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{y:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            short(v)
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"middle\">{}</text>\
         <text x=\"18\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 18 {:.1})\">{}</text>",
        LEFT + SIZE / 2.0,
        TOP + SIZE + 40.0,
        escape(&t.parameters[0]),
        TOP + SIZE / 2.0,
        TOP + SIZE / 2.0,
        escape(&t.parameters[1])
    ));
    // Key: the colours' ends and the marks.
    let kx = LEFT + SIZE + 20.0;
    for (k, (v, label)) in [
        (extreme, format!("{:+.2}m", extreme / 1e6)),
        (0.0, "0".into()),
        (-extreme, format!("{:+.2}m", -extreme / 1e6)),
    ]
    .into_iter()
    .enumerate()
    {
        let y = TOP + 10.0 + k as f64 * 26.0;
        svg.push_str(&format!(
            "<rect x=\"{kx:.1}\" y=\"{y:.1}\" width=\"18\" height=\"18\" fill=\"{}\" stroke=\"#999\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">{label}</text>",
            fill(v),
            kx + 24.0,
            y + 13.0
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{kx:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"black\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">sign changes</text>\
         <text x=\"{kx:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">×</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">base case</text></svg>",
        kx + 18.0,
        TOP + 100.0,
        TOP + 100.0,
        kx + 24.0,
        TOP + 104.0,
        TOP + 128.0,
        kx + 24.0,
        TOP + 127.0
    ));
    svg
}

/// One option's yearly quantity over the draws.
pub struct Fan {
    pub label: String,
    pub colour: usize,
    /// Year 1 first: the quantity's spread, £.
    pub years: Vec<crate::results::Spread>,
}

/// Fan charts, one panel per option on a shared scale (£m): the 2.5th to
/// 97.5th percentiles as a light band, the 25th to 75th as a dark one, the
/// median as a line, the base case as dots, and the zero line. Panels carry
/// their option's name, so no legend lies over the data.
pub fn fans(fans: &[Fan], y_desc: &str) -> Drawn<String> {
    let values = fans
        .iter()
        .flat_map(|f| f.years.iter())
        .flat_map(|s| [s.p2_5, s.p97_5, s.base])
        .map(|v| v / 1e6);
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let horizon = fans.iter().map(|f| f.years.len()).max().unwrap_or(0);
    if fans.is_empty()
        || horizon == 0
        || !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite())
    {
        return Ok(String::new());
    }
    let pad = ((hi - lo) * 0.05).max(1e-3);
    let columns = fans.len().min(3);
    let rows = fans.len().div_ceil(columns);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 250 * rows as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let panels = root.split_evenly((rows, columns));
        for (fan, panel) in fans.iter().zip(&panels) {
            let mut chart = ChartBuilder::on(panel)
                .caption(&fan.label, (FONT, 15))
                .margin(8)
                .x_label_area_size(32)
                .y_label_area_size(55)
                .build_cartesian_2d(0.5..horizon as f64 + 0.5, (lo - pad)..(hi + pad))
                .map_err(e)?;
            chart
                .configure_mesh()
                .x_desc("year")
                .y_desc(y_desc)
                .x_labels(horizon.min(10))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .label_style((FONT, 12))
                .draw()
                .map_err(e)?;
            let at = |t: usize, v: f64| (t as f64 + 1.0, v / 1e6);
            let band = |low: fn(&crate::results::Spread) -> f64,
                        high: fn(&crate::results::Spread) -> f64| {
                let mut points: Vec<(f64, f64)> = fan
                    .years
                    .iter()
                    .enumerate()
                    .map(|(t, s)| at(t, high(s)))
                    .collect();
                points.extend(
                    fan.years
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(t, s)| at(t, low(s))),
                );
                points
            };
            let hue = colour(fan.colour);
            chart
                .draw_series([
                    Polygon::new(band(|s| s.p2_5, |s| s.p97_5), hue.mix(0.2).filled()),
                    Polygon::new(band(|s| s.p25, |s| s.p75), hue.mix(0.45).filled()),
                ])
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.5, 0.0), (horizon as f64 + 0.5, 0.0)],
                    BLACK.mix(0.6).stroke_width(1),
                )))
                .map_err(e)?;
            chart
                .draw_series(LineSeries::new(
                    fan.years.iter().enumerate().map(|(t, s)| at(t, s.p50)),
                    hue.stroke_width(2),
                ))
                .map_err(e)?;
            chart
                .draw_series(
                    fan.years
                        .iter()
                        .enumerate()
                        .map(|(t, s)| Circle::new(at(t, s.base), 3, BLACK.filled())),
                )
                .map_err(e)?;
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}

/// One sampled input's values over the draws, for a scatter panel.
pub struct InputDraws<'a> {
    pub name: &'a str,
    pub rho: f64,
    pub values: &'a [f64],
}

/// For each input, the outcome (£m, up) against the input's value (across)
/// over the run's first draws, with the zero line where the decision turns:
/// what the rank correlations and the tornado summarise, draw by draw.
pub fn input_scatters(
    inputs: &[InputDraws],
    outcome: &[f64],
    outcome_label: &str,
) -> Drawn<String> {
    const SHOWN: usize = 2000;
    let shown = outcome.len().min(SHOWN);
    let (lo, hi) = outcome[..shown]
        .iter()
        .map(|v| v / 1e6)
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    if inputs.is_empty()
        || shown == 0
        || !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite())
    {
        return Ok(String::new());
    }
    let pad = ((hi - lo) * 0.05).max(1e-3);
    let columns = inputs.len().min(2);
    let rows = inputs.len().div_ceil(columns);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 300 * rows as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let panels = root.split_evenly((rows, columns));
        for (input, panel) in inputs.iter().zip(&panels) {
            let values = &input.values[..shown.min(input.values.len())];
            let (x_lo, x_hi) = values
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            if !(x_lo.is_finite() && x_hi.is_finite() && (x_hi - x_lo).is_finite()) {
                continue;
            }
            let x_pad = ((x_hi - x_lo) * 0.03).max(x_hi.abs().max(1.0) * 1e-9);
            let mut chart = ChartBuilder::on(panel)
                .caption(
                    format!("{} (ρ = {:+.2})", input.name, input.rho),
                    (FONT, 15),
                )
                .margin(8)
                .x_label_area_size(36)
                .y_label_area_size(60)
                .build_cartesian_2d((x_lo - x_pad)..(x_hi + x_pad), (lo - pad)..(hi + pad))
                .map_err(e)?;
            chart
                .configure_mesh()
                .x_desc(input.name)
                .y_desc(format!("{outcome_label}, £m"))
                .x_labels(5)
                .label_style((FONT, 12))
                .draw()
                .map_err(e)?;
            chart
                .draw_series(
                    values
                        .iter()
                        .zip(outcome)
                        .map(|(&x, &y)| Circle::new((x, y / 1e6), 2, colour(3).mix(0.35).filled())),
                )
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x_lo - x_pad, 0.0), (x_hi + x_pad, 0.0)],
                    BLACK.stroke_width(2),
                )))
                .map_err(e)?;
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use crate::export::legend::geometry::{legend_rows, lowest_mark};

    /// Draws spread like a run's: a spike at the top right and the left,
    /// where a legend inside the canvas used to sit.
    fn draws(k: usize) -> Vec<f64> {
        (0..2000)
            .map(|i| {
                let u = (i as f64 + 0.5) / 2000.0;
                (k as f64 * 3.0 + 10.0 * (u - 0.5).powi(3)) * 1e6
            })
            .collect()
    }

    fn check(name: &str, svg: &str) {
        let (top, bottom) = legend_rows(svg).unwrap_or_else(|| panic!("{name}: no legend"));
        let lowest = lowest_mark(svg);
        assert!(
            lowest <= top,
            "{name}: the legend from {top} to {bottom} overlaps marks reaching {lowest}"
        );
    }

    #[test]
    fn no_legend_lies_over_its_figure() {
        let ids: Vec<String> = [
            "status_quo",
            "decline",
            "organic",
            "supported",
            "accelerated",
        ]
        .map(String::from)
        .to_vec();
        let mut values: Vec<Vec<f64>> = (0..5).map(draws).collect();
        values[0] = vec![0.0; 2000];
        check(
            "distributions",
            &distributions(&ids, &values, "PV, £m").unwrap(),
        );
        let difference: Vec<f64> = values[4]
            .iter()
            .zip(&values[3])
            .map(|(a, b)| a - b)
            .collect();
        check(
            "difference",
            &difference_histogram(&difference, 1e6, "A less B").unwrap(),
        );
        check(
            "scatter",
            &pair_scatter(&values[4], &values[3], ("a", "b"), 1e6).unwrap(),
        );
        let curve = MarginCurve {
            label: "P(a − b > m)".into(),
            colour: 4,
            points: (0..50)
                .map(|i| (i as f64 * 1e5, 1.0 - i as f64 / 50.0))
                .collect(),
        };
        check("margin curves", &margin_curves(&[curve], 1e6).unwrap());
        let trace = Trace {
            label: "P(a beats b)".into(),
            colour: 4,
            points: (1..80)
                .map(|i| (i as f64 * 10.0, 0.9, 0.85, 0.95))
                .collect(),
        };
        check(
            "convergence",
            &convergence(&[trace], "probability", 1.0).unwrap(),
        );
    }

    /// Panels carry their own names: fan charts and scatters need no legend.
    #[test]
    fn panelled_figures_carry_no_legend() {
        let spread = crate::results::Spread {
            base: 1e6,
            mean: 1e6,
            p2_5: 0.0,
            p25: 0.5e6,
            p50: 1e6,
            p75: 1.5e6,
            p97_5: 2e6,
        };
        let fan = Fan {
            label: "a".into(),
            colour: 1,
            years: vec![spread; 10],
        };
        let svg = fans(&[fan], "net, £m").unwrap();
        assert!(svg.contains("<polygon") && legend_rows(&svg).is_none());
    }
}
