//! `roadmap calibrate`: how past estimates turned out per team, and the correction a
//! scenario can carry as its [calibration] table.

use super::load::findings_error;
use super::output::{emit, write_charts, write_file, Format};
use super::{AppError, CommandOutput};
use crate::analysis::calibrate::{self, Calibration};
use crate::report;
use crate::scenario::calibration;
use crate::scenario::history::{self, History, HistoryOptions};
use std::path::{Path, PathBuf};

pub struct CalibrateCommand {
    pub history: PathBuf,
    pub team_column: String,
    pub hours_per_week: f64,
    pub format: Format,
    pub out: Option<PathBuf>,
    /// The scenario to calibrate and where to write the result.
    pub apply: Option<(PathBuf, PathBuf)>,
}

pub fn calibrate(opts: &CalibrateCommand) -> Result<CommandOutput, AppError> {
    if !(opts.hours_per_week > 0.0 && opts.hours_per_week <= 168.0) {
        return Err(AppError::Invalid(format!(
            "error: --hours-per-week: a working week of {} hours is not possible\n  help: the hours one person works in a week, e.g. 40",
            opts.hours_per_week
        )));
    }
    let history = read_history(opts)?;
    let source = opts
        .history
        .file_name()
        .map_or_else(|| history.file.clone(), |n| n.to_string_lossy().to_string());
    let result = calibrate::calibrate(&source, &history.items);
    let mut extra = Vec::new();
    if opts.out.is_some() {
        extra.push(("calibration-items.csv", items_csv(&history)));
    }
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::calibrate::text,
            report::calibrate::json,
            report::calibrate::csv,
        ],
        opts.out.as_deref(),
        "calibration",
        extra,
    )?;
    if let Some(dir) = &opts.out {
        let chart = report::charts::calibration::render(&history.items, &result)
            .map_err(anyhow::Error::from)?;
        stdout.push_str(&write_charts(dir, &[("calibration", &chart)])?);
    }
    if let Some((scenario, output)) = &opts.apply {
        stdout.push_str(&apply(&result, scenario, output)?);
    }
    Ok(CommandOutput {
        stdout,
        stderr: report::findings::render(&history.warnings, usize::MAX),
    })
}

fn read_history(opts: &CalibrateCommand) -> Result<History, AppError> {
    let path = &opts.history;
    let bytes = std::fs::read(path).map_err(|e| {
        AppError::Invalid(format!(
            "error: cannot read {}: {e}\n  help: check the path; a history is a CSV such as scenarios/history-example.csv",
            path.display()
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        AppError::Invalid(format!(
            "error: {}: the file is not UTF-8 text\n  help: export the CSV as UTF-8",
            path.display()
        ))
    })?;
    let options = HistoryOptions {
        team_column: opts.team_column.clone(),
        hours_per_week: opts.hours_per_week,
    };
    history::read(&path.display().to_string(), &text, &options)
        .map_err(|findings| findings_error(&findings))
}

/// Every item with its ratio, for a spreadsheet.
fn items_csv(history: &History) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["feature", "team", "likely", "actual", "ratio"]);
    for item in &history.items {
        let likely = item.estimate.likely();
        let _ = w.write_record([
            item.feature.clone(),
            item.team.clone(),
            format!("{likely:.3}"),
            format!("{:.3}", item.actual),
            format!("{:.4}", item.actual / likely),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes the scenario with its [calibration] table added or replaced; the scenario is
/// checked with it before anything is written.
fn apply(result: &Calibration, scenario: &Path, output: &Path) -> Result<String, AppError> {
    let text = std::fs::read_to_string(scenario).map_err(|e| {
        AppError::Invalid(format!(
            "error: cannot read {}: {e}\n  help: --apply takes a scenario TOML file",
            scenario.display()
        ))
    })?;
    let fitted = calibration::fitted(result);
    if fitted.is_empty() {
        return Err(AppError::Invalid(format!(
            "error: {}: no team has a fitted correction (each needs at least {} items)\n  help: add more finished items to the history",
            result.source,
            calibrate::MIN_ITEMS
        )));
    }
    let calibrated = calibration::write_table(&text, &result.source, &fitted).map_err(|e| {
        AppError::Invalid(format!(
            "error: {}: {e}\n  help: fix the scenario's TOML first (roadmap validate)",
            scenario.display()
        ))
    })?;
    // The output is read back as the scenario it will be, relative to the original's folder
    // (its backlog CSV), so a team the scenario does not have is caught before writing.
    let check_path = scenario.with_file_name(
        output
            .file_name()
            .unwrap_or_else(|| std::ffi::OsStr::new("calibrated.toml")),
    );
    crate::scenario::load_text(&check_path, calibrated.clone(), &|p| std::fs::read(p))
        .map_err(|e| super::load::load_error(e, false))?;
    write_file(output, calibrated.as_bytes())?;
    let teams: Vec<&str> = fitted.iter().map(|f| f.team.as_str()).collect();
    Ok(format!(
        "\nwrote {} with [calibration] for {}\n",
        output.display(),
        teams.join(", ")
    ))
}
