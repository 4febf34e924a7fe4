//! The heuristic plan handed to HiGHS as a start: features by value per effort (mandatory
//! ones and their prerequisites first), each placed in the earliest period its window,
//! prerequisites, alternatives, budget and the teams' remaining capacity allow, when it pays
//! for itself. It also tells the user how much the optimum improves on the usual rule.

use super::formulation::Formulation;
use super::inputs::Inputs;
use super::milp::{Con, Var};
use crate::model::{expect, Model, Plan};
use crate::strategy::{expected_value, value_per_effort};

#[derive(Debug, Clone)]
pub struct Start {
    pub plan: Plan,
    /// A value for every column of the formulation.
    pub values: Vec<f64>,
}

/// Repairs of the greedy order for theme shares: a theme below its minimum goes first, a
/// theme above its maximum loses its last feature. A few rounds settle typical portfolios.
const THEME_ROUNDS: usize = 12;

/// The greedy plan, or why there is none (a message for the output).
pub fn greedy(model: &Model, inputs: &Inputs, form: &Formulation) -> Result<Start, String> {
    let (base, _) = value_per_effort(model).normalised(model);
    greedy_from(model, inputs, form, &base.features)
}

/// The greedy plan of a priority order (a scoring rule's), packed the same way: mandatory
/// features and what they require first by due period, then the order as given.
pub fn greedy_from(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    priority: &[usize],
) -> Result<Start, String> {
    let mut order = forced_first(model, inputs, priority);
    let mut banned = vec![false; model.features.len()];
    let mut last_error = String::new();
    for _ in 0..THEME_ROUNDS {
        let plan = pack(model, inputs, &order, &banned)?;
        let values = column_values(model, inputs, form, &plan);
        let violation = form.milp.max_violation(&values);
        if violation <= 1e-6 {
            return Ok(Start { plan, values });
        }
        match form.milp.worst_row(&values) {
            Some((Con::ThemeMin { theme }, _)) => {
                let theme = theme as usize;
                last_error = format!("the minimum share of theme {}", model.themes[theme].id);
                let (mut first, rest): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&f| {
                    model.features[f].mandatory || model.features[f].theme == Some(theme)
                });
                first.extend(rest);
                // Prerequisites of the promoted features come along.
                order = crate::model::Order { features: first }
                    .normalised(model)
                    .0
                    .features;
            }
            Some((Con::ThemeMax { theme }, _)) => {
                let theme = theme as usize;
                last_error = format!("the maximum share of theme {}", model.themes[theme].id);
                let drop = order.iter().rev().copied().find(|&f| {
                    plan.periods[f].is_some()
                        && !model.features[f].mandatory
                        && model.features[f].theme == Some(theme)
                });
                match drop {
                    Some(f) => banned[f] = true,
                    None => break,
                }
            }
            Some((con, _)) => return Err(format!("the value-per-effort plan breaks {con:?}")),
            None => return Err("the value-per-effort plan breaks a bound".to_string()),
        }
    }
    Err(format!("the value-per-effort plan breaks {last_error}"))
}

