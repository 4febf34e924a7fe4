//! From rows to a plan: feature ids and periods resolved, then the plan rules checked
//! (prerequisites, lags, starts, exclusions, deadlines): what a plan may break and still run is a warning.
//! The rules themselves are [`crate::plan_check`]'s; here they get the plan file's wording and
//! rows.

use super::*;
use crate::model::{AnyOf, Feature, Requirement};
use crate::plan_check;

/// `ids` is [`Model::feature_indices`]: a plan or order lists up to every feature.
pub(super) fn resolve_feature(
    id: &str,
    at: &Place,
    model: &Model,
    ids: &HashMap<&str, usize>,
    suggestions: &mut Suggestions,
    findings: &mut Findings,
) -> Option<usize> {
    if let Some(&f) = ids.get(id) {
        return Some(f);
    }
    if model.done.iter().any(|d| d.id == id) {
        // A plan made before the feature shipped (last quarter's) still lists it.
        findings.push(
            Finding::warning(
                at.location.clone(),
                at.field.clone(),
                format!("`{id}` is done before the plan starts, so it is left out"),
            )
            .help("a done feature is in no plan or order; remove its row"),
        );
        return None;
    }
    let suggestion = suggestions.did_you_mean(id, model.features.iter().map(|f| f.id.as_str()));
    let help = match suggestion {
        Suggestion::Close(s) => format!("did you mean `{s}`?"),
        _ if model.features.len() <= 10 => format!(
            "the scenario's features are {}",
            model
                .features
                .iter()
                .map(|f| format!("`{}`", f.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Suggestion::Exhausted => "use a feature id from the scenario's [[features]] tables or its backlog CSV (too many unknown ids to suggest the closest for each)".to_string(),
        Suggestion::None => {
            "use a feature id from the scenario's [[features]] tables or its backlog CSV"
                .to_string()
        }
    };
    findings.push(
        Finding::error(
            at.location.clone(),
            at.field.clone(),
            format!("unknown feature `{id}`"),
        )
        .help(help),
    );
    None
}

/// Resolves ids and rejects features listed twice; the first row of a feature is kept.
pub(super) fn assemble_plan(
    entries: &[PlanEntry],
    model: &Model,
    findings: &mut Findings,
) -> Vec<PlanRow> {
    let mut first_seen: Vec<Option<&Location>> = vec![None; model.features.len()];
    let mut rows = Vec::new();
    let ids = model.feature_indices();
    let mut suggestions = Suggestions::default();
    for entry in entries {
        let Some(f) = resolve_feature(
            &entry.id,
            &entry.feature_at,
            model,
            &ids,
            &mut suggestions,
            findings,
        ) else {
            continue;
        };
        if let Some(first) = first_seen[f] {
            findings.push(
                Finding::error(
                    entry.feature_at.location.clone(),
                    entry.feature_at.field.clone(),
                    format!(
                        "`{}` is listed twice (first on line {})",
                        entry.id, first.line
                    ),
                )
                .help("keep one row for each feature; otherwise one would silently override the other"),
            );
            continue;
        }
        first_seen[f] = Some(&entry.feature_at.location);
        if let Some(period) = entry.period {
            rows.push(PlanRow {
                feature: f,
                period,
                period_at: entry.period_at.clone(),
                start: entry.start.clone(),
                handoffs: entry.handoffs.clone(),
            });
        }
    }
    rows
}

/// A start is a period from the feature's earliest period up to its planned period. This rule
/// stays here rather than in the plan checker: the plans the tool builds choose their starts
/// within these bounds, so only a plan file can name one outside them.
pub(super) fn check_start(
    model: &Model,
    f: usize,
    period: usize,
    start: usize,
    at: &Place,
    findings: &mut Findings,
) {
    let labels = &model.time.labels;
    let earliest = model.features[f].earliest_period.unwrap_or(0);
    let problem = if start > period {
        Some(format!(
            "starts in {} but is planned for {}: a feature starts in or before the period it ships",
            labels[start], labels[period]
        ))
    } else if start < earliest {
        Some(format!(
            "starts in {}, before its earliest period {}",
            labels[start], labels[earliest]
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error(at.location.clone(), at.field.clone(), problem).help(format!(
                "{}, or leave it empty for the latest start its lead time allows",
                if earliest >= period {
                    format!("use {}", labels[period])
                } else {
                    format!(
                        "use a start from {} to {}",
                        labels[earliest], labels[period]
                    )
                }
            )),
        );
    }
}

/// Two alternatives that exclude each other cannot both be delivered, so a plan with both
/// cannot be executed as written. Reported once per pair, on the later row, in row order.
pub(super) fn check_exclusions(
    rows: &[PlanRow],
    plan: &Plan,
    model: &Model,
    findings: &mut Findings,
) {
    let mut row_of: Vec<Option<usize>> = vec![None; model.features.len()];
    for (i, row) in rows.iter().enumerate() {
        row_of[row.feature] = Some(i);
    }
    // (later row, earlier row) of each pair.
    let mut pairs: Vec<(usize, usize)> = plan
        .planned()
        .flat_map(|(f, _)| plan_check::broken_exclusions(model, plan, f).map(move |(x, _)| (f, x)))
        .filter_map(|(f, x)| {
            let (i, j) = (row_of[f]?, row_of[x]?);
            Some((i.max(j), i.min(j)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    for (i, j) in pairs {
        let (row, other) = (&rows[i], &rows[j]);
        let (a_id, b_id) = (
            &model.features[other.feature].id,
            &model.features[row.feature].id,
        );
        findings.push(
            Finding::error(
                row.period_at.location.clone(),
                row.period_at.field.clone(),
                format!(
                    "`{b_id}` and `{a_id}` exclude each other, but both are planned (`{a_id}` on line {})",
                    other.period_at.location.line
                ),
            )
            .help(format!(
                "they are alternatives: leave `{b_id}` or `{a_id}` out of the plan"
            )),
        );
    }
}

/// What a plan may break and still run: each is a warning on the row concerned. Which rules
/// are broken is [`plan_check`]'s to say; the words and the rows are the plan file's.
pub(super) fn check_plan_rules(
    display: &str,
    rows: &[PlanRow],
    plan: &Plan,
    model: &Model,
    findings: &mut Findings,
) {
    for row in rows {
        let f = &model.features[row.feature];
        let (loc, field) = (&row.period_at.location, &row.period_at.field);
        let Some(p) = row.period else {
            if plan_check::left_out_mandatory(f, row.period) {
                findings.push(
                    Finding::warning(
                        loc.clone(),
                        field.clone(),
                        format!("mandatory feature `{}` is left out of the plan", f.id),
                    )
                    .help("plan it: the scenario says it must be delivered"),
                );
            }
            continue;
        };
        for (req, unmet) in plan_check::unmet_requirements(model, plan, row.feature, p) {
            findings.push(unmet_requirement(model, f, p, req, unmet, row));
        }
        for (group, first) in plan_check::unmet_any_of(model, plan, row.feature, p) {
            findings.push(unmet_any_of(model, f, p, group, first, row));
        }
        if let Some(deadline) = plan_check::missed_hard_deadline(f, p) {
            findings.push(
                Finding::warning(
                    loc.clone(),
                    field.clone(),
                    format!(
                        "`{}` is planned for {}, after its hard deadline {}",
                        f.id,
                        label(model, p),
                        label(model, deadline)
                    ),
                )
                .help(format!("plan it in {} or earlier", label(model, deadline))),
            );
        }
        if let Some(e) = plan_check::before_earliest(f, p) {
            findings.push(
                Finding::warning(
                    loc.clone(),
                    field.clone(),
                    format!(
                        "`{}` is planned for {}, before its earliest period {}",
                        f.id,
                        label(model, p),
                        label(model, e)
                    ),
                )
                .help(format!(
                    "plan it in {} or later: no work on it may start before then",
                    label(model, e)
                )),
            );
        }
    }
    // Features the file does not list are left out on purpose; only mandatory ones matter.
    let mut listed = vec![false; model.features.len()];
    for row in rows {
        listed[row.feature] = true;
    }
    for (f, (feature, listed)) in model.features.iter().zip(listed).enumerate() {
        if plan_check::left_out_mandatory(feature, plan.periods[f]) && !listed {
            findings.push(
                Finding::warning(
                    whole(display),
                    "",
                    format!("mandatory feature `{}` is not in the plan", feature.id),
                )
                .help(format!(
                    "add a row for `{}`: the scenario says it must be delivered",
                    feature.id
                )),
            );
        }
    }
}

/// A period's label, or its number past the plan's end.
fn label(model: &Model, p: usize) -> String {
    model
        .time
        .labels
        .get(p)
        .map_or_else(|| format!("period {}", p + 1), Clone::clone)
}

/// The warning on the row of `f`, planned in `p`, for a requirement the plan breaks, with the
/// moves that would mend it.
fn unmet_requirement(
    model: &Model,
    f: &Feature,
    p: usize,
    req: &Requirement,
    unmet: plan_check::Unmet,
    row: &PlanRow,
) -> Finding {
    let (loc, field) = (row.period_at.location.clone(), row.period_at.field.clone());
    let r = &model.features[req.feature];
    let rp = match unmet {
        plan_check::Unmet::LeftOut => {
            return Finding::warning(
                loc,
                field,
                format!(
                    "`{}` requires `{}`, which the plan leaves out, so `{}` can never be delivered",
                    f.id, r.id, f.id
                ),
            )
            .help(format!("plan `{}` too, or leave `{}` out", r.id, f.id));
        }
        plan_check::Unmet::TooSoon { planned } => planned,
    };
    let needs = match req.lag_periods {
        0 => format!("it requires `{}`", r.id),
        1 => format!("it must come at least 1 period after `{}`", r.id),
        n => format!("it must come at least {n} periods after `{}`", r.id),
    };
    let mut fixes = Vec::new();
    if rp + req.lag_periods < model.time.periods {
        fixes.push(format!(
            "plan `{}` in {} or later",
            f.id,
            label(model, rp + req.lag_periods)
        ));
    }
    if let Some(latest) = p.checked_sub(req.lag_periods) {
        fixes.push(format!("`{}` in {} or earlier", r.id, label(model, latest)));
    }
    let help = if fixes.is_empty() {
        format!("leave `{}` out of the plan", f.id)
    } else {
        fixes.join(", or ")
    };
    Finding::warning(
        loc,
        field,
        format!(
            "`{}` is planned for {}, but {needs}, which is planned for {}",
            f.id,
            label(model, p),
            label(model, rp)
        ),
    )
    .help(help)
}

/// The warning on the row of `f`, planned in `p`, for an any-of group none of whose
/// alternatives the plan delivers in time; `first` is the one it plans first, if any.
fn unmet_any_of(
    model: &Model,
    f: &Feature,
    p: usize,
    group: &AnyOf,
    first: Option<(usize, usize)>,
    row: &PlanRow,
) -> Finding {
    let (loc, field) = (row.period_at.location.clone(), row.period_at.field.clone());
    let ids: Vec<String> = group
        .features
        .iter()
        .map(|&g| format!("`{}`", model.features[g].id))
        .collect();
    let one_of = format!("one of {}", ids.join(", "));
    let Some((g, pg)) = first else {
        return Finding::warning(
            loc,
            field,
            format!(
                "`{}` requires {one_of}, which the plan leaves out, so `{}` can never be delivered",
                f.id, f.id
            ),
        )
        .help(format!("plan one of them too, or leave `{}` out", f.id));
    };
    let lag = group.lag_periods;
    let needs = match lag {
        0 => format!("it requires {one_of}"),
        1 => format!("it must come at least 1 period after {one_of}"),
        n => format!("it must come at least {n} periods after {one_of}"),
    };
    let mut fixes = Vec::new();
    if pg + lag < model.time.periods {
        fixes.push(format!(
            "plan `{}` in {} or later",
            f.id,
            label(model, pg + lag)
        ));
    }
    if let Some(latest) = p.checked_sub(lag) {
        fixes.push(format!(
            "one of them in {} or earlier",
            label(model, latest)
        ));
    }
    let help = if fixes.is_empty() {
        format!("leave `{}` out of the plan", f.id)
    } else {
        fixes.join(", or ")
    };
    Finding::warning(
        loc,
        field,
        format!(
            "`{}` is planned for {}, but {needs}, and the first planned, `{}`, is planned for {}",
            f.id,
            label(model, p),
            model.features[g].id,
            label(model, pg)
        ),
    )
    .help(help)
}

/// Help for a period that is not one of the plan's; `leave_out` says how the format leaves a
/// feature out.
pub(super) fn period_help(model: &Model, leave_out: &str) -> String {
    let labels = &model.time.labels;
    let range = match (labels.first(), labels.last()) {
        (Some(first), Some(last)) if labels.len() > 1 => format!(
            "use a period from {first} to {last} or a number from 1 to {}",
            labels.len()
        ),
        (Some(first), _) => format!("use the period {first} or the number 1"),
        _ => "the scenario has no periods".to_string(),
    };
    format!("{range}; {leave_out} to leave the feature out")
}

/// A period cell or string: a label, a 1-based number, or a word that leaves the feature out.
pub(super) fn resolve_period_text(
    text: &str,
    at: &Place,
    model: &Model,
    leave_out: &str,
    findings: &mut Findings,
) -> Option<Option<usize>> {
    let text = text.trim();
    // A label wins over the words that leave a feature out, as it wins over a number.
    if let Some(p) = model.time.find_period(text) {
        return Some(Some(p));
    }
    if UNPLANNED.iter().any(|u| u.eq_ignore_ascii_case(text)) {
        return Some(None);
    }
    let message = match text.parse::<i128>() {
        Ok(n) => format!(
            "period {n} is out of range: the plan has {} period{}",
            model.time.periods,
            if model.time.periods == 1 { "" } else { "s" }
        ),
        Err(_) => format!("`{text}` is not a period of this plan"),
    };
    findings.push(
        Finding::error(at.location.clone(), at.field.clone(), message)
            .help(period_help(model, leave_out)),
    );
    None
}
