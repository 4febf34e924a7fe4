//! The one-screen summary `roadmap validate` prints for a valid scenario.

use super::format::{count, money, percent, thousands, weeks};
use crate::analysis::capacity::CapacityCheck;
use crate::model::dist::fmt_num;
use crate::model::{DeadlineKind, Deal, InputId, Model, Status};

pub fn render(model: &Model, files: &[String], capacity: &CapacityCheck) -> String {
    let c = &model.currency;
    let mut out = String::new();
    let title = if model.name.is_empty() {
        "(unnamed plan)"
    } else {
        &model.name
    };
    out.push_str(&format!("{title}\n"));
    let mut line = |label: &str, text: String| out.push_str(&format!("  {label:<12}{text}\n"));
    line("Files", files.join(", "));
    line("Plan", plan_text(model));
    if let Some(text) = super::format::calibrated(model) {
        line("Estimates", text);
    }
    let total_capacity: f64 = (0..model.teams.len())
        .map(|k| model.total_capacity_weeks(k))
        .sum();
    let team_list: Vec<String> = model.teams.iter().map(|team| team.id.clone()).collect();
    line(
        "Teams",
        format!(
            "{}: {}; {} person-weeks over the plan, {} after capacity factors",
            count(model.teams.len()),
            shorten(&team_list, 8),
            thousands(total_capacity),
            thousands(capacity.teams.iter().map(|t| t.capacity_weeks).sum())
        ),
    );
    if !model.extra_capacity.is_empty() {
        let options: Vec<String> = model
            .extra_capacity
            .iter()
            .map(|o| {
                format!(
                    "{} (up to {} {} into {}, from {})",
                    o.id,
                    o.people,
                    if o.kind == crate::model::staffing::ExtraKind::Hire {
                        "hires"
                    } else {
                        "contractors"
                    },
                    model.teams[o.team].id,
                    model.time.label(
                        o.first_period(&model.time)
                            .min(model.time.periods.saturating_sub(1))
                    )
                )
            })
            .collect();
        line(
            "Can buy",
            format!("{}: {}", count(options.len()), shorten(&options, 4)),
        );
    }
    if !model.pools.is_empty() {
        let pools: Vec<String> = model
            .pools
            .iter()
            .map(|q| {
                let teams: Vec<&str> = q
                    .teams
                    .iter()
                    .map(|&k| model.teams[k].id.as_str())
                    .collect();
                format!("{} ({} people for {})", q.id, q.people, teams.join(" or "))
            })
            .collect();
        line(
            "Pools",
            format!("{}: {}", count(pools.len()), shorten(&pools, 4)),
        );
    }
    if !model.segments.is_empty() {
        let segs: Vec<String> = model
            .segments
            .iter()
            .map(|s| match s.retention {
                Some(r) => format!(
                    "{} (customer stock, {} kept a month)",
                    s.id,
                    percent(model.mean(r))
                ),
                None => s.id.clone(),
            })
            .collect();
        line(
            "Segments",
            format!("{}: {}", count(segs.len()), shorten(&segs, 8)),
        );
    }
    line("Features", features_text(model));
    if !model.themes.is_empty() {
        line("Themes", themes_text(model));
    }
    if !model.deals.is_empty() {
        line("Deals", deals_text(model));
    }
    if let Some(costs) = costs_text(model) {
        line("Costs", costs);
    }
    if let Some(b) = model.budget {
        line("Budget", money(b, c));
    }
    if let Some(budgets) = &model.budget_per_period {
        line("Per period", per_period_text(model, budgets));
    }
    let risks: usize = model.features.iter().map(|x| x.risks.len()).sum();
    let common = match model.common_risks.len() {
        0 => String::new(),
        n => {
            let hits = model
                .features
                .iter()
                .flat_map(|f| &f.risks)
                .filter(|r| r.common.is_some())
                .count();
            format!(
                " ({} of them from {} common risk{} that hit{} several features at once)",
                count(hits),
                count(n),
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            )
        }
    };
    line(
        "Uncertainty",
        format!(
            "{} uncertain inputs, {} correlated pairs, {} risk events{common}",
            count(model.uncertain_input_count()),
            count(model.correlations.len()),
            count(risks)
        ),
    );
    line(
        "Simulation",
        format!(
            "{} trials, seed {}",
            thousands(model.simulation.trials as f64),
            model.simulation.seed
        ),
    );
    out.push('\n');
    out.push_str("Commitments (mandatory and deadline-bound work, with what it requires) against capacity:\n");
    for team in &capacity.teams {
        let committed: f64 = team.periods.last().map_or(0.0, |p| p.due_by_end_mean);
        out.push_str(&format!(
            "  {:<12}{} of {} person-weeks committed ({}); fits in {} of trials; whole backlog {}\n",
            team.team,
            weeks(committed),
            weeks(team.capacity_weeks),
            percent(committed / team.capacity_weeks.max(1e-9)),
            percent(team.p_fits),
            percent(team.backlog_mean / team.capacity_weeks.max(1e-9)),
        ));
    }
    out
}

