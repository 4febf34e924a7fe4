//! What real plans say, checked against answers worked out by hand: dates read as periods by
//! the format reference's rule, a soft target with a hard limit after it, a vendor's ready
//! date that binds whatever the start, and budgets per period. Each is followed through
//! validation, the simulator (constant numbers, so the answer is known to the cent), the
//! optimizer, the plan checker and `whatif --set`.

mod common;

use common::load::{findings, model_from, try_load, try_load_with_backlog};
use roadmap::model::{Model, Order, Plan};
use roadmap::optimize::{self, Mode, OptimizeOptions};
use roadmap::plan_check::{check_plan, Breach, CheckBasis};
use roadmap::scenario::overrides;
use roadmap::simulate::{Schedule, SimResult};

fn simulate(model: &Model, schedule: &Schedule) -> SimResult {
    common::solve::simulate(model, schedule, 7, 1, Some(1))
}

fn in_file_order(model: &Model) -> Schedule {
    Schedule::Order(Order {
        features: (0..model.features.len()).collect(),
    })
}

fn deterministic() -> OptimizeOptions {
    OptimizeOptions {
        mode: Mode::Deterministic,
        ..common::solve::exact()
    }
}

fn outcome<'a>(r: &'a SimResult, id: &str) -> &'a roadmap::simulate::FeatureOutcome {
    r.features.iter().find(|f| f.id == id).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * (1.0 + a.abs().max(b.abs()))
}

const QUARTERS: &str = r#"
[plan]
periods = 4
period_weeks = 13
start = "2027Q1"
horizon_months = 12
discount_rate = 0

[[teams]]
id = "web"
capacity = 40
"#;

/// 2027Q1 is the calendar quarter: a due date on a quarter's last day is that quarter, one
/// inside it the quarter before (delivery is at a period's end); a start date on a quarter's
/// first day is that quarter, one inside it the next. Only the rounded ones get a warning,
/// which says which period the date was read as.
#[test]
fn dates_are_read_as_periods_by_the_stated_rule() {
    let text = format!(
        r#"{QUARTERS}
[[features]]
id = "regulated"
effort = {{ web = 2 }}
value = 100
deadline = "2027-09-30"

[[features]]
id = "mid-quarter"
effort = {{ web = 2 }}
value = 100
deadline = 2027-08-15

[[features]]
id = "april"
effort = {{ web = 2 }}
value = 100
earliest = "2027-04-01"

[[features]]
id = "mid-march"
effort = {{ web = 2 }}
value = 100
earliest = "2027-03-15"

[[deals]]
id = "year-end"
features = ["regulated"]
one_off = 1000
by = "2027-12-31"
"#
    );
    let loaded = try_load("dates.toml", text.clone()).unwrap();
    let m = &loaded.model;
    let f = |id: &str| &m.features[m.feature_index(id).unwrap()];
    assert_eq!(f("regulated").deadline.unwrap().period, 2);
    assert_eq!(f("mid-quarter").deadline.unwrap().period, 1);
    assert_eq!(f("april").earliest_period, Some(1));
    assert_eq!(f("mid-march").earliest_period, Some(1));
    assert_eq!(m.deals[0].by_period, Some(3));
    let (errors, warnings) = findings(try_load("dates.toml", text));
    assert!(errors.is_empty());
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    insta::assert_snapshot!("rounded_dates_warn", warnings.join("\n"));
}

