//! The `roadmap` binary as a user runs it, from the package root so that paths such as
//! `scenarios/saas-annual-plan.toml` and snapshots' file names are the same on every machine.

use assert_cmd::Command;
use std::path::Path;

/// The package root: where the binary runs and relative test paths start.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `roadmap`, ready for arguments, run from the package root.
pub fn roadmap() -> Command {
    let mut cmd = Command::cargo_bin("roadmap").unwrap();
    cmd.current_dir(root());
    cmd
}

/// Runs `roadmap` with `args` and returns its exit code (-1 when killed by a signal), stdout
/// and stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = roadmap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `roadmap optimize` of `scenario` in the deterministic mode, checked on 100 trials, writing
/// its plan to `plan` (CSV or JSON by the extension); returns what [`run`] does. The plan-file
/// tests start from it and read the file back with `simulate --plan`.
pub fn optimize_to(scenario: &str, plan: &Path) -> (i32, String, String) {
    run(&[
        "optimize",
        scenario,
        "--mode",
        "deterministic",
        "--trials",
        "100",
        "-o",
        plan.to_str().unwrap(),
    ])
}

/// The standard output of `cmd`, a run that must succeed: otherwise the test fails with its
/// standard error, which says why.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The names of the files in `dir`, sorted: what a command wrote to its output folder.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}
