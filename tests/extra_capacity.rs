//! Extra capacity as decisions (`[[extra_capacity]]`), computed by hand: people a plan buys
//! add their ramped weeks to their team and are paid for every week engaged; the optimizer
//! buys them exactly when what they let ship earlier is worth their pay, within the budget;
//! the simulator counts what the optimizer counts; plan files carry what was bought, and a
//! purchase the scenario does not offer is refused with its line and field.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use oracle::close;

use common::build::Scenario;
use common::cli::run;
use common::load::{findings, model_from, try_load};
use common::solve::{exact, simulate};
use roadmap::model::staffing::Purchase;
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::simulate::Schedule;

/// Months in a 10-week period.
const PERIOD_MONTHS: f64 = 10.0 * 12.0 / 52.0;

/// Three 10-week periods, undiscounted, value counted to month 24. Team web (salaried, 10
/// person-weeks a period at 1,000 a week) must ship `a` (10 weeks, 10,000 a month) and can
/// ship `b` (20 weeks, `b_value` a month); one contractor (10 weeks a period at 1,500 a week)
/// may be bought for any run of periods. `more` is appended to the plan table.
fn scenario(b_value: f64, more: &str) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n{more}\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"\n\n\
         [[extra_capacity]]\nid = \"contract\"\nteam = \"web\"\nkind = \"contractor\"\n\
         people = 1\ncost_per_week = 1500\n\n\
         [[features]]\nid = \"a\"\neffort = {{ web = 10 }}\nvalue = 10000\nmandatory = true\n\n\
         [[features]]\nid = \"b\"\neffort = {{ web = 20 }}\nvalue = {b_value}\n"
    ))
}

/// Value of `monthly` a month from the end of period `t` to month 24.
fn value(monthly: f64, t: usize) -> f64 {
    monthly * (24.0 - (t + 1) as f64 * PERIOD_MONTHS)
}

/// By the end of the second period web has 20 weeks for the 30 that `a` and `b` need: `b`
/// ships in the third, unless a contractor's 10 weeks (15,000) arrive by the second. That
/// pulls b one period (2.31 months) earlier: worth it at 7,000 a month (16,154), not at
/// 6,000 (13,846).
#[test]
fn the_optimizer_buys_a_contractor_exactly_when_the_earlier_release_pays_for_them() {
    let fixed = 30_000.0;
    let m = scenario(7000.0, "");
    let out = optimize(&m, &exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(0), Some(1)]);
    assert_eq!(out.plan.bought.len(), 1, "{:?}", out.plan.bought);
    let b = out.plan.bought[0];
    assert_eq!(
        (b.people, b.to - b.from),
        (1, 0),
        "one person for one period"
    );
    assert!(b.to <= 1, "they work by the second period");
    let expected = value(10_000.0, 0) + value(7000.0, 1) - fixed - 15_000.0;
    assert!(
        close(out.objective, expected),
        "{} vs {expected}",
        out.objective
    );
    // Certain numbers: the simulator counts the same, purchase included.
    let sim = simulate(&m, &Schedule::Plan(out.plan.clone()), 1, 1, Some(1));
    assert!(
        close(sim.npv.mean, expected),
        "{} vs {expected}",
        sim.npv.mean
    );
    assert!(close(sim.costs.as_ref().unwrap().bought, 15_000.0));

    let m = scenario(6000.0, "");
    let out = optimize(&m, &exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(0), Some(2)]);
    assert!(out.plan.bought.is_empty());
    let expected = value(10_000.0, 0) + value(6000.0, 2) - fixed;
    assert!(
        close(out.objective, expected),
        "{} vs {expected}",
        out.objective
    );
}

/// The same plan without the contractor: the simulator's team runs out of weeks and `b`
/// slips to the third period; with them it ships as planned.
#[test]
fn the_simulator_works_the_bought_weeks_and_charges_them_in_every_future() {
    let m = scenario(7000.0, "");
    let mut plan = Plan::new(vec![Some(0), Some(1)]);
    let without = simulate(&m, &Schedule::Plan(plan.clone()), 1, 1, Some(1));
    assert_eq!(without.features[1].p_on_plan, Some(0.0));
    plan.bought = vec![Purchase {
        option: 0,
        people: 1,
        from: 1,
        to: 1,
    }];
    let with = simulate(&m, &Schedule::Plan(plan), 1, 1, Some(1));
    assert_eq!(with.features[1].p_on_plan, Some(1.0));
    // 10 weeks in the first period for a; b's 20 in the second, which has 20.
    assert!(close(with.features[1].mean_completion_week.unwrap(), 20.0));
    assert!(close(
        with.npv.mean - without.npv.mean,
        value(7000.0, 1) - value(7000.0, 2) - 15_000.0
    ));
}

