//! Overrides of a feature: efforts and uplifts per key, estimates, ramp, deadline, earliest
//! start, mandatory.

use super::*;

/// A feature's per-team efforts or per-segment uplifts, all or one key.
pub(super) fn feature_effort_or_uplift(
    model: &mut Model,
    change: Change,
) -> Result<Changed, Problem> {
    let keyed = if change.path.field == "effort" {
        Keyed::Effort
    } else {
        Keyed::Uplift
    };
    feature_keyed(
        model,
        keyed,
        &change.path,
        &change.field,
        change.op,
        change.value,
    )
}

/// A feature's direct value, one-off cost or vendor lead time.
pub(super) fn feature_estimate(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("this field is one estimate")?;
    let Change {
        path, field, op, ..
    } = &change;
    let i = path.index;
    let feature = &model.features[i];
    let current = match path.field {
        "value" => feature.value_monthly,
        "cost" => feature.cost,
        _ => feature.vendor_lead_weeks,
    };
    let (before, id) = change
        .estimate(model, current, Domain::NonNegative)
        .map_err(|mut p| {
            if path.field == "value" && current.is_none() && *op == Op::Multiply {
                p.help = format!("{} has no direct value (its value comes through segments); scale its uplift with {}.uplift*=FACTOR, or set a direct value with {}=AMOUNT", path.item, dotted(&path.item), dotted(field));
            }
            p
        })?;
    let feature = &mut model.features[i];
    match path.field {
        "value" => feature.value_monthly = Some(id),
        "cost" => feature.cost = Some(id),
        _ => feature.vendor_lead_weeks = Some(id),
    }
    Ok((change.field, before, describe_input(model, Some(id))))
}

/// A feature's ramp to full adoption, in months.
pub(super) fn feature_ramp(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the ramp is one number")?;
    let feature = &mut model.features[change.path.index];
    let before = fmt_num(feature.ramp_months);
    feature.ramp_months = change.number(feature.ramp_months, "3")?;
    Ok((change.field, before, fmt_num(feature.ramp_months)))
}

/// A feature's deadline, which keeps its kind (`deadline`), or the hard limit after its soft
/// target (`deadline.limit`).
pub(super) fn feature_deadline(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    if change.path.qualifier == Some("limit") {
        return feature_deadline_limit(model, change);
    }
    let last = &model.time.labels[model.time.periods - 1];
    let period = change.period(
        model,
        (
            "a deadline is one period; its limit is deadline.limit",
            "a deadline, which is a period",
            last,
        ),
        Reads::Due,
    )?;
    let i = change.path.index;
    let old = model.features[i].deadline;
    let limit = old.and_then(|d| d.limit);
    if let (Some(p), Some(l)) = (period, limit) {
        if p >= l {
            return Err(problem(
                &change.field,
                format!(
                    "the target {} would not be before its limit {}",
                    model.time.labels[p], model.time.labels[l]
                ),
                format!(
                    "move the limit first with {}.limit=PERIOD, or choose a target before {}",
                    dotted(&change.field),
                    model.time.labels[l]
                ),
            ));
        }
    }
    let new = period.map(|period| Deadline {
        period,
        // A moved deadline keeps its kind (and a soft one its penalty and limit).
        kind: old.map_or(DeadlineKind::Hard, |d| d.kind),
        limit,
    });
    model.features[i].deadline = new;
    Ok((
        change.field,
        deadline_text(model, old),
        deadline_text(model, new),
    ))
}

/// The hard limit after a soft deadline's target, or none.
fn feature_deadline_limit(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let field = format!("{}.limit", change.field);
    let dotted_field = dotted(&field);
    only_set(
        &field,
        change.op,
        "a limit, which is a period",
        &format!("{dotted_field}=2027Q4"),
    )?;
    let i = change.path.index;
    let old = model.features[i].deadline;
    let Some(target) = old.filter(|d| d.soft().is_some()) else {
        return Err(problem(
            &field,
            "a limit goes after a soft deadline's target, and this feature has none",
            format!(
                "give it a soft deadline in the scenario file ({{ target, limit, penalty }}), or move its deadline with {}=PERIOD",
                dotted(&change.field)
            ),
        ));
    };
    let limit = parse_period_or_date(model, &field, change.value, true, Reads::Due)?;
    if let Some(l) = limit.filter(|&l| l <= target.period) {
        return Err(problem(
            &field,
            format!(
                "the limit {} is not after the target {}",
                model.time.labels[l], model.time.labels[target.period]
            ),
            format!("choose a limit after {}", model.time.labels[target.period]),
        ));
    }
    let new = Some(Deadline { limit, ..target });
    model.features[i].deadline = new;
    Ok((field, deadline_text(model, old), deadline_text(model, new)))
}

