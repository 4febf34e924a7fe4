//! What a plan is worth and what it spends, counted by the oracle from scenarios/README.md
//! "How value and cost are counted", not from any formulation.

use roadmap::model::time::WEEKS_PER_MONTH;
use roadmap::model::value::MoneyCalendar;
use roadmap::model::{CostKind, DeadlineKind, Model, Plan, RecurringFrom};
use roadmap::plan_check::CheckBasis;

/// Expected NPV of `plan`, counted as scenarios/README.md "How value and cost are counted"
/// says, with the lead times of `basis`:
/// - value from the end of the delivery period to the horizon, with the adoption ramp and
///   segment growth, times the share each risk's value loss leaves on average;
/// - minus the one-off cost and expected risk costs, paid at the plan's start of the feature:
///   the start of the latest period from which its lead time (vendor lead plus expected
///   delays) still ends by the end of its period, never before its earliest period, never
///   after its delivery period;
/// - minus soft-deadline penalties, charged at the end of each period late;
/// - minus a recurring cost, month by month from the release (the end of its period) or the
///   start to the horizon, for the part of each month it runs, discounted at the month's end;
/// - minus team time at cost, paid evenly over the months of its delivery period, on the teams
///   paid by the week; a fixed-cost team's whole capacity instead, each period's over it;
/// - plus deals whose features are all delivered (or `need` of them), by their date if they
///   have one: the one-off at the release of the last (the need-th), the monthly payments
///   from then on; with a late penalty, a late deal is still paid, less the penalty at the
///   end of each period late, until it expires.
pub fn npv(model: &Model, plan: &Plan, basis: &CheckBasis) -> f64 {
    let ramps: Vec<f64> = model.features.iter().map(|f| f.ramp_months).collect();
    let calendar = MoneyCalendar::new(&model.time, &ramps);
    let week = model.time.period_weeks;
    let mean = |id| model.mean(id);
    let mut total = 0.0;
    for (f, t) in plan.planned() {
        let feature = &model.features[f];
        let ramp = calendar.ramp_index(feature.ramp_months);
        let mut value = feature.value_monthly.map_or(0.0, mean) * calendar.annuity[t][ramp];
        for u in &feature.uplift {
            let segment = &model.segments[u.segment];
            let months = match segment.retention {
                Some(r) => cohort_months(model, &calendar, t, ramp, segment.growth, mean(r)),
                None => calendar.growing_annuity(t, ramp, mean(segment.growth)),
            };
            value += mean(segment.demand) * mean(u.fraction) * mean(segment.price) * months;
        }
        for risk in &feature.risks {
            value *= 1.0 - risk.probability * risk.value_loss;
        }
        total += value;

        let one_off = feature.cost.map_or(0.0, mean)
            + feature
                .risks
                .iter()
                .map(|r| r.probability * r.cost.map_or(0.0, mean))
                .sum::<f64>();
        let start = latest_start(model, basis, f, t);
        total -= one_off * calendar.discount_at(start as f64 * week / WEEKS_PER_MONTH);
        if let Some((from, monthly)) = recurring(model, f, t, start) {
            total -= paid(model, from, model.time.horizon_months, &monthly, true);
        }

        if let Some(d) = feature.deadline {
            if let DeadlineKind::Soft { penalty_per_period } = d.kind {
                total -= penalty_per_period
                    * ((d.period + 1)..=t)
                        .map(|s| calendar.period_end_discount[s])
                        .sum::<f64>();
            }
        }

        total -= basis.effort[f]
            .iter()
            .zip(&model.teams)
            .map(|(w, team)| w * by_the_week(team))
            .sum::<f64>()
            * calendar.period_flow_discount[t];
    }
    // A fixed-cost team is paid for its whole capacity, each period's over that period.
    for team in model
        .teams
        .iter()
        .filter(|t| t.cost_kind == CostKind::Fixed)
    {
        for (p, capacity) in team.capacity_weeks.iter().enumerate() {
            total -= capacity * team.cost_per_week * calendar.period_flow_discount[p];
        }
    }
    // People bought are paid every week of every period they work, over that period; a
    // pool's people every period.
    for (p, paid) in bought_pay(model, plan).iter().enumerate() {
        total -= paid * calendar.period_flow_discount[p];
    }
    for deal in &model.deals {
        // Complete when `need` features have shipped: the need-th earliest delivery.
        let mut shipped: Vec<usize> = deal
            .features
            .iter()
            .filter_map(|&g| plan.periods.get(g).copied().flatten())
            .collect();
        shipped.sort_unstable();
        let Some(&last) = shipped.get(deal.need - 1) else {
            continue;
        };
        // Late, it is lost; with a late penalty it is still won, until it expires.
        let lost = match deal.late_penalty {
            None => deal.by_period.is_some_and(|by| last > by),
            Some(_) => false,
        } || deal.expires_period.is_some_and(|e| last > e);
        if lost {
            continue;
        }
        total += deal.one_off.map_or(0.0, mean) * calendar.period_end_discount[last]
            + deal.monthly.map_or(0.0, mean) * calendar.annuity[last][calendar.ramp_index(0.0)];
        if let (Some(penalty), Some(by)) = (deal.late_penalty, deal.by_period) {
            for s in by + 1..=last {
                total -= penalty * calendar.period_end_discount[s];
            }
        }
    }
    total
}

