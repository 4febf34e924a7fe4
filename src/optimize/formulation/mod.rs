//! The release-planning MILP, in cumulative (step) form.
//!
//! D[f,t] = 1 when feature f is delivered by the end of period t; it never falls back to 0.
//! Delivery in t is D[f,t] - D[f,t-1], so money that depends on the delivery period becomes
//! differences of coefficients on D. Dependencies read D[f,t] <= D[g,t-lag], one entry each;
//! an any-of group reads D[f,t] <= sum over its alternatives g of D[g,t-lag]; deals read
//! W[d,t] <= D[f,t]. The step form has the same LP bound as the one-hot form and
//! branches on "by period t", which splits the search evenly.
//!
//! Work may be spread over any periods of a feature's window within each team's capacity per
//! period. Rather than a work column per feature, team and period, capacity is written in Hall
//! form (see [`capacity_rows`]): the same plans are feasible and the LP bound is the same, with
//! a tenth of the columns, and HiGHS's cover cuts tighten the knapsack rows far better.
//!
//! Columns exist only inside each feature's window (earliest start, lead time, requirements,
//! hard deadline), so nothing that can never be 1 is in the model, and capacity rows that can
//! never bind are left out.
//!
//! The stochastic mode keeps D and the deal columns as the plan (its budget and theme rows on
//! the expected numbers) and values it in each sampled scenario. By default the scenario
//! executes the plan as `simulate` does (see [`futures`]): teams work through it in planned
//! order, planned work takes capacity, and a feature is released when its teams' queues have
//! got past it, its wait has run from its planned start and its prerequisites are out, never
//! before its planned period; it earns what it earns when it is released, and a deal holds or
//! fails per scenario. With an overtime premium, the scenario instead buys the weeks that do
//! not fit at that premium and releases everything as planned. The objective is
//! (1 - lambda) E[NPV] + lambda CVaR_alpha[NPV] in the Rockafellar-Uryasev form.

// Features, teams, periods and scenarios index several parallel tables at once; index
// loops say which table is which more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

use super::inputs::{Inputs, Window, World};
use super::milp::{Con, Milp, Var};
use crate::model::{expect, CostKind, Model};

mod futures;
mod staffing;
mod stages;
use futures::{future_npv, futures};
pub use futures::{ready_from, release_from};
pub use staffing::{Bought, Placed};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recourse {
    /// Weight of CVaR in the objective, in [0, 1].
    pub risk_aversion: f64,
    /// CVaR confidence: the tail is the worst 1 - alpha of scenarios.
    pub alpha: f64,
    /// Overtime at this premium over the team's cost per week; `None`: work that does not
    /// fit pushes features later, as the simulator executes the plan.
    pub overtime_premium: Option<f64>,
}

/// Currency per week of overtime a scenario's capacity needs, per team and period: the
/// premium times the team's cost per week, discounted, on top of the week itself, which the
/// work's team time already counts. A team whose cost is fixed has paid for its capacity, not
/// for weeks beyond it: each overtime week costs (1 + premium) times its cost per week.
fn overtime_prices(model: &Model, inputs: &Inputs, premium: f64) -> Vec<Vec<f64>> {
    let discount = &inputs.period_flow_discount;
    model
        .teams
        .iter()
        .map(|team| {
            let rate = match team.cost_kind {
                CostKind::Variable => premium * team.cost_per_week,
                CostKind::Fixed => (1.0 + premium) * team.cost_per_week,
            };
            (0..inputs.periods).map(|t| rate * discount[t]).collect()
        })
        .collect()
}

