//! The strategy tournament on one scenario: every prioritisation rule's order, and the
//! optimizer's plans, executed by the simulator on the same sampled futures (common random
//! numbers), so that differences between strategies are paired trial by trial and their
//! confidence intervals are tight.

use crate::model::{Model, Plan};
use crate::optimize::{self, Mode, OptimizeOptions};
use crate::sample::Method;
use crate::simulate::{self, Engine, Progress, Schedule, SimOptions, Stage, Within};
use crate::strategy::Rule;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Scenarios of the stochastic strategy: enough for a stable plan on typical backlogs while
/// keeping a tournament to seconds.
const STOCHASTIC_SCENARIOS: usize = 50;
/// Seconds the optimal-stochastic strategy's MILP searches when no time limit is given.
const STOCHASTIC_SECONDS: f64 = 10.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The recommended plan (analysis::recommend): the best plan the simulator confirms.
    Recommended,
    /// The deterministic MILP plan.
    Optimal,
    /// The robust MILP plan at P80.
    OptimalRobust,
    /// The sample-average MILP plan over sampled futures.
    OptimalStochastic,
    Rule(Rule),
}

impl Serialize for Strategy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl Strategy {
    pub fn all() -> Vec<Strategy> {
        let mut all = vec![
            Strategy::Recommended,
            Strategy::Optimal,
            Strategy::OptimalRobust,
            Strategy::OptimalStochastic,
        ];
        all.extend(Rule::ALL.iter().map(|&r| Strategy::Rule(r)));
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Recommended => "recommended",
            Strategy::Optimal => "optimal",
            Strategy::OptimalRobust => "optimal-robust",
            Strategy::OptimalStochastic => "optimal-stochastic",
            Strategy::Rule(r) => r.name(),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Strategy::Recommended => {
                "the plan `roadmap optimize` recommends: MILP and rule plans, improved and chosen by simulation"
            }
            Strategy::Optimal => "the MILP plan with expected efforts and values",
            Strategy::OptimalRobust => "the MILP plan with efforts at P80, capacity at P20",
            Strategy::OptimalStochastic => {
                "the MILP plan over 50 sampled futures (expected NPV, work that does not fit slips)"
            }
            Strategy::Rule(r) => r.describe(),
        }
    }

    pub fn parse(text: &str) -> Option<Strategy> {
        let t = text.trim().to_ascii_lowercase();
        Strategy::all()
            .into_iter()
            .find(|s| s.name() == t)
            .or_else(|| Rule::parse(&t).map(Strategy::Rule))
    }
}

#[derive(Debug, Clone)]
pub struct TournamentOptions {
    pub strategies: Vec<Strategy>,
    pub trials: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    /// Solver settings of the optimal strategies (gap, time limit, threads).
    pub optimize: OptimizeOptions,
    /// The recommended plan when the caller already has it (the report shows it): the same
    /// plan the recommended strategy would find on these seeds, not searched for twice.
    pub recommended: Option<Plan>,
}

