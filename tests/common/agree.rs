//! Models stripped to where the simulator and the MILP agree, so a test can hold one to the
//! other's answer.

use roadmap::model::{DeadlineKind, Dist, Model};

/// Removes what the two count differently or enforce differently: risks, vendor lead times,
/// one-off costs and paid team time (money the MILP counts at expected timing), and themes,
/// budget, mandatory features and hard deadlines (rules the optimizer enforces and teams in
/// the simulator do not). Soft deadlines stay: both charge their penalty alike.
pub fn counted_alike(m: &mut Model) {
    m.themes.clear();
    m.budget = None;
    for f in &mut m.features {
        f.risks.clear();
        f.vendor_lead_weeks = None;
        f.cost = None;
        f.theme = None;
        f.mandatory = false;
        if matches!(f.deadline.map(|d| d.kind), Some(DeadlineKind::Hard)) {
            f.deadline = None;
        }
    }
    for t in &mut m.teams {
        t.cost_per_week = 0.0;
    }
}

/// Every input at its mean and no correlations: nothing is uncertain, so one trial is every
/// trial.
pub fn constant_inputs(m: &mut Model) {
    for input in &mut m.inputs {
        input.dist = Dist::constant(input.dist.mean());
    }
    m.correlations.clear();
}
