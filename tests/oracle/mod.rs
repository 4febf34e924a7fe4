//! A brute-force reference for the optimizer: tiny random scenarios, every plan of them
//! enumerated, each checked by the independent plan checker and valued by code written here
//! from scenarios/README.md "How value and cost are counted", not from any formulation.
//!
//! Scenarios use constant numbers only, so expectations are exact. Team time a feature takes is
//! paid over the period it is released in, so an enumeration of delivery periods times it.

#![allow(dead_code)] // Shared by several test crates, each using a part.

use proptest::prelude::*;
use proptest::sample::Index;
use roadmap::model::staffing::{Assignment, ExtraKind, Purchase};
use roadmap::model::time::WEEKS_PER_MONTH;
use roadmap::model::{Model, Plan};
use roadmap::plan_check::{check_plan, CheckBasis};
use std::fmt;

mod money;
// Each test crate that includes the oracle uses a part of it.
#[allow(unused_imports)]
pub use money::{npv, period_spend, spend};

/// Cases per property: 256 unless PROPTEST_CASES says otherwise. (At 64 the suite missed a
/// deal whose last feature ships after another feature's hard deadline; 256 finds such
/// shapes and still runs in seconds.)
pub fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    }
}

/// A tiny scenario as TOML text. Debug prints it as written, so a failing case can be pasted
/// into a file and run with `roadmap`.
#[derive(Clone, PartialEq)]
pub struct Tiny(pub String);

impl fmt::Debug for Tiny {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.0)
    }
}

/// The model of a tiny scenario, or None when validation refuses it (mandatory work that
/// cannot fit, a deadline before an earliest period, ...): such scenarios never reach the
/// optimizer.
pub fn model(tiny: &Tiny) -> Option<Model> {
    crate::common::load::try_load("tiny.toml", tiny.0.clone())
        .ok()
        .map(|loaded| loaded.model)
}

#[derive(Debug, Clone)]
struct RiskSpec {
    /// In quarters: 1 = 25%.
    probability_quarters: u32,
    effort_weeks: Option<u32>,
    delay_weeks: Option<u32>,
    cost: Option<u32>,
    /// In tenths.
    value_loss_tenths: Option<u32>,
    /// A hit of the scenario's common risk (`shared`, probability 0.5): the probability above
    /// is then its chance given the common risk.
    common: bool,
}

#[derive(Debug, Clone)]
struct RecurringSpec {
    /// Currency a month.
    per_month: Option<u32>,
    /// Currency per thousand customers of the segment a month (only with a segment).
    per_thousand_customers: Option<u32>,
    from_start: bool,
}

#[derive(Debug, Clone)]
struct FeatureSpec {
    /// Person-weeks per team slot; slots past the scenario's teams are ignored.
    effort_weeks: Vec<Option<u32>>,
    value_monthly: Option<u32>,
    ramp_months: u32,
    requires: Vec<(Index, usize)>,
    excludes: Option<Index>,
    mandatory: bool,
    /// Raw period (reduced modulo the plan's periods) and, for a soft deadline, its penalty
    /// and sometimes a hard limit that many periods after it (dropped past the plan's end).
    deadline: Option<(usize, Option<u32>, Option<usize>)>,
    earliest: Option<usize>,
    lead_weeks: Option<u32>,
    /// Days after the plan's first day the vendor's part is ready (dated plans only), and a
    /// slip in weeks after it.
    ready: Option<(u32, Option<u32>)>,
    cost: Option<u32>,
    theme: Option<usize>,
    uplift_permille: Option<u32>,
    risk: Option<RiskSpec>,
    recurring: Option<RecurringSpec>,
    any_of: Option<AnyOfSpec>,
    /// Order inside the feature, over the teams it has work for: the first alone and then the
    /// rest together (false), or each alone from the last to the first (true).
    stages: Option<bool>,
}

/// A requirement any one of two earlier features meets (so groups never form a cycle).
#[derive(Debug, Clone)]
struct AnyOfSpec {
    first: Index,
    second: Index,
    lag: usize,
    /// The two alternatives exclude each other: "built or bought".
    exclusive: bool,
}

#[derive(Debug, Clone)]
struct TeamSpec {
    capacity_weeks: Vec<u32>,
    per_period: bool,
    cost_per_week: u32,
    /// Paid for its whole capacity (salaried), not per week worked.
    fixed: bool,
}

/// An `[[extra_capacity]]` option on one of the teams.
#[derive(Debug, Clone)]
struct ExtraSpec {
    team: Index,
    hire: bool,
    /// People at once: up to 2 hires, one contractor (so the enumeration stays small).
    people: u32,
    cost_per_week: u32,
    /// A person's full output, in tenths of the period's weeks.
    per_person_tenths: u32,
    lead_weeks: u32,
    ramp_weeks: u32,
}

/// A `[[pools]]` of one person who can join two of the teams.
#[derive(Debug, Clone)]
struct PoolSpec {
    first: Index,
    second: Index,
    cost_per_week: u32,
    per_person_tenths: u32,
}

#[derive(Debug, Clone)]
struct DealSpec {
    features: Vec<Index>,
    one_off: Option<u32>,
    monthly: Option<u32>,
    by: Option<usize>,
    /// Any of this many of its features (capped at their number).
    need: Option<usize>,
    /// With `by`: paid late, less this per period late, until `by` + the expiry's periods.
    late: Option<(u32, Option<usize>)>,
}

#[derive(Debug, Clone)]
struct ThemeSpec {
    min_tenths: u32,
    max_tenths: u32,
}

