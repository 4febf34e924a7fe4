//! What one chunk of trials (or, merged, a run so far) knows, in two parts that merge
//! differently. [`Counts`] (integer counts, sketches, histograms) add up to the same numbers
//! in any grouping. [`Sums`] (means, sums of floating-point figures) depend on the order they
//! are merged in down to their last bits, so a run merges them chunk by chunk in chunk order,
//! and a run split across machines keeps them chunk by chunk until the final merge.

use super::engine::{Engine, Scratch, TrialMoney, NOT_DELIVERED};
use super::stats::{Moments, Sketch, UnitHistogram};
use serde::{Deserialize, Serialize};

/// Relative accuracy of the NPV and spend quantiles (0.05%: a P10 of $4.78M is right to
/// $2.4k, well inside its Monte Carlo error), and of the monthly bands that become fan charts.
const NPV_ACCURACY: f64 = 5e-4;
const BAND_ACCURACY: f64 = 2e-3;
/// Work quantiles to 1% (a whisker on a capacity chart), and work below a hundredth of a
/// person-week counts as none: together they keep each team-period's sketch to a few hundred
/// buckets per chunk, even over many teams and sprints.
const WORK_ACCURACY: f64 = 1e-2;
const WORK_FLOOR_WEEKS: f64 = 0.01;

/// The parts of a chunk's statistics that merge exactly in any grouping.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Counts {
    pub(super) trials: u64,
    pub(super) npv_quantiles: Sketch,
    pub(super) npv_negative: u64,
    pub(super) spend_quantiles: Sketch,
    pub(super) over_budget: u64,
    /// [active feature * (periods + 1) + delivery period, or `periods` when not delivered].
    pub(super) delivered_in: Vec<u64>,
    pub(super) on_plan: Vec<u64>,
    pub(super) by_deadline: Vec<u64>,
    pub(super) by_limit: Vec<u64>,
    pub(super) deals_won: Vec<u64>,
    /// Per [team * periods + period]: how many trials had capacity there (utilisation is
    /// undefined without), and the quantiles of utilisation and of person-weeks worked (how
    /// busy a team may be, not just on average, is what a capacity chart's whisker shows).
    pub(super) utilisation_trials: Vec<u64>,
    pub(super) utilisation_quantiles: Vec<UnitHistogram>,
    pub(super) work_quantiles: Vec<Sketch>,
    /// Quantiles of the cumulative discounted net value at the end of each month.
    pub(super) month_quantiles: Vec<Sketch>,
    /// Per period, with budgets per period only: the trials in which spend there is over the
    /// period's budget.
    pub(super) over_period_budget: Vec<u64>,
}

/// The parts of a chunk's statistics whose merge order decides their last bits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sums {
    pub(super) npv: Moments,
    pub(super) value: Moments,
    pub(super) cost: Moments,
    pub(super) penalties: Moments,
    /// What the costs are made of (reported only when a team's cost is fixed or a feature's
    /// cost recurs).
    pub(super) team_variable: Moments,
    pub(super) team_fixed: Moments,
    pub(super) recurring: Moments,
    pub(super) one_off: Moments,
    pub(super) spend: Moments,
    #[serde(with = "crate::wire::reals")]
    pub(super) completion_weeks: Vec<f64>,
    /// Per [team * periods + period]: sums (only means are reported).
    #[serde(with = "crate::wire::reals")]
    pub(super) utilisation: Vec<f64>,
    #[serde(with = "crate::wire::reals")]
    pub(super) work: Vec<f64>,
    #[serde(with = "crate::wire::reals")]
    pub(super) available: Vec<f64>,
    /// Cumulative discounted net value at the end of each month, summed.
    #[serde(with = "crate::wire::reals")]
    pub(super) months: Vec<f64>,
    /// Per period, with budgets per period only: spend booked there, summed.
    #[serde(with = "crate::wire::reals")]
    pub(super) period_spend: Vec<f64>,
}

/// Statistics of one chunk (or, merged, of the run so far).
#[derive(Debug, Clone)]
pub(super) struct Accumulator {
    pub(super) c: Counts,
    pub(super) s: Sums,
}

