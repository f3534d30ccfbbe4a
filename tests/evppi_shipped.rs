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
    let mut engine = plan.engine(config, &plan.model, config.uncertainty);
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
