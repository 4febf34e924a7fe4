//! The report's plan: the recommended one (searched and chosen by the simulator, confirmed on
//! the report's own futures), or one mode's MILP plan simulated on them.

use crate::analysis::recommend::{self, Confirmation, Held, Recommendation};
use crate::app::solve::{recommend_error, solve};
use crate::app::AppError;
use crate::model::{Model, Plan};
use crate::optimize::{self, OptimizeOptions, PlanDescription};
use crate::report::{self, html};
use crate::simulate::{self, Progress, SimResult};
use std::path::Path;

// One value per run: the size of the larger variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub(super) enum Found {
    Recommended(Recommendation, Confirmation, PlanDescription),
    Optimized(optimize::Outcome),
}

/// The plan found, its simulation on the report's futures and its NPV in each of them.
pub(super) struct Planned {
    pub found: Found,
    pub sim: SimResult,
    pub npv: Vec<f64>,
}

/// What finding the plan starts from.
pub(super) struct Search<'a> {
    pub file: &'a Path,
    /// The MILP's options (the recommended plan's search keeps only its time limit).
    pub solver: &'a OptimizeOptions,
    pub commit_confidence: f64,
    pub trials: u64,
    pub seed: u64,
    pub threads: Option<usize>,
}

impl Planned {
    /// The recommended plan, confirmed on the report's futures.
    pub(super) fn recommended(
        model: &Model,
        search: &Search,
        progress: &dyn Progress,
    ) -> Result<Self, AppError> {
        let (seed, trials) = (search.seed, search.trials);
        let mut options = recommend::RecommendOptions::new(seed, search.commit_confidence);
        options.optimize.time_limit_seconds = search.solver.time_limit_seconds;
        let recommendation = recommend::recommend(model, &options, progress)
            .map_err(|e| recommend_error(model, search.solver, search.file, e))?;
        progress.named(
            "confirming the recommended plan on the report's futures",
            "trials",
        );
        let confirmation = recommend::confirm(
            model,
            &recommendation,
            seed,
            trials,
            search.threads,
            progress,
        )
        .map_err(anyhow::Error::from)?;
        let description = optimize::describe(model, &recommendation.plan);
        let sim = confirmation.result.clone();
        let npv = confirmation.npv.clone();
        Ok(Planned {
            found: Found::Recommended(recommendation, confirmation, description),
            sim,
            npv,
        })
    }

    /// The MILP's plan in the solver's mode, simulated on the report's futures.
    pub(super) fn optimized(
        model: &Model,
        search: &Search,
        progress: &dyn Progress,
    ) -> Result<Self, AppError> {
        let (seed, trials) = (search.seed, search.trials);
        progress.named(
            &report::progress::solving("optimizing the plan", search.solver),
            "",
        );
        let o = solve(model, search.solver, search.file)?;
        progress.named("simulating the plan", "trials");
        let sim_options = simulate::SimOptions {
            trials,
            seed,
            threads: search.threads,
            method: crate::sample::Method::MonteCarlo,
        };
        let engine = simulate::Engine::new(
            model,
            &simulate::Schedule::Plan(o.plan.clone()),
            seed,
            sim_options.method,
            trials,
        );
        let (sim, npv) = simulate::paired::run_keeping_npv(model, &engine, &sim_options, progress)
            .map_err(anyhow::Error::from)?;
        Ok(Planned {
            found: Found::Optimized(o),
            sim,
            npv,
        })
    }

    pub(super) fn plan(&self) -> &Plan {
        match &self.found {
            Found::Recommended(rec, ..) => &rec.plan,
            Found::Optimized(o) => &o.plan,
        }
    }

    /// The plan as the page shows it, with the commitments at risk at confidence `q`.
    pub(super) fn shown<'a>(
        &'a self,
        at_risk: &'a [Held],
        q: f64,
        seed: u64,
    ) -> html::ShownPlan<'a> {
        match &self.found {
            Found::Recommended(rec, confirmation, description) => {
                html::ShownPlan::recommended(rec, description, confirmation, at_risk, q, seed)
            }
            Found::Optimized(o) => html::ShownPlan::optimized(o, at_risk, q),
        }
    }

    /// The plan's CSV, as `recommend` or `optimize` writes it.
    pub(super) fn csv(&self, model: &Model) -> String {
        match &self.found {
            Found::Recommended(recommendation, confirmation, description) => {
                report::recommend::csv(&report::recommend::RecommendReport {
                    model,
                    recommendation,
                    description,
                    confirmation,
                })
            }
            Found::Optimized(o) => report::optimize::csv(&report::optimize::OptimizeReport {
                model,
                outcome: o,
                out_of_sample: None,
            }),
        }
    }
}
