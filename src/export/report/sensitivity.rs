//! What drives the decision: tornado and switch points, two-way analyses,
//! scenarios and the robustness of the published ranking.

use std::fmt::Write as _;

use super::*;

pub(super) fn tornado(w: &mut String, page: &Page) -> Drawn {
    let t = &page.r.tornado;
    let _ = write!(
        w,
        "<section id=\"tornado\"><h2>One-way sensitivity (tornado)</h2><p>Each parameter from its low to its high value \
         (the 2.5th and 97.5th percentiles of its distribution unless declared), all others at base. The red line is the \
         deterministic base case ({}); a black whisker shows the range over the grid where the effect turns inside the range.</p>{}</section>",
        money(t.base_case_gbp),
        figure(
            &plots::tornado_svg(t, &t.outcome, &page.ids)?,
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
            "<p>No parameter, within its range, changes the preferred option or moves {} across {}.</p>",
            escape(&t.outcome),
            if t.threshold_gbp == 0.0 {
                "zero".to_string()
            } else {
                format!(
                    "the pair's margin of {}",
                    super::super::format::signed_money(t.threshold_gbp)
                )
            }
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
                num(p.value, super::super::format::short(p.value)),
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
pub(super) fn two_way(w: &mut String, r: &Results) {
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
             The black line is where {}; the cross is the base case. The grid is in <code>two_way.parquet</code>.</p>{}",
            escape(&t.outcome),
            escape(&t.parameters[0]),
            escape(&t.parameters[1]),
            if t.threshold_gbp == 0.0 {
                "it changes sign".to_string()
            } else {
                format!(
                    "it crosses the pair's margin of {}",
                    super::super::format::signed_money(t.threshold_gbp)
                )
            },
            plots::two_way_heat_map(t)
        );
    }
    let _ = write!(w, "</section>");
}

pub(super) fn scenarios(w: &mut String, page: &Page) {
    let r = page.r;
    let _ = write!(w, "<section id=\"scenarios\"><h2>Scenarios</h2>");
    if r.scenarios.is_empty() {
        let _ = write!(w, "<p>This run declares no scenarios.</p></section>");
        return;
    }
    let _ = write!(
        w,
        "<p>Each scenario is run on the same draws as the main analysis.</p><div class=\"wide\"><table><thead><tr><th>scenario</th><th>ranking by mean PV</th>"
    );
    for p in r.decision.pairs.values() {
        let _ = write!(
            w,
            "<th>P({})</th><th>mean {} − {}</th>",
            escape(&margin_condition(&p.a, &p.b, p.margin_gbp)),
            escape(page.name(&p.a)),
            escape(page.name(&p.b)),
        );
    }
    for id in &page.ids {
        let _ = write!(w, "<th>mean PV {}</th>", escape(page.name(id)));
    }
    let _ = write!(w, "</tr></thead><tbody>");
    for sc in &r.scenarios {
        let _ = write!(
            w,
            "<tr><td>{}</td><td class=\"ranking\">{}</td>",
            escape(&sc.name),
            escape(&sc.ranking_by_mean_pv.join(" > ")),
        );
        for key in r.decision.pairs.keys() {
            let cell = match (sc.pairs.get(key), sc.pair_outcomes.get(key)) {
                (Some(p), Some(o)) => format!(
                    "{}{}",
                    num(
                        p.estimate,
                        format!("{} · {}", probability(p.estimate, p.mcse), o.verdict)
                    ),
                    num(o.mean_difference_gbp, signed_money(o.mean_difference_gbp))
                ),
                _ => "<td>–</td><td>–</td>".into(),
            };
            let _ = write!(w, "{cell}");
        }
        for id in &page.ids {
            let v = sc.mean_pv_gbp.get(id).copied().unwrap_or(f64::NAN);
            let _ = write!(w, "{}", num(v, money(v)));
        }
        let _ = write!(w, "</tr>");
    }
    let _ = write!(w, "</tbody></table></div></section>");
}

pub(super) fn robustness(w: &mut String, page: &Page) -> Drawn {
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
    rank_correlations(w, rob);
    scatters(w, page)?;
    variance_shares(w, rob);
    let _ = write!(w, "</section>");
    Ok(())
}

/// Each input's Spearman correlation with the outcome; the roll-out's own
/// outcomes (hub-years operated) are not assumptions one could change, so
/// they are shown apart from the inputs.
fn rank_correlations(w: &mut String, rob: &crate::results::RankingRobustness) {
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
            .filter(|c| crate::results::DrawColumn::is_hub_years(&c.input) == rollout)
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
                num(c.rho, crate::export::format::signed(c.rho, 2))
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
}

/// The outcome against each of the strongest inputs, draw by draw.
fn scatters(w: &mut String, page: &Page) -> Drawn {
    let rob = &page.r.ranking_robustness;
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
                 rank-correlated with it (across), over the first 1,000 draws; below the black line the decision turns.</p>{}",
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
    Ok(())
}

/// The sampled parameters' first-order variance shares, largest first.
fn variance_shares(w: &mut String, rob: &crate::results::RankingRobustness) {
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
    } else if rob.variance_share_draws < crate::analysis::evppi::MIN_SHARE_DRAWS {
        let _ = write!(
            w,
            "<p>First-order variance shares are not estimated on fewer than {} draws (this run: {}): their regression would fit noise.</p>",
            crate::analysis::evppi::MIN_SHARE_DRAWS,
            rob.variance_share_draws
        );
    }
}
