//! `roadmap whatif`: overrides change exactly the field they name (and nothing else, so common
//! random numbers line up), a what-if that changes nothing shows exactly zero deltas, less
//! capacity never raises the optimum, the paired difference of a known change is that change
//! in every trial, the numbers do not depend on the thread count, and every bad override is
//! explained at its argument with a fix.

mod common;

use common::cli::roadmap;
use roadmap::model::{Deadline, DeadlineKind, Dist, Model};
use roadmap::optimize::{self, OptimizeOptions};
use roadmap::scenario::overrides;
use serde_json::Value;

const BASE: &str = "tests/fixtures/whatif/base.toml";

fn base_model() -> Model {
    common::load::model_file(BASE)
}

fn set(model: &Model, args: &[&str]) -> (Model, Vec<overrides::Applied>) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    overrides::apply(model, &args).unwrap_or_else(|f| panic!("{f:#?}"))
}

/// Runs `roadmap whatif` with JSON output and returns it parsed.
fn whatif_json(args: &[&str]) -> Value {
    let out = roadmap()
        .arg("whatif")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn metric<'a>(json: &'a Value, key: &str) -> &'a Value {
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("no metric {key}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn assert_no_change(json: &Value, what: &str) {
    for m in json["metrics"].as_array().unwrap() {
        assert_eq!(f(&m["delta"]), 0.0, "{what}: {m}");
        assert_eq!(m["base"], m["variant"], "{what}: {m}");
        for bound in ["delta_low", "delta_high"] {
            if !m[bound].is_null() {
                assert_eq!(f(&m[bound]), 0.0, "{what}: {m}");
            }
        }
    }
    for k in ["mean", "low", "high"] {
        assert_eq!(f(&json["npv_delta"][k]), 0.0, "{what}");
    }
    assert_eq!(f(&json["p_variant_higher"]), 0.0, "{what}");
    assert_eq!(f(&json["p_variant_lower"]), 0.0, "{what}");
    assert_eq!(json["plan_changes"], Value::Array(vec![]), "{what}");
    // The whole simulation is the same, not just the summary rows.
    assert_eq!(json["base"]["result"], json["variant"]["result"], "{what}");
    assert_eq!(json["base"]["plan"], json["variant"]["plan"], "{what}");
}

