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