/// Places features in `order` (skipping `banned` ones).
fn pack(model: &Model, inputs: &Inputs, order: &[usize], banned: &[bool]) -> Result<Plan, String> {
    let teams = model.teams.len();
    let periods = inputs.periods;
    let world = &inputs.world;

    // Value a prerequisite earns through what needs it, so that enablers get placed; an
    // any-of group's share is split among its alternatives.
    let own = expected_value(model);
    let mut enabling = own.clone();
    for &f in order.iter().rev() {
        let feature = &model.features[f];
        let needs = feature.requires.len() + feature.requires_any.len();
        if needs == 0 {
            continue;
        }
        let share = enabling[f].max(0.0) / needs as f64;
        for r in &feature.requires {
            enabling[r.feature] += share;
        }
        for group in &feature.requires_any {
            for &g in &group.features {
                enabling[g] += share / group.features.len() as f64;
            }
        }
    }
    let required_by_mandatory = forced_work(model, inputs, order);

    let mut remaining: Vec<Vec<f64>> = world.capacity.clone();
    let mut plan = Plan::empty(model);
    let mut budget_left = model.budget.unwrap_or(f64::INFINITY) - inputs.fixed_spend;
    // The teams whose cost is fixed take their share of each period's budget first.
    let mut period_left: Option<Vec<f64>> = model.budget_per_period.as_ref().map(|b| {
        b.iter()
            .enumerate()
            .map(|(p, b)| b - expect::fixed_team_spend_in(model, p))
            .collect()
    });
    let discount = &inputs.period_flow_discount;
    // Per feature, the features it may not ship with and the deals that need it: looked up
    // once, as scanning every feature and deal for each placed feature made packing the
    // 4,368-feature NRP instances quadratic (70 ms of a 0.24 s optimize).
    let n = model.features.len();
    let excluded_with = model.excluded_with();
    let mut deals_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (d, deal) in model.deals.iter().enumerate() {
        for &f in &deal.features {
            if deals_of[f].last() != Some(&d) {
                deals_of[f].push(d);
            }
        }
    }

    for &f in order {
        let Some(w) = inputs.windows[f] else {
            continue;
        };
        let feature = &model.features[f];
        if banned[f] && !feature.mandatory && !required_by_mandatory[f] {
            continue;
        }
        if excluded_with[f].iter().any(|&g| plan.periods[g].is_some()) {
            continue;
        }
        let mut from = w.first;
        let mut blocked = false;
        for r in &feature.requires {
            match plan.periods[r.feature] {
                Some(p) => from = from.max(p + r.lag_periods),
                None => blocked = true,
            }
        }
        for group in &feature.requires_any {
            match group.first_delivered(|g| plan.periods[g]) {
                Some((_, p)) => from = from.max(p + group.lag_periods),
                None => blocked = true,
            }
        }
        if blocked || from > w.last || inputs.spend[f] > budget_left + 1e-9 {
            continue;
        }
        let must = feature.mandatory || required_by_mandatory[f];
        for t in from..=w.last {
            // A recurring cost spends less within the plan the later the feature ships.
            if inputs.spend_at(f, t) > budget_left + 1e-9 {
                continue;
            }
            // Work as late as possible within [open, t], leaving early capacity to others; a
            // staged feature's part within its stage's window, each stage handing off as late
            // as delivery in t allows (as the plan, which names no hand-offs, will read).
            let window = |k: usize| {
                let (a, b) = crate::model::plan::part_window_within(model, f, k, t, &[]);
                (a.max(w.open).min(b), b)
            };
            let fits = (0..teams).all(|k| {
                let e = world.effort[f][k];
                let (a, b) = window(k);
                e <= 0.0 || remaining[k][a..=b].iter().sum::<f64>() >= e - 1e-9
            });
            // What delivering in t books in each period must fit what its budget has left.
            let start = model.time.planned_start(w.open, t, inputs.lead_weeks[f]);
            let one_off = inputs.one_off_spend[f];
            let team_spend = inputs.spend[f] - one_off;
            let booked = |p: usize| {
                (if p == t { team_spend } else { 0.0 })
                    + (if p == start { one_off } else { 0.0 })
                    + expect::recurring_spend_in(model, f, t, start, p)
            };
            let within = period_left.as_ref().is_none_or(|left| {
                left.iter()
                    .enumerate()
                    .all(|(p, &left)| booked(p) <= 0.0 || booked(p) <= left + 1e-9)
            });
            if !fits || !within {
                continue;
            }
            let mut alloc = vec![vec![0.0; periods]; teams];
            let mut team_cost = 0.0;
            for k in 0..teams {
                let mut left = world.effort[f][k];
                let (a, b) = window(k);
                for u in (a..=b).rev() {
                    if left <= 0.0 {
                        break;
                    }
                    let take = left.min(remaining[k][u]);
                    alloc[k][u] = take;
                    left -= take;
                    team_cost += take * world.week_cost[f][k] * discount[u];
                }
            }
            let gain = world.delivery[f][t - w.first] - team_cost + enabling[f] - own[f];
            let deal_share: f64 = deals_of[f]
                .iter()
                .map(|&d| {
                    world.deal[d].get(t).copied().unwrap_or(0.0)
                        / model.deals[d].features.len() as f64
                })
                .sum();
            if must || gain + deal_share > 0.0 {
                for k in 0..teams {
                    for u in 0..periods {
                        remaining[k][u] -= alloc[k][u];
                    }
                }
                plan.periods[f] = Some(t);
                budget_left -= inputs.spend_at(f, t);
                if let Some(left) = period_left.as_mut() {
                    for (p, left) in left.iter_mut().enumerate() {
                        *left -= booked(p);
                    }
                }
            }
            break;
        }
        if must && plan.periods[f].is_none() {
            return Err(format!(
                "the value-per-effort rule cannot place the mandatory feature {}",
                feature.id
            ));
        }
    }
    Ok(plan)
}

