//! The optimizer's model as an LP file (`--export-lp`), its variables and rows named after
//! the scenario's ids and period labels so that a reader of the file can follow it.

use super::milp::{Con, Var};
use super::{formulate, OptimizeOptions};
use crate::model::Model;

/// The model in LP format, with readable names.
pub fn lp_text(model: &Model, options: &OptimizeOptions) -> String {
    let (_, form) = formulate(model, options);
    let names = Names {
        model,
        labels: model.time.labels.iter().map(|l| lp_name(l)).collect(),
    };
    form.milp.to_lp(&|v| names.var(v), &|c| names.row(c))
}

/// LP names of the model's variables and rows, after the scenario's ids and period labels.
struct Names<'a> {
    model: &'a Model,
    labels: Vec<String>,
}

impl Names<'_> {
    fn feature(&self, f: u32) -> String {
        lp_name(&self.model.features[f as usize].id)
    }

    fn team(&self, k: u32) -> String {
        lp_name(&self.model.teams[k as usize].id)
    }

    fn deal(&self, deal: u32) -> String {
        lp_name(&self.model.deals[deal as usize].id)
    }

    fn option(&self, o: u32) -> String {
        lp_name(&self.model.extra_capacity[o as usize].id)
    }

    fn theme(&self, theme: u32) -> String {
        lp_name(&self.model.themes[theme as usize].id)
    }

    fn var(&self, v: Var) -> String {
        match v {
            Var::Delivered { feature: f, period } => {
                format!("by({},{})", self.feature(f), self.labels[period as usize])
            }
            Var::Won { deal, period } => {
                format!("won({},{})", self.deal(deal), self.labels[period as usize])
            }
            Var::Overtime {
                scenario,
                team: k,
                period,
            } => format!(
                "overtime(s{scenario},{},{})",
                self.team(k),
                self.labels[period as usize]
            ),
            Var::Extra { option, from, to } => format!(
                "extra({},{},{})",
                self.option(option),
                self.labels[from as usize],
                self.labels[to as usize]
            ),
            Var::Staged {
                feature,
                stage,
                period,
            } => format!(
                "stage({},{},{})",
                self.feature(feature),
                stage + 1,
                self.labels[period as usize]
            ),
            Var::PartInside {
                feature,
                team,
                from,
                to,
            } => format!(
                "part_inside({},{},{},{})",
                self.feature(feature),
                self.team(team),
                self.labels[from as usize],
                self.labels[to as usize]
            ),
            Var::Pooled { pool, team, period } => format!(
                "pooled({},{},{})",
                lp_name(&self.model.pools[pool as usize].id),
                self.team(team),
                self.labels[period as usize]
            ),
            Var::Threshold => "var_threshold".to_string(),
            Var::Shortfall { scenario } => format!("shortfall(s{scenario})"),
            Var::Released {
                scenario,
                feature: f,
                period,
            } => format!(
                "released(s{scenario},{},{})",
                self.feature(f),
                self.labels[period as usize]
            ),
            Var::QueueDone {
                scenario,
                feature: f,
                team: k,
                period,
            } => format!(
                "queue_done(s{scenario},{},{},{})",
                self.feature(f),
                self.team(k),
                self.labels[period as usize]
            ),
            Var::WonIn {
                scenario,
                deal,
                period,
            } => format!(
                "won(s{scenario},{},{})",
                self.deal(deal),
                self.labels[period as usize]
            ),
        }
    }

    fn row(&self, c: Con) -> String {
        match c {
            Con::Stays { feature: f, period } => {
                format!(
                    "stays({},{})",
                    self.feature(f),
                    self.labels[period as usize]
                )
            }
            Con::Capacity { team: k, from, to } => format!(
                "capacity({},{},{})",
                self.team(k),
                self.labels[from as usize],
                self.labels[to as usize]
            ),
            Con::Requires {
                feature: f,
                requirement,
                period,
            } => format!(
                "requires({},{},{})",
                self.feature(f),
                self.feature(requirement),
                self.labels[period as usize]
            ),
            Con::RequiresAny {
                feature: f,
                group,
                period,
            } => format!(
                "requires_any({},{},{})",
                self.feature(f),
                group + 1,
                self.labels[period as usize]
            ),
            Con::Excludes { feature: f, other } => {
                format!("excludes({},{})", self.feature(f), self.feature(other))
            }
            Con::DealNeeds {
                deal,
                feature: f,
                period,
            } => format!(
                "deal({},{},{})",
                self.deal(deal),
                self.feature(f),
                self.labels[period as usize]
            ),
            Con::DealStays { deal, period } => format!(
                "deal_stays({},{})",
                self.deal(deal),
                self.labels[period as usize]
            ),
            Con::DealCount {
                scenario,
                deal,
                period,
            } => format!(
                "deal_count({}{},{})",
                scenario.map_or(String::new(), |s| format!("s{s},")),
                self.deal(deal),
                self.labels[period as usize]
            ),
            Con::DealWonWhenDone {
                scenario,
                deal,
                period,
            } => format!(
                "deal_won_when_done({}{},{})",
                scenario.map_or(String::new(), |s| format!("s{s},")),
                self.deal(deal),
                self.labels[period as usize]
            ),
            Con::Budget => "budget".to_string(),
            Con::StageStays {
                feature,
                stage,
                period,
            } => format!(
                "stage_stays({},{},{})",
                self.feature(feature),
                stage + 1,
                self.labels[period as usize]
            ),
            Con::StageShips { feature, stage } => {
                format!("stage_ships({},{})", self.feature(feature), stage + 1)
            }
            Con::HandOff {
                feature,
                stage,
                period,
            } => format!(
                "hand_off({},{},{})",
                self.feature(feature),
                stage + 1,
                self.labels[period as usize]
            ),
            Con::PartInside {
                feature,
                team,
                from,
                to,
            } => format!(
                "part_inside({},{},{},{})",
                self.feature(feature),
                self.team(team),
                self.labels[from as usize],
                self.labels[to as usize]
            ),
            Con::PoolPeople { pool, period } => format!(
                "pool_people({},{})",
                lp_name(&self.model.pools[pool as usize].id),
                self.labels[period as usize]
            ),
            Con::ExtraPeople { option, period } => format!(
                "extra_people({},{})",
                self.option(option),
                self.labels[period as usize]
            ),
            Con::PeriodBudget { period } => {
                format!("budget({})", self.labels[period as usize])
            }
            Con::ThemeMin { theme } => {
                format!("theme_min({})", self.theme(theme))
            }
            Con::ThemeMax { theme } => {
                format!("theme_max({})", self.theme(theme))
            }
            _ => self.future_row(c),
        }
    }

    /// The rows of the stochastic mode's futures, named with their future `s<k>`.
    fn future_row(&self, c: Con) -> String {
        match c {
            Con::ScenarioCapacity {
                scenario,
                team: k,
                from,
                to,
            } => format!(
                "capacity(s{scenario},{},{},{})",
                self.team(k),
                self.labels[from as usize],
                self.labels[to as usize]
            ),
            Con::Tail { scenario } => format!("tail(s{scenario})"),
            Con::ReleaseStays {
                scenario,
                feature: f,
                period,
            } => format!(
                "released_stays(s{scenario},{},{})",
                self.feature(f),
                self.labels[period as usize]
            ),
            Con::ReleaseGate {
                scenario,
                feature: f,
                period,
            } => format!(
                "release_gate(s{scenario},{},{})",
                self.feature(f),
                self.labels[period as usize]
            ),
            Con::ReleaseRequires {
                scenario,
                feature: f,
                requirement,
                period,
            } => format!(
                "requires(s{scenario},{},{},{})",
                self.feature(f),
                self.feature(requirement),
                self.labels[period as usize]
            ),
            Con::ReleaseRequiresAny {
                scenario,
                feature: f,
                group,
                period,
            } => format!(
                "requires_any(s{scenario},{},{},{})",
                self.feature(f),
                group + 1,
                self.labels[period as usize]
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
                self.feature(f),
                self.team(k),
                self.labels[planned as usize],
                self.labels[from as usize],
                self.labels[period as usize]
            ),
            Con::QueueGate {
                scenario,
                feature: f,
                team: k,
                period,
            } => format!(
                "queue_gate(s{scenario},{},{},{})",
                self.feature(f),
                self.team(k),
                self.labels[period as usize]
            ),
            Con::WonInNeeds {
                scenario,
                deal,
                feature: f,
                period,
            } => format!(
                "deal(s{scenario},{},{},{})",
                self.deal(deal),
                self.feature(f),
                self.labels[period as usize]
            ),
            Con::WonInStays {
                scenario,
                deal,
                period,
            } => format!(
                "deal_stays(s{scenario},{},{})",
                self.deal(deal),
                self.labels[period as usize]
            ),
            // The model's own rows are named by `row`, which hands only these on.
            other => format!("{other:?}"),
        }
    }
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
