//! The budget year by year (`yearly.parquet`, `summary.json`'s `yearly`):
//! recounted from every draw's own yearly figures, tied to the draws' present
//! values in `samples.parquet`, and at base values equal to `base --detail`.

mod common;
use common::{chh_psa, floats, manifest, ok, strings, summary};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chh_psa::analysis::quantiles::RELATIVE_ACCURACY;
use chh_psa::export::parquet;
use polars::prelude::DataFrame;

fn run_file(dir: &Path, samples: u64, extra: &str) -> PathBuf {
    let path = dir.join("run.toml");
    std::fs::write(
        &path,
        format!(
            "samples = {samples}\nseed = 23\ndistributions = \"{}\"\noutput = \"out\"\n[evppi]\nparameters = false\n{extra}\n",
            manifest().join("distributions").display()
        ),
    )
    .unwrap();
    path
}

fn integers(df: &DataFrame, name: &str) -> Vec<i64> {
    let column = df
        .column(name)
        .unwrap()
        .cast(&polars::prelude::DataType::Int64)
        .unwrap();
    column.i64().unwrap().into_no_null_iter().collect()
}

/// Type 7 on a sorted copy, with the two order statistics around it.
fn type7(values: &[f64], p: f64) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * p;
    let low = h.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    let value = sorted[low] + (h - low as f64) * (sorted[high] - sorted[low]);
    (value, sorted[low], sorted[high])
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()) + 1e-6
}

#[test]
fn yearly_figures_and_payback_equal_a_recount_from_every_draws_flows() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), 3000, "[yearly]\ndraws = true\n");
    let console = ok(chh_psa(&["run", file.to_str().unwrap()])).stdout;
    let console = String::from_utf8_lossy(&console);
    let out = dir.path().join("out");
    let s = summary(&out);
    let yearly = s
        .yearly
        .as_ref()
        .expect("the run reports the yearly budget");
    let flows = parquet::read(&out.join("yearly_draws.parquet")).unwrap();
    let samples = parquet::read(&out.join("samples.parquet")).unwrap();
    let n = samples.height();
    let ids: Vec<&String> = s.options.keys().collect();
    let horizon = s.run.horizon_years;
    assert_eq!(flows.height(), n * ids.len() * horizon);

    // (option, year) → each draw's [investment, value avoided, net].
    let (draw, option, year) = (
        integers(&flows, "draw"),
        strings(&flows, "option"),
        integers(&flows, "year"),
    );
    let columns = ["investment_gbp", "value_avoided_gbp", "net_gbp"].map(|c| floats(&flows, c));
    let mut by_cell: HashMap<(String, usize), Vec<[f64; 3]>> = HashMap::new();
    for i in 0..flows.height() {
        let cell = by_cell
            .entry((option[i].clone(), year[i] as usize))
            .or_default();
        assert_eq!(cell.len() as i64, draw[i], "rows in draw order");
        let [a, b, c] = &columns;
        assert!(close(b[i] - a[i], c[i], 1e-12), "net = value − investment");
        cell.push([a[i], b[i], c[i]]);
    }
    let comparator = &yearly.comparator;
    let efficiency = |id: &str, t: usize, j: usize| {
        by_cell[&(id.to_string(), t)][j][2] - by_cell[&(comparator.clone(), t)][j][2]
    };

    flows_sum_to_each_draw_s_value(&s, &samples, &efficiency);

    for id in &ids {
        let o = &yearly.options[id.as_str()];
        let mut cumulative = vec![0.0; n];
        let mut payback = vec![None; n];
        for (t, y) in (1..=horizon).zip(&o.years) {
            assert_eq!(y.year, t);
            for (j, c) in cumulative.iter_mut().enumerate() {
                *c += efficiency(id, t, j);
                if *c > 0.0 && payback[j].is_none() {
                    payback[j] = Some(t);
                }
            }
            spreads_equal_the_recount(id, y, &by_cell[&(id.to_string(), t)], &cumulative);
            let share = |f: &dyn Fn(&Option<usize>) -> bool| {
                payback.iter().filter(|p| f(p)).count() as f64 / n as f64
            };
            assert_eq!(y.p_payback_in_year, share(&|p| *p == Some(t)));
            assert_eq!(y.p_paid_back_by_year, share(&|p| p.is_some_and(|p| p <= t)));
        }
        let never = payback.iter().filter(|p| p.is_none()).count();
        assert_eq!(o.p_never_paid_back, never as f64 / n as f64);
        let mut years: Vec<usize> = payback.iter().map(|p| p.unwrap_or(usize::MAX)).collect();
        years.sort();
        let median = years[(n - 1) / 2];
        assert_eq!(
            o.median_payback_year,
            (median != usize::MAX).then_some(median)
        );
    }
    console_shows_the_break_even_shares(&console, yearly, horizon);
    // Not every option pays back at once: the counts are not trivial.
    assert!(yearly.options.values().any(|o| o.p_never_paid_back == 1.0));
    assert!(yearly.options.values().any(|o| o.p_never_paid_back == 0.0));

    // The table holds the same figures as the summary.
    let table = parquet::read(&out.join("yearly.parquet")).unwrap();
    assert_eq!(table.height(), ids.len() * horizon);
    let net_p50 = floats(&table, "net_p50_gbp");
    let by_year = floats(&table, "p_paid_back_by_year");
    let rows = yearly.options.values().flat_map(|o| &o.years);
    for (i, y) in rows.enumerate() {
        assert_eq!(net_p50[i], y.net_gbp.p50);
        assert_eq!(by_year[i], y.p_paid_back_by_year);
    }
}

