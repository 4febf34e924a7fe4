//! A seeded generator of synthetic but plausible scenarios: product backlogs with the
//! structure that makes prioritisation hard (skewed values, big bets that are also big,
//! enablers worth nothing on their own, alternatives, deadlines, deals, shared segments,
//! framework scores that are noisy guesses of the model's values).
//!
//! The same spec always gives the same bytes: one RNG seeded from the spec, drawn in a fixed
//! order, and no iteration over hash maps. Every generated scenario validates without
//! errors; commitments (mandatory work, deadlines and what they require) are admitted one
//! at a time only while they fit well inside capacity, so it also validates without warnings.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What to generate. Build it with [`GenerateSpec::new`] (the defaults) and check it with
/// [`GenerateSpec::check`] before calling [`generate`].
#[derive(Debug, Clone)]
pub struct GenerateSpec {
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
    pub seed: u64,
    /// Skew of feature values: 0 = all alike, 1 = default (a few features carry most value), 2 = extreme.
    pub value_skew: f64,
    /// Width of estimates: 1 = default (high about 2x low), 0 = near-certain, 2 = very uncertain.
    pub uncertainty: f64,
    /// Share of features that require an earlier one (default 0.25).
    pub dependency_density: f64,
    /// Rank correlation of each team's effort estimates (0 = none, the default; up to 0.8).
    pub effort_correlation: f64,
    /// Customer deals per feature (default 0.05: one deal per 20 features; up to 0.5).
    pub deal_rate: f64,
}

pub const MAX_FEATURES: usize = 20_000;
pub const MAX_TEAMS: usize = 50;
pub const MAX_PERIODS: usize = 104;

impl GenerateSpec {
    pub fn new(features: usize, teams: usize, periods: usize, seed: u64) -> Self {
        GenerateSpec {
            features,
            teams,
            periods,
            seed,
            value_skew: 1.0,
            uncertainty: 1.0,
            dependency_density: 0.25,
            effort_correlation: 0.0,
            deal_rate: 0.05,
        }
    }

    /// Every size and knob in its range; the message names the allowed range.
    pub fn check(&self) -> Result<(), String> {
        let count = |what: &str, v: usize, max: usize| {
            if (1..=max).contains(&v) {
                Ok(())
            } else {
                Err(format!("{what} must be from 1 to {max}, got {v}"))
            }
        };
        count("the number of features", self.features, MAX_FEATURES)?;
        count("the number of teams", self.teams, MAX_TEAMS)?;
        count("the number of periods", self.periods, MAX_PERIODS)?;
        let knob = |what: &str, v: f64, max: f64, meaning: &str| {
            if (0.0..=max).contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "{what} must be from 0 to {max} ({meaning}), got {v}"
                ))
            }
        };
        knob(
            "the value skew",
            self.value_skew,
            2.0,
            "0 = all alike, 1 = default, 2 = extreme",
        )?;
        knob(
            "the uncertainty",
            self.uncertainty,
            2.0,
            "0 = near-certain, 1 = default, 2 = very uncertain",
        )?;
        knob(
            "the dependency density",
            self.dependency_density,
            1.0,
            "the share of features that require an earlier one; default 0.25",
        )?;
        knob(
            "the effort correlation",
            self.effort_correlation,
            0.8,
            "rank correlation of one team's estimates; default 0",
        )?;
        knob(
            "the deal rate",
            self.deal_rate,
            0.5,
            "customer deals per feature; default 0.05",
        )?;
        Ok(())
    }

    /// The command that writes this scenario (knobs only when they differ from the defaults).
    pub fn command(&self) -> String {
        let mut cmd = format!(
            "roadmap generate --features {} --teams {} --periods {} --seed {}",
            self.features, self.teams, self.periods, self.seed
        );
        let d = GenerateSpec::new(0, 0, 0, 0);
        for (flag, v, default) in [
            ("--value-skew", self.value_skew, d.value_skew),
            ("--uncertainty", self.uncertainty, d.uncertainty),
            (
                "--dependency-density",
                self.dependency_density,
                d.dependency_density,
            ),
            (
                "--effort-correlation",
                self.effort_correlation,
                d.effort_correlation,
            ),
            ("--deal-rate", self.deal_rate, d.deal_rate),
        ] {
            if v != default {
                let _ = write!(cmd, " {flag} {v}");
            }
        }
        cmd
    }
}

/// The scenario as TOML text, deterministic for a given spec (same seed, same bytes).
/// Sizes and knobs outside the ranges of [`GenerateSpec::check`] are clamped into them.
pub fn generate(spec: &GenerateSpec) -> String {
    let spec = GenerateSpec {
        features: spec.features.clamp(1, MAX_FEATURES),
        teams: spec.teams.clamp(1, MAX_TEAMS),
        periods: spec.periods.clamp(1, MAX_PERIODS),
        seed: spec.seed,
        value_skew: clamp_knob(spec.value_skew, 2.0, 1.0),
        uncertainty: clamp_knob(spec.uncertainty, 2.0, 1.0),
        dependency_density: clamp_knob(spec.dependency_density, 1.0, 0.25),
        effort_correlation: clamp_knob(spec.effort_correlation, 0.8, 0.0),
        deal_rate: clamp_knob(spec.deal_rate, 0.5, 0.05),
    };
    let mut g = Generator::new(&spec);
    g.make_teams();
    g.make_features();
    g.make_enablers();
    g.make_segments();
    g.size_capacity();
    g.make_themes();
    g.make_mandatory();
    g.make_deadlines();
    g.make_deals();
    g.make_framework_fields();
    g.make_budget();
    g.write()
}

fn clamp_knob(v: f64, max: f64, default: f64) -> f64 {
    if v.is_nan() {
        default
    } else {
        v.clamp(0.0, max)
    }
}

// ---------------------------------------------------------------------------------------
// Vocabulary

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Reporting,
    Collaboration,
    Mobile,
    Reliability,
    Enterprise,
    Integrations,
    Billing,
    Growth,
    Search,
    Ai,
    Security,
}

const ALL_AREAS: [Area; 11] = [
    Area::Reporting,
    Area::Collaboration,
    Area::Mobile,
    Area::Reliability,
    Area::Enterprise,
    Area::Integrations,
    Area::Billing,
    Area::Growth,
    Area::Search,
    Area::Ai,
    Area::Security,
];

/// Things a product manages: (plural, singular as a modifier).
const OBJECTS: [(&str, &str); 28] = [
    ("invoices", "invoice"),
    ("projects", "project"),
    ("tasks", "task"),
    ("customers", "customer"),
    ("orders", "order"),
    ("contracts", "contract"),
    ("tickets", "ticket"),
    ("documents", "document"),
    ("reports", "report"),
    ("subscriptions", "subscription"),
    ("workflows", "workflow"),
    ("approvals", "approval"),
    ("payouts", "payout"),
    ("inventory", "inventory"),
    ("calendars", "calendar"),
    ("comments", "comment"),
    ("files", "file"),
    ("dashboards", "dashboard"),
    ("expenses", "expense"),
    ("shipments", "shipment"),
    ("leads", "lead"),
    ("campaigns", "campaign"),
    ("assets", "asset"),
    ("timesheets", "timesheet"),
    ("vendors", "vendor"),
    ("quotes", "quote"),
    ("forms", "form"),
    ("notes", "note"),
];

/// Groundwork that is worth nothing until the features built on it ship.
const ENABLER_TEMPLATES: [&str; 8] = [
    "New data model for {}",
    "Event pipeline for {s} changes",
    "Permissions service for {}",
    "Shared {s} components",
    "Usage metering for {}",
    "Search index for {}",
    "Sync engine for {}",
    "Internal API for {}",
];

const BILLING_OBJECTS: [(&str, &str); 8] = [
    ("invoices", "invoice"),
    ("subscriptions", "subscription"),
    ("payouts", "payout"),
    ("refunds", "refund"),
    ("quotes", "quote"),
    ("orders", "order"),
    ("credit notes", "credit note"),
    ("expenses", "expense"),
];

