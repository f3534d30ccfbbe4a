//! Value of information, convergence of the estimates, and the parameters.

use std::fmt::Write as _;

use super::*;

/// Running estimates at about 80 draw counts spaced evenly on a log scale.
pub(super) fn checkpoints(n: usize) -> Vec<usize> {
    let start = 50.min(n).max(1);
    let mut points: Vec<usize> = (0..=80)
        .map(|i| (start as f64 * (n as f64 / start as f64).powf(i as f64 / 80.0)).round() as usize)
        .collect();
    points.dedup();
    points
}

/// EVPI and EVPPI, and the correlated parameters' achieved correlations.
pub(super) fn value_of_information(w: &mut String, r: &Results) {
    let _ = write!(
        w,
        "<section id=\"value-of-information\"><h2>Value of information</h2>"
    );
    let _ = write!(
        w,
        "<p>Expected value of perfect information (EVPI): {} (± {} MCSE): what removing every uncertainty before deciding would be worth, against choosing the option best on average.</p>",
        num(r.evpi_gbp, money(r.evpi_gbp)),
        money(r.evpi_mcse_gbp)
    );
    if let Some(s) = r.evppi.as_ref().and_then(|e| e.split.as_ref()) {
        evpi_split(w, s);
    }
    if let Some(e) = &r.evppi {
        evppi(w, e);
    }
    if !r.evsi.is_empty() {
        evsi(w, &r.evsi);
    }
    if !r.correlated_parameters.is_empty() {
        correlated(w, &r.correlated_parameters);
    }
    let _ = write!(w, "</section>");
}

/// The EVPI's learnable and irreducible parts.
fn evpi_split(w: &mut String, s: &crate::results::EvpiSplit) {
    let pct =
        |share: Option<f64>| share.map_or_else(|| "–".into(), |x| format!("{:.0}%", 100.0 * x));
    let _ = write!(
        w,
        "<p>Of the EVPI, <strong>{}</strong> (± {}, {} of it) is what learning every sampled parameter together could be worth: \
         the most any research on the parameters could return. The other <strong>{}</strong> ({}) is the hub-level roll-out \
         (which hubs open, and when), which no research can learn before deciding. The learnable part is estimated without \
         regression, by nested Monte Carlo ({} parameter draws, each with {} redraws of the roll-out).</p>",
        money(s.learnable_gbp),
        money(s.learnable_se_gbp),
        pct(s.learnable_share),
        money(s.irreducible_gbp),
        pct(s.irreducible_share),
        s.outer_draws,
        s.inner_draws
    );
}

/// Each group's and parameter's EVPPI, drawn and tabled.
fn evppi(w: &mut String, e: &crate::results::EvppiResult) {
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
            num(row.evppi_gbp, money(row.evppi_gbp)),
            money(row.se_gbp),
            row.share_of_evpi
                .map_or_else(|| "–".into(), |s| format!("{:.0}%", 100.0 * s))
        );
    }
    let _ = write!(w, "</tbody></table>");
}

/// Each study's EVSI by size, drawn and tabled.
fn evsi(w: &mut String, studies: &[crate::results::StudyResult]) {
    let traces: Vec<plots::Trace> = studies
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
    let largest = studies
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.evsi_gbp + p.se_gbp))
        .fold(0.0, f64::max);
    let (unit, scale) = if largest < 1e3 {
        ("£", 1.0)
    } else if largest < 1e6 {
        ("£k", 1e3)
    } else {
        ("£m", 1e6)
    };
    let _ = write!(
        w,
        "<p>Expected value of sample information (EVSI): what each declared study would be worth at each size, by regression on the \
         study's simulated summary statistic (Strong et al. 2015), with the expected net benefit of sampling (EVSI less the study's cost). \
         The EVPPI of the parameters a study informs is what a study of unlimited size would be worth. A study cannot be worth less for \
         being larger, nor more than learning its parameters exactly, so the EVSI shown is the regression's estimates made non-decreasing \
         in size (weighted isotonic regression) and held between zero and that EVPPI; the raw estimates are beside it and in \
         <code>evsi.parquet</code>. An estimate within 1.96 standard errors of zero is marked “not distinguishable from zero”.</p>{}\
         <table><thead><tr><th>study</th><th>size</th><th>EVSI</th><th>raw estimate ± se</th><th>cost</th><th>net benefit of sampling</th><th>EVPPI of its parameters</th></tr></thead><tbody>",
        figure(
            &plots::log_traces(
                &traces,
                "sample size (log scale)",
                &format!("EVSI, {unit}"),
                scale
            )
            .unwrap_or_default(),
            "Each study's expected value of sample information over its sample size"
        ),
    );
    for s in studies {
        for p in &s.points {
            let _ = write!(
                w,
                "<tr><td>{}</td><td class=\"num\">{}</td>{}<td>{} ± {}{}</td><td>{}</td>{}<td>{}</td></tr>",
                escape(&s.name),
                p.size,
                num(p.evsi_gbp, money(p.evsi_gbp)),
                money(p.estimate_gbp),
                money(p.se_gbp),
                if p.distinguishable_from_zero {
                    ""
                } else {
                    " (not distinguishable from zero)"
                },
                money(p.cost_gbp),
                num(p.enbs_gbp, money(p.enbs_gbp)),
                money(s.evppi_gbp)
            );
        }
    }
    let _ = write!(w, "</tbody></table>");
}

