//! The optimizer on generated portfolios at the sizes a large product organisation plans:
//! 1,000 features x 10 teams x 8 quarters in deterministic mode (goal: at most 30 s end to
//! end), and 200 features x 4 teams x 4 quarters in stochastic mode over 100 sampled futures
//! with CVaR (goal: at most 120 s). Both at gap 0.1% on 2 threads. Each line gives the model's
//! size, where the time goes (building the model, handing it to HiGHS, solving), and the
//! build's share of the total: model building must stay a small share of the solve time.
//! Then the gap over time, read from HiGHS's own log of the run: the best plan, the bound and
//! the gap at the end of each interval of 5 s, and what polishing did when the first search
//! stopped short of the gap (HiGHS's log covers that first search).
//!
//! Run with `cargo bench --bench optimize_scale` (`make bench-optimize`); an argument or
//! ROADMAP_SCALE_ONLY picks one case (`deterministic` or `stochastic`), ROADMAP_SCALE_RUNS
//! repeats each case (default 1), ROADMAP_SCALE_TIME_LIMIT caps each solve (seconds; by
//! default each case's goal). Run without `--bench` (as `cargo test --benches` does), it
//! solves small versions of both cases as a smoke test.

use roadmap::optimize::{optimize, Mode, OptimizeOptions, Status};
use roadmap::scenario::generate::{generate, GenerateSpec};
use roadmap::scenario::{self};
use std::path::Path;
use std::time::Instant;

mod common;

struct Case {
    name: &'static str,
    features: usize,
    teams: usize,
    periods: usize,
    mode: Mode,
    goal_seconds: f64,
}

