//! Plans as JSON: an array of items or an object with a `plan` array, each item's problems
//! located by [`json_spans`](super::json_spans) since serde_json keeps no positions.

use super::*;
use serde_json::Value;

/// What a JSON value is, with its article, for messages.
pub(super) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(s) if s.trim().is_empty() => "an empty string",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

pub(super) fn read_plan_json(
    display: &str,
    text: &str,
    model: &Model,
    findings: &mut Findings,
) -> Option<(Vec<PlanEntry>, Vec<BoughtEntry>)> {
    let source = SourceFile::new(Path::new(display), text.to_string());
    let start = source.location(text.len() - text.trim_start().len());
    let (items, prefix) = plan_items(display, text, &source, findings)?;
    let spans = json_spans::plan_items(text);
    let leave_out = "write null";
    let mut entries = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let span = spans.get(i);
        let item_at = span.map_or_else(|| start.clone(), |s| source.location(s.start));
        let place = |key: &str| Place {
            location: span
                .and_then(|s| s.value_of(key))
                .map_or_else(|| item_at.clone(), |o| source.location(o)),
            field: format!("{prefix}[{i}].{key}"),
        };
        let mut fields = match item {
            Value::Object(fields) => fields,
            other => {
                findings.push(
                    Finding::error(
                        item_at.clone(),
                        format!("{prefix}[{i}]"),
                        format!("a plan item is an object, not {}", json_type(&other)),
                    )
                    .help("write {\"feature\": \"sso\", \"period\": \"2027Q1\"}"),
                );
                continue;
            }
        };
        let (feature_at, period_at) = (place("feature"), place("period"));
        let period = item_period(
            fields.remove("period"),
            &period_at,
            model,
            leave_out,
            findings,
        );
        let Some(id) = item_feature(fields.remove("feature"), &feature_at, findings) else {
            continue;
        };
        let start_at = place("start");
        let start =
            item_start(fields.remove("start"), &start_at, model, findings).map(|p| (p, start_at));
        let handoffs_at = place("handoffs");
        let handoffs = item_handoffs(fields.remove("handoffs"), &handoffs_at, model, findings)
            .map(|h| (h, handoffs_at));
        entries.push(PlanEntry {
            id,
            feature_at,
            period,
            period_at,
            start,
            handoffs,
        });
    }
    let bought = bought_items(text, &start, model, findings);
    Some((entries, bought))
}

/// The `bought` array of a JSON plan object: people of extra-capacity options, each item
/// `{"extra_capacity": id, "people": n, "start": period, "period": period}`. Its items are
/// located at the file's start: the spans cover only the plan's items.
fn bought_items(
    text: &str,
    start: &Location,
    model: &Model,
    findings: &mut Findings,
) -> Vec<BoughtEntry> {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let items: Vec<(&str, &str, Value)> = ["bought", "assigned"]
        .into_iter()
        .flat_map(|list| {
            match map.remove(list) {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
            .into_iter()
            .map(move |item| {
                (
                    list,
                    if list == "bought" {
                        "extra_capacity"
                    } else {
                        "pool"
                    },
                    item,
                )
            })
        })
        .collect();
    let mut bought = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (list, key, item) in items {
        let i = *index.entry(list).and_modify(|i| *i += 1).or_insert(0usize);
        let place = |k: &str| Place {
            location: start.clone(),
            field: format!("{list}[{i}].{k}"),
        };
        let Value::Object(mut fields) = item else {
            findings.push(
                Finding::error(start.clone(), format!("{list}[{i}]"), format!("an item of `{list}` is an object"))
                    .help("write {\"extra_capacity\": \"web-contract\", \"people\": 1, \"start\": \"2027Q2\", \"period\": \"2027Q3\"}"),
            );
            continue;
        };
        let (at, people_at) = (place(key), place("people"));
        let count = match fields.remove("people") {
            Some(Value::Number(n)) => people_count(&n.to_string(), &people_at, findings),
            other => people_count(
                other.as_ref().map_or("nothing", json_type),
                &people_at,
                findings,
            ),
        };
        let id = match fields.remove(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                findings.push(
                    Finding::error(
                        at.location.clone(),
                        at.field.clone(),
                        format!("people need the id of the {key} they come from"),
                    )
                    .help(format!("write \"{key}\": \"<id>\" beside \"people\"")),
                );
                continue;
            }
        };
        let team = match fields.remove("team") {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                Some((s.trim().to_string(), place("team")))
            }
            _ => None,
        };
        let period_at = place("period");
        let to = item_period(fields.remove("period"), &period_at, model, "", findings);
        let from = item_start(fields.remove("start"), &place("start"), model, findings);
        if let Some(people) = count {
            bought.push(BoughtEntry {
                id,
                at,
                people,
                people_at,
                from,
                to: to.flatten(),
                period_at,
                team,
            });
        }
    }
    bought
}

