//! Money that recurs and teams paid whatever the plan holds, computed by hand: a recurring cost
//! from a release or a start to the horizon, flat or per customer of a growing segment,
//! certain or uncertain, discounted month by month as value is; the budget counting its months
//! within the plan only; a fixed-cost team shifting every plan's NPV by the same constant and
//! leaving the optimum where it was; the backlog columns and `whatif --set` saying what the
//! TOML table says.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use common::load::{findings, model_from, try_load_with_backlog};
use common::solve::{exact, simulate, simulate_raw};
use roadmap::model::{CostKind, Model, Plan, RecurringFrom};
use roadmap::optimize::{lp_text, optimize, OptimizeOptions};
use roadmap::plan_check::{check_plan, CheckBasis, ViolationKind};
use roadmap::simulate::{RawChunk, Schedule, SimResult};

/// Discount factor of `months` after the plan start at `rate` a year, as the format reference
/// defines it: (1 + rate)^(-months / 12).
fn d(rate: f64, months: f64) -> f64 {
    (1.0 + rate).powf(-months / 12.0)
}

/// Equal to the cent.
fn cents(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

/// One trial of a certain model: every trial.
fn run(model: &Model, periods: Vec<Option<usize>>) -> SimResult {
    simulate(model, &Schedule::Plan(Plan::new(periods)), 1, 1, Some(1))
}

fn quarters(fields: &str, rest: &str) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 4\nperiod_weeks = 13\n{fields}\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n{rest}"
    ))
}

/// 1,234.56 a month from the release at the end of 2027Q2 (month 6) to month 24, at 12% a
/// year: each month m = 6..23 discounted at its end, m + 1. Within the plan's 12 months the
/// bill runs 6 months. Made mandatory, the optimizer ships it as late as it may (the end of
/// the plan), which only the bill decides.
#[test]
fn a_recurring_cost_from_release_is_paid_every_month_to_the_horizon() {
    let m = quarters(
        "horizon_months = 24\ndiscount_rate = 0.12",
        "[[features]]\nid = \"api\"\neffort = { web = 2 }\nmandatory = true\nrecurring_cost = { per_month = 1234.56 }\n",
    );
    let bill: f64 = (7..=24).map(|k| 1234.56 * d(0.12, k as f64)).sum();
    let r = run(&m, vec![Some(1)]);
    assert!(cents(r.npv.mean, -bill), "{} vs {}", r.npv.mean, -bill);
    assert!(cents(r.spend.mean, 1234.56 * 6.0), "{}", r.spend.mean);
    let costs = r.costs.expect("a recurring cost itemises the costs");
    assert!(cents(costs.recurring.mean, bill));
    assert_eq!(
        (
            costs.team_fixed.mean,
            costs.team_variable.mean,
            costs.one_off.mean
        ),
        (0.0, 0.0, 0.0)
    );
    // Cumulative net value at the end of month 6 is still 0; the bill then runs to the horizon.
    assert_eq!(r.value_by_month[5].mean, 0.0);
    assert!(cents(r.value_by_month[23].mean, -bill));

    let outcome = optimize(&m, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(3)]);
    let late: f64 = (13..=24).map(|k| 1234.56 * d(0.12, k as f64)).sum();
    assert!(cents(outcome.objective, -late), "{}", outcome.objective);
}

/// Any of the format's distributions: each future draws its own bill, 1,000 or 3,000 a month,
/// and pays it every month from the release, so every trial's NPV and spend is one of two.
#[test]
fn an_uncertain_recurring_cost_is_drawn_once_per_future() {
    let m = quarters(
        "horizon_months = 24\ndiscount_rate = 0.12",
        "[[features]]\nid = \"api\"\neffort = { web = 2 }\nvalue = 0\nrecurring_cost = { per_month = { discrete = { values = [1000, 3000], probabilities = [0.5, 0.5] } } }\n",
    );
    let months: f64 = (7..=24).map(|k| d(0.12, k as f64)).sum();
    let mut seen = [0usize; 2];
    let mut sink = |chunk: &RawChunk| -> std::io::Result<()> {
        for row in chunk.rows.chunks(chunk.stride) {
            let (npv, spend) = (row[0], row[4]);
            let which = if cents(npv, -1000.0 * months) {
                assert!(cents(spend, 6000.0), "{spend}");
                0
            } else {
                assert!(cents(npv, -3000.0 * months), "{npv}");
                assert!(cents(spend, 18_000.0), "{spend}");
                1
            };
            seen[which] += 1;
        }
        Ok(())
    };
    let schedule = Schedule::Plan(Plan::new(vec![Some(1)]));
    simulate_raw(&m, &schedule, 5, 400, Some(2), Some(&mut sink));
    assert!(seen[0] > 100 && seen[1] > 100, "{seen:?}");
}

