//! The stochastic mode's futures with the simulator's recourse: each sampled future executes
//! the plan as `simulate` does (see [`futures`]).

// Features, teams, periods and scenarios index several parallel tables at once; index
// loops say which table is which more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

use super::{
    capacity_rows, cvar_threshold, interval_starts, requires_any_row, requires_row,
    step_coefficients, tail_row, won_rows, Formulation, Recourse,
};
use crate::model::Model;
use crate::optimize::inputs::Inputs;
use crate::optimize::milp::{Con, Milp, Var};

/// The first period a feature planned in `t` may be released in a future whose wait (vendor
/// lead time and risk delays) is `wait` weeks: the wait runs from the planned start, and a plan
/// never releases before its planned period. The simulator's rule, period by period.
pub fn release_from(model: &Model, open: usize, t: usize, lead_weeks: f64, wait: f64) -> usize {
    let time = &model.time;
    let start = time.planned_start(open, t, lead_weeks) as f64 * time.period_weeks;
    // The simulator's period of a completion time: the end of a period belongs to it.
    let x = (start + wait.max(0.0)) / time.period_weeks - 1e-9;
    let ready = if x <= 0.0 {
        0
    } else {
        (x.ceil() as usize).saturating_sub(1)
    };
    ready.max(t)
}

/// The first period a future's vendor part, ready `ready` weeks after the plan start, lets a
/// feature be released in, whatever its start (0 without a ready date): the simulator's period
/// of a completion time, the end of a period belonging to it.
pub fn ready_from(model: &Model, ready: f64) -> usize {
    if ready > 0.0 {
        crate::plan_check::period_of_weeks(ready, model.time.period_weeks)
    } else {
        0
    }
}

/// One scenario's net money as coefficients: values on its release columns (team time paid
/// over the release period, as the simulator pays it, or over the last period when the
/// feature is not released), one-off costs on the plan's columns at the planned start, and
/// the scenario's deals.
pub(super) fn future_npv(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    s: usize,
) -> Vec<(u32, f64)> {
    let world = &inputs.scenarios[s];
    let future = &inputs.futures[s];
    let discount = &inputs.period_flow_discount;
    let last = inputs.periods - 1;
    let mut entries = Vec::new();
    for f in 0..model.features.len() {
        let (Some((plan_col, _)), Some((col, first))) = (form.delivered[f], form.released[s][f])
        else {
            continue;
        };
        let team: f64 = (0..model.teams.len())
            .map(|k| world.effort[f][k] * world.week_cost[f][k])
            .sum();
        let missed = future.unreleased[f] - team * discount[last];
        let money: Vec<f64> = future.release[f]
            .iter()
            .enumerate()
            .map(|(i, v)| v - team * discount[first + i])
            .collect();
        for (i, a) in money.iter().enumerate() {
            let next = money.get(i + 1).copied().unwrap_or(missed);
            entries.push((col + i as u32, a - next));
        }
        entries.push((
            form.at_all(f).expect("planned features have columns"),
            missed,
        ));
        let cost: Vec<f64> = future.one_off[f].iter().map(|c| -c).collect();
        for (i, a) in step_coefficients(&cost) {
            entries.push((plan_col + i as u32, a));
        }
    }
    for (d, won) in form.won_in[s].iter().enumerate() {
        if let Some((col, first, last)) = *won {
            for (i, a) in step_coefficients(&world.deal[d][first..=last]) {
                entries.push((col + i as u32, a));
            }
        }
    }
    entries.extend(super::staffing::money_entries(model, inputs, form));
    entries
}

