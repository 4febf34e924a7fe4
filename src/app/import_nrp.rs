//! `roadmap import nrp`: a Next Release Problem instance as a one-period scenario with the
//! same optimum.

use super::output::write_file;
use super::{AppError, CommandOutput};
use crate::scenario::{self, nrp};
use std::path::PathBuf;

pub struct ImportNrpCommand {
    pub file: PathBuf,
    pub budget_ratio: String,
    pub rounding: nrp::Rounding,
    pub output: Option<PathBuf>,
}

pub fn import_nrp(opts: &ImportNrpCommand) -> Result<CommandOutput, AppError> {
    let display = opts.file.display().to_string();
    let text = std::fs::read_to_string(&opts.file).map_err(|e| AppError::Invalid(format!("error: cannot read {display}: {e}\n  help: the standard NRP instances are in benches/data/nrp/classic-nrp and realistic-nrp")))?;
    let ratio = nrp::Ratio::parse(&opts.budget_ratio).map_err(|e| {
        AppError::Invalid(format!(
            "error: --budget-ratio: {e}\n  help: the usual ratios are 0.3, 0.5 and 0.7"
        ))
    })?;
    let instance = nrp::parse(&display, &text).map_err(|f| AppError::Invalid(f.to_string()))?;
    let budget = ratio.apply(instance.total_cost(), opts.rounding);
    let name = opts
        .file
        .file_stem()
        .map_or("nrp".into(), |s| s.to_string_lossy().to_string());
    let scenario_text = nrp::to_scenario(
        &name,
        &instance,
        opts.budget_ratio.trim(),
        opts.rounding,
        budget,
    );
    // The written scenario must itself validate; a failure here is a bug in the importer.
    let check_path = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}.toml")));
    scenario::load_text(&check_path, scenario_text.clone(), &|p| std::fs::read(p))
        .map_err(|e| anyhow::anyhow!("the imported scenario does not validate: {e:?}"))?;
    let summary = format!(
        "{name}: {} requirements, {} customers, {} dependency pairs; total cost {}, budget {} ({}({} x {}))",
        instance.costs.len(),
        instance.customers.len(),
        instance.dependencies.len(),
        instance.total_cost(),
        budget,
        match opts.rounding {
            nrp::Rounding::Floor => "floor",
            nrp::Rounding::Nearest => "nearest",
        },
        opts.budget_ratio.trim(),
        instance.total_cost()
    );
    match &opts.output {
        Some(out) => {
            write_file(out, scenario_text.as_bytes())?;
            Ok(CommandOutput {
                stdout: format!("wrote {}\n{summary}\n", out.display()),
                stderr: String::new(),
            })
        }
        None => Ok(CommandOutput {
            stdout: scenario_text,
            stderr: format!("{summary}\n"),
        }),
    }
}
