//! The recommended plan for people (text), machines (JSON) and `simulate --plan` (CSV): where
//! it came from, each planned feature as a commitment or a stretch goal, what is at risk, and
//! every candidate beside it on the same futures.

use super::format::{count, money, percent, thousands, NAME_COLUMNS};
use super::optimize::{left_out_text, plan_title, teams_cell};
use super::table::truncate;
use super::table::Table;
use super::work_status;
use crate::analysis::recommend::{Confirmation, Held, Mark, Promise, Recommendation, Step};
use crate::model::{DeadlineKind, Model};
use crate::optimize::PlanDescription;
use serde::Serialize;

pub struct RecommendReport<'a> {
    pub model: &'a Model,
    pub recommendation: &'a Recommendation,
    pub description: &'a PlanDescription,
    pub confirmation: &'a Confirmation,
}

fn mark_name(mark: Mark) -> &'static str {
    match mark {
        Mark::Commit => "commit",
        Mark::Stretch => "stretch",
    }
}

/// The promises at risk as `simulate` and `optimize` list them: each sentence with the commit
/// confidence it falls short of.
pub fn at_risk_lines(model: &Model, held: &[Held], commit_confidence: f64) -> Vec<String> {
    held.iter()
        .map(|h| {
            format!(
                "{} (below the commit confidence, {})",
                at_risk_sentence(model, h),
                percent(commit_confidence)
            )
        })
        .collect()
}

/// "mandatory EU data residency (hard 2027Q3) is met in 29% of futures".
pub fn at_risk_sentence(model: &Model, held: &Held) -> String {
    let feature = &model.features[held.feature];
    let hard = feature.deadline.and_then(|d| match d.kind {
        DeadlineKind::Hard => Some(format!(" (hard {})", model.time.labels[d.period])),
        DeadlineKind::Soft { .. } => d
            .limit
            .map(|l| format!(" (limit {})", model.time.labels[l])),
    });
    match held.promise {
        Promise::Mandatory => format!(
            "mandatory {}{} is delivered within the plan in {} of futures",
            feature.name,
            hard.unwrap_or_default(),
            percent(held.share)
        ),
        Promise::HardDeadline => format!(
            "{}{} is met in {} of futures",
            if feature.mandatory {
                format!("mandatory {}", feature.name)
            } else {
                feature.name.clone()
            },
            hard.unwrap_or_default(),
            percent(held.share)
        ),
    }
}

pub fn text(r: &RecommendReport) -> String {
    let model = r.model;
    let rec = r.recommendation;
    let c = r.confirmation;
    let cur = &model.currency;
    let q = rec.commit_confidence;
    let mut out = String::new();
    // What is at risk comes first: a lead cannot present a plan without knowing it.
    for held in &c.at_risk {
        out.push_str(&format!(
            "at risk: {} (below the commit confidence, {})\n",
            at_risk_sentence(model, held),
            percent(q)
        ));
    }
    if !c.at_risk.is_empty() {
        out.push('\n');
    }
    let title = plan_title("Recommended release plan", model);
    out.push_str(&format!("{title}\nfrom: {}\n", origin(rec)));
    if let Some(text) = super::format::calibrated(model) {
        out.push_str(&format!("estimates {text}\n"));
    }
    let npv = &c.result.npv;
    out.push_str(&format!(
        "expected NPV {} (± {} at 95%, {} simulated futures on seed {} that no step of the search saw); P10 {}, P90 {}\n",
        money(npv.mean, cur),
        money(1.96 * npv.std_error, cur),
        thousands(c.result.trials as f64),
        c.result.seed,
        money(npv.p10, cur),
        money(npv.p90, cur)
    ));
    if let Some(costs) = &c.result.costs {
        out.push_str(&format!(
            "{}\n",
            super::simulate::costs_sentence(costs, cur)
        ));
    }
    if rec.reaches_confidence {
        out.push_str(&format!(
            "commitments: every mandatory feature and hard deadline holds in at least {} of the selection futures\n",
            percent(q)
        ));
    } else {
        let weakest = rec.held.first().map_or(1.0, |h| h.share);
        out.push_str(&format!(
            "commitments: no candidate holds every mandatory feature and hard deadline in {} of futures; the best reachable is {}{}\n",
            percent(q),
            percent(weakest),
            rec.held
                .first()
                .map(|h| format!(", limited by {}", at_risk_sentence(model, h)))
                .unwrap_or_default()
        ));
    }
    out.push_str(&format!(
        "time {:.1} s: candidates {:.1} s, improvement {:.1} s, selection {:.1} s\n",
        rec.seconds.candidates + rec.seconds.improvement + rec.seconds.selection,
        rec.seconds.candidates,
        rec.seconds.improvement,
        rec.seconds.selection
    ));

    plan_text(&mut out, r);
    super::handoffs::text(&mut out, model, &rec.plan);
    super::bought::text(&mut out, model, &rec.plan);
    let left: Vec<&crate::optimize::PlannedFeature> = r
        .description
        .features
        .iter()
        .filter(|l| rec.plan.periods[l.feature].is_none())
        .collect();
    out.push_str(&left_out_text(model, &left));
    if let Some(periods) = &c.result.spend_by_period {
        out.push_str(&format!(
            "\nSpend by period, as the plan books it ({}), in the simulated futures:\n",
            crate::report::format::booking_rule(c.result.costs.is_some())
        ));
        for p in periods {
            out.push_str(&format!(
                "  {}: mean {} of a {} budget, over it in {} of futures\n",
                p.period,
                money(p.mean, cur),
                money(p.budget, cur),
                percent(p.p_over_budget)
            ));
        }
    }

    candidates_text(&mut out, r);
    out
}

