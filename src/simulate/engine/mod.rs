//! One Monte Carlo trial: draw every input, let each team work through its queue period by
//! period within its sampled capacity, complete features when their work, prerequisites,
//! vendor lead time and risk delays allow, and count value, costs and penalties.
//!
//! The engine is compiled once per run from the model and the schedule; a trial touches only
//! preallocated buffers in [`Scratch`], so the hot loop allocates nothing.

use crate::model::time::WEEKS_PER_MONTH;
use crate::model::value::MoneyCalendar;
use crate::model::{Model, Order, Plan};
use crate::sample::{risk_draws, risk_variates, Batch, Draws, Method, RiskDraw, Sampler};

mod recurring;
mod setup;
use recurring::{recurring_infos, FixedTeamCost, RecurringInfo};
use setup::{
    active_in_order, deal_infos, due_order, late_discount, pooled_slots, queue_offsets,
    schedule_terms, segment_annuity, segment_infos, segment_weights, stage_handoffs, team_queues,
    used_inputs, FeatureTables,
};

/// y += a x, the inner loop of the value flows.
#[inline]
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// "Not delivered within the plan" in period slots.
pub const NOT_DELIVERED: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

/// What the teams execute.
#[derive(Debug, Clone)]
pub enum Schedule {
    Plan(Plan),
    /// Already normalised (prerequisites first, exclusions resolved).
    Order(Order),
}

#[derive(Debug, Clone)]
struct Task {
    feature: u32,
    /// Base effort input, if the feature has effort for this team.
    effort: u32,
    /// Range in `task_risks`: (risk, effort input) added when the risk happens.
    risks: (u32, u32),
}

#[derive(Debug, Clone)]
struct FeatureInfo {
    earliest: u32,
    vendor_lead: u32,
    cost: u32,
    direct: u32,
    ramp: u32,
    uplifts: (u32, u32),
    requires: (u32, u32),
    /// Range in `any_of`.
    any_of: (u32, u32),
    risks: (u32, u32),
    soft_penalty: f64,
    deadline: u32,
    /// The hard limit after a soft target (NONE without one).
    limit: u32,
    /// The end of the vendor's ready date, in weeks from the plan start (negative infinity
    /// without one), and the input of its slip (NONE without one): the feature cannot
    /// complete before both have passed, whatever its start.
    ready: f64,
    ready_delay: u32,
    planned: u32,
    /// A plan's start of the feature in weeks (its vendor lead time and risk delays run from
    /// it and its one-off costs are paid then); infinite for an order, whose features start
    /// when their teams reach them.
    plan_start: f64,
}

#[derive(Debug, Clone)]
struct RiskInfo {
    delay: u32,
    cost: u32,
    value_loss: f64,
}

#[derive(Debug, Clone)]
struct SegmentInfo {
    demand: u32,
    price: u32,
    growth: u32,
    /// The customer-stock reading's retention input, if the segment is read so.
    retention: Option<u32>,
    /// The growth (and the retention) are certain: the annuities are precomputed.
    constant_growth: bool,
}

#[derive(Debug, Clone)]
struct DealInfo {
    features: Vec<u32>,
    one_off: u32,
    monthly: u32,
    /// The date it is expected by (NONE: none), and the last period it can be won in.
    by: u32,
    last: u32,
    /// Any `need` of the features complete it.
    need: u32,
    /// Taken off for each period it completes after `by`.
    late_penalty: f64,
}

