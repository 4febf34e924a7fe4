//! The recommended plan: the best plan the simulator can confirm, with commitments that hold.
//!
//! The MILP is exact on its own model, but under uncertainty the plan it calls optimal is not
//! always the best plan by the simulator that reports it. So the recommendation is built in
//! three steps, each on its own sampled futures:
//!
//! 1. *Candidates*: the deterministic optimum, robust plans at several confidences, stochastic
//!    plans at several risk aversions, and each scoring rule's order packed into a plan.
//! 2. *Improvement*: a local search from the best candidates. A move shifts a feature by a
//!    period, starts its vendor a period earlier, adds, drops or swaps features, inside the
//!    scenario's rules (requirements, alternatives, mandatory work, windows, hard deadlines,
//!    budget, themes; capacity is the simulator's to judge). A move is taken only when the
//!    simulator, on the search futures and common random numbers, finds it better by more
//!    than twice the standard error of the paired difference.
//! 3. *Selection* on futures neither the MILP nor the search saw. The plan whose mandatory
//!    features and hard deadlines hold in at least the commit confidence's share of them, with
//!    the highest mean NPV, is recommended; when none holds, the one that comes closest.
//!
//! Seeds: the optimizer samples on seed + 1, the search on seed + 2, the selection on
//! seed + 3; the NPV reported for the recommended plan comes from the scenario's own seed,
//! which no step saw, so it is an unbiased estimate.

use crate::model::{expect, Model, Plan};
use crate::optimize::{self, Mode, OptimizeError, OptimizeOptions};
use crate::plan_check::{check_plan, CheckBasis};
use crate::sample::Method;
use crate::sample::Sampler;
use crate::simulate::{self, Engine, Progress, Quiet, Schedule, SimOptions, Stage};
use crate::strategy::Rule;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// Seconds each stochastic candidate's MILP may search.
const STOCHASTIC_CANDIDATE_SECONDS: f64 = 5.0;

#[derive(Debug, Clone)]
pub struct RecommendOptions {
    /// The share of futures in which every hard deadline and every mandatory feature of the
    /// plan must hold (0.8 by default).
    pub commit_confidence: f64,
    /// The scenario's seed; each step samples on its own offset from it (module docs).
    pub seed: u64,
    pub search_trials: u64,
    pub select_trials: u64,
    pub robust_confidences: Vec<f64>,
    /// Sampled futures of each stochastic candidate; 0 leaves them out.
    pub stochastic_scenarios: usize,
    pub risk_aversions: Vec<f64>,
    /// Rounds of the local search from each starting candidate.
    pub max_rounds: usize,
    /// Candidates the local search starts from.
    pub starts: usize,
    /// Gap and time limit of each MILP solve.
    pub optimize: OptimizeOptions,
    /// Plans the caller adds to the candidates, by name: a what-if's held plan, so that
    /// re-planning never does worse than keeping the plan.
    pub extra_candidates: Vec<(String, Plan)>,
}

impl RecommendOptions {
    pub fn new(seed: u64, commit_confidence: f64) -> Self {
        RecommendOptions {
            commit_confidence,
            seed,
            search_trials: 500,
            select_trials: 2000,
            robust_confidences: vec![0.6, 0.7, 0.8, 0.9],
            stochastic_scenarios: 30,
            risk_aversions: vec![0.0, 0.5],
            max_rounds: 40,
            starts: 2,
            optimize: OptimizeOptions {
                gap: 1e-4,
                ..OptimizeOptions::default()
            },
            extra_candidates: Vec::new(),
        }
    }
}

/// A commitment of a plan: a mandatory feature delivered within the plan, or a planned
/// feature with a hard deadline delivered by it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    Mandatory,
    HardDeadline,
}

/// How often one commitment holds over some futures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Held {
    pub feature: usize,
    pub promise: Promise,
    pub share: f64,
}

/// A plan valued on one set of futures.
#[derive(Debug, Clone)]
struct Scored {
    npv: Vec<f64>,
    mean: f64,
    /// Every commitment, weakest first.
    held: Vec<Held>,
}

impl Scored {
    /// The share of futures in which the weakest commitment holds (1 with none).
    fn weakest(&self) -> f64 {
        self.held.first().map_or(1.0, |h| h.share)
    }
}

