//! Streaming statistics that merge exactly: per-chunk accumulators are combined in chunk order,
//! so a run's numbers do not depend on how many threads computed the chunks. They serialise
//! exactly (`crate::wire`), so runs on other machines merge as if computed here.

use serde::{Deserialize, Serialize};

/// Count, mean and sum of squared deviations (Welford), merged with Chan's formula.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub count: u64,
    #[serde(with = "crate::wire::real")]
    pub mean: f64,
    #[serde(with = "crate::wire::real")]
    m2: f64,
}

impl Moments {
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    pub fn merge(&mut self, other: &Moments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let n = (self.count + other.count) as f64;
        let delta = other.mean - self.mean;
        self.mean += delta * other.count as f64 / n;
        self.m2 += other.m2 + delta * delta * self.count as f64 * other.count as f64 / n;
        self.count += other.count;
    }

    /// Sample standard deviation (n - 1).
    pub fn sd(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            (self.m2 / (self.count - 1) as f64).max(0.0).sqrt()
        }
    }

    /// Standard error of the mean.
    pub fn std_error(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sd() / (self.count as f64).sqrt()
        }
    }
}

/// Quantiles of a stream of signed values with a guaranteed relative accuracy (a DDSketch):
/// |x| goes into logarithmic bucket ceil(log_g |x|) with g = (1 + a) / (1 - a), so the value
/// reported for a rank is within a factor (1 +- a) of the true order statistic. Counts are
/// integers, so merging is exact and order-free. Magnitudes below `floor` count as zero (for
/// money, below one currency unit). Exact min and max are kept, and quantiles are clamped to
/// them, so a run whose outcomes are all equal reports that value exactly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sketch {
    #[serde(with = "crate::wire::real")]
    inv_ln_gamma: f64,
    #[serde(with = "crate::wire::real")]
    gamma: f64,
    #[serde(with = "crate::wire::real")]
    floor: f64,
    positive: Buckets,
    negative: Buckets,
    zero: u64,
    count: u64,
    #[serde(with = "crate::wire::real")]
    min: f64,
    #[serde(with = "crate::wire::real")]
    max: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Buckets {
    offset: i32,
    counts: Vec<u64>,
}

