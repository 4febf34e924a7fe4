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
    unmet_requirements, Unmet,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub kind: ViolationKind,
    /// A sentence in the user's terms (feature ids, period labels, weeks).
    pub message: String,
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

    fn id(&self, f: usize) -> &str {
        self.model.features[f].id.as_str()
    }

    fn label(&self, p: usize) -> String {
        self.model.time.label(p)
    }

    /// The planned features with their periods, in feature order.
    fn planned(&self) -> impl Iterator<Item = (usize, usize)> + 'a {
        let plan = self.plan;
        (0..self.model.features.len()).filter_map(move |f| Some((f, planned(plan, f)?)))
    }

    fn violation(&mut self, kind: ViolationKind, message: String, features: Vec<usize>) {
        self.out.push(Violation {
            kind,
            message,
            features,
        })
    }

    fn mandatory(&mut self) {
        for (f, feature) in self.model.features.iter().enumerate() {
            if left_out_mandatory(feature, self.period(f)) {
                let message = format!("{} is mandatory but the plan leaves it out", self.id(f));
                self.violation(ViolationKind::Mandatory, message, vec![f]);
            }
        }
    }

    fn exclusions(&mut self) {
        for (f, pf) in self.planned() {
            for (x, px) in broken_exclusions(self.model, self.plan, f) {
                let message = format!(
                    "{} and {} exclude each other but the plan delivers both ({} in {}, {} in {})",
                    self.id(f),
                    self.id(x),
                    self.id(f),
                    self.label(pf),
                    self.id(x),
                    self.label(px)
                );
                self.violation(ViolationKind::Exclusion, message, vec![f, x]);
            }
        }
    }

    fn dependencies(&mut self) {
        for (f, pf) in self.planned() {
            for (r, unmet) in unmet_requirements(self.model, self.plan, f, pf) {
                let g = r.feature;
                let message = match unmet {
                    Unmet::LeftOut => {
                        format!(
                            "{} requires {}, which the plan leaves out",
                            self.id(f),
                            self.id(g)
                        )
                    }
                    Unmet::TooSoon { planned: pg } => format!(
                        "{} is planned in {} but requires {}{}, which is planned in {}",
                        self.id(f),
                        self.label(pf),
                        self.id(g),
                        lag_phrase(r.lag_periods),
                        self.label(pg)
                    ),
                };
                self.violation(ViolationKind::Dependency, message, vec![f, g]);
            }
        }
    }

    fn hard_deadlines(&mut self) {
        for (f, pf) in self.planned() {
            if let Some(deadline) = missed_hard_deadline(&self.model.features[f], pf) {
                let message = format!(
                    "{} is planned in {}, after its hard deadline {}",
                    self.id(f),
                    self.label(pf),
                    self.label(deadline)
                );
                self.violation(ViolationKind::HardDeadline, message, vec![f]);
            }
        }
    }

    fn earliest(&mut self) {
        for (f, pf) in self.planned() {
            if let Some(earliest) = before_earliest(&self.model.features[f], pf) {
                let message = format!(
                    "{} is planned in {}, before its earliest period {}",
                    self.id(f),
                    self.label(pf),
                    self.label(earliest)
                );
                self.violation(ViolationKind::Earliest, message, vec![f]);
            }
        }
    }

    fn lead_times(&mut self, basis: &CheckBasis) {
        let period_weeks = self.model.time.period_weeks;
        for (f, pf) in self.planned() {
            let lead = basis.lead(f);
            let earliest = self.model.features[f].earliest_period.unwrap_or(0);
            let soonest_weeks = earliest as f64 * period_weeks + lead;
            let soonest = period_of_weeks(soonest_weeks, period_weeks);
            if soonest > pf {
                let message = format!(
                    "{} is planned in {} but cannot complete before week {:.1} ({}): {:.1} weeks of lead time from the start of {}",
                    self.id(f),
                    self.label(pf),
                    soonest_weeks,
                    self.label(soonest),
                    lead,
                    self.label(earliest)
                );
                self.violation(ViolationKind::LeadTime, message, vec![f]);
            }
        }
    }

    fn past_plan_end(&mut self) {
        let periods = self.model.time.periods;
        for (f, pf) in self.planned() {
            if pf >= periods {
                let message = format!(
                    "{} is planned in period {}, after the plan's last period {}",
                    self.id(f),
                    pf + 1,
                    self.label(periods.saturating_sub(1))
                );
                self.violation(ViolationKind::PastPlanEnd, message, vec![f]);
            }
        }
    }

    fn budget(&mut self, delivered: &[usize]) {
        let model = self.model;
        let Some(budget) = model.budget else { return };
        let spend: f64 = delivered.iter().map(|&f| expect::spend(model, f)).sum();
        if exceeds(spend, budget) {
            let message = format!(
                "the planned features are expected to cost {}, over the budget of {}",
                amount(spend, &model.currency),
                amount(budget, &model.currency)
            );
            self.violation(ViolationKind::Budget, message, delivered.to_vec());
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
            let message = |side: &str, bound: f64| {
                format!(
                    "theme {} gets {:.1} of {:.1} planned person-weeks ({}), {side} share of {}",
                    theme.id,
                    theme_weeks,
                    total,
                    percent(share),
                    percent(bound)
                )
            };
            if exceeds(theme.min_share * total, theme_weeks) {
                let message = message("below its minimum", theme.min_share);
                self.violation(ViolationKind::Theme, message, members.clone());
            }
            if exceeds(theme_weeks, theme.max_share * total) {
                let message = message("above its maximum", theme.max_share);
                self.violation(ViolationKind::Theme, message, members);
            }
        }
    }

    fn capacity(&mut self, basis: &CheckBasis) {
        let model = self.model;
        for (t, team) in model.teams.iter().enumerate() {
            let jobs = team_jobs(model, self.plan, basis, t);
            let capacity = basis.capacity.get(t).map_or(&[][..], |c| &c[..]);
            for o in overloads(&jobs, capacity) {
                let ids: Vec<&str> = o.jobs.iter().map(|&f| self.id(f)).collect();
                let message = format!(
                    "team {} needs {:.1} person-weeks in {} for {} but has {:.1}",
                    team.id,
                    o.need_weeks,
                    model.time.span_label(o.first_period, o.last_period),
                    ids.join(", "),
                    o.capacity_weeks
                );
                self.violation(ViolationKind::Capacity, message, o.jobs);
            }
        }
    }
}

fn lag_phrase(lag_periods: usize) -> String {
    match lag_periods {
        0 => String::new(),
        1 => " 1 period before it".to_string(),
        n => format!(" {n} periods before it"),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0 + 0.0)
}

/// Whole currency units with thousands separators; messages here are data, so they do not
/// borrow the report's compact money format.
fn amount(x: f64, currency: &str) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && digits != "0" { "-" } else { "" };
    format!("{sign}{grouped} {currency}")
}

#[cfg(test)]
mod tests;
