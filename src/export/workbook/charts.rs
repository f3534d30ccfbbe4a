//! Native Excel charts beside the tables they read: each series is a range
//! of the sheet's cells, so the chart follows an edited cell.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartAxisLabelPosition, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartType, Worksheet, XlsxError,
};

use super::{Cell, Sheet};
use crate::results::Results;

/// How many tornado bars the chart shows: the widest, as the report does.
const TORNADO_BARS: usize = 15;

/// Adds the charts that belong to `sheet`, if any.
pub fn add(worksheet: &mut Worksheet, sheet: &Sheet, r: &Results) -> Result<(), XlsxError> {
    let charts = match sheet.name {
        "Budget" => budget(sheet, r),
        "Tornado" => tornado(sheet, r).into_iter().collect(),
        "Margin curve" => curves(
            sheet,
            "Probability that A beats B by more than m",
            "margin m, £",
            "P(A − B > m)",
            "pair",
        ),
        "EVSI" => curves(
            sheet,
            "Expected value of sample information by study size",
            "size",
            "EVSI, £",
            "study",
        ),
        _ => Vec::new(),
    };
    let column = u16::try_from(sheet.columns.len() + 1).unwrap_or(u16::MAX);
    for (k, chart) in (0u32..).zip(&charts) {
        worksheet.insert_chart(1 + k * 22, column, chart)?;
    }
    Ok(())
}

/// The rows (first, last; 1-based sheet rows) of each run of equal text in
/// the column headed `header`, in order.
fn blocks(sheet: &Sheet, header: &str) -> Vec<(String, u32, u32)> {
    let Some(at) = sheet.at(header) else {
        return Vec::new();
    };
    let mut out: Vec<(String, u32, u32)> = Vec::new();
    for (row, cell) in (1u32..).zip(&sheet.columns[usize::from(at)].cells) {
        let Cell::Text(key) = cell else { continue };
        match out.last_mut() {
            Some((last, _, end)) if last == key => *end = row,
            _ => out.push((key.clone(), row, row)),
        }
    }
    out
}

/// The number format of a money axis over the cells of `columns`: whole
/// pounds, but pence where every value is below £100, so that an axis of
/// small values (or none but zero) never shows two ticks as the same £.
fn money_axis(sheet: &Sheet, columns: &[u16]) -> &'static str {
    let largest = columns
        .iter()
        .flat_map(|&k| &sheet.columns[usize::from(k)].cells)
        .filter_map(|c| match c {
            Cell::Money(v) if v.is_finite() => Some(v.abs()),
            _ => None,
        })
        .fold(0.0, f64::max);
    if largest < 100.0 {
        "\"£\"#,##0.00"
    } else {
        "\"£\"#,##0"
    }
}

fn dashed() -> ChartLine {
    let mut line = ChartLine::new();
    line.set_dash_type(ChartLineDashType::Dash);
    line
}

/// For each option but the comparator: its net value by year and its
/// cumulative efficiency with the 2.5th-97.5th percentile band.
fn budget(sheet: &Sheet, r: &Results) -> Vec<Chart> {
    let comparator = r.yearly.as_ref().map(|y| y.comparator.as_str());
    let (Some(year), Some(net), Some(mean), Some(low), Some(high)) = (
        sheet.at("year"),
        sheet.at("net value mean, £"),
        sheet.at("cumulative efficiency mean, £"),
        sheet.at("cumulative efficiency 2.5th, £"),
        sheet.at("cumulative efficiency 97.5th, £"),
    ) else {
        return Vec::new();
    };
    let name = sheet.name;
    blocks(sheet, "option")
        .into_iter()
        .filter(|(id, _, _)| Some(id.as_str()) != comparator)
        .map(|(id, first, last)| {
            let mut chart = Chart::new(ChartType::Line);
            let title = r.options.get(&id).map_or(id.clone(), |o| o.name.clone());
            chart
                .title()
                .set_name(&format!("{title}: by year, against the comparator"));
            let series = [
                (net, "net value (mean)", None),
                (mean, "cumulative efficiency (mean)", None),
                (low, "cumulative, 2.5th percentile", Some(dashed())),
                (high, "cumulative, 97.5th percentile", Some(dashed())),
            ];
            for (column, label, line) in series {
                let s = chart
                    .add_series()
                    .set_categories((name, first, year, last, year))
                    .set_values((name, first, column, last, column))
                    .set_name(label);
                if let Some(line) = line {
                    s.set_format(rust_xlsxwriter::ChartFormat::new().set_line(&line));
                }
            }
            chart.x_axis().set_name("year");
            chart
                .y_axis()
                .set_name("£")
                .set_num_format(money_axis(sheet, &[net, mean, low, high]));
            chart.legend().set_position(ChartLegendPosition::Bottom);
            chart.set_width(640).set_height(400);
            chart
        })
        .collect()
}

/// The widest bars, as the outcome at each end of the parameter's range,
/// drawn out from the base case.
fn tornado(sheet: &Sheet, r: &Results) -> Option<Chart> {
    let (parameter, low, high) = (
        sheet.at("parameter")?,
        sheet.at("outcome at low, £")?,
        sheet.at("outcome at high, £")?,
    );
    let last = u32::try_from(sheet.rows().min(TORNADO_BARS)).ok()?;
    let name = sheet.name;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .title()
        .set_name(&format!("Tornado: {}", r.tornado.outcome));
    for (column, label) in [(low, "at the low end"), (high, "at the high end")] {
        chart
            .add_series()
            .set_categories((name, 1, parameter, last, parameter))
            .set_values((name, 1, column, last, column))
            .set_name(label)
            .set_overlap(100);
    }
    // In a bar chart the x axis is the horizontal one, of values. Widest
    // bar at the top; bars start at the base case.
    chart
        .y_axis()
        .set_reverse()
        .set_label_position(ChartAxisLabelPosition::Low);
    chart
        .x_axis()
        .set_name("£")
        .set_num_format(money_axis(sheet, &[low, high]))
        .set_crossing(ChartAxisCrossing::AxisValue(r.tornado.base_case_gbp));
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(720).set_height(480);
    Some(chart)
}

/// One line per block of `key` rows, `x` across and `y` up.
fn curves(sheet: &Sheet, title: &str, x: &str, y: &str, key: &str) -> Vec<Chart> {
    let (Some(xc), Some(yc)) = (sheet.at(x), sheet.at(y)) else {
        return Vec::new();
    };
    let name = sheet.name;
    let mut chart = Chart::new(ChartType::ScatterStraight);
    chart.title().set_name(title);
    for (label, first, last) in blocks(sheet, key) {
        chart
            .add_series()
            .set_categories((name, first, xc, last, xc))
            .set_values((name, first, yc, last, yc))
            .set_name(&label);
    }
    let money = money_axis(sheet, &[xc, yc]);
    // The value axis at the left edge, not where x is zero.
    chart
        .x_axis()
        .set_name(x)
        .set_crossing(ChartAxisCrossing::Min);
    chart.y_axis().set_name(y);
    if x.ends_with('£') {
        chart.x_axis().set_num_format(money);
    }
    if y.ends_with('£') {
        chart.y_axis().set_num_format(money);
    } else if y.starts_with("P(") {
        chart.y_axis().set_min(0.0).set_max(1.0);
    }
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(640).set_height(400);
    vec![chart]
}
