//! What features wait for: dependency cycles, everything a feature needs for sure, and the
//! soonest each can be delivered through what it requires and its any-of groups.

use super::*;

/// Reports each dependency cycle once, as the whole loop.
pub(super) fn check_cycles(findings: &mut Findings, features: &[Feature], defs: &[&Defined]) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let n = features.len();
    let mut mark = vec![Mark::New; n];
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        // Iterative depth-first search; the stack holds (feature, next requirement to visit).
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::Active;
        while let Some(&mut (f, ref mut next)) = stack.last_mut() {
            if let Some(req) = features[f].requires.get(*next) {
                *next += 1;
                let g = req.feature;
                match mark[g] {
                    Mark::New => {
                        mark[g] = Mark::Active;
                        stack.push((g, 0));
                    }
                    Mark::Active => {
                        let start = stack.iter().position(|(h, _)| *h == g).unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[start..]
                            .iter()
                            .map(|(h, _)| features[*h].id.as_str())
                            .collect();
                        cycle.push(&features[g].id);
                        let def = defs[f];
                        findings.push(
                            Finding::error(
                                def.location.clone(),
                                format!("{}.requires", def.path),
                                format!("dependency cycle: {}", cycle.join(" -> ")),
                            )
                            .help("a feature cannot wait for itself; remove one of these requires"),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                mark[f] = Mark::Done;
                stack.pop();
            }
        }
    }
}

/// All features that `f` needs for sure, directly or through others: what it requires, not
/// the alternatives of its any-of groups, none of which it needs in particular.
pub fn prerequisites(features: &[Feature], f: usize) -> Vec<usize> {
    // A set of what was seen rather than a flag per feature: this runs once per feature of a
    // large backlog, and must cost what `f` needs, not the backlog's size.
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = features[f].requires.iter().map(|r| r.feature).collect();
    let mut out = Vec::new();
    while let Some(g) = stack.pop() {
        if seen.insert(g) {
            out.push(g);
            stack.extend(features[g].requires.iter().map(|r| r.feature));
        }
    }
    out
}

/// Earliest period each feature could be delivered in, from earliest starts, lags, the
/// shortest possible vendor lead time and the soonest its vendor's ready date allows. May lie
/// past the plan's end.
pub(crate) fn earliest_delivery(
    features: &[Feature],
    time: &TimeFrame,
    inputs: &[Input],
) -> Vec<usize> {
    let least = |id: Option<InputId>| id.map_or(0.0, |i| inputs[i.0 as usize].dist.min().max(0.0));
    let mut earliest: Vec<usize> = features
        .iter()
        .map(|f| {
            let start = f.earliest_period.unwrap_or(0);
            let lead = least(f.vendor_lead_weeks);
            // Lead time counts from the start of work; delivery is at the end of a period.
            let lead_periods =
                ((lead / time.period_weeks).ceil().min(1e9) as usize).saturating_sub(1);
            let ready = f
                .vendor_ready
                .as_ref()
                .map_or(0, |v| week_period(v.weeks + least(v.delay_weeks), time));
            start.saturating_add(lead_periods).max(ready)
        })
        .collect();
    // Requirements first, so each feature sees its prerequisites' final periods in one pass.
    for f in crate::model::plan::requirements_first(features) {
        for r in &features[f].requires {
            let need = earliest[r.feature].saturating_add(r.lag_periods);
            if need > earliest[f] {
                earliest[f] = need;
            }
        }
        for group in &features[f].requires_any {
            let need = soonest_alternative(group, &earliest).1;
            if need > earliest[f] {
                earliest[f] = need;
            }
        }
    }
    earliest
}

/// The alternative of `group` that can be delivered first, and the first period the group
/// lets its feature be delivered in (that alternative's, plus the lag).
fn soonest_alternative(group: &AnyOf, earliest: &[usize]) -> (usize, usize) {
    let (g, period) = group
        .first_delivered(|g| Some(earliest[g]))
        .unwrap_or((usize::MAX, usize::MAX));
    (g, period.saturating_add(group.lag_periods))
}

/// Why feature `f` cannot be delivered before `earliest[f]`.
pub(super) fn delay_cause(
    features: &[Feature],
    earliest: &[usize],
    time: &TimeFrame,
    f: usize,
) -> String {
    let lag = |lag_periods: usize| {
        if lag_periods > 0 {
            format!(", then a lag of {lag_periods} period(s)")
        } else {
            String::new()
        }
    };
    let delayed = earliest[f] > features[f].earliest_period.unwrap_or(0);
    let required = features[f]
        .requires
        .iter()
        .find(|r| delayed && earliest[r.feature].saturating_add(r.lag_periods) == earliest[f])
        .map(|r| {
            format!(
                "it requires `{}` (possible from {}{})",
                features[r.feature].id,
                period_name(time, earliest[r.feature]),
                lag(r.lag_periods)
            )
        });
    let alternatives = || {
        features[f].requires_any.iter().find_map(|group| {
            let (g, need) = soonest_alternative(group, earliest);
            (delayed && need == earliest[f]).then(|| {
                let ids: Vec<String> = group
                    .features
                    .iter()
                    .map(|&a| format!("`{}`", features[a].id))
                    .collect();
                format!(
                    "it requires one of {} (the soonest, `{}`, possible from {}{})",
                    ids.join(", "),
                    features[g].id,
                    period_name(time, earliest[g]),
                    lag(group.lag_periods)
                )
            })
        })
    };
    required
        .or_else(alternatives)
        .unwrap_or_else(|| match &features[f].vendor_ready {
            Some(v) if week_period(v.weeks, time) >= earliest[f] => {
                format!("its vendor's part is ready only on {}", v.date)
            }
            Some(v) => format!(
                "of its earliest start, vendor lead time and vendor ready date ({} and its delay)",
                v.date
            ),
            None => "of its earliest start and vendor lead time".to_string(),
        })
}
