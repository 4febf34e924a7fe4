//! An optimized plan for people (terminal), machines (JSON, CSV) and `simulate --plan` (the
//! plan file): solver status and honesty first, then the plan, what was left out and why,
//! and the out-of-sample check beside the in-sample objective.

use super::format::{
    count, money, percent, probability, signed_money, thousands, weeks, NAME_COLUMNS,
};
use super::table::truncate;
use super::table::Table;
use super::work_status;
use crate::model::Model;
use crate::optimize::{
    BadOption, LeftOut, Mode, NoStart, Outcome, PlannedFeature, StartPlan, Status,
};
use crate::simulate::SimResult;
use serde::Serialize;

/// The simulator's verdict on the plan, on a seed the optimizer did not see.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutOfSample {
    pub trials: u64,
    pub seed: u64,
    pub npv_mean: f64,
    pub npv_std_error: f64,
    pub npv_p10: f64,
    pub npv_p50: f64,
    pub npv_p90: f64,
    pub p_npv_negative: f64,
    /// Mean over planned features of P(delivered by its planned period).
    pub on_plan: Option<f64>,
    /// Mean over planned features with a deadline of P(delivered by the deadline).
    pub deadlines_met: Option<f64>,
    /// Mean over the deals the plan wins of P(won).
    pub deals_won: Option<f64>,
    /// Mandatory features and hard deadlines that hold in fewer than the commit confidence's
    /// share of the simulated futures, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub at_risk: Vec<String>,
    /// What the simulated costs are made of, when a team's cost is fixed or a cost recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<crate::simulate::CostBreakdown>,
}

impl OutOfSample {
    pub fn from_result(result: &SimResult, outcome: &Outcome) -> Self {
        Self::from_parts(result, &outcome.deals)
    }

    /// The figures of a simulated plan whose planned deals are `deals`.
    pub fn from_parts(result: &SimResult, deals: &[crate::optimize::PlannedDeal]) -> Self {
        let mean =
            |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
        OutOfSample {
            trials: result.trials,
            seed: result.seed,
            npv_mean: result.npv.mean,
            npv_std_error: result.npv.std_error,
            npv_p10: result.npv.p10,
            npv_p50: result.npv.p50,
            npv_p90: result.npv.p90,
            p_npv_negative: result.npv.p_negative,
            on_plan: mean(result.features.iter().filter_map(|f| f.p_on_plan).collect()),
            deadlines_met: mean(
                result
                    .features
                    .iter()
                    .filter(|f| f.planned.is_some())
                    .filter_map(|f| f.p_by_deadline)
                    .collect(),
            ),
            deals_won: mean(
                deals
                    .iter()
                    .filter(|d| d.won_in.is_some())
                    .map(|d| result.deals[d.deal].p_won)
                    .collect(),
            ),
            at_risk: Vec::new(),
            costs: result.costs.clone(),
        }
    }
}

pub struct OptimizeReport<'a> {
    pub model: &'a Model,
    pub outcome: &'a Outcome,
    pub out_of_sample: Option<&'a OutOfSample>,
}

/// An option out of range, in the words of the flag that set it (the optimizer's commands
/// share these flags), so the user sees which flag to change and to what.
impl std::fmt::Display for BadOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadOption::Gap(gap) => write!(f, "--gap {gap} must be in [0, 1)"),
            BadOption::TimeLimit(t) => {
                write!(f, "--time-limit {t} must be a positive number of seconds")
            }
            BadOption::Confidence(c) => write!(
                f,
                "--confidence {c} must be strictly between 0 and 1 (0.8 = P80)"
            ),
            BadOption::NoScenarios => write!(f, "--scenarios must be at least 1"),
            BadOption::RiskAversion(r) => write!(
                f,
                "--risk-aversion {r} must be in [0, 1] (0 = expected NPV only)"
            ),
            BadOption::CvarAlpha(a) => write!(
                f,
                "--cvar-alpha {a} must be strictly between 0 and 1 (0.9 = the worst 10% of scenarios)"
            ),
            BadOption::OvertimePremium(p) => write!(f, "--overtime-premium {p} must be 0 or more"),
        }
    }
}

