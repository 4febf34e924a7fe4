//! An independent checker of release plans: every rule a plan must satisfy, written from the
//! scenario format's definitions rather than from any solver formulation, so that a plan the
//! optimizer returns can be verified by code that shares none of its assumptions.
//!
//! The optimizer checks every plan it returns here; what-if, the frontier, the diagnosis of an
//! infeasible scenario and the report check theirs with the same rules. The expected figures
//! behind them (effort, spend, lead time) come from [`crate::model::expect`]; capacity, by
//! Hall's condition, is in [`capacity`].

mod basis;
mod capacity;
mod rules;

pub(crate) use basis::soonest_own_period;
pub use basis::{period_of_weeks, CheckBasis};
pub use capacity::{capacity_feasible, fits, Room};
pub(crate) use capacity::{overloads, Job};
pub(crate) use rules::{
    before_earliest, broken_exclusions, left_out_mandatory, missed_hard_deadline, planned,
    unmet_any_of, unmet_requirements, Unmet,
};

use crate::model::{exceeds, expect, Model, Plan};
use capacity::team_jobs;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    Mandatory,
    Exclusion,
    Dependency,
    HardDeadline,
    Earliest,
    LeadTime,
    Budget,
    Theme,
    Capacity,
    /// A feature planned in a period the plan does not have.
    PastPlanEnd,
}

/// What a plan breaks, as data: ids, period labels and figures in the user's terms, so that
/// the report words it ([`crate::report::violation`]) and callers without the model can too.
#[derive(Debug, Clone, PartialEq)]
pub enum Breach {
    Mandatory {
        feature: String,
    },
    Exclusion {
        feature: String,
        period: String,
        other: String,
        other_period: String,
    },
    RequirementLeftOut {
        feature: String,
        required: String,
    },
    RequirementTooSoon {
        feature: String,
        period: String,
        required: String,
        lag_periods: usize,
        required_period: String,
    },
    /// No alternative of an any-of group is planned by the feature's period less the lag:
    /// `first` is the one planned first, with its period, if the plan has any.
    AnyOfUnmet {
        feature: String,
        period: String,
        alternatives: Vec<String>,
        lag_periods: usize,
        first: Option<(String, String)>,
    },
    HardDeadline {
        feature: String,
        period: String,
        deadline: String,
    },
    Earliest {
        feature: String,
        period: String,
        earliest: String,
    },
    /// Planned before the period its vendor's ready date (plus its expected slip) falls in.
    VendorReady {
        feature: String,
        period: String,
        /// The ready date as written, and the soonest period it allows.
        date: String,
        soonest: String,
        slip_weeks: f64,
    },
    LeadTime {
        feature: String,
        period: String,
        /// The soonest week the feature can complete, and that week's period.
        soonest_weeks: f64,
        soonest: String,
        lead_weeks: f64,
        /// The period the lead time counts from (the feature's earliest).
        from: String,
    },
    PastPlanEnd {
        feature: String,
        /// 0-based period the plan names, past its last.
        period: usize,
        last: String,
    },
    Budget {
        spend: f64,
        budget: f64,
        currency: String,
    },
    /// A period's expected spend, as the plan books it, over that period's budget.
    PeriodBudget {
        period: String,
        spend: f64,
        budget: f64,
        currency: String,
    },
    Theme {
        theme: String,
        weeks: f64,
        total: f64,
        share: f64,
        bound: f64,
        /// Below the minimum share, else above the maximum.
        below: bool,
    },
    Capacity {
        team: String,
        need_weeks: f64,
        /// The periods the overload spans ("2027Q1" or "2027Q1–2027Q2").
        span: String,
        features: Vec<String>,
        capacity_weeks: f64,
    },
}

