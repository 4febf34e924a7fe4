//! Why the optimum leaves each feature out, in the terms a product lead argues in: timing,
//! alternatives, dependencies, capacity, budget, themes or value.

use super::{inputs, LeftOut, PlannedFeature};
use crate::model::{Model, Plan};
use crate::optimize::inputs::Inputs;
use crate::plan_check::{self as check, CheckBasis};

/// Why each feature left out is out: the first of timing, alternatives, dependencies,
/// capacity, budget, themes and value that applies.
pub(super) fn reasons(
    model: &Model,
    inputs: &Inputs,
    plan: &Plan,
    basis: &CheckBasis,
    features: &mut [PlannedFeature],
) {
    let spent: f64 = inputs.fixed_spend
        + plan
            .planned()
            .map(|(f, t)| inputs.spend_at(f, t))
            .sum::<f64>();
    let booked = check::period_spend(model, plan);
    let room = check::Room::new(model, plan, basis);
    let planned_weeks: f64 = plan.planned().map(|(f, _)| inputs.share_weeks[f]).sum();
    let theme_weeks: Vec<f64> = (0..model.themes.len())
        .map(|th| {
            plan.planned()
                .filter(|&(f, _)| model.features[f].theme == Some(th))
                .map(|(f, _)| inputs.share_weeks[f])
                .sum()
        })
        .collect();
    let too_large = std::cell::OnceCell::new();
    let excluded_with = model.excluded_with();
    // Whether adding f keeps every theme within its shares.
    let shares_hold = |f: usize| {
        let total = planned_weeks + inputs.share_weeks[f];
        model.themes.iter().enumerate().all(|(th, theme)| {
            let mine = theme_weeks[th]
                + if model.features[f].theme == Some(th) {
                    inputs.share_weeks[f]
                } else {
                    0.0
                };
            let slack = 1e-9 * total.max(1.0);
            mine + slack >= theme.min_share * total && mine <= theme.max_share * total + slack
        })
    };
    for line in features.iter_mut() {
        let f = line.feature;
        if plan.periods[f].is_some() {
            continue;
        }
        let feature = &model.features[f];
        let Some(w) = inputs.windows[f] else {
            line.left_out = Some(
                match too_large.get_or_init(|| too_large_for(model, inputs))[f] {
                    Some(team) => LeftOut::TooLarge { team },
                    None => LeftOut::Timing,
                },
            );
            continue;
        };
        let chosen = excluded_with[f]
            .iter()
            .copied()
            .find(|&g| plan.periods[g].is_some());
        if let Some(chosen) = chosen {
            line.left_out = Some(LeftOut::Alternative { chosen });
            continue;
        }
        if let Some(r) = feature
            .requires
            .iter()
            .find(|r| plan.periods[r.feature].is_none())
        {
            line.left_out = Some(LeftOut::Dependency {
                requirement: r.feature,
            });
            continue;
        }
        if let Some(group) = feature
            .requires_any
            .iter()
            .find(|group| group.features.iter().all(|&g| plan.periods[g].is_none()))
        {
            line.left_out = Some(LeftOut::NoAlternative {
                alternatives: group.features.clone(),
            });
            continue;
        }
        let from = feature
            .requires
            .iter()
            .map(|r| plan.periods[r.feature].unwrap_or(0) + r.lag_periods)
            .chain(feature.requires_any.iter().filter_map(|group| {
                let (_, p) = group.first_delivered(|g| plan.periods[g])?;
                Some(p + group.lag_periods)
            }))
            .fold(w.first, usize::max);
        if !(from..=w.last).any(|t| room.fits(model, basis, f, t)) {
            // The team with no room: the first whose share of the work alone does not fit.
            let team = (0..model.teams.len())
                .find(|&k| !(from..=w.last).any(|t| room.fits_team(model, basis, f, t, k)))
                .unwrap_or(0);
            line.left_out = Some(LeftOut::Capacity { team });
            continue;
        }
        if let Some(budget) = model.budget {
            // At its least: shipped as late as it may be.
            if spent + inputs.spend_at(f, w.last) > budget + 1e-6 * budget.abs().max(1.0) {
                line.left_out = Some(LeftOut::Budget);
                continue;
            }
        }
        if !period_budgets_allow(model, inputs, &booked, f, from..=w.last) {
            line.left_out = Some(LeftOut::Budget);
            continue;
        }
        line.left_out = Some(if shares_hold(f) {
            LeftOut::Value
        } else {
            LeftOut::Theme
        });
    }
}

/// Whether some period in `periods` lets feature `f` join a plan that books `booked` in each
/// period, within the budgets per period (true without them).
fn period_budgets_allow(
    model: &Model,
    inputs: &Inputs,
    booked: &[f64],
    f: usize,
    periods: std::ops::RangeInclusive<usize>,
) -> bool {
    let Some(budgets) = &model.budget_per_period else {
        return true;
    };
    let open = model.features[f].earliest_period.unwrap_or(0);
    let one_off = inputs.one_off_spend[f];
    let team = inputs.spend[f] - one_off;
    periods.into_iter().any(|t| {
        let start = model.time.planned_start(open, t, inputs.lead_weeks[f]);
        let mut after = booked.to_vec();
        after[t] += team;
        after[start] += one_off;
        [t, start]
            .iter()
            .all(|&p| !crate::model::exceeds(after[p], budgets[p]))
    })
}

/// For each feature without a delivery window, the first team whose capacity alone closes it:
/// the windows computed with only that team's work and capacity counted lose the feature,
/// while those without any capacity bound keep it. None where timing alone closes it.
fn too_large_for(model: &Model, inputs: &inputs::Inputs) -> Vec<Option<usize>> {
    let unbounded = inputs::windows(model, &inputs.lead_weeks, &inputs.ready_weeks, None);
    let mut out = vec![None; model.features.len()];
    let closed: Vec<usize> = (0..model.features.len())
        .filter(|&f| inputs.windows[f].is_none() && unbounded[f].is_some())
        .collect();
    if closed.is_empty() {
        return out;
    }
    for team in 0..model.teams.len() {
        let effort: Vec<Vec<f64>> = inputs
            .world
            .effort
            .iter()
            .map(|e| {
                (0..e.len())
                    .map(|k| if k == team { e[k] } else { 0.0 })
                    .collect()
            })
            .collect();
        let alone = inputs::windows(
            model,
            &inputs.lead_weeks,
            &inputs.ready_weeks,
            Some(inputs::Fit {
                effort: &effort,
                capacity: &inputs.world.capacity,
            }),
        );
        for &f in &closed {
            if out[f].is_none() && alone[f].is_none() {
                out[f] = Some(team);
            }
        }
    }
    out
}