/// The stochastic mode with the simulator's recourse: each scenario releases the planned
/// features when its teams' queues (see [`queue_rows`]), its waits and the prerequisites
/// allow, never before the plan says, and earns what it releases when it releases it. Work
/// that does not fit is not priced by the week: it pushes whole features into later periods
/// or out of the plan, and a deal or deadline holds or fails per scenario, as in `simulate`.
/// Releasing earlier earns more whenever value outweighs the later-discounted team time, so
/// the best releases are the simulator's and the objective is the plan's simulated NPV on the
/// same futures (tests/stochastic.rs), but for a planned feature that never ships, whose team
/// time the model counts in full.
pub(super) fn futures(
    model: &Model,
    inputs: &Inputs,
    form: &mut Formulation,
    m: &mut Milp,
    r: Recourse,
) {
    let count = inputs.scenarios.len();
    let weight = 1.0 / count.max(1) as f64;
    let cvar = r.risk_aversion > 0.0;
    if cvar {
        cvar_threshold(form, m, r);
    }
    let starts = interval_starts(model, inputs, form);
    for (s, world) in inputs.scenarios.iter().enumerate() {
        let sc = s as u32;
        release_columns(model, inputs, form, m, s);
        release_requires(model, inputs, form, m, s);
        release_requires_any(model, inputs, form, m, s);
        future_deals(model, inputs, form, m, s);
        queue_rows(model, inputs, form, m, s);
        // Valid for every plan (what a team has released by b it worked on inside its
        // capacity), and implied by the queue rows at integral points; the queue rows' big-M
        // form says almost nothing in the relaxation, these keep its bound near the future's
        // own capacity.
        capacity_rows(model, inputs, form, m, world, Some(sc), None, &starts);

        let npv = future_npv(model, inputs, form, s);
        for &(c, a) in &npv {
            m.columns[c as usize].objective += (1.0 - r.risk_aversion) * weight * a;
        }
        if cvar {
            tail_row(form, m, r, weight, sc, npv, []);
        }
    }
}

