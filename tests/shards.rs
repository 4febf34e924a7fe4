//! Runs split into shards (`--shard K/N --partial FILE`) and merged with `roadmap merge` give
//! exactly the output of one run: text, JSON, CSV and every file of `--out`, byte for byte
//! (timings aside), for any split, including one shard and more shards than chunks. Parts that
//! do not make one run are refused with exit 2 and a message that names the file.

mod common;

use common::cli::{file_names, run};
use std::path::{Path, PathBuf};

/// Runs `roadmap` with `args`, which must succeed; returns stdout.
fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "roadmap {}: {stderr}", args.join(" "));
    stdout
}

/// Runs every shard of `command` split in `n` into `dir`, last shard first; returns the parts.
fn shards(command: &[&str], n: u64, dir: &Path) -> Vec<PathBuf> {
    (1..=n)
        .rev()
        .map(|k| {
            let part = dir.join(format!("part-{k}-of-{n}.json"));
            let shard = format!("{k}/{n}");
            let mut args = command.to_vec();
            args.extend(["--shard", &shard, "--partial", part.to_str().unwrap()]);
            let (code, stdout, stderr) = run(&args);
            assert_eq!(code, 0, "{stderr}");
            assert_eq!(
                stdout, "",
                "a shard prints its result nowhere but its partial file"
            );
            assert!(stderr.contains(&format!("shard {shard} (")), "{stderr}");
            part
        })
        .collect()
}

/// `roadmap merge` of `parts` with `extra` arguments, which must succeed.
fn merge(parts: &[PathBuf], extra: &[&str]) -> String {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend(extra);
    ok(&args)
}

/// Every output of the single run of `command` against the merge of its shards, for each
/// split in `splits`, after `stable` (which blanks timings).
fn assert_merges_exactly(command: &[&str], splits: &[u64], stable: fn(&str) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let single_out = dir.path().join("single-out");
    let mut single: Vec<String> = ["text", "json", "csv"]
        .iter()
        .map(|format| {
            let mut args = command.to_vec();
            args.extend(["--format", format]);
            stable(&ok(&args))
        })
        .collect();
    let mut args = command.to_vec();
    args.extend(["--out", single_out.to_str().unwrap()]);
    single.push(stable(&ok(&args)).replace(single_out.to_str().unwrap(), "OUT"));
    let files = file_names(&single_out);
    assert!(files.len() >= 3, "{files:?}");
    for &n in splits {
        let parts_dir = dir.path().join(format!("parts-{n}"));
        let parts = shards(command, n, &parts_dir);
        let merged_out = dir.path().join(format!("merged-out-{n}"));
        for (i, format) in ["text", "json", "csv"].iter().enumerate() {
            let merged = stable(&merge(&parts, &["--format", format]));
            assert_eq!(merged, single[i], "{format}, {n} shards");
        }
        let merged = merge(&parts, &["--out", merged_out.to_str().unwrap()]);
        assert_eq!(
            stable(&merged).replace(merged_out.to_str().unwrap(), "OUT"),
            single[3],
            "--out, {n} shards"
        );
        assert_eq!(file_names(&merged_out), files);
        for file in &files {
            let a = std::fs::read_to_string(single_out.join(file)).unwrap();
            let b = std::fs::read_to_string(merged_out.join(file)).unwrap();
            assert_eq!(stable(&b), stable(&a), "{file}, {n} shards");
        }
    }
}

fn as_is(text: &str) -> String {
    text.to_string()
}

