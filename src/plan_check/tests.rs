//! The plan rules, one scenario each, and Hall's condition against an earliest-deadline-first
//! schedule.

use super::capacity::first_overload;
use super::*;
use crate::model::expect;
use crate::model::test_model as model;
use proptest::prelude::*;

/// A plan from (feature id, 0-based period) pairs; features not listed are left out.
fn plan(model: &Model, planned: &[(&str, usize)]) -> Plan {
    let mut plan = Plan::empty(model);
    for &(id, p) in planned {
        plan.periods[model.feature_index(id).unwrap()] = Some(p);
    }
    plan
}

/// The sentence a report shows for a violation: the rules are tested in the words users read.
fn words(v: &Violation) -> String {
    crate::report::violation::sentence(&v.breach)
}

fn kinds(model: &Model, plan: &Plan) -> Vec<ViolationKind> {
    check_plan(model, plan, &CheckBasis::expected(model))
        .iter()
        .map(|v| v.kind)
        .collect()
}

const HEAD: &str = r#"
[plan]
periods = 3
start = "2027Q1"
[[teams]]
id = "web"
capacity = 100
"#;

fn with(features: &str) -> Model {
    model(&format!("{HEAD}{features}"))
}

#[test]
fn expectations_weight_risks_by_their_probability() {
    let m = model(
        r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = [10, 20]
capacity_factor = [0.6, 0.9, 0.9]
[[teams]]
id = "app"
capacity = 5
[[features]]
id = "a"
effort = { web = [2, 5, 14], app = 1 }
vendor_lead_weeks = 6
risks = [{ probability = 0.25, effort = { app = 8 }, delay_weeks = 4 }]
"#,
    );
    let b = CheckBasis::expected(&m);
    // PERT mean (2 + 20 + 14) / 6 = 6; app 1 + 0.25 x 8 = 3.
    assert!((b.effort[0][0] - 6.0).abs() < 1e-12);
    assert!((b.effort[0][1] - 3.0).abs() < 1e-12);
    // PERT mean of the factor (0.6 + 3.6 + 0.9) / 6 = 0.85.
    assert!((b.capacity[0][0] - 8.5).abs() < 1e-12);
    assert!((b.capacity[0][1] - 17.0).abs() < 1e-12);
    assert_eq!(b.capacity[1], vec![5.0, 5.0]);
    assert!((b.lead_weeks[0] - 7.0).abs() < 1e-12);
}

#[test]
fn a_mandatory_feature_must_be_delivered() {
    let m = with("[[features]]\nid = \"m\"\neffort = { web = 1 }\nmandatory = true\n");
    assert_eq!(kinds(&m, &Plan::empty(&m)), [ViolationKind::Mandatory]);
    assert!(kinds(&m, &plan(&m, &[("m", 2)])).is_empty());
}

#[test]
fn excluded_pairs_are_reported_once_whichever_side_declares_them() {
    let m = with(
        r#"
[[features]]
id = "a"
excludes = "b"
[[features]]
id = "b"
excludes = "a"
[[features]]
id = "c"
excludes = "a"
"#,
    );
    let v = check_plan(
        &m,
        &plan(&m, &[("a", 0), ("b", 1), ("c", 2)]),
        &CheckBasis::expected(&m),
    );
    let pairs: Vec<&Vec<usize>> = v.iter().map(|v| &v.features).collect();
    assert_eq!(pairs, [&vec![0, 1], &vec![2, 0]]);
    assert_eq!(
        words(&v[0]),
        "a and b exclude each other but the plan delivers both (a in 2027Q1, b in 2027Q2)"
    );
    assert!(kinds(&m, &plan(&m, &[("b", 0), ("c", 0)])).is_empty());
}

