//! `roadmap strategies`: prioritisation methods against the optimal plan on the same
//! simulated futures, on one scenario or on many generated portfolios.

use super::load::{warnings, Futures};
use super::output::emit;
use super::partial::sources::Sources;
use super::partial::{part_error, Partial};
use super::progress::progress_bar;
use super::{read_parts, AppError, CommandOutput, Format, Shard, ShardOutput, RERUN_SHARD};
use crate::analysis::strategies::{self as tournament, Strategy};
use crate::report;
use crate::simulate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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
    /// Run one shard (of the trials, or of the generated portfolios) and write its partial
    /// result instead of the result.
    pub shard: Option<ShardOutput>,
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
    let sources = Sources::disk();
    let loaded = sources.load(file)?;
    let model = &loaded.model;
    let trials = opts.futures.trials(model);
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        chosen.len() as u64,
        "pairing the strategies trial by trial",
    )?;
    let options = tournament_options(
        chosen,
        trials,
        opts.futures.seed(model),
        opts.threads,
        opts.time_limit_seconds,
        1e-4,
    );
    let mut stderr = warnings(&loaded.warnings);
    if let Some(shard) = &opts.shard {
        let note = tournament_shard(opts, &sources, model, &options, shard, progress)?;
        stderr.push_str(&note);
        return Ok(CommandOutput {
            stdout: String::new(),
            stderr,
        });
    }
    let started = std::time::Instant::now();
    let result = tournament::run(model, &options, progress).map_err(anyhow::Error::from)?;
    stderr.push_str(&format!(
        "ran {} strategies on {} trials in {:.2} s\n",
        result.results.len(),
        report::format::thousands(result.trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let stdout = emit_tournament(&result, opts.format, opts.out.as_deref())?;
    Ok(CommandOutput { stdout, stderr })
}

fn tournament_options(
    strategies: Vec<Strategy>,
    trials: u64,
    seed: u64,
    threads: Option<usize>,
    time_limit_seconds: Option<f64>,
    gap: f64,
) -> tournament::TournamentOptions {
    tournament::TournamentOptions {
        strategies,
        trials,
        seed,
        threads,
        optimize: crate::optimize::OptimizeOptions {
            gap,
            time_limit_seconds,
            ..Default::default()
        },
        recommended: None,
    }
}

fn emit_tournament(
    result: &tournament::Tournament,
    format: Format,
    out: Option<&Path>,
) -> Result<String, AppError> {
    emit(
        result,
        format,
        [
            report::strategies::text,
            report::strategies::json,
            report::strategies::csv,
        ],
        out,
        "strategies",
        Vec::new(),
    )
}

fn emit_many(
    result: &tournament::ManyTournament,
    format: Format,
    out: Option<&Path>,
) -> Result<String, AppError> {
    emit(
        result,
        format,
        [
            report::strategies::many_text,
            report::strategies::many_json,
            report::strategies::many_csv,
        ],
        out,
        "strategies",
        Vec::new(),
    )
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
    if let Some(shard) = &opts.shard {
        let portfolios = shard_portfolios(options.portfolios, shard.shard);
        let outcomes = in_pool(opts.threads, || {
            tournament::run_portfolios(&options, portfolios.clone(), progress)
        })?;
        let data = PortfolioPart {
            portfolios: portfolios.clone(),
            outcomes,
        };
        Partial::new(
            "strategies --generate",
            shard.shard,
            many_run(&options),
            Vec::new(),
            data,
        )
        .write(&shard.partial)?;
        let range = if portfolios.is_empty() {
            "no portfolios: more shards than portfolios".to_string()
        } else {
            format!(
                "portfolios {} to {} of {}",
                portfolios.start + 1,
                portfolios.end,
                options.portfolios
            )
        };
        return Ok(CommandOutput {
            stdout: String::new(),
            stderr: format!(
                "shard {} ({range}) written to {} in {:.1} s; merge all {} with `roadmap merge`\n",
                shard.shard,
                shard.partial.display(),
                started.elapsed().as_secs_f64(),
                shard.shard.count
            ),
        });
    }
    let result = in_pool(opts.threads, || tournament::run_many(&options, progress))?;
    let stderr = format!(
        "ran {} strategies on {} generated portfolios in {:.1} s\n",
        result.strategies.len(),
        result.portfolios,
        started.elapsed().as_secs_f64()
    );
    let stdout = emit_many(&result, opts.format, opts.out.as_deref())?;
    Ok(CommandOutput { stdout, stderr })
}

/// Runs `work` on `threads` worker threads, or on the shared pool.
fn in_pool<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, AppError> {
    Ok(match threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} worker threads: {e}"))?
            .install(work),
        None => work(),
    })
}

