//! Monte Carlo speed: three-point (PERT) draws beside triangular draws in the same run (both
//! by inverse CDF from the sampler's counter-based uniforms, as simulations draw them, and
//! rand_distr's for reference), whole simulations of generated portfolios in feature-trials
//! per second, and `roadmap simulate` end to end on a 20,000-feature portfolio, where the
//! setup (reading, ordering, tabulating estimates) outweighs 100 trials. Run with
//! `cargo bench --bench simulate` (`make bench`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_distr::Distribution;
use roadmap::sample::pert::{pert_shape, BetaTables};
use roadmap::sample::stream::{to_open_unit, StreamKey};
use roadmap::sample::{Method, Triangular};
use roadmap::scenario;
use std::path::Path;

const DRAWS: u64 = 1 << 20;
/// Uniforms are made in groups, then turned into values.
const GROUP: usize = 16;

/// Three-point (PERT) draws beside triangular draws, per core, in the same run: both inverse
/// CDFs fed the same uniforms, first the simulator's counter-based ones, then xoshiro's (what
/// rand_distr's samplers use); then rand_distr's own triangular and PERT for reference. One
/// shape here; a simulation with many shapes also prefetches table cells (sample/sampler.rs).
fn draws(c: &mut Criterion) {
    let (low, likely, high) = (2.0, 5.0, 12.0);
    let mut tables = BetaTables::default();
    let (a, b) = pert_shape(low, likely, high);
    let shape = tables.shape(a, b);
    tables.build();
    let handle = tables.handle(shape);
    let triangular = Triangular::new(low, likely, high);
    let key = StreamKey::new(1, "bench");
    let mut group = c.benchmark_group("draws [2, 5, 12], one core");
    group.throughput(Throughput::Elements(DRAWS));

    let pert_group = |us: &[f64; GROUP]| -> f64 {
        us.iter()
            .map(|&u| low + (high - low) * tables.value(&BetaTables::locate(&handle, u)))
            .sum()
    };
    let triangular_group =
        |us: &[f64; GROUP]| -> f64 { us.iter().map(|&u| triangular.quantile(u)).sum() };
    let counter =
        |first: u64| -> [f64; GROUP] { std::array::from_fn(|k| key.uniform(first + k as u64)) };
    group.bench_function("triangular, inverse CDF, counter-based uniforms", |b| {
        b.iter(|| {
            (0..DRAWS / GROUP as u64)
                .map(|g| triangular_group(&counter(g * GROUP as u64)))
                .sum::<f64>()
        })
    });
    group.bench_function("PERT, tabulated inverse CDF, counter-based uniforms", |b| {
        b.iter(|| {
            (0..DRAWS / GROUP as u64)
                .map(|g| pert_group(&counter(g * GROUP as u64)))
                .sum::<f64>()
        })
    });
    let xoshiro = || rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
    group.bench_function("triangular, inverse CDF, xoshiro uniforms", |b| {
        let mut rng = xoshiro();
        b.iter(|| {
            (0..DRAWS / GROUP as u64)
                .map(|_| triangular_group(&std::array::from_fn(|_| to_open_unit(rng.random()))))
                .sum::<f64>()
        })
    });
    group.bench_function("PERT, tabulated inverse CDF, xoshiro uniforms", |b| {
        let mut rng = xoshiro();
        b.iter(|| {
            (0..DRAWS / GROUP as u64)
                .map(|_| pert_group(&std::array::from_fn(|_| to_open_unit(rng.random()))))
                .sum::<f64>()
        })
    });
    group.bench_function("triangular, rand_distr (reference)", |b| {
        let dist = rand_distr::Triangular::new(low, high, likely).unwrap();
        let mut rng = xoshiro();
        b.iter(|| (0..DRAWS).map(|_| dist.sample(&mut rng)).sum::<f64>())
    });
    group.bench_function("PERT, rand_distr: Beta by Gamma ratios (reference)", |b| {
        let dist = rand_distr::Pert::new(low, high).with_mode(likely).unwrap();
        let mut rng = xoshiro();
        b.iter(|| (0..DRAWS).map(|_| dist.sample(&mut rng)).sum::<f64>())
    });
    group.finish();
}

/// Whole simulations of generated portfolios, the teams following the value-per-effort order
/// over every feature, on 2 threads (this machine's cores); throughput in feature-trials
/// (scheduled features x trials) per second. The engine is built once, outside the timing.
fn portfolios(c: &mut Criterion) {
    use roadmap::scenario::generate::{generate, GenerateSpec};
    use roadmap::simulate::{self, Engine, Quiet, Schedule, SimOptions};
    let mut group = c.benchmark_group("simulate (2 threads)");
    group.sample_size(10);
    for (features, teams, periods, trials) in [
        (100usize, 4usize, 4usize, 200_000u64),
        (2_000, 10, 8, 10_000),
    ] {
        let text = generate(&GenerateSpec::new(features, teams, periods, 7));
        let model = scenario::load_text(Path::new("gen.toml"), text, &|p| std::fs::read(p))
            .expect("a generated scenario validates")
            .model;
        let order = roadmap::strategy::value_per_effort(&model)
            .normalised(&model)
            .0;
        let engine = Engine::new(
            &model,
            &Schedule::Order(order),
            7,
            Method::MonteCarlo,
            trials,
        );
        let options = SimOptions {
            trials,
            seed: 7,
            threads: Some(2),
            method: Method::MonteCarlo,
        };
        group.throughput(Throughput::Elements(trials * engine.active.len() as u64));
        group.bench_function(
            format!("{features} features x {teams} teams x {periods} periods, {trials} trials"),
            |b| b.iter(|| simulate::run(&model, &engine, &options, &Quiet, None).unwrap()),
        );
    }
    group.finish();
}

/// `roadmap simulate` of 100 trials end to end (read and validate, the value-per-effort order,
/// the engine, the trials, the report; no printing) on the portfolio that `roadmap generate
/// --features 20000 --seed 1` writes, into a temporary folder.
fn large_portfolio(c: &mut Criterion) {
    use roadmap::app::{self, Format, Futures, SimulateCommand};
    use roadmap::scenario::generate::{generate, GenerateSpec};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("gen-20000.toml");
    std::fs::write(&file, generate(&GenerateSpec::new(20_000, 4, 4, 1)))
        .expect("writing the generated scenario");
    let options = SimulateCommand {
        file,
        plan: None,
        order: None,
        futures: Futures {
            trials: Some(100),
            seed: None,
        },
        threads: None,
        latin_hypercube: false,
        format: Format::Text,
        out: None,
        raw: None,
        shard: None,
        progress: false,
    };
    let mut group = c.benchmark_group("large portfolio");
    group.sample_size(10);
    group.bench_function(
        "simulate 20,000 features x 4 teams x 4 quarters, 100 trials (roadmap simulate)",
        |b| b.iter(|| app::simulate(&options).expect("the generated portfolio simulates")),
    );
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = draws, portfolios, large_portfolio
}
criterion_main!(benches);
