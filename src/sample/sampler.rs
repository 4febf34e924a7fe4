//! The compiled sampler: every uncertain input of a model drawn for one trial, by inverse
//! transform of one uniform per input, with rank correlations through a Gaussian copula.
//!
//! - Each input consumes exactly one uniform per trial from its own counter-based stream
//!   (stream.rs), so a draw depends only on (seed, input name, trial).
//! - Latin hypercube sampling stratifies each input's uniforms over the whole run: trial t of n
//!   gets stratum perm(t) of n, by a keyed permutation computed on the fly (no n x inputs table).
//! - Correlated inputs: the uniforms become independent normals, are mixed to the target Pearson
//!   correlation 2 sin(pi rho_s / 6) (the normal-copula image of Spearman's rho_s), and go back
//!   through each input's own inverse CDF. Marginals stay exact; rank correlations match in
//!   expectation. A group where every pair has the same rho >= 0 (what a `*` pattern writes)
//!   uses one common factor, O(k) per trial; other groups a dense factor, O(k^2).

use super::pert::{pert_shape, BetaTables, Spot, TableHandle};
use super::special::{normal_cdf, normal_quantile};
use super::stream::{Permutation, StreamKey};
use crate::model::linalg::{components, jacobi_eigen};
use crate::model::{Dist, Model};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Plain Monte Carlo.
    #[default]
    MonteCarlo,
    /// Latin hypercube: every input's uniforms stratified over all trials of the run.
    LatinHypercube,
}

/// The triangular distribution's inverse CDF, with its constants worked out once.
#[derive(Debug, Clone, Copy)]
pub struct Triangular {
    low: f64,
    high: f64,
    split: f64,
    left: f64,
    right: f64,
}

impl Triangular {
    /// low < high, low <= likely <= high.
    pub fn new(low: f64, likely: f64, high: f64) -> Self {
        Triangular {
            low,
            high,
            split: (likely - low) / (high - low),
            left: (high - low) * (likely - low),
            right: (high - low) * (high - likely),
        }
    }

    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        if u < self.split {
            self.low + (self.left * u).sqrt()
        } else {
            self.high - (self.right * (1.0 - u)).sqrt()
        }
    }
}

/// How one input turns a uniform (or, in a copula, a standard normal) into its value.
#[derive(Debug, Clone)]
pub enum Transform {
    Constant(f64),
    Pert { table: u32, low: f64, range: f64 },
    Triangular(Triangular),
    Uniform { low: f64, range: f64 },
    Normal { mean: f64, sd: f64 },
    LogNormal { mu: f64, sigma: f64 },
    Discrete { start: u32, len: u32 },
}

#[derive(Debug, Clone)]
struct PertDraw {
    input: u32,
    variate: u32,
    table: TableHandle,
    low: f64,
    range: f64,
    key: StreamKey,
}

/// A set of inputs drawn together: PERTs ordered by shape (so a table stays in cache) and
/// prefetched, then the other kinds.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    perts: Vec<PertDraw>,
    others: Vec<OtherDraw>,
}

/// PERT draws are located, prefetched and then evaluated in groups of this many, so that the
/// table lookups of a group overlap instead of waiting for memory one after another.
const PERT_GROUP: usize = 16;

#[derive(Debug, Clone)]
struct OtherDraw {
    input: u32,
    variate: u32,
    key: StreamKey,
}

#[derive(Debug, Clone)]
enum Factor {
    /// z_i = load Z + rest e_i, with Z from its own stream.
    Common {
        load: f64,
        rest: f64,
        variate: u32,
        key: StreamKey,
    },
    /// z = M e, M row-major k x k.
    Dense(Vec<f64>),
}

#[derive(Debug, Clone)]
struct Group {
    /// (input, variate, stream) of each member.
    members: Vec<(u32, u32, StreamKey)>,
    factor: Factor,
}

/// One thread's draws of one trial.
#[derive(Debug, Clone)]
pub struct Draws {
    /// Value of every model input, by input index.
    pub values: Vec<f64>,
    /// Uniform in (0, 1) of every extra variate, in the order they were named.
    pub extra: Vec<f64>,
    normals: Vec<f64>,
    /// The trial started by [`Sampler::begin`].
    trial: u64,
}

