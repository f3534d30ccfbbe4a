//! Ranks: each column ranked by a radix sort, Spearman correlations of many
//! columns with one outcome (global sensitivity, all parameters varying at
//! once), and the share of draws ranking the options in a given order.

use rayon::prelude::*;

use super::stats::{mean, total_order_key};

/// Share of draws whose full ranking (best first) equals `order`, given as
/// option indices. `values[k][i]` is option k's value in draw i.
pub fn share_with_ranking(values: &[Vec<f64>], order: &[usize]) -> f64 {
    let n = values.first().map_or(0, Vec::len);
    let matches = (0..n)
        .filter(|&i| order.windows(2).all(|w| values[w[0]][i] > values[w[1]][i]))
        .count();
    matches as f64 / n as f64
}

/// A key whose unsigned order is the numeric order of the float.
fn order_key(x: f64) -> u64 {
    // −0 + 0 is +0: the two zeros are equal values and must share a key.
    total_order_key(x + 0.0)
}

/// Ranks 1..n with ties given their average rank.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut ranker = Ranker::default();
    ranker.average_ranks(xs);
    ranker.ranks
}

/// Ranks column after column in the same memory: at a million draws fresh
/// buffers for each column cost more in page faults than the sort itself.
#[derive(Debug, Default)]
pub struct Ranker {
    words: Vec<u64>,
    next: Vec<u64>,
    ranks: Vec<f64>,
}

impl Ranker {
    /// Spearman's correlation of `xs` with the column `other` ranks:
    /// Pearson's on average ranks, whose mean, (n + 1)/2, is known, and
    /// whose other column is centred once for every column set against it.
    pub fn spearman_with(&mut self, xs: &[f64], other: &CentredRanks) -> f64 {
        let mean = (xs.len() as f64 + 1.0) / 2.0;
        pearson_with_centred(self.average_ranks(xs), mean, other)
    }

    /// Ranks 1..n of `xs` with ties given their average rank.
    ///
    /// At a million draws per column ranking is the costliest statistic of
    /// a run, so it sorts one u64 per value: the value's order key with its
    /// low bits replaced by the value's index. A radix sort on the key bits
    /// alone orders those words; values whose keys agree in every kept bit
    /// (rare for continuous values: they agree to about 1 part in 2^40 at a
    /// million draws) are then put in order by their full value, so the
    /// ranks are exact.
    pub fn average_ranks(&mut self, xs: &[f64]) -> &[f64] {
        let n = xs.len();
        // Every rank is written below: what a previous column left needs no
        // clearing.
        self.ranks.resize(n, 0.0);
        if n == 0 {
            return &self.ranks;
        }
        let index_bits = (usize::BITS - (n - 1).leading_zeros()).max(1);
        let index_mask = (1u64 << index_bits) - 1;
        // The key bits the index displaces: when they are zero in every
        // value (say, whole numbers), words sharing their key bits hold equal
        // values, and a run is a tie with nothing to read.
        let (mut displaced, mut nan) = (0, false);
        self.words.clear();
        self.words.extend(xs.iter().enumerate().map(|(i, &x)| {
            let key = order_key(x);
            displaced |= key & index_mask;
            nan |= x.is_nan();
            (key & !index_mask) | i as u64
        }));
        let runs_are_ties = displaced == 0 && !nan;
        radix_sort_high_bits(&mut self.words, &mut self.next, index_bits);
        let (words, ranks) = (&mut self.words, &mut self.ranks);
        let index = |w: u64| (w & index_mask) as usize;
        let mut i = 0;
        while i < n {
            // Words sharing their key bits form a run; a run is nearly always
            // one value, and otherwise is ordered by the full values.
            let mut end = i + 1;
            while end < n && (words[end] ^ words[i]) & !index_mask == 0 {
                end += 1;
            }
            if end == i + 1 || runs_are_ties {
                // A run of one, or a tie: no value to read (a random access).
                let rank = (i + end - 1) as f64 / 2.0 + 1.0;
                for &w in &words[i..end] {
                    ranks[index(w)] = rank;
                }
                i = end;
                continue;
            }
            words[i..end].sort_by(|a, b| xs[index(*a)].total_cmp(&xs[index(*b)]));
            // Within the run, equal values share the average of their positions.
            let mut j = i;
            while j < end {
                let value = xs[index(words[j])];
                let mut k = j + 1;
                while k < end && xs[index(words[k])] == value {
                    k += 1;
                }
                let rank = (j + k - 1) as f64 / 2.0 + 1.0;
                for &w in &words[j..k] {
                    ranks[index(w)] = rank;
                }
                j = k;
            }
            i = end;
        }
        &self.ranks
    }
}

