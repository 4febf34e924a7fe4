//! Runs that keep every trial's NPV, for analyses that compare plans trial by trial on the
//! same futures (frontiers, what-ifs, tournaments) or draw the NPV histogram.

use super::{run, Engine, Progress, RawChunk, SimError, SimOptions, SimResult};
use crate::model::Model;

/// [`run`], also returning each trial's NPV in trial order.
pub fn run_keeping_npv(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    progress: &dyn Progress,
) -> Result<(SimResult, Vec<f64>), SimError> {
    let mut npv = vec![0.0; options.trials as usize];
    let mut sink = |chunk: &RawChunk| {
        for (i, row) in chunk.rows.chunks(chunk.stride).enumerate() {
            npv[chunk.first_trial as usize + i] = row[0];
        }
        Ok(())
    };
    let result = run(model, engine, options, progress, Some(&mut sink))?;
    Ok((result, npv))
}

/// The mean of the worst `1 - alpha` share of `values` (CVaR at `alpha` of a gain), counting
/// the boundary value fractionally, as the Rockafellar-Uryasev form does on a sample: with
/// 50 values and alpha 0.9, the mean of the worst 5.
pub fn cvar(values: &[f64], alpha: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let tail = ((1.0 - alpha) * sorted.len() as f64).max(f64::MIN_POSITIVE);
    let whole = (tail.floor() as usize).min(sorted.len());
    let mut sum: f64 = sorted[..whole].iter().sum();
    let rest = tail - whole as f64;
    if rest > 0.0 && whole < sorted.len() {
        sum += rest * sorted[whole];
    }
    sum / tail
}

#[cfg(test)]
mod tests {
    use super::cvar;

    #[test]
    fn cvar_is_the_mean_of_the_worst_tail_with_a_fractional_boundary() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        // Worst 10% of ten values: the smallest.
        assert_eq!(cvar(&v, 0.9), 1.0);
        // Worst 25%: 2.5 values -> (1 + 2 + 0.5 * 3) / 2.5.
        assert!((cvar(&v, 0.75) - 4.5 / 2.5).abs() < 1e-12);
        // alpha 0: the mean.
        assert!((cvar(&v, 0.0) - 5.5).abs() < 1e-12);
        // Order does not matter.
        let mut r = v.clone();
        r.reverse();
        assert_eq!(cvar(&r, 0.9), 1.0);
    }
}
