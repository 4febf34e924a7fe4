//! Resolves a draft into the model: ids to indices, periods to numbers, and every
//! cross-reference check (unknown ids, duplicates, cycles, exclusions, deadlines).

use super::draft::*;
use super::finding::{Finding, Findings, Location, Suggestion, Suggestions};
use crate::model::dist::fmt_num;
use crate::model::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

mod any_of;
mod common_risks;
mod dates;
mod dependencies;
mod exclusions;
mod progress;
mod staffing;
pub(crate) use dates::Reads;
pub(crate) use dependencies::earliest_delivery;
pub use dependencies::prerequisites;
use dependencies::{check_cycles, delay_cause};
pub(crate) use exclusions::check_exclusions;
pub(crate) use progress::check_progress;

/// How many times a team's whole-plan capacity an effort must exceed to be taken for a
/// slip of units rather than a feature too big for the plan.
const UNIT_SLIP_FACTOR: f64 = 5.0;

pub fn resolve(
    mut draft: DraftScenario,
    mut inputs: Vec<Input>,
    declared: &HashSet<(String, String)>,
    findings: &mut Findings,
) -> Option<Model> {
    let time = draft.time.clone()?;
    let dropped = std::mem::take(&mut draft.dropped);
    let hints = Hints::default();
    let ids = Ids {
        teams: index_ids(findings, "teams", draft.teams.iter().map(|t| &t.def)),
        segments: index_ids(findings, "segments", draft.segments.iter().map(|s| &s.def)),
        stock: draft
            .segments
            .iter()
            .map(|s| s.retention.is_some())
            .collect(),
        common_risks: index_ids(findings, "risks", draft.common_risks.iter().map(|c| &c.def)),
        common_probability: draft.common_risks.iter().map(|c| c.probability).collect(),
        themes: index_ids(findings, "themes", draft.themes.iter().map(|t| &t.def)),
        features: index_ids(findings, "features", draft.features.iter().map(|f| &f.def)),
        declared,
        dropped: &dropped,
        hints: &hints,
        time: &time,
    };
    // Deals and extra capacity are referred to by nothing, but their ids must still be unique.
    index_ids(findings, "deals", draft.deals.iter().map(|d| &d.def));
    index_ids(
        findings,
        "extra_capacity",
        draft.extra_capacity.iter().map(|d| &d.def),
    );
    index_ids(findings, "pools", draft.pools.iter().map(|d| &d.def));

    let teams = resolve_teams(&draft, declared, findings);
    let segments = resolve_segments(&draft.segments);
    let themes = resolve_themes(&draft.themes, findings);
    let extra_capacity = staffing::resolve(&ids, findings, &draft.extra_capacity, &teams);
    let pools = staffing::resolve_pools(&ids, findings, &draft.pools, &teams);
    // The most each team can give over the whole plan, at its highest capacity factor.
    let plan_capacity: Vec<f64> = teams
        .iter()
        .map(|t| {
            t.capacity_weeks.iter().sum::<f64>() * inputs[t.capacity_factor.0 as usize].dist.max()
        })
        .collect();
    let needed = needed_ids(&draft);
    let mut features = Vec::with_capacity(draft.features.len());
    let mut groups_written = Vec::with_capacity(draft.features.len());
    let mut unread = Vec::new();
    for f in &draft.features {
        let (feature, written) = ids.feature(findings, f, &mut inputs, &plan_capacity, &mut unread);
        warn_unwritten(findings, f, &needed);
        features.push(feature);
        groups_written.push(written);
    }
    common_risks::check_hits(findings, &draft.common_risks, &draft.features);
    flatten_milestones(&mut draft.deals);
    drop_delivered_deals(&mut draft.deals, &dropped, &draft.features, findings);
    let deals: Vec<Deal> = draft.deals.iter().map(|d| ids.deal(findings, d)).collect();

    if findings.has_errors() {
        return None;
    }
    check_progress(findings, &features, &draft.features);
    any_of::check_group_progress(findings, &features, &groups_written);
    if findings.has_errors() {
        return None;
    }
    let groups_written = any_of::kept_groups(&features, groups_written);
    let mut model = Model {
        name: draft.name,
        currency: draft.currency,
        time,
        inputs,
        teams,
        segments,
        themes,
        features,
        done: Vec::new(),
        deals,
        common_risks: common_risks::resolve(&draft.common_risks),
        extra_capacity,
        pools,
        correlations: Vec::new(),
        budget: draft.budget,
        budget_per_period: draft.budget_per_period,
        commit_confidence: draft.commit_confidence.unwrap_or(DEFAULT_COMMIT_CONFIDENCE),
        simulation: draft.simulation,
        // Set by the loader once the correction is applied to the efforts.
        calibration: None,
    };
    // Done features leave the plan here, once: every check below and every engine sees only
    // the work still to deliver. Deals waiting only for done work were dropped above.
    let still_to_do: Vec<&DraftFeature> = draft
        .features
        .iter()
        .filter(|f| f.status != Status::Done)
        .collect();
    model.take_done();
    let defs: Vec<&Defined> = still_to_do.iter().map(|f| &f.def).collect();
    check_cycles(findings, &model.features, &defs);
    if findings.has_errors() {
        return None;
    }
    any_of::settle_cycles(findings, &mut model.features, &defs, &groups_written);
    if findings.has_errors() {
        return None;
    }
    let (features, time) = (&model.features, &model.time);
    check_exclusions(findings, features, &defs, &model.deals, &draft.deals);
    let earliest = earliest_delivery(features, time, &model.inputs);
    check_deadlines(findings, features, &defs, time, &earliest);
    check_deal_dates(
        findings,
        features,
        &model.deals,
        &draft.deals,
        time,
        &earliest,
    );
    model.remove_inputs(&unread);
    model.correlations = super::correlation::resolve(findings, &model, &draft.correlations);
    Some(model)
}

