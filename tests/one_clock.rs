//! One clock for the optimizer and the simulator: when nothing is uncertain, the money the
//! optimizer counts for a plan is the money the simulator counts when the teams execute it,
//! to the cent: vendor lead times and risk delays run from the plan's start of a feature,
//! one-off costs are paid then, team time is paid over the release period, a plan releases
//! nothing before its planned period, and `earliest` binds both.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use common::solve::exact;
use proptest::prelude::*;
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::plan_check::{check_plan, CheckBasis};

use oracle::certain;

fn simulated(model: &Model, plan: &Plan) -> f64 {
    oracle::simulate(model, plan, 1, 1).npv.mean
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

use common::load::model_file as load;

#[test]
fn every_example_made_certain_simulates_to_its_objective() {
    for path in [
        "scenarios/saas-annual-plan.toml",
        "scenarios/mobile-launch.toml",
        "scenarios/hardware-device.toml",
        "scenarios/backlog-plan.toml",
        "scenarios/fleet-tracking.toml",
        "scenarios/payments-compliance.toml",
        "scenarios/catalog-build-or-buy.toml",
        "scenarios/subscription-app.toml",
    ] {
        let model = certain(load(path));
        let outcome = optimize(&model, &exact()).unwrap();
        let npv = simulated(&model, &outcome.plan);
        assert!(
            close(outcome.objective, npv),
            "{path}: objective {} but the simulator counts {npv}",
            outcome.objective
        );
    }
}

/// The cases an independent check found, each settled: a certain delay runs from the start
/// beside the work; a feature without effort is not released before its earliest period; a
/// one-off cost is paid at the plan's start of the feature even when the team starts earlier.
#[test]
fn the_timing_cases_agree() {
    let base = |feature: &str| {
        format!(
            r#"
[plan]
name = "timing"
periods = 3
period_weeks = 13
start = "2027Q1"
horizon_months = 12
discount_rate = 0.1

[[teams]]
id = "web"
capacity = 13
cost_per_week = 100

{feature}
"#
        )
    };
    let cases = [
        // A certain 8-week delay and 10 weeks of work: ready at week 10, not 18.
        r#"[[features]]
id = "a"
effort = { web = 10 }
value = 100
risks = [{ name = "review", probability = 1, delay_weeks = 8 }]"#,
        // No effort, earliest 2: released in 2027Q2 at the soonest.
        r#"[[features]]
id = "a"
value = 100
earliest = "2027Q2"
cost = 50"#,
        // Spare capacity: work could start at once, the cost is paid at the plan's start.
        r#"[[features]]
id = "a"
effort = { web = 3 }
value = 100
cost = 500

[[features]]
id = "b"
effort = { web = 4 }
value = 100
cost = 300
vendor_lead_weeks = 20"#,
    ];
    for case in cases {
        let text = base(case);
        let model = common::load::loaded("timing.toml", text.clone()).model;
        let model = certain(model);
        let outcome = optimize(&model, &exact()).unwrap();
        let npv = simulated(&model, &outcome.plan);
        assert!(
            close(outcome.objective, npv),
            "objective {} but simulated {npv}:\n{text}",
            outcome.objective
        );
    }
}

proptest! {
    #![proptest_config(oracle::config())]

    /// On tiny certain scenarios with lead times, risks, earliest periods, costs, deals and
    /// discounting, the optimum's objective is what the simulator counts for its plan.
    #[test]
    fn the_optimum_simulates_to_its_objective(tiny in oracle::tiny_scenario()) {
        let Some(model) = oracle::model(&tiny) else {
            return Ok(());
        };
        let model = certain(model);
        let Ok(outcome) = optimize(&model, &exact()) else {
            return Ok(());
        };
        let npv = simulated(&model, &outcome.plan);
        prop_assert!(
            close(outcome.objective, npv),
            "objective {} but simulated {}",
            outcome.objective,
            npv
        );
    }

    /// Every plan the checker accepts, not only the optimum, is valued the same way by the
    /// reference written from the format's text and by the simulator.
    #[test]
    fn every_feasible_plan_simulates_to_the_reference_value(tiny in oracle::tiny_scenario()) {
        let Some(model) = oracle::model(&tiny) else {
            return Ok(());
        };
        let model = certain(model);
        let basis = CheckBasis::expected(&model);
        let mut checked = 0;
        let mut failure = None;
        oracle::for_each_plan(&model, |plan| {
            if check_plan(&model, plan, &basis).is_empty() {
                let reference = oracle::npv(&model, plan, &basis);
                let npv = simulated(&model, plan);
                if !close(reference, npv) {
                    failure = Some(format!("{:?}: reference {reference}, simulated {npv}", plan.periods));
                    return false;
                }
                checked += 1;
            }
            checked < 40
        });
        prop_assert!(failure.is_none(), "{}", failure.unwrap_or_default());
    }
}
