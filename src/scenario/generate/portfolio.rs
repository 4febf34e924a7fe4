//! The generated portfolio before it is written: estimates, teams, segments, features,
//! deals, and the generator's state with the seeded draws every step makes in a fixed order.

use super::*;

/// A three-point estimate [low, likely, high] (PERT).
#[derive(Debug, Clone, Copy)]
pub(super) struct Est {
    pub(super) low: f64,
    pub(super) likely: f64,
    pub(super) high: f64,
}

impl Est {
    pub(super) fn new(low: f64, likely: f64, high: f64) -> Self {
        Est {
            low: low.min(likely),
            likely,
            high: high.max(likely),
        }
    }

    pub(super) fn mean(&self) -> f64 {
        (self.low + 4.0 * self.likely + self.high) / 6.0
    }

    pub(super) fn is_constant(&self) -> bool {
        self.low == self.high
    }

    pub(super) fn toml(&self) -> String {
        if self.is_constant() {
            num(self.likely)
        } else {
            format!(
                "[{}, {}, {}]",
                num(self.low),
                num(self.likely),
                num(self.high)
            )
        }
    }
}

pub(super) struct Team {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) areas: &'static [Area],
    pub(super) weight: f64,
    pub(super) cost_per_week: f64,
    pub(super) factor: Option<Est>,
    /// Person-weeks per period.
    pub(super) capacity: Vec<f64>,
}

impl Team {
    pub(super) fn factor_mean(&self) -> f64 {
        self.factor.map_or(1.0, |f| f.mean())
    }
}

pub(super) struct Segment {
    pub(super) kind: &'static SegmentKind,
    /// p10 and p90 of a lognormal, or a known demand (p10 == p90).
    pub(super) demand: (f64, f64),
    pub(super) price: Est,
    pub(super) growth: Est,
}

impl Segment {
    pub(super) fn demand_mean(&self) -> f64 {
        let (p10, p90) = self.demand;
        if p10 == p90 {
            return p10;
        }
        let z90 = 1.281_551_565_544_600_4;
        let mu = (p10.ln() + p90.ln()) / 2.0;
        let sigma = (p90.ln() - p10.ln()) / (2.0 * z90);
        (mu + sigma * sigma / 2.0).exp()
    }

    /// Expected monthly revenue the whole segment stands for: demand x price.
    pub(super) fn pool(&self) -> f64 {
        self.demand_mean() * self.price.mean()
    }
}

pub(super) enum RiskImpact {
    Effort(usize, Est),
    DelayWeeks(Est),
    Cost(Est),
    ValueLoss(f64),
}

pub(super) struct Risk {
    pub(super) name: &'static str,
    pub(super) probability: f64,
    pub(super) impact: RiskImpact,
}

#[derive(Default)]
pub(super) struct Framework {
    pub(super) reach: f64,
    pub(super) impact: f64,
    pub(super) confidence: f64,
    pub(super) ease: f64,
    pub(super) moscow: &'static str,
    pub(super) business_value: f64,
    pub(super) time_criticality: f64,
    pub(super) risk_reduction: f64,
}

#[derive(Clone, Copy)]
pub(super) enum DeadlineKind {
    Hard,
    Soft { penalty: f64 },
}

pub(super) struct Feature {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) area: Area,
    /// (team, estimate); the first is the team that leads the work.
    pub(super) effort: Vec<(usize, Est)>,
    /// Expected monthly value at full adoption this feature was drawn with.
    pub(super) target_value: f64,
    /// Share of the target value won through segments, per segment.
    pub(super) segment_shares: Vec<(usize, f64)>,
    pub(super) value: Option<Est>,
    pub(super) uplift: Vec<(usize, Est)>,
    pub(super) ramp_months: u32,
    pub(super) cost: Option<Est>,
    pub(super) vendor_lead_weeks: Option<Est>,
    pub(super) requires: Vec<(usize, usize)>,
    pub(super) excludes: Option<usize>,
    /// Part of an excluded pair (either side).
    pub(super) alternative: bool,
    pub(super) mandatory: bool,
    pub(super) deadline: Option<(usize, DeadlineKind)>,
    pub(super) earliest: Option<usize>,
    pub(super) theme: Option<usize>,
    pub(super) risks: Vec<Risk>,
    pub(super) framework: Framework,
    /// Earliest period it can be delivered in (0-based), as validation computes it.
    pub(super) earliest_delivery: usize,
    /// This feature and everything it requires, directly or not.
    pub(super) closure: Bits,
    pub(super) enabler: bool,
    pub(super) big_bet: bool,
    pub(super) in_dated_deal: bool,
}

impl Feature {
    /// The feature at `index` as first drawn: its id (numbered from 1, zero-padded to
    /// `width` digits), name and area, among `features` in all, with no effort, value,
    /// links, dates, risks or scores yet, which the generator adds in turn.
    pub(super) fn drawn(
        index: usize,
        width: usize,
        name: String,
        area: Area,
        features: usize,
    ) -> Feature {
        Feature {
            id: format!("f-{:0width$}", index + 1),
            name,
            area,
            effort: Vec::new(),
            target_value: 0.0,
            segment_shares: Vec::new(),
            value: None,
            uplift: Vec::new(),
            ramp_months: 0,
            cost: None,
            vendor_lead_weeks: None,
            requires: Vec::new(),
            excludes: None,
            alternative: false,
            mandatory: false,
            deadline: None,
            earliest: None,
            theme: None,
            risks: Vec::new(),
            framework: Framework::default(),
            earliest_delivery: 0,
            closure: Bits::new(features),
            enabler: false,
            big_bet: false,
            in_dated_deal: false,
        }
    }