/// Expected spend a plan books in each period, as the budget per period counts it: a feature's
/// team time (its expected spend less its one-off costs) in the period it is planned in, as its
/// cost is booked when it ships; its expected one-off costs in the period it starts in; its
/// recurring cost in the months it is paid; the whole capacity of the teams whose cost is
/// fixed, in every period; and the pay of the people the plan buys, in each period they work. Planned periods past the plan's end book nothing.
pub fn period_spend(model: &Model, plan: &Plan) -> Vec<f64> {
    let periods = model.time.periods;
    let bought = crate::model::staffing::spend_by_period(model, &plan.bought);
    let mut spend: Vec<f64> = (0..periods)
        .map(|p| expect::fixed_team_spend_in(model, p) + bought[p])
        .collect();
    for (f, p) in plan.planned() {
        let one_off = expect::one_off_cost(model, f);
        if let Some(slot) = spend.get_mut(p) {
            *slot += expect::spend(model, f) - one_off;
        }
        let start = plan.start(model, f);
        if let Some(slot) = start.and_then(|s| spend.get_mut(s)) {
            *slot += one_off;
        }
        if let (Some(start), Some(_)) = (start, &model.features[f].recurring_cost) {
            for (q, slot) in spend.iter_mut().enumerate() {
                *slot += expect::recurring_spend_in(model, f, p, start, q);
            }
        }
    }
    spend
}

#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub kind: ViolationKind,
    pub breach: Breach,
    /// The features involved, by index, so that a caller can point at them.
    pub features: Vec<usize>,
}

/// Everything wrong with `plan` under `basis`, in rule order, then feature order; empty when
/// the plan is feasible.
pub fn check_plan(model: &Model, plan: &Plan, basis: &CheckBasis) -> Vec<Violation> {
    let mut checker = Checker {
        model,
        plan,
        out: Vec::new(),
    };
    checker.mandatory();
    checker.exclusions();
    checker.dependencies();
    checker.hard_deadlines();
    checker.earliest();
    checker.lead_times(basis);
    checker.past_plan_end();
    let delivered: Vec<usize> = (0..model.features.len())
        .filter(|&f| checker.period(f).is_some())
        .collect();
    checker.budget(&delivered);
    checker.period_budgets();
    checker.themes(&delivered);
    checker.capacity(basis);
    checker.out
}

/// A plan being checked, and the violations found so far.
struct Checker<'a> {
    model: &'a Model,
    plan: &'a Plan,
    out: Vec<Violation>,
}

impl<'a> Checker<'a> {
    fn period(&self, f: usize) -> Option<usize> {
        planned(self.plan, f)
    }

    fn id(&self, f: usize) -> String {
        self.model.features[f].id.to_string()
    }

    fn label(&self, p: usize) -> String {
        self.model.time.label(p)
    }

