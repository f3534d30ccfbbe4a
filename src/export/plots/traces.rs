//! Lines with bands (convergence, EVSI by sample size) and the EVPPI bars.

use super::*;
use crate::export::format::{escape, money};

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
            .margin_right(40)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d((n_min..n_max).log_scale(), (lo - pad)..(hi + pad))
            .map_err(e)?;
        house_mesh(&mut chart.configure_mesh())
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| crate::export::format::thousands(*x))
            .y_labels(axis::TICKS)
            .y_label_formatter(&|y| axis::label(*y, lo - pad, hi + pad))
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

/// One bar of the EVPPI chart.
pub struct ValueBar {
    pub label: String,
    pub gbp: f64,
    pub se: f64,
    /// What the bar is, which sets its colour.
    pub kind: BarKind,
}

/// The EVPPI as horizontal bars with ±1 standard error whiskers,
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
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"evppi-title\">\
         <title id=\"evppi-title\">Expected value of partial perfect information of each group and parameter, with one standard error; the EVPI is {}</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        money(evpi)
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
             <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">{}</text>",
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
            money(b.gbp)
        ));
    }
    let bottom = TOP + ROW * bars.len() as f64;
    svg.push_str(&format!(
        "<line x1=\"{e:.1}\" x2=\"{e:.1}\" y1=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#d55e00\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{e:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"end\" fill=\"#d55e00\">EVPI {}</text>\
         <line x1=\"{LEFT}\" x2=\"{right}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\">EVPPI (bar: estimate; whisker: ±1 standard error)</text></svg>",
        TOP - 6.0,
        TOP - 10.0,
        money(evpi),
        (LEFT + right) / 2.0,
        bottom + 30.0,
        e = x(evpi),
    ));
    svg
}
