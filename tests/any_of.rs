//! Any-of requirements ("a catalog, built or bought"): a feature waits for the first of
//! several features delivered, plus a lag. The simulator against hand-computed answers, the
//! optimizer in every mode against a hand-computed optimum, the checker's words, the backlog
//! CSV's syntax, and validation's messages.

mod common;

use common::build::Scenario;
use common::cli::run as roadmap;
use common::load::{model_from, try_load_with_backlog};
use roadmap::model::{Model, Order, Plan};
use roadmap::optimize::{optimize, Mode};
use roadmap::plan_check::{check_plan, Breach, CheckBasis};
use roadmap::report::violation::sentence;
use roadmap::simulate::{Schedule, SimResult};

fn in_file_order(model: &Model) -> Schedule {
    Schedule::Order(Order {
        features: (0..model.features.len()).collect(),
    })
}

fn run(model: &Model, schedule: &Schedule) -> SimResult {
    common::solve::simulate(model, schedule, 3, 4, Some(1))
}

fn outcome<'a>(result: &'a SimResult, id: &str) -> &'a roadmap::simulate::FeatureOutcome {
    result.features.iter().find(|f| f.id == id).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Four quarters from 2027Q1, value counted to month 24, undiscounted. Team a builds the
/// catalog (25 weeks at 100 a week, 10 a quarter: done at week 32.5, in 2027Q3); team b
/// (10 a quarter, paid nothing) buys it (12 weeks: done at 13 + 2/10 x 13 = 15.6, in 2027Q2;
/// a 2,000 licence) and then builds search (4 weeks: done at 15.6 + 5.2 = 20.8, in 2027Q2).
/// Search earns 1,000 a month and needs a catalog, built or bought: `extra` adds to it.
fn catalog(search_requires: &str, buy_extra: &str) -> Model {
    model_from(
        Scenario::quarters(4)
            .raw("horizon_months = 24\ndiscount_rate = 0\n\n")
            .team("a", "capacity = 10\ncost_per_week = 100")
            .team("b", "capacity = 10")
            .feature("build", "effort = { a = 25 }")
            .feature(
                "buy",
                &format!("effort = {{ b = 12 }}\ncost = 2000\n{buy_extra}"),
            )
            .feature(
                "search",
                &format!("effort = {{ b = 4 }}\nvalue = 1000\nrequires = [{search_requires}]"),
            )
            .text(),
    )
}

/// With a lag of one period, search waits for the catalog bought first (2027Q2) and ships a
/// period later, in 2027Q3 (its own work done at week 20.8): months 9 to 24 earn 15,000. Less
/// the licence and the 2,500 of team time on the build: 10,500. Without the lag it ships with
/// the bought catalog in 2027Q2: 18 months, 18,000, and 13,500.
#[test]
fn a_feature_waits_for_the_first_alternative_delivered_plus_the_lag() {
    let m = catalog("{ any = [\"build\", \"buy\"], lag = 1 }", "");
    let r = run(&m, &in_file_order(&m));
    assert_eq!(outcome(&r, "buy").p50_period.as_deref(), Some("2027Q2"));
    assert_eq!(outcome(&r, "build").p50_period.as_deref(), Some("2027Q3"));
    let search = outcome(&r, "search");
    assert_eq!(search.p50_period.as_deref(), Some("2027Q3"));
    assert!(close(search.mean_completion_week.unwrap(), 20.8));
    assert!(close(r.npv.mean, 10_500.0), "{}", r.npv.mean);
    assert_eq!(r.npv.std_error, 0.0);

    let m = catalog("{ any = [\"build\", \"buy\"] }", "");
    let r = run(&m, &in_file_order(&m));
    let search = outcome(&r, "search");
    assert_eq!(search.p50_period.as_deref(), Some("2027Q2"));
    assert!(close(search.mean_completion_week.unwrap(), 20.8));
    assert!(close(r.npv.mean, 13_500.0), "{}", r.npv.mean);
}