/// The start plan as the JSON report has always named it.
#[derive(Serialize)]
struct JsonStart {
    name: &'static str,
    objective: Option<f64>,
    features: usize,
    note: Option<String>,
}

fn start_name(plan: StartPlan) -> &'static str {
    match plan {
        StartPlan::ValuePerEffort => "value-per-effort plan",
        StartPlan::DeterministicOptimum => "deterministic optimum",
    }
}

/// Why the search had no start; the one the user chose names the flag that chose it.
pub fn no_start(missing: &NoStart) -> String {
    match missing {
        NoStart::NotAsked => "not asked for (--no-start)".to_string(),
        NoStart::Infeasible(why) => why.clone(),
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::TimeLimit => "time limit (feasible, not proven optimal)",
    }
}

fn mode_line(mode: &Mode) -> String {
    match *mode {
        Mode::Deterministic => "deterministic (expected efforts, capacity and values)".into(),
        Mode::Robust { confidence } => format!(
            "robust (efforts and lead times at P{:.0}, capacity at P{:.0}; money at expectation)",
            confidence * 100.0,
            (1.0 - confidence) * 100.0
        ),
        Mode::Stochastic {
            scenarios,
            risk_aversion,
            cvar_alpha,
            overtime_premium,
        } => format!(
            "stochastic ({scenarios} scenarios; objective (1 - {risk_aversion}) E[NPV] + {risk_aversion} CVaR{:.0}; {})",
            cvar_alpha * 100.0,
            match overtime_premium {
                Some(p) => format!("work beyond capacity done as overtime at +{:.0}%", p * 100.0),
                None => "each future executes the plan as simulate does: work beyond capacity pushes features later".to_string(),
            }
        ),
    }
}

pub fn reason(model: &Model, left_out: &LeftOut) -> String {
    let id = |f: usize| model.features[f].id.as_str();
    match *left_out {
        LeftOut::Timing => "timing: cannot be delivered within the plan (earliest start, lead time, deadline or a requirement)".into(),
        LeftOut::Dependency { requirement } => format!("dependency: needs {}, which is left out", id(requirement)),
        LeftOut::NoAlternative { ref alternatives } => format!(
            "dependency: needs one of {}, which are all left out",
            alternatives.iter().map(|&g| id(g)).collect::<Vec<_>>().join(", ")
        ),
        LeftOut::Alternative { chosen } => format!("alternative: excludes {}, which is planned", id(chosen)),
        LeftOut::Capacity { team } => format!("capacity: no room on {} in any period it could ship", model.teams[team].id),
        LeftOut::TooLarge { team } => format!("capacity: {} cannot finish it (with what it requires) in time, even working on nothing else", model.teams[team].id),
        LeftOut::Budget => "budget: it would take spend over the budget".into(),
        LeftOut::Theme => "theme: it would break a theme's share".into(),
        LeftOut::Value => "value: it earns less than it costs, or less than the work it would displace".into(),
    }
}

/// A plan's title in the text reports: which plan it is, and the scenario's name when it has one.
pub fn plan_title(plan: &str, model: &Model) -> String {
    if model.name.is_empty() {
        plan.to_string()
    } else {
        format!("{plan}: {}", model.name)
    }
}

/// The table of the features a plan leaves out and why, for the text of `optimize` and of the
/// recommended plan; empty when the plan leaves none out.
pub fn left_out_text(model: &Model, left: &[&PlannedFeature]) -> String {
    if left.is_empty() {
        return String::new();
    }
    let mut t = Table::new(&[("feature", false), ("name", false), ("why", false)]);
    for f in left {
        let feature = &model.features[f.feature];
        t.row(vec![
            feature.id.clone(),
            truncate(&feature.name, NAME_COLUMNS),
            f.left_out
                .as_ref()
                .map_or_else(String::new, |l| reason(model, l)),
        ]);
    }
    format!("\nLeft out: {} features\n{}", count(left.len()), t.render())
}

