//! Tornado, switch points, ranking robustness and scenarios, checked against
//! the base case, statrs and an independent recount from the draws.

mod common;
use common::{chh_psa, floats, manifest, ok, run_shipped, strings};

use serde_json::Value;
use statrs::distribution::{Beta, ContinuousCDF};
use std::path::PathBuf;

use chh_psa::analysis::tornado::best;
use chh_psa::export::parquet;
use chh_psa::inputs::Inputs;
use chh_psa::model::Model;
use chh_psa::outcomes::{self, Rollout, Workspace};

/// A finished run of the shipped run file (draws reduced), shared by the tests.
fn shipped_run() -> &'static PathBuf {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        ok(run_shipped(&out, &["--samples", "4000"]));
        (dir, out)
    })
    .1
}

fn base_json() -> Value {
    let o = chh_psa(&["base", "--json"]);
    serde_json::from_slice(&o.stdout).unwrap()
}

fn pv(json: &Value, id: &str) -> f64 {
    json["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()["pv_gbp"]
        .as_f64()
        .unwrap()
}

#[test]
fn tornado_centre_is_the_base_case_exactly() {
    let df = parquet::read(&shipped_run().join("tornado.parquet")).unwrap();
    let base = base_json();
    let expected = pv(&base, "accelerated") - pv(&base, "supported");
    assert!(floats(&df, "base_case_gbp").iter().all(|c| *c == expected));
}

#[test]
fn bar_ends_are_the_percentiles_of_each_distribution() {
    let df = parquet::read(&shipped_run().join("tornado.parquet")).unwrap();
    let names = strings(&df, "parameter");
    let (low, high) = (floats(&df, "low_value"), floats(&df, "high_value"));
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    // PERT(500, 700, 1800): Beta(1 + 4·200/1300, 1 + 4·1100/1300) on [500, 1800].
    let pert = Beta::new(1.0 + 800.0 / 1300.0, 1.0 + 4400.0 / 1300.0).unwrap();
    let k = at("cost_admission");
    assert!((low[k] - (500.0 + 1300.0 * pert.inverse_cdf(0.025))).abs() < 1e-9);
    assert!((high[k] - (500.0 + 1300.0 * pert.inverse_cdf(0.975))).abs() < 1e-9);
    // Beta with mean 0.8, se 0.08: α = 0.8·(0.16/0.0064 − 1) = 19.2, β = 4.8.
    let beta = Beta::new(19.2, 4.8).unwrap();
    let k = at("realisation_enhanced");
    assert!((low[k] - beta.inverse_cdf(0.025)).abs() < 1e-9);
    assert!((high[k] - beta.inverse_cdf(0.975)).abs() < 1e-9);
    // Every uncertain parameter has a bar; fixed ones do not.
    let inputs = Inputs::load(&manifest().join("distributions")).unwrap();
    for p in &inputs.parameters {
        let shown = names.contains(&p.name);
        assert_eq!(shown, p.distribution.family() != "fixed", "{}", p.name);
        if shown {
            let k = at(&p.name);
            assert_eq!(
                (low[k], high[k]),
                (
                    p.distribution.quantile(0.025),
                    p.distribution.quantile(0.975)
                )
            );
        }
    }
    // Sorted by swing, widest first.
    let swing = floats(&df, "swing_gbp");
    assert!(swing.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn declared_ranges_replace_the_percentiles() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run.toml");
    let dist = manifest().join("distributions");
    std::fs::write(
        &run,
        format!(
            "samples = 10\nseed = 1\ndistributions = {:?}\noutput = \"out\"\n[tornado]\nranges = {{ discount_rate = [0.0, 0.06], realisation_enhanced = [0.6, 0.95] }}\n",
            dist.to_str().unwrap()
        ),
    )
    .unwrap();
    let o = chh_psa(&["tornado", run.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A tornado asked alone writes beside the run's results, not among them.
    assert!(!dir.path().join("out").exists());
    let df = parquet::read(&dir.path().join("out-tornado/tornado.parquet")).unwrap();
    let names = strings(&df, "parameter");
    let sources = strings(&df, "range_source");
    let k = names
        .iter()
        .position(|n| n == "realisation_enhanced")
        .unwrap();
    assert_eq!(
        (floats(&df, "low_value")[k], floats(&df, "high_value")[k]),
        (0.6, 0.95)
    );
    assert_eq!(sources[k], "declared in run file");
    // A fixed parameter with a declared range is included.
    assert!(names.iter().any(|n| n == "discount_rate"));
}

#[test]
fn switch_points_separate_different_preferred_options() {
    let df = parquet::read(&shipped_run().join("switch_points.parquet")).unwrap();
    assert!(
        df.height() > 0,
        "the shipped ranges hold at least one switch"
    );
    let inputs = Inputs::load(&manifest().join("distributions")).unwrap();
    let model = Model::compile(&inputs).unwrap();
    let mut ws = Workspace::new(&model);
    let n = model.options.len();
    let mut values_at = |name: &str, x: f64| {
        let mut values = inputs.base_values();
        values[inputs.parameter_index(name).unwrap()] = x;
        let mut totals = outcomes::Totals::new(n);
        outcomes::evaluate(&model, &values, Rollout::Expected, &mut ws, &mut totals);
        totals.present_value
    };
    let (names, kinds, values) = (
        strings(&df, "parameter"),
        strings(&df, "kind"),
        floats(&df, "value"),
    );
    for i in 0..df.height() {
        let width = 1e-6 * values[i].abs().max(1e-3);
        let below = values_at(&names[i], values[i] - width);
        let above = values_at(&names[i], values[i] + width);
        if kinds[i] == "preferred option" {
            assert_ne!(best(&below), best(&above), "{} at {}", names[i], values[i]);
        } else {
            let diff = |pv: &[f64]| pv[4] - pv[3];
            assert!(
                (diff(&below) > 0.0) != (diff(&above) > 0.0),
                "{} at {}",
                names[i],
                values[i]
            );
        }
    }
}

fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].partial_cmp(&xs[b]).unwrap());
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            r[k] = (i + j + 2) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

#[test]
fn rank_statistics_agree_with_a_recount_from_samples() {
    let dir = shipped_run();
    let df = parquet::read(&dir.join("samples.parquet")).unwrap();
    let summary = chh_psa::export::summary::read_json(&dir.join("summary.json")).unwrap();
    let ids = [
        "accelerated",
        "supported",
        "organic",
        "status_quo",
        "decline",
    ];
    let pv: Vec<Vec<f64>> = ids
        .iter()
        .map(|id| floats(&df, &format!("{id}_pv_gbp")))
        .collect();
    let n = df.height();
    let published = (0..n)
        .filter(|&i| (0..4).all(|k| pv[k][i] > pv[k + 1][i]))
        .count() as f64
        / n as f64;
    let robustness = &summary.ranking_robustness;
    assert!((robustness.share_of_draws_with_published_ranking.unwrap() - published).abs() < 1e-12);
    // One correlation for each sampled input and hub-years column that
    // varies, in the order of the samples' columns.
    let varying: Vec<String> = df
        .get_column_names()
        .into_iter()
        .map(|c| c.to_string())
        .filter(|c| c != "draw" && !c.ends_with("_gbp"))
        .filter(|c| {
            let x = floats(&df, c);
            x.iter().any(|v| *v != x[0])
        })
        .collect();
    let listed: Vec<&str> = robustness
        .spearman
        .iter()
        .map(|e| e.input.as_str())
        .collect();
    assert_eq!(listed, varying);
    // Spearman: Pearson's correlation of average ranks, recomputed here.
    let outcome: Vec<f64> = (0..n).map(|i| pv[0][i] - pv[1][i]).collect();
    let ry = average_ranks(&outcome);
    for entry in &robustness.spearman {
        let name = entry.input.as_str();
        let rx = average_ranks(&floats(&df, name));
        let m = (n as f64 + 1.0) / 2.0;
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - m) * (b - m)).sum();
        let vx: f64 = rx.iter().map(|a| (a - m).powi(2)).sum();
        let vy: f64 = ry.iter().map(|b| (b - m).powi(2)).sum();
        let rho = cov / (vx * vy).sqrt();
        assert!((entry.rho - rho).abs() < 1e-9, "{name}");
    }
}

