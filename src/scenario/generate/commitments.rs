//! Commitments (mandatory work, deadlines, dated deals) admitted one at a time while
//! they fit well inside capacity, so a generated scenario validates without warnings.

use super::*;

impl Generator<'_> {
    /// The commitment a feature makes by itself: mandatory work is due by its hard
    /// deadline or the plan's end; other dated work by its deadline, hard or soft.
    pub(super) fn own_commitment(&self, f: usize) -> Option<(bool, usize)> {
        match (self.features[f].mandatory, self.features[f].deadline) {
            (true, Some((d, DeadlineKind::Hard))) => Some((true, d)),
            (true, _) => Some((true, self.last_period())),
            (false, Some((d, _))) => Some((false, d)),
            (false, None) => None,
        }
    }

    /// Whether the committed work of each team in `teams` stays within its share of capacity
    /// in every run of periods.
    pub(super) fn fits(&self, teams: &[usize]) -> bool {
        let periods = self.spec.periods;
        let cell = |first: usize, due: usize| first * periods + due;
        for &t in teams {
            let mut forced = vec![0.0; periods * periods];
            let mut all = vec![0.0; periods * periods];
            for &f in &self.committed_list {
                let Some((is_forced, due)) = self.committed[f] else {
                    continue;
                };
                let Some(&(_, w)) = self.efforts[f].iter().find(|(u, _)| *u == t) else {
                    continue;
                };
                let first = self.features[f].earliest.unwrap_or(0).min(due);
                all[cell(first, due)] += w;
                if is_forced {
                    forced[cell(first, due)] += w;
                }
            }
            let team = &self.teams[t];
            let capacity: Vec<f64> = team
                .capacity
                .iter()
                .map(|c| c * team.factor_mean())
                .collect();
            for (mut work, share) in [(forced, FORCED_SHARE), (all, COMMITTED_SHARE)] {
                // In place: work due at `due` that cannot start before `first`.
                for due in 0..periods {
                    let mut later = 0.0;
                    for first in (0..=due).rev() {
                        later += work[cell(first, due)];
                        work[cell(first, due)] = later;
                    }
                }
                for a in 0..periods {
                    let (mut have, mut need) = (0.0, 0.0);
                    for b in a..periods {
                        have += capacity[b];
                        need += work[cell(a, b)];
                        if crate::model::exceeds(need, share * have) {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    /// Tries a change of commitments; keeps it only if every team it touches still fits.
    /// Commitments only ever tighten (earlier due periods, forced work), so the change is
    /// propagated from `f` through what it requires, as the capacity check would find it.
    pub(super) fn admit(&mut self, f: usize, change: impl Fn(&mut Feature)) -> bool {
        let saved = (self.features[f].mandatory, self.features[f].deadline);
        change(&mut self.features[f]);
        let listed = self.committed_list.len();
        let mut changed: Vec<(usize, Option<(bool, usize)>)> = Vec::new();
        let mut stack: Vec<(usize, (bool, usize))> =
            self.own_commitment(f).map(|c| (f, c)).into_iter().collect();
        while let Some((g, (forced, due))) = stack.pop() {
            let before = self.committed[g];
            let merged = match before {
                None => (forced, due),
                Some((fg, dg)) => (fg || forced, dg.min(due)),
            };
            if before == Some(merged) {
                continue;
            }
            changed.push((g, before));
            if before.is_none() {
                self.committed_list.push(g);
            }
            self.committed[g] = Some(merged);
            for &(h, lag) in &self.features[g].requires {
                stack.push((h, (merged.0, merged.1.saturating_sub(lag))));
            }
        }
        let mut teams: Vec<usize> = Vec::new();
        for &(g, _) in &changed {
            for &(t, _) in &self.efforts[g] {
                if !teams.contains(&t) {
                    teams.push(t);
                }
            }
        }
        if self.fits(&teams) {
            return true;
        }
        for &(g, before) in changed.iter().rev() {
            self.committed[g] = before;
        }
        self.committed_list.truncate(listed);
        let feature = &mut self.features[f];
        feature.mandatory = saved.0;
        feature.deadline = saved.1;
        false
    }

    /// About 4% of features are mandatory (compliance, contracts), kept well inside capacity.
    pub(super) fn make_mandatory(&mut self) {
        let n = self.features.len();
        let target = (n as f64 * self.uniform(0.03, 0.05)).round() as usize;
        if target == 0 {
            return;
        }
        let ai = self.themes.iter().position(|t| t.id == "ai");
        let mut candidates: Vec<usize> = (0..n)
            .filter(|&f| {
                // Never with an alternative or an AI bet among what it needs.
                self.features[f].closure.ones().all(|g| {
                    !self.features[g].alternative && (ai.is_none() || self.features[g].theme != ai)
                })
            })
            .collect();
        self.shuffle(&mut candidates);
        // Compliance-like work first.
        candidates.sort_by_key(|&f| {
            !matches!(
                self.features[f].area,
                Area::Enterprise | Area::Security | Area::Reliability
            )
        });
        let mut made = 0;
        for f in candidates {
            if made == target {
                break;
            }
            let ed = self.features[f].earliest_delivery;
            let last = self.last_period();
            let dated = last >= 1 && self.chance(0.6);
            let deadline = ed + self.index(last - ed + 1);
            let ok = (dated
                && self.admit(f, |x| {
                    x.mandatory = true;
                    x.deadline = Some((deadline, DeadlineKind::Hard));
                }))
                || self.admit(f, |x| x.mandatory = true);
            made += usize::from(ok);
        }
    }

    /// About 10% of the optional features get a date: half hard, half soft with a penalty.
    pub(super) fn make_deadlines(&mut self) {
        let n = self.features.len();
        let target = (n as f64 * 0.1).round() as usize;
        let mut candidates: Vec<usize> = (0..n)
            .filter(|&f| !self.features[f].mandatory && !self.features[f].alternative)
            .collect();
        self.shuffle(&mut candidates);
        let last = self.last_period();
        let per_period = self.months_per_period();
        let mut made = 0;
        for f in candidates {
            if made == target {
                break;
            }
            let ed = self.features[f].earliest_delivery;
            let kind = if self.chance(0.5) {
                DeadlineKind::Hard
            } else {
                let monthly = self.features[f].target_value.max(0.5 * self.median_value);
                let penalty = sig(
                    (monthly * per_period * self.uniform(0.4, 1.2)).max(1000.0),
                    2,
                );
                DeadlineKind::Soft { penalty }
            };
            let period = ed + self.index(last - ed + 1);
            let ok = self.admit(f, |x| x.deadline = Some((period, kind)))
                || (period < last && self.admit(f, |x| x.deadline = Some((last, kind))));
            made += usize::from(ok);
        }
    }

    /// `deal_rate` deals per feature (one per 20 by default), each waiting for 1 to 4 of them.
    pub(super) fn make_deals(&mut self) {
        let n = self.features.len();
        let count = if n >= 4 && self.spec.deal_rate > 0.0 {
            (n as f64 * self.spec.deal_rate).round().max(1.0) as usize
        } else {
            0
        };
        let enterprise_like: Vec<usize> = (0..n)
            .filter(|&f| {
                self.features[f].uplift.iter().any(|(s, _)| {
                    matches!(
                        self.segments[*s].kind.id,
                        "enterprise" | "mid-market" | "public-sector"
                    )
                })
            })
            .collect();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let last = self.last_period();
        for _ in 0..count {
            let size = [1, 1, 2, 2, 2, 3, 3, 4][self.index(8)].min(n);
            let mut features: Vec<usize> = Vec::new();
            let mut closure = Bits::new(n);
            for _ in 0..4 * size {
                if features.len() == size {
                    break;
                }
                let f = if !enterprise_like.is_empty() && self.chance(0.7) {
                    self.pick(&enterprise_like)
                } else {
                    self.index(n)
                };
                if features.contains(&f) {
                    continue;
                }
                let mut c = closure.clone();
                c.union(&self.features[f].closure);
                if self.conflicted(&c) {
                    continue;
                }
                closure = c;
                features.push(f);
            }
            if features.is_empty() {
                features.push(self.index(n));
            }
            features.sort_unstable();
            let company = self.pick(&CUSTOMERS);
            let mut customer = if !company.contains(' ') && self.chance(0.6) {
                format!("{company} {}", self.pick(&CUSTOMER_KINDS))
            } else {
                company.to_string()
            };
            // A second deal with the same customer is another division of it.
            if let Some(region) = REGIONS.iter().find(|r| {
                ids.contains_key(&slug(&customer))
                    && !ids.contains_key(&slug(&format!("{customer} {r}")))
            }) {
                customer = format!("{customer} {region}");
            }
            let id = unique_id(&mut ids, slug(&customer));
            let scale = self.median_value * (0.5 * self.normal()).exp();
            let monthly = self.chance(0.8).then(|| {
                let m = sig(scale * self.uniform(1.0, 3.0), 2);
                if self.chance(0.5) {
                    Est::new(m, m, m)
                } else {
                    self.value_estimate(m)
                }
            });
            let one_off = (monthly.is_none() || self.chance(0.5))
                .then(|| sig(scale * self.uniform(5.0, 15.0), 2));
            let ready = features
                .iter()
                .map(|&f| self.features[f].earliest_delivery)
                .max()
                .unwrap_or(0);
            let by = (last >= 1 && self.chance(0.4)).then(|| ready + self.index(last - ready + 1));
            if by.is_some() {
                for &f in &features {
                    self.features[f].in_dated_deal = true;
                }
            }
            self.deals.push(Deal {
                id,
                customer,
                features,
                one_off,
                monthly,
                by,
            });
        }
    }
}