/// The options that decide a one-scenario tournament's numbers, as its partial results
/// record them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct TournamentRun {
    scenario: String,
    strategies: Vec<String>,
    trials: u64,
    seed: u64,
    #[serde(with = "crate::wire::maybe_real")]
    time_limit_seconds: Option<f64>,
    #[serde(with = "crate::wire::real")]
    gap: f64,
}

/// What the teams execute under a strategy, as a partial result carries it: every shard
/// makes its own, and the merge checks that they agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ScheduleData {
    Plan {
        periods: Vec<Option<usize>>,
        starts: Vec<Option<usize>>,
        /// (option, people, from, to) of each purchase of extra capacity.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bought: Vec<(usize, u32, usize, usize)>,
        /// (pool, team, period, people) of each placement of a pool's people.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        assigned: Vec<(usize, usize, usize, u32)>,
        /// Per feature, the periods its stages hand off in, where the plan says so.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        handoffs: Vec<Vec<usize>>,
    },
    Order {
        features: Vec<usize>,
    },
}

impl ScheduleData {
    fn of(schedule: &simulate::Schedule) -> Self {
        match schedule {
            simulate::Schedule::Plan(p) => ScheduleData::Plan {
                periods: p.periods.clone(),
                starts: p.starts.clone(),
                bought: p
                    .bought
                    .iter()
                    .map(|b| (b.option, b.people, b.from, b.to))
                    .collect(),
                assigned: p
                    .assigned
                    .iter()
                    .map(|a| (a.pool, a.team, a.period, a.people))
                    .collect(),
                handoffs: p.handoffs.clone(),
            },
            simulate::Schedule::Order(o) => ScheduleData::Order {
                features: o.features.clone(),
            },
        }
    }

    /// The schedule, when it fits the scenario (features and periods that exist, each
    /// feature once in an order).
    fn schedule(&self, model: &crate::model::Model) -> Result<simulate::Schedule, String> {
        let (features, periods) = (model.features.len(), model.time.labels.len());
        match self {
            ScheduleData::Plan {
                periods: at,
                starts,
                bought,
                assigned,
                handoffs,
            } => {
                let fits = |v: &Vec<Option<usize>>| {
                    v.len() == features && v.iter().flatten().all(|&p| p < periods)
                };
                if !fits(at) || !fits(starts) {
                    return Err(format!(
                        "a plan of {} features where the scenario has {features} features in {periods} periods",
                        at.len()
                    ));
                }
                let options = model.extra_capacity.len();
                if bought
                    .iter()
                    .any(|&(o, _, from, to)| o >= options || from > to || to >= periods)
                {
                    return Err("a purchase of extra capacity the scenario does not offer".into());
                }
                if assigned.iter().any(|&(q, k, t, _)| {
                    model.pools.get(q).is_none_or(|p| !p.teams.contains(&k)) || t >= periods
                }) {
                    return Err("people placed from a pool the scenario does not have".into());
                }
                if handoffs.len() > features || handoffs.iter().flatten().any(|&p| p >= periods) {
                    return Err("a hand-off in a period the scenario does not have".into());
                }
                Ok(simulate::Schedule::Plan(crate::model::Plan {
                    periods: at.clone(),
                    starts: starts.clone(),
                    bought: bought
                        .iter()
                        .map(
                            |&(option, people, from, to)| crate::model::staffing::Purchase {
                                option,
                                people,
                                from,
                                to,
                            },
                        )
                        .collect(),
                    assigned: assigned
                        .iter()
                        .map(
                            |&(pool, team, period, people)| crate::model::staffing::Assignment {
                                pool,
                                team,
                                period,
                                people,
                            },
                        )
                        .collect(),
                    handoffs: handoffs.clone(),
                }))
            }
            ScheduleData::Order { features: order } => {
                let mut seen = vec![false; features];
                for &f in order {
                    if f >= features || std::mem::replace(&mut seen[f], true) {
                        return Err(
                            "an order with a feature the scenario lacks, or one twice".into()
                        );
                    }
                }
                Ok(simulate::Schedule::Order(crate::model::Order {
                    features: order.clone(),
                }))
            }
        }
    }
}

