//! Work already behind the plan: a done feature is in no plan (what needs it may ship in the
//! first period, it takes no capacity and no spend, and its value is in no NPV), and a feature
//! in progress is planned and simulated with only the work that remains. The same in the
//! TOML file, the backlog CSV (with a tracker's statuses), `--set`, plan files and reports.

mod common;

use common::build::Scenario;
use common::cli::{run, stdout_of};
use common::load::{findings, loaded, model_from, try_load_with_backlog};
use common::solve::{exact, simulate};
use roadmap::model::{Model, Order, Status};
use roadmap::optimize;
use roadmap::simulate::Schedule;

/// One web team of 13 person-weeks a quarter (one a week), nothing discounted: weeks and
/// money are easy to count by hand.
fn one_a_week(periods: usize) -> Scenario {
    Scenario::quarters(periods)
        .raw("discount_rate = 0\n\n")
        .team("web", "capacity = 13\ncost_per_week = 1000")
}

fn index(model: &Model, id: &str) -> usize {
    model
        .feature_index(id)
        .unwrap_or_else(|| panic!("no feature {id}"))
}

/// `a` (10 person-weeks) must ship before `b` (8 person-weeks); both do not fit one quarter.
fn prerequisite(status_of_a: &str) -> Model {
    model_from(
        one_a_week(3)
            .feature("a", &format!("effort = {{ web = 10 }}\n{status_of_a}"))
            .feature(
                "b",
                "effort = { web = 8 }\nvalue = 1000\nrequires = [\"a\"]",
            )
            .text(),
    )
}

#[test]
fn a_done_prerequisite_unblocks_its_dependent_in_the_first_period() {
    // Not done, `a` takes 10 of the first quarter's 13 person-weeks, so `b` ships in the
    // second at the earliest: the contrast that makes the test able to fail.
    let waiting = prerequisite("");
    let outcome = optimize::optimize(&waiting, &exact()).unwrap();
    assert_eq!(outcome.plan.periods[index(&waiting, "b")], Some(1));

    let model = prerequisite("status = \"done\"");
    assert_eq!(model.done.len(), 1);
    assert_eq!(model.done[0].id, "a");
    let b = index(&model, "b");
    assert!(model.features[b].requires.is_empty());

    // The optimizer: `b` in the first quarter, and only its own 8 person-weeks planned.
    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.plan.periods[b], Some(0));
    assert_eq!(outcome.work[0][0], 8.0);

    // The simulator, by plan and by order: 8 person-weeks at one a week ship in week 8.
    for schedule in [
        Schedule::Plan(outcome.plan.clone()),
        Schedule::Order(Order { features: vec![b] }),
    ] {
        let result = simulate(&model, &schedule, 7, 200, Some(1));
        let f = &result.features[0];
        assert_eq!(f.id, "b");
        assert_eq!(f.p_delivered, 1.0);
        assert_eq!(f.p50_period.as_deref(), Some("2027Q1"));
        assert_eq!(f.mean_completion_week, Some(8.0));
        // No capacity and no spend for the done work: 8 person-weeks at 1,000.
        assert_eq!(result.spend.mean, 8000.0);
    }
}

#[test]
fn work_in_progress_plans_and_simulates_only_what_remains() {
    // 30 person-weeks estimated at the start, 6 left: at one a week it ships in week 6, in
    // the first quarter; its whole estimate would take it to week 30, the third quarter.
    let text = one_a_week(4)
        .feature(
            "x",
            "status = \"in-progress\"\neffort = { web = 30 }\nremaining = { web = 6 }\nvalue = 3000",
        )
        .text()
        .to_string();
    let model = model_from(&text);
    let x = index(&model, "x");
    assert_eq!(model.features[x].status, Status::InProgress);
    // The whole estimate is not an input any more: nothing reads it.
    assert!(model.inputs.iter().all(|i| !i.name.contains(".effort.")));

    let outcome = optimize::optimize(&model, &exact()).unwrap();
    assert_eq!(outcome.plan.periods[x], Some(0));
    assert_eq!(outcome.work[0][0], 6.0);

    let result = simulate(&model, &Schedule::Plan(outcome.plan), 3, 200, Some(1));
    let f = &result.features[0];
    assert_eq!(f.status, Status::InProgress);
    assert_eq!(f.mean_completion_week, Some(6.0));
    assert_eq!(f.p50_period.as_deref(), Some("2027Q1"));
    // The work already spent is sunk: only the 6 person-weeks left are paid.
    assert_eq!(result.spend.mean, 6000.0);
    // Value from the end of the first quarter (month 3) to the horizon (month 36) at 3,000 a
    // month, less the 6,000 of team time.
    assert_eq!(model.time.horizon_months, 36.0);
    assert!(
        (result.npv.mean - (33.0 * 3000.0 - 6000.0)).abs() < 1e-6,
        "{}",
        result.npv.mean
    );

    // The same feature not started plans its whole estimate.
    let whole = model_from(
        one_a_week(4)
            .feature("x", "effort = { web = 30 }\nvalue = 3000")
            .text(),
    );
    let outcome = optimize::optimize(&whole, &exact()).unwrap();
    assert_eq!(outcome.plan.periods[0], Some(2));
}

