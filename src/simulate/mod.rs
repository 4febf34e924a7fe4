//! Monte Carlo execution of a plan or a priority order, with streaming statistics.
//!
//! Trials run in fixed chunks of [`CHUNK_TRIALS`]; rayon spreads chunks over threads, each
//! chunk fills its own accumulator, and accumulators are merged in chunk order. Draws depend
//! only on (seed, input, trial) and merging follows chunk order, so the numbers are
//! bit-identical on any thread count. Nothing here holds a trials x features matrix: the
//! statistics stream, and raw trials (when asked for) are handed to a sink chunk by chunk.

mod accumulator;
pub mod engine;
pub mod paired;
pub mod shard;
pub mod stats;

pub use engine::{Engine, Schedule, Scratch, TrialMoney, NOT_DELIVERED};

use crate::model::Model;
use crate::sample::Method;
use accumulator::Accumulator;
pub use accumulator::{Counts, Sums};
use rayon::prelude::*;
use serde::Serialize;
use stats::{Moments, Sketch};

/// Trials per chunk: the unit of parallel work and of deterministic merging.
pub const CHUNK_TRIALS: u64 = 1024;
/// Chunks in flight between merges, per worker thread: enough to keep every thread busy,
/// few enough that memory does not grow with the number of trials. (Results do not depend on
/// it: accumulators are merged in chunk order whatever the batches.)
const CHUNKS_PER_THREAD: u64 = 4;

#[derive(Debug, Clone)]
pub struct SimOptions {
    pub trials: u64,
    pub seed: u64,
    /// Worker threads; `None` uses every core. Results do not depend on it.
    pub threads: Option<usize>,
    pub method: Method,
}

/// A stage of a long run, as data: the progress bar in report/ words it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage<'a> {
    /// A stage the command layer names itself: what it does and what its counts count.
    Named {
        what: &'a str,
        unit: &'a str,
    },
    /// Another stage, done for one of several subjects ("the variant").
    Of {
        subject: &'a str,
        stage: &'a Stage<'a>,
    },
    /// The budget frontier's unbudgeted plan, which sizes the sweep.
    FrontierUnbudgeted,
    /// The risk frontier's deterministic optimum, every point's start.
    FrontierStart,
    FrontierSolving {
        points: usize,
        limit_seconds: Option<f64>,
    },
    FrontierSimulating {
        plans: usize,
    },
    RecommendOptimum,
    RecommendCandidates {
        modes: usize,
        stochastic_seconds: f64,
    },
    RecommendImproving,
    RecommendSelecting,
    /// The tornado's inputs, and how many of the top ones are re-planned.
    Tornado {
        inputs: usize,
        replanned: Option<usize>,
    },
    Tournament {
        strategies: usize,
    },
}

/// Receives progress as trials complete, from any worker thread (a progress bar lives in
/// report/).
pub trait Progress: Sync {
    /// A new stage of the run: shown until the next stage.
    fn stage(&self, _stage: &Stage) {}
    /// A stage the command layer names: what it does ("optimizing the plan (HiGHS, at most
    /// 60 s)") and what its counts, if any, count ("trials").
    fn named(&self, what: &str, unit: &str) {
        self.stage(&Stage::Named { what, unit });
    }
    /// A count of `total` within the stage starts at 0.
    fn begin(&self, _total_trials: u64) {}
    /// `trials` more trials are done.
    fn advance(&self, _trials: u64) {}
    fn end(&self) {}
}

/// A progress observer that ignores everything.
pub struct Quiet;
impl Progress for Quiet {}

/// Forwards the trials each run finishes, and nothing else: for analyses that run several
/// simulations under one progress bar, which they begin and end themselves.
pub struct Within<'a>(pub &'a dyn Progress);

impl Progress for Within<'_> {
    fn advance(&self, trials: u64) {
        self.0.advance(trials);
    }
}

/// Forwards everything, with each stage named after `.1` ("the variant: ..."): for a run that
/// does the same work for several subjects.
pub struct Prefixed<'a>(pub &'a dyn Progress, pub &'a str);

