//! `report.html`: one self-contained page a reviewer reads top to bottom.
//!
//! It is built only from a finished run's summary and option values (as in
//! `summary.json` and `samples.parquet`), so `chh-psa report DIR` rebuilds
//! the same page, and every number in it is one of the summary's. Plots are
//! inline SVG; a content security policy forbids the page any request.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

use super::{AtomicFile, parquet, plots, svg};
use crate::analysis::tornado::{Bar, RangeSource, SwitchKind, SwitchPoint, Tornado};
use crate::error::{Error, Result};

/// The sections, in reading order: (id, title).
pub const SECTIONS: [(&str, &str); 13] = [
    ("question", "The question and this run"),
    ("answer", "Does accelerated beat supported?"),
    ("headline", "Results by option"),
    (
        "distributions",
        "Distribution of each option's present value",
    ),
    ("ranks", "Rank probabilities"),
    ("pairwise", "Which option beats which"),
    ("tornado", "One-way sensitivity (tornado)"),
    ("switch-points", "Switch points"),
    ("scenarios", "Scenarios"),
    ("robustness", "Robustness of the published ranking"),
    ("value-of-information", "Value of information"),
    ("convergence", "Convergence"),
    ("parameters", "Parameters"),
];

/// EVPI and EVPPI, and the correlated parameters' achieved correlations.
fn value_of_information(w: &mut String, summary: &Value) {
    let thousands = |gbp: f64| format!("£{:.1}k", gbp / 1e3);
    let _ = write!(
        w,
        "<section id=\"value-of-information\"><h2>Value of information</h2>"
    );
    let evpi = f(&summary["evpi_gbp"]);
    let _ = write!(
        w,
        "<p>Expected value of perfect information (EVPI): {} (± {} MCSE): what removing every uncertainty before deciding would be worth, against choosing the option best on average.</p>",
        num(evpi, thousands(evpi)),
        thousands(f(&summary["evpi_mcse_gbp"]))
    );
    let e = &summary["evppi"];
    if let Some(rows) = e["rows"].as_array() {
        let mut ordered: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "group").collect();
        let mut singles: Vec<&Value> = rows.iter().filter(|r| r["kind"] != "group").collect();
        singles.sort_by(|a, b| f(&b["evppi_gbp"]).total_cmp(&f(&a["evppi_gbp"])));
        ordered.extend(singles.into_iter().take(12));
        let _ = write!(
            w,
            "<p>Expected value of partial perfect information (EVPPI) by regression on {} draws ({}). The hub-level roll-out events (which hubs open and when) count in the EVPI but cannot be learnt before deciding, so no EVPPI includes them.</p><table><thead><tr><th>learning</th><th>EVPPI</th><th>se</th><th>share of EVPI</th></tr></thead><tbody>",
            e["draws_used"].as_u64().unwrap_or(0),
            escape(e["method"].as_str().unwrap_or(""))
        );
        for r in ordered {
            let name = r["name"].as_str().unwrap_or("");
            let label = if r["kind"] == "group" {
                format!(
                    "{} (group of {})",
                    name,
                    r["members"].as_array().map_or(0, Vec::len)
                )
            } else {
                name.to_string()
            };
            let value = f(&r["evppi_gbp"]);
            let share = r["share_of_evpi"].as_f64();
            let _ = write!(
                w,
                "<tr><td>{}</td>{}<td>{}</td><td>{}</td></tr>",
                escape(&label),
                num(value, thousands(value)),
                thousands(f(&r["se_gbp"])),
                share.map_or_else(|| "–".into(), |s| format!("{:.0}%", 100.0 * s))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    if let Some(pairs) = summary["correlated_parameters"]
        .as_array()
        .filter(|p| !p.is_empty())
    {
        let _ = write!(
            w,
            "<p>Correlated parameters (Gaussian copula), Spearman rank correlation declared and achieved in the draws:</p><table><thead><tr><th>parameters</th><th>target</th><th>achieved</th></tr></thead><tbody>"
        );
        for p in pairs {
            let names: Vec<&str> = p["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let achieved = f(&p["achieved_spearman"]);
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{:.3}{}</td>{}</tr>",
                escape(&names.join(" ~ ")),
                f(&p["target_spearman"]),
                if p["repaired"] == true {
                    format!(" (repaired to {:.3})", f(&p["imposed_spearman"]))
                } else {
                    String::new()
                },
                num(achieved, format!("{achieved:.3}"))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");
}

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

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Strips the XML prologue plotters writes, so the SVG can sit inline.
fn inline(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

fn tornado_from(summary: &Value) -> Tornado {
    let t = &summary["tornado"];
    let ids: Vec<String> = summary["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| s(&o["id"]))
        .collect();
    let index = |v: &Value| ids.iter().position(|id| *id == s(v)).unwrap_or(0);
    let bars = t["bars"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| Bar {
            name: s(&b["parameter"]),
            low: f(&b["low_value"]),
            high: f(&b["high_value"]),
            source: if s(&b["range_source"]).starts_with("declared") {
                RangeSource::Declared
            } else {
                RangeSource::Percentiles
            },
            outcome_at_low: f(&b["outcome_at_low_gbp"]),
            outcome_at_high: f(&b["outcome_at_high_gbp"]),
            grid_min: f(&b["grid_min_gbp"]),
            grid_max: f(&b["grid_max_gbp"]),
            value_at_grid_min: f64::NAN,
            value_at_grid_max: f64::NAN,
            turns: b["turns_inside_range"].as_bool().unwrap_or(false),
            best_at_low: index(&b["best_at_low"]),
            best_at_high: index(&b["best_at_high"]),
        })
        .collect();
    let switch_points = t["switch_points"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| SwitchPoint {
            name: s(&p["parameter"]),
            kind: if s(&p["kind"]) == SwitchKind::OutcomeSign.as_str() {
                SwitchKind::OutcomeSign
            } else {
                SwitchKind::PreferredOption
            },
            value: f(&p["value"]),
            bracket: (f(&p["bracket"][0]), f(&p["bracket"][1])),
            below: 0,
            above: 0,
        })
        .collect();
    Tornado {
        centre: f(&t["base_case_gbp"]),
        bars,
        switch_points,
    }
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
    let summary = read_summary(dir)?;
    let samples_path = dir.join("samples.parquet");
    // Only the option values: the parameter columns are not plotted.
    let wanted: Vec<String> = option_ids(&summary)
        .iter()
        .map(|id| format!("{id}_pv_gbp"))
        .collect();
    let samples = parquet::read_columns(&samples_path, &wanted)?;
    let pv = wanted
        .iter()
        .map(|name| {
            Ok(samples
                .column(name)
                .and_then(|c| c.f64().cloned())
                .map_err(|e| Error::output(&samples_path, e.to_string()))?
                .into_no_null_iter()
                .collect())
        })
        .collect::<Result<Vec<Vec<f64>>>>()?;
    write_with(dir, &summary, &pv)
}

/// As [`write`], given each option's PV over the draws as the run holds them
/// (in the summary's option order), so a run need not read them back from
/// `samples.parquet`. `chh-psa report` rebuilds the same page from the file.
pub fn write_from_run(dir: &Path, present_value: &[Vec<f64>]) -> Result<std::path::PathBuf> {
    write_with(dir, &read_summary(dir)?, present_value)
}

fn read_summary(dir: &Path) -> Result<Value> {
    let summary_path = dir.join("summary.json");
    let text = std::fs::read_to_string(&summary_path).map_err(|e| Error::io(&summary_path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::input(&summary_path, "", format!("not a run summary: {e}")))
}

fn option_ids(summary: &Value) -> Vec<String> {
    summary["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| s(&o["id"]))
        .collect()
}

fn write_with(dir: &Path, summary: &Value, pv: &[Vec<f64>]) -> Result<std::path::PathBuf> {
    let path = dir.join("report.html");
    let html = render(summary, pv).map_err(|e| Error::output(&path, e))?;
    let mut file = AtomicFile::create(&path)?;
    file.write_all(html.as_bytes())?;
    file.commit()?;
    Ok(path)
}

fn render(summary: &Value, pv: &[Vec<f64>]) -> std::result::Result<String, String> {
    let options: Vec<&Value> = summary["options"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let ids = option_ids(summary);
    if pv.len() != ids.len() {
        return Err(format!(
            "the summary has {} options but {} columns of option values were given",
            ids.len(),
            pv.len()
        ));
    }
    let run = &summary["run"];
    let n = pv.first().map_or(0, Vec::len);
    let mut h = String::new();
    let w = &mut h;
    let _ = write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chh-psa report: Child Health Hub roll-out options</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    );

    // The question and the run's provenance.
    let _ = write!(
        w,
        "<h1>Child Health Hub roll-out: probabilistic sensitivity analysis</h1><section id=\"question\"><h2>The question and this run</h2>\
         <p>Five options for the North West London Child Health Hubs over {horizon} years, each valued as net health-system \
         efficiency against the status quo (£, 2022 prices, present value at the stated discount rate). Every assumption is a \
         distribution and the roll-out itself is sampled; all options are evaluated on the same draws.</p>\
         <table class=\"meta\"><tr><th>draws</th><td>{draws}</td><th>seed</th><td>{seed}</td><th>engine</th><td>chh-psa {version}</td></tr>\
         <tr><th>inputs hash</th><td colspan=\"3\"><code>{hash}</code></td><th>report date</th><td>{date}</td></tr>\
         <tr><th>sampling</th><td colspan=\"5\">{design}; parameters sampled: {params}; roll-out sampled: {rollout}</td></tr></table>",
        horizon = run["horizon_years"],
        draws = run["samples"],
        seed = run["seed"],
        version = escape(&s(&summary["engine"]["version"])),
        hash = escape(&s(&run["inputs_hash"])),
        date = today(),
        design = escape(&s(&run["sampling_design"])),
        params = run["uncertainty"]["parameters"],
        rollout = run["uncertainty"]["rollout"],
    );
    let stopping = &summary["stopping"];
    if stopping.is_object() {
        let _ = write!(
            w,
            "<p class=\"note\">Precision-driven run: {}; stopped by {} at {} draws (MCSE {:.5}).</p>",
            escape(&s(&stopping["rule"])),
            escape(&s(&stopping["stopped_by"])),
            stopping["draws"],
            f(&stopping["mcse"])
        );
    }
    let _ = write!(w, "</section>");

    // The answer, first screen.
    let p = &summary["p_accelerated_beats_supported"];
    let best = s(&summary["best_option_by_mean"]);
    let best_k = ids.iter().position(|id| *id == best).unwrap_or(0);
    if p.is_object() {
        let (est, mcse, low, high) = (
            f(&p["estimate"]),
            f(&p["mcse"]),
            f(&p["wilson_low"]),
            f(&p["wilson_high"]),
        );
        let verdict = if low > 0.5 {
            "Yes, in most futures"
        } else if high < 0.5 {
            "No: supported beats accelerated in most futures"
        } else {
            "Too close to call"
        };
        let _ = write!(
            w,
            "<section id=\"answer\"><h2>Does accelerated beat supported?</h2>\
             <p class=\"answer\"><strong>{verdict}.</strong> The accelerated roll-out has the higher present value in \
             <span class=\"big\" data-value=\"{est:e}\">{pct:.1}%</span> of draws \
             (P = <span data-value=\"{mcse:e}\">{pm}</span> Monte Carlo standard error; 95% Wilson interval \
             <span data-value=\"{low:e}\">{low:.3}</span> to <span data-value=\"{high:e}\">{high:.3}</span>).</p>\
             <p>Best option by expected present value: <strong>{best}</strong> (P(best) {pbest}); expected value of perfect \
             information {evpi}.</p></section>",
            pct = est * 100.0,
            pm = probability(est, mcse),
            best = escape(&best),
            pbest = probability(
                f(&options[best_k]["p_best"]["estimate"]),
                f(&options[best_k]["p_best"]["mcse"])
            ),
            evpi = money(f(&summary["evpi_gbp"])),
        );
    } else {
        let _ = write!(
            w,
            "<section id=\"answer\"><h2>Does accelerated beat supported?</h2><p>This run has no accelerated and supported options to compare. Best option by expected present value: <strong>{}</strong>.</p></section>",
            escape(&best)
        );
    }

    // Headline table.
    let _ = write!(
        w,
        "<section id=\"headline\"><h2>Results by option</h2><p>Net efficiency against the status quo. Base case: the deterministic model at base values. \
         PSA: mean over draws with its Monte Carlo standard error, and the 2.5th to 97.5th percentile.</p>\
         <table><thead><tr><th>option</th><th>base PV</th><th>mean PV</th><th>MCSE</th><th>95% interval (PV)</th>\
         <th>base nominal</th><th>mean nominal</th><th>95% interval (nominal)</th><th>P(best)</th><th>expected loss</th></tr></thead><tbody>"
    );
    for (k, o) in options.iter().enumerate() {
        let (pvs, nom) = (&o["pv_gbp"], &o["nominal_gbp"]);
        let _ = write!(
            w,
            "<tr data-option=\"{id}\"><td><span class=\"swatch\" style=\"background:{c}\"></span>{id}</td>{}{}{}<td class=\"num\">{} to {}</td>{}{}<td class=\"num\">{} to {}</td>{}{}</tr>",
            num(
                f(&o["base_case"]["pv_gbp"]),
                money(f(&o["base_case"]["pv_gbp"]))
            ),
            num(f(&pvs["mean"]), money(f(&pvs["mean"]))),
            num(f(&pvs["mcse_mean"]), money(f(&pvs["mcse_mean"]))),
            money(f(&pvs["p2_5"])),
            money(f(&pvs["p97_5"])),
            num(
                f(&o["base_case"]["nominal_gbp"]),
                money(f(&o["base_case"]["nominal_gbp"]))
            ),
            num(f(&nom["mean"]), money(f(&nom["mean"]))),
            money(f(&nom["p2_5"])),
            money(f(&nom["p97_5"])),
            num(
                f(&o["p_best"]["estimate"]),
                probability(f(&o["p_best"]["estimate"]), f(&o["p_best"]["mcse"]))
            ),
            num(
                f(&o["expected_loss_gbp"]),
                money(f(&o["expected_loss_gbp"]))
            ),
            id = escape(&ids[k]),
            c = plots::colour_hex(k),
        );
    }
    let _ = write!(w, "</tbody></table></section>");

    // Distributions.
    let _ = write!(
        w,
        "<section id=\"distributions\"><h2>Distribution of each option's present value</h2>{}</section>",
        inline(&plots::distributions(
            &ids,
            pv,
            "present value against the status quo, £m"
        )?)
    );

    // Ranks.
    let p_rank: Vec<Vec<f64>> = options
        .iter()
        .map(|o| {
            o["p_rank"]
                .as_array()
                .into_iter()
                .flatten()
                .map(f)
                .collect()
        })
        .collect();
    let _ = write!(
        w,
        "<section id=\"ranks\"><h2>Rank probabilities</h2>{}<table><thead><tr><th>option</th>",
        inline(&plots::rankogram(&ids, &p_rank)?)
    );
    for r in 1..=ids.len() {
        let _ = write!(w, "<th>P(rank {r})</th>");
    }
    let _ = write!(w, "</tr></thead><tbody>");
    for (k, row) in p_rank.iter().enumerate() {
        let _ = write!(w, "<tr><td>{}</td>", escape(&ids[k]));
        for p in row {
            let _ = write!(w, "{}", num(*p, format!("{p:.3}")));
        }
        let _ = write!(w, "</tr>");
    }
    let _ = write!(w, "</tbody></table></section>");

    // Pairwise.
    let matrix: Vec<Vec<f64>> = summary["pairwise"]["p_row_beats_column"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r.as_array().into_iter().flatten().map(f).collect())
        .collect();
    let _ = write!(
        w,
        "<section id=\"pairwise\"><h2>Which option beats which</h2>{}</section>",
        inline(&plots::pairwise(&ids, &matrix)?)
    );

    // Tornado and switch points.
    let tornado = tornado_from(summary);
    let outcome = s(&summary["tornado"]["outcome"]);
    let _ = write!(
        w,
        "<section id=\"tornado\"><h2>One-way sensitivity (tornado)</h2><p>Each parameter from its low to its high value \
         (the 2.5th and 97.5th percentiles of its distribution unless declared), all others at base. The red line is the \
         deterministic base case ({}); a black whisker shows the range over the grid where the effect turns inside the range.</p>{}</section>",
        money(tornado.centre),
        inline(&svg::tornado_svg(&tornado, &outcome, &ids)?)
    );
    let _ = write!(w, "<section id=\"switch-points\"><h2>Switch points</h2>");
    if tornado.switch_points.is_empty() {
        let _ = write!(
            w,
            "<p>No parameter, within its range, changes the preferred option or the sign of {}.</p>",
            escape(&outcome)
        );
    } else {
        let _ = write!(
            w,
            "<table><thead><tr><th>parameter</th><th>what changes</th><th>value</th></tr></thead><tbody>"
        );
        for p in &tornado.switch_points {
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{}</td>{}</tr>",
                escape(&p.name),
                p.kind.as_str(),
                num(p.value, svg::short(p.value))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");

    // Scenarios.
    let _ = write!(w, "<section id=\"scenarios\"><h2>Scenarios</h2>");
    let scenarios = summary["scenarios"].as_array().cloned().unwrap_or_default();
    if scenarios.is_empty() {
        let _ = write!(w, "<p>This run declares no scenarios.</p>");
    } else {
        let _ = write!(
            w,
            "<p>Each scenario is run on the same draws as the main analysis.</p><table><thead><tr><th>scenario</th><th>ranking by mean PV</th><th>P(accelerated beats supported)</th>"
        );
        for id in &ids {
            let _ = write!(w, "<th>mean PV {}</th>", escape(id));
        }
        let _ = write!(w, "</tr></thead><tbody>");
        for sc in &scenarios {
            let ranking: Vec<String> = sc["ranking_by_mean_pv"]
                .as_array()
                .into_iter()
                .flatten()
                .map(s)
                .collect();
            let p = &sc["p_accelerated_beats_supported"];
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{}</td>{}",
                escape(&s(&sc["name"])),
                escape(&ranking.join(" > ")),
                if p.is_object() {
                    num(
                        f(&p["estimate"]),
                        probability(f(&p["estimate"]), f(&p["mcse"])),
                    )
                } else {
                    "<td>–</td>".into()
                }
            );
            for v in sc["mean_pv_gbp"].as_array().into_iter().flatten() {
                let _ = write!(w, "{}", num(f(v), money(f(v))));
            }
            let _ = write!(w, "</tr>");
        }
        let _ = write!(w, "</tbody></table>");
    }
    let _ = write!(w, "</section>");

    // Robustness.
    let rob = &summary["ranking_robustness"];
    let _ = write!(
        w,
        "<section id=\"robustness\"><h2>Robustness of the published ranking</h2>"
    );
    if let Some(share) = rob["share_of_draws_with_published_ranking"].as_f64() {
        let ranking: Vec<String> = rob["published_ranking"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        let _ = write!(
            w,
            "<p>The published ranking ({}) holds in <span data-value=\"{share:e}\">{:.1}%</span> of draws.</p>",
            escape(&ranking.join(" > ")),
            share * 100.0
        );
    }
    let mut rho: Vec<(String, f64)> = rob["spearman"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (s(&r["input"]), f(&r["rho"])))
        .collect();
    rho.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let _ = write!(
        w,
        "<p>Spearman rank correlation of each sampled input with {} (all inputs varying at once):</p><table><thead><tr><th>input</th><th>ρ</th></tr></thead><tbody>",
        escape(&s(&rob["spearman_outcome"]))
    );
    for (name, r) in rho.iter().take(12) {
        let _ = write!(
            w,
            "<tr><td>{}</td>{}</tr>",
            escape(name),
            num(*r, format!("{r:+.2}"))
        );
    }
    let _ = write!(w, "</tbody></table></section>");

    value_of_information(w, summary);

    // Convergence.
    let points = checkpoints(n);
    let (a, b) = (
        ids.iter().position(|i| i == "accelerated"),
        ids.iter().position(|i| i == "supported"),
    );
    let mut convergence = String::new();
    if let (Some(a), Some(b)) = (a, b) {
        let mut wins = 0usize;
        let mut trace = Vec::new();
        let mut next = points.iter().peekable();
        for (i, (x, y)) in pv[a].iter().zip(&pv[b]).enumerate() {
            wins += usize::from(x > y);
            if next.peek().is_some_and(|&&c| c == i + 1) {
                next.next();
                let m = (i + 1) as f64;
                let p = wins as f64 / m;
                trace.push((m, p, (p * (1.0 - p) / m).sqrt()));
            }
        }
        convergence.push_str(inline(&plots::convergence(
            &[plots::Trace {
                label: "P(accelerated beats supported)".into(),
                colour: a,
                points: trace,
            }],
            "probability",
            1.0,
        )?));
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
                    trace.push((m, mean, (var / m).sqrt()));
                }
            }
            plots::Trace {
                label: format!("mean PV, {}", ids[k]),
                colour: k,
                points: trace,
            }
        })
        .collect();
    convergence.push_str(inline(&plots::convergence(
        &mean_traces,
        "mean present value, £m",
        1e6,
    )?));
    if convergence.is_empty() {
        convergence.push_str(
            "<p>Nothing varies across the draws of this run, so there is nothing to converge.</p>",
        );
    }
    let _ = write!(
        w,
        "<section id=\"convergence\"><h2>Convergence</h2><p>Running estimates against the number of draws, with a band of ±1.96 Monte Carlo standard errors.</p>{convergence}</section>"
    );

    // Parameters.
    let _ = write!(
        w,
        "<section id=\"parameters\"><h2>Parameters</h2><table><thead><tr><th>parameter</th><th>unit</th><th>distribution</th><th>base</th><th>2.5%</th><th>97.5%</th><th>source</th></tr></thead><tbody>"
    );
    for p in summary["parameters"].as_array().into_iter().flatten() {
        let fitted = p["fitted"]
            .as_str()
            .map(|t| format!(" <em>Fitted: {}</em>", escape(t)))
            .unwrap_or_default();
        let _ = write!(
            w,
            "<tr><td><strong>{}</strong><br><small>{}</small></td><td>{}</td><td>{}</td>{}{}{}<td><small>{}{fitted}</small></td></tr>",
            escape(&s(&p["name"])),
            escape(&s(&p["description"])),
            escape(&s(&p["unit"])),
            escape(&s(&p["distribution"])),
            num(f(&p["base"]), svg::short(f(&p["base"]))),
            num(f(&p["p2_5"]), svg::short(f(&p["p2_5"]))),
            num(f(&p["p97_5"]), svg::short(f(&p["p97_5"]))),
            escape(&s(&p["source"])),
        );
    }
    let _ = write!(w, "</tbody></table></section>\n</body>\n</html>");
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
.big { font-size: 1.5em; font-weight: bold; color: #0072b2; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; }
svg { max-width: 100%; height: auto; }
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
