//! Reads what `roadmap simulate` executes: a release plan (CSV or JSON, the formats
//! `roadmap optimize` writes) or a priority order (one feature id a line, or a CSV column).
//!
//! Like validation, every problem in a file is collected before failing, each with the file,
//! the line, the field and a fix. Plan rules that a plan may break and still run (a
//! prerequisite left out, a lag not respected, a deadline missed) are warnings, so that a
//! what-if plan can be simulated to see what breaking them costs.

use super::finding::{did_you_mean, Finding, Findings, Location, Suggestion, Suggestions};
use super::source::SourceFile;
use crate::model::{DeadlineKind, Model, Order, Plan};
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
    let Some(entries) = entries else {
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
    }
    check_exclusions(&rows, model, &mut findings);
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
}

/// A row whose feature is known and listed for the first time.
struct PlanRow {
    feature: usize,
    period: Option<usize>,
    period_at: Place,
    start: Option<(usize, Place)>,
}

/// One line of an order file (or one row of an order CSV).
struct OrderEntry {
    id: String,
    at: Place,
}

/// `ids` is [`Model::feature_indices`]: a plan or order lists up to every feature.
fn resolve_feature(
    id: &str,
    at: &Place,
    model: &Model,
    ids: &HashMap<&str, usize>,
    suggestions: &mut Suggestions,
    findings: &mut Findings,
) -> Option<usize> {
    if let Some(&f) = ids.get(id) {
        return Some(f);
    }
    let suggestion = suggestions.did_you_mean(id, model.features.iter().map(|f| f.id.as_str()));
    let help = match suggestion {
        Suggestion::Close(s) => format!("did you mean `{s}`?"),
        _ if model.features.len() <= 10 => format!(
            "the scenario's features are {}",
            model
                .features
                .iter()
                .map(|f| format!("`{}`", f.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Suggestion::Exhausted => "use a feature id from the scenario's [[features]] tables or its backlog CSV (too many unknown ids to suggest the closest for each)".to_string(),
        Suggestion::None => {
            "use a feature id from the scenario's [[features]] tables or its backlog CSV"
                .to_string()
        }
    };
    findings.push(
        Finding::error(
            at.location.clone(),
            at.field.clone(),
            format!("unknown feature `{id}`"),
        )
        .help(help),
    );
    None
}

/// Resolves ids and rejects features listed twice; the first row of a feature is kept.
fn assemble_plan(entries: &[PlanEntry], model: &Model, findings: &mut Findings) -> Vec<PlanRow> {
    let mut first_seen: Vec<Option<&Location>> = vec![None; model.features.len()];
    let mut rows = Vec::new();
    let ids = model.feature_indices();
    let mut suggestions = Suggestions::default();
    for entry in entries {
        let Some(f) = resolve_feature(
            &entry.id,
            &entry.feature_at,
            model,
            &ids,
            &mut suggestions,
            findings,
        ) else {
            continue;
        };
        if let Some(first) = first_seen[f] {
            findings.push(
                Finding::error(
                    entry.feature_at.location.clone(),
                    entry.feature_at.field.clone(),
                    format!(
                        "`{}` is listed twice (first on line {})",
                        entry.id, first.line
                    ),
                )
                .help("keep one row for each feature; otherwise one would silently override the other"),
            );
            continue;
        }
        first_seen[f] = Some(&entry.feature_at.location);
        if let Some(period) = entry.period {
            rows.push(PlanRow {
                feature: f,
                period,
                period_at: entry.period_at.clone(),
                start: entry.start.clone(),
            });
        }
    }
    rows
}

/// A start is a period from the feature's earliest period up to its planned period.
fn check_start(
    model: &Model,
    f: usize,
    period: usize,
    start: usize,
    at: &Place,
    findings: &mut Findings,
) {
    let labels = &model.time.labels;
    let earliest = model.features[f].earliest_period.unwrap_or(0);
    let problem = if start > period {
        Some(format!(
            "starts in {} but is planned for {}: a feature starts in or before the period it ships",
            labels[start], labels[period]
        ))
    } else if start < earliest {
        Some(format!(
            "starts in {}, before its earliest period {}",
            labels[start], labels[earliest]
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error(at.location.clone(), at.field.clone(), problem).help(format!(
                "{}, or leave it empty for the latest start its lead time allows",
                if earliest >= period {
                    format!("use {}", labels[period])
                } else {
                    format!(
                        "use a start from {} to {}",
                        labels[earliest], labels[period]
                    )
                }
            )),
        );
    }
}

/// Two alternatives that exclude each other cannot both be delivered, so a plan with both
/// cannot be executed as written. Reported once per pair, on the later row.
fn check_exclusions(rows: &[PlanRow], model: &Model, findings: &mut Findings) {
    let n = model.features.len();
    let mut planned_row: Vec<Option<usize>> = vec![None; n];
    for (i, row) in rows.iter().enumerate() {
        if row.period.is_some() {
            planned_row[row.feature] = Some(i);
        }
    }
    // Either side of a pair may declare the exclusion.
    let mut partners: Vec<Vec<usize>> = model.features.iter().map(|f| f.excludes.clone()).collect();
    for (f, feature) in model.features.iter().enumerate() {
        for &x in &feature.excludes {
            if x < n {
                partners[x].push(f);
            }
        }
    }
    for (i, row) in rows.iter().enumerate() {
        if row.period.is_none() {
            continue;
        }
        let mut earlier: Vec<usize> = partners[row.feature]
            .iter()
            .filter_map(|&x| planned_row.get(x).copied().flatten())
            .filter(|&j| j < i)
            .collect();
        earlier.sort_unstable();
        earlier.dedup();
        for j in earlier {
            let other = &rows[j];
            let (a_id, b_id) = (
                &model.features[other.feature].id,
                &model.features[row.feature].id,
            );
            findings.push(
                Finding::error(
                    row.period_at.location.clone(),
                    row.period_at.field.clone(),
                    format!(
                        "`{b_id}` and `{a_id}` exclude each other, but both are planned (`{a_id}` on line {})",
                        other.period_at.location.line
                    ),
                )
                .help(format!(
                    "they are alternatives: leave `{b_id}` or `{a_id}` out of the plan"
                )),
            );
        }
    }
}

/// What a plan may break and still run: each is a warning on the row concerned.
fn check_plan_rules(
    display: &str,
    rows: &[PlanRow],
    plan: &Plan,
    model: &Model,
    findings: &mut Findings,
) {
    let labels = &model.time.labels;
    let label = |p: usize| {
        labels
            .get(p)
            .map_or_else(|| format!("period {}", p + 1), Clone::clone)
    };
    for row in rows {
        let f = &model.features[row.feature];
        let (loc, field) = (&row.period_at.location, &row.period_at.field);
        let Some(p) = row.period else {
            if f.mandatory {
                findings.push(
                    Finding::warning(
                        loc.clone(),
                        field.clone(),
                        format!("mandatory feature `{}` is left out of the plan", f.id),
                    )
                    .help("plan it: the scenario says it must be delivered"),
                );
            }
            continue;
        };
        for req in &f.requires {
            let r = &model.features[req.feature];
            match plan.periods[req.feature] {
                None => findings.push(
                    Finding::warning(
                        loc.clone(),
                        field.clone(),
                        format!(
                            "`{}` requires `{}`, which the plan leaves out, so `{}` can never be delivered",
                            f.id, r.id, f.id
                        ),
                    )
                    .help(format!("plan `{}` too, or leave `{}` out", r.id, f.id)),
                ),
                Some(rp) if p < rp + req.lag_periods => {
                    let needs = match req.lag_periods {
                        0 => format!("it requires `{}`", r.id),
                        1 => format!("it must come at least 1 period after `{}`", r.id),
                        n => format!("it must come at least {n} periods after `{}`", r.id),
                    };
                    let mut fixes = Vec::new();
                    if rp + req.lag_periods < model.time.periods {
                        fixes.push(format!(
                            "plan `{}` in {} or later",
                            f.id,
                            label(rp + req.lag_periods)
                        ));
                    }
                    if let Some(latest) = p.checked_sub(req.lag_periods) {
                        fixes.push(format!("`{}` in {} or earlier", r.id, label(latest)));
                    }
                    let help = if fixes.is_empty() {
                        format!("leave `{}` out of the plan", f.id)
                    } else {
                        fixes.join(", or ")
                    };
                    findings.push(
                        Finding::warning(
                            loc.clone(),
                            field.clone(),
                            format!(
                                "`{}` is planned for {}, but {needs}, which is planned for {}",
                                f.id,
                                label(p),
                                label(rp)
                            ),
                        )
                        .help(help),
                    );
                }
                Some(_) => {}
            }
        }
        if let Some(d) = f.deadline {
            if d.kind == DeadlineKind::Hard && p > d.period {
                findings.push(
                    Finding::warning(
                        loc.clone(),
                        field.clone(),
                        format!(
                            "`{}` is planned for {}, after its hard deadline {}",
                            f.id,
                            label(p),
                            label(d.period)
                        ),
                    )
                    .help(format!("plan it in {} or earlier", label(d.period))),
                );
            }
        }
        if let Some(e) = f.earliest_period {
            if p < e {
                findings.push(
                    Finding::warning(
                        loc.clone(),
                        field.clone(),
                        format!(
                            "`{}` is planned for {}, before its earliest period {}",
                            f.id,
                            label(p),
                            label(e)
                        ),
                    )
                    .help(format!(
                        "plan it in {} or later: no work on it may start before then",
                        label(e)
                    )),
                );
            }
        }
    }
    // Features the file does not list are left out on purpose; only mandatory ones matter.
    let mut listed = vec![false; model.features.len()];
    for row in rows {
        listed[row.feature] = true;
    }
    for (f, listed) in model.features.iter().zip(listed) {
        if f.mandatory && !listed {
            findings.push(
                Finding::warning(
                    whole(display),
                    "",
                    format!("mandatory feature `{}` is not in the plan", f.id),
                )
                .help(format!(
                    "add a row for `{}`: the scenario says it must be delivered",
                    f.id
                )),
            );
        }
    }
}

/// Help for a period that is not one of the plan's; `leave_out` says how the format leaves a
/// feature out.
fn period_help(model: &Model, leave_out: &str) -> String {
    let labels = &model.time.labels;
    let range = match (labels.first(), labels.last()) {
        (Some(first), Some(last)) if labels.len() > 1 => format!(
            "use a period from {first} to {last} or a number from 1 to {}",
            labels.len()
        ),
        (Some(first), _) => format!("use the period {first} or the number 1"),
        _ => "the scenario has no periods".to_string(),
    };
    format!("{range}; {leave_out} to leave the feature out")
}

/// A period cell or string: a label, a 1-based number, or a word that leaves the feature out.
fn resolve_period_text(
    text: &str,
    at: &Place,
    model: &Model,
    leave_out: &str,
    findings: &mut Findings,
) -> Option<Option<usize>> {
    let text = text.trim();
    // A label wins over the words that leave a feature out, as it wins over a number.
    if let Some(p) = model.time.find_period(text) {
        return Some(Some(p));
    }
    if UNPLANNED.iter().any(|u| u.eq_ignore_ascii_case(text)) {
        return Some(None);
    }
    let message = match text.parse::<i128>() {
        Ok(n) => format!(
            "period {n} is out of range: the plan has {} period{}",
            model.time.periods,
            if model.time.periods == 1 { "" } else { "s" }
        ),
        Err(_) => format!("`{text}` is not a period of this plan"),
    };
    findings.push(
        Finding::error(at.location.clone(), at.field.clone(), message)
            .help(period_help(model, leave_out)),
    );
    None
}

/// The separator a spreadsheet used, read off the header row: comma, `;` or tab.
fn detect_delimiter(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// A header as the column lists spell it: spreadsheets write `Feature ID` or
/// `Delivery Period` for `feature_id` and `delivery_period`.
fn column_key(header: &str) -> String {
    header.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// Index of the column named by one of `names`; reports a missing column or two of them.
fn find_column(
    display: &str,
    line: usize,
    headers: &csv::StringRecord,
    names: &[&str],
    what: &str,
    findings: &mut Findings,
) -> Option<usize> {
    let matching: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| names.contains(&column_key(h).as_str()))
        .map(|(i, _)| i)
        .collect();
    let aliases = names
        .iter()
        .skip(1)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match matching.as_slice() {
        [i] => Some(*i),
        [] => {
            let found: Vec<String> = headers
                .iter()
                .filter(|h| !h.trim().is_empty())
                .map(|h| format!("`{}`", h.trim()))
                .collect();
            let found = if found.is_empty() {
                "no column names".to_string()
            } else {
                format!("columns {}", found.join(", "))
            };
            findings.push(
                Finding::error(
                    at_line(display, line),
                    format!("column `{}`", names[0]),
                    format!("there is no {what} column (found {found})"),
                )
                .help(format!(
                    "name the {what} column `{}` (also read: {aliases}; any case)",
                    names[0]
                )),
            );
            None
        }
        [first, rest @ ..] => {
            for &i in rest {
                findings.push(
                    Finding::error(
                        at_line(display, line),
                        format!("column `{}`", headers[i].trim()),
                        format!(
                            "a second {what} column (the first is `{}`, column {})",
                            headers[*first].trim(),
                            first + 1
                        ),
                    )
                    .help(format!(
                        "keep one {what} column; otherwise one would silently override the other"
                    )),
                );
            }
            None
        }
    }
}

/// Whether a line starts the CSV: not blank and not a `#` comment.
fn is_content(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && !line.starts_with('#')
}

/// A CSV reader from the header row on (line `header_index`, 0-based: the first line that is
/// neither blank nor a `#` comment), cells trimmed, with the separator read off the header
/// row. Record lines count from the header, so callers add `header_index`.
fn csv_from_header(text: &str, header_index: usize) -> csv::Reader<&[u8]> {
    let offset: usize = text
        .split_inclusive('\n')
        .take(header_index)
        .map(str::len)
        .sum();
    let body = text.get(offset..).unwrap_or_default();
    let header = body.lines().next().unwrap_or_default();
    csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(header))
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        // Row lengths are checked by the readers, so that blank rows can be skipped and a
        // short row gets a message that says which line.
        .flexible(true)
        .from_reader(body.as_bytes())
}

/// The rows after the header with their 0-based row number and file line; a row the CSV
/// reader cannot read is reported (with a fix) and skipped.
fn readable_rows(
    csv: &mut csv::Reader<&[u8]>,
    display: &str,
    header_index: usize,
    findings: &mut Findings,
) -> Vec<(usize, usize, csv::StringRecord)> {
    let mut rows = Vec::new();
    for (row, record) in csv.records().enumerate() {
        match record {
            Ok(record) => {
                let line = record_line(record.position(), row + 2, header_index);
                rows.push((row, line, record));
            }
            Err(e) => {
                let line = record_line(e.position(), row + 2, header_index);
                findings.push(
                    Finding::error(
                        at_line(display, line),
                        format!("row {}", row + 1),
                        format!("cannot read this row: {e}"),
                    )
                    .help("quote cells that contain the separator"),
                );
            }
        }
    }
    rows
}

fn record_line(position: Option<&csv::Position>, fallback: usize, skipped: usize) -> usize {
    position.map_or(fallback, |p| p.line() as usize) + skipped
}

fn read_plan_csv(
    display: &str,
    text: &str,
    model: &Model,
    findings: &mut Findings,
) -> Option<Vec<PlanEntry>> {
    let header_index = text.lines().position(is_content).unwrap_or(0);
    let mut csv = csv_from_header(text, header_index);
    let header_at = header_index + 1;
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            findings.push(
                Finding::error(
                    at_line(display, header_at),
                    "",
                    format!("cannot read the header row: {e}"),
                )
                .help(PLAN_FORMAT_HELP),
            );
            return None;
        }
    };
    let feature_column = find_column(
        display,
        header_at,
        &headers,
        &FEATURE_COLUMNS,
        "feature",
        findings,
    );
    let period_column = find_column(
        display,
        header_at,
        &headers,
        &PERIOD_COLUMNS,
        "period",
        findings,
    );
    let (feature_column, period_column) = (feature_column?, period_column?);
    let feature_field = format!("column `{}`", headers[feature_column].trim());
    let period_field = format!("column `{}`", headers[period_column].trim());
    let start_column = headers
        .iter()
        .position(|h| START_COLUMNS.contains(&column_key(h).as_str()));
    let start_field = start_column.map(|c| format!("column `{}`", headers[c].trim()));
    let mut entries = Vec::new();
    for (row, line, record) in readable_rows(&mut csv, display, header_index, findings) {
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            findings.push(
                Finding::error(
                    at_line(display, line),
                    format!("row {}", row + 1),
                    format!(
                        "this row has {} cells but the header row has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .help("every row needs as many cells as the header row; quote cells that contain the separator"),
            );
            continue;
        }
        let feature_at = Place {
            location: at_line(display, line),
            field: feature_field.clone(),
        };
        let period_at = Place {
            location: at_line(display, line),
            field: period_field.clone(),
        };
        let id = record.get(feature_column).unwrap_or_default();
        let period = resolve_period_text(
            record.get(period_column).unwrap_or_default(),
            &period_at,
            model,
            "leave the cell empty (or write `none`)",
            findings,
        );
        let start = match (start_column, &start_field) {
            (Some(c), Some(field)) => {
                let at = Place {
                    location: at_line(display, line),
                    field: field.clone(),
                };
                resolve_period_text(
                    record.get(c).unwrap_or_default(),
                    &at,
                    model,
                    "leave the cell empty for the latest start its lead time allows",
                    findings,
                )
                .flatten()
                .map(|p| (p, at))
            }
            _ => None,
        };
        if id.is_empty() {
            findings.push(
                Finding::error(
                    feature_at.location,
                    feature_at.field,
                    "this row has no feature id",
                )
                .help("write the id of a scenario feature, e.g. sso"),
            );
            continue;
        }
        entries.push(PlanEntry {
            id: id.to_string(),
            feature_at,
            period,
            period_at,
            start,
        });
    }
    Some(entries)
}

/// What a JSON value is, with its article, for messages.
fn json_type(value: &serde_json::Value) -> &'static str {
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

fn read_plan_json(
    display: &str,
    text: &str,
    model: &Model,
    findings: &mut Findings,
) -> Option<Vec<PlanEntry>> {
    use serde_json::Value;
    let source = SourceFile::new(Path::new(display), text.to_string());
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
    let (items, prefix) = match value {
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
    };
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
        let period = match fields.remove("period") {
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
            Some(Value::String(s)) => {
                resolve_period_text(&s, &period_at, model, leave_out, findings)
            }
            Some(Value::Number(n)) => match n.as_u64() {
                Some(k) => {
                    resolve_period_text(&k.to_string(), &period_at, model, leave_out, findings)
                }
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
        };
        let id = match fields.remove("feature") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(other) => {
                findings.push(
                    Finding::error(
                        feature_at.location,
                        feature_at.field,
                        format!(
                            "`feature` must be a feature id in quotes, not {}",
                            json_type(&other)
                        ),
                    )
                    .help("write the id of a scenario feature, e.g. \"feature\": \"sso\""),
                );
                continue;
            }
            None => {
                findings.push(
                    Finding::error(
                        feature_at.location,
                        feature_at.field,
                        "this item has no `feature`",
                    )
                    .help("write the id of a scenario feature, e.g. \"feature\": \"sso\""),
                );
                continue;
            }
        };
        let start_at = place("start");
        let start = match fields.remove("start") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => {
                resolve_period_text(&text, &start_at, model, "write null", findings).flatten()
            }
            Some(Value::Number(n)) => n.as_u64().and_then(|k| {
                resolve_period_text(&k.to_string(), &start_at, model, "write null", findings)
                    .flatten()
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
        .map(|p| (p, start_at));
        entries.push(PlanEntry {
            id,
            feature_at,
            period,
            period_at,
            start,
        });
    }
    Some(entries)
}

/// Where the items of a JSON plan are written, since serde_json keeps no positions.
///
/// Once serde_json has accepted the text, a small scanner walks the same structure: the
/// top-level array, or the array under the object's last `plan` key (serde_json keeps the last
/// of repeated keys too), and records the offset of each item and of the values of its keys.
/// This finds the right line even where ids or key names repeat elsewhere in the file, which
/// searching for the N-th `"feature"` would not. Deeper values are skipped by counting
/// brackets outside strings.
mod json_spans {
    pub struct ItemSpan {
        pub start: usize,
        /// Each key of the item (decoded) with the byte offset of its value; the last of
        /// repeated keys wins.
        keys: Vec<(String, usize)>,
    }

    impl ItemSpan {
        pub fn value_of(&self, key: &str) -> Option<usize> {
            self.keys
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, o)| *o)
        }
    }

    /// Items of the plan array, in order.
    pub fn plan_items(text: &str) -> Vec<ItemSpan> {
        let mut c = Cursor { text, pos: 0 };
        c.skip_ws();
        match c.peek() {
            Some(b'[') => c.array_items(),
            Some(b'{') => match plan_value(text) {
                Some(offset) => {
                    let mut c = Cursor { text, pos: offset };
                    if c.peek() == Some(b'[') {
                        c.array_items()
                    } else {
                        Vec::new()
                    }
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Offset of the value of the top-level object's last `plan` key.
    pub fn plan_value(text: &str) -> Option<usize> {
        let mut c = Cursor { text, pos: 0 };
        c.skip_ws();
        if c.peek() != Some(b'{') {
            return None;
        }
        c.object_keys()
            .into_iter()
            .rev()
            .find(|(k, _)| k == "plan")
            .map(|(_, o)| o)
    }

    struct Cursor<'a> {
        text: &'a str,
        pos: usize,
    }

    impl Cursor<'_> {
        fn peek(&self) -> Option<u8> {
            self.text.as_bytes().get(self.pos).copied()
        }

        fn skip_ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        fn eat(&mut self, b: u8) -> bool {
            let found = self.peek() == Some(b);
            if found {
                self.pos += 1;
            }
            found
        }

        /// At a `"`: moves past the closing quote and returns the decoded string.
        fn string(&mut self) -> String {
            let start = self.pos;
            self.pos += 1;
            while let Some(b) = self.peek() {
                self.pos += 1;
                match b {
                    b'\\' => self.pos += 1,
                    b'"' => break,
                    _ => {}
                }
            }
            let end = self.pos.min(self.text.len());
            self.text
                .get(start..end)
                .and_then(|raw| serde_json::from_str(raw).ok())
                .unwrap_or_default()
        }

        fn skip_value(&mut self) {
            match self.peek() {
                Some(b'"') => {
                    self.string();
                }
                Some(b'{' | b'[') => {
                    let mut depth = 0usize;
                    while let Some(b) = self.peek() {
                        match b {
                            b'"' => {
                                self.string();
                                continue;
                            }
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    self.pos += 1;
                                    return;
                                }
                            }
                            _ => {}
                        }
                        self.pos += 1;
                    }
                }
                Some(_) => {
                    while let Some(b) = self.peek() {
                        if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                None => {}
            }
        }

        /// At a `{`: the keys with the offsets of their values; moves past the object.
        fn object_keys(&mut self) -> Vec<(String, usize)> {
            let mut keys = Vec::new();
            self.pos += 1;
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    self.eat(b'}');
                    return keys;
                }
                let key = self.string();
                self.skip_ws();
                self.eat(b':');
                self.skip_ws();
                keys.push((key, self.pos));
                let before = self.pos;
                self.skip_value();
                self.skip_ws();
                if !self.eat(b',') || self.pos == before {
                    self.skip_ws();
                    self.eat(b'}');
                    return keys;
                }
            }
        }

        /// At a `[`: each item with its keys when it is an object; moves past the array.
        fn array_items(&mut self) -> Vec<ItemSpan> {
            let mut items = Vec::new();
            self.pos += 1;
            loop {
                self.skip_ws();
                if matches!(self.peek(), None | Some(b']')) {
                    return items;
                }
                let start = self.pos;
                let keys = if self.peek() == Some(b'{') {
                    self.object_keys()
                } else {
                    self.skip_value();
                    Vec::new()
                };
                items.push(ItemSpan { start, keys });
                self.skip_ws();
                if !self.eat(b',') || self.pos == start {
                    return items;
                }
            }
        }
    }
}

/// Text before a `#` comment, trimmed.
fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or_default().trim()
}

/// Whether the first line of an order file is a CSV header with a feature column. A lone
/// `id` or `feature` is a header only when no feature of the scenario has that id.
fn is_order_header(line: &str, model: &Model) -> bool {
    let delimiter = char::from(detect_delimiter(line));
    let cells: Vec<&str> = line
        .split(delimiter)
        .map(|c| c.trim().trim_matches('"').trim())
        .collect();
    let named = cells
        .iter()
        .any(|c| FEATURE_COLUMNS.contains(&column_key(c).as_str()));
    named && (cells.len() > 1 || model.feature_index(cells[0]).is_none())
}

fn read_order_lines(display: &str, text: &str) -> Vec<OrderEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let id = strip_comment(line);
            (!id.is_empty()).then(|| OrderEntry {
                id: id.to_string(),
                at: Place {
                    location: at_line(display, i + 1),
                    field: String::new(),
                },
            })
        })
        .collect()
}

