//! What each uncertain input and risk is: its role in the model, its short label, and
//! whether the plan can feel it.

use super::*;

/// What each uncertain input and risk is, for labels and for whether a plan can feel it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Role {
    Effort {
        feature: usize,
        team: usize,
    },
    Value {
        feature: usize,
    },
    Uplift {
        feature: usize,
        segment: usize,
    },
    Cost {
        feature: usize,
    },
    VendorLead {
        feature: usize,
    },
    /// A recurring cost's amount a month, or per customer.
    Recurring {
        feature: usize,
        per_customer: bool,
    },
    RiskEffort {
        feature: usize,
        risk: usize,
        team: usize,
    },
    RiskDelay {
        feature: usize,
        risk: usize,
    },
    RiskCost {
        feature: usize,
        risk: usize,
    },
    Capacity {
        team: usize,
    },
    Demand {
        segment: usize,
    },
    Growth {
        segment: usize,
    },
    /// A customer stock's monthly retention.
    Retention {
        segment: usize,
    },
    Price {
        segment: usize,
    },
    DealOneOff {
        deal: usize,
    },
    DealMonthly {
        deal: usize,
    },
}

pub(super) fn roles(model: &Model) -> Vec<Option<Role>> {
    let mut roles = vec![None; model.inputs.len()];
    let mut set = |id: crate::model::InputId, role: Role| roles[id.0 as usize] = Some(role);
    for (f, feature) in model.features.iter().enumerate() {
        for e in &feature.effort {
            set(
                e.weeks,
                Role::Effort {
                    feature: f,
                    team: e.team,
                },
            );
        }
        if let Some(v) = feature.value_monthly {
            set(v, Role::Value { feature: f });
        }
        for u in &feature.uplift {
            set(
                u.fraction,
                Role::Uplift {
                    feature: f,
                    segment: u.segment,
                },
            );
        }
        if let Some(c) = feature.cost {
            set(c, Role::Cost { feature: f });
        }
        if let Some(l) = feature.vendor_lead_weeks {
            set(l, Role::VendorLead { feature: f });
        }
        if let Some(r) = &feature.recurring_cost {
            if let Some(i) = r.per_month {
                let per_customer = false;
                set(
                    i,
                    Role::Recurring {
                        feature: f,
                        per_customer,
                    },
                );
            }
            if let Some(c) = r.per_customer {
                let per_customer = true;
                set(
                    c.amount,
                    Role::Recurring {
                        feature: f,
                        per_customer,
                    },
                );
            }
        }
        for (r, risk) in feature.risks.iter().enumerate() {
            for e in &risk.effort {
                set(
                    e.weeks,
                    Role::RiskEffort {
                        feature: f,
                        risk: r,
                        team: e.team,
                    },
                );
            }
            if let Some(d) = risk.delay_weeks {
                set(
                    d,
                    Role::RiskDelay {
                        feature: f,
                        risk: r,
                    },
                );
            }
            if let Some(c) = risk.cost {
                set(
                    c,
                    Role::RiskCost {
                        feature: f,
                        risk: r,
                    },
                );
            }
        }
    }
    for (k, team) in model.teams.iter().enumerate() {
        set(team.capacity_factor, Role::Capacity { team: k });
    }
    for (s, segment) in model.segments.iter().enumerate() {
        set(segment.demand, Role::Demand { segment: s });
        set(segment.growth, Role::Growth { segment: s });
        if let Some(r) = segment.retention {
            set(r, Role::Retention { segment: s });
        }
        set(segment.price, Role::Price { segment: s });
    }
    for (d, deal) in model.deals.iter().enumerate() {
        if let Some(i) = deal.one_off {
            set(i, Role::DealOneOff { deal: d });
        }
        if let Some(i) = deal.monthly {
            set(i, Role::DealMonthly { deal: d });
        }
    }
    roles
}

/// A name as people say it: the part before any parenthesis or colon, at most 30 characters.
pub(super) fn short(name: &str, id: &str) -> String {
    let cut = [" (", ": "]
        .iter()
        .filter_map(|p| name.find(p))
        .min()
        .unwrap_or(name.len());
    let text = name[..cut].trim();
    let text = if text.is_empty() { id } else { text };
    if text.chars().count() <= 30 {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > 29 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(29).collect();
    }
    out.push('…');
    out
}

