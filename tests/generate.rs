//! Generated scenarios validate (no errors; no warnings at the default knobs), are
//! reproducible from their seed, have the requested sizes, and have the structure that
//! makes prioritisation hard: backlog well above capacity, skewed values, dependencies.

mod common;

use roadmap::analysis::capacity::{self, CapacityCheck};
use roadmap::model::Model;
use roadmap::scenario::generate::{generate, GenerateSpec};
use roadmap::scenario::{Loaded, ScenarioError};
use std::time::Instant;

struct Validated {
    loaded: Loaded,
    check: CapacityCheck,
    warnings: Vec<String>,
}

/// What `roadmap validate` does: parse and validate, then the capacity check, whose
/// infeasibilities are errors and whose deadline shortfalls are warnings.
fn validate(text: String, trials: u64) -> Result<Validated, Vec<String>> {
    let loaded = match common::load::try_load("gen.toml", text) {
        Ok(loaded) => loaded,
        Err(ScenarioError::Invalid { findings, .. }) => {
            return Err(findings.iter().map(|f| f.to_string()).collect())
        }
        Err(e) => return Err(vec![e.to_string()]),
    };
    let check = capacity::check(&loaded.model, trials, loaded.model.simulation.seed);
    let mut errors = Vec::new();
    let mut warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    for s in &check.shortfalls {
        let text = format!(
            "teams[{}]: committed work {:.1} > capacity {:.1} in {}..{}",
            s.team, s.need_mean, s.capacity_weeks, s.first_period, s.last_period
        );
        if s.mandatory_only {
            errors.push(text);
        } else {
            warnings.push(text);
        }
    }
    for t in &check.themes {
        if t.min_unreachable() || t.max_exceeded() {
            errors.push(format!(
                "themes[{}]: share cannot be honoured: {t:?}",
                t.theme
            ));
        }
    }
    if let Some(b) = &check.budget {
        if b.mandatory_cost_mean > b.budget {
            errors.push(format!("mandatory cost over budget: {b:?}"));
        }
    }
    if errors.is_empty() {
        Ok(Validated {
            loaded,
            check,
            warnings,
        })
    } else {
        Err(errors)
    }
}

