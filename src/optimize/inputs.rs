//! The numbers a formulation is built from: delivery windows, the work each feature needs
//! from each team, team capacity, and the money of delivering each feature or winning each
//! deal in each period. Deterministic and robust modes have one set of numbers (expected, or
//! at a quantile); the stochastic mode has one per sampled scenario.
//!
//! Money follows scenarios/README.md "How value and cost are counted" through the shared
//! [`MoneyCalendar`], so that an objective and a simulated NPV mean the same thing.

// Features, teams, periods and scenarios index several parallel tables at once; index
// loops say which table is which more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

use crate::model::time::WEEKS_PER_MONTH;
use crate::model::value::MoneyCalendar;
use crate::model::{expect, plan::topological_order, DeadlineKind, Model, RecurringFrom};
use crate::plan_check::{period_of_weeks, CheckBasis};
use crate::sample::{risk_variates, Method, Sampler};

/// Draws used to find the quantile of a total that includes risk events (robust mode).
const QUANTILE_DRAWS: u64 = 4096;

/// Periods in which a feature can be worked on and delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First period in which work may happen (its `earliest` period).
    pub open: usize,
    /// First period it can be delivered in: after its earliest start plus lead time, and after
    /// what it requires plus the lags (for an any-of group, its soonest alternative).
    pub first: usize,
    /// Last period it may be delivered in: its hard deadline or the plan's end.
    pub last: usize,
}

/// The money and work of one future: the expected one, one at a quantile, or one scenario.
#[derive(Debug, Clone)]
pub struct World {
    /// Person-weeks each feature needs from each team, [feature][team].
    pub effort: Vec<Vec<f64>>,
    /// Person-weeks each team has in each period, [team][period].
    pub capacity: Vec<Vec<f64>>,
    /// Each team's capacity factor in this world: the weeks of people a plan buys are scaled
    /// by it as the team's own are.
    pub factor: Vec<f64>,
    /// Each pool's capacity factor in this world.
    pub pool_factor: Vec<f64>,
    /// Net money of delivering each feature at the end of each period of its window, indexed
    /// [feature][period - window.first]: discounted value, less its one-off costs and
    /// soft-deadline penalties. Team time is separate (see `week_cost`).
    pub delivery: Vec<Vec<f64>>,
    /// Discounted money of each deal when it completes in period t (its last feature ships,
    /// or its `need`-th), less its late penalties, [deal][t]; no entries after the last period
    /// it can be won in.
    pub deal: Vec<Vec<f64>>,
    /// Currency per planned person-week of each feature on each team, before discounting:
    /// the team's cost per week, scaled when planned work differs from expected work.
    pub week_cost: Vec<Vec<f64>>,
}

/// How one sampled future treats a planned feature, beyond its World: what the stochastic
/// mode's second stage needs to release features as `simulate` does, late when the future's
/// work or waits do not fit the plan.
#[derive(Debug, Clone)]
pub struct Future {
    /// Money of releasing each feature at the end of each period from its window's first to
    /// the plan's last, [feature][period - window.first]: discounted value less soft-deadline
    /// penalties. A hard deadline does not end it: a late feature still ships and earns.
    pub release: Vec<Vec<f64>>,
    /// Money of a planned feature that is not released within the plan: the soft-deadline
    /// penalty through one period past the plan, as the simulator counts it.
    pub unreleased: Vec<f64>,
    /// Discounted one-off costs of planning each feature in each period of its window,
    /// [feature][period - window.first], paid at the planned start whatever happens after.
    pub one_off: Vec<Vec<f64>>,
    /// Weeks from the planned start before the feature may be released: its vendor lead time
    /// plus the delays of the risks that happened.
    pub wait: Vec<f64>,
    /// When the vendor part is ready in this future, in weeks from the plan start (its date
    /// plus the slip drawn); negative infinity without a ready date.
    pub ready: Vec<f64>,
}

