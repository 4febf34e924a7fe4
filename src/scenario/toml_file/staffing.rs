//! `[[extra_capacity]]`: people a plan may add to a team, hired or contracted.

use super::*;
use crate::model::staffing::ExtraKind;
use crate::scenario::finding::did_you_mean;

pub(super) fn read_extra_capacity(
    reader: &mut Reader,
    node: &Node,
    index: usize,
) -> Option<DraftExtraCapacity> {
    let t = reader.table(
        node,
        &format!("extra_capacity[{index}]"),
        "an [[extra_capacity]] table",
    )?;
    let (def, name) = identity(reader, node, t, "extra_capacity", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &EXTRA_CAPACITY);
    let team = reader.required(node, t, &path, "team", "team = \"mobile\"", |r, n, p| {
        let id = r.string(n, p, "\"mobile\"")?;
        Some(Ref {
            id,
            location: r.loc(n),
            field: p.to_string(),
        })
    });
    let kind = reader.required(
        node,
        t,
        &path,
        "kind",
        "kind = \"contractor\"",
        |r, n, p| {
            let text = r.string(n, p, "\"contractor\"")?;
            let kind = ExtraKind::parse(&text);
            if kind.is_none() {
                let close = did_you_mean(&text, ["hire", "contractor"])
                    .map_or(String::new(), |c| format!("did you mean `{c}`? "));
                r.error(
                    n,
                    p,
                    format!("`{text}` is not a kind of extra capacity"),
                    format!("{close}write \"hire\" (stays from the period they start to the end of the plan) or \"contractor\" (engaged for any run of periods)"),
                );
            }
            kind
        },
    );
    let people = read_people(
        reader,
        node,
        t,
        &path,
        "the most people of this kind the plan may have at once",
    );
    let weeks = |r: &mut Reader, key: &str, example: &str| {
        r.optional(t, &path, key, |r, n, p| r.non_negative(n, p, example))
    };
    let _ = reader.optional(t, &path, "description", |r, n, p| {
        r.string(n, p, "\"Two contract iOS developers from the agency\"")
    });
    let cost_per_week = reader.optional(t, &path, "cost_per_week", |r, n, p| {
        r.non_negative(n, p, "4200")
    });
    let capacity_per_person = weeks(reader, "capacity_per_person", "11");
    let lead_weeks = weeks(reader, "lead_weeks", "8").unwrap_or(0.0);
    let ramp_weeks = weeks(reader, "ramp_weeks", "6").unwrap_or(0.0);
    Some(DraftExtraCapacity {
        location: reader.loc(t.get("cost_per_week").unwrap_or(node)),
        def,
        name,
        team: team?,
        kind: kind?,
        people: people?,
        cost_per_week,
        capacity_per_person,
        lead_weeks,
        ramp_weeks,
    })
}

/// A `[[pools]]` table: salaried people who can work for any of several teams, placed by the
/// plan period by period.
pub(super) fn read_pool(reader: &mut Reader, node: &Node, index: usize) -> Option<DraftPool> {
    let t = reader.table(node, &format!("pools[{index}]"), "a [[pools]] table")?;
    let (def, name) = identity(reader, node, t, "pools", index)?;
    let path = def.path.clone();
    reader.check_keys(t, &path, &POOL);
    let _ = reader.optional(t, &path, "description", |r, n, p| {
        r.string(
            n,
            p,
            "\"Platform engineers who help whichever squad needs them\"",
        )
    });
    let teams = reader.required(
        node,
        t,
        &path,
        "teams",
        "teams = [\"core\", \"mobile\"]",
        |r, n, p| {
            let list = r.string_list(n, p, "[\"core\", \"mobile\"]");
            if list.is_empty() {
                r.error(
                    n,
                    p,
                    "a pool needs the teams its people can join",
                    "list at least one team id, e.g. teams = [\"core\", \"mobile\"]",
                );
                return None;
            }
            Some(
                list.into_iter()
                    .map(|(id, location)| Ref {
                        id,
                        location,
                        field: p.to_string(),
                    })
                    .collect::<Vec<_>>(),
            )
        },
    );
    let people = read_people(reader, node, t, &path, "the number of people in the pool");
    let cost_per_week = reader.optional(t, &path, "cost_per_week", |r, n, p| {
        r.non_negative(n, p, "3600")
    });
    let capacity_per_person = reader.optional(t, &path, "capacity_per_person", |r, n, p| {
        r.non_negative(n, p, "11")
    });
    let factor = read_capacity_factor(reader, t, &path);
    let capacity_factor = reader.register(&format!("{path}.capacity"), factor?);
    Some(DraftPool {
        location: reader.loc(t.get("cost_per_week").unwrap_or(node)),
        def,
        name,
        teams: teams?,
        people: people?,
        cost_per_week: cost_per_week.unwrap_or(0.0),
        capacity_per_person,
        capacity_factor,
    })
}

/// The required whole number of people of an option or a pool (1 to 1,000); `what` says
/// what it counts, for the help.
fn read_people(
    reader: &mut Reader,
    node: &Node,
    t: &DeTable,
    path: &str,
    what: &str,
) -> Option<u32> {
    reader.required(node, t, path, "people", "people = 2", |r, n, p| {
        let v = r.positive_integer(n, p, "2")?;
        if v > 1000 {
            r.error(
                n,
                p,
                format!("{v} people is more than one table can hold"),
                format!("{what}, e.g. 2"),
            );
            return None;
        }
        Some(v as u32)
    })
}
