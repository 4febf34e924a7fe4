//! The NRP solved by HiGHS without roadmap's model in between: the textbook integer program
//! (Bagnall et al. 2001) built with good_lp, and roadmap's own exported LP file read by HiGHS
//! itself. The NRP benchmark times both beside `roadmap optimize`; the NRP reference test
//! checks roadmap's optima against the first.

// Each includer uses its part: the reference test only the textbook model.
#![allow(dead_code)]

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, Solution, SolverModel, Variable};
use roadmap::scenario::nrp::NrpInstance;
use std::ffi::CString;
use std::path::Path;
use std::time::Instant;

/// The textbook model at `budget`, solved to a proven optimum on `threads` threads: binaries
/// y_c for customers and x_r for requirements, y_c <= x_r for each requested r, x_b <= x_a for
/// each pair (a, b), sum cost_r x_r <= budget, maximise sum w_c y_c. Returns the optimum and
/// the wall seconds of building and solving it.
pub fn textbook_optimum(instance: &NrpInstance, budget: u64, threads: u32) -> (f64, f64) {
    textbook_optimum_seeded(instance, budget, threads, 0)
}

/// [`textbook_optimum`] with HiGHS's `random_seed` set: the same model searched along another
/// path, to measure how much of a time is the path rather than the model.
pub fn textbook_optimum_seeded(
    instance: &NrpInstance,
    budget: u64,
    threads: u32,
    seed: i32,
) -> (f64, f64) {
    let clock = Instant::now();
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = instance
        .costs
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let y: Vec<Variable> = instance
        .customers
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let mut profit = Expression::with_capacity(y.len());
    for (c, customer) in instance.customers.iter().enumerate() {
        profit.add_mul(customer.profit as f64, y[c]);
    }
    let mut problem = vars
        .maximise(profit.clone())
        .using(highs)
        .set_option("mip_rel_gap", 0.0)
        .set_option("threads", threads as i32)
        .set_option("random_seed", seed);
    for (c, customer) in instance.customers.iter().enumerate() {
        for &r in &customer.requests {
            problem.add_constraint((y[c] - x[r]).leq(0.0));
        }
    }
    for &(a, b) in &instance.dependencies {
        problem.add_constraint((x[b] - x[a]).leq(0.0));
    }
    let mut cost = Expression::with_capacity(x.len());
    for (r, &c) in instance.costs.iter().enumerate() {
        cost.add_mul(c as f64, x[r]);
    }
    problem.add_constraint(cost.leq(budget as f64));
    let solution = problem.solve().expect("the textbook NRP model solves");
    (solution.eval(&profit), clock.elapsed().as_secs_f64())
}

/// An LP file (roadmap's `--export-lp`) read and solved by HiGHS itself, through its C API, to a
/// proven optimum on `threads` threads. Returns the objective (in the file's sense) and the wall
/// seconds of reading and solving it.
pub fn lp_file_optimum(path: &Path, threads: i32) -> (f64, f64) {
    lp_file_optimum_seeded(path, threads, 0)
}

/// [`lp_file_optimum`] with HiGHS's `random_seed` set.
pub fn lp_file_optimum_seeded(path: &Path, threads: i32, seed: i32) -> (f64, f64) {
    use highs_sys::*;
    let name = |s: &str| CString::new(s).unwrap();
    let file = CString::new(path.to_str().expect("a UTF-8 path")).unwrap();
    let clock = Instant::now();
    // SAFETY: one HiGHS instance, created, used and destroyed here; every string passed is a
    // NUL-terminated CString that outlives the call.
    unsafe {
        let h = Highs_create();
        Highs_setBoolOptionValue(h, name("output_flag").as_ptr(), 0);
        Highs_setIntOptionValue(h, name("threads").as_ptr(), threads);
        Highs_setDoubleOptionValue(h, name("mip_rel_gap").as_ptr(), 0.0);
        Highs_setIntOptionValue(h, name("random_seed").as_ptr(), seed);
        assert_eq!(
            Highs_readModel(h, file.as_ptr()),
            0,
            "HiGHS reads {}",
            path.display()
        );
        let status = Highs_run(h);
        assert!(status >= 0, "HiGHS solves {}", path.display());
        let objective = Highs_getObjectiveValue(h);
        let seconds = clock.elapsed().as_secs_f64();
        Highs_destroy(h);
        (objective, seconds)
    }
}
