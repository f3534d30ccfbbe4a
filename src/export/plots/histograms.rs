//! Distributions over the draws: each option's PV, a pair's difference and
//! its draws as points, and the probability of a pair over margins.

use super::*;
use crate::export::format::Unit;

/// Overlaid histograms of each option's PV (in the unit its size calls
/// for, named after `axis`): the share of draws per bin.
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
    let unit = Unit::for_amounts([lo, hi]);
    let (lo, hi) = (lo / unit.size, hi / unit.size);
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
                let b = ((x / unit.size - lo) / width).floor();
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
        let mut chart = Frame {
            x: lo..hi,
            y: 0.0..top.max(1e-9),
            x_desc: format!("{axis}, {}", unit.name),
            y_desc: "share of draws per bin".to_string(),
            y_label_area: 60,
        }
        .draw(&root)?;
        for (k, (id, counts)) in ids.iter().zip(&histograms).enumerate() {
            let constant = !varies(k);
            let style = colour(k).stroke_width(2);
            if constant {
                let x = values[k][0] / unit.size;
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

/// One decision pair's curve of P(A − B > m) over margins m.
pub struct MarginCurve {
    pub label: String,
    pub colour: usize,
    /// The pair's own margin, marked on its curve.
    pub margin: f64,
    /// (margin in £, probability), margins ascending.
    pub points: Vec<(f64, f64)>,
}

/// P(A − B > m) against the margin m, one line per decision pair,
/// each pair's own margin marked on its curve: the acceptability curve of
/// a choice already valued in £.
pub fn margin_curves(curves: &[MarginCurve]) -> Drawn<String> {
    let unit = Unit::for_amounts(curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)));
    let margins = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0 / unit.size));
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
        let mut chart = Frame {
            x: (lo - pad)..(hi + pad),
            y: 0.0..1.0,
            x_desc: format!("margin m: PV of A less PV of B, {}", unit.name),
            y_desc: "P(A − B > m)".to_string(),
            y_label_area: 65,
        }
        .draw(&root)?;
        for c in curves {
            let style = colour(c.colour).stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    c.points.iter().map(|p| (p.0 / unit.size, p.1)),
                    style,
                ))
                .map_err(e)?;
            // The pair's answer: its curve at its own margin.
            let at = c
                .points
                .iter()
                .find(|p| p.0 == c.margin)
                .map_or(f64::NAN, |p| p.1);
            let m = c.margin / unit.size;
            chart
                .draw_series([PathElement::new(
                    vec![(m, 0.0), (m, at)],
                    colour(c.colour).mix(0.6),
                )])
                .map_err(e)?;
            chart
                .draw_series([Circle::new((m, at), 5, colour(c.colour).filled())])
                .map_err(e)?;
            entries.push(Entry::line(
                format!(
                    "{} (dot: its margin, {})",
                    c.label,
                    crate::export::format::money(c.margin)
                ),
                colour(c.colour),
                2,
            ));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

/// The histogram of one pair's paired difference A − B over the draws,
/// the bins above the decision margin shaded, with lines at zero and at
/// the margin. The axis spans the 0.5th to 99.5th percentile; a note says
/// how far the draws run beyond it.
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
    let unit = Unit::for_amounts([lo, hi, margin]);
    let (lo, hi) = (
        (lo.min(0.0).min(margin)) / unit.size,
        (hi.max(0.0).max(margin)) / unit.size,
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
        let b = ((d / unit.size - lo) / width).floor();
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
        let mut chart = Frame {
            x: lo..hi,
            y: 0.0..top.max(1e-9),
            x_desc: format!("{label}, {}", unit.name),
            y_desc: "share of draws per bin".to_string(),
            y_label_area: 60,
        }
        .draw(&root)?;
        let above = colour(3);
        chart
            .draw_series(counts.iter().enumerate().map(|(b, c)| {
                let x0 = lo + b as f64 * width;
                let fill = if x0 + width / 2.0 > margin / unit.size {
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
                    vec![(margin / unit.size, 0.0), (margin / unit.size, top)],
                    line,
                )))
                .map_err(e)?;
            entries.push(Entry::line(
                format!("margin, {}", crate::export::format::money(margin)),
                RGBColor(213, 94, 0),
                2,
            ));
        }
        root.present().map_err(e)?;
    }
    if let Some(note) = cropped(difference, lo * unit.size, hi * unit.size) {
        entries.push(Entry::note(note));
    }
    Ok(legend::below(svg, &entries))
}

/// What an axis over `[lo, hi]` (£) leaves out of `values`, in words; none
/// when every value lies on it.
pub fn cropped(values: &[f64], lo: f64, hi: f64) -> Option<String> {
    let (min, max) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let outside = values.iter().filter(|&&v| v < lo || v > hi).count();
    if outside == 0 {
        return None;
    }
    let money = crate::export::format::money;
    Some(format!(
        "The axis shows {} to {}; the draws run from {} to {}: {} of {} draws ({}) lie beyond it and are not drawn.",
        money(lo),
        money(hi),
        money(min),
        money(max),
        crate::export::format::thousands(outside as f64),
        crate::export::format::thousands(values.len() as f64),
        crate::export::format::percent(outside as f64 / values.len() as f64)
    ))
}

