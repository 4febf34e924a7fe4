//! Capacity as a transportation problem: a feature delivered in period t may be worked on in
//! any amounts from its earliest period to t. Such a plan can be staffed exactly when, for
//! every run of periods [a, b], the work of the features whose whole window lies inside [a, b]
//! fits the capacity of those periods (Hall's condition; on a line of periods the runs are the
//! only sets that matter).

use super::CheckBasis;
use crate::model::{exceeds, Model, Plan};

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
            let capacity = basis.team_capacity(model, plan, team);
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
    /// run that contains its window [earliest, period] (a staged part's: its stage's, handing
    /// off as late as the delivery allows) has room for its work, team by team.
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
        // Delivered in `period` with the hand-offs as late as that allows, as in a plan
        // that says nothing of them.
        let (open, period) =
            crate::model::plan::part_window_within(model, feature, team, period, &[]);
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
    let capacity = basis.team_capacity(model, plan, team);
    first_overload(&jobs, &capacity).is_none()
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

pub(crate) fn team_jobs(model: &Model, plan: &Plan, basis: &CheckBasis, team: usize) -> Vec<Job> {
    (0..plan.periods.len().min(model.features.len()))
        .filter_map(|f| {
            let weeks = basis.effort_weeks(f, team);
            // A plan before the earliest period is its own violation; for capacity the work
            // then has only the delivery period, so it is not reported twice over. A staged
            // feature's part lies between its hand-offs.
            let (open, due) = plan.part_window(model, f, team)?;
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

pub(super) fn first_overload(jobs: &[Job], capacity: &[f64]) -> Option<(usize, usize)> {
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
