//! Alternatives that cannot both be planned: a feature needing both sides of a pair, two
//! mandatory features that exclude each other (or whose prerequisites do), and deals that need
//! both sides.

use super::*;

pub(crate) fn check_exclusions(
    findings: &mut Findings,
    features: &[Feature],
    defs: &[&Defined],
    deals: &[Deal],
    draft_deals: &[DraftDeal],
) {
    // Only features in an exclusion can break one, and backlogs have few: what each feature
    // needs is first narrowed to them (`involved`), so a conflict is found in time linear in
    // the backlog, and the whole closures, in the order the messages name them, are walked only
    // where there is one.
    let Some(involved) = involved_in_exclusions(features) else {
        return;
    };
    check_needs_excluded_pairs(findings, features, defs, &involved);
    check_blocked_groups(findings, features, defs, &involved);
    check_mandatory_exclusions(findings, features, defs, &involved);
    check_deal_exclusions(findings, features, deals, draft_deals, &involved);
}

/// Whether `a` excludes `b` or `b` excludes `a`.
fn exclude(features: &[Feature], a: usize, b: usize) -> bool {
    features[a].excludes.contains(&b) || features[b].excludes.contains(&a)
}

/// `f` and all it needs, directly or through others.
fn closure(features: &[Feature], f: usize) -> Vec<usize> {
    let mut c = prerequisites(features, f);
    c.push(f);
    c
}

/// Whether a member of `a` excludes a member of `b` (or the other way), other than itself;
/// both sorted.
fn clash(features: &[Feature], a: &[usize], b: &[usize]) -> bool {
    let one_way = |a: &[usize], b: &[usize]| {
        a.iter().any(|&x| {
            features[x]
                .excludes
                .iter()
                .any(|&y| y != x && b.binary_search(&y).is_ok())
        })
    };
    one_way(a, b) || one_way(b, a)
}

/// involved[f]: `f` and what it needs, directly or not, that is in an exclusion; sorted.
/// None when no feature is in an exclusion.
fn involved_in_exclusions(features: &[Feature]) -> Option<Vec<Vec<usize>>> {
    let n = features.len();
    let mut in_exclusion = vec![false; n];
    for (f, feature) in features.iter().enumerate() {
        for &g in &feature.excludes {
            in_exclusion[f] = true;
            in_exclusion[g] = true;
        }
    }
    if !in_exclusion.contains(&true) {
        return None;
    }
    let mut involved: Vec<Vec<usize>> = vec![Vec::new(); n];
    for f in crate::model::plan::requirements_first(features) {
        let mut set: Vec<usize> = features[f]
            .requires
            .iter()
            .flat_map(|r| involved[r.feature].iter().copied())
            .collect();
        if in_exclusion[f] {
            set.push(f);
        }
        set.sort_unstable();
        set.dedup();
        involved[f] = set;
    }
    Some(involved)
}

/// A feature that needs two features which exclude each other can never be delivered.
fn check_needs_excluded_pairs(
    findings: &mut Findings,
    features: &[Feature],
    defs: &[&Defined],
    involved: &[Vec<usize>],
) {
    for (f, feature) in features.iter().enumerate() {
        if !clash(features, &involved[f], &involved[f]) {
            continue;
        }
        let closure = closure(features, f);
        for &a in &closure {
            for &b in &closure {
                if a < b && exclude(features, a, b) {
                    findings.push(
                        Finding::error(
                            defs[f].location.clone(),
                            format!("{}.requires", defs[f].path),
                            format!(
                                "`{}` needs both `{}` and `{}`, which exclude each other",
                                feature.id, features[a].id, features[b].id
                            ),
                        )
                        .help("remove the exclusion, or the requirement on one of them"),
                    );
                }
            }
        }
    }
}

