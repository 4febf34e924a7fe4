//! A seeded generator of synthetic but plausible scenarios: product backlogs with the
//! structure that makes prioritisation hard (skewed values, big bets that are also big,
//! enablers worth nothing on their own, alternatives, deadlines, deals, shared segments,
//! framework scores that are noisy guesses of the model's values).
//!
//! The same spec always gives the same bytes: one RNG seeded from the spec, drawn in a fixed
//! order, and no iteration over hash maps. Every generated scenario validates without
//! errors; commitments (mandatory work, deadlines and what they require) are admitted one
//! at a time only while they fit well inside capacity, so it also validates without warnings.

mod commitments;
mod features;
mod framework;
mod portfolio;
mod sizing;
mod vocabulary;
mod write;

use portfolio::*;
use sizing::*;
use vocabulary::*;
use write::*;

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What to generate. Build it with [`GenerateSpec::new`] (the defaults) and check it with
/// [`GenerateSpec::check`] before calling [`generate`].
#[derive(Debug, Clone)]
pub struct GenerateSpec {
    pub features: usize,
    pub teams: usize,
    pub periods: usize,
    pub seed: u64,
    /// Skew of feature values: 0 = all alike, 1 = default (a few features carry most value), 2 = extreme.
    pub value_skew: f64,
    /// Width of estimates: 1 = default (high about 2x low), 0 = near-certain, 2 = very uncertain.
    pub uncertainty: f64,
    /// Share of features that require an earlier one (default 0.25).
    pub dependency_density: f64,
    /// Rank correlation of each team's effort estimates (0 = none, the default; up to 0.8).
    pub effort_correlation: f64,
    /// Customer deals per feature (default 0.05: one deal per 20 features; up to 0.5).
    pub deal_rate: f64,
}

pub const MAX_FEATURES: usize = 20_000;
pub const MAX_TEAMS: usize = 50;
pub const MAX_PERIODS: usize = 104;

impl GenerateSpec {
    pub fn new(features: usize, teams: usize, periods: usize, seed: u64) -> Self {
        GenerateSpec {
            features,
            teams,
            periods,
            seed,
            value_skew: 1.0,
            uncertainty: 1.0,
            dependency_density: 0.25,
            effort_correlation: 0.0,
            deal_rate: 0.05,
        }
    }

    /// Every size and knob in its range; the message names the allowed range.
    pub fn check(&self) -> Result<(), String> {
        let count = |what: &str, v: usize, max: usize| {
            if (1..=max).contains(&v) {
                Ok(())
            } else {
                Err(format!("{what} must be from 1 to {max}, got {v}"))
            }
        };
        count("the number of features", self.features, MAX_FEATURES)?;
        count("the number of teams", self.teams, MAX_TEAMS)?;
        count("the number of periods", self.periods, MAX_PERIODS)?;
        let knob = |what: &str, v: f64, max: f64, meaning: &str| {
            if (0.0..=max).contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "{what} must be from 0 to {max} ({meaning}), got {v}"
                ))
            }
        };
        knob(
            "the value skew",
            self.value_skew,
            2.0,
            "0 = all alike, 1 = default, 2 = extreme",
        )?;
        knob(
            "the uncertainty",
            self.uncertainty,
            2.0,
            "0 = near-certain, 1 = default, 2 = very uncertain",
        )?;
        knob(
            "the dependency density",
            self.dependency_density,
            1.0,
            "the share of features that require an earlier one; default 0.25",
        )?;
        knob(
            "the effort correlation",
            self.effort_correlation,
            0.8,
            "rank correlation of one team's estimates; default 0",
        )?;
        knob(
            "the deal rate",
            self.deal_rate,
            0.5,
            "customer deals per feature; default 0.05",
        )?;
        Ok(())
    }

    /// The command that writes this scenario (knobs only when they differ from the defaults).
    pub fn command(&self) -> String {
        let mut cmd = format!(
            "roadmap generate --features {} --teams {} --periods {} --seed {}",
            self.features, self.teams, self.periods, self.seed
        );
        let d = GenerateSpec::new(0, 0, 0, 0);
        for (flag, v, default) in [
            ("--value-skew", self.value_skew, d.value_skew),
            ("--uncertainty", self.uncertainty, d.uncertainty),
            (
                "--dependency-density",
                self.dependency_density,
                d.dependency_density,
            ),
            (
                "--effort-correlation",
                self.effort_correlation,
                d.effort_correlation,
            ),
            ("--deal-rate", self.deal_rate, d.deal_rate),
        ] {
            if v != default {
                let _ = write!(cmd, " {flag} {v}");
            }
        }
        cmd
    }
}

/// The scenario as TOML text, deterministic for a given spec (same seed, same bytes).
/// Sizes and knobs outside the ranges of [`GenerateSpec::check`] are clamped into them.
pub fn generate(spec: &GenerateSpec) -> String {
    let spec = GenerateSpec {
        features: spec.features.clamp(1, MAX_FEATURES),
        teams: spec.teams.clamp(1, MAX_TEAMS),
        periods: spec.periods.clamp(1, MAX_PERIODS),
        seed: spec.seed,
        value_skew: clamp_knob(spec.value_skew, 2.0, 1.0),
        uncertainty: clamp_knob(spec.uncertainty, 2.0, 1.0),
        dependency_density: clamp_knob(spec.dependency_density, 1.0, 0.25),
        effort_correlation: clamp_knob(spec.effort_correlation, 0.8, 0.0),
        deal_rate: clamp_knob(spec.deal_rate, 0.5, 0.05),
    };
    let mut g = Generator::new(&spec);
    g.make_teams();
    g.make_features();
    g.make_enablers();
    g.make_segments();
    g.size_capacity();
    g.make_themes();
    g.make_mandatory();
    g.make_deadlines();
    g.make_deals();
    g.make_framework_fields();
    g.make_budget();
    g.write()
}

fn clamp_knob(v: f64, max: f64, default: f64) -> f64 {
    if v.is_nan() {
        default
    } else {
        v.clamp(0.0, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(num(sig(0.000271828, 2)), "0.00027");
        assert_eq!(num(sig(12345.0, 2)), "12000");
        assert_eq!(num(sig(0.1 * 3.0, 2)), "0.3");
        assert_eq!(num(round_to(0.15000001, 20.0)), "0.15");
        assert_eq!(grouped(1_234_000.0), "1_234_000");
        assert_eq!(grouped(4000.0), "4000");
    }

    #[test]
    fn the_spec_names_the_allowed_range() {
        let mut s = GenerateSpec::new(0, 3, 4, 1);
        assert!(s.check().unwrap_err().contains("from 1 to 20000"));
        s.features = 10;
        s.effort_correlation = 0.9;
        assert!(s.check().unwrap_err().contains("from 0 to 0.8"));
        s.effort_correlation = f64::NAN;
        assert!(s.check().is_err());
    }
}