/// Everything a formulation needs.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub periods: usize,
    pub windows: Vec<Option<Window>>,
    /// The planning world (deterministic and robust modes; the expectation in stochastic mode).
    pub world: World,
    /// Sampled scenarios (stochastic mode only).
    pub scenarios: Vec<World>,
    /// What each sampled scenario does to a planned feature's release (stochastic mode only,
    /// parallel to `scenarios`).
    pub futures: Vec<Future>,
    /// Expected undiscounted spend of each feature, as the budget counts it, but for its
    /// recurring cost (below).
    pub spend: Vec<f64>,
    /// Expected recurring spend within the plan of each feature delivered in each period of
    /// its window, [feature][period - window.first]; empty for a feature without one.
    pub recurring_spend: Vec<Vec<f64>>,
    /// Undiscounted and discounted cost of the teams whose cost is fixed: every plan pays it.
    pub fixed_spend: f64,
    pub fixed_cost: f64,
    /// Expected person-weeks of each feature over all teams, as theme shares count them.
    pub share_weeks: Vec<f64>,
    /// Discount factor of a team's work spread over each period.
    pub period_flow_discount: Vec<f64>,
    /// Lead weeks used for the windows.
    pub lead_weeks: Vec<f64>,
    /// Vendor ready moments used for the windows, weeks from the plan start (negative infinity
    /// without a ready date).
    pub ready_weeks: Vec<f64>,
    /// Expected one-off costs of each feature (paid at its start); the rest of its spend is
    /// team time, booked in its delivery period. The budget per period books them so.
    pub one_off_spend: Vec<f64>,
}

impl Inputs {
    /// Expected spend of feature `f` delivered in period `t` (inside its window), as the
    /// budget counts it.
    pub fn spend_at(&self, f: usize, t: usize) -> f64 {
        let recurring = match (&self.windows[f], self.recurring_spend[f].is_empty()) {
            (Some(w), false) => self.recurring_spend[f][t.clamp(w.first, w.last) - w.first],
            _ => return self.spend[f],
        };
        self.spend[f] + recurring
    }

    /// The numbers the plan's constraints were checked against.
    pub fn basis(&self) -> CheckBasis {
        CheckBasis {
            effort: self.world.effort.clone(),
            capacity: self.world.capacity.clone(),
            capacity_factor: self.world.factor.clone(),
            pool_factor: self.world.pool_factor.clone(),
            lead_weeks: self.lead_weeks.clone(),
            ready_weeks: self.ready_weeks.clone(),
        }
    }
}

/// How uncertain numbers become planning numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    Expected,
    /// Efforts and lead times at this quantile, capacity at the opposite one.
    Quantile(f64),
}

fn expected_lead(model: &Model) -> Vec<f64> {
    (0..model.features.len())
        .map(|f| expect::lead_weeks(model, f))
        .collect()
}

/// Efforts [feature][team] and capacities [team][period] that no plan may exceed.
#[derive(Debug, Clone, Copy)]
pub struct Fit<'a> {
    pub effort: &'a [Vec<f64>],
    pub capacity: &'a [Vec<f64>],
}

