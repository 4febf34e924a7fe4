//! A simulation's results as a terminal report, JSON, and CSV (one long table for machines,
//! and wide tables per topic for spreadsheets).

use super::format::{count, feature_label, money, probability, thousands};
use super::table::Table;
use crate::model::plan::OrderChange;
use crate::simulate::{ScheduleInfo, SimResult};
use serde::Serialize;

/// What ran: "plan plan.csv (24 features)" or "order wsjf (24 features)".
fn schedule(info: &ScheduleInfo) -> String {
    let features = crate::model::dist::group_thousands(info.features as f64);
    match info.kind {
        crate::simulate::ScheduleKind::Plan => {
            format!("plan {} ({features} features)", info.source)
        }
        crate::simulate::ScheduleKind::Order => {
            format!("order {} ({features} features)", info.source)
        }
    }
}

/// What `simulate --format json` prints: the run, then the results.
#[derive(Serialize)]
pub struct SimulateReport<'a> {
    pub scenario: &'a str,
    /// The correction of the estimates the scenario carries, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<&'a crate::model::Calibrated>,
    pub schedule: &'a ScheduleInfo,
    /// Mandatory features and hard deadlines that hold in fewer than the scenario's commit
    /// confidence's share of futures, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub at_risk: Vec<String>,
    #[serde(flatten)]
    pub result: &'a SimResult,
}

pub fn json(report: &SimulateReport) -> String {
    super::format::json_text(report)
}

