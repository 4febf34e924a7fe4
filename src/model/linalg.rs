//! The small dense linear algebra that correlation matrices need (a few dozen inputs at most).

use super::{Correlation, InputId};

/// The inputs that take part in `correlations` (sorted) and their full matrix: 1 on the
/// diagonal, `entry(rho)` for each given pair, 0 for pairs not given.
pub fn correlation_matrix(
    correlations: &[Correlation],
    entry: impl Fn(f64) -> f64,
) -> (Vec<InputId>, Vec<Vec<f64>>) {
    let mut inputs: Vec<InputId> = correlations.iter().flat_map(|c| [c.a, c.b]).collect();
    inputs.sort();
    inputs.dedup();
    let k = inputs.len();
    let at = |id: InputId| inputs.binary_search(&id).unwrap_or(0);
    let mut m = vec![vec![0.0; k]; k];
    for (i, row) in m.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for c in correlations {
        let (i, j) = (at(c.a), at(c.b));
        m[i][j] = entry(c.rho);
        m[j][i] = entry(c.rho);
    }
    (inputs, m)
}

/// A connected group of correlated inputs: the matrix is block-diagonal over these, so each is
/// checked and drawn on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Sorted.
    pub inputs: Vec<InputId>,
    /// Indices of the group's pairs in the correlations given.
    pub pairs: Vec<usize>,
    /// Set when every pair of the group is given, all with this rho: an equicorrelated block,
    /// which a `*` pattern writes, and whose eigenvalues are known (1 + (k-1) rho and 1 - rho).
    pub common_rho: Option<f64>,
}

/// The connected groups of the correlation graph, in order of their smallest input.
pub fn components(correlations: &[Correlation]) -> Vec<Component> {
    let mut ids: Vec<InputId> = correlations.iter().flat_map(|c| [c.a, c.b]).collect();
    ids.sort();
    ids.dedup();
    let at = |id: InputId| ids.binary_search(&id).unwrap_or(0);
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for c in correlations {
        let (a, b) = (root(&mut parent, at(c.a)), root(&mut parent, at(c.b)));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut index_of_root = vec![usize::MAX; ids.len()];
    let mut out: Vec<Component> = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let r = root(&mut parent, i);
        if index_of_root[r] == usize::MAX {
            index_of_root[r] = out.len();
            out.push(Component {
                inputs: Vec::new(),
                pairs: Vec::new(),
                common_rho: None,
            });
        }
        out[index_of_root[r]].inputs.push(id);
    }
    for (k, c) in correlations.iter().enumerate() {
        let r = root(&mut parent, at(c.a));
        out[index_of_root[r]].pairs.push(k);
    }
    for component in &mut out {
        let n = component.inputs.len();
        let first = correlations[component.pairs[0]].rho;
        let mut distinct: Vec<(InputId, InputId)> = component
            .pairs
            .iter()
            .map(|&k| {
                let c = &correlations[k];
                (c.a.min(c.b), c.a.max(c.b))
            })
            .collect();
        distinct.sort();
        distinct.dedup();
        let equal = component
            .pairs
            .iter()
            .all(|&k| correlations[k].rho == first);
        if equal && distinct.len() == n * (n - 1) / 2 {
            component.common_rho = Some(first);
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.
pub fn jacobi_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v = vec![vec![0.0; n]; n];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = {
                    let (head, tail) = a.split_at_mut(q);
                    (&mut head[p], &mut tail[0])
                };
                for (apk, aqk) in row_p.iter_mut().zip(row_q.iter_mut()) {
                    let (x, y) = (*apk, *aqk);
                    *apk = c * x - s * y;
                    *aqk = s * x + c * y;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_split_the_graph_and_spot_equicorrelated_blocks() {
        let c = |a: u32, b: u32, rho: f64| Correlation {
            a: InputId(a),
            b: InputId(b),
            rho,
        };
        let parts = components(&[
            c(0, 1, 0.3),
            c(1, 2, 0.3),
            c(0, 2, 0.3),
            c(5, 7, 0.5),
            c(7, 9, 0.4),
        ]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].inputs, [InputId(0), InputId(1), InputId(2)]);
        assert_eq!(parts[0].common_rho, Some(0.3));
        assert_eq!(parts[1].inputs, [InputId(5), InputId(7), InputId(9)]);
        assert_eq!(parts[1].common_rho, None);
    }

    #[test]
    fn jacobi_finds_known_eigenvalues() {
        let (mut values, _) = jacobi_eigen(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
    }
}
