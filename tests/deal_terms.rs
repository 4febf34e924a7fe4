//! Deal terms, computed by hand: any k of a deal's features, a late penalty until the deal
//! expires, milestone payments; the simulator, the optimizer and validation agree on them.

mod common;

use common::load::{findings, model_from, try_load};
use common::solve::{exact, simulate};
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::simulate::Schedule;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// Four quarters, undiscounted, value counted to month 12; a free team; features `a`, `b`,
/// `c` worth nothing alone, each with a one-off cost of 500; the deal given by `deal`.
fn scenario(deal: &str, feature: &str) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 12\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[features]]\nid = \"a\"\neffort = {{ web = 1 }}\nvalue = 0\ncost = 500\n{feature}\n\n\
         [[features]]\nid = \"b\"\neffort = {{ web = 1 }}\nvalue = 0\ncost = 500\n\n\
         [[features]]\nid = \"c\"\neffort = {{ web = 1 }}\nvalue = 0\ncost = 500\n\n\
         [[deals]]\nid = \"d\"\nfeatures = [\"a\", \"b\", \"c\"]\none_off = 1000\nmonthly = 100\n{deal}\n"
    ))
}

/// NPV of a plan on a certain model: one trial is every trial.
fn npv(m: &Model, periods: &[Option<usize>]) -> f64 {
    simulate(
        m,
        &Schedule::Plan(Plan::new(periods.to_vec())),
        1,
        1,
        Some(1),
    )
    .npv
    .mean
}

/// Any two of three: the deal completes with the second feature to ship. Completing in Q2
/// (month 6) it pays 1,000 and 100 a month for 6 months; the features cost 500 each.
/// The optimizer ships two of them at once in Q1 (1,000 + 900 - 1,000 = 900): more than all
/// three (400) or none (0). Needing all three, it ships all three (400).
#[test]
fn a_deal_of_any_two_completes_with_the_second_feature() {
    let m = scenario("need = 2", "");
    assert_eq!(m.deals[0].need, 2);
    assert!(close(
        npv(&m, &[Some(0), Some(2), Some(1)]),
        1600.0 - 1500.0
    ));
    assert!(close(npv(&m, &[None, Some(2), Some(1)]), 1300.0 - 1000.0));
    assert!(close(npv(&m, &[None, None, Some(1)]), -500.0));
    let out = optimize(&m, &exact()).unwrap();
    assert!(close(out.objective, 900.0), "{}", out.objective);
    assert_eq!(out.plan.planned().count(), 2);
    assert!(close(npv(&m, &out.plan.periods), 900.0));

    let all = scenario("", "");
    let out = optimize(&all, &exact()).unwrap();
    assert!(close(out.objective, 400.0), "{}", out.objective);
}

/// Due in Q1 with 200 off for each quarter late, until Q3: completing in Q1 pays 1,900, in Q2
/// 1,000 + 600 - 200, in Q3 1,000 + 300 - 400, in Q4 nothing. Without the penalty a late
/// deal is lost.
#[test]
fn a_late_deal_pays_less_its_penalty_until_it_expires() {
    let m = scenario("by = 1\nlate_penalty = 200\nexpires = 3", "");
    let cost = 1500.0;
    for (t, paid) in [(0, 1900.0), (1, 1400.0), (2, 900.0), (3, 0.0)] {
        let plan = [Some(t), Some(0), Some(0)];
        assert!(
            close(npv(&m, &plan), paid - cost),
            "Q{}: {}",
            t + 1,
            npv(&m, &plan)
        );
    }
    let strict = scenario("by = 1", "");
    assert!(close(npv(&strict, &[Some(1), Some(0), Some(0)]), -cost));
    // A feature that cannot start before Q3, alone in such a deal: two quarters late, it is
    // still worth winning (1,000 + 300 - 400), and the optimizer ships it then.
    let waits = model_from(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 12\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 0\nearliest = 3\n\n\
         [[deals]]\nid = \"d\"\nfeatures = [\"a\"]\none_off = 1000\nmonthly = 100\n\
         by = 1\nlate_penalty = 200\nexpires = 3\n",
    );
    let out = optimize(&waits, &exact()).unwrap();
    assert_eq!(out.plan.periods, vec![Some(2)]);
    assert!(close(out.objective, 900.0), "{}", out.objective);
}

/// A penalty that outweighs the deal: the plan cannot decline a contract it has signed. `a`
/// is worth 10,000 a month and cannot ship before Q3, where the deal pays 1,000 + 300 less
/// 2 x 5,000. The optimizer still ships it, with the deal's loss counted as the simulator
/// counts it.
#[test]
fn a_late_penalty_larger_than_the_deal_is_still_charged() {
    let m = model_from(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 12\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 10000\nearliest = 3\n\n\
         [[deals]]\nid = \"d\"\nfeatures = [\"a\"]\none_off = 1000\nmonthly = 100\n\
         by = 1\nlate_penalty = 5000\n",
    );
    let out = optimize(&m, &exact()).unwrap();
    let expected = 10_000.0 * 3.0 + 1300.0 - 10_000.0;
    assert_eq!(out.plan.periods, vec![Some(2)]);
    assert!(close(out.objective, expected), "{}", out.objective);
    assert!(close(npv(&m, &out.plan.periods), expected));
}

