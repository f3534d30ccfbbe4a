//! `report.html`: one self-contained page a reviewer reads top to bottom.
//!
//! It is built only from a run's typed [`Results`] and each option's value
//! over the draws (as in `summary.json` and `samples.parquet`), so `chh-psa
//! report DIR` rebuilds the same page, and every number in it is one of the
//! results'. Plots are inline SVG; a content security policy forbids the
//! page any request.

use std::fmt::Write as _;
use std::path::Path;

use super::{AtomicFile, parquet, plots, svg};
use crate::error::{Error, Result};
use crate::results::{PairResult, Results};

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

/// £ in millions for people: £24.6m, −£8.2m.
pub fn money(gbp: f64) -> String {
    let m = gbp / 1e6;
    let digits = if m.abs() < 0.995 { 2 } else { 1 };
    if m < 0.0 {
        format!("−£{:.digits$}m", -m)
    } else {
        format!("£{m:.digits$}m")
    }
}

/// A probability with its Monte Carlo error: 0.924 ± 0.003.
pub fn probability(p: f64, mcse: f64) -> String {
    format!("{p:.3} ± {mcse:.3}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number cell: formatted for people, the exact value kept for machines.
fn num(value: f64, shown: String) -> String {
    format!(
        "<td class=\"num\" data-value=\"{value:e}\">{}</td>",
        escape(&shown)
    )
}

/// A figure for the page: inline SVG with its text alternative.
fn figure(svg: &str, title: &str) -> String {
    svg::titled(svg, title)
}

/// Running estimates at about 80 draw counts spaced evenly on a log scale.
fn checkpoints(n: usize) -> Vec<usize> {
    let start = 50.min(n).max(1);
    let mut points: Vec<usize> = (0..=80)
        .map(|i| (start as f64 * (n as f64 / start as f64).powf(i as f64 / 80.0)).round() as usize)
        .collect();
    points.dedup();
    points
}

/// Builds `report.html` in `dir` from the run's files there.
pub fn write(dir: &Path) -> Result<std::path::PathBuf> {
    // Nothing else may write the folder meanwhile (a run committing there).
    let _lock = super::atomic::FolderLock::acquire(dir)?;
    let results = super::summary::read_json(&dir.join("summary.json"))?;
    let samples_path = dir.join("samples.parquet");
    // The option values and the inputs drawn in scatter plots only.
    let options: Vec<String> = results
        .options
        .keys()
        .map(|id| format!("{id}_pv_gbp"))
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

/// As [`write`], given the results and the draws as the run holds them, so
/// a run need not read them back. `chh-psa report` rebuilds the same page
/// from the files.
pub fn write_from_run(dir: &Path, results: &Results, draws: &Draws) -> Result<std::path::PathBuf> {
    let path = dir.join("report.html");
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
}

type Drawn = std::result::Result<(), String>;

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
    question(&mut h, &page);
    answer(&mut h, &page);
    headline(&mut h, &page);
    distributions(&mut h, &page)?;
    difference(&mut h, &page)?;
    decision_curve(&mut h, &page)?;
    ranks(&mut h, &page)?;
    pairwise(&mut h, &page)?;
    tornado(&mut h, &page)?;
    two_way(&mut h, page.r);
    budget(&mut h, &page)?;
    scenarios(&mut h, &page);
    robustness(&mut h, &page)?;
    value_of_information(&mut h, r);
    convergence(&mut h, &page)?;
    parameters(&mut h, r);
    let _ = write!(h, "\n</body>\n</html>");
    Ok(h)
}

/// "Does A beat B?" for the headline pair, else which option is best.
fn question_text(r: &Results) -> String {
    match r.decision.headline() {
        Some((_, p)) => format!("Does {} beat {}{}?", p.a, p.b, by_margin(p)),
        None => "Which option is best?".into(),
    }
}

fn by_margin(p: &PairResult) -> String {
    if p.margin_gbp > 0.0 {
        format!(" by more than {}", money(p.margin_gbp))
    } else {
        String::new()
    }
}

fn question(w: &mut String, page: &Page) {
    let r = page.r;
    let run = &r.run;
    let asked = if r.decision.pairs.is_empty() {
        "This run compares no pairs of options, so it reports how likely each option is to be best and to take each rank.".to_string()
    } else {
        let pairs: Vec<String> = r
            .decision
            .pairs
            .values()
            .map(|p| format!("{} against {}", escape(&p.a), escape(&p.b)))
            .collect();
        format!(
            "It compares {} (the first is the headline){}.",
            pairs.join("; "),
            if r.decision.margin_gbp > 0.0 {
                format!(
                    ", counting an option as better only when its value exceeds the other's by more than {}",
                    money(r.decision.margin_gbp)
                )
            } else {
                String::new()
            }
        )
    };
    let _ = write!(
        w,
        "<h1>Roll-out options: probabilistic sensitivity analysis</h1><section id=\"question\"><h2>The question and this run</h2>\
         <p>{options} options over {horizon} years, each valued as net health-system efficiency against the comparator \
         (£, present value at the stated discount rate). Every assumption is a distribution and the roll-out itself is \
         sampled; all options are evaluated on the same draws. {asked}</p>\
         <table class=\"meta\"><tr><th>draws</th><td>{draws}</td><th>seed</th><td>{seed}</td><th>engine</th><td>chh-psa {version}</td></tr>\
         <tr><th>inputs hash</th><td colspan=\"3\"><code>{hash}</code></td><th>report date</th><td>{date}</td></tr>\
         <tr><th>run file hash</th><td colspan=\"5\"><code>{run_hash}</code></td></tr>\
         <tr><th>sampling</th><td colspan=\"5\">{design}; parameters sampled: {params}; roll-out sampled: {rollout}</td></tr></table>",
        options = page.ids.len(),
        horizon = run.horizon_years,
        draws = run.samples,
        seed = run.seed,
        version = escape(&r.engine.version),
        hash = escape(&run.inputs_hash),
        run_hash = escape(&run.run_file_hash),
        date = today(),
        design = escape(&run.sampling_design),
        params = run.uncertainty.parameters,
        rollout = run.uncertainty.rollout,
    );
    if let Some(stopping) = &r.stopping {
        let _ = write!(
            w,
            "<p class=\"note\">Precision-driven run: {}; stopped by {} at {} draws (MCSE {:.5}).</p>",
            escape(&stopping.rule),
            escape(&stopping.stopped_by),
            stopping.draws,
            stopping.mcse
        );
    }
    let _ = write!(w, "</section>");
}

/// The answer, first screen: the headline pair's verdict, then the others.
fn answer(w: &mut String, page: &Page) {
    let r = page.r;
    let best = &r.best_option_by_mean;
    let best_p = r.options.get(best).map(|o| o.p_best);
    let _ = write!(
        w,
        "<section id=\"answer\"><h2>The answer</h2><p class=\"question\">{}</p>",
        escape(&question_text(r))
    );
    if let Some((_, p)) = r.decision.headline() {
        let q = &p.p_a_beats_b;
        let _ = write!(
            w,
            "<p class=\"answer\"><strong>{verdict}.</strong> {a} has the higher present value{margin} in \
             <span class=\"big\" data-value=\"{est:e}\">{pct:.1}%</span> of draws \
             (P = <span data-value=\"{mcse:e}\">{pm}</span> Monte Carlo standard error; 95% Wilson interval \
             <span data-value=\"{low:e}\">{low:.3}</span> to <span data-value=\"{high:e}\">{high:.3}</span>). \
             On average {a} is worth {diff} more than {b} (95% of draws between {lo} and {hi}).</p>",
            verdict = escape(&p.verdict),
            a = escape(&p.a),
            b = escape(&p.b),
            margin = escape(&by_margin(p)),
            est = q.estimate,
            pct = q.estimate * 100.0,
            mcse = q.mcse,
            pm = probability(q.estimate, q.mcse),
            low = q.wilson_low,
            high = q.wilson_high,
            diff = money(p.mean_difference_gbp),
            lo = money(p.difference_p2_5_gbp),
            hi = money(p.difference_p97_5_gbp),
        );
    }
    if r.decision.pairs.len() > 1 {
        let _ = write!(
            w,
            "<table><thead><tr><th>A against B</th><th>P(A beats B)</th><th>verdict</th><th>mean A − B</th><th>95% interval of A − B</th></tr></thead><tbody>"
        );
        for p in r.decision.pairs.values() {
            let q = &p.p_a_beats_b;
            let _ = write!(
                w,
                "<tr data-pair=\"{a}-{b}\"><td>{a} against {b}</td>{}<td>{}</td>{}<td class=\"num\">{} to {}</td></tr>",
                num(q.estimate, probability(q.estimate, q.mcse)),
                escape(&p.verdict),
                num(p.mean_difference_gbp, money(p.mean_difference_gbp)),
                money(p.difference_p2_5_gbp),
                money(p.difference_p97_5_gbp),
                a = escape(&p.a),
                b = escape(&p.b),
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    if !r.decision.pairs.is_empty() {
        let bands: Vec<String> = r
            .decision
            .verdict_bands
            .iter()
            .map(|b| format!("{:.2}–{:.2} “{}”", b.low, b.high, escape(&b.verdict)))
            .collect();
        let _ = write!(
            w,
            "<p class=\"note\">The verdict follows the probability itself, not its precision: {}. \
             The Monte Carlo standard error says how precisely the draws pin that probability down; \
             more draws shrink it but do not move the verdict's band.</p>",
            bands.join("; ")
        );
    }
    let _ = write!(
        w,
        "<p>Best option by expected present value: <strong>{}</strong>{}; expected value of perfect information {}.</p></section>",
        escape(best),
        best_p.map_or_else(String::new, |p| format!(
            " (P(best) {})",
            probability(p.estimate, p.mcse)
        )),
        money(r.evpi_gbp),
    );
}

fn headline(w: &mut String, page: &Page) {
    let _ = write!(
        w,
        "<section id=\"headline\"><h2>Results by option</h2><p>Net efficiency against the comparator. Base case: the deterministic model at base values. \
         PSA: mean over draws with its Monte Carlo standard error, and the 2.5th to 97.5th percentile.</p>\
         <table><thead><tr><th>option</th><th>base PV</th><th>mean PV</th><th>MCSE</th><th>95% interval (PV)</th>\
         <th>base nominal</th><th>mean nominal</th><th>95% interval (nominal)</th><th>P(best)</th><th>expected loss</th></tr></thead><tbody>"
    );
    for (k, (id, o)) in page.r.options.iter().enumerate() {
        let (pvs, nom) = (&o.pv_gbp, &o.nominal_gbp);
        let _ = write!(
            w,
            "<tr data-option=\"{id}\"><td><span class=\"swatch\" style=\"background:{c}\"></span>{id}</td>{}{}{}<td class=\"num\">{} to {}</td>{}{}<td class=\"num\">{} to {}</td>{}{}</tr>",
            num(o.base_case.pv_gbp, money(o.base_case.pv_gbp)),
            num(pvs.mean, money(pvs.mean)),
            num(pvs.mcse_mean, money(pvs.mcse_mean)),
            money(pvs.p2_5),
            money(pvs.p97_5),
            num(o.base_case.nominal_gbp, money(o.base_case.nominal_gbp)),
            num(nom.mean, money(nom.mean)),
            money(nom.p2_5),
            money(nom.p97_5),
            num(
                o.p_best.estimate,
                probability(o.p_best.estimate, o.p_best.mcse)
            ),
            num(o.expected_loss_gbp, money(o.expected_loss_gbp)),
            id = escape(id),
            c = plots::colour_hex(k),
        );
    }
    let _ = write!(w, "</tbody></table></section>");
}

fn distributions(w: &mut String, page: &Page) -> Drawn {
    let _ = write!(
        w,
        "<section id=\"distributions\"><h2>Distribution of each option's present value</h2>{}</section>",
        figure(
            &plots::distributions(
                &page.ids,
                page.pv,
                "present value against the comparator, £m"
            )?,
            "Histograms of each option's present value against the comparator over the draws"
        )
    );
    Ok(())
}

/// Each pair's paired difference over the draws, and its draws as points.
fn difference(w: &mut String, page: &Page) -> Drawn {
    let r = page.r;
    let _ = write!(
        w,
        "<section id=\"difference\"><h2>The difference itself</h2>"
    );
    if r.decision.pairs.is_empty() {
        let _ = write!(w, "<p>This run compares no pairs of options.</p></section>");
        return Ok(());
    }
    let _ = write!(
        w,
        "<p>Two options' own distributions can overlap almost entirely while one beats the other in nearly every draw: \
         the comparison is in their paired difference, draw by draw. Shaded: the draws where A leads by more than the margin. \
         Beside it, the first 2,000 draws as points, above the diagonal where A leads.</p>"
    );
    for p in r.decision.pairs.values() {
        let (a, b) = (page.index(&p.a), page.index(&p.b));
        let difference: Vec<f64> = page.pv[a]
            .iter()
            .zip(&page.pv[b])
            .map(|(x, y)| x - y)
            .collect();
        let _ = write!(
            w,
            "<h3>{a} against {b}</h3><div class=\"pair\">{}{}</div>",
            figure(
                &plots::difference_histogram(
                    &difference,
                    p.margin_gbp,
                    &format!("PV of {} less PV of {}", p.a, p.b)
                )?,
                &format!(
                    "Histogram of the PV of {} less the PV of {} over the draws, shaded above the margin",
                    p.a, p.b
                )
            ),
            figure(
                &plots::pair_scatter(&page.pv[a], &page.pv[b], (&p.a, &p.b), p.margin_gbp)?,
                &format!(
                    "Each draw's PV of {} (up) against that of {} (across), with the diagonal",
                    p.a, p.b
                )
            ),
            a = escape(&p.a),
            b = escape(&p.b),
        );
    }
    let _ = write!(w, "</section>");
    Ok(())
}

fn decision_curve(w: &mut String, page: &Page) -> Drawn {
    let r = page.r;
    let _ = write!(
        w,
        "<section id=\"decision-curve\"><h2>How the answer depends on the margin</h2>"
    );
    if r.decision.pairs.is_empty() {
        let _ = write!(w, "<p>This run compares no pairs of options.</p></section>");
        return Ok(());
    }
    let curves: Vec<plots::MarginCurve> = r
        .decision
        .pairs
        .values()
        .map(|p| plots::MarginCurve {
            label: format!("P({} − {} > m)", p.a, p.b),
            colour: page.index(&p.a),
            points: p
                .curve
                .iter()
                .map(|c| (c.margin_gbp, c.p_a_beats_b))
                .collect(),
        })
        .collect();
    let _ = write!(
        w,
        "<p>The probability that A's present value exceeds B's by more than a margin m, for every m: \
         the acceptability curve of a choice already valued in £. Read off the margin a decision-maker \
         needs; the vertical line is the run's decision margin. The curves are in <code>decision_curve.parquet</code>.</p>{}</section>",
        figure(
            &plots::margin_curves(&curves, r.decision.margin_gbp)?,
            "The probability that A's PV exceeds B's by more than a margin, over margins, for each pair"
        )
    );
    Ok(())
}

fn ranks(w: &mut String, page: &Page) -> Drawn {
    let p_rank: Vec<Vec<f64>> = page.r.options.values().map(|o| o.p_rank.clone()).collect();
    let _ = write!(
        w,
        "<section id=\"ranks\"><h2>Rank probabilities</h2>{}<table><thead><tr><th>option</th>",
        figure(&plots::rankogram(&page.ids, &p_rank)?, "Rank probabilities")
    );
    for r in 1..=page.ids.len() {
        let _ = write!(w, "<th>P(rank {r})</th>");
    }
    let _ = write!(w, "</tr></thead><tbody>");
    for (id, row) in page.ids.iter().zip(&p_rank) {
        let _ = write!(w, "<tr><td>{}</td>", escape(id));
        for p in row {
            let _ = write!(w, "{}", num(*p, format!("{p:.3}")));
        }
        let _ = write!(w, "</tr>");
    }
    let _ = write!(w, "</tbody></table></section>");
    Ok(())
}

fn pairwise(w: &mut String, page: &Page) -> Drawn {
    let matrix: Vec<Vec<f64>> = page
        .r
        .options
        .values()
        .map(|o| {
            page.ids
                .iter()
                .map(|id| o.p_beats.get(id).copied().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let _ = write!(
        w,
        "<section id=\"pairwise\"><h2>Which option beats which</h2>{}</section>",
        figure(
            &plots::pairwise(&page.ids, &matrix)?,
            "The probability that each option (row) beats each other (column), as a heat map"
        )
    );
    Ok(())
}

fn tornado(w: &mut String, page: &Page) -> Drawn {
    let t = &page.r.tornado;
    let _ = write!(
        w,
        "<section id=\"tornado\"><h2>One-way sensitivity (tornado)</h2><p>Each parameter from its low to its high value \
         (the 2.5th and 97.5th percentiles of its distribution unless declared), all others at base. The red line is the \
         deterministic base case ({}); a black whisker shows the range over the grid where the effect turns inside the range.</p>{}</section>",
        money(t.base_case_gbp),
        figure(
            &svg::tornado_svg(&t.to_tornado(&page.ids), &t.outcome, &page.ids)?,
            &format!(
                "Tornado: {} as each parameter moves from its low to its high value, all others at base",
                t.outcome
            )
        )
    );
    let _ = write!(w, "<section id=\"switch-points\"><h2>Switch points</h2>");
    if t.switch_points.is_empty() {
        let _ = write!(
            w,
            "<p>No parameter, within its range, changes the preferred option or the sign of {}.</p>",
            escape(&t.outcome)
        );
    } else {
        let _ = write!(
            w,
            "<table><thead><tr><th>parameter</th><th>what changes</th><th>value</th><th>below</th><th>above</th></tr></thead><tbody>"
        );
        for p in &t.switch_points {
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td></tr>",
                escape(&p.parameter),
                escape(&p.kind),
                num(p.value, svg::short(p.value)),
                escape(&p.below),
                escape(&p.above)
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");
    Ok(())
}

/// Each two-way analysis as a heat map with its switch boundary.
fn two_way(w: &mut String, r: &Results) {
    let _ = write!(w, "<section id=\"two-way\"><h2>Two-way sensitivity</h2>");
    if r.two_way.is_empty() {
        let _ = write!(
            w,
            "<p>This run asks for no two-way analysis (`[[two_way]]` in the run file).</p></section>"
        );
        return;
    }
    for t in &r.two_way {
        let _ = write!(
            w,
            "<p>{} over {} (across) and {} (up), every other parameter at base and the roll-out at its expectation. \
             The black line is where it changes sign; the cross is the base case. The grid is in <code>two_way.parquet</code>.</p>{}",
            escape(&t.outcome),
            escape(&t.parameters[0]),
            escape(&t.parameters[1]),
            plots::two_way_heat_map(t)
        );
    }
    let _ = write!(w, "</section>");
}

/// Each option's money year by year, when it pays back, and how sure that is.
fn budget(w: &mut String, page: &Page) -> Drawn {
    let _ = write!(w, "<section id=\"budget\"><h2>The budget year by year</h2>");
    let Some(y) = &page.r.yearly else {
        let _ = write!(
            w,
            "<p>This summary was written before the engine reported the yearly budget.</p></section>"
        );
        return Ok(());
    };
    let fans = |of: fn(&crate::results::BudgetYear) -> crate::results::Spread| {
        y.options
            .iter()
            .map(|(id, o)| plots::Fan {
                label: id.clone(),
                colour: page.index(id),
                years: o.years.iter().map(of).collect(),
            })
            .collect::<Vec<_>>()
    };
    let comparator = escape(&y.comparator);
    let _ = write!(
        w,
        "<p>Cash in the price year, undiscounted: what each option costs (running cost plus start-up and backfill) \
         and what the activity its hubs avoid is worth, year by year, over the draws. These are efficiencies: activity \
         avoided frees capacity, it does not release cash at once. Light band: 2.5th to 97.5th percentile; dark band: \
         25th to 75th; line: median; dots: the base case. Every figure is in <code>yearly.parquet</code>.</p>\
         <h3>Net value each year (value avoided less investment)</h3>{}\
         <h3>Cumulative net efficiency against {comparator}</h3>\
         <p>The option's net less {comparator}'s, summed from year 1. The option has paid back once this is above zero.</p>{}",
        figure(
            &plots::fans(&fans(|b| b.net_gbp), "net, £m")?,
            "Fan charts of each option's net value each year over the draws"
        ),
        figure(
            &plots::fans(&fans(|b| b.cumulative_net_efficiency_gbp), "cumulative, £m")?,
            "Fan charts of each option's cumulative net efficiency against the comparator"
        ),
    );
    let horizon = y.options.values().map(|o| o.years.len()).max().unwrap_or(0);
    let _ = write!(
        w,
        "<h3>When each option pays back</h3><p>The share of draws in which the cumulative net efficiency against \
         {comparator} has turned positive by the end of each year (the payback year is the first such year).</p>\
         <table><tr><th>option</th>"
    );
    for t in 1..=horizon {
        let _ = write!(w, "<th>by year {t}</th>");
    }
    let _ = write!(w, "<th>never</th><th>median payback year</th></tr>");
    for (id, o) in &y.options {
        let _ = write!(w, "<tr><td>{}</td>", escape(id));
        for b in &o.years {
            w.push_str(&num(
                b.p_paid_back_by_year,
                format!("{:.3}", b.p_paid_back_by_year),
            ));
        }
        w.push_str(&num(
            o.p_never_paid_back,
            format!("{:.3}", o.p_never_paid_back),
        ));
        let median = o
            .median_payback_year
            .map_or("never".to_string(), |t| t.to_string());
        let _ = write!(w, "<td class=\"num\">{median}</td></tr>");
    }
    let _ = write!(w, "</table>");
    type Quantity = fn(&crate::results::BudgetYear) -> &crate::results::Spread;
    let tables: [(&str, Quantity); 3] = [
        ("Investment (running plus transition cost)", |b| {
            &b.investment_gbp
        }),
        ("Value of activity avoided", |b| &b.value_avoided_gbp),
        ("Net value", |b| &b.net_gbp),
    ];
    for (title, of) in tables {
        let _ = write!(
            w,
            "<h3>{title}: mean over the draws, £m</h3><table><tr><th>option</th>"
        );
        for t in 1..=horizon {
            let _ = write!(w, "<th>year {t}</th>");
        }
        let _ = write!(w, "</tr>");
        for (id, o) in &y.options {
            let _ = write!(w, "<tr><td>{}</td>", escape(id));
            for b in &o.years {
                let mean = of(b).mean;
                w.push_str(&num(mean, format!("{:.2}", mean / 1e6)));
            }
            let _ = write!(w, "</tr>");
        }
        let _ = write!(w, "</table>");
    }
    let _ = write!(
        w,
        "<p class=\"note\">Percentiles are read from counts in narrow buckets, each within {:.3}% of the exact value; means are exact.</p></section>",
        y.percentile_relative_accuracy * 100.0
    );
    Ok(())
}

fn scenarios(w: &mut String, page: &Page) {
    let r = page.r;
    let _ = write!(w, "<section id=\"scenarios\"><h2>Scenarios</h2>");
    if r.scenarios.is_empty() {
        let _ = write!(w, "<p>This run declares no scenarios.</p></section>");
        return;
    }
    let _ = write!(
        w,
        "<p>Each scenario is run on the same draws as the main analysis.</p><table><thead><tr><th>scenario</th><th>ranking by mean PV</th>"
    );
    for p in r.decision.pairs.values() {
        let _ = write!(
            w,
            "<th>P({} beats {}{})</th>",
            escape(&p.a),
            escape(&p.b),
            escape(&by_margin(p))
        );
    }
    for id in &page.ids {
        let _ = write!(w, "<th>mean PV {}</th>", escape(id));
    }
    let _ = write!(w, "</tr></thead><tbody>");
    for sc in &r.scenarios {
        let _ = write!(
            w,
            "<tr><td>{}</td><td>{}</td>",
            escape(&sc.name),
            escape(&sc.ranking_by_mean_pv.join(" > ")),
        );
        for key in r.decision.pairs.keys() {
            let cell = match sc.pairs.get(key) {
                Some(p) => num(p.estimate, probability(p.estimate, p.mcse)),
                None => "<td>–</td>".into(),
            };
            let _ = write!(w, "{cell}");
        }
        for id in &page.ids {
            let v = sc.mean_pv_gbp.get(id).copied().unwrap_or(f64::NAN);
            let _ = write!(w, "{}", num(v, money(v)));
        }
        let _ = write!(w, "</tr>");
    }
    let _ = write!(w, "</tbody></table></section>");
}

fn robustness(w: &mut String, page: &Page) -> Drawn {
    let rob = &page.r.ranking_robustness;
    let _ = write!(
        w,
        "<section id=\"robustness\"><h2>Robustness of the published ranking</h2>"
    );
    match (
        &rob.published_ranking,
        rob.share_of_draws_with_published_ranking,
    ) {
        (Some(ranking), Some(share)) => {
            let _ = write!(
                w,
                "<p>The published ranking ({}) holds in <span data-value=\"{share:e}\">{:.1}%</span> of draws.</p>",
                escape(&ranking.join(" > ")),
                share * 100.0
            );
        }
        _ => {
            let _ = write!(
                w,
                "<p>This run's options are not those of the published analysis, so there is no published ranking to test.</p>"
            );
        }
    }
    // The roll-out's own outcomes (hub-years operated) are not assumptions
    // one could change: they are shown apart from the inputs.
    for (rollout, what) in [
        (false, "each sampled input"),
        (
            true,
            "each option's hub-years operated (the roll-out's own outcome, not an input)",
        ),
    ] {
        let mut rho: Vec<_> = rob
            .spearman
            .iter()
            .filter(|c| c.input.ends_with("_hub_years") == rollout)
            .collect();
        if rho.is_empty() {
            continue;
        }
        rho.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
        let _ = write!(
            w,
            "<p>Spearman rank correlation of {what} with {} (all inputs varying at once):</p><table><thead><tr><th>{}</th><th>ρ</th></tr></thead><tbody>",
            escape(&rob.spearman_outcome),
            if rollout { "roll-out outcome" } else { "input" }
        );
        for c in rho {
            let _ = write!(
                w,
                "<tr><td>{}</td>{}</tr>",
                escape(&c.input),
                num(c.rho, format!("{:+.2}", c.rho))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    if let Some(outcome) = rob.outcome_over_draws(&page.ids, page.pv) {
        let inputs: Vec<plots::InputDraws> = rob
            .strongest_inputs(SCATTERED_INPUTS)
            .iter()
            .filter_map(|c| {
                let (_, values) = page.inputs.iter().find(|(name, _)| *name == c.input)?;
                Some(plots::InputDraws {
                    name: &c.input,
                    rho: c.rho,
                    values,
                })
            })
            .collect();
        let svg = plots::input_scatters(&inputs, &outcome, "outcome")?;
        if !svg.is_empty() {
            let _ = write!(
                w,
                "<h3>The strongest inputs, draw by draw</h3><p>{} (up, £m) against the value of each of the {} inputs most strongly \
                 rank-correlated with it (across), over the first 2,000 draws; below the black line the decision turns.</p>{}",
                escape(&rob.spearman_outcome),
                inputs.len(),
                figure(
                    &svg,
                    &format!(
                        "Scatter plots of {} against each of the inputs most strongly rank-correlated with it",
                        rob.spearman_outcome
                    )
                )
            );
        }
    }
    let mut shares: Vec<_> = rob.variance_shares.iter().collect();
    shares.sort_by(|a, b| b.share.total_cmp(&a.share));
    if !shares.is_empty() {
        let _ = write!(
            w,
            "<p>First-order variance share of each sampled parameter: the share of the variance of {} that learning it alone would remove, \
             Var(E[outcome | parameter]) / Var(outcome) (the Sobol first-order index, estimated from the first {} draws by the EVPPI's regression). \
             Shares below one in total leave the rest to interactions and to the roll-out's own events.</p>\
             <table><thead><tr><th>parameter</th><th>share</th><th>se</th></tr></thead><tbody>",
            escape(&rob.spearman_outcome),
            rob.variance_share_draws
        );
        for s in shares.iter().take(12) {
            let _ = write!(
                w,
                "<tr><td>{}</td>{}<td>{:.3}</td></tr>",
                escape(&s.input),
                num(s.share, format!("{:.3}", s.share)),
                s.se
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");
    Ok(())
}

/// EVPI and EVPPI, and the correlated parameters' achieved correlations.
fn value_of_information(w: &mut String, r: &Results) {
    let thousands = |gbp: f64| format!("£{:.1}k", gbp / 1e3);
    let _ = write!(
        w,
        "<section id=\"value-of-information\"><h2>Value of information</h2>"
    );
    let _ = write!(
        w,
        "<p>Expected value of perfect information (EVPI): {} (± {} MCSE): what removing every uncertainty before deciding would be worth, against choosing the option best on average.</p>",
        num(r.evpi_gbp, thousands(r.evpi_gbp)),
        thousands(r.evpi_mcse_gbp)
    );
    if let Some(s) = r.evppi.as_ref().and_then(|e| e.split.as_ref()) {
        let pct =
            |share: Option<f64>| share.map_or_else(|| "–".into(), |x| format!("{:.0}%", 100.0 * x));
        let _ = write!(
            w,
            "<p>Of the EVPI, <strong>{}</strong> (± {}, {} of it) is what learning every sampled parameter together could be worth: \
             the most any research on the parameters could return. The other <strong>{}</strong> ({}) is the hub-level roll-out \
             (which hubs open, and when), which no research can learn before deciding. The learnable part is estimated without \
             regression, by nested Monte Carlo ({} parameter draws, each with {} redraws of the roll-out).</p>",
            thousands(s.learnable_gbp),
            thousands(s.learnable_se_gbp),
            pct(s.learnable_share),
            thousands(s.irreducible_gbp),
            pct(s.irreducible_share),
            s.outer_draws,
            s.inner_draws
        );
    }
    if let Some(e) = &r.evppi {
        // Groups first, then every parameter by its value: none left out.
        let mut ordered: Vec<_> = e.rows.iter().filter(|row| row.kind == "group").collect();
        let mut singles: Vec<_> = e.rows.iter().filter(|row| row.kind != "group").collect();
        singles.sort_by(|a, b| b.evppi_gbp.total_cmp(&a.evppi_gbp));
        ordered.extend(singles);
        let label = |row: &crate::results::EvppiRow| {
            if row.kind == "group" {
                format!("{} (group of {})", row.name, row.members.len())
            } else {
                row.name.clone()
            }
        };
        let mut bars: Vec<plots::ValueBar> = Vec::new();
        if let Some(s) = &e.split {
            bars.push(plots::ValueBar {
                label: "every sampled parameter (learnable)".into(),
                gbp: s.learnable_gbp,
                se: s.learnable_se_gbp,
                kind: plots::BarKind::Split,
            });
            bars.push(plots::ValueBar {
                label: "roll-out events (irreducible)".into(),
                gbp: s.irreducible_gbp,
                se: s.learnable_se_gbp,
                kind: plots::BarKind::Split,
            });
        }
        bars.extend(ordered.iter().map(|row| plots::ValueBar {
            label: label(row),
            gbp: row.evppi_gbp,
            se: row.se_gbp,
            kind: if row.kind == "group" {
                plots::BarKind::Group
            } else {
                plots::BarKind::Parameter
            },
        }));
        let _ = write!(
            w,
            "<p>Expected value of partial perfect information (EVPPI): what learning one parameter, or a group together, exactly \
             would be worth before deciding, by regression on {} draws ({}). The hub-level roll-out events (which hubs open and when) \
             count in the EVPI but cannot be learnt before deciding, so no EVPPI includes them. Every group and parameter is shown.</p>{}\
             <table><thead><tr><th>learning</th><th>EVPPI</th><th>se</th><th>share of EVPI</th></tr></thead><tbody>",
            e.draws_used,
            escape(&e.method),
            plots::evppi_bars(&bars, e.evpi_gbp)
        );
        for row in ordered {
            let _ = write!(
                w,
                "<tr><td>{}</td>{}<td>{}</td><td>{}</td></tr>",
                escape(&label(row)),
                num(row.evppi_gbp, thousands(row.evppi_gbp)),
                thousands(row.se_gbp),
                row.share_of_evpi
                    .map_or_else(|| "–".into(), |s| format!("{:.0}%", 100.0 * s))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    if !r.evsi.is_empty() {
        let traces: Vec<plots::Trace> = r
            .evsi
            .iter()
            .enumerate()
            .map(|(k, s)| plots::Trace {
                label: format!("EVSI, {}", s.name),
                colour: k + 1,
                points: s
                    .points
                    .iter()
                    .map(|p| plots::Trace::normal_band(p.size as f64, p.evsi_gbp, p.se_gbp / 1.96))
                    .collect(),
            })
            .collect();
        let _ = write!(
            w,
            "<p>Expected value of sample information (EVSI): what each declared study would be worth at each size, by regression on the \
             study's simulated summary statistic (Strong et al. 2015), with the expected net benefit of sampling (EVSI less the study's cost). \
             The EVPPI of the parameters a study informs is what a study of unlimited size would be worth.</p>{}\
             <table><thead><tr><th>study</th><th>size</th><th>EVSI</th><th>se</th><th>cost</th><th>net benefit of sampling</th><th>EVPPI of its parameters</th></tr></thead><tbody>",
            figure(
                &plots::log_traces(&traces, "sample size (log scale)", "EVSI, £k", 1e3)
                    .unwrap_or_default(),
                "Each study's expected value of sample information over its sample size"
            ),
        );
        for s in &r.evsi {
            for p in &s.points {
                let _ = write!(
                    w,
                    "<tr><td>{}</td><td class=\"num\">{}</td>{}<td>{}</td><td>{}</td>{}<td>{}</td></tr>",
                    escape(&s.name),
                    p.size,
                    num(p.evsi_gbp, thousands(p.evsi_gbp)),
                    thousands(p.se_gbp),
                    thousands(p.cost_gbp),
                    num(p.enbs_gbp, thousands(p.enbs_gbp)),
                    thousands(s.evppi_gbp)
                );
            }
        }
        let _ = write!(w, "</tbody></table>");
    }
    if !r.correlated_parameters.is_empty() {
        let _ = write!(
            w,
            "<p>Correlated parameters (Gaussian copula), Spearman rank correlation declared and achieved in the draws:</p><table><thead><tr><th>parameters</th><th>target</th><th>achieved</th></tr></thead><tbody>"
        );
        for p in &r.correlated_parameters {
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{:.3}{}</td>{}</tr>",
                escape(&p.parameters.join(" ~ ")),
                p.target_spearman,
                if p.repaired {
                    format!(" (repaired to {:.3})", p.imposed_spearman)
                } else {
                    String::new()
                },
                num(p.achieved_spearman, format!("{:.3}", p.achieved_spearman))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");
}

/// Running estimates of the headline probability and each option's mean.
fn convergence(w: &mut String, page: &Page) -> Drawn {
    let (r, pv) = (page.r, page.pv);
    let points = checkpoints(pv.first().map_or(0, Vec::len));
    let mut convergence = String::new();
    if let Some((_, p)) = r.decision.headline() {
        let (a, b) = (page.index(&p.a), page.index(&p.b));
        let mut wins = 0usize;
        let mut trace = Vec::new();
        let mut next = points.iter().peekable();
        for (i, (x, y)) in pv[a].iter().zip(&pv[b]).enumerate() {
            wins += usize::from(x - y > p.margin_gbp);
            if next.peek().is_some_and(|&&c| c == i + 1) {
                next.next();
                let q = crate::analysis::stats::proportion(wins as u64, (i + 1) as u64, 0.95);
                trace.push(((i + 1) as f64, q.estimate, q.wilson_low, q.wilson_high));
            }
        }
        let title = format!(
            "Running estimate of P({} beats {}) with its 95% Wilson band, over the draws",
            p.a, p.b
        );
        convergence.push_str(&figure(
            &plots::convergence(
                &[plots::Trace {
                    label: format!("P({} beats {}{})", p.a, p.b, by_margin(p)),
                    colour: a,
                    points: trace,
                }],
                "probability",
                1.0,
            )?,
            &title,
        ));
        // The headline difference's running mean, in £m.
        let (mut sum, mut sum2) = (0.0, 0.0);
        let mut trace = Vec::new();
        let mut next = points.iter().peekable();
        for (i, (x, y)) in pv[a].iter().zip(&pv[b]).enumerate() {
            let d = x - y;
            sum += d;
            sum2 += d * d;
            if next.peek().is_some_and(|&&c| c == i + 1) {
                next.next();
                let m = (i + 1) as f64;
                let mean = sum / m;
                let var = ((sum2 - m * mean * mean) / (m - 1.0).max(1.0)).max(0.0);
                trace.push(plots::Trace::normal_band(m, mean, (var / m).sqrt()));
            }
        }
        let title = format!(
            "Running mean of the PV of {} less that of {}, with its 95% interval, over the draws",
            p.a, p.b
        );
        convergence.push_str(&figure(
            &plots::convergence(
                &[plots::Trace {
                    label: format!("mean PV of {} less PV of {}", p.a, p.b),
                    colour: a,
                    points: trace,
                }],
                "mean difference, £m",
                1e6,
            )?,
            &title,
        ));
    }
    let mean_traces: Vec<plots::Trace> = pv
        .iter()
        .enumerate()
        .filter(|(_, v)| v.iter().any(|x| *x != v[0]))
        .map(|(k, v)| {
            let (mut sum, mut sum2) = (0.0, 0.0);
            let mut trace = Vec::new();
            let mut next = points.iter().peekable();
            for (i, x) in v.iter().enumerate() {
                sum += x;
                sum2 += x * x;
                if next.peek().is_some_and(|&&c| c == i + 1) {
                    next.next();
                    let m = (i + 1) as f64;
                    let mean = sum / m;
                    let var = ((sum2 - m * mean * mean) / (m - 1.0).max(1.0)).max(0.0);
                    trace.push(plots::Trace::normal_band(m, mean, (var / m).sqrt()));
                }
            }
            plots::Trace {
                label: format!("mean PV, {}", page.ids[k]),
                colour: k,
                points: trace,
            }
        })
        .collect();
    convergence.push_str(&figure(
        &plots::convergence(&mean_traces, "mean present value, £m", 1e6)?,
        "Running mean of each option's present value, with its 95% interval, over the draws",
    ));
    if convergence.is_empty() {
        convergence.push_str(
            "<p>Nothing varies across the draws of this run, so there is nothing to converge.</p>",
        );
    }
    let _ = write!(
        w,
        "<section id=\"convergence\"><h2>Convergence</h2><p>Running estimates against the number of draws, with a band of ±1.96 Monte Carlo standard errors.</p>{convergence}</section>"
    );
    Ok(())
}

fn parameters(w: &mut String, r: &Results) {
    let _ = write!(
        w,
        "<section id=\"parameters\"><h2>Parameters</h2><table><thead><tr><th>parameter</th><th>unit</th><th>as entered</th><th>as sampled</th><th>base</th><th>2.5%</th><th>97.5%</th><th>source</th></tr></thead><tbody>"
    );
    for p in &r.parameters {
        let fitted = p
            .fitted
            .as_ref()
            .map(|t| format!(" <em>Fitted: {}</em>", escape(t)))
            .unwrap_or_default();
        let _ = write!(
            w,
            "<tr><td><strong>{}</strong><br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td>{}{}{}<td><small>{}{fitted}</small></td></tr>",
            escape(&p.name),
            escape(&p.description),
            escape(&p.unit),
            escape(&p.entered),
            escape(&p.distribution),
            num(p.base, svg::short(p.base)),
            num(p.p2_5, svg::short(p.p2_5)),
            num(p.p97_5, svg::short(p.p97_5)),
            escape(&p.source),
        );
    }
    let _ = write!(w, "</tbody></table></section>");
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
.big { font-size: 1.5em; font-weight: bold; color: #0072b2; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; }
svg { max-width: 100%; height: auto; }
.pair { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.pair svg { max-width: 62%; }
.pair svg:last-child { max-width: 36%; }
@media print { body { max-width: none; } .answer { background: none; } }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(money(24_600_000.0), "£24.6m");
        assert_eq!(money(-8_240_000.0), "−£8.2m");
        assert_eq!(money(30_000.0), "£0.03m");
    }

    #[test]
    fn probability_shows_its_error() {
        assert_eq!(probability(0.7312, 0.0043), "0.731 ± 0.004");
    }

    #[test]
    fn today_is_a_date() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"));
    }
}
