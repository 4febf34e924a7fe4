//! What the files say, with ids still unresolved: the stage between reading and the model.

use super::finding::Location;
use crate::model::{
    CostKind, FrameworkFields, InputId, RecurringFrom, SimulationSettings, Status, TimeFrame,
};
use std::path::PathBuf;

/// A reference by id to something defined elsewhere, with where it was written.
#[derive(Debug, Clone)]
pub struct Ref {
    pub id: String,
    pub location: Location,
    pub field: String,
}

/// A period written as a label ("2027Q3"), a 1-based number, or a date ("2027-09-30").
#[derive(Debug, Clone)]
pub struct PeriodRef {
    pub text: String,
    pub location: Location,
    pub field: String,
}

#[derive(Debug, Clone)]
pub struct Defined {
    pub id: String,
    pub location: Location,
    /// `features[sso]`: the prefix of every field path inside.
    pub path: String,
}

#[derive(Debug, Default)]
pub struct DraftScenario {
    pub name: String,
    pub currency: String,
    pub time: Option<TimeFrame>,
    pub time_location: Option<Location>,
    pub budget: Option<f64>,
    pub budget_location: Option<Location>,
    pub budget_per_period: Option<Vec<f64>>,
    pub budget_per_period_location: Option<Location>,
    pub commit_confidence: Option<f64>,
    pub simulation: SimulationSettings,
    pub teams: Vec<DraftTeam>,
    pub extra_capacity: Vec<DraftExtraCapacity>,
    pub pools: Vec<DraftPool>,
    pub segments: Vec<DraftSegment>,
    pub themes: Vec<DraftTheme>,
    pub features: Vec<DraftFeature>,
    pub deals: Vec<DraftDeal>,
    pub common_risks: Vec<DraftCommonRisk>,
    pub correlations: Vec<DraftCorrelation>,
    pub backlog: Option<BacklogRef>,
    /// Ids of backlog rows the tracker marks dropped (canceled, a duplicate, won't do): not
    /// planned, and what requires them or a deal that waits for them does not wait for them.
    pub dropped: std::collections::HashSet<String>,
    pub calibration: Option<super::calibration::DraftCalibration>,
}

#[derive(Debug)]
pub struct DraftTeam {
    pub def: Defined,
    pub name: String,
    pub capacity_weeks: Vec<f64>,
    pub capacity_location: Location,
    pub capacity_factor: InputId,
    pub cost_per_week: f64,
    pub cost_kind: CostKind,
}

/// An `[[extra_capacity]]` table; the team's cost decides the defaults (see resolve).
#[derive(Debug)]
pub struct DraftExtraCapacity {
    pub def: Defined,
    pub name: String,
    pub team: Ref,
    pub kind: crate::model::staffing::ExtraKind,
    pub people: u32,
    pub cost_per_week: Option<f64>,
    /// Where the cost is written (or the table, when it is not).
    pub location: Location,
    pub capacity_per_person: Option<f64>,
    pub lead_weeks: f64,
    pub ramp_weeks: f64,
}

/// A `[[pools]]` table.
#[derive(Debug)]
pub struct DraftPool {
    pub def: Defined,
    pub name: String,
    pub teams: Vec<Ref>,
    pub people: u32,
    pub cost_per_week: f64,
    /// Where the cost is written (or the table, when it is not).
    pub location: Location,
    pub capacity_per_person: Option<f64>,
    pub capacity_factor: InputId,
}

#[derive(Debug)]
pub struct DraftSegment {
    pub def: Defined,
    pub name: String,
    pub demand: InputId,
    pub growth: InputId,
    pub price: InputId,
    /// The customer-stock reading's monthly retention (`new_customers` then counts sign-ups).
    pub retention: Option<InputId>,
}

#[derive(Debug)]
pub struct DraftTheme {
    pub def: Defined,
    pub name: String,
    pub min_share: f64,
    pub max_share: f64,
}

#[derive(Debug)]
pub struct DraftRisk {
    pub name: String,
    pub location: Location,
    pub field: String,
    /// Its own chance, or with `common`, the chance it hits the feature when the common risk
    /// happens.
    pub probability: f64,
    /// The common risk (`[[risks]]`) this is the feature's hit of.
    pub common: Option<Ref>,
    pub effort: Vec<(Ref, InputId)>,
    pub delay_weeks: Option<InputId>,
    pub cost: Option<InputId>,
    pub value_loss: f64,
}

