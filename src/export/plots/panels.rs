//! Small multiples, one panel per option or input: the yearly fan charts
//! and the input scatter plots.

use super::*;
use crate::export::format::Unit;

/// One option's yearly quantity over the draws.
pub struct Fan {
    pub label: String,
    pub colour: usize,
    /// Year 1 first: the quantity's spread, £.
    pub years: Vec<crate::results::Spread>,
}

/// Fan charts, one panel per option on a shared scale: the 2.5th to
/// 97.5th percentiles as a light band, the 25th to 75th as a dark one, the
/// median as a line, the base case as dots, and the zero line. Panels carry
/// their option's name, so no legend lies over the data.
pub fn fans(fans: &[Fan], y_desc: &str) -> Drawn<String> {
    let values = fans
        .iter()
        .flat_map(|f| f.years.iter())
        .flat_map(|s| [s.p2_5, s.p97_5, s.base]);
    let unit = Unit::for_amounts(values.clone());
    let values = values.map(|v| v / unit.size);
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
            house_mesh(&mut chart.configure_mesh())
                .x_desc("year")
                .y_desc(format!("{y_desc}, {}", unit.name))
                .x_labels(horizon.min(10))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_labels(6)
                .y_label_formatter(&|y| axis::fixed(*y, axis::decimals(lo - pad, hi + pad, 6)))
                .draw()
                .map_err(e)?;
            let at = |t: usize, v: f64| (t as f64 + 1.0, v / unit.size);
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

/// For each input, the outcome (up) against the input's value (across)
/// over the run's first draws, with the zero line where the decision turns:
/// what the rank correlations and the tornado summarise, draw by draw.
pub fn input_scatters(
    inputs: &[InputDraws],
    outcome: &[f64],
    outcome_label: &str,
) -> Drawn<String> {
    const SHOWN: usize = 1000;
    let shown = outcome.len().min(SHOWN);
    let unit = Unit::for_amounts(outcome[..shown].iter().copied());
    let (lo, hi) = outcome[..shown]
        .iter()
        .map(|v| v / unit.size)
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
                    format!(
                        "{} (ρ = {})",
                        input.name,
                        crate::export::format::signed(input.rho, 2)
                    ),
                    (FONT, 15),
                )
                .margin(8)
                .x_label_area_size(36)
                .y_label_area_size(60)
                .build_cartesian_2d((x_lo - x_pad)..(x_hi + x_pad), (lo - pad)..(hi + pad))
                .map_err(e)?;
            house_mesh(&mut chart.configure_mesh())
                .x_desc(input.name)
                .y_desc(format!("{outcome_label}, {}", unit.name))
                .x_labels(5)
                .x_label_formatter(&|x| {
                    axis::fixed(*x, axis::decimals(x_lo - x_pad, x_hi + x_pad, 5))
                })
                .y_labels(6)
                .y_label_formatter(&|y| axis::fixed(*y, axis::decimals(lo - pad, hi + pad, 6)))
                .draw()
                .map_err(e)?;
            chart
                .draw_series(
                    values
                        .iter()
                        .zip(outcome)
                        .map(|(&x, &y)| Circle::new((x, y / unit.size), 2, POINT.filled())),
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