/// A priority order (value per effort for the start), with the mandatory features and what they
/// require moved to the front by due period (earliest deadline first, a prerequisite due when what needs it is, less
/// the lag): packing them in that order meets every deadline whenever the teams can.
fn forced_first(model: &Model, inputs: &Inputs, priority: &[usize]) -> Vec<usize> {
    let n = model.features.len();
    let forced = forced_work(model, inputs, priority);
    let mut due: Vec<usize> = (0..n)
        .map(|f| inputs.windows[f].map_or(usize::MAX, |w| w.last))
        .collect();
    // Dependents before what they require, so dues flow down the chains (to the alternative
    // chosen of each group, and to any other forced already).
    for f in crate::model::plan::topological_order(model)
        .into_iter()
        .rev()
    {
        if !forced[f] {
            continue;
        }
        let feature = &model.features[f];
        let required = feature.requires.iter().map(|r| (r.feature, r.lag_periods));
        let chosen = feature
            .requires_any
            .iter()
            .flat_map(|group| group.features.iter().map(|&g| (g, group.lag_periods)));
        for (g, lag) in required.chain(chosen) {
            if forced[g] {
                due[g] = due[g].min(due[f].saturating_sub(lag));
            }
        }
    }
    let depth = crate::model::plan::requirement_depth(model);
    let mut first: Vec<usize> = (0..n).filter(|&f| forced[f]).collect();
    first.sort_by_key(|&f| (due[f], depth[f], f));
    first.extend(priority.iter().copied().filter(|&f| !forced[f]));
    first
}

/// The mandatory features and what they need: what they require and, for each any-of group,
/// the alternative `ranked` puts first (else the first listed) that can be delivered at all
/// and that excludes none of the work forced so far, with what it needs in turn. A feature's
/// alternatives come before it in the model's requirement order, so a walk from the
/// dependents down marks every chain.
fn forced_work(model: &Model, inputs: &Inputs, ranked: &[usize]) -> Vec<bool> {
    let n = model.features.len();
    let mut rank = vec![usize::MAX; n];
    for (i, &f) in ranked.iter().enumerate().rev() {
        rank[f] = i;
    }
    let mut forced: Vec<bool> = model.features.iter().map(|f| f.mandatory).collect();
    let clashes = |g: usize, forced: &[bool]| {
        model.features.iter().enumerate().any(|(x, feature)| {
            forced[x] && (feature.excludes.contains(&g) || model.features[g].excludes.contains(&x))
        })
    };
    for f in crate::model::plan::topological_order(model)
        .into_iter()
        .rev()
    {
        if !forced[f] {
            continue;
        }
        let feature = &model.features[f];
        for r in &feature.requires {
            forced[r.feature] = true;
        }
        for group in &feature.requires_any {
            if group.features.iter().any(|&g| forced[g]) {
                continue;
            }
            let usable = |g: &usize| inputs.windows[*g].is_some() && !clashes(*g, &forced);
            let chosen = group
                .features
                .iter()
                .enumerate()
                .filter(|(_, g)| usable(g))
                .min_by_key(|&(k, &g)| (rank[g], k))
                .map(|(_, &g)| g);
            if let Some(g) = chosen {
                forced[g] = true;
            }
        }
    }
    forced
}

