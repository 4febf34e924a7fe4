//! The tornado: the median world, each input or risk moved to its P10 and P90, each point's
//! NPV with the plan held, and for the top inputs with the plan the optimizer makes for that world.

use super::*;

/// The tornado's median-world value of every input and outcome of every risk.
#[derive(Debug, Clone)]
pub(super) struct World {
    pub(super) values: Vec<f64>,
    pub(super) happens: Vec<bool>,
}

/// A point of the tornado: the median world with one input or risk moved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Moved {
    Nothing,
    Input(usize, f64),
    Risk(usize, bool),
    /// A common risk happens or not: every feature it hits with it (each at its likelier
    /// outcome given the risk).
    Common(usize, bool),
}

impl World {
    pub(super) fn pinned(&self, model: &Model, moved: Moved) -> Model {
        let mut pinned = model.clone();
        for (i, input) in pinned.inputs.iter_mut().enumerate() {
            let value = match moved {
                Moved::Input(j, v) if j == i => v,
                _ => self.values[i],
            };
            input.dist = Dist::constant(value);
        }
        // Constants cannot be correlated; the tornado moves one input at a time anyway.
        pinned.correlations.clear();
        let mut r = 0;
        for feature in &mut pinned.features {
            for risk in &mut feature.risks {
                let happens = match (moved, risk.common) {
                    (Moved::Risk(j, h), _) if j == r => h,
                    (Moved::Common(c, h), Some(hit)) if hit.risk == c => h && hit.given >= 0.5,
                    _ => self.happens[r],
                };
                risk.probability = if happens { 1.0 } else { 0.0 };
                r += 1;
            }
        }
        pinned
    }
}

/// NPV of `plan` in a model where nothing is uncertain: one trial is the whole distribution.
pub fn pinned_npv(pinned: &Model, plan: &Plan, seed: u64) -> f64 {
    let engine = Engine::new(
        pinned,
        &Schedule::Plan(plan.clone()),
        seed,
        Method::MonteCarlo,
        1,
    );
    let mut scratch = engine.scratch(pinned.features.len());
    engine.run_trial(0, &mut scratch).npv
}

/// A point's NPV on its basis.
#[derive(Debug, Clone, Copy)]
pub(super) struct Point {
    pub(super) npv: f64,
    pub(super) basis: Basis,
}

pub(super) fn replan(
    pinned: &Model,
    options: &OptimizeOptions,
    held_npv: f64,
    seed: u64,
) -> Result<Point, SensitivityError> {
    match optimize::optimize(pinned, options) {
        // The held plan is a candidate too: where it earns more as executed (it may overrun
        // a capacity the optimizer must respect), re-planning keeps it, so a re-planned point
        // never reports less than holding the plan.
        Ok(outcome) => {
            let npv = pinned_npv(pinned, &outcome.plan, seed);
            Ok(if held_npv > npv {
                Point {
                    npv: held_npv,
                    basis: Basis::Held,
                }
            } else {
                Point {
                    npv,
                    basis: Basis::Reoptimized,
                }
            })
        }
        Err(OptimizeError::Infeasible(_)) => Ok(Point {
            npv: held_npv,
            basis: Basis::NoFeasiblePlan,
        }),
        Err(e) => Err(SensitivityError::Optimize(e)),
    }
}

/// One tornado line before evaluation.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) input: String,
    pub(super) label: String,
    pub(super) kind: InputKind,
    pub(super) probability: Option<f64>,
    pub(super) low: Moved,
    pub(super) high: Moved,
    pub(super) values: (f64, f64, f64),
    pub(super) affects_plan: bool,
}

/// The uncertain inputs and risks the analysis looks at, and one tornado line each.
pub(super) struct Setup {
    pub(super) roles: Vec<Option<Role>>,
    pub(super) risk_names: Vec<String>,
    /// (feature, risk index within it) of each risk, in model order.
    pub(super) risks: Vec<(usize, usize)>,
    /// Inputs and risks the plan feels and that are uncertain: the correlation run keeps their draws.
    pub(super) felt_inputs: Vec<usize>,
    pub(super) felt_risks: Vec<usize>,
    pub(super) median: World,
    pub(super) lines: Vec<Line>,
    /// Uncertain inputs and risks the plan does not feel, left out unless all are asked for.
    pub(super) left_out: usize,
}

