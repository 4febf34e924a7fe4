//! Extra capacity as decisions: for each `[[extra_capacity]]` option and each run of periods
//! it may be bought for (a hire from its start to the plan's end; a contractor for any run),
//! an integer column counts the people bought for that run. They add their ramped weeks, at
//! the world's capacity factor of their team, to every capacity row whose periods they work
//! in; they are paid for every period of the run whatever the plan delivers; and no more than
//! the option's people work at once.

use super::super::inputs::{Inputs, World};
use super::super::milp::{Con, Milp, Var};
use super::Formulation;
use crate::model::Model;

/// People of a pool placed with a team for a period: the column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub pool: usize,
    pub team: usize,
    pub period: usize,
    pub column: u32,
}

/// One column of people bought: the option, its run of periods, and the column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bought {
    pub option: usize,
    pub from: usize,
    pub to: usize,
    pub column: u32,
}

/// The columns, and at most `people` at once in each period.
pub(super) fn purchase_columns(model: &Model, form: &mut Formulation, m: &mut Milp) {
    let time = &model.time;
    for (o, option) in model.extra_capacity.iter().enumerate() {
        let mut columns = Vec::new();
        for (from, to) in option.runs(time) {
            let column = m.add_column(
                Var::Extra {
                    option: o as u32,
                    from: from as u32,
                    to: to as u32,
                },
                0.0,
                option.people as f64,
                true,
            );
            columns.push(Bought {
                option: o,
                from,
                to,
                column,
            });
        }
        // A single run needs no row: its bound says it all.
        if columns.len() > 1 {
            for t in 0..time.periods {
                let at: Vec<(u32, f64)> = columns
                    .iter()
                    .filter(|b| b.from <= t && t <= b.to)
                    .map(|b| (b.column, 1.0))
                    .collect();
                if at.len() > 1 {
                    m.add_row(
                        Con::ExtraPeople {
                            option: o as u32,
                            period: t as u32,
                        },
                        f64::NEG_INFINITY,
                        option.people as f64,
                        &at,
                    );
                }
            }
        }
        form.bought.extend(columns);
    }
}

/// Each pool's people placed with its teams, period by period: an integer column per pool,
/// team and period, and no more people placed in a period than the pool has.
pub(super) fn pool_columns(model: &Model, form: &mut Formulation, m: &mut Milp) {
    for (q, pool) in model.pools.iter().enumerate() {
        for t in 0..model.time.periods {
            let mut at = Vec::new();
            for &k in &pool.teams {
                let column = m.add_column(
                    Var::Pooled {
                        pool: q as u32,
                        team: k as u32,
                        period: t as u32,
                    },
                    0.0,
                    pool.people as f64,
                    true,
                );
                form.placed.push(Placed {
                    pool: q,
                    team: k,
                    period: t,
                    column,
                });
                at.push((column, 1.0));
            }
            if at.len() > 1 {
                m.add_row(
                    Con::PoolPeople {
                        pool: q as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    pool.people as f64,
                    &at,
                );
            }
        }
    }
}

/// Capacity the purchases and pool placements add to team `k` over periods a..=b in
/// `world`, as entries for the left side of a `<= capacity` row (negative: each person makes
/// room).
pub(super) fn room_entries(
    model: &Model,
    form: &Formulation,
    world: &World,
    k: usize,
    a: usize,
    b: usize,
) -> Vec<(u32, f64)> {
    let factor = world.factor.get(k).copied().unwrap_or(1.0).max(0.0);
    let pooled = form
        .placed
        .iter()
        .filter(move |x| x.team == k && a <= x.period && x.period <= b)
        .map(|x| {
            let pool = &model.pools[x.pool];
            let f = world
                .pool_factor
                .get(x.pool)
                .copied()
                .unwrap_or(1.0)
                .max(0.0);
            (x.column, -pool.capacity_per_person * f)
        })
        .filter(|&(_, w)| w != 0.0);
    form.bought
        .iter()
        .filter(|x| model.extra_capacity[x.option].team == k && x.from <= b && x.to >= a)
        .map(|x| {
            let option = &model.extra_capacity[x.option];
            let weeks: f64 = (a.max(x.from)..=b.min(x.to))
                .map(|t| option.weeks(&model.time, x.from, t))
                .sum();
            (x.column, -weeks * factor)
        })
        .filter(|&(_, w)| w != 0.0)
        .chain(pooled)
        .collect()
}

/// What the purchases cost, discounted, as entries of a world's net money.
pub(super) fn money_entries(model: &Model, inputs: &Inputs, form: &Formulation) -> Vec<(u32, f64)> {
    form.bought
        .iter()
        .map(|x| {
            let pay = model.extra_capacity[x.option].pay_per_period(&model.time);
            let discounted: f64 = (x.from..=x.to)
                .map(|t| inputs.period_flow_discount[t])
                .sum();
            (x.column, -pay * discounted)
        })
        .collect()
}

/// Undiscounted pay of each purchase column in period `p` (None: the whole plan).
pub(super) fn spend_entries(
    model: &Model,
    form: &Formulation,
    p: Option<usize>,
) -> Vec<(u32, f64)> {
    form.bought
        .iter()
        .filter_map(|x| {
            let pay = model.extra_capacity[x.option].pay_per_period(&model.time);
            let periods = match p {
                Some(p) => (x.from <= p && p <= x.to) as usize,
                None => x.to - x.from + 1,
            };
            (periods > 0 && pay > 0.0).then_some((x.column, pay * periods as f64))
        })
        .collect()
}
