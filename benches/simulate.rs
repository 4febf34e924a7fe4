//! Monte Carlo speed: three-point (PERT) draws beside triangular draws in the same run, and
//! whole simulations of generated portfolios in feature-trials per second.
//! Run with `cargo bench --bench simulate`; `make bench-simulate` prints the README figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use rand_distr::Distribution;
use roadmap::sample::stream::StreamKey;
use roadmap::sample::{Method, Sampler};
use roadmap::scenario;
use std::hint::black_box;
use std::path::Path;

const DRAWS: u64 = 1 << 20;

fn draws(c: &mut Criterion) {
    let text = r#"
[plan]
periods = 1
[[teams]]
id = "web"
capacity = 10
[[features]]
id = "pert"
effort = { web = [2, 5, 12] }
[[features]]
id = "triangular"
effort = { web = { triangular = [2, 5, 12] } }
"#;
    let model = scenario::load_text(Path::new("draws.toml"), text.into(), &|p| std::fs::read(p))
        .expect("bench scenario")
        .model;
    let sampler = Sampler::new(&model, 1, Method::MonteCarlo, DRAWS, &[]);
    let input = |name: &str| model.inputs.iter().position(|i| i.name == name).unwrap();
    let (pert, tri) = (
        input("features[pert].effort.web"),
        input("features[triangular].effort.web"),
    );
    let key = StreamKey::new(1, "bench");
    let mut group = c.benchmark_group("draws (one core)");
    group.throughput(Throughput::Elements(DRAWS));
    group.bench_function("triangular [2, 5, 12]", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for t in 0..DRAWS {
                sum += sampler.value_at(tri, key.uniform(t));
            }
            black_box(sum)
        })
    });
    group.bench_function("PERT [2, 5, 12] (tabulated inverse CDF)", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for t in 0..DRAWS {
                sum += sampler.value_at(pert, key.uniform(t));
            }
            black_box(sum)
        })
    });
    group.bench_function("PERT [2, 5, 12] (rand_distr, Beta by Gamma ratios)", |b| {
        let dist = rand_distr::Pert::new(2.0, 12.0).with_mode(5.0).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        b.iter(|| {
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                sum += dist.sample(&mut rng);
            }
            black_box(sum)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = draws
}
criterion_main!(benches);
