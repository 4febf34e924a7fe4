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
    fn jacobi_finds_known_eigenvalues() {
        let (mut values, _) = jacobi_eigen(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
    }
}
