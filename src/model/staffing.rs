//! Capacity a plan may buy: people hired into a team, or contractors engaged for a run of
//! periods (`[[extra_capacity]]`). A plan says what it bought as [`Purchase`]s; the optimizer
//! chooses them, the simulator adds their weeks to the team's capacity and charges their cost
//! in every future, whatever the plan delivers.
//!
//! A newcomer's output rises linearly from nothing to full over `ramp_weeks`; they are paid
//! from their first day. Starts fall on period boundaries: the first period a newcomer can
//! start in is the first that begins at least `lead_weeks` after the plan's start.

use super::{Model, TimeFrame};
use serde::Serialize;

/// How long bought people stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    /// Hired: from the period they start to the end of the plan.
    Hire,
    /// Engaged for any run of periods, and paid only for it.
    Contractor,
}

impl ExtraKind {
    pub fn name(self) -> &'static str {
        match self {
            ExtraKind::Hire => "hire",
            ExtraKind::Contractor => "contractor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "hire" => Some(ExtraKind::Hire),
            "contractor" => Some(ExtraKind::Contractor),
            _ => None,
        }
    }
}

/// One way to add people to a team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraCapacity {
    pub id: String,
    pub name: String,
    /// Index in [`Model::teams`].
    pub team: usize,
    pub kind: ExtraKind,
    /// At most this many at once.
    pub people: u32,
    /// Currency per week each person is engaged, ramp-up included.
    pub cost_per_week: f64,
    /// Person-weeks one person adds in a period at full speed.
    pub capacity_per_person: f64,
    /// Weeks from the plan's start until the first newcomer can start.
    pub lead_weeks: f64,
    /// Weeks over which a newcomer's output rises linearly to full.
    pub ramp_weeks: f64,
}

impl ExtraCapacity {
    /// The first period a newcomer can start in: the first that begins at least `lead_weeks`
    /// after the plan's start (may be past the plan).
    pub fn first_period(&self, time: &TimeFrame) -> usize {
        let w = time.period_weeks;
        let p = (self.lead_weeks / w - 1e-9).ceil().max(0.0);
        p as usize
    }

    /// Person-weeks one person started at the beginning of period `start` gives in period
    /// `t` at full team capacity factor: the period's share of the linear ramp, integrated
    /// exactly.
    pub fn weeks(&self, time: &TimeFrame, start: usize, t: usize) -> f64 {
        if t < start {
            return 0.0;
        }
        let w = time.period_weeks;
        let (from, to) = ((t - start) as f64 * w, (t - start + 1) as f64 * w);
        let output = |x: f64| {
            let r = self.ramp_weeks;
            if r <= 0.0 {
                x
            } else if x <= r {
                x * x / (2.0 * r)
            } else {
                x - r / 2.0
            }
        };
        (output(to) - output(from)) / w * self.capacity_per_person
    }

    /// Undiscounted pay of one person for one period.
    pub fn pay_per_period(&self, time: &TimeFrame) -> f64 {
        self.cost_per_week * time.period_weeks
    }

    /// The runs of periods a plan may buy this option for, as (first, last): a hire stays to
    /// the plan's end; a contractor may leave after any period.
    pub fn runs(&self, time: &TimeFrame) -> Vec<(usize, usize)> {
        let last = time.periods.saturating_sub(1);
        (self.first_period(time)..time.periods)
            .flat_map(|s| match self.kind {
                ExtraKind::Hire => vec![(s, last)],
                ExtraKind::Contractor => (s..time.periods).map(|e| (s, e)).collect(),
            })
            .collect()
    }
}

/// People who can work for more than one team (`[[pools]]`): salaried, paid every period
/// whatever they do, and assigned by the plan, period by period, to the teams they can join.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pool {
    pub id: String,
    pub name: String,
    /// How many people the pool has.
    pub people: u32,
    /// Person-weeks one person gives a team in a period, before the pool's capacity factor.
    pub capacity_per_person: f64,
    /// Multiplier on their weeks (support load, leave); constant 1 when certain.
    pub capacity_factor: super::InputId,
    /// Currency per person per week, paid for every person every period.
    pub cost_per_week: f64,
    /// Indices in [`Model::teams`] of the teams they can join.
    pub teams: Vec<usize>,
}

