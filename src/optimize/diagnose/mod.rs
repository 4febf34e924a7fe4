//! Why no plan can exist, in the user's terms, found without a solver.
//!
//! Everything here starts from the work no plan can avoid: the mandatory features and
//! everything they require, directly or through others (the *forced* features). An any-of
//! group forces none of its alternatives in particular, so they are not forced. Each finding
//! is a necessary condition that every feasible plan satisfies and this scenario breaks, so a
//! finding is always a real cause; a scenario whose causes lie only in combinations of
//! optional choices gets no finding here and is explained by the optimizer's relaxations.

mod any_of;
pub use any_of::{AlternativeLoad, Blocked};

use crate::model::plan::topological_order;
use crate::model::Model;
use crate::model::{exceeds, expect};
use crate::plan_check::{overloads, soonest_own_period, CheckBasis, Job};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnosis {
    /// Features that cannot be delivered at all although they must be (mandatory, or required
    /// by a mandatory feature), with why.
    pub conflicts: Vec<Conflict>,
    /// Team capacity shortfalls over a run of periods for the forced work that must be done
    /// inside it.
    pub shortfalls: Vec<CapacityShortfall>,
    pub budget: Option<BudgetShortfall>,
    pub themes: Vec<ThemeConflict>,
    /// Filled by the optimizer: which groups of constraints, relaxed one at a time, make the
    /// plan feasible.
    pub relaxations: Vec<Relaxation>,
    /// Filled by the optimizer when the analysis above finds no cause: the least extra
    /// capacity, team by team and period by period, with which a plan exists.
    pub extra_capacity: Vec<ExtraCapacity>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraCapacity {
    pub team: usize,
    pub team_id: String,
    pub period: usize,
    pub period_label: String,
    pub weeks: f64,
}

impl Diagnosis {
    /// Whether the static analysis found a cause (relaxations aside).
    pub fn found_cause(&self) -> bool {
        !self.conflicts.is_empty()
            || !self.shortfalls.is_empty()
            || self.budget.is_some()
            || !self.themes.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    /// The constraints left out, in the user's words ("the hard deadlines", "the budget").
    pub group: String,
    pub feasible_without: bool,
}

/// Why a feature must be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Forced {
    Mandatory,
    /// Required by a forced feature (the first one found, for naming the chain).
    RequiredBy {
        feature: usize,
        id: String,
    },
}

/// What sets the last period a forced feature may be delivered in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    HardDeadline,
    /// No deadline: the plan's last period.
    PlanEnd,
    /// A forced feature requires it, `lag_periods` before its own last period.
    RequiredBy {
        feature: usize,
        id: String,
        lag_periods: usize,
    },
}

/// A forced feature, with the last period it may be delivered in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForcedFeature {
    pub feature: usize,
    pub id: String,
    pub forced: Forced,
    /// 0-based.
    pub due_period: usize,
    pub due_label: String,
    pub due: Due,
}

/// Person-weeks a forced feature needs from one team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForcedWork {
    pub feature: ForcedFeature,
    pub weeks: f64,
}

/// Why a feature cannot be delivered before some period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DelayCause {
    /// No work may start before its `earliest` period (or the plan's first).
    EarliestStart { period: usize },
    /// Vendor lead time and expected risk delays, counted from the start of its earliest
    /// period.
    LeadTime { weeks: f64, start_period: usize },
    /// A feature it requires, which can be delivered no sooner than the next step of the chain
    /// says, plus the lag.
    Requires {
        feature: usize,
        id: String,
        lag_periods: usize,
    },
    /// An any-of group, whose alternative that can be delivered first (`feature`) can be
    /// delivered no sooner than the next step of the chain says, plus the lag.
    RequiresOneOf {
        feature: usize,
        id: String,
        /// Every alternative of the group, the soonest among them.
        alternatives: Vec<String>,
        lag_periods: usize,
    },
}