#[test]
fn tornado_svg_parses_and_names_every_parameter() {
    let dir = shipped_run();
    let text = std::fs::read_to_string(dir.join("tornado.svg")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect();
    let df = parquet::read(&dir.join("tornado.parquet")).unwrap();
    // A parameter whose swing is under 0.5% of the widest is listed in the
    // note beneath the chart rather than drawn as an empty row.
    let swing = floats(&df, "swing_gbp");
    let widest = swing.iter().copied().fold(0.0, f64::max);
    let note: String = labels
        .iter()
        .skip_while(|l| !l.starts_with("No visible effect"))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let mut listed = 0;
    for (name, swing) in strings(&df, "parameter").iter().zip(&swing) {
        let bar = labels.iter().any(|l| l.starts_with(&format!("{name} (")));
        if *swing < 0.005 * widest {
            assert!(!bar, "{name} has no visible effect but is drawn");
            assert!(
                note.contains(&format!(" {name},")) || note.ends_with(&format!(" {name}")),
                "{name} is not listed in the note: {note}"
            );
            listed += 1;
        } else {
            assert!(bar, "no label for {name}");
        }
    }
    assert!(
        listed > 0,
        "the shipped tornado has parameters without visible effect"
    );
    assert!(
        labels.iter().any(|l| l.contains("£m")),
        "axis labelled in £m"
    );
    assert!(
        labels.iter().any(|l| l.starts_with("base case")),
        "base case marked"
    );
}

#[test]
fn scenarios_share_the_draws_of_the_main_run() {
    let dir = shipped_run();
    let summary = chh_psa::export::summary::read_json(&dir.join("summary.json")).unwrap();
    let scenario = |name: &str| {
        summary
            .scenarios
            .iter()
            .find(|s| s.name == name)
            .unwrap()
            .clone()
    };
    let headline = "accelerated-supported";
    // The 3.5% scenario is the main run itself: identical to the last digit.
    let same = scenario("discount 3.5%");
    assert_eq!(
        same.pairs[headline],
        summary.decision.pairs[headline].p_a_beats_b
    );
    for (id, option) in &summary.options {
        assert_eq!(same.mean_pv_gbp[id], option.pv_gbp.mean);
    }
    // No roll-out uncertainty equals a run with the roll-out at its expectation.
    let dir2 = tempfile::tempdir().unwrap();
    let run = dir2.path().join("run.toml");
    std::fs::write(
        &run,
        format!(
            "samples = 4000\nseed = 20221101\ndistributions = {:?}\noutput = \"out\"\n[uncertainty]\nrollout = false\n[decision]\ncompare = [[\"accelerated\", \"supported\"]]\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    )
    .unwrap();
    let o = chh_psa(&["run", run.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let other = chh_psa::export::summary::read_json(&dir2.path().join("out/summary.json")).unwrap();
    let fixed = scenario("no roll-out uncertainty");
    assert_eq!(
        fixed.pairs[headline],
        other.decision.pairs[headline].p_a_beats_b
    );
    // A 0% discount rate gives the nominal totals of the main run's draws.
    let zero = scenario("discount 0%");
    for (id, option) in &summary.options {
        let (a, b) = (zero.mean_pv_gbp[id], option.nominal_gbp.mean);
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
    }
    let df = parquet::read(&dir.join("scenarios.parquet")).unwrap();
    assert_eq!(df.height(), summary.scenarios.len() * 5);
}

fn run_file_error(extra: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("bad.toml");
    std::fs::write(
        &run,
        format!(
            "samples = 10\nseed = 1\ndistributions = {:?}\noutput = \"out\"\n{extra}\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    )
    .unwrap();
    let o = chh_psa(&["run", run.to_str().unwrap(), "--quiet"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing written for a bad run file"
    );
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn bad_tornado_and_scenario_settings_are_rejected_before_sampling() {
    let err = run_file_error("[tornado]\nranges = { cost_admision = [1.0, 2.0] }");
    assert!(
        err.contains("bad.toml")
            && err.contains("cost_admision")
            && err.contains("did you mean `cost_admission`"),
        "{err}"
    );
    let err = run_file_error("[tornado]\nranges = { cost_admission = [900.0, 600.0] }");
    assert!(
        err.contains("tornado.ranges.cost_admission") && err.contains("below"),
        "{err}"
    );
    let err = run_file_error("[tornado]\noutcome = \"accelerated-suported\"");
    assert!(
        err.contains("tornado.outcome") && err.contains("did you mean `supported`"),
        "{err}"
    );
    let err = run_file_error("[[scenario]]\nname = \"x\"\nset = { realisation_standard = 1.5 }");
    assert!(
        err.contains("realisation_standard") && err.contains("between 0 and 1"),
        "{err}"
    );
    let err = run_file_error("[[scenario]]\nname = \"x\"\nhorizon_years = 0");
    assert!(err.contains("horizon_years"), "{err}");
}

/// Each cell of the shipped two-way analysis equals `chh-psa base` on
/// parameter files whose two parameters are fixed at the cell's values: an
/// independent evaluation through the deterministic command.
#[test]
fn two_way_cells_equal_the_base_case_at_their_values() {
    let dir = shipped_run();
    let results = chh_psa::export::summary::read_json(&dir.join("summary.json")).unwrap();
    let t = &results.two_way[0];
    let (nx, ny) = (t.x_values.len(), t.y_values.len());
    for (i, j) in [(0, 0), (nx / 2, ny / 3), (nx - 1, ny - 1)] {
        let (x, y) = (t.x_values[i], t.y_values[j]);
        let work = tempfile::tempdir().unwrap();
        let fixed = |text: String, name: &str, value: f64| -> String {
            let mut current = String::new();
            text.lines()
                .map(|line| {
                    if let Some(n) = line
                        .strip_prefix("[parameters.")
                        .and_then(|l| l.strip_suffix(']'))
                    {
                        current = n.to_string();
                    }
                    if current == name && line.starts_with("base = ") {
                        format!("base = {value:?}")
                    } else if current == name && line.starts_with("distribution = ") {
                        "distribution = { family = \"fixed\" }".to_string()
                    } else {
                        line.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let dist = common::distributions_copy(work.path(), |_, text| {
            let text = fixed(text, &t.parameters[0], x);
            fixed(text, &t.parameters[1], y)
        });
        let o = chh_psa(&["base", "--json", "--distributions", dist.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let base: Value = serde_json::from_slice(&o.stdout).unwrap();
        let difference = pv(&base, "accelerated") - pv(&base, "supported");
        let cell = t.outcome_gbp[j][i];
        assert!(
            (cell - difference).abs() <= 1e-9 * difference.abs().max(1.0),
            "cell ({x}, {y}): {cell} vs base {difference}"
        );
        let best = base["ranking_pv"][0].as_str().unwrap();
        assert_eq!(t.preferred[j][i], best, "cell ({x}, {y})");
    }
    // The grid spans the declared range and the other's percentiles.
    assert_eq!((t.x_values[0], t.x_values[nx - 1]), (0.0, 0.7));
    assert!(
        t.outcome_gbp.iter().flatten().any(|v| *v > 0.0)
            && t.outcome_gbp.iter().flatten().any(|v| *v < 0.0)
    );
}
