//! A what-if comparison as a terminal table (base | variant | delta), JSON and CSV.

use super::format::{
    count as count_of, feature_label, money, probability, signed_money, thousands,
};
use super::table::Table;
use crate::analysis::whatif::{ChangeKind, Metric, Planning, Unit, WhatIf};

fn plain_money(x: f64, currency: &str) -> String {
    if x < 0.0 {
        format!("-{}", money(-x, currency))
    } else {
        money(x, currency)
    }
}

/// A count with one decimal when it is an expectation ("2.7"), none when whole ("24").
fn count(x: f64) -> String {
    if (x - x.round()).abs() < 5e-3 {
        thousands(x)
    } else {
        format!("{x:.2}")
    }
}

fn signed_count(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x > 0.0 {
        format!("+{}", count(x))
    } else {
        format!("-{}", count(-x))
    }
}

fn cell(m: &Metric, x: f64, of: Option<usize>, currency: &str) -> String {
    match m.unit {
        Unit::Money => plain_money(x, currency),
        Unit::Probability => probability(x),
        Unit::Count => match of {
            Some(n) => format!("{} of {n}", count(x)),
            None => count(x),
        },
    }
}

fn delta(m: &Metric, currency: &str) -> String {
    match m.unit {
        Unit::Money => signed_money(m.delta, currency),
        Unit::Probability => {
            // Percentage points: a change of a probability, not a relative change.
            let pts = m.delta * 100.0;
            if pts == 0.0 {
                "0".into()
            } else {
                format!("{:+.1} pts", pts)
            }
        }
        Unit::Count => signed_count(m.delta),
    }
}

fn interval(m: &Metric, currency: &str) -> String {
    match (m.delta_low, m.delta_high) {
        (Some(lo), Some(hi)) if lo == 0.0 && hi == 0.0 && m.delta == 0.0 => {
            "same in every future".into()
        }
        (Some(lo), Some(hi)) => format!(
            "{} to {}",
            signed_money(lo, currency),
            signed_money(hi, currency)
        ),
        _ => String::new(),
    }
}

fn planning_line(w: &WhatIf) -> String {
    match &w.planning {
        Planning::Reoptimized { mode } => {
            format!("plans: each side optimized on its own numbers ({mode})")
        }
        Planning::Held { mode } => {
            format!("plans: the base's optimal plan ({mode}), held on both sides")
        }
        Planning::KeptBase { mode, gain } => format!(
            "plans: the variant re-optimized ({mode}), but holding the base's plan does better by {} in simulation, so both sides keep it",
            money(*gain, &w.currency)
        ),
        Planning::Recommended { kept_base: false } => "plans: each side's recommended plan (on the what-if, the base's plan was a candidate and a re-plan beat it)".to_string(),
        Planning::Recommended { kept_base: true } => "plans: each side's recommended plan; on the what-if the base's plan, held, is still the best, so both sides keep it".to_string(),
    }
}

pub fn text(w: &WhatIf) -> String {
    let cur = &w.currency;
    let mut out = String::new();
    if !w.base.scenario.is_empty() {
        out.push_str(&format!("{}\n", w.base.scenario));
    }
    out.push_str(&format!(
        "what-if: {} against {}\n",
        w.variant.label, w.base.label
    ));
    out.push_str(&format!("{}\n", planning_line(w)));
    out.push_str(&format!(
        "{} trials on the same random numbers (seed {}); the optimizer plans on seed {}\n",
        thousands(w.trials as f64),
        w.seed,
        w.seed.wrapping_add(1)
    ));
    if !w.overrides.is_empty() {
        out.push_str("\nOverrides\n");
        let mut table = Table::new(&[
            ("--set", false),
            ("field", false),
            ("before", false),
            ("after", false),
        ]);
        for o in &w.overrides {
            table.row(vec![
                o.argument.clone(),
                o.field.clone(),
                o.before.clone(),
                o.after.clone(),
            ]);
        }
        out.push_str(&table.render());
    }
    out.push('\n');
    let mut table = Table::new(&[
        ("", false),
        ("base", true),
        ("variant", true),
        ("delta", true),
        ("95% interval of the delta", true),
    ]);
    for m in &w.metrics {
        table.row(vec![
            m.label.to_string(),
            cell(m, m.base, m.base_of, cur),
            cell(m, m.variant, m.variant_of, cur),
            delta(m, cur),
            interval(m, cur),
        ]);
    }
    out.push_str(&table.render());
    let same = 1.0 - w.p_variant_higher - w.p_variant_lower;
    out.push_str(&format!(
        "  trial by trial, the variant's NPV is higher in {} of the futures, lower in {}, the same in {}\n",
        probability(w.p_variant_higher),
        probability(w.p_variant_lower),
        probability(same.max(0.0))
    ));
    out.push_str("  the NPV interval is that of the paired differences; P10, P50 and P90 are each side's own percentiles\n");
    out.push_str(&done_apart(w));

    if w.plan_changes.is_empty() {
        out.push_str("\nPlan changes: none, the same features in the same periods\n");
    } else {
        out.push_str(&format!(
            "\nPlan changes ({})\n",
            count_of(w.plan_changes.len())
        ));
        let mut table = Table::new(&[
            ("feature", false),
            ("base", false),
            ("variant", false),
            ("change", false),
        ]);
        for c in &w.plan_changes {
            table.row(vec![
                feature_label(&c.name, &c.feature),
                c.base.clone().unwrap_or_else(|| "-".into()),
                c.variant.clone().unwrap_or_else(|| "-".into()),
                match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Dropped => "dropped",
                    ChangeKind::Moved => "moved",
                    ChangeKind::Done => "done before the plan",
                }
                .into(),
            ]);
        }
        out.push_str(&table.render());
    }
    if !w.capacity_changes.is_empty() {
        out.push_str("\nPeople bought and placed (extra capacity and pools)\n");
        let mut table = Table::new(&[("", false), ("base", false), ("variant", false)]);
        for c in &w.capacity_changes {
            table.row(vec![c.what.clone(), c.base.clone(), c.variant.clone()]);
        }
        out.push_str(&table.render());
    }
    if !w.held_plan_breaks.is_empty() {
        out.push_str(&format!(
            "\nThe held plan breaks under the variant's expected numbers ({})\n",
            w.held_plan_breaks.len()
        ));
        for b in &w.held_plan_breaks {
            out.push_str(&format!("  {}\n", super::violation::sentence(b)));
        }
    }
    out
}

