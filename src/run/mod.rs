//! A PSA run: the pipeline end to end, in parallel over draws.
//!
//! Draws are processed in chunks. Within a chunk each draw is computed on any
//! thread into its own place in the chunk's columns; the chunk is then
//! written to `samples.parquet` as a row group, in draw order, by a writer
//! thread, which also keeps the chunk's columns for the analyses, while the
//! next chunk is computed. So the files do not depend on the thread count,
//! and memory holds a chunk or two plus the columns the analyses need. The
//! EVPPI regressions read only the run's first draws, so they start as soon
//! as those are in; the other analyses follow the last draw.

pub mod config;
pub mod evppi;
pub mod memory;
pub mod precision;
pub mod question;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod summary;
pub mod two_way;
pub mod yearly;

pub use config::{Overrides, RunConfig, Uncertainty};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::analysis::robustness;
use crate::error::{Error, Result};
use crate::export::parquet::{ChunkedParquet, Metadata};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes::{self, Rollout, Workspace};
use crate::results::{CorrelationCheck, Results};
use crate::sampling;
pub use shard::Shard;

/// Draws per chunk (one Parquet row group).
const CHUNK: usize = 16_384;

/// The files a run writes; a folder holding any of them is not overwritten
/// without `--force`.
pub const OUTPUT_FILES: [&str; 13] = [
    "samples.parquet",
    "yearly.parquet",
    yearly::DRAWS_FILE,
    "two_way.parquet",
    "evsi.parquet",
    "summary.json",
    "summary.parquet",
    "decision_curve.parquet",
    "scenarios.parquet",
    "evppi.parquet",
    "tornado.parquet",
    "switch_points.parquet",
    "tornado.svg",
];

/// The report, rebuilt from the files above by `chh-psa report`; it carries
/// the date it was made, so it is not among the files that re-runs reproduce
/// byte for byte.
pub const REPORT_FILE: &str = "report.html";

/// The files `chh-psa tornado` writes.
pub const TORNADO_FILES: [&str; 3] = ["tornado.parquet", "switch_points.parquet", "tornado.svg"];

/// Set by the SIGINT/SIGTERM handler; checked between chunks.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The columns of one draw's row, after `draw`.
pub struct Layout {
    /// Parameters whose distribution is not fixed: the sampled ones.
    pub sampled: Vec<usize>,
    pub names: Vec<String>,
    options: usize,
}

impl Layout {
    fn new(inputs: &Inputs, model: &Model) -> Layout {
        let sampled = inputs.sampled();
        let mut names: Vec<String> = sampled
            .iter()
            .map(|&i| inputs.parameters[i].name.clone())
            .collect();
        for o in &model.options {
            names.push(format!("{}_hub_years", o.id));
        }
        for o in &model.options {
            names.push(format!("{}_nominal_gbp", o.id));
            names.push(format!("{}_pv_gbp", o.id));
        }
        Layout {
            sampled,
            names,
            options: model.options.len(),
        }
    }

    fn width(&self) -> usize {
        self.names.len()
    }

    fn hub_years_offset(&self) -> usize {
        self.sampled.len()
    }

    fn outcome_offset(&self) -> usize {
        self.sampled.len() + self.options
    }

    /// Option k's nominal value; its present value is the column after.
    fn nominal_column(&self, option: usize) -> usize {
        self.outcome_offset() + 2 * option
    }

    fn present_value_column(&self, option: usize) -> usize {
        self.nominal_column(option) + 1
    }
}

/// Per-thread buffers for computing draws.
struct Scratch {
    values: Vec<f64>,
    nominal: Vec<f64>,
    present_value: Vec<f64>,
    workspace: Workspace,
}

/// Changes a scenario makes to every draw's parameter values.
#[derive(Debug, Clone, Default)]
pub struct Adjustments {
    /// (slot, value): held at a value.
    pub set: Vec<(usize, f64)>,
    /// (slot, source slot): takes another parameter's value.
    pub link: Vec<(usize, usize)>,
}

impl Adjustments {
    pub fn apply(&self, values: &mut [f64]) {
        for &(slot, v) in &self.set {
            values[slot] = v;
        }
        for &(slot, source) in &self.link {
            values[slot] = values[source];
        }
    }
}

pub struct Engine<'a> {
    pub inputs: &'a Inputs,
    pub model: &'a Model,
    pub layout: Layout,
    pub sampler: sampling::Sampler<'a>,
    pub uncertainty: Uncertainty,
    pub adjustments: Adjustments,
    /// The run's sampled parameter values, one column per sampled parameter
    /// (draws from 0), when they are already drawn: scenarios read them
    /// rather than drawing them again.
    pub drawn: Option<&'a [Vec<f64>]>,
}

