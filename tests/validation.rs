//! Warnings that do not stop a plan but that a lead should hear about.

use roadmap::scenario;
use std::path::Path;

fn warnings(features_and_deals: &str) -> Vec<String> {
    let text = format!("[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n{features_and_deals}");
    let loaded = scenario::load_text(Path::new("w.toml"), text, &|p| std::fs::read(p))
        .unwrap_or_else(|e| panic!("{e:?}"));
    loaded.warnings.iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_deal_whose_date_no_plan_can_make_is_flagged() {
    let w = warnings(
        "[[features]]\nid = \"residency\"\neffort = { web = 5 }\nearliest = \"2027Q2\"\nvalue = 1\n\n\
         [[deals]]\nid = \"initech\"\nfeatures = [\"residency\"]\none_off = 50000\nby = \"2027Q1\"\n",
    );
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("deals[initech].by: this deal can never be won by 2027Q1: `residency` can be delivered at the earliest in 2027Q2"), "{}", w[0]);
}

#[test]
fn an_optional_feature_beyond_the_plan_is_a_warning_not_an_error() {
    let w = warnings("[[features]]\nid = \"a\"\neffort = { web = 5 }\nvalue = 1\n\n[[features]]\nid = \"b\"\neffort = { web = 5 }\nvalue = 1\nrequires = [{ id = \"a\", lag = 4 }]\n");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("features[b]: can never be delivered within the plan: the earliest possible delivery is period 5 (after the plan's last period, 2027Q4)"), "{}", w[0]);
}

#[test]
fn features_nothing_needs_and_without_value_are_flagged_once() {
    let w = warnings("[[features]]\nid = \"idle\"\neffort = { web = 5 }\n");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("features[idle].value: this feature has no value"));
}

#[test]
fn backlog_exports_read_as_trackers_write_them() {
    let toml = "[plan]\nperiods = 2\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n[backlog]\nfile = \"b.csv\"\nignore_columns = [\"Status\", \"Assignee\"]\n";
    // Semicolons, capitalised headers, tracker columns, percentages and grouped thousands.
    let csv = "ID;Name;Status;Assignee;web_low;web_likely;web_high;Value;Confidence\nTW-1;Quotes;In progress;Ana;3;5;9;6,000;80%\n";
    let read = |_: &Path| -> std::io::Result<Vec<u8>> { Ok(csv.as_bytes().to_vec()) };
    let loaded = scenario::load_text(Path::new("p.toml"), toml.to_string(), &read)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let f = &loaded.model.features[0];
    assert_eq!(f.id, "TW-1");
    assert_eq!(loaded.model.mean(f.value_monthly.unwrap()), 6000.0);
    assert_eq!(f.framework.confidence, Some(0.8));
    assert_eq!(
        loaded.model.mean(f.effort[0].weeks),
        (3.0 + 20.0 + 9.0) / 6.0
    );
}
