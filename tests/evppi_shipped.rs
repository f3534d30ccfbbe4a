//! The EVPPI of the parameter that can reverse the shipped decision,
//! `accelerated_slip_probability`, against an exact conditional-mean
//! estimate. Given the roll-out, each hub's value is additive and its slip a
//! Bernoulli of that probability, so E[PV of each option | slip = s] is
//! linear in s: it is estimated at s = 0 and s = 1 by a large Monte Carlo
//! over everything else (common draws, another seed), checked at s = ½,
//! and the EVPPI follows by integrating max over options against the
//! parameter's own distribution.

mod common;
use common::{ok, run_shipped, summary};

use chh_psa::run::{Overrides, Plan, RunConfig};

const PARAMETER: &str = "accelerated_slip_probability";

/// Each option's mean PV over `draws` draws with the parameter held at `s`.
fn conditional_means(
    plan: &Plan,
    config: &RunConfig,
    slot: usize,
    s: f64,
    draws: usize,
) -> Vec<f64> {
    let mut engine = chh_psa::run::engine_for_plan(plan, config, &plan.model, config.uncertainty);
    engine.adjustments.set = vec![(slot, s)];
    let options = plan.model.options.len();
    let mut pv = vec![0.0; draws * options];
    engine.present_values(0, &mut pv);
    (0..options)
        .map(|k| pv.iter().skip(k).step_by(options).sum::<f64>() / draws as f64)
        .collect()
}

#[test]
fn slip_probability_evppi_agrees_with_the_exact_conditional_mean_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    ok(run_shipped(&out, &["--samples", "20000", "--seed", "7"]));
    let results = summary(&out);
    let row = results
        .evppi
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.name == PARAMETER)
        .unwrap()
        .clone();

    // The exact estimate, from draws independent of the run's.
    let overrides = Overrides {
        samples: Some(200_000),
        seed: Some(99),
        ..Default::default()
    };
    let config = RunConfig::load(&common::manifest().join("runs/base.toml"), &overrides).unwrap();
    let plan = Plan::new(&config).unwrap();
    let slot = plan.inputs.parameter_index(PARAMETER).unwrap();
    let draws = 200_000;
    let at0 = conditional_means(&plan, &config, slot, 0.0, draws);
    let at1 = conditional_means(&plan, &config, slot, 1.0, draws);
    let half = conditional_means(&plan, &config, slot, 0.5, draws);
    for k in 0..at0.len() {
        let line = (at0[k] + at1[k]) / 2.0;
        assert!(
            (half[k] - line).abs() <= 2e-3 * line.abs().max(1e6),
            "option {k}: E[PV | s] is not linear in s ({} vs {line})",
            half[k]
        );
    }
    // E over s of max_k E[PV_k | s], less max_k E[PV_k]: the midpoint rule on
    // the parameter's own quantile function.
    let law = &plan.inputs.parameter(PARAMETER).unwrap().distribution;
    let grid = 200_000;
    let (mut mean_max, mut mean_s) = (0.0, 0.0);
    for i in 0..grid {
        let s = law.quantile((i as f64 + 0.5) / grid as f64);
        mean_s += s / grid as f64;
        mean_max += (0..at0.len())
            .map(|k| at0[k] + (at1[k] - at0[k]) * s)
            .fold(f64::NEG_INFINITY, f64::max)
            / grid as f64;
    }
    let max_mean = (0..at0.len())
        .map(|k| at0[k] + (at1[k] - at0[k]) * mean_s)
        .fold(f64::NEG_INFINITY, f64::max);
    let exact = mean_max - max_mean;
    eprintln!(
        "{PARAMETER}: exact EVPPI £{exact:.0}; the run's £{:.0} ± £{:.0}",
        row.evppi_gbp, row.se_gbp
    );

    assert!(exact > 100.0, "the exact EVPPI is {exact}");
    assert!(
        row.evppi_gbp > 2.0 * row.se_gbp,
        "EVPPI {} is not clearly positive (se {})",
        row.evppi_gbp,
        row.se_gbp
    );
    assert!(
        (row.evppi_gbp - exact).abs() <= 2.0 * row.se_gbp,
        "EVPPI {} vs exact {exact} (se {})",
        row.evppi_gbp,
        row.se_gbp
    );
}

