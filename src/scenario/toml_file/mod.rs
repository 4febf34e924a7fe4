//! Reads a scenario TOML file into a draft, reporting every problem it meets.

mod costs;
mod features;
mod sections;
mod staffing;

use costs::*;
use features::*;
use sections::*;
use staffing::*;

use super::backlog::BacklogOptions;
use super::draft::*;
use super::finding::Finding;
use super::numbers::DecimalMark;
use super::reader::{join, Domain, Node, Reader};
use crate::model::calendar::{Date, DateText};
use crate::model::dist::fmt_num;
use crate::model::{Dist, FrameworkFields, Moscow, SimulationSettings, TimeFrame};
use std::path::PathBuf;
use toml::de::{DeTable, DeValue};

const TOP: [&str; 13] = [
    "plan",
    "simulation",
    "teams",
    "extra_capacity",
    "pools",
    "segments",
    "themes",
    "features",
    "risks",
    "deals",
    "correlations",
    "backlog",
    "calibration",
];
const PLAN: [&str; 11] = [
    "name",
    "commit_confidence",
    "periods",
    "period_weeks",
    "start",
    "start_date",
    "horizon_months",
    "discount_rate",
    "currency",
    "budget",
    "budget_per_period",
];
const TEAM: [&str; 6] = [
    "id",
    "name",
    "capacity",
    "capacity_factor",
    "cost_per_week",
    "cost_kind",
];
const EXTRA_CAPACITY: [&str; 10] = [
    "id",
    "name",
    "team",
    "kind",
    "people",
    "cost_per_week",
    "capacity_per_person",
    "lead_weeks",
    "ramp_weeks",
    "description",
];
const POOL: [&str; 8] = [
    "id",
    "name",
    "teams",
    "people",
    "cost_per_week",
    "capacity_per_person",
    "capacity_factor",
    "description",
];
const SEGMENT: [&str; 7] = [
    "id",
    "name",
    "demand",
    "new_customers",
    "retention",
    "growth",
    "price",
];
const THEME: [&str; 4] = ["id", "name", "min_share", "max_share"];
pub const FEATURE: [&str; 29] = [
    "id",
    "name",
    "description",
    "status",
    "effort",
    "remaining",
    "value",
    "uplift",
    "ramp_months",
    "cost",
    "vendor_lead_weeks",
    "vendor_ready",
    "requires",
    "excludes",
    "stages",
    "mandatory",
    "deadline",
    "earliest",
    "theme",
    "risks",
    "reach",
    "impact",
    "confidence",
    "ease",
    "moscow",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "recurring_cost",
];
const RISK: [&str; 9] = [
    "name",
    "event",
    "probability",
    "effort",
    "delay_weeks",
    "delay_periods",
    "cost",
    "value_loss",
    "description",
];
const COMMON_RISK: [&str; 5] = ["id", "name", "probability", "description", "features"];
const DEAL: [&str; 11] = [
    "id",
    "name",
    "customer",
    "features",
    "one_off",
    "monthly",
    "by",
    "need",
    "late_penalty",
    "expires",
    "milestones",
];
const MILESTONE: [&str; 5] = ["name", "features", "one_off", "monthly", "by"];
const CORRELATION: [&str; 2] = ["inputs", "rho"];
const BACKLOG: [&str; 6] = [
    "file",
    "ignore_columns",
    "decimal_mark",
    "team",
    "hours_per_week",
    "points_per_person_week",
];

/// Reads the whole document; parse errors of the TOML syntax itself stop here.
pub fn read(reader: &mut Reader, base_dir: &std::path::Path) -> DraftScenario {
    let text = reader.source.text.clone();
    let doc = match DeTable::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let loc = reader.source.location(offset);
            let message = e.message().trim().to_string();
            reader.findings.push(
                Finding::error(loc, "", format!("this is not valid TOML: {message}"))
                    .help("check quotes, brackets and commas on this line; see scenarios/README.md for the format"),
            );
            return DraftScenario::default();
        }
    };
    let root = doc.get_ref();
    reader.check_keys(root, "", &TOP);
    let mut draft = DraftScenario {
        currency: "USD".into(),
        ..DraftScenario::default()
    };
    match root.get("plan") {
        Some(node) => read_plan(reader, node, &mut draft),
        None => {
            let loc = reader.source.location(0);
            reader.findings.push(
                Finding::error(loc, "plan", "missing the [plan] table")
                    .help("add [plan] with at least `periods`, e.g.\n  [plan]\n  periods = 4\n  period_weeks = 13\n  start = \"2027Q1\""),
            );
        }
    }
    if let Some(node) = root.get("simulation") {
        draft.simulation = read_simulation(reader, node);
    }
    let time = draft.time.clone();
    draft.teams = read_all(reader, root, "teams", |r, n, i| {
        read_team(r, n, i, time.as_ref())
    });
    draft.extra_capacity = read_all(reader, root, "extra_capacity", read_extra_capacity);
    draft.pools = read_all(reader, root, "pools", read_pool);
    draft.segments = read_all(reader, root, "segments", |r, n, i| {
        read_segment(r, n, i, time.as_ref())
    });
    draft.themes = read_all(reader, root, "themes", read_theme);
    draft.features = read_all(reader, root, "features", read_feature);
    draft.deals = read_all(reader, root, "deals", read_deal);
    draft.common_risks = read_all(reader, root, "risks", read_common_risk);
    draft.correlations = read_all(reader, root, "correlations", read_correlation);
    if let Some(node) = root.get("backlog") {
        draft.backlog = read_backlog(reader, node, base_dir);
    }
    if let Some(node) = root.get("calibration") {
        draft.calibration = super::calibration::read(reader, node);
    }
    draft
}