/// Work done in one side only: its value is in neither NPV, since no plan changes it, so the
/// delta compares what each side still has to deliver.
fn done_apart(w: &WhatIf) -> String {
    let ids = |r: &crate::simulate::SimResult| -> Vec<String> {
        r.done.iter().map(|d| d.id.clone()).collect()
    };
    let (base, variant) = (ids(&w.base.result), ids(&w.variant.result));
    let apart: Vec<&String> = base
        .iter()
        .filter(|id| !variant.contains(id))
        .chain(variant.iter().filter(|id| !base.contains(id)))
        .collect();
    if apart.is_empty() {
        return String::new();
    }
    format!(
        "  done on one side only: {}; done work is in no NPV (no plan changes it), so the delta leaves its value out\n",
        apart.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    )
}

/// The what-if as JSON: its figures as the analysis holds them, the held plan's breaks in
/// words, then the two sides.
pub fn json(w: &WhatIf) -> String {
    #[derive(serde::Serialize)]
    struct JsonWhatIf<'a> {
        #[serde(flatten)]
        what_if: &'a WhatIf,
        held_plan_breaks: Vec<String>,
        base: &'a crate::analysis::whatif::SideResult,
        variant: &'a crate::analysis::whatif::SideResult,
    }
    super::format::json_text(&JsonWhatIf {
        what_if: w,
        held_plan_breaks: w
            .held_plan_breaks
            .iter()
            .map(super::violation::sentence)
            .collect(),
        base: &w.base,
        variant: &w.variant,
    })
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        String::new()
    }
}

/// The metrics table: one row per metric, base, variant, delta and its interval.
pub fn csv(w: &WhatIf) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "metric",
        "label",
        "unit",
        "base",
        "variant",
        "delta",
        "delta_low",
        "delta_high",
        "base_of",
        "variant_of",
    ]);
    for m in &w.metrics {
        let opt = |x: Option<f64>| x.map_or_else(String::new, num);
        let of = |x: Option<usize>| x.map_or_else(String::new, |n| n.to_string());
        let _ = out.write_record([
            m.key.to_string(),
            m.label.to_string(),
            format!("{:?}", m.unit).to_ascii_lowercase(),
            num(m.base),
            num(m.variant),
            num(m.delta),
            opt(m.delta_low),
            opt(m.delta_high),
            of(m.base_of),
            of(m.variant_of),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Every feature planned on either side, with its period on each: the plans side by side.
pub fn plans_csv(w: &WhatIf) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(["feature", "base_period", "variant_period", "change"]);
    let period_of = |plan: &[crate::analysis::whatif::PeriodPlan], id: &str| {
        plan.iter()
            .find(|p| p.features.iter().any(|f| f == id))
            .map(|p| p.period.clone())
    };
    let mut ids: Vec<&str> = Vec::new();
    for p in w.base.plan.iter().chain(&w.variant.plan) {
        for f in &p.features {
            if !ids.contains(&f.as_str()) {
                ids.push(f);
            }
        }
    }
    for id in ids {
        let (b, v) = (period_of(&w.base.plan, id), period_of(&w.variant.plan, id));
        let done = w.variant.result.done.iter().any(|d| d.id == id);
        let change = match (&b, &v) {
            (Some(x), Some(y)) if x == y => "same",
            (Some(_), Some(_)) => "moved",
            (Some(_), None) if done => "done",
            (Some(_), None) => "dropped",
            _ => "added",
        };
        let _ = out.write_record([
            id,
            b.as_deref().unwrap_or(""),
            v.as_deref().unwrap_or(""),
            change,
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