#[derive(Debug, Clone)]
struct SegmentSpec {
    demand: u32,
    price: u32,
    growth_permille: i32,
    /// Read as a customer stock: `demand` new customers a month, this share kept a month.
    retention_percent: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
enum DateStyle {
    /// Dates on the boundary the rule reads: a period's last day for a due date, its first
    /// day for a start.
    Boundary,
    /// Dates a few days inside the period the rule rounds from (the next one for a due date,
    /// the one before for a start), where there is one.
    Inside,
}

#[derive(Debug, Clone)]
struct ScenarioSpec {
    periods: usize,
    period_weeks: f64,
    /// Some(rate): discounted; None: undiscounted. Team time is paid either way.
    discount_rate: Option<f64>,
    horizon_extra_months: Option<u32>,
    budget: Option<u32>,
    /// A budget for each period (its entries cycled over the periods).
    budget_per_period: Option<Vec<u32>>,
    /// The plan starts on a date, and its deadlines, earliest starts and deal dates are written
    /// as dates: on a period's boundary, or inside the neighbouring period the rule rounds
    /// from.
    dated: Option<DateStyle>,
    teams: Vec<TeamSpec>,
    extra: Option<ExtraSpec>,
    pool: Option<PoolSpec>,
    segment: Option<SegmentSpec>,
    themes: Vec<ThemeSpec>,
    features: Vec<FeatureSpec>,
    deals: Vec<DealSpec>,
}

fn risk_spec() -> impl Strategy<Value = RiskSpec> {
    (
        1u32..=3,
        prop::option::weighted(0.5, 1u32..=6),
        prop::option::weighted(0.4, 1u32..=12),
        prop::option::weighted(0.4, 100u32..=5000),
        prop::option::weighted(0.4, 1u32..=5),
        prop::bool::weighted(0.35),
    )
        .prop_map(
            |(probability_quarters, effort_weeks, delay_weeks, cost, value_loss_tenths, common)| {
                RiskSpec {
                    // A hit of the common risk is often certain given it.
                    probability_quarters: if common && probability_quarters == 3 {
                        4
                    } else {
                        probability_quarters
                    },
                    effort_weeks,
                    delay_weeks,
                    cost,
                    value_loss_tenths,
                    common,
                }
            },
        )
}

fn recurring_spec() -> impl Strategy<Value = RecurringSpec> {
    (
        prop::option::weighted(0.8, 10u32..=3000),
        prop::option::weighted(0.4, 100u32..=5000),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(per_month, per_thousand_customers, from_start)| RecurringSpec {
                per_month,
                per_thousand_customers,
                from_start,
            },
        )
}

fn feature_spec() -> impl Strategy<Value = FeatureSpec> {
    let work = (
        prop::collection::vec(prop::option::weighted(0.6, 0u32..=12), 3),
        prop::option::weighted(0.8, 0u32..=3000),
        prop_oneof![3 => Just(0u32), 1 => 1u32..=6],
        prop::collection::vec((any::<Index>(), 0usize..=1), 0..=2),
        prop::option::weighted(0.15, any::<Index>()),
        prop::bool::weighted(0.08),
    );
    let timing = (
        prop::option::weighted(
            0.3,
            (
                0usize..3,
                prop::option::weighted(0.5, 0u32..=2000),
                prop::option::weighted(0.4, 0usize..2),
            ),
        ),
        prop::option::weighted(0.25, 0usize..3),
        prop::option::weighted(0.2, 0u32..=30),
        prop::option::weighted(0.25, 0u32..=20_000),
        prop::option::weighted(0.3, 0usize..2),
        prop::option::weighted(0.2, 1u32..=50),
        prop::option::weighted(0.15, risk_spec()),
        prop::option::weighted(0.25, (0u32..=300, prop::option::weighted(0.3, 0u32..=10))),
    );
    let money = (
        prop::option::weighted(0.25, recurring_spec()),
        prop::option::weighted(0.35, any::<bool>()),
    );
    let any_of = prop::option::weighted(
        0.3,
        (
            any::<Index>(),
            any::<Index>(),
            0usize..=1,
            prop::bool::weighted(0.5),
        )
            .prop_map(|(first, second, lag, exclusive)| AnyOfSpec {
                first,
                second,
                lag,
                exclusive,
            }),
    );
    (work, timing, money, any_of).prop_map(
        |(
            (effort_weeks, value_monthly, ramp_months, requires, excludes, mandatory),
            (deadline, earliest, lead_weeks, cost, theme, uplift_permille, risk, ready),
            (recurring, stages),
            any_of,
        )| FeatureSpec {
            effort_weeks,
            value_monthly,
            ramp_months,
            requires,
            excludes,
            mandatory,
            deadline,
            earliest,
            lead_weeks,
            cost,
            theme,
            uplift_permille,
            risk,
            recurring,
            ready,
            any_of,
            stages,
        },
    )
}

fn team_spec() -> impl Strategy<Value = TeamSpec> {
    (
        prop::collection::vec(0u32..=20, 3),
        prop::bool::weighted(0.3),
        1u32..=300,
        prop::bool::weighted(0.25),
    )
        .prop_map(
            |(capacity_weeks, per_period, cost_per_week, fixed)| TeamSpec {
                capacity_weeks,
                per_period,
                cost_per_week,
                fixed,
            },
        )
}

fn deal_spec() -> impl Strategy<Value = DealSpec> {
    (
        prop::collection::vec(any::<Index>(), 1..=3),
        prop::option::weighted(0.7, 100u32..=20_000),
        prop::option::weighted(0.6, 10u32..=1000),
        prop::option::weighted(0.5, 0usize..3),
        prop::option::weighted(0.3, 1usize..3),
        prop::option::weighted(
            0.35,
            (
                prop_oneof![Just(500u32), Just(5_000), Just(50_000)],
                prop::option::weighted(0.5, 0usize..2),
            ),
        ),
    )
        .prop_map(|(features, one_off, monthly, by, need, late)| DealSpec {
            features,
            one_off,
            monthly,
            by,
            need,
            late,
        })
}

fn extra_spec() -> impl Strategy<Value = ExtraSpec> {
    (
        any::<Index>(),
        prop::bool::weighted(0.5),
        1u32..=2,
        0u32..=400,
        5u32..=10,
        prop_oneof![Just(0u32), Just(4), Just(13), Just(20)],
        prop_oneof![Just(0u32), Just(4), Just(13), Just(20)],
    )
        .prop_map(
            |(team, hire, people, cost_per_week, per_person_tenths, lead_weeks, ramp_weeks)| {
                ExtraSpec {
                    team,
                    hire,
                    people: if hire { people } else { 1 },
                    cost_per_week,
                    per_person_tenths,
                    lead_weeks,
                    ramp_weeks,
                }
            },
        )
}

fn pool_spec() -> impl Strategy<Value = PoolSpec> {
    (any::<Index>(), any::<Index>(), 0u32..=400, 5u32..=10).prop_map(
        |(first, second, cost_per_week, per_person_tenths)| PoolSpec {
            first,
            second,
            cost_per_week,
            per_person_tenths,
        },
    )
}

fn theme_spec() -> impl Strategy<Value = ThemeSpec> {
    (
        prop_oneof![4 => Just(0u32), 1 => 1u32..=3],
        prop_oneof![2 => Just(10u32), 1 => 3u32..=9],
    )
        .prop_map(|(min_tenths, max_tenths)| ThemeSpec {
            min_tenths: min_tenths.min(max_tenths),
            max_tenths,
        })
}

fn segment_spec() -> impl Strategy<Value = SegmentSpec> {
    (
        100u32..=2000,
        1u32..=50,
        prop_oneof![Just(0i32), Just(10), Just(-10)],
        prop::option::weighted(0.4, prop_oneof![Just(0u32), Just(60), Just(95), Just(100)]),
    )
        .prop_map(
            |(demand, price, growth_permille, retention_percent)| SegmentSpec {
                demand,
                price,
                growth_permille,
                retention_percent,
            },
        )
}

fn scenario_spec() -> impl Strategy<Value = ScenarioSpec> {
    let calendar = (
        1usize..=3,
        prop_oneof![3 => Just(13.0), 1 => Just(4.0), 1 => Just(26.0)],
        prop::option::weighted(0.5, prop_oneof![Just(0.05), Just(0.1), Just(0.3)]),
        prop::option::weighted(0.3, 0u32..=12),
        prop::option::weighted(0.25, 0u32..=60_000),
        prop::option::weighted(0.2, prop::collection::vec(0u32..=30_000, 1..=3)),
        prop::option::weighted(
            0.35,
            prop_oneof![Just(DateStyle::Boundary), Just(DateStyle::Inside)],
        ),
    );
    let parts = (
        prop::collection::vec(team_spec(), 1..=3),
        (
            prop::option::weighted(0.35, extra_spec()),
            prop::option::weighted(0.35, pool_spec()),
        ),
        prop::option::weighted(0.3, segment_spec()),
        prop::collection::vec(theme_spec(), 0..=2),
        prop::collection::vec(feature_spec(), 2..=8),
        prop::collection::vec(deal_spec(), 0..=2),
    );
    (calendar, parts).prop_map(
        |(
            (
                periods,
                period_weeks,
                discount_rate,
                horizon_extra_months,
                budget,
                budget_per_period,
                dated,
            ),
            (teams, (extra, pool), segment, themes, features, deals),
        )| ScenarioSpec {
            periods,
            period_weeks,
            discount_rate,
            horizon_extra_months,
            budget,
            budget_per_period,
            dated,
            teams,
            extra,
            pool,
            segment,
            themes,
            features,
            deals,
        },
    )
}

/// Tiny random scenarios: 2 to 8 features, 1 to 3 periods, 1 to 3 teams, constant numbers,
/// with requirements (acyclic, lags 0 or 1), any-of groups of two features (lags 0 or 1,
/// half of them alternatives that exclude each other), exclusions, a few mandatory features, hard and
/// soft deadlines (some soft ones with a hard limit after them), earliest periods, vendor lead
/// times, one-off costs, risks, deals with and without a date, sometimes a budget and budgets
/// per period, themes, a segment, direct values and ramps, recurring costs (a month and per
/// customer, from the release or the start) and fixed-cost teams; some plans start on a date,
/// write their dates as dates and have vendors ready on a date, with or without a slip.
pub fn tiny_scenario() -> impl Strategy<Value = Tiny> {
    scenario_spec().prop_map(|spec| Tiny(render(&spec)))
}

fn render(s: &ScenarioSpec) -> String {
    use std::fmt::Write;
    let p = s.periods;
    let n = s.features.len();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "[plan]\nperiods = {p}\nperiod_weeks = {}",
        s.period_weeks
    );
    let _ = writeln!(t, "discount_rate = {}", s.discount_rate.unwrap_or(0.0));
    let dates = Dates::new(s);
    if dates.calendar.is_some() {
        let _ = writeln!(t, "start = \"{START_DATE}\"");
    }
    if let Some(budgets) = &s.budget_per_period {
        let list: Vec<String> = (0..p)
            .map(|q| budgets[q % budgets.len()].to_string())
            .collect();
        let _ = writeln!(t, "budget_per_period = [{}]", list.join(", "));
    }
    if let Some(extra) = s.horizon_extra_months {
        let plan_months = p as f64 * s.period_weeks / WEEKS_PER_MONTH;
        let _ = writeln!(t, "horizon_months = {}", plan_months.ceil() + extra as f64);
    }
    if let Some(b) = s.budget {
        let _ = writeln!(t, "budget = {b}");
    }
    for (k, team) in s.teams.iter().enumerate() {
        let capacity = if team.per_period {
            let list: Vec<String> = (0..p)
                .map(|q| team.capacity_weeks[q % team.capacity_weeks.len()].to_string())
                .collect();
            format!("[{}]", list.join(", "))
        } else {
            team.capacity_weeks[0].to_string()
        };
        let cost = team.cost_per_week;
        let _ = writeln!(
            t,
            "\n[[teams]]\nid = \"t{k}\"\ncapacity = {capacity}\ncost_per_week = {cost}"
        );
        if team.fixed {
            let _ = writeln!(t, "cost_kind = \"fixed\"");
        }
    }
    // Extra capacity only beside few features: the enumeration tries every purchase with
    // every plan.
    if let Some(x) = s.extra.as_ref().filter(|_| n <= 5) {
        let k = x.team.index(s.teams.len());
        let _ = writeln!(
            t,
            "\n[[extra_capacity]]\nid = \"x\"\nteam = \"t{k}\"\nkind = \"{}\"\npeople = {}\ncapacity_per_person = {}\nlead_weeks = {}\nramp_weeks = {}",
            if x.hire { "hire" } else { "contractor" },
            x.people,
            s.period_weeks * x.per_person_tenths as f64 / 10.0,
            x.lead_weeks,
            x.ramp_weeks
        );
        // A team paid by the week pays its newcomers' work at its rate; only a salaried
        // team's newcomers have a pay of their own.
        if s.teams[k].fixed {
            let _ = writeln!(t, "cost_per_week = {}", x.cost_per_week);
        }
    }
    // A pool only beside few features, for the same reason.
    if let Some(q) = s.pool.as_ref().filter(|_| n <= 4) {
        let (a, b) = (q.first.index(s.teams.len()), q.second.index(s.teams.len()));
        let mut teams = vec![a];
        if b != a {
            teams.push(b);
        }
        let list: Vec<String> = teams.iter().map(|k| format!("\"t{k}\"")).collect();
        let _ = writeln!(
            t,
            "\n[[pools]]\nid = \"q\"\nteams = [{}]\npeople = 1\ncapacity_per_person = {}",
            list.join(", "),
            s.period_weeks * q.per_person_tenths as f64 / 10.0
        );
        // Pay of its own only when every team it joins is salaried.
        if teams.iter().all(|&k| s.teams[k].fixed) {
            let _ = writeln!(t, "cost_per_week = {}", q.cost_per_week);
        }
    }
    if let Some(seg) = &s.segment {
        let customers = match seg.retention_percent {
            Some(r) => format!(
                "new_customers = {}\nretention = {}",
                seg.demand,
                r as f64 / 100.0
            ),
            None => format!("demand = {}", seg.demand),
        };
        let _ = writeln!(
            t,
            "\n[[segments]]\nid = \"s\"\n{customers}\nprice = {}\ngrowth = {}",
            seg.price,
            seg.growth_permille as f64 / 1000.0
        );
    }
    if s.features
        .iter()
        .any(|f| f.risk.as_ref().is_some_and(|r| r.common))
    {
        let _ = writeln!(t, "\n[[risks]]\nid = \"shared\"\nprobability = 0.5");
    }
    for (k, theme) in s.themes.iter().enumerate() {
        let _ = writeln!(
            t,
            "\n[[themes]]\nid = \"th{k}\"\nmin_share = {}\nmax_share = {}",
            theme.min_tenths as f64 / 10.0,
            theme.max_tenths as f64 / 10.0
        );
    }
    let required = requirements(s);
    let groups = any_of_groups(s);
    let exclusions = exclusions(s, &required, &groups);
    for (f, feature) in s.features.iter().enumerate() {
        let rules = Rules {
            required: &required[f],
            group: groups[f],
            excludes: exclusions[f],
        };
        render_feature(&mut t, s, f, feature, &rules, &dates);
    }
    for (k, deal) in s.deals.iter().enumerate() {
        let mut ids: Vec<usize> = deal.features.iter().map(|i| i.index(n)).collect();
        ids.sort_unstable();
        ids.dedup();
        let list: Vec<String> = ids.iter().map(|g| format!("\"f{g}\"")).collect();
        let _ = writeln!(
            t,
            "\n[[deals]]\nid = \"d{k}\"\nfeatures = [{}]",
            list.join(", ")
        );
        if let Some(o) = deal.one_off {
            let _ = writeln!(t, "one_off = {o}");
        }
        if let Some(m) = deal.monthly {
            let _ = writeln!(t, "monthly = {m}");
        }
        if let Some(by) = deal.by {
            let _ = writeln!(t, "by = {}", dates.due(by % p));
            if let Some((penalty, expires)) = deal.late {
                let _ = writeln!(t, "late_penalty = {penalty}");
                if let Some(after) = expires {
                    let _ = writeln!(t, "expires = {}", dates.due((by % p + after).min(p - 1)));
                }
            }
        }
        if let Some(need) = deal.need {
            let _ = writeln!(t, "need = {}", need.min(ids.len()));
        }
    }
    t
}