/// The teams, or an error when the scenario declares none at all (one declared but invalid
/// has its own error).
fn resolve_teams(
    draft: &DraftScenario,
    declared: &HashSet<(String, String)>,
    findings: &mut Findings,
) -> Vec<Team> {
    let teams: Vec<Team> = draft
        .teams
        .iter()
        .map(|t| Team {
            id: t.def.id.clone(),
            name: t.name.clone(),
            capacity_weeks: t.capacity_weeks.clone(),
            capacity_factor: t.capacity_factor,
            cost_per_week: t.cost_per_week,
            cost_kind: t.cost_kind,
        })
        .collect();
    if teams.is_empty() && !declared.iter().any(|(section, _)| section == "teams") {
        findings.push(
            Finding::error(
                draft.time_location.clone().unwrap_or(Location {
                    file: String::new(),
                    line: 0,
                    column: 0,
                }),
                "teams",
                "the scenario has no teams",
            )
            .help(
                "add at least one [[teams]] table with id and capacity (person-weeks per period)",
            ),
        );
    }
    teams
}

fn resolve_segments(segments: &[DraftSegment]) -> Vec<Segment> {
    segments
        .iter()
        .map(|s| Segment {
            id: s.def.id.clone(),
            name: s.name.clone(),
            demand: s.demand,
            growth: s.growth,
            price: s.price,
            retention: s.retention,
        })
        .collect()
}

/// The themes; their minimum shares must leave room for each other.
fn resolve_themes(draft: &[DraftTheme], findings: &mut Findings) -> Vec<Theme> {
    let themes: Vec<Theme> = draft
        .iter()
        .map(|t| Theme {
            id: t.def.id.clone(),
            name: t.name.clone(),
            min_share: t.min_share,
            max_share: t.max_share,
        })
        .collect();
    let min_total: f64 = themes.iter().map(|t| t.min_share).sum();
    if min_total > 1.0 + 1e-9 {
        let first = &draft[0].def;
        findings.push(
            Finding::error(
                first.location.clone(),
                "themes",
                format!(
                    "the themes' minimum shares add up to {:.0}% of the planned work",
                    min_total * 100.0
                ),
            )
            .help("lower some min_share values so they total at most 1"),
        );
    }
    themes
}

/// Ids that a deal or another feature needs, looked up once per feature.
fn needed_ids(draft: &DraftScenario) -> HashSet<&str> {
    draft
        .deals
        .iter()
        .flat_map(|d| d.features.iter())
        .chain(draft.features.iter().flat_map(|g| {
            g.requires
                .iter()
                .map(|(r, _)| r)
                .chain(g.requires_any.iter().flat_map(|group| &group.features))
        }))
        .map(|r| r.id.as_str())
        .collect()
}

