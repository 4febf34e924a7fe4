//! Fast, accurate PERT draws by a tabulated inverse CDF.
//!
//! A PERT [low, likely, high] is low + (high - low) X with X ~ Beta(a, b), a = 1 + 4 r,
//! b = 1 + 4 (1 - r), r = (likely - low) / (high - low). Drawing Beta by Gamma ratios (what
//! rand_distr does) costs two rejection samplers and logarithms; here X = F^-1(u) for one
//! uniform u, read off a table of the exact quantile function, piecewise cubic Hermite with
//! the exact slopes dx/du = 1 / f(x) at the nodes:
//!
//! - for u below 1/2, u itself, and above, 1 - u (exact there, so the upper tail keeps its
//!   precision): each binade [2^e, 2^(e+1)) for e = -2 down to -10 has 8 cells of its own,
//!   found from the float's exponent and mantissa bits. The quantile's derivatives grow like
//!   u^-4 towards 0 while the cells shrink with u, so the error stays even, and a draw needs
//!   no branch that depends on u, no logarithm and no power;
//! - below 2^-10 (two draws in a thousand), where F^-1 behaves like u^(1/a), the same in
//!   w = (u 2^10)^(1/a) (mirrored with b above), in which the quantile is analytic: 16 cells.
//!
//! Nodes come from the incomplete beta function (special.rs) to a few ulps. The interpolation
//! error is below 1e-6 of the range (high - low) for every u and every PERT shape; the tests
//! check this against the exact quantile on a dense grid including the extreme tails. A table
//! is 1.4 kB, so a backlog's distinct shapes stay in cache. One uniform per draw also keeps
//! common random numbers aligned and makes Latin hypercube sampling and the Gaussian copula
//! plain transformations of u.

use super::special::{beta_pdf, beta_quantile, ln_beta, pow_unit};

/// Binades [2^e, 2^(e+1)) of the tail variable with cells of their own: e = -2 ..= -10.
const FIRST_EXPONENT: i32 = -2;
const LAST_EXPONENT: i32 = -10;
const ZONES: usize = (FIRST_EXPONENT - LAST_EXPONENT + 1) as usize;
const ZONE_CELLS: usize = 8;
const DEEP_CELLS: usize = 16;
/// Tail probability below which a draw takes the power transform: 2^-10.
const DEEP_MASS: f64 = 1.0 / 1024.0;

/// A node of the cubic Hermite interpolant: the quantile and its slope dx/du (in the deep run,
/// dx/dw scaled to the cell width). Single precision is enough (a few 1e-8 of the range).
type Node = [f32; 2];

/// Node layout of a shape: two sides (the lower tail of Beta(a, b) up to the median, then that
/// of Beta(b, a) for the upper half), each a deep run then the binade zones from the deepest up;
/// neighbouring zones share their boundary node.
const DEEP_NODES: usize = DEEP_CELLS + 1;
const SIDE_NODES: usize = DEEP_NODES + ZONES * ZONE_CELLS + 1;
const LOWER: usize = 0;
const UPPER: usize = SIDE_NODES;
pub const NODES_PER_SHAPE: usize = 2 * SIDE_NODES;

/// The quantile functions of every distinct Beta(a, b) shape (a, b >= 1) of a model, in one
/// contiguous arena so that a draw is one cache line away from its nodes.
#[derive(Debug, Clone, Default)]
pub struct BetaTables {
    shapes: Vec<(f64, f64)>,
    /// Each registered shape's table by the bits of (a, b): a large backlog has thousands.
    registered: std::collections::HashMap<(u64, u64), u32>,
    handles: Vec<TableHandle>,
    nodes: Vec<Node>,
}

/// Where a draw's value is: the first of two nodes in the arena, the position t in [0, 1]
/// between them, the cell width that scales the nodes' slopes, and whether the value is
/// mirrored (upper half: 1 - interpolant).
#[derive(Debug, Clone, Copy, Default)]
pub struct Spot {
    pub node: usize,
    pub t: f64,
    pub width: f64,
    pub mirrored: bool,
}

impl BetaTables {
    /// The table of shape (a, b), registered if new; nodes are computed by [`BetaTables::build`].
    pub fn shape(&mut self, a: f64, b: f64) -> u32 {
        // a, b >= 1, so equal shapes have equal bits (no signed zeros, no NaN).
        let next = self.shapes.len() as u32;
        let table = *self
            .registered
            .entry((a.to_bits(), b.to_bits()))
            .or_insert(next);
        if table == next {
            self.shapes.push((a, b));
        }
        table
    }

