//! Prioritisation strategies: each turns a model into a priority order that the simulator
//! executes (the strategy tournament compares them on common random numbers).

use crate::model::value::MoneyCalendar;
use crate::model::{expect, Model, Order};
use serde::Serialize;

/// The built-in rules `--order` accepts by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Expected value over the horizon per expected person-week, mandatory features first.
    ValuePerEffort,
    /// Reach x impact x confidence / effort.
    Rice,
    /// Impact x confidence x ease.
    Ice,
    /// (Business value + time criticality + risk reduction) / job size.
    Wsjf,
    /// Cost of delay per period / duration.
    Cd3,
    /// Must, should, could, won't; value per effort within each.
    Moscow,
    ShortestJobFirst,
    HighestValueFirst,
    /// As the scenario lists the features.
    FileOrder,
    /// A seeded shuffle: the baseline any method should beat.
    Random,
}

/// A rule's order, the score behind it, and how missing framework fields were filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub order: Order,
    /// The rule's score per feature (higher first; NaN for rules without one).
    pub scores: Vec<f64>,
    /// One sentence per kind of field the rule derived from the model, with how many features.
    pub derived: Vec<String>,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::ValuePerEffort,
        Rule::Rice,
        Rule::Ice,
        Rule::Wsjf,
        Rule::Cd3,
        Rule::Moscow,
        Rule::ShortestJobFirst,
        Rule::HighestValueFirst,
        Rule::FileOrder,
        Rule::Random,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::ValuePerEffort => "value-per-effort",
            Rule::Rice => "rice",
            Rule::Ice => "ice",
            Rule::Wsjf => "wsjf",
            Rule::Cd3 => "cd3",
            Rule::Moscow => "moscow",
            Rule::ShortestJobFirst => "shortest-job-first",
            Rule::HighestValueFirst => "highest-value-first",
            Rule::FileOrder => "file-order",
            Rule::Random => "random",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Rule::ValuePerEffort => {
                "expected value per expected person-week, mandatory features first (earliest deadline first)"
            }
            Rule::Rice => "reach x impact x confidence / effort, mandatory features first (earliest deadline first)",
            Rule::Ice => "impact x confidence x ease, mandatory features first (earliest deadline first)",
            Rule::Wsjf => {
                "(business value + time criticality + risk reduction) / job size, mandatory features first (earliest deadline first)"
            }
            Rule::Cd3 => "cost of delay per period / duration, mandatory features first (earliest deadline first)",
            Rule::Moscow => "must (mandatory first, earliest deadline first), should, could, won't; value per effort within each",
            Rule::ShortestJobFirst => "least expected effort first, mandatory features first (earliest deadline first)",
            Rule::HighestValueFirst => "most expected value first, mandatory features first (earliest deadline first)",
            Rule::FileOrder => "the order of the scenario file",
            Rule::Random => "a seeded random order",
        }
    }

    pub fn parse(text: &str) -> Option<Rule> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Rule::ALL.into_iter().find(|r| {
            r.name() == t
                || (t == "value/effort" && *r == Rule::ValuePerEffort)
                || (t == "sjf" && *r == Rule::ShortestJobFirst)
                || (t == "hvf" && *r == Rule::HighestValueFirst)
        })
    }

    /// The rule's order over every feature (before prerequisites and exclusions are resolved).
    pub fn order(self, model: &Model) -> Order {
        self.rank(model, model.simulation.seed).order
    }

    /// The rule's order with its scores and derivations; `seed` drives `random` only.
    pub fn rank(self, model: &Model, seed: u64) -> Ranking {
        let n = model.features.len();
        let facts = Facts::new(model);
        let mut derived = Vec::new();
        let scores: Vec<f64> = match self {
            Rule::ValuePerEffort => (0..n)
                .map(|f| facts.per_effort(facts.value[f], f))
                .collect(),
            Rule::Rice => rice(model, &facts, &mut derived),
            Rule::Ice => ice(model, &facts, &mut derived),
            Rule::Wsjf => wsjf(model, &facts, &mut derived),
            Rule::Cd3 => cd3(model, &facts, &mut derived),
            Rule::Moscow => return moscow(model, &facts),
            Rule::ShortestJobFirst => facts.effort.iter().map(|e| -e).collect(),
            Rule::HighestValueFirst => facts.value.clone(),
            Rule::FileOrder => {
                return Ranking {
                    order: Order {
                        features: (0..n).collect(),
                    },
                    scores: vec![f64::NAN; n],
                    derived,
                }
            }
            Rule::Random => {
                let mut features: Vec<usize> = (0..n).collect();
                let mut state = seed ^ 0x005E_ED0F_0DE5;
                for i in (1..n).rev() {
                    state = crate::sample::stream::mix64(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
                    let j = (state % (i as u64 + 1)) as usize;
                    features.swap(i, j);
                }
                return Ranking {
                    order: Order { features },
                    scores: vec![f64::NAN; n],
                    derived,
                };
            }
        };
        Ranking {
            order: by_score(model, &scores),
            scores,
            derived,
        }
    }
}

