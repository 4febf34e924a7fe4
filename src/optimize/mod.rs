//! The release-planning optimizer: a MILP solved by HiGHS through good_lp (the only module
//! that imports it), in three modes, with a heuristic start, honest solver status, an
//! explanation when no plan is feasible, and every plan it returns checked by
//! [`crate::plan_check`], which shares none of its formulation.
//!
//! ```text
//! model -> inputs (windows, efforts, capacity, money per period; per scenario when stochastic)
//!       -> formulation (Milp: plain data) -> solver (HiGHS) -> plan
//!       -> plan_check (independent of the formulation)
//! ```

pub mod diagnose;
pub mod formulation;
pub mod inputs;
mod left_out;
mod lp_file;
pub mod milp;
pub mod polish;
pub mod solver;
pub mod start;

pub use lp_file::lp_text;
pub use milp::Size;
pub use solver::Status;

use crate::model::{Model, Plan};
use crate::plan_check::{self as check, CheckBasis};
use formulation::{Formulation, Recourse};
use inputs::{Estimate, Inputs};
use left_out::reasons;
use milp::{Con, Var};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Mode {
    /// Expected efforts, capacities and values.
    Deterministic,
    /// Efforts and lead times at `confidence`, capacity at 1 - confidence: the plan holds in
    /// most futures. Money stays at its expectation.
    Robust { confidence: f64 },
    /// Sample average over `scenarios` futures with recourse (slip or overtime), maximising
    /// (1 - risk_aversion) E[NPV] + risk_aversion CVaR_alpha[NPV].
    Stochastic {
        scenarios: usize,
        risk_aversion: f64,
        cvar_alpha: f64,
        /// Recourse: overtime at this premium; `None`: the work slips, at the value it loses.
        overtime_premium: Option<f64>,
    },
}

impl Mode {
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Deterministic => "deterministic",
            Mode::Robust { .. } => "robust",
            Mode::Stochastic { .. } => "stochastic",
        }
    }
}

/// Seconds the stochastic mode searches when no time limit is given. Its model holds every
/// sampled future's schedule and proving its optimum can take far longer than the answer is
/// worth; it starts from the better of the deterministic optimum and the value-per-effort
/// plan, and the best plan found and its gap are reported.
pub const STOCHASTIC_TIME_LIMIT: f64 = 60.0;

#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeOptions {
    pub mode: Mode,
    pub time_limit_seconds: Option<f64>,
    /// Relative gap at which the search may stop (HiGHS's default, 1e-4, unless set).
    pub gap: f64,
    /// Solver threads; `None` lets HiGHS choose.
    pub threads: Option<usize>,
    /// Seed of the sampled scenarios (stochastic) and quantile draws (robust).
    pub seed: u64,
    /// Hand the value-per-effort plan to HiGHS as a start.
    pub mip_start: bool,
    /// Write HiGHS's log to this file.
    pub solver_log: Option<std::path::PathBuf>,
    /// HiGHS's `random_seed` (0, its default, unless set): another seed takes another of the
    /// equally valid search paths, to the same optimum in another time; the same seed repeats
    /// the same path.
    pub solver_seed: i32,
    /// Stochastic mode: the deterministic optimum when the caller already has it, so that its
    /// start is not solved for again (sweeps and the recommended plan's candidates).
    pub deterministic_start: Option<Plan>,
}

impl Default for OptimizeOptions {
    fn default() -> Self {
        OptimizeOptions {
            mode: Mode::Deterministic,
            time_limit_seconds: None,
            gap: 1e-4,
            threads: None,
            seed: 0,
            mip_start: true,
            solver_log: None,
            solver_seed: 0,
            deterministic_start: None,
        }
    }
}

/// A feature's line in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedFeature {
    pub feature: usize,
    pub period: Option<usize>,
    /// Person-weeks per team the plan reserves for it (at the mode's estimate).
    pub team_weeks: Vec<(usize, f64)>,
    /// Expected discounted value of delivering it in its period, less its one-off costs and
    /// penalties (team time and deals not included); for a feature left out, in its best period.
    pub net_value: f64,
    pub left_out: Option<LeftOut>,
}

