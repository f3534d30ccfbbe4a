//! Stage 4 of the pipeline: the draws, in parallel; and [`execute`], which
//! takes a run from its plan through the draws, the analyses and the files.
//!
//! Draws are processed in chunks. Within a chunk each draw is computed on any
//! thread into its own place in the chunk's columns; the chunk is then
//! written to `samples.parquet` as a row group, in draw order, by a writer
//! thread, which also keeps the chunk's columns for the analyses, while the
//! next chunk is computed. So the files do not depend on the thread count,
//! and memory holds a chunk or two plus the columns the analyses need. The
//! analyses follow the last draw.
//!
//! In the order a run goes: the [`Plan`](crate::plan::Plan) (made in
//! `plan/`), `engine.rs` (one draw into one row), `draws.rs` (the draw loop
//! and the writer), `analyse.rs` (everything after the draws, with
//! `evppi.rs` (the nested Monte Carlo's inner draws),
//! `scenario_results.rs`, `scenario_draws.rs` (the scenarios' tallies on
//! each draw), `yearly.rs`, `precision.rs`, `stopwatch.rs`), `folder.rs`
//! (the result folder), `shard.rs` (split runs and their merge),
//! `memory.rs` and `signals.rs`.

pub mod evppi;
pub mod memory;
pub mod precision;
mod scenario_draws;
pub mod scenario_results;
pub mod shard;
pub mod yearly;

mod analyse;
mod draws;
mod engine;
mod folder;
mod signals;
mod stopwatch;

pub use crate::plan::Plan;
pub use engine::{Engine, Layout, for_plan as engine_for_plan};
pub use folder::{REPORT_FILE, RunOutput, TORNADO_FILES, output_files, prepare_folder, provenance};
pub use signals::{INTERRUPTED, handle_interruption};

use analyse::{Run, analyse};
use draws::{Keep, Pass, check_memory, draw_range, redraw};
use folder::{Staged, prepare_output};
use scenario_draws::ScenarioDraws;

pub use crate::plan::{Overrides, RunConfig, Uncertainty};

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use crate::plan::Shard;

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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", config.threads)))?;
    pool.install(|| match config.shard {
        Some(shard) => draw_shard(&config, &plan, shard),
        None => draw_and_analyse(&config, &plan, stopping),
    })
}

/// Every draw, then the analyses and every result file.
fn draw_and_analyse(
    config: &RunConfig,
    plan: &Plan,
    stopping: Option<precision::Stopping>,
) -> Result<RunOutput> {
    let mut engine = engine::for_plan(plan, config, &plan.model, config.uncertainty);
    engine.span = scenario_draws::span(plan, config);
    let pass = pass(plan, config, &engine);
    check_memory(config, &engine)?;
    let mut staged = Staged::create(config, &plan.inputs)?;
    let clock = std::time::Instant::now();
    let drawn = draw_range(config, pass, 0..config.samples, Keep::Columns, &mut staged)?;
    let run = Run {
        config,
        plan,
        engine: &engine,
        drawing: clock.elapsed(),
    };
    analyse(&run, drawn, staged, stopping)
}

/// A shard's range of draws and its record. Its scenarios, yearly budget
/// and analyses come with the merge, and it keeps no columns, so its
/// memory is a few chunks whatever its share of the draws.
fn draw_shard(config: &RunConfig, plan: &Plan, shard: Shard) -> Result<RunOutput> {
    let mut engine = engine::for_plan(plan, config, &plan.model, config.uncertainty);
    engine.span = scenario_draws::span(plan, config);
    let pass = Pass {
        scenarios: ScenarioDraws::none(plan, config, &engine),
        yearly: None,
    };
    let mut staged = Staged::create(config, &plan.inputs)?;
    let range = shard.range(config.samples);
    staged.metadata.extend(shard::metadata(shard, &range));
    draw_range(config, pass, range.clone(), Keep::Nothing, &mut staged)?;
    let record = crate::export::shard::write(
        staged.staging.dir(),
        &shard::record(config, &plan.inputs, shard, &range)?,
    )?;
    let files = staged.staging.commit(&[staged.samples_path, record], &[])?;
    Ok(RunOutput {
        results: None,
        files,
        writing: std::time::Duration::ZERO,
    })
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
    let engine = engine::for_plan(&plan, &config, &plan.model, config.uncertainty);
    check_memory(&config, &engine)?;
    let mut staged = Staged::create(&config, &plan.inputs)?;
    let clock = std::time::Instant::now();
    let columns = shard::concatenate(&parts, &engine, &mut staged)?;
    // The shards kept no scenarios nor yearly budget: they are evaluated
    // here on the merged draws' values, as a single run evaluates them.
    let mut reading = engine::for_plan(&plan, &config, &plan.model, config.uncertainty);
    reading.drawn = Some(&columns[..engine.layout.sampled.len()]);
    reading.span = scenario_draws::span(&plan, &config);
    let mut drawn = redraw(pass(&plan, &config, &reading), config.samples)?;
    drawn.columns = columns;
    let run = Run {
        config: &config,
        plan: &plan,
        engine: &engine,
        drawing: clock.elapsed(),
    };
    analyse(&run, drawn, staged, None)
}

/// What a whole run computes on each draw beside its row.
fn pass<'a>(plan: &'a Plan, config: &'a RunConfig, engine: &'a Engine<'a>) -> Pass<'a> {
    Pass {
        scenarios: ScenarioDraws::new(plan, config, engine),
        yearly: Some(yearly::YearlyCounts::new(
            &plan.model,
            config.yearly.draws,
            config.timings,
        )),
    }
}

/// `chh-psa tornado`: the one-way analysis alone, without draws.
pub fn tornado_only(
    config: &RunConfig,
    outcome: Option<&str>,
) -> Result<(crate::results::TornadoResult, Vec<PathBuf>)> {
    let plan = Plan::with_outcome(config, outcome)?;
    prepare_folder(&config.output, &TORNADO_FILES, config.force)?;
    let tornado = crate::analysis::one_way::tornado(&plan);
    let metadata = provenance(config, &plan.inputs);
    let staging = crate::export::Staging::create(&config.output)?;
    prepare_folder(&config.output, &TORNADO_FILES, config.force)?;
    let about = crate::export::tornado::TornadoAbout::of(&plan);
    let result = about.result(&tornado);
    let files = crate::export::tornado::write(staging.dir(), &tornado, &result, &about, &metadata)?;
    let files = staging.commit(&files, &[])?;
    Ok((result, files))
}
