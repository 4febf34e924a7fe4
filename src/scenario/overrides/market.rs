//! Overrides of a segment, a deal or the plan's budget.

use super::*;

/// A segment's demand, price or growth.
pub(super) fn segment_estimate(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    let i = path.index;
    no_qualifier(&field, path.qualifier, "this field is one estimate")?;
    let segment = &model.segments[i];
    let (id, domain) = match path.field {
        "demand" => (segment.demand, Domain::NonNegative),
        "price" => (segment.price, Domain::NonNegative),
        _ => (segment.growth, Domain::MonthlyGrowth),
    };
    let before = describe_input(model, Some(id));
    let dist = combine_dist(&field, Some(model.dist(id)), op, value, domain)?;
    put_input(model, Some(id), &field, dist);
    Ok((field, before, describe_input(model, Some(id))))
}

/// A deal's one-off or monthly amount.
pub(super) fn deal_amount(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    let i = path.index;
    no_qualifier(&field, path.qualifier, "this field is one estimate")?;
    let deal = &model.deals[i];
    let current = if path.field == "one_off" {
        deal.one_off
    } else {
        deal.monthly
    };
    let before = describe_input(model, current);
    let dist = combine_dist(
        &field,
        current.map(|c| model.dist(c)),
        op,
        value,
        Domain::NonNegative,
    )?;
    let id = put_input(model, current, &field, dist);
    let deal = &mut model.deals[i];
    if path.field == "one_off" {
        deal.one_off = Some(id);
    } else {
        deal.monthly = Some(id);
    }
    Ok((field, before, describe_input(model, Some(id))))
}

/// The period a deal must be met by.
pub(super) fn deal_by(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    let i = path.index;
    no_qualifier(&field, path.qualifier, "`by` is one period")?;
    only_set(
        &field,
        op,
        "a deal date, which is a period",
        &format!(
            "{}={}",
            dotted(&field),
            model.time.labels[model.time.periods - 1]
        ),
    )?;
    let period = parse_period(model, &field, value, true)?;
    let old = model.deals[i].by_period;
    model.deals[i].by_period = period;
    Ok((field, period_text(model, old), period_text(model, period)))
}

/// The plan's budget, or none.
pub(super) fn plan_budget(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    // plan.budget
    no_qualifier(&field, path.qualifier, "the budget covers the whole plan")?;
    let before = model
        .budget
        .map_or_else(|| "none".into(), |b| money_text(b, &model.currency));
    let after = if op == Op::Set && value.eq_ignore_ascii_case("none") {
        None
    } else {
        match (op, model.budget) {
            (Op::Multiply | Op::Add | Op::Subtract, None) => {
                return Err(problem(
                    &field,
                    format!(
                        "the scenario has no budget, so `{}` has nothing to change",
                        op.symbol()
                    ),
                    "set one with plan.budget=AMOUNT",
                ))
            }
            (_, current) => Some(combine_number(
                &field,
                current.unwrap_or(0.0),
                op,
                value,
                "2400000, or none to remove it",
            )?),
        }
    };
    model.budget = after;
    Ok((
        field,
        before,
        after.map_or_else(|| "none".into(), |b| money_text(b, &model.currency)),
    ))
}
