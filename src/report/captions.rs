//! How to read each chart of the HTML report: one or two sentences under its figure.

use super::format::thousands;

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
