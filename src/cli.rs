//! The command line: the only module that knows clap. Each command's arguments are an `Args`
//! struct, with the flag groups several commands share flattened in; each converts once into
//! the plain command struct of `app`, and `run` runs it.

use crate::app::{self, AppError, CommandOutput, Format};
use crate::optimize::{Mode, OptimizeOptions};
use crate::scenario::generate::GenerateSpec;
use crate::scenario::nrp::Rounding;
use clap::{value_parser, Arg, Args, Parser, Subcommand, ValueEnum};
use std::ops::RangeInclusive;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "roadmap",
    version,
    about = "Decision simulator and portfolio optimizer for product roadmaps",
    long_about = "Decision simulator and portfolio optimizer for product roadmaps.\n\nScenario files (TOML, optionally with a backlog CSV) describe teams, features with uncertain efforts and values, segments, deals and deadlines. Start with `roadmap init`, check with `roadmap validate`, and look at `roadmap capacity` before a quarter.",
    after_help = "Examples:\n  roadmap init my-plan.toml\n  roadmap validate scenarios/saas-annual-plan.toml\n  roadmap capacity scenarios/saas-annual-plan.toml\n  roadmap import nrp nrp1.txt --budget-ratio 0.3 -o nrp1-30.toml\n\nExit codes: 0 ok, 2 invalid input (the message says where and how to fix it), 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a scenario: every problem with file, line, field and a fix, or a one-screen summary
    #[command(
        after_help = "Examples:\n  roadmap validate scenarios/saas-annual-plan.toml\n  roadmap validate plan.toml --format json\n\nExits 2 when the scenario is invalid, including when mandatory work cannot fit the teams' capacity or the budget."
    )]
    Validate(ValidateArgs),
    /// Per team and period: committed work (mean and P80) against capacity
    #[command(
        after_help = "Committed work is every mandatory feature, every feature with a deadline, and what they require.\n\nExamples:\n  roadmap capacity scenarios/saas-annual-plan.toml\n  roadmap capacity plan.toml --format csv > capacity.csv\n  roadmap capacity plan.toml --trials 50000 --seed 7 --out out/"
    )]
    Capacity(CapacityArgs),
    /// How good past estimates were, per team, and the correction to apply to a scenario
    #[command(
        after_help = "The history is a CSV: feature,team,low,likely,high,actual (or feature,team,estimate,actual) in person-weeks, with optional estimator, label and finished (YYYY-MM-DD) columns; or a Jira export with Original Estimate and Time Spent in seconds.\n\nExamples:\n  roadmap calibrate scenarios/history-example.csv\n  roadmap calibrate jira.csv --team-column \"Component/s\" --format json\n  roadmap calibrate history.csv --out out/calibration\n  roadmap calibrate history.csv --apply plan.toml -o plan-calibrated.toml"
    )]
    Calibrate(CalibrateArgs),
    /// Monte Carlo: execute a plan or a priority order over thousands of sampled futures
    #[command(
        after_help = "Each trial samples every uncertain input; each team works through its queue period by period within its sampled capacity; a feature completes when its work, prerequisites, vendor lead time and risk delays allow, and is released at the end of that period. Value flows monthly to the horizon with the ramp, discounted; deals pay when their last feature ships in time.\n\nWithout --plan or --order, teams follow the value-per-effort order (mandatory features first).\n\nExamples:\n  roadmap simulate scenarios/saas-annual-plan.toml\n  roadmap simulate plan.toml --plan out/plan.csv --trials 50000\n  roadmap simulate plan.toml --order priorities.txt --format json > result.json\n  roadmap simulate plan.toml --order wsjf\n  roadmap simulate plan.toml --seed 7 --threads 2 --out out/sim --raw out/trials.csv",
        group(clap::ArgGroup::new("schedule").args(["plan", "order"]))
    )]
    Simulate(SimulateArgs),
    /// Find the best release plan with a mixed-integer program (HiGHS), then check it by simulation
    #[command(
        after_help = "The plan says which features ship in which period. Work may be spread over earlier periods within each team's capacity; requirements (with lags), alternatives, mandatory features, hard and soft deadlines, earliest starts, vendor lead times, the budget, theme shares and deals are all in the model. The objective is the expected NPV, counted as `simulate` counts it.\n\nModes: deterministic (expected numbers); robust (efforts at --confidence, so the plan holds in most futures); stochastic (--scenarios sampled futures, each executing the plan as `simulate` does: teams work it in order, work beyond capacity pushes features later, deals and deadlines hold or fail per future; or the overflow is bought as overtime with --overtime-premium; --risk-aversion weighs CVaR at --cvar-alpha; 60 s unless --time-limit says otherwise).\n\nEvery plan is re-simulated on the scenario's seed; the optimizer samples on seed + 1, so the check is out of sample. When no plan exists, the output says which team, periods, deadlines, mandatory features or budget collide.\n\nExit codes: 0 plan found, 2 invalid input or no feasible plan, 1 the time limit ended with no plan or the solver failed.\n\nExamples:\n  roadmap optimize scenarios/saas-annual-plan.toml\n  roadmap optimize plan.toml -o out/plan.csv && roadmap simulate plan.toml --plan out/plan.csv\n  roadmap optimize plan.toml --mode robust --confidence 0.8\n  roadmap optimize plan.toml --mode stochastic --scenarios 100 --risk-aversion 0.5 --cvar-alpha 0.9\n  roadmap optimize plan.toml --time-limit 30 --gap 0.001 --threads 2 --format json\n  roadmap optimize plan.toml --export-lp out/plan.lp"
    )]
    Optimize(OptimizeArgs),
    /// Benchmark prioritisation methods (RICE, WSJF, ...) against the optimal plan on the same simulated futures
    #[command(
        after_help = "Every strategy turns the scenario into a priority order (or, for the optimal ones, a plan) that the teams execute in the same sampled futures, so differences are paired trial by trial. Strategies: recommended, optimal, optimal-robust, optimal-stochastic, value-per-effort, rice, ice, wsjf, cd3, moscow, shortest-job-first, highest-value-first, file-order, random. A rule that lacks its framework's fields derives them from the model and says how.\n\nExamples:\n  roadmap strategies scenarios/saas-annual-plan.toml\n  roadmap strategies plan.toml --strategies optimal,rice,wsjf,random --trials 20000\n  roadmap strategies plan.toml --format json > strategies.json\n  roadmap strategies plan.toml --out out/strategies --seed 7\n  roadmap strategies --generate 200 --features 40 --seed 1"
    )]
    Strategies(StrategiesArgs),
    /// The efficient frontier: expected NPV against CVaR as risk aversion rises, or against the budget
    #[command(
        after_help = "Risk-aversion sweep (default): each point is the stochastic optimum of (1 - λ) E[NPV] + λ CVaR on --scenarios sampled futures, for λ from 0 to 1; the frontier shows how much expected value each step of protection against the worst futures costs. Budget sweep: each point is the best plan within a budget, from a fraction of what the unconstrained plan spends up to all of it. Every distinct plan is then simulated on the same futures (the scenario's seed); the optimizer samples on seed + 1.\n\nExamples:\n  roadmap frontier scenarios/saas-annual-plan.toml\n  roadmap frontier plan.toml --points 11 --scenarios 200 --cvar-alpha 0.95\n  roadmap frontier plan.toml --sweep budget --points 8\n  roadmap frontier plan.toml --sweep budget --budgets 1.5M,2M,3M --format csv\n  roadmap frontier plan.toml --out out/frontier"
    )]
    Frontier(FrontierArgs),
    /// Write a synthetic but plausible scenario: skewed values, dependency chains, segments, deals, risks
    #[command(
        after_help = "The same options and seed always give the same file. Generated scenarios validate, and feed the benchmarks and strategy comparisons.\n\nExamples:\n  roadmap generate --features 100 --teams 4 --periods 4 --seed 1 -o out/gen-100.toml\n  roadmap generate --features 2000 --teams 10 --periods 8 --seed 7 -o out/gen-2000.toml\n  roadmap generate --features 30 --value-skew 2 --uncertainty 1.5 > portfolio.toml"
    )]
    Generate(GenerateArgs),
    /// Turn data from other tools into scenarios
    #[command(subcommand)]
    Import(Import),
    /// Write a commented starter scenario that validates
    #[command(after_help = "Examples:\n  roadmap init\n  roadmap init plans/fy2027.toml")]
    Init(InitArgs),
    /// Which inputs move NPV most: a tornado of P10-P90 swings, rank correlations, and what to cut if capacity drops 20%
    #[command(
        after_help = "The plan is the deterministic optimum (as `roadmap optimize` finds it). The tornado starts from the median world (every uncertain input at its median, every risk event at its likelier outcome) and moves one input at a time to its P10 and its P90; a risk event's P10 is that it does not happen (unless its probability is above 90%), its P90 that it happens (when its probability is above 10%).\n\nBy default the optimizer re-plans at both ends of the --top inputs, as a lead would once the number is known: the swing is what the input is worth to the portfolio. Every input is first screened with the plan held, and the inputs with the largest held swing are re-planned (two solves each). --hold-plan keeps the plan fixed everywhere: how exposed this plan is, in seconds.\n\nRank correlations (Spearman, ties at their average rank) come from --trials simulated futures of the plan on --seed, with the scenario's correlations. Inputs of features the plan leaves out cannot change its NPV and are left out unless --all.\n\nExamples:\n  roadmap sensitivity scenarios/saas-annual-plan.toml --hold-plan\n  roadmap sensitivity plan.toml --top 5 --trials 20000\n  roadmap sensitivity plan.toml --format csv --all > drivers.csv\n  roadmap sensitivity plan.toml --seed 7 --threads 2 --out out/sensitivity"
    )]
    Sensitivity(SensitivityArgs),
    /// What if capacity drops, a date moves, demand halves? A variant against the base, on the same simulated futures
    #[command(
        after_help = "The variant is the scenario with --set overrides, or a second scenario with the same periods. Overrides use the field names of scenario files: teams.<id>.capacity (every period, or capacity.<period>), teams.<id>.capacity_factor, teams.<id>.cost_per_week, teams.<id>.cost_kind (fixed/variable); features.<id>.status (done takes it out of the plan), effort (or effort.<team>), remaining.<team> (makes it in progress with that work left), value, uplift (or uplift.<segment>), cost, vendor_lead_weeks, vendor_ready (a date or none; += and -= move it by weeks), ramp_months, deadline (a period or none), deadline.limit (the hard limit after a soft target), earliest, mandatory (true/false), recurring_cost.per_month, recurring_cost.per_customer, recurring_cost.segment, recurring_cost.from (release/start); segments.<id>.demand (new_customers and retention for a customer stock), growth, price; deals.<id>.one_off, monthly, by, need, late_penalty, expires; risks.<id>.probability (a common risk); plan.budget (none removes it), plan.budget_per_period (every period, or budget_per_period.<period>). Where a field takes a period, a date (2027-09-30) reads as in a scenario file. `=` sets a value (an uncertain one to a constant), `*=` scales it (the whole distribution), `+=` and `-=` shift it. Quote arguments with `*` in zsh.\n\nEach side gets its own recommended plan (or one mode's MILP plan with --mode); the variant's candidates include the base's plan, held, so re-planning never reports a worse outcome than keeping the plan. With --hold-plan the base's plan is executed on both. Both are then simulated on the same seed: every input keeps its name and so its random numbers, and the NPV difference is paired trial by trial, with its 95% interval.\n\nExamples:\n  roadmap whatif scenarios/saas-annual-plan.toml --set 'teams.web.capacity*=0.8'\n  roadmap whatif plan.toml --set features.sso.deadline=2027Q3 --set 'segments.smb.demand*=0.5'\n  roadmap whatif plan.toml --set plan.budget=none --hold-plan --trials 20000\n  roadmap whatif plan.toml --set features.sso.status=done --set features.scim.remaining.web=3\n  roadmap whatif plan.toml plan-with-new-hires.toml --format json > whatif.json\n  roadmap whatif plan.toml --set 'teams.platform.capacity.2027Q3-=10' --out out/whatif --seed 7"
    )]
    Whatif(WhatifArgs),
    /// One self-contained HTML report for executives: the plan, its risk, its drivers and the charts
    #[command(
        after_help = "Finds the recommended plan (or one mode's MILP plan with --mode), simulates it, runs every prioritisation rule against it on the same futures, the sensitivity analysis (tornado, rank correlations, what to cut if capacity drops 20%) and the risk frontier, then writes into the folder: report.html (one file, charts inline, no scripts and no network: it opens offline and prints to PDF), summary.json (the headline figures), plan.csv (the plan file `simulate --plan` reads), and every chart as SVG and PNG (roadmap, npv, value-fan, capacity, on-time, strategies, frontier, tornado).\n\nExamples:\n  roadmap report scenarios/saas-annual-plan.toml -o out/report\n  roadmap report plan.toml -o out/report --trials 20000 --seed 7\n  roadmap report plan.toml -o out/report --mode robust --confidence 0.8\n  roadmap report plan.toml -o out/report --frontier-points 0 --top 5"
    )]
    Report(ReportArgs),
}

