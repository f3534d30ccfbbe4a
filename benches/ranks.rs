//! Ranking a million draws of one column, as the Spearman correlations of a
//! run do for every sampled parameter and hub-years column.
//!
//! `cargo bench --bench ranks`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_distr::{Beta, Distribution, Gamma};

use chh_psa::analysis::ranks::{CentredRanks, Ranker};

fn ranks(c: &mut Criterion) {
    let n = 1_000_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let beta = Beta::new(2.0, 5.0).unwrap();
    let gamma = Gamma::new(4.0, 30.0).unwrap();
    let columns: [(&str, Vec<f64>); 3] = [
        ("beta", (0..n).map(|_| beta.sample(&mut rng)).collect()),
        ("gamma", (0..n).map(|_| gamma.sample(&mut rng)).collect()),
        (
            "hub_years",
            (0..n)
                .map(|_| 170.0 + (beta.sample(&mut rng) * 60.0).round())
                .collect(),
        ),
    ];
    let mut group = c.benchmark_group("ranks");
    group.sample_size(20);
    group.throughput(Throughput::Elements(n as u64));
    let mut ranker = Ranker::default();
    for (name, column) in &columns {
        group.bench_function(format!("{name}/1000000"), |b| {
            b.iter(|| ranker.average_ranks(column)[0])
        });
    }
    // A parameter against the outcome, as each Spearman correlation of a run.
    let outcome = CentredRanks::of(&columns[1].1);
    group.bench_function("spearman_beta_with_gamma/1000000", |b| {
        b.iter(|| ranker.spearman_with(&columns[0].1, &outcome))
    });
    group.finish();
}

criterion_group!(benches, ranks);
criterion_main!(benches);
