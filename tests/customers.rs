//! Segments read as a customer stock, computed by hand: customers a feature wins stay and pay
//! every month until they leave, so value compounds cohort by cohort; a retention of 0 is the
//! demand reading; an uncertain retention is drawn once per future; the optimizer counts what
//! the simulator counts; validation, `whatif --set` and sensitivity say which reading a segment
//! has.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use common::load::{findings, model_from, try_load};
use common::solve::{exact, simulate, simulate_raw};
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::simulate::{RawChunk, Schedule, SimResult};

/// Discount factor of `months` after the plan start at `rate` a year: (1 + rate)^(-months / 12).
fn d(rate: f64, months: f64) -> f64 {
    (1.0 + rate).powf(-months / 12.0)
}

fn cents(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

/// One trial of a certain model: every trial.
fn run(model: &Model, periods: Vec<Option<usize>>) -> SimResult {
    simulate(model, &Schedule::Plan(Plan::new(periods)), 1, 1, Some(1))
}

/// Two quarters, one free team, one feature winning 10% of segment `smb` (written by
/// `segment`), mandatory with a deadline in 2027Q1 so that every plan ships it then (released
/// at month 3).
fn stock(plan: &str, segment: &str, feature: &str) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 2\nperiod_weeks = 13\n{plan}\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[segments]]\nid = \"smb\"\n{segment}\nprice = 10\n\n\
         [[features]]\nid = \"app\"\neffort = {{ web = 2 }}\nuplift = {{ smb = 0.1 }}\n\
         mandatory = true\ndeadline = 1\n{feature}\n"
    ))
}

/// Undiscounted, to month 6: released at month 3, the feature wins 10 of the 100 sign-ups each
/// month, who pay 10 a month. Half of them stay each month: month 3 earns 10 × 10 = 100, month
/// 4 (10 new + 5 kept) 150, month 5 (10 + 7.5) 175: 425 in all. With everyone kept it is
/// 100 + 200 + 300 = 600; with no one kept, 300, as a segment with a demand of 100 earns.
#[test]
fn a_customer_stock_pays_cohort_by_cohort() {
    let plan = "horizon_months = 6\ndiscount_rate = 0";
    for (segment, value) in [
        ("new_customers = 100\nretention = 0.5", 425.0),
        ("new_customers = 100\nretention = 1", 600.0),
        ("new_customers = 100\nretention = 0", 300.0),
        ("demand = 100", 300.0),
    ] {
        let m = stock(plan, segment, "");
        let r = run(&m, vec![Some(0)]);
        assert!(
            cents(r.npv.mean, value),
            "{segment}: {} vs {value}",
            r.npv.mean
        );
        let out = optimize(&m, &exact()).unwrap();
        assert_eq!(out.plan.periods, vec![Some(0)]);
        assert!(cents(out.objective, value), "{segment}: {}", out.objective);
    }
}

/// Discounted at 12% a year, with a horizon inside a month (7.5), sign-ups growing 2% a month
/// and a 2-month ramp: the cohort of month k is 10 × 1.02^k × (its ramp weight) customers; it
/// pays for month k in full and for each later month m, 0.9^(m - k) of it, for the part of m
/// before the horizon (half of month 7), each month discounted at its end.
#[test]
fn growth_ramp_horizon_and_discount_compound_with_retention() {
    let m = stock(
        "horizon_months = 7.5\ndiscount_rate = 0.12",
        "new_customers = 100\nretention = 0.9\ngrowth = 0.02",
        "ramp_months = 2",
    );
    // Ramp level from month 3: (t - 3) / 2 up to month 5, then 1; integrated month by month.
    let ramp = [0.0, 0.0, 0.0, 0.25, 0.75, 1.0, 1.0, 0.5];
    let part = |m: usize| if m == 7 { 0.5 } else { 1.0 };
    let mut value = 0.0;
    for (k, weight) in ramp.iter().enumerate().skip(3) {
        let won = 10.0 * 1.02f64.powi(k as i32) * weight;
        value += 10.0 * won * d(0.12, (k + 1) as f64);
        for later in k + 1..8 {
            value += 10.0
                * won
                * 0.9f64.powi((later - k) as i32)
                * part(later)
                * d(0.12, (later + 1) as f64);
        }
    }
    let r = run(&m, vec![Some(0)]);
    assert!(cents(r.npv.mean, value), "{} vs {value}", r.npv.mean);
    let out = optimize(&m, &exact()).unwrap();
    assert!(cents(out.objective, value), "{} vs {value}", out.objective);
}