/// One candidate as it fared on the selection futures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub name: String,
    #[serde(skip)]
    pub plan: Plan,
    /// Mean NPV on the selection futures.
    pub selection_npv: f64,
    /// The share of selection futures in which its weakest commitment holds.
    pub commitments_hold: f64,
}

/// A candidate left out of the selection, and the first rule it breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub name: String,
    /// The first rule it breaks.
    pub reason: crate::plan_check::Breach,
}

/// What one move of the local search changes, by feature id and period label.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A planned feature moves to another period.
    Shift {
        feature: String,
        to: String,
    },
    /// A feature with a lead time starts one period sooner.
    StartIn {
        feature: String,
        start: String,
    },
    Drop {
        feature: String,
    },
    Add {
        feature: String,
        period: String,
    },
    /// A left-out feature takes a planned one's place.
    Swap {
        add: String,
        drop: String,
    },
}

/// A move the local search took.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub step: Step,
    /// The paired gain in mean NPV on the search futures, and its standard error.
    pub gain: f64,
    pub std_error: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub plan: Plan,
    /// The candidate it came from, by name; `moves` improved it.
    pub origin: String,
    pub moves: Vec<Move>,
    pub candidates: Vec<Candidate>,
    /// Candidates left out because they break a rule of the scenario on the expected numbers.
    pub excluded: Vec<Excluded>,
    /// The commit confidence asked for, and whether the recommended plan reaches it on the
    /// selection futures.
    pub commit_confidence: f64,
    pub reaches_confidence: bool,
    /// Its commitments on the selection futures, weakest first.
    pub held: Vec<Held>,
    pub seconds: Stages,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stages {
    pub candidates: f64,
    pub improvement: f64,
    pub selection: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum RecommendError {
    /// No candidate at all: the deterministic model is infeasible (its diagnosis says why).
    #[error(transparent)]
    Optimize(OptimizeError),
    #[error(transparent)]
    Simulate(#[from] simulate::SimError),
}

/// A set of sampled futures: the seed, the number of trials and their shared sampler.
struct Futures {
    seed: u64,
    trials: u64,
    sampler: Arc<Sampler>,
}

impl Futures {
    fn new(model: &Model, seed: u64, trials: u64) -> Self {
        Futures {
            seed,
            trials,
            sampler: Arc::new(Engine::sampler_for(model, seed, Method::MonteCarlo, trials)),
        }
    }
}

/// Values `plan` on `futures`.
fn score(model: &Model, plan: &Plan, futures: &Futures) -> Result<Scored, simulate::SimError> {
    let engine = Engine::with_sampler(
        model,
        &Schedule::Plan(plan.clone()),
        Arc::clone(&futures.sampler),
    );
    let options = SimOptions {
        trials: futures.trials,
        seed: futures.seed,
        threads: None,
        method: Method::MonteCarlo,
    };
    let (result, npv) = simulate::paired::run_keeping_npv(model, &engine, &options, &Quiet)?;
    Ok(Scored {
        mean: result.npv.mean,
        npv,
        held: commitments(model, plan, &result),
    })
}

/// The commitments of a simulated schedule (a plan, or an order when `plan` is None) that hold
/// in fewer than a share `q` of its futures, weakest first: what a lead must hear before
/// presenting it.
pub fn at_risk(
    model: &Model,
    plan: Option<&Plan>,
    result: &simulate::SimResult,
    q: f64,
) -> Vec<Held> {
    let held = match plan {
        Some(plan) => commitments(model, plan, result),
        None => {
            // An order promises the features it schedules.
            let ids = model.feature_indices();
            let mut periods = vec![None; model.features.len()];
            for o in &result.features {
                if let Some(&f) = ids.get(o.id.as_str()) {
                    periods[f] = Some(0);
                }
            }
            let scheduled = Plan::new(periods);
            commitments(model, &scheduled, result)
        }
    };
    held.into_iter().filter(|h| h.share + 1e-12 < q).collect()
}

/// How often each commitment of `plan` holds in a simulation of it, weakest first.
pub fn commitments(model: &Model, plan: &Plan, result: &simulate::SimResult) -> Vec<Held> {
    let mut held = Vec::new();
    let ids = model.feature_indices();
    for outcome in &result.features {
        let Some(&f) = ids.get(outcome.id.as_str()) else {
            continue;
        };
        let feature = &model.features[f];
        if feature.mandatory {
            held.push(Held {
                feature: f,
                promise: Promise::Mandatory,
                share: outcome.p_delivered,
            });
        }
        // A soft target's limit is a hard deadline; the target itself only costs.
        let hard = feature.deadline.and_then(|d| d.hard_period()).is_some();
        if hard && plan.periods[f].is_some() {
            held.push(Held {
                feature: f,
                promise: Promise::HardDeadline,
                share: outcome.p_by_limit.or(outcome.p_by_deadline).unwrap_or(0.0),
            });
        }
    }
    // A mandatory feature the plan leaves out never holds.
    for (f, feature) in model.features.iter().enumerate() {
        if feature.mandatory && plan.periods[f].is_none() {
            held.push(Held {
                feature: f,
                promise: Promise::Mandatory,
                share: 0.0,
            });
        }
    }
    held.sort_by(|a, b| a.share.total_cmp(&b.share).then(a.feature.cmp(&b.feature)));
    held
}

/// The paired difference `a - b` trial by trial: its mean and standard error.
pub fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let n = a.len().min(b.len());
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = a.iter().zip(b).map(|(x, y)| x - y).sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let var = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y - mean).powi(2))
        .sum::<f64>()
        / (n - 1) as f64;
    (mean, (var / n as f64).sqrt())
}