/// A plan that starts on a date names its periods so they read well: the first Monday of
/// January with 13-week periods is 2027Q1 (calendar quarters), sprints from a date are named
/// by their first day, and a label with `start_date` keeps its names.
#[test]
fn a_start_date_gives_labels_that_read_well() {
    let plan = |start: &str, weeks: u32, extra: &str| {
        model_from(&format!(
            "[plan]\nperiods = 3\nperiod_weeks = {weeks}\nstart = \"{start}\"\n{extra}\n[[teams]]\nid = \"web\"\ncapacity = 10\n"
        ))
    };
    assert_eq!(
        plan("2027-01-04", 13, "").time.labels,
        ["2027Q1", "2027Q2", "2027Q3"]
    );
    assert_eq!(
        plan("2027-01-11", 2, "").time.labels,
        ["Jan 11 2027", "Jan 25 2027", "Feb 8 2027"]
    );
    assert_eq!(
        plan("2027-07-01", 26, "").time.labels,
        ["2027H2", "2028H1", "2028H2"]
    );
    let sprints = plan("Sprint 14", 2, "start_date = \"2027-01-04\"");
    assert_eq!(sprints.time.labels, ["Sprint 14", "Sprint 15", "Sprint 16"]);
    let c = sprints.time.calendar.as_ref().unwrap();
    assert_eq!(c.last_day(2).to_string(), "2027-02-14");
    // A fiscal quarter keeps its name and steps by calendar months from its own first day.
    let fiscal = plan("FY27 Q1", 13, "start_date = \"2026-07-01\"");
    assert_eq!(fiscal.time.labels, ["FY27 Q1", "FY27 Q2", "FY27 Q3"]);
    let c = fiscal.time.calendar.as_ref().unwrap();
    assert_eq!(c.first_day(1).to_string(), "2026-10-01");
}

/// A soft target with a hard limit, by hand. One team of 13 person-weeks a quarter (one a
/// week), no discounting, no team cost, value to month 12, worked in file order:
/// - `late-once` (20 weeks, 1,000 a month) is done at week 20, in 2027Q2: one quarter after its
///   2027Q1 target (5,000), within its 2027Q3 limit; released at month 6, it earns months 7-12.
/// - `past-limit` (30 weeks, 100 a month) is done at week 50, in 2027Q4: two quarters after its
///   2027Q2 target (2 x 700) and after its 2027Q3 limit; released at month 12, it earns nothing.
///
/// NPV = 6,000 - 5,000 - 1,400 = -400.
#[test]
fn a_target_and_a_limit_simulate_to_the_hand_computed_answer() {
    let model = model_from(
        r#"
[plan]
periods = 4
period_weeks = 13
start = "2027Q1"
horizon_months = 12
discount_rate = 0

[[teams]]
id = "web"
capacity = 13

[[features]]
id = "late-once"
effort = { web = 20 }
value = 1000
deadline = { target = "2027Q1", limit = "2027Q3", penalty = 5000 }

[[features]]
id = "past-limit"
effort = { web = 30 }
value = 100
deadline = { target = "2027Q2", limit = "2027Q3", penalty = 700 }
"#,
    );
    let d = model.features[0].deadline.unwrap();
    assert_eq!((d.period, d.limit, d.hard_period()), (0, Some(2), Some(2)));
    let r = simulate(&model, &in_file_order(&model));
    assert!(close(r.penalties.mean, 6400.0), "{}", r.penalties.mean);
    assert!(close(r.npv.mean, -400.0), "{}", r.npv.mean);
    let once = outcome(&r, "late-once");
    assert_eq!(
        (once.p_by_deadline, once.p_by_limit),
        (Some(0.0), Some(1.0))
    );
    assert_eq!(once.limit.as_deref(), Some("2027Q3"));
    let past = outcome(&r, "past-limit");
    assert_eq!(
        (past.p_by_deadline, past.p_by_limit),
        (Some(0.0), Some(0.0))
    );

    // The plan checker holds the limit as a hard deadline and only charges for the target.
    let basis = CheckBasis::expected(&model);
    let late = Plan::new(vec![Some(1), Some(3)]);
    let v = check_plan(&model, &late, &basis);
    assert!(
        matches!(&v[..], [x] if matches!(&x.breach, Breach::HardDeadline { feature, deadline, .. } if feature == "past-limit" && deadline == "2027Q3")),
        "{v:?}"
    );
    // The optimizer never plans past the limit, charges the target's penalty exactly, and its
    // objective is the simulated NPV of its plan.
    let o = optimize::optimize(&model, &deterministic()).unwrap();
    for (f, t) in o.plan.planned() {
        assert!(t <= 2, "{} planned in period {t}", model.features[f].id);
    }
    let planned = simulate(&model, &Schedule::Plan(o.plan.clone()));
    assert!(
        close(o.objective, planned.npv.mean),
        "{} vs {}",
        o.objective,
        planned.npv.mean
    );
}