#[test]
fn requirements_must_be_delivered_with_their_lag() {
    let m = with(
        r#"
[[features]]
id = "base"
[[features]]
id = "top"
requires = [{ id = "base", lag = 1 }]
[[features]]
id = "side"
requires = "base"
"#,
    );
    let v = check_plan(&m, &plan(&m, &[("top", 2)]), &CheckBasis::expected(&m));
    assert_eq!(v.len(), 1);
    assert_eq!(words(&v[0]), "top requires base, which the plan leaves out");
    let v = check_plan(
        &m,
        &plan(&m, &[("base", 1), ("top", 1), ("side", 1)]),
        &CheckBasis::expected(&m),
    );
    assert_eq!(v.len(), 1);
    assert_eq!(
        words(&v[0]),
        "top is planned in 2027Q2 but requires base 1 period before it, which is planned in 2027Q2"
    );
    assert!(kinds(&m, &plan(&m, &[("base", 1), ("top", 2), ("side", 1)])).is_empty());
    assert_eq!(
        kinds(&m, &plan(&m, &[("base", 2), ("side", 1)])),
        [ViolationKind::Dependency]
    );
}

#[test]
fn hard_deadlines_bind_and_soft_ones_only_cost() {
    let m = with(
        r#"
[[features]]
id = "hard"
deadline = "2027Q2"
[[features]]
id = "soft"
deadline = { period = 1, kind = "soft", penalty = 100 }
"#,
    );
    assert!(kinds(&m, &plan(&m, &[("hard", 1), ("soft", 2)])).is_empty());
    let v = check_plan(&m, &plan(&m, &[("hard", 2)]), &CheckBasis::expected(&m));
    assert_eq!(v[0].kind, ViolationKind::HardDeadline);
    assert_eq!(
        words(&v[0]),
        "hard is planned in 2027Q3, after its hard deadline 2027Q2"
    );
}

#[test]
fn nothing_is_delivered_before_its_earliest_period() {
    let m = with("[[features]]\nid = \"late\"\nearliest = \"2027Q2\"\n");
    assert_eq!(
        kinds(&m, &plan(&m, &[("late", 0)])),
        [ViolationKind::Earliest]
    );
    assert!(kinds(&m, &plan(&m, &[("late", 1)])).is_empty());
}

#[test]
fn lead_time_counts_from_the_start_of_the_earliest_period() {
    // 13-week periods. 13 weeks of lead from the plan start end exactly with the first
    // period, which still counts; 14 weeks reach into the second.
    let m = with(
        r#"
[[features]]
id = "exact"
vendor_lead_weeks = 13
[[features]]
id = "over"
vendor_lead_weeks = 14
[[features]]
id = "risky"
vendor_lead_weeks = 12
risks = [{ probability = 0.5, delay_weeks = 4 }]
[[features]]
id = "later"
earliest = 2
vendor_lead_weeks = 13
"#,
    );
    let v = check_plan(
        &m,
        &plan(&m, &[("exact", 0), ("over", 0), ("risky", 0), ("later", 1)]),
        &CheckBasis::expected(&m),
    );
    let flagged: Vec<(ViolationKind, &[usize])> =
        v.iter().map(|v| (v.kind, &v.features[..])).collect();
    assert_eq!(
        flagged,
        [
            (ViolationKind::LeadTime, &[1][..]),
            (ViolationKind::LeadTime, &[2][..]),
        ]
    );
    assert_eq!(
        words(&v[0]),
        "over is planned in 2027Q1 but cannot complete before week 14.0 (2027Q2): 14.0 weeks of lead time from the start of 2027Q1"
    );
    assert!(kinds(&m, &plan(&m, &[("over", 1), ("risky", 1), ("later", 1)])).is_empty());
    // A robust basis with a longer lead moves "exact" out of its period.
    let mut robust = CheckBasis::expected(&m);
    robust.lead_weeks[0] = 13.5;
    let v = check_plan(&m, &plan(&m, &[("exact", 0)]), &robust);
    assert_eq!(v[0].kind, ViolationKind::LeadTime);
}

