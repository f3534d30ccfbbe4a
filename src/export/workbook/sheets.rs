//! Each sheet of the workbook as a table of cells, from the typed result.

use super::{Cell, Column, Sheet};
use crate::results::{OptionResult, PairResult, Results, Spread};

fn text<I: IntoIterator<Item = String>>(header: &str, cells: I) -> Column {
    column(header, cells.into_iter().map(Cell::Text))
}

fn money<I: IntoIterator<Item = f64>>(header: &str, cells: I) -> Column {
    column(header, cells.into_iter().map(Cell::Money))
}

fn share<I: IntoIterator<Item = f64>>(header: &str, cells: I) -> Column {
    column(header, cells.into_iter().map(Cell::Share))
}

fn number<I: IntoIterator<Item = f64>>(header: &str, cells: I) -> Column {
    column(header, cells.into_iter().map(Cell::Number))
}

fn column(header: &str, cells: impl Iterator<Item = Cell>) -> Column {
    Column {
        header: header.to_string(),
        cells: cells.collect(),
    }
}

/// Every sheet, in the order a board pack reads them.
pub fn all(r: &Results) -> Vec<Sheet> {
    vec![
        about(r),
        answer(r),
        options(r),
        budget(r),
        break_even(r),
        margin_curve(r),
        tornado(r),
        switch_points(r),
        two_way(r),
        scenarios(r),
        scenario_pairs(r),
        evppi(r),
        evsi(r),
        parameters(r),
    ]
}

/// The run's provenance and headline figures, one per row.
fn about(r: &Results) -> Sheet {
    let run = &r.run;
    let rows: Vec<(&str, Cell)> = vec![
        ("engine", Cell::Text(r.engine.name.clone())),
        ("engine version", Cell::Text(r.engine.version.clone())),
        (
            "summary.json schema version",
            Cell::Number(f64::from(r.schema_version)),
        ),
        ("draws", Cell::Number(run.samples as f64)),
        ("seed", Cell::Text(run.seed.to_string())),
        ("sampling design", Cell::Text(run.sampling_design.clone())),
        (
            "parameters sampled",
            Cell::Text(run.uncertainty.parameters.to_string()),
        ),
        (
            "roll-out sampled",
            Cell::Text(run.uncertainty.rollout.to_string()),
        ),
        ("horizon, years", Cell::Number(run.horizon_years as f64)),
        ("interval level", Cell::Share(run.interval_level)),
        ("values", Cell::Text(run.decision_metric.clone())),
        ("percentiles", Cell::Text(run.percentile_method.clone())),
        (
            "parameter files (SHA-256)",
            Cell::Text(run.inputs_hash.clone()),
        ),
        ("run file (SHA-256)", Cell::Text(run.run_file_hash.clone())),
        (
            "best option by mean PV",
            Cell::Text(r.best_option_by_mean.clone()),
        ),
        ("EVPI, £", Cell::Money(r.evpi_gbp)),
        ("EVPI MCSE, £", Cell::Money(r.evpi_mcse_gbp)),
    ];
    let mut rows = rows;
    if let Some(split) = r.evppi.as_ref().and_then(|e| e.split.as_ref()) {
        rows.extend([
            (
                "EVPI learnable (every parameter), £",
                Cell::Money(split.learnable_gbp),
            ),
            (
                "EVPI learnable standard error, £",
                Cell::Money(split.learnable_se_gbp),
            ),
            (
                "EVPI irreducible (the roll-out's own chance), £",
                Cell::Money(split.irreducible_gbp),
            ),
        ]);
    }
    let (items, values): (Vec<&str>, Vec<Cell>) = rows.into_iter().unzip();
    Sheet {
        name: "Run",
        table: "Run",
        columns: vec![
            text("item", items.into_iter().map(String::from)),
            column("value", values.into_iter()),
        ],
    }
}

