//! Orchestration of each command: scenario -> model -> analysis -> report.
//! Commands return their text; only `main` prints.

use crate::analysis::capacity::{self, CapacityCheck};
use crate::report;
use crate::scenario::{self, nrp, Finding, Loaded, ScenarioError};
use crate::simulate;
use crate::strategy;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub struct ValidateOptions {
    pub file: PathBuf,
    pub format: Format,
    pub all_warnings: bool,
}

pub struct CapacityOptions {
    pub file: PathBuf,
    pub format: Format,
    pub trials: Option<u64>,
    pub seed: Option<u64>,
    pub out: Option<PathBuf>,
}

pub struct ImportNrpOptions {
    pub file: PathBuf,
    pub budget_ratio: String,
    pub rounding: nrp::Rounding,
    pub output: Option<PathBuf>,
}

pub struct SimulateOptions {
    pub file: PathBuf,
    /// A plan file (CSV or JSON), or else an order: a rule name or an order file.
    pub plan: Option<PathBuf>,
    pub order: Option<String>,
    pub trials: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub latin_hypercube: bool,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub raw: Option<PathBuf>,
    /// Show a progress bar on a terminal for long runs.
    pub progress: bool,
}

pub struct OptimizeOptions {
    pub file: PathBuf,
    /// The recommended plan (analysis::recommend) instead of one mode's MILP plan.
    pub recommended: bool,
    /// Overrides the scenario's [plan] commit_confidence.
    pub commit_confidence: Option<f64>,
    pub optimize: crate::optimize::OptimizeOptions,
    /// Trials of the out-of-sample re-simulation (0 skips it).
    pub trials: Option<u64>,
    /// The re-simulation's seed; the optimizer samples on seed + 1, so the check is out of sample.
    pub seed: Option<u64>,
    pub format: Format,
    /// Write the plan here: JSON when the name ends in .json, else CSV.
    pub plan_output: Option<PathBuf>,
    pub export_lp: Option<PathBuf>,
    pub progress: bool,
}

pub struct StrategiesOptions {
    /// One scenario, or else `generate` portfolios.
    pub file: Option<PathBuf>,
    pub generate: Option<GenerateMany>,
    /// Comma-separated names; empty runs every strategy.
    pub strategies: Option<String>,
    pub trials: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub time_limit_seconds: Option<f64>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

pub struct FrontierOptions {
    pub file: PathBuf,
    /// Sweep the budget instead of the risk aversion.
    pub budget_sweep: bool,
    pub points: usize,
    /// Comma-separated risk aversions or budgets, instead of evenly spaced ones.
    pub lambdas: Option<String>,
    pub budgets: Option<String>,
    pub scenarios: usize,
    pub cvar_alpha: f64,
    pub overtime_premium: Option<f64>,
    /// How the budget sweep optimizes.
    pub mode: crate::optimize::Mode,
    pub time_limit_seconds: Option<f64>,
    pub gap: f64,
    pub trials: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

/// `strategies --generate N`: portfolio sizes and shape.
pub struct GenerateMany {
    pub portfolios: usize,
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
}

pub struct GenerateOptions {
    pub spec: crate::scenario::generate::GenerateSpec,
    pub output: Option<PathBuf>,
}

pub struct InitOptions {
    pub path: PathBuf,
    pub force: bool,
}

/// What a command has to say: the result on stdout, diagnostics on stderr.
#[derive(Debug, Default)]
pub struct Outcome {
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
            report::format::thousands(e.max as f64)
        ))
    }
}

/// How the trial count was given, for the message when it is too large.
fn trials_source(flag: Option<u64>) -> &'static str {
    if flag.is_some() {
        "--trials"
    } else {
        "[simulation] trials"
    }
}

/// The stochastic model's size per sampled future, checked before it is built.
fn check_futures(model: &crate::model::Model, what: &str, futures: u64) -> Result<(), AppError> {
    crate::limits::model_futures(what, futures, crate::limits::nonzeros_per_future(model))?;
    Ok(())
}

const MAX_WARNINGS: usize = 12;
const VALIDATE_TRIALS: u64 = 2_000;

/// A command's progress: stages and bars on standard error when it is a terminal and the
/// command asks for them, nothing otherwise. The first stage reads and checks the scenario,
/// which takes seconds for backlogs of hundreds of thousands of rows.
fn progress_bar(enabled: bool, file: &Path) -> Box<dyn simulate::Progress> {
    if enabled {
        Box::new(report::progress::Bar::counting(
            &format!("reading and checking {}", file.display()),
            "",
        ))
    } else {
        Box::new(simulate::Quiet)
    }
}

fn load(file: &Path, all_warnings: bool) -> Result<Loaded, AppError> {
    scenario::load(file).map_err(|e| match e {
        ScenarioError::Invalid { findings, .. } => AppError::Invalid(report::findings::render(&findings, if all_warnings { usize::MAX } else { MAX_WARNINGS }).trim_end().to_string()),
        io @ ScenarioError::Io { .. } => AppError::Invalid(format!("error: {io}\n  help: check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml")),
    })
}

/// Capacity problems that no plan can overcome, as findings at the line to change.
fn capacity_findings(loaded: &Loaded, check: &CapacityCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &check.shortfalls {
        let field = format!("teams[{}].capacity", s.team);
        let loc = loaded.location(&field);
        let sentence = report::capacity::shortfall_sentence(s);
        out.push(if s.mandatory_only {
            Finding::error(loc, field, sentence)
                .help("add capacity, make some of these features optional, or move their deadlines")
        } else {
            Finding::warning(loc, field, sentence).help(
                "not every deadline can be met on average; see `roadmap capacity` for the periods",
            )
        });
    }
    for t in &check.themes {
        let loc = loaded.location(&format!("themes[{}]", t.theme));
        if t.min_unreachable() {
            out.push(
                Finding::error(loc.clone(), format!("themes[{}].min_share", t.theme), format!("the theme needs at least {} of the planned work, but all its features together take {} person-weeks expected and the mandatory work outside it {}: at most {} is possible", report::format::percent(t.min_share), report::format::weeks(t.available_mean), report::format::weeks(t.other_mandatory_mean), report::format::percent(t.best_share())))
                    .help("lower min_share, give the theme more features, or make fewer features outside it mandatory"),
            );
        }
        if t.max_exceeded() {
            out.push(
                Finding::error(loc, format!("themes[{}].max_share", t.theme), format!("mandatory features of the theme take {} person-weeks expected: even with every other feature planned the theme is {} of the work, above its maximum of {}", report::format::weeks(t.mandatory_mean), report::format::percent(t.least_share()), report::format::percent(t.max_share)))
                    .help("raise max_share, or make some of its features optional"),
            );
        }
    }
    if let Some(b) = &check.budget {
        if crate::model::exceeds(b.mandatory_cost_mean, b.budget) {
            out.push(
                Finding::error(
                    loaded.location("plan.budget"),
                    "plan.budget",
                    format!(
                        "mandatory features cost {} expected, over the budget of {}",
                        report::format::money(b.mandatory_cost_mean, &loaded.model.currency),
                        report::format::money(b.budget, &loaded.model.currency)
                    ),
                )
                .help("raise the budget or make some features optional"),
            );
        }
    }
    out
}

/// `validate --format json`: the verdict first, then the details, in this order.
#[derive(serde::Serialize)]
struct ValidJson<'a> {
    valid: bool,
    files: &'a [String],
    name: &'a str,
    periods: &'a [String],
    teams: usize,
    features: usize,
    deals: usize,
    uncertain_inputs: usize,
    warnings: &'a [Finding],
    capacity: &'a CapacityCheck,
}

/// `validate --format json` on an invalid scenario: the verdict and every finding on stdout.
#[derive(serde::Serialize)]
struct InvalidJson<'a> {
    valid: bool,
    files: Vec<String>,
    errors: Vec<&'a Finding>,
    warnings: Vec<&'a Finding>,
}

fn invalid_json(file: &Path, findings: &[Finding], message: String) -> AppError {
    let json = InvalidJson {
        valid: false,
        files: vec![file.display().to_string()],
        errors: findings.iter().filter(|f| f.is_error()).collect(),
        warnings: findings.iter().filter(|f| !f.is_error()).collect(),
    };
    match serde_json::to_string_pretty(&json) {
        Ok(text) => AppError::InvalidWithOutput {
            message,
            stdout: text + "\n",
        },
        Err(_) => AppError::Invalid(message),
    }
}

