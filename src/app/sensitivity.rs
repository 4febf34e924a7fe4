//! `roadmap sensitivity`: which inputs move NPV most, as a tornado of P10-P90 swings, rank
//! correlations, and what to cut if capacity drops 20%.

use super::load::{load, warnings, Futures};
use super::output::{emit, write_charts};
use super::progress::progress_bar;
use super::solve::solve;
use super::{AppError, CommandOutput, Format};
use crate::analysis::sensitivity::{self as analysis, Mode, SensitivityError};
use crate::report;
use std::path::PathBuf;

pub struct SensitivityCommand {
    pub file: PathBuf,
    /// Hold the optimized plan fixed at every point instead of re-planning.
    pub hold_plan: bool,
    pub top: usize,
    pub all: bool,
    /// The rank-correlation run; the optimizer samples on seed + 1, as in `optimize`.
    pub futures: Futures,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

/// `sensitivity`: the deterministic optimum of the scenario, then its tornado, rank
/// correlations and what a 20% capacity drop would cut.
pub fn sensitivity(opts: &SensitivityCommand) -> Result<CommandOutput, AppError> {
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let trials = opts.futures.trials(model);
    crate::limits::streamed_trials(opts.futures.trials_source(), trials)?;
    let seed = opts.futures.seed(model);
    let mut options = analysis::SensitivityOptions::new(trials, seed);
    options.mode = if opts.hold_plan {
        Mode::HoldPlan
    } else {
        Mode::Reoptimize
    };
    options.top = opts.top;
    options.all = opts.all;
    options.threads = opts.threads;
    let started = std::time::Instant::now();
    progress.named(
        &report::progress::solving("the plan to analyse", &options.optimize),
        "",
    );
    let base = solve(model, &options.optimize, &opts.file)?;
    let result = analysis::run(model, &base.plan, &options, progress).map_err(|e| match e {
        SensitivityError::TooManyDraws { .. } => AppError::Invalid(format!(
            "error: --trials {trials}: {e}\n  help: use at most {} trials (10,000 pin a rank correlation down to about ±0.02)",
            report::format::thousands(e.max_trials().unwrap_or(0) as f64)
        )),
        SensitivityError::Optimize(o) => AppError::Other(anyhow::anyhow!(
            "re-planning a point of the tornado failed: {o}\n  help: --hold-plan keeps the plan fixed and needs no re-planning"
        )),
        other => AppError::Other(other.into()),
    })?;
    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "analysed {} inputs and {} simulated futures in {:.2} s\n",
        result.bars.len(),
        report::format::thousands(trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::sensitivity::text,
            report::sensitivity::json,
            report::sensitivity::csv,
        ],
        opts.out.as_deref(),
        "sensitivity",
        Vec::new(),
    )?;
    if let Some(dir) = &opts.out {
        let chart = report::charts::tornado::from_sensitivity(&result, opts.top)
            .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(dir, &[("tornado", &chart)])?);
    }
    Ok(CommandOutput { stdout, stderr })
}
