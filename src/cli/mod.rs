//! The command line: the only module that knows clap. Each command's arguments are an `Args`
//! struct, with the flag groups several commands share flattened in; each converts once into
//! the plain command struct of `app`, and `run` runs it.

mod commands;
mod shared;

pub use commands::*;
pub use shared::*;

use crate::app::{self, AppError, CommandOutput};
use clap::{Parser, Subcommand};

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
        after_help = "Each trial samples every uncertain input; each team works through its queue period by period within its sampled capacity; a feature completes when its work, prerequisites, vendor lead time and risk delays allow, and is released at the end of that period. Value flows monthly to the horizon with the ramp, discounted; deals pay when their last feature ships in time.\n\nWithout --plan or --order, teams follow the value-per-effort order (mandatory features first).\n\nExamples:\n  roadmap simulate scenarios/saas-annual-plan.toml\n  roadmap simulate plan.toml --plan out/plan.csv --trials 50000\n  roadmap simulate plan.toml --order priorities.txt --format json > result.json\n  roadmap simulate plan.toml --order wsjf\n  roadmap simulate plan.toml --seed 7 --threads 2 --out out/sim --raw out/trials.csv\n  roadmap simulate plan.toml --trials 1000000 --shard 2/4 --partial parts/2.json",
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
        after_help = "Every strategy turns the scenario into a priority order (or, for the optimal ones, a plan) that the teams execute in the same sampled futures, so differences are paired trial by trial. Strategies: recommended, optimal, optimal-robust, optimal-stochastic, value-per-effort, rice, ice, wsjf, cd3, moscow, shortest-job-first, highest-value-first, file-order, random. A rule that lacks its framework's fields derives them from the model and says how.\n\nExamples:\n  roadmap strategies scenarios/saas-annual-plan.toml\n  roadmap strategies plan.toml --strategies optimal,rice,wsjf,random --trials 20000\n  roadmap strategies plan.toml --format json > strategies.json\n  roadmap strategies plan.toml --out out/strategies --seed 7\n  roadmap strategies --generate 200 --features 40 --seed 1\n  roadmap strategies --generate 2000 --features 40 --shard 3/8 --partial parts/3.json"
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
    /// Merge the partial results of a run split with --shard K/N into exactly the output of one run
    #[command(
        after_help = "A long simulation or tournament can run as N shards, one process or machine each, with the same command plus --shard K/N --partial FILE (K from 1 to N): `simulate` and `strategies` on a scenario split the trials, `strategies --generate` the portfolios. Each shard writes its partial result whole or not at all. `roadmap merge` takes the N files in any order and prints exactly what one run prints, in any --format and with --out, apart from timings. It refuses parts of different scenarios, seeds or options, a shard given twice or missing, and a damaged file, with exit code 2; --missing lists the shards still to run.\n\nThe examples merge parts/1.json to parts/4.json, written by `simulate plan.toml --trials 1000000 --shard K/4 --partial parts/K.json` for K from 1 to 4.\n\nExamples:\n  roadmap merge parts/*.json\n  roadmap merge parts/*.json --format json > result.json\n  roadmap merge parts/*.json --out out/sim\n  roadmap merge --missing parts/*.json\n\nSee deploy/ for a Kubernetes Indexed Job, a Slurm job array and GNU parallel."
    )]
    Merge(MergeArgs),
}

#[derive(Subcommand, Debug)]
pub enum Import {
    /// A Next Release Problem instance (Xuan et al. format) as a one-period scenario with the same optimum
    #[command(
        after_help = "The budget is ratio x total requirement cost, computed exactly (0.7 x 10700 = 7490).\n\nExamples:\n  roadmap import nrp nrp1.txt --budget-ratio 0.3 -o nrp1-30.toml\n  roadmap import nrp nrp-e1.txt --budget-ratio 0.5 --rounding nearest > e1.toml"
    )]
    Nrp(NrpArgs),
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
        Command::Merge(a) => app::merge(&a.into()),
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
