//! Expected figures of a feature: the effort it needs from each team, the money it spends and
//! the lead time it waits. Validation, the capacity check, the strategies, the optimizer and the
//! plan checker all plan with these numbers, so each is written once, here: two copies that
//! round or clamp differently would let a plan pass one check and fail the other.
//!
//! Risk events count at their probability (a 30% risk of 4 extra weeks is 1.2 expected weeks).
//! Means of validated inputs are non-negative; the clamps only keep a hand-built model from
//! turning effort, money or lead time negative.

use super::{InputId, Model};

fn mean(model: &Model, id: InputId) -> f64 {
    model.mean(id).max(0.0)
}

/// Expected person-weeks of feature `f` on each team, [team]: its mean effort plus each risk's
/// probability times the risk's mean effort. Efforts naming a team the model does not have
/// count nowhere.
pub fn effort_by_team(model: &Model, f: usize) -> Vec<f64> {
    let mut row = vec![0.0; model.teams.len()];
    let Some(feature) = model.features.get(f) else {
        return row;
    };
    for e in &feature.effort {
        if let Some(w) = row.get_mut(e.team) {
            *w += mean(model, e.weeks);
        }
    }
    for risk in &feature.risks {
        for e in &risk.effort {
            if let Some(w) = row.get_mut(e.team) {
                *w += risk.probability * mean(model, e.weeks);
            }
        }
    }
    row
}

/// Expected person-weeks of feature `f` on team `t`: [`effort_by_team`]'s entry for `t`, added
/// up in the same order so the two agree to the bit, without building the row (the capacity
/// check asks once per feature and team of a large backlog).
pub fn effort_on_team(model: &Model, f: usize, t: usize) -> f64 {
    let Some(feature) = model.features.get(f).filter(|_| t < model.teams.len()) else {
        return 0.0;
    };
    let mut w = 0.0;
    for e in feature.effort.iter().filter(|e| e.team == t) {
        w += mean(model, e.weeks);
    }
    for risk in &feature.risks {
        for e in risk.effort.iter().filter(|e| e.team == t) {
            w += risk.probability * mean(model, e.weeks);
        }
    }
    w
}

/// Expected person-weeks of feature `f` over all teams: what theme shares and value per effort
/// count.
pub fn effort_weeks(model: &Model, f: usize) -> f64 {
    effort_by_team(model, f).iter().sum()
}

/// Expected person-weeks of every feature on every team, [feature][team].
pub fn efforts(model: &Model) -> Vec<Vec<f64>> {
    (0..model.features.len())
        .map(|f| effort_by_team(model, f))
        .collect()
}

/// Expected undiscounted spend of delivering feature `f`, as the budget counts it (the format
/// reference's formula, in its order): mean effort at each team's cost per week, plus the mean
/// one-off cost, plus each risk's probability times its mean cost and its mean effort at cost
/// per week.
pub fn spend(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    let rate = |team: usize| model.teams.get(team).map_or(0.0, |t| t.cost_per_week);
    let team_cost: f64 = feature
        .effort
        .iter()
        .map(|e| mean(model, e.weeks) * rate(e.team))
        .sum();
    let risks: f64 = feature
        .risks
        .iter()
        .map(|r| {
            r.probability
                * (r.cost.map_or(0.0, |c| mean(model, c))
                    + r.effort
                        .iter()
                        .map(|e| mean(model, e.weeks) * rate(e.team))
                        .sum::<f64>())
        })
        .sum();
    team_cost + feature.cost.map_or(0.0, |c| mean(model, c)) + risks
}

/// Expected one-off money of feature `f`, paid at its start: its mean `cost` plus each risk's
/// probability times its mean cost (team time is not included).
pub fn one_off_cost(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    feature.cost.map_or(0.0, |c| mean(model, c))
        + feature
            .risks
            .iter()
            .filter_map(|r| r.cost.map(|c| r.probability * mean(model, c)))
            .sum::<f64>()
}

/// The share of feature `f`'s value expected to survive its risks: the product over its risks
/// of 1 - probability × the share of value the risk takes.
pub fn value_kept(model: &Model, f: usize) -> f64 {
    model.features.get(f).map_or(1.0, |feature| {
        feature
            .risks
            .iter()
            .map(|r| 1.0 - r.probability * r.value_loss)
            .product()
    })
}

/// The lead time a plan allows feature `f`, in weeks from its start: its mean vendor lead time
/// plus each risk's probability times its mean delay.
pub fn lead_weeks(model: &Model, f: usize) -> f64 {
    let Some(feature) = model.features.get(f) else {
        return 0.0;
    };
    feature.vendor_lead_weeks.map_or(0.0, |i| mean(model, i))
        + feature
            .risks
            .iter()
            .filter_map(|r| r.delay_weeks.map(|d| r.probability * mean(model, d)))
            .sum::<f64>()
}
