//! The optimizer's model as an LP file (`--export-lp`), its variables and rows named after
//! the scenario's ids and period labels so that a reader of the file can follow it.

use super::milp::{Con, Var};
use super::{formulate, OptimizeOptions};
use crate::model::Model;

/// The model in LP format, with readable names.
pub fn lp_text(model: &Model, options: &OptimizeOptions) -> String {
    let (_, form) = formulate(model, options);
    let labels: Vec<String> = model.time.labels.iter().map(|l| lp_name(l)).collect();
    let feature = |f: u32| lp_name(&model.features[f as usize].id);
    let team = |k: u32| lp_name(&model.teams[k as usize].id);
    let var_name = |v: Var| match v {
        Var::Delivered { feature: f, period } => {
            format!("by({},{})", feature(f), labels[period as usize])
        }
        Var::Won { deal, period } => format!(
            "won({},{})",
            lp_name(&model.deals[deal as usize].id),
            labels[period as usize]
        ),
        Var::Overtime {
            scenario,
            team: k,
            period,
        } => format!(
            "overtime(s{scenario},{},{})",
            team(k),
            labels[period as usize]
        ),
        Var::Threshold => "var_threshold".to_string(),
        Var::Shortfall { scenario } => format!("shortfall(s{scenario})"),
        Var::Released {
            scenario,
            feature: f,
            period,
        } => format!(
            "released(s{scenario},{},{})",
            feature(f),
            labels[period as usize]
        ),
        Var::QueueDone {
            scenario,
            feature: f,
            team: k,
            period,
        } => format!(
            "queue_done(s{scenario},{},{},{})",
            feature(f),
            team(k),
            labels[period as usize]
        ),
        Var::WonIn {
            scenario,
            deal,
            period,
        } => format!(
            "won(s{scenario},{},{})",
            lp_name(&model.deals[deal as usize].id),
            labels[period as usize]
        ),
    };
    let row_name = |c: Con| match c {
        Con::Stays { feature: f, period } => {
            format!("stays({},{})", feature(f), labels[period as usize])
        }
        Con::Capacity { team: k, from, to } => format!(
            "capacity({},{},{})",
            team(k),
            labels[from as usize],
            labels[to as usize]
        ),
        Con::Requires {
            feature: f,
            requirement,
            period,
        } => format!(
            "requires({},{},{})",
            feature(f),
            feature(requirement),
            labels[period as usize]
        ),
        Con::Excludes { feature: f, other } => {
            format!("excludes({},{})", feature(f), feature(other))
        }
        Con::DealNeeds {
            deal,
            feature: f,
            period,
        } => format!(
            "deal({},{},{})",
            lp_name(&model.deals[deal as usize].id),
            feature(f),
            labels[period as usize]
        ),
        Con::DealStays { deal, period } => format!(
            "deal_stays({},{})",
            lp_name(&model.deals[deal as usize].id),
            labels[period as usize]
        ),
        Con::Budget => "budget".to_string(),
        Con::ThemeMin { theme } => {
            format!("theme_min({})", lp_name(&model.themes[theme as usize].id))
        }
        Con::ThemeMax { theme } => {
            format!("theme_max({})", lp_name(&model.themes[theme as usize].id))
        }
        Con::ScenarioCapacity {
            scenario,
            team: k,
            from,
            to,
        } => format!(
            "capacity(s{scenario},{},{},{})",
            team(k),
            labels[from as usize],
            labels[to as usize]
        ),
        Con::Tail { scenario } => format!("tail(s{scenario})"),
        Con::ReleaseStays {
            scenario,
            feature: f,
            period,
        } => format!(
            "released_stays(s{scenario},{},{})",
            feature(f),
            labels[period as usize]
        ),
        Con::ReleaseGate {
            scenario,
            feature: f,
            period,
        } => format!(
            "release_gate(s{scenario},{},{})",
            feature(f),
            labels[period as usize]
        ),
        Con::ReleaseRequires {
            scenario,
            feature: f,
            requirement,
            period,
        } => format!(
            "requires(s{scenario},{},{},{})",
            feature(f),
            feature(requirement),
            labels[period as usize]
        ),
        Con::QueueDone {
            scenario,
            feature: f,
            team: k,
            planned,
            from,
            period,
        } => format!(
            "queue_done(s{scenario},{},{},{},{},{})",
            feature(f),
            team(k),
            labels[planned as usize],
            labels[from as usize],
            labels[period as usize]
        ),
        Con::QueueGate {
            scenario,
            feature: f,
            team: k,
            period,
        } => format!(
            "queue_gate(s{scenario},{},{},{})",
            feature(f),
            team(k),
            labels[period as usize]
        ),
        Con::WonInNeeds {
            scenario,
            deal,
            feature: f,
            period,
        } => format!(
            "deal(s{scenario},{},{},{})",
            lp_name(&model.deals[deal as usize].id),
            feature(f),
            labels[period as usize]
        ),
        Con::WonInStays {
            scenario,
            deal,
            period,
        } => format!(
            "deal_stays(s{scenario},{},{})",
            lp_name(&model.deals[deal as usize].id),
            labels[period as usize]
        ),
    };
    form.milp.to_lp(&var_name, &row_name)
}

/// Ids and labels as LP names: characters LP readers do not allow become `_`.
fn lp_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
