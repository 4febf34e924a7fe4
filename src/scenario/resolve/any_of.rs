//! Any-of requirements, `{ any = ["catalog-build", "catalog-buy"], lag = 1 }`: ids resolved,
//! groups checked, and what a cycle through a group means.
//!
//! **Cycles.** An alternative that waits for the feature itself, directly or through any
//! requirement or group (it lies on a cycle back to the feature), can never be delivered
//! first, so it never meets the group: it is left out of the group, with a warning. A group
//! with no alternative left is a dependency cycle, an error. What remains is acyclic (a cycle
//! through a kept alternative would put that alternative on a cycle back), so every engine
//! walks requirements and alternatives alike, prerequisites first.

use super::*;

impl Ids<'_> {
    /// `f`'s any-of groups, each alternative once, with the group each was written as. A group
    /// must name at least two features and not the feature itself. An alternative the tracker
    /// dropped leaves its group; a group left with none waits for nothing.
    pub(super) fn any_of_groups<'d>(
        &self,
        findings: &mut Findings,
        f: &'d DraftFeature,
    ) -> (Vec<AnyOf>, Vec<&'d DraftAnyOf>) {
        let mut groups = Vec::new();
        let mut written = Vec::new();
        for group in &f.requires_any {
            let distinct: HashSet<&str> = group.features.iter().map(|r| r.id.as_str()).collect();
            let mut valid = true;
            if distinct.len() < 2 {
                valid = false;
                let example = group.features.first().map_or("catalog-build", |r| &r.id);
                findings.push(
                    Finding::error(
                        group.location.clone(),
                        format!("{}.any", group.field),
                        format!(
                            "an any-of group needs at least two features to choose from; this one names {}",
                            match distinct.len() {
                                0 => "none".to_string(),
                                _ => format!("only `{example}`"),
                            }
                        ),
                    )
                    .help(format!(
                        "for one feature, write a plain requirement: requires = [\"{example}\"] (or {{ id = \"{example}\", lag = 1 }}); for a choice, list the alternatives: {{ any = [\"{example}\", \"...\"] }}"
                    )),
                );
            }
            let mut features = Vec::new();
            for r in &group.features {
                if r.id == f.def.id {
                    valid = false;
                    findings.push(
                        Finding::error(
                            r.location.clone(),
                            &r.field,
                            format!("`{}` is in its own any-of group", r.id),
                        )
                        .help("remove it from the group: a feature cannot wait for itself"),
                    );
                } else if let Some(g) = self.other_feature(findings, r) {
                    if !features.contains(&g) {
                        features.push(g);
                    }
                }
            }
            if valid && !features.is_empty() {
                groups.push(AnyOf {
                    features,
                    lag_periods: group.lag,
                });
                written.push(group);
            }
        }
        (groups, written)
    }
}

/// The groups still in the model once done features have left it (a group with a done
/// alternative is met and goes, as [`Model::take_done`] does), as written, per feature still
/// to deliver. `features` are all the scenario's features, done ones included.
pub(super) fn kept_groups<'d>(
    features: &[Feature],
    written: Vec<Vec<&'d DraftAnyOf>>,
) -> Vec<Vec<&'d DraftAnyOf>> {
    let done = |g: usize| features[g].status == Status::Done;
    features
        .iter()
        .zip(written)
        .filter(|(f, _)| f.status != Status::Done)
        .map(|(f, written)| {
            f.requires_any
                .iter()
                .zip(written)
                .filter(|(group, _)| !group.features.iter().any(|&g| done(g)))
                .map(|(_, w)| w)
                .collect()
        })
        .collect()
}