/// What a feature's requirements and exclusion are, once the scenario has settled them.
struct Rules<'a> {
    required: &'a [(usize, usize)],
    group: Option<(usize, usize, usize)>,
    excludes: Option<usize>,
}

/// One `[[features]]` table of a tiny scenario.
fn render_feature(
    t: &mut String,
    s: &ScenarioSpec,
    f: usize,
    feature: &FeatureSpec,
    rules: &Rules,
    dates: &Dates,
) {
    use std::fmt::Write;
    let _ = writeln!(t, "\n[[features]]\nid = \"f{f}\"");
    let effort: Vec<String> = feature
        .effort_weeks
        .iter()
        .enumerate()
        .take(s.teams.len())
        .filter_map(|(k, w)| w.map(|w| format!("t{k} = {w}")))
        .collect();
    if !effort.is_empty() {
        let _ = writeln!(t, "effort = {{ {} }}", effort.join(", "));
    }
    let working: Vec<String> = feature
        .effort_weeks
        .iter()
        .enumerate()
        .take(s.teams.len())
        .filter(|(_, w)| w.is_some_and(|w| w > 0))
        .map(|(k, _)| format!("\"t{k}\""))
        .collect();
    match feature.stages {
        Some(false) if working.len() >= 2 => {
            let _ = writeln!(
                t,
                "stages = [{}, [{}]]",
                working[0],
                working[1..].join(", ")
            );
        }
        Some(true) if working.len() >= 2 => {
            let reversed: Vec<&str> = working.iter().rev().map(String::as_str).collect();
            let _ = writeln!(t, "stages = [{}]", reversed.join(", "));
        }
        _ => {}
    }
    if let Some(v) = feature.value_monthly {
        let _ = writeln!(t, "value = {v}");
    }
    if feature.ramp_months > 0 {
        let _ = writeln!(t, "ramp_months = {}", feature.ramp_months);
    }
    if let (Some(u), Some(_)) = (feature.uplift_permille, &s.segment) {
        let _ = writeln!(t, "uplift = {{ s = {} }}", u as f64 / 1000.0);
    }
    let mut list: Vec<String> = rules
        .required
        .iter()
        .map(|(g, lag)| format!("{{ id = \"f{g}\", lag = {lag} }}"))
        .collect();
    if let Some((a, b, lag)) = rules.group {
        list.push(format!("{{ any = [\"f{a}\", \"f{b}\"], lag = {lag} }}"));
    }
    if !list.is_empty() {
        let _ = writeln!(t, "requires = [{}]", list.join(", "));
    }
    if let Some(x) = rules.excludes {
        let _ = writeln!(t, "excludes = [\"f{x}\"]");
    }
    if feature.mandatory {
        let _ = writeln!(t, "mandatory = true");
    }
    timing(t, feature, dates);
    if let Some(l) = feature.lead_weeks {
        let _ = writeln!(t, "vendor_lead_weeks = {l}");
    }
    if let Some(c) = feature.cost {
        let _ = writeln!(t, "cost = {c}");
    }
    if let (Some(k), false) = (feature.theme, s.themes.is_empty()) {
        let _ = writeln!(t, "theme = \"th{}\"", k % s.themes.len());
    }
    if let Some(r) = &feature.risk {
        let mut parts = vec![format!(
            "probability = {}",
            r.probability_quarters as f64 / 4.0
        )];
        if r.common {
            parts.insert(0, "event = \"shared\"".to_string());
        }
        if let Some(w) = r.effort_weeks {
            parts.push(format!("effort = {{ t0 = {w} }}"));
        }
        if let Some(d) = r.delay_weeks {
            parts.push(format!("delay_weeks = {d}"));
        }
        if let Some(c) = r.cost {
            parts.push(format!("cost = {c}"));
        }
        if let Some(v) = r.value_loss_tenths {
            parts.push(format!("value_loss = {}", v as f64 / 10.0));
        }
        let _ = writeln!(t, "risks = [{{ {} }}]", parts.join(", "));
    }
    if let Some(r) = &feature.recurring {
        let mut parts = Vec::new();
        if let Some(m) = r.per_month {
            parts.push(format!("per_month = {m}"));
        }
        // A cost per customer needs a segment that counts accounts: one read as demand.
        let accounts = s.segment.as_ref().filter(|g| g.retention_percent.is_none());
        if let (Some(c), Some(_)) = (r.per_thousand_customers, accounts) {
            parts.push(format!(
                "per_customer = {}, segment = \"s\"",
                c as f64 / 1000.0
            ));
        }
        if r.from_start {
            parts.push("from = \"start\"".to_string());
        }
        if parts.iter().any(|p| p.starts_with("per_")) {
            let _ = writeln!(t, "recurring_cost = {{ {} }}", parts.join(", "));
        }
    }
}