/// Fails the test with every spec that failed of the `count` tried: the grid runs to its end
/// first, so one run shows them all.
fn assert_none_failed(failures: &[String], count: usize) {
    assert!(
        failures.is_empty(),
        "{} of {count} specs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn describe(spec: &GenerateSpec) -> String {
    format!(
        "{} (skew {}, uncertainty {}, density {}, correlation {})",
        spec.command(),
        spec.value_skew,
        spec.uncertainty,
        spec.dependency_density,
        spec.effort_correlation
    )
}

/// Expected monthly value of each feature at full adoption: direct value plus uplift x
/// demand x price at their means.
fn expected_values(model: &Model) -> Vec<f64> {
    model
        .features
        .iter()
        .map(|f| {
            f.value_monthly.map_or(0.0, |v| model.mean(v))
                + f.uplift
                    .iter()
                    .map(|u| {
                        let s = &model.segments[u.segment];
                        model.mean(u.fraction) * model.mean(s.demand) * model.mean(s.price)
                    })
                    .sum::<f64>()
        })
        .collect()
}

fn top_decile_share(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let top = (sorted.len() / 10).max(1);
    sorted[..top].iter().sum::<f64>() / sorted.iter().sum::<f64>()
}

fn expected_deals(features: usize) -> usize {
    if features >= 4 {
        ((features as f64 / 20.0).round() as usize).max(1)
    } else {
        0
    }
}

#[test]
fn every_spec_of_the_grid_validates_without_errors_or_warnings() {
    let mut failures = Vec::new();
    let mut count = 0;
    for features in [1, 2, 5, 30, 100, 500] {
        for teams in [1, 3, 10] {
            for periods in [1, 4, 8, 12, 26] {
                for seed in [1, 2, 2027] {
                    let spec = GenerateSpec::new(features, teams, periods, seed);
                    spec.check().unwrap();
                    count += 1;
                    match validate(generate(&spec), 200) {
                        Ok(v) => {
                            if !v.warnings.is_empty() {
                                failures.push(format!(
                                    "{}: {} warning(s):\n  {}",
                                    describe(&spec),
                                    v.warnings.len(),
                                    v.warnings.join("\n  ")
                                ));
                            }
                            let m = &v.loaded.model;
                            assert_eq!(m.features.len(), features, "{}", describe(&spec));
                            assert_eq!(m.teams.len(), teams, "{}", describe(&spec));
                            assert_eq!(m.time.periods, periods, "{}", describe(&spec));
                            assert_eq!(
                                m.deals.len(),
                                expected_deals(features),
                                "{}",
                                describe(&spec)
                            );
                            assert!(v.check.is_feasible(), "{}", describe(&spec));
                        }
                        Err(errors) => failures.push(format!(
                            "{}: {} error(s):\n  {}",
                            describe(&spec),
                            errors.len(),
                            errors.join("\n  ")
                        )),
                    }
                }
            }
        }
    }
    assert_none_failed(&failures, count);
}

#[test]
fn the_knobs_at_their_extremes_still_validate() {
    let mut failures = Vec::new();
    let mut warned = Vec::new();
    let mut count = 0;
    for (features, teams, periods) in [
        (1, 1, 1),
        (5, 3, 4),
        (30, 1, 1),
        (30, 10, 26),
        (100, 3, 4),
        (100, 10, 12),
        (500, 3, 8),
    ] {
        for skew in [0.0, 2.0] {
            for uncertainty in [0.0, 2.0] {
                for density in [0.0, 1.0] {
                    // Effort correlations over hundreds of inputs make validation slow (an
                    // eigen-decomposition of the whole matrix), so the largest size skips them.
                    let correlations: &[f64] = if features > 100 { &[0.0] } else { &[0.0, 0.8] };
                    for &correlation in correlations {
                        for seed in [3, 4] {
                            // Deals from none to one per two features, alternating by seed.
                            let deal_rate = if seed == 3 { 0.0 } else { 0.5 };
                            let spec = GenerateSpec {
                                value_skew: skew,
                                uncertainty,
                                dependency_density: density,
                                effort_correlation: correlation,
                                deal_rate,
                                ..GenerateSpec::new(features, teams, periods, seed)
                            };
                            spec.check().unwrap();
                            count += 1;
                            match validate(generate(&spec), 200) {
                                Ok(v) if !v.warnings.is_empty() => warned.push(format!(
                                    "{}:\n  {}",
                                    describe(&spec),
                                    v.warnings.join("\n  ")
                                )),
                                Ok(v) => {
                                    assert_eq!(v.loaded.model.features.len(), features);
                                }
                                Err(errors) => failures.push(format!(
                                    "{}:\n  {}",
                                    describe(&spec),
                                    errors.join("\n  ")
                                )),
                            }
                        }
                    }
                }
            }
        }
    }
    if !warned.is_empty() {
        println!(
            "{} of {count} specs with extreme knobs have warnings:\n{}",
            warned.len(),
            warned.join("\n")
        );
    }
    assert_none_failed(&failures, count);
}

#[test]
fn the_same_spec_gives_the_same_bytes_and_seeds_differ() {
    for (features, teams, periods) in [(1, 1, 1), (30, 3, 4), (500, 10, 26)] {
        let spec = GenerateSpec::new(features, teams, periods, 11);
        let a = generate(&spec);
        assert_eq!(a, generate(&spec.clone()), "{}", describe(&spec));
        let other = GenerateSpec::new(features, teams, periods, 12);
        assert_ne!(a, generate(&other), "{}", describe(&other));
        let knob = GenerateSpec {
            value_skew: 2.0,
            ..spec.clone()
        };
        assert_ne!(a, generate(&knob), "{}", describe(&knob));
    }
}

#[test]
fn seeds_across_the_whole_u64_range_validate() {
    for seed in [0, u64::MAX, i64::MAX as u64 + 1] {
        let spec = GenerateSpec::new(40, 3, 4, seed);
        let v = validate(generate(&spec), 200).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(v.loaded.model.simulation.seed, seed);
        assert!(v.loaded.model.name.ends_with(&format!("seed {seed})")));
    }
}

#[test]
fn the_backlog_is_well_above_capacity_so_choices_matter() {
    for (features, teams, periods, seed) in [
        (30, 3, 4, 1),
        (100, 3, 4, 2),
        (100, 10, 26, 3),
        (500, 10, 8, 4),
        (500, 1, 1, 5),
        (2000, 10, 8, 6),
    ] {
        let spec = GenerateSpec::new(features, teams, periods, seed);
        let v = validate(generate(&spec), 100).unwrap_or_else(|e| panic!("{e:?}"));
        let backlog: f64 = v.check.teams.iter().map(|t| t.backlog_mean).sum();
        let capacity: f64 = v.check.teams.iter().map(|t| t.capacity_weeks).sum();
        let ratio = backlog / capacity;
        assert!(
            (1.5..=2.5).contains(&ratio),
            "{}: expected effort {backlog:.0} / capacity {capacity:.0} = {ratio:.2}",
            describe(&spec)
        );
        for t in &v.check.teams {
            let r = t.backlog_mean / t.capacity_weeks;
            assert!(
                (1.4..=2.6).contains(&r),
                "{}: team {} has ratio {r:.2}",
                describe(&spec),
                t.team
            );
        }
        // The budget is 70-80% of the expected cost of the whole backlog.
        let m = &v.loaded.model;
        let cost: f64 = m
            .features
            .iter()
            .map(|f| {
                f.effort
                    .iter()
                    .map(|e| m.mean(e.weeks) * m.teams[e.team].cost_per_week)
                    .sum::<f64>()
                    + f.cost.map_or(0.0, |c| m.mean(c))
                    + f.risks
                        .iter()
                        .map(|r| {
                            r.probability
                                * (r.cost.map_or(0.0, |c| m.mean(c))
                                    + r.effort
                                        .iter()
                                        .map(|e| m.mean(e.weeks) * m.teams[e.team].cost_per_week)
                                        .sum::<f64>())
                        })
                        .sum::<f64>()
            })
            .sum();
        let budget = m.budget.expect("a budget");
        assert!(
            (0.69..=0.81).contains(&(budget / cost)),
            "{}: budget {budget} against backlog cost {cost:.0}",
            describe(&spec)
        );
    }
}

#[test]
fn a_few_features_carry_most_of_the_value() {
    let share = |skew: f64, seed: u64| {
        let spec = GenerateSpec {
            value_skew: skew,
            ..GenerateSpec::new(500, 5, 4, seed)
        };
        let v = validate(generate(&spec), 100).unwrap_or_else(|e| panic!("{e:?}"));
        top_decile_share(&expected_values(&v.loaded.model))
    };
    for seed in [1, 2, 3] {
        let (flat, default, extreme) = (share(0.0, seed), share(1.0, seed), share(2.0, seed));
        println!("seed {seed}: top 10% of features carry {flat:.2} (skew 0), {default:.2} (skew 1), {extreme:.2} (skew 2) of the value");
        assert!(
            default >= 0.4,
            "skew 1, seed {seed}: top decile share {default:.2}"
        );
        assert!(
            flat < 0.2,
            "skew 0, seed {seed}: top decile share {flat:.2}"
        );
        assert!(
            extreme > default,
            "seed {seed}: {extreme:.2} <= {default:.2}"
        );
    }
}

#[test]
fn portfolios_have_the_structure_that_makes_prioritisation_hard() {
    let spec = GenerateSpec::new(500, 6, 8, 9);
    let text = generate(&spec);
    let v = validate(text.clone(), 100).unwrap_or_else(|e| panic!("{e:?}"));
    let m = &v.loaded.model;
    let n = m.features.len() as f64;
    let share = |pred: &dyn Fn(&roadmap::model::Feature) -> bool| {
        m.features.iter().filter(|f| pred(f)).count() as f64 / n
    };
    let requiring = share(&|f| !f.requires.is_empty());
    assert!((0.18..=0.32).contains(&requiring), "{requiring}");
    assert!(m
        .features
        .iter()
        .any(|f| f.requires.iter().any(|r| r.lag_periods == 1)));
    assert!(m.features.iter().any(|f| !f.excludes.is_empty()));
    let mandatory = share(&|f| f.mandatory);
    assert!((0.02..=0.06).contains(&mandatory), "{mandatory}");
    let dated = share(&|f| f.deadline.is_some() && !f.mandatory);
    assert!((0.06..=0.12).contains(&dated), "{dated}");
    assert!(m.features.iter().any(|f| matches!(
        f.deadline,
        Some(roadmap::model::Deadline {
            kind: roadmap::model::DeadlineKind::Soft { .. },
            ..
        })
    )));
    let risky = share(&|f| !f.risks.is_empty());
    assert!((0.08..=0.22).contains(&risky), "{risky}");
    assert!(share(&|f| f.earliest_period.is_some()) > 0.02);
    assert!(share(&|f| f.cost.is_some()) > 0.02);
    assert!(share(&|f| f.vendor_lead_weeks.is_some()) > 0.01);
    assert!(share(&|f| !f.uplift.is_empty()) > 0.3);
    assert!(share(&|f| f.value_monthly.is_some()) > 0.2);
    assert!(share(&|f| f.effort.len() >= 2) > 0.15);
    // Enablers: worth nothing alone, needed by others.
    assert!(share(&|f| f.value_monthly.is_none() && f.uplift.is_empty()) > 0.0);
    for f in &m.features {
        let fw = &f.framework;
        assert!(
            fw.reach.is_some()
                && fw.impact.is_some()
                && fw.confidence.is_some_and(|c| (0.5..=1.0).contains(&c))
                && fw.ease.is_some_and(|e| (1.0..=10.0).contains(&e))
                && fw.moscow.is_some()
                && fw.business_value.is_some()
                && fw.time_criticality.is_some()
                && fw.risk_reduction.is_some(),
            "{}: {fw:?}",
            f.id
        );
    }
    assert_eq!(m.segments.len(), 5);
    assert!(m
        .themes
        .iter()
        .any(|t| t.id == "reliability" && t.min_share > 0.0));
    assert!(m.themes.iter().any(|t| t.id == "ai" && t.max_share < 1.0));
    assert!(!m.correlations.is_empty());
    assert!(m.deals.iter().any(|d| d.by_period.is_some()));
    // Value per week and RICE disagree about which features come first.
    let values = expected_values(m);
    let weeks: Vec<f64> = m
        .features
        .iter()
        .map(|f| f.effort.iter().map(|e| m.mean(e.weeks)).sum())
        .collect();
    let rice: Vec<f64> = m
        .features
        .iter()
        .zip(&weeks)
        .map(|(f, w)| {
            let fw = &f.framework;
            fw.reach.unwrap() * fw.impact.unwrap() * fw.confidence.unwrap() / w
        })
        .collect();
    let by_value: Vec<f64> = values.iter().zip(&weeks).map(|(v, w)| v / w).collect();
    let top = |scores: &[f64]| {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        order.truncate(scores.len() / 5);
        order.sort_unstable();
        order
    };
    let (a, b) = (top(&rice), top(&by_value));
    let common = a.iter().filter(|i| b.binary_search(i).is_ok()).count();
    let overlap = common as f64 / a.len() as f64;
    println!("top fifth by RICE and by value per week overlap {overlap:.2}");
    assert!((0.15..0.85).contains(&overlap), "{overlap}");
    // The file reads like a hand-written one.
    assert!(text.starts_with("# Generated portfolio (500 features, 6 teams, 8 periods, seed 9)"));
    assert!(text.contains("roadmap generate --features 500 --teams 6 --periods 8 --seed 9"));
    assert!(text.contains("\n\n[[features]]\nid = \"f-001\"\nname = \""));
}

#[test]
fn effort_correlations_name_one_pattern_per_team() {
    let spec = GenerateSpec {
        effort_correlation: 0.4,
        ..GenerateSpec::new(60, 3, 4, 5)
    };
    let text = generate(&spec);
    for team in ["web", "mobile", "platform"] {
        assert!(
            text.contains(&format!(
                "[[correlations]]\ninputs = [\"features[*].effort.{team}\"]\nrho = 0.4\n"
            )),
            "{team}"
        );
    }
    let v = validate(text, 100).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    let efforts = v
        .loaded
        .model
        .correlations
        .iter()
        .filter(|c| (c.rho - 0.4).abs() < 1e-12)
        .count();
    assert!(efforts > 100, "{efforts} correlated effort pairs");
}

/// The Monte Carlo benchmarks' sizes: generate and validate as `roadmap validate` does
/// (10,000 trials in the capacity check). The time is printed, not asserted.
#[test]
fn two_thousand_features_generate_and_validate_quickly() {
    for (teams, periods) in [(10, 8), (10, 26)] {
        let spec = GenerateSpec::new(2000, teams, periods, 2000);
        let start = Instant::now();
        let text = generate(&spec);
        let generated = start.elapsed();
        let v = validate(text.clone(), 10_000).unwrap_or_else(|e| panic!("{e:?}"));
        let total = start.elapsed();
        println!(
            "2,000 features x {teams} teams x {periods} periods: generate {:.0} ms, + validate and capacity check (10,000 trials) {:.0} ms; {} lines, {} uncertain inputs",
            generated.as_secs_f64() * 1000.0,
            (total - generated).as_secs_f64() * 1000.0,
            text.lines().count(),
            v.loaded.model.uncertain_input_count()
        );
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
        assert_eq!(v.loaded.model.features.len(), 2000);
        assert_eq!(v.loaded.model.deals.len(), 100);
    }
}

/// End to end through `roadmap validate`'s own code path, from a file.
#[test]
fn the_validate_command_accepts_a_generated_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("generated.toml");
    std::fs::write(&path, generate(&GenerateSpec::new(100, 4, 6, 21))).unwrap();
    let out = roadmap::app::validate(&roadmap::app::ValidateCommand {
        file: path,
        format: roadmap::app::Format::Text,
        all_warnings: true,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.stdout.starts_with("ok: "), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

/// Effort correlations make validation much slower (the PSD check and Iman-Conover work on
/// the whole matrix of correlated efforts): measured, not asserted. Run with `--ignored`.
#[test]
#[ignore]
fn effort_correlations_at_scale_timing() {
    for (features, teams) in [(100, 3), (500, 3), (1000, 10)] {
        let spec = GenerateSpec {
            effort_correlation: 0.3,
            ..GenerateSpec::new(features, teams, 8, 1)
        };
        let text = generate(&spec);
        let start = Instant::now();
        let loaded = common::load::loaded("gen.toml", text);
        let loaded_at = start.elapsed();
        capacity::check(&loaded.model, 10_000, 1);
        println!(
            "{features} features x {teams} teams, effort correlation 0.3 ({} pairs): load {:.2} s, capacity check (10,000 trials) {:.2} s",
            loaded.model.correlations.len(),
            loaded_at.as_secs_f64(),
            (start.elapsed() - loaded_at).as_secs_f64()
        );
    }
}
