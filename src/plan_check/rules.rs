//! The rules of a single planned feature, as data: what the plan breaks, for each reader of a
//! plan to put in its own words. The checker words them as violations; a plan file, as
//! warnings on its rows.

use crate::model::{AnyOf, Feature, Model, Plan, Requirement};

/// The period `plan` delivers feature `f` in, if any.
pub(crate) fn planned(plan: &Plan, f: usize) -> Option<usize> {
    plan.periods.get(f).copied().flatten()
}

/// Whether `feature`, planned in `period`, is mandatory and left out.
pub(crate) fn left_out_mandatory(feature: &Feature, period: Option<usize>) -> bool {
    feature.mandatory && period.is_none()
}

/// How a requirement of a planned feature is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unmet {
    /// The plan leaves the required feature out.
    LeftOut,
    /// The required feature, lag included, comes after the feature; it is planned in `planned`.
    TooSoon { planned: usize },
}

/// The requirements of feature `f`, planned in `pf`, that `plan` breaks, in the order the
/// feature lists them.
pub(crate) fn unmet_requirements<'a>(
    model: &'a Model,
    plan: &'a Plan,
    f: usize,
    pf: usize,
) -> impl Iterator<Item = (&'a Requirement, Unmet)> + 'a {
    let n = model.features.len();
    model.features[f]
        .requires
        .iter()
        .filter(move |r| r.feature < n)
        .filter_map(move |r| match planned(plan, r.feature) {
            None => Some((r, Unmet::LeftOut)),
            Some(pg) if pg.saturating_add(r.lag_periods) > pf => {
                Some((r, Unmet::TooSoon { planned: pg }))
            }
            Some(_) => None,
        })
}

/// The any-of groups of feature `f`, planned in `pf`, that `plan` breaks: no alternative is
/// planned by `pf` less the group's lag. With each, its alternative planned first and that
/// one's period, if the plan has one (too late).
pub(crate) fn unmet_any_of<'a>(
    model: &'a Model,
    plan: &'a Plan,
    f: usize,
    pf: usize,
) -> impl Iterator<Item = (&'a AnyOf, Option<(usize, usize)>)> + 'a {
    let n = model.features.len();
    model.features[f]
        .requires_any
        .iter()
        .filter_map(move |group| {
            let first = group.first_delivered(|g| if g < n { planned(plan, g) } else { None });
            match first {
                Some((_, pg)) if pg.saturating_add(group.lag_periods) <= pf => None,
                _ => Some((group, first)),
            }
        })
}

/// The features that planned feature `f` excludes which `plan` delivers too, with their
/// periods. A pair whose two sides both declare the exclusion is named once, under the later
/// feature.
pub(crate) fn broken_exclusions<'a>(
    model: &'a Model,
    plan: &'a Plan,
    f: usize,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let n = model.features.len();
    model.features[f]
        .excludes
        .iter()
        .copied()
        .filter(move |&x| x < n && x != f)
        .filter(move |&x| !(model.features[x].excludes.contains(&f) && x < f))
        .filter_map(move |x| Some((x, planned(plan, x)?)))
}

/// The hard deadline (or a soft target's limit) that `feature`, planned in `pf`, misses.
pub(crate) fn missed_hard_deadline(feature: &Feature, pf: usize) -> Option<usize> {
    feature
        .deadline
        .and_then(|d| d.hard_period())
        .filter(|&due| pf > due)
}

/// The earliest period that `feature`, planned in `pf`, comes before: its own, and one more
/// for each stage after the first, since a stage starts the period after the one before it
/// is done.
pub(crate) fn before_earliest(feature: &Feature, pf: usize) -> Option<usize> {
    let earliest = feature.earliest_period.unwrap_or(0) + feature.stages.len().saturating_sub(1);
    (pf < earliest).then_some(earliest)
}
