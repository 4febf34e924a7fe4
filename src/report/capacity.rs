//! The capacity check as a terminal table, CSV and JSON.

use super::format::{money, percent, thousands, weeks, NAME_COLUMNS};
use super::table::{truncate, Table};
use crate::analysis::capacity::{CapacityCheck, Commitment, Shortfall};
use crate::model::exceeds;

pub fn text(check: &CapacityCheck, currency: &str) -> String {
    let mut out = String::new();
    out.push_str("Capacity check: committed work against capacity, in person-weeks\n");
    out.push_str(&format!(
        "Committed = mandatory features, features with deadlines, and what they require; each spread evenly\nfrom its earliest start to its due period. {} trials, seed {}.\n\n",
        thousands(check.trials as f64),
        check.seed
    ));
    let mut table = Table::new(&[
        ("team", false),
        ("period", false),
        ("capacity", true),
        ("committed", true),
        ("P80", true),
        ("load", true),
        ("due by end", true),
        ("due P80", true),
        ("capacity to date", true),
        ("status", false),
    ]);
    for team in &check.teams {
        for (i, p) in team.periods.iter().enumerate() {
            let status = if exceeds(p.due_by_end_mean, p.capacity_to_date) {
                "OVER"
            } else if exceeds(p.due_by_end_p80, p.capacity_to_date)
                || exceeds(p.committed_p80, p.capacity_weeks)
            {
                "tight"
            } else {
                ""
            };
            table.row(vec![
                if i == 0 {
                    team.team.clone()
                } else {
                    String::new()
                },
                p.period.clone(),
                weeks(p.capacity_weeks),
                weeks(p.committed_mean),
                weeks(p.committed_p80),
                percent(p.committed_mean / p.capacity_weeks.max(1e-9)),
                weeks(p.due_by_end_mean),
                weeks(p.due_by_end_p80),
                weeks(p.capacity_to_date),
                status.to_string(),
            ]);
        }
    }
    out.push_str(&table.render());
    out.push('\n');
    let mut totals = Table::new(&[
        ("team", false),
        ("capacity", true),
        ("committed", true),
        ("whole backlog", true),
        ("backlog/capacity", true),
        ("P(commitments fit)", true),
        ("P(mandatory fits)", true),
    ]);
    for team in &check.teams {
        let committed = team.periods.last().map_or(0.0, |p| p.due_by_end_mean);
        totals.row(vec![
            team.team.clone(),
            weeks(team.capacity_weeks),
            weeks(committed),
            weeks(team.backlog_mean),
            percent(team.backlog_mean / team.capacity_weeks.max(1e-9)),
            percent(team.p_fits),
            percent(team.p_fits_mandatory),
        ]);
    }
    out.push_str(&totals.render());
    started_text(&mut out, check);
    if let Some(b) = &check.budget {
        let fixed = if b.fixed_team_cost > 0.0 {
            format!(
                " the teams whose cost is fixed cost {} whatever the plan holds;",
                money(b.fixed_team_cost, currency)
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\nBudget {}:{fixed} mandatory work costs {} expected, all commitments {}.\n",
            money(b.budget, currency),
            money(b.mandatory_cost_mean, currency),
            money(b.committed_cost_mean, currency)
        ));
    }
    if check.shortfalls.is_empty() {
        // On average is not always: say which teams' commitments break in some futures.
        let shaky: Vec<String> = check
            .teams
            .iter()
            .filter(|t| t.p_fits < 1.0)
            .map(|t| format!("{} {}", t.team, percent(t.p_fits)))
            .collect();
        if shaky.is_empty() {
            out.push_str(
                "\nAll commitments fit at expected efforts and in every sampled future.\n",
            );
        } else {
            out.push_str(&format!(
                "\nAll commitments fit at expected efforts, but not in every sampled future; they fit in this share of trials: {}.\n",
                shaky.join(", ")
            ));
        }
    } else {
        out.push('\n');
        for s in &check.shortfalls {
            out.push_str(&shortfall_sentence(s));
            out.push('\n');
        }
    }
    if !check.not_counted.is_empty() {
        let each: Vec<String> = check
            .not_counted
            .iter()
            .map(|n| {
                format!(
                    "{} ({}, up to {} person-weeks a period for {})",
                    n.id,
                    n.kind,
                    weeks(n.most_weeks_per_period),
                    n.teams.join(" or ")
                )
            })
            .collect();
        out.push_str(&format!(
            "Not counted above, as only a plan can add them (roadmap optimize decides): {}.\n",
            each.join("; ")
        ));
    }
    out
}

/// The work done or under way when the plan starts, marked, with what is left of it.
fn started_text(out: &mut String, check: &CapacityCheck) {
    if check.started.is_empty() {
        return;
    }
    out.push_str("\nWork done or under way when the plan starts: done work takes no capacity, and of work in progress\nonly what remains counts (the work already spent is sunk)\n");
    let mut t = Table::new(&[
        ("feature", false),
        ("name", false),
        ("status", false),
        ("remaining (person-weeks)", false),
        ("committed", false),
    ]);
    for w in &check.started {
        t.row(vec![
            w.feature.clone(),
            truncate(&w.name, NAME_COLUMNS),
            w.status.marker().to_string(),
            w.remaining
                .iter()
                .map(|(team, left)| format!("{team} {}", weeks(*left)))
                .collect::<Vec<_>>()
                .join(", "),
            w.commitment.map_or("", commitment_name).to_string(),
        ]);
    }
    out.push_str(&t.render());
}

fn commitment_name(c: Commitment) -> &'static str {
    match c {
        Commitment::Mandatory => "mandatory",
        Commitment::Deadline => "deadline",
        Commitment::RequiredByMandatory => "required by mandatory",
        Commitment::RequiredByDeadline => "required by a deadline",
    }
}

/// "team web is 12.5 person-weeks short in 2027Q1..2027Q2: ..." in the user's terms.
pub fn shortfall_sentence(s: &Shortfall) -> String {
    let window = if s.first_period == s.last_period {
        s.first_period.clone()
    } else {
        format!("{}..{}", s.first_period, s.last_period)
    };
    let what = if s.mandatory_only {
        "mandatory work"
    } else {
        "mandatory and deadline-bound work"
    };
    let top: Vec<String> = s
        .features
        .iter()
        .take(5)
        .map(|(id, w)| format!("{id} {}", weeks(*w)))
        .collect();
    let more = if s.features.len() > 5 {
        format!(" and {} more", s.features.len() - 5)
    } else {
        String::new()
    };
    format!(
        "team {} is {} person-weeks short in {window}: {what} there needs {} expected ({} at the lowest estimates) but the team has {}; it comes from {}{more}",
        s.team,
        weeks(s.short_weeks),
        weeks(s.need_mean),
        weeks(s.need_low),
        weeks(s.capacity_weeks),
        top.join(", ")
    )
}

pub fn csv(check: &CapacityCheck) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "team",
        "period",
        "capacity_weeks",
        "committed_mean",
        "committed_p80",
        "due_by_end_mean",
        "due_by_end_p80",
        "capacity_to_date",
    ]);
    for team in &check.teams {
        for p in &team.periods {
            let f = |x: f64| format!("{x:.3}");
            let _ = w.write_record([
                team.team.clone(),
                p.period.clone(),
                f(p.capacity_weeks),
                f(p.committed_mean),
                f(p.committed_p80),
                f(p.due_by_end_mean),
                f(p.due_by_end_p80),
                f(p.capacity_to_date),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn json(check: &CapacityCheck) -> String {
    serde_json::to_string_pretty(check).unwrap_or_default()
}