/// Leaves out of each group the alternatives that wait for the feature itself (see the
/// module's note), with a warning; a group with none left is a cycle, an error. `written`
/// holds each feature's groups as written, in the model's order; the plain requirements are
/// acyclic already.
pub(super) fn settle_cycles(
    findings: &mut Findings,
    features: &mut [Feature],
    defs: &[&Defined],
    written: &[Vec<&DraftAnyOf>],
) {
    if features.iter().all(|f| f.requires_any.is_empty()) {
        return;
    }
    let needs: Vec<Vec<usize>> = features.iter().map(|f| f.needs().collect()).collect();
    let component = components(&needs);
    for f in 0..features.len() {
        for (k, group) in features[f].requires_any.iter_mut().enumerate() {
            let back: Vec<usize> = group
                .features
                .iter()
                .copied()
                .filter(|&g| component[g] == component[f])
                .collect();
            if back.is_empty() {
                continue;
            }
            let source = written.get(f).and_then(|w| w.get(k).copied());
            let (location, field) = source.map_or_else(
                || {
                    (
                        defs[f].location.clone(),
                        format!("{}.requires", defs[f].path),
                    )
                },
                |w| (w.location.clone(), w.field.clone()),
            );
            let id = |g: usize| defs[g].id.clone();
            let loops: Vec<String> = back
                .iter()
                .map(|&g| {
                    path_back(&needs, &component, g, f)
                        .iter()
                        .map(|&h| id(h))
                        .collect::<Vec<_>>()
                        .join(" -> ")
                })
                .collect();
            if back.len() == group.features.len() {
                findings.push(
                    Finding::error(
                        location,
                        field,
                        format!(
                            "dependency cycle: every feature of this any-of group waits for `{}` itself: {}",
                            id(f),
                            loops.join("; ")
                        ),
                    )
                    .help(format!(
                        "a feature cannot wait for itself: give the group an alternative that does not need `{}`, or remove one of these requires",
                        id(f)
                    )),
                );
                continue;
            }
            for (&g, path) in back.iter().zip(&loops) {
                let at = source
                    .and_then(|w| w.features.iter().find(|r| r.id == id(g)))
                    .map_or_else(
                        || (location.clone(), field.clone()),
                        |r| (r.location.clone(), r.field.clone()),
                    );
                findings.push(
                    Finding::warning(
                        at.0,
                        at.1,
                        format!(
                            "`{}` waits for `{}` itself ({path}), so it can never be delivered first: it does not count as an alternative",
                            id(g),
                            id(f)
                        ),
                    )
                    .help(format!(
                        "`{}` waits for the group's other alternatives; remove `{}` from the group, or the requirement that makes it wait",
                        id(f),
                        id(g)
                    )),
                );
            }
            group.features.retain(|g| !back.contains(g));
        }
    }
}

/// The strongly connected components of the graph of what each feature waits for (Tarjan's
/// algorithm, without recursion): two features share one exactly when each waits for the
/// other, directly or not.
fn components(needs: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = needs.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = calls.last_mut() {
            if let Some(&w) = needs[v].get(*k) {
                *k += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// A shortest chain of waits from `from` back to `to`, both ends included, inside their
/// component.
fn path_back(needs: &[Vec<usize>], component: &[usize], from: usize, to: usize) -> Vec<usize> {
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    came_from.insert(from, from);
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &w in &needs[v] {
            if component[w] == component[from] && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![to];
    let mut at = to;
    while at != from {
        match came_from.get(&at) {
            Some(&prev) => at = prev,
            None => break,
        }
        path.push(at);
    }
    path.reverse();
    path
}

/// What a status means for the groups around it, before done features leave the model: a
/// done feature waits for nothing, and a lag after a done alternative is not held.
/// `features` are all the scenario's features, `written` their groups as written.
pub(super) fn check_group_progress(
    findings: &mut Findings,
    features: &[Feature],
    written: &[Vec<&DraftAnyOf>],
) {
    let done = |g: usize| features[g].status == Status::Done;
    for (f, feature) in features.iter().enumerate() {
        for (group, source) in feature.requires_any.iter().zip(&written[f]) {
            let ids: Vec<String> = group
                .features
                .iter()
                .map(|&g| format!("`{}`", features[g].id))
                .collect();
            let shipped = group.features.iter().copied().find(|&g| done(g));
            let (location, field) = (source.location.clone(), source.field.clone());
            match shipped {
                None if done(f) => findings.push(
                    Finding::warning(
                        location,
                        field,
                        format!(
                            "`{}` is done, but it requires one of {}, none of which is done",
                            feature.id,
                            ids.join(", ")
                        ),
                    )
                    .help("if one of them shipped with it, give it status = \"done\" too; a done feature waits for nothing, so the others are planned on their own"),
                ),
                Some(g) if !done(f) && group.lag_periods >= 2 => findings.push(
                    Finding::warning(
                        location,
                        field,
                        format!(
                            "`{}` is done before the plan starts, so this group is met from the first period; its lag of {} periods is not held, since when `{}` shipped is not known",
                            features[g].id, group.lag_periods, features[g].id
                        ),
                    )
                    .help(format!(
                        "if `{}` must still wait, give it an `earliest` period; otherwise remove the lag",
                        feature.id
                    )),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_join_exactly_the_features_that_wait_for_each_other() {
        // 0 -> 1 -> 2 -> 0 is a loop; 3 waits for 0; 4 and 5 wait for each other.
        let needs = vec![vec![1], vec![2], vec![0], vec![0], vec![5], vec![4]];
        let c = components(&needs);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0]);
        assert!(c[4] == c[5] && c[4] != c[0] && c[4] != c[3]);
        assert_eq!(path_back(&needs, &c, 1, 0), [1, 2, 0]);
    }
}
