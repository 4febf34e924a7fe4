//! Overrides of a team: capacity, capacity factor, cost.

use super::*;

/// A team's capacity in every period, or in one (`teams.web.capacity.2027Q3`).
pub(super) fn team_capacity(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    let i = path.index;
    let periods: Vec<usize> = match path.qualifier {
        None => (0..model.time.periods).collect(),
        Some(q) => {
            let one = format!("{field}.{q}");
            parse_period(model, &one, q, false)?.into_iter().collect()
        }
    };
    let x = amount(&field, op, value, "40")?;
    let team = &mut model.teams[i];
    let before = list(&team.capacity_weeks);
    for &p in &periods {
        let label = &model.time.labels[p];
        let f = if path.qualifier.is_some() {
            format!("{field}.{label}")
        } else {
            format!("{field} in {label}")
        };
        team.capacity_weeks[p] = combine(&f, team.capacity_weeks[p], op, x)?;
    }
    let after = list(&team.capacity_weeks);
    let field = match path.qualifier {
        Some(_) => format!("{field}.{}", model.time.labels[periods[0]]),
        None => field,
    };
    Ok((field, before, after))
}

/// A team's capacity factor.
pub(super) fn team_capacity_factor(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the factor applies to every period")?;
    let id = model.teams[change.path.index].capacity_factor;
    let (before, id) = change.estimate(model, Some(id), Domain::CapacityFactor)?;
    Ok((change.field, before, describe_input(model, Some(id))))
}

/// A team's cost per person-week.
pub(super) fn team_cost(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the cost is one number for every period")?;
    let currency = model.currency.clone();
    let team = &mut model.teams[change.path.index];
    let before = money_text(team.cost_per_week, &currency);
    team.cost_per_week = change.number(team.cost_per_week, "3500")?;
    Ok((
        change.field,
        before,
        money_text(team.cost_per_week, &currency),
    ))
}