/// How a tiny plan writes its periods: as numbers, or, when it starts on a date, as dates in
/// its style. The calendar is read from the library: the generator needs the period
/// boundaries to write dates that mean the periods it chose (validation's reading of dates
/// has its own tests, in tests/calendar.rs).
struct Dates {
    periods: usize,
    calendar: Option<(DateStyle, roadmap::model::calendar::Calendar)>,
}

impl Dates {
    fn new(s: &ScenarioSpec) -> Self {
        let calendar = s.dated.map(|style| {
            let time =
                roadmap::model::TimeFrame::new(s.periods, s.period_weeks, START_DATE, 999.0, 0.0);
            (style, time.calendar.expect("a date start has a calendar"))
        });
        Dates {
            periods: s.periods,
            calendar,
        }
    }

    /// Period `k` as a due date: its last day, or a day inside the next period.
    fn due(&self, k: usize) -> String {
        match &self.calendar {
            None => (k + 1).to_string(),
            Some((DateStyle::Inside, c)) if k + 1 < self.periods => {
                format!("\"{}\"", c.first_day(k + 1).plus_days(2))
            }
            Some((_, c)) => format!("\"{}\"", c.last_day(k)),
        }
    }

    /// Period `k` as a start: its first day, or a day inside the period before.
    fn opens(&self, k: usize) -> String {
        match &self.calendar {
            None => (k + 1).to_string(),
            Some((DateStyle::Inside, c)) if k > 0 => {
                format!("\"{}\"", c.first_day(k - 1).plus_days(3))
            }
            Some((_, c)) => format!("\"{}\"", c.first_day(k)),
        }
    }
}

