//! `roadmap report`: one self-contained HTML file an executive can open offline and print.
//!
//! Everything is inline: the style sheet, the charts (as SVG, so they stay sharp in print),
//! no scripts, no fonts or images fetched from anywhere. The same headline figures go to
//! summary.json.

use super::format::{count, money, percent, probability, thousands, weeks};
use super::optimize::OutOfSample;
use crate::analysis::recommend::{Confirmation, Held, Mark, Recommendation};
use crate::analysis::sensitivity::{Basis, CapacityDrop, TornadoEntry};
use crate::analysis::strategies::Tournament;
use crate::model::{Model, Plan};
use crate::optimize::{Mode, Outcome, PlanDescription, PlannedDeal, PlannedFeature};
use crate::simulate::SimResult;
use serde::Serialize;

/// The plan a report shows and how it was made: the recommended plan (the default) or one
/// mode's MILP plan.
pub struct ShownPlan<'a> {
    pub plan: &'a Plan,
    pub features: &'a [PlannedFeature],
    pub deals: &'a [PlannedDeal],
    /// How it was made, in words ("recommended: ...", or the MILP mode).
    pub method: String,
    /// "recommended", "optimal" or "time limit".
    pub status: String,
    /// The MILP's relative gap; None for the recommended plan.
    pub gap: Option<f64>,
    /// The seed the optimizer or the search sampled its own futures on.
    pub planner_seed: u64,
    /// Commitment or stretch goal per feature (recommended plans).
    pub marks: Option<&'a [Option<Mark>]>,
    /// Mandatory features and hard deadlines that hold in fewer than the commit confidence's
    /// share of the report's futures, weakest first.
    pub at_risk: &'a [Held],
    pub commit_confidence: f64,
}

impl<'a> ShownPlan<'a> {
    /// One mode's MILP plan.
    pub fn optimized(outcome: &'a Outcome, at_risk: &'a [Held], commit_confidence: f64) -> Self {
        ShownPlan {
            plan: &outcome.plan,
            features: &outcome.features,
            deals: &outcome.deals,
            method: format!(
                "a mixed-integer program solved by HiGHS, {}",
                mode_words(&outcome.mode)
            ),
            status: match outcome.status {
                crate::optimize::Status::Optimal => "optimal".into(),
                crate::optimize::Status::TimeLimit => "time limit".into(),
            },
            gap: Some(outcome.gap),
            planner_seed: outcome.seed,
            marks: None,
            at_risk,
            commit_confidence,
        }
    }

    /// The recommended plan, as `roadmap report` found it and confirmed it on its own futures.
    pub fn recommended(
        recommendation: &'a Recommendation,
        description: &'a PlanDescription,
        confirmation: &'a Confirmation,
        at_risk: &'a [Held],
        commit_confidence: f64,
        seed: u64,
    ) -> Self {
        ShownPlan {
            plan: &recommendation.plan,
            features: &description.features,
            deals: &description.deals,
            method: format!(
                "recommended plan (from {}), chosen among {} candidates on futures neither the optimizer nor the search saw (commit confidence {})",
                recommendation.origin,
                recommendation.candidates.len(),
                percent(commit_confidence)
            ),
            status: "recommended".into(),
            gap: None,
            planner_seed: seed.wrapping_add(2),
            marks: Some(&confirmation.marks),
            at_risk,
            commit_confidence,
        }
    }

    fn mark(&self, f: usize) -> Option<Mark> {
        self.marks.and_then(|m| m.get(f).copied().flatten())
    }
}

/// A chart as the report shows it.
pub struct Figure {
    pub stem: String,
    pub title: String,
    /// One or two sentences: how to read it.
    pub caption: String,
    pub svg: String,
}

/// The input with the largest effect on NPV, from the tornado.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Driver {
    pub input: String,
    pub label: String,
    /// NPV with this input at its P10 (P90) and every other input at its median: one
    /// evaluation of that world, not a simulated mean.
    pub npv_at_p10: f64,
    pub npv_at_p90: f64,
    pub swing: f64,
    /// Whether the optimizer re-planned at each end (else the plan is held).
    pub replanned: bool,
}

