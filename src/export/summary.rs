//! A run's results as files: `summary.json` (the typed result itself),
//! and the Parquet tables drawn from it: `summary.parquet` (one row per
//! option), `decision_curve.parquet` (each pair's P(A − B > m) over
//! margins), `scenarios.parquet` and `evppi.parquet`.

use polars::prelude::*;
use std::path::{Path, PathBuf};

use super::parquet::{self, Metadata};
use crate::error::{Error, Result};
use crate::results::{EvppiResult, Results, Spread, YearlyResult};

/// The Parquet tables drawn from the result: `summary.parquet` and, where
/// the run has them, the decision curve, scenarios, EVPPI, two-way, EVSI
/// and yearly tables.
pub struct Tables;

/// `summary.json`: the typed result itself.
pub struct Json;

/// The tables [`Tables`] may write.
pub const TABLES: [&str; 7] = [
    "summary.parquet",
    "decision_curve.parquet",
    "scenarios.parquet",
    "evppi.parquet",
    "two_way.parquet",
    "evsi.parquet",
    "yearly.parquet",
];

impl super::Exporter for Tables {
    fn export(&self, dir: &Path, run: &super::Finished) -> Result<Vec<PathBuf>> {
        tables(dir, run.results, run.metadata)
    }

    fn files(&self) -> &'static [&'static str] {
        &TABLES
    }
}

impl super::Exporter for Json {
    fn files(&self) -> &'static [&'static str] {
        &["summary.json"]
    }

    fn export(&self, dir: &Path, run: &super::Finished) -> Result<Vec<PathBuf>> {
        let json = dir.join("summary.json");
        // Fields in their declared order, options in the option file's.
        super::write_json(&json, run.results)?;
        Ok(vec![json])
    }
}

fn tables(dir: &Path, results: &Results, metadata: &Metadata) -> Result<Vec<PathBuf>> {
    let mut meta = metadata.clone();
    meta.push(("chh_psa.evpi_gbp".into(), results.evpi_gbp.to_string()));
    for pair in results.decision.pairs.values() {
        meta.push((
            format!("chh_psa.{}", pair_column(pair)),
            pair.p_a_beats_b.estimate.to_string(),
        ));
    }
    let mut written = Vec::new();
    let mut table = |name: &str, frame: Result<DataFrame>, meta: &Metadata| -> Result<()> {
        debug_assert!(TABLES.contains(&name), "{name} is not among TABLES");
        let path = dir.join(name);
        parquet::write(&path, &mut frame?, meta)?;
        written.push(path);
        Ok(())
    };
    table("summary.parquet", options_frame(results), &meta)?;
    if !results.decision.pairs.is_empty() {
        table("decision_curve.parquet", curve_frame(results), &meta)?;
    }
    if !results.scenarios.is_empty() {
        table("scenarios.parquet", scenario_frame(results), &meta)?;
    }
    if let Some(evppi) = &results.evppi {
        table("evppi.parquet", evppi_frame(evppi), metadata)?;
    }
    if !results.two_way.is_empty() {
        table("two_way.parquet", two_way_frame(results), &meta)?;
    }
    if !results.evsi.is_empty() {
        table("evsi.parquet", evsi_frame(results), metadata)?;
    }
    if let Some(yearly) = &results.yearly {
        table("yearly.parquet", yearly_frame(yearly), metadata)?;
    }
    Ok(written)
}

/// Reads `summary.json` back, naming the file and the field at fault.
pub fn read_json(path: &Path) -> Result<Results> {
    let text = crate::inputs::text::read_text(path)?;
    let results: Results = serde_json::from_str(&text).map_err(|e| {
        Error::input(
            path,
            "",
            format!("not the summary of a finished run of this version: {e}"),
        )
    })?;
    if let Some((field, why)) = results.inconsistency() {
        return Err(Error::input(path, field, why));
    }
    if results.schema_version != crate::results::SCHEMA_VERSION {
        return Err(Error::input(
            path,
            "schema_version",
            format!(
                "is {}; this version reads {}",
                results.schema_version,
                crate::results::SCHEMA_VERSION
            ),
        ));
    }
    Ok(results)
}

fn frame(path: &str, height: usize, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new(height, columns).map_err(|e| Error::internal(Path::new(path), e))
}

