//! Segments and the values written through them, capacity sized against the backlog,
//! theme shares and the budget.

use super::*;

impl Generator<'_> {
    /// Segments sized so that the backlog's uplifts are plausible shares of their demand, then
    /// each feature's value written as a direct value, uplifts, or both.
    pub(super) fn make_segments(&mut self) {
        let count = segment_count(self.spec.features);
        let u = self.spec.uncertainty;
        let mut lifted = vec![0.0; count];
        for f in &self.features {
            for &(s, share) in &f.segment_shares {
                lifted[s] += share * f.target_value;
            }
        }
        for (s, kind) in SEGMENT_CATALOGUE.iter().take(count).enumerate() {
            let price = if kind.price_spread > 0.0 && u > 0.0 {
                let w = kind.price_spread * u.min(1.5);
                Est::new(
                    sig(kind.price * (1.0 - w), 2),
                    kind.price,
                    sig(kind.price * (1.0 + w), 2),
                )
            } else {
                Est::new(kind.price, kind.price, kind.price)
            };
            let growth = if kind.growth_spread > 0.0 && u > 0.0 {
                let w = kind.growth_spread * u.min(1.5);
                Est::new(
                    round_to(kind.growth - w, 1000.0),
                    kind.growth,
                    round_to(kind.growth + w, 1000.0),
                )
            } else {
                Est::new(kind.growth, kind.growth, kind.growth)
            };
            // The whole backlog together would win at most 30-50% of a segment's demand; a
            // segment is never smaller than a plausible market of its kind.
            let wins = self.uniform(0.3, 0.5);
            let mean_demand = (lifted[s] / wins / price.mean()).max(kind.nominal_demand);
            let sigma = 0.3 * u;
            let demand = if sigma > 0.0 {
                let median = mean_demand / (sigma * sigma / 2.0).exp();
                let spread = (1.281_551_565_544_600_4 * sigma).exp();
                let p10 = sig(median / spread, 2);
                let p90 = sig(median * spread, 2);
                if p10 < p90 {
                    (p10, p90)
                } else {
                    (sig(median, 2), sig(median, 2))
                }
            } else {
                (sig(mean_demand, 2), sig(mean_demand, 2))
            };
            self.segments.push(Segment {
                kind,
                demand,
                price,
                growth,
            });
        }
        for i in 0..self.features.len() {
            let f = &self.features[i];
            if f.enabler {
                continue;
            }
            let shares = f.segment_shares.clone();
            let target = f.target_value;
            let mut direct = target * (1.0 - shares.iter().map(|s| s.1).sum::<f64>());
            let mut uplift = Vec::new();
            for (s, share) in shares {
                let fraction = share * target / self.segments[s].pool();
                match self.fraction_estimate(fraction) {
                    Some(e) => uplift.push((s, e)),
                    // Too large a share of one segment: valued directly instead.
                    None => direct += share * target,
                }
            }
            let value = if direct > 0.01 * target || uplift.is_empty() {
                Some(self.value_estimate(direct.max(1.0)))
            } else {
                None
            };
            let f = &mut self.features[i];
            f.value = value;
            f.uplift = uplift;
        }
    }

    /// A PERT estimate whose mean is `mean`, rounded to two significant digits.
    pub(super) fn spread_estimate(&mut self, mean: f64, down: (f64, f64), up: (f64, f64)) -> Est {
        let u = self.spec.uncertainty;
        let a = (1.0 - u * self.uniform(down.0, down.1)).max(0.0);
        let b = 1.0 + u * self.uniform(up.0, up.1);
        let likely = mean * 6.0 / (a + 4.0 + b);
        Est::new(sig(likely * a, 2), sig(likely, 2), sig(likely * b, 2))
    }

    pub(super) fn value_estimate(&mut self, mean: f64) -> Est {
        self.spread_estimate(mean, (0.3, 0.45), (0.8, 1.4))
    }

    /// An uplift estimate with mean `fraction`, if it stays within [0, 1].
    pub(super) fn fraction_estimate(&mut self, fraction: f64) -> Option<Est> {
        let e = self.spread_estimate(fraction, (0.25, 0.4), (0.6, 1.2));
        (e.high <= 0.9 && e.likely > 0.0).then_some(e)
    }

    /// Capacity so that the backlog's expected effort is 1.5 to 2.5 times what the teams
    /// can do: choices matter. Some teams have holiday dips or grow during the plan.
    pub(super) fn size_capacity(&mut self) {
        let periods = self.spec.periods;
        self.efforts = self.features.iter().map(|f| f.expected_effort()).collect();
        self.committed = vec![None; self.features.len()];
        let mut demand = vec![0.0; self.teams.len()];
        for f in &self.efforts {
            for &(t, w) in f {
                demand[t] += w;
            }
        }
        self.backlog_ratio = self.uniform(1.7, 2.3);
        let positive: Vec<f64> = demand.iter().copied().filter(|d| *d > 0.0).collect();
        let typical = if positive.is_empty() {
            10.0 * periods as f64
        } else {
            positive.iter().sum::<f64>() / positive.len() as f64
        };
        for (t, &team_backlog) in demand.iter().enumerate() {
            let ratio = self.backlog_ratio * self.uniform(0.92, 1.08);
            // A team without backlog still exists; it gets a small share of a typical team.
            let backlog = if team_backlog > 0.0 {
                team_backlog
            } else {
                0.2 * typical
            };
            let per_period = backlog / (ratio * periods as f64 * self.teams[t].factor_mean());
            let mut shape = vec![1.0; periods];
            if periods >= 2 && self.chance(0.5) {
                for (p, s) in shape.iter_mut().enumerate() {
                    *s = if self.period_weeks == 13.0 {
                        // Summer holidays in Q3, the December freeze in Q4.
                        [1.0, 1.0, 0.95, 0.88][p % 4]
                    } else {
                        // Christmas sprints; a lighter sprint in August.
                        match p % 26 {
                            25 => 0.5,
                            0 if p > 0 => 0.8,
                            16 => 0.85,
                            _ => 1.0,
                        }
                    };
                }
                if self.chance(0.3) {
                    // A hire joins halfway through.
                    let from = periods / 2;
                    shape.iter_mut().skip(from).for_each(|s| *s *= 1.12);
                }
            }
            let mean_shape = shape.iter().sum::<f64>() / periods as f64;
            self.teams[t].capacity = shape
                .iter()
                .map(|s| {
                    let c = per_period * s / mean_shape;
                    if c >= 20.0 {
                        c.round()
                    } else {
                        sig(c, 2).max(0.01)
                    }
                })
                .collect();
        }
        // Name teams by their size, as engineering managers do.
        let engineer_weeks = self.period_weeks * 0.75;
        for team in &mut self.teams {
            let engineers =
                (team.capacity.iter().sum::<f64>() / periods as f64 / engineer_weeks).round();
            if engineers >= 2.0 {
                team.name = format!("{} ({} engineers)", team.name, engineers);
            }
        }
    }

    pub(super) fn total_capacity(&self) -> f64 {
        self.teams
            .iter()
            .map(|t| t.capacity.iter().sum::<f64>() * t.factor_mean())
            .sum()
    }

    /// Reliability gets a floor and AI bets a cap, each only where its features can honour it.
    pub(super) fn make_themes(&mut self) {
        let capacity = self.total_capacity();
        let mut available = [0.0, 0.0];
        let mut present = [false, false];
        for f in &self.features {
            if let Some(k) = f.theme {
                present[k] = true;
                available[k] += f.effort.iter().map(|(_, e)| e.mean()).sum::<f64>();
            }
        }
        let reliability_min = [0.1, 0.05]
            .into_iter()
            .find(|m| available[0] >= 2.0 * m * capacity)
            .unwrap_or(0.0);
        let mut kept = [None, None];
        if present[0] {
            kept[0] = Some(self.themes.len());
            self.themes.push(ThemeDef {
                id: "reliability",
                name: "Reliability, security and tech debt",
                min_share: reliability_min,
                max_share: 1.0,
            });
        }
        if present[1] {
            kept[1] = Some(self.themes.len());
            self.themes.push(ThemeDef {
                id: "ai",
                name: "AI bets",
                min_share: 0.0,
                max_share: 0.2,
            });
        }
        for f in &mut self.features {
            f.theme = f.theme.and_then(|k| kept[k]);
        }
    }
    /// A budget of 70-80% of the expected cost of the whole backlog.
    pub(super) fn make_budget(&mut self) {
        let mut total = 0.0;
        for f in &self.features {
            for (t, e) in &f.effort {
                total += e.mean() * self.teams[*t].cost_per_week;
            }
            total += f.cost.map_or(0.0, |c| c.mean());
            for r in &f.risks {
                total += r.probability
                    * match &r.impact {
                        RiskImpact::Effort(t, e) => e.mean() * self.teams[*t].cost_per_week,
                        RiskImpact::Cost(c) => c.mean(),
                        _ => 0.0,
                    };
            }
        }
        self.budget = Some(sig(total * self.uniform(0.7, 0.8), 3));
    }
}

/// Segments the plan has: more for larger backlogs.
pub(super) fn segment_count(features: usize) -> usize {
    match features {
        0..10 => 2,
        10..60 => 3,
        60..300 => 4,
        _ => 5,
    }
}
