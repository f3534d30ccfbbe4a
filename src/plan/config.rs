//! Run files (`runs/*.toml`): how many draws, which seed, which parameter
//! files, where the outputs go, and which uncertainty to sample. Paths are
//! relative to the run file's folder. Command-line flags override the file.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Most draws a single run accepts; larger runs are split (`--shard`).
pub const MAX_SAMPLES: u64 = 100_000_000;

/// Most draws whose yearly figures a run writes (`[yearly] draws`): the
/// file holds a row per draw, option and year.
pub const MAX_YEARLY_DRAWS: u64 = 1_000_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    #[allow(dead_code)]
    about: Option<String>,
    samples: i64,
    seed: u64,
    distributions: PathBuf,
    output: PathBuf,
    #[serde(default)]
    uncertainty: Uncertainty,
    #[serde(default)]
    tornado: TornadoEntry,
    #[serde(default, rename = "scenario")]
    scenarios: Vec<ScenarioEntry>,
    #[serde(default)]
    sampling: SamplingEntry,
    #[serde(default)]
    evppi: EvppiEntry,
    #[serde(default)]
    decision: super::question::DecisionEntry,
    #[serde(default)]
    evsi: EvsiEntry,
    #[serde(default, rename = "two_way")]
    two_way: Vec<TwoWayEntry>,
    #[serde(default)]
    yearly: YearlyEntry,
    #[serde(default)]
    outputs: super::outputs::OutputsEntry,
    /// Parameters restated on top of the parameter folder.
    #[serde(default)]
    parameters: std::collections::BTreeMap<String, crate::inputs::RestatedEntry>,
}

/// `[yearly]`: the budget year by year.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearlyEntry {
    /// Also write every draw's yearly figures (`yearly_draws.parquet`: a
    /// row per draw, option and year).
    #[serde(default)]
    pub draws: bool,
}

/// `[[two_way]]`: the headline outcome over a grid of two parameters, every
/// other at base.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoWayEntry {
    pub parameters: crate::inputs::exact::Two<String>,
    /// `[low, high]` for either parameter; else its 2.5th-97.5th percentiles.
    #[serde(default)]
    pub ranges: std::collections::BTreeMap<String, crate::inputs::exact::Two<f64>>,
    /// Points along each axis, ends included.
    #[serde(default = "default_two_way_grid")]
    pub grid: i64,
}

fn default_two_way_grid() -> i64 {
    21
}

/// `[evsi]`: studies whose expected value of sample information to report.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvsiEntry {
    #[serde(default, rename = "study")]
    pub studies: Vec<StudyEntry>,
}

/// `[[evsi.study]]`: a study of the given sizes informing sampled parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyEntry {
    pub name: String,
    /// What the study is, for the reader of the run file.
    #[allow(dead_code)]
    pub about: Option<String>,
    /// The sampled parameters it informs, each observed through the likelihood.
    pub parameters: Vec<String>,
    /// `binomial` (n trials of a probability) or `normal` (n observations
    /// of a mean, each with standard deviation `sd`).
    pub likelihood: String,
    pub sd: Option<f64>,
    /// Sample sizes: trials or observations.
    pub sizes: Vec<i64>,
    /// Fixed cost of the study, £.
    #[serde(default)]
    pub cost: f64,
    /// Cost of each trial or observation, £.
    #[serde(default)]
    pub cost_per_observation: f64,
}

/// `[sampling]`: how the draws fill the parameter space.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingEntry {
    /// `random` (default), `latin_hypercube` or `sobol`.
    #[serde(default)]
    pub design: crate::sampling::Design,
    /// Replace a correlation matrix that is not positive definite by the
    /// nearest correlation matrix (else such a matrix is an error).
    #[serde(default)]
    pub repair_correlations: bool,
}