impl Buckets {
    #[inline]
    fn add(&mut self, index: i32, n: u64) {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push(0);
        }
        if index < self.offset {
            let grow = (self.offset - index) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = index;
        }
        let at = (index - self.offset) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        self.counts[at] += n;
    }

    fn merge(&mut self, other: &Buckets) {
        if other.counts.is_empty() {
            return;
        }
        let last = other.offset + other.counts.len() as i32 - 1;
        // Grow once to cover both ranges, then add.
        self.add(other.offset, 0);
        self.add(last, 0);
        let start = (other.offset - self.offset) as usize;
        for (slot, n) in self.counts[start..].iter_mut().zip(&other.counts) {
            *slot += n;
        }
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Buckets read from a file: within the range any f64 can reach (so merging them cannot
    /// allocate without bound), their count without overflow.
    fn checked_total(&self) -> Result<u64, String> {
        const MAX_INDEX: i64 = 1 << 22;
        let (first, len) = (i64::from(self.offset), self.counts.len() as i64);
        if first.abs() > MAX_INDEX || first + len > MAX_INDEX {
            return Err(format!(
                "buckets {first} to {} are outside the range of any value",
                first + len
            ));
        }
        self.counts
            .iter()
            .try_fold(0u64, |sum, &n| sum.checked_add(n))
            .ok_or_else(|| "bucket counts overflow".to_string())
    }
}

impl Sketch {
    /// `accuracy` is the relative error bound a (0.001 = 0.1%).
    pub fn new(accuracy: f64, floor: f64) -> Self {
        let gamma = (1.0 + accuracy) / (1.0 - accuracy);
        Sketch {
            inv_ln_gamma: 1.0 / gamma.ln(),
            gamma,
            floor,
            positive: Buckets::default(),
            negative: Buckets::default(),
            zero: 0,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    #[inline]
    fn index(&self, magnitude: f64) -> i32 {
        crate::sample::special::ceil_i32(magnitude.ln() * self.inv_ln_gamma)
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x.abs() < self.floor {
            self.zero += 1;
        } else if x > 0.0 {
            let i = self.index(x);
            self.positive.add(i, 1);
        } else {
            let i = self.index(-x);
            self.negative.add(i, 1);
        }
    }

    pub fn merge(&mut self, other: &Sketch) {
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zero += other.zero;
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether this sketch, read from a file, is one like `like` (same accuracy and floor) with
    /// at most `trials` values whose counts, minimum and maximum hold together: then merging
    /// and reading it cannot fail.
    pub fn check_like(&self, like: &Sketch, trials: u64) -> Result<(), String> {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        if !same(self.gamma, like.gamma)
            || !same(self.inv_ln_gamma, like.inv_ln_gamma)
            || !same(self.floor, like.floor)
        {
            return Err("its accuracy is not this version's".into());
        }
        let total = self
            .positive
            .checked_total()?
            .checked_add(self.negative.checked_total()?)
            .and_then(|n| n.checked_add(self.zero))
            .ok_or("its counts overflow")?;
        if total != self.count || self.count > trials {
            return Err(format!(
                "it counts {} values in its buckets and {} in all, for {trials} trials",
                total, self.count
            ));
        }
        let empty = self.min == f64::INFINITY && self.max == f64::NEG_INFINITY;
        let ordered = self.min <= self.max;
        if (self.count == 0 && !empty) || (self.count > 0 && !ordered) {
            return Err(format!(
                "its minimum {} and maximum {} do not fit its {} values",
                self.min, self.max, self.count
            ));
        }
        Ok(())
    }

    /// The q-quantile by the nearest-rank rule (rank ceil(q n)), within the relative accuracy.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let value = |index: i32| 2.0 * self.gamma.powi(index) / (self.gamma + 1.0);
        let negatives = self.negative.total();
        let estimate = if rank <= negatives {
            // Most negative first: the negative buckets from the largest magnitude down.
            let mut seen = 0;
            let mut found = 0.0;
            for (k, n) in self.negative.counts.iter().enumerate().rev() {
                seen += n;
                if seen >= rank {
                    found = -value(self.negative.offset + k as i32);
                    break;
                }
            }
            found
        } else if rank <= negatives + self.zero {
            0.0
        } else {
            let mut seen = negatives + self.zero;
            let mut found = self.max;
            for (k, n) in self.positive.counts.iter().enumerate() {
                seen += n;
                if seen >= rank {
                    found = value(self.positive.offset + k as i32);
                    break;
                }
            }
            found
        };
        estimate.clamp(self.min, self.max)
    }

    pub fn min(&self) -> f64 {
        self.min
    }

    pub fn max(&self) -> f64 {
        self.max
    }
}

/// Counts over fixed bins of [0, 1] (utilisation), with quantiles read at bin upper edges.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitHistogram {
    pub counts: Vec<u64>,
}

impl UnitHistogram {
    pub const BINS: usize = 1000;

    pub fn new() -> Self {
        UnitHistogram {
            counts: vec![0; Self::BINS],
        }
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        // Bin k holds (k/BINS, (k+1)/BINS]; 0 goes in the first bin.
        let k = (crate::sample::special::ceil_i32(x * Self::BINS as f64) as usize)
            .clamp(1, Self::BINS)
            - 1;
        self.counts[k] += 1;
    }

    /// Whether these counts, read from a file, are a histogram of at most `trials` values.
    pub fn check(&self, trials: u64) -> Result<(), String> {
        if self.counts.len() != Self::BINS {
            return Err(format!(
                "it has {} bins, not {}",
                self.counts.len(),
                Self::BINS
            ));
        }
        match self
            .counts
            .iter()
            .try_fold(0u64, |sum, &n| sum.checked_add(n))
        {
            Some(total) if total <= trials => Ok(()),
            _ => Err(format!("it counts more than {trials} trials")),
        }
    }

    pub fn merge(&mut self, other: &UnitHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// Upper edge of the bin holding the nearest-rank q-quantile: within 1/BINS above it.
    pub fn quantile(&self, q: f64) -> f64 {
        let total: u64 = self.counts.iter().sum();
        if total == 0 {
            return f64::NAN;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0;
        for (k, n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return (k + 1) as f64 / Self::BINS as f64;
            }
        }
        1.0
    }
}

impl Default for UnitHistogram {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_merge_like_one_pass() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.37).sin() * 1e6 + 5e6)
            .collect();
        let mut whole = Moments::default();
        xs.iter().for_each(|&x| whole.push(x));
        let mut left = Moments::default();
        let mut right = Moments::default();
        xs[..313].iter().for_each(|&x| left.push(x));
        xs[313..].iter().for_each(|&x| right.push(x));
        left.merge(&right);
        assert_eq!(left.count, whole.count);
        assert!((left.mean - whole.mean).abs() < 1e-6);
        assert!((left.sd() - whole.sd()).abs() < 1e-6);
    }

    #[test]
    fn sketch_quantiles_are_within_the_relative_accuracy() {
        let mut xs: Vec<f64> = (0..100_001)
            .map(|i| ((i as f64 * 0.618_033_988_7).fract() - 0.3) * 1e6)
            .collect();
        let mut sketch = Sketch::new(1e-3, 1.0);
        xs.iter().for_each(|&x| sketch.push(x));
        xs.sort_by(f64::total_cmp);
        for q in [0.01, 0.05, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99] {
            let rank = (q * xs.len() as f64).ceil() as usize;
            let exact = xs[rank - 1];
            let got = sketch.quantile(q);
            assert!(
                (got - exact).abs() <= 1e-3 * exact.abs() + 1.0,
                "q={q}: {got} vs {exact}"
            );
        }
        let mut constant = Sketch::new(1e-3, 1.0);
        (0..10).for_each(|_| constant.push(1234.56));
        assert_eq!(constant.quantile(0.5), 1234.56);
    }

    #[test]
    fn sketches_merge_exactly() {
        let mut a = Sketch::new(1e-3, 1.0);
        let mut b = Sketch::new(1e-3, 1.0);
        let mut whole = Sketch::new(1e-3, 1.0);
        for i in 0..5000 {
            let x = (i as f64 - 2000.0) * 37.0;
            whole.push(x);
            if i % 3 == 0 {
                a.push(x)
            } else {
                b.push(x)
            }
        }
        a.merge(&b);
        for q in [0.1, 0.5, 0.9] {
            assert_eq!(a.quantile(q), whole.quantile(q));
        }
    }

    #[test]
    fn unit_histogram_reads_quantiles_at_bin_edges() {
        let mut h = UnitHistogram::new();
        for i in 0..=100 {
            h.push(i as f64 / 100.0);
        }
        assert!((h.quantile(0.9) - 0.9).abs() < 1e-9);
        assert_eq!(h.quantile(1.0), 1.0);
    }
}