/// A portfolio around `sso`: requirements on it (one with a lag), deals with it (one with
/// nothing else), a mandatory deadline on it, capacity and a budget that bind.
fn portfolio(sso_done: bool) -> String {
    let sso = if sso_done {
        "[[features]]\nid = \"sso\"\nstatus = \"done\"\neffort = { web = [4, 6, 10], platform = [2, 3, 6] }\nuplift = { smb = [0.01, 0.02, 0.04] }\nmandatory = true\ndeadline = \"2027Q1\"\n\n"
    } else {
        ""
    };
    // What a list says with `sso` done, and without `sso` at all.
    let on_sso = |with: &'static str, without: &'static str| if sso_done { with } else { without };
    let mut text = String::from(
        "[plan]\nperiods = 4\nstart = \"2027Q1\"\nbudget = 150000\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 8\ncost_per_week = 1000\n\n\
         [[teams]]\nid = \"platform\"\ncapacity = 6\ncost_per_week = 1200\n\n\
         [[segments]]\nid = \"smb\"\ndemand = [800, 1000, 1500]\nprice = 50\n\n",
    );
    text.push_str(sso);
    text.push_str(&format!(
        "[[features]]\nid = \"scim\"\neffort = {{ platform = [4, 6, 9], web = 3 }}\nvalue = [1000, 2000, 4000]\nrequires = [{}]\n\n",
        on_sso("\"sso\"", "")
    ));
    text.push_str(&format!(
        "[[features]]\nid = \"admin\"\neffort = {{ web = [6, 8, 14] }}\nvalue = [2000, 3000, 5000]\nrequires = [{}]\n\n",
        on_sso("\"scim\", { id = \"sso\", lag = 1 }", "\"scim\"")
    ));
    text.push_str(
        "[[features]]\nid = \"audit\"\neffort = { platform = [3, 4, 8] }\nvalue = [500, 1000, 2000]\n\n\
         [[features]]\nid = \"reports\"\neffort = { web = [3, 5, 8] }\nvalue = 1500\n\
         deadline = { period = \"2027Q2\", kind = \"soft\", penalty = 5000 }\n\n\
         [[features]]\nid = \"big-bet\"\neffort = { web = [14, 20, 30], platform = [4, 6, 8] }\nvalue = [4000, 8000, 16000]\n\n",
    );
    text.push_str(&format!(
        "[[deals]]\nid = \"globex\"\nfeatures = [{}]\none_off = 20000\nby = \"2027Q3\"\n\n",
        on_sso("\"sso\", \"scim\"", "\"scim\"")
    ));
    if sso_done {
        text.push_str("[[deals]]\nid = \"initech\"\nfeatures = [\"sso\"]\none_off = 5000\n\n");
    }
    text
}

