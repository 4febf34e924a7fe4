//! The plan checker and the infeasibility diagnosis on scenarios computed by hand: commitments
//! that cannot all hold (capacity before a hard deadline, the budget, a deadline behind lags
//! and lead times), with the exact numbers and the sentences a user reads.
//!
//! Validation already refuses scenarios whose commitments fail at expected numbers, so these
//! cases are what validation lets through and a plan still cannot meet: a robust basis (lower
//! capacity), expected lead times where validation uses the shortest, or a scenario edited in
//! memory (a what-if budget).

mod common;

use common::build::Scenario;
use common::load::model_from;
use roadmap::model::{Model, Plan};
use roadmap::optimize::diagnose::{
    diagnose, Conflict, DelayCause, Diagnosis, Due, Forced, Relaxation,
};
use roadmap::plan_check::{check_plan, CheckBasis, ViolationKind};
use roadmap::report::diagnosis::text;

/// Quarters from 2027Q1. On the web team (20 person-weeks a quarter, 3,000 a week):
/// - sso: mandatory, hard deadline 2027Q2, PERT [20, 28, 48] = 30 weeks on average; requires
///   audit-log;
/// - audit-log: 8 web + 6 platform weeks, a 20,000 one-off cost;
/// - billing: mandatory, 12 web weeks, a risk of 50% on 10,000;
/// - launch: mandatory, hard deadline 2027Q2, one quarter after cert;
/// - cert: no team work, a vendor lead time of PERT [4, 10, 46] = 15 weeks on average
///   (validation's best case is 4 weeks, which would meet the deadline);
/// - dark-mode: optional, 10 web weeks.
fn scenario() -> Model {
    model_from(
        Scenario::quarters(4)
            .team("web", "capacity = 20\ncost_per_week = 3000")
            .team("platform", "capacity = 15")
            .feature(
                "sso",
                "effort = { web = [20, 28, 48] }\nvalue = 20000\nmandatory = true\n\
                 deadline = \"2027Q2\"\nrequires = \"audit-log\"",
            )
            .feature(
                "audit-log",
                "effort = { web = 8, platform = 6 }\ncost = 20000",
            )
            .feature(
                "billing",
                "effort = { web = 12 }\nmandatory = true\n\
                 risks = [{ name = \"tax rules\", probability = 0.5, cost = 10000 }]",
            )
            .feature("cert", "vendor_lead_weeks = [4, 10, 46]")
            .feature(
                "launch",
                "requires = { id = \"cert\", lag = 1 }\nmandatory = true\ndeadline = \"2027Q2\"",
            )
            .feature("dark-mode", "effort = { web = 10 }\nvalue = 500")
            .text(),
    )
}

/// The basis of a plan made for the web team at 80% of its capacity (as a robust plan would
/// be).
fn robust(model: &Model) -> CheckBasis {
    let mut basis = CheckBasis::expected(model);
    let web = model.team_index("web").unwrap();
    for c in &mut basis.capacity[web] {
        *c *= 0.8;
    }
    basis
}

/// sso and audit-log need 30 + 8 = 38 web weeks by the end of 2027Q2; at 80% the team has
/// 2 x 16 = 32 there. billing (12 more by 2027Q4) fits the whole plan's 64.
#[test]
fn a_mandatory_feature_with_a_hard_deadline_short_of_capacity_names_team_periods_and_weeks() {
    let model = scenario();
    let expected = diagnose(&model, &CheckBasis::expected(&model));
    assert!(expected.shortfalls.is_empty(), "{expected:?}");

    let d = diagnose(&model, &robust(&model));
    assert_eq!(d.shortfalls.len(), 1, "{d:?}");
    let s = &d.shortfalls[0];
    assert_eq!(s.team_id, "web");
    assert_eq!(
        (s.first_label.as_str(), s.last_label.as_str()),
        ("2027Q1", "2027Q2")
    );
    assert!((s.need_weeks - 38.0).abs() < 1e-9);
    assert!((s.capacity_weeks - 32.0).abs() < 1e-9);
    assert!((s.short_weeks - 6.0).abs() < 1e-9);
    let named: Vec<(&str, f64)> = s
        .features
        .iter()
        .map(|w| (w.feature.id.as_str(), w.weeks))
        .collect();
    assert_eq!(named, [("sso", 30.0), ("audit-log", 8.0)]);
    assert_eq!(s.features[0].feature.forced, Forced::Mandatory);
    assert_eq!(s.features[0].feature.due, Due::HardDeadline);
    assert_eq!(
        s.features[1].feature.forced,
        Forced::RequiredBy {
            feature: 0,
            id: "sso".into()
        }
    );

    // The checker agrees: the plan that delivers both by the deadline overloads the team.
    let plan = Plan::new(vec![Some(1), Some(1), Some(3), Some(0), Some(2), None]);
    let v: Vec<_> = check_plan(&model, &plan, &robust(&model))
        .into_iter()
        .filter(|v| v.kind == ViolationKind::Capacity)
        .collect();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        roadmap::report::violation::sentence(&v[0].breach),
        "team web needs 38.0 person-weeks in 2027Q1–2027Q2 for sso, audit-log but has 32.0"
    );
}

