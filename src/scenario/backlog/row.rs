//! One row of the backlog, read into a draft feature.

use super::*;
use crate::scenario::draft::DraftAnyOf;
use crate::scenario::status::{read_status, StatusWord};

impl BacklogReader<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn read_row(
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
        if !crate::scenario::valid_id(id) {
            self.error(
                line,
                &format!("row {} (column `id`)", row + 1),
                format!("`{id}` is not a usable id"),
                "use only letters, digits, '-', '_' and '.', e.g. audit-log",
            );
            return None;
        }
        // A dropped row is counted and left out.
        let status = self.row_status(line, id, cells, tracker)?;
        if tracker.due_date.is_some_and(|i| cells.contains_key(&i)) {
            self.pass.due_dates += 1;
        }
        let path = format!("features[{id}]");
        let loc = self.at(line);
        // Whole efforts and remaining work, each by team.
        let mut work: [Vec<(Ref, InputId)>; 2] = [Vec::new(), Vec::new()];
        let mut uplift = Vec::new();
        let mut three: BTreeMap<(Work, &str), [Option<f64>; 3]> = BTreeMap::new();
        let mut f = unlisted_feature(
            Defined {
                id: id.to_string(),
                location: loc.clone(),
                path: path.clone(),
            },
            cell("name").unwrap_or(id).to_string(),
        );
        f.status = status;
        let mut penalty = None;
        let mut recurring = RecurringCells::default();
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
                Column::Effort(..) | Column::EffortPart(..) => f.effort_written = true,
                Column::Uplift(_) | Column::Fixed("value") => f.value_written = true,
                Column::Fixed(_) | Column::Tracker | Column::Ignored => {}
            }
            match column {
                Column::Tracker | Column::Ignored => {}
                // An effort per team and an uplift per segment are read alike; an uplift is
                // a share.
                Column::Effort(_, key) | Column::Uplift(key) => {
                    let (what, share, list) = match column {
                        Column::Effort(Work::Whole, _) => ("effort.", false, &mut work[0]),
                        Column::Effort(Work::Remaining, _) => ("remaining.", false, &mut work[1]),
                        _ => ("uplift.", true, &mut uplift),
                    };
                    let field = field_of(what, key);
                    if let Some(d) = self.estimate(line, &field, text, share) {
                        let input = self.register(format!("{path}.{what}{key}"), d);
                        list.push((
                            Ref {
                                id: key.to_string(),
                                location: loc.clone(),
                                field,
                            },
                            input,
                        ));
                    }
                }
                Column::EffortPart(kind, team, slot) => {
                    let field = field_of(kind.field(), team);
                    if let Some(v) = self.number(line, &field, text, false) {
                        three.entry((kind, team)).or_default()[slot] = Some(v);
                    }
                }
                // Text that nothing checks: no field path needed; the status is read above.
                Column::Fixed("id" | "name" | "description" | "status") => {}
                Column::Fixed(name) if RECURRING_COLUMNS.contains(&name) => {
                    self.recurring_cell(line, name, header, text, &path, &mut recurring);
                }
                Column::Fixed(name) => {
                    let field = field_of(name, "");
                    self.fixed_cell(line, name, field, text, &loc, &path, &mut f, &mut penalty);
                }
            }
        }
        self.three_point_efforts(line, &path, &loc, three, &mut work);
        let [mut effort, remaining] = work;
        let mut remaining = (!remaining.is_empty()).then_some(remaining);
        // A done row's tracker estimate is work already spent: nothing to read.
        if status != Status::Done {
            let row = RowCells {
                line,
                path: &path,
                cells,
                headers,
                tracker,
                teams,
                team_names,
            };
            self.tracker_work(row, &mut f, &mut effort, &mut remaining);
        }
        self.check_remaining(line, &path, &f, !effort.is_empty(), &remaining);
        self.deadline_penalty(line, &path, &mut f, penalty);
        f.recurring_cost = self.recurring_cost(line, &path, recurring);
        self.vendor_ready_date(line, &path, &mut f);
        f.effort = effort;
        f.uplift = uplift;
        f.remaining = remaining;
        Some(f)
    }

    /// The row's status; `None` for a row the tracker marks dropped, which is counted and left
    /// out. A status nobody knows is counted, and the row is planned as not started.
    fn row_status(
        &mut self,
        line: usize,
        id: &str,
        cells: &BTreeMap<usize, &str>,
        tracker: &TrackerColumns,
    ) -> Option<Status> {
        let Some(text) = tracker
            .status_category
            .and_then(|i| cells.get(&i))
            .or_else(|| tracker.status.and_then(|i| cells.get(&i)))
        else {
            return Some(Status::NotStarted);
        };
        match read_status(text) {
            StatusWord::Status(s) => Some(s),
            StatusWord::Dropped => {
                *self.pass.dropped.entry(text.to_string()).or_default() += 1;
                self.dropped.push(id.to_string());
                None
            }
            StatusWord::Unknown => {
                self.pass
                    .unknown_statuses
                    .entry(text.to_string())
                    .or_insert((line, 0))
                    .1 += 1;
                Some(Status::NotStarted)
            }
        }
    }

    /// The tracker's one-number estimate, as the row's effort or, for work in progress when
    /// it is the tracker's remaining estimate, as what remains.
    fn tracker_work(
        &mut self,
        row: RowCells,
        f: &mut DraftFeature,
        effort: &mut Vec<(Ref, InputId)>,
        remaining: &mut Option<Vec<(Ref, InputId)>>,
    ) {
        let (line, path, cells, tracker) = (row.line, row.path, row.cells, row.tracker);
        let in_progress = f.status == Status::InProgress;
        // Jira's remaining estimate of work in progress is what remains; the row's own
        // columns for the same estimate win over it.
        let own: &[(Ref, InputId)] = if in_progress && tracker.remaining_in(cells) {
            remaining.as_deref().unwrap_or(&[])
        } else {
            effort
        };
        let estimate = self.tracker_estimate(row, own, in_progress);
        // An estimate that cannot be used is reported once for the file, not as a missing one.
        f.effort_written |= !matches!(estimate, TrackerEstimate::None);
        if let TrackerEstimate::Weeks {
            team,
            weeks,
            field,
            remaining: left,
        } = estimate
        {
            let work = if left { Work::Remaining } else { Work::Whole };
            let input = self.register(
                format!("{path}.{}.{team}", work.field()),
                Dist::constant(weeks),
            );
            let estimate = (
                Ref {
                    id: team,
                    location: self.at(line),
                    field,
                },
                input,
            );
            match work {
                Work::Remaining => remaining.get_or_insert_with(Vec::new).push(estimate),
                Work::Whole => effort.push(estimate),
            }
        }
    }

    /// Remaining work belongs to a row in progress; a row in progress without it is planned with
    /// its whole estimate, as a tracker that does not track what remains exports it (counted
    /// once for the file).
    fn check_remaining(
        &mut self,
        line: usize,
        path: &str,
        f: &DraftFeature,
        has_effort: bool,
        remaining: &Option<Vec<(Ref, InputId)>>,
    ) {
        // Named by the first remaining cell, with its column.
        let field = remaining
            .as_ref()
            .and_then(|r| r.first())
            .map_or_else(|| format!("{path}.remaining"), |(r, _)| r.field.clone());
        match (f.status, remaining) {
            (Status::NotStarted, Some(_)) => self.error(
                line,
                &field,
                "remaining work is the work left on a feature in progress, and this row is not started".into(),
                "set the row's status to in progress; or, for work not started, move the estimate to the effort columns (effort_<team>, or <team>_low, _likely, _high)",
            ),
            (Status::Done, Some(_)) => self.error(
                line,
                &field,
                "a done feature has no remaining work".into(),
                "clear the remaining cells; or, if work is left, set the row's status to in progress",
            ),
            (Status::InProgress, None) if has_effort => {
                tally(&mut self.pass.in_progress_whole, line)
            }
            _ => {}
        }
    }

    /// A cell of one of the backlog's own columns other than efforts and uplifts.
    #[allow(clippy::too_many_arguments)]
    fn fixed_cell(
        &mut self,
        line: usize,
        name: &str,
        field: String,
        text: &str,
        loc: &Location,
        path: &str,
        f: &mut DraftFeature,
        penalty: &mut Option<f64>,
    ) {
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
            "ramp_months" => f.ramp_months = self.number(line, &field, text, false).unwrap_or(0.0),
            "requires" => {
                let (plain, groups) = requires_cell(text, loc, &field);
                f.requires = plain.into_iter().map(|r| (r, 0)).collect();
                f.requires_any = groups;
            }
            "excludes" => f.excludes = ids(text),
            // Stages in order, split by `>`; the teams of one stage by the id separators or `+`.
            "stages" => {
                f.stages = text
                    .split('>')
                    .map(|stage| ids(&stage.replace('+', " ")))
                    .filter(|stage| !stage.is_empty())
                    .collect()
            }
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
            "deadline_limit" => f.deadline_limit = Some(period(text)),
            "vendor_ready" => {
                let delay_weeks = f.vendor_ready.take().and_then(|v| v.delay_weeks);
                f.vendor_ready = Some(DraftVendorReady {
                    date: period(text),
                    delay_weeks,
                });
            }
            "vendor_ready_delay_weeks" => {
                if let Some(d) = self.estimate(line, &field, text, false) {
                    let input = self.register(format!("{path}.vendor_ready.delay_weeks"), d);
                    match f.vendor_ready.as_mut() {
                        Some(v) => v.delay_weeks = Some(input),
                        // The date may come in a later column; the pair is checked at the row's end.
                        None => {
                            f.vendor_ready = Some(DraftVendorReady {
                                date: period(""),
                                delay_weeks: Some(input),
                            })
                        }
                    }
                }
            }
            "deadline_penalty" => *penalty = self.number(line, &field, text, false),
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
            "confidence" => f.framework.confidence = self.number(line, &field, text, true),
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

    /// Efforts written as three columns `<team>_low`, `<team>_likely`, `<team>_high` (remaining
    /// work: `<team>_remaining_low`, ...), added to `work` unless the team already has one from
    /// an `effort_<team>` (`remaining_<team>`) column.
    fn three_point_efforts(
        &mut self,
        line: usize,
        path: &str,
        loc: &Location,
        three: BTreeMap<(Work, &str), [Option<f64>; 3]>,
        work: &mut [Vec<(Ref, InputId)>; 2],
    ) {
        for ((kind, team), [low, likely, high]) in three {
            let (what, prefix, infix) = match kind {
                Work::Whole => ("effort", "effort", ""),
                Work::Remaining => ("remaining", "remaining", "_remaining"),
            };
            let list = &mut work[kind as usize];
            if list.iter().any(|(r, _): &(Ref, InputId)| r.id == team) {
                self.error(line, &format!("{path}.{what}.{team}"), format!("the {what} of team `{team}` is given twice: in `{prefix}_{team}` and in `{team}{infix}_low/_likely/_high`"), "keep one of the two forms");
                continue;
            }
            let field = format!(
                "{path}.{what}.{team} (columns `{team}{infix}_low`, `{team}{infix}_likely`, `{team}{infix}_high`)"
            );
            let dist = match (low, likely, high) {
                (Some(l), Some(m), Some(h)) => match check_three_point(l, m, h) {
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
                (None, Some(m), None) => Some(Dist::constant(m)),
                _ => {
                    self.error(
                        line,
                        &field,
                        format!(
                            "{} needs all three of low, likely and high (or only likely)",
                            if kind == Work::Whole {
                                "an effort"
                            } else {
                                "a remaining estimate"
                            }
                        ),
                        "fill the empty cells of this estimate",
                    );
                    None
                }
            };
            if let Some(d) = dist {
                let input = self.register(format!("{path}.{what}.{team}"), d);
                work[kind as usize].push((
                    Ref {
                        id: team.to_string(),
                        location: loc.clone(),
                        field,
                    },
                    input,
                ));
            }
        }
    }

    /// A `deadline_penalty` cell makes the row's deadline soft; without a deadline it is an error.
    fn deadline_penalty(
        &mut self,
        line: usize,
        path: &str,
        f: &mut DraftFeature,
        penalty: Option<f64>,
    ) {
        let Some(p) = penalty else {
            return;
        };
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

    /// A `vendor_ready_delay_weeks` cell needs a `vendor_ready` date to count from.
    fn vendor_ready_date(&mut self, line: usize, path: &str, f: &mut DraftFeature) {
        if f.vendor_ready
            .as_ref()
            .is_some_and(|v| v.date.text.is_empty())
        {
            f.vendor_ready = None;
            self.error(
                line,
                &format!("{path}.vendor_ready_delay_weeks"),
                "a vendor delay without a vendor_ready date".into(),
                "fill the vendor_ready column with the contract's date (YYYY-MM-DD), or clear the delay",
            );
        }
    }
}

/// A feature with nothing but its id and name: the row's cells fill in the rest.
fn unlisted_feature(def: Defined, name: String) -> DraftFeature {
    DraftFeature {
        def,
        name,
        effort: Vec::new(),
        value_monthly: None,
        uplift: Vec::new(),
        ramp_months: 0.0,
        cost: None,
        vendor_lead_weeks: None,
        requires: Vec::new(),
        requires_any: Vec::new(),
        excludes: Vec::new(),
        stages: Vec::new(),
        mandatory: false,
        deadline: None,
        deadline_limit: None,
        earliest: None,
        theme: None,
        risks: Vec::new(),
        framework: FrameworkFields::default(),
        vendor_ready: None,
        effort_written: false,
        value_written: false,
        status: Status::NotStarted,
        remaining: None,
        recurring_cost: None,
    }
}

/// A requires cell: ids separated by `;`, spaces or commas, where `a|b` (spaces around `|`
/// allowed) is a group any one of which will do. Ids never hold `|`, so it cannot clash with
/// one.
fn requires_cell(text: &str, loc: &Location, field: &str) -> (Vec<Ref>, Vec<DraftAnyOf>) {
    let mut joined = String::with_capacity(text.len());
    for (k, part) in text.split('|').enumerate() {
        if k == 0 {
            joined.push_str(part);
        } else {
            joined.truncate(joined.trim_end().len());
            joined.push('|');
            joined.push_str(part.trim_start());
        }
    }
    let reference = |id: &str| Ref {
        id: id.to_string(),
        location: loc.clone(),
        field: field.to_string(),
    };
    let mut plain = Vec::new();
    let mut groups = Vec::new();
    for token in joined.split([';', ' ', ',']).filter(|s| !s.is_empty()) {
        if token.contains('|') {
            groups.push(DraftAnyOf {
                features: token
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(reference)
                    .collect(),
                lag: 0,
                location: loc.clone(),
                field: field.to_string(),
            });
        } else {
            plain.push(reference(token));
        }
    }
    (plain, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requires_cell_holds_ids_and_groups_of_alternatives() {
        let loc = Location {
            file: "b.csv".into(),
            line: 3,
            column: 0,
        };
        let ids = |refs: &[Ref]| refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        let (plain, groups) =
            requires_cell("sso; catalog-build | catalog-buy,api a|b|c", &loc, "f");
        assert_eq!(ids(&plain), ["sso", "api"]);
        assert_eq!(groups.len(), 2);
        assert_eq!(ids(&groups[0].features), ["catalog-build", "catalog-buy"]);
        assert_eq!(ids(&groups[1].features), ["a", "b", "c"]);
        assert_eq!(groups[0].lag, 0);
        // A bar with one side empty is a group of one, which validation refuses.
        let (plain, groups) = requires_cell("|b", &loc, "f");
        assert!(plain.is_empty());
        assert_eq!(ids(&groups[0].features), ["b"]);
    }
}