impl Accumulator {
    pub(super) fn new(engine: &Engine, deals: usize) -> Self {
        let (p, k, a) = (engine.periods(), engine.teams(), engine.active.len());
        // Sketches start empty and grow to the chunk's own range: pre-sizing them to the
        // run's range would make every chunk in flight as large as the run's widest spread.
        let sketch = |accuracy: f64| Sketch::new(accuracy, 1.0);
        let budget_periods = engine.budget_per_period().map_or(0, <[f64]>::len);
        Accumulator {
            c: Counts {
                trials: 0,
                npv_quantiles: sketch(NPV_ACCURACY),
                npv_negative: 0,
                spend_quantiles: sketch(NPV_ACCURACY),
                over_budget: 0,
                delivered_in: vec![0; a * (p + 1)],
                on_plan: vec![0; a],
                by_deadline: vec![0; a],
                by_limit: vec![0; a],
                deals_won: vec![0; deals],
                utilisation_trials: vec![0; k * p],
                utilisation_quantiles: vec![UnitHistogram::new(); k * p],
                work_quantiles: (0..k * p)
                    .map(|_| Sketch::new(WORK_ACCURACY, WORK_FLOOR_WEEKS))
                    .collect(),
                month_quantiles: (0..engine.months())
                    .map(|_| sketch(BAND_ACCURACY))
                    .collect(),
                over_period_budget: vec![0; budget_periods],
            },
            s: Sums {
                npv: Moments::default(),
                value: Moments::default(),
                cost: Moments::default(),
                penalties: Moments::default(),
                team_variable: Moments::default(),
                team_fixed: Moments::default(),
                recurring: Moments::default(),
                one_off: Moments::default(),
                spend: Moments::default(),
                completion_weeks: vec![0.0; a],
                utilisation: vec![0.0; k * p],
                work: vec![0.0; k * p],
                available: vec![0.0; k * p],
                months: vec![0.0; engine.months()],
                period_spend: vec![0.0; budget_periods],
            },
        }
    }

    pub(super) fn record(&mut self, engine: &Engine, scratch: &Scratch, money: &TrialMoney) {
        let (c, s) = (&mut self.c, &mut self.s);
        let periods = engine.periods();
        c.trials += 1;
        s.npv.push(money.npv);
        c.npv_quantiles.push(money.npv);
        c.npv_negative += u64::from(money.npv < 0.0);
        s.value.push(money.value);
        s.cost.push(money.cost);
        s.penalties.push(money.penalties);
        if engine.itemised {
            s.team_variable.push(money.team_variable);
            s.team_fixed.push(money.team_fixed);
            s.recurring.push(money.recurring);
            s.one_off.push(money.one_off);
        }
        s.spend.push(money.spend);
        c.spend_quantiles.push(money.spend);
        if let Some(budget) = engine.budget() {
            c.over_budget += u64::from(crate::model::exceeds(money.spend, budget));
        }
        for (a, (&f, due)) in engine.active.iter().zip(engine.due()).enumerate() {
            let f = f as usize;
            let period = scratch.period[f];
            let slot = if period == NOT_DELIVERED {
                periods
            } else {
                period as usize
            };
            c.delivered_in[a * (periods + 1) + slot] += 1;
            if period != NOT_DELIVERED {
                s.completion_weeks[a] += scratch.complete[f];
                // Not planned and no deadline are u32::MAX, so never "missed" here.
                c.on_plan[a] += u64::from(period <= due.planned);
                c.by_deadline[a] += u64::from(period <= due.deadline);
                c.by_limit[a] += u64::from(period <= due.limit);
            }
        }
        if let Some(budgets) = engine.budget_per_period() {
            for (p, (&spent, &budget)) in scratch.spend_by_period.iter().zip(budgets).enumerate() {
                s.period_spend[p] += spent;
                c.over_period_budget[p] += u64::from(crate::model::exceeds(spent, budget));
            }
        }
        for (d, &won) in scratch.deal_won.iter().enumerate() {
            c.deals_won[d] += u64::from(won);
        }
        for slot in 0..s.utilisation.len() {
            let (work, available) = (scratch.work[slot], scratch.available[slot]);
            s.work[slot] += work;
            s.available[slot] += available;
            c.work_quantiles[slot].push(work);
            if available > 0.0 {
                let u = (work / available).clamp(0.0, 1.0);
                s.utilisation[slot] += u;
                c.utilisation_trials[slot] += 1;
                c.utilisation_quantiles[slot].push(u);
            }
        }
        let mut cumulative = 0.0;
        for (m, flow) in scratch.flows.iter().enumerate() {
            cumulative += flow;
            s.months[m] += cumulative;
            c.month_quantiles[m].push(cumulative);
        }
    }