const READY: &str = r#"
[plan]
periods = 4
period_weeks = 13
start = "2027-01-01"
horizon_months = 12
discount_rate = 0

[[teams]]
id = "web"
capacity = 13
"#;

/// A vendor's ready date, by hand. Quarters from 1 January 2027; one person-week of work each,
/// 1,000 a month to month 12, no discounting:
/// - `terminal`, ready on 15 May: the end of that day is 45 of 2027Q2's 91 days in, week
///   13 + 13 x 45/91 = 19.43, so it ships at the end of 2027Q2 and earns months 7-12: 6,000;
/// - `slipping`, the same date and a certain 10-week slip: week 29.43, in 2027Q3: 3,000;
/// - `already`, ready the December before: no wait, 2027Q1: 9,000.
///
/// Our work (done in week 1 to 3) does not move any of them: the date binds, not the start.
#[test]
fn a_vendor_ready_date_simulates_to_the_hand_computed_answer() {
    let model = model_from(&format!(
        r#"{READY}
[[features]]
id = "terminal"
effort = {{ web = 1 }}
value = 1000
vendor_ready = "2027-05-15"

[[features]]
id = "slipping"
effort = {{ web = 1 }}
value = 1000
vendor_ready = {{ date = "2027-05-15", delay_weeks = 10 }}

[[features]]
id = "already"
effort = {{ web = 1 }}
value = 1000
vendor_ready = "2026-12-01"
"#
    ));
    let ready = model.features[0].vendor_ready.as_ref().unwrap();
    assert!(
        close(ready.weeks, 13.0 + 13.0 * 45.0 / 91.0),
        "{}",
        ready.weeks
    );
    let r = simulate(&model, &in_file_order(&model));
    assert!(close(r.npv.mean, 18_000.0), "{}", r.npv.mean);
    let week = |id: &str| outcome(&r, id).mean_completion_week.unwrap();
    assert!(close(week("terminal"), 13.0 + 13.0 * 45.0 / 91.0));
    assert!(close(week("slipping"), 23.0 + 13.0 * 45.0 / 91.0));
    assert!(close(week("already"), 3.0));
    assert_eq!(
        outcome(&r, "slipping").p50_period.as_deref(),
        Some("2027Q3")
    );

    // A plan may not ship it before the date (plus its expected slip) allows.
    let basis = CheckBasis::expected(&model);
    let early = Plan::new(vec![Some(1), Some(1), Some(0)]);
    let v = check_plan(&model, &early, &basis);
    assert!(
        matches!(&v[..], [x] if matches!(&x.breach, Breach::VendorReady { feature, soonest, .. } if feature == "slipping" && soonest == "2027Q3")),
        "{v:?}"
    );
    let o = optimize::optimize(&model, &deterministic()).unwrap();
    assert_eq!(o.plan.periods, [Some(1), Some(2), Some(0)]);
    assert!(close(o.objective, 18_000.0), "{}", o.objective);
    // Robust mode plans for the slip at its quantile; here it is certain, so the same.
    let robust = OptimizeOptions {
        mode: Mode::Robust { confidence: 0.9 },
        ..common::solve::exact()
    };
    assert_eq!(
        optimize::optimize(&model, &robust).unwrap().plan.periods,
        o.plan.periods
    );
}

/// An uncertain slip: the date plus a uniform 0 to 26 weeks. The simulator ships in 2027Q2 when
/// the part is ready by week 26 (a slip of at most 6.57 of the 26 weeks: about a quarter of
/// the futures), in 2027Q3 by week 39 (half of them), in 2027Q4 otherwise.
#[test]
fn an_uncertain_slip_spreads_the_delivery_as_its_distribution_says() {
    let model = model_from(&format!(
        "{READY}\n[[features]]\nid = \"terminal\"\neffort = {{ web = 1 }}\nvalue = 1000\nvendor_ready = {{ date = \"2027-05-15\", delay_weeks = {{ uniform = [0, 26] }} }}\n"
    ));
    let r = common::solve::simulate(&model, &in_file_order(&model), 3, 40_000, None);
    let p = &outcome(&r, "terminal").period_probabilities;
    let ready = 13.0 + 13.0 * 45.0 / 91.0;
    let q2 = (26.0 - ready) / 26.0;
    let q3 = 13.0 / 26.0;
    assert!((p[1] - q2).abs() < 0.01, "{p:?}");
    assert!((p[2] - q3).abs() < 0.01, "{p:?}");
    assert!((p[3] - (1.0 - q2 - q3)).abs() < 0.01, "{p:?}");
}

