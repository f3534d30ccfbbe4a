//! Memory at scale: a shard keeps none of its draws in memory (the analyses
//! come with the merge), so its peak does not grow with its share of the
//! draws as a run's does, at 45 kept columns of 8 bytes a draw; and a run
//! whose analyses would not fit is refused before any draw.
//!
//! The shard test reads the peak of the largest child process this test
//! binary has waited for; the refused run's child exits at once, small.

#![cfg(target_os = "linux")]

mod common;
use common::{ok, run_shipped};
use std::path::Path;

/// Bytes a run keeps per draw for its analyses: the sampled inputs,
/// hub-years and option values.
const KEPT_PER_DRAW: u64 = 45 * 8;

/// Peak resident memory, in bytes, of the largest child waited for so far.
fn largest_child_peak() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the rusage it is given and returns 0, or
    // returns -1 and leaves it as it was (zeroed, a valid rusage).
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    // Linux gives it in kilobytes.
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_shard_memory_does_not_grow_with_its_draws() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |name: &str, samples: &str| {
        ok(run_shipped(
            &dir.path().join(name),
            &["--samples", samples, "--shard", "1/2"],
        ));
        largest_child_peak()
    };
    // Shards of 100,000 and 400,000 draws; the larger one runs second, so
    // the peak read after it is its own.
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

/// `MemAvailable` of this machine, in bytes.
fn mem_available() -> u64 {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let line = meminfo
        .lines()
        .find(|l| l.starts_with("MemAvailable:"))
        .unwrap();
    let kilobytes: u64 = line
        .trim_start_matches("MemAvailable:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kilobytes * 1024
}

#[test]
fn a_run_too_large_for_memory_is_refused_before_any_draw() {
    // The most draws a run accepts, 10^8, keep 36 GB of columns alone.
    if mem_available() > 36_000_000_000 {
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
        .current_dir(common::manifest())
        .stderr(std::process::Stdio::piped())
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
    ok(run_shipped(
        &shard,
        &["--samples", "100000000", "--shard", "10000/10000"],
    ));
    assert!(Path::new(&shard.join("samples.parquet")).exists());
}