/// An order as a CSV column, from the header at line `header_index` (0-based) on.
fn read_order_csv(
    display: &str,
    text: &str,
    header_index: usize,
    findings: &mut Findings,
) -> Option<Vec<OrderEntry>> {
    let mut csv = csv_from_header(text, header_index);
    let header_at = header_index + 1;
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            findings.push(
                Finding::error(
                    at_line(display, header_at),
                    "",
                    format!("cannot read the header row: {e}"),
                )
                .help("write one feature id a line, or a CSV with a `feature` column"),
            );
            return None;
        }
    };
    let column = find_column(
        display,
        header_at,
        &headers,
        &FEATURE_COLUMNS,
        "feature",
        findings,
    )?;
    let field = format!("column `{}`", headers[column].trim());
    let mut entries = Vec::new();
    for (_, line, record) in readable_rows(&mut csv, display, header_index, findings) {
        if record.iter().all(str::is_empty) || record.get(0).is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        let at = Place {
            location: at_line(display, line),
            field: field.clone(),
        };
        match record.get(column) {
            Some(id) if !id.is_empty() => entries.push(OrderEntry {
                id: id.to_string(),
                at,
            }),
            _ => findings.push(
                Finding::error(at.location, at.field, "this row has no feature id")
                    .help("write the id of a scenario feature, or delete the row"),
            ),
        }
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let toml = "[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
            [[features]]\nid = \"sso\"\neffort = { web = 5 }\nvalue = 1\n\n\
            [[features]]\nid = \"audit\"\neffort = { web = 5 }\nvalue = 1\nrequires = [{ id = \"sso\", lag = 1 }]\n\n\
            [[features]]\nid = \"export\"\neffort = { web = 5 }\nvalue = 1\n";
        crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| std::fs::read(p))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model
    }

    fn messages(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn csv_plans_read_any_separator_header_case_and_blank_lines() {
        let m = model();
        let text = "\u{feff}\n Feature ;Name;Release\n\nsso;SSO;2027q2\n  ;  ;  \naudit;\"Audit; log\";4\nexport;Export;Not Planned\n";
        let read = read_plan_text("p.csv", text, &m).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.plan.periods, vec![Some(1), Some(3), None]);
        assert!(read.warnings.is_empty(), "{:?}", messages(&read.warnings));
    }

    #[test]
    fn csv_lines_count_from_the_top_of_the_file() {
        let m = model();
        let err = read_plan_text("p.csv", "\nfeature,period\n\nsso,1\nssso,2\n", &m).unwrap_err();
        assert_eq!(
            messages(&err)[0].lines().next().unwrap(),
            "error: p.csv:5: column `feature`: unknown feature `ssso`"
        );
    }

    #[test]
    fn json_items_are_located_even_where_ids_repeat_in_other_keys() {
        let m = model();
        let text = r#"{"note": {"feature": "x", "plan": 3},
 "plan": [
  {"feature": "sso", "period": "2027Q1"},
  {"period": 9,
   "feature": "audit"}
 ]}"#;
        let err = read_plan_text("p.json", text, &m).unwrap_err();
        assert_eq!(
            messages(&err),
            ["error: p.json:4:14: plan[1].period: period 9 is out of range: the plan has 4 periods\n  help: use a period from 2027Q1 to 2027Q4 or a number from 1 to 4; write null to leave the feature out"]
        );
    }

    #[test]
    fn json_spans_survive_escapes_and_nesting() {
        let text =
            "[{\"a\\\"]\": [1, {\"b\": \"]}\"}], \"feature\": \"x\"}, 5, {\"feature\": \"y\"}]";
        let items = json_spans::plan_items(text);
        assert_eq!(items.len(), 3);
        assert_eq!(&text[items[0].value_of("feature").unwrap()..][..3], "\"x\"");
        assert_eq!(items[1].value_of("feature"), None);
        assert_eq!(&text[items[2].value_of("feature").unwrap()..][..3], "\"y\"");
    }

    #[test]
    fn order_text_skips_comments_and_keeps_the_order_as_written() {
        let m = model();
        let read = read_order_text("o.txt", "# top first\n\naudit  # needs sso\nsso\n", &m)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.order.features, vec![1, 0]);
    }

    #[test]
    fn order_csv_uses_the_feature_column_and_counts_lines_from_the_top() {
        let m = model();
        let read = read_order_text(
            "o.csv",
            "# export\nname\tID\nExport\texport\n\nSSO\tsso\n",
            &m,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.order.features, vec![2, 0]);
        let err = read_order_text("o.csv", "# export\nname,id\nx,sso\ny,sso\n", &m).unwrap_err();
        assert_eq!(
            messages(&err)[0].lines().next().unwrap(),
            "error: o.csv:4: column `id`: `sso` is listed twice (first on line 3)"
        );
    }

    #[test]
    fn comment_lines_inside_a_csv_keep_line_numbers_right() {
        let m = model();
        let text =
            "# plan\n  # indented\nfeature,period\n# a comment, with \"quotes\nsso,1\nssso,2\n";
        let err = read_plan_text("p.csv", text, &m).unwrap_err();
        assert_eq!(
            messages(&err)[0].lines().next().unwrap(),
            "error: p.csv:6: column `feature`: unknown feature `ssso`"
        );
        let err = read_order_text("o.csv", text, &m).unwrap_err();
        assert_eq!(
            messages(&err)[0].lines().next().unwrap(),
            "error: o.csv:6: column `feature`: unknown feature `ssso`"
        );
    }

    #[test]
    fn a_json_plan_given_as_an_order_is_one_error() {
        let err = read_order_text("o.json", "{\"plan\": [\n{\"feature\": \"sso\"}]}", &model())
            .unwrap_err();
        assert_eq!(err.len(), 1);
    }

    #[test]
    fn both_sides_of_an_exclusion_and_a_one_period_plan_are_handled() {
        let toml =
            "[plan]\nperiods = 1\nstart = \"Launch\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
            [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 1\n\n\
            [[features]]\nid = \"b\"\neffort = { web = 1 }\nvalue = 1\nexcludes = [\"a\"]\n";
        let m = crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| {
            std::fs::read(p)
        })
        .unwrap_or_else(|e| panic!("{e:?}"))
        .model;
        let err = read_plan_text("p.csv", "feature,period\na,launch\nb,1\n", &m).unwrap_err();
        assert_eq!(messages(&err), ["error: p.csv:3: column `period`: `b` and `a` exclude each other, but both are planned (`a` on line 2)\n  help: they are alternatives: leave `b` or `a` out of the plan"]);
        let err = read_plan_text("p.csv", "feature,period\na,2\n", &m).unwrap_err();
        assert!(messages(&err)[0].ends_with("help: use the period Launch or the number 1; leave the cell empty (or write `none`) to leave the feature out"), "{err:?}");
    }

    #[test]
    fn a_lone_id_line_is_a_feature_when_the_scenario_has_one_by_that_name() {
        let toml = "[plan]\nperiods = 2\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
            [[features]]\nid = \"id\"\neffort = { web = 1 }\nvalue = 1\n";
        let m = crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| {
            std::fs::read(p)
        })
        .unwrap_or_else(|e| panic!("{e:?}"))
        .model;
        let read = read_order_text("o.txt", "id\n", &m).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.order.features, vec![0]);
    }
}