/// A feature's earliest start, deadline (hard, soft, or a target with a limit) and vendor
/// ready date, written as `dates` writes periods.
fn timing(t: &mut String, feature: &FeatureSpec, dates: &Dates) {
    use std::fmt::Write;
    let p = dates.periods;
    let earliest = feature.earliest.map(|e| e % p);
    if let Some(e) = earliest {
        let _ = writeln!(t, "earliest = {}", dates.opens(e));
    }
    if let Some((raw, penalty, limit)) = feature.deadline {
        // A deadline before the earliest period is refused by validation.
        let period = (raw % p).max(earliest.unwrap_or(0));
        let at = dates.due(period);
        let limit = limit.map(|k| period + 1 + k).filter(|&l| l < p);
        let _ = match (penalty, limit) {
            (Some(penalty), Some(limit)) => writeln!(
                t,
                "deadline = {{ target = {at}, limit = {}, penalty = {penalty} }}",
                dates.due(limit)
            ),
            (Some(penalty), None) => writeln!(
                t,
                "deadline = {{ period = {at}, kind = \"soft\", penalty = {penalty} }}"
            ),
            (None, _) => writeln!(t, "deadline = {at}"),
        };
    }
    if let (Some((days, slip)), Some((_, c))) = (feature.ready, &dates.calendar) {
        let date = c.start.plus_days(i64::from(days));
        let _ = match slip {
            Some(w) => writeln!(
                t,
                "vendor_ready = {{ date = \"{date}\", delay_weeks = {w} }}"
            ),
            None => writeln!(t, "vendor_ready = \"{date}\""),
        };
    }
}

