//! Distributions elicited from an expert: the fit against scipy's own
//! least-squares fit of the same objective on awkward judgement sets
//! (skewed, near a limit, two judgements, five, weighted;
//! `tests/elicitation_check.py`), the draws against the fitted CDF, and
//! faulty judgements refused before any draw, naming file and parameter.

mod common;
use common::{chh_psa, distributions_copy, floats, manifest, ok};

use std::process::Command;

use chh_psa::distribution::DistributionSpec;

/// The judgements given to six parameters of the shipped files, the last
/// two experts pooled.
const JUDGEMENTS: [(&str, &str); 6] = [
    (
        "cost_admission",
        r#"{ family = "elicited", values = [600.0, 750.0, 1100.0], probabilities = [0.1, 0.5, 0.9], lower = 0.0 }"#,
    ),
    (
        "cost_ae_attendance",
        r#"{ family = "elicited", values = [120.0, 160.0, 220.0], probabilities = [0.1, 0.5, 0.9], lower = 50.0, weights = [1.0, 2.0, 1.0], fit = "gamma" }"#,
    ),
    (
        "realisation_enhanced",
        r#"{ family = "elicited", values = [0.9, 0.95, 0.98], probabilities = [0.25, 0.5, 0.75], lower = 0.0, upper = 1.0 }"#,
    ),
    (
        "rushed_first_year_realisation",
        r#"{ family = "elicited", values = [0.3, 0.4, 0.5, 0.6, 0.7], probabilities = [0.05, 0.25, 0.5, 0.75, 0.95], lower = 0.0, upper = 1.0, fit = "beta" }"#,
    ),
    (
        "accelerated_backfill_months",
        r#"{ family = "elicited", values = [6.0, 12.0], probabilities = [0.2, 0.8], lower = 0.0, fit = "lognormal" }"#,
    ),
    (
        "cost_gp_appointment",
        r#"{ family = "elicited", experts = [{ values = [25.0, 35.0, 50.0], probabilities = [0.25, 0.5, 0.75] }, { values = [40.0, 45.0, 60.0], probabilities = [0.1, 0.5, 0.9] }], pool_weights = [2.0, 1.0], lower = 0.0 }"#,
    ),
];

/// `text` with parameter `name`'s distribution line replaced by `spec`.
fn restate(text: &str, name: &str, spec: &str) -> String {
    let Some(at) = text.find(&format!("[parameters.{name}]")) else {
        return text.to_string();
    };
    let line = at + text[at..].find("\ndistribution = ").unwrap() + 1;
    let end = line + text[line..].find('\n').unwrap();
    format!("{}distribution = {spec}{}", &text[..line], &text[end..])
}

/// The shipped folder with the awkward judgements in place, and what
/// `base --json` says of it.
fn awkward(dir: &std::path::Path) -> (std::path::PathBuf, Vec<u8>) {
    let folder = distributions_copy(dir, |_, mut text| {
        for (name, spec) in JUDGEMENTS {
            text = restate(&text, name, spec);
        }
        text
    });
    let o = ok(chh_psa(&[
        "base",
        "--json",
        "--distributions",
        folder.to_str().unwrap(),
    ]));
    (folder, o.stdout)
}

#[test]
fn base_shows_each_fit_to_the_analyst() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, json) = awkward(dir.path());
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["elicited"].as_array().map(Vec::len), Some(6));
    // The table shows the same feedback to the analyst.
    let table = ok(chh_psa(&[
        "base",
        "--distributions",
        folder.to_str().unwrap(),
    ]));
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("P(X ≤ 0.95) judged 0.5, fitted"), "{table}");
}

#[test]
#[cfg_attr(
    not(tool_python),
    ignore = "needs pyarrow, jsonschema, openpyxl and scipy: install them with .ci/python-setup"
)]
fn each_fit_is_as_good_as_scipy_s_on_awkward_judgements() {
    let dir = tempfile::tempdir().unwrap();
    let (_, json) = awkward(dir.path());
    let path = dir.path().join("base.json");
    std::fs::write(&path, json).unwrap();
    scipy_agrees(&path, 7);
}

