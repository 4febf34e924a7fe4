//! `roadmap sensitivity`: tornado points against NPVs computed by hand, rank correlations with
//! the sign they must have, re-planning never worse than holding the plan where the simulator
//! and the optimizer count alike, what a capacity drop cuts, reproducibility on any thread
//! count, and the flagship's report.

mod common;

use common::agree::counted_alike;
use common::build::Scenario;
use common::cli::{roadmap, stdout_of};
use common::load::{model_file as load, model_from as from_text};
use roadmap::analysis::sensitivity::{
    self as sens, Basis, InputKind, Mode, Sensitivity, SensitivityOptions, TornadoEntry,
};
use roadmap::model::rank::spearman;
use roadmap::model::{Dist, Model, Plan};
use roadmap::optimize::{self, OptimizeOptions};
use roadmap::scenario::generate::GenerateSpec;
use roadmap::simulate::Quiet;

fn optimum(model: &Model) -> Plan {
    optimize::optimize(
        model,
        &OptimizeOptions {
            gap: 0.0,
            ..Default::default()
        },
    )
    .unwrap()
    .plan
}

fn options(mode: Mode, trials: u64) -> SensitivityOptions {
    let mut o = SensitivityOptions::new(trials, 3);
    o.mode = mode;
    o.optimize.gap = 0.0;
    o
}

