//! Rank-correlated draws by the Iman-Conover method: each input keeps its own distribution
//! exactly, and the draws of a block of trials are reordered so that their rank
//! correlations match the scenario's.
//!
//! Blocks are drawn per chunk of trials from an RNG the caller seeds, so memory stays
//! bounded (inputs x chunk) and results do not depend on how chunks are scheduled.

use super::draw;
use crate::model::linalg::{correlation_matrix, jacobi_eigen};
use crate::model::{InputId, Model};
use rand::seq::SliceRandom;

/// Correlated values of the inputs that take part in a correlation, for one block of trials.
#[derive(Debug, Clone)]
pub struct CorrelatedBlock {
    pub inputs: Vec<InputId>,
    trials: usize,
    /// Row-major: trial x input.
    values: Vec<f64>,
}

impl CorrelatedBlock {
    /// `None` when the model has no correlations.
    pub fn draw<R: rand::Rng + ?Sized>(model: &Model, trials: usize, rng: &mut R) -> Option<Self> {
        if model.correlations.is_empty() || trials < 2 {
            return None;
        }
        // Rank correlation rho_s of a normal pair corresponds to Pearson 2 sin(pi rho_s / 6).
        let (inputs, target) = correlation_matrix(&model.correlations, |rho| {
            2.0 * (std::f64::consts::PI * rho / 6.0).sin()
        });
        let k = inputs.len();
        let p = symmetric_root(target);

        // Van der Waerden scores, independently shuffled per input.
        let n = trials;
        let mut scores: Vec<f64> = (1..=n)
            .map(|i| normal_quantile(i as f64 / (n as f64 + 1.0)))
            .collect();
        let sd = (scores.iter().map(|x| x * x).sum::<f64>() / n as f64).sqrt();
        scores.iter_mut().for_each(|x| *x /= sd);
        let mut s = vec![0.0; n * k];
        let mut column = scores.clone();
        for j in 0..k {
            column.shuffle(rng);
            for i in 0..n {
                s[i * k + j] = column[i];
            }
        }
        // T = S Q^-T P^T has exactly the target correlation, where Q Q^T is S's own correlation.
        let mut e = vec![vec![0.0; k]; k];
        for i in 0..n {
            let row = &s[i * k..(i + 1) * k];
            for a in 0..k {
                for b in 0..=a {
                    e[a][b] += row[a] * row[b] / n as f64;
                }
            }
        }
        let q = cholesky(&e).unwrap_or_else(|| identity(k));
        let m = solve_upper_transposed(&q, &p);
        let mut t = vec![0.0; n * k];
        for i in 0..n {
            for j in 0..k {
                t[i * k + j] = (0..k).map(|l| s[i * k + l] * m[l][j]).sum();
            }
        }
        let mut values = vec![0.0; n * k];
        let mut order: Vec<(f64, u32)> = Vec::with_capacity(n);
        let mut sample = vec![0.0; n];
        for (j, &input) in inputs.iter().enumerate() {
            let dist = model.dist(input);
            sample.iter_mut().for_each(|v| *v = draw(dist, rng));
            sample.sort_unstable_by(f64::total_cmp);
            order.clear();
            order.extend((0..n).map(|i| (t[i * k + j], i as u32)));
            order.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
            for (rank, &(_, trial)) in order.iter().enumerate() {
                values[trial as usize * k + j] = sample[rank];
            }
        }
        Some(CorrelatedBlock {
            inputs,
            trials: n,
            values,
        })
    }

    /// Position of `input` in the block, if it is correlated.
    pub fn position(&self, input: InputId) -> Option<usize> {
        self.inputs.binary_search(&input).ok()
    }

    pub fn value(&self, trial: usize, position: usize) -> f64 {
        self.values[trial * self.inputs.len() + position]
    }

    pub fn trials(&self) -> usize {
        self.trials
    }
}

fn identity(k: usize) -> Vec<Vec<f64>> {
    (0..k)
        .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
        .collect()
}

/// A with A A^T = C for a symmetric PSD C; tiny negative eigenvalues (round-off, or the
/// rank-to-Pearson conversion of a matrix on the PSD boundary) are clipped to zero.
fn symmetric_root(c: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let k = c.len();
    let (values, vectors) = jacobi_eigen(c);
    let mut a = vec![vec![0.0; k]; k];
    for (i, row) in a.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = (0..k)
                .map(|l| vectors[i][l] * values[l].max(0.0).sqrt() * vectors[j][l])
                .sum();
        }
    }
    a
}

/// Lower-triangular L with L L^T = A, if A is positive definite.
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = a.len();
    let mut l = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|m| l[i][m] * l[j][m]).sum();
            if i == j {
                let d = a[i][i] - sum;
                if d <= 1e-12 {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

/// X = Q^-T P^T for lower-triangular Q, by back substitution on Q^T X = P^T.
fn solve_upper_transposed(q: &[Vec<f64>], p: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = q.len();
    let mut x = vec![vec![0.0; k]; k];
    for col in 0..k {
        for i in (0..k).rev() {
            let rhs = p[col][i];
            let sum: f64 = (i + 1..k).map(|m| q[m][i] * x[m][col]).sum();
            x[i][col] = (rhs - sum) / q[i][i];
        }
    }
    x
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, relative error
/// below 1.2e-9, which is far finer than any Monte Carlo error here).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let low = 0.02425;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// Spearman rank correlation of two equally long samples (ties get distinct ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        for (rank, &i) in idx.iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = rx
        .iter()
        .zip(&ry)
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    let var: f64 = rx.iter().map(|a| (a - mean).powi(2)).sum();
    cov / var
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_matches_known_points() {
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.9) - 1.281_551_565_544_6).abs() < 1e-8);
        assert!((normal_quantile(0.01) + 2.326_347_874_040_8).abs() < 1e-8);
        assert!((normal_quantile(0.999) - 3.090_232_306_167_8).abs() < 1e-8);
    }
}
