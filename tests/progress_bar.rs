//! What long runs tell the progress bar: every count they begin is the true total of what
//! follows (a frontier once showed "6,000/2,000 trials"), and every run names its stages.

mod common;

use roadmap::analysis::{frontier, recommend, sensitivity, strategies};
use roadmap::model::Model;
use roadmap::optimize::OptimizeOptions;
use roadmap::simulate::{Progress, Stage};
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq)]
enum Event {
    Stage(String),
    Begin(u64),
    Advance(u64),
    End,
}

#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl Progress for Recorder {
    fn stage(&self, stage: &Stage) {
        let (what, _) = roadmap::report::progress::words(stage);
        self.0.lock().unwrap().push(Event::Stage(what));
    }
    fn begin(&self, total: u64) {
        self.0.lock().unwrap().push(Event::Begin(total));
    }
    fn advance(&self, n: u64) {
        self.0.lock().unwrap().push(Event::Advance(n));
    }
    fn end(&self) {
        self.0.lock().unwrap().push(Event::End);
    }
}

impl Recorder {
    /// The stages named, in order; panics unless every count adds up to its total exactly.
    fn checked(&self) -> Vec<String> {
        let events = self.0.lock().unwrap().clone();
        let mut stages = Vec::new();
        let mut count: Option<(u64, u64)> = None;
        let close = |count: &mut Option<(u64, u64)>| {
            if let Some((total, done)) = count.take() {
                assert_eq!(
                    done, total,
                    "a count of {total} ended at {done}: {events:?}"
                );
            }
        };
        for e in &events {
            match e {
                Event::Stage(s) => {
                    close(&mut count);
                    stages.push(s.clone());
                }
                Event::Begin(total) => {
                    close(&mut count);
                    count = Some((*total, 0));
                }
                Event::Advance(n) => {
                    let (total, done) = count.as_mut().expect("advance before any begin");
                    *done += n;
                    assert!(*done <= *total, "{done} of {total}: {events:?}");
                }
                Event::End => close(&mut count),
            }
        }
        close(&mut count);
        stages
    }
}

fn model() -> Model {
    common::load::model_file("tests/fixtures/whatif/base.toml")
}

#[test]
fn the_frontier_counts_its_points_and_its_distinct_plans_trials() {
    let m = model();
    let recorder = Recorder::default();
    let options = frontier::FrontierOptions {
        sweep: frontier::Sweep::RiskAversion {
            lambdas: vec![0.0, 0.5, 1.0],
            scenarios: 10,
            alpha: 0.9,
            overtime_premium: None,
        },
        optimize: OptimizeOptions {
            time_limit_seconds: Some(2.0),
            seed: 2,
            ..Default::default()
        },
        trials: 700,
        seed: 1,
        threads: Some(1),
    };
    let result = frontier::run(&m, &options, &recorder).unwrap();
    let stages = recorder.checked();
    assert!(
        stages
            .iter()
            .any(|s| s.starts_with("frontier: solving 3 points")),
        "{stages:?}"
    );
    let distinct = result
        .points
        .iter()
        .filter(|p| p.same_plan_as.is_none() && p.simulated.is_some())
        .count();
    assert!(
        stages
            .iter()
            .any(|s| s.starts_with(&format!("frontier: simulating {distinct} distinct plan"))),
        "{stages:?}"
    );
}

#[test]
fn the_recommended_plan_names_its_three_steps() {
    let m = model();
    let recorder = Recorder::default();
    let mut options = recommend::RecommendOptions::new(5, 0.8);
    options.search_trials = 100;
    options.select_trials = 200;
    options.max_rounds = 2;
    options.optimize.time_limit_seconds = Some(2.0);
    recommend::recommend(&m, &options, &recorder).unwrap();
    let stages = recorder.checked();
    for step in ["1/3", "2/3", "3/3"] {
        assert!(
            stages
                .iter()
                .any(|s| s.starts_with(&format!("recommended plan, {step}"))),
            "{stages:?}"
        );
    }
}

#[test]
fn the_tournament_and_the_tornado_count_what_they_do() {
    let m = model();
    let recorder = Recorder::default();
    let options = strategies::TournamentOptions {
        recommended: None,
        strategies: vec![
            strategies::Strategy::Optimal,
            strategies::Strategy::Rule(roadmap::strategy::Rule::Wsjf),
        ],
        trials: 300,
        seed: 3,
        threads: Some(1),
        optimize: OptimizeOptions::default(),
    };
    strategies::run(&m, &options, &recorder).unwrap();
    assert!(recorder.checked()[0].starts_with("strategy tournament: 2 strategies"));

    let recorder = Recorder::default();
    let plan = roadmap::optimize::optimize(&m, &OptimizeOptions::default())
        .unwrap()
        .plan;
    let mut options = sensitivity::SensitivityOptions::new(300, 3);
    options.top = 2;
    options.threads = Some(1);
    sensitivity::run(&m, &plan, &options, &recorder).unwrap();
    let stages = recorder.checked();
    assert!(stages[0].starts_with("tornado: "), "{stages:?}");
}
