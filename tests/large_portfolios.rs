//! Large portfolios: a long chain of requirements is read, ordered, checked and simulated
//! without recursion as deep as the chain (a test thread has a small stack), with the answers
//! the chain implies; and the walks rewritten to take time linear in the portfolio give what
//! the straightforward quadratic ones give, on random small portfolios.

mod common;

use proptest::prelude::*;
use roadmap::analysis::capacity::{self, Commitment};
use roadmap::model::plan::{requirement_depth, OrderChange};
use roadmap::model::{DeadlineKind, Model, Order};
use roadmap::scenario;
use roadmap::simulate::Schedule;
use std::collections::BTreeSet;
use std::path::Path;

const CHAIN: usize = 100_000;

/// A backlog CSV of `CHAIN` rows, each requiring the row before it; the last is mandatory.
fn chain_scenario() -> Model {
    let toml = "[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[backlog]\nfile = \"chain.csv\"\n\n[[teams]]\nid = \"web\"\ncapacity = 1000000\n";
    let mut csv = String::from("id,web_low,web_likely,web_high,value,requires,mandatory\n");
    for i in 0..CHAIN {
        let requires = if i == 0 {
            String::new()
        } else {
            format!("c-{i}")
        };
        let mandatory = if i == CHAIN - 1 { "yes" } else { "" };
        csv.push_str(&format!("c-{},1,2,4,100,{requires},{mandatory}\n", i + 1));
    }
    match common::load::try_load_with_backlog("chain.toml", toml, csv) {
        Ok(loaded) => {
            assert_eq!(loaded.files[1], Path::new("chain.csv"));
            loaded.model
        }
        Err(e) => panic!("the chain does not validate: {e:?}"),
    }
}

#[test]
fn a_chain_of_100000_requirements_is_read_ordered_checked_and_simulated() {
    let model = chain_scenario();
    assert_eq!(model.features.len(), CHAIN);
    let last = CHAIN - 1;

    // Each feature sits one step above the one it requires.
    let depth = requirement_depth(&model);
    assert!(depth.iter().enumerate().all(|(f, &d)| d == f));

    // Asking for the last feature alone pulls the whole chain forward, first link first.
    let (order, changes) = Order {
        features: vec![last],
    }
    .normalised(&model);
    assert_eq!(order.features, (0..CHAIN).collect::<Vec<_>>());
    assert_eq!(changes.len(), CHAIN - 1);
    assert_eq!(
        changes[0],
        OrderChange::PulledForward {
            feature: 0,
            needed_by: last
        }
    );

    // The mandatory end commits everything below it, due by the plan's end.
    let commitments = capacity::commitments(&model);
    assert_eq!(commitments[last], Some((Commitment::Mandatory, 3)));
    assert!(commitments[..last]
        .iter()
        .all(|c| *c == Some((Commitment::RequiredByMandatory, 3))));

    // With capacity to spare every link is delivered in the first quarter, each no earlier
    // than the one it requires.
    let result = common::solve::simulate(&model, &Schedule::Order(order), 7, 2, Some(1));
    assert_eq!(result.features.len(), CHAIN);
    assert!(result
        .features
        .iter()
        .all(|f| f.p_delivered == 1.0 && f.p50_period.as_deref() == Some("2027Q1")));
    let weeks: Vec<f64> = result
        .features
        .iter()
        .map(|f| f.mean_completion_week.unwrap())
        .collect();
    assert!(weeks.windows(2).all(|w| w[0] <= w[1]));
}