/// One link of the chain that explains an earliest delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delay {
    pub feature: usize,
    pub id: String,
    /// First period it can be delivered in, 0-based; may lie past the plan's last period.
    pub earliest_period: usize,
    /// None when that period is past the plan's end.
    pub earliest_label: Option<String>,
    pub cause: DelayCause,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conflict {
    /// A forced feature's earliest possible delivery is after the last period it may be
    /// delivered in (its hard deadline, or the plan's end).
    NoWindow {
        feature: ForcedFeature,
        /// From the feature itself down to what holds it back: each link's cause names the next.
        chain: Vec<Delay>,
    },
    /// Two forced features exclude each other.
    Excluded {
        first: ForcedFeature,
        second: ForcedFeature,
    },
    /// A forced feature's any-of group none of whose alternatives can be delivered in time
    /// beside the forced work: each comes too late, or overloads a team.
    NoAlternative {
        feature: ForcedFeature,
        /// The last period an alternative may be delivered in (the feature's less the lag);
        /// None when that is before the plan starts.
        needed_by: Option<String>,
        lag_periods: usize,
        blocked: Vec<Blocked>,
    },
}

/// A run of periods in which a team cannot do the forced work that must happen inside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityShortfall {
    pub team: usize,
    pub team_id: String,
    /// 0-based, inclusive.
    pub first_period: usize,
    pub last_period: usize,
    pub first_label: String,
    pub last_label: String,
    pub need_weeks: f64,
    pub capacity_weeks: f64,
    pub short_weeks: f64,
    /// The forced features whose work must happen inside the run, largest first.
    pub features: Vec<ForcedWork>,
}

/// The expected spend of the forced features against the budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetShortfall {
    pub budget: f64,
    pub forced_spend: f64,
    /// What the teams whose cost is fixed cost over the plan, whatever it holds.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixed_spend: f64,
    pub short: f64,
    /// Each forced feature's expected spend, largest first.
    pub contributors: Vec<Spend>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spend {
    pub feature: usize,
    pub id: String,
    pub forced: Forced,
    pub spend: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBound {
    Min,
    Max,
}

/// A theme share that no plan can meet.
///
/// For a minimum: even with every feature of the theme that can be delivered and nothing
/// outside it but the forced work, the theme's share stays below the minimum. For a maximum:
/// even with only the theme's forced features and every feature outside it that can be
/// delivered, the share stays above.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeConflict {
    pub theme: usize,
    pub theme_id: String,
    pub bound: ShareBound,
    /// The bound, a fraction of delivered expected work.
    pub share: f64,
    /// The best share any plan can give the theme.
    pub best_share: f64,
    /// Expected person-weeks of the theme in that best case.
    pub theme_weeks: f64,
    /// Expected person-weeks outside the theme in that best case.
    pub other_weeks: f64,
    /// The forced work that makes it impossible: outside the theme for a minimum, inside it
    /// for a maximum. Person-weeks are expected, over all teams.
    pub features: Vec<ForcedWork>,
}

