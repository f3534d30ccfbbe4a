//! An elicited parameter's fit beside what the expert said: the fitted
//! CDF (the pool's, and each expert's where there are several) with the
//! judgements as points on it, so the expert sees where the fit departs.

use super::*;
use crate::results::ElicitedResult;

pub fn elicited_cdf(fit: &ElicitedResult, x_desc: &str) -> Drawn<String> {
    let (Some(first), Some(last)) = (fit.curve.first(), fit.curve.last()) else {
        return Ok(String::new());
    };
    let (lo, hi) = (first.x, last.x);
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Ok(String::new());
    }
    let pooled = fit.experts.len() > 1;
    let mut svg = String::new();
    let mut entries = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(30)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(lo..hi, 0.0..1.0)
            .map_err(e)?;
        house_mesh(&mut chart.configure_mesh())
            .x_desc(x_desc)
            .y_desc("P(X ≤ x)")
            .x_labels(axis::TICKS)
            .x_label_formatter(&|x| axis::label(*x, lo, hi))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .draw()
            .map_err(e)?;
        for (k, expert) in fit.experts.iter().enumerate() {
            // Each expert in a colour of their own; the pool in black.
            let c = colour(k + 1);
            let width = if pooled { 1 } else { 2 };
            chart
                .draw_series(LineSeries::new(
                    fit.curve.iter().map(|p| (p.x, p.experts[k])),
                    c.stroke_width(width),
                ))
                .map_err(e)?;
            chart
                .draw_series(
                    expert
                        .values
                        .iter()
                        .zip(&expert.probabilities)
                        .map(|(&v, &p)| Circle::new((v, p), 5, c.filled())),
                )
                .map_err(e)?;
            let label = if pooled {
                format!(
                    "expert {} (weight {:.2}): {} fit, judgements as points",
                    k + 1,
                    expert.weight,
                    expert.family
                )
            } else {
                format!("{} fit; the judgements as points", expert.family)
            };
            entries.push(Entry::line(label, c, width));
        }
        if pooled {
            chart
                .draw_series(LineSeries::new(
                    fit.curve.iter().map(|p| (p.x, p.pooled)),
                    BLACK.stroke_width(3),
                ))
                .map_err(e)?;
            entries.push(Entry::line("the linear pool", BLACK, 3));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}
