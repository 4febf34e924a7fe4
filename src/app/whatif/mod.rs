//! `roadmap whatif`: a variant (overrides, or a second scenario) against the base, each with
//! its own plan or the base's held, on the same simulated futures.
//!
//! The flow reads top to bottom in [`whatif`]: the sides read and the variant made, each
//! side's plan found ([`plans`]), and both simulated and written out ([`output`]).

mod output;
mod plans;

use super::checks::{check_overridden, same_periods};
use super::load::{check_futures, findings_error, load, warnings, Futures};
use super::progress::progress_bar;
use super::{AppError, CommandOutput, Format};
use crate::analysis::whatif::Side;
use crate::model::Model;
use crate::scenario::overrides::{self, Applied};
use crate::scenario::Loaded;
use plans::Sides;
use std::path::{Path, PathBuf};

pub struct WhatifCommand {
    /// The base scenario, and optionally a second scenario as the variant.
    pub files: Vec<PathBuf>,
    /// `--set` overrides, applied to the variant in the order given.
    pub set: Vec<String>,
    /// Execute the base's optimal plan on both sides instead of optimizing each.
    pub hold_plan: bool,
    /// Each side's recommended plan (the default) instead of the MILP plan of `optimize.mode`.
    pub recommended: bool,
    /// The recommended plan's commit confidence (default: the base scenario's).
    pub commit_confidence: Option<f64>,
    pub optimize: crate::optimize::OptimizeOptions,
    /// The comparison's futures (default: the base's); the optimizer samples on seed + 1.
    pub futures: Futures,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

pub fn whatif(opts: &WhatifCommand) -> Result<CommandOutput, AppError> {
    let (base_file, other_file) = match opts.files.as_slice() {
        [base] => (base, None),
        [base, other] => (base, Some(other)),
        _ => {
            return Err(AppError::Invalid(
                "error: give one scenario with --set overrides, or two scenarios (BASE OTHER)\n  help: roadmap whatif plan.toml --set teams.web.capacity*=0.8, or roadmap whatif plan.toml other.toml".into(),
            ))
        }
    };
    if other_file.is_none() && opts.set.is_empty() {
        return Err(AppError::Invalid(format!(
            "error: nothing to compare {} with\n  help: change it with --set PATH=VALUE (e.g. --set teams.web.capacity*=0.8), or give a second scenario: roadmap whatif {} OTHER.toml",
            base_file.display(),
            base_file.display()
        )));
    }
    let bar = progress_bar(opts.progress, base_file);
    let progress = &*bar;
    let base = load(base_file, false)?;
    let mut stderr = warnings(&base.warnings);
    let other = match other_file {
        Some(file) => {
            let other = load(file, false)?;
            same_periods(&base, &other)?;
            stderr.push_str(&warnings(&other.warnings));
            Some(other)
        }
        None => None,
    };
    let variant = Variant::make(opts, (base_file, other_file), &base, other.as_ref())?;
    stderr.push_str(&variant.warnings);

    let trials = opts.futures.trials(&base.model);
    let seed = opts.futures.seed(&base.model);
    let mut options = opts.optimize.clone();
    options.seed = seed.wrapping_add(1);
    options.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap whatif --help`"))
    })?;
    if let crate::optimize::Mode::Stochastic { scenarios, .. } = &options.mode {
        check_futures(&base.model, "--scenarios", *scenarios as u64)?;
    }
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        2,
        "pairing base and variant trial by trial",
    )?;
    let started = std::time::Instant::now();
    let sides = Sides {
        opts,
        base: &base,
        variant: &variant.model,
        base_file,
        variant_label: &variant.label,
        seed,
        options: &options,
        progress,
    };
    let plans = if opts.recommended && !(base.model.is_certain() && variant.model.is_certain()) {
        plans::recommended(sides)?
    } else {
        plans::milp(sides)?
    };
    let base_side = Side {
        label: base_file.display().to_string(),
        model: &base.model,
        plan: plans.base,
        objective: plans.base_objective,
    };
    let variant_side = Side {
        label: variant.label,
        model: &variant.model,
        plan: plans.variant,
        objective: plans.variant_objective,
    };
    output::compare(
        opts,
        (base_side, variant_side),
        variant.applied,
        (trials, seed, plans.planning),
        stderr,
        started,
        progress,
    )
}

/// The variant: the second scenario if there is one, else the base, with the overrides
/// applied in the order given.
struct Variant {
    model: Model,
    applied: Vec<Applied>,
    /// How the comparison names it: its file and the overrides.
    label: String,
    /// The overrides' warnings, for standard error.
    warnings: String,
}

impl Variant {
    fn make(
        opts: &WhatifCommand,
        (base_file, other_file): (&Path, Option<&PathBuf>),
        base: &Loaded,
        other: Option<&Loaded>,
    ) -> Result<Self, AppError> {
        let start = other.unwrap_or(base);
        let (model, applied, warnings) = if opts.set.is_empty() {
            (start.model.clone(), Vec::new(), String::new())
        } else {
            let (variant, applied) =
                overrides::apply(&start.model, &opts.set).map_err(|f| findings_error(&f))?;
            let (variant, broken) = check_overridden(start, variant, &opts.set, opts.hold_plan)?;
            (variant, applied, warnings(&broken))
        };
        let set_text: Vec<String> = opts.set.iter().map(|a| format!("--set {a}")).collect();
        let label = match other_file {
            Some(file) if set_text.is_empty() => file.display().to_string(),
            Some(file) => format!("{} {}", file.display(), set_text.join(" ")),
            None => format!("{} {}", base_file.display(), set_text.join(" ")),
        };
        Ok(Variant {
            model,
            applied,
            label,
            warnings,
        })
    }
}