/// What a week of work costs on `team`: its cost per week when it is paid by the week, nothing
/// when its cost is fixed.
fn by_the_week(team: &roadmap::model::Team) -> f64 {
    match team.cost_kind {
        CostKind::Variable => team.cost_per_week,
        CostKind::Fixed => 0.0,
    }
}

/// The latest start, in whole periods, from which the lead time ends by the end of `t`, never
/// before the feature's earliest period.
fn latest_start(model: &Model, basis: &CheckBasis, f: usize, t: usize) -> usize {
    let week = model.time.period_weeks;
    let earliest = model.features[f].earliest_period.unwrap_or(0);
    let mut start = t;
    while start > earliest
        && start as f64 * week + basis.lead_weeks[f] > (t + 1) as f64 * week + 1e-9
    {
        start -= 1;
    }
    start
}

/// A feature's recurring cost delivered in `t` and started in `start`: the month it starts
/// (the end of `t` or the start of `start`), and its expected amount in month m (the flat part,
/// plus per customer times the segment's demand grown to month m).
fn recurring(
    model: &Model,
    f: usize,
    t: usize,
    start: usize,
) -> Option<(f64, impl Fn(usize) -> f64)> {
    let r = model.features[f].recurring_cost.as_ref()?;
    let week = model.time.period_weeks;
    let from = match r.from {
        RecurringFrom::Release => (t + 1) as f64 * week / WEEKS_PER_MONTH,
        RecurringFrom::Start => start as f64 * week / WEEKS_PER_MONTH,
    };
    let flat = r.per_month.map_or(0.0, |i| model.mean(i));
    let (customers, growth) = r.per_customer.map_or((0.0, 0.0), |c| {
        let s = &model.segments[c.segment];
        (
            model.mean(c.amount) * model.mean(s.demand),
            model.mean(s.growth),
        )
    });
    Some((from, move |m: usize| {
        flat + customers * (1.0 + growth).powi(m as i32)
    }))
}

/// What a monthly flow `monthly` pays from `from` to `until` months after the plan start, each
/// month for the part of it inside, discounted at the end of the month when `discounted`.
fn paid(
    model: &Model,
    from: f64,
    until: f64,
    monthly: &dyn Fn(usize) -> f64,
    discounted: bool,
) -> f64 {
    let rate = model.time.discount_rate;
    (0..until.ceil() as usize)
        .map(|m| {
            let part = until.min(m as f64 + 1.0) - from.max(m as f64);
            if part <= 0.0 {
                return 0.0;
            }
            let discount = if discounted {
                (1.0 + rate).powf(-((m + 1) as f64) / 12.0)
            } else {
                1.0
            };
            monthly(m) * part * discount
        })
        .sum()
}

/// Expected spend of `plan` as the budget counts it (scenarios/README.md, "Budget"): team weeks
/// at the cost of the teams paid by the week, one-off costs and each risk's cost at its
/// probability, recurring costs for the months they run before the plan ends, and the whole
/// capacity of the fixed-cost teams.
pub fn spend(model: &Model, plan: &Plan, basis: &CheckBasis) -> f64 {
    let mut total = 0.0;
    for (f, t) in plan.planned() {
        let feature = &model.features[f];
        total += basis.effort[f]
            .iter()
            .zip(&model.teams)
            .map(|(w, team)| w * by_the_week(team))
            .sum::<f64>();
        total += feature.cost.map_or(0.0, |c| model.mean(c))
            + feature
                .risks
                .iter()
                .map(|r| r.probability * r.cost.map_or(0.0, |c| model.mean(c)))
                .sum::<f64>();
        let start = latest_start(model, basis, f, t);
        if let Some((from, monthly)) = recurring(model, f, t, start) {
            total += paid(model, from, model.time.plan_months(), &monthly, false);
        }
    }
    for team in model
        .teams
        .iter()
        .filter(|t| t.cost_kind == CostKind::Fixed)
    {
        total += team.capacity_weeks.iter().sum::<f64>() * team.cost_per_week;
    }
    total + bought_pay(model, plan).iter().sum::<f64>()
}

