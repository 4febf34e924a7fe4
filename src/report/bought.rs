//! The extra capacity a plan buys (hires and contractors) and where it places the pools'
//! people, as the optimize and recommended reports show them and as plan files carry them.

use super::format::{money, weeks};
use super::table::Table;
use crate::model::staffing::{Assignment, Purchase};
use crate::model::{Model, Plan};
use serde::Serialize;

/// The "Extra capacity bought" and "Pools" sections; nothing for a scenario without either.
pub fn text(out: &mut String, model: &Model, plan: &Plan) {
    bought_text(out, model, &plan.bought);
    pools_text(out, model, &plan.assigned);
}

/// Where the plan places each pool's people, period by period.
fn pools_text(out: &mut String, model: &Model, assigned: &[Assignment]) {
    if model.pools.is_empty() {
        return;
    }
    out.push_str("\nPools: where their people work, period by period\n");
    let labels = &model.time.labels;
    let mut columns: Vec<(&str, bool)> = vec![("pool", false)];
    columns.extend(labels.iter().map(|l| (l.as_str(), false)));
    let mut t = Table::new(&columns);
    for (q, pool) in model.pools.iter().enumerate() {
        let mut row = vec![format!("{} ({})", pool.id, pool.people)];
        for p in 0..labels.len() {
            let placed: Vec<String> = assigned
                .iter()
                .filter(|a| a.pool == q && a.period == p)
                .map(|a| format!("{} {}", model.teams[a.team].id, a.people))
                .collect();
            row.push(if placed.is_empty() {
                "-".to_string()
            } else {
                placed.join(", ")
            });
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str("  people per team; the pool's people are paid every period wherever they work (in the fixed costs above), and those not placed help no team\n");
}

fn bought_text(out: &mut String, model: &Model, bought: &[Purchase]) {
    if model.extra_capacity.is_empty() {
        return;
    }
    if bought.is_empty() {
        out.push_str(&format!(
            "\nExtra capacity bought: none (the scenario offers {})\n",
            model
                .extra_capacity
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return;
    }
    out.push_str("\nExtra capacity bought\n");
    let mut t = Table::new(&[
        ("option", false),
        ("team", false),
        ("kind", false),
        ("people", true),
        ("periods", false),
        ("person-weeks", true),
        ("paid", true),
    ]);
    for b in bought {
        let option = &model.extra_capacity[b.option];
        let added: f64 = (b.from..=b.to).map(|t| b.weeks(model, t)).sum();
        let paid = b.paid(model);
        t.row(vec![
            option.id.clone(),
            model.teams[option.team].id.clone(),
            option.kind.name().to_string(),
            b.people.to_string(),
            model.time.span_label(b.from, b.to),
            weeks(added),
            money(paid, &model.currency),
        ]);
    }
    out.push_str(&t.render());
    out.push_str("  person-weeks: what they add at full team capacity, ramp-up counted; paid: every week engaged, undiscounted, in the costs above\n");
}

/// One purchase as a JSON plan item: what `simulate --plan` reads back.
#[derive(Serialize)]
pub struct JsonBought<'a> {
    pub extra_capacity: &'a str,
    pub people: u32,
    pub start: &'a str,
    pub period: &'a str,
    pub team: &'a str,
    pub kind: &'static str,
}

pub fn json<'a>(model: &'a Model, bought: &[Purchase]) -> Vec<JsonBought<'a>> {
    let labels = &model.time.labels;
    bought
        .iter()
        .map(|b| {
            let option = &model.extra_capacity[b.option];
            JsonBought {
                extra_capacity: &option.id,
                people: b.people,
                start: &labels[b.from],
                period: &labels[b.to],
                team: &model.teams[option.team].id,
                kind: option.kind.name(),
            }
        })
        .collect()
}

/// Where a pool's people work, as a JSON item `simulate --plan` reads back.
#[derive(Serialize)]
pub struct JsonAssigned<'a> {
    pub pool: &'a str,
    pub team: &'a str,
    pub period: &'a str,
    pub people: u32,
}

pub fn json_assigned<'a>(model: &'a Model, assigned: &[Assignment]) -> Vec<JsonAssigned<'a>> {
    assigned
        .iter()
        .map(|a| JsonAssigned {
            pool: &model.pools[a.pool].id,
            team: &model.teams[a.team].id,
            period: &model.time.labels[a.period],
            people: a.people,
        })
        .collect()
}

/// CSV rows of a plan file for the purchases and the pools' places, under `header` (which has
/// `people`, and a team column when the plan places pool people): the id in the feature
/// column, the run in start and period (a pool: its period), the count in people.
pub fn csv_rows(model: &Model, plan: &Plan, header: &[&str]) -> Vec<Vec<String>> {
    let labels = &model.time.labels;
    let pools = plan.assigned.iter().map(|a| {
        header
            .iter()
            .map(|&h| match h {
                "feature" => model.pools[a.pool].id.clone(),
                "period" => labels[a.period].clone(),
                "people" => a.people.to_string(),
                "name" => model.pools[a.pool].name.clone(),
                "teams" | "team" => model.teams[a.team].id.clone(),
                _ => String::new(),
            })
            .collect::<Vec<String>>()
    });
    plan.bought
        .iter()
        .map(|b| {
            let option = &model.extra_capacity[b.option];
            header
                .iter()
                .map(|&h| match h {
                    "feature" => option.id.clone(),
                    "period" => labels[b.to].clone(),
                    "start" => labels[b.from].clone(),
                    "people" => b.people.to_string(),
                    "name" => option.name.clone(),
                    "teams" => model.teams[option.team].id.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .chain(pools)
        .collect()
}

/// Whether a plan file needs the `people` column: the plan buys or places someone.
pub fn has_people(plan: &Plan) -> bool {
    !plan.bought.is_empty() || !plan.assigned.is_empty()
}
