//! Reads a scenario TOML file into a draft, reporting every problem it meets.

use super::backlog::BacklogOptions;
use super::draft::*;
use super::finding::Finding;
use super::numbers::DecimalMark;
use super::reader::{join, type_name, Domain, Node, Reader};
use crate::model::dist::fmt_num;
use crate::model::{Dist, FrameworkFields, Moscow, SimulationSettings, TimeFrame};
use std::path::PathBuf;
use toml::de::{DeTable, DeValue};

const TOP: [&str; 9] = [
    "plan",
    "simulation",
    "teams",
    "segments",
    "themes",
    "features",
    "deals",
    "correlations",
    "backlog",
];
const PLAN: [&str; 9] = [
    "name",
    "commit_confidence",
    "periods",
    "period_weeks",
    "start",
    "horizon_months",
    "discount_rate",
    "currency",
    "budget",
];
const TEAM: [&str; 5] = ["id", "name", "capacity", "capacity_factor", "cost_per_week"];
const SEGMENT: [&str; 5] = ["id", "name", "demand", "growth", "price"];
const THEME: [&str; 4] = ["id", "name", "min_share", "max_share"];
pub const FEATURE: [&str; 24] = [
    "id",
    "name",
    "description",
    "effort",
    "value",
    "uplift",
    "ramp_months",
    "cost",
    "vendor_lead_weeks",
    "requires",
    "excludes",
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
];
const RISK: [&str; 8] = [
    "name",
    "probability",
    "effort",
    "delay_weeks",
    "delay_periods",
    "cost",
    "value_loss",
    "description",
];
const DEAL: [&str; 7] = [
    "id", "name", "customer", "features", "one_off", "monthly", "by",
];
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
    draft.segments = read_all(reader, root, "segments", |r, n, i| {
        read_segment(r, n, i, time.as_ref())
    });
    draft.themes = read_all(reader, root, "themes", read_theme);
    draft.features = read_all(reader, root, "features", read_feature);
    draft.deals = read_all(reader, root, "deals", read_deal);
    draft.correlations = read_all(reader, root, "correlations", read_correlation);
    if let Some(node) = root.get("backlog") {
        draft.backlog = read_backlog(reader, node, base_dir);
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
        .optional(t, "plan", "start", |r, n, p| r.string(n, p, "\"2027Q1\""))
        .unwrap_or_else(|| "P1".to_string());
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
    draft.time = Some(TimeFrame::new(
        periods as usize,
        period_weeks,
        &start,
        horizon_months,
        discount_rate.unwrap_or(0.10),
    ));
    draft.time_location = Some(reader.loc(node));
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
        other => {
            r.error(
                n,
                p,
                format!("expected a whole number, found {}", type_name(other)),
                "e.g. seed = 42",
            );
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

fn read_team(
    reader: &mut Reader,
    node: &Node,
    index: usize,
    time: Option<&TimeFrame>,
) -> Option<DraftTeam> {
    let t = reader.table(node, &format!("teams[{index}]"), "a [[teams]] table")?;
    let (def, name) = identity(reader, node, t, "teams", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &TEAM);
    let capacity_node = t.get("capacity");
    let capacity = reader.required(
        node,
        t,
        &path,
        "capacity",
        "capacity = 60   # person-weeks per period",
        |r, n, p| match n.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(r.non_negative(item, &format!("{p}[{i}]"), "60")?);
                }
                if let Some(time) = time {
                    if out.len() != time.periods {
                        r.error(
                            n,
                            p,
                            format!("{} capacities for {} periods", out.len(), time.periods),
                            format!(
                                "give one number per period ({}), or a single number for all",
                                time.periods
                            ),
                        );
                        return None;
                    }
                }
                Some(out)
            }
            _ => {
                let v = r.non_negative(n, p, "60")?;
                Some(vec![v; time.map_or(1, |t| t.periods)])
            }
        },
    );
    let factor = match t.get("capacity_factor") {
        Some(n) => reader.uncertain(
            n,
            &join(&path, "capacity_factor"),
            Domain::CapacityFactor,
            "0.9",
        ),
        None => Some(Dist::constant(1.0)),
    };
    let cost_per_week = reader
        .optional(t, &path, "cost_per_week", |r, n, p| {
            r.non_negative(n, p, "3500")
        })
        .unwrap_or(0.0);
    let capacity_factor = reader.register(&format!("{path}.capacity"), factor?);
    Some(DraftTeam {
        capacity_location: reader.loc(capacity_node.unwrap_or(node)),
        def,
        name,
        capacity_weeks: capacity?,
        capacity_factor,
        cost_per_week,
    })
}

