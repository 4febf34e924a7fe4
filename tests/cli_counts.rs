//! Every count on the command line has an upper bound (src/limits.rs): a value past it, a
//! negative one or one that is not a whole number is invalid input, exit 2, with the bound and
//! why; never a panic, an abort on a failed allocation, or a run that cannot finish.

mod common;

use proptest::prelude::*;

const FLAGSHIP: &str = "scenarios/saas-annual-plan.toml";

fn roadmap(args: &[String]) -> (Option<i32>, String) {
    let out = common::cli::roadmap()
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (the command before the flag, the flag, its smallest and largest accepted values).
fn flags() -> Vec<(Vec<&'static str>, &'static str, u64, u64)> {
    let f = FLAGSHIP;
    vec![
        (vec!["capacity", f], "--trials", 1, 1_000_000_000),
        (vec!["simulate", f], "--trials", 1, 1_000_000_000),
        (vec!["simulate", f], "--threads", 1, 1024),
        (vec!["optimize", f], "--trials", 0, 1_000_000_000),
        (vec!["optimize", f], "--scenarios", 1, 100_000),
        (vec!["optimize", f], "--threads", 1, 1024),
        (vec!["strategies", f], "--trials", 1, 100_000_000),
        (vec!["strategies", f], "--threads", 1, 1024),
        (vec!["strategies"], "--generate", 1, 100_000),
        (vec!["frontier", f], "--points", 2, 101),
        (vec!["frontier", f], "--scenarios", 1, 100_000),
        (vec!["frontier", f], "--trials", 0, 1_000_000_000),
        (vec!["sensitivity", f], "--top", 1, 10_000),
        (vec!["sensitivity", f], "--trials", 1, 100_000_000),
        (vec!["whatif", f], "--trials", 1, 1_000_000_000),
        (vec!["whatif", f], "--scenarios", 1, 100_000),
        (
            vec!["report", f, "-o", "out/never"],
            "--trials",
            1,
            100_000_000,
        ),
        (
            vec!["report", f, "-o", "out/never"],
            "--frontier-points",
            0,
            101,
        ),
        (
            vec!["report", f, "-o", "out/never"],
            "--frontier-scenarios",
            1,
            100_000,
        ),
        (vec!["report", f, "-o", "out/never"], "--top", 1, 1000),
        (vec!["generate"], "--features", 1, 20_000),
        (vec!["generate", "--features", "10"], "--teams", 1, 50),
        (vec!["generate", "--features", "10"], "--periods", 1, 104),
    ]
}

/// Values no count flag accepts: past the bound, below the least, negative, fractional, in
/// exponent form, too long for 64 bits, or not a number.
fn bad_value(min: u64, max: u64) -> BoxedStrategy<String> {
    let mut options = vec![
        (max + 1..=u64::MAX).prop_map(|v| v.to_string()).boxed(),
        "-[1-9][0-9]{0,20}".boxed(),
        "[1-9][0-9]{20,30}".boxed(),
        "[0-9]{1,4}\\.[0-9]{1,3}".boxed(),
        "[1-9]e[0-9]{1,2}".boxed(),
        "[a-zA-Z%_,]{1,6}".boxed(),
        Just(String::new()).boxed(),
        Just("NaN".to_string()).boxed(),
        Just("inf".to_string()).boxed(),
    ];
    if min > 0 {
        options.push((0..min).prop_map(|v| v.to_string()).boxed());
    }
    proptest::strategy::Union::new(options).boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn no_count_flag_accepts_a_bad_value(pick in 0usize..1000, seed in any::<u64>()) {
        let table = flags();
        let (before, flag, min, max) = &table[pick % table.len()];
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig::default(),
            proptest::test_runner::TestRng::from_seed(
                proptest::test_runner::RngAlgorithm::ChaCha,
                &{
                    let mut s = [0u8; 32];
                    s[..8].copy_from_slice(&seed.to_le_bytes());
                    s
                },
            ),
        );
        let value = bad_value(*min, *max).new_tree(&mut runner).unwrap().current();
        let mut args: Vec<String> = before.iter().map(|s| s.to_string()).collect();
        args.push(format!("{flag}={value}"));
        let (code, stderr) = roadmap(&args);
        prop_assert_eq!(code, Some(2), "{:?}: {}", args, stderr);
        prop_assert!(stderr.contains(flag.trim_start_matches('-')), "{:?}: {}", args, stderr);
        prop_assert!(!stderr.contains("panicked"), "{:?}: {}", args, stderr);
    }
}