/// The periods, how far value is counted and the discount rate.
fn plan_text(model: &Model) -> String {
    let t = &model.time;
    // The first day is said only when the scenario writes one: summaries of plans that name
    // quarters stay as they were.
    let from = t
        .written_start_date()
        .map_or(String::new(), |d| format!(" from {d}"));
    format!(
        "{} period{} of {} weeks, {}{from}; value counted to month {}; discount {}/year",
        t.periods,
        if t.periods == 1 { "" } else { "s" },
        fmt_num(t.period_weeks),
        if t.periods == 1 {
            t.labels[0].clone()
        } else {
            format!("{}..{}", t.labels[0], t.labels[t.periods - 1])
        },
        fmt_num(t.horizon_months),
        percent(t.discount_rate)
    )
}

/// How many features, how many are bound by what, and the expected work in all.
fn features_text(model: &Model) -> String {
    let f = &model.features;
    let mandatory = f.iter().filter(|x| x.mandatory).count();
    let hard = f
        .iter()
        .filter(|x| matches!(x.deadline.map(|d| d.kind), Some(DeadlineKind::Hard)))
        .count();
    let soft = f
        .iter()
        .filter(|x| matches!(x.deadline.map(|d| d.kind), Some(DeadlineKind::Soft { .. })))
        .count();
    // An any-of group is one dependency, said apart only when the scenario has one, so
    // scenarios without keep their summary.
    let any_of: usize = f.iter().map(|x| x.requires_any.len()).sum();
    let deps: usize = f.iter().map(|x| x.requires.len()).sum::<usize>() + any_of;
    let any_of = match any_of {
        0 => String::new(),
        n => format!(" ({} any-of)", count(n)),
    };
    // Exclusions are often written on both sides; count each pair once.
    let mut pairs: Vec<(usize, usize)> = f
        .iter()
        .enumerate()
        .flat_map(|(i, x)| x.excludes.iter().map(move |&j| (i.min(j), i.max(j))))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let excl = pairs.len();
    let effort: f64 = f
        .iter()
        .flat_map(|x| x.effort.iter())
        .map(|e| model.mean(e.weeks))
        .sum();
    // Said only when the scenario has them, so scenarios without keep their summary.
    let limits = f
        .iter()
        .filter(|x| x.deadline.is_some_and(|d| d.limit.is_some()))
        .count();
    let limits = match limits {
        0 => String::new(),
        n => format!(" ({} with a hard limit after the target)", count(n)),
    };
    let ready = f.iter().filter(|x| x.vendor_ready.is_some()).count();
    let ready = match ready {
        0 => String::new(),
        n => format!(
            ", {} vendor ready date{}",
            count(n),
            if n == 1 { "" } else { "s" }
        ),
    };
    let staged = f.iter().filter(|x| x.stages.len() >= 2).count();
    let ready = match staged {
        0 => ready,
        n => format!("{ready}, {} built in stages", count(n)),
    };
    format!("{}: {} mandatory, {} hard and {} soft deadlines{limits}, {} dependencies{any_of}, {} exclusion pair{}{ready}; {} person-weeks expected in all{}", count(f.len()), count(mandatory), count(hard), count(soft), count(deps), count(excl), if excl == 1 { "" } else { "s" }, thousands(effort), progress_text(model))
}

