//! What a plan breaks, in words: one sentence per [`Breach`] in the user's terms (feature ids,
//! period labels, weeks, whole currency units), used by every report that shows one.

use super::format::percent;
use crate::plan_check::{Breach, Violation, ViolationKind};
use serde::Serialize;

/// The sentence for one broken rule.
pub fn sentence(breach: &Breach) -> String {
    match breach {
        Breach::Mandatory { feature } => format!("{feature} is mandatory but the plan leaves it out"),
        Breach::Exclusion {
            feature,
            period,
            other,
            other_period,
        } => format!(
            "{feature} and {other} exclude each other but the plan delivers both ({feature} in {period}, {other} in {other_period})"
        ),
        Breach::RequirementLeftOut { feature, required } => {
            format!("{feature} requires {required}, which the plan leaves out")
        }
        Breach::RequirementTooSoon {
            feature,
            period,
            required,
            lag_periods,
            required_period,
        } => format!(
            "{feature} is planned in {period} but requires {required}{}, which is planned in {required_period}",
            lag_phrase(*lag_periods)
        ),
        Breach::AnyOfUnmet {
            feature,
            period,
            alternatives,
            lag_periods,
            first,
        } => {
            let which = match alternatives.as_slice() {
                [only] => only.clone(),
                _ => format!("one of {}", alternatives.join(", ")),
            };
            let planned = match first {
                None => match alternatives.len() {
                    1 => "which the plan leaves out".to_string(),
                    2 => "and the plan leaves both out".to_string(),
                    _ => "and the plan leaves them all out".to_string(),
                },
                Some((_, p)) if alternatives.len() == 1 => format!("which is planned in {p}"),
                Some((g, p)) => format!("and the first planned, {g}, is in {p}"),
            };
            format!(
                "{feature} is planned in {period} but requires {which}{}, {planned}",
                lag_phrase(*lag_periods)
            )
        }
        Breach::HardDeadline {
            feature,
            period,
            deadline,
        } => format!("{feature} is planned in {period}, after its hard deadline {deadline}"),
        Breach::Earliest {
            feature,
            period,
            earliest,
        } => format!("{feature} is planned in {period}, before its earliest period {earliest}"),
        Breach::LeadTime {
            feature,
            period,
            soonest_weeks,
            soonest,
            lead_weeks,
            from,
        } => format!(
            "{feature} is planned in {period} but cannot complete before week {soonest_weeks:.1} ({soonest}): {lead_weeks:.1} weeks of lead time from the start of {from}"
        ),
        Breach::VendorReady {
            feature,
            period,
            date,
            soonest,
            slip_weeks,
        } => {
            let slip = if *slip_weeks > 0.0 {
                format!(" and {slip_weeks:.1} weeks of expected slip")
            } else {
                String::new()
            };
            format!("{feature} is planned in {period} but its vendor's part is ready only on {date}{slip}, in {soonest}")
        }
        Breach::PeriodBudget {
            period,
            spend,
            budget,
            currency,
        } => format!(
            "the plan books {} of expected spend in {period}, over that period's budget of {}",
            amount(*spend, currency),
            amount(*budget, currency)
        ),
        Breach::PastPlanEnd {
            feature,
            period,
            last,
        } => format!(
            "{feature} is planned in period {}, after the plan's last period {last}",
            period + 1
        ),
        Breach::Budget {
            spend,
            budget,
            currency,
        } => format!(
            "the planned features are expected to cost {}, over the budget of {}",
            amount(*spend, currency),
            amount(*budget, currency)
        ),
        Breach::Theme {
            theme,
            weeks,
            total,
            share,
            bound,
            below,
        } => format!(
            "theme {theme} gets {weeks:.1} of {total:.1} planned person-weeks ({}), {} share of {}",
            percent(*share),
            if *below {
                "below its minimum"
            } else {
                "above its maximum"
            },
            percent(*bound)
        ),
        Breach::Capacity {
            team,
            need_weeks,
            span,
            features,
            capacity_weeks,
        } => format!(
            "team {team} needs {need_weeks:.1} person-weeks in {span} for {} but has {capacity_weeks:.1}",
            features.join(", ")
        ),
    }
}

/// A violation as the JSON outputs carry it.
#[derive(Debug, Serialize)]
pub struct JsonViolation<'a> {
    pub kind: ViolationKind,
    pub message: String,
    pub features: &'a [usize],
}

pub fn json(violations: &[Violation]) -> Vec<JsonViolation<'_>> {
    violations
        .iter()
        .map(|v| JsonViolation {
            kind: v.kind,
            message: sentence(&v.breach),
            features: &v.features,
        })
        .collect()
}

fn lag_phrase(lag_periods: usize) -> String {
    match lag_periods {
        0 => String::new(),
        1 => " 1 period before it".to_string(),
        n => format!(" {n} periods before it"),
    }
}

/// Whole currency units with thousands separators: a broken budget is read to the unit, so
/// it does not borrow the report's compact money format.
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
