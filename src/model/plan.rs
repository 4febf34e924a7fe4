//! What the simulator executes: a release plan (feature -> planned period) or a priority
//! order. `optimize` writes plans; strategies produce orders.

use super::{AnyOf, Feature, Model};
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
    /// The extra capacity the plan buys (hires and contractors); empty when it buys none.
    pub bought: Vec<super::staffing::Purchase>,
    /// Where the plan puts the people of each pool, period by period; empty when it places
    /// none (they then help no team).
    pub assigned: Vec<super::staffing::Assignment>,
    /// For each feature with stages (`Feature::stages`), the period by whose end each stage
    /// but the last is done, when the plan says so; see [`Plan::handoffs`] for the default
    /// and for values a moved delivery no longer allows.
    pub handoffs: Vec<Vec<usize>>,
}

impl Plan {
    /// A plan with these delivery periods and the default starts.
    pub fn new(periods: Vec<Option<usize>>) -> Self {
        let starts = vec![None; periods.len()];
        Plan {
            periods,
            starts,
            bought: Vec::new(),
            assigned: Vec::new(),
            handoffs: Vec::new(),
        }
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
                .planned_start(open, period, super::expect::lead_weeks(model, f))
        }))
    }

    /// The period by whose end each stage but the last of planned feature `f` is done: the
    /// plan's own, held to what its delivery allows (each stage at least a period after the
    /// one before and a period before the next), or as late as its delivery allows where the
    /// plan says nothing. Empty for a feature without stages or left out.
    pub fn handoffs(&self, model: &Model, f: usize) -> Vec<usize> {
        let Some(due) = self.periods.get(f).copied().flatten() else {
            return Vec::new();
        };
        let carried = self.handoffs.get(f).map_or(&[][..], Vec::as_slice);
        handoffs_within(model, f, due, carried)
    }

    /// The run of periods [open, due] in which team `k` works on its part of planned feature
    /// `f`: from the feature's earliest period, or the period after the stage before hands
    /// off, to its own stage's hand-off or the delivery. None when the plan leaves `f` out.
    pub fn part_window(&self, model: &Model, f: usize, k: usize) -> Option<(usize, usize)> {
        let due = self.periods.get(f).copied().flatten()?;
        let carried = self.handoffs.get(f).map_or(&[][..], Vec::as_slice);
        Some(part_window_within(model, f, k, due, carried))
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
    /// `feature` was dropped because it, or something it requires, needs one of
    /// `alternatives` (an any-of group), and each was dropped or is excluded by a feature
    /// the order keeps.
    AlternativesDropped {
        feature: usize,
        alternatives: Vec<usize>,
    },
}

