//! The estimation history's verdict: a table per grouping, a plain sentence per team, and
//! the same figures as JSON and CSV.

use super::format::{json_text, percent};
use super::table::Table;
use crate::analysis::calibrate::{
    Calibration, FitNote, GroupCalibration, MIN_ITEMS, TARGET, WIDENING_RANGE,
};

/// The groupings in report order: (JSON list, the key each entry is named by, table heading).
fn groupings(c: &Calibration) -> [(&'static str, &'static str, &[GroupCalibration]); 3] {
    [
        ("teams", "team", &c.teams),
        ("estimators", "estimator", &c.estimators),
        ("labels", "label", &c.labels),
    ]
}

fn ratio(r: f64) -> String {
    format!("{r:.2}")
}

fn share(s: Option<f64>) -> String {
    s.map_or_else(|| "-".to_string(), percent)
}

pub fn text(c: &Calibration) -> String {
    let mut out = format!(
        "Estimates against actuals ({}): ratio = actual / likely estimate\n",
        c.source
    );
    for (_, key, groups) in groupings(c) {
        if groups.is_empty() {
            continue;
        }
        out.push('\n');
        let mut table = Table::new(&[
            (key, false),
            ("items", true),
            ("median", true),
            ("P10", true),
            ("P90", true),
            ("in [low, high]", true),
            ("in P10-P90", true),
            ("bias", true),
            ("widening", true),
        ]);
        for g in groups {
            table.row(vec![
                g.name.clone(),
                g.items.to_string(),
                ratio(g.median_ratio),
                ratio(g.p10_ratio),
                ratio(g.p90_ratio),
                share(g.within_range),
                share(g.within_p10_p90),
                g.bias.map_or_else(|| "-".to_string(), ratio),
                g.widening.map_or_else(|| "-".to_string(), ratio),
            ]);
        }
        out.push_str(&table.render());
    }
    out.push('\n');
    for g in &c.teams {
        out.push_str(&sentence(g));
        out.push('\n');
    }
    let tested: Vec<&GroupCalibration> = c.teams.iter().filter(|g| g.backtest.is_some()).collect();
    if !tested.is_empty() {
        out.push_str("\nBacktest, leave one quarter out: held-out actuals inside P10-P90 (80% if calibrated)\n");
        let mut table = Table::new(&[
            ("team", false),
            ("quarters", true),
            ("items", true),
            ("calibrated", true),
            ("raw", true),
        ]);
        for g in tested {
            if let Some(b) = &g.backtest {
                table.row(vec![
                    g.name.clone(),
                    b.quarters.to_string(),
                    b.items.to_string(),
                    percent(b.within_p10_p90_calibrated),
                    percent(b.within_p10_p90_raw),
                ]);
            }
        }
        out.push_str(&table.render());
    }
    out
}

/// "web: the work took 30% longer than the likely estimate (median); ..."
pub fn sentence(g: &GroupCalibration) -> String {
    let m = g.median_ratio;
    let took = if (m - 1.0).abs() < 0.005 {
        "the work took what the likely estimate said (median)".to_string()
    } else if m > 1.0 {
        format!(
            "the work took {} longer than the likely estimate (median)",
            percent(m - 1.0)
        )
    } else {
        format!(
            "the work took {} less than the likely estimate (median)",
            percent(1.0 - m)
        )
    };
    let mut s = format!("{}: {took}", g.name);
    if let Some(p) = g.within_p10_p90 {
        s.push_str(&format!(
            "; {} of actuals fell inside the estimates' P10-P90 (80% if calibrated)",
            percent(p)
        ));
    }
    if let Some(r) = g.within_range {
        s.push_str(&format!(", {} inside [low, high]", percent(r)));
    }
    s.push('.');
    match (g.bias, g.widening) {
        (Some(b), Some(w)) if g.note.is_none() => s.push_str(&format!(
            " Correction: estimates ×{b:.2}, ranges widened ×{w:.2} (in log terms), from {} items.",
            g.items
        )),
        (Some(b), Some(_)) => s.push_str(&format!(
            " Correction: estimates ×{b:.2}; {}.",
            g.note.as_ref().map_or_else(String::new, note)
        )),
        _ => s.push_str(&format!(
            " {}.",
            g.note.as_ref().map_or_else(String::new, note)
        )),
    }
    s
}

/// Why a fit is missing or partial, as a clause.
fn note(note: &FitNote) -> String {
    let (low, high) = WIDENING_RANGE;
    match note {
        FitNote::TooFew { items } => format!(
            "Not fitted: {items} item{}, at least {MIN_ITEMS} needed for a stable correction",
            if *items == 1 { "" } else { "s" }
        ),
        FitNote::SingleOnly => {
            "single estimates only: bias fitted, widening left at 1 (no range to widen)".into()
        }
        FitNote::NoWidening { best, share } => format!(
            "no widening from {low} to {high} brings {} of actuals inside P10-P90; the best, {best:.2}, holds {}",
            percent(TARGET),
            percent(*share)
        ),
    }
}

/// One group as JSON: named by its grouping's key ("team": "web"), then its figures.
#[derive(serde::Serialize)]
struct JsonGroup<'a> {
    #[serde(flatten)]
    name: std::collections::BTreeMap<&'static str, &'a str>,
    #[serde(flatten)]
    figures: &'a GroupCalibration,
}

pub fn json(c: &Calibration) -> String {
    #[derive(serde::Serialize)]
    struct JsonCalibration<'a> {
        source: &'a str,
        teams: Vec<JsonGroup<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        estimators: Vec<JsonGroup<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        labels: Vec<JsonGroup<'a>>,
    }
    let [teams, estimators, labels] = groupings(c).map(|(_, key, groups)| {
        groups
            .iter()
            .map(|g| JsonGroup {
                name: [(key, g.name.as_str())].into_iter().collect(),
                figures: g,
            })
            .collect::<Vec<_>>()
    });
    json_text(&JsonCalibration {
        source: &c.source,
        teams,
        estimators,
        labels,
    })
}

pub fn csv(c: &Calibration) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "group",
        "name",
        "items",
        "median_ratio",
        "p10_ratio",
        "p90_ratio",
        "within_range",
        "within_p10_p90",
        "log_ratio_mean",
        "log_ratio_sd",
        "bias",
        "widening",
    ]);
    let f = |x: f64| format!("{x:.4}");
    let opt = |x: Option<f64>| x.map_or_else(String::new, f);
    for (_, key, groups) in groupings(c) {
        for g in groups {
            let _ = w.write_record([
                key.to_string(),
                g.name.clone(),
                g.items.to_string(),
                f(g.median_ratio),
                f(g.p10_ratio),
                f(g.p90_ratio),
                opt(g.within_range),
                opt(g.within_p10_p90),
                f(g.log_ratio_mean),
                f(g.log_ratio_sd),
                opt(g.bias),
                opt(g.widening),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
