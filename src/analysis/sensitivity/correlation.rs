//! Rank correlations of the plan's inputs with NPV over a Monte Carlo run.

use super::*;
use crate::model::rank::{average_ranks, pearson};

/// Spearman correlations of the plan's inputs with NPV over `options.trials` trials, and the
/// mean NPV. Trials run in chunks in parallel; each chunk's rows are collected in trial order,
/// and draws depend only on (seed, input, trial), so any thread count gives the same numbers.
/// `named` gives the input path, label and kind of each input, then each risk.
pub(super) fn rank_correlations(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    inputs: &[usize],
    risks: &[usize],
    named: &[(String, String, InputKind)],
) -> Result<(Vec<RankCorrelation>, f64), SensitivityError> {
    let trials = options.trials;
    let columns = 1 + inputs.len() + risks.len();
    let engine = Engine::new(
        model,
        &Schedule::Plan(plan.clone()),
        options.seed,
        Method::MonteCarlo,
        trials,
    );
    let draws = crate::sample::risk_draws(model);
    let chunks = trials.div_ceil(CHUNK_TRIALS);
    // Row-major per chunk: NPV, then each input's draw, then each risk's occurrence.
    let rows: Vec<Vec<f64>> = (0..chunks)
        .into_par_iter()
        .map_init(
            || engine.scratch(model.features.len()),
            |scratch, chunk| {
                let first = chunk * CHUNK_TRIALS;
                let last = (first + CHUNK_TRIALS).min(trials);
                let mut out = Vec::with_capacity((last - first) as usize * columns);
                for trial in first..last {
                    let money = engine.run_trial(trial, scratch);
                    out.push(money.npv);
                    out.extend(inputs.iter().map(|&i| scratch.draws.values[i]));
                    out.extend(risks.iter().map(|&r| {
                        if draws[r].occurs(&scratch.draws.extra) {
                            1.0
                        } else {
                            0.0
                        }
                    }));
                }
                out
            },
        )
        .collect();
    let column = |c: usize| -> Vec<f64> {
        rows.iter()
            .flat_map(|chunk| chunk.iter().skip(c).step_by(columns).copied())
            .collect()
    };
    let npv = column(0);
    let npv_mean = if npv.is_empty() {
        0.0
    } else {
        npv.iter().sum::<f64>() / npv.len() as f64
    };
    let npv_ranks = average_ranks(&npv);
    let mut correlations: Vec<RankCorrelation> = (1..columns)
        .into_par_iter()
        .filter_map(|c| {
            let rho = pearson(&average_ranks(&column(c)), &npv_ranks)?;
            let (input, label, kind) = &named[c - 1];
            Some(RankCorrelation {
                input: input.clone(),
                label: label.clone(),
                kind: *kind,
                rho,
            })
        })
        .collect();
    correlations.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
    Ok((correlations, npv_mean))
}