/// Compute times vary from run to run: blank the strategies' `time` column (text), their
/// `compute_seconds` (JSON) and its CSV column.
fn without_timings(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.to_string();
        if let Some(at) = line.find("\"compute_seconds\":") {
            let end = line[at..].find(',').map_or(line.len(), |e| at + e);
            line.replace_range(at..end, "\"compute_seconds\": T");
        } else if line.trim_end().ends_with(" s") {
            let words: Vec<&str> = line.split_inclusive(' ').collect();
            line = words[..words.len().saturating_sub(2)].concat();
        } else if line.contains(',') && !line.contains(' ') {
            // A CSV row: compute_seconds is the one column that is a time.
            let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
            if cells.len() == 14 {
                cells[12] = "T".into();
            }
            line = cells.join(",");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn simulations_merge_into_the_single_run_byte_for_byte() {
    // 5,000 trials are 5 chunks: 1 shard, uneven shards, and more shards than chunks.
    assert_merges_exactly(
        &[
            "simulate",
            "scenarios/saas-annual-plan.toml",
            "--trials",
            "5000",
        ],
        &[1, 2, 3, 7],
        as_is,
    );
    // A last chunk that is not full, Latin hypercube sampling, an order rule, one thread.
    assert_merges_exactly(
        &[
            "simulate",
            "scenarios/hardware-device.toml",
            "--trials",
            "2100",
            "--lhs",
            "--order",
            "wsjf",
            "--threads",
            "1",
        ],
        &[2, 4],
        as_is,
    );
    // Budgets per period, and features from a backlog CSV (both carried in the parts).
    for scenario in [
        "scenarios/payments-compliance.toml",
        "scenarios/backlog-plan.toml",
    ] {
        assert_merges_exactly(
            &["simulate", scenario, "--trials", "3000", "--seed", "9"],
            &[3],
            as_is,
        );
    }
}

#[test]
fn a_plan_file_is_carried_in_the_parts() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.csv");
    ok(&[
        "optimize",
        "scenarios/mobile-launch.toml",
        "--mode",
        "deterministic",
        "--trials",
        "0",
        "-o",
        plan.to_str().unwrap(),
    ]);
    let command = [
        "simulate",
        "scenarios/mobile-launch.toml",
        "--plan",
        plan.to_str().unwrap(),
        "--trials",
        "2500",
    ];
    let single = ok(&[&command[..], &["--format", "json"]].concat());
    let parts = shards(&command, 2, dir.path());
    // The merge reads the plan from the parts, not from disk.
    std::fs::remove_file(&plan).unwrap();
    assert_eq!(merge(&parts, &["--format", "json"]), single);
}

#[test]
fn tournaments_on_a_scenario_merge_into_the_single_run() {
    // 2,500 trials are 3 chunks; 5 shards leave two empty.
    assert_merges_exactly(
        &[
            "strategies",
            "scenarios/mobile-launch.toml",
            "--strategies",
            "optimal,rice,wsjf,random,value-per-effort,moscow",
            "--trials",
            "2500",
        ],
        &[1, 2, 5],
        without_timings,
    );
}

#[test]
fn tournaments_over_generated_portfolios_merge_into_the_single_run() {
    // 5 portfolios; 8 shards leave three empty.
    assert_merges_exactly(
        &[
            "strategies",
            "--generate",
            "5",
            "--features",
            "10",
            "--trials",
            "200",
            "--strategies",
            "optimal,rice,wsjf,shortest-job-first",
        ],
        &[1, 2, 8],
        as_is,
    );
}

/// The message of a refused merge, with the temporary folder's path blanked.
fn refused(args: &[&str], dir: &Path) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    stderr.replace(dir.to_str().unwrap(), "[DIR]")
}

