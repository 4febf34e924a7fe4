//! Extra capacity in a plan file: a row (or JSON item) with a number of `people` buys that
//! many of the `[[extra_capacity]]` option its id names, from its `start` period to its
//! `period`, as `roadmap optimize` writes what it bought.

use super::*;
use crate::model::staffing::{ExtraKind, Purchase};

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

/// The purchases the entries name, each checked against its option: a known id, no more
/// people than it offers, a run that starts when its lead time allows, and a hire that
/// stays to the plan's end.
pub(super) fn resolve_bought(
    entries: &[BoughtEntry],
    model: &Model,
    findings: &mut Findings,
) -> Vec<Purchase> {
    let time = &model.time;
    let last = time.periods.saturating_sub(1);
    let mut out = Vec::new();
    for e in entries {
        let Some(o) = model.extra_capacity.iter().position(|x| x.id == e.id) else {
            let ids = model.extra_capacity.iter().map(|x| x.id.as_str());
            let help = match did_you_mean(&e.id, ids) {
                Some(close) => format!("did you mean `{close}`?"),
                None if model.extra_capacity.is_empty() => {
                    "the scenario offers no [[extra_capacity]]; remove the row, or add the option to the scenario".to_string()
                }
                None => format!(
                    "name one of the scenario's [[extra_capacity]] options: {}",
                    model
                        .extra_capacity
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            findings.push(
                Finding::error(
                    e.at.location.clone(),
                    e.at.field.clone(),
                    format!("`{}` is not an extra-capacity option of the scenario", e.id),
                )
                .help(help),
            );
            continue;
        };
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
            continue;
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
            continue;
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
            continue;
        }
        out.push(Purchase {
            option: o,
            people: e.people,
            from,
            to,
        });
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
    out
}
