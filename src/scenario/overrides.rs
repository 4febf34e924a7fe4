//! What-if overrides of a validated scenario, written on the command line in the field names
//! scenario files use: `teams.web.capacity*=0.8`, `features.sso.deadline=2027Q3`,
//! `segments.smb.demand*=0.5`, `plan.budget=none`.
//!
//! Overrides change a copy of the [`Model`]. An uncertain input keeps its name, so the
//! simulator draws it from the same random stream as before (common random numbers): a scaled
//! input moves quantile for quantile with the original, and every input not overridden draws
//! exactly what it drew in the base scenario.
//!
//! Problems are [`Finding`]s located at the `--set` argument, collected for every argument
//! before failing, as validation does for a file.

use super::finding::{did_you_mean, Finding, Location};
use super::reader::{domain_problem, Domain};
use crate::model::dist::fmt_num;
use crate::model::{Deadline, DeadlineKind, Dist, Effort, Input, InputId, Model, Uplift};
use serde::Serialize;

/// How an override combines its value with the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `PATH=VALUE`
    Set,
    /// `PATH*=FACTOR`
    Multiply,
    /// `PATH+=AMOUNT`
    Add,
    /// `PATH-=AMOUNT`
    Subtract,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Set => "=",
            Op::Multiply => "*=",
            Op::Add => "+=",
            Op::Subtract => "-=",
        }
    }
}

/// One override as applied: what the user wrote and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// The argument as written, e.g. `teams.web.capacity*=0.8`.
    pub argument: String,
    /// The field as validation names it, e.g. `teams[web].capacity`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields `--set` can change, per section, as help lists them.
const TEAM_FIELDS: [&str; 4] = [
    "capacity",
    "capacity.<period>",
    "capacity_factor",
    "cost_per_week",
];
const FEATURE_FIELDS: [&str; 11] = [
    "effort",
    "effort.<team>",
    "value",
    "uplift",
    "uplift.<segment>",
    "cost",
    "vendor_lead_weeks",
    "ramp_months",
    "deadline",
    "mandatory",
    "earliest",
];
const SEGMENT_FIELDS: [&str; 3] = ["demand", "growth", "price"];
const DEAL_FIELDS: [&str; 3] = ["one_off", "monthly", "by"];
const PLAN_FIELDS: [&str; 1] = ["budget"];
const SECTIONS: [&str; 5] = ["teams", "features", "segments", "deals", "plan"];

/// A problem with one argument: what is wrong and how to fix it, at a field.
struct Problem {
    field: String,
    message: String,
    help: String,
}

fn problem(
    field: impl Into<String>,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
        help: help.into(),
    }
}

/// Where a finding about an argument points: the argument itself.
pub fn argument_location(argument: &str) -> Location {
    Location {
        file: format!("--set {argument}"),
        line: 0,
        column: 0,
    }
}

/// Applies every override in order to a copy of `model`. Each argument is checked on its own,
/// so one run reports every malformed or impossible override; the model is returned only when
/// all of them apply.
pub fn apply(model: &Model, arguments: &[String]) -> Result<(Model, Vec<Applied>), Vec<Finding>> {
    let mut variant = model.clone();
    let mut applied = Vec::new();
    let mut findings = Vec::new();
    for argument in arguments {
        match apply_one(&mut variant, argument) {
            Ok(a) => applied.push(a),
            Err(p) => findings
                .push(Finding::error(argument_location(argument), p.field, p.message).help(p.help)),
        }
    }
    if findings.is_empty() {
        Ok((variant, applied))
    } else {
        Err(findings)
    }
}