/// One strategy in a shard of a one-scenario tournament.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct StrategyPart {
    name: String,
    schedule: Option<ScheduleData>,
    error: Option<String>,
    derived: Vec<String>,
    #[serde(with = "crate::wire::real")]
    compute_seconds: f64,
    run: Option<simulate::shard::ChunkRun>,
    /// NPV of each trial of the shard, in trial order.
    #[serde(with = "crate::wire::reals")]
    npv: Vec<f64>,
}

/// Runs one shard of a one-scenario tournament: every strategy's schedule, then its trials of
/// the shard; writes the partial result.
fn tournament_shard(
    opts: &StrategiesCommand,
    sources: &Sources,
    model: &crate::model::Model,
    options: &tournament::TournamentOptions,
    shard: &ShardOutput,
    progress: &dyn simulate::Progress,
) -> Result<String, AppError> {
    use simulate::shard::{run_chunks_keeping_npv, shard_chunks, trial_range, trials_in};
    let started = std::time::Instant::now();
    let chunks = shard_chunks(options.trials, shard.shard.index, shard.shard.count);
    let sim = tournament::sim_options(options);
    let in_shard = trials_in(options.trials, &chunks);
    progress.stage(&simulate::Stage::Tournament {
        strategies: options.strategies.len(),
    });
    progress.begin(in_shard * options.strategies.len() as u64);
    let mut data = Vec::new();
    for &strategy in &options.strategies {
        let planned = tournament::plan(model, options, strategy);
        let mut part = StrategyPart {
            name: strategy.name().to_string(),
            schedule: planned.schedule.as_ref().ok().map(ScheduleData::of),
            error: planned.schedule.as_ref().err().cloned(),
            derived: planned.derived.clone(),
            compute_seconds: planned.compute_seconds,
            run: None,
            npv: Vec::new(),
        };
        match &planned.schedule {
            Ok(schedule) => {
                let engine = tournament::engine(model, options, schedule);
                let (run, npv) = run_chunks_keeping_npv(
                    model,
                    &engine,
                    &sim,
                    chunks.clone(),
                    &simulate::Within(progress),
                )
                .map_err(anyhow::Error::from)?;
                part.run = Some(run);
                part.npv = npv;
            }
            Err(_) => progress.advance(in_shard),
        }
        data.push(part);
    }
    progress.end();
    let run = TournamentRun {
        scenario: opts
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default(),
        strategies: options
            .strategies
            .iter()
            .map(|s| s.name().to_string())
            .collect(),
        trials: options.trials,
        seed: options.seed,
        time_limit_seconds: options.optimize.time_limit_seconds,
        gap: options.optimize.gap,
    };
    Partial::new("strategies", shard.shard, run, sources.kept(), data).write(&shard.partial)?;
    Ok(super::simulate::shard_note(
        shard,
        &trial_range(options.trials, &chunks),
        options.trials,
        started,
    ))
}

