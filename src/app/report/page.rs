//! The report's page and files: the headline figures, the charts, and the folder they are
//! written into.

use super::analyses::Analyses;
use super::plan::Planned;
use crate::analysis::strategies::Strategy;
use crate::app::output::{create_dir, write_file};
use crate::app::AppError;
use crate::model::Model;
use crate::report::charts::Chart;
use crate::report::{figures, html};
use std::path::Path;

/// What the report wrote: its summary paragraph, and how many charts.
pub(super) struct Written {
    pub paragraph: String,
    pub charts: usize,
}

/// Draws the charts, composes the page and writes the report's files into `out`, the page
/// last. `plan_strategy` is the plan's own entry in the strategy tournament.
pub(super) fn write(
    model: &Model,
    (file, out): (&Path, &Path),
    planned: &Planned,
    shown: &html::ShownPlan,
    analyses: &Analyses,
    plan_strategy: Strategy,
) -> Result<Written, AppError> {
    let Analyses {
        tournament,
        sens,
        frontier,
    } = analyses;

    // The headline figures.
    let driver = sens.biggest_driver().map(html::Driver::from_entry);
    let capacity_cut = sens
        .capacity_drop
        .as_ref()
        .map(html::CapacityCut::from_drop);
    let versus_rules = html::versus_best_rule(tournament, plan_strategy);
    let summary = html::summarise(
        model,
        shown,
        &planned.sim,
        driver,
        capacity_cut,
        versus_rules,
    );

    let charts = figures::figures(
        model,
        shown,
        (&planned.sim, &planned.npv),
        &figures::Analyses {
            tournament,
            sensitivity: sens,
            frontier: frontier.as_ref(),
        },
    )
    .map_err(|e| AppError::Other(anyhow::anyhow!(e)))?;
    let page = page(model, file, shown, planned, analyses, &summary, &charts);

    // The files.
    let plan_csv = planned.csv(model);
    create_dir(out)?;
    let write = |name: &str, bytes: &[u8]| write_file(&out.join(name), bytes);
    for (c, _) in &charts {
        write(&format!("{}.svg", c.stem), c.svg.as_bytes())?;
        write(&format!("{}.png", c.stem), &c.png)?;
    }
    write("plan.csv", plan_csv.as_bytes())?;
    write("summary.json", html::summary_json(&summary).as_bytes())?;
    // The page last: its presence means the folder is complete.
    write("report.html", page.as_bytes())?;
    Ok(Written {
        paragraph: summary.paragraph,
        charts: charts.len(),
    })
}

/// The HTML page: the summary, every chart with its caption, and the drivers' table.
fn page(
    model: &Model,
    file: &Path,
    shown: &html::ShownPlan,
    planned: &Planned,
    analyses: &Analyses,
    summary: &html::Summary,
    charts: &[(Chart, String)],
) -> String {
    let figures: Vec<html::Figure> = charts
        .iter()
        .map(|(c, caption)| html::Figure {
            stem: c.stem.to_string(),
            title: c.title.clone(),
            caption: caption.clone(),
            svg: c.svg.clone(),
        })
        .collect();
    let scenario_file = file.display().to_string();
    let tables = vec![(
        figures::DRIVERS_TABLE.to_string(),
        html::sensitivity_tables(&analyses.sens, 10),
    )];
    html::page(&html::ReportPage {
        model,
        scenario_file: &scenario_file,
        shown,
        sim: &planned.sim,
        tournament: Some(&analyses.tournament),
        summary,
        figures: &figures,
        tables: &tables,
    })
}
