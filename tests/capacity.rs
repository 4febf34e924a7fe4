//! The capacity check against hand-computed cases.

mod common;

use common::build::Scenario;
use common::load::model_from;
use roadmap::analysis::capacity::{self, Commitment};

/// Three quarters from 2027Q1; `web` has 10 person-weeks a quarter, `data` 4 at half
/// capacity; `features` follow.
fn model(features: &str) -> roadmap::model::Model {
    let text = Scenario::plan("periods = 3\nperiod_weeks = 13\nstart = \"2027Q1\"")
        .team("web", "capacity = 10")
        .team("data", "capacity = [4, 4, 4]\ncapacity_factor = 0.5")
        .raw(features);
    model_from(text.text())
}

#[test]
fn constant_work_is_spread_over_its_window_and_counted_when_due() {
    let m = model(
        "[[features]]\nid = \"a\"\neffort = { web = 15 }\nmandatory = true\ndeadline = \"2027Q2\"\n\n\
         [[features]]\nid = \"b\"\neffort = { web = 6, data = 3 }\nearliest = 3\nvalue = 1\ndeadline = 3\n\n\
         [[features]]\nid = \"c\"\neffort = { web = 100 }\nvalue = 1\n",
    );
    let check = capacity::check(&m, 50, 1);
    let web = &check.teams[0];
    let committed: Vec<f64> = web.periods.iter().map(|p| p.committed_mean).collect();
    // a: 15 over Q1..Q2; b: 6 in Q3 alone; c is not committed.
    assert_eq!(committed, vec![7.5, 7.5, 6.0]);
    let due: Vec<f64> = web.periods.iter().map(|p| p.due_by_end_mean).collect();
    assert_eq!(due, vec![0.0, 15.0, 21.0]);
    assert_eq!(web.capacity_weeks, 30.0);
    assert_eq!(web.backlog_mean, 121.0);
    assert!(check.shortfalls.iter().all(|s| s.team != "web"));
    assert_eq!(web.p_fits, 1.0);
    // data works at half capacity: 2 a period; b's 3 weeks in Q3 alone do not fit.
    let data = &check.teams[1];
    assert_eq!(data.periods[2].capacity_weeks, 2.0);
    assert_eq!(data.p_fits, 0.0);
    assert_eq!(data.p_fits_mandatory, 1.0);
    let s = &check.shortfalls[0];
    assert_eq!(
        (
            s.team.as_str(),
            s.first_period.as_str(),
            s.last_period.as_str()
        ),
        ("data", "2027Q3", "2027Q3")
    );
    assert_eq!(
        (
            s.need_mean,
            s.capacity_weeks,
            s.short_weeks,
            s.mandatory_only
        ),
        (3.0, 2.0, 1.0, false)
    );
    assert!(
        check.is_feasible(),
        "only deadline work is short, not mandatory work"
    );
}

#[test]
fn prerequisites_inherit_due_periods_less_their_lag() {
    let m = model(
        "[[features]]\nid = \"report\"\neffort = { web = 4 }\nmandatory = true\nrequires = [{ id = \"model\", lag = 1 }]\n\n\
         [[features]]\nid = \"model\"\neffort = { web = 12 }\n",
    );
    let c = capacity::commitments(&m);
    assert_eq!(c[0], Some((Commitment::Mandatory, 2)));
    assert_eq!(c[1], Some((Commitment::RequiredByMandatory, 1)));
    let check = capacity::check(&m, 10, 1);
    // model's 12 weeks must be done in Q1..Q2 (capacity 20); with report, 16 by Q3 (capacity 30).
    assert!(check.shortfalls.is_empty());
    assert_eq!(check.teams[0].periods[1].due_by_end_mean, 12.0);
}