/// With neither parameters nor roll-out sampled, every draw is the base case:
/// each yearly figure, its mean and every percentile equal `base --detail`.
#[test]
fn at_base_values_the_yearly_figures_equal_base_detail() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(
        dir.path(),
        40,
        "[uncertainty]\nparameters = false\nrollout = false\n",
    );
    ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    let detail_path = dir.path().join("detail.parquet");
    ok(chh_psa(&[
        "base",
        "--detail",
        detail_path.to_str().unwrap(),
    ]));
    let detail = parquet::read(&detail_path).unwrap();
    let table = parquet::read(&dir.path().join("out/yearly.parquet")).unwrap();
    assert_eq!(strings(&detail, "option"), strings(&table, "option"));
    assert_eq!(integers(&detail, "year"), integers(&table, "year"));

    let running = floats(&detail, "running_cost_gbp");
    let transition = floats(&detail, "transition_cost_gbp");
    let investment: Vec<f64> = running
        .iter()
        .zip(&transition)
        .map(|(a, b)| a + b)
        .collect();
    let efficiency = floats(&detail, "net_efficiency_gbp");
    let years = integers(&detail, "year");
    let mut cumulative = Vec::new();
    for (i, e) in efficiency.iter().enumerate() {
        let before = if years[i] == 1 {
            0.0
        } else {
            cumulative[i - 1]
        };
        cumulative.push(before + e);
    }
    let expected = [
        ("investment", investment),
        ("value_avoided", floats(&detail, "gross_benefit_gbp")),
        ("net", floats(&detail, "net_value_gbp")),
        ("cumulative_net_efficiency", cumulative),
    ];
    for (quantity, want) in &expected {
        for statistic in ["base", "mean", "p2_5", "p25", "p50", "p75", "p97_5"] {
            let got = floats(&table, &format!("{quantity}_{statistic}_gbp"));
            for (i, (g, w)) in got.iter().zip(want).enumerate() {
                assert!(
                    close(*g, *w, 1e-12),
                    "{quantity}_{statistic} row {i}: {g} against base --detail's {w}"
                );
            }
        }
    }
    assert!(expected[0].1.iter().any(|&v| v > 0.0));
}