/// A feature each of whose alternatives in an any-of group needs something that excludes
/// what the feature (or that alternative) needs for sure can never be delivered. A feature
/// whose own needs clash is reported above, and only what is needed for sure is counted: the
/// alternatives' own groups may still choose.
fn check_blocked_groups(
    findings: &mut Findings,
    features: &[Feature],
    defs: &[&Defined],
    involved: &[Vec<usize>],
) {
    for (f, feature) in features.iter().enumerate() {
        if feature.requires_any.is_empty() || clash(features, &involved[f], &involved[f]) {
            continue;
        }
        for group in &feature.requires_any {
            let blocked = |g: usize| {
                let mut both: Vec<usize> =
                    involved[f].iter().chain(&involved[g]).copied().collect();
                both.sort_unstable();
                both.dedup();
                clash(features, &both, &both)
            };
            if !group.features.iter().all(|&g| blocked(g)) {
                continue;
            }
            let reasons: Vec<String> = group
                .features
                .iter()
                .filter_map(|&g| {
                    let mut all = closure(features, f);
                    all.extend(closure(features, g));
                    let (x, y) = all
                        .iter()
                        .flat_map(|&x| all.iter().map(move |&y| (x, y)))
                        .find(|&(x, y)| x != y && exclude(features, x, y))?;
                    Some(format!(
                        "with `{}`, `{}` and `{}` exclude each other",
                        features[g].id, features[x].id, features[y].id
                    ))
                })
                .collect();
            findings.push(
                Finding::error(
                    defs[f].location.clone(),
                    format!("{}.requires", defs[f].path),
                    format!(
                        "`{}` can never be delivered: every alternative of its any-of group clashes with what it needs ({})",
                        feature.id,
                        reasons.join("; ")
                    ),
                )
                .help("remove one of these exclusions, or give the group an alternative that fits"),
            );
        }
    }
}

/// Two mandatory features whose needs exclude each other cannot both be delivered.
fn check_mandatory_exclusions(
    findings: &mut Findings,
    features: &[Feature],
    defs: &[&Defined],
    involved: &[Vec<usize>],
) {
    let n = features.len();
    // Mandatory features that need nothing in an exclusion cannot clash with any other; for
    // the others, what each excludes is looked up among what the later ones need, rather than
    // comparing every pair of them.
    let mandatory: Vec<usize> = (0..n)
        .filter(|&f| features[f].mandatory && !involved[f].is_empty())
        .collect();
    let mut excluded_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (f, feature) in features.iter().enumerate() {
        for &g in &feature.excludes {
            excluded_by[g].push(f);
        }
    }
    // needed_by[y]: the positions in `mandatory` of the features that need y.
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &b) in mandatory.iter().enumerate() {
        for &y in &involved[b] {
            needed_by[y].push(i);
        }
    }
    for (i, &a) in mandatory.iter().enumerate() {
        let mut later: Vec<usize> = involved[a]
            .iter()
            .flat_map(|&x| {
                features[x]
                    .excludes
                    .iter()
                    .chain(&excluded_by[x])
                    .filter(move |&&y| y != x)
            })
            .flat_map(|&y| needed_by[y].iter().copied().filter(|&j| j > i))
            .collect();
        later.sort_unstable();
        later.dedup();
        for b in later.into_iter().map(|j| mandatory[j]) {
            let (closure_a, closure_b) = (closure(features, a), closure(features, b));
            if let Some((x, y)) = closure_a
                .iter()
                .flat_map(|&x| closure_b.iter().map(move |&y| (x, y)))
                .find(|&(x, y)| x != y && exclude(features, x, y))
            {
                findings.push(
                    Finding::error(
                        defs[b].location.clone(),
                        format!("{}.mandatory", defs[b].path),
                        format!(
                            "mandatory `{}` and `{}` cannot both be delivered: `{}` excludes `{}`",
                            features[a].id, features[b].id, features[x].id, features[y].id
                        ),
                    )
                    .help("make one of them optional, or remove the exclusion"),
                );
            }
        }
    }
}

/// A deal whose features' needs exclude each other can never be won.
fn check_deal_exclusions(
    findings: &mut Findings,
    features: &[Feature],
    deals: &[Deal],
    draft_deals: &[DraftDeal],
    involved: &[Vec<usize>],
) {
    for (d, deal) in deals.iter().enumerate() {
        let mut needed: Vec<usize> = deal
            .features
            .iter()
            .flat_map(|&f| involved[f].iter().copied())
            .collect();
        needed.sort_unstable();
        needed.dedup();
        if !clash(features, &needed, &needed) {
            continue;
        }
        let all: Vec<usize> = deal
            .features
            .iter()
            .flat_map(|&f| closure(features, f))
            .collect();
        if let Some((x, y)) = all
            .iter()
            .flat_map(|&x| all.iter().map(move |&y| (x, y)))
            .find(|&(x, y)| x < y && exclude(features, x, y))
        {
            findings.push(
                Finding::warning(
                    draft_deals[d].features_location.clone(),
                    format!("deals[{}].features", deal.id),
                    format!(
                        "this deal can never be won: `{}` excludes `{}`",
                        features[x].id, features[y].id
                    ),
                )
                .help("check the deal's features or the exclusion"),
            );
        }
    }
}
