//! The fits against distributions with a known answer, and the refusals.

use super::*;
use crate::distribution::{Continuous, Family};

fn judgements(values: &[f64], probabilities: &[f64], lower: f64, upper: f64) -> Judgements {
    Judgements {
        values: values.to_vec(),
        probabilities: probabilities.to_vec(),
        lower,
        upper,
        weights: vec![1.0; values.len()],
        df: T_DF,
    }
}

/// Quantiles read off a known distribution are fitted back to it.
/// `truth` placed at `offset + span × truth`, fitted within `limits`.
fn recovers(truth: &Distribution, (offset, span): (f64, f64), shape: Shape, limits: (f64, f64)) {
    let (lower, upper) = limits;
    // The quantile of offset + span × truth (a negative span mirrors it).
    let at = |p: f64| offset + span * truth.quantile(if span < 0.0 { 1.0 - p } else { p });
    let p = [0.1, 0.25, 0.5, 0.75, 0.9];
    let v: Vec<f64> = p.iter().map(|&p| at(p)).collect();
    let fit = ExpertFit::fit(judgements(&v, &p, lower, upper), Some(shape)).unwrap();
    assert!(fit.sum_of_squares < 1e-20, "{}", fit.sum_of_squares);
    for q in [0.01, 0.05, 0.3, 0.5, 0.95, 0.99] {
        let (want, got) = (at(q), fit.quantile(q));
        assert!(
            (want - got).abs() <= 1e-6 * want.abs().max(span.abs()),
            "{} at {q}: {got} against {want}",
            shape.name()
        );
        assert!(
            (fit.cdf(got) - q).abs() < 1e-9,
            "the CDF inverts the quantile"
        );
    }
    // Mean and variance fix each two-parameter family's parameters, so
    // both within 1e-4 is the parameters recovered.
    let (m, got) = (offset + span * truth.mean(), fit.mean());
    assert!(
        (m - got).abs() <= 1e-4 * m.abs().max(span.abs()),
        "mean {got} against {m}"
    );
    let (v, got) = (span * span * truth.variance(), fit.variance());
    assert!((v - got).abs() <= 1e-4 * v, "variance {got} against {v}");
}

#[test]
fn each_family_recovers_the_distribution_its_quantiles_came_from() {
    let normal = Distribution::Normal(NormalDist::new(10.0, 3.0).unwrap());
    let none = (f64::NEG_INFINITY, f64::INFINITY);
    recovers(&normal, (0.0, 1.0), Shape::Normal, none);
    let lognormal = Distribution::LogNormal(LogNormalDist::new(1.0, 0.4).unwrap());
    recovers(
        &lognormal,
        (5.0, 1.0),
        Shape::LogNormal,
        (5.0, f64::INFINITY),
    );
    let gamma = Distribution::Gamma(GammaDist::new(3.0, 2.0).unwrap());
    recovers(&gamma, (0.0, 1.0), Shape::Gamma, (0.0, f64::INFINITY));
    let beta = Distribution::Beta(BetaDist::new(2.0, 6.0).unwrap());
    recovers(&beta, (10.0, 40.0), Shape::Beta, (10.0, 50.0));
    let t = Distribution::StudentT(StudentTDist::new(4.0, 1.5, T_DF).unwrap());
    recovers(&t, (0.0, 1.0), Shape::StudentT, none);
    // 100 − a gamma and 1 − a lognormal, bounded above.
    recovers(
        &gamma,
        (100.0, -1.0),
        Shape::MirroredGamma,
        (f64::NEG_INFINITY, 100.0),
    );
    recovers(
        &lognormal,
        (1.0, -1.0),
        Shape::MirroredLogNormal,
        (f64::NEG_INFINITY, 1.0),
    );
}

/// Five quantiles of a skew-normal give back its location, scale and
/// shape, leaning either way.
#[test]
fn the_skew_normal_recovers_its_parameters() {
    let none = (f64::NEG_INFINITY, f64::INFINITY);
    for truth in [[2.0, 3.0, 4.0], [-10.0, 0.5, -2.5], [100.0, 20.0, 0.8]] {
        let [location, scale, shape] = truth;
        let sn = Distribution::SkewNormal(SkewNormalDist::new(location, scale, shape).unwrap());
        recovers(&sn, (0.0, 1.0), Shape::SkewNormal, none);
        let p = [0.1, 0.25, 0.5, 0.75, 0.9];
        let v: Vec<f64> = p.iter().map(|&p| sn.quantile(p)).collect();
        let fit = ExpertFit::fit(judgements(&v, &p, none.0, none.1), Some(Shape::SkewNormal));
        let Distribution::SkewNormal(d) = *fit.unwrap().inner else {
            panic!("not a skew-normal");
        };
        for (got, want) in d.parameters().into_iter().zip(truth) {
            assert!(
                (got - want).abs() <= 1e-4 * want.abs(),
                "{:?} against {truth:?}",
                d.parameters()
            );
        }
    }
}

