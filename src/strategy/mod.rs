//! Prioritisation strategies: each turns a model into a priority order that the simulator
//! executes (the strategy tournament compares them on common random numbers).

use crate::model::value::MoneyCalendar;
use crate::model::{Model, Order};
use serde::Serialize;

/// The built-in rules `--order` accepts by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Expected value over the horizon per expected person-week, mandatory features first.
    ValuePerEffort,
}

impl Rule {
    pub const ALL: [Rule; 1] = [Rule::ValuePerEffort];

    pub fn name(self) -> &'static str {
        match self {
            Rule::ValuePerEffort => "value-per-effort",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Rule::ValuePerEffort => {
                "expected value per expected person-week, mandatory features first"
            }
        }
    }

    pub fn parse(text: &str) -> Option<Rule> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Rule::ALL
            .into_iter()
            .find(|r| r.name() == t || (t == "value/effort" && *r == Rule::ValuePerEffort))
    }

    /// The rule's order over every feature (before prerequisites and exclusions are resolved).
    pub fn order(self, model: &Model) -> Order {
        match self {
            Rule::ValuePerEffort => value_per_effort(model),
        }
    }
}

/// Expected discounted value of each feature if delivered at the end of the first period: its
/// own value (direct and through segments, at mean demand, uplift, price and growth, less the
/// expected value loss of its risks) plus an equal share of each deal it belongs to.
pub fn expected_value(model: &Model) -> Vec<f64> {
    let ramps: Vec<f64> = model.features.iter().map(|f| f.ramp_months).collect();
    let calendar = MoneyCalendar::new(&model.time, &ramps);
    let mut value: Vec<f64> = model
        .features
        .iter()
        .map(|f| {
            let ramp = calendar.ramp_index(f.ramp_months);
            let keep: f64 = f
                .risks
                .iter()
                .map(|r| 1.0 - r.probability * r.value_loss)
                .product();
            let direct = f.value_monthly.map_or(0.0, |v| model.mean(v)) * calendar.annuity[0][ramp];
            let segments: f64 = f
                .uplift
                .iter()
                .map(|u| {
                    let s = &model.segments[u.segment];
                    model.mean(s.demand)
                        * model.mean(u.fraction)
                        * model.mean(s.price)
                        * calendar.growing_annuity(0, ramp, model.mean(s.growth))
                })
                .sum();
            (direct + segments) * keep
        })
        .collect();
    for deal in &model.deals {
        let total = deal.one_off.map_or(0.0, |v| model.mean(v)) * calendar.period_end_discount[0]
            + deal.monthly.map_or(0.0, |v| model.mean(v))
                * calendar.annuity[0][calendar.ramp_index(0.0)];
        let share = total / deal.features.len().max(1) as f64;
        for &f in &deal.features {
            value[f] += share;
        }
    }
    value
}

/// Expected person-weeks of each feature over all teams, risk efforts weighted by probability.
pub fn expected_effort(model: &Model) -> Vec<f64> {
    model
        .features
        .iter()
        .map(|f| {
            let base: f64 = f.effort.iter().map(|e| model.mean(e.weeks)).sum();
            let risk: f64 = f
                .risks
                .iter()
                .map(|r| r.probability * r.effort.iter().map(|e| model.mean(e.weeks)).sum::<f64>())
                .sum();
            base + risk
        })
        .collect()
}

/// Mandatory features first, then by expected value per expected person-week (features that
/// take no effort first within each group), ties in file order.
pub fn value_per_effort(model: &Model) -> Order {
    let value = expected_value(model);
    let effort = expected_effort(model);
    let ratio = |f: usize| {
        if effort[f] > 0.0 {
            value[f] / effort[f]
        } else {
            f64::INFINITY
        }
    };
    let mut features: Vec<usize> = (0..model.features.len()).collect();
    features.sort_by(|&a, &b| {
        let ma = !model.features[a].mandatory;
        let mb = !model.features[b].mandatory;
        ma.cmp(&mb)
            .then(ratio(b).total_cmp(&ratio(a)))
            .then(a.cmp(&b))
    });
    Order { features }
}