/// The correlated parameters' declared and achieved rank correlations.
fn correlated(w: &mut String, pairs: &[crate::results::CorrelationCheck]) {
    let _ = write!(
        w,
        "<p>Correlated parameters (Gaussian copula), Spearman rank correlation declared and achieved in the draws:</p><table><thead><tr><th>parameters</th><th>target</th><th>achieved</th></tr></thead><tbody>"
    );
    for p in pairs {
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

/// The unit a running mean's band is shown in.
fn unit_of(points: &[(f64, f64, f64, f64)]) -> crate::export::format::Unit {
    crate::export::format::Unit::for_amounts(points.iter().flat_map(|p| [p.2, p.3]))
}

/// Running estimates of the headline probability and each option's mean.
pub(super) fn convergence(w: &mut String, page: &Page) -> Drawn {
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
            "Running estimate of P({}) with its 95% Wilson band, over the draws",
            margin_condition(&p.a, &p.b, p.margin_gbp)
        );
        convergence.push_str(&figure(
            &plots::convergence(
                &[plots::Trace {
                    label: format!("P({})", margin_condition(&p.a, &p.b, p.margin_gbp)),
                    colour: a,
                    points: trace,
                }],
                "probability",
                1.0,
            )?,
            &title,
        ));
        // The headline difference's running mean, in £m.
        let trace = running_mean(pv[a].iter().zip(&pv[b]).map(|(x, y)| x - y), &points);
        let unit = unit_of(&trace);
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
                &format!("mean difference, {}", unit.name),
                unit.size,
            )?,
            &title,
        ));
    }
    let mean_traces: Vec<plots::Trace> = pv
        .iter()
        .enumerate()
        .filter(|(_, v)| v.iter().any(|x| *x != v[0]))
        .map(|(k, v)| plots::Trace {
            label: format!("mean PV, {}", page.ids[k]),
            colour: k,
            points: running_mean(v.iter().copied(), &points),
        })
        .collect();
    let all_points: Vec<(f64, f64, f64, f64)> = mean_traces
        .iter()
        .flat_map(|t| t.points.iter().copied())
        .collect();
    convergence.push_str(&figure(
        &plots::convergence(
            &mean_traces,
            &format!("mean PV, {}", unit_of(&all_points).name),
            unit_of(&all_points).size,
        )?,
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

/// The parameters as entered and as sampled; a figure of each elicited
/// parameter's fit against its judgements.
pub(super) fn parameters(w: &mut String, r: &Results) -> Drawn {
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
            num(p.base, super::super::format::short(p.base)),
            num(p.p2_5, super::super::format::short(p.p2_5)),
            num(p.p97_5, super::super::format::short(p.p97_5)),
            escape(&p.source),
        );
    }
    let _ = write!(w, "</tbody></table>");
    for p in &r.parameters {
        let Some(fit) = &p.elicited else { continue };
        let title = format!(
            "{}: the fitted cumulative distribution{} with the expert's judgements as points",
            p.name,
            if fit.experts.len() > 1 {
                "s of each expert and their pool,"
            } else {
                ""
            }
        );
        let svg = plots::elicited_cdf(fit, &format!("{} ({})", p.name, p.unit))?;
        if !svg.is_empty() {
            let _ = write!(w, "{}", figure(&svg, &title));
        }
    }
    let _ = write!(w, "</section>");
    Ok(())
}

/// The running mean of `values` after each of the draw counts `points`
/// (ascending), with its 95% interval from the running variance.
fn running_mean(values: impl Iterator<Item = f64>, points: &[usize]) -> Vec<(f64, f64, f64, f64)> {
    let (mut sum, mut sum2) = (0.0, 0.0);
    let mut trace = Vec::new();
    let mut next = points.iter().peekable();
    for (i, x) in values.enumerate() {
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
    trace
}