/// A feature without effort or value is most likely one whose columns were missed.
fn warn_unwritten(findings: &mut Findings, f: &DraftFeature, needed: &HashSet<&str>) {
    if f.status == Status::Done {
        // Shipped: neither its effort nor its value is planned.
        return;
    }
    if !f.effort_written {
        findings.push(
            Finding::warning(
                f.def.location.clone(),
                format!("{}.effort", f.def.path),
                "this feature has no effort, so it costs no capacity",
            )
            .help("add effort = { team = [low, likely, high] } in person-weeks"),
        );
    }
    if !f.value_written && !f.mandatory && !needed.contains(f.def.id.as_str()) {
        findings.push(
            Finding::warning(
                f.def.location.clone(),
                format!("{}.value", f.def.path),
                "this feature has no value, is not mandatory, and no deal or feature needs it",
            )
            .help("add value (monthly) or uplift on a segment, or mark it mandatory"),
        );
    }
}

/// A deal's milestones are deals of their own, after the deals: each pays when its features
/// ship, by its own date. A deal that pays nothing beyond its milestones leaves with them.
fn flatten_milestones(deals: &mut Vec<DraftDeal>) {
    let mut milestones = Vec::new();
    deals.retain_mut(|d| {
        let pays = d.one_off.is_some() || d.monthly.is_some() || d.milestones.is_empty();
        milestones.append(&mut d.milestones);
        pays
    });
    deals.append(&mut milestones);
}

/// Deals whose features are all done (or dropped in the tracker) are out of the plan's reach:
/// no plan changes what they pay, so no plan counts it.
fn drop_delivered_deals(
    deals: &mut Vec<DraftDeal>,
    dropped: &HashSet<String>,
    features: &[DraftFeature],
    findings: &mut Findings,
) {
    let status: HashMap<&str, Status> = features
        .iter()
        .map(|f| (f.def.id.as_str(), f.status))
        .collect();
    let settled = |id: &str| match status.get(id) {
        Some(s) => *s == Status::Done,
        None => dropped.contains(id),
    };
    deals.retain(|d| {
        let delivered = !d.features.is_empty() && d.features.iter().all(|r| settled(&r.id));
        if delivered {
            let (message, help) = if d.features.iter().any(|r| status.contains_key(r.id.as_str())) {
                (
                    "every feature of this deal is done before the plan starts, so no plan changes it",
                    "the deal is left out of every plan's value, which counts what the plan changes; remove it from the scenario, or give it a feature still to deliver",
                )
            } else {
                (
                    "every feature of this deal is dropped in the backlog (canceled, a duplicate, won't do), so no plan changes it",
                    "the deal is left out of the plan's value; remove it from the scenario, or plan its features again by listing the status column in [backlog] ignore_columns",
                )
            };
            findings.push(
                Finding::warning(d.def.location.clone(), d.def.path.clone(), message).help(help),
            );
        }
        !delivered
    });
}

/// What references resolve against: each section's ids, and the periods of the plan.
struct Ids<'a> {
    teams: HashMap<String, usize>,
    segments: HashMap<String, usize>,
    /// Per segment: read as a customer stock (`new_customers` with `retention`).
    stock: Vec<bool>,
    common_risks: HashMap<String, usize>,
    common_probability: Vec<f64>,
    themes: HashMap<String, usize>,
    features: HashMap<String, usize>,
    /// Every id the scenario declares, by section: one declared but missing from the maps
    /// above is invalid, and has its own error already.
    declared: &'a HashSet<(String, String)>,
    /// Backlog rows the tracker marks dropped.
    dropped: &'a HashSet<String>,
    hints: &'a Hints,
    time: &'a TimeFrame,
}

