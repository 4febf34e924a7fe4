//! A staged feature's hand-offs in a plan file: the period by whose end each stage but the
//! last is done, as `roadmap optimize` writes them (a `handoffs` CSV cell of period labels,
//! or a JSON array). A plan that gives none hands off as late as each delivery allows.

use super::json::json_type;
use super::*;
use serde_json::Value;

/// Names of the optional hand-offs column, in any case.
pub(super) const HANDOFF_COLUMNS: [&str; 3] = ["handoffs", "hand_offs", "handoff"];

/// A hand-offs cell: period labels (or 1-based numbers) separated by spaces, `;` or `|`;
/// empty gives none.
pub(super) fn handoff_cell(
    text: &str,
    at: &Place,
    model: &Model,
    findings: &mut Findings,
) -> Option<Vec<usize>> {
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == '|')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for part in parts {
        out.push(one_period(part, at, model, findings)?);
    }
    Some(out)
}

/// A JSON item's `handoffs`: an array of period labels or numbers, or one string as in CSV.
pub(super) fn item_handoffs(
    value: Option<Value>,
    at: &Place,
    model: &Model,
    findings: &mut Findings,
) -> Option<Vec<usize>> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => handoff_cell(&text, at, model, findings),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                let text = match item {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    other => {
                        findings.push(
                            Finding::error(
                                at.location.clone(),
                                at.field.clone(),
                                format!(
                                    "a hand-off is a period label or number, not {}",
                                    json_type(&other)
                                ),
                            )
                            .help(HANDOFF_HELP),
                        );
                        return None;
                    }
                };
                out.push(one_period(&text, at, model, findings)?);
            }
            (!out.is_empty()).then_some(out)
        }
        Some(other) => {
            findings.push(
                Finding::error(
                    at.location.clone(),
                    at.field.clone(),
                    format!(
                        "hand-offs are an array of periods, not {}",
                        json_type(&other)
                    ),
                )
                .help(HANDOFF_HELP),
            );
            None
        }
    }
}

fn one_period(text: &str, at: &Place, model: &Model, findings: &mut Findings) -> Option<usize> {
    match model.time.find_period(text.trim()) {
        Some(p) => Some(p),
        None => {
            findings.push(
                Finding::error(
                    at.location.clone(),
                    at.field.clone(),
                    format!("`{}` is not a period of this plan", text.trim()),
                )
                .help(HANDOFF_HELP),
            );
            None
        }
    }
}

const HANDOFF_HELP: &str = "give, for each stage but the last, the period by whose end it is done (e.g. `2027Q1 2027Q2`), or leave it empty to hand off as late as the delivery allows";

/// A feature's hand-offs fit its stages and its delivery: one per stage but the last, each
/// from the feature's earliest period on, each a period after the one before, and the last a
/// period before delivery (the last stage needs one of its own).
pub(super) fn check_handoffs(
    model: &Model,
    f: usize,
    period: usize,
    handoffs: &[usize],
    at: &Place,
    findings: &mut Findings,
) -> bool {
    let feature = &model.features[f];
    let labels = &model.time.labels;
    let stages = feature.stages.len();
    let problem = if stages < 2 {
        Some((
            format!("`{}` has no stages, so it has no hand-offs", feature.id),
            "leave the cell empty, or give the feature `stages` in the scenario".to_string(),
        ))
    } else if handoffs.len() != stages - 1 {
        Some((
            format!(
                "`{}` has {stages} stages, so {} hand-off{}, not {}",
                feature.id,
                stages - 1,
                if stages == 2 { "" } else { "s" },
                handoffs.len()
            ),
            HANDOFF_HELP.to_string(),
        ))
    } else {
        let earliest = feature.earliest_period.unwrap_or(0);
        let mut lo = earliest;
        let mut bad = None;
        for (s, &h) in handoffs.iter().enumerate() {
            let hi = period.checked_sub(stages - 1 - s);
            if h < lo || hi.is_none_or(|hi| h > hi) {
                bad = Some(s);
                break;
            }
            lo = h + 1;
        }
        bad.map(|s| {
            (
                format!(
                    "stage {} of `{}` hands off in {}, which its delivery in {} does not allow",
                    s + 1,
                    feature.id,
                    labels[handoffs[s]],
                    labels[period]
                ),
                format!(
                    "each stage is done from {} on, a period after the stage before, and a period before the next; the last stage is done by the delivery",
                    labels[earliest.min(labels.len() - 1)]
                ),
            )
        })
    };
    match problem {
        Some((message, help)) => {
            findings
                .push(Finding::error(at.location.clone(), at.field.clone(), message).help(help));
            false
        }
        None => true,
    }
}
