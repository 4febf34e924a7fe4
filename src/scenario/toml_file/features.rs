//! Features: estimates by team or segment, requirements, deadlines, risks and framework fields.

use super::*;
use crate::model::Status;
use crate::scenario::status::{read_status, status_help, StatusWord};

pub(super) fn period_ref(reader: &mut Reader, node: &Node, path: &str) -> Option<PeriodRef> {
    let text = match node.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        // A TOML date written without quotes (deadline = 2027-09-30) reads as the quoted one.
        DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
        _ => {
            reader.mismatch(
                node,
                path,
                "a period label or number, or a date",
                "write a label such as \"2027Q3\", a period number such as 3, or a date such as \"2027-09-30\"",
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
pub(super) fn estimates_by_id(
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

pub(super) fn read_feature(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftFeature> {
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
    let vendor_ready = reader.optional(t, &path, "vendor_ready", read_vendor_ready);
    let (requires, requires_any) = match t.get("requires") {
        Some(n) => read_requires(reader, n, &join(&path, "requires")),
        None => (Vec::new(), Vec::new()),
    };
    let excludes = reader
        .optional(t, &path, "excludes", |r, n, p| {
            Some(id_refs(r, n, p, "[\"saml-lite\"]"))
        })
        .unwrap_or_default();
    let stages = reader
        .optional(t, &path, "stages", read_stages)
        .unwrap_or_default();
    let mandatory = reader
        .optional(t, &path, "mandatory", |r, n, p| r.boolean(n, p))
        .unwrap_or(false);
    let (deadline, deadline_limit) =
        match reader.optional(t, &path, "deadline", |r, n, p| read_deadline(r, n, p)) {
            Some((period, kind, limit)) => (Some((period, kind)), limit),
            None => (None, None),
        };
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
    let recurring_cost = reader.optional(t, &path, "recurring_cost", read_recurring);
    let _ = reader.optional(t, &path, "description", |r, n, p| {
        r.string(n, p, "\"Why this matters\"")
    });
    let (status, remaining) = read_progress(reader, t, &path);
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
        requires_any,
        excludes,
        stages,
        mandatory,
        deadline,
        deadline_limit,
        earliest,
        theme,
        risks,
        framework,
        vendor_ready,
        effort_written: t.get("effort").is_some() || t.get("remaining").is_some(),
        value_written: t.get("value").is_some() || t.get("uplift").is_some(),
        status: status.unwrap_or_default(),
        remaining,
        recurring_cost,
    })
}

/// A feature's `status` and the `remaining` work of one in progress, each checked against the
/// other: remaining work belongs to a feature in progress, and one in progress must say it,
/// since its whole estimate would count the work already spent again.
fn read_progress(
    reader: &mut Reader,
    t: &DeTable,
    path: &str,
) -> (Option<Status>, Option<Vec<(Ref, crate::model::InputId)>>) {
    let status = reader.optional(t, path, "status", |r, n, p| {
        let text = r.string(n, p, "\"in-progress\"")?;
        match read_status(&text) {
            StatusWord::Status(s) => Some(s),
            StatusWord::Dropped => {
                r.error(n, p, format!("`{text}` work is not part of a plan"), "remove the feature (and what requires it) from the scenario; a status is \"not-started\", \"in-progress\" or \"done\"");
                None
            }
            StatusWord::Unknown => {
                r.error(n, p, format!("unknown status `{text}`"), status_help(&text));
                None
            }
        }
    });
    let remaining = t.get("remaining").map(|n| {
        let field = join(path, "remaining");
        (
            n,
            estimates_by_id(
                reader,
                n,
                &field,
                Domain::NonNegative,
                "{ web = [1, 2, 4] }",
            ),
        )
    });
    // A status already refused says nothing about the remaining work.
    let refused = t.get("status").is_some() && status.is_none();
    match (status.unwrap_or_default(), &remaining, t.get("status")) {
        _ if refused => {}
        (Status::NotStarted, Some((n, _)), _) => reader.error(
            n,
            &join(path, "remaining"),
            "`remaining` is the work left on a feature in progress, and this feature is not started",
            "add status = \"in-progress\"; or, for work not started, remove `remaining` and give the whole estimate in `effort`",
        ),
        (Status::Done, Some((n, _)), _) => reader.error(
            n,
            &join(path, "remaining"),
            "a done feature has no remaining work",
            "remove `remaining`; or, if work is left, set status = \"in-progress\"",
        ),
        (Status::InProgress, None, Some(n)) => reader.error(
            n,
            &join(path, "status"),
            "a feature in progress needs the work that remains",
            "add remaining = { team = [low, likely, high] } in person-weeks: what is left, not the original estimate (the work already spent is sunk and not planned again)",
        ),
        _ => {}
    }
    (status, remaining.map(|(_, r)| r))
}

/// A feature's `requires`: ids, `{ id, lag }` tables and `{ any = [ids], lag }` groups; the
/// plain requirements and the groups apart.
pub(super) fn read_requires(
    reader: &mut Reader,
    node: &Node,
    path: &str,
) -> (Vec<(Ref, usize)>, Vec<DraftAnyOf>) {
    let items: Vec<&Node> = match node.get_ref() {
        DeValue::String(_) | DeValue::Table(_) => vec![node],
        DeValue::Array(a) => a.iter().collect(),
        _ => {
            reader.mismatch(
                node,
                path,
                "a list of feature ids",
                "write e.g. requires = [\"audit-log\", { id = \"sso\", lag = 1 }]",
            );
            return (Vec::new(), Vec::new());
        }
    };
    let mut out = Vec::new();
    let mut groups = Vec::new();
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
            DeValue::Table(t) if t.get("any").is_some() => {
                if let Some(group) = read_any_of(reader, item, t, p) {
                    groups.push(group);
                }
            }
            DeValue::Table(t) => {
                reader.check_keys(t, &p, &["id", "lag", "any"]);
                let id =
                    reader.required(item, t, &p, "id", "{ id = \"sso\", lag = 1 }", |r, n, q| {
                        r.string(n, q, "\"sso\"")
                    });
                let lag = read_lag(reader, t, &p);
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
            _ => reader.mismatch(
                item,
                &p,
                "a feature id",
                "write the id in quotes, { id = \"sso\", lag = 1 }, or a group any one of which will do: { any = [\"catalog-build\", \"catalog-buy\"] }",
            ),
        }
    }
    (out, groups)
}

/// `{ any = ["catalog-build", "catalog-buy"], lag = 1 }`: a requirement any one of the features
/// meets. How many features it names, and which, is checked once ids resolve.
fn read_any_of(reader: &mut Reader, item: &Node, t: &DeTable, path: String) -> Option<DraftAnyOf> {
    if let Some(id) = t.get("id") {
        reader.error(
            id,
            &join(&path, "id"),
            "a requirement names one feature (`id`) or a group any one of which will do (`any`), not both",
            "write { id = \"sso\" } for one feature, or { any = [\"catalog-build\", \"catalog-buy\"] } for a group",
        );
        return None;
    }
    reader.check_keys(t, &path, &["any", "lag"]);
    let list = t.get("any")?;
    let features = id_refs(
        reader,
        list,
        &join(&path, "any"),
        "[\"catalog-build\", \"catalog-buy\"]",
    );
    let lag = read_lag(reader, t, &path).unwrap_or(0);
    Some(DraftAnyOf {
        features,
        lag,
        location: reader.loc(item),
        field: path,
    })
}

/// A requirement's `lag`: a whole number of periods, at least 0.
fn read_lag(reader: &mut Reader, t: &DeTable, path: &str) -> Option<usize> {
    reader.optional(t, path, "lag", |r, n, q| match n.get_ref() {
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
        _ => {
            r.mismatch(n, q, "a whole number of periods", "e.g. lag = 1");
            None
        }
    })
}

/// A deadline: a period (hard), `{ period, kind, penalty }`, or a soft target with a hard
/// limit after it, `{ target, limit, penalty }`; with the limit, when there is one.
pub(super) fn read_deadline(
    reader: &mut Reader,
    node: &Node,
    path: &str,
) -> Option<(PeriodRef, DraftDeadlineKind, Option<PeriodRef>)> {
    match node.get_ref() {
        DeValue::String(_) | DeValue::Integer(_) | DeValue::Datetime(_) => Some((
            period_ref(reader, node, path)?,
            DraftDeadlineKind::Hard,
            None,
        )),
        DeValue::Table(t) if t.get("target").is_some() || t.get("limit").is_some() => {
            read_target_and_limit(reader, node, t, path)
        }
        DeValue::Table(t) => {
            reader.check_keys(t, path, &["period", "kind", "penalty", "target", "limit"]);
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
            Some((period?, kind, None))
        }
        _ => {
            reader.mismatch(node, path, "a period, a date or a deadline table", "write deadline = \"2027Q3\", { period = \"2027Q3\", kind = \"soft\", penalty = 20000 } or { target = \"2027Q2\", limit = \"2027Q3\", penalty = 20000 }");
            None
        }
    }
}

/// `{ target, limit, penalty }`: late after the target at the penalty per period, never after
/// the limit. Without a limit it is a soft deadline at the target.
fn read_target_and_limit(
    reader: &mut Reader,
    node: &Node,
    t: &DeTable,
    path: &str,
) -> Option<(PeriodRef, DraftDeadlineKind, Option<PeriodRef>)> {
    reader.check_keys(t, path, &["target", "limit", "penalty", "period", "kind"]);
    let example = "{ target = \"2027Q2\", limit = \"2027Q3\", penalty = 20000 }";
    if let Some(key) = ["period", "kind"].into_iter().find(|k| t.get(*k).is_some()) {
        reader.error(
            node,
            &join(path, key),
            format!("`{key}` does not go with a target and a limit"),
            format!("the target is the soft date and the limit the hard one: write {example}"),
        );
        return None;
    }
    let limit = reader.optional(t, path, "limit", period_ref);
    if t.get("target").is_none() {
        reader.error(
            node,
            &join(path, "target"),
            "a limit needs a target: the date the feature is due by, at a penalty per period late until the limit",
            format!("add the target and its penalty, e.g. {example}; or write a hard deadline, deadline = \"2027Q3\""),
        );
        return None;
    }
    let target = reader.required(node, t, path, "target", example, period_ref);
    let penalty = reader.optional(t, path, "penalty", |r, n, p| r.non_negative(n, p, "20000"));
    let Some(penalty) = penalty else {
        if t.get("penalty").is_none() {
            reader.error(
                node,
                &join(path, "penalty"),
                "a target needs a penalty: what each period late after it costs",
                format!("add penalty = value lost per period late, e.g. {example}"),
            );
        }
        return None;
    };
    Some((
        target?,
        DraftDeadlineKind::Soft {
            penalty_per_period: penalty,
        },
        limit,
    ))
}

/// `vendor_ready = "2027-03-15"` or `{ date = "2027-03-15", delay_weeks = [0, 2, 6] }`.
fn read_vendor_ready(reader: &mut Reader, node: &Node, path: &str) -> Option<DraftVendorReady> {
    match node.get_ref() {
        DeValue::Table(t) => {
            reader.check_keys(t, path, &["date", "delay_weeks"]);
            let example = "{ date = \"2027-03-15\", delay_weeks = [0, 2, 6] }";
            let date = reader.required(node, t, path, "date", example, period_ref);
            let delay_weeks = reader.optional(t, path, "delay_weeks", |r, n, p| {
                r.uncertain_input(n, p, Domain::NonNegative, "[0, 2, 6]")
            });
            Some(DraftVendorReady {
                date: date?,
                delay_weeks,
            })
        }
        _ => Some(DraftVendorReady {
            date: period_ref(reader, node, path)?,
            delay_weeks: None,
        }),
    }
}

pub(super) fn read_risk(
    reader: &mut Reader,
    node: &Node,
    path: &str,
    index: usize,
) -> Option<DraftRisk> {
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
    let common = reader.optional(t, &p0, "event", |r, n, p| {
        let id = r.string(n, p, "\"questionnaire\"")?;
        Some(Ref {
            id,
            location: r.loc(n),
            field: p.to_string(),
        })
    });
    // A hit of a common risk is named after it unless the file names it.
    let name = match (&common, t.get("name")) {
        (Some(c), None) => c.id.clone(),
        _ => name,
    };
    let field = format!("{path}[{name}]");
    reader.check_keys(t, &field, &RISK);
    let probability = match &common {
        // Given the common risk: how often it hits this feature when it happens.
        Some(_) => Some(
            reader
                .optional(t, &field, "probability", |r, n, p| r.fraction(n, p, "0.5"))
                .unwrap_or(1.0),
        ),
        None => reader.required(
            node,
            t,
            &field,
            "probability",
            "probability = 0.3 (or event = \"<id of a [[risks]] table>\" for a risk several features share)",
            |r, n, p| r.fraction(n, p, "0.3"),
        ),
    };
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
        common,
        effort,
        delay_weeks,
        cost,
        value_loss,
    })
}

pub(super) fn read_framework(reader: &mut Reader, t: &DeTable, path: &str) -> FrameworkFields {
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

/// `stages = ["backend", ["ios", "android"]]`: each entry a team id, or a list of team ids
/// that work in parallel.
fn read_stages(reader: &mut Reader, node: &Node, path: &str) -> Option<Vec<Vec<Ref>>> {
    const EXAMPLE: &str = "[\"backend\", [\"ios\", \"android\"]]";
    let DeValue::Array(items) = node.get_ref() else {
        reader.mismatch(
            node,
            path,
            "a list of stages",
            format!("write the teams in the order they work, e.g. stages = {EXAMPLE}"),
        );
        return None;
    };
    let mut stages = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let stage = match item.get_ref() {
            DeValue::String(_) => {
                let id = reader.string(item, &p, "\"backend\"")?;
                vec![Ref {
                    id,
                    location: reader.loc(item),
                    field: p,
                }]
            }
            _ => id_refs(reader, item, &p, "[\"ios\", \"android\"]"),
        };
        stages.push(stage);
    }
    Some(stages)
}