impl Ids<'_> {
    fn find(
        &self,
        findings: &mut Findings,
        ids: &HashMap<String, usize>,
        r: &Ref,
        what: &str,
        section: &str,
    ) -> Option<usize> {
        if !ids.contains_key(&r.id) && self.declared.contains(&(format!("{what}s"), r.id.clone())) {
            // Declared but invalid: its own error is already reported.
            return None;
        }
        if !ids.contains_key(&r.id) && what == "feature" && self.dropped.contains(&r.id) {
            // Dropped in the tracker: nothing waits for it.
            return None;
        }
        lookup(findings, ids, r, what, section, self.hints)
    }

    fn team(&self, findings: &mut Findings, r: &Ref) -> Option<usize> {
        self.find(findings, &self.teams, r, "team", "[[teams]]")
    }

    /// A feature's stages as team indices: each a team with effort in the feature, listed
    /// once. One stage orders nothing, which is worth a warning.
    fn stages(
        &self,
        findings: &mut Findings,
        f: &DraftFeature,
        effort: &[Effort],
    ) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for stage in &f.stages {
            let mut teams = Vec::new();
            for r in stage {
                let Some(k) = self.team(findings, r) else {
                    continue;
                };
                if seen.contains(&k) {
                    findings.push(
                        Finding::error(
                            r.location.clone(),
                            &r.field,
                            format!("team `{}` is in two stages", r.id),
                        )
                        .help(
                            "list each team once: a team does its part of the feature in one stage",
                        ),
                    );
                    continue;
                }
                if !effort.iter().any(|e| e.team == k) {
                    findings.push(
                        Finding::error(r.location.clone(), &r.field, format!("team `{}` has no effort in {}", r.id, f.def.id))
                            .help(format!("give it effort (effort = {{ {} = [2, 3, 5] }}), or leave it out of the stages", r.id)),
                    );
                    continue;
                }
                seen.push(k);
                teams.push(k);
            }
            if !teams.is_empty() {
                out.push(teams);
            }
        }
        if out.len() == 1 {
            let r = &f.stages[0][0];
            findings.push(
                Finding::warning(r.location.clone(), format!("{}.stages", f.def.path), "one stage orders nothing")
                    .help("list the teams in the order they work, e.g. stages = [\"backend\", \"mobile\"]; teams left out work from the start"),
            );
            out.clear();
        }
        out
    }

    fn other_feature(&self, findings: &mut Findings, r: &Ref) -> Option<usize> {
        self.find(findings, &self.features, r, "feature", "[[features]]")
    }

    /// The period `r` names; a date is read as `reads` says (a due date, or a start).
    fn period(&self, findings: &mut Findings, r: &PeriodRef, reads: Reads) -> Option<usize> {
        let time = self.time;
        if let dates::Written::Date(date) = dates::written(findings, r)? {
            return dates::date_period(findings, time, r, date, reads);
        }
        let found = time.find_period(&r.text);
        if found.is_none() {
            let (first, last) = (&time.labels[0], &time.labels[time.periods - 1]);
            // A label the calendar would reach later is past the plan's end, not a typo.
            let later = time
                .labels_for(time.periods + 60)
                .iter()
                .position(|l| l.eq_ignore_ascii_case(r.text.trim()));
            let (message, help) = match later {
                Some(k) => (
                    format!("`{}` is after the plan's last period, {last}", r.text),
                    format!(
                        "use a period up to {last}, or extend plan.periods to {}",
                        k + 1
                    ),
                ),
                None => (
                    format!("`{}` is not a period of this plan", r.text),
                    format!(
                        "periods are named {first}..{last}, or numbered 1..{}",
                        time.periods
                    ),
                ),
            };
            findings.push(Finding::error(r.location.clone(), &r.field, message).help(help));
        }
        found
    }

    /// The feature as the model holds it, with its any-of groups as written. The inputs it
    /// does not read (all of a done feature's, the whole estimate an in-progress feature's
    /// remaining work replaces) are added to `unread`; they are still checked, so a typo in
    /// them is still reported.
    fn feature<'d>(
        &self,
        findings: &mut Findings,
        f: &'d DraftFeature,
        inputs: &mut [Input],
        plan_capacity: &[f64],
        unread: &mut Vec<InputId>,
    ) -> (Feature, Vec<&'d DraftAnyOf>) {
        let mut effort = self.efforts(findings, f, &f.effort, inputs, plan_capacity);
        if let (Status::InProgress, Some(remaining)) = (f.status, &f.remaining) {
            unread.extend(effort.iter().map(|e| e.weeks));
            effort = self.efforts(findings, f, remaining, inputs, plan_capacity);
        }
        let uplift = f
            .uplift
            .iter()
            .filter_map(|(r, input)| {
                let segment = self.find(findings, &self.segments, r, "segment", "[[segments]]")?;
                Some(Uplift {
                    segment,
                    fraction: *input,
                })
            })
            .collect();
        let requires = self.requirements(findings, f);
        let (requires_any, groups_written) = self.any_of_groups(findings, f);
        let excludes = self.exclusions(findings, f);
        let stages = self.stages(findings, f, &effort);
        let theme = f
            .theme
            .as_ref()
            .and_then(|r| self.find(findings, &self.themes, r, "theme", "[[themes]]"));
        let deadline = self.deadline(findings, f);
        let earliest_period = f
            .earliest
            .as_ref()
            .and_then(|r| self.period(findings, r, Reads::Open));
        let vendor_ready = f
            .vendor_ready
            .as_ref()
            .and_then(|v| dates::vendor_ready(findings, self.time, v));
        let risks = f
            .risks
            .iter()
            .map(|risk| self.risk(findings, risk, inputs))
            .collect();
        let feature = Feature {
            id: f.def.id.clone(),
            name: f.name.clone(),
            effort,
            value_monthly: f.value_monthly,
            uplift,
            ramp_months: f.ramp_months,
            cost: f.cost,
            vendor_lead_weeks: f.vendor_lead_weeks,
            vendor_ready,
            requires,
            requires_any,
            excludes,
            stages,
            mandatory: f.mandatory,
            deadline,
            earliest_period,
            theme,
            risks,
            framework: f.framework.clone(),
            status: f.status,
            recurring_cost: f
                .recurring_cost
                .as_ref()
                .and_then(|r| self.recurring(findings, r)),
        };
        if f.status == Status::Done {
            unread.extend(feature.input_ids());
            unread.extend(f.remaining.iter().flatten().map(|(_, id)| *id));
        }
        (feature, groups_written)
    }

    /// A recurring cost, its segment resolved; none when the segment is unknown (reported).
    fn recurring(&self, findings: &mut Findings, r: &DraftRecurring) -> Option<RecurringCost> {
        let per_customer = match &r.per_customer {
            Some((segment, amount)) => {
                let s = self.find(findings, &self.segments, segment, "segment", "[[segments]]")?;
                if self.stock[s] {
                    // A stock segment gives the sign-ups of each month, not the accounts a
                    // per-account fee runs on: the feature's own customers are a share of
                    // them, and the segment's whole base is not in the scenario.
                    findings.push(
                        Finding::error(
                            segment.location.clone(),
                            &segment.field,
                            format!("segment `{}` counts new customers per month (it has a retention), so a cost per customer has no account count to run on", segment.id),
                        )
                        .help("charge it per month (`per_month`), or use a segment read as `demand` (accounts per month)"),
                    );
                    return None;
                }
                Some(PerCustomer {
                    segment: s,
                    amount: *amount,
                })
            }
            None => None,
        };
        Some(RecurringCost {
            per_month: r.per_month,
            per_customer,
            from: r.from,
        })
    }

    /// A feature's deadline, with the hard limit after a soft target when it has one.
    fn deadline(&self, findings: &mut Findings, f: &DraftFeature) -> Option<Deadline> {
        let (r, kind) = f.deadline.as_ref()?;
        let period = self.period(findings, r, Reads::Due);
        let limit = match &f.deadline_limit {
            Some(l) => Some((l, self.period(findings, l, Reads::Due)?)),
            None => None,
        };
        let kind = match kind {
            DraftDeadlineKind::Hard => DeadlineKind::Hard,
            DraftDeadlineKind::Soft { penalty_per_period } => DeadlineKind::Soft {
                penalty_per_period: *penalty_per_period,
            },
        };
        let period = period?;
        if let Some((l, limit)) = limit {
            if kind == DeadlineKind::Hard {
                findings.push(
                    Finding::error(l.location.clone(), &l.field, "a limit goes with a soft deadline: the target, late at a penalty until the limit")
                        .help("give the deadline a penalty per period late (the deadline_penalty column), or drop the limit"),
                );
                return None;
            }
            if limit <= period {
                let same = if limit == period {
                    "is the target's period"
                } else {
                    "is before the target"
                };
                findings.push(
                    Finding::error(
                        l.location.clone(),
                        &l.field,
                        format!(
                            "the limit {} {same}, {}",
                            self.time.labels[limit], self.time.labels[period]
                        ),
                    )
                    .help(format!(
                        "the limit is the hard date after the soft target: move it after {}, or write a hard deadline, deadline = \"{}\"",
                        self.time.labels[period], self.time.labels[limit]
                    )),
                );
                return None;
            }
        }
        Some(Deadline {
            period,
            kind,
            limit: limit.map(|(_, l)| l),
        })
    }

    /// The efforts `estimates` give `f`, each team checked; a done feature's are not planned,
    /// so they are not checked for slipped units.
    fn efforts(
        &self,
        findings: &mut Findings,
        f: &DraftFeature,
        estimates: &[(Ref, InputId)],
        inputs: &[Input],
        plan_capacity: &[f64],
    ) -> Vec<Effort> {
        let mut effort = Vec::new();
        for (r, input) in estimates {
            let Some(team) = self.team(findings, r) else {
                continue;
            };
            effort.push(Effort {
                team,
                weeks: *input,
            });
            // Several times what the team can give in the whole plan is a unit slip
            // (person-days, hours), not a big feature: a feature merely too big for the
            // plan is a legitimate thing to leave out. Mandatory work gets the capacity
            // check's error instead.
            let least = inputs[input.0 as usize].dist.min();
            if !f.mandatory
                && f.status != Status::Done
                && least > UNIT_SLIP_FACTOR * plan_capacity[team]
            {
                findings.push(
                    Finding::warning(
                        r.location.clone(),
                        &r.field,
                        format!(
                            "at least {} person-weeks, over {} times what team `{}` can give in the whole plan ({} at most)",
                            fmt_num(least),
                            fmt_num(UNIT_SLIP_FACTOR),
                            r.id,
                            fmt_num(plan_capacity[team])
                        ),
                    )
                    .help("efforts are person-weeks for the whole feature: for person-days divide by 5, for hours by 40"),
                );
            }
        }
        effort
    }

    /// What `f` requires, each feature once.
    fn requirements(&self, findings: &mut Findings, f: &DraftFeature) -> Vec<Requirement> {
        let mut requires = Vec::new();
        for (r, lag) in &f.requires {
            if r.id == f.def.id {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        format!("`{}` requires itself", r.id),
                    )
                    .help("remove it from its own requires list"),
                );
            } else if let Some(g) = self.other_feature(findings, r) {
                if !requires.iter().any(|q: &Requirement| q.feature == g) {
                    requires.push(Requirement {
                        feature: g,
                        lag_periods: *lag,
                    });
                }
            }
        }
        requires
    }

    fn exclusions(&self, findings: &mut Findings, f: &DraftFeature) -> Vec<usize> {
        let mut excludes = Vec::new();
        for r in &f.excludes {
            if r.id == f.def.id {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        format!("`{}` excludes itself", r.id),
                    )
                    .help("remove it from its own excludes list"),
                );
            } else if let Some(g) = self.other_feature(findings, r) {
                excludes.push(g);
            }
        }
        excludes
    }

    /// A risk event; a delay given in periods is turned into weeks here.
    fn risk(&self, findings: &mut Findings, risk: &DraftRisk, inputs: &mut [Input]) -> RiskEvent {
        let effort = risk
            .effort
            .iter()
            .filter_map(|(r, input)| {
                Some(Effort {
                    team: self.team(findings, r)?,
                    weeks: *input,
                })
            })
            .collect();
        let delay_weeks = risk.delay_weeks.inspect(|id| {
            let input = &mut inputs[id.0 as usize];
            if input.name.ends_with("delay_periods") {
                input.dist = input.dist.scaled(self.time.period_weeks);
            }
        });
        let common = risk.common.as_ref().and_then(|r| {
            let index = self.find(findings, &self.common_risks, r, "risk", "[[risks]]")?;
            Some(CommonHit {
                risk: index,
                given: risk.probability,
            })
        });
        RiskEvent {
            name: risk.name.clone(),
            probability: common.map_or(risk.probability, |c| {
                self.common_probability[c.risk] * c.given
            }),
            common,
            effort,
            delay_weeks,
            cost: risk.cost,
            value_loss: risk.value_loss,
        }
    }

    fn deal(&self, findings: &mut Findings, d: &DraftDeal) -> Deal {
        let mut fs = Vec::new();
        for r in &d.features {
            if let Some(g) = self.other_feature(findings, r) {
                if !fs.contains(&g) {
                    fs.push(g);
                }
            }
        }
        let by_period =
            d.by.as_ref()
                .and_then(|r| self.period(findings, r, Reads::Due));
        let expires_period = d
            .expires
            .as_ref()
            .and_then(|r| self.period(findings, r, Reads::Due));
        if let (Some(by), Some(expires), Some(r)) = (by_period, expires_period, &d.expires) {
            if expires < by {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        "the deal expires before the date the customer expects it by",
                    )
                    .help("`expires` is when the customer walks away, on or after `by`; move one of them"),
                );
            }
        }
        let need = match d.need {
            Some((k, ref location)) if k as usize > fs.len() => {
                findings.push(
                    Finding::error(
                        location.clone(),
                        format!("{}.need", d.def.path),
                        format!("the deal needs {k} features but lists {}", fs.len()),
                    )
                    .help("`need` is how many of its features complete it: at most their number"),
                );
                fs.len()
            }
            Some((k, _)) => k as usize,
            None => fs.len(),
        };
        Deal {
            id: d.def.id.clone(),
            customer: d.customer.clone(),
            features: fs,
            one_off: d.one_off,
            monthly: d.monthly,
            by_period,
            need,
            late_penalty: d.late_penalty.as_ref().map(|(v, _)| *v),
            expires_period,
        }
    }
}

