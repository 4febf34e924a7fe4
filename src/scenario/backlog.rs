//! Reads features from a backlog CSV: one feature a row, as exported from a tracker or a sheet.
//!
//! Cells holding numbers accept a constant (`5`) or a three-point estimate (`3/5/9`, PERT);
//! efforts may also come as three columns `<team>_low`, `<team>_likely`, `<team>_high`.
//! Jira, Linear and Productboard exports are read as exported: their id, name, status and
//! estimate columns are mapped once per file, and their other columns are skipped.

use super::draft::{Defined, DraftDeadlineKind, DraftFeature, PeriodRef, Ref};
use super::finding::{did_you_mean, Finding, Findings, Location};
use super::numbers::{self, DecimalMark, Reading};
use super::reader::{check_three_point, share_help};
use crate::model::dist::fmt_num;
use crate::model::{Dist, FrameworkFields, Input, InputId, Moscow};
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

/// Tracker headers that mean one of the backlog's own columns, best first: when an export
/// has two of them (Jira's `Issue key` and `Issue id`), the first is read and the other skipped.
const ALIASES: [(&str, &[&str]); 3] = [
    // Jira's key (PAY-12), Productboard's feature id, Jira's numeric id; Linear's `ID` is `id`.
    ("id", &["Issue key", "Feature ID", "Issue id"]),
    // Jira, Linear, Productboard.
    ("name", &["Summary", "Title", "Feature name"]),
    ("description", &["Feature description"]),
];
/// Jira's status category (To Do, In Progress, Done) is read before the workflow's own status.
const STATUS: [&str; 2] = ["Status Category", "Status"];
/// Jira's time tracking, in seconds; what remains is what a plan has left to schedule.
const REMAINING_SECONDS: &str = "Remaining Estimate";
const ORIGINAL_SECONDS: &str = "Original Estimate";
/// Estimates in points or a tool's own effort units, best first: Jira (company-managed,
/// team-managed, and as some exports name it), Linear, Productboard.
const POINTS: [&str; 6] = [
    "Custom field (Story Points)",
    "Custom field (Story point estimate)",
    "Story Points",
    "Story point estimate",
    "Estimate",
    "Effort",
];
const TEAM: &str = "Team";
const DUE_DATE: &str = "Due Date";
/// Statuses whose work is finished or dropped (Jira's category Done, Linear's Done, Canceled
/// and Duplicate, Productboard's Released), compared in any case.
const FINISHED: &[&str] = &[
    "done",
    "closed",
    "resolved",
    "released",
    "shipped",
    "complete",
    "completed",
    "canceled",
    "cancelled",
    "duplicate",
    "won't do",
    "wont do",
    "won't fix",
    "rejected",
    "archived",
    "obsolete",
];
/// Columns of Jira, Linear and Productboard exports that carry nothing a plan uses; skipped
/// without a word. (Status, estimates, team and due date have their own handling.)
const TRACKER_COLUMNS: &[&str] = &[
    // Jira
    "Issue Type",
    "Project key",
    "Project name",
    "Project type",
    "Project lead",
    "Project lead id",
    "Project description",
    "Project url",
    "Priority",
    "Resolution",
    "Assignee",
    "Assignee Id",
    "Reporter",
    "Reporter Id",
    "Creator",
    "Creator Id",
    "Created",
    "Updated",
    "Last Viewed",
    "Resolved",
    "Affects Version/s",
    "Affects versions",
    "Fix Version/s",
    "Fix versions",
    "Component/s",
    "Components",
    "Votes",
    "Labels",
    "Environment",
    "Watchers",
    "Watchers Id",
    "Log Work",
    "Time Spent",
    "Work Ratio",
    "Security Level",
    "Attachment",
    "Sprint",
    "Comment",
    "Parent",
    "Parent id",
    "Parent summary",
    "Status Category Changed",
    // Linear
    "Project ID",
    "Project",
    "Cycle Number",
    "Cycle Name",
    "Cycle Start",
    "Cycle End",
    "Started",
    "Triaged",
    "Completed",
    "Canceled",
    "Archived",
    "Parent issue",
    "Initiatives",
    "Project Milestone ID",
    "Project Milestone",
    "SLA Status",
    "UUID",
    "Time in status (minutes)",
    "Related to",
    "Blocked by",
    "Duplicate of",
    // Productboard
    "Owner",
    "Release",
    "Releases",
    "Tags",
    "Product",
];
/// Prefixes of tracker columns that vary per instance: Jira's custom fields, issue links by
/// link type, and its sums over sub-tasks (`Σ Original Estimate`).
const TRACKER_PREFIXES: [&str; 4] = [
    "Custom field (",
    "Inward issue link (",
    "Outward issue link (",
    "Σ ",
];

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
const MORE: [&str; 2] = ["time_criticality", "risk_reduction"];

