//! `roadmap optimize`: the best release plan, by default the recommended one the simulator
//! confirms, or one mode's MILP plan checked on unseen futures.

use super::load::{check_futures, load, warnings, Futures};
use super::output::write_file;
use super::progress::progress_bar;
use super::solve::{recommend_error, solve};
use super::{AppError, CommandOutput, Format};
use crate::optimize::{self, OptimizeOptions};
use crate::report;
use crate::scenario::Loaded;
use crate::simulate;
use std::path::PathBuf;

pub struct OptimizeCommand {
    pub file: PathBuf,
    /// The recommended plan (analysis::recommend) instead of one mode's MILP plan.
    pub recommended: bool,
    /// Overrides the scenario's [plan] commit_confidence.
    pub commit_confidence: Option<f64>,
    pub optimize: OptimizeOptions,
    /// The out-of-sample re-simulation (0 trials skip it); the optimizer samples on seed + 1,
    /// so the check is out of sample.
    pub futures: Futures,
    pub format: Format,
    /// Write the plan here: JSON when the name ends in .json, else CSV.
    pub plan_output: Option<PathBuf>,
    pub export_lp: Option<PathBuf>,
    pub progress: bool,
}

pub fn optimize(opts: &OptimizeCommand) -> Result<CommandOutput, AppError> {
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let seed = opts.futures.seed(model);
    let mut options = opts.optimize.clone();
    options.seed = seed.wrapping_add(1);
    options.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap optimize --help`"))
    })?;
    if let optimize::Mode::Stochastic { scenarios, .. } = &options.mode {
        check_futures(model, "--scenarios", *scenarios as u64)?;
    }
    let trials = opts.futures.trials(model);
    crate::limits::streamed_trials(opts.futures.trials_source(), trials)?;
    let mut stderr = warnings(&loaded.warnings);
    if let Some(path) = &opts.export_lp {
        write_file(path, optimize::lp_text(model, &options).as_bytes())?;
        stderr.push_str(&format!(
            "wrote the model in LP format to {}\n",
            path.display()
        ));
    }
    // With nothing uncertain the optimizer's objective is the simulated NPV of every plan (one
    // clock), so the proven optimum is the recommended plan and its proof is worth showing.
    if opts.recommended && !model.is_certain() {
        return optimize_recommended(opts, &loaded, seed, stderr, progress);
    }
    if opts.recommended {
        stderr.push_str("nothing in the scenario is uncertain: the recommended plan is the proven optimum of the deterministic model\n");
    }
    progress.named(
        &report::progress::solving("optimizing the plan", &options),
        "",
    );
    let outcome = solve(model, &options, &opts.file)?;
    let out_of_sample = if trials > 0 {
        let schedule = simulate::Schedule::Plan(outcome.plan.clone());
        let method = crate::sample::Method::MonteCarlo;
        let engine = simulate::Engine::new(model, &schedule, seed, method, trials);
        let sim = simulate::SimOptions {
            trials,
            seed,
            threads: None,
            method,
        };
        progress.named("simulating the plan on unseen futures", "trials");
        let result =
            simulate::run(model, &engine, &sim, progress, None).map_err(anyhow::Error::from)?;
        let mut check = report::optimize::OutOfSample::from_result(&result, &outcome);
        let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
        check.at_risk = report::recommend::at_risk_lines(
            model,
            &crate::analysis::recommend::at_risk(model, Some(&outcome.plan), &result, q),
            q,
        );
        Some(check)
    } else {
        None
    };
    let report = report::optimize::OptimizeReport {
        model,
        outcome: &outcome,
        out_of_sample: out_of_sample.as_ref(),
    };
    let stdout = match opts.format {
        Format::Text => report::optimize::text(&report),
        Format::Json => report::optimize::json(&report),
        Format::Csv => report::optimize::csv(&report),
    };
    write_plan_file(
        opts,
        |json| match json {
            true => report::optimize::json(&report),
            false => report::optimize::csv(&report),
        },
        &mut stderr,
    )?;
    Ok(CommandOutput { stdout, stderr })
}

/// `roadmap optimize` in its default mode: the recommended plan, confirmed on the scenario's
/// own futures.
fn optimize_recommended(
    opts: &OptimizeCommand,
    loaded: &Loaded,
    seed: u64,
    mut stderr: String,
    progress: &dyn simulate::Progress,
) -> Result<CommandOutput, AppError> {
    use crate::analysis::recommend;
    let model = &loaded.model;
    let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
    if !(q > 0.0 && q < 1.0) {
        return Err(AppError::Invalid(format!(
            "error: --commit-confidence {q} must be strictly between 0 and 1\n  help: e.g. --commit-confidence 0.8: commitments hold in 80% of futures"
        )));
    }
    let trials = opts.futures.trials(model).max(1);
    let mut options = recommend::RecommendOptions::new(seed, q);
    options.optimize.time_limit_seconds = opts.optimize.time_limit_seconds;
    options.optimize.gap = opts.optimize.gap;
    options.optimize.mip_start = opts.optimize.mip_start;
    options.optimize.solver_log = opts.optimize.solver_log.clone();
    options.optimize.solver_seed = opts.optimize.solver_seed;
    let recommendation = recommend::recommend(model, &options, progress).map_err(|e| {
        let mut deterministic = opts.optimize.clone();
        deterministic.seed = seed.wrapping_add(1);
        recommend_error(model, &deterministic, &opts.file, e)
    })?;
    progress.named(
        "confirming the recommended plan on the scenario's futures",
        "trials",
    );
    let confirmation = recommend::confirm(model, &recommendation, seed, trials, None, progress)
        .map_err(anyhow::Error::from)?;
    let description = optimize::describe(model, &recommendation.plan);
    let report = report::recommend::RecommendReport {
        model,
        recommendation: &recommendation,
        description: &description,
        confirmation: &confirmation,
    };
    let stdout = match opts.format {
        Format::Text => report::recommend::text(&report),
        Format::Json => report::recommend::json(&report),
        Format::Csv => report::recommend::csv(&report),
    };
    write_plan_file(
        opts,
        |json| match json {
            true => report::recommend::json(&report),
            false => report::recommend::csv(&report),
        },
        &mut stderr,
    )?;
    Ok(CommandOutput { stdout, stderr })
}

/// Writes `optimize -o PLAN`: JSON when the name ends in .json, else the CSV plan file.
fn write_plan_file(
    opts: &OptimizeCommand,
    render: impl Fn(bool) -> String,
    stderr: &mut String,
) -> Result<(), AppError> {
    let Some(path) = &opts.plan_output else {
        return Ok(());
    };
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    write_file(path, render(json).as_bytes())?;
    stderr.push_str(&format!(
        "wrote the plan to {} (run it: roadmap simulate {} --plan {})\n",
        path.display(),
        opts.file.display(),
        path.display()
    ));
    Ok(())
}
