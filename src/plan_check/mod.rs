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

pub(crate) use basis::soonest_own_period;
pub use basis::{period_of_weeks, CheckBasis};
pub use capacity::{capacity_feasible, fits, Room};
pub(crate) use capacity::{overloads, Job};

use crate::model::{exceeds, expect, DeadlineKind, Model, Plan};
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
    let mut out = Vec::new();
    let n = model.features.len();
    let period = |f: usize| plan.periods.get(f).copied().flatten();
    let id = |f: usize| model.features[f].id.as_str();
    let label = |p: usize| model.time.label(p);
    let mut violation = |kind, message: String, features: Vec<usize>| {
        out.push(Violation {
            kind,
            message,
            features,
        })
    };

    for (f, feature) in model.features.iter().enumerate() {
        if feature.mandatory && period(f).is_none() {
            violation(
                ViolationKind::Mandatory,
                format!("{} is mandatory but the plan leaves it out", id(f)),
                vec![f],
            );
        }
    }

    for (f, feature) in model.features.iter().enumerate() {
        let Some(pf) = period(f) else { continue };
        for &x in &feature.excludes {
            if x >= n || x == f {
                continue;
            }
            // Either side may declare an exclusion; report a pair declared twice once.
            if model.features[x].excludes.contains(&f) && x < f {
                continue;
            }
            if let Some(px) = period(x) {
                violation(
                    ViolationKind::Exclusion,
                    format!(
                        "{} and {} exclude each other but the plan delivers both ({} in {}, {} in {})",
                        id(f),
                        id(x),
                        id(f),
                        label(pf),
                        id(x),
                        label(px)
                    ),
                    vec![f, x],
                );
            }
        }
    }

    for (f, feature) in model.features.iter().enumerate() {
        let Some(pf) = period(f) else { continue };
        for r in &feature.requires {
            let g = r.feature;
            if g >= n {
                continue;
            }
            match period(g) {
                None => violation(
                    ViolationKind::Dependency,
                    format!("{} requires {}, which the plan leaves out", id(f), id(g)),
                    vec![f, g],
                ),
                Some(pg) if pg.saturating_add(r.lag_periods) > pf => violation(
                    ViolationKind::Dependency,
                    format!(
                        "{} is planned in {} but requires {}{}, which is planned in {}",
                        id(f),
                        label(pf),
                        id(g),
                        lag_phrase(r.lag_periods),
                        label(pg)
                    ),
                    vec![f, g],
                ),
                Some(_) => {}
            }
        }
    }

    for (f, feature) in model.features.iter().enumerate() {
        let Some(pf) = period(f) else { continue };
        if let Some(d) = feature.deadline {
            if matches!(d.kind, DeadlineKind::Hard) && pf > d.period {
                violation(
                    ViolationKind::HardDeadline,
                    format!(
                        "{} is planned in {}, after its hard deadline {}",
                        id(f),
                        label(pf),
                        label(d.period)
                    ),
                    vec![f],
                );
            }
        }
    }

    for (f, feature) in model.features.iter().enumerate() {
        let Some(pf) = period(f) else { continue };
        let earliest = feature.earliest_period.unwrap_or(0);
        if pf < earliest {
            violation(
                ViolationKind::Earliest,
                format!(
                    "{} is planned in {}, before its earliest period {}",
                    id(f),
                    label(pf),
                    label(earliest)
                ),
                vec![f],
            );
        }
    }

    let period_weeks = model.time.period_weeks;
    for (f, feature) in model.features.iter().enumerate() {
        let Some(pf) = period(f) else { continue };
        let lead = basis.lead(f);
        let earliest = feature.earliest_period.unwrap_or(0);
        let soonest_weeks = earliest as f64 * period_weeks + lead;
        let soonest = period_of_weeks(soonest_weeks, period_weeks);
        if soonest > pf {
            violation(
                ViolationKind::LeadTime,
                format!(
                    "{} is planned in {} but cannot complete before week {:.1} ({}): {:.1} weeks of lead time from the start of {}",
                    id(f),
                    label(pf),
                    soonest_weeks,
                    label(soonest),
                    lead,
                    label(earliest)
                ),
                vec![f],
            );
        }
    }

    for f in 0..n {
        let Some(pf) = period(f) else { continue };
        if pf >= model.time.periods {
            violation(
                ViolationKind::PastPlanEnd,
                format!(
                    "{} is planned in period {}, after the plan's last period {}",
                    id(f),
                    pf + 1,
                    label(model.time.periods.saturating_sub(1))
                ),
                vec![f],
            );
        }
    }

    let delivered: Vec<usize> = (0..n).filter(|&f| period(f).is_some()).collect();
    if let Some(budget) = model.budget {
        let spend: f64 = delivered.iter().map(|&f| expect::spend(model, f)).sum();
        if exceeds(spend, budget) {
            violation(
                ViolationKind::Budget,
                format!(
                    "the planned features are expected to cost {}, over the budget of {}",
                    amount(spend, &model.currency),
                    amount(budget, &model.currency)
                ),
                delivered.clone(),
            );
        }
    }

    if !model.themes.is_empty() {
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
            if exceeds(theme.min_share * total, theme_weeks) {
                violation(
                    ViolationKind::Theme,
                    format!(
                        "theme {} gets {:.1} of {:.1} planned person-weeks ({}), below its minimum share of {}",
                        theme.id,
                        theme_weeks,
                        total,
                        percent(share),
                        percent(theme.min_share)
                    ),
                    members.clone(),
                );
            }
            if exceeds(theme_weeks, theme.max_share * total) {
                violation(
                    ViolationKind::Theme,
                    format!(
                        "theme {} gets {:.1} of {:.1} planned person-weeks ({}), above its maximum share of {}",
                        theme.id,
                        theme_weeks,
                        total,
                        percent(share),
                        percent(theme.max_share)
                    ),
                    members,
                );
            }
        }
    }

    for (t, team) in model.teams.iter().enumerate() {
        let jobs = team_jobs(model, plan, basis, t);
        let capacity = basis.capacity.get(t).map_or(&[][..], |c| &c[..]);
        for o in overloads(&jobs, capacity) {
            let ids: Vec<&str> = o.jobs.iter().map(|&f| id(f)).collect();
            violation(
                ViolationKind::Capacity,
                format!(
                    "team {} needs {:.1} person-weeks in {} for {} but has {:.1}",
                    team.id,
                    o.need_weeks,
                    model.time.span_label(o.first_period, o.last_period),
                    ids.join(", "),
                    o.capacity_weeks
                ),
                o.jobs,
            );
        }
    }

    out
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