/// `PATH<op>VALUE`, split.
fn split(argument: &str) -> Result<(&str, Op, &str), Problem> {
    let malformed = |message: String| {
        problem(
            "",
            message,
            "write PATH=VALUE, PATH*=FACTOR, PATH+=AMOUNT or PATH-=AMOUNT, e.g. --set teams.web.capacity*=0.8",
        )
    };
    let Some(eq) = argument.find('=') else {
        return Err(malformed("no `=` in the override".into()));
    };
    let (head, value) = (&argument[..eq], argument[eq + 1..].trim());
    let (path, op) = match head.chars().last() {
        Some('*') => (&head[..head.len() - 1], Op::Multiply),
        Some('+') => (&head[..head.len() - 1], Op::Add),
        Some('-') => (&head[..head.len() - 1], Op::Subtract),
        _ => (head, Op::Set),
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(malformed(format!("no field before `{}`", op.symbol())));
    }
    if value.is_empty() {
        return Err(malformed(format!("no value after `{}`", op.symbol())));
    }
    Ok((path, op, value))
}

/// A path split into its section, item id and field (with what follows the field).
struct Path<'a> {
    section: &'a str,
    /// Index of the item in its section (absent for `plan`).
    index: usize,
    /// `features[sso]`, or `plan`.
    item: String,
    field: &'a str,
    qualifier: Option<&'a str>,
}

fn ids_of<'m>(model: &'m Model, section: &str) -> Vec<&'m str> {
    match section {
        "teams" => model.teams.iter().map(|t| t.id.as_str()).collect(),
        "features" => model.features.iter().map(|f| f.id.as_str()).collect(),
        "segments" => model.segments.iter().map(|s| s.id.as_str()).collect(),
        "deals" => model.deals.iter().map(|d| d.id.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn fields_of(section: &str) -> &'static [&'static str] {
    match section {
        "teams" => &TEAM_FIELDS,
        "features" => &FEATURE_FIELDS,
        "segments" => &SEGMENT_FIELDS,
        "deals" => &DEAL_FIELDS,
        _ => &PLAN_FIELDS,
    }
}

fn singular(section: &str) -> &'static str {
    match section {
        "teams" => "team",
        "features" => "feature",
        "segments" => "segment",
        "deals" => "deal",
        _ => "plan",
    }
}

/// "did you mean `x`? " when a candidate is close, then the list of candidates.
fn suggest(word: &str, candidates: &[&str], kind: &str) -> String {
    let list = if candidates.len() > 12 {
        format!(
            "{}, ... ({} in all)",
            candidates[..12].join(", "),
            candidates.len()
        )
    } else {
        candidates.join(", ")
    };
    match did_you_mean(word, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? {kind}: {list}"),
        None => format!("{kind}: {list}"),
    }
}

