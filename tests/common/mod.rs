//! Helpers shared by the integration tests: running the binary from the
//! crate's folder, as the README's commands do.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `chh-psa` with `args` from the crate's folder.
pub fn chh_psa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chh-psa"))
        .args(args)
        .current_dir(manifest())
        .output()
        .unwrap()
}