#[derive(Clone, Copy, PartialEq)]
enum Column<'a> {
    Fixed(&'a str),
    Effort(&'a str),
    EffortLow(&'a str),
    EffortLikely(&'a str),
    EffortHigh(&'a str),
    Uplift(&'a str),
    /// A tracker column read after the row's own columns (status, estimates, team, due date).
    Tracker,
    /// Listed in `ignore_columns`, repeated, a tracker column with nothing for the plan, or
    /// unknown (already reported).
    Ignored,
}

/// What a row's tracker estimate comes to.
enum TrackerEstimate {
    /// The row has none.
    None,
    /// The team already has an effort from the backlog's own columns.
    Overridden,
    /// It cannot be used (no team, no conversion, not a number): reported.
    Unusable,
    /// Person-weeks for a team, with the field path to name it by.
    Weeks(String, f64, String),
}

/// Where a tracker export keeps what the backlog reads from it; found once per file.
#[derive(Default)]
struct TrackerColumns {
    status_category: Option<usize>,
    status: Option<usize>,
    remaining_seconds: Option<usize>,
    original_seconds: Option<usize>,
    points: Option<usize>,
    team: Option<usize>,
    due_date: Option<usize>,
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
    /// Rows left out because the tracker marks them finished, by status as written.
    finished: BTreeMap<String, usize>,
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
    /// Ids of the rows the tracker marks finished, left out of the plan; references to them
    /// count as met.
    pub finished: Vec<String>,
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
            finished: Vec::new(),
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
        self.finished.clear();
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
                [
                    (format!("effort_{t}"), Column::Effort(t.as_str())),
                    (format!("{t}_low"), Column::EffortLow(t.as_str())),
                    (format!("{t}_likely"), Column::EffortLikely(t.as_str())),
                    (format!("{t}_high"), Column::EffortHigh(t.as_str())),
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
            if let Some(f) = FIXED.iter().chain(MORE.iter()).find(|f| is(f, name)) {
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
            } else if ALIASES
                .iter()
                .any(|(_, names)| names.iter().any(|n| is(n, name)))
                || STATUS.iter().chain(&POINTS).any(|n| is(n, name))
                || [REMAINING_SECONDS, ORIGINAL_SECONDS, TEAM, DUE_DATE]
                    .iter()
                    .any(|n| is(n, name))
                || TRACKER_COLUMNS.iter().any(|n| is(n, name))
                || TRACKER_PREFIXES
                    .iter()
                    .any(|p| name.get(..p.len()).is_some_and(|h| is(h, p)))
            {
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
        let all: Vec<&str> = FIXED
            .iter()
            .chain(MORE.iter())
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
                None => format!("effort columns are <team>_low, <team>_likely, <team>_high or effort_<team> for a declared team; uplift columns are uplift_<segment>; to skip a column the plan does not use, add it to [backlog] ignore_columns = [\"{name}\"]"),
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
            let loc = self.at(1);
            self.findings.push(
                Finding::warning(
                    loc,
                    "columns",
                    format!(
                        "{} of this export {} not read: {}{}",
                        match not_read.len() { 1 => "1 column".to_string(), n => format!("{n} columns") },
                        if not_read.len() == 1 { "is" } else { "are" },
                        shown.join(", "),
                        if more > 0 { format!(" and {more} more") } else { String::new() }
                    ),
                )
                .help(format!(
                    "they carry nothing the plan uses; to silence this, list them in [backlog] ignore_columns = [{}]",
                    not_read.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                )),
            );
        }
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

    #[allow(clippy::too_many_arguments)]
    fn read_row(
        &mut self,
        line: usize,
        row: usize,
        columns: &[Column],
        headers: &csv::StringRecord,
        cells: &BTreeMap<usize, &str>,
        tracker: &TrackerColumns,
        teams: &[String],
        team_names: &[String],
    ) -> Option<DraftFeature> {
        let cell = |name: &str| {
            columns
                .iter()
                .position(|c| *c == Column::Fixed(name))
                .and_then(|i| cells.get(&i).copied())
        };
        let Some(id) = cell("id") else {
            self.error(
                line,
                &format!("row {}", row + 1),
                "this row has no id".into(),
                "give every feature a unique id",
            );
            return None;
        };
        if !super::valid_id(id) {
            self.error(
                line,
                &format!("row {} (column `id`)", row + 1),
                format!("`{id}` is not a usable id"),
                "use only letters, digits, '-', '_' and '.', e.g. audit-log",
            );
            return None;
        }
        let status = tracker
            .status_category
            .and_then(|i| cells.get(&i))
            .or_else(|| tracker.status.and_then(|i| cells.get(&i)));
        if let Some(status) = status.filter(|s| FINISHED.iter().any(|f| f.eq_ignore_ascii_case(s)))
        {
            // Until the scenario knows progress, finished work is simply not planned.
            *self.pass.finished.entry(status.to_string()).or_default() += 1;
            self.finished.push(id.to_string());
            return None;
        }
        if tracker.due_date.is_some_and(|i| cells.contains_key(&i)) {
            self.pass.due_dates += 1;
        }
        let path = format!("features[{id}]");
        let loc = self.at(line);
        let mut effort = Vec::new();
        let mut uplift = Vec::new();
        let mut three: BTreeMap<&str, [Option<(f64, String)>; 3]> = BTreeMap::new();
        let mut f = DraftFeature {
            def: Defined {
                id: id.to_string(),
                location: loc.clone(),
                path: path.clone(),
            },
            name: cell("name").unwrap_or(id).to_string(),
            effort: Vec::new(),
            value_monthly: None,
            uplift: Vec::new(),
            ramp_months: 0.0,
            cost: None,
            vendor_lead_weeks: None,
            requires: Vec::new(),
            excludes: Vec::new(),
            mandatory: false,
            deadline: None,
            earliest: None,
            theme: None,
            risks: Vec::new(),
            framework: FrameworkFields::default(),
            effort_written: false,
            value_written: false,
        };
        let mut penalty = None;
        for (&i, &text) in cells {
            let header = &headers[i];
            let column = columns[i];
            // `{path}.{what}{id} (column `{header}`)`, built without the formatting machinery:
            // a large backlog has millions of cells.
            let field_of = |what: &str, id: &str| {
                let mut field =
                    String::with_capacity(path.len() + what.len() + id.len() + header.len() + 13);
                for part in [path.as_str(), ".", what, id, " (column `", header, "`)"] {
                    field.push_str(part);
                }
                field
            };
            match column {
                Column::Effort(_)
                | Column::EffortLow(_)
                | Column::EffortLikely(_)
                | Column::EffortHigh(_) => f.effort_written = true,
                Column::Uplift(_) | Column::Fixed("value") => f.value_written = true,
                Column::Fixed(_) | Column::Tracker | Column::Ignored => {}
            }
            match column {
                Column::Tracker | Column::Ignored => {}
                Column::Effort(team) => {
                    let field = field_of("effort.", team);
                    if let Some(d) = self.estimate(line, &field, text, false) {
                        let input = self.register(format!("{path}.effort.{team}"), d);
                        effort.push((
                            Ref {
                                id: team.to_string(),
                                location: loc.clone(),
                                field,
                            },
                            input,
                        ));
                    }
                }
                Column::EffortLow(team) | Column::EffortLikely(team) | Column::EffortHigh(team) => {
                    let slot = match column {
                        Column::EffortLow(_) => 0,
                        Column::EffortLikely(_) => 1,
                        _ => 2,
                    };
                    let field = field_of("effort.", team);
                    if let Some(v) = self.number(line, &field, text, false) {
                        three.entry(team).or_default()[slot] = Some((v, header.to_string()));
                    }
                }
                Column::Uplift(segment) => {
                    let field = field_of("uplift.", segment);
                    if let Some(d) = self.estimate(line, &field, text, true) {
                        let input = self.register(format!("{path}.uplift.{segment}"), d);
                        uplift.push((
                            Ref {
                                id: segment.to_string(),
                                location: loc.clone(),
                                field,
                            },
                            input,
                        ));
                    }
                }
                // Text that nothing checks: no field path needed.
                Column::Fixed("id" | "name" | "description") => {}
                Column::Fixed(name) => {
                    let field = field_of(name, "");
                    let period = |text: &str| PeriodRef {
                        text: text.to_string(),
                        location: loc.clone(),
                        field: field.clone(),
                    };
                    let ids = |text: &str| -> Vec<Ref> {
                        text.split([';', ' ', ','])
                            .filter(|s| !s.is_empty())
                            .map(|s| Ref {
                                id: s.to_string(),
                                location: loc.clone(),
                                field: field.clone(),
                            })
                            .collect()
                    };
                    match name {
                        "value" | "cost" | "vendor_lead_weeks" => {
                            if let Some(d) = self.estimate(line, &field, text, false) {
                                let input = Some(self.register(format!("{path}.{name}"), d));
                                match name {
                                    "value" => f.value_monthly = input,
                                    "cost" => f.cost = input,
                                    _ => f.vendor_lead_weeks = input,
                                }
                            }
                        }
                        "ramp_months" => {
                            f.ramp_months = self.number(line, &field, text, false).unwrap_or(0.0)
                        }
                        "requires" => f.requires = ids(text).into_iter().map(|r| (r, 0)).collect(),
                        "excludes" => f.excludes = ids(text),
                        "mandatory" => match text.to_ascii_lowercase().as_str() {
                            "yes" | "y" | "true" | "1" | "x" => f.mandatory = true,
                            "no" | "n" | "false" | "0" => {}
                            _ => self.error(
                                line,
                                &field,
                                format!("`{text}` is not yes or no"),
                                "write yes or no (or true/false, 1/0)",
                            ),
                        },
                        "deadline" => f.deadline = Some((period(text), DraftDeadlineKind::Hard)),
                        "deadline_penalty" => penalty = self.number(line, &field, text, false),
                        "earliest" => f.earliest = Some(period(text)),
                        "theme" => {
                            f.theme = Some(Ref {
                                id: text.to_string(),
                                location: loc.clone(),
                                field: field.clone(),
                            })
                        }
                        "moscow" => {
                            f.framework.moscow = Moscow::parse(text);
                            if f.framework.moscow.is_none() {
                                self.error(
                                    line,
                                    &field,
                                    format!("`{text}` is not a MoSCoW category"),
                                    "write must, should, could or wont",
                                );
                            }
                        }
                        "confidence" => {
                            f.framework.confidence = self.number(line, &field, text, true)
                        }
                        other => {
                            let v = self.number(line, &field, text, false);
                            let slot = match other {
                                "reach" => &mut f.framework.reach,
                                "impact" => &mut f.framework.impact,
                                "ease" => &mut f.framework.ease,
                                "business_value" => &mut f.framework.business_value,
                                "time_criticality" => &mut f.framework.time_criticality,
                                _ => &mut f.framework.risk_reduction,
                            };
                            *slot = v;
                        }
                    }
                }
            }
        }
        for (team, [low, likely, high]) in three {
            if effort.iter().any(|(r, _): &(Ref, InputId)| r.id == team) {
                self.error(line, &format!("{path}.effort.{team}"), format!("the effort of team `{team}` is given twice: in `effort_{team}` and in `{team}_low/_likely/_high`"), "keep one of the two forms");
                continue;
            }
            let field = format!(
                "{path}.effort.{team} (columns `{team}_low`, `{team}_likely`, `{team}_high`)"
            );
            let dist = match (low, likely, high) {
                (Some((l, _)), Some((m, _)), Some((h, _))) => match check_three_point(l, m, h) {
                    Ok(()) if l == h => Some(Dist::constant(l)),
                    Ok(()) => Some(Dist::Pert {
                        low: l,
                        likely: m,
                        high: h,
                    }),
                    Err((problem, help)) => {
                        self.error(line, &field, problem, &help);
                        None
                    }
                },
                (None, Some((m, _)), None) => Some(Dist::constant(m)),
                _ => {
                    self.error(
                        line,
                        &field,
                        "an effort needs all three of low, likely and high (or only likely)".into(),
                        "fill the empty cells of this estimate",
                    );
                    None
                }
            };
            if let Some(d) = dist {
                let input = self.register(format!("{path}.effort.{team}"), d);
                effort.push((
                    Ref {
                        id: team.to_string(),
                        location: loc.clone(),
                        field,
                    },
                    input,
                ));
            }
        }
        let estimate = self.tracker_estimate(
            line, &path, cells, headers, tracker, teams, team_names, &effort,
        );
        // An estimate that cannot be used is reported once for the file, not as a missing one.
        f.effort_written |= !matches!(estimate, TrackerEstimate::None);
        if let TrackerEstimate::Weeks(team, weeks, field) = estimate {
            let input = self.register(format!("{path}.effort.{team}"), Dist::constant(weeks));
            effort.push((
                Ref {
                    id: team,
                    location: loc.clone(),
                    field,
                },
                input,
            ));
        }
        if let Some(p) = penalty {
            match f.deadline.as_mut() {
                Some((_, kind)) => {
                    *kind = DraftDeadlineKind::Soft {
                        penalty_per_period: p,
                    }
                }
                None => self.error(
                    line,
                    &format!("{path}.deadline_penalty"),
                    "a deadline penalty without a deadline".into(),
                    "fill the deadline column, or clear the penalty",
                ),
            }
        }
        f.effort = effort;
        f.uplift = uplift;
        Some(f)
    }

    /// A tracker's one-number estimate of a row, in person-weeks, with the team it goes to
    /// and its field path. The backlog's own effort columns win over it.
    #[allow(clippy::too_many_arguments)]
    fn tracker_estimate(
        &mut self,
        line: usize,
        path: &str,
        cells: &BTreeMap<usize, &str>,
        headers: &csv::StringRecord,
        tracker: &TrackerColumns,
        teams: &[String],
        team_names: &[String],
        own: &[(Ref, InputId)],
    ) -> TrackerEstimate {
        let cell = |column: Option<usize>| column.and_then(|i| Some((i, *cells.get(&i)?)));
        // What remains is what is left to plan; Jira fills it with the original estimate
        // until someone logs work.
        let seconds = cell(tracker.remaining_seconds).or_else(|| cell(tracker.original_seconds));
        let points = cell(tracker.points);
        let Some((column, text)) = seconds.or(points) else {
            return TrackerEstimate::None;
        };
        let team = match cell(tracker.team) {
            Some((i, name)) => {
                let found = teams
                    .iter()
                    .zip(team_names)
                    .find(|(id, n)| id.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(name));
                match found {
                    Some((id, _)) => id.clone(),
                    None => {
                        let seen = self
                            .pass
                            .unknown_teams
                            .entry(format!("{}\u{0}{name}", &headers[i]))
                            .or_insert((line, 0));
                        seen.1 += 1;
                        return TrackerEstimate::Unusable;
                    }
                }
            }
            None => match (&self.options.team, teams) {
                // An undeclared team is reported once, at the [backlog] table.
                (Some((t, _)), _) if !teams.contains(t) => return TrackerEstimate::Unusable,
                (Some((t, _)), _) => t.clone(),
                (None, [only]) => only.clone(),
                _ => {
                    tally(&mut self.pass.no_team, line);
                    return TrackerEstimate::Unusable;
                }
            },
        };
        if own.iter().any(|(r, _)| r.id == team) {
            return TrackerEstimate::Overridden;
        }
        let per_week = if seconds.is_some() {
            3600.0 * self.options.hours_per_week
        } else {
            match self.options.points_per_person_week {
                Some(p) => p,
                None => {
                    tally(&mut self.pass.unconverted_points, line);
                    return TrackerEstimate::Unusable;
                }
            }
        };
        let field = format!("{path}.effort.{team} (column `{}`)", &headers[column]);
        match self.number(line, &field, text, false) {
            Some(value) => TrackerEstimate::Weeks(team, value / per_week, field),
            None => TrackerEstimate::Unusable,
        }
    }

    /// The notes and checks that concern the whole file, once its rows are read.
    fn report_pass(
        &mut self,
        headers: &csv::StringRecord,
        tracker: &TrackerColumns,
        teams: &[String],
    ) {
        let header = |i: Option<usize>| i.map_or(String::new(), |i| headers[i].to_string());
        if !self.pass.finished.is_empty() {
            let total: usize = self.pass.finished.values().sum();
            let by_status: Vec<String> = self
                .pass
                .finished
                .iter()
                .map(|(status, n)| format!("{status} ({n})"))
                .collect();
            let column = header(tracker.status_category.or(tracker.status));
            let columns: Vec<String> = [tracker.status_category, tracker.status]
                .into_iter()
                .flatten()
                .map(|i| format!("\"{}\"", &headers[i]))
                .collect();
            let loc = self.at(1);
            self.findings.push(
                Finding::warning(
                    loc,
                    format!("column `{column}`"),
                    format!(
                        "{} left out as finished or dropped: {}",
                        rows(total),
                        by_status.join(", ")
                    ),
                )
                .help(format!("the plan covers the work still to do, and requirements on these rows count as met; to plan them anyway, add [backlog] ignore_columns = [{}]", columns.join(", "))),
            );
        }
        if self.pass.due_dates > 0 {
            let column = header(tracker.due_date);
            let loc = self.at(1);
            self.findings.push(
                Finding::warning(
                    loc,
                    format!("column `{column}`"),
                    format!(
                        "{} a due date, which is not read: a plan's deadlines are periods",
                        match self.pass.due_dates {
                            1 => "1 row has".to_string(),
                            n => format!("{n} rows have"),
                        }
                    ),
                )
                .help("for the dates that bind, add a `deadline` column with the period, e.g. 2027Q3 (see scenarios/README.md)"),
            );
        }
        let (count, first) = self.pass.unconverted_points;
        if count > 0 {
            let column = header(tracker.points);
            self.error(
                first,
                &format!("column `{column}`"),
                format!("{} estimated in `{column}` only, and points are not person-weeks", match count { 1 => "1 row is".to_string(), n => format!("{n} rows are") }),
                "say how many points one person finishes in a week: [backlog] points_per_person_week = 3 (e.g. 5 people finishing 30 points in a 2-week sprint: 30 / 5 / 2 = 3; for an estimate in person-days, 5; in person-weeks, 1)",
            );
        }
        let (count, first) = self.pass.no_team;
        if count > 0 {
            let column = header(
                tracker
                    .remaining_seconds
                    .or(tracker.original_seconds)
                    .or(tracker.points),
            );
            self.error(
                first,
                &format!("column `{column}`"),
                format!("{} an estimate in `{column}` but no team to give it to: the scenario has {} teams", match count { 1 => "1 row has".to_string(), n => format!("{n} rows have") }, teams.len()),
                &format!("add a `Team` column naming each row's team, or give every row one: [backlog] team = \"{}\"", teams.first().map_or("web", String::as_str)),
            );
        }
        if let Some((team, location)) = self.options.team.clone() {
            if !teams.contains(&team) {
                let help = match did_you_mean(&team, teams.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("name a declared team: {}", teams.join(", ")),
                };
                self.findings.push(
                    Finding::error(location, "backlog.team", format!("unknown team `{team}`"))
                        .help(help),
                );
            }
        }
        let unknown = std::mem::take(&mut self.pass.unknown_teams);
        for (key, (line, count)) in unknown {
            let (column, name) = key.split_once('\u{0}').unwrap_or(("", &key));
            let help = match did_you_mean(name, teams.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("write a declared team's id or name ({}), or give the team this name in the TOML file: name = \"{name}\"", teams.join(", ")),
            };
            self.error(
                line,
                &format!("column `{column}`"),
                format!("`{name}` is not a team of the scenario ({})", rows(count)),
                &help,
            );
        }
    }

    /// Cells like `1.500` in a file that never says which decimal mark it uses.
    fn report_ambiguous(&mut self) {
        let mixed = match (&self.pass.first_point, &self.pass.first_comma) {
            (Some((pl, pt)), Some((cl, ct))) => format!(
                "; this file writes decimals both ways (`{pt}` on line {pl}, `{ct}` on line {cl})"
            ),
            _ => String::new(),
        };
        let cells = std::mem::take(&mut self.pass.ambiguous);
        for (line, field, text) in &cells {
            let reading = numbers::read_number(numbers::percentage(text).unwrap_or(text));
            let Reading::Ambiguous { point, comma } = reading else {
                continue;
            };
            let (grouping, decimal) = if text.contains('.') {
                ('.', ',')
            } else {
                (',', '.')
            };
            let (grouped, with_decimal) = if grouping == '.' {
                (comma, point)
            } else {
                (point, comma)
            };
            self.error(
                *line,
                field,
                format!(
                    "`{text}` is {} with `{grouping}` grouping thousands, or {} with a decimal `{grouping}`{mixed}",
                    fmt_num(grouped),
                    fmt_num(with_decimal)
                ),
                &format!("say which the file uses: [backlog] decimal_mark = \"{decimal}\" (then `{text}` is {}) or \"{grouping}\" (then it is {}); or write the number without grouping", fmt_num(grouped), fmt_num(with_decimal)),
            );
        }
        let more = self.pass.ambiguous_count.saturating_sub(cells.len());
        if more > 0 {
            self.error(
                cells.last().map_or(1, |c| c.0),
                "",
                format!(
                    "and {more} more {} that {} two ways",
                    if more == 1 { "number" } else { "numbers" },
                    if more == 1 { "reads" } else { "read" }
                ),
                "declare [backlog] decimal_mark once; it settles them all",
            );
        }
    }

    fn number(&mut self, line: usize, field: &str, text: &str, fraction: bool) -> Option<f64> {
        // Sheets write shares as "80%", the TOML file as "80%" too: one reading for both.
        let (body, scale) = match numbers::percentage(text) {
            Some(number) if fraction => (number, 0.01),
            _ => (text, 1.0),
        };
        let reading = numbers::read_number(body);
        let value = match (reading, self.pass.mark) {
            (Reading::NotANumber, _) => {
                self.error(
                    line,
                    field,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 5 or 2.5, without units",
                );
                return None;
            }
            (reading, Some((mark, source))) => match reading.value(mark) {
                Some(v) => v,
                None => {
                    let why = match source {
                        MarkSource::Declared => "as [backlog] decimal_mark says",
                        MarkSource::CommaSeparated => "as in every comma-separated file",
                        MarkSource::OwnNumbers => "as its other numbers show",
                    };
                    let (other, mut fix) = match mark {
                        DecimalMark::Point => (',', body.replace('.', "").replace(',', ".")),
                        DecimalMark::Comma => ('.', body.replace(',', "").replace('.', ",")),
                    };
                    if scale != 1.0 {
                        fix.push('%');
                    }
                    self.error(
                        line,
                        field,
                        format!(
                            "`{text}` has a decimal `{other}`, but this file's decimal mark is `{}` ({why})",
                            mark.symbol()
                        ),
                        &format!("write {fix}"),
                    );
                    return None;
                }
            },
            (Reading::Ambiguous { point, .. }, None) => {
                // Read as 1.5 for now; `read` reads the file again if it turns out to use
                // decimal commas, and reports it if nothing tells.
                self.pass.ambiguous_count += 1;
                if self.pass.ambiguous.len() < AMBIGUOUS_SHOWN {
                    self.pass
                        .ambiguous
                        .push((line, field.to_string(), text.to_string()));
                }
                point
            }
            (Reading::Point(v), None) => {
                self.pass
                    .first_point
                    .get_or_insert_with(|| (line, text.to_string()));
                v
            }
            (Reading::Comma(v), None) => {
                self.pass
                    .first_comma
                    .get_or_insert_with(|| (line, text.to_string()));
                v
            }
            (Reading::Plain(v), None) => v,
        };
        match value * scale {
            v if v.is_finite() && v >= 0.0 && (!fraction || v <= 1.0) => Some(v),
            v if v.is_finite() => {
                let (what, help) = if fraction {
                    ("must be between 0 and 1", share_help(v, "0.8"))
                } else {
                    (
                        "must not be negative",
                        "use zero or a positive number".to_string(),
                    )
                };
                // A share written as a bare number above 1 may be a percentage without its sign.
                let help = if fraction && (2.0..=100.0).contains(&v) {
                    format!("{help}, or write {}%", fmt_num(v))
                } else {
                    help
                };
                self.error(line, field, format!("{what}, got {}", fmt_num(v)), &help);
                None
            }
            _ => {
                self.error(
                    line,
                    field,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 5 or 2.5, without units",
                );
                None
            }
        }
    }

    /// A constant (`5`) or a three-point estimate (`3/5/9`).
    fn estimate(&mut self, line: usize, field: &str, text: &str, fraction: bool) -> Option<Dist> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.len() {
            1 => self.number(line, field, text, fraction).map(Dist::constant),
            3 => {
                let mut v = [0.0; 3];
                for (slot, part) in v.iter_mut().zip(&parts) {
                    *slot = self.number(line, field, part.trim(), fraction)?;
                }
                match check_three_point(v[0], v[1], v[2]) {
                    Ok(()) if v[0] == v[2] => Some(Dist::constant(v[0])),
                    Ok(()) => Some(Dist::Pert {
                        low: v[0],
                        likely: v[1],
                        high: v[2],
                    }),
                    Err((problem, help)) => {
                        self.error(
                            line,
                            field,
                            problem,
                            &help.replace(['[', ']'], "").replace(", ", "/"),
                        );
                        None
                    }
                }
            }
            n => {
                self.error(
                    line,
                    field,
                    format!("`{text}` has {n} parts"),
                    "write one number (5) or three as low/likely/high (3/5/9)",
                );
                None
            }
        }
    }
}

/// Counts one more row with a problem reported once for the file, keeping the first row's line.
fn tally((count, first): &mut (usize, usize), line: usize) {
    *count += 1;
    if *first == 0 {
        *first = line;
    }
}

/// "1 row", "3 rows".
fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}