impl Pool {
    /// Undiscounted pay of the whole pool for one period.
    pub fn pay_per_period(&self, time: &TimeFrame) -> f64 {
        self.people as f64 * self.cost_per_week * time.period_weeks
    }
}

/// People of a pool a plan puts with a team for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Index in [`Model::pools`].
    pub pool: usize,
    pub team: usize,
    pub period: usize,
    pub people: u32,
}

/// People a plan buys: `people` of option `option`, working periods `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purchase {
    /// Index in [`Model::extra_capacity`].
    pub option: usize,
    pub people: u32,
    pub from: usize,
    pub to: usize,
}

impl Purchase {
    /// Person-weeks it adds to its team in period `t`, at full capacity factor.
    pub fn weeks(&self, model: &Model, t: usize) -> f64 {
        if t < self.from || t > self.to {
            return 0.0;
        }
        let option = &model.extra_capacity[self.option];
        self.people as f64 * option.weeks(&model.time, self.from, t)
    }

    /// Undiscounted pay over its whole run.
    pub fn paid(&self, model: &Model) -> f64 {
        (self.from..=self.to).map(|t| self.spend_in(model, t)).sum()
    }

    /// Undiscounted pay in period `t`.
    pub fn spend_in(&self, model: &Model, t: usize) -> f64 {
        if t < self.from || t > self.to {
            return 0.0;
        }
        self.people as f64 * model.extra_capacity[self.option].pay_per_period(&model.time)
    }
}

/// Person-weeks purchases add to each team in each period at full capacity factor,
/// [team][period].
pub fn added_weeks(model: &Model, bought: &[Purchase]) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.0; model.time.periods]; model.teams.len()];
    for p in bought {
        let team = model.extra_capacity[p.option].team;
        for (t, cell) in out[team].iter_mut().enumerate() {
            *cell += p.weeks(model, t);
        }
    }
    out
}

/// Where a schedule without a plan of its own places the pools' people (a priority order, or
/// an order packed into periods): split evenly over each pool's teams, every period, the first
/// teams listed taking any remainder. A rule's order says nothing about people, and leaving
/// the pool idle would charge the rule for people it never had a say over.
pub fn even_split(model: &Model) -> Vec<Assignment> {
    let mut out = Vec::new();
    for (q, pool) in model.pools.iter().enumerate() {
        let n = pool.teams.len() as u32;
        if n == 0 {
            continue;
        }
        for period in 0..model.time.periods {
            for (i, &team) in pool.teams.iter().enumerate() {
                let people = pool.people / n + u32::from((i as u32) < pool.people % n);
                if people > 0 {
                    out.push(Assignment {
                        pool: q,
                        team,
                        period,
                        people,
                    });
                }
            }
        }
    }
    out
}

/// Person-weeks pool assignments add to each team in each period before the pool's
/// capacity factor, one table per pool: [pool][team][period].
pub fn pooled_weeks(model: &Model, assigned: &[Assignment]) -> Vec<Vec<Vec<f64>>> {
    let mut out = vec![vec![vec![0.0; model.time.periods]; model.teams.len()]; model.pools.len()];
    for a in assigned {
        let pool = &model.pools[a.pool];
        out[a.pool][a.team][a.period] += a.people as f64 * pool.capacity_per_person;
    }
    out
}

/// Undiscounted pay of purchases in each period.
pub fn spend_by_period(model: &Model, bought: &[Purchase]) -> Vec<f64> {
    (0..model.time.periods)
        .map(|t| bought.iter().map(|p| p.spend_in(model, t)).sum())
        .collect()
}