/// Finds why no plan can satisfy the scenario's commitments under `basis`.
pub fn diagnose(model: &Model, basis: &CheckBasis) -> Diagnosis {
    let n = model.features.len();
    if n == 0 || model.time.periods == 0 {
        return Diagnosis::default();
    }
    let roomiest = basis.with_most_extra(model); // short even with every person bought
    let basis = &*roomiest;
    let forced = forced_features(model);
    let order = topological_order(model);
    let (earliest, delay) = earliest_delivery(model, basis, &order);
    let latest = latest_delivery(model, &forced, &order);

    // A forced feature whose latest period is inherited from one it is required by has an
    // empty window only when that one's window is empty too, so reporting features with their
    // own bound names each contradiction once, at the feature the user committed to.
    let window_empty = |f: usize| (earliest[f] as i64) > latest[f].0;
    let forced_feature = |f: usize| -> Option<ForcedFeature> {
        let why = forced[f].clone()?;
        let (period, due) = latest[f].clone();
        let due_period = usize::try_from(period).ok()?;
        Some(ForcedFeature {
            feature: f,
            id: model.features[f].id.clone(),
            forced: why,
            due_period,
            due_label: model.time.label(due_period),
            due,
        })
    };

    let mut conflicts = Vec::new();
    for f in 0..n {
        if forced[f].is_none() || !window_empty(f) {
            continue;
        }
        if matches!(latest[f].1, Due::RequiredBy { .. }) {
            continue;
        }
        if let Some(feature) = forced_feature(f) {
            conflicts.push(Conflict::NoWindow {
                feature,
                chain: delay_chain(model, &earliest, &delay, f),
            });
        }
    }
    for f in 0..n {
        for &x in &model.features[f].excludes {
            if x >= n || x == f || forced[f].is_none() || forced[x].is_none() {
                continue;
            }
            if model.features[x].excludes.contains(&f) && x < f {
                continue;
            }
            if let (Some(first), Some(second)) = (forced_feature(f), forced_feature(x)) {
                conflicts.push(Conflict::Excluded { first, second });
            }
        }
    }

    let forced_jobs = |t: usize| -> Vec<Job> {
        // Features with no window are already conflicts; their work has no place to count.
        (0..n)
            .filter(|&f| forced[f].is_some() && !window_empty(f))
            .filter_map(|f| {
                let due = usize::try_from(latest[f].0).ok()?;
                let weeks = basis.effort_weeks(f, t);
                let open = model.features[f].earliest_period.unwrap_or(0);
                (weeks > 0.0 && open <= due).then_some(Job {
                    feature: f,
                    open_period: open,
                    due_period: due,
                    weeks,
                })
            })
            .collect()
    };
    let mut shortfalls = Vec::new();
    for (t, team) in model.teams.iter().enumerate() {
        let jobs = forced_jobs(t);
        let capacity = basis.capacity.get(t).map_or(&[][..], |c| &c[..]);
        for o in overloads(&jobs, capacity) {
            let features = o
                .jobs
                .iter()
                .filter_map(|&f| {
                    Some(ForcedWork {
                        feature: forced_feature(f)?,
                        weeks: basis.effort_weeks(f, t),
                    })
                })
                .collect();
            shortfalls.push(CapacityShortfall {
                team: t,
                team_id: team.id.clone(),
                first_period: o.first_period,
                last_period: o.last_period,
                first_label: model.time.label(o.first_period),
                last_label: model.time.label(o.last_period),
                need_weeks: o.need_weeks,
                capacity_weeks: o.capacity_weeks,
                short_weeks: o.short_weeks(),
                features,
            });
        }
    }

    let budget = budget_shortfall(model, &forced);

    let short_teams: Vec<usize> = shortfalls
        .iter()
        .map(|s: &CapacityShortfall| s.team)
        .collect();
    let jobs: Vec<Vec<Job>> = (0..model.teams.len())
        .map(|t| match short_teams.contains(&t) {
            // The forced work alone overloads it: that is the cause, reported above.
            true => Vec::new(),
            false => forced_jobs(t),
        })
        .collect();
    let reach = any_of::Reach {
        model,
        basis,
        forced: &forced,
        earliest: &earliest,
        latest: &latest,
        jobs: &jobs,
        skip_teams: &short_teams,
    };
    for f in (0..n).filter(|&f| forced[f].is_some() && !window_empty(f)) {
        if let Some(feature) = forced_feature(f) {
            conflicts.extend(reach.unmet_groups(feature));
        }
    }

    let possible = deliverable(model, &forced, &earliest);
    let themes = theme_conflicts(model, &forced, &possible, &forced_feature);

    Diagnosis {
        conflicts,
        shortfalls,
        budget,
        themes,
        relaxations: Vec::new(),
        extra_capacity: Vec::new(),
    }
}

