//! `roadmap report`: one self-contained HTML file an executive can open offline and print.
//!
//! Everything is inline: the style sheet, the charts (as SVG, so they stay sharp in print),
//! no scripts, no fonts or images fetched from anywhere. The same headline figures go to
//! summary.json.

mod prose;
mod tables;

pub use prose::{
    capacity_sentence, driver_sentence, npv_change, rule_sentence, summarise, summary_json,
};
pub use tables::{sensitivity_tables, table};

use prose::*;
use tables::*;

use super::format::{count, money, percent, probability, thousands};
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
                crate::report::recommend::origin(recommendation),
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