impl Driver {
    /// The tornado's widest bar.
    pub fn from_entry(b: &TornadoEntry) -> Self {
        Driver {
            input: b.input.clone(),
            label: b.label.clone(),
            npv_at_p10: b.low_npv,
            npv_at_p90: b.high_npv,
            swing: b.swing,
            replanned: b.low_basis == Basis::Reoptimized || b.high_basis == Basis::Reoptimized,
        }
    }
}

/// What the plan gives up when every team loses a fifth of its capacity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CapacityCut {
    pub capacity_factor: f64,
    /// Whether any plan fits the reduced capacity (mandatory work and hard deadlines).
    pub feasible: bool,
    /// Features the re-optimized plan drops (id, name).
    pub dropped: Vec<(String, String)>,
    /// Expected NPV the plan loses, as the optimizer counts it.
    pub npv_lost: f64,
    /// Mean NPV lost by simulation on the same futures: re-planned for the lower capacity
    /// (null when no plan fits it), and with this plan kept as it is.
    pub simulated_npv_lost: Option<f64>,
    pub simulated_npv_lost_held: f64,
}

impl CapacityCut {
    pub fn from_drop(c: &CapacityDrop) -> Self {
        CapacityCut {
            capacity_factor: c.factor,
            feasible: c.feasible,
            dropped: c
                .dropped
                .iter()
                .map(|d| (d.feature.clone(), d.name.clone()))
                .collect(),
            npv_lost: c.objective_lost().unwrap_or(0.0),
            simulated_npv_lost: c.npv_lost(),
            simulated_npv_lost_held: c.npv_mean_before - c.npv_mean_held,
        }
    }
}

/// A prioritisation rule against the plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleComparison {
    /// The rule with the best mean NPV, random orders aside (no one can adopt them).
    pub best_rule: String,
    pub best_rule_npv: f64,
    pub plan_npv: f64,
    /// Paired 95% interval of plan minus rule.
    pub advantage_low: f64,
    pub advantage_high: f64,
    /// "plan", "rule" or "tie": which is ahead beyond the interval, or neither.
    pub ahead: String,
    /// The share of futures in which every mandatory feature and hard deadline holds, under
    /// the rule's order and under the plan.
    pub rule_commitments_hold: Option<f64>,
    pub plan_commitments_hold: Option<f64>,
}

impl RuleComparison {
    pub fn new(
        best_rule: String,
        best_rule_npv: f64,
        plan_npv: f64,
        advantage_low: f64,
        advantage_high: f64,
    ) -> Self {
        let ahead = if advantage_low > 0.0 {
            "plan"
        } else if advantage_high < 0.0 {
            "rule"
        } else {
            "tie"
        };
        RuleComparison {
            best_rule,
            best_rule_npv,
            plan_npv,
            advantage_low,
            advantage_high,
            ahead: ahead.into(),
            rule_commitments_hold: None,
            plan_commitments_hold: None,
        }
    }
}

/// The plan against the best prioritisation rule a product lead could adopt (not an
/// optimizer, not a random order), paired trial by trial on the same futures.
pub fn versus_best_rule(
    t: &Tournament,
    plan_strategy: crate::analysis::strategies::Strategy,
) -> Option<RuleComparison> {
    use crate::analysis::strategies::{paired, Strategy};
    use crate::strategy::Rule;
    let ran = |i: &usize| {
        t.results[*i].error.is_none() && t.trial_npv.get(*i).is_some_and(Option::is_some)
    };
    let plan = (0..t.results.len())
        .filter(ran)
        .find(|&i| t.results[i].strategy == plan_strategy)?;
    let rule = (0..t.results.len())
        .filter(ran)
        .filter(|&i| matches!(t.results[i].strategy, Strategy::Rule(r) if r != Rule::Random))
        .max_by(|&a, &b| t.results[a].npv_mean.total_cmp(&t.results[b].npv_mean))?;
    let d = paired(t.trial_npv[plan].as_ref()?, t.trial_npv[rule].as_ref()?);
    let mut comparison = RuleComparison::new(
        t.results[rule].name.clone(),
        t.results[rule].npv_mean,
        t.results[plan].npv_mean,
        d.low,
        d.high,
    );
    comparison.rule_commitments_hold = t.results[rule].commitments_hold;
    comparison.plan_commitments_hold = t.results[plan].commitments_hold;
    Some(comparison)
}