/// Delivery windows: prerequisites first, so each feature's first period accounts for them.
/// With `fit` (efforts and capacities that no plan may exceed), a feature also cannot be
/// delivered before the period by which each of its teams could have done its work alone,
/// from its earliest period on: a bound every plan meets, which keeps the LP from delivering
/// fractions of large features too early.
pub fn windows(
    model: &Model,
    lead_weeks: &[f64],
    ready_weeks: &[f64],
    fit: Option<Fit>,
) -> Vec<Option<Window>> {
    let periods = model.time.periods;
    let w = model.time.period_weeks;
    let mut windows: Vec<Option<Window>> = vec![None; model.features.len()];
    for f in topological_order(model) {
        let feature = &model.features[f];
        let open = feature.earliest_period.unwrap_or(0);
        if open >= periods {
            continue;
        }
        // Each stage after the first takes at least a period of its own.
        let mut first = open + feature.stages.len().saturating_sub(1);
        if lead_weeks[f] > 0.0 {
            first = first.max(period_of_weeks(open as f64 * w + lead_weeks[f], w));
        }
        // A vendor's ready date binds whatever the start: no delivery before the period it
        // (with its slip) falls in.
        if let Some(&ready) = ready_weeks.get(f).filter(|r| **r > 0.0) {
            first = first.max(period_of_weeks(ready, w));
        }
        if let Some(fit) = fit {
            for (k, team) in fit.capacity.iter().enumerate() {
                let need = fit.effort[f][k];
                if need <= 0.0 {
                    continue;
                }
                let mut have = 0.0;
                let done = (open..periods).find(|&t| {
                    have += team[t];
                    !crate::model::exceeds(need, have)
                });
                first = first.max(done.unwrap_or(periods));
            }
        }
        let mut reachable = true;
        for req in &feature.requires {
            match windows[req.feature] {
                Some(g) => first = first.max(g.first + req.lag_periods),
                None => reachable = false,
            }
        }
        // An any-of group waits for the alternative that can be delivered first.
        for group in &feature.requires_any {
            match group.first_delivered(|g| windows[g].map(|w| w.first)) {
                Some((_, soonest)) => first = first.max(soonest + group.lag_periods),
                None => reachable = false,
            }
        }
        let mut last = periods - 1;
        if let Some(due) = feature.deadline.and_then(|d| d.hard_period()) {
            last = last.min(due);
        }
        if reachable && first <= last {
            windows[f] = Some(Window { open, first, last });
        }
    }
    windows
}

/// What one future's draws (or expectations) say about a feature: enough to price it.
struct FeatureMoney {
    /// Monthly value at full adoption by group: direct first, then per uplift (with its
    /// segment's growth and, for a customer stock, its retention).
    direct: f64,
    uplifts: Vec<(f64, f64, Option<f64>)>,
    keep: f64,
    one_off: f64,
    recurring: Option<expect::Recurring>,
}

struct Pricing<'a> {
    model: &'a Model,
    calendar: MoneyCalendar,
    no_ramp: usize,
}

impl<'a> Pricing<'a> {
    fn new(model: &'a Model) -> Self {
        let ramps: Vec<f64> = model.features.iter().map(|f| f.ramp_months).collect();
        let calendar = MoneyCalendar::new(&model.time, &ramps);
        let no_ramp = calendar.ramp_index(0.0);
        Pricing {
            model,
            calendar,
            no_ramp,
        }
    }

    /// When a feature delivered in `period` pays its one-off costs (months from the plan
    /// start): at the start of its planned start period, the latest that leaves its lead time
    /// before the period ends (TimeFrame::planned_start), as the simulator pays them.
    fn cost_months(&self, f: usize, period: usize, lead_weeks: f64) -> f64 {
        let time = &self.model.time;
        let open = self.model.features[f].earliest_period.unwrap_or(0);
        time.planned_start(open, period, lead_weeks) as f64 * time.period_weeks / WEEKS_PER_MONTH
    }

    /// Discounted recurring cost of `f` delivered in `period`: from its release, or from its
    /// start (as its one-off costs), to the horizon.
    fn recurring(&self, f: usize, period: usize, lead_weeks: f64, r: &expect::Recurring) -> f64 {
        let time = &self.model.time;
        let open = self.model.features[f].earliest_period.unwrap_or(0);
        let start = time.planned_start(open, period, lead_weeks);
        r.discounted_from(&self.calendar, r.from_months(time, period, start))
    }