/// `[evppi]`: the expected value of partial perfect information.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvppiEntry {
    /// EVPPI of each sampled parameter alone.
    #[serde(default = "yes")]
    pub parameters: bool,
    /// Named groups of parameters, each learnt together.
    #[serde(default)]
    pub groups: std::collections::BTreeMap<String, Vec<String>>,
    /// Draws the regressions use (the first ones); more cost time, not bias.
    #[serde(default = "default_evppi_draws")]
    pub max_draws: i64,
    /// The EVPPI of every sampled parameter together, by nested Monte
    /// Carlo: parameter draws (the run's first), each with this many
    /// redraws of the roll-out.
    #[serde(default = "default_nested_outer")]
    pub nested_outer_draws: i64,
    #[serde(default = "default_nested_inner")]
    pub nested_inner_draws: i64,
}

fn default_nested_outer() -> i64 {
    1000
}

fn default_nested_inner() -> i64 {
    50
}

fn default_evppi_draws() -> i64 {
    20_000
}

impl Default for EvppiEntry {
    fn default() -> Self {
        EvppiEntry {
            parameters: true,
            groups: Default::default(),
            max_draws: default_evppi_draws(),
            nested_outer_draws: default_nested_outer(),
            nested_inner_draws: default_nested_inner(),
        }
    }
}

/// `[tornado]`: the one-way analysis.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TornadoEntry {
    /// `"A-B"` (PV of option A less option B's) or an option id (its PV
    /// against the comparator). Absent: the headline decision pair.
    pub outcome: Option<String>,
    /// Points evaluated across each range, ends included.
    #[serde(default = "default_grid")]
    pub grid: i64,
    /// Explicit `[low, high]` ranges replacing the 2.5th-97.5th percentiles.
    #[serde(default)]
    pub ranges: std::collections::BTreeMap<String, crate::inputs::exact::Two<f64>>,
}

fn default_grid() -> i64 {
    41
}

impl Default for TornadoEntry {
    fn default() -> Self {
        TornadoEntry {
            outcome: None,
            grid: default_grid(),
            ranges: Default::default(),
        }
    }
}

/// `[[scenario]]`: a variant run on the same draws.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioEntry {
    pub name: String,
    pub description: Option<String>,
    /// Parameters held at a value in every draw, or drawn from another
    /// distribution on the same draws.
    #[serde(default)]
    pub set: std::collections::BTreeMap<String, super::set_value::SetValue>,
    /// Parameters that take another parameter's value in every draw.
    #[serde(default)]
    pub link: std::collections::BTreeMap<String, String>,
    pub horizon_years: Option<i64>,
    /// Sample the roll-out (true) or hold it at its expectation (false).
    pub rollout: Option<bool>,
}

/// Which sources of uncertainty a run samples.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Draw every parameter from its distribution (else: base values).
    #[serde(default = "yes")]
    pub parameters: bool,
    /// Draw each hub's roll-out events (else: every event at its expectation).
    #[serde(default = "yes")]
    pub rollout: bool,
}

fn yes() -> bool {
    true
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            parameters: true,
            rollout: true,
        }
    }
}

/// Command-line values that override the run file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
    pub force: bool,
    pub shard: Option<Shard>,
    /// Stop once the MCSE of the headline pair's probability is below this.
    pub until_mcse: Option<f64>,
    /// The pair `--until-mcse` follows, as `A-B`, in place of the headline.
    pub until_mcse_pair: Option<String>,
    /// Record and print the wall time of each stage.
    pub timings: bool,
}

#[derive(Debug, Clone)]
pub struct RunConfig {
    pub file: PathBuf,
    pub samples: u64,
    pub seed: u64,
    pub distributions: PathBuf,
    pub output: PathBuf,
    pub uncertainty: Uncertainty,
    /// 0: one per core.
    pub threads: usize,
    pub quiet: bool,
    pub force: bool,
    pub tornado: TornadoEntry,
    pub scenarios: Vec<ScenarioEntry>,
    /// Draw only this part of the run.
    pub shard: Option<Shard>,
    pub sampling: SamplingEntry,
    pub evppi: EvppiEntry,
    /// Precision target: `samples` is then the most draws made.
    pub until_mcse: Option<f64>,
    pub until_mcse_pair: Option<String>,
    /// Record each stage's wall time in the summary (`--timings`).
    pub timings: bool,
    pub decision: super::question::DecisionEntry,
    pub evsi: EvsiEntry,
    pub two_way: Vec<TwoWayEntry>,
    pub yearly: YearlyEntry,
    pub outputs: super::outputs::OutputsEntry,
    /// SHA-256 of the run file's bytes.
    pub run_file_hash: String,
    /// `[parameters.NAME]`: what the run file restates of the folder.
    pub restatements: Vec<crate::inputs::Restatement>,
}