pub(super) fn label(model: &Model, role: Option<Role>, path: &str) -> String {
    let feature = |f: usize| short(&model.features[f].name, &model.features[f].id);
    let risk = |f: usize, r: usize| {
        let name = &model.features[f].risks[r].name;
        short(name, name)
    };
    let team = |k: usize| model.teams[k].id.as_str();
    let segment = |s: usize| short(&model.segments[s].name, &model.segments[s].id);
    let customer = |d: usize| short(&model.deals[d].customer, &model.deals[d].id);
    match role {
        Some(Role::Effort {
            feature: f,
            team: k,
        }) => format!("{} effort ({})", feature(f), team(k)),
        Some(Role::Value { feature: f }) => format!("{} monthly value", feature(f)),
        Some(Role::Uplift {
            feature: f,
            segment: s,
        }) => format!("{} uplift ({})", feature(f), model.segments[s].id.as_str()),
        Some(Role::Cost { feature: f }) => format!("{} one-off cost", feature(f)),
        Some(Role::VendorLead { feature: f }) => format!("{} vendor lead time", feature(f)),
        Some(Role::Recurring {
            feature: f,
            per_customer,
        }) => format!(
            "{} recurring cost ({})",
            feature(f),
            if per_customer {
                "per customer"
            } else {
                "a month"
            }
        ),
        Some(Role::RiskEffort {
            feature: f,
            risk: r,
            team: k,
        }) => format!("{}: effort ({})", risk(f, r), team(k)),
        Some(Role::RiskDelay {
            feature: f,
            risk: r,
        }) => format!("{}: delay", risk(f, r)),
        Some(Role::RiskCost {
            feature: f,
            risk: r,
        }) => format!("{}: cost", risk(f, r)),
        // A sentence starts with it, so the team's id is capitalised: "Android capacity factor".
        Some(Role::Capacity { team: k }) => {
            let id = team(k);
            let mut chars = id.chars();
            let first = chars.next().map(|c| c.to_uppercase().to_string());
            format!(
                "{}{} capacity factor",
                first.unwrap_or_default(),
                chars.as_str()
            )
        }
        Some(Role::Demand { segment: s }) if model.segments[s].retention.is_some() => {
            format!("{} new customers", segment(s))
        }
        Some(Role::Demand { segment: s }) => format!("{} demand", segment(s)),
        Some(Role::Growth { segment: s }) if model.segments[s].retention.is_some() => {
            format!("{} sign-up growth", segment(s))
        }
        Some(Role::Growth { segment: s }) => format!("{} demand growth", segment(s)),
        Some(Role::Retention { segment: s }) => format!("{} retention", segment(s)),
        Some(Role::Price { segment: s }) => format!("{} price", segment(s)),
        Some(Role::DealOneOff { deal: d }) => format!("{} deal, one-off", customer(d)),
        Some(Role::DealMonthly { deal: d }) => format!("{} deal, monthly", customer(d)),
        None => path.to_string(),
    }
}

pub(super) fn risk_label(model: &Model, f: usize, r: usize) -> String {
    let name = &model.features[f].risks[r].name;
    format!("Risk: {}", short(name, name))
}

/// A common risk's line: its name and how many features it hits.
pub(super) fn common_risk_label(model: &Model, c: usize, hits: usize) -> String {
    let name = &model.common_risks[c].name;
    format!("Risk: {} ({hits} features)", short(name, name))
}

/// Whether NPV under `plan` can depend on each input: inputs of planned features, the capacity
/// of teams with planned work, segments a planned feature lifts, deals whose features are all
/// planned.
pub(super) fn felt_by_plan(model: &Model, roles: &[Option<Role>], plan: &Plan) -> Vec<bool> {
    let planned = |f: usize| plan.periods.get(f).copied().flatten().is_some();
    let team_busy: Vec<bool> = (0..model.teams.len())
        .map(|k| {
            model.features.iter().enumerate().any(|(f, feature)| {
                planned(f)
                    && (feature.effort.iter().any(|e| e.team == k)
                        || feature
                            .risks
                            .iter()
                            .any(|r| r.effort.iter().any(|e| e.team == k)))
            })
        })
        .collect();
    let segment_lifted: Vec<bool> = (0..model.segments.len())
        .map(|s| {
            model.features.iter().enumerate().any(|(f, feature)| {
                // A segment's demand also sets what a cost per customer of it bills.
                planned(f)
                    && (feature.uplift.iter().any(|u| u.segment == s)
                        || feature
                            .recurring_cost
                            .as_ref()
                            .and_then(|r| r.per_customer)
                            .is_some_and(|c| c.segment == s))
            })
        })
        .collect();
    let deal_possible = |d: usize| model.deals[d].features.iter().all(|&f| planned(f));
    roles
        .iter()
        .map(|role| match *role {
            Some(
                Role::Effort { feature, .. }
                | Role::Value { feature }
                | Role::Uplift { feature, .. }
                | Role::Cost { feature }
                | Role::VendorLead { feature }
                | Role::Recurring { feature, .. }
                | Role::RiskEffort { feature, .. }
                | Role::RiskDelay { feature, .. }
                | Role::RiskCost { feature, .. },
            ) => planned(feature),
            Some(Role::Capacity { team }) => team_busy[team],
            Some(
                Role::Demand { segment }
                | Role::Growth { segment }
                | Role::Retention { segment }
                | Role::Price { segment },
            ) => segment_lifted[segment],
            Some(Role::DealOneOff { deal } | Role::DealMonthly { deal }) => deal_possible(deal),
            None => true,
        })
        .collect()
}
