//! Polishing a plan that a time limit stopped short of the gap (src/optimize/polish.rs): from a
//! poorer plan, the runs of periods find the hand-computed optimum, and a team's neighbourhood
//! makes a swap no run of periods can; on generated portfolios
//! the polished plan is never worse than where it started, never better than the proven
//! optimum, and passes the plan checker, which shares nothing with the formulation.

mod common;

use common::load::{generated, model_file};
use common::solve::exact;
use roadmap::model::{Model, Plan};
use roadmap::optimize::formulation::Formulation;
use roadmap::optimize::solver::{self, Controls, Solved};
use roadmap::optimize::{self, polish, start, Status};
use roadmap::plan_check as check;
use roadmap::scenario::generate::GenerateSpec;
use std::time::Instant;

/// A first search's result: `values` with `bound` (infinite: no bound yet), stopped by its
/// time limit.
fn stopped(form: &Formulation, values: Vec<f64>, bound: f64) -> Solved {
    let objective = form.milp.objective(&values);
    let offset = form.milp.offset;
    Solved {
        status: Status::TimeLimit,
        gap: solver::relative_gap(objective - offset, bound - offset),
        bound: if bound.is_finite() { bound } else { objective },
        objective,
        values,
        load_seconds: 0.0,
        solve_seconds: 0.0,
    }
}

fn controls(gap: f64) -> Controls {
    Controls {
        time_limit_seconds: None,
        gap,
        threads: Some(1),
        log_file: None,
        random_seed: 0,
    }
}

/// The delivery periods the values say, read from the delivery columns.
fn plan_of(form: &Formulation, values: &[f64]) -> Plan {
    Plan::new(
        form.delivered
            .iter()
            .map(|d| {
                let (column, w) = (*d)?;
                (w.first..=w.last).find(|&t| values[column as usize + t - w.first] > 0.5)
            })
            .collect(),
    )
}

/// Polishes `plan`, worth `worth` by hand, of the scenario in `file`, against the
/// hand-computed optimum as the first search's bound, with 30 s to do it.
fn polished_by_hand(
    file: &str,
    plan: &Plan,
    worth: f64,
    optimum: f64,
) -> (Formulation, Solved, polish::Polish) {
    let model = model_file(file);
    let (inputs, form) = optimize::formulate(&model, &exact());
    let values = start::column_values(&model, &inputs, &form, plan);
    assert!(form.milp.max_violation(&values) <= 1e-9);
    assert!((form.milp.objective(&values) - worth).abs() < 1e-6);
    let (solved, report) = polish::polish(
        &form,
        stopped(&form, values, optimum),
        &controls(0.0),
        30.0,
        Instant::now(),
    );
    (form, solved, report)
}

/// tests/fixtures/optimize/hand.toml (computed in tests/optimize.rs): b first, with a and c in
/// Q2, is worth 5,400 + 6,000 + 300 + 500 - 2,000 = 10,200; the optimum, a first, 11,400. The
/// run [Q1, Q2] frees all three and finds it; at the bound the gap is closed and HiGHS is not
/// called on the whole model again.
#[test]
fn a_run_of_periods_moves_the_features_to_the_hand_computed_optimum() {
    let b_first = Plan::new(vec![Some(1), Some(0), Some(1)]);
    let (form, solved, report) = polished_by_hand(
        "tests/fixtures/optimize/hand.toml",
        &b_first,
        10_200.0,
        11_400.0,
    );
    assert!((report.from - 10_200.0).abs() < 1e-6, "{report:?}");
    assert!((report.to - 11_400.0).abs() < 1e-6, "{report:?}");
    assert_eq!(
        (report.searched, report.improved, report.resumed),
        (1, 1, false)
    );
    assert!((solved.objective - 11_400.0).abs() < 1e-6);
    assert_eq!(solved.status, Status::Optimal);
    assert_eq!(solved.gap, 0.0);
    assert_eq!(
        plan_of(&form, &solved.values).periods,
        vec![Some(0), Some(1), Some(1)]
    );
}

