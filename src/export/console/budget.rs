//! The efficiency break-even table: the share of draws whose cumulative net
//! efficiency has turned positive by each year.

use super::table;
use crate::export::format::share;

/// When each option pays back: the share of draws whose cumulative net
/// efficiency against the comparator is positive by the end of a year.
pub fn payback(y: &crate::results::YearlyResult) -> String {
    let horizon = y.options.values().map(|o| o.years.len()).max().unwrap_or(0);
    let years: Vec<usize> = [1, 2, 3, 5, horizon]
        .into_iter()
        .filter(|&t| t <= horizon)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut header: Vec<String> = vec!["option".into()];
    header.extend(years.iter().map(|t| format!("by year {t}")));
    header.push("median year".into());
    let rows: Vec<Vec<String>> = y
        .options
        .iter()
        .map(|(id, o)| {
            let mut row = vec![id.clone()];
            row.extend(
                years
                    .iter()
                    .map(|&t| share(o.years[t - 1].p_paid_back_by_year)),
            );
            row.push(
                o.median_payback_year
                    .map_or("never".into(), |t| t.to_string()),
            );
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    format!(
        "Efficiency break-even (not cash released): share of draws whose cumulative net efficiency against {}, undiscounted, is positive by the end of the year; a hub counts its whole opening year (each year in yearly.parquet):\n{}",
        y.comparator,
        table(&header, &rows)
    )
}
