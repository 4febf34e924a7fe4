//! What a lead PM hit in a trial, pinned: machine-readable answers on stdout whatever the
//! verdict, flags that would do nothing refused with the flag to use, and capacity's last line
//! saying when commitments fit only on average.

mod common;

use common::build::ScenarioFile;
use common::cli::{roadmap, stdout_of};
use serde_json::Value;

fn scenario(text: &str) -> ScenarioFile {
    ScenarioFile::new(text)
}

/// `validate --format json` answers on stdout for an invalid file too, with exit code 2 and
/// the human message on stderr: a script can read the verdict either way.
#[test]
fn validate_json_reports_an_invalid_scenario_on_stdout() {
    let s = scenario(
        "[plan]\nperiods = 2\n\n[[teams]]\nid = \"w\"\ncapacity = 1\n\n\
         [[features]]\nid = \"a\"\neffort = { w = 10 }\nmandatory = true\n",
    );
    let out = roadmap()
        .args(["validate", s.path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json}");
    assert_eq!(errors[0]["field"], "teams[w].capacity");
    assert_eq!(errors[0]["location"]["line"], 6);
    assert!(String::from_utf8_lossy(&out.stderr).contains("8.0 person-weeks short"));

    // A syntax error and a missing file answer the same way.
    let broken = scenario("[plan\nperiods = 2\n");
    let out = roadmap()
        .args([
            "validate",
            broken.path.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["errors"][0]["location"]["line"], 1, "{json}");
    let out = roadmap()
        .args(["validate", "no/such/file.toml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("cannot read no/such/file.toml"));
}

/// A mode's flag given with another mode used to be ignored in silence.
#[test]
fn a_flag_of_another_mode_is_refused_with_the_flag_to_use() {
    let flagship = "scenarios/saas-annual-plan.toml";
    for (args, says) in [
        (
            vec!["optimize", flagship, "--confidence", "0.9"],
            "use --commit-confidence",
        ),
        (
            vec!["report", flagship, "-o", "unused", "--confidence", "0.9"],
            "--confidence is the robust mode's quantile and does nothing with --mode recommended",
        ),
        (
            vec![
                "whatif",
                flagship,
                "--set",
                "plan.budget=none",
                "--risk-aversion",
                "0.5",
            ],
            "--risk-aversion belongs to the stochastic mode",
        ),
        (
            vec![
                "optimize",
                flagship,
                "--mode",
                "robust",
                "--scenarios",
                "20",
            ],
            "--scenarios belongs to the stochastic mode and does nothing with --mode robust",
        ),
        (
            vec!["frontier", flagship, "--confidence", "0.7"],
            "add --mode robust to plan efforts at that quantile (with --sweep budget)",
        ),
    ] {
        let out = roadmap().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    // With the right mode the same flag is fine.
    stdout_of(roadmap().args([
        "optimize",
        flagship,
        "--mode",
        "robust",
        "--confidence",
        "0.7",
        "--trials",
        "0",
    ]));
}

/// Commitments that fit at expected efforts but not in every sampled future are not "all
/// fit": the last line names each team's share of trials; validate and capacity print the
/// same committed figures (from the expectations, not from different numbers of trials).
#[test]
fn capacity_says_when_commitments_fit_only_on_average() {
    let out = roadmap()
        .args(["capacity", "scenarios/mobile-launch.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("All commitments fit at expected efforts, but not in every sampled future; they fit in this share of trials: "),
        "{last}"
    );
    assert!(last.contains("android 56%"), "{last}");

    let json = |args: &[&str]| -> Value {
        let out = roadmap().args(args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let capacity = json(&[
        "capacity",
        "scenarios/mobile-launch.toml",
        "--format",
        "json",
    ]);
    let validate = json(&[
        "validate",
        "scenarios/mobile-launch.toml",
        "--format",
        "json",
    ]);
    for (a, b) in capacity["teams"]
        .as_array()
        .unwrap()
        .iter()
        .zip(validate["capacity"]["teams"].as_array().unwrap())
    {
        for (p, q) in a["periods"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["periods"].as_array().unwrap())
        {
            assert_eq!(p["due_by_end_mean"], q["due_by_end_mean"]);
            assert_eq!(p["committed_mean"], q["committed_mean"]);
        }
    }
}
