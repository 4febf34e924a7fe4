//! Expected figures of a feature: the effort it needs from each team, the money it spends and
//! the lead time it waits; and of a team, the capacity it has in each period. Validation, the
//! capacity check, the strategies, the optimizer and the plan checker all plan with these
//! numbers, so each is written once, here: two copies that round or clamp differently would
//! let a plan pass one check and fail the other.
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

/// The moment feature `f`'s vendor part is expected to be ready, in weeks from the plan start:
/// the end of its `vendor_ready` date plus the mean slip; negative infinity without one.
pub fn ready_weeks(model: &Model, f: usize) -> f64 {
    model
        .features
        .get(f)
        .and_then(|feature| feature.vendor_ready.as_ref())
        .map_or(f64::NEG_INFINITY, |v| {
            v.weeks + v.delay_weeks.map_or(0.0, |d| mean(model, d))
        })
}

/// The mean capacity factor of team `t`: the share of its capacity expected to be left after
/// support load and attrition; 0 for a team the model does not have.
pub fn capacity_factor(model: &Model, t: usize) -> f64 {
    model
        .teams
        .get(t)
        .map_or(0.0, |team| mean(model, team.capacity_factor))
}

/// Expected person-weeks team `t` has in each period, [period]: the period's capacity times
/// the mean capacity factor. Empty for a team the model does not have.
pub fn capacity(model: &Model, t: usize) -> Vec<f64> {
    let factor = capacity_factor(model, t);
    model.teams.get(t).map_or_else(Vec::new, |team| {
        team.capacity_weeks.iter().map(|c| c * factor).collect()
    })
}

/// Expected person-weeks of every team in every period, [team][period].
pub fn capacities(model: &Model) -> Vec<Vec<f64>> {
    (0..model.teams.len()).map(|t| capacity(model, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_model as model;

    const TWO_TEAMS: &str = r#"
[plan]
periods = 2
budget = 1_000_000
[[teams]]
id = "web"
capacity = 10
cost_per_week = 1000
[[teams]]
id = "app"
capacity = 5
cost_per_week = 2000
[[features]]
id = "a"
effort = { web = 0.7, app = 1 }
cost = 500
value = 1
risks = [
  { probability = 0.3, effort = { web = 0.7, app = 8 }, cost = 100 },
  { probability = 0.1, effort = { web = 0.1 }, delay_weeks = 4, value_loss = 0.5 },
]
"#;

    #[test]
    fn one_team_s_effort_is_its_entry_in_the_row_to_the_bit() {
        let m = model(TWO_TEAMS);
        let row = effort_by_team(&m, 0);
        for (t, &w) in row.iter().enumerate() {
            assert_eq!(effort_on_team(&m, 0, t).to_bits(), w.to_bits());
        }
        // web 0.7 + 0.3 x 0.7 + 0.1 x 0.1; app 1 + 0.3 x 8.
        assert!((row[0] - 0.92).abs() < 1e-12);
        assert!((row[1] - 3.4).abs() < 1e-12);
        assert!((effort_weeks(&m, 0) - 4.32).abs() < 1e-12);
        assert_eq!(effort_on_team(&m, 0, 2), 0.0);
        assert_eq!(effort_by_team(&m, 1), vec![0.0, 0.0]);
    }

    #[test]
    fn spend_counts_team_time_one_off_costs_and_risks_at_their_probability() {
        let m = model(TWO_TEAMS);
        // 0.7 x 1000 + 1 x 2000 + 500 + 0.3 x (100 + 0.7 x 1000 + 8 x 2000) + 0.1 x 0.1 x 1000.
        let expected = 700.0 + 2000.0 + 500.0 + 0.3 * 16_800.0 + 10.0;
        assert!((spend(&m, 0) - expected).abs() < 1e-9, "{}", spend(&m, 0));
        assert!((one_off_cost(&m, 0) - 530.0).abs() < 1e-12);
        assert!((lead_weeks(&m, 0) - 0.4).abs() < 1e-12);
        assert!((value_kept(&m, 0) - 0.95).abs() < 1e-12);
        assert_eq!(spend(&m, 9), 0.0);
    }
}
