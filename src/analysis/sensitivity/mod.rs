//! Which uncertain numbers move the plan's NPV most: a tornado (one input at a time from its
//! P10 to its P90, every other input at its median) and the rank correlation of each input with
//! NPV over a Monte Carlo run. Also what a 20% capacity drop would make the optimizer cut.
//!
//! The tornado's "median world" pins every uncertain input to its median and every risk event
//! to its likelier outcome (it happens when its probability is at least 1/2). A point of the
//! tornado is that world with one input moved to its P10 or P90. A risk event is an on/off
//! input, so its P10 and P90 are the 10th and 90th percentiles of "it happens" (0 or 1): at P10
//! it does not happen unless its probability is above 0.9, at P90 it happens when its
//! probability is above 0.1. A risk's own numbers (extra effort, delay, cost) then move NPV
//! only where the risk happens in that world; the rank correlations see them in every future
//! where it happens.
//!
//! Pinning builds a model whose inputs are constants (same names) and whose risk probabilities
//! are 0 or 1, so one simulated trial gives the point's NPV exactly, whatever the seed. Each
//! point's NPV is the simulator's, for the plan held fixed or for the plan the optimizer makes
//! for that world (`Mode::Reoptimize`), so both modes use one yardstick.
//!
//! One at a time means correlations between inputs are not carried into the tornado: moving
//! SMB demand to its P90 leaves mid-market demand at its median even when the two are
//! correlated. The rank correlations come from draws that honour the scenario's correlations.

mod capacity;
mod correlation;
mod roles;
mod tornado;

pub use capacity::with_capacity;
pub use tornado::pinned_npv;

use capacity::*;
use correlation::*;
use roles::*;
use tornado::*;

use crate::model::{Dist, Model, Plan};
use crate::optimize::{self, Mode as OptimizeMode, OptimizeError, OptimizeOptions};
use crate::sample::{risk_variates, Method, Sampler};
use crate::simulate::{self, Engine, Progress, Schedule, SimOptions, Stage, CHUNK_TRIALS};
use rayon::prelude::*;
use serde::Serialize;

/// Quantiles of the tornado's ends.
pub const LOW_QUANTILE: f64 = 0.1;
pub const HIGH_QUANTILE: f64 = 0.9;

/// Rank correlations keep every trial's draws of every input the plan uses in memory (8 bytes
/// each): at most this many numbers, 400 MB. The flagship (about 150 such inputs) fits 330,000
/// trials; 10,000 trials already pin a correlation down to about ±0.02.
pub const MAX_DRAWS_IN_MEMORY: u64 = 50_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The plan stays as it is at every point: how exposed this plan is to each input.
    HoldPlan,
    /// The optimizer re-plans at every point of the top inputs: how much each input matters to
    /// what the portfolio can be worth, once the plan adapts to it.
    Reoptimize,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::HoldPlan => "hold-plan",
            Mode::Reoptimize => "re-optimize",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SensitivityOptions {
    pub mode: Mode,
    /// Inputs re-optimized (and shown first), by the held plan's swing.
    pub top: usize,
    /// Also list inputs that cannot change this plan's NPV (those of features it leaves out).
    pub all: bool,
    /// The Monte Carlo run of the rank correlations.
    pub trials: u64,
    pub seed: u64,
    /// Worker threads; `None` uses every core. Results do not depend on it.
    pub threads: Option<usize>,
    /// Solver settings for re-planning (the mode is always deterministic: a pinned world has
    /// nothing uncertain left).
    pub optimize: OptimizeOptions,
    /// Team capacity multiplier of the "what to cut" question (0.8 = capacity drops 20%);
    /// `None` skips it.
    pub capacity_factor: Option<f64>,
}