/// Future `s`'s release columns Released[s, f, t] (cumulative, like D), and their gates: a
/// feature is released by t only if it is planned in a period whose wait, run from its planned
/// start, ends by t.
fn release_columns(model: &Model, inputs: &Inputs, form: &mut Formulation, m: &mut Milp, s: usize) {
    let periods = inputs.periods;
    let n = model.features.len();
    let sc = s as u32;
    let future = &inputs.futures[s];
    let mut released = vec![None; n];
    // An any-of row sums its alternatives' releases: with them fractional, three features
    // each needing one of two enablers could share half of each. Whole alternatives keep the
    // rest integral.
    let mut alternative = vec![false; n];
    for g in model
        .features
        .iter()
        .flat_map(|f| f.requires_any.iter().flat_map(|group| &group.features))
    {
        alternative[*g] = true;
    }
    for f in 0..n {
        let Some((_, w)) = form.delivered[f] else {
            continue;
        };
        let col = m.columns.len() as u32;
        // Continuous: every row that bounds a release is a difference of two columns or a
        // bound by a plan or queue column, so with those integral the best releases are
        // integral too (the rows are totally unimodular in the release columns). But for the
        // alternatives of any-of groups, above.
        for t in w.first..periods {
            m.add_column(
                Var::Released {
                    scenario: sc,
                    feature: f as u32,
                    period: t as u32,
                },
                0.0,
                1.0,
                alternative[f],
            );
        }
        released[f] = Some((col, w.first));
        for t in w.first..periods {
            let c = col + (t - w.first) as u32;
            if t + 1 < periods {
                m.add_row(
                    Con::ReleaseStays {
                        scenario: sc,
                        feature: f as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &[(c, 1.0), (c + 1, -1.0)],
                );
            }
            // Released by t only if planned in a period whose wait ends by t.
            let planned = (w.first..=w.last)
                .rev()
                .find(|&p| {
                    release_from(model, w.open, p, inputs.lead_weeks[f], future.wait[f])
                        .max(ready_from(model, future.ready[f]))
                        <= t
                })
                .and_then(|p| form.by(f, p));
            match planned {
                Some(p) => m.add_row(
                    Con::ReleaseGate {
                        scenario: sc,
                        feature: f as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &[(c, 1.0), (p, -1.0)],
                ),
                None => m.columns[c as usize].upper = 0.0,
            }
        }
    }
    form.released.push(released);
}

/// Prerequisites, with their lags, in future `s`.
fn release_requires(model: &Model, inputs: &Inputs, form: &Formulation, m: &mut Milp, s: usize) {
    let periods = inputs.periods;
    let sc = s as u32;
    for (f, feature) in model.features.iter().enumerate() {
        if form.released[s][f].is_none() {
            continue;
        }
        for req in &feature.requires {
            for t in 0..periods {
                let Some(mine) = form.released_by(s, f, t) else {
                    continue;
                };
                let theirs = t
                    .checked_sub(req.lag_periods)
                    .and_then(|u| form.released_by(s, req.feature, u));
                requires_row(
                    m,
                    Con::ReleaseRequires {
                        scenario: sc,
                        feature: f as u32,
                        requirement: req.feature as u32,
                        period: t as u32,
                    },
                    mine,
                    theirs,
                );
            }
        }
    }
}

/// Any-of groups in future `s`: released by t only when some alternative is released by
/// t - lag.
fn release_requires_any(
    model: &Model,
    inputs: &Inputs,
    form: &Formulation,
    m: &mut Milp,
    s: usize,
) {
    let sc = s as u32;
    for (f, feature) in model.features.iter().enumerate() {
        if form.released[s][f].is_none() {
            continue;
        }
        for (k, group) in feature.requires_any.iter().enumerate() {
            for t in 0..inputs.periods {
                let Some(mine) = form.released_by(s, f, t) else {
                    continue;
                };
                let theirs: Vec<u32> = t
                    .checked_sub(group.lag_periods)
                    .map(|u| {
                        group
                            .features
                            .iter()
                            .filter_map(|&g| form.released_by(s, g, u))
                            .collect()
                    })
                    .unwrap_or_default();
                requires_any_row(
                    m,
                    Con::ReleaseRequiresAny {
                        scenario: sc,
                        feature: f as u32,
                        group: k as u32,
                        period: t as u32,
                    },
                    mine,
                    &theirs,
                );
            }
        }
    }
}

/// Deals won in future `s` when all their features are released by their date.
fn future_deals(model: &Model, inputs: &Inputs, form: &mut Formulation, m: &mut Milp, s: usize) {
    let world = &inputs.scenarios[s];
    let sc = s as u32;
    let mut won_in = vec![None; model.deals.len()];
    for (d, deal) in model.deals.iter().enumerate() {
        if form.won[d].is_none() {
            continue;
        }
        let last = world.deal[d].len().saturating_sub(1);
        let Some(first) = crate::model::need_th(
            deal.features
                .iter()
                .map(|&f| form.released[s][f].map(|(_, first)| first)),
            deal.need,
        ) else {
            continue;
        };
        if first > last {
            continue;
        }
        // Integral by implication when tied to each feature; a count of features needs it said.
        let rule = super::DealRule::of(deal, &world.deal[d]);
        let col = m.columns.len() as u32;
        for t in first..=last {
            m.add_column(
                Var::WonIn {
                    scenario: sc,
                    deal: d as u32,
                    period: t as u32,
                },
                0.0,
                1.0,
                rule.counted(),
            );
        }
        if rule.counted() {
            super::count_rows(
                m,
                deal,
                rule,
                (col, first, last),
                |f, t| form.released_by(s, f, t),
                Some(sc),
                d,
            );
            won_in[d] = Some((col, first, last));
            continue;
        }
        won_rows(
            m,
            &deal.features,
            (col, first, last),
            |f, t| {
                form.released_by(s, f, t)
                    .expect("deal starts inside windows")
            },
            |f, t| Con::WonInNeeds {
                scenario: sc,
                deal: d as u32,
                feature: f as u32,
                period: t as u32,
            },
            |t| Con::WonInStays {
                scenario: sc,
                deal: d as u32,
                period: t as u32,
            },
        );
        won_in[d] = Some((col, first, last));
    }
    form.won_in.push(won_in);
}

/// The teams' queues in scenario `s`, as `simulate` works them: each team takes the plan's
/// features in planned period, then prerequisite depth, then file order, so a feature planned
/// in p waits for all the team's work planned before p and for the work of the features ahead
/// of it in p. Planned work takes capacity whether or not it is released in time, so an
/// overloaded period pushes back every later feature on the team.
///
/// QueueDone[f, k, t] = 1 only when that work, its own included, fits team k's capacity up
/// to t: for each earliest period a up to f's, the part of it that may only start at or after
/// a fits the capacity of periods a..=t (teams cannot work on a feature before its earliest
/// period). With W that work (linear in the plan columns), R the capacity and U the most W can
/// be, the row for f planned in p is W + (U - R) (QueueDone + planned_in_p - 1) <= U: binding
/// only when f is planned in p and counted done. Positions that always fit need no column.
fn queue_rows(model: &Model, inputs: &Inputs, form: &Formulation, m: &mut Milp, s: usize) {
    let periods = inputs.periods;
    let world = &inputs.scenarios[s];
    let sc = s as u32;
    let n = model.features.len();
    let depth = crate::model::plan::requirement_depth(model);
    let key = |f: usize| (depth[f], f);
    for k in 0..model.teams.len() {
        let capacity = &world.capacity[k];
        // Capacity of periods a..=t.
        let room = |a: usize, t: usize| -> f64 { capacity[a..=t].iter().sum() };
        let users: Vec<usize> = (0..n)
            .filter(|&g| world.effort[g][k] > 0.0 && form.delivered[g].is_some())
            .collect();
        let open = |g: usize| form.delivered[g].map_or(0, |(_, w)| w.open);
        for &f in &users {
            let (_, w) = form.delivered[f].expect("users have windows");
            // The periods the work ahead may start from: f's work cannot start before its
            // own earliest period, so each earliest period up to f's bounds a run of capacity.
            let mut starts: Vec<usize> = users
                .iter()
                .map(|&g| open(g))
                .filter(|&a| a <= w.open)
                .chain([0, w.open])
                .collect();
            starts.sort_unstable();
            starts.dedup();
            // Work ahead of f when it is planned in p that may only start at or after a:
            // everything planned before p, and what is planned in p and comes first.
            let ahead = |p: usize, a: usize| -> (Vec<(u32, f64)>, f64) {
                let mut entries = Vec::new();
                let mut most = 0.0;
                for &g in users.iter().filter(|&&g| open(g) >= a) {
                    let e = world.effort[g][k];
                    let column = if key(g) <= key(f) {
                        form.by(g, p)
                    } else {
                        p.checked_sub(1).and_then(|q| form.by(g, q))
                    };
                    if let Some(c) = column {
                        entries.push((c, e));
                        most += e;
                    }
                }
                (entries, most)
            };
            for t in w.first..periods {
                let Some(x) = form.released_by(s, f, t) else {
                    continue;
                };
                let mut done = None;
                for p in w.first..=w.last.min(t) {
                    for &a in &starts {
                        let (mut entries, most) = ahead(p, a);
                        let have = room(a, t);
                        if most <= have + 1e-9 {
                            continue;
                        }
                        let z = *done.get_or_insert_with(|| {
                            m.add_column(
                                Var::QueueDone {
                                    scenario: sc,
                                    feature: f as u32,
                                    team: k as u32,
                                    period: t as u32,
                                },
                                0.0,
                                1.0,
                                true,
                            )
                        });
                        let slack = most - have;
                        // People the plan buys make room; the row stays valid at any count,
                        // since the bound `most` never counts them.
                        entries.extend(super::staffing::room_entries(model, form, world, k, a, t));
                        // + slack (z + D[f,p] - D[f,p-1] - 1) <= most - W, on the left.
                        entries.push((z, slack));
                        entries.push((form.by(f, p).expect("inside the window"), slack));
                        if let Some(b) = p.checked_sub(1).and_then(|q| form.by(f, q)) {
                            entries.push((b, -slack));
                        }
                        // f's own plan column is in W too: one entry per column.
                        entries.sort_by_key(|e| e.0);
                        entries.dedup_by(|b, a| {
                            let same = a.0 == b.0;
                            if same {
                                a.1 += b.1;
                            }
                            same
                        });
                        m.add_row(
                            Con::QueueDone {
                                scenario: sc,
                                feature: f as u32,
                                team: k as u32,
                                planned: p as u32,
                                from: a as u32,
                                period: t as u32,
                            },
                            f64::NEG_INFINITY,
                            most + slack + 1e-9,
                            &entries,
                        );
                    }
                }
                if let Some(z) = done {
                    m.add_row(
                        Con::QueueGate {
                            scenario: sc,
                            feature: f as u32,
                            team: k as u32,
                            period: t as u32,
                        },
                        f64::NEG_INFINITY,
                        0.0,
                        &[(x, 1.0), (z, -1.0)],
                    );
                }
            }
        }
    }
}
