//! Scenarios evaluated in the main pass: each equals the run that makes its
//! change on its own, and a discount-rate and a horizon scenario equal a
//! recount from every draw's yearly flows.

mod common;
use common::{chh_psa, distributions_copy, floats, manifest, ok, strings, summary, summary_json};

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

/// The run file's body without its scenarios, writing to `output`, with
/// `extra` appended.
fn alone(output: &str, distributions: &Path, extra: &str) -> String {
    let body = std::fs::read_to_string(manifest().join("tests/expected/scenarios_run.toml"))
        .expect("the run file's body");
    let body = &body[..body.find("[[scenario]]").unwrap()];
    format!(
        "distributions = {:?}\n{}{extra}",
        distributions.to_str().unwrap(),
        body.replace("output = \"out\"", &format!("output = {output:?}"))
    )
}

/// Every scenario that can also be run on its own equals that run, number
/// for number, on the same seed and so the same draws: a discount rate
/// (the run file restating the rate), a horizon (a copy of the folder
/// with another horizon) and no roll-out uncertainty (`[uncertainty]
/// rollout = false`). Each option's base and mean PV, P(best), each pair's
/// P(A − B > m), verdict and mean difference.
#[test]
fn each_scenario_equals_the_run_that_makes_its_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path());
    let s = summary(&out);
    assert_eq!(s.scenarios.len(), 7);
    let shipped = manifest().join("distributions");
    let horizon = |years: u32| {
        let into = dir.path().join(format!("horizon-{years}"));
        std::fs::create_dir(&into).unwrap();
        distributions_copy(&into, |_, text| {
            text.replace("horizon_years = 10", &format!("horizon_years = {years}"))
        })
    };
    let rate = |r: f64| format!("[parameters.discount_rate]\nbase = {r}\n");
    let cases = [
        ("discount 0%", "d0", &shipped, rate(0.0)),
        ("discount 1.5%", "d15", &shipped, rate(0.015)),
        ("discount 3.5%", "d35", &shipped, rate(0.035)),
        ("horizon 5 years", "h5", &horizon(5), String::new()),
        ("horizon 15 years", "h15", &horizon(15), String::new()),
        (
            "no roll-out uncertainty",
            "fixed",
            &shipped,
            "[uncertainty]\nrollout = false\n".to_string(),
        ),
    ];
    for (name, output, distributions, extra) in cases {
        let file = dir.path().join(format!("{output}.toml"));
        std::fs::write(&file, alone(output, distributions, &extra)).unwrap();
        ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
        let output = dir.path().join(output);
        let own = summary(&output);
        if let Some(years) = name.strip_prefix("horizon ") {
            assert_eq!(format!("{} years", own.run.horizon_years), years);
        }
        let scenario = s.scenarios.iter().find(|x| x.name == name).unwrap();
        for (id, o) in &own.options {
            assert_eq!(
                scenario.base_pv_gbp[id], o.base_case.pv_gbp,
                "{name}: {id} base"
            );
            assert_eq!(scenario.mean_pv_gbp[id], o.pv_gbp.mean, "{name}: {id} mean");
            assert_eq!(
                scenario.p_best[id], o.p_best.estimate,
                "{name}: P({id} best)"
            );
        }
        for (key, pair) in &own.decision.pairs {
            assert_eq!(scenario.pairs[key], pair.p_a_beats_b, "{name}: {key}");
            let outcome = &scenario.pair_outcomes[key];
            assert_eq!(outcome.verdict, pair.verdict, "{name}: {key} verdict");
            assert_eq!(
                outcome.mean_difference_gbp, pair.mean_difference_gbp,
                "{name}: {key} mean difference"
            );
        }
    }
}

/// Regression only, for the one scenario no single run can make (a link
/// draws one parameter's value for another's): the numbers the build that
/// evaluated each scenario in a pass of its own wrote, for the same run
/// file and seed.
#[test]
fn the_link_scenario_is_as_the_separate_pass_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path());
    let before: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(manifest().join("tests/expected/scenarios_separate_passes.json"))
            .unwrap(),
    )
    .unwrap();
    let name = "every hub at standard realisation";
    let find = |all: &serde_json::Value| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
            .unwrap()
    };
    let (now, before) = (find(&summary_json(&out)["scenarios"]), find(&before));
    for (field, value) in before.as_object().unwrap() {
        assert_eq!(&now[field], value, "{field} of {name}");
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
