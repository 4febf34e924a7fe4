//! Common risks, computed by hand: one event (`[[risks]]`) that hits several features in the
//! same futures, each hit with its own impact and its own chance given the event; the expected
//! money the optimizer counts; validation, `whatif --set` and the tornado naming the event.

#[path = "oracle/mod.rs"]
mod oracle;

mod common;

use common::load::{findings, model_from, try_load};
use common::solve::{exact, simulate, simulate_raw};
use roadmap::model::{Model, Plan};
use roadmap::optimize::optimize;
use roadmap::simulate::{RawChunk, Schedule};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// Two mandatory features on a free team, no value, no discounting: a future's NPV is minus
/// the one-off costs of the hits that happened (undiscounted, whenever they are paid). The common
/// risk happens in 30% of futures; `a` is hit by it for 1,000, `b` for 2,000 with `given`.
fn two_hits(given: f64) -> Model {
    model_from(&format!(
        "[plan]\nperiods = 2\nperiod_weeks = 13\ndiscount_rate = 0\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[risks]]\nid = \"questionnaire\"\nname = \"Regulator's questionnaire\"\nprobability = 0.3\n\n\
         [[features]]\nid = \"a\"\neffort = {{ web = 1 }}\nvalue = 0\nmandatory = true\n\
         risks = [{{ event = \"questionnaire\", cost = 1000 }}]\n\n\
         [[features]]\nid = \"b\"\neffort = {{ web = 1 }}\nvalue = 0\nmandatory = true\n\
         risks = [{{ event = \"questionnaire\", probability = {given}, cost = 2000 }}]\n"
    ))
}

/// Counts each future's outcome: none hit, `a` alone, `b` alone, both.
fn outcomes(m: &Model, trials: u64) -> [usize; 4] {
    let mut seen = [0usize; 4];
    let mut sink = |chunk: &RawChunk| -> std::io::Result<()> {
        for row in chunk.rows.chunks(chunk.stride) {
            let npv = row[0];
            let k = [0.0, -1000.0, -2000.0, -3000.0]
                .iter()
                .position(|v| close(npv, *v))
                .unwrap_or_else(|| panic!("an NPV of {npv} is no combination of the hits"));
            seen[k] += 1;
        }
        Ok(())
    };
    let schedule = Schedule::Plan(Plan::new(vec![Some(0), Some(0)]));
    simulate_raw(m, &schedule, 3, trials, Some(2), Some(&mut sink));
    seen
}

/// Hit for sure given the event: both features are hit in the same futures, never one alone,
/// in about 30% of futures (4,000 trials: within 3 points, over 4 standard errors).
#[test]
fn features_hit_by_a_common_risk_are_hit_in_the_same_futures() {
    let m = two_hits(1.0);
    let [none, a, b, both] = outcomes(&m, 4000);
    assert_eq!((a, b), (0, 0), "one hit alone: {a} and {b}");
    let share = both as f64 / (none + both) as f64;
    assert!((share - 0.3).abs() < 0.03, "{share}");
    // The optimizer counts the expected hits: 0.3 x (1,000 + 2,000).
    let out = optimize(&m, &exact()).unwrap();
    assert!(close(out.objective, -900.0), "{}", out.objective);
    assert_eq!(m.features[1].risks[0].probability, 0.3);
}

/// `b` is hit in half of the futures where the event happens: `a` alone in about 15%, both in
/// about 15%, `b` alone never. Its chance is 0.3 x 0.5, and the expected cost 300 + 300.
#[test]
fn a_hit_given_the_event_happens_only_with_it() {
    let m = two_hits(0.5);
    let [none, a, b, both] = outcomes(&m, 8000);
    assert_eq!(b, 0);
    let n = (none + a + both) as f64;
    assert!((a as f64 / n - 0.15).abs() < 0.025, "{a}");
    assert!((both as f64 / n - 0.15).abs() < 0.025, "{both}");
    assert!(close(m.features[1].risks[0].probability, 0.15));
    let out = optimize(&m, &exact()).unwrap();
    assert!(close(out.objective, -600.0), "{}", out.objective);
}

/// The event is drawn once per future whatever the threads, and the stochastic model counts
/// the hits each of its futures has, as the simulator does on the same futures.
#[test]
fn the_same_futures_on_any_thread_count_and_in_the_stochastic_model() {
    let m = model_from(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[risks]]\nid = \"migration\"\nprobability = 0.4\n\n\
         [[features]]\nid = \"a\"\neffort = { web = [4, 6, 9] }\nvalue = [800, 1000, 1500]\n\
         risks = [{ event = \"migration\", delay_weeks = [4, 8, 12], cost = 3000 }]\n\n\
         [[features]]\nid = \"b\"\neffort = { web = [3, 5, 8] }\nvalue = [600, 900, 1200]\n\
         risks = [{ event = \"migration\", probability = 0.5, effort = { web = 4 }, value_loss = 0.2 }]\n",
    );
    let schedule = Schedule::Plan(Plan::new(vec![Some(0), Some(1)]));
    let one = simulate(&m, &schedule, 5, 3000, Some(1));
    let two = simulate(&m, &schedule, 5, 3000, Some(2));
    assert_eq!(one.npv.mean.to_bits(), two.npv.mean.to_bits());
    oracle::stochastic_on_its_futures(&m, &[(3, 1), (4, 6)]);
}