pub fn validate(opts: &ValidateOptions) -> Result<Outcome, AppError> {
    // Silent unless standard error is a terminal.
    let bar = progress_bar(true, &opts.file);
    let loaded = match (scenario::load(&opts.file), opts.format) {
        (Err(ScenarioError::Invalid { findings, .. }), Format::Json) => {
            let message = report::findings::render(&findings, usize::MAX)
                .trim_end()
                .to_string();
            return Err(invalid_json(&opts.file, &findings, message));
        }
        (Err(io @ ScenarioError::Io { .. }), Format::Json) => {
            let finding = Finding::error(
                crate::scenario::Location {
                    file: opts.file.display().to_string(),
                    line: 0,
                    column: 0,
                },
                "",
                io.to_string(),
            )
            .help("check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml");
            let message = format!(
                "error: {io}\n  help: check the path; scenario files are TOML, e.g. scenarios/saas-annual-plan.toml"
            );
            return Err(invalid_json(&opts.file, &[finding], message));
        }
        _ => load(&opts.file, opts.all_warnings)?,
    };
    let model = &loaded.model;
    // Validation needs the capacity check's verdict, not its tightest percentiles: at most
    // 2,000 trials (scenarios/README.md), so a large backlog validates in a blink.
    let trials = model.simulation.trials.min(VALIDATE_TRIALS);
    bar.stage(
        &format!(
            "checking commitments against capacity on {} sampled futures",
            report::format::thousands(trials as f64)
        ),
        "",
    );
    let check = capacity::check(model, trials, model.simulation.seed);
    let mut findings = capacity_findings(&loaded, &check);
    findings.extend(loaded.warnings.iter().cloned());
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let rendered = report::findings::render(
        &findings,
        if opts.all_warnings {
            usize::MAX
        } else {
            MAX_WARNINGS
        },
    );
    if errors > 0 {
        let message = format!(
            "{}\nwith expected efforts no plan can hold these commitments (checked before any solver runs)",
            rendered.trim_end()
        );
        return Err(match opts.format {
            Format::Json => invalid_json(&opts.file, &findings, message),
            _ => AppError::Invalid(message),
        });
    }
    let files: Vec<String> = loaded
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let stdout = match opts.format {
        Format::Json => serde_json::to_string_pretty(&ValidJson {
            valid: true,
            files: &files,
            name: &model.name,
            periods: &model.time.labels,
            teams: model.teams.len(),
            features: model.features.len(),
            deals: model.deals.len(),
            uncertain_inputs: model.uncertain_input_count(),
            warnings: &findings,
            capacity: &check,
        })
        .context("encoding JSON")?,
        _ => format!(
            "ok: {} is valid\n\n{}",
            files[0],
            report::summary::render(model, &files, &check)
        ),
    };
    Ok(Outcome {
        stdout,
        stderr: rendered,
    })
}

pub fn capacity(opts: &CapacityOptions) -> Result<Outcome, AppError> {
    // Silent unless standard error is a terminal.
    let bar = progress_bar(true, &opts.file);
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let trials = opts.trials.unwrap_or(model.simulation.trials);
    crate::limits::kept_trials(
        trials_source(opts.trials),
        trials,
        2 * (model.teams.len() * model.time.periods) as u64,
        "the capacity check (for its P80s)",
    )?;
    bar.stage(
        &format!(
            "checking commitments against capacity on {} sampled futures",
            report::format::thousands(trials as f64)
        ),
        "",
    );
    let check = capacity::check(model, trials, opts.seed.unwrap_or(model.simulation.seed));
    let body = match opts.format {
        Format::Text => report::capacity::text(&check, &model.currency),
        Format::Json => report::capacity::json(&check),
        Format::Csv => report::capacity::csv(&check),
    };
    let mut outcome = Outcome {
        stderr: report::findings::render(&loaded.warnings, MAX_WARNINGS),
        ..Outcome::default()
    };
    match &opts.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let text_path = dir.join("capacity.txt");
            report::write::write_atomic(
                &text_path,
                report::capacity::text(&check, &model.currency).as_bytes(),
            )
            .map_err(anyhow::Error::from)?;
            report::write::write_atomic(
                &dir.join("capacity.csv"),
                report::capacity::csv(&check).as_bytes(),
            )
            .map_err(anyhow::Error::from)?;
            report::write::write_atomic(
                &dir.join("capacity.json"),
                report::capacity::json(&check).as_bytes(),
            )
            .map_err(anyhow::Error::from)?;
            outcome.stdout = format!(
                "{body}\nwrote {0}/capacity.txt, {0}/capacity.csv, {0}/capacity.json\n",
                dir.display()
            );
        }
        None => outcome.stdout = body,
    }
    Ok(outcome)
}

pub fn import_nrp(opts: &ImportNrpOptions) -> Result<Outcome, AppError> {
    let display = opts.file.display().to_string();
    let text = std::fs::read_to_string(&opts.file).map_err(|e| AppError::Invalid(format!("error: cannot read {display}: {e}\n  help: the standard NRP instances are in benches/data/nrp/classic-nrp and realistic-nrp")))?;
    let ratio = nrp::Ratio::parse(&opts.budget_ratio).map_err(|e| {
        AppError::Invalid(format!(
            "error: --budget-ratio: {e}\n  help: the usual ratios are 0.3, 0.5 and 0.7"
        ))
    })?;
    let instance = nrp::parse(&display, &text).map_err(|f| AppError::Invalid(f.to_string()))?;
    let budget = ratio.apply(instance.total_cost(), opts.rounding);
    let name = opts
        .file
        .file_stem()
        .map_or("nrp".into(), |s| s.to_string_lossy().to_string());
    let scenario_text = nrp::to_scenario(
        &name,
        &instance,
        opts.budget_ratio.trim(),
        opts.rounding,
        budget,
    );
    // The written scenario must itself validate; a failure here is a bug in the importer.
    let check_path = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}.toml")));
    scenario::load_text(&check_path, scenario_text.clone(), &|p| std::fs::read(p))
        .map_err(|e| anyhow::anyhow!("the imported scenario does not validate: {e:?}"))?;
    let summary = format!(
        "{name}: {} requirements, {} customers, {} dependency pairs; total cost {}, budget {} ({}({} x {}))",
        instance.costs.len(),
        instance.customers.len(),
        instance.dependencies.len(),
        instance.total_cost(),
        budget,
        match opts.rounding {
            nrp::Rounding::Floor => "floor",
            nrp::Rounding::Nearest => "nearest",
        },
        opts.budget_ratio.trim(),
        instance.total_cost()
    );
    match &opts.output {
        Some(out) => {
            report::write::write_atomic(out, scenario_text.as_bytes())
                .map_err(anyhow::Error::from)?;
            Ok(Outcome {
                stdout: format!("wrote {}\n{summary}\n", out.display()),
                stderr: String::new(),
            })
        }
        None => Ok(Outcome {
            stdout: scenario_text,
            stderr: format!("{summary}\n"),
        }),
    }
}

pub fn init(opts: &InitOptions) -> Result<Outcome, AppError> {
    if opts.path.exists() && !opts.force {
        return Err(AppError::Invalid(format!("error: {} already exists\n  help: choose another path, or pass --force to overwrite it", opts.path.display())));
    }
    report::write::write_atomic(&opts.path, scenario::starter::STARTER.as_bytes())
        .map_err(anyhow::Error::from)?;
    Ok(Outcome {
        stdout: format!(
            "wrote {0}\nnext: roadmap validate {0}\n      roadmap capacity {0}\n",
            opts.path.display()
        ),
        stderr: String::new(),
    })
}

fn findings_error(findings: &[Finding]) -> AppError {
    AppError::Invalid(
        report::findings::render(findings, usize::MAX)
            .trim_end()
            .to_string(),
    )
}

/// The schedule to run: a plan file, an order file, or a built-in rule (the default).
fn schedule(
    model: &crate::model::Model,
    opts: &SimulateOptions,
    warnings: &mut Vec<Finding>,
) -> Result<(simulate::Schedule, simulate::ScheduleInfo), AppError> {
    use crate::scenario::plan_file;
    use crate::simulate::{ScheduleInfo, ScheduleKind};
    if let Some(path) = &opts.plan {
        let read = plan_file::read_plan(path, model).map_err(|f| findings_error(&f))?;
        warnings.extend(read.warnings);
        let features = read.plan.planned().count();
        return Ok((
            simulate::Schedule::Plan(read.plan),
            ScheduleInfo {
                kind: ScheduleKind::Plan,
                source: path.display().to_string(),
                features,
                changes: Vec::new(),
            },
        ));
    }
    let name = opts.order.as_deref().unwrap_or("value-per-effort");
    let mut derived = Vec::new();
    let (order, source) = match strategy::Rule::parse(name) {
        Some(rule) => {
            let seed = opts.seed.unwrap_or(model.simulation.seed);
            let ranking = rule.rank(model, seed);
            derived = ranking
                .derived
                .iter()
                .map(|d| format!("{} derived for {d}", rule.name()))
                .collect();
            (ranking.order, rule.name().to_string())
        }
        None => {
            let path = Path::new(name);
            if !path.exists() {
                let rules: Vec<&str> = strategy::Rule::ALL.iter().map(|r| r.name()).collect();
                return Err(AppError::Invalid(format!(
                    "error: --order {name}: no such file, and not a rule\n  help: give an order file (one feature id per line) or a rule: {}",
                    rules.join(", ")
                )));
            }
            let read = plan_file::read_order(path, model).map_err(|f| findings_error(&f))?;
            warnings.extend(read.warnings);
            (read.order, path.display().to_string())
        }
    };
    let (order, changes) = order.normalised(model);
    let mut changes_said = derived;
    changes_said.extend(report::simulate::describe_changes(model, &changes));
    let changes = changes_said;
    let features = order.features.len();
    Ok((
        simulate::Schedule::Order(order),
        ScheduleInfo {
            kind: ScheduleKind::Order,
            source,
            features,
            changes,
        },
    ))
}