#[test]
fn every_draws_flows_are_refused_beyond_a_million_draws() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), 1_000_001, "[yearly]\ndraws = true\n");
    let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("yearly.draws") && err.contains("1000000"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

/// The console's break-even table shows the same shares, never rounded
/// to 0 or 1 unless exactly so.
fn console_shows_the_break_even_shares(
    console: &str,
    yearly: &chh_psa::results::YearlyResult,
    horizon: usize,
) {
    let shows = |cell: &str, p: f64| match cell {
        ">0.999" => p > 0.999 && p < 1.0,
        "<0.001" => p > 0.0 && p < 0.001,
        _ => cell == format!("{p:.3}") && (p == 0.0 || p == 1.0 || (0.0005..0.9995).contains(&p)),
    };
    let table = &console[console
        .find("Efficiency break-even (not cash released):")
        .expect("a break-even table")..];
    for (id, o) in &yearly.options {
        let row = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id.as_str()))
            .unwrap();
        let cells: Vec<&str> = row.split_whitespace().collect();
        for (cell, year) in [(cells[1], 0), (cells[5], horizon - 1)] {
            let p = o.years[year].p_paid_back_by_year;
            assert!(shows(cell, p), "{id} year {}: {cell} for {p}", year + 1);
        }
        let median = o
            .median_payback_year
            .map_or("never".into(), |t| t.to_string());
        assert_eq!(cells[6], median);
    }
}

/// The flows are the draws' own: their efficiency against the comparator,
/// summed and discounted, gives each draw's nominal value and PV.
fn flows_sum_to_each_draw_s_value(
    s: &chh_psa::results::Results,
    samples: &polars::prelude::DataFrame,
    efficiency: &dyn Fn(&str, usize, usize) -> f64,
) {
    let (n, horizon) = (samples.height(), s.run.horizon_years);
    let rate = s
        .parameters
        .iter()
        .find(|p| p.name == "discount_rate")
        .unwrap()
        .base;
    for id in s.options.keys() {
        let nominal = floats(samples, &format!("{id}_nominal_gbp"));
        let pv = floats(samples, &format!("{id}_pv_gbp"));
        for j in 0..n {
            let (mut nom, mut present) = (0.0, 0.0);
            for t in 1..=horizon {
                nom += efficiency(id, t, j);
                present += efficiency(id, t, j) * (1.0 + rate).powi(-(t as i32));
            }
            assert!(close(nom, nominal[j], 1e-9), "{id} draw {j} nominal");
            assert!(close(present, pv[j], 1e-9), "{id} draw {j} PV");
        }
    }
}

/// Each of the year's spreads (investment, value avoided, net, cumulative
/// efficiency) has the mean and type-7 percentiles of its draws.
fn spreads_equal_the_recount(
    id: &str,
    y: &chh_psa::results::BudgetYear,
    cell: &[[f64; 3]],
    cumulative: &[f64],
) {
    let (n, t) = (cell.len(), y.year);
    let recount: [Vec<f64>; 4] = [
        cell.iter().map(|f| f[0]).collect(),
        cell.iter().map(|f| f[1]).collect(),
        cell.iter().map(|f| f[2]).collect(),
        cumulative.to_vec(),
    ];
    let spreads = [
        &y.investment_gbp,
        &y.value_avoided_gbp,
        &y.net_gbp,
        &y.cumulative_net_efficiency_gbp,
    ];
    for (values, spread) in recount.iter().zip(spreads) {
        let mean = values.iter().sum::<f64>() / n as f64;
        assert!(close(spread.mean, mean, 1e-12), "{id} year {t} mean");
        for (p, got) in [
            (0.025, spread.p2_5),
            (0.25, spread.p25),
            (0.5, spread.p50),
            (0.75, spread.p75),
            (0.975, spread.p97_5),
        ] {
            let (exact, a, b) = type7(values, p);
            let tolerance = RELATIVE_ACCURACY * a.abs().max(b.abs()) + 1e-6;
            assert!(
                (got - exact).abs() <= tolerance,
                "{id} year {t} p{p}: {got} against {exact}"
            );
        }
    }
}
