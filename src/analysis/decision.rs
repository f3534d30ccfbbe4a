//! Decision uncertainty across options, from draws of each option's value.
//!
//! `values[k][i]` is option k's value (higher is better) in draw i; all
//! options share each draw (common random numbers).

use super::stats::{Proportion, mean, proportion};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decision {
    /// P(option k is best), by share of draws where it has the highest value.
    pub p_best: Vec<Proportion>,
    /// `p_rank[k][r]`: share of draws where option k ranks r + 1 (1 = best).
    pub p_rank: Vec<Vec<f64>>,
    /// `pairwise[a][b]`: share of draws where option a's value exceeds b's.
    pub pairwise: Vec<Vec<f64>>,
    /// E[max over options − option k's value], and its Monte Carlo error.
    pub expected_loss: Vec<f64>,
    pub expected_loss_mcse: Vec<f64>,
    /// Expected value of perfect information: E[max] − max E = the smallest
    /// expected loss.
    pub evpi: f64,
    pub evpi_mcse: f64,
    /// The option with the highest mean value.
    pub best_by_mean: usize,
}

/// Ranks of the options in one draw: 0 for the highest value. Ties go to the
/// option listed first, so ranks are always a permutation.
pub fn ranks(draw: &[f64], out: &mut [usize]) {
    for (k, r) in out.iter_mut().enumerate() {
        *r = draw
            .iter()
            .enumerate()
            .filter(|&(j, v)| *v > draw[k] || (*v == draw[k] && j < k))
            .count();
    }
}

pub fn decide(values: &[Vec<f64>], level: f64) -> Decision {
    let options = values.len();
    let n = values.first().map_or(0, Vec::len);
    let mut best_count = vec![0u64; options];
    let mut rank_count = vec![vec![0u64; options]; options];
    let mut beats = vec![vec![0u64; options]; options];
    let mut loss_sum = vec![0.0; options];
    let mut draw = vec![0.0; options];
    let mut rank = vec![0usize; options];
    // Each draw's losses, the best value less each option's, are summed
    // here and recomputed for their spread below, rather than kept: a
    // million draws would otherwise hold a column per option.
    let each_draw = |i: usize, draw: &mut [f64]| {
        for (slot, option) in draw.iter_mut().zip(values) {
            *slot = option[i];
        }
        draw.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    };
    for i in 0..n {
        let top = each_draw(i, &mut draw);
        ranks(&draw, &mut rank);
        for k in 0..options {
            rank_count[k][rank[k]] += 1;
            if rank[k] == 0 {
                best_count[k] += 1;
            }
            for j in 0..options {
                if draw[k] > draw[j] {
                    beats[k][j] += 1;
                }
            }
            loss_sum[k] += top - draw[k];
        }
    }
    let share = |c: u64| c as f64 / n as f64;
    let expected_loss: Vec<f64> = loss_sum.iter().map(|s| s / n as f64).collect();
    let mut squares = vec![0.0; options];
    for i in 0..n {
        let top = each_draw(i, &mut draw);
        for k in 0..options {
            squares[k] += (top - draw[k] - expected_loss[k]).powi(2);
        }
    }
    // The sample standard deviation, as `stats::sd`, over √n.
    let expected_loss_mcse: Vec<f64> = squares
        .iter()
        .map(|s| {
            if n < 2 {
                0.0
            } else {
                (s / (n - 1) as f64).sqrt() / (n as f64).sqrt()
            }
        })
        .collect();
    let means: Vec<f64> = values.iter().map(|v| mean(v)).collect();
    let best_by_mean = (0..options).fold(0, |b, k| if means[k] > means[b] { k } else { b });
    Decision {
        p_best: best_count
            .iter()
            .map(|&c| proportion(c, n as u64, level))
            .collect(),
        p_rank: rank_count
            .iter()
            .map(|r| r.iter().map(|&c| share(c)).collect())
            .collect(),
        pairwise: beats
            .iter()
            .map(|r| r.iter().map(|&c| share(c)).collect())
            .collect(),
        evpi: expected_loss[best_by_mean],
        evpi_mcse: expected_loss_mcse[best_by_mean],
        expected_loss,
        expected_loss_mcse,
        best_by_mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_put_the_highest_first_and_break_ties_by_order() {
        let mut r = [0; 4];
        ranks(&[1.0, 3.0, 2.0, 3.0], &mut r);
        assert_eq!(r, [3, 0, 2, 1]);
    }

    #[test]
    fn decision_statistics_match_a_hand_worked_case() {
        // Three draws, two options:  A: 1, 5, 3   B: 2, 4, 0.
        let values = vec![vec![1.0, 5.0, 3.0], vec![2.0, 4.0, 0.0]];
        let d = decide(&values, 0.95);
        assert!((d.p_best[0].estimate - 2.0 / 3.0).abs() < 1e-15);
        assert!((d.p_best[1].estimate - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(d.p_rank[0], vec![2.0 / 3.0, 1.0 / 3.0]);
        assert_eq!(d.pairwise[0][1], 2.0 / 3.0);
        assert_eq!(d.pairwise[1][0], 1.0 / 3.0);
        assert_eq!(d.pairwise[0][0], 0.0);
        // max per draw: 2, 5, 3 → E[max] = 10/3; means A = 3, B = 2.
        // Loss A: 1, 0, 0 → 1/3; loss B: 0, 1, 3 → 4/3.
        assert!((d.expected_loss[0] - 1.0 / 3.0).abs() < 1e-15);
        assert!((d.expected_loss[1] - 4.0 / 3.0).abs() < 1e-15);
        // Their sample standard deviations over √3: √(1/3)/√3 = 1/3 and
        // √(7/3)/√3 = √7/3.
        assert!((d.expected_loss_mcse[0] - 1.0 / 3.0).abs() < 1e-15);
        assert!((d.expected_loss_mcse[1] - 7f64.sqrt() / 3.0).abs() < 1e-15);
        assert_eq!(d.best_by_mean, 0);
        assert!((d.evpi - (10.0 / 3.0 - 3.0)).abs() < 1e-15);
    }
}