/// When the bought catalog cannot start before 2027Q4 (and then does not finish: 12 weeks of
/// 10), the built one, in 2027Q3, is the first delivered: search ships in 2027Q4 and earns
/// months 12 to 24, 12,000. The licence is still paid when buying starts, and the build's
/// team time: 7,500. Search's own work, done in 2027Q1 (team b works on it while the purchase
/// must wait), does not ship it sooner.
#[test]
fn the_alternative_that_ships_first_is_the_one_that_counts() {
    let m = catalog("{ any = [\"build\", \"buy\"], lag = 1 }", "earliest = 4");
    let r = run(&m, &in_file_order(&m));
    assert_eq!(outcome(&r, "buy").p_delivered, 0.0);
    let search = outcome(&r, "search");
    assert_eq!(search.p50_period.as_deref(), Some("2027Q4"));
    assert!(close(search.mean_completion_week.unwrap(), 5.2));
    assert!(close(r.npv.mean, 7_500.0), "{}", r.npv.mean);

    // With neither alternative delivered, search never ships.
    let m = catalog("{ any = [\"build\", \"buy\"], lag = 1 }", "earliest = 4");
    let order = Schedule::Order(Order {
        features: vec![1, 2],
    });
    let r = run(&m, &order);
    assert_eq!(outcome(&r, "search").p_delivered, 0.0);
}

/// A plan that puts search in 2027Q2 while its only planned alternative ships in 2027Q2 with
/// a lag of one: the simulator releases it in 2027Q3, never on plan; the checker names why.
#[test]
fn a_plan_that_breaks_a_group_is_flagged_and_slips_in_simulation() {
    let m = catalog("{ any = [\"build\", \"buy\"], lag = 1 }", "");
    let plan = Plan::new(vec![None, Some(1), Some(1)]);
    let r = run(&m, &Schedule::Plan(plan.clone()));
    let search = outcome(&r, "search");
    assert_eq!(search.p_on_plan, Some(0.0));
    assert_eq!(search.p50_period.as_deref(), Some("2027Q3"));
    let violations = check_plan(&m, &plan, &CheckBasis::expected(&m));
    assert_eq!(violations.len(), 1);
    assert!(matches!(violations[0].breach, Breach::AnyOfUnmet { .. }));
    assert_eq!(
        sentence(&violations[0].breach),
        "search is planned in 2027Q2 but requires one of build, buy 1 period before it, and the first planned, buy, is in 2027Q2"
    );
    let none = Plan::new(vec![None, None, Some(3)]);
    let violations = check_plan(&m, &none, &CheckBasis::expected(&m));
    assert_eq!(
        sentence(&violations[0].breach),
        "search is planned in 2027Q4 but requires one of build, buy 1 period before it, and the plan leaves both out"
    );
    assert!(check_plan(
        &m,
        &Plan::new(vec![None, Some(1), Some(2)]),
        &CheckBasis::expected(&m)
    )
    .is_empty());
}

/// Built or bought, not both: build takes team a 15 weeks (done in 2027Q2, 1,500 of team
/// time), buy is a 6,000 licence with no work (2027Q1). Search (team b, 8 weeks at 100, in
/// the quarter it may ship) earns 1,000 a month to month 24, undiscounted, and is mandatory.
/// - bought: search in 2027Q1 earns 21,000, less 6,000 and 800: 14,200;
/// - built: search in 2027Q2 earns 18,000, less 1,500 and 800: 15,700, the optimum.
///
/// Every mode finds it: nothing is uncertain, so robust and stochastic plans are the
/// deterministic one, and the value-per-effort start picks an alternative for the mandatory
/// feature.
#[test]
fn the_optimizer_chooses_the_alternative_worth_most_in_every_mode() {
    let m = model_from(
        Scenario::quarters(4)
            .raw("horizon_months = 24\ndiscount_rate = 0\n\n")
            .team("a", "capacity = 10\ncost_per_week = 100")
            .team("b", "capacity = 10\ncost_per_week = 100")
            .feature("build", "effort = { a = 15 }\nexcludes = \"buy\"")
            .feature("buy", "cost = 6000")
            .feature(
                "search",
                "effort = { b = 8 }\nvalue = 1000\nmandatory = true\nrequires = { any = [\"build\", \"buy\"] }",
            )
            .text(),
    );
    let modes = [
        Mode::Deterministic,
        Mode::Robust { confidence: 0.8 },
        Mode::Stochastic {
            scenarios: 2,
            risk_aversion: 0.0,
            cvar_alpha: 0.9,
            overtime_premium: None,
        },
    ];
    for mode in modes {
        let options = roadmap::optimize::OptimizeOptions {
            mode,
            ..common::solve::exact()
        };
        let o = optimize(&m, &options).unwrap();
        match mode {
            // A stochastic plan need not fit capacity: its futures ship what does not fit
            // later. Planning both in 2027Q1 ships them in 2027Q2, worth the same.
            Mode::Stochastic { .. } => {
                assert_eq!(o.plan.periods[1], None, "{:?}", o.plan);
                assert!(o.plan.periods[0] <= o.plan.periods[2], "{:?}", o.plan);
            }
            _ => {
                assert_eq!(o.plan.periods, [Some(1), None, Some(1)], "{mode:?}");
                assert!(o.violations.is_empty(), "{mode:?}: {:?}", o.violations);
            }
        }
        assert!(close(o.objective, 15_700.0), "{mode:?}: {}", o.objective);
        assert!(o.start.missing.is_none(), "{mode:?}: {:?}", o.start.missing);
        let r = run(&m, &Schedule::Plan(o.plan.clone()));
        assert!(close(r.npv.mean, 15_700.0), "{mode:?}: {}", r.npv.mean);
    }
    // Dearer to build (25 weeks: 2027Q3, 2,500), buying wins: 14,200 against 15,000 less
    // 3,300, 11,700.
    let text = |weeks: u32| {
        Scenario::quarters(4)
            .raw("horizon_months = 24\ndiscount_rate = 0\n\n")
            .team("a", "capacity = 10\ncost_per_week = 100")
            .team("b", "capacity = 10\ncost_per_week = 100")
            .feature(
                "build",
                &format!("effort = {{ a = {weeks} }}\nexcludes = \"buy\""),
            )
            .feature("buy", "cost = 6000")
            .feature(
                "search",
                "effort = { b = 8 }\nvalue = 1000\nrequires = { any = [\"build\", \"buy\"] }",
            )
            .text()
            .to_string()
    };
    let o = optimize(&model_from(&text(25)), &common::solve::exact()).unwrap();
    assert_eq!(o.plan.periods, [None, Some(0), Some(0)]);
    assert!(close(o.objective, 14_200.0), "{}", o.objective);
}