/// The figures a reader takes away, for summary.json and the page's first paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub scenario: String,
    pub currency: String,
    pub periods: Vec<String>,
    pub features_planned: usize,
    pub features_total: usize,
    /// How the plan was made.
    pub optimizer: String,
    /// "recommended", "optimal" or "time limit".
    pub optimizer_status: String,
    /// The MILP's gap; null for the recommended plan, which the simulator chose.
    pub optimizer_gap: Option<f64>,
    /// Planned features that ship in their planned period in at least the commit
    /// confidence's share of futures, and the rest (recommended plans; null otherwise).
    pub commitments: Option<usize>,
    pub stretch_goals: Option<usize>,
    pub commit_confidence: f64,
    /// "mandatory EU data residency (hard 2027Q3) is met in 29% of futures", weakest first.
    pub at_risk: Vec<String>,
    /// The simulated figures, as `roadmap optimize` reports them out of sample.
    #[serde(flatten)]
    pub simulated: OutOfSample,
    pub spend_mean: f64,
    pub budget: Option<f64>,
    pub p_over_budget: Option<f64>,
    pub biggest_driver: Option<Driver>,
    pub capacity_cut: Option<CapacityCut>,
    pub versus_rules: Option<RuleComparison>,
    /// The executive summary, as the page words it.
    pub paragraph: String,
}

pub struct ReportPage<'a> {
    pub model: &'a Model,
    pub scenario_file: &'a str,
    pub shown: &'a ShownPlan<'a>,
    pub sim: &'a SimResult,
    pub tournament: Option<&'a Tournament>,
    pub summary: &'a Summary,
    pub figures: &'a [Figure],
    /// Extra tables (title, pre-rendered HTML table) such as the sensitivity ranking.
    pub tables: &'a [(String, String)],
}

fn mode_words(mode: &Mode) -> String {
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
fn rule_name(name: &str) -> String {
    match name {
        "rice" | "ice" | "wsjf" | "cd3" => name.to_uppercase(),
        "moscow" => "MoSCoW".into(),
        "file-order" => "the backlog's own order".into(),
        other => other.replace('-', " "),
    }
}

/// "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A feature's name in a sentence is cut later than in a table: prose wraps.
const PROSE_NAME_COLUMNS: usize = 60;

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
            .map(|(id, name)| super::format::feature_name(name, id, PROSE_NAME_COLUMNS))
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
        .map(|h| super::recommend::at_risk_sentence(model, h))
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

/// Text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG made to scale with the page: fixed width and height become a view box, so the
/// chart fills the column on screen and on paper. Any XML prologue is dropped (it is not
/// allowed inside HTML).
fn scalable_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let svg = &svg[start..];
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let open = &svg[..open_end];
    let attr = |name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let at = open.find(&key)? + key.len();
        let len = open[at..].find('"')?;
        Some(open[at..at + len].to_string())
    };
    let (Some(w), Some(h)) = (attr("width"), attr("height")) else {
        return svg.to_string();
    };
    let mut head = open
        .replace(&format!(" width=\"{w}\""), "")
        .replace(&format!(" height=\"{h}\""), "");
    if attr("viewBox").is_none() {
        head.push_str(&format!(" viewBox=\"0 0 {w} {h}\""));
    }
    head.push_str(" preserveAspectRatio=\"xMidYMid meet\" role=\"img\"");
    format!("{head}{}", &svg[open_end..])
}

