//! The frontier checked against what must hold: each risk-aversion point's objective is
//! (1 - λ) E + λ CVaR of its own scenario values, points solved to optimality are not beaten
//! on both axes, more budget never lowers the expected NPV, and bad options are exit 2.

mod common;

use common::cli::run as roadmap;
use roadmap::analysis::frontier::{self, FrontierOptions, Sweep};
use roadmap::model::Model;
use roadmap::optimize::{self, Mode, OptimizeOptions};
use roadmap::scenario::generate::GenerateSpec;
use roadmap::simulate::{paired::cvar, Quiet};

fn generated(features: usize, seed: u64) -> Model {
    common::load::generated(&GenerateSpec::new(features, 3, 4, seed))
}

fn exact() -> OptimizeOptions {
    OptimizeOptions {
        seed: 5,
        ..common::solve::exact()
    }
}

#[test]
fn the_stochastic_objective_is_the_weighted_mean_and_cvar_of_its_own_scenarios() {
    let model = generated(14, 3);
    for (lambda, alpha) in [(0.0, 0.9), (0.5, 0.9), (1.0, 0.8), (0.3, 0.75)] {
        let options = OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios: 20,
                risk_aversion: lambda,
                cvar_alpha: alpha,
                overtime_premium: None,
            },
            ..exact()
        };
        let outcome = optimize::optimize(&model, &options).unwrap();
        let s = &outcome.scenario_npv;
        assert_eq!(s.len(), 20);
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        let expected = (1.0 - lambda) * mean + lambda * cvar(s, alpha);
        let tol = 1e-6 * outcome.objective.abs().max(1.0);
        assert!(
            (expected - outcome.objective).abs() < tol,
            "λ {lambda}: (1-λ)E + λCVaR = {expected}, objective {}",
            outcome.objective
        );
    }
}

#[test]
fn no_point_solved_to_optimality_is_beaten_on_both_expected_npv_and_cvar() {
    for seed in [1, 2] {
        // Small enough that every point is proven optimal: the stochastic model holds each
        // future's schedule, and a point stopped by a time limit proves nothing.
        let model = generated(8, seed);
        let options = FrontierOptions {
            sweep: Sweep::RiskAversion {
                lambdas: vec![0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0],
                scenarios: 10,
                alpha: 0.8,
                overtime_premium: None,
            },
            optimize: OptimizeOptions {
                time_limit_seconds: Some(300.0),
                ..exact()
            },
            trials: 0,
            seed: 7,
            threads: Some(1),
        };
        let f = frontier::run(&model, &options, &Quiet).unwrap();
        for p in &f.points {
            assert_eq!(p.status.as_deref(), Some("optimal"), "seed {seed}: {p:?}");
        }
        let points: Vec<(f64, f64, f64)> = f
            .points
            .iter()
            .map(|p| (p.lambda.unwrap(), p.expected, p.cvar.unwrap()))
            .collect();
        let scale = points.iter().map(|p| p.1.abs()).fold(1.0, f64::max);
        let tol = 1e-7 * scale;
        for &(l, e, c) in &points {
            // Weights of both objectives are positive strictly inside (0, 1): a Pareto optimum.
            if l > 0.0 && l < 1.0 {
                for &(l2, e2, c2) in &points {
                    let beaten = e2 >= e - tol && c2 >= c - tol && (e2 > e + tol || c2 > c + tol);
                    assert!(
                        !beaten,
                        "seed {seed}: λ {l} (E {e}, CVaR {c}) beaten by λ {l2} (E {e2}, CVaR {c2})"
                    );
                }
            }
        }
        for p in f
            .points
            .iter()
            .filter(|p| p.lambda.unwrap() > 0.0 && p.lambda.unwrap() < 1.0)
        {
            assert!(
                !p.dominated,
                "seed {seed}: λ {:?} marked dominated",
                p.lambda
            );
        }
        // Rising risk aversion trades expected value for the tail, never the other way.
        for w in points.windows(2) {
            assert!(w[1].1 <= w[0].1 + tol, "E[NPV] rose with λ: {w:?}");
            assert!(w[1].2 >= w[0].2 - tol, "CVaR fell with λ: {w:?}");
        }
    }
}

