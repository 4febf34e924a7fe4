//! Money that does not come from a feature's work: recurring costs from a feature's release
//! or start to the horizon, and the cost of teams paid whatever the plan holds
//! (scenarios/README.md, "How value and cost are counted").

use super::{Engine, FeatureInfo, Scratch, TrialMoney, NONE, NOT_DELIVERED};
use crate::model::staffing::{self, Purchase};
use crate::model::time::WEEKS_PER_MONTH;
use crate::model::value::{flow_months, growth_factor, MoneyCalendar};
use crate::model::{expect, CostKind, Model, RecurringFrom};

/// A feature's recurring cost, compiled: its inputs (NONE where absent) and when it starts.
#[derive(Debug, Clone)]
pub(super) struct RecurringInfo {
    per_month: u32,
    per_customer: u32,
    demand: u32,
    growth: u32,
    from: RecurringFrom,
}

pub(super) fn recurring_infos(model: &Model) -> Vec<Option<RecurringInfo>> {
    model
        .features
        .iter()
        .map(|f| {
            let r = f.recurring_cost.as_ref()?;
            let segment = r.per_customer.map(|c| &model.segments[c.segment]);
            Some(RecurringInfo {
                per_month: r.per_month.map_or(NONE, |i| i.0),
                per_customer: r.per_customer.map_or(NONE, |c| c.amount.0),
                demand: segment.map_or(NONE, |s| s.demand.0),
                growth: segment.map_or(NONE, |s| s.growth.0),
                from: r.from,
            })
        })
        .collect()
}

/// The teams whose cost is fixed: the same money in every trial, precomputed.
#[derive(Debug, Clone, Default)]
pub(super) struct FixedTeamCost {
    /// Discounted, and undiscounted (as the budget counts it).
    cost: f64,
    spend: f64,
    /// Discounted cost in each month.
    flows: Vec<f64>,
    /// Undiscounted spend in each period, as a budget per period books it.
    by_period: Vec<f64>,
}

impl FixedTeamCost {
    /// Each period's capacity at the team's cost per week, paid evenly over the period, as
    /// team time is paid.
    /// The extra capacity a plan buys is paid the same way: a constant of the plan, paid in
    /// every future whatever it delivers.
    pub(super) fn new(model: &Model, calendar: &MoneyCalendar, bought: &[Purchase]) -> Self {
        if bought.is_empty() && !expect::has_fixed_cost(model) {
            return FixedTeamCost::default();
        }
        let bought_by_period = staffing::spend_by_period(model, bought);
        let mut flows = vec![0.0; calendar.months];
        let mut pay = |p: usize, paid: f64| {
            for &(m, share) in &calendar.period_months[p] {
                flows[m] += paid * share * calendar.month_discount[m];
            }
        };
        for team in model
            .teams
            .iter()
            .filter(|t| t.cost_kind == CostKind::Fixed)
        {
            for (p, capacity) in team.capacity_weeks.iter().enumerate() {
                pay(p, capacity * team.cost_per_week);
            }
        }
        for (p, &paid) in bought_by_period.iter().enumerate() {
            pay(p, paid);
        }
        for pool in &model.pools {
            for p in 0..model.time.periods {
                pay(p, pool.pay_per_period(&model.time));
            }
        }
        FixedTeamCost {
            cost: expect::fixed_team_cost(model, &calendar.period_flow_discount)
                + staffing::cost(model, bought, &calendar.period_flow_discount),
            spend: expect::fixed_team_spend(model) + bought_by_period.iter().sum::<f64>(),
            flows,
            by_period: (0..model.time.periods)
                .map(|p| expect::fixed_team_spend_in(model, p) + bought_by_period[p])
                .collect(),
        }
    }

    #[inline]
    pub(super) fn charge(&self, s: &mut Scratch, money: &mut TrialMoney) {
        if self.flows.is_empty() {
            return;
        }
        money.cost += self.cost;
        money.team_fixed = self.cost;
        money.spend += self.spend;
        for (flow, paid) in s.flows.iter_mut().zip(&self.flows) {
            *flow -= paid;
        }
        for (slot, paid) in s.spend_by_period.iter_mut().zip(&self.by_period) {
            *slot += paid;
        }
    }
}

impl Engine {
    /// A feature's recurring cost in this trial, month by month from its release (when it is
    /// released within the plan) or its start to the horizon; what falls within the plan counts
    /// as spend.
    #[inline]
    pub(super) fn recurring_cost(
        &self,
        f: usize,
        info: &FeatureInfo,
        r: &RecurringInfo,
        s: &mut Scratch,
        money: &mut TrialMoney,
    ) {
        let from_weeks = match r.from {
            RecurringFrom::Release => match s.period[f] {
                NOT_DELIVERED => return,
                p => (p + 1) as f64 * self.period_weeks,
            },
            RecurringFrom::Start => match self.begun(f, info, s) {
                Some(weeks) => weeks,
                None => return,
            },
        };
        let from = from_weeks / WEEKS_PER_MONTH;
        let values = &s.draws.values;
        let drawn = |input: u32| {
            if input == NONE {
                0.0
            } else {
                values[input as usize]
            }
        };
        let flat = drawn(r.per_month).max(0.0);
        let customers = (drawn(r.per_customer) * drawn(r.demand)).max(0.0);
        let growth = drawn(r.growth);
        let cal = &self.calendar;
        let mut cost = 0.0;
        for (m, part) in flow_months(from, cal.horizon_months) {
            let paid = part * cal.month_discount[m] * (flat + customers * growth_factor(growth, m));
            cost += paid;
            s.flows[m] -= paid;
        }
        let plan_end = self.periods as f64 * self.period_weeks / WEEKS_PER_MONTH;
        for (m, part) in flow_months(from, plan_end) {
            money.spend += part * (flat + customers * growth_factor(growth, m));
        }
        let paid = |from: f64, until: f64| -> f64 {
            flow_months(from, until)
                .map(|(m, part)| part * (flat + customers * growth_factor(growth, m)))
                .sum()
        };
        // A budget per period books the months of each period the cost is paid in.
        let month_of = |p: usize| p as f64 * self.period_weeks / WEEKS_PER_MONTH;
        for (p, slot) in s.spend_by_period.iter_mut().enumerate() {
            *slot += paid(from.max(month_of(p)), month_of(p + 1));
        }
        money.cost += cost;
        money.recurring += cost;
    }
}
