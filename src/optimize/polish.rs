//! Polishing a plan that the time limit stopped short of the gap.
//!
//! On large deterministic portfolios HiGHS has its bound within a few seconds (the root cuts)
//! but finds its best plans late: on the 1,000-feature bench case the bound is at its 30 s
//! value after 12 s while the plan is still 0.25% below it, and HiGHS's own sub-MIP
//! heuristics take minutes to close most of that. Time decides most of a plan's value here
//! (a quarter earlier earns a quarter's revenue), and the plans HiGHS misses differ from its
//! own mostly by features that move one period, so the search that finds them is over runs of
//! periods: for a run [a, b], the features delivered inside it (and, when the run ends a
//! feature's window, the left-out ones that the LP relaxation would take) may move to any
//! period of the run, and every other delivery column keeps its value. Each such neighbourhood
//! is the whole model with bounds fixed, solved by HiGHS from the best plan: every plan it
//! returns is a plan of the model, and none is worse than the one it started from.
//!
//! The runs sweep from the plan's end to its start, two periods wide. Each sweep then frees
//! one team's features at a time, in every period of their windows, with every other
//! delivery held: a run moves features in time, but cannot swap a feature delivered before it
//! for a left-out one whose window ends after it, and a team's capacity is where such swaps
//! pay. On the 1,000-feature bench case, when the first search hands over 329.37M, the runs
//! alone stall at 330.107M (0.102%, $7k short of 0.1%); with the teams' neighbourhoods the
//! polish reaches 330.122M (0.098%) at 23 s, each of them solved to optimality in 0.1-2 s. A
//! sweep that gains almost nothing widens the runs to three, and one that gains nothing at
//! three ends the polish.
//! What time is left then goes to HiGHS on the whole model again, from the polished plan. The
//! bound reported is the lower of the two whole-model searches' bounds, both valid.

use super::formulation::Formulation;
use super::milp::{Con, Milp, Var};
use super::solver::{self, Controls, Solved, Status};
use serde::Serialize;
use std::time::Instant;

/// Share of the time limit the first whole-model search gets. On the bench case its bound
/// is at its 30 s value by 12 s, and HiGHS's first good plan (its sub-MIP heuristic) comes at
/// about 10 s.
pub const FIRST_SHARE: f64 = 0.4;
/// Share of the time limit after which no neighbourhood is started: the rest is for the last
/// whole-model search.
const POLISH_UNTIL: f64 = 0.85;
/// The longest search of one neighbourhood. Two-period runs of the bench case solve to
/// optimality in 0.1-1 s; the run at the plan's end, with the left-out features, is larger.
const NEIGHBOURHOOD_SECONDS: f64 = 2.0;
/// A sweep that gains less than this share of the objective widens the runs.
const STALL: f64 = 1e-5;
const WIDEST: usize = 3;

/// What polishing did, for the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Polish {
    /// Objective of the first whole-model search's plan, and of the best plan the
    /// neighbourhoods gave (the last whole-model search may better it).
    pub from: f64,
    pub to: f64,
    /// The first search's gap (infinite when it had no bound).
    pub first_gap: f64,
    /// Neighbourhoods searched, and how many of them gave a better plan.
    pub searched: usize,
    pub improved: usize,
    /// Seconds on the neighbourhoods (and the LP relaxation that picks the left-out features).
    pub seconds: f64,
    /// Whether HiGHS searched the whole model again from the polished plan.
    pub resumed: bool,
}

/// The relative gap between a plan's objective and a bound, both counting the model's
/// constant, as the solver states it: of the part that plans change.
fn gap(milp: &Milp, objective: f64, bound: f64) -> f64 {
    solver::relative_gap(objective - milp.offset, bound - milp.offset)
}