    /// The planned features with their periods, in feature order.
    fn planned(&self) -> impl Iterator<Item = (usize, usize)> + 'a {
        let plan = self.plan;
        (0..self.model.features.len()).filter_map(move |f| Some((f, planned(plan, f)?)))
    }

    fn violation(&mut self, kind: ViolationKind, breach: Breach, features: Vec<usize>) {
        self.out.push(Violation {
            kind,
            breach,
            features,
        })
    }

    fn mandatory(&mut self) {
        for (f, feature) in self.model.features.iter().enumerate() {
            if left_out_mandatory(feature, self.period(f)) {
                let breach = Breach::Mandatory {
                    feature: self.id(f),
                };
                self.violation(ViolationKind::Mandatory, breach, vec![f]);
            }
        }
    }

    fn exclusions(&mut self) {
        for (f, pf) in self.planned() {
            for (x, px) in broken_exclusions(self.model, self.plan, f) {
                let breach = Breach::Exclusion {
                    feature: self.id(f),
                    period: self.label(pf),
                    other: self.id(x),
                    other_period: self.label(px),
                };
                self.violation(ViolationKind::Exclusion, breach, vec![f, x]);
            }
        }
    }

    fn dependencies(&mut self) {
        for (f, pf) in self.planned() {
            for (r, unmet) in unmet_requirements(self.model, self.plan, f, pf) {
                let g = r.feature;
                let breach = match unmet {
                    Unmet::LeftOut => Breach::RequirementLeftOut {
                        feature: self.id(f),
                        required: self.id(g),
                    },
                    Unmet::TooSoon { planned: pg } => Breach::RequirementTooSoon {
                        feature: self.id(f),
                        period: self.label(pf),
                        required: self.id(g),
                        lag_periods: r.lag_periods,
                        required_period: self.label(pg),
                    },
                };
                self.violation(ViolationKind::Dependency, breach, vec![f, g]);
            }
            for (group, first) in unmet_any_of(self.model, self.plan, f, pf) {
                let breach = Breach::AnyOfUnmet {
                    feature: self.id(f),
                    period: self.label(pf),
                    alternatives: group.features.iter().map(|&g| self.id(g)).collect(),
                    lag_periods: group.lag_periods,
                    first: first.map(|(g, pg)| (self.id(g), self.label(pg))),
                };
                let mut features = vec![f];
                features.extend(&group.features);
                self.violation(ViolationKind::Dependency, breach, features);
            }
        }
    }

    fn hard_deadlines(&mut self) {
        for (f, pf) in self.planned() {
            if let Some(deadline) = missed_hard_deadline(&self.model.features[f], pf) {
                let breach = Breach::HardDeadline {
                    feature: self.id(f),
                    period: self.label(pf),
                    deadline: self.label(deadline),
                };
                self.violation(ViolationKind::HardDeadline, breach, vec![f]);
            }
        }
    }

    fn earliest(&mut self) {
        for (f, pf) in self.planned() {
            if let Some(earliest) = before_earliest(&self.model.features[f], pf) {
                let breach = Breach::Earliest {
                    feature: self.id(f),
                    period: self.label(pf),
                    earliest: self.label(earliest),
                };
                self.violation(ViolationKind::Earliest, breach, vec![f]);
            }
        }
    }

    fn lead_times(&mut self, basis: &CheckBasis) {
        let period_weeks = self.model.time.period_weeks;
        for (f, pf) in self.planned() {
            let ready = self.model.features[f].vendor_ready.as_ref();
            if let (Some(v), Some(weeks)) = (ready, basis.ready(f)) {
                let soonest = period_of_weeks(weeks, period_weeks);
                if soonest > pf {
                    let breach = Breach::VendorReady {
                        feature: self.id(f),
                        period: self.label(pf),
                        date: v.date.to_string(),
                        soonest: self.label(soonest),
                        slip_weeks: weeks - v.weeks,
                    };
                    self.violation(ViolationKind::LeadTime, breach, vec![f]);
                    continue;
                }
            }
            let lead = basis.lead(f);
            let earliest = self.model.features[f].earliest_period.unwrap_or(0);
            let soonest_weeks = earliest as f64 * period_weeks + lead;
            let soonest = period_of_weeks(soonest_weeks, period_weeks);
            if soonest > pf {
                let breach = Breach::LeadTime {
                    feature: self.id(f),
                    period: self.label(pf),
                    soonest_weeks,
                    soonest: self.label(soonest),
                    lead_weeks: lead,
                    from: self.label(earliest),
                };
                self.violation(ViolationKind::LeadTime, breach, vec![f]);
            }
        }
    }

    fn past_plan_end(&mut self) {
        let periods = self.model.time.periods;
        for (f, pf) in self.planned() {
            if pf >= periods {
                let breach = Breach::PastPlanEnd {
                    feature: self.id(f),
                    period: pf,
                    last: self.label(periods.saturating_sub(1)),
                };
                self.violation(ViolationKind::PastPlanEnd, breach, vec![f]);
            }
        }
    }

    fn budget(&mut self, delivered: &[usize]) {
        let model = self.model;
        let Some(budget) = model.budget else { return };
        let mut spend: f64 = delivered.iter().map(|&f| expect::spend(model, f)).sum();
        // A recurring cost counts for the months it runs within the plan; the teams whose
        // cost is fixed count in full, whatever the plan holds.
        for &f in delivered {
            if let (Some(t), Some(start)) = (self.period(f), self.plan.start(model, f)) {
                if model.features[f].recurring_cost.is_some() {
                    spend += expect::recurring_spend(model, f, t, start);
                }
            }
        }
        if expect::has_fixed_cost(model) {
            spend += expect::fixed_team_spend(model);
        }
        // The people the plan buys are paid for every period they are engaged.
        spend += crate::model::staffing::spend_by_period(model, &self.plan.bought)
            .iter()
            .sum::<f64>();
        if exceeds(spend, budget) {
            let breach = Breach::Budget {
                spend,
                budget,
                currency: model.currency.clone(),
            };
            self.violation(ViolationKind::Budget, breach, delivered.to_vec());
        }
    }

    /// Each period's expected spend as the plan books it ([`period_spend`]) against its budget.
    fn period_budgets(&mut self) {
        let model = self.model;
        let Some(budgets) = &model.budget_per_period else {
            return;
        };
        let spend = period_spend(model, self.plan);
        for (p, (&spent, &budget)) in spend.iter().zip(budgets).enumerate() {
            if exceeds(spent, budget) {
                // What books money in the period: a release, a start, a recurring bill.
                let books = |f: usize| match (self.period(f), self.plan.start(model, f)) {
                    (Some(t), Some(s)) => {
                        t == p || s == p || expect::recurring_spend_in(model, f, t, s, p) > 0.0
                    }
                    _ => false,
                };
                let features: Vec<usize> =
                    (0..model.features.len()).filter(|&f| books(f)).collect();
                let breach = Breach::PeriodBudget {
                    period: self.label(p),
                    spend: spent,
                    budget,
                    currency: model.currency.clone(),
                };
                self.violation(ViolationKind::Budget, breach, features);
            }
        }
    }

    fn themes(&mut self, delivered: &[usize]) {
        let model = self.model;
        if model.themes.is_empty() {
            return;
        }
        // Shares count expected work whatever the basis, so that a robust plan's portfolio
        // mix means the same as a deterministic one's.
        let expected = CheckBasis::expected(model);
        let weeks = |f: usize| expected.total_weeks(f);
        let total: f64 = delivered.iter().map(|&f| weeks(f)).sum();
        for (k, theme) in model.themes.iter().enumerate() {
            let members: Vec<usize> = delivered
                .iter()
                .copied()
                .filter(|&f| model.features[f].theme == Some(k))
                .collect();
            // `+ 0.0`: an empty sum is -0.0, which would print as "-0.0".
            let theme_weeks: f64 = members.iter().map(|&f| weeks(f)).sum::<f64>() + 0.0;
            let share = if total > 0.0 {
                theme_weeks / total
            } else {
                0.0
            };
            let breach = |below: bool, bound: f64| Breach::Theme {
                theme: theme.id.to_string(),
                weeks: theme_weeks,
                total,
                share,
                bound,
                below,
            };
            if exceeds(theme.min_share * total, theme_weeks) {
                let breach = breach(true, theme.min_share);
                self.violation(ViolationKind::Theme, breach, members.clone());
            }
            if exceeds(theme_weeks, theme.max_share * total) {
                let breach = breach(false, theme.max_share);
                self.violation(ViolationKind::Theme, breach, members);
            }
        }
    }

    fn capacity(&mut self, basis: &CheckBasis) {
        let model = self.model;
        for (t, team) in model.teams.iter().enumerate() {
            let jobs = team_jobs(model, self.plan, basis, t);
            let capacity = basis.team_capacity(model, self.plan, t);
            for o in overloads(&jobs, &capacity) {
                let breach = Breach::Capacity {
                    team: team.id.to_string(),
                    need_weeks: o.need_weeks,
                    span: model.time.span_label(o.first_period, o.last_period),
                    features: o.jobs.iter().map(|&f| self.id(f)).collect(),
                    capacity_weeks: o.capacity_weeks,
                };
                self.violation(ViolationKind::Capacity, breach, o.jobs);
            }
        }
    }
}

#[cfg(test)]
mod tests;
