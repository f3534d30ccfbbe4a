//! The report's opening: the question, the answer on the first screen,
//! and the results by option.

use std::fmt::Write as _;

use super::*;

pub(super) fn question(w: &mut String, page: &Page) {
    let r = page.r;
    let run = &r.run;
    let asked = if r.decision.pairs.is_empty() {
        "This run compares no pairs of options, so it reports how likely each option is to be best and to take each rank.".to_string()
    } else {
        let pairs: Vec<String> = r
            .decision
            .pairs
            .values()
            .map(|p| {
                escape(&pair_question(
                    page.name(&p.a),
                    page.name(&p.b),
                    p.margin_gbp,
                ))
            })
            .collect();
        format!(
            "It asks how likely it is that {} (the first is the headline). Each pair's margin m is the smallest \
             difference worth having: the run counts the draws in which A's PV exceeds B's by more than m \
             (a negative m asks whether A is no worse than B by more than |m|).",
            pairs.join("; that ")
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
    if !run.restated_parameters.is_empty() {
        let _ = write!(
            w,
            "<p class=\"warning\">This run file restates {} of the parameter folder:</p><table><thead><tr><th>parameter</th><th>in the folder</th><th>in this run</th></tr></thead><tbody>",
            crate::export::console::count(run.restated_parameters.len(), "parameter", "parameters")
        );
        for p in &run.restated_parameters {
            let _ = write!(
                w,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.parameter),
                escape(&p.from),
                escape(&p.to)
            );
        }
        let _ = write!(w, "</tbody></table>");
    }
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
pub(super) fn answer(w: &mut String, page: &Page) {
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
            "<p class=\"answer\"><strong>{verdict}.</strong> {shown} in \
             <span class=\"big\" data-value=\"{est:e}\">{pct}</span> of {draws} draws \
             (P({condition}) = <span data-value=\"{mcse:e}\">{pm}</span>; 95% Wilson interval \
             <span data-value=\"{low:e}\">{low_text}</span> to <span data-value=\"{high:e}\">{high_text}</span>). \
             On average {a} is worth {diff} {more} than {b} (the difference A − B lies between {lo} and {hi} in 95% of draws).</p>",
            verdict = escape(&p.verdict),
            shown = escape(&capitalised(&pair_question(
                page.name(&p.a),
                page.name(&p.b),
                p.margin_gbp
            ))),
            condition = escape(&margin_condition(&p.a, &p.b, p.margin_gbp)),
            a = escape(page.name(&p.a)),
            b = escape(page.name(&p.b)),
            est = q.estimate,
            pct = percent(q.estimate),
            draws = crate::export::format::thousands(r.run.samples as f64),
            mcse = q.mcse,
            pm = probability(q.estimate, q.mcse),
            low = q.wilson_low,
            low_text = share(q.wilson_low),
            high = q.wilson_high,
            high_text = share(q.wilson_high),
            diff = money(p.mean_difference_gbp.abs()),
            more = if p.mean_difference_gbp < 0.0 {
                "less"
            } else {
                "more"
            },
            lo = signed_money(p.difference_p2_5_gbp),
            hi = signed_money(p.difference_p97_5_gbp),
        );
    }
    let unsettled: Vec<String> = r
        .decision
        .pairs
        .values()
        .filter(|p| !p.verdict_settled)
        .map(|p| escape(&crate::export::console::unsettled(p)))
        .collect();
    if !unsettled.is_empty() {
        let _ = write!(
            w,
            "<p class=\"warning\"><strong>Too few draws for a firm verdict.</strong> {}</p>",
            unsettled.join(" ")
        );
    }
    if r.decision.pairs.len() > 1 {
        pairs_table(w, page);
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
            "<p class=\"note\">Verdicts by the probability: {}. A verdict names a band only when the whole \
             95% Wilson interval lies in it; otherwise it names the bands the interval spans and how many draws \
             would settle it. The Monte Carlo standard error says how precisely the draws pin the probability down.</p>",
            bands.join("; ")
        );
    }
    let _ = write!(
        w,
        "<p>Best option by expected present value: <strong>{}</strong>{}; expected value of perfect information {}.</p></section>",
        escape(page.name(best)),
        best_p.map_or_else(String::new, |p| format!(
            " (P(best) {})",
            probability(p.estimate, p.mcse)
        )),
        money(r.evpi_gbp),
    );
}

/// Every pair: its margin, probability, verdict and difference.
fn pairs_table(w: &mut String, page: &Page) {
    let _ = write!(
        w,
        "<table><thead><tr><th>question (A against B)</th><th>margin m</th><th>P(A − B &gt; m) ± MCSE</th><th>95% Wilson interval</th>\
         <th>verdict</th><th>mean A − B</th><th>95% interval of A − B</th></tr></thead><tbody>"
    );
    for p in page.r.decision.pairs.values() {
        let q = &p.p_a_beats_b;
        let _ = write!(
            w,
            "<tr data-pair=\"{ka}-{kb}\"><td>{question}</td>{}{}<td class=\"num\">{} to {}</td><td>{}</td>{}<td class=\"num\">{} to {}</td></tr>",
            num(p.margin_gbp, money(p.margin_gbp)),
            num(q.estimate, probability(q.estimate, q.mcse)),
            share(q.wilson_low),
            share(q.wilson_high),
            escape(&p.verdict),
            num(p.mean_difference_gbp, signed_money(p.mean_difference_gbp)),
            signed_money(p.difference_p2_5_gbp),
            signed_money(p.difference_p97_5_gbp),
            ka = escape(&p.a),
            kb = escape(&p.b),
            question = escape(&capitalised(&pair_question(
                page.name(&p.a),
                page.name(&p.b),
                p.margin_gbp
            ))),
        );
    }
    let _ = write!(w, "</tbody></table>");
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

pub(super) fn headline(w: &mut String, page: &Page) {
    let _ = write!(
        w,
        "<section id=\"headline\"><h2>Results by option</h2><p>Net efficiency against the comparator. Base case: the deterministic model at base values. \
         The base values of skewed inputs are their most likely values (a PERT's mode), not their means, so the mean over the draws \
         can lie well away from the base case (here right-skewed unit costs pull the means up); decisions under uncertainty use the mean. \
         Expected loss: the mean, over the draws, of how far the option's PV falls short of the best option's in that draw (zero in draws where it is best). \
         PSA: mean over draws with its Monte Carlo standard error, and the 2.5th to 97.5th percentile.</p>\
         <table><thead><tr><th>option</th><th>base PV</th><th>mean PV</th><th>MCSE</th><th>95% interval (PV)</th>\
         <th>base nominal</th><th>mean nominal</th><th>95% interval (nominal)</th><th>P(best)</th><th>expected loss</th></tr></thead><tbody>"
    );
    for (k, (id, o)) in page.r.options.iter().enumerate() {
        let (pvs, nom) = (&o.pv_gbp, &o.nominal_gbp);
        let _ = write!(
            w,
            "<tr data-option=\"{id}\"><td><span class=\"named\"><span class=\"swatch\" style=\"background:{c}\"></span><span>{name}</span></span></td>{}{}{}<td class=\"num\">{} to {}</td>{}{}<td class=\"num\">{} to {}</td>{}{}</tr>",
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
            name = escape(page.name(id)),
            c = plots::colour_hex(k),
        );
    }
    let _ = write!(w, "</tbody></table></section>");
}
