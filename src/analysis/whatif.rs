//! What-if: a base scenario and a variant (command-line overrides, or a second scenario file)
//! executed on the same random numbers, so every difference is paired trial by trial.
//!
//! Draws depend only on (seed, input name, trial), and overrides keep every input's name, so
//! trial t of the variant sees the same demand, efforts and risk events as trial t of the base,
//! except where the variant changed them. The difference of two NPVs in one trial is then the
//! effect of the change alone, and the interval of the mean difference is far tighter than the
//! spread of either run.

use crate::analysis::strategies::{paired, Paired};
use crate::model::{Model, Plan};
use crate::plan_check::{check_plan, CheckBasis};
use crate::sample::Method;
use crate::scenario::overrides::Applied;
use crate::simulate::{self, Engine, Progress, Schedule, SimOptions, SimResult, Within};
use serde::Serialize;

/// One side of the comparison, ready to simulate.
pub struct Side<'a> {
    /// What the side is: the scenario file, or the file with its overrides.
    pub label: String,
    pub model: &'a Model,
    pub plan: Plan,
    /// The optimizer's objective for this plan on this model, when it was optimized on it.
    pub objective: Option<f64>,
}

/// How each side got its plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "plans", rename_all = "snake_case")]
pub enum Planning {
    /// Each side optimized on its own model, in this mode.
    Reoptimized { mode: String },
    /// The base's optimal plan executed on both sides: the effect of the change on a plan
    /// already committed to.
    Held { mode: String },
    /// The variant was re-optimized, but holding the base's plan does better in simulation
    /// (by `gain` in mean NPV on futures of their own), so the variant keeps it: re-planning
    /// never reports a worse outcome than holding the plan.
    KeptBase { mode: String, gain: f64 },
    /// Each side's recommended plan; on the variant the base's plan, held, was one of the
    /// candidates, and `kept_base` says whether it was still the best.
    Recommended { kept_base: bool },
}

/// Whether `held` beats `replanned` on `model`: the difference in mean NPV (held less
/// re-planned) over `trials` futures of `seed`, both plans on the same futures.
pub fn held_gain(
    model: &Model,
    held: &Plan,
    replanned: &Plan,
    seed: u64,
    trials: u64,
) -> Result<f64, crate::simulate::SimError> {
    let sampler = std::sync::Arc::new(Engine::sampler_for(model, seed, Method::MonteCarlo, trials));
    let mean = |plan: &Plan| {
        let engine = Engine::with_sampler(model, &Schedule::Plan(plan.clone()), sampler.clone());
        let options = SimOptions {
            trials,
            seed,
            threads: None,
            method: Method::MonteCarlo,
        };
        simulate::run(model, &engine, &options, &simulate::Quiet, None).map(|r| r.npv.mean)
    };
    Ok(mean(held)? - mean(replanned)?)
}

#[derive(Debug, Clone)]
pub struct CompareOptions {
    pub trials: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    pub planning: Planning,
}

/// Features planned in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodPlan {
    pub period: String,
    pub features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideResult {
    pub label: String,
    pub scenario: String,
    pub objective: Option<f64>,
    pub plan: Vec<PeriodPlan>,
    /// The full simulation: NPV distribution, value by month, deliveries, utilisation.
    pub result: SimResult,
    /// NPV of every trial, in trial order: the overlay charts' raw material. Left out of JSON,
    /// which carries the distribution's summary instead.
    #[serde(skip)]
    pub trial_npv: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Money,
    Probability,
    Count,
}

/// One row of the side-by-side table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub base: f64,
    pub variant: f64,
    /// variant - base.
    pub delta: f64,
    /// The 95% interval of the paired mean difference, where the metric is a mean over trials
    /// that pairs trial by trial (E[NPV]).
    pub delta_low: Option<f64>,
    pub delta_high: Option<f64>,
    /// For counts: how many there could be on each side (features with a deadline, deals).
    pub base_of: Option<usize>,
    pub variant_of: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Dropped,
    Moved,
    /// Planned in the base, done before the plan starts in the variant.
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChange {
    pub feature: String,
    /// The feature's name, as the variant names it (or the base, for a feature only it has).
    pub name: String,
    pub kind: ChangeKind,
    /// Planned period on each side (`None`: not planned, or not in that scenario).
    pub base: Option<String>,
    pub variant: Option<String>,
}