/// The compiled model and schedule, shared read-only by every thread.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Shared: it depends on the model, seed and trials, not on the schedule, so analyses that
    /// simulate many plans on the same futures build it once.
    pub sampler: std::sync::Arc<Sampler>,
    /// The inputs the schedule can use: those of scheduled features and the shared ones
    /// (capacity factors, segments, deals). A plan that leaves features out does not pay for
    /// drawing them.
    inputs: Batch,
    pub calendar: MoneyCalendar,
    periods: usize,
    period_weeks: f64,
    teams: usize,
    segments_len: usize,
    ramps: usize,
    /// Index of the zero-length ramp (deals' monthly payments).
    no_ramp: usize,
    /// Features in the schedule, in an order where prerequisites come first.
    pub active: Vec<u32>,
    due: Vec<Due>,
    features: Vec<FeatureInfo>,
    queues: Vec<Vec<Task>>,
    queue_offsets: Vec<usize>,
    /// Per task (its index in the flat per-task buffers), the range in `after_list` of the
    /// tasks of the feature's stage before it: it may start only in a period after they are
    /// all done. Empty ranges without stages.
    task_after: Vec<(u32, u32)>,
    after_list: Vec<u32>,
    task_risks: Vec<(u32, u32)>,
    uplifts: Vec<(u32, u32)>,
    requires: Vec<(u32, u32)>,
    /// Any-of groups, (lag, range in `alternatives`), and their features.
    any_of: Vec<(u32, (u32, u32))>,
    alternatives: Vec<u32>,
    risk_list: Vec<u32>,
    risks: Vec<RiskInfo>,
    /// How each risk's occurrence is read off the trial's extra variates.
    risk_draws: Vec<RiskDraw>,
    segments: Vec<SegmentInfo>,
    deals: Vec<DealInfo>,
    capacity: Vec<Vec<f64>>,
    capacity_factor: Vec<u32>,
    /// Per team and period ([team * periods + period]), the pools' weeks the plan places
    /// there and the input of each pool's capacity factor; empty without pools.
    pooled: Vec<Vec<(u32, f64)>>,
    /// What a week of work on a feature costs on each team: nothing on a team whose cost is
    /// fixed (see `fixed`).
    cost_per_week: Vec<f64>,
    /// Each feature's recurring cost, if it has one.
    recurring: Vec<Option<RecurringInfo>>,
    /// The teams whose cost is fixed: paid in every trial, whatever the schedule.
    fixed: FixedTeamCost,
    /// Whether outputs break the costs down (a team with a fixed cost, or a recurring cost):
    /// otherwise every cost is team time or one-off, as before either existed.
    pub itemised: bool,
    /// Discounted pay of the extra capacity the plan buys (part of the fixed cost).
    pub bought_cost: f64,
    /// For segments with certain growth: discounted, growth-weighted value-months per month
    /// [segment][period][ramp][month], and their sums.
    segment_weights: Vec<Vec<Vec<Vec<f64>>>>,
    segment_annuity: Vec<Vec<Vec<f64>>>,
    /// Sum of period-end discount factors of periods 0..=k (k up to `periods`, one past the plan).
    late_discount: Vec<f64>,
    budget: Option<f64>,
    budget_per_period: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub planned: u32,
    pub deadline: u32,
    /// The hard limit after a soft target (u32::MAX without one).
    pub limit: u32,
}

/// One thread's working memory for trials.
#[derive(Debug, Clone)]
pub struct Scratch {
    pub draws: Draws,
    occurred: Vec<bool>,
    remaining: Vec<f64>,
    /// When each task's work was done, in weeks from the plan start (infinite while not;
    /// negative infinity for a task with no work in this trial).
    task_done: Vec<f64>,
    head: Vec<usize>,
    start: Vec<f64>,
    finish: Vec<f64>,
    pending: Vec<u32>,
    /// Team time worked on each feature, in currency (undiscounted).
    team_cost: Vec<f64>,
    /// Completion time in weeks from the plan start (infinite when not delivered).
    pub complete: Vec<f64>,
    /// Delivery period (NOT_DELIVERED when not delivered within the plan).
    pub period: Vec<u32>,
    /// Person-weeks worked and available, [team * periods + period].
    pub work: Vec<f64>,
    pub available: Vec<f64>,
    /// Discounted net cash flow of each month.
    pub flows: Vec<f64>,
    group_value: Vec<f64>,
    /// (1 + growth)^m per segment with uncertain growth, [segment * months + m].
    growth: Vec<f64>,
    pub deal_won: Vec<bool>,
    /// Undiscounted spend booked in each period (as the budget per period counts it); kept
    /// only when the scenario has budgets per period.
    pub spend_by_period: Vec<f64>,
}

/// The money of one trial.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TrialMoney {
    pub npv: f64,
    /// Discounted value of features and deals.
    pub value: f64,
    /// Discounted team, fixed and risk costs.
    pub cost: f64,
    /// Discounted soft-deadline penalties.
    pub penalties: f64,
    /// Undiscounted spend within the plan, as the budget counts it.
    pub spend: f64,
    /// What `cost` is made of, discounted: team time of teams paid by the week, the fixed cost
    /// of the others, recurring costs and one-off costs (risks' included).
    pub team_variable: f64,
    pub team_fixed: f64,
    pub recurring: f64,
    pub one_off: f64,
}