/// Everything needed to draw trial t of a model; shared read-only by all threads.
#[derive(Debug, Clone)]
pub struct Sampler {
    inputs: usize,
    extras: Vec<StreamKey>,
    transforms: Vec<Transform>,
    tables: BetaTables,
    discrete_cumulative: Vec<f64>,
    discrete_values: Vec<f64>,
    /// Every uncorrelated, non-constant input, drawn together.
    all: Batch,
    groups: Vec<Group>,
    /// Latin hypercube: the run's trial count and one permutation per variate.
    lhs: Option<(f64, Vec<Permutation>)>,
    constants: Vec<f64>,
}

impl Sampler {
    /// `extra` names variates that are plain uniforms (risk event occurrences, ...), drawn
    /// alongside the inputs from streams of their own. `trials` is the run's length, which
    /// Latin hypercube strata divide.
    pub fn new(model: &Model, seed: u64, method: Method, trials: u64, extra: &[String]) -> Self {
        Sampler::build(model, seed, method, trials, extra, None)
    }

    /// A sampler that draws only `inputs` (and, as [`Sampler::new`] does, the extra variates
    /// and the correlated groups): the same values of them, without the tables and draws the
    /// others would take. The others stay 0, as inputs that a [`Batch`] leaves out do.
    pub fn only(
        model: &Model,
        seed: u64,
        method: Method,
        trials: u64,
        extra: &[String],
        inputs: &[u32],
    ) -> Self {
        let mut wanted = vec![false; model.inputs.len()];
        inputs.iter().for_each(|&i| wanted[i as usize] = true);
        Sampler::build(model, seed, method, trials, extra, Some(&wanted))
    }

    fn build(
        model: &Model,
        seed: u64,
        method: Method,
        trials: u64,
        extra: &[String],
        wanted: Option<&[bool]>,
    ) -> Self {
        let n = model.inputs.len();
        let mut tables = BetaTables::default();
        let mut discrete_cumulative = Vec::new();
        let mut discrete_values = Vec::new();
        let mut transforms = Vec::with_capacity(n);
        for (i, input) in model.inputs.iter().enumerate() {
            if wanted.is_some_and(|w| !w[i]) {
                transforms.push(Transform::Constant(0.0));
                continue;
            }
            transforms.push(transform(
                &input.dist,
                &mut tables,
                &mut discrete_cumulative,
                &mut discrete_values,
            ));
        }
        let keys: Vec<StreamKey> = model
            .inputs
            .iter()
            .map(|i| StreamKey::new(seed, &i.name))
            .collect();
        let extras: Vec<StreamKey> = extra.iter().map(|e| StreamKey::new(seed, e)).collect();
        let mut variates = n + extras.len();

        let (grouped, groups) = correlation_groups(model, &keys, seed, &mut variates);
        let mut perts = Vec::new();
        let mut others = Vec::new();
        for (i, t) in transforms.iter().enumerate() {
            if grouped[i] {
                continue;
            }
            match *t {
                Transform::Constant(_) => {}
                Transform::Pert { table, low, range } => perts.push((
                    table,
                    PertDraw {
                        input: i as u32,
                        variate: i as u32,
                        table: TableHandle::default(),
                        low,
                        range,
                        key: keys[i],
                    },
                )),
                _ => others.push(OtherDraw {
                    input: i as u32,
                    variate: i as u32,
                    key: keys[i],
                }),
            }
        }
        // Draw PERTs of one shape together so their table stays in cache.
        tables.build();
        perts.sort_by_key(|(table, p)| (*table, p.input));
        let perts: Vec<PertDraw> = perts
            .into_iter()
            .map(|(table, mut p)| {
                p.table = tables.handle(table);
                p
            })
            .collect();
        let lhs = (method == Method::LatinHypercube).then(|| {
            let all: Vec<StreamKey> = keys
                .iter()
                .chain(&extras)
                .copied()
                .chain(groups.iter().filter_map(|g| match g.factor {
                    Factor::Common { key, .. } => Some(key),
                    Factor::Dense(_) => None,
                }))
                .collect();
            debug_assert_eq!(all.len(), variates);
            let trials = trials.max(1);
            (
                trials as f64,
                all.iter()
                    .map(|k| Permutation::new(trials, k.bits(u64::MAX - 1)))
                    .collect(),
            )
        });
        let constants = transforms
            .iter()
            .map(|t| match t {
                Transform::Constant(v) => *v,
                _ => 0.0,
            })
            .collect();
        Sampler {
            inputs: n,
            extras,
            transforms,
            tables,
            discrete_cumulative,
            discrete_values,
            all: Batch { perts, others },
            groups,
            lhs,
            constants,
        }
    }