/// The expected spend of the forced features (a recurring cost at its least) and of the
/// fixed-cost teams against the budget, when it is over.
fn budget_shortfall(model: &Model, forced: &[Option<Forced>]) -> Option<BudgetShortfall> {
    let n = model.features.len();
    model.budget.and_then(|budget| {
        let mut contributors: Vec<Spend> = (0..n)
            .filter_map(|f| {
                Some(Spend {
                    feature: f,
                    id: model.features[f].id.clone(),
                    forced: forced[f].clone()?,
                    spend: match model.features[f].recurring_cost {
                        Some(_) => {
                            expect::spend(model, f) + expect::least_recurring_spend(model, f)
                        }
                        None => expect::spend(model, f),
                    },
                })
            })
            .filter(|s| s.spend > 0.0)
            .collect();
        let forced_spend: f64 = contributors.iter().map(|s| s.spend).sum();
        let fixed_spend = expect::fixed_team_spend(model);
        contributors.sort_by(|a, b| b.spend.total_cmp(&a.spend).then(a.feature.cmp(&b.feature)));
        let need = forced_spend + fixed_spend;
        exceeds(need, budget).then_some(BudgetShortfall {
            budget,
            forced_spend,
            fixed_spend,
            short: need - budget,
            contributors,
        })
    })
}

/// Mandatory features and everything they require, directly or through others; not the
/// alternatives of their any-of groups, none of which is needed in particular.
fn forced_features(model: &Model) -> Vec<Option<Forced>> {
    let n = model.features.len();
    let mut forced: Vec<Option<Forced>> = model
        .features
        .iter()
        .map(|f| f.mandatory.then_some(Forced::Mandatory))
        .collect();
    let mut stack: Vec<usize> = (0..n).filter(|&f| forced[f].is_some()).rev().collect();
    while let Some(f) = stack.pop() {
        for r in &model.features[f].requires {
            let g = r.feature;
            if g < n && forced[g].is_none() {
                forced[g] = Some(Forced::RequiredBy {
                    feature: f,
                    id: model.features[f].id.clone(),
                });
                stack.push(g);
            }
        }
    }
    forced
}

/// First period each feature can be delivered in, and what sets it.
fn earliest_delivery(
    model: &Model,
    basis: &CheckBasis,
    order: &[usize],
) -> (Vec<usize>, Vec<DelayCause>) {
    let n = model.features.len();
    let mut earliest = vec![0usize; n];
    let mut cause = vec![DelayCause::EarliestStart { period: 0 }; n];
    for &f in order {
        let feature = &model.features[f];
        let start = feature.earliest_period.unwrap_or(0);
        let own = soonest_own_period(model, basis, f);
        let (mut best, mut why) = if own > start {
            (
                own,
                DelayCause::LeadTime {
                    weeks: basis.lead(f),
                    start_period: start,
                },
            )
        } else {
            (start, DelayCause::EarliestStart { period: start })
        };
        for r in &feature.requires {
            let g = r.feature;
            if g >= n {
                continue;
            }
            let need = earliest[g].saturating_add(r.lag_periods);
            if need > best {
                best = need;
                why = DelayCause::Requires {
                    feature: g,
                    id: model.features[g].id.clone(),
                    lag_periods: r.lag_periods,
                };
            }
        }
        for group in &feature.requires_any {
            let Some((g, soonest)) = group.first_delivered(|g| earliest.get(g).copied()) else {
                continue;
            };
            let need = soonest.saturating_add(group.lag_periods);
            if need > best {
                best = need;
                why = DelayCause::RequiresOneOf {
                    feature: g,
                    id: model.features[g].id.clone(),
                    alternatives: group
                        .features
                        .iter()
                        .map(|&a| model.features[a].id.clone())
                        .collect(),
                    lag_periods: group.lag_periods,
                };
            }
        }
        earliest[f] = best;
        cause[f] = why;
    }
    (earliest, cause)
}

