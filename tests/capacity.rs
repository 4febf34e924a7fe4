//! The capacity check against hand-computed cases.

use roadmap::analysis::capacity::{self, Commitment};
use roadmap::scenario;
use std::path::Path;

fn model(features: &str) -> roadmap::model::Model {
    let text = format!(
        "[plan]\nperiods = 3\nperiod_weeks = 13\nstart = \"2027Q1\"\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n[[teams]]\nid = \"data\"\ncapacity = [4, 4, 4]\ncapacity_factor = 0.5\n\n{features}"
    );
    scenario::load_text(Path::new("t.toml"), text, &|p| std::fs::read(p))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .model
}

#[test]
fn constant_work_is_spread_over_its_window_and_counted_when_due() {
    let m = model(
        "[[features]]\nid = \"a\"\neffort = { web = 15 }\nmandatory = true\ndeadline = \"2027Q2\"\n\n\
         [[features]]\nid = \"b\"\neffort = { web = 6, data = 3 }\nearliest = 3\nvalue = 1\ndeadline = 3\n\n\
         [[features]]\nid = \"c\"\neffort = { web = 100 }\nvalue = 1\n",
    );
    let check = capacity::check(&m, 50, 1);
    let web = &check.teams[0];
    let committed: Vec<f64> = web.periods.iter().map(|p| p.committed_mean).collect();
    // a: 15 over Q1..Q2; b: 6 in Q3 alone; c is not committed.
    assert_eq!(committed, vec![7.5, 7.5, 6.0]);
    let due: Vec<f64> = web.periods.iter().map(|p| p.due_by_end_mean).collect();
    assert_eq!(due, vec![0.0, 15.0, 21.0]);
    assert_eq!(web.capacity_weeks, 30.0);
    assert_eq!(web.backlog_mean, 121.0);
    assert!(check.shortfalls.iter().all(|s| s.team != "web"));
    assert_eq!(web.p_fits, 1.0);
    // data works at half capacity: 2 a period; b's 3 weeks in Q3 alone do not fit.
    let data = &check.teams[1];
    assert_eq!(data.periods[2].capacity_weeks, 2.0);
    assert_eq!(data.p_fits, 0.0);
    assert_eq!(data.p_fits_mandatory, 1.0);
    let s = &check.shortfalls[0];
    assert_eq!(
        (
            s.team.as_str(),
            s.first_period.as_str(),
            s.last_period.as_str()
        ),
        ("data", "2027Q3", "2027Q3")
    );
    assert_eq!(
        (
            s.need_mean,
            s.capacity_weeks,
            s.short_weeks,
            s.mandatory_only
        ),
        (3.0, 2.0, 1.0, false)
    );
    assert!(
        check.is_feasible(),
        "only deadline work is short, not mandatory work"
    );
}

#[test]
fn prerequisites_inherit_due_periods_less_their_lag() {
    let m = model(
        "[[features]]\nid = \"report\"\neffort = { web = 4 }\nmandatory = true\nrequires = [{ id = \"model\", lag = 1 }]\n\n\
         [[features]]\nid = \"model\"\neffort = { web = 12 }\n",
    );
    let c = capacity::commitments(&m);
    assert_eq!(c[0], Some((Commitment::Mandatory, 2)));
    assert_eq!(c[1], Some((Commitment::RequiredByMandatory, 1)));
    let check = capacity::check(&m, 10, 1);
    // model's 12 weeks must be done in Q1..Q2 (capacity 20); with report, 16 by Q3 (capacity 30).
    assert!(check.shortfalls.is_empty());
    assert_eq!(check.teams[0].periods[1].due_by_end_mean, 12.0);
}

#[test]
fn mandatory_overload_is_a_shortfall_naming_the_window_and_features() {
    let m = model(
        "[[features]]\nid = \"soc2\"\neffort = { web = [10, 12, 20] }\nmandatory = true\ndeadline = 1\n\n\
         [[features]]\nid = \"gdpr\"\neffort = { web = 2 }\nmandatory = true\ndeadline = 1\n",
    );
    let check = capacity::check(&m, 2000, 3);
    let s = &check.shortfalls[0];
    assert!(s.mandatory_only);
    assert_eq!(
        (s.first_period.as_str(), s.last_period.as_str()),
        ("2027Q1", "2027Q1")
    );
    // PERT mean of 10/12/20 is 13; with gdpr 15 against 10.
    assert!((s.need_mean - 15.0).abs() < 1e-9);
    assert!((s.short_weeks - 5.0).abs() < 1e-9);
    assert_eq!(s.need_low, 12.0);
    assert_eq!(s.features[0].0, "soc2");
    assert!(!check.is_feasible());
    // P80 of the committed work in Q1 lies between the mean and the high estimate.
    let p80 = check.teams[0].periods[0].committed_p80;
    assert!(p80 > 15.0 && p80 < 22.0, "{p80}");
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/saas-annual-plan.toml"
    ));
    let m = scenario::load(path).unwrap().model;
    let json = |seed| serde_json::to_string(&capacity::check(&m, 20_000, seed)).unwrap();
    assert_eq!(json(3), json(3));
    assert_ne!(json(3), json(4));
}

/// Ten mandatory features on one team: correlated estimates err together, so the P80 of their
/// sum lies further above the mean than with independent estimates.
#[test]
fn correlated_efforts_widen_the_p80_of_committed_work() {
    let features: String = (0..10)
        .map(|i| {
            format!(
                "[[features]]\nid = \"f{i}\"\neffort = {{ web = [2, 3, 8] }}\nmandatory = true\n\n"
            )
        })
        .collect();
    let base =
        format!("[plan]\nperiods = 1\n\n[[teams]]\nid = \"web\"\ncapacity = 100\n\n{features}");
    let load = |text: String| {
        scenario::load_text(Path::new("e.toml"), text, &|p| std::fs::read(p))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model
    };
    let independent = load(base.clone());
    let correlated = load(format!(
        "{base}[[correlations]]\ninputs = [\"features[*].effort.web\"]\nrho = 0.8\n"
    ));
    let p80 = |m: &roadmap::model::Model| {
        roadmap::analysis::capacity::check(m, 20_000, 5).teams[0].periods[0].committed_p80
    };
    let mean = 10.0 * (2.0 + 12.0 + 8.0) / 6.0;
    let (pi, pc) = (p80(&independent), p80(&correlated));
    assert!(
        pi > mean && pc > pi + 0.5 * (pi - mean),
        "independent P80 {pi}, correlated P80 {pc}, mean {mean}"
    );
}