    pub fn input_count(&self) -> usize {
        self.inputs
    }

    /// Per-thread buffers for [`Sampler::draw`], with the constant inputs already in place.
    pub fn buffers(&self) -> Draws {
        Draws {
            values: self.constants.clone(),
            extra: vec![0.0; self.extras.len()],
            trial: 0,
            normals: vec![
                0.0;
                self.groups
                    .iter()
                    .map(|g| g.members.len())
                    .max()
                    .unwrap_or(0)
            ],
        }
    }

    /// Draws trial `trial` into `draws` (from [`Sampler::buffers`]): the value of every input,
    /// and the uniform of every extra variate. Allocates nothing.
    pub fn draw(&self, trial: u64, draws: &mut Draws) {
        self.begin(trial, draws);
        self.draw_batch(&self.all, draws);
    }

    /// Starts trial `trial`: draws the extra variates and the correlated groups. The other
    /// inputs are drawn by [`Sampler::draw_batch`], as many as the caller needs: a draw depends
    /// only on (seed, input, trial), so drawing part of a trial gives the same numbers as
    /// [`Sampler::draw`].
    pub fn begin(&self, trial: u64, draws: &mut Draws) {
        draws.trial = trial;
        match &self.lhs {
            None => self.draw_shared(draws, |_, key: StreamKey| key.uniform(trial)),
            Some((n, perms)) => self.draw_shared(draws, |variate: u32, key: StreamKey| {
                let stratum = perms[variate as usize].apply(trial % *n as u64);
                (stratum as f64 + key.uniform(trial)) / n
            }),
        }
    }

    /// The inputs among `inputs` that [`Sampler::draw_batch`] draws; correlated and constant
    /// inputs are left out (they are drawn by [`Sampler::begin`], or never change).
    pub fn batch(&self, inputs: &[u32]) -> Batch {
        let mut wanted = vec![false; self.inputs];
        inputs.iter().for_each(|&i| wanted[i as usize] = true);
        Batch {
            perts: self
                .all
                .perts
                .iter()
                .filter(|p| wanted[p.input as usize])
                .cloned()
                .collect(),
            others: self
                .all
                .others
                .iter()
                .filter(|o| wanted[o.input as usize])
                .cloned()
                .collect(),
        }
    }

    /// Draws the inputs of `batch` for the trial started by [`Sampler::begin`].
    pub fn draw_batch(&self, batch: &Batch, draws: &mut Draws) {
        let trial = draws.trial;
        let (perts, others) = (&batch.perts[..], &batch.others[..]);
        match &self.lhs {
            None => self.draw_run(perts, others, draws, |_, key: StreamKey| key.uniform(trial)),
            Some((n, perms)) => {
                self.draw_run(perts, others, draws, |variate: u32, key: StreamKey| {
                    let stratum = perms[variate as usize].apply(trial % *n as u64);
                    (stratum as f64 + key.uniform(trial)) / n
                })
            }
        }
    }

    #[inline(always)]
    fn draw_run(
        &self,
        perts: &[PertDraw],
        others: &[OtherDraw],
        draws: &mut Draws,
        uniform: impl Fn(u32, StreamKey) -> f64,
    ) {
        let values = &mut draws.values;
        for group in perts.chunks(PERT_GROUP) {
            let mut spots = [Spot::default(); PERT_GROUP];
            for (spot, p) in spots.iter_mut().zip(group) {
                *spot = BetaTables::locate(&p.table, uniform(p.variate, p.key));
                self.tables.prefetch(spot);
            }
            for (spot, p) in spots.iter().zip(group) {
                values[p.input as usize] = p.low + p.range * self.tables.value(spot);
            }
        }
        for o in others {
            let u = uniform(o.variate, o.key);
            values[o.input as usize] = self.value_at(o.input as usize, u);
        }
    }