#[test]
fn help_explains_the_command_with_examples() {
    let out = roadmap().args(["whatif", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Examples:"), "{text}");
    let examples: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("roadmap "))
        .collect();
    assert!(examples.len() >= 3, "{text}");
    for line in examples {
        assert!(line.trim_start().starts_with("roadmap whatif"), "{line}");
    }
}

#[test]
fn a_what_if_that_changes_nothing_shows_exactly_zero_deltas() {
    let json = whatif_json(&[BASE, "--set", "teams.web.capacity*=1", "--trials", "3000"]);
    assert_no_change(&json, "capacity*=1");
    assert_eq!(
        json["overrides"][0]["before"],
        json["overrides"][0]["after"]
    );
    let json = whatif_json(&[BASE, BASE, "--trials", "3000"]);
    assert_no_change(&json, "BASE BASE");
    let json = whatif_json(&[
        BASE,
        "--set",
        "features.reports.value*=1",
        "--hold-plan",
        "--trials",
        "3000",
    ]);
    assert_no_change(&json, "value*=1 with the plan held");
}

/// Losing most of a team for the plan is the question leads ask most. Re-planning needs a plan
/// that holds the mandatory work, so without --hold-plan the variant is refused (exit 2, with
/// the way out); with the plan held nothing needs solving: it runs, warns, and shows what
/// becomes of the mandatory feature.
#[test]
fn a_variant_whose_mandatory_work_no_longer_fits_runs_with_the_plan_held() {
    let args = [
        BASE,
        "--set",
        "teams.platform.capacity*=0.1",
        "--mode",
        "deterministic",
        "--trials",
        "500",
    ];
    let refused = roadmap().arg("whatif").args(args).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("mandatory work there needs"), "{stderr}");
    assert!(
        stderr.contains("help: --hold-plan simulates the base's plan on the variant"),
        "{stderr}"
    );

    let held = roadmap()
        .arg("whatif")
        .args(args)
        .args(["--hold-plan", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&held.stderr);
    assert_eq!(held.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(
        stderr.contains("the held plan is simulated as it is"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&held.stdout).unwrap();
    let npv = metric(&json, "npv_mean");
    assert!(f(&npv["variant"]) < f(&npv["base"]), "{npv}");
}

#[test]
fn less_capacity_never_raises_the_optimum_nor_the_work_planned_on_that_team() {
    let base = base_model();
    let web = base.team_index("web").unwrap();
    let options = OptimizeOptions {
        gap: 0.0,
        seed: 12,
        ..Default::default()
    };
    let base_outcome = optimize::optimize(&base, &options).unwrap();
    let base_work: f64 = base_outcome.work[web].iter().sum();
    let web_capacity: f64 = base_outcome.capacity[web].iter().sum();
    // The fixture is built so that web capacity decides what the plan leaves out: the whole
    // backlog needs more web weeks than there are, so cuts have something to take.
    let backlog: f64 = (0..base.features.len())
        .map(|f| roadmap::model::expect::effort_on_team(&base, f, web))
        .sum();
    assert!(backlog > web_capacity, "{backlog} of {web_capacity}");
    // A plan that fits less capacity fits more, and in deterministic mode capacity only
    // constrains (it does not enter the objective), so the optimum can only fall as capacity
    // is cut. The work planned on web must fit the cut capacity in every period; on this
    // fixture it also never exceeds the base plan's.
    let mut previous = base_outcome.objective;
    for factor in ["0.9", "0.8", "0.7", "0.6", "0.5"] {
        let (variant, _) = set(&base, &[&format!("teams.web.capacity*={factor}")]);
        let k: f64 = factor.parse().unwrap();
        let outcome = optimize::optimize(&variant, &options).unwrap();
        let tolerance = 1e-6 * previous.abs().max(1.0);
        assert!(
            outcome.objective <= previous + tolerance,
            "x{factor}: objective {} after {previous}",
            outcome.objective
        );
        for (p, work) in outcome.work[web].iter().enumerate() {
            let cut = k * base_outcome.capacity[web][p];
            assert!((outcome.capacity[web][p] - cut).abs() < 1e-9, "x{factor}");
            assert!(*work <= cut + 1e-6, "x{factor}: {work} in period {p}");
        }
        let work: f64 = outcome.work[web].iter().sum();
        assert!(
            work <= base_work + 1e-6,
            "x{factor}: web work {work} > {base_work}"
        );
        assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
        previous = outcome.objective;
    }

    // The command reports the same optima for its two sides.
    let json = whatif_json(&[
        BASE,
        "--set",
        "teams.web.capacity*=0.8",
        "--mode",
        "deterministic",
        "--gap",
        "0",
        "--trials",
        "1000",
    ]);
    let (b, v) = (
        f(&json["base"]["objective"]),
        f(&json["variant"]["objective"]),
    );
    assert!((b - base_outcome.objective).abs() <= 1e-6 * b.abs(), "{b}");
    assert!(v <= b + 1e-6 * b.abs(), "{v} > {b}");
}

#[test]
fn a_deadline_override_moves_the_features_deadline_in_the_model() {
    let base = base_model();
    let sso = base.feature_index("sso").unwrap();
    let reports = base.feature_index("reports").unwrap();
    let dark = base.feature_index("dark-mode").unwrap();
    let (m, applied) = set(
        &base,
        &[
            "features.sso.deadline=2027Q3",
            "features.reports.deadline=2027Q2",
            "features.dark-mode.deadline=2",
        ],
    );
    assert_eq!(
        m.features[sso].deadline,
        Some(Deadline {
            period: 2,
            kind: DeadlineKind::Hard,
            limit: None,
        })
    );
    // A soft deadline moves with its penalty; a feature without one gets a hard one.
    assert_eq!(
        m.features[reports].deadline,
        Some(Deadline {
            period: 1,
            kind: DeadlineKind::Soft {
                penalty_per_period: 5000.0
            },
            limit: None,
        })
    );
    assert_eq!(
        m.features[dark].deadline,
        Some(Deadline {
            period: 1,
            kind: DeadlineKind::Hard,
            limit: None,
        })
    );
    assert_eq!(applied[0].field, "features[sso].deadline");
    assert_eq!(
        (applied[0].before.as_str(), applied[0].after.as_str()),
        ("2027Q2 (hard)", "2027Q3 (hard)")
    );
    assert_eq!(applied[2].before, "none");
    // Nothing else changed: every input keeps its name and distribution.
    assert_eq!(m.inputs, base.inputs);
    let (m, _) = set(&base, &["features.sso.deadline=none"]);
    assert_eq!(m.features[sso].deadline, None);

    // A later deadline lets the optimizer move the mandatory feature later; an earlier one on
    // the variant holds the plan to it.
    let json = whatif_json(&[
        BASE,
        "--set",
        "features.sso.deadline=2027Q1",
        "--set",
        "teams.web.capacity*=0.8",
        "--trials",
        "500",
    ]);
    let q1 = &json["variant"]["plan"][0];
    assert_eq!(q1["period"], "2027Q1");
    assert!(
        q1["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "sso"),
        "{q1}"
    );
}

#[test]
fn scaling_an_input_scales_its_whole_distribution_and_keeps_its_name() {
    let base = base_model();
    let cases = [
        (
            "features.setup-fee.value*=1.5",
            "features[setup-fee].value",
            1.5,
        ), // PERT
        (
            "features.reports.value*=1.5",
            "features[reports].value",
            1.5,
        ), // triangular
        (
            "features.billing.value*=0.75",
            "features[billing].value",
            0.75,
        ), // normal
        ("segments.smb.demand*=0.5", "segments[smb].demand", 0.5), // lognormal
        ("deals.acme.monthly*=3", "deals[acme].monthly", 3.0),
        (
            "features.sso.uplift.smb*=2",
            "features[sso].uplift.smb",
            2.0,
        ),
        ("teams.web.capacity_factor*=0.9", "teams[web].capacity", 0.9),
        (
            "features.sso.effort.web*=1.25",
            "features[sso].effort.web",
            1.25,
        ),
    ];
    for (arg, name, k) in cases {
        let (m, _) = set(&base, &[arg]);
        let i = base.inputs.iter().position(|x| x.name == name).unwrap();
        let (before, after) = (&base.inputs[i].dist, &m.inputs[i].dist);
        assert_eq!(m.inputs[i].name, name, "{arg}");
        assert_eq!(m.inputs.len(), base.inputs.len(), "{arg}");
        let expected = k * before.mean();
        assert!(
            (after.mean() - expected).abs() <= 1e-9 * expected.abs(),
            "{arg}: mean {} expected {expected}",
            after.mean()
        );
        assert_eq!(*after, before.scaled(k), "{arg}");
        // Every other input is untouched.
        for (j, (x, y)) in base.inputs.iter().zip(&m.inputs).enumerate() {
            if j != i {
                assert_eq!(x, y, "{arg}");
            }
        }
    }
    // `*=` without a team scales every team's effort of the feature.
    let (m, _) = set(&base, &["features.sso.effort*=2"]);
    let sso = &base.features[base.feature_index("sso").unwrap()];
    for e in &sso.effort {
        assert!((m.mean(e.weeks) - 2.0 * base.mean(e.weeks)).abs() < 1e-9);
    }
    // `=` sets a constant; `+=` shifts; an absent field is added under the name a file gives it.
    let (m, _) = set(
        &base,
        &[
            "features.reports.value=4000",
            "features.setup-fee.cost+=1000",
            "features.dark-mode.cost=2500",
            "teams.platform.capacity.2027Q3-=2",
            "plan.budget=none",
        ],
    );
    let reports = &m.features[m.feature_index("reports").unwrap()];
    assert_eq!(
        *m.dist(reports.value_monthly.unwrap()),
        Dist::constant(4000.0)
    );
    let fee = &m.features[m.feature_index("setup-fee").unwrap()];
    assert_eq!(m.mean(fee.cost.unwrap()), 6000.0);
    let dark = &m.features[m.feature_index("dark-mode").unwrap()];
    let cost = dark.cost.unwrap();
    assert_eq!(m.input(cost).name, "features[dark-mode].cost");
    assert_eq!(*m.dist(cost), Dist::constant(2500.0));
    assert_eq!(m.inputs.len(), base.inputs.len() + 1);
    assert_eq!(
        m.teams[m.team_index("platform").unwrap()].capacity_weeks,
        [15.0, 15.0, 10.0, 12.0]
    );
    assert_eq!(m.budget, None);
}

/// A one-off cost paid at week 0 (the first feature in the web team's queue starts then, and
/// its cost is paid when its work starts) lowers the NPV by exactly that amount in every trial:
/// the paired difference has no noise at all, which only common random numbers can give.
#[test]
fn a_known_change_is_the_same_in_every_paired_trial() {
    let json = whatif_json(&[
        BASE,
        "--set",
        "features.setup-fee.cost+=1000",
        "--hold-plan",
        "--trials",
        "4000",
    ]);
    let q1 = &json["base"]["plan"][0];
    assert!(
        q1["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "setup-fee"),
        "the fixture plans setup-fee first: {q1}"
    );
    let npv = metric(&json, "npv_mean");
    assert!((f(&npv["delta"]) + 1000.0).abs() < 1e-6, "{npv}");
    assert!((f(&npv["delta_low"]) + 1000.0).abs() < 1e-6, "{npv}");
    assert!((f(&npv["delta_high"]) + 1000.0).abs() < 1e-6, "{npv}");
    assert_eq!(f(&json["p_variant_lower"]), 1.0);
    let spend = metric(&json, "spend");
    assert!((f(&spend["delta"]) - 1000.0).abs() < 1e-6, "{spend}");
    let value = metric(&json, "value");
    assert_eq!(f(&value["delta"]), 0.0);
    assert_eq!(json["plans"], "held");
}

/// The variant written as a second file and as an override is the same model, so the two
/// forms of the command give the same comparison.
#[test]
fn a_second_scenario_and_the_same_change_as_an_override_agree() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::cli::root().join(BASE)).unwrap();
    let hired = text.replacen("capacity = 14", "capacity = 18", 1);
    assert_ne!(hired, text);
    let other = dir.path().join("hired.toml");
    std::fs::write(&other, hired).unwrap();
    let by_file = whatif_json(&[BASE, other.to_str().unwrap(), "--trials", "2000"]);
    let by_set = whatif_json(&[BASE, "--set", "teams.web.capacity=18", "--trials", "2000"]);
    for key in ["metrics", "npv_delta", "plan_changes", "p_variant_higher"] {
        assert_eq!(by_file[key], by_set[key], "{key}");
    }
    assert!(f(&metric(&by_set, "npv_mean")["delta"]) > 0.0);
}

#[test]
fn the_same_seed_gives_the_same_numbers_on_one_and_two_threads() {
    for extra in [&[][..], &["--hold-plan"][..]] {
        let run = |threads: &str| {
            let out = roadmap()
                .args(["whatif", BASE, "--set", "segments.smb.demand*=0.5"])
                .args(["--set", "teams.web.capacity*=0.8", "--trials", "5000"])
                .args(["--seed", "7", "--threads", threads, "--format", "json"])
                .args(extra)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0));
            out.stdout
        };
        assert_eq!(run("1"), run("2"), "{extra:?}");
    }
}

#[test]
fn the_table_shows_base_variant_and_delta() {
    let out = roadmap()
        .args(["whatif", BASE, "--set", "teams.web.capacity*=0.8"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("capacity_cut_text", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn out_writes_every_format_and_csv_is_one_row_per_metric() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("whatif");
    let out = roadmap()
        .args(["whatif", BASE, "--set", "segments.smb.demand*=0.5"])
        .args(["--trials", "500", "--format", "csv", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("metric,label,unit,base,variant,delta"));
    assert!(lines.next().unwrap().starts_with("npv_mean,E[NPV],money,"));
    assert_eq!(
        common::cli::file_names(&out_dir),
        [
            "whatif-npv.png",
            "whatif-npv.svg",
            "whatif-plans.csv",
            "whatif-value-fan.png",
            "whatif-value-fan.svg",
            "whatif.csv",
            "whatif.json",
            "whatif.txt"
        ]
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("whatif.json")).unwrap())
            .unwrap();
    assert_eq!(json["overrides"][0]["argument"], "segments.smb.demand*=0.5");
    assert!(
        json["base"].get("trial_npv").is_none(),
        "per-trial NPVs stay out of JSON"
    );
}

/// Each kind of bad override, and each way an override can make the scenario invalid.
#[test]
fn every_bad_override_is_explained_at_its_argument() {
    let cases: &[(&str, &[&str])] = &[
        ("unknown-team", &["--set", "teams.webb.capacity*=0.8"]),
        (
            "unknown-feature",
            &["--set", "features.ssso.deadline=2027Q3"],
        ),
        ("unknown-section", &["--set", "team.web.capacity*=0.8"]),
        ("unknown-field", &["--set", "teams.web.capacty*=0.8"]),
        (
            "field-not-overridable",
            &["--set", "features.sso.requires=api"],
        ),
        ("no-field", &["--set", "features.sso=1"]),
        ("no-equals", &["--set", "teams.web.capacity"]),
        ("no-value", &["--set", "teams.web.capacity*="]),
        (
            "operator-on-deadline",
            &["--set", "features.sso.deadline*=2"],
        ),
        ("negative-capacity", &["--set", "teams.web.capacity=-5"]),
        ("zero-factor", &["--set", "segments.smb.demand*=0"]),
        (
            "negative-after-subtract",
            &["--set", "teams.platform.capacity.2027Q3-=20"],
        ),
        ("unknown-period", &["--set", "features.sso.deadline=2027Q7"]),
        (
            "period-past-plan-end",
            &["--set", "features.sso.deadline=2028Q2"],
        ),
        ("not-a-number", &["--set", "plan.budget*=lots"]),
        (
            "estimate-as-value",
            &["--set", "features.sso.effort.web=[4,6,9]"],
        ),
        ("shift-a-lognormal", &["--set", "segments.smb.demand+=100"]),
        ("share-above-one", &["--set", "features.sso.uplift.smb*=50"]),
        ("effort-needs-a-team", &["--set", "features.sso.effort=5"]),
        (
            "unknown-team-in-effort",
            &["--set", "features.sso.effort.mobile=3"],
        ),
        ("scale-an-absent-value", &["--set", "features.sso.value*=2"]),
        (
            "not-true-or-false",
            &["--set", "features.api.mandatory=yes"],
        ),
        (
            "budget-removed-then-scaled",
            &["--set", "plan.budget=none", "--set", "plan.budget*=2"],
        ),
        (
            "several-at-once",
            &[
                "--set",
                "teams.webb.capacity*=0.8",
                "--set",
                "features.sso.deadline=Q3",
                "--set",
                "features.reports.value*=-1",
            ],
        ),
        (
            "mandatory-over-capacity",
            &["--set", "teams.web.capacity*=0.1"],
        ),
        (
            "deadline-before-earliest",
            &["--set", "features.billing.deadline=2027Q1"],
        ),
        (
            "mandatory-deadline-unreachable",
            &[
                "--set",
                "features.mobile-app.mandatory=true",
                "--set",
                "features.mobile-app.deadline=2027Q3",
                "--set",
                "features.api.earliest=2027Q4",
            ],
        ),
        ("budget-below-mandatory", &["--set", "plan.budget=10000"]),
        ("nothing-to-compare", &[]),
        ("other-calendar", &["tests/fixtures/whatif/sprints.toml"]),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, args) in cases {
        let out = roadmap()
            .args(["whatif", BASE])
            .args(*args)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(
            stderr.contains("help: "),
            "{name}: every error says how to fix it"
        );
        // Overrides are named as the user wrote them.
        let named: Vec<String> = args
            .windows(2)
            .filter(|w| w[0] == "--set")
            .map(|w| format!("--set {}", w[1]))
            .collect();
        assert!(
            named.is_empty() || named.iter().any(|n| stderr.contains(n.as_str())),
            "{name}: names its argument:\n{stderr}"
        );
        assert!(seen.insert(stderr.clone()), "{name} repeats another case");
        insta::assert_snapshot!(format!("bad_{name}"), stderr);
    }
}

/// Ids may contain dots, and paths may be written as validation prints them.
#[test]
fn paths_take_dotted_ids_and_the_bracket_form() {
    let text = r#"
[plan]
periods = 2
start = "2027H1"
period_weeks = 26

[[teams]]
id = "web.app"
capacity = 20

[[features]]
id = "billing.v2"
effort = { "web.app" = [2, 3, 5] }
value = 1000

[[features]]
id = "billing"
effort = { "web.app" = 1 }
value = 10
"#;
    let model = common::load::loaded("dots.toml", text).model;
    let (m, applied) = set(
        &model,
        &[
            "features.billing.v2.effort.web.app*=2",
            "features[billing].value=20",
            "teams[web.app].capacity.2027H2=10",
            "features.billing.v2.deadline=2027h2",
        ],
    );
    let v2 = &m.features[0];
    assert_eq!(applied[0].field, "features[billing.v2].effort.web.app");
    assert!((m.mean(v2.effort[0].weeks) - 2.0 * model.mean(v2.effort[0].weeks)).abs() < 1e-12);
    assert_eq!(m.mean(m.features[1].value_monthly.unwrap()), 20.0);
    assert_eq!(m.teams[0].capacity_weeks, [20.0, 10.0]);
    assert_eq!(v2.deadline.map(|d| d.period), Some(1));
}

/// By default each side gets its recommended plan, and the variant's candidates include the
/// base's plan, held: so re-planning never reports a worse outcome than holding the plan,
/// beyond the sampling error of the futures the two are compared on (the recommended plan is
/// chosen on futures of its own).
#[test]
fn re_planning_never_reports_worse_than_holding_the_plan() {
    for change in [
        "teams.web.capacity*=0.8",
        "teams.web.capacity*=1.3",
        "features.reports.value*=0.5",
    ] {
        let replanned = whatif_json(&[BASE, "--set", change, "--trials", "2000"]);
        let held = whatif_json(&[BASE, "--set", change, "--hold-plan", "--trials", "2000"]);
        assert_eq!(replanned["plans"], "recommended", "{change}");
        let mean = |json: &Value| f(&json["variant"]["result"]["npv"]["mean"]);
        let se = |json: &Value| f(&json["variant"]["result"]["npv"]["std_error"]);
        let slack = 3.0 * (se(&replanned).powi(2) + se(&held).powi(2)).sqrt();
        assert!(
            mean(&replanned) >= mean(&held) - slack,
            "{change}: re-planned {} against held {} (allowed {slack})",
            mean(&replanned),
            mean(&held)
        );
        // The base side is the same recommended plan either way.
        assert_eq!(replanned["base"]["plan"], held["base"]["plan"], "{change}");
    }
}
