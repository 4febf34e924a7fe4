//! The HTML report's figures: each chart, and the caption under it that says how to read it.

use super::charts::{self, Chart, ChartError};
use super::format::thousands;
use super::html::ShownPlan;
use crate::analysis::frontier::Frontier;
use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::strategies::Tournament;
use crate::model::Model;
use crate::simulate::SimResult;

pub const ROADMAP: &str = "Each bar is the period a feature is planned to ship; the dot and whisker show when it ships in the simulated futures (median to P90). Diamonds mark customer deals.";

pub const NPV: &str = "How the plan's net present value spreads over the simulated futures, with its P10, median and P90.";

pub const VALUE_FAN: &str = "Cumulative discounted value month by month: the median, the middle half of futures and the 80% band.";

pub const CAPACITY: &str =
    "Work each team does per period (mean, with a P90 whisker) against its capacity.";

pub const ON_TIME: &str = "The chance each planned feature ships by its deadline (features with one) or in its planned period (the others), and each deal is won, least likely first.";

pub const STRATEGIES: &str = "Each prioritisation rule executed on the same futures as the plan: mean NPV with its P10-P90 range.";

pub const TORNADO: &str = "How far NPV moves when one input goes from its P10 to its P90 with every other input at its median.";

/// The title of the report's table of drivers.
pub const DRIVERS_TABLE: &str = "What moves the NPV";

/// The risk frontier, planned on `scenarios` sampled futures and valued on `trials` others.
pub fn frontier(scenarios: usize, trials: u64) -> String {
    format!("What protection against the worst futures costs: each point is the stochastic optimizer's plan for one level of risk aversion (planned on {} sampled futures), valued on the report's {} simulated futures, which it never saw. Moving right buys a better worst case; moving down is the expected value it costs. Points closer than two standard errors count as ties.", scenarios, thousands(trials as f64))
}

/// The analyses the report's figures draw, beside the plan's own simulation.
pub struct Analyses<'a> {
    pub tournament: &'a Tournament,
    pub sensitivity: &'a Sensitivity,
    pub frontier: Option<&'a Frontier>,
}

/// Every chart of the report with its caption, in the order the page shows them. `npv` is the
/// plan's NPV in each of the `sim`ulated futures.
pub fn figures(
    model: &Model,
    shown: &ShownPlan,
    (sim, npv): (&SimResult, &[f64]),
    analyses: &Analyses,
) -> Result<Vec<(Chart, String)>, ChartError> {
    let cur = model.currency.as_str();
    let mut out: Vec<(Chart, String)> = vec![
        (
            charts::roadmap::render(model, shown.features, shown.deals, shown.marks, sim)?,
            ROADMAP.into(),
        ),
        (
            charts::npv::render(
                &[charts::NpvSeries {
                    label: "plan",
                    npv,
                    summary: &sim.npv,
                }],
                cur,
            )?,
            NPV.into(),
        ),
        (
            charts::value_fan::render(
                &[charts::FanSeries {
                    label: "plan",
                    bands: &sim.value_by_month,
                }],
                cur,
                model.time.labels.first().map_or("", String::as_str),
            )?,
            VALUE_FAN.into(),
        ),
        (charts::capacity::render(sim)?, CAPACITY.into()),
        (charts::on_time::render(sim)?, ON_TIME.into()),
        (
            charts::strategies::render(analyses.tournament)?,
            STRATEGIES.into(),
        ),
    ];
    if let Some(f) = analyses.frontier {
        out.push((
            charts::frontier::from_frontier(f)?,
            frontier(f.scenarios.unwrap_or(0), f.trials),
        ));
    }
    out.push((
        charts::tornado::from_sensitivity(analyses.sensitivity, 10)?,
        TORNADO.into(),
    ));
    Ok(out)
}
