//! Analyses over a validated model: what a lead asks before and after a plan.

pub mod calibrate;
pub mod capacity;
pub mod frontier;
pub mod recommend;
pub mod sensitivity;
pub mod strategies;
pub mod whatif;