/// Every column's value for a plan.
pub fn column_values(model: &Model, inputs: &Inputs, form: &Formulation, plan: &Plan) -> Vec<f64> {
    let m = &form.milp;
    let mut values = vec![0.0; m.columns.len()];
    let periods = inputs.periods;
    for (i, column) in m.columns.iter().enumerate() {
        values[i] = match column.var {
            Var::Delivered { feature, period } => match plan.periods[feature as usize] {
                Some(p) if p <= period as usize => 1.0,
                _ => 0.0,
            },
            Var::Won { deal, period } => {
                let done = model.deals[deal as usize]
                    .completion(|f| plan.periods[f])
                    .is_some_and(|p| p <= period as usize);
                if done {
                    1.0
                } else {
                    0.0
                }
            }
            Var::Extra { option, from, to } => plan
                .bought
                .iter()
                .filter(|b| {
                    (b.option, b.from, b.to) == (option as usize, from as usize, to as usize)
                })
                .map(|b| b.people as f64)
                .sum(),
            Var::Staged {
                feature,
                stage,
                period,
            } => f64::from(stage_done(model, plan, feature, stage, period as usize)),
            Var::PartInside {
                feature,
                team,
                from,
                to,
            } => {
                let f = feature as usize;
                let s = model.features[f]
                    .stages
                    .iter()
                    .position(|st| st.contains(&(team as usize)))
                    .unwrap_or(0) as u32;
                let done = stage_done(model, plan, feature, s, to as usize);
                let before = s > 0
                    && (from as usize)
                        .checked_sub(2)
                        .is_some_and(|u| stage_done(model, plan, feature, s - 1, u));
                f64::from(done && !before)
            }
            Var::Pooled { pool, team, period } => plan
                .assigned
                .iter()
                .filter(|a| {
                    (a.pool, a.team, a.period) == (pool as usize, team as usize, period as usize)
                })
                .map(|a| a.people as f64)
                .sum(),
            Var::QueueDone {
                scenario,
                feature,
                team,
                period,
            } => {
                let world = &inputs.scenarios[scenario as usize];
                let (f, k) = (feature as usize, team as usize);
                match queued(model, inputs, world, plan, f, k) {
                    Some(done) if done > period as usize => 0.0,
                    _ => 1.0,
                }
            }
            _ => 0.0,
        };
    }
    // Overtime: for each scenario and team, the least forward top-up that satisfies every
    // interval of its capacity rows.
    for (s, &first) in form.overtime.iter().enumerate() {
        let world = &inputs.scenarios[s];
        for k in 0..model.teams.len() {
            let mut overtime = vec![0.0; periods];
            for t in 0..periods {
                let mut need: f64 = 0.0;
                for a in 0..=t {
                    let due: f64 = (0..model.features.len())
                        .filter(|&f| {
                            inputs.windows[f].is_some_and(|w| w.open >= a)
                                && matches!(plan.periods[f], Some(p) if p <= t)
                        })
                        .map(|f| world.effort[f][k])
                        .sum();
                    let have: f64 = (a..=t).map(|u| world.capacity[k][u]).sum::<f64>()
                        + overtime[a..t].iter().sum::<f64>();
                    need = need.max(due - have);
                }
                overtime[t] = need.max(0.0);
                values[first as usize + k * periods + t] = overtime[t];
            }
        }
    }
    release_values(model, inputs, form, plan, &mut values);
    // The CVaR threshold at the scenarios' tail quantile, shortfalls below it.
    if let (Some(eta), Some(r)) = (form.threshold, form.recourse) {
        let mut npv: Vec<(usize, f64)> = Vec::new();
        for row in &m.rows {
            if let Con::Tail { scenario } = row.con {
                npv.push((scenario as usize, m.activity(row, &values)));
            }
        }
        let mut sorted: Vec<f64> = npv.iter().map(|x| x.1).collect();
        sorted.sort_by(f64::total_cmp);
        let k = (((1.0 - r.alpha) * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        let threshold = sorted[k - 1];
        values[eta as usize] = threshold;
        for (s, v) in npv {
            values[form.shortfall[s] as usize] = (threshold - v).max(0.0);
        }
    }
    values
}

/// Release columns of the stochastic mode: each scenario releases the plan's features in their
/// work order, each in the first period its wait, its teams' queues and its prerequisites
/// allow, as the simulator's teams working through the plan do; deals are won when their
/// features are released in time.
fn release_values(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    plan: &Plan,
    values: &mut [f64],
) {
    let periods = inputs.periods;
    let teams = model.teams.len();
    let order = plan.work_order(model);
    for (s, released) in form.released.iter().enumerate() {
        let world = &inputs.scenarios[s];
        let future = &inputs.futures[s];
        let mut at: Vec<Option<usize>> = vec![None; model.features.len()];
        for &f in &order {
            let (Some(_), Some(w), Some(p)) = (released[f], inputs.windows[f], plan.periods[f])
            else {
                continue;
            };
            let mut t = super::formulation::release_from(
                model,
                w.open,
                p,
                inputs.lead_weeks[f],
                future.wait[f],
            )
            .max(super::formulation::ready_from(model, future.ready[f]));
            // Each team's queue must have reached past the feature.
            for k in 0..teams {
                if let Some(done) = queued(model, inputs, world, plan, f, k) {
                    t = t.max(done);
                }
            }
            for req in &model.features[f].requires {
                t = match at[req.feature] {
                    Some(u) => t.max(u + req.lag_periods),
                    None => periods,
                };
            }
            for group in &model.features[f].requires_any {
                t = match group.first_delivered(|g| at[g]) {
                    Some((_, u)) => t.max(u + group.lag_periods),
                    None => periods,
                };
            }
            if t >= periods {
                continue;
            }
            at[f] = Some(t);
            for u in t..periods {
                if let Some(c) = form.released_by(s, f, u) {
                    values[c as usize] = 1.0;
                }
            }
        }
        for (d, won) in form.won_in[s].iter().enumerate() {
            let Some((col, first, last)) = *won else {
                continue;
            };
            if let Some(t) = model.deals[d].completion(|f| at[f]) {
                for u in t.max(first)..=last {
                    values[(col + (u - first) as u32) as usize] = 1.0;
                }
            }
        }
    }
}

/// The first period by which team k has done a planned feature's work in a scenario, as the
/// formulation's queue rows count it: for each earliest period a up to the feature's, the work
/// queued up to and including it (plan order: planned period, prerequisite depth, file order)
/// that may only start at or after a fits the capacity of periods a..t. None when the feature
/// is not planned or has no work on the team; the number of periods when it never fits.
fn queued(
    model: &Model,
    inputs: &Inputs,
    world: &super::inputs::World,
    plan: &Plan,
    f: usize,
    k: usize,
) -> Option<usize> {
    plan.periods[f]?;
    if world.effort[f][k] <= 0.0 {
        return None;
    }
    let open = |g: usize| inputs.windows[g].map_or(0, |w| w.open);
    let order = plan.work_order(model);
    let position = order.iter().position(|&g| g == f)?;
    let ahead = &order[..=position];
    let mut starts: Vec<usize> = ahead
        .iter()
        .filter(|&&g| world.effort[g][k] > 0.0)
        .map(|&g| open(g))
        .filter(|&a| a <= open(f))
        .chain([0, open(f)])
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let periods = inputs.periods;
    Some(
        (0..periods)
            .find(|&t| {
                starts.iter().all(|&a| {
                    let work: f64 = ahead
                        .iter()
                        .filter(|&&g| open(g) >= a)
                        .map(|&g| world.effort[g][k])
                        .sum();
                    a > t || work <= world.capacity[k][a..=t].iter().sum::<f64>() + 1e-9
                })
            })
            .unwrap_or(periods),
    )
}

/// Whether stage `stage` of `feature` is done by `t` under `plan`: the last stage in the
/// planned period, each one before at the plan's hand-off (as late as delivery allows where
/// the plan says nothing).
fn stage_done(model: &Model, plan: &Plan, feature: u32, stage: u32, t: usize) -> bool {
    let f = feature as usize;
    let Some(due) = plan.periods.get(f).copied().flatten() else {
        return false;
    };
    let at = plan
        .handoffs(model, f)
        .get(stage as usize)
        .copied()
        .unwrap_or(due);
    at <= t
}
