//! `roadmap report`: one self-contained HTML report (plan, risk, drivers, charts) and its
//! files, from one plan and three analyses of it on the same futures.

use super::load::{check_futures, load, warnings, Futures};
use super::output::{create_dir, write_file};
use super::progress::progress_bar;
use super::solve::{recommend_error, solve};
use super::{AppError, CommandOutput};
use crate::analysis::frontier::{self, Frontier, FrontierOptions, Sweep};
use crate::analysis::recommend::{self, Confirmation, Recommendation};
use crate::analysis::sensitivity::{self, Sensitivity, SensitivityOptions};
use crate::analysis::strategies::{self as tournament, Strategy, Tournament, TournamentOptions};
use crate::model::{Model, Plan};
use crate::optimize::{self, Mode, OptimizeOptions, PlanDescription};
use crate::report::{self, figures, html};
use crate::simulate::{self, Progress};
use std::path::PathBuf;

pub struct ReportCommand {
    pub file: PathBuf,
    pub out: PathBuf,
    /// How the plan is optimized: None for the recommended plan.
    pub mode: Option<Mode>,
    /// The recommended plan's commit confidence (default: the scenario's).
    pub commit_confidence: Option<f64>,
    pub time_limit_seconds: Option<f64>,
    pub futures: Futures,
    pub threads: Option<usize>,
    /// Risk aversions on the frontier (0 skips it).
    pub frontier_points: usize,
    pub frontier_scenarios: usize,
    /// Inputs re-optimized in the tornado.
    pub top: usize,
    pub progress: bool,
}

/// Seconds each frontier point of a report searches when no time limit is given.
const REPORT_FRONTIER_POINT_SECONDS: f64 = 3.0;

/// The report's plan: the recommended one (searched and chosen by the simulator, confirmed on
/// the report's own futures), or one mode's MILP plan simulated on them.
// One value per run: the size of the larger variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Found {
    Recommended(Recommendation, Confirmation, PlanDescription),
    Optimized(optimize::Outcome),
}