/// How much of the backlog is already done or under way, when the scenario says: done
/// features are not among the features to plan, and in-progress ones count what remains.
fn progress_text(model: &Model) -> String {
    if !model.has_progress() {
        return String::new();
    }
    let in_progress = model
        .features
        .iter()
        .filter(|f| f.status == Status::InProgress)
        .count();
    format!(
        " ({} in progress, remaining work only); {} more done before the plan starts",
        count(in_progress),
        count(model.done.len())
    )
}

/// "2027Q1 400,000 USD, 2027Q2 400,000 USD, ..." (one amount when every period has it).
fn per_period_text(model: &Model, budgets: &[f64]) -> String {
    let c = &model.currency;
    if budgets.windows(2).all(|w| w[0] == w[1]) {
        return format!("{} in each period", money(budgets[0], c));
    }
    let each: Vec<String> = budgets
        .iter()
        .zip(&model.time.labels)
        .map(|(b, label)| format!("{label} {}", money(*b, c)))
        .collect();
    shorten(&each, 8)
}

/// Each theme with the share of work it must or may take.
fn themes_text(model: &Model) -> String {
    let themes: Vec<String> = model
        .themes
        .iter()
        .map(|th| match (th.min_share > 0.0, th.max_share < 1.0) {
            (true, true) => format!(
                "{} {}-{}",
                th.id,
                percent(th.min_share),
                percent(th.max_share)
            ),
            (true, false) => format!("{} >= {}", th.id, percent(th.min_share)),
            (false, true) => format!("{} <= {}", th.id, percent(th.max_share)),
            (false, false) => th.id.clone(),
        })
        .collect();
    themes.join(", ")
}

/// How many deals, and what they are expected to be worth, one-off and monthly.
fn deals_text(model: &Model) -> String {
    let c = &model.currency;
    let expected = |payment: fn(&Deal) -> Option<InputId>| -> f64 {
        model
            .deals
            .iter()
            .filter_map(payment)
            .map(|i| model.mean(i))
            .sum()
    };
    let one_off = expected(|d| d.one_off);
    let monthly = expected(|d| d.monthly);
    let mut worth = vec![];
    if one_off > 0.0 {
        worth.push(format!("{} one-off", money(one_off, c)));
    }
    if monthly > 0.0 {
        worth.push(format!("{}/month", money(monthly, c)));
    }
    let mut terms = vec![];
    let any = model
        .deals
        .iter()
        .filter(|d| d.need < d.features.len())
        .count();
    if any > 0 {
        terms.push(format!("{} won with any k of their features", count(any)));
    }
    let late = model
        .deals
        .iter()
        .filter(|d| d.late_penalty.is_some())
        .count();
    if late > 0 {
        terms.push(format!("{} paid late less a penalty", count(late)));
    }
    let terms = if terms.is_empty() {
        String::new()
    } else {
        format!("; {}", terms.join(", "))
    };
    format!(
        "{} worth {} (expected){terms}",
        count(model.deals.len()),
        worth.join(" + ")
    )
}

fn shorten(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!(
            "{}, ... ({} more)",
            items[..max].join(", "),
            items.len() - max
        )
    }
}

/// The teams whose cost is fixed and the features whose cost recurs, when there are any.
fn costs_text(model: &Model) -> Option<String> {
    let fixed: Vec<String> = model
        .teams
        .iter()
        .filter(|t| !t.cost_kind.is_variable())
        .map(|t| t.id.clone())
        .collect();
    let recurring = model
        .features
        .iter()
        .filter(|f| f.recurring_cost.is_some())
        .count();
    if fixed.is_empty() && recurring == 0 && model.pools.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !fixed.is_empty() || !model.pools.is_empty() {
        let pools: Vec<String> = model
            .pools
            .iter()
            .map(|q| format!("pool {}", q.id))
            .collect();
        let payers = [fixed.clone(), pools].concat();
        parts.push(format!(
            "fixed-cost teams {} ({} over the plan whatever it holds)",
            shorten(&payers, 8),
            money(
                crate::model::expect::fixed_team_spend(model),
                &model.currency
            )
        ));
    }
    if recurring > 0 {
        parts.push(format!(
            "{} {} with a recurring cost",
            count(recurring),
            if recurring == 1 {
                "feature"
            } else {
                "features"
            }
        ));
    }
    Some(parts.join("; "))
}