/// Milestones pay on the way, each when its own features ship and by its own date: the pilot
/// (when `a` ships, by Q1) and the rollout (when `b` ships); the deal's own monthly payment
/// when all three have.
#[test]
fn milestones_pay_when_their_features_ship() {
    let m = model_from(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 12\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 0\n\n\
         [[features]]\nid = \"b\"\neffort = { web = 1 }\nvalue = 0\n\n\
         [[features]]\nid = \"c\"\neffort = { web = 1 }\nvalue = 0\n\n\
         [[deals]]\nid = \"d\"\ncustomer = \"Umbrella\"\nfeatures = [\"a\", \"b\", \"c\"]\nmonthly = 100\n\
         milestones = [{ name = \"pilot\", features = [\"a\"], one_off = 2000, by = 1 }, \
         { name = \"rollout\", features = [\"b\"], one_off = 3000 }]\n",
    );
    let names: Vec<(&str, &str)> = m
        .deals
        .iter()
        .map(|d| (d.id.as_str(), d.customer.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("d", "Umbrella"),
            ("d.m1", "Umbrella (pilot)"),
            ("d.m2", "Umbrella (rollout)")
        ]
    );
    // All in Q1: 2,000 + 3,000 + 100 x 9. The pilot late (Q2) is lost; c left out, no monthly.
    assert!(close(npv(&m, &[Some(0), Some(0), Some(0)]), 5900.0));
    assert!(close(npv(&m, &[Some(1), Some(1), Some(1)]), 3000.0 + 600.0));
    assert!(close(npv(&m, &[Some(0), Some(3), None]), 5000.0));
    let out = optimize(&m, &exact()).unwrap();
    assert!(close(out.objective, 5900.0), "{}", out.objective);
}

/// A feature done before the plan counts towards a deal that takes any `need` of them.
#[test]
fn a_done_feature_counts_towards_need() {
    let m = scenario("need = 2", "status = \"done\"");
    assert_eq!(m.deals[0].features.len(), 2);
    assert_eq!(m.deals[0].need, 1);
    assert!(close(npv(&m, &[Some(1), None]), 1600.0 - 500.0));
}

/// Mistakes in deal terms are errors at their line, with the fix.
#[test]
fn validation_of_deal_terms() {
    let text = |terms: &str| {
        format!(
            "[plan]\nperiods = 4\nperiod_weeks = 13\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
             [[features]]\nid = \"a\"\neffort = {{ web = 1 }}\nvalue = 10\n\n\
             [[features]]\nid = \"b\"\neffort = {{ web = 1 }}\nvalue = 10\n\n\
             [[deals]]\nid = \"d\"\nfeatures = [\"a\", \"b\"]\none_off = 100\n{terms}\n"
        )
    };
    for (terms, at, says) in [
        (
            "need = 3",
            "s.toml:23",
            "the deal needs 3 features but lists 2",
        ),
        (
            "need = 0",
            "s.toml:23",
            "must be a whole number of at least 1",
        ),
        (
            "late_penalty = 100",
            "s.toml:23",
            "a late penalty counts the periods after `by`",
        ),
        (
            "by = 3\nexpires = 2",
            "s.toml:24",
            "the deal expires before the date the customer expects it by",
        ),
        (
            "milestones = [{ features = [\"a\"] }]",
            "s.toml:23",
            "this milestone pays nothing",
        ),
        (
            "milestones = [{ features = [\"z\"], one_off = 5 }]",
            "s.toml:23",
            "unknown feature `z`",
        ),
    ] {
        let (errors, _) = findings(try_load("s.toml", text(terms)));
        assert!(
            errors.iter().any(|e| e.contains(at) && e.contains(says)),
            "{terms}: {errors:#?}"
        );
    }
}

/// `whatif --set` changes `need`, the late penalty and the expiry, and refuses what cannot be.
#[test]
fn whatif_sets_deal_terms() {
    let m = scenario("by = 1\nlate_penalty = 200\nexpires = 3", "");
    let set = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        roadmap::scenario::overrides::apply(&m, &args)
    };
    let (v, _) = set(&[
        "deals.d.need=2",
        "deals.d.late_penalty*=2",
        "deals.d.expires=4",
    ])
    .unwrap();
    assert_eq!(
        (
            v.deals[0].need,
            v.deals[0].late_penalty,
            v.deals[0].expires_period
        ),
        (2, Some(400.0), Some(3))
    );
    let (v, _) = set(&["deals.d.late_penalty=none"]).unwrap();
    assert_eq!(v.deals[0].late_penalty, None);
    for (bad, says) in [
        ("deals.d.need=4", "needs a whole number from 1 to 3"),
        ("deals.d.expires=0", ""),
        ("deals.d.by=none", "this would leave the deal without one"),
    ] {
        let problems = set(&[bad]).unwrap_err();
        let text = format!("{problems:?}");
        assert!(text.contains(says), "{bad}: {text}");
    }
}