/// The export's LP has one any-of row per period of the feature's window, naming the group:
/// delivered by t only if one of the alternatives is delivered by t.
#[test]
fn the_lp_holds_one_row_per_period_for_a_group() {
    let m = catalog("{ any = [\"build\", \"buy\"], lag = 1 }", "");
    let lp = roadmap::optimize::lp_text(&m, &roadmap::optimize::OptimizeOptions::default());
    let rows: Vec<&str> = lp.lines().filter(|l| l.contains("requires_any(")).collect();
    // Search's window: 2027Q3 (the purchase, in 2027Q2, plus the lag) to 2027Q4.
    assert_eq!(rows.len(), 2, "{lp}");
    // In 2027Q3 only the purchase can be in (the build's window opens in 2027Q3).
    assert!(
        rows[0].contains("requires_any(search,1,2027Q3)"),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("by(search,2027Q3)") && rows[0].contains("by(buy,2027Q2)"));
    assert!(!rows[0].contains("build"), "{}", rows[0]);
    assert!(
        rows[1].contains("requires_any(search,1,2027Q4)"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains("by(build,2027Q3)") && rows[1].contains("by(buy,2027Q3)"));
}

/// In a backlog CSV, `a|b` in the requires cell is a group; the summary counts it as a
/// dependency, said apart.
#[test]
fn a_backlog_cell_writes_a_group_with_a_bar() {
    let toml = "[plan]\nperiods = 4\n\n[backlog]\nfile = \"b.csv\"\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n";
    let csv = "id,effort_web,value,requires\nbuild,4,,\nbuy,1,,\napi,1,,\nsearch,2,1000,api; build | buy\n";
    let loaded = try_load_with_backlog("s.toml", toml, csv).unwrap();
    let m = loaded.model;
    let search = &m.features[3];
    assert_eq!(search.requires.len(), 1);
    assert_eq!(search.requires_any.len(), 1);
    assert_eq!(search.requires_any[0].features, [0, 1]);
    assert_eq!(search.requires_any[0].lag_periods, 0);
}

/// What validation says, file, line and fix, with exit code 2.
#[test]
fn validation_names_what_is_wrong_with_a_group() {
    let case = |requires: &str, extra: &str| {
        let file = Scenario::quarters(4)
            .team("web", "capacity = 10")
            .feature("build", &format!("effort = {{ web = 2 }}\n{extra}"))
            .feature("buy", "effort = { web = 1 }")
            .feature(
                "search",
                &format!("effort = {{ web = 1 }}\nvalue = 100\nrequires = [{requires}]"),
            )
            .write();
        let (code, _, err) = roadmap(&["validate", file.arg()]);
        (code, err.replace(file.arg(), "s.toml"))
    };
    let (code, err) = case("{ any = [\"build\", \"bild\"] }", "");
    assert_eq!(code, 2);
    assert!(
        err.contains("s.toml:22:31: features[search].requires[0].any[1]: unknown feature `bild`"),
        "{err}"
    );
    assert!(err.contains("did you mean `build`?"), "{err}");

    let (code, err) = case("{ any = [\"build\"] }", "");
    assert_eq!(code, 2);
    assert!(err.contains("features[search].requires[0].any: an any-of group needs at least two features to choose from; this one names only `build`"), "{err}");
    assert!(
        err.contains("write a plain requirement: requires = [\"build\"]"),
        "{err}"
    );

    let (code, err) = case("{ any = [\"build\", \"search\"] }", "");
    assert_eq!(code, 2);
    assert!(
        err.contains("features[search].requires[0].any[1]: `search` is in its own any-of group"),
        "{err}"
    );

    // Both alternatives wait for search: a cycle.
    let (code, err) = case("{ any = [\"build\", \"buy\"] }", "requires = \"search\"\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("`build` waits for `search` itself (build -> search)"),
        "{err}"
    );
    let file = Scenario::quarters(4)
        .team("web", "capacity = 10")
        .feature("build", "effort = { web = 2 }\nrequires = \"search\"")
        .feature("buy", "effort = { web = 1 }\nrequires = \"build\"")
        .feature(
            "search",
            "effort = { web = 1 }\nvalue = 100\nrequires = { any = [\"build\", \"buy\"], lag = 1 }",
        )
        .write();
    let (code, _, err) = roadmap(&["validate", file.arg()]);
    assert_eq!(code, 2);
    assert!(err.contains("dependency cycle: every feature of this any-of group waits for `search` itself: build -> search; buy -> build -> search"), "{err}");

    // A mandatory feature whose alternatives all come too late for its deadline.
    let file = Scenario::quarters(4)
        .team("web", "capacity = 10")
        .feature("build", "effort = { web = 2 }\nearliest = 3")
        .feature("buy", "effort = { web = 1 }\nearliest = 4")
        .feature(
            "search",
            "effort = { web = 1 }\nmandatory = true\ndeadline = 3\nrequires = { any = [\"build\", \"buy\"], lag = 1 }",
        )
        .write();
    let (code, _, err) = roadmap(&["validate", file.arg()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot meet its hard deadline 2027Q3: the earliest possible delivery is 2027Q4, because it requires one of `build`, `buy` (the soonest, `build`, possible from 2027Q3, then a lag of 1 period(s))"), "{err}");
}

/// The format reference's example of groups (scenarios/README.md, "requires") is a valid
/// scenario once it has a plan, teams and the segment it names.
#[test]
fn the_format_reference_example_of_groups_validates() {
    let doc = std::fs::read_to_string(common::cli::root().join("scenarios/README.md")).unwrap();
    let section = &doc[doc
        .find("**Any one of several.**")
        .expect("the any-of paragraph")..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let text = format!(
        "[plan]\nperiods = 4\n\n[[teams]]\nid = \"web\"\ncapacity = 20\n\n[[teams]]\nid = \"platform\"\ncapacity = 14\n\n\
         [[segments]]\nid = \"buyers\"\ndemand = 1000\nprice = 45\n\n{example}"
    );
    let m = model_from(&text);
    let reorder = &m.features[m.feature_index("smart-reorder").unwrap()];
    assert_eq!(reorder.requires.len(), 1);
    assert_eq!(reorder.requires_any[0].features, [0, 1]);
    assert_eq!(reorder.requires_any[0].lag_periods, 1);
}

/// In the stochastic mode each future releases a feature after the alternative that future
/// releases first: on its own futures the objective is the simulator's NPV of its plan. Two
/// single sign-on integrations with uncertain efforts on two teams both earn, so both are
/// planned, and which ships first differs from future to future; the admin console needs
/// either, the reports a quarter after either.
#[test]
fn each_future_waits_for_its_own_first_alternative() {
    let m = model_from(
        Scenario::quarters(4)
            .raw("horizon_months = 24\ndiscount_rate = 0.1\n\n")
            .team("web", "capacity = 12\ncost_per_week = 100")
            .team("platform", "capacity = 12\ncost_per_week = 100")
            .feature("okta", "effort = { web = [3, 8, 20] }\nvalue = 500")
            .feature("azure", "effort = { platform = [3, 8, 20] }\nvalue = 400")
            .feature(
                "admin",
                "effort = { web = [1, 2, 4] }\nvalue = 1500\nrequires = { any = [\"okta\", \"azure\"] }",
            )
            .feature(
                "reports",
                "effort = { platform = [1, 2, 3] }\nvalue = 800\nrequires = { any = [\"okta\", \"azure\"], lag = 1 }",
            )
            .text(),
    );
    let mut compared = 0;
    for seed in [3u64, 17, 40] {
        let options = roadmap::optimize::OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios: 6,
                risk_aversion: 0.0,
                cvar_alpha: 0.9,
                overtime_premium: None,
            },
            seed,
            time_limit_seconds: Some(60.0),
            ..common::solve::exact()
        };
        let o = optimize(&m, &options).unwrap();
        let r = common::solve::simulate(&m, &Schedule::Plan(o.plan.clone()), seed, 6, Some(1));
        let ships = o
            .plan
            .planned()
            .all(|(f, _)| outcome(&r, &m.features[f].id).p_delivered == 1.0);
        if ships {
            compared += 1;
            assert!(
                (o.objective - r.npv.mean).abs() <= 1e-6 * (1.0 + r.npv.mean.abs()),
                "seed {seed}: objective {} but the plan {:?} simulates to {}",
                o.objective,
                o.plan,
                r.npv.mean
            );
        }
    }
    assert!(compared >= 2, "only {compared} plans ship everything");
}

/// A mandatory feature's group forces no alternative in particular, but one of them must fit:
/// when neither does beside the mandatory work, the diagnosis says so, alternative by
/// alternative. Search (2027Q2, hard) needs the 25-week build on team a or the 28-week
/// purchase on team b; each team has 20 weeks by then.
#[test]
fn the_diagnosis_names_a_group_none_of_whose_alternatives_fits() {
    let file = Scenario::quarters(4)
        .team("a", "capacity = 10")
        .team("b", "capacity = 10")
        .feature("build", "effort = { a = 25 }")
        .feature("buy", "effort = { b = 28 }")
        .feature(
            "search",
            "effort = { a = 1 }\nvalue = 100\nmandatory = true\ndeadline = \"2027Q2\"\nrequires = { any = [\"build\", \"buy\"] }",
        )
        .write();
    let (code, _, err) = roadmap(&["optimize", file.arg(), "--mode", "deterministic"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("search (mandatory, hard deadline 2027Q2) needs one of build or buy by 2027Q2, and none can be: build with the mandatory work needs 26 weeks of team a in 2027Q1–2027Q2, which has 20; buy with the mandatory work needs 28 weeks of team b in 2027Q1–2027Q2, which has 20."),
        "{err}"
    );
    assert!(
        err.contains("give search an alternative that fits"),
        "{err}"
    );
}

/// An order normalised: a group already met stays as it is, a group with an alternative later
/// in the order pulls that one forward, and a group whose alternatives are all excluded by a
/// feature the order keeps drops the feature, saying why.
#[test]
fn an_order_pulls_forward_one_alternative_or_drops_what_cannot_be_met() {
    let m = model_from(
        Scenario::quarters(4)
            .team("web", "capacity = 10")
            .feature("build", "effort = { web = 2 }")
            .feature("buy", "effort = { web = 1 }")
            .feature(
                "search",
                "effort = { web = 1 }\nvalue = 100\nrequires = { any = [\"build\", \"buy\"] }",
            )
            .feature(
                "x",
                "effort = { web = 1 }\nvalue = 10\nexcludes = [\"build\", \"buy\"]",
            )
            .text(),
    );
    let order = |features: Vec<usize>| Order { features }.normalised(&m);
    // buy ranks above build in the order: it is pulled forward.
    let (o, changes) = order(vec![2, 1, 0]);
    assert_eq!(o.features, [1, 2, 0]);
    assert_eq!(
        changes,
        [roadmap::model::plan::OrderChange::PulledForward {
            feature: 1,
            needed_by: 2
        }]
    );
    // Neither in the order: the first listed.
    assert_eq!(order(vec![2]).0.features, [0, 2]);
    // Already met by buy: nothing moves.
    assert_eq!(order(vec![1, 2]).0.features, [1, 2]);
    // x excludes both: search cannot be met.
    let (o, changes) = order(vec![3, 2, 0]);
    assert_eq!(o.features, [3]);
    let words = roadmap::report::simulate::describe_changes(&m, &changes);
    assert_eq!(
        words[0],
        "search dropped: it needs one of build, buy, and each was dropped or is excluded"
    );
}

/// A plan file whose feature comes before any alternative of its group is run with a warning
/// on its row, saying what would mend it.
#[test]
fn a_plan_file_that_breaks_a_group_is_warned_about() {
    let file = Scenario::quarters(4)
        .team("web", "capacity = 10")
        .feature("build", "effort = { web = 2 }")
        .feature("buy", "effort = { web = 1 }")
        .feature(
            "search",
            "effort = { web = 1 }\nvalue = 100\nrequires = { any = [\"build\", \"buy\"], lag = 1 }",
        )
        .write();
    let plan = file.dir.join("plan.csv");
    std::fs::write(&plan, "feature,period\nsearch,2027Q2\nbuy,2027Q2\n").unwrap();
    let (code, _, err) = roadmap(&[
        "simulate",
        file.arg(),
        "--plan",
        plan.to_str().unwrap(),
        "--trials",
        "10",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("plan.csv:2:"), "{err}");
    assert!(err.contains("`search` is planned for 2027Q2, but it must come at least 1 period after one of `build`, `buy`, and the first planned, `buy`, is planned for 2027Q2"), "{err}");
    assert!(
        err.contains("help: plan `search` in 2027Q3 or later, or one of them in 2027Q1 or earlier"),
        "{err}"
    );
    std::fs::write(&plan, "feature,period\nsearch,2027Q4\n").unwrap();
    let (code, _, err) = roadmap(&[
        "simulate",
        file.arg(),
        "--plan",
        plan.to_str().unwrap(),
        "--trials",
        "10",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("`search` requires one of `build`, `buy`, which the plan leaves out, so `search` can never be delivered"), "{err}");
}

/// Work done before the plan: a done alternative meets the group (it leaves the model), with
/// a warning when the group's lag of two periods cannot be held; a done feature whose group
/// has nothing done waits for nothing, with a warning. Alternatives that exclude what the
/// feature needs for sure leave it no way to be delivered: an error.
#[test]
fn status_and_exclusions_around_a_group() {
    let m = model_from(
        Scenario::quarters(4)
            .team("web", "capacity = 10")
            .feature("build", "effort = { web = 2 }\nstatus = \"done\"")
            .feature("buy", "effort = { web = 1 }")
            .feature("search", "effort = { web = 1 }\nvalue = 100\nrequires = { any = [\"build\", \"buy\"], lag = 2 }")
            .text(),
    );
    assert_eq!(m.features.len(), 2);
    assert!(m.features[1].requires_any.is_empty());

    let file = Scenario::quarters(4)
        .team("web", "capacity = 10")
        .feature("build", "effort = { web = 2 }\nstatus = \"done\"")
        .feature("buy", "effort = { web = 1 }\nvalue = 10")
        .feature(
            "search",
            "effort = { web = 1 }\nvalue = 100\nrequires = { any = [\"build\", \"buy\"], lag = 2 }",
        )
        .feature(
            "report",
            "effort = { web = 1 }\nstatus = \"done\"\nrequires = { any = [\"buy\", \"search\"] }",
        )
        .write();
    let (code, _, err) = roadmap(&["validate", file.arg()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("`build` is done before the plan starts, so this group is met from the first period; its lag of 2 periods is not held"), "{err}");
    assert!(
        err.contains(
            "`report` is done, but it requires one of `buy`, `search`, none of which is done"
        ),
        "{err}"
    );

    let file = Scenario::quarters(4)
        .team("web", "capacity = 10")
        .feature("base", "effort = { web = 1 }\nvalue = 10")
        .feature("build", "effort = { web = 2 }\nexcludes = \"base\"")
        .feature("buy", "effort = { web = 1 }\nexcludes = \"base\"")
        .feature(
            "search",
            "effort = { web = 1 }\nvalue = 100\nrequires = [\"base\", { any = [\"build\", \"buy\"] }]",
        )
        .write();
    let (code, _, err) = roadmap(&["validate", file.arg()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`search` can never be delivered: every alternative of its any-of group clashes with what it needs (with `build`, `base` and `build` exclude each other; with `buy`, `base` and `buy` exclude each other)"), "{err}");
}
