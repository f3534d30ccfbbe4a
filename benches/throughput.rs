//! Draws per second: (a) sampling the parameters alone, the floor the engine
//! cannot beat; (b) sampling plus the model for every option; (c) a whole run
//! end to end, Parquet and summaries included, at 10^4, 10^5 and 10^6 draws,
//! on 1 and 2 threads.
//!
//! `cargo bench --bench throughput`; the README records the figures.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use std::path::Path;

use chh_psa::inputs::Inputs;
use chh_psa::model::Model;
use chh_psa::run::{self, Engine, Overrides, RunConfig, Uncertainty};
use chh_psa::sampling;

const SEED: u64 = 20221101;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn throughput(c: &mut Criterion) {
    let inputs = Inputs::load(&manifest().join("distributions")).unwrap();
    let model = Model::compile(&inputs).unwrap();
    let plan = sampling::SamplingPlan::default();
    let engine = Engine::new(
        &inputs,
        &model,
        sampling::Sampler::new(&inputs, &plan, SEED, 1),
        Uncertainty::default(),
    );
    let options = model.options.len();

    let mut group = c.benchmark_group("draws");
    group.sample_size(10);
    for &threads in &[1usize, 2] {
        let pool = pool(threads);
        for &n in &[10_000u64, 100_000, 1_000_000] {
            group.throughput(Throughput::Elements(n));
            group.bench_with_input(
                BenchmarkId::new(format!("a_sampling_only/{threads}t"), n),
                &n,
                |b, &n| {
                    let width = inputs.parameters.len();
                    let mut out = vec![0.0; 16_384 * width];
                    b.iter(|| {
                        pool.install(|| {
                            let mut first = 0;
                            while first < n {
                                let len = 16_384.min(n - first) as usize;
                                out[..len * width]
                                    .par_chunks_mut(width)
                                    .enumerate()
                                    .for_each(|(j, row)| {
                                        engine.sampler.draw(first + j as u64, row);
                                    });
                                first += len as u64;
                            }
                        })
                    });
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("b_sampling_and_model/{threads}t"), n),
                &n,
                |b, &n| {
                    let mut out = vec![0.0; 16_384 * options];
                    b.iter(|| {
                        pool.install(|| {
                            let mut first = 0;
                            while first < n {
                                let len = 16_384.min(n - first) as usize;
                                engine.present_values(first, &mut out[..len * options]);
                                first += len as u64;
                            }
                        })
                    });
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("c_end_to_end/{threads}t"), n),
                &n,
                |b, &n| {
                    let dir = tempfile::tempdir().unwrap();
                    let overrides = Overrides {
                        samples: Some(n),
                        threads: Some(threads),
                        out: Some(dir.path().join("run")),
                        quiet: true,
                        force: true,
                        ..Default::default()
                    };
                    let mut config =
                        RunConfig::load(&manifest().join("runs/base.toml"), &overrides).unwrap();
                    // Scenarios repeat the draws once each; the throughput of one pass is measured.
                    config.scenarios.clear();
                    b.iter(|| run::execute(&config).unwrap());
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
