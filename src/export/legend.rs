//! Legends drawn in a strip beneath a figure's canvas, never inside it, so
//! that no legend can hide data whatever the data turn out to be.

use super::format::escape;
use plotters::style::RGBColor;

/// How an entry is marked: a line as drawn, a filled swatch, or nothing (a
/// note in words, on rows of its own).
pub enum Mark {
    Line { colour: RGBColor, width: u32 },
    Swatch { colour: RGBColor, opacity: f64 },
    Note,
}

pub struct Entry {
    pub label: String,
    pub mark: Mark,
}

impl Entry {
    pub fn line(label: impl Into<String>, colour: RGBColor, width: u32) -> Entry {
        Entry {
            label: label.into(),
            mark: Mark::Line { colour, width },
        }
    }

    pub fn swatch(label: impl Into<String>, colour: RGBColor, opacity: f64) -> Entry {
        Entry {
            label: label.into(),
            mark: Mark::Swatch { colour, opacity },
        }
    }

    pub fn note(text: impl Into<String>) -> Entry {
        Entry {
            label: text.into(),
            mark: Mark::Note,
        }
    }
}

const ROW: f64 = 22.0;
const PAD: f64 = 8.0;
const FONT_SIZE: f64 = 13.0;
/// A generous average glyph width of the sans-serif font at that size, so
/// that entries laid out by it do not run into each other.
const GLYPH: f64 = 7.4;
const MARK: f64 = 18.0;

fn hex(RGBColor(r, g, b): RGBColor) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Where the canvas of a plotters SVG ends: its width and height.
fn canvas(svg: &str) -> Option<(f64, f64)> {
    let open = &svg[svg.find("<svg")?..];
    let open = &open[..open.find('>')?];
    let number = |name: &str| -> Option<f64> {
        let at = open.find(&format!(" {name}=\""))? + name.len() + 3;
        open[at..at + open[at..].find('"')?].parse().ok()
    };
    Some((number("width")?, number("height")?))
}

/// A line of the legend: where it goes, its words and its mark.
struct Placed<'a> {
    x: f64,
    row: usize,
    text: String,
    mark: Option<&'a Mark>,
}

/// Each entry's place, (x, row), laid out left to right and wrapped; a
/// note starts a row of its own and is broken into lines at spaces.
fn layout(entries: &[Entry], width: f64) -> Vec<Placed<'_>> {
    let mut places = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (PAD, 0);
    let per_line = (((width - 2.0 * PAD) / GLYPH) as usize).max(10);
    for entry in entries {
        if let Mark::Note = entry.mark {
            if x > PAD {
                row += 1;
            }
            let mut line = String::new();
            for word in entry.label.split(' ') {
                if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
                    places.push(Placed {
                        x: PAD,
                        row,
                        text: std::mem::take(&mut line),
                        mark: None,
                    });
                    row += 1;
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
            places.push(Placed {
                x: PAD,
                row,
                text: line,
                mark: None,
            });
            row += 1;
            x = PAD;
            continue;
        }
        let wide = MARK + 6.0 + GLYPH * entry.label.chars().count() as f64 + 18.0;
        if x > PAD && x + wide > width - PAD {
            x = PAD;
            row += 1;
        }
        places.push(Placed {
            x,
            row,
            text: entry.label.clone(),
            mark: Some(&entry.mark),
        });
        x += wide;
    }
    places
}