#[test]
fn parts_that_are_not_one_run_are_refused_with_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sim = [
        "simulate",
        "scenarios/mobile-launch.toml",
        "--trials",
        "3000",
    ];
    let parts = shards(&sim, 3, d);
    let (p3, p2, p1) = (
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
        parts[2].to_str().unwrap(),
    );
    let other = |name: &str, args: &[&str]| {
        let path = d.join(name);
        let mut all = args.to_vec();
        all.extend(["--shard", "2/3", "--partial", path.to_str().unwrap()]);
        ok(&all);
        path.to_str().unwrap().to_string()
    };
    let seed = other("seed.json", &[&sim[..], &["--seed", "7"]].concat());
    let scenario = other(
        "scenario.json",
        &[
            "simulate",
            "scenarios/hardware-device.toml",
            "--trials",
            "3000",
        ],
    );
    let tournament = other(
        "tournament.json",
        &[
            "strategies",
            "scenarios/mobile-launch.toml",
            "--trials",
            "3000",
            "--strategies",
            "rice",
        ],
    );
    let four = d.join("four.json");
    ok(&[
        &sim[..],
        &["--shard", "2/4", "--partial", four.to_str().unwrap()],
    ]
    .concat());
    let text = std::fs::read_to_string(p2).unwrap();
    let damaged = d.join("damaged.json");
    let at = text.find("\"npv_negative\":").unwrap() + "\"npv_negative\":".len();
    let mut changed = text.clone();
    changed.insert(at, '1');
    std::fs::write(&damaged, changed).unwrap();
    let cut = d.join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let newer = d.join("newer.json");
    std::fs::write(&newer, text.replacen("\"version\":1", "\"version\":2", 1)).unwrap();

    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("missing", vec!["merge", p1, p3]),
        ("twice", vec!["merge", p1, p2, p3, p2]),
        ("seed", vec!["merge", p1, &seed, p3]),
        ("scenario", vec!["merge", p1, &scenario, p3]),
        ("command", vec!["merge", p1, &tournament, p3]),
        ("split", vec!["merge", p1, four.to_str().unwrap()]),
        ("damaged", vec!["merge", p1, damaged.to_str().unwrap(), p3]),
        ("cut", vec!["merge", p1, cut.to_str().unwrap(), p3]),
        ("version", vec!["merge", newer.to_str().unwrap()]),
        ("not-a-part", vec!["merge", "scenarios/mobile-launch.toml"]),
        ("no-file", vec!["merge", "no-such-part.json"]),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(format!("refused_{name}"), refused(&args, d));
    }
    // The parts are left as they were, and no output appeared.
    assert_eq!(std::fs::read_to_string(p2).unwrap(), text);
}

#[test]
fn merge_lists_the_missing_shards() {
    let dir = tempfile::tempdir().unwrap();
    let sim = [
        "simulate",
        "scenarios/mobile-launch.toml",
        "--trials",
        "6000",
    ];
    let parts = shards(&sim, 5, dir.path());
    let some = [parts[0].clone(), parts[3].clone()];
    let (code, stdout, stderr) = run(&[
        "merge",
        "--missing",
        some[0].to_str().unwrap(),
        some[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "1/5\n3/5\n4/5\n");
    assert_eq!(stderr, "3 of 5 shards missing\n");
    let all: Vec<&str> = parts.iter().map(|p| p.to_str().unwrap()).collect();
    let (code, stdout, _) = run(&[&["merge", "--missing"][..], &all].concat());
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_shard_stopped_halfway_leaves_no_partial_result() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.json");
    // A thousandth of a billion trials: seconds of work, stopped after half a second.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("roadmap"))
        .current_dir(common::cli::root())
        .args([
            "simulate",
            "scenarios/saas-annual-plan.toml",
            "--trials",
            "1000000000",
            "--shard",
            "1/1000",
            "--partial",
            part.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "the shard ended early");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!part.exists());
    assert_eq!(file_names(dir.path()), Vec::<String>::new());
}

#[test]
fn shard_flags_are_checked() {
    for (args, says) in [
        (
            vec![
                "simulate",
                "scenarios/mobile-launch.toml",
                "--shard",
                "5/4",
                "--partial",
                "p.json",
            ],
            "K is above N",
        ),
        (
            vec![
                "simulate",
                "scenarios/mobile-launch.toml",
                "--shard",
                "0/4",
                "--partial",
                "p.json",
            ],
            "shards count from 1",
        ),
        (
            vec!["simulate", "scenarios/mobile-launch.toml", "--shard", "1/4"],
            "--partial",
        ),
        (
            vec![
                "strategies",
                "scenarios/mobile-launch.toml",
                "--shard",
                "1/4",
                "--partial",
                "p.json",
                "--out",
                "o",
            ],
            "cannot be used with",
        ),
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(!common::cli::root().join("p.json").exists());
}
