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
            Dist::Constant { value } => fmt_short(*value),
            Dist::Pert { low, likely, high } => format!(
                "PERT {}/{}/{}",
                fmt_short(*low),
                fmt_short(*likely),
                fmt_short(*high)
            ),
            Dist::Triangular { low, likely, high } => format!(
                "triangular {}/{}/{}",
                fmt_short(*low),
                fmt_short(*likely),
                fmt_short(*high)
            ),
            Dist::Uniform { low, high } => {
                format!("uniform {}..{}", fmt_short(*low), fmt_short(*high))
            }
            Dist::Normal { mean, sd } => {
                format!("normal {} ± {}", fmt_short(*mean), fmt_short(*sd))
            }
            Dist::LogNormal { .. } => format!("lognormal, mean {}", fmt_short(self.mean())),
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

/// A number for people, in four significant digits at most: "0.1235", "12.75", "3,464", and
/// from ten thousand up in k, M, B and T with three ("114k", "3.4M"); past a thousand
/// trillion in scientific notation ("3.65e15"), never a run of digits nobody can read.
pub fn fmt_short(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let a = x.abs();
    if a >= 1e4 {
        return fmt_scaled(x);
    }
    if a >= 1e3 {
        return group_thousands(x);
    }
    if a == 0.0 {
        return "0".into();
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 4) as usize;
    let text = format!("{:.*}", decimals, x);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// `x` (|x| >= 10,000) in three significant digits with the largest unit that keeps it under
/// a thousand: 12.5k, 3.2M, 1.1B, 2.45T; scientific past 999T ("3.65e15").
pub fn fmt_scaled(x: f64) -> String {
    const UNITS: [(f64, &str); 4] = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    let trim = |text: String| {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    for (unit, suffix) in UNITS {
        let v = x / unit;
        let decimals = if v.abs() >= 100.0 {
            0
        } else if v.abs() >= 10.0 {
            1
        } else {
            2
        };
        let text = format!("{v:.decimals$}");
        // Rounding can carry into the next unit: 999,999 is 1M, not 1000k.
        if text.parse::<f64>().is_ok_and(|r| r.abs() < 1000.0) {
            return format!("{}{suffix}", trim(text));
        }
    }
    let text = format!("{x:.2e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{}e{exponent}", trim(mantissa.to_string())),
        None => text,
    }
}

/// 1234567 -> "1,234,567" (rounded to whole units).
pub fn group_thousands(x: f64) -> String {
    let negative = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && digits != "0" {
        format!("-{out}")
    } else {
        out
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
    fn numbers_for_people_scale_and_round() {
        assert_eq!(fmt_short(113_921.631_8), "114k");
        assert_eq!(fmt_short(3_400_000.0), "3.4M");
        assert_eq!(fmt_short(12.75), "12.75");
        assert_eq!(fmt_short(0.123456), "0.1235");
        assert_eq!(fmt_short(3464.1), "3,464");
        assert_eq!(fmt_short(-0.00001), "0");
        assert_eq!(fmt_short(0.0), "0");
        assert_eq!(fmt_scaled(999_999.0), "1M");
        assert_eq!(fmt_scaled(999_400.0), "999k");
        assert_eq!(fmt_scaled(-2_450_000.0), "-2.45M");
        assert_eq!(fmt_scaled(3.6537e12), "3.65T");
        assert_eq!(fmt_scaled(999.4e12), "999T");
        // Past a thousand trillion, never "3653710B": scientific.
        assert_eq!(fmt_scaled(3.65371e15), "3.65e15");
        assert_eq!(fmt_scaled(999.9e12), "1e15");
        assert_eq!(fmt_scaled(-1e20), "-1e20");
        assert_eq!(group_thousands(-1_234_567.4), "-1,234,567");
    }

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