/// Last period each feature may be delivered in (negative: before the plan starts), and what
/// sets it. Only forced features pass their bound on to what they require: an optional
/// feature may be left out, and with it the reason to hurry what it needs.
fn latest_delivery(model: &Model, forced: &[Option<Forced>], order: &[usize]) -> Vec<(i64, Due)> {
    let last = model.time.periods as i64 - 1;
    let mut latest: Vec<(i64, Due)> = model
        .features
        .iter()
        .map(|f| match f.deadline.and_then(|d| d.hard_period()) {
            Some(due) if (due as i64) <= last => (due as i64, Due::HardDeadline),
            _ => (last, Due::PlanEnd),
        })
        .collect();
    for &f in order.iter().rev() {
        if forced[f].is_none() {
            continue;
        }
        let bound = latest[f].0;
        for r in &model.features[f].requires {
            let g = r.feature;
            if g >= latest.len() {
                continue;
            }
            let need = bound - r.lag_periods as i64;
            if need < latest[g].0 {
                latest[g] = (
                    need,
                    Due::RequiredBy {
                        feature: f,
                        id: model.features[f].id.clone(),
                        lag_periods: r.lag_periods,
                    },
                );
            }
        }
    }
    latest
}

fn delay_chain(model: &Model, earliest: &[usize], cause: &[DelayCause], f: usize) -> Vec<Delay> {
    let mut chain = Vec::new();
    let mut at = f;
    // Requirements are acyclic, so the chain ends; the bound only guards a hand-built model.
    for _ in 0..model.features.len() {
        let label = (earliest[at] < model.time.periods).then(|| model.time.label(earliest[at]));
        chain.push(Delay {
            feature: at,
            id: model.features[at].id.clone(),
            earliest_period: earliest[at],
            earliest_label: label,
            cause: cause[at].clone(),
        });
        match cause[at] {
            DelayCause::Requires { feature, .. } | DelayCause::RequiresOneOf { feature, .. } => {
                at = feature
            }
            _ => break,
        }
    }
    chain
}

/// Whether each feature can be in some plan at all, as far as can be proven without a
/// solver: not when its earliest delivery is after its hard deadline or the plan's end, when
/// something it requires cannot be, or when it excludes a forced feature. A forced feature
/// counts as possible; if it is not, that is a conflict of its own.
fn deliverable(model: &Model, forced: &[Option<Forced>], earliest: &[usize]) -> Vec<bool> {
    let n = model.features.len();
    let last = model.time.periods.saturating_sub(1);
    let mut possible = vec![true; n];
    for &f in &topological_order(model) {
        if forced[f].is_some() {
            continue;
        }
        let feature = &model.features[f];
        let own_latest = match feature.deadline.and_then(|d| d.hard_period()) {
            Some(due) => due.min(last),
            None => last,
        };
        let excluded = (0..n).any(|g| {
            forced[g].is_some()
                && (feature.excludes.contains(&g) || model.features[g].excludes.contains(&f))
        });
        let can = |g: usize| possible.get(g).copied().unwrap_or(false);
        possible[f] = earliest[f] <= own_latest
            && !excluded
            && feature.requires.iter().all(|r| can(r.feature))
            && feature
                .requires_any
                .iter()
                .all(|group| group.features.iter().any(|&g| can(g)));
    }
    possible
}

