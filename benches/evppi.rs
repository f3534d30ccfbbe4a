//! The EVPPI regressions as a run fits them: 20,000 draws, a parameter
//! alone (20 B-splines), a pair (8 × 8 tensor product) and a group of six
//! (additive splines with pairwise interactions, 75 columns), five options.
//! Their dense linear algebra (Cholesky factors, solves and inverses under
//! each candidate penalty) is most of the cost.
//!
//! `cargo bench --bench evppi`

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};

use chh_psa::analysis::evppi::evppi;

fn regressions(c: &mut Criterion) {
    let n = 20_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let columns: Vec<Vec<f64>> = (0..6)
        .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
        .collect();
    // Net benefits that depend on the parameters non-linearly, with noise.
    let net_benefit: Vec<Vec<f64>> = (0..5)
        .map(|k| {
            (0..n)
                .map(|i| {
                    let x = &columns;
                    k as f64 * (x[0][i] - 0.5)
                        + (3.0 * x[1][i]).sin() * x[2][i]
                        + 0.3 * x[k][i] * x[(k + 1) % 6][i]
                        + rng.random::<f64>()
                })
                .collect()
        })
        .collect();
    let mut group = c.benchmark_group("evppi");
    group.sample_size(10);
    for size in [1, 2, 6] {
        let members: Vec<&[f64]> = columns[..size].iter().map(Vec::as_slice).collect();
        group.bench_function(format!("{size}_parameters/20000"), |b| {
            b.iter(|| evppi(&members, &net_benefit, 7).evppi)
        });
    }
    group.finish();
}

criterion_group!(benches, regressions);
criterion_main!(benches);
