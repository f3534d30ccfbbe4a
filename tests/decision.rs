//! The decision question as data: `[decision]` in the run file names the
//! pairs compared and the margin, and every output follows them: the
//! results, the scenarios, the stopping rule, the console and the report.
//! Each pair's figures are recounted here from `samples.parquet`.

mod common;
use common::{chh_psa, distributions_copy, floats, manifest, ok, summary};

use std::path::{Path, PathBuf};

use chh_psa::export::parquet;

/// Writes a run file into `dir` using `distributions`, with extra TOML.
fn run_file(dir: &Path, distributions: &Path, extra: &str) -> PathBuf {
    let path = dir.join("run.toml");
    std::fs::write(
        &path,
        format!(
            "samples = 4000\nseed = 17\ndistributions = \"{}\"\noutput = \"out\"\n[evppi]\nparameters = false\n{extra}\n",
            distributions.display()
        ),
    )
    .unwrap();
    path
}

fn shipped_distributions() -> PathBuf {
    manifest().join("distributions")
}

fn run(file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    chh_psa(&args)
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    &html[start..start + html[start..].find("</section>").unwrap()]
}

/// Supported against organic, by more than £20m: the pair's probability, mean
/// difference, percentiles and margin curve equal a recount from the draws.
#[test]
fn a_pair_and_margin_of_the_analysts_choosing_are_answered_and_recounted() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(
        dir.path(),
        &shipped_distributions(),
        "[decision]\ncompare = [[\"supported\", \"organic\"]]\nmargin = 20000000\n[[scenario]]\nname = \"discount 0%\"\nset = { discount_rate = 0.0 }\n",
    );
    let o = ok(run(&file, &[]));
    let console = String::from_utf8_lossy(&o.stdout);
    let out = dir.path().join("out");
    let s = summary(&out);

    assert_eq!(s.decision.headline.as_deref(), Some("supported-organic"));
    assert_eq!(s.decision.pairs.len(), 1);
    let pair = &s.decision.pairs["supported-organic"];
    assert_eq!((pair.a.as_str(), pair.b.as_str()), ("supported", "organic"));
    assert_eq!(pair.margin_gbp, 2e7);

    let df = parquet::read(&out.join("samples.parquet")).unwrap();
    let a = floats(&df, "supported_pv_gbp");
    let b = floats(&df, "organic_pv_gbp");
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let share_above = |m: f64| d.iter().filter(|&&x| x > m).count() as f64 / n;

    // At the margin, at zero and at every point of the curve.
    assert_eq!(pair.p_a_beats_b.estimate, share_above(2e7));
    let p = share_above(2e7);
    assert!((pair.p_a_beats_b.mcse - (p * (1.0 - p) / n).sqrt()).abs() < 1e-15);
    let at_zero = pair.curve.iter().find(|c| c.margin_gbp == 0.0).unwrap();
    assert_eq!(at_zero.p_a_beats_b, share_above(0.0));
    assert!(share_above(0.0) > share_above(2e7), "the margin must bite");
    for point in &pair.curve {
        assert_eq!(point.p_a_beats_b, share_above(point.margin_gbp));
    }
    assert!(
        pair.curve
            .windows(2)
            .all(|w| w[0].margin_gbp < w[1].margin_gbp && w[0].p_a_beats_b >= w[1].p_a_beats_b)
    );

    // The mean difference and its percentiles, by sorting.
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((pair.mean_difference_gbp - mean).abs() < 1e-9 * mean.abs());
    assert!((pair.mean_difference_mcse_gbp - sd / n.sqrt()).abs() < 1e-9 * sd);
    let mut sorted = d.clone();
    sorted.sort_by(f64::total_cmp);
    let type7 = |q: f64| {
        let h = (n - 1.0) * q;
        let (lo, frac) = (h.floor() as usize, h - h.floor());
        sorted[lo] + frac * (sorted[(lo + 1).min(sorted.len() - 1)] - sorted[lo])
    };
    for (value, q) in [
        (pair.difference_p2_5_gbp, 0.025),
        (pair.difference_median_gbp, 0.5),
        (pair.difference_p97_5_gbp, 0.975),
    ] {
        assert!(
            (value - type7(q)).abs() <= 1e-6 * type7(q).abs().max(1.0),
            "q = {q}"
        );
    }

    // The curve file holds the same curve.
    let curve = parquet::read(&out.join("decision_curve.parquet")).unwrap();
    assert_eq!(
        floats(&curve, "margin_gbp"),
        pair.curve.iter().map(|c| c.margin_gbp).collect::<Vec<_>>()
    );
    assert_eq!(
        floats(&curve, "p_a_beats_b"),
        pair.curve.iter().map(|c| c.p_a_beats_b).collect::<Vec<_>>()
    );

    // Scenarios follow the pair.
    let scenario = &s.scenarios[0];
    assert_eq!(
        scenario.pairs.keys().collect::<Vec<_>>(),
        ["supported-organic"]
    );
    let scenarios = parquet::read(&out.join("scenarios.parquet")).unwrap();
    assert!(
        scenarios
            .column("p_supported_beats_organic_by_20000000_gbp")
            .is_ok()
    );
    assert!(
        scenarios
            .column("p_accelerated_beats_supported_by_20000000_gbp")
            .is_err()
    );

    // The tornado follows the headline pair.
    assert_eq!(s.tornado.outcome, "PV of supported minus PV of organic");

    // Console and report ask and answer this question.
    assert!(console.contains("supported vs organic"), "{console}");
    assert!(console.contains(&pair.verdict), "{console}");
    assert!(!console.contains("accelerated vs supported"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let answer = section(&html, "answer");
    assert!(
        answer.contains("Does supported beat organic by more than £20.0m?"),
        "{answer}"
    );
    // The verdict paragraph is about this pair alone (the best option by
    // mean, named after it, may be another).
    let verdict = &answer[answer.find("<p class=\"answer\">").unwrap()..];
    let verdict = &verdict[..verdict.find("</p>").unwrap()];
    assert!(!verdict.contains("accelerated"), "{verdict}");
    assert!(verdict.contains(&format!("<strong>{}.</strong>", pair.verdict)));
    assert!(verdict.contains(&format!("{:.1}%", p * 100.0)));
    assert!(section(&html, "convergence").contains("P(supported − organic &gt; £20.0m)"));
    assert!(section(&html, "decision-curve").contains("<svg"));
}

/// Options renamed in the files: the question names them, and no output
/// falls back to names written in the code.
#[test]
fn renamed_options_are_followed_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let dist = distributions_copy(dir.path(), |name, text| match name {
        "options.toml" => text
            .replace("id = \"accelerated\"", "id = \"rapid\"")
            .replace("id = \"supported\"", "id = \"assisted\""),
        "published.toml" => text
            .replace("\"accelerated\"", "\"rapid\"")
            .replace("\"supported\"", "\"assisted\""),
        _ => text,
    });
    let file = run_file(
        dir.path(),
        &dist,
        "[decision]\ncompare = [[\"rapid\", \"assisted\"]]\n[[scenario]]\nname = \"horizon 5 years\"\nhorizon_years = 5\n",
    );
    let o = ok(run(&file, &["--until-mcse", "0.02"]));
    let console = String::from_utf8_lossy(&o.stdout);
    let out = dir.path().join("out");
    let s = summary(&out);
    assert_eq!(s.decision.headline.as_deref(), Some("rapid-assisted"));
    assert!(s.options.contains_key("rapid") && !s.options.contains_key("accelerated"));
    let stopping = s.stopping.as_ref().unwrap();
    assert_eq!(stopping.pair, "rapid-assisted");
    assert!(stopping.rule.contains("P(rapid − assisted > 0)"));
    assert_eq!(
        s.scenarios[0].pairs.keys().collect::<Vec<_>>(),
        ["rapid-assisted"]
    );
    assert_eq!(s.tornado.outcome, "PV of rapid minus PV of assisted");
    assert!(console.contains("rapid vs assisted"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(section(&html, "answer").contains("Does rapid beat assisted?"));
    // The published figures follow the renamed options too.
    assert_eq!(
        s.ranking_robustness.published_ranking.as_deref(),
        Some(
            ["rapid", "assisted", "organic", "status_quo", "decline"]
                .map(String::from)
                .as_slice()
        )
    );
}

/// Without `[decision]` the run reports P(best) and ranks only, and says so;
/// a precision rule then needs a pair named.
#[test]
fn a_run_without_pairs_says_so_and_precision_needs_a_pair() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), &shipped_distributions(), "");
    let refused = run(&file, &["--quiet", "--until-mcse", "0.01"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("decision.compare") && stderr.contains("--until-mcse-pair"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());

    let o = ok(run(&file, &[]));
    let console = String::from_utf8_lossy(&o.stdout);
    assert!(console.contains("compares no pairs"), "{console}");
    let out = dir.path().join("out");
    let s = summary(&out);
    assert!(s.decision.headline.is_none() && s.decision.pairs.is_empty());
    assert!(!out.join("decision_curve.parquet").exists());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(section(&html, "answer").contains("Which option is best?"));
    // The tornado then shows the base case's best option less its runner-up.
    assert!(
        s.tornado
            .outcome
            .starts_with("PV of accelerated minus PV of supported")
    );

    // --until-mcse-pair names the pair, even one the run file does not list.
    let o = ok(run(
        &file,
        &[
            "--quiet",
            "--force",
            "--until-mcse",
            "0.01",
            "--until-mcse-pair",
            "supported-organic",
        ],
    ));
    assert!(o.stdout.is_empty());
    let s = summary(&out);
    let stopping = s.stopping.unwrap();
    assert_eq!(stopping.pair, "supported-organic");
    // An independent recount of the MCSE at the stopping point.
    let df = parquet::read(&out.join("samples.parquet")).unwrap();
    let (a, b) = (
        floats(&df, "supported_pv_gbp"),
        floats(&df, "organic_pv_gbp"),
    );
    let n = a.len() as f64;
    let p = a.iter().zip(&b).filter(|(x, y)| *x > *y).count() as f64 / n;
    assert!(((p * (1.0 - p) / n).sqrt() - stopping.mcse).abs() < 1e-12);
    assert!(stopping.mcse < 0.01 || stopping.stopped_by == "maximum draws");
}

#[test]
fn an_unknown_precision_pair_is_refused_before_any_draw() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), &shipped_distributions(), "");
    for (pair, fragment) in [
        ("supported-orgnic", "did you mean `organic`"),
        ("supported", "not a pair"),
        ("organic-organic", "with itself"),
    ] {
        let o = run(
            &file,
            &["--quiet", "--until-mcse", "0.01", "--until-mcse-pair", pair],
        );
        assert_eq!(o.status.code(), Some(2), "{pair}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("--until-mcse-pair") && stderr.contains(fragment),
            "{stderr}"
        );
        assert!(!dir.path().join("out").exists());
    }
    let o = run(
        &file,
        &["--quiet", "--until-mcse-pair", "supported-organic"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give --until-mcse too"));
}
