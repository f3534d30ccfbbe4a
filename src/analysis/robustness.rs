//! How robust the ranking is across draws, and which parameters move the
//! decision globally (all parameters varying at once).

use super::stats::mean;

/// Share of draws whose full ranking (best first) equals `order`, given as
/// option indices. `values[k][i]` is option k's value in draw i.
pub fn share_with_ranking(values: &[Vec<f64>], order: &[usize]) -> f64 {
    let n = values.first().map_or(0, Vec::len);
    let matches = (0..n)
        .filter(|&i| order.windows(2).all(|w| values[w[0]][i] > values[w[1]][i]))
        .count();
    matches as f64 / n as f64
}

/// A key whose unsigned order is the numeric order of the float (IEEE 754
/// total order: flip the sign bit of positives, every bit of negatives).
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Indices of `xs` in ascending order, by a least-significant-digit radix
/// sort of (key, index) pairs: linear time, and each pass reads its input in
/// order, which matters at a million draws.
fn ascending_order(xs: &[f64]) -> Vec<u32> {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    let mut pairs: Vec<(u64, u32)> = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| (order_key(x), i as u32))
        .collect();
    let mut next = vec![(0u64, 0u32); xs.len()];
    let mut counts = vec![0usize; BUCKETS];
    for pass in 0..64_u32.div_ceil(BITS) {
        let shift = pass * BITS;
        let digit = |key: u64| ((key >> shift) as usize) & (BUCKETS - 1);
        counts.fill(0);
        for &(key, _) in &pairs {
            counts[digit(key)] += 1;
        }
        // A digit that is the same for every key leaves the order as it is.
        if counts.contains(&xs.len()) {
            continue;
        }
        let mut start = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = start;
            start += n;
        }
        for &pair in &pairs {
            let d = digit(pair.0);
            next[counts[d]] = pair;
            counts[d] += 1;
        }
        std::mem::swap(&mut pairs, &mut next);
    }
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Ranks 1..n with ties given their average rank.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let order = ascending_order(xs);
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1] as usize] == xs[order[i] as usize] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k as usize] = rank;
        }
        i = j + 1;
    }
    ranks
}

pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        return 0.0;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman's rank correlation: Pearson's on average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_ranks_share_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0]),
            vec![1.5, 3.0, 1.5, 4.0]
        );
    }

    #[test]
    fn spearman_matches_the_textbook_formula_without_ties() {
        // 1 − 6Σd²/(n(n² − 1)): x ranks 1..5, y ranks 2,1,4,3,5 → Σd² = 4 → 0.8.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [20.0, 10.0, 40.0, 30.0, 50.0];
        assert!((spearman(&x, &y) - 0.8).abs() < 1e-12);
        // Any monotone transform leaves it at 1.
        let z: Vec<f64> = x.iter().map(|v: &f64| v.exp()).collect();
        assert!((spearman(&x, &z) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn share_with_ranking_counts_full_orderings() {
        // Options 0, 1, 2 over three draws; order 2 > 0 > 1 holds in draws 0 and 2.
        let values = vec![
            vec![2.0, 3.0, 2.0],
            vec![1.0, 4.0, 0.0],
            vec![3.0, 1.0, 5.0],
        ];
        assert!((share_with_ranking(&values, &[2, 0, 1]) - 2.0 / 3.0).abs() < 1e-15);
    }
}