const BUDGETED: &str = r#"
[plan]
periods = 2
period_weeks = 13
start = "2027Q1"
horizon_months = 12
discount_rate = 0
budget_per_period = [12_000, 12_000]

[[teams]]
id = "web"
capacity = 40
cost_per_week = 1000

[[features]]
id = "a"
effort = { web = 10 }
value = 3000

[[features]]
id = "b"
effort = { web = 10 }
value = 2000
cost = 1000
"#;

/// Budgets per period, by hand. Two quarters of 12,000 each; `a` costs 10,000 of team time
/// (3,000 a month), `b` 10,000 and a 1,000 one-off (2,000 a month); no discounting, value to
/// month 12. Both in 2027Q1 would book 21,000 there. The best plan within the budgets ships
/// `a` in 2027Q1 (9 months: 27,000 - 10,000) and `b` in 2027Q2 (6 months: 12,000 - 11,000,
/// its one-off paid at its 2027Q2 start): 18,000, against 15,000 the other way round and
/// 24,000 without the budgets.
#[test]
fn budgets_per_period_hold_in_the_optimizer_the_checker_and_the_simulator() {
    let model = model_from(BUDGETED);
    let o = optimize::optimize(&model, &deterministic()).unwrap();
    assert_eq!(o.plan.periods, [Some(0), Some(1)]);
    assert!(close(o.objective, 18_000.0), "{}", o.objective);
    let mut free = model.clone();
    free.budget_per_period = None;
    let unbudgeted = optimize::optimize(&free, &deterministic()).unwrap();
    assert!(
        close(unbudgeted.objective, 24_000.0),
        "{}",
        unbudgeted.objective
    );

    let both = Plan::new(vec![Some(0), Some(0)]);
    assert_eq!(
        roadmap::plan_check::period_spend(&model, &both),
        [21_000.0, 0.0]
    );
    let v = check_plan(&model, &both, &CheckBasis::expected(&model));
    assert!(
        matches!(&v[..], [x] if matches!(&x.breach, Breach::PeriodBudget { period, .. } if period == "2027Q1")),
        "{v:?}"
    );

    let r = simulate(&model, &Schedule::Plan(o.plan.clone()));
    assert!(close(r.npv.mean, 18_000.0), "{}", r.npv.mean);
    let spend = r.spend_by_period.as_ref().unwrap();
    assert_eq!(
        spend
            .iter()
            .map(|p| (p.mean, p.p_over_budget))
            .collect::<Vec<_>>(),
        [(10_000.0, 0.0), (11_000.0, 0.0)]
    );
    let r = simulate(&model, &Schedule::Plan(both));
    let spend = r.spend_by_period.as_ref().unwrap();
    assert_eq!((spend[0].mean, spend[0].p_over_budget), (21_000.0, 1.0));
}

/// The LP model names each period's budget row, and a scenario without budgets per period has
/// none (its model is the one it always was: the examples' exported models are compared
/// byte for byte when the format changes).
#[test]
fn each_periods_budget_is_one_row_of_the_model() {
    let lp = optimize::lp_text(&model_from(BUDGETED), &deterministic());
    assert!(lp.contains("budget(2027Q1):"), "{lp}");
    assert!(lp.contains("budget(2027Q2):"), "{lp}");
    let plain = BUDGETED.replace("budget_per_period = [12_000, 12_000]\n", "");
    let lp = optimize::lp_text(&model_from(&plain), &deterministic());
    assert!(!lp.contains("budget("), "{lp}");
}

