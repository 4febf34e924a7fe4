//! A trial allocates nothing: every buffer it touches is made once per thread (Scratch), so the
//! hot loop's cost does not depend on the allocator. Pinned with a counting allocator.

mod common;

use roadmap::sample::Method;
use roadmap::simulate::{Engine, Schedule};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_trial_allocates_nothing() {
    for (file, method) in [
        ("scenarios/saas-annual-plan.toml", Method::MonteCarlo),
        ("scenarios/hardware-device.toml", Method::LatinHypercube),
        ("scenarios/mobile-launch.toml", Method::MonteCarlo),
        ("scenarios/fleet-tracking.toml", Method::MonteCarlo),
    ] {
        let model = common::load::model_file(file);
        let order = roadmap::strategy::value_per_effort(&model)
            .normalised(&model)
            .0;
        let engine = Engine::new(&model, &Schedule::Order(order), 1, method, 5_000);
        let mut scratch = engine.scratch(model.features.len());
        engine.run_trial(0, &mut scratch);
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let mut npv = 0.0;
        for trial in 1..5_000 {
            npv += engine.run_trial(trial, &mut scratch).npv;
        }
        let after = ALLOCATIONS.load(Ordering::Relaxed);
        assert_eq!(after - before, 0, "{file}: allocations in 4,999 trials");
        assert!(npv.is_finite());
    }
}
