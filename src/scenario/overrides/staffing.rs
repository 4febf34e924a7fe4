//! Overrides of extra capacity (`extra_capacity.<id>.<field>`): how many people an option
//! offers, what they cost, how soon they start and how fast they ramp up.

use super::*;
use crate::model::CostKind;

pub(super) fn extra_capacity_field(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the option's fields are one number for the whole plan")?;
    let w = model.time.period_weeks;
    let currency = model.currency.clone();
    let i = change.path.index;
    let team = &model.teams[model.extra_capacity[i].team];
    let (team_id, variable) = (team.id.clone(), team.cost_kind == CostKind::Variable);
    let option = &mut model.extra_capacity[i];
    let field = change.path.field;
    let weeks = |v: f64| format!("{} weeks", fmt_num(v));
    let (before, after) = match field {
        "people" => people(&change, &mut option.people)?,
        "cost_per_week" => {
            let after = change.number(option.cost_per_week, "4200")?;
            if variable && after > 0.0 {
                return Err(problem(
                    &change.field,
                    format!("team `{team_id}` is paid by the week of work, so the weeks these people work are already paid at its rate"),
                    format!("change teams.{team_id}.cost_per_week instead, or make the team salaried in a copy of the scenario (cost_kind = \"fixed\")"),
                ));
            }
            let before = money_text(option.cost_per_week, &currency);
            option.cost_per_week = non_negative(&change.field, after)?;
            (before, money_text(option.cost_per_week, &currency))
        }
        "capacity_per_person" => per_person(&change, &mut option.capacity_per_person, w)?,
        "lead_weeks" => {
            let before = weeks(option.lead_weeks);
            option.lead_weeks =
                non_negative(&change.field, change.number(option.lead_weeks, "8")?)?;
            (before, weeks(option.lead_weeks))
        }
        _ => {
            let before = weeks(option.ramp_weeks);
            option.ramp_weeks =
                non_negative(&change.field, change.number(option.ramp_weeks, "6")?)?;
            (before, weeks(option.ramp_weeks))
        }
    };
    Ok((change.field, before, after))
}

/// A whole number of people, 0 included (none to be had).
fn people(change: &Change, people: &mut u32) -> Result<(String, String), Problem> {
    let after = change.number(*people as f64, "2")?;
    if after.fract() != 0.0 || !(0.0..=1000.0).contains(&after) {
        return Err(problem(
            &change.field,
            format!("a whole number of people, got {}", fmt_num(after)),
            format!("e.g. {}=0 (none to be had) or =3", dotted(&change.field)),
        ));
    }
    let before = people.to_string();
    *people = after as u32;
    Ok((before, people.to_string()))
}

/// One person's person-weeks in a period: at most the period's `w` weeks.
fn per_person(change: &Change, weeks: &mut f64, w: f64) -> Result<(String, String), Problem> {
    let after = change.number(*weeks, "11")?;
    if after > w + 1e-9 {
        return Err(problem(
            &change.field,
            format!(
                "one person gives at most {} person-weeks in a {}-week period",
                fmt_num(w),
                fmt_num(w)
            ),
            format!(
                "e.g. {}={}",
                dotted(&change.field),
                fmt_num((w * 0.85).round())
            ),
        ));
    }
    let before = format!("{} weeks", fmt_num(*weeks));
    *weeks = non_negative(&change.field, after)?;
    Ok((before, format!("{} weeks", fmt_num(*weeks))))
}

fn non_negative(field: &str, v: f64) -> Result<f64, Problem> {
    if v < 0.0 || !v.is_finite() {
        return Err(problem(
            field,
            format!("must be 0 or more, got {}", fmt_num(v)),
            "write a number of at least 0",
        ));
    }
    Ok(v)
}

/// Overrides of a pool (`pools.<id>.<field>`): its people, their pay and their weeks.
pub(super) fn pool_field(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the pool's fields are one number for the whole plan")?;
    let w = model.time.period_weeks;
    let currency = model.currency.clone();
    let i = change.path.index;
    let variable: Vec<String> = model.pools[i]
        .teams
        .iter()
        .filter(|&&k| model.teams[k].cost_kind == CostKind::Variable)
        .map(|&k| model.teams[k].id.clone())
        .collect();
    let pool = &mut model.pools[i];
    let (before, after) = match change.path.field {
        "people" => people(&change, &mut pool.people)?,
        "cost_per_week" => {
            let after = non_negative(&change.field, change.number(pool.cost_per_week, "3600")?)?;
            if after > 0.0 && !variable.is_empty() {
                return Err(problem(
                    &change.field,
                    format!(
                        "the pool lends people to {}, paid by the week of work: their weeks would be paid twice",
                        variable.join(", ")
                    ),
                    "make those teams salaried in a copy of the scenario (cost_kind = \"fixed\")",
                ));
            }
            let before = money_text(pool.cost_per_week, &currency);
            pool.cost_per_week = after;
            (before, money_text(pool.cost_per_week, &currency))
        }
        _ => per_person(&change, &mut pool.capacity_per_person, w)?,
    };
    Ok((change.field, before, after))
}
