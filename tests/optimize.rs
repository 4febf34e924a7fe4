//! The optimizer checked against answers: a plan computed by hand, the simulator's NPV when
//! nothing is uncertain, the modes' defining properties, monotonicity under more capacity,
//! more budget and fewer dependencies, the plan file round trip through `simulate --plan`,
//! the LP export read back by HiGHS, and what users see.

mod common;

use common::build::{Scenario, ScenarioFile};
use common::cli::run as roadmap;
use common::load::{generated, model_file, model_from};
use common::solve::{exact, simulate};
use proptest::prelude::*;
use roadmap::model::Model;
use roadmap::optimize::{self, Mode, OptimizeOptions, Status};
use roadmap::plan_check as check;
use roadmap::scenario::{self, generate::GenerateSpec};
use roadmap::simulate::Schedule;
use std::path::Path;

fn simulated_npv(model: &Model, plan: &roadmap::model::Plan, trials: u64) -> f64 {
    simulate(model, &Schedule::Plan(plan.clone()), 1, trials, Some(1))
        .npv
        .mean
}

/// tests/fixtures/optimize/hand.toml: one team of 10 person-weeks a quarter at 100 a week, no
/// discounting, value to month 12 (a quarter is 3 months).
/// - a (8 weeks, 1,000/month): in Q1 it earns months 3..12 = 9,000; in Q2 6,000.
/// - b (8 weeks, 600/month): 5,400 in Q1, 3,600 in Q2.
/// - c (4 weeks, 100/month, soft deadline Q1 at 300 a late quarter): 900 in Q1, 600 - 300 in Q2.
/// - deal d pays 500 when b and c ship by Q2. Team time costs 2,000 for all three.
///
/// a and b do not both fit Q1 (16 > 10), nor do a and c (12 > 10); the 20 weeks of the year fit
/// all three. a in Q1 with b and c in Q2: 9,000 + 3,600 + 300 + 500 - 2,000 = 11,400. b first:
/// 5,400 + 6,000 + 300 + 500 - 2,000 = 10,200; without c: 9,000 + 3,600 - 1,600 = 11,000.
#[test]
fn the_optimum_of_a_hand_computed_portfolio() {
    let model = model_file("tests/fixtures/optimize/hand.toml");
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.status, Status::Optimal);
    assert!(
        (outcome.objective - 11_400.0).abs() < 1e-6,
        "{}",
        outcome.objective
    );
    assert_eq!(outcome.plan.periods, vec![Some(0), Some(1), Some(1)]);
    assert_eq!(outcome.gap, 0.0);
    assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
    // The simulator executes the plan to the same NPV: nothing here is uncertain.
    assert!((simulated_npv(&model, &outcome.plan, 16) - 11_400.0).abs() < 1e-6);
}

/// A constant scenario with discounting, ramps, segment growth, deals, lags and penalties:
/// the objective is exactly the NPV the simulator finds for the plan. (Team time is free here,
/// because the optimizer may schedule work later than the teams' first-come execution; the
/// one-off cost sits on a feature that cannot start before its period, so it is paid at the
/// same moment in both.)
#[test]
fn the_objective_is_the_simulated_npv_when_nothing_is_uncertain() {
    let model = model_from(
        Scenario::plan(
            "periods = 4\nperiod_weeks = 13\nstart = \"2027Q1\"\nhorizon_months = 30\n\
             discount_rate = 0.12",
        )
        .team("web", "capacity = 12\ncost_per_week = 0")
        .team("data", "capacity = [6, 6, 10, 10]\ncost_per_week = 0")
        .table(
            "segments",
            "smb",
            "demand = 1000\ngrowth = 0.01\nprice = 40",
        )
        .feature(
            "core",
            "effort = { web = 10, data = 4 }\nvalue = 2000\nramp_months = 3",
        )
        .feature(
            "reports",
            "effort = { data = 8 }\nuplift = { smb = 0.05 }\n\
             requires = { id = \"core\", lag = 1 }\nramp_months = 2",
        )
        .feature(
            "mobile",
            "effort = { web = 9 }\nvalue = 1500\ncost = 4000\nearliest = \"2027Q2\"\n\
             deadline = { period = \"2027Q2\", kind = \"soft\", penalty = 2500 }",
        )
        .feature("export", "effort = { web = 6, data = 3 }\nvalue = 300")
        .table(
            "deals",
            "acme",
            "features = [\"core\", \"reports\"]\none_off = 9000\nmonthly = 500\nby = \"2027Q4\"",
        )
        .text(),
    );
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
    let npv = simulated_npv(&model, &outcome.plan, 8);
    assert!(
        (outcome.objective - npv).abs() < 1e-6 * outcome.objective.abs(),
        "objective {} vs simulated {npv}, plan {:?}",
        outcome.objective,
        outcome.plan
    );
}

