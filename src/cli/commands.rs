//! Each command's arguments and their conversion into the plain command struct of `app`.

use super::shared::*;
use crate::app;
use crate::optimize::{Mode, OptimizeOptions};
use crate::scenario::generate::GenerateSpec;
use clap::{value_parser, Args};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario TOML file
    file: PathBuf,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Show every warning instead of the first dozen
    #[arg(long)]
    all_warnings: bool,
}

impl From<ValidateArgs> for app::ValidateCommand {
    fn from(a: ValidateArgs) -> Self {
        app::ValidateCommand {
            file: a.file,
            format: a.format.into(),
            all_warnings: a.all_warnings,
        }
    }
}

// `format` comes before the futures in `--help` and `out` after them, so this command does
// not flatten OutputArgs.
#[derive(Args, Debug)]
#[command(
    mut_arg(
        "trials",
        help(
            "Monte Carlo trials for the P80 figures (default: the scenario's [simulation] trials)"
        )
    ),
    mut_arg(
        "seed",
        help("Random seed (default: the scenario's [simulation] seed)")
    )
)]
pub struct CapacityArgs {
    /// Scenario TOML file
    file: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    #[command(flatten)]
    futures: FuturesArgs,
    /// Also write capacity.txt, capacity.csv and capacity.json into this folder
    #[arg(long)]
    out: Option<PathBuf>,
}

