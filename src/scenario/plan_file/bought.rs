//! Extra capacity and pools in a plan file: a row (or JSON item) with a number of `people`
//! buys that many of the `[[extra_capacity]]` option its id names, from its `start` period
//! to its `period`, or places that many of the `[[pools]]` its id names with its `team` for
//! its `period`, as `roadmap optimize` writes them.

use super::*;
use crate::model::staffing::{Assignment, ExtraKind, Purchase};

/// People bought, as a row gives them.
pub(super) struct BoughtEntry {
    pub id: String,
    pub at: Place,
    pub people: u32,
    pub people_at: Place,
    /// `None`: already reported as wrong.
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub period_at: Place,
    /// The team a pool's people join, when the row gives one.
    pub team: Option<(String, Place)>,
}

/// The whole number of people in a `people` cell; None (reported) when it is not one.
pub(super) fn people_count(text: &str, at: &Place, findings: &mut Findings) -> Option<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            findings.push(
                Finding::error(
                    at.location.clone(),
                    at.field.clone(),
                    format!("`{}` is not a number of people", text.trim()),
                )
                .help(
                    "write a whole number of at least 1, e.g. 2; leave it empty on a feature's row",
                ),
            );
            None
        }
    }
}

/// The purchases and pool placements the entries name, each checked against its option or
/// pool (a known id first), and never more people at once than the option or pool has.
pub(super) fn resolve_bought(
    entries: &[BoughtEntry],
    model: &Model,
    findings: &mut Findings,
) -> (Vec<Purchase>, Vec<Assignment>) {
    let time = &model.time;
    let mut out = Vec::new();
    let mut assigned = Vec::new();
    for e in entries {
        if let Some(q) = model.pools.iter().position(|p| p.id == e.id) {
            if let Some(a) = resolve_assignment(e, q, model, findings) {
                assigned.push(a);
            }
            continue;
        }
        let Some(o) = model.extra_capacity.iter().position(|x| x.id == e.id) else {
            let ids = model
                .extra_capacity
                .iter()
                .map(|x| x.id.as_str())
                .chain(model.pools.iter().map(|p| p.id.as_str()));
            let help = match did_you_mean(&e.id, ids) {
                Some(close) => format!("did you mean `{close}`?"),
                None if model.extra_capacity.is_empty() && model.pools.is_empty() => {
                    "the scenario offers no [[extra_capacity]] and has no [[pools]]; remove the row, or add them to the scenario".to_string()
                }
                None => format!(
                    "name one of the scenario's [[extra_capacity]] options or [[pools]]: {}",
                    model
                        .extra_capacity
                        .iter()
                        .map(|x| x.id.as_str())
                        .chain(model.pools.iter().map(|p| p.id.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            findings.push(
                Finding::error(
                    e.at.location.clone(),
                    e.at.field.clone(),
                    format!(
                        "`{}` is neither an extra-capacity option nor a pool of the scenario",
                        e.id
                    ),
                )
                .help(help),
            );
            continue;
        };
        if let Some(p) = resolve_purchase(e, o, model, findings) {
            out.push(p);
        }
    }
    // At most the option's people at once.
    for (o, option) in model.extra_capacity.iter().enumerate() {
        for t in 0..time.periods {
            let at: u32 = out
                .iter()
                .filter(|b| b.option == o && b.from <= t && t <= b.to)
                .map(|b| b.people)
                .sum();
            if at > option.people {
                let e = entries.iter().find(|e| e.id == option.id).expect("bought");
                findings.push(
                    Finding::error(
                        e.people_at.location.clone(),
                        e.people_at.field.clone(),
                        format!(
                            "the rows of {} have {} people at once in {}; it offers {}",
                            option.id, at, time.labels[t], option.people
                        ),
                    )
                    .help("lower the people of its rows, or split their periods"),
                );
                break;
            }
        }
    }
    check_pool_people(entries, &assigned, model, findings);
    (out, assigned)
}

/// A row buying people of option `o`: no more people than it offers, a run that starts when
/// its lead time allows, and a hire that stays to the plan's end.
fn resolve_purchase(
    e: &BoughtEntry,
    o: usize,
    model: &Model,
    findings: &mut Findings,
) -> Option<Purchase> {
    let time = &model.time;
    let last = time.periods.saturating_sub(1);
    let option = &model.extra_capacity[o];
    if e.people > option.people {
        findings.push(
            Finding::error(
                e.people_at.location.clone(),
                e.people_at.field.clone(),
                format!(
                    "{} offers at most {} people, not {}",
                    option.id, option.people, e.people
                ),
            )
            .help(format!(
                "write at most {}, or raise `people` in the scenario's extra_capacity[{}]",
                option.people, option.id
            )),
        );
        return None;
    }
    let (Some(from), Some(to)) = (e.from, e.to) else {
        findings.push(
            Finding::error(
                e.period_at.location.clone(),
                e.period_at.field.clone(),
                format!("people bought from {} need a start and a last period", option.id),
            )
            .help("write the period they start in as `start` and the last period they work as `period`"),
        );
        return None;
    };
    let first = option.first_period(time);
    let problem = if from > to {
        Some((
            format!(
                "they start in {} after their last period {}",
                time.labels[from], time.labels[to]
            ),
            "the start comes first: write the last period they work in `period`".to_string(),
        ))
    } else if from < first {
        Some((
            format!(
                "{} cannot start before {}: its lead time is {} weeks",
                option.id,
                time.labels
                    .get(first)
                    .map_or("the plan's end", String::as_str),
                crate::model::dist::fmt_num(option.lead_weeks)
            ),
            format!(
                "start them in {} or later",
                time.labels.get(first).map_or("", String::as_str)
            ),
        ))
    } else if option.kind == ExtraKind::Hire && to != last {
        Some((
            format!("{} is a hire: they stay to the end of the plan", option.id),
            format!("write {} as the last period", time.labels[last]),
        ))
    } else {
        None
    };
    if let Some((message, help)) = problem {
        findings.push(
            Finding::error(
                e.period_at.location.clone(),
                e.period_at.field.clone(),
                message,
            )
            .help(help),
        );
        return None;
    }
    Some(Purchase {
        option: o,
        people: e.people,
        from,
        to,
    })
}

/// A row placing a pool's people: a team the pool can join, a period, no more people than
/// the pool has.
fn resolve_assignment(
    e: &BoughtEntry,
    q: usize,
    model: &Model,
    findings: &mut Findings,
) -> Option<Assignment> {
    let pool = &model.pools[q];
    let joins: Vec<&str> = pool
        .teams
        .iter()
        .map(|&k| model.teams[k].id.as_str())
        .collect();
    let Some((team, at)) = &e.team else {
        findings.push(
            Finding::error(
                e.at.location.clone(),
                e.at.field.clone(),
                format!("people of pool {} need the team they join", pool.id),
            )
            .help(format!(
                "write the team's id in a `team` column (JSON: \"team\"): one of {}",
                joins.join(", ")
            )),
        );
        return None;
    };
    let Some(&k) = pool.teams.iter().find(|&&k| model.teams[k].id == *team) else {
        let close = did_you_mean(team, joins.iter().copied())
            .map_or(String::new(), |c| format!("did you mean `{c}`? "));
        findings.push(
            Finding::error(
                at.location.clone(),
                at.field.clone(),
                format!("pool {}'s people cannot join `{team}`", pool.id),
            )
            .help(format!("{close}they can join {}", joins.join(", "))),
        );
        return None;
    };
    let Some(period) = e.to else {
        findings.push(
            Finding::error(
                e.period_at.location.clone(),
                e.period_at.field.clone(),
                format!("people of pool {} need the period they work in", pool.id),
            )
            .help("write the period in `period`: a pool's people are placed period by period"),
        );
        return None;
    };
    Some(Assignment {
        pool: q,
        team: k,
        period,
        people: e.people,
    })
}

/// No period has more of a pool's people placed than the pool has.
fn check_pool_people(
    entries: &[BoughtEntry],
    assigned: &[Assignment],
    model: &Model,
    findings: &mut Findings,
) {
    for (q, pool) in model.pools.iter().enumerate() {
        for t in 0..model.time.periods {
            let at: u32 = assigned
                .iter()
                .filter(|a| a.pool == q && a.period == t)
                .map(|a| a.people)
                .sum();
            if at > pool.people {
                let e = entries.iter().find(|e| e.id == pool.id).expect("placed");
                findings.push(
                    Finding::error(
                        e.people_at.location.clone(),
                        e.people_at.field.clone(),
                        format!(
                            "the rows of pool {} place {} people in {}; it has {}",
                            pool.id, at, model.time.labels[t], pool.people
                        ),
                    )
                    .help("lower the people of its rows in that period"),
                );
            }
        }
    }
}
