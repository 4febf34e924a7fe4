//! `roadmap`: a decision simulator and portfolio optimizer for product roadmaps.
//!
//! The modules follow the pipeline, and dependencies point one way:
//!
//! ```text
//! scenario files (TOML + optional backlog CSV)
//!   -> scenario   parse + validate: every problem with file, line, field and a fix
//!   -> model      plain domain types: periods, teams, segments, features, risks; the
//!                 expected figures every planner uses (model::expect), rank statistics
//!   -> plan_check every rule a release plan must keep, independent of the solver
//!   -> sample     Monte Carlo draws, RNG passed in and seeded per stream
//!   -> optimize   the release plan as a MILP (good_lp + HiGHS), diagnosed when infeasible
//!   -> simulate   a plan or an order executed trial by trial, streaming statistics
//!   -> strategy   prioritisation rules (RICE, WSJF, ...)
//!   -> analysis   capacity check, strategy tournament, frontier, sensitivity, what-if
//!   -> report     terminal tables, CSV/JSON, charts (SVG/PNG), the HTML report, atomic writes
//! ```
//!
//! `app` runs the commands, one file per command under `src/app/` (a folder whose `mod.rs`
//! holds the flow for the longest), and `cli` (the only user of clap) turns arguments into
//! the plain command structs that `app` takes. A long run splits into shards whose partial
//! results (`app/partial/`, numbers carried exactly by `wire`) merge into one run's output.

// Every optimisation runs on a MILP solver behind optimize/solver.rs; HiGHS is the one backend.
#[cfg(not(feature = "highs"))]
compile_error!(
    "roadmap needs a MILP solver backend: build with the `highs` feature, which is on by default \
     (cargo build --release, or cargo build --no-default-features --features highs)"
);

pub mod analysis;
pub mod app;
pub mod cli;
pub mod limits;
pub mod model;
pub mod optimize;
pub mod plan_check;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod simulate;
pub mod strategy;
pub mod wire;
