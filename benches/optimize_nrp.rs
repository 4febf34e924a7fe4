//! The optimizer on the Next Release Problem benchmark: the 17 instances of Xuan et al.
//! (5 classic, 12 realistic) at budget ratios 0.3, 0.5 and 0.7 of the total cost, floor
//! rounding, each imported as `roadmap import nrp` imports it and solved to proven optimality
//! (gap 0) on 2 threads. One line per case: the budget, the optimum and HiGHS's best bound,
//! the times, and whether it met the goal of a proven optimum within 60 s. Beside it, HiGHS on
//! its own, on the same 2 threads to gap 0: roadmap's exported LP file read by HiGHS itself
//! (the same model without roadmap around it) and the textbook NRP integer program, each with
//! roadmap's time as a ratio of it; the totals at the end. A case whose three times are all
//! under 2 s is timed 5 times, the three in turn: its total and HiGHS's two times are the
//! medians (`runs` says 5), the import, build, load and solve columns the first run's.
//!
//! Run with `cargo bench --bench optimize_nrp` (`make bench-nrp`); a filter reruns some cases:
//! `cargo bench --bench optimize_nrp -- nrp-e1@0.3` or `ROADMAP_NRP_ONLY=nrp1,@0.7` (a case
//! runs when its label `instance@ratio` contains any of the comma-separated filters).
//! ROADMAP_NRP_TIME_LIMIT (seconds, default 600) caps each solve; ROADMAP_NRP_DIR says
//! where the data is (default benches/data/nrp in the repository).
//! Run without `--bench` (as `cargo test --benches` does), it solves only nrp1@0.3.
//! ROADMAP_NRP_SEEDS=K (default 1) also runs roadmap (`--solver-seed`), the exported LP file
//! and the textbook model with HiGHS's `random_seed` 1..K-1 and prints their mean times and
//! ranges: branch and bound takes another path on each, so one path's ratio is partly the path,
//! and the ratios of the means say what is the model and what is roadmap around it.
//!
//! Then the literature's 39 cases (nrp1-5 at 0.3/0.5/0.7, the realistic instances at 0.3/0.5)
//! with the budget the published table uses, round-half-up(ratio x total cost), each beside its
//! published optimum (benches/data/nrp/published-optima.tsv). The filter `literature` runs only
//! those; `floor` only the 51 floor cases.

use roadmap::app::{self, ImportNrpCommand};
use roadmap::optimize::{lp_text, optimize, Mode, OptimizeOptions, Status};
use roadmap::scenario::{self, nrp, nrp::Rounding};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;

const INSTANCES: [&str; 17] = [
    "classic-nrp/nrp1",
    "classic-nrp/nrp2",
    "classic-nrp/nrp3",
    "classic-nrp/nrp4",
    "classic-nrp/nrp5",
    "realistic-nrp/nrp-e1",
    "realistic-nrp/nrp-e2",
    "realistic-nrp/nrp-e3",
    "realistic-nrp/nrp-e4",
    "realistic-nrp/nrp-g1",
    "realistic-nrp/nrp-g2",
    "realistic-nrp/nrp-g3",
    "realistic-nrp/nrp-g4",
    "realistic-nrp/nrp-m1",
    "realistic-nrp/nrp-m2",
    "realistic-nrp/nrp-m3",
    "realistic-nrp/nrp-m4",
];
const RATIOS: [&str; 3] = ["0.3", "0.5", "0.7"];
/// A case meets the goal when HiGHS proves its optimum within this many seconds.
const GOAL_SECONDS: f64 = 60.0;
/// A case whose three times are all under this is timed REPEATS times and compared on the
/// medians: a tenth of a second of noise (the machine, HiGHS's threads starting) is a third
/// of such a time, and one run's ratio says more about the noise than about the solve.
const SHORT_SECONDS: f64 = 2.0;
const REPEATS: usize = 5;

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// The benchmark data lives in the repository (benches/data/nrp); ROADMAP_NRP_DIR overrides.
fn nrp_dir() -> PathBuf {
    let dir = std::env::var_os("ROADMAP_NRP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/nrp"));
    assert!(
        dir.join("classic-nrp/nrp1.txt").exists(),
        "NRP data not found at {}; set ROADMAP_NRP_DIR",
        dir.display()
    );
    dir
}

