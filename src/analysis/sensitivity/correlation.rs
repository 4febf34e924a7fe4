//! Rank correlations of the plan's inputs with NPV over a Monte Carlo run.

use super::*;

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
    let probabilities: Vec<f64> = model
        .features
        .iter()
        .flat_map(|f| f.risks.iter().map(|r| r.probability))
        .collect();
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
                        if scratch.draws.extra[r] < probabilities[r] {
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

/// Ranks 1..=n of `values`, ties sharing the average of the ranks they span (so [10, 20, 20,
/// 30] ranks [1, 2.5, 2.5, 4]).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their average:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson correlation; `None` when either side does not vary (or fewer than 3 pairs).
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len().min(b.len());
    if n < 3 {
        return None;
    }
    let mean = |x: &[f64]| x[..n].iter().sum::<f64>() / n as f64;
    let (ma, mb) = (mean(a), mean(b));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a[..n].iter().zip(&b[..n]) {
        let (dx, dy) = (x - ma, y - mb);
        ab += dx * dy;
        aa += dx * dx;
        bb += dy * dy;
    }
    (aa > 0.0 && bb > 0.0).then(|| (ab / (aa * bb).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation, ties at their average rank.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    pearson(&average_ranks(a), &average_ranks(b))
}
