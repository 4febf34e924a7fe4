//! Overrides of how far a feature's work has come: `features.sso.status=done` ("what if it
//! ships before the quarter starts?") and `features.sso.remaining.web=3` (in progress, with
//! that work left). What the model no longer holds (a done feature's estimates, the whole
//! estimate of one in progress) cannot come back on the command line: a copy of the scenario
//! says it.

use super::*;
use crate::model::Status;
use crate::scenario::status::{read_status, status_help, StatusWord};

/// What to do instead when the model no longer holds what an override needs.
const EDIT_A_COPY: &str =
    "edit a copy of the scenario (status and remaining) and run roadmap whatif BASE.toml COPY.toml";

/// A feature's status: `done` takes it out of every plan, as reading a file with that status
/// would; the others are what the feature already is, or need what the model does not hold.
pub(super) fn feature_status(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    change.one_value("a status is one value")?;
    let dotted = dotted(&change.field);
    only_set(
        &change.field,
        change.op,
        "a status",
        &format!("{dotted}=done"),
    )?;
    let f = change.path.index;
    let current = model.features[f].status;
    let wanted = match read_status(change.value) {
        StatusWord::Status(s) => s,
        _ => {
            return Err(problem(
                &change.field,
                format!("unknown status `{}`", change.value),
                status_help(change.value),
            ))
        }
    };
    let unchanged = || {
        (
            change.field.clone(),
            current.name().to_string(),
            current.name().to_string(),
        )
    };
    match (current, wanted) {
        (_, Status::Done) => {}
        (c, w) if c == w => return Ok(unchanged()),
        (Status::NotStarted, _) => {
            return Err(problem(
                &change.field,
                "a feature in progress needs the work that remains",
                format!(
                    "set what remains instead, which makes it in progress: {}.remaining.TEAM=WEEKS",
                    dotted.trim_end_matches(".status")
                ),
            ))
        }
        _ => {
            return Err(problem(
                &change.field,
                "once a feature is in progress the model holds only its remaining work, not its whole estimate",
                EDIT_A_COPY,
            ))
        }
    }
    let feature = &model.features[f];
    let alternative = feature.excludes.first().copied().or_else(|| {
        model
            .features
            .iter()
            .position(|other| other.excludes.contains(&f))
    });
    if let Some(g) = alternative {
        return Err(problem(
            &change.field,
            format!(
                "`{}` excludes `{}`: were it done, `{}` could never be delivered",
                feature.id, model.features[g].id, model.features[g].id
            ),
            EDIT_A_COPY,
        ));
    }
    model.features[f].status = Status::Done;
    model.take_done();
    Ok((change.field, current.name().to_string(), "done".to_string()))
}

/// What remains of a feature's work, per team. A feature not yet started becomes in progress
/// with only the work set here left (its other teams' parts done).
pub(super) fn feature_remaining(model: &mut Model, change: Change) -> Result<Changed, Problem> {
    let f = change.path.index;
    let before_status = model.features[f].status;
    if before_status == Status::NotStarted {
        let example = format!("{}.TEAM=WEEKS", dotted(&change.field));
        if change.path.qualifier.is_none() {
            return Err(problem(
                &change.field,
                "the feature is not started, so it has no remaining work to change",
                format!("name the team and what it has left, which makes the feature in progress: {example}"),
            ));
        }
        only_set(&change.field, change.op, "work not started", &example)?;
        let feature = &mut model.features[f];
        feature.effort.clear();
        feature.status = Status::InProgress;
    }
    let (field, before, after) = feature_keyed(
        model,
        Keyed::Effort,
        &change.path,
        &change.field,
        change.op,
        change.value,
    )?;
    let before = if before_status == Status::NotStarted {
        "not started".to_string()
    } else {
        before
    };
    Ok((field, before, after))
}

/// The whole effort of a feature in progress is not planned: its remaining work is.
pub(super) fn refuse_whole_effort(model: &Model, change: &Change) -> Result<(), Problem> {
    if model.features[change.path.index].status != Status::InProgress {
        return Ok(());
    }
    Err(problem(
        &change.field,
        format!(
            "{} is in progress: what is planned is its remaining work",
            change.path.item
        ),
        format!(
            "change that instead: {}.remaining.TEAM=WEEKS, or {}.remaining*=FACTOR",
            dotted(&change.path.item),
            dotted(&change.path.item)
        ),
    ))
}
