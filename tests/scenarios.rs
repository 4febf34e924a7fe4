//! Every example scenario validates, its mandatory work fits, and what users see of the
//! flagship is pinned by snapshots.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn roadmap(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("roadmap")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_four_kinds_of_example_exist() {
    let names: Vec<String> = scenario_files()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for expected in [
        "saas-annual-plan.toml",
        "mobile-launch.toml",
        "hardware-device.toml",
        "backlog-plan.toml",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "scenarios/{expected} is missing"
        );
    }
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
    let loaded = roadmap::scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/backlog-plan.toml"
    )))
    .unwrap();
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
    let loaded = roadmap::scenario::load_text(
        Path::new("roadmap.toml"),
        roadmap::scenario::starter::STARTER.to_string(),
        &|p| std::fs::read(p),
    )
    .unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}
