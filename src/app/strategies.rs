//! `roadmap strategies`: prioritisation methods against the optimal plan on the same
//! simulated futures, on one scenario or on many generated portfolios.

use super::load::{load, warnings, Futures};
use super::output::emit;
use super::progress::progress_bar;
use super::{AppError, CommandOutput, Format};
use crate::analysis::strategies::{self as tournament, Strategy};
use crate::report;
use crate::simulate;
use std::path::PathBuf;

/// `--generate`'s futures per portfolio and seed when the command line gives none: there is no
/// scenario to take them from.
const GENERATED_TRIALS: u64 = 1000;
const GENERATED_SEED: u64 = 1;

pub struct StrategiesCommand {
    /// One scenario, or else `generate` portfolios.
    pub file: Option<PathBuf>,
    pub generate: Option<GenerateMany>,
    /// Comma-separated names; empty runs every strategy.
    pub strategies: Option<String>,
    /// With `generate`, the defaults are 1,000 trials per portfolio on seed 1.
    pub futures: Futures,
    pub threads: Option<usize>,
    pub time_limit_seconds: Option<f64>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

/// `strategies --generate N`: portfolio sizes and shape.
pub struct GenerateMany {
    pub portfolios: usize,
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
}

pub fn strategies(opts: &StrategiesCommand) -> Result<CommandOutput, AppError> {
    let chosen: Vec<Strategy> = match &opts.strategies {
        None => Strategy::all(),
        Some(list) => {
            let mut chosen = Vec::new();
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match Strategy::parse(name) {
                    Some(s) if !chosen.contains(&s) => chosen.push(s),
                    Some(_) => {}
                    None => {
                        let names: Vec<&str> = Strategy::all().iter().map(|s| s.name()).collect();
                        return Err(AppError::Invalid(format!(
                            "error: --strategies: no strategy named {name}\n  help: choose among {}",
                            names.join(", ")
                        )));
                    }
                }
            }
            if chosen.is_empty() {
                return Err(AppError::Invalid(
                    "error: --strategies is empty\n  help: name at least one, e.g. --strategies optimal,rice,wsjf".into(),
                ));
            }
            chosen
        }
    };
    let file = match (&opts.file, &opts.generate) {
        (Some(file), None) => file,
        (None, Some(many)) => return strategies_many(opts, many, chosen),
        _ => {
            return Err(AppError::Invalid(
                "error: give a scenario file or --generate N, not both\n  help: roadmap strategies plan.toml, or roadmap strategies --generate 200 --features 40".into(),
            ))
        }
    };
    let bar = progress_bar(opts.progress, file);
    let progress = &*bar;
    let loaded = load(file, false)?;
    let model = &loaded.model;
    let trials = opts.futures.trials(model);
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        chosen.len() as u64,
        "pairing the strategies trial by trial",
    )?;
    let options = tournament::TournamentOptions {
        strategies: chosen,
        trials,
        seed: opts.futures.seed(model),
        threads: opts.threads,
        optimize: crate::optimize::OptimizeOptions {
            gap: 1e-4,
            time_limit_seconds: opts.time_limit_seconds,
            ..Default::default()
        },
        recommended: None,
    };
    let started = std::time::Instant::now();
    let result = tournament::run(model, &options, progress).map_err(anyhow::Error::from)?;
    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "ran {} strategies on {} trials in {:.2} s\n",
        result.results.len(),
        report::format::thousands(result.trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let stdout = emit(
        &result,
        opts.format,
        [
            report::strategies::text,
            report::strategies::json,
            report::strategies::csv,
        ],
        opts.out.as_deref(),
        "strategies",
        Vec::new(),
    )?;
    Ok(CommandOutput { stdout, stderr })
}

fn strategies_many(
    opts: &StrategiesCommand,
    many: &GenerateMany,
    mut chosen: Vec<Strategy>,
) -> Result<CommandOutput, AppError> {
    let mut spec = crate::scenario::generate::GenerateSpec::new(
        many.features + many.features / 2,
        many.teams,
        many.periods,
        0,
    );
    spec.features = spec.features.max(2);
    spec.check().map_err(|e| {
        AppError::Invalid(format!(
            "error: {e}\n  help: see `roadmap strategies --help`"
        ))
    })?;
    if many.portfolios == 0 {
        return Err(AppError::Invalid(
            "error: --generate must be at least 1\n  help: e.g. --generate 200".into(),
        ));
    }
    crate::limits::portfolios("--generate", many.portfolios as u64)?;
    // Each worker keeps one portfolio's per-trial NPVs at a time.
    crate::limits::kept_trials(
        "--trials",
        opts.futures.trials.unwrap_or(GENERATED_TRIALS),
        (chosen.len() + 1) as u64 * rayon::current_num_threads() as u64,
        "pairing the strategies trial by trial in every worker",
    )?;
    // Every share is against the optimal plan, so it always runs.
    if !chosen.contains(&Strategy::Optimal) {
        chosen.insert(0, Strategy::Optimal);
    }
    let options = tournament::ManyOptions {
        portfolios: many.portfolios,
        features: many.features,
        teams: many.teams,
        periods: many.periods,
        seed: opts.futures.seed.unwrap_or(GENERATED_SEED),
        trials: opts.futures.trials.unwrap_or(GENERATED_TRIALS),
        strategies: chosen,
        optimize: crate::optimize::OptimizeOptions {
            gap: 1e-4,
            time_limit_seconds: opts.time_limit_seconds,
            ..Default::default()
        },
    };
    let started = std::time::Instant::now();
    let bar = report::progress::Bar::counting("running tournaments", "portfolios");
    let quiet = simulate::Quiet;
    let progress: &dyn simulate::Progress = if opts.progress { &bar } else { &quiet };
    let run = |options: &tournament::ManyOptions| tournament::run_many(options, progress);
    let result = match opts.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} worker threads: {e}"))?
            .install(|| run(&options)),
        None => run(&options),
    };
    let stderr = format!(
        "ran {} strategies on {} generated portfolios in {:.1} s\n",
        result.strategies.len(),
        result.portfolios,
        started.elapsed().as_secs_f64()
    );
    let stdout = emit(
        &result,
        opts.format,
        [
            report::strategies::many_text,
            report::strategies::many_json,
            report::strategies::many_csv,
        ],
        opts.out.as_deref(),
        "strategies",
        Vec::new(),
    )?;
    Ok(CommandOutput { stdout, stderr })
}
