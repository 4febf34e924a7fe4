//! Prioritisation-framework fields (RICE, MoSCoW, WSJF): noisy guesses of the model's values.

use super::*;

impl Generator<'_> {
    /// Framework scores as a product team guesses them: correlated with the model's values,
    /// noisy, on coarse scales, and blind to price (reach counts accounts, not revenue).
    pub(super) fn make_framework_fields(&mut self) {
        let n = self.features.len();
        let values: Vec<f64> = self
            .features
            .iter()
            .map(|f| f.expected_value(&self.segments))
            .collect();
        let guess = |g: &mut Self, noise: f64| -> Vec<f64> {
            values
                .iter()
                .map(|v| {
                    let base = if *v > 0.0 {
                        v.ln()
                    } else {
                        g.median_value.ln() - 1.5
                    };
                    base + noise * g.normal()
                })
                .collect()
        };
        let impact_guess = guess(self, 0.7);
        let bv_guess = guess(self, 0.7);
        let moscow_guess = guess(self, 0.9);
        let impact_rank = ranks(&impact_guess);
        let bv_rank = ranks(&bv_guess);
        let moscow_rank = ranks(&moscow_guess);
        for i in 0..n {
            let reach = if self.features[i].enabler {
                0.0
            } else if self.features[i].uplift.is_empty() {
                // Users who notice it, at a few dollars of value each per month.
                let per_user = (4.0_f64.ln() + 0.9 * self.normal()).exp();
                values[i] / per_user
            } else {
                let mut accounts = 0.0;
                for k in 0..self.features[i].uplift.len() {
                    let s = self.features[i].uplift[k].0;
                    accounts += self.segments[s].demand_mean() * self.uniform(0.05, 0.5);
                }
                accounts * (0.5 * self.normal()).exp()
            };
            let reach = if reach >= 10.0 {
                sig(reach, 2)
            } else {
                reach.round()
            };
            let impact = match impact_rank[i] {
                r if r < 0.08 => 3.0,
                r if r < 0.3 => 2.0,
                r if r < 0.7 => 1.0,
                r if r < 0.9 => 0.5,
                _ => 0.25,
            };
            let noise = self.normal();
            let f = &self.features[i];
            let width = match (&f.value, f.uplift.first()) {
                (_, Some((_, u))) => (u.high - u.low) / u.mean(),
                (Some(v), None) => (v.high - v.low) / v.mean(),
                (None, None) => 1.0,
            };
            // Big bets are where teams admit doubt.
            let doubt = if f.big_bet { 0.15 } else { 0.0 };
            let confidence_raw = 1.05 - 0.2 * width - doubt + 0.08 * noise;
            let confidence = (confidence_raw * 10.0).round().clamp(5.0, 10.0) / 10.0;
            let likely_weeks = f.likely_weeks();
            let ease = (10.5 - 2.2 * likely_weeks.ln() + 0.9 * self.normal())
                .round()
                .clamp(1.0, 10.0);
            let f = &self.features[i];
            let (mandatory, deadline, dated_deal, area, theme) =
                (f.mandatory, f.deadline, f.in_dated_deal, f.area, f.theme);
            let moscow = if mandatory {
                "must"
            } else {
                match (deadline, moscow_rank[i]) {
                    (Some((_, DeadlineKind::Hard)), _) if self.chance(0.5) => "must",
                    (_, r) if r < 0.06 => "must",
                    (_, r) if r < 0.4 => "should",
                    (_, r) if r < 0.9 => "could",
                    _ => "wont",
                }
            };
            let business_value = match bv_rank[i] {
                r if r < 0.05 => 21.0,
                r if r < 0.15 => 13.0,
                r if r < 0.35 => 8.0,
                r if r < 0.6 => 5.0,
                r if r < 0.8 => 3.0,
                r if r < 0.92 => 2.0,
                _ => 1.0,
            };
            let time_criticality = match deadline {
                Some((_, DeadlineKind::Hard)) => self.pick(&[13.0, 21.0]),
                Some((_, DeadlineKind::Soft { .. })) => self.pick(&[8.0, 13.0]),
                None if mandatory => self.pick(&[5.0, 8.0, 13.0]),
                None if dated_deal => self.pick(&[5.0, 8.0]),
                None => FIBONACCI[self.weighted(&[0.35, 0.3, 0.2, 0.1, 0.05])],
            };
            let reliability = theme.is_some_and(|k| self.themes[k].id == "reliability");
            let risk_reduction = if reliability {
                self.pick(&[8.0, 13.0, 13.0, 21.0])
            } else if self.features[i].enabler {
                self.pick(&[5.0, 8.0])
            } else if area == Area::Enterprise {
                self.pick(&[3.0, 5.0, 8.0])
            } else {
                self.pick(&[1.0, 1.0, 2.0, 3.0])
            };
            self.features[i].framework = Framework {
                reach,
                impact,
                confidence,
                ease,
                moscow,
                business_value,
                time_criticality,
                risk_reduction,
            };
        }
    }
}

/// Fraction of features ranked above each (0 = the highest guess), ties by index.
pub(super) fn ranks(scores: &[f64]) -> Vec<f64> {
    let n = scores.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut rank = vec![0.0; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as f64 / n as f64;
    }
    rank
}
