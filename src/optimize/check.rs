//! An independent checker of release plans: every rule a plan must satisfy, written from the
//! scenario format's definitions rather than from any solver formulation, so that a plan the
//! optimizer returns can be verified by code that shares none of its assumptions.
//!
//! Capacity is checked as a transportation problem: a feature delivered in period t may be
//! worked on in any amounts from its earliest period to t. Such a plan can be staffed exactly
//! when, for every run of periods [a, b], the work of the features whose whole window lies
//! inside [a, b] fits the capacity of those periods (Hall's condition; on a line of periods the
//! runs are the only sets that matter).

pub(crate) use crate::model::exceeds;
use crate::model::{DeadlineKind, Model, Plan};
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
}

impl CheckBasis {
    /// Expectations: a feature's effort on a team is its mean effort plus each risk's
    /// probability times the risk's mean effort on that team; capacity is the capacity of each
    /// period times the mean capacity factor; lead time is the mean vendor lead time plus each
    /// risk's probability times its mean delay.
    pub fn expected(model: &Model) -> Self {
        let teams = model.teams.len();
        // Means of validated non-negative inputs are non-negative; the clamp only keeps a
        // hand-built model from turning capacity or effort negative.
        let mean = |id| model.mean(id).max(0.0);
        let effort = model
            .features
            .iter()
            .map(|f| {
                let mut row = vec![0.0; teams];
                for e in &f.effort {
                    if let Some(w) = row.get_mut(e.team) {
                        *w += mean(e.weeks);
                    }
                }
                for risk in &f.risks {
                    for e in &risk.effort {
                        if let Some(w) = row.get_mut(e.team) {
                            *w += risk.probability * mean(e.weeks);
                        }
                    }
                }
                row
            })
            .collect();
        let capacity = model
            .teams
            .iter()
            .map(|t| {
                let factor = mean(t.capacity_factor);
                t.capacity_weeks.iter().map(|c| c * factor).collect()
            })
            .collect();
        let lead_weeks = model
            .features
            .iter()
            .map(|f| {
                f.vendor_lead_weeks.map_or(0.0, mean)
                    + f.risks
                        .iter()
                        .filter_map(|r| r.delay_weeks.map(|d| r.probability * mean(d)))
                        .sum::<f64>()
            })
            .collect();
        CheckBasis {
            effort,
            capacity,
            lead_weeks,
        }
    }

    /// Person-weeks of `feature` on `team`; 0 for indices the basis does not cover.
    pub fn effort_weeks(&self, feature: usize, team: usize) -> f64 {
        self.effort
            .get(feature)
            .and_then(|row| row.get(team))
            .copied()
            .unwrap_or(0.0)
    }

    /// Lead weeks of `feature`; 0 for indices the basis does not cover.
    pub fn lead(&self, feature: usize) -> f64 {
        self.lead_weeks.get(feature).copied().unwrap_or(0.0)
    }
}

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
    let label = |p: usize| period_label(model, p);
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
        let spend: f64 = delivered.iter().map(|&f| expected_spend(model, f)).sum();
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
        let weeks = |f: usize| {
            expected
                .effort
                .get(f)
                .map_or(0.0, |r| r.iter().sum::<f64>())
        };
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
                    span_label(model, o.first_period, o.last_period),
                    ids.join(", "),
                    o.capacity_weeks
                ),
                o.jobs,
            );
        }
    }

    out
}

/// Whether every team can staff the plan: Hall's condition on every run of periods.
pub fn capacity_feasible(model: &Model, plan: &Plan, basis: &CheckBasis) -> bool {
    (0..model.teams.len()).all(|t| team_fits(model, plan, basis, t))
}

/// Whether the plan with `feature` delivered in `period` (added, or moved there) still fits the
/// capacity of every team the feature needs. Only capacity is checked; a period past the plan's
/// end or an unknown feature never fits.
pub fn fits(model: &Model, plan: &Plan, basis: &CheckBasis, feature: usize, period: usize) -> bool {
    if feature >= model.features.len() || period >= model.time.periods {
        return false;
    }
    let mut with = plan.clone();
    if with.periods.len() < model.features.len() {
        with.periods.resize(model.features.len(), None);
    }
    with.periods[feature] = Some(period);
    (0..model.teams.len())
        .filter(|&t| basis.effort_weeks(feature, t) > 0.0)
        .all(|t| team_fits(model, &with, basis, t))
}

