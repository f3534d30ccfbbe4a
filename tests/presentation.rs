//! What a reader of the outputs sees: each pair asked at its own margin
//! (positive, negative or the run's default) in every table, header,
//! column and sensitivity analysis; verdicts that claim no more than the
//! draws support; the exit codes a script relies on. Probabilities are
//! recounted from `samples.parquet`, Wilson intervals from their closed
//! form, switch points by re-evaluating the model.

mod common;
use common::{chh_psa, floats, manifest, ok, strings, summary};

use std::path::{Path, PathBuf};

use chh_psa::export::parquet;
use chh_psa::inputs::Inputs;
use chh_psa::model::Model;
use chh_psa::outcomes::{self, Rollout, Workspace};

fn write_run(dir: &Path, samples: u64, decision: &str) -> PathBuf {
    let path = dir.join("run.toml");
    std::fs::write(
        &path,
        format!(
            "samples = {samples}\nseed = 29\ndistributions = \"{}\"\noutput = \"out\"\n[evppi]\nparameters = false\n{decision}\n",
            manifest().join("distributions").display()
        ),
    )
    .unwrap();
    path
}

const THREE_MARGINS: &str = r#"
[decision]
compare = [
  { a = "accelerated", b = "supported", margin = 1000000 },
  { a = "decline", b = "status_quo", margin = -10000000 },
  ["supported", "organic"],
]
margin = 20000000

[[two_way]]
parameters = ["accelerated_slip_probability", "rushed_first_year_realisation"]
grid = 9

[[scenario]]
name = "discount 1.5%"
set = { discount_rate = 0.015 }
"#;

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    &html[start..start + html[start..].find("</section>").unwrap()]
}

/// Three pairs at £1m, −£10m (non-inferiority) and the default £250k:
/// each probability is the share of draws whose difference exceeds that
/// pair's margin, and each place that shows it names it.
#[test]
fn each_pair_is_answered_and_named_at_its_own_margin() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_run(dir.path(), 3000, THREE_MARGINS);
    let console = String::from_utf8(ok(chh_psa(&["run", file.to_str().unwrap()])).stdout).unwrap();
    let out = dir.path().join("out");
    let s = summary(&out);
    let samples = parquet::read(&out.join("samples.parquet")).unwrap();
    let n = samples.height() as f64;
    let expected = [
        ("accelerated", "supported", 1e6, "£1.0m"),
        ("decline", "status_quo", -1e7, "−£10.0m"),
        ("supported", "organic", 2e7, "£20.0m"),
    ];
    assert_eq!(s.decision.default_margin_gbp, 2e7);
    let scenarios = parquet::read(&out.join("scenarios.parquet")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let answer = section(&html, "answer");
    for (a, b, margin, shown) in expected {
        let pair = &s.decision.pairs[&format!("{a}-{b}")];
        assert_eq!(pair.margin_gbp, margin);
        let (x, y) = (
            floats(&samples, &format!("{a}_pv_gbp")),
            floats(&samples, &format!("{b}_pv_gbp")),
        );
        let wins = x.iter().zip(&y).filter(|(x, y)| *x - *y > margin).count();
        assert_eq!(pair.p_a_beats_b.estimate, wins as f64 / n, "{a}-{b}");
        // The margin bites: the share at zero differs.
        let at_zero = x.iter().zip(&y).filter(|(x, y)| *x > *y).count();
        assert_ne!(wins, at_zero, "{a}-{b}");

        // The scenarios' column names the margin in £.
        let column = if margin < 0.0 {
            format!("p_{a}_beats_{b}_by_minus_{}_gbp", -margin)
        } else {
            format!("p_{a}_beats_{b}_by_{margin}_gbp")
        };
        assert!(scenarios.column(&column).is_ok(), "{column}");

        // The console's row and the report's table carry the margin.
        let row = console
            .lines()
            .find(|l| l.starts_with(&format!("{a} vs {b} ")))
            .unwrap_or_else(|| panic!("{a} vs {b}:\n{console}"));
        assert!(row.contains(shown), "{row}");
        assert!(
            answer.contains(&format!(
                "<td class=\"num\" data-value=\"{margin:e}\">{shown}</td>"
            )),
            "{a}-{b}"
        );
        let condition = if margin == 0.0 {
            format!("P({a} − {b} &gt; 0)")
        } else {
            format!("P({a} − {b} &gt; {shown})")
        };
        assert!(
            section(&html, "scenarios").contains(&condition),
            "{condition}"
        );
    }
    // A negative margin is worded as the non-inferiority question it asks.
    assert!(
        answer.contains("<td>Decline is no worse than Status quo by more than £10.0m</td>"),
        "{answer}"
    );
    assert!(answer.contains("Does accelerated beat supported by more than £1.0m?"));
    assert!(console.contains("P(A − B > m)"));
}

