//! Estimation histories: how past estimates turned out, read from the tool's own CSV
//! (`feature,team,low,likely,high,actual` or `feature,team,estimate,actual`, in person-weeks)
//! or from a Jira export as Jira writes it (seconds in "Original Estimate" and "Time Spent").
//! Every problem is collected with file:line, the column and a fix, like the backlog reader.

use super::backlog::DEFAULT_HOURS_PER_WEEK;
use super::finding::{Finding, Location};
use super::numbers::{read_number, DecimalMark};

/// How to read a Jira export.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// The Jira column that names the team ("Team", "Component/s", ...).
    pub team_column: String,
    pub hours_per_week: f64,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            team_column: "Team".to_string(),
            hours_per_week: DEFAULT_HOURS_PER_WEEK,
        }
    }
}

/// What an item was estimated at, in person-weeks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    Three { low: f64, likely: f64, high: f64 },
    Single(f64),
}

impl Estimate {
    /// The value the actual is compared with: the likely value, or the single estimate.
    pub fn likely(&self) -> f64 {
        match *self {
            Estimate::Three { likely, .. } | Estimate::Single(likely) => likely,
        }
    }
}

/// A calendar day, for grouping items by quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// Quarter index (year * 4 + quarter - 1): consecutive quarters are consecutive numbers.
    pub fn quarter(&self) -> i32 {
        self.year * 4 + (self.month as i32 - 1) / 3
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    pub feature: String,
    pub team: String,
    pub estimate: Estimate,
    /// Person-weeks the work really took.
    pub actual: f64,
    pub estimator: Option<String>,
    pub label: Option<String>,
    pub finished: Option<Day>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    Own,
    Jira,
}

#[derive(Debug, Clone)]
pub struct History {
    pub file: String,
    pub format: HistoryFormat,
    pub items: Vec<HistoryItem>,
    /// Warnings (rows skipped), as findings.
    pub warnings: Vec<Finding>,
}

/// Columns of the tool's own format.
const OWN: [&str; 9] = [
    "feature",
    "team",
    "low",
    "likely",
    "high",
    "estimate",
    "actual",
    "estimator",
    "label",
];
const FINISHED: &str = "finished";
const JIRA_KEY: &str = "Issue key";
const JIRA_ESTIMATE: &str = "Original Estimate";
const JIRA_SPENT: &str = "Time Spent";
const JIRA_RESOLVED: &str = "Resolved";
const JIRA_ASSIGNEE: &str = "Assignee";
const JIRA_LABELS: &str = "Labels";

/// Where each column is, found once from the header.
struct Columns {
    feature: usize,
    team: usize,
    /// Jira repeats a column for each value (`Component/s` twice): the first filled one counts.
    team_repeats: Vec<usize>,
    /// [low, likely, high], or the single estimate in `likely`.
    low: Option<usize>,
    likely: usize,
    high: Option<usize>,
    actual: usize,
    estimator: Option<usize>,
    label: Option<usize>,
    finished: Option<usize>,
    /// Jira: seconds per person-week; own format: 1.
    per_week: f64,
}

/// Reads a history; `Err` holds every error (and the warnings) found.
pub fn read(file: &str, text: &str, options: &HistoryOptions) -> Result<History, Vec<Finding>> {
    let at = |line: usize| Location {
        file: file.to_string(),
        line,
        column: 0,
    };
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![Finding::error(
                at(1),
                "",
                format!("cannot read the CSV: {e}"),
            )
            .help("save the history as comma-separated UTF-8 text")])
        }
    };
    let (format, columns) = layout(&headers, options, &at)?;
    let rows = Rows {
        headers: &headers,
        columns: &columns,
        format,
        at: &at,
    };
    let mut findings = Vec::new();
    let mut items = Vec::new();
    let (mut skipped, mut first_skipped) = (0usize, 0usize);
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                findings.push(
                    Finding::error(at(line), "", format!("cannot read this row: {e}"))
                        .help("check the quotes on this line"),
                );
                continue;
            }
        };
        match rows.item(&record, &mut findings) {
            Row::Item(item) => items.push(item),
            Row::Skipped(line) => {
                skipped += 1;
                if first_skipped == 0 {
                    first_skipped = line;
                }
            }
            Row::Blank | Row::Invalid => {}
        }
    }
    let warnings = skipped_warning(skipped, at(first_skipped));
    if findings.iter().any(Finding::is_error) {
        findings.extend(warnings);
        return Err(findings);
    }
    if items.is_empty() {
        let mut all = vec![Finding::error(at(1), "", "the history has no usable items")
            .help("add rows with both an estimate and the actual effort")];
        all.extend(warnings);
        return Err(all);
    }
    Ok(History {
        file: file.to_string(),
        format,
        items,
        warnings,
    })
}

