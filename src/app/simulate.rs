//! `roadmap simulate`: a plan or a priority order executed over thousands of sampled futures.

use super::load::{findings_error, warnings as warnings_text, Futures};
use super::output::{write_into, write_raw};
use super::partial::sources::Sources;
use super::partial::{part_error, Partial};
use super::progress::progress_bar;
use super::{read_parts, AppError, CommandOutput, Format, ShardOutput, RERUN_SHARD};
use crate::report;
use crate::scenario::Finding;
use crate::simulate;
use crate::strategy;
use serde::{Deserialize, Serialize};
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
    /// Run one shard of the trials and write its partial result instead of the result.
    pub shard: Option<ShardOutput>,
    /// Show a progress bar on a terminal for long runs.
    pub progress: bool,
}

/// The options that decide a simulation's numbers, as its partial results record them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct SimulateRun {
    scenario: String,
    plan: Option<String>,
    order: Option<String>,
    trials: u64,
    seed: u64,
    latin_hypercube: bool,
}

/// Everything a simulation needs before its trials run, and what it says besides them.
struct Prepared {
    model: crate::model::Model,
    warnings: Vec<Finding>,
    schedule: simulate::Schedule,
    info: simulate::ScheduleInfo,
    engine: simulate::Engine,
    options: simulate::SimOptions,
}

fn prepare(
    opts: &SimulateCommand,
    sources: &Sources,
    progress: &dyn simulate::Progress,
) -> Result<Prepared, AppError> {
    use crate::sample::Method;
    let loaded = sources.load(&opts.file)?;
    let model = loaded.model;
    let mut warnings = loaded.warnings;
    let (schedule, info) = schedule(&model, opts, sources, &mut warnings)?;
    let trials = opts.futures.trials(&model);
    crate::limits::streamed_trials(opts.futures.trials_source(), trials)?;
    let seed = opts.futures.seed(&model);
    let method = if opts.latin_hypercube {
        Method::LatinHypercube
    } else {
        Method::MonteCarlo
    };
    progress.named(
        &format!(
            "preparing {} features for simulation",
            report::format::thousands(info.features as f64)
        ),
        "",
    );
    let engine = simulate::Engine::new(&model, &schedule, seed, method, trials);
    let options = simulate::SimOptions {
        trials,
        seed,
        threads: opts.threads,
        method,
    };
    Ok(Prepared {
        model,
        warnings,
        schedule,
        info,
        engine,
        options,
    })
}

