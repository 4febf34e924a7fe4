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

use crate::model::rank::{average_ranks, pearson};
use crate::model::{Dist, Model, Plan};
use crate::optimize::{self, Mode as OptimizeMode, OptimizeError, OptimizeOptions};
use crate::sample::{risk_variates, Method, Sampler};
use crate::simulate::{self, Engine, Progress, Schedule, SimOptions, CHUNK_TRIALS};
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

/// What each uncertain input and risk is, for labels and for whether a plan can feel it.
#[derive(Debug, Clone, Copy)]
enum Role {
    Effort {
        feature: usize,
        team: usize,
    },
    Value {
        feature: usize,
    },
    Uplift {
        feature: usize,
        segment: usize,
    },
    Cost {
        feature: usize,
    },
    VendorLead {
        feature: usize,
    },
    RiskEffort {
        feature: usize,
        risk: usize,
        team: usize,
    },
    RiskDelay {
        feature: usize,
        risk: usize,
    },
    RiskCost {
        feature: usize,
        risk: usize,
    },
    Capacity {
        team: usize,
    },
    Demand {
        segment: usize,
    },
    Growth {
        segment: usize,
    },
    Price {
        segment: usize,
    },
    DealOneOff {
        deal: usize,
    },
    DealMonthly {
        deal: usize,
    },
}

fn roles(model: &Model) -> Vec<Option<Role>> {
    let mut roles = vec![None; model.inputs.len()];
    let mut set = |id: crate::model::InputId, role: Role| roles[id.0 as usize] = Some(role);
    for (f, feature) in model.features.iter().enumerate() {
        for e in &feature.effort {
            set(
                e.weeks,
                Role::Effort {
                    feature: f,
                    team: e.team,
                },
            );
        }
        if let Some(v) = feature.value_monthly {
            set(v, Role::Value { feature: f });
        }
        for u in &feature.uplift {
            set(
                u.fraction,
                Role::Uplift {
                    feature: f,
                    segment: u.segment,
                },
            );
        }
        if let Some(c) = feature.cost {
            set(c, Role::Cost { feature: f });
        }
        if let Some(l) = feature.vendor_lead_weeks {
            set(l, Role::VendorLead { feature: f });
        }
        for (r, risk) in feature.risks.iter().enumerate() {
            for e in &risk.effort {
                set(
                    e.weeks,
                    Role::RiskEffort {
                        feature: f,
                        risk: r,
                        team: e.team,
                    },
                );
            }
            if let Some(d) = risk.delay_weeks {
                set(
                    d,
                    Role::RiskDelay {
                        feature: f,
                        risk: r,
                    },
                );
            }
            if let Some(c) = risk.cost {
                set(
                    c,
                    Role::RiskCost {
                        feature: f,
                        risk: r,
                    },
                );
            }
        }
    }
    for (k, team) in model.teams.iter().enumerate() {
        set(team.capacity_factor, Role::Capacity { team: k });
    }
    for (s, segment) in model.segments.iter().enumerate() {
        set(segment.demand, Role::Demand { segment: s });
        set(segment.growth, Role::Growth { segment: s });
        set(segment.price, Role::Price { segment: s });
    }
    for (d, deal) in model.deals.iter().enumerate() {
        if let Some(i) = deal.one_off {
            set(i, Role::DealOneOff { deal: d });
        }
        if let Some(i) = deal.monthly {
            set(i, Role::DealMonthly { deal: d });
        }
    }
    roles
}

/// A name as people say it: the part before any parenthesis or colon, at most 30 characters.
fn short(name: &str, id: &str) -> String {
    let cut = [" (", ": "]
        .iter()
        .filter_map(|p| name.find(p))
        .min()
        .unwrap_or(name.len());
    let text = name[..cut].trim();
    let text = if text.is_empty() { id } else { text };
    if text.chars().count() <= 30 {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > 29 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(29).collect();
    }
    out.push('…');
    out
}