#[test]
fn the_largest_accepted_value_is_past_none_of_the_static_bounds() {
    // One past each bound is refused with the range; the bound itself parses (checked on the
    // cheap flags only: a billion trials would run for hours).
    for (before, flag, _, max) in flags() {
        let mut args: Vec<String> = before.iter().map(|s| s.to_string()).collect();
        args.push(format!("{flag}={}", max + 1));
        let (code, stderr) = roadmap(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&max.to_string()) || stderr.contains(&thousands(max)),
            "{args:?} does not name the bound {max}: {stderr}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = roadmap(&[
        "generate".into(),
        "--features".into(),
        "20000".into(),
        "--teams".into(),
        "50".into(),
        "--periods".into(),
        "104".into(),
        "-o".into(),
        dir.path().join("largest.toml").display().to_string(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
}

fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Counts inside the static ranges that would still not fit in memory: refused before any
/// work, with the bound computed from what the run keeps per trial or per sampled future.
#[test]
fn counts_bounded_by_memory_are_refused_before_any_work() {
    let f = FLAGSHIP;
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // The capacity check keeps 2 x 4 teams x 4 quarters numbers per trial.
        (vec!["capacity", f, "--trials", "100000000000"], "--trials"),
        (
            vec!["capacity", f, "--trials", "900000000"],
            "the capacity check (for its P80s) keeps",
        ),
        (
            vec!["strategies", f, "--trials", "90000000"],
            "pairing the strategies",
        ),
        (
            vec![
                "whatif",
                f,
                "--set",
                "plan.budget=none",
                "--trials",
                "900000000",
            ],
            "pairing base and variant",
        ),
        (
            vec!["frontier", f, "--trials", "900000000", "--points", "50"],
            "pairing the frontier's plans",
        ),
        (
            vec!["report", f, "-o", "out/never", "--trials", "90000000"],
            "pairing the plan, the strategies",
        ),
        (
            vec![
                "optimize",
                f,
                "--mode",
                "stochastic",
                "--scenarios",
                "100000",
            ],
            "entries to the MILP",
        ),
        (
            vec!["frontier", f, "--scenarios", "100000"],
            "entries to the MILP",
        ),
        (vec!["sensitivity", f, "--trials", "90000000"], "keep"),
    ];
    for (args, says) in cases {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let started = std::time::Instant::now();
        let (code, stderr) = roadmap(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            stderr.contains("help: use at most") || stderr.contains("is not in 1..="),
            "{args:?} does not give the bound: {stderr}"
        );
        // Refused up front: nothing was simulated or solved.
        assert!(
            started.elapsed().as_secs_f64() < 20.0,
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
    assert!(!common::cli::root().join("out/never").exists());
}

#[test]
fn simulation_trials_in_a_file_are_bounded_too() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(common::cli::root().join("scenarios/mobile-launch.toml")).unwrap();
    let line = text
        .lines()
        .position(|l| l == "trials = 10000")
        .expect("mobile-launch sets [simulation] trials")
        + 1;
    let path = dir.path().join("big.toml");
    std::fs::write(
        &path,
        text.replacen("trials = 10000", "trials = 5000000000", 1),
    )
    .unwrap();
    let (code, stderr) = roadmap(&["validate".into(), path.display().to_string()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("big.toml:{line}")), "{stderr}");
    assert!(
        stderr.contains("more than the 1000000000 a run allows"),
        "{stderr}"
    );
}
