//! `roadmap validate`: every problem of a scenario with file, line, field and a fix, or a
//! one-screen summary of a valid one.

use super::load::{load, MAX_WARNINGS};
use super::progress::{checking_capacity, progress_bar};
use super::{AppError, CommandOutput, Format};
use crate::analysis::capacity::{self, CapacityCheck};
use crate::report;
use crate::scenario::{self, Finding, Loaded, ScenarioError};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// Validation needs the capacity check's verdict, not its tightest percentiles: at most this
/// many trials (scenarios/README.md), so a large backlog validates in a blink.
pub(super) const VALIDATE_TRIALS: u64 = 2_000;

pub struct ValidateCommand {
    pub file: PathBuf,
    pub format: Format,
    pub all_warnings: bool,
}

/// Capacity problems that no plan can overcome, as findings at the line to change.
pub(super) fn capacity_findings(loaded: &Loaded, check: &CapacityCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &check.shortfalls {
        let field = format!("teams[{}].capacity", s.team);
        let loc = loaded.location(&field);
        let sentence = report::capacity::shortfall_sentence(s);
        out.push(if s.mandatory_only {
            Finding::error(loc, field, sentence)
                .help("add capacity, make some of these features optional, or move their deadlines")
        } else {
            Finding::warning(loc, field, sentence).help(
                "not every deadline can be met on average; see `roadmap capacity` for the periods",
            )
        });
    }
    for t in &check.themes {
        let loc = loaded.location(&format!("themes[{}]", t.theme));
        if t.min_unreachable() {
            out.push(
                Finding::error(loc.clone(), format!("themes[{}].min_share", t.theme), format!("the theme needs at least {} of the planned work, but all its features together take {} person-weeks expected and the mandatory work outside it {}: at most {} is possible", report::format::percent(t.min_share), report::format::weeks(t.available_mean), report::format::weeks(t.other_mandatory_mean), report::format::percent(t.best_share())))
                    .help("lower min_share, give the theme more features, or make fewer features outside it mandatory"),
            );
        }
        if t.max_exceeded() {
            out.push(
                Finding::error(loc, format!("themes[{}].max_share", t.theme), format!("mandatory features of the theme take {} person-weeks expected: even with every other feature planned the theme is {} of the work, above its maximum of {}", report::format::weeks(t.mandatory_mean), report::format::percent(t.least_share()), report::format::percent(t.max_share)))
                    .help("raise max_share, or make some of its features optional"),
            );
        }
    }
    if let Some(b) = &check.budget {
        if crate::model::exceeds(b.mandatory_cost_mean, b.budget) {
            out.push(
                Finding::error(
                    loaded.location("plan.budget"),
                    "plan.budget",
                    format!(
                        "mandatory features cost {} expected, over the budget of {}",
                        report::format::money(b.mandatory_cost_mean, &loaded.model.currency),
                        report::format::money(b.budget, &loaded.model.currency)
                    ),
                )
                .help("raise the budget or make some features optional"),
            );
        }
    }
    out
}

/// `validate --format json`: the verdict first, then the details, in this order.
#[derive(serde::Serialize)]
struct ValidJson<'a> {
    valid: bool,
    files: &'a [String],
    name: &'a str,
    periods: &'a [String],
    teams: usize,
    features: usize,
    deals: usize,
    uncertain_inputs: usize,
    warnings: &'a [Finding],
    capacity: &'a CapacityCheck,
}

/// `validate --format json` on an invalid scenario: the verdict and every finding on stdout.
#[derive(serde::Serialize)]
struct InvalidJson<'a> {
    valid: bool,
    files: Vec<String>,
    errors: Vec<&'a Finding>,
    warnings: Vec<&'a Finding>,
}

fn invalid_json(file: &Path, findings: &[Finding], message: String) -> AppError {
    let json = InvalidJson {
        valid: false,
        files: vec![file.display().to_string()],
        errors: findings.iter().filter(|f| f.is_error()).collect(),
        warnings: findings.iter().filter(|f| !f.is_error()).collect(),
    };
    match serde_json::to_string_pretty(&json) {
        Ok(text) => AppError::InvalidWithOutput {
            message,
            stdout: text + "\n",
        },
        Err(_) => AppError::Invalid(message),
    }
}

pub fn validate(opts: &ValidateCommand) -> Result<CommandOutput, AppError> {
    // Silent unless standard error is a terminal.
    let bar = progress_bar(true, &opts.file);
    let loaded = match (scenario::load(&opts.file), opts.format) {
        (Err(ScenarioError::Invalid { findings, .. }), Format::Json) => {
            let message = report::findings::render(&findings, usize::MAX)
                .trim_end()
                .to_string();
            return Err(invalid_json(&opts.file, &findings, message));
        }
        (Err(io @ ScenarioError::Io { .. }), Format::Json) => {
            let finding = Finding::error(
                crate::scenario::Location {
                    file: opts.file.display().to_string(),
                    line: 0,
                    column: 0,
                },
                "",
                io.to_string(),
            )
            .help("check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml");
            let message = format!(
                "error: {io}\n  help: check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml"
            );
            return Err(invalid_json(&opts.file, &[finding], message));
        }
        _ => load(&opts.file, opts.all_warnings)?,
    };
    let model = &loaded.model;
    let trials = model.simulation.trials.min(VALIDATE_TRIALS);
    checking_capacity(&*bar, trials);
    let check = capacity::check(model, trials, model.simulation.seed);
    let mut findings = capacity_findings(&loaded, &check);
    findings.extend(loaded.warnings.iter().cloned());
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let rendered = report::findings::render(
        &findings,
        if opts.all_warnings {
            usize::MAX
        } else {
            MAX_WARNINGS
        },
    );
    if errors > 0 {
        let message = format!(
            "{}\nwith expected efforts no plan can hold these commitments (checked before any solver runs)",
            rendered.trim_end()
        );
        return Err(match opts.format {
            Format::Json => invalid_json(&opts.file, &findings, message),
            _ => AppError::Invalid(message),
        });
    }
    let files: Vec<String> = loaded
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let stdout = match opts.format {
        Format::Json => serde_json::to_string_pretty(&ValidJson {
            valid: true,
            files: &files,
            name: &model.name,
            periods: &model.time.labels,
            teams: model.teams.len(),
            features: model.features.len(),
            deals: model.deals.len(),
            uncertain_inputs: model.uncertain_input_count(),
            warnings: &findings,
            capacity: &check,
        })
        .context("encoding JSON")?,
        _ => format!(
            "ok: {} is valid\n\n{}",
            files[0],
            report::summary::render(model, &files, &check)
        ),
    };
    Ok(CommandOutput {
        stdout,
        stderr: rendered,
    })
}