/// Expected spend of the forced work: sso 30 x 3,000 = 90,000; audit-log 8 x 3,000 + 20,000 =
/// 44,000; billing 12 x 3,000 + 0.5 x 10,000 = 41,000; launch and cert nothing. 175,000.
#[test]
fn a_budget_below_the_forced_spend_names_the_largest_contributors() {
    let mut model = scenario();
    model.budget = Some(175_000.0);
    assert!(diagnose(&model, &CheckBasis::expected(&model))
        .budget
        .is_none());
    model.budget = Some(150_000.0);
    let d = diagnose(&model, &CheckBasis::expected(&model));
    let b = d.budget.expect("budget shortfall");
    assert!((b.forced_spend - 175_000.0).abs() < 1e-9);
    assert!((b.short - 25_000.0).abs() < 1e-9);
    let named: Vec<(&str, f64)> = b
        .contributors
        .iter()
        .map(|s| (s.id.as_str(), s.spend))
        .collect();
    assert_eq!(
        named,
        [
            ("sso", 90_000.0),
            ("audit-log", 44_000.0),
            ("billing", 41_000.0)
        ]
    );
}

/// cert's 15 expected weeks from the plan start end in 2027Q2, so launch (a quarter later)
/// can come in 2027Q3 at the earliest, after its hard deadline 2027Q2.
#[test]
fn a_hard_deadline_behind_a_lag_and_a_lead_time_is_explained_down_the_chain() {
    let model = scenario();
    let d = diagnose(&model, &CheckBasis::expected(&model));
    assert_eq!(d.conflicts.len(), 1, "{d:?}");
    let Conflict::NoWindow { feature, chain } = &d.conflicts[0] else {
        panic!("{d:?}")
    };
    assert_eq!(feature.id, "launch");
    assert_eq!(
        (feature.due_label.as_str(), &feature.due),
        ("2027Q2", &Due::HardDeadline)
    );
    let links: Vec<(&str, Option<&str>)> = chain
        .iter()
        .map(|l| (l.id.as_str(), l.earliest_label.as_deref()))
        .collect();
    assert_eq!(
        links,
        [("launch", Some("2027Q3")), ("cert", Some("2027Q2"))]
    );
    assert!(matches!(
        chain[0].cause,
        DelayCause::Requires { lag_periods: 1, .. }
    ));
    assert_eq!(
        chain[1].cause,
        DelayCause::LeadTime {
            weeks: 15.0,
            start_period: 0
        }
    );
    // Nothing else is wrong at expected numbers.
    assert!(d.shortfalls.is_empty() && d.budget.is_none() && d.themes.is_empty());
    // The checker says the same of the plans that deliver launch by its deadline: cert in
    // 2027Q1 is before its lead time ends, cert in 2027Q2 is too late for the lag.
    let kinds = |cert: usize| -> Vec<ViolationKind> {
        let plan = Plan::new(vec![Some(1), Some(0), Some(3), Some(cert), Some(1), None]);
        check_plan(&model, &plan, &CheckBasis::expected(&model))
            .iter()
            .map(|v| v.kind)
            .collect()
    };
    assert_eq!(kinds(0), [ViolationKind::LeadTime]);
    assert_eq!(kinds(1), [ViolationKind::Dependency]);
}

#[test]
fn what_the_user_reads_when_no_plan_exists() {
    let mut model = scenario();
    model.budget = Some(150_000.0);
    let mut d = diagnose(&model, &robust(&model));
    // The optimizer fills these in; each group alone leaves another cause standing.
    d.relaxations = vec![
        Relaxation {
            group: "the hard deadlines".into(),
            feasible_without: false,
        },
        Relaxation {
            group: "the budget".into(),
            feasible_without: false,
        },
    ];
    insta::assert_snapshot!("diagnosis_text", text(&d, &model));
}

#[test]
fn relaxations_that_are_enough_are_suggested() {
    let model = scenario();
    let mut d = diagnose(&model, &CheckBasis::expected(&model));
    d.relaxations = vec![Relaxation {
        group: "the hard deadlines".into(),
        feasible_without: true,
    }];
    let out = text(&d, &model);
    assert!(
        out.contains("Feasible without the hard deadlines: yes\n"),
        "{out}"
    );
    assert!(
        out.contains("relax the hard deadlines (that alone is enough)"),
        "{out}"
    );
    // A diagnosis without a static cause says so instead of inventing one.
    let out = text(&Diagnosis::default(), &model);
    assert!(out.starts_with("No single cause was found"), "{out}");
}

#[test]
fn a_diagnosis_is_data_that_serialises_with_ids_and_labels() {
    let model = scenario();
    let d = diagnose(&model, &robust(&model));
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["conflicts"][0]["kind"], "no_window");
    assert_eq!(
        json["conflicts"][0]["chain"][1]["cause"]["kind"],
        "lead_time"
    );
    assert_eq!(json["shortfalls"][0]["first_label"], "2027Q1");
    assert_eq!(
        json["shortfalls"][0]["features"][1]["feature"]["forced"]["kind"],
        "required_by"
    );
}

/// The example scenarios are meant to be plannable: at expected numbers nothing in them is
/// provably infeasible, and the empty plan breaks only the mandatory rule.
#[test]
fn the_example_scenarios_have_no_static_infeasibility() {
    for name in [
        "saas-annual-plan.toml",
        "mobile-launch.toml",
        "hardware-device.toml",
        "backlog-plan.toml",
        "payments-compliance.toml",
    ] {
        let model = common::load::model_file(&format!("scenarios/{name}"));
        let basis = CheckBasis::expected(&model);
        let d = diagnose(&model, &basis);
        assert!(!d.found_cause(), "{name}: {}", text(&d, &model));
        let v = check_plan(&model, &Plan::empty(&model), &basis);
        assert!(
            v.iter().all(|v| v.kind == ViolationKind::Mandatory),
            "{name}: {v:?}"
        );
        assert_eq!(
            v.len(),
            model.features.iter().filter(|f| f.mandatory).count(),
            "{name}"
        );
    }
}