impl<'a> Engine<'a> {
    pub fn new(
        inputs: &'a Inputs,
        model: &'a Model,
        sampler: sampling::Sampler<'a>,
        uncertainty: Uncertainty,
    ) -> Self {
        Engine {
            inputs,
            model,
            layout: Layout::new(inputs, model),
            sampler,
            uncertainty,
            adjustments: Adjustments::default(),
            drawn: None,
        }
    }

    /// Parameter values at base, with the adjustments applied.
    pub fn base_values(&self) -> Vec<f64> {
        let mut values = self.inputs.base_values();
        self.adjustments.apply(&mut values);
        values
    }

    /// Evaluates draw `draw` into the scratch's values, nominal and PV.
    fn evaluate(&self, draw: u64, s: &mut Scratch) {
        if self.uncertainty.parameters {
            match self.drawn {
                Some(columns) => self.sampler.fill(
                    columns.iter().map(|column| column[draw as usize]),
                    &mut s.values,
                ),
                None => self.sampler.draw(draw, &mut s.values),
            }
        }
        self.adjustments.apply(&mut s.values);
        self.run_model(draw, s);
    }

    /// The model on the scratch's values with draw `draw`'s roll-out, into
    /// the scratch's nominal and present values.
    fn run_model(&self, draw: u64, s: &mut Scratch) {
        outcomes::evaluate(
            self.model,
            &s.values,
            self.rollout(draw),
            &mut s.workspace,
            &mut s.nominal,
            &mut s.present_value,
        );
    }

    /// Refuses option values that are not plausible (NaN, infinite, or
    /// beyond any health-system budget, from parameter values extreme
    /// enough to overflow the model's or the statistics' arithmetic),
    /// naming the first such draw and the parameters that make it so.
    /// `values` holds draws `first..` with `stride` values a draw.
    pub fn check_plausible(&self, first: u64, values: &[f64], stride: usize) -> Result<()> {
        match values.iter().position(|&v| !outcomes::plausible(v)) {
            None => Ok(()),
            Some(at) => Err(self.not_finite(first + (at / stride) as u64)),
        }
    }

    /// The error for draw `draw`, whose option values are not plausible:
    /// the sampled parameters that, set back to base alone, make them so,
    /// or failing that the draw's most extreme values.
    fn not_finite(&self, draw: u64) -> Error {
        let mut s = self.scratch();
        self.evaluate(draw, &mut s);
        let drawn = s.values.clone();
        let base = self.base_values();
        let mut finite_without = |slot: usize| {
            s.values.copy_from_slice(&drawn);
            s.values[slot] = base[slot];
            self.run_model(draw, &mut s);
            s.nominal
                .iter()
                .chain(&s.present_value)
                .all(|&v| outcomes::plausible(v))
        };
        let mut involved: Vec<usize> = self
            .layout
            .sampled
            .iter()
            .copied()
            .filter(|&slot| finite_without(slot))
            .collect();
        if involved.is_empty() {
            involved = extremes(&drawn, &self.layout.sampled);
        }
        outcomes::not_finite(self.inputs, &drawn, &involved, &format!("draw {draw}"))
    }

    fn rollout(&self, draw: u64) -> Rollout {
        if self.uncertainty.rollout {
            Rollout::Sampled {
                seed: self.sampler.seed,
                draw,
            }
        } else {
            Rollout::Expected
        }
    }

    /// Every option's PV in draws `first..first + out.len() / options`, in
    /// parallel; option k of draw j at `out[j * options + k]`.
    pub fn present_values(&self, first: u64, out: &mut [f64]) {
        let options = self.model.options.len();
        out.par_chunks_mut(options).enumerate().for_each_init(
            || self.scratch(),
            |s, (j, pv)| {
                self.evaluate(first + j as u64, s);
                pv.copy_from_slice(&s.present_value);
            },
        );
    }

    fn scratch(&self) -> Scratch {
        let n = self.model.options.len();
        Scratch {
            values: self.base_values(),
            nominal: vec![0.0; n],
            present_value: vec![0.0; n],
            workspace: Workspace::new(self.model),
        }
    }

