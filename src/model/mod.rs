//! Pure domain types: what a validated scenario says, with ids resolved to indices.
//!
//! Every uncertain number is an entry of [`Model::inputs`], named by the same field
//! path that validation messages use (`features[sso].effort.web`), so correlations,
//! sensitivity and error messages all speak one language.

pub mod calendar;
pub mod dist;
pub mod expect;
pub mod linalg;
pub mod plan;
pub mod progress;
pub mod rank;
pub mod requires;
pub mod staffing;
pub mod time;
pub mod value;

pub use dist::Dist;
pub use plan::{Order, Plan};
pub use progress::{DoneFeature, Status};
pub use time::TimeFrame;

use serde::Serialize;

/// The model of a scenario given as TOML text, for the unit tests of everything that works on
/// a model; panics with the validation errors when the text is not a valid scenario.
#[cfg(test)]
pub(crate) fn test_model(text: &str) -> Model {
    match crate::scenario::load_text(std::path::Path::new("t.toml"), text.to_string(), &|p| {
        std::fs::read(p)
    }) {
        Ok(loaded) => loaded.model,
        Err(e) => panic!("test scenario does not validate: {e:?}"),
    }
}

/// Relative tolerance under which work "fits" capacity (and spend a budget, and a share its
/// bound): differences smaller than this share of the larger side are float noise. One rule for
/// validation, the plan checker and the simulator, so 3 x 0.7 person-weeks of work fits 2.1 of
/// capacity in all three (summed in floating point it is 2.1000000000000005). Loose enough to
/// absorb the MILP's feasibility and integrality tolerances on its rows.
pub const FIT_TOLERANCE: f64 = 1e-6;

/// Whether `need` exceeds `have` by more than float noise ([`FIT_TOLERANCE`]).
pub fn exceeds(need: f64, have: f64) -> bool {
    need - have > FIT_TOLERANCE * need.abs().max(have.abs()).max(1.0)
}

/// Index of an uncertain input in [`Model::inputs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct InputId(pub u32);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// Field path, e.g. `segments[smb].demand`.
    pub name: String,
    pub dist: Dist,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub name: String,
    pub currency: String,
    pub time: TimeFrame,
    pub inputs: Vec<Input>,
    pub teams: Vec<Team>,
    pub segments: Vec<Segment>,
    pub themes: Vec<Theme>,
    /// The features still to deliver: not started, or in progress with their remaining work.
    pub features: Vec<Feature>,
    /// Features shipped before the plan starts: in no plan, for the reports to show.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<DoneFeature>,
    pub deals: Vec<Deal>,
    /// Events that can hit several features at once; each feature's hit is one of its risks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub common_risks: Vec<CommonRisk>,
    /// People a plan may add to teams (`[[extra_capacity]]`): hires and contractors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_capacity: Vec<staffing::ExtraCapacity>,
    /// People who can work for more than one team, placed by the plan (`[[pools]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<staffing::Pool>,
    pub correlations: Vec<Correlation>,
    /// Total spend allowed over the plan: team weeks at their cost plus fixed and vendor costs.
    pub budget: Option<f64>,
    /// Spend allowed in each period, as the plan books it: team time in the period a feature
    /// is released in, one-off costs in the period it starts in.
    pub budget_per_period: Option<Vec<f64>>,
    /// The share of futures in which a recommended plan's commitments must hold.
    pub commit_confidence: f64,
    pub simulation: SimulationSettings,
    /// The correction of the teams' estimates the scenario carries, if any: every report says
    /// so, since every figure depends on it.
    pub calibration: Option<Calibrated>,
}

/// A scenario's `[calibration]`, as applied: from which history, how many items, which teams.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibrated {
    pub source: Option<String>,
    pub items: u64,
    pub teams: Vec<String>,
}

/// `[plan] commit_confidence` when a scenario does not say: commitments hold in 80% of futures.
pub const DEFAULT_COMMIT_CONFIDENCE: f64 = 0.8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationSettings {
    pub trials: u64,
    pub seed: u64,
}

impl Default for SimulationSettings {
    fn default() -> Self {
        SimulationSettings {
            trials: 10_000,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// Person-weeks available in each period.
    pub capacity_weeks: Vec<f64>,
    /// Multiplier on capacity (attrition, support load); constant 1 when certain.
    pub capacity_factor: InputId,
    pub cost_per_week: f64,
    /// Whether the team is paid for its weeks of work on features or for its whole capacity.
    #[serde(skip_serializing_if = "CostKind::is_variable")]
    pub cost_kind: CostKind,
}

/// How a team's `cost_per_week` is charged (scenarios/README.md, "How value and cost are
/// counted").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Per person-week worked on features (contractors, agencies): a feature left out saves
    /// its weeks. The default, and how every team was counted before teams could say.
    #[default]
    Variable,
    /// The whole capacity, every period of the plan, whatever the plan holds (salaried
    /// teams): a constant that no plan changes, so leaving a feature out saves nothing.
    Fixed,
}

impl CostKind {
    pub fn is_variable(&self) -> bool {
        *self == CostKind::Variable
    }

