//! The numbers a plan is checked against, and the periods lead times reach.

use crate::model::{expect, Model, Plan};
use serde::Serialize;

/// The numbers a plan was made with: capacity and lead times may be at a quantile (robust mode).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckBasis {
    /// Person-weeks each feature needs from each team, [feature][team].
    pub effort: Vec<Vec<f64>>,
    /// Person-weeks each team has in each period, [team][period].
    pub capacity: Vec<Vec<f64>>,
    /// Weeks from the start of a feature's earliest period until it can complete at the soonest
    /// (vendor lead time plus risk delays); 0 when none.
    pub lead_weeks: Vec<f64>,
    /// The moment each feature's vendor part is ready, in weeks from the plan start, whatever
    /// its start; negative infinity (or no entry) when it has no ready date.
    pub ready_weeks: Vec<f64>,
    /// Each team's capacity factor in this basis, which the weeks of people a plan buys are
    /// scaled by as the team's own are; 1 for a team it does not cover.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity_factor: Vec<f64>,
    /// Each pool's capacity factor in this basis; 1 for a pool it does not cover.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pool_factor: Vec<f64>,
}

impl CheckBasis {
    /// Expectations: a feature's effort on a team is its mean effort plus each risk's
    /// probability times the risk's mean effort on that team; capacity is the capacity of each
    /// period times the mean capacity factor; lead time is the mean vendor lead time plus each
    /// risk's probability times its mean delay.
    pub fn expected(model: &Model) -> Self {
        CheckBasis {
            effort: expect::efforts(model),
            capacity: expect::capacities(model),
            capacity_factor: (0..model.teams.len())
                .map(|t| expect::capacity_factor(model, t))
                .collect(),
            pool_factor: model
                .pools
                .iter()
                .map(|p| model.mean(p.capacity_factor))
                .collect(),
            lead_weeks: (0..model.features.len())
                .map(|f| expect::lead_weeks(model, f))
                .collect(),
            ready_weeks: (0..model.features.len())
                .map(|f| expect::ready_weeks(model, f))
                .collect(),
        }
    }

    /// Person-weeks `team` has in each period under `plan`: its own, plus the weeks of the
    /// people the plan buys for it at the team's capacity factor.
    pub fn team_capacity<'a>(
        &'a self,
        model: &Model,
        plan: &Plan,
        team: usize,
    ) -> std::borrow::Cow<'a, [f64]> {
        let own = self.capacity.get(team).map_or(&[][..], |c| &c[..]);
        if plan.bought.is_empty() && plan.assigned.is_empty() {
            return std::borrow::Cow::Borrowed(own);
        }
        let factor = self.capacity_factor.get(team).copied().unwrap_or(1.0);
        let mut out = own.to_vec();
        for b in plan.bought.iter().filter(|b| {
            model
                .extra_capacity
                .get(b.option)
                .is_some_and(|o| o.team == team)
        }) {
            for (t, c) in out.iter_mut().enumerate() {
                *c += b.weeks(model, t) * factor;
            }
        }
        for a in plan.assigned.iter().filter(|a| a.team == team) {
            let (Some(pool), Some(c)) = (model.pools.get(a.pool), out.get_mut(a.period)) else {
                continue;
            };
            let f = self
                .pool_factor
                .get(a.pool)
                .copied()
                .unwrap_or(1.0)
                .max(0.0);
            *c += a.people as f64 * pool.capacity_per_person * f;
        }
        std::borrow::Cow::Owned(out)
    }

    /// This basis with every person the scenario's extra capacity could add and every pool
    /// could lend, at their capacity factors: the capacity no plan can exceed.
    pub fn with_most_extra(&self, model: &Model) -> std::borrow::Cow<'_, CheckBasis> {
        if model.extra_capacity.is_empty() && model.pools.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut more = self.clone();
        more.capacity = crate::model::staffing::most_capacity(
            model,
            &self.capacity,
            &self.capacity_factor,
            &self.pool_factor,
        );
        std::borrow::Cow::Owned(more)
    }

    /// Person-weeks of `feature` on `team`; 0 for indices the basis does not cover.
    pub fn effort_weeks(&self, feature: usize, team: usize) -> f64 {
        self.effort
            .get(feature)
            .and_then(|row| row.get(team))
            .copied()
            .unwrap_or(0.0)
    }

    /// Person-weeks of `feature` over all teams, the work that theme shares count; 0 for
    /// indices the basis does not cover.
    pub fn total_weeks(&self, feature: usize) -> f64 {
        self.effort
            .get(feature)
            .map_or(0.0, |row| row.iter().sum::<f64>())
    }

    /// Lead weeks of `feature`; 0 for indices the basis does not cover.
    pub fn lead(&self, feature: usize) -> f64 {
        self.lead_weeks.get(feature).copied().unwrap_or(0.0)
    }

    /// When `feature`'s vendor part is ready, in weeks from the plan start; None without a
    /// ready date.
    pub fn ready(&self, feature: usize) -> Option<f64> {
        self.ready_weeks
            .get(feature)
            .copied()
            .filter(|w| *w > f64::NEG_INFINITY)
    }
}

/// The 0-based period in which a moment `weeks` after the plan start falls; the end of a
/// period belongs to it, and small float noise past an end does not move it to the next.
pub fn period_of_weeks(weeks: f64, period_weeks: f64) -> usize {
    if period_weeks <= 0.0 {
        return 0;
    }
    let period = (weeks / period_weeks - 1e-9).ceil() - 1.0;
    // `as` saturates, and a NaN (impossible from validated inputs) becomes the first period.
    if period > 0.0 {
        period as usize
    } else {
        0
    }
}

/// The first period a feature may be delivered in given its earliest start and lead time,
/// ignoring what it requires.
pub(crate) fn soonest_own_period(model: &Model, basis: &CheckBasis, feature: usize) -> usize {
    let earliest = model.features[feature].earliest_period.unwrap_or(0);
    let lead = basis.lead(feature);
    let by_lead = period_of_weeks(
        earliest as f64 * model.time.period_weeks + lead,
        model.time.period_weeks,
    );
    let by_ready = basis
        .ready(feature)
        .map_or(0, |w| period_of_weeks(w, model.time.period_weeks));
    earliest.max(by_lead).max(by_ready)
}