/// The items of a JSON plan and the field path they sit under (`plan`, or none for a bare
/// array); `None` once the text is not JSON or not a plan's shape, which is reported.
fn plan_items(
    display: &str,
    text: &str,
    source: &SourceFile,
    findings: &mut Findings,
) -> Option<(Vec<Value>, &'static str)> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // serde_json ends its message with the position, which the location already gives.
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&suffix).unwrap_or(&message);
            findings.push(
                Finding::error(
                    Location {
                        file: display.to_string(),
                        line: e.line(),
                        column: e.column(),
                    },
                    "",
                    format!("not valid JSON: {message}"),
                )
                .help(PLAN_FORMAT_HELP),
            );
            return None;
        }
    };
    let start = source.location(text.len() - text.trim_start().len());
    Some(match value {
        Value::Array(items) => (items, ""),
        Value::Object(mut map) => match map.remove("plan") {
            Some(Value::Array(items)) => (items, "plan"),
            Some(other) => {
                let at = json_spans::plan_value(text).map_or(start, |o| source.location(o));
                findings.push(
                    Finding::error(
                        at,
                        "plan",
                        format!("`plan` is {}, not an array", json_type(&other)),
                    )
                    .help(PLAN_FORMAT_HELP),
                );
                return None;
            }
            None => {
                let keys: Vec<String> = map.keys().map(|k| format!("`{k}`")).collect();
                let found = if keys.is_empty() {
                    "it is empty".to_string()
                } else {
                    format!("found {}", keys.join(", "))
                };
                let help = match did_you_mean("plan", map.keys().map(String::as_str)) {
                    Some(k) => {
                        format!("rename `{k}` to `plan`: the plan is the array under `plan`")
                    }
                    None => PLAN_FORMAT_HELP.to_string(),
                };
                findings.push(
                    Finding::error(
                        start,
                        "",
                        format!("the object has no `plan` array ({found})"),
                    )
                    .help(help),
                );
                return None;
            }
        },
        other => {
            findings.push(
                Finding::error(
                    start,
                    "",
                    format!(
                        "a JSON plan is an object with a `plan` array, or an array; this is {}",
                        json_type(&other)
                    ),
                )
                .help(PLAN_FORMAT_HELP),
            );
            return None;
        }
    })
}

/// An item's `period`: `Some(None)` leaves the feature out; `None` is a period reported as wrong.
fn item_period(
    value: Option<Value>,
    period_at: &Place,
    model: &Model,
    leave_out: &str,
    findings: &mut Findings,
) -> Option<Option<usize>> {
    match value {
        None => {
            findings.push(
                Finding::error(
                    period_at.location.clone(),
                    period_at.field.clone(),
                    "this item has no `period`",
                )
                .help(period_help(model, leave_out)),
            );
            None
        }
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => resolve_period_text(&s, period_at, model, leave_out, findings),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(k) => resolve_period_text(&k.to_string(), period_at, model, leave_out, findings),
            None => {
                findings.push(
                    Finding::error(
                        period_at.location.clone(),
                        period_at.field.clone(),
                        format!("`{n}` is not a period number"),
                    )
                    .help(period_help(model, leave_out)),
                );
                None
            }
        },
        Some(other) => {
            findings.push(
                Finding::error(
                    period_at.location.clone(),
                    period_at.field.clone(),
                    format!(
                        "a period is a label, a number or null, not {}",
                        json_type(&other)
                    ),
                )
                .help(period_help(model, leave_out)),
            );
            None
        }
    }
}

/// An item's `feature` id; `None` when it is missing or not a string, which is reported.
fn item_feature(
    value: Option<Value>,
    feature_at: &Place,
    findings: &mut Findings,
) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(other) => {
            findings.push(
                Finding::error(
                    feature_at.location.clone(),
                    feature_at.field.clone(),
                    format!(
                        "`feature` must be a feature id in quotes, not {}",
                        json_type(&other)
                    ),
                )
                .help("write the id of a scenario feature, e.g. \"feature\": \"sso\""),
            );
            None
        }
        None => {
            findings.push(
                Finding::error(
                    feature_at.location.clone(),
                    feature_at.field.clone(),
                    "this item has no `feature`",
                )
                .help("write the id of a scenario feature, e.g. \"feature\": \"sso\""),
            );
            None
        }
    }
}

/// An item's optional `start` period.
fn item_start(
    value: Option<Value>,
    start_at: &Place,
    model: &Model,
    findings: &mut Findings,
) -> Option<usize> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            resolve_period_text(&text, start_at, model, "write null", findings).flatten()
        }
        Some(Value::Number(n)) => n.as_u64().and_then(|k| {
            resolve_period_text(&k.to_string(), start_at, model, "write null", findings).flatten()
        }),
        Some(other) => {
            findings.push(
                Finding::error(
                    start_at.location.clone(),
                    start_at.field.clone(),
                    format!(
                        "a start is a period label, a number or null, not {}",
                        json_type(&other)
                    ),
                )
                .help(period_help(model, "write null")),
            );
            None
        }
    }
}