impl Engine {
    pub fn new(model: &Model, schedule: &Schedule, seed: u64, method: Method, trials: u64) -> Self {
        // A sampler of its own draws only what the schedule can use: a plan that leaves most of
        // a large backlog out does not pay for tabulating its estimates.
        let features: Vec<usize> = match schedule {
            Schedule::Plan(plan) => plan.planned().map(|(f, _)| f).collect(),
            Schedule::Order(order) => order.features.clone(),
        };
        let sampler = Sampler::only(
            model,
            seed,
            method,
            trials,
            &risk_variates(model),
            &used_inputs(model, &features),
        );
        Engine::with_sampler(model, schedule, std::sync::Arc::new(sampler))
    }

    /// The sampler an engine for these futures uses, for [`Engine::with_sampler`].
    pub fn sampler_for(model: &Model, seed: u64, method: Method, trials: u64) -> Sampler {
        Sampler::new(model, seed, method, trials, &risk_variates(model))
    }

    /// An engine for `schedule` on the futures `sampler` draws.
    pub fn with_sampler(
        model: &Model,
        schedule: &Schedule,
        sampler: std::sync::Arc<Sampler>,
    ) -> Self {
        let periods = model.time.periods;
        let (work_order, planned, plan_start) = schedule_terms(model, schedule);
        let split;
        let (bought, assigned): (&[_], &[_]) = match schedule {
            Schedule::Plan(plan) => (&plan.bought, &plan.assigned),
            Schedule::Order(_) => {
                split = crate::model::staffing::even_split(model);
                (&[], &split)
            }
        };
        let active = active_in_order(model, &work_order);
        let ramp_values: Vec<f64> = model.features.iter().map(|f| f.ramp_months).collect();
        let calendar = MoneyCalendar::new(&model.time, &ramp_values);
        let tables = FeatureTables::new(model, &calendar, &planned, &plan_start);
        let (mut queues, task_risks) = team_queues(model, &work_order, &tables.risk_of_feature);
        due_order(model, schedule, &mut queues);
        let handoffs = stage_handoffs(model, &queues);
        let segment_weights = segment_weights(model, &calendar);
        let segment_annuity = segment_annuity(&segment_weights);
        let due = active
            .iter()
            .map(|&f| Due {
                planned: tables.features[f as usize].planned,
                deadline: tables.features[f as usize].deadline,
                limit: tables.features[f as usize].limit,
            })
            .collect();
        Engine {
            inputs: sampler.batch(&used_inputs(model, &work_order)),
            sampler,
            due,
            periods,
            period_weeks: model.time.period_weeks,
            teams: model.teams.len(),
            segments_len: model.segments.len(),
            ramps: calendar.ramps.len(),
            no_ramp: calendar.ramp_index(0.0),
            active,
            features: tables.features,
            queue_offsets: queue_offsets(&queues),
            task_after: handoffs.0,
            after_list: handoffs.1,
            queues,
            task_risks,
            uplifts: tables.uplifts,
            requires: tables.requires,
            any_of: tables.any_of,
            alternatives: tables.alternatives,
            risk_list: tables.risk_list,
            risks: tables.risks,
            risk_draws: risk_draws(model),
            segments: segment_infos(model),
            deals: deal_infos(model),
            capacity: model
                .teams
                .iter()
                .zip(crate::model::staffing::added_weeks(model, bought))
                .map(|(t, added)| {
                    t.capacity_weeks
                        .iter()
                        .zip(added)
                        .map(|(c, a)| c + a)
                        .collect()
                })
                .collect(),
            capacity_factor: model.teams.iter().map(|t| t.capacity_factor.0).collect(),
            pooled: pooled_slots(model, assigned),
            cost_per_week: model
                .teams
                .iter()
                .map(crate::model::expect::variable_rate)
                .collect(),
            recurring: recurring_infos(model),
            fixed: FixedTeamCost::new(model, &calendar, bought),
            bought_cost: crate::model::staffing::cost(
                model,
                bought,
                &calendar.period_flow_discount,
            ),
            itemised: !bought.is_empty()
                || crate::model::expect::has_fixed_cost(model)
                || model.features.iter().any(|f| f.recurring_cost.is_some()),
            segment_weights,
            segment_annuity,
            late_discount: late_discount(model, &calendar),
            calendar,
            budget: model.budget,
            budget_per_period: model.budget_per_period.clone(),
        }
    }

    pub fn periods(&self) -> usize {
        self.periods
    }

    pub fn teams(&self) -> usize {
        self.teams
    }

    pub fn months(&self) -> usize {
        self.calendar.months
    }

    pub fn budget(&self) -> Option<f64> {
        self.budget
    }

