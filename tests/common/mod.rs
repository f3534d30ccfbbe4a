//! Helpers shared by the integration tests: running the binary from the
//! crate's folder, as the README's commands do.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `chh-psa` with `args` from the crate's folder.
pub fn chh_psa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(args)
        .current_dir(manifest())
        .output()
        .unwrap()
}

/// A Float64 column of a frame, without nulls.
pub fn floats(df: &polars::prelude::DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

/// A string column of a frame, without nulls.
pub fn strings(df: &polars::prelude::DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect()
}

/// Spearman correlation of two samples without ties, by sorting: an
/// independent recount of the engine's rank statistics.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        for (k, &i) in order.iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let d2: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - b).powi(2)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

/// Asserts that a command succeeded, showing what it printed if not.
pub fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// `chh-psa run runs/base.toml --quiet --out OUT` with `extra` flags.
pub fn run_shipped(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "runs/base.toml",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    chh_psa(&args)
}

/// Asserts that each of `files` holds the same bytes in folders `a` and `b`
/// (a file that neither holds, such as an output the run did not ask for,
/// is passed over; `summary.json` must be in both).
pub fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    let bytes = |path: std::path::PathBuf| {
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert!(a.join("summary.json").is_file() && b.join("summary.json").is_file());
    for file in files {
        if !a.join(file).exists() && !b.join(file).exists() {
            continue;
        }
        assert!(
            bytes(a.join(file)) == bytes(b.join(file)),
            "{file} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// A finished run's results, read back from its summary.json as the
/// typed value the engine wrote.
pub fn summary(dir: &Path) -> chh_psa::results::Results {
    chh_psa::export::summary::read_json(&dir.join("summary.json")).unwrap()
}

/// A finished run's summary.json as plain JSON.
pub fn summary_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

/// A copy of the shipped parameter files in `into/distributions`, each
/// file's text passed through `edit(file name, text)`.
pub fn distributions_copy(
    into: &Path,
    edit: impl Fn(&str, String) -> String,
) -> std::path::PathBuf {
    let dist = into.join("distributions");
    std::fs::create_dir(&dist).unwrap();
    for entry in std::fs::read_dir(manifest().join("distributions")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dist.join(&name), edit(&name, text)).unwrap();
    }
    dist
}

/// Option `id`'s entry in the JSON of `chh-psa base --json`.
pub fn base_option<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()
}

/// `chh-psa base` on the parameter files in `distributions`, writing its
/// year-by-year detail to `detail`.
pub fn base_detail(distributions: &Path, detail: &Path) {
    ok(chh_psa(&[
        "base",
        "--distributions",
        distributions.to_str().unwrap(),
        "--detail",
        detail.to_str().unwrap(),
    ]));
}

/// Whether `probe` (a command that succeeds when a tool is present) runs.
/// If not, says so and skips, unless CI has set `require` after
/// installing the tool with `install`: then the test fails.
pub fn tool_ready(probe: &mut Command, what: &str, require: &str, install: &str) -> bool {
    let ready = probe.output().is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            std::env::var_os(require).is_none(),
            "{require} is set but {what} is missing"
        );
        eprintln!("SKIPPED: no {what} here (install it with {install})");
    }
    ready
}

/// `python3 -c "import MODULES"`, as a probe for [`tool_ready`].
pub fn python_imports(modules: &str) -> Command {
    let mut probe = Command::new("python3");
    probe.args(["-c", &format!("import {modules}")]);
    probe
}