/// Runs `tests/elicitation_check.py` on a file holding `{"elicited": […]}`
/// as `base --json` prints it, which should check `experts` fits.
fn scipy_agrees(path: &std::path::Path, experts: usize) {
    let mut probe = common::python_imports("scipy, numpy");
    if !common::tool_ready(
        &mut probe,
        "scipy",
        "CHH_PSA_REQUIRE_PYTHON",
        ".ci/python-setup",
    ) {
        return;
    }
    let check = Command::new("python3")
        .arg(manifest().join("tests/elicitation_check.py"))
        .arg(path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && said.contains(&format!("ok: {experts} fits")),
        "{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The families without a lower limit, which no parameter of the shipped
/// models can take (each is bounded below), fitted through the library on
/// awkward sets: skewed either way, three judgements for three parameters,
/// heavy tails, bounded above only, and a pool across families.
#[test]
#[cfg_attr(
    not(tool_python),
    ignore = "needs pyarrow, jsonschema, openpyxl and scipy: install them with .ci/python-setup"
)]
fn fits_without_a_lower_limit_are_as_good_as_scipy_s() {
    let sets = [
        (
            "normal",
            r#"values = [-2.0, 1.0, 3.0], probabilities = [0.1, 0.5, 0.9], fit = "normal""#,
        ),
        (
            "student_t",
            r#"values = [-5.0, 0.0, 2.0, 9.0], probabilities = [0.05, 0.25, 0.6, 0.95], df = 5, fit = "student_t""#,
        ),
        (
            "right_skewed",
            r#"values = [1.0, 2.0, 2.6, 3.5, 5.5], probabilities = [0.05, 0.25, 0.5, 0.75, 0.95], fit = "skew_normal""#,
        ),
        (
            "left_skewed_three",
            r#"values = [-4.5, -3.0, -2.0], probabilities = [0.1, 0.5, 0.9], fit = "skew_normal""#,
        ),
        (
            "weighted_best",
            r#"values = [10.0, 14.0, 15.0, 17.0], probabilities = [0.1, 0.4, 0.5, 0.8], weights = [1.0, 1.0, 3.0, 1.0]"#,
        ),
        (
            "mirrored_gamma",
            r#"values = [70.0, 85.0, 92.0], probabilities = [0.1, 0.5, 0.9], upper = 100.0, fit = "mirrored_gamma""#,
        ),
        (
            "mirrored_lognormal",
            r#"values = [0.2, 0.6, 0.75], probabilities = [0.1, 0.5, 0.9], upper = 1.0, fit = "mirrored_lognormal""#,
        ),
        (
            "pool",
            r#"experts = [{ values = [1.0, 2.0, 2.6, 3.5, 5.5], probabilities = [0.05, 0.25, 0.5, 0.75, 0.95] }, { values = [2.0, 3.0, 4.0], probabilities = [0.25, 0.5, 0.75] }], pool_weights = [1.0, 3.0]"#,
        ),
    ];
    let mut fits = Vec::new();
    for (name, judgements) in sets {
        let text = format!(r#"d = {{ family = "elicited", {judgements} }}"#);
        let spec: DistributionSpec = toml::from_str::<toml::Table>(&text).unwrap()["d"]
            .clone()
            .try_into()
            .unwrap();
        let chh_psa::distribution::Distribution::Elicited(d) = spec.resolve(0.0).unwrap() else {
            panic!("{name}: not elicited");
        };
        let mut fit = serde_json::to_value(chh_psa::results::ElicitedResult::of(&d)).unwrap();
        fit["parameter"] = name.into();
        fits.push(fit);
    }
    let families: Vec<&str> = fits
        .iter()
        .flat_map(|f| f["experts"].as_array().unwrap())
        .map(|e| e["family"].as_str().unwrap())
        .collect();
    for family in [
        "skew_normal",
        "student_t",
        "mirrored_gamma",
        "mirrored_lognormal",
    ] {
        assert!(families.contains(&family), "{families:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fits.json");
    std::fs::write(&path, serde_json::json!({ "elicited": fits }).to_string()).unwrap();
    scipy_agrees(&path, 9);
}

/// The shipped illustrative run draws its elicited parameters from the
/// fit: the draws' empirical CDF stays within the Kolmogorov-Smirnov
/// bound at the 1% level of the fitted one.
#[test]
fn the_draws_follow_the_fitted_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(chh_psa(&[
        "run",
        "runs/older_people_elicited.toml",
        "--quiet",
        "--samples",
        "4000",
        "--out",
        out.to_str().unwrap(),
    ]));
    let samples = chh_psa::export::parquet::read(&out.join("samples.parquet")).unwrap();
    let spec: DistributionSpec = toml::from_str::<toml::Table>(
        r#"d = { family = "elicited", values = [0.8, 0.9, 0.95], probabilities = [0.1, 0.5, 0.9], lower = 0, upper = 1, fit = "beta" }"#,
    )
    .unwrap()["d"]
        .clone()
        .try_into()
        .unwrap();
    let fitted = spec.resolve(0.9).unwrap();
    let mut draws = floats(&samples, "realisation_virtual_ward");
    draws.sort_by(f64::total_cmp);
    let n = draws.len() as f64;
    let distance = draws
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = fitted.cdf(x).unwrap();
            (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max);
    assert!(distance < 1.628 / n.sqrt(), "KS distance {distance}");

    // summary.json keeps the judgements and the fit; the report draws the
    // judgements on the fitted CDF of each elicited parameter.
    let s = common::summary(&out);
    let elicited: Vec<_> = s
        .parameters
        .iter()
        .filter(|p| p.elicited.is_some())
        .collect();
    assert_eq!(elicited.len(), 2);
    let ward = s
        .parameters
        .iter()
        .find(|p| p.name == "realisation_virtual_ward")
        .unwrap();
    let fit = ward.elicited.as_ref().unwrap();
    assert_eq!(fit.experts[0].values, [0.8, 0.9, 0.95]);
    for (v, f) in fit.experts[0]
        .values
        .iter()
        .zip(&fit.experts[0].fitted_probabilities)
    {
        assert!((fitted.cdf(*v).unwrap() - f).abs() < 1e-12);
    }
    for point in &fit.curve {
        assert!((fitted.cdf(point.x).unwrap() - point.pooled).abs() < 1e-12);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let section = &html[html.find("<section id=\"parameters\">").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    for p in &elicited {
        let title = format!("<title>{}: the fitted cumulative distribution", p.name);
        assert!(section.contains(&title), "{title}");
    }
}

/// Faulty judgements in a run file are refused before any draw, naming
/// the file, the parameter and what would be valid.
#[test]
fn faulty_judgements_are_refused_naming_file_and_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "values = [0.5, 0.4], probabilities = [0.25, 0.75]",
            "`values` must increase",
        ),
        (
            "values = [0.4, 0.5], probabilities = [0.45, 0.55]",
            "below 0.4",
        ),
        (
            "values = [0.4, 1.5], probabilities = [0.25, 0.75], lower = 0, upper = 1",
            "inside the limits",
        ),
        (
            "values = [0.4, 0.5], probabilities = [0.25, 0.75], lower = 0, fit = \"beta\"",
            "both `lower` and `upper`",
        ),
        (
            "values = [0.4, 0.5], probabilities = [0.25, 0.75], fit = \"weibull\"",
            "`fit` is `weibull`",
        ),
    ];
    for (k, (judgements, says)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("run{k}.toml"));
        std::fs::write(
            &file,
            format!(
                "extends = {:?}\noutput = \"out{k}\"\n[parameters.realisation_enhanced]\n\
                 distribution = {{ family = \"elicited\", {judgements} }}\n",
                manifest().join("runs/base.toml").to_str().unwrap()
            ),
        )
        .unwrap();
        let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet"]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("run{k}.toml")), "{stderr}");
        assert!(stderr.contains("realisation_enhanced"), "{stderr}");
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(
            !dir.path().join(format!("out{k}")).exists(),
            "nothing drawn"
        );
    }
}