#[test]
fn periods_of_moments_give_the_end_of_a_period_to_it() {
    assert_eq!(period_of_weeks(0.0, 13.0), 0);
    assert_eq!(period_of_weeks(13.0, 13.0), 0);
    assert_eq!(period_of_weeks(13.0 + 1e-12, 13.0), 0);
    assert_eq!(period_of_weeks(13.01, 13.0), 1);
    assert_eq!(period_of_weeks(39.0, 13.0), 2);
    assert_eq!(period_of_weeks(f64::NAN, 13.0), 0);
    assert_eq!(period_of_weeks(f64::INFINITY, 13.0), usize::MAX);
}

#[test]
fn the_budget_counts_team_time_costs_and_risks_at_their_expectation() {
    let text = |budget: f64| {
        format!(
            r#"
[plan]
periods = 2
budget = {budget}
[[teams]]
id = "web"
capacity = 50
cost_per_week = 1000
[[features]]
id = "a"
effort = {{ web = 10 }}
cost = 5000
risks = [{{ probability = 0.5, cost = 2000, effort = {{ web = 4 }} }}]
[[features]]
id = "b"
effort = {{ web = 3 }}
"#
        )
    };
    // a: 10,000 + 5,000 + 0.5 x (2,000 + 4,000) = 18,000; b: 3,000.
    let m = model(&text(21_000.0));
    assert!((expect::spend(&m, 0) - 18_000.0).abs() < 1e-9);
    assert!((expect::spend(&m, 1) - 3_000.0).abs() < 1e-9);
    assert_eq!(expect::spend(&m, 7), 0.0);
    assert!(kinds(&m, &plan(&m, &[("a", 0), ("b", 1)])).is_empty());
    let m = model(&text(20_999.0));
    let v = check_plan(
        &m,
        &plan(&m, &[("a", 0), ("b", 1)]),
        &CheckBasis::expected(&m),
    );
    assert_eq!(v.len(), 1);
    assert_eq!(
        words(&v[0]),
        "the planned features are expected to cost 21,000 USD, over the budget of 20,999 USD"
    );
    assert!(kinds(&m, &plan(&m, &[("a", 0)])).is_empty());
    // Float noise at the limit is not a violation.
    let m = model(&text(21_000.0 - 1e-9));
    assert!(kinds(&m, &plan(&m, &[("a", 0), ("b", 1)])).is_empty());
}

#[test]
fn theme_shares_count_expected_work_of_delivered_features() {
    let m = model(
        r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 100
[[teams]]
id = "ops"
capacity = 100
[[themes]]
id = "rel"
min_share = 0.25
max_share = 0.5
[[features]]
id = "r1"
effort = { web = 5, ops = 5 }
theme = "rel"
[[features]]
id = "r2"
effort = { ops = 20 }
theme = "rel"
[[features]]
id = "x"
effort = { web = 30 }
"#,
    );
    // r1 + x: 10 of 40 = 25%, exactly the minimum.
    assert!(kinds(&m, &plan(&m, &[("r1", 0), ("x", 0)])).is_empty());
    // r2 + x: 20 of 50 = 40%.
    assert!(kinds(&m, &plan(&m, &[("r2", 0), ("x", 0)])).is_empty());
    // x alone: 0%.
    let v = check_plan(&m, &plan(&m, &[("x", 1)]), &CheckBasis::expected(&m));
    assert_eq!(
        words(&v[0]),
        "theme rel gets 0.0 of 30.0 planned person-weeks (0%), below its minimum share of 25%"
    );
    // r1 + r2 + x: 30 of 60 = 50%, the maximum; r1 + r2 alone: 100%.
    assert!(kinds(&m, &plan(&m, &[("r1", 0), ("r2", 0), ("x", 1)])).is_empty());
    let v = check_plan(
        &m,
        &plan(&m, &[("r1", 0), ("r2", 1)]),
        &CheckBasis::expected(&m),
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].features, [0, 1]);
    assert!(words(&v[0]).contains("above its maximum share of 50%"));
    // Nothing delivered: no share to miss.
    assert!(kinds(&m, &Plan::empty(&m)).is_empty());
    // Shares use expected work even when the plan was made with another basis.
    let mut basis = CheckBasis::expected(&m);
    basis.effort[2][0] = 1.0;
    assert!(check_plan(&m, &plan(&m, &[("r1", 0), ("x", 0)]), &basis).is_empty());
}

