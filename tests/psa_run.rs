//! `chh-psa run`: reproducibility, provenance, and a summary that an
//! independent reader recomputes from `samples.parquet`.

mod common;
use common::{assert_same_files, chh_psa, distributions_copy, floats, ok, run_shipped, summary};

use polars::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

use chh_psa::export::parquet;

/// Runs the shipped run file into `out` with extra flags; asserts success.
fn run(out: &Path, extra: &[&str]) {
    ok(run_shipped(out, extra));
}

fn read(path: &Path) -> DataFrame {
    parquet::read(path).unwrap()
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("run");
    (d, p)
}

#[test]
fn thread_count_does_not_change_a_single_byte() {
    let (_a, one) = temp();
    let (_b, two) = temp();
    run(&one, &["--samples", "20000", "--threads", "1"]);
    run(&two, &["--samples", "20000", "--threads", "2"]);
    assert_same_files(
        &one,
        &two,
        &[
            "samples.parquet",
            "summary.parquet",
            "yearly.parquet",
            "summary.json",
        ],
    );
}

#[test]
fn same_seed_same_files_other_seed_other_draws() {
    let (_a, first) = temp();
    let (_b, again) = temp();
    let (_c, other) = temp();
    run(&first, &["--samples", "2000", "--seed", "7"]);
    run(&again, &["--samples", "2000", "--seed", "7"]);
    run(&other, &["--samples", "2000", "--seed", "8"]);
    // Every file but the report, which carries its date: the workbook too.
    assert_same_files(&first, &again, &chh_psa::run::output_files());
    let a = floats(&read(&first.join("samples.parquet")), "cost_admission");
    let b = floats(&read(&other.join("samples.parquet")), "cost_admission");
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter().zip(&b).all(|(x, y)| x != y),
        "another seed must give other draws"
    );
}

#[test]
fn a_draw_does_not_depend_on_the_sample_count() {
    let (_a, small) = temp();
    let (_b, large) = temp();
    run(&small, &["--samples", "100"]);
    run(&large, &["--samples", "20000"]);
    let s = read(&small.join("samples.parquet"));
    let l = read(&large.join("samples.parquet")).head(Some(100));
    assert!(s.equals(&l));
}