/// People bought or placed differently by the two sides' plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityChange {
    /// The option or pool, and which it is.
    pub what: String,
    pub base: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub trials: u64,
    pub seed: u64,
    pub currency: String,
    #[serde(flatten)]
    pub planning: Planning,
    /// The overrides as the user wrote them, with each field's value before and after.
    pub overrides: Vec<Applied>,
    pub metrics: Vec<Metric>,
    /// Paired NPV difference (variant - base) with its 95% interval.
    pub npv_delta: Paired,
    /// Share of trials in which the variant's NPV is above, and below, the base's.
    pub p_variant_higher: f64,
    pub p_variant_lower: f64,
    pub plan_changes: Vec<PlanChange>,
    /// Extra capacity bought and pool people placed differently.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity_changes: Vec<CapacityChange>,
    /// With a held plan: what the base plan breaks under the variant's expected numbers.
    /// Worded by the report, which writes them, and the two sides after them, into the JSON.
    #[serde(skip)]
    pub held_plan_breaks: Vec<crate::plan_check::Breach>,
    #[serde(skip)]
    pub base: SideResult,
    #[serde(skip)]
    pub variant: SideResult,
}

/// The base's plan on the variant's features, matched by id: a feature the variant does not
/// have is dropped from the plan.
pub fn carry_plan(plan: &Plan, from: &Model, to: &Model) -> Plan {
    let mut out = Plan::empty(to);
    for (f, period) in plan.planned() {
        if let Some(g) = to.feature_index(&from.features[f].id) {
            // A period the variant does not have is past its plan: not planned.
            out.periods[g] = (period < to.time.periods).then_some(period);
            let handoffs = plan.handoffs(from, f);
            if !handoffs.is_empty() {
                out.handoffs.resize(to.features.len(), Vec::new());
                out.handoffs[g] = handoffs;
            }
        }
    }
    carry_staffing(plan, from, to, &mut out);
    out
}

/// The people the base plan buys and places, on the variant's options and pools, matched by
/// id: no more than the variant offers, within its periods and lead times, with teams its
/// pools can join.
fn carry_staffing(plan: &Plan, from: &Model, to: &Model, out: &mut Plan) {
    let last = to.time.periods.saturating_sub(1);
    for b in &plan.bought {
        let id = &from.extra_capacity[b.option].id;
        let Some(o) = to.extra_capacity.iter().position(|x| &x.id == id) else {
            continue;
        };
        let option = &to.extra_capacity[o];
        let from_period = b.from.max(option.first_period(&to.time));
        let to_period = match option.kind {
            crate::model::staffing::ExtraKind::Hire => last,
            crate::model::staffing::ExtraKind::Contractor => b.to.min(last),
        };
        let people = b.people.min(option.people);
        if from_period <= to_period && people > 0 {
            out.bought.push(crate::model::staffing::Purchase {
                option: o,
                people,
                from: from_period,
                to: to_period,
            });
        }
    }
    for a in &plan.assigned {
        let (pool_id, team_id) = (&from.pools[a.pool].id, &from.teams[a.team].id);
        let Some(q) = to.pools.iter().position(|p| &p.id == pool_id) else {
            continue;
        };
        let Some(&k) = to.pools[q]
            .teams
            .iter()
            .find(|&&k| &to.teams[k].id == team_id)
        else {
            continue;
        };
        let placed: u32 = out
            .assigned
            .iter()
            .filter(|x| x.pool == q && x.period == a.period)
            .map(|x| x.people)
            .sum();
        let people = a.people.min(to.pools[q].people.saturating_sub(placed));
        if a.period < to.time.periods && people > 0 {
            out.assigned.push(crate::model::staffing::Assignment {
                pool: q,
                team: k,
                period: a.period,
                people,
            });
        }
    }
}

