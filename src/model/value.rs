//! How money is counted over time: monthly value flows with the adoption ramp up to the
//! horizon, monthly discounting, and the discount factors of costs and penalties. The
//! simulator and the optimizer both use these numbers, so that a plan's in-sample objective
//! and its simulated NPV mean the same thing.
//!
//! Conventions (scenarios/README.md, "How value and cost are counted"):
//! - month m is the interval [m, m+1) months from the plan start; its flows are discounted at
//!   its end, by (1 + rate)^-((m+1)/12); a one-off at time t months by (1 + rate)^-(t/12);
//! - a feature delivered in period p is released at the end of p and earns value from then to
//!   the horizon: in month m, value x the integral over the month of the ramp level (0 at
//!   release, rising linearly to 1 after `ramp_months`);
//! - team work in period p is paid as a uniform flow over the period.

use super::time::{TimeFrame, WEEKS_PER_MONTH};

#[derive(Debug, Clone)]
pub struct MoneyCalendar {
    /// Months of flows: ceil(horizon_months).
    pub months: usize,
    pub horizon_months: f64,
    /// ln(1 + annual rate) / 12: the discount exponent per month.
    pub log_rate_per_month: f64,
    /// Discount factor of month m's flows (at its end).
    pub month_discount: Vec<f64>,
    /// The part of month m before the horizon: 1, or less in a last month the horizon cuts.
    pub month_part: Vec<f64>,
    /// Discount factor of a one-off at the end of period p.
    pub period_end_discount: Vec<f64>,
    /// Discount factor of a flow spread evenly over period p.
    pub period_flow_discount: Vec<f64>,
    /// Months that period p overlaps, with the share of the period in each.
    pub period_months: Vec<Vec<(usize, f64)>>,
    /// Distinct ramp lengths (months); features refer to them by index.
    pub ramps: Vec<f64>,
    /// weights[p][ramp][m]: value-months earned in month m per unit of monthly value, when
    /// released at the end of period p with that ramp.
    pub weights: Vec<Vec<Vec<f64>>>,
    /// The weights times the month discount: discounted value-months per month.
    pub discounted_weights: Vec<Vec<Vec<f64>>>,
    /// annuity[p][ramp] = sum over m of the discounted weights: discounted value-months.
    pub annuity: Vec<Vec<f64>>,
}

