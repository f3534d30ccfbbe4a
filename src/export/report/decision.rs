//! The decision under uncertainty: each option's distribution, the paired
//! difference, the margin curve, ranks and the pairwise matrix.

use std::fmt::Write as _;

use super::*;

pub(super) fn distributions(w: &mut String, page: &Page) -> Drawn {
    let _ = write!(
        w,
        "<section id=\"distributions\"><h2>Distribution of each option's present value</h2>{}</section>",
        figure(
            &plots::distributions(&page.ids, page.pv, "present value against the comparator")?,
            "Histograms of each option's present value against the comparator over the draws"
        )
    );
    Ok(())
}

/// Each pair's paired difference over the draws, and its draws as points.
pub(super) fn difference(w: &mut String, page: &Page) -> Drawn {
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
         the comparison is in their paired difference, draw by draw. Shaded: the draws where A − B exceeds the pair's margin. \
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

pub(super) fn decision_curve(w: &mut String, page: &Page) -> Drawn {
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
            margin: p.margin_gbp,
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
         needs; the dot on each curve is that pair's own margin, where the run reads its answer. The curves are in <code>decision_curve.parquet</code>.</p>{}</section>",
        figure(
            &plots::margin_curves(&curves)?,
            "The probability that A's PV exceeds B's by more than a margin, over margins, for each pair"
        )
    );
    Ok(())
}

pub(super) fn ranks(w: &mut String, page: &Page) -> Drawn {
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
        let _ = write!(w, "<tr><td>{}</td>", escape(page.name(id)));
        for p in row {
            let _ = write!(w, "{}", num(*p, share(*p)));
        }
        let _ = write!(w, "</tr>");
    }
    let _ = write!(w, "</tbody></table></section>");
    Ok(())
}

pub(super) fn pairwise(w: &mut String, page: &Page) -> Drawn {
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