fn label(model: &Model, role: Option<Role>, path: &str) -> String {
    let feature = |f: usize| short(&model.features[f].name, &model.features[f].id);
    let risk = |f: usize, r: usize| {
        let name = &model.features[f].risks[r].name;
        short(name, name)
    };
    let team = |k: usize| model.teams[k].id.as_str();
    let segment = |s: usize| short(&model.segments[s].name, &model.segments[s].id);
    let customer = |d: usize| short(&model.deals[d].customer, &model.deals[d].id);
    match role {
        Some(Role::Effort {
            feature: f,
            team: k,
        }) => format!("{} effort ({})", feature(f), team(k)),
        Some(Role::Value { feature: f }) => format!("{} monthly value", feature(f)),
        Some(Role::Uplift {
            feature: f,
            segment: s,
        }) => format!("{} uplift ({})", feature(f), model.segments[s].id.as_str()),
        Some(Role::Cost { feature: f }) => format!("{} one-off cost", feature(f)),
        Some(Role::VendorLead { feature: f }) => format!("{} vendor lead time", feature(f)),
        Some(Role::RiskEffort {
            feature: f,
            risk: r,
            team: k,
        }) => format!("{}: effort ({})", risk(f, r), team(k)),
        Some(Role::RiskDelay {
            feature: f,
            risk: r,
        }) => format!("{}: delay", risk(f, r)),
        Some(Role::RiskCost {
            feature: f,
            risk: r,
        }) => format!("{}: cost", risk(f, r)),
        // A sentence starts with it, so the team's id is capitalised: "Android capacity factor".
        Some(Role::Capacity { team: k }) => {
            let id = team(k);
            let mut chars = id.chars();
            let first = chars.next().map(|c| c.to_uppercase().to_string());
            format!(
                "{}{} capacity factor",
                first.unwrap_or_default(),
                chars.as_str()
            )
        }
        Some(Role::Demand { segment: s }) => format!("{} demand", segment(s)),
        Some(Role::Growth { segment: s }) => format!("{} demand growth", segment(s)),
        Some(Role::Price { segment: s }) => format!("{} price", segment(s)),
        Some(Role::DealOneOff { deal: d }) => format!("{} deal, one-off", customer(d)),
        Some(Role::DealMonthly { deal: d }) => format!("{} deal, monthly", customer(d)),
        None => path.to_string(),
    }
}

fn risk_label(model: &Model, f: usize, r: usize) -> String {
    let name = &model.features[f].risks[r].name;
    format!("Risk: {}", short(name, name))
}

/// Whether NPV under `plan` can depend on each input: inputs of planned features, the capacity
/// of teams with planned work, segments a planned feature lifts, deals whose features are all
/// planned.
fn felt_by_plan(model: &Model, roles: &[Option<Role>], plan: &Plan) -> Vec<bool> {
    let planned = |f: usize| plan.periods.get(f).copied().flatten().is_some();
    let team_busy: Vec<bool> = (0..model.teams.len())
        .map(|k| {
            model.features.iter().enumerate().any(|(f, feature)| {
                planned(f)
                    && (feature.effort.iter().any(|e| e.team == k)
                        || feature
                            .risks
                            .iter()
                            .any(|r| r.effort.iter().any(|e| e.team == k)))
            })
        })
        .collect();
    let segment_lifted: Vec<bool> = (0..model.segments.len())
        .map(|s| {
            model
                .features
                .iter()
                .enumerate()
                .any(|(f, feature)| planned(f) && feature.uplift.iter().any(|u| u.segment == s))
        })
        .collect();
    let deal_possible = |d: usize| model.deals[d].features.iter().all(|&f| planned(f));
    roles
        .iter()
        .map(|role| match *role {
            Some(
                Role::Effort { feature, .. }
                | Role::Value { feature }
                | Role::Uplift { feature, .. }
                | Role::Cost { feature }
                | Role::VendorLead { feature }
                | Role::RiskEffort { feature, .. }
                | Role::RiskDelay { feature, .. }
                | Role::RiskCost { feature, .. },
            ) => planned(feature),
            Some(Role::Capacity { team }) => team_busy[team],
            Some(Role::Demand { segment } | Role::Growth { segment } | Role::Price { segment }) => {
                segment_lifted[segment]
            }
            Some(Role::DealOneOff { deal } | Role::DealMonthly { deal }) => deal_possible(deal),
            None => true,
        })
        .collect()
}

