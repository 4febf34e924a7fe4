//! Monte Carlo draws of the model's inputs: one uniform per input and trial from a
//! counter-based stream keyed by (seed, input name), turned into a value by the input's
//! inverse CDF, with rank correlations through a Gaussian copula. Nothing is global, so
//! results do not depend on threads, chunking or call order.

pub mod pert;
pub mod sampler;
pub mod special;
pub mod stream;

pub use sampler::{Batch, Draws, Method, Sampler, Triangular};

/// Names of the extra uniform variates that decide whether each risk event happens: one per
/// feature risk in model order (feature by feature), `features[<id>].risks[<name>]`, then one
/// per common risk, `risks[<id>]`. `simulate` and the capacity check draw them alike, so they
/// agree trial by trial; [`risk_draws`] reads them.
pub fn risk_variates(model: &crate::model::Model) -> Vec<String> {
    model
        .features
        .iter()
        .flat_map(|f| {
            f.risks
                .iter()
                .map(move |r| format!("features[{}].risks[{}]", f.id, r.name))
        })
        .chain(
            model
                .common_risks
                .iter()
                .map(|c| format!("risks[{}]", c.id)),
        )
        .collect()
}

/// How a feature risk's occurrence is read off the extra variates of [`risk_variates`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskDraw {
    /// The risk's own variate, and the threshold it must fall below.
    pub own: u32,
    pub threshold: f64,
    /// For a hit of a common risk: the common risk's variate and probability. The hit happens
    /// when the common risk does and, given that, with its own chance; so features hit by one
    /// common risk are hit in the same futures.
    pub common: Option<(u32, f64)>,
}

impl RiskDraw {
    #[inline(always)]
    pub fn occurs(&self, extra: &[f64]) -> bool {
        extra[self.own as usize] < self.threshold
            && self.common.is_none_or(|(v, p)| extra[v as usize] < p)
    }
}

/// One [`RiskDraw`] per feature risk, in model order. A risk whose probability is 0 or 1 (a
/// tornado's world, or a certain scenario) is decided by that alone.
pub fn risk_draws(model: &crate::model::Model) -> Vec<RiskDraw> {
    let own = model.features.iter().map(|f| f.risks.len()).sum::<usize>();
    model
        .features
        .iter()
        .flat_map(|f| f.risks.iter())
        .enumerate()
        .map(|(r, risk)| {
            let certain = risk.probability <= 0.0 || risk.probability >= 1.0;
            match risk.common {
                Some(hit) if !certain => {
                    let event = model.common_risks[hit.risk].probability;
                    RiskDraw {
                        own: r as u32,
                        threshold: hit.given,
                        common: Some(((own + hit.risk) as u32, event)),
                    }
                }
                _ => RiskDraw {
                    own: r as u32,
                    threshold: risk.probability,
                    common: None,
                },
            }
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
