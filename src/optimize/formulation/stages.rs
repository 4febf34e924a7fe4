//! Order inside a feature (`Feature::stages`): for each stage but the last, a step column
//! "done by t" (the last stage's is the feature's own D). A stage is done at least a period
//! after the one before (the hand-off), and only for a feature that ships. A team's part in
//! stage s lies in the periods after the previous stage is done, up to its own stage's end:
//! in a Hall row over [a, b] it counts when its stage is done by b and the previous one is
//! not done by a - 2, which a continuous y >= C[s, b] - C[s-1, a-2] says exactly at integer
//! points.

use super::super::milp::{Con, Milp, Var};
use super::Formulation;
use crate::model::Model;

/// Per feature with stages: per stage but the last, the column of its first period and its
/// first and last periods.
pub type StageColumns = Vec<Option<Vec<(u32, usize, usize)>>>;

pub(super) fn stage_columns(model: &Model, form: &mut Formulation, m: &mut Milp) {
    let mut all: StageColumns = vec![None; model.features.len()];
    for (f, feature) in model.features.iter().enumerate() {
        let stages = feature.stages.len();
        let Some((_, w)) = form.delivered[f] else {
            continue;
        };
        if stages < 2 {
            continue;
        }
        let mut cols = Vec::new();
        for s in 0..stages - 1 {
            // Stage s is done by the end of its window, no later than the stages after it
            // leave room for: one period each.
            let first = w.open + s;
            let last = w.last - (stages - 1 - s);
            let col = m.columns.len() as u32;
            for t in first..=last {
                m.add_column(
                    Var::Staged {
                        feature: f as u32,
                        stage: s as u32,
                        period: t as u32,
                    },
                    0.0,
                    1.0,
                    true,
                );
            }
            cols.push((col, first, last));
        }
        all[f] = Some(cols);
    }
    form.stages = all;
    for f in 0..model.features.len() {
        let Some(cols) = form.stages[f].clone() else {
            continue;
        };
        let stages = cols.len() + 1;
        for (s, &(col, first, last)) in cols.iter().enumerate() {
            for t in first..last {
                let c = col + (t - first) as u32;
                m.add_row(
                    Con::StageStays {
                        feature: f as u32,
                        stage: s as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &[(c, 1.0), (c + 1, -1.0)],
                );
            }
            // Done only for a feature that ships.
            if let Some(d) = form.at_all(f) {
                m.add_row(
                    Con::StageShips {
                        feature: f as u32,
                        stage: s as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &[(col + (last - first) as u32, 1.0), (d, -1.0)],
                );
            }
        }
        // The hand-off: stage s + 1 done by t only when stage s is done by t - 1.
        for s in 1..stages {
            let (_, first, last) = stage_window(form, f, s);
            for t in first..=last {
                let mine = stage_by(form, f, s, t).expect("inside the window");
                let theirs = t.checked_sub(1).and_then(|u| stage_by(form, f, s - 1, u));
                let mut entries = vec![(mine, 1.0)];
                entries.extend(theirs.map(|c| (c, -1.0)));
                m.add_row(
                    Con::HandOff {
                        feature: f as u32,
                        stage: s as u32,
                        period: t as u32,
                    },
                    f64::NEG_INFINITY,
                    0.0,
                    &entries,
                );
            }
        }
    }
}

/// The column of stage s's first period and its window; the last stage is the feature's D.
fn stage_window(form: &Formulation, f: usize, s: usize) -> (u32, usize, usize) {
    let cols = form.stages[f].as_ref().expect("a feature with stages");
    match cols.get(s) {
        Some(&c) => c,
        None => {
            let (col, w) = form.delivered[f].expect("a feature with stages has a window");
            (col, w.first, w.last)
        }
    }
}

/// "Stage s of f done by t" as a column: None before its window, its last column after.
pub(super) fn stage_by(form: &Formulation, f: usize, s: usize, t: usize) -> Option<u32> {
    let (col, first, last) = stage_window(form, f, s);
    (t >= first).then(|| col + (t.min(last) - first) as u32)
}

/// The stage of team `k`'s part of feature `f`, when the feature has stages and lists k.
pub(super) fn stage_of(model: &Model, form: &Formulation, f: usize, k: usize) -> Option<usize> {
    form.stages.get(f)?.as_ref()?;
    model.features[f]
        .stages
        .iter()
        .position(|st| st.contains(&k))
}

/// The entry of team `k`'s part of staged feature `f` (its stage `s`) in a Hall row over
/// [a, b] with weight `e`, adding the y column it needs; None when the part can never lie
/// inside the run.
#[allow(clippy::too_many_arguments)] // a row's run, the part and the model it writes to
pub(super) fn part_entry(
    form: &Formulation,
    m: &mut Milp,
    f: usize,
    k: usize,
    s: usize,
    a: usize,
    b: usize,
) -> Option<u32> {
    let (_, w) = form.delivered[f]?;
    let done = stage_by(form, f, s, b)?;
    if s == 0 {
        return (w.open >= a).then_some(done);
    }
    // The part starts the period after the previous stage is done: never before open + s.
    let before = a.checked_sub(2).and_then(|u| stage_by(form, f, s - 1, u));
    let Some(before) = before.filter(|_| a > w.open + s) else {
        return Some(done);
    };
    let y = m.add_column(
        Var::PartInside {
            feature: f as u32,
            team: k as u32,
            from: a as u32,
            to: b as u32,
        },
        0.0,
        1.0,
        false,
    );
    m.add_row(
        Con::PartInside {
            feature: f as u32,
            team: k as u32,
            from: a as u32,
            to: b as u32,
        },
        0.0,
        f64::INFINITY,
        &[(y, 1.0), (done, -1.0), (before, 1.0)],
    );
    Some(y)
}
