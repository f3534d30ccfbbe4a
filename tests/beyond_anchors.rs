//! Whole runs with the features beyond the established tools: sampling
//! designs (split and threaded), correlated parameters, EVPPI and
//! precision-driven stopping, through the binary.

mod common;
use common::{
    assert_same_files, chh_psa, distributions_copy, floats, manifest, ok, run_shipped, summary,
};

use std::path::{Path, PathBuf};
use std::process::Output;

/// runs/base.toml with its design replaced, written beside `dir`, reading
/// `distributions` (the shipped ones unless given).
fn run_file(dir: &Path, design: &str, distributions: Option<&Path>) -> PathBuf {
    let text = std::fs::read_to_string(manifest().join("runs/base.toml")).unwrap();
    let shipped = manifest().join("distributions");
    let text = text
        .replace(r#"design = "random""#, &format!(r#"design = "{design}""#))
        .replace(
            r#"distributions = "../distributions""#,
            &format!(
                "distributions = {:?}",
                distributions.unwrap_or(&shipped).to_str().unwrap()
            ),
        );
    assert!(text.contains(&format!(r#"design = "{design}""#)));
    let path = dir.join(format!("{design}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn run(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    chh_psa(&args)
}

/// Runs `file` in `count` shards of `samples` draws and merges them into
/// `<prefix>-merged` under `dir`; returns the merged folder.
fn run_in_shards_and_merge(
    file: &Path,
    dir: &Path,
    prefix: &str,
    samples: &str,
    count: u64,
) -> PathBuf {
    let parts: Vec<PathBuf> = (1..=count)
        .map(|k| {
            let out = dir.join(format!("{prefix}-shard-{k}"));
            ok(run(
                file,
                &out,
                &["--samples", samples, "--shard", &format!("{k}/{count}")],
            ));
            out
        })
        .collect();
    let merged = dir.join(format!("{prefix}-merged"));
    let mut args = vec!["merge", "--quiet", "--out", merged.to_str().unwrap()];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    ok(chh_psa(&args));
    merged
}

#[test]
fn designs_give_the_same_files_on_any_thread_count_and_split_into_shards() {
    let dir = tempfile::tempdir().unwrap();
    for design in ["latin_hypercube", "sobol"] {
        let file = run_file(dir.path(), design, None);
        let one = dir.path().join(format!("{design}-1"));
        let two = dir.path().join(format!("{design}-2"));
        ok(run(&file, &one, &["--samples", "6000", "--threads", "1"]));
        ok(run(&file, &two, &["--samples", "6000", "--threads", "2"]));
        let files = ["samples.parquet", "summary.json", "evppi.parquet"];
        assert_same_files(&one, &two, &files);
        let s = summary(&one);
        assert_eq!(s.run.sampling_design_key, design);
        let merged = run_in_shards_and_merge(&file, dir.path(), design, "6000", 3);
        assert_same_files(&one, &merged, &files);
    }
}

/// A copy of the shipped distributions with one more file, `extra`.
fn distributions_with(dir: &Path, extra: &str) -> PathBuf {
    let distributions = distributions_copy(dir, |_, text| text);
    std::fs::write(distributions.join("tariff_correlation.toml"), extra).unwrap();
    distributions
}

#[test]
fn a_run_reports_target_and_achieved_correlations() {
    let dir = tempfile::tempdir().unwrap();
    let distributions = distributions_with(
        dir.path(),
        r#"
[[correlation]]
about = "Prices set by one national tariff move together"
parameters = ["cost_new_outpatient", "cost_ae_attendance", "cost_admission"]
spearman = [[1.0, 0.5, 0.4], [0.5, 1.0, 0.5], [0.4, 0.5, 1.0]]
source = "test"
"#,
    );
    let file = run_file(dir.path(), "random", Some(&distributions));
    let out = dir.path().join("out");
    let printed = ok(chh_psa(&[
        "run",
        file.to_str().unwrap(),
        "--samples",
        "20000",
        "--out",
        out.to_str().unwrap(),
    ]));
    let s = summary(&out);
    let pairs = &s.correlated_parameters;
    assert_eq!(pairs.len(), 3);
    let samples = chh_psa::export::parquet::read(&out.join("samples.parquet")).unwrap();
    for pair in pairs {
        let (target, achieved) = (pair.target_spearman, pair.achieved_spearman);
        assert!((achieved - target).abs() < 0.02, "{pair:?}");
        // Recount from the draws: Spearman as Pearson of ranks (no ties).
        let x = floats(&samples, &pair.parameters[0]);
        let y = floats(&samples, &pair.parameters[1]);
        let recount = common::spearman(&x, &y);
        assert!((recount - achieved).abs() < 1e-9, "{recount} vs {achieved}");
    }
    let table = String::from_utf8_lossy(&printed.stdout).to_string();
    assert!(table.contains("Correlated: cost_new_outpatient ~ cost_ae_attendance"));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Correlated parameters (Gaussian copula)"));
}

#[test]
fn a_matrix_that_is_not_positive_definite_stops_the_run_unless_it_asks_for_repair() {
    let dir = tempfile::tempdir().unwrap();
    let distributions = distributions_with(
        dir.path(),
        r#"
[[correlation]]
parameters = ["cost_new_outpatient", "cost_ae_attendance", "cost_admission"]
spearman = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]
source = "test"
"#,
    );
    let file = run_file(dir.path(), "random", Some(&distributions));
    let out = dir.path().join("out");
    let o = run(&file, &out, &["--samples", "2000"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("tariff_correlation.toml")
            && err.contains("not positive definite")
            && err.contains("repair_correlations = true"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("repair_correlations = false", "repair_correlations = true");
    std::fs::write(&file, text).unwrap();
    ok(run(&file, &out, &["--samples", "2000"]));
    let s = summary(&out);
    for pair in &s.correlated_parameters {
        assert!(pair.repaired);
        let (imposed, achieved) = (pair.imposed_spearman, pair.achieved_spearman);
        assert!((imposed - achieved).abs() < 0.05, "{pair:?}");
    }
}

#[test]
fn evppi_of_each_parameter_and_group_lies_between_zero_and_the_evpi() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(run_shipped(&out, &["--samples", "8000"]));
    let s = summary(&out);
    let evpi = s.evpi_gbp;
    let table = chh_psa::export::parquet::read(&out.join("evppi.parquet")).unwrap();
    let values = floats(&table, "evppi_gbp");
    let names: Vec<String> = table
        .column("name")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect();
    let sampled = s
        .parameters
        .iter()
        .filter(|p| !p.distribution.starts_with("fixed"))
        .count();
    // Every sampled parameter, the four groups of runs/base.toml, and the
    // EVPI's split into all parameters together and the rest.
    assert_eq!(values.len(), sampled + 4 + 2);
    for group in ["rollout", "realisation", "impacts", "unit_costs"] {
        assert!(names.iter().any(|n| n == group), "{group}");
    }
    for (name, v) in names.iter().zip(&values) {
        assert!((0.0..=evpi).contains(v), "{name}: {v} vs EVPI {evpi}");
    }
    let evppi = s.evppi.unwrap();
    for (row, v) in evppi.rows.iter().zip(&values) {
        assert_eq!(row.evppi_gbp, *v);
    }
    assert_eq!(evppi.evpi_gbp, evpi);
    // Learning every parameter is worth at least learning any of them, up
    // to the estimates' error; learnable and irreducible add up to the EVPI.
    let split = evppi.split.unwrap();
    for row in &evppi.rows {
        assert!(
            split.learnable_gbp + 2.0 * (split.learnable_se_gbp + row.se_gbp) >= row.evppi_gbp,
            "{}: {} above all parameters' {}",
            row.name,
            row.evppi_gbp,
            split.learnable_gbp
        );
    }
    assert!((split.learnable_gbp + split.irreducible_gbp - evpi).abs() <= 1e-9 * evpi);
    // Each declared study is worth at most the EVPPI of what it informs,
    // and its value does not fall as it grows, within the estimates' error.
    assert_eq!(s.evsi.len(), 2);
    for study in &s.evsi {
        let mut previous = 0.0;
        for p in &study.points {
            let error = 2.0 * (p.se_gbp + study.evppi_se_gbp);
            assert!(
                p.evsi_gbp <= study.evppi_gbp + error,
                "{}: n = {}",
                study.name,
                p.size
            );
            assert!(
                p.evsi_gbp >= previous - 2.0 * p.se_gbp,
                "{}: n = {}",
                study.name,
                p.size
            );
            assert!((p.enbs_gbp - (p.evsi_gbp - p.cost_gbp)).abs() < 1e-9);
            previous = p.evsi_gbp;
        }
    }
}

/// With draws beyond those the EVPPI uses, the regressions take the run's
/// first draws: the same table on one thread or two, and from a merge of
/// shards.
#[test]
fn evppi_on_the_first_draws_is_the_same_in_a_run_and_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(run_file(dir.path(), "random", None)).unwrap();
    let text = text.replace("max_draws = 20000", "max_draws = 1500");
    assert!(text.contains("max_draws = 1500"));
    let file = dir.path().join("early.toml");
    std::fs::write(&file, text).unwrap();
    let files = ["samples.parquet", "summary.json", "evppi.parquet"];
    let single = |threads: &str| {
        let out = dir.path().join(format!("single-{threads}"));
        ok(run(
            &file,
            &out,
            &["--samples", "5000", "--threads", threads],
        ));
        out
    };
    let (one, two) = (single("1"), single("2"));
    assert_same_files(&one, &two, &files);
    let merged = run_in_shards_and_merge(&file, dir.path(), "early", "5000", 2);
    assert_same_files(&one, &merged, &files);
    let table = chh_psa::export::parquet::read(&one.join("evppi.parquet")).unwrap();
    let used = table.column("draws_used").unwrap().u64().unwrap();
    assert!(used.into_no_null_iter().all(|n| n == 1500));
}

#[test]
fn until_mcse_stops_where_the_standard_error_first_falls_below_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("precise");
    let target = 0.005;
    ok(run_shipped(
        &out,
        &["--until-mcse", "0.005", "--samples", "200000"],
    ));
    let s = summary(&out);
    let stopping = s.stopping.clone().unwrap();
    assert_eq!(stopping.stopped_by, "precision");
    assert_eq!(stopping.pair, "accelerated-supported");
    let n = s.run.samples;
    assert_eq!(stopping.draws, n);
    // Recount the wins from the draws.
    let samples = chh_psa::export::parquet::read(&out.join("samples.parquet")).unwrap();
    assert_eq!(samples.height() as u64, n);
    let (a, b) = (
        floats(&samples, "accelerated_pv_gbp"),
        floats(&samples, "supported_pv_gbp"),
    );
    let mcse = |m: usize| {
        let p = (0..m).filter(|&i| a[i] > b[i]).count() as f64 / m as f64;
        (p, (p * (1.0 - p) / m as f64).sqrt())
    };
    let (p, at_n) = mcse(n as usize);
    assert!(at_n < target, "MCSE {at_n} at {n}");
    assert!(
        mcse(n as usize - 100).1 >= target,
        "it could have stopped earlier"
    );
    // N is where p(1-p)/N first drops below the target's square.
    let needed = p * (1.0 - p) / (target * target);
    assert!(
        (n as f64) > needed && (n as f64) < needed + 100.0 + 0.05 * needed,
        "{n} draws vs p(1-p)/X² = {needed}"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(&format!("stopped by precision at {n} draws")));
    // The same files as a run of exactly N draws.
    let fixed = dir.path().join("fixed");
    ok(run_shipped(&fixed, &["--samples", &n.to_string()]));
    assert_same_files(&out, &fixed, &["samples.parquet"]);
    let mut precise = s.clone();
    precise.stopping = None;
    assert_eq!(precise, summary(&fixed));
}

#[test]
fn until_mcse_reports_when_the_maximum_stopped_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("capped");
    let printed = ok(chh_psa(&[
        "run",
        "runs/base.toml",
        "--until-mcse",
        "0.001",
        "--samples",
        "3000",
        "--out",
        out.to_str().unwrap(),
    ]));
    let s = summary(&out);
    assert_eq!(s.stopping.unwrap().stopped_by, "maximum draws");
    assert_eq!(s.run.samples, 3000);
    assert!(
        String::from_utf8_lossy(&printed.stdout).contains("Stopped by the maximum of 3000 draws")
    );
}

#[test]
fn until_mcse_refuses_a_latin_hypercube() {
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), "latin_hypercube", None);
    let out = dir.path().join("out");
    let o = run(&file, &out, &["--until-mcse", "0.01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("sampling.design") && err.contains("until-mcse"),
        "{err}"
    );
    assert!(!out.exists());
}