    /// The extra variates and the correlated groups.
    #[inline(always)]
    fn draw_shared(&self, draws: &mut Draws, uniform: impl Fn(u32, StreamKey) -> f64) {
        let Draws {
            values,
            extra,
            normals,
            ..
        } = draws;
        for (k, key) in self.extras.iter().enumerate() {
            extra[k] = uniform((self.inputs + k) as u32, *key);
        }
        for g in &self.groups {
            match &g.factor {
                Factor::Common {
                    load,
                    rest,
                    variate,
                    key,
                } => {
                    let common = load * normal_quantile(uniform(*variate, *key));
                    for &(input, variate, key) in &g.members {
                        let z = common + rest * normal_quantile(uniform(variate, key));
                        values[input as usize] = self.value_at_normal(input as usize, z);
                    }
                }
                Factor::Dense(m) => {
                    let k = g.members.len();
                    // Independent normals first, then z = M e; k is small for dense groups.
                    let e = &mut normals[..k];
                    for (slot, &(_, variate, key)) in e.iter_mut().zip(&g.members) {
                        *slot = normal_quantile(uniform(variate, key));
                    }
                    for (row, &(input, _, _)) in g.members.iter().enumerate() {
                        let z: f64 = m[row * k..(row + 1) * k]
                            .iter()
                            .zip(e.iter())
                            .map(|(a, b)| a * b)
                            .sum();
                        values[input as usize] = self.value_at_normal(input as usize, z);
                    }
                }
            }
        }
    }

    /// The value of `input` at quantile u in (0, 1).
    #[inline]
    pub fn value_at(&self, input: usize, u: f64) -> f64 {
        match self.transforms[input] {
            Transform::Constant(v) => v,
            Transform::Pert { table, low, range } => low + range * self.tables.quantile(table, u),
            Transform::Triangular(t) => t.quantile(u),
            Transform::Uniform { low, range } => low + range * u,
            Transform::Normal { mean, sd } => mean + sd * normal_quantile(u),
            Transform::LogNormal { mu, sigma } => (mu + sigma * normal_quantile(u)).exp(),
            Transform::Discrete { start, len } => {
                let (start, len) = (start as usize, len as usize);
                let cumulative = &self.discrete_cumulative[start..start + len];
                let i = cumulative.iter().position(|&c| u < c).unwrap_or(len - 1);
                self.discrete_values[start + i]
            }
        }
    }

    /// The value of `input` for a standard normal z (its copula coordinate).
    #[inline]
    fn value_at_normal(&self, input: usize, z: f64) -> f64 {
        match self.transforms[input] {
            Transform::Normal { mean, sd } => mean + sd * z,
            Transform::LogNormal { mu, sigma } => (mu + sigma * z).exp(),
            _ => {
                let u = normal_cdf(z).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
                self.value_at(input, u)
            }
        }
    }
}

