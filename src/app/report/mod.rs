//! `roadmap report`: one self-contained HTML report (plan, risk, drivers, charts) and its
//! files, from one plan and three analyses of it on the same futures.
//!
//! The flow reads top to bottom in [`report`]: the options checked, the plan found
//! ([`plan`]), the three analyses run side by side ([`analyses`]), and the page, charts and
//! files written ([`page`]).

mod analyses;
mod page;
mod plan;

use super::load::{check_futures, load, warnings, Futures};
use super::progress::progress_bar;
use super::{AppError, CommandOutput};
use crate::analysis::recommend;
use crate::analysis::strategies::Strategy;
use crate::model::Model;
use crate::optimize::{Mode, OptimizeOptions};
use crate::report;
use analyses::Analyses;
use plan::{Planned, Search};
use std::path::PathBuf;

pub struct ReportCommand {
    pub file: PathBuf,
    pub out: PathBuf,
    /// How the plan is optimized: None for the recommended plan.
    pub mode: Option<Mode>,
    /// The recommended plan's commit confidence (default: the scenario's).
    pub commit_confidence: Option<f64>,
    pub time_limit_seconds: Option<f64>,
    pub futures: Futures,
    pub threads: Option<usize>,
    /// Risk aversions on the frontier (0 skips it).
    pub frontier_points: usize,
    pub frontier_scenarios: usize,
    /// Inputs re-optimized in the tornado.
    pub top: usize,
    pub progress: bool,
}

pub fn report(opts: &ReportCommand) -> Result<CommandOutput, AppError> {
    // Checked before minutes of work, not after.
    if opts.out.exists() && !opts.out.is_dir() {
        return Err(AppError::Invalid(format!(
            "error: -o {}: a file of that name exists; the report is a folder of files\n  help: name a folder, e.g. -o out/report",
            opts.out.display()
        )));
    }
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let seed = opts.futures.seed(model);
    let trials = opts.futures.trials(model);
    if trials == 0 {
        return Err(AppError::Invalid(
            "error: --trials must be at least 1: the report is about simulated futures\n  help: e.g. --trials 10000".into(),
        ));
    }
    let started = std::time::Instant::now();
    let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
    if !(q > 0.0 && q < 1.0) {
        return Err(AppError::Invalid(format!(
            "error: --commit-confidence {q} must be strictly between 0 and 1 (0.8 = commitments that hold in 80% of futures)\n  help: see `roadmap report --help`"
        )));
    }
    // Nothing uncertain: the MILP's proven optimum is the recommended plan (one clock).
    let recommended = opts.mode.is_none() && !model.is_certain();
    let solver = OptimizeOptions {
        mode: opts.mode.unwrap_or(Mode::Deterministic),
        time_limit_seconds: opts.time_limit_seconds,
        seed: seed.wrapping_add(1),
        ..Default::default()
    };
    check_sizes(model, opts, &solver, trials)?;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;

    let search = Search {
        file: &opts.file,
        solver: &solver,
        commit_confidence: q,
        trials,
        seed,
        threads: opts.threads,
    };
    let planned = if recommended {
        Planned::recommended(model, &search, progress)?
    } else {
        Planned::optimized(model, &search, progress)?
    };
    let plan = planned.plan();
    let at_risk = recommend::at_risk(model, Some(plan), &planned.sim, q);
    let shown = planned.shown(&at_risk, q, seed);

    let analyses = Analyses::run(
        model,
        plan,
        opts,
        (trials, seed),
        (solver.mode, recommended),
        progress,
    )?;
    let plan_strategy = if recommended {
        Strategy::Recommended
    } else {
        Strategy::Optimal
    };
    let written = page::write(
        model,
        (&opts.file, &opts.out),
        &planned,
        &shown,
        &analyses,
        plan_strategy,
    )?;

    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "planned, simulated {} futures, ran {} strategies, sensitivity and the frontier in {:.1} s\n",
        report::format::thousands(trials as f64),
        analyses.tournament.results.len(),
        started.elapsed().as_secs_f64()
    ));
    let stdout = format!(
        "{}\n\nwrote report.html, summary.json, plan.csv and {} charts (SVG and PNG) into {}\nopen {}\n",
        written.paragraph,
        written.charts,
        opts.out.display(),
        opts.out.join("report.html").display()
    );
    Ok(CommandOutput { stdout, stderr })
}

/// The solver's options, and the sizes of what the report will build and keep, checked before
/// any of it is built.
fn check_sizes(
    model: &Model,
    opts: &ReportCommand,
    solver: &OptimizeOptions,
    trials: u64,
) -> Result<(), AppError> {
    solver.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap report --help`"))
    })?;
    if let Mode::Stochastic { scenarios, .. } = &solver.mode {
        check_futures(model, "--scenarios", *scenarios as u64)?;
    }
    if opts.frontier_points >= 2 {
        check_futures(
            model,
            "--frontier-scenarios",
            opts.frontier_scenarios as u64,
        )?;
    }
    // The plan's NPVs, every strategy's and every frontier point's are kept side by side.
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        1 + Strategy::all().len() as u64 + opts.frontier_points as u64,
        "pairing the plan, the strategies and the frontier trial by trial",
    )?;
    Ok(())
}
