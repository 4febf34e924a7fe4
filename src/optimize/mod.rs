//! Plan optimisation: an independent checker of plans and the explanation of infeasible scenarios.

pub mod check;
pub mod diagnose;