    /// Discounted value less soft penalties of releasing `f` in each period from `first` to
    /// the plan's last, and less a recurring cost that runs from the release.
    fn release(&self, f: usize, first: usize, money: &FeatureMoney) -> Vec<f64> {
        let feature = &self.model.features[f];
        let cal = &self.calendar;
        let ramp = cal.ramp_index(feature.ramp_months);
        (first..self.model.time.periods)
            .map(|t| {
                let mut value = money.direct * cal.annuity[t][ramp];
                for &(won, growth, retention) in &money.uplifts {
                    value += won * cal.segment_annuity(t, ramp, growth, retention);
                }
                let net = value * money.keep - self.penalty(f, t);
                match money.recurring {
                    Some(r) if r.from == RecurringFrom::Release => {
                        net - r.discounted_from(cal, self.model.time.period_end_months(t))
                    }
                    _ => net,
                }
            })
            .collect()
    }

    /// Soft-deadline penalty of releasing `f` in period `t`; `t` = the number of periods: not
    /// released within the plan.
    fn penalty(&self, f: usize, t: usize) -> f64 {
        let feature = &self.model.features[f];
        match feature.deadline.map(|d| (d.period, d.kind)) {
            Some((due, DeadlineKind::Soft { penalty_per_period })) => (due + 1..=t)
                .map(|s| {
                    let months = self.model.time.period_end_months(s);
                    penalty_per_period * self.calendar.discount_at(months)
                })
                .sum(),
            _ => 0.0,
        }
    }

    /// Net money of delivering `f` in each period of its window.
    fn delivery(
        &self,
        f: usize,
        window: &Window,
        money: &FeatureMoney,
        lead_weeks: f64,
    ) -> Vec<f64> {
        let feature = &self.model.features[f];
        let cal = &self.calendar;
        let ramp = cal.ramp_index(feature.ramp_months);
        let soft = feature.deadline.and_then(|d| match d.kind {
            DeadlineKind::Soft { penalty_per_period } => Some((d.period, penalty_per_period)),
            DeadlineKind::Hard => None,
        });
        (window.first..=window.last)
            .map(|t| {
                let mut value = money.direct * cal.annuity[t][ramp];
                for &(won, growth, retention) in &money.uplifts {
                    value += won * cal.segment_annuity(t, ramp, growth, retention);
                }
                value *= money.keep;
                let cost = money.one_off * cal.discount_at(self.cost_months(f, t, lead_weeks));
                let penalty = soft.map_or(0.0, |(due, per_period)| {
                    (due + 1..=t)
                        .map(|s| per_period * cal.period_end_discount[s])
                        .sum()
                });
                match &money.recurring {
                    Some(r) => value - cost - penalty - self.recurring(f, t, lead_weeks, r),
                    None => value - cost - penalty,
                }
            })
            .collect()
    }

    /// Discounted money a plan pays at the planned start of `f` delivered in each period of its
    /// window, whatever happens after: its one-off costs, and a recurring cost from the start.
    fn at_start(&self, f: usize, w: &Window, money: &FeatureMoney, lead_weeks: f64) -> Vec<f64> {
        (w.first..=w.last)
            .map(|t| {
                let months = self.cost_months(f, t, lead_weeks);
                let one_off = money.one_off * self.calendar.discount_at(months);
                match money.recurring {
                    Some(r) if r.from == RecurringFrom::Start => {
                        one_off + self.recurring(f, t, lead_weeks, &r)
                    }
                    _ => one_off,
                }
            })
            .collect()
    }

    /// What deal `d` pays when it completes in each period it can still be won in: its
    /// one-off then, its monthly payments from then, less its late penalty at the end of each
    /// period after its date.
    fn deal(&self, d: usize, one_off: f64, monthly: f64) -> Vec<f64> {
        let deal = &self.model.deals[d];
        let last = deal
            .last_period()
            .unwrap_or(usize::MAX)
            .min(self.model.time.periods - 1);
        let penalty = deal.late_penalty.unwrap_or(0.0);
        (0..=last)
            .map(|t| {
                let late: f64 = deal
                    .late_periods(t)
                    .map(|s| penalty * self.calendar.period_end_discount[s])
                    .sum();
                one_off * self.calendar.period_end_discount[t]
                    + monthly * self.calendar.annuity[t][self.no_ramp]
                    - late
            })
            .collect()
    }

