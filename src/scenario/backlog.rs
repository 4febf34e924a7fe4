//! Reads features from a backlog CSV: one feature a row, as exported from a tracker or a sheet.
//!
//! Cells holding numbers accept a constant (`5`) or a three-point estimate (`3/5/9`, PERT);
//! efforts may also come as three columns `<team>_low`, `<team>_likely`, `<team>_high`.

use super::draft::{Defined, DraftDeadlineKind, DraftFeature, PeriodRef, Ref};
use super::finding::{did_you_mean, Finding, Findings, Location};
use super::reader::check_three_point;
use crate::model::dist::fmt_num;
use crate::model::{Dist, FrameworkFields, Input, InputId, Moscow};
use std::collections::BTreeMap;

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
    /// Listed in `ignore_columns`, repeated, or unknown (already reported).
    Ignored,
}

pub struct BacklogReader<'a> {
    pub display: String,
    pub findings: &'a mut Findings,
    pub inputs: &'a mut Vec<Input>,
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

    /// Reads every row; `teams` and `segments` are the ids the scenario declares.
    pub fn read(
        &mut self,
        text: &str,
        teams: &[String],
        segments: &[String],
        ignore: &[String],
    ) -> Vec<DraftFeature> {
        // Spreadsheets in many locales export with ';' or tabs; the header row tells which.
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
            .unwrap_or(b',');
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
        let mut columns: Vec<Column> = Vec::new();
        for (i, name) in headers.iter().enumerate() {
            // Tools capitalise headers ("ID", "Name"); column names match whatever the case.
            let column = if ignore.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                Column::Ignored
            } else if let Some(f) = FIXED
                .iter()
                .chain(MORE.iter())
                .find(|f| f.eq_ignore_ascii_case(name))
            {
                Column::Fixed(f)
            } else if let Some((_, c)) = suffixed.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                *c
            } else {
                let all: Vec<&str> = FIXED
                    .iter()
                    .chain(MORE.iter())
                    .copied()
                    .chain(suffixed.iter().map(|(n, _)| n.as_str()))
                    .collect();
                let help = match did_you_mean(name, all.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("effort columns are <team>_low, <team>_likely, <team>_high or effort_<team> for a declared team; uplift columns are uplift_<segment>; to skip a tracker column, add it to [backlog] ignore_columns = [\"{name}\"]"),
                };
                self.error(
                    1,
                    &format!("column `{name}`"),
                    format!("unknown column `{name}`"),
                    &help,
                );
                // The rest of the file is still read, so its features are known to the checks that follow.
                Column::Ignored
            };
            if column != Column::Ignored && columns.contains(&column) {
                let first = headers
                    .iter()
                    .take(i)
                    .position(|h| h.eq_ignore_ascii_case(name))
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
        if !headers.iter().any(|h| h.eq_ignore_ascii_case("id")) {
            self.error(
                1,
                "column `id`",
                "the backlog has no `id` column".into(),
                "add an id column: each feature needs a unique id",
            );
            return Vec::new();
        }
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
            if let Some(f) = self.read_row(line, row, &columns, &headers, &cells) {
                features.push(f);
            }
        }
        features
    }

    fn read_row(
        &mut self,
        line: usize,
        row: usize,
        columns: &[Column],
        headers: &csv::StringRecord,
        cells: &BTreeMap<usize, &str>,
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
                Column::Fixed(_) | Column::Ignored => {}
            }
            match column {
                Column::Ignored => {}
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

    fn number(&mut self, line: usize, field: &str, text: &str, fraction: bool) -> Option<f64> {
        let cleaned = text.replace(['_', ' '], "");
        // Sheets write shares as "80%" and amounts as "6,000"; both are unambiguous.
        let (cleaned, scale) = match cleaned.strip_suffix('%') {
            Some(number) if fraction => (number.to_string(), 0.01),
            _ => (cleaned, 1.0),
        };
        let cleaned = if is_grouped_thousands(&cleaned) {
            cleaned.replace(',', "")
        } else {
            cleaned
        };
        match cleaned.parse::<f64>().map(|v| v * scale) {
            Ok(v) if v.is_finite() && v >= 0.0 && (!fraction || v <= 1.0) => Some(v),
            Ok(v) if v.is_finite() => {
                let (what, help) = if fraction {
                    (
                        "must be between 0 and 1",
                        "write a share as a fraction, e.g. 0.8",
                    )
                } else {
                    ("must not be negative", "use zero or a positive number")
                };
                self.error(line, field, format!("{what}, got {}", fmt_num(v)), help);
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

/// "6,000" or "1,250,000.50": commas every three digits, so they cannot be decimal commas.
fn is_grouped_thousands(text: &str) -> bool {
    // Most numbers have no comma: no need to split them.
    if !text.contains(',') {
        return false;
    }
    let whole = text.split('.').next().unwrap_or_default();
    let groups: Vec<&str> = whole.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
}
