//! Counter-based random streams: the uniform of variate `v` in trial `t` is a pure function of
//! (seed, the variate's name, t).
//!
//! Each variate has its own SplitMix64 stream (its own start and odd increment, derived from
//! the seed and its field path): the t-th output is mix(start + (t + 1) * increment). So:
//! - results cannot depend on how trials are split into chunks or spread over threads;
//! - two runs that share an input by name (a what-if variant, another plan, another strategy)
//!   see the same draws of it: common random numbers, paired comparisons, by construction;
//! - adding or removing one input shifts no other input's draws.

/// SplitMix64's output function (Stafford's variant 13): a bijection of u64 with full avalanche.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a: a stable hash of a name (std's hasher may change between Rust releases).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// One variate's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey {
    start: u64,
    increment: u64,
}

impl StreamKey {
    pub fn new(seed: u64, name: &str) -> Self {
        let start = mix64(seed ^ mix64(fnv1a(name)));
        let mut increment = mix64(start ^ 0x9E37_79B9_7F4A_7C15) | 1;
        // As in Java's SplittableRandom: increments with too few bit transitions make weak streams.
        if (increment ^ (increment >> 1)).count_ones() < 24 {
            increment ^= 0xAAAA_AAAA_AAAA_AAAA;
        }
        StreamKey { start, increment }
    }

    #[inline(always)]
    pub fn bits(self, trial: u64) -> u64 {
        mix64(
            self.start
                .wrapping_add(trial.wrapping_add(1).wrapping_mul(self.increment)),
        )
    }

    /// Uniform in the open interval (0, 1), never 0 or 1, so every inverse CDF is finite.
    #[inline(always)]
    pub fn uniform(self, trial: u64) -> f64 {
        to_open_unit(self.bits(trial))
    }
}

#[inline(always)]
pub fn to_open_unit(bits: u64) -> f64 {
    // 52 bits plus a half: the largest value, 1 - 2^-53, is exactly representable below 1.
    ((bits >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// A random permutation of 0..n, keyed, computed per element without storing it: a balanced
/// Feistel network on the smallest even power of two >= n, walking cycles until it lands
/// below n. Latin hypercube sampling uses it to give every trial its own stratum.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    mask: u64,
    key: u64,
}

impl Permutation {
    pub fn new(n: u64, key: u64) -> Self {
        let bits = 64 - n.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        Permutation {
            n,
            half_bits,
            mask: (1u64 << half_bits) - 1,
            key,
        }
    }

    #[inline]
    pub fn apply(&self, mut i: u64) -> u64 {
        debug_assert!(i < self.n);
        loop {
            i = self.feistel(i);
            if i < self.n {
                return i;
            }
        }
    }

    #[inline]
    fn feistel(&self, i: u64) -> u64 {
        let (mut left, mut right) = (i >> self.half_bits, i & self.mask);
        for round in 0..4u64 {
            let f = mix64(
                right
                    ^ self
                        .key
                        .wrapping_add(round.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            ) & self.mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_name_and_seed_only() {
        let a = StreamKey::new(7, "features[sso].effort.web");
        assert_eq!(
            a.bits(3),
            StreamKey::new(7, "features[sso].effort.web").bits(3)
        );
        assert_ne!(
            a.bits(3),
            StreamKey::new(8, "features[sso].effort.web").bits(3)
        );
        assert_ne!(
            a.bits(3),
            StreamKey::new(7, "features[sso].effort.api").bits(3)
        );
        assert_ne!(a.bits(3), a.bits(4));
    }

    #[test]
    fn uniforms_stay_inside_the_open_interval() {
        assert!(to_open_unit(0) > 0.0);
        assert!(to_open_unit(u64::MAX) < 1.0);
    }

    #[test]
    fn permutations_are_bijections() {
        for n in [1u64, 2, 3, 7, 64, 100, 1000, 4097] {
            let p = Permutation::new(n, 12345 + n);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "n={n}");
                seen[j] = true;
            }
        }
    }
}
