//! Monte Carlo draws of the model's inputs: one uniform per input and trial from a
//! counter-based stream keyed by (seed, input name), turned into a value by the input's
//! inverse CDF, with rank correlations through a Gaussian copula. Nothing is global, so
//! results do not depend on threads, chunking or call order.

pub mod pert;
pub mod sampler;
pub mod special;
pub mod stream;

pub use sampler::{Batch, Draws, Method, Sampler, Triangular};

/// Names of the extra uniform variates that decide whether each risk event happens, in model
/// order (feature by feature): `features[<id>].risks[<name>]`. `simulate` and the capacity check
/// draw them alike, so they agree trial by trial.
pub fn risk_variates(model: &crate::model::Model) -> Vec<String> {
    model
        .features
        .iter()
        .flat_map(|f| {
            f.risks
                .iter()
                .map(move |r| format!("features[{}].risks[{}]", f.id, r.name))
        })
        .collect()
}

/// The q-quantile of a sample (nearest rank on the sorted values); sorts in place.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let mut v = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quantile(&mut v, 0.8), 4.0);
        assert_eq!(quantile(&mut v, 0.0), 1.0);
        assert_eq!(quantile(&mut v, 1.0), 5.0);
    }
}
