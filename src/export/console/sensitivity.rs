//! The tornado as a table: the widest bars and every switch point.

use super::table;
use crate::export::format::{Unit, money, short};
use crate::results::TornadoResult;

/// The tornado: the `top` widest bars and every switch point.
pub fn tornado(t: &TornadoResult, top: usize) -> String {
    let unit = Unit::for_amounts(
        t.bars
            .iter()
            .flat_map(|b| [b.grid_min_gbp, b.grid_max_gbp])
            .chain([t.base_case_gbp]),
    );
    let m = |x: f64| unit.signed(x, 2);
    let rows: Vec<Vec<String>> = t
        .bars
        .iter()
        .take(top)
        .map(|b| {
            vec![
                b.parameter.clone(),
                format!("{} to {}", short(b.low_value), short(b.high_value)),
                m(b.outcome_at_low_gbp),
                m(b.outcome_at_high_gbp),
                unit.plain(b.grid_max_gbp - b.grid_min_gbp, 2),
                if b.turns_inside_range {
                    "yes".into()
                } else {
                    String::new()
                },
                format!("{} / {}", b.best_at_low, b.best_at_high),
            ]
        })
        .collect();
    let changes = if t.threshold_gbp == 0.0 {
        "the decision changes where it crosses zero".to_string()
    } else {
        format!(
            "the decision changes where it crosses the margin, {}",
            money(t.threshold_gbp)
        )
    };
    let mut out = format!(
        "Tornado: {} ({}); base case {}; {changes}\n\n",
        t.outcome,
        unit.name,
        m(t.base_case_gbp)
    );
    out.push_str(&table(
        &[
            "parameter",
            "range",
            "at low",
            "at high",
            "swing",
            "turns",
            "best low / high",
        ],
        &rows,
    ));
    if t.bars.len() > top {
        out.push_str(&format!(
            "({} more in tornado.parquet)\n",
            t.bars.len() - top
        ));
    }
    if t.switch_points.is_empty() {
        out.push_str("\nSwitch points: none; no parameter's range changes the preferred option or takes the outcome across its margin.\n");
    } else {
        out.push_str("\nSwitch points:\n");
        for p in &t.switch_points {
            out.push_str(&format!(
                "  {} = {}: {} changes from {} to {}\n",
                p.parameter,
                short(p.value),
                p.kind,
                p.below,
                p.above
            ));
        }
    }
    out
}