/// A backlog that names many ids it does not have (links to tickets outside the export) is
/// reported in seconds: the first unknown ids get the closest known one, the rest say why not.
#[test]
fn thousands_of_unknown_ids_in_a_large_backlog_are_reported_without_searching_each() {
    let rows = 60_000;
    let toml = "[plan]\nperiods = 4\n\n[backlog]\nfile = \"gone.csv\"\n\n[[teams]]\nid = \"web\"\ncapacity = 1000000\n";
    let mut csv = String::from("id,effort_web,value,requires\n");
    for i in 1..=rows {
        // The first row's requirement is an id the backlog has, in the wrong case; 2,000
        // others name tickets that are not in it.
        let requires = match i {
            1 => "C-2".to_string(),
            i if i % 30 == 0 => format!("gone-{i}"),
            _ => String::new(),
        };
        csv.push_str(&format!("c-{i},2,100,{requires}\n"));
    }
    let findings = match common::load::try_load_with_backlog("gone.toml", toml, csv) {
        Err(scenario::ScenarioError::Invalid { findings, .. }) => findings,
        other => panic!("unknown ids must be errors: {other:?}"),
    };
    let unknown: Vec<_> = findings
        .iter()
        .filter(|f| f.message.starts_with("unknown feature"))
        .collect();
    assert_eq!(unknown.len(), 1 + rows / 30);
    assert_eq!(unknown[0].message, "unknown feature `C-2`");
    assert_eq!(unknown[0].help.as_deref(), Some("did you mean `c-2`?"));
    let last = unknown.last().unwrap();
    assert_eq!(last.message, format!("unknown feature `gone-{rows}`"));
    assert!(last
        .help
        .as_deref()
        .unwrap()
        .ends_with("(too many unknown ids to suggest the closest for each)"));
}

// ---------------------------------------------------------------------------------------
// Random small portfolios against the straightforward walks.

/// A feature of a random portfolio: requirements on earlier features (index, lag), an
/// exclusion of another feature, mandatory, a deadline period (1-based) and its kind.
#[derive(Debug, Clone)]
struct Spec {
    requires: Vec<(usize, usize)>,
    excludes: Option<usize>,
    mandatory: bool,
    deadline: Option<(usize, bool)>,
}

fn specs() -> impl Strategy<Value = (Vec<Spec>, Vec<(Vec<usize>, bool)>)> {
    (2usize..9).prop_flat_map(|n| {
        let feature = (
            prop::collection::vec((0usize..100, 0usize..2), 0..3),
            prop::option::weighted(0.3, 0usize..100),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.3, (1usize..5, any::<bool>())),
        );
        let deal = (prop::collection::vec(0usize..n, 1..4), any::<bool>());
        (
            prop::collection::vec(feature, n),
            prop::collection::vec(deal, 0..3),
        )
            .prop_map(move |(features, deals)| {
                let specs = features
                    .into_iter()
                    .enumerate()
                    .map(|(i, (requires, excludes, mandatory, deadline))| Spec {
                        requires: if i == 0 {
                            Vec::new()
                        } else {
                            requires.into_iter().map(|(r, lag)| (r % i, lag)).collect()
                        },
                        excludes: excludes.map(|x| x % n).filter(|&x| x != i),
                        mandatory,
                        deadline,
                    })
                    .collect();
                (specs, deals)
            })
    })
}

fn render(specs: &[Spec], deals: &[(Vec<usize>, bool)]) -> String {
    let mut text = String::from("[plan]\nperiods = 4\n\n[[teams]]\nid = \"t\"\ncapacity = 1000\n");
    for (i, s) in specs.iter().enumerate() {
        text.push_str(&format!(
            "\n[[features]]\nid = \"f{i}\"\nvalue = 10\neffort = {{ t = [1, 2, 3] }}\n"
        ));
        if !s.requires.is_empty() {
            let list: Vec<String> = s
                .requires
                .iter()
                .map(|(r, lag)| format!("{{ id = \"f{r}\", lag = {lag} }}"))
                .collect();
            text.push_str(&format!("requires = [{}]\n", list.join(", ")));
        }
        if let Some(x) = s.excludes {
            text.push_str(&format!("excludes = [\"f{x}\"]\n"));
        }
        if s.mandatory {
            text.push_str("mandatory = true\n");
        }
        match s.deadline {
            Some((p, true)) => text.push_str(&format!("deadline = {p}\n")),
            Some((p, false)) => text.push_str(&format!(
                "deadline = {{ period = {p}, kind = \"soft\", penalty = 5 }}\n"
            )),
            None => {}
        }
    }
    for (d, (features, dated)) in deals.iter().enumerate() {
        let list: Vec<String> = features.iter().map(|f| format!("\"f{f}\"")).collect();
        text.push_str(&format!(
            "\n[[deals]]\nid = \"d{d}\"\nfeatures = [{}]\none_off = 100\n",
            list.join(", ")
        ));
        if *dated {
            text.push_str("by = 4\n");
        }
    }
    text
}