#[test]
fn best_picks_the_family_the_judgements_came_from() {
    let gamma = Distribution::Gamma(GammaDist::new(2.0, 1.5).unwrap());
    let p = [0.1, 0.5, 0.9];
    let v: Vec<f64> = p.iter().map(|&p| gamma.quantile(p)).collect();
    let fit = ExpertFit::fit(judgements(&v, &p, 0.0, f64::INFINITY), None).unwrap();
    assert_eq!(fit.shape, Shape::Gamma);
    // Without limits, the normal, t or skew-normal, whichever fits best.
    let free = judgements(&v, &p, f64::NEG_INFINITY, f64::INFINITY);
    let fit = ExpertFit::fit(free.clone(), None).unwrap();
    let each = [Shape::Normal, Shape::StudentT, Shape::SkewNormal].map(|s| {
        ExpertFit::fit(free.clone(), Some(s))
            .unwrap()
            .sum_of_squares
    });
    assert!(matches!(
        fit.shape,
        Shape::Normal | Shape::StudentT | Shape::SkewNormal
    ));
    assert_eq!(
        fit.sum_of_squares,
        each.into_iter().fold(f64::INFINITY, f64::min)
    );
    // With two judgements the skew-normal's three parameters are not
    // fixed, so `best` leaves it out.
    let two = judgements(&[v[0], v[2]], &[0.1, 0.9], f64::NEG_INFINITY, f64::INFINITY);
    let two = ExpertFit::fit(two, None).unwrap();
    assert!(matches!(two.shape, Shape::Normal | Shape::StudentT));
    // Bounded above only: the mirrored families; by both: the beta.
    let mirrored: Vec<f64> = p.iter().rev().map(|&p| 100.0 - gamma.quantile(p)).collect();
    let j = judgements(&mirrored, &p, f64::NEG_INFINITY, 100.0);
    assert_eq!(ExpertFit::fit(j, None).unwrap().shape, Shape::MirroredGamma);
    let j = judgements(&v, &p, 0.0, 20.0);
    assert_eq!(ExpertFit::fit(j, None).unwrap().shape, Shape::Beta);
}

#[test]
fn judgements_that_cannot_be_fitted_are_refused_with_the_reason() {
    let inf = f64::INFINITY;
    let refused = |j: Judgements, shape: Option<Shape>, says: &str| {
        let e = ExpertFit::fit(j, shape).unwrap_err().to_string();
        assert!(e.contains(says), "{e}");
    };
    refused(
        judgements(&[2.0, 1.0], &[0.25, 0.75], -inf, inf),
        None,
        "must increase",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.75, 0.25], -inf, inf),
        None,
        "must increase",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.0, 0.75], -inf, inf),
        None,
        "strictly between 0 and 1",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.45, 0.75], -inf, inf),
        None,
        "below 0.4",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.25, 0.55], -inf, inf),
        None,
        "above 0.6",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.25, 0.75], 1.0, inf),
        None,
        "inside the limits",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.25, 0.75], 0.0, inf),
        Some(Shape::Beta),
        "both `lower` and `upper`",
    );
    refused(
        judgements(&[1.0, 2.0], &[0.25, 0.75], -inf, inf),
        Some(Shape::Gamma),
        "a `lower` limit",
    );
    refused(judgements(&[1.0], &[0.25], -inf, inf), None, "at least two");
    refused(
        judgements(&[1.0, 2.0], &[0.25, 0.75], -inf, inf),
        Some(Shape::SkewNormal),
        "at least three judgements",
    );
    let mut heavy = judgements(&[1.0, 2.0], &[0.25, 0.75], -inf, inf);
    heavy.df = 2.0;
    refused(
        heavy,
        Some(Shape::StudentT),
        "more than 2 degrees of freedom",
    );
}
