//! `report.html`: one self-contained page a reviewer reads top to bottom.
//!
//! It is built only from a run's typed [`Results`] and each option's value
//! over the draws (as in `summary.json` and `samples.parquet`), so `chh-psa
//! report DIR` rebuilds the same page, and every number in it is one of the
//! results'. Plots are inline SVG; a content security policy forbids the
//! page any request.

mod budget;
mod decision;
mod information;
mod question;
mod sensitivity;

use std::fmt::Write as _;
use std::path::Path;

use super::{AtomicFile, parquet, plots};
use crate::error::{Error, Result};
use crate::results::Results;

/// The sections, in reading order: (id, title).
pub const SECTIONS: [(&str, &str); 17] = [
    ("question", "The question and this run"),
    ("answer", "The answer"),
    ("headline", "Results by option"),
    (
        "distributions",
        "Distribution of each option's present value",
    ),
    ("difference", "The difference itself"),
    ("decision-curve", "How the answer depends on the margin"),
    ("ranks", "Rank probabilities"),
    ("pairwise", "Which option beats which"),
    ("tornado", "One-way sensitivity (tornado)"),
    ("switch-points", "Switch points"),
    ("two-way", "Two-way sensitivity"),
    ("budget", "The budget year by year"),
    ("scenarios", "Scenarios"),
    ("robustness", "Robustness of the published ranking"),
    ("value-of-information", "Value of information"),
    ("convergence", "Convergence"),
    ("parameters", "Parameters"),
];

use super::format::{
    escape, margin_condition, pair_asked, pair_question, percent, share, signed_money,
};
pub use super::format::{money, probability};

/// A number cell: formatted for people, the exact value kept for machines.
fn num(value: f64, shown: String) -> String {
    format!(
        "<td class=\"num\" data-value=\"{value:e}\">{}</td>",
        escape(&shown)
    )
}

/// A figure for the page: inline SVG with its text alternative.
fn figure(svg: &str, title: &str) -> String {
    plots::titled(svg, title)
}

/// Builds `report.html` in `dir` from the run's files there.
pub fn write(dir: &Path) -> Result<std::path::PathBuf> {
    if !dir.is_dir() {
        return Err(Error::input(
            dir,
            "the result folder",
            "does not exist or is not a folder; give the folder a run wrote (it holds summary.json and samples.parquet)",
        ));
    }
    // Nothing else may write the folder meanwhile (a run committing there).
    let _lock = super::atomic::FolderLock::acquire(dir)?;
    let results = super::summary::read_json(&dir.join("summary.json"))?;
    let samples_path = dir.join("samples.parquet");
    // The option values and the inputs drawn in scatter plots only.
    let options: Vec<String> = results
        .options
        .keys()
        .map(|id| crate::results::DrawColumn::PresentValue(id).name())
        .collect();
    let inputs: Vec<String> = results
        .ranking_robustness
        .strongest_inputs(SCATTERED_INPUTS)
        .iter()
        .map(|c| c.input.clone())
        .collect();
    let wanted: Vec<String> = options.iter().chain(&inputs).cloned().collect();
    let samples = parquet::read_columns(&samples_path, &wanted)?;
    let column = |name: &String| -> Result<Vec<f64>> {
        Ok(samples
            .column(name)
            .and_then(|c| c.f64().cloned())
            .map_err(|e| Error::output(&samples_path, e.to_string()))?
            .into_no_null_iter()
            .collect())
    };
    let pv = options.iter().map(column).collect::<Result<Vec<_>>>()?;
    let inputs = inputs
        .iter()
        .map(|name| Ok((name.clone(), column(name)?)))
        .collect::<Result<Vec<_>>>()?;
    let inputs: Vec<(String, &[f64])> = inputs
        .iter()
        .map(|(n, v)| (n.clone(), v.as_slice()))
        .collect();
    write_from_run(
        dir,
        &results,
        &Draws {
            pv: &pv,
            inputs: &inputs,
        },
    )
}

/// How many of the inputs most strongly rank-correlated with the tornado's
/// outcome the report draws in scatter plots.
pub const SCATTERED_INPUTS: usize = 4;

/// What the report plots of the draws themselves: each option's PV (in the
/// options' order) and the values of the inputs drawn in scatter plots.
pub struct Draws<'a> {
    pub pv: &'a [Vec<f64>],
    pub inputs: &'a [(String, &'a [f64])],
}