fn read_backlog(
    reader: &mut Reader,
    node: &Node,
    base_dir: &std::path::Path,
) -> Option<BacklogRef> {
    let t = reader.table(node, "backlog", "[backlog] with file = \"backlog.csv\"")?;
    reader.check_keys(t, "backlog", &BACKLOG);
    let mut options = BacklogOptions::default();
    if let Some(columns) = reader.optional(t, "backlog", "ignore_columns", |r, n, p| {
        Some(r.string_list(n, p, "[\"Status\", \"Assignee\"]"))
    }) {
        options.ignore_columns = columns.into_iter().map(|(c, _)| c).collect();
    }
    options.decimal_mark = reader.optional(t, "backlog", "decimal_mark", |r, n, p| {
        match r.string(n, p, "\",\"")?.as_str() {
            "." => Some(DecimalMark::Point),
            "," => Some(DecimalMark::Comma),
            other => {
                r.error(
                    n,
                    p,
                    format!("`{other}` is not a decimal mark"),
                    "write \",\" for numbers such as 1.500,5 or \".\" for numbers such as 1,500.5",
                );
                None
            }
        }
    });
    options.team = reader.optional(t, "backlog", "team", |r, n, p| {
        Some((r.string(n, p, "\"web\"")?, r.loc(n)))
    });
    if let Some(hours) = reader.optional(t, "backlog", "hours_per_week", |r, n, p| {
        let v = r.number(n, p, "40")?;
        if !(v > 0.0 && v <= 168.0) {
            r.error(
                n,
                p,
                format!("a working week of {} hours is not possible", fmt_num(v)),
                "the hours one person works in a week, e.g. 40 (5 days of 8 hours)",
            );
            return None;
        }
        Some(v)
    }) {
        options.hours_per_week = hours;
    }
    options.points_per_person_week =
        reader.optional(t, "backlog", "points_per_person_week", |r, n, p| {
            let v = r.number(n, p, "3")?;
            if v <= 0.0 {
                r.error(
                    n,
                    p,
                    format!("must be positive, got {}", fmt_num(v)),
                    "the points one person finishes in a week, e.g. 3",
                );
                return None;
            }
            Some(v)
        });
    let file = reader.required(
        node,
        t,
        "backlog",
        "file",
        "file = \"backlog.csv\"",
        |r, n, p| r.string(n, p, "\"backlog.csv\""),
    )?;
    let location = reader.loc(t.get("file").unwrap_or(node));
    Some(BacklogRef {
        path: base_dir.join(PathBuf::from(file)),
        location,
        options,
    })
}

/// Reads every item of an array of tables (`[[features]]`), keeping the valid ones.
fn read_all<T>(
    reader: &mut Reader,
    root: &DeTable,
    key: &str,
    mut read: impl FnMut(&mut Reader, &Node, usize) -> Option<T>,
) -> Vec<T> {
    let Some(node) = root.get(key) else {
        return Vec::new();
    };
    let Some(items) = reader.array(node, key, &format!("[[{key}]] tables")) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read(reader, item, i))
        .collect()
}