/// A simple table: header cells, then rows; `numeric[i]` right-aligns column i.
pub fn table(headers: &[&str], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!("<th{class}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn plan_table(page: &ReportPage) -> String {
    let model = page.model;
    let cur = &model.currency;
    let mut lines: Vec<&crate::optimize::PlannedFeature> = page
        .shown
        .features
        .iter()
        .filter(|f| f.period.is_some())
        .collect();
    let marked = page.shown.marks.is_some();
    lines.sort_by_key(|f| (f.period, f.feature));
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|f| {
            let feature = &model.features[f.feature];
            let sim = page.sim.features.iter().find(|o| o.id == feature.id);
            let teams = f
                .team_weeks
                .iter()
                .map(|&(k, w)| format!("{} {}", model.teams[k].id, weeks(w)))
                .collect::<Vec<_>>()
                .join(", ");
            let deadline = feature
                .deadline
                .map(|d| {
                    let kind = match d.kind {
                        crate::model::DeadlineKind::Hard => "hard",
                        crate::model::DeadlineKind::Soft { .. } => "soft",
                    };
                    format!("{} ({kind})", model.time.labels[d.period])
                })
                .unwrap_or_default();
            let mut row = vec![
                f.period
                    .map(|p| model.time.labels[p].clone())
                    .unwrap_or_default(),
                feature.name.clone(),
            ];
            if marked {
                row.push(match page.shown.mark(f.feature) {
                    Some(Mark::Commit) => "commit".into(),
                    Some(Mark::Stretch) => "stretch".into(),
                    None => String::new(),
                });
            }
            row.extend([
                teams,
                sim.and_then(|s| s.p_on_plan)
                    .map(probability)
                    .unwrap_or_default(),
                deadline,
                sim.and_then(|s| s.p_by_deadline)
                    .map(probability)
                    .unwrap_or_default(),
                sim.and_then(|s| s.p90_period.clone())
                    .unwrap_or_else(|| "after the plan".into()),
                money(f.net_value, cur),
            ]);
            row
        })
        .collect();
    let mut headers = vec!["period", "feature"];
    let mut numeric = vec![false, false];
    if marked {
        headers.push("commitment");
        numeric.push(false);
    }
    // Two promises, two columns: shipping in the planned period, and by the deadline.
    headers.extend([
        "teams (person-weeks)",
        "ships in planned period",
        "deadline",
        "ships by deadline",
        "P90 delivery",
        "net value",
    ]);
    numeric.extend([false, true, false, true, false, true]);
    table(&headers, &numeric, &rows)
}

fn left_out_table(page: &ReportPage) -> String {
    let model = page.model;
    let rows: Vec<Vec<String>> = page
        .shown
        .features
        .iter()
        .filter(|f| f.period.is_none())
        .map(|f| {
            vec![
                model.features[f.feature].name.clone(),
                f.left_out
                    .as_ref()
                    .map(|l| super::optimize::reason(model, l))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "<p>Every feature is in the plan.</p>\n".into();
    }
    table(&["feature", "why it is left out"], &[false, false], &rows)
}

fn strategies_table(t: &Tournament) -> String {
    let cur = &t.currency;
    let mut results: Vec<_> = t.results.iter().filter(|r| r.error.is_none()).collect();
    results.sort_by(|a, b| b.npv_mean.total_cmp(&a.npv_mean));
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                money(r.npv_mean, cur),
                money(r.npv_p10, cur),
                percent(r.share_of_best),
                r.p_beats_optimal.map(probability).unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "strategy",
            "mean NPV",
            "P10",
            "of best",
            "beats the optimal plan",
        ],
        &[false, true, true, true, true],
        &rows,
    )
}

/// The tornado's top inputs and the strongest rank correlations, as tables.
pub fn sensitivity_tables(s: &crate::analysis::sensitivity::Sensitivity, rows: usize) -> String {
    let cur = &s.currency;
    let num = super::sensitivity::value;
    let tornado: Vec<Vec<String>> = s
        .bars
        .iter()
        .take(rows)
        .map(|b| {
            vec![
                b.label.clone(),
                if b.kind == crate::analysis::sensitivity::InputKind::Risk {
                    let word = |v: f64| if v > 0.5 { "happens" } else { "no" };
                    format!(
                        "{} / {} / {}",
                        word(b.low_value),
                        word(b.median_value),
                        word(b.high_value)
                    )
                } else {
                    format!(
                        "{} / {} / {}",
                        num(b.low_value),
                        num(b.median_value),
                        num(b.high_value)
                    )
                },
                money(b.low_npv, cur),
                money(b.high_npv, cur),
                money(b.swing, cur),
            ]
        })
        .collect();
    let mut out = format!(
        "<p>NPV of the plan with every input at its median: {}. Each row moves one input to its P10 and P90 with the others at their medians{}.</p>\n",
        money(s.base_npv, cur),
        match s.mode {
            crate::analysis::sensitivity::Mode::HoldPlan => ", the plan held fixed",
            crate::analysis::sensitivity::Mode::Reoptimize => ", and the plan re-optimized at each point for the top inputs",
        }
    );
    out.push_str(&table(
        &[
            "input",
            "P10 / median / P90",
            "NPV at P10",
            "NPV at P90",
            "swing",
        ],
        &[false, true, true, true, true],
        &tornado,
    ));
    let correlations: Vec<Vec<String>> = s
        .correlations
        .iter()
        .take(rows)
        .map(|c| vec![c.label.clone(), format!("{:+.2}", c.rho)])
        .collect();
    if !correlations.is_empty() {
        out.push_str(&format!(
            "<p>Rank correlation of each input with NPV over {} simulated futures (|ρ| under {:.2} is noise):</p>\n",
            thousands(s.trials as f64),
            s.noise_level
        ));
        out.push_str(&table(
            &["input", "rank correlation"],
            &[false, true],
            &correlations,
        ));
    }
    out
}

