//! Rank-correlated sampling through the capacity check's eyes: the requested correlations are
//! achieved, each input keeps its own distribution, and correlated estimates widen the P80.
//! (tests/distributions.rs checks every distribution and correlation path of the sampler.)

use roadmap::sample::{Method, Sampler};
use roadmap::scenario;
use std::path::Path;

/// Spearman rank correlation (continuous draws: no ties).
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        for (rank, &i) in idx.iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let mean = (x.len() as f64 - 1.0) / 2.0;
    let cov: f64 = rx
        .iter()
        .zip(&ry)
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    let var: f64 = rx.iter().map(|a| (a - mean).powi(2)).sum();
    cov / var
}

fn model() -> roadmap::model::Model {
    let text = r#"
[plan]
periods = 4

[[teams]]
id = "web"
capacity = 40

[[segments]]
id = "smb"
demand = { lognormal = { p10 = 300, p90 = 700 } }
price = 49

[[segments]]
id = "mid"
demand = [100, 200, 500]
price = 199

[[segments]]
id = "ent"
demand = { triangular = [10, 20, 60] }
price = 999

[[correlations]]
inputs = ["segments[smb].demand", "segments[mid].demand"]
rho = 0.6

[[correlations]]
inputs = ["segments[mid].demand", "segments[ent].demand"]
rho = 0.3

[[correlations]]
inputs = ["segments[smb].demand", "segments[ent].demand"]
rho = -0.2
"#;
    scenario::load_text(Path::new("c.toml"), text.to_string(), &|p| std::fs::read(p))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .model
}

/// 100,000 draws of the named inputs.
fn columns(model: &roadmap::model::Model, names: &[&str]) -> Vec<Vec<f64>> {
    let n = 100_000;
    let sampler = Sampler::new(model, 11, Method::MonteCarlo, n, &[]);
    let mut draws = sampler.buffers();
    let ids: Vec<usize> = names
        .iter()
        .map(|name| model.inputs.iter().position(|i| i.name == *name).unwrap())
        .collect();
    let mut out = vec![Vec::with_capacity(n as usize); names.len()];
    for trial in 0..n {
        sampler.draw(trial, &mut draws);
        for (column, &id) in out.iter_mut().zip(&ids) {
            column.push(draws.values[id]);
        }
    }
    out
}

#[test]
fn achieved_rank_correlations_are_within_0_02_at_100k_samples() {
    let model = model();
    let c = columns(
        &model,
        &[
            "segments[smb].demand",
            "segments[mid].demand",
            "segments[ent].demand",
        ],
    );
    let (smb, mid, ent) = (&c[0], &c[1], &c[2]);
    for (x, y, target) in [(smb, mid, 0.6), (mid, ent, 0.3), (smb, ent, -0.2)] {
        let achieved = spearman(x, y);
        assert!(
            (achieved - target).abs() < 0.02,
            "target {target}, achieved {achieved}"
        );
    }
    // Marginals are untouched: the lognormal keeps its median and p90.
    let mut sorted = smb.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[50_000];
    let p90 = sorted[90_000];
    assert!(
        (median / (300.0f64 * 700.0).sqrt() - 1.0).abs() < 0.02,
        "median {median}"
    );
    assert!((p90 / 700.0 - 1.0).abs() < 0.02, "p90 {p90}");
    let mean_mid = mid.iter().sum::<f64>() / mid.len() as f64;
    assert!(
        (mean_mid / ((100.0 + 800.0 + 500.0) / 6.0) - 1.0).abs() < 0.01,
        "PERT mean {mean_mid}"
    );
}

#[test]
fn correlated_efforts_widen_the_p80_of_committed_work() {
    // Ten mandatory features on one team: correlated estimates err together, so the P80 of
    // their sum lies further above the mean than with independent estimates.
    let features: String = (0..10)
        .map(|i| {
            format!(
                "[[features]]\nid = \"f{i}\"\neffort = {{ web = [2, 3, 8] }}\nmandatory = true\n\n"
            )
        })
        .collect();
    let base =
        format!("[plan]\nperiods = 1\n\n[[teams]]\nid = \"web\"\ncapacity = 100\n\n{features}");
    let load = |text: String| {
        scenario::load_text(Path::new("e.toml"), text, &|p| std::fs::read(p))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model
    };
    let independent = load(base.clone());
    let correlated = load(format!(
        "{base}[[correlations]]\ninputs = [\"features[*].effort.web\"]\nrho = 0.8\n"
    ));
    let p80 = |m: &roadmap::model::Model| {
        roadmap::analysis::capacity::check(m, 20_000, 5).teams[0].periods[0].committed_p80
    };
    let mean = 10.0 * (2.0 + 12.0 + 8.0) / 6.0;
    let (pi, pc) = (p80(&independent), p80(&correlated));
    assert!(
        pi > mean && pc > pi + 0.5 * (pi - mean),
        "independent P80 {pi}, correlated P80 {pc}, mean {mean}"
    );
}