fn index_ids<'a>(
    findings: &mut Findings,
    section: &str,
    defs: impl Iterator<Item = &'a Defined>,
) -> HashMap<String, usize> {
    let defs: Vec<&Defined> = defs.collect();
    let mut map: HashMap<String, usize> = HashMap::with_capacity(defs.len());
    for (i, def) in defs.iter().enumerate() {
        if let Some(&first) = map.get(&def.id) {
            findings.push(
                Finding::error(
                    def.location.clone(),
                    format!("{section}[{}].id", def.id),
                    format!(
                        "duplicate id `{}`, first defined at {}",
                        def.id, defs[first].location
                    ),
                )
                .help("give each item its own id"),
            );
        } else {
            map.insert(def.id.clone(), i);
        }
    }
    map
}

/// What the messages about unknown ids of one scenario share: a budget of suggestions, and
/// each kind's first known ids, sorted once however many ids are unknown.
#[derive(Default)]
struct Hints {
    suggestions: RefCell<Suggestions>,
    known: RefCell<HashMap<String, String>>,
}

fn lookup(
    findings: &mut Findings,
    ids: &HashMap<String, usize>,
    r: &Ref,
    what: &str,
    section: &str,
    hints: &Hints,
) -> Option<usize> {
    if let Some(i) = ids.get(&r.id) {
        return Some(*i);
    }
    let suggestion = hints
        .suggestions
        .borrow_mut()
        .did_you_mean(&r.id, ids.keys().map(String::as_str));
    let help = match suggestion {
        Suggestion::Close(s) => format!("did you mean `{s}`?"),
        _ if ids.is_empty() => {
            format!("the scenario declares no {what}s; add a {section} table")
        }
        _ => {
            let mut known = hints.known.borrow_mut();
            let known = known.entry(what.to_string()).or_insert_with(|| {
                let mut known: Vec<&str> = ids.keys().map(String::as_str).collect();
                known.sort_unstable();
                let shown = known.iter().take(8).copied().collect::<Vec<_>>().join(", ");
                format!("{shown}{}", if known.len() > 8 { ", ..." } else { "" })
            });
            match suggestion {
                Suggestion::Exhausted => format!(
                    "known {what}s: {known} (too many unknown ids to suggest the closest for each)"
                ),
                _ => format!("known {what}s: {known}"),
            }
        }
    };
    findings.push(
        Finding::error(
            r.location.clone(),
            &r.field,
            format!("unknown {what} `{}`", r.id),
        )
        .help(help),
    );
    None
}

