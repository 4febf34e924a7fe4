//! Scenario text to a model, the way `roadmap` reads a file, without writing the file.

use roadmap::model::Model;
use roadmap::scenario::generate::{self, GenerateSpec};
use roadmap::scenario::{self, Loaded, ScenarioError};
use std::path::Path;

/// Reads `text` as the scenario file `name`; a backlog or other file it names is read from
/// disk. The name shows in findings, so tests that check messages choose it.
pub fn try_load(name: &str, text: impl Into<String>) -> Result<Loaded, ScenarioError> {
    scenario::load_text(Path::new(name), text.into(), &|p| std::fs::read(p))
}

/// Reads `toml` as the scenario file `name`, with `csv` as the text of the backlog it names.
pub fn try_load_with_backlog(
    name: &str,
    toml: impl Into<String>,
    csv: impl Into<String>,
) -> Result<Loaded, ScenarioError> {
    let csv = csv.into();
    let read = move |_: &Path| -> std::io::Result<Vec<u8>> { Ok(csv.clone().into_bytes()) };
    scenario::load_text(Path::new(name), toml.into(), &read)
}

/// A scenario the test expects to be valid; otherwise the test fails with the findings and
/// the text.
pub fn loaded(name: &str, text: impl Into<String>) -> Loaded {
    let text = text.into();
    try_load(name, text.clone())
        .unwrap_or_else(|e| panic!("test scenario does not validate: {e:?}\n{text}"))
}

/// The model of valid scenario text.
pub fn model_from(text: &str) -> Model {
    loaded("t.toml", text).model
}

/// The model of a scenario file, named relative to the package root.
pub fn model_file(path: &str) -> Model {
    let path = super::cli::root().join(path);
    scenario::load(&path)
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        .model
}

/// The model of a generated scenario (generated scenarios always validate).
pub fn generated(spec: &GenerateSpec) -> Model {
    loaded("generated.toml", generate::generate(spec)).model
}

/// Errors and warnings as `roadmap validate` prints them, errors first; both empty lists
/// mean a clean scenario. A failure to read a file is a test failure.
pub fn findings(result: Result<Loaded, ScenarioError>) -> (Vec<String>, Vec<String>) {
    match result {
        Ok(loaded) => (
            Vec::new(),
            loaded.warnings.iter().map(|w| w.to_string()).collect(),
        ),
        Err(ScenarioError::Invalid { findings, .. }) => findings
            .iter()
            .map(|f| f.to_string())
            .partition(|f| f.starts_with("error")),
        Err(e) => panic!("{e}"),
    }
}

/// The NRP benchmark instances: in the repository (benches/data/nrp) unless ROADMAP_NRP_DIR
/// points elsewhere. A missing folder fails the test with the variable to set.
pub fn nrp_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("ROADMAP_NRP_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| super::cli::root().join("benches/data/nrp"));
    assert!(
        dir.join("classic-nrp/nrp1.txt").exists(),
        "NRP data not found at {}; set ROADMAP_NRP_DIR",
        dir.display()
    );
    dir
}