impl SensitivityOptions {
    pub fn new(trials: u64, seed: u64) -> Self {
        SensitivityOptions {
            mode: Mode::Reoptimize,
            top: 10,
            all: false,
            trials,
            seed,
            threads: None,
            optimize: OptimizeOptions {
                seed: seed.wrapping_add(1),
                ..OptimizeOptions::default()
            },
            capacity_factor: Some(0.8),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// An uncertain number of the scenario.
    Input,
    /// Whether a risk event happens.
    Risk,
}

/// Which plan a point's NPV is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The plan given, held fixed.
    Held,
    /// The optimizer's plan for that world.
    Reoptimized,
    /// No plan keeps every commitment in that world (mandatory work, hard deadlines, budget,
    /// theme shares); the NPV shown is the held plan's, executed anyway.
    NoFeasiblePlan,
}

/// One input's bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoEntry {
    /// Field path (`features[sso].effort.web`), or a risk's `features[<id>].risks[<name>]`.
    pub input: String,
    /// The same for people: "SSO effort (web)".
    pub label: String,
    pub kind: InputKind,
    /// A risk event's probability.
    pub probability: Option<f64>,
    /// The input's value at its P10, median and P90 (a risk: 1 = it happens, 0 = it does not).
    pub low_value: f64,
    pub median_value: f64,
    pub high_value: f64,
    /// NPV with the input at its P10 (P90), everything else at its median.
    pub low_npv: f64,
    pub high_npv: f64,
    /// |high_npv - low_npv|.
    pub swing: f64,
    /// NPV of the median world, on the same basis as the two ends.
    pub base_npv: f64,
    pub low_basis: Basis,
    pub high_basis: Basis,
    /// The held plan's NPV at both ends and in the median world (the screen every input gets).
    pub held_low_npv: f64,
    pub held_high_npv: f64,
    /// False for inputs of features the held plan leaves out (listed only when asked for all).
    pub affects_plan: bool,
}

/// Spearman rank correlation of one input's draws (a risk: whether it happened) with NPV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankCorrelation {
    pub input: String,
    pub label: String,
    pub kind: InputKind,
    pub rho: f64,
}

/// A feature whose place in the plan changes when capacity drops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChange {
    pub feature: String,
    pub name: String,
    /// Period labels before and after (`None`: not in that plan).
    pub before: Option<String>,
    pub after: Option<String>,
    /// Expected discounted value less one-off costs and penalties of delivering it where the
    /// plan before had it (team time and deals apart), as the optimizer counts it; for a
    /// feature added, where the plan after has it.
    pub net_value: f64,
}

/// What the optimizer cuts when every team's capacity is multiplied by `factor`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityDrop {
    pub factor: f64,
    /// False when no plan keeps every commitment at that capacity.
    pub feasible: bool,
    /// Planned before, left out after.
    pub dropped: Vec<PlanChange>,
    /// Left out before, planned after (a smaller feature taking a dropped one's place).
    pub added: Vec<PlanChange>,
    /// Planned in both, in another period.
    pub moved: Vec<PlanChange>,
    /// The optimizer's expected NPV of the plan before (at full capacity) and of the new plan.
    pub objective_before: f64,
    pub objective_after: Option<f64>,
    /// Mean simulated NPV: the plan at full capacity; the same plan held at the lower capacity;
    /// the new plan at the lower capacity (same seed and trials, common random numbers).
    pub npv_mean_before: f64,
    pub npv_mean_held: f64,
    pub npv_mean_after: Option<f64>,
}

impl CapacityDrop {
    /// E[NPV] lost by re-planning for the lower capacity, as the optimizer counts it.
    pub fn objective_lost(&self) -> Option<f64> {
        self.objective_after.map(|a| self.objective_before - a)
    }