    /// Computes draw `draw` into `row` (laid out as [`Layout`]).
    fn compute(&self, draw: u64, s: &mut Scratch, row: &mut [f64]) {
        self.evaluate(draw, s);
        let l = &self.layout;
        for (cell, &slot) in row.iter_mut().zip(&l.sampled) {
            *cell = s.values[slot];
        }
        for k in 0..l.options {
            row[l.hub_years_offset() + k] = s
                .workspace
                .schedule(k)
                .iter()
                .map(|y| y.hub_years[0] + y.hub_years[1])
                .sum();
            row[l.nominal_column(k)] = s.nominal[k];
            row[l.present_value_column(k)] = s.present_value[k];
        }
    }

    /// Computes draws `first..first + len` in parallel, straight into one
    /// column per layout entry (as Parquet stores them), block by block so
    /// that each thread fills its own stretch of every column.
    pub fn compute_chunk(&self, first: u64, len: usize) -> Vec<Vec<f64>> {
        const BLOCK: usize = 256;
        let width = self.layout.width();
        let mut columns: Vec<Vec<f64>> = (0..width).map(|_| vec![0.0; len]).collect();
        let mut blocks: Vec<Vec<&mut [f64]>> = (0..len.div_ceil(BLOCK))
            .map(|_| Vec::with_capacity(width))
            .collect();
        for column in columns.iter_mut() {
            for (block, part) in blocks.iter_mut().zip(column.chunks_mut(BLOCK)) {
                block.push(part);
            }
        }
        blocks.into_par_iter().enumerate().for_each_init(
            || (self.scratch(), vec![0.0; width]),
            |(s, row), (b, mut parts)| {
                let start = first + (b * BLOCK) as u64;
                for j in 0..parts.first().map_or(0, |p| p.len()) {
                    self.compute(start + j as u64, s, row);
                    for (part, &value) in parts.iter_mut().zip(row.iter()) {
                        part[j] = value;
                    }
                }
            },
        );
        columns
    }

    fn frame(&self, first: u64, columns: Vec<Vec<f64>>) -> Result<DataFrame> {
        let height = columns.first().map_or(0, Vec::len);
        let mut frame = Vec::with_capacity(columns.len() + 1);
        frame.push(Column::new(
            "draw".into(),
            (first..first + height as u64).collect::<Vec<u64>>(),
        ));
        for (name, column) in self.layout.names.iter().zip(columns) {
            frame.push(Column::new(name.as_str().into(), column));
        }
        DataFrame::new(height, frame)
            .map_err(|e| Error::Usage(format!("building a chunk of draws failed: {e}")))
    }

    fn schema(&self) -> Schema {
        let mut schema = Schema::default();
        schema.with_column("draw".into(), DataType::UInt64);
        for name in &self.layout.names {
            schema.with_column(name.as_str().into(), DataType::Float64);
        }
        schema
    }
}

/// The three of `slots` whose values are largest in magnitude.
fn extremes(values: &[f64], slots: &[usize]) -> Vec<usize> {
    let mut by_size = slots.to_vec();
    by_size.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()));
    by_size.truncate(3);
    by_size
}

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

fn prepare_output(config: &RunConfig) -> Result<()> {
    let mut files = OUTPUT_FILES.to_vec();
    files.push(REPORT_FILE);
    prepare_folder(&config.output, &files, config.force)
}