/// The model and where each kind of column lives.
#[derive(Debug, Clone)]
pub struct Formulation {
    pub milp: Milp,
    pub periods: usize,
    /// Per feature: the column of D[f, window.first] and the window (columns run to window.last).
    pub delivered: Vec<Option<(u32, Window)>>,
    /// Per deal: the column of its first period and its first and last periods.
    pub won: Vec<Option<(u32, usize, usize)>>,
    /// Per scenario: the first overtime column ([team * periods + period] after it).
    pub overtime: Vec<u32>,
    pub threshold: Option<u32>,
    pub shortfall: Vec<u32>,
    pub recourse: Option<Recourse>,
    /// Slip recourse, per scenario and feature: the column of Released[s, f, window.first]
    /// (columns run to the plan's last period).
    pub released: Vec<Vec<Option<(u32, usize)>>>,
    /// Slip recourse, per scenario and deal: the column of its first period, first and last.
    pub won_in: Vec<Vec<Option<(u32, usize, usize)>>>,
    /// People bought: a column per extra-capacity option and run of periods.
    pub bought: Vec<Bought>,
    /// Pools' people placed: a column per pool, team and period.
    pub placed: Vec<Placed>,
    /// Per feature with stages, the "done by" columns of every stage but the last.
    pub stages: stages::StageColumns,
}

impl Formulation {
    /// D[f,t] as a column: None when f cannot be delivered by t (before its window), the last
    /// column of the window after it.
    pub fn by(&self, f: usize, t: usize) -> Option<u32> {
        let (col, w) = self.delivered[f]?;
        if t < w.first {
            None
        } else {
            Some(col + (t.min(w.last) - w.first) as u32)
        }
    }

    /// D[f, last]: delivered at all.
    pub fn at_all(&self, f: usize) -> Option<u32> {
        self.by(f, self.periods.saturating_sub(1))
    }

    /// Released[s, f, t] as a column: None before the feature's window.
    pub fn released_by(&self, s: usize, f: usize, t: usize) -> Option<u32> {
        let (col, first) = self.released.get(s)?[f]?;
        (t >= first && t < self.periods).then(|| col + (t - first) as u32)
    }
}

pub fn build(model: &Model, inputs: &Inputs, recourse: Option<Recourse>) -> Formulation {
    let periods = inputs.periods;
    let mut m = Milp::default();
    let delivered = delivery_columns(inputs, &mut m);
    let mut form = Formulation {
        milp: Milp::default(),
        periods,
        delivered,
        won: vec![None; model.deals.len()],
        overtime: Vec::new(),
        threshold: None,
        shortfall: Vec::new(),
        recourse,
        released: Vec::new(),
        won_in: Vec::new(),
        bought: Vec::new(),
        placed: Vec::new(),
        stages: Vec::new(),
    };

    mandatory_bounds(model, &form, &mut m);
    stages::stage_columns(model, &mut form, &mut m);
    staffing::purchase_columns(model, &mut form, &mut m);
    staffing::pool_columns(model, &mut form, &mut m);
    deal_columns(model, inputs, &mut form, &mut m);
    plan_rows(model, inputs, &form, &mut m);
    portfolio_rows(model, inputs, &form, &mut m);
    match recourse {
        None => single_world(model, inputs, &mut form, &mut m),
        Some(r) if r.overtime_premium.is_some() => scenarios(model, inputs, &mut form, &mut m, r),
        Some(r) => futures(model, inputs, &mut form, &mut m, r),
    }
    // The teams whose cost is fixed cost every plan the same, in every future: a constant
    // that shifts the expectation and the CVaR alike.
    if inputs.fixed_cost != 0.0 {
        m.offset = -inputs.fixed_cost;
    }
    form.milp = m;
    form
}

/// D[f, t] for t in each feature's window, in feature order.
fn delivery_columns(inputs: &Inputs, m: &mut Milp) -> Vec<Option<(u32, Window)>> {
    let mut delivered = vec![None; inputs.windows.len()];
    for (f, window) in inputs.windows.iter().enumerate() {
        if let Some(w) = *window {
            let first = m.columns.len() as u32;
            for t in w.first..=w.last {
                m.add_column(
                    Var::Delivered {
                        feature: f as u32,
                        period: t as u32,
                    },
                    0.0,
                    1.0,
                    true,
                );
            }
            delivered[f] = Some((first, w));
        }
    }
    delivered
}

/// Mandatory features are delivered: a bound, not a row.
fn mandatory_bounds(model: &Model, form: &Formulation, m: &mut Milp) {
    for (f, feature) in model.features.iter().enumerate() {
        if feature.mandatory {
            if let Some(c) = form.at_all(f) {
                m.columns[c as usize].lower = 1.0;
            }
        }
    }
}