impl Progress for Prefixed<'_> {
    fn stage(&self, stage: &Stage) {
        self.0.stage(&Stage::Of {
            subject: self.1,
            stage,
        });
    }
    fn begin(&self, total: u64) {
        self.0.begin(total);
    }
    fn advance(&self, n: u64) {
        self.0.advance(n);
    }
    fn end(&self) {
        self.0.end();
    }
}

/// The raw outcome of consecutive trials: per trial, [`RawChunk::MONEY`] money columns (npv,
/// value, cost, penalties, spend) then the delivery period of each scheduled feature
/// (`engine.active` order; NaN when not delivered).
#[derive(Debug, Clone)]
pub struct RawChunk {
    pub first_trial: u64,
    pub stride: usize,
    pub rows: Vec<f64>,
}

impl RawChunk {
    pub const MONEY: usize = 5;
}

/// What ran: a plan file or an order (a rule or a file), as the output names it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScheduleInfo {
    pub kind: ScheduleKind,
    /// The plan or order file, or the rule's name.
    pub source: String,
    /// Features the teams work on.
    pub features: usize,
    /// How the order was adjusted to be executable (prerequisites pulled forward, alternatives dropped).
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    Plan,
    Order,
}

/// Receives raw trials in trial order, chunk by chunk.
pub type RawSink<'a> = dyn FnMut(&RawChunk) -> std::io::Result<()> + 'a;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    #[error(transparent)]
    Raw(#[from] std::io::Error),
}

/// Runs `trials` trials of `engine` and summarises them. `raw`, when given, receives every
/// trial's outcome in trial order, chunk by chunk, as the run goes.
pub fn run(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    progress: &dyn Progress,
    raw: Option<&mut RawSink>,
) -> Result<SimResult, SimError> {
    let mut total = Accumulator::new(engine, model.deals.len());
    let chunks = options.trials.div_ceil(CHUNK_TRIALS);
    for_each_chunk(model, engine, options, 0..chunks, progress, raw, |acc| {
        total.merge(&acc)
    })?;
    Ok(summarise(model, engine, options, &total))
}

/// Runs the trials of `chunks` and hands each chunk's statistics to `take` in chunk order,
/// whatever the threads. Progress counts the trials of these chunks.
fn for_each_chunk(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    chunks: std::ops::Range<u64>,
    progress: &dyn Progress,
    mut raw: Option<&mut RawSink>,
    mut take: impl FnMut(Accumulator),
) -> Result<(), SimError> {
    let pool = match options.threads {
        Some(threads) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| SimError::Threads {
                    threads,
                    message: e.to_string(),
                })?,
        ),
        None => None,
    };
    let deals = model.deals.len();
    let want_raw = raw.is_some();
    progress.begin(shard::trials_in(options.trials, &chunks));
    let threads = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let batch = CHUNKS_PER_THREAD * threads.max(1) as u64;
    let mut batch_start = chunks.start;
    while batch_start < chunks.end {
        let batch_end = (batch_start + batch).min(chunks.end);
        let work = || {
            (batch_start..batch_end)
                .into_par_iter()
                .map_init(
                    || engine.scratch(model.features.len()),
                    |scratch, chunk| {
                        let done =
                            run_chunk(engine, deals, chunk, options.trials, scratch, want_raw);
                        progress.advance(done.0.c.trials);
                        done
                    },
                )
                .collect::<Vec<_>>()
        };
        let results = match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        };
        for (acc, rows) in results {
            if let (Some(sink), Some(rows)) = (raw.as_mut(), rows) {
                sink(&rows)?;
            }
            take(acc);
        }
        batch_start = batch_end;
    }
    progress.end();
    Ok(())
}

