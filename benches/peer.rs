//! The shipped run (`runs/base.toml`: every scenario and analysis, the
//! report) against the numpy peer (`benches/numpy_peer.py`: the same
//! parameter files sampled, the roll-out drawn, every option evaluated and
//! the draws written to Parquet, nothing more), at 10^4, 10^5 and 10^6
//! draws, on the machine's threads.
//!
//! `cargo bench --bench peer`. Needs python3 with numpy and pyarrow; the
//! peer is left out, saying so, without them. `benches/peer.sh` alternates
//! the two run by run and gives the figures in docs/performance.md.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn succeed(command: &mut Command) {
    let status = command.status().expect("the command starts");
    assert!(status.success(), "{command:?} failed");
}

fn shipped_run(draws: u64, out: &Path) {
    succeed(
        Command::new(env!("CARGO_BIN_EXE_chh-psa"))
            .current_dir(root())
            .args(["run", "runs/base.toml", "--quiet", "--force", "--samples"])
            .arg(draws.to_string())
            .arg("--out")
            .arg(out),
    );
}

fn numpy_peer(draws: u64, out: &Path) {
    succeed(
        Command::new("python3")
            .current_dir(root())
            .args(["benches/numpy_peer.py", "distributions"])
            .arg(draws.to_string())
            .arg(out.join("peer.parquet")),
    );
}

fn peer_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy, pyarrow"])
        .status()
        .is_ok_and(|s| s.success())
}

fn against_numpy(c: &mut Criterion) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let ready = peer_ready();
    if !ready {
        eprintln!("numpy peer left out: python3 with numpy and pyarrow not found");
    }
    let mut group = c.benchmark_group("shipped run against numpy");
    group.sample_size(10);
    for draws in [10_000u64, 100_000, 1_000_000] {
        group.measurement_time(Duration::from_secs(10 + draws / 10_000));
        group.bench_with_input(BenchmarkId::new("chh-psa", draws), &draws, |b, &n| {
            b.iter(|| shipped_run(n, &out.path().join("run")))
        });
        if ready {
            group.bench_with_input(BenchmarkId::new("numpy", draws), &draws, |b, &n| {
                b.iter(|| numpy_peer(n, out.path()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, against_numpy);
criterion_main!(benches);