/// Deal columns, binary. D integral would make the best W integral anyway (a deal's money
/// never grows with later delivery), but HiGHS searches far better when it knows: on the NRP
/// benchmark, where every customer is a deal, nrp-m2 at 0.5 takes 0.4 s with binary W against
/// 3.3 s with continuous W, as the textbook model declares them.
fn deal_columns(model: &Model, inputs: &Inputs, form: &mut Formulation, m: &mut Milp) {
    for (d, deal) in model.deals.iter().enumerate() {
        let last = inputs.world.deal[d].len().saturating_sub(1);
        // The deal completes when its `need`-th feature ships, the others at or before it
        // (possibly before their own window ends): its window starts where `need` of its
        // features can be delivered.
        let first = crate::model::need_th(
            deal.features
                .iter()
                .map(|&f| inputs.windows[f].map(|w| w.first)),
            deal.need,
        );
        if let (Some(first), false) = (first, inputs.world.deal[d].is_empty()) {
            if first > last {
                continue;
            }
            let col = m.columns.len() as u32;
            for t in first..=last {
                m.add_column(
                    Var::Won {
                        deal: d as u32,
                        period: t as u32,
                    },
                    0.0,
                    1.0,
                    true,
                );
            }
            form.won[d] = Some((col, first, last));
        }
    }
}