fn run_chunk(
    engine: &Engine,
    deals: usize,
    chunk: u64,
    trials: u64,
    scratch: &mut Scratch,
    want_raw: bool,
) -> (Accumulator, Option<RawChunk>) {
    let first = chunk * CHUNK_TRIALS;
    let last = (first + CHUNK_TRIALS).min(trials);
    let mut acc = Accumulator::new(engine, deals);
    let stride = RawChunk::MONEY + engine.active.len();
    let mut rows = want_raw.then(|| Vec::with_capacity(stride * (last - first) as usize));
    for trial in first..last {
        let money = engine.run_trial(trial, scratch);
        acc.record(engine, scratch, &money);
        if let Some(rows) = rows.as_mut() {
            rows.extend_from_slice(&[
                money.npv,
                money.value,
                money.cost,
                money.penalties,
                money.spend,
            ]);
            rows.extend(engine.active.iter().map(|&f| {
                let p = scratch.period[f as usize];
                if p == NOT_DELIVERED {
                    f64::NAN
                } else {
                    p as f64
                }
            }));
        }
    }
    (
        acc,
        rows.map(|rows| RawChunk {
            first_trial: first,
            stride,
            rows,
        }),
    )
}

// ---------------------------------------------------------------------------------------
// Results: plain data for report/.

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SimResult {
    pub trials: u64,
    pub seed: u64,
    pub sampling: Method,
    pub currency: String,
    pub periods: Vec<String>,
    pub npv: NpvSummary,
    pub value: MeanWithError,
    pub cost: MeanWithError,
    pub penalties: MeanWithError,
    /// What `cost` is made of, when a team's cost is fixed or a feature's cost recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<CostBreakdown>,
    pub spend: SpendSummary,
    /// Spend booked in each period against its budget; only with budgets per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend_by_period: Option<Vec<PeriodSpend>>,
    pub features: Vec<FeatureOutcome>,
    /// Features done before the plan starts: in no plan, and in no NPV (no plan changes them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<crate::model::DoneFeature>,
    pub deals: Vec<DealOutcome>,
    pub teams: Vec<TeamOutcome>,
    pub value_by_month: Vec<MonthBand>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NpvSummary {
    pub mean: f64,
    pub std_error: f64,
    pub sd: f64,
    pub p5: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
    /// P(NPV < 0).
    pub p_negative: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MeanWithError {
    pub mean: f64,
    pub std_error: f64,
}

/// The discounted costs by kind: their means add up to the cost's.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostBreakdown {
    /// Team time of the teams paid by the week worked on features.
    pub team_variable: MeanWithError,
    /// The teams whose cost is fixed: their whole capacity, whatever the plan holds; and the
    /// people the plan buys (`bought` of it).
    pub team_fixed: MeanWithError,
    /// Discounted pay of the extra capacity the plan buys, inside `team_fixed`: the same in
    /// every future.
    #[serde(skip_serializing_if = "is_zero")]
    pub bought: f64,
    /// Recurring costs, from each feature's release or start to the horizon.
    pub recurring: MeanWithError,
    /// One-off costs of features and of the risks that happened.
    pub one_off: MeanWithError,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SpendSummary {
    pub mean: f64,
    pub p90: f64,
    pub budget: Option<f64>,
    pub p_over_budget: Option<f64>,
}

/// One period's spend, as the plan books it (team time of the features released in it, one-off
/// costs of the features started in it), undiscounted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PeriodSpend {
    pub period: String,
    pub mean: f64,
    pub budget: f64,
    pub p_over_budget: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeatureOutcome {
    pub id: String,
    pub name: String,
    /// In progress when the plan starts: only its remaining work was simulated.
    #[serde(skip_serializing_if = "crate::model::Status::is_not_started")]
    pub status: crate::model::Status,
    /// Planned delivery period (plans only).
    pub planned: Option<String>,
    pub deadline: Option<String>,
    /// P(delivered within the plan).
    pub p_delivered: f64,
    /// P(delivered by the end of its planned period); plans only.
    pub p_on_plan: Option<f64>,
    /// P(delivered by the end of its deadline period); features with a deadline only.
    pub p_by_deadline: Option<f64>,
    /// The hard limit after a soft target, and P(delivered by its end); only with a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_by_limit: Option<f64>,
    /// Median and 90th percentile delivery period; `None` when that share of trials does
    /// not deliver the feature within the plan.
    pub p50_period: Option<String>,
    pub p90_period: Option<String>,
    /// Mean completion time in weeks from the plan start, over the trials that deliver it.
    pub mean_completion_week: Option<f64>,
    /// Probability of delivery in each period, then of no delivery within the plan.
    pub period_probabilities: Vec<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DealOutcome {
    pub id: String,
    pub customer: String,
    pub p_won: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamOutcome {
    pub id: String,
    pub name: String,
    pub periods: Vec<TeamPeriod>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamPeriod {
    pub period: String,
    /// Sampled capacity (after the capacity factor) and work done, person-weeks, means.
    pub capacity_weeks: f64,
    pub work_weeks: f64,
    /// 90th percentile of person-weeks worked: in one future in ten the team works more.
    pub work_p90_weeks: f64,
    /// Work over capacity: mean and 90th percentile (None when the team has no capacity then).
    pub utilisation_mean: Option<f64>,
    pub utilisation_p90: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonthBand {
    /// 1-based month from the plan start; values are at its end.
    pub month: usize,
    pub mean: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
}

/// Each period's mean spend and P(over its budget), with budgets per period only.
fn period_spend(engine: &Engine, acc: &Accumulator, labels: &[String]) -> Option<Vec<PeriodSpend>> {
    let n = acc.c.trials.max(1) as f64;
    let budgets = engine.budget_per_period()?;
    Some(
        budgets
            .iter()
            .enumerate()
            .map(|(p, &budget)| PeriodSpend {
                period: labels[p].clone(),
                mean: acc.s.period_spend[p] / n,
                budget,
                p_over_budget: acc.c.over_period_budget[p] as f64 / n,
            })
            .collect(),
    )
}

/// Each scheduled feature's outcome over the trials, in the order a reader scans a roadmap.
fn feature_outcomes(model: &Model, engine: &Engine, acc: &Accumulator) -> Vec<FeatureOutcome> {
    let n = acc.c.trials.max(1) as f64;
    let labels = &model.time.labels;
    let periods = engine.periods();
    let mut features: Vec<(usize, FeatureOutcome)> = engine
        .active
        .iter()
        .enumerate()
        .map(|(a, &f)| {
            let f = f as usize;
            let counts = &acc.c.delivered_in[a * (periods + 1)..(a + 1) * (periods + 1)];
            let delivered: u64 = counts[..periods].iter().sum();
            let period_at = |share: f64| {
                let rank =
                    ((share * acc.c.trials as f64).ceil() as u64).clamp(1, acc.c.trials.max(1));
                let mut seen = 0;
                for (p, c) in counts.iter().enumerate() {
                    seen += c;
                    if seen >= rank {
                        return labels.get(p).cloned();
                    }
                }
                None
            };
            let feature = &model.features[f];
            let outcome = FeatureOutcome {
                id: feature.id.clone(),
                name: feature.name.clone(),
                status: feature.status,
                planned: engine.planned(f).map(|p| labels[p].clone()),
                deadline: engine.deadline(f).map(|d| labels[d].clone()),
                p_delivered: delivered as f64 / n,
                p_on_plan: engine.planned(f).map(|_| acc.c.on_plan[a] as f64 / n),
                p_by_deadline: engine.deadline(f).map(|_| acc.c.by_deadline[a] as f64 / n),
                limit: engine.limit(f).map(|l| labels[l].clone()),
                p_by_limit: engine.limit(f).map(|_| acc.c.by_limit[a] as f64 / n),
                p50_period: period_at(0.5),
                p90_period: period_at(0.9),
                mean_completion_week: (delivered > 0)
                    .then(|| acc.s.completion_weeks[a] / delivered as f64),
                period_probabilities: counts.iter().map(|&c| c as f64 / n).collect(),
            };
            (f, outcome)
        })
        .collect();
    // Report in the order a reader scans a roadmap: by planned period, then by file order.
    features.sort_by_key(|&(f, _)| (engine.planned(f).unwrap_or(usize::MAX), f));
    features.into_iter().map(|(_, o)| o).collect()
}

fn summarise(model: &Model, engine: &Engine, options: &SimOptions, acc: &Accumulator) -> SimResult {
    let n = acc.c.trials.max(1) as f64;
    let labels = &model.time.labels;
    let periods = engine.periods();
    let q = |s: &Sketch, p: f64| s.quantile(p);
    let features = feature_outcomes(model, engine, acc);
    SimResult {
        trials: acc.c.trials,
        seed: options.seed,
        sampling: options.method,
        currency: model.currency.clone(),
        periods: labels.clone(),
        npv: NpvSummary {
            mean: acc.s.npv.mean,
            std_error: acc.s.npv.std_error(),
            sd: acc.s.npv.sd(),
            p5: q(&acc.c.npv_quantiles, 0.05),
            p10: q(&acc.c.npv_quantiles, 0.10),
            p50: q(&acc.c.npv_quantiles, 0.50),
            p90: q(&acc.c.npv_quantiles, 0.90),
            p95: q(&acc.c.npv_quantiles, 0.95),
            min: acc.c.npv_quantiles.min(),
            max: acc.c.npv_quantiles.max(),
            p_negative: acc.c.npv_negative as f64 / n,
        },
        value: MeanWithError {
            mean: acc.s.value.mean,
            std_error: acc.s.value.std_error(),
        },
        cost: MeanWithError {
            mean: acc.s.cost.mean,
            std_error: acc.s.cost.std_error(),
        },
        penalties: MeanWithError {
            mean: acc.s.penalties.mean,
            std_error: acc.s.penalties.std_error(),
        },
        costs: engine.itemised.then(|| {
            let m = |x: &Moments| MeanWithError {
                mean: x.mean,
                std_error: x.std_error(),
            };
            CostBreakdown {
                team_variable: m(&acc.s.team_variable),
                team_fixed: m(&acc.s.team_fixed),
                bought: engine.bought_cost,
                recurring: m(&acc.s.recurring),
                one_off: m(&acc.s.one_off),
            }
        }),
        spend: SpendSummary {
            mean: acc.s.spend.mean,
            p90: q(&acc.c.spend_quantiles, 0.9),
            budget: engine.budget(),
            p_over_budget: engine.budget().map(|_| acc.c.over_budget as f64 / n),
        },
        spend_by_period: period_spend(engine, acc, labels),
        features,
        done: model.done.clone(),
        deals: model
            .deals
            .iter()
            .enumerate()
            .map(|(d, deal)| DealOutcome {
                id: deal.id.clone(),
                customer: deal.customer.clone(),
                p_won: acc.c.deals_won[d] as f64 / n,
            })
            .collect(),
        teams: model
            .teams
            .iter()
            .enumerate()
            .map(|(k, team)| TeamOutcome {
                id: team.id.clone(),
                name: team.name.clone(),
                periods: (0..periods)
                    .map(|p| {
                        let slot = k * periods + p;
                        let with_capacity = acc.c.utilisation_trials[slot];
                        TeamPeriod {
                            period: labels[p].clone(),
                            capacity_weeks: acc.s.available[slot] / n,
                            work_weeks: acc.s.work[slot] / n,
                            // No trials (an empty run) leave the sketch empty: report none worked.
                            work_p90_weeks: match acc.c.work_quantiles[slot].quantile(0.9) {
                                w if w.is_nan() => 0.0,
                                w => w,
                            },
                            utilisation_mean: (with_capacity > 0)
                                .then(|| acc.s.utilisation[slot] / with_capacity as f64),
                            utilisation_p90: (with_capacity > 0)
                                .then(|| acc.c.utilisation_quantiles[slot].quantile(0.9)),
                        }
                    })
                    .collect(),
            })
            .collect(),
        value_by_month: acc
            .s
            .months
            .iter()
            .zip(&acc.c.month_quantiles)
            .enumerate()
            .map(|(m, (sum, sketch))| MonthBand {
                month: m + 1,
                mean: sum / n,
                p10: sketch.quantile(0.1),
                p25: sketch.quantile(0.25),
                p50: sketch.quantile(0.5),
                p75: sketch.quantile(0.75),
                p90: sketch.quantile(0.9),
            })
            .collect(),
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