/// Per customer of a growing segment, from a release inside a month: two-week sprints, so the
/// end of sprint 1 is 6/13 of a month after the start. 0.05 per account of 2,000 accounts
/// growing 2% a month is 100 × 1.02^m in month m; month 0 pays for its last 7/13. Within the
/// plan (6 sprints, 36/13 months) it runs 7/13 of month 0, month 1 and 10/13 of month 2. The
/// optimizer, made to ship it in sprint 1, counts the same.
#[test]
fn a_cost_per_customer_grows_with_the_segment_from_a_release_inside_a_month() {
    let m = model_from(
        "[plan]\nperiods = 6\nperiod_weeks = 2\nhorizon_months = 12\ndiscount_rate = 0.1\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 4\n\n\
         [[segments]]\nid = \"smb\"\ndemand = 2000\ngrowth = 0.02\nprice = 1\n\n\
         [[features]]\nid = \"sms\"\neffort = { web = 1 }\nmandatory = true\ndeadline = 1\n\
         recurring_cost = { per_customer = 0.05, segment = \"smb\" }\n",
    );
    let monthly = |m: usize| 100.0 * 1.02f64.powi(m as i32);
    let bill: f64 = (0..12)
        .map(|k| {
            let part = if k == 0 { 7.0 / 13.0 } else { 1.0 };
            part * monthly(k) * d(0.1, (k + 1) as f64)
        })
        .sum();
    let spend = 7.0 / 13.0 * monthly(0) + monthly(1) + 10.0 / 13.0 * monthly(2);
    let r = run(&m, vec![Some(0)]);
    assert!(cents(r.npv.mean, -bill), "{} vs {}", r.npv.mean, -bill);
    assert!(cents(r.spend.mean, spend), "{} vs {spend}", r.spend.mean);
    let outcome = optimize(&m, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(0)]);
    assert!(cents(outcome.objective, -bill), "{}", outcome.objective);
}

/// From the start: the plan's start of the feature, whether or not it ever ships. `late` and
/// `signed` are planned in 2027Q2 but need 100 weeks of a team that has 10 a quarter: neither
/// ships. `late`'s bill runs from a release that never comes, so it is never paid; `signed`'s
/// runs from the start of 2027Q2 (month 3). `early` waits 20 weeks for its vendor, so a plan
/// delivering it in 2027Q2 starts it in 2027Q1: its bill runs from month 0.
#[test]
fn a_recurring_cost_from_the_start_is_paid_from_the_plan_s_start_whatever_ships() {
    let m = quarters(
        "horizon_months = 24\ndiscount_rate = 0.12",
        "[[features]]\nid = \"late\"\neffort = { web = 100 }\nvalue = 0\nrecurring_cost = { per_month = 500 }\n\n\
         [[features]]\nid = \"signed\"\neffort = { web = 100 }\nvalue = 0\nrecurring_cost = { per_month = 700, from = \"start\" }\n\n\
         [[features]]\nid = \"early\"\nvalue = 0\nvendor_lead_weeks = 20\nrecurring_cost = { per_month = 300, from = \"start\" }\n",
    );
    let from = |first: usize, amount: f64| -> f64 {
        (first + 1..=24).map(|k| amount * d(0.12, k as f64)).sum()
    };
    let r = run(&m, vec![Some(1), Some(1), Some(1)]);
    let expected = -from(3, 700.0) - from(0, 300.0);
    assert!(cents(r.npv.mean, expected), "{} vs {expected}", r.npv.mean);
    // Within the plan: 9 months of 700, 12 of 300.
    assert!(
        cents(r.spend.mean, 9.0 * 700.0 + 12.0 * 300.0),
        "{}",
        r.spend.mean
    );
    assert_eq!(r.features.iter().filter(|f| f.p_delivered > 0.0).count(), 1);
}