/// The planned features by period, each a commitment or a stretch goal, with its chance of
/// shipping in its planned period.
fn plan_text(out: &mut String, r: &RecommendReport) {
    let model = r.model;
    let rec = r.recommendation;
    let c = r.confirmation;
    let labels = &model.time.labels;
    let q = rec.commit_confidence;
    let on_plan = |f: usize| {
        c.result
            .features
            .iter()
            .find(|o| o.id == model.features[f].id)
            .and_then(|o| o.p_on_plan)
    };
    let mut planned: Vec<usize> = (0..model.features.len())
        .filter(|&f| rec.plan.periods[f].is_some())
        .collect();
    planned.sort_by_key(|&f| (rec.plan.periods[f], f));
    let commits = planned
        .iter()
        .filter(|&&f| c.marks[f] == Some(Mark::Commit))
        .count();
    out.push_str(&format!(
        "\nPlan: {} of {} features, {} commitments and {} stretch goals{}\n",
        count(planned.len()),
        count(model.features.len()),
        count(commits),
        count(planned.len() - commits),
        work_status::done_note(model)
    ));
    let columns = work_status::with_status_column(
        model,
        &[
            ("period", false),
            ("start", false),
            ("feature", false),
            ("name", false),
            ("commitment", false),
            ("ships in planned period", true),
            ("teams (person-weeks)", false),
        ],
        "name",
    );
    let mut t = Table::new(&columns);
    for row in work_status::done_rows(model, &columns, NAME_COLUMNS) {
        t.row(row);
    }
    for &f in &planned {
        let feature = &model.features[f];
        let line = r.description.features.iter().find(|l| l.feature == f);
        let mut row = vec![
            labels[rec.plan.periods[f].unwrap()].clone(),
            rec.plan
                .start(model, f)
                .map_or_else(String::new, |s| labels[s].clone()),
            feature.id.clone(),
            truncate(&feature.name, NAME_COLUMNS),
            c.marks[f].map_or("", mark_name).to_string(),
            on_plan(f).map_or_else(String::new, percent),
            line.map_or_else(String::new, |l| teams_cell(model, &l.team_weeks)),
        ];
        work_status::insert_status(model, &columns, &mut row, f);
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "  commit: ships in its planned period in at least {} of futures; stretch: planned, but less sure; start: when its vendor is engaged and its one-off costs are paid\n",
        percent(q)
    ));
    out.push_str(work_status::legend(model));
}

