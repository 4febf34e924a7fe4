//! `roadmap frontier`: the points, what each plan costs and protects, and the plans.

use super::format::{feature_name, money, percent, probability, thousands};

/// A name in the plan lists: long enough to recognise, short enough for a dozen on a line.
const LIST_NAME_COLUMNS: usize = 32;
use super::table::Table;
use crate::analysis::frontier::{Axis, Frontier, Point};

fn setting(f: &Frontier, p: &Point) -> String {
    match f.axis {
        Axis::Cvar => format!(
            "λ = {}",
            p.lambda.map_or(String::new(), |l| format!("{l:.2}"))
        ),
        Axis::Budget => money(p.budget.unwrap_or(f64::NAN), &f.currency),
    }
}

/// Tail label: "CVaR 90%" averages the worst 10%.
fn tail(f: &Frontier) -> String {
    format!("CVaR{:.0}", f.alpha * 100.0)
}

pub fn text(f: &Frontier) -> String {
    let cur = &f.currency;
    let mut out = String::new();
    if !f.scenario.is_empty() {
        out.push_str(&format!("{}\n", f.scenario));
    }
    out.push_str(&match f.axis {
        Axis::Cvar => format!(
            "frontier: expected NPV against {} (mean of the worst {} of futures) as risk aversion λ goes from {} to {};\n  each point maximises (1 - λ) E[NPV] + λ {} on the optimizer's {} sampled futures (seed {}), then is simulated on {} futures (seed {})\n\n",
            tail(f),
            percent(1.0 - f.alpha),
            f.points.first().and_then(|p| p.lambda).map_or(String::new(), |l| format!("{l}")),
            f.points.last().and_then(|p| p.lambda).map_or(String::new(), |l| format!("{l}")),
            tail(f),
            f.scenarios.unwrap_or(0),
            f.seed.wrapping_add(1),
            thousands(f.trials as f64),
            f.seed
        ),
        Axis::Budget => format!(
            "frontier: expected NPV against the budget; each point is the best plan within that budget, simulated on {} futures (seed {})\n\n",
            thousands(f.trials as f64),
            f.seed
        ),
    });
    let optimizer_tail = format!("{} (plan)", tail(f));
    let mut columns = vec![
        ("point", true),
        (
            if f.axis == Axis::Cvar {
                "risk aversion"
            } else {
                "budget"
            },
            true,
        ),
        ("features", true),
        ("E[NPV] (plan)", true),
    ];
    if f.axis == Axis::Cvar {
        columns.push((optimizer_tail.as_str(), true));
    }
    columns.extend([
        ("spend", true),
        ("simulated E[NPV]", true),
        ("simulated CVaR", true),
        ("P(NPV<0)", true),
        ("note", false),
    ]);
    let mut table = Table::new(&columns);
    for (i, p) in f.points.iter().enumerate() {
        let mut row = vec![format!("{}", i + 1), setting(f, p)];
        if let Some(e) = &p.error {
            row.resize(columns.len() - 1, String::new());
            row.push(e.clone());
            table.row(row);
            continue;
        }
        row.push(format!("{}", p.features));
        row.push(money(p.expected, cur));
        if f.axis == Axis::Cvar {
            row.push(p.cvar.map_or(String::new(), |c| money(c, cur)));
        }
        row.push(money(p.spend, cur));
        match &p.simulated {
            Some(s) => {
                row.push(money(s.mean, cur));
                row.push(money(s.cvar, cur));
                row.push(probability(s.p_negative));
            }
            None => row.extend([String::new(), String::new(), String::new()]),
        }
        let mut notes = Vec::new();
        if p.dominated {
            notes.push("dominated".to_string());
        }
        if let Some(j) = p.same_plan_as {
            notes.push(format!("same plan as {}", j + 1));
        }
        if p.status.as_deref() == Some("time limit") {
            notes.push("time limit".to_string());
        }
        row.push(notes.join(", "));
        table.row(row);
    }
    out.push_str(&table.render());
    out.push_str(&match f.axis {
        Axis::Cvar => format!(
            "\n  (plan) columns are the optimizer's own figures on its sampled futures; the simulated ones come from\n  new futures the optimizer never saw, and they decide: a dominated point is beaten on both simulated\n  E[NPV] and {} by another point by more than two standard errors (without a simulation, on the\n  optimizer's figures).\n",
            tail(f)
        ),
        Axis::Budget => "\n  A dominated point has a larger budget than another point and no more expected NPV: the extra money buys nothing.\n".to_string(),
    });
    out.push_str("\nplans (what changes from one point to the next, by name; --format json and --out give ids):\n");
    let mut previous: Option<&Point> = None;
    for (i, p) in f.points.iter().enumerate() {
        if p.error.is_some() {
            continue;
        }
        let line = match previous {
            None => {
                let all: Vec<String> = p
                    .plan
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {}",
                            feature_name(&l.name, &l.feature, LIST_NAME_COLUMNS),
                            l.period
                        )
                    })
                    .collect();
                format!("  {}. {}: {}\n", i + 1, setting(f, p), all.join("; "))
            }
            Some(prev) => {
                let changes = plan_changes(prev, p);
                format!(
                    "  {}. {}: {}\n",
                    i + 1,
                    setting(f, p),
                    if changes.is_empty() {
                        "no change".to_string()
                    } else {
                        changes.join("; ")
                    }
                )
            }
        };
        out.push_str(&line);
        previous = Some(p);
    }
    out
}