impl RunConfig {
    pub fn load(file: &Path, overrides: &Overrides) -> Result<RunConfig> {
        let (run, chain_bytes) = parse(file)?;
        // Wide enough for any flag or file value, so none wraps in the message.
        let samples = match overrides.samples {
            Some(n) => i128::from(n),
            None => i128::from(run.samples),
        };
        if samples < 1 || samples > i128::from(MAX_SAMPLES) {
            return Err(Error::input(
                file,
                "samples",
                format!("is {samples}; it must be between 1 and {MAX_SAMPLES}"),
            ));
        }
        let (output, distributions) = folders(file, &run, overrides)?;
        check_until_mcse(file, &run, overrides)?;
        check_analyses(file, &run, samples)?;
        let restatements = run
            .parameters
            .into_iter()
            .map(|(name, entry)| crate::inputs::Restatement {
                name,
                file: file.to_path_buf(),
                entry,
            })
            .collect();
        Ok(RunConfig {
            restatements,
            yearly: run.yearly,
            outputs: run.outputs,
            // Over the run file and every file it extends.
            run_file_hash: crate::inputs::sha256_hex(&chain_bytes),
            decision: run.decision,
            evsi: run.evsi,
            two_way: run.two_way,
            until_mcse_pair: overrides.until_mcse_pair.clone(),
            timings: overrides.timings,
            file: file.to_path_buf(),
            samples: samples as u64,
            threads: threads(overrides.threads)?,
            seed: overrides.seed.unwrap_or(run.seed),
            distributions,
            output,
            uncertainty: run.uncertainty,
            quiet: overrides.quiet,
            force: overrides.force,
            tornado: run.tornado,
            scenarios: run.scenarios,
            shard: overrides.shard,
            sampling: run.sampling,
            evppi: run.evppi,
            until_mcse: overrides.until_mcse,
        })
    }
}

/// The run file, merged with the files it extends, and the bytes its hash
/// is taken over.
fn parse(file: &Path) -> Result<(RunFile, Vec<u8>)> {
    let text = crate::inputs::text::read_text(file)?;
    Ok(match super::extends::resolve(file, &text)? {
        Some((table, bytes)) => (
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    Error::input(
                        file,
                        "",
                        format!(
                            "{} (in this file with the files it extends)",
                            e.to_string().trim_end()
                        ),
                    )
                })?,
            bytes,
        ),
        None => (
            toml::from_str(&text).map_err(|e| Error::input(file, "", e.to_string().trim_end()))?,
            text.as_bytes().to_vec(),
        ),
    })
}

/// The output folder (not a file) and the parameter folder (which must
/// exist), relative to the run file.
fn folders(file: &Path, run: &RunFile, overrides: &Overrides) -> Result<(PathBuf, PathBuf)> {
    let folder = file.parent().unwrap_or(Path::new("."));
    let output = match &overrides.out {
        Some(out) => out.clone(),
        None => tidy(&folder.join(&run.output)),
    };
    if output.is_file() {
        return Err(Error::input(
            file,
            "output",
            format!(
                "{} is a file; the output must be a folder",
                output.display()
            ),
        ));
    }
    let distributions = tidy(&folder.join(&run.distributions));
    if !distributions.is_dir() {
        return Err(Error::input(
            file,
            "distributions",
            format!(
                "{} is not a folder of parameter files",
                distributions.display()
            ),
        ));
    }
    Ok((output, distributions))
}

