//! Sampling designs and correlated parameters, checked on the shipped
//! inputs (or a copy with a correlation group) through the library's sampler.

mod common;

use chh_psa::inputs::Inputs;
use chh_psa::sampling::{Design, Sampler, SamplingPlan};

/// A copy of the shipped distributions with `edit` applied to unit_costs.toml.
fn edited_inputs(edit: impl Fn(String) -> String) -> (tempfile::TempDir, Inputs) {
    let dir = tempfile::tempdir().unwrap();
    let distributions = common::distributions_copy(dir.path(), |name, text| {
        if name == "unit_costs.toml" {
            edit(text)
        } else {
            text
        }
    });
    let inputs = Inputs::load(&distributions).unwrap();
    (dir, inputs)
}

fn draws(sampler: &Sampler, inputs: &Inputs, n: u64) -> Vec<Vec<f64>> {
    let mut row = vec![0.0; inputs.parameters.len()];
    let mut columns = vec![Vec::with_capacity(n as usize); inputs.parameters.len()];
    for i in 0..n {
        sampler.draw(i, &mut row);
        for (c, v) in columns.iter_mut().zip(&row) {
            c.push(*v);
        }
    }
    columns
}

use common::spearman;

fn mean_var(x: &[f64]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = x.iter().map(|a| (a - m).powi(4)).sum::<f64>() / n;
    (m, v, m4)
}

const LOGNORMAL_GAMMA: &str = r#"
[[correlation]]
about = "Both prices follow the national tariff"
parameters = ["cost_ae_attendance", "cost_admission"]
spearman = [[1.0, 0.6], [0.6, 1.0]]
source = "test"
"#;

fn lognormal_and_gamma(text: String) -> String {
    text.replace(
        r#"distribution = { family = "pert", min = 120.0, mode = 150.0, max = 250.0 }"#,
        r#"distribution = { family = "lognormal", mean = 160.0, se = 30.0 }"#,
    )
    .replace(
        r#"distribution = { family = "pert", min = 500.0, mode = 700.0, max = 1800.0 }"#,
        r#"distribution = { family = "gamma", mean = 850.0, se = 250.0 }"#,
    ) + LOGNORMAL_GAMMA
}

#[test]
fn a_copula_gives_the_target_spearman_and_keeps_each_marginal() {
    let (_dir, inputs) = edited_inputs(lognormal_and_gamma);
    let a = inputs.parameter_index("cost_ae_attendance").unwrap();
    let b = inputs.parameter_index("cost_admission").unwrap();
    assert_eq!(inputs.parameters[a].distribution.family(), "lognormal");
    assert_eq!(inputs.parameters[b].distribution.family(), "gamma");
    let n = 100_000;
    for design in [Design::Random, Design::LatinHypercube, Design::Sobol] {
        let plan = SamplingPlan::new(&inputs, design, false).unwrap();
        let sampler = Sampler::new(&inputs, &plan, 20221101, n);
        let columns = draws(&sampler, &inputs, n);
        let rho = spearman(&columns[a], &columns[b]);
        assert!((rho - 0.6).abs() <= 0.01, "{design:?}: Spearman {rho}");
        // Moments against the closed forms: lognormal and gamma fitted from
        // mean and se have exactly that mean and se², within 5 MCSE.
        for (column, mean, se) in [(&columns[a], 160.0, 30.0), (&columns[b], 850.0, 250.0)] {
            let (m, v, m4) = mean_var(column);
            let nf = n as f64;
            assert!(
                (m - mean).abs() < 5.0 * se / nf.sqrt(),
                "{design:?}: mean {m}"
            );
            let var_se = ((m4 - v * v) / nf).sqrt();
            assert!(
                (v - se * se).abs() < 5.0 * var_se,
                "{design:?}: variance {v}"
            );
        }
        // The other parameters stay independent of the group.
        let other = inputs.parameter_index("cost_new_outpatient").unwrap();
        let rho = spearman(&columns[a], &columns[other]);
        assert!(rho.abs() < 0.02, "{design:?}: unrelated Spearman {rho}");
    }
}

