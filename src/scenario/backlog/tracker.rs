//! Tracker exports (Jira, Linear, Productboard) read as exported: the headers that mean the
//! backlog's own columns, the columns skipped, and a row's status and one-number estimate.

use super::*;

/// Tracker headers that mean one of the backlog's own columns, best first: when an export
/// has two of them (Jira's `Issue key` and `Issue id`), the first is read and the other skipped.
pub(super) const ALIASES: [(&str, &[&str]); 3] = [
    // Jira's key (PAY-12), Productboard's feature id, Jira's numeric id; Linear's `ID` is `id`.
    ("id", &["Issue key", "Feature ID", "Issue id"]),
    // Jira, Linear, Productboard.
    ("name", &["Summary", "Title", "Feature name"]),
    ("description", &["Feature description"]),
];
/// Jira's status category (To Do, In Progress, Done) is read before the workflow's own status.
pub(super) const STATUS: [&str; 2] = ["Status Category", "Status"];
/// Jira's time tracking, in seconds; what remains is what a plan has left to schedule.
pub(super) const REMAINING_SECONDS: &str = "Remaining Estimate";
pub(super) const ORIGINAL_SECONDS: &str = "Original Estimate";
/// Estimates in points or a tool's own effort units, best first: Jira (company-managed,
/// team-managed, and as some exports name it), Linear, Productboard.
pub(super) const POINTS: [&str; 6] = [
    "Custom field (Story Points)",
    "Custom field (Story point estimate)",
    "Story Points",
    "Story point estimate",
    "Estimate",
    "Effort",
];
pub(super) const TEAM: &str = "Team";
pub(super) const DUE_DATE: &str = "Due Date";
/// Columns of Jira, Linear and Productboard exports that carry nothing a plan uses; skipped
/// without a word. (Status, estimates, team and due date have their own handling.)
pub(super) const TRACKER_COLUMNS: &[&str] = &[
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
pub(super) const TRACKER_PREFIXES: [&str; 4] = [
    "Custom field (",
    "Inward issue link (",
    "Outward issue link (",
    "Σ ",
];

/// What a row's tracker estimate comes to.
pub(super) enum TrackerEstimate {
    /// The row has none.
    None,
    /// The team already has an effort from the backlog's own columns.
    Overridden,
    /// It cannot be used (no team, no conversion, not a number): reported.
    Unusable,
    /// Person-weeks for a team, with the field path to name it by; `remaining` when it is
    /// what remains of work in progress.
    Weeks {
        team: String,
        weeks: f64,
        field: String,
        remaining: bool,
    },
}

/// Where a tracker export keeps what the backlog reads from it; found once per file.
#[derive(Default)]
pub(super) struct TrackerColumns {
    pub(super) status_category: Option<usize>,
    pub(super) status: Option<usize>,
    pub(super) remaining_seconds: Option<usize>,
    pub(super) original_seconds: Option<usize>,
    pub(super) points: Option<usize>,
    pub(super) team: Option<usize>,
    pub(super) due_date: Option<usize>,
}

impl TrackerColumns {
    /// Whether the row has a cell in the tracker's remaining-estimate column.
    pub(super) fn remaining_in(&self, cells: &BTreeMap<usize, &str>) -> bool {
        self.remaining_seconds
            .is_some_and(|i| cells.contains_key(&i))
    }
}

/// One backlog row as the tracker columns read it: its line and field path, its filled cells,
/// the header, the tracker's columns and the scenario's teams (ids and names).
#[derive(Clone, Copy)]
pub(super) struct RowCells<'a> {
    pub line: usize,
    pub path: &'a str,
    pub cells: &'a BTreeMap<usize, &'a str>,
    pub headers: &'a csv::StringRecord,
    pub tracker: &'a TrackerColumns,
    pub teams: &'a [String],
    pub team_names: &'a [String],
}

impl BacklogReader<'_> {
    /// A tracker's one-number estimate of a row, in person-weeks, with the team it goes to
    /// and its field path. The backlog's own columns for the same estimate (`own`) win over
    /// it. Of a row `in_progress`, the tracker's remaining estimate is what remains.
    pub(super) fn tracker_estimate(
        &mut self,
        row: RowCells,
        own: &[(Ref, InputId)],
        in_progress: bool,
    ) -> TrackerEstimate {
        let RowCells {
            line,
            path,
            cells,
            headers,
            tracker,
            teams,
            team_names,
        } = row;
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
        let remaining = in_progress && tracker.remaining_seconds == Some(column);
        let what = if remaining { "remaining" } else { "effort" };
        let field = format!("{path}.{what}.{team} (column `{}`)", &headers[column]);
        match self.number(line, &field, text, false) {
            Some(value) => TrackerEstimate::Weeks {
                team,
                weeks: value / per_week,
                field,
                remaining,
            },
            None => TrackerEstimate::Unusable,
        }
    }
}

/// Whether a header is one a tracker export carries, read or not: the plan may have no use
/// for it, or it is a second of one the backlog reads.
pub(super) fn is_tracker_header(name: &str) -> bool {
    ALIASES
        .iter()
        .any(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        || STATUS
            .iter()
            .chain(&POINTS)
            .any(|n| n.eq_ignore_ascii_case(name))
        || [REMAINING_SECONDS, ORIGINAL_SECONDS, TEAM, DUE_DATE]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
        || TRACKER_COLUMNS.iter().any(|n| n.eq_ignore_ascii_case(name))
        || TRACKER_PREFIXES.iter().any(|p| {
            name.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        })
}

/// Counts one more row with a problem reported once for the file, keeping the first row's line.
pub(super) fn tally((count, first): &mut (usize, usize), line: usize) {
    *count += 1;
    if *first == 0 {
        *first = line;
    }
}
