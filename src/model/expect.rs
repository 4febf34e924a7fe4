//! Expected figures of a feature: the effort it needs from each team, the money it spends and
//! the lead time it waits; and of a team, the capacity it has in each period. Validation, the
//! capacity check, the strategies, the optimizer and the plan checker all plan with these
//! numbers, so each is written once, here: two copies that round or clamp differently would
//! let a plan pass one check and fail the other.
//!
//! Risk events count at their probability (a 30% risk of 4 extra weeks is 1.2 expected weeks).
//! Means of validated inputs are non-negative; the clamps only keep a hand-built model from
//! turning effort, money or lead time negative.

use super::time::{TimeFrame, WEEKS_PER_MONTH};
use super::value::{flow_months, growth_factor, MoneyCalendar};
use super::{CostKind, DeadlineKind, InputId, Model, RecurringFrom};

fn mean(model: &Model, id: InputId) -> f64 {
    model.mean(id).max(0.0)
}

/// Expected person-weeks of feature `f` on each team, [team]: its mean effort plus each risk's
/// probability times the risk's mean effort. Efforts naming a team the model does not have
/// count nowhere.
pub fn effort_by_team(model: &Model, f: usize) -> Vec<f64> {
    let mut row = vec![0.0; model.teams.len()];
    let Some(feature) = model.features.get(f) else {
        return row;
    };
    for e in &feature.effort {
        if let Some(w) = row.get_mut(e.team) {
            *w += mean(model, e.weeks);
        }
    }
    for risk in &feature.risks {
        for e in &risk.effort {
            if let Some(w) = row.get_mut(e.team) {
                *w += risk.probability * mean(model, e.weeks);
            }
        }
    }
    row
}

/// Expected person-weeks of feature `f` on team `t`: [`effort_by_team`]'s entry for `t`, added
/// up in the same order so the two agree to the bit, without building the row (the capacity
/// check asks once per feature and team of a large backlog).
pub fn effort_on_team(model: &Model, f: usize, t: usize) -> f64 {
    let Some(feature) = model.features.get(f).filter(|_| t < model.teams.len()) else {
        return 0.0;
    };
    let mut w = 0.0;
    for e in feature.effort.iter().filter(|e| e.team == t) {
        w += mean(model, e.weeks);
    }
    for risk in &feature.risks {
        for e in risk.effort.iter().filter(|e| e.team == t) {
            w += risk.probability * mean(model, e.weeks);
        }
    }
    w
}

/// Expected person-weeks of feature `f` over all teams: what theme shares and value per effort
/// count.
pub fn effort_weeks(model: &Model, f: usize) -> f64 {
    effort_by_team(model, f).iter().sum()
}

/// Expected person-weeks of every feature on every team, [feature][team].
pub fn efforts(model: &Model) -> Vec<Vec<f64>> {
    (0..model.features.len())
        .map(|f| effort_by_team(model, f))
        .collect()
}

/// What a person-week of work on a feature costs on `team`: its cost per week when it is paid
/// by the week worked, nothing when its cost is fixed (paid whatever the plan holds).
pub fn variable_rate(team: &super::Team) -> f64 {
    match team.cost_kind {
        CostKind::Variable => team.cost_per_week,
        CostKind::Fixed => 0.0,
    }
}

/// Whether some cost is paid whatever the plan holds: a team whose cost is fixed, or a pool.
pub fn has_fixed_cost(model: &Model) -> bool {
    !model.pools.is_empty() || model.teams.iter().any(|t| t.cost_kind == CostKind::Fixed)
}

/// Undiscounted cost over the plan of the teams whose cost is fixed (each period's capacity at
/// the team's cost per week) and of the pools (every person every period). Every plan pays
/// it, so it counts against the budget before any feature does.
pub fn fixed_team_spend(model: &Model) -> f64 {
    let teams: f64 = model
        .teams
        .iter()
        .filter(|t| t.cost_kind == CostKind::Fixed)
        .map(|t| {
            t.capacity_weeks
                .iter()
                .map(|c| c * t.cost_per_week)
                .sum::<f64>()
        })
        .sum();
    teams + pools_pay(model) * model.time.periods as f64
}