/// tests/fixtures/optimize/swap.toml: f2, f3 and f4 are held to Q2, Q3 and Q4 and fill the team
/// there, so x or y can only ship in Q1. From x in Q1 (12 x 100 + 9,000 + 6,000 + 3,000 =
/// 19,200), the optimum swaps in y (12 x 200 + 18,000 = 20,400). No run of periods frees both:
/// x is delivered in Q1, and y, left out, is freed only by a run that ends its window in Q4, and
/// no run of two periods holds both. The runs [Q3, Q4], [Q2, Q3] and [Q1, Q2] find nothing;
/// the team's own neighbourhood, searched after them, makes the swap.
#[test]
fn a_teams_neighbourhood_makes_the_swap_no_run_of_periods_can() {
    let x_first = Plan::new(vec![Some(0), None, Some(1), Some(2), Some(3)]);
    let (form, solved, report) = polished_by_hand(
        "tests/fixtures/optimize/swap.toml",
        &x_first,
        19_200.0,
        20_400.0,
    );
    assert!((report.to - 20_400.0).abs() < 1e-6, "{report:?}");
    assert_eq!(
        (report.searched, report.improved, report.resumed),
        (4, 1, false)
    );
    assert_eq!(solved.status, Status::Optimal);
    assert_eq!(
        plan_of(&form, &solved.values).periods,
        vec![None, Some(0), Some(1), Some(2), Some(3)]
    );
}

fn polished_from_the_greedy_start(model: &Model) -> (f64, f64, polish::Polish, Plan) {
    let (inputs, form) = optimize::formulate(model, &exact());
    let greedy = start::greedy(model, &inputs, &form).expect("generated portfolios have a start");
    let from = form.milp.objective(&greedy.values);
    let (solved, report) = polish::polish(
        &form,
        stopped(&form, greedy.values, f64::INFINITY),
        &controls(0.0),
        60.0,
        Instant::now(),
    );
    assert!(form.milp.max_violation(&solved.values) <= 1e-6);
    let plan = plan_of(&form, &solved.values);
    let violations = check::check_plan(model, &plan, &inputs.basis());
    assert!(violations.is_empty(), "{violations:?}");
    assert_eq!(solved.status, Status::Optimal, "{report:?}");
    (from, solved.objective, report, plan)
}

/// From the value-per-effort start, with no bound known: the runs of periods never lose value
/// and never pass the optimum HiGHS proves on the whole model; after them HiGHS searches the
/// whole model from the polished plan and proves it, so the plan returned is the optimum.
#[test]
fn on_generated_portfolios_polishing_keeps_plans_feasible_and_below_the_optimum() {
    let mut gained = 0;
    for seed in 1..=6 {
        let model = generated(&GenerateSpec::new(30, 3, 6, seed));
        let optimum = optimize::optimize(&model, &exact()).unwrap();
        assert_eq!(optimum.status, Status::Optimal);
        let tolerance = 1e-6 * optimum.objective.abs().max(1.0);
        let (from, objective, report, _) = polished_from_the_greedy_start(&model);
        assert!((report.from - from).abs() <= tolerance);
        assert!(
            report.to >= report.from - tolerance,
            "seed {seed}: {report:?}"
        );
        assert!(
            report.to <= optimum.objective + tolerance,
            "seed {seed}: {report:?}"
        );
        assert!(report.resumed, "seed {seed}: {report:?}");
        assert!(
            (objective - optimum.objective).abs() <= tolerance,
            "seed {seed}"
        );
        if report.to > report.from + tolerance {
            gained += 1;
        }
    }
    // The start is a greedy plan: the runs of periods must find better ones, or the test
    // checks nothing of them.
    assert!(
        gained >= 4,
        "polishing gained on only {gained} of 6 portfolios"
    );
}
