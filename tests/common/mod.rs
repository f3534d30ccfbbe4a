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

/// A Float64 column of a frame, without nulls.
pub fn floats(df: &polars::prelude::DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}
