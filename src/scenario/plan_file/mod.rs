//! Reads what `roadmap simulate` executes: a release plan (CSV or JSON, the formats
//! `roadmap optimize` writes) or a priority order (one feature id a line, or a CSV column).
//!
//! Like validation, every problem in a file is collected before failing, each with the file,
//! the line, the field and a fix. Plan rules that a plan may break and still run (a
//! prerequisite left out, a lag not respected, a deadline missed) are warnings, so that a
//! what-if plan can be simulated to see what breaking them costs.

mod bought;
mod csv_file;
mod handoffs;
mod json;
mod json_spans;
mod order;
mod rules;
#[cfg(test)]
mod tests;

use bought::*;
use csv_file::*;
use handoffs::*;
use json::*;
use order::*;
use rules::*;

use super::finding::{did_you_mean, Finding, Findings, Location, Suggestion, Suggestions};
use super::source::SourceFile;
use crate::model::{Model, Order, Plan};
use std::collections::HashMap;
use std::path::Path;

/// A plan read from a file, with the warnings about it.
#[derive(Debug)]
pub struct PlanRead {
    pub plan: Plan,
    pub warnings: Vec<Finding>,
}

/// A priority order read from a file, with the warnings about it.
#[derive(Debug)]
pub struct OrderRead {
    pub order: Order,
    pub warnings: Vec<Finding>,
}

/// Names of the feature column, in any case (see [`column_key`]).
const FEATURE_COLUMNS: [&str; 3] = ["feature", "id", "feature_id"];
/// Names of the period column, in any case (see [`column_key`]).
const PERIOD_COLUMNS: [&str; 4] = ["period", "deliver_period", "delivery_period", "release"];
/// Names of the optional start column, in any case: the period a feature starts in (its vendor
/// is engaged and its one-off costs paid), as `roadmap optimize` writes it.
const START_COLUMNS: [&str; 2] = ["start", "start_period"];
/// Names of the optional people column, in any case: a row with a number there buys that
/// many of the extra-capacity option its id names.
const PEOPLE_COLUMNS: [&str; 1] = ["people"];
/// Names of the team column of a pool's rows, in any case: the team its people join.
const TEAM_COLUMNS: [&str; 2] = ["team", "teams"];
/// Period cells that leave a feature out of the plan, in any case.
const UNPLANNED: [&str; 5] = ["", "-", "none", "not planned", "unplanned"];

/// Reads a plan file (CSV or JSON, chosen by content: first non-blank char `{` or `[` = JSON).
pub fn read_plan(path: &Path, model: &Model) -> Result<PlanRead, Vec<Finding>> {
    let display = path.display().to_string();
    let text = read_text(path, &display)?;
    read_plan_text(&display, &text, model)
}

/// Reads plan text; `display` names the file in messages.
///
/// Warnings are returned only with a plan that reads without errors: a row with an error may
/// be the very row that would have answered them (a mistyped mandatory feature, say).
pub fn read_plan_text(display: &str, text: &str, model: &Model) -> Result<PlanRead, Vec<Finding>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut findings = Findings::default();
    let is_json = matches!(text.trim_start().chars().next(), Some('{' | '['));
    let entries = if text.trim().is_empty() {
        findings.push(
            Finding::error(whole(display), "", "the plan file is empty").help(PLAN_FORMAT_HELP),
        );
        None
    } else if is_json {
        read_plan_json(display, text, model, &mut findings)
    } else {
        read_plan_csv(display, text, model, &mut findings)
    };
    let Some((entries, bought)) = entries else {
        return Err(findings.sorted());
    };
    if entries.is_empty() && !findings.has_errors() {
        let message = if is_json {
            "the plan lists no features"
        } else {
            "the plan has a header row but no rows"
        };
        findings.push(Finding::error(whole(display), "", message).help(PLAN_FORMAT_HELP));
    }
    let rows = assemble_plan(&entries, model, &mut findings);
    let mut plan = Plan::empty(model);
    for row in &rows {
        plan.periods[row.feature] = row.period;
        if let (Some(period), Some((start, at))) = (row.period, &row.start) {
            check_start(model, row.feature, period, *start, at, &mut findings);
            plan.starts[row.feature] = Some(*start);
        }
        if let (Some(period), Some((handoffs, at))) = (row.period, &row.handoffs) {
            if check_handoffs(model, row.feature, period, handoffs, at, &mut findings) {
                plan.handoffs.resize(model.features.len(), Vec::new());
                plan.handoffs[row.feature] = handoffs.clone();
            }
        }
    }
    (plan.bought, plan.assigned) = resolve_bought(&bought, model, &mut findings);
    check_exclusions(&rows, &plan, model, &mut findings);
    if findings.has_errors() {
        return Err(findings.sorted());
    }
    check_plan_rules(display, &rows, &plan, model, &mut findings);
    Ok(PlanRead {
        plan,
        warnings: findings.sorted(),
    })
}

