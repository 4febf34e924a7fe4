//! `roadmap calibrate`: estimation histories read, analysed, fitted and applied to a scenario.

mod common;

use common::cli::{roadmap, root, run, stdout_of};
use roadmap::analysis::calibrate::{calibrate, corrected, pert_p10_p90};
use roadmap::scenario::history::{self, Estimate, HistoryItem, HistoryOptions};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/history/{name}")
}

fn read(name: &str) -> history::History {
    let path = root().join(fixture(name));
    let text = std::fs::read_to_string(&path).unwrap();
    history::read(name, &text, &HistoryOptions::default()).unwrap()
}

#[test]
fn six_items_by_hand() {
    // ratio = actual / likely, per row of six-items.csv:
    //   search  4 / 4   = 1.00  inside [2, 8]
    //   export  3 / 2   = 1.50  inside [1, 4]
    //   sso     12 / 5  = 2.40  outside [3, 10]
    //   billing 6 / 8   = 0.75  inside [4, 12]
    //   themes  3.6 / 3 = 1.20  inside [2, 6]
    //   audit   20 / 10 = 2.00  inside [5, 20] (the bound counts)
    // sorted: 0.75 1.00 1.20 1.50 2.00 2.40
    // median: (1.20 + 1.50) / 2 = 1.35; P10 at rank 0.5: 0.75 + 0.5 x 0.25 = 0.875;
    // P90 at rank 4.5: 2.00 + 0.5 x 0.40 = 2.20; within_range 5 / 6.
    // ln r: -0.287682, 0, 0.182322, 0.405465, 0.693147, 0.875469; sum 1.868721,
    // mean 0.311454; bias exp(0.311454) = 1.36541.
    let h = read("six-items.csv");
    let c = calibrate("six-items.csv", &h.items);
    let web = &c.teams[0];
    assert_eq!(web.name, "web");
    assert_eq!(web.items, 6);
    assert!((web.median_ratio - 1.35).abs() < 1e-12);
    assert!((web.p10_ratio - 0.875).abs() < 1e-12);
    assert!((web.p90_ratio - 2.2).abs() < 1e-12);
    assert!((web.within_range.unwrap() - 5.0 / 6.0).abs() < 1e-12);
    assert!((web.log_ratio_mean - 0.311454).abs() < 1e-5);
    assert!((web.bias.unwrap() - 1.36541).abs() < 1e-4);
    // The raw P10-P90 share, counted item by item with the PERT quantiles.
    let inside = h
        .items
        .iter()
        .filter(|i| match i.estimate {
            Estimate::Three { low, likely, high } => {
                let (p10, p90) = pert_p10_p90(low, likely, high);
                i.actual >= p10 && i.actual <= p90
            }
            Estimate::Single(_) => false,
        })
        .count();
    assert!((web.within_p10_p90.unwrap() - inside as f64 / 6.0).abs() < 1e-12);
    // The fitted widening brings at least 80% inside, and 0.01 less would not.
    let w = web.widening.unwrap();
    let share = |w: f64| {
        h.items
            .iter()
            .filter(|i| match i.estimate {
                Estimate::Three { low, likely, high } => {
                    let [l, m, hi] = corrected(low, likely, high, web.bias.unwrap(), w);
                    let (p10, p90) = pert_p10_p90(l, m, hi);
                    i.actual >= p10 && i.actual <= p90
                }
                Estimate::Single(_) => false,
            })
            .count() as f64
            / 6.0
    };
    assert!(share(w) >= 0.8, "widening {w}");
    assert!(share(w - 0.02) < 0.8, "widening {w} is not the smallest");
}

/// splitmix64: a fixed, dependency-free stream for the synthetic history.
struct Stream(u64);