    pub(super) fn likely_weeks(&self) -> f64 {
        self.effort.iter().map(|(_, e)| e.likely).sum()
    }

    /// Expected person-weeks per team, risk efforts weighted by their probability.
    pub(super) fn expected_effort(&self) -> Vec<(usize, f64)> {
        let mut out: Vec<(usize, f64)> = self.effort.iter().map(|(t, e)| (*t, e.mean())).collect();
        for r in &self.risks {
            if let RiskImpact::Effort(t, e) = &r.impact {
                match out.iter_mut().find(|(u, _)| u == t) {
                    Some(slot) => slot.1 += r.probability * e.mean(),
                    None => out.push((*t, r.probability * e.mean())),
                }
            }
        }
        out
    }

    /// Expected monthly value of the written estimates (uplift via segment means).
    pub(super) fn expected_value(&self, segments: &[Segment]) -> f64 {
        self.value.map_or(0.0, |v| v.mean())
            + self
                .uplift
                .iter()
                .map(|(s, u)| u.mean() * segments[*s].pool())
                .sum::<f64>()
    }
}

pub(super) struct Deal {
    pub(super) id: String,
    pub(super) customer: String,
    pub(super) features: Vec<usize>,
    pub(super) one_off: Option<f64>,
    pub(super) monthly: Option<Est>,
    pub(super) by: Option<usize>,
}

pub(super) struct ThemeDef {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) min_share: f64,
    pub(super) max_share: f64,
}

/// A fixed-size bit set over feature indices.
#[derive(Clone)]
pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub(super) fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub(super) fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    pub(super) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }

    pub(super) fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// Committed work, as the capacity check sees it: (forced by a mandatory feature, due period).
pub(super) type Commitments = Vec<Option<(bool, usize)>>;

/// Forced (mandatory) work must stay within this share of capacity in every run of periods,
/// and all committed work (deadlines too) within the second: the check fails at 1.
pub(super) const FORCED_SHARE: f64 = 0.5;
pub(super) const COMMITTED_SHARE: f64 = 0.8;

pub(super) struct Generator<'a> {
    pub(super) spec: &'a GenerateSpec,
    pub(super) rng: Xoshiro256PlusPlus,
    pub(super) period_weeks: f64,
    pub(super) labels: Vec<String>,
    pub(super) median_value: f64,
    pub(super) teams: Vec<Team>,
    pub(super) segments: Vec<Segment>,
    pub(super) features: Vec<Feature>,
    /// Excluded pairs (a, b), a < b.
    pub(super) exclusions: Vec<(usize, usize)>,
    pub(super) themes: Vec<ThemeDef>,
    pub(super) deals: Vec<Deal>,
    /// Expected person-weeks of each feature per team, risks included, once features are made.
    pub(super) efforts: Vec<Vec<(usize, f64)>>,
    /// Commitments admitted so far, per feature, and the features that have one.
    pub(super) committed: Commitments,
    pub(super) committed_list: Vec<usize>,
    /// How often each feature name was given, so repeats become later phases.
    pub(super) names: HashMap<String, u32>,
    pub(super) budget: Option<f64>,
    pub(super) backlog_ratio: f64,
}

impl<'a> Generator<'a> {
    pub(super) fn new(spec: &'a GenerateSpec) -> Self {
        let quarters = spec.periods <= 8;
        let labels = (0..spec.periods)
            .map(|p| {
                if quarters {
                    format!("{}Q{}", 2027 + p / 4, p % 4 + 1)
                } else {
                    format!("Sprint {}", p + 1)
                }
            })
            .collect();
        Generator {
            spec,
            rng: Xoshiro256PlusPlus::seed_from_u64(spec.seed),
            period_weeks: if quarters { 13.0 } else { 2.0 },
            labels,
            median_value: 0.0,
            teams: Vec::new(),
            segments: Vec::new(),
            features: Vec::new(),
            exclusions: Vec::new(),
            themes: Vec::new(),
            deals: Vec::new(),
            efforts: Vec::new(),
            committed: Vec::new(),
            committed_list: Vec::new(),
            names: HashMap::new(),
            budget: None,
            backlog_ratio: 2.0,
        }
    }

    pub(super) fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.rng.random::<f64>()
    }

    pub(super) fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.rng)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    pub(super) fn index(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n)
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index drawn in proportion to `weights` (not all zero).
    pub(super) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut u = self.rng.random::<f64>() * total;
        for (i, w) in weights.iter().enumerate() {
            if u < *w {
                return i;
            }
            u -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }

    pub(super) fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    pub(super) fn months_per_period(&self) -> f64 {
        self.period_weeks * 12.0 / 52.0
    }

    pub(super) fn last_period(&self) -> usize {
        self.spec.periods - 1
    }
}

/// `x` rounded to `digits` significant digits, as the f64 nearest that short decimal (so
/// it prints as written).
pub(super) fn sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return 0.0;
    }
    let decimals = digits - 1 - x.abs().log10().floor() as i32;
    if decimals >= 0 {
        format!("{:.*}", decimals as usize, x).parse().unwrap_or(x)
    } else {
        let step = 10f64.powi(-decimals);
        (x / step).round() * step
    }
}

/// `x` rounded to a multiple of 1/steps (0.05 for 20), as the nearest f64 of that decimal.
pub(super) fn round_to(x: f64, steps: f64) -> f64 {
    (x * steps).round() / steps
}