fn transform(
    dist: &Dist,
    tables: &mut BetaTables,
    discrete_cumulative: &mut Vec<f64>,
    discrete_values: &mut Vec<f64>,
) -> Transform {
    match dist {
        Dist::Constant { value } => Transform::Constant(*value),
        Dist::Pert { low, likely, high } => {
            if high <= low {
                return Transform::Constant(*likely);
            }
            let (a, b) = pert_shape(*low, *likely, *high);
            // One table per distinct shape: real backlogs repeat a handful of shapes.
            Transform::Pert {
                table: tables.shape(a, b),
                low: *low,
                range: high - low,
            }
        }
        Dist::Triangular { low, likely, high } => {
            if high <= low {
                return Transform::Constant(*likely);
            }
            Transform::Triangular(Triangular::new(*low, *likely, *high))
        }
        Dist::Uniform { low, high } => Transform::Uniform {
            low: *low,
            range: high - low,
        },
        Dist::Normal { mean, sd } => Transform::Normal {
            mean: *mean,
            sd: *sd,
        },
        Dist::LogNormal { mu, sigma } => Transform::LogNormal {
            mu: *mu,
            sigma: *sigma,
        },
        Dist::Discrete {
            values,
            probabilities,
        } => {
            if values.len() == 1 {
                return Transform::Constant(values[0]);
            }
            let start = discrete_cumulative.len() as u32;
            let total: f64 = probabilities.iter().sum();
            let mut acc = 0.0;
            for (v, p) in values.iter().zip(probabilities) {
                acc += p / total;
                discrete_cumulative.push(acc);
                discrete_values.push(*v);
            }
            // Round-off must not leave a sliver above the last cumulative probability.
            *discrete_cumulative.last_mut().unwrap() = f64::INFINITY;
            Transform::Discrete {
                start,
                len: values.len() as u32,
            }
        }
    }
}

/// Connected groups of correlated inputs and their factors; marks the grouped inputs.
fn correlation_groups(
    model: &Model,
    keys: &[StreamKey],
    seed: u64,
    variates: &mut usize,
) -> (Vec<bool>, Vec<Group>) {
    let mut grouped = vec![false; model.inputs.len()];
    let mut groups = Vec::new();
    // Rank correlation rho_s of a normal pair corresponds to Pearson 2 sin(pi rho_s / 6).
    let pearson = |rho: f64| 2.0 * (std::f64::consts::PI * rho / 6.0).sin();
    for component in components(&model.correlations) {
        let list: Vec<usize> = component.inputs.iter().map(|i| i.0 as usize).collect();
        list.iter().for_each(|&i| grouped[i] = true);
        let k = list.len();
        let members: Vec<(u32, u32, StreamKey)> = list
            .iter()
            .map(|&i| (i as u32, i as u32, keys[i]))
            .collect();
        let factor = match component.common_rho.map(pearson) {
            Some(r) if r >= 0.0 => {
                let key = StreamKey::new(
                    seed,
                    &format!("{}#common-factor", model.inputs[list[0]].name),
                );
                let variate = *variates as u32;
                *variates += 1;
                Factor::Common {
                    load: r.sqrt(),
                    rest: (1.0 - r).max(0.0).sqrt(),
                    variate,
                    key,
                }
            }
            _ => {
                // Pearson target of each given pair; pairs not given are 0.
                let position = |i: usize| list.binary_search(&i).unwrap_or(0);
                let mut target = vec![0.0; k * k];
                for i in 0..k {
                    target[i * k + i] = 1.0;
                }
                for &p in &component.pairs {
                    let c = &model.correlations[p];
                    let (i, j) = (position(c.a.0 as usize), position(c.b.0 as usize));
                    target[i * k + j] = pearson(c.rho);
                    target[j * k + i] = pearson(c.rho);
                }
                Factor::Dense(cholesky(&target, k).unwrap_or_else(|| symmetric_root(&target, k)))
            }
        };
        groups.push(Group { members, factor });
    }
    (grouped, groups)
}

/// Lower-triangular L with L L^T = A (row-major k x k), if A is positive definite.
fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            if i == j {
                let d = a[i * k + i] - sum;
                if d <= 1e-12 {
                    return None;
                }
                l[i * k + i] = d.sqrt();
            } else {
                l[i * k + j] = (a[i * k + j] - sum) / l[j * k + j];
            }
        }
    }
    Some(l)
}

/// S with S S^T = A for a symmetric positive semi-definite A (singular ones included, such as
/// rho = 1 pairs); round-off negatives among the eigenvalues are clipped to zero.
fn symmetric_root(a: &[f64], k: usize) -> Vec<f64> {
    let rows: Vec<Vec<f64>> = (0..k).map(|i| a[i * k..(i + 1) * k].to_vec()).collect();
    let (values, vectors) = jacobi_eigen(rows);
    let mut s = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            s[i * k + j] = (0..k)
                .map(|l| vectors[i][l] * values[l].max(0.0).sqrt() * vectors[j][l])
                .sum();
        }
    }
    s
}