fn main() {
    let (benching, filters) = common::filters("ROADMAP_SCALE_ONLY");
    let env_number = |name: &str, default: f64| -> f64 {
        std::env::var(name)
            .ok()
            .map(|t| t.parse().unwrap_or_else(|_| panic!("{name} is a number")))
            .unwrap_or(default)
    };
    let runs = env_number("ROADMAP_SCALE_RUNS", 1.0) as usize;
    // The smoke run only checks that both cases solve: a short limit keeps it quick.
    // Each case's limit is its goal: a plan at the gap within the goal is what is asked, and
    // under a time limit the optimizer polishes what the first search finds. The variable
    // sets one limit for every case.
    let time_limit = std::env::var("ROADMAP_SCALE_TIME_LIMIT").ok().map(|t| {
        t.parse::<f64>()
            .expect("ROADMAP_SCALE_TIME_LIMIT is a number")
    });
    // The smoke run under the test harness is small: 50 features x 4 teams x 4 periods, and
    // 20 features over 10 scenarios.
    let (deterministic, stochastic_features, scenarios) = if benching {
        ((1_000, 10, 8), 200, 100)
    } else {
        ((50, 4, 4), 20, 10)
    };
    let stochastic = Mode::Stochastic {
        scenarios,
        risk_aversion: 0.5,
        cvar_alpha: 0.9,
        overtime_premium: None,
    };
    let cases = [
        Case {
            name: "deterministic",
            features: deterministic.0,
            teams: deterministic.1,
            periods: deterministic.2,
            mode: Mode::Deterministic,
            goal_seconds: 30.0,
        },
        Case {
            name: "stochastic",
            features: stochastic_features,
            teams: 4,
            periods: 4,
            mode: stochastic,
            goal_seconds: 120.0,
        },
    ];

    println!("Generated portfolios (roadmap generate ... --seed 7), gap 0.1%, 2 threads");
    let mut ran = 0;
    for case in &cases {
        if !filters.is_empty() && !filters.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let clock = Instant::now();
        let text = generate(&GenerateSpec::new(
            case.features,
            case.teams,
            case.periods,
            7,
        ));
        let model = scenario::load_text(Path::new("generated.toml"), text, &|p| std::fs::read(p))
            .expect("a generated scenario validates")
            .model;
        let load_scenario = clock.elapsed().as_secs_f64();
        let what = match case.mode {
            Mode::Stochastic {
                scenarios,
                risk_aversion,
                cvar_alpha,
                ..
            } => format!(
                "stochastic, {scenarios} scenarios, risk aversion {risk_aversion}, CVaR alpha {cvar_alpha}, each future executing the plan"
            ),
            _ => "deterministic".to_string(),
        };
        let limit = time_limit.unwrap_or(if benching { case.goal_seconds } else { 20.0 });
        println!(
            "\n{} features x {} teams x {} periods, {what} (scenario generated and validated in {load_scenario:.2} s); goal <= {:.0} s, time limit {:.0} s",
            case.features, case.teams, case.periods, case.goal_seconds, limit
        );
        let log = std::env::temp_dir().join(format!(
            "roadmap-bench-scale-{}-{}.log",
            case.name,
            std::process::id()
        ));
        let options = OptimizeOptions {
            mode: case.mode,
            time_limit_seconds: Some(limit),
            gap: 0.001,
            threads: Some(2),
            // The CLI's: the optimizer samples on the scenario's seed + 1.
            seed: model.simulation.seed.wrapping_add(1),
            mip_start: true,
            solver_log: Some(log.clone()),
            solver_seed: 0,
            deterministic_start: None,
        };
        for run in 1..=runs {
            ran += 1;
            let o = optimize(&model, &options).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let t = &o.timing;
            let met = o.status == Status::Optimal && t.wall_seconds <= case.goal_seconds;
            if run == 1 {
                println!(
                    "  model: {} variables ({} binary), {} constraints, {} nonzeros",
                    o.size.variables, o.size.binaries, o.size.constraints, o.size.nonzeros
                );
            }
            println!(
                "  run {run}: build {:.2} s, load {:.2} s, solve {:.2} s, plan and check {:.2} s, total {:.2} s (build {:.1}% of total); {}, objective {:.0}, bound {:.0}, gap {:.3}%; start {}; goal {}",
                t.build_seconds,
                t.load_seconds,
                t.solve_seconds,
                t.wall_seconds - t.build_seconds - t.load_seconds - t.solve_seconds,
                t.wall_seconds,
                100.0 * t.build_seconds / t.wall_seconds,
                match o.status {
                    Status::Optimal => "optimal within the gap",
                    Status::TimeLimit => "time limit",
                },
                o.objective,
                o.bound,
                100.0 * o.gap,
                match (o.start.objective, &o.start.missing) {
                    (Some(s), _) => format!("{s:.0}"),
                    (None, Some(missing)) => {
                        format!("none ({})", roadmap::report::optimize::no_start(missing))
                    }
                    (None, None) => "none".to_string(),
                },
                if met { "met" } else { "MISSED" }
            );
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let _ = std::fs::remove_file(&log);
            print_gap_over_time(&text, 5.0);
            if let Some(p) = &o.polish {
                println!(
                    "    polish (HiGHS's log above is the first {:.0}% of the limit): {:.0} -> {:.0} over {} neighbourhoods ({} better) in {:.1} s, ended at {:.1} s{}",
                    100.0 * roadmap::optimize::polish::FIRST_SHARE,
                    p.from,
                    p.to,
                    p.searched,
                    p.improved,
                    p.seconds,
                    t.wall_seconds,
                    if p.resumed { "; then HiGHS on the whole model from it to the limit" } else { "" }
                );
            }
        }
    }
    assert!(ran > 0, "no case matches the filter {filters:?}");
}

/// One line of HiGHS's branch-and-bound table: seconds, best bound, best plan, gap (%). The
/// columns are [source] nodes, queued, leaves, explored %, bound, plan, gap %, cuts, in LP,
/// conflicts, LP iterations, time; "inf" and "Large" when there is no plan yet.
fn progress_line(line: &str) -> Option<(f64, String, String, String)> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let seconds: f64 = tokens.last()?.strip_suffix('s')?.parse().ok()?;
    let explored = tokens.iter().position(|t| t.ends_with('%'))?;
    let cell = |k: usize| tokens.get(explored + k).map(|t| t.to_string());
    Some((seconds, cell(1)?, cell(2)?, cell(3)?))
}

/// The gap over time: the last line of HiGHS's table in each interval of `step` seconds.
fn print_gap_over_time(log: &str, step: f64) {
    let lines: Vec<_> = log.lines().filter_map(progress_line).collect();
    if lines.is_empty() {
        return;
    }
    println!(
        "    {:>8} {:>16} {:>16} {:>9}",
        "time s", "best plan", "bound", "gap"
    );
    let mut shown_until = f64::NEG_INFINITY;
    for (i, (seconds, bound, plan, gap)) in lines.iter().enumerate() {
        let next = lines.get(i + 1).map(|l| l.0);
        let last_of_interval = next.is_none_or(|n| (n / step).floor() > (seconds / step).floor());
        if last_of_interval && *seconds > shown_until {
            println!("    {seconds:>8.1} {plan:>16} {bound:>16} {gap:>9}");
            shown_until = *seconds;
        }
    }
}
