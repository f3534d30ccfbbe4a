//! The skew-normal (Azzalini 1985) with location ξ, scale ω and shape α:
//! density (2/ω) φ(z) Φ(αz) at z = (x − ξ)/ω. SHELF fits it where an
//! expert's judgements lean to one side without limits, and there are at
//! least three of them to fix its three parameters. α = 0 is the normal;
//! as |α| grows it tends to a half-normal, so its skewness stays below
//! 0.9953 in magnitude.
//!
//! Its CDF is Φ(z) − 2T(z, α) with Owen's T function (Owen 1956), here
//! by Gauss–Legendre quadrature of T's defining integral; the quantile is
//! Newton's method kept inside a bracket that bounds it.

use std::sync::OnceLock;

use rand::Rng;
use rand_distr::{Distribution as _, StandardNormal};
use statrs::distribution::{ContinuousCDF, Normal};

use super::Infeasible;

#[derive(Debug, Clone, PartialEq)]
pub struct SkewNormalDist {
    location: f64,
    scale: f64,
    shape: f64,
}

impl SkewNormalDist {
    pub fn new(location: f64, scale: f64, shape: f64) -> Result<Self, Infeasible> {
        super::finite("location", location)?;
        super::positive("scale", scale)?;
        super::finite("shape", shape)?;
        Ok(SkewNormalDist {
            location,
            scale,
            shape,
        })
    }

    /// Location, scale and shape.
    pub fn parameters(&self) -> [f64; 3] {
        [self.location, self.scale, self.shape]
    }

    /// δ = α/√(1 + α²), the weight of the half-normal part.
    fn delta(&self) -> f64 {
        self.shape / (1.0 + self.shape * self.shape).sqrt()
    }
}

impl super::Family for SkewNormalDist {
    fn mean(&self) -> f64 {
        self.location + self.scale * self.delta() * (2.0 / std::f64::consts::PI).sqrt()
    }

    fn variance(&self) -> f64 {
        let d = self.delta();
        self.scale * self.scale * (1.0 - 2.0 * d * d / std::f64::consts::PI)
    }

    fn quantile(&self, p: f64) -> f64 {
        if p <= 0.0 {
            return f64::NEG_INFINITY;
        }
        if p >= 1.0 {
            return f64::INFINITY;
        }
        // Mirroring: the α < 0 quantile is minus the −α one at 1 − p.
        let z = if self.shape >= 0.0 {
            standard_quantile(p, self.shape)
        } else {
            -standard_quantile(1.0 - p, -self.shape)
        };
        self.location + self.scale * z
    }

    fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }

    /// Azzalini's representation: δ|U₀| + √(1 − δ²) U₁ for independent
    /// standard normals U₀, U₁ is a standard skew-normal with shape α.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let (u0, u1): (f64, f64) = (StandardNormal.sample(rng), StandardNormal.sample(rng));
        let d = self.delta();
        self.location + self.scale * (d * u0.abs() + (1.0 - d * d).sqrt() * u1)
    }

    fn describe(&self) -> String {
        format!(
            "skew_normal(location={:.6}, scale={:.6}, shape={:.6})",
            self.location, self.scale, self.shape
        )
    }
}

impl super::Continuous for SkewNormalDist {
    fn cdf(&self, x: f64) -> f64 {
        standard_cdf((x - self.location) / self.scale, self.shape)
    }
}

/// Φ(x), to a few units in the last place in both tails (libm's erfc;
/// the skew-normal's CDF subtracts two such terms, so it needs them).
fn phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

