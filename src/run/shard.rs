//! Split runs: `--shard K/N` draws only the K-th of N contiguous ranges of
//! draws; `merge` combines the parts into exactly what a single run writes.
//! Draw i depends only on the seed and i, so the parts are the rows a single
//! run would have drawn, and the merge is exact.

use std::path::{Path, PathBuf};

use super::draws::CHUNK;
use super::engine::Engine;
use super::folder::Staged;
use crate::error::{Error, Result};
use crate::export::parquet::{self, ChunkedParquet, Metadata};
use crate::export::shard::{RECORD, ShardRecord};
use crate::inputs::Inputs;
use crate::plan::config::{Overrides, RunConfig, Shard};

pub fn metadata(shard: Shard, range: &std::ops::Range<u64>) -> Metadata {
    vec![
        ("chh_psa.shard".into(), shard.to_string()),
        ("chh_psa.first_draw".into(), range.start.to_string()),
        ("chh_psa.end_draw".into(), range.end.to_string()),
    ]
}

fn hash_file(path: &Path) -> Result<String> {
    Ok(crate::inputs::sha256_hex(&crate::inputs::text::read_bytes(
        path,
    )?))
}

/// What `merge` needs to check and combine this part.
pub fn record(
    config: &RunConfig,
    inputs: &Inputs,
    shard: Shard,
    range: &std::ops::Range<u64>,
) -> Result<ShardRecord> {
    let run_file = std::fs::canonicalize(&config.file).map_err(|e| Error::read(&config.file, e))?;
    Ok(ShardRecord {
        run_file_hash: hash_file(&run_file)?,
        run_file,
        inputs_hash: inputs.hash.clone(),
        seed: config.seed,
        samples: config.samples,
        shard: shard.to_string(),
        first_draw: range.start,
        end_draw: range.end,
    })
}

/// The parts of a run, in draw order.
pub struct Parts {
    pub inputs_hash: String,
    pub samples: Vec<(std::ops::Range<u64>, PathBuf)>,
}

/// Reads and checks the shards' records: one run, every part present once.
pub fn read_parts(
    dirs: &[PathBuf],
    out: Option<&Path>,
    force: bool,
    quiet: bool,
) -> Result<(RunConfig, Parts)> {
    if dirs.is_empty() {
        return Err(Error::Usage("merge needs the folders of the shards".into()));
    }
    let mut records = Vec::new();
    for dir in dirs {
        let path = dir.join(RECORD);
        let text = crate::inputs::text::read_text(&path)?;
        let record: ShardRecord = serde_json::from_str(&text)
            .map_err(|e| Error::input(&path, "", format!("not a shard record: {e}")))?;
        let shard = Shard::parse(&record.shard).map_err(|e| Error::input(&path, "shard", e))?;
        records.push(Part {
            path,
            shard,
            record,
        });
    }
    let first = &records[0];
    for part in &records[1..] {
        if !part.same_run(first) {
            return Err(Error::input(
                &part.path,
                "",
                format!(
                    "this shard belongs to another run than {} (run file, inputs, seed, draws or shard count differ)",
                    first.path.display()
                ),
            ));
        }
    }
    let ShardRecord {
        run_file,
        run_file_hash,
        inputs_hash,
        seed,
        samples,
        ..
    } = first.record.clone();
    let count = first.shard.count;
    records.sort_by_key(|part| part.shard.index);
    let found: Vec<u64> = records.iter().map(|part| part.shard.index).collect();
    let expected: Vec<u64> = (1..=count).collect();
    if found != expected {
        return Err(Error::Usage(format!(
            "merge needs shards 1 to {count} once each; found {found:?}"
        )));
    }
    for part in &records {
        if part.range() != part.shard.range(samples) {
            return Err(Error::input(
                &part.path,
                "first_draw",
                "the draw range does not match the shard",
            ));
        }
    }
    if hash_file(&run_file)? != run_file_hash {
        return Err(Error::input(
            &run_file,
            "",
            "the run file changed since the shards were run",
        ));
    }
    let overrides = Overrides {
        samples: Some(samples),
        seed: Some(seed),
        out: out.map(Path::to_path_buf),
        quiet,
        force,
        ..Default::default()
    };
    let config = RunConfig::load(&run_file, &overrides)?;
    check_samples_metadata(&records, seed, samples, &inputs_hash)?;
    let parts = Parts {
        inputs_hash,
        samples: records
            .into_iter()
            .map(|part| (part.range(), part.path.with_file_name("samples.parquet")))
            .collect(),
    };
    Ok((config, parts))
}

/// A shard's record, where it was read and the shard it names.
struct Part {
    path: PathBuf,
    shard: Shard,
    record: ShardRecord,
}

impl Part {
    fn range(&self) -> std::ops::Range<u64> {
        self.record.first_draw..self.record.end_draw
    }

