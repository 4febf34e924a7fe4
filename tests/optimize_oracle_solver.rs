//! The optimizer against brute force (tests/oracle/): on tiny random scenarios, the
//! deterministic optimum at a zero gap is the best of all enumerated feasible plans, its plan
//! passes the independent checker, and the NPV the oracle counts for that plan is its
//! objective. A scenario with no feasible plan is an error, never a plan.
//!
//! Needs the optimizer (roadmap::optimize::optimize).

mod oracle;

mod common;

use oracle::{close, enumerate, model, npv, Tiny};
use proptest::prelude::*;
use roadmap::model::Model;
use roadmap::optimize::{optimize, OptimizeOptions, Status};
use roadmap::plan_check::{check_plan, CheckBasis};

/// The default (deterministic) mode, solved to optimality.
fn exact() -> OptimizeOptions {
    OptimizeOptions {
        gap: 0.0,
        ..OptimizeOptions::default()
    }
}

/// Runs the optimizer and the enumeration on one model and compares them.
fn agree(m: &Model, tiny: &Tiny) -> Result<(), TestCaseError> {
    let basis = CheckBasis::expected(m);
    let best = enumerate(m, &basis);
    match (optimize(m, &exact()), best) {
        (Ok(outcome), Some(best)) => {
            prop_assert_eq!(outcome.status, Status::Optimal);
            prop_assert_eq!(
                &outcome.basis,
                &basis,
                "a deterministic plan is made with expectations"
            );
            let violations = check_plan(m, &outcome.plan, &outcome.basis);
            prop_assert!(
                violations.is_empty(),
                "optimal plan {:?} breaks {:?}",
                outcome.plan,
                violations
            );
            prop_assert!(
                close(outcome.objective, best.npv),
                "objective {} but the best of {} feasible plans is worth {} ({:?}){:?}",
                outcome.objective,
                best.feasible,
                best.npv,
                best.plan,
                tiny
            );
            let counted = npv(m, &outcome.plan, &basis);
            prop_assert!(
                close(counted, outcome.objective),
                "objective {} but the plan {:?} is worth {}",
                outcome.objective,
                outcome.plan,
                counted
            );
        }
        (Err(_), None) => {}
        (Ok(outcome), None) => {
            prop_assert!(
                false,
                "no plan is feasible, yet the optimizer returned {:?}",
                outcome.plan
            );
        }
        (Err(e), Some(best)) => {
            prop_assert!(
                false,
                "the optimizer failed ({e}) but {:?} is feasible, worth {}",
                best.plan,
                best.npv
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(oracle::config())]

    #[test]
    fn the_optimizer_finds_the_enumerated_optimum(tiny in oracle::tiny_scenario()) {
        let m = model(&tiny);
        prop_assume!(m.is_some());
        agree(&m.unwrap(), &tiny)?;
    }

    /// Mandatory flags flipped after validation: many of these cases have no feasible plan,
    /// and the optimizer must say so rather than return one.
    #[test]
    fn the_optimizer_refuses_exactly_the_infeasible_scenarios(
        tiny in oracle::tiny_scenario(),
        flips in prop::collection::vec(any::<bool>(), 8),
    ) {
        let m = model(&tiny);
        prop_assume!(m.is_some());
        let mut m = m.unwrap();
        for (f, flip) in flips.iter().enumerate().take(m.features.len()) {
            if *flip {
                m.features[f].mandatory = !m.features[f].mandatory;
            }
        }
        agree(&m, &tiny)?;
    }
}
