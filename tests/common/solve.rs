//! The simulator and the optimizer called the way tests call them: plain Monte Carlo on a
//! stated seed and number of trials, and a solve to a proven optimum.

use roadmap::model::Model;
use roadmap::optimize::OptimizeOptions;
use roadmap::sample::Method;
use roadmap::simulate::{self, Engine, Quiet, RawSink, Schedule, SimOptions, SimResult};

/// `schedule` executed on `trials` Monte Carlo futures of `seed`, on `threads` workers (None:
/// every core; the result does not depend on it).
pub fn simulate(
    model: &Model,
    schedule: &Schedule,
    seed: u64,
    trials: u64,
    threads: Option<usize>,
) -> SimResult {
    simulate_raw(model, schedule, seed, trials, threads, None)
}

/// As `simulate`, with every trial's raw row handed to `raw`.
pub fn simulate_raw(
    model: &Model,
    schedule: &Schedule,
    seed: u64,
    trials: u64,
    threads: Option<usize>,
    raw: Option<&mut RawSink>,
) -> SimResult {
    let engine = Engine::new(model, schedule, seed, Method::MonteCarlo, trials);
    let options = SimOptions {
        trials,
        seed,
        threads,
        method: Method::MonteCarlo,
    };
    simulate::run(model, &engine, &options, &Quiet, raw).unwrap()
}

/// A proven optimum (no gap), solved on one thread so that the solve repeats the same way on
/// every machine.
pub fn exact() -> OptimizeOptions {
    OptimizeOptions {
        gap: 0.0,
        threads: Some(1),
        ..OptimizeOptions::default()
    }
}
