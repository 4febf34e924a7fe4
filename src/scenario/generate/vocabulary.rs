//! The words a generated portfolio is written in: product areas, feature and enabler
//! names, team and segment catalogues, customers, regions; and how names become unique ids.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
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

pub(super) const ALL_AREAS: [Area; 11] = [
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
pub(super) const OBJECTS: [(&str, &str); 28] = [
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
pub(super) const ENABLER_TEMPLATES: [&str; 8] = [
    "New data model for {}",
    "Event pipeline for {s} changes",
    "Permissions service for {}",
    "Shared {s} components",
    "Usage metering for {}",
    "Search index for {}",
    "Sync engine for {}",
    "Internal API for {}",
];

pub(super) const BILLING_OBJECTS: [(&str, &str); 8] = [
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
    pub(super) fn templates(self) -> &'static [&'static str] {
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

    pub(super) fn objects(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Area::Billing => &BILLING_OBJECTS,
            _ => &OBJECTS,
        }
    }

    /// Segment catalogue indices this area's features most often lift.
    pub(super) fn segments(self) -> &'static [usize] {
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
    pub(super) fn direct_share(self) -> f64 {
        match self {
            Area::Reliability | Area::Security | Area::Billing => 0.85,
            _ => 0.15,
        }
    }
}

pub(super) struct TeamKind {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) areas: &'static [Area],
}

pub(super) const TEAM_CATALOGUE: [TeamKind; 10] = [
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

pub(super) struct SegmentKind {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    /// Net price per account per month, likely value, and its relative spread.
    pub(super) price: f64,
    pub(super) price_spread: f64,
    /// Monthly growth: likely, and the half-width of its range (0 = a known rate).
    pub(super) growth: f64,
    pub(super) growth_spread: f64,
    /// Accounts per month in a plausible market of this kind: the least a segment offers.
    pub(super) nominal_demand: f64,
}

pub(super) const SEGMENT_CATALOGUE: [SegmentKind; 5] = [
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

pub(super) const CUSTOMERS: [&str; 24] = [
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

pub(super) const CUSTOMER_KINDS: [&str; 10] = [
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

pub(super) const REGIONS: [&str; 8] = [
    "EMEA",
    "APAC",
    "North America",
    "LATAM",
    "Germany",
    "Japan",
    "Nordics",
    "UK",
];

pub(super) const FIBONACCI: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0];

pub(super) fn unique_name(names: &mut HashMap<String, u32>, name: String) -> String {
    let seen = names.entry(name.clone()).or_insert(0);
    *seen += 1;
    if *seen == 1 {
        name
    } else {
        format!("{name}, phase {seen}")
    }
}

/// An id from a name: lower case, words joined by `-`.
pub(super) fn slug(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

pub(super) fn unique_id(ids: &mut HashMap<String, u32>, id: String) -> String {
    let seen = ids.entry(id.clone()).or_insert(0);
    *seen += 1;
    if *seen == 1 {
        id
    } else {
        format!("{id}-{seen}")
    }
}
