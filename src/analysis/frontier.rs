//! The efficient frontier: what a safer plan costs in expected value.
//!
//! Two sweeps, each point a plan from the optimizer:
//! - risk aversion: the stochastic mode at lambda = 0 .. 1, giving E[NPV] against CVaR on the
//!   optimizer's sampled futures (each point maximises (1 - lambda) E + lambda CVaR there, so
//!   no point solved to optimality with 0 < lambda < 1 is beaten on both);
//! - budget: the plan at a range of budgets, giving E[NPV] against the money allowed.
//!
//! Every distinct plan is then simulated on the same futures (the scenario's seed), so the
//! out-of-sample figures are paired across points.

use crate::model::expect;
use crate::model::{Model, Plan};
use crate::optimize::{self, Mode, OptimizeError, OptimizeOptions, Outcome};
use crate::sample::Method;
use crate::simulate::{self, paired, Engine, Progress, Schedule, SimOptions, Stage};
use rayon::prelude::*;
use serde::Serialize;

/// Seconds each point of a risk-aversion sweep searches when no time limit is given.
pub const STOCHASTIC_POINT_SECONDS: f64 = 10.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Sweep {
    RiskAversion {
        lambdas: Vec<f64>,
        scenarios: usize,
        alpha: f64,
        overtime_premium: Option<f64>,
    },
    /// Budgets in currency; `None` lets the sweep pick evenly spaced budgets up to what the
    /// unconstrained plan spends.
    Budget {
        budgets: Option<Vec<f64>>,
        points: usize,
        mode: Mode,
    },
}

