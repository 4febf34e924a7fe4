//! Common risks (`[[risks]]`): events that can hit several features at once, each feature's
//! hit written at the feature as one of its risks with `event = "<id>"`.

use super::super::draft::{DraftCommonRisk, DraftFeature};
use super::super::finding::{Finding, Findings};
use crate::model::CommonRisk;

pub(super) fn resolve(risks: &[DraftCommonRisk]) -> Vec<CommonRisk> {
    risks
        .iter()
        .map(|c| CommonRisk {
            id: c.def.id.clone(),
            name: c.name.clone(),
            probability: c.probability,
        })
        .collect()
}

/// A feature hit twice by one common risk is an error (one hit says all it does); a common
/// risk that hits no feature changes nothing, which is worth a warning.
pub(super) fn check_hits(
    findings: &mut Findings,
    risks: &[DraftCommonRisk],
    features: &[DraftFeature],
) {
    let mut hit = vec![false; risks.len()];
    for f in features {
        let mut seen: Vec<&str> = Vec::new();
        for r in f.risks.iter().filter_map(|r| r.common.as_ref()) {
            if seen.contains(&r.id.as_str()) {
                findings.push(
                    Finding::error(
                        r.location.clone(),
                        &r.field,
                        format!("{} is hit by the common risk `{}` twice", f.def.id, r.id),
                    )
                    .help("keep one entry: put all it does to this feature (effort, delay, cost, value loss) in it"),
                );
            }
            seen.push(&r.id);
            if let Some(k) = risks.iter().position(|c| c.def.id == r.id) {
                hit[k] = true;
            }
        }
    }
    for (c, _) in risks.iter().zip(&hit).filter(|(_, &hit)| !hit) {
        findings.push(
            Finding::warning(
                c.def.location.clone(),
                &c.def.path,
                format!("no feature is hit by the common risk `{}`", c.def.id),
            )
            .help(format!(
                "add to each feature it hits: risks = [{{ event = \"{}\", delay_weeks = [2, 4, 8] }}], or remove it",
                c.def.id
            )),
        );
    }
}