/// The first day of a dated tiny plan: a Monday in the first week of a quarter, so 13-week
/// periods are calendar quarters, 26-week ones halves, and 4-week ones 28 days each.
const START_DATE: &str = "2027-01-04";

/// Each feature's requirements (feature, lag). Only earlier features may be required, so
/// requirements never form a cycle.
fn requirements(s: &ScenarioSpec) -> Vec<Vec<(usize, usize)>> {
    s.features
        .iter()
        .enumerate()
        .map(|(f, feature)| {
            let mut required: Vec<(usize, usize)> = Vec::new();
            if f > 0 {
                for (index, lag) in &feature.requires {
                    let g = index.index(f);
                    if !required.iter().any(|r| r.0 == g) {
                        required.push((g, *lag));
                    }
                }
            }
            required
        })
        .collect()
}

/// Each feature's any-of group of two earlier features (a, b) with its lag, if any: earlier
/// features only, so groups and requirements never form a cycle.
fn any_of_groups(s: &ScenarioSpec) -> Vec<Option<(usize, usize, usize)>> {
    s.features
        .iter()
        .enumerate()
        .map(|(f, feature)| {
            let spec = feature.any_of.as_ref().filter(|_| f >= 2)?;
            let a = spec.first.index(f);
            let mut b = spec.second.index(f - 1);
            if b >= a {
                b += 1;
            }
            Some((a, b, spec.lag))
        })
        .collect()
}

/// Each feature's exclusion, if any: its own, or, for the first alternative of an exclusive
/// any-of group, the second ("built or bought"). Validation refuses a feature that needs two
/// features that exclude each other; such pairs are dropped rather than generated and
/// rejected.
fn exclusions(
    s: &ScenarioSpec,
    required: &[Vec<(usize, usize)>],
    groups: &[Option<(usize, usize, usize)>],
) -> Vec<Option<usize>> {
    let n = s.features.len();
    // needs[g][f]: g needs f (itself included), directly or through others.
    let mut needs = vec![vec![false; n]; n];
    for g in 0..n {
        needs[g][g] = true;
        for &(r, _) in &required[g] {
            // r < g, so its row is complete.
            let through = needs[r].clone();
            for (need, via) in needs[g].iter_mut().zip(through) {
                *need |= via;
            }
        }
    }
    let clash = |a: usize, b: usize| (0..n).any(|g| needs[g][a] && needs[g][b]);
    let mut out: Vec<Option<usize>> = s
        .features
        .iter()
        .enumerate()
        .map(|(f, feature)| {
            let x = feature.excludes.as_ref()?.index(n);
            if x == f || clash(f, x) {
                return None;
            }
            Some(x)
        })
        .collect();
    for (feature, group) in s.features.iter().zip(groups) {
        if let (Some(spec), Some((a, b, _))) = (&feature.any_of, *group) {
            if spec.exclusive && out[a].is_none() && !clash(a, b) {
                out[a] = Some(b);
            }
        }
    }
    out
}

/// Calls `visit` with every plan of the model: each feature left out or delivered in one of
/// the periods.
pub fn for_each_plan(model: &Model, mut visit: impl FnMut(&Plan) -> bool) {
    let choices = model.time.periods + 1;
    let n = model.features.len();
    let mut digits = vec![0usize; n];
    let mut plan = Plan::empty(model);
    let purchases = purchase_sets(model);
    let placements = placement_sets(model);
    loop {
        for (f, &d) in digits.iter().enumerate() {
            plan.periods[f] = (d < model.time.periods).then_some(d);
        }
        for bought in &purchases {
            plan.bought = bought.clone();
            for assigned in &placements {
                plan.assigned = assigned.clone();
                if !visit(&plan) {
                    return;
                }
            }
        }
        let mut k = 0;
        loop {
            if k == n {
                return;
            }
            digits[k] += 1;
            if digits[k] < choices {
                break;
            }
            digits[k] = 0;
            k += 1;
        }
    }
}