/// The room a plan leaves: for each team and each run of periods [a, b], capacity minus the
/// work of planned features that must happen inside it. Built once, it answers [`fits`] for
/// any feature and period in O(periods^2), so explaining hundreds of left-out features stays
/// cheap.
#[derive(Debug, Clone)]
pub struct Room {
    periods: usize,
    /// slack[team][a * periods + b], for a <= b.
    slack: Vec<Vec<f64>>,
    /// The capacity of each run, for the tolerance.
    held: Vec<Vec<f64>>,
}

impl Room {
    pub fn new(model: &Model, plan: &Plan, basis: &CheckBasis) -> Self {
        let periods = model.time.periods;
        let mut slack = Vec::with_capacity(model.teams.len());
        let mut held = Vec::with_capacity(model.teams.len());
        for team in 0..model.teams.len() {
            let capacity = basis.capacity.get(team).map_or(&[][..], |c| &c[..]);
            let cap = |p: usize| capacity.get(p).copied().unwrap_or(0.0);
            // need[a][b] = work of jobs with open >= a and due <= b, by 2D suffix/prefix sums.
            let mut need = vec![0.0; periods * periods];
            for job in team_jobs(model, plan, basis, team) {
                if job.due_period < periods {
                    need[job.open_period.min(job.due_period) * periods + job.due_period] +=
                        job.weeks;
                }
            }
            for a in (0..periods).rev() {
                for b in 0..periods {
                    let mut v = need[a * periods + b];
                    if b > 0 {
                        v += need[a * periods + b - 1];
                    }
                    need[a * periods + b] = v;
                }
                if a + 1 < periods {
                    for b in 0..periods {
                        need[a * periods + b] += need[(a + 1) * periods + b];
                    }
                }
            }
            let mut s = vec![f64::INFINITY; periods * periods];
            let mut h = vec![0.0; periods * periods];
            for a in 0..periods {
                let mut run = 0.0;
                for b in a..periods {
                    run += cap(b);
                    s[a * periods + b] = run - need[a * periods + b];
                    h[a * periods + b] = run;
                }
            }
            slack.push(s);
            held.push(h);
        }
        Room {
            periods,
            slack,
            held,
        }
    }

    /// Whether `feature` fits the room delivered in `period`, with the basis's efforts: every
    /// run that contains its window [earliest, period] has room for its work, team by team.
    pub fn fits(&self, model: &Model, basis: &CheckBasis, feature: usize, period: usize) -> bool {
        if feature >= model.features.len() || period >= self.periods {
            return false;
        }
        (0..self.slack.len()).all(|team| self.fits_team(model, basis, feature, period, team))
    }

    /// [`Room::fits`] for one team's share of the work.
    pub fn fits_team(
        &self,
        model: &Model,
        basis: &CheckBasis,
        feature: usize,
        period: usize,
        team: usize,
    ) -> bool {
        if feature >= model.features.len() || period >= self.periods || team >= self.slack.len() {
            return false;
        }
        let weeks = basis.effort_weeks(feature, team);
        if weeks <= 0.0 {
            return true;
        }
        let open = model.features[feature]
            .earliest_period
            .unwrap_or(0)
            .min(period);
        (0..=open).all(|a| {
            (period..self.periods).all(|b| {
                let i = a * self.periods + b;
                let have = self.held[team][i];
                !exceeds(have - self.slack[team][i] + weeks, have)
            })
        })
    }
}

fn team_fits(model: &Model, plan: &Plan, basis: &CheckBasis, team: usize) -> bool {
    let jobs = team_jobs(model, plan, basis, team);
    let capacity = basis.capacity.get(team).map_or(&[][..], |c| &c[..]);
    first_overload(&jobs, capacity).is_none()
}