impl Order {
    /// The order a team can actually execute: every feature's prerequisites come before it
    /// (pulled forward if they were later or absent), and of two alternatives that exclude each
    /// other only the earlier one stays, together with everything that does not need the other.
    /// An any-of group is met by an alternative already kept; otherwise the one the order ranks
    /// first (or, if the order has none, the one listed first) that is neither dropped nor
    /// excluded by a kept feature is pulled forward.
    pub fn normalised(&self, model: &Model) -> (Order, Vec<OrderChange>) {
        let n = model.features.len();
        let mut changes = Vec::new();
        // Exclusions may be written on either side: who excludes each feature, found once.
        let mut excluded_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (g, feature) in model.features.iter().enumerate() {
            for &x in &feature.excludes {
                if x < n && excluded_by[x].last() != Some(&g) {
                    excluded_by[x].push(g);
                }
            }
        }
        // Excluded: decided by first appearance in the user's order, prerequisites included,
        // since pulling a prerequisite forward chooses it.
        let mut state = vec![State::Open; n];
        // Taken features are taken with all they need, and until two taken features exclude
        // each other (which validation rejects) none of them can block another: the walk below
        // stops at them, so the whole order costs what it adds, not what each feature needs.
        let mut taken_clash = false;
        let mut position = vec![usize::MAX; n];
        for (i, &f) in self.features.iter().enumerate().rev() {
            if f < n {
                position[f] = i;
            }
        }
        let mut walk = Walk::new(n);
        let mut out = Vec::with_capacity(self.features.len());
        for &f in &self.features {
            if f >= n || state[f] != State::Open {
                continue;
            }
            // Depth-first: prerequisites of f in dependency order, then f.
            let mut needed = Vec::new();
            let stop = |g: usize| !taken_clash && state[g] == State::Taken;
            let taken = |g: usize| state[g] == State::Taken;
            let choose = |group: &AnyOf| {
                let usable = |h: usize| {
                    h < n
                        && state[h] != State::Dropped
                        && !model.features[h]
                            .excludes
                            .iter()
                            .chain(excluded_by[h].iter())
                            .any(|&x| state[x] == State::Taken)
                };
                group
                    .features
                    .iter()
                    .enumerate()
                    .filter(|&(_, &h)| usable(h))
                    .min_by_key(|&(k, &h)| (position[h], k))
                    .map(|(_, &h)| h)
            };
            let rules = WalkRules {
                stop: &stop,
                taken: &taken,
                choose: &choose,
            };
            if let Some(alternatives) = walk.prerequisites(model, f, &rules, &mut needed) {
                state[f] = State::Dropped;
                changes.push(OrderChange::AlternativesDropped {
                    feature: f,
                    alternatives,
                });
                continue;
            }
            // needed ends with f itself.
            let blocked = needed.iter().find_map(|&g| {
                if state[g] == State::Dropped {
                    return Some((g, None));
                }
                model.features[g]
                    .excludes
                    .iter()
                    .chain(excluded_by[g].iter())
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
            taken_clash = taken_clash
                || needed.iter().any(|&g| {
                    model.features[g]
                        .excludes
                        .iter()
                        .chain(excluded_by[g].iter())
                        .any(|&x| state[x] == State::Taken)
                });
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

/// A depth-first walk of requirements that can run once per feature of a large portfolio: its
/// marks are reset by a new generation rather than a new vector, and it keeps its own stack,
/// so a long chain of requirements cannot exhaust the thread's.
struct Walk {
    seen: Vec<u32>,
    generation: u32,
    stack: Vec<(usize, usize)>,
}

impl Walk {
    fn new(n: usize) -> Self {
        Walk {
            seen: vec![0; n],
            generation: 0,
            stack: Vec::new(),
        }
    }

    /// Appends to `out` what `f` requires, directly or not, each after its own requirements,
    /// then `f`; features for which `rules.stop` holds are left out with what they require. An
    /// any-of group already met by a taken feature or one the walk holds adds nothing; else
    /// the alternative `rules.choose` picks is walked. Returns the alternatives of a group none
    /// of which can be picked, if there is one.
    fn prerequisites(
        &mut self,
        model: &Model,
        f: usize,
        rules: &WalkRules,
        out: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        self.generation += 1;
        let mark = self.generation;
        self.seen[f] = mark;
        self.stack.push((f, 0));
        let mut unmet = None;
        while let Some((g, next)) = self.stack.last_mut() {
            let g = *g;
            let feature = &model.features[g];
            let k = *next;
            if k >= feature.requires.len() + feature.requires_any.len() {
                out.push(g);
                self.stack.pop();
                continue;
            }
            *next += 1;
            let h = match feature.requires.get(k) {
                Some(r) => Some(r.feature),
                None => {
                    let group = &feature.requires_any[k - feature.requires.len()];
                    let met = group
                        .features
                        .iter()
                        .any(|&h| (rules.taken)(h) || self.seen[h] == mark);
                    let chosen = if met { None } else { (rules.choose)(group) };
                    if !met && chosen.is_none() && unmet.is_none() {
                        unmet = Some(group.features.clone());
                    }
                    chosen
                }
            };
            if let Some(h) = h {
                if self.seen[h] != mark {
                    self.seen[h] = mark;
                    if !(rules.stop)(h) {
                        self.stack.push((h, 0));
                    }
                }
            }
        }
        unmet
    }
}

/// What a walk of prerequisites stops at, what it counts as delivered already, and which
/// alternative of an any-of group it walks.
struct WalkRules<'a> {
    stop: &'a dyn Fn(usize) -> bool,
    taken: &'a dyn Fn(usize) -> bool,
    choose: &'a dyn Fn(&AnyOf) -> Option<usize>,
}

/// Length of the longest chain of requirements below each feature (0 = requires nothing),
/// every alternative of an any-of group counted as one: whichever a plan picks is then queued
/// before what needs it. Validation guarantees the graph is acyclic.
pub fn requirement_depth(model: &Model) -> Vec<usize> {
    let mut depth = vec![0; model.features.len()];
    for f in requirements_first(&model.features) {
        depth[f] = model.features[f]
            .needs()
            .map(|g| depth[g] + 1)
            .max()
            .unwrap_or(0);
    }
    depth
}

/// Features in an order in which each comes after everything it requires, and after every
/// alternative of its any-of groups: a depth-first walk without recursion, so that a long
/// chain of requirements cannot exhaust the stack. Each feature appears once, even on a cycle
/// (which validation rejects).
pub fn requirements_first(features: &[Feature]) -> Vec<usize> {
    let n = features.len();
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if std::mem::replace(&mut seen[root], true) {
            continue;
        }
        stack.push((root, 0));
        while let Some((f, next)) = stack.last_mut() {
            let f = *f;
            match features[f].needs().nth(*next) {
                Some(g) => {
                    *next += 1;
                    if !std::mem::replace(&mut seen[g], true) {
                        stack.push((g, 0));
                    }
                }
                None => {
                    order.push(f);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// Features in an order in which every feature comes after all it requires.
pub fn topological_order(model: &Model) -> Vec<usize> {
    let depth = requirement_depth(model);
    let mut order: Vec<usize> = (0..model.features.len()).collect();
    order.sort_by_key(|&f| (depth[f], f));
    order
}

/// [`Plan::handoffs`] for feature `f` delivered in `due` with the hand-offs `carried`.
pub fn handoffs_within(model: &Model, f: usize, due: usize, carried: &[usize]) -> Vec<usize> {
    let feature = &model.features[f];
    let stages = feature.stages.len();
    if stages < 2 {
        return Vec::new();
    }
    // A delivery too early for its stages (a plan that breaks the earliest period) squeezes
    // the stages into the delivery period, so that no part lies past it.
    let mut lo = feature.earliest_period.unwrap_or(0).min(due);
    (0..stages - 1)
        .map(|s| {
            let hi = due.saturating_sub(stages - 1 - s).max(lo).min(due);
            let at = carried.get(s).copied().unwrap_or(hi).clamp(lo.min(hi), hi);
            lo = at + 1;
            at
        })
        .collect()
}

/// [`Plan::part_window`] for feature `f` delivered in `due` with the hand-offs `carried`.
pub fn part_window_within(
    model: &Model,
    f: usize,
    k: usize,
    due: usize,
    carried: &[usize],
) -> (usize, usize) {
    let feature = &model.features[f];
    let open = feature.earliest_period.unwrap_or(0).min(due);
    let Some(s) = feature.stages.iter().position(|st| st.contains(&k)) else {
        return (open, due);
    };
    let at = handoffs_within(model, f, due, carried);
    let from = if s == 0 { open } else { at[s - 1] + 1 };
    let to = at.get(s).copied().unwrap_or(due);
    (from.min(to), to)
}