/// Mistakes in common risks are errors at their line with the fix; one that hits nothing is
/// a warning.
#[test]
fn validation_of_common_risks() {
    let scenario = |risks: &str, hits: &str| {
        format!(
            "[plan]\nperiods = 2\nperiod_weeks = 13\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
             {risks}\n\n[[features]]\nid = \"a\"\neffort = {{ web = 2 }}\nvalue = 100\n{hits}\n"
        )
    };
    let declared = "[[risks]]\nid = \"questionnaire\"\nprobability = 0.3";
    let cases = [
        (
            declared,
            "risks = [{ event = \"questionaire\", delay_weeks = 4 }]",
            "s.toml:17",
            "did you mean `questionnaire`",
        ),
        (
            declared,
            "risks = [{ event = \"questionnaire\", cost = 100 }, { event = \"questionnaire\", name = \"again\", cost = 200 }]",
            "s.toml:17",
            "a is hit by the common risk `questionnaire` twice",
        ),
        (
            "[[risks]]\nid = \"questionnaire\"",
            "risks = [{ event = \"questionnaire\", cost = 100 }]",
            "s.toml:9",
            "missing required field `probability`",
        ),
        (
            "[[risks]]\nid = \"questionnaire\"\nprobability = 0.3\nfeatures = [\"a\"]",
            "risks = [{ event = \"questionnaire\", cost = 100 }]",
            "s.toml:12",
            "a common risk's impact is written at each feature it hits",
        ),
        (
            declared,
            "risks = [{ event = \"questionnaire\", probability = 1.5, cost = 100 }]",
            "s.toml:17",
            "must be between 0 and 1",
        ),
    ];
    for (risks, hits, at, says) in cases {
        let (errors, _) = findings(try_load("s.toml", scenario(risks, hits)));
        assert!(
            errors.iter().any(|e| e.contains(at) && e.contains(says)),
            "{hits}: {errors:#?}"
        );
    }
    let (errors, warnings) = findings(try_load("s.toml", scenario(declared, "")));
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        warnings.iter().any(|w| w.contains("s.toml:10")
            && w.contains("no feature is hit by the common risk `questionnaire`")),
        "{warnings:#?}"
    );
}

/// `whatif --set risks.<id>.probability=1` makes the event certain, so every hit with it: the
/// expected cost of the two hits goes from 0.3 x 3,000 to 3,000. A misspelt id gets a "did you
/// mean".
#[test]
fn whatif_sets_a_common_risk_s_probability() {
    let m = two_hits(1.0);
    let (certain, _) =
        roadmap::scenario::overrides::apply(&m, &["risks.questionnaire.probability=1".to_string()])
            .unwrap();
    assert_eq!(certain.common_risks[0].probability, 1.0);
    assert!(certain
        .features
        .iter()
        .all(|f| f.risks[0].probability == 1.0));
    let out = optimize(&certain, &exact()).unwrap();
    assert!(close(out.objective, -3000.0), "{}", out.objective);

    let file = common::build::ScenarioFile::new(
        "[plan]\nperiods = 2\nperiod_weeks = 13\n\n[[teams]]\nid = \"web\"\ncapacity = 10\n\n\
         [[risks]]\nid = \"questionnaire\"\nprobability = 0.3\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 100\n\
         risks = [{ event = \"questionnaire\", cost = 1000 }]\n",
    );
    let (code, stdout, stderr) = common::cli::run(&[
        "whatif",
        file.arg(),
        "--set",
        "risks.questionnaire.probability=1",
        "--hold-plan",
        "--mode",
        "deterministic",
        "--trials",
        "500",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("risks[questionnaire].probability  0.3     1"),
        "{stdout}"
    );
    let (code, _, stderr) = common::cli::run(&[
        "whatif",
        file.arg(),
        "--set",
        "risks.questionaire.probability=1",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `questionnaire`"), "{stderr}");
}

/// The tornado moves a common risk as one line, with how many features it hits; its hits get
/// no lines of their own.
#[test]
fn the_tornado_moves_a_common_risk_as_one() {
    let file = common::build::ScenarioFile::new(
        "[plan]\nperiods = 4\nperiod_weeks = 13\nhorizon_months = 24\n\n\
         [[teams]]\nid = \"web\"\ncapacity = 20\n\n\
         [[risks]]\nid = \"questionnaire\"\nname = \"Questionnaire\"\nprobability = 0.3\n\n\
         [[features]]\nid = \"a\"\neffort = { web = 4 }\nvalue = 1000\n\
         risks = [{ event = \"questionnaire\", delay_weeks = 14 }]\n\n\
         [[features]]\nid = \"b\"\neffort = { web = 4 }\nvalue = 1000\n\
         risks = [{ event = \"questionnaire\", cost = 5000 }]\n",
    );
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
    assert!(
        stdout.contains("risks[questionnaire],Risk: Questionnaire (2 features)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("features[a].risks[questionnaire],"),
        "{stdout}"
    );
}