/// Why the optimum leaves a feature out, in the terms a product lead argues in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum LeftOut {
    /// It cannot be delivered within the plan at all (earliest start, lead time, hard
    /// deadline, or a requirement that cannot be delivered in time).
    Timing,
    /// Its window would exist but for capacity: this team, working on nothing else, cannot do
    /// its work (or a requirement's) between its earliest period and its hard deadline or the
    /// plan's end.
    TooLarge { team: usize },
    /// It requires a feature the plan leaves out.
    Dependency { requirement: usize },
    /// It needs one of these features (an any-of group), and the plan leaves them all out.
    NoAlternative { alternatives: Vec<usize> },
    /// It excludes a feature the plan delivers.
    Alternative { chosen: usize },
    /// No period has room for it on this team, given the rest of the plan.
    Capacity { team: usize },
    /// It would take the plan over budget.
    Budget,
    /// Adding it would break a theme's share.
    Theme,
    /// It costs more than it earns, or it would displace more valuable work.
    Value,
}

/// A deal in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedDeal {
    pub deal: usize,
    /// Period its last feature ships, when the plan wins it.
    pub won_in: Option<usize>,
    /// Expected discounted money when won.
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StartReport {
    /// Which plan the start is (or would have been).
    pub plan: StartPlan,
    /// The start's objective, when there is one.
    pub objective: Option<f64>,
    pub features: usize,
    /// Why there is none.
    pub missing: Option<NoStart>,
}

/// The plan HiGHS starts its search from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPlan {
    /// The value-per-effort rule's plan.
    ValuePerEffort,
    /// Stochastic mode: the deterministic optimum, when it does better on the sampled futures.
    DeterministicOptimum,
}

/// Why the search has no start plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoStart {
    /// The caller turned the start off.
    NotAsked,
    /// The value-per-effort rule found no plan that keeps every constraint, and why.
    Infeasible(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    /// Computing inputs and writing the model.
    pub build_seconds: f64,
    /// Translating it for HiGHS.
    pub load_seconds: f64,
    pub solve_seconds: f64,
    pub wall_seconds: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub mode: Mode,
    pub status: Status,
    /// Includes `fixed_team_cost`, as the bound does.
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub timing: Timing,
    pub size: Size,
    pub plan: Plan,
    pub features: Vec<PlannedFeature>,
    pub deals: Vec<PlannedDeal>,
    /// Planned person-weeks per team and period, and the capacity they fit in.
    pub work: Vec<Vec<f64>>,
    pub capacity: Vec<Vec<f64>>,
    pub start: StartReport,
    /// The numbers the plan was checked against.
    pub basis: CheckBasis,
    /// What the independent checker found (empty for a sound plan).
    pub violations: Vec<check::Violation>,
    pub seed: u64,
    /// Stochastic mode: each sampled future's net money under the plan, as the objective
    /// counts it (empty in the other modes).
    pub scenario_npv: Vec<f64>,
    /// Robust mode: the confidence asked for when no plan reaches it (the mode then holds the
    /// best reachable confidence), and why.
    pub unreachable: Option<Unreachable>,
    /// Discounted cost of the teams whose cost is fixed: the same for every plan.
    pub fixed_team_cost: f64,
    /// What polishing did, when a time limit stopped the first search short of the gap.
    pub polish: Option<polish::Polish>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error("no plan satisfies every constraint")]
    Infeasible(Box<diagnose::Diagnosis>),
    #[error("the time limit ({limit} s) ended before HiGHS found any feasible plan")]
    NoSolution { limit: f64 },
    #[error("{0}")]
    Solver(String),
    #[error("{0}")]
    Options(BadOption),
}