pub fn simulate(opts: &SimulateCommand) -> Result<CommandOutput, AppError> {
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let sources = Sources::disk();
    let started = std::time::Instant::now();
    let prepared = prepare(opts, &sources, progress)?;
    let (model, engine, options) = (&prepared.model, &prepared.engine, &prepared.options);
    progress.named("simulating", "trials");
    if let Some(shard) = &opts.shard {
        return run_shard(opts, &sources, &prepared, shard, progress, started);
    }
    let result = match &opts.raw {
        Some(path) => write_raw(model, engine, path, |sink| {
            simulate::run(model, engine, options, progress, Some(sink))
        })?,
        None => {
            simulate::run(model, engine, options, progress, None).map_err(anyhow::Error::from)?
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    let stdout = present(opts, &prepared, &result)?;
    let mut stderr = warnings_text(&prepared.warnings);
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    stderr.push_str(&format!(
        "simulated {} trials of {} features in {:.2} s on {} thread{}\n",
        report::format::thousands(options.trials as f64),
        report::format::thousands(engine.active.len() as f64),
        elapsed,
        threads,
        if threads == 1 { "" } else { "s" }
    ));
    if let Some(path) = &opts.raw {
        stderr.push_str(&format!("wrote raw trials to {}\n", path.display()));
    }
    Ok(CommandOutput { stdout, stderr })
}

/// Runs one shard's trials and writes its partial result; says so on standard error.
fn run_shard(
    opts: &SimulateCommand,
    sources: &Sources,
    prepared: &Prepared,
    shard: &ShardOutput,
    progress: &dyn simulate::Progress,
    started: std::time::Instant,
) -> Result<CommandOutput, AppError> {
    use simulate::shard::{run_chunks, shard_chunks, trial_range};
    let (model, engine, options) = (&prepared.model, &prepared.engine, &prepared.options);
    let chunks = shard_chunks(options.trials, shard.shard.index, shard.shard.count);
    let run = match &opts.raw {
        Some(path) => write_raw(model, engine, path, |sink| {
            run_chunks(model, engine, options, chunks.clone(), progress, Some(sink))
        })?,
        None => run_chunks(model, engine, options, chunks.clone(), progress, None)
            .map_err(anyhow::Error::from)?,
    };
    let run_options = SimulateRun {
        scenario: opts.file.display().to_string(),
        plan: opts.plan.as_ref().map(|p| p.display().to_string()),
        order: opts.order.clone(),
        trials: options.trials,
        seed: options.seed,
        latin_hypercube: opts.latin_hypercube,
    };
    Partial::new("simulate", shard.shard, run_options, sources.kept(), run)
        .write(&shard.partial)?;
    let mut stderr = warnings_text(&prepared.warnings);
    stderr.push_str(&shard_note(
        shard,
        &trial_range(options.trials, &chunks),
        options.trials,
        started,
    ));
    Ok(CommandOutput {
        stdout: String::new(),
        stderr,
    })
}

/// What a shard says when its partial result is written.
pub(super) fn shard_note(
    shard: &ShardOutput,
    trials: &std::ops::Range<u64>,
    total: u64,
    started: std::time::Instant,
) -> String {
    let thousands = |n: u64| report::format::thousands(n as f64);
    let range = if trials.is_empty() {
        "no trials: more shards than chunks of 1,024 trials".to_string()
    } else {
        format!(
            "trials {} to {} of {}",
            thousands(trials.start + 1),
            thousands(trials.end),
            thousands(total)
        )
    };
    format!(
        "shard {} ({range}) written to {} in {:.2} s; merge all {} with `roadmap merge`\n",
        shard.shard,
        shard.partial.display(),
        started.elapsed().as_secs_f64(),
        shard.shard.count
    )
}

/// The result on standard output in the asked format, and with `--out` every file.
fn present(
    opts: &SimulateCommand,
    prepared: &Prepared,
    result: &simulate::SimResult,
) -> Result<String, AppError> {
    let model = &prepared.model;
    let plan = match &prepared.schedule {
        simulate::Schedule::Plan(plan) => Some(plan),
        simulate::Schedule::Order(_) => None,
    };
    let q = model.commit_confidence;
    let at_risk = report::recommend::at_risk_lines(
        model,
        &crate::analysis::recommend::at_risk(model, plan, result, q),
        q,
    );
    let report = report::simulate::SimulateReport {
        scenario: &model.name,
        calibration: model.calibration.as_ref(),
        schedule: &prepared.info,
        at_risk,
        result,
    };
    let render = |format: Format| match format {
        Format::Text => report::simulate::text(&report),
        Format::Json => report::simulate::json(&report),
        Format::Csv => report::simulate::csv(&report),
    };
    let mut stdout = render(opts.format);
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
    Ok(stdout)
}

/// `roadmap merge` of a simulation's partial results: the output one run prints.
pub(super) fn merge(
    parts: &[(PathBuf, Vec<u8>)],
    format: Format,
    out: Option<PathBuf>,
) -> Result<CommandOutput, AppError> {
    let parts = read_parts::<SimulateRun, simulate::shard::ChunkRun>(parts)?;
    let first = &parts[0].1;
    let o = &first.options;
    let opts = SimulateCommand {
        file: PathBuf::from(&o.scenario),
        plan: o.plan.as_ref().map(PathBuf::from),
        order: o.order.clone(),
        futures: Futures {
            trials: Some(o.trials),
            seed: Some(o.seed),
        },
        threads: None,
        latin_hypercube: o.latin_hypercube,
        format,
        out,
        raw: None,
        shard: None,
        progress: false,
    };
    let sources = Sources::embedded(first.files.clone());
    let prepared = prepare(&opts, &sources, &simulate::Quiet)?;
    let (model, engine, options) = (&prepared.model, &prepared.engine, &prepared.options);
    for (path, part) in &parts {
        let chunks =
            simulate::shard::shard_chunks(options.trials, part.shard.index, part.shard.count);
        part.data
            .check(model, engine, options, &chunks)
            .map_err(|e| part_error(path, format!("field `data.{e}`"), RERUN_SHARD))?;
    }
    let runs: Vec<&simulate::shard::ChunkRun> = parts.iter().map(|(_, p)| &p.data).collect();
    let result = simulate::shard::summarise_runs(model, engine, options, &runs);
    let stdout = present(&opts, &prepared, &result)?;
    let mut stderr = warnings_text(&prepared.warnings);
    stderr.push_str(&format!(
        "merged {} shards: {} trials of {} features\n",
        parts.len(),
        report::format::thousands(options.trials as f64),
        report::format::thousands(engine.active.len() as f64),
    ));
    Ok(CommandOutput { stdout, stderr })
}

/// The schedule to run: a plan file, an order file, or a built-in rule (the default).
fn schedule(
    model: &crate::model::Model,
    opts: &SimulateCommand,
    sources: &Sources,
    warnings: &mut Vec<Finding>,
) -> Result<(simulate::Schedule, simulate::ScheduleInfo), AppError> {
    use crate::scenario::plan_file;
    use crate::simulate::{ScheduleInfo, ScheduleKind};
    if let Some(path) = &opts.plan {
        let read = match sources.text(path) {
            Some(text) => plan_file::read_plan_text(&path.display().to_string(), &text, model),
            None => plan_file::read_plan(path, model),
        }
        .map_err(|f| findings_error(&f))?;
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
            if !sources.exists(path) {
                let rules: Vec<&str> = strategy::Rule::ALL.iter().map(|r| r.name()).collect();
                return Err(AppError::Invalid(format!(
                    "error: --order {name}: no such file, and not a rule\n  help: give an order file (one feature id per line) or a rule: {}",
                    rules.join(", ")
                )));
            }
            let read = match sources.text(path) {
                Some(text) => plan_file::read_order_text(&path.display().to_string(), &text, model),
                None => plan_file::read_order(path, model),
            }
            .map_err(|f| findings_error(&f))?;
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