fn assumptions(page: &ReportPage) -> Vec<String> {
    let model = page.model;
    let cur = &model.currency;
    let time = &model.time;
    let mut out = vec![
        format!(
            "Scenario file {}; {} periods of {} weeks from {}; value counted to month {} after the start, discounted at {:.1}% a year.",
            page.scenario_file,
            time.periods,
            time.period_weeks,
            time.start,
            time.horizon_months,
            time.discount_rate * 100.0
        ),
        format!(
            "Teams: {}.",
            model
                .teams
                .iter()
                .map(|t| format!(
                    "{} ({} person-weeks over the plan, {} a week)",
                    t.name,
                    thousands(t.capacity_weeks.iter().sum()),
                    money(t.cost_per_week, cur)
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        format!(
            "{} uncertain inputs (efforts, capacity, demand, prices, costs, lead times){}; {} features with risk events.",
            model.uncertain_input_count(),
            if model.correlations.is_empty() {
                String::new()
            } else {
                format!(", {} correlations between them", model.correlations.len())
            },
            model.features.iter().filter(|f| !f.risks.is_empty()).count()
        ),
        match page.shown.gap {
            Some(gap) => format!(
                "The plan comes from {}; status {}, gap {:.3}%. It is then simulated on {} futures (seed {}) that the optimizer did not see (it planned on seed {}).",
                page.shown.method,
                page.summary.optimizer_status,
                gap * 100.0,
                thousands(page.sim.trials as f64),
                page.sim.seed,
                page.shown.planner_seed
            ),
            None => format!(
                "The plan is the {}. Every figure here is from {} futures (seed {}) that no step of the search saw.",
                page.shown.method,
                thousands(page.sim.trials as f64),
                page.sim.seed,
            ),
        },
        "In each simulated future, every team works through its planned features in order, period by period, within its sampled capacity; a feature ships at the end of the period its last work, prerequisites and vendor lead time allow; value ramps up from then to the horizon.".into(),
    ];
    if let Some(b) = model.budget {
        out.push(format!(
            "Budget {} (team time at cost plus one-off and vendor costs); expected spend {}.",
            money(b, cur),
            money(page.sim.spend.mean, cur)
        ));
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2733; --muted: #5b6775; --rule: #d9dee4; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
  max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.sub { color: var(--muted); margin: 0 0 1.2rem; }
.summary { font-size: 1.05rem; background: #f3f7fa; border-left: 4px solid var(--accent); padding: .9rem 1.1rem; }
.risk { color: #b00020; background: #fdf0f2; border-left: 4px solid #b00020; padding: .6rem 1.1rem; margin: .8rem 0; }
.risk ul { margin: .3rem 0 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { flex: 1 1 150px; border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .8rem; }
.card .value { font-size: 1.35rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
figure.chart { margin: 1.2rem 0 1.8rem; }
figure.chart svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .35rem; }
ul.assumptions li { margin-bottom: .35rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; }
  figure.chart, .cards, .summary, tr { break-inside: avoid; }
  figure.chart svg { border: none; }
}
"#;

pub fn page(p: &ReportPage) -> String {
    let model = p.model;
    let s = p.summary;
    let cur = &model.currency;
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // No fetches of any kind, even if a chart someday carried a link.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    h.push_str(&format!(
        "<title>{} — roadmap report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&model.name)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", escape(&model.name)));
    h.push_str(&format!(
        "<p class=\"sub\">Roadmap report · {} to {} · {} simulated futures</p>\n",
        escape(s.periods.first().map_or("", String::as_str)),
        escape(s.periods.last().map_or("", String::as_str)),
        thousands(s.simulated.trials as f64)
    ));
    h.push_str("<h2>Executive summary</h2>\n");
    h.push_str(&format!(
        "<p class=\"summary\">{}</p>\n",
        escape(&s.paragraph)
    ));
    if !s.at_risk.is_empty() {
        h.push_str("<div class=\"risk\"><strong>At risk</strong> (below the ");
        h.push_str(&escape(&percent(s.commit_confidence)));
        h.push_str(" the commitments aim for):<ul>\n");
        for line in &s.at_risk {
            h.push_str(&format!("<li>{}</li>\n", escape(line)));
        }
        h.push_str("</ul></div>\n");
    }
    let mut cards = vec![
        (money(s.simulated.npv_mean, cur), "expected NPV".to_string()),
        (
            format!(
                "{} – {}",
                money(s.simulated.npv_p10, cur),
                money(s.simulated.npv_p90, cur)
            ),
            "80% range (P10–P90)".to_string(),
        ),
        (
            probability(s.simulated.p_npv_negative),
            "chance of losing money".to_string(),
        ),
        (
            format!("{} / {}", s.features_planned, s.features_total),
            "features planned".to_string(),
        ),
    ];
    if let Some(p) = s.simulated.on_plan {
        cards.push((percent(p), "ship in their planned period".to_string()));
    }
    if let Some(d) = s.simulated.deadlines_met {
        cards.push((percent(d), "deadlines met (by the deadline)".to_string()));
    }
    if let (Some(c), Some(st)) = (s.commitments, s.stretch_goals) {
        cards.push((
            format!("{c} + {st}"),
            "commitments + stretch goals".to_string(),
        ));
    }
    h.push_str("<div class=\"cards\">\n");
    for (value, label) in cards {
        h.push_str(&format!(
            "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>\n",
            escape(&value),
            escape(&label)
        ));
    }
    h.push_str("</div>\n");

    h.push_str("<h2>The plan</h2>\n");
    h.push_str(&plan_table(p));
    h.push_str("<h3>Left out</h3>\n");
    h.push_str(&left_out_table(p));

    h.push_str("<h2>Charts</h2>\n");
    for f in p.figures {
        h.push_str(&format!(
            "<figure class=\"chart\" id=\"chart-{}\" aria-label=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(&f.stem),
            escape(&f.title),
            scalable_svg(&f.svg),
            escape(&f.caption)
        ));
    }
    if let Some(t) = p.tournament {
        h.push_str("<h2>Prioritisation rules against the plan</h2>\n");
        h.push_str(&format!(
            "<p>Every rule's order executed on the same {} futures as the plan.</p>\n",
            thousands(t.trials as f64)
        ));
        h.push_str(&strategies_table(t));
    }
    for (title, table) in p.tables {
        h.push_str(&format!("<h2>{}</h2>\n{table}", escape(title)));
    }
    h.push_str("<h2>Assumptions</h2>\n<ul class=\"assumptions\">\n");
    for a in assumptions(p) {
        h.push_str(&format!("<li>{}</li>\n", escape(&a)));
    }
    h.push_str("</ul>\n");
    h.push_str(&format!(
        "<footer>Written by roadmap {} from {}. Every figure is reproducible: the same scenario and seed give the same numbers.</footer>\n",
        env!("CARGO_PKG_VERSION"),
        escape(p.scenario_file)
    ));
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svgs_scale_to_the_column() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1200\" height=\"700\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";
        let out = scalable_svg(svg);
        assert!(out.starts_with("<svg xmlns="), "{out}");
        assert!(out.contains("viewBox=\"0 0 1200 700\""), "{out}");
        assert!(!out.contains("width=\"1200\""), "{out}");
        assert!(out.ends_with("<rect/></svg>"), "{out}");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("R&D <fast> \"q\""),
            "R&amp;D &lt;fast&gt; &quot;q&quot;"
        );
    }

    #[test]
    fn lists_read_as_sentences() {
        let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["A"]), "A");
        assert_eq!(s(&["A", "B"]), "A and B");
        assert_eq!(s(&["A", "B", "C"]), "A, B and C");
    }
}
