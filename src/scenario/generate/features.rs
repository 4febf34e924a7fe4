//! Teams and features: efforts, requirements, timing, risks, alternatives and enablers.

use super::*;

impl Generator<'_> {
    pub(super) fn make_teams(&mut self) {
        for t in 0..self.spec.teams {
            let (id, name, areas) = match TEAM_CATALOGUE.get(t) {
                Some(k) => (k.id.to_string(), k.name.to_string(), k.areas),
                None => (
                    format!("team-{}", t + 1),
                    format!("Team {}", t + 1),
                    &ALL_AREAS[..],
                ),
            };
            // Team sizes differ: some teams carry twice the backlog of others.
            let weight = (0.45 * self.normal()).exp();
            let cost_per_week = (self.uniform(25.0, 45.0)).round() * 100.0;
            let factor = if self.chance(0.75) {
                let likely = self.pick(&[0.8, 0.85, 0.9]);
                let low = likely - self.pick(&[0.1, 0.15]);
                let high = (likely + 0.1_f64).min(1.0);
                Some(Est::new(round_to(low, 20.0), likely, round_to(high, 20.0)))
            } else {
                None
            };
            self.teams.push(Team {
                id,
                name,
                areas,
                weight,
                cost_per_week,
                factor,
                capacity: Vec::new(),
            });
        }
    }

    pub(super) fn effort_estimate(&mut self, likely: f64) -> Est {
        let u = self.spec.uncertainty;
        let low = (likely * (1.0 - u * self.uniform(0.15, 0.3))).round();
        let low = if likely >= 1.0 { low.max(1.0) } else { low };
        let high = (likely * (1.0 + u * self.uniform(0.5, 2.0))).round();
        Est::new(low.max(0.0), likely, high)
    }

    pub(super) fn make_features(&mut self) {
        let n = self.spec.features;
        let teams = self.teams.len();
        let width = n.to_string().len();
        let skew = self.spec.value_skew;
        self.median_value = (self.uniform(25.0, 40.0)).round() * 100.0;
        let weights: Vec<f64> = self.teams.iter().map(|t| t.weight).collect();
        // With at least as many features as teams, every team leads some of the work.
        let mut leads: Vec<usize> = (0..n).map(|_| self.weighted(&weights)).collect();
        if n >= teams {
            let mut count = vec![0usize; teams];
            leads.iter().for_each(|&t| count[t] += 1);
            for t in 0..teams {
                while count[t] == 0 {
                    let f = self.index(n);
                    if count[leads[f]] > 1 {
                        count[leads[f]] -= 1;
                        leads[f] = t;
                        count[t] += 1;
                    }
                }
            }
        }
        let mut f = 0;
        while f < n {
            let lead = leads[f];
            let area = if self.chance(0.12) {
                Area::Reliability
            } else if self.chance(0.06) {
                Area::Ai
            } else {
                self.pick(self.teams[lead].areas)
            };
            let template = self.pick(area.templates());
            let (plural, singular) = self.pick(area.objects());
            let name = template.replace("{}", plural).replace("{s}", singular);
            let name = unique_name(&mut self.names, name);
            let big_bet = n >= 10 && self.chance(0.05);
            let mut feature = self.new_feature(f, width, name, area, lead, big_bet, skew);
            self.add_requirements(&mut feature);
            self.add_timing(&mut feature);
            self.add_risks(&mut feature);
            self.features.push(feature);
            f += 1;
            // An alternative to the feature just made: a lighter version, or buying it.
            if f < n && n >= 6 && self.chance(0.03) {
                let alt = self.alternative(f, width);
                self.features.push(alt);
                self.exclusions.push((f - 1, f));
                f += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn new_feature(
        &mut self,
        index: usize,
        width: usize,
        name: String,
        area: Area,
        lead: usize,
        big_bet: bool,
        skew: f64,
    ) -> Feature {
        let teams = self.teams.len();
        let likely = if big_bet {
            self.uniform(12.0, 20.0).round()
        } else {
            (5.0_f64.ln() + 0.75 * self.normal())
                .exp()
                .round()
                .clamp(1.0, 20.0)
        };
        let mut effort = vec![(lead, self.effort_estimate(likely))];
        let extra = match self.rng.random::<f64>() {
            _ if teams == 1 => 0,
            x if big_bet => 1 + usize::from(x < 0.5 && teams >= 3),
            x if x < 0.65 => 0,
            x if x < 0.92 || teams < 3 => 1,
            _ => 2,
        };
        while effort.len() < 1 + extra {
            let t = self.index(teams);
            if effort.iter().all(|(u, _)| *u != t) {
                let share = self.uniform(0.2, 0.6);
                let e = self.effort_estimate((likely * share).round().max(1.0));
                effort.push((t, e));
            }
        }
        let total_likely: f64 = effort.iter().map(|(_, e)| e.likely).sum();
        // Values are skewed and rise with size: big bets are big both ways.
        let z = if big_bet {
            1.0 + 0.7 * self.normal().abs()
        } else {
            self.normal()
        };
        let log_value = skew * (0.45 * (total_likely / 6.0).ln() + 1.35 * z);
        let target_value = self.median_value * log_value.exp();
        let mut segment_shares = Vec::new();
        let direct_only = self.chance(area.direct_share());
        if !direct_only {
            let first = self.segment_for(area);
            let both = self.chance(0.15);
            let mut through_segments = if both { self.uniform(0.4, 0.7) } else { 1.0 };
            if self.chance(0.3) {
                let second = self.segment_for(area);
                if second != first {
                    let split = self.uniform(0.5, 0.8);
                    segment_shares.push((second, through_segments * (1.0 - split)));
                    through_segments *= split;
                }
            }
            segment_shares.insert(0, (first, through_segments));
        }
        let ramp_months = match area {
            Area::Reliability | Area::Security => self.pick(&[0, 0, 1]),
            _ => self.pick(&[0, 1, 1, 2, 2, 2, 3, 3, 4, 6]),
        };
        let theme = match area {
            Area::Reliability | Area::Security => Some(0),
            Area::Ai => Some(1),
            _ => None,
        };
        Feature {
            effort,
            target_value,
            segment_shares,
            ramp_months,
            theme,
            big_bet,
            ..Feature::drawn(index, width, name, area, self.spec.features)
        }
    }

    /// A catalogue segment index for a feature of `area`, among the segments the plan has.
    pub(super) fn segment_for(&mut self, area: Area) -> usize {
        let count = segment_count(self.spec.features);
        let preferred: Vec<usize> = area
            .segments()
            .iter()
            .copied()
            .filter(|&s| s < count)
            .collect();
        if !preferred.is_empty() && self.chance(0.8) {
            self.pick(&preferred)
        } else {
            self.index(count)
        }
    }

    /// Whether `closure` holds both features of an excluded pair.
    pub(super) fn conflicted(&self, closure: &Bits) -> bool {
        self.exclusions
            .iter()
            .any(|&(a, b)| closure.has(a) && closure.has(b))
    }

    pub(super) fn add_requirements(&mut self, f: &mut Feature) {
        let i = self.features.len();
        f.closure.set(i);
        if i > 0 && self.chance(self.spec.dependency_density) {
            let wanted = if self.chance(0.25) && i >= 2 { 2 } else { 1 };
            let last = self.last_period();
            for _ in 0..12 {
                if f.requires.len() == wanted {
                    break;
                }
                // Mostly something recent in the same area, else anything earlier.
                let g = if self.chance(0.6) {
                    let from = i.saturating_sub(40);
                    let same: Vec<usize> = (from..i)
                        .filter(|&g| self.features[g].area == f.area)
                        .collect();
                    if same.is_empty() {
                        self.index(i)
                    } else {
                        self.pick(&same)
                    }
                } else {
                    self.index(i)
                };
                if f.requires.iter().any(|r| r.0 == g) {
                    continue;
                }
                let mut closure = f.closure.clone();
                closure.union(&self.features[g].closure);
                if self.conflicted(&closure) {
                    continue;
                }
                let ed = self.features[g].earliest_delivery;
                let lag = usize::from(ed < last.saturating_sub(1) && self.chance(0.2));
                if ed + lag > last {
                    continue;
                }
                f.requires.push((g, lag));
                f.closure = closure;
            }
        }
    }

    /// The earliest period by which every feature in `requires` can be delivered, each
    /// with its lag; 0 when it requires none.
    fn requires_delivered(&self, requires: &[(usize, usize)]) -> usize {
        requires
            .iter()
            .map(|&(g, lag)| self.features[g].earliest_delivery + lag)
            .max()
            .unwrap_or(0)
    }

    /// Vendor cost and lead time, earliest start, and the earliest delivery that follows.
    pub(super) fn add_timing(&mut self, f: &mut Feature) {
        let last = self.last_period();
        let from_requires = self.requires_delivered(&f.requires);
        let vendor_prone = matches!(f.area, Area::Integrations | Area::Billing | Area::Ai);
        if self.chance(if vendor_prone { 0.15 } else { 0.05 }) {
            let likely = self.pick(&[15000.0, 20000.0, 30000.0, 40000.0, 60000.0]);
            f.cost = Some(self.money_estimate(likely));
            if self.chance(0.5) {
                let likely: f64 = self.pick(&[4.0, 6.0, 8.0]);
                let u = self.spec.uncertainty;
                let lead = Est::new(
                    (likely - 2.0 * u).round().max(1.0),
                    likely,
                    (likely * (1.0 + 0.6 * u)).round(),
                );
                if self.lead_periods(&lead) <= last {
                    f.vendor_lead_weeks = Some(lead);
                }
            }
        }
        let lead = f.vendor_lead_weeks.map_or(0, |l| self.lead_periods(&l));
        if last >= 1 && self.chance(0.08) {
            let room = last - lead;
            if room >= 1 {
                let latest = room.min((last / 2).max(1));
                f.earliest = Some(1 + self.index(latest));
            }
        }
        f.earliest_delivery = (f.earliest.unwrap_or(0) + lead).max(from_requires);
    }

    /// Extra periods a vendor lead time adds before delivery, as validation counts them.
    pub(super) fn lead_periods(&self, lead: &Est) -> usize {
        ((lead.low / self.period_weeks).ceil() as usize).saturating_sub(1)
    }

    pub(super) fn money_estimate(&mut self, likely: f64) -> Est {
        let u = self.spec.uncertainty;
        let low = sig(likely * (1.0 - u * self.uniform(0.2, 0.35)).max(0.0), 2);
        let high = sig(likely * (1.0 + u * self.uniform(0.3, 0.8)), 2);
        Est::new(low, likely, high)
    }

    pub(super) fn add_risks(&mut self, f: &mut Feature) {
        if !self.chance(0.15) {
            return;
        }
        let count = if self.chance(0.2) { 2 } else { 1 };
        let lead = f.effort[0].0;
        let lead_likely = f.effort[0].1.likely;
        let platform = self.teams.iter().position(|t| t.id == "platform");
        let mut kinds: Vec<usize> = (0..6).collect();
        self.shuffle(&mut kinds);
        for kind in kinds {
            if f.risks.len() == count {
                break;
            }
            let probability = round_to(self.uniform(0.15, 0.4), 20.0);
            let u = self.spec.uncertainty;
            let risk = match kind {
                0 => {
                    let m = (lead_likely * self.uniform(0.2, 0.5)).round().max(1.0);
                    let e = self.effort_estimate(m);
                    Risk {
                        name: "Design rework",
                        probability,
                        impact: RiskImpact::Effort(lead, e),
                    }
                }
                1 => {
                    let m = (lead_likely * self.uniform(0.2, 0.4)).round().max(1.0);
                    let e = self.effort_estimate(m);
                    Risk {
                        name: "Performance problems at scale",
                        probability,
                        impact: RiskImpact::Effort(platform.unwrap_or(lead), e),
                    }
                }
                2 if f.cost.is_some() || f.area == Area::Mobile => {
                    let (name, m) = if f.area == Area::Mobile {
                        ("App store review", 2.0)
                    } else {
                        ("Vendor contract drag", 4.0)
                    };
                    let e = Est::new(
                        (m * (1.0 - 0.5 * u)).round().max(1.0),
                        m,
                        (m * (1.0 + u)).round(),
                    );
                    Risk {
                        name,
                        probability,
                        impact: RiskImpact::DelayWeeks(e),
                    }
                }
                3 => {
                    let m = self.pick(&[5000.0, 10000.0, 15000.0]);
                    Risk {
                        name: "Security review findings",
                        probability,
                        impact: RiskImpact::Cost(self.money_estimate(m)),
                    }
                }
                4 if f.target_value > 0.0 => Risk {
                    name: "Adoption below plan",
                    probability,
                    impact: RiskImpact::ValueLoss(round_to(self.uniform(0.2, 0.5), 10.0)),
                },
                _ => continue,
            };
            f.risks.push(risk);
        }
    }

    /// The feature after the last one made, as its alternative: lighter, or bought.
    pub(super) fn alternative(&mut self, index: usize, width: usize) -> Feature {
        let buy = self.chance(0.4);
        let share = self.uniform(0.35, 0.7);
        let value_share = self.uniform(0.5, 0.85);
        let base = &self.features[index - 1];
        let name = if buy {
            format!("{} (buy: vendor)", base.name)
        } else {
            format!("{} (lite)", base.name)
        };
        let name = unique_name(&mut self.names, name);
        let efforts: Vec<(usize, f64)> = base.effort.iter().map(|(t, e)| (*t, e.likely)).collect();
        let target_value = base.target_value * value_share;
        let segment_shares = base.segment_shares.clone();
        let requires = base.requires.clone();
        let (area, ramp_months, theme, big_bet) = (base.area, base.ramp_months, base.theme, false);
        let mut closure = Bits::new(self.spec.features);
        for &(g, _) in &requires {
            closure.union(&self.features[g].closure);
        }
        closure.set(index);
        let mut effort = Vec::new();
        for (t, likely) in efforts {
            let e = self.effort_estimate((likely * share).round().max(1.0));
            effort.push((t, e));
        }
        let mut f = Feature {
            effort,
            target_value,
            segment_shares,
            ramp_months,
            requires,
            excludes: Some(index - 1),
            alternative: true,
            theme,
            closure,
            big_bet,
            ..Feature::drawn(index, width, name, area, self.spec.features)
        };
        if buy {
            let likely = self.pick(&[30000.0, 50000.0, 80000.0]);
            f.cost = Some(self.money_estimate(likely));
            let lead = Est::new(
                4.0,
                6.0,
                (6.0 * (1.0 + 0.6 * self.spec.uncertainty)).round(),
            );
            let from_requires = self.requires_delivered(&f.requires);
            if self.lead_periods(&lead).max(from_requires) <= self.last_period() {
                f.vendor_lead_weeks = Some(lead);
            }
        }
        let lead = f.vendor_lead_weeks.map_or(0, |l| self.lead_periods(&l));
        f.earliest_delivery = self.requires_delivered(&f.requires).max(lead);
        self.features[index - 1].alternative = true;
        f
    }

    /// Some features that others build on are worth nothing by themselves (a metering
    /// pipeline, a new data model): value-first heuristics skip them and stall what they unlock.
    pub(super) fn make_enablers(&mut self) {
        let mut required = vec![0usize; self.features.len()];
        for f in &self.features {
            for &(g, _) in &f.requires {
                required[g] += 1;
            }
        }
        for (g, count) in required.into_iter().enumerate() {
            if count > 0 && !self.features[g].alternative && self.chance(0.2) {
                let template = self.pick(&ENABLER_TEMPLATES);
                let (plural, singular) = self.pick(&OBJECTS);
                let name = template.replace("{}", plural).replace("{s}", singular);
                let name = unique_name(&mut self.names, name);
                let f = &mut self.features[g];
                f.name = name;
                f.ramp_months = 0;
                f.enabler = true;
                f.target_value = 0.0;
                f.segment_shares.clear();
                f.risks
                    .retain(|r| !matches!(r.impact, RiskImpact::ValueLoss(_)));
            }
        }
    }
}