/// "+name Q2", "-name", "name Q1->Q3" from one plan to the next.
fn plan_changes(before: &Point, after: &Point) -> Vec<String> {
    let name = |l: &crate::analysis::frontier::PlannedLine| {
        feature_name(&l.name, &l.feature, LIST_NAME_COLUMNS)
    };
    let period = |p: &Point, id: &str| {
        p.plan
            .iter()
            .find(|l| l.feature == id)
            .map(|l| l.period.clone())
    };
    let mut out = Vec::new();
    for l in &after.plan {
        match period(before, &l.feature) {
            None => out.push(format!("+{} {}", name(l), l.period)),
            Some(p) if p != l.period => out.push(format!("{} {}->{}", name(l), p, l.period)),
            Some(_) => {}
        }
    }
    for l in &before.plan {
        if period(after, &l.feature).is_none() {
            out.push(format!("-{}", name(l)));
        }
    }
    out
}

pub fn json(f: &Frontier) -> String {
    super::format::json_text(f)
}

/// One row per point and planned feature: the points with their figures, and each plan.
pub fn csv(f: &Frontier) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "point",
        "risk_aversion",
        "budget",
        "error",
        "features",
        "expected_npv",
        "cvar",
        "spend",
        "simulated_mean",
        "simulated_cvar",
        "simulated_p_negative",
        "dominated",
        "same_plan_as",
    ]);
    let num = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v:.2}"));
    for (i, p) in f.points.iter().enumerate() {
        let _ = w.write_record([
            format!("{}", i + 1),
            p.lambda.map_or(String::new(), |l| format!("{l}")),
            num(p.budget),
            p.error.clone().unwrap_or_default(),
            format!("{}", p.features),
            num(p.error.is_none().then_some(p.expected)),
            num(p.cvar),
            num(p.error.is_none().then_some(p.spend)),
            num(p.simulated.as_ref().map(|s| s.mean)),
            num(p.simulated.as_ref().map(|s| s.cvar)),
            p.simulated
                .as_ref()
                .map_or(String::new(), |s| format!("{:.4}", s.p_negative)),
            format!("{}", p.dominated),
            p.same_plan_as
                .map_or(String::new(), |j| format!("{}", j + 1)),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Each point's plan: point, feature, period.
pub fn plans_csv(f: &Frontier) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["point", "feature", "period"]);
    for (i, p) in f.points.iter().enumerate() {
        for l in &p.plan {
            let _ = w.write_record([format!("{}", i + 1), l.feature.clone(), l.period.clone()]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
