//! Categories: the rankogram and the pairwise matrix, drawn as plain SVG.

use super::*;

/// Rankogram: for each option a bar of its rank probabilities stacked from
/// rank 1 (the best, darkest) to the last, so each bar sums to one. Ranks
/// are categories, not a continuous axis, so they are not joined by lines.
pub fn rankogram(ids: &[String], p_rank: &[Vec<f64>]) -> Drawn<String> {
    // Room for the longest label at 13 px.
    let left = ids
        .iter()
        .map(|id| text_width(id) as f64 + 16.0)
        .fold(130.0, f64::max);
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
        w = left + WIDTH + 30.0
    );
    for (k, id) in ids.iter().enumerate() {
        let y = TOP + ROW * k as f64;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(id)
        ));
        let mut x = left;
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
        let kx = left + r as f64 * 80.0;
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
        "<text x=\"{left:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"12\">share of draws (each bar sums to 1; rank 1 is the best)</text></svg>",
        ky + 40.0
    ));
    Ok(svg)
}

/// About how wide `text` is at 13 px, in px.
fn text_width(text: &str) -> usize {
    text.chars().count() * 15 / 2
}

/// Heat map of P(row beats column), each cell labelled with its value.
pub fn pairwise(ids: &[String], matrix: &[Vec<f64>]) -> Drawn<String> {
    const CAPTION: &str = "row option beats column option in this share of draws (PV)";
    // Room for the longest row label, a column label over each cell, and
    // the caption under a grid of few options.
    let n = ids.len();
    let cell = ids
        .iter()
        .map(|id| text_width(id) + 10)
        .fold(90, usize::max);
    let left = ids
        .iter()
        .map(|id| text_width(id) + 16)
        .max()
        .unwrap_or(0)
        .max(120);
    let top = 40;
    let width = (left + cell * n + 20).max(left + text_width(CAPTION) + 20);
    let size = (width as u32, (top + cell * n + 80) as u32);
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
            CAPTION,
            (left as i32, (top + cell * n + 12) as i32),
            font.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(e)?;
        colour_key(&root, left as i32, (top + cell * n + 36) as i32, &font)?;
        root.present().map_err(e)?;
    }
    Ok(svg)
}

/// White at 0 to dark blue at 1.
fn shade(p: f64) -> RGBColor {
    let t = p.clamp(0.0, 1.0);
    RGBColor(
        (255.0 - 255.0 * t) as u8,
        (255.0 - 141.0 * t) as u8,
        (255.0 - 77.0 * t) as u8,
    )
}

/// The heat map's colour key at (`left`, `key_y`): eleven steps from 0
/// to 1.
fn colour_key(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    left: i32,
    key_y: i32,
    font: &TextStyle,
) -> Drawn<()> {
    for step in 0..=10 {
        let x = left + step * 22;
        root.draw(&Rectangle::new(
            [(x, key_y), (x + 22, key_y + 14)],
            shade(step as f64 / 10.0).filled(),
        ))
        .map_err(e)?;
    }
    root.draw(&Rectangle::new(
        [(left, key_y), (left + 242, key_y + 14)],
        RGBColor(150, 150, 150),
    ))
    .map_err(e)?;
    for (label, at) in [("0", 0), ("0.5", 121), ("1", 242)] {
        root.draw(&Text::new(
            label,
            (left + at, key_y + 18),
            font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(e)?;
    }
    Ok(())
}