/// `--until-mcse` and `--until-mcse-pair`: a standard error in range, on
/// a design that need not know its draw count in advance, unsplit.
fn check_until_mcse(file: &Path, run: &RunFile, overrides: &Overrides) -> Result<()> {
    if let Some(x) = overrides.until_mcse {
        if !(x.is_finite() && x > 0.0 && x < 0.5) {
            return Err(Error::Usage(format!(
                "--until-mcse is {x}; it must be a standard error between 0 and 0.5"
            )));
        }
        if overrides.shard.is_some() {
            return Err(Error::Usage(
                "--until-mcse decides the draw count as it goes; it cannot be split with --shard"
                    .into(),
            ));
        }
        if run.sampling.design == crate::sampling::Design::LatinHypercube {
            return Err(Error::input(
                file,
                "sampling.design",
                "a Latin hypercube needs its draw count in advance, so it cannot run with --until-mcse; use `random` or `sobol`",
            ));
        }
    }
    if overrides.until_mcse_pair.is_some() && overrides.until_mcse.is_none() {
        return Err(Error::Usage(
            "--until-mcse-pair names the pair that --until-mcse follows; give --until-mcse too"
                .into(),
        ));
    }
    Ok(())
}

/// The value-of-information draw counts, the margin and the per-draw
/// yearly file's size.
fn check_analyses(file: &Path, run: &RunFile, samples: i128) -> Result<()> {
    for (field, value, least) in [
        ("evppi.nested_outer_draws", run.evppi.nested_outer_draws, 2),
        ("evppi.nested_inner_draws", run.evppi.nested_inner_draws, 2),
    ] {
        if !(least..=1_000_000).contains(&value) {
            return Err(Error::input(
                file,
                field,
                format!("is {value}; it must be between {least} and 1000000"),
            ));
        }
    }
    if run.evppi.max_draws < 2 {
        return Err(Error::input(
            file,
            "evppi.max_draws",
            format!("is {}; it must be at least 2", run.evppi.max_draws),
        ));
    }
    if !run.decision.margin.is_finite() {
        return Err(Error::input(
            file,
            "decision.margin",
            format!(
                "is {}; it must be a finite amount in £ (negative for a non-inferiority question)",
                run.decision.margin
            ),
        ));
    }
    if run.yearly.draws && samples > i128::from(MAX_YEARLY_DRAWS) {
        return Err(Error::input(
            file,
            "yearly.draws",
            format!(
                "writes a row per draw, option and year, so at most {} draws; this run makes {samples} (set it to false, or run fewer draws)",
                MAX_YEARLY_DRAWS
            ),
        ));
    }
    Ok(())
}

/// Most threads per core a run accepts: more only adds contention, and a
/// mistyped count (100000) would spend minutes starting threads.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The `--threads` value: 0 or absent for one per core, else at most
/// [`MAX_THREADS_PER_CORE`] per core.
fn threads(wanted: Option<usize>) -> Result<usize> {
    let wanted = wanted.unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = MAX_THREADS_PER_CORE * cores;
    if wanted > most {
        return Err(Error::Usage(format!(
            "--threads is {wanted}; this machine has {cores} cores, so at most {most} threads (0 for one per core)"
        )));
    }
    Ok(wanted)
}

/// Removes `dir/..` pairs lexically, so that `runs/../out` reads `out`.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component> = Vec::new();
    for c in path.components() {
        match (c, parts.last()) {
            (Component::CurDir, _) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    if parts.is_empty() {
        PathBuf::from(".")
    } else {
        parts.iter().collect()
    }
}

/// The K-th (1-based) of N parts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let bad = || format!("`{text}`: a shard is K/N with 1 ≤ K ≤ N, e.g. 2/4");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The draws of this part: contiguous, and together the parts cover
    /// 0..samples exactly once.
    pub fn range(&self, samples: u64) -> std::ops::Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(samples) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_parent_pairs_only_after_a_name() {
        assert_eq!(
            tidy(Path::new("runs/../out/base")),
            PathBuf::from("out/base")
        );
        assert_eq!(tidy(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(tidy(Path::new("./a/./b")), PathBuf::from("a/b"));
        assert_eq!(tidy(Path::new("a/..")), PathBuf::from("."));
    }
}