/// Everything `f` needs, directly or not, depth-first from its last requirement, then `f`.
fn closure(specs: &[Spec], f: usize) -> Vec<usize> {
    let mut seen = vec![false; specs.len()];
    let mut stack: Vec<usize> = specs[f].requires.iter().map(|r| r.0).collect();
    let mut out = Vec::new();
    while let Some(g) = stack.pop() {
        if !std::mem::replace(&mut seen[g], true) {
            out.push(g);
            stack.extend(specs[g].requires.iter().map(|r| r.0));
        }
    }
    out.push(f);
    out
}

/// The exclusion findings (message texts) by comparing every pair of every closure.
fn exclusion_messages(specs: &[Spec], deals: &[(Vec<usize>, bool)]) -> BTreeSet<String> {
    let excludes =
        |a: usize, b: usize| specs[a].excludes == Some(b) || specs[b].excludes == Some(a);
    let mut out = BTreeSet::new();
    for f in 0..specs.len() {
        let c = closure(specs, f);
        for &a in &c {
            for &b in &c {
                if a < b && excludes(a, b) {
                    out.insert(format!(
                        "`f{f}` needs both `f{a}` and `f{b}`, which exclude each other"
                    ));
                }
            }
        }
    }
    let mandatory: Vec<usize> = (0..specs.len()).filter(|&f| specs[f].mandatory).collect();
    for (i, &a) in mandatory.iter().enumerate() {
        for &b in &mandatory[i + 1..] {
            let (ca, cb) = (closure(specs, a), closure(specs, b));
            if let Some((x, y)) = ca
                .iter()
                .flat_map(|&x| cb.iter().map(move |&y| (x, y)))
                .find(|&(x, y)| x != y && excludes(x, y))
            {
                out.insert(format!(
                    "mandatory `f{a}` and `f{b}` cannot both be delivered: `f{x}` excludes `f{y}`"
                ));
            }
        }
    }
    for (features, _) in deals {
        let mut unique: Vec<usize> = Vec::new();
        for &f in features {
            if !unique.contains(&f) {
                unique.push(f);
            }
        }
        let all: Vec<usize> = unique.iter().flat_map(|&f| closure(specs, f)).collect();
        if let Some((x, y)) = all
            .iter()
            .flat_map(|&x| all.iter().map(move |&y| (x, y)))
            .find(|&(x, y)| x < y && excludes(x, y))
        {
            out.insert(format!(
                "this deal can never be won: `f{x}` excludes `f{y}`"
            ));
        }
    }
    out
}

fn is_exclusion_message(m: &str) -> bool {
    m.contains("which exclude each other")
        || m.contains("cannot both be delivered")
        || m.contains("this deal can never be won: `")
}

/// The order's prerequisites pulled forward and alternatives dropped, feature by feature,
/// each walk over the whole portfolio.
fn normalised_by_hand(model: &Model, order: &[usize]) -> (Vec<usize>, Vec<OrderChange>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Taken,
        Dropped,
    }
    fn prerequisites(model: &Model, f: usize, out: &mut Vec<usize>, seen: &mut [bool]) {
        if seen[f] {
            return;
        }
        seen[f] = true;
        for r in &model.features[f].requires {
            prerequisites(model, r.feature, out, seen);
        }
        out.push(f);
    }
    let n = model.features.len();
    let excluded_by = |f: usize| -> Vec<usize> {
        (0..n)
            .filter(|&g| model.features[g].excludes.contains(&f))
            .collect()
    };
    let mut state = vec![State::Open; n];
    let (mut out, mut changes) = (Vec::new(), Vec::new());
    for &f in order {
        if state[f] != State::Open {
            continue;
        }
        let mut needed = Vec::new();
        prerequisites(model, f, &mut needed, &mut vec![false; n]);
        let blocked = needed.iter().find_map(|&g| {
            if state[g] == State::Dropped {
                return Some((g, None));
            }
            model.features[g]
                .excludes
                .iter()
                .copied()
                .chain(excluded_by(g))
                .find(|&x| state[x] == State::Taken)
                .map(|x| (g, Some(x)))
        });
        if let Some((g, chooser)) = blocked {
            state[f] = State::Dropped;
            changes.push(match chooser {
                Some(chosen) if g == f => OrderChange::Excluded { feature: f, chosen },
                _ => OrderChange::RequirementDropped {
                    feature: f,
                    requirement: g,
                },
            });
            continue;
        }
        for &g in &needed {
            if state[g] != State::Taken {
                state[g] = State::Taken;
                out.push(g);
                if g != f {
                    changes.push(OrderChange::PulledForward {
                        feature: g,
                        needed_by: f,
                    });
                }
            }
        }
    }
    (out, changes)
}

