//! EVPPI by regression against closed forms: two options whose incremental
//! net benefit is linear in independent normal parameters.

use chh_psa::analysis::evppi::evppi;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// E[max(0, Z)] for Z ~ N(mu, sd²): mu Φ(mu/sd) + sd φ(mu/sd).
fn expected_positive_part(mu: f64, sd: f64) -> f64 {
    let n = Normal::standard();
    mu * n.cdf(mu / sd) + sd * n.pdf(mu / sd)
}

struct Case {
    x: Vec<f64>,
    y: Vec<f64>,
    w: Vec<f64>,
    net_benefit: Vec<Vec<f64>>,
}

/// NB of the comparator is 0; the other option's is a + b·X + c·Y; W is
/// drawn but plays no part.
fn case(n: usize, a: f64, b: f64, c: f64, seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = || -> Vec<f64> { (0..n).map(|_| StandardNormal.sample(&mut rng)).collect() };
    let (x, y, w) = (draw(), draw(), draw());
    let other = (0..n).map(|i| a + b * x[i] + c * y[i]).collect();
    Case {
        net_benefit: vec![vec![0.0; n], other],
        x,
        y,
        w,
    }
}

#[test]
fn single_parameter_evppi_matches_the_closed_form_within_its_standard_error() {
    let (a, b, c) = (-0.5, 1.0, 1.0);
    let exact = expected_positive_part(a, b) - 0.0_f64.max(a);
    for seed in [1, 2, 3] {
        let t = case(20_000, a, b, c, seed);
        let e = evppi(&[&t.x], &t.net_benefit, 9);
        assert!(e.se > 0.0 && e.se < 0.02, "se {}", e.se);
        assert!(
            (e.evppi - exact).abs() <= 3.0 * e.se,
            "seed {seed}: EVPPI {} vs closed form {exact} (se {})",
            e.evppi,
            e.se
        );
    }
}

#[test]
fn a_parameter_that_does_not_move_the_decision_is_worth_nothing() {
    let t = case(20_000, -0.5, 1.0, 1.0, 4);
    let e = evppi(&[&t.w], &t.net_benefit, 9);
    assert!(
        e.evppi.abs() <= 3.0 * e.se + 1e-3,
        "EVPPI of an irrelevant parameter {} (se {})",
        e.evppi,
        e.se
    );
}

#[test]
fn groups_are_worth_at_least_their_members_and_at_most_the_evpi() {
    let (a, b, c) = (-0.5, 1.0, 1.0);
    let t = case(20_000, a, b, c, 5);
    // Knowing X and Y is knowing everything: the EVPI, N(a, b² + c²).
    let evpi = expected_positive_part(a, (b * b + c * c).sqrt());
    let sample_evpi = t.net_benefit[1].iter().map(|v| v.max(0.0)).sum::<f64>() / t.x.len() as f64
        - 0.0_f64.max(t.net_benefit[1].iter().sum::<f64>() / t.x.len() as f64);
    let x = evppi(&[&t.x], &t.net_benefit, 9);
    let y = evppi(&[&t.y], &t.net_benefit, 9);
    let w = evppi(&[&t.w], &t.net_benefit, 9);
    let xy = evppi(&[&t.x, &t.y], &t.net_benefit, 9);
    let xyw = evppi(&[&t.x, &t.y, &t.w], &t.net_benefit, 9);
    for group in [&xy, &xyw] {
        assert!(
            (group.evppi - evpi).abs() <= 3.0 * group.se,
            "{}: {} vs EVPI {evpi} (se {})",
            group.method,
            group.evppi,
            group.se
        );
        // The regression's estimate may pass the sample EVPI by noise, within
        // its standard error; the run caps it there (tests/psa_run.rs).
        assert!(
            group.evppi <= sample_evpi + group.se,
            "{} > {sample_evpi} (se {})",
            group.evppi,
            group.se
        );
        for member in [&x, &y, &w] {
            assert!(
                group.evppi >= member.evppi,
                "{} < {}",
                group.evppi,
                member.evppi
            );
        }
    }
}

