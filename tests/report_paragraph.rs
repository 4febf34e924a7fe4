//! The executive summary's sentences, case by case: which of the plan and the best rule is
//! ahead (or neither, within the noise), and what a capacity drop costs, each on the
//! simulator's basis and in words that never need a minus sign to be read.

use roadmap::report::html::{
    capacity_sentence, driver_sentence, rule_sentence, CapacityCut, Driver, RuleComparison,
};

fn rules(rule: &str, plan_npv: f64, rule_npv: f64, low: f64, high: f64) -> RuleComparison {
    RuleComparison::new(rule.into(), rule_npv, plan_npv, low, high)
}

#[test]
fn the_plan_against_the_best_rule_reads_right_in_every_case() {
    let cases = [
        (
            "the plan is ahead",
            rules("ice", 8_160_000.0, 7_211_000.0, 933_000.0, 964_000.0),
        ),
        (
            "a rule is ahead",
            rules(
                "value-per-effort",
                1_000_000.0,
                1_003_915.0,
                -7_229.0,
                -601.0,
            ),
        ),
        (
            "a rule is ahead by breaking commitments",
            RuleComparison {
                rule_commitments_hold: Some(0.41),
                plan_commitments_hold: Some(0.86),
                ..rules("wsjf", 1_000_000.0, 1_050_000.0, -61_000.0, -39_000.0)
            },
        ),
        (
            "within the noise",
            rules("rice", 1_000_000.0, 998_800.0, -3_100.0, 5_500.0),
        ),
        (
            "the same plan",
            rules("file-order", 1_000_000.0, 1_000_000.0, 0.0, 0.0),
        ),
    ];
    let text: Vec<String> = cases
        .iter()
        .map(|(case, v)| format!("{case}:{}", rule_sentence(v, "EUR")))
        .collect();
    // No double negatives and no minus signs before money.
    for line in &text {
        assert!(!line.contains("-€"), "{line}");
    }
    assert_eq!(cases[0].1.ahead, "plan");
    assert_eq!(cases[1].1.ahead, "rule");
    assert_eq!(cases[3].1.ahead, "tie");
    insta::assert_snapshot!("rule_sentences", text.join("\n"));
}

#[test]
fn a_capacity_drop_is_a_simulated_loss_and_says_which_way_is_better() {
    let cut = |feasible: bool, dropped: usize, replanned: Option<f64>, held: f64| CapacityCut {
        capacity_factor: 0.8,
        feasible,
        dropped: (0..dropped)
            .map(|i| (format!("PAY-{i}"), format!("Checkout step {i}")))
            .collect(),
        npv_lost: 492_000.0,
        simulated_npv_lost: replanned,
        simulated_npv_lost_held: held,
    };
    let cases = [
        (
            "re-planning keeps every feature",
            cut(true, 0, Some(120_000.0), 300_000.0),
        ),
        (
            "re-planning drops features",
            cut(true, 5, Some(871_000.0), 1_200_000.0),
        ),
        (
            "keeping the plan does better",
            cut(true, 2, Some(900_000.0), 640_000.0),
        ),
        ("no plan fits", cut(false, 0, None, 225_000.0)),
    ];
    let text: Vec<String> = cases
        .iter()
        .map(|(case, c)| format!("{case}:{}", capacity_sentence(c, "USD")))
        .collect();
    // The optimizer's own figure (492k) is not the paragraph's: it is simulated throughout.
    for line in &text {
        assert!(!line.contains("492"), "{line}");
        assert!(line.contains("simulated"), "{line}");
    }
    insta::assert_snapshot!("capacity_sentences", text.join("\n"));
}

#[test]
fn the_biggest_driver_says_it_is_one_world_not_a_simulated_mean() {
    let d = Driver {
        input: "segments.enterprise.demand".into(),
        label: "Enterprise demand".into(),
        npv_at_p10: 6_350_000.0,
        npv_at_p90: 10_900_000.0,
        swing: 4_550_000.0,
        replanned: true,
    };
    let held = Driver {
        replanned: false,
        // An effort: its P10 is the good end.
        npv_at_p10: 9_000_000.0,
        npv_at_p90: 7_000_000.0,
        ..d.clone()
    };
    insta::assert_snapshot!(
        "driver_sentences",
        format!(
            "{}\n{}",
            driver_sentence(&d, "USD"),
            driver_sentence(&held, "USD")
        )
    );
}

/// A random order is no rule a product lead can adopt: the best rule is the best of the
/// others, even when a lucky shuffle earns more.
#[test]
fn a_random_order_is_never_the_best_rule() {
    use roadmap::analysis::strategies::{Strategy, StrategyResult, Tournament};
    use roadmap::report::html::versus_best_rule;
    use roadmap::strategy::Rule;
    let result = |strategy: Strategy, npv: f64, hold: f64| StrategyResult {
        strategy,
        name: strategy.name().into(),
        describe: String::new(),
        error: None,
        npv_mean: npv,
        npv_std_error: 0.0,
        npv_p10: npv,
        npv_p90: npv,
        share_of_best: 1.0,
        versus_best: None,
        p_beats_optimal: None,
        deadlines_met: None,
        commitments_hold: Some(hold),
        deals_won: None,
        compute_seconds: 0.0,
        features: 3,
        derived: Vec::new(),
    };
    // Per trial: the plan 100, 110, 120; random 130, 150, 170; RICE 104, 108, 130.
    let t = Tournament {
        scenario: String::new(),
        trials: 3,
        seed: 1,
        currency: "USD".into(),
        results: vec![
            result(Strategy::Recommended, 110.0, 0.9),
            result(Strategy::Rule(Rule::Random), 150.0, 0.2),
            result(Strategy::Rule(Rule::Rice), 114.0, 0.5),
        ],
        best: None,
        trial_npv: vec![
            Some(vec![100.0, 110.0, 120.0]),
            Some(vec![130.0, 150.0, 170.0]),
            Some(vec![104.0, 108.0, 130.0]),
        ],
    };
    let v = versus_best_rule(&t, Strategy::Recommended).unwrap();
    assert_eq!(v.best_rule, "rice");
    assert_eq!((v.plan_npv, v.best_rule_npv), (110.0, 114.0));
    // Differences -4, 2, -10: mean -4, sd 6, interval -4 ± 1.96 x 6 / sqrt(3).
    let half = 1.96 * 6.0 / 3f64.sqrt();
    assert!((v.advantage_low - (-4.0 - half)).abs() < 1e-9);
    assert!((v.advantage_high - (-4.0 + half)).abs() < 1e-9);
    assert_eq!(v.ahead, "tie");
    assert_eq!(v.rule_commitments_hold, Some(0.5));
    assert_eq!(v.plan_commitments_hold, Some(0.9));
}
