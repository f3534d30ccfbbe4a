//! What other tools see of a run: `summary.json` against the JSON Schema
//! shipped in `docs/`, checked by an independent validator (Python's
//! jsonschema), and the provenance every Parquet file carries, read as
//! pyarrow (and so pandas and R arrow) reads it. Without Python's pyarrow
//! and jsonschema these tests say so and skip, unless
//! CHH_PSA_REQUIRE_PYTHON is set (as `.ci/run` does after
//! `.ci/python-setup`).

mod common;
use common::{manifest, ok, run_shipped, summary};

use std::path::{Path, PathBuf};
use std::process::Command;

const SCHEMA: &str = "docs/summary.schema.json";

fn finished_run() -> &'static PathBuf {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        ok(run_shipped(&out, &["--samples", "2000", "--seed", "41"]));
        (dir, out)
    })
    .1
}

fn python() -> bool {
    common::tool_ready(
        &mut common::python_imports("pyarrow, jsonschema, openpyxl"),
        "pyarrow, jsonschema or openpyxl",
        "CHH_PSA_REQUIRE_PYTHON",
        ".ci/python-setup",
    )
}

fn python_script(script: &str, args: &[&Path]) -> String {
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The shipped schema is the one the types generate; set
/// CHH_PSA_WRITE_SCHEMA=1 to rewrite it after changing them.
#[test]
fn the_shipped_schema_is_generated_from_the_result_types() {
    let generated = serde_json::to_string_pretty(&schemars::schema_for!(chh_psa::results::Results))
        .unwrap()
        + "\n";
    let path = manifest().join(SCHEMA);
    if std::env::var_os("CHH_PSA_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == generated,
        "{SCHEMA} is not the schema of chh_psa::results::Results; regenerate it with CHH_PSA_WRITE_SCHEMA=1 cargo test --release --test schema"
    );
}

#[test]
#[cfg_attr(
    not(tool_python),
    ignore = "needs pyarrow, jsonschema, openpyxl and scipy: install them with .ci/python-setup"
)]
fn summary_json_validates_against_the_shipped_schema() {
    if !python() {
        return;
    }
    let summary = finished_run().join("summary.json");
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  doc = json.load(open(sys.argv[2]))\n\
                  jsonschema.validate(doc, schema)\n\
                  bad = dict(doc)\n\
                  del bad['decision']\n\
                  try:\n    jsonschema.validate(bad, schema)\n    print('accepted')\n\
                  except jsonschema.ValidationError:\n    print('refused')\n";
    let out = python_script(script, &[&manifest().join(SCHEMA), &summary]);
    // The valid file passes and one missing a required field is refused, so
    // the check can fail.
    assert_eq!(out.trim(), "refused");
}

/// `pyarrow.parquet.read_table(f).schema.metadata` holds the seed and both
/// hashes, for every Parquet file the run wrote.
#[test]
#[cfg_attr(
    not(tool_python),
    ignore = "needs pyarrow, jsonschema, openpyxl and scipy: install them with .ci/python-setup"
)]
fn arrow_readers_see_the_provenance() {
    if !python() {
        return;
    }
    let dir = finished_run();
    let s = summary(dir);
    let script = "import sys, pyarrow.parquet as pq\n\
                  for f in sys.argv[1:]:\n\
                  \x20   m = pq.read_table(f).schema.metadata or {}\n\
                  \x20   print(f.rsplit('/', 1)[-1], m.get(b'chh_psa.seed', b'-').decode(), m.get(b'chh_psa.inputs_hash', b'-').decode(), m.get(b'chh_psa.run_file_hash', b'-').decode())\n";
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    assert!(files.len() >= 6, "{files:?}");
    let args: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = python_script(script, &args);
    assert_eq!(out.lines().count(), files.len());
    for line in out.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(
            fields[1..],
            [
                s.run.seed.to_string().as_str(),
                s.run.inputs_hash.as_str(),
                s.run.run_file_hash.as_str()
            ],
            "{line}"
        );
    }
    // And the data itself reads as polars wrote it.
    let rows = python_script(
        "import sys, pyarrow.parquet as pq\nprint(pq.read_table(sys.argv[1]).num_rows)",
        &[&dir.join("samples.parquet")],
    );
    assert_eq!(rows.trim(), "2000");
}