/// The tornado, switch points and two-way analysis of the headline pair
/// are at its margin (£1m), not at zero: each switch of the outcome lies
/// where a re-evaluation of the model crosses £1m, and the two-way map
/// draws its boundary there.
#[test]
fn the_headline_sensitivity_analyses_turn_at_its_margin() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_run(dir.path(), 200, THREE_MARGINS);
    let o = ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    assert!(o.stdout.is_empty());
    let out = dir.path().join("out");
    let s = summary(&out);
    assert_eq!(s.tornado.threshold_gbp, 1e6);
    assert_eq!(s.two_way[0].threshold_gbp, 1e6);

    let inputs = Inputs::load(&manifest().join("distributions")).unwrap();
    let model = Model::compile(&inputs).unwrap();
    let mut ws = Workspace::new(&model);
    let index = |id: &str| model.options.iter().position(|o| o.id == id).unwrap();
    let (a, b) = (index("accelerated"), index("supported"));
    let mut difference_at = |name: &str, x: f64| {
        let mut values = inputs.base_values();
        values[inputs.parameter_index(name).unwrap()] = x;
        let mut totals = outcomes::Totals::new(model.options.len());
        outcomes::evaluate(&model, &values, Rollout::Expected, &mut ws, &mut totals);
        totals.present_value[a] - totals.present_value[b]
    };

    let switches = parquet::read(&out.join("switch_points.parquet")).unwrap();
    let (names, kinds, values) = (
        strings(&switches, "parameter"),
        strings(&switches, "kind"),
        floats(&switches, "value"),
    );
    let mut at_margin = 0;
    for i in 0..switches.height() {
        if kinds[i] != "outcome against the margin" {
            continue;
        }
        at_margin += 1;
        let width = 1e-6 * values[i].abs().max(1e-3);
        let below = difference_at(&names[i], values[i] - width);
        let above = difference_at(&names[i], values[i] + width);
        assert!(
            (below > 1e6) != (above > 1e6),
            "{} at {}: {below} and {above} do not straddle £1m",
            names[i],
            values[i]
        );
    }
    // Every bar whose ends lie either side of £1m has such a switch.
    for bar in &s.tornado.bars {
        let straddles = (bar.outcome_at_low_gbp > 1e6) != (bar.outcome_at_high_gbp > 1e6);
        if straddles {
            assert!(
                names
                    .iter()
                    .zip(&kinds)
                    .any(|(n, k)| *n == bar.parameter && k == "outcome against the margin"),
                "{} crosses £1m without a switch point",
                bar.parameter
            );
        }
    }
    assert!(at_margin > 0, "some parameter moves the outcome across £1m");

    // The two-way grid straddles £1m, and the report says the line is there.
    let grid = &s.two_way[0].outcome_gbp;
    assert!(grid.iter().flatten().any(|v| *v > 1e6));
    assert!(grid.iter().flatten().any(|v| *v <= 1e6));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(section(&html, "two-way").contains("crosses the pair's margin of +£1.0m"));
    assert!(section(&html, "tornado").contains("£1.0m"));
}

/// The 95% Wilson interval of k successes in n, from its closed form.
fn wilson(k: usize, n: usize) -> (f64, f64) {
    let (p, n) = (k as f64 / n as f64, n as f64);
    let z = 1.959_963_984_540_054_f64;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The verdict bands as the README and methods state them, edges below one
/// half belonging to the band beneath.
fn band(p: f64) -> &'static str {
    let bands = [
        (0.05, "Almost certainly not"),
        (0.2, "Very unlikely"),
        (0.4, "Unlikely"),
        (0.6, "Too close to call"),
        (0.8, "Likely"),
        (0.95, "Very likely"),
        (1.0, "Almost certainly"),
    ];
    let index = if p < 0.5 {
        bands.iter().position(|(high, _)| p <= *high).unwrap()
    } else {
        [0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95]
            .iter()
            .rposition(|low| p >= *low)
            .unwrap()
    };
    bands[index].1
}

