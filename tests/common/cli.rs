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