/// An option out of its range, with the value given. The engine only says which; the words
/// (which name the command's flags) are the report's, in `report::optimize`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BadOption {
    /// The relative gap, outside [0, 1).
    Gap(f64),
    /// A time limit that is not a positive number of seconds.
    TimeLimit(f64),
    /// The robust mode's confidence, outside (0, 1).
    Confidence(f64),
    /// The stochastic mode with no sampled futures.
    NoScenarios,
    /// The weight of CVaR, outside [0, 1].
    RiskAversion(f64),
    /// The CVaR tail level, outside (0, 1).
    CvarAlpha(f64),
    /// A negative (or not finite) overtime premium.
    OvertimePremium(f64),
}

impl OptimizeOptions {
    /// The time limit a solve in `mode` gets: the one asked for, or in the stochastic mode
    /// `stochastic_seconds` when none was (callers that solve many bound each solve).
    pub fn time_limit_for(&self, mode: Mode, stochastic_seconds: f64) -> Option<f64> {
        match mode {
            Mode::Stochastic { .. } => self.time_limit_seconds.or(Some(stochastic_seconds)),
            _ => self.time_limit_seconds,
        }
    }

    pub fn check(&self) -> Result<(), OptimizeError> {
        let bad = |b: BadOption| Err(OptimizeError::Options(b));
        if !(self.gap >= 0.0 && self.gap < 1.0) {
            return bad(BadOption::Gap(self.gap));
        }
        if let Some(t) = self.time_limit_seconds {
            if !(t > 0.0 && t.is_finite()) {
                return bad(BadOption::TimeLimit(t));
            }
        }
        match self.mode {
            Mode::Deterministic => Ok(()),
            Mode::Robust { confidence } if !(confidence > 0.0 && confidence < 1.0) => {
                bad(BadOption::Confidence(confidence))
            }
            Mode::Robust { .. } => Ok(()),
            Mode::Stochastic {
                scenarios,
                risk_aversion,
                cvar_alpha,
                overtime_premium,
            } => {
                if scenarios == 0 {
                    bad(BadOption::NoScenarios)
                } else if !(0.0..=1.0).contains(&risk_aversion) {
                    bad(BadOption::RiskAversion(risk_aversion))
                } else if !(cvar_alpha > 0.0 && cvar_alpha < 1.0) {
                    bad(BadOption::CvarAlpha(cvar_alpha))
                } else if let Some(p) = overtime_premium.filter(|p| !(*p >= 0.0 && p.is_finite())) {
                    bad(BadOption::OvertimePremium(p))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The inputs and the model for a mode.
pub fn formulate(model: &Model, options: &OptimizeOptions) -> (Inputs, Formulation) {
    let (inputs, recourse) = match options.mode {
        Mode::Deterministic => (
            inputs::planning(model, Estimate::Expected, options.seed),
            None,
        ),
        Mode::Robust { confidence } => (
            inputs::planning(model, Estimate::Quantile(confidence), options.seed),
            None,
        ),
        Mode::Stochastic {
            scenarios,
            risk_aversion,
            cvar_alpha,
            overtime_premium,
        } => (
            inputs::stochastic(model, scenarios, options.seed),
            Some(Recourse {
                risk_aversion,
                alpha: cvar_alpha,
                overtime_premium,
            }),
        ),
    };
    let form = formulation::build(model, &inputs, recourse);
    (inputs, form)
}

/// What a plan made elsewhere (the recommended plan's search) reserves and earns on the
/// expected numbers, in the optimizer's own terms: work per team and period against capacity,
/// each feature's line with the reason a left-out one is out, and the deals it wins.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDescription {
    pub features: Vec<PlannedFeature>,
    pub deals: Vec<PlannedDeal>,
    pub work: Vec<Vec<f64>>,
    pub capacity: Vec<Vec<f64>>,
}

pub fn describe(model: &Model, plan: &Plan) -> PlanDescription {
    let inputs = inputs::planning(model, Estimate::Expected, 0);
    let basis = inputs.basis();
    let (work, mut features) = planned_work(model, &inputs, plan);
    reasons(model, &inputs, plan, &basis, &mut features);
    let deals = (0..model.deals.len())
        .map(|d| {
            let deal = &model.deals[d];
            let won_in = deal
                .completion(|f| plan.periods[f])
                .filter(|&t| deal.last_period().is_none_or(|last| t <= last));
            PlannedDeal {
                deal: d,
                won_in,
                value: won_in.map_or(0.0, |t| inputs.world.deal[d].get(t).copied().unwrap_or(0.0)),
            }
        })
        .collect();
    PlanDescription {
        features,
        deals,
        work,
        capacity: plan_capacity(model, &basis, plan),
    }
}

/// Person-weeks each team has in each period under `plan`, the people it buys included.
fn plan_capacity(model: &Model, basis: &CheckBasis, plan: &Plan) -> Vec<Vec<f64>> {
    (0..model.teams.len())
        .map(|k| basis.team_capacity(model, plan, k).into_owned())
        .collect()
}

/// A scoring rule's order packed into a plan on the expected numbers, as the start is: each
/// feature in the earliest period its window, prerequisites, alternatives, budget and the
/// teams' remaining capacity allow, when it pays for itself; mandatory work first.
pub fn packed_plan(model: &Model, order: &crate::model::Order) -> Result<Plan, String> {
    let (inputs, form) = formulate(model, &OptimizeOptions::default());
    let (order, _) = order.normalised(model);
    let mut packed = start::greedy_from(model, &inputs, &form, &order.features)?.plan;
    packed.assigned = crate::model::staffing::even_split(model);
    for f in 0..model.features.len() {
        packed.starts[f] = packed.periods[f].map(|t| {
            let open = model.features[f].earliest_period.unwrap_or(0);
            model.time.planned_start(open, t, inputs.lead_weeks[f])
        });
    }
    Ok(packed)
}

/// The robust confidence asked for, when no plan reaches it, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unreachable {
    pub asked: f64,
    pub diagnosis: Box<diagnose::Diagnosis>,
}

/// Confidences closer than this are not told apart when the robust mode looks for the best
/// reachable one.
const CONFIDENCE_STEP: f64 = 0.01;

pub fn optimize(model: &Model, options: &OptimizeOptions) -> Result<Outcome, OptimizeError> {
    let asked = match (optimize_as_asked(model, options), options.mode) {
        (Err(OptimizeError::Infeasible(diagnosis)), Mode::Robust { confidence }) => {
            (diagnosis, confidence)
        }
        (result, _) => return result,
    };
    // Robust: the mandatory work does not fit at the asked confidence. Plan at the best one
    // it fits at (down to the median), and say which constraint failed at the asked one.
    let (diagnosis, asked) = asked;
    let at = |confidence: f64| {
        let o = OptimizeOptions {
            mode: Mode::Robust { confidence },
            solver_log: None,
            ..options.clone()
        };
        optimize_as_asked(model, &o)
    };
    let mut best = match at(0.5) {
        Ok(outcome) => outcome,
        Err(OptimizeError::Infeasible(_)) => return Err(OptimizeError::Infeasible(diagnosis)),
        Err(e) => return Err(e),
    };
    let (mut lo, mut hi) = (0.5, asked);
    while hi - lo > CONFIDENCE_STEP {
        let mid = ((lo + hi) / 2.0 / CONFIDENCE_STEP).floor() * CONFIDENCE_STEP;
        if mid <= lo {
            break;
        }
        match at(mid) {
            Ok(outcome) => {
                best = outcome;
                lo = mid;
            }
            Err(OptimizeError::Infeasible(_)) => hi = mid,
            Err(e) => return Err(e),
        }
    }
    best.unreachable = Some(Unreachable { asked, diagnosis });
    Ok(best)
}

fn optimize_as_asked(model: &Model, options: &OptimizeOptions) -> Result<Outcome, OptimizeError> {
    options.check()?;
    let clock = Instant::now();
    let (inputs, form) = formulate(model, options);
    let basis = inputs.basis();

    // A mandatory feature that cannot be delivered at all has no window: no solver needed.
    if model
        .features
        .iter()
        .enumerate()
        .any(|(f, feat)| feat.mandatory && inputs.windows[f].is_none())
    {
        return Err(infeasible(model, options, &basis));
    }

    let mut start_plan = StartPlan::ValuePerEffort;
    let mut start = if options.mip_start {
        start::greedy(model, &inputs, &form).map_err(NoStart::Infeasible)
    } else {
        Err(NoStart::NotAsked)
    };
    // The stochastic model's search is slow to find good plans by itself; the deterministic
    // optimum is a strong start, and with it the stochastic plan is never worse than the
    // deterministic one on the sampled futures.
    if options.mip_start && matches!(options.mode, Mode::Stochastic { .. }) {
        let deterministic = OptimizeOptions {
            mode: Mode::Deterministic,
            solver_log: None,
            ..options.clone()
        };
        let plan = match &options.deterministic_start {
            Some(plan) => Some(plan.clone()),
            None => optimize(model, &deterministic).ok().map(|o| o.plan),
        };
        if let Some(plan) = plan {
            let values = start::column_values(model, &inputs, &form, &plan);
            let better = start.as_ref().map_or(true, |s| {
                form.milp.objective(&values) > form.milp.objective(&s.values)
            });
            if form.milp.max_violation(&values) <= 1e-6 && better {
                start = Ok(start::Start { plan, values });
                start_plan = StartPlan::DeterministicOptimum;
            }
        }
    }
    let build_seconds = clock.elapsed().as_secs_f64();
    let stochastic = matches!(options.mode, Mode::Stochastic { .. });
    let controls = solver::Controls {
        time_limit_seconds: options
            .time_limit_seconds
            .or(stochastic.then_some(STOCHASTIC_TIME_LIMIT)),
        gap: options.gap,
        threads: options.threads,
        log_file: options.solver_log.clone(),
        random_seed: options.solver_seed,
    };
    // Under a time limit, a single-world search that has not closed the gap by a share of
    // it leaves the rest to polishing its plan (see [`polish`]); the stochastic models are
    // too large to search again in pieces.
    let polish_within = controls.time_limit_seconds.filter(|_| !stochastic);
    let first = solver::Controls {
        time_limit_seconds: polish_within
            .map(|limit| limit * polish::FIRST_SHARE)
            .or(controls.time_limit_seconds),
        ..controls.clone()
    };
    let began = Instant::now();
    let solved = solver::solve(
        &form.milp,
        &first,
        start.as_ref().ok().map(|s| s.values.as_slice()),
    );
    let mut polished = None;
    let solved = match (solved, polish_within) {
        (Ok(s), Some(limit)) if s.status == Status::TimeLimit => {
            let (s, report) = polish::polish(&form, s, &controls, limit, began);
            polished = Some(report);
            Ok(s)
        }
        // No plan yet in the first share: the rest of the limit goes on searching.
        (Err(solver::Failure::NoSolution { .. }), Some(limit)) => solver::solve(
            &form.milp,
            &solver::Controls {
                time_limit_seconds: Some((limit - began.elapsed().as_secs_f64()).max(0.01)),
                log_file: None,
                ..controls.clone()
            },
            start.as_ref().ok().map(|s| s.values.as_slice()),
        ),
        (solved, _) => solved,
    };
    let solved = match solved {
        Ok(s) => s,
        Err(solver::Failure::Infeasible) => return Err(infeasible(model, options, &basis)),
        Err(solver::Failure::NoSolution { seconds }) => {
            return Err(OptimizeError::NoSolution {
                limit: options.time_limit_seconds.unwrap_or(seconds),
            })
        }
        Err(solver::Failure::Solver(message)) => return Err(OptimizeError::Solver(message)),
    };

    let plan = plan_from(&form, &solved.values, model, &inputs.lead_weeks);
    let (work, features) = planned_work(model, &inputs, &plan);
    let deals = planned_deals(model, &inputs, &form, &solved.values);
    let scenario_npv = formulation::scenario_values(model, &inputs, &form, &solved.values);
    let violations = check::check_plan(model, &plan, &basis)
        .into_iter()
        // Stochastic plans may use overtime in the expected world; capacity is a recourse
        // cost there, not a constraint.
        .filter(|v| form.recourse.is_none() || v.kind != check::ViolationKind::Capacity)
        .collect();
    let start_report = match &start {
        Ok(s) => StartReport {
            plan: start_plan,
            objective: Some(form.milp.objective(&s.values)),
            features: s.plan.planned().count(),
            missing: None,
        },
        Err(missing) => StartReport {
            plan: start_plan,
            objective: None,
            features: 0,
            missing: Some(missing.clone()),
        },
    };
    let mut features = features;
    reasons(model, &inputs, &plan, &basis, &mut features);
    let capacity = plan_capacity(model, &basis, &plan);
    Ok(Outcome {
        mode: options.mode,
        status: solved.status,
        objective: solved.objective,
        bound: solved.bound,
        gap: solved.gap,
        timing: Timing {
            build_seconds,
            load_seconds: solved.load_seconds,
            solve_seconds: solved.solve_seconds,
            wall_seconds: clock.elapsed().as_secs_f64(),
        },
        size: form.milp.size(),
        plan,
        features,
        deals,
        work,
        capacity,
        start: start_report,
        basis,
        violations,
        seed: options.seed,
        scenario_npv,
        unreachable: None,
        fixed_team_cost: -form.milp.offset,
        polish: polished,
    })
}

/// The plan the solution says, with each feature's start as the money was counted: the latest
/// that leaves the lead time the mode planned with (expected, or at the robust quantile).
fn plan_from(form: &Formulation, values: &[f64], model: &Model, lead_weeks: &[f64]) -> Plan {
    let mut plan = Plan::empty(model);
    for (f, entry) in form.delivered.iter().enumerate() {
        if let Some((col, w)) = entry {
            plan.periods[f] =
                (w.first..=w.last).find(|&t| values[(col + (t - w.first) as u32) as usize] > 0.5);
            plan.starts[f] =
                plan.periods[f].map(|t| model.time.planned_start(w.open, t, lead_weeks[f]));
        }
    }
    for (f, cols) in form.stages.iter().enumerate() {
        let (Some(cols), Some(_)) = (cols, plan.periods[f]) else {
            continue;
        };
        plan.handoffs.resize(model.features.len(), Vec::new());
        plan.handoffs[f] = cols
            .iter()
            .filter_map(|&(col, first, last)| {
                (first..=last).find(|&t| values[(col + (t - first) as u32) as usize] > 0.5)
            })
            .collect();
    }
    plan.bought = form
        .bought
        .iter()
        .filter_map(|b| {
            let people = values[b.column as usize].round();
            (people >= 1.0).then_some(crate::model::staffing::Purchase {
                option: b.option,
                people: people as u32,
                from: b.from,
                to: b.to,
            })
        })
        .collect();
    plan.assigned = form
        .placed
        .iter()
        .filter_map(|x| {
            let people = values[x.column as usize].round();
            (people >= 1.0).then_some(crate::model::staffing::Assignment {
                pool: x.pool,
                team: x.team,
                period: x.period,
                people: people as u32,
            })
        })
        .collect();
    plan
}

/// Planned work per team and period, and each feature's line. The schedule is earliest
/// due date first among the features a team may work on, period by period: for work that may
/// be spread, it meets every planned period whenever any schedule does, and it is how the
/// teams in `simulate` work through a plan.
#[allow(clippy::needless_range_loop)] // teams and periods index the work and capacity tables
fn planned_work(
    model: &Model,
    inputs: &Inputs,
    plan: &Plan,
) -> (Vec<Vec<f64>>, Vec<PlannedFeature>) {
    let teams = model.teams.len();
    let periods = inputs.periods;
    let world = &inputs.world;
    let added = crate::model::staffing::added_weeks(model, &plan.bought);
    let mut work = vec![vec![0.0; periods]; teams];
    for k in 0..teams {
        // (due, feature, weeks, open): a staged feature's part is due at its stage's hand-off.
        let mut jobs: Vec<(usize, usize, f64, usize)> = plan
            .planned()
            .filter(|&(f, _)| world.effort[f][k] > 0.0)
            .filter_map(|(f, _)| {
                let (open, due) = plan.part_window(model, f, k)?;
                Some((due, f, world.effort[f][k], open))
            })
            .collect();
        jobs.sort_by_key(|&(p, f, _, _)| (p, f));
        for t in 0..periods {
            let mut room = world.capacity[k][t] + added[k][t] * world.factor[k].max(0.0);
            for a in plan
                .assigned
                .iter()
                .filter(|a| a.team == k && a.period == t)
            {
                let factor = world.pool_factor.get(a.pool).copied().unwrap_or(1.0);
                room += a.people as f64 * model.pools[a.pool].capacity_per_person * factor.max(0.0);
            }
            for job in jobs.iter_mut() {
                if room <= 0.0 {
                    break;
                }
                if job.2 <= 0.0 || job.3 > t {
                    continue;
                }
                // Work due later than planned still gets done: overtime in the stochastic
                // mode's scenarios, never in a feasible deterministic plan.
                let take = if job.0 <= t { job.2 } else { job.2.min(room) };
                work[k][t] += take;
                job.2 -= take;
                room -= take;
            }
            // Whatever is due now and not done is shown in its period, over capacity.
            for job in jobs.iter_mut().filter(|j| j.0 == t && j.2 > 0.0) {
                work[k][t] += job.2;
                job.2 = 0.0;
            }
        }
    }
    let features = (0..model.features.len())
        .map(|f| {
            let period = plan.periods[f];
            let team_weeks = (0..teams)
                .filter(|&k| world.effort[f][k] > 0.0)
                .map(|k| (k, world.effort[f][k]))
                .collect();
            let net_value = match (inputs.windows[f], period) {
                (Some(w), Some(p)) => world.delivery[f][p - w.first],
                (Some(_), None) => world.delivery[f]
                    .iter()
                    .copied()
                    .fold(f64::NEG_INFINITY, f64::max),
                _ => 0.0,
            };
            PlannedFeature {
                feature: f,
                period,
                team_weeks,
                net_value,
                left_out: None,
            }
        })
        .collect();
    (work, features)
}

fn planned_deals(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    values: &[f64],
) -> Vec<PlannedDeal> {
    (0..model.deals.len())
        .map(|d| {
            let won_in = form.won[d].and_then(|(col, first, last)| {
                (first..=last).find(|&t| values[(col + (t - first) as u32) as usize] > 0.5)
            });
            PlannedDeal {
                deal: d,
                won_in,
                value: won_in.map_or(0.0, |t| inputs.world.deal[d][t]),
            }
        })
        .collect()
}

/// A group of constraints and how to drop it from a model.
type Relaxing = (&'static str, fn(&mut Model));

/// Explains a plan that cannot exist: the static analysis, then which groups of
/// constraints, relaxed one at a time, would let a plan exist.
fn infeasible(model: &Model, options: &OptimizeOptions, basis: &CheckBasis) -> OptimizeError {
    let mut diagnosis = diagnose::diagnose(model, basis);
    let relaxed: [Relaxing; 6] = [
        ("hard deadlines", |m: &mut Model| {
            for f in &mut m.features {
                if matches!(
                    f.deadline.map(|d| d.kind),
                    Some(crate::model::DeadlineKind::Hard)
                ) {
                    f.deadline = None;
                }
                // A soft target keeps its penalty without the limit after it.
                if let Some(d) = f.deadline.as_mut() {
                    d.limit = None;
                }
            }
        }),
        ("mandatory features", |m: &mut Model| {
            for f in &mut m.features {
                f.mandatory = false;
            }
        }),
        ("the budget", |m: &mut Model| m.budget = None),
        // Relaxed only when the scenario has them: a model that does not change is skipped.
        ("the budgets per period", |m: &mut Model| {
            m.budget_per_period = None
        }),
        ("theme shares", |m: &mut Model| {
            for t in &mut m.themes {
                t.min_share = 0.0;
                t.max_share = 1.0;
            }
        }),
        ("the order inside features (stages)", |m: &mut Model| {
            for f in &mut m.features {
                f.stages.clear();
            }
        }),
    ];
    for (group, relax) in relaxed {
        let mut m = model.clone();
        relax(&mut m);
        if m == *model {
            continue;
        }
        let feasible = feasible(&m, options);
        diagnosis.relaxations.push(diagnose::Relaxation {
            group: group.to_string(),
            feasible_without: feasible,
        });
    }
    if !diagnosis.found_cause() {
        diagnosis.extra_capacity = extra_capacity(model, options);
    }
    OptimizeError::Infeasible(Box::new(diagnosis))
}

/// The least extra capacity (person-weeks, summed over teams and periods) with which a plan
/// exists, every other constraint kept: the capacity rows get slack, the objective counts it.
/// Empty when even unlimited capacity does not help, or in the stochastic mode, where work
/// beyond capacity is already recourse.
fn extra_capacity(model: &Model, options: &OptimizeOptions) -> Vec<diagnose::ExtraCapacity> {
    let (inputs, form) = formulate(model, options);
    let old = &form.milp;
    let periods = inputs.periods;
    let mut elastic = milp::Milp {
        columns: old.columns.clone(),
        ..milp::Milp::default()
    };
    elastic.columns.iter_mut().for_each(|c| c.objective = 0.0);
    let first = elastic.columns.len() as u32;
    for k in 0..model.teams.len() {
        for t in 0..periods {
            let c = elastic.add_column(
                Var::Overtime {
                    scenario: 0,
                    team: k as u32,
                    period: t as u32,
                },
                0.0,
                f64::INFINITY,
                false,
            );
            elastic.columns[c as usize].objective = -1.0;
        }
    }
    let mut any = false;
    for row in &old.rows {
        let mut entries: Vec<(u32, f64)> = old.entries(row).collect();
        if let Con::Capacity { team, from, to } = row.con {
            entries.extend((from..=to).map(|u| (first + team * periods as u32 + u, -1.0)));
            any = true;
        }
        elastic.add_row(row.con, row.lower, row.upper, &entries);
    }
    // Rows that could never bind were left out of the model; with overtime they still cannot.
    if !any {
        return Vec::new();
    }
    let controls = solver::Controls {
        time_limit_seconds: Some(options.time_limit_seconds.unwrap_or(60.0).min(60.0)),
        gap: 1e-6,
        threads: options.threads,
        log_file: None,
        random_seed: options.solver_seed,
    };
    let Ok(solved) = solver::solve(&elastic, &controls, None) else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    for k in 0..model.teams.len() {
        for t in 0..periods {
            let weeks = solved.values[(first as usize) + k * periods + t];
            if weeks > 1e-6 {
                extra.push(diagnose::ExtraCapacity {
                    team: k,
                    team_id: model.teams[k].id.clone(),
                    period: t,
                    period_label: model.time.labels[t].clone(),
                    weeks,
                });
            }
        }
    }
    extra
}

/// Whether any plan satisfies the constraints (objective ignored, first feasible plan wins).
fn feasible(model: &Model, options: &OptimizeOptions) -> bool {
    let (inputs, mut form) = formulate(model, options);
    if model
        .features
        .iter()
        .enumerate()
        .any(|(f, feat)| feat.mandatory && inputs.windows[f].is_none())
    {
        return false;
    }
    form.milp.columns.iter_mut().for_each(|c| c.objective = 0.0);
    let controls = solver::Controls {
        time_limit_seconds: Some(options.time_limit_seconds.unwrap_or(60.0).min(60.0)),
        gap: 1.0 - 1e-9,
        threads: options.threads,
        log_file: None,
        random_seed: options.solver_seed,
    };
    solver::solve(&form.milp, &controls, None).is_ok()
}
