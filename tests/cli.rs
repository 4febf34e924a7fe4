//! End-to-end tests of the command line: help, exit codes, files written, and the
//! README's commands, which must keep working as documented.

mod common;

use common::cli::{roadmap, stdout_of};

fn nrp_file(name: &str) -> String {
    common::load::nrp_dir().join(name).display().to_string()
}

/// `roadmap import nrp` of the benchmark instance `name` (relative to the NRP folder) at
/// `ratio`, ready for more arguments.
fn import_nrp(name: &str, ratio: &str) -> assert_cmd::Command {
    let mut cmd = roadmap();
    cmd.args(["import", "nrp", &nrp_file(name), "--budget-ratio", ratio]);
    cmd
}

#[test]
fn every_command_has_accurate_help_with_an_example() {
    // Every command the top-level help lists, so a new command cannot ship without examples.
    let top = String::from_utf8(roadmap().arg("--help").output().unwrap().stdout).unwrap();
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions are indented further than command names.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help" && c != "import")
        .collect();
    for expected in ["validate", "optimize", "strategies", "frontier"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    let mut all: Vec<Vec<&str>> = vec![vec!["--help"], vec!["import", "nrp", "--help"]];
    all.extend(commands.iter().map(|c| vec![c.as_str(), "--help"]));
    for args in all {
        let out = roadmap().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Examples:"),
            "{args:?} has no example:\n{text}"
        );
        assert!(
            !text.contains('\u{1b}'),
            "{args:?}: no colour codes when piped"
        );
        // Every example line names the command it documents.
        let name = args
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        for line in text
            .lines()
            .filter(|l| l.trim_start().starts_with("roadmap "))
        {
            assert!(
                line.trim_start().starts_with(&format!("roadmap {name}")),
                "{args:?}: {line}"
            );
        }
    }
    let out = roadmap().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn init_writes_a_starter_that_validates_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    let p = path.to_str().unwrap();
    roadmap().args(["init", p]).assert().success();
    roadmap().args(["validate", p]).assert().success();
    roadmap().args(["capacity", p]).assert().success();
    let before = std::fs::read(&path).unwrap();
    let out = roadmap().args(["init", p]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    roadmap().args(["init", p, "--force"]).assert().success();
}

#[test]
fn import_nrp_writes_a_valid_scenario_and_rejects_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("nrp1.toml");
    let stdout = stdout_of(
        import_nrp("classic-nrp/nrp1.txt", "0.7").args(["-o", out_path.to_str().unwrap()]),
    );
    assert!(stdout.contains("budget 599 (floor(0.7 x 857))"), "{stdout}");
    roadmap()
        .args(["validate", out_path.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );

    // 0.7 x 10700 is 7490 exactly, not 7489.
    let out = import_nrp("realistic-nrp/nrp-g4.txt", "0.7")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("capacity = 7490\n"));
    let out = import_nrp("classic-nrp/nrp1.txt", "0.5")
        .args(["--rounding", "nearest"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("capacity = 429\n"));

    for (args, needle) in [
        (
            vec!["import", "nrp", "no-such-file.txt", "--budget-ratio", "0.3"],
            "cannot read",
        ),
        (
            vec!["import", "nrp", "Cargo.toml", "--budget-ratio", "0.3"],
            "expected the number of requirement levels",
        ),
        (
            vec![
                "import",
                "nrp",
                "tests/fixtures/bad/syntax-error.toml",
                "--budget-ratio",
                "1.5",
            ],
            "(0, 1]",
        ),
    ] {
        let out = roadmap().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // The annotated example is not an instance; the error says where it stops making sense.
    let out = import_nrp("classic-nrp/example.txt", "0.3")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("example.txt:"));
}

#[test]
fn output_that_cannot_be_written_is_exit_code_1() {
    // A folder in the way of a file cannot be made, even by root.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let target = file.join("x.toml");
    let out = import_nrp("classic-nrp/nrp1.txt", "0.3")
        .args(["-o", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("cannot write {}: ", target.display())),
        "{stderr}"
    );
    // The reason is said once.
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
}

#[test]
fn output_folders_are_made() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new").join("folder").join("x.toml");
    let out = import_nrp("classic-nrp/nrp1.txt", "0.3")
        .args(["-o", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(target.is_file());
}

#[test]
fn capacity_speaks_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, roadmap::scenario::starter::STARTER).unwrap();
    let p = path.to_str().unwrap();
    let out = roadmap()
        .args(["capacity", p, "--format", "json", "--trials", "500"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["trials"], 500);
    assert_eq!(json["teams"].as_array().unwrap().len(), 2);
    let out = roadmap()
        .args(["capacity", p, "--format", "csv", "--trials", "500"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 2 * 4,
        "a header and one row per team and period"
    );
    let out = roadmap()
        .args(["validate", p, "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["features"], 4);
    let out_dir = dir.path().join("out");
    roadmap()
        .args(["capacity", p, "--out", out_dir.to_str().unwrap()])
        .assert()
        .success();
    for f in ["capacity.txt", "capacity.csv", "capacity.json"] {
        assert!(out_dir.join(f).exists(), "{f}");
    }
}

/// Every `roadmap ...` line in the README's shell blocks runs and succeeds.
#[test]
fn readme_commands_run() {
    let root = common::cli::root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut in_block = false;
    let mut ran = 0;
    let work = tempfile::tempdir().unwrap();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line.trim() == "```sh";
            continue;
        }
        let Some(rest) = line.trim().strip_prefix("roadmap ") else {
            continue;
        };
        if !in_block {
            continue;
        }
        let args: Vec<String> = rest
            .split_whitespace()
            .take_while(|a| !a.starts_with('#') && *a != "|" && *a != ">")
            .map(|a| a.replace("out/", &format!("{}/", work.path().display())))
            .collect();
        let out = roadmap().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "README: roadmap {rest}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 5, "the README shows the tour ({ran} commands found)");
}

/// The format reference's worked example shows exactly what `roadmap validate` prints.
#[test]
fn the_format_reference_example_output_is_current() {
    let root = common::cli::root();
    let doc = std::fs::read_to_string(root.join("scenarios/README.md")).unwrap();
    let example = &doc[doc.find("### Example").expect("an Example section")..];
    let toml_start = example.find("```toml\n").unwrap() + "```toml\n".len();
    let toml = &example[toml_start..toml_start + example[toml_start..].find("```").unwrap()];
    let console_start = example.find("$ roadmap validate plan.toml\n").unwrap()
        + "$ roadmap validate plan.toml\n".len();
    let expected =
        &example[console_start..console_start + example[console_start..].find("$ echo").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), toml).unwrap();
    let out = roadmap()
        .current_dir(dir.path())
        .args(["validate", "plan.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), expected);
}