#[derive(Debug, Clone, Copy)]
pub enum DraftDeadlineKind {
    Hard,
    Soft { penalty_per_period: f64 },
}

#[derive(Debug)]
pub struct DraftFeature {
    pub def: Defined,
    pub name: String,
    pub effort: Vec<(Ref, InputId)>,
    pub value_monthly: Option<InputId>,
    pub uplift: Vec<(Ref, InputId)>,
    pub ramp_months: f64,
    pub cost: Option<InputId>,
    pub vendor_lead_weeks: Option<InputId>,
    pub requires: Vec<(Ref, usize)>,
    /// Requirements any one of several features meets, with their lags.
    pub requires_any: Vec<DraftAnyOf>,
    pub excludes: Vec<Ref>,
    /// Teams stage by stage (`stages = ["backend", ["ios", "android"]]`).
    pub stages: Vec<Vec<Ref>>,
    pub mandatory: bool,
    pub deadline: Option<(PeriodRef, DraftDeadlineKind)>,
    /// A hard limit after a soft deadline's target.
    pub deadline_limit: Option<PeriodRef>,
    pub earliest: Option<PeriodRef>,
    pub theme: Option<Ref>,
    pub risks: Vec<DraftRisk>,
    pub framework: FrameworkFields,
    pub vendor_ready: Option<DraftVendorReady>,
    /// Whether the file gave an effort or a value at all (valid or not), so a broken
    /// estimate is not also reported as a missing one.
    pub effort_written: bool,
    pub value_written: bool,
    /// Where the feature's work stands when the plan starts.
    pub status: Status,
    /// The work that remains of a feature in progress, per team, when given; it replaces the
    /// effort.
    pub remaining: Option<Vec<(Ref, InputId)>>,
    pub recurring_cost: Option<DraftRecurring>,
}

/// An any-of requirement as written: `{ any = ["catalog-build", "catalog-buy"], lag = 1 }`,
/// or `catalog-build|catalog-buy` in a backlog CSV's requires cell.
#[derive(Debug, Clone)]
pub struct DraftAnyOf {
    pub features: Vec<Ref>,
    pub lag: usize,
    /// Where the group was written, and its field path (`features[search].requires[1]`).
    pub location: Location,
    pub field: String,
}

/// A feature's `recurring_cost`, its segment still an id.
#[derive(Debug)]
pub struct DraftRecurring {
    pub per_month: Option<InputId>,
    pub per_customer: Option<(Ref, InputId)>,
    pub from: RecurringFrom,
}

/// A vendor's ready date as written, with its uncertain slip in weeks.
#[derive(Debug)]
pub struct DraftVendorReady {
    pub date: PeriodRef,
    pub delay_weeks: Option<InputId>,
}

#[derive(Debug)]
pub struct DraftDeal {
    pub def: Defined,
    pub customer: String,
    pub features: Vec<Ref>,
    pub features_location: Location,
    pub one_off: Option<InputId>,
    pub monthly: Option<InputId>,
    pub by: Option<PeriodRef>,
    /// Any `need` of the features complete it (none: all of them).
    pub need: Option<(u64, Location)>,
    pub late_penalty: Option<(f64, Location)>,
    pub expires: Option<PeriodRef>,
    /// Payments on the way, each when its own features ship: resolved as deals of their own.
    pub milestones: Vec<DraftDeal>,
}

#[derive(Debug)]
pub struct DraftCorrelation {
    pub location: Location,
    pub field: String,
    /// Input names or patterns with `*` in place of an id (`features[*].effort.web`).
    pub inputs: Vec<(String, Location)>,
    pub rho: f64,
}

/// The `[backlog]` table: which CSV supplies features, and how to read it.
#[derive(Debug, Clone)]
pub struct BacklogRef {
    pub path: PathBuf,
    pub location: Location,
    pub options: super::backlog::BacklogOptions,
}

/// A `[[risks]]` table: an event that can hit several features at once.
#[derive(Debug)]
pub struct DraftCommonRisk {
    pub def: Defined,
    pub name: String,
    pub probability: f64,
}
