//! `--shard K/N` and `merge`: four parts merged equal one run, file for file.

mod common;
use common::{assert_same_files, chh_psa, ok, run_shipped};

use std::path::{Path, PathBuf};
use std::process::Output;

fn shard(dir: &Path, k: u32, n: u32, samples: &str) -> PathBuf {
    let out = dir.join(format!("shard-{k}"));
    ok(run_shipped(
        &out,
        &["--samples", samples, "--shard", &format!("{k}/{n}")],
    ));
    out
}

/// `chh-psa merge --quiet --out OUT` of `parts`, in the order given.
fn merge(out: &Path, parts: &[&Path]) -> Output {
    let mut args = vec!["merge", "--quiet", "--out", out.to_str().unwrap()];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    chh_psa(&args)
}

#[test]
fn four_shards_merged_equal_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    // Not a multiple of the chunk size or of the shard count.
    let samples = "40001";
    let parts: Vec<PathBuf> = (1..=4).map(|k| shard(dir.path(), k, 4, samples)).collect();
    // Each part holds only its own draws.
    let first = chh_psa::export::parquet::read(&parts[0].join("samples.parquet")).unwrap();
    assert_eq!(first.height(), 10000);
    let merged = dir.path().join("merged");
    // Given out of order: the merge orders them.
    let reversed: Vec<&Path> = parts.iter().rev().map(PathBuf::as_path).collect();
    ok(merge(&merged, &reversed));
    let single = dir.path().join("single");
    ok(run_shipped(&single, &["--samples", samples]));
    assert_same_files(&merged, &single, &chh_psa::run::output_files());
}

#[test]
fn merge_refuses_incomplete_or_mixed_shards() {
    let dir = tempfile::tempdir().unwrap();
    let a = shard(dir.path(), 1, 3, "3000");
    let b = shard(dir.path(), 2, 3, "3000");
    let out = dir.path().join("merged");
    let o = merge(&out, &[&a, &b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("shards 1 to 3"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A shard of another run (other draw count).
    let other_dir = tempfile::tempdir().unwrap();
    let c = shard(other_dir.path(), 3, 3, "6000");
    let o = merge(&out, &[&a, &b, &c]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another run"));
    assert!(!out.exists(), "nothing written by a refused merge");
}

#[test]
fn bad_shard_argument_is_a_usage_error() {
    let o = chh_psa(&["run", "runs/base.toml", "--quiet", "--shard", "5/4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 ≤ K ≤ N"));
}
