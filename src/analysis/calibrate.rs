//! How good past estimates were, and the correction that would have made them honest.
//!
//! For each item the ratio r = actual / likely (or / the single estimate). Per team (and per
//! estimator and label when the history names them): the median, P10 and P90 of r, the share
//! of actuals inside [low, high] and inside the estimate's own PERT P10-P90, and the mean and
//! standard deviation of ln r. The fit: bias b = exp(mean ln r); widening w, the smallest in
//! [0.25, 8] (bisection to 0.01) for which at least 80% of actuals fall inside the P10-P90 of
//! the corrected PERT [b·m·(l/m)^w, b·m, b·m·(h/m)^w]. scenarios/README.md documents it.

use crate::sample::pert::pert_shape;
use crate::sample::special::{beta_quantile, ln_beta};
use crate::scenario::history::{Estimate, HistoryItem};
use serde::Serialize;
use std::collections::BTreeMap;

/// A group with fewer items is reported but not fitted: five points give no stable bias.
pub const MIN_ITEMS: usize = 5;
/// The share of actuals a calibrated P10-P90 holds.
pub const TARGET: f64 = 0.8;
pub const WIDENING_RANGE: (f64, f64) = (0.25, 8.0);
const WIDENING_STEP: f64 = 0.01;
/// The grid on which the first covering widening is looked for before bisection.
const GRID_STEP: f64 = 0.05;

/// What a history says about one group's estimates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCalibration {
    /// The team, estimator or label.
    #[serde(skip)]
    pub name: String,
    pub items: usize,
    pub median_ratio: f64,
    pub p10_ratio: f64,
    pub p90_ratio: f64,
    /// Share of actuals inside [low, high]; none when every estimate was a single number.
    pub within_range: Option<f64>,
    /// Share of actuals inside each estimate's own PERT P10-P90 (0.8 if calibrated).
    pub within_p10_p90: Option<f64>,
    pub log_ratio_mean: f64,
    pub log_ratio_sd: f64,
    /// exp(mean ln r); none when not fitted.
    pub bias: Option<f64>,
    /// None when not fitted; 1 when there was no range to widen.
    pub widening: Option<f64>,
    /// Why the fit is missing or partial.
    pub note: Option<FitNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtest: Option<Backtest>,
}

/// Why a group's fit is missing or partial.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum FitNote {
    /// Fewer than [`MIN_ITEMS`] items: reported, not fitted.
    TooFew { items: usize },
    /// Every estimate a single number: the bias is fitted, there is no range to widen.
    SingleOnly,
    /// No widening in [`WIDENING_RANGE`] brings [`TARGET`] of actuals inside; the best one and
    /// the share it holds.
    NoWidening { best: f64, share: f64 },
}

/// Leave-one-quarter-out: each quarter's items judged by a fit on the other quarters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub quarters: usize,
    /// Held-out three-point items.
    pub items: usize,
    pub within_p10_p90_calibrated: f64,
    pub within_p10_p90_raw: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub source: String,
    pub teams: Vec<GroupCalibration>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub estimators: Vec<GroupCalibration>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<GroupCalibration>,
}

/// Analyses a history: every team, estimator and label.
pub fn calibrate(source: &str, items: &[HistoryItem]) -> Calibration {
    let group = |key: &dyn Fn(&HistoryItem) -> Option<&String>, backtest: bool| {
        let mut groups: BTreeMap<&String, Vec<&HistoryItem>> = BTreeMap::new();
        for item in items {
            if let Some(k) = key(item) {
                groups.entry(k).or_default().push(item);
            }
        }
        groups
            .into_iter()
            .map(|(name, members)| {
                let mut g = analyse(name, &members);
                if backtest {
                    g.backtest = leave_one_quarter_out(&members);
                }
                g
            })
            .collect::<Vec<_>>()
    };
    Calibration {
        source: source.to_string(),
        teams: group(&|i| Some(&i.team), true),
        estimators: group(&|i| i.estimator.as_ref(), false),
        labels: group(&|i| i.label.as_ref(), false),
    }
}

fn ratio(item: &HistoryItem) -> f64 {
    item.actual / item.estimate.likely()
}

/// P10 and P90 of PERT [l, m, h].
pub fn pert_p10_p90(low: f64, likely: f64, high: f64) -> (f64, f64) {
    if high <= low {
        return (low, high);
    }
    let (a, b) = pert_shape(low, likely, high);
    let ln_b = ln_beta(a, b);
    let at = |u| low + (high - low) * beta_quantile(a, b, ln_b, u);
    (at(0.1), at(0.9))
}

/// The corrected three-point estimate: [b·m·(l/m)^w, b·m, b·m·(h/m)^w].
pub fn corrected(low: f64, likely: f64, high: f64, bias: f64, widening: f64) -> [f64; 3] {
    let m = bias * likely;
    [
        m * (low / likely).powf(widening),
        m,
        m * (high / likely).powf(widening),
    ]
}

/// Share of three-point items whose actual falls inside their (corrected) P10-P90; none
/// when no item has a range.
fn coverage(items: &[&HistoryItem], bias: f64, widening: f64) -> Option<f64> {
    let mut inside = 0usize;
    let mut total = 0usize;
    for item in items {
        if let Estimate::Three { low, likely, high } = item.estimate {
            let [l, m, h] = corrected(low, likely, high, bias, widening);
            let (p10, p90) = pert_p10_p90(l, m, h);
            total += 1;
            inside += usize::from(item.actual >= p10 && item.actual <= p90);
        }
    }
    (total > 0).then(|| inside as f64 / total as f64)
}