#[test]
fn evppi_is_reproducible_for_a_seed() {
    let t = case(5_000, -0.5, 1.0, 1.0, 6);
    assert_eq!(
        evppi(&[&t.x], &t.net_benefit, 3),
        evppi(&[&t.x], &t.net_benefit, 3)
    );
}

/// E[(θ − t)⁺] for θ ~ Beta(α, β), by Simpson's rule on [t, 1]: an exact
/// answer to the precision asked, independent of the engine.
fn beta_excess(alpha: f64, beta: f64, t: f64) -> f64 {
    use statrs::distribution::Beta;
    let law = Beta::new(alpha, beta).unwrap();
    let steps = 20_000;
    let h = (1.0 - t) / steps as f64;
    let f = |x: f64| (x - t) * law.pdf(x);
    let inner: f64 = (1..steps)
        .map(|i| f(t + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    h / 3.0 * (f(t) + inner + f(1.0))
}

/// The decision flips only in the top 0.5% of a skewed parameter: option A
/// is worth b·(t − θ) more than B, plus noise from elsewhere, with t the
/// 99.5th percentile of θ ~ Beta(2, 8). The EVPPI of θ is b·E[(θ − t)⁺], a
/// tail effect a smoother must not flatten.
#[test]
fn a_decision_that_flips_only_in_the_top_half_percent_is_found() {
    use statrs::distribution::{Beta, ContinuousCDF};
    let (alpha, beta_shape) = (2.0, 8.0);
    let t = Beta::new(alpha, beta_shape).unwrap().inverse_cdf(0.995);
    let b = 1e6;
    let exact = b * beta_excess(alpha, beta_shape, t);
    let law = rand_distr::Beta::new(alpha, beta_shape).unwrap();
    for seed in [11, 12, 13] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 20_000;
        let theta: Vec<f64> = (0..n).map(|_| law.sample(&mut rng)).collect();
        let noise: Vec<f64> = (0..n)
            .map(|_| 5e4 * Distribution::<f64>::sample(&StandardNormal, &mut rng))
            .collect();
        let a: Vec<f64> = (0..n).map(|i| b * (t - theta[i]) + noise[i]).collect();
        let e = evppi(&[&theta], &[a, vec![0.0; n]], 9);
        assert!(
            (e.evppi - exact).abs() <= 2.0 * e.se,
            "seed {seed}: EVPPI {} vs exact {exact} (se {})",
            e.evppi,
            e.se
        );
        assert!(
            e.evppi > 2.0 * e.se,
            "seed {seed}: {} is not clearly above 0 (se {})",
            e.evppi,
            e.se
        );
    }
}

/// First-order variance shares on a linear model with independent inputs:
/// each equals its input's share of the variance, b_i²·Var(X_i) / Σ, and
/// they sum to one; a skewed input (gamma) and a bounded one (uniform)
/// beside a normal.
#[test]
fn first_order_variance_shares_match_the_closed_form_on_a_linear_model() {
    use chh_psa::analysis::evppi::first_order_share;
    let n = 20_000;
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let normal: Vec<f64> = (0..n).map(|_| StandardNormal.sample(&mut rng)).collect();
    let gamma_law = rand_distr::Gamma::new(2.0, 1.5).unwrap();
    let gamma: Vec<f64> = (0..n).map(|_| gamma_law.sample(&mut rng)).collect();
    let uniform_law = rand_distr::Uniform::new(0.0, 6.0).unwrap();
    let uniform: Vec<f64> = (0..n).map(|_| uniform_law.sample(&mut rng)).collect();
    // Var: normal 1; gamma(2, 1.5) 2·1.5² = 4.5; uniform(0, 6) 36/12 = 3.
    let (b1, b2, b3) = (2.0, 1.0, 1.5);
    let parts = [b1 * b1 * 1.0, b2 * b2 * 4.5, b3 * b3 * 3.0];
    let total: f64 = parts.iter().sum();
    let y: Vec<f64> = (0..n)
        .map(|i| b1 * normal[i] + b2 * gamma[i] + b3 * uniform[i])
        .collect();
    let mut sum = 0.0;
    let mut sum_variance = 0.0;
    for (column, part) in [&normal, &gamma, &uniform].into_iter().zip(parts) {
        let (share, se) = first_order_share(column, &y, 4);
        let exact = part / total;
        assert!(se > 0.0 && se < 0.02, "se {se}");
        assert!(
            (share - exact).abs() <= 2.0 * se,
            "share {share} vs closed form {exact} (se {se})"
        );
        sum += share;
        sum_variance += se * se;
    }
    assert!(
        (sum - 1.0).abs() <= 2.0 * sum_variance.sqrt(),
        "shares sum to {sum}"
    );
    // An input the outcome ignores has no share.
    let (share, se) = first_order_share(&normal, &gamma, 4);
    assert!(
        share <= 2.0 * se + 1e-3,
        "irrelevant input's share {share} (se {se})"
    );
}

/// EVSI in the normal-normal conjugate case with net benefit linear in the
/// mean: θ ~ N(μ0, σ0²), a study of n observations with sd σ, NB = a + b·θ
/// against 0. E[θ | data] ~ N(μ0, σ0²·ρ) with ρ = σ0² / (σ0² + σ²/n), so
/// EVSI = E[max(0, a + b·E[θ | data])] − max(0, a + b·μ0) in closed form.
/// It rises with n, stays below the EVPPI and approaches it.
#[test]
fn evsi_matches_the_normal_normal_closed_form_and_rises_to_the_evppi() {
    use chh_psa::analysis::evsi::{Likelihood, evsi};
    let (mu0, sigma0, sigma) = (0.0, 1.0, 4.0);
    let (a, b) = (-0.4, 1.0);
    let n = 20_000;
    let mut rng = ChaCha8Rng::seed_from_u64(44);
    let theta: Vec<f64> = (0..n)
        .map(|_| mu0 + sigma0 * Distribution::<f64>::sample(&StandardNormal, &mut rng))
        .collect();
    let noise: Vec<f64> = (0..n)
        .map(|_| 0.5 * Distribution::<f64>::sample(&StandardNormal, &mut rng))
        .collect();
    let nb = vec![
        vec![0.0; n],
        (0..n).map(|i| a + b * theta[i] + noise[i]).collect(),
    ];
    let sizes = [1u64, 4, 16, 64, 256, 4096];
    let estimates = evsi(&[&theta], Likelihood::Normal { sd: sigma }, &sizes, &nb, 5);
    let evppi_exact =
        expected_positive_part(a + b * mu0, b.abs() * sigma0) - 0.0_f64.max(a + b * mu0);
    let mut previous = 0.0;
    for (&size, e) in sizes.iter().zip(&estimates) {
        let rho = sigma0 * sigma0 / (sigma0 * sigma0 + sigma * sigma / size as f64);
        let exact = expected_positive_part(a + b * mu0, b.abs() * sigma0 * rho.sqrt())
            - 0.0_f64.max(a + b * mu0);
        assert!(
            (e.evppi - exact).abs() <= 2.0 * e.se,
            "n = {size}: EVSI {} vs closed form {exact} (se {})",
            e.evppi,
            e.se
        );
        assert!(e.evppi >= previous - 2.0 * e.se, "EVSI fell at n = {size}");
        assert!(
            e.evppi <= evppi_exact + 2.0 * e.se,
            "EVSI above the EVPPI at n = {size}"
        );
        previous = e.evppi;
    }
    let last = estimates.last().unwrap();
    assert!(
        (last.evppi - evppi_exact).abs() <= 0.05 * evppi_exact + 2.0 * last.se,
        "a study of 4096 should learn nearly all: {} vs EVPPI {evppi_exact}",
        last.evppi
    );
}
