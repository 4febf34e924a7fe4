//! Solving as the commands do: the solver's failures become messages that say what to change.

use super::AppError;
use crate::analysis::recommend::RecommendError;
use crate::model::Model;
use crate::optimize::{self, OptimizeError, OptimizeOptions};
use crate::report;
use std::path::Path;

/// Optimizes `model` (read from `file`), with the command line's error mapping: an infeasible
/// model or bad options are invalid input (exit 2), a time limit without a plan or a solver
/// failure are other errors (exit 1).
pub(super) fn solve(
    model: &Model,
    options: &OptimizeOptions,
    file: &Path,
) -> Result<optimize::Outcome, AppError> {
    optimize::optimize(model, options).map_err(|e| solve_error(model, options, file, e))
}

pub(super) fn solve_error(
    model: &Model,
    options: &OptimizeOptions,
    file: &Path,
    error: OptimizeError,
) -> AppError {
    match error {
        OptimizeError::Infeasible(diagnosis) => {
            let basis = match options.mode {
                optimize::Mode::Robust { confidence } => format!(
                    " with efforts and lead times at P{:.0} (robust mode)",
                    confidence * 100.0
                ),
                _ => String::new(),
            };
            AppError::Invalid(format!(
                "error: {}: no release plan satisfies every constraint{basis}\n{}",
                file.display(),
                report::diagnosis::text(&diagnosis, model)
            ))
        }
        OptimizeError::Options(m) => AppError::Invalid(format!(
            "error: {m}\n  help: see `roadmap optimize --help`"
        )),
        e @ OptimizeError::NoSolution { .. } => AppError::Other(anyhow::anyhow!(
            "{e}\n  help: allow more time (--time-limit); without --no-start, HiGHS begins from the value-per-effort plan"
        )),
        OptimizeError::Solver(m) => AppError::Other(anyhow::anyhow!("HiGHS failed: {m}")),
    }
}

/// The recommended plan's search failed: a failed solve is mapped as `solve` maps it, with
/// `solver` the options the search's MILP ran with.
pub(super) fn recommend_error(
    model: &Model,
    solver: &OptimizeOptions,
    file: &Path,
    error: RecommendError,
) -> AppError {
    match error {
        RecommendError::Optimize(e) => solve_error(model, solver, file, e),
        RecommendError::Simulate(e) => anyhow::Error::from(e).into(),
    }
}