fn phi_inverse(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// P(Z ≤ z) for the standard skew-normal with shape α.
fn standard_cdf(z: f64, shape: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    (phi(z) - 2.0 * owens_t(z, shape)).clamp(0.0, 1.0)
}

fn standard_density(z: f64, shape: f64) -> f64 {
    let normal = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    2.0 * normal * phi(shape * z)
}

/// The p-quantile of the standard skew-normal with shape α ≥ 0, which
/// lies between the normal's (α = 0) and the half-normal's (α → ∞).
fn standard_quantile(p: f64, shape: f64) -> f64 {
    let (mut low, mut high) = (phi_inverse(p), phi_inverse(0.5 + 0.5 * p));
    if shape == 0.0 {
        return low;
    }
    let mut z = 0.5 * (low + high);
    for _ in 0..200 {
        let f = standard_cdf(z, shape) - p;
        if f == 0.0 {
            return z;
        }
        if f < 0.0 {
            low = z;
        } else {
            high = z;
        }
        let newton = z - f / standard_density(z, shape);
        let next = if newton > low && newton < high {
            newton
        } else {
            0.5 * (low + high)
        };
        if (next - z).abs() <= 1e-15 * z.abs().max(1e-300) || high - low <= 1e-15 * z.abs() {
            return next;
        }
        z = next;
    }
    z
}

/// Owen's T function, T(h, a) = (1/2π) ∫₀ᵃ exp(−h²(1 + x²)/2) / (1 + x²) dx.
/// For a > 1 Owen's identity T(h, a) = ½Φ(h)(1 − Φ(ah)) + ½Φ(ah)(1 − Φ(h))
/// − T(ah, 1/a) (h ≥ 0) leaves an integral over at most [0, 1].
pub fn owens_t(h: f64, a: f64) -> f64 {
    if a < 0.0 {
        return -owens_t(h, -a);
    }
    let h = h.abs();
    if a <= 1.0 {
        return integral(h, a);
    }
    let ah = a * h;
    0.5 * (phi(h) * phi(-ah) + phi(ah) * phi(-h)) - integral(ah, 1.0 / a)
}

/// T's integral over [0, a], a ≤ 1, in panels no wider than the
/// integrand's own scale 1/h, each by 20-point Gauss–Legendre.
fn integral(h: f64, a: f64) -> f64 {
    // Beyond this the integrand underflows everywhere.
    if a == 0.0 || h > 40.0 {
        return 0.0;
    }
    let panels = (a * h.max(1.0)).ceil().max(1.0) as usize;
    let width = a / panels as f64;
    let integrand = |x: f64| (-0.5 * h * h * (1.0 + x * x)).exp() / (1.0 + x * x);
    let mut sum = 0.0;
    for k in 0..panels {
        let centre = (k as f64 + 0.5) * width;
        for &(node, weight) in gauss_legendre() {
            sum += weight * integrand(centre + 0.5 * width * node);
        }
    }
    sum * 0.5 * width / (2.0 * std::f64::consts::PI)
}

const NODES: usize = 20;

/// Gauss–Legendre nodes and weights on [−1, 1]: the roots of the
/// Legendre polynomial P₂₀ by Newton's method, computed once.
fn gauss_legendre() -> &'static [(f64, f64); NODES] {
    static RULE: OnceLock<[(f64, f64); NODES]> = OnceLock::new();
    RULE.get_or_init(|| {
        let n = NODES as f64;
        let mut rule = [(0.0, 0.0); NODES];
        for i in 0..NODES / 2 {
            let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n + 0.5)).cos();
            let mut slope = 1.0;
            for _ in 0..100 {
                let (mut p1, mut p2) = (1.0, 0.0);
                for j in 1..=NODES {
                    let j = j as f64;
                    (p1, p2) = (((2.0 * j - 1.0) * z * p1 - (j - 1.0) * p2) / j, p1);
                }
                slope = n * (z * p1 - p2) / (z * z - 1.0);
                let step = p1 / slope;
                z -= step;
                if step.abs() < 1e-16 {
                    break;
                }
            }
            let weight = 2.0 / ((1.0 - z * z) * slope * slope);
            rule[i] = (-z, weight);
            rule[NODES - 1 - i] = (z, weight);
        }
        rule
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::Distribution;
    use crate::distribution::testing::{assert_moments, assert_tail_quantiles};
    use crate::distribution::{Continuous, Family};

    fn close(got: f64, want: f64, tol: f64) {
        assert!(
            (got - want).abs() <= tol * want.abs().max(1e-300),
            "{got} against {want}"
        );
    }

    /// The rule integrates every polynomial of degree up to 39 exactly:
    /// ∫₋₁¹ x^k dx = 2/(k + 1) for even k, 0 for odd.
    #[test]
    fn the_quadrature_is_exact_for_polynomials() {
        for k in 0..40 {
            let got: f64 = gauss_legendre().iter().map(|&(x, w)| w * x.powi(k)).sum();
            let want = if k % 2 == 0 {
                2.0 / (k as f64 + 1.0)
            } else {
                0.0
            };
            assert!((got - want).abs() < 1e-14, "x^{k}: {got} against {want}");
        }
    }

    /// Owen's closed forms: T(h, 0) = 0, T(0, a) = atan(a)/2π,
    /// T(h, 1) = ½Φ(h)(1 − Φ(h)); and scipy.special.owens_t's values.
    #[test]
    fn owens_t_matches_its_closed_forms_and_scipy() {
        assert_eq!(owens_t(1.3, 0.0), 0.0);
        for a in [0.2, 1.0, 3.0, 50.0] {
            close(
                owens_t(0.0, a),
                a.atan() / (2.0 * std::f64::consts::PI),
                1e-14,
            );
        }
        for h in [-4.0, -0.7, 0.3, 1.9, 5.5] {
            close(owens_t(h, 1.0), 0.5 * phi(h) * phi(-h), 1e-13);
        }
        // scipy.special.owens_t(h, a), scipy 1.x.
        for (h, a, want) in [
            (0.5, 0.3, 0.040786707344250106),
            (1.5, 2.0, 0.033383245362167344),
            (-2.0, 0.7, 0.01018231203392825),
            (3.0, -5.0, -0.0006749490158150479),
            (0.1, 10.0, 0.22679969643349898),
            (6.0, 0.5, 4.922418609131739e-10),
            (2.5, 1e3, 0.003104832662888069),
        ] {
            close(owens_t(h, a), want, 1e-12);
        }
    }

    /// α = 1: the density 2φ(z)Φ(z) integrates to Φ(z)² (to 1e-11: in
    /// the lower tail the CDF is a difference of two larger terms); α = 0
    /// is the normal; and scipy.stats.skewnorm's CDF and quantile.
    #[test]
    fn the_cdf_and_quantile_match_closed_forms_and_scipy() {
        let one = SkewNormalDist::new(0.0, 1.0, 1.0).unwrap();
        for z in [-3.0, -1.0, 0.0, 0.4, 2.5] {
            close(one.cdf(z), phi(z) * phi(z), 1e-11);
        }
        let normal = SkewNormalDist::new(3.0, 2.0, 0.0).unwrap();
        close(normal.quantile(0.9), 3.0 + 2.0 * phi_inverse(0.9), 1e-14);
        let d = SkewNormalDist::new(0.5, 2.0, 4.0).unwrap();
        close(d.cdf(-1.3), 4.927893103245928e-06, 1e-9);
        let d = SkewNormalDist::new(10.0, 2.0, -3.0).unwrap();
        close(d.quantile(0.01), 4.848341392902198, 1e-12);
        for shape in [-8.0, -1.0, 0.5, 4.0, 30.0] {
            let d = SkewNormalDist::new(-2.0, 0.5, shape).unwrap();
            for p in [1e-6, 0.001, 0.1, 0.5, 0.9, 0.999] {
                let back = d.cdf(d.quantile(p));
                assert!((back - p).abs() < 1e-12, "α {shape}: {p} → {back}");
            }
        }
    }

    /// Draws by Azzalini's representation have the closed-form moments
    /// and the quantile function's tails.
    #[test]
    fn draws_follow_the_distribution() {
        // scipy.stats.skewnorm(α, loc=1, scale=3).mean() and .var().
        for (shape, mean, variance) in [
            (-5.0, -1.3471705452662803, 3.4907904314343914),
            (2.0, 3.1409489393833256, 4.416337638953413),
        ] {
            let s = SkewNormalDist::new(1.0, 3.0, shape).unwrap();
            let (q025, q975) = (s.quantile(0.025), s.quantile(0.975));
            let d = Distribution::SkewNormal(s);
            assert_moments(&d, mean, variance);
            assert_tail_quantiles(&d, q025, q975);
        }
    }
}