fn read_segment(
    reader: &mut Reader,
    node: &Node,
    index: usize,
    time: Option<&TimeFrame>,
) -> Option<DraftSegment> {
    let t = reader.table(node, &format!("segments[{index}]"), "a [[segments]] table")?;
    let (def, name) = identity(reader, node, t, "segments", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &SEGMENT);
    let demand = reader.required(
        node,
        t,
        &path,
        "demand",
        "demand = [300, 500, 900]   # accounts per month",
        |r, n, p| r.uncertain_input(n, p, Domain::NonNegative, "500"),
    );
    let growth = match t.get("growth") {
        Some(n) => {
            let field = join(&path, "growth");
            let dist = reader.uncertain(n, &field, Domain::MonthlyGrowth, "0.02");
            if let (Some(d), Some(time)) = (&dist, time) {
                warn_fast_growth(reader, n, &field, d.mean(), time.horizon_months);
            }
            dist.map(|d| reader.register(&field, d))
        }
        None => Some(reader.register(&join(&path, "growth"), Dist::constant(0.0))),
    };
    let price = reader.required(
        node,
        t,
        &path,
        "price",
        "price = 49   # per account per month",
        |r, n, p| r.uncertain_input(n, p, Domain::NonNegative, "49"),
    );
    Some(DraftSegment {
        def,
        name,
        demand: demand?,
        growth: growth?,
        price: price?,
    })
}

/// Monthly growth above which a segment's demand is more likely a yearly rate written as a
/// monthly one (10% a month is 3.1x a year) than a market's real pace: a warning, since
/// young markets do grow that fast for a while.
const FAST_MONTHLY_GROWTH: f64 = 0.1;

fn warn_fast_growth(reader: &mut Reader, node: &Node, field: &str, mean: f64, horizon: f64) {
    if mean <= FAST_MONTHLY_GROWTH {
        return;
    }
    let factor = (1.0 + mean).powf(horizon);
    let times = if factor < 1e6 {
        format!("about {} times", fmt_num(factor.round()))
    } else {
        "more than a million times".to_string()
    };
    reader.warning(
        node,
        field,
        format!(
            "demand grows {}% a month on average: {times} over the {}-month horizon",
            fmt_num(mean * 100.0),
            fmt_num(horizon)
        ),
        format!(
            "growth is a fraction per month; a yearly rate r is (1 + r)^(1/12) - 1 a month, e.g. {} for {}% a year",
            fmt_num((1.0 + mean).powf(1.0 / 12.0) - 1.0),
            fmt_num(mean * 100.0)
        ),
    );
}

fn read_theme(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftTheme> {
    let t = reader.table(node, &format!("themes[{index}]"), "a [[themes]] table")?;
    let (def, name) = identity(reader, node, t, "themes", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &THEME);
    let min_share = reader
        .optional(t, &path, "min_share", |r, n, p| r.fraction(n, p, "0.2"))
        .unwrap_or(0.0);
    let max_share = reader
        .optional(t, &path, "max_share", |r, n, p| r.fraction(n, p, "0.5"))
        .unwrap_or(1.0);
    if min_share > max_share {
        reader.error(
            node,
            &path,
            format!("min_share ({min_share}) is above max_share ({max_share})"),
            "make min_share <= max_share",
        );
        return None;
    }
    Some(DraftTheme {
        def,
        name,
        min_share,
        max_share,
    })
}

fn period_ref(reader: &mut Reader, node: &Node, path: &str) -> Option<PeriodRef> {
    let text = match node.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        other => {
            reader.error(
                node,
                path,
                format!(
                    "expected a period label or number, found {}",
                    type_name(other)
                ),
                "write a label such as \"2027Q3\" or a period number such as 3",
            );
            return None;
        }
    };
    Some(PeriodRef {
        text,
        location: reader.loc(node),
        field: path.to_string(),
    })
}