/// Undiscounted pay of every pool for one period.
fn pools_pay(model: &Model) -> f64 {
    model
        .pools
        .iter()
        .map(|q| q.pay_per_period(&model.time))
        .sum()
}

/// What the teams whose cost is fixed and the pools book in period `p`, as a budget per
/// period counts it: that period's whole capacity at cost.
pub fn fixed_team_spend_in(model: &Model, p: usize) -> f64 {
    let teams: f64 = model
        .teams
        .iter()
        .filter(|t| t.cost_kind == CostKind::Fixed)
        .map(|t| t.capacity_weeks.get(p).map_or(0.0, |c| c * t.cost_per_week))
        .sum();
    let pools = if p < model.time.periods {
        pools_pay(model)
    } else {
        0.0
    };
    teams + pools
}

/// The same discounted: each period's cost paid evenly over the period, as team time is
/// (`period_flow_discount` from [`MoneyCalendar`]).
pub fn fixed_team_cost(model: &Model, period_flow_discount: &[f64]) -> f64 {
    let teams: f64 = model
        .teams
        .iter()
        .filter(|t| t.cost_kind == CostKind::Fixed)
        .map(|t| {
            t.capacity_weeks
                .iter()
                .zip(period_flow_discount)
                .map(|(c, d)| c * t.cost_per_week * d)
                .sum::<f64>()
        })
        .sum();
    let pay = pools_pay(model);
    teams
        + period_flow_discount
            .iter()
            .take(model.time.periods)
            .map(|d| pay * d)
            .sum::<f64>()
}

/// A feature's recurring cost at its means: a flat amount a month, and an amount a month at
/// the plan start that grows with its segment's demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recurring {
    pub flat: f64,
    /// Mean amount per customer times the segment's mean demand, a month at the plan start.
    pub customers: f64,
    /// The segment's mean monthly growth.
    pub growth: f64,
    pub from: RecurringFrom,
}

impl Recurring {
    /// Months from the plan start at which the cost starts to run, for a feature delivered in
    /// `period` that starts in period `start`.
    pub fn from_months(&self, time: &TimeFrame, period: usize, start: usize) -> f64 {
        match self.from {
            RecurringFrom::Release => time.period_end_months(period),
            RecurringFrom::Start => start as f64 * time.period_weeks / WEEKS_PER_MONTH,
        }
    }

    /// Paid from `from` to `until` months after the plan start, undiscounted.
    pub fn paid_between(&self, from: f64, until: f64) -> f64 {
        flow_months(from, until)
            .map(|(m, part)| part * (self.flat + self.customers * growth_factor(self.growth, m)))
            .sum()
    }

    /// Paid from `from` months after the plan start to the horizon, discounted.
    pub fn discounted_from(&self, calendar: &MoneyCalendar, from: f64) -> f64 {
        let mut cost = 0.0;
        if self.flat != 0.0 {
            cost += self.flat * calendar.flow_from(from, 0.0);
        }
        if self.customers != 0.0 {
            cost += self.customers * calendar.flow_from(from, self.growth);
        }
        cost
    }
}

/// Feature `f`'s recurring cost at its means, if it has one.
pub fn recurring(model: &Model, f: usize) -> Option<Recurring> {
    let r = model.features.get(f)?.recurring_cost.as_ref()?;
    let (customers, growth) = r.per_customer.map_or((0.0, 0.0), |c| {
        let s = &model.segments[c.segment];
        (
            mean(model, c.amount) * mean(model, s.demand),
            model.mean(s.growth),
        )
    });
    Some(Recurring {
        flat: r.per_month.map_or(0.0, |i| mean(model, i)),
        customers,
        growth,
        from: r.from,
    })
}

/// Expected recurring spend of feature `f` within the plan, undiscounted, as the budget counts
/// it, when it is delivered in `period` and starts in period `start`: what runs before the end
/// of the plan's last period (later months belong to later budgets).
pub fn recurring_spend(model: &Model, f: usize, period: usize, start: usize) -> f64 {
    recurring(model, f).map_or(0.0, |r| {
        let time = &model.time;
        r.paid_between(r.from_months(time, period, start), time.plan_months())
    })
}