/// Creates `out`, refusing to touch a folder that holds any of `files`
/// unless `force`.
pub fn prepare_folder(out: &Path, files: &[&str], force: bool) -> Result<()> {
    if out.is_dir()
        && !force
        && let Some(existing) = files.iter().map(|f| out.join(f)).find(|p| p.exists())
    {
        return Err(Error::output(
            out,
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

fn progress(config: &RunConfig, draws: u64) -> ProgressBar {
    if config.quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(draws);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {bar:40} {human_pos}/{human_len} draws  {rate}  eta {eta}",
    ) {
        // Whole draws a second, grouped by thousands: "412,371 draws/s".
        let style = style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(
                    w,
                    "{} draws/s",
                    crate::export::console::thousands(state.per_sec())
                );
            },
        );
        bar.set_style(style);
    }
    bar
}

/// What a finished run produced.
pub struct RunOutput {
    /// None for a shard: its results come with the merge.
    pub results: Option<Results>,
    pub files: Vec<PathBuf>,
}

/// Everything a run needs, validated before any draw is made.
pub struct Plan {
    pub inputs: Inputs,
    pub model: Model,
    /// The deterministic base case, checked plausible before any draw.
    pub base: Vec<crate::outcomes::OptionDetail>,
    pub question: question::Question,
    pub outcome: sensitivity::Outcome,
    pub ranges: Vec<crate::analysis::tornado::ParameterRange>,
    pub grid: usize,
    pub scenarios: Vec<scenario::Scenario>,
    pub sampling: sampling::SamplingPlan,
    pub evppi: Vec<evppi::Item>,
    pub studies: Vec<evppi::Study>,
    pub two_way: Vec<two_way::TwoWay>,
}

impl Plan {
    pub fn new(config: &RunConfig) -> Result<Plan> {
        Self::with_outcome(config, config.tornado.outcome.as_deref())
    }

    /// As `new`, with the tornado's outcome given (e.g. from the command
    /// line); without one, the run file's, else the headline pair's.
    pub fn with_outcome(config: &RunConfig, outcome: Option<&str>) -> Result<Plan> {
        let inputs = Inputs::load(&config.distributions)?;
        let model = Model::compile(&inputs)?;
        let base = outcomes::checked_base_case(&model, &inputs)?;
        if model.options.len() > sampling::MAX_OPTIONS {
            return Err(Error::input(
                &inputs.dir,
                "option",
                format!("at most {} options per run", sampling::MAX_OPTIONS),
            ));
        }
        let question = question::Question::resolve(&config.decision, &model, &config.file)?;
        if let Some(text) = &config.until_mcse_pair {
            question::Pair::parse(text, &model, &config.file, "--until-mcse-pair")?;
        }
        let outcome = match outcome.or(config.tornado.outcome.as_deref()) {
            Some(text) => sensitivity::Outcome::parse(text, &model, &config.file)?,
            None => sensitivity::Outcome::default_for(&question, &base),
        };
        let ranges = sensitivity::ranges(&inputs, &config.tornado, &config.file)?;
        let grid = sensitivity::grid(&config.tornado, &config.file)?;
        let scenarios = scenario::resolve(&config.scenarios, &inputs, &config.file)?;
        let sampling = sampling::SamplingPlan::new(
            &inputs,
            config.sampling.design,
            config.sampling.repair_correlations,
        )?;
        let evppi = evppi::items(&config.evppi, &inputs, &inputs.sampled(), &config.file)?;
        let studies = evppi::studies(&config.evsi, &inputs, &inputs.sampled(), &config.file)?;
        let two_way = two_way::resolve(&config.two_way, &inputs, &config.file)?;
        Ok(Plan {
            evppi,
            studies,
            two_way,
            sampling,
            inputs,
            model,
            base,
            question,
            outcome,
            ranges,
            grid,
            scenarios,
        })
    }

    /// The engine of the run's draws (or of a scenario on them).
    pub fn engine<'p>(
        &'p self,
        config: &RunConfig,
        model: &'p Model,
        uncertainty: Uncertainty,
    ) -> Engine<'p> {
        let sampler =
            sampling::Sampler::new(&self.inputs, &self.sampling, config.seed, config.samples);
        Engine::new(&self.inputs, model, sampler, uncertainty)
    }

    pub fn tornado(&self) -> crate::analysis::tornado::Tornado {
        let one_way = sensitivity::Deterministic::new(&self.model, self.outcome);
        crate::analysis::tornado::tornado(
            &one_way,
            &self.inputs.base_values(),
            &self.ranges,
            self.grid,
        )
    }
}

/// Runs the PSA: samples, writes `samples.parquet`, then the analyses and
/// the summaries. `summary.json` is written last. With a shard, only that
/// range of draws is drawn and written, for `merge` to combine.
pub fn execute(config: &RunConfig) -> Result<RunOutput> {
    let plan = Plan::new(config)?;
    if config.until_mcse.is_some() {
        precision::followed(config, &plan)?;
    }
    prepare_output(config)?;
    let mut config = config.clone();
    let stopping = match config.until_mcse {
        Some(target) => {
            let stopping = precision::draws_needed(&config, &plan, target)?;
            config.samples = stopping.draws;
            Some(stopping)
        }
        None => None,
    };
    let config = &config;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", config.threads)))?;
    pool.install(|| {
        let engine = plan.engine(config, &plan.model, config.uncertainty);
        if config.shard.is_none() {
            check_memory(config, &engine)?;
        }
        let mut staging = crate::export::Staging::create(&config.output)?;
        // Again under the folder's lock: another run may have finished
        // there since the first check.
        prepare_output(config)?;
        let range = match config.shard {
            Some(shard) => shard.range(config.samples),
            None => 0..config.samples,
        };
        let mut metadata = provenance(config, &plan.inputs);
        if let Some(shard) = config.shard {
            metadata.extend(shard::metadata(shard, &range));
        }
        let samples_path = staging.dir().join("samples.parquet");
        let early_evppi = std::sync::OnceLock::new();
        // A shard's analyses come with the merge: it keeps no columns, so
        // its memory is a few chunks whatever its share of the draws.
        let keep = match config.shard {
            Some(_) => Keep::Nothing,
            None => Keep::Columns(start_evppi_early(
                config,
                &plan,
                &engine,
                &range,
                &early_evppi,
            )),
        };
        let columns = draw_range(
            config,
            &engine,
            range.clone(),
            &mut staging,
            &samples_path,
            &metadata,
            keep,
        )?;
        match config.shard {
            Some(shard) => {
                let record =
                    shard::write_record(staging.dir(), config, &plan.inputs, shard, &range)?;
                let files = staging.commit(&[samples_path, record], &[])?;
                Ok(RunOutput {
                    results: None,
                    files,
                })
            }
            None => analyse(
                config,
                &plan,
                &engine,
                columns,
                staging,
                samples_path,
                &metadata,
                stopping,
                early_evppi.into_inner(),
            ),
        }
    })
}

