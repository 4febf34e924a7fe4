//! Prioritisation rules against their formulas, worked out by hand on a four-feature backlog
//! (tests/fixtures/strategies/frameworks.toml), and the derivations used when a scenario lacks
//! a framework's fields.

mod common;

use roadmap::model::Model;
use roadmap::scenario::generate::GenerateSpec;
use roadmap::strategy::Rule;

fn model(path: &str) -> Model {
    common::load::model_file(path)
}

fn ids(model: &Model, rule: Rule) -> Vec<&str> {
    rule.order(model)
        .features
        .iter()
        .map(|&f| model.features[f].id.as_str())
        .collect()
}

/// d is mandatory and comes first under every scored rule.
/// - RICE = reach x impact x confidence / effort: a 1000 x 2 x 0.5 / 2 = 500, b 500 x 1 x 1 / 4
///   = 125, c 200 x 3 x 0.8 / 1 = 480.
/// - ICE = impact x confidence x ease: a 2 x 0.5 x 8 = 8, b 1 x 1 x 5 = 5, c 3 x 0.8 x 9 = 21.6.
/// - WSJF = (business value + time criticality + risk reduction) / job size: a 9 / 2 = 4.5,
///   b 10 / 4 = 2.5, c 4 / 1 = 4.
/// - MoSCoW: d (mandatory) and c are musts, d first by value per effort (1000 / 8 against
///   50 / 1 a month); then b (should), a (could).
/// - Shortest job first: c 1, a 2, b 4; highest value first: b 300, a 100, c 50.
/// - Value per effort: b 75, a 50, c 50 (a before c, file order).
/// - CD3, derived: a period late loses 3 months of value (no discounting), and the team does
///   one person-week a week, so CD3 is 3 x monthly value / effort: b 225, a 150, c 150.
#[test]
fn each_rule_orders_a_hand_built_backlog_by_its_formula() {
    let m = model("tests/fixtures/strategies/frameworks.toml");
    assert_eq!(ids(&m, Rule::Rice), ["d", "a", "c", "b"]);
    assert_eq!(ids(&m, Rule::Ice), ["d", "c", "a", "b"]);
    assert_eq!(ids(&m, Rule::Wsjf), ["d", "a", "c", "b"]);
    assert_eq!(ids(&m, Rule::Moscow), ["d", "c", "b", "a"]);
    assert_eq!(ids(&m, Rule::ShortestJobFirst), ["d", "c", "a", "b"]);
    assert_eq!(ids(&m, Rule::HighestValueFirst), ["d", "b", "a", "c"]);
    assert_eq!(ids(&m, Rule::ValuePerEffort), ["d", "b", "a", "c"]);
    assert_eq!(ids(&m, Rule::Cd3), ["d", "b", "a", "c"]);
    assert_eq!(ids(&m, Rule::FileOrder), ["a", "b", "c", "d"]);

    let rice = Rule::Rice.rank(&m, 0);
    assert!((rice.scores[0] - 500.0).abs() < 1e-9);
    assert!((rice.scores[2] - 480.0).abs() < 1e-9);
    assert!(rice.derived.is_empty(), "{:?}", rice.derived);
    let wsjf = Rule::Wsjf.rank(&m, 0);
    assert!((wsjf.scores[0] - 4.5).abs() < 1e-9);
    let cd3 = Rule::Cd3.rank(&m, 0);
    assert!((cd3.scores[1] - 225.0).abs() < 1e-9, "{:?}", cd3.scores);
}

#[test]
fn random_is_a_seeded_permutation() {
    let m = model("scenarios/saas-annual-plan.toml");
    let a = Rule::Random.rank(&m, 7).order.features;
    let b = Rule::Random.rank(&m, 7).order.features;
    let c = Rule::Random.rank(&m, 8).order.features;
    assert_eq!(a, b);
    assert_ne!(a, c);
    let mut sorted = a.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..m.features.len()).collect::<Vec<_>>());
}