impl Stream {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Items estimated as [0.7m, m, 1.5m] whose actual is m x bias x exp(spread x Z).
fn synthetic(stream: &mut Stream, n: usize, bias: f64, spread: f64) -> Vec<HistoryItem> {
    (0..n)
        .map(|i| {
            let m = 1.0 + 19.0 * stream.uniform();
            HistoryItem {
                feature: format!("f{i}"),
                team: "web".into(),
                estimate: Estimate::Three {
                    low: 0.7 * m,
                    likely: m,
                    high: 1.5 * m,
                },
                actual: m * bias * (spread * stream.normal()).exp(),
                estimator: None,
                label: None,
                finished: None,
                line: i + 2,
            }
        })
        .collect()
}

#[test]
fn recovers_a_known_bias_and_spread() {
    let mut stream = Stream(20261205);
    let items = synthetic(&mut stream, 200, 1.4, 0.35);
    let c = calibrate("synthetic", &items);
    let web = &c.teams[0];
    let bias = web.bias.unwrap();
    assert!((bias / 1.4 - 1.0).abs() < 0.05, "bias {bias}");
    assert!(
        (web.log_ratio_sd / 0.35 - 1.0).abs() < 0.05,
        "sd {}",
        web.log_ratio_sd
    );
    // The raw estimates are far too narrow and too low; the calibrated ones hold 80%, on the
    // history and on 200 fresh items from the same teams.
    assert!(web.within_p10_p90.unwrap() < 0.4);
    let w = web.widening.unwrap();
    let coverage = |items: &[HistoryItem]| {
        items
            .iter()
            .filter(|i| match i.estimate {
                Estimate::Three { low, likely, high } => {
                    let [l, m, h] = corrected(low, likely, high, bias, w);
                    let (p10, p90) = pert_p10_p90(l, m, h);
                    i.actual >= p10 && i.actual <= p90
                }
                Estimate::Single(_) => false,
            })
            .count() as f64
            / items.len() as f64
    };
    let fitted = coverage(&items);
    assert!((fitted - 0.8).abs() <= 0.05, "in sample {fitted}");
    let fresh = synthetic(&mut stream, 200, 1.4, 0.35);
    let held_out = coverage(&fresh);
    assert!((held_out - 0.8).abs() <= 0.05, "held out {held_out}");
}

#[test]
fn jira_export_in_seconds() {
    let (code, stdout, stderr) = run(&[
        "calibrate",
        &fixture("jira-export.csv"),
        "--team-column",
        "Component/s",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // PAY-106 has no time spent yet.
    assert!(
        stderr.contains("jira-export.csv:7: 1 row skipped"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let teams = json["teams"].as_array().unwrap();
    let checkout = teams.iter().find(|t| t["team"] == "Checkout").unwrap();
    // PAY-103's team is in the second Component/s column.
    assert_eq!(checkout["items"], 3);
    // 720000 s spent against 576000 s estimated, 259200 / 288000, 648000 / 432000:
    // ratios 1.25, 0.9, 1.5; median 1.25. Single estimates have no range.
    assert!((checkout["median_ratio"].as_f64().unwrap() - 1.25).abs() < 1e-12);
    assert!(checkout["within_range"].is_null());
    // The assignee groups the items as their estimator, the first label as their label.
    let mara = json["estimators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["estimator"] == "Mara Lind")
        .unwrap();
    assert_eq!(mara["items"], 2);
    assert_eq!(json["labels"][0]["label"], "pci");
    assert_eq!(json["labels"][0]["items"], 1);
    // Seconds over 3600 x 40 hours: 576000 s is 4 person-weeks.
    let h = history::read(
        "jira-export.csv",
        &std::fs::read_to_string(root().join(fixture("jira-export.csv"))).unwrap(),
        &HistoryOptions {
            team_column: "Component/s".into(),
            ..HistoryOptions::default()
        },
    )
    .unwrap();
    assert_eq!(h.items[0].estimate, Estimate::Single(4.0));
    assert_eq!(h.items[0].actual, 5.0);
    assert_eq!(
        h.items[0].finished.map(|d| (d.year, d.month, d.day)),
        Some((2026, 3, 5))
    );
}

#[test]
fn bad_histories_are_explained() {
    for name in ["missing-column", "negative", "bad-date"] {
        let (code, stdout, stderr) = run(&["calibrate", &fixture(&format!("{name}.csv"))]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("help: "), "{name}: {stderr}");
        insta::assert_snapshot!(format!("history_{name}"), stderr);
    }
}

#[test]
fn json_field_names() {
    let stdout = stdout_of(roadmap().args([
        "calibrate",
        "scenarios/history-example.csv",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let web = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "web")
        .unwrap();
    for field in [
        "team",
        "items",
        "median_ratio",
        "p10_ratio",
        "p90_ratio",
        "within_range",
        "within_p10_p90",
        "log_ratio_mean",
        "log_ratio_sd",
        "bias",
        "widening",
        "backtest",
    ] {
        assert!(web.get(field).is_some(), "missing {field}: {web}");
    }
    for field in [
        "quarters",
        "items",
        "within_p10_p90_calibrated",
        "within_p10_p90_raw",
    ] {
        assert!(web["backtest"].get(field).is_some(), "backtest.{field}");
    }
    assert!(json["estimators"].as_array().unwrap()[0]
        .get("estimator")
        .is_some());
}

const SCENARIO: &str = "scenarios/saas-annual-plan.toml";

fn apply(scenario: &std::path::Path, out: &std::path::Path) -> String {
    stdout_of(roadmap().args([
        "calibrate",
        "scenarios/history-example.csv",
        "--apply",
        scenario.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]))
}

#[test]
fn apply_keeps_the_file_and_does_not_compound() {
    let dir = tempfile::tempdir().unwrap();
    // The scenario's backlog and paths are relative to its folder: work beside a copy.
    let original = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    let scenario = dir.path().join("plan.toml");
    std::fs::write(&scenario, &original).unwrap();
    let once = dir.path().join("once.toml");
    let twice = dir.path().join("twice.toml");
    apply(&scenario, &once);
    apply(&once, &twice);
    let once_text = std::fs::read_to_string(&once).unwrap();
    // Everything before the table is the scenario byte for byte, comments included.
    assert!(
        once_text.starts_with(&original),
        "the scenario's own text changed"
    );
    assert!(once_text.contains("[calibration.teams.web]"));
    // Calibrating the calibrated file replaces the table: the same file again.
    assert_eq!(std::fs::read_to_string(&twice).unwrap(), once_text);
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), original);

    // The loaded efforts are the hand formula applied to the written estimates.
    let plain = roadmap::scenario::load(&scenario).unwrap();
    let calibrated = roadmap::scenario::load(&once).unwrap();
    let applied = calibrated.model.calibration.as_ref().unwrap();
    assert_eq!(applied.items, 30);
    assert_eq!(applied.source.as_deref(), Some("history-example.csv"));
    assert_eq!(applied.teams, ["mobile", "web"]);
    assert!(plain.model.calibration.is_none());
    let table: toml::Table = once_text.parse().unwrap();
    let web = &table["calibration"]["teams"]["web"];
    let (b, w) = (
        web["bias"].as_float().unwrap(),
        web["widening"].as_float().unwrap(),
    );
    let team = |id: &str| plain.model.teams.iter().position(|t| t.id == id).unwrap();
    let (web_index, uncalibrated) = (team("web"), [team("platform"), team("data")]);
    let mut checked = 0;
    for (f, g) in plain.model.features.iter().zip(&calibrated.model.features) {
        for (e, c) in f.effort.iter().zip(&g.effort) {
            let before = &plain.model.inputs[e.weeks.0 as usize].dist;
            let after = &calibrated.model.inputs[c.weeks.0 as usize].dist;
            if uncalibrated.contains(&e.team) {
                assert_eq!(before, after);
                continue;
            }
            if e.team != web_index {
                continue;
            }
            if let roadmap::model::Dist::Pert { low, likely, high } = *before {
                let [l, m, h] = corrected(low, likely, high, b, w);
                // Beta-PERT mean (l + 4m + h) / 6 of the hand-corrected estimate.
                let expected = (l + 4.0 * m + h) / 6.0;
                assert!((after.mean() - expected).abs() < 1e-9 * expected.max(1.0));
                checked += 1;
            }
        }
    }
    assert!(checked > 5, "{checked} web estimates checked");
}

#[test]
fn validate_names_the_calibration_and_rejects_unknown_teams() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    let good = dir.path().join("plan.toml");
    std::fs::write(
        &good,
        format!("{original}\n[calibration]\nsource = \"h.csv\"\n\n[calibration.teams.web]\nbias = 1.3\nwidening = 1.4\nitems = 42\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["validate", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Estimates   calibrated from 42 items (h.csv) for web"),
        "{stdout}"
    );
    // Every report that shows figures says the estimates were corrected.
    let (code, stdout, stderr) = run(&["simulate", good.to_str().unwrap(), "--trials", "200"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("estimates calibrated from 42 items (h.csv) for web"),
        "{stdout}"
    );
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        format!("{original}\n[calibration.teams.wbe]\nbias = 1.3\n\n[calibration.teams.web]\nbias = -1\n"),
    )
    .unwrap();
    let (code, _, stderr) = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("calibration.teams.wbe: unknown team `wbe`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("calibration.teams.web.bias: must be positive, got -1"),
        "{stderr}"
    );
    let line = original.lines().count() + 2;
    assert!(stderr.contains(&format!("bad.toml:{line}:")), "{stderr}");
}

/// Leave one quarter out on a dated synthetic history: each quarter's items, judged by the
/// correction fitted on the other three, hold about 80% inside P10-P90; the raw estimates far
/// fewer.
#[test]
fn the_backtest_judges_each_quarter_by_the_others() {
    let mut stream = Stream(7);
    let mut items = synthetic(&mut stream, 240, 1.4, 0.35);
    for (i, item) in items.iter_mut().enumerate() {
        item.finished = Some(history::Day {
            year: 2026,
            month: 1 + 3 * (i % 4) as u32,
            day: 15,
        });
    }
    let c = calibrate("dated", &items);
    let b = c.teams[0].backtest.as_ref().unwrap();
    assert_eq!((b.quarters, b.items), (4, 240));
    assert!(
        (b.within_p10_p90_calibrated - 0.8).abs() <= 0.07,
        "calibrated {}",
        b.within_p10_p90_calibrated
    );
    assert!(b.within_p10_p90_raw < 0.4, "raw {}", b.within_p10_p90_raw);
    // Undated items give no backtest.
    let undated = synthetic(&mut stream, 40, 1.4, 0.35);
    assert!(calibrate("undated", &undated).teams[0].backtest.is_none());
}

/// The remaining work of a feature under way is the team's estimate too, and is corrected.
#[test]
fn remaining_work_is_calibrated_like_effort() {
    let text = |calibration: &str| {
        format!(
            r#"
[plan]
periods = 2
start = "2027Q1"
[[teams]]
id = "web"
capacity = 20
[[features]]
id = "a"
effort = {{ web = 10 }}
status = "in-progress"
remaining = {{ web = [2, 4, 8] }}
value = 1000
{calibration}"#
        )
    };
    let plain = common::load::model_from(&text(""));
    let calibrated =
        common::load::model_from(&text("[calibration.teams.web]\nbias = 1.5\nwidening = 2\n"));
    let dist = |m: &roadmap::model::Model| {
        m.inputs[m.features[0].effort[0].weeks.0 as usize]
            .dist
            .clone()
    };
    assert_eq!(
        dist(&plain),
        roadmap::model::Dist::Pert {
            low: 2.0,
            likely: 4.0,
            high: 8.0
        }
    );
    // [b·m·(l/m)^w, b·m, b·m·(h/m)^w] = [6 x 0.25, 6, 6 x 4].
    assert_eq!(
        dist(&calibrated),
        roadmap::model::Dist::Pert {
            low: 1.5,
            likely: 6.0,
            high: 24.0
        }
    );
}