pub fn report(opts: &ReportCommand) -> Result<CommandOutput, AppError> {
    // Checked before minutes of work, not after.
    if opts.out.exists() && !opts.out.is_dir() {
        return Err(AppError::Invalid(format!(
            "error: -o {}: a file of that name exists; the report is a folder of files\n  help: name a folder, e.g. -o out/report",
            opts.out.display()
        )));
    }
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let seed = opts.futures.seed(model);
    let trials = opts.futures.trials(model);
    if trials == 0 {
        return Err(AppError::Invalid(
            "error: --trials must be at least 1: the report is about simulated futures\n  help: e.g. --trials 10000".into(),
        ));
    }
    let started = std::time::Instant::now();
    let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
    if !(q > 0.0 && q < 1.0) {
        return Err(AppError::Invalid(format!(
            "error: --commit-confidence {q} must be strictly between 0 and 1 (0.8 = commitments that hold in 80% of futures)\n  help: see `roadmap report --help`"
        )));
    }
    // Nothing uncertain: the MILP's proven optimum is the recommended plan (one clock).
    let recommended = opts.mode.is_none() && !model.is_certain();
    let solver = OptimizeOptions {
        mode: opts.mode.unwrap_or(Mode::Deterministic),
        time_limit_seconds: opts.time_limit_seconds,
        seed: seed.wrapping_add(1),
        ..Default::default()
    };
    solver.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap report --help`"))
    })?;
    if let Mode::Stochastic { scenarios, .. } = &solver.mode {
        check_futures(model, "--scenarios", *scenarios as u64)?;
    }
    if opts.frontier_points >= 2 {
        check_futures(
            model,
            "--frontier-scenarios",
            opts.frontier_scenarios as u64,
        )?;
    }
    // The plan's NPVs, every strategy's and every frontier point's are kept side by side.
    crate::limits::kept_trials(
        opts.futures.trials_source(),
        trials,
        1 + Strategy::all().len() as u64 + opts.frontier_points as u64,
        "pairing the plan, the strategies and the frontier trial by trial",
    )?;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;

    let (found, sim, npv) = if recommended {
        let mut options = recommend::RecommendOptions::new(seed, q);
        options.optimize.time_limit_seconds = opts.time_limit_seconds;
        let recommendation = recommend::recommend(model, &options, progress)
            .map_err(|e| recommend_error(model, &solver, &opts.file, e))?;
        progress.stage(
            "confirming the recommended plan on the report's futures",
            "trials",
        );
        let confirmation =
            recommend::confirm(model, &recommendation, seed, trials, opts.threads, progress)
                .map_err(anyhow::Error::from)?;
        let description = optimize::describe(model, &recommendation.plan);
        let sim = confirmation.result.clone();
        let npv = confirmation.npv.clone();
        (
            Found::Recommended(recommendation, confirmation, description),
            sim,
            npv,
        )
    } else {
        progress.stage(
            &report::progress::solving("optimizing the plan", &solver),
            "",
        );
        let o = solve(model, &solver, &opts.file)?;
        progress.stage("simulating the plan", "trials");
        let sim_options = simulate::SimOptions {
            trials,
            seed,
            threads: opts.threads,
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
        (Found::Optimized(o), sim, npv)
    };
    let plan = match &found {
        Found::Recommended(rec, ..) => &rec.plan,
        Found::Optimized(o) => &o.plan,
    };
    let at_risk = recommend::at_risk(model, Some(plan), &sim, q);
    let shown = match &found {
        Found::Recommended(rec, confirmation, description) => {
            html::ShownPlan::recommended(rec, description, confirmation, &at_risk, q, seed)
        }
        Found::Optimized(o) => html::ShownPlan::optimized(o, &at_risk, q),
    };

    let analyses = Analyses::run(
        model,
        plan,
        opts,
        (trials, seed),
        (solver.mode, recommended),
        progress,
    )?;
    let Analyses {
        tournament, sens, ..
    } = &analyses;

    // The headline figures.
    let driver = sens.biggest_driver().map(html::Driver::from_entry);
    let capacity_cut = sens
        .capacity_drop
        .as_ref()
        .map(html::CapacityCut::from_drop);
    let plan_strategy = if recommended {
        Strategy::Recommended
    } else {
        Strategy::Optimal
    };
    let versus_rules = html::versus_best_rule(tournament, plan_strategy);
    let summary = html::summarise(model, &shown, &sim, driver, capacity_cut, versus_rules);

    let charts = figures::figures(
        model,
        &shown,
        (&sim, &npv),
        &figures::Analyses {
            tournament,
            sensitivity: sens,
            frontier: analyses.frontier.as_ref(),
        },
    )
    .map_err(|e| AppError::Other(anyhow::anyhow!(e)))?;

    // The files.
    let plan_csv = match &found {
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
    };
    let figures: Vec<html::Figure> = charts
        .iter()
        .map(|(c, caption)| html::Figure {
            stem: c.stem.to_string(),
            title: c.title.clone(),
            caption: caption.clone(),
            svg: c.svg.clone(),
        })
        .collect();
    let scenario_file = opts.file.display().to_string();
    let tables = vec![(
        figures::DRIVERS_TABLE.to_string(),
        html::sensitivity_tables(sens, 10),
    )];
    let html = html::page(&html::ReportPage {
        model,
        scenario_file: &scenario_file,
        shown: &shown,
        sim: &sim,
        tournament: Some(tournament),
        summary: &summary,
        figures: &figures,
        tables: &tables,
    });
    create_dir(&opts.out)?;
    let write = |name: &str, bytes: &[u8]| write_file(&opts.out.join(name), bytes);
    for (c, _) in &charts {
        write(&format!("{}.svg", c.stem), c.svg.as_bytes())?;
        write(&format!("{}.png", c.stem), &c.png)?;
    }
    write("plan.csv", plan_csv.as_bytes())?;
    write("summary.json", html::summary_json(&summary).as_bytes())?;
    // The page last: its presence means the folder is complete.
    write("report.html", html.as_bytes())?;

    let mut stderr = warnings(&loaded.warnings);
    stderr.push_str(&format!(
        "planned, simulated {} futures, ran {} strategies, sensitivity and the frontier in {:.1} s\n",
        report::format::thousands(trials as f64),
        tournament.results.len(),
        started.elapsed().as_secs_f64()
    ));
    let stdout = format!(
        "{}\n\nwrote report.html, summary.json, plan.csv and {} charts (SVG and PNG) into {}\nopen {}\n",
        summary.paragraph,
        charts.len(),
        opts.out.display(),
        opts.out.join("report.html").display()
    );
    Ok(CommandOutput { stdout, stderr })
}

/// The three analyses of the plan on the report's futures.
struct Analyses {
    tournament: Tournament,
    sens: Sensitivity,
    frontier: Option<Frontier>,
}

impl Analyses {
    fn run(
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
        let frontier_options = (opts.frontier_points >= 2).then(|| {
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
        });
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
        progress.stage(&format!("analyses side by side: {analyses}"), "analyses");
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
        progress.stage("drawing the charts and writing the report", "");
        Ok(Analyses {
            tournament: tournament.map_err(anyhow::Error::from)?,
            sens: sens.map_err(|e| anyhow::anyhow!("sensitivity: {e}"))?,
            frontier: frontier.map_err(|e| anyhow::anyhow!("frontier: {e}"))?,
        })
    }
}