/// The plan's own rules: deals won only with their features, D stays delivered, requirements
/// with their lags, and alternatives.
fn plan_rows(model: &Model, inputs: &Inputs, form: &Formulation, m: &mut Milp) {
    let n = model.features.len();
    // Deals are won by t only when each of their features is delivered by t (or `need` of
    // them, for a deal that takes any `need`). Their rows come first, as the textbook NRP
    // model has its request rows: HiGHS takes another path through the same model when the
    // rows are ordered differently. Over HiGHS's random seeds 0-5 this order proves nrp2
    // optimal at its three budgets in 0.82x the time of the requirement rows first (308 s
    // against 377 s), and the other 48 NRP cases in 1.04x (seeds 0-2: 58.2 s against 56.1 s).
    for (d, deal) in model.deals.iter().enumerate() {
        let Some(window) = form.won[d] else {
            continue;
        };
        let rule = DealRule::of(deal, &inputs.world.deal[d]);
        if rule.counted() {
            count_rows(m, deal, rule, window, |f, t| form.by(f, t), None, d);
            continue;
        }
        won_rows(
            m,
            &deal.features,
            window,
            |f, t| {
                form.by(f, t)
                    .expect("deal window starts inside every feature window")
            },
            |f, t| Con::DealNeeds {
                deal: d as u32,
                feature: f as u32,
                period: t as u32,
            },
            |t| Con::DealStays {
                deal: d as u32,
                period: t as u32,
            },
        );
    }

    // D stays delivered.
    for f in 0..n {
        if let Some((col, w)) = form.delivered[f] {
            for t in w.first..w.last {
                let c = col + (t - w.first) as u32;
                m.add_row(
                    Con::Stays {
                        feature: f as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &[(c, 1.0), (c + 1, -1.0)],
                );
            }
        }
    }

    // Requirements, in cumulative form with their lags.
    for (f, feature) in model.features.iter().enumerate() {
        let Some((_, w)) = form.delivered[f] else {
            continue;
        };
        for req in &feature.requires {
            for t in w.first..=w.last {
                let mine = form.by(f, t).expect("inside the window");
                let theirs = t
                    .checked_sub(req.lag_periods)
                    .and_then(|s| form.by(req.feature, s));
                requires_row(
                    m,
                    Con::Requires {
                        feature: f as u32,
                        requirement: req.feature as u32,
                        period: t as u32,
                    },
                    mine,
                    theirs,
                );
            }
        }
    }

    // Any-of groups: delivered by t only when some alternative is delivered by t - lag. The
    // cumulative columns of several alternatives may add up past 1; the row only needs one.
    for (f, feature) in model.features.iter().enumerate() {
        let Some((_, w)) = form.delivered[f] else {
            continue;
        };
        for (k, group) in feature.requires_any.iter().enumerate() {
            for t in w.first..=w.last {
                let mine = form.by(f, t).expect("inside the window");
                let theirs: Vec<u32> = t
                    .checked_sub(group.lag_periods)
                    .map(|s| {
                        group
                            .features
                            .iter()
                            .filter_map(|&g| form.by(g, s))
                            .collect()
                    })
                    .unwrap_or_default();
                requires_any_row(
                    m,
                    Con::RequiresAny {
                        feature: f as u32,
                        group: k as u32,
                        period: t as u32,
                    },
                    mine,
                    &theirs,
                );
            }
        }
    }

    // Alternatives: at most one of each excluded pair.
    for (f, feature) in model.features.iter().enumerate() {
        for &g in &feature.excludes {
            let (a, b) = (f.min(g), f.max(g));
            // Each pair once, whichever side declared it.
            if f == b && model.features[a].excludes.contains(&b) {
                continue;
            }
            if let (Some(x), Some(y)) = (form.at_all(a), form.at_all(b)) {
                m.add_row(
                    Con::Excludes {
                        feature: a as u32,
                        other: b as u32,
                    },
                    f64::NEG_INFINITY,
                    1.0,
                    &[(x, 1.0), (y, 1.0)],
                );
            }
        }
    }
}

/// Budget and theme shares, on expected spend and expected person-weeks.
fn portfolio_rows(model: &Model, inputs: &Inputs, form: &Formulation, m: &mut Milp) {
    let n = model.features.len();
    if let Some(budget) = model.budget {
        // In shares of the budget: money in the millions would otherwise dwarf every other row.
        let scale = if budget > 0.0 { 1.0 / budget } else { 1.0 };
        let mut entries: Vec<(u32, f64)> = (0..n)
            .filter_map(|f| form.at_all(f).map(|c| (c, inputs.spend[f] * scale)))
            .collect();
        // A recurring cost spends more within the plan the earlier the feature ships.
        for f in 0..n {
            if let (Some((col, _)), false) =
                (form.delivered[f], inputs.recurring_spend[f].is_empty())
            {
                for (i, a) in step_coefficients(&inputs.recurring_spend[f]) {
                    entries.push((col + i as u32, a * scale));
                }
            }
        }
        entries.extend(
            staffing::spend_entries(model, form, None)
                .into_iter()
                .map(|(c, a)| (c, a * scale)),
        );
        // The teams whose cost is fixed take their share before any feature does.
        let left = budget - inputs.fixed_spend;
        m.add_row(Con::Budget, f64::NEG_INFINITY, left * scale, &entries);
    }
    if let Some(budgets) = &model.budget_per_period {
        period_budget_rows(model, inputs, form, m, budgets);
    }
    // Theme shares are of the planned work: sum over planned features of (member - share) x
    // weeks, kept on the right side of 0.
    for (th, theme) in model.themes.iter().enumerate() {
        let share = |f: usize, bound: f64| {
            let member = if model.features[f].theme == Some(th) {
                1.0
            } else {
                0.0
            };
            (member - bound) * inputs.share_weeks[f]
        };
        if theme.min_share > 0.0 {
            let entries: Vec<(u32, f64)> = (0..n)
                .filter_map(|f| form.at_all(f).map(|c| (c, share(f, theme.min_share))))
                .collect();
            m.add_row(
                Con::ThemeMin { theme: th as u32 },
                0.0,
                f64::INFINITY,
                &entries,
            );
        }
        if theme.max_share < 1.0 {
            let entries: Vec<(u32, f64)> = (0..n)
                .filter_map(|f| form.at_all(f).map(|c| (c, share(f, theme.max_share))))
                .collect();
            m.add_row(
                Con::ThemeMax { theme: th as u32 },
                f64::NEG_INFINITY,
                0.0,
                &entries,
            );
        }
    }
}

/// The budget of each period on the spend it books (scenarios/README.md, "Budget per
/// period"): a feature delivered in t books its expected team time in t, its expected
/// one-off costs in its start period, which the delivery period fixes (the latest start its
/// lead time allows, as the plan's start column says), and its recurring cost in the months
/// of each period it is paid from its release or start. All depend only on t, so each row is
/// exact on the step columns: the money of delivering in t, as differences on D. The teams
/// whose cost is fixed take their share of each period first.
fn period_budget_rows(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    m: &mut Milp,
    budgets: &[f64],
) {
    let time = &model.time;
    for (p, &budget) in budgets.iter().enumerate().take(inputs.periods) {
        let scale = if budget > 0.0 { 1.0 / budget } else { 1.0 };
        let mut entries: Vec<(u32, f64)> = Vec::new();
        for f in 0..model.features.len() {
            let Some((col, w)) = form.delivered[f] else {
                continue;
            };
            let one_off = inputs.one_off_spend[f];
            let team = inputs.spend[f] - one_off;
            let booked: Vec<f64> = (w.first..=w.last)
                .map(|t| {
                    let start = time.planned_start(w.open, t, inputs.lead_weeks[f]);
                    (if t == p { team } else { 0.0 })
                        + (if start == p { one_off } else { 0.0 })
                        + expect::recurring_spend_in(model, f, t, start, p)
                })
                .collect();
            for (i, a) in step_coefficients(&booked) {
                if a != 0.0 {
                    entries.push((col + i as u32, a * scale));
                }
            }
        }
        entries.extend(
            staffing::spend_entries(model, form, Some(p))
                .into_iter()
                .map(|(c, a)| (c, a * scale)),
        );
        let left = budget - expect::fixed_team_spend_in(model, p);
        // A period the fixed-cost teams alone overspend has no plan, even an empty one.
        if !entries.is_empty() || left < 0.0 {
            m.add_row(
                Con::PeriodBudget { period: p as u32 },
                f64::NEG_INFINITY,
                left * scale,
                &entries,
            );
        }
    }
}

/// A requirement's row: a feature is delivered by t (column `mine`) only when what it requires
/// is delivered by t less the lag (`theirs`); with no such column, never.
fn requires_row(m: &mut Milp, con: Con, mine: u32, theirs: Option<u32>) {
    let entries = match theirs {
        Some(c) => vec![(mine, 1.0), (c, -1.0)],
        None => vec![(mine, 1.0)],
    };
    m.add_row(con, f64::NEG_INFINITY, 0.0, &entries);
}

/// An any-of group's row: a feature is delivered by t (column `mine`) only when one of the
/// alternatives is delivered by t less the lag (`theirs`, their columns); with none, never.
fn requires_any_row(m: &mut Milp, con: Con, mine: u32, theirs: &[u32]) {
    let mut entries = vec![(mine, 1.0)];
    entries.extend(theirs.iter().map(|&c| (c, -1.0)));
    m.add_row(con, f64::NEG_INFINITY, 0.0, &entries);
}

/// The rows of a deal's won-by-period columns (`col` for `first`, one a period to `last`): won
/// by t only when each of its features is delivered by t (`by` is that column), and once won,
/// won in every later period. The deterministic model and each future of the stochastic one
/// name their rows apart (`needs`, `stays`).
fn won_rows(
    m: &mut Milp,
    features: &[usize],
    (col, first, last): (u32, usize, usize),
    by: impl Fn(usize, usize) -> u32,
    needs: impl Fn(usize, usize) -> Con,
    stays: impl Fn(usize) -> Con,
) {
    for t in first..=last {
        let c = col + (t - first) as u32;
        for &f in features {
            m.add_row(
                needs(f, t),
                f64::NEG_INFINITY,
                0.0,
                &[(c, 1.0), (by(f, t), -1.0)],
            );
        }
        if t < last {
            m.add_row(stays(t), f64::NEG_INFINITY, 0.0, &[(c, 1.0), (c + 1, -1.0)]);
        }
    }
}

/// How a deal's won columns are tied to its features: by how many, and whether the plan may
/// decline it.
#[derive(Debug, Clone, Copy)]
pub(super) struct DealRule {
    need: usize,
    all: bool,
    /// Late delivery can cost more than the deal pays: the deal is won as soon as it
    /// completes, or the plan would decline it where the simulator charges it.
    exact: bool,
}

impl DealRule {
    pub(super) fn of(deal: &crate::model::Deal, money: &[f64]) -> Self {
        DealRule {
            need: deal.need.max(1),
            all: deal.need >= deal.features.len(),
            exact: money.iter().any(|&v| v < 0.0),
        }
    }

    /// Rows on the count of features delivered, rather than one per feature.
    pub(super) fn counted(&self) -> bool {
        !self.all || self.exact
    }
}

/// need·W[t] <= the features delivered by t, and, when the deal is not the plan's to decline,
/// n·W[t] >= the features delivered by t - (need - 1): with W binary, W[t] = 1 exactly when
/// `need` of them are. `by(f, t)` is the column of "f delivered (or released) by t", if f can
/// be by then.
pub(super) fn count_rows(
    m: &mut Milp,
    deal: &crate::model::Deal,
    rule: DealRule,
    (col, first, last): (u32, usize, usize),
    by: impl Fn(usize, usize) -> Option<u32>,
    scenario: Option<u32>,
    d: usize,
) {
    let n = deal.features.len() as f64;
    let need = rule.need as f64;
    for t in first..=last {
        let c = col + (t - first) as u32;
        let delivered: Vec<(u32, f64)> = deal
            .features
            .iter()
            .filter_map(|&f| by(f, t))
            .map(|x| (x, -1.0))
            .collect();
        let mut row = vec![(c, need)];
        row.extend(&delivered);
        let (deal, period) = (d as u32, t as u32);
        m.add_row(
            Con::DealCount {
                scenario,
                deal,
                period,
            },
            f64::NEG_INFINITY,
            0.0,
            &row,
        );
        if rule.exact {
            let mut row = vec![(c, n)];
            row.extend(&delivered);
            m.add_row(
                Con::DealWonWhenDone {
                    scenario,
                    deal,
                    period,
                },
                1.0 - need,
                f64::INFINITY,
                &row,
            );
        }
        if t < last {
            let stays = match scenario {
                Some(scenario) => Con::WonInStays {
                    scenario,
                    deal,
                    period,
                },
                None => Con::DealStays { deal, period },
            };
            m.add_row(stays, f64::NEG_INFINITY, 0.0, &[(c, 1.0), (c + 1, -1.0)]);
        }
    }
}

/// Coefficients on D[f, first..=last] whose delivery-period money is `money[t - first]`:
/// the difference between delivering by t and by t + 1.
fn step_coefficients(money: &[f64]) -> impl Iterator<Item = (usize, f64)> + '_ {
    (0..money.len()).map(move |i| {
        let next = money.get(i + 1).copied().unwrap_or(0.0);
        (i, money[i] - next)
    })
}