/// A paired difference against the best strategy, trial by trial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Paired {
    pub mean: f64,
    /// The 95% confidence interval of the mean difference.
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyResult {
    pub strategy: Strategy,
    pub name: String,
    pub describe: String,
    /// Why it did not run (a robust plan may not exist); the figures below are then absent.
    pub error: Option<String>,
    pub npv_mean: f64,
    pub npv_std_error: f64,
    pub npv_p10: f64,
    pub npv_p90: f64,
    /// Mean NPV as a share of the best strategy's mean.
    pub share_of_best: f64,
    pub versus_best: Option<Paired>,
    /// P(this strategy's NPV beats the optimal plan's in a trial).
    pub p_beats_optimal: Option<f64>,
    /// Mean over features with a deadline of P(delivered by it); deals' mean P(won).
    pub deadlines_met: Option<f64>,
    /// The share of futures in which its weakest commitment holds: every mandatory feature
    /// delivered within the plan, every hard deadline met (1 with none).
    pub commitments_hold: Option<f64>,
    pub deals_won: Option<f64>,
    /// Seconds to compute the order or plan.
    pub compute_seconds: f64,
    /// Features the teams work on.
    pub features: usize,
    /// How the rule filled in missing framework fields.
    pub derived: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tournament {
    pub scenario: String,
    pub trials: u64,
    pub seed: u64,
    pub currency: String,
    /// Results in the order asked, the best strategy's name.
    pub results: Vec<StrategyResult>,
    pub best: Option<String>,
    /// Each strategy's NPV per trial (same order as `results`; `None` when it did not run),
    /// so callers can pair any two strategies; too bulky for the JSON.
    #[serde(skip)]
    pub trial_npv: Vec<Option<Vec<f64>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum TournamentError {
    #[error(transparent)]
    Simulate(#[from] simulate::SimError),
}

/// One strategy's schedule, made before any simulation: what the teams execute (or why
/// there is nothing), how a rule filled in missing framework fields, and how long it took.
#[derive(Debug, Clone)]
pub struct Planned {
    pub strategy: Strategy,
    pub schedule: Result<Schedule, String>,
    pub derived: Vec<String>,
    pub compute_seconds: f64,
}

/// Makes `strategy`'s schedule.
pub fn plan(model: &Model, options: &TournamentOptions, strategy: Strategy) -> Planned {
    let clock = Instant::now();
    let (schedule, derived) = schedule_of(model, options, strategy);
    Planned {
        strategy,
        schedule,
        derived,
        compute_seconds: clock.elapsed().as_secs_f64(),
    }
}

/// The simulation options every strategy of a tournament shares.
pub fn sim_options(options: &TournamentOptions) -> SimOptions {
    SimOptions {
        trials: options.trials,
        seed: options.seed,
        threads: options.threads,
        method: Method::MonteCarlo,
    }
}

/// The engine that executes a strategy's schedule on the tournament's futures.
pub fn engine(model: &Model, options: &TournamentOptions, schedule: &Schedule) -> Engine {
    Engine::new(
        model,
        schedule,
        options.seed,
        Method::MonteCarlo,
        options.trials,
    )
}

/// Runs every strategy on the same futures. Progress counts trials over all strategies.
pub fn run(
    model: &Model,
    options: &TournamentOptions,
    progress: &dyn Progress,
) -> Result<Tournament, TournamentError> {
    let sim = sim_options(options);
    let mut results = Vec::new();
    let mut npvs: Vec<Option<Vec<f64>>> = Vec::new();
    progress.stage(&Stage::Tournament {
        strategies: options.strategies.len(),
    });
    progress.begin(options.trials * options.strategies.len() as u64);
    for &strategy in &options.strategies {
        let planned = plan(model, options, strategy);
        let schedule = match &planned.schedule {
            Ok(s) => s,
            Err(_) => {
                progress.advance(options.trials);
                results.push(outcome(model, planned, None));
                npvs.push(None);
                continue;
            }
        };
        let engine = engine(model, options, schedule);
        let (result, trial_npv) =
            simulate::paired::run_keeping_npv(model, &engine, &sim, &Within(progress))?;
        let features = engine.active.len();
        results.push(outcome(model, planned, Some((&result, features))));
        npvs.push(Some(trial_npv));
    }
    progress.end();
    Ok(finish(model, options, results, npvs))
}

/// A strategy's own figures: from its simulation and the number of features its teams work
/// on, or its failure when it has no schedule. Those against the best come in [`finish`].
pub fn outcome(
    model: &Model,
    planned: Planned,
    simulated_as: Option<(&simulate::SimResult, usize)>,
) -> StrategyResult {
    match (planned.schedule, simulated_as) {
        (Ok(_), Some((result, features))) => simulated(
            model,
            planned.strategy,
            result,
            planned.compute_seconds,
            features,
            planned.derived,
        ),
        (Err(error), _) => failed(planned.strategy, error, planned.compute_seconds),
        (Ok(_), None) => failed(
            planned.strategy,
            "not simulated".to_string(),
            planned.compute_seconds,
        ),
    }
}

/// The tournament from every strategy's own figures and NPV per trial (in the order asked):
/// each set against the best and against the optimal plan.
pub fn finish(
    model: &Model,
    options: &TournamentOptions,
    mut results: Vec<StrategyResult>,
    npvs: Vec<Option<Vec<f64>>>,
) -> Tournament {
    let best = compare_with_best(options, &mut results, &npvs);
    Tournament {
        scenario: model.name.clone(),
        trials: options.trials,
        seed: options.seed,
        currency: model.currency.clone(),
        best: best.map(|b| results[b].name.clone()),
        results,
        trial_npv: npvs,
    }
}

/// What the teams execute under `strategy` (or why there is nothing), and how a rule filled
/// in missing framework fields.
fn schedule_of(
    model: &Model,
    options: &TournamentOptions,
    strategy: Strategy,
) -> (Result<Schedule, String>, Vec<String>) {
    match strategy {
        Strategy::Rule(rule) => {
            let ranking = rule.rank(model, options.seed);
            (
                Ok(Schedule::Order(ranking.order.normalised(model).0)),
                ranking.derived,
            )
        }
        Strategy::Recommended => (recommended_plan(model, options), Vec::new()),
        Strategy::Optimal | Strategy::OptimalRobust | Strategy::OptimalStochastic => {
            (optimal_plan(model, options, strategy), Vec::new())
        }
    }
}

fn recommended_plan(model: &Model, options: &TournamentOptions) -> Result<Schedule, String> {
    if let Some(plan) = &options.recommended {
        return Ok(Schedule::Plan(plan.clone()));
    }
    // Its own seeds follow the tournament's (+1 solves, +2 search, +3 selection), so the
    // tournament's futures stay unseen.
    let mut recommend_options =
        crate::analysis::recommend::RecommendOptions::new(options.seed, model.commit_confidence);
    recommend_options.optimize = options.optimize.clone();
    crate::analysis::recommend::recommend(model, &recommend_options, &simulate::Quiet)
        .map(|r| Schedule::Plan(r.plan))
        .map_err(|e| e.to_string())
}

fn optimal_plan(
    model: &Model,
    options: &TournamentOptions,
    strategy: Strategy,
) -> Result<Schedule, String> {
    let mode = match strategy {
        Strategy::Optimal => Mode::Deterministic,
        Strategy::OptimalRobust => Mode::Robust { confidence: 0.8 },
        _ => Mode::Stochastic {
            scenarios: STOCHASTIC_SCENARIOS,
            risk_aversion: 0.0,
            cvar_alpha: 0.9,
            overtime_premium: None,
        },
    };
    // The stochastic solve searches a bounded time from the deterministic start.
    let time_limit_seconds = options.optimize.time_limit_for(mode, STOCHASTIC_SECONDS);
    let opts = OptimizeOptions {
        mode,
        time_limit_seconds,
        // Out of sample: the optimizer never sees the tournament's futures.
        seed: options.seed.wrapping_add(1),
        ..options.optimize.clone()
    };
    optimize::optimize(model, &opts)
        .map(|o| Schedule::Plan(o.plan))
        .map_err(|e| e.to_string())
}

/// A strategy's own figures from its simulation; those against the best come later.
fn simulated(
    model: &Model,
    strategy: Strategy,
    result: &simulate::SimResult,
    compute_seconds: f64,
    features: usize,
    derived: Vec<String>,
) -> StrategyResult {
    let mean = |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    StrategyResult {
        strategy,
        name: strategy.name().to_string(),
        describe: strategy.describe().to_string(),
        error: None,
        npv_mean: result.npv.mean,
        npv_std_error: result.npv.std_error,
        npv_p10: result.npv.p10,
        npv_p90: result.npv.p90,
        share_of_best: f64::NAN,
        versus_best: None,
        p_beats_optimal: None,
        deadlines_met: mean(
            result
                .features
                .iter()
                .filter_map(|f| f.p_by_deadline)
                .collect(),
        ),
        deals_won: mean(result.deals.iter().map(|d| d.p_won).collect()),
        commitments_hold: Some(weakest_commitment(model, result)),
        compute_seconds,
        features,
        derived,
    }
}

/// Finds the best strategy that ran and sets every strategy's figures against it and against
/// the optimal plan; returns the best one's index.
fn compare_with_best(
    options: &TournamentOptions,
    results: &mut [StrategyResult],
    npvs: &[Option<Vec<f64>>],
) -> Option<usize> {
    let best = (0..results.len())
        .filter(|&i| npvs[i].is_some())
        // Ties go to the strategy listed first (the optimal ones come first by default).
        .max_by(|&a, &b| {
            results[a]
                .npv_mean
                .total_cmp(&results[b].npv_mean)
                .then(b.cmp(&a))
        });
    let optimal = options
        .strategies
        .iter()
        .position(|&s| s == Strategy::Optimal)
        .filter(|&i| npvs[i].is_some());
    if let Some(b) = best {
        let best_npv = npvs[b].clone().unwrap_or_default();
        let best_mean = results[b].npv_mean;
        for i in 0..results.len() {
            let Some(mine) = &npvs[i] else { continue };
            results[i].share_of_best = if best_mean != 0.0 {
                results[i].npv_mean / best_mean
            } else {
                f64::NAN
            };
            results[i].versus_best = Some(paired(mine, &best_npv));
            if let Some(o) = optimal {
                let theirs = npvs[o].as_ref().unwrap();
                let wins = mine.iter().zip(theirs).filter(|(a, b)| a > b).count();
                results[i].p_beats_optimal = Some(wins as f64 / mine.len().max(1) as f64);
            }
        }
    }
    best
}

fn failed(strategy: Strategy, error: String, compute_seconds: f64) -> StrategyResult {
    StrategyResult {
        strategy,
        name: strategy.name().to_string(),
        describe: strategy.describe().to_string(),
        error: Some(error),
        npv_mean: f64::NAN,
        npv_std_error: f64::NAN,
        npv_p10: f64::NAN,
        npv_p90: f64::NAN,
        share_of_best: f64::NAN,
        versus_best: None,
        p_beats_optimal: None,
        deadlines_met: None,
        commitments_hold: None,
        deals_won: None,
        compute_seconds,
        features: 0,
        derived: Vec::new(),
    }
}

/// Mean difference a - b over trials with its 95% interval (normal approximation, which
/// thousands of trials justify).
pub fn paired(a: &[f64], b: &[f64]) -> Paired {
    let n = a.len().min(b.len());
    if n == 0 {
        return Paired {
            mean: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let diffs = a.iter().zip(b).map(|(x, y)| x - y);
    let mean = diffs.clone().sum::<f64>() / n as f64;
    let var = if n > 1 {
        diffs.map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    let half = 1.96 * (var / n as f64).sqrt();
    Paired {
        mean,
        low: mean - half,
        high: mean + half,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_differences_of_identical_runs_are_exactly_zero() {
        let a = [1.0, 5.0, -3.0];
        let p = paired(&a, &a);
        assert_eq!((p.mean, p.low, p.high), (0.0, 0.0, 0.0));
        let p = paired(&[2.0, 4.0], &[1.0, 1.0]);
        assert_eq!(p.mean, 2.0);
        assert!(p.low < 2.0 && p.high > 2.0);
    }

    #[test]
    fn strategies_parse_by_name() {
        for s in Strategy::all() {
            assert_eq!(Strategy::parse(s.name()), Some(s));
        }
        assert_eq!(
            Strategy::parse("SJF"),
            Some(Strategy::Rule(Rule::ShortestJobFirst))
        );
        assert_eq!(Strategy::parse("kano"), None);
    }
}

/// The generator settings one portfolio of a many-portfolio tournament was drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub features: usize,
    pub value_skew: f64,
    pub uncertainty: f64,
    pub dependency_density: f64,
    pub effort_correlation: f64,
    /// Customer deals per feature.
    pub deal_rate: f64,
}

impl Settings {
    /// Each knob's name and whether this portfolio sits in its upper half: the buckets of the
    /// "where it breaks down" table.
    fn buckets(&self, base_features: usize) -> [(&'static str, bool); 6] {
        [
            ("size", self.features > base_features),
            ("value skew", self.value_skew > 1.0),
            ("uncertainty", self.uncertainty > 1.0),
            ("dependency density", self.dependency_density > 0.3),
            ("effort correlation", self.effort_correlation > 0.3),
            ("deal share", self.deal_rate > 0.075),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct ManyOptions {
    pub portfolios: usize,
    /// Features of a middle-sized portfolio; sizes vary from half to one and a half times it.
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
    pub seed: u64,
    /// Simulated futures per portfolio and strategy.
    pub trials: u64,
    pub strategies: Vec<Strategy>,
    pub optimize: OptimizeOptions,
}

/// One strategy over all portfolios.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub name: String,
    /// Portfolios where it ran (the optimal plan and this strategy both).
    pub portfolios: usize,
    /// Mean of its mean NPV as a share of the optimal plan's, over portfolios.
    pub mean_share_of_optimal: f64,
    /// The 10th percentile of that share: how bad its bad cases are.
    pub worst_decile: f64,
    /// Share of portfolios where it has the highest mean NPV (ties shared).
    pub win_rate: f64,
    /// Share of portfolios where its mean NPV is the highest, ties counted for each.
    pub best_or_tied: f64,
    /// Share of portfolios where the best strategy beats it beyond their paired 95% interval.
    pub beaten: f64,
    /// Share of portfolios where it keeps its commitments: every mandatory feature and hard
    /// deadline holds in at least the portfolio's commit confidence of futures.
    pub keeps_commitments: f64,
    /// Share of portfolios where its mean NPV is the highest (ties counted for each) among the
    /// strategies that keep their commitments, when it keeps them.
    pub best_keeping_commitments: f64,
    /// The knob and half where its mean share of optimal is lowest, and that share.
    pub breaks_down: Option<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManyTournament {
    pub portfolios: usize,
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
    pub seed: u64,
    pub trials: u64,
    pub strategies: Vec<Aggregate>,
    /// Each portfolio's settings and each strategy's share of the optimal plan's mean NPV.
    pub runs: Vec<(Settings, Vec<Option<f64>>)>,
    /// Per portfolio and strategy: whether the best strategy beats it beyond their paired 95%
    /// interval.
    pub beaten: Vec<Vec<Option<bool>>>,
    /// Per portfolio and strategy: whether it keeps its commitments.
    pub keeps: Vec<Vec<Option<bool>>>,
}

/// The share of futures in which the weakest commitment of a simulated schedule holds: each
/// mandatory feature delivered within the plan, each hard deadline met (1 with none).
fn weakest_commitment(model: &Model, result: &simulate::SimResult) -> f64 {
    let mut weakest: f64 = 1.0;
    for feature in &model.features {
        let outcome = result.features.iter().find(|o| o.id == feature.id);
        if feature.mandatory {
            weakest = weakest.min(outcome.map_or(0.0, |o| o.p_delivered));
        }
        let hard = feature.deadline.and_then(|d| d.hard_period()).is_some();
        if hard && (feature.mandatory || outcome.is_some()) {
            let held = outcome.and_then(|o| o.p_by_limit.or(o.p_by_deadline));
            weakest = weakest.min(held.unwrap_or(0.0));
        }
    }
    weakest
}

/// Settings of portfolio `index`, drawn from the seed alone so any run can be redone.
pub fn settings(options: &ManyOptions, index: usize) -> Settings {
    let mut state = crate::sample::stream::mix64(
        options.seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407),
    );
    let mut uniform = || {
        state = crate::sample::stream::mix64(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let base = options.features as f64;
    Settings {
        features: ((0.5 + uniform()) * base).round().max(2.0) as usize,
        value_skew: (2.0 * uniform() * 10.0).round() / 10.0,
        uncertainty: ((0.2 + 1.8 * uniform()) * 10.0).round() / 10.0,
        dependency_density: (0.6 * uniform() * 100.0).round() / 100.0,
        effort_correlation: (0.6 * uniform() * 10.0).round() / 10.0,
        deal_rate: (0.15 * uniform() * 100.0).round() / 100.0,
    }
}

/// One portfolio's settings and, per strategy: its share of the optimal plan's mean NPV,
/// whether the best strategy beats it beyond their paired 95% interval, and whether it keeps
/// its commitments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioOutcome {
    pub settings: Settings,
    #[serde(with = "crate::wire::maybe_reals")]
    pub shares: Vec<Option<f64>>,
    pub beaten: Vec<Option<bool>>,
    pub keeps: Vec<Option<bool>>,
}

/// Runs the tournament on `portfolios` generated portfolios, in parallel over portfolios.
/// Progress counts portfolios.
pub fn run_many(options: &ManyOptions, progress: &dyn Progress) -> ManyTournament {
    let outcomes = run_portfolios(options, 0..options.portfolios, progress);
    assemble_many(options, outcomes)
}

/// Runs the tournament on the generated portfolios of `range` (a shard of a many-portfolio
/// tournament), in parallel, in portfolio order. Progress counts portfolios.
pub fn run_portfolios(
    options: &ManyOptions,
    range: std::ops::Range<usize>,
    progress: &dyn Progress,
) -> Vec<PortfolioOutcome> {
    use rayon::prelude::*;
    let optimal = options
        .strategies
        .iter()
        .position(|&s| s == Strategy::Optimal);
    progress.begin(range.len() as u64);
    let outcomes = range
        .into_par_iter()
        .map(|i| {
            let outcome = run_portfolio(options, optimal, i);
            progress.advance(1);
            outcome
        })
        .collect();
    progress.end();
    outcomes
}

/// The many-portfolio tournament from every portfolio's outcome, in portfolio order.
pub fn assemble_many(options: &ManyOptions, outcomes: Vec<PortfolioOutcome>) -> ManyTournament {
    let mut runs = Vec::with_capacity(outcomes.len());
    let mut beaten = Vec::with_capacity(outcomes.len());
    let mut keeps = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        runs.push((o.settings, o.shares));
        beaten.push(o.beaten);
        keeps.push(o.keeps);
    }
    let strategies = options
        .strategies
        .iter()
        .enumerate()
        .map(|(k, strategy)| aggregate(options, k, *strategy, &runs, &beaten, &keeps))
        .collect();
    ManyTournament {
        portfolios: options.portfolios,
        features: options.features,
        teams: options.teams,
        periods: options.periods,
        seed: options.seed,
        trials: options.trials,
        strategies,
        runs,
        beaten,
        keeps,
    }
}

/// Generates portfolio `index` and runs the tournament on it.
fn run_portfolio(options: &ManyOptions, optimal: Option<usize>, index: usize) -> PortfolioOutcome {
    let s = settings(options, index);
    let seed = options.seed.wrapping_add(index as u64);
    let outcome = match generated(options, &s, seed) {
        Some(model) => {
            let one = TournamentOptions {
                recommended: None,
                strategies: options.strategies.clone(),
                trials: options.trials,
                seed,
                // Inside this parallel loop: the shared pool, not a pool per run.
                threads: None,
                optimize: OptimizeOptions {
                    threads: Some(1),
                    ..options.optimize.clone()
                },
            };
            match run(&model, &one, &crate::simulate::Quiet) {
                Ok(t) => judged(&t, optimal, model.commit_confidence),
                Err(_) => none(options.strategies.len()),
            }
        }
        None => none(options.strategies.len()),
    };
    PortfolioOutcome {
        settings: s,
        shares: outcome.0,
        beaten: outcome.1,
        keeps: outcome.2,
    }
}

/// The portfolio the generator draws with settings `s` on `seed`, when it loads.
fn generated(options: &ManyOptions, s: &Settings, seed: u64) -> Option<Model> {
    let mut spec = crate::scenario::generate::GenerateSpec::new(
        s.features,
        options.teams,
        options.periods,
        seed,
    );
    spec.value_skew = s.value_skew;
    spec.uncertainty = s.uncertainty;
    spec.dependency_density = s.dependency_density;
    spec.effort_correlation = s.effort_correlation;
    spec.deal_rate = s.deal_rate;
    let text = crate::scenario::generate::generate(&spec);
    crate::scenario::load_text(std::path::Path::new("generated.toml"), text, &|p| {
        std::fs::read(p)
    })
    .map(|l| l.model)
    .ok()
}

/// Per strategy of one tournament: its share of the optimal plan's mean NPV (when that is
/// positive), whether the best beats it, whether it keeps commitments at `confidence`.
#[allow(clippy::type_complexity)]
fn judged(
    t: &Tournament,
    optimal: Option<usize>,
    confidence: f64,
) -> (Vec<Option<f64>>, Vec<Option<bool>>, Vec<Option<bool>>) {
    let reference = optimal.and_then(|o| {
        let r = &t.results[o];
        (r.error.is_none() && r.npv_mean > 0.0).then_some(r.npv_mean)
    });
    let shares = t
        .results
        .iter()
        .map(|r| {
            let o = reference?;
            (r.error.is_none()).then(|| r.npv_mean / o)
        })
        .collect();
    let beaten = t
        .results
        .iter()
        .map(|r| r.versus_best.map(|p| p.high < 0.0))
        .collect();
    let keeps = t
        .results
        .iter()
        .map(|r| r.commitments_hold.map(|h| h + 1e-12 >= confidence))
        .collect();
    (shares, beaten, keeps)
}

/// Strategy `k` over all portfolios.
fn aggregate(
    options: &ManyOptions,
    k: usize,
    strategy: Strategy,
    runs: &[(Settings, Vec<Option<f64>>)],
    beaten: &[Vec<Option<bool>>],
    keeps: &[Vec<Option<bool>>],
) -> Aggregate {
    let mut shares: Vec<f64> = runs.iter().filter_map(|(_, v)| v[k]).collect();
    let count = shares.len();
    let mean = if count > 0 {
        shares.iter().sum::<f64>() / count as f64
    } else {
        f64::NAN
    };
    let worst_decile = crate::sample::quantile(&mut shares, 0.1);
    let (wins, best_or_tied) = wins(runs, k);
    let scored = runs
        .iter()
        .filter(|(_, v)| v.iter().any(|x| x.is_some()))
        .count();
    Aggregate {
        name: strategy.name().to_string(),
        portfolios: count,
        mean_share_of_optimal: mean,
        worst_decile,
        win_rate: if scored > 0 {
            wins / scored as f64
        } else {
            f64::NAN
        },
        best_or_tied: if scored > 0 {
            best_or_tied / scored as f64
        } else {
            f64::NAN
        },
        beaten: share_true(beaten, k),
        keeps_commitments: share_true(keeps, k),
        best_keeping_commitments: best_keeping_commitments(runs, keeps, k) as f64
            / scored.max(1) as f64,
        breaks_down: breaks_down(options, runs, k),
    }
}

/// Portfolios where strategy `k` has the highest mean NPV, ties shared and ties counted for
/// each.
fn wins(runs: &[(Settings, Vec<Option<f64>>)], k: usize) -> (f64, f64) {
    let mut wins = 0.0;
    let mut best_or_tied = 0.0;
    for (_, v) in runs {
        let best = v.iter().flatten().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        if let Some(mine) = v[k] {
            if mine >= best - 1e-9 * best.abs() {
                best_or_tied += 1.0;
                let tied = v
                    .iter()
                    .flatten()
                    .filter(|&&x| x >= best - 1e-9 * best.abs())
                    .count();
                wins += 1.0 / tied as f64;
            }
        }
    }
    (wins, best_or_tied)
}

/// The share of portfolios where strategy `k` ran whose flag is set.
fn share_true(flags: &[Vec<Option<bool>>], k: usize) -> f64 {
    let flags: Vec<bool> = flags.iter().filter_map(|b| b[k]).collect();
    flags.iter().filter(|&&b| b).count() as f64 / flags.len().max(1) as f64
}

/// Portfolios where strategy `k` keeps its commitments with the highest mean NPV (ties
/// counted for each) among the strategies that keep theirs.
fn best_keeping_commitments(
    runs: &[(Settings, Vec<Option<f64>>)],
    keeps: &[Vec<Option<bool>>],
    k: usize,
) -> usize {
    let mut best = 0usize;
    for ((_, v), kept) in runs.iter().zip(keeps) {
        let top = v
            .iter()
            .zip(kept)
            .filter(|(_, k)| **k == Some(true))
            .filter_map(|(x, _)| *x)
            .fold(f64::NEG_INFINITY, f64::max);
        if let (Some(mine), Some(true)) = (v[k], kept[k]) {
            if mine >= top - 1e-9 * top.abs() {
                best += 1;
            }
        }
    }
    best
}

/// The knob and half where strategy `k`'s mean share of optimal is lowest (over halves of at
/// least three portfolios), and that share.
fn breaks_down(
    options: &ManyOptions,
    runs: &[(Settings, Vec<Option<f64>>)],
    k: usize,
) -> Option<(String, f64)> {
    let mut breaks_down: Option<(String, f64)> = None;
    for knob in 0..6 {
        for upper in [false, true] {
            let bucket: Vec<f64> = runs
                .iter()
                .filter(|(s, _)| s.buckets(options.features)[knob].1 == upper)
                .filter_map(|(_, v)| v[k])
                .collect();
            if bucket.len() < 3 {
                continue;
            }
            let m = bucket.iter().sum::<f64>() / bucket.len() as f64;
            if breaks_down.as_ref().is_none_or(|b| m < b.1) {
                let name = runs[0].0.buckets(options.features)[knob].0;
                let half = if upper { "high" } else { "low" };
                breaks_down = Some((format!("{half} {name}"), m));
            }
        }
    }
    breaks_down
}

/// A portfolio where the tournament did not run: nothing for any strategy.
#[allow(clippy::type_complexity)]
fn none(n: usize) -> (Vec<Option<f64>>, Vec<Option<bool>>, Vec<Option<bool>>) {
    (vec![None; n], vec![None; n], vec![None; n])
}
