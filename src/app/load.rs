//! Reading a scenario as every command does, and the sampling settings every command shares.

use super::AppError;
use crate::model::Model;
use crate::report;
use crate::scenario::{self, Finding, Loaded, ScenarioError};
use std::path::Path;

/// Warnings shown on standard error unless `validate --all-warnings` asks for every one.
pub(super) const MAX_WARNINGS: usize = 12;

/// Trials and seed of a command's simulated futures as the command line gives them; each
/// falls back to the scenario's [simulation] value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Futures {
    pub trials: Option<u64>,
    pub seed: Option<u64>,
}

impl Futures {
    pub fn trials(&self, model: &Model) -> u64 {
        self.trials.unwrap_or(model.simulation.trials)
    }

    pub fn seed(&self, model: &Model) -> u64 {
        self.seed.unwrap_or(model.simulation.seed)
    }

    /// How the trial count was given, for the message when it is too large.
    pub(super) fn trials_source(&self) -> &'static str {
        if self.trials.is_some() {
            "--trials"
        } else {
            "[simulation] trials"
        }
    }
}

/// The stochastic model's size per sampled future, checked before it is built.
pub(super) fn check_futures(model: &Model, what: &str, futures: u64) -> Result<(), AppError> {
    crate::limits::model_futures(what, futures, crate::limits::nonzeros_per_future(model))?;
    Ok(())
}

/// Reads and checks a scenario; its problems become the command's error (exit 2).
pub(super) fn load(file: &Path, all_warnings: bool) -> Result<Loaded, AppError> {
    scenario::load(file).map_err(|e| load_error(e, all_warnings))
}

/// A scenario that could not be read or checked, as the command's error.
pub(super) fn load_error(e: ScenarioError, all_warnings: bool) -> AppError {
    match e {
        ScenarioError::Invalid { findings, .. } => AppError::Invalid(report::findings::render(&findings, if all_warnings { usize::MAX } else { MAX_WARNINGS }).trim_end().to_string()),
        io @ ScenarioError::Io { .. } => AppError::Invalid(format!("error: {io}\n  help: check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml")),
    }
}

/// The scenario's warnings for standard error, at most a dozen.
pub(super) fn warnings(findings: &[Finding]) -> String {
    report::findings::render(findings, MAX_WARNINGS)
}

/// Problems found after loading (a plan file, an order file, overrides) as invalid input.
pub(super) fn findings_error(findings: &[Finding]) -> AppError {
    AppError::Invalid(
        report::findings::render(findings, usize::MAX)
            .trim_end()
            .to_string(),
    )
}