/// Expected undiscounted spend of delivering a feature, as the budget counts it: expected
/// effort (risk efforts weighted by their probability) at each team's cost per week, plus the
/// mean one-off cost, plus each risk's probability times its mean cost.
pub fn expected_spend(model: &Model, feature: usize) -> f64 {
    let Some(f) = model.features.get(feature) else {
        return 0.0;
    };
    let mean = |id| model.mean(id).max(0.0);
    let rate = |team: usize| model.teams.get(team).map_or(0.0, |t| t.cost_per_week);
    let team_cost: f64 = f.effort.iter().map(|e| mean(e.weeks) * rate(e.team)).sum();
    let risks: f64 = f
        .risks
        .iter()
        .map(|r| {
            r.probability
                * (r.cost.map_or(0.0, mean)
                    + r.effort
                        .iter()
                        .map(|e| mean(e.weeks) * rate(e.team))
                        .sum::<f64>())
        })
        .sum();
    team_cost + f.cost.map_or(0.0, mean) + risks
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
    earliest.max(by_lead)
}

/// Work one team must do for one feature, between the first period it may be worked on and
/// the period it is due.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Job {
    pub feature: usize,
    pub open_period: usize,
    pub due_period: usize,
    pub weeks: f64,
}

/// A run of periods whose capacity is less than the work that must happen inside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Overload {
    pub first_period: usize,
    pub last_period: usize,
    pub need_weeks: f64,
    pub capacity_weeks: f64,
    /// Features whose work must happen inside the run, largest first.
    pub jobs: Vec<usize>,
}

impl Overload {
    pub fn short_weeks(&self) -> f64 {
        self.need_weeks - self.capacity_weeks
    }
}

fn team_jobs(model: &Model, plan: &Plan, basis: &CheckBasis, team: usize) -> Vec<Job> {
    plan.periods
        .iter()
        .enumerate()
        .take(model.features.len())
        .filter_map(|(f, p)| {
            let due = (*p)?;
            let weeks = basis.effort_weeks(f, team);
            // A plan before the earliest period is its own violation; for capacity the work
            // then has only the delivery period, so it is not reported twice over.
            let open = model.features[f].earliest_period.unwrap_or(0).min(due);
            (weeks > 0.0).then_some(Job {
                feature: f,
                open_period: open,
                due_period: due,
                weeks,
            })
        })
        .collect()
}

/// Every run of periods [a, b] in which `jobs` need more than `capacity` holds, reduced to
/// the one with the largest shortfall and then each next largest that overlaps none already
/// kept: a single overloaded period would otherwise show up in every run containing it.
pub(crate) fn overloads(jobs: &[Job], capacity: &[f64]) -> Vec<Overload> {
    let mut all = Vec::new();
    scan_runs(jobs, capacity, |a, b, need, have| {
        all.push((a, b, need, have));
        true
    });
    all.sort_by(|x, y| {
        (y.2 - y.3)
            .total_cmp(&(x.2 - x.3))
            .then((x.0, x.1).cmp(&(y.0, y.1)))
    });
    let mut kept: Vec<Overload> = Vec::new();
    for (a, b, need, have) in all {
        if kept
            .iter()
            .any(|k| a <= k.last_period && k.first_period <= b)
        {
            continue;
        }
        let mut inside: Vec<&Job> = jobs
            .iter()
            .filter(|j| j.open_period >= a && j.due_period <= b)
            .collect();
        inside.sort_by(|x, y| y.weeks.total_cmp(&x.weeks).then(x.feature.cmp(&y.feature)));
        kept.push(Overload {
            first_period: a,
            last_period: b,
            need_weeks: need,
            capacity_weeks: have,
            jobs: inside.iter().map(|j| j.feature).collect(),
        });
    }
    kept
}

fn first_overload(jobs: &[Job], capacity: &[f64]) -> Option<(usize, usize)> {
    let mut found = None;
    scan_runs(jobs, capacity, |a, b, _, _| {
        found = Some((a, b));
        false
    });
    found
}