/// The period a moment `weeks` after the plan start falls in (the end of a period belongs to
/// it); past the plan's end for a moment after it.
fn week_period(weeks: f64, time: &TimeFrame) -> usize {
    let x = (weeks / time.period_weeks - 1e-9).ceil();
    if x > 1.0 {
        (x.min(1e9) as usize) - 1
    } else {
        0
    }
}

/// A period's label, or where it lies past the plan's end.
fn period_name(time: &TimeFrame, period: usize) -> String {
    match time.labels.get(period) {
        Some(label) => label.clone(),
        None => format!(
            "period {} (after the plan's last period, {})",
            period.saturating_add(1),
            time.labels[time.periods - 1]
        ),
    }
}

pub(crate) fn check_deadlines(
    findings: &mut Findings,
    features: &[Feature],
    defs: &[&Defined],
    time: &TimeFrame,
    earliest: &[usize],
) {
    for (f, feature) in features.iter().enumerate() {
        let def = defs[f];
        let level = if feature.mandatory {
            Finding::error
        } else {
            Finding::warning
        };
        if let Some(e) = feature.earliest_period {
            if let Some(d) = feature.deadline.filter(|d| d.period < e) {
                findings.push(
                    Finding::error(
                        def.location.clone(),
                        format!("{}.deadline", def.path),
                        format!(
                            "the deadline {} is before the earliest start {}",
                            time.labels[d.period], time.labels[e]
                        ),
                    )
                    .help("move the deadline later or the earliest start sooner"),
                );
                continue;
            }
        }
        if earliest[f] >= time.periods {
            findings.push(
                level(def.location.clone(), def.path.clone(), format!("can never be delivered within the plan: the earliest possible delivery is {}, because {}", period_name(time, earliest[f]), delay_cause(features, earliest, time, f)))
                    .help("shorten the lags or lead times it waits for, or add periods to the plan"),
            );
            continue;
        }
        if let Some((d, due)) = feature.deadline.and_then(|d| Some((d, d.hard_period()?))) {
            if earliest[f] > due {
                let (what, moved) = if d.limit.is_some() {
                    ("limit", "limit")
                } else {
                    ("hard deadline", "deadline")
                };
                findings.push(
                    level(def.location.clone(), format!("{}.deadline", def.path), format!("cannot meet its {what} {}: the earliest possible delivery is {}, because {}", time.labels[due], time.labels[earliest[f]], delay_cause(features, earliest, time, f)))
                        .help(format!("move the {moved} to {} or later, or shorten what it waits for", time.labels[earliest[f]])),
                );
            }
        }
        if feature.ramp_months > time.horizon_months {
            findings.push(
                Finding::warning(def.location.clone(), format!("{}.ramp_months", def.path), format!("the adoption ramp ({} months) is longer than the value horizon ({} months)", fmt_num(feature.ramp_months), fmt_num(time.horizon_months)))
                    .help("check the ramp; full adoption is never reached within the horizon"),
            );
        }
    }
}

/// A deal with a date that one of its features can never make is worth knowing about early.
fn check_deal_dates(
    findings: &mut Findings,
    features: &[Feature],
    deals: &[Deal],
    draft_deals: &[DraftDeal],
    time: &TimeFrame,
    earliest: &[usize],
) {
    for (deal, draft) in deals.iter().zip(draft_deals) {
        let Some(by) = deal.by_period else { continue };
        if let Some(&f) = deal
            .features
            .iter()
            .filter(|&&f| earliest[f] > by)
            .max_by_key(|&&f| earliest[f])
        {
            let location = draft
                .by
                .as_ref()
                .map_or(draft.def.location.clone(), |r| r.location.clone());
            findings.push(
                Finding::warning(location, format!("deals[{}].by", deal.id), format!("this deal can never be won by {}: `{}` can be delivered at the earliest in {}, because {}", time.labels[by], features[f].id, period_name(time, earliest[f]), delay_cause(features, earliest, time, f)))
                    .help("check the deal's date with the customer, or what that feature waits for"),
            );
        }
    }
}