/// One row per option.
fn options_frame(r: &Results) -> Result<DataFrame> {
    let o: Vec<_> = r.options.values().collect();
    let n = o.len();
    let col = |name: &str, f: &dyn Fn(usize) -> f64| {
        Column::new(name.into(), (0..n).map(f).collect::<Vec<f64>>())
    };
    let mut columns = vec![
        Column::new("option".into(), r.option_ids()),
        col("base_nominal_gbp", &|k| o[k].base_case.nominal_gbp),
        col("base_pv_gbp", &|k| o[k].base_case.pv_gbp),
    ];
    for (metric, get) in [
        (
            "nominal",
            &(|k: usize| o[k].nominal_gbp) as &dyn Fn(usize) -> crate::analysis::stats::Describe,
        ),
        ("pv", &|k: usize| o[k].pv_gbp),
    ] {
        columns.push(col(&format!("mean_{metric}_gbp"), &|k| get(k).mean));
        columns.push(col(&format!("mcse_mean_{metric}_gbp"), &|k| {
            get(k).mcse_mean
        }));
        columns.push(col(&format!("sd_{metric}_gbp"), &|k| get(k).sd));
        columns.push(col(&format!("median_{metric}_gbp"), &|k| get(k).median));
        columns.push(col(&format!("p2_5_{metric}_gbp"), &|k| get(k).p2_5));
        columns.push(col(&format!("p97_5_{metric}_gbp"), &|k| get(k).p97_5));
    }
    columns.push(col("p_best", &|k| o[k].p_best.estimate));
    columns.push(col("p_best_mcse", &|k| o[k].p_best.mcse));
    for rank in 0..n {
        columns.push(col(&format!("p_rank_{}", rank + 1), &|k| o[k].p_rank[rank]));
    }
    for other in r.options.keys() {
        columns.push(col(&format!("p_beats_{other}"), &|k| {
            o[k].p_beats.get(other).copied().unwrap_or(f64::NAN)
        }));
    }
    columns.push(col("expected_loss_gbp", &|k| o[k].expected_loss_gbp));
    columns.push(col("expected_loss_mcse_gbp", &|k| {
        o[k].expected_loss_mcse_gbp
    }));
    frame("summary.parquet", n, columns)
}

/// One row per decision pair and margin.
fn curve_frame(r: &Results) -> Result<DataFrame> {
    let (mut pair, mut a, mut b, mut margin, mut p, mut decision) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (key, result) in &r.decision.pairs {
        for point in &result.curve {
            pair.push(key.clone());
            a.push(result.a.clone());
            b.push(result.b.clone());
            margin.push(point.margin_gbp);
            p.push(point.p_a_beats_b);
            decision.push(point.margin_gbp == result.margin_gbp);
        }
    }
    let n = pair.len();
    frame(
        "decision_curve.parquet",
        n,
        vec![
            Column::new("pair".into(), pair),
            Column::new("a".into(), a),
            Column::new("b".into(), b),
            Column::new("margin_gbp".into(), margin),
            Column::new("p_a_beats_b".into(), p),
            Column::new("is_decision_margin".into(), decision),
        ],
    )
}

/// The name of a pair's P(A − B > m) where a table has a column per pair:
/// `p_A_beats_B_by_M_gbp`, the margin in whole £ (`minus_500000` below zero),
/// so that a column never hides its margin.
pub fn pair_column(pair: &crate::results::PairResult) -> String {
    // + 0.0 turns a −0 margin into 0.
    let m = pair.margin_gbp + 0.0;
    let margin = if m < 0.0 {
        format!("minus_{}", -m)
    } else {
        format!("{m}")
    };
    format!("p_{}_beats_{}_by_{margin}_gbp", pair.a, pair.b)
}

