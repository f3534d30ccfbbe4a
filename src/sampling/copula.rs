//! Correlated parameters: a Gaussian copula over a declared group.
//!
//! A distribution file gives the group's Spearman rank correlations, the
//! measure elicited from experts and the one the run reports back. Normal
//! scores with Pearson correlation r = 2 sin(π ρ / 6) have Spearman
//! correlation exactly ρ (Kruskal 1958), and mapping each score through
//! Φ and then the member's own quantile function keeps ranks, so the
//! parameters get the declared Spearman correlations whatever their
//! marginals, and each marginal is unchanged.

// Matrix code reads as its formulas with explicit indices.
#![allow(clippy::needless_range_loop)]

use crate::linalg::{Matrix, cholesky, symmetric_eigen};

/// Pearson correlation of normal scores giving Spearman correlation `rho`.
pub fn pearson_for_spearman(rho: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho / 6.0).sin()
}

/// Spearman correlation of normal scores with Pearson correlation `r`.
pub fn spearman_for_pearson(r: f64) -> f64 {
    6.0 / std::f64::consts::PI * (r / 2.0).asin()
}

/// The nearest correlation matrix in the Frobenius norm (Higham 2002,
/// alternating projections with Dykstra's correction), kept strictly
/// positive definite so that it has a Cholesky factor.
pub fn nearest_correlation(a: &Matrix) -> Matrix {
    const FLOOR: f64 = 1e-8;
    let n = a.len();
    let project_psd = |r: &Matrix| -> Matrix {
        let (values, vectors) = symmetric_eigen(r);
        let mut x = vec![vec![0.0; n]; n];
        for (k, &lambda) in values.iter().enumerate() {
            let lambda = lambda.max(FLOOR);
            for i in 0..n {
                for j in 0..n {
                    x[i][j] += lambda * vectors[i][k] * vectors[j][k];
                }
            }
        }
        x
    };
    let mut y = a.clone();
    let mut correction = vec![vec![0.0; n]; n];
    for _ in 0..10_000 {
        let r: Matrix = (0..n)
            .map(|i| (0..n).map(|j| y[i][j] - correction[i][j]).collect())
            .collect();
        let x = project_psd(&r);
        for i in 0..n {
            for j in 0..n {
                correction[i][j] = x[i][j] - r[i][j];
            }
        }
        let mut next = x.clone();
        for (i, row) in next.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        let change: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (next[i][j] - y[i][j]).powi(2))
            .sum::<f64>()
            .sqrt();
        y = next;
        if change < 1e-12 {
            break;
        }
    }
    // Symmetrise the rounding, and make sure the factor exists.
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (y[i][j] + y[j][i]);
            y[i][j] = m;
            y[j][i] = m;
        }
    }
    if cholesky(&y).is_none() {
        let shrink = 1.0 - 1e-9;
        for (i, row) in y.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                if i != j {
                    *v *= shrink;
                }
            }
        }
    }
    y
}

/// A correlation group ready for sampling.
#[derive(Debug, Clone)]
pub struct Copula {
    /// Indices of the member parameters, in the declared order.
    pub members: Vec<usize>,
    /// Declared Spearman correlations.
    pub target: Matrix,
    /// Spearman correlations actually imposed: the target, or the repaired
    /// matrix's.
    pub imposed: Matrix,
    pub repaired: bool,
    lower: Matrix,
}

/// Why a declared matrix cannot be used as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct NotPositiveDefinite {
    pub smallest_eigenvalue: f64,
}

impl Copula {
    /// Builds the group's copula from its Spearman matrix; a matrix that is
    /// not positive definite is refused unless `repair`.
    pub fn new(
        members: Vec<usize>,
        target: Matrix,
        repair: bool,
    ) -> Result<Copula, NotPositiveDefinite> {
        let pearson: Matrix = target
            .iter()
            .map(|row| row.iter().map(|&rho| pearson_for_spearman(rho)).collect())
            .collect();
        let (pearson, repaired) = match cholesky(&pearson) {
            Some(_) => (pearson, false),
            None if repair => (nearest_correlation(&pearson), true),
            None => {
                let (values, _) = symmetric_eigen(&pearson);
                return Err(NotPositiveDefinite {
                    smallest_eigenvalue: values.into_iter().fold(f64::INFINITY, f64::min),
                });
            }
        };
        let lower = cholesky(&pearson).ok_or(NotPositiveDefinite {
            smallest_eigenvalue: 0.0,
        })?;
        let imposed = pearson
            .iter()
            .map(|row| row.iter().map(|&r| spearman_for_pearson(r)).collect())
            .collect();
        Ok(Copula {
            members,
            target,
            imposed,
            repaired,
            lower,
        })
    }

    /// Correlates independent standard normal scores in place: z ← L z.
    pub fn correlate(&self, z: &mut [f64]) {
        for i in (0..z.len()).rev() {
            z[i] = (0..=i).map(|k| self.lower[i][k] * z[k]).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_and_pearson_conversions_invert_each_other() {
        for rho in [-0.9, -0.3, 0.0, 0.6, 0.99] {
            assert!((spearman_for_pearson(pearson_for_spearman(rho)) - rho).abs() < 1e-12);
        }
        // Known anchors: ρ = 1 ↔ r = 1, and r = 0.5 ↔ ρ = 6/π·asin(1/4).
        assert!((pearson_for_spearman(1.0) - 1.0).abs() < 1e-12);
        assert!((spearman_for_pearson(0.5) - 0.482_583_74).abs() < 1e-8);
    }

    #[test]
    fn nearest_correlation_matches_highams_example() {
        // Higham (2002), IMA J. Numer. Anal. 22, 329-343, section 4: the
        // nearest correlation matrix to this one has off-diagonals
        // 0.7607, 0.1573, 0.7607 (to 4 decimals).
        let a = vec![
            vec![1.0, 1.0, 0.0],
            vec![1.0, 1.0, 1.0],
            vec![0.0, 1.0, 1.0],
        ];
        let x = nearest_correlation(&a);
        assert!((x[0][1] - 0.7607).abs() < 5e-5, "{x:?}");
        assert!((x[0][2] - 0.1573).abs() < 5e-5, "{x:?}");
        assert!((x[1][2] - 0.7607).abs() < 5e-5, "{x:?}");
        assert!(cholesky(&x).is_some());
    }

    #[test]
    fn an_indefinite_group_is_refused_or_repaired_on_request() {
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let err = Copula::new(vec![0, 1, 2], bad.clone(), false).unwrap_err();
        assert!(err.smallest_eigenvalue < 0.0);
        let c = Copula::new(vec![0, 1, 2], bad, true).unwrap();
        assert!(c.repaired);
        for i in 0..3 {
            assert!((c.imposed[i][i] - 1.0).abs() < 1e-9);
        }
    }
}