#[derive(Subcommand, Debug)]
pub enum Import {
    /// A Next Release Problem instance (Xuan et al. format) as a one-period scenario with the same optimum
    #[command(
        after_help = "The budget is ratio x total requirement cost, computed exactly (0.7 x 10700 = 7490).\n\nExamples:\n  roadmap import nrp nrp1.txt --budget-ratio 0.3 -o nrp1-30.toml\n  roadmap import nrp nrp-e1.txt --budget-ratio 0.5 --rounding nearest > e1.toml"
    )]
    Nrp(NrpArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum OutputFormat {
    Text,
    Json,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ModeArg {
    /// Expected efforts, capacity and values
    Deterministic,
    /// Efforts and lead times at --confidence, so the plan holds in most futures
    Robust,
    /// Sample average over --scenarios futures, each executing the plan as `simulate` does (or buying overtime), with optional CVaR
    Stochastic,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum PlanModeArg {
    /// The best plan the simulator confirms: candidates from every mode and scoring rule, a simulated local search, selection on unseen futures
    Recommended,
    /// Expected efforts, capacity and values
    Deterministic,
    /// Efforts and lead times at --confidence, so the plan holds in most futures
    Robust,
    /// Sample average over --scenarios futures, each executing the plan as `simulate` does (or buying overtime), with optional CVaR
    Stochastic,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SweepArg {
    /// λ from 0 to 1: E[NPV] against CVaR
    RiskAversion,
    /// Budgets up to what the unconstrained plan spends: E[NPV] against the budget
    Budget,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoundingArg {
    Floor,
    Nearest,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
        }
    }
}

impl From<TextOrJson> for Format {
    fn from(f: TextOrJson) -> Self {
        match f {
            TextOrJson::Text => Format::Text,
            TextOrJson::Json => Format::Json,
        }
    }
}

impl ModeArg {
    /// The one place the engine's `optimize::Mode` is built from flags. Each flag matters only
    /// to its mode; `ignored_flag` rejects a flag given with another mode.
    fn mode(self, confidence: f64, stochastic: Stochastic) -> Mode {
        match self {
            ModeArg::Deterministic => Mode::Deterministic,
            ModeArg::Robust => Mode::Robust { confidence },
            ModeArg::Stochastic => Mode::Stochastic {
                scenarios: stochastic.scenarios as usize,
                risk_aversion: stochastic.risk_aversion,
                cvar_alpha: stochastic.cvar_alpha,
                overtime_premium: stochastic.overtime_premium,
            },
        }
    }
}

/// The stochastic mode's settings, as each command has them (some fix a few).
struct Stochastic {
    scenarios: u64,
    risk_aversion: f64,
    cvar_alpha: f64,
    overtime_premium: Option<f64>,
}

impl PlanModeArg {
    /// One mode's MILP plan, or None for the recommended plan.
    fn milp(self) -> Option<ModeArg> {
        match self {
            PlanModeArg::Recommended => None,
            PlanModeArg::Deterministic => Some(ModeArg::Deterministic),
            PlanModeArg::Robust => Some(ModeArg::Robust),
            PlanModeArg::Stochastic => Some(ModeArg::Stochastic),
        }
    }
}

impl From<RoundingArg> for Rounding {
    fn from(r: RoundingArg) -> Self {
        match r {
            RoundingArg::Floor => Rounding::Floor,
            RoundingArg::Nearest => Rounding::Nearest,
        }
    }
}

// Flag groups that several commands share. A command words a shared flag's help for what it
// does there with `mut_arg` on its own Args; the order of the fields is the order of `--help`.

/// Help worded for one command, for `#[command(mut_arg(ID, help(...)))]`.
fn help(text: &'static str) -> impl FnOnce(Arg) -> Arg {
    move |arg| arg.help(text)
}

/// `--trials` worded for one command, with the range that command takes.
fn trials(text: &'static str, range: RangeInclusive<u64>) -> impl FnOnce(Arg) -> Arg {
    move |arg| arg.help(text).value_parser(value_parser!(u64).range(range))
}

// Trials and seed of the simulated futures; each falls back to the scenario's [simulation].
#[derive(Args, Debug)]
pub struct FuturesArgs {
    #[arg(long, value_parser = value_parser!(u64).range(1..=1_000_000_000))]
    trials: Option<u64>,
    #[arg(long)]
    seed: Option<u64>,
}

impl From<FuturesArgs> for app::Futures {
    fn from(f: FuturesArgs) -> Self {
        app::Futures {
            trials: f.trials,
            seed: f.seed,
        }
    }
}

// The futures and the worker threads that simulate them.
#[derive(Args, Debug)]
pub struct SamplingArgs {
    #[command(flatten)]
    futures: FuturesArgs,
    /// Worker threads (default: every core); the numbers do not depend on it
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    threads: Option<usize>,
}

// The result on standard output, and optionally every format written into a folder.
#[derive(Args, Debug)]
pub struct OutputArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    #[arg(long)]
    out: Option<PathBuf>,
}

// How a plan is made: the recommended plan, or one mode's MILP plan.
#[derive(Args, Debug)]
pub struct PlanArgs {
    #[arg(long, value_enum, default_value_t = PlanModeArg::Recommended)]
    mode: PlanModeArg,
    #[arg(long, value_name = "Q")]
    commit_confidence: Option<f64>,
    /// Robust mode: the quantile of efforts and lead times to plan for (0.8 = P80)
    #[arg(long, default_value_t = 0.8)]
    confidence: f64,
    /// Stochastic mode: sampled futures in the model
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u64).range(1..=100_000))]
    scenarios: u64,
    /// Stochastic mode: weight of CVaR against the expected NPV, 0 to 1
    #[arg(long, default_value_t = 0.0)]
    risk_aversion: f64,
}