fn read_plan(reader: &mut Reader, node: &Node, draft: &mut DraftScenario) {
    let Some(t) = reader.table(
        node,
        "plan",
        "[plan] with periods, period_weeks, start, ...",
    ) else {
        return;
    };
    reader.check_keys(t, "plan", &PLAN);
    draft.name = reader
        .optional(t, "plan", "name", |r, n, p| {
            r.string(n, p, "\"FY2027 plan\"")
        })
        .unwrap_or_default();
    if let Some(c) = reader.optional(t, "plan", "currency", |r, n, p| r.string(n, p, "\"EUR\"")) {
        draft.currency = c;
    }
    draft.budget = reader.optional(t, "plan", "budget", |r, n, p| {
        r.non_negative(n, p, "2500000")
    });
    draft.budget_location = t.get("budget").map(|n| reader.loc(n));
    draft.commit_confidence = reader.optional(t, "plan", "commit_confidence", |r, n, p| {
        let v = r.fraction(n, p, "0.8")?;
        if v <= 0.0 || v >= 1.0 {
            r.error(
                n,
                p,
                "a commit confidence is a share strictly between 0 and 1",
                "e.g. 0.8: commitments hold in 80% of futures",
            );
            return None;
        }
        Some(v)
    });
    let periods = reader.required(node, t, "plan", "periods", "periods = 4", |r, n, p| {
        r.positive_integer(n, p, "4")
    });
    let period_weeks = reader.optional(t, "plan", "period_weeks", |r, n, p| {
        let v = r.number(n, p, "13")?;
        if v <= 0.0 {
            r.error(n, p, "must be positive", "13 for quarters, 2 for sprints");
            return None;
        }
        // Plans in periods of over a year exist, so this is a warning; a length in days
        // (91 for a quarter) is the slip it catches.
        if v > 52.0 {
            r.warning(
                n,
                p,
                format!("periods of {} weeks are longer than a year", fmt_num(v)),
                "period_weeks is in weeks: 13 for quarters, 2 for sprints",
            );
        }
        Some(v)
    });
    if t.get("period_weeks").is_some() && period_weeks.is_none() {
        return;
    }
    let period_weeks = period_weeks.unwrap_or(13.0);
    let start = reader
        .optional(t, "plan", "start", read_start)
        .unwrap_or_else(|| "P1".to_string());
    let start_date = reader.optional(t, "plan", "start_date", read_start_date);
    let discount_rate = reader.optional(t, "plan", "discount_rate", |r, n, p| {
        let v = r.number_or_percentage(n, p, "0.1")?;
        if !(0.0..1.0).contains(&v) {
            r.error(
                n,
                p,
                format!("an annual discount rate must be in [0, 1), got {v}"),
                "write it as a fraction: 0.1 for 10% a year",
            );
            return None;
        }
        Some(v)
    });
    let horizon = reader.optional(t, "plan", "horizon_months", |r, n, p| {
        r.non_negative(n, p, "36")
    });
    let Some(periods) = periods else { return };
    if periods > 520 {
        reader.error(
            t.get("periods").unwrap_or(node),
            "plan.periods",
            format!("{periods} periods is more than ten years of weekly periods"),
            "plan in fewer, longer periods",
        );
        return;
    }
    let plan_months = periods as f64 * period_weeks / crate::model::time::WEEKS_PER_MONTH;
    let horizon_months = horizon.unwrap_or((plan_months + 24.0).round());
    if horizon_months + 1e-9 < plan_months {
        reader.error(
            t.get("horizon_months").unwrap_or(node),
            "plan.horizon_months",
            format!(
                "the value horizon ({} months) ends before the plan does ({:.1} months)",
                horizon_months, plan_months
            ),
            format!("set horizon_months to at least {}", plan_months.ceil()),
        );
        return;
    }
    let time = TimeFrame::new(
        periods as usize,
        period_weeks,
        &start,
        horizon_months,
        discount_rate.unwrap_or(0.10),
    );
    let Some(time) = anchored(
        reader,
        t.get("start_date").unwrap_or(node),
        time,
        start_date,
    ) else {
        return;
    };
    draft.budget_per_period = t
        .get("budget_per_period")
        .and_then(|n| read_budget_per_period(reader, n, "plan.budget_per_period", &time));
    draft.budget_per_period_location = t.get("budget_per_period").map(|n| reader.loc(n));
    draft.time = Some(time);
    draft.time_location = Some(reader.loc(node));
}

/// `start_date`: a date, the first day of the plan's first period.
fn read_start_date(reader: &mut Reader, node: &Node, path: &str) -> Option<Date> {
    let text = read_start(reader, node, path)?;
    match Date::parse(&text) {
        DateText::Date(date) => Some(date),
        _ => {
            reader.error(
                node,
                path,
                format!("`{text}` is not a date"),
                "the first day of the plan's first period, e.g. start_date = \"2027-01-04\"",
            );
            None
        }
    }
}

/// The calendar anchored at `start_date` when one is given; None (an error at `node`) when
/// the start is a date already, since a plan has one first day.
fn anchored(
    reader: &mut Reader,
    node: &Node,
    time: TimeFrame,
    start_date: Option<Date>,
) -> Option<TimeFrame> {
    let Some(date) = start_date else {
        return Some(time);
    };
    if let DateText::Date(_) = Date::parse(&time.start) {
        reader.error(
            node,
            "plan.start_date",
            "the plan's start is already a date",
            "keep start = \"YYYY-MM-DD\" alone, or give start a label (\"FY27 Q1\", \"Sprint 14\") and start_date its first day",
        );
        return None;
    }
    Some(time.anchored(date))
}