    pub fn budget_per_period(&self) -> Option<&[f64]> {
        self.budget_per_period.as_deref()
    }

    /// Planned period of feature `f` (plans only).
    pub fn planned(&self, f: usize) -> Option<usize> {
        let p = self.features[f].planned;
        (p != NONE).then_some(p as usize)
    }

    /// Planned period and deadline of each scheduled feature, in `active` order (u32::MAX when
    /// there is none), for the statistics' per-trial loop.
    pub fn due(&self) -> &[Due] {
        &self.due
    }

    pub fn deadline(&self, f: usize) -> Option<usize> {
        let d = self.features[f].deadline;
        (d != NONE).then_some(d as usize)
    }

    /// The hard limit after feature `f`'s soft target, if it has one.
    pub fn limit(&self, f: usize) -> Option<usize> {
        let l = self.features[f].limit;
        (l != NONE).then_some(l as usize)
    }

    pub fn scratch(&self, features: usize) -> Scratch {
        Scratch {
            draws: self.sampler.buffers(),
            occurred: vec![false; self.risks.len()],
            remaining: vec![0.0; *self.queue_offsets.last().unwrap_or(&0)],
            task_done: vec![f64::INFINITY; *self.queue_offsets.last().unwrap_or(&0)],
            head: vec![0; self.teams],
            start: vec![f64::INFINITY; features],
            finish: vec![0.0; features],
            pending: vec![0; features],
            team_cost: vec![0.0; features],
            complete: vec![f64::INFINITY; features],
            period: vec![NOT_DELIVERED; features],
            work: vec![0.0; self.teams * self.periods],
            available: vec![0.0; self.teams * self.periods],
            flows: vec![0.0; self.calendar.months],
            group_value: vec![0.0; self.periods * self.ramps * (self.segments_len + 1)],
            growth: vec![0.0; self.segments_len * self.calendar.months],
            deal_won: vec![false; self.deals.len()],
            spend_by_period: vec![
                0.0;
                if self.budget_per_period.is_some() {
                    self.periods
                } else {
                    0
                }
            ],
        }
    }

    /// The period a completion time (weeks) falls in; the end of a period belongs to it.
    #[inline]
    fn period_of(&self, weeks: f64) -> u32 {
        // A hair of tolerance: capacity that exactly fills a period must not spill into the next.
        let x = weeks / self.period_weeks - 1e-9;
        if x <= 0.0 {
            0
        } else {
            (crate::sample::special::ceil_i32(x) as u32).saturating_sub(1)
        }
    }

    /// Runs trial `trial` in `s` and returns its money; per-feature, per-team and per-month
    /// outcomes stay in `s` for the statistics.
    pub fn run_trial(&self, trial: u64, s: &mut Scratch) -> TrialMoney {
        self.draw(trial, s);
        self.reset_features(s);
        self.task_work(s);
        // Teams work period by period, each on the highest-priority task it may start.
        for p in 0..self.periods {
            for k in 0..self.teams {
                self.work_period(k, p, s);
            }
        }
        // Completion, prerequisites first.
        for &f in &self.active {
            self.complete(f as usize, s);
        }
        self.money(s)
    }

    /// Draws the trial's inputs and which risks happen.
    #[inline]
    fn draw(&self, trial: u64, s: &mut Scratch) {
        self.sampler.begin(trial, &mut s.draws);
        self.sampler.draw_batch(&self.inputs, &mut s.draws);
        for (slot, draw) in s.occurred.iter_mut().zip(&self.risk_draws) {
            *slot = draw.occurs(&s.draws.extra);
        }
    }

    #[inline]
    fn reset_features(&self, s: &mut Scratch) {
        for &f in &self.active {
            let f = f as usize;
            s.start[f] = f64::INFINITY;
            s.finish[f] = 0.0;
            s.pending[f] = 0;
            s.team_cost[f] = 0.0;
        }
    }

    /// Each task's work in this trial: its effort plus the effort of risks that happened.
    #[inline]
    fn task_work(&self, s: &mut Scratch) {
        let values = &s.draws.values;
        for (k, queue) in self.queues.iter().enumerate() {
            let offset = self.queue_offsets[k];
            for (i, task) in queue.iter().enumerate() {
                let mut effort = if task.effort == NONE {
                    0.0
                } else {
                    values[task.effort as usize].max(0.0)
                };
                for &(risk, input) in &self.task_risks[task.risks.0 as usize..task.risks.1 as usize]
                {
                    if s.occurred[risk as usize] {
                        effort += values[input as usize].max(0.0);
                    }
                }
                s.remaining[offset + i] = effort;
                s.task_done[offset + i] = if effort > 0.0 {
                    f64::INFINITY
                } else {
                    f64::NEG_INFINITY
                };
                if effort > 0.0 {
                    s.pending[task.feature as usize] += 1;
                }
            }
            s.head[k] = 0;
        }
    }