    pub fn name(self) -> &'static str {
        match self {
            CostKind::Variable => "variable",
            CostKind::Fixed => "fixed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "variable" => Some(CostKind::Variable),
            "fixed" => Some(CostKind::Fixed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub id: String,
    pub name: String,
    /// Accounts (or users) per month: those the segment offers every month (`demand`), or,
    /// with a retention, the new customers who sign up every month (`new_customers`).
    pub demand: InputId,
    /// Monthly growth rate of demand (0.02 = 2% a month).
    pub growth: InputId,
    /// Revenue per account per month, in the plan's currency.
    pub price: InputId,
    /// The customer-stock reading: customers won stay and pay every month, and this share of
    /// them is still there a month later. Without it a feature's share of the month's demand
    /// is the flow it earns that month, which is the stock reading with a retention of 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<InputId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub id: String,
    pub name: String,
    /// Minimum and maximum share of total capacity spent on the theme's features, in [0, 1].
    pub min_share: f64,
    pub max_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effort {
    pub team: usize,
    /// Person-weeks.
    pub weeks: InputId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uplift {
    pub segment: usize,
    /// Fraction of the segment's demand won (0.05 = 5%).
    pub fraction: InputId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub feature: usize,
    /// Periods that must pass between the required feature's delivery and this one's.
    pub lag_periods: usize,
}

/// A requirement that any one of several features meets ("a catalog, built or bought"): the
/// feature waits for the first of them delivered, plus the lag. Validation leaves out an
/// alternative that needs the feature back (it could never come first), so a group may hold a
/// single feature; it then reads as a plain requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnyOf {
    pub features: Vec<usize>,
    /// Periods that must pass between the first alternative's delivery and this one's.
    pub lag_periods: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Delivery after the period is not allowed.
    Hard,
    /// Delivery after the period costs `penalty_per_period` for each period late.
    Soft { penalty_per_period: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deadline {
    /// 0-based period by whose end the feature is due (with a `limit`: its soft target).
    pub period: usize,
    pub kind: DeadlineKind,
    /// A hard limit after a soft target (`{ target, limit, penalty }`): delivery after this
    /// 0-based period is not allowed, while each period after the target costs the penalty.
    /// Only on a soft deadline, and always after its period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl Deadline {
    /// The last period delivery is allowed in: a hard deadline's period, or a target's limit.
    pub fn hard_period(&self) -> Option<usize> {
        match self.kind {
            DeadlineKind::Hard => Some(self.period),
            DeadlineKind::Soft { .. } => self.limit,
        }
    }

    /// The soft target and its penalty per period late.
    pub fn soft(&self) -> Option<(usize, f64)> {
        match self.kind {
            DeadlineKind::Soft { penalty_per_period } => Some((self.period, penalty_per_period)),
            DeadlineKind::Hard => None,
        }
    }
}

/// A vendor part promised for a calendar date, whatever the plan's start: the feature cannot
/// complete before the end of that day, plus an uncertain slip when the contract may run late.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorReady {
    pub date: calendar::Date,
    /// The end of `date`, in weeks from the plan start (0 when it is before the plan starts).
    pub weeks: f64,
    /// Weeks the part may arrive after the date.
    pub delay_weeks: Option<InputId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Moscow {
    Must,
    Should,
    Could,
    Wont,
}

impl Moscow {
    pub fn parse(text: &str) -> Option<Self> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['\'', '-', '_'], " ")
            .as_str()
        {
            "must" | "must have" | "m" => Some(Moscow::Must),
            "should" | "should have" | "s" => Some(Moscow::Should),
            "could" | "could have" | "c" => Some(Moscow::Could),
            "wont" | "won t" | "wont have" | "won t have" | "w" => Some(Moscow::Wont),
            _ => None,
        }
    }
}

/// Inputs that prioritisation frameworks read; absent ones are derived by each strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrameworkFields {
    pub reach: Option<f64>,
    pub impact: Option<f64>,
    /// In [0, 1].
    pub confidence: Option<f64>,
    pub ease: Option<f64>,
    pub moscow: Option<Moscow>,
    pub business_value: Option<f64>,
    pub time_criticality: Option<f64>,
    pub risk_reduction: Option<f64>,
}

/// Something that may happen to a feature, with a probability and what it costs when it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskEvent {
    pub name: String,
    /// The chance it happens in a future: for a hit of a common risk, the common risk's
    /// probability times `common.given`.
    pub probability: f64,
    /// The common risk this is one feature's hit of, if any: it happens only in the futures
    /// where the common risk does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common: Option<CommonHit>,
    /// Extra person-weeks per team when the event happens.
    pub effort: Vec<Effort>,
    /// Extra weeks before the feature can complete (vendor or certification delay).
    pub delay_weeks: Option<InputId>,
    /// Extra one-off cost.
    pub cost: Option<InputId>,
    /// Fraction of the feature's value lost, in [0, 1].
    pub value_loss: f64,
}

/// An event that can hit several features at once (a regulator's follow-up questionnaire, a
/// platform migration that goes wrong): each future draws it once, so the features it hits
/// are delayed or cost more together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonRisk {
    pub id: String,
    pub name: String,
    pub probability: f64,
}

/// How a common risk hits one feature.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CommonHit {
    /// Index into `Model::common_risks`.
    pub risk: usize,
    /// The chance the feature is hit when the common risk happens (1: always).
    pub given: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feature {
    pub id: String,
    pub name: String,
    pub effort: Vec<Effort>,
    /// Direct value: currency per month at full adoption.
    pub value_monthly: Option<InputId>,
    /// Value through segments: demand x fraction x price per month, per segment.
    pub uplift: Vec<Uplift>,
    /// Months from delivery to full adoption (linear ramp); 0 = immediate.
    pub ramp_months: f64,
    /// One-off fixed or vendor cost.
    pub cost: Option<InputId>,
    /// Weeks from the start of work until the vendor part is available.
    pub vendor_lead_weeks: Option<InputId>,
    /// A calendar date before which the vendor part is not available, whatever the start.
    pub vendor_ready: Option<VendorReady>,
    pub requires: Vec<Requirement>,
    /// Order inside the feature: team indices stage by stage; a stage's teams start their
    /// part only in a period after every team of the stage before has finished its own.
    /// Teams not listed work from the start. Empty: every team works in parallel.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Vec<usize>>,
    /// Requirements any one of several features meets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires_any: Vec<AnyOf>,
    pub excludes: Vec<usize>,
    pub mandatory: bool,
    pub deadline: Option<Deadline>,
    /// 0-based period before which no work may start.
    pub earliest_period: Option<usize>,
    pub theme: Option<usize>,
    pub risks: Vec<RiskEvent>,
    pub framework: FrameworkFields,
    /// Not started, or in progress (then `effort` is the work that remains).
    #[serde(skip_serializing_if = "Status::is_not_started")]
    pub status: Status,
    /// Money paid every month from the feature's release (or start) to the horizon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_cost: Option<RecurringCost>,
}

/// When a recurring cost starts to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecurringFrom {
    /// From the feature's release (the end of its delivery period): a licence or an API used
    /// by the shipped feature. Never paid for a feature that is not released.
    #[default]
    Release,
    /// From the feature's start (the plan's start of it; under an order, when work begins):
    /// a vendor contract signed to build it.
    Start,
}