/// Feature `f`'s recurring cost paid within period `p` at its means, undiscounted, delivered
/// in `period` and started in `start`: the months of `p` from when the cost starts to run. A
/// budget per period books a recurring cost as it is paid.
pub fn recurring_spend_in(model: &Model, f: usize, period: usize, start: usize, p: usize) -> f64 {
    recurring(model, f).map_or(0.0, |r| {
        let time = &model.time;
        let opens = p as f64 * time.period_weeks / WEEKS_PER_MONTH;
        let from = r.from_months(time, period, start).max(opens);
        r.paid_between(from, time.period_end_months(p))
    })
}

/// The least recurring spend within the plan that feature `f` can have: delivered in its last
/// possible period (its hard deadline, or the plan's last), started as late as its expected
/// lead time allows. A bound every plan that delivers it meets.
pub fn least_recurring_spend(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    if feature.recurring_cost.is_none() {
        return 0.0;
    }
    let time = &model.time;
    let last = match feature.deadline {
        Some(d) if d.kind == DeadlineKind::Hard => d.period.min(time.periods - 1),
        _ => time.periods - 1,
    };
    let open = feature.earliest_period.unwrap_or(0);
    let start = time.planned_start(open, last, lead_weeks(model, f));
    recurring_spend(model, f, last, start)
}

/// Expected undiscounted spend of a plan, as the budget counts it: its features' spend, their
/// recurring costs within the plan, and the teams whose cost is fixed.
pub fn plan_spend(model: &Model, plan: &super::Plan) -> f64 {
    let mut total: f64 = plan.planned().map(|(f, _)| spend(model, f)).sum();
    for (f, t) in plan.planned() {
        if let (Some(_), Some(start)) = (&model.features[f].recurring_cost, plan.start(model, f)) {
            total += recurring_spend(model, f, t, start);
        }
    }
    if has_fixed_cost(model) {
        total += fixed_team_spend(model);
    }
    total
        + super::staffing::spend_by_period(model, &plan.bought)
            .iter()
            .sum::<f64>()
}

/// Expected undiscounted spend of delivering feature `f`, as the budget counts it (the format
/// reference's formula, in its order): mean effort at each team's cost per week, plus the mean
/// one-off cost, plus each risk's probability times its mean cost and its mean effort at cost
/// per week. Teams whose cost is fixed count nothing here ([`fixed_team_spend`]); a recurring
/// cost depends on when the feature ships ([`recurring_spend`]).
pub fn spend(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    let rate = |team: usize| model.teams.get(team).map_or(0.0, variable_rate);
    let team_cost: f64 = feature
        .effort
        .iter()
        .map(|e| mean(model, e.weeks) * rate(e.team))
        .sum();
    let risks: f64 = feature
        .risks
        .iter()
        .map(|r| {
            r.probability
                * (r.cost.map_or(0.0, |c| mean(model, c))
                    + r.effort
                        .iter()
                        .map(|e| mean(model, e.weeks) * rate(e.team))
                        .sum::<f64>())
        })
        .sum();
    team_cost + feature.cost.map_or(0.0, |c| mean(model, c)) + risks
}

/// Expected one-off money of feature `f`, paid at its start: its mean `cost` plus each risk's
/// probability times its mean cost (team time is not included).
pub fn one_off_cost(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    feature.cost.map_or(0.0, |c| mean(model, c))
        + feature
            .risks
            .iter()
            .filter_map(|r| r.cost.map(|c| r.probability * mean(model, c)))
            .sum::<f64>()
}

/// The share of feature `f`'s value expected to survive its risks: the product over its risks
/// of 1 - probability × the share of value the risk takes.
pub fn value_kept(model: &Model, f: usize) -> f64 {
    model.features.get(f).map_or(1.0, |feature| {
        feature
            .risks
            .iter()
            .map(|r| 1.0 - r.probability * r.value_loss)
            .product()
    })
}

