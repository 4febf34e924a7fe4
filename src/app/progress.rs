//! The progress display every long command shows on a terminal.

use crate::report;
use crate::simulate::{self, Progress};
use std::path::Path;

/// A command's progress: stages and bars on standard error when it is a terminal and the
/// command asks for them, nothing otherwise. The first stage reads and checks the scenario,
/// which takes seconds for backlogs of hundreds of thousands of rows.
pub(super) fn progress_bar(enabled: bool, file: &Path) -> Box<dyn Progress> {
    if enabled {
        Box::new(report::progress::Bar::counting(
            &format!("reading and checking {}", file.display()),
            "",
        ))
    } else {
        Box::new(simulate::Quiet)
    }
}

/// The stage of the capacity check, which `validate` and `capacity` both run.
pub(super) fn checking_capacity(progress: &dyn Progress, trials: u64) {
    progress.named(
        &format!(
            "checking commitments against capacity on {} sampled futures",
            report::format::thousands(trials as f64)
        ),
        "",
    );
}
