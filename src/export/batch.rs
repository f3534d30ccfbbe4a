//! A batch of runs side by side: `batch.parquet`, one row per run and
//! decision pair (a run without pairs has one row with its best option),
//! and the same as a console table and a short page, `batch.html`, that
//! links each run's report.

use polars::prelude::*;
use std::path::{Path, PathBuf};

use super::AtomicFile;
use super::console::table;
use super::format::{escape, money, probability, signed_money};
use crate::error::{Error, Result};
use crate::results::{PairResult, Results};

/// One run of a batch: its run file (or, for runs compared from their
/// folders, the folder), its folder and its results.
pub struct BatchRun<'a> {
    pub run: &'a str,
    pub output: &'a Path,
    pub results: &'a Results,
}

/// A pair of a run's question: its key ("accelerated-supported") and
/// figures; none for a run whose question has no pairs.
type Pair<'a> = Option<(&'a String, &'a PairResult)>;

/// (run, pair) for every row.
fn rows<'a>(runs: &'a [BatchRun<'a>]) -> impl Iterator<Item = (&'a BatchRun<'a>, Pair<'a>)> {
    runs.iter().flat_map(|run| {
        let pairs: Vec<_> = run.results.decision.pairs.iter().map(Some).collect();
        let pairs = if pairs.is_empty() { vec![None] } else { pairs };
        pairs.into_iter().map(move |pair| (run, pair))
    })
}

/// Writes `batch.parquet` and `batch.html` into `dir` (created if need
/// be) and gives the Parquet file's path.
pub fn write(dir: &Path, runs: &[BatchRun]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let page = dir.join("batch.html");
    let mut file = AtomicFile::create(&page)?;
    file.write_all(html(dir, runs).as_bytes())?;
    file.commit()?;
    let text = |f: &dyn Fn(&BatchRun, Pair) -> String| {
        rows(runs).map(|(r, p)| f(r, p)).collect::<Vec<String>>()
    };
    let number =
        |f: &dyn Fn(&BatchRun, Pair) -> f64| rows(runs).map(|(r, p)| f(r, p)).collect::<Vec<f64>>();
    let columns = vec![
        Column::new("run".into(), text(&|r, _| r.run.to_string())),
        Column::new(
            "output".into(),
            text(&|r, _| r.output.display().to_string()),
        ),
        Column::new(
            "pair".into(),
            text(&|_, p| p.map_or(String::new(), |(k, _)| k.clone())),
        ),
        Column::new(
            "margin_gbp".into(),
            number(&|_, p| p.map_or(f64::NAN, |(_, p)| p.margin_gbp)),
        ),
        Column::new(
            "p_a_beats_b".into(),
            number(&|_, p| p.map_or(f64::NAN, |(_, p)| p.p_a_beats_b.estimate)),
        ),
        Column::new(
            "verdict".into(),
            text(&|_, p| p.map_or(String::new(), |(_, p)| p.verdict.clone())),
        ),
        Column::new(
            "mean_difference_gbp".into(),
            number(&|_, p| p.map_or(f64::NAN, |(_, p)| p.mean_difference_gbp)),
        ),
        Column::new(
            "best_option_by_mean".into(),
            text(&|r, _| r.results.best_option_by_mean.clone()),
        ),
        Column::new("evpi_gbp".into(), number(&|r, _| r.results.evpi_gbp)),
        Column::new(
            "samples".into(),
            rows(runs)
                .map(|(r, _)| r.results.run.samples)
                .collect::<Vec<u64>>(),
        ),
        Column::new(
            "seed".into(),
            rows(runs)
                .map(|(r, _)| r.results.run.seed)
                .collect::<Vec<u64>>(),
        ),
        Column::new(
            "inputs_hash".into(),
            text(&|r, _| r.results.run.inputs_hash.clone()),
        ),
        Column::new(
            "run_file_hash".into(),
            text(&|r, _| r.results.run.run_file_hash.clone()),
        ),
    ];
    let path = dir.join("batch.parquet");
    let height = rows(runs).count();
    let mut df = DataFrame::new(height, columns).map_err(|e| Error::internal(&path, e))?;
    super::parquet::write(&path, &mut df, &Vec::new())?;
    Ok(path)
}

/// The row of figures the console and the page show for one run and pair.
fn shown(run: &BatchRun, pair: Pair) -> Vec<String> {
    let mut row = match pair {
        Some((key, p)) => vec![
            format!("{key} (m = {})", money(p.margin_gbp)),
            probability(p.p_a_beats_b.estimate, p.p_a_beats_b.mcse),
            p.verdict.clone(),
            signed_money(p.mean_difference_gbp),
        ],
        None => vec!["–".into(), "–".into(), "–".into(), "–".into()],
    };
    row.extend([
        run.results.best_option_by_mean.clone(),
        money(run.results.evpi_gbp),
        format!(
            "{} draws, seed {}",
            run.results.run.samples, run.results.run.seed
        ),
    ]);
    row
}

const HEADERS: [&str; 8] = [
    "run",
    "pair",
    "P(A − B > m)",
    "verdict",
    "mean A − B",
    "best by mean",
    "EVPI",
    "draws",
];

/// Where `to` lies seen from the folder `from`, for a link that survives
/// the folders being moved together; the path as given when either
/// cannot be resolved.
fn relative(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (from.canonicalize(), to.canonicalize()) else {
        return to.display().to_string();
    };
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let up = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".into(); up];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The batch as a short HTML page, each run's file linked to its report.
fn html(dir: &Path, runs: &[BatchRun]) -> String {
    let head: String = HEADERS
        .iter()
        .map(|h| format!("<th>{}</th>", escape(h)))
        .collect();
    let body: String = rows(runs)
        .map(|(run, pair)| {
            let link = relative(dir, &run.output.join("report.html"));
            let cells: String = shown(run, pair)
                .iter()
                .map(|c| format!("<td>{}</td>", escape(c)))
                .collect();
            format!(
                "<tr><td><a href=\"{}\">{}</a></td>{cells}</tr>\n",
                escape(&link),
                escape(run.run)
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>chh-psa: a batch of runs</title><style>\
         body{{font-family:sans-serif;margin:2em;}}table{{border-collapse:collapse;}}\
         th,td{{border-bottom:1px solid #ccc;padding:.3em .6em;text-align:left;}}\
         </style></head><body>\n<h1>A batch of runs side by side</h1>\n\
         <p>Each row is one run and one pair of its question: the probability \
         that option A's present value exceeds option B's by more than the \
         pair's margin m, with its Monte Carlo standard error, the verdict it \
         supports, the mean difference, the option best by mean and the expected \
         value of perfect information (EVPI). Each run file links to its own report.</p>\n\
         <table>\n<tr>{head}</tr>\n{body}</table>\n</body></html>\n"
    )
}

/// The batch as a console table.
pub fn console(runs: &[BatchRun]) -> String {
    let rows: Vec<Vec<String>> = rows(runs)
        .map(|(run, pair)| {
            let mut row = vec![run.run.to_string()];
            row.extend(shown(run, pair));
            row
        })
        .collect();
    table(&HEADERS, &rows)
}