/// The tornado's median-world value of every input and outcome of every risk.
#[derive(Debug, Clone)]
struct World {
    values: Vec<f64>,
    happens: Vec<bool>,
}

/// A point of the tornado: the median world with one input or risk moved.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Moved {
    Nothing,
    Input(usize, f64),
    Risk(usize, bool),
}

impl World {
    fn pinned(&self, model: &Model, moved: Moved) -> Model {
        let mut pinned = model.clone();
        for (i, input) in pinned.inputs.iter_mut().enumerate() {
            let value = match moved {
                Moved::Input(j, v) if j == i => v,
                _ => self.values[i],
            };
            input.dist = Dist::constant(value);
        }
        // Constants cannot be correlated; the tornado moves one input at a time anyway.
        pinned.correlations.clear();
        let mut r = 0;
        for feature in &mut pinned.features {
            for risk in &mut feature.risks {
                let happens = match moved {
                    Moved::Risk(j, h) if j == r => h,
                    _ => self.happens[r],
                };
                risk.probability = if happens { 1.0 } else { 0.0 };
                r += 1;
            }
        }
        pinned
    }
}

/// NPV of `plan` in a model where nothing is uncertain: one trial is the whole distribution.
pub fn pinned_npv(pinned: &Model, plan: &Plan, seed: u64) -> f64 {
    let engine = Engine::new(
        pinned,
        &Schedule::Plan(plan.clone()),
        seed,
        Method::MonteCarlo,
        1,
    );
    let mut scratch = engine.scratch(pinned.features.len());
    engine.run_trial(0, &mut scratch).npv
}

/// A point's NPV on its basis.
#[derive(Debug, Clone, Copy)]
struct Point {
    npv: f64,
    basis: Basis,
}

fn replan(
    pinned: &Model,
    options: &OptimizeOptions,
    held_npv: f64,
    seed: u64,
) -> Result<Point, SensitivityError> {
    match optimize::optimize(pinned, options) {
        // The held plan is a candidate too: where it earns more as executed (it may overrun
        // a capacity the optimizer must respect), re-planning keeps it, so a re-planned point
        // never reports less than holding the plan.
        Ok(outcome) => {
            let npv = pinned_npv(pinned, &outcome.plan, seed);
            Ok(if held_npv > npv {
                Point {
                    npv: held_npv,
                    basis: Basis::Held,
                }
            } else {
                Point {
                    npv,
                    basis: Basis::Reoptimized,
                }
            })
        }
        Err(OptimizeError::Infeasible(_)) => Ok(Point {
            npv: held_npv,
            basis: Basis::NoFeasiblePlan,
        }),
        Err(e) => Err(SensitivityError::Optimize(e)),
    }
}

/// One tornado line before evaluation.
#[derive(Debug, Clone)]
struct Line {
    input: String,
    label: String,
    kind: InputKind,
    probability: Option<f64>,
    low: Moved,
    high: Moved,
    values: (f64, f64, f64),
    affects_plan: bool,
}

