//! Overrides of how money recurs and what a team's cost is tied to: a feature's recurring
//! cost (its amounts, segment and start) and a team's cost kind.

use super::*;
use crate::model::{CostKind, PerCustomer, RecurringCost, RecurringFrom};

/// The parts of a recurring cost `--set` can change.
const PARTS: [&str; 4] = ["per_month", "per_customer", "segment", "from"];

/// A feature's recurring cost, one part at a time: `recurring_cost.per_month`, `.per_customer`
/// (estimates), `.segment` (an id), `.from` (`release` or `start`). A feature without one gets
/// one from its first amount, counted from its release.
pub(super) fn feature_recurring(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let Change {
        path,
        field,
        op,
        value,
    } = &change;
    let part = match path.qualifier {
        Some(q) if PARTS.contains(&q) => q,
        other => {
            let close = other.and_then(|q| did_you_mean(q, PARTS));
            return Err(problem(
                other.map_or(field.clone(), |q| format!("{field}.{q}")),
                match other {
                    Some(q) => format!("a recurring cost has no part `{q}`"),
                    None => "a recurring cost has several parts: name the one to change".into(),
                },
                format!(
                    "{}write {}.per_month, .per_customer, .segment or .from",
                    close.map_or(String::new(), |c| format!("did you mean `{c}`? ")),
                    dotted(field)
                ),
            ));
        }
    };
    let i = path.index;
    let one = format!("{field}.{part}");
    let current = model.features[i].recurring_cost.clone();
    let mut recurring = current.clone().unwrap_or(RecurringCost {
        per_month: None,
        per_customer: None,
        from: RecurringFrom::Release,
    });
    let (before, after) = match part {
        "per_month" | "per_customer" => {
            let current_input = match part {
                "per_month" => recurring.per_month,
                _ => recurring.per_customer.map(|c| c.amount),
            };
            if part == "per_customer" && recurring.per_customer.is_none() {
                return Err(problem(
                    &one,
                    format!("{} has no cost per customer, so no segment to count", path.item),
                    format!(
                        "set its segment first: --set {}.segment=<segment id> --set {one_dotted}={value}",
                        dotted(field),
                        one_dotted = dotted(&one)
                    ),
                ));
            }
            let before = describe_input(model, current_input);
            let dist = combine_dist(
                &one,
                current_input.map(|c| model.dist(c)),
                *op,
                value,
                Domain::NonNegative,
            )?;
            let id = put_input(model, current_input, &one, dist);
            match part {
                "per_month" => recurring.per_month = Some(id),
                _ => {
                    if let Some(c) = recurring.per_customer.as_mut() {
                        c.amount = id;
                    }
                }
            }
            (before, describe_input(model, Some(id)))
        }
        "segment" => {
            only_set(&one, *op, "a segment id", &format!("{}=smb", dotted(&one)))?;
            let Some(segment) = model.segments.iter().position(|s| s.id == *value) else {
                let ids = ids_of(model, "segments");
                return Err(problem(
                    &one,
                    format!("unknown segment `{value}`"),
                    suggest(value, &ids, "segments are"),
                ));
            };
            if model.segments[segment].retention.is_some() {
                return Err(problem(
                    &one,
                    format!("segment `{value}` counts new customers per month (it has a retention), so a cost per customer has no account count to run on"),
                    "charge it per month (recurring_cost.per_month), or name a segment read as demand (accounts per month)",
                ));
            }
            let before = recurring
                .per_customer
                .map_or("none".to_string(), |c| model.segments[c.segment].id.clone());
            recurring.per_customer = Some(match recurring.per_customer {
                Some(c) => PerCustomer { segment, ..c },
                // A new cost per customer starts at nothing a customer, until set.
                None => PerCustomer {
                    segment,
                    amount: put_input(
                        model,
                        None,
                        &format!("{field}.per_customer"),
                        Dist::constant(0.0),
                    ),
                },
            });
            (before, value.to_string())
        }
        _ => {
            only_set(
                &one,
                *op,
                "when a cost starts",
                &format!("{}=start", dotted(&one)),
            )?;
            let Some(from) = RecurringFrom::parse(value) else {
                let close = did_you_mean(value, ["release", "start"])
                    .map_or(String::new(), |c| format!("did you mean `{c}`? "));
                return Err(problem(
                    &one,
                    format!("`{value}` is not when a recurring cost starts"),
                    format!("{close}write release (from the feature's release) or start (from its start)"),
                ));
            };
            let before = current
                .as_ref()
                .map_or("none", |r| r.from.name())
                .to_string();
            recurring.from = from;
            (before, from.name().to_string())
        }
    };
    model.features[i].recurring_cost = Some(recurring);
    Ok((one, before, after))
}

/// Whether a team's cost is fixed (its whole capacity, whatever the plan holds) or variable
/// (per week worked on features).
pub(super) fn team_cost_kind(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("a team's cost is of one kind for the whole plan")?;
    let example = format!("{}=fixed", dotted(&change.field));
    only_set(&change.field, change.op, "fixed or variable", &example)?;
    let Some(kind) = CostKind::parse(change.value) else {
        let close = did_you_mean(change.value, ["fixed", "variable"])
            .map_or(String::new(), |c| format!("did you mean `{c}`? "));
        return Err(problem(
            &change.field,
            format!("`{}` is not a kind of team cost", change.value),
            format!("{close}write fixed (salaried: the whole capacity is paid) or variable (paid per week worked on features)"),
        ));
    };
    let team = &mut model.teams[change.path.index];
    let before = team.cost_kind.name().to_string();
    team.cost_kind = kind;
    Ok((change.field, before, kind.name().to_string()))
}
