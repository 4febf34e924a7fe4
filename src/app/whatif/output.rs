//! Both sides simulated on the same futures, and the comparison written out: in the asked
//! format, and with `--out` into a folder with its overlay charts.

use super::WhatifCommand;
use crate::analysis::whatif::{self as compare, CompareOptions, Planning, Side};
use crate::app::output::{emit, write_charts};
use crate::app::{AppError, CommandOutput};
use crate::report;
use crate::scenario::overrides::Applied;
use crate::simulate;
use std::path::PathBuf;

/// Simulates both sides on the same futures and renders the comparison.
pub(super) fn compare(
    opts: &WhatifCommand,
    (base_side, variant_side): (Side<'_>, Side<'_>),
    applied: Vec<Applied>,
    (trials, seed, planning): (u64, u64, Planning),
    mut stderr: String,
    started: std::time::Instant,
    progress: &dyn simulate::Progress,
) -> Result<CommandOutput, AppError> {
    progress.named("simulating both sides on the same futures", "trials");
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
