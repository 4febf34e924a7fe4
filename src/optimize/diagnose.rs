use serde::Serialize;
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnosis {
    pub relaxations: Vec<Relaxation>,
}
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    pub group: String,
    pub feasible_without: bool,
}
pub fn diagnose(_: &crate::model::Model, _: &super::CheckBasis) -> Diagnosis {
    Diagnosis::default()
}