#[test]
fn the_optimum_with_a_feature_done_is_the_optimum_without_it_and_its_edges() {
    let with_done = loaded("with.toml", portfolio(true));
    let model = &with_done.model;
    let without = model_from(&portfolio(false));
    assert_eq!(model.features.len(), without.features.len());
    // The deal that waited only for the done feature leaves the plan's value, with a word.
    assert_eq!(model.deals.len(), 1);
    assert!(
        with_done.warnings.iter().any(|w| w
            .to_string()
            .contains("deals[initech]: every feature of this deal is done")),
        "{:#?}",
        with_done.warnings
    );
    // The lag of one period after a done feature is met in the first period: no warning.
    assert!(
        !with_done
            .warnings
            .iter()
            .any(|w| w.to_string().contains("lag")),
        "{:#?}",
        with_done.warnings
    );

    let a = optimize::optimize(model, &exact()).unwrap();
    let b = optimize::optimize(&without, &exact()).unwrap();
    assert!(
        (a.objective - b.objective).abs() <= 1e-6 * b.objective.abs().max(1.0),
        "{} vs {}",
        a.objective,
        b.objective
    );
    let by_id = |m: &Model, periods: &[Option<usize>]| -> Vec<(String, Option<usize>)> {
        let mut v: Vec<_> = m
            .features
            .iter()
            .zip(periods)
            .map(|(f, p)| (f.id.clone(), *p))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        by_id(model, &a.plan.periods),
        by_id(&without, &b.plan.periods)
    );
    // The plan binds: something is left out, so the done work's freed capacity mattered.
    assert!(a.plan.periods.iter().any(Option::is_none));
    // Inputs are drawn by name, so both models see the same futures: the same plan is worth
    // exactly the same in both.
    let here = simulate(model, &Schedule::Plan(a.plan.clone()), 11, 500, Some(2));
    let there = simulate(&without, &Schedule::Plan(b.plan), 11, 500, Some(2));
    assert_eq!(here.npv.mean, there.npv.mean);
    assert_eq!(here.spend.mean, there.spend.mean);
    assert_eq!(
        model.uncertain_input_count(),
        without.uncertain_input_count()
    );
}

#[test]
fn misused_statuses_are_explained_with_file_line_field_and_fix() {
    for name in [
        "remaining-not-started",
        "remaining-done",
        "unknown-status",
        "in-progress-without-remaining",
        "done-alternative",
        "backlog-remaining-not-started",
    ] {
        let file = format!("tests/fixtures/progress/{name}.toml");
        let (code, stdout, stderr) = run(&["validate", &file]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(stderr.contains("help: "), "{name}: {stderr}");
        insta::assert_snapshot!(name, stderr);
    }
}

#[test]
fn a_done_feature_requiring_work_not_done_is_a_warning() {
    let text = one_a_week(2)
        .feature("a", "effort = { web = 2 }\nvalue = 100")
        .feature(
            "b",
            "status = \"done\"\neffort = { web = 2 }\nvalue = 100\nrequires = [\"a\"]",
        )
        .feature(
            "c",
            "effort = { web = 2 }\nvalue = 100\nrequires = [{ id = \"b\", lag = 2 }]",
        )
        .text()
        .to_string();
    let (errors, warnings) = findings(common::load::try_load("t.toml", text));
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        warnings.iter().any(|w| w.contains(
            "features[b].requires[0]: `b` is done, but it requires `a`, which is not done"
        )),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w
            .contains("features[c].requires[0]: `b` is done before the plan starts")
            && w.contains("lag of 2 periods is not held")),
        "{warnings:#?}"
    );
}

