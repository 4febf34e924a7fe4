//! Special functions the samplers and their tests need: the normal CDF and quantile, and the
//! regularised incomplete beta function with its inverse (the CDF and quantile of PERT).

use std::f64::consts::{PI, SQRT_2};

/// Standard normal CDF, to full double precision (erfc from libm, a port of FreeBSD's msun).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / SQRT_2)
}

/// Inverse of the standard normal CDF by Acklam's rational approximation: relative error
/// below 1.2e-9 over (0, 1), which no Monte Carlo run can detect, at a fraction of the cost of
/// a refined inverse. `p` outside (0, 1) gives -inf / +inf.
#[inline]
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
    const LOW: f64 = 0.02425;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// The normal quantile refined by one Halley step on the exact CDF: full double precision,
/// for references and tests rather than the hot loop.
pub fn normal_quantile_exact(p: f64) -> f64 {
    let x = normal_quantile(p);
    if !x.is_finite() {
        return x;
    }
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// v^c for v in (0, 1] and c in (0, 1]: exp(c ln v) with a polynomial logarithm and
/// exponential, to about 1e-15 relative error (checked against `powf` in the tests) at a
/// fraction of libm's general `pow`. The PERT tails need one per draw.
#[inline]
pub fn pow_unit(v: f64, c: f64) -> f64 {
    const SQRT_2: f64 = std::f64::consts::SQRT_2;
    let bits = v.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.1716: the series to z^17 is exact
    // to double precision.
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let series = 1.0
        + z2 * (1.0 / 3.0
            + z2 * (1.0 / 5.0
                + z2 * (1.0 / 7.0
                    + z2 * (1.0 / 9.0
                        + z2 * (1.0 / 11.0 + z2 * (1.0 / 13.0 + z2 * (1.0 / 15.0 + z2 / 17.0)))))));
    let ln_v = exponent as f64 * std::f64::consts::LN_2 + 2.0 * z * series;
    exp_nonpositive(c * ln_v)
}

/// e^y for y <= 0 (0 below the smallest normal), by range reduction to |r| <= ln 2 / 2 and a
/// degree-12 Taylor polynomial.
#[inline]
fn exp_nonpositive(y: f64) -> f64 {
    // ln 2 split so that n * LN2_HI is exact for the n that occur (fdlibm's constants).
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    if y < -708.0 {
        return 0.0;
    }
    // Round to nearest by truncation (y <= 0): `round` is a library call on baseline x86-64.
    let n = -((0.5 - y * std::f64::consts::LOG2_E) as i64);
    let nf = n as f64;
    let r = (y - nf * LN2_HI) - nf * LN2_LO;
    let mut p = INVERSE_FACTORIALS[12];
    for k in (0..12).rev() {
        p = p * r + INVERSE_FACTORIALS[k];
    }
    let scale = f64::from_bits(((n + 1023) as u64) << 52);
    p * scale
}

/// 1/k! for k = 0..=12.
const INVERSE_FACTORIALS: [f64; 13] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
];

/// The smallest integer >= x, for |x| < 2^31; `f64::ceil` is a library call on baseline
/// x86-64, and the statistics call this once per trial and month.
#[inline(always)]
pub fn ceil_i32(x: f64) -> i32 {
    let t = x as i32;
    if (t as f64) < x {
        t + 1
    } else {
        t
    }
}

/// ln B(a, b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// Density of Beta(a, b) at x in [0, 1], given ln B(a, b).
pub fn beta_pdf(a: f64, b: f64, ln_b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return if a == 1.0 { (-ln_b).exp() } else { 0.0 };
    }
    if x >= 1.0 {
        return if b == 1.0 { (-ln_b).exp() } else { 0.0 };
    }
    ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_b).exp()
}

/// Regularised incomplete beta I_x(a, b): the CDF of Beta(a, b) at x, to about 1e-15.
/// Continued fraction (modified Lentz), on the side of the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
/// where it converges fast.
pub fn beta_cdf(a: f64, b: f64, ln_b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (a * x.ln() + b * (-x).ln_1p() - ln_b).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The u-quantile of Beta(a, b) for a, b >= 1: Newton steps on the CDF kept inside a shrinking
/// bracket, with bisection whenever a step would leave it. Accurate to a few ulps. Above the
/// median it solves the mirrored problem for 1 - u, which is exact there, so that the upper
/// tail keeps its precision.
pub fn beta_quantile(a: f64, b: f64, ln_b: f64, u: f64) -> f64 {
    if u > 0.5 {
        return 1.0 - lower_beta_quantile(b, a, ln_b, 1.0 - u);
    }
    lower_beta_quantile(a, b, ln_b, u)
}

fn lower_beta_quantile(a: f64, b: f64, ln_b: f64, u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut x = a / (a + b);
    for _ in 0..200 {
        let f = beta_cdf(a, b, ln_b, x) - u;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let density = beta_pdf(a, b, ln_b, x);
        let newton = x - f / density;
        let next = if density > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 1e-16 * x.max(1e-300) || hi - lo <= f64::EPSILON * hi {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_functions_match_tabulated_values() {
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
        assert!((normal_cdf(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-17);
        for p in [1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999_999] {
            let rel = (normal_quantile(p) - normal_quantile_exact(p)).abs()
                / normal_quantile_exact(p).abs().max(1e-3);
            assert!(rel < 1.2e-9, "p={p}: {rel}");
            assert!((normal_cdf(normal_quantile_exact(p)) - p).abs() < 1e-15 * p.max(1e-3));
        }
    }

    #[test]
    fn fast_unit_power_matches_powf() {
        let mut worst = 0.0f64;
        for i in 1..200_000 {
            let v = (i as f64 / 200_000.0).powi(3);
            for c in [0.2, 1.0 / 3.0, 0.5, 0.61, 0.999, 1.0] {
                let exact = v.powf(c);
                worst = worst.max((pow_unit(v, c) - exact).abs() / exact);
            }
        }
        assert!(worst < 1e-14, "{worst:e}");
        assert!((pow_unit(1e-300, 1.0) - 1e-300).abs() < 1e-310);
        assert_eq!(pow_unit(1.0, 0.3), 1.0);
    }

    #[test]
    fn incomplete_beta_matches_closed_forms() {
        // Beta(1, b): F(x) = 1 - (1-x)^b; Beta(a, 1): F(x) = x^a; Beta(2, 2): 3x^2 - 2x^3.
        for x in [0.001, 0.1, 0.37, 0.5, 0.8, 0.999] {
            let f = beta_cdf(1.0, 5.0, ln_beta(1.0, 5.0), x);
            assert!((f - (1.0 - (1.0f64 - x).powi(5))).abs() < 1e-14);
            let f = beta_cdf(5.0, 1.0, ln_beta(5.0, 1.0), x);
            assert!((f - x.powi(5)).abs() < 1e-14);
            let f = beta_cdf(2.0, 2.0, ln_beta(2.0, 2.0), x);
            assert!((f - (3.0 * x * x - 2.0 * x * x * x)).abs() < 1e-14);
        }
    }

    #[test]
    fn beta_quantile_inverts_the_cdf() {
        for (a, b) in [(1.0, 5.0), (1.8, 4.2), (3.0, 3.0), (4.6, 1.4), (5.0, 1.0)] {
            let lb = ln_beta(a, b);
            for u in [1e-12, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0 - 1e-9] {
                let x = beta_quantile(a, b, lb, u);
                assert!((beta_cdf(a, b, lb, x) - u).abs() < 1e-13, "{a} {b} {u}");
            }
        }
    }
}