/// Refuses a run (or merge) whose analyses would not fit in memory, before
/// its draws are made. Called from the pool that will rank the columns.
fn check_memory(config: &RunConfig, engine: &Engine) -> Result<()> {
    memory::check(
        &config.file,
        "samples",
        config.samples,
        engine.layout.width(),
        rayon::current_num_threads(),
        memory::available(),
    )
}

/// What to do once a run's first draws are in: handed the columns when they
/// hold that many rows.
type OnFirstDraws<'a> = Option<(usize, Box<dyn FnOnce(&[Vec<f64>]) + Send + 'a>)>;

/// What the writer keeps of the draws besides the Parquet file.
enum Keep<'a> {
    /// Every column, for the analyses, and what to do with the first draws.
    Columns(OnFirstDraws<'a>),
    /// Nothing: the draws are only written.
    Nothing,
}

/// The EVPPI regressions use only the run's first `max_draws` draws; when
/// draws remain to compute after those, the regressions start on threads of
/// their own as soon as those draws are in, rather than after every draw.
fn start_evppi_early<'a>(
    config: &'a RunConfig,
    plan: &'a Plan,
    engine: &'a Engine,
    range: &std::ops::Range<u64>,
    started: &'a std::sync::OnceLock<evppi::Started>,
) -> OnFirstDraws<'a> {
    let wanted = (config.evppi.max_draws.max(0) as u64).min(range.end - range.start) as usize;
    if config.shard.is_some() || plan.evppi.is_empty() || wanted as u64 == range.end - range.start {
        return None;
    }
    let layout = &engine.layout;
    let start = move |columns: &[Vec<f64>]| {
        let first = |column: &Vec<f64>| column[..wanted].to_vec();
        let sampled = columns[..layout.sampled.len()].iter().map(first).collect();
        let present_value = (0..layout.options)
            .map(|k| first(&columns[layout.present_value_column(k)]))
            .collect();
        let _ = started.set(evppi::Started::start(
            plan.evppi.clone(),
            sampled,
            present_value,
            wanted,
            config.seed,
            config.threads,
        ));
    };
    Some((wanted, Box::new(start)))
}