/// A feature's earliest start.
pub(super) fn feature_earliest(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let period = change.period(
        model,
        (
            "the earliest start is one period",
            "an earliest start, which is a period",
            &model.time.labels[0],
        ),
        Reads::Open,
    )?;
    let feature = &mut model.features[change.path.index];
    let old = std::mem::replace(&mut feature.earliest_period, period);
    Ok((
        change.field,
        period_text(model, old),
        period_text(model, period),
    ))
}

/// A feature's vendor ready date: set to a date, removed with `none`, or moved by weeks with
/// `+=` and `-=` (a vendor that slips); its uncertain delay is kept.
pub(super) fn feature_vendor_ready(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("the ready date is one date")?;
    let i = change.path.index;
    let old = model.features[i].vendor_ready.clone();
    let text = |v: &Option<crate::model::VendorReady>| {
        v.as_ref()
            .map_or_else(|| "none".into(), |v| v.date.to_string())
    };
    let dotted_field = dotted(&change.field);
    let Some(calendar) = model.time.calendar.clone() else {
        return Err(problem(
            &change.field,
            "the plan has no start date, so a ready date cannot be placed in it",
            "give the scenario's [plan] a start date (start = \"YYYY-MM-DD\" or start_date)",
        ));
    };
    let date = match (change.op, &old) {
        (Op::Set, _) if change.value.eq_ignore_ascii_case("none") => None,
        (Op::Set, _) => match Date::parse(change.value) {
            DateText::Date(date) => Some(date),
            DateText::Malformed(why) => {
                return Err(problem(&change.field, why, "write a date as YYYY-MM-DD, e.g. 2027-03-15"))
            }
            DateText::NotADate => {
                return Err(problem(
                    &change.field,
                    format!("`{}` is not a date", change.value),
                    format!("write {dotted_field}=2027-03-15, or {dotted_field}+=WEEKS to move it later"),
                ))
            }
        },
        (Op::Add | Op::Subtract, Some(v)) => {
            let weeks = amount(&change.field, change.op, change.value, "4")?;
            let sign = if change.op == Op::Add { 1.0 } else { -1.0 };
            Some(v.date.plus_days((sign * weeks * 7.0).round() as i64))
        }
        _ => {
            return Err(problem(
                &change.field,
                format!("`{}` does not apply to a ready date", change.op.symbol()),
                format!("set it with {dotted_field}=2027-03-15, or move an existing one with {dotted_field}+=WEEKS"),
            ))
        }
    };
    let new = date.map(|date| crate::model::VendorReady {
        date,
        weeks: calendar.weeks_at_end_of(date),
        delay_weeks: old.as_ref().and_then(|v| v.delay_weeks),
    });
    model.features[i].vendor_ready = new.clone();
    Ok((change.field, text(&old), text(&new)))
}

/// Whether a feature is mandatory.
pub(super) fn feature_mandatory(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("mandatory is true or false")?;
    let dotted = dotted(&change.field);
    only_set(
        &change.field,
        change.op,
        "true or false",
        &format!("{dotted}=true"),
    )?;
    let flag = match change.value.to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(problem(
                &change.field,
                format!("`{}` is not true or false", change.value),
                format!("write {dotted}=true or {dotted}=false"),
            ))
        }
    };
    let feature = &mut model.features[change.path.index];
    let old = std::mem::replace(&mut feature.mandatory, flag);
    Ok((change.field, old.to_string(), flag.to_string()))
}

/// The per-team efforts or per-segment uplifts of a feature: one estimate per key.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Keyed {
    Effort,
    Uplift,
}

