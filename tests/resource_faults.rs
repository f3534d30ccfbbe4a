//! A full disk while writing: an error, not a panic, and the results of an
//! earlier run in the same folder stay intact. The test mounts a small tmpfs;
//! where mounting is not permitted it says so and skips.

mod common;
use common::run_shipped;

use std::path::Path;
use std::process::{Command, Output};

fn run(out: &Path, samples: &str, force: bool) -> Output {
    let mut extra = vec!["--samples", samples];
    if force {
        extra.push("--force");
    }
    run_shipped(out, &extra)
}

struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_an_error_and_earlier_results_survive() {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(dir.path())
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("SKIPPED: cannot mount a small tmpfs here to fill");
        return;
    }
    let _unmount = Mount(dir.path().to_path_buf());
    let out = dir.path().join("run");
    let first = run(&out, "200", false);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before: Vec<(String, Vec<u8>)> = chh_psa::run::output_files()
        .iter()
        .filter(|f| **f != chh_psa::export::yearly::DRAWS_FILE)
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect();

    let second = run(&out, "50000", true);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (file, bytes) in before {
        assert_eq!(
            std::fs::read(out.join(&file)).unwrap(),
            bytes,
            "{file} changed"
        );
    }
    let hidden: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temporaries left: {hidden:?}");
}
