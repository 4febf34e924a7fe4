//! The one place that talks to the solver: a [`Milp`] goes to HiGHS through good_lp, and
//! the status, values, objective, best bound and gap come back as plain data.
//!
//! good_lp builds the HiGHS model; the solve itself runs on the HiGHS model good_lp hands
//! over, because good_lp's own solve reports neither the best bound nor the gap, and turns
//! "time limit with no solution" into an error without saying so.

use super::milp::Milp;
use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use std::cell::Cell;
use std::time::Instant;

thread_local! {
    /// The thread count this thread's HiGHS scheduler was started with (0: HiGHS's own
    /// choice), once a solve has run on it.
    static SCHEDULER_THREADS: Cell<Option<usize>> = const { Cell::new(None) };
}

/// HiGHS (1.16) keeps one task scheduler per calling thread, started with the first solve's
/// thread count, and refuses a later solve that asks for another count ("the scheduler has
/// already been initialized"). A process that solves on 1 thread and then on 2 (the plan's
/// reproducibility check, candidates solved one after another) releases it first. `threads`
/// is the option's value, 0 when HiGHS chooses.
fn scheduler_for(threads: usize) {
    SCHEDULER_THREADS.with(|current| {
        if current.get().is_some_and(|n| n != threads) {
            // SAFETY: called on the thread that owns the scheduler, between solves, never from
            // a HiGHS worker: no run is in progress on this thread.
            unsafe { highs_sys::Highs_resetThreadScheduler(0) };
        }
        current.set(Some(threads));
    });
}

#[derive(Debug, Clone, PartialEq)]
pub struct Controls {
    pub time_limit_seconds: Option<f64>,
    /// Relative gap at which the search stops.
    pub gap: f64,
    pub threads: Option<usize>,
    /// Write HiGHS's own log here (presolve, LP, branch and bound), for diagnosis.
    pub log_file: Option<std::path::PathBuf>,
    /// HiGHS's `random_seed`: which of the equally valid search paths it takes.
    pub random_seed: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within the requested gap.
    Optimal,
    /// Stopped by the time limit with a feasible plan; the gap says how far from proven.
    TimeLimit,
}

#[derive(Debug, Clone)]
pub struct Solved {
    pub status: Status,
    pub values: Vec<f64>,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    /// Seconds translating the model for the solver, and solving it.
    pub load_seconds: f64,
    pub solve_seconds: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Infeasible,
    /// The time limit ended before any feasible plan was found.
    NoSolution {
        seconds: f64,
    },
    Solver(String),
}

/// Solves `milp`, from `start` when given. HiGHS 1.16 can end a search that began from a start
/// with the start's values in place of the better plan it found and reports: its own
/// objective is then above what the returned values are worth. Such a solve is done again
/// without the start, in the time the limit leaves; the plan returned is always valued from
/// its own values.
pub fn solve(milp: &Milp, controls: &Controls, start: Option<&[f64]>) -> Result<Solved, Failure> {
    let (first, stale) = solve_once(milp, controls, start)?;
    if !stale {
        return Ok(first);
    }
    let spent = first.load_seconds + first.solve_seconds;
    let left = controls.time_limit_seconds.map(|limit| limit - spent);
    if left.is_some_and(|left| left <= 0.0) {
        // No time to search again: the start's plan stands, and its gap says how far it is.
        let status = if first.gap <= controls.gap {
            Status::Optimal
        } else {
            Status::TimeLimit
        };
        return Ok(Solved { status, ..first });
    }
    let again = Controls {
        time_limit_seconds: left,
        ..controls.clone()
    };
    let (mut second, _) = solve_once(milp, &again, None)?;
    second.load_seconds += first.load_seconds;
    second.solve_seconds += first.solve_seconds;
    Ok(second)
}