/// `start` or `start_date`: text, or a TOML date written without quotes; a date that is not
/// one (2027-02-30) is refused here, before labels are made from it.
fn read_start(reader: &mut Reader, node: &Node, path: &str) -> Option<String> {
    let text = match node.get_ref() {
        DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
        _ => reader.string(node, path, "\"2027Q1\"")?,
    };
    if let DateText::Malformed(why) = Date::parse(&text) {
        reader.error(node, path, why, "write the first day of the plan as YYYY-MM-DD, e.g. \"2027-01-04\", or a label such as \"2027Q1\"");
        return None;
    }
    Some(text)
}

/// `budget_per_period`: one amount for every period, or one per period.
fn read_budget_per_period(
    reader: &mut Reader,
    node: &Node,
    path: &str,
    time: &TimeFrame,
) -> Option<Vec<f64>> {
    match node.get_ref() {
        DeValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(reader.non_negative(item, &format!("{path}[{i}]"), "400000")?);
            }
            if out.len() != time.periods {
                reader.error(
                    node,
                    path,
                    format!("{} budgets for {} periods", out.len(), time.periods),
                    format!(
                        "give one amount per period ({}: {}), or a single amount for every period",
                        time.periods,
                        time.span_label(0, time.periods - 1)
                    ),
                );
                return None;
            }
            Some(out)
        }
        _ => Some(vec![
            reader.non_negative(node, path, "400000")?;
            time.periods
        ]),
    }
}

fn read_simulation(reader: &mut Reader, node: &Node) -> SimulationSettings {
    let mut s = SimulationSettings::default();
    let Some(t) = reader.table(node, "simulation", "[simulation] with trials and seed") else {
        return s;
    };
    reader.check_keys(t, "simulation", &["trials", "seed"]);
    if let Some(v) = reader.optional(t, "simulation", "trials", |r, n, p| {
        let v = r.positive_integer(n, p, "10000")?;
        if v > crate::limits::MAX_TRIALS {
            r.error(
                n,
                p,
                format!("{v} trials is more than the {} a run allows", crate::limits::MAX_TRIALS),
                "10,000 trials pin a mean down to about 1% of its spread; write e.g. trials = 10000",
            );
            return None;
        }
        Some(v)
    }) {
        s.trials = v;
    }
    if let Some(v) = reader.optional(t, "simulation", "seed", |r, n, p| match n.get_ref() {
        DeValue::Integer(i) => match u64::from_str_radix(i.as_str(), i.radix()) {
            Ok(v) => Some(v),
            Err(_) => {
                r.error(
                    n,
                    p,
                    "a seed is a whole number of at least 0",
                    "e.g. seed = 42",
                );
                None
            }
        },
        _ => {
            r.mismatch(n, p, "a whole number", "e.g. seed = 42");
            None
        }
    }) {
        s.seed = v;
    }
    s
}

/// Reads `id` and `name`; the returned path names the item by id when it has one.
fn identity(
    reader: &mut Reader,
    node: &Node,
    t: &DeTable,
    section: &str,
    index: usize,
) -> Option<(Defined, String)> {
    let fallback = format!("{section}[{index}]");
    let id = reader.required(node, t, &fallback, "id", "id = \"sso\"", |r, n, p| {
        let id = r.string(n, p, "\"sso\"")?;
        if !super::valid_id(&id) {
            r.error(
                n,
                p,
                format!("`{id}` is not a usable id"),
                "use only letters, digits, '-', '_' and '.', e.g. \"audit-log\"",
            );
            return None;
        }
        Some(id)
    })?;
    let path = format!("{section}[{id}]");
    reader.declared.insert((section.to_string(), id.clone()));
    let name = reader
        .optional(t, &path, "name", |r, n, p| {
            r.string(n, p, "\"Single sign-on\"")
        })
        .unwrap_or_else(|| id.clone());
    let location = reader.loc(t.get("id").unwrap_or(node));
    Some((Defined { id, location, path }, name))
}

/// The ids a field lists (or the one id it names), each a reference located where it is
/// written and named by its place in the list.
fn id_refs(reader: &mut Reader, node: &Node, path: &str, example: &str) -> Vec<Ref> {
    reader
        .string_list(node, path, example)
        .into_iter()
        .enumerate()
        .map(|(i, (id, location))| Ref {
            id,
            location,
            field: format!("{path}[{i}]"),
        })
        .collect()
}