/// Calls `on_overload(a, b, need, capacity)` for each overloaded run of periods until it
/// returns false. Only runs that start at some job's first period and end at some job's due
/// period need checking: trimming a run to those never lowers the work inside it and never
/// raises its capacity.
fn scan_runs(
    jobs: &[Job],
    capacity: &[f64],
    mut on_overload: impl FnMut(usize, usize, f64, f64) -> bool,
) {
    let mut prefix = Vec::with_capacity(capacity.len() + 1);
    prefix.push(0.0);
    for c in capacity {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + c);
    }
    // Capacity of periods a..=b; periods past the plan have none.
    let held = |a: usize, b: usize| {
        let end = b.saturating_add(1).min(capacity.len());
        let start = a.min(end);
        prefix[end] - prefix[start]
    };
    let mut by_due: Vec<&Job> = jobs.iter().collect();
    by_due.sort_by_key(|j| j.due_period);
    let mut starts: Vec<usize> = jobs.iter().map(|j| j.open_period).collect();
    starts.sort_unstable();
    starts.dedup();
    for &a in &starts {
        let mut need = 0.0;
        let mut i = 0;
        while i < by_due.len() {
            let b = by_due[i].due_period;
            while i < by_due.len() && by_due[i].due_period == b {
                if by_due[i].open_period >= a {
                    need += by_due[i].weeks;
                }
                i += 1;
            }
            if b < a {
                continue;
            }
            let have = held(a, b);
            if exceeds(need, have) && !on_overload(a, b, need, have) {
                return;
            }
        }
    }
}

/// The label of a period, or its 1-based number when the calendar has no such period.
pub(crate) fn period_label(model: &Model, period: usize) -> String {
    model
        .time
        .labels
        .get(period)
        .cloned()
        .unwrap_or_else(|| format!("period {}", period.saturating_add(1)))
}

