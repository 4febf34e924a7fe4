//! How large a count may be, and why. Each bound comes from memory (what a run keeps per trial,
//! per sampled future or per feature) or, where results stream and memory stays flat, from time;
//! a count past its bound is invalid input (exit 2) named with the bound and the reason, before
//! any work starts. scenarios/README.md ("Limits") lists them for users.

use crate::model::Model;

/// Trials of a streaming run (`simulate`, the out-of-sample check of `optimize`): memory stays
/// flat, so the bound is time. A billion trials of the flagship take about 3 hours on 2 cores
/// (34 scheduled features at ~35M feature-trials/s); more would be a typo, not a plan.
pub const MAX_TRIALS: u64 = 1_000_000_000;

/// Memory an analysis may spend on values it keeps for every trial (per-trial NPVs to pair
/// strategies or plans, per-trial work for capacity percentiles, draws for rank correlations):
/// 2 GiB, a tenth of a 24 GiB machine and a quarter of an 8 GiB laptop.
pub const KEPT_BYTES: u64 = 2 << 30;

/// Matrix entries of one stochastic MILP: each future adds its release columns and the rows of
/// its teams' queues. The model and HiGHS (presolve, LP factorisation) hold about 350 bytes per
/// entry (measured: 15.5 million entries, 5.3 GB peak, in `benches/optimize_scale.rs`), so 6
/// million estimated entries is about 2 GB, as for kept trials.
pub const MAX_MODEL_NONZEROS: u64 = 6_000_000;

/// Portfolios of `strategies --generate`: each keeps one small summary, so memory is flat; at
/// about a second per 40-feature portfolio, 100,000 take more than a day on 2 cores.
pub const MAX_PORTFOLIOS: u64 = 100_000;

/// A count that is too large, with what bounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLarge {
    /// What was asked, as the user wrote it ("--trials", "[simulation] trials").
    pub what: String,
    pub asked: u64,
    /// The largest accepted value.
    pub max: u64,
    /// Why, in the user's terms.
    pub why: String,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} is more than the {} this run allows: {}",
            self.what, self.asked, self.max, self.why
        )
    }
}

/// Streaming trials: at most [`MAX_TRIALS`].
pub fn streamed_trials(what: &str, trials: u64) -> Result<(), TooLarge> {
    if trials <= MAX_TRIALS {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_string(),
        asked: trials,
        max: MAX_TRIALS,
        why: "results stream, so the bound is time: a billion trials of a 30-feature plan take about 3 hours on 2 cores".into(),
    })
}

/// Trials of a run that keeps `values_per_trial` numbers (8 bytes each) for every trial, for
/// `purpose` ("pairing 13 strategies trial by trial"): at most what fits [`KEPT_BYTES`].
pub fn kept_trials(
    what: &str,
    trials: u64,
    values_per_trial: u64,
    purpose: &str,
) -> Result<(), TooLarge> {
    streamed_trials(what, trials)?;
    let per_trial = 8 * values_per_trial.max(1);
    let max = KEPT_BYTES / per_trial;
    if trials <= max {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_string(),
        asked: trials,
        max,
        why: format!(
            "{purpose} keeps {values_per_trial} number{} per trial, {} GB in all, and a run keeps at most 2 GiB",
            if values_per_trial == 1 { "" } else { "s" },
            format_gb(trials.saturating_mul(per_trial)),
        ),
    })
}

/// Sampled futures of a stochastic MILP whose one future adds `nonzeros_per_future` entries to
/// the matrix: at most what keeps the model under [`MAX_MODEL_NONZEROS`].
pub fn model_futures(what: &str, futures: u64, nonzeros_per_future: u64) -> Result<(), TooLarge> {
    let max = (MAX_MODEL_NONZEROS / nonzeros_per_future.max(1)).max(1);
    if futures <= max {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_string(),
        asked: futures,
        max,
        why: format!(
            "each sampled future adds about {nonzeros_per_future} entries to the MILP, and the model and HiGHS need about 350 bytes per entry; the model stops at {} million entries (about 2 GB)",
            MAX_MODEL_NONZEROS / 1_000_000
        ),
    })
}

/// About how many matrix entries one sampled future adds to the stochastic MILP, from above:
/// its teams' queue rows (for each feature a team works on and each pair of planned and
/// release periods, a row over the plan columns of the team's other features) and a few
/// entries per feature and period for its release columns, gates and money. On the generated
/// 200-feature, 4-team, 4-period portfolio of `benches/optimize_scale.rs` this says 230,180
/// against the 155,000 the built model has.
pub fn nonzeros_per_future(model: &Model) -> u64 {
    let periods = model.time.periods as u64;
    let pairs = periods * (periods + 1) / 2;
    let queues: u64 = (0..model.teams.len())
        .map(|k| {
            let users = model
                .features
                .iter()
                .filter(|f| f.effort.iter().any(|e| e.team == k))
                .count() as u64;
            users * pairs * (users + 3)
        })
        .sum();
    queues + 6 * periods * model.features.len() as u64
}

/// Portfolios of a generated tournament: at most [`MAX_PORTFOLIOS`].
pub fn portfolios(what: &str, count: u64) -> Result<(), TooLarge> {
    if count <= MAX_PORTFOLIOS {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_string(),
        asked: count,
        max: MAX_PORTFOLIOS,
        why: "each portfolio is optimized and simulated, about a second at 40 features on 2 cores, so more would run for days".into(),
    })
}

fn format_gb(bytes: u64) -> String {
    let gb = bytes as f64 / 1e9;
    if gb >= 100.0 {
        format!("{gb:.0}")
    } else {
        format!("{gb:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_trials_fit_two_gib_exactly() {
        // One value per trial: 2 GiB / 8 bytes = 268,435,456 trials.
        assert!(kept_trials("--trials", 268_435_456, 1, "x").is_ok());
        let e = kept_trials("--trials", 268_435_457, 1, "x").unwrap_err();
        assert_eq!(e.max, 268_435_456);
        // 32 values per trial: 8,388,608.
        assert_eq!(
            kept_trials("--trials", u64::MAX / 2, 32, "x")
                .unwrap_err()
                .max,
            MAX_TRIALS
        );
        assert_eq!(
            kept_trials("--trials", 9_000_000, 32, "x").unwrap_err().max,
            8_388_608
        );
    }

    #[test]
    fn model_futures_divide_the_nonzero_budget() {
        assert!(model_futures("--scenarios", 6_000, 1_000).is_ok());
        assert_eq!(
            model_futures("--scenarios", 6_001, 1_000).unwrap_err().max,
            6_000
        );
        // A future larger than the whole budget still allows one.
        assert_eq!(
            model_futures("--scenarios", 2, u64::MAX).unwrap_err().max,
            1
        );
    }
}
