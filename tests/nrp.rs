//! All 17 NRP benchmark instances import into scenarios that validate, with the sizes and
//! exact budgets of the data's README (benches/data/nrp/README.md).

mod common;

use common::load::nrp_dir;

use roadmap::scenario::nrp;

/// From the data README's summary table: instance, n requirements, m customers, total cost,
/// dependency pairs, floor(0.3T), floor(0.5T), floor(0.7T).
type Row = (&'static str, usize, usize, u64, usize, [u64; 3]);

const TABLE: [Row; 17] = [
    ("classic-nrp/nrp1", 140, 100, 857, 97, [257, 428, 599]),
    ("classic-nrp/nrp2", 620, 500, 5048, 556, [1514, 2524, 3533]),
    (
        "classic-nrp/nrp3",
        1500,
        500,
        8870,
        1486,
        [2661, 4435, 6209],
    ),
    (
        "classic-nrp/nrp4",
        3250,
        750,
        22161,
        4961,
        [6648, 11080, 15512],
    ),
    (
        "classic-nrp/nrp5",
        1500,
        1000,
        3992,
        2036,
        [1197, 1996, 2794],
    ),
    (
        "realistic-nrp/nrp-e1",
        3502,
        536,
        13150,
        0,
        [3945, 6575, 9205],
    ),
    (
        "realistic-nrp/nrp-e2",
        4254,
        491,
        15928,
        0,
        [4778, 7964, 11149],
    ),
    (
        "realistic-nrp/nrp-e3",
        2844,
        456,
        10399,
        0,
        [3119, 5199, 7279],
    ),
    (
        "realistic-nrp/nrp-e4",
        3186,
        399,
        11699,
        0,
        [3509, 5849, 8189],
    ),
    (
        "realistic-nrp/nrp-g1",
        2690,
        445,
        13277,
        0,
        [3983, 6638, 9293],
    ),
    (
        "realistic-nrp/nrp-g2",
        2650,
        315,
        12626,
        0,
        [3787, 6313, 8838],
    ),
    (
        "realistic-nrp/nrp-g3",
        2512,
        423,
        12258,
        0,
        [3677, 6129, 8580],
    ),
    (
        "realistic-nrp/nrp-g4",
        2246,
        294,
        10700,
        0,
        [3210, 5350, 7490],
    ),
    (
        "realistic-nrp/nrp-m1",
        4060,
        768,
        15741,
        0,
        [4722, 7870, 11018],
    ),
    (
        "realistic-nrp/nrp-m2",
        4368,
        617,
        16997,
        0,
        [5099, 8498, 11897],
    ),
    (
        "realistic-nrp/nrp-m3",
        3566,
        765,
        13800,
        0,
        [4140, 6900, 9660],
    ),
    (
        "realistic-nrp/nrp-m4",
        3643,
        568,
        14194,
        0,
        [4258, 7097, 9935],
    ),
];

#[test]
fn all_17_instances_import_with_the_published_sizes_and_exact_budgets() {
    let dir = nrp_dir();
    for (name, n, m, total, pairs, budgets) in TABLE {
        let path = dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let instance = nrp::parse(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(instance.costs.len(), n, "{name} requirements");
        assert_eq!(instance.customers.len(), m, "{name} customers");
        assert_eq!(instance.total_cost(), total, "{name} total cost");
        assert_eq!(
            instance.dependencies.len(),
            pairs,
            "{name} dependency pairs"
        );
        for (ratio, budget) in ["0.3", "0.5", "0.7"].iter().zip(budgets) {
            assert_eq!(
                nrp::Ratio::parse(ratio)
                    .unwrap()
                    .apply(total, nrp::Rounding::Floor),
                budget,
                "{name} at {ratio}"
            );
        }
        // Each imported scenario validates and says what the NRP says.
        let toml = nrp::to_scenario(name, &instance, "0.3", nrp::Rounding::Floor, budgets[0]);
        let loaded = common::load::loaded("imported.toml", toml);
        let model = &loaded.model;
        assert_eq!(model.features.len(), n);
        assert_eq!(model.deals.len(), m);
        assert_eq!(model.teams[0].capacity_weeks, vec![budgets[0] as f64]);
        assert_eq!(model.time.periods, 1);
        assert_eq!(model.time.discount_rate, 0.0);
        let effort: f64 = model
            .features
            .iter()
            .map(|f| model.mean(f.effort[0].weeks))
            .sum();
        assert_eq!(effort, total as f64);
        let profit: f64 = model
            .deals
            .iter()
            .map(|d| model.mean(d.one_off.unwrap()))
            .sum();
        let expected: u64 = instance.customers.iter().map(|c| c.profit).sum();
        assert_eq!(profit, expected as f64);
        let requires: usize = model.features.iter().map(|f| f.requires.len()).sum();
        let distinct: std::collections::HashSet<_> = instance.dependencies.iter().collect();
        assert_eq!(
            requires,
            distinct.len(),
            "{name}: duplicate pairs collapse to one requirement"
        );
    }
}

#[test]
fn prerequisites_point_the_right_way() {
    // A pair `a b` means b requires a (see the data README).
    let text = "1\n2\n3 4\n1\n1 2\n1\n10 1 2\n";
    let instance = nrp::parse("tiny", text).unwrap();
    let loaded = common::load::loaded(
        "t.toml",
        nrp::to_scenario("tiny", &instance, "1", nrp::Rounding::Floor, 7),
    );
    let r2 = &loaded.model.features[1];
    assert_eq!(r2.id, "r2");
    assert_eq!(loaded.model.features[r2.requires[0].feature].id, "r1");
}

/// The published table lists 11070 for nrp-e1 at 0.5 (budget 6575); the plan kept beside the
/// data wins 11071 within that budget. Checked here by counting, with no solver.
#[test]
fn a_plan_beats_the_published_nrp_e1_optimum_at_half_the_budget() {
    let dir = nrp_dir();
    let text = std::fs::read_to_string(dir.join("realistic-nrp/nrp-e1.txt")).unwrap();
    let instance = roadmap::scenario::nrp::parse("nrp-e1", &text).unwrap();
    assert!(instance.dependencies.is_empty());
    let proof = std::fs::read_to_string(dir.join("proofs/nrp-e1-0.5-customers.txt")).unwrap();
    let customers: Vec<usize> = proof
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().parse::<usize>().unwrap() - 1)
        .collect();
    let mut implemented = std::collections::HashSet::new();
    let mut profit = 0;
    for &c in &customers {
        profit += instance.customers[c].profit;
        implemented.extend(instance.customers[c].requests.iter().copied());
    }
    let cost: u64 = implemented.iter().map(|&r| instance.costs[r]).sum();
    let budget = roadmap::scenario::nrp::Ratio::parse("0.5").unwrap().apply(
        instance.total_cost(),
        roadmap::scenario::nrp::Rounding::Nearest,
    );
    assert_eq!(budget, 6575);
    assert!(cost <= budget, "the plan costs {cost}");
    assert_eq!(profit, 11071);
}