/// The lead time a plan allows feature `f`, in weeks from its start: its mean vendor lead time
/// plus each risk's probability times its mean delay.
pub fn lead_weeks(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    feature.vendor_lead_weeks.map_or(0.0, |i| mean(model, i))
        + feature
            .risks
            .iter()
            .filter_map(|r| r.delay_weeks.map(|d| r.probability * mean(model, d)))
            .sum::<f64>()
}

/// The moment feature `f`'s vendor part is expected to be ready, in weeks from the plan start:
/// the end of its `vendor_ready` date plus the mean slip; negative infinity without one.
pub fn ready_weeks(model: &Model, f: usize) -> f64 {
    model
        .features
        .get(f)
        .and_then(|feature| feature.vendor_ready.as_ref())
        .map_or(f64::NEG_INFINITY, |v| {
            v.weeks + v.delay_weeks.map_or(0.0, |d| mean(model, d))
        })
}

/// The mean capacity factor of team `t`: the share of its capacity expected to be left after
/// support load and attrition; 0 for a team the model does not have.
pub fn capacity_factor(model: &Model, t: usize) -> f64 {
    model
        .teams
        .get(t)
        .map_or(0.0, |team| mean(model, team.capacity_factor))
}

/// Expected person-weeks team `t` has in each period, [period]: the period's capacity times
/// the mean capacity factor. Empty for a team the model does not have.
pub fn capacity(model: &Model, t: usize) -> Vec<f64> {
    let factor = capacity_factor(model, t);
    model.teams.get(t).map_or_else(Vec::new, |team| {
        team.capacity_weeks.iter().map(|c| c * factor).collect()
    })
}

/// Expected person-weeks of every team in every period, [team][period].
pub fn capacities(model: &Model) -> Vec<Vec<f64>> {
    (0..model.teams.len()).map(|t| capacity(model, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_model as model;

    const TWO_TEAMS: &str = r#"
[plan]
periods = 2
budget = 1_000_000
[[teams]]
id = "web"
capacity = 10
cost_per_week = 1000
[[teams]]
id = "app"
capacity = 5
cost_per_week = 2000
[[features]]
id = "a"
effort = { web = 0.7, app = 1 }
cost = 500
value = 1
risks = [
  { probability = 0.3, effort = { web = 0.7, app = 8 }, cost = 100 },
  { probability = 0.1, effort = { web = 0.1 }, delay_weeks = 4, value_loss = 0.5 },
]
"#;

    #[test]
    fn one_team_s_effort_is_its_entry_in_the_row_to_the_bit() {
        let m = model(TWO_TEAMS);
        let row = effort_by_team(&m, 0);
        for (t, &w) in row.iter().enumerate() {
            assert_eq!(effort_on_team(&m, 0, t).to_bits(), w.to_bits());
        }
        // web 0.7 + 0.3 x 0.7 + 0.1 x 0.1; app 1 + 0.3 x 8.
        assert!((row[0] - 0.92).abs() < 1e-12);
        assert!((row[1] - 3.4).abs() < 1e-12);
        assert!((effort_weeks(&m, 0) - 4.32).abs() < 1e-12);
        assert_eq!(effort_on_team(&m, 0, 2), 0.0);
        assert_eq!(effort_by_team(&m, 1), vec![0.0, 0.0]);
    }

    #[test]
    fn spend_counts_team_time_one_off_costs_and_risks_at_their_probability() {
        let m = model(TWO_TEAMS);
        // 0.7 x 1000 + 1 x 2000 + 500 + 0.3 x (100 + 0.7 x 1000 + 8 x 2000) + 0.1 x 0.1 x 1000.
        let expected = 700.0 + 2000.0 + 500.0 + 0.3 * 16_800.0 + 10.0;
        assert!((spend(&m, 0) - expected).abs() < 1e-9, "{}", spend(&m, 0));
        assert!((one_off_cost(&m, 0) - 530.0).abs() < 1e-12);
        assert!((lead_weeks(&m, 0) - 0.4).abs() < 1e-12);
        assert!((value_kept(&m, 0) - 0.95).abs() < 1e-12);
        assert_eq!(spend(&m, 9), 0.0);
    }
}
