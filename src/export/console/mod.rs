//! Plain-text tables for the terminal, from a run's typed results.

pub use crate::export::format::thousands;

mod budget;
mod sensitivity;
pub use budget::payback;
pub use sensitivity::tornado;

use crate::export::format::{
    Unit, margin_condition, money, probability, share, signed, signed_money,
};
use crate::results::{
    DecisionResult, EvppiResult, EvppiRow, PairResult, RankCorrelation, Results, StoppingResult,
};

/// Renders rows as a left-aligned first column and right-aligned others.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let render = |cells: &[String]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        line.trim_end().to_string()
    };
    let mut out = render(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
    out.push('\n');
    for row in rows {
        out.push_str(&render(row));
        out.push('\n');
    }
    out
}

/// A run's results as the console shows them.
pub fn summary(r: &Results) -> String {
    let mut out = options(r);
    if let Some(stop) = &r.stopping {
        out.push_str(&format!("\n{}\n", stopping(stop)));
    }
    out.push_str(&decision(&r.decision));
    out.push_str(&format!(
        "\nBest by mean PV: {}; EVPI {} ± {}\n",
        r.best_option_by_mean,
        money(r.evpi_gbp),
        money(r.evpi_mcse_gbp)
    ));
    out.push_str(&drivers(&r.ranking_robustness));
    for c in &r.correlated_parameters {
        out.push_str(&format!(
            "Correlated: {} ~ {}: Spearman target {:.3}{}, achieved {:.3}\n",
            c.parameters[0],
            c.parameters[1],
            c.target_spearman,
            if c.repaired {
                format!(" (repaired to {:.3})", c.imposed_spearman)
            } else {
                String::new()
            },
            c.achieved_spearman
        ));
    }
    if let Some(y) = &r.yearly {
        out.push('\n');
        out.push_str(&payback(y));
    }
    if let Some(e) = &r.evppi {
        out.push('\n');
        out.push_str(&evppi(e, 8));
    }
    out.push_str(&evsi(&r.evsi));
    out.push('\n');
    out.push_str(&tornado(&r.tornado, 10));
    if !r.scenarios.is_empty() {
        out.push_str(&scenarios(r));
    }
    out
}

