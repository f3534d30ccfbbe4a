//! The budget year by year, and when each option's cumulative efficiency
//! breaks even.

use std::fmt::Write as _;

use super::*;

/// Each option's money year by year, when its efficiency breaks even, and
/// how sure that is.
pub(super) fn budget(w: &mut String, page: &Page) -> Drawn {
    let _ = write!(w, "<section id=\"budget\"><h2>The budget year by year</h2>");
    let Some(y) = &page.r.yearly else {
        let _ = write!(
            w,
            "<p>This summary was written before the engine reported the yearly budget.</p></section>"
        );
        return Ok(());
    };
    let fans = |of: fn(&crate::results::BudgetYear) -> crate::results::Spread| {
        y.options
            .iter()
            .map(|(id, o)| plots::Fan {
                label: id.clone(),
                colour: page.index(id),
                years: o.years.iter().map(of).collect(),
            })
            .collect::<Vec<_>>()
    };
    let comparator = escape(&y.comparator);
    let _ = write!(
        w,
        "<p>In the price year's £, undiscounted: what each option costs (running cost plus start-up and backfill) \
         and what the activity its hubs avoid is worth at national tariffs, year by year, over the draws. The value avoided is \
         health-system efficiency, not cash: activity avoided frees capacity for other patients; it releases no money from \
         any budget unless services are decommissioned. Light band: 2.5th to 97.5th percentile; dark band: \
         25th to 75th; line: median; dots: the base case. Every figure is in <code>yearly.parquet</code>.</p>\
         <h3>Net value each year (value avoided less investment)</h3>{}\
         <h3>Cumulative net efficiency against {comparator}</h3>\
         <p>The option's net less {comparator}'s, summed from year 1. Its efficiency breaks even once this is above zero.</p>{}",
        figure(
            &plots::fans(&fans(|b| b.net_gbp), "net")?,
            "Fan charts of each option's net value each year over the draws"
        ),
        figure(
            &plots::fans(&fans(|b| b.cumulative_net_efficiency_gbp), "cumulative")?,
            "Fan charts of each option's cumulative net efficiency against the comparator"
        ),
    );
    break_even(w, page, y);
    means(w, page, y);
    let _ = write!(
        w,
        "<p class=\"note\">Percentiles are read from counts in narrow buckets, each within {:.3}% of the exact value; means are exact.</p></section>",
        y.percentile_relative_accuracy * 100.0
    );
    Ok(())
}

fn horizon(y: &crate::results::YearlyResult) -> usize {
    y.options.values().map(|o| o.years.len()).max().unwrap_or(0)
}

/// The share of draws whose efficiency has broken even by each year.
fn break_even(w: &mut String, page: &Page, y: &crate::results::YearlyResult) {
    let comparator = escape(&y.comparator);
    let horizon = horizon(y);
    let _ = write!(
        w,
        "<h3>Efficiency break-even</h3><p>The share of draws in which the cumulative net efficiency against \
         {comparator} has turned positive by the end of each year (the break-even year is the first such year). \
         This is efficiency, not cash paid back. A hub counts a whole year in the year it opens (the model's years are whole \
         years of operation), so an option whose hubs open in year 1 can break even in year 1.</p>\
         <table><tr><th>option</th>"
    );
    for t in 1..=horizon {
        let _ = write!(w, "<th>by year {t}</th>");
    }
    let _ = write!(w, "<th>never</th><th>median break-even year</th></tr>");
    for (id, o) in &y.options {
        let _ = write!(w, "<tr><td>{}</td>", escape(page.name(id)));
        for b in &o.years {
            w.push_str(&num(b.p_paid_back_by_year, share(b.p_paid_back_by_year)));
        }
        w.push_str(&num(o.p_never_paid_back, share(o.p_never_paid_back)));
        let median = o
            .median_payback_year
            .map_or("never".to_string(), |t| t.to_string());
        let _ = write!(w, "<td class=\"num\">{median}</td></tr>");
    }
    let _ = write!(w, "</table>");
}

/// Each option's mean investment, value avoided and net, year by year.
fn means(w: &mut String, page: &Page, y: &crate::results::YearlyResult) {
    let horizon = horizon(y);
    type Quantity = fn(&crate::results::BudgetYear) -> &crate::results::Spread;
    let tables: [(&str, Quantity); 3] = [
        ("Investment (running plus transition cost)", |b| {
            &b.investment_gbp
        }),
        ("Value of activity avoided", |b| &b.value_avoided_gbp),
        ("Net value", |b| &b.net_gbp),
    ];
    for (title, of) in tables {
        let unit = crate::export::format::Unit::for_amounts(
            y.options
                .values()
                .flat_map(|o| o.years.iter().map(|b| of(b).mean)),
        );
        let _ = write!(
            w,
            "<h3>{title}: mean over the draws, {}</h3><table><tr><th>option</th>",
            unit.name
        );
        for t in 1..=horizon {
            let _ = write!(w, "<th>year {t}</th>");
        }
        let _ = write!(w, "</tr>");
        for (id, o) in &y.options {
            let _ = write!(w, "<tr><td>{}</td>", escape(page.name(id)));
            for b in &o.years {
                let mean = of(b).mean;
                w.push_str(&num(mean, unit.signed(mean, 2)));
            }
            let _ = write!(w, "</tr>");
        }
        let _ = write!(w, "</table>");
    }
}