fn main() {
    let (benching, mut filters) = common::filters("ROADMAP_NRP_ONLY");
    if filters.is_empty() && !benching {
        // A smoke run under the test harness: one small case.
        filters.push("nrp1@0.3".to_string());
    }
    let time_limit: f64 = std::env::var("ROADMAP_NRP_TIME_LIMIT")
        .ok()
        .map(|t| {
            t.parse()
                .expect("ROADMAP_NRP_TIME_LIMIT is a number of seconds")
        })
        .unwrap_or(600.0);
    let dir = nrp_dir();
    let options = OptimizeOptions {
        mode: Mode::Deterministic,
        time_limit_seconds: Some(time_limit),
        gap: 0.0,
        threads: Some(2),
        seed: 0,
        mip_start: true,
        solver_log: None,
        solver_seed: 0,
        deterministic_start: None,
    };

    // SAFETY: Highs_version returns a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(highs_sys::Highs_version()) };
    println!(
        "NRP benchmark: floor(ratio x total cost), gap 0, 2 threads, time limit {time_limit:.0} s, goal: proven optimal within {GOAL_SECONDS:.0} s; HiGHS {}",
        version.to_string_lossy()
    );
    println!(
        "{:<10} {:>5} {:>6} {:>9} {:>11} {:>8} {:<10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>6} {:>6} {:>4}  goal",
        "instance",
        "ratio",
        "budget",
        "objective",
        "best bound",
        "gap",
        "status",
        "import s",
        "build s",
        "load s",
        "solve s",
        "total s",
        "lp s",
        "text s",
        "x lp",
        "x text",
        "runs"
    );
    let (mut cases, mut met) = (0, 0);
    // Totals over the cases: roadmap, HiGHS on the exported LP, the textbook model.
    let mut totals = [0.0f64; 3];
    // Roadmap's, the exported LP file's and the textbook model's mean times over the seeds.
    let mut seeded = [0.0f64; 3];
    let seeds: i32 = std::env::var("ROADMAP_NRP_SEEDS")
        .ok()
        .map(|s| {
            s.parse()
                .ok()
                .filter(|&k| k >= 1)
                .expect("ROADMAP_NRP_SEEDS is a whole number of seeds, 1 or more")
        })
        .unwrap_or(1);
    let mut worst_lp_ratio: (f64, String) = (0.0, String::new());
    let mut worst_seeded_ratio: (f64, String) = (0.0, String::new());
    let scratch = std::env::temp_dir().join(format!("roadmap-bench-nrp-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder for the LP files");
    let mut missed = Vec::new();
    let literature_only = filters.iter().any(|f| f == "literature");
    let floor_only = filters.iter().any(|f| f == "floor");
    filters.retain(|f| f != "literature" && f != "floor");
    for path in INSTANCES.iter().filter(|_| !literature_only) {
        let name = path.rsplit('/').next().unwrap();
        for ratio in RATIOS {
            let label = format!("{name}@{ratio}");
            if !filters.is_empty() && !filters.iter().any(|f| label.contains(f.as_str())) {
                continue;
            }
            cases += 1;
            // Import as the CLI does (`roadmap import nrp FILE --budget-ratio R --rounding floor`).
            let clock = Instant::now();
            let imported = app::import_nrp(&ImportNrpCommand {
                file: dir.join(format!("{path}.txt")),
                budget_ratio: ratio.to_string(),
                rounding: Rounding::Floor,
                output: None,
            })
            .unwrap_or_else(|e| panic!("{label}: import failed: {e:?}"));
            let model =
                scenario::load_text(Path::new(&format!("{name}.toml")), imported.stdout, &|p| {
                    std::fs::read(p)
                })
                .unwrap_or_else(|e| {
                    panic!("{label}: the imported scenario does not validate: {e:?}")
                })
                .model;
            let import_seconds = clock.elapsed().as_secs_f64();
            let budget = model.teams[0].capacity_weeks[0];
            let file = dir.join(format!("{path}.txt"));
            let instance = nrp::parse(path, &std::fs::read_to_string(&file).unwrap())
                .unwrap_or_else(|e| panic!("{label}: {e:?}"));
            match optimize(&model, &options) {
                Ok(o) => {
                    let total = o.timing.wall_seconds;
                    // HiGHS on its own: roadmap's model as an LP file, then the textbook one.
                    let lp = scratch.join(format!("{name}-{ratio}.lp"));
                    std::fs::write(&lp, lp_text(&model, &options)).expect("the LP file");
                    let (lp_objective, lp_seconds) = common::textbook::lp_file_optimum(&lp, 2);
                    let (text_objective, text_seconds) =
                        common::textbook::textbook_optimum(&instance, budget as u64, 2);
                    // A short case is timed again, the three in turn, and compared on medians.
                    let (total, lp_seconds, text_seconds, runs) =
                        if total.max(lp_seconds).max(text_seconds) < SHORT_SECONDS {
                            let mut times = [vec![total], vec![lp_seconds], vec![text_seconds]];
                            for _ in 1..REPEATS {
                                let again = optimize(&model, &options)
                                    .unwrap_or_else(|e| panic!("{label}: run again: {e}"));
                                assert_eq!(again.objective, o.objective, "{label}: run again");
                                times[0].push(again.timing.wall_seconds);
                                times[1].push(common::textbook::lp_file_optimum(&lp, 2).1);
                                times[2].push(
                                    common::textbook::textbook_optimum(&instance, budget as u64, 2)
                                        .1,
                                );
                            }
                            let [a, b, c] = times.map(|t| median(&t));
                            (a, b, c, REPEATS)
                        } else {
                            (total, lp_seconds, text_seconds, 1)
                        };
                    if seeds > 1 {
                        let mut roadmap_times = vec![total];
                        let mut lp_times = vec![lp_seconds];
                        let mut text_times = vec![text_seconds];
                        for seed in 1..seeds {
                            let on_seed = OptimizeOptions {
                                solver_seed: seed,
                                ..options.clone()
                            };
                            let again = optimize(&model, &on_seed)
                                .unwrap_or_else(|e| panic!("{label}: on seed {seed}: {e}"));
                            assert!(
                                (again.objective - o.objective).abs() < 0.5
                                    || again.status != Status::Optimal,
                                "{label}: seed {seed} found {} against {}",
                                again.objective,
                                o.objective
                            );
                            roadmap_times.push(again.timing.wall_seconds);
                            lp_times.push(common::textbook::lp_file_optimum_seeded(&lp, 2, seed).1);
                            text_times.push(
                                common::textbook::textbook_optimum_seeded(
                                    &instance,
                                    budget as u64,
                                    2,
                                    seed,
                                )
                                .1,
                            );
                        }
                        let spread = |t: &[f64]| {
                            let mean = t.iter().sum::<f64>() / t.len() as f64;
                            let (lo, hi) = t
                                .iter()
                                .fold((f64::INFINITY, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
                            (mean, lo, hi)
                        };
                        let (ours, lp, text) = (
                            spread(&roadmap_times),
                            spread(&lp_times),
                            spread(&text_times),
                        );
                        seeded[0] += ours.0;
                        seeded[1] += lp.0;
                        seeded[2] += text.0;
                        if ours.0 / lp.0 > worst_seeded_ratio.0 {
                            worst_seeded_ratio = (ours.0 / lp.0, label.clone());
                        }
                        println!(
                            "{label}: over {seeds} random seeds, roadmap {:.2} s (from {:.2} to {:.2}), HiGHS on the exported LP {:.2} s (from {:.2} to {:.2}), the textbook model {:.2} s (from {:.2} to {:.2}); roadmap's mean {:.2}x and {:.2}x theirs",
                            ours.0, ours.1, ours.2, lp.0, lp.1, lp.2, text.0, text.1, text.2, ours.0 / lp.0, ours.0 / text.0
                        );
                    }
                    for (what, objective) in
                        [("LP file", lp_objective), ("textbook", text_objective)]
                    {
                        assert!(
                            (objective - o.objective).abs() < 0.5 || o.status != Status::Optimal,
                            "{label}: the {what} optimum {objective} against roadmap's {}",
                            o.objective
                        );
                    }
                    totals[0] += total;
                    totals[1] += lp_seconds;
                    totals[2] += text_seconds;
                    if total / lp_seconds > worst_lp_ratio.0 {
                        worst_lp_ratio = (total / lp_seconds, label.clone());
                    }
                    let goal = o.status == Status::Optimal && total <= GOAL_SECONDS;
                    if goal {
                        met += 1;
                    } else {
                        missed.push(label.clone());
                    }
                    assert!(
                        o.violations.is_empty(),
                        "{label}: the checker found {:?}",
                        o.violations
                    );
                    println!(
                        "{:<10} {:>5} {:>6} {:>9.0} {:>11.2} {:>7.4}% {:<10} {:>8.2} {:>8.3} {:>8.3} {:>8.2} {:>8.2} {:>7.2} {:>7.2} {:>6.2} {:>6.2} {:>4}  {}",
                        name,
                        ratio,
                        budget,
                        o.objective,
                        o.bound,
                        100.0 * o.gap,
                        match o.status {
                            Status::Optimal => "optimal",
                            Status::TimeLimit => "time limit",
                        },
                        import_seconds,
                        o.timing.build_seconds,
                        o.timing.load_seconds,
                        o.timing.solve_seconds,
                        total,
                        lp_seconds,
                        text_seconds,
                        total / lp_seconds,
                        total / text_seconds,
                        runs,
                        if goal { "met" } else { "MISSED" }
                    );
                }
                Err(e) => {
                    missed.push(label.clone());
                    println!("{name:<10} {ratio:>5} {budget:>6} failed: {e}  MISSED");
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if cases > 0 && seeds > 1 {
        println!(
            "mean over {seeds} seeds: roadmap {:.2} s, HiGHS on the exported LP {:.2} s ({:.2}x), the textbook model {:.2} s ({:.2}x); slowest against the LP file: {} at {:.2}x",
            seeded[0],
            seeded[1],
            seeded[0] / seeded[1],
            seeded[2],
            seeded[0] / seeded[2],
            worst_seeded_ratio.1,
            worst_seeded_ratio.0
        );
    }
    if cases > 0 {
        println!(
            "total: roadmap {:.2} s, HiGHS on the exported LP {:.2} s ({:.2}x), the textbook model {:.2} s ({:.2}x); slowest against the LP file: {} at {:.2}x",
            totals[0],
            totals[1],
            totals[0] / totals[1],
            totals[2],
            totals[0] / totals[2],
            worst_lp_ratio.1,
            worst_lp_ratio.0
        );
        println!(
            "{met} of {cases} cases proven optimal within {GOAL_SECONDS:.0} s{}",
            if missed.is_empty() {
                String::new()
            } else {
                format!("; missed: {}", missed.join(", "))
            }
        );
    }
    let published = if !floor_only && (benching || literature_only) {
        literature(&dir, &options, &filters)
    } else {
        0
    };
    assert!(
        cases + published > 0,
        "no case matches the filter {filters:?}"
    );
}

/// The 39 published cases: round-half-up budgets, each optimum beside the published one.
/// Returns the number of cases run.
fn literature(dir: &Path, options: &OptimizeOptions, filters: &[String]) -> usize {
    let table = std::fs::read_to_string(dir.join("published-optima.tsv"))
        .expect("benches/data/nrp/published-optima.tsv");
    println!();
    println!("The literature's cases: round-half-up(ratio x total cost), gap 0, 2 threads");
    println!(
        "{:<10} {:>5} {:>6} {:>9} {:>9} {:<10} {:>8}  agrees",
        "instance", "ratio", "budget", "optimum", "published", "status", "total s"
    );
    let (mut cases, mut agree) = (0, 0);
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("instance"))
    {
        let cells: Vec<&str> = line.split('\t').collect();
        let (name, ratio, published) = (cells[0], cells[1], cells[2]);
        let label = format!("{name}@{ratio}");
        if !filters.is_empty() && !filters.iter().any(|f| label.contains(f.as_str())) {
            continue;
        }
        cases += 1;
        let folder = if name.starts_with("nrp-") {
            "realistic-nrp"
        } else {
            "classic-nrp"
        };
        let imported = app::import_nrp(&ImportNrpCommand {
            file: dir.join(format!("{folder}/{name}.txt")),
            budget_ratio: ratio.to_string(),
            rounding: Rounding::Nearest,
            output: None,
        })
        .unwrap_or_else(|e| panic!("{label}: import failed: {e:?}"));
        let model =
            scenario::load_text(Path::new(&format!("{name}.toml")), imported.stdout, &|p| {
                std::fs::read(p)
            })
            .unwrap_or_else(|e| panic!("{label}: the imported scenario does not validate: {e:?}"))
            .model;
        let budget = model.teams[0].capacity_weeks[0];
        match optimize(&model, options) {
            Ok(o) => {
                let same = format!("{:.0}", o.objective) == published;
                if same {
                    agree += 1;
                }
                println!(
                    "{:<10} {:>5} {:>6} {:>9.0} {:>9} {:<10} {:>8.2}  {}",
                    name,
                    ratio,
                    budget,
                    o.objective,
                    published,
                    match o.status {
                        Status::Optimal => "optimal",
                        Status::TimeLimit => "time limit",
                    },
                    o.timing.wall_seconds,
                    if same {
                        "yes"
                    } else {
                        "NO (see benches/data/nrp/README.md)"
                    }
                );
            }
            Err(e) => println!("{name:<10} {ratio:>5} {budget:>6} failed: {e}"),
        }
    }
    println!("{agree} of {cases} literature cases equal the published optimum");
    cases
}
