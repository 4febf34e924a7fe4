//! The notes and checks that concern the whole file once its rows are read: the decimal
//! mark, ambiguous numbers, dropped rows and statuses, tracker estimates that could not be used.

use super::*;

impl BacklogReader<'_> {
    /// The notes and checks that concern the whole file, once its rows are read.
    pub(super) fn report_pass(
        &mut self,
        headers: &csv::StringRecord,
        tracker: &TrackerColumns,
        teams: &[String],
    ) {
        let header = |i: Option<usize>| i.map_or(String::new(), |i| headers[i].to_string());
        self.report_statuses(
            &header(tracker.status_category.or(tracker.status)),
            tracker,
            headers,
        );
        if self.pass.due_dates > 0 {
            let column = header(tracker.due_date);
            self.warning(
                1,
                &format!("column `{column}`"),
                format!(
                    "{} a due date, which is not read: a tracker's due date is seldom a commitment",
                    match self.pass.due_dates {
                        1 => "1 row has".to_string(),
                        n => format!("{n} rows have"),
                    }
                ),
                "for the dates that bind, add a `deadline` column with the date or the period, e.g. 2027-09-30 or 2027Q3 (see scenarios/README.md)",
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

    /// Rows left out as dropped, statuses nobody knows, and work in progress with no remaining
    /// estimate: each noted once for the file.
    fn report_statuses(
        &mut self,
        column: &str,
        tracker: &TrackerColumns,
        headers: &csv::StringRecord,
    ) {
        if !self.pass.dropped.is_empty() {
            let total: usize = self.pass.dropped.values().sum();
            let by_status: Vec<String> = self
                .pass
                .dropped
                .iter()
                .map(|(status, n)| format!("{status} ({n})"))
                .collect();
            let columns: Vec<String> = [tracker.status_category, tracker.status]
                .into_iter()
                .flatten()
                .map(|i| format!("\"{}\"", &headers[i]))
                .collect();
            self.warning(
                1,
                &format!("column `{column}`"),
                format!(
                    "{} left out as dropped: {}",
                    rows(total),
                    by_status.join(", ")
                ),
                &format!("work given up is in no plan, and nothing that requires these rows waits for them; to plan them anyway, add [backlog] ignore_columns = [{}]", columns.join(", ")),
            );
        }
        let unknown = std::mem::take(&mut self.pass.unknown_statuses);
        if let Some((_, &(first, _))) = unknown.iter().min_by_key(|(_, (line, _))| *line) {
            let total: usize = unknown.values().map(|(_, n)| n).sum();
            let listed: Vec<String> = unknown
                .iter()
                .map(|(status, (_, n))| format!("`{status}` ({n})"))
                .collect();
            let close = unknown
                .keys()
                .find(|s| did_you_mean(&s.to_ascii_lowercase(), Status::NAMES).is_some());
            let help = match close {
                Some(s) => crate::scenario::status::status_help(s),
                None => "a status is not-started, in-progress or done (trackers' To Do, In Progress and Done also read); a tracker's Status Category column, when exported, says which".to_string(),
            };
            self.warning(
                first,
                &format!("column `{column}`"),
                format!(
                    "{} a status the plan does not know, planned as not started: {}",
                    match total {
                        1 => "1 row has".to_string(),
                        n => format!("{n} rows have"),
                    },
                    listed.join(", ")
                ),
                &help,
            );
        }
        let (count, first) = self.pass.in_progress_whole;
        if count > 0 {
            self.warning(
                first,
                &format!("column `{column}`"),
                format!(
                    "{} in progress with no remaining estimate, so planned with the whole estimate, counting work already spent again",
                    match count {
                        1 => "1 row is".to_string(),
                        n => format!("{n} rows are"),
                    }
                ),
                "add what remains per team: a `remaining_<team>` column (or `<team>_remaining_low`, `_likely`, `_high`)",
            );
        }
    }

    /// Cells like `1.500` in a file that never says which decimal mark it uses.
    pub(super) fn report_ambiguous(&mut self) {
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
}
