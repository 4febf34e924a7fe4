//! Teams, segments, themes, deals and correlations: the tables around the features.

use super::*;

pub(super) fn read_team(
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
    let factor = read_capacity_factor(reader, t, &path);
    let cost_per_week = reader
        .optional(t, &path, "cost_per_week", |r, n, p| {
            r.non_negative(n, p, "3500")
        })
        .unwrap_or(0.0);
    let cost_kind = reader
        .optional(t, &path, "cost_kind", read_cost_kind)
        .unwrap_or_default();
    let capacity_factor = reader.register(&format!("{path}.capacity"), factor?);
    Some(DraftTeam {
        capacity_location: reader.loc(capacity_node.unwrap_or(node)),
        def,
        name,
        capacity_weeks: capacity?,
        capacity_factor,
        cost_per_week,
        cost_kind,
    })
}

/// A team's or a pool's `capacity_factor`: constant 1 when not given.
pub(super) fn read_capacity_factor(reader: &mut Reader, t: &DeTable, path: &str) -> Option<Dist> {
    match t.get("capacity_factor") {
        Some(n) => reader.uncertain(
            n,
            &join(path, "capacity_factor"),
            Domain::CapacityFactor,
            "0.9",
        ),
        None => Some(Dist::constant(1.0)),
    }
}

pub(super) fn read_segment(
    reader: &mut Reader,
    node: &Node,
    index: usize,
    time: Option<&TimeFrame>,
) -> Option<DraftSegment> {
    let t = reader.table(node, &format!("segments[{index}]"), "a [[segments]] table")?;
    let (def, name) = identity(reader, node, t, "segments", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &SEGMENT);
    let (demand, retention) = read_customers(reader, node, t, &path);
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
        retention: retention?,
    })
}

/// A segment's customers in one of its two readings: `demand`, the accounts it offers every
/// month (a feature earns its share of them that month), or `new_customers` with
/// `retention`, the sign-ups of every month that stay and pay until they leave. Returns the
/// count's input and, for a stock, the retention's; `None` after reporting a problem.
#[allow(clippy::type_complexity)]
fn read_customers(
    reader: &mut Reader,
    node: &Node,
    t: &DeTable,
    path: &str,
) -> (
    Option<crate::model::InputId>,
    Option<Option<crate::model::InputId>>,
) {
    let count =
        |r: &mut Reader, n: &Node, p: &str| r.uncertain_input(n, p, Domain::NonNegative, "500");
    match (t.get("demand"), t.get("new_customers")) {
        (Some(_), Some(both)) => {
            reader.error(
                both,
                &join(path, "new_customers"),
                "a segment is read either as demand or as new customers, not both",
                "keep `demand` (accounts per month the segment offers; a feature earns its share of them every month) or `new_customers` with `retention` (sign-ups per month that stay and pay until they leave)",
            );
            (None, None)
        }
        (Some(n), None) => {
            if let Some(r) = t.get("retention") {
                reader.error(
                    r,
                    &join(path, "retention"),
                    "`retention` applies to a segment read as a customer stock",
                    "if `demand` counts sign-ups that stay, write it as `new_customers`; otherwise remove `retention` (with `demand`, a feature earns its share of the month's demand that month)",
                );
                return (count(reader, n, &join(path, "demand")), None);
            }
            (count(reader, n, &join(path, "demand")), Some(None))
        }
        (None, Some(n)) => {
            let new = count(reader, n, &join(path, "new_customers"));
            let retention = reader.required(
                node,
                t,
                path,
                "retention",
                "retention = [0.95, 0.97, 0.98]   # share of customers still paying a month later",
                |r, n, p| {
                    let dist = r.uncertain(n, p, Domain::Fraction, "0.97")?;
                    warn_low_retention(r, n, p, dist.mean());
                    Some(r.register(p, dist))
                },
            );
            (new, retention.map(Some))
        }
        (None, None) => {
            reader.error(
                node,
                &join(path, "demand"),
                "missing required field `demand` (or `new_customers`)",
                "add demand = [300, 500, 900]   # accounts per month, or new_customers = [30, 50, 90] with retention = 0.97 for sign-ups per month that stay",
            );
            (None, None)
        }
    }
}

