//! The smoothers behind the EVPPI and the variance shares: penalised
//! regression splines (P-splines, Eilers & Marx 1996) on each parameter's
//! own scale, as basis rows stored by their non-zero entries, with their
//! penalty and Gram matrix BᵀB.

// Index loops over matrices and basis rows read as the algebra they do.
#![allow(clippy::needless_range_loop)]

use crate::linalg::{Matrix, zeros};

/// The design of a smoother: basis rows for each draw and its penalty.
pub(super) struct Basis {
    pub(super) rows: SparseRows,
    pub(super) p: usize,
    pub(super) penalty: Matrix,
    pub(super) method: &'static str,
}

/// Basis rows by their non-zero entries: a B-spline row has 4 (16 for a
/// tensor product) of its p entries non-zero.
#[derive(Default)]
pub(super) struct SparseRows {
    pub(super) columns: Vec<u32>,
    pub(super) values: Vec<f64>,
    pub(super) starts: Vec<usize>,
}

impl SparseRows {
    pub(super) fn push(&mut self, row: &[f64]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 {
                self.columns.push(j as u32);
                self.values.push(v);
            }
        }
        self.starts.push(self.values.len());
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&[u32], &[f64])> {
        self.starts
            .windows(2)
            .map(|w| (&self.columns[w[0]..w[1]], &self.values[w[0]..w[1]]))
    }
}

/// The four non-zero cubic B-splines at `u` ∈ [0, 1] on `segments` equal
/// segments: (first index, values).
pub(super) fn cubic_bspline(u: f64, segments: usize) -> (usize, [f64; 4]) {
    let t = (u * segments as f64).clamp(0.0, segments as f64);
    let s = (t.floor() as usize).min(segments - 1);
    let x = t - s as f64;
    let x2 = x * x;
    let x3 = x2 * x;
    (
        s,
        [
            (1.0 - x).powi(3) / 6.0,
            (3.0 * x3 - 6.0 * x2 + 4.0) / 6.0,
            (-3.0 * x3 + 3.0 * x2 + 3.0 * x + 1.0) / 6.0,
            x3 / 6.0,
        ],
    )
}

/// DᵀD for second differences of `p` coefficients.
pub(super) fn second_difference_penalty(p: usize) -> Matrix {
    let mut dtd = zeros(p);
    for r in 0..p.saturating_sub(2) {
        let d = [(r, 1.0), (r + 1, -2.0), (r + 2, 1.0)];
        for &(i, a) in &d {
            for &(j, b) in &d {
                dtd[i][j] += a * b;
            }
        }
    }
    dtd
}

/// Each column's draws on their own scale, mapped onto [0, 1] by their
/// range. Not on the rank scale: a net benefit linear in a skewed parameter
/// is curved in its ranks, and the penalty, which leaves only straight
/// lines alone, then flattens exactly the tail where a decision may turn
/// (the shipped slip probability's EVPPI came out at £0 where its exact
/// value is several hundred pounds).
pub(super) fn own_scale(column: &[f64]) -> Vec<f64> {
    let (lo, hi) = column
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let width = hi - lo;
    column
        .iter()
        .map(|&x| if width > 0.0 { (x - lo) / width } else { 0.5 })
        .collect()
}

