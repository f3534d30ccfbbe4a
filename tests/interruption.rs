//! Ctrl-C (SIGINT) or SIGTERM during a run: the run stops, exits with the
//! interruption code, and leaves no file under a final name and no temporary.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn interrupt_run(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let child = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args([
            "run",
            "runs/base.toml",
            "--quiet",
            "--samples",
            "2000000",
            "--out",
        ])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the run has started writing, then interrupt it.
    let started = Instant::now();
    let writing = |out: &Path| {
        std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    };
    while !writing(&out) && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(4),
        "exit code of an interrupted run; stderr: {stderr}"
    );
    assert!(
        stderr.contains("interrupted") && stderr.contains("no output file"),
        "{stderr}"
    );
    let left: Vec<String> = std::fs::read_dir(&out)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn sigint_leaves_nothing_behind() {
    interrupt_run("-INT");
}

#[test]
fn sigterm_leaves_nothing_behind() {
    interrupt_run("-TERM");
}