/// One HiGHS run; the flag says whether HiGHS's objective is above the returned values' worth
/// (the start's values came back, see [`solve`]).
fn solve_once(
    milp: &Milp,
    controls: &Controls,
    start: Option<&[f64]>,
) -> Result<(Solved, bool), Failure> {
    let clock = Instant::now();
    if milp.columns.is_empty() {
        // Nothing can be delivered: the empty plan is the only one, unless a row excludes
        // even it (a budget that the fixed-cost teams alone exceed).
        if milp.rows.iter().any(|r| {
            r.lower > 1e-9 * r.lower.abs().max(1.0) || r.upper < -1e-9 * r.upper.abs().max(1.0)
        }) {
            return Err(Failure::Infeasible);
        }
        return Ok((
            Solved {
                status: Status::Optimal,
                values: Vec::new(),
                objective: milp.offset,
                bound: milp.offset,
                gap: 0.0,
                load_seconds: 0.0,
                solve_seconds: 0.0,
            },
            false,
        ));
    }
    let mut vars = ProblemVariables::new();
    let columns: Vec<Variable> = milp
        .columns
        .iter()
        .map(|c| {
            let mut def = variable();
            if c.integer {
                def = def.integer();
            }
            if c.lower.is_finite() {
                def = def.min(c.lower);
            }
            if c.upper.is_finite() {
                def = def.max(c.upper);
            }
            vars.add(def)
        })
        .collect();
    let mut objective = Expression::with_capacity(milp.columns.len());
    for (v, c) in columns.iter().zip(&milp.columns) {
        if c.objective != 0.0 {
            objective.add_mul(c.objective, *v);
        }
    }
    let mut problem = vars.maximise(objective).using(highs);
    for row in &milp.rows {
        let mut e = Expression::with_capacity(row.end - row.start);
        for (c, a) in milp.entries(row) {
            e.add_mul(a, columns[c as usize]);
        }
        if row.lower == row.upper {
            problem.add_constraint(e.eq(row.lower));
        } else {
            if row.lower.is_finite() && row.upper.is_finite() {
                problem.add_constraint(e.clone().geq(row.lower));
                problem.add_constraint(e.leq(row.upper));
            } else if row.lower.is_finite() {
                problem.add_constraint(e.geq(row.lower));
            } else if row.upper.is_finite() {
                problem.add_constraint(e.leq(row.upper));
            }
        }
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| Failure::Solver(e.to_string()))?;
    configure(&mut model, controls)?;
    if let Some(values) = start {
        // HiGHS checks the start itself and ignores it when it is not feasible.
        let _ = model.try_set_solution(Some(values), None, None, None);
    }
    scheduler_for(controls.threads.unwrap_or(0));
    let load_seconds = clock.elapsed().as_secs_f64();
    let solving = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|e| Failure::Solver(format!("HiGHS stopped with {e:?}")))?;
    let solve_seconds = solving.elapsed().as_secs_f64();
    use highs::HighsModelStatus as S;
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let status = match solved.status() {
        S::Optimal | S::ObjectiveBound | S::ObjectiveTarget => Status::Optimal,
        S::ReachedTimeLimit
        | S::ReachedIterationLimit
        | S::ReachedSolutionLimit
        | S::ReachedInterrupt
        | S::ReachedMemoryLimit => {
            if !has_solution {
                return Err(Failure::NoSolution {
                    seconds: solve_seconds,
                });
            }
            Status::TimeLimit
        }
        S::Infeasible | S::UnboundedOrInfeasible => return Err(Failure::Infeasible),
        other => {
            return Err(Failure::Solver(format!(
                "HiGHS ended with status {other:?}"
            )))
        }
    };
    if !has_solution {
        return Err(Failure::Solver(
            "HiGHS reported success but returned no plan".to_string(),
        ));
    }
    let values = solved.get_solution().columns().to_vec();
    // HiGHS saw the objective without its constant: its bound and the gap are of the part
    // that plans change, the gap being the solver's stopping rule.
    let objective = milp.plan_objective(&values);
    let reported = solved.objective_value();
    let stale = start.is_some() && reported - objective > 1e-7 * (1.0 + reported.abs());
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(objective);
    let gap = relative_gap(objective, bound);
    let (objective, bound) = (objective + milp.offset, bound + milp.offset);
    Ok((
        Solved {
            status,
            values,
            objective,
            bound: if bound.is_finite() { bound } else { objective },
            gap,
            load_seconds,
            solve_seconds,
        },
        stale,
    ))
}

/// The gap between a plan's objective and a bound, relative to the objective, both without
/// the model's constant (HiGHS's stopping rule); 0 when they agree to rounding.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if (bound - objective).abs() <= 1e-9 * (1.0 + objective.abs()) {
        0.0
    } else {
        (bound - objective).abs() / objective.abs().max(1e-9)
    }
}

/// HiGHS's options from `controls`: quiet, the gap, the time limit, the threads, the search
/// path's seed, and its own log when asked for.
fn configure(model: &mut highs::Model, controls: &Controls) -> Result<(), Failure> {
    model.make_quiet();
    let rejected = |what: &str| Failure::Solver(format!("HiGHS rejected the option {what}"));
    model
        .try_set_option("mip_rel_gap", controls.gap)
        .map_err(|_| rejected("mip_rel_gap"))?;
    if let Some(limit) = controls.time_limit_seconds {
        model
            .try_set_option("time_limit", limit)
            .map_err(|_| rejected("time_limit"))?;
    }
    if let Some(threads) = controls.threads {
        model
            .try_set_option("threads", threads as i32)
            .map_err(|_| rejected("threads"))?;
    }
    model
        .try_set_option("random_seed", controls.random_seed)
        .map_err(|_| rejected("random_seed"))?;
    if let Some(path) = &controls.log_file {
        let path = path.to_string_lossy();
        for ok in [
            model.try_set_option("log_file", path.as_ref()).is_ok(),
            model.try_set_option("output_flag", true).is_ok(),
            model.try_set_option("log_to_console", false).is_ok(),
        ] {
            if !ok {
                return Err(rejected("log_file"));
            }
        }
    }
    Ok(())
}