/// A table of `id = estimate` pairs: efforts by team, uplifts by segment.
fn estimates_by_id(
    reader: &mut Reader,
    node: &Node,
    path: &str,
    domain: Domain,
    example: &str,
) -> Vec<(Ref, crate::model::InputId)> {
    let Some(t) = reader.table(
        node,
        path,
        &format!("a table of estimates by id, e.g. {example}"),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in t.iter() {
        let team = key.get_ref().to_string();
        let field = join(path, &team);
        if let Some(input) = reader.uncertain_input(value, &field, domain, "5") {
            let location = reader.source.location(key.span().start);
            out.push((
                Ref {
                    id: team,
                    location,
                    field,
                },
                input,
            ));
        }
    }
    out
}

fn read_feature(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftFeature> {
    let t = reader.table(node, &format!("features[{index}]"), "a [[features]] table")?;
    let (def, name) = identity(reader, node, t, "features", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &FEATURE);
    let effort = match t.get("effort") {
        Some(n) => estimates_by_id(
            reader,
            n,
            &join(&path, "effort"),
            Domain::NonNegative,
            "{ web = [3, 5, 9] }",
        ),
        None => Vec::new(),
    };
    let value_monthly = reader.optional(t, &path, "value", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "12000")
    });
    let uplift = match t.get("uplift") {
        Some(n) => estimates_by_id(
            reader,
            n,
            &join(&path, "uplift"),
            Domain::Fraction,
            "{ smb = [0.01, 0.02, 0.04] }",
        ),
        None => Vec::new(),
    };
    let ramp_months = reader
        .optional(t, &path, "ramp_months", |r, n, p| r.non_negative(n, p, "3"))
        .unwrap_or(0.0);
    let cost = reader.optional(t, &path, "cost", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "20000")
    });
    let vendor_lead_weeks = reader.optional(t, &path, "vendor_lead_weeks", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "6")
    });
    let requires = match t.get("requires") {
        Some(n) => read_requires(reader, n, &join(&path, "requires")),
        None => Vec::new(),
    };
    let excludes = reader
        .optional(t, &path, "excludes", |r, n, p| {
            Some(
                r.string_list(n, p, "[\"saml-lite\"]")
                    .into_iter()
                    .enumerate()
                    .map(|(i, (id, location))| Ref {
                        id,
                        location,
                        field: format!("{p}[{i}]"),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .unwrap_or_default();
    let mandatory = reader
        .optional(t, &path, "mandatory", |r, n, p| r.boolean(n, p))
        .unwrap_or(false);
    let deadline = reader.optional(t, &path, "deadline", |r, n, p| read_deadline(r, n, p));
    let earliest = reader.optional(t, &path, "earliest", |r, n, p| period_ref(r, n, p));
    let theme = reader.optional(t, &path, "theme", |r, n, p| {
        let id = r.string(n, p, "\"reliability\"")?;
        Some(Ref {
            id,
            location: r.loc(n),
            field: p.to_string(),
        })
    });
    let risks = match t.get("risks") {
        Some(n) => {
            let rp = join(&path, "risks");
            let items: Vec<&Node> = reader
                .array(n, &rp, "a list of risk tables")
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let risks: Vec<DraftRisk> = items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| read_risk(reader, item, &rp, i))
                .collect();
            for (i, risk) in risks.iter().enumerate() {
                if risks[..i].iter().any(|other| other.name == risk.name) {
                    let loc = risk.location.clone();
                    reader.findings.push(
                        crate::scenario::Finding::error(loc, format!("{}.name", risk.field), format!("two risks of this feature are named `{}`", risk.name))
                            .help("give each risk its own name; names tell risks apart in correlations and reports"),
                    );
                }
            }
            risks
        }
        None => Vec::new(),
    };
    let framework = read_framework(reader, t, &path);
    let _ = reader.optional(t, &path, "description", |r, n, p| {
        r.string(n, p, "\"Why this matters\"")
    });
    Some(DraftFeature {
        def,
        name,
        effort,
        value_monthly,
        uplift,
        ramp_months,
        cost,
        vendor_lead_weeks,
        requires,
        excludes,
        mandatory,
        deadline,
        earliest,
        theme,
        risks,
        framework,
        effort_written: t.get("effort").is_some(),
        value_written: t.get("value").is_some() || t.get("uplift").is_some(),
    })
}

fn read_requires(reader: &mut Reader, node: &Node, path: &str) -> Vec<(Ref, usize)> {
    let items: Vec<&Node> = match node.get_ref() {
        DeValue::String(_) | DeValue::Table(_) => vec![node],
        DeValue::Array(a) => a.iter().collect(),
        other => {
            reader.error(
                node,
                path,
                format!("expected a list of feature ids, found {}", type_name(other)),
                "write e.g. requires = [\"audit-log\", { id = \"sso\", lag = 1 }]",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let p = format!("{path}[{i}]");
        match item.get_ref() {
            DeValue::String(s) => out.push((
                Ref {
                    id: s.to_string(),
                    location: reader.loc(item),
                    field: p,
                },
                0,
            )),
            DeValue::Table(t) => {
                reader.check_keys(t, &p, &["id", "lag"]);
                let id =
                    reader.required(item, t, &p, "id", "{ id = \"sso\", lag = 1 }", |r, n, q| {
                        r.string(n, q, "\"sso\"")
                    });
                let lag = reader.optional(t, &p, "lag", |r, n, q| match n.get_ref() {
                    DeValue::Integer(i) => u32::from_str_radix(i.as_str(), i.radix())
                        .ok()
                        .map(|v| v as usize)
                        .or_else(|| {
                            r.error(
                                n,
                                q,
                                "a lag is a whole number of periods, at least 0",
                                "e.g. lag = 1",
                            );
                            None
                        }),
                    other => {
                        r.error(
                            n,
                            q,
                            format!(
                                "expected a whole number of periods, found {}",
                                type_name(other)
                            ),
                            "e.g. lag = 1",
                        );
                        None
                    }
                });
                if let Some(id) = id {
                    out.push((
                        Ref {
                            id,
                            location: reader.loc(item),
                            field: p,
                        },
                        lag.unwrap_or(0),
                    ));
                }
            }
            other => reader.error(
                item,
                &p,
                format!("expected a feature id, found {}", type_name(other)),
                "write the id in quotes, or { id = \"sso\", lag = 1 }",
            ),
        }
    }
    out
}

fn read_deadline(
    reader: &mut Reader,
    node: &Node,
    path: &str,
) -> Option<(PeriodRef, DraftDeadlineKind)> {
    match node.get_ref() {
        DeValue::String(_) | DeValue::Integer(_) => {
            Some((period_ref(reader, node, path)?, DraftDeadlineKind::Hard))
        }
        DeValue::Table(t) => {
            reader.check_keys(t, path, &["period", "kind", "penalty"]);
            let example = "{ period = \"2027Q3\", kind = \"soft\", penalty = 20000 }";
            let period = reader.required(node, t, path, "period", example, period_ref);
            let kind = reader.optional(t, path, "kind", |r, n, p| {
                let k = r.string(n, p, "\"hard\"")?;
                match k.as_str() {
                    "hard" | "soft" => Some(k),
                    _ => {
                        r.error(n, p, format!("unknown deadline kind `{k}`"), "write \"hard\" (not after this period) or \"soft\" (a penalty per period late)");
                        None
                    }
                }
            });
            let penalty =
                reader.optional(t, path, "penalty", |r, n, p| r.non_negative(n, p, "20000"));
            let kind = match (kind.as_deref(), penalty) {
                (Some("soft"), Some(p)) => DraftDeadlineKind::Soft {
                    penalty_per_period: p,
                },
                (Some("soft"), None) => {
                    reader.error(
                        node,
                        &join(path, "penalty"),
                        "a soft deadline needs a penalty",
                        "add penalty = value lost per period late, e.g. penalty = 20000",
                    );
                    return None;
                }
                (Some("hard") | None, Some(_)) => {
                    reader.error(
                        node,
                        &join(path, "penalty"),
                        "a penalty only applies to a soft deadline",
                        "add kind = \"soft\", or remove the penalty",
                    );
                    return None;
                }
                _ => DraftDeadlineKind::Hard,
            };
            Some((period?, kind))
        }
        other => {
            reader.error(node, path, format!("expected a period or a deadline table, found {}", type_name(other)), "write deadline = \"2027Q3\" or { period = \"2027Q3\", kind = \"soft\", penalty = 20000 }");
            None
        }
    }
}

fn read_risk(reader: &mut Reader, node: &Node, path: &str, index: usize) -> Option<DraftRisk> {
    let p0 = format!("{path}[{index}]");
    let t = reader.table(
        node,
        &p0,
        "{ name = \"...\", probability = 0.3, effort = { web = 4 } }",
    )?;
    let name = reader
        .optional(t, &p0, "name", |r, n, p| {
            r.string(n, p, "\"IdP certification\"")
        })
        .unwrap_or_else(|| format!("risk {}", index + 1));
    let field = format!("{path}[{name}]");
    reader.check_keys(t, &field, &RISK);
    let probability = reader.required(
        node,
        t,
        &field,
        "probability",
        "probability = 0.3",
        |r, n, p| r.fraction(n, p, "0.3"),
    );
    let _ = reader.optional(t, &field, "description", |r, n, p| {
        r.string(n, p, "\"What could happen\"")
    });
    let effort = match t.get("effort") {
        Some(n) => estimates_by_id(
            reader,
            n,
            &join(&field, "effort"),
            Domain::NonNegative,
            "{ web = 4 }",
        ),
        None => Vec::new(),
    };
    let delay_weeks = reader.optional(t, &field, "delay_weeks", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "4")
    });
    let delay_periods = reader.optional(t, &field, "delay_periods", |r, n, p| {
        r.uncertain(n, p, Domain::NonNegative, "1")
    });
    let cost = reader.optional(t, &field, "cost", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "15000")
    });
    let value_loss = reader
        .optional(t, &field, "value_loss", |r, n, p| r.fraction(n, p, "0.25"))
        .unwrap_or(0.0);
    let delay_weeks = match (delay_weeks, delay_periods) {
        (Some(_), Some(_)) => {
            reader.error(
                node,
                &field,
                "give the delay in weeks or in periods, not both",
                "keep delay_weeks or delay_periods",
            );
            return None;
        }
        (Some(w), None) => Some(w),
        // Periods are stored as weeks later, once the period length is known; here they keep their unit.
        (None, Some(d)) => Some(reader.register(&join(&field, "delay_periods"), d)),
        (None, None) => None,
    };
    if effort.is_empty() && delay_weeks.is_none() && t.get("cost").is_none() && value_loss == 0.0 {
        reader.warning(
            node,
            &field,
            "this risk has no impact",
            "give it effort, delay_weeks, delay_periods, cost or value_loss",
        );
    }
    Some(DraftRisk {
        name,
        location: reader.loc(node),
        field,
        probability: probability?,
        effort,
        delay_weeks,
        cost,
        value_loss,
    })
}

fn read_framework(reader: &mut Reader, t: &DeTable, path: &str) -> FrameworkFields {
    let mut n = |key: &str, example: &str| {
        reader.optional(t, path, key, |r, node, p| r.non_negative(node, p, example))
    };
    let reach = n("reach", "500");
    let impact = n("impact", "2");
    let ease = n("ease", "6");
    let business_value = n("business_value", "8");
    let time_criticality = n("time_criticality", "5");
    let risk_reduction = n("risk_reduction", "3");
    let confidence = reader.optional(t, path, "confidence", |r, node, p| {
        r.fraction(node, p, "0.8")
    });
    let moscow = reader.optional(t, path, "moscow", |r, node, p| {
        let text = r.string(node, p, "\"must\"")?;
        let parsed = Moscow::parse(&text);
        if parsed.is_none() {
            r.error(
                node,
                p,
                format!("`{text}` is not a MoSCoW category"),
                "write one of \"must\", \"should\", \"could\", \"wont\"",
            );
        }
        parsed
    });
    FrameworkFields {
        reach,
        impact,
        confidence,
        ease,
        moscow,
        business_value,
        time_criticality,
        risk_reduction,
    }
}

fn read_deal(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftDeal> {
    let t = reader.table(node, &format!("deals[{index}]"), "a [[deals]] table")?;
    let (def, name) = identity(reader, node, t, "deals", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &DEAL);
    let customer = reader
        .optional(t, &path, "customer", |r, n, p| {
            r.string(n, p, "\"Globex Corp\"")
        })
        .unwrap_or(name);
    let features = reader.required(
        node,
        t,
        &path,
        "features",
        "features = [\"sso\", \"audit-log\"]",
        |r, n, p| {
            Some(
                r.string_list(n, p, "[\"sso\"]")
                    .into_iter()
                    .enumerate()
                    .map(|(i, (id, location))| Ref {
                        id,
                        location,
                        field: format!("{p}[{i}]"),
                    })
                    .collect::<Vec<_>>(),
            )
        },
    );
    let one_off = reader.optional(t, &path, "one_off", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "120000")
    });
    let monthly = reader.optional(t, &path, "monthly", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "8000")
    });
    let by = reader.optional(t, &path, "by", |r, n, p| period_ref(r, n, p));
    if t.get("one_off").is_none() && t.get("monthly").is_none() {
        reader.warning(
            node,
            &path,
            "this deal has no value",
            "give it one_off and/or monthly",
        );
    }
    let features = features?;
    if features.is_empty() {
        reader.error(
            node,
            &join(&path, "features"),
            "a deal needs at least one feature",
            "list the features the customer is waiting for",
        );
        return None;
    }
    Some(DraftDeal {
        features_location: reader.loc(t.get("features").unwrap_or(node)),
        def,
        customer,
        features,
        one_off,
        monthly,
        by,
    })
}