impl Area {
    fn templates(self) -> &'static [&'static str] {
        match self {
            Area::Reporting => &[
                "Bulk export for {}",
                "Custom dashboards for {}",
                "Scheduled reports on {}",
                "Saved filters for {}",
                "CSV import of {}",
                "Pivot tables over {}",
                "Trend charts for {}",
                "Usage analytics for {}",
            ],
            Area::Collaboration => &[
                "Comments and mentions on {}",
                "Real-time co-editing of {}",
                "Shared views of {}",
                "Templates for {}",
                "Bulk edit of {}",
                "Version history for {}",
                "Approval flow for {}",
                "Guest access to {}",
            ],
            Area::Mobile => &[
                "Offline mode for {}",
                "Push notifications for {}",
                "Mobile capture of {}",
                "Home-screen widgets for {}",
                "Tablet layout for {}",
                "Quick actions on {} (mobile)",
                "Mobile redesign of the {s} screens",
            ],
            Area::Reliability => &[
                "Rate limiting on the {s} API",
                "Faster {s} queries (p95 under 200 ms)",
                "Zero-downtime migrations for {}",
                "Observability for {s} jobs",
                "Retries and dead-letter queue for {s} events",
                "Sharding of {s} storage",
                "Point-in-time restore of {}",
                "Load tests for {s} endpoints",
                "Flaky test clean-up in the {s} suite",
                "Framework upgrade of the {s} service",
            ],
            Area::Enterprise => &[
                "Role-based access to {}",
                "Audit log for {}",
                "Data retention rules for {}",
                "Field-level permissions on {}",
                "Approval policies for {}",
                "EU data residency for {}",
                "SSO-enforced sharing of {}",
                "Admin console for {}",
            ],
            Area::Integrations => &[
                "Slack notifications for {}",
                "Salesforce sync of {}",
                "Webhooks for {}",
                "Public API for {}",
                "Zapier triggers for {}",
                "HubSpot sync of {}",
                "Microsoft Teams app for {}",
                "Google Drive attachments on {}",
            ],
            Area::Billing => &[
                "Usage-based billing for {}",
                "Smart dunning for {}",
                "Multi-currency {}",
                "Tax calculation on {}",
                "Self-serve changes to {}",
                "PDF and e-invoicing for {}",
                "Payment links for {}",
            ],
            Area::Growth => &[
                "Onboarding checklist for {}",
                "In-app trials of {}",
                "Referral rewards for {}",
                "Guided tour of {}",
                "Empty-state templates for {}",
                "Usage nudges for {}",
                "Pricing experiment for {}",
            ],
            Area::Search => &[
                "Fuzzy search over {}",
                "Search facets for {}",
                "Recent and recommended {}",
                "Global search across {}",
                "Search relevance tuning for {}",
            ],
            Area::Ai => &[
                "AI summaries of {}",
                "AI drafting of {}",
                "Smart categorisation of {}",
                "Anomaly alerts on {}",
                "Forecasting for {}",
                "Natural-language queries over {}",
                "Duplicate detection for {}",
            ],
            Area::Security => &[
                "Two-factor enforcement for {}",
                "Encryption at rest for {}",
                "Secrets rotation for {s} services",
                "Pen-test remediation in the {s} module",
                "Session management for {}",
                "Access reviews for {}",
            ],
        }
    }

    fn objects(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Area::Billing => &BILLING_OBJECTS,
            _ => &OBJECTS,
        }
    }

    /// Segment catalogue indices this area's features most often lift.
    fn segments(self) -> &'static [usize] {
        // 0 smb, 1 enterprise, 2 mid-market, 3 consumer, 4 public sector
        match self {
            Area::Reporting => &[2, 1, 0],
            Area::Collaboration => &[0, 2, 3],
            Area::Mobile => &[3, 0],
            Area::Enterprise => &[1, 4, 2],
            Area::Integrations => &[2, 0, 1],
            Area::Growth => &[0, 3],
            Area::Search => &[3, 0, 2],
            Area::Ai => &[0, 2, 3, 1],
            Area::Billing => &[0, 2],
            Area::Reliability | Area::Security => &[1, 2, 0],
        }
    }

    /// Internal work (cost saved, incidents avoided) is valued directly, not through segments.
    fn direct_share(self) -> f64 {
        match self {
            Area::Reliability | Area::Security | Area::Billing => 0.85,
            _ => 0.15,
        }
    }
}

struct TeamKind {
    id: &'static str,
    name: &'static str,
    areas: &'static [Area],
}

const TEAM_CATALOGUE: [TeamKind; 10] = [
    TeamKind {
        id: "web",
        name: "Web app",
        areas: &[
            Area::Reporting,
            Area::Collaboration,
            Area::Growth,
            Area::Enterprise,
        ],
    },
    TeamKind {
        id: "mobile",
        name: "Mobile apps",
        areas: &[Area::Mobile],
    },
    TeamKind {
        id: "platform",
        name: "Platform and infrastructure",
        areas: &[Area::Reliability, Area::Integrations, Area::Enterprise],
    },
    TeamKind {
        id: "data",
        name: "Data and analytics",
        areas: &[Area::Reporting, Area::Ai, Area::Reliability],
    },
    TeamKind {
        id: "payments",
        name: "Payments and billing",
        areas: &[Area::Billing],
    },
    TeamKind {
        id: "growth",
        name: "Growth",
        areas: &[Area::Growth],
    },
    TeamKind {
        id: "search",
        name: "Search and discovery",
        areas: &[Area::Search],
    },
    TeamKind {
        id: "integrations",
        name: "Integrations",
        areas: &[Area::Integrations],
    },
    TeamKind {
        id: "security",
        name: "Security and compliance",
        areas: &[Area::Security, Area::Enterprise],
    },
    TeamKind {
        id: "ml",
        name: "Machine learning",
        areas: &[Area::Ai, Area::Search],
    },
];

struct SegmentKind {
    id: &'static str,
    name: &'static str,
    /// Net price per account per month, likely value, and its relative spread.
    price: f64,
    price_spread: f64,
    /// Monthly growth: likely, and the half-width of its range (0 = a known rate).
    growth: f64,
    growth_spread: f64,
    /// Accounts per month in a plausible market of this kind: the least a segment offers.
    nominal_demand: f64,
}

const SEGMENT_CATALOGUE: [SegmentKind; 5] = [
    SegmentKind {
        id: "smb",
        name: "SMB (self-serve, 10-50 seats)",
        price: 79.0,
        price_spread: 0.0,
        growth: 0.015,
        growth_spread: 0.0,
        nominal_demand: 3000.0,
    },
    SegmentKind {
        id: "enterprise",
        name: "Enterprise (500+ seats, annual contracts)",
        price: 5200.0,
        price_spread: 0.25,
        growth: 0.008,
        growth_spread: 0.008,
        nominal_demand: 120.0,
    },
    SegmentKind {
        id: "mid-market",
        name: "Mid-market (50-500 seats, sales-assisted)",
        price: 650.0,
        price_spread: 0.0,
        growth: 0.01,
        growth_spread: 0.0,
        nominal_demand: 800.0,
    },
    SegmentKind {
        id: "consumer",
        name: "Consumers (freemium, paid plan)",
        price: 12.0,
        price_spread: 0.0,
        growth: 0.01,
        growth_spread: 0.015,
        nominal_demand: 40000.0,
    },
    SegmentKind {
        id: "public-sector",
        name: "Public sector and education",
        price: 2000.0,
        price_spread: 0.3,
        growth: 0.003,
        growth_spread: 0.0,
        nominal_demand: 50.0,
    },
];

const CUSTOMERS: [&str; 24] = [
    "Contoso",
    "Northwind",
    "Fabrikam",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Adatum",
    "Proseware",
    "Woodgrove",
    "Alpine Ski House",
    "Coho Vineyard",
    "Fourth Coffee",
    "Lucerne Publishing",
    "Trey Research",
    "Wide World Importers",
    "Humongous Insurance",
    "Blue Yonder Airlines",
    "Southridge Video",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Vandelay Industries",
    "Soylent",
];

const CUSTOMER_KINDS: [&str; 10] = [
    "Bank",
    "Health",
    "Logistics",
    "Retail",
    "Energy",
    "Group",
    "Labs",
    "Foods",
    "Manufacturing",
    "Media",
];

const REGIONS: [&str; 8] = [
    "EMEA",
    "APAC",
    "North America",
    "LATAM",
    "Germany",
    "Japan",
    "Nordics",
    "UK",
];

const FIBONACCI: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0];

// ---------------------------------------------------------------------------------------
// The generated portfolio, before it is written

/// A three-point estimate [low, likely, high] (PERT).
#[derive(Debug, Clone, Copy)]
struct Est {
    low: f64,
    likely: f64,
    high: f64,
}

impl Est {
    fn new(low: f64, likely: f64, high: f64) -> Self {
        Est {
            low: low.min(likely),
            likely,
            high: high.max(likely),
        }
    }

    fn mean(&self) -> f64 {
        (self.low + 4.0 * self.likely + self.high) / 6.0
    }

    fn is_constant(&self) -> bool {
        self.low == self.high
    }