#[test]
fn samples_parquet_has_a_column_per_sampled_parameter_and_provenance() {
    let (_a, dir) = temp();
    run(&dir, &["--samples", "500", "--seed", "11"]);
    let df = read(&dir.join("samples.parquet"));
    assert_eq!(df.height(), 500);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for expected in [
        "draw",
        "cost_admission",
        "impact_gp_appointment",
        "realisation_enhanced",
        "organic_join_probability",
    ] {
        assert!(names.iter().any(|n| n == expected), "no column {expected}");
    }
    for id in [
        "status_quo",
        "decline",
        "organic",
        "supported",
        "accelerated",
    ] {
        assert!(
            names.contains(&format!("{id}_nominal_gbp")) && names.contains(&format!("{id}_pv_gbp"))
        );
    }
    // Fixed parameters are constants, not samples.
    assert!(!names.iter().any(|n| n == "discount_rate"));
    let draws: Vec<u64> = df
        .column("draw")
        .unwrap()
        .u64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    assert_eq!(draws, (0..500).collect::<Vec<u64>>());

    let meta = parquet::read_metadata(&dir.join("samples.parquet")).unwrap();
    let get = |k: &str| {
        meta.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("chh_psa.seed"), "11");
    assert_eq!(get("chh_psa.samples"), "500");
    assert_eq!(get("chh_psa.version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(get("chh_psa.inputs_hash").len(), 64);
    assert_eq!(get("chh_psa.inputs_hash"), summary(&dir).run.inputs_hash);
    assert_eq!(
        get("chh_psa.run_file_hash"),
        summary(&dir).run.run_file_hash
    );
    assert_eq!(
        get("chh_psa.run_file_hash"),
        chh_psa::inputs::sha256_hex(
            &std::fs::read(common::manifest().join("runs/base.toml")).unwrap()
        )
    );
}

#[test]
#[allow(clippy::needless_range_loop)] // indexing by draw reads as the recount it is
fn summary_equals_an_independent_recount_from_samples() {
    let (_a, dir) = temp();
    run(&dir, &["--samples", "5000", "--seed", "3"]);
    let df = read(&dir.join("samples.parquet"));
    let s = summary(&dir);
    let ids = [
        "status_quo",
        "decline",
        "organic",
        "supported",
        "accelerated",
    ];
    let n = df.height() as f64;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert_eq!(s.option_ids(), ids);
    for id in ids {
        let option = &s.options[id];
        for metric in ["nominal", "pv"] {
            let col = df
                .column(&format!("{id}_{metric}_gbp"))
                .unwrap()
                .f64()
                .unwrap()
                .clone();
            let stats = if metric == "pv" {
                option.pv_gbp
            } else {
                option.nominal_gbp
            };
            let mean = col.mean().unwrap();
            let sd = col.std(1).unwrap();
            assert!(close(stats.mean, mean), "{id} {metric} mean");
            assert!(close(stats.sd, sd), "{id} {metric} sd");
            assert!(close(stats.mcse_mean, sd / n.sqrt()));
            for (value, key, q) in [
                (stats.median, "median", 0.5),
                (stats.p2_5, "p2_5", 0.025),
                (stats.p97_5, "p97_5", 0.975),
            ] {
                let reader = col.quantile(q, QuantileMethod::Linear).unwrap().unwrap();
                assert!(close(value, reader), "{id} {metric} {key}");
            }
        }
    }
    // Decision statistics, recounted draw by draw.
    let pv: Vec<Vec<f64>> = ids
        .iter()
        .map(|id| floats(&df, &format!("{id}_pv_gbp")))
        .collect();
    let acc_wins = (0..df.height()).filter(|&i| pv[4][i] > pv[3][i]).count() as f64 / n;
    let p = &s.decision.pairs["accelerated-supported"].p_a_beats_b;
    assert!(close(p.estimate, acc_wins));
    assert!(close(p.mcse, (acc_wins * (1.0 - acc_wins) / n).sqrt()));
    assert!(p.wilson_low < acc_wins && acc_wins < p.wilson_high);
    let mut best = [0.0; 5];
    let mut rank = [[0.0; 5]; 5];
    for i in 0..df.height() {
        let mut order: Vec<usize> = (0..5).collect();
        order.sort_by(|&a, &b| pv[b][i].total_cmp(&pv[a][i]));
        best[order[0]] += 1.0 / n;
        for (r, &k) in order.iter().enumerate() {
            rank[k][r] += 1.0 / n;
        }
    }
    for k in 0..5 {
        let option = &s.options[ids[k]];
        assert!(
            (option.p_best.estimate - best[k]).abs() < 1e-9,
            "P(best) {k}"
        );
        for r in 0..5 {
            assert!(
                (option.p_rank[r] - rank[k][r]).abs() < 1e-9,
                "P(rank) {k} {r}"
            );
        }
        for j in 0..5 {
            let beats = (0..df.height()).filter(|&i| pv[k][i] > pv[j][i]).count() as f64 / n;
            assert!((option.p_beats[ids[j]] - beats).abs() < 1e-12);
        }
    }
    // EVPI = E[max] − max E.
    let e_max = (0..df.height())
        .map(|i| (0..5).map(|k| pv[k][i]).fold(f64::MIN, f64::max))
        .sum::<f64>()
        / n;
    let max_e = (0..5)
        .map(|k| pv[k].iter().sum::<f64>() / n)
        .fold(f64::MIN, f64::max);
    assert!((s.evpi_gbp - (e_max - max_e)).abs() < 1e-6 * e_max.abs());
}

/// A copy of the shipped parameter files with every distribution fixed at its base.
fn all_fixed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    distributions_copy(dir.path(), |_, text| {
        text.lines()
            .map(|l| {
                if l.starts_with("distribution = ") {
                    "distribution = { family = \"fixed\" }"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    dir
}

fn write_run(dir: &Path, rollout: bool) -> PathBuf {
    let path = dir.join(format!("run_{rollout}.toml"));
    std::fs::write(
        &path,
        format!(
            "samples = 300\nseed = 5\ndistributions = \"distributions\"\noutput = \"out_{rollout}\"\n[uncertainty]\nparameters = true\nrollout = {rollout}\n"
        ),
    )
    .unwrap();
    path
}

fn base_json(distributions: &Path) -> Value {
    let o = chh_psa(&[
        "base",
        "--json",
        "--distributions",
        distributions.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn with_every_distribution_fixed_each_draw_is_the_base_case_exactly() {
    let dir = all_fixed();
    let run_file = write_run(dir.path(), false);
    let o = chh_psa(&["run", run_file.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let base = base_json(&dir.path().join("distributions"));
    let df = read(&dir.path().join("out_false/samples.parquet"));
    for option in base["options"].as_array().unwrap() {
        let id = option["id"].as_str().unwrap();
        for (key, col) in [("nominal_gbp", "nominal_gbp"), ("pv_gbp", "pv_gbp")] {
            let expected = option[key].as_f64().unwrap();
            assert!(
                floats(&df, &format!("{id}_{col}"))
                    .iter()
                    .all(|v| *v == expected),
                "{id} {key}"
            );
        }
    }
}

#[test]
fn sampled_rollout_is_unbiased_for_the_expected_schedule() {
    // With parameters fixed the model is linear in the schedule, so the mean
    // over sampled roll-outs must match the base case within its MCSE.
    let dir = all_fixed();
    let run_file = write_run(dir.path(), true);
    let o = chh_psa(&[
        "run",
        run_file.to_str().unwrap(),
        "--quiet",
        "--samples",
        "20000",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let base = base_json(&dir.path().join("distributions"));
    let s = summary(&dir.path().join("out_true"));
    for option in base["options"].as_array().unwrap() {
        let pv = &s.options[option["id"].as_str().unwrap()].pv_gbp;
        let (mean, mcse) = (pv.mean, pv.mcse_mean);
        let target = option["pv_gbp"].as_f64().unwrap();
        assert!(
            (mean - target).abs() <= 4.0 * mcse + 1e-9 * target.abs(),
            "{}: {mean} vs {target} (mcse {mcse})",
            option["id"]
        );
    }
    // The roll-out did vary.
    assert!(s.options["organic"].pv_gbp.sd > 0.0);
}

#[test]
fn existing_results_are_not_overwritten_without_force() {
    let (_a, dir) = temp();
    run(&dir, &["--samples", "100"]);
    let before = std::fs::read(dir.join("summary.json")).unwrap();
    let o = run_shipped(&dir, &["--samples", "200"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read(dir.join("summary.json")).unwrap(), before);
    run(&dir, &["--samples", "200", "--force"]);
    assert_eq!(read(&dir.join("samples.parquet")).height(), 200);
}

#[test]
fn run_leaves_no_temporary_files() {
    let (_a, dir) = temp();
    run(&dir, &["--samples", "1000"]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = chh_psa::run::output_files()
        .iter()
        .chain([&chh_psa::run::REPORT_FILE])
        // Written only when the run file asks for every draw's yearly figures.
        .filter(|&&s| s != chh_psa::export::yearly::DRAWS_FILE)
        .map(|s| s.to_string())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

/// `--timings` records each stage's wall time in the summary and prints it;
/// without it the summary holds no timings, so re-runs stay byte-identical.
#[test]
fn timings_are_recorded_only_when_asked() {
    let (_a, timed) = temp();
    let (_b, plain) = temp();
    let started = std::time::Instant::now();
    let printed = common::chh_psa(&[
        "run",
        "runs/base.toml",
        "--samples",
        "2000",
        "--timings",
        "--out",
        timed.to_str().unwrap(),
    ]);
    let wall = started.elapsed().as_secs_f64();
    let printed = String::from_utf8(ok(printed).stdout).unwrap();
    let t = common::summary(&timed).timings.expect("timings recorded");
    let stages = [t.draws_s, t.tornado_s, t.yearly_s, t.analyses_s];
    assert!(stages.iter().all(|s| s.is_finite() && *s >= 0.0));
    // Scenarios are evaluated with the draws: their share lies within.
    assert!(t.scenarios_s > 0.0 && t.scenarios_s <= t.draws_s, "{t:?}");
    assert!(stages.iter().sum::<f64>() <= wall, "stages exceed the run");
    assert!(printed.contains("Time: draws "), "{printed}");
    run(&plain, &["--samples", "2000"]);
    let text = std::fs::read_to_string(plain.join("summary.json")).unwrap();
    assert!(!text.contains("timings"));
    assert_eq!(common::summary(&plain).timings, None);
}