impl Keyed {
    pub(super) fn key_kind(self) -> &'static str {
        match self {
            Keyed::Effort => "team",
            Keyed::Uplift => "segment",
        }
    }

    pub(super) fn keys(self, model: &Model) -> Vec<&str> {
        match self {
            Keyed::Effort => model.teams.iter().map(|t| t.id.as_str()).collect(),
            Keyed::Uplift => model.segments.iter().map(|s| s.id.as_str()).collect(),
        }
    }

    pub(super) fn pairs(self, model: &Model, f: usize) -> Vec<(usize, InputId)> {
        let feature = &model.features[f];
        match self {
            Keyed::Effort => feature.effort.iter().map(|e| (e.team, e.weeks)).collect(),
            Keyed::Uplift => feature
                .uplift
                .iter()
                .map(|u| (u.segment, u.fraction))
                .collect(),
        }
    }

    pub(super) fn push(self, model: &mut Model, f: usize, key: usize, id: InputId) {
        let feature = &mut model.features[f];
        match self {
            Keyed::Effort => feature.effort.push(Effort {
                team: key,
                weeks: id,
            }),
            Keyed::Uplift => feature.uplift.push(Uplift {
                segment: key,
                fraction: id,
            }),
        }
    }

    pub(super) fn domain(self) -> Domain {
        match self {
            Keyed::Effort => Domain::NonNegative,
            Keyed::Uplift => Domain::Fraction,
        }
    }

    pub(super) fn example(self) -> &'static str {
        match self {
            Keyed::Effort => "WEEKS",
            Keyed::Uplift => "SHARE",
        }
    }
}

/// `features.sso.effort.web` (one team), or `features.sso.effort` (every team the feature has;
/// only `*=` unless there is just one). The same for uplifts by segment.
pub(super) fn feature_keyed(
    model: &mut Model,
    keyed: Keyed,
    path: &Path,
    field: &str,
    op: Op,
    value: &str,
) -> Result<(String, String, String), Problem> {
    let f = path.index;
    let pairs = keyed.pairs(model, f);
    let owned: Vec<String> = keyed.keys(model).iter().map(|k| k.to_string()).collect();
    let keys: Vec<&str> = owned.iter().map(String::as_str).collect();
    let kind = keyed.key_kind();
    let key = match path.qualifier {
        Some(q) => match keys.iter().position(|k| *k == q) {
            Some(k) => Some(k),
            None => {
                return Err(problem(
                    format!("{field}.{q}"),
                    format!("unknown {kind} `{q}`"),
                    if keys.is_empty() {
                        format!("the scenario has no {kind}s")
                    } else {
                        suggest(q, &keys, &format!("{kind}s are"))
                    },
                ))
            }
        },
        None if pairs.len() == 1 => Some(pairs[0].0),
        None => None,
    };
    if let Some(k) = key {
        let one = format!("{field}.{}", keys[k]);
        let current = pairs.iter().find(|(key, _)| *key == k).map(|p| p.1);
        let before = describe_input(model, current);
        let dist = combine_dist(
            &one,
            current.map(|c| model.dist(c)),
            op,
            value,
            keyed.domain(),
        )
        .map_err(|mut p| {
            if current.is_none() && op == Op::Multiply {
                p.message = format!(
                    "{} has no {} on {kind} `{}`, so there is nothing to scale",
                    path.item, path.field, keys[k]
                );
                p.help = format!("set one with {}={}", dotted(&one), keyed.example());
            }
            p
        })?;
        let id = put_input(model, current, &one, dist);
        if current.is_none() {
            keyed.push(model, f, k, id);
        }
        return Ok((one, before, describe_input(model, Some(id))));
    }
    let named: Vec<&str> = pairs.iter().map(|(k, _)| keys[*k]).collect();
    if op != Op::Multiply || pairs.is_empty() {
        let message = if pairs.is_empty() {
            format!("the feature has no {}", path.field)
        } else {
            format!(
                "the feature has {} on {kind}s {}: `{}` needs one {kind}",
                path.field,
                named.join(", "),
                op.symbol()
            )
        };
        let first = named
            .first()
            .copied()
            .or(keys.first().copied())
            .unwrap_or(kind);
        let help = if pairs.is_empty() {
            format!(
                "name the {kind}: {}.{first}={}",
                dotted(field),
                keyed.example()
            )
        } else {
            format!(
                "name the {kind}, e.g. {}.{first}{}{value}, or scale them all with {}*=FACTOR",
                dotted(field),
                op.symbol(),
                dotted(field)
            )
        };
        return Err(problem(field, message, help));
    }
    let describe = |model: &Model| {
        pairs
            .iter()
            .map(|(k, id)| format!("{} {}", keys[*k], model.dist(*id).describe()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let before = describe(model);
    let mut scaled = Vec::new();
    for (k, id) in &pairs {
        let one = format!("{field}.{}", keys[*k]);
        scaled.push(combine_dist(
            &one,
            Some(model.dist(*id)),
            op,
            value,
            keyed.domain(),
        )?);
    }
    for ((_, id), dist) in pairs.iter().zip(scaled) {
        put_input(model, Some(*id), "", dist);
    }
    Ok((field.to_string(), before, describe(model)))
}
