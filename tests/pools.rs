//! Pools (`[[pools]]`), computed by hand: people who can work for more than one team, placed
//! by the plan period by period. Their weeks join the team they are placed with, at the
//! pool's own capacity factor; their pay is a fixed cost; the optimizer places them where the
//! value is; plan files carry the placements and refuse a team the pool cannot join.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use oracle::close;

use common::build::Scenario;
use common::cli::run;
use common::load::{findings, model_from, try_load};
use common::solve::{exact, simulate};
use roadmap::model::staffing::Assignment;
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::simulate::Schedule;

/// Months in a 10-week period.
const PERIOD_MONTHS: f64 = 10.0 * 12.0 / 52.0;

/// Two salaried teams of 10 weeks a period (1,000 a week), two 10-week periods, undiscounted,
/// value to month 24. `w` needs 20 weeks of web, `m` 20 of mobile; one pool person (10 weeks a
/// period, `pay` a week) can join either.
fn scenario(w_value: f64, m_value: f64, pool: &str) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 2\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"\n\n\
         [[teams]]\nid = \"mobile\"\ncapacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"\n\n\
         [[pools]]\nid = \"platform\"\nteams = [\"web\", \"mobile\"]\npeople = 1\n{pool}\n\n\
         [[features]]\nid = \"w\"\neffort = {{ web = 20 }}\nvalue = {w_value}\n\n\
         [[features]]\nid = \"m\"\neffort = {{ mobile = 20 }}\nvalue = {m_value}\n"
    ))
}

fn value(monthly: f64, t: usize) -> f64 {
    monthly * (24.0 - (t + 1) as f64 * PERIOD_MONTHS)
}

/// Each team alone ships its feature at the end of the second period. The pool person in the
/// first period lets one of them ship a period earlier (2.31 months more value): the optimizer
/// puts them where a month is worth more, and the pay (500 a week, 10,000 over the plan) is
/// the same wherever they go.
#[test]
fn the_optimizer_places_the_pool_where_a_period_earlier_is_worth_most() {
    let pay = 2.0 * 10.0 * 500.0;
    let fixed = 2.0 * 2.0 * 10.0 * 1000.0 + pay;
    for (w, m, team) in [(9000.0, 5000.0, 0usize), (5000.0, 9000.0, 1)] {
        let model = scenario(w, m, "cost_per_week = 500");
        let out = optimize(&model, &exact()).unwrap();
        let first = out
            .plan
            .assigned
            .iter()
            .find(|a| a.period == 0)
            .expect("placed in the first period");
        assert_eq!((first.team, first.people), (team, 1));
        let (early, late) = if team == 0 { (w, m) } else { (m, w) };
        let expected = value(early, 0) + value(late, 1) - fixed;
        assert!(
            close(out.objective, expected),
            "{} vs {expected}",
            out.objective
        );
        let sim = simulate(&model, &Schedule::Plan(out.plan.clone()), 1, 1, Some(1));
        assert!(
            close(sim.npv.mean, expected),
            "{} vs {expected}",
            sim.npv.mean
        );
    }
}