impl From<CapacityArgs> for app::CapacityCommand {
    fn from(a: CapacityArgs) -> Self {
        app::CapacityCommand {
            file: a.file,
            format: a.format.into(),
            futures: a.futures.into(),
            out: a.out,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg(
        "trials",
        help("Monte Carlo trials (default: the scenario's [simulation] trials)")
    ),
    mut_arg(
        "seed",
        help("Random seed (default: the scenario's [simulation] seed); same seed, same numbers")
    ),
    mut_arg(
        "out",
        help("Also write simulate.txt/.json/.csv and per-topic CSV tables into this folder")
    )
)]
pub struct SimulateArgs {
    /// Scenario TOML file
    file: PathBuf,
    /// Plan file to execute: CSV (feature,period) or JSON, as `roadmap optimize` writes it
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Priority order: a rule (value-per-effort, rice, ice, wsjf, cd3, moscow, shortest-job-first, highest-value-first, file-order, random) or a file with one feature id per line
    #[arg(long, value_name = "RULE|FILE")]
    order: Option<String>,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Latin hypercube sampling instead of plain Monte Carlo
    #[arg(long)]
    lhs: bool,
    #[command(flatten)]
    output: OutputArgs,
    /// Stream every trial's outcome (NPV, value, cost, delivery periods) to this CSV file
    #[arg(long, value_name = "FILE")]
    raw: Option<PathBuf>,
    #[command(flatten)]
    shard: ShardArgs,
}

impl From<SimulateArgs> for app::SimulateCommand {
    fn from(a: SimulateArgs) -> Self {
        app::SimulateCommand {
            file: a.file,
            plan: a.plan,
            order: a.order,
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            latin_hypercube: a.lhs,
            format: a.output.format.into(),
            out: a.output.out,
            raw: a.raw,
            shard: a.shard.output(),
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("mode", help("recommended (default): the best plan the simulator confirms among the MILP's plans in every mode and every scoring rule's, improved by a simulated local search and chosen on unseen futures; or one mode's MILP plan")),
    mut_arg("commit_confidence", help("Recommended mode: every mandatory feature and hard deadline must hold in this share of futures, and a planned feature is a commitment when it ships in its period this often (default: the scenario's [plan] commit_confidence, else 0.8)")),
    mut_arg("time_limit", help("Stop after this many seconds with the best plan so far (its gap is reported); deterministic and robust searches not at the gap by 40% of it polish their plan; default: none, 60 in the stochastic mode")),
    mut_arg("trials", trials("Trials of the out-of-sample re-simulation (default: the scenario's [simulation] trials; 0 skips it)", 0..=1_000_000_000)),
    mut_arg("seed", help("Seed of the re-simulation (default: the scenario's); the optimizer samples on seed + 1"))
)]
pub struct OptimizeArgs {
    /// Scenario TOML file
    file: PathBuf,
    #[command(flatten)]
    plan: PlanArgs,
    /// Stochastic mode: CVaR confidence; 0.9 averages the worst 10% of scenarios
    #[arg(long, default_value_t = 0.9)]
    cvar_alpha: f64,
    /// Stochastic mode: work beyond a scenario's capacity is done as overtime at this premium over the team's cost per week (0.5 = +50%); without it, that work pushes features later, as in `simulate`
    #[arg(long)]
    overtime_premium: Option<f64>,
    #[command(flatten)]
    limits: LimitsArgs,
    /// Solver threads (default: HiGHS chooses)
    #[arg(long, value_parser = value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Do not hand the value-per-effort plan to HiGHS as a start
    #[arg(long)]
    no_start: bool,
    /// HiGHS's random seed: another seed searches along another path, to the same optimum in another time (default 0, HiGHS's own)
    #[arg(long, default_value_t = 0, value_parser = value_parser!(i32).range(0..=2147483647))]
    solver_seed: i32,
    #[command(flatten)]
    futures: FuturesArgs,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write the plan file that `simulate --plan` reads: CSV, or JSON when the name ends in .json
    #[arg(short = 'o', long = "output", value_name = "PLAN")]
    output: Option<PathBuf>,
    /// Write the model in LP format, for inspection or any other solver
    #[arg(long, value_name = "FILE")]
    export_lp: Option<PathBuf>,
    /// Write HiGHS's own log (presolve, LP relaxation, branch and bound) to this file
    #[arg(long, value_name = "FILE")]
    solver_log: Option<PathBuf>,
}

impl From<OptimizeArgs> for app::OptimizeCommand {
    fn from(a: OptimizeArgs) -> Self {
        let milp = a.plan.milp(a.cvar_alpha, a.overtime_premium);
        app::OptimizeCommand {
            file: a.file,
            recommended: milp.is_none(),
            commit_confidence: a.plan.commit_confidence,
            optimize: OptimizeOptions {
                // The recommended plan's search starts from the deterministic optimum.
                mode: milp.unwrap_or(Mode::Deterministic),
                time_limit_seconds: a.limits.time_limit,
                gap: a.limits.gap,
                threads: a.threads.map(|t| t as usize),
                seed: 0,
                mip_start: !a.no_start,
                solver_log: a.solver_log,
                solver_seed: a.solver_seed,
                deterministic_start: None,
            },
            futures: a.futures.into(),
            format: a.format.into(),
            plan_output: a.output,
            export_lp: a.export_lp,
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("trials", trials("Simulated futures per strategy (default: the scenario's [simulation] trials; with --generate, 1000 per portfolio)", 1..=100_000_000)),
    mut_arg("seed", help("Seed of the futures (default: the scenario's; with --generate, 1); the optimizer plans on seed + 1")),
    mut_arg("out", help("Also write strategies.txt/.json/.csv into this folder"))
)]
pub struct StrategiesArgs {
    /// Scenario TOML file (or --generate N)
    file: Option<PathBuf>,
    /// Instead of a file: run the tournament on N generated portfolios whose size, value skew, uncertainty, dependency density, effort correlation and deals per feature vary
    #[arg(long, value_name = "N")]
    generate: Option<usize>,
    /// With --generate: average features per portfolio (sizes vary from half to 1.5 times it)
    #[arg(long, default_value_t = 40)]
    features: usize,
    /// With --generate: teams per portfolio
    #[arg(long, default_value_t = 4)]
    teams: usize,
    /// With --generate: periods per portfolio
    #[arg(long, default_value_t = 4)]
    periods: usize,
    /// Comma-separated strategies to run (default: all)
    #[arg(long, value_name = "A,B,...")]
    strategies: Option<String>,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Time limit of each optimal plan, in seconds
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    shard: ShardArgs,
}

impl From<StrategiesArgs> for app::StrategiesCommand {
    fn from(a: StrategiesArgs) -> Self {
        app::StrategiesCommand {
            file: a.file,
            generate: a.generate.map(|portfolios| app::GenerateMany {
                portfolios,
                features: a.features,
                teams: a.teams,
                periods: a.periods,
            }),
            strategies: a.strategies,
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            time_limit_seconds: a.time_limit,
            format: a.output.format.into(),
            out: a.output.out,
            shard: a.shard.output(),
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("time_limit", help("Time limit of each optimization, in seconds")),
    mut_arg("gap", help("Relative optimality gap of each optimization; points closer than it count as ties")),
    mut_arg("trials", trials("Simulated futures per plan (default: the scenario's [simulation] trials; 0 skips the simulation)", 0..=1_000_000_000)),
    mut_arg("seed", help("Seed of the simulated futures (default: the scenario's); the optimizer samples on seed + 1")),
    mut_arg("threads", help("Worker threads of the simulation (default: every core); the numbers do not depend on it")),
    mut_arg("out", help("Also write frontier.txt/.json/.csv, frontier-plans.csv and the chart (SVG, PNG) into this folder"))
)]
pub struct FrontierArgs {
    /// Scenario TOML file
    file: PathBuf,
    /// What to sweep
    #[arg(long, value_enum, default_value_t = SweepArg::RiskAversion)]
    sweep: SweepArg,
    /// Points on the frontier (evenly spaced risk aversions or budgets)
    #[arg(long, default_value_t = 6, value_parser = value_parser!(u64).range(2..=101))]
    points: u64,
    /// Risk aversions to solve at, instead of evenly spaced ones (e.g. 0,0.5,0.9,1)
    #[arg(long, value_name = "L,L,...")]
    lambdas: Option<String>,
    /// Budgets to solve at, instead of evenly spaced ones (e.g. 1.5M,2M,2500k)
    #[arg(long, value_name = "B,B,...")]
    budgets: Option<String>,
    /// Risk-aversion sweep: sampled futures in each optimization
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u64).range(1..=100_000))]
    scenarios: u64,
    /// CVaR confidence; 0.9 averages the worst 10% of futures
    #[arg(long, default_value_t = 0.9)]
    cvar_alpha: f64,
    /// Risk-aversion sweep: work beyond a future's capacity is overtime at this premium instead of slipping
    #[arg(long)]
    overtime_premium: Option<f64>,
    /// Budget sweep: how each plan is optimized
    #[arg(long, value_enum, default_value_t = ModeArg::Deterministic)]
    mode: ModeArg,
    /// Budget sweep with --mode robust: the quantile of efforts to plan for
    #[arg(long, default_value_t = 0.8)]
    confidence: f64,
    #[command(flatten)]
    limits: LimitsArgs,
    #[command(flatten)]
    sampling: SamplingArgs,
    #[command(flatten)]
    output: OutputArgs,
}

impl From<FrontierArgs> for app::FrontierCommand {
    fn from(a: FrontierArgs) -> Self {
        let stochastic = Stochastic {
            scenarios: a.scenarios,
            // The risk-aversion sweep sets it point by point.
            risk_aversion: 0.0,
            cvar_alpha: a.cvar_alpha,
            overtime_premium: a.overtime_premium,
        };
        app::FrontierCommand {
            file: a.file,
            budget_sweep: matches!(a.sweep, SweepArg::Budget),
            points: a.points as usize,
            lambdas: a.lambdas,
            budgets: a.budgets,
            scenarios: a.scenarios as usize,
            cvar_alpha: a.cvar_alpha,
            overtime_premium: a.overtime_premium,
            mode: a.mode.mode(a.confidence, stochastic),
            time_limit_seconds: a.limits.time_limit,
            gap: a.limits.gap,
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            format: a.output.format.into(),
            out: a.output.out,
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Number of features
    #[arg(long)]
    features: usize,
    /// Number of teams
    #[arg(long, default_value_t = 4)]
    teams: usize,
    /// Number of planning periods (up to 8: quarters; more: two-week sprints)
    #[arg(long, default_value_t = 4)]
    periods: usize,
    /// Random seed
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Skew of feature values: 0 all alike, 1 a few features carry most value, 2 extreme
    #[arg(long, default_value_t = 1.0)]
    value_skew: f64,
    /// Width of estimates: 0 near-certain, 1 high about twice low, 2 very uncertain
    #[arg(long, default_value_t = 1.0)]
    uncertainty: f64,
    /// Share of features that require an earlier one
    #[arg(long, default_value_t = 0.25)]
    dependency_density: f64,
    /// Rank correlation of each team's effort estimates (0 to 0.8)
    #[arg(long, default_value_t = 0.0)]
    effort_correlation: f64,
    /// Customer deals per feature (0 to 0.5; 0.05 = one deal per 20 features)
    #[arg(long, default_value_t = 0.05)]
    deal_rate: f64,
    /// Write the scenario here instead of to standard output
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

impl From<GenerateArgs> for app::GenerateCommand {
    fn from(a: GenerateArgs) -> Self {
        let mut spec = GenerateSpec::new(a.features, a.teams, a.periods, a.seed);
        spec.value_skew = a.value_skew;
        spec.uncertainty = a.uncertainty;
        spec.dependency_density = a.dependency_density;
        spec.effort_correlation = a.effort_correlation;
        spec.deal_rate = a.deal_rate;
        app::GenerateCommand {
            spec,
            output: a.output,
        }
    }
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where to write it
    #[arg(default_value = "roadmap.toml")]
    path: PathBuf,
    /// Overwrite the file if it exists
    #[arg(long)]
    force: bool,
}

impl From<InitArgs> for app::InitCommand {
    fn from(a: InitArgs) -> Self {
        app::InitCommand {
            path: a.path,
            force: a.force,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("trials", trials("Simulated futures for the rank correlations (default: the scenario's [simulation] trials)", 1..=100_000_000)),
    mut_arg("seed", help("Random seed (default: the scenario's [simulation] seed); the optimizer plans on seed + 1")),
    mut_arg("out", help("Also write sensitivity.txt/.json/.csv and the tornado chart (SVG, PNG) into this folder"))
)]
pub struct SensitivityArgs {
    /// Scenario TOML file
    file: PathBuf,
    /// Keep the optimized plan fixed at every point instead of re-planning (fast: no solves)
    #[arg(long)]
    hold_plan: bool,
    /// Inputs shown (and re-planned, without --hold-plan)
    #[arg(long, default_value_t = 10, value_parser = value_parser!(u64).range(1..=10_000))]
    top: u64,
    /// Also list inputs that cannot change the plan's NPV (those of features it leaves out)
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    sampling: SamplingArgs,
    #[command(flatten)]
    output: OutputArgs,
}

impl From<SensitivityArgs> for app::SensitivityCommand {
    fn from(a: SensitivityArgs) -> Self {
        app::SensitivityCommand {
            file: a.file,
            hold_plan: a.hold_plan,
            top: a.top as usize,
            all: a.all,
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            format: a.output.format.into(),
            out: a.output.out,
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("mode", help("How each side's plan is made: the recommended plan, or one mode's MILP plan")),
    mut_arg("commit_confidence", help("Recommended plans: every mandatory feature and hard deadline must hold in this share of futures (default: the base scenario's [plan] commit_confidence, else 0.8)")),
    mut_arg("time_limit", help("Stop each solve after this many seconds with the best plan so far")),
    mut_arg("trials", help("Simulated futures per side (default: the base scenario's [simulation] trials)")),
    mut_arg("seed", help("Seed of the futures (default: the base scenario's); the optimizer plans on seed + 1")),
    mut_arg("out", help("Also write whatif.txt/.json/.csv, whatif-plans.csv and the overlay charts (whatif-npv, whatif-value-fan; SVG and PNG) into this folder"))
)]
pub struct WhatifArgs {
    /// The base scenario, and optionally a second scenario to compare it with
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Override a field of the variant: PATH=VALUE, PATH*=FACTOR, PATH+=AMOUNT or PATH-=AMOUNT (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Execute the base's plan on both sides instead of planning each
    #[arg(long)]
    hold_plan: bool,
    #[command(flatten)]
    plan: PlanArgs,
    /// Stochastic mode: CVaR confidence; 0.9 averages the worst 10% of scenarios
    #[arg(long, default_value_t = 0.9)]
    cvar_alpha: f64,
    #[command(flatten)]
    limits: LimitsArgs,
    #[command(flatten)]
    sampling: SamplingArgs,
    #[command(flatten)]
    output: OutputArgs,
}

impl From<WhatifArgs> for app::WhatifCommand {
    fn from(a: WhatifArgs) -> Self {
        let milp = a.plan.milp(a.cvar_alpha, None);
        app::WhatifCommand {
            files: a.files,
            set: a.set,
            hold_plan: a.hold_plan,
            recommended: milp.is_none(),
            commit_confidence: a.plan.commit_confidence,
            optimize: OptimizeOptions {
                mode: milp.unwrap_or(Mode::Deterministic),
                time_limit_seconds: a.limits.time_limit,
                gap: a.limits.gap,
                ..Default::default()
            },
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            format: a.output.format.into(),
            out: a.output.out,
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("mode", help("How the plan is made: the recommended plan, or one mode's MILP plan")),
    mut_arg("commit_confidence", help("Recommended plan: every mandatory feature and hard deadline must hold in this share of futures, and a planned feature is a commitment when it ships in its period this often (default: the scenario's [plan] commit_confidence, else 0.8)")),
    mut_arg("confidence", help("Robust mode: the quantile of efforts and lead times to plan for")),
    mut_arg("trials", trials("Simulated futures (default: the scenario's [simulation] trials)", 1..=100_000_000)),
    mut_arg("seed", help("Seed of the futures (default: the scenario's); the optimizer plans on seed + 1"))
)]
pub struct ReportArgs {
    /// Scenario TOML file
    file: PathBuf,
    /// Folder to write the report into (created if missing)
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    plan: PlanArgs,
    /// Time limit of each optimization, in seconds
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Risk aversions on the frontier, from 0 to 1 (0 leaves the frontier out)
    #[arg(long, default_value_t = 5, value_parser = value_parser!(u64).range(0..=101))]
    frontier_points: u64,
    /// Sampled futures in each frontier optimization
    #[arg(long, default_value_t = 50, value_parser = value_parser!(u64).range(1..=100_000))]
    frontier_scenarios: u64,
    /// Inputs the tornado re-plans at (the ones with the widest swing)
    #[arg(long, default_value_t = 10, value_parser = value_parser!(u64).range(1..=1000))]
    top: u64,
}

impl From<ReportArgs> for app::ReportCommand {
    fn from(a: ReportArgs) -> Self {
        app::ReportCommand {
            file: a.file,
            out: a.out,
            // The report's stochastic plans weigh the worst 10% of futures.
            mode: a.plan.milp(0.9, None),
            commit_confidence: a.plan.commit_confidence,
            time_limit_seconds: a.time_limit,
            threads: a.sampling.threads,
            futures: a.sampling.futures.into(),
            frontier_points: a.frontier_points as usize,
            frontier_scenarios: a.frontier_scenarios as usize,
            top: a.top as usize,
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
pub struct NrpArgs {
    /// NRP instance file (classic-nrp/nrp1.txt, realistic-nrp/nrp-e1.txt, ...)
    file: PathBuf,
    /// Budget as a share of the total requirement cost, e.g. 0.3, 0.5 or 0.7
    #[arg(long)]
    budget_ratio: String,
    /// How to round ratio x total cost to a whole budget
    #[arg(long, value_enum, default_value_t = RoundingArg::Floor)]
    rounding: RoundingArg,
    /// Write the scenario here instead of to standard output
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

impl From<NrpArgs> for app::ImportNrpCommand {
    fn from(a: NrpArgs) -> Self {
        app::ImportNrpCommand {
            file: a.file,
            budget_ratio: a.budget_ratio,
            rounding: a.rounding.into(),
            output: a.output,
        }
    }
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// History CSV: the tool's own columns or a Jira export
    history: PathBuf,
    /// The Jira column that names the team
    #[arg(long, default_value = "Team")]
    team_column: String,
    /// Hours in a person-week, to turn Jira's seconds into person-weeks
    #[arg(long, default_value_t = crate::scenario::backlog::DEFAULT_HOURS_PER_WEEK)]
    hours_per_week: f64,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Also write calibration.txt, .json, .csv and the calibration chart (SVG, PNG) into this folder
    #[arg(long)]
    out: Option<PathBuf>,
    /// Add the fitted correction to this scenario as a [calibration] table (written with -o)
    #[arg(long, requires = "output")]
    apply: Option<PathBuf>,
    /// Where --apply writes the calibrated scenario
    #[arg(short = 'o', long, requires = "apply")]
    output: Option<PathBuf>,
}

impl From<CalibrateArgs> for app::CalibrateCommand {
    fn from(a: CalibrateArgs) -> Self {
        app::CalibrateCommand {
            history: a.history,
            team_column: a.team_column,
            hours_per_week: a.hours_per_week,
            format: a.format.into(),
            out: a.out,
            apply: a.apply.zip(a.output),
        }
    }
}

#[derive(Args, Debug)]
#[command(mut_arg(
    "out",
    help("Also write the merged result into this folder, as the run itself would with --out")
))]
pub struct MergeArgs {
    /// Partial results written with --shard K/N --partial FILE, in any order
    #[arg(required = true, value_name = "PARTS")]
    parts: Vec<PathBuf>,
    /// List the missing shards (K/N, one a line) instead of merging
    #[arg(long)]
    missing: bool,
    #[command(flatten)]
    output: OutputArgs,
}

impl From<MergeArgs> for app::MergeCommand {
    fn from(a: MergeArgs) -> Self {
        app::MergeCommand {
            parts: a.parts,
            format: a.output.format.into(),
            out: a.output.out,
            missing: a.missing,
        }
    }
}
