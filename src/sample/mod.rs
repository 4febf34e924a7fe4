//! Monte Carlo draws of the model's inputs. RNGs are always passed in and seeded from
//! (seed, stream), never global, so results do not depend on threads or call order.

pub mod correlate;

use crate::model::Dist;
use rand::RngExt;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal, Pert, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

pub type TrialRng = Xoshiro256PlusPlus;

/// An independent stream for (seed, stream index): the stream is mixed into the seed with
/// SplitMix64 so nearby indices give unrelated generators.
pub fn rng_for(seed: u64, stream: u64) -> TrialRng {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31))
}

/// One draw of `dist`.
pub fn draw<R: rand::Rng + ?Sized>(dist: &Dist, rng: &mut R) -> f64 {
    match dist {
        Dist::Constant { value } => *value,
        Dist::Pert { low, likely, high } => match Pert::new(*low, *high).with_mode(*likely) {
            Ok(d) => d.sample(rng),
            Err(_) => *likely,
        },
        Dist::Triangular { low, likely, high } => {
            let u: f64 = rng.random();
            let split = (likely - low) / (high - low);
            if u < split {
                low + ((high - low) * (likely - low) * u).sqrt()
            } else {
                high - ((high - low) * (high - likely) * (1.0 - u)).sqrt()
            }
        }
        Dist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
        Dist::Normal { mean, sd } => Normal::new(*mean, *sd).map_or(*mean, |d| d.sample(rng)),
        Dist::LogNormal { mu, sigma } => {
            let z: f64 = StandardNormal.sample(rng);
            (mu + sigma * z).exp()
        }
        Dist::Discrete {
            values,
            probabilities,
        } => {
            let u: f64 = rng.random();
            let mut acc = 0.0;
            for (v, p) in values.iter().zip(probabilities) {
                acc += p;
                if u < acc {
                    return *v;
                }
            }
            *values.last().unwrap_or(&0.0)
        }
    }
}

/// The q-quantile of a sample (nearest rank on the sorted values); sorts in place.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampled_means_match_the_closed_form() {
        let mut rng = rng_for(7, 0);
        for dist in [
            Dist::Pert {
                low: 2.0,
                likely: 3.0,
                high: 10.0,
            },
            Dist::Triangular {
                low: 2.0,
                likely: 3.0,
                high: 10.0,
            },
            Dist::lognormal_from_p10_p90(300.0, 700.0),
            Dist::Discrete {
                values: vec![0.0, 10.0],
                probabilities: vec![0.7, 0.3],
            },
        ] {
            let n = 200_000;
            let mean = (0..n).map(|_| draw(&dist, &mut rng)).sum::<f64>() / n as f64;
            let rel = (mean - dist.mean()).abs() / dist.mean();
            assert!(
                rel < 0.01,
                "{dist:?}: sampled {mean}, expected {}",
                dist.mean()
            );
        }
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: u64 = rng_for(1, 0).random();
        assert_eq!(a, rng_for(1, 0).random::<u64>());
        assert_ne!(a, rng_for(1, 1).random::<u64>());
    }
}
