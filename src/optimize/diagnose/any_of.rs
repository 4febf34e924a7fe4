//! A forced feature's any-of group forces none of its alternatives, but every plan delivers
//! one of them in time: when each alternative, by itself, comes too late or cannot fit beside
//! the forced work, no plan exists, and the group is the cause.
//!
//! Each alternative is judged with what it requires for sure (its plain requirements, due
//! early enough for their lags), not its own groups: counting less work than a plan needs
//! keeps every finding a real cause.

use super::{Forced, ForcedFeature};
use crate::model::Model;
use crate::plan_check::{overloads, CheckBasis, Job};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why an alternative of a forced feature's group cannot be the one delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocked {
    /// Its earliest possible delivery (0-based; None past the plan's end) comes after the
    /// period the group needs it by.
    TooLate {
        feature: usize,
        id: String,
        earliest_label: Option<String>,
    },
    /// Its work, with what it requires, and the forced work need more of a team than it has.
    Capacity {
        feature: usize,
        id: String,
        load: AlternativeLoad,
    },
}

/// A run of periods a team cannot do the forced work and an alternative's in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlternativeLoad {
    pub team: usize,
    pub team_id: String,
    pub first_period: usize,
    pub last_period: usize,
    pub need_weeks: f64,
    pub capacity_weeks: f64,
    pub short_weeks: f64,
}

/// What the analysis of groups reads: the diagnosis's forced work, windows and jobs.
pub(super) struct Reach<'a> {
    pub model: &'a Model,
    pub basis: &'a CheckBasis,
    pub forced: &'a [Option<Forced>],
    pub earliest: &'a [usize],
    /// Last period each feature may be delivered in (negative: before the plan starts).
    pub latest: &'a [(i64, super::Due)],
    /// The forced jobs of each team (none for a team the forced work alone overloads).
    pub jobs: &'a [Vec<Job>],
    /// Teams the forced work alone overloads: a shortfall of their own, not the group's.
    pub skip_teams: &'a [usize],
}

impl Reach<'_> {
    /// The conflicts of forced `feature`'s groups none of whose alternatives fits.
    pub(super) fn unmet_groups(&self, feature: ForcedFeature) -> Vec<super::Conflict> {
        let f = feature.feature;
        let mut out = Vec::new();
        for group in &self.model.features[f].requires_any {
            // An alternative the forced work delivers anyway may meet it: not judged here.
            if group.features.iter().any(|&g| self.forced[g].is_some()) {
                continue;
            }
            let due = self.latest[f].0 - group.lag_periods as i64;
            let blocked: Vec<Blocked> = group
                .features
                .iter()
                .map_while(|&g| self.blocked(g, due))
                .collect();
            if blocked.len() == group.features.len() {
                out.push(super::Conflict::NoAlternative {
                    feature: feature.clone(),
                    needed_by: usize::try_from(due).ok().map(|d| self.model.time.label(d)),
                    lag_periods: group.lag_periods,
                    blocked,
                });
            }
        }
        out
    }

    /// Why alternative `g` cannot be delivered by period `due`, if it cannot.
    fn blocked(&self, g: usize, due: i64) -> Option<Blocked> {
        let model = self.model;
        let id = model.features[g].id.clone();
        let Ok(due) = usize::try_from(due) else {
            return Some(Blocked::TooLate {
                feature: g,
                id,
                earliest_label: self.label(self.earliest[g]),
            });
        };
        if self.earliest[g] > due {
            return Some(Blocked::TooLate {
                feature: g,
                id,
                earliest_label: self.label(self.earliest[g]),
            });
        }
        let extra = self.needed_by(g, due);
        for (t, team) in model.teams.iter().enumerate() {
            if self.skip_teams.contains(&t) {
                continue;
            }
            let mut jobs = self.jobs[t].clone();
            jobs.extend(extra.iter().filter_map(|(&x, &due)| {
                let weeks = self.basis.effort_weeks(x, t);
                let open = model.features[x].earliest_period.unwrap_or(0);
                (weeks > 0.0 && open <= due).then_some(Job {
                    feature: x,
                    open_period: open,
                    due_period: due,
                    weeks,
                })
            }));
            let capacity = self.basis.capacity.get(t).map_or(&[][..], |c| &c[..]);
            if let Some(o) = overloads(&jobs, capacity).into_iter().next() {
                return Some(Blocked::Capacity {
                    feature: g,
                    id,
                    load: AlternativeLoad {
                        team: t,
                        team_id: team.id.clone(),
                        first_period: o.first_period,
                        last_period: o.last_period,
                        need_weeks: o.need_weeks,
                        capacity_weeks: o.capacity_weeks,
                        short_weeks: o.short_weeks(),
                    },
                });
            }
        }
        None
    }

    /// `g` and what it requires for sure that the forced work does not hold already, each with
    /// the last period it may be delivered in for `g` to be delivered by `due`.
    fn needed_by(&self, g: usize, due: usize) -> BTreeMap<usize, usize> {
        let mut needed: BTreeMap<usize, usize> = BTreeMap::new();
        let mut stack = vec![(g, due)];
        while let Some((x, d)) = stack.pop() {
            if self.forced[x].is_some() || needed.get(&x).is_some_and(|&had| had <= d) {
                continue;
            }
            needed.insert(x, d);
            for r in &self.model.features[x].requires {
                // Before the plan starts: its earliest period is later, so `g` was too late.
                if let Some(e) = d.checked_sub(r.lag_periods) {
                    stack.push((r.feature, e));
                }
            }
        }
        needed
    }

    fn label(&self, period: usize) -> Option<String> {
        (period < self.model.time.periods).then(|| self.model.time.label(period))
    }
}
