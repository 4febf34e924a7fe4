//! The report's words: the headline paragraph's sentences and the summary behind them.

use super::*;

pub(super) fn mode_words(mode: &Mode) -> String {
    match *mode {
        Mode::Deterministic => "deterministic (expected efforts, capacity and values)".into(),
        Mode::Robust { confidence } => format!(
            "robust (efforts and lead times at P{:.0})",
            confidence * 100.0
        ),
        Mode::Stochastic {
            scenarios,
            risk_aversion,
            cvar_alpha,
            ..
        } => format!(
            "stochastic ({scenarios} sampled futures, risk aversion {risk_aversion}, CVaR{:.0})",
            cvar_alpha * 100.0
        ),
    }
}

/// A rule as product people write it: RICE, WSJF, value per effort.
pub(super) fn rule_name(name: &str) -> String {
    match name {
        "rice" | "ice" | "wsjf" | "cd3" => name.to_uppercase(),
        "moscow" => "MoSCoW".into(),
        "file-order" => "the backlog's own order".into(),
        other => other.replace('-', " "),
    }
}

/// "A, B and C".
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A feature's name in a sentence is cut later than in a table: prose wraps.
pub(super) const PROSE_NAME_COLUMNS: usize = 60;

/// "falls by €871k", "rises by €12k": a change of NPV in words, so that a loss never reads
/// as a negative gain.
pub fn npv_change(lost: f64, currency: &str) -> String {
    if lost > 0.0 {
        format!("falls by {}", money(lost, currency))
    } else if lost < 0.0 {
        format!("rises by {}", money(-lost, currency))
    } else {
        "does not change".into()
    }
}

/// The tornado's top input. Its two NPVs are single evaluations of a world with every other
/// input at its median, not simulated means, and the sentence says so.
pub fn driver_sentence(d: &Driver, currency: &str) -> String {
    format!(
        " The biggest uncertainty is {}: from one end of its 80% range (P10 to P90) to the other, with every other input at its median{}, the NPV moves between {} and {}.",
        d.label,
        if d.replanned {
            " and the plan re-made for each value"
        } else {
            ""
        },
        money(d.npv_at_p10.min(d.npv_at_p90), currency),
        money(d.npv_at_p10.max(d.npv_at_p90), currency),
    )
}

/// What a capacity drop costs, by simulation on common futures, as every other figure of the
/// paragraph is: the optimizer's own figure for its re-plan stays in summary.json.
pub fn capacity_sentence(c: &CapacityCut, currency: &str) -> String {
    let loss = (1.0 - c.capacity_factor) * 100.0;
    let held = npv_change(c.simulated_npv_lost_held, currency);
    let replanned = match c.simulated_npv_lost.filter(|_| c.feasible) {
        Some(lost) => lost,
        None => {
            return format!(
                " If every team loses {loss:.0}% of its capacity, no plan keeps every mandatory feature and hard deadline: something committed has to move. Executed anyway, this plan's simulated expected NPV {held}."
            );
        }
    };
    let what = if c.dropped.is_empty() {
        "keeps every feature, re-timed,".to_string()
    } else {
        // The first few by name; a long list reads as a table, which the page has.
        const NAMED: usize = 3;
        let mut names: Vec<String> = c
            .dropped
            .iter()
            .take(NAMED)
            .map(|(id, name)| crate::report::format::feature_name(name, id, PROSE_NAME_COLUMNS))
            .collect();
        if c.dropped.len() > NAMED {
            names.push(format!("{} more", c.dropped.len() - NAMED));
        }
        // A comma closes the list, so its "and" is not read as the sentence's.
        format!("drops {},", and_list(&names))
    };
    let mut out = format!(
        " If every team loses {loss:.0}% of its capacity, the optimizer's new plan {what} and the simulated expected NPV {}",
        npv_change(replanned, currency)
    );
    // Re-planning is not always better than carrying on: say so when it is not.
    if c.simulated_npv_lost_held < replanned {
        out.push_str(&format!(
            "; keeping this plan unchanged does better: the NPV {held}."
        ));
    } else {
        out.push_str(&format!(" (keeping this plan unchanged, it {held})."));
    }
    out
}