#[test]
fn a_backlog_with_jira_statuses_plans_only_the_work_left() {
    let toml = "[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[backlog]\nfile = \"b.csv\"\n\n[[teams]]\nid = \"web\"\ncapacity = 20\n\n[[deals]]\nid = \"acme\"\nfeatures = [\"PAY-1\", \"PAY-3\"]\none_off = 1000\n";
    let csv = "Issue key,Summary,Status,web_low,web_likely,web_high,web_remaining_low,web_remaining_likely,web_remaining_high,value,requires\n\
               PAY-1,Refunds,Done,2,3,5,,,,1000,\n\
               PAY-2,Partial refunds,In Progress,4,6,9,1,2,3,800,PAY-1\n\
               PAY-3,Refund reports,To Do,2,3,4,,,,500,PAY-2\n\
               PAY-4,Chargebacks,In Progress,,5,,,,,700,\n";
    let loaded = try_load_with_backlog("p.toml", toml, csv).unwrap();
    let m = &loaded.model;
    let ids: Vec<&str> = m.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["PAY-2", "PAY-3", "PAY-4"]);
    assert_eq!(m.done.len(), 1);
    assert_eq!(
        (m.done[0].id.as_str(), m.done[0].name.as_str()),
        ("PAY-1", "Refunds")
    );
    let status: Vec<Status> = m.features.iter().map(|f| f.status).collect();
    assert_eq!(
        status,
        [Status::InProgress, Status::NotStarted, Status::InProgress]
    );
    let mean_effort =
        |f: usize| -> f64 { m.features[f].effort.iter().map(|e| m.mean(e.weeks)).sum() };
    // What remains of PAY-2 (1/2/3), not its whole 4/6/9.
    assert_eq!(mean_effort(0), 2.0);
    assert_eq!(
        m.input(m.features[0].effort[0].weeks).name,
        "features[PAY-2].remaining.web"
    );
    assert_eq!(mean_effort(1), 3.0);
    // PAY-4 says no remaining work: planned with its whole estimate, with a warning.
    assert_eq!(mean_effort(2), 5.0);
    // The requirement on the done PAY-1 is met; PAY-3 still waits for PAY-2.
    assert!(m.features[0].requires.is_empty());
    assert_eq!(m.features[1].requires[0].feature, 0);
    // The deal waits only for PAY-3.
    assert_eq!(m.deals[0].features, [1]);
    let w: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].contains("b.csv:5: column `Status`: 1 row is in progress with no remaining estimate"),
        "{w:#?}"
    );

    // The backlog's own status column, in the scenario's words, with one-cell estimates.
    let csv = "id,status,effort_web,remaining_web,value\nA,done,3,,100\nB,in-progress,8,2/3/5,100\nC,not-started,4,,100\nD,Ready for QA,1,,100\n";
    let loaded =
        try_load_with_backlog("p.toml", toml.replace("PAY-1\", \"PAY-3", "A\", \"C"), csv).unwrap();
    let m = &loaded.model;
    assert_eq!(m.done[0].id, "A");
    assert_eq!(m.features[0].status, Status::InProgress);
    assert_eq!(
        m.mean(m.features[0].effort[0].weeks),
        (2.0 + 12.0 + 5.0) / 6.0
    );
    let w: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w.contains(
            "1 row has a status the plan does not know, planned as not started: `Ready for QA` (1)"
        )),
        "{w:#?}"
    );
}

#[test]
fn set_can_mark_a_feature_done_or_give_it_remaining_work() {
    let model = prerequisite("");
    let (variant, applied) = roadmap::scenario::overrides::apply(
        &model,
        &[
            "features.a.status=done".to_string(),
            "features.b.remaining.web=3".to_string(),
        ],
    )
    .unwrap();
    assert_eq!(variant.done[0].id, "a");
    assert_eq!(variant.features.len(), 1);
    let b = &variant.features[0];
    assert_eq!((b.id.as_str(), b.status), ("b", Status::InProgress));
    assert!(b.requires.is_empty());
    assert_eq!(variant.mean(b.effort[0].weeks), 3.0);
    assert_eq!(applied[0].after, "done");
    // The whole effort of work in progress is not what is planned; a done feature is gone.
    let refused = roadmap::scenario::overrides::apply(
        &variant,
        &[
            "features.b.effort.web=5".to_string(),
            "features.a.value=5".to_string(),
        ],
    )
    .unwrap_err();
    let text: Vec<String> = refused.iter().map(|f| f.to_string()).collect();
    assert!(
        text[0].contains("features[b] is in progress: what is planned is its remaining work"),
        "{text:#?}"
    );
    assert!(
        text[1].contains("`a` is done before the plan starts"),
        "{text:#?}"
    );
}