    pub(super) fn merge(&mut self, o: &Accumulator) {
        self.c.merge(&o.c);
        self.s.merge(&o.s);
    }
}

fn add(a: &mut [u64], b: &[u64]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
}

fn add_f(a: &mut [f64], b: &[f64]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
}

impl Counts {
    pub(super) fn merge(&mut self, o: &Counts) {
        self.trials += o.trials;
        self.npv_quantiles.merge(&o.npv_quantiles);
        self.npv_negative += o.npv_negative;
        self.spend_quantiles.merge(&o.spend_quantiles);
        self.over_budget += o.over_budget;
        add(&mut self.delivered_in, &o.delivered_in);
        add(&mut self.on_plan, &o.on_plan);
        add(&mut self.by_deadline, &o.by_deadline);
        add(&mut self.by_limit, &o.by_limit);
        add(&mut self.over_period_budget, &o.over_period_budget);
        add(&mut self.deals_won, &o.deals_won);
        add(&mut self.utilisation_trials, &o.utilisation_trials);
        for i in 0..self.utilisation_quantiles.len() {
            self.utilisation_quantiles[i].merge(&o.utilisation_quantiles[i]);
            self.work_quantiles[i].merge(&o.work_quantiles[i]);
        }
        for m in 0..self.month_quantiles.len() {
            self.month_quantiles[m].merge(&o.month_quantiles[m]);
        }
    }

    /// Whether these counts, read from a file, have the shape of `like`'s (a fresh
    /// accumulator of the same engine) and count exactly `trials` trials, none more than once:
    /// then merging and summarising them cannot fail. The error names the field.
    pub(super) fn check_like(&self, like: &Counts, trials: u64) -> Result<(), String> {
        if self.trials != trials {
            return Err(format!(
                "trials: {} counted for a range of {trials}",
                self.trials
            ));
        }
        let lengths = [
            (
                "delivered_in",
                self.delivered_in.len(),
                like.delivered_in.len(),
            ),
            ("on_plan", self.on_plan.len(), like.on_plan.len()),
            (
                "by_deadline",
                self.by_deadline.len(),
                like.by_deadline.len(),
            ),
            ("by_limit", self.by_limit.len(), like.by_limit.len()),
            ("deals_won", self.deals_won.len(), like.deals_won.len()),
            (
                "utilisation_trials",
                self.utilisation_trials.len(),
                like.utilisation_trials.len(),
            ),
            (
                "utilisation_quantiles",
                self.utilisation_quantiles.len(),
                like.utilisation_quantiles.len(),
            ),
            (
                "work_quantiles",
                self.work_quantiles.len(),
                like.work_quantiles.len(),
            ),
            (
                "month_quantiles",
                self.month_quantiles.len(),
                like.month_quantiles.len(),
            ),
            (
                "over_period_budget",
                self.over_period_budget.len(),
                like.over_period_budget.len(),
            ),
        ];
        for (field, got, want) in lengths {
            if got != want {
                return Err(format!(
                    "{field}: {got} entries where this scenario has {want}"
                ));
            }
        }
        let singles = [
            ("npv_negative", self.npv_negative),
            ("over_budget", self.over_budget),
        ];
        let vectors = [
            ("on_plan", &self.on_plan),
            ("by_deadline", &self.by_deadline),
            ("by_limit", &self.by_limit),
            ("deals_won", &self.deals_won),
            ("utilisation_trials", &self.utilisation_trials),
            ("over_period_budget", &self.over_period_budget),
        ];
        let over = singles.into_iter().find(|(_, n)| *n > trials).or_else(|| {
            vectors
                .into_iter()
                .find_map(|(field, v)| v.iter().find(|&&n| n > trials).map(|&n| (field, n)))
        });
        if let Some((field, n)) = over {
            return Err(format!("{field}: {n} trials counted out of {trials}"));
        }
        let sketches = [
            ("npv_quantiles", &self.npv_quantiles, &like.npv_quantiles),
            (
                "spend_quantiles",
                &self.spend_quantiles,
                &like.spend_quantiles,
            ),
        ]
        .into_iter()
        .chain(
            self.work_quantiles
                .iter()
                .zip(&like.work_quantiles)
                .map(|(a, b)| ("work_quantiles", a, b)),
        )
        .chain(
            self.month_quantiles
                .iter()
                .zip(&like.month_quantiles)
                .map(|(a, b)| ("month_quantiles", a, b)),
        );
        for (field, sketch, like) in sketches {
            sketch
                .check_like(like, trials)
                .map_err(|e| format!("{field}: {e}"))?;
        }
        for histogram in &self.utilisation_quantiles {
            histogram
                .check(trials)
                .map_err(|e| format!("utilisation_quantiles: {e}"))?;
        }
        // Each feature is delivered in exactly one slot (a period, or none) per trial.
        let slots = like.delivered_in.len() / like.on_plan.len().max(1);
        for (a, row) in self.delivered_in.chunks(slots.max(1)).enumerate() {
            let total = row.iter().try_fold(0u64, |sum, &n| sum.checked_add(n));
            if total != Some(trials) {
                return Err(format!(
                    "delivered_in: feature {a} is counted in {} trials out of {trials}",
                    total.map_or_else(|| "too many".to_string(), |t| t.to_string())
                ));
            }
        }
        Ok(())
    }
}

