//! Placeholder until the diagnosis renderer lands from its branch.
pub fn text(d: &crate::optimize::diagnose::Diagnosis, _: &crate::model::Model) -> String {
    format!("{d:?}")
}
