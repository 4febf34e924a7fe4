//! Why no plan exists, as plain sentences: each finding of the diagnosis in the user's terms
//! (teams, periods, features, weeks, money), then the relaxations the optimizer tried, then
//! what to change.

use super::format::{money, percent, weeks};
use crate::model::Model;
use crate::optimize::diagnose::{
    Blocked, CapacityShortfall, Conflict, Delay, DelayCause, Diagnosis, Due, Forced, ForcedFeature,
    ForcedWork, ShareBound, ThemeConflict,
};

/// Contributors named in the budget sentence; the rest are counted.
const BUDGET_NAMES: usize = 5;

pub fn text(d: &Diagnosis, model: &Model) -> String {
    let mut lines = Vec::new();
    for c in &d.conflicts {
        lines.push(conflict(c, model));
    }
    for s in &d.shortfalls {
        lines.push(shortfall(s, model));
    }
    if let Some(b) = &d.budget {
        let named: Vec<String> = b
            .contributors
            .iter()
            .take(BUDGET_NAMES)
            .map(|s| format!("{} {}", s.id, money(s.spend, &model.currency)))
            .collect();
        let rest = b.contributors.len().saturating_sub(BUDGET_NAMES);
        let more = if rest > 0 {
            format!(", and {rest} more")
        } else {
            String::new()
        };
        let fixed = if b.fixed_spend > 0.0 {
            format!(
                " and the teams whose cost is fixed cost {} over the plan whatever it holds",
                money(b.fixed_spend, &model.currency)
            )
        } else {
            String::new()
        };
        let named = if named.is_empty() {
            String::new()
        } else {
            format!(" ({}{more})", named.join(", "))
        };
        lines.push(format!(
            "Budget: the mandatory features and what they require are expected to cost {}{fixed}; the budget is {}{named}.",
            money(b.forced_spend, &model.currency),
            money(b.budget, &model.currency),
        ));
    }
    for t in &d.themes {
        lines.push(theme(t));
    }
    if !d.found_cause() {
        lines.push(
            "No single cause was found in the mandatory work alone: the commitments conflict only in combination."
                .to_string(),
        );
    }
    if !d.extra_capacity.is_empty() {
        let extra: Vec<String> = d
            .extra_capacity
            .iter()
            .map(|e| format!("{} +{} in {}", e.team_id, weeks(e.weeks), e.period_label))
            .collect();
        lines.push(format!(
            "With every other constraint kept, the least extra capacity with which a plan exists (person-weeks): {}.",
            extra.join(", ")
        ));
    }
    for r in &d.relaxations {
        lines.push(format!(
            "Feasible without {}: {}",
            r.group,
            if r.feasible_without { "yes" } else { "no" }
        ));
    }
    lines.push(fixes(d, model));
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn conflict(c: &Conflict, model: &Model) -> String {
    match c {
        Conflict::NoWindow { feature, chain } => {
            let target = match feature.due {
                Due::HardDeadline => format!("by its hard deadline {}", feature.due_label),
                _ => format!("within the plan (by {})", feature.due_label),
            };
            let earliest = chain
                .first()
                .map(|link| delivery(link, model))
                .unwrap_or_default();
            format!(
                "{} ({}) cannot be delivered {target}: the earliest possible delivery is {earliest}{}.",
                feature.id,
                forced(&feature.forced),
                because(chain, model)
            )
        }
        Conflict::NoAlternative {
            feature,
            needed_by,
            lag_periods,
            blocked,
        } => {
            let ids: Vec<String> = blocked.iter().map(|b| blocked_id(b).to_string()).collect();
            let by = match needed_by {
                Some(label) => format!("by {label}"),
                None => "before the plan starts".to_string(),
            };
            let why: Vec<String> = blocked.iter().map(|b| blocked_reason(b, model)).collect();
            format!(
                "{} ({}) needs one of {} {by}{}, and none can be: {}.",
                feature.id,
                commitment(feature),
                or_list(&ids),
                match lag_periods {
                    0 => String::new(),
                    1 => " (1 period before it)".to_string(),
                    n => format!(" ({n} periods before it)"),
                },
                why.join("; ")
            )
        }
        Conflict::Excluded { first, second } => format!(
            "{} ({}) and {} ({}) exclude each other, but both must be delivered.",
            first.id,
            forced(&first.forced),
            second.id,
            forced(&second.forced)
        ),
    }
}

/// ", because it requires x with a lag of 1 period, and x can be delivered at the earliest
/// in 2027Q2, because of 20 weeks of lead time from the start of 2027Q1".
fn because(chain: &[Delay], model: &Model) -> String {
    let mut out = String::new();
    for (k, link) in chain.iter().enumerate() {
        match &link.cause {
            DelayCause::Requires {
                id, lag_periods, ..
            } => {
                let next = chain
                    .get(k + 1)
                    .map(|n| delivery(n, model))
                    .unwrap_or_default();
                out.push_str(&format!(
                    ", because it requires {id}{}, and {id} can be delivered at the earliest in {next}",
                    lag(*lag_periods)
                ));
            }
            DelayCause::RequiresOneOf {
                id,
                alternatives,
                lag_periods,
                ..
            } => {
                let next = chain
                    .get(k + 1)
                    .map(|n| delivery(n, model))
                    .unwrap_or_default();
                out.push_str(&format!(
                    ", because it requires one of {}{}, and the soonest, {id}, can be delivered at the earliest in {next}",
                    alternatives.join(", "),
                    lag(*lag_periods)
                ));
            }
            DelayCause::LeadTime {
                weeks: w,
                start_period,
            } => out.push_str(&format!(
                ", because of {} weeks of lead time from the start of {}",
                plain_weeks(*w),
                model.time.label(*start_period)
            )),
            DelayCause::EarliestStart { period } if *period > 0 => out.push_str(&format!(
                ", because its work cannot start before {}",
                model.time.label(*period)
            )),
            DelayCause::EarliestStart { .. } => {}
        }
    }
    out
}

fn shortfall(s: &CapacityShortfall, model: &Model) -> String {
    let names: Vec<String> = s.features.iter().map(work).collect();
    let verb = if s.features.len() == 1 {
        "needs"
    } else {
        "need"
    };
    format!(
        "Team {} is {} short in {}: {} {verb} {} weeks; the team has {}.",
        s.team_id,
        person_weeks(s.short_weeks),
        model.time.span_label(s.first_period, s.last_period),
        and_list(&names),
        plain_weeks(s.need_weeks),
        plain_weeks(s.capacity_weeks)
    )
}

/// "sso (mandatory, hard deadline 2027Q2)", "audit-log (required by sso)".
fn work(w: &ForcedWork) -> String {
    format!("{} ({})", w.feature.id, commitment(&w.feature))
}

fn commitment(f: &ForcedFeature) -> String {
    let mut parts = vec![forced(&f.forced)];
    match &f.due {
        Due::HardDeadline => parts.push(format!("hard deadline {}", f.due_label)),
        Due::PlanEnd => {}
        Due::RequiredBy {
            id, lag_periods, ..
        } => {
            let same = matches!(&f.forced, Forced::RequiredBy { id: by, .. } if by == id);
            if *lag_periods > 0 || !same {
                parts.push(format!("due {} for {id}", f.due_label));
            }
        }
    }
    parts.join(", ")
}

fn forced(f: &Forced) -> String {
    match f {
        Forced::Mandatory => "mandatory".to_string(),
        Forced::RequiredBy { id, .. } => format!("required by {id}"),
    }
}

fn theme(t: &ThemeConflict) -> String {
    let names: Vec<String> = t
        .features
        .iter()
        .map(|w| format!("{} {}", w.feature.id, plain_weeks(w.weeks)))
        .collect();
    match t.bound {
        ShareBound::Min => format!(
            "Theme {} needs at least {} of the planned work, but even with all its features that can be delivered planned ({}) against the mandatory work outside it ({}: {}), it gets at most {}.",
            t.theme_id,
            percent(t.share),
            person_weeks(t.theme_weeks),
            person_weeks(t.other_weeks),
            names.join(", "),
            best_share(t)
        ),
        ShareBound::Max => format!(
            "Theme {} allows at most {} of the planned work, but its mandatory work ({}: {}) is {} of it even with every other feature that can be delivered planned ({}).",
            t.theme_id,
            percent(t.share),
            person_weeks(t.theme_weeks),
            names.join(", "),
            best_share(t),
            person_weeks(t.other_weeks)
        ),
    }
}

/// The best share the theme can get, with a decimal when whole percents would read as the
/// bound itself ("needs at least 30% ... gets at most 29.6%").
fn best_share(t: &ThemeConflict) -> String {
    if percent(t.best_share) == percent(t.share) {
        format!("{:.1}%", t.best_share * 100.0)
    } else {
        percent(t.best_share)
    }
}

/// The closing line: what to change, matching what was found.
fn fixes(d: &Diagnosis, model: &Model) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in &d.conflicts {
        match c {
            Conflict::NoWindow { feature, chain } => {
                let first = chain.first().and_then(|l| l.earliest_label.as_ref());
                out.push(match (&feature.due, first) {
                    (Due::HardDeadline, Some(first)) => format!(
                        "move {}'s hard deadline to {first} or later, or shorten what it waits for",
                        feature.id
                    ),
                    _ => format!(
                        "shorten what {} waits for, or add periods to the plan",
                        feature.id
                    ),
                });
            }
            Conflict::Excluded { first, second } => {
                out.push(format!("let {} or {} go", first.id, second.id));
            }
            Conflict::NoAlternative { feature, .. } => {
                out.push(format!(
                    "give {} an alternative that fits, or add capacity or time to one it has",
                    feature.id
                ));
            }
        }
    }
    for s in &d.shortfalls {
        let dated: Vec<String> = s
            .features
            .iter()
            .filter(|w| w.feature.due == Due::HardDeadline)
            .map(|w| w.feature.id.clone())
            .collect();
        let deadline = if dated.is_empty() {
            String::new()
        } else {
            format!(" or move the hard deadline of {} later", or_list(&dated))
        };
        out.push(format!(
            "add {} to team {} in {}{deadline}",
            person_weeks(s.short_weeks),
            s.team_id,
            model.time.span_label(s.first_period, s.last_period)
        ));
    }
    if let Some(b) = &d.budget {
        out.push(format!(
            "raise the budget by at least {}",
            money(b.short, &model.currency)
        ));
        if b.fixed_spend > 0.0 {
            out.push(
                "set cost_kind = \"variable\" on a team paid only for the weeks it works".into(),
            );
        }
    }
    for t in &d.themes {
        out.push(match t.bound {
            ShareBound::Min => format!("lower theme {}'s minimum share", t.theme_id),
            ShareBound::Max => format!("raise theme {}'s maximum share", t.theme_id),
        });
    }
    if !d.extra_capacity.is_empty() {
        out.push("add the extra capacity above".into());
    }
    let enough: Vec<String> = d
        .relaxations
        .iter()
        .filter(|r| r.feasible_without)
        .map(|r| r.group.clone())
        .collect();
    if !enough.is_empty() {
        out.push(format!("relax {} (that alone is enough)", or_list(&enough)));
    }
    if out.is_empty() {
        return "To fix: add capacity, move a deadline later, raise the budget or make a mandatory feature optional.".into();
    }
    // Every cause here comes from mandatory work, so letting a mandatory feature go always helps
    // (unless the fixed-cost teams alone break the budget and nothing else is wrong).
    let fixed_alone = d.budget.as_ref().is_some_and(|b| b.forced_spend == 0.0)
        && d.conflicts.is_empty()
        && d.shortfalls.is_empty()
        && d.themes.is_empty();
    if !fixed_alone {
        out.push("or make a mandatory feature optional".into());
    }
    format!("To fix: {}.", out.join("; "))
}

