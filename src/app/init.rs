//! `roadmap init`: a commented starter scenario that validates.

use super::output::write_file;
use super::{AppError, CommandOutput};
use crate::scenario;
use std::path::PathBuf;

pub struct InitCommand {
    pub path: PathBuf,
    pub force: bool,
}

pub fn init(opts: &InitCommand) -> Result<CommandOutput, AppError> {
    if opts.path.exists() && !opts.force {
        return Err(AppError::Invalid(format!("error: {} already exists\n  help: choose another path, or pass --force to overwrite it", opts.path.display())));
    }
    write_file(&opts.path, scenario::starter::STARTER.as_bytes())?;
    Ok(CommandOutput {
        stdout: format!(
            "wrote {0}\nnext: roadmap validate {0}\n      roadmap capacity {0}\n",
            opts.path.display()
        ),
        stderr: String::new(),
    })
}