/// The run's first lines and each option's table.
fn options(r: &Results) -> String {
    let unit = Unit::for_amounts(r.options.values().flat_map(|o| {
        [
            o.base_case.pv_gbp,
            o.pv_gbp.p2_5,
            o.pv_gbp.p97_5,
            o.nominal_gbp.mean,
        ]
    }));
    let m = |x: f64| unit.signed(x, 1);
    let n = r.options.len();
    let rows: Vec<Vec<String>> = r
        .options
        .iter()
        .map(|(id, o)| {
            vec![
                id.clone(),
                m(o.base_case.pv_gbp),
                format!(
                    "{} ± {}",
                    m(o.pv_gbp.mean),
                    unit.plain(o.pv_gbp.mcse_mean, 2)
                ),
                format!("{} to {}", m(o.pv_gbp.p2_5), m(o.pv_gbp.p97_5)),
                m(o.nominal_gbp.mean),
                share(o.p_best.estimate),
                o.p_rank
                    .iter()
                    .map(|p| format!("{p:.2}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                unit.plain(o.expected_loss_gbp, 2),
            ]
        })
        .collect();
    let run = &r.run;
    let mut out = format!(
        "PSA: {} draws ({}), seed {}, inputs {}\nNet efficiency against the comparator, {}; decisions on present value (PV)\n\n",
        run.samples,
        run.sampling_design,
        run.seed,
        run.inputs_hash.get(..12).unwrap_or(&run.inputs_hash),
        unit.name
    );
    for p in &run.restated_parameters {
        out.push_str(&format!(
            "Restated by the run file: {}: {} → {}\n",
            p.parameter, p.from, p.to
        ));
    }
    if !run.restated_parameters.is_empty() {
        out.push('\n');
    }
    out.push_str(&table(
        &[
            "option",
            "base PV",
            "mean PV ± MCSE",
            "95% interval",
            "mean nominal",
            "P(best)",
            &format!("P(rank 1..{n})"),
            "exp. loss",
        ],
        &rows,
    ));
    out.push_str(
        "exp. loss: mean shortfall of the option's PV from the best option's in each draw.\n",
    );
    out
}

/// How often the draws rank the options as published, and the inputs
/// that move the tornado's outcome most.
fn drivers(rob: &crate::results::RankingRobustness) -> String {
    let mut out = String::new();
    if let (Some(ranking), Some(share)) = (
        &rob.published_ranking,
        rob.share_of_draws_with_published_ranking,
    ) {
        out.push_str(&format!(
            "Draws ranking all options as published ({}): {:.3}\n",
            ranking.join(" > "),
            share
        ));
    }
    // Inputs apart from the roll-out's outcomes (hub-years operated), which
    // are not assumptions one could change.
    for (what, rollout) in [("inputs", false), ("roll-out outcomes", true)] {
        let mut strongest: Vec<&RankCorrelation> = rob
            .spearman
            .iter()
            .filter(|c| crate::results::DrawColumn::is_hub_years(&c.input) == rollout)
            .collect();
        strongest.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
        if !strongest.is_empty() {
            out.push_str(&format!(
                "Strongest rank correlations of {what} with {}:",
                rob.spearman_outcome
            ));
            let shown: Vec<String> = strongest
                .iter()
                .take(5)
                .map(|c| format!("{} {}", c.input, signed(c.rho, 2)))
                .collect();
            out.push_str(&format!(" {}\n", shown.join("; ")));
        }
    }
    let mut shares: Vec<&crate::results::VarianceShare> = rob.variance_shares.iter().collect();
    shares.sort_by(|a, b| b.share.total_cmp(&a.share));
    if !shares.is_empty() {
        out.push_str(&format!(
            "Largest first-order variance shares of {} ({} draws):",
            rob.spearman_outcome, rob.variance_share_draws
        ));
        let shown: Vec<String> = shares
            .iter()
            .take(5)
            .map(|s| format!("{} {:.2} ± {:.2}", s.input, s.share, s.se))
            .collect();
        out.push_str(&format!(" {}\n", shown.join("; ")));
    } else if rob.variance_share_draws < crate::analysis::evppi::MIN_SHARE_DRAWS {
        out.push_str(&format!(
            "First-order variance shares: not estimated on fewer than {} draws (this run: {}).\n",
            crate::analysis::evppi::MIN_SHARE_DRAWS,
            rob.variance_share_draws
        ));
    }
    out
}

/// Each study's EVSI by size, net of its cost.
fn evsi(studies: &[crate::results::StudyResult]) -> String {
    let mut out = String::new();
    for s in studies {
        out.push_str(&format!(
            "EVSI of `{}` ({}; EVPPI of its parameters {} ± {}), by size:",
            s.name,
            s.likelihood,
            money(s.evppi_gbp),
            money(s.evppi_se_gbp)
        ));
        for p in &s.points {
            out.push_str(&format!(
                " n={} {}{} (net of cost {});",
                p.size,
                money(p.evsi_gbp),
                if p.distinguishable_from_zero {
                    ""
                } else {
                    " (not distinguishable from zero)"
                },
                signed_money(p.enbs_gbp)
            ));
        }
        out.push('\n');
    }
    out
}

/// Each decision pair: its margin, probability, verdict and the
/// difference; then, for each verdict the draws do not settle, why.
pub fn decision(d: &DecisionResult) -> String {
    if d.pairs.is_empty() {
        return "\nThis run compares no pairs of options (add `compare` under [decision] in the run file): P(best) and ranks only.\n".into();
    }
    let rows: Vec<Vec<String>> = d
        .pairs
        .values()
        .map(|p| {
            let q = &p.p_a_beats_b;
            vec![
                format!("{} vs {}", p.a, p.b),
                money(p.margin_gbp),
                probability(q.estimate, q.mcse),
                format!("{} to {}", share(q.wilson_low), share(q.wilson_high)),
                p.verdict.clone(),
                signed_money(p.mean_difference_gbp),
                format!(
                    "{} to {}",
                    signed_money(p.difference_p2_5_gbp),
                    signed_money(p.difference_p97_5_gbp)
                ),
            ]
        })
        .collect();
    let mut out =
        "\nDecision (headline first): P(A − B > m), A − B in £ of PV, m the pair's margin; ± is the MCSE:\n"
            .to_string();
    out.push_str(&table(
        &[
            "A vs B",
            "margin m",
            "P(A − B > m) ± MCSE",
            "95% Wilson",
            "verdict",
            "mean A − B",
            "95% interval A − B",
        ],
        &rows,
    ));
    for p in d.pairs.values().filter(|p| !p.verdict_settled) {
        out.push_str(&format!("{}\n", unsettled(p)));
    }
    out
}

/// Why a pair's verdict is not settled, and what would settle it.
pub fn unsettled(p: &PairResult) -> String {
    let q = &p.p_a_beats_b;
    let more = match p.draws_to_settle {
        Some(n) => format!(
            "about {} draws would settle it if the estimate held",
            thousands(n as f64)
        ),
        None => {
            "the estimate lies on a band's edge, so no number of draws would place it in one band"
                .into()
        }
    };
    format!(
        "Not enough draws for a verdict on P({}): its 95% Wilson interval, {} to {}, spans more than one band; {more}.",
        margin_condition(&p.a, &p.b, p.margin_gbp),
        share(q.wilson_low),
        share(q.wilson_high),
    )
}

/// How a precision-driven run stopped.
pub fn stopping(s: &StoppingResult) -> String {
    if s.stopped_by == "precision" {
        format!(
            "Stopped by precision after {} draws: MCSE {:.5} < {} ({}; at most {}).",
            s.draws, s.mcse, s.target_mcse, s.rule, s.maximum_draws
        )
    } else {
        format!(
            "Stopped by the maximum of {} draws: MCSE {:.5} had not reached {} ({}).",
            s.maximum_draws, s.mcse, s.target_mcse, s.rule
        )
    }
}

/// The EVPPI: groups, then the `top` parameters worth most.
pub fn evppi(e: &EvppiResult, top: usize) -> String {
    let k = money;
    let mut ordered: Vec<&EvppiRow> = e.rows.iter().filter(|r| r.kind == "group").collect();
    let mut singles: Vec<&EvppiRow> = e.rows.iter().filter(|r| r.kind != "group").collect();
    singles.sort_by(|a, b| b.evppi_gbp.total_cmp(&a.evppi_gbp));
    ordered.extend(singles.into_iter().take(top));
    let rows: Vec<Vec<String>> = ordered
        .iter()
        .map(|r| {
            vec![
                if r.kind == "group" {
                    format!("{} (group of {})", r.name, r.members.len())
                } else {
                    r.name.clone()
                },
                format!("{} ± {}", k(r.evppi_gbp), k(r.se_gbp)),
                r.share_of_evpi
                    .map_or_else(|| "-".into(), |s| format!("{:.0}%", 100.0 * s)),
            ]
        })
        .collect();
    let mut out = format!(
        "Value of information (EVPI {}; EVPPI on {} draws; the hub-level roll-out events count in the EVPI only):\n",
        k(e.evpi_gbp),
        e.draws_used
    );
    out.push_str(&table(&["learning", "EVPPI ± se", "share of EVPI"], &rows));
    let others = e
        .rows
        .iter()
        .filter(|r| r.kind != "group")
        .count()
        .saturating_sub(top);
    if others > 0 {
        out.push_str(&format!(
            "({} worth less not shown: see evppi.parquet)\n",
            count(others, "parameter", "parameters")
        ));
    }
    if let Some(s) = &e.split {
        let pct =
            |share: Option<f64>| share.map_or_else(|| "-".into(), |x| format!("{:.0}%", 100.0 * x));
        out.push_str(&format!(
            "EVPI = learnable {} ± {} ({}; every sampled parameter, nested over {} × {} draws) + irreducible {} ({}; which hubs open when)\n",
            k(s.learnable_gbp),
            k(s.learnable_se_gbp),
            pct(s.learnable_share),
            s.outer_draws,
            s.inner_draws,
            k(s.irreducible_gbp),
            pct(s.irreducible_share),
        ));
    }
    out
}

fn scenarios(r: &Results) -> String {
    let keys: Vec<&String> = r.decision.pairs.keys().collect();
    let rows: Vec<Vec<String>> = r
        .scenarios
        .iter()
        .map(|s| {
            let mut row = vec![s.name.clone(), s.ranking_by_mean_pv.join(" > ")];
            for key in &keys {
                match (s.pairs.get(*key), s.pair_outcomes.get(*key)) {
                    (Some(p), Some(o)) => row.extend([
                        share(p.estimate),
                        o.verdict.clone(),
                        signed_money(o.mean_difference_gbp),
                    ]),
                    _ => row.extend(["-".into(), "-".into(), "-".into()]),
                }
            }
            row
        })
        .collect();
    let labels: Vec<String> = r
        .decision
        .pairs
        .values()
        .flat_map(|p| {
            [
                format!("P({})", margin_condition(&p.a, &p.b, p.margin_gbp)),
                "verdict".into(),
                format!("mean {} − {}", p.a, p.b),
            ]
        })
        .collect();
    let mut header = vec!["scenario", "ranking by mean PV"];
    header.extend(labels.iter().map(String::as_str));
    let mut out = "\nScenarios, on the same draws:\n".to_string();
    out.push_str(&table(&header, &rows));
    out
}

/// "1 parameter", "3 parameters".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let t = table(
            &["option", "PV"],
            &[
                vec!["falling".into(), "-8.24".into()],
                vec!["a".into(), "1".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "option      PV");
        assert_eq!(lines[2], "falling  -8.24");
        assert_eq!(lines[3], "a            1");
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1_250_000.0), "1,250,000");
        assert_eq!(thousands(-12_345.4), "−12,345");
    }
}