/// Whether `next` is better than `current` for a plan that must hold its commitments at `q`:
/// first reach `q` (or come closer), then earn more, by more than twice the paired standard
/// error. Returns the paired gain and its standard error when it is.
fn better(next: &Scored, current: &Scored, q: f64) -> Option<(f64, f64)> {
    let (gain, se) = paired(&next.npv, &current.npv);
    let (now, then) = (current.weakest(), next.weakest());
    if now + 1e-12 < q {
        // Not there yet: any step towards the confidence, or an equal one that earns more.
        if then > now + 1e-12 {
            return Some((gain, se));
        }
        return (then >= now - 1e-12 && gain > 2.0 * se && gain > 0.0).then_some((gain, se));
    }
    (then + 1e-12 >= q && gain > 2.0 * se && gain > 0.0).then_some((gain, se))
}

/// Rules a recommended plan keeps: every rule of the scenario on the expected numbers,
/// capacity included. A plan whose work does not fit the teams' expected capacity could also
/// meet a theme share or a budget with work that will never be done; the simulator judges how
/// the plan fares when the numbers move.
fn keeps_the_rules(model: &Model, plan: &Plan, basis: &CheckBasis) -> bool {
    check_plan(model, plan, basis).is_empty()
}

/// The plans one move away from `plan`, each with what the move did: shifts, earlier starts,
/// additions and drops when `swaps` is false; swaps of a left-out feature for a planned one on
/// a team they share when it is true (many more, so tried only when nothing else helps).
fn neighbours(model: &Model, plan: &Plan, basis: &CheckBasis, swaps: bool) -> Vec<(Step, Plan)> {
    let periods = model.time.periods;
    let labels = &model.time.labels;
    let n = model.features.len();
    let id = |f: usize| model.features[f].id.to_string();
    let mut out = Vec::new();
    let mut push = |step: Step, next: Plan| {
        if keeps_the_rules(model, &next, basis) {
            out.push((step, next));
        }
    };
    // Periods an added feature is tried at: all of them on short plans, four spread ones else.
    let tries: Vec<usize> = if periods <= 8 {
        (0..periods).collect()
    } else {
        let mut t: Vec<usize> = (0..4).map(|i| i * (periods - 1) / 3).collect();
        t.dedup();
        t
    };
    for f in (0..n).filter(|_| !swaps) {
        let open = model.features[f].earliest_period.unwrap_or(0);
        match plan.periods[f] {
            Some(t) => {
                let start = plan.start(model, f).unwrap_or(t);
                for next_t in [t.checked_sub(1), (t + 1 < periods).then_some(t + 1)]
                    .into_iter()
                    .flatten()
                {
                    let mut next = plan.clone();
                    next.periods[f] = Some(next_t);
                    let shifted = (start as isize + next_t as isize - t as isize).max(0) as usize;
                    next.starts[f] = Some(shifted.clamp(open.min(next_t), next_t));
                    let step = Step::Shift {
                        feature: id(f),
                        to: labels[next_t].clone(),
                    };
                    push(step, next);
                }
                if start > open && expect::lead_weeks(model, f) > 0.0 {
                    let mut next = plan.clone();
                    next.starts[f] = Some(start - 1);
                    let step = Step::StartIn {
                        feature: id(f),
                        start: labels[start - 1].clone(),
                    };
                    push(step, next);
                }
                if !model.features[f].mandatory {
                    let mut next = plan.clone();
                    next.periods[f] = None;
                    next.starts[f] = None;
                    push(Step::Drop { feature: id(f) }, next);
                }
            }
            None => {
                for &t in tries.iter().filter(|&&t| t >= open) {
                    let mut next = plan.clone();
                    next.periods[f] = Some(t);
                    next.starts[f] = None;
                    let step = Step::Add {
                        feature: id(f),
                        period: labels[t].clone(),
                    };
                    push(step, next);
                }
            }
        }
    }
    // Swaps: a left-out feature takes the place of a planned one on a team they share.
    let shares_team = |a: usize, b: usize| {
        model.features[a]
            .effort
            .iter()
            .any(|e| model.features[b].effort.iter().any(|o| o.team == e.team))
    };
    let mut count = 0;
    'outer: for g in (0..n).filter(|&g| swaps && plan.periods[g].is_some()) {
        if model.features[g].mandatory {
            continue;
        }
        for f in (0..n).filter(|&f| plan.periods[f].is_none()) {
            if !shares_team(f, g) {
                continue;
            }
            let t = plan.periods[g].unwrap();
            let mut next = plan.clone();
            next.periods[g] = None;
            next.starts[g] = None;
            next.periods[f] = Some(t);
            next.starts[f] = None;
            push(
                Step::Swap {
                    add: id(f),
                    drop: id(g),
                },
                next,
            );
            count += 1;
            if count >= 200 {
                break 'outer;
            }
        }
    }
    out
}

