//! Reads features from a backlog CSV: one feature a row, as exported from a tracker or a sheet.
//!
//! Cells holding numbers accept a constant (`5`) or a three-point estimate (`3/5/9`, PERT);
//! efforts may also come as three columns `<team>_low`, `<team>_likely`, `<team>_high`.
//! Jira, Linear and Productboard exports are read as exported: their id, name, status and
//! estimate columns are mapped once per file, and their other columns are skipped.

use super::draft::{Defined, DraftDeadlineKind, DraftFeature, DraftVendorReady, PeriodRef, Ref};
use super::finding::{did_you_mean, Finding, Findings, Location};
use super::numbers::{self, DecimalMark, Reading};
use super::reader::{check_three_point, share_help};
use crate::model::dist::fmt_num;
use crate::model::{Dist, FrameworkFields, Input, InputId, Moscow, Status};

mod cells;
mod notes;
mod recurring;
mod row;
mod tracker;

use cells::*;
use recurring::*;
use tracker::*;

use std::collections::BTreeMap;

/// What the `[backlog]` table says about reading its file.
#[derive(Debug, Clone)]
pub struct BacklogOptions {
    /// Columns to skip, in any case.
    pub ignore_columns: Vec<String>,
    /// Declared decimal mark; without it, a comma-separated file uses `.` and a `;` or tab
    /// separated file is judged by its own numbers.
    pub decimal_mark: Option<DecimalMark>,
    /// The team that tracker estimates (one number a row, no team) belong to, and where the
    /// TOML file names it.
    pub team: Option<(String, Location)>,
    /// Working hours in a person-week, to turn Jira's estimates (seconds) into person-weeks.
    pub hours_per_week: f64,
    /// Story points (or a tool's effort units) one person finishes in a week.
    pub points_per_person_week: Option<f64>,
}

impl Default for BacklogOptions {
    fn default() -> Self {
        BacklogOptions {
            ignore_columns: Vec::new(),
            decimal_mark: None,
            team: None,
            hours_per_week: DEFAULT_HOURS_PER_WEEK,
            points_per_person_week: None,
        }
    }
}

/// Jira's default working week: 5 days of 8 hours.
pub const DEFAULT_HOURS_PER_WEEK: f64 = 40.0;

/// Columns with a fixed meaning; team and segment columns are added from the scenario.
const FIXED: [&str; 20] = [
    "id",
    "name",
    "description",
    "value",
    "ramp_months",
    "cost",
    "vendor_lead_weeks",
    "requires",
    "excludes",
    "mandatory",
    "deadline",
    "deadline_penalty",
    "earliest",
    "theme",
    "reach",
    "impact",
    "confidence",
    "ease",
    "moscow",
    "business_value",
];
/// `status` is read with a tracker's status columns (see [`tracker::STATUS`]).
const MORE: [&str; 7] = [
    "time_criticality",
    "risk_reduction",
    "status",
    "deadline_limit",
    "vendor_ready",
    "vendor_ready_delay_weeks",
    "stages",
];

/// Which of a team's estimates a column holds: the whole work, or what remains of work in
/// progress.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Work {
    Whole,
    Remaining,
}

