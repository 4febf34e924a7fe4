//! `roadmap whatif`: a variant (overrides, or a second scenario) against the base, each with
//! its own plan or the base's held, on the same simulated futures.

use super::checks::{check_overridden, same_periods};
use super::load::{check_futures, findings_error, load, warnings, Futures};
use super::output::{emit, write_charts};
use super::progress::progress_bar;
use super::solve::{recommend_error, solve};
use super::{AppError, CommandOutput, Format};
use crate::report;
use crate::scenario::Loaded;
use crate::simulate;
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
    use crate::analysis::whatif::Side;
    use crate::scenario::overrides;
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
    // The overrides apply to the variant: the second scenario if there is one, else the base.
    let start = other.as_ref().unwrap_or(&base);
    let (variant, applied) = if opts.set.is_empty() {
        (start.model.clone(), Vec::new())
    } else {
        let (variant, applied) =
            overrides::apply(&start.model, &opts.set).map_err(|f| findings_error(&f))?;
        let (variant, broken) = check_overridden(start, variant, &opts.set, opts.hold_plan)?;
        stderr.push_str(&warnings(&broken));
        (variant, applied)
    };
    let set_text: Vec<String> = opts.set.iter().map(|a| format!("--set {a}")).collect();
    let variant_label = match other_file {
        Some(file) if set_text.is_empty() => file.display().to_string(),
        Some(file) => format!("{} {}", file.display(), set_text.join(" ")),
        None => format!("{} {}", base_file.display(), set_text.join(" ")),
    };

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
        variant: &variant,
        base_file,
        variant_label: &variant_label,
        seed,
        options: &options,
        progress,
    };
    let plans = if opts.recommended && !(base.model.is_certain() && variant.is_certain()) {
        whatif_recommended(sides)?
    } else {
        whatif_milp(sides)?
    };
    let base_side = Side {
        label: base_file.display().to_string(),
        model: &base.model,
        plan: plans.base,
        objective: plans.base_objective,
    };
    let variant_side = Side {
        label: variant_label,
        model: &variant,
        plan: plans.variant,
        objective: plans.variant_objective,
    };
    whatif_compare(
        opts,
        (base_side, variant_side),
        applied,
        (trials, seed, plans.planning),
        stderr,
        started,
        progress,
    )
}

/// What planning the two sides starts from.
#[derive(Clone, Copy)]
struct Sides<'a> {
    opts: &'a WhatifCommand,
    base: &'a Loaded,
    variant: &'a crate::model::Model,
    base_file: &'a PathBuf,
    variant_label: &'a str,
    /// The comparison's seed; each way of planning derives its own from it.
    seed: u64,
    options: &'a crate::optimize::OptimizeOptions,
    progress: &'a dyn simulate::Progress,
}

/// Each side's plan, and how the variant's came about.
struct SidePlans {
    base: crate::model::Plan,
    /// The optimizer's objective of each plan on its side, when it was optimized there.
    base_objective: Option<f64>,
    variant: crate::model::Plan,
    variant_objective: Option<f64>,
    planning: crate::analysis::whatif::Planning,
}

/// `whatif` with one mode's MILP plan on each side: the variant's is re-optimized, or the
/// base's plan held when that does better.
fn whatif_milp(sides: Sides) -> Result<SidePlans, AppError> {
    use crate::analysis::whatif::{self as compare, Planning};
    sides.progress.stage(
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
        sides.progress.stage(
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

/// `whatif` with each side's recommended plan: the base's is searched for on the base, the
/// variant's on the variant with the base's plan, held, among its candidates.
fn whatif_recommended(sides: Sides) -> Result<SidePlans, AppError> {
    use crate::analysis::recommend;
    use crate::analysis::whatif::{self as compare, Planning};
    let q = sides
        .opts
        .commit_confidence
        .unwrap_or(sides.base.model.commit_confidence);
    let find = |model: &crate::model::Model,
                file: &Path,
                extra: Vec<(String, crate::model::Plan)>,
                side: &str| {
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

/// Both sides simulated on the same futures, and the output.
fn whatif_compare(
    opts: &WhatifCommand,
    (base_side, variant_side): (
        crate::analysis::whatif::Side<'_>,
        crate::analysis::whatif::Side<'_>,
    ),
    applied: Vec<crate::scenario::overrides::Applied>,
    (trials, seed, planning): (u64, u64, crate::analysis::whatif::Planning),
    mut stderr: String,
    started: std::time::Instant,
    progress: &dyn simulate::Progress,
) -> Result<CommandOutput, AppError> {
    use crate::analysis::whatif::{self as compare, CompareOptions};
    progress.stage("simulating both sides on the same futures", "trials");
    let compare_options = CompareOptions {
        trials,
        seed,
        threads: opts.threads,
        planning,
    };
    let result = compare::compare(
        &base_side,
        &variant_side,
        applied,
        &compare_options,
        progress,
    )
    .map_err(anyhow::Error::from)?;
    stderr.push_str(&format!(
        "planned and simulated both sides ({} trials each) in {:.2} s\n",
        report::format::thousands(trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::whatif::text,
            report::whatif::json,
            report::whatif::csv,
        ],
        opts.out.as_deref(),
        "whatif",
        vec![("whatif-plans.csv", report::whatif::plans_csv(&result))],
    )?;
    if let Some(dir) = &opts.out {
        // Short names in the legend: the file names when two scenarios are compared, else
        // base and what-if (the overrides are in the tables).
        let stem = |p: &PathBuf| {
            p.file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        };
        let (base_label, variant_label) = match opts.files.as_slice() {
            [a, b] if stem(a) != stem(b) && opts.set.is_empty() => (stem(a), stem(b)),
            _ => ("base".to_string(), "what-if".to_string()),
        };
        let [(npv_stem, npv), (fan_stem, fan)] =
            report::charts::whatif::overlays(&result, &base_label, &variant_label)
                .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(dir, &[(npv_stem, &npv), (fan_stem, &fan)])?);
    }
    Ok(CommandOutput { stdout, stderr })
}