fn blocked_id(b: &Blocked) -> &str {
    match b {
        Blocked::TooLate { id, .. } | Blocked::Capacity { id, .. } => id,
    }
}

/// "build can be delivered at the earliest in 2027Q3", "buy with the mandatory work needs 28
/// weeks of team b in 2027Q1–2027Q2, which has 20".
fn blocked_reason(b: &Blocked, model: &Model) -> String {
    match b {
        Blocked::TooLate {
            id, earliest_label, ..
        } => match earliest_label {
            Some(label) => format!("{id} can be delivered at the earliest in {label}"),
            None => format!(
                "{id} cannot be delivered within the plan (by {})",
                last_label(model)
            ),
        },
        Blocked::Capacity { id, load, .. } => format!(
            "{id} with the mandatory work needs {} weeks of team {} in {}, which has {}",
            plain_weeks(load.need_weeks),
            load.team_id,
            model.time.span_label(load.first_period, load.last_period),
            plain_weeks(load.capacity_weeks)
        ),
    }
}

fn delivery(link: &Delay, model: &Model) -> String {
    match &link.earliest_label {
        Some(l) => l.clone(),
        None => format!("after the plan's last period {}", last_label(model)),
    }
}

fn lag(lag_periods: usize) -> String {
    match lag_periods {
        0 => String::new(),
        1 => " with a lag of 1 period".into(),
        n => format!(" with a lag of {n} periods"),
    }
}

fn last_label(model: &Model) -> String {
    model.time.label(model.time.periods.saturating_sub(1))
}

/// Person-weeks with one decimal, without a trailing ".0" ("40", "12.5").
fn plain_weeks(x: f64) -> String {
    let s = weeks(x + 0.0);
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// "1 person-week", "12.5 person-weeks".
fn person_weeks(x: f64) -> String {
    let n = plain_weeks(x);
    if n == "1" {
        "1 person-week".into()
    } else {
        format!("{n} person-weeks")
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