/// The candidates against the recommended plan on the same futures, those left out by a rule,
/// and the moves the search took.
fn candidates_text(out: &mut String, r: &RecommendReport) {
    let rec = r.recommendation;
    let c = r.confirmation;
    let cur = &r.model.currency;
    out.push_str(&format!(
        "\nCandidates on the same {} futures (difference: the candidate less the recommended plan, trial by trial)\n",
        thousands(c.result.trials as f64)
    ));
    let mut t = Table::new(&[
        ("candidate", false),
        ("mean NPV", true),
        ("difference", true),
        ("95% interval", true),
        ("commitments hold", true),
    ]);
    for (line, cand) in c.candidates.iter().zip(&rec.candidates) {
        t.row(vec![
            line.name.clone(),
            money(line.npv_mean, cur),
            money(line.difference.mean, cur),
            format!(
                "{} to {}",
                money(line.difference.low, cur),
                money(line.difference.high, cur)
            ),
            percent(cand.commitments_hold),
        ]);
    }
    out.push_str(&t.render());
    out.push_str("  commitments hold: the share of selection futures in which a candidate's weakest mandatory feature or hard deadline holds\n");
    for e in &rec.excluded {
        out.push_str(&format!(
            "  left out: {}, which breaks a rule on the expected numbers: {}\n",
            e.name,
            super::violation::sentence(&e.reason)
        ));
    }
    if !rec.moves.is_empty() {
        out.push_str(
            "\nMoves the search took, each judged by simulation on common random numbers\n",
        );
        for m in &rec.moves {
            out.push_str(&format!(
                "  {}: {} (± {} at 95%)\n",
                step(&m.step),
                money(m.gain, cur),
                money(1.96 * m.std_error, cur)
            ));
        }
    }
}

#[derive(Serialize)]
struct JsonPlanRow<'a> {
    feature: &'a str,
    name: &'a str,
    /// In progress when the plan starts: only its remaining work is planned.
    #[serde(skip_serializing_if = "crate::model::Status::is_not_started")]
    status: crate::model::Status,
    period: Option<&'a str>,
    start: Option<&'a str>,
    /// A staged feature's hand-offs: the period each stage but the last is done by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    handoffs: Vec<&'a str>,
    commitment: Option<&'static str>,
    p_on_plan: Option<f64>,
}

#[derive(Serialize)]
struct JsonRecommended<'a> {
    origin: String,
    npv: JsonNpv,
    /// What the simulated costs are made of, when a team's cost is fixed or a cost recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    costs: Option<&'a crate::simulate::CostBreakdown>,
    holdout_seed: u64,
    holdout_trials: u64,
    commit_confidence: f64,
    reaches_confidence: bool,
    moves: Vec<JsonMove>,
    seconds: &'a crate::analysis::recommend::Stages,
}

/// Where the recommended plan came from: its candidate, and the moves that improved it.
pub fn origin(rec: &Recommendation) -> String {
    match rec.moves.len() {
        0 => rec.origin.clone(),
        1 => format!("{}, 1 move by simulation", rec.origin),
        n => format!("{}, {n} moves by simulation", rec.origin),
    }
}

/// One move of the local search, as the report lists it.
pub fn step(step: &Step) -> String {
    match step {
        Step::Shift { feature, to } => format!("{feature} to {to}"),
        Step::StartIn { feature, start } => format!("{feature} starts in {start}"),
        Step::Drop { feature } => format!("drop {feature}"),
        Step::Add { feature, period } => format!("add {feature} in {period}"),
        Step::Swap { add, drop } => format!("{add} instead of {drop}"),
    }
}

#[derive(Serialize)]
struct JsonMove {
    text: String,
    gain: f64,
    std_error: f64,
}

#[derive(Serialize)]
struct JsonNpv {
    mean: f64,
    std_error: f64,
}

#[derive(Serialize)]
struct JsonCandidate<'a> {
    name: &'a str,
    npv_mean: f64,
    difference: crate::analysis::recommend::Interval,
    commitments_hold: f64,
}

#[derive(Serialize)]
struct JsonAtRisk<'a> {
    feature: &'a str,
    promise: Promise,
    share: f64,
    text: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    mode: &'static str,
    plan: Vec<JsonPlanRow<'a>>,
    /// Extra capacity the plan buys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bought: Vec<super::bought::JsonBought<'a>>,
    /// Where the plan places the pools' people.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    assigned: Vec<super::bought::JsonAssigned<'a>>,
    /// Features done before the plan starts: in no plan, and in no NPV.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    done: Vec<work_status::JsonDone<'a>>,
    recommended: JsonRecommended<'a>,
    at_risk: Vec<JsonAtRisk<'a>>,
    candidates: Vec<JsonCandidate<'a>>,
    periods: &'a [String],
}