/// Monthly retention below which a segment's figure is more likely a churn rate, or a yearly
/// retention, than the share of customers still paying a month later.
pub(super) const LOW_MONTHLY_RETENTION: f64 = 0.5;

fn warn_low_retention(reader: &mut Reader, node: &Node, field: &str, mean: f64) {
    if mean >= LOW_MONTHLY_RETENTION {
        return;
    }
    reader.warning(
        node,
        field,
        format!(
            "a retention of {} a month loses {}% of the customers every month",
            fmt_num(mean),
            fmt_num(((1.0 - mean) * 100.0).round())
        ),
        format!(
            "retention is the share still paying a month later: {} if {} is the monthly churn; a yearly retention y is y^(1/12) a month, e.g. {} for {}",
            fmt_num(1.0 - mean),
            fmt_num(mean),
            fmt_num((mean.max(1e-9)).powf(1.0 / 12.0)),
            fmt_num(mean)
        ),
    );
}

/// Monthly growth above which a segment's demand is more likely a yearly rate written as a
/// monthly one (10% a month is 3.1x a year) than a market's real pace: a warning, since
/// young markets do grow that fast for a while.
pub(super) const FAST_MONTHLY_GROWTH: f64 = 0.1;

pub(super) fn warn_fast_growth(
    reader: &mut Reader,
    node: &Node,
    field: &str,
    mean: f64,
    horizon: f64,
) {
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

pub(super) fn read_theme(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftTheme> {
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

pub(super) fn read_deal(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftDeal> {
    let t = reader.table(node, &format!("deals[{index}]"), "a [[deals]] table")?;
    let (def, name) = identity(reader, node, t, "deals", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &DEAL);
    let customer = reader
        .optional(t, &path, "customer", |r, n, p| {
            r.string(n, p, "\"Globex Corp\"")
        })
        .unwrap_or(name);
    let terms = read_deal_terms(reader, node, t, &path)?;
    let milestones = match t.get("milestones") {
        Some(n) => read_milestones(reader, n, &def, &customer)?,
        None => Vec::new(),
    };
    if t.get("one_off").is_none() && t.get("monthly").is_none() && milestones.is_empty() {
        reader.warning(
            node,
            &path,
            "this deal has no value",
            "give it one_off and/or monthly, or milestones",
        );
    }
    let need = reader.optional(t, &path, "need", |r, n, p| {
        let k = r.positive_integer(n, p, "2")?;
        Some((k, r.loc(n)))
    });
    let late_penalty = reader.optional(t, &path, "late_penalty", |r, n, p| {
        let v = r.non_negative(n, p, "20000")?;
        Some((v, r.loc(n)))
    });
    if let (Some(n), None) = (t.get("late_penalty"), t.get("by")) {
        reader.error(
            n,
            &join(&path, "late_penalty"),
            "a late penalty counts the periods after `by`, and this deal has no `by`",
            "add by = \"2027Q3\" (the date the customer expects it), or remove late_penalty",
        );
    }
    let expires = reader.optional(t, &path, "expires", |r, n, p| period_ref(r, n, p));
    Some(DraftDeal {
        def,
        customer,
        need,
        late_penalty,
        expires,
        milestones,
        ..terms
    })
}

/// What a deal and a milestone share: the features it waits for, what it pays and by when.
/// The deal's own fields are left empty, for the caller to fill.
fn read_deal_terms(reader: &mut Reader, node: &Node, t: &DeTable, path: &str) -> Option<DraftDeal> {
    let features = reader.required(
        node,
        t,
        path,
        "features",
        "features = [\"sso\", \"audit-log\"]",
        |r, n, p| Some(id_refs(r, n, p, "[\"sso\"]")),
    );
    let one_off = reader.optional(t, path, "one_off", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "120000")
    });
    let monthly = reader.optional(t, path, "monthly", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "8000")
    });
    let by = reader.optional(t, path, "by", |r, n, p| period_ref(r, n, p));
    let features = features?;
    if features.is_empty() {
        reader.error(
            node,
            &join(path, "features"),
            "a deal needs at least one feature",
            "list the features the customer is waiting for",
        );
        return None;
    }
    Some(DraftDeal {
        features_location: reader.loc(t.get("features").unwrap_or(node)),
        def: Defined {
            id: String::new(),
            location: reader.loc(node),
            path: path.to_string(),
        },
        customer: String::new(),
        features,
        one_off,
        monthly,
        by,
        need: None,
        late_penalty: None,
        expires: None,
        milestones: Vec::new(),
    })
}