/// Quantile with linear interpolation between order statistics ((n - 1)·q), so that the
/// median of an even count is the mean of the middle two.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

/// The fitted bias, widening and a note; none for a group too small.
fn fit(items: &[&HistoryItem]) -> (Option<f64>, Option<f64>, Option<FitNote>) {
    if items.len() < MIN_ITEMS {
        return (None, None, Some(FitNote::TooFew { items: items.len() }));
    }
    let logs: Vec<f64> = items.iter().map(|i| ratio(i).ln()).collect();
    let bias = (logs.iter().sum::<f64>() / logs.len() as f64).exp();
    let Some(_) = coverage(items, bias, 1.0) else {
        return (Some(bias), Some(1.0), Some(FitNote::SingleOnly));
    };
    let share = |w: f64| coverage(items, bias, w).unwrap_or(0.0);
    let covers = |w: f64| share(w) >= TARGET - 1e-12;
    // Coverage is not monotone in w: a range widened far enough in log terms puts its mass
    // so high that the P10 passes the actuals. So the first covering w is found on a grid,
    // then bisected to WIDENING_STEP between it and the grid point before.
    let (lo_end, hi_end) = WIDENING_RANGE;
    let grid: Vec<f64> = (0..)
        .map(|k| lo_end + GRID_STEP * k as f64)
        .take_while(|w| *w <= hi_end + 1e-9)
        .collect();
    let Some(k) = grid.iter().position(|w| covers(*w)) else {
        let best = grid
            .iter()
            .copied()
            .max_by(|a, b| share(*a).total_cmp(&share(*b)).then(b.total_cmp(a)))
            .unwrap_or(1.0);
        let best = (best * 100.0).round() / 100.0;
        return (
            Some(bias),
            Some(best),
            Some(FitNote::NoWidening {
                best,
                share: share(best),
            }),
        );
    };
    let (mut lo, mut hi) = (grid[k.saturating_sub(1)], grid[k]);
    if k == 0 {
        lo = hi;
    }
    while hi - lo > WIDENING_STEP {
        let mid = (lo + hi) / 2.0;
        if covers(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // Reported to two decimals, rounded up so that the reported value still covers.
    let widening = (hi * 100.0).ceil() / 100.0;
    (Some(bias), Some(widening), None)
}

fn analyse(name: &str, items: &[&HistoryItem]) -> GroupCalibration {
    let mut ratios: Vec<f64> = items.iter().map(|i| ratio(i)).collect();
    ratios.sort_by(f64::total_cmp);
    let logs: Vec<f64> = ratios.iter().map(|r| r.ln()).collect();
    let n = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let sd = if logs.len() > 1 {
        (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let ranged: Vec<(f64, f64, f64, f64)> = items
        .iter()
        .filter_map(|i| match i.estimate {
            Estimate::Three { low, likely, high } => Some((low, likely, high, i.actual)),
            Estimate::Single(_) => None,
        })
        .collect();
    let within_range = (!ranged.is_empty()).then(|| {
        ranged
            .iter()
            .filter(|(l, _, h, a)| a >= l && a <= h)
            .count() as f64
            / ranged.len() as f64
    });
    let (bias, widening, note) = fit(items);
    GroupCalibration {
        name: name.to_string(),
        items: items.len(),
        median_ratio: quantile(&ratios, 0.5),
        p10_ratio: quantile(&ratios, 0.1),
        p90_ratio: quantile(&ratios, 0.9),
        within_range,
        within_p10_p90: coverage(items, 1.0, 1.0),
        log_ratio_mean: mean,
        log_ratio_sd: sd,
        bias,
        widening,
        note,
        backtest: None,
    }
}

/// Fits on all quarters but one and tests on that one, for every quarter with items; none
/// unless the items carry dates over at least two quarters.
fn leave_one_quarter_out(items: &[&HistoryItem]) -> Option<Backtest> {
    let mut quarters: Vec<i32> = items
        .iter()
        .filter_map(|i| i.finished.map(|d| d.quarter()))
        .collect();
    quarters.sort_unstable();
    quarters.dedup();
    if quarters.len() < 2 {
        return None;
    }
    let (mut total, mut calibrated, mut raw, mut used) = (0usize, 0.0, 0.0, 0usize);
    for q in &quarters {
        let in_q = |i: &&&HistoryItem| i.finished.map(|d| d.quarter()) == Some(*q);
        let train: Vec<&HistoryItem> = items.iter().filter(|i| !in_q(i)).copied().collect();
        let test: Vec<&HistoryItem> = items.iter().filter(in_q).copied().collect();
        let (Some(b), Some(w), _) = fit(&train) else {
            continue;
        };
        let n = test
            .iter()
            .filter(|i| matches!(i.estimate, Estimate::Three { .. }))
            .count();
        if n == 0 {
            continue;
        }
        used += 1;
        total += n;
        calibrated += coverage(&test, b, w).unwrap_or(0.0) * n as f64;
        raw += coverage(&test, 1.0, 1.0).unwrap_or(0.0) * n as f64;
    }
    (total > 0).then(|| Backtest {
        quarters: used,
        items: total,
        within_p10_p90_calibrated: calibrated / total as f64,
        within_p10_p90_raw: raw / total as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
    }

    #[test]
    fn corrected_keeps_likely_scaled_and_widens_in_log_terms() {
        let [l, m, h] = corrected(2.0, 4.0, 8.0, 1.5, 2.0);
        assert!((m - 6.0).abs() < 1e-12);
        assert!((l - 1.5).abs() < 1e-12);
        assert!((h - 24.0).abs() < 1e-12);
    }
}