/// Every set of purchases the scenario's extra capacity allows, counted from
/// scenarios/README.md: a hire starts in any period from the first its lead time reaches and
/// stays to the plan's end; a contractor works any run of periods from then; never more than
/// the option's people at once. The empty set first.
pub fn purchase_sets(model: &Model) -> Vec<Vec<Purchase>> {
    let periods = model.time.periods;
    let mut sets: Vec<Vec<Purchase>> = vec![Vec::new()];
    for (o, option) in model.extra_capacity.iter().enumerate() {
        let w = model.time.period_weeks;
        let first = (0..periods).find(|&s| s as f64 * w >= option.lead_weeks - 1e-9);
        let Some(first) = first else { continue };
        let runs: Vec<(usize, usize)> = (first..periods)
            .flat_map(|s| {
                let ends: Vec<usize> = if option.kind == ExtraKind::Hire {
                    vec![periods - 1]
                } else {
                    (s..periods).collect()
                };
                ends.into_iter().map(move |e| (s, e))
            })
            .collect();
        let mut next = Vec::new();
        for set in &sets {
            // Each run bought 0..=people times, within the people at once.
            let mut counts = vec![0u32; runs.len()];
            loop {
                let at_once = (0..periods).all(|t| {
                    runs.iter()
                        .zip(&counts)
                        .filter(|((s, e), _)| *s <= t && t <= *e)
                        .map(|(_, c)| c)
                        .sum::<u32>()
                        <= option.people
                });
                if at_once {
                    let mut with = set.clone();
                    with.extend(runs.iter().zip(&counts).filter(|(_, c)| **c > 0).map(
                        |(&(from, to), &people)| Purchase {
                            option: o,
                            people,
                            from,
                            to,
                        },
                    ));
                    next.push(with);
                }
                let mut i = 0;
                loop {
                    if i == runs.len() {
                        break;
                    }
                    counts[i] += 1;
                    if counts[i] <= option.people {
                        break;
                    }
                    counts[i] = 0;
                    i += 1;
                }
                if i == runs.len() {
                    break;
                }
            }
        }
        sets = next;
    }
    sets
}

/// Every way to place the pools' people, from scenarios/README.md: in each period, each
/// pool's people go to any of its teams, never more than it has. Placing none first.
pub fn placement_sets(model: &Model) -> Vec<Vec<Assignment>> {
    let mut sets: Vec<Vec<Assignment>> = vec![Vec::new()];
    for (q, pool) in model.pools.iter().enumerate() {
        for t in 0..model.time.periods {
            // Each way to split at most `people` among the pool's teams this period.
            let mut splits: Vec<Vec<u32>> = vec![Vec::new()];
            for _ in &pool.teams {
                splits = splits
                    .into_iter()
                    .flat_map(|s| {
                        let used: u32 = s.iter().sum();
                        (0..=pool.people - used).map(move |c| {
                            let mut s = s.clone();
                            s.push(c);
                            s
                        })
                    })
                    .collect();
            }
            sets = sets
                .into_iter()
                .flat_map(|set| {
                    splits.iter().map(move |split| {
                        let mut with = set.clone();
                        with.extend(pool.teams.iter().zip(split).filter(|(_, &c)| c > 0).map(
                            |(&team, &people)| Assignment {
                                pool: q,
                                team,
                                period: t,
                                people,
                            },
                        ));
                        with
                    })
                })
                .collect();
        }
    }
    sets
}

/// The best feasible plan and its NPV, or None when no plan is feasible.
#[derive(Debug, Clone)]
pub struct Best {
    pub plan: Plan,
    pub npv: f64,
    /// How many plans are feasible.
    pub feasible: usize,
}

pub fn enumerate(model: &Model, basis: &CheckBasis) -> Option<Best> {
    let mut best: Option<Best> = None;
    let mut feasible = 0;
    for_each_plan(model, |plan| {
        if let Some(plan) = with_handoffs(model, plan, basis) {
            feasible += 1;
            let value = npv(model, &plan, basis);
            if best.as_ref().is_none_or(|b| value > b.npv) {
                best = Some(Best {
                    plan,
                    npv: value,
                    feasible: 0,
                });
            }
        }
        true
    });
    best.map(|b| Best { feasible, ..b })
}

pub fn any_feasible(model: &Model, basis: &CheckBasis) -> bool {
    let mut found = false;
    for_each_plan(model, |plan| {
        found = feasible_plan(model, plan, basis);
        !found
    });
    found
}

/// Whether `plan` keeps every rule: the product's checker, and the any-of groups checked
/// here on their own from scenarios/README.md, so that a checker that missed them could not
/// let the enumeration count a plan the optimizer must refuse.
pub fn feasible_plan(model: &Model, plan: &Plan, basis: &CheckBasis) -> bool {
    with_handoffs(model, plan, basis).is_some()
}

/// [`feasible_plan`], giving the plan with the first hand-offs that keep every rule.
pub fn with_handoffs(model: &Model, plan: &Plan, basis: &CheckBasis) -> Option<Plan> {
    if !any_of_holds(model, plan) {
        return None;
    }
    let mut with = plan.clone();
    let mut found = None;
    for_each_handoff(model, &mut with, |p| {
        if check_plan(model, p, basis).is_empty() {
            found = Some(p.clone());
        }
        found.is_none()
    });
    found
}

