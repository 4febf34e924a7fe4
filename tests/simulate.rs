//! The Monte Carlo engine checked against answers: a scenario computed by hand to the cent,
//! properties that must hold trial by trial on common random numbers, the statistics'
//! behaviour, determinism across thread counts, and snapshots of what users see.

mod common;

use common::build::Scenario;
use common::cli::run as roadmap;
use common::load::model_from;
use proptest::prelude::*;
use roadmap::model::{Model, Order};
use roadmap::sample::Method;
use roadmap::simulate::{Engine, Schedule, SimResult, NOT_DELIVERED};

fn run(model: &Model, schedule: &Schedule, trials: u64, seed: u64) -> SimResult {
    common::solve::simulate(model, schedule, seed, trials, Some(1))
}

fn in_file_order(model: &Model) -> Schedule {
    Schedule::Order(Order {
        features: (0..model.features.len()).collect(),
    })
}

/// tests/fixtures/simulate/hand.toml, computed by hand. One team of 10 person-weeks a quarter
/// (13 weeks: 10/13 person-weeks a week) at 1,000 a week; 12% a year discounted monthly;
/// value counted to month 24.
/// - alpha (6 weeks, 1,000/month) finishes at 6 / (10/13) = 7.8 weeks: Q1, released at the end
///   of month 3, so it earns months 4..24.
/// - beta (8 weeks, 500/month, 3-month ramp, 2,000 one-off cost) starts at week 7.8 (its cost
///   falls due then, 1.8 months in), takes the last 4 weeks of Q1 and 4 of Q2, and finishes at
///   13 + 4 x 1.3 = 18.2 weeks: Q2, released at month 6; its first three months earn 1/6, 1/2
///   and 5/6 of a month's value.
/// - the deal pays 10,000 at month 6, when its last feature ships, by its Q2 date.
/// - team time is paid over the period a feature is released in: alpha's 6 weeks over months
///   1-3, beta's 8 weeks (4 of them worked in Q1) over months 4-6.
#[test]
fn a_hand_computed_scenario_matches_to_the_cent() {
    let model = common::load::model_file("tests/fixtures/simulate/hand.toml");
    let r = 1.12f64.powf(1.0 / 12.0);
    let d = |months: f64| r.powf(-months);
    let alpha: f64 = (4..=24).map(|m| 1000.0 * d(m as f64)).sum();
    let ramp = |m: usize| match m {
        7 => 1.0 / 6.0,
        8 => 0.5,
        9 => 5.0 / 6.0,
        _ => 1.0,
    };
    let beta: f64 = (7..=24).map(|m| 500.0 * ramp(m) * d(m as f64)).sum();
    let deal = 10_000.0 * d(6.0);
    let team =
        6_000.0 * (d(1.0) + d(2.0) + d(3.0)) / 3.0 + 8_000.0 * (d(4.0) + d(5.0) + d(6.0)) / 3.0;
    let fixed = 2_000.0 * d(7.8 / (52.0 / 12.0));
    let expected = alpha + beta + deal - team - fixed;
    // The same number, computed independently in Python when the test was written.
    assert!((expected - 19_478.354_488).abs() < 1e-5);

    let result = run(&model, &in_file_order(&model), 7, 1);
    assert!(
        (result.npv.mean - expected).abs() < 0.005,
        "simulated {} vs hand {}",
        result.npv.mean,
        expected
    );
    for q in [
        result.npv.p5,
        result.npv.p50,
        result.npv.p95,
        result.npv.min,
        result.npv.max,
    ] {
        assert!((q - expected).abs() < 0.005, "{q}");
    }
    assert_eq!(result.npv.std_error, 0.0);
    assert!((result.cost.mean - (team + fixed)).abs() < 0.005);
    assert!((result.value.mean - (alpha + beta + deal)).abs() < 0.005);
    assert_eq!(result.deals[0].p_won, 1.0);
    // Undiscounted spend: 14 person-weeks and the one-off cost.
    assert!((result.spend.mean - 16_000.0).abs() < 1e-9);
    let beta_outcome = result.features.iter().find(|f| f.id == "beta").unwrap();
    assert_eq!(beta_outcome.p50_period.as_deref(), Some("2027Q2"));
    assert!((beta_outcome.mean_completion_week.unwrap() - 18.2).abs() < 1e-9);
    // Cumulative net value at the horizon is the NPV.
    let last = result.value_by_month.last().unwrap();
    assert!((last.mean - expected).abs() < 0.005);
    // Every trial works 10 person-weeks in Q1 (alpha 6, beta 4) and 4 in Q2 (beta's rest):
    // with nothing uncertain, the 90th percentile of work is the work itself.
    let web = &result.teams[0].periods;
    assert_eq!((web[0].work_p90_weeks, web[1].work_p90_weeks), (10.0, 4.0));
}

