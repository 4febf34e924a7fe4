//! Fuzz target for parse + validate: arbitrary text and mutations of real scenarios must
//! never panic; they either validate or produce findings. `make fuzz` runs it longer
//! (PROPTEST_CASES) and prints how many executions ran.

mod common;

use proptest::prelude::*;
use roadmap::analysis::capacity;
use roadmap::scenario::{self, ScenarioError};
use std::sync::atomic::{AtomicU64, Ordering};

fn corpus() -> Vec<(String, String)> {
    let root = common::cli::root();
    let mut out = vec![(
        "starter.toml".to_string(),
        scenario::starter::STARTER.to_string(),
    )];
    for dir in ["scenarios", "tests/fixtures/bad"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for f in files {
            out.push((
                f.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    }
    out
}

const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    "\"",
    "\n",
    "#",
    ".",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "1.5",
    "99999999999999999999",
    "\"\"",
    "[]",
    "{}",
    "[[features]]\n",
    "[[teams]]\n",
    "[plan]\n",
    "id = \"x\"\n",
    "requires = [\"x\"]\n",
    "excludes = [\"x\"]\n",
    "deadline = \"2027Q9\"\n",
    "mandatory = true\n",
    "effort = { web = [3, 2, 1] }\n",
    "periods = 0\n",
    "periods = 100000\n",
    "capacity = []\n",
    "rho = 2\n",
    "probability = -1\n",
    "lag = 4294967296\n",
    "status = \"done\"\n",
    "status = \"in-progress\"\n",
    "remaining = { web = [1, 2, 3] }\n",
    "*",
    "€",
    "\u{0}",
];

fn mutate(text: &str, edits: &[(u8, usize, usize)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(kind, a, b) in edits {
        let len = bytes.len().max(1);
        let (i, j) = (a % len, b % len);
        match kind % 5 {
            0 => {
                let (lo, hi) = (i.min(j), i.max(j).min(i.min(j) + 40));
                bytes.drain(lo..hi.min(bytes.len()));
            }
            1 => {
                let token = TOKENS[b % TOKENS.len()].as_bytes();
                let at = i.min(bytes.len());
                bytes.splice(at..at, token.iter().copied());
            }
            2 => {
                // Duplicate a line: repeated ids, tables and keys.
                let s = String::from_utf8_lossy(&bytes).to_string();
                let lines: Vec<&str> = s.lines().collect();
                if !lines.is_empty() {
                    let line = lines[i % lines.len()];
                    let mut v: Vec<&str> = lines.clone();
                    v.insert(j % (lines.len() + 1), line);
                    bytes = v.join("\n").into_bytes();
                }
            }
            3 => {
                if i < bytes.len() {
                    bytes[i] = bytes[i].wrapping_add((b % 7) as u8 + 1);
                }
            }
            _ => {
                let s = String::from_utf8_lossy(&bytes).to_string();
                let mut lines: Vec<&str> = s.lines().collect();
                if lines.len() > 1 {
                    let (x, y) = (i % lines.len(), j % lines.len());
                    lines.swap(x, y);
                }
                bytes = lines.join("\n").into_bytes();
            }
        }
    }
    String::from_utf8_lossy(&bytes).to_string()
}

fn check(name: &str, text: String, csv: &str) {
    match common::load::try_load_with_backlog(name, text, csv) {
        Ok(loaded) => {
            // A valid model must also survive the capacity analysis.
            let _ = capacity::check(&loaded.model, 20, 1);
        }
        Err(ScenarioError::Invalid { findings, .. }) => {
            assert!(
                findings.iter().any(|f| f.is_error()),
                "rejected without an error"
            );
        }
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[test]
fn arbitrary_text_never_panics() {
    let runs = AtomicU64::new(0);
    proptest::test_runner::TestRunner::new(config())
        .run(&any::<String>(), |text| {
            runs.fetch_add(1, Ordering::Relaxed);
            check("arbitrary.toml", text, "");
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz: {} executions of arbitrary text without a crash",
        runs.load(Ordering::Relaxed)
    );
}

#[test]
fn mutated_scenarios_never_panic() {
    let corpus = corpus();
    let csv_base = std::fs::read_to_string(
        common::cli::root().join("tests/fixtures/bad/backlog-bad-rows.csv"),
    )
    .unwrap();
    let edits = || prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6);
    let runs = AtomicU64::new(0);
    proptest::test_runner::TestRunner::new(config())
        .run(
            &(any::<usize>(), edits(), edits()),
            |(which, edits, csv_edits)| {
                runs.fetch_add(1, Ordering::Relaxed);
                let (name, text) = &corpus[which % corpus.len()];
                check(name, mutate(text, &edits), &mutate(&csv_base, &csv_edits));
                Ok(())
            },
        )
        .unwrap();
    eprintln!(
        "fuzz: {} executions of mutated scenarios without a crash",
        runs.load(Ordering::Relaxed)
    );
}
