//! Statistical checks of the compiled sampler (src/sample/sampler.rs): every distribution kind
//! has the right moments and the right CDF, Latin hypercube stratifies, rank correlations are
//! achieved without bending the marginals, and draws depend only on (seed, input name, trial).
//!
//! Every test uses fixed seeds, so it is deterministic and cannot flake; but every tolerance is
//! an honest statistical bound (4 standard errors, or the 0.1% Kolmogorov-Smirnov critical
//! value), which a correct sampler passes for all but a tiny fraction of seeds. A failure is a
//! sampler bug, not bad luck: never widen a bound to make it pass.

mod common;

use common::build::Scenario;
use common::load::model_from as load;
use roadmap::model::Model;
use roadmap::sample::special::{beta_cdf, ln_beta, normal_cdf, normal_quantile_exact};
use roadmap::sample::{Draws, Method, Sampler};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A scenario with one team `web` and the given tables after it.
fn scenario_with(body: &str) -> Model {
    let text = Scenario::plan("periods = 4")
        .team("web", "capacity = 40")
        .raw(body);
    load(text.text())
}

/// PERT (low, likely, high) of a skewed shape, the two edge shapes (likely = low: Beta(1, 5);
/// likely = high: Beta(5, 1)) and a long right tail.
const PERT_SHAPES: [(f64, f64, f64); 4] = [
    (2.0, 5.0, 12.0),
    (1.0, 1.0, 4.0),
    (3.0, 8.0, 8.0),
    (10.0, 11.0, 30.0),
];

/// A feature `f0`, `f1`, ... for each PERT shape (low, likely, high) of its effort on `web`,
/// then the tables in `more`; with the names of those efforts, in order.
fn pert_efforts(shapes: &[(f64, f64, f64)], more: &str) -> (Model, Vec<String>) {
    let mut body: String = shapes
        .iter()
        .enumerate()
        .map(|(k, (l, m, h))| {
            format!(
                "[[features]]\nid = \"f{k}\"\neffort = {{ web = [{l}, {m}, {h}] }}\nvalue = 1\n\n"
            )
        })
        .collect();
    body.push_str(more);
    let names = (0..shapes.len())
        .map(|k| format!("features[f{k}].effort.web"))
        .collect();
    (scenario_with(&body), names)
}

fn index(model: &Model, name: &str) -> usize {
    model
        .inputs
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = model.inputs.iter().map(|i| i.name.as_str()).collect();
            panic!("no input {name}; inputs are {names:?}")
        })
}

/// Draws trials 0..n and returns one column per named input.
fn columns(model: &Model, seed: u64, method: Method, n: u64, names: &[&str]) -> Vec<Vec<f64>> {
    let sampler = Sampler::new(model, seed, method, n, &[]);
    let ids: Vec<usize> = names.iter().map(|name| index(model, name)).collect();
    let mut out = vec![Vec::with_capacity(n as usize); ids.len()];
    let mut draws = sampler.buffers();
    for t in 0..n {
        sampler.draw(t, &mut draws);
        for (column, &i) in out.iter_mut().zip(&ids) {
            column.push(draws.values[i]);
        }
    }
    out
}