    /// The same by simulation.
    pub fn npv_lost(&self) -> Option<f64> {
        self.npv_mean_after.map(|a| self.npv_mean_before - a)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub scenario: String,
    pub currency: String,
    pub mode: Mode,
    pub top: usize,
    /// Features the held plan delivers.
    pub planned_features: usize,
    /// NPV of the median world: the held plan's, or the re-optimized plan's (see `base_basis`).
    pub base_npv: f64,
    pub base_basis: Basis,
    pub held_base_npv: f64,
    /// Sorted: re-optimized entries first, then by swing, largest first.
    pub bars: Vec<TornadoEntry>,
    /// Uncertain inputs and risks left out because they cannot change the held plan's NPV.
    pub inputs_left_out: usize,
    /// Sorted by |rho|, largest first; inputs that did not vary over the run are left out.
    pub correlations: Vec<RankCorrelation>,
    /// Mean NPV of the held plan over the correlation run.
    pub npv_mean: f64,
    /// |rho| below this (2 / sqrt(trials)) is within the run's noise.
    pub noise_level: f64,
    pub capacity_drop: Option<CapacityDrop>,
    pub trials: u64,
    pub seed: u64,
}

impl Sensitivity {
    /// The input whose range moves NPV most, if any moves it at all.
    pub fn biggest_driver(&self) -> Option<&TornadoEntry> {
        self.bars.first().filter(|b| b.swing > 0.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    #[error(
        "rank correlations over {trials} trials keep {cells} draws in memory, more than {max}"
    )]
    TooManyDraws { trials: u64, cells: u64, max: u64 },
    /// Re-planning failed for another reason than infeasibility (time limit, solver failure).
    #[error(transparent)]
    Optimize(OptimizeError),
    #[error(transparent)]
    Simulate(#[from] simulate::SimError),
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

impl SensitivityError {
    /// Trials that fit [`MAX_DRAWS_IN_MEMORY`].
    pub fn max_trials(&self) -> Option<u64> {
        match self {
            SensitivityError::TooManyDraws { trials, cells, max } => {
                Some(max / (cells / trials).max(1))
            }
            _ => None,
        }
    }
}

/// Runs the analysis of `plan` (usually the deterministic optimum of `model`).
pub fn run(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    progress: &dyn Progress,
) -> Result<Sensitivity, SensitivityError> {
    match options.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| SensitivityError::Threads {
                threads,
                message: e.to_string(),
            })?
            .install(|| run_here(model, plan, options, progress)),
        None => run_here(model, plan, options, progress),
    }
}

/// The analysis on the current thread pool: setup, the held screen, re-planning of the top
/// inputs, the ranking, then the rank correlations and the capacity drop.
fn run_here(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    progress: &dyn Progress,
) -> Result<Sensitivity, SensitivityError> {
    let seed = options.seed;
    let setup = setup(model, plan, options)?;

    let reoptimize = options.mode == Mode::Reoptimize;
    let top = options.top.min(setup.lines.len());
    // Solves take seconds each where everything else takes milliseconds: progress counts them.
    let solves = if reoptimize { 1 + 2 * top as u64 } else { 0 }
        + u64::from(options.capacity_factor.is_some());
    progress.stage(&Stage::Tornado {
        inputs: setup.lines.len(),
        replanned: reoptimize.then_some(top),
    });
    progress.begin(solves);

    let (mut bars, held_base) = screen(model, plan, seed, &setup);
    // Largest held swing first; ties keep the model's order so the screen is reproducible.
    let mut order: Vec<usize> = (0..bars.len()).collect();
    order.sort_by(|&a, &b| bars[b].swing.total_cmp(&bars[a].swing).then(a.cmp(&b)));

    let (base_npv, base_basis) = if reoptimize {
        replan_top(
            model,
            options,
            &setup,
            &mut bars,
            &order[..top],
            held_base,
            progress,
        )?
    } else {
        (held_base, Basis::Held)
    };
    let Setup {
        roles,
        risk_names,
        risks,
        felt_inputs,
        felt_risks,
        left_out,
        ..
    } = setup;
    let mut ranked: Vec<(usize, TornadoEntry)> = bars.into_iter().enumerate().collect();
    let replanned = |b: &TornadoEntry| b.low_basis != Basis::Held || b.high_basis != Basis::Held;
    ranked.sort_by(|(i, a), (j, b)| {
        replanned(b)
            .cmp(&replanned(a))
            .then(b.swing.total_cmp(&a.swing))
            .then(i.cmp(j))
    });
    let bars: Vec<TornadoEntry> = ranked.into_iter().map(|(_, b)| b).collect();

    let named: Vec<(String, String, InputKind)> = felt_inputs
        .iter()
        .map(|&i| {
            let name = &model.inputs[i].name;
            (name.clone(), label(model, roles[i], name), InputKind::Input)
        })
        .chain(felt_risks.iter().map(|&r| {
            (
                risk_names[r].clone(),
                risk_label(model, risks[r].0, risks[r].1),
                InputKind::Risk,
            )
        }))
        .collect();
    let (correlations, npv_mean) =
        rank_correlations(model, plan, options, &felt_inputs, &felt_risks, &named)?;

    let capacity_drop = match options.capacity_factor {
        Some(factor) => Some(capacity_drop(
            model, plan, options, factor, npv_mean, progress,
        )?),
        None => None,
    };
    progress.end();

    Ok(Sensitivity {
        scenario: model.name.clone(),
        currency: model.currency.clone(),
        mode: options.mode,
        top: options.top,
        planned_features: plan.planned().count(),
        base_npv,
        base_basis,
        held_base_npv: held_base,
        bars,
        inputs_left_out: left_out,
        correlations,
        npv_mean,
        noise_level: 2.0 / (options.trials.max(1) as f64).sqrt(),
        capacity_drop,
        trials: options.trials,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_shorten_to_what_people_say() {
        assert_eq!(
            short("SSO with SAML 2.0 (Okta, Entra ID)", "sso"),
            "SSO with SAML 2.0"
        );
        assert_eq!(short("Mobile: iOS and Android", "mobile"), "Mobile");
        assert_eq!(short(" (odd)", "odd"), "odd");
        let long = short("Postgres sharding for the very largest tenants", "db");
        assert!(long.chars().count() <= 30 && long.ends_with('…'), "{long}");
    }
}
