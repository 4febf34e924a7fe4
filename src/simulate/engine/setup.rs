//! Compiling the engine: the tables a trial reads, built once per run from the model and the
//! schedule.

use super::Schedule;
use super::{DealInfo, FeatureInfo, RiskInfo, SegmentInfo, Task, NONE};
use crate::model::plan::topological_order;
use crate::model::value::MoneyCalendar;
use crate::model::{DeadlineKind, Model};

/// What a schedule fixes: the order the teams work in, each feature's planned period, and
/// its start in weeks (infinite where the schedule does not fix one).
pub(super) fn schedule_terms(
    model: &Model,
    schedule: &Schedule,
) -> (Vec<usize>, Vec<Option<usize>>, Vec<f64>) {
    let n = model.features.len();
    match schedule {
        Schedule::Plan(plan) => (
            plan.work_order(model),
            plan.periods.clone(),
            (0..n)
                .map(|f| {
                    plan.start(model, f)
                        .map_or(f64::INFINITY, |p| p as f64 * model.time.period_weeks)
                })
                .collect(),
        ),
        Schedule::Order(order) => (
            order.features.clone(),
            vec![None; n],
            vec![f64::INFINITY; n],
        ),
    }
}

/// The scheduled features, prerequisites first, so a trial can complete them in one pass.
pub(super) fn active_in_order(model: &Model, work_order: &[usize]) -> Vec<u32> {
    let mut in_schedule = vec![false; model.features.len()];
    work_order.iter().for_each(|&f| in_schedule[f] = true);
    topological_order(model)
        .into_iter()
        .filter(|&f| in_schedule[f])
        .map(|f| f as u32)
        .collect()
}

/// Every feature's compiled terms, and the flat lists their ranges index.
pub(super) struct FeatureTables {
    pub(super) features: Vec<FeatureInfo>,
    pub(super) risks: Vec<RiskInfo>,
    pub(super) risk_list: Vec<u32>,
    pub(super) uplifts: Vec<(u32, u32)>,
    pub(super) requires: Vec<(u32, u32)>,
    /// Any-of groups: (lag, range in `alternatives`).
    pub(super) any_of: Vec<(u32, (u32, u32))>,
    pub(super) alternatives: Vec<u32>,
    /// Each feature's range of risk numbers.
    pub(super) risk_of_feature: Vec<(u32, u32)>,
}

impl FeatureTables {
    pub(super) fn new(
        model: &Model,
        calendar: &MoneyCalendar,
        planned: &[Option<usize>],
        plan_start: &[f64],
    ) -> Self {
        let n = model.features.len();
        let mut tables = FeatureTables {
            features: Vec::with_capacity(n),
            risks: Vec::new(),
            risk_list: Vec::new(),
            uplifts: Vec::new(),
            requires: Vec::new(),
            any_of: Vec::new(),
            alternatives: Vec::new(),
            risk_of_feature: vec![(0u32, 0u32); n],
        };
        for (f, feature) in model.features.iter().enumerate() {
            tables.risk_of_feature[f] = tables.push_risks(feature);
            let u0 = tables.uplifts.len() as u32;
            for u in &feature.uplift {
                tables.uplifts.push((u.segment as u32, u.fraction.0));
            }
            let r0 = tables.requires.len() as u32;
            for r in &feature.requires {
                tables
                    .requires
                    .push((r.feature as u32, r.lag_periods as u32));
            }
            let g0 = tables.any_of.len() as u32;
            for group in &feature.requires_any {
                let a0 = tables.alternatives.len() as u32;
                tables
                    .alternatives
                    .extend(group.features.iter().map(|&g| g as u32));
                tables.any_of.push((
                    group.lag_periods as u32,
                    (a0, tables.alternatives.len() as u32),
                ));
            }
            let (deadline, soft_penalty) = deadline_terms(feature);
            let ready = feature.vendor_ready.as_ref();
            tables.features.push(FeatureInfo {
                earliest: feature.earliest_period.unwrap_or(0) as u32,
                vendor_lead: feature.vendor_lead_weeks.map_or(NONE, |i| i.0),
                cost: feature.cost.map_or(NONE, |i| i.0),
                direct: feature.value_monthly.map_or(NONE, |i| i.0),
                ramp: calendar.ramp_index(feature.ramp_months) as u32,
                uplifts: (u0, tables.uplifts.len() as u32),
                requires: (r0, tables.requires.len() as u32),
                any_of: (g0, tables.any_of.len() as u32),
                risks: tables.risk_of_feature[f],
                soft_penalty,
                deadline,
                limit: feature
                    .deadline
                    .and_then(|d| d.limit)
                    .map_or(NONE, |l| l as u32),
                ready: ready.map_or(f64::NEG_INFINITY, |v| v.weeks),
                ready_delay: ready.and_then(|v| v.delay_weeks).map_or(NONE, |i| i.0),
                planned: planned[f].map_or(NONE, |p| p as u32),
                plan_start: plan_start[f],
            });
        }
        tables
    }