pub(super) fn basis(columns: &[&[f64]]) -> Basis {
    let n = columns[0].len();
    let scaled: Vec<Vec<f64>> = columns.iter().map(|c| own_scale(c)).collect();
    match scaled.len() {
        1 => {
            let segments = 17;
            let p = segments + 3;
            let mut rows = SparseRows::default();
            let mut row = vec![0.0; p];
            for &u in &scaled[0] {
                row.fill(0.0);
                let (s, b) = cubic_bspline(u, segments);
                row[s..s + 4].copy_from_slice(&b);
                rows.push(&row);
            }
            Basis {
                rows,
                p,
                penalty: second_difference_penalty(p),
                method: "P-spline: 20 cubic B-splines on the parameter's own scale, GCV",
            }
        }
        2 => {
            let segments = 5;
            let m = segments + 3;
            let p = m * m;
            let mut rows = SparseRows::default();
            let mut row = vec![0.0; p];
            for i in 0..n {
                row.fill(0.0);
                let (sa, ba) = cubic_bspline(scaled[0][i], segments);
                let (sb, bb) = cubic_bspline(scaled[1][i], segments);
                for (x, va) in ba.iter().enumerate() {
                    for (y, vb) in bb.iter().enumerate() {
                        row[(sa + x) * m + sb + y] = va * vb;
                    }
                }
                rows.push(&row);
            }
            // Second differences along each margin: D'D ⊗ I + I ⊗ D'D.
            let d = second_difference_penalty(m);
            let mut penalty = zeros(p);
            for a in 0..m {
                for b in 0..m {
                    for c in 0..m {
                        penalty[a * m + c][b * m + c] += d[a][b];
                        penalty[c * m + a][c * m + b] += d[a][b];
                    }
                }
            }
            Basis {
                rows,
                p,
                penalty,
                method: "tensor P-spline: 8 × 8 cubic B-splines on the parameters' own scales, GCV",
            }
        }
        members => {
            let segments = 7;
            let m = segments + 3;
            let pairs = members * (members - 1) / 2;
            let p = members * m + pairs;
            let mut rows = SparseRows::default();
            let mut row = vec![0.0; p];
            for i in 0..n {
                row.fill(0.0);
                for (j, column) in scaled.iter().enumerate() {
                    let (s, b) = cubic_bspline(column[i], segments);
                    row[j * m + s..j * m + s + 4].copy_from_slice(&b);
                }
                let mut k = members * m;
                for a in 0..members {
                    for b in a + 1..members {
                        row[k] = (scaled[a][i] - 0.5) * (scaled[b][i] - 0.5);
                        k += 1;
                    }
                }
                rows.push(&row);
            }
            let d = second_difference_penalty(m);
            let mut penalty = zeros(p);
            for j in 0..members {
                for a in 0..m {
                    for b in 0..m {
                        penalty[j * m + a][j * m + b] = d[a][b];
                    }
                }
            }
            Basis {
                rows,
                p,
                penalty,
                method: "additive P-splines (10 cubic B-splines per member) with pairwise linear interactions, GCV",
            }
        }
    }
}

/// BᵀB of a basis.
pub(super) fn gram_matrix(basis: &Basis) -> Matrix {
    let p = basis.p;
    // BᵀB: each row's upper triangle into one flat array (a row's columns
    // are ascending), then mirrored. A row's non-zero entries come in runs
    // of adjacent columns (a B-spline's four, the interactions), so each
    // entry's products with the entries after it are added a run at a time.
    let mut upper = vec![0.0; p * p];
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (columns, values) in basis.rows.iter() {
        runs.clear();
        let mut start = 0;
        for a in 1..=columns.len() {
            if a == columns.len() || columns[a] != columns[a - 1] + 1 {
                runs.push(start..a);
                start = a;
            }
        }
        for (r, run) in runs.iter().enumerate() {
            for a in run.clone() {
                let (i, bi) = (columns[a] as usize, values[a]);
                let row = &mut upper[i * p..(i + 1) * p];
                let rest = std::iter::once(a..run.end).chain(runs[r + 1..].iter().cloned());
                for later in rest {
                    let first = columns[later.start] as usize;
                    let later_values = &values[later.clone()];
                    let gram_row = &mut row[first..first + later_values.len()];
                    for (g, bj) in gram_row.iter_mut().zip(later_values) {
                        *g += bi * bj;
                    }
                }
            }
        }
    }
    let mut gram = zeros(p);
    for i in 0..p {
        for j in i..p {
            gram[i][j] = upper[i * p + j];
            gram[j][i] = upper[i * p + j];
        }
    }
    gram
}
