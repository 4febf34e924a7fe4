//! `roadmap validate`: every problem of a scenario with file, line, field and a fix, or a
//! one-screen summary of a valid one.

use super::checks::{capacity_findings, VALIDATE_TRIALS};
use super::load::{load_error, MAX_WARNINGS};
use super::progress::{checking_capacity, progress_bar};
use super::{AppError, CommandOutput, Format};
use crate::analysis::capacity::{self, CapacityCheck};
use crate::report;
use crate::scenario::{self, Finding, ScenarioError};
use anyhow::Context;
use std::path::{Path, PathBuf};

pub struct ValidateCommand {
    pub file: PathBuf,
    pub format: Format,
    pub all_warnings: bool,
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
        (Ok(loaded), _) => loaded,
        (Err(e), _) => return Err(load_error(e, opts.all_warnings)),
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