/// Hill climbing from `plan`: in each round every neighbour is valued on the search futures
/// and the best significant improvement is taken; the search stops when none is left.
fn improve(
    model: &Model,
    plan: Plan,
    scored: Scored,
    options: &RecommendOptions,
    basis: &CheckBasis,
    futures: &Futures,
) -> Result<(Plan, Scored, Vec<Move>), simulate::SimError> {
    let (mut plan, mut scored) = (plan, scored);
    let mut moves = Vec::new();
    let mut swaps = false;
    for _ in 0..options.max_rounds {
        let next = neighbours(model, &plan, basis, swaps);
        let valued: Vec<Scored> = next
            .par_iter()
            .map(|(_, p)| score(model, p, futures))
            .collect::<Result<_, _>>()?;
        // While below the confidence, the move that lifts the weakest commitment most wins;
        // then the one that gains most. Ties go to the first move listed.
        let reaching = scored.weakest() + 1e-12 < options.commit_confidence;
        let mut best: Option<(usize, f64, f64, f64)> = None;
        for (i, v) in valued.iter().enumerate() {
            if let Some((gain, se)) = better(v, &scored, options.commit_confidence) {
                let lift = if reaching { v.weakest() } else { 0.0 };
                let wins = match best {
                    None => true,
                    Some((_, l, g, _)) => lift > l + 1e-12 || (lift >= l - 1e-12 && gain > g),
                };
                if wins {
                    best = Some((i, lift, gain, se));
                }
            }
        }
        let Some((i, _, gain, se)) = best else {
            if swaps {
                break;
            }
            swaps = true;
            continue;
        };
        swaps = false;
        let (step, next_plan) = next.into_iter().nth(i).expect("a valued neighbour");
        scored = valued.into_iter().nth(i).expect("valued");
        plan = next_plan;
        moves.push(Move {
            step,
            gain,
            std_error: se,
        });
    }
    Ok((plan, scored, moves))
}

/// How a candidate improved by the local search is named after the one it started from.
const IMPROVED: &str = ", improved";

/// A candidate plan and its name.
type Named = (String, Plan);

/// A named plan and the moves of the local search that made it (none for a candidate).
type Improved = (String, Plan, Vec<Move>);