/// Order adjustments in words, for the notes under the run's heading.
pub fn describe_changes(model: &crate::model::Model, changes: &[OrderChange]) -> Vec<String> {
    let id = |f: usize| feature_label(&model.features[f].name, &model.features[f].id);
    changes
        .iter()
        .map(|c| match c.clone() {
            OrderChange::PulledForward { feature, needed_by } => {
                format!("{} moved up: {} requires it", id(feature), id(needed_by))
            }
            OrderChange::Excluded { feature, chosen } => {
                format!(
                    "{} dropped: it excludes {}, which comes first",
                    id(feature),
                    id(chosen)
                )
            }
            OrderChange::RequirementDropped {
                feature,
                requirement,
            } => format!(
                "{} dropped: it needs {}, which was dropped",
                id(feature),
                id(requirement)
            ),
            OrderChange::AlternativesDropped {
                feature,
                alternatives,
            } => format!(
                "{} dropped: it needs one of {}, and each was dropped or is excluded",
                id(feature),
                alternatives
                    .iter()
                    .map(|&g| id(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        .collect()
}

pub fn text(report: &SimulateReport) -> String {
    let r = report.result;
    let mut out = String::new();
    for line in &report.at_risk {
        out.push_str(&format!("at risk: {line}\n"));
    }
    if !report.at_risk.is_empty() {
        out.push('\n');
    }
    if !report.scenario.is_empty() {
        out.push_str(report.scenario);
        out.push('\n');
    }
    if let Some(c) = report.calibration {
        out.push_str(&format!(
            "estimates {}\n",
            super::format::calibration_text(c)
        ));
    }
    out.push_str(&format!(
        "simulate: {}, {} trials, seed {}, {}\n",
        schedule(report.schedule),
        thousands(r.trials as f64),
        r.seed,
        match r.sampling {
            crate::sample::Method::MonteCarlo => "Monte Carlo",
            crate::sample::Method::LatinHypercube => "Latin hypercube",
        }
    ));
    const SHOWN: usize = 6;
    for change in report.schedule.changes.iter().take(SHOWN) {
        out.push_str(&format!("  note: {change}\n"));
    }
    if report.schedule.changes.len() > SHOWN {
        out.push_str(&format!(
            "  note: ... and {} more changes to the order (all in --format json)\n",
            report.schedule.changes.len() - SHOWN
        ));
    }
    out.push('\n');

    npv_text(&mut out, r);
    features_text(&mut out, r);
    deals_text(&mut out, r);
    utilisation_text(&mut out, r);
    value_by_month_text(&mut out, r);
    out
}

/// NPV's mean and spread, what it is made of, and spend against any budget.
fn npv_text(out: &mut String, r: &SimResult) {
    let c = r.currency.as_str();
    let m = |x: f64| money(x, c);
    let npv = &r.npv;
    out.push_str(&format!(
        "NPV      mean {} (standard error {})\n",
        m(npv.mean),
        money(npv.std_error, c)
    ));
    out.push_str(&format!(
        "         P5 {}   P10 {}   P50 {}   P90 {}   P95 {}   P(NPV < 0) {}\n",
        m(npv.p5),
        m(npv.p10),
        m(npv.p50),
        m(npv.p90),
        m(npv.p95),
        probability(npv.p_negative)
    ));
    out.push_str(&format!(
        "         = value {} - costs {} - penalties {} (discounted means)\n",
        m(r.value.mean),
        m(r.cost.mean),
        m(r.penalties.mean)
    ));
    if let Some(costs) = &r.costs {
        out.push_str(&format!("         {}\n", costs_sentence(costs, c)));
    }
    out.push_str(&format!(
        "Spend    within the plan: mean {}, P90 {}",
        m(r.spend.mean),
        m(r.spend.p90)
    ));
    if let (Some(budget), Some(p)) = (r.spend.budget, r.spend.p_over_budget) {
        out.push_str(&format!(
            "; budget {}, P(over budget) {}",
            m(budget),
            probability(p)
        ));
    }
    out.push('\n');
    if let Some(periods) = &r.spend_by_period {
        out.push_str(&format!(
            "         by period ({}):\n",
            crate::report::format::booking_rule(r.costs.is_some())
        ));
        for p in periods {
            out.push_str(&format!(
                "         {}: mean {}, budget {}, P(over) {}\n",
                p.period,
                m(p.mean),
                m(p.budget),
                probability(p.p_over_budget)
            ));
        }
    }
    out.push('\n');
}

/// What the costs are made of: team time of the teams paid by the week, the fixed teams'
/// cost (the same whatever the plan holds), recurring and one-off costs.
pub fn costs_sentence(costs: &crate::simulate::CostBreakdown, currency: &str) -> String {
    let m = |x: f64| money(x, currency);
    let fixed = if costs.bought != 0.0 {
        format!(
            "fixed-cost teams {} (whatever the plan holds) + extra capacity bought {}",
            m(costs.team_fixed.mean - costs.bought),
            m(costs.bought)
        )
    } else {
        format!(
            "fixed-cost teams {} (whatever the plan holds)",
            m(costs.team_fixed.mean)
        )
    };
    format!(
        "costs = team time {} (teams paid by the week worked) + {fixed} + recurring {} + one-off {}",
        m(costs.team_variable.mean),
        m(costs.recurring.mean),
        m(costs.one_off.mean)
    )
}

/// Each feature's chances of delivery, in its planned period and by its deadline, and when.
fn features_text(out: &mut String, r: &SimResult) {
    let plan = r.features.iter().any(|f| f.planned.is_some());
    let deadlines = r.features.iter().any(|f| f.deadline.is_some());
    // Only a scenario that says some work has started gets the column.
    let marked = !r.done.is_empty() || r.features.iter().any(|f| !f.status.is_not_started());
    let limits = r.features.iter().any(|f| f.limit.is_some());
    let mut columns = vec![("feature", false)];
    if marked {
        columns.push(("status", false));
    }
    if plan {
        columns.push(("planned", false));
    }
    if deadlines {
        columns.push(("deadline", false));
    }
    if limits {
        columns.push(("limit", false));
    }
    columns.push(("delivered", true));
    if plan {
        columns.push(("in planned period", true));
    }
    if deadlines {
        columns.push(("by deadline", true));
    }
    if limits {
        columns.push(("by limit", true));
    }
    columns.extend([("P50", false), ("P90", false), ("mean week", true)]);
    let mut table = Table::new(&columns);
    let not_in_plan = "after plan";
    for d in &r.done {
        let mut row = vec![feature_label(&d.name, &d.id), "done".to_string()];
        row.resize(columns.len(), String::new());
        table.row(row);
    }
    for f in &r.features {
        let mut row = vec![feature_label(&f.name, &f.id)];
        if marked {
            row.push(f.status.marker().to_string());
        }
        if plan {
            row.push(f.planned.clone().unwrap_or_default());
        }
        if deadlines {
            row.push(f.deadline.clone().unwrap_or_default());
        }
        if limits {
            row.push(f.limit.clone().unwrap_or_default());
        }
        row.push(probability(f.p_delivered));
        if plan {
            row.push(f.p_on_plan.map(probability).unwrap_or_default());
        }
        if deadlines {
            row.push(f.p_by_deadline.map(probability).unwrap_or_default());
        }
        if limits {
            row.push(f.p_by_limit.map(probability).unwrap_or_default());
        }
        row.push(
            f.p50_period
                .clone()
                .unwrap_or_else(|| not_in_plan.to_string()),
        );
        row.push(
            f.p90_period
                .clone()
                .unwrap_or_else(|| not_in_plan.to_string()),
        );
        row.push(
            f.mean_completion_week
                .map(|w| format!("{w:.1}"))
                .unwrap_or_default(),
        );
        table.row(row);
    }
    out.push_str(&format!(
        "Features ({}): chance of delivery within the plan, in its planned period and by its deadline{};\ndelivery period P50/P90; mean completion week over the trials that deliver\n",
        count(r.features.len()),
        if limits { ", and by the hard limit after a target" } else { "" }
    ));
    out.push_str(&table.render());
    if marked {
        out.push_str("  done: shipped before the plan starts, so not simulated and not in the NPV; in progress: only the remaining work is simulated\n");
    }
}

fn deals_text(out: &mut String, r: &SimResult) {
    if r.deals.is_empty() {
        return;
    }
    out.push_str("\nDeals: chance that enough of its features ship in time for the deal to pay\n");
    let mut table = Table::new(&[("deal", false), ("customer", false), ("P(won)", true)]);
    for d in &r.deals {
        table.row(vec![d.id.clone(), d.customer.clone(), probability(d.p_won)]);
    }
    out.push_str(&table.render());
}

fn utilisation_text(out: &mut String, r: &SimResult) {
    out.push_str("\nTeam utilisation: work done over sampled capacity, mean / P90\n");
    let mut columns = vec![("team", false)];
    columns.extend(r.periods.iter().map(|p| (p.as_str(), true)));
    let mut table = Table::new(&columns);
    for t in &r.teams {
        let mut row = vec![t.id.clone()];
        for p in &t.periods {
            row.push(match (p.utilisation_mean, p.utilisation_p90) {
                (Some(mean), Some(p90)) => format!("{:.0}% / {:.0}%", mean * 100.0, p90 * 100.0),
                _ => "-".to_string(),
            });
        }
        table.row(row);
    }
    out.push_str(&table.render());
}

/// Cumulative net value by month; quarterly past a year, and the last month always.
fn value_by_month_text(out: &mut String, r: &SimResult) {
    let m = |x: f64| money(x, r.currency.as_str());
    out.push_str("\nCumulative net value (discounted value less costs and penalties) by month\n");
    let mut table = Table::new(&[
        ("month", true),
        ("P10", true),
        ("P50", true),
        ("P90", true),
        ("mean", true),
    ]);
    let last = r.value_by_month.len();
    let step = if last <= 12 { 1 } else { 3 };
    for band in &r.value_by_month {
        if band.month % step == 0 || band.month == last {
            table.row(vec![
                band.month.to_string(),
                m(band.p10),
                m(band.p50),
                m(band.p90),
                m(band.mean),
            ]);
        }
    }
    out.push_str(&table.render());
}

/// Every statistic as one long table: section, id, period, statistic, value.
pub fn csv(report: &SimulateReport) -> String {
    let r = report.result;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["section", "id", "period", "statistic", "value"]);
    let mut row = |section: &str, id: &str, period: &str, stat: &str, value: Option<f64>| {
        let value = value.map(|v| v.to_string()).unwrap_or_default();
        let _ = w.write_record([section, id, period, stat, &value]);
    };
    let npv = &r.npv;
    for (stat, v) in [
        ("mean", npv.mean),
        ("std_error", npv.std_error),
        ("sd", npv.sd),
        ("p5", npv.p5),
        ("p10", npv.p10),
        ("p50", npv.p50),
        ("p90", npv.p90),
        ("p95", npv.p95),
        ("min", npv.min),
        ("max", npv.max),
        ("p_negative", npv.p_negative),
    ] {
        row("npv", "", "", stat, Some(v));
    }
    for (section, m) in [
        ("value", &r.value),
        ("cost", &r.cost),
        ("penalties", &r.penalties),
    ] {
        row(section, "", "", "mean", Some(m.mean));
        row(section, "", "", "std_error", Some(m.std_error));
    }
    if let Some(costs) = &r.costs {
        for (kind, m) in [
            ("team_variable", &costs.team_variable),
            ("team_fixed", &costs.team_fixed),
            ("recurring", &costs.recurring),
            ("one_off", &costs.one_off),
        ] {
            row("cost", kind, "", "mean", Some(m.mean));
            row("cost", kind, "", "std_error", Some(m.std_error));
        }
    }
    row("spend", "", "", "mean", Some(r.spend.mean));
    row("spend", "", "", "p90", Some(r.spend.p90));
    row("spend", "", "", "budget", r.spend.budget);
    row("spend", "", "", "p_over_budget", r.spend.p_over_budget);
    for p in r.spend_by_period.iter().flatten() {
        row("spend", "", &p.period, "mean", Some(p.mean));
        row("spend", "", &p.period, "budget", Some(p.budget));
        row(
            "spend",
            "",
            &p.period,
            "p_over_budget",
            Some(p.p_over_budget),
        );
    }
    for f in &r.features {
        row("feature", &f.id, "", "p_delivered", Some(f.p_delivered));
        row("feature", &f.id, "", "p_on_plan", f.p_on_plan);
        row("feature", &f.id, "", "p_by_deadline", f.p_by_deadline);
        if f.p_by_limit.is_some() {
            row("feature", &f.id, "", "p_by_limit", f.p_by_limit);
        }
        row(
            "feature",
            &f.id,
            "",
            "mean_completion_week",
            f.mean_completion_week,
        );
        for (p, prob) in f.period_probabilities.iter().enumerate() {
            let label = r.periods.get(p).map_or("not_delivered", |s| s.as_str());
            row("feature", &f.id, label, "p_delivered_in", Some(*prob));
        }
    }
    for d in &r.deals {
        row("deal", &d.id, "", "p_won", Some(d.p_won));
    }
    for t in &r.teams {
        for p in &t.periods {
            row(
                "team",
                &t.id,
                &p.period,
                "capacity_weeks",
                Some(p.capacity_weeks),
            );
            row("team", &t.id, &p.period, "work_weeks", Some(p.work_weeks));
            row(
                "team",
                &t.id,
                &p.period,
                "work_p90_weeks",
                Some(p.work_p90_weeks),
            );
            row(
                "team",
                &t.id,
                &p.period,
                "utilisation_mean",
                p.utilisation_mean,
            );
            row(
                "team",
                &t.id,
                &p.period,
                "utilisation_p90",
                p.utilisation_p90,
            );
        }
    }
    for b in &r.value_by_month {
        let month = b.month.to_string();
        for (stat, v) in [
            ("mean", b.mean),
            ("p10", b.p10),
            ("p25", b.p25),
            ("p50", b.p50),
            ("p75", b.p75),
            ("p90", b.p90),
        ] {
            row("cumulative_value", &month, "", stat, Some(v));
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Wide tables for spreadsheets: (file name, CSV text).
pub fn tables(report: &SimulateReport) -> Vec<(&'static str, String)> {
    let r = report.result;
    let write = |header: &[&str], rows: Vec<Vec<String>>| {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(header);
        for row in rows {
            let _ = w.write_record(&row);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    };
    let mut header: Vec<String> = [
        "feature",
        "name",
        "planned",
        "deadline",
        "p_delivered",
        "p_on_plan",
        "p_by_deadline",
        "p50_period",
        "p90_period",
        "mean_completion_week",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(r.periods.iter().map(|p| format!("p_in_{p}")));
    header.push("p_not_delivered".into());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let features = write(
        &header_refs,
        r.features
            .iter()
            .map(|f| {
                let mut row = vec![
                    f.id.clone(),
                    f.name.clone(),
                    f.planned.clone().unwrap_or_default(),
                    f.deadline.clone().unwrap_or_default(),
                    f.p_delivered.to_string(),
                    opt(f.p_on_plan),
                    opt(f.p_by_deadline),
                    f.p50_period.clone().unwrap_or_default(),
                    f.p90_period.clone().unwrap_or_default(),
                    opt(f.mean_completion_week),
                ];
                row.extend(f.period_probabilities.iter().map(|p| p.to_string()));
                row
            })
            .collect(),
    );
    let teams = write(
        &[
            "team",
            "period",
            "capacity_weeks",
            "work_weeks",
            "work_p90_weeks",
            "utilisation_mean",
            "utilisation_p90",
        ],
        r.teams
            .iter()
            .flat_map(|t| {
                t.periods.iter().map(|p| {
                    vec![
                        t.id.clone(),
                        p.period.clone(),
                        p.capacity_weeks.to_string(),
                        p.work_weeks.to_string(),
                        p.work_p90_weeks.to_string(),
                        opt(p.utilisation_mean),
                        opt(p.utilisation_p90),
                    ]
                })
            })
            .collect(),
    );
    let deals = write(
        &["deal", "customer", "p_won"],
        r.deals
            .iter()
            .map(|d| vec![d.id.clone(), d.customer.clone(), d.p_won.to_string()])
            .collect(),
    );
    let months = write(
        &["month", "mean", "p10", "p25", "p50", "p75", "p90"],
        r.value_by_month
            .iter()
            .map(|b| {
                vec![
                    b.month.to_string(),
                    b.mean.to_string(),
                    b.p10.to_string(),
                    b.p25.to_string(),
                    b.p50.to_string(),
                    b.p75.to_string(),
                    b.p90.to_string(),
                ]
            })
            .collect(),
    );
    vec![
        ("features.csv", features),
        ("teams.csv", teams),
        ("deals.csv", deals),
        ("value_by_month.csv", months),
    ]
}
