//! The commands, one file each: a command's whole flow, from the scenario to the model, the
//! analysis and the report, reads top to bottom in its file. The longer ones (`report`,
//! `whatif`) are folders whose top file holds that flow and names the file of each stage.
//! Commands return their text in a [`CommandOutput`]; only `main` prints.
//!
//! The option structs here are plain data (`cli` builds them from the arguments; tests and
//! benches build them directly). Shared steps have one home each: reading a scenario
//! (`load`), the checks run before any solver (`checks`), the progress display (`progress`),
//! solving with the command line's error mapping (`solve`) and writing results (`output`).

mod calibrate;
mod capacity;
mod checks;
mod frontier;
mod generate;
mod import_nrp;
mod init;
mod load;
mod merge;
mod optimize;
mod output;
mod partial;
mod progress;
mod report;
mod sensitivity;
mod simulate;
mod solve;
mod strategies;
mod validate;
mod whatif;

pub use calibrate::{calibrate, CalibrateCommand};
pub use capacity::{capacity, CapacityCommand};
pub use frontier::{frontier, FrontierCommand};
pub use generate::{generate, GenerateCommand};
pub use import_nrp::{import_nrp, ImportNrpCommand};
pub use init::{init, InitCommand};
pub use load::Futures;
pub use merge::{merge, MergeCommand, ShardOutput};
use merge::{read_parts, RERUN_SHARD};
pub use optimize::{optimize, OptimizeCommand};
pub use output::Format;
pub use partial::Shard;
pub use report::{report, ReportCommand};
pub use sensitivity::{sensitivity, SensitivityCommand};
pub use simulate::{simulate, SimulateCommand};
pub use strategies::{strategies, GenerateMany, StrategiesCommand};
pub use validate::{validate, ValidateCommand};
pub use whatif::{whatif, WhatifCommand};

/// What a command has to say: the result on stdout, diagnostics on stderr.
#[derive(Debug, Default)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; the message says where and how to fix it (exit code 2).
    #[error("{0}")]
    Invalid(String),
    /// Invalid input, with a machine-readable account of it for standard output (exit code 2):
    /// `validate --format json` answers on stdout whether the file is valid or not.
    #[error("{message}")]
    InvalidWithOutput { message: String, stdout: String },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Invalid(_) | AppError::InvalidWithOutput { .. } => 2,
            AppError::Other(_) => 1,
        }
    }
}

impl From<crate::limits::TooLarge> for AppError {
    fn from(e: crate::limits::TooLarge) -> Self {
        AppError::Invalid(format!(
            "error: {e}\n  help: use at most {} (scenarios/README.md, \"Limits\", says why each bound is where it is)",
            crate::report::format::thousands(e.max as f64)
        ))
    }
}
