//! The report's tables: the plan, what it leaves out, the strategies, the tornado, and the
//! assumptions list.

use super::*;

/// A simple table: header cells, then rows; `numeric[i]` right-aligns column i.
pub fn table(headers: &[&str], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!("<th{class}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

pub(super) fn plan_table(page: &ReportPage) -> String {
    let model = page.model;
    let cur = &model.currency;
    let mut lines: Vec<&crate::optimize::PlannedFeature> = page
        .shown
        .features
        .iter()
        .filter(|f| f.period.is_some())
        .collect();
    let marked = page.shown.marks.is_some();
    // Only a scenario that says some work has started gets a status column.
    let started = model.has_progress();
    lines.sort_by_key(|f| (f.period, f.feature));
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|f| {
            let feature = &model.features[f.feature];
            let sim = page.sim.features.iter().find(|o| o.id == feature.id);
            let teams = crate::report::optimize::teams_cell(model, &f.team_weeks);
            let deadline = feature
                .deadline
                .map(|d| {
                    let kind = match (d.kind, d.limit) {
                        (crate::model::DeadlineKind::Hard, _) => "hard".to_string(),
                        (crate::model::DeadlineKind::Soft { .. }, None) => "soft".to_string(),
                        (crate::model::DeadlineKind::Soft { .. }, Some(l)) => {
                            format!("target; limit {}", model.time.labels[l])
                        }
                    };
                    format!("{} ({kind})", model.time.labels[d.period])
                })
                .unwrap_or_default();
            let mut row = vec![
                f.period
                    .map(|p| model.time.labels[p].clone())
                    .unwrap_or_default(),
                feature.name.clone(),
            ];
            if started {
                row.push(feature.status.marker().to_string());
            }
            if marked {
                row.push(match page.shown.mark(f.feature) {
                    Some(Mark::Commit) => "commit".into(),
                    Some(Mark::Stretch) => "stretch".into(),
                    None => String::new(),
                });
            }
            row.extend([
                teams,
                sim.and_then(|s| s.p_on_plan)
                    .map(probability)
                    .unwrap_or_default(),
                deadline,
                sim.and_then(|s| s.p_by_deadline)
                    .map(probability)
                    .unwrap_or_default(),
                sim.and_then(|s| s.p90_period.clone())
                    .unwrap_or_else(|| "after the plan".into()),
                money(f.net_value, cur),
            ]);
            row
        })
        .collect();
    let mut headers = vec!["period", "feature"];
    let mut numeric = vec![false, false];
    if started {
        headers.push("status");
        numeric.push(false);
    }
    if marked {
        headers.push("commitment");
        numeric.push(false);
    }
    // Two promises, two columns: shipping in the planned period, and by the deadline.
    headers.extend([
        "teams (person-weeks)",
        "ships in planned period",
        "deadline",
        "ships by deadline",
        "P90 delivery",
        "net value",
    ]);
    numeric.extend([false, true, false, true, false, true]);
    let done = model.done.iter().map(|d| {
        let mut row = vec![String::new(), d.name.clone(), "done".to_string()];
        row.resize(headers.len(), String::new());
        row
    });
    let rows: Vec<Vec<String>> = done.chain(rows).collect();
    table(&headers, &numeric, &rows)
}

pub(super) fn left_out_table(page: &ReportPage) -> String {
    let model = page.model;
    let rows: Vec<Vec<String>> = page
        .shown
        .features
        .iter()
        .filter(|f| f.period.is_none())
        .map(|f| {
            vec![
                model.features[f.feature].name.clone(),
                f.left_out
                    .as_ref()
                    .map(|l| crate::report::optimize::reason(model, l))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "<p>Every feature is in the plan.</p>\n".into();
    }
    table(&["feature", "why it is left out"], &[false, false], &rows)
}

pub(super) fn strategies_table(t: &Tournament) -> String {
    let cur = &t.currency;
    let mut results: Vec<_> = t.results.iter().filter(|r| r.error.is_none()).collect();
    results.sort_by(|a, b| b.npv_mean.total_cmp(&a.npv_mean));
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                money(r.npv_mean, cur),
                money(r.npv_p10, cur),
                percent(r.share_of_best),
                r.p_beats_optimal.map(probability).unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "strategy",
            "mean NPV",
            "P10",
            "of best",
            "beats the optimal plan",
        ],
        &[false, true, true, true, true],
        &rows,
    )
}

/// The tornado's top inputs and the strongest rank correlations, as tables.
pub fn sensitivity_tables(s: &crate::analysis::sensitivity::Sensitivity, rows: usize) -> String {
    let cur = &s.currency;
    let num = crate::report::sensitivity::value;
    let tornado: Vec<Vec<String>> = s
        .bars
        .iter()
        .take(rows)
        .map(|b| {
            vec![
                b.label.clone(),
                if b.kind == crate::analysis::sensitivity::InputKind::Risk {
                    let word = |v: f64| if v > 0.5 { "happens" } else { "no" };
                    format!(
                        "{} / {} / {}",
                        word(b.low_value),
                        word(b.median_value),
                        word(b.high_value)
                    )
                } else {
                    format!(
                        "{} / {} / {}",
                        num(b.low_value),
                        num(b.median_value),
                        num(b.high_value)
                    )
                },
                money(b.low_npv, cur),
                money(b.high_npv, cur),
                money(b.swing, cur),
            ]
        })
        .collect();
    let mut out = format!(
        "<p>NPV of the plan with every input at its median: {}. Each row moves one input to its P10 and P90 with the others at their medians{}.</p>\n",
        money(s.base_npv, cur),
        match s.mode {
            crate::analysis::sensitivity::Mode::HoldPlan => ", the plan held fixed",
            crate::analysis::sensitivity::Mode::Reoptimize => ", and the plan re-optimized at each point for the top inputs",
        }
    );
    out.push_str(&table(
        &[
            "input",
            "P10 / median / P90",
            "NPV at P10",
            "NPV at P90",
            "swing",
        ],
        &[false, true, true, true, true],
        &tornado,
    ));
    let correlations: Vec<Vec<String>> = s
        .correlations
        .iter()
        .take(rows)
        .map(|c| vec![c.label.clone(), format!("{:+.2}", c.rho)])
        .collect();
    if !correlations.is_empty() {
        out.push_str(&format!(
            "<p>Rank correlation of each input with NPV over {} simulated futures (|ρ| under {:.2} is noise):</p>\n",
            thousands(s.trials as f64),
            s.noise_level
        ));
        out.push_str(&table(
            &["input", "rank correlation"],
            &[false, true],
            &correlations,
        ));
    }
    out
}

pub(super) fn assumptions(page: &ReportPage) -> Vec<String> {
    let model = page.model;
    let cur = &model.currency;
    let time = &model.time;
    let mut out = vec![
        format!(
            "Scenario file {}; {} periods of {} weeks from {}; value counted to month {} after the start, discounted at {:.1}% a year.",
            page.scenario_file,
            time.periods,
            time.period_weeks,
            time.start,
            time.horizon_months,
            time.discount_rate * 100.0
        ),
        format!(
            "Teams: {}.",
            model
                .teams
                .iter()
                .map(|t| format!(
                    "{} ({} person-weeks over the plan, {} a week{})",
                    t.name,
                    thousands(t.capacity_weeks.iter().sum()),
                    money(t.cost_per_week, cur),
                    if t.cost_kind.is_variable() {
                        ""
                    } else {
                        ", a fixed cost: every week is paid whatever the plan holds"
                    }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        format!(
            "{} uncertain inputs (efforts, capacity, demand, retention, prices, costs, lead times){}; {} features with risk events.",
            model.uncertain_input_count(),
            if model.correlations.is_empty() {
                String::new()
            } else {
                format!(", {} correlations between them", model.correlations.len())
            },
            model.features.iter().filter(|f| !f.risks.is_empty()).count()
        ),
    ];
    if let Some(text) = segments_read(model) {
        out.push(text);
    }
    if let Some(text) = extra_capacity_bought(model, &page.shown.plan.bought) {
        out.push(text);
    }
    if let Some(text) = pools_placed(model, &page.shown.plan.assigned) {
        out.push(text);
    }
    if let Some(text) = stages_handed_off(model, page.shown.plan) {
        out.push(text);
    }
    for (c, common) in model.common_risks.iter().enumerate() {
        let hit: Vec<&str> = model
            .features
            .iter()
            .filter(|f| {
                f.risks
                    .iter()
                    .any(|r| r.common.is_some_and(|h| h.risk == c))
            })
            .map(|f| f.name.as_str())
            .collect();
        out.push(format!(
            "Common risk: {} ({} of futures) hits {} together when it happens.",
            common.name,
            crate::report::format::percent(common.probability),
            hit.join(", ")
        ));
    }
    if let Some(text) = crate::report::format::calibrated(model) {
        out.push(format!(
            "Effort estimates {text}: each team's bias and widening from how its past estimates turned out."
        ));
    }
    out.extend([
        match page.shown.gap {
            Some(gap) => format!(
                "The plan comes from {}; status {}, gap {:.3}%. It is then simulated on {} futures (seed {}) that the optimizer did not see (it planned on seed {}).",
                page.shown.method,
                page.summary.optimizer_status,
                gap * 100.0,
                thousands(page.sim.trials as f64),
                page.sim.seed,
                page.shown.planner_seed
            ),
            None => format!(
                "The plan is the {}. Every figure here is from {} futures (seed {}) that no step of the search saw.",
                page.shown.method,
                thousands(page.sim.trials as f64),
                page.sim.seed,
            ),
        },
        "In each simulated future, every team works through its planned features in order, period by period, within its sampled capacity; a feature ships at the end of the period its last work, prerequisites and vendor lead time allow; value ramps up from then to the horizon.".into(),
    ]);
    if model.has_progress() {
        let names = |names: Vec<&str>| match names.is_empty() {
            true => "none".to_string(),
            false => names.join(", "),
        };
        out.push(format!(
            "Work already behind the plan. Done before it starts: {} (in no plan and in no NPV, since no plan changes it; what needs it counts it as delivered). In progress: {} (planned with only the work that remains; the work already spent is sunk).",
            names(model.done.iter().map(|d| d.name.as_str()).collect()),
            names(
                model
                    .features
                    .iter()
                    .filter(|f| f.status == crate::model::Status::InProgress)
                    .map(|f| f.name.as_str())
                    .collect()
            )
        ));
    }
    if let Some(costs) = &page.sim.costs {
        out.push(format!(
            "Discounted means: {}.",
            crate::report::simulate::costs_sentence(costs, cur)
        ));
    }
    if let Some(periods) = &page.sim.spend_by_period {
        let each: Vec<String> = periods
            .iter()
            .map(|p| {
                format!(
                    "{} {} of {} (over in {} of futures)",
                    p.period,
                    money(p.mean, cur),
                    money(p.budget, cur),
                    super::super::format::percent(p.p_over_budget)
                )
            })
            .collect();
        out.push(format!(
            "Budgets per period, against the spend each books ({}): {}.",
            super::super::format::booking_rule(page.sim.costs.is_some()),
            each.join("; ")
        ));
    }
    if let Some(b) = model.budget {
        out.push(format!(
            "Budget {} (team time at cost plus one-off and vendor costs{}); expected spend {}.",
            money(b, cur),
            if page.sim.costs.is_some() {
                ", recurring costs within the plan and the whole capacity of fixed-cost teams"
            } else {
                ""
            },
            money(page.sim.spend.mean, cur)
        ));
    }
    out
}

/// How each segment's customers are counted, when one of them is a customer stock: the
/// reading moves value a lot, so the page says which one each segment has.
fn segments_read(model: &crate::model::Model) -> Option<String> {
    if model.segments.iter().all(|s| s.retention.is_none()) {
        return None;
    }
    let each: Vec<String> = model
        .segments
        .iter()
        .map(|s| match s.retention {
            Some(r) => format!(
                "{}: new customers every month, who stay and pay until they leave ({} still there a month later, on average)",
                s.name,
                crate::report::format::percent(model.mean(r))
            ),
            None => format!(
                "{}: demand per month, of which a feature earns its share every month",
                s.name
            ),
        })
        .collect();
    Some(format!("Segments: {}.", each.join("; ")))
}

/// The extra capacity the scenario offers and what the plan bought of it.
fn extra_capacity_bought(
    model: &crate::model::Model,
    bought: &[crate::model::staffing::Purchase],
) -> Option<String> {
    if model.extra_capacity.is_empty() {
        return None;
    }
    let offered: Vec<String> = model
        .extra_capacity
        .iter()
        .map(|o| {
            format!(
                "{} (up to {} {} into {} at {} a week)",
                o.name,
                o.people,
                match o.kind {
                    crate::model::staffing::ExtraKind::Hire => "hires",
                    crate::model::staffing::ExtraKind::Contractor => "contractors",
                },
                model.teams[o.team].name,
                money(o.cost_per_week, &model.currency)
            )
        })
        .collect();
    let bought: Vec<String> = bought
        .iter()
        .map(|b| {
            let o = &model.extra_capacity[b.option];
            let paid = b.paid(model);
            format!(
                "{} × {} in {} ({} paid)",
                b.people,
                o.name,
                model.time.span_label(b.from, b.to),
                money(paid, &model.currency)
            )
        })
        .collect();
    Some(format!(
        "Extra capacity the plan may buy: {}. The plan buys {}.",
        offered.join("; "),
        if bought.is_empty() {
            "none of it".to_string()
        } else {
            bought.join("; ")
        }
    ))
}

/// The pools and where the plan places their people.
fn pools_placed(
    model: &crate::model::Model,
    assigned: &[crate::model::staffing::Assignment],
) -> Option<String> {
    if model.pools.is_empty() {
        return None;
    }
    let each: Vec<String> = model
        .pools
        .iter()
        .enumerate()
        .map(|(q, pool)| {
            let placed: Vec<String> = assigned
                .iter()
                .filter(|a| a.pool == q)
                .map(|a| {
                    format!(
                        "{} with {} in {}",
                        a.people,
                        model.teams[a.team].name,
                        model.time.label(a.period)
                    )
                })
                .collect();
            format!(
                "{} ({} people, paid {} a week each wherever they work): {}",
                pool.name,
                pool.people,
                money(pool.cost_per_week, &model.currency),
                if placed.is_empty() {
                    "placed nowhere".to_string()
                } else {
                    placed.join(", ")
                }
            )
        })
        .collect();
    Some(format!(
        "Pools the plan places, period by period: {}.",
        each.join("; ")
    ))
}

/// The features built in order and when the plan has each stage hand off.
fn stages_handed_off(model: &crate::model::Model, plan: &crate::model::Plan) -> Option<String> {
    use crate::report::handoffs::{staged, steps};
    let each: Vec<String> = staged(model, plan)
        .into_iter()
        .map(|f| {
            let steps = steps(model, plan, f, |k| &model.teams[k].name, " and ");
            format!("{}: {steps}", model.features[f].name)
        })
        .collect();
    (!each.is_empty()).then(|| {
        format!(
            "Built in order, each stage starting the period after the one before is done: {}",
            each.join("; ")
        )
    })
}