/// Lowers the calling thread's scheduling priority. The threads that run
/// beside the pool (the Parquet writer, the early EVPPI regressions) have
/// slack until the last draw is computed, while the draws are what the run
/// waits for: where they contend for a core, the pool should have it.
pub(crate) fn yield_to_the_draws() {
    // Linux keeps a nice value per thread, and `who = 0` is the calling
    // thread; elsewhere the value is per process, so it is left alone.
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority take no pointers; a failure (say,
    // a limit on the nice value) leaves the priority as it was.
    unsafe {
        let nice = libc::getpriority(libc::PRIO_PROCESS, 0);
        libc::setpriority(libc::PRIO_PROCESS, 0, (nice + 10).min(19));
    }
}

fn check_interrupted() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Draws `range`, writing its rows to `samples_path` chunk by chunk, and
/// returns every column for the analyses, or none with `Keep::Nothing`. The
/// finished file is handed to `staging` to be closed and flushed to disk
/// while the analyses run.
fn draw_range(
    config: &RunConfig,
    engine: &Engine,
    range: std::ops::Range<u64>,
    staging: &mut crate::export::Staging,
    samples_path: &Path,
    metadata: &Metadata,
    keep: Keep,
) -> Result<Vec<Vec<f64>>> {
    let mut samples = ChunkedParquet::create(samples_path, &engine.schema(), metadata)?;
    let width = engine.layout.width();
    let n = (range.end - range.start) as usize;
    let bar = progress(config, n as u64);
    // The pool computes chunk after chunk; a writer thread keeps each chunk's
    // columns for the analyses (unless told to keep nothing) and encodes the
    // chunk as a row group while the pool computes the next.
    let (mut on_first_draws, kept) = match keep {
        Keep::Columns(on_first_draws) => (on_first_draws, width),
        Keep::Nothing => (None, 0),
    };
    let (samples, columns) = std::thread::scope(|scope| -> Result<_> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<DataFrame>(1);
        let writer = scope.spawn(move || -> Result<(ChunkedParquet, Vec<Vec<f64>>)> {
            yield_to_the_draws();
            // `vec![v; width]` would clone without the capacity.
            let mut columns: Vec<Vec<f64>> = (0..kept).map(|_| Vec::with_capacity(n)).collect();
            for chunk in receiver {
                for (all, name) in columns.iter_mut().zip(&engine.layout.names) {
                    let values = chunk
                        .column(name)
                        .and_then(|c| c.f64())
                        .and_then(|c| c.cont_slice())
                        .map_err(|e| Error::output(samples_path, e.to_string()))?;
                    all.extend_from_slice(values);
                }
                if on_first_draws
                    .as_ref()
                    .is_some_and(|(wanted, _)| columns[0].len() >= *wanted)
                    && let Some((_, start)) = on_first_draws.take()
                {
                    start(&columns);
                }
                samples.write_chunk(&chunk)?;
            }
            Ok((samples, columns))
        });
        let mut first = range.start;
        let mut sent = Ok(());
        while first < range.end && sent.is_ok() {
            if let Err(e) = check_interrupted() {
                bar.abandon();
                return Err(e);
            }
            // Chunks end on multiples of CHUNK, as in a single run, so that
            // a merged file has the same row groups.
            let len = (CHUNK as u64 - first % CHUNK as u64).min(range.end - first) as usize;
            let columns = engine.compute_chunk(first, len);
            for column in &columns[engine.layout.outcome_offset()..] {
                engine.check_plausible(first, column, 1)?;
            }
            sent = sender.send(engine.frame(first, columns)?);
            first += len as u64;
            bar.inc(len as u64);
        }
        drop(sender);
        // A failed send means the writer stopped: its error says why.
        writer
            .join()
            .map_err(|_| Error::output(samples_path, "the Parquet writer stopped unexpectedly"))?
    })?;
    bar.finish_and_clear();
    check_interrupted()?;
    staging.close_in_background(move || samples.finish());
    Ok(columns)
}

