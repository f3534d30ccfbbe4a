//! A real cluster: the array script runs 4 shards on Slurm and a dependent
//! merge; the merged files equal a single run's. `.ci/slurm-setup` starts a
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

#[test]
fn slurm_array_of_four_shards_merges_to_a_single_run() {
    if !cluster_up() {
        assert!(
            std::env::var_os("CHH_PSA_REQUIRE_SLURM").is_none(),
            "CHH_PSA_REQUIRE_SLURM is set but no Slurm node is up"
        );
        eprintln!("SKIPPED: no Slurm cluster is running here (start one with .ci/slurm-setup)");
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cluster");
    let samples = "30000";
    let submit = Command::new(manifest.join("runs/slurm-array.sh"))
        .args([
            "submit",
            "runs/base.toml",
            out.to_str().unwrap(),
            "4",
            samples,
        ])
        .env("CHH_PSA", env!("CARGO_BIN_EXE_chh-psa"))
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
    assert_eq!(ids.len(), 2, "job ids of the array and the merge");
    let started = Instant::now();
    while in_queue(&ids) {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "jobs still queued after 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
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
    assert_same_files(&merged, &single, &chh_psa::run::OUTPUT_FILES);
}
