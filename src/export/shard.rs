//! `shard.json`: what `merge` needs to check and combine the parts of a
//! split run.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::error::Result;

pub const RECORD: &str = "shard.json";

/// One part of a split run and the run it belongs to. The fields are in
/// alphabetical order, the order shard.json has always had them in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRecord {
    /// The part's draws are first_draw..end_draw.
    pub end_draw: u64,
    pub first_draw: u64,
    pub inputs_hash: String,
    /// The run file, as an absolute path, and its SHA-256.
    pub run_file: PathBuf,
    pub run_file_hash: String,
    /// The whole run's draws and seed.
    pub samples: u64,
    pub seed: u64,
    /// `K/N`.
    pub shard: String,
}

/// Writes the record into `dir`.
pub fn write(dir: &Path, record: &ShardRecord) -> Result<PathBuf> {
    let path = dir.join(RECORD);
    super::write_json(&path, record)?;
    Ok(path)
}