#[test]
fn more_budget_never_lowers_the_expected_npv_and_idle_budget_is_dominated() {
    let model = generated(16, 4);
    let options = FrontierOptions {
        sweep: Sweep::Budget {
            budgets: None,
            points: 6,
            mode: Mode::Deterministic,
        },
        optimize: exact(),
        trials: 500,
        seed: 7,
        threads: Some(1),
    };
    let f = frontier::run(&model, &options, &Quiet).unwrap();
    let solved: Vec<_> = f.points.iter().filter(|p| p.error.is_none()).collect();
    assert!(solved.len() >= 4, "{:?}", f.points);
    for w in solved.windows(2) {
        assert!(w[1].budget > w[0].budget);
        assert!(w[1].expected >= w[0].expected - 1e-6 * w[0].expected.abs());
        assert!(w[1].spend <= w[1].budget.unwrap() * (1.0 + 1e-9));
        // A larger budget is dominated exactly when it buys no more value.
        let gains = w[1].expected > w[0].expected + 1e-9 * w[0].expected.abs().max(1.0);
        assert_eq!(w[1].dominated, !gains, "{:?} vs {:?}", w[0], w[1]);
    }
    // The last budget is what the unconstrained plan spends: the unconstrained optimum.
    let mut free = model.clone();
    free.budget = None;
    let best = optimize::optimize(&free, &exact()).unwrap();
    let last = solved.last().unwrap();
    assert!((last.expected - best.objective).abs() <= 1e-6 * best.objective.abs());
    // Every plan was simulated on the same futures.
    assert!(solved.iter().all(|p| p.simulated.is_some()));
}

#[test]
fn identical_plans_are_simulated_once_and_share_their_figures() {
    let model = generated(10, 6);
    let options = FrontierOptions {
        sweep: Sweep::RiskAversion {
            lambdas: vec![0.0, 0.0],
            scenarios: 10,
            alpha: 0.9,
            overtime_premium: None,
        },
        optimize: exact(),
        trials: 300,
        seed: 1,
        threads: Some(1),
    };
    let f = frontier::run(&model, &options, &Quiet).unwrap();
    assert_eq!(f.points[1].same_plan_as, Some(0));
    assert_eq!(f.points[0].simulated, f.points[1].simulated);
}

#[test]
fn bad_sweep_options_are_invalid_input() {
    let flagship = "scenarios/saas-annual-plan.toml";
    for (args, needle) in [
        (
            vec!["--lambdas", "0,1.5"],
            "--lambdas: 1.5 is not between 0 and 1",
        ),
        (vec!["--lambdas", "0,x"], "--lambdas: `x` is not a number"),
        (
            vec!["--sweep", "budget", "--budgets", "2M,-1"],
            "--budgets: -1 is not a positive amount",
        ),
        (
            vec!["--budgets", "2M"],
            "--budgets belongs to --sweep budget",
        ),
        (
            vec!["--cvar-alpha", "1"],
            "--cvar-alpha 1 must be between 0 and 1",
        ),
    ] {
        let mut all = vec!["frontier", flagship];
        all.extend(args);
        let (code, _, err) = roadmap(&all);
        assert_eq!(code, 2, "{all:?}: {err}");
        assert!(err.contains(needle), "{all:?}: {err}");
        assert!(err.contains("help:"), "{all:?}: {err}");
    }
}

#[test]
fn budgets_accept_k_and_m_amounts() {
    let (code, out, err) = roadmap(&[
        "frontier",
        "scenarios/saas-annual-plan.toml",
        "--sweep",
        "budget",
        "--budgets",
        "900k,1.5M",
        "--trials",
        "0",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows[1].starts_with("1,,900000.00,"), "{out}");
    assert!(rows[2].starts_with("2,,1500000.00,"), "{out}");
}