pub fn simulate(opts: &SimulateOptions) -> Result<Outcome, AppError> {
    use crate::sample::Method;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let mut warnings = loaded.warnings.clone();
    let (schedule, info) = schedule(model, opts, &mut warnings)?;
    let trials = opts.trials.unwrap_or(model.simulation.trials);
    crate::limits::streamed_trials(trials_source(opts.trials), trials)?;
    let seed = opts.seed.unwrap_or(model.simulation.seed);
    let method = if opts.latin_hypercube {
        Method::LatinHypercube
    } else {
        Method::MonteCarlo
    };
    let started = std::time::Instant::now();
    progress.stage(
        &format!(
            "preparing {} features for simulation",
            report::format::thousands(info.features as f64)
        ),
        "",
    );
    let engine = simulate::Engine::new(model, &schedule, seed, method, trials);
    let options = simulate::SimOptions {
        trials,
        seed,
        threads: opts.threads,
        method,
    };
    progress.stage("simulating", "trials");

    let result = match &opts.raw {
        Some(path) => {
            let mut file = report::write::AtomicFile::create(path).map_err(anyhow::Error::from)?;
            let ids: Vec<&str> = engine
                .active
                .iter()
                .map(|&f| model.features[f as usize].id.as_str())
                .collect();
            file.write(report::raw::header(&ids).as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            let mut text = String::new();
            let labels = &model.time.labels;
            let mut sink = |chunk: &simulate::RawChunk| {
                text.clear();
                report::raw::rows(chunk, labels, &mut text);
                file.write(text.as_bytes())
            };
            let result = simulate::run(model, &engine, &options, progress, Some(&mut sink))
                .with_context(|| format!("writing {}", path.display()))?;
            file.commit().map_err(anyhow::Error::from)?;
            result
        }
        None => {
            simulate::run(model, &engine, &options, progress, None).map_err(anyhow::Error::from)?
        }
    };
    let elapsed = started.elapsed().as_secs_f64();

    let plan = match &schedule {
        simulate::Schedule::Plan(plan) => Some(plan),
        simulate::Schedule::Order(_) => None,
    };
    let at_risk =
        crate::analysis::recommend::at_risk(model, plan, &result, model.commit_confidence)
            .iter()
            .map(|h| {
                format!(
                    "{} (below the commit confidence, {})",
                    report::recommend::at_risk_sentence(model, h),
                    report::format::percent(model.commit_confidence)
                )
            })
            .collect();
    let report = report::simulate::SimulateReport {
        scenario: &model.name,
        schedule: &info,
        at_risk,
        result: &result,
    };
    let render = |format: Format| match format {
        Format::Text => report::simulate::text(&report),
        Format::Json => report::simulate::json(&report),
        Format::Csv => report::simulate::csv(&report),
    };
    let body = render(opts.format);
    let mut stderr = report::findings::render(&warnings, MAX_WARNINGS);
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    stderr.push_str(&format!(
        "simulated {} trials of {} features in {:.2} s on {} thread{}\n",
        report::format::thousands(trials as f64),
        report::format::thousands(engine.active.len() as f64),
        elapsed,
        threads,
        if threads == 1 { "" } else { "s" }
    ));
    let mut stdout = body;
    if let Some(dir) = &opts.out {
        // What stdout holds so far is one of them: a large portfolio's output is rendered once.
        let mut files: Vec<(&str, String)> = [
            ("simulate.txt", Format::Text),
            ("simulate.json", Format::Json),
            ("simulate.csv", Format::Csv),
        ]
        .into_iter()
        .map(|(name, format)| {
            let text = if format == opts.format {
                stdout.clone()
            } else {
                render(format)
            };
            (name, text)
        })
        .collect();
        files.extend(report::simulate::tables(&report));
        stdout.push_str(&write_into(dir, &files)?);
    }
    if let Some(path) = &opts.raw {
        stderr.push_str(&format!("wrote raw trials to {}\n", path.display()));
    }
    Ok(Outcome { stdout, stderr })
}

pub fn optimize(opts: &OptimizeOptions) -> Result<Outcome, AppError> {
    use crate::optimize;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let seed = opts.seed.unwrap_or(model.simulation.seed);
    let mut options = opts.optimize.clone();
    options.seed = seed.wrapping_add(1);
    options.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap optimize --help`"))
    })?;
    if let optimize::Mode::Stochastic { scenarios, .. } = &options.mode {
        check_futures(model, "--scenarios", *scenarios as u64)?;
    }
    crate::limits::streamed_trials(
        trials_source(opts.trials),
        opts.trials.unwrap_or(model.simulation.trials),
    )?;
    let mut stderr = report::findings::render(&loaded.warnings, MAX_WARNINGS);
    if let Some(path) = &opts.export_lp {
        let text = optimize::lp_text(model, &options);
        report::write::write_atomic(path, text.as_bytes()).map_err(anyhow::Error::from)?;
        stderr.push_str(&format!(
            "wrote the model in LP format to {}\n",
            path.display()
        ));
    }
    // With nothing uncertain the optimizer's objective is the simulated NPV of every plan (one
    // clock), so the proven optimum is the recommended plan and its proof is worth showing.
    if opts.recommended && !model.is_certain() {
        return optimize_recommended(opts, &loaded, seed, stderr, progress);
    }
    if opts.recommended {
        stderr.push_str("nothing in the scenario is uncertain: the recommended plan is the proven optimum of the deterministic model\n");
    }
    progress.stage(
        &report::progress::solving("optimizing the plan", &options),
        "",
    );
    let outcome = solve(model, &options, &opts.file)?;
    let trials = opts.trials.unwrap_or(model.simulation.trials);
    let out_of_sample = if trials > 0 {
        let schedule = simulate::Schedule::Plan(outcome.plan.clone());
        let method = crate::sample::Method::MonteCarlo;
        let engine = simulate::Engine::new(model, &schedule, seed, method, trials);
        let sim = simulate::SimOptions {
            trials,
            seed,
            threads: None,
            method,
        };
        progress.stage("simulating the plan on unseen futures", "trials");
        let result =
            simulate::run(model, &engine, &sim, progress, None).map_err(anyhow::Error::from)?;
        let mut check = report::optimize::OutOfSample::from_result(&result, &outcome);
        let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
        check.at_risk = crate::analysis::recommend::at_risk(model, Some(&outcome.plan), &result, q)
            .iter()
            .map(|h| {
                format!(
                    "{} (below the commit confidence, {})",
                    report::recommend::at_risk_sentence(model, h),
                    report::format::percent(q)
                )
            })
            .collect();
        Some(check)
    } else {
        None
    };
    let report = report::optimize::OptimizeReport {
        model,
        outcome: &outcome,
        out_of_sample: out_of_sample.as_ref(),
    };
    let stdout = match opts.format {
        Format::Text => report::optimize::text(&report),
        Format::Json => report::optimize::json(&report),
        Format::Csv => report::optimize::csv(&report),
    };
    write_plan_file(
        opts,
        |json| match json {
            true => report::optimize::json(&report),
            false => report::optimize::csv(&report),
        },
        &mut stderr,
    )?;
    Ok(Outcome { stdout, stderr })
}

/// `roadmap optimize` in its default mode: the recommended plan, confirmed on the scenario's
/// own futures.
fn optimize_recommended(
    opts: &OptimizeOptions,
    loaded: &Loaded,
    seed: u64,
    mut stderr: String,
    progress: &dyn simulate::Progress,
) -> Result<Outcome, AppError> {
    use crate::analysis::recommend;
    let model = &loaded.model;
    let q = opts.commit_confidence.unwrap_or(model.commit_confidence);
    if !(q > 0.0 && q < 1.0) {
        return Err(AppError::Invalid(format!(
            "error: --commit-confidence {q} must be strictly between 0 and 1\n  help: e.g. --commit-confidence 0.8: commitments hold in 80% of futures"
        )));
    }
    let trials = opts.trials.unwrap_or(model.simulation.trials).max(1);
    let mut options = recommend::RecommendOptions::new(seed, q);
    options.optimize.time_limit_seconds = opts.optimize.time_limit_seconds;
    options.optimize.gap = opts.optimize.gap;
    options.optimize.mip_start = opts.optimize.mip_start;
    options.optimize.solver_log = opts.optimize.solver_log.clone();
    let recommendation = match recommend::recommend(model, &options, progress) {
        Ok(r) => r,
        Err(recommend::RecommendError::Optimize(e)) => {
            let mut deterministic = opts.optimize.clone();
            deterministic.seed = seed.wrapping_add(1);
            return Err(solve_error(model, &deterministic, &opts.file, e));
        }
        Err(recommend::RecommendError::Simulate(e)) => return Err(anyhow::Error::from(e).into()),
    };
    progress.stage(
        "confirming the recommended plan on the scenario's futures",
        "trials",
    );
    let confirmation = recommend::confirm(model, &recommendation, seed, trials, None, progress)
        .map_err(anyhow::Error::from)?;
    let description = crate::optimize::describe(model, &recommendation.plan);
    let report = report::recommend::RecommendReport {
        model,
        recommendation: &recommendation,
        description: &description,
        confirmation: &confirmation,
    };
    let stdout = match opts.format {
        Format::Text => report::recommend::text(&report),
        Format::Json => report::recommend::json(&report),
        Format::Csv => report::recommend::csv(&report),
    };
    write_plan_file(
        opts,
        |json| match json {
            true => report::recommend::json(&report),
            false => report::recommend::csv(&report),
        },
        &mut stderr,
    )?;
    Ok(Outcome { stdout, stderr })
}

/// Writes `optimize -o PLAN`: JSON when the name ends in .json, else the CSV plan file.
fn write_plan_file(
    opts: &OptimizeOptions,
    render: impl Fn(bool) -> String,
    stderr: &mut String,
) -> Result<(), AppError> {
    let Some(path) = &opts.plan_output else {
        return Ok(());
    };
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    report::write::write_atomic(path, render(json).as_bytes()).map_err(anyhow::Error::from)?;
    stderr.push_str(&format!(
        "wrote the plan to {} (run it: roadmap simulate {} --plan {})\n",
        path.display(),
        opts.file.display(),
        path.display()
    ));
    Ok(())
}

/// Optimizes `model` (read from `file`), with the command line's error mapping: an infeasible
/// model or bad options are invalid input (exit 2), a time limit without a plan or a solver
/// failure are other errors (exit 1).
pub(crate) fn solve(
    model: &crate::model::Model,
    options: &crate::optimize::OptimizeOptions,
    file: &Path,
) -> Result<crate::optimize::Outcome, AppError> {
    crate::optimize::optimize(model, options).map_err(|e| solve_error(model, options, file, e))
}

fn solve_error(
    model: &crate::model::Model,
    options: &crate::optimize::OptimizeOptions,
    file: &Path,
    error: crate::optimize::OptimizeError,
) -> AppError {
    use crate::optimize::{self, OptimizeError};
    match error {
        OptimizeError::Infeasible(diagnosis) => {
            let basis = match options.mode {
                optimize::Mode::Robust { confidence } => format!(
                    " with efforts and lead times at P{:.0} (robust mode)",
                    confidence * 100.0
                ),
                _ => String::new(),
            };
            AppError::Invalid(format!(
                "error: {}: no release plan satisfies every constraint{basis}\n{}",
                file.display(),
                report::diagnosis::text(&diagnosis, model)
            ))
        }
        OptimizeError::Options(m) => AppError::Invalid(format!(
            "error: {m}\n  help: see `roadmap optimize --help`"
        )),
        e @ OptimizeError::NoSolution { .. } => AppError::Other(anyhow::anyhow!(
            "{e}\n  help: allow more time (--time-limit); without --no-start, HiGHS begins from the value-per-effort plan"
        )),
        OptimizeError::Solver(m) => AppError::Other(anyhow::anyhow!("HiGHS failed: {m}")),
    }
}

pub fn strategies(opts: &StrategiesOptions) -> Result<Outcome, AppError> {
    use crate::analysis::strategies::{self as tournament, Strategy};
    let chosen: Vec<Strategy> = match &opts.strategies {
        None => Strategy::all(),
        Some(list) => {
            let mut chosen = Vec::new();
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match Strategy::parse(name) {
                    Some(s) if !chosen.contains(&s) => chosen.push(s),
                    Some(_) => {}
                    None => {
                        let names: Vec<&str> = Strategy::all().iter().map(|s| s.name()).collect();
                        return Err(AppError::Invalid(format!(
                            "error: --strategies: no strategy named {name}\n  help: choose among {}",
                            names.join(", ")
                        )));
                    }
                }
            }
            if chosen.is_empty() {
                return Err(AppError::Invalid(
                    "error: --strategies is empty\n  help: name at least one, e.g. --strategies optimal,rice,wsjf".into(),
                ));
            }
            chosen
        }
    };
    let file = match (&opts.file, &opts.generate) {
        (Some(file), None) => file,
        (None, Some(many)) => return strategies_many(opts, many, chosen),
        _ => {
            return Err(AppError::Invalid(
                "error: give a scenario file or --generate N, not both\n  help: roadmap strategies plan.toml, or roadmap strategies --generate 200 --features 40".into(),
            ))
        }
    };
    let bar = progress_bar(opts.progress, file);
    let progress = &*bar;
    let loaded = load(file, false)?;
    let model = &loaded.model;
    crate::limits::kept_trials(
        trials_source(opts.trials),
        opts.trials.unwrap_or(model.simulation.trials),
        chosen.len() as u64,
        "pairing the strategies trial by trial",
    )?;
    let options = tournament::TournamentOptions {
        strategies: chosen,
        trials: opts.trials.unwrap_or(model.simulation.trials),
        seed: opts.seed.unwrap_or(model.simulation.seed),
        threads: opts.threads,
        optimize: crate::optimize::OptimizeOptions {
            gap: 1e-4,
            time_limit_seconds: opts.time_limit_seconds,
            ..Default::default()
        },
        recommended: None,
    };
    let started = std::time::Instant::now();
    let result = tournament::run(model, &options, progress).map_err(anyhow::Error::from)?;
    let mut stderr = report::findings::render(&loaded.warnings, MAX_WARNINGS);
    stderr.push_str(&format!(
        "ran {} strategies on {} trials in {:.2} s\n",
        result.results.len(),
        report::format::thousands(result.trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let stdout = emit(
        &result,
        opts.format,
        [
            report::strategies::text,
            report::strategies::json,
            report::strategies::csv,
        ],
        opts.out.as_deref(),
        "strategies",
        Vec::new(),
    )?;
    Ok(Outcome { stdout, stderr })
}

/// A comma-separated list of numbers; amounts may end in k, M or B.
fn number_list(flag: &str, text: &str, example: &str) -> Result<Vec<f64>, AppError> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (digits, scale) = match part.char_indices().last() {
            Some((i, 'k' | 'K')) => (&part[..i], 1e3),
            Some((i, 'm' | 'M')) => (&part[..i], 1e6),
            Some((i, 'b' | 'B')) => (&part[..i], 1e9),
            _ => (part, 1.0),
        };
        match digits.replace('_', "").parse::<f64>() {
            Ok(v) if v.is_finite() => out.push(v * scale),
            _ => {
                return Err(AppError::Invalid(format!(
                    "error: {flag}: `{part}` is not a number\n  help: give comma-separated numbers, e.g. {flag} {example}"
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(AppError::Invalid(format!(
            "error: {flag} is empty\n  help: e.g. {flag} {example}"
        )));
    }
    Ok(out)
}

pub fn frontier(opts: &FrontierOptions) -> Result<Outcome, AppError> {
    use crate::analysis::frontier::{self, Sweep};
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let invalid =
        |m: String| AppError::Invalid(format!("error: {m}\n  help: see `roadmap frontier --help`"));
    if !(opts.cvar_alpha > 0.0 && opts.cvar_alpha < 1.0) {
        return Err(invalid(format!(
            "--cvar-alpha {} must be between 0 and 1 (0.9 averages the worst 10%)",
            opts.cvar_alpha
        )));
    }
    let sweep = if opts.budget_sweep {
        if opts.lambdas.is_some() {
            return Err(invalid(
                "--lambdas belongs to the risk-aversion sweep, not --sweep budget".into(),
            ));
        }
        let budgets = match &opts.budgets {
            Some(text) => {
                let b = number_list("--budgets", text, "1.5M,2M,3M")?;
                if let Some(bad) = b.iter().find(|v| **v <= 0.0) {
                    return Err(invalid(format!(
                        "--budgets: {bad} is not a positive amount"
                    )));
                }
                Some(b)
            }
            None => None,
        };
        Sweep::Budget {
            budgets,
            points: opts.points,
            mode: opts.mode,
        }
    } else {
        if opts.budgets.is_some() {
            return Err(invalid("--budgets belongs to --sweep budget".into()));
        }
        let lambdas = match &opts.lambdas {
            Some(text) => {
                let l = number_list("--lambdas", text, "0,0.25,0.5,0.75,1")?;
                if let Some(bad) = l.iter().find(|v| !(0.0..=1.0).contains(*v)) {
                    return Err(invalid(format!("--lambdas: {bad} is not between 0 and 1")));
                }
                l
            }
            None => {
                let n = opts.points.max(2);
                (0..n).map(|i| i as f64 / (n - 1) as f64).collect()
            }
        };
        Sweep::RiskAversion {
            lambdas,
            scenarios: opts.scenarios,
            alpha: opts.cvar_alpha,
            overtime_premium: opts.overtime_premium,
        }
    };
    let seed = opts.seed.unwrap_or(model.simulation.seed);
    let optimize = crate::optimize::OptimizeOptions {
        gap: opts.gap,
        time_limit_seconds: opts.time_limit_seconds,
        seed: seed.wrapping_add(1),
        ..Default::default()
    };
    optimize.check().map_err(|e| invalid(e.to_string()))?;
    let points = match &sweep {
        Sweep::RiskAversion {
            lambdas, scenarios, ..
        } => {
            check_futures(model, "--scenarios", *scenarios as u64)?;
            lambdas.len()
        }
        Sweep::Budget {
            budgets, points, ..
        } => budgets.as_ref().map_or(*points, Vec::len),
    };
    crate::limits::kept_trials(
        trials_source(opts.trials),
        opts.trials.unwrap_or(model.simulation.trials),
        points as u64,
        "pairing the frontier's plans trial by trial",
    )?;
    let options = frontier::FrontierOptions {
        sweep,
        optimize,
        trials: opts.trials.unwrap_or(model.simulation.trials),
        seed,
        threads: opts.threads,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let result = match frontier::run(model, &options, progress) {
        Ok(r) => r,
        Err(frontier::FrontierError::Optimize(e)) => {
            // Only the unconstrained plan that sizes the budget sweep fails the whole run.
            return Err(solve_error(model, &options.optimize, &opts.file, e));
        }
        Err(frontier::FrontierError::Options(m)) => return Err(invalid(m)),
        Err(e) => return Err(AppError::Other(e.into())),
    };
    let mut stderr = report::findings::render(&loaded.warnings, MAX_WARNINGS);
    stderr.push_str(&format!(
        "solved {} points and simulated their plans in {:.1} s\n",
        result.points.len(),
        started.elapsed().as_secs_f64()
    ));
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::frontier::text,
            report::frontier::json,
            report::frontier::csv,
        ],
        opts.out.as_deref(),
        "frontier",
        vec![("frontier-plans.csv", report::frontier::plans_csv(&result))],
    )?;
    if let Some(dir) = &opts.out {
        let chart = report::charts::frontier::from_frontier(&result)
            .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(dir, &[("frontier", &chart)])?);
    }
    Ok(Outcome { stdout, stderr })
}

/// `result` in the asked format, for stdout; with `out`, all three formats are also written
/// into that folder as `<stem>.txt`, `.json` and `.csv`, with `extra` files beside them.
fn emit<T>(
    result: &T,
    format: Format,
    [text, json, csv]: [fn(&T) -> String; 3],
    out: Option<&Path>,
    stem: &str,
    extra: Vec<(&str, String)>,
) -> Result<String, AppError> {
    let mut stdout = match format {
        Format::Text => text(result),
        Format::Json => json(result),
        Format::Csv => csv(result),
    };
    if let Some(dir) = out {
        let names = [
            format!("{stem}.txt"),
            format!("{stem}.json"),
            format!("{stem}.csv"),
        ];
        let mut files = vec![
            (names[0].as_str(), text(result)),
            (names[1].as_str(), json(result)),
            (names[2].as_str(), csv(result)),
        ];
        files.extend(extra);
        stdout.push_str(&write_into(dir, &files)?);
    }
    Ok(stdout)
}

/// Writes each (name, text) into `dir`, atomically, and says what was written.
fn write_into(dir: &Path, files: &[(&str, String)]) -> Result<String, AppError> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in files {
        report::write::write_atomic(&dir.join(name), text.as_bytes())
            .map_err(anyhow::Error::from)?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    Ok(format!(
        "\nwrote {} into {}\n",
        names.join(", "),
        dir.display()
    ))
}

/// Writes each chart into `dir` as `<name>.svg` and `<name>.png`, atomically, and says so.
fn write_charts(dir: &Path, charts: &[(&str, &report::charts::Chart)]) -> Result<String, AppError> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut names = Vec::new();
    for (name, chart) in charts {
        for (ext, bytes) in [("svg", chart.svg.as_bytes()), ("png", chart.png.as_slice())] {
            let file = format!("{name}.{ext}");
            report::write::write_atomic(&dir.join(&file), bytes).map_err(anyhow::Error::from)?;
            names.push(file);
        }
    }
    Ok(format!(
        "wrote {} into {}\n",
        names.join(", "),
        dir.display()
    ))
}

fn strategies_many(
    opts: &StrategiesOptions,
    many: &GenerateMany,
    mut chosen: Vec<crate::analysis::strategies::Strategy>,
) -> Result<Outcome, AppError> {
    use crate::analysis::strategies::{self as tournament, Strategy};
    let mut spec = crate::scenario::generate::GenerateSpec::new(
        many.features + many.features / 2,
        many.teams,
        many.periods,
        0,
    );
    spec.features = spec.features.max(2);
    spec.check().map_err(|e| {
        AppError::Invalid(format!(
            "error: {e}\n  help: see `roadmap strategies --help`"
        ))
    })?;
    if many.portfolios == 0 {
        return Err(AppError::Invalid(
            "error: --generate must be at least 1\n  help: e.g. --generate 200".into(),
        ));
    }
    crate::limits::portfolios("--generate", many.portfolios as u64)?;
    // Each worker keeps one portfolio's per-trial NPVs at a time.
    crate::limits::kept_trials(
        "--trials",
        opts.trials.unwrap_or(1000),
        (chosen.len() + 1) as u64 * rayon::current_num_threads() as u64,
        "pairing the strategies trial by trial in every worker",
    )?;
    // Every share is against the optimal plan, so it always runs.
    if !chosen.contains(&Strategy::Optimal) {
        chosen.insert(0, Strategy::Optimal);
    }
    let options = tournament::ManyOptions {
        portfolios: many.portfolios,
        features: many.features,
        teams: many.teams,
        periods: many.periods,
        seed: opts.seed.unwrap_or(1),
        trials: opts.trials.unwrap_or(1000),
        strategies: chosen,
        optimize: crate::optimize::OptimizeOptions {
            gap: 1e-4,
            time_limit_seconds: opts.time_limit_seconds,
            ..Default::default()
        },
    };
    let started = std::time::Instant::now();
    let bar = report::progress::Bar::counting("running tournaments", "portfolios");
    let quiet = simulate::Quiet;
    let progress: &dyn simulate::Progress = if opts.progress { &bar } else { &quiet };
    let run = |options: &tournament::ManyOptions| tournament::run_many(options, progress);
    let result = match opts.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} worker threads: {e}"))?
            .install(|| run(&options)),
        None => run(&options),
    };
    let stderr = format!(
        "ran {} strategies on {} generated portfolios in {:.1} s\n",
        result.strategies.len(),
        result.portfolios,
        started.elapsed().as_secs_f64()
    );
    let stdout = emit(
        &result,
        opts.format,
        [
            report::strategies::many_text,
            report::strategies::many_json,
            report::strategies::many_csv,
        ],
        opts.out.as_deref(),
        "strategies",
        Vec::new(),
    )?;
    Ok(Outcome { stdout, stderr })
}

pub fn generate(opts: &GenerateOptions) -> Result<Outcome, AppError> {
    use crate::scenario::generate;
    opts.spec.check().map_err(|e| {
        AppError::Invalid(format!(
            "error: {e}\n  help: see `roadmap generate --help` for every option and its range"
        ))
    })?;
    let text = generate::generate(&opts.spec);
    // A generated scenario must validate; a failure here is a bug in the generator.
    let path = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("generated.toml"));
    let loaded = scenario::load_text(&path, text.clone(), &|p| std::fs::read(p))
        .map_err(|e| anyhow::anyhow!("the generated scenario does not validate: {e:?}"))?;
    let m = &loaded.model;
    let summary = format!(
        "{} features, {} teams, {} periods ({} to {}), {} segments, {} deals, {} uncertain inputs\n",
        report::format::count(m.features.len()),
        report::format::count(m.teams.len()),
        report::format::count(m.time.periods),
        m.time.labels.first().map_or("", String::as_str),
        m.time.labels.last().map_or("", String::as_str),
        report::format::count(m.segments.len()),
        report::format::count(m.deals.len()),
        report::format::count(m.uncertain_input_count())
    );
    match &opts.output {
        Some(out) => {
            report::write::write_atomic(out, text.as_bytes()).map_err(anyhow::Error::from)?;
            Ok(Outcome {
                stdout: format!("wrote {}: {summary}", out.display()),
                stderr: String::new(),
            })
        }
        None => Ok(Outcome {
            stdout: text,
            stderr: summary,
        }),
    }
}

pub struct SensitivityOptions {
    pub file: PathBuf,
    /// Hold the optimized plan fixed at every point instead of re-planning.
    pub hold_plan: bool,
    pub top: usize,
    pub all: bool,
    pub trials: Option<u64>,
    /// Seed of the rank-correlation run; the optimizer samples on seed + 1, as in `optimize`.
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

/// `sensitivity`: the deterministic optimum of the scenario, then its tornado, rank
/// correlations and what a 20% capacity drop would cut.
pub fn sensitivity(opts: &SensitivityOptions) -> Result<Outcome, AppError> {
    use crate::analysis::sensitivity::{self as analysis, Mode, SensitivityError};
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let trials = opts.trials.unwrap_or(model.simulation.trials);
    crate::limits::streamed_trials(trials_source(opts.trials), trials)?;
    let seed = opts.seed.unwrap_or(model.simulation.seed);
    let mut options = analysis::SensitivityOptions::new(trials, seed);
    options.mode = if opts.hold_plan {
        Mode::HoldPlan
    } else {
        Mode::Reoptimize
    };
    options.top = opts.top;
    options.all = opts.all;
    options.threads = opts.threads;
    let started = std::time::Instant::now();
    progress.stage(
        &report::progress::solving("the plan to analyse", &options.optimize),
        "",
    );
    let base = solve(model, &options.optimize, &opts.file)?;
    let result = analysis::run(model, &base.plan, &options, progress).map_err(|e| match e {
        SensitivityError::TooManyDraws { .. } => AppError::Invalid(format!(
            "error: --trials {trials}: {e}\n  help: use at most {} trials (10,000 pin a rank correlation down to about ±0.02)",
            report::format::thousands(e.max_trials().unwrap_or(0) as f64)
        )),
        SensitivityError::Optimize(o) => AppError::Other(anyhow::anyhow!(
            "re-planning a point of the tornado failed: {o}\n  help: --hold-plan keeps the plan fixed and needs no re-planning"
        )),
        other => AppError::Other(other.into()),
    })?;
    let mut stderr = report::findings::render(&loaded.warnings, MAX_WARNINGS);
    stderr.push_str(&format!(
        "analysed {} inputs and {} simulated futures in {:.2} s\n",
        result.bars.len(),
        report::format::thousands(trials as f64),
        started.elapsed().as_secs_f64()
    ));
    let mut stdout = emit(
        &result,
        opts.format,
        [
            report::sensitivity::text,
            report::sensitivity::json,
            report::sensitivity::csv,
        ],
        opts.out.as_deref(),
        "sensitivity",
        Vec::new(),
    )?;
    if let Some(dir) = &opts.out {
        let chart = report::charts::tornado::from_sensitivity(&result, opts.top)
            .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(dir, &[("tornado", &chart)])?);
    }
    Ok(Outcome { stdout, stderr })
}

pub struct WhatifOptions {
    /// The base scenario, and optionally a second scenario as the variant.
    pub files: Vec<PathBuf>,
    /// `--set` overrides, applied to the variant in the order given.
    pub set: Vec<String>,
    /// Execute the base's optimal plan on both sides instead of optimizing each.
    pub hold_plan: bool,
    /// Each side's recommended plan (the default) instead of the MILP plan of `optimize.mode`.
    pub recommended: bool,
    /// The recommended plan's commit confidence (default: the base scenario's).
    pub commit_confidence: Option<f64>,
    pub optimize: crate::optimize::OptimizeOptions,
    pub trials: Option<u64>,
    /// The comparison's seed (default: the base's); the optimizer samples on seed + 1.
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub progress: bool,
}

/// Two scenarios can be compared period by period only if their calendars agree.
fn same_periods(base: &Loaded, other: &Loaded) -> Result<(), AppError> {
    let (a, b) = (&base.model.time, &other.model.time);
    if a.labels == b.labels && a.period_weeks == b.period_weeks {
        return Ok(());
    }
    let describe = |t: &crate::model::TimeFrame| {
        format!(
            "{} period{} of {} weeks, {}..{}",
            t.periods,
            if t.periods == 1 { "" } else { "s" },
            crate::model::dist::fmt_num(t.period_weeks),
            t.labels[0],
            t.labels[t.periods - 1]
        )
    };
    let finding = Finding::error(
        other.location("plan"),
        "plan",
        format!(
            "its periods ({}) differ from those of {} ({})",
            describe(b),
            base.files[0].display(),
            describe(a)
        ),
    )
    .help("a what-if compares plans period by period: give both files the same plan.periods, period_weeks and start");
    Err(findings_error(&[finding]))
}

/// The variant's problems that validation would report for a file: what the overrides broke.
/// Errors fail the command (exit 2); new warnings are returned for standard error. With the
/// plan held no solver needs the variant to be plannable, so commitments that no longer fit
/// (the question "what if we lose a person for a quarter?") are warnings: the simulation shows
/// what happens to them.
fn check_overridden(
    loaded: &Loaded,
    variant: crate::model::Model,
    arguments: &[String],
    hold_plan: bool,
) -> Result<(crate::model::Model, Vec<Finding>), AppError> {
    use crate::scenario::overrides;
    let base = &loaded.model;
    let mut findings = overrides::check_variant(base, &variant, &|field| loaded.location(field));
    let trials = base.simulation.trials.min(VALIDATE_TRIALS);
    let seed = base.simulation.seed;
    let before = capacity_findings(loaded, &capacity::check(base, trials, seed));
    let check = capacity::check(&variant, trials, seed);
    let variant_loaded = Loaded {
        model: variant,
        warnings: Vec::new(),
        files: loaded.files.clone(),
        locations: loaded.locations.clone(),
    };
    let unplannable = capacity_findings(&variant_loaded, &check)
        .into_iter()
        .filter(|f| !before.contains(f))
        .map(|f| {
            if hold_plan && f.is_error() {
                Finding {
                    severity: crate::scenario::Severity::Warning,
                    help: Some("the held plan is simulated as it is: the variant's delivery chances show what becomes of this work".into()),
                    ..f
                }
            } else {
                f
            }
        });
    findings.extend(unplannable);
    if findings.iter().any(Finding::is_error) {
        let set: Vec<String> = arguments.iter().map(|a| format!("--set {a}")).collect();
        let only_capacity = findings.iter().filter(|f| f.is_error()).all(|f| {
            f.field.ends_with(".capacity")
                || f.field == "plan.budget"
                || f.field.starts_with("themes[")
        });
        return Err(AppError::Invalid(format!(
            "{}\nwith {} the scenario is invalid (checked before any solver runs){}",
            report::findings::render(&findings, usize::MAX).trim_end(),
            set.join(" "),
            if only_capacity && !hold_plan {
                "\n  help: --hold-plan simulates the base's plan on the variant without re-planning it"
            } else {
                ""
            }
        )));
    }
    Ok((variant_loaded.model, findings))
}

pub fn whatif(opts: &WhatifOptions) -> Result<Outcome, AppError> {
    use crate::analysis::whatif::{self as compare, Planning, Side};
    use crate::scenario::overrides;
    let (base_file, other_file) = match opts.files.as_slice() {
        [base] => (base, None),
        [base, other] => (base, Some(other)),
        _ => {
            return Err(AppError::Invalid(
                "error: give one scenario with --set overrides, or two scenarios (BASE OTHER)\n  help: roadmap whatif plan.toml --set teams.web.capacity*=0.8, or roadmap whatif plan.toml other.toml".into(),
            ))
        }
    };
    if other_file.is_none() && opts.set.is_empty() {
        return Err(AppError::Invalid(format!(
            "error: nothing to compare {} with\n  help: change it with --set PATH=VALUE (e.g. --set teams.web.capacity*=0.8), or give a second scenario: roadmap whatif {} OTHER.toml",
            base_file.display(),
            base_file.display()
        )));
    }
    let bar = progress_bar(opts.progress, base_file);
    let progress = &*bar;
    let base = load(base_file, false)?;
    let mut stderr = report::findings::render(&base.warnings, MAX_WARNINGS);
    let other = match other_file {
        Some(file) => {
            let other = load(file, false)?;
            same_periods(&base, &other)?;
            stderr.push_str(&report::findings::render(&other.warnings, MAX_WARNINGS));
            Some(other)
        }
        None => None,
    };
    // The overrides apply to the variant: the second scenario if there is one, else the base.
    let start = other.as_ref().unwrap_or(&base);
    let (variant, applied) = if opts.set.is_empty() {
        (start.model.clone(), Vec::new())
    } else {
        let (variant, applied) =
            overrides::apply(&start.model, &opts.set).map_err(|f| findings_error(&f))?;
        let (variant, warnings) = check_overridden(start, variant, &opts.set, opts.hold_plan)?;
        stderr.push_str(&report::findings::render(&warnings, MAX_WARNINGS));
        (variant, applied)
    };
    let set_text: Vec<String> = opts.set.iter().map(|a| format!("--set {a}")).collect();
    let variant_label = match other_file {
        Some(file) if set_text.is_empty() => file.display().to_string(),
        Some(file) => format!("{} {}", file.display(), set_text.join(" ")),
        None => format!("{} {}", base_file.display(), set_text.join(" ")),
    };

    let trials = opts.trials.unwrap_or(base.model.simulation.trials);
    let seed = opts.seed.unwrap_or(base.model.simulation.seed);
    let mut options = opts.optimize.clone();
    options.seed = seed.wrapping_add(1);
    options.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap whatif --help`"))
    })?;
    if let crate::optimize::Mode::Stochastic { scenarios, .. } = &options.mode {
        check_futures(&base.model, "--scenarios", *scenarios as u64)?;
    }
    crate::limits::kept_trials(
        trials_source(opts.trials),
        trials,
        2,
        "pairing base and variant trial by trial",
    )?;
    let started = std::time::Instant::now();
    if opts.recommended && !(base.model.is_certain() && variant.is_certain()) {
        return whatif_recommended(
            opts,
            &base,
            &variant,
            (base_file, variant_label, applied),
            (trials, seed, &options),
            (stderr, started, progress),
        );
    }
    progress.stage(
        &report::progress::solving("the base: optimizing the plan", &options),
        "",
    );
    let base_outcome = solve(&base.model, &options, base_file)?;
    let mode = options.mode.name().to_string();
    let (variant_plan, variant_objective, planning) = if opts.hold_plan {
        (
            compare::carry_plan(&base_outcome.plan, &base.model, &variant),
            None,
            Planning::Held { mode },
        )
    } else if variant == base.model {
        // The same model needs no second solve; a time-limited one could even differ by chance.
        (
            base_outcome.plan.clone(),
            Some(base_outcome.objective),
            Planning::Reoptimized { mode },
        )
    } else {
        progress.stage(
            &report::progress::solving("the variant: optimizing the plan", &options),
            "",
        );
        let outcome = solve(&variant, &options, Path::new(&variant_label))?;
        // The held plan is a candidate too: on futures of their own (seed + 3, as the
        // recommended plan's selection), keep it when it does better than the re-planned one.
        let held = compare::carry_plan(&base_outcome.plan, &base.model, &variant);
        let held_ok = crate::plan_check::check_plan(
            &variant,
            &held,
            &crate::plan_check::CheckBasis::expected(&variant),
        )
        .is_empty();
        let gain = if held_ok {
            compare::held_gain(&variant, &held, &outcome.plan, seed.wrapping_add(3), 2000)
                .map_err(anyhow::Error::from)?
        } else {
            0.0
        };
        if gain > 0.0 {
            (held, None, Planning::KeptBase { mode, gain })
        } else {
            (
                outcome.plan,
                Some(outcome.objective),
                Planning::Reoptimized { mode },
            )
        }
    };
    let base_side = Side {
        label: base_file.display().to_string(),
        model: &base.model,
        plan: base_outcome.plan.clone(),
        objective: Some(base_outcome.objective),
    };
    let variant_side = Side {
        label: variant_label,
        model: &variant,
        plan: variant_plan,
        objective: variant_objective,
    };
    whatif_compare(
        opts,
        (base_side, variant_side),
        applied,
        (trials, seed, planning),
        stderr,
        started,
        progress,
    )
}