/// "2027Q1" or "2027Q1–2027Q3".
pub(crate) fn span_label(model: &Model, first: usize, last: usize) -> String {
    if first == last {
        period_label(model, first)
    } else {
        format!(
            "{}–{}",
            period_label(model, first),
            period_label(model, last)
        )
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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    fn model(text: &str) -> Model {
        match crate::scenario::load_text(Path::new("t.toml"), text.to_string(), &|p| {
            std::fs::read(p)
        }) {
            Ok(loaded) => loaded.model,
            Err(e) => panic!("test scenario does not validate: {e:?}"),
        }
    }

    /// A plan from (feature id, 0-based period) pairs; features not listed are left out.
    fn plan(model: &Model, planned: &[(&str, usize)]) -> Plan {
        let mut plan = Plan::empty(model);
        for &(id, p) in planned {
            plan.periods[model.feature_index(id).unwrap()] = Some(p);
        }
        plan
    }

    fn kinds(model: &Model, plan: &Plan) -> Vec<ViolationKind> {
        check_plan(model, plan, &CheckBasis::expected(model))
            .iter()
            .map(|v| v.kind)
            .collect()
    }

    const HEAD: &str = r#"
[plan]
periods = 3
start = "2027Q1"
[[teams]]
id = "web"
capacity = 100
"#;

    fn with(features: &str) -> Model {
        model(&format!("{HEAD}{features}"))
    }

    #[test]
    fn expectations_weight_risks_by_their_probability() {
        let m = model(
            r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = [10, 20]
capacity_factor = [0.6, 0.9, 0.9]
[[teams]]
id = "app"
capacity = 5
[[features]]
id = "a"
effort = { web = [2, 5, 14], app = 1 }
vendor_lead_weeks = 6
risks = [{ probability = 0.25, effort = { app = 8 }, delay_weeks = 4 }]
"#,
        );
        let b = CheckBasis::expected(&m);
        // PERT mean (2 + 20 + 14) / 6 = 6; app 1 + 0.25 x 8 = 3.
        assert!((b.effort[0][0] - 6.0).abs() < 1e-12);
        assert!((b.effort[0][1] - 3.0).abs() < 1e-12);
        // PERT mean of the factor (0.6 + 3.6 + 0.9) / 6 = 0.85.
        assert!((b.capacity[0][0] - 8.5).abs() < 1e-12);
        assert!((b.capacity[0][1] - 17.0).abs() < 1e-12);
        assert_eq!(b.capacity[1], vec![5.0, 5.0]);
        assert!((b.lead_weeks[0] - 7.0).abs() < 1e-12);
    }

    #[test]
    fn a_mandatory_feature_must_be_delivered() {
        let m = with("[[features]]\nid = \"m\"\neffort = { web = 1 }\nmandatory = true\n");
        assert_eq!(kinds(&m, &Plan::empty(&m)), [ViolationKind::Mandatory]);
        assert!(kinds(&m, &plan(&m, &[("m", 2)])).is_empty());
    }

    #[test]
    fn excluded_pairs_are_reported_once_whichever_side_declares_them() {
        let m = with(
            r#"
[[features]]
id = "a"
excludes = "b"
[[features]]
id = "b"
excludes = "a"
[[features]]
id = "c"
excludes = "a"
"#,
        );
        let v = check_plan(
            &m,
            &plan(&m, &[("a", 0), ("b", 1), ("c", 2)]),
            &CheckBasis::expected(&m),
        );
        let pairs: Vec<&Vec<usize>> = v.iter().map(|v| &v.features).collect();
        assert_eq!(pairs, [&vec![0, 1], &vec![2, 0]]);
        assert_eq!(
            v[0].message,
            "a and b exclude each other but the plan delivers both (a in 2027Q1, b in 2027Q2)"
        );
        assert!(kinds(&m, &plan(&m, &[("b", 0), ("c", 0)])).is_empty());
    }

    #[test]
    fn requirements_must_be_delivered_with_their_lag() {
        let m = with(
            r#"
[[features]]
id = "base"
[[features]]
id = "top"
requires = [{ id = "base", lag = 1 }]
[[features]]
id = "side"
requires = "base"
"#,
        );
        let v = check_plan(&m, &plan(&m, &[("top", 2)]), &CheckBasis::expected(&m));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].message, "top requires base, which the plan leaves out");
        let v = check_plan(
            &m,
            &plan(&m, &[("base", 1), ("top", 1), ("side", 1)]),
            &CheckBasis::expected(&m),
        );
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].message,
            "top is planned in 2027Q2 but requires base 1 period before it, which is planned in 2027Q2"
        );
        assert!(kinds(&m, &plan(&m, &[("base", 1), ("top", 2), ("side", 1)])).is_empty());
        assert_eq!(
            kinds(&m, &plan(&m, &[("base", 2), ("side", 1)])),
            [ViolationKind::Dependency]
        );
    }

    #[test]
    fn hard_deadlines_bind_and_soft_ones_only_cost() {
        let m = with(
            r#"
[[features]]
id = "hard"
deadline = "2027Q2"
[[features]]
id = "soft"
deadline = { period = 1, kind = "soft", penalty = 100 }
"#,
        );
        assert!(kinds(&m, &plan(&m, &[("hard", 1), ("soft", 2)])).is_empty());
        let v = check_plan(&m, &plan(&m, &[("hard", 2)]), &CheckBasis::expected(&m));
        assert_eq!(v[0].kind, ViolationKind::HardDeadline);
        assert_eq!(
            v[0].message,
            "hard is planned in 2027Q3, after its hard deadline 2027Q2"
        );
    }

    #[test]
    fn nothing_is_delivered_before_its_earliest_period() {
        let m = with("[[features]]\nid = \"late\"\nearliest = \"2027Q2\"\n");
        assert_eq!(
            kinds(&m, &plan(&m, &[("late", 0)])),
            [ViolationKind::Earliest]
        );
        assert!(kinds(&m, &plan(&m, &[("late", 1)])).is_empty());
    }

    #[test]
    fn lead_time_counts_from_the_start_of_the_earliest_period() {
        // 13-week periods. 13 weeks of lead from the plan start end exactly with the first
        // period, which still counts; 14 weeks reach into the second.
        let m = with(
            r#"
[[features]]
id = "exact"
vendor_lead_weeks = 13
[[features]]
id = "over"
vendor_lead_weeks = 14
[[features]]
id = "risky"
vendor_lead_weeks = 12
risks = [{ probability = 0.5, delay_weeks = 4 }]
[[features]]
id = "later"
earliest = 2
vendor_lead_weeks = 13
"#,
        );
        let v = check_plan(
            &m,
            &plan(&m, &[("exact", 0), ("over", 0), ("risky", 0), ("later", 1)]),
            &CheckBasis::expected(&m),
        );
        let flagged: Vec<(ViolationKind, &[usize])> =
            v.iter().map(|v| (v.kind, &v.features[..])).collect();
        assert_eq!(
            flagged,
            [
                (ViolationKind::LeadTime, &[1][..]),
                (ViolationKind::LeadTime, &[2][..]),
            ]
        );
        assert_eq!(
            v[0].message,
            "over is planned in 2027Q1 but cannot complete before week 14.0 (2027Q2): 14.0 weeks of lead time from the start of 2027Q1"
        );
        assert!(kinds(&m, &plan(&m, &[("over", 1), ("risky", 1), ("later", 1)])).is_empty());
        // A robust basis with a longer lead moves "exact" out of its period.
        let mut robust = CheckBasis::expected(&m);
        robust.lead_weeks[0] = 13.5;
        let v = check_plan(&m, &plan(&m, &[("exact", 0)]), &robust);
        assert_eq!(v[0].kind, ViolationKind::LeadTime);
    }

    #[test]
    fn periods_of_moments_give_the_end_of_a_period_to_it() {
        assert_eq!(period_of_weeks(0.0, 13.0), 0);
        assert_eq!(period_of_weeks(13.0, 13.0), 0);
        assert_eq!(period_of_weeks(13.0 + 1e-12, 13.0), 0);
        assert_eq!(period_of_weeks(13.01, 13.0), 1);
        assert_eq!(period_of_weeks(39.0, 13.0), 2);
        assert_eq!(period_of_weeks(f64::NAN, 13.0), 0);
        assert_eq!(period_of_weeks(f64::INFINITY, 13.0), usize::MAX);
    }

    #[test]
    fn the_budget_counts_team_time_costs_and_risks_at_their_expectation() {
        let text = |budget: f64| {
            format!(
                r#"
[plan]
periods = 2
budget = {budget}
[[teams]]
id = "web"
capacity = 50
cost_per_week = 1000
[[features]]
id = "a"
effort = {{ web = 10 }}
cost = 5000
risks = [{{ probability = 0.5, cost = 2000, effort = {{ web = 4 }} }}]
[[features]]
id = "b"
effort = {{ web = 3 }}
"#
            )
        };
        // a: 10,000 + 5,000 + 0.5 x (2,000 + 4,000) = 18,000; b: 3,000.
        let m = model(&text(21_000.0));
        assert!((expected_spend(&m, 0) - 18_000.0).abs() < 1e-9);
        assert!((expected_spend(&m, 1) - 3_000.0).abs() < 1e-9);
        assert_eq!(expected_spend(&m, 7), 0.0);
        assert!(kinds(&m, &plan(&m, &[("a", 0), ("b", 1)])).is_empty());
        let m = model(&text(20_999.0));
        let v = check_plan(
            &m,
            &plan(&m, &[("a", 0), ("b", 1)]),
            &CheckBasis::expected(&m),
        );
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].message,
            "the planned features are expected to cost 21,000 USD, over the budget of 20,999 USD"
        );
        assert!(kinds(&m, &plan(&m, &[("a", 0)])).is_empty());
        // Float noise at the limit is not a violation.
        let m = model(&text(21_000.0 - 1e-9));
        assert!(kinds(&m, &plan(&m, &[("a", 0), ("b", 1)])).is_empty());
    }

    #[test]
    fn theme_shares_count_expected_work_of_delivered_features() {
        let m = model(
            r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 100
[[teams]]
id = "ops"
capacity = 100
[[themes]]
id = "rel"
min_share = 0.25
max_share = 0.5
[[features]]
id = "r1"
effort = { web = 5, ops = 5 }
theme = "rel"
[[features]]
id = "r2"
effort = { ops = 20 }
theme = "rel"
[[features]]
id = "x"
effort = { web = 30 }
"#,
        );
        // r1 + x: 10 of 40 = 25%, exactly the minimum.
        assert!(kinds(&m, &plan(&m, &[("r1", 0), ("x", 0)])).is_empty());
        // r2 + x: 20 of 50 = 40%.
        assert!(kinds(&m, &plan(&m, &[("r2", 0), ("x", 0)])).is_empty());
        // x alone: 0%.
        let v = check_plan(&m, &plan(&m, &[("x", 1)]), &CheckBasis::expected(&m));
        assert_eq!(
            v[0].message,
            "theme rel gets 0.0 of 30.0 planned person-weeks (0%), below its minimum share of 25%"
        );
        // r1 + r2 + x: 30 of 60 = 50%, the maximum; r1 + r2 alone: 100%.
        assert!(kinds(&m, &plan(&m, &[("r1", 0), ("r2", 0), ("x", 1)])).is_empty());
        let v = check_plan(
            &m,
            &plan(&m, &[("r1", 0), ("r2", 1)]),
            &CheckBasis::expected(&m),
        );
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].features, [0, 1]);
        assert!(v[0].message.contains("above its maximum share of 50%"));
        // Nothing delivered: no share to miss.
        assert!(kinds(&m, &Plan::empty(&m)).is_empty());
        // Shares use expected work even when the plan was made with another basis.
        let mut basis = CheckBasis::expected(&m);
        basis.effort[2][0] = 1.0;
        assert!(check_plan(&m, &plan(&m, &[("r1", 0), ("x", 0)]), &basis).is_empty());
    }

    #[test]
    fn capacity_lets_work_spread_from_the_earliest_period_to_delivery() {
        let m = model(
            r#"
[plan]
periods = 3
start = "2027Q1"
[[teams]]
id = "web"
capacity = [10, 10, 10]
[[teams]]
id = "ops"
capacity = 100
[[features]]
id = "big"
effort = { web = 18 }
[[features]]
id = "small"
effort = { web = 3, ops = 1 }
[[features]]
id = "gated"
effort = { web = 9 }
earliest = "2027Q3"
"#,
        );
        let basis = CheckBasis::expected(&m);
        // big spread over Q1-Q2 uses 18 of 20; small fits in the rest of Q1-Q2 only partly.
        assert!(check_plan(&m, &plan(&m, &[("big", 1), ("small", 2)]), &basis).is_empty());
        let v = check_plan(&m, &plan(&m, &[("big", 1), ("small", 1)]), &basis);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, ViolationKind::Capacity);
        assert_eq!(
            v[0].message,
            "team web needs 21.0 person-weeks in 2027Q1–2027Q2 for big, small but has 20.0"
        );
        assert_eq!(v[0].features, [0, 1]);
        // gated can only use Q3: with big due in Q3 the three together need 30 of 30.
        assert!(check_plan(
            &m,
            &plan(&m, &[("big", 2), ("small", 1), ("gated", 2)]),
            &basis
        )
        .is_empty());
        // Only Q3 is open to gated, so Q3 alone is the overloaded run, not the whole plan.
        let mut tight = basis.clone();
        tight.capacity[0][2] = 8.0;
        let v = check_plan(&m, &plan(&m, &[("gated", 2)]), &tight);
        assert_eq!(
            v[0].message,
            "team web needs 9.0 person-weeks in 2027Q3 for gated but has 8.0"
        );
        assert!(!capacity_feasible(&m, &plan(&m, &[("gated", 2)]), &tight));
        assert!(capacity_feasible(&m, &plan(&m, &[("big", 2)]), &tight));
    }

    #[test]
    fn one_overloaded_period_is_reported_once_and_separate_runs_each() {
        let jobs = [
            Job {
                feature: 0,
                open_period: 0,
                due_period: 0,
                weeks: 15.0,
            },
            Job {
                feature: 1,
                open_period: 2,
                due_period: 2,
                weeks: 12.0,
            },
            Job {
                feature: 2,
                open_period: 1,
                due_period: 3,
                weeks: 1.0,
            },
        ];
        let found = overloads(&jobs, &[10.0, 10.0, 10.0, 10.0]);
        let runs: Vec<(usize, usize, f64)> = found
            .iter()
            .map(|o| (o.first_period, o.last_period, o.short_weeks()))
            .collect();
        assert_eq!(runs, [(0, 0, 5.0), (2, 2, 2.0)]);
    }

    #[test]
    fn fits_says_whether_one_more_feature_can_be_staffed() {
        let m = model(
            r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 10
[[teams]]
id = "ops"
capacity = 1
[[features]]
id = "a"
effort = { web = 12 }
[[features]]
id = "b"
effort = { web = 7 }
[[features]]
id = "c"
effort = { ops = 1 }
[[features]]
id = "d"
effort = { web = 2 }
"#,
        );
        let basis = CheckBasis::expected(&m);
        // a alone needs more than P1 holds (12 > 10), but fits by P2.
        assert!(!fits(&m, &Plan::empty(&m), &basis, 0, 0));
        assert!(fits(&m, &Plan::empty(&m), &basis, 0, 1));
        // With a in P2, b fits in either period: 19 of the 20 weeks by P2.
        let p = plan(&m, &[("a", 1)]);
        assert!(fits(&m, &p, &basis, 1, 0));
        assert!(fits(&m, &p, &basis, 1, 1));
        // d would need 21 by P2.
        let crowded = plan(&m, &[("a", 1), ("b", 1)]);
        assert!(!fits(&m, &crowded, &basis, 3, 0));
        assert!(!fits(&m, &crowded, &basis, 3, 1));
        // Moving b out of the way makes room: fits replaces a feature's period.
        assert!(fits(&m, &plan(&m, &[("a", 1), ("d", 1)]), &basis, 3, 0));
        // The web team's load does not matter to a feature that needs only ops.
        assert!(fits(&m, &crowded, &basis, 2, 0));
        // Unknown features and periods past the plan never fit.
        assert!(!fits(&m, &p, &basis, 9, 0));
        assert!(!fits(&m, &p, &basis, 2, 2));
    }

    #[test]
    fn a_plan_of_the_wrong_length_or_past_the_end_is_reported_not_a_panic() {
        let m = with("[[features]]\nid = \"a\"\neffort = { web = 1 }\n[[features]]\nid = \"b\"\n");
        let short = Plan::new(vec![Some(5)]);
        assert_eq!(kinds(&m, &short), [ViolationKind::PastPlanEnd]);
        let long = Plan::new(vec![None, Some(0), Some(1)]);
        assert!(kinds(&m, &long).is_empty());
        let empty_basis = CheckBasis {
            effort: vec![],
            capacity: vec![],
            lead_weeks: vec![],
        };
        assert!(check_plan(&m, &long, &empty_basis).is_empty());
    }

    /// Earliest-deadline-first, a different algorithm for the same question: in each period,
    /// give the capacity to the open work due soonest. For divisible work with release and due
    /// periods on one resource it finds a schedule whenever one exists.
    fn edf_feasible(jobs: &[Job], capacity: &[f64]) -> bool {
        let mut left: Vec<f64> = jobs.iter().map(|j| j.weeks).collect();
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&k| jobs[k].due_period);
        for (p, &cap) in capacity.iter().enumerate() {
            let mut free = cap;
            for &k in &order {
                if jobs[k].open_period <= p && p <= jobs[k].due_period {
                    let used = free.min(left[k]);
                    left[k] -= used;
                    free -= used;
                }
            }
            if order
                .iter()
                .any(|&k| jobs[k].due_period == p && left[k] > 0.0)
            {
                return false;
            }
        }
        left.iter().all(|&w| w <= 0.0)
    }

    proptest! {
        #[test]
        fn hall_runs_agree_with_earliest_deadline_first(
            capacity in prop::collection::vec(0u8..=10, 1..=5),
            raw in prop::collection::vec((0usize..5, 0usize..5, 1u8..=12), 0..=7),
        ) {
            let periods = capacity.len();
            let capacity: Vec<f64> = capacity.into_iter().map(f64::from).collect();
            let jobs: Vec<Job> = raw
                .into_iter()
                .enumerate()
                .map(|(k, (x, y, w))| {
                    let (x, y) = (x % periods, y % periods);
                    Job { feature: k, open_period: x.min(y), due_period: x.max(y), weeks: f64::from(w) }
                })
                .collect();
            let hall = first_overload(&jobs, &capacity).is_none();
            prop_assert_eq!(hall, edf_feasible(&jobs, &capacity));
            prop_assert_eq!(hall, overloads(&jobs, &capacity).is_empty());
        }
    }
}