/// `milestones = [{ name = "...", features = [...], one_off = ..., by = "..." }, ...]`: each
/// a payment of its own when its features ship, by its own date if it has one.
fn read_milestones(
    reader: &mut Reader,
    node: &Node,
    deal: &Defined,
    customer: &str,
) -> Option<Vec<DraftDeal>> {
    let field = join(&deal.path, "milestones");
    let DeValue::Array(items) = node.get_ref() else {
        reader.mismatch(
            node,
            &field,
            "a list of milestones",
            "write milestones = [{ name = \"Pilot\", features = [\"sso\"], one_off = 20000 }]",
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let path = format!("{field}[{k}]");
        let t = reader.table(
            item,
            &path,
            "{ name = \"Pilot\", features = [\"sso\"], one_off = 20000 }",
        )?;
        reader.check_keys(t, &path, &MILESTONE);
        let name = reader
            .optional(t, &path, "name", |r, n, p| r.string(n, p, "\"Pilot\""))
            .unwrap_or_else(|| format!("milestone {}", k + 1));
        if t.get("one_off").is_none() && t.get("monthly").is_none() {
            reader.error(
                item,
                &path,
                "this milestone pays nothing",
                "give it one_off and/or monthly",
            );
        }
        let terms = read_deal_terms(reader, item, t, &path)?;
        out.push(DraftDeal {
            def: Defined {
                id: format!("{}.m{}", deal.id, k + 1),
                location: reader.loc(item),
                path,
            },
            customer: format!("{customer} ({name})"),
            ..terms
        });
    }
    Some(out)
}

pub(super) fn read_correlation(
    reader: &mut Reader,
    node: &Node,
    index: usize,
) -> Option<DraftCorrelation> {
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

/// A `[[risks]]` table: an event several features' risks can name with `event = "<id>"`.
/// Each future draws it once, so the features it hits are hit together.
pub(super) fn read_common_risk(
    reader: &mut Reader,
    node: &Node,
    index: usize,
) -> Option<DraftCommonRisk> {
    let t = reader.table(node, &format!("risks[{index}]"), "a [[risks]] table")?;
    let (def, name) = identity(reader, node, t, "risks", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &COMMON_RISK);
    let _ = reader.optional(t, &path, "description", |r, n, p| {
        r.string(n, p, "\"What could happen\"")
    });
    if let Some(n) = t.get("features") {
        reader.error(
            n,
            &join(&path, "features"),
            "a common risk's impact is written at each feature it hits",
            format!(
                "remove `features` here and add to each feature it hits: risks = [{{ event = \"{}\", delay_weeks = [2, 4, 8] }}]",
                def.id
            ),
        );
    }
    let probability = reader.required(
        node,
        t,
        &path,
        "probability",
        "probability = 0.3",
        |r, n, p| r.fraction(n, p, "0.3"),
    );
    Some(DraftCommonRisk {
        def,
        name,
        probability: probability?,
    })
}