/// Everything after the draws: tornado, scenarios, rank correlations and the
/// summary, then the staged files are published.
#[allow(clippy::too_many_arguments)]
fn analyse(
    config: &RunConfig,
    plan: &Plan,
    engine: &Engine,
    mut columns: Vec<Vec<f64>>,
    staging: crate::export::Staging,
    samples_path: PathBuf,
    metadata: &Metadata,
    stopping: Option<precision::Stopping>,
    early_evppi: Option<evppi::Started>,
) -> Result<RunOutput> {
    let options = plan.model.options.len();
    let outcomes_by_option = columns.split_off(engine.layout.outcome_offset());
    let kept = columns;
    let (mut nominal, mut present_value) =
        (Vec::with_capacity(options), Vec::with_capacity(options));
    for (k, column) in outcomes_by_option.into_iter().enumerate() {
        if k % 2 == 0 {
            nominal.push(column)
        } else {
            present_value.push(column)
        }
    }
    let mut files = vec![samples_path];

    let tornado = plan.tornado();
    files.extend(sensitivity::write(staging.dir(), &tornado, plan, metadata)?);
    check_interrupted()?;
    let scenarios: Vec<_> = plan
        .scenarios
        .iter()
        .map(|s| scenario::evaluate(s, config, plan, &kept[..engine.layout.sampled.len()]))
        .collect::<Result<_>>()?;
    check_interrupted()?;
    let yearly = yearly::evaluate(config, plan, &kept[..engine.layout.sampled.len()]);
    if let Some(draws) = &yearly.draws {
        files.push(yearly::write_draws(
            staging.dir(),
            &plan.model,
            draws,
            metadata,
        )?);
    }
    check_interrupted()?;

    // Each draw's value of the tornado's outcome (the headline difference),
    // which the rank correlations and the variance shares both take.
    let outcome_draws = plan.outcome.over_draws(&present_value);
    // The rank correlations, the draws' own statistics and the EVPPI are
    // independent: on several threads each runs beside the others. The
    // EVPPI is waited for last, as it may have started during the draws.
    let draws = || summary::Draws {
        nominal: &nominal,
        present_value: &present_value,
    };
    let ((correlations, copulas, variance_shares), (statistics, (estimates, learnable, studies))) =
        rayon::join(
            || {
                (
                    rank_correlations(engine, &kept, &outcome_draws),
                    correlation_checks(plan, engine, &kept),
                    variance_shares(config, engine, &kept, &outcome_draws),
                )
            },
            || {
                rayon::join(
                    || summary::DrawStatistics::compute(plan, draws()),
                    || {
                        let estimates = match early_evppi {
                            Some(started) => Some(started.wait()),
                            None => (!plan.evppi.is_empty()).then(|| {
                                evppi::estimate(
                                    &plan.evppi,
                                    &kept[..engine.layout.sampled.len()],
                                    &present_value,
                                    config.evppi.max_draws as usize,
                                    config.seed,
                                )
                            }),
                        };
                        let learnable = (!plan.evppi.is_empty()).then(|| {
                            evppi::learnable(
                                engine,
                                &kept[..engine.layout.sampled.len()],
                                config.evppi.nested_outer_draws as usize,
                                config.evppi.nested_inner_draws as usize,
                            )
                        });
                        let studies = evppi::study_values(
                            &plan.studies,
                            &kept[..engine.layout.sampled.len()],
                            &present_value,
                            config.evppi.max_draws as usize,
                            config.seed,
                        );
                        (estimates, learnable, studies)
                    },
                )
            },
        );
    check_interrupted()?;
    let results = summary::compute(
        config,
        plan,
        statistics,
        summary::Analyses {
            tornado,
            scenarios,
            correlations,
            copulas,
            variance_shares,
            evppi: estimates,
            learnable,
            studies,
            stopping,
            yearly: yearly.result,
        },
    );
    files.extend(crate::export::summary::write(
        staging.dir(),
        &results,
        metadata,
    )?);
    // The report reads the staged summary; summary.json stays last.
    let inputs: Vec<(String, &[f64])> = results
        .ranking_robustness
        .strongest_inputs(crate::export::report::SCATTERED_INPUTS)
        .iter()
        .filter_map(|c| {
            let slot = engine.layout.names.iter().position(|n| *n == c.input)?;
            Some((c.input.clone(), kept[slot].as_slice()))
        })
        .collect();
    let draws = crate::export::report::Draws {
        pv: &present_value,
        inputs: &inputs,
    };
    let report = crate::export::report::write_from_run(staging.dir(), &results, &draws)?;
    files.insert(files.len() - 1, report);
    check_interrupted()?;
    // With --force, results of an earlier run that this one does not write
    // (e.g. its scenarios) would otherwise sit beside the new ones.
    let files = staging.commit(&files, &OUTPUT_FILES)?;
    Ok(RunOutput {
        results: Some(results),
        files,
    })
}

/// Each sampled parameter's first-order variance share of the tornado's
/// outcome, on the draws the EVPPI uses.
fn variance_shares(
    config: &RunConfig,
    engine: &Engine,
    kept: &[Vec<f64>],
    outcome: &[f64],
) -> (Vec<(String, f64, f64)>, usize) {
    let n = outcome.len().min(config.evppi.max_draws.max(0) as usize);
    let sampled = engine.layout.sampled.len();
    let shares = evppi::variance_shares(
        &engine.layout.names[..sampled],
        &kept[..sampled],
        &outcome[..n],
        n,
        config.seed,
    );
    (shares, n)
}

/// Spearman's correlation of every column that varies (sampled parameters
/// and hub-years) with the tornado's outcome, over all draws.
fn rank_correlations(
    engine: &Engine,
    kept: &[Vec<f64>],
    outcome_draws: &[f64],
) -> Vec<(String, f64)> {
    let outcome = robustness::CentredRanks::of(outcome_draws);
    let varying: Vec<(&String, &Vec<f64>)> = engine
        .layout
        .names
        .iter()
        .zip(kept)
        .filter(|(_, column)| column.iter().any(|v| *v != column[0]))
        .collect();
    // One ranker per thread, each taking the next column until none is
    // left: a ranker's buffers are 24 MB at a million draws, and a fresh
    // set for each piece of work rayon splits off costs in page faults
    // nearly as much as the ranking (20 ms a column against 11 ms).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (next, varying, outcome) = (&next, &varying, &outcome);
    let mut correlations: Vec<(usize, f64)> = (0..rayon::current_num_threads())
        .into_par_iter()
        .flat_map_iter(|_| {
            let mut ranker = robustness::Ranker::default();
            std::iter::from_fn(move || {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (_, column) = varying.get(i)?;
                Some((i, ranker.spearman_with(column, outcome)))
            })
        })
        .collect();
    correlations.sort_by_key(|&(i, _)| i);
    correlations
        .into_iter()
        .map(|(i, rho)| (varying[i].0.clone(), rho))
        .collect()
}