    /// Whether task `i` may be worked from week `t0` (a period's start): every task of its
    /// feature's previous stage was done by then.
    #[inline]
    fn handed_over(&self, i: usize, t0: f64, done: &[f64]) -> bool {
        let (a, b) = self.task_after[i];
        self.after_list[a as usize..b as usize]
            .iter()
            .all(|&j| done[j as usize] <= t0 + 1e-9)
    }

    /// Team `k` works through its queue in period `p` within its sampled capacity.
    #[inline]
    fn work_period(&self, k: usize, p: usize, s: &mut Scratch) {
        let w = self.period_weeks;
        let t0 = p as f64 * w;
        let slot = k * self.periods + p;
        let factor = s.draws.values[self.capacity_factor[k] as usize];
        let mut capacity = self.capacity[k][p] * factor.max(0.0);
        // People a pool lends the team this period, at the pool's own drawn factor.
        for &(input, weeks) in &self.pooled[slot] {
            capacity += weeks * s.draws.values[input as usize].max(0.0);
        }
        s.available[slot] = capacity;
        let mut used = 0.0;
        if capacity > 0.0 {
            let rate = capacity / w;
            let cost_per_week = self.cost_per_week[k];
            let queue = &self.queues[k];
            let offset = self.queue_offsets[k];
            let remaining = &mut s.remaining[offset..offset + queue.len()];
            let mut i = s.head[k];
            while i < queue.len() && remaining[i] <= 0.0 {
                i += 1;
            }
            s.head[k] = i;
            while i < queue.len() && used < capacity {
                let f = queue[i].feature as usize;
                let left = remaining[i];
                if left > 0.0
                    && self.features[f].earliest as usize <= p
                    && self.handed_over(offset + i, t0, &s.task_done)
                {
                    let now = t0 + used / rate;
                    if now < s.start[f] {
                        s.start[f] = now;
                    }
                    let room = capacity - used;
                    s.team_cost[f] += left.min(room) * cost_per_week;
                    // Work that fills the room exactly is done, whatever float noise its sums
                    // carry: validation and the optimizer count it as fitting.
                    if !crate::model::exceeds(used + left, capacity) {
                        used = (used + left).min(capacity);
                        remaining[i] = 0.0;
                        let done = t0 + used / rate;
                        s.task_done[offset + i] = done;
                        if done > s.finish[f] {
                            s.finish[f] = done;
                        }
                        s.pending[f] -= 1;
                    } else {
                        remaining[i] = left - room;
                        used = capacity;
                    }
                }
                i += 1;
            }
        }
        s.work[slot] = used;
    }

    /// Feature `f`'s completion time and delivery period, once its prerequisites have theirs.
    #[inline]
    fn complete(&self, f: usize, s: &mut Scratch) {
        let info = &self.features[f];
        s.complete[f] = f64::INFINITY;
        s.period[f] = NOT_DELIVERED;
        if s.pending[f] > 0 {
            return;
        }
        let opens = info.earliest as f64 * self.period_weeks;
        // A plan's lead times run from its start; an order's from when work begins.
        let begun = if info.plan_start.is_finite() {
            info.plan_start
        } else if s.start[f].is_finite() {
            s.start[f]
        } else {
            opens
        };
        let mut t = s.finish[f].max(opens);
        let wait = self.wait(info, s);
        if wait > 0.0 {
            t = t.max(begun + wait);
        }
        if info.ready > f64::NEG_INFINITY {
            let slip = if info.ready_delay == NONE {
                0.0
            } else {
                s.draws.values[info.ready_delay as usize].max(0.0)
            };
            t = t.max(info.ready + slip);
        }
        let mut period = 0u32;
        for &(g, lag) in &self.requires[info.requires.0 as usize..info.requires.1 as usize] {
            let g = g as usize;
            if s.period[g] == NOT_DELIVERED {
                return;
            }
            if lag == 0 {
                t = t.max(s.complete[g]);
            }
            period = period.max(s.period[g] + lag);
        }
        // An any-of group is met by its alternative delivered first (the earliest period,
        // then the earliest completion), as a requirement on that one alone.
        for &(lag, (a0, a1)) in &self.any_of[info.any_of.0 as usize..info.any_of.1 as usize] {
            let mut first: Option<(u32, f64)> = None;
            for &g in &self.alternatives[a0 as usize..a1 as usize] {
                let (pg, tg) = (s.period[g as usize], s.complete[g as usize]);
                if pg != NOT_DELIVERED && first.is_none_or(|(p, c)| pg < p || (pg == p && tg < c)) {
                    first = Some((pg, tg));
                }
            }
            let Some((pg, tg)) = first else {
                return;
            };
            if lag == 0 {
                t = t.max(tg);
            }
            period = period.max(pg + lag);
        }
        // Never before its earliest period, and a plan never releases a feature before its
        // planned period: the plan is the release schedule others were told.
        let mut period = period.max(self.period_of(t)).max(info.earliest);
        if info.planned != NONE {
            period = period.max(info.planned);
        }
        if (period as usize) < self.periods {
            s.complete[f] = t;
            s.period[f] = period;
        }
    }

