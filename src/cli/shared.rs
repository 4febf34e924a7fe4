//! What several commands share: value enums, the conversions of flags into the engines'
//! settings, and the flag groups that commands flatten into their own arguments.

use crate::app::{self, Format};
use crate::optimize::Mode;
use crate::scenario::nrp::Rounding;
use clap::{value_parser, Arg, Args, ValueEnum};
use std::ops::RangeInclusive;
use std::path::PathBuf;

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
    pub(super) fn mode(self, confidence: f64, stochastic: Stochastic) -> Mode {
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
pub(super) struct Stochastic {
    pub(super) scenarios: u64,
    pub(super) risk_aversion: f64,
    pub(super) cvar_alpha: f64,
    pub(super) overtime_premium: Option<f64>,
}

impl PlanModeArg {
    /// One mode's MILP plan, or None for the recommended plan.
    pub(super) fn milp(self) -> Option<ModeArg> {
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
pub(super) fn help(text: &'static str) -> impl FnOnce(Arg) -> Arg {
    move |arg| arg.help(text)
}

/// `--trials` worded for one command, with the range that command takes.
pub(super) fn trials(text: &'static str, range: RangeInclusive<u64>) -> impl FnOnce(Arg) -> Arg {
    move |arg| arg.help(text).value_parser(value_parser!(u64).range(range))
}

// Trials and seed of the simulated futures; each falls back to the scenario's [simulation].
#[derive(Args, Debug)]
pub struct FuturesArgs {
    #[arg(long, value_parser = value_parser!(u64).range(1..=1_000_000_000))]
    pub(super) trials: Option<u64>,
    #[arg(long)]
    pub(super) seed: Option<u64>,
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
    pub(super) futures: FuturesArgs,
    /// Worker threads (default: every core); the numbers do not depend on it
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub(super) threads: Option<usize>,
}

// The result on standard output, and optionally every format written into a folder.
#[derive(Args, Debug)]
pub struct OutputArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(super) format: OutputFormat,
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
}

// How a plan is made: the recommended plan, or one mode's MILP plan.
#[derive(Args, Debug)]
pub struct PlanArgs {
    #[arg(long, value_enum, default_value_t = PlanModeArg::Recommended)]
    pub(super) mode: PlanModeArg,
    #[arg(long, value_name = "Q")]
    pub(super) commit_confidence: Option<f64>,
    /// Robust mode: the quantile of efforts and lead times to plan for (0.8 = P80)
    #[arg(long, default_value_t = 0.8)]
    pub(super) confidence: f64,
    /// Stochastic mode: sampled futures in the model
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u64).range(1..=100_000))]
    pub(super) scenarios: u64,
    /// Stochastic mode: weight of CVaR against the expected NPV, 0 to 1
    #[arg(long, default_value_t = 0.0)]
    pub(super) risk_aversion: f64,
}

impl PlanArgs {
    /// One mode's MILP mode, or None for the recommended plan.
    pub(super) fn milp(&self, cvar_alpha: f64, overtime_premium: Option<f64>) -> Option<Mode> {
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
    pub(super) time_limit: Option<f64>,
    /// Relative optimality gap at which to stop (0 = prove optimal)
    #[arg(long, default_value_t = 1e-4)]
    pub(super) gap: f64,
}

/// Reads `--shard K/N`.
fn shard(text: &str) -> Result<app::Shard, String> {
    app::Shard::parse(text)
}

// One shard of a run, for running a long run on several machines.
#[derive(Args, Debug)]
pub struct ShardArgs {
    /// Run only shard K of N (K from 1 to N) and write its partial result to --partial; `roadmap merge` turns the N partial results into exactly the output of one run
    #[arg(long, value_name = "K/N", value_parser = shard, requires = "partial", conflicts_with = "out")]
    pub(super) shard: Option<app::Shard>,
    /// Where --shard writes its partial result (whole, or not at all if the run stops)
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub(super) partial: Option<PathBuf>,
}

impl ShardArgs {
    pub(super) fn output(self) -> Option<app::ShardOutput> {
        self.shard
            .zip(self.partial)
            .map(|(shard, partial)| app::ShardOutput { shard, partial })
    }
}