#[test]
fn robust_mode_plans_efforts_at_the_quantile_and_capacity_at_its_complement() {
    let model = model_from(
        Scenario::plan("periods = 2")
            .team(
                "web",
                "capacity = 20\ncapacity_factor = { uniform = [0.5, 1.0] }",
            )
            .feature(
                "a",
                "effort = { web = { uniform = [4, 14] } }\nvalue = 1000\n\
                 vendor_lead_weeks = { uniform = [0, 10] }",
            )
            .text(),
    );
    let options = OptimizeOptions {
        mode: Mode::Robust { confidence: 0.8 },
        ..exact()
    };
    let outcome = optimize::optimize(&model, &options).unwrap();
    assert!((outcome.basis.effort[0][0] - 12.0).abs() < 1e-9);
    assert!((outcome.basis.capacity[0][0] - 20.0 * 0.6).abs() < 1e-9);
    assert!((outcome.basis.lead_weeks[0] - 8.0).abs() < 1e-9);
    let expected = check::CheckBasis::expected(&model);
    assert!((expected.effort[0][0] - 9.0).abs() < 1e-9);
}

/// With nothing uncertain every scenario is the expectation: the sample average, and CVaR of
/// it, equal the deterministic optimum.
#[test]
fn stochastic_mode_on_a_certain_scenario_is_the_deterministic_optimum() {
    // No discounting, so when team time is paid does not matter; overtime so dear it never pays.
    let model = model_file("tests/fixtures/optimize/hand.toml");
    let deterministic = optimize::optimize(&model, &exact()).unwrap();
    for risk_aversion in [0.0, 0.5, 1.0] {
        let options = OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios: 5,
                risk_aversion,
                cvar_alpha: 0.8,
                overtime_premium: Some(1000.0),
            },
            ..exact()
        };
        let stochastic = optimize::optimize(&model, &options).unwrap();
        assert!(
            (stochastic.objective - deterministic.objective).abs() < 1e-6,
            "lambda {risk_aversion}: {} vs {}",
            stochastic.objective,
            deterministic.objective
        );
    }
}

/// CVaR of a plan never exceeds its mean, so the best risk-averse objective never exceeds the
/// best expected NPV; and overtime or slips only cost, so each scenario's NPV is at most its
/// value without them.
#[test]
fn risk_aversion_never_raises_the_objective() {
    // Small enough to prove each optimum: the property is about optima.
    let model = generated(&GenerateSpec::new(8, 2, 3, 5));
    let objective = |risk_aversion: f64| {
        let options = OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios: 8,
                risk_aversion,
                cvar_alpha: 0.75,
                overtime_premium: None,
            },
            time_limit_seconds: Some(600.0),
            ..exact()
        };
        let outcome = optimize::optimize(&model, &options).unwrap();
        assert_eq!(
            outcome.status,
            Status::Optimal,
            "risk aversion {risk_aversion}"
        );
        outcome.objective
    };
    let (mean, mixed, tail) = (objective(0.0), objective(0.5), objective(1.0));
    assert!(mixed <= mean + 1e-6 * mean.abs(), "{mixed} > {mean}");
    assert!(tail <= mixed + 1e-6 * mixed.abs(), "{tail} > {mixed}");
}