fn run_here(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    progress: &dyn Progress,
) -> Result<Sensitivity, SensitivityError> {
    let seed = options.seed;
    let sampler = Sampler::new(model, seed, Method::MonteCarlo, 1, &[]);
    let roles = roles(model);
    let felt = felt_by_plan(model, &roles, plan);
    let risk_names = risk_variates(model);
    // (feature, risk index within it) of each risk, in model order.
    let risks: Vec<(usize, usize)> = model
        .features
        .iter()
        .enumerate()
        .flat_map(|(f, feature)| (0..feature.risks.len()).map(move |r| (f, r)))
        .collect();
    // A risk that surely happens (or surely does not) is no more uncertain than a constant.
    let risk_uncertain: Vec<bool> = risks
        .iter()
        .map(|&(f, r)| {
            let p = model.features[f].risks[r].probability;
            p > 0.0 && p < 1.0
        })
        .collect();
    let risk_felt: Vec<bool> = risks
        .iter()
        .map(|&(f, _)| plan.periods.get(f).copied().flatten().is_some())
        .collect();

    // The correlation run keeps every trial's draws of these: refuse before any work is done.
    let felt_inputs: Vec<usize> = (0..model.inputs.len())
        .filter(|&i| felt[i] && !model.inputs[i].dist.is_constant())
        .collect();
    let felt_risks: Vec<usize> = (0..risks.len())
        .filter(|&r| risk_felt[r] && risk_uncertain[r])
        .collect();
    let cells = (1 + felt_inputs.len() + felt_risks.len()) as u64 * options.trials;
    if cells > MAX_DRAWS_IN_MEMORY {
        return Err(SensitivityError::TooManyDraws {
            trials: options.trials,
            cells,
            max: MAX_DRAWS_IN_MEMORY,
        });
    }

    let median = World {
        values: (0..model.inputs.len())
            .map(|i| sampler.value_at(i, 0.5))
            .collect(),
        happens: risks
            .iter()
            .map(|&(f, r)| model.features[f].risks[r].probability >= 0.5)
            .collect(),
    };

    let mut lines = Vec::new();
    let mut left_out = 0;
    for (i, input) in model.inputs.iter().enumerate() {
        if input.dist.is_constant() {
            continue;
        }
        if !felt[i] && !options.all {
            left_out += 1;
            continue;
        }
        let low = sampler.value_at(i, LOW_QUANTILE);
        let high = sampler.value_at(i, HIGH_QUANTILE);
        lines.push(Line {
            input: input.name.clone(),
            label: label(model, roles[i], &input.name),
            kind: InputKind::Input,
            probability: None,
            low: Moved::Input(i, low),
            high: Moved::Input(i, high),
            values: (low, median.values[i], high),
            affects_plan: felt[i],
        });
    }
    for (r, &(f, k)) in risks.iter().enumerate() {
        if !risk_uncertain[r] {
            continue;
        }
        if !risk_felt[r] && !options.all {
            left_out += 1;
            continue;
        }
        let p = model.features[f].risks[k].probability;
        // The 10th and 90th percentiles of the 0/1 outcome "it happens".
        let (low, high) = (p > 1.0 - LOW_QUANTILE, p > 1.0 - HIGH_QUANTILE);
        let as_number = |b: bool| if b { 1.0 } else { 0.0 };
        lines.push(Line {
            input: risk_names[r].clone(),
            label: risk_label(model, f, k),
            kind: InputKind::Risk,
            probability: Some(p),
            low: Moved::Risk(r, low),
            high: Moved::Risk(r, high),
            values: (
                as_number(low),
                as_number(median.happens[r]),
                as_number(high),
            ),
            affects_plan: risk_felt[r],
        });
    }

    let reoptimize = options.mode == Mode::Reoptimize;
    let top = options.top.min(lines.len());
    // Solves take seconds each where everything else takes milliseconds: progress counts them.
    let solves = if reoptimize { 1 + 2 * top as u64 } else { 0 }
        + u64::from(options.capacity_factor.is_some());
    progress.stage(
        &if reoptimize {
            format!(
                "tornado: {} inputs screened with the plan held, the top {top} re-planned (HiGHS)",
                lines.len()
            )
        } else {
            format!("tornado: {} inputs with the plan held", lines.len())
        },
        "solves",
    );
    progress.begin(solves);

    // Screen: every point with the plan held.
    let mut points: Vec<Moved> = vec![Moved::Nothing];
    for line in &lines {
        points.push(line.low);
        points.push(line.high);
    }
    let held: Vec<f64> = points
        .par_iter()
        .map(|&moved| pinned_npv(&median.pinned(model, moved), plan, seed))
        .collect();
    let held_base = held[0];
    let mut bars: Vec<TornadoEntry> = lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let (low_npv, high_npv) = (held[1 + 2 * n], held[2 + 2 * n]);
            TornadoEntry {
                input: line.input.clone(),
                label: line.label.clone(),
                kind: line.kind,
                probability: line.probability,
                low_value: line.values.0,
                median_value: line.values.1,
                high_value: line.values.2,
                low_npv,
                high_npv,
                swing: (high_npv - low_npv).abs(),
                base_npv: held_base,
                low_basis: Basis::Held,
                high_basis: Basis::Held,
                held_low_npv: low_npv,
                held_high_npv: high_npv,
                affects_plan: line.affects_plan,
            }
        })
        .collect();
    // Largest held swing first; ties keep the model's order so the screen is reproducible.
    let mut order: Vec<usize> = (0..bars.len()).collect();
    order.sort_by(|&a, &b| bars[b].swing.total_cmp(&bars[a].swing).then(a.cmp(&b)));

    let (mut base_npv, mut base_basis) = (held_base, Basis::Held);
    if reoptimize {
        let replan_options = OptimizeOptions {
            mode: OptimizeMode::Deterministic,
            ..options.optimize.clone()
        };
        // The median world, then both ends of each of the top inputs.
        let mut jobs: Vec<(Moved, f64)> = vec![(Moved::Nothing, held_base)];
        for &n in &order[..top] {
            jobs.push((lines[n].low, bars[n].held_low_npv));
            jobs.push((lines[n].high, bars[n].held_high_npv));
        }
        let replanned: Vec<Point> = jobs
            .par_iter()
            .map(|&(moved, held_npv)| {
                let point = replan(
                    &median.pinned(model, moved),
                    &replan_options,
                    held_npv,
                    seed,
                );
                progress.advance(1);
                point
            })
            .collect::<Result<_, _>>()?;
        base_npv = replanned[0].npv;
        base_basis = replanned[0].basis;
        for (j, &n) in order[..top].iter().enumerate() {
            let (low, high) = (replanned[1 + 2 * j], replanned[2 + 2 * j]);
            let bar = &mut bars[n];
            bar.low_npv = low.npv;
            bar.high_npv = high.npv;
            bar.low_basis = low.basis;
            bar.high_basis = high.basis;
            bar.swing = (high.npv - low.npv).abs();
            bar.base_npv = base_npv;
        }
    }
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