/// The budget counts a recurring cost for its months within the plan, not after: 1,000 a
/// month from release against a budget of 4,000 fits only a release in 2027Q3 or later (3
/// months, or none, before the plan's end), though the bill runs 27 more months after it.
/// Undiscounted, the feature nets 1,000 a month to month 36: in 2027Q3, 27,000. Without the
/// budget the optimum ships it first, for 33,000.
#[test]
fn the_budget_counts_a_recurring_cost_within_the_plan_only() {
    let text = |budget: &str| {
        format!(
            "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 36\ndiscount_rate = 0\n{budget}\n\n\
             [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
             [[features]]\nid = \"f\"\neffort = {{ web = 2 }}\nvalue = 2000\nrecurring_cost = {{ per_month = 1000 }}\n"
        )
    };
    let m = model_from(&text("budget = 4000"));
    let basis = CheckBasis::expected(&m);
    let over = |p: usize| {
        check_plan(&m, &Plan::new(vec![Some(p)]), &basis)
            .iter()
            .any(|v| v.kind == ViolationKind::Budget)
    };
    assert_eq!(
        [over(0), over(1), over(2), over(3)],
        [true, true, false, false]
    );
    let outcome = optimize(&m, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(2)]);
    assert!(cents(outcome.objective, 27_000.0), "{}", outcome.objective);
    let r = run(&m, vec![Some(2)]);
    assert!(cents(r.spend.mean, 3000.0), "{}", r.spend.mean);
    assert!(cents(r.npv.mean, 27_000.0));

    let free = model_from(&text(""));
    let outcome = optimize(&free, &exact()).unwrap();
    assert_eq!(outcome.plan.periods, vec![Some(0)]);
    assert!(cents(outcome.objective, 33_000.0), "{}", outcome.objective);
}

/// A salaried team's cost is the same for every plan: with `staff` fixed at 2,000 a week the
/// optimum is the plan it is with staff free, and every figure is lower by exactly its
/// capacity cost, each quarter's paid over its three months at 10% a year (discounted in the
/// objective and the simulated NPV, undiscounted in the spend). The same team paid by the week
/// leaves `extra` out: its 10 weeks cost more than it earns, though with salaries they are
/// paid anyway.
#[test]
fn a_fixed_cost_team_shifts_every_plan_by_the_same_constant() {
    let scenario = |staff: &str| {
        model_from(&format!(
            "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\ndiscount_rate = 0.1\n\n\
             [[teams]]\nid = \"staff\"\ncapacity = [10, 12, 12, 8]\n{staff}\n\n\
             [[teams]]\nid = \"agency\"\ncapacity = 5\ncost_per_week = 3000\n\n\
             [[features]]\nid = \"core\"\neffort = {{ staff = 8 }}\nvalue = 3000\n\n\
             [[features]]\nid = \"mobile\"\neffort = {{ agency = 4 }}\nvalue = 1500\n\n\
             [[features]]\nid = \"extra\"\neffort = {{ staff = 10 }}\nvalue = 400\n\n\
             [[features]]\nid = \"both\"\neffort = {{ staff = 6, agency = 2 }}\nvalue = 2000\nramp_months = 2\n"
        ))
    };
    let fixed = scenario("cost_per_week = 2000\ncost_kind = \"fixed\"");
    let free = scenario("cost_per_week = 0\ncost_kind = \"fixed\"");
    let variable = scenario("cost_per_week = 2000");
    assert_eq!(fixed.teams[0].cost_kind, CostKind::Fixed);
    assert_eq!(variable.teams[0].cost_kind, CostKind::Variable);

    let quarter = |p: usize| (1..=3).map(|k| d(0.1, (3 * p + k) as f64)).sum::<f64>() / 3.0;
    let constant: f64 = [10.0, 12.0, 12.0, 8.0]
        .iter()
        .enumerate()
        .map(|(p, weeks)| weeks * 2000.0 * quarter(p))
        .sum();

    let with = optimize(&fixed, &exact()).unwrap();
    let without = optimize(&free, &exact()).unwrap();
    assert_eq!(with.plan, without.plan);
    assert!(cents(with.objective, without.objective - constant));
    assert!(cents(with.bound, without.bound - constant));
    assert!(cents(with.fixed_team_cost, constant));
    assert_eq!(without.fixed_team_cost, 0.0);
    let extra = 2;
    assert!(with.plan.periods[extra].is_some(), "{:?}", with.plan);

    let (a, b) = (
        run(&fixed, with.plan.periods.clone()),
        run(&free, with.plan.periods.clone()),
    );
    assert!(cents(a.npv.mean, b.npv.mean - constant));
    assert!(
        cents(a.npv.mean, with.objective),
        "one clock: {} vs {}",
        a.npv.mean,
        with.objective
    );
    assert!(cents(a.spend.mean, b.spend.mean + 42.0 * 2000.0));
    assert!(cents(a.costs.unwrap().team_fixed.mean, constant));

    let by_the_week = optimize(&variable, &exact()).unwrap();
    assert_eq!(by_the_week.plan.periods[extra], None);
    assert_eq!(by_the_week.fixed_team_cost, 0.0);

    // The exported model says what it leaves out.
    let lp = lp_text(&fixed, &OptimizeOptions::default());
    assert!(
        lp.lines()
            .nth(1)
            .unwrap()
            .starts_with("\\ The objective below leaves out a constant of -"),
        "{}",
        lp.lines().nth(1).unwrap()
    );
    assert!(!lp_text(&free, &OptimizeOptions::default()).contains("leaves out a constant"));
}