/// The figure `svg`, as plotters wrote it, with `entries` as a legend in a
/// strip beneath its canvas, the canvas grown to hold it. The legend's
/// frame is the `rect` of class `legend`.
pub fn below(svg: String, entries: &[Entry]) -> String {
    let Some((width, height)) = canvas(&svg) else {
        return svg;
    };
    if entries.is_empty() {
        return svg;
    }
    let places = layout(entries, width);
    let rows = places.iter().map(|p| p.row).max().unwrap_or(0) + 1;
    let strip = rows as f64 * ROW + PAD;
    let grown = height + strip;
    let mut legend = format!(
        "<g class=\"legend\"><rect class=\"legend\" x=\"0\" y=\"{height}\" width=\"{width}\" height=\"{strip}\" fill=\"#FFFFFF\" stroke=\"none\"/>"
    );
    for Placed { x, row, text, mark } in places {
        let y = height + PAD / 2.0 + row as f64 * ROW + ROW / 2.0;
        let text_x = if mark.is_some() { x + MARK + 6.0 } else { x };
        match mark {
            None | Some(Mark::Note) => {}
            Some(&Mark::Line { colour, width }) => legend.push_str(&format!(
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"{width}\"/>",
                x + MARK,
                hex(colour)
            )),
            Some(&Mark::Swatch { colour, opacity }) => legend.push_str(&format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"{MARK}\" height=\"10\" fill=\"{}\" fill-opacity=\"{opacity}\"/>",
                y - 5.0,
                hex(colour)
            )),
        }
        legend.push_str(&format!(
            "<text x=\"{text_x}\" y=\"{y}\" dy=\"0.35em\" font-family=\"sans-serif\" font-size=\"{FONT_SIZE}\" fill=\"#000000\">{}</text>",
            escape(&text)
        ));
    }
    legend.push_str("</g>");
    // The opening tag names the canvas size twice: as its height and in
    // its view box.
    let Some(start) = svg.find("<svg") else {
        return svg;
    };
    let Some(open_end) = svg[start..].find('>').map(|i| start + i) else {
        return svg;
    };
    let open = svg[start..open_end]
        .replacen(
            &format!(" height=\"{height}\""),
            &format!(" height=\"{grown}\""),
            1,
        )
        .replacen(
            &format!("viewBox=\"0 0 {width} {height}\""),
            &format!("viewBox=\"0 0 {width} {grown}\""),
            1,
        );
    let Some(close) = svg.rfind("</svg>") else {
        return svg;
    };
    format!(
        "{}{open}{}{legend}{}",
        &svg[..start],
        &svg[open_end..close],
        &svg[close..]
    )
}

/// Checks for the figures' layout tests: the legend frame of a figure and
/// the extent of everything else drawn in it.
#[cfg(test)]
pub mod geometry {
    /// (top, bottom) of the legend frame, if the figure has one.
    pub fn legend_rows(svg: &str) -> Option<(f64, f64)> {
        let at = svg.find("<rect class=\"legend\"")?;
        let tag = &svg[at..at + svg[at..].find('>')?];
        let y = attribute(tag, "y")?;
        Some((y, y + attribute(tag, "height")?))
    }

    fn attribute(tag: &str, name: &str) -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..at + tag[at..].find('"')?].parse().ok()
    }

    /// The lowest point any mark outside the legend reaches: every y of
    /// every circle, rect, line, polyline and polygon, and every text's
    /// baseline.
    pub fn lowest_mark(svg: &str) -> f64 {
        let body = match svg.find("<g class=\"legend\"") {
            Some(at) => &svg[..at],
            None => svg,
        };
        let mut lowest = f64::MIN;
        for piece in body.split('<').skip(1) {
            let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
            let name = tag.split([' ', '/']).next().unwrap_or("");
            let ys: Vec<f64> = match name {
                "circle" => attribute(tag, "cy")
                    .zip(attribute(tag, "r"))
                    .map(|(y, r)| vec![y + r])
                    .unwrap_or_default(),
                // The canvas's own white background spans it all.
                "rect" if !tag.contains(" x=\"0\" y=\"0\"") => attribute(tag, "y")
                    .zip(attribute(tag, "height"))
                    .map(|(y, h)| vec![y + h])
                    .unwrap_or_default(),
                "line" => [attribute(tag, "y1"), attribute(tag, "y2")]
                    .into_iter()
                    .flatten()
                    .collect(),
                "text" => attribute(tag, "y").into_iter().collect(),
                "polyline" | "polygon" => tag
                    .find("points=\"")
                    .map(|p| {
                        let points = &tag[p + 8..];
                        points[..points.find('"').unwrap_or(points.len())]
                            .split_whitespace()
                            .filter_map(|xy| xy.split(',').nth(1)?.parse().ok())
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            lowest = ys.into_iter().fold(lowest, f64::max);
        }
        lowest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_sits_below_the_canvas_which_grows_to_hold_it() {
        let svg = "<svg width=\"300\" height=\"200\" viewBox=\"0 0 300 200\" xmlns=\"http://www.w3.org/2000/svg\">\n<circle cx=\"10\" cy=\"190\" r=\"2\"/>\n</svg>\n".to_string();
        let entries: Vec<Entry> = (0..6)
            .map(|k| Entry::line(format!("a long label number {k}"), RGBColor(0, 0, 0), 2))
            .collect();
        let out = below(svg, &entries);
        let (top, bottom) = geometry::legend_rows(&out).unwrap();
        assert_eq!(top, 200.0);
        // Six entries of about 200 px wrap onto six rows in 300 px.
        assert_eq!(bottom, 200.0 + 6.0 * ROW + PAD);
        assert!(out.contains(&format!("height=\"{bottom}\" viewBox=\"0 0 300 {bottom}\"")));
        assert_eq!(geometry::lowest_mark(&out), 192.0);
        assert_eq!(out.matches("<text").count(), 6);
    }
}