/// Undiscounted pay of the people `plan` buys in each period (people times the option's cost
/// per week times the period's weeks, for every period of their run) and of every pool.
fn bought_pay(model: &Model, plan: &Plan) -> Vec<f64> {
    // A pool's people are paid every period, wherever they work: counted here with the
    // people bought, as both are paid whatever the plan delivers.
    let pools: f64 = model
        .pools
        .iter()
        .map(|q| q.people as f64 * q.cost_per_week * model.time.period_weeks)
        .sum();
    let mut pay = vec![pools; model.time.periods];
    for b in &plan.bought {
        let option = &model.extra_capacity[b.option];
        for slot in &mut pay[b.from..=b.to] {
            *slot += b.people as f64 * option.cost_per_week * model.time.period_weeks;
        }
    }
    pay
}

/// Expected spend `plan` books in each period, as a budget per period counts it
/// (scenarios/README.md, "Budget per period"): a feature's team weeks at the cost of the teams
/// paid by the week and its risks' expected effort, in its delivery period; its one-off costs
/// in its start period; its recurring cost in the months of each period it is paid; the
/// fixed-cost teams' whole capacity in every period.
pub fn period_spend(model: &Model, plan: &Plan, basis: &CheckBasis) -> Vec<f64> {
    let periods = model.time.periods;
    let week = model.time.period_weeks;
    let mut booked = vec![0.0; periods];
    for (p, slot) in booked.iter_mut().enumerate() {
        for team in model
            .teams
            .iter()
            .filter(|t| t.cost_kind == CostKind::Fixed)
        {
            *slot += team.capacity_weeks[p] * team.cost_per_week;
        }
    }
    for (f, t) in plan.planned().filter(|&(_, t)| t < periods) {
        let feature = &model.features[f];
        let team_time = basis.effort[f]
            .iter()
            .zip(&model.teams)
            .map(|(w, team)| w * by_the_week(team))
            .sum::<f64>();
        booked[t] += team_time;
        let one_off = feature.cost.map_or(0.0, |c| model.mean(c))
            + feature
                .risks
                .iter()
                .map(|r| r.probability * r.cost.map_or(0.0, |c| model.mean(c)))
                .sum::<f64>();
        let start = latest_start(model, basis, f, t);
        booked[start] += one_off;
        if let Some((from, monthly)) = recurring(model, f, t, start) {
            for (p, slot) in booked.iter_mut().enumerate() {
                let opens = p as f64 * week / WEEKS_PER_MONTH;
                let closes = (p + 1) as f64 * week / WEEKS_PER_MONTH;
                *slot += paid(model, from.max(opens), closes, &monthly, false);
            }
        }
    }
    for (slot, pay) in booked.iter_mut().zip(bought_pay(model, plan)) {
        *slot += pay;
    }
    booked
}

/// Discounted value-months of a customer stock, cohort by cohort: the customers a release in
/// period `t` wins in month k (the month's ramp weight, grown from the plan start) pay for
/// month k, and a share `retention`^(m - k) of them pays for each later month m, for the part
/// of it before the horizon.
fn cohort_months(
    model: &Model,
    calendar: &MoneyCalendar,
    t: usize,
    ramp: usize,
    growth: roadmap::model::InputId,
    retention: f64,
) -> f64 {
    let growth = model.mean(growth);
    let horizon = model.time.horizon_months;
    let weights = &calendar.weights[t][ramp];
    let mut total = 0.0;
    for (k, w) in weights.iter().enumerate() {
        let won = w * (1.0 + growth).powi(k as i32);
        total += won * calendar.month_discount[k];
        for m in k + 1..weights.len() {
            let part = (horizon - m as f64).min(1.0);
            total += won * retention.powi((m - k) as i32) * part * calendar.month_discount[m];
        }
    }
    total
}
