//! One row of the backlog, read into a draft feature.

use super::*;

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
        if self.finished_row(id, cells, tracker) {
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
        let mut f = unlisted_feature(
            Defined {
                id: id.to_string(),
                location: loc.clone(),
                path: path.clone(),
            },
            cell("name").unwrap_or(id).to_string(),
        );
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
                // An effort per team and an uplift per segment are read alike; an uplift is
                // a share.
                Column::Effort(key) | Column::Uplift(key) => {
                    let (what, share, list) = match column {
                        Column::Effort(_) => ("effort.", false, &mut effort),
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
                // Text that nothing checks: no field path needed.
                Column::Fixed("id" | "name" | "description") => {}
                Column::Fixed(name) => {
                    let field = field_of(name, "");
                    self.fixed_cell(line, name, field, text, &loc, &path, &mut f, &mut penalty);
                }
            }
        }
        self.three_point_efforts(line, &path, &loc, three, &mut effort);
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
        self.deadline_penalty(line, &path, &mut f, penalty);
        self.vendor_ready_date(line, &path, &mut f);
        f.effort = effort;
        f.uplift = uplift;
        Some(f)
    }

    /// Whether the tracker marks the row finished; such a row is counted and left out.
    fn finished_row(
        &mut self,
        id: &str,
        cells: &BTreeMap<usize, &str>,
        tracker: &TrackerColumns,
    ) -> bool {
        let status = tracker
            .status_category
            .and_then(|i| cells.get(&i))
            .or_else(|| tracker.status.and_then(|i| cells.get(&i)));
        let Some(status) = status.filter(|s| FINISHED.iter().any(|f| f.eq_ignore_ascii_case(s)))
        else {
            return false;
        };
        // Until the scenario knows progress, finished work is simply not planned.
        *self.pass.finished.entry(status.to_string()).or_default() += 1;
        self.finished.push(id.to_string());
        true
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

    /// Efforts written as three columns `<team>_low`, `<team>_likely`, `<team>_high`, added to
    /// `effort` unless the team already has one from an `effort_<team>` column.
    fn three_point_efforts(
        &mut self,
        line: usize,
        path: &str,
        loc: &Location,
        three: BTreeMap<&str, [Option<(f64, String)>; 3]>,
        effort: &mut Vec<(Ref, InputId)>,
    ) {
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
        excludes: Vec::new(),
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
    }
}