/// A hire's output rises linearly to full over `ramp_weeks`: started at the plan's start with
/// a 10-week ramp, they give 5 weeks in the first 10-week period and 10 a period after. With
/// web's own 10 a period, 25 weeks of work are done 15 in the first period and the last 10 at
/// 20 a period: in week 15. They are paid 1,000 a week for all 30 weeks, ramp included. A
/// deadline at the second period makes the optimizer buy them.
#[test]
fn a_hire_ramps_up_linearly_and_is_paid_from_the_first_day() {
    let m = model_from(
        "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"\n\n\
         [[extra_capacity]]\nid = \"hire\"\nteam = \"web\"\nkind = \"hire\"\npeople = 1\n\
         ramp_weeks = 10\n\n\
         [[features]]\nid = \"x\"\neffort = { web = 25 }\nvalue = 1000\nmandatory = true\n\
         deadline = 2\n",
    );
    assert_eq!(
        m.extra_capacity[0].cost_per_week, 1000.0,
        "the team's by default"
    );
    let mut plan = Plan::new(vec![Some(1)]);
    plan.bought = vec![Purchase {
        option: 0,
        people: 1,
        from: 0,
        to: 2,
    }];
    let r = simulate(&m, &Schedule::Plan(plan), 1, 1, Some(1));
    assert!(close(r.features[0].mean_completion_week.unwrap(), 15.0));
    assert!(close(r.costs.as_ref().unwrap().bought, 30_000.0));
    // The optimizer sees the same weeks, and hires a period later, which is enough (10 + 10
    // + 5 = 25 weeks by the deadline) and 10,000 cheaper.
    let out = optimize(&m, &exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(1)]);
    assert_eq!(out.capacity[0], vec![10.0, 15.0, 20.0]);
    assert_eq!((out.plan.bought[0].from, out.plan.bought[0].to), (1, 2));
    let expected = value(1000.0, 1) - 30_000.0 - 20_000.0;
    assert!(
        close(out.objective, expected),
        "{} vs {expected}",
        out.objective
    );
}

/// The budget counts the people bought, period by period and over the plan: with 10,000 left
/// after the salaried team, the 15,000 contractor is out of reach and b ships in the third
/// period; with 15,000 left it is bought.
#[test]
fn the_budget_pays_for_the_people_bought() {
    let out = optimize(&scenario(7000.0, "budget = 40000"), &exact()).unwrap();
    assert!(out.plan.bought.is_empty());
    assert_eq!(out.plan.periods, vec![Some(0), Some(2)]);
    let out = optimize(&scenario(7000.0, "budget = 45000"), &exact()).unwrap();
    assert_eq!(out.plan.bought.len(), 1);
    let out = optimize(
        &scenario(7000.0, "budget_per_period = [10000, 10000, 25000]"),
        &exact(),
    )
    .unwrap();
    assert!(
        out.plan.bought.is_empty(),
        "no period has room before the third"
    );
}