/// Reads an order file: one feature id a line, most important first, or a CSV with a
/// `feature` or `id` column.
pub fn read_order(path: &Path, model: &Model) -> Result<OrderRead, Vec<Finding>> {
    let display = path.display().to_string();
    let text = read_text(path, &display)?;
    read_order_text(&display, &text, model)
}

/// Reads order text; `display` names the file in messages. The order is kept as written:
/// prerequisites and exclusions are settled later by [`Order::normalised`].
pub fn read_order_text(
    display: &str,
    text: &str,
    model: &Model,
) -> Result<OrderRead, Vec<Finding>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut findings = Findings::default();
    // The first line that is neither blank nor a comment decides the format.
    let first = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i, strip_comment(l)))
        .find(|(_, l)| !l.is_empty());
    let entries = match first {
        // Read line by line, a JSON plan would give one "unknown feature" per line.
        Some((_, line)) if line.starts_with(['{', '[']) => {
            findings.push(
                Finding::error(
                    whole(display),
                    "",
                    "this looks like JSON; an order is one feature id a line",
                )
                .help("write one feature id a line, most important first; to run a JSON plan, pass it as a plan"),
            );
            None
        }
        Some((index, line)) if is_order_header(line, model) => {
            read_order_csv(display, text, index, &mut findings)
        }
        _ => Some(read_order_lines(display, text)),
    };
    let Some(entries) = entries else {
        return Err(findings.sorted());
    };
    let mut features = Vec::new();
    let mut first_seen: Vec<Option<&Location>> = vec![None; model.features.len()];
    let ids = model.feature_indices();
    let mut suggestions = Suggestions::default();
    for entry in &entries {
        let Some(f) = resolve_feature(
            &entry.id,
            &entry.at,
            model,
            &ids,
            &mut suggestions,
            &mut findings,
        ) else {
            continue;
        };
        if let Some(first) = first_seen[f] {
            findings.push(
                Finding::error(
                    entry.at.location.clone(),
                    entry.at.field.clone(),
                    format!(
                        "`{}` is listed twice (first on line {})",
                        entry.id, first.line
                    ),
                )
                .help("list each feature once, most important first"),
            );
            continue;
        }
        first_seen[f] = Some(&entry.at.location);
        features.push(f);
    }
    if entries.is_empty() && !findings.has_errors() {
        findings.push(
            Finding::error(whole(display), "", "the order lists no features")
                .help("write one feature id a line, most important first (`#` starts a comment)"),
        );
    }
    if findings.has_errors() {
        return Err(findings.sorted());
    }
    Ok(OrderRead {
        order: Order { features },
        warnings: findings.sorted(),
    })
}

const PLAN_FORMAT_HELP: &str = "a plan is a CSV with a header row `feature,period` and one row per feature (e.g. `sso,2027Q1`), or JSON: {\"plan\": [{\"feature\": \"sso\", \"period\": \"2027Q1\"}]}";

fn whole(display: &str) -> Location {
    Location {
        file: display.to_string(),
        line: 0,
        column: 0,
    }
}

fn at_line(display: &str, line: usize) -> Location {
    Location {
        file: display.to_string(),
        line,
        column: 0,
    }
}

fn read_text(path: &Path, display: &str) -> Result<String, Vec<Finding>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Finding::error(whole(display), "", format!("cannot read the file: {e}"))
                .help("check the path; a relative path starts from the current folder"),
        ]
    })?;
    String::from_utf8(bytes).map_err(|e| {
        vec![Finding::error(
            whole(display),
            "",
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the file as UTF-8")]
    })
}

/// Where a value was written: its location and its field path (`plan[3].period`,
/// ``column `period` ``).
#[derive(Debug, Clone)]
struct Place {
    location: Location,
    field: String,
}

/// One row of a plan file (or one item of a JSON plan), before ids are resolved.
struct PlanEntry {
    id: String,
    feature_at: Place,
    /// `Some(None)` leaves the feature out; `None` is a period already reported as wrong.
    period: Option<Option<usize>>,
    period_at: Place,
    /// The plan's start of the feature, when given.
    start: Option<(usize, Place)>,
    /// The plan's hand-offs of a staged feature, when given.
    handoffs: Option<(Vec<usize>, Place)>,
}

/// A row whose feature is known and listed for the first time.
struct PlanRow {
    feature: usize,
    period: Option<usize>,
    period_at: Place,
    start: Option<(usize, Place)>,
    handoffs: Option<(Vec<usize>, Place)>,
}

/// One line of an order file (or one row of an order CSV).
struct OrderEntry {
    id: String,
    at: Place,
}