impl RecurringFrom {
    pub fn name(self) -> &'static str {
        match self {
            RecurringFrom::Release => "release",
            RecurringFrom::Start => "start",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "release" => Some(RecurringFrom::Release),
            "start" => Some(RecurringFrom::Start),
            _ => None,
        }
    }
}

/// A feature's recurring cost: a flat amount per month, an amount per customer of a segment
/// per month (its demand, growing with it), or both, from its release or start to the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringCost {
    /// Currency per month.
    pub per_month: Option<InputId>,
    /// Currency per account (or user) of the segment per month.
    pub per_customer: Option<PerCustomer>,
    pub from: RecurringFrom,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PerCustomer {
    pub segment: usize,
    pub amount: InputId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deal {
    pub id: String,
    pub customer: String,
    pub features: Vec<usize>,
    /// Paid once when the deal completes: when its last feature ships (the `need`-th, for a
    /// deal that takes any `need` of them), in time.
    pub one_off: Option<InputId>,
    /// Paid every month from then to the horizon.
    pub monthly: Option<InputId>,
    /// The period the customer expects it by. Late, the deal is lost, unless it has a
    /// `late_penalty`.
    pub by_period: Option<usize>,
    /// How many of `features` complete the deal: all of them, or any `need` of them.
    pub need: usize,
    /// Taken off what the deal pays for each period it completes after `by_period`, at each
    /// late period's end: a clawback for late delivery. With it a late deal is still won, up
    /// to `expires_period`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_penalty: Option<f64>,
    /// The last period in which the deal can be won at all: after it the customer walks away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_period: Option<usize>,
}

impl Deal {
    /// The last period in which completing the deal still wins it; `None`: any period.
    pub fn last_period(&self) -> Option<usize> {
        let due = if self.late_penalty.is_some() {
            None
        } else {
            self.by_period
        };
        match (due, self.expires_period) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The period the deal completes in, from each feature's delivery period (`None`: not
    /// delivered): the `need`-th earliest. Whether that wins it is [`Deal::last_period`]'s.
    pub fn completion(&self, period_of: impl Fn(usize) -> Option<usize>) -> Option<usize> {
        need_th(self.features.iter().map(|&f| period_of(f)), self.need)
    }

    /// The periods after `by_period` that a deal completed in `period` pays its late penalty
    /// for (none without a penalty).
    pub fn late_periods(&self, period: usize) -> impl Iterator<Item = usize> {
        self.late_penalty
            .and(self.by_period)
            .map(|by| by + 1..=period)
            .into_iter()
            .flatten()
    }
}

/// The `need`-th smallest of the known periods: when `need` of them have all come. A deal
/// completes so, and its window in the optimizer opens so.
pub fn need_th(periods: impl Iterator<Item = Option<usize>>, need: usize) -> Option<usize> {
    let mut known: Vec<usize> = periods.flatten().collect();
    if known.len() < need.max(1) {
        return None;
    }
    known.sort_unstable();
    Some(known[need.max(1) - 1])
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub a: InputId,
    pub b: InputId,
    /// Spearman rank correlation in [-1, 1].
    pub rho: f64,
}

impl Model {
    pub fn input(&self, id: InputId) -> &Input {
        &self.inputs[id.0 as usize]
    }

    pub fn dist(&self, id: InputId) -> &Dist {
        &self.inputs[id.0 as usize].dist
    }

    pub fn mean(&self, id: InputId) -> f64 {
        self.dist(id).mean()
    }

    /// Nothing is uncertain: every input is a constant and every risk event certain either way.
    /// Then one simulated future is every future, and the optimizer's objective is a plan's
    /// simulated NPV exactly.
    pub fn is_certain(&self) -> bool {
        self.inputs.iter().all(|i| i.dist.is_constant())
            && self.features.iter().all(|f| {
                f.risks
                    .iter()
                    .all(|r| r.probability == 0.0 || r.probability == 1.0)
            })
    }

    pub fn feature_index(&self, id: &str) -> Option<usize> {
        self.features.iter().position(|f| f.id == id)
    }

    /// Every feature's index by id, for looking up many: [`Model::feature_index`] searches.
    pub fn feature_indices(&self) -> std::collections::HashMap<&str, usize> {
        let mut map = std::collections::HashMap::with_capacity(self.features.len());
        for (f, feature) in self.features.iter().enumerate() {
            map.entry(feature.id.as_str()).or_insert(f);
        }
        map
    }

    /// Per feature, the features it may not ship with, whichever side declared the pair:
    /// found once, for loops over every feature that would otherwise scan all the others.
    pub fn excluded_with(&self) -> Vec<Vec<usize>> {
        let mut with: Vec<Vec<usize>> = vec![Vec::new(); self.features.len()];
        for (f, feature) in self.features.iter().enumerate() {
            for &g in &feature.excludes {
                with[f].push(g);
                with[g].push(f);
            }
        }
        for list in &mut with {
            list.sort_unstable();
            list.dedup();
        }
        with
    }

    pub fn team_index(&self, id: &str) -> Option<usize> {
        self.teams.iter().position(|t| t.id == id)
    }

    /// Total person-weeks of capacity per team over the whole plan, before uncertainty.
    pub fn total_capacity_weeks(&self, team: usize) -> f64 {
        self.teams[team].capacity_weeks.iter().sum()
    }

    /// Count of inputs that are not constants.
    pub fn uncertain_input_count(&self) -> usize {
        self.inputs.iter().filter(|i| !i.dist.is_constant()).count()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn exclusions_are_found_from_either_side_once() {
        // a excludes b and c; c also declares a, and d declares b.
        let mut text =
            String::from("[plan]\nperiods = 2\n[[teams]]\nid = \"web\"\ncapacity = 10\n");
        for (id, excludes) in [
            ("a", "[\"b\", \"c\"]"),
            ("b", "[]"),
            ("c", "[\"a\"]"),
            ("d", "[\"b\"]"),
            ("e", "[]"),
        ] {
            text.push_str(&format!(
                "[[features]]\nid = \"{id}\"\neffort = {{ web = 1 }}\nvalue = 100\nexcludes = {excludes}\n"
            ));
        }
        let model = super::test_model(&text);
        let with = model.excluded_with();
        let ids = |f: usize| -> Vec<&str> {
            with[f]
                .iter()
                .map(|&g| model.features[g].id.as_str())
                .collect()
        };
        assert_eq!(ids(0), ["b", "c"]);
        assert_eq!(ids(1), ["a", "d"]);
        assert_eq!(ids(2), ["a"]);
        assert_eq!(ids(3), ["b"]);
        assert!(ids(4).is_empty());
    }
}
