//! Warnings that do not stop a plan but that a lead should hear about.

mod common;

use common::build::Scenario;
use common::load::{loaded, try_load, try_load_with_backlog};
use roadmap::scenario;

fn warnings(features_and_deals: &str) -> Vec<String> {
    let text = Scenario::quarters(4)
        .team("web", "capacity = 40")
        .raw(features_and_deals);
    let loaded = loaded("w.toml", text.text());
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
    // A semicolon file's `6,000` could be 6 with a decimal comma: the file says which.
    let toml = "[plan]\nperiods = 2\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n[backlog]\nfile = \"b.csv\"\nignore_columns = [\"Status\", \"Assignee\"]\ndecimal_mark = \".\"\n";
    // Semicolons, capitalised headers, tracker columns, percentages and grouped thousands.
    let csv = "ID;Name;Status;Assignee;web_low;web_likely;web_high;Value;Confidence\nTW-1;Quotes;In progress;Ana;3;5;9;6,000;80%\n";
    let loaded = try_load_with_backlog("p.toml", toml, csv).unwrap_or_else(|e| panic!("{e:?}"));
    let f = &loaded.model.features[0];
    assert_eq!(f.id, "TW-1");
    assert_eq!(loaded.model.mean(f.value_monthly.unwrap()), 6000.0);
    assert_eq!(f.framework.confidence, Some(0.8));
    assert_eq!(
        loaded.model.mean(f.effort[0].weeks),
        (3.0 + 20.0 + 9.0) / 6.0
    );
}

/// A scenario with one team `web` of 40 person-weeks a quarter and `rest` appended; the
/// errors and warnings as printed.
fn findings(team: &str, rest: &str) -> (Vec<String>, Vec<String>) {
    let text = format!("[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n{team}\n{rest}");
    common::load::findings(try_load("m.toml", text))
}

const SEGMENT: &str = "[[segments]]\nid = \"smb\"\ndemand = 500\nprice = 49\n";

#[test]
fn a_capacity_factor_typed_as_a_percentage_is_refused_with_the_fraction() {
    let (errors, _) = findings("capacity_factor = [80, 90, 100]", "");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("teams[web].capacity_factor: a capacity factor of PERT 80/90/100 would give the team up to 100 times its stated capacity"), "{}", errors[0]);
    assert!(
        errors[0].contains("did you mean [0.8, 0.9, 1]?"),
        "{}",
        errors[0]
    );
    // Overtime is a factor above 1, up to double.
    for ok in [
        "1.5",
        "[0.9, 1.2, 2]",
        "{ lognormal = { p10 = 0.8, p90 = 1.1 } }",
    ] {
        let (errors, warnings) = findings(&format!("capacity_factor = {ok}"), "");
        assert!(
            errors.is_empty() && warnings.is_empty(),
            "{ok}: {errors:?} {warnings:?}"
        );
    }
    // Just above 2 is no percentage: no guess, the rule instead.
    let (errors, _) = findings("capacity_factor = 3", "");
    assert!(errors[0].contains("at most 2"), "{}", errors[0]);
    assert!(!errors[0].contains("did you mean"), "{}", errors[0]);
}

#[test]
fn a_growth_typed_as_a_percentage_is_refused_and_a_fast_one_flagged() {
    let (errors, _) = findings("", &format!("{SEGMENT}growth = 2\n"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains(
            "segments[smb].growth: a growth of 2 a month would multiply demand by 3 every month"
        ),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("did you mean 0.02?"), "{}", errors[0]);
    let (errors, _) = findings("", &format!("{SEGMENT}growth = [-2, -0.5, 0]\n"));
    assert!(
        errors[0].contains("would make demand negative"),
        "{errors:?}"
    );
    // 15% a month is possible for a young market, but 90 times over three years deserves a look.
    let (errors, warnings) = findings("", &format!("{SEGMENT}growth = 0.15\n"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // Default horizon: 12 months of plan + 24 = 36 months; 1.15^36 = 153.2.
    assert!(
        warnings[0].contains(
            "demand grows 15% a month on average: about 153 times over the 36-month horizon"
        ),
        "{}",
        warnings[0]
    );
    let (errors, warnings) = findings("", &format!("{SEGMENT}growth = [-0.02, 0.01, 0.05]\n"));
    assert!(
        errors.is_empty() && warnings.is_empty(),
        "{errors:?} {warnings:?}"
    );
}

#[test]
fn large_but_legitimate_values_pass_without_a_word() {
    // A portfolio worth billions; a feature of hundreds of person-weeks for a team of 30
    // (400 person-weeks a quarter) that can hold it.
    let text = "[plan]\nperiods = 4\n\n[[teams]]\nid = \"core\"\ncapacity = 400\ncapacity_factor = [0.8, 0.9, 1.1]\n\n[[features]]\nid = \"ledger\"\neffort = { core = [300, 400, 600] }\nvalue = 250_000_000\ncost = 40_000_000\n";
    let loaded = loaded("p.toml", text);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn an_effort_no_plan_can_hold_is_flagged_as_a_likely_unit_slip() {
    // 160 person-weeks in the plan; 6,400 is the effort in person-hours.
    let (errors, warnings) = findings(
        "",
        "[[features]]\nid = \"sso\"\neffort = { web = [4800, 6400, 9600] }\nvalue = 1000\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("features[sso].effort.web: at least 4800 person-weeks, over 5 times what team `web` can give in the whole plan (160 at most)"), "{}", warnings[0]);
    assert!(warnings[0].contains("for hours by 40"), "{}", warnings[0]);
    // Merely too big for this plan is a feature to leave out, not a slip.
    let (_, warnings) = findings(
        "",
        "[[features]]\nid = \"sso\"\neffort = { web = [600, 700, 800] }\nvalue = 1000\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn shares_in_percent_are_read_and_out_of_range_ones_explained() {
    let (errors, _) = findings(
        "",
        "[[features]]\nid = \"sso\"\neffort = { web = 1 }\nuplift = { smb = 2 }\n\n[[segments]]\nid = \"smb\"\ndemand = 500\nprice = 49\n",
    );
    assert!(
        errors[0].contains("features[sso].uplift.smb: must lie between 0 and 1, got 2")
            && errors[0].contains("write a share as a fraction: 0.02 for 2%"),
        "{errors:?}"
    );
    let text = "[plan]\nperiods = 4\ndiscount_rate = \"12%\"\ncommit_confidence = \"85%\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n[[themes]]\nid = \"rel\"\nmin_share = \"15%\"\n";
    let loaded = loaded("p.toml", text);
    assert_eq!(loaded.model.time.discount_rate, 0.12);
    assert_eq!(loaded.model.commit_confidence, 0.85);
    assert_eq!(loaded.model.themes[0].min_share, 0.15);
}

#[test]
fn a_what_if_is_held_to_the_same_magnitudes_as_the_file() {
    let text =
        format!("[plan]\nperiods = 4\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n{SEGMENT}");
    let loaded = loaded("p.toml", text);
    for (set, expected) in [
        ("teams.web.capacity_factor=80", "did you mean 0.8?"),
        ("segments.smb.growth=3", "did you mean 0.03?"),
    ] {
        let errors = scenario::overrides::apply(&loaded.model, &[set.to_string()])
            .err()
            .unwrap_or_else(|| panic!("{set} was accepted"));
        let text: Vec<String> = errors.iter().map(|f| f.to_string()).collect();
        assert!(text[0].contains(expected), "{set}: {text:?}");
    }
}