/// Splits `teams.web.capacity.2027Q3` (or `teams[web].capacity.2027Q3`). Ids may contain dots,
/// so the id is the longest known id the path continues with.
fn parse_path<'a>(model: &Model, path: &'a str) -> Result<Path<'a>, Problem> {
    let cut = path.find(['.', '[']).unwrap_or(path.len());
    let section = &path[..cut];
    let rest = &path[cut..];
    if !SECTIONS.contains(&section) {
        return Err(problem(
            section,
            format!("unknown section `{section}`"),
            suggest(section, &SECTIONS, "a path starts with one of"),
        ));
    }
    let fields = fields_of(section);
    let field_help = |what: &str| {
        format!(
            "{what}: {}; to change anything else, edit a copy of the scenario and run roadmap whatif BASE.toml COPY.toml",
            fields.join(", ")
        )
    };
    let (index, item, after) = if section == "plan" {
        (0, "plan".to_string(), rest)
    } else {
        let ids = ids_of(model, section);
        let kind = format!("{}s are", singular(section));
        let (id, after): (&str, &str) = if let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else {
                return Err(problem(
                    section,
                    format!("`{path}` has `[` without `]`"),
                    format!("write {section}[<id>].<field> or {section}.<id>.<field>"),
                ));
            };
            (&inner[..close], &inner[close + 1..])
        } else if let Some(inner) = rest.strip_prefix('.') {
            let longest = ids
                .iter()
                .filter(|id| {
                    inner.starts_with(**id)
                        && matches!(inner.as_bytes().get(id.len()), None | Some(b'.'))
                })
                .max_by_key(|id| id.len());
            match longest {
                Some(id) => (&inner[..id.len()], &inner[id.len()..]),
                None => {
                    let word = &inner[..inner.find('.').unwrap_or(inner.len())];
                    (word, &inner[word.len()..])
                }
            }
        } else {
            return Err(problem(
                section,
                format!("`{path}` names no {}", singular(section)),
                format!("write {section}.<id>.<field>; {}", suggest("", &ids, &kind)),
            ));
        };
        let Some(index) = ids.iter().position(|i| *i == id) else {
            let what = if id.is_empty() {
                format!("no {} id in `{path}`", singular(section))
            } else {
                format!("unknown {} `{id}`", singular(section))
            };
            let help = if ids.is_empty() {
                format!("the scenario has no {section}")
            } else {
                suggest(id, &ids, &kind)
            };
            return Err(problem(format!("{section}[{id}]"), what, help));
        };
        (index, format!("{section}[{id}]"), after)
    };
    let Some(after) = after.strip_prefix('.').filter(|a| !a.is_empty()) else {
        return Err(problem(
            item.clone(),
            format!("`{path}` names no field"),
            field_help(&format!("add one of the fields --set can change on {item}")),
        ));
    };
    let (field, qualifier) = match after.find('.') {
        Some(dot) => (&after[..dot], Some(&after[dot + 1..])),
        None => (after, None),
    };
    let known: Vec<&str> = fields
        .iter()
        .map(|f| f.split('.').next().unwrap_or(f))
        .collect();
    if !known.contains(&field) {
        let close = did_you_mean(field, known.iter().copied());
        let help = match close {
            Some(c) => format!("did you mean `{c}`? {}", field_help("fields")),
            None => field_help("fields --set can change"),
        };
        return Err(problem(
            format!("{item}.{field}"),
            format!("no field `{field}` that --set can change"),
            help,
        ));
    }
    Ok(Path {
        section,
        index,
        item,
        field,
        qualifier,
    })
}