/// A copy of the shipped files with every parameter fixed at base but `keep`.
fn only_sampled(into: &std::path::Path, keep: &[&str]) -> std::path::PathBuf {
    common::distributions_copy(into, |_, text| {
        let mut current = String::new();
        text.lines()
            .map(|line| {
                if let Some(name) = line
                    .strip_prefix("[parameters.")
                    .and_then(|l| l.strip_suffix(']'))
                {
                    current = name.to_string();
                }
                if line.starts_with("distribution = ") && !keep.contains(&current.as_str()) {
                    "distribution = { family = \"fixed\" }".to_string()
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// With two sampled parameters, the regression on both (a tensor spline,
/// valid for two) and the nested estimate of every sampled parameter
/// together estimate the same EVPPI; the split adds up to the EVPI.
#[test]
fn nested_learnable_evppi_agrees_with_the_regression_where_both_hold() {
    let keep = [
        "accelerated_slip_probability",
        "rushed_first_year_realisation",
    ];
    let dir = tempfile::tempdir().unwrap();
    only_sampled(dir.path(), &keep);
    let run_file = dir.path().join("run.toml");
    std::fs::write(
        &run_file,
        "samples = 20000\nseed = 5\ndistributions = \"distributions\"\noutput = \"out\"\n[decision]\ncompare = [[\"accelerated\", \"supported\"]]\n[evppi]\nparameters = false\nnested_outer_draws = 4000\nnested_inner_draws = 40\n[evppi.groups]\nboth = [\"accelerated_slip_probability\", \"rushed_first_year_realisation\"]\n",
    )
    .unwrap();
    ok(common::chh_psa(&[
        "run",
        run_file.to_str().unwrap(),
        "--quiet",
    ]));
    let results = summary(&dir.path().join("out"));
    let evppi = results.evppi.unwrap();
    let regression = &evppi.rows[0];
    let split = evppi.split.unwrap();
    eprintln!(
        "regression on both: £{:.0} ± £{:.0}; nested: £{:.0} ± £{:.0}; EVPI £{:.0}",
        regression.evppi_gbp,
        regression.se_gbp,
        split.learnable_estimate_gbp,
        split.learnable_se_gbp,
        evppi.evpi_gbp
    );
    let combined = (regression.se_gbp.powi(2) + split.learnable_se_gbp.powi(2)).sqrt();
    assert!(
        (regression.evppi_gbp - split.learnable_estimate_gbp).abs() <= 2.0 * combined,
        "regression £{} vs nested £{} (combined se £{combined})",
        regression.evppi_gbp,
        split.learnable_estimate_gbp
    );
    assert!(split.learnable_gbp > 0.0);
    assert!(
        (split.learnable_gbp + split.irreducible_gbp - evppi.evpi_gbp).abs()
            < 1e-9 * evppi.evpi_gbp
    );
    assert!(split.irreducible_gbp >= 0.0 && split.learnable_gbp <= evppi.evpi_gbp);
}

/// Without roll-out uncertainty nothing is irreducible: learning every
/// parameter is learning everything, and the nested estimate (one exact
/// evaluation a draw) is the EVPI of its draws.
#[test]
fn without_rollout_uncertainty_everything_is_learnable() {
    let dir = tempfile::tempdir().unwrap();
    let run_file = dir.path().join("run.toml");
    std::fs::write(
        &run_file,
        format!(
            "samples = 3000\nseed = 2\ndistributions = {:?}\noutput = \"out\"\n[uncertainty]\nrollout = false\n[evppi]\nnested_outer_draws = 3000\n",
            common::manifest().join("distributions").to_str().unwrap()
        ),
    )
    .unwrap();
    ok(common::chh_psa(&[
        "run",
        run_file.to_str().unwrap(),
        "--quiet",
    ]));
    let evppi = summary(&dir.path().join("out")).evppi.unwrap();
    let split = evppi.split.unwrap();
    assert_eq!(split.inner_draws, 1);
    assert!(
        (split.learnable_estimate_gbp - evppi.evpi_gbp).abs() <= 1e-6 * evppi.evpi_gbp.max(1.0),
        "{} vs EVPI {}",
        split.learnable_estimate_gbp,
        evppi.evpi_gbp
    );
    assert!(split.irreducible_gbp.abs() <= 1e-6 * evppi.evpi_gbp.max(1.0));
}

/// The run's first-order variance shares of the headline difference
/// against a Saltelli (2010) pick-freeze estimate on the shipped model:
/// V_i = mean of f(B)·(f(A_B^i) − f(A)), where A_B^i is A with parameter i
/// from B, and A's roll-out stream kept (it is part of A's inputs).
#[test]
fn variance_shares_agree_with_a_saltelli_design_on_the_shipped_model() {
    use chh_psa::outcomes::{self, Rollout, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    ok(run_shipped(&out, &["--samples", "20000", "--seed", "7"]));
    let results = summary(&out);

    let overrides = Overrides {
        samples: Some(40_000),
        seed: Some(31),
        ..Default::default()
    };
    let config = RunConfig::load(&common::manifest().join("runs/base.toml"), &overrides).unwrap();
    let plan = Plan::new(&config).unwrap();
    let engine = chh_psa::run::engine_for_plan(&plan, &config, &plan.model, config.uncertainty);
    let model = &plan.model;
    let index = |id: &str| model.options.iter().position(|o| o.id == id).unwrap();
    let (a, b) = (index("accelerated"), index("supported"));
    let options = model.options.len();
    let mut ws = Workspace::new(model);
    let mut totals = outcomes::Totals::new(options);
    let mut f = |values: &[f64], draw: u64| {
        outcomes::evaluate(
            model,
            values,
            Rollout::Sampled {
                seed: config.seed,
                draw,
            },
            &mut ws,
            &mut totals,
        );
        totals.present_value[a] - totals.present_value[b]
    };
    let n = 20_000u64;
    let width = plan.inputs.parameters.len();
    let draw = |j: u64| {
        let mut v = vec![0.0; width];
        engine.sampler.draw(j, &mut v);
        v
    };
    let (sample_a, sample_b): (Vec<Vec<f64>>, Vec<Vec<f64>>) =
        (0..n).map(|j| (draw(j), draw(j + n))).unzip();
    let fa: Vec<f64> = (0..n).map(|j| f(&sample_a[j as usize], j)).collect();
    let fb: Vec<f64> = (0..n).map(|j| f(&sample_b[j as usize], j + n)).collect();
    let all: Vec<f64> = fa.iter().chain(&fb).copied().collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let variance = all.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / all.len() as f64;
    for name in [
        "rushed_first_year_realisation",
        "accelerated_slip_probability",
        "impact_admission",
    ] {
        let slot = plan.inputs.parameter_index(name).unwrap();
        let terms: Vec<f64> = (0..n as usize)
            .map(|j| {
                let mut mixed = sample_a[j].clone();
                mixed[slot] = sample_b[j][slot];
                fb[j] * (f(&mixed, j as u64) - fa[j])
            })
            .collect();
        let m = terms.iter().sum::<f64>() / n as f64;
        let se = (terms.iter().map(|t| (t - m).powi(2)).sum::<f64>() / (n as f64 - 1.0) / n as f64)
            .sqrt()
            / variance;
        let saltelli = m / variance;
        let run = results
            .ranking_robustness
            .variance_shares
            .iter()
            .find(|s| s.input == name)
            .unwrap();
        eprintln!(
            "{name}: run {:.3} ± {:.3}; Saltelli {saltelli:.3} ± {se:.3}",
            run.share, run.se
        );
        let combined = (run.se.powi(2) + se.powi(2)).sqrt();
        assert!(
            (run.share - saltelli).abs() <= 2.0 * combined,
            "{name}: run {} vs Saltelli {saltelli} (combined se {combined})",
            run.share
        );
        assert!(saltelli > 0.02, "{name} should matter: {saltelli}");
    }
}

/// The reported EVSI of each shipped study, over several seeds at 10^4
/// draws: never falling as the study grows, never above the EVPPI of the
/// parameters it informs, never below zero; left as estimated where the
/// estimates already obey both; the raw estimates kept in `evsi.parquet`.
#[test]
fn reported_evsi_rises_with_study_size_and_stays_below_its_evppi() {
    for seed in ["1", "2", "3", "4"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        ok(run_shipped(&out, &["--seed", seed]));
        let results = summary(&out);
        assert_eq!(results.run.samples, 10_000);
        assert!(!results.evsi.is_empty());
        let table = chh_psa::export::parquet::read(&out.join("evsi.parquet")).unwrap();
        let raw = common::floats(&table, "raw_estimate_gbp");
        let mut row = 0;
        for study in &results.evsi {
            let shown: Vec<f64> = study.points.iter().map(|p| p.evsi_gbp).collect();
            let estimates: Vec<f64> = study.points.iter().map(|p| p.estimate_gbp).collect();
            assert!(
                shown.windows(2).all(|w| w[0] <= w[1]),
                "seed {seed}, {}: {shown:?}",
                study.name
            );
            assert!(
                shown.iter().all(|v| (0.0..=study.evppi_gbp).contains(v)),
                "seed {seed}, {}: {shown:?} against EVPPI {}",
                study.name,
                study.evppi_gbp
            );
            let obeys = estimates.windows(2).all(|w| w[0] <= w[1])
                && estimates
                    .iter()
                    .all(|v| (0.0..=study.evppi_gbp).contains(v));
            if obeys {
                assert_eq!(shown, estimates, "seed {seed}, {}", study.name);
            }
            for (p, e) in study.points.iter().zip(&estimates) {
                assert_eq!(raw[row], *e);
                assert_eq!(p.distinguishable_from_zero, *e > 1.96 * p.se_gbp);
                row += 1;
            }
        }
    }
}
