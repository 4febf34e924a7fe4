//! Order inside a feature as a plan has it: the period each stage hands off in, as the
//! optimize and recommended reports show it and as plan files carry it.

use crate::model::{Model, Plan};

/// Whether any feature has stages, so that reports and plan files name hand-offs.
pub fn any(model: &Model) -> bool {
    model.features.iter().any(|f| f.stages.len() >= 2)
}

/// The hand-off periods of planned feature `f`, labels in stage order; empty without stages.
pub fn labels<'a>(model: &'a Model, plan: &Plan, f: usize) -> Vec<&'a str> {
    plan.handoffs(model, f)
        .into_iter()
        .map(|p| model.time.labels[p].as_str())
        .collect()
}

/// The plan file's `handoffs` cell: the labels separated by spaces.
pub fn cell(model: &Model, plan: &Plan, f: usize) -> String {
    labels(model, plan, f).join(" ")
}

/// "Order inside features": for each planned feature with stages, its stages' teams and the
/// period each is done by.
pub fn text(out: &mut String, model: &Model, plan: &Plan) {
    let staged = staged(model, plan);
    if staged.is_empty() {
        return;
    }
    out.push_str("\nOrder inside features: each stage done by the end of the period named, the next starting after it\n");
    for f in staged {
        let steps = steps(model, plan, f, |k| &model.teams[k].id, " + ");
        out.push_str(&format!("  {}: {}\n", model.features[f].id, steps));
    }
}

/// The planned features with stages, in feature order.
pub fn staged(model: &Model, plan: &Plan) -> Vec<usize> {
    plan.planned()
        .map(|(f, _)| f)
        .filter(|&f| model.features[f].stages.len() >= 2)
        .collect()
}

/// "core by 2027Q1, then mobile by 2027Q2": each stage's teams (named by `name`, joined by
/// `and`) and the period it is done by under the plan.
pub fn steps<'a>(
    model: &'a Model,
    plan: &Plan,
    f: usize,
    name: impl Fn(usize) -> &'a str,
    and: &str,
) -> String {
    let handoffs = plan.handoffs(model, f);
    let due = plan.periods[f].unwrap_or(0);
    model.features[f]
        .stages
        .iter()
        .enumerate()
        .map(|(s, teams)| {
            let names: Vec<&str> = teams.iter().map(|&k| name(k)).collect();
            let by = handoffs.get(s).copied().unwrap_or(due);
            format!("{} by {}", names.join(and), model.time.label(by))
        })
        .collect::<Vec<_>>()
        .join(", then ")
}
