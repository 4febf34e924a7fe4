//! `roadmap capacity`: per team and period, committed work (mean and P80) against capacity.

use super::load::{load, warnings, Futures};
use super::output::{create_dir, write_file};
use super::progress::{checking_capacity, progress_bar};
use super::{AppError, CommandOutput, Format};
use crate::analysis::capacity;
use crate::report;
use std::path::PathBuf;

pub struct CapacityCommand {
    pub file: PathBuf,
    pub format: Format,
    pub futures: Futures,
    pub out: Option<PathBuf>,
}

pub fn capacity(opts: &CapacityCommand) -> Result<CommandOutput, AppError> {
    // Silent unless standard error is a terminal.
    let bar = progress_bar(true, &opts.file);
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let trials = opts.futures.trials(model);
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        2 * (model.teams.len() * model.time.periods) as u64,
        "the capacity check (for its P80s)",
    )?;
    checking_capacity(&*bar, trials);
    let check = capacity::check(model, trials, opts.futures.seed(model));
    let text = || report::capacity::text(&check, &model.currency);
    let body = match opts.format {
        Format::Text => text(),
        Format::Json => report::capacity::json(&check),
        Format::Csv => report::capacity::csv(&check),
    };
    let stdout = match &opts.out {
        Some(dir) => {
            create_dir(dir)?;
            write_file(&dir.join("capacity.txt"), text().as_bytes())?;
            write_file(
                &dir.join("capacity.csv"),
                report::capacity::csv(&check).as_bytes(),
            )?;
            write_file(
                &dir.join("capacity.json"),
                report::capacity::json(&check).as_bytes(),
            )?;
            format!(
                "{body}\nwrote {0}/capacity.txt, {0}/capacity.csv, {0}/capacity.json\n",
                dir.display()
            )
        }
        None => body,
    };
    Ok(CommandOutput {
        stdout,
        stderr: warnings(&loaded.warnings),
    })
}