    /// Computes every registered shape's nodes, shapes in parallel.
    pub fn build(&mut self) {
        use rayon::prelude::*;
        let mut nodes = vec![[0.0f32; 2]; self.shapes.len() * NODES_PER_SHAPE];
        nodes
            .par_chunks_mut(NODES_PER_SHAPE)
            .zip(self.shapes.par_iter())
            .for_each(|(slot, &(a, b))| tabulate(a, b, slot));
        self.nodes = nodes;
        self.handles = self
            .shapes
            .iter()
            .enumerate()
            .map(|(table, &(a, b))| TableHandle {
                base: table * NODES_PER_SHAPE,
                inv_a: 1.0 / a,
                inv_b: 1.0 / b,
            })
            .collect();
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The arena offset of a table, and the exponents 1/a and 1/b of its tail transforms.
    pub fn handle(&self, table: u32) -> TableHandle {
        self.handles[table as usize]
    }

    /// Where the u-quantile of a table lies, for u in (0, 1).
    #[inline(always)]
    pub fn locate(handle: &TableHandle, u: f64) -> Spot {
        // Arithmetic rather than branches: which half u falls in is a coin flip that a branch
        // predictor would get wrong half the time.
        let mirrored = u > 0.5;
        let v = u.min(1.0 - u);
        let side = handle.base + LOWER + usize::from(mirrored) * (UPPER - LOWER);
        let bits = v.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023;
        if exponent < LAST_EXPONENT {
            return Self::locate_deep(handle, v, side, mirrored);
        }
        // v = m 2^e with m in [1, 2): the zone from e, the cell from m. v = 1/2 (e = -1) is the
        // last zone's end.
        let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
        let s = ((exponent - LAST_EXPONENT) as f64 + (m - 1.0)) * ZONE_CELLS as f64;
        // Through i32: a float to usize cast needs range checks, to i32 one instruction.
        let i = (s as i32 as usize).min(ZONES * ZONE_CELLS - 1);
        // The cell width 2^e / ZONE_CELLS, built from its exponent bits.
        let width_exponent = exponent.min(FIRST_EXPONENT) - ZONE_CELLS.trailing_zeros() as i32;
        let width = f64::from_bits(((width_exponent + 1023) as u64) << 52);
        Spot {
            node: side + DEEP_NODES + i,
            t: s - i as f64,
            width,
            mirrored,
        }
    }

    /// The deep tail, below 2^-10: two draws in a thousand, kept out of the hot path.
    #[cold]
    fn locate_deep(handle: &TableHandle, v: f64, side: usize, mirrored: bool) -> Spot {
        let inv = if mirrored { handle.inv_b } else { handle.inv_a };
        let s = pow_unit(v * (1.0 / DEEP_MASS), inv) * DEEP_CELLS as f64;
        let i = (s as i32 as usize).min(DEEP_CELLS - 1);
        Spot {
            node: side + i,
            t: s - i as f64,
            width: 1.0,
            mirrored,
        }
    }

    /// Asks the processor to fetch a spot's nodes ahead of [`BetaTables::value`].
    #[inline(always)]
    pub fn prefetch(&self, spot: &Spot) {
        #[cfg(target_arch = "x86_64")]
        if let Some(node) = self.nodes.get(spot.node) {
            // SAFETY: a prefetch is only a hint; the pointer comes from a live reference.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    (node as *const Node).cast::<i8>(),
                )
            }
        }
    }

    /// The quantile in [0, 1] at a located spot.
    #[inline(always)]
    pub fn value(&self, spot: &Spot) -> f64 {
        let x = hermite(
            self.nodes[spot.node],
            self.nodes[spot.node + 1],
            spot.t,
            spot.width,
        );
        // x or 1 - x without a branch (see `locate`).
        let flip = f64::from(u8::from(spot.mirrored));
        x + flip * (1.0 - 2.0 * x)
    }

    /// x with P(X <= x) = u for table `table`, u in (0, 1).
    #[inline]
    pub fn quantile(&self, table: u32, u: f64) -> f64 {
        self.value(&Self::locate(&self.handles[table as usize], u))
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct TableHandle {
    base: usize,
    inv_a: f64,
    inv_b: f64,
}

/// Fills one shape's nodes: exact quantiles and slopes from the incomplete beta function.
fn tabulate(a: f64, b: f64, slot: &mut [Node]) {
    let all = side_nodes(a, b).into_iter().chain(side_nodes(b, a));
    for (node, (x, m)) in slot.iter_mut().zip(all) {
        *node = [x as f32, m as f32];
    }
}

/// One side: the quantile of Beta(a, b) from 0 to the median u = 1/2, the deep run (slopes
/// dx/dw scaled to the cell) then the binade zones from 2^-10 up (slopes dx/du).
fn side_nodes(a: f64, b: f64) -> Vec<(f64, f64)> {
    let ln_b = ln_beta(a, b);
    let mut nodes = Vec::with_capacity(SIDE_NODES);
    let dw = 1.0 / DEEP_CELLS as f64;
    for j in 0..=DEEP_CELLS {
        let w = j as f64 * dw;
        if j == 0 {
            // Near 0, u ~ x^a / (a B(a, b)), so x ~ (a B u)^(1/a) = (a B DEEP_MASS)^(1/a) w.
            let slope = (a * ln_b.exp() * DEEP_MASS).powf(1.0 / a);
            nodes.push((0.0, slope * dw));
            continue;
        }
        let u = DEEP_MASS * w.powf(a);
        let x = beta_quantile(a, b, ln_b, u);
        // dx/dw = (du/dw) / f(x) = a DEEP_MASS w^(a-1) / f(x).
        let slope = a * DEEP_MASS * w.powf(a - 1.0) / beta_pdf(a, b, ln_b, x);
        nodes.push((x, slope * dw));
    }
    for e in LAST_EXPONENT..=FIRST_EXPONENT {
        let start = 2f64.powi(e);
        let last = if e == FIRST_EXPONENT {
            ZONE_CELLS
        } else {
            ZONE_CELLS - 1
        };
        for k in 0..=last {
            let u = start * (1.0 + k as f64 / ZONE_CELLS as f64);
            let x = beta_quantile(a, b, ln_b, u);
            nodes.push((x, 1.0 / beta_pdf(a, b, ln_b, x)));
        }
    }
    debug_assert_eq!(nodes.len(), SIDE_NODES);
    nodes
}

/// The cubic Hermite interpolant between two nodes, at t in [0, 1], slopes times `width`.
#[inline(always)]
fn hermite([p0, m0]: Node, [p1, m1]: Node, t: f64, width: f64) -> f64 {
    let (p0, p1) = (f64::from(p0), f64::from(p1));
    let (m0, m1) = (f64::from(m0) * width, f64::from(m1) * width);
    let c2 = 3.0 * (p1 - p0) - 2.0 * m0 - m1;
    let c3 = 2.0 * (p0 - p1) + m0 + m1;
    p0 + t * (m0 + t * (c2 + t * c3))
}

/// Beta shape parameters of PERT [low, likely, high] with weight 4 on `likely` (high > low).
pub fn pert_shape(low: f64, likely: f64, high: f64) -> (f64, f64) {
    let r = ((likely - low) / (high - low)).clamp(0.0, 1.0);
    (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(a: f64, b: f64) -> impl Fn(f64) -> f64 {
        let mut tables = BetaTables::default();
        let id = tables.shape(a, b);
        tables.build();
        move |u| tables.quantile(id, u)
    }

    #[test]
    fn symmetric_shape_is_symmetric_and_centred() {
        let t = one(3.0, 3.0);
        assert!((t(0.5) - 0.5).abs() < 1e-7);
        for u in [0.001, 0.02, 0.2, 0.4] {
            assert!((t(u) + t(1.0 - u) - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn closed_form_shapes_are_reproduced() {
        // Beta(1, 5): x = 1 - (1-u)^(1/5); Beta(5, 1): x = u^(1/5).
        let lo = one(1.0, 5.0);
        let hi = one(5.0, 1.0);
        for k in 1..2000 {
            let u = k as f64 / 2000.0;
            assert!((lo(u) - (1.0 - (1.0 - u).powf(0.2))).abs() < 1e-6);
            assert!((hi(u) - u.powf(0.2)).abs() < 1e-6);
        }
    }
}

#[cfg(test)]
mod accuracy {
    use super::*;
    use crate::sample::special::{beta_quantile, ln_beta};

    /// The stated accuracy: within 1e-6 of the range, for every u and shape, tails included.
    #[test]
    fn table_matches_the_exact_quantile_everywhere() {
        let mut worst = (0.0f64, 0.0, 0.0);
        let shapes = [0.0, 1e-6, 0.001, 0.01, 1.0 / 3.0, 0.999, 1.0 - 1e-6, 1.0];
        let mut tables = BetaTables::default();
        let rs: Vec<f64> = shapes
            .into_iter()
            .chain((1..100).map(|k| k as f64 / 100.0))
            .collect();
        let ids: Vec<u32> = rs
            .iter()
            .map(|r| tables.shape(1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r)))
            .collect();
        tables.build();
        for (&r, &id) in rs.iter().zip(&ids) {
            let (a, b) = (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r));
            let lb = ln_beta(a, b);
            let mut us: Vec<f64> = (1..20_000).map(|k| k as f64 / 20_000.0).collect();
            for e in 1..16 {
                let tiny = 10f64.powi(-e);
                us.push(tiny);
                us.push(1.0 - tiny);
                us.push(2f64.powi(-e) * (1.0 + 1e-3 * e as f64));
                us.push(DEEP_MASS * (1.0 - 1e-3 * e as f64));
            }
            for u in us {
                let err = (tables.quantile(id, u) - beta_quantile(a, b, lb, u)).abs();
                if err > worst.0 {
                    worst = (err, r, u);
                }
            }
        }
        eprintln!(
            "worst PERT table error {:e} at r={} u={}",
            worst.0, worst.1, worst.2
        );
        assert!(worst.0 < 1e-6, "{worst:?}");
    }
}