/// One pair's draws as points (B's PV across, A's up) with the line
/// where they are equal (and, with a margin, where A leads by it): the
/// cost-effectiveness plane of a choice already valued in £. At most
/// `shown` draws, the run's first, are drawn.
pub fn pair_scatter(a: &[f64], b: &[f64], labels: (&str, &str), margin: f64) -> Drawn<String> {
    const SHOWN: usize = 2000;
    let points: Vec<(f64, f64)> = b.iter().zip(a).take(SHOWN).map(|(x, y)| (*x, *y)).collect();
    let unit = Unit::for_amounts(points.iter().flat_map(|&(x, y)| [x, y]));
    let points: Vec<(f64, f64)> = points
        .into_iter()
        .map(|(x, y)| (x / unit.size, y / unit.size))
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
        let mut chart = Frame {
            x: lo..hi,
            y: lo..hi,
            x_desc: format!("PV of {}, {}", labels.1, unit.name),
            y_desc: format!("PV of {}, {}", labels.0, unit.name),
            y_label_area: 60,
        }
        .draw(&root)?;
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 2, POINT.filled())))
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
            let m = margin / unit.size;
            let line = RGBColor(213, 94, 0).stroke_width(2);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, lo + m), (hi - m, hi)],
                    line,
                )))
                .map_err(e)?;
            entries.push(Entry::line(
                format!(
                    "{} − {} = {}",
                    labels.0,
                    labels.1,
                    crate::export::format::money(margin)
                ),
                RGBColor(213, 94, 0),
                2,
            ));
        }
        root.present().map_err(e)?;
    }
    Ok(legend::below(svg, &entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numeric labels of the axis along the bottom: the largest group
    /// of numeric texts sharing one `y`, in order across.
    fn bottom_axis(svg: &str) -> Vec<String> {
        let mut rows: std::collections::BTreeMap<String, Vec<(f64, String)>> =
            std::collections::BTreeMap::new();
        for piece in svg.split("<text").skip(1) {
            let attr = |name: &str| {
                piece
                    .split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_string)
            };
            let Some(body) = piece.split('>').nth(1) else {
                continue;
            };
            let text = body.split('<').next().unwrap_or("").trim().to_string();
            let numeric = text.replace('−', "-").parse::<f64>().is_ok();
            if let (true, Some(x), Some(y)) = (numeric, attr("x"), attr("y")) {
                rows.entry(y).or_default().push((x.parse().unwrap(), text));
            }
        }
        let mut row = rows.into_values().max_by_key(Vec::len).unwrap_or_default();
        row.sort_by(|a, b| a.0.total_cmp(&b.0));
        row.into_iter().map(|(_, t)| t).collect()
    }

    fn assert_readable(labels: &[String], what: &str) {
        assert!(labels.len() >= 3, "{what}: {labels:?}");
        let values: Vec<f64> = labels
            .iter()
            .map(|l| l.replace('−', "-").parse().unwrap())
            .collect();
        assert!(
            values.windows(2).all(|w| w[0] < w[1]),
            "{what}: labels not distinct and ordered: {labels:?}"
        );
        assert!(
            !labels.iter().any(|l| l.starts_with('-')),
            "{what}: {labels:?}"
        );
        assert!(
            !labels
                .iter()
                .zip(&values)
                .any(|(l, v)| l.starts_with('−') && *v == 0.0),
            "{what}: a negative zero in {labels:?}"
        );
    }

    /// Draws spread evenly over [lo, hi], in £.
    fn spread(lo: f64, hi: f64) -> Vec<f64> {
        (0..2000)
            .map(|i| lo + (hi - lo) * f64::from(i) / 1999.0)
            .collect()
    }

    /// Models valued in £k, £m and £bn, all negative, and spanning zero:
    /// every histogram's axis reads in distinct, ordered labels.
    #[test]
    fn axes_read_at_every_scale() {
        let cases = [
            ("£k", 2e3, 9e3),
            ("£0-2m", -0.5e6, 2e6),
            ("£m", 10e6, 50e6),
            ("£bn", 2e9, 24e9),
            ("all negative", -16e6, -4e6),
            ("spanning zero", -3e6, 8e6),
        ];
        for (what, lo, hi) in cases {
            let values = vec![spread(lo, hi), spread(lo * 1.1, hi * 0.9)];
            let ids = vec!["a".to_string(), "b".to_string()];
            let svg = distributions(&ids, &values, "PV").unwrap();
            assert_readable(&bottom_axis(&svg), &format!("distributions, {what}"));
            let svg = difference_histogram(&spread(lo, hi), 0.0, "A less B").unwrap();
            assert_readable(&bottom_axis(&svg), &format!("difference, {what}"));
        }
    }

    /// The case: PVs from −£0.5m to £2m read in halves.
    #[test]
    fn a_small_model_reads_in_halves() {
        let ids = vec!["a".to_string()];
        let svg = distributions(&ids, &[spread(-0.6e6, 2.1e6)], "PV").unwrap();
        let labels = bottom_axis(&svg);
        for shown in ["−0.5", "0.0", "0.5", "1.0", "1.5", "2.0"] {
            assert!(labels.iter().any(|l| l == shown), "{labels:?}");
        }
    }
}