    /// Risks are numbered feature by feature; each has an occurrence uniform of its own.
    fn push_risks(&mut self, feature: &crate::model::Feature) -> (u32, u32) {
        let first = self.risk_list.len() as u32;
        for risk in &feature.risks {
            self.risk_list.push(self.risks.len() as u32);
            self.risks.push(RiskInfo {
                delay: risk.delay_weeks.map_or(NONE, |i| i.0),
                cost: risk.cost.map_or(NONE, |i| i.0),
                value_loss: risk.value_loss,
            });
        }
        (first, self.risk_list.len() as u32)
    }
}

/// A feature's deadline period (NONE without one) and its soft penalty per period late.
pub(super) fn deadline_terms(feature: &crate::model::Feature) -> (u32, f64) {
    match feature.deadline {
        Some(d) => (
            d.period as u32,
            match d.kind {
                DeadlineKind::Soft { penalty_per_period } => penalty_per_period,
                DeadlineKind::Hard => 0.0,
            },
        ),
        None => (NONE, 0.0),
    }
}

/// Team queues in work order; a team has a task for every feature it has effort on, or risk
/// effort on. Returns the queues and the (risk, effort input) list their tasks index.
pub(super) fn team_queues(
    model: &Model,
    work_order: &[usize],
    risk_of_feature: &[(u32, u32)],
) -> (Vec<Vec<Task>>, Vec<(u32, u32)>) {
    let mut queues: Vec<Vec<Task>> = vec![Vec::new(); model.teams.len()];
    let mut task_risks = Vec::new();
    for &f in work_order {
        let feature = &model.features[f];
        for (t, queue) in queues.iter_mut().enumerate() {
            let base = feature.effort.iter().find(|e| e.team == t);
            let r0 = task_risks.len() as u32;
            for (k, risk) in feature.risks.iter().enumerate() {
                for e in risk.effort.iter().filter(|e| e.team == t) {
                    task_risks.push((risk_of_feature[f].0 + k as u32, e.weeks.0));
                }
            }
            let r1 = task_risks.len() as u32;
            if base.is_some() || r1 > r0 {
                queue.push(Task {
                    feature: f as u32,
                    effort: base.map_or(NONE, |e| e.weeks.0),
                    risks: (r0, r1),
                });
            }
        }
    }
    (queues, task_risks)
}

/// A plan's team queues, each in the order its parts are due: a staged feature's part is due
/// at its stage's hand-off, so an earlier stage is worked ahead of later deliveries that need
/// its team (earliest due date first, which meets the plan whenever any schedule does). The
/// sort is stable, so without stages the work order stands.
pub(super) fn due_order(model: &Model, schedule: &Schedule, queues: &mut [Vec<Task>]) {
    let Schedule::Plan(plan) = schedule else {
        return;
    };
    if model.features.iter().all(|f| f.stages.len() < 2) {
        return;
    }
    for (k, queue) in queues.iter_mut().enumerate() {
        queue.sort_by_key(|task| {
            plan.part_window(model, task.feature as usize, k)
                .map_or(usize::MAX, |(_, due)| due)
        });
    }
}

/// Where each team's tasks start in the flat per-task buffers, and their total at the end.
pub(super) fn queue_offsets(queues: &[Vec<Task>]) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(queues.len() + 1);
    let mut total = 0;
    for q in queues {
        offsets.push(total);
        total += q.len();
    }
    offsets.push(total);
    offsets
}

pub(super) fn segment_infos(model: &Model) -> Vec<SegmentInfo> {
    model
        .segments
        .iter()
        .map(|s| SegmentInfo {
            demand: s.demand.0,
            price: s.price.0,
            growth: s.growth.0,
            retention: s.retention.map(|r| r.0),
            constant_growth: model.dist(s.growth).is_constant()
                && s.retention.is_none_or(|r| model.dist(r).is_constant()),
        })
        .collect()
}

