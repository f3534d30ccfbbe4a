//! What a hostile but realistic user can do to a results folder and to the
//! binary: two writers at once, a writer killed with SIGKILL, a commit
//! that cannot finish, odd files and flags. A folder holds one run's
//! results, whole, or is left as it was; nothing panics or hangs.

mod common;
use common::{chh_psa, manifest, ok, run_shipped};

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn_shipped(out: &Path, samples: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args([
            "run",
            "runs/base.toml",
            "--quiet",
            "--samples",
            samples,
            "--out",
        ])
        .arg(out)
        .current_dir(manifest())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The staging folders in `out`.
fn staging_folders(out: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(out)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(".chh-psa-partial-"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until a run has started writing into `out` (its staging folder
/// holds the samples file).
fn wait_for_staging(out: &Path, child: &mut Child) {
    let start = Instant::now();
    loop {
        if staging_folders(out)
            .iter()
            .any(|d| std::fs::read_dir(d).is_ok_and(|mut e| e.next().is_some()))
        {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was seen writing"
        );
        assert!(start.elapsed() < Duration::from_secs(60), "no staging seen");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_writer_into_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut first = spawn_shipped(&out, "2000000");
    wait_for_staging(&out, &mut first);
    let second = run_shipped(&out, &["--samples", "1000"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("another chh-psa run"), "{stderr}");
    // A report into the folder meanwhile is refused the same way.
    let report = chh_psa(&["report", out.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&report.stderr).contains("another chh-psa run"));
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn a_killed_runs_staging_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut killed = spawn_shipped(&out, "2000000");
    wait_for_staging(&out, &mut killed);
    // SIGKILL: no handler runs, the staging folder stays behind.
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(staging_folders(&out).len(), 1);
    ok(run_shipped(&out, &["--samples", "500"]));
    assert!(staging_folders(&out).is_empty(), "{:?}", names(&out));
    assert!(out.join("summary.json").exists());
}

#[test]
fn a_commit_that_fails_part_way_leaves_the_earlier_results_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(run_shipped(&out, &["--samples", "300"]));
    let before: Vec<(String, Vec<u8>)> = names(&out)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(out.join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    // One result turned into a folder: it cannot be replaced by a file.
    let blocked = out.join("scenarios.parquet");
    std::fs::remove_file(&blocked).unwrap();
    std::fs::create_dir(&blocked).unwrap();
    let o = run_shipped(&out, &["--samples", "400", "--force"]);
    assert_eq!(o.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("scenarios.parquet") && stderr.contains("not a file"),
        "{stderr}"
    );
    for (name, bytes) in &before {
        if name != "scenarios.parquet" {
            assert!(
                std::fs::read(out.join(name)).unwrap() == *bytes,
                "{name} changed"
            );
        }
    }
    assert!(blocked.is_dir());
    assert!(staging_folders(&out).is_empty());
}

#[test]
fn thread_counts_far_above_the_machine_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let start = Instant::now();
    let o = run_shipped(&out, &["--threads", "100000", "--samples", "100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--threads is 100000"));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(!out.exists());
}

#[test]
fn a_draw_count_beyond_any_integer_is_reported_as_given() {
    let o = run_shipped(Path::new("unused"), &["--samples", "9223372036854775808"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("is 9223372036854775808"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_run_file_that_is_a_pipe_or_a_device_is_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("run.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo writes nothing else.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for file in [fifo.as_path(), Path::new("/dev/zero")] {
        let start = Instant::now();
        let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet"]);
        assert_eq!(o.status.code(), Some(2), "{}", file.display());
        assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}

#[test]
fn a_run_file_in_another_encoding_is_bad_input_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.toml");
    std::fs::write(&file, b"samples = 10\nabout = \"caf\xe9\"\n").unwrap();
    let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("run.toml") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn a_huge_unterminated_string_gives_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.toml");
    let text = format!("samples = 10\nabout = \"{}", "x".repeat(10_000_000));
    std::fs::write(&file, text).unwrap();
    let o = chh_psa(&["run", file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stderr.len() < 2000, "{} bytes of error", o.stderr.len());
}

#[test]
fn a_merge_refuses_a_part_whose_samples_come_from_another_run() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |k: &str, seed: &str, out: &Path| {
        ok(run_shipped(
            out,
            &["--samples", "600", "--seed", seed, "--shard", k],
        ));
    };
    let (one, two, stranger) = (
        dir.path().join("one"),
        dir.path().join("two"),
        dir.path().join("stranger"),
    );
    shard("1/2", "5", &one);
    shard("2/2", "5", &two);
    shard("2/2", "6", &stranger);
    // The record says seed 5; the file, by its own metadata, is seed 6's.
    std::fs::copy(
        stranger.join("samples.parquet"),
        two.join("samples.parquet"),
    )
    .unwrap();
    let merged = dir.path().join("merged");
    let o = chh_psa(&[
        "merge",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("chh_psa.seed")
            && stderr.contains("is 6")
            && stderr.contains("another run"),
        "{stderr}"
    );
    assert!(!merged.join("summary.json").exists());
}

/// Runs `chh-psa` with `args`, killing it after `limit`: (exit code, stderr).
fn run_within(args: &[&str], limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(args)
        .current_dir(manifest())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code(), stderr);
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("chh-psa {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Extreme but finite values in the parameter files: each run ends cleanly,
/// with results or with a bad-input error, within a time bound.
#[test]
fn extreme_but_finite_values_end_cleanly_and_quickly() {
    let pert = r#"distribution = { family = "pert", min = 200.0, mode = 250.0, max = 300.0 }"#;
    let gamma = r#"distribution = { family = "gamma", mean = 96.5, se = 28.95 }"#;
    let cases = [
        (
            "unit_costs.toml",
            pert,
            r#"distribution = { family = "pert", min = 0.0, mode = 1e99, max = 1e100 }"#,
        ),
        (
            "unit_costs.toml",
            pert,
            r#"distribution = { family = "uniform", min = 1e-300, max = 2e-300 }"#,
        ),
        ("unit_costs.toml", "base = 250.0", "base = 1e300"),
        (
            "impacts.toml",
            gamma,
            r#"distribution = { family = "gamma", mean = 96.5, se = 1e-300 }"#,
        ),
        (
            "impacts.toml",
            gamma,
            r#"distribution = { family = "gamma", mean = 1e-300, se = 1e-300 }"#,
        ),
        (
            "impacts.toml",
            gamma,
            r#"distribution = { family = "lognormal", meanlog = 4.0, sdlog = 500.0 }"#,
        ),
        (
            "impacts.toml",
            gamma,
            r#"distribution = { family = "lognormal", meanlog = 4.0, sdlog = 50.0 }"#,
        ),
        (
            "impacts.toml",
            gamma,
            r#"distribution = { family = "lognormal", meanlog = 230.0, sdlog = 1.0 }"#,
        ),
    ];
    for (file, from, to) in cases {
        let dir = tempfile::tempdir().unwrap();
        let dist = common::distributions_copy(dir.path(), |name, text| {
            if name == file {
                assert!(text.contains(from), "{file} lacks {from}");
                text.replacen(from, to, 1)
            } else {
                text
            }
        });
        let run_file = dir.path().join("run.toml");
        std::fs::write(
            &run_file,
            "samples = 500\nseed = 3\ndistributions = \"distributions\"\noutput = \"out\"\n[decision]\ncompare = [[\"accelerated\", \"supported\"]]\n",
        )
        .unwrap();
        let limit = Duration::from_secs(60);
        for args in [
            vec!["base", "--distributions", dist.to_str().unwrap()],
            vec!["run", run_file.to_str().unwrap(), "--quiet"],
        ] {
            let (code, stderr) = run_within(&args, limit);
            assert!(
                matches!(code, Some(0) | Some(2)),
                "{to} ({}): exit {code:?}\n{stderr}",
                args[0]
            );
            assert!(!stderr.contains("panicked"), "{to}: {stderr}");
        }
    }
}
