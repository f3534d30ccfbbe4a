//! Memory at scale: a shard keeps none of its draws in memory (the analyses
//! come with the merge), so its peak does not grow with its share of the
//! draws as a run's does, at 45 kept columns of 8 bytes a draw; a merge
//! reads its parts a column at a time rather than whole beside the columns;
//! and a run whose analyses would not fit is refused before any draw.

#![cfg(target_os = "linux")]

mod common;
use common::manifest;
use std::path::Path;
use std::process::{Command, Stdio};

/// Bytes a run keeps per draw for its analyses: the sampled inputs,
/// hub-years and option values.
const KEPT_PER_DRAW: u64 = 45 * 8;

/// Runs `chh-psa` with `args` from the crate's folder and returns its peak
/// resident memory in bytes, asserting that it succeeded.
// The child is waited for by wait4, which gives its own peak; std's wait
// gives none.
#[allow(clippy::zombie_processes)]
fn peak_of(args: &[&str]) -> u64 {
    let child = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(args)
        .arg("--quiet")
        .current_dir(manifest())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (mut status, mut usage) = (0, std::mem::MaybeUninit::<libc::rusage>::zeroed());
    // SAFETY: wait4 waits for this child alone and fills the status and the
    // rusage it is given (zeroed, a valid rusage, should it fail).
    let usage = unsafe {
        let pid = libc::pid_t::try_from(child.id()).unwrap();
        assert_eq!(libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()), pid);
        usage.assume_init()
    };
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "chh-psa {args:?} failed ({status})"
    );
    // Linux gives it in kilobytes.
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_shard_memory_does_not_grow_with_its_draws() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |name: &str, samples: &str| {
        let out = dir.path().join(name);
        let args = ["run", "runs/base.toml", "--out", out.to_str().unwrap()];
        peak_of(&[&args[..], &["--samples", samples, "--shard", "1/2"]].concat())
    };
    // Shards of 100,000 and 400,000 draws.
    let small = shard("small", "200000");
    let large = shard("large", "800000");
    let keeping = 300_000 * KEPT_PER_DRAW;
    let grew = large.saturating_sub(small);
    assert!(
        grew < keeping / 4,
        "300,000 more draws took {} MB more at peak ({} MB against {} MB); keeping the columns would take {} MB",
        grew >> 20,
        large >> 20,
        small >> 20,
        keeping >> 20
    );
}

#[test]
fn a_merge_holds_the_columns_and_little_more() {
    let dir = tempfile::tempdir().unwrap();
    let (part, merged) = (dir.path().join("part"), dir.path().join("merged"));
    let draws = 400_000;
    peak_of(&[
        "run",
        "runs/base.toml",
        "--out",
        part.to_str().unwrap(),
        "--samples",
        &draws.to_string(),
        "--shard",
        "1/1",
    ]);
    // One part: read whole, it would sit beside the columns it fills and
    // add as much again. Besides the columns a merge holds what a run does:
    // rank buffers on each of its threads (one per core) and the rest, as
    // the memory check counts them, with a quarter to spare.
    let peak = peak_of(&[
        "merge",
        part.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    let threads = std::thread::available_parallelism().unwrap().get() as u64;
    let columns = draws * KEPT_PER_DRAW;
    let bound = (columns + draws * (24 * threads + 48) + (64 << 20)) * 5 / 4;
    assert!(
        peak < bound,
        "a merge of {draws} draws peaked at {} MB, above {} MB; its columns take {} MB",
        peak >> 20,
        bound >> 20,
        columns >> 20
    );
    assert!(merged.join("summary.json").exists());
}

#[test]
fn a_run_too_large_for_memory_is_refused_before_any_draw() {
    // The most draws a run accepts, 10^8, keep 36 GB of columns alone.
    if chh_psa::run::memory::available().is_some_and(|room| room > 36_000_000_000) {
        eprintln!("skipped: this machine has room for 10^8 draws' columns");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    // Were the check gone, the run would draw for minutes and exhaust the
    // memory: it is stopped after ten seconds, failing the test.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(["run", "runs/base.toml", "--quiet", "--out"])
        .arg(&out)
        .args(["--samples", "100000000", "--threads", "2"])
        .current_dir(manifest())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("a run of 10^8 draws was not refused before drawing");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    for fragment in [
        "runs/base.toml",
        "`samples`",
        "100000000 draws need about 45.7 GB",
        "456 bytes a draw on 2 threads",
        "is available",
        "--shard",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} not in {stderr}");
    }
    assert!(!out.exists(), "a refused run created {}", out.display());
    // A shard keeps no draws in memory: a 10,000-draw shard of the same
    // 10^8 draws is not refused.
    let shard = dir.path().join("shard");
    peak_of(&[
        "run",
        "runs/base.toml",
        "--out",
        shard.to_str().unwrap(),
        "--samples",
        "100000000",
        "--shard",
        "10000/10000",
    ]);
    assert!(Path::new(&shard.join("samples.parquet")).exists());
}