/// A retention of 0 or 1, half and half: each future keeps everyone or no one, so every
/// trial's NPV is 300 or 600 (the first test's figures), about half each.
#[test]
fn an_uncertain_retention_is_drawn_once_per_future() {
    let m = stock(
        "horizon_months = 6\ndiscount_rate = 0",
        "new_customers = 100\nretention = { discrete = { values = [0, 1], probabilities = [0.5, 0.5] } }",
        "",
    );
    let mut seen = [0usize; 2];
    let mut sink = |chunk: &RawChunk| -> std::io::Result<()> {
        for row in chunk.rows.chunks(chunk.stride) {
            let npv = row[0];
            let which = usize::from(cents(npv, 600.0));
            assert!(which == 1 || cents(npv, 300.0), "{npv}");
            seen[which] += 1;
        }
        Ok(())
    };
    let schedule = Schedule::Plan(Plan::new(vec![Some(0)]));
    simulate_raw(&m, &schedule, 5, 400, Some(2), Some(&mut sink));
    assert!(seen[0] > 150 && seen[1] > 150, "{seen:?}");
}

/// The same futures give the same numbers on any thread count, and the sample-average model
/// values its plan on its own futures as the simulator does: every future ships the feature,
/// so the objective is the simulated mean.
#[test]
fn the_stochastic_objective_counts_the_stock_on_its_own_futures() {
    let m = stock(
        "horizon_months = 24\ndiscount_rate = 0.1",
        "new_customers = [60, 100, 180]\nretention = [0.8, 0.93, 0.99]\ngrowth = [0, 0.01, 0.03]",
        "",
    );
    let schedule = Schedule::Plan(Plan::new(vec![Some(0)]));
    let one = simulate(&m, &schedule, 9, 3000, Some(1));
    let two = simulate(&m, &schedule, 9, 3000, Some(2));
    assert_eq!(one.npv.mean.to_bits(), two.npv.mean.to_bits());
    let (_, exact) = oracle::stochastic_on_its_futures(&m, &[(3, 1), (4, 5)]);
    assert_eq!(exact, 2, "every future ships the feature");
}

/// The deterministic model values a stock at its mean retention and growth. The value is
/// convex in both, so that reads a little low: on this segment (retention P10-P90 about
/// 0.86-0.98, growth 0-3% a month, 24 months) within 3% of the simulated mean, and never above
/// it by more than the sampling error.
#[test]
fn the_deterministic_value_of_a_stock_is_its_value_at_the_means() {
    let m = stock(
        "horizon_months = 24\ndiscount_rate = 0.1",
        "new_customers = 100\nretention = [0.8, 0.93, 0.99]\ngrowth = [0, 0.01, 0.03]",
        "",
    );
    let out = optimize(&m, &exact()).unwrap();
    let sim = simulate(&m, &Schedule::Plan(out.plan.clone()), 11, 20_000, None);
    let gap = (sim.npv.mean - out.objective) / sim.npv.mean;
    assert!(
        (0.0..0.03).contains(&gap) || (gap < 0.0 && -gap * sim.npv.mean < 3.0 * sim.npv.std_error),
        "objective {} against simulated {} ± {}",
        out.objective,
        sim.npv.mean,
        sim.npv.std_error
    );
}

/// Each reading has its own fields, and a mistake in them is an error with its line, the
/// field and the fix; a retention that looks like a churn rate is a warning.
#[test]
fn validation_says_which_reading_a_segment_has() {
    let segment = |fields: &str| {
        format!(
            "[plan]\nperiods = 2\nperiod_weeks = 13\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
             [[segments]]\nid = \"smb\"\n{fields}\nprice = 10\n\n\
             [[features]]\nid = \"app\"\neffort = {{ web = 2 }}\nuplift = {{ smb = 0.1 }}\n"
        )
    };
    let cases = [
        (
            "demand = 100\nnew_customers = 10\nretention = 0.9",
            "s.toml:12",
            "either as demand or as new customers",
        ),
        (
            "demand = 100\nretention = 0.9",
            "s.toml:12",
            "`retention` applies to a segment read as a customer stock",
        ),
        (
            "new_customers = 100",
            "s.toml:9",
            "missing required field `retention`",
        ),
        (
            "name = \"Shops\"",
            "s.toml:9",
            "missing required field `demand` (or `new_customers`)",
        ),
        (
            "new_customers = 100\nretention = 97",
            "s.toml:12",
            "segments[smb].retention: must lie between 0 and 1",
        ),
    ];
    for (fields, at, says) in cases {
        let (errors, _) = findings(try_load("s.toml", segment(fields)));
        assert!(
            errors.iter().any(|e| e.contains(at) && e.contains(says)),
            "{fields}: {errors:#?}"
        );
    }
    let (errors, warnings) = findings(try_load(
        "s.toml",
        segment("new_customers = 100\nretention = 0.05"),
    ));
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("s.toml:12") && w.contains("loses 95% of the customers")),
        "{warnings:#?}"
    );
}

