//! Each side's plan: one mode's MILP plan, or the recommended plan, on the base and on the
//! variant, or the base's plan held on both.

use super::WhatifCommand;
use crate::analysis::recommend;
use crate::analysis::whatif::{self as compare, Planning};
use crate::app::solve::{recommend_error, solve};
use crate::app::AppError;
use crate::model::{Model, Plan};
use crate::optimize::OptimizeOptions;
use crate::report;
use crate::scenario::Loaded;
use crate::simulate;
use std::path::{Path, PathBuf};

/// What planning the two sides starts from.
#[derive(Clone, Copy)]
pub(super) struct Sides<'a> {
    pub opts: &'a WhatifCommand,
    pub base: &'a Loaded,
    pub variant: &'a Model,
    pub base_file: &'a PathBuf,
    pub variant_label: &'a str,
    /// The comparison's seed; each way of planning derives its own from it.
    pub seed: u64,
    pub options: &'a OptimizeOptions,
    pub progress: &'a dyn simulate::Progress,
}

/// Each side's plan, and how the variant's came about.
pub(super) struct SidePlans {
    pub base: Plan,
    /// The optimizer's objective of each plan on its side, when it was optimized there.
    pub base_objective: Option<f64>,
    pub variant: Plan,
    pub variant_objective: Option<f64>,
    pub planning: Planning,
}

/// One mode's MILP plan on each side: the variant's is re-optimized, or the base's plan held
/// when that does better.
pub(super) fn milp(sides: Sides) -> Result<SidePlans, AppError> {
    sides.progress.named(
        &report::progress::solving("the base: optimizing the plan", sides.options),
        "",
    );
    let base_outcome = solve(&sides.base.model, sides.options, sides.base_file)?;
    let mode = sides.options.mode.name().to_string();
    let (variant_plan, variant_objective, planning) = if sides.opts.hold_plan {
        (
            compare::carry_plan(&base_outcome.plan, &sides.base.model, sides.variant),
            None,
            Planning::Held { mode },
        )
    } else if *sides.variant == sides.base.model {
        // The same model needs no second solve; a time-limited one could even differ by chance.
        (
            base_outcome.plan.clone(),
            Some(base_outcome.objective),
            Planning::Reoptimized { mode },
        )
    } else {
        sides.progress.named(
            &report::progress::solving("the variant: optimizing the plan", sides.options),
            "",
        );
        let outcome = solve(sides.variant, sides.options, Path::new(sides.variant_label))?;
        // The held plan is a candidate too: on futures of their own (seed + 3, as the
        // recommended plan's selection), keep it when it does better than the re-planned one.
        let held = compare::carry_plan(&base_outcome.plan, &sides.base.model, sides.variant);
        let held_ok = crate::plan_check::check_plan(
            sides.variant,
            &held,
            &crate::plan_check::CheckBasis::expected(sides.variant),
        )
        .is_empty();
        let gain = if held_ok {
            compare::held_gain(
                sides.variant,
                &held,
                &outcome.plan,
                sides.seed.wrapping_add(3),
                2000,
            )
            .map_err(anyhow::Error::from)?
        } else {
            0.0
        };
        if gain > 0.0 {
            (held, None, Planning::KeptBase { mode, gain })
        } else {
            (
                outcome.plan,
                Some(outcome.objective),
                Planning::Reoptimized { mode },
            )
        }
    };
    Ok(SidePlans {
        base: base_outcome.plan,
        base_objective: Some(base_outcome.objective),
        variant: variant_plan,
        variant_objective,
        planning,
    })
}

/// Each side's recommended plan: the base's is searched for on the base, the variant's on the
/// variant with the base's plan, held, among its candidates.
pub(super) fn recommended(sides: Sides) -> Result<SidePlans, AppError> {
    let q = sides
        .opts
        .commit_confidence
        .unwrap_or(sides.base.model.commit_confidence);
    let find = |model: &Model, file: &Path, extra: Vec<(String, Plan)>, side: &str| {
        let mut options = recommend::RecommendOptions::new(sides.seed, q);
        options.optimize.time_limit_seconds = sides.options.time_limit_seconds;
        options.optimize.gap = sides.options.gap;
        options.extra_candidates = extra;
        recommend::recommend(model, &options, &simulate::Prefixed(sides.progress, side))
            .map_err(|e| recommend_error(model, sides.options, file, e))
    };
    let base_rec = find(&sides.base.model, sides.base_file, Vec::new(), "the base")?;
    let held = compare::carry_plan(&base_rec.plan, &sides.base.model, sides.variant);
    let (variant_plan, planning) = if sides.opts.hold_plan {
        (
            held,
            Planning::Held {
                mode: "recommended".into(),
            },
        )
    } else if *sides.variant == sides.base.model {
        (
            base_rec.plan.clone(),
            Planning::Recommended { kept_base: true },
        )
    } else {
        const HELD: &str = "the base's plan, held";
        let rec = find(
            sides.variant,
            Path::new(sides.variant_label),
            vec![(HELD.to_string(), held)],
            "the variant",
        )?;
        let kept_base = rec.origin == HELD && rec.moves.is_empty();
        (rec.plan, Planning::Recommended { kept_base })
    };
    Ok(SidePlans {
        base: base_rec.plan,
        base_objective: None,
        variant: variant_plan,
        variant_objective: None,
        planning,
    })
}
