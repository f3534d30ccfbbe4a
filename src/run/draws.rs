//! The draw loop: chunk after chunk computed by the pool while a writer
//! thread encodes the previous chunk into `samples.parquet` and keeps its
//! columns for the analyses.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::*;

use rayon::prelude::*;

use super::engine::Engine;
use super::folder::Staged;
use super::memory;
use super::scenario_draws::{ScenarioDraws, ScenarioTally};
use super::signals::check_interrupted;
use super::yearly::{Yearly, YearlyCounts};
use crate::error::{Error, Result};
use crate::export::parquet::ChunkedParquet;
use crate::plan::config::RunConfig;

/// Draws per chunk (one Parquet row group).
pub(super) const CHUNK: usize = 16_384;

pub(super) fn progress(config: &RunConfig, draws: u64) -> ProgressBar {
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
                    crate::export::format::thousands(state.per_sec())
                );
            },
        );
        bar.set_style(style);
    }
    bar
}

/// Refuses a run (or merge) whose analyses would not fit in memory, before
/// its draws are made. Called from the pool that will rank the columns.
pub(super) fn check_memory(config: &RunConfig, engine: &Engine) -> Result<()> {
    let kept = memory::Kept {
        draws: config.samples,
        columns: engine.layout.width(),
        threads: rayon::current_num_threads(),
    };
    memory::check(&config.file, "samples", kept, memory::available())
}

/// Whether the writer keeps the draws' columns for the analyses (a run)
/// or only writes them (a shard, whose analyses come with the merge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Columns,
    Nothing,
}

/// What each draw computes beside its row: every scenario on it, and its
/// yearly budget (none for a shard, whose analyses come with the merge).
pub(super) struct Pass<'a> {
    pub scenarios: ScenarioDraws<'a>,
    pub yearly: Option<YearlyCounts>,
}

/// What the draws leave for the analyses.
pub(super) struct Drawn {
    /// Every column of `samples.parquet`, or none with `Keep::Nothing`.
    pub columns: Vec<Vec<f64>>,
    /// The scenarios' counts over the draws.
    pub scenarios: ScenarioTally,
    pub yearly: Option<Yearly>,
    /// The parts of the draws' time spent on scenarios and on the yearly
    /// budget.
    pub spent: [std::time::Duration; 2],
}

impl Pass<'_> {
    fn finish(self, columns: Vec<Vec<f64>>, scenarios: ScenarioTally, n: u64) -> Drawn {
        let spent = [
            self.scenarios.spent(),
            self.yearly
                .as_ref()
                .map_or_else(Default::default, |y| y.spent()),
        ];
        let plan = self.scenarios.plan();
        Drawn {
            columns,
            scenarios,
            yearly: self.yearly.map(|y| y.finish(plan, n as usize)),
            spent,
        }
    }
}

/// Computes draws `first..first + len` in parallel, with every scenario
/// on each and its yearly budget counted, straight into one column per
/// layout entry (as Parquet stores them) followed by one per scenario and
/// option, block by block so that each thread fills its own stretch of
/// every column.
pub(super) fn compute_chunk(pass: &Pass, first: u64, len: usize) -> Vec<Vec<f64>> {
    const BLOCK: usize = 256;
    let scenarios = &pass.scenarios;
    let engine = scenarios.engine;
    let own = engine.layout.width();
    let width = own + scenarios.width();
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
        || (engine.scratch(), scenarios.scratch(), vec![0.0; width]),
        |(s, sc, row), (b, mut parts)| {
            let start = first + (b * BLOCK) as u64;
            let mut yearly = pass.yearly.as_ref().map(|y| y.block(engine.model, start));
            for j in 0..parts.first().map_or(0, |p| p.len()) {
                let draw = start + j as u64;
                let (main, others) = row.split_at_mut(own);
                engine.compute(draw, s, main);
                scenarios.evaluate(draw, s, sc, others);
                if let Some(counts) = &mut yearly {
                    counts.add(engine.model, s);
                }
                for (part, &value) in parts.iter_mut().zip(row.iter()) {
                    part[j] = value;
                }
            }
            if let Some(counts) = yearly {
                counts.finish();
            }
        },
    );
    columns
}

/// The scenarios and the yearly budget over draws `0..n` of an engine
/// that reads its sampled values from columns already drawn (a merge of
/// shards); the columns are the caller's to add.
pub(super) fn redraw(pass: Pass, n: u64) -> Result<Drawn> {
    let mut tally = ScenarioTally::new(&pass.scenarios);
    let own = pass.scenarios.engine.layout.width();
    let mut first = 0;
    while first < n {
        check_interrupted()?;
        let len = (CHUNK as u64).min(n - first) as usize;
        let computed = compute_chunk(&pass, first, len);
        tally.add(&pass.scenarios, first, &computed[own..])?;
        first += len as u64;
    }
    Ok(pass.finish(Vec::new(), tally, n))
}

/// Draws `range`, with every scenario on each draw and its yearly budget,
/// writing its rows to `samples_path` chunk by chunk. The finished file is
/// handed to `staging` to be closed and flushed to disk while the analyses
/// run.
pub(super) fn draw_range(
    config: &RunConfig,
    pass: Pass,
    range: std::ops::Range<u64>,
    keep: Keep,
    staged: &mut Staged,
) -> Result<Drawn> {
    let scenarios = &pass.scenarios;
    let engine = scenarios.engine;
    let mut tally = ScenarioTally::new(scenarios);
    let samples_path = staged.samples_path.as_path();
    let mut samples = ChunkedParquet::create(samples_path, &engine.schema(), &staged.metadata)?;
    let width = engine.layout.width();
    let n = (range.end - range.start) as usize;
    let bar = progress(config, n as u64);
    // The pool computes chunk after chunk; a writer thread keeps each chunk's
    // columns for the analyses (unless told to keep nothing) and encodes the
    // chunk as a row group while the pool computes the next.
    let kept = if keep == Keep::Columns { width } else { 0 };
    // The writer also counts the chunk's scenario values, in draw order.
    type Sent = (DataFrame, u64, Vec<Vec<f64>>);
    let (samples, columns, tally) = std::thread::scope(|scope| -> Result<_> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Sent>(1);
        let writer = scope.spawn(move || -> Result<(ChunkedParquet, Vec<Vec<f64>>, _)> {
            // `vec![v; width]` would clone without the capacity.
            let mut columns: Vec<Vec<f64>> = (0..kept).map(|_| Vec::with_capacity(n)).collect();
            for (chunk, first, scenario_columns) in receiver {
                tally.add(scenarios, first, &scenario_columns)?;
                for (all, name) in columns.iter_mut().zip(&engine.layout.names) {
                    let values = chunk
                        .column(name)
                        .and_then(|c| c.f64())
                        .and_then(|c| c.cont_slice())
                        .map_err(|e| Error::output(samples_path, e.to_string()))?;
                    all.extend_from_slice(values);
                }
                samples.write_chunk(&chunk)?;
            }
            Ok((samples, columns, tally))
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
            let mut columns = compute_chunk(&pass, first, len);
            let scenario_columns = columns.split_off(width);
            for column in &columns[engine.layout.outcome_offset()..] {
                engine.check_plausible(first, column, 1)?;
            }
            sent = sender.send((engine.frame(first, columns)?, first, scenario_columns));
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
    staged.staging.close_in_background(move || samples.finish());
    Ok(pass.finish(columns, tally, range.end - range.start))
}