    fn expected_money(&self, f: usize) -> FeatureMoney {
        let model = self.model;
        let feature = &model.features[f];
        FeatureMoney {
            direct: feature.value_monthly.map_or(0.0, |v| model.mean(v)),
            uplifts: feature
                .uplift
                .iter()
                .map(|u| {
                    let s = &model.segments[u.segment];
                    (
                        model.mean(s.demand) * model.mean(u.fraction) * model.mean(s.price),
                        model.mean(s.growth),
                        s.retention.map(|r| model.mean(r)),
                    )
                })
                .collect(),
            keep: expect::value_kept(model, f),
            one_off: expect::one_off_cost(model, f),
            recurring: expect::recurring(model, f),
        }
    }
}

/// Deterministic (expected) or robust (quantile) inputs.
pub fn planning(model: &Model, estimate: Estimate, seed: u64) -> Inputs {
    planning_with(model, estimate, seed, true)
}

fn planning_with(model: &Model, estimate: Estimate, seed: u64, prune: bool) -> Inputs {
    let expected = expect::efforts(model);
    let (effort, mut factor, lead, ready) = match estimate {
        Estimate::Expected => (
            expected.clone(),
            (0..model.teams.len())
                .map(|t| expect::capacity_factor(model, t))
                .chain(model.pools.iter().map(|p| model.mean(p.capacity_factor)))
                .collect(),
            expected_lead(model),
            (0..model.features.len())
                .map(|f| expect::ready_weeks(model, f))
                .collect(),
        ),
        Estimate::Quantile(q) => {
            let (effort, factor, lead) = quantile_estimates(model, q, seed);
            let ready = quantile_ready(model, q, seed);
            (effort, factor, lead, ready)
        }
    };
    let capacity = capacities(model, &factor);
    let pool_factor: Vec<f64> = factor.split_off(model.teams.len());
    let week_cost: Vec<Vec<f64>> = model
        .features
        .iter()
        .enumerate()
        .map(|(f, _)| {
            model
                .teams
                .iter()
                .enumerate()
                .map(|(k, team)| {
                    // Planned work may exceed expected work (robust mode); the money stays at
                    // the expectation, so each planned week costs proportionally less.
                    let rate = expect::variable_rate(team);
                    if effort[f][k] > 0.0 {
                        rate * expected[f][k] / effort[f][k]
                    } else {
                        rate
                    }
                })
                .collect()
        })
        .collect();
    // The stochastic mode builds on these windows, and its scenarios may have more capacity
    // (or overtime), so only the deterministic and robust modes prune by capacity.
    // The capacity no plan can exceed includes every person the plan could buy or borrow.
    let most_capacity =
        crate::model::staffing::most_capacity(model, &capacity, &factor, &pool_factor);
    let windows = match prune {
        true => windows(
            model,
            &lead,
            &ready,
            Some(Fit {
                effort: &effort,
                capacity: &most_capacity,
            }),
        ),
        false => windows(model, &lead, &ready, None),
    };
    let pricing = Pricing::new(model);
    let delivery = windows
        .iter()
        .enumerate()
        .map(|(f, w)| match w {
            Some(w) => pricing.delivery(f, w, &pricing.expected_money(f), lead[f]),
            None => Vec::new(),
        })
        .collect();
    let deal = (0..model.deals.len())
        .map(|d| {
            let deal = &model.deals[d];
            pricing.deal(
                d,
                deal.one_off.map_or(0.0, |v| model.mean(v)),
                deal.monthly.map_or(0.0, |v| model.mean(v)),
            )
        })
        .collect();
    let recurring_spend = windows
        .iter()
        .enumerate()
        .map(
            |(f, w)| match (w, model.features[f].recurring_cost.is_some()) {
                (Some(w), true) => (w.first..=w.last)
                    .map(|t| {
                        let start = model.time.planned_start(w.open, t, lead[f]);
                        expect::recurring_spend(model, f, t, start)
                    })
                    .collect(),
                _ => Vec::new(),
            },
        )
        .collect();
    Inputs {
        periods: model.time.periods,
        windows,
        world: World {
            effort,
            capacity,
            factor,
            pool_factor,
            delivery,
            deal,
            week_cost,
        },
        scenarios: Vec::new(),
        futures: Vec::new(),
        spend: (0..model.features.len())
            .map(|f| expect::spend(model, f))
            .collect(),
        recurring_spend,
        fixed_spend: expect::fixed_team_spend(model),
        fixed_cost: expect::fixed_team_cost(model, &pricing.calendar.period_flow_discount),
        share_weeks: expected.iter().map(|row| row.iter().sum()).collect(),
        period_flow_discount: pricing.calendar.period_flow_discount.clone(),
        lead_weeks: lead,
        ready_weeks: ready,
        one_off_spend: (0..model.features.len())
            .map(|f| expect::one_off_cost(model, f))
            .collect(),
    }
}

