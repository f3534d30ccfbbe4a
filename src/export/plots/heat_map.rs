//! The two-way analysis as a heat map, drawn as plain SVG: cells coloured
//! by how far the outcome lies above or below the pair's margin, the
//! boundary where it crosses the margin, and the base case.

use super::axis;
use crate::export::format::{escape, signed_money};
use crate::results::TwoWayResult;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;

const LEFT: f64 = 90.0;
const TOP: f64 = 30.0;
const SIZE: f64 = 420.0;
const KEY: f64 = 230.0;
const FONT: &str = "font-family=\"sans-serif\" font-size=\"13\"";

/// Where the grid's cells and values fall on the page.
struct Grid<'a> {
    t: &'a TwoWayResult,
    cell: (f64, f64),
}

impl Grid<'_> {
    fn size(&self) -> (usize, usize) {
        (self.t.x_values.len(), self.t.y_values.len())
    }

    /// The top edge of row `j`; row 0 (the lowest y) at the bottom.
    fn row_top(&self, j: usize) -> f64 {
        TOP + SIZE - (j + 1) as f64 * self.cell.1
    }

    /// Values map linearly onto the cells' centres.
    fn x(&self, x: f64) -> f64 {
        let v = &self.t.x_values;
        let (lo, hi) = (v[0], v[v.len() - 1]);
        LEFT + self.cell.0 / 2.0 + (x - lo) / (hi - lo) * (SIZE - self.cell.0)
    }

    fn y(&self, y: f64) -> f64 {
        let v = &self.t.y_values;
        let (lo, hi) = (v[0], v[v.len() - 1]);
        TOP + SIZE - self.cell.1 / 2.0 - (y - lo) / (hi - lo) * (SIZE - self.cell.1)
    }

    fn above(&self, i: usize, j: usize) -> bool {
        self.t.outcome_gbp[j][i] > self.t.threshold_gbp
    }
}

/// Blue above the margin, orange at or below it, paler nearer it.
fn fill(v: f64, threshold: f64, extreme: f64) -> String {
    let s = ((v - threshold) / extreme).clamp(-1.0, 1.0);
    let (r, g, b) = if s > 0.0 {
        (0.0, 114.0, 178.0)
    } else {
        (213.0, 94.0, 0.0)
    };
    let a = s.abs();
    let mix = |c: f64| (255.0 - (255.0 - c) * a).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// A two-way analysis as a heat map: each cell coloured by the outcome
/// against the margin, the boundary where the outcome crosses the margin
/// drawn between cells, tick labels along both axes, and the base case.
pub fn two_way_heat_map(t: &TwoWayResult) -> String {
    let (nx, ny) = (t.x_values.len(), t.y_values.len());
    if nx < 2 || ny < 2 {
        return String::new();
    }
    let grid = Grid {
        t,
        cell: (SIZE / nx as f64, SIZE / ny as f64),
    };
    let extreme = t
        .outcome_gbp
        .iter()
        .flatten()
        .map(|v| (v - t.threshold_gbp).abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-9);
    let (w, h) = (LEFT + SIZE + KEY, TOP + SIZE + 60.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">\
         <title>Two-way sensitivity: {} over {} (across) and {} (up); the black line is where {}, the cross the base case</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        escape(&t.outcome),
        escape(&t.parameters[0]),
        escape(&t.parameters[1]),
        escape(&crossing(t.threshold_gbp)),
    );
    cells(&mut svg, &grid, extreme);
    boundary(&mut svg, &grid);
    base_case(&mut svg, &grid);
    ticks(&mut svg, &grid);
    key(&mut svg, t.threshold_gbp, extreme);
    svg.push_str("</svg>");
    svg
}

/// "the outcome changes sign" at a zero margin, else "the outcome crosses
/// the margin of +£2.0m".
fn crossing(threshold: f64) -> String {
    if threshold == 0.0 {
        "the outcome changes sign".into()
    } else {
        format!(
            "the outcome crosses the margin of {}",
            signed_money(threshold)
        )
    }
}

fn cells(svg: &mut String, grid: &Grid, extreme: f64) {
    let (cw, ch) = grid.cell;
    for (j, row) in grid.t.outcome_gbp.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            svg.push_str(&format!(
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"><title>{}</title></rect>",
                LEFT + i as f64 * cw,
                grid.row_top(j),
                cw + 0.3,
                ch + 0.3,
                fill(v, grid.t.threshold_gbp, extreme),
                signed_money(v)
            ));
        }
    }
}

/// An edge between two neighbouring cells on either side of the margin.
fn boundary(svg: &mut String, grid: &Grid) {
    let (nx, ny) = grid.size();
    let (cw, ch) = grid.cell;
    let line = |svg: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64)| {
        svg.push_str(&format!(
            "<line x1=\"{x1:.2}\" x2=\"{x2:.2}\" y1=\"{y1:.2}\" y2=\"{y2:.2}\" stroke=\"black\" stroke-width=\"2\"/>"
        ));
    };
    for j in 0..ny {
        for i in 0..nx {
            if i + 1 < nx && grid.above(i, j) != grid.above(i + 1, j) {
                let x = LEFT + (i + 1) as f64 * cw;
                line(svg, (x, grid.row_top(j)), (x, grid.row_top(j) + ch));
            }
            if j + 1 < ny && grid.above(i, j) != grid.above(i, j + 1) {
                let y = grid.row_top(j);
                let x = LEFT + i as f64 * cw;
                line(svg, (x, y), (x + cw, y));
            }
        }
    }
}