/// Deals that come too late do not pay; a soft deadline charges its penalty per period late,
/// discounted at each period's end; a hard deadline missed is counted as a miss.
#[test]
fn deal_dates_and_deadline_penalties_are_counted_as_documented() {
    let text = Scenario::plan("periods = 3\nhorizon_months = 12\ndiscount_rate = 0.0")
        .team("t", "capacity = 10")
        .feature("first", "effort = { t = 10 }\nvalue = 100")
        .feature(
            "late",
            "effort = { t = 15 }\ndeadline = { period = 1, kind = \"soft\", penalty = 1000 }\nvalue = 100",
        )
        .feature("hard", "effort = { t = 1 }\ndeadline = 2\nvalue = 1")
        .table("deals", "early", "features = [\"late\"]\none_off = 5000\nby = 1");
    let model = model_from(text.text());
    // first: P1; late: 10 weeks of P2 + 5 of P3 -> P3, two periods after its deadline (P1);
    // hard: 1 week of P3 after late -> P3, a period after its hard deadline (P2): a miss, but
    // delivered, so its value still counts.
    let result = run(&model, &in_file_order(&model), 3, 1);
    let f = |id: &str| result.features.iter().find(|f| f.id == id).unwrap().clone();
    assert_eq!(f("late").p50_period.as_deref(), Some("P3"));
    assert_eq!(f("late").p_by_deadline, Some(0.0));
    assert_eq!(f("hard").p_by_deadline, Some(0.0));
    assert_eq!(f("hard").p_delivered, 1.0);
    assert_eq!(result.deals[0].p_won, 0.0);
    assert!((result.penalties.mean - 2000.0).abs() < 1e-9);
    // No discounting: value is monthly value x months from release to month 12.
    let months = |period: f64| 12.0 - period * 3.0;
    let value = 100.0 * months(1.0) + 100.0 * months(3.0) + 1.0 * months(3.0);
    assert!(
        (result.value.mean - value).abs() < 1e-6,
        "{}",
        result.value.mean
    );
}

fn team_scenario(capacity: &str) -> String {
    let web =
        format!("capacity = {capacity}\ncapacity_factor = [0.7, 0.9, 1.0]\ncost_per_week = 1000");
    Scenario::plan("periods = 4\nstart = \"2027Q1\"\nhorizon_months = 30")
        .team("web", &web)
        .team("api", "capacity = 12")
        .feature(
            "a",
            "effort = { web = [4, 6, 12], api = [1, 2, 4] }\nvalue = [1000, 2000, 4000]",
        )
        .feature(
            "b",
            "effort = { web = [6, 9, 15] }\nvalue = 1500\nrequires = \"a\"",
        )
        .feature(
            "c",
            "effort = { api = [5, 8, 14] }\nvalue = 900\nvendor_lead_weeks = [4, 8, 16]",
        )
        .feature(
            "d",
            "effort = { web = [3, 5, 9] }\nvalue = 700\nearliest = \"2027Q2\"\n\
             requires = { id = \"c\", lag = 1 }\n\
             risks = [{ name = \"rework\", probability = 0.3, effort = { web = [2, 4, 8] } }]",
        )
        .text()
        .to_string()
}

