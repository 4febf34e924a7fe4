//! Probability distributions of the uncertain inputs, as plain parameters.
//!
//! Sampling lives in `sample/`; here are only the shapes and the closed-form facts
//! (mean, support) that validation and the capacity check need without drawing.

use serde::Serialize;

/// One uncertain number, already validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    Constant {
        value: f64,
    },
    /// Beta-PERT with the usual shape weight 4 on the most likely value.
    Pert {
        low: f64,
        likely: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        likely: f64,
        high: f64,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Parameters of the underlying normal: ln X ~ N(mu, sigma).
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Discrete {
        values: Vec<f64>,
        probabilities: Vec<f64>,
    },
}

/// z such that Phi(z) = 0.9; converts a lognormal's p10/p90 into (mu, sigma).
pub const Z90: f64 = 1.281_551_565_544_600_4;

impl Dist {
    pub fn constant(value: f64) -> Self {
        Dist::Constant { value }
    }

    pub fn is_constant(&self) -> bool {
        match self {
            Dist::Constant { .. } => true,
            Dist::Discrete { values, .. } => values.len() == 1,
            _ => false,
        }
    }

    /// Lognormal from its 10th and 90th percentiles (both > 0, p10 < p90).
    pub fn lognormal_from_p10_p90(p10: f64, p90: f64) -> Self {
        let mu = (p10.ln() + p90.ln()) / 2.0;
        let sigma = (p90.ln() - p10.ln()) / (2.0 * Z90);
        Dist::LogNormal { mu, sigma }
    }

    /// Lognormal from the mean and standard deviation of the quantity itself (mean > 0).
    pub fn lognormal_from_mean_sd(mean: f64, sd: f64) -> Self {
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Dist::LogNormal {
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    pub fn mean(&self) -> f64 {
        match self {
            Dist::Constant { value } => *value,
            Dist::Pert { low, likely, high } => (low + 4.0 * likely + high) / 6.0,
            Dist::Triangular { low, likely, high } => (low + likely + high) / 3.0,
            Dist::Uniform { low, high } => (low + high) / 2.0,
            Dist::Normal { mean, .. } => *mean,
            Dist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Discrete {
                values,
                probabilities,
            } => values.iter().zip(probabilities).map(|(v, p)| v * p).sum(),
        }
    }

    /// Smallest value the distribution can take (`-inf` for the normal).
    pub fn min(&self) -> f64 {
        match self {
            Dist::Constant { value } => *value,
            Dist::Pert { low, .. } | Dist::Triangular { low, .. } | Dist::Uniform { low, .. } => {
                *low
            }
            Dist::Normal { .. } => f64::NEG_INFINITY,
            Dist::LogNormal { .. } => 0.0,
            Dist::Discrete { values, .. } => values.iter().copied().fold(f64::INFINITY, f64::min),
        }
    }

    /// Largest value the distribution can take (`+inf` for normal and lognormal).
    pub fn max(&self) -> f64 {
        match self {
            Dist::Constant { value } => *value,
            Dist::Pert { high, .. }
            | Dist::Triangular { high, .. }
            | Dist::Uniform { high, .. } => *high,
            Dist::Normal { .. } | Dist::LogNormal { .. } => f64::INFINITY,
            Dist::Discrete { values, .. } => {
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            }
        }
    }

    /// A short human form, as a product lead would write it.
    pub fn describe(&self) -> String {
        match self {
            Dist::Constant { value } => fmt_num(*value),
            Dist::Pert { low, likely, high } => format!(
                "PERT {}/{}/{}",
                fmt_num(*low),
                fmt_num(*likely),
                fmt_num(*high)
            ),
            Dist::Triangular { low, likely, high } => format!(
                "triangular {}/{}/{}",
                fmt_num(*low),
                fmt_num(*likely),
                fmt_num(*high)
            ),
            Dist::Uniform { low, high } => {
                format!("uniform {}..{}", fmt_num(*low), fmt_num(*high))
            }
            Dist::Normal { mean, sd } => format!("normal {} ± {}", fmt_num(*mean), fmt_num(*sd)),
            Dist::LogNormal { .. } => format!("lognormal, mean {}", fmt_num(self.mean())),
            Dist::Discrete { values, .. } => format!("{} discrete values", values.len()),
        }
    }
}

/// Shortest faithful decimal form of a number (integers without a fraction).
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl Dist {
    /// The same distribution in another unit: every value multiplied by `k` (k > 0).
    pub fn scaled(&self, k: f64) -> Dist {
        match self {
            Dist::Constant { value } => Dist::Constant { value: value * k },
            Dist::Pert { low, likely, high } => Dist::Pert {
                low: low * k,
                likely: likely * k,
                high: high * k,
            },
            Dist::Triangular { low, likely, high } => Dist::Triangular {
                low: low * k,
                likely: likely * k,
                high: high * k,
            },
            Dist::Uniform { low, high } => Dist::Uniform {
                low: low * k,
                high: high * k,
            },
            Dist::Normal { mean, sd } => Dist::Normal {
                mean: mean * k,
                sd: sd * k,
            },
            Dist::LogNormal { mu, sigma } => Dist::LogNormal {
                mu: mu + k.ln(),
                sigma: *sigma,
            },
            Dist::Discrete {
                values,
                probabilities,
            } => Dist::Discrete {
                values: values.iter().map(|v| v * k).collect(),
                probabilities: probabilities.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_from_percentiles_round_trips_the_median_and_mean() {
        let d = Dist::lognormal_from_p10_p90(300.0, 700.0);
        let Dist::LogNormal { mu, sigma } = d else {
            unreachable!()
        };
        // The median of a lognormal is the geometric mean of symmetric percentiles.
        assert!((mu.exp() - (300.0f64 * 700.0).sqrt()).abs() < 1e-9);
        assert!(((mu + Z90 * sigma).exp() - 700.0).abs() < 1e-9);
        let m = Dist::lognormal_from_mean_sd(500.0, 150.0);
        assert!((m.mean() - 500.0).abs() < 1e-9);
    }

    #[test]
    fn pert_mean_is_the_weighted_three_point_mean() {
        let d = Dist::Pert {
            low: 3.0,
            likely: 5.0,
            high: 13.0,
        };
        assert_eq!(d.mean(), 6.0);
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(fmt_num(7490.0), "7490");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(1.0 / 3.0), "0.3333");
    }
}