impl MoneyCalendar {
    pub fn new(time: &TimeFrame, ramps: &[f64]) -> Self {
        let horizon = time.horizon_months;
        let months = horizon.ceil().max(1.0) as usize;
        let log_rate_per_month = (1.0 + time.discount_rate).ln() / 12.0;
        let month_discount: Vec<f64> = (0..months)
            .map(|m| (-log_rate_per_month * (m + 1) as f64).exp())
            .collect();
        let month_part = (0..months)
            .map(|m| (horizon - m as f64).clamp(0.0, 1.0))
            .collect();
        let period_months_len = time.period_weeks / WEEKS_PER_MONTH;
        let period_end_discount = (0..time.periods)
            .map(|p| (-log_rate_per_month * time.period_end_months(p)).exp())
            .collect();
        let period_months: Vec<Vec<(usize, f64)>> = (0..time.periods)
            .map(|p| {
                let (start, end) = (
                    p as f64 * period_months_len,
                    (p + 1) as f64 * period_months_len,
                );
                (start.floor() as usize..(end.ceil() as usize).min(months))
                    .filter_map(|m| {
                        let overlap = (end.min(m as f64 + 1.0) - start.max(m as f64)).max(0.0);
                        (overlap > 0.0).then_some((m, overlap / period_months_len))
                    })
                    .collect()
            })
            .collect();
        let period_flow_discount = period_months
            .iter()
            .map(|shares| {
                shares
                    .iter()
                    .map(|&(m, share)| share * month_discount[m.min(months - 1)])
                    .sum()
            })
            .collect();
        // No ramp is always there: deals' monthly payments start in full.
        let mut ramps: Vec<f64> = ramps.iter().copied().chain([0.0]).collect();
        ramps.sort_by(f64::total_cmp);
        ramps.dedup();
        let weights: Vec<Vec<Vec<f64>>> = (0..time.periods)
            .map(|p| {
                let release = time.period_end_months(p);
                ramps
                    .iter()
                    .map(|&ramp| {
                        (0..months)
                            .map(|m| {
                                ramp_integral(
                                    release,
                                    ramp,
                                    m as f64,
                                    (m as f64 + 1.0).min(horizon),
                                )
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let discounted_weights: Vec<Vec<Vec<f64>>> = weights
            .iter()
            .map(|per_ramp: &Vec<Vec<f64>>| {
                per_ramp
                    .iter()
                    .map(|w| w.iter().zip(&month_discount).map(|(w, d)| w * d).collect())
                    .collect()
            })
            .collect();
        let annuity = discounted_weights
            .iter()
            .map(|per_ramp: &Vec<Vec<f64>>| per_ramp.iter().map(|w| w.iter().sum()).collect())
            .collect();
        MoneyCalendar {
            months,
            horizon_months: horizon,
            log_rate_per_month,
            month_discount,
            month_part,
            period_end_discount,
            period_flow_discount,
            period_months,
            ramps,
            weights,
            discounted_weights,
            annuity,
        }
    }

    /// Index of a ramp length given to [`MoneyCalendar::new`].
    pub fn ramp_index(&self, ramp_months: f64) -> usize {
        // Ramps are sorted and distinct: a backlog may give every feature a ramp of its own.
        let i = self.ramps.partition_point(|&r| r < ramp_months);
        match self.ramps.get(i) {
            Some(&r) if r == ramp_months => i,
            _ => 0,
        }
    }

    /// Discount factor of a one-off at `months` after the plan start.
    pub fn discount_at(&self, months: f64) -> f64 {
        (-self.log_rate_per_month * months).exp()
    }

    /// Discounted months of a flat flow of one currency unit a month from `from_months` to the
    /// horizon, grown by `growth` a month from the plan start: what a recurring cost of one a
    /// month (or one per customer of a segment growing at `growth`) costs, discounted.
    pub fn flow_from(&self, from_months: f64, growth: f64) -> f64 {
        flow_months(from_months, self.horizon_months)
            .map(|(m, part)| part * growth_factor(growth, m) * self.month_discount[m])
            .sum()
    }

    /// Discounted value-months when released at the end of `period` with ramp `ramp` and the
    /// flow growing by `growth` a month from the plan start (segment demand growth).
    pub fn growing_annuity(&self, period: usize, ramp: usize, growth: f64) -> f64 {
        if growth == 0.0 {
            return self.annuity[period][ramp];
        }
        let mut factor = 1.0;
        let mut sum = 0.0;
        for (w, d) in self.weights[period][ramp].iter().zip(&self.month_discount) {
            sum += w * d * factor;
            factor *= 1.0 + growth;
        }
        sum
    }

    /// Discounted value-months of a segment's uplift released at the end of `period` with ramp
    /// `ramp`: [`MoneyCalendar::growing_annuity`] for a segment read as demand per month, and
    /// [`MoneyCalendar::retained_flows`] summed for one read as a customer stock.
    pub fn segment_annuity(
        &self,
        period: usize,
        ramp: usize,
        growth: f64,
        retention: Option<f64>,
    ) -> f64 {
        match retention {
            None => self.growing_annuity(period, ramp, growth),
            Some(retention) => {
                let mut sum = 0.0;
                self.retained_flows(period, ramp, growth, retention, |_, x| sum += x);
                sum
            }
        }
    }

    /// The customer-stock reading, month by month: per unit of monthly value, the feature wins
    /// customers in month m in proportion to the month's ramp weight and the segment's growth
    /// (they pay from that month, as a flow would); every month after, `retention` of those
    /// still there stay and pay for the part of the month before the horizon. Calls
    /// `each(m, x)` with month m's discounted value-months. With a retention of 0 this is the
    /// demand reading: what a month wins it earns that month only.
    pub fn retained_flows(
        &self,
        period: usize,
        ramp: usize,
        growth: f64,
        retention: f64,
        mut each: impl FnMut(usize, f64),
    ) {
        let mut factor = 1.0;
        let mut carried = 0.0;
        for (m, w) in self.weights[period][ramp].iter().enumerate() {
            let won = w * factor;
            each(
                m,
                (won + self.month_part[m] * carried) * self.month_discount[m],
            );
            carried = retention * (carried + won);
            factor *= 1.0 + growth;
        }
    }
}

/// The months a flat monthly flow running from `from` to `until` (months after the plan start)
/// touches, each with the part of it the flow covers (month m is [m, m + 1)): how a recurring
/// cost is counted, as a value with no ramp is.
pub fn flow_months(from: f64, until: f64) -> impl Iterator<Item = (usize, f64)> {
    let first = from.max(0.0).floor() as usize;
    let end = until.max(0.0).ceil() as usize;
    (first..end).filter_map(move |m| {
        let part = until.min(m as f64 + 1.0) - from.max(m as f64);
        (part > 0.0).then_some((m, part))
    })
}

/// (1 + growth)^m: a segment's demand in month m relative to the plan start.
pub fn growth_factor(growth: f64, month: usize) -> f64 {
    if growth == 0.0 {
        1.0
    } else {
        (1.0 + growth).powi(month as i32)
    }
}

/// Integral over [a, b] (months) of the ramp level of a release at `release` with a linear
/// ramp of `ramp` months: 0 before the release, (t - release) / ramp during the ramp, 1 after.
pub fn ramp_integral(release: f64, ramp: f64, a: f64, b: f64) -> f64 {
    let a = a.max(release);
    if b <= a {
        return 0.0;
    }
    if ramp <= 0.0 {
        return b - a;
    }
    let full = release + ramp;
    let mut total = 0.0;
    let (ra, rb) = (a, b.min(full));
    if rb > ra {
        total += ((rb - release).powi(2) - (ra - release).powi(2)) / (2.0 * ramp);
    }
    let (fa, fb) = (a.max(full), b);
    if fb > fa {
        total += fb - fa;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_integrate_to_the_area_under_the_curve() {
        // A 3-month ramp from month 2: the first three months earn 1/6, 1/2, 5/6 of a month.
        assert!((ramp_integral(2.0, 3.0, 2.0, 3.0) - 1.0 / 6.0).abs() < 1e-15);
        assert!((ramp_integral(2.0, 3.0, 3.0, 4.0) - 0.5).abs() < 1e-15);
        assert!((ramp_integral(2.0, 3.0, 4.0, 5.0) - 5.0 / 6.0).abs() < 1e-15);
        assert!((ramp_integral(2.0, 3.0, 5.0, 6.0) - 1.0).abs() < 1e-15);
        assert_eq!(ramp_integral(2.0, 0.0, 0.0, 1.0), 0.0);
        assert!((ramp_integral(2.0, 0.0, 1.5, 3.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn a_flat_flow_counts_the_parts_of_months_it_covers() {
        let parts: Vec<(usize, f64)> = flow_months(1.5, 4.0).collect();
        assert_eq!(parts, vec![(1, 0.5), (2, 1.0), (3, 1.0)]);
        assert_eq!(flow_months(4.0, 4.0).count(), 0);
        let t = TimeFrame::new(4, 13.0, "2027Q1", 24.0, 0.12);
        let c = MoneyCalendar::new(&t, &[0.0]);
        // From a release at the end of Q2, a flat flow is a value with no ramp.
        let no_ramp = c.ramp_index(0.0);
        assert!((c.flow_from(6.0, 0.0) - c.annuity[1][no_ramp]).abs() < 1e-12);
        assert!((c.flow_from(6.0, 0.01) - c.growing_annuity(1, no_ramp, 0.01)).abs() < 1e-12);
    }

    #[test]
    fn quarters_release_at_whole_months_and_discount_monthly() {
        let t = TimeFrame::new(4, 13.0, "2027Q1", 24.0, 0.12);
        let c = MoneyCalendar::new(&t, &[0.0]);
        assert_eq!(c.months, 24);
        // Released at the end of Q2 (month 6): 18 full months of value.
        let months: f64 = c.weights[1][0].iter().sum();
        assert!((months - 18.0).abs() < 1e-12);
        let r = 1.12f64.powf(1.0 / 12.0);
        let expected: f64 = (7..=24).map(|m| r.powi(-m)).sum();
        assert!((c.annuity[1][0] - expected).abs() < 1e-12);
        assert!((c.period_end_discount[1] - r.powi(-6)).abs() < 1e-12);
        // A quarter's team cost is paid over its three months.
        let q1 = (r.powi(-1) + r.powi(-2) + r.powi(-3)) / 3.0;
        assert!((c.period_flow_discount[0] - q1).abs() < 1e-12);
    }
}
