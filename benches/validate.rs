//! Validation speed: parse + validate the flagship scenario, the capacity check's Monte
//! Carlo, and the largest NRP instance (4,368 features, 617 deals) imported and validated.
//! Run with `cargo bench --bench validate`.

use criterion::{criterion_group, criterion_main, Criterion};
use roadmap::analysis::capacity;
use roadmap::scenario::{self, nrp};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn bench(c: &mut Criterion) {
    let flagship = root().join("scenarios/saas-annual-plan.toml");
    let text = std::fs::read_to_string(&flagship).expect("flagship scenario");
    c.bench_function("validate flagship (parse + validate)", |b| {
        b.iter(|| {
            scenario::load_text(&flagship, black_box(text.clone()), &|p| std::fs::read(p)).unwrap()
        })
    });
    let model = scenario::load(&flagship).unwrap().model;
    c.bench_function("capacity check flagship, 10,000 trials", |b| {
        b.iter(|| capacity::check(black_box(&model), 10_000, 42))
    });

    let nrp_dir = std::env::var_os("ROADMAP_NRP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("benches/data/nrp"));
    let m2 = std::fs::read_to_string(nrp_dir.join("realistic-nrp/nrp-m2.txt"))
        .expect("NRP data in benches/data/nrp");
    c.bench_function("import + validate nrp-m2 (4,368 features)", |b| {
        b.iter(|| {
            let instance = nrp::parse("nrp-m2", black_box(&m2)).unwrap();
            let budget = nrp::Ratio::parse("0.5")
                .unwrap()
                .apply(instance.total_cost(), nrp::Rounding::Floor);
            let toml = nrp::to_scenario("nrp-m2", &instance, "0.5", nrp::Rounding::Floor, budget);
            scenario::load_text(Path::new("nrp-m2.toml"), toml, &|p| std::fs::read(p)).unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