/// `whatif` with each side's recommended plan: the base's is searched for on the base, the
/// variant's on the variant with the base's plan, held, among its candidates.
fn whatif_recommended(
    opts: &WhatifOptions,
    base: &Loaded,
    variant: &crate::model::Model,
    (base_file, variant_label, applied): (
        &PathBuf,
        String,
        Vec<crate::scenario::overrides::Applied>,
    ),
    (trials, seed, solver): (u64, u64, &crate::optimize::OptimizeOptions),
    (stderr, started, progress): (String, std::time::Instant, &dyn simulate::Progress),
) -> Result<Outcome, AppError> {
    use crate::analysis::recommend;
    use crate::analysis::whatif::{self as compare, Planning, Side};
    let q = opts
        .commit_confidence
        .unwrap_or(base.model.commit_confidence);
    let find = |model: &crate::model::Model,
                file: &Path,
                extra: Vec<(String, crate::model::Plan)>,
                side: &str| {
        let mut options = recommend::RecommendOptions::new(seed, q);
        options.optimize.time_limit_seconds = solver.time_limit_seconds;
        options.optimize.gap = solver.gap;
        options.extra_candidates = extra;
        recommend::recommend(model, &options, &simulate::Prefixed(progress, side)).map_err(|e| {
            match e {
                recommend::RecommendError::Optimize(e) => solve_error(model, solver, file, e),
                recommend::RecommendError::Simulate(e) => anyhow::Error::from(e).into(),
            }
        })
    };
    let base_rec = find(&base.model, base_file, Vec::new(), "the base")?;
    let held = compare::carry_plan(&base_rec.plan, &base.model, variant);
    let (variant_plan, planning) = if opts.hold_plan {
        (
            held,
            Planning::Held {
                mode: "recommended".into(),
            },
        )
    } else if *variant == base.model {
        (
            base_rec.plan.clone(),
            Planning::Recommended { kept_base: true },
        )
    } else {
        const HELD: &str = "the base's plan, held";
        let rec = find(
            variant,
            Path::new(&variant_label),
            vec![(HELD.to_string(), held)],
            "the variant",
        )?;
        let kept_base = rec.origin == HELD && rec.moves.is_empty();
        (rec.plan, Planning::Recommended { kept_base })
    };
    let base_side = Side {
        label: base_file.display().to_string(),
        model: &base.model,
        plan: base_rec.plan.clone(),
        objective: None,
    };
    let variant_side = Side {
        label: variant_label,
        model: variant,
        plan: variant_plan,
        objective: None,
    };
    whatif_compare(
        opts,
        (base_side, variant_side),
        applied,
        (trials, seed, planning),
        stderr,
        started,
        progress,
    )
}