/// Builds the recommended plan.
pub fn recommend(
    model: &Model,
    options: &RecommendOptions,
    progress: &dyn Progress,
) -> Result<Recommendation, RecommendError> {
    let clock = std::time::Instant::now();
    let basis = CheckBasis::expected(model);
    let (candidates, excluded) = candidates(model, options, &basis, progress)?;
    let candidates_seconds = clock.elapsed().as_secs_f64();

    let improved = improve_best(model, &candidates, options, &basis, progress)?;
    let improvement_seconds = clock.elapsed().as_secs_f64() - candidates_seconds;

    // 3. Selection on futures nobody has seen.
    let selection = Futures::new(model, options.seed.wrapping_add(3), options.select_trials);
    let mut everyone: Vec<Improved> = candidates
        .into_iter()
        .map(|(n, p)| (n, p, Vec::new()))
        .collect();
    everyone.extend(improved);
    progress.stage(&Stage::RecommendSelecting);
    progress.begin(everyone.len() as u64);
    let selected: Vec<Scored> = everyone
        .par_iter()
        .map(|(_, p, _)| {
            let scored = score(model, p, &selection);
            progress.advance(1);
            scored
        })
        .collect::<Result<_, _>>()?;
    let q = options.commit_confidence;
    let best = (0..everyone.len())
        // Ties go to the earlier candidate (the deterministic optimum first).
        .max_by(|&a, &b| rank(&selected[a], &selected[b], q).then(b.cmp(&a)))
        .expect("at least the deterministic optimum");
    let selection_seconds =
        clock.elapsed().as_secs_f64() - candidates_seconds - improvement_seconds;
    let (name, plan, moves) = everyone[best].clone();
    Ok(Recommendation {
        plan,
        // An improved candidate is named after the one it started from.
        origin: name
            .strip_suffix(IMPROVED)
            .map_or(name.clone(), str::to_string),
        moves,
        candidates: everyone
            .iter()
            .zip(&selected)
            .map(|((name, plan, _), s)| Candidate {
                name: name.clone(),
                plan: plan.clone(),
                selection_npv: s.mean,
                commitments_hold: s.weakest(),
            })
            .collect(),
        excluded,
        commit_confidence: q,
        reaches_confidence: selected[best].weakest() + 1e-12 >= q,
        held: selected[best].held.clone(),
        seconds: Stages {
            candidates: candidates_seconds,
            improvement: improvement_seconds,
            selection: selection_seconds,
        },
    })
}

/// Seconds a stochastic candidate's MILP may search: a few, or less when the caller's time
/// limit is shorter.
fn stochastic_candidate_seconds(options: &RecommendOptions) -> f64 {
    options
        .optimize
        .time_limit_seconds
        .map_or(STOCHASTIC_CANDIDATE_SECONDS, |t| {
            t.min(STOCHASTIC_CANDIDATE_SECONDS)
        })
}

/// The MILP plan of `mode`, solved on the optimizer's seed from the deterministic optimum
/// `start` when there is one.
fn solve(
    model: &Model,
    options: &RecommendOptions,
    start: Option<&Plan>,
    mode: Mode,
) -> Result<Plan, OptimizeError> {
    // A stochastic candidate is one route among several and the search improves on it: a few
    // seconds from the deterministic start are enough.
    let time_limit_seconds = match mode {
        Mode::Stochastic { .. } => Some(stochastic_candidate_seconds(options)),
        _ => options.optimize.time_limit_seconds,
    };
    let o = OptimizeOptions {
        mode,
        seed: options.seed.wrapping_add(1),
        threads: Some(1),
        time_limit_seconds,
        deterministic_start: start.cloned(),
        // Solves run side by side: only the deterministic one writes the solver's log.
        solver_log: options
            .optimize
            .solver_log
            .clone()
            .filter(|_| mode == Mode::Deterministic),
        ..options.optimize.clone()
    };
    optimize::optimize(model, &o).map(|out| out.plan)
}

/// The robust and stochastic modes the candidates are solved in, by name.
fn candidate_modes(options: &RecommendOptions) -> Vec<(String, Mode)> {
    let mut modes = Vec::new();
    for &q in &options.robust_confidences {
        modes.push((
            format!("robust P{:.0}", q * 100.0),
            Mode::Robust { confidence: q },
        ));
    }
    if options.stochastic_scenarios > 0 {
        for &l in &options.risk_aversions {
            modes.push((
                format!("stochastic, risk aversion {l}"),
                Mode::Stochastic {
                    scenarios: options.stochastic_scenarios,
                    risk_aversion: l,
                    cvar_alpha: 0.9,
                    overtime_premium: None,
                },
            ));
        }
    }
    modes
}

