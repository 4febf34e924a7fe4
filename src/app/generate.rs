//! `roadmap generate`: a synthetic but plausible scenario that validates.

use super::output::write_file;
use super::{AppError, CommandOutput};
use crate::report;
use crate::scenario;
use std::path::PathBuf;

pub struct GenerateCommand {
    pub spec: crate::scenario::generate::GenerateSpec,
    pub output: Option<PathBuf>,
}

pub fn generate(opts: &GenerateCommand) -> Result<CommandOutput, AppError> {
    use crate::scenario::generate;
    opts.spec.check().map_err(|e| {
        AppError::Invalid(format!(
            "error: {e}\n  help: see `roadmap generate --help` for every option and its range"
        ))
    })?;
    let text = generate::generate(&opts.spec);
    // A generated scenario must validate; a failure here is a bug in the generator.
    let path = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("generated.toml"));
    let loaded = scenario::load_text(&path, text.clone(), &|p| std::fs::read(p))
        .map_err(|e| anyhow::anyhow!("the generated scenario does not validate: {e:?}"))?;
    let m = &loaded.model;
    let summary = format!(
        "{} features, {} teams, {} periods ({} to {}), {} segments, {} deals, {} uncertain inputs\n",
        report::format::count(m.features.len()),
        report::format::count(m.teams.len()),
        report::format::count(m.time.periods),
        m.time.labels.first().map_or("", String::as_str),
        m.time.labels.last().map_or("", String::as_str),
        report::format::count(m.segments.len()),
        report::format::count(m.deals.len()),
        report::format::count(m.uncertain_input_count())
    );
    match &opts.output {
        Some(out) => {
            write_file(out, text.as_bytes())?;
            Ok(CommandOutput {
                stdout: format!("wrote {}: {summary}", out.display()),
                stderr: String::new(),
            })
        }
        None => Ok(CommandOutput {
            stdout: text,
            stderr: summary,
        }),
    }
}