impl Work {
    /// The field the estimate fills: `features[<id>].effort.<team>` or `.remaining.<team>`.
    fn field(self) -> &'static str {
        match self {
            Work::Whole => "effort",
            Work::Remaining => "remaining",
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Column<'a> {
    Fixed(&'a str),
    /// `effort_<team>` or `remaining_<team>`: one estimate cell.
    Effort(Work, &'a str),
    /// `<team>_low`, `_likely`, `_high` (slots 0, 1, 2), or `<team>_remaining_low`, ...
    EffortPart(Work, &'a str, usize),
    Uplift(&'a str),
    /// A tracker column read after the row's own columns (status, estimates, team, due date).
    Tracker,
    /// Listed in `ignore_columns`, repeated, a tracker column with nothing for the plan, or
    /// unknown (already reported).
    Ignored,
}
/// Why a file's numbers are read with the decimal mark they are read with.
#[derive(Clone, Copy, PartialEq)]
enum MarkSource {
    Declared,
    CommaSeparated,
    /// A `;` or tab separated file whose unambiguous numbers all use one mark.
    OwnNumbers,
}

/// What one reading of the file gathers for the notes and checks made at its end.
#[derive(Default)]
struct Pass {
    mark: Option<(DecimalMark, MarkSource)>,
    /// First cell that only a decimal point, or only a decimal comma, explains.
    first_point: Option<(usize, String)>,
    first_comma: Option<(usize, String)>,
    /// Cells such as `1.500` read before the file's mark is known: (line, field, text), the
    /// first few, and how many in all.
    ambiguous: Vec<(usize, String, String)>,
    ambiguous_count: usize,
    /// Rows left out because the tracker marks them dropped, by status as written.
    dropped: BTreeMap<String, usize>,
    /// Rows whose status the plan does not know, by status as written: (first line, count).
    unknown_statuses: BTreeMap<String, (usize, usize)>,
    /// Rows in progress with no remaining estimate, planned with their whole estimate:
    /// (count, first line).
    in_progress_whole: (usize, usize),
    due_dates: usize,
    /// Rows whose only estimate is in points with no conversion declared: (count, first line).
    unconverted_points: (usize, usize),
    /// Rows with a tracker estimate but no team to give it to: (count, first line).
    no_team: (usize, usize),
    /// Team cells naming no declared team: first line and count per value.
    unknown_teams: BTreeMap<String, (usize, usize)>,
}

/// How many ambiguous cells are reported one by one before the rest are counted.
const AMBIGUOUS_SHOWN: usize = 5;

pub struct BacklogReader<'a> {
    pub display: String,
    pub findings: &'a mut Findings,
    pub inputs: &'a mut Vec<Input>,
    /// Ids of the rows the tracker marks dropped, left out of the plan; nothing waits for them.
    pub dropped: Vec<String>,
    options: BacklogOptions,
    pass: Pass,
}

impl<'a> BacklogReader<'a> {
    pub fn new(
        display: String,
        findings: &'a mut Findings,
        inputs: &'a mut Vec<Input>,
        options: BacklogOptions,
    ) -> Self {
        BacklogReader {
            display,
            findings,
            inputs,
            dropped: Vec::new(),
            options,
            pass: Pass::default(),
        }
    }
}

impl BacklogReader<'_> {
    fn at(&self, line: usize) -> Location {
        Location {
            file: self.display.clone(),
            line,
            column: 0,
        }
    }

    fn error(&mut self, line: usize, field: &str, message: String, help: &str) {
        let loc = self.at(line);
        self.findings
            .push(Finding::error(loc, field, message).help(help));
    }

    fn warning(&mut self, line: usize, field: &str, message: String, help: &str) {
        let loc = self.at(line);
        self.findings
            .push(Finding::warning(loc, field, message).help(help));
    }

    fn register(&mut self, name: String, dist: Dist) -> InputId {
        self.inputs.push(Input { name, dist });
        InputId((self.inputs.len() - 1) as u32)
    }

    /// Reads every row; `teams` and `segments` are the ids the scenario declares, `team_names`
    /// the teams' display names (a tracker's Team column may use either).
    pub fn read(
        &mut self,
        text: &str,
        teams: &[String],
        team_names: &[String],
        segments: &[String],
    ) -> Vec<DraftFeature> {
        // Spreadsheets in many locales export with ';' or tabs; the header row tells which.
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
            .unwrap_or(b',');
        // Where ',' separates columns a number cannot hold a decimal comma; elsewhere the
        // file's own numbers decide, and only a declaration overrides them.
        let mark = match (self.options.decimal_mark, delimiter) {
            (Some(m), _) => Some((m, MarkSource::Declared)),
            (None, b',') => Some((DecimalMark::Point, MarkSource::CommaSeparated)),
            (None, _) => None,
        };
        let findings_before = self.findings.items.len();
        let inputs_before = self.inputs.len();
        let features = self.read_pass(text, delimiter, mark, teams, team_names, segments);
        if mark.is_some() || self.pass.ambiguous_count == 0 {
            return features;
        }
        match (&self.pass.first_point, &self.pass.first_comma) {
            // `1.500` was read as 1.5 on the way; the file turned out to write decimal
            // commas, so it is read again with them (only such files pay a second pass).
            (None, Some(_)) => {
                self.findings.items.truncate(findings_before);
                self.inputs.truncate(inputs_before);
                let mark = Some((DecimalMark::Comma, MarkSource::OwnNumbers));
                self.read_pass(text, delimiter, mark, teams, team_names, segments)
            }
            (Some(_), None) => features,
            _ => {
                self.report_ambiguous();
                features
            }
        }
    }

    fn read_pass(
        &mut self,
        text: &str,
        delimiter: u8,
        mark: Option<(DecimalMark, MarkSource)>,
        teams: &[String],
        team_names: &[String],
        segments: &[String],
    ) -> Vec<DraftFeature> {
        self.pass = Pass {
            mark,
            ..Pass::default()
        };
        self.dropped.clear();
        // Cells are trimmed below as they are read: the reader's own trimming copies every row.
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .trim(csv::Trim::Headers)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = match csv.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.error(1, "", format!("cannot read the header row: {e}"), "the first row names the columns, e.g. id,name,web_low,web_likely,web_high,value");
                return Vec::new();
            }
        };
        let Some((columns, tracker)) = self.map_columns(&headers, teams, segments) else {
            return Vec::new();
        };
        let mut features = Vec::new();
        // One record, read into again and again.
        let mut record = csv::StringRecord::new();
        for row in 0.. {
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(row + 2, |p| p.line() as usize);
                    self.error(line, &format!("row {}", row + 1), format!("cannot read this row: {e}"), "every row needs as many cells as the header row; quote cells that contain commas");
                    continue;
                }
            }
            let line = record.position().map_or(row + 2, |p| p.line() as usize);
            let cells: BTreeMap<usize, &str> = record
                .iter()
                .map(str::trim)
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .collect();
            if cells.is_empty() {
                continue;
            }
            if let Some(f) = self.read_row(
                line, row, &columns, &headers, &cells, &tracker, teams, team_names,
            ) {
                features.push(f);
            }
        }
        self.report_pass(&headers, &tracker, teams);
        features
    }

    /// What each header means, decided once per file; `None` when the file has no id column
    /// (already reported).
    fn map_columns<'t>(
        &mut self,
        headers: &csv::StringRecord,
        teams: &'t [String],
        segments: &'t [String],
    ) -> Option<(Vec<Column<'t>>, TrackerColumns)> {
        let suffixed: Vec<(String, Column)> = teams
            .iter()
            .flat_map(|t| {
                let t = t.as_str();
                [
                    (format!("effort_{t}"), Column::Effort(Work::Whole, t)),
                    (format!("{t}_low"), Column::EffortPart(Work::Whole, t, 0)),
                    (format!("{t}_likely"), Column::EffortPart(Work::Whole, t, 1)),
                    (format!("{t}_high"), Column::EffortPart(Work::Whole, t, 2)),
                    (format!("remaining_{t}"), Column::Effort(Work::Remaining, t)),
                    (
                        format!("{t}_remaining_low"),
                        Column::EffortPart(Work::Remaining, t, 0),
                    ),
                    (
                        format!("{t}_remaining_likely"),
                        Column::EffortPart(Work::Remaining, t, 1),
                    ),
                    (
                        format!("{t}_remaining_high"),
                        Column::EffortPart(Work::Remaining, t, 2),
                    ),
                ]
            })
            .chain(
                segments
                    .iter()
                    .map(|s| (format!("uplift_{s}"), Column::Uplift(s.as_str()))),
            )
            .collect();
        let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let ignore = self.options.ignore_columns.clone();
        let ignored = |name: &str| ignore.iter().any(|c| is(c, name));
        let own = |name: &str| -> Option<Column<'t>> {
            // Tools capitalise headers ("ID", "Name"); column names match whatever the case.
            if let Some(f) = FIXED
                .iter()
                .chain(MORE.iter())
                .chain(RECURRING_COLUMNS.iter())
                .find(|f| is(f, name))
            {
                return Some(Column::Fixed(f));
            }
            suffixed.iter().find(|(n, _)| is(n, name)).map(|(_, c)| *c)
        };
        // A tracker's header stands for one of the backlog's own columns only when the file
        // has no better one: its own `id` wins over `Issue key`, `Issue key` over `Issue id`.
        let present = |name: &str| headers.iter().any(|h| is(h, name) && !ignored(h));
        let alias = |name: &str| -> Option<&'static str> {
            ALIASES.iter().find_map(|(target, names)| {
                let rank = names.iter().position(|n| is(n, name))?;
                let better_taken = present(target) || names[..rank].iter().any(|n| present(n));
                (!better_taken).then_some(*target)
            })
        };
        let first_of = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| headers.iter().position(|h| is(h, n) && !ignored(h)))
        };
        let first_status = first_of(&STATUS);
        let tracker = TrackerColumns {
            status_category: first_status.filter(|&i| is(&headers[i], STATUS[0])),
            status: first_of(&STATUS[1..]),
            remaining_seconds: first_of(&[REMAINING_SECONDS]),
            original_seconds: first_of(&[ORIGINAL_SECONDS]),
            points: first_of(&POINTS),
            team: first_of(&[TEAM]),
            due_date: first_of(&[DUE_DATE]),
        };
        let read_by_tracker = [
            tracker.status_category,
            tracker.status,
            tracker.remaining_seconds,
            tracker.original_seconds,
            tracker.points,
            tracker.team,
            tracker.due_date,
        ];
        let has_id = headers
            .iter()
            .any(|h| !ignored(h) && (is(h, "id") || alias(h) == Some("id")));
        let mut columns: Vec<Column> = Vec::new();
        let mut unknown = Vec::new();
        let mut tracker_export = false;
        for (i, name) in headers.iter().enumerate() {
            let column = if ignored(name) {
                Column::Ignored
            } else if let Some(c) = own(name) {
                c
            } else if let Some(target) = alias(name) {
                tracker_export = true;
                Column::Fixed(target)
            } else if read_by_tracker.contains(&Some(i)) {
                tracker_export = true;
                Column::Tracker
            } else if is_tracker_header(name) {
                // A tracker's column the plan has no use for (or a second of one it reads).
                tracker_export = true;
                Column::Ignored
            } else {
                unknown.push(i);
                // The rest of the file is still read, so its features are known to the checks that follow.
                Column::Ignored
            };
            if column != Column::Ignored && column != Column::Tracker && columns.contains(&column) {
                let first = headers
                    .iter()
                    .take(i)
                    .position(|h| is(h, name))
                    .map_or(String::new(), |p| format!(" (first as column {})", p + 1));
                self.error(
                    1,
                    &format!("column `{name}`"),
                    format!("column `{name}` appears twice{first}"),
                    "keep one of them; otherwise one would silently override the other",
                );
                columns.push(Column::Ignored);
                continue;
            }
            columns.push(column);
        }
        self.report_unknown_columns(headers, unknown, &suffixed, has_id, tracker_export);
        if !has_id {
            self.error(
                1,
                "column `id`",
                "the backlog has no `id` column".into(),
                "name the column that holds each feature's unique id `id` (tracker exports' `Issue key`, `ID` and `Feature ID` are read as ids)",
            );
            return None;
        }
        Some((columns, tracker))
    }

    /// Columns nobody reads: an error with a suggestion, except in a tracker export, whose
    /// own fields are noted once in one warning.
    fn report_unknown_columns(
        &mut self,
        headers: &csv::StringRecord,
        unknown: Vec<usize>,
        suffixed: &[(String, Column)],
        has_id: bool,
        tracker_export: bool,
    ) {
        let all: Vec<&str> = FIXED
            .iter()
            .chain(MORE.iter())
            .chain(RECURRING_COLUMNS.iter())
            .copied()
            .chain(suffixed.iter().map(|(n, _)| n.as_str()))
            .collect();
        let mut not_read = Vec::new();
        for i in unknown {
            let name = &headers[i];
            let help = match did_you_mean(name, all.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                // Never advise skipping the column that may hold the ids.
                None if !has_id => format!("if `{name}` holds each feature's id, name the column `id`; otherwise, to skip it, add it to [backlog] ignore_columns = [\"{name}\"]"),
                // A tracker export carries fields of its own; they are noted once, not refused.
                None if tracker_export => {
                    not_read.push(name);
                    continue;
                }
                None => format!("effort columns are <team>_low, <team>_likely, <team>_high or effort_<team> for a declared team (remaining work: <team>_remaining_low/_likely/_high or remaining_<team>); uplift columns are uplift_<segment>; to skip a column the plan does not use, add it to [backlog] ignore_columns = [\"{name}\"]"),
            };
            self.error(
                1,
                &format!("column `{name}`"),
                format!("unknown column `{name}`"),
                &help,
            );
        }
        if !not_read.is_empty() {
            let shown: Vec<String> = not_read.iter().take(8).map(|n| format!("`{n}`")).collect();
            let more = not_read.len().saturating_sub(8);
            self.warning(
                1,
                "columns",
                format!(
                    "{} of this export {} not read: {}{}",
                    match not_read.len() { 1 => "1 column".to_string(), n => format!("{n} columns") },
                    if not_read.len() == 1 { "is" } else { "are" },
                    shown.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                ),
                &format!(
                    "they carry nothing the plan uses; to silence this, list them in [backlog] ignore_columns = [{}]",
                    not_read.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}
