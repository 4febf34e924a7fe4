//! The recommended plan: on certain scenarios it is the MILP optimum; under uncertainty no
//! candidate that keeps its commitments beats it beyond the paired interval; its commitments
//! hold at the asked confidence on futures no step of the search saw; and the command line
//! says all of it.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use common::cli::{roadmap, stdout_of};
use proptest::prelude::*;
use roadmap::analysis::recommend::{self, RecommendOptions};
use roadmap::model::Model;
use roadmap::optimize::{optimize, OptimizeOptions};
use roadmap::scenario;
use roadmap::simulate::Quiet;

use oracle::{certain, simulate as simulated};

/// Small and quick: few futures, few candidates.
fn quick(seed: u64, q: f64) -> RecommendOptions {
    let mut o = RecommendOptions::new(seed, q);
    o.search_trials = 200;
    o.select_trials = 800;
    o.robust_confidences = vec![0.7, 0.9];
    o.stochastic_scenarios = 10;
    o.risk_aversions = vec![0.0];
    o.max_rounds = 15;
    o
}

fn generated(features: usize, seed: u64, uncertainty: f64) -> Model {
    let mut spec = scenario::generate::GenerateSpec::new(features, 3, 4, seed);
    spec.uncertainty = uncertainty;
    common::load::generated(&spec)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..oracle::config() })]

    /// With nothing uncertain the simulator and the MILP count the same money, so no plan the
    /// search can find beats the MILP optimum, and the recommendation earns exactly it.
    #[test]
    fn on_certain_scenarios_the_recommendation_is_the_optimum(tiny in oracle::tiny_scenario()) {
        let Some(model) = oracle::model(&tiny) else {
            return Ok(());
        };
        let model = certain(model);
        let exact = OptimizeOptions { gap: 0.0, threads: Some(1), ..OptimizeOptions::default() };
        let Ok(optimum) = optimize(&model, &exact) else {
            return Ok(());
        };
        let mut options = quick(3, 0.8);
        options.optimize.gap = 0.0;
        let rec = recommend::recommend(&model, &options, &Quiet).unwrap();
        let npv = simulated(&model, &rec.plan, 1, 1).npv.mean;
        let tolerance = 1e-6 * (1.0 + optimum.objective.abs());
        prop_assert!(
            (npv - optimum.objective).abs() <= tolerance,
            "recommended {} ({}), optimum {}",
            npv,
            rec.origin,
            optimum.objective
        );
    }
}

#[test]
fn the_flagship_made_certain_recommends_its_optimum() {
    let model = certain(common::load::model_file("scenarios/mobile-launch.toml"));
    assert!(model.is_certain());
    let optimum = optimize(&model, &OptimizeOptions::default()).unwrap();
    let rec = recommend::recommend(&model, &quick(5, 0.8), &Quiet).unwrap();
    let npv = simulated(&model, &rec.plan, 1, 1).npv.mean;
    // The optimum is proven to the default gap (1e-4).
    assert!(
        npv >= optimum.objective - 1e-6 * optimum.objective.abs()
            && npv <= optimum.bound + 1e-6 * optimum.bound.abs(),
        "recommended {npv} from {}, optimum {} (bound {})",
        rec.origin,
        optimum.objective,
        optimum.bound
    );
}

/// Across generated portfolios of rising uncertainty: no candidate that holds its
/// commitments beats the recommended plan beyond the 95% interval of the paired difference,
/// and the recommended plan's commitments hold at the confidence on a seed nobody used.
#[test]
fn no_candidate_beats_it_and_its_commitments_hold_on_new_futures() {
    for (k, uncertainty) in [0.5, 1.0, 1.8].into_iter().enumerate() {
        let model = generated(16, 40 + k as u64, uncertainty);
        let q = 0.8;
        let options = quick(11, q);
        let rec = recommend::recommend(&model, &options, &Quiet).unwrap();
        let confirmation = recommend::confirm(&model, &rec, 11, 4000, None, &Quiet).unwrap();
        for (line, candidate) in confirmation.candidates.iter().zip(&rec.candidates) {
            if rec.reaches_confidence && candidate.commitments_hold + 1e-12 < q {
                continue;
            }
            assert!(
                line.difference.low <= 0.0,
                "uncertainty {uncertainty}: {} beats the recommended plan ({}) by {:?}",
                line.name,
                rec.origin,
                line.difference
            );
        }
        if rec.reaches_confidence {
            let fresh = simulated(&model, &rec.plan, 987_654, 4000);
            for held in recommend::commitments(&model, &rec.plan, &fresh) {
                // Three standard errors of a share near q estimated on 800 and 4,000 futures.
                assert!(
                    held.share >= q - 0.05,
                    "uncertainty {uncertainty}: {:?} holds in {} of new futures",
                    held,
                    held.share
                );
            }
        }
    }
}

#[test]
fn the_command_line_gives_the_plan_its_origin_and_the_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.csv");
    let out = stdout_of(
        roadmap()
            .args([
                "optimize",
                "scenarios/mobile-launch.toml",
                "--format",
                "json",
            ])
            .args(["--trials", "2000", "-o"])
            .arg(&plan),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["mode"], "recommended");
    let rec = &json["recommended"];
    assert!(rec["origin"].as_str().unwrap().len() > 3);
    assert!(rec["npv"]["mean"].as_f64().unwrap() > 0.0);
    assert!(rec["npv"]["std_error"].as_f64().unwrap() > 0.0);
    assert_eq!(rec["holdout_trials"], 2000);
    assert_eq!(rec["holdout_seed"], 42);
    let candidates = json["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 5);
    for c in candidates {
        let d = &c["difference"];
        assert!(d["low"].as_f64().unwrap() <= d["mean"].as_f64().unwrap());
        assert!(d["mean"].as_f64().unwrap() <= d["high"].as_f64().unwrap());
        assert!(c["name"].is_string() && c["npv_mean"].is_f64());
    }
    let marks: Vec<&str> = json["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| !row["period"].is_null())
        .map(|row| row["commitment"].as_str().unwrap())
        .collect();
    assert!(!marks.is_empty() && marks.iter().all(|m| *m == "commit" || *m == "stretch"));

    // The plan file carries the commitments and runs as it is.
    let csv = std::fs::read_to_string(&plan).unwrap();
    assert!(
        csv.starts_with("feature,period,start,commitment,name\n"),
        "{csv}"
    );
    let sim = stdout_of(
        roadmap()
            .args([
                "simulate",
                "scenarios/mobile-launch.toml",
                "--trials",
                "2000",
                "--plan",
            ])
            .arg(&plan)
            .args(["--format", "json"]),
    );
    let sim: serde_json::Value = serde_json::from_str(&sim).unwrap();
    // The same plan on the same seed and trials: the same NPV the recommendation reported.
    let reported = rec["npv"]["mean"].as_f64().unwrap();
    let simulated = sim["npv"]["mean"].as_f64().unwrap();
    assert!(
        (reported - simulated).abs() < 1e-6 * reported.abs(),
        "{reported} vs {simulated}"
    );

    let bad = roadmap()
        .args([
            "optimize",
            "scenarios/mobile-launch.toml",
            "--commit-confidence",
            "1.5",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--commit-confidence"));
}