/// The backlog CSV says the same things in columns: a soft deadline with its limit, a vendor's
/// date and its slip.
#[test]
fn the_backlog_csv_has_columns_for_a_limit_and_a_ready_date() {
    let toml = format!("{READY}\n[backlog]\nfile = \"b.csv\"\n");
    let csv = "id,effort_web,value,deadline,deadline_penalty,deadline_limit,vendor_ready,vendor_ready_delay_weeks\n\
               launch,2,1000,2027Q2,5000,2027-09-30,,\n\
               terminal,1,500,,,,2027-05-15,2/4/8\n";
    let m = try_load_with_backlog("t.toml", toml.clone(), csv)
        .unwrap()
        .model;
    let launch = m.features[0].deadline.unwrap();
    assert_eq!((launch.period, launch.limit), (1, Some(2)));
    let ready = m.features[1].vendor_ready.as_ref().unwrap();
    assert_eq!(ready.date.to_string(), "2027-05-15");
    let slip = ready.delay_weeks.unwrap();
    assert_eq!(
        m.input(slip).name,
        "features[terminal].vendor_ready.delay_weeks"
    );
    // A limit without a penalty has no target to come after.
    let bad = "id,effort_web,value,deadline,deadline_limit\nlaunch,2,1000,2027Q2,2027Q3\n";
    let (errors, _) = findings(try_load_with_backlog("t.toml", toml, bad));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("features[launch].deadline_limit")
                && e.contains("goes with a soft deadline")),
        "{errors:#?}"
    );
}

/// `whatif --set` takes dates where a file does, moves a target's limit, a vendor's date by
/// weeks, and budgets per period, all or one.
#[test]
fn overrides_take_dates_limits_ready_dates_and_budgets_per_period() {
    let model = common::load::model_file("scenarios/payments-compliance.toml");
    let set = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        overrides::apply(&model, &args)
    };
    let index = |id: &str| model.feature_index(id).unwrap();
    let (m, applied) = set(&[
        "features.sca-psd3.deadline=2027-08-15",
        "features.receipt-capture.earliest=2027-06-15",
        "features.instant-payouts.deadline.limit=2027Q4",
        "features.card-issuing.vendor_ready+=6",
        "plan.budget_per_period.2027Q1*=2",
    ])
    .unwrap();
    assert_eq!(m.features[index("sca-psd3")].deadline.unwrap().period, 1);
    assert_eq!(
        m.features[index("receipt-capture")].earliest_period,
        Some(2)
    );
    assert_eq!(
        m.features[index("instant-payouts")].deadline.unwrap().limit,
        Some(3)
    );
    let ready = m.features[index("card-issuing")]
        .vendor_ready
        .as_ref()
        .unwrap();
    assert_eq!(ready.date.to_string(), "2027-08-12");
    assert_eq!(m.budget_per_period.as_ref().unwrap()[0], 500_000.0);
    let words: Vec<String> = applied
        .iter()
        .map(|a| format!("{}: {} -> {}", a.field, a.before, a.after))
        .collect();
    insta::assert_snapshot!("date_overrides", words.join("\n"));

    let (m, _) = set(&[
        "plan.budget_per_period=none",
        "features.card-issuing.vendor_ready=none",
    ])
    .unwrap();
    assert!(m.budget_per_period.is_none());
    assert!(m.features[index("card-issuing")].vendor_ready.is_none());

    for (bad, says) in [
        (
            "features.sca-psd3.deadline.limit=2027Q4",
            "this feature has none",
        ),
        (
            "features.instant-payouts.deadline.limit=2027Q1",
            "is not after the target",
        ),
        (
            "features.instant-payouts.deadline=2027Q3",
            "would not be before its limit",
        ),
        (
            "features.sca-psd3.deadline=2026-12-01",
            "before the plan starts",
        ),
        ("features.card-issuing.vendor_ready=2027Q3", "is not a date"),
        (
            "features.card-issuing.vendor_ready*=2",
            "does not apply to a ready date",
        ),
    ] {
        let problems = set(&[bad]).unwrap_err();
        let text = problems[0].to_string();
        assert!(text.contains(says), "{bad}: {text}");
    }
}