/// Interval starts per team: Hall's condition needs only the distinct earliest periods of
/// the features that use the team.
fn interval_starts(model: &Model, inputs: &Inputs, form: &Formulation) -> Vec<Vec<usize>> {
    (0..model.teams.len())
        .map(|k| {
            let mut s: Vec<usize> = (0..model.features.len())
                .filter_map(|f| {
                    let (_, w) = form.delivered[f]?;
                    (inputs.world.effort[f][k] > 0.0).then_some(w.open)
                })
                .collect();
            // A later stage's part opens the period after the hand-off: any of them.
            for f in 0..model.features.len() {
                if let (Some(st), Some((_, w))) =
                    (stages::stage_of(model, form, f, k), form.delivered[f])
                {
                    if st > 0 && inputs.world.effort[f][k] > 0.0 {
                        s.extend(w.open + st..=w.last);
                    }
                }
            }
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect()
}

/// Capacity in Hall form: for each team and run of periods [a, b] starting at an earliest
/// period, the work of the features that may only be worked on inside it (open >= a) and are
/// delivered by b fits the run's capacity, plus the run's overtime when `overtime` gives its
/// first column ([team * periods + period] after it). For work that may be spread over any
/// periods of its window this is exactly "a work schedule exists" (Hall's theorem), without a
/// column per feature, team and period; and each row is a knapsack, which HiGHS strengthens
/// with cover cuts. Rows that can never bind are left out. `scenario` names the scenario and
/// its first overtime column, in the stochastic mode.
#[allow(clippy::too_many_arguments)] // one call per mode, each naming every part
fn capacity_rows(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    m: &mut Milp,
    world: &World,
    scenario: Option<u32>,
    overtime: Option<u32>,
    starts: &[Vec<usize>],
) {
    // Delivered by b in the plan, or released by b in the scenario when the scenario has no
    // overtime but its own release columns.
    let by = |f: usize, b: usize| match (scenario, overtime) {
        (Some(s), None) => form.released_by(s as usize, f, b),
        _ => form.by(f, b),
    };
    let periods = inputs.periods;
    for (k, team_starts) in starts.iter().enumerate() {
        for &a in team_starts {
            let mut capacity = 0.0;
            for b in a..periods {
                capacity += world.capacity[k][b];
                let mut entries: Vec<(u32, f64)> = Vec::new();
                let mut most = 0.0;
                // Parts of staged features, on the plan's columns: their entries come once
                // the row is kept, as they may need a column of their own.
                let mut parts: Vec<(usize, usize, f64)> = Vec::new();
                for f in 0..model.features.len() {
                    let Some((_, w)) = form.delivered[f] else {
                        continue;
                    };
                    let e = world.effort[f][k];
                    if e <= 0.0 {
                        continue;
                    }
                    let staged = stages::stage_of(model, form, f, k)
                        .filter(|_| scenario.is_none() || overtime.is_some());
                    if let Some(s) = staged {
                        if stages::stage_by(form, f, s, b).is_some() && (s > 0 || w.open >= a) {
                            parts.push((f, s, e));
                            most += e;
                        }
                        continue;
                    }
                    if w.open >= a {
                        if let Some(d) = by(f, b) {
                            entries.push((d, e));
                            most += e;
                        }
                    }
                }
                if (entries.is_empty() && parts.is_empty())
                    || (overtime.is_none() && most <= capacity)
                {
                    continue;
                }
                for (f, s, e) in parts {
                    if let Some(c) = stages::part_entry(form, m, f, k, s, a, b) {
                        entries.push((c, e));
                    }
                }
                entries.extend(staffing::room_entries(model, form, world, k, a, b));
                if let Some(first) = overtime {
                    entries.extend((a..=b).map(|u| (first + (k * periods + u) as u32, -1.0)));
                }
                let con = match scenario {
                    None => Con::Capacity {
                        team: k as u32,
                        from: a as u32,
                        to: b as u32,
                    },
                    Some(s) => Con::ScenarioCapacity {
                        scenario: s,
                        team: k as u32,
                        from: a as u32,
                        to: b as u32,
                    },
                };
                m.add_row(con, f64::NEG_INFINITY, capacity, &entries);
            }
        }
    }
}

/// Deterministic and robust modes: one world, capacity in Hall form.
fn single_world(model: &Model, inputs: &Inputs, form: &mut Formulation, m: &mut Milp) {
    let world = &inputs.world;
    let starts = interval_starts(model, inputs, form);
    capacity_rows(model, inputs, form, m, world, None, None, &starts);
    for (c, a) in scenario_npv(model, inputs, form, world) {
        m.columns[c as usize].objective += a;
    }
}

/// Net money of one world, as coefficients on D and deal columns, team time paid over the
/// delivery period (the latest it can be worked).
fn scenario_npv(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    world: &World,
) -> Vec<(u32, f64)> {
    let mut entries = Vec::new();
    let discount = &inputs.period_flow_discount;
    for f in 0..model.features.len() {
        let Some((col, w)) = form.delivered[f] else {
            continue;
        };
        let week_cost: f64 = (0..model.teams.len())
            .map(|k| world.effort[f][k] * world.week_cost[f][k])
            .sum();
        let money: Vec<f64> = world.delivery[f]
            .iter()
            .enumerate()
            .map(|(i, v)| v - week_cost * discount[w.first + i])
            .collect();
        for (i, a) in step_coefficients(&money) {
            entries.push((col + i as u32, a));
        }
    }
    for d in 0..model.deals.len() {
        if let Some((col, first, last)) = form.won[d] {
            for (i, a) in step_coefficients(&world.deal[d][first..=last]) {
                entries.push((col + i as u32, a));
            }
        }
    }
    entries.extend(staffing::money_entries(model, inputs, form));
    entries
}

/// The CVaR threshold eta of the Rockafellar-Uryasev form, weighted by the risk aversion.
fn cvar_threshold(form: &mut Formulation, m: &mut Milp, r: Recourse) {
    let eta = m.add_column(Var::Threshold, f64::NEG_INFINITY, f64::INFINITY, false);
    m.columns[eta as usize].objective = r.risk_aversion;
    form.threshold = Some(eta);
}

/// A scenario's shortfall below the threshold: u >= eta - money, with `money` its NPV entries
/// and `more` any recourse entries after them.
fn tail_row(
    form: &mut Formulation,
    m: &mut Milp,
    r: Recourse,
    weight: f64,
    scenario: u32,
    money: Vec<(u32, f64)>,
    more: impl IntoIterator<Item = (u32, f64)>,
) {
    let u = m.add_column(Var::Shortfall { scenario }, 0.0, f64::INFINITY, false);
    m.columns[u as usize].objective = -r.risk_aversion * weight / (1.0 - r.alpha);
    form.shortfall.push(u);
    let mut entries = money;
    entries.push((u, 1.0));
    entries.push((form.threshold.expect("made before the scenarios"), -1.0));
    entries.extend(more);
    m.add_row(Con::Tail { scenario }, 0.0, f64::INFINITY, &entries);
}

/// Each sampled future's net money under a solved plan, as the stochastic objective counts it
/// (the NPV of what the plan delivers, less the recourse for work that does not fit). Empty
/// outside the stochastic mode. Frontiers read E[NPV] and CVaR off these.
pub fn scenario_values(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    values: &[f64],
) -> Vec<f64> {
    let Some(r) = form.recourse else {
        return Vec::new();
    };
    let fixed = form.milp.offset;
    if r.overtime_premium.is_none() {
        return (0..inputs.scenarios.len())
            .map(|s| {
                future_npv(model, inputs, form, s)
                    .iter()
                    .map(|&(c, a)| a * values[c as usize])
                    .sum::<f64>()
                    + fixed
            })
            .collect();
    }
    let price = overtime_prices(model, inputs, r.overtime_premium.unwrap_or(0.0));
    let periods = inputs.periods;
    inputs
        .scenarios
        .iter()
        .zip(&form.overtime)
        .map(|(world, &overtime)| {
            let money: f64 = scenario_npv(model, inputs, form, world)
                .iter()
                .map(|&(c, a)| a * values[c as usize])
                .sum();
            let recourse: f64 = (0..model.teams.len())
                .flat_map(|k| (0..periods).map(move |t| (k, t)))
                .map(|(k, t)| price[k][t] * values[(overtime as usize) + k * periods + t])
                .sum();
            money - recourse + fixed
        })
        .collect()
}

fn scenarios(model: &Model, inputs: &Inputs, form: &mut Formulation, m: &mut Milp, r: Recourse) {
    let periods = inputs.periods;
    let teams = model.teams.len();
    let count = inputs.scenarios.len();
    let weight = 1.0 / count.max(1) as f64;
    let cvar = r.risk_aversion > 0.0;
    let price = overtime_prices(model, inputs, r.overtime_premium.unwrap_or(0.0));
    if cvar {
        cvar_threshold(form, m, r);
    }
    let starts = interval_starts(model, inputs, form);

    for (s, world) in inputs.scenarios.iter().enumerate() {
        let overtime = m.columns.len() as u32;
        for k in 0..teams {
            for t in 0..periods {
                let c = m.add_column(
                    Var::Overtime {
                        scenario: s as u32,
                        team: k as u32,
                        period: t as u32,
                    },
                    0.0,
                    f64::INFINITY,
                    false,
                );
                m.columns[c as usize].objective = -(1.0 - r.risk_aversion) * weight * price[k][t];
            }
        }
        form.overtime.push(overtime);
        let ot = |k: usize, t: usize| overtime + (k * periods + t) as u32;
        capacity_rows(
            model,
            inputs,
            form,
            m,
            world,
            Some(s as u32),
            Some(overtime),
            &starts,
        );
        let npv = scenario_npv(model, inputs, form, world);
        for &(c, a) in &npv {
            m.columns[c as usize].objective += (1.0 - r.risk_aversion) * weight * a;
        }
        if cvar {
            let overtime_cost = (0..teams)
                .flat_map(|k| (0..periods).map(move |t| (k, t)))
                .map(|(k, t)| (ot(k, t), -price[k][t]));
            tail_row(form, m, r, weight, s as u32, npv, overtime_cost);
        }
    }
}