/// Standard errors fall as 1/sqrt(n): quadrupling the trials halves them.
#[test]
fn standard_error_falls_as_one_over_root_n() {
    let model = model_from(&team_scenario("10"));
    let schedule = in_file_order(&model);
    let se: Vec<f64> = [2_000u64, 8_000, 32_000]
        .iter()
        .map(|&n| run(&model, &schedule, n, 3).npv.std_error)
        .collect();
    for pair in se.windows(2) {
        let ratio = pair[0] / pair[1];
        assert!((ratio - 2.0).abs() < 0.2, "{se:?}");
    }
}

/// Probabilities are probabilities: each feature's delivery periods and non-delivery sum to
/// one, and quantiles are ordered.
#[test]
fn summaries_are_consistent() {
    let model = model_from(&team_scenario("8"));
    let r = run(&model, &in_file_order(&model), 5_000, 9);
    for f in &r.features {
        let total: f64 = f.period_probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "{}", f.id);
        assert!((f.p_delivered - (1.0 - f.period_probabilities.last().unwrap())).abs() < 1e-12);
    }
    let n = &r.npv;
    assert!(n.min <= n.p5 && n.p5 <= n.p10 && n.p10 <= n.p50);
    assert!(n.p50 <= n.p90 && n.p90 <= n.p95 && n.p95 <= n.max);
    for b in &r.value_by_month {
        assert!(b.p10 <= b.p25 && b.p25 <= b.p50, "{b:?}");
        assert!(b.p50 <= b.p75 && b.p75 <= b.p90, "{b:?}");
    }
    for t in &r.teams {
        for p in &t.periods {
            let u = p.utilisation_mean.unwrap();
            assert!((0.0..=1.0).contains(&u) && p.utilisation_p90.unwrap() >= u - 1e-3);
            assert!(p.work_p90_weeks >= 0.0 && p.work_p90_weeks >= p.work_weeks - 1e-3);
        }
    }
    // The api team's capacity is certain (12 person-weeks), so no trial works more than 12,
    // and work over capacity is utilisation: the work sketch's P90 must agree with the
    // utilisation histogram's P90 (read at the upper edge of a 0.1% bin) to the sketch's 1%
    // accuracy.
    let api = r.teams.iter().find(|t| t.id == "api").unwrap();
    for p in &api.periods {
        assert_eq!(p.capacity_weeks, 12.0);
        assert!(p.work_p90_weeks <= 12.0, "{p:?}");
        let from_utilisation = p.utilisation_p90.unwrap() * 12.0;
        assert!(
            p.work_p90_weeks <= from_utilisation + 1e-9
                && p.work_p90_weeks >= from_utilisation * (1.0 - 1e-2) - 12.0 / 1000.0,
            "{p:?}"
        );
    }
}

/// Every trial, with more capacity on the same random numbers, delivers every feature no later.
fn assert_monotone(small: &Model, large: &Model, order: &Order, trials: u64, seed: u64) {
    let schedule = Schedule::Order(order.clone());
    let a = Engine::new(small, &schedule, seed, Method::MonteCarlo, trials);
    let b = Engine::new(large, &schedule, seed, Method::MonteCarlo, trials);
    let mut sa = a.scratch(small.features.len());
    let mut sb = b.scratch(large.features.len());
    for trial in 0..trials {
        a.run_trial(trial, &mut sa);
        b.run_trial(trial, &mut sb);
        for f in 0..small.features.len() {
            let (pa, pb) = (sa.period[f], sb.period[f]);
            assert!(
                pa == NOT_DELIVERED || (pb != NOT_DELIVERED && pb <= pa),
                "trial {trial}, {}: period {pa} with less capacity, {pb} with more",
                small.features[f].id
            );
            assert!(
                sb.complete[f] <= sa.complete[f] + 1e-9,
                "trial {trial}, {}: week {} with less capacity, {} with more",
                small.features[f].id,
                sa.complete[f],
                sb.complete[f]
            );
        }
    }
}