fn base_case(svg: &mut String, grid: &Grid) {
    let (bx, by) = (grid.x(grid.t.base[0]), grid.y(grid.t.base[1]));
    if bx.is_finite() && by.is_finite() {
        svg.push_str(&format!(
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}\" stroke=\"black\" stroke-width=\"3\"/>",
            bx - 7.0, by - 7.0, bx + 7.0, by + 7.0, bx - 7.0, by + 7.0, bx + 7.0, by - 7.0
        ));
    }
}

/// Round values along each axis, at most six, labelled with the decimals
/// their step needs; the axis titles below and beside.
fn ticks(svg: &mut String, grid: &Grid) {
    const COUNT: usize = 6;
    let t = grid.t;
    let along = |values: &[f64]| {
        let (lo, hi) = (values[0], values[values.len() - 1]);
        let digits = axis::decimals(lo, hi, COUNT);
        RangedCoordf64::from(lo..hi)
            .key_points(COUNT)
            .into_iter()
            .map(move |v| (v, axis::fixed(v, digits)))
    };
    for (v, label) in along(&t.x_values) {
        let x = grid.x(v);
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"black\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" {FONT} text-anchor=\"middle\">{label}</text>",
            TOP + SIZE,
            TOP + SIZE + 5.0,
            TOP + SIZE + 19.0
        ));
    }
    for (v, label) in along(&t.y_values) {
        let y = grid.y(v);
        svg.push_str(&format!(
            "<line x1=\"{:.1}\" x2=\"{LEFT:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"black\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" {FONT} text-anchor=\"end\">{label}</text>",
            LEFT - 5.0,
            LEFT - 8.0,
            y + 4.0
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} text-anchor=\"middle\">{}</text>\
         <text x=\"18\" y=\"{:.1}\" {FONT} text-anchor=\"middle\" transform=\"rotate(-90 18 {:.1})\">{}</text>",
        LEFT + SIZE / 2.0,
        TOP + SIZE + 42.0,
        escape(&t.parameters[0]),
        TOP + SIZE / 2.0,
        TOP + SIZE / 2.0,
        escape(&t.parameters[1])
    ));
}

/// The colours' ends and middle, in £ of the outcome, and the marks.
fn key(svg: &mut String, threshold: f64, extreme: f64) {
    let kx = LEFT + SIZE + 20.0;
    let middle = if threshold == 0.0 {
        "0".to_string()
    } else {
        format!("{} (margin)", signed_money(threshold))
    };
    for (k, (v, label)) in [
        (threshold + extreme, signed_money(threshold + extreme)),
        (threshold, middle),
        (threshold - extreme, signed_money(threshold - extreme)),
    ]
    .into_iter()
    .enumerate()
    {
        let y = TOP + 10.0 + k as f64 * 26.0;
        svg.push_str(&format!(
            "<rect x=\"{kx:.1}\" y=\"{y:.1}\" width=\"18\" height=\"18\" fill=\"{}\" stroke=\"#999\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" {FONT}>{}</text>",
            fill(v, threshold, extreme),
            kx + 24.0,
            y + 13.0,
            escape(&label)
        ));
    }
    let boundary = if threshold == 0.0 {
        "sign changes"
    } else {
        "crosses the margin"
    };
    svg.push_str(&format!(
        "<line x1=\"{kx:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"black\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" {FONT}>{boundary}</text>\
         <text x=\"{kx:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">×</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" {FONT}>base case</text>",
        kx + 18.0,
        TOP + 100.0,
        TOP + 100.0,
        kx + 24.0,
        TOP + 104.0,
        TOP + 128.0,
        kx + 24.0,
        TOP + 127.0
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(threshold: f64) -> TwoWayResult {
        TwoWayResult {
            parameters: ["p".into(), "q".into()],
            outcome: "PV of a minus PV of b".into(),
            x_values: vec![0.0, 0.25, 0.5, 0.75, 1.0],
            y_values: vec![10.0, 20.0, 30.0],
            base: [0.5, 20.0],
            threshold_gbp: threshold,
            // The outcome rises across, in £m: 0, 1, 2, 3, 4 on every row.
            outcome_gbp: vec![(0..5).map(|i| f64::from(i) * 1e6).collect(); 3],
            preferred: vec![vec!["a".into(); 5]; 3],
        }
    }

    /// The vertical boundary lines' x positions.
    fn boundary_xs(svg: &str) -> Vec<String> {
        svg.split("<line ")
            .filter(|l| l.contains("stroke-width=\"2\""))
            .filter_map(|l| {
                let x1 = l.split("x1=\"").nth(1)?.split('"').next()?;
                let x2 = l.split("x2=\"").nth(1)?.split('"').next()?;
                (x1 == x2).then(|| x1.to_string())
            })
            .collect()
    }

    #[test]
    fn the_boundary_follows_the_margin() {
        // Cells are 84 px wide from x = 90: outcome 0|1 at 174, 2|3 at 342.
        let at_zero = boundary_xs(&two_way_heat_map(&grid(0.0)));
        assert_eq!(at_zero, ["174.00"; 3]);
        let at_margin = boundary_xs(&two_way_heat_map(&grid(2.5e6)));
        assert_eq!(at_margin, ["342.00"; 3]);
        assert!(two_way_heat_map(&grid(2.5e6)).contains("crosses the margin of +£2.5m"));
    }

    #[test]
    fn both_axes_carry_round_tick_labels() {
        let svg = two_way_heat_map(&grid(0.0));
        for label in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
        for label in ["10", "15", "20", "25", "30"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
    }
}