pub fn json(r: &RecommendReport) -> String {
    let model = r.model;
    let rec = r.recommendation;
    let c = r.confirmation;
    let labels = &model.time.labels;
    let report = JsonReport {
        scenario: &model.name,
        mode: "recommended",
        plan: (0..model.features.len())
            .map(|f| {
                let feature = &model.features[f];
                JsonPlanRow {
                    feature: &feature.id,
                    name: &feature.name,
                    status: feature.status,
                    period: rec.plan.periods[f].map(|p| labels[p].as_str()),
                    start: rec.plan.start(model, f).map(|p| labels[p].as_str()),
                    handoffs: super::handoffs::labels(model, &rec.plan, f),
                    commitment: c.marks[f].map(mark_name),
                    p_on_plan: c
                        .result
                        .features
                        .iter()
                        .find(|o| o.id == feature.id)
                        .and_then(|o| o.p_on_plan),
                }
            })
            .collect(),
        bought: super::bought::json(model, &rec.plan.bought),
        assigned: super::bought::json_assigned(model, &rec.plan.assigned),
        done: work_status::json_done(&model.done),
        recommended: JsonRecommended {
            origin: origin(rec),
            npv: JsonNpv {
                mean: c.result.npv.mean,
                std_error: c.result.npv.std_error,
            },
            costs: c.result.costs.as_ref(),
            holdout_seed: c.result.seed,
            holdout_trials: c.result.trials,
            commit_confidence: rec.commit_confidence,
            reaches_confidence: rec.reaches_confidence,
            moves: rec
                .moves
                .iter()
                .map(|m| JsonMove {
                    text: step(&m.step),
                    gain: m.gain,
                    std_error: m.std_error,
                })
                .collect(),
            seconds: &rec.seconds,
        },
        at_risk: c
            .at_risk
            .iter()
            .map(|h| JsonAtRisk {
                feature: &model.features[h.feature].id,
                promise: h.promise,
                share: h.share,
                text: at_risk_sentence(model, h),
            })
            .collect(),
        candidates: c
            .candidates
            .iter()
            .zip(&rec.candidates)
            .map(|(line, cand)| JsonCandidate {
                name: &line.name,
                npv_mean: line.npv_mean,
                difference: line.difference,
                commitments_hold: cand.commitments_hold,
            })
            .collect(),
        periods: labels,
    };
    super::format::json_text(&report)
}

/// The plan file `simulate --plan` reads, with each feature's start and commitment.
pub fn csv(r: &RecommendReport) -> String {
    let model = r.model;
    let rec = r.recommendation;
    let labels = &model.time.labels;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["feature", "period", "start", "commitment", "name"];
    // A plan of work in progress says which rows are; done features are in no plan file.
    let marked = model.has_progress();
    if marked {
        header.push("status");
    }
    let staged = super::handoffs::any(model);
    if staged {
        header.push("handoffs");
    }
    if super::bought::has_people(&rec.plan) {
        header.push("people");
    }
    if !rec.plan.assigned.is_empty() {
        header.push("team");
    }
    let _ = w.write_record(&header);
    let mut rows: Vec<usize> = (0..model.features.len()).collect();
    rows.sort_by_key(|&f| (rec.plan.periods[f].is_none(), rec.plan.periods[f], f));
    for f in rows {
        let feature = &model.features[f];
        let mut record = vec![
            feature.id.as_str(),
            rec.plan.periods[f].map_or("", |p| labels[p].as_str()),
            rec.plan.start(model, f).map_or("", |p| labels[p].as_str()),
            r.confirmation.marks[f].map_or("", mark_name),
            feature.name.as_str(),
        ];
        if marked {
            record.push(feature.status.name());
        }
        let handoffs = super::handoffs::cell(model, &rec.plan, f);
        if staged {
            record.push(&handoffs);
        }
        if super::bought::has_people(&rec.plan) {
            record.push("");
        }
        if !rec.plan.assigned.is_empty() {
            record.push("");
        }
        let _ = w.write_record(&record);
    }
    for row in super::bought::csv_rows(model, &rec.plan, &header) {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
