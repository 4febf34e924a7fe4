//! Override values: numbers, estimates and periods, combined with the current value by the
//! override's operator, and the text that shows a value before and after.

use super::*;

pub(super) fn parse_number(value: &str) -> Option<f64> {
    value
        .replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// The number of a plain-number override, checked on its own: a factor above 0, no negative
/// value to set.
pub(super) fn amount(field: &str, op: Op, value: &str, example: &str) -> Result<f64, Problem> {
    let x = parse_number(value).ok_or_else(|| {
        problem(
            field,
            format!("`{value}` is not a number"),
            format!("write a plain number, e.g. {example}"),
        )
    })?;
    match op {
        Op::Multiply => check_factor(field, x)?,
        Op::Set if x < 0.0 => return Err(negative(field, 0.0, op, x, x)),
        _ => {}
    }
    Ok(x)
}

/// `current` combined with the checked amount `x`; these fields may not go below zero.
pub(super) fn combine(field: &str, current: f64, op: Op, x: f64) -> Result<f64, Problem> {
    let out = match op {
        Op::Set => x,
        Op::Multiply => current * x,
        Op::Add => current + x,
        Op::Subtract => current - x,
    };
    if out < 0.0 {
        return Err(negative(field, current, op, x, out));
    }
    Ok(out)
}

/// A plain number combined with `op`.
pub(super) fn combine_number(
    field: &str,
    current: f64,
    op: Op,
    value: &str,
    example: &str,
) -> Result<f64, Problem> {
    combine(field, current, op, amount(field, op, value, example)?)
}

pub(super) fn check_factor(field: &str, factor: f64) -> Result<(), Problem> {
    if factor > 0.0 {
        Ok(())
    } else {
        Err(problem(
            field,
            format!("a factor must be greater than 0, got {}", fmt_num(factor)),
            "0.8 takes away 20%, 1.5 adds half; to set a value outright, use `=`",
        ))
    }
}

pub(super) fn negative(field: &str, current: f64, op: Op, x: f64, out: f64) -> Problem {
    let message = match op {
        Op::Set => format!("must not be negative, got {}", fmt_num(x)),
        _ => format!(
            "would become negative: {} {} {} = {}",
            fmt_num(current),
            if op == Op::Add { "+" } else { "-" },
            fmt_num(x),
            fmt_num(out)
        ),
    };
    problem(field, message, "use zero or a positive value")
}

/// Every value of the distribution moved by `shift`, quantile for quantile.
pub(super) fn shifted(dist: &Dist, shift: f64) -> Option<Dist> {
    Some(match dist {
        Dist::Constant { value } => Dist::Constant {
            value: value + shift,
        },
        Dist::Pert { low, likely, high } => Dist::Pert {
            low: low + shift,
            likely: likely + shift,
            high: high + shift,
        },
        Dist::Triangular { low, likely, high } => Dist::Triangular {
            low: low + shift,
            likely: likely + shift,
            high: high + shift,
        },
        Dist::Uniform { low, high } => Dist::Uniform {
            low: low + shift,
            high: high + shift,
        },
        Dist::Normal { mean, sd } => Dist::Normal {
            mean: mean + shift,
            sd: *sd,
        },
        // A shifted lognormal is no lognormal: there is no such distribution to write.
        Dist::LogNormal { .. } => return None,
        Dist::Discrete {
            values,
            probabilities,
        } => Dist::Discrete {
            values: values.iter().map(|v| v + shift).collect(),
            probabilities: probabilities.clone(),
        },
    })
}

/// An uncertain value combined with `op`: `=` sets a constant, `*=` scales the whole
/// distribution, `+=`/`-=` shift it. `None` is an absent optional field, which counts as 0.
pub(super) fn combine_dist(
    field: &str,
    current: Option<&Dist>,
    op: Op,
    value: &str,
    domain: Domain,
) -> Result<Dist, Problem> {
    let x = parse_number(value).ok_or_else(|| {
        let help = if value.starts_with('[') || value.starts_with('{') {
            "--set takes a number: `=` sets a constant, `*=` scales the whole estimate; to write a new estimate, edit a copy of the scenario and run roadmap whatif BASE.toml COPY.toml"
        } else {
            "write a plain number, e.g. 0.8 with *= or 5000 with ="
        };
        problem(field, format!("`{value}` is not a number"), help)
    })?;
    let out = match (op, current) {
        (Op::Set, _) => Dist::constant(x),
        (Op::Multiply, Some(d)) => {
            check_factor(field, x)?;
            d.scaled(x)
        }
        (Op::Multiply, None) => {
            return Err(problem(
                field,
                "not set in the scenario, so `*=` has nothing to scale",
                format!("set it with {}=AMOUNT", dotted(field)),
            ))
        }
        (Op::Add | Op::Subtract, current) => {
            let shift = if op == Op::Add { x } else { -x };
            let base = current.cloned().unwrap_or(Dist::constant(0.0));
            shifted(&base, shift).ok_or_else(|| {
                problem(
                    field,
                    format!("cannot shift a lognormal by `{}`", op.symbol()),
                    "scale it with *= (e.g. *=1.1), or set a constant with =",
                )
            })?
        }
    };
    if let Some((message, help)) = domain_problem(domain, &out) {
        return Err(problem(
            field,
            format!("after {}{value}: {message}", op.symbol()),
            help,
        ));
    }
    Ok(out)
}

/// `features[sso].effort.web` written back the way `--set` takes it: `features.sso.effort.web`.
pub(super) fn dotted(field: &str) -> String {
    field.replace('[', ".").replace(']', "")
}

/// Money as the override table shows it: "3.4M USD", as readable as the rest of the
/// report's amounts.
pub(super) fn money_text(x: f64, currency: &str) -> String {
    format!("{} {currency}", crate::model::dist::fmt_short(x))
}

pub(super) fn describe_input(model: &Model, id: Option<InputId>) -> String {
    id.map_or_else(|| "none".to_string(), |i| model.dist(i).describe())
}

pub(super) fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| fmt_num(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets the input `id` (or, when absent, a new input named `name`) to `dist`; returns its id.
pub(super) fn put_input(model: &mut Model, id: Option<InputId>, name: &str, dist: Dist) -> InputId {
    match id {
        Some(i) => {
            model.inputs[i.0 as usize].dist = dist;
            i
        }
        None => {
            // A new input gets the name a file would have given it, so a later run that writes
            // it in the file draws the same numbers.
            model.inputs.push(Input {
                name: name.to_string(),
                dist,
            });
            InputId((model.inputs.len() - 1) as u32)
        }
    }
}

/// Resolves a period written as the files write it (a label or a 1-based number), or, where
/// the field may be absent, `none`.
pub(super) fn parse_period(
    model: &Model,
    field: &str,
    value: &str,
    none_allowed: bool,
) -> Result<Option<usize>, Problem> {
    if none_allowed && value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let (or_none, up_to_or_none) = if none_allowed {
        ("; `none` removes it", " (or `none` to remove it)")
    } else {
        ("", "")
    };
    let time = &model.time;
    // On a command line "Sprint 6" needs quotes; "Sprint6" is the same period.
    let squeezed = |text: &str| text.split_whitespace().collect::<String>().to_lowercase();
    let found = time.find_period(value).or_else(|| {
        time.labels
            .iter()
            .position(|l| squeezed(l) == squeezed(value))
    });
    if let Some(p) = found {
        return Ok(Some(p));
    }
    let (first, last) = (&time.labels[0], &time.labels[time.periods - 1]);
    let later = time
        .labels_for(time.periods + 60)
        .iter()
        .position(|l| l.eq_ignore_ascii_case(value));
    Err(match later {
        Some(k) => problem(
            field,
            format!("`{value}` is after the plan's last period, {last}"),
            format!(
                "use a period up to {last}{up_to_or_none}; a longer plan needs plan.periods = {} in the file",
                k + 1
            ),
        ),
        None => problem(
            field,
            format!("`{value}` is not a period of this plan"),
            format!(
                "periods are named {first}..{last}, or numbered 1..{}{or_none}",
                time.periods
            ),
        ),
    })
}

/// A period written as a label, a number or a date (read as `reads` says, as in a file), or
/// `none` where the field may be absent.
pub(super) fn parse_period_or_date(
    model: &Model,
    field: &str,
    value: &str,
    none_allowed: bool,
    reads: Reads,
) -> Result<Option<usize>, Problem> {
    let date = match Date::parse(value) {
        DateText::NotADate => return parse_period(model, field, value, none_allowed),
        DateText::Malformed(why) => {
            return Err(problem(
                field,
                why,
                "write a date as YYYY-MM-DD, e.g. 2027-09-30",
            ))
        }
        DateText::Date(date) => date,
    };
    let time = &model.time;
    let Some(calendar) = &time.calendar else {
        return Err(problem(
            field,
            format!("`{value}` is a date, but the plan has no start date to count periods from"),
            format!(
                "write a period, {}..{}; or give the scenario's [plan] a start_date",
                time.labels[0],
                time.labels[time.periods - 1]
            ),
        ));
    };
    let placed = match reads {
        Reads::Due => calendar.due_by(date),
        Reads::Open => calendar.open_from(date),
    };
    let (first, last) = (calendar.start, calendar.last_day(time.periods - 1));
    match placed {
        Placed::Period { period, .. } => Ok(Some(period)),
        Placed::BeforeStart => Err(problem(
            field,
            format!("{date} is before the plan starts ({first})"),
            format!("use a date from {first} to {last}"),
        )),
        Placed::BeforeFirstEnd => Err(problem(
            field,
            format!(
                "{date} is before the plan's first period ends ({})",
                calendar.last_day(0)
            ),
            format!(
                "work is delivered at the end of a period: use a date from {} to {last}",
                calendar.last_day(0)
            ),
        )),
        Placed::AfterEnd { .. } => Err(problem(
            field,
            format!("{date} is after the plan's last period"),
            format!("use a date up to {last}; a longer plan needs more plan.periods in the file"),
        )),
    }
}

/// Periods and flags are set, not computed: `what` says what the field holds.
pub(super) fn only_set(field: &str, op: Op, what: &str, example: &str) -> Result<(), Problem> {
    if op == Op::Set {
        Ok(())
    } else {
        Err(problem(
            field,
            format!("`{}` does not apply to {what}", op.symbol()),
            format!("set it with `=`, e.g. {example}"),
        ))
    }
}

pub(super) fn no_qualifier(field: &str, qualifier: Option<&str>, why: &str) -> Result<(), Problem> {
    match qualifier {
        None => Ok(()),
        Some(q) => Err(problem(
            format!("{field}.{q}"),
            format!(
                "`{q}` after `{}`: {why}",
                field.rsplit('.').next().unwrap_or(field)
            ),
            format!("write {} alone", dotted(field)),
        )),
    }
}

pub(super) fn deadline_text(model: &Model, deadline: Option<Deadline>) -> String {
    let labels = &model.time.labels;
    match deadline {
        None => "none".into(),
        Some(d) => match (d.kind, d.limit) {
            (DeadlineKind::Hard, _) => format!("{} (hard)", labels[d.period]),
            (DeadlineKind::Soft { penalty_per_period }, None) => format!(
                "{} (soft, {} a period late)",
                labels[d.period],
                fmt_num(penalty_per_period)
            ),
            (DeadlineKind::Soft { penalty_per_period }, Some(limit)) => format!(
                "{} (target, {} a period late; limit {})",
                labels[d.period],
                fmt_num(penalty_per_period),
                labels[limit]
            ),
        },
    }
}

pub(super) fn period_text(model: &Model, period: Option<usize>) -> String {
    period.map_or_else(|| "none".into(), |p| model.time.labels[p].clone())
}