/// `roadmap merge` of a one-scenario tournament's partial results.
pub(super) fn merge_tournament(
    parts: &[(PathBuf, Vec<u8>)],
    format: Format,
    out: Option<PathBuf>,
) -> Result<CommandOutput, AppError> {
    let parts = read_parts::<TournamentRun, Vec<StrategyPart>>(parts)?;
    let (first_path, first) = &parts[0];
    let o = &first.options;
    let sources = Sources::embedded(first.files.clone());
    let loaded = sources.load(std::path::Path::new(&o.scenario))?;
    let model = &loaded.model;
    let strategies = o
        .strategies
        .iter()
        .map(|name| {
            Strategy::parse(name).ok_or_else(|| {
                part_error(first_path, format!("field `options.strategies` names {name:?}, which this roadmap does not know"), RERUN_SHARD)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = tournament_options(
        strategies,
        o.trials,
        o.seed,
        None,
        o.time_limit_seconds,
        o.gap,
    );
    let sim = tournament::sim_options(&options);
    let mut results = Vec::new();
    let mut npvs = Vec::new();
    for (k, &strategy) in options.strategies.iter().enumerate() {
        let mine = |path: &PathBuf, part: &Partial<TournamentRun, Vec<StrategyPart>>| {
            part.data
                .get(k)
                .filter(|p| {
                    p.name == strategy.name() && part.data.len() == options.strategies.len()
                })
                .cloned()
                .ok_or_else(|| {
                    part_error(
                        path,
                        format!("field `data[{k}]` is not the strategy {}", strategy.name()),
                        RERUN_SHARD,
                    )
                })
        };
        let reference = mine(first_path, first)?;
        for (path, part) in &parts[1..] {
            let other = mine(path, part)?;
            if other.schedule != reference.schedule || other.error != reference.error {
                return Err(part_error(
                    path,
                    format!(
                        "field `data[{k}].schedule`: {} made another schedule in this shard than in {}, so the shards did not simulate the same strategy",
                        strategy.name(),
                        first_path.display()
                    ),
                    "a solve that stops at its time limit can end on different plans: rerun every shard with a --time-limit the solves finish within, or leave that strategy out with --strategies",
                ));
            }
        }
        let schedule = match &reference.schedule {
            Some(data) => Ok(data.schedule(model).map_err(|e| {
                part_error(
                    first_path,
                    format!("field `data[{k}].schedule`: {e}"),
                    RERUN_SHARD,
                )
            })?),
            None => Err(reference.error.clone().unwrap_or_default()),
        };
        let planned = tournament::Planned {
            strategy,
            schedule,
            derived: reference.derived.clone(),
            compute_seconds: reference.compute_seconds,
        };
        let Ok(schedule) = &planned.schedule else {
            results.push(tournament::outcome(model, planned, None));
            npvs.push(None);
            continue;
        };
        let engine = tournament::engine(model, &options, schedule);
        let mut runs = Vec::new();
        let mut npv = Vec::with_capacity(options.trials as usize);
        for (path, part) in &parts {
            let chunks =
                simulate::shard::shard_chunks(options.trials, part.shard.index, part.shard.count);
            let data = &part.data[k];
            let run = data.run.as_ref().ok_or_else(|| {
                part_error(
                    path,
                    format!("field `data[{k}].run` is missing"),
                    RERUN_SHARD,
                )
            })?;
            run.check(model, &engine, &sim, &chunks)
                .map_err(|e| part_error(path, format!("field `data[{k}].run.{e}`"), RERUN_SHARD))?;
            if data.npv.len() as u64 != simulate::shard::trials_in(options.trials, &chunks) {
                return Err(part_error(
                    path,
                    format!(
                        "field `data[{k}].npv` has {} trials, not the shard's",
                        data.npv.len()
                    ),
                    RERUN_SHARD,
                ));
            }
            runs.push(run);
            npv.extend_from_slice(&data.npv);
        }
        let result = simulate::shard::summarise_runs(model, &engine, &sim, &runs);
        results.push(tournament::outcome(
            model,
            planned,
            Some((&result, engine.active.len())),
        ));
        npvs.push(Some(npv));
    }
    let result = tournament::finish(model, &options, results, npvs);
    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "merged {} shards: {} strategies on {} trials\n",
        parts.len(),
        result.results.len(),
        report::format::thousands(result.trials as f64)
    ));
    let stdout = emit_tournament(&result, format, out.as_deref())?;
    Ok(CommandOutput { stdout, stderr })
}

/// The options that decide a many-portfolio tournament's numbers, as its partial results
/// record them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ManyRun {
    portfolios: usize,
    features: usize,
    teams: usize,
    periods: usize,
    seed: u64,
    trials: u64,
    strategies: Vec<String>,
    #[serde(with = "crate::wire::maybe_real")]
    time_limit_seconds: Option<f64>,
    #[serde(with = "crate::wire::real")]
    gap: f64,
}

/// A shard of a many-portfolio tournament: its portfolios' outcomes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PortfolioPart {
    portfolios: std::ops::Range<usize>,
    outcomes: Vec<tournament::PortfolioOutcome>,
}