/// `report.html`, as a run's exporter.
pub struct Report;

/// The report's file name.
pub const FILE: &str = "report.html";

impl super::Exporter for Report {
    fn export(&self, dir: &Path, run: &super::Finished) -> Result<Vec<std::path::PathBuf>> {
        Ok(vec![write_from_run(dir, run.results, run.draws)?])
    }

    fn files(&self) -> &'static [&'static str] {
        &[FILE]
    }
}

/// As [`write`], given the results and the draws as the run holds them, so
/// a run need not read them back. `chh-psa report` rebuilds the same page
/// from the files.
pub fn write_from_run(dir: &Path, results: &Results, draws: &Draws) -> Result<std::path::PathBuf> {
    let path = dir.join(FILE);
    let html = render(results, draws).map_err(|e| Error::output(&path, e))?;
    let mut file = AtomicFile::create(&path)?;
    file.write_all(html.as_bytes())?;
    file.commit()?;
    Ok(path)
}

/// The page's parts: the results, the option values over the draws, and
/// the option ids in order.
struct Page<'a> {
    r: &'a Results,
    pv: &'a [Vec<f64>],
    inputs: &'a [(String, &'a [f64])],
    ids: Vec<String>,
}

impl Page<'_> {
    fn index(&self, id: &str) -> usize {
        self.ids.iter().position(|i| i == id).unwrap_or(0)
    }

    /// An option's name as the option file gives it ("Status quo"), for
    /// the reader; its id where it has none.
    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.r.options.get(id).map_or(id, |o| {
            if o.name.is_empty() {
                id
            } else {
                o.name.as_str()
            }
        })
    }
}

type Drawn = std::result::Result<(), String>;

/// The headline pair's question ("Does A beat B by more than £2.0m?"),
/// else which option is best.
fn question_text(r: &Results) -> String {
    match r.decision.headline() {
        Some((_, p)) => pair_asked(&p.a, &p.b, p.margin_gbp),
        None => "Which option is best?".into(),
    }
}

fn render(r: &Results, draws: &Draws) -> std::result::Result<String, String> {
    let (pv, inputs) = (draws.pv, draws.inputs);
    let ids = r.option_ids();
    if pv.len() != ids.len() {
        return Err(format!(
            "the summary has {} options but {} columns of option values were given",
            ids.len(),
            pv.len()
        ));
    }
    let page = Page { r, pv, inputs, ids };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chh-psa report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        escape(&question_text(r))
    );
    question::question(&mut h, &page);
    question::answer(&mut h, &page);
    question::headline(&mut h, &page);
    decision::distributions(&mut h, &page)?;
    decision::difference(&mut h, &page)?;
    decision::decision_curve(&mut h, &page)?;
    decision::ranks(&mut h, &page)?;
    decision::pairwise(&mut h, &page)?;
    sensitivity::tornado(&mut h, &page)?;
    sensitivity::two_way(&mut h, page.r);
    budget::budget(&mut h, &page)?;
    sensitivity::scenarios(&mut h, &page);
    sensitivity::robustness(&mut h, &page)?;
    information::value_of_information(&mut h, r);
    information::convergence(&mut h, &page)?;
    information::parameters(&mut h, r)?;
    let _ = write!(h, "\n</body>\n</html>");
    Ok(h)
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; max-width: 1150px; margin: 1.5em auto; padding: 0 1em; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.3em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #0072b2; padding-bottom: 0.2em; margin-top: 1.6em; }
section { page-break-inside: avoid; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { color: #555; font-weight: normal; }
.answer { font-size: 1.25em; background: #eef6fb; border-left: 5px solid #0072b2; padding: 0.7em 1em; }
.warning { background: #fdf3e7; border-left: 5px solid #d55e00; padding: 0.6em 1em; }
.big { font-size: 1.5em; font-weight: bold; color: #0072b2; }
td.ranking { white-space: nowrap; }
.named { display: inline-flex; align-items: baseline; }
.named .swatch { flex: none; }
td.ranking { font-size: 0.9em; }
.wide { overflow-x: auto; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; }
svg { max-width: 100%; height: auto; }
.pair { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.pair svg { max-width: 100%; }
.pair svg:last-child { max-width: 600px; }
@media print { body { max-width: none; } .answer { background: none; } }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"));
    }
}