/// The simulator adds the placed person's weeks to their team for that period only, at the
/// pool's own factor: at full speed web has 20 weeks in the first period and `w` (20 weeks)
/// is done in week 10; at a factor of 0.5 it has 15, and the last 5 weeks take half of the
/// second period (week 15).
#[test]
fn the_simulator_works_a_placed_person_for_that_team_and_period_at_the_pool_factor() {
    let model = scenario(9000.0, 5000.0, "cost_per_week = 500");
    let mut plan = Plan::new(vec![Some(0), Some(1)]);
    let alone = simulate(&model, &Schedule::Plan(plan.clone()), 1, 1, Some(1));
    assert_eq!(alone.features[0].p_on_plan, Some(0.0));
    plan.assigned = vec![Assignment {
        pool: 0,
        team: 0,
        period: 0,
        people: 1,
    }];
    let helped = simulate(&model, &Schedule::Plan(plan.clone()), 1, 1, Some(1));
    assert_eq!(helped.features[0].p_on_plan, Some(1.0));
    assert!(close(
        helped.features[0].mean_completion_week.unwrap(),
        10.0
    ));
    // Placed with mobile instead, web gets nothing.
    plan.assigned[0].team = 1;
    let elsewhere = simulate(&model, &Schedule::Plan(plan.clone()), 1, 1, Some(1));
    assert_eq!(elsewhere.features[0].p_on_plan, Some(0.0));
    // At half speed: 10 + 5 weeks in the first period, the last 5 at 10 a period.
    let half = scenario(9000.0, 5000.0, "cost_per_week = 500\ncapacity_factor = 0.5");
    plan.assigned[0].team = 0;
    let r = simulate(&half, &Schedule::Plan(plan), 1, 1, Some(1));
    assert!(close(r.features[0].mean_completion_week.unwrap(), 15.0));
    // The pay is a fixed cost either way: 2 periods x 10 weeks x 500.
    let fixed = r.costs.as_ref().unwrap().team_fixed.mean;
    assert!(close(fixed, 40_000.0 + 10_000.0), "{fixed}");
}

/// With an uncertain pool, the stochastic mode values a placement at each future's factor of
/// the pool; on its own futures its objective is the simulated NPV.
#[test]
fn the_stochastic_mode_counts_the_pool_as_the_simulator_does() {
    let model = scenario(
        9000.0,
        5000.0,
        "cost_per_week = 500\ncapacity_factor = [0.6, 0.9, 1.0]",
    );
    let (outcomes, _) = oracle::stochastic_on_its_futures(&model, &[(3, 1), (4, 8), (5, 20)]);
    assert!(outcomes.iter().any(|o| !o.plan.assigned.is_empty()));
}

/// Every rule of the table, each with the field and a fix.
#[test]
fn validation_names_the_field_and_the_fix() {
    let base = Scenario::plan("periods = 2\nperiod_weeks = 13")
        .team("web", "capacity = 10\ncost_per_week = 1000")
        .team(
            "ops",
            "capacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"",
        )
        .feature("a", "effort = { web = 2 }\nvalue = 100");
    let cases = [
        (
            "teams = [\"web\", \"ops\"]\npeople = 1\ncost_per_week = 900",
            "pools[q].teams",
            "paid twice",
        ),
        (
            "teams = [\"ops\", \"ops\"]\npeople = 1",
            "pools[q].teams",
            "listed twice",
        ),
        ("teams = [\"opz\"]\npeople = 1", "pools[q].teams", "ops"),
        (
            "teams = []\npeople = 1",
            "pools[q].teams",
            "needs the teams",
        ),
        (
            "teams = [\"ops\"]\npeople = 1\ncapacity_per_person = 20",
            "pools[q].capacity_per_person",
            "at most 13",
        ),
        ("teams = [\"ops\"]", "pools[q].people", "missing"),
    ];
    for (fields, field, says) in cases {
        let text = base.clone().table("pools", "q", fields);
        let (errors, _) = findings(try_load("s.toml", text.text()));
        assert!(
            errors
                .iter()
                .any(|e| e.contains(field) && e.contains(says) && e.contains("s.toml:")),
            "{fields}: {errors:?}"
        );
    }
    // A pool without pay may serve a team paid by the week: it only lends capacity.
    let free = base.table("pools", "q", "teams = [\"web\"]\npeople = 1");
    let (errors, _) = findings(try_load("s.toml", free.text()));
    assert!(errors.is_empty(), "{errors:?}");
}

