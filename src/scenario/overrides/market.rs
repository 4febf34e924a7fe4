//! Overrides of a segment, a deal, a common risk or the plan's budget.

use super::*;

/// A segment's demand (or new customers), retention, price or growth. The reading of the
/// segment is the scenario's: `demand` on a customer stock, or `new_customers` and `retention`
/// on a segment read as demand, are refused with the field that reading has.
pub(super) fn segment_estimate(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("this field is one estimate")?;
    let segment = &model.segments[change.path.index];
    let reading = |wrong: &str, right: &str, why: &str| {
        problem(
            &change.field,
            format!("segment `{}` {why}, so it has no `{wrong}`", segment.id),
            format!(
                "write {}.{right}=... instead; the scenario decides how a segment is read",
                dotted(&change.path.item)
            ),
        )
    };
    let (id, domain) = match (change.path.field, segment.retention) {
        ("demand", Some(_)) => {
            return Err(reading(
                "demand",
                "new_customers",
                "counts new customers per month (it has a retention)",
            ))
        }
        ("new_customers", None) => {
            return Err(reading(
                "new_customers",
                "demand",
                "is read as demand per month (it has no retention)",
            ))
        }
        ("retention", None) => {
            return Err(reading(
                "retention",
                "demand",
                "is read as demand per month (it has no retention)",
            ))
        }
        ("demand" | "new_customers", _) => (segment.demand, Domain::NonNegative),
        ("retention", Some(r)) => (r, Domain::Fraction),
        ("price", _) => (segment.price, Domain::NonNegative),
        _ => (segment.growth, Domain::MonthlyGrowth),
    };

    let (before, id) = change.estimate(model, Some(id), domain)?;
    Ok((change.field, before, describe_input(model, Some(id))))
}

/// A deal's one-off or monthly amount.
pub(super) fn deal_amount(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("this field is one estimate")?;
    let one_off = change.path.field == "one_off";
    let deal = &model.deals[change.path.index];
    let current = if one_off { deal.one_off } else { deal.monthly };
    let (before, id) = change.estimate(model, current, Domain::NonNegative)?;
    let deal = &mut model.deals[change.path.index];
    if one_off {
        deal.one_off = Some(id);
    } else {
        deal.monthly = Some(id);
    }
    Ok((change.field, before, describe_input(model, Some(id))))
}

/// The period a deal must be met by.
pub(super) fn deal_by(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let last = &model.time.labels[model.time.periods - 1];
    let expires = change.path.field == "expires";
    let period = change.period(
        model,
        if expires {
            (
                "`expires` is one period",
                "when a deal expires, which is a period",
                last,
            )
        } else {
            ("`by` is one period", "a deal date, which is a period", last)
        },
        Reads::Due,
    )?;
    let deal = &mut model.deals[change.path.index];
    let slot = if expires {
        &mut deal.expires_period
    } else {
        &mut deal.by_period
    };
    let old = std::mem::replace(slot, period);
    if deal.late_penalty.is_some() && deal.by_period.is_none() {
        return Err(problem(
            &change.field,
            "a late penalty counts the periods after `by`, and this would leave the deal without one",
            "give `by` a period, or remove the late penalty with late_penalty=none",
        ));
    }
    if let (Some(by), Some(expires)) = (deal.by_period, deal.expires_period) {
        if expires < by {
            return Err(problem(
                &change.field,
                "the deal would expire before the date the customer expects it by",
                "`expires` is when the customer walks away, on or after `by`",
            ));
        }
    }
    Ok((
        change.field,
        period_text(model, old),
        period_text(model, period),
    ))
}

/// How many of a deal's features complete it.
pub(super) fn deal_need(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("`need` is one number")?;
    let deal = &mut model.deals[change.path.index];
    let before = deal.need;
    let after = change.number(before as f64, "2")?;
    let n = deal.features.len();
    if after.fract() != 0.0 || after < 1.0 || after > n as f64 {
        return Err(problem(
            &change.field,
            format!(
                "a deal of {n} features needs a whole number from 1 to {n}, got {}",
                fmt_num(after)
            ),
            format!(
                "e.g. {}=1 (any one of them) or ={n} (all of them)",
                dotted(&change.field)
            ),
        ));
    }
    deal.need = after as usize;
    Ok((change.field, before.to_string(), deal.need.to_string()))
}