/// Calls `visit` with `plan` under every set of hand-offs its staged features can have, from
/// scenarios/README.md: each stage but the last done in a period from the feature's earliest
/// on, each a period after the one before, the last stage done by the delivery. A plan
/// without staged features is visited once, as it is.
pub fn for_each_handoff(model: &Model, plan: &mut Plan, mut visit: impl FnMut(&Plan) -> bool) {
    let staged: Vec<(usize, Vec<Vec<usize>>)> = plan
        .planned()
        .filter(|&(f, _)| model.features[f].stages.len() >= 2)
        .map(|(f, due)| {
            let feature = &model.features[f];
            let earliest = feature.earliest_period.unwrap_or(0);
            (f, increasing(earliest, due, feature.stages.len() - 1))
        })
        .collect();
    if staged.iter().any(|(_, ways)| ways.is_empty()) {
        // A delivery too early for its stages: no hand-offs allow it. The checker sees the
        // plan as it is (the stages squeezed into the delivery period) and refuses it.
        plan.handoffs.clear();
        visit(plan);
        return;
    }
    plan.handoffs = vec![Vec::new(); model.features.len()];
    let mut digits = vec![0usize; staged.len()];
    loop {
        for ((f, ways), &d) in staged.iter().zip(&digits) {
            plan.handoffs[*f] = ways[d].clone();
        }
        if !visit(plan) {
            return;
        }
        let mut i = 0;
        loop {
            if i == staged.len() {
                return;
            }
            digits[i] += 1;
            if digits[i] < staged[i].1.len() {
                break;
            }
            digits[i] = 0;
            i += 1;
        }
    }
}

/// Every strictly increasing run of `count` periods from `from` on, all before `due`.
fn increasing(from: usize, due: usize, count: usize) -> Vec<Vec<usize>> {
    if count == 0 {
        return vec![Vec::new()];
    }
    (from..due)
        .flat_map(|h| {
            increasing(h + 1, due, count - 1)
                .into_iter()
                .map(move |mut rest| {
                    rest.insert(0, h);
                    rest
                })
        })
        .collect()
}

/// Every planned feature has, for each of its any-of groups, an alternative planned at least
/// the group's lag before it.
pub fn any_of_holds(model: &Model, plan: &Plan) -> bool {
    plan.planned().all(|(f, pf)| {
        model.features[f].requires_any.iter().all(|group| {
            group
                .features
                .iter()
                .any(|&g| matches!(plan.periods[g], Some(pg) if pg + group.lag_periods <= pf))
        })
    })
}

/// Equal within 1e-6 relative plus 1e-6 absolute.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()) + 1e-6
}

/// Every uncertain input at its mean and every risk event certain (it happens when its
/// probability is at least one half), so one simulated trial is every trial.
pub fn certain(mut model: Model) -> Model {
    for i in 0..model.inputs.len() {
        let mean = model.inputs[i].dist.mean();
        model.inputs[i].dist = roadmap::model::dist::Dist::constant(mean);
    }
    for f in &mut model.features {
        for r in &mut f.risks {
            r.probability = if r.probability >= 0.5 { 1.0 } else { 0.0 };
        }
    }
    model.correlations.clear();
    model
}

/// `plan` executed by the simulator on `trials` futures of `seed`.
pub fn simulate(
    model: &Model,
    plan: &Plan,
    seed: u64,
    trials: u64,
) -> roadmap::simulate::SimResult {
    let schedule = roadmap::simulate::Schedule::Plan(plan.clone());
    crate::common::solve::simulate(model, &schedule, seed, trials, None)
}

/// The stochastic mode, risk-neutral, on `scenarios` futures of `seed`: one thread, 30 s.
pub fn stochastic_options(scenarios: usize, seed: u64) -> roadmap::optimize::OptimizeOptions {
    roadmap::optimize::OptimizeOptions {
        mode: roadmap::optimize::Mode::Stochastic {
            scenarios,
            risk_aversion: 0.0,
            cvar_alpha: 0.9,
            overtime_premium: None,
        },
        seed,
        threads: Some(1),
        time_limit_seconds: Some(30.0),
        ..roadmap::optimize::OptimizeOptions::default()
    }
}

/// Solves `model` in the stochastic mode on each (seed, futures) of `runs` and checks its
/// objective against the simulator on the same futures: equal when every planned feature
/// ships in every future, otherwise at most the simulation (the simulator pays only the part
/// of unfinished work it did). Returns the outcomes and how many were of the first kind.
pub fn stochastic_on_its_futures(
    model: &Model,
    runs: &[(u64, usize)],
) -> (Vec<roadmap::optimize::Outcome>, usize) {
    let mut exact = 0;
    let mut outcomes = Vec::with_capacity(runs.len());
    for &(seed, scenarios) in runs {
        let out = roadmap::optimize::optimize(model, &stochastic_options(scenarios, seed)).unwrap();
        let sim = simulate(model, &out.plan, seed, scenarios as u64);
        let shipped = sim
            .features
            .iter()
            .filter(|f| f.planned.is_some())
            .all(|f| f.p_delivered == 1.0);
        let tolerance = 1e-6 * (1.0 + sim.npv.mean.abs());
        if shipped {
            exact += 1;
            assert!(
                (out.objective - sim.npv.mean).abs() <= tolerance,
                "seed {seed}: objective {} but the plan simulates to {}",
                out.objective,
                sim.npv.mean
            );
        } else {
            assert!(out.objective <= sim.npv.mean + tolerance);
        }
        outcomes.push(out);
    }
    (outcomes, exact)
}
