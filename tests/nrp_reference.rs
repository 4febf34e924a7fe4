//! `roadmap optimize` on imported NRP instances finds the same optimum as the textbook NRP
//! integer program solved directly (Bagnall et al. 2001): binaries y_c for customers and x_r
//! for requirements, y_c <= x_r for each requested r, x_b <= x_a for each pair (a, b),
//! sum cost_r x_r <= budget, maximise sum w_c y_c. Its plan stays within the budget, keeps
//! every prerequisite, and wins exactly the customers whose requests it delivers.

mod common;
#[path = "../benches/common/textbook.rs"]
mod textbook;

use common::load::nrp_dir;

use common::cli::{roadmap, stdout_of};
use roadmap::scenario::nrp::{self, NrpInstance, Ratio, Rounding};
use std::collections::HashSet;
use std::path::Path;

/// The NRP optimum at a budget, from the textbook model on 2 threads.
fn reference_optimum(instance: &NrpInstance, budget: u64) -> f64 {
    textbook::textbook_optimum(instance, budget, 2).0
}

/// Imports an instance as a user would and optimizes it to proven optimality; returns the
/// optimizer's JSON report.
fn roadmap_optimize(file: &Path, ratio: &str, rounding: &str, dir: &Path) -> serde_json::Value {
    let scenario = dir.join("imported.toml");
    roadmap()
        .args(["import", "nrp"])
        .arg(file)
        .args(["--budget-ratio", ratio, "--rounding", rounding, "-o"])
        .arg(&scenario)
        .assert()
        .success();
    let out = stdout_of(roadmap().arg("optimize").arg(&scenario).args([
        "--gap",
        "0",
        "--trials",
        "0",
        "--threads",
        "2",
        "--format",
        "json",
    ]));
    serde_json::from_str(&out).unwrap()
}

/// Requirement index from a feature id `r<1-based>`.
fn requirement(id: &str) -> usize {
    id.strip_prefix('r').unwrap().parse::<usize>().unwrap() - 1
}