/// One row per scenario and option; each decision pair's probability in a
/// column of its own named with its margin (`pair_column`), followed by its
/// mean difference (`mean_A_minus_B_gbp`).
fn scenario_frame(r: &Results) -> Result<DataFrame> {
    let (mut scenario, mut option, mut base, mut mean, mut best, mut rank) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut pairs: Vec<Vec<Option<f64>>> = vec![Vec::new(); r.decision.pairs.len()];
    let mut differences: Vec<Vec<Option<f64>>> = vec![Vec::new(); r.decision.pairs.len()];
    for s in &r.scenarios {
        for id in r.options.keys() {
            scenario.push(s.name.clone());
            option.push(id.clone());
            let of = |values: &indexmap::IndexMap<String, f64>| {
                values.get(id).copied().unwrap_or(f64::NAN)
            };
            base.push(of(&s.base_pv_gbp));
            mean.push(of(&s.mean_pv_gbp));
            best.push(of(&s.p_best));
            rank.push(
                s.ranking_by_mean_pv
                    .iter()
                    .position(|o| o == id)
                    .map_or(0, |p| p as u32 + 1),
            );
            for (column, key) in pairs.iter_mut().zip(r.decision.pairs.keys()) {
                column.push(s.pairs.get(key).map(|p| p.estimate));
            }
            for (column, key) in differences.iter_mut().zip(r.decision.pairs.keys()) {
                column.push(s.pair_outcomes.get(key).map(|p| p.mean_difference_gbp));
            }
        }
    }
    let n = scenario.len();
    let mut columns = vec![
        Column::new("scenario".into(), scenario),
        Column::new("option".into(), option),
        Column::new("base_pv_gbp".into(), base),
        Column::new("mean_pv_gbp".into(), mean),
        Column::new("p_best".into(), best),
        Column::new("rank_by_mean_pv".into(), rank),
    ];
    for ((p, difference), pair) in pairs
        .into_iter()
        .zip(differences)
        .zip(r.decision.pairs.values())
    {
        columns.push(Column::new(pair_column(pair).into(), p));
        let name = format!("mean_{}_minus_{}_gbp", pair.a, pair.b);
        columns.push(Column::new(name.into(), difference));
    }
    frame("scenarios.parquet", n, columns)
}