/// Vendor ready moments with their slips at quantile q (exact: one input each).
fn quantile_ready(model: &Model, q: f64, seed: u64) -> Vec<f64> {
    let slipping = model.features.iter().any(|f| {
        f.vendor_ready
            .as_ref()
            .is_some_and(|v| v.delay_weeks.is_some())
    });
    let sampler =
        slipping.then(|| Sampler::new(model, seed, Method::MonteCarlo, 1, &risk_variates(model)));
    model
        .features
        .iter()
        .map(|f| {
            f.vendor_ready.as_ref().map_or(f64::NEG_INFINITY, |v| {
                let slip = match (v.delay_weeks, &sampler) {
                    (Some(d), Some(s)) => s.value_at(d.0 as usize, q).max(0.0),
                    _ => 0.0,
                };
                v.weeks + slip
            })
        })
        .collect()
}

fn capacities(model: &Model, factor: &[f64]) -> Vec<Vec<f64>> {
    model
        .teams
        .iter()
        .zip(factor)
        .map(|(t, &f)| t.capacity_weeks.iter().map(|c| c * f.max(0.0)).collect())
        .collect()
}

/// Efforts and lead times at quantile q, capacity factors at 1 - q. A total that includes
/// risk events has no closed-form quantile, so it is read off sampled draws; a plain input's
/// quantile is its exact inverse CDF.
fn quantile_estimates(model: &Model, q: f64, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    let teams = model.teams.len();
    let sampler = Sampler::new(
        model,
        seed,
        Method::MonteCarlo,
        QUANTILE_DRAWS,
        &risk_variates(model),
    );
    let needs_draws = model.features.iter().any(|f| !f.risks.is_empty());
    let mut samples: Vec<Vec<f64>> = Vec::new();
    let mut risk_index = Vec::with_capacity(model.features.len());
    let mut next = 0;
    for f in &model.features {
        risk_index.push(next);
        next += f.risks.len();
    }
    if needs_draws {
        let mut draws = sampler.buffers();
        for trial in 0..QUANTILE_DRAWS {
            sampler.draw(trial, &mut draws);
            samples.push(draws.values.clone());
            samples.last_mut().unwrap().extend_from_slice(&draws.extra);
        }
    }
    let inputs = model.inputs.len();
    let risk_draws = crate::sample::risk_draws(model);
    let occurred = |sample: &[f64], f: usize, r: usize| {
        risk_draws[risk_index[f] + r].occurs(&sample[inputs..])
    };
    let sample_quantile = |mut values: Vec<f64>| crate::sample::quantile(&mut values, q);

    let mut effort = vec![vec![0.0; teams]; model.features.len()];
    let mut lead = vec![0.0; model.features.len()];
    for (f, feature) in model.features.iter().enumerate() {
        for k in 0..teams {
            let base: Vec<usize> = feature
                .effort
                .iter()
                .filter(|e| e.team == k)
                .map(|e| e.weeks.0 as usize)
                .collect();
            let risky = feature
                .risks
                .iter()
                .any(|r| r.effort.iter().any(|e| e.team == k));
            effort[f][k] = if risky {
                sample_quantile(
                    samples
                        .iter()
                        .map(|s| {
                            let mut total: f64 = base.iter().map(|&i| s[i].max(0.0)).sum();
                            for (r, risk) in feature.risks.iter().enumerate() {
                                if occurred(s, f, r) {
                                    total += risk
                                        .effort
                                        .iter()
                                        .filter(|e| e.team == k)
                                        .map(|e| s[e.weeks.0 as usize].max(0.0))
                                        .sum::<f64>();
                                }
                            }
                            total
                        })
                        .collect(),
                )
            } else {
                base.iter().map(|&i| sampler.value_at(i, q).max(0.0)).sum()
            };
        }
        let delays = feature.risks.iter().any(|r| r.delay_weeks.is_some());
        lead[f] = if delays {
            sample_quantile(
                samples
                    .iter()
                    .map(|s| {
                        let mut total = feature
                            .vendor_lead_weeks
                            .map_or(0.0, |i| s[i.0 as usize].max(0.0));
                        for (r, risk) in feature.risks.iter().enumerate() {
                            if let (true, Some(d)) = (occurred(s, f, r), risk.delay_weeks) {
                                total += s[d.0 as usize].max(0.0);
                            }
                        }
                        total
                    })
                    .collect(),
            )
        } else {
            feature
                .vendor_lead_weeks
                .map_or(0.0, |i| sampler.value_at(i.0 as usize, q).max(0.0))
        };
    }
    // The teams' factors, then the pools'.
    let factor = model
        .teams
        .iter()
        .map(|t| t.capacity_factor)
        .chain(model.pools.iter().map(|p| p.capacity_factor))
        .map(|id| sampler.value_at(id.0 as usize, 1.0 - q))
        .collect();
    (effort, factor, lead)
}

