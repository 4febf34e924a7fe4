//! The report's three analyses of its plan (strategy tournament, tornado, frontier), on the
//! report's futures.

use super::ReportCommand;
use crate::analysis::frontier::{self, Frontier, FrontierOptions, Sweep};
use crate::analysis::sensitivity::{self, Sensitivity, SensitivityOptions};
use crate::analysis::strategies::{self as tournament, Strategy, Tournament, TournamentOptions};
use crate::app::AppError;
use crate::model::{Model, Plan};
use crate::optimize::{Mode, OptimizeOptions};
use crate::simulate::{self, Progress};

/// Seconds each frontier point of a report searches when no time limit is given.
const REPORT_FRONTIER_POINT_SECONDS: f64 = 3.0;

/// The three analyses of the plan on the report's futures.
pub(super) struct Analyses {
    pub tournament: Tournament,
    pub sens: Sensitivity,
    pub frontier: Option<Frontier>,
}

impl Analyses {
    pub(super) fn run(
        model: &Model,
        plan: &Plan,
        opts: &ReportCommand,
        (trials, seed): (u64, u64),
        (mode, recommended): (Mode, bool),
        progress: &dyn Progress,
    ) -> Result<Self, AppError> {
        let quiet = simulate::Quiet;
        let mut sens_options = SensitivityOptions::new(trials, seed);
        sens_options.optimize.mode = mode;
        sens_options.top = opts.top;
        sens_options.threads = opts.threads;
        sens_options.optimize.time_limit_seconds = opts.time_limit_seconds;
        let frontier_options = frontier_options(opts, trials, seed);
        let tournament_options = TournamentOptions {
            strategies: Strategy::all(),
            trials,
            seed,
            threads: opts.threads,
            optimize: OptimizeOptions {
                time_limit_seconds: opts.time_limit_seconds,
                ..Default::default()
            },
            recommended: recommended.then(|| plan.clone()),
        };
        // The three analyses are independent and each is deterministic, so they run side by
        // side (the solves inside them are mostly single-threaded) without changing a number.
        let analyses = if frontier_options.is_some() {
            "strategy tournament, tornado and frontier"
        } else {
            "strategy tournament and tornado"
        };
        progress.named(&format!("analyses side by side: {analyses}"), "analyses");
        progress.begin(2 + u64::from(frontier_options.is_some()));
        fn done<T>(progress: &dyn Progress, x: T) -> T {
            progress.advance(1);
            x
        }
        let (tournament, (sens, frontier)) = rayon::join(
            || {
                done(
                    progress,
                    tournament::run(model, &tournament_options, &quiet),
                )
            },
            || {
                rayon::join(
                    || {
                        done(
                            progress,
                            sensitivity::run(model, plan, &sens_options, &quiet),
                        )
                    },
                    || {
                        frontier_options
                            .as_ref()
                            .map(|o| done(progress, frontier::run(model, o, &quiet)))
                            .transpose()
                    },
                )
            },
        );
        progress.named("drawing the charts and writing the report", "");
        Ok(Analyses {
            tournament: tournament.map_err(anyhow::Error::from)?,
            sens: sens.map_err(|e| anyhow::anyhow!("sensitivity: {e}"))?,
            frontier: frontier.map_err(|e| anyhow::anyhow!("frontier: {e}"))?,
        })
    }
}

/// The frontier's sweep of risk aversions from 0 to 1, or none below two points.
fn frontier_options(opts: &ReportCommand, trials: u64, seed: u64) -> Option<FrontierOptions> {
    (opts.frontier_points >= 2).then(|| {
        let n = opts.frontier_points;
        FrontierOptions {
            sweep: Sweep::RiskAversion {
                lambdas: (0..n).map(|i| i as f64 / (n - 1) as f64).collect(),
                scenarios: opts.frontier_scenarios,
                alpha: 0.9,
                overtime_premium: None,
            },
            optimize: OptimizeOptions {
                // The report's frontier is one chart among many: each point searches a few
                // seconds from the deterministic optimum unless told otherwise.
                time_limit_seconds: opts
                    .time_limit_seconds
                    .or(Some(REPORT_FRONTIER_POINT_SECONDS)),
                seed: seed.wrapping_add(1),
                ..Default::default()
            },
            trials,
            seed,
            threads: opts.threads,
        }
    })
}