/// Without framework fields each rule says what it derived from the model, and RICE's score
/// is then the expected monthly value (kept after risks) per expected person-week.
#[test]
fn missing_framework_fields_are_derived_and_said() {
    let mut m = model("tests/fixtures/strategies/frameworks.toml");
    for f in &mut m.features {
        f.framework = Default::default();
    }
    let rice = Rule::Rice.rank(&m, 0);
    assert!(
        (rice.scores[0] - 100.0 / 2.0).abs() < 1e-9,
        "{:?}",
        rice.scores
    );
    assert!(rice
        .derived
        .iter()
        .any(|d| d.starts_with("4 features: reach x impact")));
    for rule in [Rule::Rice, Rule::Ice, Rule::Wsjf, Rule::Cd3, Rule::Moscow] {
        assert!(!rule.rank(&m, 0).derived.is_empty(), "{rule:?}");
    }
    // Every rule names every feature exactly once, whatever it derived.
    for rule in Rule::ALL {
        let mut order = rule.rank(&m, 1).order.features;
        order.sort_unstable();
        assert_eq!(order, vec![0, 1, 2, 3], "{rule:?}");
    }
}

/// Where the scenario scores reach and impact on its own scale for some features, a feature
/// without them counts 0 on that scale rather than getting a figure derived from money
/// (hundreds of times larger) that would jump the queue; the same for ICE's impact and ease.
#[test]
fn a_missing_framework_score_counts_zero_on_the_scenarios_own_scale() {
    let mut m = model("tests/fixtures/strategies/frameworks.toml");
    // b keeps its reach but loses its impact: it scores 0, not its expected monthly value in
    // currency (300 x 1 / 4 = 75) beside the others' reach x impact.
    m.features[1].framework.impact = None;
    m.features[2].framework.ease = None;
    let rice = Rule::Rice.rank(&m, 0);
    assert_eq!(rice.scores[1], 0.0, "{:?}", rice.scores);
    assert!((rice.scores[0] - 500.0).abs() < 1e-9);
    assert_eq!(ids(&m, Rule::Rice), ["d", "a", "c", "b"]);
    assert!(
        rice.derived
            .iter()
            .any(|d| d.starts_with("1 features: a missing reach or impact counts 0")),
        "{:?}",
        rice.derived
    );
    // ICE: b's impact and c's ease count 0, so both score 0 and keep file order behind a.
    let ice = Rule::Ice.rank(&m, 0);
    assert_eq!(ice.scores[1], 0.0);
    assert_eq!(ice.scores[2], 0.0);
    assert!((ice.scores[0] - 8.0).abs() < 1e-9);
    assert_eq!(ids(&m, Rule::Ice), ["d", "a", "b", "c"]);
    assert_eq!(ice.derived.len(), 2, "{:?}", ice.derived);
}

/// Mandatory work goes earliest deadline first under every scored rule, whatever the scores:
/// a mandatory feature due in the first period must not queue behind one due in the second
/// because it scores lower, and mandatory work without a deadline comes after both.
#[test]
fn mandatory_work_goes_earliest_deadline_first_in_every_rule() {
    use roadmap::model::{Deadline, DeadlineKind};
    let mut m = model("tests/fixtures/strategies/frameworks.toml");
    // c (the smallest, best-scoring under most rules) is due in the second period; a (worse
    // scores) in the first; d is mandatory without a deadline.
    m.features[0].mandatory = true;
    m.features[0].deadline = Some(Deadline {
        period: 0,
        kind: DeadlineKind::Hard,
        limit: None,
    });
    m.features[2].mandatory = true;
    m.features[2].deadline = Some(Deadline {
        period: 1,
        kind: DeadlineKind::Soft {
            penalty_per_period: 10.0,
        },
        limit: None,
    });
    for rule in Rule::ALL {
        if matches!(rule, Rule::FileOrder | Rule::Random) {
            continue;
        }
        assert_eq!(&ids(&m, rule)[..3], ["a", "c", "d"], "{rule:?}");
    }
}

#[test]
fn rules_parse_by_name_and_short_name() {
    for rule in Rule::ALL {
        assert_eq!(Rule::parse(rule.name()), Some(rule));
    }
    assert_eq!(Rule::parse("SJF"), Some(Rule::ShortestJobFirst));
    assert_eq!(Rule::parse("Value/Effort"), Some(Rule::ValuePerEffort));
    assert_eq!(Rule::parse("kano"), None);
}

use roadmap::analysis::strategies::{self as tournament, Strategy, TournamentOptions};
use roadmap::simulate::Quiet;

fn options(strategies: Vec<Strategy>, trials: u64, threads: usize) -> TournamentOptions {
    TournamentOptions {
        recommended: None,
        strategies,
        trials,
        seed: 11,
        threads: Some(threads),
        optimize: roadmap::optimize::OptimizeOptions {
            gap: 0.0,
            ..Default::default()
        },
    }
}