/// A column's average ranks less their mean, (n + 1)/2: what the Spearman
/// correlations of many columns with this one share.
#[derive(Debug, Clone)]
pub struct CentredRanks {
    centred: Vec<f64>,
    sum_squares: f64,
}

impl CentredRanks {
    /// Spearman's correlation of the two columns these ranks are of.
    pub fn spearman(&self, other: &CentredRanks) -> f64 {
        pearson_with_centred(&self.centred, 0.0, other)
    }

    pub fn of(xs: &[f64]) -> CentredRanks {
        let mean = (xs.len() as f64 + 1.0) / 2.0;
        // Ranks and their mean are multiples of 1/2: the differences are exact.
        let centred: Vec<f64> = average_ranks(xs).into_iter().map(|r| r - mean).collect();
        let sum_squares = centred.iter().map(|c| c * c).sum();
        CentredRanks {
            centred,
            sum_squares,
        }
    }
}

/// Pearson's correlation of `xs`, whose mean is `mean`, with a centred
/// column.
fn pearson_with_centred(xs: &[f64], mean: f64, other: &CentredRanks) -> f64 {
    assert_eq!(
        xs.len(),
        other.centred.len(),
        "columns of different lengths"
    );
    // Four sums each, so that the additions need not wait on each other.
    let (mut sxy, mut sxx) = ([0.0; 4], [0.0; 4]);
    let (xs4, cs4) = (xs.chunks_exact(4), other.centred.chunks_exact(4));
    let tail = xs4.remainder().iter().zip(cs4.remainder());
    for (x, c) in xs4.zip(cs4) {
        for k in 0..4 {
            let d = x[k] - mean;
            sxy[k] += d * c[k];
            sxx[k] += d * d;
        }
    }
    for (x, c) in tail {
        let d = x - mean;
        sxy[0] += d * c;
        sxx[0] += d * d;
    }
    let (sxy, sxx): (f64, f64) = (sxy.iter().sum(), sxx.iter().sum());
    if sxx == 0.0 || other.sum_squares == 0.0 {
        return 0.0;
    }
    sxy / (sxx * other.sum_squares).sqrt()
}