impl PlanArgs {
    /// One mode's MILP mode, or None for the recommended plan.
    fn milp(&self, cvar_alpha: f64, overtime_premium: Option<f64>) -> Option<Mode> {
        let stochastic = Stochastic {
            scenarios: self.scenarios,
            risk_aversion: self.risk_aversion,
            cvar_alpha,
            overtime_premium,
        };
        self.mode
            .milp()
            .map(|mode| mode.mode(self.confidence, stochastic))
    }
}

// When a solve stops.
#[derive(Args, Debug)]
pub struct LimitsArgs {
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Relative optimality gap at which to stop (0 = prove optimal)
    #[arg(long, default_value_t = 1e-4)]
    gap: f64,
}

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
            progress: true,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    mut_arg("mode", help("recommended (default): the best plan the simulator confirms among the MILP's plans in every mode and every scoring rule's, improved by a simulated local search and chosen on unseen futures; or one mode's MILP plan")),
    mut_arg("commit_confidence", help("Recommended mode: every mandatory feature and hard deadline must hold in this share of futures, and a planned feature is a commitment when it ships in its period this often (default: the scenario's [plan] commit_confidence, else 0.8)")),
    mut_arg("time_limit", help("Stop after this many seconds with the best plan so far (its gap is reported); default: none, 60 in the stochastic mode")),
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

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<CommandOutput, AppError> {
    match cli.command {
        Command::Validate(a) => app::validate(&a.into()),
        Command::Capacity(a) => app::capacity(&a.into()),
        Command::Calibrate(a) => app::calibrate(&a.into()),
        Command::Simulate(a) => app::simulate(&a.into()),
        Command::Optimize(a) => app::optimize(&a.into()),
        Command::Strategies(a) => app::strategies(&a.into()),
        Command::Frontier(a) => app::frontier(&a.into()),
        Command::Generate(a) => app::generate(&a.into()),
        Command::Import(Import::Nrp(a)) => app::import_nrp(&a.into()),
        Command::Init(a) => app::init(&a.into()),
        Command::Sensitivity(a) => app::sensitivity(&a.into()),
        Command::Whatif(a) => app::whatif(&a.into()),
        Command::Report(a) => app::report(&a.into()),
    }
}

