//! The workbook, `results.xlsx`, from the shipped run's results: its cost
//! does not grow with the draws (it holds no row per draw), so beside a
//! run of a million draws it is a fixed few milliseconds.
//!
//! `cargo bench --bench workbook`

use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;

use chh_psa::export::{summary, workbook};

fn workbook_bytes(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let status = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args([
            "run",
            "runs/base.toml",
            "--quiet",
            "--samples",
            "2000",
            "--out",
        ])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    let results = summary::read_json(&out.join("summary.json")).unwrap();
    let mut group = c.benchmark_group("workbook");
    group.sample_size(20);
    group.bench_function("shipped_run", |b| {
        b.iter(|| workbook::bytes(&results).unwrap().len())
    });
    group.finish();
}

criterion_group!(benches, workbook_bytes);
criterion_main!(benches);