/// A budget below the salaried teams' cost has no plan: validation says so before any solver
/// runs, naming the team cost, and the optimizer's diagnosis names it too.
#[test]
fn a_budget_below_the_fixed_cost_has_no_plan() {
    let text = "[plan]\nperiods = 2\nbudget = 50000\n\n\
                [[teams]]\nid = \"core\"\ncapacity = 10\ncost_per_week = 3000\ncost_kind = \"fixed\"\n\n\
                [[features]]\nid = \"a\"\neffort = { core = 2 }\nvalue = 100\n";
    let (code, _, stderr) = {
        let file = common::build::ScenarioFile::new(text);
        common::cli::run(&["validate", file.arg()])
    };
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the teams whose cost is fixed (cost_kind = \"fixed\") cost $60k over the plan whatever it holds, over the budget of $50k"),
        "{stderr}"
    );
    let m = model_from(&text.replace("budget = 50000", "budget = 70000"));
    let mut tight = m.clone();
    tight.budget = Some(50_000.0);
    let d = roadmap::optimize::diagnose::diagnose(&tight, &CheckBasis::expected(&tight));
    let b = d.budget.expect("the budget is short");
    assert_eq!((b.fixed_spend, b.forced_spend), (60_000.0, 0.0));
    assert!(optimize(&tight, &exact()).is_err());
    assert!(optimize(&m, &exact()).is_ok());
}

