//! Placeholder until the independent plan checker lands from its branch.

use serde::Serialize;

/// The numbers a plan was made with: capacity and lead times may be at a quantile (robust mode).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckBasis {
    /// Person-weeks each feature needs from each team, [feature][team].
    pub effort: Vec<Vec<f64>>,
    /// Person-weeks each team has in each period, [team][period].
    pub capacity: Vec<Vec<f64>>,
    /// Weeks from the start of a feature's earliest period until it can complete at the soonest.
    pub lead_weeks: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ViolationKind {
    Capacity,
    Theme,
}
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub kind: ViolationKind,
    pub message: String,
}
pub fn check_plan(
    _: &crate::model::Model,
    _: &crate::model::Plan,
    _: &CheckBasis,
) -> Vec<Violation> {
    Vec::new()
}
pub fn fits(
    _: &crate::model::Model,
    _: &crate::model::Plan,
    _: &CheckBasis,
    _: usize,
    _: usize,
) -> bool {
    true
}
impl CheckBasis {
    pub fn expected(model: &crate::model::Model) -> Self {
        let i = super::inputs::planning(model, super::inputs::Estimate::Expected, 0);
        i.basis()
    }
}