/// Which layout the header is (Jira's when it has Jira's key or time columns), and where each
/// column is.
fn layout(
    headers: &csv::StringRecord,
    options: &HistoryOptions,
    at: &dyn Fn(usize) -> Location,
) -> Result<(HistoryFormat, Columns), Vec<Finding>> {
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    if find(JIRA_KEY).is_some() || find(JIRA_SPENT).is_some() {
        let repeats = |name: &str| {
            headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name))
                .map(|(i, _)| i)
                .skip(1)
                .collect()
        };
        let columns = jira_columns(&find, &repeats, options, at)?;
        Ok((HistoryFormat::Jira, columns))
    } else {
        Ok((HistoryFormat::Own, own_columns(&find, headers, at)?))
    }
}

/// What one row of the history gave.
enum Row {
    Item(HistoryItem),
    /// No estimate or no actual: counted, and said once for all such rows.
    Skipped(usize),
    Blank,
    /// Its errors are in the findings.
    Invalid,
}

/// How to read the rows of one history.
struct Rows<'a> {
    headers: &'a csv::StringRecord,
    columns: &'a Columns,
    format: HistoryFormat,
    at: &'a dyn Fn(usize) -> Location,
}

impl Rows<'_> {
    fn item(&self, record: &csv::StringRecord, findings: &mut Vec<Finding>) -> Row {
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            return Row::Blank;
        }
        let columns = self.columns;
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|c| !c.is_empty())
        };
        let mut number = |i: Option<usize>| self.number(cell(i), i, line, findings);
        let values = (
            number(columns.low),
            number(Some(columns.likely)),
            number(columns.high),
            number(Some(columns.actual)),
        );
        let finished = match cell(columns.finished) {
            None => None,
            Some(text) => match parse_day(text) {
                Some(d) => Some(d),
                None => {
                    findings.push(
                        Finding::error(
                            (self.at)(line),
                            format!("column `{}`", &self.headers[columns.finished.unwrap_or(0)]),
                            format!("`{text}` is not a date"),
                        )
                        .help("write the day the work finished as 2026-03-05 (or as Jira writes it, 05/Mar/26 4:12 PM)"),
                    );
                    return Row::Invalid;
                }
            },
        };
        let (Ok(low), Ok(likely), Ok(high), Ok(actual)) = values else {
            return Row::Invalid;
        };
        // An item nobody estimated, or whose work nobody logged, says nothing about estimates;
        // neither does a zero, which no ratio can use.
        let (Some(likely), Some(actual)) =
            (likely.filter(|v| *v > 0.0), actual.filter(|v| *v > 0.0))
        else {
            return Row::Skipped(line);
        };
        let team = std::iter::once(columns.team)
            .chain(columns.team_repeats.iter().copied())
            .find_map(|i| cell(Some(i)))
            .unwrap_or_default()
            .to_string();
        if team.is_empty() {
            findings.push(
                Finding::error(
                    (self.at)(line),
                    format!("column `{}`", &self.headers[columns.team]),
                    "the row names no team",
                )
                .help(
                    "write the team whose estimate this was, as the scenario names it (e.g. web)",
                ),
            );
            return Row::Invalid;
        }
        let Some(estimate) = self.estimate(low, likely, high, line, findings) else {
            return Row::Invalid;
        };
        Row::Item(HistoryItem {
            feature: cell(Some(columns.feature)).unwrap_or_default().to_string(),
            team,
            estimate,
            actual,
            estimator: cell(columns.estimator).map(str::to_string),
            label: cell(columns.label).map(str::to_string),
            finished,
            line,
        })
    }

    /// A cell's effort in person-weeks; `Err` when it is not a number or negative (said in
    /// the findings), `Ok(None)` when empty.
    fn number(
        &self,
        text: Option<&str>,
        column: Option<usize>,
        line: usize,
        findings: &mut Vec<Finding>,
    ) -> Result<Option<f64>, ()> {
        let Some(text) = text else {
            return Ok(None);
        };
        let name = &self.headers[column.unwrap_or(0)];
        match read_number(text).value(DecimalMark::Point) {
            Some(v) if v.is_finite() && v < 0.0 => {
                findings.push(
                    Finding::error(
                        (self.at)(line),
                        format!("column `{name}`"),
                        format!("must not be negative, got {text}"),
                    )
                    .help("write the effort as zero or a positive number"),
                );
                Err(())
            }
            Some(v) if v.is_finite() => Ok(Some(v / self.columns.per_week)),
            _ => {
                let unit = if self.format == HistoryFormat::Jira {
                    "seconds, as Jira exports them (28800 for 8 hours)"
                } else {
                    "person-weeks, e.g. 2.5"
                };
                findings.push(
                    Finding::error(
                        (self.at)(line),
                        format!("column `{name}`"),
                        format!("`{text}` is not a number"),
                    )
                    .help(format!("write a plain number in {unit}")),
                );
                Err(())
            }
        }
    }

    /// The row's estimate: three points in order, or a single number; none (said in the
    /// findings) when the range is out of order or has one end only.
    fn estimate(
        &self,
        low: Option<f64>,
        likely: f64,
        high: Option<f64>,
        line: usize,
        findings: &mut Vec<Finding>,
    ) -> Option<Estimate> {
        match (low, high) {
            (Some(l), Some(h)) if l <= likely && likely <= h => Some(if l == h {
                Estimate::Single(likely)
            } else {
                Estimate::Three {
                    low: l,
                    likely,
                    high: h,
                }
            }),
            (Some(l), Some(h)) => {
                findings.push(
                    Finding::error(
                        (self.at)(line),
                        "columns `low`, `likely`, `high`",
                        format!(
                            "the estimate is out of order: low {}, likely {}, high {}",
                            fmt(l),
                            fmt(likely),
                            fmt(h)
                        ),
                    )
                    .help("write low <= likely <= high"),
                );
                None
            }
            (None, None) => Some(Estimate::Single(likely)),
            _ => {
                findings.push(
                    Finding::error(
                        (self.at)(line),
                        "columns `low`, `high`",
                        "only one end of the range is given",
                    )
                    .help("write both low and high, or leave both empty for a single estimate"),
                );
                None
            }
        }
    }
}