    fn toml(&self) -> String {
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

struct Team {
    id: String,
    name: String,
    areas: &'static [Area],
    weight: f64,
    cost_per_week: f64,
    factor: Option<Est>,
    /// Person-weeks per period.
    capacity: Vec<f64>,
}

impl Team {
    fn factor_mean(&self) -> f64 {
        self.factor.map_or(1.0, |f| f.mean())
    }
}

struct Segment {
    kind: &'static SegmentKind,
    /// p10 and p90 of a lognormal, or a known demand (p10 == p90).
    demand: (f64, f64),
    price: Est,
    growth: Est,
}

impl Segment {
    fn demand_mean(&self) -> f64 {
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
    fn pool(&self) -> f64 {
        self.demand_mean() * self.price.mean()
    }
}

enum RiskImpact {
    Effort(usize, Est),
    DelayWeeks(Est),
    Cost(Est),
    ValueLoss(f64),
}

struct Risk {
    name: &'static str,
    probability: f64,
    impact: RiskImpact,
}

#[derive(Default)]
struct Framework {
    reach: f64,
    impact: f64,
    confidence: f64,
    ease: f64,
    moscow: &'static str,
    business_value: f64,
    time_criticality: f64,
    risk_reduction: f64,
}

#[derive(Clone, Copy)]
enum DeadlineKind {
    Hard,
    Soft { penalty: f64 },
}

struct Feature {
    id: String,
    name: String,
    area: Area,
    /// (team, estimate); the first is the team that leads the work.
    effort: Vec<(usize, Est)>,
    /// Expected monthly value at full adoption this feature was drawn with.
    target_value: f64,
    /// Share of the target value won through segments, per segment.
    segment_shares: Vec<(usize, f64)>,
    value: Option<Est>,
    uplift: Vec<(usize, Est)>,
    ramp_months: u32,
    cost: Option<Est>,
    vendor_lead_weeks: Option<Est>,
    requires: Vec<(usize, usize)>,
    excludes: Option<usize>,
    /// Part of an excluded pair (either side).
    alternative: bool,
    mandatory: bool,
    deadline: Option<(usize, DeadlineKind)>,
    earliest: Option<usize>,
    theme: Option<usize>,
    risks: Vec<Risk>,
    framework: Framework,
    /// Earliest period it can be delivered in (0-based), as validation computes it.
    earliest_delivery: usize,
    /// This feature and everything it requires, directly or not.
    closure: Bits,
    enabler: bool,
    big_bet: bool,
    in_dated_deal: bool,
}

impl Feature {
    fn likely_weeks(&self) -> f64 {
        self.effort.iter().map(|(_, e)| e.likely).sum()
    }

    /// Expected person-weeks per team, risk efforts weighted by their probability.
    fn expected_effort(&self) -> Vec<(usize, f64)> {
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
    fn expected_value(&self, segments: &[Segment]) -> f64 {
        self.value.map_or(0.0, |v| v.mean())
            + self
                .uplift
                .iter()
                .map(|(s, u)| u.mean() * segments[*s].pool())
                .sum::<f64>()
    }
}

struct Deal {
    id: String,
    customer: String,
    features: Vec<usize>,
    one_off: Option<f64>,
    monthly: Option<Est>,
    by: Option<usize>,
}

struct ThemeDef {
    id: &'static str,
    name: &'static str,
    min_share: f64,
    max_share: f64,
}

/// A fixed-size bit set over feature indices.
#[derive(Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }

    fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// Committed work, as the capacity check sees it: (forced by a mandatory feature, due period).
type Commitments = Vec<Option<(bool, usize)>>;

/// Forced (mandatory) work must stay within this share of capacity in every run of periods,
/// and all committed work (deadlines too) within the second: the check fails at 1.
const FORCED_SHARE: f64 = 0.5;
const COMMITTED_SHARE: f64 = 0.8;

struct Generator<'a> {
    spec: &'a GenerateSpec,
    rng: Xoshiro256PlusPlus,
    period_weeks: f64,
    labels: Vec<String>,
    median_value: f64,
    teams: Vec<Team>,
    segments: Vec<Segment>,
    features: Vec<Feature>,
    /// Excluded pairs (a, b), a < b.
    exclusions: Vec<(usize, usize)>,
    themes: Vec<ThemeDef>,
    deals: Vec<Deal>,
    /// Expected person-weeks of each feature per team, risks included, once features are made.
    efforts: Vec<Vec<(usize, f64)>>,
    /// Commitments admitted so far, per feature, and the features that have one.
    committed: Commitments,
    committed_list: Vec<usize>,
    /// How often each feature name was given, so repeats become later phases.
    names: HashMap<String, u32>,
    budget: Option<f64>,
    backlog_ratio: f64,
}

impl<'a> Generator<'a> {
    fn new(spec: &'a GenerateSpec) -> Self {
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

    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.rng.random::<f64>()
    }

    fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.rng)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn index(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index drawn in proportion to `weights` (not all zero).
    fn weighted(&mut self, weights: &[f64]) -> usize {
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

    fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    fn months_per_period(&self) -> f64 {
        self.period_weeks * 12.0 / 52.0
    }

    fn last_period(&self) -> usize {
        self.spec.periods - 1
    }

    // -----------------------------------------------------------------------------------

    fn make_teams(&mut self) {
        for t in 0..self.spec.teams {
            let (id, name, areas) = match TEAM_CATALOGUE.get(t) {
                Some(k) => (k.id.to_string(), k.name.to_string(), k.areas),
                None => (
                    format!("team-{}", t + 1),
                    format!("Team {}", t + 1),
                    &ALL_AREAS[..],
                ),
            };
            // Team sizes differ: some teams carry twice the backlog of others.
            let weight = (0.45 * self.normal()).exp();
            let cost_per_week = (self.uniform(25.0, 45.0)).round() * 100.0;
            let factor = if self.chance(0.75) {
                let likely = self.pick(&[0.8, 0.85, 0.9]);
                let low = likely - self.pick(&[0.1, 0.15]);
                let high = (likely + 0.1_f64).min(1.0);
                Some(Est::new(round_to(low, 20.0), likely, round_to(high, 20.0)))
            } else {
                None
            };
            self.teams.push(Team {
                id,
                name,
                areas,
                weight,
                cost_per_week,
                factor,
                capacity: Vec::new(),
            });
        }
    }

    fn effort_estimate(&mut self, likely: f64) -> Est {
        let u = self.spec.uncertainty;
        let low = (likely * (1.0 - u * self.uniform(0.15, 0.3))).round();
        let low = if likely >= 1.0 { low.max(1.0) } else { low };
        let high = (likely * (1.0 + u * self.uniform(0.5, 2.0))).round();
        Est::new(low.max(0.0), likely, high)
    }

    fn make_features(&mut self) {
        let n = self.spec.features;
        let teams = self.teams.len();
        let width = n.to_string().len();
        let skew = self.spec.value_skew;
        self.median_value = (self.uniform(25.0, 40.0)).round() * 100.0;
        let weights: Vec<f64> = self.teams.iter().map(|t| t.weight).collect();
        // With at least as many features as teams, every team leads some of the work.
        let mut leads: Vec<usize> = (0..n).map(|_| self.weighted(&weights)).collect();
        if n >= teams {
            let mut count = vec![0usize; teams];
            leads.iter().for_each(|&t| count[t] += 1);
            for t in 0..teams {
                while count[t] == 0 {
                    let f = self.index(n);
                    if count[leads[f]] > 1 {
                        count[leads[f]] -= 1;
                        leads[f] = t;
                        count[t] += 1;
                    }
                }
            }
        }
        let mut f = 0;
        while f < n {
            let lead = leads[f];
            let area = if self.chance(0.12) {
                Area::Reliability
            } else if self.chance(0.06) {
                Area::Ai
            } else {
                self.pick(self.teams[lead].areas)
            };
            let template = self.pick(area.templates());
            let (plural, singular) = self.pick(area.objects());
            let name = template.replace("{}", plural).replace("{s}", singular);
            let name = unique_name(&mut self.names, name);
            let big_bet = n >= 10 && self.chance(0.05);
            let mut feature = self.new_feature(f, width, name, area, lead, big_bet, skew);
            self.add_requirements(&mut feature);
            self.add_timing(&mut feature);
            self.add_risks(&mut feature);
            self.features.push(feature);
            f += 1;
            // An alternative to the feature just made: a lighter version, or buying it.
            if f < n && n >= 6 && self.chance(0.03) {
                let alt = self.alternative(f, width);
                self.features.push(alt);
                self.exclusions.push((f - 1, f));
                f += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_feature(
        &mut self,
        index: usize,
        width: usize,
        name: String,
        area: Area,
        lead: usize,
        big_bet: bool,
        skew: f64,
    ) -> Feature {
        let teams = self.teams.len();
        let likely = if big_bet {
            self.uniform(12.0, 20.0).round()
        } else {
            (5.0_f64.ln() + 0.75 * self.normal())
                .exp()
                .round()
                .clamp(1.0, 20.0)
        };
        let mut effort = vec![(lead, self.effort_estimate(likely))];
        let extra = match self.rng.random::<f64>() {
            _ if teams == 1 => 0,
            x if big_bet => 1 + usize::from(x < 0.5 && teams >= 3),
            x if x < 0.65 => 0,
            x if x < 0.92 || teams < 3 => 1,
            _ => 2,
        };
        while effort.len() < 1 + extra {
            let t = self.index(teams);
            if effort.iter().all(|(u, _)| *u != t) {
                let share = self.uniform(0.2, 0.6);
                let e = self.effort_estimate((likely * share).round().max(1.0));
                effort.push((t, e));
            }
        }
        let total_likely: f64 = effort.iter().map(|(_, e)| e.likely).sum();
        // Values are skewed and rise with size: big bets are big both ways.
        let z = if big_bet {
            1.0 + 0.7 * self.normal().abs()
        } else {
            self.normal()
        };
        let log_value = skew * (0.45 * (total_likely / 6.0).ln() + 1.35 * z);
        let target_value = self.median_value * log_value.exp();
        let mut segment_shares = Vec::new();
        let direct_only = self.chance(area.direct_share());
        if !direct_only {
            let first = self.segment_for(area);
            let both = self.chance(0.15);
            let mut through_segments = if both { self.uniform(0.4, 0.7) } else { 1.0 };
            if self.chance(0.3) {
                let second = self.segment_for(area);
                if second != first {
                    let split = self.uniform(0.5, 0.8);
                    segment_shares.push((second, through_segments * (1.0 - split)));
                    through_segments *= split;
                }
            }
            segment_shares.insert(0, (first, through_segments));
        }
        let ramp_months = match area {
            Area::Reliability | Area::Security => self.pick(&[0, 0, 1]),
            _ => self.pick(&[0, 1, 1, 2, 2, 2, 3, 3, 4, 6]),
        };
        let theme = match area {
            Area::Reliability | Area::Security => Some(0),
            Area::Ai => Some(1),
            _ => None,
        };
        Feature {
            id: format!("f-{:0width$}", index + 1),
            name,
            area,
            effort,
            target_value,
            segment_shares,
            value: None,
            uplift: Vec::new(),
            ramp_months,
            cost: None,
            vendor_lead_weeks: None,
            requires: Vec::new(),
            excludes: None,
            alternative: false,
            mandatory: false,
            deadline: None,
            earliest: None,
            theme,
            risks: Vec::new(),
            framework: Framework::default(),
            earliest_delivery: 0,
            closure: Bits::new(self.spec.features),
            enabler: false,
            big_bet,
            in_dated_deal: false,
        }
    }

    /// A catalogue segment index for a feature of `area`, among the segments the plan has.
    fn segment_for(&mut self, area: Area) -> usize {
        let count = segment_count(self.spec.features);
        let preferred: Vec<usize> = area
            .segments()
            .iter()
            .copied()
            .filter(|&s| s < count)
            .collect();
        if !preferred.is_empty() && self.chance(0.8) {
            self.pick(&preferred)
        } else {
            self.index(count)
        }
    }

    /// Whether `closure` holds both features of an excluded pair.
    fn conflicted(&self, closure: &Bits) -> bool {
        self.exclusions
            .iter()
            .any(|&(a, b)| closure.has(a) && closure.has(b))
    }

    fn add_requirements(&mut self, f: &mut Feature) {
        let i = self.features.len();
        f.closure.set(i);
        if i > 0 && self.chance(self.spec.dependency_density) {
            let wanted = if self.chance(0.25) && i >= 2 { 2 } else { 1 };
            let last = self.last_period();
            for _ in 0..12 {
                if f.requires.len() == wanted {
                    break;
                }
                // Mostly something recent in the same area, else anything earlier.
                let g = if self.chance(0.6) {
                    let from = i.saturating_sub(40);
                    let same: Vec<usize> = (from..i)
                        .filter(|&g| self.features[g].area == f.area)
                        .collect();
                    if same.is_empty() {
                        self.index(i)
                    } else {
                        self.pick(&same)
                    }
                } else {
                    self.index(i)
                };
                if f.requires.iter().any(|r| r.0 == g) {
                    continue;
                }
                let mut closure = f.closure.clone();
                closure.union(&self.features[g].closure);
                if self.conflicted(&closure) {
                    continue;
                }
                let ed = self.features[g].earliest_delivery;
                let lag = usize::from(ed < last.saturating_sub(1) && self.chance(0.2));
                if ed + lag > last {
                    continue;
                }
                f.requires.push((g, lag));
                f.closure = closure;
            }
        }
    }

    /// Vendor cost and lead time, earliest start, and the earliest delivery that follows.
    fn add_timing(&mut self, f: &mut Feature) {
        let last = self.last_period();
        let from_requires = f
            .requires
            .iter()
            .map(|&(g, lag)| self.features[g].earliest_delivery + lag)
            .max()
            .unwrap_or(0);
        let vendor_prone = matches!(f.area, Area::Integrations | Area::Billing | Area::Ai);
        if self.chance(if vendor_prone { 0.15 } else { 0.05 }) {
            let likely = self.pick(&[15000.0, 20000.0, 30000.0, 40000.0, 60000.0]);
            f.cost = Some(self.money_estimate(likely));
            if self.chance(0.5) {
                let likely: f64 = self.pick(&[4.0, 6.0, 8.0]);
                let u = self.spec.uncertainty;
                let lead = Est::new(
                    (likely - 2.0 * u).round().max(1.0),
                    likely,
                    (likely * (1.0 + 0.6 * u)).round(),
                );
                if self.lead_periods(&lead) <= last {
                    f.vendor_lead_weeks = Some(lead);
                }
            }
        }
        let lead = f.vendor_lead_weeks.map_or(0, |l| self.lead_periods(&l));
        if last >= 1 && self.chance(0.08) {
            let room = last - lead;
            if room >= 1 {
                let latest = room.min((last / 2).max(1));
                f.earliest = Some(1 + self.index(latest));
            }
        }
        f.earliest_delivery = (f.earliest.unwrap_or(0) + lead).max(from_requires);
    }

    /// Extra periods a vendor lead time adds before delivery, as validation counts them.
    fn lead_periods(&self, lead: &Est) -> usize {
        ((lead.low / self.period_weeks).ceil() as usize).saturating_sub(1)
    }

    fn money_estimate(&mut self, likely: f64) -> Est {
        let u = self.spec.uncertainty;
        let low = sig(likely * (1.0 - u * self.uniform(0.2, 0.35)).max(0.0), 2);
        let high = sig(likely * (1.0 + u * self.uniform(0.3, 0.8)), 2);
        Est::new(low, likely, high)
    }

    fn add_risks(&mut self, f: &mut Feature) {
        if !self.chance(0.15) {
            return;
        }
        let count = if self.chance(0.2) { 2 } else { 1 };
        let lead = f.effort[0].0;
        let lead_likely = f.effort[0].1.likely;
        let platform = self.teams.iter().position(|t| t.id == "platform");
        let mut kinds: Vec<usize> = (0..6).collect();
        self.shuffle(&mut kinds);
        for kind in kinds {
            if f.risks.len() == count {
                break;
            }
            let probability = round_to(self.uniform(0.15, 0.4), 20.0);
            let u = self.spec.uncertainty;
            let risk = match kind {
                0 => {
                    let m = (lead_likely * self.uniform(0.2, 0.5)).round().max(1.0);
                    let e = self.effort_estimate(m);
                    Risk {
                        name: "Design rework",
                        probability,
                        impact: RiskImpact::Effort(lead, e),
                    }
                }
                1 => {
                    let m = (lead_likely * self.uniform(0.2, 0.4)).round().max(1.0);
                    let e = self.effort_estimate(m);
                    Risk {
                        name: "Performance problems at scale",
                        probability,
                        impact: RiskImpact::Effort(platform.unwrap_or(lead), e),
                    }
                }
                2 if f.cost.is_some() || f.area == Area::Mobile => {
                    let (name, m) = if f.area == Area::Mobile {
                        ("App store review", 2.0)
                    } else {
                        ("Vendor contract drag", 4.0)
                    };
                    let e = Est::new(
                        (m * (1.0 - 0.5 * u)).round().max(1.0),
                        m,
                        (m * (1.0 + u)).round(),
                    );
                    Risk {
                        name,
                        probability,
                        impact: RiskImpact::DelayWeeks(e),
                    }
                }
                3 => {
                    let m = self.pick(&[5000.0, 10000.0, 15000.0]);
                    Risk {
                        name: "Security review findings",
                        probability,
                        impact: RiskImpact::Cost(self.money_estimate(m)),
                    }
                }
                4 if f.target_value > 0.0 => Risk {
                    name: "Adoption below plan",
                    probability,
                    impact: RiskImpact::ValueLoss(round_to(self.uniform(0.2, 0.5), 10.0)),
                },
                _ => continue,
            };
            f.risks.push(risk);
        }
    }

    /// The feature after the last one made, as its alternative: lighter, or bought.
    fn alternative(&mut self, index: usize, width: usize) -> Feature {
        let buy = self.chance(0.4);
        let share = self.uniform(0.35, 0.7);
        let value_share = self.uniform(0.5, 0.85);
        let base = &self.features[index - 1];
        let name = if buy {
            format!("{} (buy: vendor)", base.name)
        } else {
            format!("{} (lite)", base.name)
        };
        let name = unique_name(&mut self.names, name);
        let efforts: Vec<(usize, f64)> = base.effort.iter().map(|(t, e)| (*t, e.likely)).collect();
        let target_value = base.target_value * value_share;
        let segment_shares = base.segment_shares.clone();
        let requires = base.requires.clone();
        let (area, ramp_months, theme, big_bet) = (base.area, base.ramp_months, base.theme, false);
        let mut closure = Bits::new(self.spec.features);
        for &(g, _) in &requires {
            closure.union(&self.features[g].closure);
        }
        closure.set(index);
        let mut effort = Vec::new();
        for (t, likely) in efforts {
            let e = self.effort_estimate((likely * share).round().max(1.0));
            effort.push((t, e));
        }
        let mut f = Feature {
            id: format!("f-{:0width$}", index + 1),
            name,
            area,
            effort,
            target_value,
            segment_shares,
            value: None,
            uplift: Vec::new(),
            ramp_months,
            cost: None,
            vendor_lead_weeks: None,
            requires,
            excludes: Some(index - 1),
            alternative: true,
            mandatory: false,
            deadline: None,
            earliest: None,
            theme,
            risks: Vec::new(),
            framework: Framework::default(),
            earliest_delivery: 0,
            closure,
            enabler: false,
            big_bet,
            in_dated_deal: false,
        };
        if buy {
            let likely = self.pick(&[30000.0, 50000.0, 80000.0]);
            f.cost = Some(self.money_estimate(likely));
            let lead = Est::new(
                4.0,
                6.0,
                (6.0 * (1.0 + 0.6 * self.spec.uncertainty)).round(),
            );
            let from_requires = f
                .requires
                .iter()
                .map(|&(g, lag)| self.features[g].earliest_delivery + lag)
                .max()
                .unwrap_or(0);
            if self.lead_periods(&lead).max(from_requires) <= self.last_period() {
                f.vendor_lead_weeks = Some(lead);
            }
        }
        let lead = f.vendor_lead_weeks.map_or(0, |l| self.lead_periods(&l));
        f.earliest_delivery = f
            .requires
            .iter()
            .map(|&(g, lag)| self.features[g].earliest_delivery + lag)
            .max()
            .unwrap_or(0)
            .max(lead);
        self.features[index - 1].alternative = true;
        f
    }

    /// Some features that others build on are worth nothing by themselves (a metering
    /// pipeline, a new data model): value-first heuristics skip them and stall what they unlock.
    fn make_enablers(&mut self) {
        let mut required = vec![0usize; self.features.len()];
        for f in &self.features {
            for &(g, _) in &f.requires {
                required[g] += 1;
            }
        }
        for (g, count) in required.into_iter().enumerate() {
            if count > 0 && !self.features[g].alternative && self.chance(0.2) {
                let template = self.pick(&ENABLER_TEMPLATES);
                let (plural, singular) = self.pick(&OBJECTS);
                let name = template.replace("{}", plural).replace("{s}", singular);
                let name = unique_name(&mut self.names, name);
                let f = &mut self.features[g];
                f.name = name;
                f.ramp_months = 0;
                f.enabler = true;
                f.target_value = 0.0;
                f.segment_shares.clear();
                f.risks
                    .retain(|r| !matches!(r.impact, RiskImpact::ValueLoss(_)));
            }
        }
    }

    /// Segments sized so that the backlog's uplifts are plausible shares of their demand, then
    /// each feature's value written as a direct value, uplifts, or both.
    fn make_segments(&mut self) {
        let count = segment_count(self.spec.features);
        let u = self.spec.uncertainty;
        let mut lifted = vec![0.0; count];
        for f in &self.features {
            for &(s, share) in &f.segment_shares {
                lifted[s] += share * f.target_value;
            }
        }
        for (s, kind) in SEGMENT_CATALOGUE.iter().take(count).enumerate() {
            let price = if kind.price_spread > 0.0 && u > 0.0 {
                let w = kind.price_spread * u.min(1.5);
                Est::new(
                    sig(kind.price * (1.0 - w), 2),
                    kind.price,
                    sig(kind.price * (1.0 + w), 2),
                )
            } else {
                Est::new(kind.price, kind.price, kind.price)
            };
            let growth = if kind.growth_spread > 0.0 && u > 0.0 {
                let w = kind.growth_spread * u.min(1.5);
                Est::new(
                    round_to(kind.growth - w, 1000.0),
                    kind.growth,
                    round_to(kind.growth + w, 1000.0),
                )
            } else {
                Est::new(kind.growth, kind.growth, kind.growth)
            };
            // The whole backlog together would win at most 30-50% of a segment's demand; a
            // segment is never smaller than a plausible market of its kind.
            let wins = self.uniform(0.3, 0.5);
            let mean_demand = (lifted[s] / wins / price.mean()).max(kind.nominal_demand);
            let sigma = 0.3 * u;
            let demand = if sigma > 0.0 {
                let median = mean_demand / (sigma * sigma / 2.0).exp();
                let spread = (1.281_551_565_544_600_4 * sigma).exp();
                let p10 = sig(median / spread, 2);
                let p90 = sig(median * spread, 2);
                if p10 < p90 {
                    (p10, p90)
                } else {
                    (sig(median, 2), sig(median, 2))
                }
            } else {
                (sig(mean_demand, 2), sig(mean_demand, 2))
            };
            self.segments.push(Segment {
                kind,
                demand,
                price,
                growth,
            });
        }
        for i in 0..self.features.len() {
            let f = &self.features[i];
            if f.enabler {
                continue;
            }
            let shares = f.segment_shares.clone();
            let target = f.target_value;
            let mut direct = target * (1.0 - shares.iter().map(|s| s.1).sum::<f64>());
            let mut uplift = Vec::new();
            for (s, share) in shares {
                let fraction = share * target / self.segments[s].pool();
                match self.fraction_estimate(fraction) {
                    Some(e) => uplift.push((s, e)),
                    // Too large a share of one segment: valued directly instead.
                    None => direct += share * target,
                }
            }
            let value = if direct > 0.01 * target || uplift.is_empty() {
                Some(self.value_estimate(direct.max(1.0)))
            } else {
                None
            };
            let f = &mut self.features[i];
            f.value = value;
            f.uplift = uplift;
        }
    }

    /// A PERT estimate whose mean is `mean`, rounded to two significant digits.
    fn spread_estimate(&mut self, mean: f64, down: (f64, f64), up: (f64, f64)) -> Est {
        let u = self.spec.uncertainty;
        let a = (1.0 - u * self.uniform(down.0, down.1)).max(0.0);
        let b = 1.0 + u * self.uniform(up.0, up.1);
        let likely = mean * 6.0 / (a + 4.0 + b);
        Est::new(sig(likely * a, 2), sig(likely, 2), sig(likely * b, 2))
    }

    fn value_estimate(&mut self, mean: f64) -> Est {
        self.spread_estimate(mean, (0.3, 0.45), (0.8, 1.4))
    }

    /// An uplift estimate with mean `fraction`, if it stays within [0, 1].
    fn fraction_estimate(&mut self, fraction: f64) -> Option<Est> {
        let e = self.spread_estimate(fraction, (0.25, 0.4), (0.6, 1.2));
        (e.high <= 0.9 && e.likely > 0.0).then_some(e)
    }

    /// Capacity so that the backlog's expected effort is 1.5 to 2.5 times what the teams
    /// can do: choices matter. Some teams have holiday dips or grow during the plan.
    fn size_capacity(&mut self) {
        let periods = self.spec.periods;
        self.efforts = self.features.iter().map(|f| f.expected_effort()).collect();
        self.committed = vec![None; self.features.len()];
        let mut demand = vec![0.0; self.teams.len()];
        for f in &self.efforts {
            for &(t, w) in f {
                demand[t] += w;
            }
        }
        self.backlog_ratio = self.uniform(1.7, 2.3);
        let positive: Vec<f64> = demand.iter().copied().filter(|d| *d > 0.0).collect();
        let typical = if positive.is_empty() {
            10.0 * periods as f64
        } else {
            positive.iter().sum::<f64>() / positive.len() as f64
        };
        for (t, &team_backlog) in demand.iter().enumerate() {
            let ratio = self.backlog_ratio * self.uniform(0.92, 1.08);
            // A team without backlog still exists; it gets a small share of a typical team.
            let backlog = if team_backlog > 0.0 {
                team_backlog
            } else {
                0.2 * typical
            };
            let per_period = backlog / (ratio * periods as f64 * self.teams[t].factor_mean());
            let mut shape = vec![1.0; periods];
            if periods >= 2 && self.chance(0.5) {
                for (p, s) in shape.iter_mut().enumerate() {
                    *s = if self.period_weeks == 13.0 {
                        // Summer holidays in Q3, the December freeze in Q4.
                        [1.0, 1.0, 0.95, 0.88][p % 4]
                    } else {
                        // Christmas sprints; a lighter sprint in August.
                        match p % 26 {
                            25 => 0.5,
                            0 if p > 0 => 0.8,
                            16 => 0.85,
                            _ => 1.0,
                        }
                    };
                }
                if self.chance(0.3) {
                    // A hire joins halfway through.
                    let from = periods / 2;
                    shape.iter_mut().skip(from).for_each(|s| *s *= 1.12);
                }
            }
            let mean_shape = shape.iter().sum::<f64>() / periods as f64;
            self.teams[t].capacity = shape
                .iter()
                .map(|s| {
                    let c = per_period * s / mean_shape;
                    if c >= 20.0 {
                        c.round()
                    } else {
                        sig(c, 2).max(0.01)
                    }
                })
                .collect();
        }
        // Name teams by their size, as engineering managers do.
        let engineer_weeks = self.period_weeks * 0.75;
        for team in &mut self.teams {
            let engineers =
                (team.capacity.iter().sum::<f64>() / periods as f64 / engineer_weeks).round();
            if engineers >= 2.0 {
                team.name = format!("{} ({} engineers)", team.name, engineers);
            }
        }
    }

    fn total_capacity(&self) -> f64 {
        self.teams
            .iter()
            .map(|t| t.capacity.iter().sum::<f64>() * t.factor_mean())
            .sum()
    }

    /// Reliability gets a floor and AI bets a cap, each only where its features can honour it.
    fn make_themes(&mut self) {
        let capacity = self.total_capacity();
        let mut available = [0.0, 0.0];
        let mut present = [false, false];
        for f in &self.features {
            if let Some(k) = f.theme {
                present[k] = true;
                available[k] += f.effort.iter().map(|(_, e)| e.mean()).sum::<f64>();
            }
        }
        let reliability_min = [0.1, 0.05]
            .into_iter()
            .find(|m| available[0] >= 2.0 * m * capacity)
            .unwrap_or(0.0);
        let mut kept = [None, None];
        if present[0] {
            kept[0] = Some(self.themes.len());
            self.themes.push(ThemeDef {
                id: "reliability",
                name: "Reliability, security and tech debt",
                min_share: reliability_min,
                max_share: 1.0,
            });
        }
        if present[1] {
            kept[1] = Some(self.themes.len());
            self.themes.push(ThemeDef {
                id: "ai",
                name: "AI bets",
                min_share: 0.0,
                max_share: 0.2,
            });
        }
        for f in &mut self.features {
            f.theme = f.theme.and_then(|k| kept[k]);
        }
    }

    /// The commitment a feature makes by itself: mandatory work is due by its hard
    /// deadline or the plan's end; other dated work by its deadline, hard or soft.
    fn own_commitment(&self, f: usize) -> Option<(bool, usize)> {
        match (self.features[f].mandatory, self.features[f].deadline) {
            (true, Some((d, DeadlineKind::Hard))) => Some((true, d)),
            (true, _) => Some((true, self.last_period())),
            (false, Some((d, _))) => Some((false, d)),
            (false, None) => None,
        }
    }

    /// Whether the committed work of each team in `teams` stays within its share of capacity
    /// in every run of periods.
    fn fits(&self, teams: &[usize]) -> bool {
        let periods = self.spec.periods;
        let cell = |first: usize, due: usize| first * periods + due;
        for &t in teams {
            let mut forced = vec![0.0; periods * periods];
            let mut all = vec![0.0; periods * periods];
            for &f in &self.committed_list {
                let Some((is_forced, due)) = self.committed[f] else {
                    continue;
                };
                let Some(&(_, w)) = self.efforts[f].iter().find(|(u, _)| *u == t) else {
                    continue;
                };
                let first = self.features[f].earliest.unwrap_or(0).min(due);
                all[cell(first, due)] += w;
                if is_forced {
                    forced[cell(first, due)] += w;
                }
            }
            let team = &self.teams[t];
            let capacity: Vec<f64> = team
                .capacity
                .iter()
                .map(|c| c * team.factor_mean())
                .collect();
            for (mut work, share) in [(forced, FORCED_SHARE), (all, COMMITTED_SHARE)] {
                // In place: work due at `due` that cannot start before `first`.
                for due in 0..periods {
                    let mut later = 0.0;
                    for first in (0..=due).rev() {
                        later += work[cell(first, due)];
                        work[cell(first, due)] = later;
                    }
                }
                for a in 0..periods {
                    let (mut have, mut need) = (0.0, 0.0);
                    for b in a..periods {
                        have += capacity[b];
                        need += work[cell(a, b)];
                        if crate::model::exceeds(need, share * have) {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    /// Tries a change of commitments; keeps it only if every team it touches still fits.
    /// Commitments only ever tighten (earlier due periods, forced work), so the change is
    /// propagated from `f` through what it requires, as the capacity check would find it.
    fn admit(&mut self, f: usize, change: impl Fn(&mut Feature)) -> bool {
        let saved = (self.features[f].mandatory, self.features[f].deadline);
        change(&mut self.features[f]);
        let listed = self.committed_list.len();
        let mut changed: Vec<(usize, Option<(bool, usize)>)> = Vec::new();
        let mut stack: Vec<(usize, (bool, usize))> =
            self.own_commitment(f).map(|c| (f, c)).into_iter().collect();
        while let Some((g, (forced, due))) = stack.pop() {
            let before = self.committed[g];
            let merged = match before {
                None => (forced, due),
                Some((fg, dg)) => (fg || forced, dg.min(due)),
            };
            if before == Some(merged) {
                continue;
            }
            changed.push((g, before));
            if before.is_none() {
                self.committed_list.push(g);
            }
            self.committed[g] = Some(merged);
            for &(h, lag) in &self.features[g].requires {
                stack.push((h, (merged.0, merged.1.saturating_sub(lag))));
            }
        }
        let mut teams: Vec<usize> = Vec::new();
        for &(g, _) in &changed {
            for &(t, _) in &self.efforts[g] {
                if !teams.contains(&t) {
                    teams.push(t);
                }
            }
        }
        if self.fits(&teams) {
            return true;
        }
        for &(g, before) in changed.iter().rev() {
            self.committed[g] = before;
        }
        self.committed_list.truncate(listed);
        let feature = &mut self.features[f];
        feature.mandatory = saved.0;
        feature.deadline = saved.1;
        false
    }

    /// About 4% of features are mandatory (compliance, contracts), kept well inside capacity.
    fn make_mandatory(&mut self) {
        let n = self.features.len();
        let target = (n as f64 * self.uniform(0.03, 0.05)).round() as usize;
        if target == 0 {
            return;
        }
        let ai = self.themes.iter().position(|t| t.id == "ai");
        let mut candidates: Vec<usize> = (0..n)
            .filter(|&f| {
                // Never with an alternative or an AI bet among what it needs.
                self.features[f].closure.ones().all(|g| {
                    !self.features[g].alternative && (ai.is_none() || self.features[g].theme != ai)
                })
            })
            .collect();
        self.shuffle(&mut candidates);
        // Compliance-like work first.
        candidates.sort_by_key(|&f| {
            !matches!(
                self.features[f].area,
                Area::Enterprise | Area::Security | Area::Reliability
            )
        });
        let mut made = 0;
        for f in candidates {
            if made == target {
                break;
            }
            let ed = self.features[f].earliest_delivery;
            let last = self.last_period();
            let dated = last >= 1 && self.chance(0.6);
            let deadline = ed + self.index(last - ed + 1);
            let ok = (dated
                && self.admit(f, |x| {
                    x.mandatory = true;
                    x.deadline = Some((deadline, DeadlineKind::Hard));
                }))
                || self.admit(f, |x| x.mandatory = true);
            made += usize::from(ok);
        }
    }

    /// About 10% of the optional features get a date: half hard, half soft with a penalty.
    fn make_deadlines(&mut self) {
        let n = self.features.len();
        let target = (n as f64 * 0.1).round() as usize;
        let mut candidates: Vec<usize> = (0..n)
            .filter(|&f| !self.features[f].mandatory && !self.features[f].alternative)
            .collect();
        self.shuffle(&mut candidates);
        let last = self.last_period();
        let per_period = self.months_per_period();
        let mut made = 0;
        for f in candidates {
            if made == target {
                break;
            }
            let ed = self.features[f].earliest_delivery;
            let kind = if self.chance(0.5) {
                DeadlineKind::Hard
            } else {
                let monthly = self.features[f].target_value.max(0.5 * self.median_value);
                let penalty = sig(
                    (monthly * per_period * self.uniform(0.4, 1.2)).max(1000.0),
                    2,
                );
                DeadlineKind::Soft { penalty }
            };
            let period = ed + self.index(last - ed + 1);
            let ok = self.admit(f, |x| x.deadline = Some((period, kind)))
                || (period < last && self.admit(f, |x| x.deadline = Some((last, kind))));
            made += usize::from(ok);
        }
    }

    /// `deal_rate` deals per feature (one per 20 by default), each waiting for 1 to 4 of them.
    fn make_deals(&mut self) {
        let n = self.features.len();
        let count = if n >= 4 && self.spec.deal_rate > 0.0 {
            (n as f64 * self.spec.deal_rate).round().max(1.0) as usize
        } else {
            0
        };
        let enterprise_like: Vec<usize> = (0..n)
            .filter(|&f| {
                self.features[f].uplift.iter().any(|(s, _)| {
                    matches!(
                        self.segments[*s].kind.id,
                        "enterprise" | "mid-market" | "public-sector"
                    )
                })
            })
            .collect();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let last = self.last_period();
        for _ in 0..count {
            let size = [1, 1, 2, 2, 2, 3, 3, 4][self.index(8)].min(n);
            let mut features: Vec<usize> = Vec::new();
            let mut closure = Bits::new(n);
            for _ in 0..4 * size {
                if features.len() == size {
                    break;
                }
                let f = if !enterprise_like.is_empty() && self.chance(0.7) {
                    self.pick(&enterprise_like)
                } else {
                    self.index(n)
                };
                if features.contains(&f) {
                    continue;
                }
                let mut c = closure.clone();
                c.union(&self.features[f].closure);
                if self.conflicted(&c) {
                    continue;
                }
                closure = c;
                features.push(f);
            }
            if features.is_empty() {
                features.push(self.index(n));
            }
            features.sort_unstable();
            let company = self.pick(&CUSTOMERS);
            let mut customer = if !company.contains(' ') && self.chance(0.6) {
                format!("{company} {}", self.pick(&CUSTOMER_KINDS))
            } else {
                company.to_string()
            };
            // A second deal with the same customer is another division of it.
            if let Some(region) = REGIONS.iter().find(|r| {
                ids.contains_key(&slug(&customer))
                    && !ids.contains_key(&slug(&format!("{customer} {r}")))
            }) {
                customer = format!("{customer} {region}");
            }
            let id = unique_id(&mut ids, slug(&customer));
            let scale = self.median_value * (0.5 * self.normal()).exp();
            let monthly = self.chance(0.8).then(|| {
                let m = sig(scale * self.uniform(1.0, 3.0), 2);
                if self.chance(0.5) {
                    Est::new(m, m, m)
                } else {
                    self.value_estimate(m)
                }
            });
            let one_off = (monthly.is_none() || self.chance(0.5))
                .then(|| sig(scale * self.uniform(5.0, 15.0), 2));
            let ready = features
                .iter()
                .map(|&f| self.features[f].earliest_delivery)
                .max()
                .unwrap_or(0);
            let by = (last >= 1 && self.chance(0.4)).then(|| ready + self.index(last - ready + 1));
            if by.is_some() {
                for &f in &features {
                    self.features[f].in_dated_deal = true;
                }
            }
            self.deals.push(Deal {
                id,
                customer,
                features,
                one_off,
                monthly,
                by,
            });
        }
    }

    /// Framework scores as a product team guesses them: correlated with the model's values,
    /// noisy, on coarse scales, and blind to price (reach counts accounts, not revenue).
    fn make_framework_fields(&mut self) {
        let n = self.features.len();
        let values: Vec<f64> = self
            .features
            .iter()
            .map(|f| f.expected_value(&self.segments))
            .collect();
        let guess = |g: &mut Self, noise: f64| -> Vec<f64> {
            values
                .iter()
                .map(|v| {
                    let base = if *v > 0.0 {
                        v.ln()
                    } else {
                        g.median_value.ln() - 1.5
                    };
                    base + noise * g.normal()
                })
                .collect()
        };
        let impact_guess = guess(self, 0.7);
        let bv_guess = guess(self, 0.7);
        let moscow_guess = guess(self, 0.9);
        let impact_rank = ranks(&impact_guess);
        let bv_rank = ranks(&bv_guess);
        let moscow_rank = ranks(&moscow_guess);
        for i in 0..n {
            let reach = if self.features[i].enabler {
                0.0
            } else if self.features[i].uplift.is_empty() {
                // Users who notice it, at a few dollars of value each per month.
                let per_user = (4.0_f64.ln() + 0.9 * self.normal()).exp();
                values[i] / per_user
            } else {
                let mut accounts = 0.0;
                for k in 0..self.features[i].uplift.len() {
                    let s = self.features[i].uplift[k].0;
                    accounts += self.segments[s].demand_mean() * self.uniform(0.05, 0.5);
                }
                accounts * (0.5 * self.normal()).exp()
            };
            let reach = if reach >= 10.0 {
                sig(reach, 2)
            } else {
                reach.round()
            };
            let impact = match impact_rank[i] {
                r if r < 0.08 => 3.0,
                r if r < 0.3 => 2.0,
                r if r < 0.7 => 1.0,
                r if r < 0.9 => 0.5,
                _ => 0.25,
            };
            let noise = self.normal();
            let f = &self.features[i];
            let width = match (&f.value, f.uplift.first()) {
                (_, Some((_, u))) => (u.high - u.low) / u.mean(),
                (Some(v), None) => (v.high - v.low) / v.mean(),
                (None, None) => 1.0,
            };
            // Big bets are where teams admit doubt.
            let doubt = if f.big_bet { 0.15 } else { 0.0 };
            let confidence_raw = 1.05 - 0.2 * width - doubt + 0.08 * noise;
            let confidence = (confidence_raw * 10.0).round().clamp(5.0, 10.0) / 10.0;
            let likely_weeks = f.likely_weeks();
            let ease = (10.5 - 2.2 * likely_weeks.ln() + 0.9 * self.normal())
                .round()
                .clamp(1.0, 10.0);
            let f = &self.features[i];
            let (mandatory, deadline, dated_deal, area, theme) =
                (f.mandatory, f.deadline, f.in_dated_deal, f.area, f.theme);
            let moscow = if mandatory {
                "must"
            } else {
                match (deadline, moscow_rank[i]) {
                    (Some((_, DeadlineKind::Hard)), _) if self.chance(0.5) => "must",
                    (_, r) if r < 0.06 => "must",
                    (_, r) if r < 0.4 => "should",
                    (_, r) if r < 0.9 => "could",
                    _ => "wont",
                }
            };
            let business_value = match bv_rank[i] {
                r if r < 0.05 => 21.0,
                r if r < 0.15 => 13.0,
                r if r < 0.35 => 8.0,
                r if r < 0.6 => 5.0,
                r if r < 0.8 => 3.0,
                r if r < 0.92 => 2.0,
                _ => 1.0,
            };
            let time_criticality = match deadline {
                Some((_, DeadlineKind::Hard)) => self.pick(&[13.0, 21.0]),
                Some((_, DeadlineKind::Soft { .. })) => self.pick(&[8.0, 13.0]),
                None if mandatory => self.pick(&[5.0, 8.0, 13.0]),
                None if dated_deal => self.pick(&[5.0, 8.0]),
                None => FIBONACCI[self.weighted(&[0.35, 0.3, 0.2, 0.1, 0.05])],
            };
            let reliability = theme.is_some_and(|k| self.themes[k].id == "reliability");
            let risk_reduction = if reliability {
                self.pick(&[8.0, 13.0, 13.0, 21.0])
            } else if self.features[i].enabler {
                self.pick(&[5.0, 8.0])
            } else if area == Area::Enterprise {
                self.pick(&[3.0, 5.0, 8.0])
            } else {
                self.pick(&[1.0, 1.0, 2.0, 3.0])
            };
            self.features[i].framework = Framework {
                reach,
                impact,
                confidence,
                ease,
                moscow,
                business_value,
                time_criticality,
                risk_reduction,
            };
        }
    }

    /// A budget of 70-80% of the expected cost of the whole backlog.
    fn make_budget(&mut self) {
        let mut total = 0.0;
        for f in &self.features {
            for (t, e) in &f.effort {
                total += e.mean() * self.teams[*t].cost_per_week;
            }
            total += f.cost.map_or(0.0, |c| c.mean());
            for r in &f.risks {
                total += r.probability
                    * match &r.impact {
                        RiskImpact::Effort(t, e) => e.mean() * self.teams[*t].cost_per_week,
                        RiskImpact::Cost(c) => c.mean(),
                        _ => 0.0,
                    };
            }
        }
        self.budget = Some(sig(total * self.uniform(0.7, 0.8), 3));
    }

    // -----------------------------------------------------------------------------------

    fn write(&self) -> String {
        let spec = self.spec;
        let mut out = String::with_capacity(600 * spec.features + 4000);
        let title = format!(
            "Generated portfolio ({}, {}, {}, seed {})",
            plural(spec.features, "feature"),
            plural(spec.teams, "team"),
            plural(spec.periods, "period"),
            spec.seed
        );
        let _ = writeln!(out, "# {title}: synthetic but plausible.");
        let _ = writeln!(out, "# Written by `{}`;", spec.command());
        let _ = writeln!(
            out,
            "# the same command writes the same file. Knobs: value skew {}, uncertainty {},",
            spec.value_skew, spec.uncertainty
        );
        let _ = writeln!(
            out,
            "# dependency density {}, effort correlation {}.",
            spec.dependency_density, spec.effort_correlation
        );
        let _ = writeln!(out, "# Efforts are person-weeks per team as [low, likely, high]; values are per month at full");
        let _ = writeln!(out, "# adoption; capacity is person-weeks per period.\n");

        let quarters = self.period_weeks == 13.0;
        let plan_months = spec.periods as f64 * self.period_weeks * 12.0 / 52.0;
        let _ = writeln!(out, "[plan]");
        let _ = writeln!(out, "name = \"{title}\"");
        let _ = writeln!(out, "periods = {}", spec.periods);
        let _ = writeln!(
            out,
            "{}",
            commented(
                format!("period_weeks = {}", num(self.period_weeks)),
                if quarters { "quarters" } else { "sprints" }
            )
        );
        let _ = writeln!(out, "start = \"{}\"", self.labels[0]);
        let _ = writeln!(out, "horizon_months = {}", plan_months.ceil() + 24.0);
        let _ = writeln!(out, "discount_rate = 0.1");
        let _ = writeln!(out, "currency = \"USD\"");
        if let Some(b) = self.budget {
            let _ = writeln!(
                out,
                "{}",
                commented(
                    format!("budget = {}", grouped(b)),
                    "about 75% of the whole backlog's expected cost"
                )
            );
        }
        let _ = writeln!(
            out,
            "\n[simulation]\ntrials = 10000\nseed = {}\n",
            spec.seed
        );

        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(out, "# Teams: the backlog's expected effort is about {:.1}x their capacity, so choices matter.\n", self.backlog_ratio);
        for team in &self.teams {
            let _ = writeln!(
                out,
                "[[teams]]\nid = \"{}\"\nname = \"{}\"",
                team.id, team.name
            );
            let first = team.capacity[0];
            if team.capacity.iter().all(|c| *c == first) {
                let _ = writeln!(out, "capacity = {}", num(first));
            } else {
                let list: Vec<String> = team.capacity.iter().map(|c| num(*c)).collect();
                let _ = writeln!(out, "capacity = [{}]", list.join(", "));
            }
            if let Some(f) = team.factor {
                let _ = writeln!(out, "capacity_factor = {}", f.toml());
            }
            let _ = writeln!(out, "cost_per_week = {}\n", num(team.cost_per_week));
        }

        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(
            out,
            "# Segments: accounts per month, growth per month, price per account per month.\n"
        );
        for s in &self.segments {
            let _ = writeln!(
                out,
                "[[segments]]\nid = \"{}\"\nname = \"{}\"",
                s.kind.id, s.kind.name
            );
            let (p10, p90) = s.demand;
            if p10 == p90 {
                let _ = writeln!(out, "demand = {}", num(p10));
            } else {
                let _ = writeln!(
                    out,
                    "demand = {{ lognormal = {{ p10 = {}, p90 = {} }} }}",
                    num(p10),
                    num(p90)
                );
            }
            let _ = writeln!(out, "growth = {}", s.growth.toml());
            let _ = writeln!(out, "price = {}\n", s.price.toml());
        }

        if !self.themes.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(out, "# Themes: shares of total capacity.\n");
            for t in &self.themes {
                let _ = writeln!(out, "[[themes]]\nid = \"{}\"\nname = \"{}\"", t.id, t.name);
                if t.min_share > 0.0 {
                    let _ = writeln!(out, "min_share = {}", t.min_share);
                }
                if t.max_share < 1.0 {
                    let _ = writeln!(out, "max_share = {}", t.max_share);
                }
                out.push('\n');
            }
        }

        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(out, "# Features\n");
        for f in &self.features {
            self.write_feature(&mut out, f);
        }

        if !self.deals.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(
                out,
                "# Deals: paid only when all their features ship (by `by`, when given).\n"
            );
            for d in &self.deals {
                let ids: Vec<String> = d
                    .features
                    .iter()
                    .map(|&f| format!("\"{}\"", self.features[f].id))
                    .collect();
                let _ = writeln!(
                    out,
                    "[[deals]]\nid = \"{}\"\ncustomer = \"{}\"\nfeatures = [{}]",
                    d.id,
                    d.customer,
                    ids.join(", ")
                );
                if let Some(v) = d.one_off {
                    let _ = writeln!(out, "one_off = {}", num(v));
                }
                if let Some(m) = d.monthly {
                    let _ = writeln!(out, "monthly = {}", m.toml());
                }
                if let Some(by) = d.by {
                    let _ = writeln!(out, "by = \"{}\"", self.labels[by]);
                }
                out.push('\n');
            }
        }

        let mut correlations = String::new();
        let uncertain = |s: &Segment| s.demand.0 != s.demand.1;
        for i in 0..self.segments.len().saturating_sub(1) {
            let (a, b) = (&self.segments[i], &self.segments[i + 1]);
            if uncertain(a) && uncertain(b) {
                // Pairs along a chain, each segment in at most two: the matrix stays diagonally dominant.
                let rho = if i % 2 == 0 {
                    [0.3, 0.4, 0.5, 0.6][((self.spec.seed % 4) as usize + i) % 4]
                } else {
                    0.3
                };
                let _ = writeln!(correlations, "[[correlations]]\ninputs = [\"segments[{}].demand\", \"segments[{}].demand\"]\nrho = {rho}\n", a.kind.id, b.kind.id);
            }
        }
        if spec.effort_correlation > 0.0 {
            for (t, team) in self.teams.iter().enumerate() {
                let uncertain_efforts = self
                    .features
                    .iter()
                    .flat_map(|f| f.effort.iter())
                    .filter(|(u, e)| *u == t && !e.is_constant())
                    .count();
                if uncertain_efforts >= 2 {
                    let _ = writeln!(
                        correlations,
                        "[[correlations]]\ninputs = [\"features[*].effort.{}\"]\nrho = {}\n",
                        team.id, spec.effort_correlation
                    );
                }
            }
        }
        if !correlations.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(out, "# Correlations (rank): markets move together; one team's estimates err together.\n");
            out.push_str(&correlations);
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    fn write_feature(&self, out: &mut String, f: &Feature) {
        let _ = writeln!(
            out,
            "[[features]]\nid = \"{}\"\nname = \"{}\"",
            f.id, f.name
        );
        let efforts: Vec<String> = f
            .effort
            .iter()
            .map(|(t, e)| format!("{} = {}", self.teams[*t].id, e.toml()))
            .collect();
        let _ = writeln!(out, "effort = {{ {} }}", efforts.join(", "));
        if let Some(v) = f.value {
            let _ = writeln!(out, "value = {}", v.toml());
        }
        if !f.uplift.is_empty() {
            let ups: Vec<String> = f
                .uplift
                .iter()
                .map(|(s, u)| format!("{} = {}", self.segments[*s].kind.id, u.toml()))
                .collect();
            let _ = writeln!(out, "uplift = {{ {} }}", ups.join(", "));
        }
        if f.ramp_months > 0 {
            let _ = writeln!(out, "ramp_months = {}", f.ramp_months);
        }
        if let Some(c) = f.cost {
            let _ = writeln!(out, "cost = {}", c.toml());
        }
        if let Some(l) = f.vendor_lead_weeks {
            let _ = writeln!(out, "vendor_lead_weeks = {}", l.toml());
        }
        if !f.requires.is_empty() {
            let reqs: Vec<String> = f
                .requires
                .iter()
                .map(|&(g, lag)| {
                    let id = &self.features[g].id;
                    if lag > 0 {
                        format!("{{ id = \"{id}\", lag = {lag} }}")
                    } else {
                        format!("\"{id}\"")
                    }
                })
                .collect();
            let _ = writeln!(out, "requires = [{}]", reqs.join(", "));
        }
        if let Some(g) = f.excludes {
            let _ = writeln!(out, "excludes = [\"{}\"]", self.features[g].id);
        }
        if f.mandatory {
            let _ = writeln!(out, "mandatory = true");
        }
        match f.deadline {
            Some((d, DeadlineKind::Hard)) => {
                let _ = writeln!(out, "deadline = \"{}\"", self.labels[d]);
            }
            Some((d, DeadlineKind::Soft { penalty })) => {
                let _ = writeln!(
                    out,
                    "deadline = {{ period = \"{}\", kind = \"soft\", penalty = {} }}",
                    self.labels[d],
                    num(penalty)
                );
            }
            None => {}
        }
        if let Some(e) = f.earliest {
            let _ = writeln!(out, "earliest = \"{}\"", self.labels[e]);
        }
        if let Some(k) = f.theme {
            let _ = writeln!(out, "theme = \"{}\"", self.themes[k].id);
        }
        if !f.risks.is_empty() {
            let _ = writeln!(out, "risks = [");
            for r in &f.risks {
                let impact = match &r.impact {
                    RiskImpact::Effort(t, e) => {
                        format!("effort = {{ {} = {} }}", self.teams[*t].id, e.toml())
                    }
                    RiskImpact::DelayWeeks(e) => format!("delay_weeks = {}", e.toml()),
                    RiskImpact::Cost(e) => format!("cost = {}", e.toml()),
                    RiskImpact::ValueLoss(v) => format!("value_loss = {}", num(*v)),
                };
                let _ = writeln!(
                    out,
                    "  {{ name = \"{}\", probability = {}, {impact} }},",
                    r.name,
                    num(r.probability)
                );
            }
            let _ = writeln!(out, "]");
        }
        let fw = &f.framework;
        let _ = writeln!(
            out,
            "reach = {}\nimpact = {}\nconfidence = {}\nease = {}\nmoscow = \"{}\"\nbusiness_value = {}\ntime_criticality = {}\nrisk_reduction = {}\n",
            num(fw.reach),
            num(fw.impact),
            num(fw.confidence),
            num(fw.ease),
            fw.moscow,
            num(fw.business_value),
            num(fw.time_criticality),
            num(fw.risk_reduction)
        );
    }
}

/// Segments the plan has: more for larger backlogs.
fn segment_count(features: usize) -> usize {
    match features {
        0..10 => 2,
        10..60 => 3,
        60..300 => 4,
        _ => 5,
    }
}

fn unique_name(names: &mut HashMap<String, u32>, name: String) -> String {
    let seen = names.entry(name.clone()).or_insert(0);
    *seen += 1;
    if *seen == 1 {
        name
    } else {
        format!("{name}, phase {seen}")
    }
}

/// An id from a name: lower case, words joined by `-`.
fn slug(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

fn unique_id(ids: &mut HashMap<String, u32>, id: String) -> String {
    let seen = ids.entry(id.clone()).or_insert(0);
    *seen += 1;
    if *seen == 1 {
        id
    } else {
        format!("{id}-{seen}")
    }
}

/// Fraction of features ranked above each (0 = the highest guess), ties by index.
fn ranks(scores: &[f64]) -> Vec<f64> {
    let n = scores.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut rank = vec![0.0; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as f64 / n as f64;
    }
    rank
}

/// A line with a comment at column 29, as in the hand-written examples.
fn commented(line: String, comment: &str) -> String {
    format!("{line:<27} # {comment}")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `x` rounded to `digits` significant digits, as the f64 nearest that short decimal (so
/// it prints as written).
fn sig(x: f64, digits: i32) -> f64 {
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
fn round_to(x: f64, steps: f64) -> f64 {
    (x * steps).round() / steps
}

/// A number as TOML: integers without a decimal point, others in their shortest form.
fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A large amount with `_` grouping thousands: 1_500_000.
fn grouped(x: f64) -> String {
    let digits = num(x.round());
    if digits.len() <= 4 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(num(sig(0.000271828, 2)), "0.00027");
        assert_eq!(num(sig(12345.0, 2)), "12000");
        assert_eq!(num(sig(0.1 * 3.0, 2)), "0.3");
        assert_eq!(num(round_to(0.15000001, 20.0)), "0.15");
        assert_eq!(grouped(1_234_000.0), "1_234_000");
        assert_eq!(grouped(4000.0), "4000");
    }

    #[test]
    fn the_spec_names_the_allowed_range() {
        let mut s = GenerateSpec::new(0, 3, 4, 1);
        assert!(s.check().unwrap_err().contains("from 1 to 20000"));
        s.features = 10;
        s.effort_correlation = 0.9;
        assert!(s.check().unwrap_err().contains("from 0 to 0.8"));
        s.effort_correlation = f64::NAN;
        assert!(s.check().is_err());
    }
}