/// The first step, candidates. The deterministic optimum first: when even it cannot be had
/// (no feasible plan, or a time limit with none found) there is nothing to recommend, and its
/// error says why. Then the other solves side by side, the caller's plans and the rules'
/// orders packed. Returns the distinct candidates that keep the scenario's rules, and those
/// that break one.
fn candidates(
    model: &Model,
    options: &RecommendOptions,
    basis: &CheckBasis,
    progress: &dyn Progress,
) -> Result<(Vec<Named>, Vec<Excluded>), RecommendError> {
    progress.stage(&Stage::RecommendOptimum);
    let deterministic =
        solve(model, options, None, Mode::Deterministic).map_err(RecommendError::Optimize)?;
    let modes = candidate_modes(options);
    progress.stage(&Stage::RecommendCandidates {
        modes: modes.len(),
        stochastic_seconds: stochastic_candidate_seconds(options),
    });
    let solved: Vec<(String, Result<Plan, OptimizeError>)> = modes
        .into_par_iter()
        .map(|(name, mode)| (name, solve(model, options, Some(&deterministic), mode)))
        .collect();
    let mut pool: Vec<Named> = vec![("deterministic optimum".to_string(), deterministic)];
    pool.extend(options.extra_candidates.iter().cloned());
    // Robust and stochastic plans may not exist where the expected one does.
    pool.extend(
        solved
            .into_iter()
            .filter_map(|(name, result)| result.ok().map(|plan| (name, plan))),
    );
    for rule in Rule::ALL.iter().filter(|r| **r != Rule::Random) {
        if let Ok(plan) = optimize::packed_plan(model, &rule.order(model)) {
            pool.push((format!("{} order, packed", rule.name()), plan));
        }
    }
    // The same plan from several routes counts once, under its first name; a plan that breaks
    // a rule on the expected numbers (a stochastic plan may count on overtime) is left out.
    let mut candidates: Vec<Named> = Vec::new();
    let mut excluded = Vec::new();
    for (name, plan) in pool {
        if let Some(v) = check_plan(model, &plan, basis).into_iter().next() {
            excluded.push(Excluded {
                name,
                reason: v.breach,
            });
            continue;
        }
        if !candidates.iter().any(|(_, p)| same_plan(model, p, &plan)) {
            candidates.push((name, plan));
        }
    }
    Ok((candidates, excluded))
}

/// The second step, improvement from the best candidates on the search futures: the new
/// plans the local search finds.
fn improve_best(
    model: &Model,
    candidates: &[Named],
    options: &RecommendOptions,
    basis: &CheckBasis,
    progress: &dyn Progress,
) -> Result<Vec<Improved>, RecommendError> {
    let search = Futures::new(model, options.seed.wrapping_add(2), options.search_trials);
    let scored: Vec<Scored> = candidates
        .par_iter()
        .map(|(_, p)| score(model, p, &search))
        .collect::<Result<_, _>>()?;
    let starts = search_starts(&scored, options);
    progress.stage(&Stage::RecommendImproving);
    progress.begin(starts.len() as u64);
    let mut improved: Vec<Improved> = Vec::new();
    for &c in &starts {
        let (plan, _, moves) = improve(
            model,
            candidates[c].1.clone(),
            scored[c].clone(),
            options,
            basis,
            &search,
        )?;
        if !moves.is_empty() && !candidates.iter().any(|(_, p)| same_plan(model, p, &plan)) {
            improved.push((format!("{}{IMPROVED}", candidates[c].0), plan, moves));
        }
        progress.advance(1);
    }
    Ok(improved)
}

/// The best-ranked candidates, and the one that earns most whether or not its commitments
/// hold: repairing a rich plan's weakest commitment often costs less value than improving a
/// safe but poor one.
fn search_starts(scored: &[Scored], options: &RecommendOptions) -> Vec<usize> {
    let q = options.commit_confidence;
    let mut ranked: Vec<usize> = (0..scored.len()).collect();
    ranked.sort_by(|&a, &b| rank(&scored[b], &scored[a], q).then(a.cmp(&b)));
    let mut starts: Vec<usize> = ranked.iter().take(options.starts).copied().collect();
    if let Some(richest) =
        (0..scored.len()).max_by(|&a, &b| scored[a].mean.total_cmp(&scored[b].mean).then(b.cmp(&a)))
    {
        if !starts.contains(&richest) {
            starts.push(richest);
        }
    }
    starts
}