fn parse_number(value: &str) -> Option<f64> {
    value
        .replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// The number of a plain-number override, checked on its own: a factor above 0, no negative
/// value to set.
fn amount(field: &str, op: Op, value: &str, example: &str) -> Result<f64, Problem> {
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
fn combine(field: &str, current: f64, op: Op, x: f64) -> Result<f64, Problem> {
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
fn combine_number(
    field: &str,
    current: f64,
    op: Op,
    value: &str,
    example: &str,
) -> Result<f64, Problem> {
    combine(field, current, op, amount(field, op, value, example)?)
}

fn check_factor(field: &str, factor: f64) -> Result<(), Problem> {
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

fn negative(field: &str, current: f64, op: Op, x: f64, out: f64) -> Problem {
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
fn shifted(dist: &Dist, shift: f64) -> Option<Dist> {
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
fn combine_dist(
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
fn dotted(field: &str) -> String {
    field.replace('[', ".").replace(']', "")
}

/// Money as the override table shows it: "3.4M USD", as readable as the rest of the
/// report's amounts.
fn money_text(x: f64, currency: &str) -> String {
    format!("{} {currency}", crate::model::dist::fmt_short(x))
}

fn describe_input(model: &Model, id: Option<InputId>) -> String {
    id.map_or_else(|| "none".to_string(), |i| model.dist(i).describe())
}

fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| fmt_num(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets the input `id` (or, when absent, a new input named `name`) to `dist`; returns its id.
fn put_input(model: &mut Model, id: Option<InputId>, name: &str, dist: Dist) -> InputId {
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
fn parse_period(
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
    let later =
        crate::model::time::period_labels(&time.start, time.periods + 60, time.period_weeks)
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

/// Periods and flags are set, not computed: `what` says what the field holds.
fn only_set(field: &str, op: Op, what: &str, example: &str) -> Result<(), Problem> {
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

fn no_qualifier(field: &str, qualifier: Option<&str>, why: &str) -> Result<(), Problem> {
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

fn deadline_text(model: &Model, deadline: Option<Deadline>) -> String {
    match deadline {
        None => "none".into(),
        Some(d) => match d.kind {
            DeadlineKind::Hard => format!("{} (hard)", model.time.labels[d.period]),
            DeadlineKind::Soft { penalty_per_period } => format!(
                "{} (soft, {} a period late)",
                model.time.labels[d.period],
                fmt_num(penalty_per_period)
            ),
        },
    }
}

fn period_text(model: &Model, period: Option<usize>) -> String {
    period.map_or_else(|| "none".into(), |p| model.time.labels[p].clone())
}

fn apply_one(model: &mut Model, argument: &str) -> Result<Applied, Problem> {
    let (path_text, op, value) = split(argument)?;
    let path = parse_path(model, path_text)?;
    let field = format!("{}.{}", path.item, path.field);
    let done = |field: String, before: String, after: String| Applied {
        argument: argument.to_string(),
        field,
        before,
        after,
    };
    let i = path.index;
    match (path.section, path.field) {
        ("teams", "capacity") => {
            let periods: Vec<usize> = match path.qualifier {
                None => (0..model.time.periods).collect(),
                Some(q) => {
                    let one = format!("{field}.{q}");
                    parse_period(model, &one, q, false)?.into_iter().collect()
                }
            };
            let x = amount(&field, op, value, "40")?;
            let team = &mut model.teams[i];
            let before = list(&team.capacity_weeks);
            for &p in &periods {
                let label = &model.time.labels[p];
                let f = if path.qualifier.is_some() {
                    format!("{field}.{label}")
                } else {
                    format!("{field} in {label}")
                };
                team.capacity_weeks[p] = combine(&f, team.capacity_weeks[p], op, x)?;
            }
            let after = list(&team.capacity_weeks);
            let field = match path.qualifier {
                Some(_) => format!("{field}.{}", model.time.labels[periods[0]]),
                None => field,
            };
            Ok(done(field, before, after))
        }
        ("teams", "capacity_factor") => {
            no_qualifier(&field, path.qualifier, "the factor applies to every period")?;
            let id = model.teams[i].capacity_factor;
            let before = describe_input(model, Some(id));
            let dist = combine_dist(
                &field,
                Some(model.dist(id)),
                op,
                value,
                Domain::CapacityFactor,
            )?;
            put_input(model, Some(id), "", dist);
            Ok(done(field, before, describe_input(model, Some(id))))
        }
        ("teams", "cost_per_week") => {
            no_qualifier(
                &field,
                path.qualifier,
                "the cost is one number for every period",
            )?;
            let currency = model.currency.clone();
            let team = &mut model.teams[i];
            let before = money_text(team.cost_per_week, &currency);
            team.cost_per_week = combine_number(&field, team.cost_per_week, op, value, "3500")?;
            Ok(done(
                field,
                before,
                money_text(team.cost_per_week, &currency),
            ))
        }
        ("features", "effort" | "uplift") => {
            let keyed = if path.field == "effort" {
                Keyed::Effort
            } else {
                Keyed::Uplift
            };
            let (field, before, after) = feature_keyed(model, keyed, &path, &field, op, value)?;
            Ok(done(field, before, after))
        }
        ("features", "value" | "cost" | "vendor_lead_weeks") => {
            no_qualifier(&field, path.qualifier, "this field is one estimate")?;
            let feature = &model.features[i];
            let current = match path.field {
                "value" => feature.value_monthly,
                "cost" => feature.cost,
                _ => feature.vendor_lead_weeks,
            };
            let before = describe_input(model, current);
            let dist = combine_dist(
                &field,
                current.map(|c| model.dist(c)),
                op,
                value,
                Domain::NonNegative,
            )
            .map_err(|mut p| {
                if path.field == "value" && current.is_none() && op == Op::Multiply {
                    p.help = format!("{} has no direct value (its value comes through segments); scale its uplift with {}.uplift*=FACTOR, or set a direct value with {}=AMOUNT", path.item, dotted(&path.item), dotted(&field));
                }
                p
            })?;
            let id = put_input(model, current, &field, dist);
            let feature = &mut model.features[i];
            match path.field {
                "value" => feature.value_monthly = Some(id),
                "cost" => feature.cost = Some(id),
                _ => feature.vendor_lead_weeks = Some(id),
            }
            Ok(done(field, before, describe_input(model, Some(id))))
        }
        ("features", "ramp_months") => {
            no_qualifier(&field, path.qualifier, "the ramp is one number")?;
            let feature = &mut model.features[i];
            let before = fmt_num(feature.ramp_months);
            feature.ramp_months = combine_number(&field, feature.ramp_months, op, value, "3")?;
            Ok(done(field, before, fmt_num(feature.ramp_months)))
        }
        ("features", "deadline") => {
            no_qualifier(&field, path.qualifier, "a deadline is one period")?;
            only_set(
                &field,
                op,
                "a deadline, which is a period",
                &format!(
                    "{}={}",
                    dotted(&field),
                    model.time.labels[model.time.periods - 1]
                ),
            )?;
            let period = parse_period(model, &field, value, true)?;
            let old = model.features[i].deadline;
            let new = period.map(|period| Deadline {
                period,
                // A moved deadline keeps its kind (and a soft one its penalty).
                kind: old.map_or(DeadlineKind::Hard, |d| d.kind),
            });
            model.features[i].deadline = new;
            Ok(done(
                field,
                deadline_text(model, old),
                deadline_text(model, new),
            ))
        }
        ("features", "earliest") => {
            no_qualifier(&field, path.qualifier, "the earliest start is one period")?;
            only_set(
                &field,
                op,
                "an earliest start, which is a period",
                &format!("{}={}", dotted(&field), model.time.labels[0]),
            )?;
            let period = parse_period(model, &field, value, true)?;
            let old = model.features[i].earliest_period;
            model.features[i].earliest_period = period;
            Ok(done(
                field,
                period_text(model, old),
                period_text(model, period),
            ))
        }
        ("features", "mandatory") => {
            no_qualifier(&field, path.qualifier, "mandatory is true or false")?;
            only_set(
                &field,
                op,
                "true or false",
                &format!("{}=true", dotted(&field)),
            )?;
            let flag = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(problem(
                        &field,
                        format!("`{value}` is not true or false"),
                        format!("write {}=true or {}=false", dotted(&field), dotted(&field)),
                    ))
                }
            };
            let old = model.features[i].mandatory;
            model.features[i].mandatory = flag;
            Ok(done(field, old.to_string(), flag.to_string()))
        }
        ("segments", _) => {
            no_qualifier(&field, path.qualifier, "this field is one estimate")?;
            let segment = &model.segments[i];
            let (id, domain) = match path.field {
                "demand" => (segment.demand, Domain::NonNegative),
                "price" => (segment.price, Domain::NonNegative),
                _ => (segment.growth, Domain::MonthlyGrowth),
            };
            let before = describe_input(model, Some(id));
            let dist = combine_dist(&field, Some(model.dist(id)), op, value, domain)?;
            put_input(model, Some(id), &field, dist);
            Ok(done(field, before, describe_input(model, Some(id))))
        }
        ("deals", "one_off" | "monthly") => {
            no_qualifier(&field, path.qualifier, "this field is one estimate")?;
            let deal = &model.deals[i];
            let current = if path.field == "one_off" {
                deal.one_off
            } else {
                deal.monthly
            };
            let before = describe_input(model, current);
            let dist = combine_dist(
                &field,
                current.map(|c| model.dist(c)),
                op,
                value,
                Domain::NonNegative,
            )?;
            let id = put_input(model, current, &field, dist);
            let deal = &mut model.deals[i];
            if path.field == "one_off" {
                deal.one_off = Some(id);
            } else {
                deal.monthly = Some(id);
            }
            Ok(done(field, before, describe_input(model, Some(id))))
        }
        ("deals", _) => {
            no_qualifier(&field, path.qualifier, "`by` is one period")?;
            only_set(
                &field,
                op,
                "a deal date, which is a period",
                &format!(
                    "{}={}",
                    dotted(&field),
                    model.time.labels[model.time.periods - 1]
                ),
            )?;
            let period = parse_period(model, &field, value, true)?;
            let old = model.deals[i].by_period;
            model.deals[i].by_period = period;
            Ok(done(
                field,
                period_text(model, old),
                period_text(model, period),
            ))
        }
        _ => {
            // plan.budget
            no_qualifier(&field, path.qualifier, "the budget covers the whole plan")?;
            let before = model
                .budget
                .map_or_else(|| "none".into(), |b| money_text(b, &model.currency));
            let after = if op == Op::Set && value.eq_ignore_ascii_case("none") {
                None
            } else {
                match (op, model.budget) {
                    (Op::Multiply | Op::Add | Op::Subtract, None) => {
                        return Err(problem(
                            &field,
                            format!(
                                "the scenario has no budget, so `{}` has nothing to change",
                                op.symbol()
                            ),
                            "set one with plan.budget=AMOUNT",
                        ))
                    }
                    (_, current) => Some(combine_number(
                        &field,
                        current.unwrap_or(0.0),
                        op,
                        value,
                        "2400000, or none to remove it",
                    )?),
                }
            };
            model.budget = after;
            Ok(done(
                field,
                before,
                after.map_or_else(|| "none".into(), |b| money_text(b, &model.currency)),
            ))
        }
    }
}

/// The per-team efforts or per-segment uplifts of a feature: one estimate per key.
#[derive(Clone, Copy, PartialEq)]
enum Keyed {
    Effort,
    Uplift,
}

impl Keyed {
    fn key_kind(self) -> &'static str {
        match self {
            Keyed::Effort => "team",
            Keyed::Uplift => "segment",
        }
    }

    fn keys(self, model: &Model) -> Vec<&str> {
        match self {
            Keyed::Effort => model.teams.iter().map(|t| t.id.as_str()).collect(),
            Keyed::Uplift => model.segments.iter().map(|s| s.id.as_str()).collect(),
        }
    }

    fn pairs(self, model: &Model, f: usize) -> Vec<(usize, InputId)> {
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

    fn push(self, model: &mut Model, f: usize, key: usize, id: InputId) {
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

    fn domain(self) -> Domain {
        match self {
            Keyed::Effort => Domain::NonNegative,
            Keyed::Uplift => Domain::Fraction,
        }
    }

    fn example(self) -> &'static str {
        match self {
            Keyed::Effort => "WEEKS",
            Keyed::Uplift => "SHARE",
        }
    }
}

/// `features.sso.effort.web` (one team), or `features.sso.effort` (every team the feature has;
/// only `*=` unless there is just one). The same for uplifts by segment.
fn feature_keyed(
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

/// The checks validation runs on a resolved model that an override can break (a deadline
/// before the earliest start or out of reach, a mandatory feature that can never ship, two
/// mandatory features that exclude each other), run on the variant. Findings the base scenario
/// already had are left out: they were reported when it was read. `locate` gives the line a
/// field path was written on, so a finding points where a file's would.
pub fn check_variant(
    base: &Model,
    variant: &Model,
    locate: &dyn Fn(&str) -> Location,
) -> Vec<Finding> {
    use super::draft::Defined;
    use super::resolve::{check_deadlines, check_exclusions, earliest_delivery};
    let run = |model: &Model| {
        let defs: Vec<Defined> = model
            .features
            .iter()
            .map(|f| {
                let path = format!("features[{}]", f.id);
                Defined {
                    id: f.id.clone(),
                    location: locate(&path),
                    path,
                }
            })
            .collect();
        let defs: Vec<&Defined> = defs.iter().collect();
        let mut findings = super::finding::Findings::default();
        check_exclusions(&mut findings, &model.features, &defs, &[], &[]);
        let earliest = earliest_delivery(&model.features, &model.time, &model.inputs);
        check_deadlines(
            &mut findings,
            &model.features,
            &defs,
            &model.time,
            &earliest,
        );
        findings.items
    };
    let before = run(base);
    run(variant)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}
