//! Plans as CSV: any separator, header names in any case, comment and blank lines kept out
//! of the data while line numbers still count from the top of the file.

use super::*;

/// The separator a spreadsheet used, read off the header row: comma, `;` or tab.
pub(super) fn detect_delimiter(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// A header as the column lists spell it: spreadsheets write `Feature ID` or
/// `Delivery Period` for `feature_id` and `delivery_period`.
pub(super) fn column_key(header: &str) -> String {
    header.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// Index of the column named by one of `names`; reports a missing column or two of them.
pub(super) fn find_column(
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
pub(super) fn is_content(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && !line.starts_with('#')
}

/// A CSV reader from the header row on (line `header_index`, 0-based: the first line that is
/// neither blank nor a `#` comment), cells trimmed, with the separator read off the header
/// row. Record lines count from the header, so callers add `header_index`.
/// The column that names the feature, under any of its names; a finding when there is none
/// or more than one.
pub(super) fn feature_column(
    display: &str,
    header_at: usize,
    headers: &csv::StringRecord,
    findings: &mut Findings,
) -> Option<usize> {
    find_column(
        display,
        header_at,
        headers,
        &FEATURE_COLUMNS,
        "feature",
        findings,
    )
}

/// The header row of `csv`, which stands at line `header_at`; a finding with `help` when it
/// cannot be read.
pub(super) fn header_row(
    csv: &mut csv::Reader<&[u8]>,
    display: &str,
    header_at: usize,
    help: &str,
    findings: &mut Findings,
) -> Option<csv::StringRecord> {
    match csv.headers() {
        Ok(h) => Some(h.clone()),
        Err(e) => {
            findings.push(
                Finding::error(
                    at_line(display, header_at),
                    "",
                    format!("cannot read the header row: {e}"),
                )
                .help(help),
            );
            None
        }
    }
}

pub(super) fn csv_from_header(text: &str, header_index: usize) -> csv::Reader<&[u8]> {
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
pub(super) fn readable_rows(
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

pub(super) fn record_line(
    position: Option<&csv::Position>,
    fallback: usize,
    skipped: usize,
) -> usize {
    position.map_or(fallback, |p| p.line() as usize) + skipped
}

pub(super) fn read_plan_csv(
    display: &str,
    text: &str,
    model: &Model,
    findings: &mut Findings,
) -> Option<(Vec<PlanEntry>, Vec<BoughtEntry>)> {
    let header_index = text.lines().position(is_content).unwrap_or(0);
    let mut csv = csv_from_header(text, header_index);
    let header_at = header_index + 1;
    let headers = header_row(&mut csv, display, header_at, PLAN_FORMAT_HELP, findings)?;
    let feature_column = feature_column(display, header_at, &headers, findings);
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
    let people_column = headers
        .iter()
        .position(|h| PEOPLE_COLUMNS.contains(&column_key(h).as_str()));
    let handoff_column = headers
        .iter()
        .position(|h| HANDOFF_COLUMNS.contains(&column_key(h).as_str()));
    let team_column = headers
        .iter()
        .position(|h| TEAM_COLUMNS.contains(&column_key(h).as_str()));
    let mut entries = Vec::new();
    let mut bought = Vec::new();
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
        let people = people_column
            .map(|c| (c, record.get(c).unwrap_or_default()))
            .filter(|(_, cell)| !cell.is_empty());
        if let Some((c, cell)) = people {
            let people_at = Place {
                location: at_line(display, line),
                field: format!("column `{}`", headers[c].trim()),
            };
            if let Some(n) = people_count(cell, &people_at, findings) {
                bought.push(BoughtEntry {
                    id: id.to_string(),
                    at: feature_at,
                    people: n,
                    people_at,
                    from: start.as_ref().map(|(p, _)| *p),
                    to: period.flatten(),
                    period_at,
                    team: team_column
                        .map(|c| (c, record.get(c).unwrap_or_default()))
                        .filter(|(_, cell)| !cell.is_empty())
                        .map(|(c, cell)| {
                            let place = Place {
                                location: at_line(display, line),
                                field: format!("column `{}`", headers[c].trim()),
                            };
                            (cell.to_string(), place)
                        }),
                });
            }
            continue;
        }
        let handoffs = handoff_column.and_then(|c| {
            let at = Place {
                location: at_line(display, line),
                field: format!("column `{}`", headers[c].trim()),
            };
            handoff_cell(record.get(c).unwrap_or_default(), &at, model, findings).map(|h| (h, at))
        });
        entries.push(PlanEntry {
            id: id.to_string(),
            feature_at,
            period,
            period_at,
            start,
            handoffs,
        });
    }
    Some((entries, bought))
}