/// Plans that hold their commitments at `q` rank by mean NPV above every plan that does not;
/// those rank by how close they come, then by mean NPV.
fn rank(a: &Scored, b: &Scored, q: f64) -> std::cmp::Ordering {
    let meets = |s: &Scored| s.weakest() + 1e-12 >= q;
    match (meets(a), meets(b)) {
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        (true, true) => a.mean.total_cmp(&b.mean),
        (false, false) => a
            .weakest()
            .total_cmp(&b.weakest())
            .then(a.mean.total_cmp(&b.mean)),
    }
}

fn same_plan(model: &Model, a: &Plan, b: &Plan) -> bool {
    a.periods == b.periods
        && (0..model.features.len()).all(|f| a.start(model, f) == b.start(model, f))
}

/// Whether a planned feature is a commitment or a stretch goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// It ships in its planned period in at least the commit confidence's share of futures.
    Commit,
    /// Planned, but less sure than that.
    Stretch,
}

/// A candidate against the recommended plan on the reporting futures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateLine {
    pub name: String,
    pub npv_mean: f64,
    /// The candidate's NPV less the recommended plan's, trial by trial: mean and 95% interval.
    pub difference: Interval,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// The recommended plan confirmed on the scenario's own futures, which no step of the search
/// saw: its simulation, each feature's mark, the commitments below the confidence, and every
/// candidate's paired difference to it.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub result: simulate::SimResult,
    /// The recommended plan's NPV in each of the futures, trial by trial.
    pub npv: Vec<f64>,
    pub marks: Vec<Option<Mark>>,
    /// Commitments that hold in fewer than the commit confidence's share of futures.
    pub at_risk: Vec<Held>,
    pub candidates: Vec<CandidateLine>,
}

pub fn confirm(
    model: &Model,
    recommendation: &Recommendation,
    seed: u64,
    trials: u64,
    threads: Option<usize>,
    progress: &dyn Progress,
) -> Result<Confirmation, simulate::SimError> {
    let sampler = Arc::new(Engine::sampler_for(model, seed, Method::MonteCarlo, trials));
    let run = |plan: &Plan, progress: &dyn Progress| {
        let engine =
            Engine::with_sampler(model, &Schedule::Plan(plan.clone()), Arc::clone(&sampler));
        let options = SimOptions {
            trials,
            seed,
            threads,
            method: Method::MonteCarlo,
        };
        simulate::paired::run_keeping_npv(model, &engine, &options, progress)
    };
    let (result, npv) = run(&recommendation.plan, progress)?;
    let q = recommendation.commit_confidence;
    let marks = (0..model.features.len())
        .map(|f| {
            recommendation.plan.periods[f]?;
            let on_plan = result
                .features
                .iter()
                .find(|o| o.id == model.features[f].id)
                .and_then(|o| o.p_on_plan)
                .unwrap_or(0.0);
            Some(if on_plan + 1e-12 >= q {
                Mark::Commit
            } else {
                Mark::Stretch
            })
        })
        .collect();
    let at_risk = commitments(model, &recommendation.plan, &result)
        .into_iter()
        .filter(|h| h.share + 1e-12 < q)
        .collect();
    let others: Vec<Vec<f64>> = recommendation
        .candidates
        .par_iter()
        .map(|c| run(&c.plan, &Quiet).map(|(_, v)| v))
        .collect::<Result<_, _>>()?;
    let candidates = recommendation
        .candidates
        .iter()
        .zip(&others)
        .map(|(c, v)| {
            let (mean, se) = paired(v, &npv);
            CandidateLine {
                name: c.name.clone(),
                npv_mean: v.iter().sum::<f64>() / v.len().max(1) as f64,
                difference: Interval {
                    mean,
                    low: mean - 1.96 * se,
                    high: mean + 1.96 * se,
                },
            }
        })
        .collect();
    Ok(Confirmation {
        result,
        npv,
        marks,
        at_risk,
        candidates,
    })
}