/// Sorts `words` by their bits above `low` (words equal there may end in
/// any order).
///
/// Most-significant digit first, then least-significant within each bucket:
/// one scatter over the whole array on the top varying bits, after which
/// each bucket is small enough to be sorted in cache. A least-significant
/// radix sort of the whole array would scatter it out of cache on every
/// digit.
fn radix_sort_high_bits(words: &mut [u64], next: &mut Vec<u64>, low: u32) {
    const TOP_BITS: u32 = 11;
    let n = words.len();
    let Some(&first) = words.first() else {
        return;
    };
    // Bits where some word differs from the first: those above the highest
    // of them every word shares, and they need no sorting.
    let differing = words.iter().fold(0, |acc, &w| acc | ((w ^ first) >> low));
    if differing == 0 {
        return;
    }
    let varying = u64::BITS - differing.leading_zeros();
    let top = TOP_BITS.min(varying);
    let top_shift = low + varying - top;
    let top_mask = (1usize << top) - 1;
    let mut starts = vec![0usize; (1 << top) + 1];
    for &w in words.iter() {
        starts[((w >> top_shift) as usize & top_mask) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    next.clear();
    next.resize(n, 0);
    let mut fill = starts.clone();
    for &w in words.iter() {
        let b = (w >> top_shift) as usize & top_mask;
        next[fill[b]] = w;
        fill[b] += 1;
    }
    let mut counts = Vec::new();
    for b in 0..1 << top {
        let (s, e) = (starts[b], starts[b + 1]);
        sort_bucket(
            &mut next[s..e],
            &mut words[s..e],
            low,
            top_shift,
            &mut counts,
        );
    }
}

/// Sorts `from` by bits `low..high` (the bits above are the same in every
/// word), leaving the result in `to`; `from` is scratch.
fn sort_bucket(from: &mut [u64], to: &mut [u64], low: u32, high: u32, counts: &mut Vec<u32>) {
    const BITS: u32 = 10;
    const BUCKETS: usize = 1 << BITS;
    if from.len() <= 32 {
        from.sort_unstable_by_key(|w| w >> low);
        to.copy_from_slice(from);
        return;
    }
    let passes = (high - low).div_ceil(BITS) as usize;
    let shift = |pass: usize| low + pass as u32 * BITS;
    let mask = |pass: usize| {
        let width = (high - shift(pass)).min(BITS);
        (1usize << width) - 1
    };
    counts.clear();
    counts.resize(passes * BUCKETS, 0);
    for &w in from.iter() {
        for pass in 0..passes {
            counts[pass * BUCKETS + ((w >> shift(pass)) as usize & mask(pass))] += 1;
        }
    }
    // Where the sorted words are: false while in `from`.
    let mut in_to = false;
    for pass in 0..passes {
        let c = &mut counts[pass * BUCKETS..(pass + 1) * BUCKETS];
        if c.contains(&(from.len() as u32)) {
            continue;
        }
        let mut start = 0;
        for slot in c.iter_mut() {
            let count = *slot;
            *slot = start;
            start += count;
        }
        let (s, m) = (shift(pass), mask(pass));
        let (source, target): (&[u64], &mut [u64]) = if in_to { (to, from) } else { (from, to) };
        for &w in source.iter() {
            let d = (w >> s) as usize & m;
            target[c[d] as usize] = w;
            c[d] += 1;
        }
        in_to = !in_to;
    }
    if !in_to {
        to.copy_from_slice(from);
    }
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

/// Spearman's correlation with `outcome_draws` of every column that varies
/// (`names[k]` names `columns[k]`), over all draws; a column that does not
/// vary has none.
pub fn with_outcome(
    names: &[String],
    columns: &[Vec<f64>],
    outcome_draws: &[f64],
) -> Vec<(String, f64)> {
    let outcome = CentredRanks::of(outcome_draws);
    let varying: Vec<(&String, &Vec<f64>)> = names
        .iter()
        .zip(columns)
        .filter(|(_, column)| column.iter().any(|v| *v != column[0]))
        .collect();
    // One ranker per thread, each taking the next column until none is
    // left: a ranker's buffers hold three values a draw, and a fresh set
    // for each piece of work rayon splits off would cost in page faults
    // about as much as the ranking itself (docs/performance.md).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (next, varying, outcome) = (&next, &varying, &outcome);
    let mut correlations: Vec<(usize, f64)> = (0..rayon::current_num_threads())
        .into_par_iter()
        .flat_map_iter(|_| {
            let mut ranker = Ranker::default();
            std::iter::from_fn(move || {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (_, column) = varying.get(i)?;
                Some((i, ranker.spearman_with(column, outcome)))
            })
        })
        .collect();
    correlations.sort_by_key(|&(i, _)| i);
    correlations
        .into_iter()
        .map(|(i, rho)| (varying[i].0.clone(), rho))
        .collect()
}

pub use crate::results::CorrelationCheck;

/// Each correlated pair's declared, imposed and achieved Spearman
/// correlation over the draws: `columns[slot]` holds the draws of
/// parameter `sampled[slot]`; a member that is not sampled has none.
pub fn achieved_correlations(
    copulas: &[crate::sampling::Copula],
    parameters: &[crate::inputs::Parameter],
    sampled: &[usize],
    columns: &[Vec<f64>],
) -> Vec<CorrelationCheck> {
    let column = |parameter: usize| {
        sampled
            .iter()
            .position(|&i| i == parameter)
            .map(|slot| &columns[slot])
    };
    let mut checks = Vec::new();
    for copula in copulas {
        // Each member ranked once for all its pairs.
        let ranks: Vec<Option<CentredRanks>> = copula
            .members
            .iter()
            .map(|&m| column(m).map(|c| CentredRanks::of(c)))
            .collect();
        for a in 0..copula.members.len() {
            for b in a + 1..copula.members.len() {
                let (Some(x), Some(y)) = (&ranks[a], &ranks[b]) else {
                    continue;
                };
                checks.push(CorrelationCheck {
                    parameters: [
                        parameters[copula.members[a]].name.clone(),
                        parameters[copula.members[b]].name.clone(),
                    ],
                    target_spearman: copula.target[a][b],
                    imposed_spearman: copula.imposed[a][b],
                    achieved_spearman: x.spearman(y),
                    repaired: copula.repaired,
                });
            }
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-worked: a column rising with the outcome has ρ = 1, one
    /// falling ρ = −1, one that swaps the middle pair ρ = 1 − 6·2/(4·15)
    /// = 0.8; a constant column has none.
    #[test]
    fn each_varying_column_is_correlated_with_the_outcome() {
        let names: Vec<String> = ["up", "flat", "down", "swapped"].map(String::from).to_vec();
        let columns = vec![
            vec![1.0, 2.0, 3.0, 4.0],
            vec![5.0; 4],
            vec![4.0, 3.0, 2.0, 1.0],
            vec![1.0, 3.0, 2.0, 4.0],
        ];
        let got = with_outcome(&names, &columns, &[10.0, 20.0, 30.0, 40.0]);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["up", "down", "swapped"]);
        for ((_, rho), want) in got.iter().zip([1.0, -1.0, 0.8]) {
            assert!((rho - want).abs() < 1e-12, "{rho} against {want}");
        }
    }

    #[test]
    fn average_ranks_share_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0]),
            vec![1.5, 3.0, 1.5, 4.0]
        );
    }

    /// Ranks by the definition: one plus the number of smaller values, plus
    /// half the number of other equal ones.
    fn ranks_by_counting(xs: &[f64]) -> Vec<f64> {
        xs.iter()
            .map(|x| {
                let below = xs.iter().filter(|y| *y < x).count() as f64;
                let equal = xs.iter().filter(|y| *y == x).count() as f64;
                below + (equal + 1.0) / 2.0
            })
            .collect()
    }

    #[test]
    fn average_ranks_match_counting_where_keys_collide() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for n in [1, 2, 3, 17, 1000, 3000] {
            // Values a few units in the last place apart share all the key
            // bits the sort looks at; ties, signs and zeros of both signs too.
            let xs: Vec<f64> = (0..n)
                .map(|_| match rng.random_range(0..5) {
                    0 => f64::from_bits(1.0f64.to_bits() + rng.random_range(0..64)),
                    1 => -f64::from_bits(2.5f64.to_bits() + rng.random_range(0..64)),
                    2 => f64::from(rng.random_range(-3..3)),
                    3 => -0.0,
                    _ => rng.random::<f64>() * 1e6 - 5e5,
                })
                .collect();
            assert_eq!(average_ranks(&xs), ranks_by_counting(&xs), "n = {n}");
        }
    }

    /// Whole numbers leave the key bits the index displaces at zero, so runs
    /// of equal keys are taken as ties without reading the values; a NaN
    /// among them turns that off. Large enough columns that the buckets are
    /// sorted digit by digit.
    #[test]
    fn average_ranks_match_counting_for_whole_numbers_and_wide_columns() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
        for n in [1, 2, 40, 5000] {
            let whole: Vec<f64> = (0..n)
                .map(|_| match rng.random_range(0..4) {
                    0 => -0.0,
                    1 => f64::from(rng.random_range(-40..40)),
                    _ => f64::from(rng.random_range(150..230)),
                })
                .collect();
            assert_eq!(average_ranks(&whole), ranks_by_counting(&whole), "n = {n}");
            let mut with_nan = whole.clone();
            with_nan[n / 2] = f64::NAN;
            let ranks = average_ranks(&with_nan);
            let expected = ranks_by_counting(&with_nan);
            for (i, (a, b)) in ranks.iter().zip(&expected).enumerate() {
                if i != n / 2 {
                    assert_eq!(a, b, "n = {n}, draw {i}");
                }
            }
        }
        // A wide spread over many binades, and a narrow one within one.
        let wide: Vec<f64> = (0..20_000)
            .map(|_| rng.random::<f64>().powi(8) * 1e3)
            .collect();
        let narrow: Vec<f64> = (0..20_000)
            .map(|_| 1.0 + rng.random::<f64>() * 1e-9)
            .collect();
        for xs in [wide, narrow] {
            let mut order: Vec<usize> = (0..xs.len()).collect();
            order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
            // Equal values (u⁸ rounds some apart values together) share the
            // average of their positions.
            let mut expected = vec![0.0; xs.len()];
            let mut before = 0;
            for tie in order.chunk_by(|&a, &b| xs[a] == xs[b]) {
                let rank = before as f64 + (tie.len() + 1) as f64 / 2.0;
                for &i in tie {
                    expected[i] = rank;
                }
                before += tie.len();
            }
            assert_eq!(average_ranks(&xs), expected);
        }
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

    /// One pass over the ranks against the other column's centred ranks,
    /// checked against the textbook formula without ties, and against
    /// Pearson's on average ranks computed by counting where there are ties.
    #[test]
    fn spearman_with_centred_ranks_matches_pearson_on_counted_ranks() {
        use rand::{RngExt, SeedableRng};
        let mut ranker = Ranker::default();
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = CentredRanks::of(&[20.0, 10.0, 40.0, 30.0, 50.0]);
        assert!((ranker.spearman_with(&x, &y) - 0.8).abs() < 1e-12);
        let reversed = CentredRanks::of(&[5.0, 4.0, 3.0, 2.0, 1.0]);
        assert!((ranker.spearman_with(&x, &reversed) + 1.0).abs() < 1e-12);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        for n in [2, 3, 50, 2000] {
            let ys: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            // Related to y, with ties among whole numbers.
            let xs: Vec<f64> = ys
                .iter()
                .map(|y| (y * 10.0 + rng.random::<f64>() * 4.0).floor())
                .collect();
            let expected = pearson(&ranks_by_counting(&xs), &ranks_by_counting(&ys));
            let got = ranker.spearman_with(&xs, &CentredRanks::of(&ys));
            assert!(
                (got - expected).abs() < 1e-12,
                "n = {n}: {got} vs {expected}"
            );
        }
        // Both columns centred: the same correlation.
        let (xs, ys) = (
            [3.0, 1.0, 4.0, 1.0, 5.0, 9.0],
            [2.0, 7.0, 1.0, 8.0, 2.0, 8.0],
        );
        let expected = pearson(&ranks_by_counting(&xs), &ranks_by_counting(&ys));
        let got = CentredRanks::of(&xs).spearman(&CentredRanks::of(&ys));
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
        // A constant column has no rank correlation with anything.
        let constant = CentredRanks::of(&[3.0; 4]);
        assert_eq!(ranker.spearman_with(&[1.0, 2.0, 3.0, 4.0], &constant), 0.0);
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
