//! What a feature's status means for the features around it, checked before the done ones
//! leave the model: a done feature waits for nothing, and what waits for it is met from the
//! first period.

use super::*;

/// `features` are all the scenario's features, resolved, done ones included; `drafts` the same
/// as written, for where each reference was written.
pub(crate) fn check_progress(
    findings: &mut Findings,
    features: &[Feature],
    drafts: &[DraftFeature],
) {
    let done = |g: usize| features[g].status == Status::Done;
    if !(0..features.len()).any(done) {
        return;
    }
    for (f, feature) in features.iter().enumerate() {
        let draft = &drafts[f];
        let written = |g: usize| {
            draft
                .requires
                .iter()
                .map(|(r, _)| r)
                .chain(&draft.excludes)
                .find(|r| r.id == features[g].id)
                .map_or_else(
                    || (draft.def.location.clone(), draft.def.path.clone()),
                    |r| (r.location.clone(), r.field.clone()),
                )
        };
        for r in &feature.requires {
            let g = r.feature;
            let (location, field) = written(g);
            if done(f) && !done(g) {
                findings.push(
                    Finding::warning(location, field, format!("`{}` is done, but it requires `{}`, which is not done", feature.id, features[g].id))
                        .help(format!("if `{}` shipped with it, give it status = \"done\" too; a done feature waits for nothing, so `{}` is planned on its own", features[g].id, features[g].id)),
                );
            } else if !done(f) && done(g) && r.lag_periods >= 2 {
                findings.push(
                    Finding::warning(
                        location,
                        field,
                        format!(
                            "`{}` is done before the plan starts, so this requirement is met from the first period; its lag of {} periods is not held, since when `{}` shipped is not known",
                            features[g].id, r.lag_periods, features[g].id
                        ),
                    )
                    .help(format!("if `{}` must still wait, give it an `earliest` period; otherwise remove the lag", feature.id)),
                );
            }
        }
        for &g in &feature.excludes {
            if !done(f) && !done(g) {
                continue;
            }
            let (location, field) = written(g);
            let (message, help) = if done(f) && done(g) {
                (
                    format!("`{}` and `{}` are both done, but they exclude each other", feature.id, features[g].id),
                    "alternatives cannot both ship: remove the exclusion, or check the status of each".to_string(),
                )
            } else {
                let (shipped, other) = if done(f) { (f, g) } else { (g, f) };
                (
                    format!(
                        "`{}` is done, so `{}`, its alternative, can never be delivered",
                        features[shipped].id, features[other].id
                    ),
                    format!(
                        "remove `{}` (and what requires it) from the scenario, or remove the exclusion if both may ship",
                        features[other].id
                    ),
                )
            };
            findings.push(Finding::error(location, field, message).help(help));
        }
    }
}