/// `optimize -o` writes the placements (rows with `people` and a team; the JSON `assigned`
/// list) and `simulate --plan` reads them back to the same NPV; a team the pool cannot join,
/// or more people than it has, is refused with exit 2, its line and field; `whatif --set`
/// changes a pool's people.
#[test]
fn plan_files_carry_the_placements_and_whatif_changes_the_pool() {
    let file = Scenario::plan(
        "periods = 2\nperiod_weeks = 13\nhorizon_months = 24\ndiscount_rate = 0\nstart = \"2027Q1\"",
    )
    .team("web", "capacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"")
    .team("mobile", "capacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"")
    .team("data", "capacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"")
    .table(
        "pools",
        "platform",
        "teams = [\"web\", \"mobile\"]\npeople = 1\ncost_per_week = 500\ncapacity_per_person = 10",
    )
    .feature("w", "effort = { web = 20 }\nvalue = 9000")
    .feature("m", "effort = { mobile = 20 }\nvalue = 5000")
    .write();
    let dir = &file.dir;
    let mut npv = Vec::new();
    for name in ["p.csv", "p.json"] {
        let plan = dir.join(name);
        let (code, out, err) = common::cli::optimize_to(file.arg(), &plan);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("platform (1)  web 1"), "{out}");
        let (code, sim, err) = run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        npv.push(
            sim.lines()
                .find(|l| l.starts_with("NPV"))
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(npv[0], npv[1]);
    let cases = [
        ("platform,2027Q1,1,data", "cannot join `data`"),
        ("platform,2027Q1,1,mobil", "did you mean `mobile`?"),
        ("platform,2027Q1,1,", "need the team they join"),
        (
            "platform,2027Q1,2,web",
            "place 2 people in 2027Q1; it has 1",
        ),
    ];
    for (row, says) in cases {
        let plan = dir.join("bad.csv");
        std::fs::write(
            &plan,
            format!("feature,period,people,team\nw,2027Q2,,\n{row}\n"),
        )
        .unwrap();
        let (code, _, err) = run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 2, "{row}: {err}");
        assert!(err.contains("bad.csv:3"), "{row}: {err}");
        assert!(err.contains(says), "{row}: {err}");
    }
    let (code, out, err) = run(&[
        "whatif",
        file.arg(),
        "--set",
        "pools.platform.people=0",
        "--mode",
        "deterministic",
        "--trials",
        "200",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pools[platform].people  1       0"), "{out}");
    let (code, _, err) = run(&["whatif", file.arg(), "--set", "pools.platform.people=1.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("a whole number of people"), "{err}");
}

/// A priority order has no plan to place the pool's people: they are split evenly over the
/// pool's teams, every period, the first team taking the remainder. One person for web and
/// mobile works with web: `w` (20 weeks) has web's 10 and theirs 10 in the first period.
#[test]
fn an_order_splits_the_pool_evenly_over_its_teams() {
    let model = scenario(9000.0, 5000.0, "cost_per_week = 500");
    let order = roadmap::model::Order {
        features: vec![1, 0],
    };
    let r = simulate(&model, &Schedule::Order(order), 1, 1, Some(1));
    assert!(close(r.features[0].mean_completion_week.unwrap(), 10.0));
    assert!(close(r.features[1].mean_completion_week.unwrap(), 20.0));
    let split = roadmap::model::staffing::even_split(&model);
    assert_eq!(split.len(), 2);
    assert!(split.iter().all(|a| a.team == 0 && a.people == 1));
}

/// `whatif --hold-plan` carries the base plan's placements to the variant, within what the
/// variant's pool has: with the pool cut to no one, the held plan places no one.
#[test]
fn a_held_plan_keeps_its_placements_within_the_variant_s_pool() {
    let base = scenario(9000.0, 5000.0, "cost_per_week = 500");
    let mut plan = Plan::new(vec![Some(0), Some(1)]);
    plan.assigned = vec![Assignment {
        pool: 0,
        team: 0,
        period: 0,
        people: 1,
    }];
    let same = roadmap::analysis::whatif::carry_plan(&plan, &base, &base);
    assert_eq!(same.assigned, plan.assigned);
    // As `--set pools.platform.people=0` makes it.
    let mut none = scenario(9000.0, 5000.0, "cost_per_week = 500");
    none.pools[0].people = 0;
    let carried = roadmap::analysis::whatif::carry_plan(&plan, &base, &none);
    assert!(carried.assigned.is_empty());
}
