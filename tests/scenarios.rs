//! Scenarios evaluated in the main pass: their results equal those of the
//! separate passes that evaluated them before, and a discount-rate and a
//! horizon scenario equal a recount from every draw's yearly flows.

mod common;
use common::{chh_psa, floats, manifest, ok, strings, summary, summary_json};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chh_psa::export::parquet;

/// The shipped scenarios (discount rates, horizons, a link, no roll-out
/// uncertainty) on 3,000 draws with every draw's yearly flows written.
fn run(dir: &Path) -> PathBuf {
    let file = dir.join("run.toml");
    let body = std::fs::read_to_string(manifest().join("tests/expected/scenarios_run.toml"))
        .expect("the run file's body");
    let distributions = manifest().join("distributions");
    let text = format!(
        "distributions = {:?}\n{body}",
        distributions.to_str().unwrap()
    );
    std::fs::write(&file, text).unwrap();
    ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    dir.join("out")
}

/// Regression: the scenarios as the build that evaluated each in a pass of
/// its own (redrawing the roll-out and re-running the model over every
/// draw) wrote them, for the same run file and seed: every number equal.
#[test]
fn scenario_results_equal_those_of_the_separate_passes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path());
    let before: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(manifest().join("tests/expected/scenarios_separate_passes.json"))
            .unwrap(),
    )
    .unwrap();
    let now = &summary_json(&out)["scenarios"];
    assert_eq!(now.as_array().map(Vec::len), Some(7));
    // Fields added since (each pair's verdict and mean difference) are
    // checked against the draws in tests/variants.rs; every field that
    // build wrote must be as it wrote it.
    for (now, before) in now
        .as_array()
        .unwrap()
        .iter()
        .zip(before.as_array().unwrap())
    {
        for (field, value) in before.as_object().unwrap() {
            assert_eq!(&now[field], value, "{field} of {}", before["name"]);
        }
    }
}

/// Each draw's net value of each option, year by year, from
/// `yearly_draws.parquet`: option id → draw → years.
fn flows(out: &Path) -> HashMap<String, Vec<Vec<f64>>> {
    let df = parquet::read(&out.join("yearly_draws.parquet")).unwrap();
    let (option, net) = (strings(&df, "option"), floats(&df, "net_gbp"));
    let year = df
        .column("year")
        .unwrap()
        .cast(&polars::prelude::DataType::Int64)
        .unwrap();
    let year: Vec<i64> = year.i64().unwrap().into_no_null_iter().collect();
    let mut by_option: HashMap<String, Vec<Vec<f64>>> = HashMap::new();
    for i in 0..df.height() {
        let years = by_option.entry(option[i].clone()).or_default();
        if year[i] == 1 {
            years.push(Vec::new());
        }
        years.last_mut().unwrap().push(net[i]);
    }
    by_option
}

/// Independent recount: the "discount 1.5%" and "horizon 5 years"
/// scenarios from each draw's yearly net values (written by the yearly
/// budget, not by the scenarios): present value against the comparator
/// at the scenario's rate over its years, then the mean, the probability
/// of being best and each pair's probability of winning by the margin.
#[test]
fn a_discount_and_a_horizon_scenario_equal_a_recount_from_yearly_flows() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path());
    let s = summary(&out);
    let flows = flows(&out);
    let comparator = &flows["status_quo"];
    let n = comparator.len();
    assert_eq!(n, 3000);
    for (name, rate, years) in [
        ("discount 1.5%", 0.015_f64, 10),
        ("horizon 5 years", 0.035, 5),
    ] {
        let scenario = s.scenarios.iter().find(|x| x.name == name).unwrap();
        let pv = |id: &str, draw: usize| -> f64 {
            (0..years)
                .map(|t| {
                    (flows[id][draw][t] - comparator[draw][t]) / (1.0 + rate).powi(t as i32 + 1)
                })
                .sum()
        };
        let ids: Vec<&String> = scenario.mean_pv_gbp.keys().collect();
        let mut best = vec![0usize; ids.len()];
        for draw in 0..n {
            let values: Vec<f64> = ids.iter().map(|id| pv(id, draw)).collect();
            let top = (0..ids.len()).fold(0, |b, k| if values[k] > values[b] { k } else { b });
            best[top] += 1;
        }
        for (k, id) in ids.iter().enumerate() {
            let mean = (0..n).map(|d| pv(id, d)).sum::<f64>() / n as f64;
            let reported = scenario.mean_pv_gbp[*id];
            assert!(
                (mean - reported).abs() <= 1e-9 * mean.abs().max(1.0),
                "{name}: {id} mean {reported} against {mean}"
            );
            let p = best[k] as f64 / n as f64;
            assert_eq!(scenario.p_best[*id], p, "{name}: P({id} best)");
        }
        for (key, (a, b)) in [
            ("accelerated-supported", ("accelerated", "supported")),
            ("supported-organic", ("supported", "organic")),
        ] {
            let wins = (0..n).filter(|&d| pv(a, d) - pv(b, d) > 100000.0).count();
            assert_eq!(
                scenario.pairs[key].estimate,
                wins as f64 / n as f64,
                "{name}: {key}"
            );
        }
    }
}