/// Each decision pair: its margin, P(A − B > m) with its Wilson interval,
/// the verdict, and the difference's mean and interval.
fn answer(r: &Results) -> Sheet {
    let pairs: Vec<(&String, &PairResult)> = r.decision.pairs.iter().collect();
    let get = |f: fn(&PairResult) -> f64| pairs.iter().map(move |(_, p)| f(p));
    Sheet {
        name: "Answer",
        table: "Answer",
        columns: vec![
            text("pair", pairs.iter().map(|(k, _)| (*k).clone())),
            text("A", pairs.iter().map(|(_, p)| p.a.clone())),
            text("B", pairs.iter().map(|(_, p)| p.b.clone())),
            money("margin m, £", get(|p| p.margin_gbp)),
            share("P(A − B > m)", get(|p| p.p_a_beats_b.estimate)),
            share("MCSE", get(|p| p.p_a_beats_b.mcse)),
            share("Wilson 95% low", get(|p| p.p_a_beats_b.wilson_low)),
            share("Wilson 95% high", get(|p| p.p_a_beats_b.wilson_high)),
            text("verdict", pairs.iter().map(|(_, p)| p.verdict.clone())),
            money("mean A − B, £", get(|p| p.mean_difference_gbp)),
            money("mean A − B MCSE, £", get(|p| p.mean_difference_mcse_gbp)),
            money("A − B 2.5th percentile, £", get(|p| p.difference_p2_5_gbp)),
            money("A − B median, £", get(|p| p.difference_median_gbp)),
            money(
                "A − B 97.5th percentile, £",
                get(|p| p.difference_p97_5_gbp),
            ),
        ],
    }
}

/// Each option: base case, mean and interval, P(best), ranks, expected loss.
fn options(r: &Results) -> Sheet {
    let options: Vec<(&String, &OptionResult)> = r.options.iter().collect();
    let get = |f: fn(&OptionResult) -> f64| options.iter().map(move |(_, o)| f(o));
    let mut columns = vec![
        text("option", options.iter().map(|(k, _)| (*k).clone())),
        text("name", options.iter().map(|(_, o)| o.name.clone())),
        money("base PV, £", get(|o| o.base_case.pv_gbp)),
        money("mean PV, £", get(|o| o.pv_gbp.mean)),
        money("mean PV MCSE, £", get(|o| o.pv_gbp.mcse_mean)),
        money("PV 2.5th percentile, £", get(|o| o.pv_gbp.p2_5)),
        money("PV median, £", get(|o| o.pv_gbp.median)),
        money("PV 97.5th percentile, £", get(|o| o.pv_gbp.p97_5)),
        money("base nominal, £", get(|o| o.base_case.nominal_gbp)),
        money("mean nominal, £", get(|o| o.nominal_gbp.mean)),
        share("P(best)", get(|o| o.p_best.estimate)),
    ];
    for rank in 0..options.len() {
        let header = format!("P(rank {})", rank + 1);
        columns.push(share(&header, options.iter().map(|(_, o)| o.p_rank[rank])));
    }
    columns.push(money("expected loss, £", get(|o| o.expected_loss_gbp)));
    Sheet {
        name: "Options",
        table: "Options",
        columns,
    }
}

/// Each option's budget year by year, each option's years together (the
/// charts read one option's block at a time).
fn budget(r: &Results) -> Sheet {
    let rows: Vec<(&String, &crate::results::BudgetYear)> = r
        .yearly
        .iter()
        .flat_map(|y| y.options.iter())
        .flat_map(|(id, o)| o.years.iter().map(move |year| (id, year)))
        .collect();
    let mut columns = vec![
        text("option", rows.iter().map(|(id, _)| (*id).clone())),
        number("year", rows.iter().map(|(_, y)| y.year as f64)),
    ];
    type Quantity = fn(&crate::results::BudgetYear) -> &Spread;
    let quantities: [(&str, Quantity); 4] = [
        ("investment", |y| &y.investment_gbp),
        ("value avoided", |y| &y.value_avoided_gbp),
        ("net value", |y| &y.net_gbp),
        ("cumulative efficiency", |y| {
            &y.cumulative_net_efficiency_gbp
        }),
    ];
    for (name, of) in quantities {
        type Statistic = fn(&Spread) -> f64;
        let spread: [(&str, Statistic); 5] = [
            ("base", |s| s.base),
            ("mean", |s| s.mean),
            ("2.5th", |s| s.p2_5),
            ("median", |s| s.p50),
            ("97.5th", |s| s.p97_5),
        ];
        for (statistic, get) in spread {
            let header = format!("{name} {statistic}, £");
            columns.push(money(&header, rows.iter().map(|(_, y)| get(of(y)))));
        }
    }
    columns.push(share(
        "P(breaks even by this year)",
        rows.iter().map(|(_, y)| y.p_paid_back_by_year),
    ));
    Sheet {
        name: "Budget",
        table: "Budget",
        columns,
    }
}

