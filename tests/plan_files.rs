//! Plan and order files for `roadmap simulate`: good files read to the plan they say, bad ones
//! are explained with file, line, field and a fix (snapshots), and no input makes them panic.

mod common;

use proptest::prelude::*;
use roadmap::model::Model;
use roadmap::report::findings::render;
use roadmap::scenario::plan_file::{read_order, read_order_text, read_plan, read_plan_text};
use roadmap::scenario::Finding;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fixtures are named relative to the package root (the tests' working folder), so that
/// snapshots show the same paths on every machine.
fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures/plans").join(name)
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| common::load::model_file("tests/fixtures/plans/scenario.toml"))
}

fn index(id: &str) -> usize {
    model()
        .feature_index(id)
        .unwrap_or_else(|| panic!("no feature {id}"))
}

/// Planned periods by feature id (1-based, as users write them), `None` = left out.
fn periods(plan: &roadmap::model::Plan) -> Vec<(&'static str, Option<usize>)> {
    model()
        .features
        .iter()
        .zip(&plan.periods)
        .map(|(f, p)| (f.id.as_str(), p.map(|p| p + 1)))
        .collect()
}

fn plan_errors(name: &str) -> String {
    match read_plan(&fixture(name), model()) {
        Ok(read) => panic!("{name} read as {:?}", read.plan),
        Err(findings) => checked_render(name, &findings),
    }
}

fn order_errors(name: &str) -> String {
    match read_order(&fixture(name), model()) {
        Ok(read) => panic!("{name} read as {:?}", read.order),
        Err(findings) => checked_render(name, &findings),
    }
}