/// With an uncertain team, the stochastic mode values the people bought in each future at that
/// future's capacity factor, and on its own futures its objective is the simulated NPV.
#[test]
fn the_stochastic_mode_counts_the_people_bought_as_the_simulator_does() {
    let text = "[plan]\nperiods = 3\nperiod_weeks = 10\nhorizon_months = 24\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\ncapacity_factor = [0.9, 1.0, 1.1]\ncost_per_week = 1000\ncost_kind = \"fixed\"\n\n\
         [[extra_capacity]]\nid = \"contract\"\nteam = \"web\"\nkind = \"contractor\"\n\
         people = 1\ncost_per_week = 1500\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 10 }\nvalue = 10000\nmandatory = true\n\n\
         [[features]]\nid = \"b\"\neffort = { web = 18 }\nvalue = 9000\n";
    let m = model_from(text);
    let (outcomes, _) = oracle::stochastic_on_its_futures(&m, &[(3, 1), (4, 8), (5, 20)]);
    assert!(outcomes.iter().any(|o| !o.plan.bought.is_empty()));
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
            "team = \"web\"\nkind = \"hire\"\npeople = 1\ncost_per_week = 900",
            "extra_capacity[x].cost_per_week",
            "already paid at its rate",
        ),
        (
            "team = \"ops\"\nkind = \"hire\"\npeople = 1\ncapacity_per_person = 14",
            "extra_capacity[x].capacity_per_person",
            "at most 13 person-weeks",
        ),
        (
            "team = \"wbe\"\nkind = \"hire\"\npeople = 1",
            "extra_capacity[x].team",
            "web",
        ),
        (
            "team = \"ops\"\nkind = \"hir\"\npeople = 1",
            "extra_capacity[x].kind",
            "did you mean `hire`",
        ),
        (
            "team = \"ops\"\nkind = \"hire\"\npeople = 0",
            "extra_capacity[x].people",
            "at least 1",
        ),
        (
            "team = \"ops\"\nkind = \"hire\"",
            "extra_capacity[x].people",
            "missing",
        ),
    ];
    for (fields, field, says) in cases {
        let text = base.clone().table("extra_capacity", "x", fields);
        let (errors, _) = findings(try_load("s.toml", text.text()));
        assert!(
            errors
                .iter()
                .any(|e| e.contains(field) && e.contains(says) && e.contains("s.toml:")),
            "{fields}: {errors:?}"
        );
    }
    let late = base.clone().table(
        "extra_capacity",
        "x",
        "team = \"ops\"\nkind = \"hire\"\npeople = 1\nlead_weeks = 30",
    );
    let (errors, warnings) = findings(try_load("s.toml", late.text()));
    assert!(errors.is_empty());
    assert!(warnings
        .iter()
        .any(|w| w.contains("nobody can start within the plan")));
}

/// `optimize -o` writes what it bought into the plan file (a row with `people`, or the JSON
/// `bought` array) and `simulate --plan` reads it back to the same NPV; a row naming what the
/// scenario does not offer is refused with exit 2, its line and field.
#[test]
fn plan_files_carry_the_purchases_and_refuse_what_the_scenario_does_not_offer() {
    // Quarters: a contractor gives 13 weeks a quarter for 19,500, and b one quarter earlier
    // is worth 7,000 x 3 = 21,000. NPV 10,000 x 21 + 7,000 x 18 - 30,000 - 19,500 = 286,500.
    let file = Scenario::plan(
        "periods = 3\nperiod_weeks = 13\nhorizon_months = 24\ndiscount_rate = 0\nstart = \"2027Q1\"",
    )
    .team("web", "capacity = 10\ncost_per_week = 1000\ncost_kind = \"fixed\"")
    .table(
        "extra_capacity",
        "contract",
        "team = \"web\"\nkind = \"contractor\"\npeople = 1\ncost_per_week = 1500",
    )
    .table(
        "extra_capacity",
        "hire",
        "team = \"web\"\nkind = \"hire\"\npeople = 1\ncost_per_week = 5000\nlead_weeks = 10",
    )
    .feature("a", "effort = { web = 10 }\nvalue = 10000\nmandatory = true")
    .feature("b", "effort = { web = 20 }\nvalue = 7000")
    .write();
    let dir = &file.dir;
    for name in ["p.csv", "p.json"] {
        let plan = dir.join(name);
        let (code, out, err) = common::cli::optimize_to(file.arg(), &plan);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Extra capacity bought"), "{out}");
        assert!(out.contains("contract  web   contractor       1"), "{out}");
        let written = std::fs::read_to_string(&plan).unwrap();
        assert!(written.contains("contract"), "{written}");
        let (code, sim, err) = run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert!(sim.contains("extra capacity bought $19.5k"), "{sim}");
        assert!(sim.contains("mean $286k"), "{sim}");
    }
    let cases = [
        ("contrat,2027Q2,2027Q2,1", "did you mean `contract`?"),
        ("contract,2027Q2,2027Q2,2", "offers at most 1 people"),
        ("hire,2027Q3,2027Q1,1", "cannot start before 2027Q2"),
        ("hire,2027Q2,2027Q2,1", "stay to the end of the plan"),
        ("contract,2027Q2,2027Q2,x", "not a number of people"),
    ];
    for (row, says) in cases {
        let plan = dir.join("bad.csv");
        std::fs::write(
            &plan,
            format!("feature,period,start,people\na,2027Q1,,\n{row}\n"),
        )
        .unwrap();
        let (code, _, err) = run(&["simulate", file.arg(), "--plan", plan.to_str().unwrap()]);
        assert_eq!(code, 2, "{row}: {err}");
        assert!(err.contains("bad.csv:3"), "{row}: {err}");
        assert!(err.contains(says), "{row}: {err}");
    }
}
