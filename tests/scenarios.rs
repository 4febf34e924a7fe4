//! Every example scenario validates, its mandatory work fits, and what users see of the
//! flagship is pinned by snapshots.

mod common;

use common::cli::run as roadmap;
use roadmap::model::DeadlineKind;
use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let dir = common::cli::root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// The examples are the kinds of plan their headers describe, so the README's tour shows each
/// kind: a SaaS year of quarters with deals and segments, a mobile launch in two-week sprints
/// whose mandatory work is due by launch, a hardware plan in six-week cycles waiting on
/// vendors with a retail deal due at the last cycle, a plan whose features all come from a
/// tracker's CSV, a quarter's re-plan with work already done and under way, a plan written
/// in calendar dates (a regulator's, a partner's contract, a launch target with a hard limit,
/// quarterly budgets), and a plan whose search needs a catalog, built or bought.
#[test]
fn each_example_is_the_kind_of_plan_it_describes() {
    let load = |name: &str| {
        roadmap::scenario::load(&common::cli::root().join("scenarios").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
    };

    let saas = load("saas-annual-plan.toml").model;
    assert_eq!(
        (
            saas.time.periods,
            saas.time.period_weeks,
            saas.time.labels[0].as_str()
        ),
        (4, 13.0, "2027Q1")
    );
    assert!(saas.deals.len() >= 2 && saas.segments.len() >= 2);

    let mobile = load("mobile-launch.toml").model;
    assert_eq!((mobile.time.periods, mobile.time.period_weeks), (10, 2.0));
    let launch = mobile
        .time
        .labels
        .iter()
        .position(|l| l == "Sprint 8")
        .unwrap();
    let mandatory: Vec<_> = mobile.features.iter().filter(|f| f.mandatory).collect();
    assert!(mandatory.len() >= 5);
    for f in mandatory {
        let d = f
            .deadline
            .unwrap_or_else(|| panic!("{} has no deadline", f.id));
        assert!(
            d.kind == DeadlineKind::Hard && d.period <= launch,
            "{} is due after launch: {d:?}",
            f.id
        );
    }

    let hardware = load("hardware-device.toml").model;
    assert_eq!(
        (hardware.time.periods, hardware.time.period_weeks),
        (6, 6.0)
    );
    let waiting = hardware
        .features
        .iter()
        .filter(|f| f.vendor_lead_weeks.is_some());
    assert!(
        2 * waiting.count() > hardware.features.len(),
        "most gates wait for vendors"
    );
    let retail = hardware.deals.iter().find(|d| d.id == "homeco").unwrap();
    assert_eq!(retail.by_period, Some(hardware.time.periods - 1));

    let replan = load("next-quarter.toml").model;
    assert!(!replan.done.is_empty());
    assert!(replan
        .features
        .iter()
        .any(|f| f.status == roadmap::model::Status::InProgress && f.mandatory));
    assert!(replan.deals.iter().all(|d| !d.features.is_empty()));

    let backlog = load("backlog-plan.toml");
    let toml = std::fs::read_to_string(&backlog.files[0]).unwrap();
    assert!(!toml.contains("[[features]]"));
    let rows = csv::Reader::from_path(&backlog.files[1])
        .unwrap()
        .records()
        .count();
    assert_eq!(backlog.model.features.len(), rows);
    assert!(rows >= 20);

    let dated = load("payments-compliance.toml").model;
    assert_eq!(
        dated.time.written_start_date().map(|d| d.to_string()),
        Some("2027-01-04".to_string())
    );
    assert_eq!(dated.time.labels, ["2027Q1", "2027Q2", "2027Q3", "2027Q4"]);
    let text =
        std::fs::read_to_string(common::cli::root().join("scenarios/payments-compliance.toml"))
            .unwrap();
    let by = |id: &str| &dated.features[dated.feature_index(id).unwrap()];
    // The regulator's dates are written as dates and read as the quarters they end.
    assert!(text.contains("deadline = \"2027-09-30\""));
    assert_eq!(
        by("sca-psd3").deadline.map(|d| (d.period, d.kind)),
        Some((2, DeadlineKind::Hard))
    );
    assert_eq!(by("dora-reporting").deadline.map(|d| d.period), Some(1));
    // One questionnaire hits both regulatory features: DORA whenever it comes, SCA half the time.
    assert_eq!(dated.common_risks.len(), 1);
    let hits: Vec<(f64, f64)> = ["dora-reporting", "sca-psd3"]
        .iter()
        .map(|id| {
            let risk = &by(id).risks[0];
            (risk.common.unwrap().given, risk.probability)
        })
        .collect();
    assert_eq!(hits, [(1.0, 0.25), (0.5, 0.125)]);
    let launch = by("instant-payouts").deadline.unwrap();
    assert_eq!((launch.period, launch.limit), (1, Some(2)));
    let ready: Vec<_> = dated
        .features
        .iter()
        .filter(|f| f.vendor_ready.is_some())
        .collect();
    assert!(
        ready.len() >= 2
            && ready
                .iter()
                .any(|f| f.vendor_ready.as_ref().unwrap().delay_weeks.is_some())
    );
    assert_eq!(dated.budget_per_period.as_ref().map(Vec::len), Some(4));

    // Search and smart reordering each need one of two catalogs, which exclude each other.
    let catalog = load("catalog-build-or-buy.toml").model;
    let by = |id: &str| &catalog.features[catalog.feature_index(id).unwrap()];
    let (build, buy) = (
        catalog.feature_index("catalog-build").unwrap(),
        catalog.feature_index("catalog-buy").unwrap(),
    );
    assert!(by("catalog-build").excludes.contains(&buy));
    for (id, lag) in [("search", 0), ("smart-reorder", 1)] {
        let groups = &by(id).requires_any;
        assert_eq!(groups.len(), 1, "{id}");
        assert_eq!(groups[0].features, [build, buy], "{id}");
        assert_eq!(groups[0].lag_periods, lag, "{id}");
    }

    // Two subscription plans are customer stocks with uncertain retention; the API is a flow.
    let subscriptions = load("subscription-app.toml").model;
    let read: Vec<(&str, bool)> = subscriptions
        .segments
        .iter()
        .map(|s| (s.id.as_str(), s.retention.is_some()))
        .collect();
    assert_eq!(read, [("team", true), ("business", true), ("api", false)]);
    let team = subscriptions.segments[0].retention.unwrap();
    assert!(!subscriptions.dist(team).is_constant());
}

#[test]
fn every_example_scenario_validates_without_warnings_and_its_commitments_fit() {
    for file in scenario_files() {
        let rel = format!("scenarios/{}", file.file_name().unwrap().to_string_lossy());
        let (code, stdout, stderr) = roadmap(&["validate", &rel]);
        assert_eq!(code, 0, "{rel}:\n{stderr}");
        assert!(
            stdout.starts_with(&format!("ok: {rel} is valid")),
            "{rel}: {stdout}"
        );
        assert!(stderr.is_empty(), "{rel} has warnings:\n{stderr}");
        let loaded = roadmap::scenario::load(&file).unwrap();
        let check = roadmap::analysis::capacity::check(&loaded.model, 2000, 1);
        assert!(check.is_feasible(), "{rel}: mandatory work must fit");
        let (code, _, stderr) = roadmap(&["capacity", &rel, "--trials", "2000"]);
        assert_eq!(code, 0, "{rel}: {stderr}");
    }
}

#[test]
fn the_backlog_example_reads_its_features_from_csv() {
    let loaded =
        roadmap::scenario::load(&common::cli::root().join("scenarios/backlog-plan.toml")).unwrap();
    assert_eq!(loaded.files.len(), 2);
    assert!(loaded.files[1].extension().is_some_and(|e| e == "csv"));
    assert!(loaded.model.features.len() >= 20);
}

#[test]
fn flagship_summary_and_capacity_table_snapshots() {
    let (code, stdout, _) = roadmap(&["validate", "scenarios/saas-annual-plan.toml"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("flagship_validate", stdout);
    let (code, stdout, _) = roadmap(&[
        "capacity",
        "scenarios/saas-annual-plan.toml",
        "--trials",
        "4000",
        "--seed",
        "7",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("flagship_capacity", stdout);
}

#[test]
fn the_starter_scenario_validates() {
    let loaded = common::load::loaded("roadmap.toml", roadmap::scenario::starter::STARTER);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}
