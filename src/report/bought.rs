//! The extra capacity a plan buys (hires and contractors), as the optimize and recommended
//! reports show it and as plan files carry it.

use super::format::{money, weeks};
use super::table::Table;
use crate::model::staffing::Purchase;
use crate::model::Model;
use serde::Serialize;

/// The "Extra capacity bought" section; nothing when the plan buys none.
pub fn text(out: &mut String, model: &Model, bought: &[Purchase]) {
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
        let paid: f64 = (b.from..=b.to).map(|t| b.spend_in(model, t)).sum();
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

/// CSV rows of a plan file for the purchases, under `header` (which has `people`): the id
/// in the feature column, the run in start and period, the count in people.
pub fn csv_rows(model: &Model, bought: &[Purchase], header: &[&str]) -> Vec<Vec<String>> {
    let labels = &model.time.labels;
    bought
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
        .collect()
}
