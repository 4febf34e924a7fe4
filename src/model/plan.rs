//! What the simulator executes: a release plan (feature -> planned period) or a priority
//! order. `optimize` writes plans; strategies produce orders.

use super::Model;
use serde::Serialize;

/// A release plan: for each feature of the model (by index), the 0-based period by whose end it
/// is planned to be delivered, or `None` when the plan leaves it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub periods: Vec<Option<usize>>,
    /// For each planned feature, the 0-based period it starts in (its vendor is engaged and its
    /// one-off costs are paid then), when the plan says so; `None` takes the default,
    /// [`TimeFrame::planned_start`](super::time::TimeFrame::planned_start) with the expected lead.
    pub starts: Vec<Option<usize>>,
}

impl Plan {
    /// A plan with these delivery periods and the default starts.
    pub fn new(periods: Vec<Option<usize>>) -> Self {
        let starts = vec![None; periods.len()];
        Plan { periods, starts }
    }

    pub fn empty(model: &Model) -> Self {
        Plan::new(vec![None; model.features.len()])
    }

    /// The period planned feature `f` starts in: the plan's own, or the latest start that leaves
    /// its expected lead time before its planned period ends.
    pub fn start(&self, model: &Model, f: usize) -> Option<usize> {
        let period = self.periods.get(f).copied().flatten()?;
        Some(self.starts.get(f).copied().flatten().unwrap_or_else(|| {
            let open = model.features[f].earliest_period.unwrap_or(0);
            model
                .time
                .planned_start(open, period, model.expected_lead_weeks(f))
        }))
    }

    pub fn planned(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.periods
            .iter()
            .enumerate()
            .filter_map(|(f, p)| p.map(|p| (f, p)))
    }

    /// Work order for teams: earlier planned periods first; within a period, what others
    /// require first, then file order, so that a prerequisite is never queued behind what needs it.
    pub fn work_order(&self, model: &Model) -> Vec<usize> {
        let depth = requirement_depth(model);
        let mut order: Vec<usize> = self.planned().map(|(f, _)| f).collect();
        order.sort_by_key(|&f| (self.periods[f], depth[f], f));
        order
    }
}

/// A priority order: features by index, most important first. Teams work through it in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub features: Vec<usize>,
}

/// Why an order given by the user was changed before it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderChange {
    /// `feature` was not in the order (or came later) and was moved right before `needed_by`.
    PulledForward { feature: usize, needed_by: usize },
    /// `feature` was dropped because `chosen`, earlier in the order, excludes it.
    Excluded { feature: usize, chosen: usize },
    /// `feature` was dropped because something it requires was dropped.
    RequirementDropped { feature: usize, requirement: usize },
}

impl Order {
    /// The order a team can actually execute: every feature's prerequisites come before it
    /// (pulled forward if they were later or absent), and of two alternatives that exclude each
    /// other only the earlier one stays, together with everything that does not need the other.
    pub fn normalised(&self, model: &Model) -> (Order, Vec<OrderChange>) {
        let n = model.features.len();
        let mut changes = Vec::new();
        // Excluded: decided by first appearance in the user's order, prerequisites included,
        // since pulling a prerequisite forward chooses it.
        let mut state = vec![State::Open; n];
        let mut out = Vec::with_capacity(self.features.len());
        for &f in &self.features {
            if f >= n || state[f] != State::Open {
                continue;
            }
            // Depth-first: prerequisites of f in dependency order, then f.
            let mut needed = Vec::new();
            collect_prerequisites(model, f, &mut needed, &mut vec![false; n]);
            // needed ends with f itself.
            let blocked = needed.iter().find_map(|&g| {
                if state[g] == State::Dropped {
                    return Some((g, None));
                }
                model.features[g]
                    .excludes
                    .iter()
                    .chain(excluded_by(model, g).iter())
                    .find(|&&x| state[x] == State::Taken)
                    .map(|&x| (g, Some(x)))
            });
            if let Some((g, chooser)) = blocked {
                state[f] = State::Dropped;
                changes.push(match chooser {
                    Some(chosen) if g == f => OrderChange::Excluded { feature: f, chosen },
                    _ => OrderChange::RequirementDropped {
                        feature: f,
                        requirement: g,
                    },
                });
                continue;
            }
            for &g in &needed {
                if state[g] == State::Taken {
                    continue;
                }
                state[g] = State::Taken;
                out.push(g);
                if g != f {
                    changes.push(OrderChange::PulledForward {
                        feature: g,
                        needed_by: f,
                    });
                }
            }
        }
        (Order { features: out }, changes)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    Taken,
    Dropped,
}

/// Features that declare an exclusion of `f` (exclusions may be written on either side).
fn excluded_by(model: &Model, f: usize) -> Vec<usize> {
    model
        .features
        .iter()
        .enumerate()
        .filter(|(_, g)| g.excludes.contains(&f))
        .map(|(g, _)| g)
        .collect()
}

fn collect_prerequisites(model: &Model, f: usize, out: &mut Vec<usize>, seen: &mut [bool]) {
    if seen[f] {
        return;
    }
    seen[f] = true;
    for r in &model.features[f].requires {
        collect_prerequisites(model, r.feature, out, seen);
    }
    out.push(f);
}

/// Length of the longest chain of requirements below each feature (0 = requires nothing).
/// Validation guarantees the graph is acyclic.
pub fn requirement_depth(model: &Model) -> Vec<usize> {
    let n = model.features.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    fn visit(model: &Model, f: usize, depth: &mut [Option<usize>]) -> usize {
        if let Some(d) = depth[f] {
            return d;
        }
        // Mark before recursing so a cycle (impossible after validation) cannot loop forever.
        depth[f] = Some(0);
        let d = model.features[f]
            .requires
            .iter()
            .map(|r| visit(model, r.feature, depth) + 1)
            .max()
            .unwrap_or(0);
        depth[f] = Some(d);
        d
    }
    (0..n).map(|f| visit(model, f, &mut depth)).collect()
}

/// Features in an order in which every feature comes after all it requires.
pub fn topological_order(model: &Model) -> Vec<usize> {
    let depth = requirement_depth(model);
    let mut order: Vec<usize> = (0..model.features.len()).collect();
    order.sort_by_key(|&f| (depth[f], f));
    order
}