/// One warning for every row without an estimate or an actual, at the first of them.
fn skipped_warning(skipped: usize, first: Location) -> Vec<Finding> {
    if skipped == 0 {
        return Vec::new();
    }
    let rows = if skipped == 1 {
        "1 row".to_string()
    } else {
        format!("{skipped} rows")
    };
    vec![Finding::warning(
        first,
        "",
        format!("{rows} skipped: no estimate or no actual (empty or zero)"),
    )
    .help("only items with both an estimate and the effort spent tell how estimates turn out")]
}

fn own_columns(
    find: &dyn Fn(&str) -> Option<usize>,
    headers: &csv::StringRecord,
    at: &dyn Fn(usize) -> Location,
) -> Result<Columns, Vec<Finding>> {
    let mut missing = Vec::new();
    let mut need = |name: &str| {
        find(name).or_else(|| {
            missing.push(name.to_string());
            None
        })
    };
    let feature = need("feature");
    let team = need("team");
    let actual = need("actual");
    let three = find("likely").is_some();
    let (low, likely, high) = if three {
        (need("low"), need("likely"), need("high"))
    } else {
        (None, need("estimate"), None)
    };
    let unknown: Vec<&str> = headers
        .iter()
        .map(str::trim)
        .filter(|h| {
            !OWN.iter()
                .chain(&[FINISHED])
                .any(|c| c.eq_ignore_ascii_case(h))
        })
        .collect();
    if !missing.is_empty() {
        let columns = missing
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut finding = Finding::error(at(1), "header", format!("missing column {columns}"))
            .help("the header is feature,team,low,likely,high,actual (three-point estimates in person-weeks) or feature,team,estimate,actual; estimator, label and finished (YYYY-MM-DD) are optional. A Jira export needs its `Issue key` and `Time Spent` columns");
        if !unknown.is_empty() {
            finding.message.push_str(&format!(
                " (the header has {})",
                unknown
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return Err(vec![finding]);
    }
    Ok(Columns {
        feature: feature.unwrap_or(0),
        team: team.unwrap_or(0),
        team_repeats: Vec::new(),
        low,
        likely: likely.unwrap_or(0),
        high,
        actual: actual.unwrap_or(0),
        estimator: find("estimator"),
        label: find("label"),
        finished: find(FINISHED),
        per_week: 1.0,
    })
}

fn jira_columns(
    find: &dyn Fn(&str) -> Option<usize>,
    repeats: &dyn Fn(&str) -> Vec<usize>,
    options: &HistoryOptions,
    at: &dyn Fn(usize) -> Location,
) -> Result<Columns, Vec<Finding>> {
    let mut errors = Vec::new();
    let mut need = |name: &str, help: &str| {
        find(name).or_else(|| {
            errors.push(
                Finding::error(at(1), "header", format!("missing column `{name}`")).help(help),
            );
            None
        })
    };
    let key = need(JIRA_KEY, "export the issues with the `Issue key` column");
    let estimate = need(
        JIRA_ESTIMATE,
        "export the issues with time tracking: `Original Estimate` and `Time Spent`",
    );
    let spent = need(
        JIRA_SPENT,
        "export the issues with time tracking: `Original Estimate` and `Time Spent`",
    );
    let team = need(
        &options.team_column,
        "name the column that holds the team with --team-column (e.g. --team-column \"Component/s\")",
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Columns {
        feature: key.unwrap_or(0),
        team: team.unwrap_or(0),
        team_repeats: repeats(&options.team_column),
        low: None,
        likely: estimate.unwrap_or(0),
        high: None,
        actual: spent.unwrap_or(0),
        // Who estimated is not in the export; the assignee is who the estimate was for, and
        // estimates are usually made with them.
        estimator: find(JIRA_ASSIGNEE),
        // Jira repeats `Labels` for each label: the first one groups the item.
        label: find(JIRA_LABELS),
        finished: find(JIRA_RESOLVED),
        per_week: 3600.0 * options.hours_per_week,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A day written as ISO (`2026-03-05`, with or without a time after it) or as Jira writes it
/// (`05/Mar/26 4:12 PM`).
pub fn parse_day(text: &str) -> Option<Day> {
    let date = text.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 {
        (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else {
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(b))
            .map(|i| i as u32 + 1)?;
        let year: i32 = c.parse().ok()?;
        let year = if c.len() == 2 { 2000 + year } else { year };
        (year, month, a.parse().ok()?)
    };
    let days = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some(Day { year, month, day })
}

fn fmt(v: f64) -> String {
    crate::model::dist::fmt_num(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_iso_and_jira() {
        let d = |y, m, d| {
            Some(Day {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(parse_day("2026-03-05"), d(2026, 3, 5));
        assert_eq!(parse_day("05/Mar/26 4:12 PM"), d(2026, 3, 5));
        assert_eq!(parse_day("2026-03-05 16:12"), d(2026, 3, 5));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("March 5"), None);
    }
}
