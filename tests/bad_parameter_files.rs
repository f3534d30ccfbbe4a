//! A malformed or inconsistent parameter file stops `chh-psa base` with an
//! error that names the file, the parameter and the problem.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies the shipped parameter files to a temporary folder and applies one
/// text edit to one of them.
fn broken(file: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("distributions");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let target = dir.path().join(file);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&target, text.replacen(from, to, 1)).unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn base_error(distributions: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(["base", "--distributions"])
        .arg(distributions)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected the bad-input exit code"
    );
    assert!(out.stdout.is_empty(), "nothing printed as a result");
    String::from_utf8(out.stderr).unwrap()
}

fn assert_names(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            err.contains(part),
            "error does not mention {part:?}:\n{err}"
        );
    }
}

#[test]
fn unknown_parameter_is_named_with_its_closest_known_name() {
    let (_d, dir) = broken(
        "unit_costs.toml",
        "[parameters.cost_admission]",
        "[parameters.cost_admision]",
    );
    let err = base_error(&dir);
    assert_names(
        &err,
        &[
            "unit_costs.toml",
            "cost_admision",
            "unknown parameter",
            "did you mean `cost_admission`",
        ],
    );
}

#[test]
fn misspelt_parameter_is_reported_where_it_is_written() {
    let (_d, dir) = broken(
        "impacts.toml",
        "[parameters.impact_camhs_referral]",
        "[parameters.impact_camhs_referal]",
    );
    let err = base_error(&dir);
    assert_names(
        &err,
        &[
            "impacts.toml",
            "impact_camhs_referal",
            "did you mean `impact_camhs_referral`",
        ],
    );
}

#[test]
fn missing_parameter_is_named() {
    let block = "[parameters.discount_rate]\ndescription = \"Discount rate, each year's flow discounted at the end of the year from year 1\"\n";
    let (_d, dir) = broken("economics.toml", block, "");
    // The rest of the block now belongs to no parameter: remove it too.
    let path = dir.join("economics.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("unit = \"per year\"").unwrap();
    let end = start + text[start..].find("[parameters.").unwrap();
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let err = base_error(&dir);
    assert_names(&err, &["discount_rate", "missing parameter"]);
}

#[test]
fn wrong_type_names_the_file_and_key() {
    let (_d, dir) = broken(
        "unit_costs.toml",
        "base = 700.0",
        "base = \"seven hundred\"",
    );
    let err = base_error(&dir);
    assert_names(&err, &["unit_costs.toml", "base", "line"]);
}

#[test]
fn more_hubs_than_pcns_is_rejected() {
    let (_d, dir) = broken(
        "options.toml",
        "  label = \"new hubs\"\n  hubs = 28",
        "  label = \"new hubs\"\n  hubs = 30",
    );
    let err = base_error(&dir);
    assert_names(&err, &["options.toml", "supported", "47 hubs", "45 PCNs"]);
}

#[test]
fn negative_hub_count_is_rejected() {
    let (_d, dir) = broken(
        "options.toml",
        "  label = \"interested PCNs\"\n  hubs = 9",
        "  label = \"interested PCNs\"\n  hubs = -9",
    );
    let err = base_error(&dir);
    assert_names(
        &err,
        &[
            "options.toml",
            "organic.interested PCNs",
            "cannot be negative",
        ],
    );
}

#[test]
fn infeasible_beta_says_what_is_feasible() {
    let (_d, dir) = broken(
        "realisation.toml",
        "{ family = \"beta\", mean = 0.8, se = 0.08 }",
        "{ family = \"beta\", mean = 0.8, se = 0.5 }",
    );
    let err = base_error(&dir);
    assert_names(
        &err,
        &[
            "realisation.toml",
            "realisation_enhanced",
            "se must be below 0.4",
        ],
    );
}

#[test]
fn realisation_above_one_is_rejected() {
    let (_d, dir) = broken("realisation.toml", "base = 0.8", "base = 1.3");
    let err = base_error(&dir);
    assert_names(&err, &["realisation.toml", "realisation_enhanced", "1.3"]);
}

#[test]
fn unknown_option_as_comparator_is_rejected() {
    let (_d, dir) = broken(
        "options.toml",
        "comparator = \"status_quo\"",
        "comparator = \"statusquo\"",
    );
    let err = base_error(&dir);
    assert_names(
        &err,
        &["options.toml", "comparator", "does not exist", "status_quo"],
    );
}

#[test]
fn misspelt_field_in_a_parameter_is_rejected() {
    let (_d, dir) = broken(
        "unit_costs.toml",
        "unit = \"GBP per admission\"",
        "units = \"GBP per admission\"",
    );
    let err = base_error(&dir);
    assert_names(&err, &["unit_costs.toml", "units"]);
}

#[test]
fn option_referring_to_a_missing_parameter_is_rejected() {
    let (_d, dir) = broken(
        "options.toml",
        "join_probability = \"organic_join_probability\"",
        "join_probability = \"organic_join_prob\"",
    );
    let err = base_error(&dir);
    assert_names(&err, &["organic_join_prob"]);
}
