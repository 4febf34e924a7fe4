//! `roadmap frontier`: expected NPV against CVaR as risk aversion rises, or against the
//! budget; every distinct plan simulated on the same futures.

use super::load::{check_futures, load, warnings, Futures};
use super::output::{emit, write_charts};
use super::progress::progress_bar;
use super::solve::solve_error;
use super::{AppError, CommandOutput, Format};
use crate::analysis::frontier::{self, Sweep};
use crate::optimize::{Mode, OptimizeOptions};
use crate::report;
use std::path::PathBuf;

pub struct FrontierCommand {
    pub file: PathBuf,
    /// Sweep the budget instead of the risk aversion.
    pub budget_sweep: bool,
    pub points: usize,
    /// Comma-separated risk aversions or budgets, instead of evenly spaced ones.
    pub lambdas: Option<String>,
    pub budgets: Option<String>,
    pub scenarios: usize,
    pub cvar_alpha: f64,
    pub overtime_premium: Option<f64>,
    /// How the budget sweep optimizes.
    pub mode: Mode,
    pub time_limit_seconds: Option<f64>,
    pub gap: f64,
    /// Simulated futures per plan (0 trials skip the simulation).
    pub futures: Futures,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

pub fn frontier(opts: &FrontierCommand) -> Result<CommandOutput, AppError> {
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let invalid =
        |m: String| AppError::Invalid(format!("error: {m}\n  help: see `roadmap frontier --help`"));
    if !(opts.cvar_alpha > 0.0 && opts.cvar_alpha < 1.0) {
        return Err(invalid(format!(
            "--cvar-alpha {} must be between 0 and 1 (0.9 averages the worst 10%)",
            opts.cvar_alpha
        )));
    }
    let sweep = if opts.budget_sweep {
        if opts.lambdas.is_some() {
            return Err(invalid(
                "--lambdas belongs to the risk-aversion sweep, not --sweep budget".into(),
            ));
        }
        let budgets = match &opts.budgets {
            Some(text) => {
                let b = number_list("--budgets", text, "1.5M,2M,3M")?;
                if let Some(bad) = b.iter().find(|v| **v <= 0.0) {
                    return Err(invalid(format!(
                        "--budgets: {bad} is not a positive amount"
                    )));
                }
                Some(b)
            }
            None => None,
        };
        Sweep::Budget {
            budgets,
            points: opts.points,
            mode: opts.mode,
        }
    } else {
        if opts.budgets.is_some() {
            return Err(invalid("--budgets belongs to --sweep budget".into()));
        }
        let lambdas = match &opts.lambdas {
            Some(text) => {
                let l = number_list("--lambdas", text, "0,0.25,0.5,0.75,1")?;
                if let Some(bad) = l.iter().find(|v| !(0.0..=1.0).contains(*v)) {
                    return Err(invalid(format!("--lambdas: {bad} is not between 0 and 1")));
                }
                l
            }
            None => {
                let n = opts.points.max(2);
                (0..n).map(|i| i as f64 / (n - 1) as f64).collect()
            }
        };
        Sweep::RiskAversion {
            lambdas,
            scenarios: opts.scenarios,
            alpha: opts.cvar_alpha,
            overtime_premium: opts.overtime_premium,
        }
    };
    let seed = opts.futures.seed(model);
    let optimize = OptimizeOptions {
        gap: opts.gap,
        time_limit_seconds: opts.time_limit_seconds,
        seed: seed.wrapping_add(1),
        ..Default::default()
    };
    optimize.check().map_err(|e| invalid(e.to_string()))?;
    let points = match &sweep {
        Sweep::RiskAversion {
            lambdas, scenarios, ..
        } => {
            check_futures(model, "--scenarios", *scenarios as u64)?;
            lambdas.len()
        }
        Sweep::Budget {
            budgets, points, ..
        } => budgets.as_ref().map_or(*points, Vec::len),
    };
    let trials = opts.futures.trials(model);
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        points as u64,
        "pairing the frontier's plans trial by trial",
    )?;
    let options = frontier::FrontierOptions {
        sweep,
        optimize,
        trials,
        seed,
        threads: opts.threads,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let result = match frontier::run(model, &options, progress) {
        Ok(r) => r,
        Err(frontier::FrontierError::Optimize(e)) => {
            // Only the unconstrained plan that sizes the budget sweep fails the whole run.
            return Err(solve_error(model, &options.optimize, &opts.file, e));
        }
        Err(frontier::FrontierError::Options(m)) => return Err(invalid(m)),
        Err(e) => return Err(AppError::Other(e.into())),
    };
    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "solved {} points and simulated their plans in {:.1} s\n",
        result.points.len(),
        started.elapsed().as_secs_f64()
    ));
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::frontier::text,
            report::frontier::json,
            report::frontier::csv,
        ],
        opts.out.as_deref(),
        "frontier",
        vec![("frontier-plans.csv", report::frontier::plans_csv(&result))],
    )?;
    if let Some(dir) = &opts.out {
        let chart = report::charts::frontier::from_frontier(&result)
            .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(dir, &[("frontier", &chart)])?);
    }
    Ok(CommandOutput { stdout, stderr })
}

/// A comma-separated list of numbers; amounts may end in k, M or B.
fn number_list(flag: &str, text: &str, example: &str) -> Result<Vec<f64>, AppError> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (digits, scale) = match part.char_indices().last() {
            Some((i, 'k' | 'K')) => (&part[..i], 1e3),
            Some((i, 'm' | 'M')) => (&part[..i], 1e6),
            Some((i, 'b' | 'B')) => (&part[..i], 1e9),
            _ => (part, 1.0),
        };
        match digits.replace('_', "").parse::<f64>() {
            Ok(v) if v.is_finite() => out.push(v * scale),
            _ => {
                return Err(AppError::Invalid(format!(
                    "error: {flag}: `{part}` is not a number\n  help: give comma-separated numbers, e.g. {flag} {example}"
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(AppError::Invalid(format!(
            "error: {flag} is empty\n  help: e.g. {flag} {example}"
        )));
    }
    Ok(out)
}