fn check_instance(path: &str, ratios: &[&str]) {
    let file = nrp_dir().join(path);
    let instance = nrp::parse(path, &std::fs::read_to_string(&file).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for ratio in ratios {
        let budget = Ratio::parse(ratio)
            .unwrap()
            .apply(instance.total_cost(), Rounding::Floor);
        let expected = reference_optimum(&instance, budget);
        let report = roadmap_optimize(&file, ratio, "floor", tmp.path());
        let case = format!("{path} at {ratio} (budget {budget})");
        let objective = check_plan(&instance, budget, &report, &case);
        assert!(
            (objective - expected).abs() < 0.5,
            "{case}: roadmap optimize found {objective}, the textbook model {expected}"
        );
    }
}

/// Checks that the optimizer proved its plan optimal and that the plan is a real NRP solution:
/// within the budget, with every prerequisite, winning exactly the customers it serves. Returns
/// the plan's profit, which must equal the objective.
fn check_plan(instance: &NrpInstance, budget: u64, report: &serde_json::Value, case: &str) -> f64 {
    assert_eq!(report["status"], "optimal", "{case}");
    let objective = report["objective"].as_f64().unwrap();
    // The plan: the requirements delivered in the one release.
    let planned: HashSet<usize> = report["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| !line["period"].is_null())
        .map(|line| requirement(line["feature"].as_str().unwrap()))
        .collect();
    let cost: u64 = planned.iter().map(|&r| instance.costs[r]).sum();
    assert!(cost <= budget, "{case}: the plan costs {cost}");
    for &(a, b) in &instance.dependencies {
        assert!(
            !planned.contains(&b) || planned.contains(&a),
            "{case}: r{} is planned without its prerequisite r{}",
            b + 1,
            a + 1
        );
    }
    // A customer is won when all its requests are delivered, and the objective is the
    // profit of the customers won.
    let won: HashSet<usize> = report["deals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["won_in"].is_null())
        .map(|d| {
            d["deal"].as_str().unwrap()[1..]
                .parse::<usize>()
                .map(|c| c - 1)
                .unwrap()
        })
        .collect();
    let mut profit = 0;
    for (c, customer) in instance.customers.iter().enumerate() {
        let served = customer.requests.iter().all(|r| planned.contains(r));
        if won.contains(&c) {
            assert!(served, "{case}: c{} won without its requests", c + 1);
            profit += customer.profit;
        }
    }
    assert!(
        (profit as f64 - objective).abs() < 0.5,
        "{case}: the customers won bring {profit}, not the objective {objective}"
    );
    assert_eq!(report["violations"].as_array().unwrap().len(), 0, "{case}");
    objective
}

#[test]
fn nrp1_matches_the_textbook_model_at_three_budgets() {
    check_instance("classic-nrp/nrp1.txt", &["0.3", "0.5", "0.7"]);
}

#[test]
fn a_realistic_instance_matches_the_textbook_model() {
    check_instance("realistic-nrp/nrp-e1.txt", &["0.3"]);
}

/// All 51 cases of the benchmark (`make bench-nrp`), a few minutes on 2 cores:
/// `cargo test --release --test nrp_reference -- --ignored`.
#[test]
#[ignore]
fn every_benchmark_case_matches_the_textbook_model() {
    let classic = (1..=5).map(|i| format!("classic-nrp/nrp{i}.txt"));
    let realistic = ["e", "g", "m"]
        .iter()
        .flat_map(|s| (1..=4).map(move |i| format!("realistic-nrp/nrp-{s}{i}.txt")));
    for path in classic.chain(realistic) {
        check_instance(&path, &["0.3", "0.5", "0.7"]);
    }
}

/// One row of benches/data/nrp/published-optima.tsv.
struct Published {
    instance: String,
    ratio: String,
    optimum: f64,
}

/// The 39 cases the literature reports (budget = round-half-up(ratio x total cost)).
fn published_optima() -> Vec<Published> {
    let text = std::fs::read_to_string(nrp_dir().join("published-optima.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("instance"))
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            Published {
                instance: cells[0].to_string(),
                ratio: cells[1].to_string(),
                optimum: cells[2].parse().unwrap(),
            }
        })
        .collect()
}

/// The published values this project disagrees with, each settled by the proven optimum and its
/// plan (see benches/data/nrp/README.md, "Where we disagree with the published table").
const DISAGREEMENTS: [(&str, &str, f64); 2] = [
    // A plan of 11071 exists at budget 6575 (the plan is checked in check_plan).
    ("nrp-e1", "0.5", 11071.0),
    // No plan within budget 3510 reaches 5891: roadmap and the textbook model both prove 5814.
    ("nrp-e4", "0.3", 5814.0),
];

/// The literature's 39 cases against the values published for them, which nobody here computed
/// (a few minutes on 2 cores): `cargo test --release --test nrp_reference -- --ignored published`.
#[test]
#[ignore]
fn the_published_optima_of_the_literature() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = published_optima();
    assert_eq!(cases.len(), 39);
    let mut found = Vec::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let folder = if case.instance.starts_with("nrp-") {
            "realistic-nrp"
        } else {
            "classic-nrp"
        };
        let path = format!("{folder}/{}.txt", case.instance);
        let file = nrp_dir().join(&path);
        let instance = nrp::parse(&path, &std::fs::read_to_string(&file).unwrap()).unwrap();
        let budget = Ratio::parse(&case.ratio)
            .unwrap()
            .apply(instance.total_cost(), Rounding::Nearest);
        let label = format!("{}@{} (budget {budget})", case.instance, case.ratio);
        let report = roadmap_optimize(&file, &case.ratio, "nearest", tmp.path());
        let objective = check_plan(&instance, budget, &report, &label);
        let objective = objective.round();
        let settled = DISAGREEMENTS
            .iter()
            .find(|(i, r, _)| *i == case.instance && *r == case.ratio);
        match settled {
            Some(&(_, _, ours)) => {
                if objective != ours {
                    wrong.push(format!(
                        "{label}: {objective}, expected {ours} (published {})",
                        case.optimum
                    ));
                }
                // The disagreement is real: the textbook model, solved on its own, agrees with us.
                assert_eq!(
                    reference_optimum(&instance, budget).round(),
                    ours,
                    "{label}"
                );
            }
            None if objective != case.optimum => {
                wrong.push(format!("{label}: {objective}, published {}", case.optimum));
            }
            None => {}
        }
        found.push(format!("{label}: {objective} (published {})", case.optimum));
    }
    println!("{}", found.join("\n"));
    assert!(
        wrong.is_empty(),
        "proven optima that differ:\n{}",
        wrong.join("\n")
    );
}