/// At 1, 20, 200 and 10,000 draws the headline verdict names a band only
/// where its whole Wilson interval lies in it; otherwise the console and
/// the report's first screen say the run cannot settle it and how many
/// draws would. No "± 0.000", and no 100.0% or 0.0% that is not exact.
#[test]
fn verdicts_claim_no_more_than_the_draws_support() {
    for draws in [1u64, 20, 200, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        let file = write_run(
            dir.path(),
            draws,
            "[decision]\ncompare = [[\"accelerated\", \"supported\"]]\n",
        );
        let console =
            String::from_utf8(ok(chh_psa(&["run", file.to_str().unwrap()])).stdout).unwrap();
        let out = dir.path().join("out");
        let s = summary(&out);
        let pair = &s.decision.pairs["accelerated-supported"];
        let samples = parquet::read(&out.join("samples.parquet")).unwrap();
        let (x, y) = (
            floats(&samples, "accelerated_pv_gbp"),
            floats(&samples, "supported_pv_gbp"),
        );
        let k = x.iter().zip(&y).filter(|(x, y)| x > y).count();
        let (low, high) = wilson(k, draws as usize);
        let p = k as f64 / draws as f64;
        assert!((pair.p_a_beats_b.wilson_low - low).abs() < 1e-12);
        assert!((pair.p_a_beats_b.wilson_high - high).abs() < 1e-12);
        let settled = band(low) == band(high);
        assert_eq!(pair.verdict_settled, settled, "{draws} draws");
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let answer = section(&html, "answer");
        if settled {
            assert_eq!(pair.verdict, band(p), "{draws} draws");
            assert!(!answer.contains("class=\"warning\""));
            assert!(!console.contains("Not enough draws"));
        } else {
            assert_eq!(
                pair.verdict,
                format!("Not settled: “{}” to “{}”", band(low), band(high)),
                "{draws} draws"
            );
            assert!(answer.contains("class=\"warning\""), "{draws} draws");
            assert!(
                console.contains("Not enough draws for a verdict"),
                "{console}"
            );
            // The draws that would settle it, were the estimate to hold: the
            // fewest at which the interval at p lies in p's band.
            if let Some(m) = pair.draws_to_settle {
                let in_band = |m: f64| {
                    let z = 1.959_963_984_540_054_f64;
                    let c = (p + z * z / (2.0 * m)) / (1.0 + z * z / m);
                    let h =
                        z / (1.0 + z * z / m) * (p * (1.0 - p) / m + z * z / (4.0 * m * m)).sqrt();
                    band((c - h).max(0.0)) == band(p) && band((c + h).min(1.0)) == band(p)
                };
                assert!(
                    in_band(m as f64) && !in_band((m - 1) as f64),
                    "{draws}: {m}"
                );
                assert!(
                    console.contains(&format!("about {m} draws"))
                        || console.contains(&format!(
                            "about {} draws",
                            chh_psa::export::console::thousands(m as f64)
                        )),
                    "{console}"
                );
            }
        }
        if draws <= 20 || draws >= 10_000 {
            assert_eq!(draws >= 10_000, settled, "{draws} draws: {}", pair.verdict);
        }
        for text in [console.as_str(), html.as_str()] {
            assert!(!text.contains("± 0.000"), "{draws} draws");
        }
        if p != 1.0 {
            assert!(!answer.contains("100.0%"), "{draws} draws");
        }
        if p != 0.0 {
            assert!(!answer.contains(">0.0%"), "{draws} draws");
        }
    }
}