impl Sums {
    pub(super) fn merge(&mut self, o: &Sums) {
        self.npv.merge(&o.npv);
        self.value.merge(&o.value);
        self.cost.merge(&o.cost);
        self.penalties.merge(&o.penalties);
        self.team_variable.merge(&o.team_variable);
        self.team_fixed.merge(&o.team_fixed);
        self.recurring.merge(&o.recurring);
        self.one_off.merge(&o.one_off);
        self.spend.merge(&o.spend);
        add_f(&mut self.completion_weeks, &o.completion_weeks);
        add_f(&mut self.utilisation, &o.utilisation);
        add_f(&mut self.work, &o.work);
        add_f(&mut self.available, &o.available);
        add_f(&mut self.months, &o.months);
        add_f(&mut self.period_spend, &o.period_spend);
    }

    /// Whether one chunk's sums, read from a file, have `like`'s shape and count `trials`
    /// trials; the error names the field.
    pub(super) fn check_like(
        &self,
        like: &Sums,
        trials: u64,
        itemised: bool,
    ) -> Result<(), String> {
        let lengths = [
            (
                "completion_weeks",
                self.completion_weeks.len(),
                like.completion_weeks.len(),
            ),
            (
                "utilisation",
                self.utilisation.len(),
                like.utilisation.len(),
            ),
            ("work", self.work.len(), like.work.len()),
            ("available", self.available.len(), like.available.len()),
            ("months", self.months.len(), like.months.len()),
            (
                "period_spend",
                self.period_spend.len(),
                like.period_spend.len(),
            ),
        ];
        for (field, got, want) in lengths {
            if got != want {
                return Err(format!(
                    "{field}: {got} entries where this scenario has {want}"
                ));
            }
        }
        let itemised_count = if itemised { trials } else { 0 };
        let moments = [
            ("npv", self.npv.count, trials),
            ("value", self.value.count, trials),
            ("cost", self.cost.count, trials),
            ("penalties", self.penalties.count, trials),
            ("spend", self.spend.count, trials),
            ("team_variable", self.team_variable.count, itemised_count),
            ("team_fixed", self.team_fixed.count, itemised_count),
            ("recurring", self.recurring.count, itemised_count),
            ("one_off", self.one_off.count, itemised_count),
        ];
        for (field, got, want) in moments {
            if got != want {
                return Err(format!("{field}: {got} trials counted out of {want}"));
            }
        }
        Ok(())
    }
}