fn column(model: &Model, seed: u64, method: Method, n: u64, name: &str) -> Vec<f64> {
    columns(model, seed, method, n, &[name]).remove(0)
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Unbiased sample variance (two passes).
fn variance(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
}

/// Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)| of a sample against a continuous CDF.
fn ks_statistic(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// The 0.1% critical value of D for a large sample: sqrt(-ln(0.0005) / 2) / sqrt(n) = 1.95 / sqrt(n).
fn ks_critical(n: usize) -> f64 {
    1.95 / (n as f64).sqrt()
}

/// Ranks 1..n; tied values (which continuous draws should not produce, but could in the last
/// bit) get the mean of their ranks, so the result is Spearman's rho in every case.
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mid_rank;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation.
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman's rank correlation: the Pearson correlation of the ranks.
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// Beta shape of PERT [low, likely, high] (weight 4 on likely), written out independently of
/// the sampler's pert_shape.
fn pert_beta(low: f64, likely: f64, high: f64) -> (f64, f64) {
    let r = (likely - low) / (high - low);
    (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r))
}

fn pert_cdf(low: f64, likely: f64, high: f64) -> impl Fn(f64) -> f64 {
    let (a, b) = pert_beta(low, likely, high);
    let lb = ln_beta(a, b);
    move |x| beta_cdf(a, b, lb, (x - low) / (high - low))
}

fn triangular_cdf(low: f64, likely: f64, high: f64) -> impl Fn(f64) -> f64 {
    move |x| {
        if x <= low {
            0.0
        } else if x >= high {
            1.0
        } else if x <= likely {
            (x - low).powi(2) / ((high - low) * (likely - low))
        } else {
            1.0 - (high - x).powi(2) / ((high - low) * (high - likely))
        }
    }
}

/// z with Phi(z) = 0.9, to full precision (independent of the crate's Z90 constant).
fn z90() -> f64 {
    normal_quantile_exact(0.9)
}

/// (mu, sigma) of ln X for a lognormal given by its 10th and 90th percentiles.
fn lognormal_from_percentiles(p10: f64, p90: f64) -> (f64, f64) {
    (
        (p10.ln() + p90.ln()) / 2.0,
        (p90.ln() - p10.ln()) / (2.0 * z90()),
    )
}

/// (mu, sigma) of ln X for a lognormal given by the mean and sd of X.
fn lognormal_from_moments(m: f64, sd: f64) -> (f64, f64) {
    let s2 = (1.0 + (sd / m).powi(2)).ln();
    (m.ln() - s2 / 2.0, s2.sqrt())
}

// ---------------------------------------------------------------------------------------------
// 1. PERT moments

/// Sample mean and variance of PERT draws against the closed forms, for a skewed shape, the two
/// edge shapes (likely = low: Beta(1, 5); likely = high: Beta(5, 1)) and a long right tail.
///
/// Tolerances: the mean within 4 SE, SE = sigma / sqrt(n), plus the tabulated inverse CDF's
/// stated worst error (1e-6 of the range, a bias no sample size averages away). The variance
/// within 4 SE of s^2: for n i.i.d. draws Var(s^2) = (mu4 - sigma^4) / n + O(1/n^2), with mu4
/// the exact central fourth moment of Beta(a, b) from its excess kurtosis
/// 6 [(a - b)^2 (a + b + 1) - a b (a + b + 2)] / [a b (a + b + 2) (a + b + 3)]; s^2 is close to
/// normal at n = 200,000 for a bounded variable. The table's bias adds at most
/// 2 * 1e-6 * range * E|X - mu| <= 2e-6 range^2 to the variance, also allowed.
#[test]
fn pert_mean_and_variance_match_the_closed_forms() {
    let shapes = PERT_SHAPES;
    let (model, names) = pert_efforts(&shapes, "");
    let n = 200_000;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let cols = columns(&model, 20_240_601, Method::MonteCarlo, n, &names);
    for (&(low, likely, high), xs) in shapes.iter().zip(&cols) {
        let range = high - low;
        let (a, b) = pert_beta(low, likely, high);
        let mu = (low + 4.0 * likely + high) / 6.0;
        let var = (mu - low) * (high - mu) / 7.0;
        // The same variance from the Beta shape: a b / ((a + b)^2 (a + b + 1)) range^2.
        let beta_var = a * b / ((a + b).powi(2) * (a + b + 1.0)) * range * range;
        assert!((var - beta_var).abs() < 1e-12 * range * range);
        let excess = 6.0 * ((a - b).powi(2) * (a + b + 1.0) - a * b * (a + b + 2.0))
            / (a * b * (a + b + 2.0) * (a + b + 3.0));
        let mu4 = (3.0 + excess) * var * var;

        let (m, s2) = (mean(xs), variance(xs));
        let se_mean = (var / n as f64).sqrt();
        let se_var = ((mu4 - var * var) / n as f64).sqrt();
        let tol_mean = 4.0 * se_mean + 1e-6 * range;
        let tol_var = 4.0 * se_var + 2e-6 * range * range;
        eprintln!(
            "PERT [{low}, {likely}, {high}]: mean {m:.5} vs {mu:.5} (|d| = {:.2} SE), \
             variance {s2:.5} vs {var:.5} (|d| = {:.2} SE)",
            (m - mu).abs() / se_mean,
            (s2 - var).abs() / se_var
        );
        assert!(
            (m - mu).abs() < tol_mean,
            "PERT [{low}, {likely}, {high}]: mean {m} vs {mu}, tolerance {tol_mean}"
        );
        assert!(
            (s2 - var).abs() < tol_var,
            "PERT [{low}, {likely}, {high}]: variance {s2} vs {var}, tolerance {tol_var}"
        );
        assert!(xs.iter().all(|&x| (low..=high).contains(&x)));
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Lognormal percentiles and means

/// Lognormals given by p10/p90 and by mean/sd: the share of draws below the stated (or implied)
/// p10 and p90, and the sample mean.
///
/// Tolerances: the count below a true quantile q is Binomial(n, q), so its share is within
/// 4 SE = 4 sqrt(q (1 - q) / n) of q. The mean within 4 SE = 4 sd / sqrt(n), sd the lognormal's
/// exact standard deviation; with sigma around 0.3 the skew of the mean of 200,000 draws is
/// negligible, so the normal bound holds.
#[test]
fn lognormal_percentiles_and_means_are_as_stated() {
    // The two lognormal segments of the KS scenario; an input's draws depend on its name
    // only, so the features there change nothing here.
    let model = scenario_with(KS_BODY);
    let n = 200_000;
    let cols = columns(
        &model,
        77,
        Method::MonteCarlo,
        n,
        &["segments[smb].demand", "segments[mid].demand"],
    );
    let by_percentiles = lognormal_from_percentiles(300.0, 700.0);
    let by_moments = lognormal_from_moments(500.0, 150.0);
    for ((mu, sigma), xs, label) in [
        (by_percentiles, &cols[0], "p10 = 300, p90 = 700"),
        (by_moments, &cols[1], "mean = 500, sd = 150"),
    ] {
        let (p10, p90) = ((mu - z90() * sigma).exp(), (mu + z90() * sigma).exp());
        let expected_mean = (mu + sigma * sigma / 2.0).exp();
        let expected_sd = expected_mean * ((sigma * sigma).exp() - 1.0).sqrt();
        for (q, x) in [(0.1, p10), (0.9, p90)] {
            let share = xs.iter().filter(|&&v| v < x).count() as f64 / n as f64;
            let se = (q * (1.0 - q) / n as f64).sqrt();
            eprintln!(
                "lognormal {label}: share below {x:.3} = {share:.5} vs {q} (|d| = {:.2} SE)",
                (share - q).abs() / se
            );
            assert!(
                (share - q).abs() < 4.0 * se,
                "lognormal {label}: {share} of draws below its {q} quantile {x}"
            );
        }
        let m = mean(xs);
        let se = expected_sd / (n as f64).sqrt();
        eprintln!(
            "lognormal {label}: mean {m:.3} vs {expected_mean:.3} (|d| = {:.2} SE)",
            (m - expected_mean).abs() / se
        );
        assert!(
            (m - expected_mean).abs() < 4.0 * se,
            "lognormal {label}: mean {m} vs {expected_mean}, SE {se}"
        );
        assert!(xs.iter().all(|&v| v > 0.0));
    }
    // The stated figures themselves: p10/p90 as given, the mean as given.
    let (mu, sigma) = by_percentiles;
    assert!(((mu - z90() * sigma).exp() - 300.0).abs() < 1e-9);
    assert!(((mu + z90() * sigma).exp() - 700.0).abs() < 1e-9);
    let (mu, sigma) = by_moments;
    assert!(((mu + sigma * sigma / 2.0).exp() - 500.0).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------------
// 3. Discrete frequencies

/// A discrete input takes only its values, each with its probability.
///
/// Tolerance: under Monte Carlo each count is Binomial(n, p): within 4 SE = 4 sqrt(p (1 - p) / n)
/// of p. Under Latin hypercube the uniforms fill the n strata of (0, 1) exactly once, so a
/// value's count differs from p n only by the strata straddling the two ends of its interval of
/// cumulative probability: at most 2 draws, an exact bound.
#[test]
fn discrete_frequencies_match_the_probabilities() {
    let model = scenario_with(
        r#"
[[features]]
id = "a"
effort = { web = 3 }
value = { discrete = { values = [0, 10, 25], probabilities = [0.5, 0.3, 0.2] } }
"#,
    );
    let values = [0.0, 10.0, 25.0];
    let probabilities = [0.5, 0.3, 0.2];
    let n = 200_000;
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let xs = column(&model, 5, method, n, "features[a].value");
        let mut counts = [0usize; 3];
        for x in &xs {
            let k = values
                .iter()
                .position(|v| v == x)
                .unwrap_or_else(|| panic!("{x} is not one of the values"));
            counts[k] += 1;
        }
        for ((v, p), count) in values.iter().zip(probabilities).zip(counts) {
            let share = count as f64 / n as f64;
            let se = (p * (1.0 - p) / n as f64).sqrt();
            eprintln!(
                "discrete {method:?}: value {v}: {share:.5} vs {p} (|d| = {:.2} SE, {} draws)",
                (share - p).abs() / se,
                (count as f64 - p * n as f64).abs()
            );
            match method {
                Method::MonteCarlo => assert!(
                    (share - p).abs() < 4.0 * se,
                    "value {v}: frequency {share} vs probability {p}, SE {se}"
                ),
                Method::LatinHypercube => assert!(
                    (count as f64 - p * n as f64).abs() <= 2.0,
                    "value {v}: {count} draws of {n} under Latin hypercube, probability {p}"
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Kolmogorov-Smirnov for every continuous kind

const KS_BODY: &str = r#"
[[segments]]
id = "smb"
demand = { lognormal = { p10 = 300, p90 = 700 } }
price = 49

[[segments]]
id = "mid"
demand = { lognormal = { mean = 500, sd = 150 } }
price = 99

[[features]]
id = "p1"
effort = { web = [2, 5, 12] }

[[features]]
id = "p2"
effort = { web = [1, 1, 4] }

[[features]]
id = "p3"
effort = { web = [3, 8, 8] }

[[features]]
id = "p4"
effort = { web = [10, 11, 30] }

[[features]]
id = "t1"
effort = { web = { triangular = [3, 5, 9] } }

[[features]]
id = "t2"
effort = { web = { triangular = [2, 2, 6] } }

[[features]]
id = "t3"
effort = { web = { triangular = [2, 6, 6] } }

[[features]]
id = "u"
effort = { web = { uniform = [2, 5] } }

[[features]]
id = "n"
effort = { web = { normal = { mean = 10, sd = 2 } } }
"#;

/// A continuous distribution function.
type Cdf = Box<dyn Fn(f64) -> f64>;

/// (input, exact CDF written from the scenario's stated parameters) for every continuous kind.
fn ks_cases() -> Vec<(&'static str, Cdf)> {
    let lognormal_cdf = |(mu, sigma): (f64, f64)| {
        move |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                normal_cdf((x.ln() - mu) / sigma)
            }
        }
    };
    vec![
        (
            "features[p1].effort.web",
            Box::new(pert_cdf(2.0, 5.0, 12.0)),
        ),
        ("features[p2].effort.web", Box::new(pert_cdf(1.0, 1.0, 4.0))),
        ("features[p3].effort.web", Box::new(pert_cdf(3.0, 8.0, 8.0))),
        (
            "features[p4].effort.web",
            Box::new(pert_cdf(10.0, 11.0, 30.0)),
        ),
        (
            "features[t1].effort.web",
            Box::new(triangular_cdf(3.0, 5.0, 9.0)),
        ),
        (
            "features[t2].effort.web",
            Box::new(triangular_cdf(2.0, 2.0, 6.0)),
        ),
        (
            "features[t3].effort.web",
            Box::new(triangular_cdf(2.0, 6.0, 6.0)),
        ),
        (
            "features[u].effort.web",
            Box::new(|x: f64| ((x - 2.0) / 3.0).clamp(0.0, 1.0)),
        ),
        (
            "features[n].effort.web",
            Box::new(|x: f64| normal_cdf((x - 10.0) / 2.0)),
        ),
        (
            "segments[smb].demand",
            Box::new(lognormal_cdf(lognormal_from_percentiles(300.0, 700.0))),
        ),
        (
            "segments[mid].demand",
            Box::new(lognormal_cdf(lognormal_from_moments(500.0, 150.0))),
        ),
    ]
}

/// Every continuous kind (PERT of four shapes, edge shapes included; triangular, edges
/// included; uniform; normal; lognormal both ways) against its exact CDF, under plain Monte
/// Carlo and under Latin hypercube.
///
/// Tolerance: D below 1.95 / sqrt(n), the asymptotic 0.1% critical value of the KS test; the
/// sampler's own deterministic errors (PERT table 1e-6 of the range, i.e. below 5e-6 in
/// probability for a density of at most 5 per range; normal quantile 1.2e-9 relative) are three
/// orders below it. Latin hypercube draws should sit far below the bound (D about 1 / n).
#[test]
fn every_continuous_kind_passes_kolmogorov_smirnov() {
    let model = scenario_with(KS_BODY);
    let n = 100_000u64;
    let critical = ks_critical(n as usize);
    let cases = ks_cases();
    let names: Vec<&str> = cases.iter().map(|(name, _)| *name).collect();
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let cols = columns(&model, 9, method, n, &names);
        for ((name, cdf), xs) in cases.iter().zip(cols) {
            let d = ks_statistic(xs, cdf);
            eprintln!("KS {method:?} {name}: D = {d:.5} vs critical {critical:.5}");
            assert!(
                d < critical,
                "{method:?} {name}: KS D = {d} above the 0.1% critical value {critical}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Latin hypercube stratification

/// With n trials, a uniform [0, 1] input (whose value is its uniform) has exactly one draw in
/// every stratum [k/n, (k+1)/n). Exact: no tolerance. Also for a second input, whose strata
/// come from its own permutation, and for the uniform of an extra variate.
#[test]
fn latin_hypercube_puts_one_draw_in_every_stratum() {
    let model = scenario_with(
        r#"
[[features]]
id = "a"
effort = { web = { uniform = [0, 1] } }

[[features]]
id = "b"
effort = { web = { uniform = [0, 1] } }
"#,
    );
    let n = 10_000u64;
    let a = index(&model, "features[a].effort.web");
    let b = index(&model, "features[b].effort.web");
    let sampler = Sampler::new(&model, 3, Method::LatinHypercube, n, &["risk".to_string()]);
    let mut draws = sampler.buffers();
    let mut hits = vec![[0u32; 3]; n as usize];
    let mut same_stratum = 0;
    for t in 0..n {
        sampler.draw(t, &mut draws);
        let strata = [draws.values[a], draws.values[b], draws.extra[0]].map(|u| {
            assert!(u > 0.0 && u < 1.0, "uniform {u} outside (0, 1)");
            (u * n as f64).floor() as usize
        });
        for (slot, s) in strata.iter().enumerate() {
            hits[*s][slot] += 1;
        }
        same_stratum += usize::from(strata[0] == strata[1]);
    }
    for (k, h) in hits.iter().enumerate() {
        assert_eq!(*h, [1, 1, 1], "stratum {k} of {n}: draws per variate {h:?}");
    }
    // Independent permutations: the two inputs share a stratum in about one trial, not all.
    assert!(
        same_stratum < 10,
        "{same_stratum} trials with a and b in the same stratum"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Rank correlations

/// Tolerance for the achieved Spearman correlations: 0.02 at 100,000 samples. The Gaussian
/// copula with Pearson 2 sin(pi rho / 6) has population Spearman exactly rho; the sample
/// Spearman's SE is about 1 / sqrt(n) = 0.0032 at rho = 0 and smaller as |rho| grows (for
/// normal scores), so 0.02 is more than 6 SE: a miss is a sampler bug, not chance.
const RHO_TOLERANCE: f64 = 0.02;

fn check_rho(label: &str, x: &[f64], y: &[f64], target: f64) -> f64 {
    let achieved = spearman(x, y);
    eprintln!(
        "{label}: Spearman {achieved:.4} vs {target} (|d| = {:.4})",
        (achieved - target).abs()
    );
    assert!(
        (achieved - target).abs() < RHO_TOLERANCE,
        "{label}: achieved Spearman {achieved}, requested {target}"
    );
    achieved
}

/// (a) One pair, a lognormal demand and a PERT effort, rho = 0.5; the marginals stay exact (KS
/// as in test 4, both inputs, Monte Carlo and Latin hypercube).
#[test]
fn a_correlated_pair_achieves_its_rank_correlation() {
    let model = scenario_with(
        r#"
[[segments]]
id = "smb"
demand = { lognormal = { p10 = 300, p90 = 700 } }
price = 49

[[features]]
id = "a"
effort = { web = [2, 5, 12] }
uplift = { smb = 0.02 }

[[correlations]]
inputs = ["segments[smb].demand", "features[a].effort.web"]
rho = 0.5
"#,
    );
    let n = 100_000u64;
    let critical = ks_critical(n as usize);
    let (mu, sigma) = lognormal_from_percentiles(300.0, 700.0);
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let cols = columns(
            &model,
            101,
            method,
            n,
            &["segments[smb].demand", "features[a].effort.web"],
        );
        check_rho(&format!("pair {method:?}"), &cols[0], &cols[1], 0.5);
        let d = ks_statistic(cols[0].clone(), |x| normal_cdf((x.ln() - mu) / sigma));
        eprintln!("KS correlated lognormal {method:?}: D = {d:.5} vs {critical:.5}");
        assert!(d < critical, "correlated lognormal {method:?}: D = {d}");
        let d = ks_statistic(cols[1].clone(), pert_cdf(2.0, 5.0, 12.0));
        eprintln!("KS correlated PERT {method:?}: D = {d:.5} vs {critical:.5}");
        assert!(d < critical, "correlated PERT {method:?}: D = {d}");
    }
}

/// (b) A `*` pattern over five PERT efforts with rho = 0.3: every one of the 10 pairs (the
/// common-factor path). KS on two of the correlated PERTs (0.1% critical value).
#[test]
fn a_star_pattern_correlates_every_pair() {
    let mut shapes = PERT_SHAPES.to_vec();
    shapes.push((4.0, 6.0, 9.0));
    let (model, names) = pert_efforts(
        &shapes,
        "[[correlations]]\ninputs = [\"features[*].effort.web\"]\nrho = 0.3\n",
    );
    assert_eq!(model.correlations.len(), 10, "{:?}", model.correlations);
    let n = 100_000u64;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let cols = columns(&model, 202, Method::MonteCarlo, n, &names);
    for i in 0..cols.len() {
        for j in i + 1..cols.len() {
            check_rho(&format!("f{i}~f{j}"), &cols[i], &cols[j], 0.3);
        }
    }
    let critical = ks_critical(n as usize);
    for k in [0, 3] {
        let (l, m, h) = shapes[k];
        let d = ks_statistic(cols[k].clone(), pert_cdf(l, m, h));
        eprintln!("KS correlated PERT f{k}: D = {d:.5} vs {critical:.5}");
        assert!(d < critical, "correlated PERT f{k}: D = {d}");
    }
}

/// (c) A dense matrix with different rhos on three inputs (A~B 0.6, B~C 0.4, A~C 0.2), and a
/// negative pair (-0.5) in a group of its own; KS on the correlated PERT and triangular.
#[test]
fn a_dense_matrix_achieves_each_of_its_rank_correlations() {
    let model = scenario_with(
        r#"
[[segments]]
id = "a"
demand = { lognormal = { mean = 500, sd = 150 } }
price = 10

[[segments]]
id = "b"
demand = [100, 200, 500]
price = 10

[[segments]]
id = "c"
demand = { triangular = [10, 20, 60] }
price = 10

[[features]]
id = "x"
effort = { web = [2, 3, 8] }
value = { uniform = [1000, 3000] }
cost = { normal = { mean = 50000, sd = 5000 } }

[[correlations]]
inputs = ["segments[a].demand", "segments[b].demand"]
rho = 0.6

[[correlations]]
inputs = ["segments[b].demand", "segments[c].demand"]
rho = 0.4

[[correlations]]
inputs = ["segments[a].demand", "segments[c].demand"]
rho = 0.2

[[correlations]]
inputs = ["features[x].value", "features[x].cost"]
rho = -0.5
"#,
    );
    let n = 100_000u64;
    let cols = columns(
        &model,
        303,
        Method::MonteCarlo,
        n,
        &[
            "segments[a].demand",
            "segments[b].demand",
            "segments[c].demand",
            "features[x].value",
            "features[x].cost",
        ],
    );
    check_rho("A~B", &cols[0], &cols[1], 0.6);
    check_rho("B~C", &cols[1], &cols[2], 0.4);
    check_rho("A~C", &cols[0], &cols[2], 0.2);
    check_rho("value~cost", &cols[3], &cols[4], -0.5);
    let critical = ks_critical(n as usize);
    let d = ks_statistic(cols[1].clone(), pert_cdf(100.0, 200.0, 500.0));
    eprintln!("KS dense-group PERT: D = {d:.5} vs {critical:.5}");
    assert!(d < critical, "dense-group PERT: D = {d}");
    let d = ks_statistic(cols[2].clone(), triangular_cdf(10.0, 20.0, 60.0));
    eprintln!("KS dense-group triangular: D = {d:.5} vs {critical:.5}");
    assert!(d < critical, "dense-group triangular: D = {d}");
    let d = ks_statistic(cols[3].clone(), |x| ((x - 1000.0) / 2000.0).clamp(0.0, 1.0));
    eprintln!("KS negatively correlated uniform: D = {d:.5} vs {critical:.5}");
    assert!(d < critical, "negatively correlated uniform: D = {d}");
}

// ---------------------------------------------------------------------------------------------
// 7. Independence where none is asked

/// Inputs no correlation links are independent: similar names (same feature, other team; same
/// team, other feature), different kinds, an input against an extra variate, and inputs of
/// different correlation groups or outside any group.
///
/// Tolerance: under independence Spearman's rho has mean 0 and variance 1 / (n - 1), so
/// 4 / sqrt(n) is 4 SE.
#[test]
fn uncorrelated_inputs_are_independent() {
    let model = load(
        r#"
[plan]
periods = 4

[[teams]]
id = "web"
capacity = 40

[[teams]]
id = "api"
capacity = 40

[[segments]]
id = "smb"
demand = { lognormal = { p10 = 300, p90 = 700 } }
price = 49

[[segments]]
id = "mid"
demand = [100, 200, 500]
price = 99

[[features]]
id = "a"
effort = { web = [2, 5, 12], api = [2, 5, 12] }
value = { uniform = [0, 1] }

[[features]]
id = "b"
effort = { web = [2, 5, 12], api = { triangular = [1, 2, 6] } }
value = { normal = { mean = 10, sd = 2 } }

[[correlations]]
inputs = ["features[a].effort.api", "features[b].effort.api"]
rho = 0.7

[[correlations]]
inputs = ["segments[smb].demand", "segments[mid].demand"]
rho = -0.4
"#,
    );
    let n = 100_000u64;
    let names = [
        "features[a].effort.web",
        "features[b].effort.web",
        "features[a].effort.api",
        "features[b].effort.api",
        "features[a].value",
        "features[b].value",
        "segments[smb].demand",
        "segments[mid].demand",
    ];
    let pairs = [
        (0, 1), // same team, other feature
        (0, 2), // same feature, other team (one grouped)
        (0, 4), // same feature, other field
        (4, 5), // uniform vs normal
        (1, 3), // ungrouped vs grouped
        (2, 6), // two different groups
        (3, 7), // two different groups
        (5, 6), // ungrouped vs grouped lognormal
    ];
    let bound = 4.0 / (n as f64).sqrt();
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let sampler = Sampler::new(&model, 404, method, n, &["extra".to_string()]);
        let ids: Vec<usize> = names.iter().map(|name| index(&model, name)).collect();
        let mut cols = vec![Vec::with_capacity(n as usize); ids.len() + 1];
        let mut draws = sampler.buffers();
        for t in 0..n {
            sampler.draw(t, &mut draws);
            for (c, &i) in cols.iter_mut().zip(&ids) {
                c.push(draws.values[i]);
            }
            cols[ids.len()].push(draws.extra[0]);
        }
        let extra = ids.len();
        for (i, j) in pairs.into_iter().chain([(0, extra), (6, extra)]) {
            let s = spearman(&cols[i], &cols[j]);
            let (x, y) = (
                names.get(i).unwrap_or(&"extra"),
                names.get(j).unwrap_or(&"extra"),
            );
            eprintln!(
                "independence {method:?} {x} ~ {y}: |Spearman| {:.5} vs {bound:.5}",
                s.abs()
            );
            assert!(
                s.abs() < bound,
                "{method:?}: {x} and {y} are not independent: Spearman {s}, bound {bound}"
            );
        }
        // The groups themselves are in place (so the pairs above do cross groups).
        check_rho(&format!("api efforts {method:?}"), &cols[2], &cols[3], 0.7);
        check_rho(&format!("demands {method:?}"), &cols[6], &cols[7], -0.4);
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Common random numbers by name

/// An input keeps its draws, for the same seed and trial, in another scenario where other
/// inputs come before it (a feature added ahead of it, a segment, another team's effort), so
/// what-if variants are compared on the same random numbers. A different seed changes them.
/// Exact equality: draws are a pure function of (seed, name, trial).
#[test]
fn an_input_keeps_its_draws_across_scenarios_by_name() {
    let base = r#"
[[features]]
id = "a"
effort = { web = [2, 5, 12] }
value = { lognormal = { p10 = 1000, p90 = 4000 } }
"#;
    let small = scenario_with(base);
    let large = load(&format!(
        r#"
[plan]
periods = 6

[[teams]]
id = "api"
capacity = 10

[[teams]]
id = "web"
capacity = 40

[[segments]]
id = "smb"
demand = {{ lognormal = {{ p10 = 300, p90 = 700 }} }}
price = 49

[[features]]
id = "zz"
effort = {{ web = [1, 2, 3], api = {{ uniform = [1, 4] }} }}
uplift = {{ smb = [0.01, 0.02, 0.05] }}
{base}
"#
    ));
    let names = ["features[a].effort.web", "features[a].value"];
    assert_ne!(
        index(&small, names[0]),
        index(&large, names[0]),
        "the input should move to another index"
    );
    let n = 2_000u64;
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let in_small = columns(&small, 42, method, n, &names);
        let in_large = columns(&large, 42, method, n, &names);
        let other_seed = columns(&small, 43, method, n, &names);
        for k in 0..names.len() {
            assert_eq!(
                in_small[k], in_large[k],
                "{method:?} {}: draws differ between scenarios",
                names[k]
            );
            let equal = in_small[k]
                .iter()
                .zip(&other_seed[k])
                .filter(|(x, y)| x == y)
                .count();
            assert_eq!(
                equal, 0,
                "{method:?} {}: {equal} of {n} draws unchanged by another seed",
                names[k]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Reproducibility

/// A trial's draws depend on its index only, not on the order trials are drawn in, nor on
/// which buffer or sampler instance draws them: forward, reverse and strided orders give
/// bit-identical values, for independent inputs, both correlation paths (common factor and
/// dense), extra variates, under Monte Carlo and Latin hypercube. Exact: no tolerance.
#[test]
fn draws_do_not_depend_on_the_order_of_trials() {
    let model = scenario_with(
        r#"
[[segments]]
id = "smb"
demand = { lognormal = { p10 = 300, p90 = 700 } }
price = 49

[[segments]]
id = "mid"
demand = [100, 200, 500]
price = 99

[[features]]
id = "a"
effort = { web = [2, 5, 12] }
value = { discrete = { values = [0, 10, 25], probabilities = [0.5, 0.3, 0.2] } }

[[features]]
id = "b"
effort = { web = { triangular = [1, 2, 6] } }
value = { normal = { mean = 10, sd = 2 } }

[[features]]
id = "c"
effort = { web = [3, 4, 9] }
cost = { uniform = [100, 200] }

[[correlations]]
inputs = ["features[*].effort.web"]
rho = 0.4

[[correlations]]
inputs = ["segments[smb].demand", "segments[mid].demand"]
rho = -0.3
"#,
    );
    let n = 5_000u64;
    let extra = ["risk one".to_string(), "risk two".to_string()];
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let record = |order: &mut dyn Iterator<Item = u64>| {
            let sampler = Sampler::new(&model, 7, method, n, &extra);
            let mut draws: Draws = sampler.buffers();
            let mut out = vec![Vec::new(); n as usize];
            for t in order {
                sampler.draw(t, &mut draws);
                out[t as usize] = draws.values.iter().chain(&draws.extra).copied().collect();
            }
            out
        };
        let forward = record(&mut (0..n));
        let reverse = record(&mut (0..n).rev());
        // 7919 is prime, so t -> 7919 t mod n visits every trial once, in a scattered order.
        let strided = record(&mut (0..n).map(|t| t * 7919 % n));
        for t in 0..n as usize {
            assert_eq!(
                forward[t], reverse[t],
                "{method:?} trial {t}: reverse order"
            );
            assert_eq!(
                forward[t], strided[t],
                "{method:?} trial {t}: strided order"
            );
        }
        assert!(forward.iter().all(|row| row.iter().all(|v| v.is_finite())));
        // Consecutive trials are not all alike (the test would be vacuous otherwise).
        assert_ne!(forward[0], forward[1]);
    }
}
