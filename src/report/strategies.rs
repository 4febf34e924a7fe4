//! The strategy tournament as a terminal table, JSON and CSV.

use super::format::{money, percent};
use super::table::Table;
use crate::analysis::strategies::Tournament;

fn share(x: Option<f64>) -> String {
    x.map_or_else(String::new, percent)
}

pub fn text(t: &Tournament) -> String {
    let cur = &t.currency;
    let mut out = String::new();
    if !t.scenario.is_empty() {
        out.push_str(&format!("{}\n", t.scenario));
    }
    out.push_str(&format!(
        "strategies: {} strategies on the same {} simulated futures (seed {}); the optimizer plans on seed {}\n\n",
        t.results.len(),
        super::format::thousands(t.trials as f64),
        t.seed,
        t.seed.wrapping_add(1)
    ));
    let mut table = Table::new(&[
        ("strategy", false),
        ("mean NPV", true),
        ("± at 95%", true),
        ("P10", true),
        ("P90", true),
        ("of best", true),
        ("vs best (95% interval)", true),
        ("beats optimal", true),
        ("deadlines met", true),
        ("deals won", true),
        ("time", true),
    ]);
    let mut order: Vec<&crate::analysis::strategies::StrategyResult> = t.results.iter().collect();
    // Best first; strategies that could not run last.
    order.sort_by(|a, b| {
        a.error
            .is_some()
            .cmp(&b.error.is_some())
            .then(b.npv_mean.total_cmp(&a.npv_mean))
    });
    for r in &order {
        if r.error.is_some() {
            table.row(vec![
                r.name.clone(),
                "(no plan)".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("{:.2} s", r.compute_seconds),
            ]);
            continue;
        }
        let versus = r.versus_best.map_or_else(String::new, |p| {
            if t.best.as_deref() == Some(r.name.as_str()) {
                "best".to_string()
            } else if p.mean == 0.0 && p.low == 0.0 && p.high == 0.0 {
                "same in every future".to_string()
            } else {
                format!(
                    "{} ({} to {})",
                    money(p.mean, cur),
                    money(p.low, cur),
                    money(p.high, cur)
                )
            }
        });
        table.row(vec![
            r.name.clone(),
            money(r.npv_mean, cur),
            money(1.96 * r.npv_std_error, cur),
            money(r.npv_p10, cur),
            money(r.npv_p90, cur),
            if r.share_of_best.is_finite() {
                percent(r.share_of_best)
            } else {
                String::new()
            },
            versus,
            share(r.p_beats_optimal),
            share(r.deadlines_met),
            share(r.deals_won),
            format!("{:.2} s", r.compute_seconds),
        ]);
    }
    out.push_str(&table.render());
    out.push_str("  vs best: the mean of the paired differences trial by trial, with its 95% interval; beats optimal: the share of futures in which the strategy's NPV is above the optimal plan's\n");
    out.push_str("  a rule can beat the optimal plan by breaking what the optimizer holds every plan to (theme shares, the budget, mandatory features, hard deadlines), which the simulated teams do not enforce, or where sampled futures differ from the expected ones the plan was made for\n");
    let mut notes = Vec::new();
    for r in &t.results {
        if let Some(e) = &r.error {
            notes.push(format!("{}: no plan: {}", r.name, e));
        }
        for d in &r.derived {
            notes.push(format!("{} derived for {d}", r.name));
        }
    }
    if !notes.is_empty() {
        out.push_str("\nNotes\n");
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}

pub fn json(t: &Tournament) -> String {
    super::format::json_text(t)
}

pub fn csv(t: &Tournament) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "strategy",
        "npv_mean",
        "npv_std_error",
        "npv_p10",
        "npv_p90",
        "share_of_best",
        "versus_best_mean",
        "versus_best_low",
        "versus_best_high",
        "p_beats_optimal",
        "deadlines_met",
        "deals_won",
        "compute_seconds",
        "error",
    ]);
    let num = |x: f64| {
        if x.is_finite() {
            format!("{x:.4}")
        } else {
            String::new()
        }
    };
    let opt = |x: Option<f64>| x.map_or_else(String::new, num);
    for r in &t.results {
        let p = r.versus_best;
        let _ = w.write_record([
            r.name.clone(),
            num(r.npv_mean),
            num(r.npv_std_error),
            num(r.npv_p10),
            num(r.npv_p90),
            num(r.share_of_best),
            opt(p.map(|p| p.mean)),
            opt(p.map(|p| p.low)),
            opt(p.map(|p| p.high)),
            opt(r.p_beats_optimal),
            opt(r.deadlines_met),
            opt(r.deals_won),
            num(r.compute_seconds),
            r.error.clone().unwrap_or_default(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn many_text(t: &crate::analysis::strategies::ManyTournament) -> String {
    let mut out = format!(
        "strategies over {} generated portfolios ({} features on average, from half to one and a half times that; {} teams, {} periods; seed {}), {} simulated futures each\n",
        t.portfolios, t.features, t.teams, t.periods, t.seed, super::format::thousands(t.trials as f64)
    );
    out.push_str("settings vary per portfolio: size, value skew 0-2, uncertainty 0.2-2, dependency density 0-0.6, effort correlation 0-0.6, deals per feature 0-0.15\n\n");
    let mut rows: Vec<&crate::analysis::strategies::Aggregate> = t.strategies.iter().collect();
    rows.sort_by(|a, b| b.mean_share_of_optimal.total_cmp(&a.mean_share_of_optimal));
    let mut table = Table::new(&[
        ("strategy", false),
        ("portfolios", true),
        ("mean % of optimal", true),
        ("worst decile", true),
        ("win rate", true),
        ("best or tied", true),
        ("beaten", true),
        ("keeps commitments", true),
        ("best keeping them", true),
    ]);
    let pct = |x: f64| {
        if x.is_finite() {
            format!("{:.1}%", x * 100.0)
        } else {
            String::new()
        }
    };
    for r in &rows {
        table.row(vec![
            r.name.clone(),
            r.portfolios.to_string(),
            pct(r.mean_share_of_optimal),
            pct(r.worst_decile),
            pct(r.win_rate),
            pct(r.best_or_tied),
            pct(r.beaten),
            pct(r.keeps_commitments),
            pct(r.best_keeping_commitments),
        ]);
    }
    out.push_str(&table.render());
    out.push_str("  % of optimal: a strategy's mean NPV over the optimal plan's, on the same futures; worst decile: the 10th percentile of that over portfolios; win rate: the share of portfolios where it has the highest mean NPV (ties shared); best or tied: the same with a tie counting for each; beaten: the share of portfolios where the best strategy beats it beyond their paired 95% interval; keeps commitments: the share where every mandatory feature and hard deadline holds in at least the commit confidence (0.8 unless the scenario says) of futures; best keeping them: the share where it keeps them and has the highest mean NPV of the strategies that do\n");
    out.push_str("\nWhere it breaks down: the setting (lower or upper half of one knob) under which each strategy does worst against optimal\n");
    let mut table = Table::new(&[
        ("strategy", false),
        ("worst setting", false),
        ("mean % of optimal there", true),
    ]);
    for r in rows.iter().filter(|r| r.name != "optimal") {
        if let Some((setting, share)) = &r.breaks_down {
            table.row(vec![r.name.clone(), setting.clone(), pct(*share)]);
        }
    }
    out.push_str(&table.render());
    out
}

pub fn many_json(t: &crate::analysis::strategies::ManyTournament) -> String {
    super::format::json_text(t)
}

pub fn many_csv(t: &crate::analysis::strategies::ManyTournament) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "strategy",
        "portfolios",
        "mean_share_of_optimal",
        "worst_decile",
        "win_rate",
        "best_or_tied",
        "beaten",
        "keeps_commitments",
        "best_keeping_commitments",
        "breaks_down",
        "share_there",
    ]);
    for r in &t.strategies {
        let (where_, share) = r
            .breaks_down
            .clone()
            .map_or((String::new(), String::new()), |(s, x)| {
                (s, format!("{x:.4}"))
            });
        let _ = w.write_record([
            r.name.clone(),
            r.portfolios.to_string(),
            format!("{:.4}", r.mean_share_of_optimal),
            format!("{:.4}", r.worst_decile),
            format!("{:.4}", r.win_rate),
            format!("{:.4}", r.best_or_tied),
            format!("{:.4}", r.beaten),
            format!("{:.4}", r.keeps_commitments),
            format!("{:.4}", r.best_keeping_commitments),
            where_,
            share,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