/// Commitments passed down requirement by requirement until nothing changes.
fn commitments_by_hand(model: &Model) -> Vec<Option<(Commitment, usize)>> {
    let last = model.time.periods - 1;
    let mut out: Vec<Option<(Commitment, usize)>> = model
        .features
        .iter()
        .map(|f| match (f.mandatory, f.deadline) {
            (true, d) => Some((
                Commitment::Mandatory,
                d.filter(|d| matches!(d.kind, DeadlineKind::Hard))
                    .map_or(last, |d| d.period),
            )),
            (false, Some(d)) => Some((Commitment::Deadline, d.period)),
            _ => None,
        })
        .collect();
    loop {
        let mut changed = false;
        for f in 0..model.features.len() {
            let Some((why, due)) = out[f] else { continue };
            for r in &model.features[f].requires {
                let need = due.saturating_sub(r.lag_periods);
                let inherited = if why.is_forced() {
                    Commitment::RequiredByMandatory
                } else {
                    Commitment::RequiredByDeadline
                };
                let next = match out[r.feature] {
                    None => Some((inherited, need)),
                    Some((w, d)) => Some((
                        if !w.is_forced() && why.is_forced() {
                            inherited
                        } else {
                            w
                        },
                        d.min(need),
                    )),
                };
                if next != out[r.feature] {
                    out[r.feature] = next;
                    changed = true;
                }
            }
        }
        if !changed {
            return out;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Validation reports exactly the exclusions that comparing every pair finds.
    #[test]
    fn exclusion_checks_find_what_every_pair_finds((specs, deals) in specs()) {
        let text = render(&specs, &deals);
        let found: BTreeSet<String> =
            match common::load::try_load("t.toml", text.clone()) {
                Ok(loaded) => loaded.warnings.iter().map(|f| f.message.clone()).collect(),
                Err(scenario::ScenarioError::Invalid { findings, .. }) => {
                    findings.iter().map(|f| f.message.clone()).collect()
                }
                Err(e) => panic!("{e}"),
            };
        let found: BTreeSet<String> = found.into_iter().filter(|m| is_exclusion_message(m)).collect();
        prop_assert_eq!(found, exclusion_messages(&specs, &deals), "{}", text);
    }

    /// Orders are normalised, and commitments passed down, as the walks over every feature do.
    #[test]
    fn orders_and_commitments_match_the_walks_over_every_feature(
        (specs, deals) in specs(),
        shuffle in any::<u64>(),
    ) {
        let text = render(&specs, &deals);
        let Ok(loaded) = common::load::try_load("t.toml", text) else {
            return Ok(());
        };
        let model = loaded.model;
        let mut order: Vec<usize> = (0..model.features.len()).collect();
        let mut key = shuffle;
        for i in (1..order.len()).rev() {
            key = key.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (key >> 33) as usize % (i + 1));
        }
        let (normalised, changes) = Order { features: order.clone() }.normalised(&model);
        prop_assert_eq!((normalised.features, changes), normalised_by_hand(&model, &order));
        prop_assert_eq!(capacity::commitments(&model), commitments_by_hand(&model));
    }
}
