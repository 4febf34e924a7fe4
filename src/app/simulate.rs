//! `roadmap simulate`: a plan or a priority order executed over thousands of sampled futures.

use super::load::{findings_error, load, warnings as warnings_text, Futures};
use super::output::{write_into, write_raw};
use super::progress::progress_bar;
use super::{AppError, CommandOutput, Format};
use crate::report;
use crate::scenario::Finding;
use crate::simulate;
use crate::strategy;
use std::path::{Path, PathBuf};

pub struct SimulateCommand {
    pub file: PathBuf,
    /// A plan file (CSV or JSON), or else an order: a rule name or an order file.
    pub plan: Option<PathBuf>,
    pub order: Option<String>,
    pub futures: Futures,
    pub threads: Option<usize>,
    pub latin_hypercube: bool,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub raw: Option<PathBuf>,
    /// Show a progress bar on a terminal for long runs.
    pub progress: bool,
}

pub fn simulate(opts: &SimulateCommand) -> Result<CommandOutput, AppError> {
    use crate::sample::Method;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let mut warnings = loaded.warnings.clone();
    let (schedule, info) = schedule(model, opts, &mut warnings)?;
    let trials = opts.futures.trials(model);
    crate::limits::streamed_trials(opts.futures.trials_source(), trials)?;
    let seed = opts.futures.seed(model);
    let method = if opts.latin_hypercube {
        Method::LatinHypercube
    } else {
        Method::MonteCarlo
    };
    let started = std::time::Instant::now();
    progress.named(
        &format!(
            "preparing {} features for simulation",
            report::format::thousands(info.features as f64)
        ),
        "",
    );
    let engine = simulate::Engine::new(model, &schedule, seed, method, trials);
    let options = simulate::SimOptions {
        trials,
        seed,
        threads: opts.threads,
        method,
    };
    progress.named("simulating", "trials");

    let result = match &opts.raw {
        Some(path) => write_raw(model, &engine, &options, progress, path)?,
        None => {
            simulate::run(model, &engine, &options, progress, None).map_err(anyhow::Error::from)?
        }
    };
    let elapsed = started.elapsed().as_secs_f64();

    let plan = match &schedule {
        simulate::Schedule::Plan(plan) => Some(plan),
        simulate::Schedule::Order(_) => None,
    };
    let q = model.commit_confidence;
    let at_risk = report::recommend::at_risk_lines(
        model,
        &crate::analysis::recommend::at_risk(model, plan, &result, q),
        q,
    );
    let report = report::simulate::SimulateReport {
        scenario: &model.name,
        calibration: model.calibration.as_ref(),
        schedule: &info,
        at_risk,
        result: &result,
    };
    let render = |format: Format| match format {
        Format::Text => report::simulate::text(&report),
        Format::Json => report::simulate::json(&report),
        Format::Csv => report::simulate::csv(&report),
    };
    let body = render(opts.format);
    let mut stderr = warnings_text(&warnings);
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    stderr.push_str(&format!(
        "simulated {} trials of {} features in {:.2} s on {} thread{}\n",
        report::format::thousands(trials as f64),
        report::format::thousands(engine.active.len() as f64),
        elapsed,
        threads,
        if threads == 1 { "" } else { "s" }
    ));
    let mut stdout = body;
    if let Some(dir) = &opts.out {
        // What stdout holds so far is one of them: a large portfolio's output is rendered once.
        let mut files: Vec<(&str, String)> = [
            ("simulate.txt", Format::Text),
            ("simulate.json", Format::Json),
            ("simulate.csv", Format::Csv),
        ]
        .into_iter()
        .map(|(name, format)| {
            let text = if format == opts.format {
                stdout.clone()
            } else {
                render(format)
            };
            (name, text)
        })
        .collect();
        files.extend(report::simulate::tables(&report));
        stdout.push_str(&write_into(dir, &files)?);
    }
    if let Some(path) = &opts.raw {
        stderr.push_str(&format!("wrote raw trials to {}\n", path.display()));
    }
    Ok(CommandOutput { stdout, stderr })
}

/// The schedule to run: a plan file, an order file, or a built-in rule (the default).
fn schedule(
    model: &crate::model::Model,
    opts: &SimulateCommand,
    warnings: &mut Vec<Finding>,
) -> Result<(simulate::Schedule, simulate::ScheduleInfo), AppError> {
    use crate::scenario::plan_file;
    use crate::simulate::{ScheduleInfo, ScheduleKind};
    if let Some(path) = &opts.plan {
        let read = plan_file::read_plan(path, model).map_err(|f| findings_error(&f))?;
        warnings.extend(read.warnings);
        let features = read.plan.planned().count();
        return Ok((
            simulate::Schedule::Plan(read.plan),
            ScheduleInfo {
                kind: ScheduleKind::Plan,
                source: path.display().to_string(),
                features,
                changes: Vec::new(),
            },
        ));
    }
    let name = opts.order.as_deref().unwrap_or("value-per-effort");
    let mut derived = Vec::new();
    let (order, source) = match strategy::Rule::parse(name) {
        Some(rule) => {
            let seed = opts.futures.seed(model);
            let ranking = rule.rank(model, seed);
            derived = ranking
                .derived
                .iter()
                .map(|d| format!("{} derived for {d}", rule.name()))
                .collect();
            (ranking.order, rule.name().to_string())
        }
        None => {
            let path = Path::new(name);
            if !path.exists() {
                let rules: Vec<&str> = strategy::Rule::ALL.iter().map(|r| r.name()).collect();
                return Err(AppError::Invalid(format!(
                    "error: --order {name}: no such file, and not a rule\n  help: give an order file (one feature id per line) or a rule: {}",
                    rules.join(", ")
                )));
            }
            let read = plan_file::read_order(path, model).map_err(|f| findings_error(&f))?;
            warnings.extend(read.warnings);
            (read.order, path.display().to_string())
        }
    };
    let (order, changes) = order.normalised(model);
    let mut changes_said = derived;
    changes_said.extend(report::simulate::describe_changes(model, &changes));
    let changes = changes_said;
    let features = order.features.len();
    Ok((
        simulate::Schedule::Order(order),
        ScheduleInfo {
            kind: ScheduleKind::Order,
            source,
            features,
            changes,
        },
    ))
}