/// Which inputs and risks the plan feels, the median world, and the tornado's lines; refuses
/// a correlation run too big to keep in memory before any work is done.
pub(super) fn setup(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
) -> Result<Setup, SensitivityError> {
    let seed = options.seed;
    let sampler = Sampler::new(model, seed, Method::MonteCarlo, 1, &[]);
    let roles = roles(model);
    let felt = felt_by_plan(model, &roles, plan);
    let risk_names = risk_variates(model);
    // (feature, risk index within it) of each risk, in model order.
    let risks: Vec<(usize, usize)> = model
        .features
        .iter()
        .enumerate()
        .flat_map(|(f, feature)| (0..feature.risks.len()).map(move |r| (f, r)))
        .collect();
    // A risk that surely happens (or surely does not) is no more uncertain than a constant.
    let risk_uncertain: Vec<bool> = risks
        .iter()
        .map(|&(f, r)| {
            let p = model.features[f].risks[r].probability;
            p > 0.0 && p < 1.0
        })
        .collect();
    let risk_felt: Vec<bool> = risks
        .iter()
        .map(|&(f, _)| plan.periods.get(f).copied().flatten().is_some())
        .collect();

    // The correlation run keeps every trial's draws of these: refuse before any work is done.
    let felt_inputs: Vec<usize> = (0..model.inputs.len())
        .filter(|&i| felt[i] && !model.inputs[i].dist.is_constant())
        .collect();
    let felt_risks: Vec<usize> = (0..risks.len())
        .filter(|&r| risk_felt[r] && risk_uncertain[r])
        .collect();
    let cells = (1 + felt_inputs.len() + felt_risks.len()) as u64 * options.trials;
    if cells > MAX_DRAWS_IN_MEMORY {
        return Err(SensitivityError::TooManyDraws {
            trials: options.trials,
            cells,
            max: MAX_DRAWS_IN_MEMORY,
        });
    }

    let median = World {
        values: (0..model.inputs.len())
            .map(|i| sampler.value_at(i, 0.5))
            .collect(),
        // A common risk's hit: the risk at its likelier outcome, then the hit at its likelier
        // outcome given the risk.
        happens: risks
            .iter()
            .map(|&(f, r)| {
                let risk = &model.features[f].risks[r];
                match risk.common {
                    Some(hit) => {
                        model.common_risks[hit.risk].probability >= 0.5 && hit.given >= 0.5
                    }
                    None => risk.probability >= 0.5,
                }
            })
            .collect(),
    };

    let mut lines = Vec::new();
    let mut left_out = 0;
    for (i, input) in model.inputs.iter().enumerate() {
        if input.dist.is_constant() {
            continue;
        }
        if !felt[i] && !options.all {
            left_out += 1;
            continue;
        }
        let low = sampler.value_at(i, LOW_QUANTILE);
        let high = sampler.value_at(i, HIGH_QUANTILE);
        lines.push(Line {
            input: input.name.clone(),
            label: label(model, roles[i], &input.name),
            kind: InputKind::Input,
            probability: None,
            low: Moved::Input(i, low),
            high: Moved::Input(i, high),
            values: (low, median.values[i], high),
            affects_plan: felt[i],
        });
    }
    for (r, &(f, k)) in risks.iter().enumerate() {
        // A common risk's hits move together, on the common risk's own line below.
        if !risk_uncertain[r] || model.features[f].risks[k].common.is_some() {
            continue;
        }
        if !risk_felt[r] && !options.all {
            left_out += 1;
            continue;
        }
        let p = model.features[f].risks[k].probability;
        // The 10th and 90th percentiles of the 0/1 outcome "it happens".
        let (low, high) = (p > 1.0 - LOW_QUANTILE, p > 1.0 - HIGH_QUANTILE);
        let as_number = |b: bool| if b { 1.0 } else { 0.0 };
        lines.push(Line {
            input: risk_names[r].clone(),
            label: risk_label(model, f, k),
            kind: InputKind::Risk,
            probability: Some(p),
            low: Moved::Risk(r, low),
            high: Moved::Risk(r, high),
            values: (
                as_number(low),
                as_number(median.happens[r]),
                as_number(high),
            ),
            affects_plan: risk_felt[r],
        });
    }
    left_out += common_risk_lines(model, &risks, &risk_felt, options.all, &mut lines);
    Ok(Setup {
        roles,
        risk_names,
        risks,
        felt_inputs,
        felt_risks,
        median,
        lines,
        left_out,
    })
}