/// Theme shares that no plan can meet, from the forced work alone. Shares count expected work
/// (as the plan checker does), whatever the basis.
fn theme_conflicts(
    model: &Model,
    forced: &[Option<Forced>],
    possible: &[bool],
    forced_feature: &dyn Fn(usize) -> Option<ForcedFeature>,
) -> Vec<ThemeConflict> {
    let expected = CheckBasis::expected(model);
    let weeks = |f: usize| expected.total_weeks(f);
    let n = model.features.len();
    let mut out = Vec::new();
    for (k, theme) in model.themes.iter().enumerate() {
        let inside = |f: usize| model.features[f].theme == Some(k);
        let sum =
            |keep: &dyn Fn(usize) -> bool| (0..n).filter(|&f| keep(f)).map(weeks).sum::<f64>();
        let listed = |keep: &dyn Fn(usize) -> bool| -> Vec<ForcedWork> {
            let mut list: Vec<ForcedWork> = (0..n)
                .filter(|&f| keep(f) && weeks(f) > 0.0)
                .filter_map(|f| {
                    Some(ForcedWork {
                        feature: forced_feature(f)?,
                        weeks: weeks(f),
                    })
                })
                .collect();
            list.sort_by(|a, b| b.weeks.total_cmp(&a.weeks));
            list
        };
        // Minimum: the theme's share is highest with all its features that can be delivered
        // and only the forced work outside it; adding anything outside lowers it further.
        let theme_all = sum(&|f| inside(f) && possible[f]);
        let other_forced = sum(&|f| !inside(f) && forced[f].is_some());
        let total = theme_all + other_forced;
        if exceeds(theme.min_share * total, theme_all) {
            out.push(ThemeConflict {
                theme: k,
                theme_id: theme.id.clone(),
                bound: ShareBound::Min,
                share: theme.min_share,
                best_share: if total > 0.0 { theme_all / total } else { 0.0 },
                theme_weeks: theme_all,
                other_weeks: other_forced,
                features: listed(&|f| !inside(f) && forced[f].is_some()),
            });
        }
        // Maximum: the share is lowest with only the theme's forced features and every
        // feature outside it that can be delivered.
        let theme_forced = sum(&|f| inside(f) && forced[f].is_some());
        let other_all = sum(&|f| !inside(f) && possible[f]);
        let total = theme_forced + other_all;
        if exceeds(theme_forced, theme.max_share * total) {
            out.push(ThemeConflict {
                theme: k,
                theme_id: theme.id.clone(),
                bound: ShareBound::Max,
                share: theme.max_share,
                best_share: if total > 0.0 {
                    theme_forced / total
                } else {
                    0.0
                },
                theme_weeks: theme_forced,
                other_weeks: other_all,
                features: listed(&|f| inside(f) && forced[f].is_some()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_model as model;

    /// A scenario of `periods` periods with one team, web, of 10 person-weeks a period, and
    /// what `rest` adds (the features of the case).
    fn web_team(periods: usize, rest: &str) -> Model {
        model(&format!(
            "[plan]\nperiods = {periods}\n[[teams]]\nid = \"web\"\ncapacity = 10\n{rest}"
        ))
    }

    fn index(m: &Model, id: &str) -> usize {
        m.feature_index(id).unwrap()
    }

    #[test]
    fn forced_work_is_the_mandatory_features_and_all_they_require() {
        let m = web_team(
            2,
            r#"
[[features]]
id = "base"
[[features]]
id = "mid"
requires = "base"
[[features]]
id = "top"
requires = "mid"
mandatory = true
[[features]]
id = "loose"
requires = "base"
"#,
        );
        let forced = forced_features(&m);
        assert_eq!(
            forced,
            [
                Some(Forced::RequiredBy {
                    feature: 1,
                    id: "mid".into()
                }),
                Some(Forced::RequiredBy {
                    feature: 2,
                    id: "top".into()
                }),
                Some(Forced::Mandatory),
                None,
            ]
        );
        assert_eq!(
            diagnose(&m, &CheckBasis::expected(&m)),
            Diagnosis::default()
        );
    }

    /// top (mandatory, hard deadline P2) needs vendor one period before it, and vendor's mean
    /// lead time of 15 weeks puts it in P2 at the earliest: top can be delivered in P3 at the
    /// earliest. Validation accepts the scenario because the shortest lead time (4 weeks) would
    /// do; the plan made with expected lead times cannot.
    #[test]
    fn a_deadline_behind_a_chain_of_lags_and_lead_times_is_one_conflict_at_the_commitment() {
        let m = web_team(
            3,
            r#"
[[features]]
id = "vendor"
vendor_lead_weeks = [4, 10, 46]
[[features]]
id = "top"
requires = { id = "vendor", lag = 1 }
mandatory = true
deadline = 2
"#,
        );
        let d = diagnose(&m, &CheckBasis::expected(&m));
        let top = index(&m, "top");
        let vendor = index(&m, "vendor");
        assert_eq!(
            d.conflicts,
            [Conflict::NoWindow {
                feature: ForcedFeature {
                    feature: top,
                    id: "top".into(),
                    forced: Forced::Mandatory,
                    due_period: 1,
                    due_label: "P2".into(),
                    due: Due::HardDeadline,
                },
                chain: vec![
                    Delay {
                        feature: top,
                        id: "top".into(),
                        earliest_period: 2,
                        earliest_label: Some("P3".into()),
                        cause: DelayCause::Requires {
                            feature: vendor,
                            id: "vendor".into(),
                            lag_periods: 1
                        },
                    },
                    Delay {
                        feature: vendor,
                        id: "vendor".into(),
                        earliest_period: 1,
                        earliest_label: Some("P2".into()),
                        cause: DelayCause::LeadTime {
                            weeks: 15.0,
                            start_period: 0
                        },
                    },
                ],
            }]
        );
        assert!(d.shortfalls.is_empty() && d.budget.is_none() && d.themes.is_empty());
    }

    #[test]
    fn latest_periods_pass_down_to_what_forced_features_require_with_their_lags() {
        let m = web_team(
            4,
            r#"
[[features]]
id = "a"
[[features]]
id = "b"
requires = { id = "a", lag = 1 }
[[features]]
id = "c"
requires = { id = "b", lag = 1 }
mandatory = true
deadline = 3
[[features]]
id = "optional"
requires = { id = "a", lag = 2 }
deadline = 2
"#,
        );
        let forced = forced_features(&m);
        let order = topological_order(&m);
        let latest = latest_delivery(&m, &forced, &order);
        let periods: Vec<i64> = latest.iter().map(|l| l.0).collect();
        // c by P3 (index 2), b by P2, a by P1; the optional feature's deadline passes nothing on.
        assert_eq!(periods, [0, 1, 2, 1]);
        assert_eq!(
            latest[0].1,
            Due::RequiredBy {
                feature: 1,
                id: "b".into(),
                lag_periods: 1
            }
        );
        assert_eq!(latest[2].1, Due::HardDeadline);
        assert_eq!(latest[3].1, Due::HardDeadline);
    }

    #[test]
    fn forced_features_that_exclude_each_other_conflict() {
        let mut m = web_team(
            2,
            r#"
[[features]]
id = "a"
mandatory = true
[[features]]
id = "b"
excludes = "c"
[[features]]
id = "c"
"#,
        );
        assert!(!diagnose(&m, &CheckBasis::expected(&m)).found_cause());
        // Validation refuses this; a scenario edited in memory (what-if) must still be explained.
        m.features[0].requires.push(crate::model::Requirement {
            feature: 1,
            lag_periods: 0,
        });
        m.features[2].mandatory = true;
        let d = diagnose(&m, &CheckBasis::expected(&m));
        assert_eq!(d.conflicts.len(), 1);
        let Conflict::Excluded { first, second } = &d.conflicts[0] else {
            panic!("{d:?}")
        };
        assert_eq!((first.id.as_str(), second.id.as_str()), ("b", "c"));
        assert_eq!(
            first.forced,
            Forced::RequiredBy {
                feature: 0,
                id: "a".into()
            }
        );
    }

    const THEMES: &str = r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 100
[[themes]]
id = "ai"
[[features]]
id = "bot"
effort = { web = 10 }
theme = "ai"
[[features]]
id = "core"
effort = { web = 30 }
mandatory = true
[[features]]
id = "extra"
effort = { web = 10 }
"#;

    #[test]
    fn theme_shares_are_reported_only_when_no_choice_of_optional_work_can_meet_them() {
        let mut m = model(THEMES);
        let basis = CheckBasis::expected(&m);
        // At most the theme's 10 of 40 weeks (25%) with core forced outside it.
        m.themes[0].min_share = 0.25;
        assert!(diagnose(&m, &basis).themes.is_empty());
        m.themes[0].min_share = 0.3;
        let d = diagnose(&m, &basis);
        assert_eq!(d.themes.len(), 1);
        let t = &d.themes[0];
        assert_eq!(t.bound, ShareBound::Min);
        assert!((t.best_share - 0.25).abs() < 1e-12);
        assert_eq!((t.theme_weeks, t.other_weeks), (10.0, 30.0));
        assert_eq!(t.features.len(), 1);
        assert_eq!(t.features[0].feature.id, "core");

        // A maximum binds only once the theme's own forced work is too much even with every
        // other feature planned: bot forced is 10 of 50 at best (20%).
        let mut m = model(THEMES);
        m.features[0].mandatory = true;
        m.themes[0].max_share = 0.2;
        assert!(diagnose(&m, &basis).themes.is_empty());
        m.themes[0].max_share = 0.0;
        let d = diagnose(&m, &basis);
        assert_eq!(d.themes.len(), 1);
        assert_eq!(d.themes[0].bound, ShareBound::Max);
        assert!((d.themes[0].best_share - 0.2).abs() < 1e-12);
        // A theme feature that can never be delivered cannot help reach a minimum: bot's lead
        // time runs past the plan's end.
        let mut m = model(THEMES);
        m.themes[0].min_share = 0.1;
        assert!(diagnose(&m, &basis).themes.is_empty());
        let mut late = basis.clone();
        late.lead_weeks[0] = 30.0;
        let d = diagnose(&m, &late);
        assert_eq!(d.themes.len(), 1);
        assert_eq!(
            (d.themes[0].theme_weeks, d.themes[0].best_share),
            (0.0, 0.0)
        );
        // Nor can one that excludes a forced feature.
        m.features[0].excludes.push(1);
        assert_eq!(diagnose(&m, &basis).themes.len(), 1);
        // Optional theme work over the maximum is not a cause: it can be left out.
        let mut m = model(THEMES);
        m.themes[0].max_share = 0.0;
        assert!(!diagnose(&m, &basis).found_cause());
    }

    #[test]
    fn shortfalls_count_only_forced_work_whose_whole_window_lies_inside() {
        let mut m = web_team(
            3,
            r#"
[[features]]
id = "due"
effort = { web = 15 }
mandatory = true
deadline = 2
[[features]]
id = "free"
effort = { web = 12 }
mandatory = true
[[features]]
id = "optional"
effort = { web = 30 }
deadline = 1
"#,
        );
        let mut basis = CheckBasis::expected(&m);
        assert!(diagnose(&m, &basis).shortfalls.is_empty());
        basis.capacity[0] = vec![7.0, 7.0, 7.0];
        let d = diagnose(&m, &basis);
        // P1-P2 is 1 week short (due: 15 of 14), the whole plan 6 (27 of 21): the larger
        // shortfall is the one to fix, and P1-P2 lies inside it.
        assert_eq!(d.shortfalls.len(), 1);
        let s = &d.shortfalls[0];
        assert_eq!((s.first_period, s.last_period), (0, 2));
        assert_eq!(
            (s.need_weeks, s.capacity_weeks, s.short_weeks),
            (27.0, 21.0, 6.0)
        );
        let ids: Vec<&str> = s.features.iter().map(|w| w.feature.id.as_str()).collect();
        assert_eq!(ids, ["due", "free"]);
        assert_eq!(s.features[0].feature.due, Due::HardDeadline);
        assert_eq!(s.features[1].feature.due, Due::PlanEnd);
        // With the plan's last period roomier, P1-P2 is the shortfall.
        basis.capacity[0][2] = 20.0;
        let d = diagnose(&m, &basis);
        assert_eq!(d.shortfalls.len(), 1);
        let s = &d.shortfalls[0];
        assert_eq!((s.first_period, s.last_period, s.short_weeks), (0, 1, 1.0));
        // Without any forced work nothing is short, whatever optional work there is.
        m.features[0].mandatory = false;
        m.features[1].mandatory = false;
        assert!(!diagnose(&m, &basis).found_cause());
    }
}
