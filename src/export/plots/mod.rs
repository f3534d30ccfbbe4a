//! The report's plots as SVG text, drawn with plotters. Each option keeps one
//! colour in every plot (Okabe-Ito, readable by colour-blind readers and in
//! print).

mod axis;
mod elicited;
mod heat_map;
mod histograms;
mod panels;
mod ranks;
mod tornado;
mod traces;

pub use elicited::elicited_cdf;
pub use heat_map::two_way_heat_map;
pub use histograms::{
    MarginCurve, difference_histogram, distributions, margin_curves, pair_scatter,
};
pub use panels::{Fan, InputDraws, fans, input_scatters};
pub use ranks::{pairwise, rankogram};
pub use tornado::{tornado, tornado_svg};
pub use traces::{Trace, ValueBar, convergence, evppi_bars, log_traces};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Entry};
use crate::analysis::stats::order_statistics;

type Drawn<T> = std::result::Result<T, String>;

/// A chart of amounts on both axes, as the report frames it: ticks at
/// round values over each axis's range, each axis named.
struct Frame {
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    x_desc: String,
    y_desc: String,
    /// Room for the y axis's labels, in pixels.
    y_label_area: u32,
}

type AmountChart<'a> = ChartContext<
    'a,
    SVGBackend<'a>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The report's mesh: at most four light lines between labels, labels at
/// 14 px and the axes' names at 15 px.
fn house_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB> {
    mesh.max_light_lines(4)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
}

impl Frame {
    /// The chart on `root`, its axes and grid drawn.
    fn draw<'a>(
        self,
        root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    ) -> Drawn<AmountChart<'a>> {
        let Frame { x, y, .. } = self;
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(self.y_label_area)
            .build_cartesian_2d(x.clone(), y.clone())
            .map_err(e)?;
        house_mesh(&mut chart.configure_mesh())
            .x_desc(self.x_desc)
            .y_desc(self.y_desc)
            .x_labels(axis::TICKS)
            .y_labels(axis::TICKS)
            .x_label_formatter(&|v| axis::label(*v, x.start, x.end))
            .y_label_formatter(&|v| axis::label(*v, y.start, y.end))
            .draw()
            .map_err(e)?;
        Ok(chart)
    }
}

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
/// Scatter points: the fourth colour at 45% on white, opaque. A PDF
/// printed from the report keeps thousands of translucent points as as
/// many transparency groups (megabytes); the histograms beside each
/// scatter show where the draws are dense.
const POINT: RGBColor = RGBColor(140, 190, 222);

pub fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

pub fn colour_hex(k: usize) -> String {
    let RGBColor(r, g, b) = colour(k);
    format!("#{r:02x}{g:02x}{b:02x}")
}

const FONT: &str = "sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// A part of the EVPI: learnable or irreducible.
    Split,
    Group,
    Parameter,
}

/// The SVG without the XML prologue plotters writes (so that it can sit
/// inline in a page), as an image whose text alternative is `title`, unless
/// it already has one.
pub fn titled(svg: &str, title: &str) -> String {
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    if svg.contains("<title") {
        return svg.to_string();
    }
    let title = crate::export::format::escape(title);
    let (open, rest) = svg.split_at(end);
    let role = if open.contains("role=") {
        ""
    } else {
        " role=\"img\""
    };
    format!("{open}{role}><title>{title}</title>{}", &rest[1..])
}

#[cfg(test)]
mod title_tests {
    use super::titled;

    #[test]
    fn a_figure_gains_a_title_and_role_once() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\"><rect/></svg>";
        let t = titled(svg, "A & B");
        assert_eq!(
            t,
            "<svg width=\"10\" height=\"10\" role=\"img\"><title>A &amp; B</title><rect/></svg>"
        );
        assert_eq!(titled(&t, "other"), t);
    }
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
            &distributions(&ids, &values, "PV").unwrap(),
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
            margin: 1e6,
            points: (0..50)
                .map(|i| (i as f64 * 1e5, 1.0 - i as f64 / 50.0))
                .collect(),
        };
        check("margin curves", &margin_curves(&[curve]).unwrap());
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
        let svg = fans(&[fan], "net").unwrap();
        assert!(svg.contains("<polygon") && legend_rows(&svg).is_none());
    }
}
