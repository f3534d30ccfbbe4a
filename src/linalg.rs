//! Small dense linear algebra for the copula and the EVPPI regressions:
//! matrices of a few hundred rows at most, where clarity beats a library.

// Matrix code reads as its formulas with explicit indices.
#![allow(clippy::needless_range_loop)]

/// A matrix, row-major.
pub type Matrix = Vec<Vec<f64>>;

pub fn zeros(n: usize) -> Matrix {
    vec![vec![0.0; n]; n]
}

/// The lower-triangular L with L Lᵀ = `a`, or None when `a` is not
/// positive definite.
pub fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d <= 1e-12 || !d.is_finite() {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Eigenvalues and eigenvectors (as columns) of a symmetric matrix, by
/// cyclic Jacobi rotations: exact enough and short for the small matrices
/// of a correlation group.
pub fn symmetric_eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.len();
    let mut m = a.clone();
    let mut v: Matrix = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i][j] * m[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k][p], m[k][q]);
                    m[k][p] = c * mkp - s * mkq;
                    m[k][q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p][k], m[q][k]);
                    m[p][k] = c * mpk - s * mqk;
                    m[q][k] = s * mpk + c * mqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| m[i][i]).collect(), v)
}

/// Solves L Lᵀ x = b given the Cholesky factor L.
pub fn cholesky_solve(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let n = l.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (b[i] - s) / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k][i] * x[k]).sum();
        x[i] = (y[i] - s) / l[i][i];
    }
    x
}

/// The inverse of L Lᵀ given L, as (L⁻¹)ᵀ L⁻¹: the triangular inverse
/// first, then its product, each a sixth of n³ multiply-adds and both over
/// rows, which matters for the EVPPI regressions' 165-column bases.
pub fn cholesky_inverse(l: &Matrix) -> Matrix {
    let n = l.len();
    // W = L⁻¹, lower triangular, row by row: W[i][j] for j < i solves
    // Σ_k L[i][k] W[k][j] = 0.
    let mut w = zeros(n);
    for i in 0..n {
        let (done, rest) = w.split_at_mut(i);
        let row = &mut rest[0];
        for k in 0..i {
            let lik = l[i][k];
            for (r, wk) in row[..=k].iter_mut().zip(&done[k][..=k]) {
                *r -= lik * wk;
            }
        }
        let d = 1.0 / l[i][i];
        for r in row[..i].iter_mut() {
            *r *= d;
        }
        row[i] = d;
    }
    // (Wᵀ W)[i][j] = Σ_{k ≥ i, j} W[k][i] W[k][j]; the lower half, mirrored.
    let mut inverse = zeros(n);
    for (k, wk) in w.iter().enumerate() {
        for i in 0..=k {
            let wki = wk[i];
            for (v, wkj) in inverse[i][..=i].iter_mut().zip(&wk[..=i]) {
                *v += wki * wkj;
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            inverse[j][i] = inverse[i][j];
        }
    }
    inverse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reproduces_its_matrix_and_refuses_an_indefinite_one() {
        let a = vec![
            vec![1.0, 0.5, 0.2],
            vec![0.5, 1.0, 0.3],
            vec![0.2, 0.3, 1.0],
        ];
        let l = cholesky(&a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let llt: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((llt - a[i][j]).abs() < 1e-12);
            }
        }
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        assert!(cholesky(&bad).is_none());
    }

    #[test]
    fn jacobi_eigenvalues_match_a_closed_form() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3.
        let (mut values, _) = symmetric_eigen(&vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn cholesky_solve_and_inverse_undo_the_matrix() {
        let a = vec![
            vec![4.0, 2.0, 0.6],
            vec![2.0, 5.0, 1.0],
            vec![0.6, 1.0, 3.0],
        ];
        let l = cholesky(&a).unwrap();
        let x = cholesky_solve(&l, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|k| a[i][k] * x[k]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let inv = cholesky_inverse(&l);
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| a[i][k] * inv[k][j]).sum();
                assert!((p - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn cholesky_inverse_matches_solving_for_each_unit_vector() {
        // A well-conditioned 40 × 40 matrix: M Mᵀ + 40 I from a fixed M.
        let n = 40;
        let m: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| ((i * 7 + j * 13) % 11) as f64 - 5.0)
                    .collect()
            })
            .collect();
        let a: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        (0..n).map(|k| m[i][k] * m[j][k]).sum::<f64>()
                            + if i == j { n as f64 } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        let l = cholesky(&a).unwrap();
        let inv = cholesky_inverse(&l);
        for j in 0..n {
            let e: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i == j))).collect();
            let column = cholesky_solve(&l, &e);
            for i in 0..n {
                assert!((inv[i][j] - column[i]).abs() < 1e-12 * column[j].abs().max(1e-3));
                assert_eq!(inv[i][j], inv[j][i]);
            }
        }
    }
}