/// Spearman correlations of the plan's inputs with NPV over `options.trials` trials, and the
/// mean NPV. Trials run in chunks in parallel; each chunk's rows are collected in trial order,
/// and draws depend only on (seed, input, trial), so any thread count gives the same numbers.
/// `named` gives the input path, label and kind of each input, then each risk.
fn rank_correlations(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    inputs: &[usize],
    risks: &[usize],
    named: &[(String, String, InputKind)],
) -> Result<(Vec<RankCorrelation>, f64), SensitivityError> {
    let trials = options.trials;
    let columns = 1 + inputs.len() + risks.len();
    let engine = Engine::new(
        model,
        &Schedule::Plan(plan.clone()),
        options.seed,
        Method::MonteCarlo,
        trials,
    );
    let probabilities: Vec<f64> = model
        .features
        .iter()
        .flat_map(|f| f.risks.iter().map(|r| r.probability))
        .collect();
    let chunks = trials.div_ceil(CHUNK_TRIALS);
    // Row-major per chunk: NPV, then each input's draw, then each risk's occurrence.
    let rows: Vec<Vec<f64>> = (0..chunks)
        .into_par_iter()
        .map_init(
            || engine.scratch(model.features.len()),
            |scratch, chunk| {
                let first = chunk * CHUNK_TRIALS;
                let last = (first + CHUNK_TRIALS).min(trials);
                let mut out = Vec::with_capacity((last - first) as usize * columns);
                for trial in first..last {
                    let money = engine.run_trial(trial, scratch);
                    out.push(money.npv);
                    out.extend(inputs.iter().map(|&i| scratch.draws.values[i]));
                    out.extend(risks.iter().map(|&r| {
                        if scratch.draws.extra[r] < probabilities[r] {
                            1.0
                        } else {
                            0.0
                        }
                    }));
                }
                out
            },
        )
        .collect();
    let column = |c: usize| -> Vec<f64> {
        rows.iter()
            .flat_map(|chunk| chunk.iter().skip(c).step_by(columns).copied())
            .collect()
    };
    let npv = column(0);
    let npv_mean = if npv.is_empty() {
        0.0
    } else {
        npv.iter().sum::<f64>() / npv.len() as f64
    };
    let npv_ranks = average_ranks(&npv);
    let mut correlations: Vec<RankCorrelation> = (1..columns)
        .into_par_iter()
        .filter_map(|c| {
            let rho = pearson(&average_ranks(&column(c)), &npv_ranks)?;
            let (input, label, kind) = &named[c - 1];
            Some(RankCorrelation {
                input: input.clone(),
                label: label.clone(),
                kind: *kind,
                rho,
            })
        })
        .collect();
    correlations.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
    Ok((correlations, npv_mean))
}