    /// Whether both parts say they belong to one run: its run file,
    /// inputs, seed, draws and shard count.
    fn same_run(&self, other: &Part) -> bool {
        let (a, b) = (&self.record, &other.record);
        (
            &a.run_file,
            &a.run_file_hash,
            &a.inputs_hash,
            a.seed,
            a.samples,
        ) == (
            &b.run_file,
            &b.run_file_hash,
            &b.inputs_hash,
            b.seed,
            b.samples,
        ) && self.shard.count == other.shard.count
    }
}

/// Checks each part's `samples.parquet` against its own record (seed,
/// draws, inputs hash, shard and draw range, as its metadata states them)
/// and against the first part (engine, sampling design, generators,
/// uncertainty, run file): a file copied in from another run is refused.
fn check_samples_metadata(
    records: &[Part],
    seed: u64,
    samples: u64,
    inputs_hash: &str,
) -> Result<()> {
    const SHARED: [&str; 6] = [
        "chh_psa.version",
        "chh_psa.sampling_design",
        "chh_psa.rng",
        "chh_psa.uncertainty",
        "chh_psa.run_file_hash",
        "chh_psa.engine",
    ];
    let mut first: Option<(PathBuf, Metadata)> = None;
    for part in records {
        let (record, shard, range) = (&part.path, part.shard, part.range());
        let path = record.with_file_name("samples.parquet");
        let meta = parquet::read_metadata(&path)?;
        let get = |key: &str| {
            meta.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| {
                    Error::input(
                        &path,
                        key,
                        "missing from the file's metadata: not a shard of a chh-psa run",
                    )
                })
        };
        for (key, expected) in [
            ("chh_psa.seed", seed.to_string()),
            ("chh_psa.samples", samples.to_string()),
            ("chh_psa.inputs_hash", inputs_hash.to_string()),
            ("chh_psa.shard", shard.to_string()),
            ("chh_psa.first_draw", range.start.to_string()),
            ("chh_psa.end_draw", range.end.to_string()),
        ] {
            let found = get(key)?;
            if found != expected {
                return Err(Error::input(
                    &path,
                    key,
                    format!(
                        "is {found}, but its shard record {} says {expected}: the file is from another run",
                        record.display()
                    ),
                ));
            }
        }
        match &first {
            None => first = Some((path.clone(), meta.clone())),
            Some((first_path, first_meta)) => {
                for key in SHARED {
                    let theirs = first_meta.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                    let ours = meta.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                    if theirs != ours {
                        return Err(Error::input(
                            &path,
                            key,
                            format!(
                                "differs from {}: the parts come from different runs",
                                first_path.display()
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Concatenates the parts' rows into `samples_path`, in row groups that end
/// where a single run's do, and returns every column; `staging` closes the
/// file.
pub fn concatenate(parts: &Parts, engine: &Engine, staged: &mut Staged) -> Result<Vec<Vec<f64>>> {
    let (samples_path, metadata) = (staged.samples_path.as_path(), &staged.metadata);
    let names = &engine.layout.names;
    // Sized once: grown by doubling, a column could hold up to twice the
    // memory its draws need.
    let total: usize = parts
        .samples
        .iter()
        .map(|(range, _)| (range.end - range.start) as usize)
        .sum();
    let mut columns: Vec<Vec<f64>> = (0..names.len())
        .map(|_| Vec::with_capacity(total))
        .collect();
    let mut writer = ChunkedParquet::create(samples_path, &engine.schema(), metadata)?;
    // Column by column, so that a part is never held whole beside the
    // columns it is appended to.
    let read = |path: &Path, name: &str| parquet::read_columns(path, &[name.to_string()]);
    for (range, path) in &parts.samples {
        let draws: Vec<u64> = read(path, "draw")?
            .column("draw")
            .and_then(|c| c.u64().cloned())
            .map_err(|e| Error::input(path, "draw", e.to_string()))?
            .into_no_null_iter()
            .collect();
        if draws != (range.start..range.end).collect::<Vec<u64>>() {
            return Err(Error::input(
                path,
                "draw",
                "the rows are not the shard's draws in order",
            ));
        }
        for (name, all) in names.iter().zip(columns.iter_mut()) {
            let column = read(path, name)?
                .column(name)
                .and_then(|c| c.f64().cloned())
                .map_err(|e| Error::input(path, name, e.to_string()))?;
            all.extend(column.into_no_null_iter());
        }
    }
    let n = columns.first().map_or(0, Vec::len);
    let mut first = 0;
    while first < n {
        let len = CHUNK.min(n - first);
        let chunk: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| c[first..first + len].to_vec())
            .collect();
        writer.write_chunk(&engine.frame(first as u64, chunk)?)?;
        first += len;
    }
    // As in a run, the file is flushed to disk while the analyses run.
    staged.staging.close_in_background(move || writer.finish());
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_draw_once() {
        for samples in [1u64, 7, 10_000, 1_000_003] {
            for count in [1u64, 2, 3, 4, 7] {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.range(samples);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, samples);
            }
        }
    }

    #[test]
    fn shard_parses_k_of_n() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("0/4").is_err());
        assert!(Shard::parse("5/4").is_err());
        assert!(Shard::parse("two").is_err());
    }
}
