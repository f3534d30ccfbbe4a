//! The broken-input corpus in `tests/broken/`: one file per fault, each with
//! the error it must produce. Every fault is rejected before any sampling,
//! with the file, the parameter and the problem, and no output is created.
//!
//! - `parameters/*.toml`: an edit to one shipped parameter file (`file`,
//!   `replace`, `with`) and the fragments its error must contain (`expect`);
//! - `runs/*.toml`: a broken run file; its `# expect:` line lists the
//!   fragments (separated by `|`), `# exit:` the exit code if not 2.

mod common;
use common::{distributions_copy, manifest};

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFault {
    about: String,
    file: String,
    replace: String,
    with: String,
    expect: Vec<String>,
}

fn corpus(kind: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest().join("tests/broken").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn assert_mentions(case: &Path, stderr: &str, expect: &[String]) {
    for fragment in expect {
        assert!(
            stderr.contains(fragment.as_str()),
            "{}: error does not mention {fragment:?}:\n{stderr}",
            case.display()
        );
    }
}

#[test]
fn every_broken_parameter_file_gets_its_error_and_writes_nothing() {
    let cases = corpus("parameters");
    assert!(cases.len() >= 20);
    for case in cases {
        let fault: ParameterFault =
            toml::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let dist = distributions_copy(dir.path(), |name, text| {
            if name != fault.file {
                return text;
            }
            assert!(
                text.contains(&fault.replace),
                "{}: {} does not contain the text to replace",
                case.display(),
                fault.file
            );
            text.replacen(&fault.replace, &fault.with, 1)
        });

        let base = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
            .args(["base", "--distributions"])
            .arg(&dist)
            .output()
            .unwrap();
        assert_eq!(
            base.status.code(),
            Some(2),
            "{} ({}): base",
            case.display(),
            fault.about
        );
        assert!(base.stdout.is_empty());
        assert_mentions(&case, &String::from_utf8_lossy(&base.stderr), &fault.expect);

        let run_file = dir.path().join("run.toml");
        std::fs::write(
            &run_file,
            "samples = 100\nseed = 1\ndistributions = \"distributions\"\noutput = \"out\"\n",
        )
        .unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
            .args(["run", "--quiet"])
            .arg(&run_file)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{}: run", case.display());
        assert_mentions(&case, &String::from_utf8_lossy(&run.stderr), &fault.expect);
        assert!(
            !dir.path().join("out").exists(),
            "{}: the run created its output folder",
            case.display()
        );
    }
}

#[test]
fn every_broken_run_file_gets_its_error_and_writes_nothing() {
    let cases = corpus("runs");
    assert!(cases.len() >= 10);
    for case in cases {
        let text = std::fs::read_to_string(&case).unwrap();
        let header = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("# {key}:")))
                .map(|v| v.trim().to_string())
        };
        let expect: Vec<String> = header("expect")
            .unwrap_or_else(|| panic!("{}: no # expect: line", case.display()))
            .split('|')
            .map(|s| s.trim().to_string())
            .collect();
        let code: i32 = header("exit").map_or(2, |c| c.parse().unwrap());
        let out = case.parent().unwrap().join("out");
        let run = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
            .args(["run", "--quiet"])
            .arg(&case)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(code),
            "{}:\n{stderr}",
            case.display()
        );
        assert_mentions(&case, &stderr, &expect);
        assert!(
            !out.exists(),
            "{}: the run created {}",
            case.display(),
            out.display()
        );
    }
}

#[test]
fn the_corpus_covers_each_kind_of_fault() {
    let names: Vec<String> = corpus("parameters")
        .iter()
        .chain(corpus("runs").iter())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for kind in [
        "malformed_toml",
        "unknown_key",
        "unknown_parameter",
        "missing_key",
        "missing_parameter",
        "wrong_type",
        "nan_value",
        "infinite_value",
        "negative_cost",
        "infeasible_beta",
        "low_above_high",
        "realisation_above_one",
        "more_hubs_than_pcns",
        "negative_hubs",
        "unknown_comparator",
        "zero_samples",
        "absurd_samples",
        "output_is_a_file",
        "output_unwritable",
        "decision_unknown_option",
        "decision_pair_with_itself",
        "decision_empty_list",
        "decision_pair_margin_infinite",
        "decision_pair_unknown_key",
        "decision_nan_margin",
    ] {
        assert!(names.iter().any(|n| n == kind), "no corpus file for {kind}");
    }
}