/// The example written in dates plans within all of them, and its objective, made certain, is
/// what the simulator counts for its plan.
#[test]
fn the_dated_example_plans_within_its_dates_and_budgets() {
    let model = common::load::model_file("scenarios/payments-compliance.toml");
    let o = optimize::optimize(&model, &deterministic()).unwrap();
    assert!(o.violations.is_empty(), "{:?}", o.violations);
    let spend = roadmap::plan_check::period_spend(&model, &o.plan);
    let budgets = model.budget_per_period.as_ref().unwrap();
    assert!(spend.iter().zip(budgets).all(|(s, b)| *s <= b + 1e-6));
    // The quarterly budget binds in the first quarter: without it the plan books more there.
    let mut free = model.clone();
    free.budget_per_period = None;
    let unbudgeted = optimize::optimize(&free, &deterministic()).unwrap();
    let first = roadmap::plan_check::period_spend(&free, &unbudgeted.plan)[0];
    assert!(first > budgets[0], "{first}");
    assert!(unbudgeted.objective >= o.objective - 1e-6);
}

/// Spend per period and the chance of meeting a limit are statistics like any other: the same
/// seed gives the same numbers on 1, 2 and 8 threads.
#[test]
fn the_new_statistics_do_not_depend_on_the_thread_count() {
    let model = common::load::model_file("scenarios/payments-compliance.toml");
    let o = optimize::optimize(&model, &deterministic()).unwrap();
    let schedule = Schedule::Plan(o.plan);
    let run = |threads| common::solve::simulate(&model, &schedule, 11, 3000, Some(threads));
    let one = run(1);
    assert!(one.spend_by_period.is_some());
    assert!(one.features.iter().any(|f| f.p_by_limit.is_some()));
    assert_eq!(one, run(2));
    assert_eq!(one, run(8));
}

/// The format reference's example of a rounded date shows exactly what `roadmap validate`
/// warns.
#[test]
fn the_format_reference_dates_example_is_current() {
    let root = common::cli::root();
    let doc = std::fs::read_to_string(root.join("scenarios/README.md")).unwrap();
    let section = &doc[doc.find("## Dates").expect("a Dates section")..];
    let section = &section[..section.find("\n---\n").unwrap()];
    let toml_start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let toml = &section[toml_start..toml_start + section[toml_start..].find("```").unwrap()];
    let command = "$ roadmap validate plan.toml 2>&1 >/dev/null\n";
    let console = section.find(command).unwrap() + command.len();
    let expected = &section[console..console + section[console..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), toml).unwrap();
    let out = common::cli::roadmap()
        .current_dir(dir.path())
        .args(["validate", "plan.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), expected);
}

/// In the stochastic mode each sampled future has its own slip after the vendor's date, and
/// releases the feature when its part is there, as the simulator does: on the futures it
/// planned on (trial s of the simulator on its seed), the objective is the simulated NPV of
/// its plan to the cent. The slip here ships the part in 2027Q2, Q3 or Q4.
#[test]
fn each_stochastic_future_waits_for_its_own_ready_date() {
    let model = model_from(&format!(
        r#"{READY}
[[features]]
id = "terminal"
effort = {{ web = 2 }}
value = 1000
cost = 500
vendor_ready = {{ date = "2027-05-15", delay_weeks = {{ uniform = [0, 26] }} }}

[[features]]
id = "app"
effort = {{ web = [4, 6, 9] }}
value = [300, 500, 900]
deadline = {{ target = "2027Q1", limit = "2027Q2", penalty = 200 }}
"#
    ));
    for scenarios in [1usize, 3, 8] {
        let options = OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios,
                risk_aversion: 0.0,
                cvar_alpha: 0.9,
                overtime_premium: None,
            },
            seed: 5,
            threads: Some(1),
            time_limit_seconds: Some(30.0),
            ..OptimizeOptions::default()
        };
        let out = optimize::optimize(&model, &options).unwrap();
        let sim = common::solve::simulate(
            &model,
            &Schedule::Plan(out.plan.clone()),
            5,
            scenarios as u64,
            Some(1),
        );
        assert!(
            close(out.objective, sim.npv.mean),
            "{scenarios} futures: objective {} but the plan simulates to {}",
            out.objective,
            sim.npv.mean
        );
        let terminal = outcome(&sim, "terminal");
        assert_eq!(terminal.p_delivered, 1.0);
    }
}
