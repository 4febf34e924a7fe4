//! Work already done or under way when the plan starts, as the plan tables mark it: a `status`
//! column and a row for each done feature, only when the scenario says some work has started
//! (so every other plan prints as it always has).

use super::table::truncate;
use crate::model::{DoneFeature, Model, Status};
use serde::Serialize;

/// The table's columns with `status` inserted after the one named `after`, when marked.
pub fn with_status_column<'a>(
    model: &Model,
    columns: &[(&'a str, bool)],
    after: &str,
) -> Vec<(&'a str, bool)> {
    let mut out = columns.to_vec();
    if model.has_progress() {
        let at = out
            .iter()
            .position(|(c, _)| *c == after)
            .map_or(0, |i| i + 1);
        out.insert(at, ("status", false));
    }
    out
}

/// Inserts feature `f`'s status cell into `row` at the status column, when marked.
pub fn insert_status(model: &Model, columns: &[(&str, bool)], row: &mut Vec<String>, f: usize) {
    if let Some(at) = columns.iter().position(|(c, _)| *c == "status") {
        row.insert(at, model.features[f].status.marker().to_string());
    }
}

/// One row per done feature for a table with `columns`: its id, name and `done`, the other
/// cells empty.
pub fn done_rows(model: &Model, columns: &[(&str, bool)], name_width: usize) -> Vec<Vec<String>> {
    model
        .done
        .iter()
        .map(|d| {
            columns
                .iter()
                .map(|(c, _)| match *c {
                    "feature" => d.id.clone(),
                    "name" => truncate(&d.name, name_width),
                    "status" => Status::Done.marker().to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect()
}

/// "; 2 more done before the plan starts", or nothing.
pub fn done_note(model: &Model) -> String {
    match model.done.len() {
        0 => String::new(),
        n => format!(
            "; {} more done before the plan starts",
            super::format::count(n)
        ),
    }
}

/// What the marks mean, under a marked table.
pub fn legend(model: &Model) -> &'static str {
    if model.has_progress() {
        "  done: shipped before the plan starts, so not planned and not in the NPV (no plan changes it); in progress: only the remaining work is planned\n"
    } else {
        ""
    }
}

/// The done features in a report's JSON.
#[derive(Serialize)]
pub struct JsonDone<'a> {
    pub feature: &'a str,
    pub name: &'a str,
}

pub fn json_done(done: &[DoneFeature]) -> Vec<JsonDone<'_>> {
    done.iter()
        .map(|d| JsonDone {
            feature: &d.id,
            name: &d.name,
        })
        .collect()
}