/// Each option's efficiency break-even: never within the horizon, and the
/// median year.
fn break_even(r: &Results) -> Sheet {
    let rows: Vec<(&String, &crate::results::OptionYears)> =
        r.yearly.iter().flat_map(|y| y.options.iter()).collect();
    Sheet {
        name: "Break-even",
        table: "BreakEven",
        columns: vec![
            text("option", rows.iter().map(|(id, _)| (*id).clone())),
            share(
                "P(no break-even within the horizon)",
                rows.iter().map(|(_, o)| o.p_never_paid_back),
            ),
            number(
                "median break-even year",
                rows.iter()
                    .map(|(_, o)| o.median_payback_year.map_or(f64::NAN, |y| y as f64)),
            ),
        ],
    }
}

/// P(A − B > m) over margins m, each pair's points together.
fn margin_curve(r: &Results) -> Sheet {
    let rows: Vec<(&String, &crate::results::CurvePoint)> = r
        .decision
        .pairs
        .iter()
        .flat_map(|(k, p)| p.curve.iter().map(move |c| (k, c)))
        .collect();
    Sheet {
        name: "Margin curve",
        table: "MarginCurve",
        columns: vec![
            text("pair", rows.iter().map(|(k, _)| (*k).clone())),
            money("margin m, £", rows.iter().map(|(_, c)| c.margin_gbp)),
            share("P(A − B > m)", rows.iter().map(|(_, c)| c.p_a_beats_b)),
        ],
    }
}

fn tornado(r: &Results) -> Sheet {
    let bars = &r.tornado.bars;
    let get = |f: fn(&crate::results::TornadoBar) -> f64| bars.iter().map(f);
    Sheet {
        name: "Tornado",
        table: "Tornado",
        columns: vec![
            text("parameter", bars.iter().map(|b| b.parameter.clone())),
            number("base value", get(|b| b.base_value)),
            number("low value", get(|b| b.low_value)),
            number("high value", get(|b| b.high_value)),
            text("range", bars.iter().map(|b| b.range_source.clone())),
            money("outcome at low, £", get(|b| b.outcome_at_low_gbp)),
            money("outcome at high, £", get(|b| b.outcome_at_high_gbp)),
            money("base case, £", bars.iter().map(|_| r.tornado.base_case_gbp)),
            text("best at low", bars.iter().map(|b| b.best_at_low.clone())),
            text("best at high", bars.iter().map(|b| b.best_at_high.clone())),
        ],
    }
}

fn switch_points(r: &Results) -> Sheet {
    let points = &r.tornado.switch_points;
    Sheet {
        name: "Switch points",
        table: "SwitchPoints",
        columns: vec![
            text("parameter", points.iter().map(|p| p.parameter.clone())),
            text("what changes", points.iter().map(|p| p.kind.clone())),
            number("value", points.iter().map(|p| p.value)),
            text("below", points.iter().map(|p| p.below.clone())),
            text("above", points.iter().map(|p| p.above.clone())),
        ],
    }
}

/// Every cell of every two-way grid, one row each.
fn two_way(r: &Results) -> Sheet {
    let rows: Vec<(&crate::results::TwoWayResult, usize, usize)> = r
        .two_way
        .iter()
        .flat_map(|t| {
            (0..t.y_values.len()).flat_map(move |j| (0..t.x_values.len()).map(move |i| (t, i, j)))
        })
        .collect();
    Sheet {
        name: "Two-way",
        table: "TwoWay",
        columns: vec![
            text(
                "across",
                rows.iter().map(|(t, _, _)| t.parameters[0].clone()),
            ),
            number("across value", rows.iter().map(|(t, i, _)| t.x_values[*i])),
            text("up", rows.iter().map(|(t, _, _)| t.parameters[1].clone())),
            number("up value", rows.iter().map(|(t, _, j)| t.y_values[*j])),
            money(
                "outcome, £",
                rows.iter().map(|(t, i, j)| t.outcome_gbp[*j][*i]),
            ),
            text(
                "preferred",
                rows.iter().map(|(t, i, j)| t.preferred[*j][*i].clone()),
            ),
        ],
    }
}

/// Each scenario and option.
fn scenarios(r: &Results) -> Sheet {
    let rows: Vec<(&crate::results::ScenarioResult, &String)> = r
        .scenarios
        .iter()
        .flat_map(|s| s.mean_pv_gbp.keys().map(move |id| (s, id)))
        .collect();
    let of = |map: fn(&crate::results::ScenarioResult) -> &indexmap::IndexMap<String, f64>| {
        rows.iter()
            .map(move |(s, id)| map(s).get(*id).copied().unwrap_or(f64::NAN))
    };
    Sheet {
        name: "Scenarios",
        table: "Scenarios",
        columns: vec![
            text("scenario", rows.iter().map(|(s, _)| s.name.clone())),
            text("option", rows.iter().map(|(_, id)| (*id).clone())),
            money("base PV, £", of(|s| &s.base_pv_gbp)),
            money("mean PV, £", of(|s| &s.mean_pv_gbp)),
            share("P(best)", of(|s| &s.p_best)),
        ],
    }
}