#[test]
fn whatif_says_which_work_one_side_has_done() {
    let out = stdout_of(common::cli::roadmap().args([
        "whatif",
        "scenarios/next-quarter.toml",
        "--set",
        "features.scim.status=done",
        "--mode",
        "deterministic",
        "--trials",
        "300",
    ]));
    assert!(
        out.contains("done on one side only: scim; done work is in no NPV"),
        "{out}"
    );
    let scim = out
        .lines()
        .find(|l| l.contains("(scim)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(scim.ends_with("done before the plan"), "{scim}");
}

#[test]
fn the_example_marks_done_and_in_progress_work_in_every_table() {
    let file = "scenarios/next-quarter.toml";
    let validate = stdout_of(common::cli::roadmap().args(["validate", file]));
    assert!(
        validate
            .contains("(1 in progress, remaining work only); 1 more done before the plan starts"),
        "{validate}"
    );
    let capacity = stdout_of(common::cli::roadmap().args(["capacity", file]));
    assert!(
        capacity.contains("Work done or under way when the plan starts"),
        "{capacity}"
    );
    let row = |text: &str, id: &str| -> String {
        text.lines()
            .find(|l| l.split_whitespace().any(|w| w == id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{text}"))
            .to_string()
    };
    assert!(row(&capacity, "sso").contains("done"));
    assert!(row(&capacity, "audit-log").contains("in progress"));
    let plan = stdout_of(common::cli::roadmap().args([
        "optimize",
        file,
        "--mode",
        "deterministic",
        "--trials",
        "200",
    ]));
    assert!(row(&plan, "sso").contains("done"), "{plan}");
    assert!(row(&plan, "audit-log").contains("in progress"), "{plan}");
    let sim = stdout_of(common::cli::roadmap().args(["simulate", file, "--trials", "200"]));
    assert!(row(&sim, "(sso)").contains("done"), "{sim}");
    assert!(row(&sim, "(audit-log)").contains("in progress"), "{sim}");
}

#[test]
fn a_plan_that_lists_a_done_feature_leaves_it_out_with_a_warning() {
    let model = prerequisite("status = \"done\"");
    let read = roadmap::scenario::plan_file::read_plan_text(
        "plan.csv",
        "feature,period\na,1\nb,1\n",
        &model,
    )
    .unwrap();
    assert_eq!(read.plan.periods, [Some(0)]);
    let w = read.warnings[0].to_string();
    assert!(
        w.contains("`a` is done before the plan starts, so it is left out"),
        "{w}"
    );
}

/// The README's re-plan shows the plan table as `optimize` prints it.
#[test]
fn the_readme_shows_the_replan_as_optimize_prints_it() {
    let readme = std::fs::read_to_string(common::cli::root().join("README.md")).unwrap();
    let command =
        "$ roadmap optimize scenarios/next-quarter.toml --mode deterministic --trials 2000\n";
    let start = readme.find(command).expect("the tour's re-plan") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = stdout_of(common::cli::roadmap().args([
        "optimize",
        "scenarios/next-quarter.toml",
        "--mode",
        "deterministic",
        "--trials",
        "2000",
    ]));
    // Each line shown is printed, in order; `...` stands for the lines left out.
    let mut printed = out.lines();
    for line in shown.lines().filter(|l| *l != "...") {
        assert!(
            printed.any(|p| p == line),
            "README line not printed (in this order):\n{line}\n\n{out}"
        );
    }
}

/// A done feature takes every input it carries out of the model, whatever kind: its recurring
/// cost and its vendor's slip as much as its effort. The features after it are renumbered and
/// must still read their own inputs: every input id in the model names its own feature.
#[test]
fn a_done_feature_takes_all_its_inputs_and_the_rest_keep_their_own() {
    let feature = |id: &str, status: &str| {
        format!(
            "[[features]]\nid = \"{id}\"\neffort = {{ web = [2, 3, 5] }}\nvalue = [100, 200, 400]\n\
             cost = [50, 60, 90]\nrecurring_cost = {{ per_month = [10, 20, 40] }}\n\
             vendor_ready = {{ date = \"2027-02-01\", delay_weeks = [1, 2, 4] }}\n{status}\n\n"
        )
    };
    let text = format!(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nstart = \"2027-01-01\"\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n{}{}{}",
        feature("shipped", "status = \"done\""),
        feature("half", "status = \"in-progress\"\nremaining = { web = 1 }"),
        feature("later", "")
    );
    let m = model_from(&text);
    assert_eq!(m.done.len(), 1);
    for f in &m.features {
        let mut ids = f.input_ids();
        ids.extend(f.recurring_cost.as_ref().and_then(|r| r.per_month));
        ids.extend(f.vendor_ready.as_ref().and_then(|v| v.delay_weeks));
        for id in ids {
            let name = &m.inputs[id.0 as usize].name;
            assert!(name.contains(&f.id), "{} reads {name}", f.id);
        }
    }
    assert!(m.inputs.iter().all(|i| !i.name.contains("shipped")));
}
