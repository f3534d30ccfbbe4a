//! A real cluster: the array script runs 4 shards on Slurm and a dependent
//! merge, the merged files equal a single run's; the batch script runs
//! each run file as an array task and compares them once all have ended. `.ci/slurm-setup` starts a
//! one-node cluster; where its daemons cannot start at all the test says so
//! and skips, unless CHH_PSA_REQUIRE_SLURM is set (as `.ci/run` does when
//! the cluster came up), in which case it fails.

mod common;
use common::{assert_same_files, ok, run_shipped};

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn cluster_up() -> bool {
    Command::new("sinfo")
        .args(["-h", "-o", "%T"])
        .output()
        .map(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| ["idle", "mixed", "allocated"].contains(&l.trim()))
        })
        .unwrap_or(false)
}

fn in_queue(ids: &[String]) -> bool {
    let out = Command::new("squeue")
        .args(["-h", "-o", "%i", "-j", &ids.join(",")])
        .output()
        .unwrap();
    !String::from_utf8_lossy(&out.stdout).trim().is_empty()
}

/// False (and says so) when no cluster runs here and none is required.
fn cluster_or_skip() -> bool {
    if cluster_up() {
        return true;
    }
    assert!(
        std::env::var_os("CHH_PSA_REQUIRE_SLURM").is_none(),
        "CHH_PSA_REQUIRE_SLURM is set but no Slurm node is up"
    );
    eprintln!("SKIPPED: no Slurm cluster is running here (start one with .ci/slurm-setup)");
    false
}

/// Runs one of the `runs/slurm-*.sh` scripts with `args` (and `flags` for
/// chh-psa) and waits until the two jobs it submitted have left the queue.
fn submit_and_wait(script: &str, args: &[&str], flags: &str) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let submit = Command::new(manifest.join(script))
        .args(args)
        .env("CHH_PSA", env!("CARGO_BIN_EXE_chh-psa"))
        .env("CHH_PSA_FLAGS", flags)
        .current_dir(manifest)
        .output()
        .unwrap();
    assert!(
        submit.status.success(),
        "{}",
        String::from_utf8_lossy(&submit.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&submit.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 2, "job ids of the array and the job after it");
    let started = Instant::now();
    while in_queue(&ids) {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "jobs still queued after 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
#[cfg_attr(
    not(tool_slurm),
    ignore = "needs a Slurm cluster: start one with .ci/slurm-setup"
)]
fn slurm_array_of_four_shards_merges_to_a_single_run() {
    if !cluster_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cluster");
    let samples = "30000";
    submit_and_wait(
        "runs/slurm-array.sh",
        &[
            "submit",
            "runs/base.toml",
            out.to_str().unwrap(),
            "4",
            samples,
        ],
        "",
    );
    let merged = out.join("merged");
    let log = std::fs::read_to_string(out.join("slurm-merge.log")).unwrap_or_default();
    assert!(
        merged.join("summary.json").exists(),
        "the merge job did not finish; its log:\n{log}"
    );
    for k in 1..=4 {
        assert!(
            out.join(format!("shard-{k}/shard.json")).exists(),
            "shard {k} did not run"
        );
    }
    let single = dir.path().join("single");
    ok(run_shipped(&single, &["--samples", samples]));
    assert_same_files(&merged, &single, &chh_psa::run::output_files());
}

/// A batch on the cluster: each run file an array task, one of them broken;
/// the good runs finish with the files a run on one machine writes, and the
/// comparison after them holds both and names the broken run's folder.
#[test]
#[cfg_attr(
    not(tool_slurm),
    ignore = "needs a Slurm cluster: start one with .ci/slurm-setup"
)]
fn slurm_batch_runs_each_file_as_a_task_and_compares_them() {
    if !cluster_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "samples = 10\nsedd = 3\n").unwrap();
    let out = dir.path().join("batch");
    let files = [
        "runs/base.toml",
        broken.to_str().unwrap(),
        "runs/slower_mobilisation.toml",
    ];
    let mut args = vec!["submit", out.to_str().unwrap()];
    args.extend(files);
    submit_and_wait("runs/slurm-batch.sh", &args, "--samples 2000");
    let log = std::fs::read_to_string(out.join("slurm-compare.log")).unwrap_or_default();
    assert!(
        log.contains("1 of the batch's 3 runs failed") && log.contains("run-2-broken: "),
        "the comparison names the broken run; its log:\n{log}"
    );
    let table = chh_psa::export::parquet::read(&out.join("batch/batch.parquet")).unwrap();
    let runs: Vec<String> = table
        .column("run")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|r| r.unwrap().to_string())
        .collect();
    assert!(runs.iter().any(|r| r.ends_with("run-1-base")), "{runs:?}");
    assert!(
        runs.iter()
            .any(|r| r.ends_with("run-3-slower_mobilisation")),
        "{runs:?}"
    );
    let single = dir.path().join("single");
    ok(run_shipped(&single, &["--samples", "2000"]));
    assert_same_files(
        &out.join("run-1-base"),
        &single,
        &chh_psa::run::output_files(),
    );
}
