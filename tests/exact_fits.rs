//! One rule for when work "fits": validation, the plan checker, the optimizer and the simulator
//! agree on exact fits and on which commitments bind, on cases small enough to check by hand.

mod common;

use common::load::model_from;
use common::solve::exact;
use roadmap::analysis::capacity;
use roadmap::model::{exceeds, Model, Plan};
use roadmap::optimize::{self, LeftOut, Status};
use roadmap::simulate::{Schedule, SimResult};

fn simulate(model: &Model, plan: &Plan) -> SimResult {
    common::solve::simulate(model, &Schedule::Plan(plan.clone()), 1, 8, Some(1))
}

#[test]
fn float_noise_is_not_an_overrun_but_a_real_one_is() {
    // 0.7 + 0.7 + 0.7 is 2.1000000000000005 in floating point.
    assert!(!exceeds(0.7 + 0.7 + 0.7, 2.1));
    assert!(!exceeds(2.1, 0.7 + 0.7 + 0.7));
    assert!(exceeds(2.1001, 2.1));
    // Relative: a millionth of a million person-weeks is noise, two millionths are not.
    assert!(exceeds(1_000_002.0, 1_000_000.0));
    assert!(!exceeds(1_000_000.5, 1_000_000.0));
}

/// 0.7 person-weeks a period for three periods against a mandatory feature of 2.1: validation
/// says it fits, the optimizer plans it in the last period, and the simulator delivers it
/// there in every future, at the NPV the optimizer counts.
#[test]
fn work_that_fills_capacity_exactly_is_delivered_by_every_part() {
    let model = model_from(
        "[plan]\nperiods = 3\nperiod_weeks = 1\nstart = \"2027Q1\"\nhorizon_months = 12\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 0.7\n\n\
         [[features]]\nid = \"core\"\neffort = { web = 2.1 }\nvalue = 100\nmandatory = true\n",
    );
    let check = capacity::check(&model, 100, 1);
    assert!(check.is_feasible(), "{:?}", check.shortfalls);
    assert_eq!(check.teams[0].p_fits_mandatory, 1.0);
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.status, Status::Optimal);
    assert_eq!(outcome.plan.periods, vec![Some(2)]);
    let result = simulate(&model, &outcome.plan);
    assert_eq!(result.features[0].p_delivered, 1.0);
    assert!(
        (result.npv.mean - outcome.objective).abs() < 1e-6,
        "simulated {} against the objective {}",
        result.npv.mean,
        outcome.objective
    );
}

/// An optional feature's hard deadline can be met by leaving it out, so it must not make the
/// mandatory feature it requires look impossible: `extra` (due in the first period) needs
/// `core`, which takes two periods. Validation passes, the optimizer plans `core` alone and
/// says capacity, not timing, keeps `extra` out.
#[test]
fn an_optional_deadline_does_not_bind_the_mandatory_work_it_requires() {
    let model = model_from(
        "[plan]\nperiods = 3\nstart = \"2027Q1\"\nhorizon_months = 12\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 5\n\n\
         [[features]]\nid = \"core\"\neffort = { web = 10 }\nvalue = 100\nmandatory = true\n\n\
         [[features]]\nid = \"extra\"\neffort = { web = 1 }\nvalue = 50\nrequires = [\"core\"]\n\
         deadline = { period = 1, kind = \"hard\" }\n",
    );
    let check = capacity::check(&model, 100, 1);
    assert!(check.is_feasible(), "{:?}", check.shortfalls);
    // Counting the deadline-bound work too, it does not fit: a warning, not an error.
    assert!(check.shortfalls.iter().all(|s| !s.mandatory_only));
    assert_eq!(check.shortfalls.len(), 1);
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(1), None]);
    let extra = outcome.features.iter().find(|l| l.feature == 1).unwrap();
    assert_eq!(extra.left_out, Some(LeftOut::TooLarge { team: 0 }));
}

/// The other way round: a mandatory feature requires an optional one whose soft deadline is
/// early. The soft deadline may be missed at its penalty, so only the plan's end binds.
#[test]
fn a_soft_deadline_on_required_work_does_not_bind_either() {
    let model = model_from(
        "[plan]\nperiods = 3\nstart = \"2027Q1\"\nhorizon_months = 12\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 5\n\n\
         [[features]]\nid = \"base\"\neffort = { web = 10 }\nvalue = 10\n\
         deadline = { period = 1, kind = \"soft\", penalty = 1 }\n\n\
         [[features]]\nid = \"core\"\neffort = { web = 4 }\nvalue = 100\nmandatory = true\nrequires = [\"base\"]\n",
    );
    let check = capacity::check(&model, 100, 1);
    assert!(check.is_feasible(), "{:?}", check.shortfalls);
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.status, Status::Optimal);
    assert!(outcome.plan.periods.iter().all(|p| p.is_some()));
}
