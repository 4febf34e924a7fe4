//! Correlations between named inputs: pattern expansion and the positive semi-definite check.
//!
//! A matrix that is not PSD is an error naming the pairs that cannot hold together;
//! it is never silently repaired, because the user would not know what they got.

use super::draft::DraftCorrelation;
use super::finding::{did_you_mean, Finding, Findings};
use crate::model::linalg::{components, correlation_matrix, jacobi_eigen};
use crate::model::{Correlation, InputId, Model};
use std::collections::BTreeMap;

/// The done feature an input name belongs to (`features[sso].effort.web`), if any.
fn done_feature<'m>(model: &'m Model, name: &str) -> Option<&'m str> {
    let id = name.strip_prefix("features[")?.split(']').next()?;
    model
        .done
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.id.as_str())
}

pub fn resolve(
    findings: &mut Findings,
    model: &Model,
    drafts: &[DraftCorrelation],
) -> Vec<Correlation> {
    let mut pairs: BTreeMap<(InputId, InputId), (f64, usize)> = BTreeMap::new();
    for (k, draft) in drafts.iter().enumerate() {
        let mut ids = Vec::new();
        for (name, loc) in &draft.inputs {
            let matched: Vec<InputId> = model
                .inputs
                .iter()
                .enumerate()
                .filter(|(_, input)| matches(name, &input.name))
                .map(|(i, _)| InputId(i as u32))
                .collect();
            if matched.is_empty() {
                if let Some(done) = done_feature(model, name) {
                    findings.push(
                        Finding::error(
                            loc.clone(),
                            format!("{}.inputs", draft.field),
                            format!(
                                "`{done}` is done before the plan starts, so `{name}` is not drawn"
                            ),
                        )
                        .help("remove it from the correlation: no plan changes a done feature"),
                    );
                    continue;
                }
                let help = match did_you_mean(name, model.inputs.iter().map(|i| i.name.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name an uncertain input by its field path, e.g. segments[smb].demand, teams[web].capacity, features[sso].effort.web, or features[*].effort.web for all".into(),
                };
                findings.push(
                    Finding::error(
                        loc.clone(),
                        format!("{}.inputs", draft.field),
                        format!("no input is named `{name}`"),
                    )
                    .help(help),
                );
                continue;
            }
            for id in matched {
                let input = model.input(id);
                if input.dist.is_constant() {
                    if !name.contains('*') {
                        findings.push(
                            Finding::error(loc.clone(), format!("{}.inputs", draft.field), format!("`{name}` is a constant ({}), so it cannot be correlated", input.dist.describe()))
                                .help("give it an estimate such as [low, likely, high], or remove it from the correlation"),
                        );
                    }
                    continue;
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                let key = (a.min(b), a.max(b));
                if let Some(&(rho, other)) = pairs.get(&key) {
                    if rho != draft.rho {
                        findings.push(
                            Finding::error(draft.location.clone(), format!("{}.rho", draft.field), format!("`{}` ~ `{}` is already given rho = {rho} by correlations[{other}]", model.input(a).name, model.input(b).name))
                                .help("give each pair one correlation"),
                        );
                    }
                    continue;
                }
                pairs.insert(key, (draft.rho, k));
            }
        }
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    let correlations: Vec<Correlation> = pairs
        .iter()
        .map(|(&(a, b), &(rho, _))| Correlation { a, b, rho })
        .collect();
    if let Some(problem) = check_psd(&correlations) {
        let name = |id: InputId| model.input(id).name.clone();
        let described: Vec<String> = problem
            .iter()
            .map(|c| format!("{} ~ {} = {}", name(c.a), name(c.b), c.rho))
            .collect();
        let first = pairs.get(&(problem[0].a, problem[0].b)).map_or(0, |p| p.1);
        let draft = &drafts[first];
        findings.push(
            Finding::error(draft.location.clone(), "correlations", format!("these correlations cannot hold together (the matrix is not positive semi-definite): {}", described.join("; ")))
                .help("weaken one of these pairs; e.g. if A~B and B~C are both strong and positive, A~C cannot be strongly negative"),
        );
    }
    correlations
}

/// `features[*].effort.web` matches `features[sso].effort.web`; a name without `*` matches itself.
fn matches(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((prefix, suffix)) => {
            name.len() >= prefix.len() + suffix.len()
                && name.starts_with(prefix)
                && name.ends_with(suffix)
                && !name[prefix.len()..name.len() - suffix.len()].contains(['[', ']'])
        }
    }
}

/// `None` when the full matrix (1 on the diagonal, 0 where unspecified) is PSD; otherwise
/// the pairs responsible: those of the smallest inconsistent triple when there is one,
/// else the pairs weighing most in the eigenvector of the negative eigenvalue. The matrix is
/// block-diagonal over connected groups of inputs, so each group is checked alone, and an
/// equicorrelated group (a `*` pattern) by its known eigenvalues, whatever its size.
pub fn check_psd(correlations: &[Correlation]) -> Option<Vec<Correlation>> {
    for component in components(correlations) {
        let pairs: Vec<Correlation> = component
            .pairs
            .iter()
            .map(|&k| correlations[k].clone())
            .collect();
        let k = component.inputs.len();
        let problem = match component.common_rho {
            // Eigenvalues 1 + (k - 1) rho and 1 - rho.
            Some(rho) if 1.0 + (k as f64 - 1.0) * rho >= -1e-10 => None,
            _ => check_block(&pairs),
        };
        if problem.is_some() {
            return problem;
        }
    }
    None
}

/// The dense check of one connected group.
fn check_block(correlations: &[Correlation]) -> Option<Vec<Correlation>> {
    let (vars, m) = correlation_matrix(correlations, |rho| rho);
    let n = vars.len();
    let at = |id: InputId| vars.binary_search(&id).unwrap_or(0);
    let (values, vectors) = jacobi_eigen(m.clone());
    let (k, &min) = values
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))?;
    if min >= -1e-10 {
        return None;
    }
    let lookup = |i: usize, j: usize| {
        correlations
            .iter()
            .find(|c| {
                (at(c.a), at(c.b)) == (i.min(j), i.max(j))
                    || (at(c.a), at(c.b)) == (i.max(j), i.min(j))
            })
            .cloned()
    };
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                let (x, y, z) = (m[a][b], m[a][c], m[b][c]);
                let det = 1.0 + 2.0 * x * y * z - x * x - y * y - z * z;
                if det < -1e-10 {
                    return Some(
                        [(a, b), (a, c), (b, c)]
                            .iter()
                            .filter_map(|&(i, j)| lookup(i, j))
                            .collect(),
                    );
                }
            }
        }
    }
    let v: Vec<f64> = (0..n).map(|i| vectors[i][k]).collect();
    let mut weighted: Vec<(f64, Correlation)> = correlations
        .iter()
        .map(|c| ((v[at(c.a)] * v[at(c.b)] * c.rho).abs(), c.clone()))
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
    Some(weighted.into_iter().take(4).map(|(_, c)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: u32, b: u32, rho: f64) -> Correlation {
        Correlation {
            a: InputId(a),
            b: InputId(b),
            rho,
        }
    }

    #[test]
    fn patterns_match_one_id_segment() {
        assert!(matches(
            "features[*].effort.web",
            "features[sso].effort.web"
        ));
        assert!(!matches(
            "features[*].effort.web",
            "features[sso].effort.mobile"
        ));
        assert!(matches("segments[smb].demand", "segments[smb].demand"));
    }

    #[test]
    fn consistent_matrices_pass_and_impossible_triples_are_named() {
        assert!(check_psd(&[c(0, 1, 0.9), c(1, 2, 0.9), c(0, 2, 0.7)]).is_none());
        // An equicorrelated block is PSD exactly when rho >= -1/(k-1).
        let block = |rho: f64| -> Vec<Correlation> {
            (0..5)
                .flat_map(|a| (a + 1..5).map(move |b| c(a, b, rho)))
                .collect()
        };
        assert!(check_psd(&block(-0.25)).is_none());
        assert!(check_psd(&block(-0.3)).is_some());
        let bad = check_psd(&[c(0, 1, 0.9), c(1, 2, 0.9), c(0, 2, -0.9)]).expect("not PSD");
        assert_eq!(bad.len(), 3);
    }
}