/// Each correlated pair's declared, imposed and achieved Spearman
/// correlation over the run's draws.
fn correlation_checks(plan: &Plan, engine: &Engine, columns: &[Vec<f64>]) -> Vec<CorrelationCheck> {
    let column = |parameter: usize| {
        engine
            .layout
            .sampled
            .iter()
            .position(|&i| i == parameter)
            .map(|slot| &columns[slot])
    };
    let mut checks = Vec::new();
    for copula in &plan.sampling.copulas {
        // Each member ranked once for all its pairs.
        let ranks: Vec<Option<robustness::CentredRanks>> = copula
            .members
            .iter()
            .map(|&m| column(m).map(|c| robustness::CentredRanks::of(c)))
            .collect();
        for a in 0..copula.members.len() {
            for b in a + 1..copula.members.len() {
                let (Some(x), Some(y)) = (&ranks[a], &ranks[b]) else {
                    continue;
                };
                let achieved = x.spearman(y);
                checks.push(CorrelationCheck {
                    parameters: [
                        plan.inputs.parameters[copula.members[a]].name.clone(),
                        plan.inputs.parameters[copula.members[b]].name.clone(),
                    ],
                    target_spearman: copula.target[a][b],
                    imposed_spearman: copula.imposed[a][b],
                    achieved_spearman: achieved,
                    repaired: copula.repaired,
                });
            }
        }
    }
    checks
}

/// `chh-psa merge`: combines shards into exactly what a single run writes.
pub fn merge(
    shards: &[PathBuf],
    out: Option<&Path>,
    force: bool,
    quiet: bool,
) -> Result<RunOutput> {
    let (config, parts) = shard::read_parts(shards, out, force, quiet)?;
    let plan = Plan::new(&config)?;
    if plan.inputs.hash != parts.inputs_hash {
        return Err(Error::input(
            &config.distributions,
            "",
            "the parameter files changed since the shards were run (inputs hash differs)",
        ));
    }
    prepare_output(&config)?;
    let engine = plan.engine(&config, &plan.model, config.uncertainty);
    check_memory(&config, &engine)?;
    let mut staging = crate::export::Staging::create(&config.output)?;
    prepare_output(&config)?;
    let metadata = provenance(&config, &plan.inputs);
    let samples_path = staging.dir().join("samples.parquet");
    let columns = shard::concatenate(&parts, &engine, &mut staging, &samples_path, &metadata)?;
    analyse(
        &config,
        &plan,
        &engine,
        columns,
        staging,
        samples_path,
        &metadata,
        None,
        None,
    )
}

/// Installs the SIGINT/SIGTERM handler: the run stops at the next chunk and
/// its temporary files are removed.
pub fn handle_interruption() {
    let _ = ctrlc::set_handler(|| {
        // A second signal stops at once, for a stage that does not check.
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!("error: interrupted twice: stopping now");
            std::process::exit(crate::error::exit_code::INTERRUPTED);
        }
    });
}

/// `chh-psa tornado`: the one-way analysis alone, without draws.
pub fn tornado_only(
    config: &RunConfig,
    outcome: Option<&str>,
) -> Result<(Plan, crate::analysis::tornado::Tornado, Vec<PathBuf>)> {
    let plan = Plan::with_outcome(config, outcome)?;
    prepare_folder(&config.output, &TORNADO_FILES, config.force)?;
    let tornado = plan.tornado();
    let metadata = provenance(config, &plan.inputs);
    let staging = crate::export::Staging::create(&config.output)?;
    prepare_folder(&config.output, &TORNADO_FILES, config.force)?;
    let files = sensitivity::write(staging.dir(), &tornado, &plan, &metadata)?;
    let files = staging.commit(&files, &[])?;
    Ok((plan, tornado, files))
}

#[cfg(test)]
mod tests {
    /// The writer lowers its own priority only: were the nice value shared
    /// by the process, the pool computing the draws would lose it too.
    #[cfg(target_os = "linux")]
    #[test]
    fn yielding_to_the_draws_lowers_the_calling_thread_alone() {
        // SAFETY: getpriority takes no pointers.
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let before = nice();
        let inside = std::thread::spawn(move || {
            super::yield_to_the_draws();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(inside, (before + 10).min(19));
        assert_eq!(nice(), before);
    }
}