#[derive(Debug, Clone)]
pub struct FrontierOptions {
    pub sweep: Sweep,
    /// Solver settings (gap, time limit, threads) and the optimizer's seed.
    pub optimize: OptimizeOptions,
    /// The out-of-sample simulation of each plan.
    pub trials: u64,
    pub seed: u64,
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Cvar,
    Budget,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulated {
    pub mean: f64,
    pub std_error: f64,
    pub p10: f64,
    /// Mean of the worst 1 - alpha of trials.
    pub cvar: f64,
    /// Its standard error: the spread of the tail over the square root of its size.
    pub cvar_std_error: f64,
    pub p_negative: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedLine {
    pub feature: String,
    pub name: String,
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The swept setting: lambda, or the budget.
    pub lambda: Option<f64>,
    pub budget: Option<f64>,
    /// Why there is no plan at this point (a budget below the mandatory work, a time limit).
    pub error: Option<String>,
    pub status: Option<String>,
    pub objective: f64,
    /// The optimizer's own E[NPV] and CVaR (on its sampled futures; E only for budgets).
    pub expected: f64,
    pub cvar: Option<f64>,
    /// Expected spend of the plan, as the budget counts it.
    pub spend: f64,
    pub simulated: Option<Simulated>,
    pub features: usize,
    pub plan: Vec<PlannedLine>,
    /// The same plan as the simulator runs it.
    #[serde(skip)]
    pub schedule: Plan,
    /// An earlier point has the same plan (its index).
    pub same_plan_as: Option<usize>,
    /// Another point is at least as good on both axes and better on one.
    pub dominated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frontier {
    pub scenario: String,
    pub currency: String,
    pub axis: Axis,
    /// CVaR confidence (risk-aversion sweep) and the simulation's tail.
    pub alpha: f64,
    pub scenarios: Option<usize>,
    pub trials: u64,
    pub seed: u64,
    pub points: Vec<Point>,
}

#[derive(Debug, thiserror::Error)]
pub enum FrontierError {
    #[error(transparent)]
    Optimize(#[from] OptimizeError),
    #[error(transparent)]
    Simulate(#[from] simulate::SimError),
    #[error("{0}")]
    Options(String),
}

/// The CVaR tail the budget sweep reports from its simulations.
const BUDGET_ALPHA: f64 = 0.9;

pub fn run(
    model: &Model,
    options: &FrontierOptions,
    progress: &dyn Progress,
) -> Result<Frontier, FrontierError> {
    let (axis, alpha, scenarios) = match &options.sweep {
        Sweep::RiskAversion {
            lambdas,
            scenarios,
            alpha,
            ..
        } => {
            if lambdas.is_empty() || lambdas.iter().any(|l| !(0.0..=1.0).contains(l)) {
                return Err(FrontierError::Options(
                    "risk aversions must be between 0 and 1".into(),
                ));
            }
            (Axis::Cvar, *alpha, Some(*scenarios))
        }
        Sweep::Budget { .. } => (Axis::Budget, BUDGET_ALPHA, None),
    };
    if matches!(options.sweep, Sweep::Budget { .. }) {
        progress.stage(&Stage::FrontierUnbudgeted);
    }
    let settings = settings(model, options)?;
    if matches!(options.sweep, Sweep::RiskAversion { .. }) {
        progress.stage(&Stage::FrontierStart);
    }
    // Every stochastic point starts from the deterministic optimum: solved once, here.
    let deterministic_start = match &options.sweep {
        Sweep::RiskAversion { .. } => optimize::optimize(
            model,
            &OptimizeOptions {
                mode: Mode::Deterministic,
                solver_log: None,
                ..options.optimize.clone()
            },
        )
        .ok()
        .map(|o| o.plan),
        Sweep::Budget { .. } => None,
    };
    // Points are independent solves: spread them over the cores. Each solve is deterministic,
    // and the points keep the sweep's order, so the output does not depend on the threads.
    let limit = settings.first().and_then(|&(_, _, mode)| {
        options
            .optimize
            .time_limit_for(mode, STOCHASTIC_POINT_SECONDS)
    });
    progress.stage(&Stage::FrontierSolving {
        points: settings.len(),
        limit_seconds: limit,
    });
    progress.begin(settings.len() as u64);
    let solved: Vec<Result<Point, FrontierError>> = settings
        .into_par_iter()
        .map(|(lambda, budget, mode)| {
            let mut m = model.clone();
            if budget.is_some() {
                m.budget = budget;
            }
            // A sweep is many solves: each stochastic one searches a bounded time unless told.
            let time_limit_seconds = options
                .optimize
                .time_limit_for(mode, STOCHASTIC_POINT_SECONDS);
            let opts = OptimizeOptions {
                mode,
                time_limit_seconds,
                deterministic_start: deterministic_start.clone(),
                ..options.optimize.clone()
            };
            let solved = optimize::optimize(&m, &opts);
            progress.advance(1);
            match solved {
                Ok(outcome) => Ok(point(model, lambda, budget, alpha, &outcome)),
                Err(e @ (OptimizeError::Infeasible(_) | OptimizeError::NoSolution { .. })) => {
                    Ok(no_plan(model, lambda, budget, e))
                }
                Err(e) => Err(e.into()),
            }
        })
        .collect();
    let mut points = solved.into_iter().collect::<Result<Vec<_>, _>>()?;
    mark_repeats(&mut points);
    simulate_plans(model, options, alpha, &mut points, progress)?;
    mark_dominated(&mut points, axis, options.optimize.gap);
    Ok(Frontier {
        scenario: model.name.clone(),
        currency: model.currency.clone(),
        axis,
        alpha,
        scenarios,
        trials: options.trials,
        seed: options.seed,
        points,
    })
}

fn no_plan(model: &Model, lambda: Option<f64>, budget: Option<f64>, e: OptimizeError) -> Point {
    Point {
        lambda,
        budget,
        error: Some(match e {
            OptimizeError::Infeasible(_) if budget.is_some() => {
                "no plan fits this budget (the mandatory work costs more)".to_string()
            }
            e => e.to_string(),
        }),
        status: None,
        objective: f64::NAN,
        expected: f64::NAN,
        cvar: None,
        spend: f64::NAN,
        simulated: None,
        features: 0,
        plan: Vec::new(),
        schedule: Plan::empty(model),
        same_plan_as: None,
        dominated: false,
    }
}

/// The (lambda, budget, mode) of each point.
type Setting = (Option<f64>, Option<f64>, Mode);

fn settings(model: &Model, options: &FrontierOptions) -> Result<Vec<Setting>, FrontierError> {
    Ok(match &options.sweep {
        Sweep::RiskAversion {
            lambdas,
            scenarios,
            alpha,
            overtime_premium,
        } => lambdas
            .iter()
            .map(|&l| {
                (
                    Some(l),
                    None,
                    Mode::Stochastic {
                        scenarios: *scenarios,
                        risk_aversion: l,
                        cvar_alpha: *alpha,
                        overtime_premium: *overtime_premium,
                    },
                )
            })
            .collect(),
        Sweep::Budget {
            budgets,
            points,
            mode,
        } => {
            let budgets = match budgets {
                Some(b) => b.clone(),
                None => {
                    // Up to what the best plan spends with no budget at all: beyond it, more
                    // money buys nothing.
                    let mut free = model.clone();
                    free.budget = None;
                    let opts = OptimizeOptions {
                        mode: *mode,
                        ..options.optimize.clone()
                    };
                    let outcome = optimize::optimize(&free, &opts)?;
                    let most = plan_spend(model, &outcome);
                    // From what the mandatory features (and what they require) cost, below
                    // which no plan exists, to what the best plan spends.
                    let least = forced_spend(model).min(most);
                    let n = (*points).max(2);
                    if least > 0.0 {
                        (0..n)
                            .map(|k| least + (most - least) * k as f64 / (n - 1) as f64)
                            .collect()
                    } else {
                        (1..=n).map(|k| most * k as f64 / n as f64).collect()
                    }
                }
            };
            if budgets.is_empty() || budgets.iter().any(|b| !(b.is_finite() && *b > 0.0)) {
                return Err(FrontierError::Options(
                    "budgets must be positive amounts".into(),
                ));
            }
            budgets.iter().map(|&b| (None, Some(b), *mode)).collect()
        }
    })
}

/// Expected spend of the mandatory features and, transitively, the features they require
/// (not the alternatives of any-of groups: none of them is needed in particular).
fn forced_spend(model: &Model) -> f64 {
    let mut forced: Vec<bool> = model.features.iter().map(|f| f.mandatory).collect();
    let mut stack: Vec<usize> = (0..forced.len()).filter(|&f| forced[f]).collect();
    while let Some(f) = stack.pop() {
        for r in &model.features[f].requires {
            if !forced[r.feature] {
                forced[r.feature] = true;
                stack.push(r.feature);
            }
        }
    }
    let features: f64 = (0..forced.len())
        .filter(|&f| forced[f])
        .map(|f| match model.features[f].recurring_cost {
            Some(_) => expect::spend(model, f) + expect::least_recurring_spend(model, f),
            None => expect::spend(model, f),
        })
        .sum();
    match crate::model::expect::has_fixed_cost(model) {
        true => features + expect::fixed_team_spend(model),
        false => features,
    }
}

fn plan_spend(model: &Model, outcome: &Outcome) -> f64 {
    expect::plan_spend(model, &outcome.plan)
}

fn point(
    model: &Model,
    lambda: Option<f64>,
    budget: Option<f64>,
    alpha: f64,
    outcome: &Outcome,
) -> Point {
    let label = |p: usize| model.time.labels[p].clone();
    let (expected, cvar) = if outcome.scenario_npv.is_empty() {
        (outcome.objective, None)
    } else {
        let s = &outcome.scenario_npv;
        (
            s.iter().sum::<f64>() / s.len() as f64,
            Some(paired::cvar(s, alpha)),
        )
    };
    let mut plan: Vec<(usize, usize)> = outcome.plan.planned().map(|(f, p)| (p, f)).collect();
    plan.sort();
    Point {
        lambda,
        budget,
        error: None,
        status: Some(match outcome.status {
            optimize::Status::Optimal => "optimal".to_string(),
            optimize::Status::TimeLimit => "time limit".to_string(),
        }),
        objective: outcome.objective,
        expected,
        cvar,
        spend: plan_spend(model, outcome),
        simulated: None,
        features: plan.len(),
        schedule: outcome.plan.clone(),
        plan: plan
            .into_iter()
            .map(|(p, f)| PlannedLine {
                feature: model.features[f].id.clone(),
                name: model.features[f].name.clone(),
                period: label(p),
            })
            .collect(),
        same_plan_as: None,
        dominated: false,
    }
}

fn mark_repeats(points: &mut [Point]) {
    for i in 0..points.len() {
        if points[i].error.is_some() {
            continue;
        }
        points[i].same_plan_as =
            (0..i).find(|&j| points[j].error.is_none() && points[j].schedule == points[i].schedule);
    }
}

fn simulate_plans(
    model: &Model,
    options: &FrontierOptions,
    alpha: f64,
    points: &mut [Point],
    progress: &dyn Progress,
) -> Result<(), FrontierError> {
    if options.trials == 0 {
        return Ok(());
    }
    let sim = SimOptions {
        trials: options.trials,
        seed: options.seed,
        threads: options.threads,
        method: Method::MonteCarlo,
    };
    let distinct = points
        .iter()
        .filter(|p| p.error.is_none() && p.same_plan_as.is_none())
        .count();
    progress.stage(&Stage::FrontierSimulating { plans: distinct });
    progress.begin(distinct as u64 * options.trials);
    let within = crate::simulate::Within(progress);
    for i in 0..points.len() {
        if points[i].error.is_some() {
            continue;
        }
        if let Some(j) = points[i].same_plan_as {
            points[i].simulated = points[j].simulated.clone();
            continue;
        }
        let engine = Engine::new(
            model,
            &Schedule::Plan(points[i].schedule.clone()),
            options.seed,
            Method::MonteCarlo,
            options.trials,
        );
        let (result, npv) = paired::run_keeping_npv(model, &engine, &sim, &within)?;
        points[i].simulated = Some(Simulated {
            mean: result.npv.mean,
            std_error: result.npv.std_error,
            p10: result.npv.p10,
            cvar: paired::cvar(&npv, alpha),
            cvar_std_error: tail_std_error(&npv, alpha),
            p_negative: result.npv.p_negative,
        });
    }
    Ok(())
}

/// Standard error of the mean of the worst 1 - alpha of `values`.
fn tail_std_error(values: &[f64], alpha: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let m = (((1.0 - alpha) * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    let tail = &sorted[..m.min(sorted.len())];
    if tail.len() < 2 {
        return 0.0;
    }
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    let var = tail.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (tail.len() - 1) as f64;
    (var / tail.len() as f64).sqrt()
}

/// Marks points another point beats: on (E, CVaR) for the risk sweep, on (E, less budget)
/// for the budget sweep. Simulated plans are compared on the simulation (futures the optimizer
/// never saw), where differences within two standard errors are ties; otherwise as the
/// optimizer counts them, where differences within the solver's gap are ties.
fn mark_dominated(points: &mut [Point], axis: Axis, gap: f64) {
    if points
        .iter()
        .filter(|p| p.error.is_none())
        .all(|p| p.simulated.is_some())
    {
        return mark_dominated_simulated(points, axis);
    }
    let scale = points
        .iter()
        .filter(|p| p.error.is_none())
        .map(|p| p.objective.abs().max(p.expected.abs()))
        .fold(0.0, f64::max);
    let tol = (gap * scale).max(1e-9 * scale.max(1.0));
    let coords = |p: &Point| -> Option<(f64, f64)> {
        if p.error.is_some() {
            return None;
        }
        Some(match axis {
            Axis::Cvar => (p.expected, p.cvar.unwrap_or(f64::NAN)),
            Axis::Budget => (p.expected, -p.budget.unwrap_or(f64::NAN)),
        })
    };
    let all: Vec<Option<(f64, f64)>> = points.iter().map(coords).collect();
    for (i, point) in points.iter_mut().enumerate() {
        let Some((e, c)) = all[i] else { continue };
        // Budgets are set, not estimated: a larger budget that buys no more value is beaten
        // however small the difference in budget.
        let tol_c = if axis == Axis::Budget { 0.0 } else { tol };
        point.dominated = all.iter().enumerate().any(|(j, other)| {
            let Some((e2, c2)) = *other else {
                return false;
            };
            j != i && e2 >= e - tol && c2 >= c - tol_c && (e2 > e + tol || c2 > c + tol_c)
        });
    }
}

fn mark_dominated_simulated(points: &mut [Point], axis: Axis) {
    // (E, E's tie, second coordinate, its tie) per point.
    let coords: Vec<Option<(f64, f64, f64, f64)>> = points
        .iter()
        .map(|p| {
            let s = p.simulated.as_ref()?;
            if p.error.is_some() {
                return None;
            }
            Some(match axis {
                Axis::Cvar => (s.mean, 2.0 * s.std_error, s.cvar, 2.0 * s.cvar_std_error),
                Axis::Budget => (
                    s.mean,
                    2.0 * s.std_error,
                    -p.budget.unwrap_or(f64::NAN),
                    0.0,
                ),
            })
        })
        .collect();
    for (i, point) in points.iter_mut().enumerate() {
        let Some((e, te, c, tc)) = coords[i] else {
            continue;
        };
        point.dominated = coords.iter().enumerate().any(|(j, other)| {
            let Some((e2, te2, c2, tc2)) = *other else {
                return false;
            };
            let (te, tc) = (te.max(te2), tc.max(tc2));
            j != i && e2 >= e - te && c2 >= c - tc && (e2 > e + te || c2 > c + tc)
        });
    }
}