fn read_correlation(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftCorrelation> {
    let field = format!("correlations[{index}]");
    let t = reader.table(
        node,
        &field,
        "{ inputs = [\"segments[smb].demand\", \"segments[mid].demand\"], rho = 0.6 }",
    )?;
    reader.check_keys(t, &field, &CORRELATION);
    let example = "inputs = [\"segments[smb].demand\", \"segments[mid].demand\"]";
    let inputs = reader.required(node, t, &field, "inputs", example, |r, n, p| {
        Some(r.string_list(n, p, "[\"segments[smb].demand\"]"))
    });
    let rho = reader.required(node, t, &field, "rho", "rho = 0.6", |r, n, p| {
        let v = r.number(n, p, "0.6")?;
        if !(-1.0..=1.0).contains(&v) {
            r.error(
                n,
                p,
                format!("a correlation lies in [-1, 1], got {v}"),
                "e.g. rho = 0.6",
            );
            return None;
        }
        Some(v)
    });
    let inputs = inputs?;
    let single = inputs.len() == 1 && !inputs[0].0.contains('*');
    if inputs.is_empty() || single {
        reader.error(
            node,
            &join(&field, "inputs"),
            "a correlation needs at least two inputs (or a pattern with *)",
            example,
        );
        return None;
    }
    Some(DraftCorrelation {
        location: reader.loc(node),
        field,
        inputs,
        rho: rho?,
    })
}
