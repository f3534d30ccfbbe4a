//! A shard keeps none of its draws in memory (the analyses come with the
//! merge), so its peak memory does not grow with its share of the draws as a
//! run's does, at 45 kept columns of 8 bytes a draw.
//!
//! On its own in this test binary: the peak it reads is that of the largest
//! child process the binary has waited for.

#![cfg(target_os = "linux")]

mod common;
use common::{ok, run_shipped};

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