/// Discounted value-months per month grown at each segment's mean growth (and kept at its
/// mean retention, for a customer stock), [segment][period][ramp][month]: with certain growth
/// and retention, a trial only scales them.
pub(super) fn segment_weights(model: &Model, calendar: &MoneyCalendar) -> Vec<Vec<Vec<Vec<f64>>>> {
    model
        .segments
        .iter()
        .map(|s| {
            let g = model.mean(s.growth);
            if let Some(r) = s.retention {
                let r = model.mean(r).clamp(0.0, 1.0);
                return (0..calendar.weights.len())
                    .map(|p| {
                        (0..calendar.ramps.len())
                            .map(|ramp| {
                                let mut row = vec![0.0; calendar.months];
                                calendar.retained_flows(p, ramp, g, r, |m, x| row[m] = x);
                                row
                            })
                            .collect()
                    })
                    .collect();
            }
            calendar
                .discounted_weights
                .iter()
                .map(|per_ramp| {
                    per_ramp
                        .iter()
                        .map(|w| {
                            let mut factor = 1.0;
                            w.iter()
                                .map(|x| {
                                    let v = x * factor;
                                    factor *= 1.0 + g;
                                    v
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The sums of [`segment_weights`] over months.
pub(super) fn segment_annuity(weights: &[Vec<Vec<Vec<f64>>>]) -> Vec<Vec<Vec<f64>>> {
    weights
        .iter()
        .map(|per_period| {
            per_period
                .iter()
                .map(|per_ramp| per_ramp.iter().map(|w| w.iter().sum()).collect())
                .collect()
        })
        .collect()
}

pub(super) fn deal_infos(model: &Model) -> Vec<DealInfo> {
    model
        .deals
        .iter()
        .map(|d| DealInfo {
            features: d.features.iter().map(|&f| f as u32).collect(),
            one_off: d.one_off.map_or(NONE, |i| i.0),
            monthly: d.monthly.map_or(NONE, |i| i.0),
            by: d.by_period.map_or(NONE, |p| p as u32),
            last: d.last_period().map_or(NONE, |p| p as u32),
            need: d.need.max(1) as u32,
            late_penalty: d.late_penalty.unwrap_or(0.0),
        })
        .collect()
}

/// Running sums of period-end discount factors, periods 0..=k for k up to one past the plan.
pub(super) fn late_discount(model: &Model, calendar: &MoneyCalendar) -> Vec<f64> {
    let periods = model.time.periods;
    let mut late = Vec::with_capacity(periods + 1);
    let mut acc = 0.0;
    for p in 0..=periods {
        acc += calendar.discount_at(model.time.period_end_months(p));
        late.push(acc);
    }
    late
}

/// The pools' weeks a plan places with each team in each period, with each pool's factor input.
pub(super) fn pooled_slots(
    model: &Model,
    assigned: &[crate::model::staffing::Assignment],
) -> Vec<Vec<(u32, f64)>> {
    let periods = model.time.periods;
    let mut slots = vec![Vec::new(); model.teams.len() * periods];
    for a in assigned {
        let pool = &model.pools[a.pool];
        slots[a.team * periods + a.period].push((
            pool.capacity_factor.0,
            a.people as f64 * pool.capacity_per_person,
        ));
    }
    slots
}

/// Every input a feature's execution and money can use.
fn feature_inputs(feature: &crate::model::Feature) -> Vec<u32> {
    let mut inputs: Vec<u32> = feature.effort.iter().map(|e| e.weeks.0).collect();
    inputs.extend(feature.value_monthly.map(|i| i.0));
    inputs.extend(feature.uplift.iter().map(|u| u.fraction.0));
    inputs.extend(feature.cost.map(|i| i.0));
    inputs.extend(feature.vendor_lead_weeks.map(|i| i.0));
    if let Some(r) = &feature.recurring_cost {
        inputs.extend(r.per_month.map(|i| i.0));
        inputs.extend(r.per_customer.map(|c| c.amount.0));
    }
    inputs.extend(
        feature
            .vendor_ready
            .as_ref()
            .and_then(|v| v.delay_weeks)
            .map(|i| i.0),
    );
    for risk in &feature.risks {
        inputs.extend(risk.effort.iter().map(|e| e.weeks.0));
        inputs.extend(risk.delay_weeks.map(|i| i.0));
        inputs.extend(risk.cost.map(|i| i.0));
    }
    inputs
}

/// The inputs a schedule of `features` can use: theirs and the shared ones (capacity factors,
/// segments, deals).
pub(super) fn used_inputs(model: &Model, features: &[usize]) -> Vec<u32> {
    features
        .iter()
        .flat_map(|&f| feature_inputs(&model.features[f]))
        .chain(model.teams.iter().map(|t| t.capacity_factor.0))
        .chain(model.pools.iter().map(|q| q.capacity_factor.0))
        .chain(model.segments.iter().flat_map(|s| {
            [s.demand.0, s.growth.0, s.price.0]
                .into_iter()
                .chain(s.retention.map(|r| r.0))
        }))
        .chain(
            model
                .deals
                .iter()
                .flat_map(|d| d.one_off.into_iter().chain(d.monthly).map(|i| i.0)),
        )
        .collect()
}

/// For each task in the flat per-task order, the range in the returned list of the tasks of
/// its feature's previous stage (`Feature::stages`): the hand-offs it waits for.
pub(super) fn stage_handoffs(model: &Model, queues: &[Vec<Task>]) -> (Vec<(u32, u32)>, Vec<u32>) {
    // Global task index of (feature, team).
    let mut index = std::collections::HashMap::new();
    let mut next = 0u32;
    for (k, queue) in queues.iter().enumerate() {
        for task in queue {
            index.insert((task.feature as usize, k), next);
            next += 1;
        }
    }
    let mut ranges = Vec::with_capacity(next as usize);
    let mut list = Vec::new();
    for (k, queue) in queues.iter().enumerate() {
        for task in queue {
            let f = task.feature as usize;
            let stages = &model.features[f].stages;
            let start = list.len() as u32;
            if let Some(s) = stages.iter().position(|stage| stage.contains(&k)) {
                if s > 0 {
                    list.extend(stages[s - 1].iter().filter_map(|&g| index.get(&(f, g))));
                }
            }
            ranges.push((start, list.len() as u32));
        }
    }
    (ranges, list)
}