/// Discounted pay of purchases, each period's pay spread evenly over it as team time is
/// (`period_flow_discount` from the money calendar).
pub fn cost(model: &Model, bought: &[Purchase], period_flow_discount: &[f64]) -> f64 {
    spend_by_period(model, bought)
        .iter()
        .zip(period_flow_discount)
        .map(|(s, d)| s * d)
        .sum()
}

/// The most person-weeks the options could add to each team in each period at full factor,
/// [team][period]: every person started as early as the lead time allows (a later start never
/// gives more in any period).
pub fn most_added(model: &Model) -> Vec<Vec<f64>> {
    let time = &model.time;
    let mut out = vec![vec![0.0; time.periods]; model.teams.len()];
    for option in &model.extra_capacity {
        let first = option.first_period(time);
        for (t, cell) in out[option.team].iter_mut().enumerate().skip(first) {
            *cell += option.people as f64 * option.weeks(time, first, t);
        }
    }
    out
}

/// `capacity` [team][period] at the teams' factors `factor`, plus every person the plan could
/// buy (at the team's factor) and every person of each pool it could place with the team (at
/// the pool's factor `pool_factor`): the capacity no plan can exceed.
pub fn most_capacity(
    model: &Model,
    capacity: &[Vec<f64>],
    factor: &[f64],
    pool_factor: &[f64],
) -> Vec<Vec<f64>> {
    let mut out = capacity.to_vec();
    for (k, added) in most_added(model).into_iter().enumerate() {
        let f = factor.get(k).copied().unwrap_or(1.0).max(0.0);
        for (c, a) in out[k].iter_mut().zip(added) {
            *c += a * f;
        }
    }
    for (q, pool) in model.pools.iter().enumerate() {
        let f = pool_factor.get(q).copied().unwrap_or(1.0).max(0.0);
        for &k in &pool.teams {
            for c in out[k].iter_mut() {
                *c += pool.people as f64 * pool.capacity_per_person * f;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(ramp: f64, lead: f64) -> ExtraCapacity {
        ExtraCapacity {
            id: "x".into(),
            name: "x".into(),
            team: 0,
            kind: ExtraKind::Contractor,
            people: 2,
            cost_per_week: 100.0,
            capacity_per_person: 10.0,
            lead_weeks: lead,
            ramp_weeks: ramp,
        }
    }

    fn time() -> TimeFrame {
        TimeFrame::new(4, 10.0, "2027Q1", 24.0, 0.0)
    }

    #[test]
    fn a_linear_ramp_loses_half_its_weeks_in_the_periods_it_spans() {
        let time = time();
        // A 15-week ramp over 10-week periods: 10²/30 = 3.33 weeks of output in the first
        // period, (15² - 10²)/30 + 5 = 9.17 in the second; together 20 - 15/2 = 12.5, half
        // the ramp lost; full output after.
        let o = option(15.0, 0.0);
        let first = o.weeks(&time, 1, 1);
        let second = o.weeks(&time, 1, 2);
        assert!((first - 100.0 / 30.0).abs() < 1e-12);
        assert!((first + second - 12.5).abs() < 1e-12);
        assert!((o.weeks(&time, 1, 3) - 10.0).abs() < 1e-12);
        assert_eq!(o.weeks(&time, 1, 0), 0.0);
        assert!((option(0.0, 0.0).weeks(&time, 0, 0) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn the_lead_time_sets_the_first_period_a_newcomer_can_start_in() {
        let time = time();
        assert_eq!(option(0.0, 0.0).first_period(&time), 0);
        assert_eq!(option(0.0, 10.0).first_period(&time), 1);
        assert_eq!(option(0.0, 10.5).first_period(&time), 2);
        let mut hire = option(0.0, 12.0);
        assert_eq!(hire.runs(&time), vec![(2, 2), (2, 3), (3, 3)]);
        hire.kind = ExtraKind::Hire;
        assert_eq!(hire.runs(&time), vec![(2, 3), (3, 3)]);
    }
}