/// Parses `args`; on a usage error returns clap's message and exit code (2 for bad usage).
/// A mode's flag given with another mode would be silently ignored: say so instead.
fn ignored_flag(matches: &clap::ArgMatches) -> Option<String> {
    use clap::parser::ValueSource;
    let (command, sub) = matches.subcommand()?;
    if !matches!(command, "optimize" | "whatif" | "report" | "frontier") {
        return None;
    }
    let given = |id: &str| {
        sub.try_get_raw(id)
            .ok()
            .flatten()
            .is_some_and(|_| sub.value_source(id) == Some(ValueSource::CommandLine))
    };
    let mode = sub
        .try_get_raw("mode")
        .ok()
        .flatten()
        .and_then(|mut v| v.next())
        .map(|v| v.to_string_lossy().to_string())
        .unwrap_or_default();
    if given("confidence") && mode != "robust" {
        return Some(format!(
            "--confidence is the robust mode's quantile and does nothing with --mode {mode}\n\n  help: add --mode robust to plan efforts at that quantile{}",
            if command == "frontier" {
                " (with --sweep budget)"
            } else {
                "; for how often commitments must hold, use --commit-confidence"
            }
        ));
    }
    if command != "frontier" && mode != "stochastic" {
        for (id, flag) in [
            ("scenarios", "--scenarios"),
            ("risk_aversion", "--risk-aversion"),
            ("cvar_alpha", "--cvar-alpha"),
            ("overtime_premium", "--overtime-premium"),
        ] {
            if given(id) {
                return Some(format!(
                    "{flag} belongs to the stochastic mode and does nothing with --mode {mode}\n\n  help: add --mode stochastic, or leave {flag} out"
                ));
            }
        }
    }
    None
}

pub fn parse<I, T>(args: I) -> Result<Cli, (String, u8)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    use std::io::IsTerminal;
    Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| {
            if let Some(message) = ignored_flag(&matches) {
                return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message));
            }
            Cli::from_arg_matches(&matches)
        })
        .map_err(|e| {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Colour only for a person at a terminal; files and pipes get plain text.
            let terminal = if code == 0 {
                std::io::stdout().is_terminal()
            } else {
                std::io::stderr().is_terminal()
            };
            let styled = e.render();
            (
                if terminal {
                    styled.ansi().to_string()
                } else {
                    styled.to_string()
                },
                code,
            )
        })
}
