//! What the benchmarks without a harness share: which cases a run picks, and HiGHS on its own.

pub mod textbook;

/// Whether cargo runs the benchmark for real (`cargo bench` passes `--bench`; without it, as
/// `cargo test --benches` runs it, a benchmark does a quick smoke run), and the filters that pick
/// its cases: the arguments that are not flags, then the environment variable `only_var`, each a
/// comma-separated list; blank filters are dropped.
pub fn filters(only_var: &str) -> (bool, Vec<String>) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benching = args.iter().any(|a| a == "--bench");
    let mut filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .flat_map(|a| a.split(','))
        .map(str::to_string)
        .collect();
    if let Ok(only) = std::env::var(only_var) {
        filters.extend(only.split(',').map(str::to_string));
    }
    filters.retain(|f| !f.trim().is_empty());
    (benching, filters)
}