/// What each side buys of an option or places of a pool, where the two differ.
fn capacity_changes(base: &Side, variant: &Side) -> Vec<CapacityChange> {
    let bought = |side: &Side, id: &str| -> String {
        let m = side.model;
        let runs: Vec<String> = side
            .plan
            .bought
            .iter()
            .filter(|b| m.extra_capacity[b.option].id == id)
            .map(|b| format!("{} in {}", b.people, m.time.span_label(b.from, b.to)))
            .collect();
        if runs.is_empty() {
            "-".into()
        } else {
            runs.join(", ")
        }
    };
    let placed = |side: &Side, id: &str| -> String {
        let m = side.model;
        let each: Vec<String> = side
            .plan
            .assigned
            .iter()
            .filter(|a| m.pools[a.pool].id == id)
            .map(|a| {
                format!(
                    "{} {} in {}",
                    m.teams[a.team].id,
                    a.people,
                    m.time.label(a.period)
                )
            })
            .collect();
        if each.is_empty() {
            "-".into()
        } else {
            each.join(", ")
        }
    };
    let mut out = Vec::new();
    let options = base
        .model
        .extra_capacity
        .iter()
        .chain(&variant.model.extra_capacity);
    let mut seen = std::collections::HashSet::new();
    for id in options.map(|o| o.id.as_str()).filter(|id| seen.insert(*id)) {
        let (b, v) = (bought(base, id), bought(variant, id));
        if b != v {
            out.push(CapacityChange {
                what: format!("{id} (extra capacity)"),
                base: b,
                variant: v,
            });
        }
    }
    let pools = base.model.pools.iter().chain(&variant.model.pools);
    let mut seen = std::collections::HashSet::new();
    for id in pools.map(|p| p.id.as_str()).filter(|id| seen.insert(*id)) {
        let (b, v) = (placed(base, id), placed(variant, id));
        if b != v {
            out.push(CapacityChange {
                what: format!("{id} (pool)"),
                base: b,
                variant: v,
            });
        }
    }
    out
}

/// Simulates both sides on the same seed and trials and lays the results side by side.
pub fn compare(
    base: &Side,
    variant: &Side,
    overrides: Vec<Applied>,
    options: &CompareOptions,
    progress: &dyn Progress,
) -> Result<WhatIf, simulate::SimError> {
    progress.begin(2 * options.trials);
    let base_run = run_side(base, options, progress)?;
    let variant_run = run_side(variant, options, progress)?;
    progress.end();

    let npv_delta = paired(&variant_run.trial_npv, &base_run.trial_npv);
    let n = options.trials.max(1) as f64;
    let (higher, lower) = variant_run
        .trial_npv
        .iter()
        .zip(&base_run.trial_npv)
        .fold((0u64, 0u64), |(h, l), (v, b)| {
            (h + u64::from(v > b), l + u64::from(v < b))
        });
    let held_plan_breaks = match options.planning {
        Planning::Held { .. } => check_plan(
            variant.model,
            &variant.plan,
            &CheckBasis::expected(variant.model),
        )
        .into_iter()
        .map(|v| v.breach)
        .collect(),
        // A kept base plan was checked against the variant's rules before it was kept.
        Planning::Reoptimized { .. } | Planning::KeptBase { .. } | Planning::Recommended { .. } => {
            Vec::new()
        }
    };
    Ok(WhatIf {
        trials: options.trials,
        seed: options.seed,
        currency: base.model.currency.clone(),
        planning: options.planning.clone(),
        overrides,
        metrics: metrics(
            base,
            variant,
            &base_run.result,
            &variant_run.result,
            npv_delta,
        ),
        npv_delta,
        p_variant_higher: higher as f64 / n,
        p_variant_lower: lower as f64 / n,
        plan_changes: plan_changes(base, variant),
        capacity_changes: capacity_changes(base, variant),
        held_plan_breaks,
        base: base_run,
        variant: variant_run,
    })
}

fn run_side(
    side: &Side,
    options: &CompareOptions,
    progress: &dyn Progress,
) -> Result<SideResult, simulate::SimError> {
    let model = side.model;
    let schedule = Schedule::Plan(side.plan.clone());
    let engine = Engine::new(
        model,
        &schedule,
        options.seed,
        Method::MonteCarlo,
        options.trials,
    );
    let sim = SimOptions {
        trials: options.trials,
        seed: options.seed,
        threads: options.threads,
        method: Method::MonteCarlo,
    };
    let (result, trial_npv) =
        simulate::paired::run_keeping_npv(model, &engine, &sim, &Within(progress))?;
    Ok(SideResult {
        label: side.label.clone(),
        scenario: model.name.clone(),
        objective: side.objective,
        plan: plan_by_period(model, &side.plan),
        result,
        trial_npv,
    })
}