/// One row per parameter or group learnt, then the EVPI's split: every
/// sampled parameter together (`all_parameters`) and the remainder no
/// research can learn (`irreducible`).
fn evppi_frame(e: &EvppiResult) -> Result<DataFrame> {
    struct Row<'a> {
        name: &'a str,
        kind: &'a str,
        members: String,
        evppi: f64,
        estimate: f64,
        se: f64,
        share: Option<f64>,
        method: &'a str,
    }
    let mut rows: Vec<Row> = e
        .rows
        .iter()
        .map(|r| Row {
            name: &r.name,
            kind: &r.kind,
            members: r.members.join(","),
            evppi: r.evppi_gbp,
            estimate: r.estimate_gbp,
            se: r.se_gbp,
            share: r.share_of_evpi,
            method: &r.method,
        })
        .collect();
    if let Some(s) = &e.split {
        rows.push(Row {
            name: "all sampled parameters",
            kind: "all_parameters",
            members: String::new(),
            evppi: s.learnable_gbp,
            estimate: s.learnable_estimate_gbp,
            se: s.learnable_se_gbp,
            share: s.learnable_share,
            method: &s.method,
        });
        rows.push(Row {
            name: "roll-out events",
            kind: "irreducible",
            members: String::new(),
            evppi: s.irreducible_gbp,
            estimate: s.irreducible_gbp,
            se: s.learnable_se_gbp,
            share: s.irreducible_share,
            method: "EVPI less the EVPPI of all sampled parameters",
        });
    }
    let n = rows.len();
    frame(
        "evppi.parquet",
        n,
        vec![
            Column::new(
                "name".into(),
                rows.iter().map(|r| r.name).collect::<Vec<_>>(),
            ),
            Column::new(
                "kind".into(),
                rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
            ),
            Column::new(
                "members".into(),
                rows.iter().map(|r| r.members.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "evppi_gbp".into(),
                rows.iter().map(|r| r.evppi).collect::<Vec<_>>(),
            ),
            Column::new(
                "estimate_gbp".into(),
                rows.iter().map(|r| r.estimate).collect::<Vec<_>>(),
            ),
            Column::new(
                "se_gbp".into(),
                rows.iter().map(|r| r.se).collect::<Vec<_>>(),
            ),
            Column::new(
                "share_of_evpi".into(),
                rows.iter().map(|r| r.share).collect::<Vec<_>>(),
            ),
            Column::new("evpi_gbp".into(), vec![e.evpi_gbp; n]),
            Column::new("draws_used".into(), vec![e.draws_used as u64; n]),
            Column::new(
                "method".into(),
                rows.iter().map(|r| r.method).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// One row per study and sample size.
fn evsi_frame(r: &Results) -> Result<DataFrame> {
    let rows: Vec<(&crate::results::StudyResult, &crate::results::EvsiPoint)> = r
        .evsi
        .iter()
        .flat_map(|s| s.points.iter().map(move |p| (s, p)))
        .collect();
    let n = rows.len();
    let text = |f: &dyn Fn(&crate::results::StudyResult) -> String| {
        rows.iter().map(|(s, _)| f(s)).collect::<Vec<_>>()
    };
    let number = |f: &dyn Fn(&crate::results::EvsiPoint) -> f64| {
        rows.iter().map(|(_, p)| f(p)).collect::<Vec<_>>()
    };
    frame(
        "evsi.parquet",
        n,
        vec![
            Column::new("study".into(), text(&|s| s.name.clone())),
            Column::new("parameters".into(), text(&|s| s.parameters.join(","))),
            Column::new("likelihood".into(), text(&|s| s.likelihood.clone())),
            Column::new(
                "size".into(),
                rows.iter().map(|(_, p)| p.size).collect::<Vec<u64>>(),
            ),
            Column::new("evsi_gbp".into(), number(&|p| p.evsi_gbp)),
            Column::new("raw_estimate_gbp".into(), number(&|p| p.estimate_gbp)),
            Column::new("se_gbp".into(), number(&|p| p.se_gbp)),
            Column::new(
                "distinguishable_from_zero".into(),
                rows.iter()
                    .map(|(_, p)| p.distinguishable_from_zero)
                    .collect::<Vec<bool>>(),
            ),
            Column::new("cost_gbp".into(), number(&|p| p.cost_gbp)),
            Column::new("enbs_gbp".into(), number(&|p| p.enbs_gbp)),
            Column::new(
                "evppi_gbp".into(),
                rows.iter().map(|(s, _)| s.evppi_gbp).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// One row per two-way analysis and grid cell.
fn two_way_frame(r: &Results) -> Result<DataFrame> {
    let (mut analysis, mut x_name, mut y_name, mut x, mut y, mut outcome, mut preferred) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for (k, t) in r.two_way.iter().enumerate() {
        for (j, row) in t.outcome_gbp.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                analysis.push(k as u32);
                x_name.push(t.parameters[0].clone());
                y_name.push(t.parameters[1].clone());
                x.push(t.x_values[i]);
                y.push(t.y_values[j]);
                outcome.push(*v);
                preferred.push(t.preferred[j][i].clone());
            }
        }
    }
    let n = analysis.len();
    frame(
        "two_way.parquet",
        n,
        vec![
            Column::new("analysis".into(), analysis),
            Column::new("x_parameter".into(), x_name),
            Column::new("y_parameter".into(), y_name),
            Column::new("x_value".into(), x),
            Column::new("y_value".into(), y),
            Column::new("outcome_gbp".into(), outcome),
            Column::new("preferred_option".into(), preferred),
        ],
    )
}

/// One row per option and year: each quantity's base value, mean and
/// percentiles, and the payback shares.
fn yearly_frame(y: &YearlyResult) -> Result<DataFrame> {
    type Quantity = fn(&crate::results::BudgetYear) -> &Spread;
    let quantities: [(&str, Quantity); 4] = [
        ("investment", |b| &b.investment_gbp),
        ("value_avoided", |b| &b.value_avoided_gbp),
        ("net", |b| &b.net_gbp),
        ("cumulative_net_efficiency", |b| {
            &b.cumulative_net_efficiency_gbp
        }),
    ];
    let rows: Vec<(&String, &crate::results::BudgetYear)> = y
        .options
        .iter()
        .flat_map(|(id, o)| o.years.iter().map(move |b| (id, b)))
        .collect();
    let mut columns = vec![
        Column::new(
            "option".into(),
            rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "year".into(),
            rows.iter().map(|(_, b)| b.year as u32).collect::<Vec<_>>(),
        ),
    ];
    for (quantity, of) in quantities {
        for (s, (statistic, _)) in Spread::default().named().into_iter().enumerate() {
            columns.push(Column::new(
                format!("{quantity}_{statistic}_gbp").into(),
                rows.iter()
                    .map(|(_, b)| of(b).named()[s].1)
                    .collect::<Vec<_>>(),
            ));
        }
    }
    columns.push(Column::new(
        "p_payback_in_year".into(),
        rows.iter()
            .map(|(_, b)| b.p_payback_in_year)
            .collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "p_paid_back_by_year".into(),
        rows.iter()
            .map(|(_, b)| b.p_paid_back_by_year)
            .collect::<Vec<_>>(),
    ));
    frame("yearly.parquet", rows.len(), columns)
}
