//! Order inside a feature (`stages`), computed by hand in the simulator: a later stage's team
//! starts its part only in a period after the earlier stage's parts are done, and works on
//! other features meanwhile.

mod common;

use common::load::{findings, model_from, try_load};
use common::solve::simulate;
use roadmap::model::Plan;
use roadmap::simulate::Schedule;

fn scenario(stages: &str) -> roadmap::model::Model {
    model_from(&format!(
        "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"backend\"\ncapacity = 10\n\n\
         [[teams]]\nid = \"mobile\"\ncapacity = 10\n\n\
         [[features]]\nid = \"app\"\neffort = {{ backend = 10, mobile = 5 }}\n{stages}\nvalue = 1000\n\n\
         [[features]]\nid = \"widget\"\neffort = {{ mobile = 10 }}\nvalue = 500\n"
    ))
}

/// Backend's 10 weeks of `app` fill the first period. Mobile may not start its 5 before the
/// second: it does `widget` (10 weeks) in the first, then `app` by week 15. In parallel,
/// mobile does `app` first (done at week 10 with backend) and `widget` by week 15.
#[test]
fn a_later_stage_starts_the_period_after_the_hand_off_and_works_elsewhere_meanwhile() {
    let plan = Schedule::Plan(Plan::new(vec![Some(1), Some(1)]));
    let staged = simulate(
        &scenario("stages = [\"backend\", \"mobile\"]"),
        &plan,
        1,
        1,
        Some(1),
    );
    let week =
        |r: &roadmap::simulate::SimResult, f: usize| r.features[f].mean_completion_week.unwrap();
    assert_eq!((week(&staged, 0), week(&staged, 1)), (15.0, 10.0));
    let parallel = simulate(&scenario(""), &plan, 1, 1, Some(1));
    assert_eq!((week(&parallel, 0), week(&parallel, 1)), (10.0, 15.0));
}

#[test]
fn stages_name_teams_with_effort_each_once() {
    for (stages, says) in [
        (
            "stages = [\"backend\", \"mobile\", \"backend\"]",
            "is in two stages",
        ),
        ("stages = [\"backend\", \"web\"]", "unknown team"),
    ] {
        let text = format!(
            "[plan]\nperiods = 2\n[[teams]]\nid = \"backend\"\ncapacity = 5\n[[teams]]\nid = \"mobile\"\ncapacity = 5\n\
             [[features]]\nid = \"app\"\neffort = {{ backend = 1, mobile = 1 }}\n{stages}\n"
        );
        let (errors, _) = findings(try_load("s.toml", text));
        assert!(
            errors
                .iter()
                .any(|e| e.contains(says) && e.contains("stages")),
            "{errors:?}"
        );
    }
}

/// The optimizer knows the hand-off: `app` cannot ship in the first period (mobile's part
/// waits for backend's), so it ships in the second with `widget` in the first, and its
/// objective is the simulated NPV: 1,000 × (24 − 4.62) + 500 × (24 − 2.31).
#[test]
fn the_optimizer_plans_the_hand_off_and_the_simulator_agrees() {
    let m = scenario("stages = [\"backend\", \"mobile\"]");
    let out = roadmap::optimize::optimize(&m, &common::solve::exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(1), Some(0)]);
    let months = 10.0 * 12.0 / 52.0;
    let expected = 1000.0 * (24.0 - 2.0 * months) + 500.0 * (24.0 - months);
    assert!(
        (out.objective - expected).abs() < 1e-6,
        "{} vs {expected}",
        out.objective
    );
    let sim = simulate(&m, &Schedule::Plan(out.plan.clone()), 1, 1, Some(1));
    assert!((sim.npv.mean - expected).abs() < 1e-6);
}