/// The amount taken off a deal for each period late, or none.
pub(super) fn deal_late_penalty(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the late penalty is one amount a period")?;
    let currency = model.currency.clone();
    let deal = &mut model.deals[change.path.index];
    let before = deal
        .late_penalty
        .map_or_else(|| "none".into(), |v| money_text(v, &currency));
    let after = if change.op == Op::Set && change.value.eq_ignore_ascii_case("none") {
        None
    } else {
        if deal.by_period.is_none() {
            return Err(problem(
                &change.field,
                "a late penalty counts the periods after `by`, and this deal has no `by`",
                format!(
                    "set it first: --set {}.by=<period>",
                    dotted(&change.path.item)
                ),
            ));
        }
        let v = change.number(deal.late_penalty.unwrap_or(0.0), "20000")?;
        if v < 0.0 {
            return Err(problem(
                &change.field,
                "a late penalty cannot be negative",
                "give the amount taken off for each period late, e.g. 20000",
            ));
        }
        Some(v)
    };
    deal.late_penalty = after;
    let after = after.map_or_else(|| "none".into(), |v| money_text(v, &currency));
    Ok((change.field, before, after))
}

/// The plan's budget, or none.
pub(super) fn plan_budget(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the budget covers the whole plan")?;
    let op = change.op;
    let before = model
        .budget
        .map_or_else(|| "none".into(), |b| money_text(b, &model.currency));
    let after = if op == Op::Set && change.value.eq_ignore_ascii_case("none") {
        None
    } else {
        match (op, model.budget) {
            (Op::Multiply | Op::Add | Op::Subtract, None) => {
                return Err(problem(
                    &change.field,
                    format!(
                        "the scenario has no budget, so `{}` has nothing to change",
                        op.symbol()
                    ),
                    "set one with plan.budget=AMOUNT",
                ))
            }
            (_, current) => {
                Some(change.number(current.unwrap_or(0.0), "2400000, or none to remove it")?)
            }
        }
    };
    model.budget = after;
    Ok((
        change.field,
        before,
        after.map_or_else(|| "none".into(), |b| money_text(b, &model.currency)),
    ))
}

/// The plan's budget per period: every period, one (`plan.budget_per_period.2027Q3`), or none.
pub(super) fn plan_budget_per_period(
    model: &mut Model,
    change: Change,
) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = change;
    let periods = model.time.periods;
    let text = |b: &Option<Vec<f64>>| b.as_ref().map_or_else(|| "none".into(), |b| list(b));
    let before = text(&model.budget_per_period);
    if path.qualifier.is_none() && op == Op::Set && value.eq_ignore_ascii_case("none") {
        model.budget_per_period = None;
        return Ok((field, before, "none".into()));
    }
    let chosen: Vec<usize> = match path.qualifier {
        None => (0..periods).collect(),
        Some(q) => {
            let one = format!("{field}.{q}");
            parse_period(model, &one, q, false)?.into_iter().collect()
        }
    };
    let budgets = match (&model.budget_per_period, op, path.qualifier) {
        (Some(b), _, _) => b.clone(),
        (None, Op::Set, None) => vec![0.0; periods],
        (None, _, _) => {
            return Err(problem(
                &field,
                "the scenario has no budget per period, so one period's has nothing to go with".to_string(),
                "set every period's first with plan.budget_per_period=AMOUNT, then change one with plan.budget_per_period.<period>=AMOUNT",
            ))
        }
    };
    let x = amount(&field, op, value, "400000")?;
    let mut budgets = budgets;
    for &p in &chosen {
        let label = &model.time.labels[p];
        budgets[p] = combine(&format!("{field}.{label}"), budgets[p], op, x)?;
    }
    model.budget_per_period = Some(budgets);
    let field = match path.qualifier {
        Some(_) => format!("{field}.{}", model.time.labels[chosen[0]]),
        None => field,
    };
    Ok((field, before, text(&model.budget_per_period)))
}

/// A common risk's probability. Each feature it hits keeps its chance of being hit when the
/// risk happens, so every hit's probability moves with the risk's.
pub(super) fn common_risk_probability(
    model: &mut Model,
    change: Change,
) -> Result<Changed, Problem> {
    change.one_value("a probability is one number")?;
    let c = change.path.index;
    let before = model.common_risks[c].probability;
    let after = change.number(before, "0.3")?;
    if !(0.0..=1.0).contains(&after) {
        return Err(problem(
            &change.field,
            format!(
                "a probability must lie between 0 and 1, got {}",
                fmt_num(after)
            ),
            "write a share as a fraction: 0.3 for 30%",
        ));
    }
    model.common_risks[c].probability = after;
    for risk in model.features.iter_mut().flat_map(|f| f.risks.iter_mut()) {
        if let Some(hit) = risk.common.filter(|h| h.risk == c) {
            risk.probability = after * hit.given;
        }
    }
    Ok((change.field, fmt_num(before), fmt_num(after)))
}