#[test]
fn a_matrix_that_is_not_positive_definite_is_refused_unless_repaired() {
    let three = |text: String| {
        text + r#"
[[correlation]]
parameters = ["cost_new_outpatient", "cost_ae_attendance", "cost_admission"]
spearman = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]
source = "test"
"#
    };
    let (_dir, inputs) = edited_inputs(three);
    let err = SamplingPlan::new(&inputs, Design::Random, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unit_costs.toml"), "{err}");
    assert!(err.contains("not positive definite"), "{err}");
    assert!(err.contains("repair_correlations"), "{err}");
    let plan = SamplingPlan::new(&inputs, Design::Random, true).unwrap();
    assert!(plan.copulas[0].repaired);
}

#[test]
fn a_latin_hypercube_puts_one_draw_in_each_stratum_of_every_parameter() {
    let inputs = Inputs::load(&common::manifest().join("distributions")).unwrap();
    let n = 1000u64;
    let plan = SamplingPlan::new(&inputs, Design::LatinHypercube, false).unwrap();
    let sampler = Sampler::new(&inputs, &plan, 7, n);
    let columns = draws(&sampler, &inputs, n);
    let mut checked = 0;
    for (p, column) in inputs.parameters.iter().zip(&columns) {
        if !p.is_sampled() {
            continue;
        }
        let mut counts = vec![0u32; n as usize];
        for &x in column {
            // The stratum is the k with quantile(k/n) ≤ x < quantile((k+1)/n).
            let (mut low, mut high) = (0usize, n as usize);
            while high - low > 1 {
                let mid = (low + high) / 2;
                if p.distribution.quantile(mid as f64 / n as f64) <= x {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            let k = low;
            counts[k] += 1;
        }
        assert!(
            counts.iter().all(|&c| c == 1),
            "{}: strata holding other than one draw: {}",
            p.name,
            counts.iter().filter(|&&c| c != 1).count()
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} sampled parameters");
}

/// Root mean square error, over `seeds` seeds, of the mean of
/// Σ parameters + (a product of two) at N draws, whose exact mean is known
/// from the closed-form means.
fn rmse(inputs: &Inputs, design: Design, n: u64, seeds: u64) -> f64 {
    let a = inputs.parameter_index("cost_admission").unwrap();
    let b = inputs.parameter_index("impact_admission").unwrap();
    let sampled = inputs.sampled();
    let f = |x: &[f64]| sampled.iter().map(|&i| x[i]).sum::<f64>() + x[a] * x[b];
    let means: Vec<f64> = inputs
        .parameters
        .iter()
        .map(|p| p.distribution.mean())
        .collect();
    let exact = f(&means);
    let plan = SamplingPlan::new(inputs, design, false).unwrap();
    let mut total = 0.0;
    for seed in 0..seeds {
        let sampler = Sampler::new(inputs, &plan, 1000 + seed, n);
        let mut row = vec![0.0; inputs.parameters.len()];
        let mut sum = 0.0;
        for i in 0..n {
            sampler.draw(i, &mut row);
            sum += f(&row);
        }
        total += (sum / n as f64 - exact).powi(2);
    }
    (total / seeds as f64).sqrt()
}

#[test]
fn sobol_and_latin_hypercube_estimate_a_known_mean_better_than_simple_random() {
    let inputs = Inputs::load(&common::manifest().join("distributions")).unwrap();
    let (n, seeds) = (4096, 8);
    let random = rmse(&inputs, Design::Random, n, seeds);
    let sobol = rmse(&inputs, Design::Sobol, n, seeds);
    let lhs = rmse(&inputs, Design::LatinHypercube, n, seeds);
    eprintln!(
        "RMSE at N = {n} over {seeds} seeds: random {random}, Latin hypercube {lhs}, Sobol {sobol}"
    );
    assert!(sobol < random / 2.0, "Sobol {sobol} vs random {random}");
    assert!(lhs < random / 2.0, "LHS {lhs} vs random {random}");
}

#[test]
fn every_design_gives_draw_i_from_the_seed_and_i_alone() {
    let inputs = Inputs::load(&common::manifest().join("distributions")).unwrap();
    for design in [Design::Random, Design::LatinHypercube, Design::Sobol] {
        let plan = SamplingPlan::new(&inputs, design, false).unwrap();
        let sampler = Sampler::new(&inputs, &plan, 11, 5000);
        let width = inputs.parameters.len();
        let (mut first, mut again) = (vec![0.0; width], vec![0.0; width]);
        sampler.draw(4321, &mut first);
        for i in [0, 17, 4999] {
            sampler.draw(i, &mut again);
        }
        sampler.clone().draw(4321, &mut again);
        assert_eq!(first, again, "{design:?}");
    }
}