/// The portfolios of shard `shard`: contiguous and as even as whole portfolios allow.
fn shard_portfolios(portfolios: usize, shard: Shard) -> std::ops::Range<usize> {
    let at = |k: u64| (portfolios as u128 * u128::from(k) / u128::from(shard.count)) as usize;
    at(shard.index - 1)..at(shard.index)
}

fn many_run(options: &tournament::ManyOptions) -> ManyRun {
    ManyRun {
        portfolios: options.portfolios,
        features: options.features,
        teams: options.teams,
        periods: options.periods,
        seed: options.seed,
        trials: options.trials,
        strategies: options
            .strategies
            .iter()
            .map(|s| s.name().to_string())
            .collect(),
        time_limit_seconds: options.optimize.time_limit_seconds,
        gap: options.optimize.gap,
    }
}

/// `roadmap merge` of a many-portfolio tournament's partial results.
pub(super) fn merge_many(
    parts: &[(PathBuf, Vec<u8>)],
    format: Format,
    out: Option<PathBuf>,
) -> Result<CommandOutput, AppError> {
    let parts = read_parts::<ManyRun, PortfolioPart>(parts)?;
    let (first_path, first) = (parts[0].0.clone(), &parts[0].1);
    let (o, shards) = (first.options.clone(), first.shard.count);
    let strategies = o
        .strategies
        .iter()
        .map(|name| {
            Strategy::parse(name).ok_or_else(|| {
                part_error(&first_path, format!("field `options.strategies` names {name:?}, which this roadmap does not know"), RERUN_SHARD)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = tournament::ManyOptions {
        portfolios: o.portfolios,
        features: o.features,
        teams: o.teams,
        periods: o.periods,
        seed: o.seed,
        trials: o.trials,
        strategies,
        optimize: crate::optimize::OptimizeOptions {
            gap: o.gap,
            time_limit_seconds: o.time_limit_seconds,
            ..Default::default()
        },
    };
    let mut outcomes = Vec::with_capacity(options.portfolios);
    for (path, part) in parts {
        let range = shard_portfolios(options.portfolios, part.shard);
        let data = part.data;
        if data.portfolios != range || data.outcomes.len() != range.len() {
            return Err(part_error(
                &path,
                format!(
                    "field `data.portfolios` is not shard {}'s portfolios",
                    part.shard
                ),
                RERUN_SHARD,
            ));
        }
        for (i, outcome) in range.zip(data.outcomes) {
            let n = options.strategies.len();
            let fits =
                outcome.shares.len() == n && outcome.beaten.len() == n && outcome.keeps.len() == n;
            if !fits || outcome.settings != tournament::settings(&options, i) {
                return Err(part_error(
                    &path,
                    format!("field `data.outcomes`: portfolio {i} is not this run's"),
                    RERUN_SHARD,
                ));
            }
            outcomes.push(outcome);
        }
    }
    let result = tournament::assemble_many(&options, outcomes);
    let stderr = format!(
        "merged {} shards: {} strategies on {} generated portfolios\n",
        shards,
        result.strategies.len(),
        result.portfolios
    );
    let stdout = emit_many(&result, format, out.as_deref())?;
    Ok(CommandOutput { stdout, stderr })
}
