//! Extra capacity (`[[extra_capacity]]`): the team each option adds people to, and the
//! defaults its team's cost decides.

use super::super::draft::{DraftExtraCapacity, DraftPool};
use super::super::finding::{Finding, Findings};
use super::Ids;
use crate::model::dist::fmt_num;
use crate::model::staffing::{ExtraCapacity, Pool};
use crate::model::{CostKind, Team};

pub(super) fn resolve(
    ids: &Ids,
    findings: &mut Findings,
    drafts: &[DraftExtraCapacity],
    teams: &[Team],
) -> Vec<ExtraCapacity> {
    let time = ids.time;
    let w = time.period_weeks;
    let mut out = Vec::new();
    for d in drafts {
        let Some(k) = ids.team(findings, &d.team) else {
            continue;
        };
        let Some(team) = teams.get(k) else {
            continue;
        };
        // A team paid by the week of work already pays for every week its people work on
        // features, newcomers included: a cost of their own would count those weeks twice.
        let cost_per_week = match (team.cost_kind, d.cost_per_week) {
            (CostKind::Variable, Some(c)) if c > 0.0 => {
                findings.push(
                    Finding::error(
                        d.location.clone(),
                        format!("{}.cost_per_week", d.def.path),
                        format!(
                            "team `{}` is paid by the week of work, so the weeks these people work are already paid at its rate",
                            team.id
                        ),
                    )
                    .help(format!(
                        "either remove cost_per_week here (they are paid as the team's work is), or give team `{}` cost_kind = \"fixed\" (salaried: paid for its capacity) so that the newcomers' pay is theirs",
                        team.id
                    )),
                );
                continue;
            }
            (CostKind::Variable, _) => 0.0,
            (CostKind::Fixed, c) => c.unwrap_or(team.cost_per_week),
        };
        let capacity_per_person = d.capacity_per_person.unwrap_or(w);
        if !per_person_fits(findings, &d.location, &d.def.path, capacity_per_person, w) {
            continue;
        }
        let option = ExtraCapacity {
            id: d.def.id.clone(),
            name: d.name.clone(),
            team: k,
            kind: d.kind,
            people: d.people,
            cost_per_week,
            capacity_per_person,
            lead_weeks: d.lead_weeks,
            ramp_weeks: d.ramp_weeks,
        };
        if option.first_period(time) >= time.periods {
            findings.push(
                Finding::warning(
                    d.def.location.clone(),
                    format!("{}.lead_weeks", d.def.path),
                    format!(
                        "with a lead time of {} weeks nobody can start within the plan's {} periods of {} weeks",
                        fmt_num(d.lead_weeks),
                        time.periods,
                        fmt_num(w)
                    ),
                )
                .help("shorten lead_weeks if they could start sooner, or remove the option: no plan can use it"),
            );
        }
        out.push(option);
    }
    out
}

/// Pools (`[[pools]]`): the teams their people can join. Their pay is a fixed cost, so a team
/// paid by the week, which pays every week worked on its features, would pay their weeks twice.
pub(super) fn resolve_pools(
    ids: &Ids,
    findings: &mut Findings,
    drafts: &[DraftPool],
    teams: &[Team],
) -> Vec<Pool> {
    let w = ids.time.period_weeks;
    let mut out = Vec::new();
    for d in drafts {
        let mut joins = Vec::new();
        let mut ok = true;
        for r in &d.teams {
            let Some(k) = ids.team(findings, r) else {
                ok = false;
                continue;
            };
            if joins.contains(&k) {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        format!("team `{}` is listed twice", r.id),
                    )
                    .help("list each team the pool's people can join once"),
                );
                ok = false;
                continue;
            }
            let team = &teams[k];
            if team.cost_kind == CostKind::Variable && d.cost_per_week > 0.0 {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        format!(
                            "team `{}` is paid by the week of work, so the weeks the pool's people work there would be paid twice: at the team's rate and as the pool's pay",
                            team.id
                        ),
                    )
                    .help(format!(
                        "give team `{}` cost_kind = \"fixed\" (salaried), or leave it out of the pool",
                        team.id
                    )),
                );
                ok = false;
                continue;
            }
            joins.push(k);
        }
        let capacity_per_person = d.capacity_per_person.unwrap_or(w);
        ok &= per_person_fits(findings, &d.location, &d.def.path, capacity_per_person, w);
        if ok {
            out.push(Pool {
                id: d.def.id.clone(),
                name: d.name.clone(),
                people: d.people,
                capacity_per_person,
                capacity_factor: d.capacity_factor,
                cost_per_week: d.cost_per_week,
                teams: joins,
            });
        }
    }
    out
}

/// Whether one person's `weeks` in a period fit a `w`-week period; an error at `path` when not.
fn per_person_fits(
    findings: &mut Findings,
    location: &crate::scenario::finding::Location,
    path: &str,
    weeks: f64,
    w: f64,
) -> bool {
    if weeks <= w + 1e-9 {
        return true;
    }
    findings.push(
        Finding::error(
            location.clone(),
            format!("{path}.capacity_per_person"),
            format!(
                "one person gives at most {} person-weeks in a {}-week period, not {}",
                fmt_num(w),
                fmt_num(w),
                fmt_num(weeks)
            ),
        )
        .help(format!(
            "the person-weeks one person gives a team in a period at full speed, after holidays and support, e.g. {}",
            fmt_num((w * 0.85).round())
        )),
    );
    false
}