/// Both sides simulated on the same futures, and the output.
fn whatif_compare(
    opts: &WhatifOptions,
    (base_side, variant_side): (
        crate::analysis::whatif::Side<'_>,
        crate::analysis::whatif::Side<'_>,
    ),
    applied: Vec<crate::scenario::overrides::Applied>,
    (trials, seed, planning): (u64, u64, crate::analysis::whatif::Planning),
    mut stderr: String,
    started: std::time::Instant,
    progress: &dyn simulate::Progress,
) -> Result<Outcome, AppError> {
    use crate::analysis::whatif::{self as compare, CompareOptions};
    progress.stage("simulating both sides on the same futures", "trials");
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
        // The two sides overlaid on the same axes: NPV distributions and value fans.
        use report::charts;
        let (base, variant) = (&result.base, &result.variant);
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
        let npv = charts::npv::render(
            &[
                charts::NpvSeries {
                    label: &base_label,
                    npv: &base.trial_npv,
                    summary: &base.result.npv,
                },
                charts::NpvSeries {
                    label: &variant_label,
                    npv: &variant.trial_npv,
                    summary: &variant.result.npv,
                },
            ],
            &result.currency,
        )
        .map_err(|e| AppError::Other(e.into()))?;
        let fan = charts::value_fan::render(
            &[
                charts::FanSeries {
                    label: &base_label,
                    bands: &base.result.value_by_month,
                },
                charts::FanSeries {
                    label: &variant_label,
                    bands: &variant.result.value_by_month,
                },
            ],
            &result.currency,
            base.result.periods.first().map_or("", String::as_str),
        )
        .map_err(|e| AppError::Other(e.into()))?;
        stdout.push_str(&write_charts(
            dir,
            &[("whatif-npv", &npv), ("whatif-value-fan", &fan)],
        )?);
    }
    Ok(Outcome { stdout, stderr })
}

