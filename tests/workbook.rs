//! The results where colleagues without Python or a Parquet reader work.
//! `results.xlsx` read back as a spreadsheet reader reads it: every cell of
//! every sheet against `summary.json` and every chart's ranges against its
//! table (Python's openpyxl, `tests/workbook_check.py`); opened by a real
//! spreadsheet application, LibreOffice Calc, which converts it to CSV and
//! PDF; and the CSV tables read by R (`tests/read_results.R`). Where a tool is absent the test says so and skips, unless
//! CI, which installs them (`.ci/python-setup`, `.ci/office-setup`), sets
//! CHH_PSA_REQUIRE_PYTHON or CHH_PSA_REQUIRE_OFFICE; then it fails.

mod common;
use common::{manifest, ok, run_shipped, tool_ready};

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shipped run at 2,000 draws, shared by this file's tests.
fn finished_run() -> &'static PathBuf {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        ok(run_shipped(&out, &["--samples", "2000"]));
        (dir, out)
    })
    .1
}

fn success(o: std::process::Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
#[cfg_attr(
    not(tool_python),
    ignore = "needs pyarrow, jsonschema, openpyxl and scipy: install them with .ci/python-setup"
)]
fn every_cell_of_the_workbook_is_the_summary_s() {
    let mut probe = common::python_imports("openpyxl");
    if !tool_ready(
        &mut probe,
        "openpyxl",
        "CHH_PSA_REQUIRE_PYTHON",
        ".ci/python-setup",
    ) {
        return;
    }
    let out = finished_run();
    let printed = success(
        Command::new("python3")
            .arg(manifest().join("tests/workbook_check.py"))
            .arg(out.join("results.xlsx"))
            .arg(out.join("summary.json"))
            .output()
            .unwrap(),
    );
    assert!(printed.starts_with("ok: "), "{printed}");
}

/// LibreOffice's converter, `soffice --headless --convert-to`, into `into`.
fn convert(file: &Path, to: &str, into: &Path) -> String {
    success(
        Command::new("soffice")
            .args(["--headless", "--convert-to", to, "--outdir"])
            .arg(into)
            .arg(file)
            .env("HOME", into)
            .output()
            .unwrap(),
    )
}

#[test]
#[cfg_attr(
    not(tool_office),
    ignore = "needs LibreOffice and R: install them with .ci/office-setup"
)]
fn libreoffice_opens_the_workbook_and_reads_the_answer() {
    let mut probe = Command::new("soffice");
    probe.arg("--version");
    if !tool_ready(
        &mut probe,
        "LibreOffice",
        "CHH_PSA_REQUIRE_OFFICE",
        ".ci/office-setup",
    ) {
        return;
    }
    let out = finished_run();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = out.join("results.xlsx");
    convert(&xlsx, "pdf", dir.path());
    let pdf = std::fs::metadata(dir.path().join("results.pdf")).unwrap();
    assert!(pdf.len() > 10_000, "a PDF of {} bytes", pdf.len());
    // Every sheet to CSV (the last field, -1), full precision as stored.
    convert(
        &xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        dir.path(),
    );
    let answer = std::fs::read_to_string(dir.path().join("results-Answer.csv")).unwrap();
    let s = common::summary(out);
    let lines: Vec<&str> = answer.lines().collect();
    assert_eq!(lines.len(), 1 + s.decision.pairs.len(), "{answer}");
    // LibreOffice writes numbers to 15 significant digits.
    let close = |shown: &str, value: f64| {
        let shown: f64 = shown.parse().unwrap();
        assert!(
            (shown - value).abs() <= 1e-13 * value.abs(),
            "{shown} shown for {value}"
        );
    };
    for (line, (key, pair)) in lines[1..].iter().zip(&s.decision.pairs) {
        assert!(!line.contains('"'), "{line}");
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], key);
        close(cells[3], pair.margin_gbp);
        close(cells[4], pair.p_a_beats_b.estimate);
        close(cells[6], pair.p_a_beats_b.wilson_low);
        close(cells[7], pair.p_a_beats_b.wilson_high);
        assert_eq!(cells[8], pair.verdict);
        close(cells[9], pair.mean_difference_gbp);
        close(cells[13], pair.difference_p97_5_gbp);
    }
}

/// A run asked for every CSV file, draws included (`[outputs] csv_draws`).
fn run_with_csv(dir: &Path) -> PathBuf {
    let file = dir.join("run.toml");
    let base = manifest().join("runs/base.toml");
    std::fs::write(
        &file,
        format!(
            "extends = {:?}\noutput = \"out\"\nsamples = 3000\n[outputs]\ncsv_draws = true\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    ok(common::chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    dir.join("out")
}

#[test]
#[cfg_attr(
    not(tool_office),
    ignore = "needs LibreOffice and R: install them with .ci/office-setup"
)]
fn r_reads_the_csv_tables_and_recounts_the_headline() {
    let mut probe = Command::new("Rscript");
    probe.args(["-e", "library(jsonlite)"]);
    if !tool_ready(
        &mut probe,
        "R with jsonlite",
        "CHH_PSA_REQUIRE_OFFICE",
        ".ci/office-setup",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_csv(dir.path());
    let printed = success(
        Command::new("Rscript")
            .arg(manifest().join("tests/read_results.R"))
            .arg(&out)
            .output()
            .unwrap(),
    );
    assert!(printed.starts_with("ok: "), "{printed}");
}

/// Every Parquet table has its CSV copy, the same rows and columns, and
/// without `[outputs]` a run writes none.
#[test]
fn each_table_has_its_csv_copy_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_csv(dir.path());
    let mut tables = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "parquet") {
            let frame = chh_psa::export::parquet::read(&path).unwrap();
            let text = std::fs::read_to_string(path.with_extension("csv")).unwrap();
            let mut lines = text.lines();
            let header: Vec<String> = frame
                .get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect();
            assert_eq!(
                lines.next().unwrap(),
                header.join(","),
                "{}",
                path.display()
            );
            assert_eq!(lines.count(), frame.height(), "{}", path.display());
            tables += 1;
        }
    }
    assert!(tables >= 10, "{tables} tables");
    assert!(out.join("provenance.csv").exists());
    let plain = finished_run();
    assert!(!plain.join("summary.csv").exists() && !plain.join("provenance.csv").exists());
}