/// Each scenario and decision pair.
fn scenario_pairs(r: &Results) -> Sheet {
    let rows: Vec<(&crate::results::ScenarioResult, &String)> = r
        .scenarios
        .iter()
        .flat_map(|s| s.pairs.keys().map(move |k| (s, k)))
        .collect();
    let outcome = |s: &crate::results::ScenarioResult, k: &String| s.pair_outcomes.get(k).cloned();
    Sheet {
        name: "Scenario pairs",
        table: "ScenarioPairs",
        columns: vec![
            text("scenario", rows.iter().map(|(s, _)| s.name.clone())),
            text("pair", rows.iter().map(|(_, k)| (*k).clone())),
            money(
                "margin m, £",
                rows.iter()
                    .map(|(_, k)| r.decision.pairs.get(*k).map_or(f64::NAN, |p| p.margin_gbp)),
            ),
            share(
                "P(A − B > m)",
                rows.iter().map(|(s, k)| s.pairs[*k].estimate),
            ),
            share("MCSE", rows.iter().map(|(s, k)| s.pairs[*k].mcse)),
            text(
                "verdict",
                rows.iter()
                    .map(|(s, k)| outcome(s, k).map_or(String::new(), |o| o.verdict)),
            ),
            money(
                "mean A − B, £",
                rows.iter()
                    .map(|(s, k)| outcome(s, k).map_or(f64::NAN, |o| o.mean_difference_gbp)),
            ),
        ],
    }
}

fn evppi(r: &Results) -> Sheet {
    let rows = r.evppi.as_ref().map_or(&[][..], |e| &e.rows[..]);
    Sheet {
        name: "EVPPI",
        table: "EVPPI",
        columns: vec![
            text("parameter or group", rows.iter().map(|e| e.name.clone())),
            text("kind", rows.iter().map(|e| e.kind.clone())),
            text("members", rows.iter().map(|e| e.members.join(", "))),
            money("EVPPI, £", rows.iter().map(|e| e.evppi_gbp)),
            money("standard error, £", rows.iter().map(|e| e.se_gbp)),
            share(
                "share of EVPI",
                rows.iter().map(|e| e.share_of_evpi.unwrap_or(f64::NAN)),
            ),
        ],
    }
}

/// Each study and size: EVSI, cost and expected net benefit of sampling.
fn evsi(r: &Results) -> Sheet {
    let rows: Vec<(&crate::results::StudyResult, &crate::results::EvsiPoint)> = r
        .evsi
        .iter()
        .flat_map(|s| s.points.iter().map(move |p| (s, p)))
        .collect();
    let get = |f: fn(&crate::results::EvsiPoint) -> f64| rows.iter().map(move |(_, p)| f(p));
    Sheet {
        name: "EVSI",
        table: "EVSI",
        columns: vec![
            text("study", rows.iter().map(|(s, _)| s.name.clone())),
            number("size", get(|p| p.size as f64)),
            money("EVSI, £", get(|p| p.evsi_gbp)),
            money("cost, £", get(|p| p.cost_gbp)),
            money("net benefit of sampling, £", get(|p| p.enbs_gbp)),
            money("study's EVPPI, £", rows.iter().map(|(s, _)| s.evppi_gbp)),
        ],
    }
}

/// Each parameter as entered, with its source.
fn parameters(r: &Results) -> Sheet {
    let p = &r.parameters;
    Sheet {
        name: "Parameters",
        table: "Parameters",
        columns: vec![
            text("parameter", p.iter().map(|p| p.name.clone())),
            text("description", p.iter().map(|p| p.description.clone())),
            text("unit", p.iter().map(|p| p.unit.clone())),
            number("base", p.iter().map(|p| p.base)),
            text(
                "distribution as entered",
                p.iter().map(|p| p.entered.clone()),
            ),
            number("2.5th percentile", p.iter().map(|p| p.p2_5)),
            number("97.5th percentile", p.iter().map(|p| p.p97_5)),
            text("source", p.iter().map(|p| p.source.clone())),
            text("file", p.iter().map(|p| p.file.clone().unwrap_or_default())),
        ],
    }
}
