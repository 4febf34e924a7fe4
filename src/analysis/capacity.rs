//! The capacity check: per team and period, the work that commitments put there against
//! the capacity there is, before any plan is optimised.
//!
//! Committed work is every mandatory feature (due by the plan's end or its deadline),
//! every feature with a deadline, and everything those require, due early enough for
//! the lags. An any-of group commits none of its alternatives: a plan may deliver any one
//! of them, so no one of them is work every plan must do. Each committed feature's effort is spread evenly over the periods between
//! its earliest start and its due period; a team's commitments fit when, for every run
//! of periods, the work that must happen inside it is at most the capacity it holds.

use crate::model::plan::requirements_first;
use crate::model::{expect, Model, Status};
use crate::sample::{quantile, risk_draws, risk_variates, Method, RiskDraw, Sampler};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    Mandatory,
    Deadline,
    /// Needed by a mandatory feature.
    RequiredByMandatory,
    /// Needed by a feature with a deadline.
    RequiredByDeadline,
}

impl Commitment {
    /// Mandatory work must fit; deadline work only should.
    pub fn is_forced(self) -> bool {
        matches!(
            self,
            Commitment::Mandatory | Commitment::RequiredByMandatory
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CommittedFeature {
    pub feature: String,
    pub commitment: Commitment,
    /// 0-based window in which its work can happen.
    pub first_period: usize,
    pub due_period: usize,
    /// For mandatory work and what it requires, the period it is due by when only mandatory
    /// features pull it forward: an optional feature's deadline can be met by leaving that
    /// feature out, so it must not make mandatory work look impossible.
    #[serde(skip)]
    pub forced_due_period: Option<usize>,
}

impl CommittedFeature {
    /// The window the check counts this work in: only forced work, by its forced due period,
    /// when `forced_only`.
    fn window(&self, forced_only: bool) -> Option<(usize, usize)> {
        if forced_only {
            self.forced_due_period
                .map(|due| (self.first_period.min(due), due))
        } else {
            Some((self.first_period, self.due_period))
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodLoad {
    pub period: String,
    pub capacity_weeks: f64,
    /// Committed work falling in this period: mean and 80th percentile over the trials.
    pub committed_mean: f64,
    pub committed_p80: f64,
    /// Committed work due by the end of this period, against capacity up to then.
    pub due_by_end_mean: f64,
    pub due_by_end_p80: f64,
    pub capacity_to_date: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamLoad {
    pub team: String,
    pub name: String,
    pub periods: Vec<PeriodLoad>,
    pub capacity_weeks: f64,
    /// Mean capacity factor (attrition, support load).
    pub capacity_factor_mean: f64,
    /// Expected effort of the whole backlog on this team, committed or not.
    pub backlog_mean: f64,
    /// Share of trials in which all committed work of the team fits every window.
    pub p_fits: f64,
    pub p_fits_mandatory: f64,
}

/// A run of periods in which a team's commitments need more than it has, on average.
#[derive(Debug, Clone, Serialize)]
pub struct Shortfall {
    pub team: String,
    pub first_period: String,
    pub last_period: String,
    pub need_mean: f64,
    /// The same work at every estimate's lowest value and no risk events.
    pub need_low: f64,
    pub capacity_weeks: f64,
    pub short_weeks: f64,
    /// Only mandatory work (and what it requires) counted: the plan is infeasible.
    pub mandatory_only: bool,
    /// The features whose work must happen in the window, largest first (id, mean weeks).
    pub features: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetCheck {
    pub budget: f64,
    /// Expected cost of the mandatory features and what they require (a recurring cost at
    /// its least: shipped as late as it may be).
    pub mandatory_cost_mean: f64,
    pub committed_cost_mean: f64,
    /// What the teams whose cost is fixed cost over the plan, whatever it holds.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixed_team_cost: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl BudgetCheck {
    /// The least any plan spends: the fixed teams and the mandatory work.
    pub fn least_spend(&self) -> f64 {
        if self.fixed_team_cost == 0.0 {
            self.mandatory_cost_mean
        } else {
            self.fixed_team_cost + self.mandatory_cost_mean
        }
    }

    /// No plan fits the budget.
    pub fn exceeded(&self) -> bool {
        crate::model::exceeds(self.least_spend(), self.budget)
    }
}

/// A theme's share of the planned work (expected person-weeks of planned features), against
/// what its features can supply and what mandatory work forces.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeCheck {
    pub theme: String,
    pub min_share: f64,
    pub max_share: f64,
    /// Expected effort of all the theme's features: the most the theme can take.
    pub available_mean: f64,
    /// Expected effort of the theme's mandatory features and what they require: the least it
    /// will take.
    pub mandatory_mean: f64,
    /// The same outside the theme: all other features, and the mandatory ones among them.
    pub other_available_mean: f64,
    pub other_mandatory_mean: f64,
}

impl ThemeCheck {
    /// The largest share the theme can have: all its features, only the mandatory rest.
    pub fn best_share(&self) -> f64 {
        let total = self.available_mean + self.other_mandatory_mean;
        if total > 0.0 {
            self.available_mean / total
        } else {
            1.0
        }
    }

    /// The smallest share it can have: its mandatory work, everything else planned.
    pub fn least_share(&self) -> f64 {
        let total = self.mandatory_mean + self.other_available_mean;
        if total > 0.0 {
            self.mandatory_mean / total
        } else {
            0.0
        }
    }

    pub fn min_unreachable(&self) -> bool {
        self.best_share() + 1e-9 < self.min_share
    }

    pub fn max_exceeded(&self) -> bool {
        self.least_share() > self.max_share + 1e-9
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CapacityCheck {
    pub periods: Vec<String>,
    pub trials: u64,
    pub seed: u64,
    pub committed: Vec<CommittedFeature>,
    pub teams: Vec<TeamLoad>,
    pub shortfalls: Vec<Shortfall>,
    pub budget: Option<BudgetCheck>,
    pub themes: Vec<ThemeCheck>,
    /// Work done or under way when the plan starts; empty when the scenario says none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub started: Vec<StartedWork>,
    /// Capacity the plan may add that the check leaves out (pools, extra capacity): for each,
    /// its id, the teams it can help and the most person-weeks a period it can add.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_counted: Vec<NotCounted>,
}

/// Capacity only a plan can add: the optimizer places pools and buys extra capacity.
#[derive(Debug, Clone, Serialize)]
pub struct NotCounted {
    pub id: String,
    pub kind: &'static str,
    pub teams: Vec<String>,
    /// The most person-weeks it can add in a period, at full capacity factor.
    pub most_weeks_per_period: f64,
}

/// A feature done or in progress when the plan starts, as the capacity check counts it: done
/// work takes no capacity; of work in progress only what remains does.
#[derive(Debug, Clone, Serialize)]
pub struct StartedWork {
    pub feature: String,
    pub name: String,
    pub status: Status,
    /// Expected person-weeks left per team (risk efforts weighted by their probability);
    /// empty for done work.
    pub remaining: Vec<(String, f64)>,
    /// Why it is committed work, if it is.
    pub commitment: Option<Commitment>,
}

/// The done features, then those in progress with what they have left.
fn started_work(model: &Model, commit: &[Option<(Commitment, usize)>]) -> Vec<StartedWork> {
    let done = model.done.iter().map(|d| StartedWork {
        feature: d.id.clone(),
        name: d.name.clone(),
        status: Status::Done,
        remaining: Vec::new(),
        commitment: None,
    });
    let in_progress = model
        .features
        .iter()
        .enumerate()
        .filter(|(_, f)| f.status == Status::InProgress)
        .map(|(f, feature)| StartedWork {
            feature: feature.id.clone(),
            name: feature.name.clone(),
            status: feature.status,
            remaining: expect::effort_by_team(model, f)
                .into_iter()
                .enumerate()
                .filter(|(_, w)| *w > 0.0)
                .map(|(t, w)| (model.teams[t].id.clone(), w))
                .collect(),
            commitment: commit[f].map(|(c, _)| c),
        });
    done.chain(in_progress).collect()
}

impl CapacityCheck {
    pub fn is_feasible(&self) -> bool {
        !self.shortfalls.iter().any(|s| s.mandatory_only)
            && !self
                .themes
                .iter()
                .any(|t| t.min_unreachable() || t.max_exceeded())
            && self.budget.as_ref().is_none_or(|b| !b.exceeded())
    }
}

/// Which features are committed, why, and by when.
pub fn commitments(model: &Model) -> Vec<Option<(Commitment, usize)>> {
    let last = model.time.periods - 1;
    let mut out: Vec<Option<(Commitment, usize)>> = model
        .features
        .iter()
        .map(|f| match (f.mandatory, f.deadline) {
            // A soft deadline may be missed at a penalty, so only a hard one (or a soft
            // target's limit) brings mandatory work forward.
            (true, d) => Some((
                Commitment::Mandatory,
                d.and_then(|d| d.hard_period()).unwrap_or(last),
            )),
            (false, Some(d)) => Some((Commitment::Deadline, d.period)),
            _ => None,
        })
        .collect();
    // Prerequisites inherit the due period less the lag. Walking from what needs to what is
    // needed, each feature passes on its commitment once it has all of its own: one pass.
    for f in requirements_first(&model.features).into_iter().rev() {
        let Some((why, due)) = out[f] else { continue };
        for r in &model.features[f].requires {
            let need = due.saturating_sub(r.lag_periods);
            let inherited = if why.is_forced() {
                Commitment::RequiredByMandatory
            } else {
                Commitment::RequiredByDeadline
            };
            out[r.feature] = match out[r.feature] {
                None => Some((inherited, need)),
                Some((w, d)) => {
                    let w = if !w.is_forced() && why.is_forced() {
                        inherited
                    } else {
                        w
                    };
                    Some((w, d.min(need)))
                }
            };
        }
    }
    out
}

/// The period each mandatory feature, and each feature a mandatory one requires, must be
/// delivered by: the plan's last period, its own hard deadline, and its mandatory dependents'
/// due periods less their lags. Optional features' deadlines play no part: leaving the
/// optional feature out meets them.
pub fn forced_due(model: &Model) -> Vec<Option<usize>> {
    let last = model.time.periods - 1;
    let hard = |f: usize| {
        model.features[f]
            .deadline
            .and_then(|d| d.hard_period())
            .map_or(last, |due| due.min(last))
    };
    let mut due: Vec<Option<usize>> = (0..model.features.len())
        .map(|f| model.features[f].mandatory.then(|| hard(f)))
        .collect();
    // Dependents before their prerequisites, so one pass carries every chain.
    for f in crate::model::plan::topological_order(model)
        .into_iter()
        .rev()
    {
        let Some(d) = due[f] else { continue };
        for r in &model.features[f].requires {
            let need = d.saturating_sub(r.lag_periods).min(hard(r.feature));
            due[r.feature] = Some(due[r.feature].map_or(need, |x| x.min(need)));
        }
    }
    due
}

pub fn check(model: &Model, trials: u64, seed: u64) -> CapacityCheck {
    let commit = commitments(model);
    let (committed, index) = committed_features(model, &commit);
    let mut drawn = draw_trials(model, &committed, &index, trials, seed);
    let mut team_loads = Vec::new();
    let mut shortfalls = Vec::new();
    for t in 0..model.teams.len() {
        let capacity = expect::capacity(model, t);
        team_loads.push(team_load(
            model, t, &committed, &index, &capacity, &mut drawn, trials,
        ));
        shortfalls.extend(shortfall(model, t, &committed, &index, &capacity));
    }
    let budget = budget_check(model, &committed, &index);
    CapacityCheck {
        not_counted: not_counted(model),
        themes: theme_checks(model, &commit),
        started: started_work(model, &commit),
        periods: model.time.labels.clone(),
        trials,
        seed,
        committed,
        teams: team_loads,
        shortfalls,
        budget,
    }
}

/// The pools and extra-capacity options the check leaves out.
fn not_counted(model: &Model) -> Vec<NotCounted> {
    let pools = model.pools.iter().map(|p| NotCounted {
        id: p.id.clone(),
        kind: "pool",
        teams: p.teams.iter().map(|&k| model.teams[k].id.clone()).collect(),
        most_weeks_per_period: p.people as f64 * p.capacity_per_person,
    });
    let options = model.extra_capacity.iter().map(|o| NotCounted {
        id: o.id.clone(),
        kind: o.kind.name(),
        teams: vec![model.teams[o.team].id.clone()],
        most_weeks_per_period: o.people as f64 * o.capacity_per_person,
    });
    pools.chain(options).collect()
}

/// The committed features with their windows, and their indices among the model's features.
fn committed_features(
    model: &Model,
    commit: &[Option<(Commitment, usize)>],
) -> (Vec<CommittedFeature>, Vec<usize>) {
    let forced = forced_due(model);
    let committed: Vec<CommittedFeature> = commit
        .iter()
        .enumerate()
        .filter_map(|(f, c)| {
            let (commitment, due) = (*c)?;
            let first = model.features[f].earliest_period.unwrap_or(0).min(due);
            Some(CommittedFeature {
                feature: model.features[f].id.clone(),
                commitment,
                first_period: first,
                due_period: due,
                forced_due_period: forced[f],
            })
        })
        .collect();
    let index: Vec<usize> = commit
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_some())
        .map(|(f, _)| f)
        .collect();
    (committed, index)
}

/// The trials' committed work of each team and period, one value per trial, and in how many
/// trials each team's commitments fit.
struct Drawn {
    /// [team][period]: one value per trial.
    spread: Vec<Vec<Vec<f64>>>,
    due_by: Vec<Vec<Vec<f64>>>,
    fits: Vec<u64>,
    fits_mandatory: Vec<u64>,
}

/// A risk effort a trial reads: its slot in the trial's effort, the risk's variate, the
/// risk's probability and the effort's input.
type RiskySlot = (usize, RiskDraw, usize);

/// What a trial reads, gathered once so that trials do not walk a large backlog's features:
/// each committed effort's slot in `effort` and input, then each risk effort's with the
/// risk's draw. A slot takes its base efforts, then its risks' in order.
fn trial_reads(model: &Model, index: &[usize]) -> (Vec<(usize, usize)>, Vec<RiskySlot>) {
    let teams = model.teams.len();
    let draws = risk_draws(model);
    let mut first_risk = Vec::with_capacity(model.features.len());
    let mut count = 0;
    for feature in &model.features {
        first_risk.push(count);
        count += feature.risks.len();
    }
    let mut base = Vec::new();
    let mut risky = Vec::new();
    for (k, &f) in index.iter().enumerate() {
        let feature = &model.features[f];
        for e in &feature.effort {
            base.push((k * teams + e.team, e.weeks.0 as usize));
        }
        for (r, risk) in feature.risks.iter().enumerate() {
            for e in &risk.effort {
                risky.push((
                    k * teams + e.team,
                    draws[first_risk[f] + r],
                    e.weeks.0 as usize,
                ));
            }
        }
    }
    (base, risky)
}

/// Draws the committed work of every trial and spreads it over the windows.
fn draw_trials(
    model: &Model,
    committed: &[CommittedFeature],
    index: &[usize],
    trials: u64,
    seed: u64,
) -> Drawn {
    let (teams, periods) = (model.teams.len(), model.time.periods);
    // The simulator's sampler: the same draws of each input (by name) as `simulate`, with the
    // scenario's rank correlations.
    let risk_names = risk_variates(model);
    // Only the committed features' efforts and the capacity factors are read: in a large
    // backlog most estimates are neither tabulated nor drawn.
    let read: Vec<u32> = index
        .iter()
        .flat_map(|&f| {
            let feature = &model.features[f];
            feature
                .effort
                .iter()
                .chain(feature.risks.iter().flat_map(|r| r.effort.iter()))
                .map(|e| e.weeks.0)
        })
        .chain(model.teams.iter().map(|t| t.capacity_factor.0))
        .collect();
    let sampler = Sampler::only(model, seed, Method::MonteCarlo, trials, &risk_names, &read);
    let (base, risky) = trial_reads(model, index);
    let on_team = on_team(model, index);
    // Trials run in chunks spread over threads; each chunk's results are appended in chunk
    // order, so every number is the same on any number of threads.
    let chunks: Vec<Tally> = (0..trials.div_ceil(CHUNK_TRIALS))
        .into_par_iter()
        .map_init(
            || {
                (
                    sampler.buffers(),
                    // Committed effort of a trial, [committed feature * teams + team].
                    vec![0.0; index.len() * teams],
                    vec![0.0; teams],
                )
            },
            |(draws, effort, factors), chunk| {
                let first = chunk * CHUNK_TRIALS;
                let trials = first..(first + CHUNK_TRIALS).min(trials);
                let mut tally = Tally::new(teams, periods, trials.end - trials.start);
                for trial in trials {
                    sampler.draw(trial, draws);
                    effort.iter_mut().for_each(|e| *e = 0.0);
                    for &(slot, input) in &base {
                        // Efforts cannot be negative, whatever tail the distribution has.
                        effort[slot] += draws.values[input].max(0.0);
                    }
                    for &(slot, draw, input) in &risky {
                        if draw.occurs(&draws.extra) {
                            effort[slot] += draws.values[input].max(0.0);
                        }
                    }
                    for (t, team) in model.teams.iter().enumerate() {
                        factors[t] = draws.values[team.capacity_factor.0 as usize].max(0.0);
                    }
                    tally.record(model, committed, &on_team, effort, factors);
                }
                tally
            },
        )
        .collect();
    merge(chunks, teams, periods, trials)
}

/// The chunks' per-trial results, in chunk order.
fn merge(chunks: Vec<Tally>, teams: usize, periods: usize, trials: u64) -> Drawn {
    let mut spread = vec![vec![Vec::with_capacity(trials as usize); periods]; teams];
    let mut due_by = vec![vec![Vec::with_capacity(trials as usize); periods]; teams];
    let mut fits = vec![0u64; teams];
    let mut fits_mandatory = vec![0u64; teams];
    for chunk in chunks {
        for t in 0..teams {
            for p in 0..periods {
                spread[t][p].extend_from_slice(&chunk.spread[t][p]);
                due_by[t][p].extend_from_slice(&chunk.due_by[t][p]);
            }
            fits[t] += chunk.fits[t];
            fits_mandatory[t] += chunk.fits_mandatory[t];
        }
    }
    Drawn {
        spread,
        due_by,
        fits,
        fits_mandatory,
    }
}

/// Team `t`'s committed work against its expected capacity (`capacity`, [period]), period by
/// period.
fn team_load(
    model: &Model,
    t: usize,
    committed: &[CommittedFeature],
    index: &[usize],
    capacity: &[f64],
    drawn: &mut Drawn,
    trials: u64,
) -> TeamLoad {
    let periods = model.time.periods;
    let team = &model.teams[t];
    let factor_mean = expect::capacity_factor(model, t);
    // Means from the expectations rather than the trials, so `validate` (fewer trials)
    // and `capacity` print the same committed figures; the P80s come from the trials.
    let mut spread_mean = vec![0.0; periods];
    let mut due_mean = vec![0.0; periods];
    for (k, c) in committed.iter().enumerate() {
        let w = expect::effort_on_team(model, index[k], t);
        let span = (c.due_period - c.first_period + 1) as f64;
        for s in &mut spread_mean[c.first_period..=c.due_period] {
            *s += w / span;
        }
        due_mean[c.due_period] += w;
    }
    let mut to_date = 0.0;
    let mut due_to_date = 0.0;
    let loads = (0..periods)
        .map(|p| {
            to_date += capacity[p];
            due_to_date += due_mean[p];
            PeriodLoad {
                period: model.time.labels[p].clone(),
                capacity_weeks: capacity[p],
                committed_mean: spread_mean[p],
                committed_p80: quantile(&mut drawn.spread[t][p], 0.8),
                due_by_end_mean: due_to_date,
                due_by_end_p80: quantile(&mut drawn.due_by[t][p], 0.8),
                capacity_to_date: to_date,
            }
        })
        .collect();
    // Expected effort including risk events, on the same basis as the committed figures.
    let backlog_mean = (0..model.features.len())
        .map(|f| expect::effort_on_team(model, f, t))
        .sum();
    TeamLoad {
        team: team.id.clone(),
        name: team.name.clone(),
        periods: loads,
        capacity_weeks: model.total_capacity_weeks(t) * factor_mean,
        capacity_factor_mean: factor_mean,
        backlog_mean,
        p_fits: drawn.fits[t] as f64 / trials.max(1) as f64,
        p_fits_mandatory: drawn.fits_mandatory[t] as f64 / trials.max(1) as f64,
    }
}

/// The run of periods in which team `t`'s commitments need the most beyond its expected
/// capacity (`capacity`, [period]): mandatory work first, as a mandatory shortfall already
/// explains the team; deadline work only when mandatory work fits.
fn shortfall(
    model: &Model,
    t: usize,
    committed: &[CommittedFeature],
    index: &[usize],
    capacity: &[f64],
) -> Option<Shortfall> {
    // Expected and lowest-case needs decide whether the commitments can fit at all.
    let mean_effort = |k: usize| expect::effort_on_team(model, index[k], t);
    let low_effort = |k: usize| {
        model.features[index[k]]
            .effort
            .iter()
            .filter(|e| e.team == t)
            .map(|e| model.dist(e.weeks).min().max(0.0))
            .sum::<f64>()
    };
    [true, false].into_iter().find_map(|forced_only| {
        let (a, b, need, have) = window_excess(committed, mean_effort, capacity, forced_only)?;
        let inside = |k: &usize| {
            committed[*k]
                .window(forced_only)
                .is_some_and(|(first, due)| first >= a && due <= b)
        };
        let mut features: Vec<(String, f64)> = (0..committed.len())
            .filter(inside)
            .map(|k| (committed[k].feature.clone(), mean_effort(k)))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        features.sort_by(|x, y| y.1.total_cmp(&x.1));
        let need_low = (0..committed.len()).filter(inside).map(low_effort).sum();
        Some(Shortfall {
            team: model.teams[t].id.clone(),
            first_period: model.time.labels[a].clone(),
            last_period: model.time.labels[b].clone(),
            need_mean: need,
            need_low,
            capacity_weeks: have,
            short_weeks: need - have,
            mandatory_only: forced_only,
            features,
        })
    })
}

fn budget_check(
    model: &Model,
    committed: &[CommittedFeature],
    index: &[usize],
) -> Option<BudgetCheck> {
    model.budget.map(|budget| {
        let cost = |f: usize| match model.features[f].recurring_cost {
            Some(_) => expect::spend(model, f) + expect::least_recurring_spend(model, f),
            None => expect::spend(model, f),
        };
        BudgetCheck {
            budget,
            mandatory_cost_mean: committed
                .iter()
                .zip(index)
                .filter(|(c, _)| c.commitment.is_forced())
                .map(|(_, &f)| cost(f))
                .sum(),
            committed_cost_mean: index.iter().map(|&f| cost(f)).sum(),
            fixed_team_cost: expect::fixed_team_spend(model),
        }
    })
}

fn theme_checks(model: &Model, commit: &[Option<(Commitment, usize)>]) -> Vec<ThemeCheck> {
    // Expected person-weeks of each feature, risk efforts weighted by their probability, as the
    // optimizer counts theme shares.
    let weeks: Vec<f64> = (0..model.features.len())
        .map(|f| expect::effort_weeks(model, f))
        .collect();
    model
        .themes
        .iter()
        .enumerate()
        .map(|(k, theme)| {
            let effort = |in_theme: bool, forced_only: bool| -> f64 {
                model
                    .features
                    .iter()
                    .enumerate()
                    .filter(|(f, x)| {
                        (x.theme == Some(k)) == in_theme
                            && (!forced_only || commit[*f].is_some_and(|c| c.0.is_forced()))
                    })
                    .map(|(f, _)| weeks[f])
                    .sum()
            };
            ThemeCheck {
                theme: theme.id.clone(),
                min_share: theme.min_share,
                max_share: theme.max_share,
                available_mean: effort(true, false),
                mandatory_mean: effort(true, true),
                other_available_mean: effort(false, false),
                other_mandatory_mean: effort(false, true),
            }
        })
        .collect()
}

/// Per team, the committed features (by position in `index`) that can put work on it, in
/// order: the others add nothing to its sums, and in a large backlog each feature touches a
/// team or two of many.
fn on_team(model: &Model, index: &[usize]) -> Vec<Vec<usize>> {
    let mut on_team = vec![Vec::new(); model.teams.len()];
    for (k, &f) in index.iter().enumerate() {
        let feature = &model.features[f];
        let mut teams: Vec<usize> = feature
            .effort
            .iter()
            .chain(feature.risks.iter().flat_map(|r| r.effort.iter()))
            .map(|e| e.team)
            .collect();
        teams.sort_unstable();
        teams.dedup();
        for t in teams {
            on_team[t].push(k);
        }
    }
    on_team
}

/// Trials of the capacity check per chunk of parallel work.
const CHUNK_TRIALS: u64 = 128;

/// Per-trial results of a chunk of trials, gathered for the percentiles and fit rates, and the
/// buffers a trial reuses.
struct Tally {
    /// [team][period]: one value per trial.
    spread: Vec<Vec<Vec<f64>>>,
    due_by: Vec<Vec<Vec<f64>>>,
    fits: Vec<u64>,
    fits_mandatory: Vec<u64>,
    per_period: Vec<f64>,
    due: Vec<f64>,
    capacity: Vec<f64>,
    /// Work whose window is exactly [first, due], [first * periods + due]: all committed work,
    /// and only the forced part.
    work: Vec<f64>,
    forced_work: Vec<f64>,
}

impl Tally {
    fn new(teams: usize, periods: usize, trials: u64) -> Self {
        let per_trial = vec![vec![Vec::with_capacity(trials as usize); periods]; teams];
        Tally {
            spread: per_trial.clone(),
            due_by: per_trial,
            fits: vec![0; teams],
            fits_mandatory: vec![0; teams],
            per_period: vec![0.0; periods],
            due: vec![0.0; periods],
            capacity: vec![0.0; periods],
            work: vec![0.0; periods * periods],
            forced_work: vec![0.0; periods * periods],
        }
    }

    /// Spreads one trial's committed effort ([committed feature * teams + team]) over each
    /// feature's window and checks every window; `on_team` is [`on_team`].
    fn record(
        &mut self,
        model: &Model,
        committed: &[CommittedFeature],
        on_team: &[Vec<usize>],
        effort: &[f64],
        factors: &[f64],
    ) {
        let periods = model.time.periods;
        let teams = model.teams.len();
        for (t, team) in model.teams.iter().enumerate() {
            self.per_period.iter_mut().for_each(|v| *v = 0.0);
            self.due.iter_mut().for_each(|v| *v = 0.0);
            self.work.iter_mut().for_each(|v| *v = 0.0);
            self.forced_work.iter_mut().for_each(|v| *v = 0.0);
            for &k in &on_team[t] {
                let c = &committed[k];
                let w = effort[k * teams + t];
                let span = (c.due_period - c.first_period + 1) as f64;
                for p in self
                    .per_period
                    .iter_mut()
                    .take(c.due_period + 1)
                    .skip(c.first_period)
                {
                    *p += w / span;
                }
                self.due[c.due_period] += w;
                let cell = c.first_period * periods + c.due_period;
                self.work[cell] += w;
                if c.commitment.is_forced() {
                    self.forced_work[cell] += w;
                }
            }
            let mut cumulative = 0.0;
            for p in 0..periods {
                self.spread[t][p].push(self.per_period[p]);
                cumulative += self.due[p];
                self.due_by[t][p].push(cumulative);
            }
            for (c, weeks) in self.capacity.iter_mut().zip(&team.capacity_weeks) {
                *c = weeks * factors[t];
            }
            if worst_window(&self.work, &self.capacity).is_none() {
                self.fits[t] += 1;
            }
            if worst_window(&self.forced_work, &self.capacity).is_none() {
                self.fits_mandatory[t] += 1;
            }
        }
    }
}

/// The run of periods [a, b] where committed work exceeds capacity the most, if any:
/// (a, b, need, capacity).
fn window_excess(
    committed: &[CommittedFeature],
    effort: impl Fn(usize) -> f64,
    capacity: &[f64],
    forced_only: bool,
) -> Option<(usize, usize, f64, f64)> {
    let periods = capacity.len();
    // Committed work whose window is exactly [first, due]; every window's need then comes from
    // these P x P sums instead of a pass over the features.
    let mut work = vec![0.0; periods * periods];
    for (k, c) in committed.iter().enumerate() {
        if let Some((first, due)) = c.window(forced_only) {
            work[first * periods + due] += effort(k);
        }
    }
    worst_window(&work, capacity)
}

/// The worst window of [`window_excess`], from the work of each exact window
/// ([first * periods + due]).
fn worst_window(work: &[f64], capacity: &[f64]) -> Option<(usize, usize, f64, f64)> {
    let periods = capacity.len();
    let mut worst: Option<(usize, usize, f64, f64)> = None;
    for a in 0..periods {
        let (mut have, mut need) = (0.0, 0.0);
        for b in a..periods {
            have += capacity[b];
            need += (a..=b).map(|f| work[f * periods + b]).sum::<f64>();
            let excess = need - have;
            if crate::model::exceeds(need, have) && worst.is_none_or(|w| excess > w.2 - w.3) {
                worst = Some((a, b, need, have));
            }
        }
    }
    worst
}
