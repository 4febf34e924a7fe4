//! At least 25 distinct bad inputs; every one gets exit code 2, a message naming file, line
//! and field with a fix (snapshot), no panic, and its files left untouched.

mod common;

use common::cli::roadmap;
use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let dir = common::cli::root().join("tests/fixtures/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn each_bad_input_is_explained_with_location_and_fix() {
    let dir = common::cli::root().join("tests/fixtures/bad");
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let before_count = before.len();
    let mut seen = std::collections::BTreeSet::new();
    for file in fixtures() {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let output = roadmap()
            .current_dir(&dir)
            .args(["validate", file.file_name().unwrap().to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{name}: nothing on stdout for an invalid file"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{name}: {first}");
        assert!(
            stderr.contains("help: "),
            "{name}: every error says how to fix it"
        );
        // Distinct fixtures must exercise distinct messages.
        assert!(
            seen.insert(
                first
                    .split_once(": ")
                    .map(|x| x.1)
                    .unwrap_or(first)
                    .to_string()
            ),
            "{name} repeats another fixture's first error"
        );
        insta::assert_snapshot!(format!("bad_{name}"), stderr);
    }
    // Counting files would pass with copies; distinct first errors are distinct mistakes.
    assert!(
        seen.len() >= 25,
        "{} distinct bad inputs, at least 25 wanted",
        seen.len()
    );
    for (path, bytes) in before {
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{} was modified",
            path.display()
        );
    }
    // Nothing was written next to the inputs.
    let after = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(after, before_count, "the run left files next to the inputs");
}
