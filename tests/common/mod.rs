//! What the integration tests share: running the `roadmap` binary, reading scenario text into
//! a model, building small scenarios, simulating and solving the way tests do, and stripping a
//! model down to where the simulator and the MILP count the same money.
//!
//! Use it with `mod common;` at the top of a test file.

// Each test file is its own crate and compiles this module anew, using only a part of it;
// without this every helper some file leaves unused would warn there.
#![allow(dead_code)]

pub mod agree;
pub mod build;
pub mod cli;
pub mod load;
pub mod solve;