#[test]
fn more_capacity_never_delays_a_completion_in_the_example() {
    let small = model_from(&team_scenario("8"));
    let large = model_from(&team_scenario("[9, 8, 12, 8]"));
    let order = Order {
        features: vec![3, 1, 0, 2],
    }
    .normalised(&small)
    .0;
    assert_monotone(&small, &large, &order, 3_000, 5);
}

/// A random small portfolio: features with efforts on two teams, requirements (with lags) on
/// earlier features, earliest periods, vendor lead times and risks.
fn portfolio(features: &[(u8, u8, u8, u8, u8, bool, u8)], capacity: (u8, u8)) -> String {
    let mut text = format!(
        "[plan]\nperiods = 4\nhorizon_months = 24\n[[teams]]\nid = \"x\"\ncapacity = {}\ncapacity_factor = [0.6, 0.9, 1.1]\n[[teams]]\nid = \"y\"\ncapacity = {}\n",
        capacity.0, capacity.1
    );
    for (i, &(ex, ey, req, lag, earliest, vendor, risk)) in features.iter().enumerate() {
        text.push_str(&format!("[[features]]\nid = \"f{i}\"\nvalue = 100\n"));
        let mut effort = Vec::new();
        if ex > 0 {
            effort.push(format!("x = [{}, {}, {}]", ex, ex + 1, 2 * ex + 2));
        }
        if ey > 0 {
            effort.push(format!("y = [{}, {}, {}]", ey, ey + 2, 3 * ey));
        }
        if !effort.is_empty() {
            text.push_str(&format!("effort = {{ {} }}\n", effort.join(", ")));
        }
        if i > 0 && req > 0 {
            let target = (req as usize - 1) % i;
            text.push_str(&format!(
                "requires = {{ id = \"f{target}\", lag = {} }}\n",
                lag % 2
            ));
        }
        if earliest % 4 > 0 && !(i > 0 && req > 0) {
            text.push_str(&format!("earliest = {}\n", earliest % 4 + 1));
        }
        if vendor {
            text.push_str("vendor_lead_weeks = [2, 6, 20]\n");
        }
        if risk > 0 {
            text.push_str(&format!(
                "risks = [{{ name = \"r\", probability = 0.{risk}, effort = {{ x = [1, 3, 6] }}, delay_weeks = [1, 2, 5] }}]\n"
            ));
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Monotonicity on common random numbers over random portfolios and orders.
    #[test]
    fn more_capacity_never_delays_any_completion_in_any_trial(
        features in prop::collection::vec((0u8..8, 0u8..6, 0u8..4, 0u8..3, 0u8..6, any::<bool>(), 0u8..5), 1..8),
        capacity in (1u8..20, 1u8..20),
        extra in (0u8..10, 0u8..10),
        shuffle in any::<u64>(),
        seed in any::<u64>(),
    ) {
        let small = model_from(&portfolio(&features, capacity));
        let large = model_from(&portfolio(&features, (capacity.0 + extra.0, capacity.1 + extra.1)));
        let mut ids: Vec<usize> = (0..small.features.len()).collect();
        // A deterministic shuffle of the order from the generated key.
        let mut key = shuffle;
        for i in (1..ids.len()).rev() {
            key = key.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ids.swap(i, (key >> 33) as usize % (i + 1));
        }
        let order = Order { features: ids }.normalised(&small).0;
        assert_monotone(&small, &large, &order, 200, seed);
    }
}

#[test]
fn the_same_seed_gives_the_same_numbers_on_1_2_and_8_threads() {
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8"] {
        let (code, stdout, stderr) = roadmap(&[
            "simulate",
            "scenarios/saas-annual-plan.toml",
            "--trials",
            "5000",
            "--seed",
            "11",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        outputs.push(stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    // And a different seed gives different numbers.
    let (_, other, _) = roadmap(&[
        "simulate",
        "scenarios/saas-annual-plan.toml",
        "--trials",
        "5000",
        "--seed",
        "12",
        "--format",
        "json",
    ]);
    assert_ne!(outputs[0], other);
}

#[test]
fn json_has_the_documented_npv_object() {
    let (code, stdout, stderr) = roadmap(&[
        "simulate",
        "scenarios/mobile-launch.toml",
        "--trials",
        "2000",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for key in ["mean", "std_error", "p10", "p50", "p90"] {
        assert!(v["npv"][key].is_number(), "npv.{key} missing: {}", v["npv"]);
    }
    assert_eq!(v["trials"], 2000);
    assert!(v["features"].as_array().unwrap().len() > 5);

    // The CSV is one long table with the same numbers.
    let (code, csv, _) = roadmap(&[
        "simulate",
        "scenarios/mobile-launch.toml",
        "--trials",
        "2000",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("section,id,period,statistic,value"));
    let mean: f64 = lines
        .find_map(|l| l.strip_prefix("npv,,,mean,"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(mean, v["npv"]["mean"].as_f64().unwrap());
}

#[test]
fn raw_trials_stream_to_a_file_that_agrees_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("trials.csv");
    let (code, stdout, stderr) = roadmap(&[
        "simulate",
        "scenarios/hardware-device.toml",
        "--trials",
        "3000",
        "--format",
        "json",
        "--raw",
        raw.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let text = std::fs::read_to_string(&raw).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("trial,npv,value,cost,penalties,spend,"));
    let npvs: Vec<f64> = lines
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(npvs.len(), 3000);
    let mean = npvs.iter().sum::<f64>() / npvs.len() as f64;
    // Raw money is written to the cent.
    assert!((mean - v["npv"]["mean"].as_f64().unwrap()).abs() < 0.01);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[test]
fn out_writes_every_file_and_bad_input_exits_2_without_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sim");
    let (code, _, stderr) = roadmap(&[
        "simulate",
        "scenarios/backlog-plan.toml",
        "--trials",
        "500",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        common::cli::file_names(&out),
        [
            "deals.csv",
            "features.csv",
            "simulate.csv",
            "simulate.json",
            "simulate.txt",
            "teams.csv",
            "value_by_month.csv"
        ]
    );

    let plan = dir.path().join("plan.csv");
    std::fs::write(&plan, "feature,period\nno-such-feature,2027Q1\n").unwrap();
    let raw = dir.path().join("raw.csv");
    let (code, _, stderr) = roadmap(&[
        "simulate",
        "scenarios/saas-annual-plan.toml",
        "--plan",
        plan.to_str().unwrap(),
        "--raw",
        raw.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("plan.csv:2"), "{stderr}");
    assert!(!raw.exists());
    let (code, _, stderr) = roadmap(&[
        "simulate",
        "scenarios/saas-annual-plan.toml",
        "--order",
        "no-such-rule-or-file",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("value-per-effort"), "{stderr}");
}

/// A plan is executed as written: features left out are not worked on, and on-plan rates
/// compare delivery with the planned period.
#[test]
fn plans_run_as_written() {
    let model = model_from(&team_scenario("10"));
    let plan = roadmap::model::Plan::new(vec![Some(0), Some(1), None, None]);
    let r = run(&model, &Schedule::Plan(plan), 4_000, 2);
    let ids: Vec<&str> = r.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let a = &r.features[0];
    assert_eq!(a.planned.as_deref(), Some("2027Q1"));
    let on_plan = a.p_on_plan.unwrap();
    assert!((0.0..=1.0).contains(&on_plan));
    // On plan means delivered by the planned period.
    assert!((on_plan - a.period_probabilities[0]).abs() < 1e-12);
}

#[test]
fn the_terminal_table_is_what_users_see() {
    let (code, stdout, stderr) = roadmap(&[
        "simulate",
        "scenarios/saas-annual-plan.toml",
        "--trials",
        "2000",
        "--seed",
        "42",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("flagship_simulate", stdout);
    let (code, stdout, stderr) = roadmap(&[
        "simulate",
        "tests/fixtures/simulate/hand.toml",
        "--trials",
        "10",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("hand_simulate", stdout);
}