#[test]
fn mandatory_overload_is_a_shortfall_naming_the_window_and_features() {
    let m = model(
        "[[features]]\nid = \"soc2\"\neffort = { web = [10, 12, 20] }\nmandatory = true\ndeadline = 1\n\n\
         [[features]]\nid = \"gdpr\"\neffort = { web = 2 }\nmandatory = true\ndeadline = 1\n",
    );
    let check = capacity::check(&m, 2000, 3);
    let s = &check.shortfalls[0];
    assert!(s.mandatory_only);
    assert_eq!(
        (s.first_period.as_str(), s.last_period.as_str()),
        ("2027Q1", "2027Q1")
    );
    // PERT mean of 10/12/20 is 13; with gdpr 15 against 10.
    assert!((s.need_mean - 15.0).abs() < 1e-9);
    assert!((s.short_weeks - 5.0).abs() < 1e-9);
    assert_eq!(s.need_low, 12.0);
    assert_eq!(s.features[0].0, "soc2");
    assert!(!check.is_feasible());
    // P80 of the committed work in Q1 lies between the mean and the high estimate.
    let p80 = check.teams[0].periods[0].committed_p80;
    assert!(p80 > 15.0 && p80 < 22.0, "{p80}");
}

/// One mandatory feature of uniform 5 to 15 weeks on a team of 10 a quarter: it fits when it
/// takes at most 10 weeks, half the time; its mean is 10 and its 80th percentile 13. Each
/// seed's estimates lie within 4 standard errors of those figures, and different seeds draw
/// different trials.
#[test]
fn a_uniform_effort_fits_as_often_as_its_distribution_says_for_any_seed() {
    let m = model_from(
        Scenario::plan("periods = 1")
            .team("web", "capacity = 10")
            .feature(
                "a",
                "effort = { web = { uniform = [5, 15] } }\nmandatory = true",
            )
            .text(),
    );
    let n = 20_000;
    let se = |sd: f64| 4.0 * sd / (n as f64).sqrt();
    let mut seen = Vec::new();
    for seed in [3, 4] {
        let check = capacity::check(&m, n, seed);
        let web = &check.teams[0];
        let q1 = &web.periods[0];
        // A share's sd is sqrt(p (1 - p)); the uniform's is 10 / sqrt(12); a quantile's is
        // sqrt(p (1 - p)) over the density there, 1/10.
        assert!(
            (web.p_fits - 0.5).abs() < se(0.5),
            "seed {seed}: {}",
            web.p_fits
        );
        let sd = 10.0 / 12f64.sqrt();
        assert!(
            (q1.committed_mean - 10.0).abs() < se(sd),
            "seed {seed}: {}",
            q1.committed_mean
        );
        assert!(
            (q1.committed_p80 - 13.0).abs() < se(0.4 / 0.1),
            "seed {seed}: {}",
            q1.committed_p80
        );
        seen.push(serde_json::to_string(&check).unwrap());
    }
    assert_ne!(seen[0], seen[1], "the seed must change the draws");
}

/// Trials run in chunks over threads; the flagship's numbers for a seed are the same on one
/// thread as on two.
#[test]
fn the_same_seed_gives_the_same_numbers_on_any_thread_count() {
    let m = common::load::model_file("scenarios/saas-annual-plan.toml");
    let json = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| serde_json::to_string(&capacity::check(&m, 20_000, seed)).unwrap())
    };
    assert_eq!(json(1, 3), json(2, 3));
}

/// Ten mandatory features on one team: correlated estimates err together, so the P80 of their
/// sum lies further above the mean than with independent estimates.
#[test]
fn correlated_efforts_widen_the_p80_of_committed_work() {
    let features: String = (0..10)
        .map(|i| {
            format!(
                "[[features]]\nid = \"f{i}\"\neffort = {{ web = [2, 3, 8] }}\nmandatory = true\n\n"
            )
        })
        .collect();
    let base =
        format!("[plan]\nperiods = 1\n\n[[teams]]\nid = \"web\"\ncapacity = 100\n\n{features}");
    let independent = model_from(&base);
    let correlated = model_from(&format!(
        "{base}[[correlations]]\ninputs = [\"features[*].effort.web\"]\nrho = 0.8\n"
    ));
    let p80 = |m: &roadmap::model::Model| {
        roadmap::analysis::capacity::check(m, 20_000, 5).teams[0].periods[0].committed_p80
    };
    let mean = 10.0 * (2.0 + 12.0 + 8.0) / 6.0;
    let (pi, pc) = (p80(&independent), p80(&correlated));
    assert!(
        pi > mean && pc > pi + 0.5 * (pi - mean),
        "independent P80 {pi}, correlated P80 {pc}, mean {mean}"
    );
}