/// Polishes `first`, the plan of a whole-model search that stopped at its time limit with a
/// gap above `controls.gap`. `limit` is the solve's whole time limit, counted from `began`.
pub fn polish(
    form: &Formulation,
    first: Solved,
    controls: &Controls,
    limit: f64,
    began: Instant,
) -> (Solved, Polish) {
    let milp = &form.milp;
    let elapsed = || began.elapsed().as_secs_f64();
    let polish_clock = Instant::now();
    let target = controls.gap;
    let quiet = |seconds: f64, gap: f64| Controls {
        time_limit_seconds: Some(seconds.max(0.01)),
        gap,
        threads: controls.threads,
        log_file: None,
        random_seed: controls.random_seed,
    };
    let mut best = first.clone();
    // HiGHS may stop before it has any bound: the gap is then unknown, never 0.
    let mut bound = if first.gap.is_finite() {
        first.bound
    } else {
        f64::INFINITY
    };
    let (mut searched, mut improved) = (0, 0);
    let until = POLISH_UNTIL * limit;
    let lp = relaxation(milp, &quiet(until - elapsed(), 0.0));
    let teams = team_features(form);
    let mut width = 2;
    'sweeps: while width <= WIDEST.min(form.periods) {
        let sweep_from = best.objective;
        // Runs of periods from the plan's end to its start, then each team's features.
        let runs = (0..=form.periods - width).rev().map(Hood::Run);
        for hood in runs.chain((0..teams.len()).map(Hood::Team)) {
            if elapsed() >= until || gap(milp, best.objective, bound) <= target {
                break 'sweeps;
            }
            let sub = match hood {
                Hood::Run(a) => neighbourhood(form, &best.values, lp.as_deref(), a, a + width - 1),
                Hood::Team(k) => team_neighbourhood(form, &best.values, &teams[k]),
            };
            let Some(sub) = sub else {
                continue;
            };
            searched += 1;
            let seconds = NEIGHBOURHOOD_SECONDS.min(until - elapsed());
            if let Ok(s) = solver::solve(&sub, &quiet(seconds, 0.0), Some(&best.values)) {
                if s.objective > best.objective + 1e-9 * best.objective.abs().max(1.0) {
                    best.values = s.values;
                    best.objective = s.objective;
                    improved += 1;
                }
            }
        }
        if best.objective - sweep_from < STALL * best.objective.abs().max(1.0) {
            width += 1;
        } else {
            width = 2;
        }
    }
    let seconds = polish_clock.elapsed().as_secs_f64();
    let polished = best.objective;
    let mut resumed = false;
    let left = limit - elapsed();
    if gap(milp, best.objective, bound) > target && left > 0.0 {
        let again = Controls {
            time_limit_seconds: Some(left),
            log_file: None,
            ..controls.clone()
        };
        if let Ok(s) = solver::solve(milp, &again, Some(&best.values)) {
            resumed = true;
            if s.objective > best.objective {
                best.values = s.values;
                best.objective = s.objective;
            }
            if s.gap.is_finite() {
                bound = bound.min(s.bound);
            }
        }
    }
    best.gap = gap(milp, best.objective, bound);
    best.bound = if bound.is_finite() {
        bound
    } else {
        best.objective
    };
    best.status = if best.gap <= target {
        Status::Optimal
    } else {
        Status::TimeLimit
    };
    best.solve_seconds = elapsed() - best.load_seconds;
    let report = Polish {
        from: first.objective,
        to: polished,
        first_gap: first.gap,
        searched,
        improved,
        seconds,
        resumed,
    };
    (best, report)
}

/// A neighbourhood of the plan: a run of periods starting at this one, or one team's features.
#[derive(Debug, Clone, Copy)]
enum Hood {
    Run(usize),
    Team(usize),
}

/// Per team with capacity rows, the features whose delivery columns those rows hold, in
/// feature order.
fn team_features(form: &Formulation) -> Vec<Vec<usize>> {
    let milp = &form.milp;
    let mut teams: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for row in &milp.rows {
        if let Con::Capacity { team, .. } = row.con {
            let features = teams.entry(team).or_default();
            features.extend(milp.cols[row.start..row.end].iter().filter_map(|&c| {
                match milp.columns[c as usize].var {
                    Var::Delivered { feature, .. } => Some(feature as usize),
                    _ => None,
                }
            }));
        }
    }
    teams
        .into_values()
        .map(|mut features| {
            features.sort_unstable();
            features.dedup();
            features
        })
        .collect()
}

/// The model with the delivery columns of every feature outside `features` fixed at
/// `values`: the team's features may be packed again, in any period of their windows, around
/// the rest of the plan as it stands. The runs of periods move features in time; this
/// changes which of a team's features the plan carries, which a run of periods cannot do
/// beyond the run. None when the team has no features.
fn team_neighbourhood(form: &Formulation, values: &[f64], features: &[usize]) -> Option<Milp> {
    if features.is_empty() {
        return None;
    }
    let mut sub = form.milp.clone();
    for (f, delivered) in form.delivered.iter().enumerate() {
        let Some((first_column, w)) = *delivered else {
            continue;
        };
        if features.binary_search(&f).is_ok() {
            continue;
        }
        for t in w.first..=w.last {
            let c = (first_column + (t - w.first) as u32) as usize;
            let fixed = values[c].round();
            sub.columns[c].lower = fixed;
            sub.columns[c].upper = fixed;
        }
    }
    Some(sub)
}

/// The LP relaxation's values, or None when HiGHS does not solve it in time.
fn relaxation(milp: &Milp, controls: &Controls) -> Option<Vec<f64>> {
    let mut lp = milp.clone();
    for c in &mut lp.columns {
        c.integer = false;
    }
    solver::solve(&lp, controls, None)
        .ok()
        .map(|s| s.values)
        .filter(|v| v.len() == milp.columns.len())
}

/// The model with every delivery column fixed at `values` except those of the run [a, b] for
/// the features delivered inside it and, where the run ends a feature's window, for the
/// left-out features the LP relaxation delivers some of (all of them without it). None when
/// nothing is free.
fn neighbourhood(
    form: &Formulation,
    values: &[f64],
    lp: Option<&[f64]>,
    a: usize,
    b: usize,
) -> Option<Milp> {
    let mut sub = form.milp.clone();
    let mut free = false;
    for &(first_column, w) in form.delivered.iter().flatten() {
        let column = |t: usize| (first_column + (t - w.first) as u32) as usize;
        let delivered = (w.first..=w.last).find(|&t| values[column(t)] > 0.5);
        let inside = match delivered {
            Some(t) => (a..=b).contains(&t),
            None => (a..=b).contains(&w.last) && lp.is_none_or(|lp| lp[column(w.last)] > 1e-6),
        };
        for t in w.first..=w.last {
            if inside && (a..=b).contains(&t) {
                free = true;
                continue;
            }
            let c = column(t);
            // A feature moved inside the run is not delivered before it.
            let fixed = if inside && t < a {
                0.0
            } else {
                values[c].round()
            };
            sub.columns[c].lower = fixed;
            sub.columns[c].upper = fixed;
        }
    }
    free.then_some(sub)
}