/// Where the simulator and the MILP count the same money (constant numbers, no risks, no
/// vendor lead times, free team time, no one-off costs) and hold plans to the same rules (no
/// theme shares, budget, mandatory features or hard deadlines, which the teams in the
/// simulator do not enforce), the optimal plan executes exactly to its objective and every
/// rule's executed plan is one the MILP also considered: no rule may beat it.
#[test]
fn no_rule_beats_the_optimal_plan_where_the_simulator_and_the_milp_agree() {
    for seed in 1..=4 {
        let mut m = common::load::generated(&GenerateSpec::new(14, 3, 3, seed));
        common::agree::constant_inputs(&mut m);
        common::agree::counted_alike(&mut m);
        let mut all = vec![Strategy::Optimal];
        all.extend(Rule::ALL.iter().map(|&r| Strategy::Rule(r)));
        let t = tournament::run(&m, &options(all, 32, 1), &Quiet).unwrap();
        let optimal = &t.results[0];
        assert!(optimal.error.is_none());
        assert_eq!(optimal.npv_std_error, 0.0, "nothing is uncertain");
        for r in &t.results[1..] {
            assert!(
                r.npv_mean <= optimal.npv_mean + 1e-6 * optimal.npv_mean.abs(),
                "seed {seed}: {} {} beats optimal {}",
                r.name,
                r.npv_mean,
                optimal.npv_mean
            );
            assert_eq!(r.p_beats_optimal, Some(0.0), "seed {seed}: {}", r.name);
        }
    }
}

/// The same seed gives the same tournament, on any number of threads.
#[test]
fn a_tournament_is_deterministic_for_a_seed() {
    let m = model("scenarios/mobile-launch.toml");
    let strategies = vec![
        Strategy::Optimal,
        Strategy::Rule(Rule::Rice),
        Strategy::Rule(Rule::Wsjf),
        Strategy::Rule(Rule::Random),
    ];
    let strip = |mut t: tournament::Tournament| {
        for r in &mut t.results {
            r.compute_seconds = 0.0;
        }
        serde_json::to_string(&t).unwrap()
    };
    let one = strip(tournament::run(&m, &options(strategies.clone(), 3000, 1), &Quiet).unwrap());
    let two = strip(tournament::run(&m, &options(strategies, 3000, 2), &Quiet).unwrap());
    assert_eq!(one, two);
}

#[test]
fn the_terminal_table() {
    let out = common::cli::roadmap()
        .args([
            "strategies",
            "tests/fixtures/strategies/frameworks.toml",
            "--trials",
            "2000",
            "--strategies",
            "optimal,rice,ice,wsjf,moscow,random",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Compute times vary from run to run.
    let stable: String = text
        .lines()
        .map(|l| {
            let mut words: Vec<&str> = l.split_inclusive(' ').collect();
            if l.trim_end().ends_with(" s") && words.len() > 2 {
                words.truncate(words.len() - 2);
            }
            words.concat().trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("strategies_table", stable);
}

/// Many portfolios: reproducible from the seed on any number of threads, and the optimal plan
/// is the reference every share is taken against.
#[test]
fn a_many_portfolio_tournament_is_deterministic_for_a_seed() {
    let options = tournament::ManyOptions {
        portfolios: 4,
        features: 12,
        teams: 3,
        periods: 3,
        seed: 5,
        trials: 300,
        strategies: vec![
            Strategy::Optimal,
            Strategy::Rule(Rule::Wsjf),
            Strategy::Rule(Rule::ValuePerEffort),
        ],
        optimize: roadmap::optimize::OptimizeOptions {
            gap: 0.0,
            ..Default::default()
        },
    };
    let in_pool = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let t = pool.install(|| tournament::run_many(&options, &Quiet));
        serde_json::to_string(&t).unwrap()
    };
    let one = in_pool(1);
    assert_eq!(one, in_pool(2));
    let t: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(t["strategies"][0]["name"], "optimal");
    assert_eq!(t["strategies"][0]["mean_share_of_optimal"], 1.0);
    // Settings come from the seed: the same portfolio index, the same settings.
    assert_eq!(
        tournament::settings(&options, 2),
        tournament::settings(&options, 2)
    );
}