fn plan_warnings(name: &str) -> String {
    let read = read_plan(&fixture(name), model()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert!(!read.warnings.is_empty(), "{name} has no warnings");
    checked_render(name, &read.warnings)
}

/// Every finding names the file and says how to fix it.
fn checked_render(name: &str, findings: &[Finding]) -> String {
    assert!(!findings.is_empty(), "{name}: no findings");
    for f in findings {
        assert!(
            f.location.file.ends_with(name),
            "{name}: {f} names another file"
        );
        assert!(f.help.is_some(), "{name}: {f} has no help");
    }
    render(findings, usize::MAX)
}

#[test]
fn a_csv_plan_with_extra_columns_reads_labels_numbers_and_left_out_features() {
    let read = read_plan(&fixture("good-plan.csv"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        periods(&read.plan),
        [
            ("sso", Some(1)),
            ("audit-log", Some(3)),
            ("data-model", Some(2)),
            ("reports", Some(3)),
            ("build-export", None),
            ("buy-export", Some(2)),
            ("forecasting", None),
            ("status-page", Some(4)),
        ]
    );
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn a_spreadsheet_csv_with_semicolons_bom_crlf_and_aliases_reads_the_same_way() {
    let read =
        read_plan(&fixture("good-plan-semicolon.csv"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    let planned: Vec<_> = periods(&read.plan)
        .into_iter()
        .filter(|(_, p)| p.is_some())
        .collect();
    assert_eq!(
        planned,
        [
            ("sso", Some(2)),
            ("forecasting", Some(3)),
            ("status-page", Some(1))
        ]
    );
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn optimize_json_with_extra_keys_null_and_numeric_periods_reads() {
    let read =
        read_plan(&fixture("good-optimize.json"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        periods(&read.plan),
        [
            ("sso", Some(1)),
            ("audit-log", Some(2)),
            ("data-model", Some(1)),
            ("reports", Some(4)),
            ("build-export", None),
            ("buy-export", Some(3)),
            ("forecasting", None),
            ("status-page", Some(4)),
        ]
    );
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn a_bare_json_array_is_a_plan_and_unlisted_features_are_left_out_silently() {
    let read = read_plan(&fixture("good-bare.json"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    let mut expected = vec![None; model().features.len()];
    expected[index("status-page")] = Some(0);
    expected[index("sso")] = Some(1);
    assert_eq!(read.plan.periods, expected);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn an_order_file_keeps_the_order_as_written_without_comments() {
    let read = read_order(&fixture("good-order.txt"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    let expected: Vec<usize> = [
        "sso",
        "status-page",
        "audit-log",
        "data-model",
        "reports",
        "buy-export",
    ]
    .into_iter()
    .map(index)
    .collect();
    assert_eq!(read.order.features, expected);
    assert!(read.warnings.is_empty());
}

#[test]
fn an_order_csv_uses_its_id_column_in_row_order() {
    let read = read_order(&fixture("good-order.csv"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    let expected: Vec<usize> = ["status-page", "sso", "forecasting"]
        .into_iter()
        .map(index)
        .collect();
    assert_eq!(read.order.features, expected);
}

#[test]
fn a_plan_csv_serves_as_an_order() {
    let read = read_order(&fixture("good-plan.csv"), model()).unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<&str> = read
        .order
        .features
        .iter()
        .map(|&f| model().features[f].id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "sso",
            "audit-log",
            "data-model",
            "reports",
            "build-export",
            "buy-export",
            "forecasting",
            "status-page"
        ]
    );
}

#[test]
fn text_and_file_readers_agree() {
    let path = fixture("good-optimize.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let from_text = read_plan_text(&path.display().to_string(), &text, model()).unwrap();
    assert_eq!(from_text.plan, read_plan(&path, model()).unwrap().plan);
    let path = fixture("good-order.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let from_text = read_order_text(&path.display().to_string(), &text, model()).unwrap();
    assert_eq!(from_text.order, read_order(&path, model()).unwrap().order);
}

#[test]
fn bad_plan_files_are_explained() {
    for name in [
        "missing-columns.csv",
        "duplicate-columns.csv",
        "unknown-feature.csv",
        "duplicate-feature.csv",
        "unknown-period.csv",
        "excluded-pair.csv",
        "no-rows.csv",
        "bad-rows.csv",
        "not-utf8.csv",
        "syntax-error.json",
        "bad-items.json",
        "no-plan-key.json",
        "empty-plan.json",
    ] {
        insta::assert_snapshot!(name, plan_errors(name));
    }
}

#[test]
fn plans_that_break_rules_still_run_with_warnings() {
    for name in ["warnings.csv", "warnings.json"] {
        insta::assert_snapshot!(name, plan_warnings(name));
    }
}

#[test]
fn bad_order_files_are_explained() {
    for name in ["bad-order.txt", "bad-order.csv", "empty-order.txt"] {
        insta::assert_snapshot!(name, order_errors(name));
    }
}

#[test]
fn a_missing_file_is_one_error_with_a_fix() {
    let plan = read_plan(&fixture("no-such-plan.csv"), model()).unwrap_err();
    let order = read_order(&fixture("no-such-order.txt"), model()).unwrap_err();
    assert_eq!((plan.len(), order.len()), (1, 1));
    insta::assert_snapshot!("missing-file", checked_render("no-such-plan.csv", &plan));
}

#[test]
fn empty_files_are_errors() {
    for text in ["", "\n  \n", "\u{feff}"] {
        let plan = read_plan_text("p.csv", text, model()).unwrap_err();
        assert_eq!(plan.len(), 1, "{plan:?}");
        let order = read_order_text("o.txt", text, model()).unwrap_err();
        assert_eq!(order.len(), 1, "{order:?}");
    }
}

fn no_panic_config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fragments of plan and order files, so that generated inputs often get past the first check.
fn plan_like_text() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "feature,period\n",
        "id;release\n",
        "{\"plan\": [",
        "[",
        "]",
        "}",
        "{",
        "\"feature\": \"sso\"",
        "\"period\": ",
        "null",
        "2027Q1",
        "\"2027q3\"",
        "0",
        "99999999999999999999",
        "-1.5",
        ",",
        ":",
        "\n",
        "\"",
        "\\",
        "#",
        "sso",
        "build-export",
        "buy-export",
        "audit-log",
        "\u{feff}",
        "é",
        " ",
    ]);
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(no_panic_config())]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = read_plan_text("p", &text, model());
        let _ = read_order_text("o", &text, model());
    }

    #[test]
    fn plan_like_text_never_panics_and_errors_come_first(text in plan_like_text()) {
        for findings in [
            read_plan_text("p", &text, model()).map_or_else(|e| e, |r| r.warnings),
            read_order_text("o", &text, model()).map_or_else(|e| e, |r| r.warnings),
        ] {
            let first_warning = findings.iter().position(|f| !f.is_error()).unwrap_or(findings.len());
            prop_assert!(findings[first_warning..].iter().all(|f| !f.is_error()));
        }
    }
}

/// A plan's start column says when a feature's vendor is engaged and its one-off costs paid;
/// it round-trips through CSV and JSON, an empty cell takes the default, and a start after the
/// planned period or before the earliest period is an error at its line.
#[test]
fn the_start_column_is_read_and_checked() {
    let csv = "feature,period,start\nsso,2027Q2,2027Q1\nforecasting,4,\ndata-model,2,2\n";
    let read = read_plan_text("p.csv", csv, model()).unwrap();
    assert_eq!(read.plan.starts[index("sso")], Some(0));
    assert_eq!(read.plan.starts[index("forecasting")], None);
    assert_eq!(read.plan.starts[index("data-model")], Some(1));
    // The default: the latest start its lead time allows, here its planned period.
    assert_eq!(read.plan.start(model(), index("forecasting")), Some(3));

    let json = r#"{"plan": [{"feature": "sso", "period": "2027Q2", "start": "2027Q1"},
                   {"feature": "data-model", "period": 2, "start": null}]}"#;
    let read = read_plan_text("p.json", json, model()).unwrap();
    assert_eq!(read.plan.starts[index("sso")], Some(0));
    assert_eq!(read.plan.starts[index("data-model")], None);

    let bad = "feature,period,start\nsso,2027Q1,2027Q2\nforecasting,2027Q4,2027Q1\n";
    let findings = read_plan_text("bad.csv", bad, model()).unwrap_err();
    let text = render(&findings, usize::MAX);
    insta::assert_snapshot!("plan_start_errors", text);
    assert!(text.contains("bad.csv:2"), "{text}");
    assert!(text.contains("bad.csv:3"), "{text}");
}