/// `model` with every team's capacity in every period multiplied by `factor`.
pub fn with_capacity(model: &Model, factor: f64) -> Model {
    let mut out = model.clone();
    for team in &mut out.teams {
        team.capacity_weeks.iter_mut().for_each(|w| *w *= factor);
    }
    out
}

fn capacity_drop(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    factor: f64,
    npv_mean_before: f64,
    progress: &dyn Progress,
) -> Result<CapacityDrop, SensitivityError> {
    let opts = OptimizeOptions {
        mode: OptimizeMode::Deterministic,
        ..options.optimize.clone()
    };
    let lower = with_capacity(model, factor);
    let after = match optimize::optimize(&lower, &opts) {
        Ok(outcome) => Some(outcome),
        Err(OptimizeError::Infeasible(_)) => None,
        Err(e) => return Err(SensitivityError::Optimize(e)),
    };
    progress.advance(1);

    // The plan before, valued as the optimizer values plans, feature by feature.
    let (inputs, form) = optimize::formulate(model, &opts);
    let columns = optimize::start::column_values(model, &inputs, &form, plan);
    let objective_before = form.milp.objective(&columns);
    let (lower_inputs, _) = optimize::formulate(&lower, &opts);
    let net_value = |inputs: &optimize::inputs::Inputs, f: usize, period: usize| {
        inputs.windows[f]
            .and_then(|w| period.checked_sub(w.first))
            .and_then(|k| inputs.world.delivery[f].get(k).copied())
            .unwrap_or(0.0)
    };

    let sim = SimOptions {
        trials: options.trials,
        seed: options.seed,
        threads: None,
        method: Method::MonteCarlo,
    };
    let simulated = |m: &Model, p: &Plan| -> Result<f64, SensitivityError> {
        let engine = Engine::new(
            m,
            &Schedule::Plan(p.clone()),
            options.seed,
            Method::MonteCarlo,
            options.trials,
        );
        let result = simulate::run(m, &engine, &sim, &simulate::Quiet, None)?;
        Ok(result.npv.mean)
    };
    let npv_mean_held = simulated(&lower, plan)?;
    let npv_mean_after = match &after {
        Some(o) => Some(simulated(&lower, &o.plan)?),
        None => None,
    };

    let labels = &model.time.labels;
    let (mut dropped, mut added, mut moved) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(after) = &after {
        for (f, feature) in model.features.iter().enumerate() {
            let before_period = plan.periods.get(f).copied().flatten();
            let after_period = after.plan.periods[f];
            let change = |net_value: f64| PlanChange {
                feature: feature.id.clone(),
                name: feature.name.clone(),
                before: before_period.map(|p| labels[p].clone()),
                after: after_period.map(|p| labels[p].clone()),
                net_value,
            };
            match (before_period, after_period) {
                (Some(p), None) => dropped.push(change(net_value(&inputs, f, p))),
                (None, Some(p)) => added.push(change(net_value(&lower_inputs, f, p))),
                (Some(a), Some(b)) if a != b => moved.push(change(net_value(&inputs, f, a))),
                _ => {}
            }
        }
    }
    // What the cut costs most first.
    dropped.sort_by(|a, b| b.net_value.total_cmp(&a.net_value));
    Ok(CapacityDrop {
        factor,
        feasible: after.is_some(),
        dropped,
        added,
        moved,
        objective_before,
        objective_after: after.as_ref().map(|o| o.objective),
        npv_mean_before,
        npv_mean_held,
        npv_mean_after,
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
