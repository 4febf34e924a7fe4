//! Sensitivity as a terminal report (tornado table, rank correlations, what to cut when
//! capacity drops), JSON and CSV.

use super::format::{compact, feature_label, feature_name, money, thousands, NAME_COLUMNS};
use super::table::Table;
use crate::analysis::sensitivity::{
    Basis, CapacityDrop, InputKind, Mode, PlanChange, Sensitivity, TornadoEntry,
};

/// An input's value in a narrow column: three significant digits, thousands compacted.
pub fn value(x: f64) -> String {
    let a = x.abs();
    if a >= 10_000.0 {
        return compact(x);
    }
    if a >= 100.0 || a == 0.0 {
        return thousands(x);
    }
    let decimals = (2 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn input_value(entry: &TornadoEntry, x: f64) -> String {
    match entry.kind {
        InputKind::Risk if x > 0.5 => "happens".into(),
        InputKind::Risk => "no".into(),
        InputKind::Input => value(x),
    }
}

fn npv_cell(npv: f64, basis: Basis, currency: &str) -> String {
    let mark = if basis == Basis::NoFeasiblePlan {
        " *"
    } else {
        ""
    };
    format!("{}{mark}", money(npv, currency))
}

fn tornado(s: &Sensitivity, out: &mut String) {
    let cur = &s.currency;
    let reoptimized = |b: &TornadoEntry| b.low_basis != Basis::Held || b.high_basis != Basis::Held;
    let shown: Vec<&TornadoEntry> = match s.mode {
        Mode::Reoptimize => s.bars.iter().filter(|b| reoptimized(b)).collect(),
        Mode::HoldPlan => s.bars.iter().take(s.top).collect(),
    };
    out.push_str(
        "What moves NPV most: one input at a time at its P10 and P90, every other at its median\n",
    );
    match (s.mode, s.base_basis) {
        (Mode::Reoptimize, Basis::Reoptimized) => out.push_str(&format!(
            "median world: NPV {} re-planned for it ({} with the plan as given)\n\n",
            money(s.base_npv, cur),
            money(s.held_base_npv, cur)
        )),
        (Mode::Reoptimize, _) => out.push_str(&format!(
            "median world: no plan keeps every commitment there; NPV {} with the plan as given\n\n",
            money(s.held_base_npv, cur)
        )),
        (Mode::HoldPlan, _) => out.push_str(&format!(
            "median world: NPV {} with the plan as given\n\n",
            money(s.base_npv, cur)
        )),
    }
    let mut columns = vec![
        ("input", false),
        ("P10", true),
        ("median", true),
        ("P90", true),
        ("NPV at P10", true),
        ("NPV at P90", true),
        ("swing", true),
    ];
    if s.mode == Mode::Reoptimize {
        columns.push(("plan held", true));
    }
    let mut table = Table::new(&columns);
    for b in &shown {
        let mut row = vec![
            b.label.clone(),
            input_value(b, b.low_value),
            input_value(b, b.median_value),
            input_value(b, b.high_value),
            npv_cell(b.low_npv, b.low_basis, cur),
            npv_cell(b.high_npv, b.high_basis, cur),
            money(b.swing, cur),
        ];
        if s.mode == Mode::Reoptimize {
            row.push(money((b.held_high_npv - b.held_low_npv).abs(), cur));
        }
        table.row(row);
    }
    if shown.is_empty() {
        out.push_str("  no uncertain input can change this plan's NPV\n");
    } else {
        out.push_str(&table.render());
    }
    out.push_str("  P10 and P90: the input is below these values in 10% and 90% of futures; swing: how far NPV moves between them\n");
    out.push_str("  a risk event's P10 is that it does not happen (unless its probability is above 90%), its P90 that it happens (when its probability is above 10%); the median world has every risk at its likelier outcome\n");
    if s.mode == Mode::Reoptimize {
        out.push_str(&format!(
            "  at each point the optimizer re-plans for that world, as you would if you knew the number; plan held: the swing of the plan as given. The {} inputs with the largest held swing are re-planned\n",
            s.top
        ));
    }
    if shown
        .iter()
        .any(|b| b.low_basis == Basis::NoFeasiblePlan || b.high_basis == Basis::NoFeasiblePlan)
    {
        out.push_str("  * no plan keeps every commitment there (mandatory work, hard deadlines, budget, themes); the NPV is the plan as given, executed anyway\n");
    }
    let more = s.bars.len() - shown.len();
    if more > 0 {
        out.push_str(&format!(
            "  {more} more input{} in --format csv or json",
            if more == 1 { "" } else { "s" }
        ));
        if s.mode == Mode::Reoptimize {
            out.push_str(", screened with the plan held");
        }
        out.push('\n');
    }
    if s.inputs_left_out > 0 {
        out.push_str(&format!(
            "  {} input{} of features the plan leaves out cannot change its NPV and {} not shown (--all lists them)\n",
            s.inputs_left_out,
            if s.inputs_left_out == 1 { "" } else { "s" },
            if s.inputs_left_out == 1 { "is" } else { "are" }
        ));
    }
    out.push_str("  one input moves at a time, so correlations between inputs are not carried here; the rank correlations below carry them\n");
}

fn correlations(s: &Sensitivity, out: &mut String) {
    out.push_str(&format!(
        "\nWhich inputs move with NPV: rank correlation over {} simulated futures of the plan (seed {}, mean NPV {})\n\n",
        thousands(s.trials as f64),
        s.seed,
        money(s.npv_mean, &s.currency)
    ));
    if s.correlations.is_empty() {
        out.push_str("  nothing uncertain varied over the run\n");
        return;
    }
    let mut table = Table::new(&[("input", false), ("rho", true), ("", false)]);
    for c in s.correlations.iter().take(s.top) {
        let reading = if c.rho.abs() < s.noise_level {
            "within noise"
        } else if c.rho > 0.0 {
            "higher, more NPV"
        } else {
            "higher, less NPV"
        };
        let reading = match (c.kind, reading) {
            (InputKind::Risk, "higher, more NPV") => "happens, more NPV",
            (InputKind::Risk, "higher, less NPV") => "happens, less NPV",
            (_, r) => r,
        };
        table.row(vec![
            c.label.clone(),
            format!("{:+.2}", c.rho),
            reading.to_string(),
        ]);
    }
    out.push_str(&table.render());
    out.push_str("  rho (Spearman): +1 when NPV always rises with the input, -1 when it always falls, 0 when they are unrelated; ties count at their average rank\n");
    out.push_str(&format!(
        "  |rho| below {:.2} is within the noise of {} trials; an input correlated with a driver in the scenario moves with NPV too\n",
        s.noise_level,
        thousands(s.trials as f64)
    ));
    let more = s.correlations.len().saturating_sub(s.top);
    if more > 0 {
        out.push_str(&format!("  {more} more in --format csv or json\n"));
    }
}

fn changes(title: &str, list: &[PlanChange], currency: &str, out: &mut String) {
    if list.is_empty() {
        return;
    }
    out.push_str(&format!("  {title}\n"));
    let mut table = Table::new(&[
        ("feature", false),
        ("before", false),
        ("after", false),
        ("its net value", true),
    ]);
    let dash = |p: &Option<String>| p.clone().unwrap_or_else(|| "-".into());
    for c in list {
        table.row(vec![
            feature_label(&c.name, &c.feature),
            dash(&c.before),
            dash(&c.after),
            money(c.net_value, currency),
        ]);
    }
    for line in table.render().lines() {
        out.push_str(&format!("  {line}\n"));
    }
}

fn capacity_drop(d: &CapacityDrop, currency: &str, out: &mut String) {
    let drop = (1.0 - d.factor) * 100.0;
    out.push_str(&format!(
        "\nIf every team's capacity drops {drop:.0}% (capacity x{})\n",
        value(d.factor)
    ));
    if !d.feasible {
        out.push_str(&format!(
            "  no plan keeps every commitment (mandatory work, hard deadlines, budget, themes) with {drop:.0}% less capacity: commitments must move first\n  the plan as given, executed anyway: simulated mean NPV {} instead of {} ({} lost)\n",
            money(d.npv_mean_held, currency),
            money(d.npv_mean_before, currency),
            money(d.npv_mean_before - d.npv_mean_held, currency)
        ));
        return;
    }
    if d.dropped.is_empty() {
        out.push_str("  the optimizer cuts nothing");
    } else {
        let names = names(&d.dropped);
        out.push_str(&format!("  the optimizer cuts {}", join_words(&names)));
    }
    if !d.added.is_empty() {
        let names = names(&d.added);
        out.push_str(&format!(", and adds {}", join_words(&names)));
    }
    out.push('\n');
    changes("cut", &d.dropped, currency, out);
    changes("added", &d.added, currency, out);
    changes("moved", &d.moved, currency, out);
    // Each figure says whether it is a level (the NPV after the drop) or a loss (how much less
    // than at full capacity), so that neither is read as the other.
    if let (Some(after), Some(lost)) = (d.objective_after, d.objective_lost()) {
        out.push_str(&format!(
            "  expected NPV as the optimizer counts it: {} at full capacity, {} re-planned: {} lost\n",
            money(d.objective_before, currency),
            money(after, currency),
            money(lost, currency)
        ));
    }
    if let (Some(after), Some(lost)) = (d.npv_mean_after, d.npv_lost()) {
        out.push_str(&format!(
            "  simulated mean NPV: {} at full capacity; {} re-planned ({} lost); {} with the plan kept as it is ({} lost)\n",
            money(d.npv_mean_before, currency),
            money(after, currency),
            money(lost, currency),
            money(d.npv_mean_held, currency),
            money(d.npv_mean_before - d.npv_mean_held, currency)
        ));
    }
    out.push_str("  its net value: the feature's expected discounted value from release to the horizon, less its one-off costs and penalties (team time and deals apart), as the optimizer counts it\n");
}

/// The features of a list by name, for a sentence: the first three, then how many more (the
/// tables below list them all).
fn names(list: &[PlanChange]) -> Vec<String> {
    const NAMED: usize = 3;
    let mut out: Vec<String> = list
        .iter()
        .take(NAMED)
        .map(|c| feature_name(&c.name, &c.feature, NAME_COLUMNS))
        .collect();
    if list.len() > NAMED {
        out.push(format!("{} more", list.len() - NAMED));
    }
    out
}

fn join_words<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

pub fn text(s: &Sensitivity) -> String {
    let mut out = String::new();
    if !s.scenario.is_empty() {
        out.push_str(&format!("{}\n", s.scenario));
    }
    out.push_str(&format!(
        "sensitivity of the plan's NPV ({} features planned); mode {}\n\n",
        s.planned_features,
        s.mode.name()
    ));
    tornado(s, &mut out);
    correlations(s, &mut out);
    if let Some(d) = &s.capacity_drop {
        capacity_drop(d, &s.currency, &mut out);
    }
    out
}

pub fn json(s: &Sensitivity) -> String {
    super::format::json_text(s)
}

/// One row per tornado entry, in the tornado's order, with the input's rank correlation.
pub fn csv(s: &Sensitivity) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "input",
        "label",
        "kind",
        "probability",
        "value_p10",
        "value_median",
        "value_p90",
        "npv_p10",
        "npv_p90",
        "swing",
        "base_npv",
        "basis_p10",
        "basis_p90",
        "held_npv_p10",
        "held_npv_p90",
        "affects_plan",
        "rank_correlation",
    ]);
    let num = |x: f64| {
        if x.is_finite() {
            format!("{x:.4}")
        } else {
            String::new()
        }
    };
    let basis = |b: Basis| match b {
        Basis::Held => "held",
        Basis::Reoptimized => "reoptimized",
        Basis::NoFeasiblePlan => "no_feasible_plan",
    };
    for b in &s.bars {
        let rho = s
            .correlations
            .iter()
            .find(|c| c.input == b.input)
            .map_or_else(String::new, |c| num(c.rho));
        let _ = w.write_record([
            b.input.clone(),
            b.label.clone(),
            match b.kind {
                InputKind::Input => "input".into(),
                InputKind::Risk => "risk".into(),
            },
            b.probability.map_or_else(String::new, num),
            num(b.low_value),
            num(b.median_value),
            num(b.high_value),
            num(b.low_npv),
            num(b.high_npv),
            num(b.swing),
            num(b.base_npv),
            basis(b.low_basis).into(),
            basis(b.high_basis).into(),
            num(b.held_low_npv),
            num(b.held_high_npv),
            b.affects_plan.to_string(),
            rho,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_in_three_digits() {
        assert_eq!(value(12.345), "12.3");
        assert_eq!(value(0.015), "0.015");
        assert_eq!(value(3464.1), "3,464");
        assert_eq!(value(52_000.0), "52k");
        assert_eq!(value(0.85), "0.85");
        assert_eq!(value(0.0), "0");
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }
}