/// Exit codes as the README gives them: 2 for any fault in what was given
/// (a missing run file or result folder, results already there, a file
/// name that contradicts its format), 3 where a file could not be written.
#[test]
fn exit_codes_say_whose_fault_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-run.toml");
    let missing_dir = dir.path().join("no-such-folder");
    let detail_csv = dir.path().join("detail.csv");
    for (args, code) in [
        (vec!["run", missing.to_str().unwrap()], 2),
        (vec!["report", missing_dir.to_str().unwrap()], 2),
        (vec!["tornado", missing.to_str().unwrap()], 2),
        (vec!["base", "--detail", detail_csv.to_str().unwrap()], 2),
        (vec!["run", "runs/example.toml", "--samples", "zero"], 2),
    ] {
        let o = chh_psa(&args);
        assert_eq!(o.status.code(), Some(code), "{args:?}");
        assert!(!o.stderr.is_empty());
    }
    assert!(!detail_csv.exists(), "nothing written under a .csv name");
    let detail = dir.path().join("detail.parquet");
    ok(chh_psa(&["base", "--detail", detail.to_str().unwrap()]));
    assert!(parquet::read(&detail).unwrap().height() > 0);

    // Results already there: bad input, and the folder is left as it was.
    let file = write_run(dir.path(), 10, "");
    ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    let before = std::fs::read(dir.path().join("out/summary.json")).unwrap();
    let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet", "--seed", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(dir.path().join("out/summary.json")).unwrap(),
        before
    );

    // A folder that cannot be made: a write fault.
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let o = chh_psa(&[
        "run",
        file.to_str().unwrap(),
        "--quiet",
        "--out",
        blocker.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
}

/// Three typos in three parameter files: one run names all three, each
/// with its file and parameter, and writes nothing.
#[test]
fn several_faults_are_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let dist = common::distributions_copy(dir.path(), |name, text| match name {
        "unit_costs.toml" => text.replacen(
            "min = 200.0, mode = 250.0, max = 300.0",
            "min = 300.0, mode = 250.0, max = 200.0",
            1,
        ),
        "impacts.toml" => text.replacen(
            "[parameters.impact_admission]",
            "[parameters.impact_admision]",
            1,
        ),
        "realisation.toml" => text.replacen("family = \"beta\"", "family = \"betta\"", 1),
        _ => text,
    });
    let file = dir.path().join("run.toml");
    std::fs::write(
        &file,
        format!(
            "samples = 10\nseed = 1\ndistributions = \"{}\"\noutput = \"out\"\n",
            dist.display()
        ),
    )
    .unwrap();
    let o = chh_psa(&["run", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("3 faults in the inputs"), "{stderr}");
    for (file, parameter, fault) in [
        ("unit_costs.toml", "cost_new_outpatient", "lower bound 300"),
        (
            "impacts.toml",
            "impact_admision",
            "did you mean `impact_admission`",
        ),
        (
            "realisation.toml",
            "realisation_standard",
            "did you mean `beta`",
        ),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named:\n{stderr}"));
        assert!(
            line.contains(&format!("`{parameter}`")) && line.contains(fault),
            "{line}"
        );
    }
    // The one fault each typo makes, not a cascade: impact_admission is
    // not also reported missing.
    assert!(!stderr.contains("missing parameter"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

/// A run file restates a parameter's distribution and another's base value
/// on top of the shipped folder: the draws follow the restated
/// distribution, the base case the restated value, and every output says
/// what changed. Faults in a restatement are reported as the folder's
/// would be, naming the run file.
#[test]
fn a_run_file_restates_parameters_of_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let restated = r#"[decision]
compare = [["accelerated", "supported"]]
[parameters.accelerated_slip_probability]
distribution = { family = "beta", mean = 0.3, se = 0.1 }
source = "a more pessimistic view (illustrative)"
[parameters.discount_rate]
base = 0.015
"#;
    let file = write_run(dir.path(), 4000, restated);
    let console = String::from_utf8(ok(chh_psa(&["run", file.to_str().unwrap()])).stdout).unwrap();
    let out = dir.path().join("out");
    let s = summary(&out);
    let names: Vec<&str> = s
        .run
        .restated_parameters
        .iter()
        .map(|p| p.parameter.as_str())
        .collect();
    assert_eq!(names, ["discount_rate", "accelerated_slip_probability"]);
    assert_eq!(s.run.restated_parameters[0].to, "base 0.015; fixed: 0.015");
    assert!(console.contains("Restated by the run file: accelerated_slip_probability:"));
    // The draws: a beta of mean 0.3 and sd 0.1, against its moments.
    let samples = parquet::read(&out.join("samples.parquet")).unwrap();
    let slip = floats(&samples, "accelerated_slip_probability");
    let n = slip.len() as f64;
    let mean = slip.iter().sum::<f64>() / n;
    let sd = (slip.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((mean - 0.3).abs() < 4.0 * 0.1 / n.sqrt(), "mean {mean}");
    assert!((sd - 0.1).abs() < 0.01, "sd {sd}");
    let parameter = s
        .parameters
        .iter()
        .find(|p| p.name == "accelerated_slip_probability")
        .unwrap();
    assert_eq!(parameter.entered, "beta: mean 0.3, se 0.1");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(section(&html, "question").contains("This run file restates 2 parameters"));

    // Faults, all in one run, each naming the run file.
    let broken = r#"[parameters.impact_admision]
base = 100.0
[parameters.accelerated_slip_probability]
distribution = { family = "normal", mean = 0.3, sd = 0.2 }
[parameters.cost_admission]
source = "only a source"
"#;
    let file = write_run(dir.path(), 10, broken);
    let o = chh_psa(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.path().join("never").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    for fragment in [
        "`parameters.impact_admision`: restates a parameter that no file in",
        "did you mean `impact_admission`",
        "`parameters.cost_admission`: restates neither `base` nor `distribution`",
    ] {
        assert!(stderr.contains(fragment), "{fragment}:\n{stderr}");
    }
    assert!(
        stderr
            .lines()
            .all(|l| !l.contains(".toml") || l.contains("run.toml")),
        "{stderr}"
    );
    assert!(!dir.path().join("never").exists());

    // A restated distribution outside the parameter's domain.
    let outside = "[parameters.accelerated_slip_probability]\ndistribution = { family = \"normal\", mean = 0.3, sd = 0.2 }\n";
    let file = write_run(dir.path(), 10, outside);
    let o = chh_psa(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.path().join("never").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("run.toml: `accelerated_slip_probability`")
            && stderr.contains("must be between 0 and 1"),
        "{stderr}"
    );
}