    /// The vendor lead time and the delays of risks that happened run one after the other
    /// from the start, beside the work (scenarios/README.md, "How a plan is executed"): the
    /// optimizer counts the same wait, so their dates agree.
    #[inline]
    fn wait(&self, info: &FeatureInfo, s: &Scratch) -> f64 {
        let values = &s.draws.values;
        let mut wait = if info.vendor_lead != NONE {
            values[info.vendor_lead as usize].max(0.0)
        } else {
            0.0
        };
        for &r in self.risks_of(info) {
            let risk = &self.risks[r as usize];
            if s.occurred[r as usize] && risk.delay != NONE {
                wait += values[risk.delay as usize].max(0.0);
            }
        }
        wait
    }

    /// The numbers of a feature's risks.
    #[inline]
    fn risks_of(&self, info: &FeatureInfo) -> &[u32] {
        &self.risk_list[info.risks.0 as usize..info.risks.1 as usize]
    }

    /// Slot of a period, ramp and segment (0 for direct value, 1 + segment for uplifts) in
    /// the trial's value groups.
    #[inline]
    fn group(&self, p: usize, ramp: usize, seg: usize) -> usize {
        (p * self.ramps + ramp) * (self.segments_len + 1) + seg
    }

    fn money(&self, s: &mut Scratch) -> TrialMoney {
        s.group_value.iter_mut().for_each(|v| *v = 0.0);
        s.flows.iter_mut().for_each(|v| *v = 0.0);
        s.spend_by_period.iter_mut().for_each(|v| *v = 0.0);
        let mut money = TrialMoney::default();
        for &f in &self.active {
            let f = f as usize;
            let info = &self.features[f];
            self.one_off_cost(f, info, s, &mut money);
            if let Some(r) = &self.recurring[f] {
                self.recurring_cost(f, info, r, s, &mut money);
            }
            if info.soft_penalty > 0.0 {
                self.penalties(info, s.period[f], s, &mut money);
            }
            if s.period[f] != NOT_DELIVERED {
                self.group_feature_value(info, s.period[f], s);
            }
        }
        let one_off_value = self.won_deals(s, &mut money);
        self.segment_growth(s);
        money.value = self.value_flows(one_off_value, s);
        self.team_costs(s, &mut money);
        self.fixed.charge(s, &mut money);
        money.npv = money.value - money.cost - money.penalties;
        money
    }

    /// When a feature starts, in weeks from the plan start: a plan's start of it; under an
    /// order when its work begins (a no-effort feature begins when it may); none when it never
    /// starts within the plan.
    #[inline]
    fn begun(&self, f: usize, info: &FeatureInfo, s: &Scratch) -> Option<f64> {
        if info.plan_start.is_finite() {
            Some(info.plan_start)
        } else if s.start[f].is_finite() {
            Some(s.start[f])
        } else if s.pending[f] == 0 && (info.earliest as usize) < self.periods {
            Some(info.earliest as f64 * self.period_weeks)
        } else {
            None
        }
    }