/// A cost per customer counts a segment's accounts; a stock gives sign-ups, so naming one is
/// an error at the cost's segment, in the file and in `whatif --set`.
#[test]
fn a_cost_per_customer_needs_a_segment_read_as_demand() {
    let text =
        "[plan]\nperiods = 2\nperiod_weeks = 13\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
                [[segments]]\nid = \"smb\"\nnew_customers = 100\nretention = 0.9\nprice = 10\n\n\
                [[segments]]\nid = \"ent\"\ndemand = 100\nprice = 10\n\n\
                [[features]]\nid = \"app\"\neffort = { web = 2 }\nvalue = 100\n\
                recurring_cost = { per_customer = 0.5, segment = \"smb\" }\n";
    let (errors, _) = findings(try_load("s.toml", text));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("s.toml:24") && e.contains("counts new customers per month")),
        "{errors:#?}"
    );
    let fixed = text.replace("segment = \"smb\"", "segment = \"ent\"");
    let file = common::build::ScenarioFile::new(&fixed);
    let (code, _, stderr) = common::cli::run(&[
        "whatif",
        file.arg(),
        "--set",
        "features.app.recurring_cost.segment=smb",
        "--mode",
        "deterministic",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("counts new customers per month"),
        "{stderr}"
    );
}

/// `whatif --set` changes a stock's retention and sign-ups, and refuses the other reading's
/// field with the one to write. Keeping more customers earns more with the plan held.
#[test]
fn whatif_sets_retention_and_new_customers() {
    let text = "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\n\n\
                [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
                [[segments]]\nid = \"smb\"\nnew_customers = 100\nretention = 0.9\nprice = 10\n\n\
                [[segments]]\nid = \"ent\"\ndemand = 100\nprice = 10\n\n\
                [[features]]\nid = \"app\"\neffort = { web = 2 }\nuplift = { smb = 0.1, ent = 0.1 }\n";
    let file = common::build::ScenarioFile::new(text);
    let whatif = |set: &str| {
        common::cli::run(&[
            "whatif",
            file.arg(),
            "--set",
            set,
            "--mode",
            "deterministic",
            "--hold-plan",
            "--trials",
            "200",
            "--format",
            "json",
        ])
    };
    for set in [
        "segments.smb.retention=0.97",
        "segments.smb.new_customers*=1.5",
    ] {
        let (code, stdout, stderr) = whatif(set);
        assert_eq!(code, 0, "{set}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let npv = json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == "npv_mean")
            .unwrap();
        let difference = npv["delta_low"].as_f64().unwrap();
        assert!(difference > 0.0, "{set}: {stdout}");
    }
    for (set, says) in [
        ("segments.smb.demand=50", "write segments.smb.new_customers"),
        ("segments.ent.retention=0.9", "is read as demand per month"),
        ("segments.ent.new_customers=50", "write segments.ent.demand"),
    ] {
        let (code, _, stderr) = whatif(set);
        assert_eq!(code, 2, "{set}");
        assert!(stderr.contains(says), "{set}: {stderr}");
    }
}

/// A feature done before the plan leaves the segments' inputs as they were: a plan without it
/// earns what the same plan earns in the scenario where it is still to do and left out.
#[test]
fn a_done_feature_leaves_the_stock_as_it_was() {
    let text = |status: &str| {
        format!(
            "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\n\n\
             [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
             [[segments]]\nid = \"smb\"\nnew_customers = [50, 100, 200]\nretention = [0.85, 0.93, 0.97]\nprice = 10\n\n\
             [[features]]\nid = \"old\"\neffort = {{ web = [1, 2, 3] }}\nvalue = [10, 20, 30]\n{status}\n\n\
             [[features]]\nid = \"app\"\neffort = {{ web = 2 }}\nuplift = {{ smb = 0.1 }}\n"
        )
    };
    let all = model_from(&text(""));
    let done = model_from(&text("status = \"done\""));
    let retention = done.segments[0].retention.unwrap();
    assert!(done.inputs[retention.0 as usize].name.contains("retention"));
    let a = simulate(
        &all,
        &Schedule::Plan(Plan::new(vec![None, Some(1)])),
        3,
        500,
        Some(1),
    );
    let b = simulate(
        &done,
        &Schedule::Plan(Plan::new(vec![Some(1)])),
        3,
        500,
        Some(1),
    );
    assert!(
        cents(a.npv.mean, b.npv.mean),
        "{} vs {}",
        a.npv.mean,
        b.npv.mean
    );
}

/// Sensitivity names a stock's inputs in words: sign-ups and retention.
#[test]
fn sensitivity_names_retention() {
    let text = "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\n\n\
                [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
                [[segments]]\nid = \"smb\"\nnew_customers = [50, 100, 200]\nretention = [0.85, 0.93, 0.97]\nprice = 10\n\n\
                [[features]]\nid = \"app\"\neffort = { web = 2 }\nuplift = { smb = 0.1 }\n";
    let file = common::build::ScenarioFile::new(text);
    let (code, stdout, stderr) = common::cli::run(&[
        "sensitivity",
        file.arg(),
        "--hold-plan",
        "--trials",
        "300",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("smb retention"), "{stdout}");
    assert!(stdout.contains("smb new customers"), "{stdout}");
}