/// The plan against the best prioritisation rule, on the same futures: which is ahead, by how
/// much, or that the difference is within the simulation's noise.
pub fn rule_sentence(v: &RuleComparison, currency: &str) -> String {
    let m = |x: f64| money(x, currency);
    let rule = rule_name(&v.best_rule);
    let mean = v.plan_npv - v.best_rule_npv;
    if v.advantage_low == 0.0 && v.advantage_high == 0.0 && mean == 0.0 {
        return format!(
            " Prioritising by the best rule, {rule}, gives the same NPV as this plan in every simulated future."
        );
    }
    match v.ahead.as_str() {
        "plan" => format!(
            " On the same simulated futures this plan earns {} more than the best prioritisation rule, {rule} (95% interval {} to {} more).",
            m(mean),
            m(v.advantage_low),
            m(v.advantage_high)
        ),
        "rule" => {
            let mut out = format!(
                " Prioritising by {rule} instead would earn {} more than this plan on the same simulated futures (95% interval {} to {} more)",
                m(-mean),
                m(-v.advantage_high),
                m(-v.advantage_low)
            );
            match (v.rule_commitments_hold, v.plan_commitments_hold) {
                (Some(r), Some(p)) if r + 0.005 < p => out.push_str(&format!(
                    ", but its mandatory features and hard deadlines all hold in only {} of futures, against {} for this plan.",
                    probability(r),
                    probability(p)
                )),
                _ => out.push('.'),
            }
            out
        }
        _ => format!(
            " The best prioritisation rule, {rule}, does as well as this plan within the simulation's noise: this plan earns between {} less and {} more (95% interval).",
            m(-v.advantage_low),
            m(v.advantage_high)
        ),
    }
}

/// The headline figures and the paragraph that says them in plain words.
pub fn summarise(
    model: &Model,
    shown: &ShownPlan,
    sim: &SimResult,
    driver: Option<Driver>,
    capacity_cut: Option<CapacityCut>,
    versus_rules: Option<RuleComparison>,
) -> Summary {
    let cur = &model.currency;
    let planned = shown.plan.planned().count();
    let simulated = OutOfSample::from_parts(sim, shown.deals);
    let (on_plan, deadlines_met) = (simulated.on_plan, simulated.deadlines_met);
    let first = model.time.labels.first().cloned().unwrap_or_default();
    let last = model.time.labels.last().cloned().unwrap_or_default();
    let which = if shown.marks.is_some() {
        "The recommended plan"
    } else {
        "The plan"
    };
    let mut s = format!(
        "{which} ships {} of the {} features between {first} and {last}, for an expected net present value of {} (there is an 80% chance it lands between {} and {}",
        count(planned),
        count(model.features.len()),
        money(sim.npv.mean, cur),
        money(sim.npv.p10, cur),
        money(sim.npv.p90, cur),
    );
    s.push_str(&if sim.npv.p_negative > 0.0 {
        format!(
            ", and a {} chance of losing money).",
            probability(sim.npv.p_negative)
        )
    } else {
        format!(
            ", and it lost money in none of the {} simulated futures).",
            thousands(sim.trials as f64)
        )
    });
    let count = |mark: Mark| {
        shown
            .marks
            .map(|m| m.iter().filter(|x| **x == Some(mark)).count())
    };
    let (commitments, stretch_goals) = (count(Mark::Commit), count(Mark::Stretch));
    if let (Some(c), Some(st)) = (commitments, stretch_goals) {
        s.push_str(&format!(
            " {c} of its features are commitments (each ships in its planned period in at least {} of futures){}.",
            percent(shown.commit_confidence),
            match st {
                0 => String::new(),
                1 => "; 1 is a stretch goal".to_string(),
                n => format!("; {n} are stretch goals"),
            }
        ));
    }
    let at_risk: Vec<String> = shown
        .at_risk
        .iter()
        .map(|h| crate::report::recommend::at_risk_sentence(model, h))
        .collect();
    if !at_risk.is_empty() {
        s.push_str(&format!(
            " At risk: {}, below the {} the commitments aim for.",
            and_list(&at_risk),
            percent(shown.commit_confidence)
        ));
    }
    if let Some(p) = on_plan {
        s.push_str(&format!(
            " On average a planned feature ships in its planned period {} of the time",
            percent(p)
        ));
        match deadlines_met {
            Some(d) => s.push_str(&format!(
                ", and a feature with a deadline meets it {} of the time.",
                percent(d)
            )),
            None => s.push('.'),
        }
    }
    if let Some(d) = &driver {
        s.push_str(&driver_sentence(d, cur));
    }
    if let Some(c) = &capacity_cut {
        s.push_str(&capacity_sentence(c, cur));
    }
    if let Some(v) = &versus_rules {
        s.push_str(&rule_sentence(v, cur));
    }
    Summary {
        scenario: model.name.clone(),
        currency: cur.clone(),
        periods: model.time.labels.clone(),
        features_planned: planned,
        features_total: model.features.len(),
        optimizer: shown.method.clone(),
        optimizer_status: shown.status.clone(),
        optimizer_gap: shown.gap,
        commitments,
        stretch_goals,
        commit_confidence: shown.commit_confidence,
        at_risk,
        simulated,
        spend_mean: sim.spend.mean,
        budget: sim.spend.budget,
        p_over_budget: sim.spend.p_over_budget,
        biggest_driver: driver,
        capacity_cut,
        versus_rules,
        paragraph: s,
    }
}

pub fn summary_json(s: &Summary) -> String {
    let mut out = serde_json::to_string_pretty(s).expect("summary serializes");
    out.push('\n');
    out
}