fn reason_code(left_out: &LeftOut) -> &'static str {
    match left_out {
        LeftOut::Timing => "timing",
        LeftOut::Dependency { .. } | LeftOut::NoAlternative { .. } => "dependency",
        LeftOut::Alternative { .. } => "alternative",
        LeftOut::Capacity { .. } | LeftOut::TooLarge { .. } => "capacity",
        LeftOut::Budget => "budget",
        LeftOut::Theme => "theme",
        LeftOut::Value => "value",
    }
}

/// Each team's person-weeks on a planned feature, as the text and HTML reports show them.
pub fn teams_cell(model: &Model, team_weeks: &[(usize, f64)]) -> String {
    team_weeks
        .iter()
        .map(|&(k, w)| format!("{} {}", model.teams[k].id, weeks(w)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn text(r: &OptimizeReport) -> String {
    let model = r.model;
    let o = r.outcome;
    let mut out = String::new();
    if let Some(s) = r.out_of_sample {
        for line in &s.at_risk {
            out.push_str(&format!("at risk: {line}\n"));
        }
        if !s.at_risk.is_empty() {
            out.push('\n');
        }
    }
    let title = plan_title("Optimized release plan", model);
    out.push_str(&format!("{title}\nmode: {}\n", mode_line(&o.mode)));
    if let Some(text) = super::format::calibrated(model) {
        out.push_str(&format!("estimates {text}\n"));
    }
    if let (Some(u), Mode::Robust { confidence }) = (&o.unreachable, o.mode) {
        let why = super::diagnosis::text(&u.diagnosis, model);
        let why = why
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        out.push_str(&format!(
            "not reachable at P{:.0}: {why}\nthe best reachable confidence is P{:.0}; the plan below is made there, with the rest of the work planned around it\n",
            u.asked * 100.0,
            confidence * 100.0
        ));
    }
    out.push('\n');
    solver_text(&mut out, o, &model.currency);
    plan_text(&mut out, model, o);
    let left: Vec<&PlannedFeature> = o.features.iter().filter(|f| f.period.is_none()).collect();
    out.push_str(&left_out_text(model, &left));
    deals_text(&mut out, model, o);
    capacity_text(&mut out, model, o);
    super::handoffs::text(&mut out, model, &o.plan);
    super::bought::text(&mut out, model, &o.plan);
    if let Some(s) = r.out_of_sample {
        out_of_sample_text(&mut out, model, o, s);
    }
    out
}

/// How the solve went: status, bound and gap, time, the model's size, the start it was given,
/// and any problem the plan checker found.
fn solver_text(out: &mut String, o: &Outcome, cur: &str) {
    if o.gap.is_finite() {
        out.push_str(&format!(
            "status {} · objective {} · best bound {} · gap {}\n",
            status_name(o.status),
            money(o.objective, cur),
            money(o.bound, cur),
            gap_text(o.gap)
        ));
    } else {
        // HiGHS stopped before it had any bound: saying one would be inventing it.
        out.push_str(&format!(
            "status {} · objective {} · no bound yet (the time limit came first), so no gap\n",
            status_name(o.status),
            money(o.objective, cur),
        ));
    }
    if o.fixed_team_cost != 0.0 {
        out.push_str(&format!(
            "the objective counts {} (discounted) for the teams whose cost is fixed: every plan pays it, so it ranks no plan above another; the gap is of the rest\n",
            money(o.fixed_team_cost, cur)
        ));
    }
    out.push_str(&format!(
        "time {:.2} s (building the model {:.2} s, handing it to HiGHS {:.2} s, solving {:.2} s)\n",
        o.timing.wall_seconds,
        o.timing.build_seconds,
        o.timing.load_seconds,
        o.timing.solve_seconds
    ));
    let integers = match o.size.integers {
        0 => String::new(),
        n => format!(", {} integer", thousands(n as f64)),
    };
    out.push_str(&format!(
        "model {} variables ({} binary{integers}), {} constraints, {} nonzeros\n",
        thousands(o.size.variables as f64),
        thousands(o.size.binaries as f64),
        thousands(o.size.constraints as f64),
        thousands(o.size.nonzeros as f64)
    ));
    match (o.start.objective, &o.start.missing) {
        (Some(start), _) => {
            let better = if o.objective - start > 1e-6 * o.objective.abs().max(1.0) {
                format!("; the optimum is {} more", money(o.objective - start, cur))
            } else {
                "; it is already optimal".to_string()
            };
            out.push_str(&format!(
                "start {} ({} features): {}{better}\n",
                start_name(o.start.plan),
                o.start.features,
                money(start, cur)
            ));
        }
        (None, Some(missing)) => out.push_str(&format!("start none: {}\n", no_start(missing))),
        (None, None) => {}
    }
    if let Some(p) = &o.polish {
        let first_gap = if p.first_gap.is_finite() {
            format!("a gap of {}", gap_text(p.first_gap))
        } else {
            "no bound yet".to_string()
        };
        out.push_str(&format!(
            "polish: the first search stopped at {} of the time limit with {first_gap}; {} neighbourhoods (runs of periods, then each team's features) searched again in {:.1} s, {} of them better, {} in all{}\n",
            percent(crate::optimize::polish::FIRST_SHARE),
            p.searched,
            p.seconds,
            p.improved,
            signed_money(p.to - p.from, cur),
            if p.resumed {
                "; then HiGHS searched the whole model again from the polished plan"
            } else {
                ""
            }
        ));
    }
    if !o.violations.is_empty() {
        out.push_str("\nThe plan checker found problems (please report this):\n");
        for v in &o.violations {
            out.push_str(&format!("  {}\n", super::violation::sentence(&v.breach)));
        }
    }
}

/// The planned features by period, with their teams' weeks and net value, and the features
/// done before the plan starts.
fn plan_text(out: &mut String, model: &Model, o: &Outcome) {
    let cur = &model.currency;
    let mut planned: Vec<&PlannedFeature> =
        o.features.iter().filter(|f| f.period.is_some()).collect();
    planned.sort_by_key(|f| (f.period, f.feature));
    out.push_str(&format!(
        "\nPlan: {} of {} features{}\n",
        count(planned.len()),
        count(o.features.len()),
        work_status::done_note(model)
    ));
    let columns = work_status::with_status_column(
        model,
        &[
            ("period", false),
            ("feature", false),
            ("name", false),
            ("teams (person-weeks)", false),
            ("net value", true),
        ],
        "name",
    );
    let mut t = Table::new(&columns);
    for row in work_status::done_rows(model, &columns, NAME_COLUMNS) {
        t.row(row);
    }
    for f in &planned {
        let feature = &model.features[f.feature];
        let mut row = vec![
            model.time.labels[f.period.unwrap()].clone(),
            feature.id.clone(),
            truncate(&feature.name, NAME_COLUMNS),
            teams_cell(model, &f.team_weeks),
            money(f.net_value, cur),
        ];
        work_status::insert_status(model, &columns, &mut row, f.feature);
        t.row(row);
    }
    out.push_str(&t.render());
    let costs = if model.features.iter().any(|f| f.recurring_cost.is_some()) {
        "one-off and recurring costs"
    } else {
        "one-off costs"
    };
    out.push_str(&format!("  net value: expected discounted value from release to the horizon, less {costs} and penalties (team time and deals apart)\n"));
    out.push_str(work_status::legend(model));
}

/// Each deal, when the plan wins it and for how much.
fn deals_text(out: &mut String, model: &Model, o: &Outcome) {
    if o.deals.is_empty() {
        return;
    }
    out.push_str("\nDeals\n");
    let mut t = Table::new(&[
        ("deal", false),
        ("customer", false),
        ("won in", false),
        ("value", true),
    ]);
    for d in &o.deals {
        let deal = &model.deals[d.deal];
        t.row(vec![
            deal.id.clone(),
            deal.customer.clone(),
            d.won_in
                .map_or_else(|| "not won".to_string(), |p| model.time.labels[p].clone()),
            if d.won_in.is_some() {
                money(d.value, &model.currency)
            } else {
                String::new()
            },
        ]);
    }
    out.push_str(&t.render());
}

/// Each team's planned work against its capacity, period by period.
fn capacity_text(out: &mut String, model: &Model, o: &Outcome) {
    let labels = &model.time.labels;
    out.push_str("\nCapacity: planned person-weeks / capacity\n");
    let mut columns: Vec<(&str, bool)> = vec![("team", false)];
    columns.extend(labels.iter().map(|l| (l.as_str(), true)));
    let mut t = Table::new(&columns);
    for (k, team) in model.teams.iter().enumerate() {
        let mut row = vec![team.id.clone()];
        for p in 0..labels.len() {
            row.push(format!(
                "{} / {}",
                weeks(o.work[k][p]),
                weeks(o.capacity[k][p])
            ));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    if matches!(o.mode, Mode::Stochastic { .. }) {
        out.push_str("  work shown in the delivery period; in scenarios that need more, the recourse pays for it\n");
    }
    if let Some(budgets) = &model.budget_per_period {
        period_spend_text(out, model, &o.plan, budgets);
    }
}

/// Expected spend the plan books in each period against that period's budget.
fn period_spend_text(out: &mut String, model: &Model, plan: &crate::model::Plan, budgets: &[f64]) {
    let labels = &model.time.labels;
    let cur = &model.currency;
    let itemised = crate::model::expect::has_fixed_cost(model)
        || model.features.iter().any(|f| f.recurring_cost.is_some());
    out.push_str(&format!(
        "\nSpend by period: expected spend booked / budget ({})\n",
        crate::report::format::booking_rule(itemised)
    ));
    let mut columns: Vec<(&str, bool)> = vec![("", false)];
    columns.extend(labels.iter().map(|l| (l.as_str(), true)));
    let mut t = Table::new(&columns);
    let booked = crate::plan_check::period_spend(model, plan);
    let mut row = vec!["spend".to_string()];
    row.extend(
        booked
            .iter()
            .zip(budgets)
            .map(|(s, b)| format!("{} / {}", money(*s, cur), money(*b, cur))),
    );
    t.row(row);
    out.push_str(&t.render());
}

/// The optimizer's own figures beside the simulator's for the same plan on another seed.
fn out_of_sample_text(out: &mut String, model: &Model, o: &Outcome, s: &OutOfSample) {
    let cur = &model.currency;
    out.push_str(&format!(
        "\nOut-of-sample check: {} simulated futures on seed {} (the optimizer used seed {})\n",
        thousands(s.trials as f64),
        s.seed,
        o.seed
    ));
    let mut t = Table::new(&[("", false), ("in-sample", true), ("simulated", true)]);
    t.row(vec![
        "expected NPV".into(),
        money(o.objective, cur),
        format!(
            // 1.96 standard errors: the half-width of the mean's 95% interval.
            "{} ± {} at 95%",
            money(s.npv_mean, cur),
            money(1.96 * s.npv_std_error, cur)
        ),
    ]);
    t.row(vec![
        "P10 / P50 / P90 NPV".into(),
        String::new(),
        format!(
            "{} / {} / {}",
            money(s.npv_p10, cur),
            money(s.npv_p50, cur),
            money(s.npv_p90, cur)
        ),
    ]);
    t.row(vec![
        "P(NPV < 0)".into(),
        String::new(),
        probability(s.p_npv_negative),
    ]);
    if let Some(p) = s.on_plan {
        t.row(vec![
            "features in their planned period".into(),
            "100%".into(),
            percent(p),
        ]);
    }
    if let Some(p) = s.deadlines_met {
        let due: Vec<bool> = o
            .features
            .iter()
            .filter_map(|f| Some(f.period? <= model.features[f.feature].deadline?.period))
            .collect();
        let planned_met = due.iter().filter(|&&met| met).count() as f64 / due.len().max(1) as f64;
        t.row(vec![
            "deadlines met (by the deadline)".into(),
            percent(planned_met),
            percent(p),
        ]);
    }
    if let Some(p) = s.deals_won {
        t.row(vec!["planned deals won".into(), "100%".into(), percent(p)]);
    }
    out.push_str(&t.render());
    if let Some(costs) = &s.costs {
        out.push_str(&format!(
            "  simulated {}\n",
            super::simulate::costs_sentence(costs, cur)
        ));
    }
    if !matches!(o.mode, Mode::Stochastic { risk_aversion, .. } if risk_aversion > 0.0) {
        out.push_str("  in-sample: the objective the optimizer maximised; simulated: the same plan executed by the teams in sampled futures\n");
    } else {
        out.push_str("  in-sample: the risk-weighted objective (not an expected NPV); simulated: the plan executed in sampled futures\n");
    }
}

fn gap_text(gap: f64) -> String {
    if gap == 0.0 {
        "0%".to_string()
    } else if gap < 0.0001 {
        format!("{:.4}%", gap * 100.0)
    } else {
        format!("{:.2}%", gap * 100.0)
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
    /// The period it starts in: its vendor is engaged and its one-off costs paid then.
    start: Option<&'a str>,
    /// A staged feature's hand-offs: the period each stage but the last is done by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    handoffs: Vec<&'a str>,
    teams: std::collections::BTreeMap<&'a str, f64>,
    net_value: f64,
    reason: Option<&'static str>,
    why: Option<String>,
}

#[derive(Serialize)]
struct JsonDeal<'a> {
    deal: &'a str,
    customer: &'a str,
    won_in: Option<&'a str>,
    value: f64,
}

#[derive(Serialize)]
struct JsonPeriodSpend<'a> {
    period: &'a str,
    spend: f64,
    budget: f64,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    status: Status,
    objective: f64,
    bound: f64,
    gap: f64,
    /// Discounted cost of the teams whose cost is fixed, counted in the objective.
    #[serde(skip_serializing_if = "is_zero")]
    fixed_team_cost: f64,
    #[serde(flatten)]
    mode: &'a Mode,
    seed: u64,
    timing: &'a crate::optimize::Timing,
    size: crate::optimize::Size,
    start: JsonStart,
    /// What polishing did, when a time limit stopped the first search short of the gap.
    #[serde(skip_serializing_if = "Option::is_none")]
    polish: Option<&'a crate::optimize::polish::Polish>,
    plan: Vec<JsonPlanRow<'a>>,
    /// Extra capacity the plan buys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bought: Vec<super::bought::JsonBought<'a>>,
    /// Where the plan places the pools' people.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    assigned: Vec<super::bought::JsonAssigned<'a>>,
    /// Features done before the plan starts: in no plan, and in no objective.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    done: Vec<work_status::JsonDone<'a>>,
    deals: Vec<JsonDeal<'a>>,
    /// [team][period] planned person-weeks and capacity.
    work: std::collections::BTreeMap<&'a str, Vec<f64>>,
    capacity: std::collections::BTreeMap<&'a str, Vec<f64>>,
    periods: &'a [String],
    /// With budgets per period: each period's expected spend as the plan books it, and its
    /// budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    spend_by_period: Option<Vec<JsonPeriodSpend<'a>>>,
    out_of_sample: Option<&'a OutOfSample>,
    violations: Vec<super::violation::JsonViolation<'a>>,
    /// Robust mode: the confidence asked for when no plan reaches it, and why; the mode's
    /// confidence is then the best reachable one.
    unreachable: Option<&'a crate::optimize::Unreachable>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

pub fn json(r: &OptimizeReport) -> String {
    let model = r.model;
    let o = r.outcome;
    let labels = &model.time.labels;
    let report = JsonReport {
        scenario: &model.name,
        status: o.status,
        objective: o.objective,
        bound: o.bound,
        gap: o.gap,
        fixed_team_cost: o.fixed_team_cost,
        mode: &o.mode,
        seed: o.seed,
        timing: &o.timing,
        size: o.size,
        start: JsonStart {
            name: start_name(o.start.plan),
            objective: o.start.objective,
            features: o.start.features,
            note: o.start.missing.as_ref().map(no_start),
        },
        polish: o.polish.as_ref(),
        plan: o
            .features
            .iter()
            .map(|f| {
                let feature = &model.features[f.feature];
                JsonPlanRow {
                    feature: &feature.id,
                    name: &feature.name,
                    status: feature.status,
                    period: f.period.map(|p| labels[p].as_str()),
                    start: o.plan.starts[f.feature]
                        .filter(|_| f.period.is_some())
                        .map(|p| labels[p].as_str()),
                    handoffs: super::handoffs::labels(model, &o.plan, f.feature),
                    teams: f
                        .team_weeks
                        .iter()
                        .map(|&(k, w)| (model.teams[k].id.as_str(), w))
                        .collect(),
                    net_value: f.net_value,
                    reason: f.left_out.as_ref().map(reason_code),
                    why: f.left_out.as_ref().map(|l| reason(model, l)),
                }
            })
            .collect(),
        bought: super::bought::json(model, &o.plan.bought),
        assigned: super::bought::json_assigned(model, &o.plan.assigned),
        done: work_status::json_done(&model.done),
        deals: o
            .deals
            .iter()
            .map(|d| {
                let deal = &model.deals[d.deal];
                JsonDeal {
                    deal: &deal.id,
                    customer: &deal.customer,
                    won_in: d.won_in.map(|p| labels[p].as_str()),
                    value: d.value,
                }
            })
            .collect(),
        work: model
            .teams
            .iter()
            .zip(&o.work)
            .map(|(t, w)| (t.id.as_str(), w.clone()))
            .collect(),
        capacity: model
            .teams
            .iter()
            .zip(&o.capacity)
            .map(|(t, w)| (t.id.as_str(), w.clone()))
            .collect(),
        periods: labels,
        spend_by_period: model.budget_per_period.as_ref().map(|budgets| {
            crate::plan_check::period_spend(model, &o.plan)
                .into_iter()
                .zip(budgets)
                .zip(labels)
                .map(|((spend, &budget), period)| JsonPeriodSpend {
                    period,
                    spend,
                    budget,
                })
                .collect()
        }),
        out_of_sample: r.out_of_sample,
        violations: super::violation::json(&o.violations),
        unreachable: o.unreachable.as_ref(),
    };
    super::format::json_text(&report)
}

/// The plan as CSV: one row per feature, the first two columns (feature, period) being what
/// `simulate --plan` reads; left-out features have an empty period and a reason.
pub fn csv(r: &OptimizeReport) -> String {
    let model = r.model;
    let o = r.outcome;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "feature",
        "period",
        "start",
        "name",
        "teams",
        "net_value",
        "reason",
    ];
    // A plan of work in progress says which rows are; done features are in no plan file.
    let marked = model.has_progress();
    if marked {
        header.push("status");
    }
    let staged = super::handoffs::any(model);
    if staged {
        header.push("handoffs");
    }
    if super::bought::has_people(&o.plan) {
        header.push("people");
    }
    let _ = w.write_record(&header);
    let mut rows: Vec<&crate::optimize::PlannedFeature> = o.features.iter().collect();
    rows.sort_by_key(|f| (f.period.is_none(), f.period, f.feature));
    for f in rows {
        let feature = &model.features[f.feature];
        let teams = f
            .team_weeks
            .iter()
            .map(|&(k, wk)| format!("{}={}", model.teams[k].id, weeks(wk)))
            .collect::<Vec<_>>()
            .join(" ");
        let start = o.plan.starts[f.feature].filter(|_| f.period.is_some());
        let net_value = format!("{:.2}", f.net_value);
        let mut record = vec![
            feature.id.as_str(),
            f.period.map_or("", |p| model.time.labels[p].as_str()),
            start.map_or("", |p| model.time.labels[p].as_str()),
            feature.name.as_str(),
            teams.as_str(),
            net_value.as_str(),
            f.left_out.as_ref().map_or("", reason_code),
        ];
        if marked {
            record.push(feature.status.name());
        }
        let handoffs = super::handoffs::cell(model, &o.plan, f.feature);
        if staged {
            record.push(&handoffs);
        }
        if super::bought::has_people(&o.plan) {
            record.push("");
        }
        let _ = w.write_record(&record);
    }
    for row in super::bought::csv_rows(model, &o.plan, &header) {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimize::{Mode, OptimizeError, OptimizeOptions};

    fn message(options: OptimizeOptions) -> String {
        match options.check() {
            Err(e @ OptimizeError::Options(_)) => e.to_string(),
            other => panic!("expected a bad option, got {other:?}"),
        }
    }

    /// The engine names no flag; these words are the ones users have always seen.
    #[test]
    fn bad_options_are_worded_with_the_flag_that_set_them() {
        let base = OptimizeOptions::default();
        let gap = OptimizeOptions {
            gap: 2.0,
            ..base.clone()
        };
        assert_eq!(message(gap), "--gap 2 must be in [0, 1)");
        let limit = OptimizeOptions {
            time_limit_seconds: Some(-1.0),
            ..base.clone()
        };
        assert_eq!(
            message(limit),
            "--time-limit -1 must be a positive number of seconds"
        );
        let robust = OptimizeOptions {
            mode: Mode::Robust { confidence: 1.5 },
            ..base.clone()
        };
        assert_eq!(
            message(robust),
            "--confidence 1.5 must be strictly between 0 and 1 (0.8 = P80)"
        );
        let stochastic = |scenarios, risk_aversion, cvar_alpha, overtime_premium| OptimizeOptions {
            mode: Mode::Stochastic {
                scenarios,
                risk_aversion,
                cvar_alpha,
                overtime_premium,
            },
            ..base.clone()
        };
        assert_eq!(
            message(stochastic(0, 0.5, 0.9, None)),
            "--scenarios must be at least 1"
        );
        assert_eq!(
            message(stochastic(10, 2.0, 0.9, None)),
            "--risk-aversion 2 must be in [0, 1] (0 = expected NPV only)"
        );
        assert_eq!(
            message(stochastic(10, 0.5, 1.0, None)),
            "--cvar-alpha 1 must be strictly between 0 and 1 (0.9 = the worst 10% of scenarios)"
        );
        assert_eq!(
            message(stochastic(10, 0.5, 0.9, Some(-0.5))),
            "--overtime-premium -0.5 must be 0 or more"
        );
    }

    #[test]
    fn a_missing_start_says_why() {
        assert_eq!(no_start(&NoStart::NotAsked), "not asked for (--no-start)");
        assert_eq!(
            no_start(&NoStart::Infeasible(
                "the value-per-effort plan breaks a bound".into()
            )),
            "the value-per-effort plan breaks a bound"
        );
        assert_eq!(
            start_name(StartPlan::ValuePerEffort),
            "value-per-effort plan"
        );
        assert_eq!(
            start_name(StartPlan::DeterministicOptimum),
            "deterministic optimum"
        );
    }
}
