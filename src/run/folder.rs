//! The result folder: which files a run writes, their provenance, and the
//! check that a folder holding results is not overwritten unasked.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::parquet::Metadata;
use crate::inputs::Inputs;
use crate::plan::config::RunConfig;
use crate::results::Results;

/// The files a run writes but the report: the draws' own (the samples,
/// every draw's yearly figures when asked, the tornado's) and each
/// exporter's; a folder holding any of them is not overwritten without
/// `--force`.
pub fn output_files() -> Vec<&'static str> {
    let mut files = vec!["samples.parquet", crate::export::yearly::DRAWS_FILE];
    files.extend(crate::export::tornado::FILES);
    let exporters = crate::export::EXPORTERS
        .into_iter()
        .chain([&crate::export::summary::Json as &dyn crate::export::Exporter]);
    for exporter in exporters {
        files.extend(exporter.files().iter().filter(|f| **f != REPORT_FILE));
    }
    files
}

/// The report, rebuilt from the files above by `chh-psa report`.
pub const REPORT_FILE: &str = crate::export::report::FILE;

/// The files `chh-psa tornado` writes.
pub const TORNADO_FILES: [&str; 3] = crate::export::tornado::FILES;

/// Provenance written into every Parquet file of a run.
pub fn provenance(config: &RunConfig, inputs: &Inputs) -> Metadata {
    vec![
        ("chh_psa.engine".into(), "chh-psa".into()),
        ("chh_psa.version".into(), env!("CARGO_PKG_VERSION").into()),
        ("chh_psa.seed".into(), config.seed.to_string()),
        ("chh_psa.samples".into(), config.samples.to_string()),
        ("chh_psa.inputs_hash".into(), inputs.hash.clone()),
        ("chh_psa.run_file_hash".into(), config.run_file_hash.clone()),
        (
            "chh_psa.sampling_design".into(),
            config.sampling.design.describe().into(),
        ),
        (
            "chh_psa.rng".into(),
            "ChaCha8 for each draw's parameters, Philox4x32-10 for each draw's roll-out of each option".into(),
        ),
        (
            "chh_psa.uncertainty".into(),
            format!(
                "parameters={} rollout={}",
                config.uncertainty.parameters, config.uncertainty.rollout
            ),
        ),
    ]
}

pub(super) fn prepare_output(config: &RunConfig) -> Result<()> {
    let files = result_files();
    let mut names: Vec<&str> = files.iter().map(String::as_str).collect();
    names.push(REPORT_FILE);
    prepare_folder(&config.output, &names, config.force)
}

/// Every file a run may leave in its folder but the report: the default
/// outputs and the CSV copies asked for in `[outputs]`.
pub fn result_files() -> Vec<String> {
    let outputs = output_files();
    let mut files: Vec<String> = outputs.iter().map(|f| f.to_string()).collect();
    files.extend(crate::export::csv::names(&outputs));
    files
}

/// Creates `out`, refusing to touch a folder that holds any of `files`
/// unless `force`.
pub fn prepare_folder(out: &Path, files: &[&str], force: bool) -> Result<()> {
    if out.is_dir()
        && !force
        && let Some(existing) = files.iter().map(|f| out.join(f)).find(|p| p.exists())
    {
        return Err(Error::input(
            out,
            "",
            format!(
                "already holds results ({}); choose another --out or pass --force to overwrite",
                existing
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// What a finished run produced.
pub struct RunOutput {
    /// None for a shard: its results come with the merge.
    pub results: Option<Results>,
    pub files: Vec<PathBuf>,
    /// How long writing the result files took (the summary's timings end
    /// where it begins).
    pub writing: std::time::Duration,
}

/// A result folder while a run writes it: the hidden staging folder (held
/// under the folder's lock), where `samples.parquet` goes in it, and the
/// provenance every file carries.
pub struct Staged {
    pub staging: crate::export::Staging,
    pub samples_path: PathBuf,
    pub metadata: Metadata,
}

impl Staged {
    pub fn create(config: &RunConfig, inputs: &Inputs) -> Result<Staged> {
        let staging = crate::export::Staging::create(&config.output)?;
        // Again under the folder's lock: another run may have finished
        // there since the first check.
        prepare_output(config)?;
        Ok(Staged {
            samples_path: staging.dir().join("samples.parquet"),
            staging,
            metadata: provenance(config, inputs),
        })
    }
}
