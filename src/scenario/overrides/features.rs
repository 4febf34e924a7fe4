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

/// A feature's deadline, which keeps its kind.
pub(super) fn feature_deadline(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let last = &model.time.labels[model.time.periods - 1];
    let period = change.period(
        model,
        "a deadline is one period",
        "a deadline, which is a period",
        last,
    )?;
    let i = change.path.index;
    let old = model.features[i].deadline;
    let new = period.map(|period| Deadline {
        period,
        // A moved deadline keeps its kind (and a soft one its penalty).
        kind: old.map_or(DeadlineKind::Hard, |d| d.kind),
    });
    model.features[i].deadline = new;
    Ok((
        change.field,
        deadline_text(model, old),
        deadline_text(model, new),
    ))
}

/// A feature's earliest start.
pub(super) fn feature_earliest(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let period = change.period(
        model,
        "the earliest start is one period",
        "an earliest start, which is a period",
        &model.time.labels[0],
    )?;
    let feature = &mut model.features[change.path.index];
    let old = std::mem::replace(&mut feature.earliest_period, period);
    Ok((
        change.field,
        period_text(model, old),
        period_text(model, period),
    ))
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
