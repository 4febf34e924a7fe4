//! Scenario files -> validated [`Model`]: TOML (and an optional backlog CSV) read with
//! spans, every problem collected with file, line, field and a fix.

pub mod backlog;
pub mod calibration;
pub mod correlation;
pub mod draft;
pub mod finding;
pub mod generate;
pub mod history;
pub mod nrp;
pub mod numbers;
pub mod overrides;
pub mod plan_file;
pub mod reader;
pub mod resolve;
pub mod source;
pub mod starter;
pub mod status;
pub mod toml_file;

pub use finding::{Finding, Findings, Location, Severity};

use crate::model::Model;
use source::SourceFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} has {} problem(s)", file, findings.iter().filter(|f| f.is_error()).count())]
    Invalid {
        file: String,
        findings: Vec<Finding>,
    },
}

/// A valid scenario and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub model: Model,
    pub warnings: Vec<Finding>,
    /// Files the scenario was read from (the TOML, then the backlog CSV if any).
    pub files: Vec<PathBuf>,
    /// Where items were written, by field path (`teams[web].capacity`, `features[sso]`, `plan`),
    /// so later checks can point at the line to change.
    pub locations: HashMap<String, Location>,
}

impl Loaded {
    pub fn location(&self, field: &str) -> Location {
        self.locations
            .get(field)
            .or_else(|| self.locations.get("plan"))
            .cloned()
            .unwrap_or_else(|| Location {
                file: self.files[0].display().to_string(),
                line: 0,
                column: 0,
            })
    }
}

/// Reads and validates a scenario file (and the backlog it names).
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let text = read_text(path)?;
    load_text(path, text, &|p| std::fs::read(p))
}

fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| ScenarioError::Invalid {
        file: path.display().to_string(),
        findings: vec![Finding::error(
            Location {
                file: path.display().to_string(),
                line: 0,
                column: 0,
            },
            "",
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the file as UTF-8")],
    })
}

/// Validates scenario text; `read_file` supplies referenced files (the backlog CSV), so
/// tests and the fuzzer can run without touching the disk.
pub fn load_text(
    path: &Path,
    text: String,
    read_file: &dyn Fn(&Path) -> std::io::Result<Vec<u8>>,
) -> Result<Loaded, ScenarioError> {
    let source = SourceFile::new(path, text);
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let mut reader = reader::Reader::new(&source);
    let mut draft = toml_file::read(&mut reader, base_dir);
    let mut files = vec![path.to_path_buf()];
    let reader::Reader {
        mut findings,
        mut inputs,
        declared,
        ..
    } = reader;
    if let Some(draft::BacklogRef {
        path: csv_path,
        location: loc,
        options,
    }) = draft.backlog.clone()
    {
        match read_file(&csv_path).map(String::from_utf8) {
            Ok(Ok(text)) => {
                let teams: Vec<String> = draft.teams.iter().map(|t| t.def.id.clone()).collect();
                let team_names: Vec<String> = draft.teams.iter().map(|t| t.name.clone()).collect();
                let segments: Vec<String> =
                    draft.segments.iter().map(|s| s.def.id.clone()).collect();
                let mut csv_reader = backlog::BacklogReader::new(
                    csv_path.display().to_string(),
                    &mut findings,
                    &mut inputs,
                    options,
                );
                let rows = csv_reader.read(&text, &teams, &team_names, &segments);
                draft
                    .dropped
                    .extend(std::mem::take(&mut csv_reader.dropped));
                draft.features.extend(rows);
                files.push(csv_path);
            }
            Ok(Err(_)) => findings.push(
                Finding::error(
                    loc,
                    "backlog.file",
                    format!("{} is not UTF-8 text", csv_path.display()),
                )
                .help("export the CSV as UTF-8"),
            ),
            Err(e) => findings.push(
                Finding::error(
                    loc,
                    "backlog.file",
                    format!("cannot read {}: {e}", csv_path.display()),
                )
                .help("the path is relative to the scenario file's folder"),
            ),
        }
    }
    // Efforts from the TOML file and the backlog alike, before anything reads them.
    let calibrated = draft
        .calibration
        .as_ref()
        .and_then(|c| calibration::apply(c, &draft, &mut inputs, &mut findings));
    let mut locations = HashMap::new();
    if let Some(loc) = &draft.time_location {
        locations.insert("plan".to_string(), loc.clone());
    }
    if let Some(loc) = &draft.budget_location {
        locations.insert("plan.budget".to_string(), loc.clone());
    }
    if let Some(loc) = &draft.budget_per_period_location {
        locations.insert("plan.budget_per_period".to_string(), loc.clone());
    }
    for t in &draft.teams {
        locations.insert(
            format!("{}.capacity", t.def.path),
            t.capacity_location.clone(),
        );
    }
    for t in &draft.themes {
        locations.insert(t.def.path.clone(), t.def.location.clone());
    }
    for f in &draft.features {
        locations.insert(f.def.path.clone(), f.def.location.clone());
    }
    let model = resolve::resolve(draft, inputs, &declared, &mut findings).map(|mut m| {
        m.calibration = calibrated;
        m
    });
    match model {
        Some(model) if !findings.has_errors() => Ok(Loaded {
            model,
            warnings: findings.sorted(),
            files,
            locations,
        }),
        _ => Err(ScenarioError::Invalid {
            file: source.display.clone(),
            findings: findings.sorted(),
        }),
    }
}

/// Ids are what references, correlation paths and CSV cells use, so they stay plain:
/// letters, digits, '-', '_' and '.'.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