    /// A feature's one-off costs and those of its risks that happened fall due at a plan's
    /// start of the feature; under an order, when work begins (a no-effort feature begins
    /// when it may).
    #[inline]
    fn one_off_cost(&self, f: usize, info: &FeatureInfo, s: &mut Scratch, money: &mut TrialMoney) {
        let Some(begun) = self.begun(f, info, s) else {
            return;
        };
        let values = &s.draws.values;
        let mut cost = if info.cost == NONE {
            0.0
        } else {
            values[info.cost as usize].max(0.0)
        };
        for &r in self.risks_of(info) {
            let risk = &self.risks[r as usize];
            if s.occurred[r as usize] && risk.cost != NONE {
                cost += values[risk.cost as usize].max(0.0);
            }
        }
        if cost > 0.0 {
            let cal = &self.calendar;
            let months = begun / WEEKS_PER_MONTH;
            let discounted = cost * cal.discount_at(months);
            money.spend += cost;
            // Paid at the start, so in the period the start lies in (a start at a period's
            // first moment belongs to that period, not to the one before).
            if let Some(slot) = s.spend_by_period.get_mut(
                ((begun / self.period_weeks + 1e-9).floor().max(0.0) as usize)
                    .min(self.periods - 1),
            ) {
                *slot += cost;
            }
            money.cost += discounted;
            money.one_off += discounted;
            s.flows[(months as usize).min(cal.months - 1)] -= discounted;
        }
    }

    /// Soft-deadline penalties for every period a feature is late, to its delivery or the
    /// plan's end.
    #[inline]
    fn penalties(&self, info: &FeatureInfo, period: u32, s: &mut Scratch, money: &mut TrialMoney) {
        let d = info.deadline as usize;
        let late_until = if period == NOT_DELIVERED {
            self.periods
        } else {
            period as usize
        };
        if late_until > d {
            self.charge_late(info.soft_penalty, d, late_until, s, money);
        }
    }

    /// `per_period` at the end of each period from `due + 1` to `until`: a soft deadline's
    /// penalty, or a late deal's.
    #[inline]
    fn charge_late(
        &self,
        per_period: f64,
        due: usize,
        until: usize,
        s: &mut Scratch,
        money: &mut TrialMoney,
    ) {
        let months = self.calendar.months;
        for k in due + 1..=until {
            let at = self.late_discount[k] - self.late_discount[k - 1];
            let amount = per_period * at;
            money.penalties += amount;
            let month = ((k + 1) as f64 * self.period_weeks / WEEKS_PER_MONTH).ceil() as usize;
            s.flows[month.saturating_sub(1).min(months - 1)] -= amount;
        }
    }

    /// A delivered feature's monthly value, less what its risks that happened take, into its
    /// period's and ramp's groups.
    #[inline]
    fn group_feature_value(&self, info: &FeatureInfo, period: u32, s: &mut Scratch) {
        let values = &s.draws.values;
        let mut keep = 1.0;
        for &r in self.risks_of(info) {
            if s.occurred[r as usize] {
                keep *= 1.0 - self.risks[r as usize].value_loss;
            }
        }
        let (p, ramp) = (period as usize, info.ramp as usize);
        if info.direct != NONE {
            s.group_value[self.group(p, ramp, 0)] += values[info.direct as usize] * keep;
        }
        for &(seg, fraction) in &self.uplifts[info.uplifts.0 as usize..info.uplifts.1 as usize] {
            let segment = &self.segments[seg as usize];
            let won = values[segment.demand as usize]
                * values[fraction as usize]
                * values[segment.price as usize];
            s.group_value[self.group(p, ramp, seg as usize + 1)] += won * keep;
        }
    }

    /// Which deals are won; their monthly payments go into the groups and their discounted
    /// one-off payments, returned, into the flows.
    #[inline]
    fn won_deals(&self, s: &mut Scratch, money: &mut TrialMoney) -> f64 {
        let cal = &self.calendar;
        let mut one_off_value = 0.0;
        for (d, deal) in self.deals.iter().enumerate() {
            // Features outside the schedule are never delivered, so this also covers them.
            let release = completion(deal, &s.period);
            let won = release != NOT_DELIVERED && (deal.last == NONE || release <= deal.last);
            s.deal_won[d] = won;
            if !won {
                continue;
            }
            if deal.late_penalty > 0.0 && release > deal.by {
                self.charge_late(
                    deal.late_penalty,
                    deal.by as usize,
                    release as usize,
                    s,
                    money,
                );
            }
            let values = &s.draws.values;
            let p = release as usize;
            if deal.one_off != NONE {
                let amount = values[deal.one_off as usize] * cal.period_end_discount[p];
                one_off_value += amount;
                let month = (cal.period_months[p].last().map_or(0, |m| m.0)).min(cal.months - 1);
                s.flows[month] += amount;
            }
            if deal.monthly != NONE {
                s.group_value[self.group(p, self.no_ramp, 0)] += values[deal.monthly as usize];
            }
        }
        one_off_value
    }