#[test]
fn capacity_lets_work_spread_from_the_earliest_period_to_delivery() {
    let m = model(
        r#"
[plan]
periods = 3
start = "2027Q1"
[[teams]]
id = "web"
capacity = [10, 10, 10]
[[teams]]
id = "ops"
capacity = 100
[[features]]
id = "big"
effort = { web = 18 }
[[features]]
id = "small"
effort = { web = 3, ops = 1 }
[[features]]
id = "gated"
effort = { web = 9 }
earliest = "2027Q3"
"#,
    );
    let basis = CheckBasis::expected(&m);
    // big spread over Q1-Q2 uses 18 of 20; small fits in the rest of Q1-Q2 only partly.
    assert!(check_plan(&m, &plan(&m, &[("big", 1), ("small", 2)]), &basis).is_empty());
    let v = check_plan(&m, &plan(&m, &[("big", 1), ("small", 1)]), &basis);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].kind, ViolationKind::Capacity);
    assert_eq!(
        words(&v[0]),
        "team web needs 21.0 person-weeks in 2027Q1–2027Q2 for big, small but has 20.0"
    );
    assert_eq!(v[0].features, [0, 1]);
    // gated can only use Q3: with big due in Q3 the three together need 30 of 30.
    assert!(check_plan(
        &m,
        &plan(&m, &[("big", 2), ("small", 1), ("gated", 2)]),
        &basis
    )
    .is_empty());
    // Only Q3 is open to gated, so Q3 alone is the overloaded run, not the whole plan.
    let mut tight = basis.clone();
    tight.capacity[0][2] = 8.0;
    let v = check_plan(&m, &plan(&m, &[("gated", 2)]), &tight);
    assert_eq!(
        words(&v[0]),
        "team web needs 9.0 person-weeks in 2027Q3 for gated but has 8.0"
    );
    assert!(!capacity_feasible(&m, &plan(&m, &[("gated", 2)]), &tight));
    assert!(capacity_feasible(&m, &plan(&m, &[("big", 2)]), &tight));
}

#[test]
fn one_overloaded_period_is_reported_once_and_separate_runs_each() {
    let jobs = [
        Job {
            feature: 0,
            open_period: 0,
            due_period: 0,
            weeks: 15.0,
        },
        Job {
            feature: 1,
            open_period: 2,
            due_period: 2,
            weeks: 12.0,
        },
        Job {
            feature: 2,
            open_period: 1,
            due_period: 3,
            weeks: 1.0,
        },
    ];
    let found = overloads(&jobs, &[10.0, 10.0, 10.0, 10.0]);
    let runs: Vec<(usize, usize, f64)> = found
        .iter()
        .map(|o| (o.first_period, o.last_period, o.short_weeks()))
        .collect();
    assert_eq!(runs, [(0, 0, 5.0), (2, 2, 2.0)]);
}