fn bar<'a>(s: &'a Sensitivity, input: &str) -> &'a TornadoEntry {
    s.bars
        .iter()
        .find(|b| b.input == input)
        .unwrap_or_else(|| panic!("no bar for {input}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// One quarter, no discounting, value counted to month 12: a feature delivered in the quarter is
/// released after 3 months and earns 9 months of its monthly value, so NPV = 9 v exactly (team
/// time is free). `a`'s value is triangular [1000, 2000, 6000]; `b` is certain; `unused` needs
/// more than the team has, so no plan includes it.
fn tiny() -> String {
    Scenario::plan(
        "periods = 1\nperiod_weeks = 13\nstart = \"2027Q1\"\nhorizon_months = 12\ndiscount_rate = 0",
    )
    .raw("[simulation]\ntrials = 2000\nseed = 3\n\n")
    .team("web", "capacity = 13")
    .feature(
        "a",
        "effort = { web = 5 }\nvalue = { triangular = [1000, 2000, 6000] }",
    )
    .feature("b", "effort = { web = 7 }\nvalue = 500")
    .feature(
        "unused",
        "effort = { web = { uniform = [20, 30] } }\nvalue = { uniform = [10, 20] }",
    )
    .text()
    .to_string()
}

/// Triangular [1000, 2000, 6000] quantiles: below the mode (the first 20% of the mass),
/// low + sqrt((high - low)(likely - low) u); above it, high - sqrt((high - low)(high - likely)(1 - u)).
fn triangular_quantile(u: f64) -> f64 {
    if u < 0.2 {
        1000.0 + (5000.0f64 * 1000.0 * u).sqrt()
    } else {
        6000.0 - (5000.0f64 * 4000.0 * (1.0 - u)).sqrt()
    }
}

#[test]
fn the_tornado_of_a_hand_computed_scenario() {
    let m = from_text(&tiny());
    let plan = optimum(&m);
    assert_eq!(plan.periods, vec![Some(0), Some(0), None]);
    let (p10, median, p90) = (
        triangular_quantile(0.1),
        triangular_quantile(0.5),
        triangular_quantile(0.9),
    );
    assert!((p10 - 1_707.106_781).abs() < 1e-5, "{p10}");

    for mode in [Mode::HoldPlan, Mode::Reoptimize] {
        let s = sens::run(&m, &plan, &options(mode, 500), &Quiet).unwrap();
        // Only a's value is uncertain and felt by the plan; b is certain, `unused` is left out.
        let inputs: Vec<&str> = s.bars.iter().map(|b| b.input.as_str()).collect();
        assert_eq!(inputs, ["features[a].value"], "{mode:?}");
        assert_eq!(s.inputs_left_out, 2);
        let a = &s.bars[0];
        assert_eq!(a.kind, InputKind::Input);
        assert_eq!(a.label, "a monthly value");
        assert!(
            close(a.low_value, p10) && close(a.median_value, median) && close(a.high_value, p90)
        );
        // NPV = 9 (v_a + 500), the plan unchanged by re-planning.
        assert!(
            close(a.low_npv, 9.0 * (p10 + 500.0)),
            "{mode:?} {}",
            a.low_npv
        );
        assert!(
            close(a.high_npv, 9.0 * (p90 + 500.0)),
            "{mode:?} {}",
            a.high_npv
        );
        assert!(close(s.base_npv, 9.0 * (median + 500.0)));
        assert!(close(a.swing, 9.0 * (p90 - p10)));
        // Affine in the value: equal slopes on both sides of the median.
        let left = (a.base_npv - a.low_npv) / (a.median_value - a.low_value);
        let right = (a.high_npv - a.base_npv) / (a.high_value - a.median_value);
        assert!(close(left, 9.0) && close(right, 9.0), "{left} {right}");
        let expected = match mode {
            Mode::HoldPlan => Basis::Held,
            Mode::Reoptimize => Basis::Reoptimized,
        };
        assert_eq!(
            (a.low_basis, a.high_basis, s.base_basis),
            (expected, expected, expected)
        );
        assert_eq!(
            s.biggest_driver().map(|b| b.input.as_str()),
            Some("features[a].value")
        );
        // Over the Monte Carlo run NPV is 9 (v_a + 500) in every trial: a perfect rank correlation.
        assert_eq!(s.correlations.len(), 1);
        assert!(close(s.correlations[0].rho, 1.0));
    }
}

/// Risk events as on/off inputs: the median world has each at its likelier outcome; at P10 a
/// risk happens only when its probability is above 0.9, at P90 when it is above 0.1; a risk
/// that surely happens is no input at all.
#[test]
fn risk_events_at_their_percentiles() {
    let text = tiny().replace(
        "value = { triangular = [1000, 2000, 6000] }",
        r#"value = { triangular = [1000, 2000, 6000] }
risks = [
  { name = "slip", probability = 0.3, value_loss = 0.5 },
  { name = "sure", probability = 1.0, value_loss = 0.1 },
  { name = "likely", probability = 0.95, value_loss = 0.2 },
]"#,
    );
    let m = from_text(&text);
    let plan = optimum(&m);
    let s = sens::run(&m, &plan, &options(Mode::HoldPlan, 500), &Quiet).unwrap();
    let mut inputs: Vec<&str> = s.bars.iter().map(|b| b.input.as_str()).collect();
    inputs.sort_unstable();
    assert_eq!(
        inputs,
        [
            "features[a].risks[likely]",
            "features[a].risks[slip]",
            "features[a].value"
        ]
    );
    // Median world: "sure" and "likely" happen, "slip" does not: a keeps 0.9 x 0.8 of its value.
    let median = triangular_quantile(0.5);
    assert!(close(s.base_npv, 9.0 * (median * 0.72 + 500.0)));
    let slip = bar(&s, "features[a].risks[slip]");
    assert_eq!(slip.kind, InputKind::Risk);
    assert_eq!(slip.probability, Some(0.3));
    assert_eq!(
        (slip.low_value, slip.median_value, slip.high_value),
        (0.0, 0.0, 1.0)
    );
    assert!(close(slip.low_npv, s.base_npv));
    assert!(close(slip.high_npv, 9.0 * (median * 0.36 + 500.0)));
    let likely = bar(&s, "features[a].risks[likely]");
    assert_eq!(
        (likely.low_value, likely.median_value, likely.high_value),
        (1.0, 1.0, 1.0)
    );
    assert_eq!(likely.swing, 0.0);
    let value = bar(&s, "features[a].value");
    assert!(close(
        value.low_npv,
        9.0 * (triangular_quantile(0.1) * 0.72 + 500.0)
    ));
    // Over the run, "slip" happening costs value: a negative rank correlation; "sure" never varies.
    let rho = |input: &str| {
        s.correlations
            .iter()
            .find(|c| c.input == input)
            .map(|c| c.rho)
    };
    assert!(rho("features[a].risks[slip]").unwrap() < -0.1);
    assert_eq!(rho("features[a].risks[sure]"), None);
}

#[test]
fn inputs_the_plan_cannot_feel_have_no_swing_and_constants_never_appear() {
    let m = from_text(&tiny());
    let plan = optimum(&m);
    let mut o = options(Mode::HoldPlan, 200);
    o.all = true;
    let s = sens::run(&m, &plan, &o, &Quiet).unwrap();
    let inputs: Vec<&str> = s.bars.iter().map(|b| b.input.as_str()).collect();
    assert_eq!(
        inputs,
        [
            "features[a].value",
            "features[unused].effort.web",
            "features[unused].value"
        ]
    );
    assert_eq!(s.inputs_left_out, 0);
    for input in ["features[unused].effort.web", "features[unused].value"] {
        let b = bar(&s, input);
        assert_eq!(b.swing, 0.0, "{input}");
        assert!(!b.affects_plan);
        assert_eq!(b.low_npv, s.base_npv);
    }
    // The uniform's quantiles, exactly.
    let effort = bar(&s, "features[unused].effort.web");
    assert!(close(effort.low_value, 21.0) && close(effort.high_value, 29.0));
    assert!(close(effort.median_value, 25.0));
    // Correlations stay with what the plan uses.
    assert_eq!(s.correlations.len(), 1);
}

/// A pinned world is a model without uncertainty: one trial is its NPV, whatever the seed.
#[test]
fn a_pinned_model_has_one_npv_whatever_the_seed() {
    let m = load("scenarios/saas-annual-plan.toml");
    let plan = optimum(&m);
    let mut pinned = m.clone();
    for input in &mut pinned.inputs {
        input.dist = Dist::constant(input.dist.mean());
    }
    pinned.correlations.clear();
    for f in &mut pinned.features {
        for r in &mut f.risks {
            r.probability = if r.probability >= 0.5 { 1.0 } else { 0.0 };
        }
    }
    let npv = sens::pinned_npv(&pinned, &plan, 1);
    for seed in [2, 42, 987_654_321] {
        assert_eq!(sens::pinned_npv(&pinned, &plan, seed), npv);
    }
    let run = common::solve::simulate(
        &pinned,
        &roadmap::simulate::Schedule::Plan(plan.clone()),
        5,
        300,
        Some(2),
    );
    assert_eq!(run.npv.sd, 0.0);
    assert!(close(run.npv.mean, npv));
}

/// Where the simulator and the MILP count the same money and hold plans to the same rules (no
/// risks, lead times, one-off costs, paid team time, themes, budget, mandatory features or
/// hard deadlines), the held plan's execution in any pinned world is a plan the optimizer also
/// considered, so the re-planned NPV can never be lower.
#[test]
fn re_planning_is_never_worse_than_holding_the_plan_where_both_count_alike() {
    for seed in 1..=3 {
        let mut m = common::load::generated(&GenerateSpec::new(10, 3, 3, seed));
        counted_alike(&mut m);
        let plan = optimum(&m);
        let mut o = options(Mode::Reoptimize, 100);
        o.top = 1000;
        o.capacity_factor = None;
        let s = sens::run(&m, &plan, &o, &Quiet).unwrap();
        assert!(!s.bars.is_empty());
        let tolerance = |x: f64| 1e-6 * (1.0 + x.abs());
        assert!(s.base_npv >= s.held_base_npv - tolerance(s.held_base_npv));
        let mut better = 0;
        for b in &s.bars {
            assert_eq!(
                (b.low_basis, b.high_basis),
                (Basis::Reoptimized, Basis::Reoptimized)
            );
            for (re, held) in [(b.low_npv, b.held_low_npv), (b.high_npv, b.held_high_npv)] {
                assert!(
                    re >= held - tolerance(held),
                    "seed {seed}, {}: re-planned {re} < held {held}",
                    b.input
                );
                better += usize::from(re > held + tolerance(held));
            }
        }
        // And re-planning matters somewhere: otherwise this test would prove nothing.
        if seed == 1 {
            assert!(better > 0, "re-planning never helped");
        }
    }
}

/// Two features on one team of 10 person-weeks a quarter: `big` (uniform 6-14 weeks, 1,000 a
/// month) ships in the first quarter only when its effort leaves room, so more effort means less
/// NPV; `small`'s uncertain value adds to NPV in every trial.
fn ranks() -> String {
    Scenario::plan(
        "periods = 2\nperiod_weeks = 13\nstart = \"2027Q1\"\nhorizon_months = 12\ndiscount_rate = 0",
    )
    .team("web", "capacity = 10")
    .feature("small", "effort = { web = 1 }\nvalue = { uniform = [100, 200] }")
    .feature("big", "effort = { web = { uniform = [6, 14] } }\nvalue = 1000")
    .text()
    .to_string()
}

#[test]
fn rank_correlations_have_the_signs_they_must() {
    let m = from_text(&ranks());
    let plan = optimum(&m);
    assert!(plan.periods.iter().all(Option::is_some), "{plan:?}");
    let s = sens::run(&m, &plan, &options(Mode::HoldPlan, 4000), &Quiet).unwrap();
    let rho = |input: &str| {
        s.correlations
            .iter()
            .find(|c| c.input == input)
            .unwrap_or_else(|| panic!("no correlation for {input}"))
            .rho
    };
    assert!(rho("features[small].value") > 0.05, "{:?}", s.correlations);
    assert!(
        rho("features[big].effort.web") < -0.5,
        "{:?}",
        s.correlations
    );
    // Sorted by |rho|.
    assert_eq!(s.correlations[0].input, "features[big].effort.web");
    assert!(close(s.noise_level, 2.0 / 4000f64.sqrt()));
}

#[test]
fn spearman_ranks_ties_at_their_average() {
    // Ranks [1, 2.5, 2.5, 4] against [1, 3, 2, 4]: covariance 4.5, variances 4.5 and 5.
    let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[10.0, 30.0, 20.0, 40.0]).unwrap();
    assert!((rho - 3.0 / 10f64.sqrt()).abs() < 1e-12, "{rho}");
    // Monotone transforms do not change ranks.
    let x = [0.3, 5.0, -2.0, 8.0, 1.0];
    let y: Vec<f64> = x.iter().map(|v: &f64| v.powi(3) + 7.0).collect();
    assert!((spearman(&x, &y).unwrap() - 1.0).abs() < 1e-12);
    let z: Vec<f64> = x.iter().map(|v| -v).collect();
    assert!((spearman(&x, &z).unwrap() + 1.0).abs() < 1e-12);
    assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
}

/// At 80% of 13 person-weeks only one of a (5 weeks, 3,000 a month expected) and b (7 weeks,
/// 500 a month) fits: the optimizer cuts b, losing its 9 months of 500.
#[test]
fn a_capacity_drop_cuts_the_least_valuable_feature() {
    let m = from_text(&tiny());
    let plan = optimum(&m);
    let s = sens::run(&m, &plan, &options(Mode::HoldPlan, 1000), &Quiet).unwrap();
    let d = s.capacity_drop.as_ref().unwrap();
    assert!(d.feasible);
    assert_eq!(d.factor, 0.8);
    let dropped: Vec<&str> = d.dropped.iter().map(|c| c.feature.as_str()).collect();
    assert_eq!(dropped, ["b"]);
    assert!(d.added.is_empty() && d.moved.is_empty());
    assert!(close(d.dropped[0].net_value, 4500.0));
    assert!(
        close(d.objective_before, 9.0 * (3000.0 + 500.0)),
        "{}",
        d.objective_before
    );
    assert!(close(d.objective_lost().unwrap(), 4500.0));
    // Simulated on common random numbers, b's 4,500 is all that is lost; kept as it is, the
    // plan cannot finish b either (5 + 7 > 10.4 weeks) and ends up the same.
    assert!(close(d.npv_lost().unwrap(), 4500.0), "{:?}", d);
    assert!(close(d.npv_mean_held, d.npv_mean_after.unwrap()));
    assert!(close(d.npv_mean_before, s.npv_mean));
}

/// The same seed gives the same analysis on 1 and 2 threads, re-planning included.
#[test]
fn the_same_numbers_on_any_thread_count() {
    let m = load("scenarios/mobile-launch.toml");
    let plan = optimum(&m);
    let run = |threads: usize| {
        let mut o = options(Mode::Reoptimize, 3000);
        o.top = 4;
        o.threads = Some(threads);
        serde_json::to_string(&sens::run(&m, &plan, &o, &Quiet).unwrap()).unwrap()
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn the_flagship_report() {
    let text = stdout_of(roadmap().args([
        "sensitivity",
        "scenarios/saas-annual-plan.toml",
        "--hold-plan",
        "--trials",
        "1000",
    ]));
    insta::assert_snapshot!("flagship_hold_plan", text);
}

#[test]
fn re_planning_report_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("sens");
    let text = stdout_of(roadmap().args([
        "sensitivity",
        "scenarios/mobile-launch.toml",
        "--top",
        "5",
        "--trials",
        "1000",
        "--out",
        out_dir.to_str().unwrap(),
    ]));
    let body = &text[..text.find("\nwrote ").unwrap()];
    insta::assert_snapshot!("mobile_reoptimize", body);
    for name in ["sensitivity.txt", "sensitivity.json", "sensitivity.csv"] {
        assert!(out_dir.join(name).is_file(), "{name}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(json["mode"], "reoptimize");
    let csv = std::fs::read_to_string(out_dir.join("sensitivity.csv")).unwrap();
    assert_eq!(
        csv.lines().count() - 1,
        json["bars"].as_array().unwrap().len(),
        "one CSV row per tornado entry"
    );
}

#[test]
fn bad_input_names_the_flag_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.toml");
    std::fs::write(&path, tiny()).unwrap();
    let out = roadmap()
        .args([
            "sensitivity",
            path.to_str().unwrap(),
            "--hold-plan",
            "--trials",
            "90000000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--trials 90000000") && err.contains("help: use at most"),
        "{err}"
    );

    let out = roadmap()
        .args(["sensitivity", "no-such-plan.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = roadmap()
        .args(["sensitivity", path.to_str().unwrap(), "--top", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--top"));
}

#[test]
fn help_has_examples_of_this_command() {
    let out = roadmap().args(["sensitivity", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Examples:"));
    let examples: Vec<&str> = text
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("roadmap "))
        .collect();
    assert!(examples.len() >= 3);
    assert!(examples
        .iter()
        .all(|l| l.starts_with("roadmap sensitivity")));
}