/// A feature's recurring cost as one future draws it: its amount a month, and per customer
/// times the segment's drawn demand, growing at the drawn growth.
fn drawn_recurring(
    model: &Model,
    feature: &crate::model::Feature,
    values: &[f64],
) -> Option<expect::Recurring> {
    let r = feature.recurring_cost.as_ref()?;
    let drawn = |i: crate::model::InputId| values[i.0 as usize];
    let segment = r.per_customer.map(|c| &model.segments[c.segment]);
    Some(expect::Recurring {
        flat: r.per_month.map_or(0.0, |i| drawn(i).max(0.0)),
        customers: r.per_customer.map_or(0.0, |c| {
            (drawn(c.amount) * segment.map_or(0.0, |s| drawn(s.demand))).max(0.0)
        }),
        growth: segment.map_or(0.0, |s| drawn(s.growth)),
        from: r.from,
    })
}

/// Sample-average inputs: the expected planning world for windows, budget and shares, plus
/// one world per sampled scenario. Scenario s is trial s of the sampler on `seed`.
pub fn stochastic(model: &Model, scenarios: usize, seed: u64) -> Inputs {
    let mut inputs = planning_with(model, Estimate::Expected, seed, false);
    let sampler = Sampler::new(
        model,
        seed,
        Method::MonteCarlo,
        scenarios as u64,
        &risk_variates(model),
    );
    let pricing = Pricing::new(model);
    let teams = model.teams.len();
    let risk_draws = crate::sample::risk_draws(model);
    let mut draws = sampler.buffers();
    let mut worlds = Vec::with_capacity(scenarios);
    let mut futures = Vec::with_capacity(scenarios);
    let n = model.features.len();
    for s in 0..scenarios {
        sampler.draw(s as u64, &mut draws);
        let values = &draws.values;
        let mut risk = 0;
        let mut effort = vec![vec![0.0; teams]; n];
        let mut delivery = Vec::with_capacity(n);
        let mut future = Future {
            release: Vec::with_capacity(n),
            unreleased: Vec::with_capacity(n),
            one_off: Vec::with_capacity(n),
            wait: Vec::with_capacity(n),
            ready: Vec::with_capacity(n),
        };
        for (f, feature) in model.features.iter().enumerate() {
            for e in &feature.effort {
                effort[f][e.team] += values[e.weeks.0 as usize].max(0.0);
            }
            let mut keep = 1.0;
            let mut one_off = feature.cost.map_or(0.0, |c| values[c.0 as usize].max(0.0));
            let mut wait = feature
                .vendor_lead_weeks
                .map_or(0.0, |l| values[l.0 as usize].max(0.0));
            for r in &feature.risks {
                if risk_draws[risk].occurs(&draws.extra) {
                    for e in &r.effort {
                        effort[f][e.team] += values[e.weeks.0 as usize].max(0.0);
                    }
                    keep *= 1.0 - r.value_loss;
                    one_off += r.cost.map_or(0.0, |c| values[c.0 as usize].max(0.0));
                    wait += r.delay_weeks.map_or(0.0, |d| values[d.0 as usize].max(0.0));
                }
                risk += 1;
            }
            let money = FeatureMoney {
                direct: feature.value_monthly.map_or(0.0, |v| values[v.0 as usize]),
                uplifts: feature
                    .uplift
                    .iter()
                    .map(|u| {
                        let seg = &model.segments[u.segment];
                        (
                            values[seg.demand.0 as usize]
                                * values[u.fraction.0 as usize]
                                * values[seg.price.0 as usize],
                            values[seg.growth.0 as usize],
                            seg.retention.map(|r| values[r.0 as usize].clamp(0.0, 1.0)),
                        )
                    })
                    .collect(),
                keep,
                one_off,
                recurring: drawn_recurring(model, feature, values),
            };
            let lead = inputs.lead_weeks[f];
            match &inputs.windows[f] {
                Some(w) => {
                    delivery.push(pricing.delivery(f, w, &money, lead));
                    future.release.push(pricing.release(f, w.first, &money));
                    future.one_off.push(pricing.at_start(f, w, &money, lead));
                }
                None => {
                    delivery.push(Vec::new());
                    future.release.push(Vec::new());
                    future.one_off.push(Vec::new());
                }
            }
            future
                .unreleased
                .push(-pricing.penalty(f, model.time.periods));
            future.wait.push(wait);
            future.ready.push(
                feature
                    .vendor_ready
                    .as_ref()
                    .map_or(f64::NEG_INFINITY, |v| {
                        v.weeks + v.delay_weeks.map_or(0.0, |d| values[d.0 as usize].max(0.0))
                    }),
            );
        }
        futures.push(future);
        let factor: Vec<f64> = model
            .teams
            .iter()
            .map(|t| values[t.capacity_factor.0 as usize])
            .collect();
        let pool_factor = model
            .pools
            .iter()
            .map(|p| values[p.capacity_factor.0 as usize])
            .collect();
        let deal = model
            .deals
            .iter()
            .enumerate()
            .map(|(d, deal)| {
                pricing.deal(
                    d,
                    deal.one_off.map_or(0.0, |v| values[v.0 as usize]),
                    deal.monthly.map_or(0.0, |v| values[v.0 as usize]),
                )
            })
            .collect();
        worlds.push(World {
            effort,
            capacity: capacities(model, &factor),
            factor,
            pool_factor,
            delivery,
            deal,
            week_cost: model
                .features
                .iter()
                .map(|_| model.teams.iter().map(expect::variable_rate).collect())
                .collect(),
        });
    }
    inputs.scenarios = worlds;
    inputs.futures = futures;
    inputs
}