/// One tornado line per common risk the plan feels: the risk happens or not, with every
/// feature it hits. Returns how many it leaves out because the plan does not feel them.
fn common_risk_lines(
    model: &Model,
    risks: &[(usize, usize)],
    risk_felt: &[bool],
    all: bool,
    lines: &mut Vec<Line>,
) -> usize {
    let mut left_out = 0;
    for (c, common) in model.common_risks.iter().enumerate() {
        let hits: Vec<usize> = (0..risks.len())
            .filter(|&r| {
                let (f, k) = risks[r];
                model.features[f].risks[k]
                    .common
                    .is_some_and(|h| h.risk == c)
            })
            .collect();
        let p = common.probability;
        if hits.is_empty() || p <= 0.0 || p >= 1.0 {
            continue;
        }
        let felt = hits.iter().any(|&r| risk_felt[r]);
        if !felt && !all {
            left_out += 1;
            continue;
        }
        let (low, high) = (p > 1.0 - LOW_QUANTILE, p > 1.0 - HIGH_QUANTILE);
        let as_number = |b: bool| if b { 1.0 } else { 0.0 };
        lines.push(Line {
            input: format!("risks[{}]", common.id),
            label: common_risk_label(model, c, hits.len()),
            kind: InputKind::Risk,
            probability: Some(p),
            low: Moved::Common(c, low),
            high: Moved::Common(c, high),
            values: (as_number(low), as_number(p >= 0.5), as_number(high)),
            affects_plan: felt,
        });
    }
    left_out
}

/// Every point with the plan held: one bar per line, and the median world's NPV.
pub(super) fn screen(
    model: &Model,
    plan: &Plan,
    seed: u64,
    setup: &Setup,
) -> (Vec<TornadoEntry>, f64) {
    let (median, lines) = (&setup.median, &setup.lines);
    // Screen: every point with the plan held.
    let mut points: Vec<Moved> = vec![Moved::Nothing];
    for line in lines {
        points.push(line.low);
        points.push(line.high);
    }
    let held: Vec<f64> = points
        .par_iter()
        .map(|&moved| pinned_npv(&median.pinned(model, moved), plan, seed))
        .collect();
    let held_base = held[0];
    let bars: Vec<TornadoEntry> = lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let (low_npv, high_npv) = (held[1 + 2 * n], held[2 + 2 * n]);
            TornadoEntry {
                input: line.input.clone(),
                label: line.label.clone(),
                kind: line.kind,
                probability: line.probability,
                low_value: line.values.0,
                median_value: line.values.1,
                high_value: line.values.2,
                low_npv,
                high_npv,
                swing: (high_npv - low_npv).abs(),
                base_npv: held_base,
                low_basis: Basis::Held,
                high_basis: Basis::Held,
                held_low_npv: low_npv,
                held_high_npv: high_npv,
                affects_plan: line.affects_plan,
            }
        })
        .collect();
    (bars, held_base)
}

/// Re-plans the median world and both ends of each line in `order` (the top of the screen),
/// updating their bars; returns the median world's NPV and its basis.
pub(super) fn replan_top(
    model: &Model,
    options: &SensitivityOptions,
    setup: &Setup,
    bars: &mut [TornadoEntry],
    order: &[usize],
    held_base: f64,
    progress: &dyn Progress,
) -> Result<(f64, Basis), SensitivityError> {
    let seed = options.seed;
    let (median, lines) = (&setup.median, &setup.lines);
    let replan_options = OptimizeOptions {
        mode: OptimizeMode::Deterministic,
        ..options.optimize.clone()
    };
    // The median world, then both ends of each of the top inputs.
    let mut jobs: Vec<(Moved, f64)> = vec![(Moved::Nothing, held_base)];
    for &n in order {
        jobs.push((lines[n].low, bars[n].held_low_npv));
        jobs.push((lines[n].high, bars[n].held_high_npv));
    }
    let replanned: Vec<Point> = jobs
        .par_iter()
        .map(|&(moved, held_npv)| {
            let point = replan(
                &median.pinned(model, moved),
                &replan_options,
                held_npv,
                seed,
            );
            progress.advance(1);
            point
        })
        .collect::<Result<_, _>>()?;
    let base_npv = replanned[0].npv;
    let base_basis = replanned[0].basis;
    for (j, &n) in order.iter().enumerate() {
        let (low, high) = (replanned[1 + 2 * j], replanned[2 + 2 * j]);
        let bar = &mut bars[n];
        bar.low_npv = low.npv;
        bar.high_npv = high.npv;
        bar.low_basis = low.basis;
        bar.high_basis = high.basis;
        bar.swing = (high.npv - low.npv).abs();
        bar.base_npv = base_npv;
    }
    Ok((base_npv, base_basis))
}