/// The four backlog columns say what the TOML table says, input names included (so a
/// correlation or an override finds them alike); a bad cell is refused at its line.
#[test]
fn backlog_columns_read_as_the_recurring_cost_table() {
    let head = "[plan]\nperiods = 2\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
                [[segments]]\nid = \"smb\"\ndemand = 1000\nprice = 10\n\n";
    let toml = model_from(&format!(
        "{head}[[features]]\nid = \"x\"\neffort = {{ web = 3 }}\nvalue = 100\n\
         recurring_cost = {{ per_month = [100, 200, 400], per_customer = 0.5, segment = \"smb\", from = \"start\" }}\n"
    ));
    let columns = "id,effort_web,value,recurring_cost,recurring_cost_per_customer,recurring_cost_segment,recurring_cost_from";
    let backlog = |row: &str| {
        try_load_with_backlog(
            "plan.toml",
            format!("{head}[backlog]\nfile = \"backlog.csv\"\n"),
            format!("{columns}\n{row}\n"),
        )
    };
    let csv = backlog("x,3,100,100/200/400,0.5,smb,start").unwrap().model;
    let (a, b) = (
        toml.features[0].recurring_cost.as_ref().unwrap(),
        csv.features[0].recurring_cost.as_ref().unwrap(),
    );
    assert_eq!(a.from, RecurringFrom::Start);
    assert_eq!(b.from, a.from);
    let named = |m: &Model, id: roadmap::model::InputId| m.input(id).clone();
    assert_eq!(
        named(&csv, b.per_month.unwrap()),
        named(&toml, a.per_month.unwrap())
    );
    let (pa, pb) = (a.per_customer.unwrap(), b.per_customer.unwrap());
    assert_eq!(pb.segment, pa.segment);
    assert_eq!(named(&csv, pb.amount), named(&toml, pa.amount));

    let (errors, _) = findings(backlog("x,3,100,100,,,strat"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("plan.toml") || errors[0].contains("backlog.csv"));
    assert!(
        errors[0].contains("features[x].recurring_cost.from"),
        "{errors:?}"
    );
    assert!(errors[0].contains("did you mean `start`?"), "{errors:?}");
    let (errors, _) = findings(backlog("x,3,100,,0.5,,"));
    assert!(errors[0].contains("needs the segment"), "{errors:?}");
    let (errors, _) = findings(backlog("x,3,100,,0.5,smbs,"));
    assert!(errors[0].contains("unknown segment `smbs`"), "{errors:?}");
}

/// `whatif --set` changes each part of a recurring cost and a team's cost kind, and refuses
/// what it cannot do with a fix.
#[test]
fn overrides_change_recurring_costs_and_cost_kinds() {
    use roadmap::scenario::overrides::apply;
    let m = quarters(
        "",
        "[[segments]]\nid = \"smb\"\ndemand = 1000\nprice = 10\n\n\
         [[features]]\nid = \"maps\"\neffort = { web = 2 }\nvalue = 500\nrecurring_cost = { per_month = [100, 200, 300] }\n\n\
         [[features]]\nid = \"plain\"\neffort = { web = 2 }\nvalue = 500\n",
    );
    let set = |args: &[&str]| apply(&m, &args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    let (v, applied) = set(&[
        "features.maps.recurring_cost.per_month*=2",
        "features.maps.recurring_cost.from=start",
        "features.maps.recurring_cost.segment=smb",
        "features.maps.recurring_cost.per_customer=0.3",
        "features.plain.recurring_cost.per_month=50",
        "teams.web.cost_kind=fixed",
    ])
    .unwrap();
    assert_eq!(applied.len(), 6);
    let r = v.features[0].recurring_cost.as_ref().unwrap();
    assert!((v.mean(r.per_month.unwrap()) - 400.0).abs() < 1e-9);
    assert_eq!(r.from, RecurringFrom::Start);
    assert_eq!(v.mean(r.per_customer.unwrap().amount), 0.3);
    let plain = v.features[1].recurring_cost.as_ref().unwrap();
    assert_eq!(
        (v.mean(plain.per_month.unwrap()), plain.from),
        (50.0, RecurringFrom::Release)
    );
    assert_eq!(v.teams[0].cost_kind, CostKind::Fixed);
    // The names a file would have given the inputs, so their draws are the file's.
    assert_eq!(
        v.input(plain.per_month.unwrap()).name,
        "features[plain].recurring_cost.per_month"
    );

    let problems = set(&[
        "features.maps.recurring_cost.per_mnth=3",
        "features.plain.recurring_cost.per_customer=0.3",
        "teams.web.cost_kind=salaried",
        "features.maps.recurring_cost.per_month=-5",
    ])
    .unwrap_err();
    let text: Vec<String> = problems.iter().map(|f| f.to_string()).collect();
    assert_eq!(text.len(), 4, "{text:?}");
    assert!(text[0].contains("did you mean `per_month`?"), "{}", text[0]);
    assert!(text[1].contains("set its segment first"), "{}", text[1]);
    assert!(
        text[2].contains("`salaried` is not a kind of team cost"),
        "{}",
        text[2]
    );
    assert!(text[3].contains("negative"), "{}", text[3]);
}

/// The example is what its header says, and its costs come out the same on 1, 2 and 8
/// threads.
#[test]
fn the_fleet_example_has_both_kinds_of_team_and_recurring_bills_on_any_thread_count() {
    let m = common::load::model_file("scenarios/fleet-tracking.toml");
    let kinds: Vec<CostKind> = m.teams.iter().map(|t| t.cost_kind).collect();
    assert!(kinds.contains(&CostKind::Fixed) && kinds.contains(&CostKind::Variable));
    let recurring: Vec<_> = m
        .features
        .iter()
        .filter_map(|f| f.recurring_cost.as_ref())
        .collect();
    assert!(recurring.iter().any(|r| r.per_customer.is_some()));
    assert!(recurring.iter().any(|r| r.from == RecurringFrom::Start));
    let order = roadmap::strategy::value_per_effort(&m).normalised(&m).0;
    let schedule = Schedule::Order(order);
    let one = simulate(&m, &schedule, 11, 3000, Some(1));
    for threads in [2, 8] {
        assert_eq!(simulate(&m, &schedule, 11, 3000, Some(threads)), one);
    }
    let costs = one.costs.as_ref().unwrap();
    let parts = costs.team_variable.mean
        + costs.team_fixed.mean
        + costs.recurring.mean
        + costs.one_off.mean;
    assert!((parts - one.cost.mean).abs() <= 1e-6 * one.cost.mean);
    assert!(costs.team_fixed.mean > 0.0 && costs.recurring.mean > 0.0);
}

/// The stochastic mode prices recurring costs and fixed teams as the simulator pays them: on
/// its own futures (trial s of its seed) the objective is the plan's simulated NPV, future by
/// future, when every planned feature ships in every future (the simulator pays part-done
/// work of one that does not; the model all of it).
#[test]
fn on_its_own_futures_the_stochastic_objective_counts_recurring_and_fixed_costs() {
    let m = common::load::model_file("scenarios/fleet-tracking.toml");
    let (outcomes, exact) = oracle::stochastic_on_its_futures(&m, &[(3, 1), (4, 3)]);
    assert!(outcomes.iter().all(|o| o.fixed_team_cost > 0.0));
    assert!(
        exact >= 1,
        "no case ships every planned feature in every future"
    );
}

/// Sensitivity names a recurring cost's amounts in words, as it names every other input.
#[test]
fn sensitivity_names_recurring_costs() {
    let (code, stdout, stderr) = common::cli::run(&[
        "sensitivity",
        "scenarios/fleet-tracking.toml",
        "--hold-plan",
        "--trials",
        "300",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "features[live-map].recurring_cost.per_customer,Live map of vehicles recurring cost (per customer),input"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Arrival-time predictions recurring cost (a month)"));
}

/// A feature done before the plan takes its inputs out of the model, which renumbers the
/// rest: a recurring cost after it still reads its own amount. Marking the first feature done
/// must leave the later bills' inputs named after their features, and a plan that ships the
/// billed feature pays the same bill as before.
#[test]
fn a_done_feature_s_inputs_leave_and_the_recurring_costs_after_it_keep_theirs() {
    let rest = |status: &str| {
        format!(
            "[[segments]]\nid = \"smb\"\ndemand = 100\nprice = 10\n\n\
             [[features]]\nid = \"first\"\neffort = {{ web = [2, 3, 5] }}\nvalue = [100, 200, 400]\n\
             recurring_cost = {{ per_month = [10, 20, 40] }}\n{status}\n\n\
             [[features]]\nid = \"billed\"\neffort = {{ web = 4 }}\nvalue = 900\n\
             recurring_cost = {{ per_month = 150, per_customer = 0.5, segment = \"smb\" }}\n"
        )
    };
    let all = quarters("", &rest(""));
    let done = quarters("", &rest("status = \"done\""));
    assert_eq!(done.features.len(), 1);
    assert_eq!(done.inputs.len() + 3, all.inputs.len());
    let r = done.features[0].recurring_cost.as_ref().unwrap();
    let name = |id: roadmap::model::InputId| done.inputs[id.0 as usize].name.clone();
    assert!(
        name(r.per_month.unwrap()).contains("billed"),
        "{}",
        name(r.per_month.unwrap())
    );
    assert!(name(r.per_customer.unwrap().amount).contains("billed"));
    let shipped_all = run(&all, vec![None, Some(1)]);
    let shipped_done = run(&done, vec![Some(1)]);
    assert!(cents(shipped_all.npv.mean, shipped_done.npv.mean));
}

/// A budget per period books recurring costs in the months they are paid and a fixed-cost
/// team's whole capacity in every period. Hand-computed: a salaried team at 1,000 a quarter, an
/// agency feature of 5 weeks at 200 (1,000, booked when released), a set-up fee of 300 (booked
/// when started, the release period here) and a licence of 100 a month from the release.
/// Released in 2027Q1 it books 2,300 in Q1 and 1,000 + 300 in each later quarter; the budget
/// of 1,200 in Q2 forbids that, and the release in Q2 too (2,300 there); only Q3 fits
/// (1,000 / 1,000 / 2,300 / 1,300). Without the licence Q1 would fit, so the answer
/// depends on booking the recurring cost. The optimizer, the checker and the simulator agree.
#[test]
fn a_budget_per_period_books_recurring_costs_as_paid_and_fixed_teams_every_period() {
    let text = |budgets: &str| {
        format!(
            "[plan]\nperiods = 4\nperiod_weeks = 13\ndiscount_rate = 0\nbudget_per_period = {budgets}\n\n\
             [[teams]]\nid = \"core\"\ncapacity = 10\ncost_per_week = 100\ncost_kind = \"fixed\"\n\n\
             [[teams]]\nid = \"agency\"\ncapacity = 10\ncost_per_week = 200\n\n\
             [[features]]\nid = \"api\"\neffort = {{ agency = 5 }}\nvalue = 5000\ncost = 300\n\
             recurring_cost = {{ per_month = 100 }}\n"
        )
    };
    let m = model_from(&text("[2500, 1200, 2500, 2500]"));
    let booked =
        |period: usize| roadmap::plan_check::period_spend(&m, &Plan::new(vec![Some(period)]));
    let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| cents(*x, *y));
    assert!(
        near(&booked(0), &[2300.0, 1300.0, 1300.0, 1300.0]),
        "{:?}",
        booked(0)
    );
    assert!(
        near(&booked(1), &[1000.0, 2300.0, 1300.0, 1300.0]),
        "{:?}",
        booked(1)
    );
    assert!(
        near(&booked(2), &[1000.0, 1000.0, 2300.0, 1300.0]),
        "{:?}",
        booked(2)
    );
    let o = optimize(&m, &exact()).unwrap();
    assert_eq!(o.plan.periods, [Some(2)]);
    let r = run(&m, vec![Some(2)]);
    let means: Vec<f64> = r
        .spend_by_period
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.mean)
        .collect();
    assert!(near(&means, &booked(2)), "{means:?}");
    assert!(
        cents(o.objective, r.npv.mean),
        "{} vs {}",
        o.objective,
        r.npv.mean
    );
    // With room in Q2 for the licence, the earliest release fits and is chosen.
    let roomy = model_from(&text("[2500, 1300, 2500, 2500]"));
    assert_eq!(optimize(&roomy, &exact()).unwrap().plan.periods, [Some(0)]);
}

/// A period whose budget is below what the fixed-cost teams cost in it has no plan: validation
/// names the period and the least budget, with exit 2.
#[test]
fn a_period_budget_below_the_fixed_teams_is_an_error_naming_the_period() {
    let file = common::build::ScenarioFile::new(
        "[plan]\nperiods = 2\nperiod_weeks = 13\nbudget_per_period = [5000, 900]\n\n\
         [[teams]]\nid = \"core\"\ncapacity = 10\ncost_per_week = 100\ncost_kind = \"fixed\"\n\n\
         [[features]]\nid = \"a\"\neffort = { core = 2 }\nvalue = 100\n",
    );
    let (code, _, stderr) = common::cli::run(&["validate", file.arg()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("plan.budget_per_period"), "{stderr}");
    assert!(
        stderr.contains(
            "cost $1,000 in P2 whatever the plan holds, over that period's budget of $900"
        ),
        "{stderr}"
    );
}