fn small_portfolio(seed: u64) -> Model {
    let mut spec = GenerateSpec::new(9, 2, 3, seed);
    spec.dependency_density = 1.0;
    generated(&spec)
}

fn optimum(model: &Model) -> f64 {
    optimize::optimize(model, &exact()).unwrap().objective
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn more_capacity_budget_or_fewer_dependencies_never_lower_the_optimum(seed in 0u64..10_000) {
        let model = small_portfolio(seed);
        let base = optimum(&model);
        let outcome = optimize::optimize(&model, &exact()).unwrap();
        prop_assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);

        let mut more = model.clone();
        for team in &mut more.teams {
            for c in &mut team.capacity_weeks {
                *c *= 1.25;
            }
        }
        let more_capacity = optimum(&more);
        prop_assert!(more_capacity >= base - 1e-6 * base.abs().max(1.0), "{more_capacity} < {base}");

        let mut richer = model.clone();
        richer.budget = richer.budget.map(|b| b * 1.5);
        let more_budget = optimum(&richer);
        prop_assert!(more_budget >= base - 1e-6 * base.abs().max(1.0), "{more_budget} < {base}");

        if let Some(f) = model.features.iter().position(|f| !f.requires.is_empty()) {
            let mut looser = model.clone();
            looser.features[f].requires.remove(0);
            let fewer = optimum(&looser);
            prop_assert!(fewer >= base - 1e-6 * base.abs().max(1.0), "{fewer} < {base}");
        }
    }
}

#[test]
fn every_example_scenario_gets_a_sound_plan_in_every_mode() {
    for file in [
        "scenarios/saas-annual-plan.toml",
        "scenarios/mobile-launch.toml",
        "scenarios/hardware-device.toml",
        "scenarios/backlog-plan.toml",
        "scenarios/payments-compliance.toml",
    ] {
        let model = model_file(file);
        for mode in [
            Mode::Deterministic,
            Mode::Robust { confidence: 0.8 },
            Mode::Stochastic {
                scenarios: 10,
                risk_aversion: 0.3,
                cvar_alpha: 0.9,
                overtime_premium: None,
            },
        ] {
            let options = OptimizeOptions {
                mode,
                gap: 1e-3,
                threads: Some(1),
                // Soundness does not need a proof: the stochastic search stops early.
                time_limit_seconds: Some(5.0),
                ..OptimizeOptions::default()
            };
            let outcome = match optimize::optimize(&model, &options) {
                Ok(outcome) => outcome,
                // Mandatory work may not fit when every effort is at its P80 at once.
                Err(optimize::OptimizeError::Infeasible(_))
                    if matches!(mode, Mode::Robust { .. }) =>
                {
                    continue
                }
                Err(e) => panic!("{file} {mode:?}: {e}"),
            };
            assert!(
                outcome.violations.is_empty(),
                "{file} {mode:?}: {:?}",
                outcome.violations
            );
            assert!(outcome.bound >= outcome.objective - 1e-6 * outcome.objective.abs());
            // Every left-out feature has a reason, every planned one has none.
            for line in &outcome.features {
                assert_eq!(line.period.is_none(), line.left_out.is_some(), "{file}");
            }
        }
    }
}

#[test]
fn the_plan_is_the_same_on_one_and_two_threads() {
    let model = model_file("scenarios/mobile-launch.toml");
    let one = optimize::optimize(&model, &exact()).unwrap();
    let two = optimize::optimize(
        &model,
        &OptimizeOptions {
            threads: Some(2),
            ..exact()
        },
    )
    .unwrap();
    assert!((one.objective - two.objective).abs() < 1e-6 * one.objective.abs());
}