#[test]
fn fits_says_whether_one_more_feature_can_be_staffed() {
    let m = model(
        r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 10
[[teams]]
id = "ops"
capacity = 1
[[features]]
id = "a"
effort = { web = 12 }
[[features]]
id = "b"
effort = { web = 7 }
[[features]]
id = "c"
effort = { ops = 1 }
[[features]]
id = "d"
effort = { web = 2 }
"#,
    );
    let basis = CheckBasis::expected(&m);
    // a alone needs more than P1 holds (12 > 10), but fits by P2.
    assert!(!fits(&m, &Plan::empty(&m), &basis, 0, 0));
    assert!(fits(&m, &Plan::empty(&m), &basis, 0, 1));
    // With a in P2, b fits in either period: 19 of the 20 weeks by P2.
    let p = plan(&m, &[("a", 1)]);
    assert!(fits(&m, &p, &basis, 1, 0));
    assert!(fits(&m, &p, &basis, 1, 1));
    // d would need 21 by P2.
    let crowded = plan(&m, &[("a", 1), ("b", 1)]);
    assert!(!fits(&m, &crowded, &basis, 3, 0));
    assert!(!fits(&m, &crowded, &basis, 3, 1));
    // Moving b out of the way makes room: fits replaces a feature's period.
    assert!(fits(&m, &plan(&m, &[("a", 1), ("d", 1)]), &basis, 3, 0));
    // The web team's load does not matter to a feature that needs only ops.
    assert!(fits(&m, &crowded, &basis, 2, 0));
    // Unknown features and periods past the plan never fit.
    assert!(!fits(&m, &p, &basis, 9, 0));
    assert!(!fits(&m, &p, &basis, 2, 2));
}

#[test]
fn a_plan_of_the_wrong_length_or_past_the_end_is_reported_not_a_panic() {
    let m = with("[[features]]\nid = \"a\"\neffort = { web = 1 }\n[[features]]\nid = \"b\"\n");
    let short = Plan::new(vec![Some(5)]);
    assert_eq!(kinds(&m, &short), [ViolationKind::PastPlanEnd]);
    let long = Plan::new(vec![None, Some(0), Some(1)]);
    assert!(kinds(&m, &long).is_empty());
    let empty_basis = CheckBasis {
        effort: vec![],
        capacity: vec![],
        lead_weeks: vec![],
        ready_weeks: vec![],
        capacity_factor: vec![],
        pool_factor: vec![],
    };
    assert!(check_plan(&m, &long, &empty_basis).is_empty());
}

/// Earliest-deadline-first, a different algorithm for the same question: in each period,
/// give the capacity to the open work due soonest. For divisible work with release and due
/// periods on one resource it finds a schedule whenever one exists.
fn edf_feasible(jobs: &[Job], capacity: &[f64]) -> bool {
    let mut left: Vec<f64> = jobs.iter().map(|j| j.weeks).collect();
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&k| jobs[k].due_period);
    for (p, &cap) in capacity.iter().enumerate() {
        let mut free = cap;
        for &k in &order {
            if jobs[k].open_period <= p && p <= jobs[k].due_period {
                let used = free.min(left[k]);
                left[k] -= used;
                free -= used;
            }
        }
        if order
            .iter()
            .any(|&k| jobs[k].due_period == p && left[k] > 0.0)
        {
            return false;
        }
    }
    left.iter().all(|&w| w <= 0.0)
}

proptest! {
    #[test]
    fn hall_runs_agree_with_earliest_deadline_first(
        capacity in prop::collection::vec(0u8..=10, 1..=5),
        raw in prop::collection::vec((0usize..5, 0usize..5, 1u8..=12), 0..=7),
    ) {
        let periods = capacity.len();
        let capacity: Vec<f64> = capacity.into_iter().map(f64::from).collect();
        let jobs: Vec<Job> = raw
            .into_iter()
            .enumerate()
            .map(|(k, (x, y, w))| {
                let (x, y) = (x % periods, y % periods);
                Job { feature: k, open_period: x.min(y), due_period: x.max(y), weeks: f64::from(w) }
            })
            .collect();
        let hall = first_overload(&jobs, &capacity).is_none();
        prop_assert_eq!(hall, edf_feasible(&jobs, &capacity));
        prop_assert_eq!(hall, overloads(&jobs, &capacity).is_empty());
    }
}