/// Mandatory features first, earliest deadline first among them (a mandatory feature due in Q2
/// must not queue behind one due in Q3 because it scores lower), then by score (highest first),
/// ties in file order.
fn by_score(model: &Model, scores: &[f64]) -> Order {
    let mut features: Vec<usize> = (0..model.features.len()).collect();
    features.sort_by(|&a, &b| {
        let ma = !model.features[a].mandatory;
        let mb = !model.features[b].mandatory;
        ma.cmp(&mb)
            .then(committed_due(model, a).cmp(&committed_due(model, b)))
            .then(settled(scores[b]).total_cmp(&settled(scores[a])))
            .then(a.cmp(&b))
    });
    Order { features }
}

/// A score to 11 significant digits: scores equal on paper can differ in their last bits with
/// the order their sums were taken in, and that noise must not decide who goes first (ties go
/// to file order).
fn settled(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let scale = 10f64.powi(10 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// The period a mandatory feature is due by (features without a deadline after every dated
/// one); 0 for optional features, whose place the rule's score alone decides.
fn committed_due(model: &Model, f: usize) -> usize {
    let x = &model.features[f];
    if !x.mandatory {
        return 0;
    }
    x.deadline.map_or(usize::MAX, |d| d.period)
}

/// What the model says about each feature, in the units the frameworks' derived fields use.
struct Facts {
    /// Expected discounted value over the horizon if delivered at the end of the first period,
    /// with an equal share of each deal.
    value: Vec<f64>,
    /// The same if delivered one period later.
    value_later: Vec<f64>,
    /// Expected monthly value at full adoption (direct and through segments).
    monthly: Vec<f64>,
    /// Share of value kept after risk events, in expectation.
    keep: Vec<f64>,
    effort: Vec<f64>,
    /// Weeks the feature takes if each of its teams works on it alone at full capacity.
    duration_weeks: Vec<f64>,
}

impl Facts {
    fn new(model: &Model) -> Self {
        let value = expected_value_at(model, 0);
        let value_later = if model.time.periods > 1 {
            expected_value_at(model, 1)
        } else {
            vec![0.0; model.features.len()]
        };
        let effort: Vec<f64> = (0..model.features.len())
            .map(|f| expect::effort_weeks(model, f))
            .collect();
        let mut monthly = Vec::new();
        let mut keep = Vec::new();
        let mut duration_weeks = Vec::new();
        for (i, f) in model.features.iter().enumerate() {
            let k = expect::value_kept(model, i);
            let mut m = f.value_monthly.map_or(0.0, |v| model.mean(v));
            for u in &f.uplift {
                let s = &model.segments[u.segment];
                m += model.mean(s.demand) * model.mean(u.fraction) * model.mean(s.price);
            }
            monthly.push(m * k);
            keep.push(k);
            let weeks = f
                .effort
                .iter()
                .map(|e| {
                    let team = &model.teams[e.team];
                    let per_week = team.capacity_weeks.iter().sum::<f64>()
                        / (model.time.periods as f64 * model.time.period_weeks)
                        * model.mean(team.capacity_factor);
                    if per_week > 0.0 {
                        model.mean(e.weeks) / per_week
                    } else {
                        f64::INFINITY
                    }
                })
                .fold(0.0, f64::max);
            duration_weeks.push(weeks);
        }
        Facts {
            value,
            value_later,
            monthly,
            keep,
            effort,
            duration_weeks,
        }
    }

    /// x per expected person-week; a feature that takes no effort comes first.
    fn per_effort(&self, x: f64, f: usize) -> f64 {
        if self.effort[f] > 0.0 {
            x / self.effort[f]
        } else {
            f64::INFINITY
        }
    }

    /// Money lost per period of delay: value, one period of its deals, plus a share of what
    /// the features that require it lose.
    fn delay_cost(&self, model: &Model) -> Vec<f64> {
        let n = model.features.len();
        let mut cost: Vec<f64> = (0..n)
            .map(|f| {
                let mut c = (self.value[f] - self.value_later[f]).max(0.0);
                if let Some(d) = model.features[f].deadline {
                    if let crate::model::DeadlineKind::Soft { penalty_per_period } = d.kind {
                        c += penalty_per_period;
                    }
                }
                c
            })
            .collect();
        // Dependents first, so each feature passes on what it has gathered.
        for f in crate::model::plan::topological_order(model)
            .into_iter()
            .rev()
        {
            let feature = &model.features[f];
            let needs = feature.requires.len() + feature.requires_any.len();
            if needs == 0 {
                continue;
            }
            // An any-of group passes its share on to its alternatives, split evenly: any one
            // of them delays the feature.
            let share = cost[f] / needs as f64;
            for r in &feature.requires {
                cost[r.feature] += share;
            }
            for group in &feature.requires_any {
                for &g in &group.features {
                    cost[g] += share / group.features.len() as f64;
                }
            }
        }
        cost
    }
}

fn count(derived: &mut Vec<String>, how_many: usize, sentence: &str) {
    if how_many > 0 {
        derived.push(format!(
            "{} features: {sentence}",
            crate::model::dist::group_thousands(how_many as f64)
        ));
    }
}

/// Whether any feature scores this framework field on the scenario's own scale. When some do,
/// a feature without it counts 0 on that scale, as WSJF does: a value derived from money (tens of
/// thousands) next to the team's own scores (tens or hundreds) would jump the queue.
fn scored(model: &Model, field: impl Fn(&crate::model::FrameworkFields) -> Option<f64>) -> bool {
    model.features.iter().any(|f| field(&f.framework).is_some())
}

/// A framework field of one feature: its own score; 0 when it has none but the scenario scores
/// the field on its own scale (see [`scored`]); else the model's figure. Counts the features
/// whose field is missing and those whose field comes from the model, for the notes.
fn own_or_derived(
    own: Option<f64>,
    own_scale: bool,
    (missing, derived): (&mut usize, &mut usize),
    from_model: impl FnOnce() -> f64,
) -> f64 {
    match own {
        Some(v) => v,
        None if own_scale => {
            *missing += 1;
            0.0
        }
        None => {
            *derived += 1;
            from_model()
        }
    }
}

fn rice(model: &Model, facts: &Facts, derived: &mut Vec<String>) -> Vec<f64> {
    let own_scale = scored(model, |fw| fw.reach) || scored(model, |fw| fw.impact);
    let mut from_model = 0;
    let mut missing = 0;
    let mut confidence_from_model = 0;
    let scores = model
        .features
        .iter()
        .enumerate()
        .map(|(f, x)| {
            let fw = &x.framework;
            let reach_impact = match (fw.reach, fw.impact) {
                (Some(r), Some(i)) => r * i,
                (r, i) if own_scale => {
                    missing += 1;
                    r.unwrap_or(0.0) * i.unwrap_or(0.0)
                }
                _ => {
                    from_model += 1;
                    facts.monthly[f]
                }
            };
            // A share like the team's own confidence, so the model's figure keeps the scale.
            let confidence = fw.confidence.unwrap_or_else(|| {
                confidence_from_model += 1;
                facts.keep[f]
            });
            facts.per_effort(reach_impact * confidence, f)
        })
        .collect();
    count(derived, from_model, "reach x impact is the expected monthly value at full adoption (direct value plus demand x uplift x price), because no feature scores reach and impact");
    count(derived, missing, "a missing reach or impact counts 0 (the scenario scores the others on its own scale), so the feature scores 0");
    count(
        derived,
        confidence_from_model,
        "confidence is the expected share of value kept after risk events (1 without risks)",
    );
    scores
}

fn ice(model: &Model, facts: &Facts, derived: &mut Vec<String>) -> Vec<f64> {
    let impact_scale = scored(model, |fw| fw.impact);
    let ease_scale = scored(model, |fw| fw.ease);
    let (mut impact_derived, mut confidence_derived, mut ease_derived) = (0, 0, 0);
    let (mut impact_missing, mut ease_missing) = (0, 0);
    let scores = model
        .features
        .iter()
        .enumerate()
        .map(|(f, x)| {
            let fw = &x.framework;
            let impact = own_or_derived(
                fw.impact,
                impact_scale,
                (&mut impact_missing, &mut impact_derived),
                || facts.monthly[f],
            );
            let confidence = fw.confidence.unwrap_or_else(|| {
                confidence_derived += 1;
                facts.keep[f]
            });
            let ease = own_or_derived(
                fw.ease,
                ease_scale,
                (&mut ease_missing, &mut ease_derived),
                || {
                    if facts.effort[f] > 0.0 {
                        1.0 / facts.effort[f]
                    } else {
                        f64::INFINITY
                    }
                },
            );
            impact * confidence * ease
        })
        .collect();
    count(
        derived,
        impact_derived,
        "impact is the expected monthly value at full adoption",
    );
    count(
        derived,
        impact_missing,
        "a missing impact counts 0 (the scenario scores the others on its own scale)",
    );
    count(
        derived,
        confidence_derived,
        "confidence is the expected share of value kept after risk events",
    );
    count(derived, ease_derived, "ease is 1 / expected person-weeks");
    count(
        derived,
        ease_missing,
        "a missing ease counts 0 (the scenario scores the others on its own scale)",
    );
    scores
}

fn wsjf(model: &Model, facts: &Facts, derived: &mut Vec<String>) -> Vec<f64> {
    let given = model.features.iter().any(|f| {
        let fw = &f.framework;
        fw.business_value.is_some() || fw.time_criticality.is_some() || fw.risk_reduction.is_some()
    });
    let n = model.features.len();
    if given {
        // The team's own scale: missing parts count 0 rather than mixing in currency.
        let mut missing = 0;
        let scores = model
            .features
            .iter()
            .enumerate()
            .map(|(f, x)| {
                let fw = &x.framework;
                if fw.business_value.is_none()
                    || fw.time_criticality.is_none()
                    || fw.risk_reduction.is_none()
                {
                    missing += 1;
                }
                let cod = fw.business_value.unwrap_or(0.0)
                    + fw.time_criticality.unwrap_or(0.0)
                    + fw.risk_reduction.unwrap_or(0.0);
                facts.per_effort(cod, f)
            })
            .collect();
        count(derived, missing, "a missing business value, time criticality or risk reduction counts 0 (the scenario scores the others on its own scale); job size is the expected person-weeks");
        return scores;
    }
    let delay = facts.delay_cost(model);
    let own_delay: Vec<f64> = (0..n)
        .map(|f| (facts.value[f] - facts.value_later[f]).max(0.0))
        .collect();
    count(derived, n, "business value is the expected value over the horizon (with deal shares), time criticality the money lost per period of delay, risk reduction and opportunity enablement the delay cost it passes to the features that require it, all in currency; job size is the expected person-weeks");
    (0..n)
        .map(|f| {
            let enablement = (delay[f] - own_delay[f]).max(0.0);
            facts.per_effort(facts.value[f] + own_delay[f] + enablement, f)
        })
        .collect()
}

fn cd3(model: &Model, facts: &Facts, derived: &mut Vec<String>) -> Vec<f64> {
    let delay = facts.delay_cost(model);
    count(derived, model.features.len(), "cost of delay is the money lost per period of delay (value, soft-deadline penalties, and a share of what dependents lose); duration is the weeks its busiest team needs for it at full capacity");
    (0..model.features.len())
        .map(|f| {
            let d = facts.duration_weeks[f];
            if d > 0.0 {
                delay[f] / d
            } else {
                f64::INFINITY
            }
        })
        .collect()
}

fn moscow(model: &Model, facts: &Facts) -> Ranking {
    use crate::model::Moscow;
    let mut derived = Vec::new();
    let mut missing = 0;
    let mut in_dated_deal = vec![false; model.features.len()];
    for d in model.deals.iter().filter(|d| d.by_period.is_some()) {
        d.features.iter().for_each(|&f| in_dated_deal[f] = true);
    }
    let classes: Vec<Moscow> = model
        .features
        .iter()
        .enumerate()
        .map(|(f, x)| {
            if x.mandatory {
                return Moscow::Must;
            }
            x.framework.moscow.unwrap_or_else(|| {
                missing += 1;
                let dated = x.deadline.is_some() || in_dated_deal[f];
                if dated {
                    Moscow::Should
                } else {
                    Moscow::Could
                }
            })
        })
        .collect();
    count(&mut derived, missing, "no MoSCoW label: should when it has a deadline or is in a dated deal, could otherwise (mandatory features are musts)");
    let ratio: Vec<f64> = (0..model.features.len())
        .map(|f| facts.per_effort(facts.value[f], f))
        .collect();
    let mut features: Vec<usize> = (0..model.features.len()).collect();
    features.sort_by(|&a, &b| {
        classes[a]
            .cmp(&classes[b])
            .then((!model.features[a].mandatory).cmp(&!model.features[b].mandatory))
            .then(committed_due(model, a).cmp(&committed_due(model, b)))
            .then(settled(ratio[b]).total_cmp(&settled(ratio[a])))
            .then(a.cmp(&b))
    });
    Ranking {
        order: Order { features },
        scores: ratio,
        derived,
    }
}

/// Expected discounted value of each feature if delivered at the end of the first period: its
/// own value (direct and through segments, at mean demand, uplift, price and growth, less the
/// expected value loss of its risks, less its recurring cost) plus an equal share of each deal
/// it belongs to.
pub fn expected_value(model: &Model) -> Vec<f64> {
    expected_value_at(model, 0)
}

/// [`expected_value`] if delivered at the end of `period`.
pub fn expected_value_at(model: &Model, period: usize) -> Vec<f64> {
    let ramps: Vec<f64> = model.features.iter().map(|f| f.ramp_months).collect();
    let calendar = MoneyCalendar::new(&model.time, &ramps);
    let mut value: Vec<f64> = model
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let ramp = calendar.ramp_index(f.ramp_months);
            let keep = expect::value_kept(model, i);
            let direct =
                f.value_monthly.map_or(0.0, |v| model.mean(v)) * calendar.annuity[period][ramp];
            let segments: f64 = f
                .uplift
                .iter()
                .map(|u| {
                    let s = &model.segments[u.segment];
                    model.mean(s.demand)
                        * model.mean(u.fraction)
                        * model.mean(s.price)
                        * calendar.segment_annuity(
                            period,
                            ramp,
                            model.mean(s.growth),
                            s.retention.map(|r| model.mean(r)),
                        )
                })
                .sum();
            let value = (direct + segments) * keep;
            // Net of a recurring cost, which runs as long as the value does (or longer).
            match expect::recurring(model, i) {
                Some(r) => {
                    let open = f.earliest_period.unwrap_or(0);
                    let lead = expect::lead_weeks(model, i);
                    let start = model.time.planned_start(open, period, lead);
                    value - r.discounted_from(&calendar, r.from_months(&model.time, period, start))
                }
                None => value,
            }
        })
        .collect();
    for deal in &model.deals {
        let total = deal.one_off.map_or(0.0, |v| model.mean(v))
            * calendar.period_end_discount[period]
            + deal.monthly.map_or(0.0, |v| model.mean(v))
                * calendar.annuity[period][calendar.ramp_index(0.0)];
        let share = total / deal.features.len().max(1) as f64;
        for &f in &deal.features {
            value[f] += share;
        }
    }
    value
}

/// Mandatory features first, then by expected value per expected person-week (features that
/// take no effort first within each group), ties in file order.
pub fn value_per_effort(model: &Model) -> Order {
    Rule::ValuePerEffort.rank(model, 0).order
}