pub struct ReportOptions {
    pub file: PathBuf,
    pub out: PathBuf,
    /// How the plan is optimized: None for the recommended plan.
    pub mode: Option<crate::optimize::Mode>,
    /// The recommended plan's commit confidence (default: the scenario's).
    pub commit_confidence: Option<f64>,
    pub time_limit_seconds: Option<f64>,
    pub trials: Option<u64>,
    pub seed: Option<u64>,
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

pub fn report(opts: &ReportOptions) -> Result<Outcome, AppError> {
    use crate::analysis::{frontier, sensitivity, strategies as tournament};
    use report::charts;
    // Checked before minutes of work, not after.
    if opts.out.exists() && !opts.out.is_dir() {
        return Err(AppError::Invalid(format!(
            "error: -o {}: a file of that name exists; the report is a folder of files\n  help: name a folder, e.g. -o out/report",
            opts.out.display()
        )));
    }
    let loaded = load(&opts.file, false)?;
    let model = &loaded.model;
    let seed = opts.seed.unwrap_or(model.simulation.seed);
    let trials = opts.trials.unwrap_or(model.simulation.trials);
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
    let solver = crate::optimize::OptimizeOptions {
        mode: opts.mode.unwrap_or(crate::optimize::Mode::Deterministic),
        time_limit_seconds: opts.time_limit_seconds,
        seed: seed.wrapping_add(1),
        ..Default::default()
    };
    solver.check().map_err(|e| {
        AppError::Invalid(format!("error: {e}\n  help: see `roadmap report --help`"))
    })?;
    if let crate::optimize::Mode::Stochastic { scenarios, .. } = &solver.mode {
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
        trials_source(opts.trials),
        trials,
        1 + crate::analysis::strategies::Strategy::all().len() as u64 + opts.frontier_points as u64,
        "pairing the plan, the strategies and the frontier trial by trial",
    )?;
    let bar = progress_bar(opts.progress, &opts.file);
    let progress = &*bar;
    let quiet = simulate::Quiet;
    // The plan: the recommended one (searched and chosen by the simulator, confirmed on the
    // report's own futures), or one mode's MILP plan simulated on them.
    let mut outcome = None;
    let mut found = None;
    let (plan, sim, npv) = if recommended {
        use crate::analysis::recommend;
        let mut options = recommend::RecommendOptions::new(seed, q);
        options.optimize.time_limit_seconds = opts.time_limit_seconds;
        let recommendation = match recommend::recommend(model, &options, progress) {
            Ok(r) => r,
            Err(recommend::RecommendError::Optimize(e)) => {
                return Err(solve_error(model, &solver, &opts.file, e))
            }
            Err(recommend::RecommendError::Simulate(e)) => {
                return Err(anyhow::Error::from(e).into())
            }
        };
        progress.stage(
            "confirming the recommended plan on the report's futures",
            "trials",
        );
        let confirmation =
            recommend::confirm(model, &recommendation, seed, trials, opts.threads, progress)
                .map_err(anyhow::Error::from)?;
        let description = crate::optimize::describe(model, &recommendation.plan);
        let plan = recommendation.plan.clone();
        let sim = confirmation.result.clone();
        let npv = confirmation.npv.clone();
        found = Some((recommendation, confirmation, description));
        (plan, sim, npv)
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
        let plan = o.plan.clone();
        outcome = Some(o);
        (plan, sim, npv)
    };
    let at_risk = crate::analysis::recommend::at_risk(model, Some(&plan), &sim, q);
    let shown = match (&found, &outcome) {
        (Some((rec, confirmation, description)), _) => report::html::ShownPlan {
            plan: &rec.plan,
            features: &description.features,
            deals: &description.deals,
            method: format!(
                "recommended plan (from {}), chosen among {} candidates on futures neither the optimizer nor the search saw (commit confidence {})",
                rec.origin,
                rec.candidates.len(),
                report::format::percent(q)
            ),
            status: "recommended".into(),
            gap: None,
            planner_seed: seed.wrapping_add(2),
            marks: Some(&confirmation.marks),
            at_risk: &at_risk,
            commit_confidence: q,
        },
        (None, Some(o)) => report::html::ShownPlan::optimized(o, &at_risk, q),
        (None, None) => unreachable!("one of the two branches ran"),
    };

    let mut sens_options = sensitivity::SensitivityOptions::new(trials, seed);
    sens_options.optimize.mode = solver.mode;
    sens_options.top = opts.top;
    sens_options.threads = opts.threads;
    sens_options.optimize.time_limit_seconds = opts.time_limit_seconds;
    let frontier_options = (opts.frontier_points >= 2).then(|| {
        let n = opts.frontier_points;
        frontier::FrontierOptions {
            sweep: frontier::Sweep::RiskAversion {
                lambdas: (0..n).map(|i| i as f64 / (n - 1) as f64).collect(),
                scenarios: opts.frontier_scenarios,
                alpha: 0.9,
                overtime_premium: None,
            },
            optimize: crate::optimize::OptimizeOptions {
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
    let tournament_options = tournament::TournamentOptions {
        strategies: tournament::Strategy::all(),
        trials,
        seed,
        threads: opts.threads,
        optimize: crate::optimize::OptimizeOptions {
            time_limit_seconds: opts.time_limit_seconds,
            ..Default::default()
        },
        recommended: recommended.then(|| plan.clone()),
    };
    // The three analyses are independent and each is deterministic, so they run side by side
    // (the solves inside them are mostly single-threaded) without changing a number.
    let analyses = if frontier_options.is_some() {
        "strategy tournament, tornado and frontier"
    } else {
        "strategy tournament and tornado"
    };
    progress.stage(&format!("analyses side by side: {analyses}"), "analyses");
    progress.begin(2 + u64::from(frontier_options.is_some()));
    fn done<T>(progress: &dyn simulate::Progress, x: T) -> T {
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
                        sensitivity::run(model, &plan, &sens_options, &quiet),
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
    let tournament = tournament.map_err(anyhow::Error::from)?;
    let sens = sens.map_err(|e| anyhow::anyhow!("sensitivity: {e}"))?;
    let frontier = frontier.map_err(|e| anyhow::anyhow!("frontier: {e}"))?;

    // The headline figures.
    let driver = sens.biggest_driver().map(|b| report::html::Driver {
        input: b.input.clone(),
        label: b.label.clone(),
        npv_at_p10: b.low_npv,
        npv_at_p90: b.high_npv,
        swing: b.swing,
        replanned: b.low_basis == sensitivity::Basis::Reoptimized
            || b.high_basis == sensitivity::Basis::Reoptimized,
    });
    let capacity_cut = sens
        .capacity_drop
        .as_ref()
        .map(|c| report::html::CapacityCut {
            capacity_factor: c.factor,
            feasible: c.feasible,
            dropped: c
                .dropped
                .iter()
                .map(|d| (d.feature.clone(), d.name.clone()))
                .collect(),
            npv_lost: c.objective_lost().unwrap_or(0.0),
            simulated_npv_lost: c.npv_lost(),
            simulated_npv_lost_held: c.npv_mean_before - c.npv_mean_held,
        });
    let plan_strategy = if recommended {
        tournament::Strategy::Recommended
    } else {
        tournament::Strategy::Optimal
    };
    let versus_rules = report::html::versus_best_rule(&tournament, plan_strategy);
    let summary = report::html::summarise(model, &shown, &sim, driver, capacity_cut, versus_rules);

    // The charts.
    let cur = model.currency.as_str();
    let mut charts: Vec<(charts::Chart, String)> = Vec::new();
    let chart_err = |e: charts::ChartError| AppError::Other(anyhow::anyhow!(e));
    charts.push((
        charts::roadmap::render(model, shown.features, shown.deals, shown.marks, &sim)
            .map_err(chart_err)?,
        "Each bar is the period a feature is planned to ship; the dot and whisker show when it ships in the simulated futures (median to P90). Diamonds mark customer deals.".into(),
    ));
    charts.push((
        charts::npv::render(
            &[charts::NpvSeries {
                label: "plan",
                npv: &npv,
                summary: &sim.npv,
            }],
            cur,
        )
        .map_err(chart_err)?,
        "How the plan's net present value spreads over the simulated futures, with its P10, median and P90.".into(),
    ));
    charts.push((
        charts::value_fan::render(
            &[charts::FanSeries {
                label: "plan",
                bands: &sim.value_by_month,
            }],
            cur,
            model.time.labels.first().map_or("", String::as_str),
        )
        .map_err(chart_err)?,
        "Cumulative discounted value month by month: the median, the middle half of futures and the 80% band.".into(),
    ));
    charts.push((
        charts::capacity::render(&sim).map_err(chart_err)?,
        "Work each team does per period (mean, with a P90 whisker) against its capacity.".into(),
    ));
    charts.push((
        charts::on_time::render(&sim).map_err(chart_err)?,
        "The chance each planned feature ships by its deadline (features with one) or in its planned period (the others), and each deal is won, least likely first.".into(),
    ));
    charts.push((
        charts::strategies::render(&tournament).map_err(chart_err)?,
        "Each prioritisation rule executed on the same futures as the plan: mean NPV with its P10-P90 range.".into(),
    ));
    if let Some(f) = &frontier {
        charts.push((
            charts::frontier::from_frontier(f).map_err(chart_err)?,
            format!("What protection against the worst futures costs: each point is the stochastic optimizer's plan for one level of risk aversion (planned on {} sampled futures), valued on the report's {} simulated futures, which it never saw. Moving right buys a better worst case; moving down is the expected value it costs. Points closer than two standard errors count as ties.", f.scenarios.unwrap_or(0), report::format::thousands(f.trials as f64)),
        ));
    }
    charts.push((
        charts::tornado::from_sensitivity(&sens, 10).map_err(chart_err)?,
        "How far NPV moves when one input goes from its P10 to its P90 with every other input at its median.".into(),
    ));

    // The files.
    let plan_csv = match (&found, &outcome) {
        (Some((recommendation, confirmation, description)), _) => {
            report::recommend::csv(&report::recommend::RecommendReport {
                model,
                recommendation,
                description,
                confirmation,
            })
        }
        (None, Some(o)) => report::optimize::csv(&report::optimize::OptimizeReport {
            model,
            outcome: o,
            out_of_sample: None,
        }),
        (None, None) => unreachable!("one of the two branches ran"),
    };
    let figures: Vec<report::html::Figure> = charts
        .iter()
        .map(|(c, caption)| report::html::Figure {
            stem: c.stem.to_string(),
            title: c.title.clone(),
            caption: caption.clone(),
            svg: c.svg.clone(),
        })
        .collect();
    let scenario_file = opts.file.display().to_string();
    let tables = vec![(
        "What moves the NPV".to_string(),
        report::html::sensitivity_tables(&sens, 10),
    )];
    let html = report::html::page(&report::html::ReportPage {
        model,
        scenario_file: &scenario_file,
        shown: &shown,
        sim: &sim,
        tournament: Some(&tournament),
        summary: &summary,
        figures: &figures,
        tables: &tables,
    });
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("creating {}", opts.out.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        report::write::write_atomic(&opts.out.join(name), bytes).map_err(anyhow::Error::from)
    };
    for (c, _) in &charts {
        write(&format!("{}.svg", c.stem), c.svg.as_bytes())?;
        write(&format!("{}.png", c.stem), &c.png)?;
    }
    write("plan.csv", plan_csv.as_bytes())?;
    write(
        "summary.json",
        report::html::summary_json(&summary).as_bytes(),
    )?;
    // The page last: its presence means the folder is complete.
    write("report.html", html.as_bytes())?;

    let mut stderr = report::findings::render(&loaded.warnings, MAX_WARNINGS);
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
    Ok(Outcome { stdout, stderr })
}
