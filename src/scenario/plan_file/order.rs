//! Priority orders: one feature id a line, or a CSV with a feature column.

use super::*;

/// Text before a `#` comment, trimmed.
pub(super) fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or_default().trim()
}

/// Whether the first line of an order file is a CSV header with a feature column. A lone
/// `id` or `feature` is a header only when no feature of the scenario has that id.
pub(super) fn is_order_header(line: &str, model: &Model) -> bool {
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

pub(super) fn read_order_lines(display: &str, text: &str) -> Vec<OrderEntry> {
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
pub(super) fn read_order_csv(
    display: &str,
    text: &str,
    header_index: usize,
    findings: &mut Findings,
) -> Option<Vec<OrderEntry>> {
    let mut csv = csv_from_header(text, header_index);
    let header_at = header_index + 1;
    let headers = header_row(
        &mut csv,
        display,
        header_at,
        "write one feature id a line, or a CSV with a `feature` column",
        findings,
    )?;
    let column = feature_column(display, header_at, &headers, findings)?;
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
