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

/// A backlog CSV writes the stages in a `stages` cell, `>` between stages and `+` inside one;
/// an unknown team there is an error naming the backlog's line and column.
#[test]
fn a_backlog_cell_writes_the_stages_with_arrows() {
    let toml = "[plan]\nperiods = 3\n\n[backlog]\nfile = \"b.csv\"\n\n\
                [[teams]]\nid = \"backend\"\ncapacity = 10\n[[teams]]\nid = \"ios\"\ncapacity = 10\n\
                [[teams]]\nid = \"android\"\ncapacity = 10\n";
    let csv = "id,effort_backend,effort_ios,effort_android,value,stages\n\
               maps,4,3,3,1000,backend > ios + android\nplain,1,1,,10,\n";
    let m = common::load::try_load_with_backlog("s.toml", toml, csv)
        .unwrap()
        .model;
    assert_eq!(m.features[0].stages, vec![vec![0], vec![1, 2]]);
    assert!(m.features[1].stages.is_empty());
    let bad = "id,effort_backend,effort_ios,value,stages\nmaps,4,3,1000,backend > iso\n";
    let (errors, _) = findings(common::load::try_load_with_backlog("s.toml", toml, bad));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("b.csv:2") && e.contains("stages") && e.contains("ios")),
        "{errors:?}"
    );
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

/// Mobile's 15 weeks need two periods, so `app` (backend 5, then mobile 15) ships in the
/// third period only if backend hands off in the first: as late as delivery allows (the
/// second) leaves mobile one period, 10 weeks. The optimizer finds the hand-off, the plan
/// carries it, the checker holds the plan to it, and the simulator agrees with the
/// objective 1,000 × (24 − 6.92).
#[test]
fn the_optimizer_chooses_the_hand_off_and_the_checker_holds_the_plan_to_it() {
    let m = model_from(
        "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"backend\"\ncapacity = 10\n\n\
         [[teams]]\nid = \"mobile\"\ncapacity = 10\n\n\
         [[features]]\nid = \"app\"\neffort = { backend = 5, mobile = 15 }\n\
         stages = [\"backend\", \"mobile\"]\nvalue = 1000\n",
    );
    let out = roadmap::optimize::optimize(&m, &common::solve::exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(2)]);
    assert_eq!(out.plan.handoffs(&m, 0), vec![0]);
    let months = 10.0 * 12.0 / 52.0;
    let expected = 1000.0 * (24.0 - 3.0 * months);
    assert!((out.objective - expected).abs() < 1e-6, "{}", out.objective);
    let sim = simulate(&m, &Schedule::Plan(out.plan.clone()), 1, 1, Some(1));
    assert_eq!(sim.features[0].mean_completion_week, Some(25.0));
    assert!((sim.npv.mean - expected).abs() < 1e-6);

    let basis = roadmap::plan_check::CheckBasis::expected(&m);
    let check = |handoffs: Vec<Vec<usize>>| {
        let mut plan = Plan::new(vec![Some(2)]);
        plan.handoffs = handoffs;
        roadmap::plan_check::check_plan(&m, &plan, &basis)
    };
    assert!(check(vec![vec![0]]).is_empty());
    for late in [vec![vec![1]], vec![]] {
        let v = check(late.clone());
        assert_eq!(v.len(), 1, "{late:?}: {v:?}");
        assert!(format!("{v:?}").contains("Capacity"), "{v:?}");
    }
}

/// A team works a plan's parts in the order they are due: backend's part of `app` is due at
/// its hand-off in the first period, ahead of `report` (backend 10) though both ship in the
/// second and `report` comes first in the file. Backend does `app`'s 10 weeks first, mobile
/// its 10 in the second period, and both ship on plan in week 20; working in file order,
/// mobile could not start before the third period.
#[test]
fn teams_work_parts_in_the_order_their_hand_offs_fall_due() {
    let m = model_from(
        "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"backend\"\ncapacity = 10\n\n\
         [[teams]]\nid = \"mobile\"\ncapacity = 10\n\n\
         [[features]]\nid = \"report\"\neffort = { backend = 10 }\nvalue = 100\n\n\
         [[features]]\nid = \"app\"\neffort = { backend = 10, mobile = 10 }\n\
         stages = [\"backend\", \"mobile\"]\nvalue = 1000\n",
    );
    let plan = Plan::new(vec![Some(1), Some(1)]);
    let basis = roadmap::plan_check::CheckBasis::expected(&m);
    assert!(roadmap::plan_check::check_plan(&m, &plan, &basis).is_empty());
    let sim = simulate(&m, &Schedule::Plan(plan), 1, 1, Some(1));
    let week = |f: usize| sim.features[f].mean_completion_week.unwrap();
    assert_eq!((week(0), week(1)), (20.0, 20.0));
}

/// `optimize -o` writes the hand-offs (a `handoffs` cell, a JSON array) and `simulate --plan`
/// reads them back to the NPV counted by hand; hand-offs a feature cannot have are refused with exit 2,
/// the line and the field.
#[test]
fn plan_files_carry_the_hand_offs_and_refuse_what_the_stages_do_not_allow() {
    let file = common::build::Scenario::plan(
        "periods = 3\nperiod_weeks = 13\nhorizon_months = 24\ndiscount_rate = 0\nstart = \"2027Q1\"",
    )
    .team("backend", "capacity = 10")
    .team("mobile", "capacity = 10")
    .feature(
        "app",
        "effort = { backend = 5, mobile = 15 }\nstages = [\"backend\", \"mobile\"]\nvalue = 1000",
    )
    .feature("report", "effort = { backend = 5 }\nvalue = 100")
    .write();
    let dir = &file.dir;
    for name in ["p.csv", "p.json"] {
        let plan = dir.join(name);
        let (code, out, err) = common::cli::optimize_to(file.arg(), &plan);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("app: backend by 2027Q1, then mobile by 2027Q3"),
            "{out}"
        );
        let written = std::fs::read_to_string(&plan).unwrap();
        assert!(written.contains("handoffs"), "{written}");
        let (code, sim, err) =
            common::cli::run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        // app from the end of 2027Q3 (15 months x 1,000) and report from 2027Q1 (21 x 100).
        assert!(sim.contains("mean $17.1k"), "{sim}");
    }
    let cases = [
        (
            "app,2027Q2,2027Q2",
            "which its delivery in 2027Q2 does not allow",
        ),
        ("app,2027Q3,2027Q1 2027Q2", "so 1 hand-off, not 2"),
        ("report,2027Q3,2027Q1", "has no stages"),
        ("app,2027Q3,2027Q9", "not a period of this plan"),
    ];
    for (row, says) in cases {
        let plan = dir.join("bad.csv");
        std::fs::write(&plan, format!("feature,period,handoffs\n{row}\n")).unwrap();
        let (code, _, err) =
            common::cli::run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 2, "{row}: {err}");
        assert!(err.contains("bad.csv:2"), "{row}: {err}");
        assert!(err.contains("handoffs"), "{row}: {err}");
        assert!(err.contains(says), "{row}: {err}");
    }
}