    /// (1 + growth)^m for each segment whose growth this trial draws.
    #[inline]
    fn segment_growth(&self, s: &mut Scratch) {
        let months = self.calendar.months;
        for (k, segment) in self.segments.iter().enumerate() {
            if !segment.constant_growth {
                let g = 1.0 + s.draws.values[segment.growth as usize];
                let row = &mut s.growth[k * months..(k + 1) * months];
                let mut factor = 1.0;
                for slot in row.iter_mut() {
                    *slot = factor;
                    factor *= g;
                }
            }
        }
    }

    /// Value flows month by month: discounted weights (ramp, horizon) x segment growth.
    /// Returns the discounted value, `one_off_value` included.
    #[inline]
    fn value_flows(&self, one_off_value: f64, s: &mut Scratch) -> f64 {
        let cal = &self.calendar;
        let segs = self.segments_len + 1;
        let mut value = one_off_value;
        for p in 0..self.periods {
            for ramp in 0..self.ramps {
                for seg in 0..segs {
                    let v = s.group_value[self.group(p, ramp, seg)];
                    if v == 0.0 {
                        continue;
                    }
                    if seg == 0 {
                        value += v * cal.annuity[p][ramp];
                        axpy(v, &cal.discounted_weights[p][ramp], &mut s.flows);
                    } else if self.segments[seg - 1].constant_growth {
                        value += v * self.segment_annuity[seg - 1][p][ramp];
                        axpy(v, &self.segment_weights[seg - 1][p][ramp], &mut s.flows);
                    } else if let Some(r) = self.segments[seg - 1].retention {
                        let growth = s.draws.values[self.segments[seg - 1].growth as usize];
                        let retention = s.draws.values[r as usize].clamp(0.0, 1.0);
                        let flows = &mut s.flows;
                        cal.retained_flows(p, ramp, growth, retention, |m, x| {
                            flows[m] += v * x;
                            value += v * x;
                        });
                    } else {
                        let growth = &s.growth[(seg - 1) * cal.months..seg * cal.months];
                        let weights = &cal.discounted_weights[p][ramp];
                        let mut sum = 0.0;
                        for ((flow, w), g) in s.flows.iter_mut().zip(weights).zip(growth) {
                            let x = v * w * g;
                            *flow += x;
                            sum += x;
                        }
                        value += sum;
                    }
                }
            }
        }
        value
    }

    /// Team time worked on a feature is paid over the period it is released in (the plan's
    /// last period when it is not released within the plan), as the optimizer counts it: the
    /// same work costs the same money in both (scenarios/README.md, "How value and cost are
    /// counted").
    #[inline]
    fn team_costs(&self, s: &mut Scratch, money: &mut TrialMoney) {
        let cal = &self.calendar;
        let last = self.periods - 1;
        for &f in &self.active {
            let f = f as usize;
            let spent = s.team_cost[f];
            if spent == 0.0 {
                continue;
            }
            let p = match s.period[f] {
                NOT_DELIVERED => last,
                p => p as usize,
            };
            money.spend += spent;
            if let Some(slot) = s.spend_by_period.get_mut(p) {
                *slot += spent;
            }
            money.cost += spent * cal.period_flow_discount[p];
            money.team_variable += spent * cal.period_flow_discount[p];
            for &(m, share) in &cal.period_months[p] {
                s.flows[m] -= spent * share * cal.month_discount[m];
            }
        }
    }
}

/// The period a deal completes in: when its last feature ships, or its `need`-th for a deal
/// that takes any `need` of them; NOT_DELIVERED when too few ship.
#[inline]
fn completion(deal: &DealInfo, period: &[u32]) -> u32 {
    let need = deal.need as usize;
    if need >= deal.features.len() {
        let mut release = 0;
        for &f in &deal.features {
            let p = period[f as usize];
            if p == NOT_DELIVERED {
                return NOT_DELIVERED;
            }
            release = release.max(p);
        }
        return release;
    }
    // Deals are short lists: the need-th smallest by counting, without allocating.
    for &f in &deal.features {
        let p = period[f as usize];
        if p == NOT_DELIVERED {
            continue;
        }
        let before = deal
            .features
            .iter()
            .filter(|&&g| {
                let q = period[g as usize];
                q != NOT_DELIVERED && (q < p || (q == p && g < f))
            })
            .count();
        if before + 1 == need {
            return p;
        }
    }
    NOT_DELIVERED
}
