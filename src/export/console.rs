//! Plain-text tables for the terminal.

/// £ in millions with one decimal and a sign, e.g. `+24.6`.
pub fn millions(gbp: f64) -> String {
    format!("{:+.2}", gbp / 1e6)
}

/// Renders rows as a left-aligned first column and right-aligned others.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let render = |cells: &[String]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        line.trim_end().to_string()
    };
    let mut out = render(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
    out.push('\n');
    for row in rows {
        out.push_str(&render(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let t = table(
            &["option", "PV"],
            &[
                vec!["decline".into(), "-8.24".into()],
                vec!["a".into(), "1".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "option      PV");
        assert_eq!(lines[2], "decline  -8.24");
        assert_eq!(lines[3], "a            1");
    }

    #[test]
    fn millions_has_sign_and_two_decimals() {
        assert_eq!(millions(24_600_000.0), "+24.60");
        assert_eq!(millions(-8_240_000.0), "-8.24");
    }
}