/// `--solver-seed` changes HiGHS's search path, never the optimum it proves; a seed out of
/// HiGHS's range is a usage error.
#[test]
fn another_solver_seed_proves_the_same_optimum() {
    let model = model_file("scenarios/mobile-launch.toml");
    let base = optimize::optimize(&model, &exact()).unwrap();
    for solver_seed in [1, 7, 2_147_483_647] {
        let other = optimize::optimize(
            &model,
            &OptimizeOptions {
                solver_seed,
                ..exact()
            },
        )
        .unwrap();
        assert_eq!(other.status, Status::Optimal);
        assert!(
            (other.objective - base.objective).abs() < 1e-6 * base.objective.abs(),
            "seed {solver_seed}: {} against {}",
            other.objective,
            base.objective
        );
    }
    // Where many plans are optimal, the seed decides which one HiGHS reaches first: two seeds
    // return two plans of the same worth, and a seed run again returns its plan again.
    let solved = |seed: &str| {
        let (code, stdout, stderr) = roadmap(&[
            "optimize",
            "tests/fixtures/optimize/ties.toml",
            "--solver-seed",
            seed,
            "--no-start",
            "--gap",
            "0",
            "--threads",
            "1",
            "--trials",
            "0",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        (
            json["objective"].as_f64().unwrap(),
            json["plan"].to_string(),
        )
    };
    let (zero, one) = (solved("0"), solved("1"));
    assert_eq!(zero.0, one.0);
    assert_ne!(
        zero.1, one.1,
        "seeds 0 and 1 returned the same plan: the seed did not reach HiGHS"
    );
    assert_eq!(one, solved("1"));
    let (code, _, stderr) = roadmap(&[
        "optimize",
        "tests/fixtures/optimize/hand.toml",
        "--solver-seed=-1",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("-1 is not in 0..=2147483647"), "{stderr}");
}

#[test]
fn plan_files_round_trip_through_simulate() {
    // The same optimization, written to a plan file or printed as JSON.
    let optimize = |more: &[&str]| {
        let args = [
            "optimize",
            "scenarios/mobile-launch.toml",
            "--mode",
            "deterministic",
            "--trials",
            "500",
        ];
        roadmap(&[&args, more].concat())
    };
    let dir = tempfile::tempdir().unwrap();
    for name in ["plan.csv", "plan.json"] {
        let path = dir.path().join(name);
        let path = path.to_str().unwrap();
        let (code, stdout, stderr) = optimize(&["-o", path]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("Out-of-sample check"), "{stdout}");
        assert!(stderr.contains("wrote the plan to"), "{stderr}");
        let (code, sim, stderr) = roadmap(&[
            "simulate",
            "scenarios/mobile-launch.toml",
            "--plan",
            path,
            "--trials",
            "500",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        // The re-simulation in `optimize` is this run: same plan, same seed, same trials.
        let sim: serde_json::Value = serde_json::from_str(&sim).unwrap();
        let (_, json, _) = optimize(&["--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            sim["npv"]["mean"].as_f64().unwrap(),
            json["out_of_sample"]["npv_mean"].as_f64().unwrap()
        );
        for key in ["status", "objective", "bound", "gap", "plan"] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["status"], "optimal");
    }
}

#[test]
fn bad_options_are_exit_code_2_with_a_fix() {
    for args in [
        vec!["--mode", "robust", "--confidence", "1.5"],
        vec!["--gap=-1"],
        vec!["--mode", "stochastic", "--risk-aversion", "2"],
        vec!["--mode", "stochastic", "--cvar-alpha", "1"],
        vec!["--time-limit", "0"],
    ] {
        let mut all = vec!["optimize", "tests/fixtures/optimize/hand.toml"];
        all.extend(args.iter().copied());
        let (code, _, stderr) = roadmap(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("must be"), "{stderr}");
    }
}

#[test]
fn what_users_see() {
    let (code, stdout, stderr) = roadmap(&[
        "optimize",
        "tests/fixtures/optimize/hand.toml",
        "--trials",
        "100",
        "--gap",
        "0",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Timings vary from run to run.
    let stable: String = stdout
        .lines()
        .filter(|l| !l.starts_with("time "))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("optimize_hand_text", stable);
    let (_, csv, _) = roadmap(&[
        "optimize",
        "tests/fixtures/optimize/hand.toml",
        "--trials",
        "0",
        "--format",
        "csv",
    ]);
    insta::assert_snapshot!("optimize_hand_csv", csv);
}

/// Reads an LP file with HiGHS itself and returns the optimal objective and the columns'
/// names in the order HiGHS holds them, so the export is checked by a real LP reader, not by
/// our own writer's idea of the format.
fn highs_objective_of_lp_file(path: &Path) -> (f64, Vec<String>) {
    use std::ffi::CString;
    let file = CString::new(path.to_str().unwrap()).unwrap();
    unsafe {
        let highs = highs_sys::Highs_create();
        let quiet = CString::new("output_flag").unwrap();
        highs_sys::Highs_setBoolOptionValue(highs, quiet.as_ptr(), 0);
        let gap = CString::new("mip_rel_gap").unwrap();
        highs_sys::Highs_setDoubleOptionValue(highs, gap.as_ptr(), 0.0);
        assert_eq!(
            highs_sys::Highs_readModel(highs, file.as_ptr()),
            0,
            "HiGHS cannot read {}",
            path.display()
        );
        let columns = (0..highs_sys::Highs_getNumCol(highs))
            .map(|c| {
                let mut name = vec![0 as std::os::raw::c_char; 1024];
                assert_eq!(highs_sys::Highs_getColName(highs, c, name.as_mut_ptr()), 0);
                std::ffi::CStr::from_ptr(name.as_ptr())
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(highs_sys::Highs_run(highs), 0);
        let objective = highs_sys::Highs_getObjectiveValue(highs);
        highs_sys::Highs_destroy(highs);
        (objective, columns)
    }
}

#[test]
fn the_exported_lp_file_solves_to_the_same_optimum_in_highs() {
    let dir = tempfile::tempdir().unwrap();
    // The stochastic model holds each future's schedule: a small uncertain portfolio keeps
    // its proof (and HiGHS's, reading the file) quick.
    let small = dir.path().join("small.toml");
    let (code, _, stderr) = roadmap(&[
        "generate",
        "--features",
        "8",
        "--teams",
        "2",
        "--periods",
        "3",
        "--seed",
        "3",
        "--uncertainty",
        "1.5",
        "-o",
        small.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    for (file, mode) in [
        (
            "tests/fixtures/optimize/hand.toml",
            vec!["--mode", "deterministic"],
        ),
        (
            "scenarios/mobile-launch.toml",
            vec!["--mode", "deterministic"],
        ),
        ("scenarios/saas-annual-plan.toml", vec!["--mode", "robust"]),
        (
            small.to_str().unwrap(),
            vec![
                "--mode",
                "stochastic",
                "--scenarios",
                "4",
                "--risk-aversion",
                "0.5",
            ],
        ),
    ] {
        let lp = dir.path().join("model.lp");
        let mut args = vec![
            "optimize",
            file,
            "--gap",
            "0",
            "--trials",
            "0",
            "--format",
            "json",
            "--export-lp",
            lp.to_str().unwrap(),
        ];
        args.extend(mode.iter().copied());
        let log = dir.path().join("highs.log");
        args.extend(["--solver-log", log.to_str().unwrap()]);
        let (code, stdout, stderr) = roadmap(&args);
        assert_eq!(code, 0, "{file}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let objective = json["objective"].as_f64().unwrap();
        // HiGHS's log goes to the file, never into the JSON on stdout.
        assert!(std::fs::read_to_string(&log)
            .unwrap()
            .contains("Solving report"));
        std::fs::remove_file(&log).unwrap();
        let text = std::fs::read_to_string(&lp).unwrap();
        assert!(text.starts_with("\\ Written by roadmap"), "{text}");
        assert!(
            text.lines().all(|l| l.len() < 255),
            "{file}: a line too long for LP readers"
        );
        let (theirs, columns) = highs_objective_of_lp_file(&lp);
        assert!(
            (theirs - objective).abs() <= 1e-6 * objective.abs().max(1.0),
            "{file} {mode:?}: HiGHS reads the LP file to {theirs}, optimize says {objective}"
        );
        // HiGHS holds the columns in the optimizer's order (the Bounds section lists them so),
        // so it searches the model optimize hands it, not a permutation of it.
        let ours: Vec<&str> = text
            .split("\nBounds\n")
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|l| l.starts_with(' '))
            .map(|l| l.split(" <= ").nth(1).unwrap_or(l).trim())
            .collect();
        assert_eq!(
            ours.len() as u64,
            json["size"]["variables"].as_u64().unwrap(),
            "{file}"
        );
        assert_eq!(columns, ours, "{file} {mode:?}: HiGHS's column order");
    }
}

/// HiGHS reports a time limit without any plan as an error, not a status: the user gets a
/// clear message and exit code 1, never a plan that does not exist.
#[test]
fn a_time_limit_without_any_plan_is_exit_code_1() {
    let big = ScenarioFile::new(&scenario::generate::generate(&GenerateSpec::new(
        1000, 10, 8, 3,
    )));
    let (code, stdout, stderr) = roadmap(&[
        "optimize",
        big.arg(),
        "--time-limit",
        "0.05",
        "--no-start",
        "--trials",
        "0",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("the time limit (0.05 s) ended before HiGHS found any feasible plan"),
        "{stderr}"
    );
}

/// No plan exists: the answer names the causes in the user's terms and exits 2.
#[test]
fn infeasible_scenarios_are_explained_and_exit_2() {
    // Only a combination fails (tests/fixtures/optimize/infeasible-combination.toml): the
    // least extra capacity that lets a plan exist, and the relaxations that are enough.
    let (code, stdout, stderr) = roadmap(&[
        "optimize",
        "tests/fixtures/optimize/infeasible-combination.toml",
    ]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    insta::assert_snapshot!("optimize_infeasible_combination", stderr);
    // The mandatory work alone does not fit at P80: the output says where (team, periods,
    // weeks and features) and plans at the best confidence that is reachable.
    let (code, stdout, stderr) = roadmap(&[
        "optimize",
        "scenarios/mobile-launch.toml",
        "--mode",
        "robust",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "not reachable at P80: Team android is 3.8 person-weeks short in Sprint 1–Sprint 8"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("the best reachable confidence is P64"),
        "{stdout}"
    );
    assert!(stdout.contains("mode: robust (efforts and lead times at P64"));
}

/// Regression: a deal whose features have different hard deadlines is won when the last one
/// ships after the other's deadline (found by the brute-force oracle: the deal's window used to
/// end at the earliest of its features' deadlines, so the optimizer thought it could never win).
#[test]
fn a_deal_is_won_when_its_last_feature_ships_after_another_features_deadline() {
    let model = model_from(
        Scenario::plan("periods = 2\ndiscount_rate = 0")
            .team("t0", "capacity = 5")
            .feature("early", "deadline = 1")
            .feature("late", "requires = { id = \"early\", lag = 1 }")
            .table(
                "deals",
                "d0",
                "features = [\"early\", \"late\"]\none_off = 100",
            )
            .text(),
    );
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(0), Some(1)]);
    assert!(
        (outcome.objective - 100.0).abs() < 1e-9,
        "{}",
        outcome.objective
    );
}

/// What robust mode is for: its plan holds in more futures than the plan made with expected
/// efforts (the flagship; both re-simulated on the same 4,000 futures).
#[test]
fn a_robust_plan_is_on_time_more_often_than_the_expected_one() {
    let model = model_file("scenarios/saas-annual-plan.toml");
    let on_plan = |mode: Mode| {
        let options = OptimizeOptions {
            mode,
            gap: 1e-3,
            ..OptimizeOptions::default()
        };
        let plan = optimize::optimize(&model, &options).unwrap().plan;
        let result = simulate(&model, &Schedule::Plan(plan), 42, 4000, None);
        let rates: Vec<f64> = result.features.iter().filter_map(|f| f.p_on_plan).collect();
        rates.iter().sum::<f64>() / rates.len() as f64
    };
    let expected = on_plan(Mode::Deterministic);
    let robust = on_plan(Mode::Robust { confidence: 0.8 });
    assert!(
        robust > expected + 0.05,
        "robust {robust} vs expected {expected}"
    );
    assert!(robust > 0.9, "{robust}");
}

/// When the mandatory work does not fit at the asked confidence, robust mode still plans: at
/// the best confidence it fits at (to the percent), with the rest of the work around it, and
/// it says which confidence was asked and why it failed. Here a mandatory feature of
/// triangular effort (4, 8, 16) must ship in the first period, whose capacity is 10 weeks: it
/// fits at P50 (9.1 weeks) and not at P90 (12.9); exactly at P62.5.
#[test]
fn robust_mode_plans_at_the_best_reachable_confidence() {
    let model = model_from(gate().text());
    let options = |confidence: f64| OptimizeOptions {
        mode: Mode::Robust { confidence },
        gap: 0.0,
        ..OptimizeOptions::default()
    };
    let outcome = optimize::optimize(&model, &options(0.9)).unwrap();
    let unreachable = outcome.unreachable.as_ref().expect("P90 is out of reach");
    assert_eq!(unreachable.asked, 0.9);
    let Mode::Robust { confidence } = outcome.mode else {
        panic!("{:?}", outcome.mode)
    };
    assert!((0.5..0.9).contains(&confidence), "{confidence}");
    // The best reachable: it fits there and not one percent higher.
    assert!(optimize::optimize(&model, &options(confidence))
        .unwrap()
        .unreachable
        .is_none());
    let higher = optimize::optimize(&model, &options(confidence + 0.01)).unwrap();
    assert!(higher.unreachable.is_some(), "{confidence} + 1% still fits");
    // The quantile of triangular(4, 8, 16) that is exactly 10 weeks.
    let exact = 1.0 - (16.0f64 - 10.0).powi(2) / ((16.0 - 4.0) * (16.0 - 8.0));
    assert!(
        confidence <= exact && exact < confidence + 0.01 + 1e-9,
        "{confidence} vs {exact}"
    );
    // The rest of the work is planned around it: the extra feature goes to the second period.
    assert_eq!(outcome.plan.periods[0], Some(0));
    assert_eq!(outcome.plan.periods[1], Some(1));
    // The command says so.
    let gate = gate().write();
    let (code, out, err) = roadmap(&[
        "optimize",
        gate.arg(),
        "--mode",
        "robust",
        "--confidence",
        "0.9",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("not reachable at P90"), "{out}");
    assert!(out.contains("the best reachable confidence is P"), "{out}");
}

/// A mandatory gate with a hard deadline in the first quarter, its effort uncertain, and an
/// optional extra.
fn gate() -> Scenario {
    Scenario::plan("periods = 2\nperiod_weeks = 13\nstart = \"2027Q1\"")
        .team("web", "capacity = 10\ncost_per_week = 1000")
        .feature(
            "gate",
            "effort = { web = { triangular = [4, 8, 16] } }\nmandatory = true\n\
             deadline = \"2027Q1\"",
        )
        .feature("extra", "effort = { web = 6 }\nvalue = 3000")
}