fn plan_by_period(model: &Model, plan: &Plan) -> Vec<PeriodPlan> {
    model
        .time
        .labels
        .iter()
        .enumerate()
        .map(|(p, label)| PeriodPlan {
            period: label.clone(),
            features: plan
                .planned()
                .filter(|&(_, q)| q == p)
                .map(|(f, _)| model.features[f].id.clone())
                .collect(),
        })
        .collect()
}

fn metrics(base: &Side, variant: &Side, b: &SimResult, v: &SimResult, npv: Paired) -> Vec<Metric> {
    let row = |key, label, unit, base: f64, variant: f64| Metric {
        key,
        label,
        unit,
        base,
        variant,
        delta: variant - base,
        delta_low: None,
        delta_high: None,
        base_of: None,
        variant_of: None,
    };
    let deadlines = |r: &SimResult| r.features.iter().filter_map(|f| f.p_by_deadline).sum();
    let with_deadline = |m: &Model| m.features.iter().filter(|f| f.deadline.is_some()).count();
    let deals = |r: &SimResult| r.deals.iter().map(|d| d.p_won).sum();
    let planned = |s: &Side| s.plan.planned().count() as f64;
    let mut npv_mean = row("npv_mean", "E[NPV]", Unit::Money, b.npv.mean, v.npv.mean);
    // The paired mean difference is the difference of the means, computed trial by trial; its
    // interval is what tells a real change from noise.
    npv_mean.delta_low = Some(npv.low);
    npv_mean.delta_high = Some(npv.high);
    let mut deadlines_met = row(
        "deadlines_met",
        "deadlines met (expected)",
        Unit::Count,
        deadlines(b),
        deadlines(v),
    );
    deadlines_met.base_of = Some(with_deadline(base.model));
    deadlines_met.variant_of = Some(with_deadline(variant.model));
    let mut deals_won = row(
        "deals_won",
        "deals won (expected)",
        Unit::Count,
        deals(b),
        deals(v),
    );
    deals_won.base_of = Some(base.model.deals.len());
    deals_won.variant_of = Some(variant.model.deals.len());
    vec![
        npv_mean,
        row("npv_p10", "NPV P10", Unit::Money, b.npv.p10, v.npv.p10),
        row("npv_p50", "NPV P50", Unit::Money, b.npv.p50, v.npv.p50),
        row("npv_p90", "NPV P90", Unit::Money, b.npv.p90, v.npv.p90),
        row(
            "p_npv_negative",
            "P(NPV < 0)",
            Unit::Probability,
            b.npv.p_negative,
            v.npv.p_negative,
        ),
        row(
            "value",
            "value (discounted)",
            Unit::Money,
            b.value.mean,
            v.value.mean,
        ),
        row(
            "cost",
            "cost (discounted)",
            Unit::Money,
            b.cost.mean,
            v.cost.mean,
        ),
        row(
            "spend",
            "spend in the plan",
            Unit::Money,
            b.spend.mean,
            v.spend.mean,
        ),
        row(
            "features_planned",
            "features planned",
            Unit::Count,
            planned(base),
            planned(variant),
        ),
        deadlines_met,
        deals_won,
    ]
}

/// Features whose planned period differs, by id: in the base's order, then the variant's own.
fn plan_changes(base: &Side, variant: &Side) -> Vec<PlanChange> {
    let period = |side: &Side, id: &str| {
        let f = side.model.feature_index(id)?;
        let p = side.plan.periods.get(f).copied().flatten()?;
        side.model.time.labels.get(p).cloned()
    };
    let mut ids: Vec<&str> = base.model.features.iter().map(|f| f.id.as_str()).collect();
    ids.extend(
        variant
            .model
            .features
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| base.model.feature_index(id).is_none()),
    );
    ids.into_iter()
        .filter_map(|id| {
            let (b, v) = (period(base, id), period(variant, id));
            // Work the base still had to do and the variant has done changed, planned or not.
            let done = variant.model.done.iter().any(|d| d.id == id);
            let kind = match (&b, &v) {
                _ if done => ChangeKind::Done,
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Dropped,
                (Some(x), Some(y)) if x != y => ChangeKind::Moved,
                _ => return None,
            };
            let name = [variant.model, base.model]
                .iter()
                .find_map(|m| m.feature_index(id).map(|f| m.features[f].name.clone()))
                .unwrap_or_default();
            Some(PlanChange {
                feature: id.to_string(),
                name,
                kind,
                base: b,
                variant: v,
            })
        })
        .collect()
}
