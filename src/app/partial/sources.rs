//! The files a run reads (the scenario, its backlog CSV, a plan or order file): read from
//! disk and kept, so that a shard's partial result carries them, or served from a partial
//! result, so that a merge reads exactly what its shards read, wherever it runs.

use super::super::load::{load, load_error};
use super::super::AppError;
use crate::scenario::{self, Loaded};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::Path;

/// One file as a run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceText {
    /// As the run named it (relative paths stay relative).
    pub path: String,
    /// [`super::fingerprint`] of the text.
    pub hash: String,
    pub text: String,
}

pub struct Sources {
    embedded: Option<Vec<SourceText>>,
    kept: RefCell<Vec<SourceText>>,
}

impl Sources {
    /// Files read from disk, and kept.
    pub fn disk() -> Self {
        Sources {
            embedded: None,
            kept: RefCell::new(Vec::new()),
        }
    }

    /// Files as a partial result carries them.
    pub fn embedded(files: Vec<SourceText>) -> Self {
        Sources {
            embedded: Some(files),
            kept: RefCell::new(Vec::new()),
        }
    }

    /// The files read so far, in the order first read.
    pub fn kept(&self) -> Vec<SourceText> {
        self.kept.borrow().clone()
    }

    /// A file's bytes, as `std::fs::read` gives them; text files read are kept.
    pub fn bytes(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let name = path.display().to_string();
        let bytes = match &self.embedded {
            Some(files) => match files.iter().find(|f| f.path == name) {
                Some(f) => f.text.clone().into_bytes(),
                None => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "not in the partial results",
                    ))
                }
            },
            None => std::fs::read(path)?,
        };
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let mut kept = self.kept.borrow_mut();
            if !kept.iter().any(|f| f.path == name) {
                kept.push(SourceText {
                    path: name,
                    hash: super::fingerprint(text.as_bytes()),
                    text: text.to_string(),
                });
            }
        }
        Ok(bytes)
    }

    /// A file's text, when it can be read as UTF-8.
    pub fn text(&self, path: &Path) -> Option<String> {
        String::from_utf8(self.bytes(path).ok()?).ok()
    }

    /// Whether the file exists (on disk, or in the partial result).
    pub fn exists(&self, path: &Path) -> bool {
        match &self.embedded {
            Some(files) => files.iter().any(|f| f.path == path.display().to_string()),
            None => path.exists(),
        }
    }

    /// Reads and checks a scenario as every command does. A file that cannot be read gets
    /// the same message as any command gives; one a partial result lacks says so.
    pub fn load(&self, file: &Path) -> Result<Loaded, AppError> {
        match self.text(file) {
            Some(text) => {
                scenario::load_text(file, text, &|p: &Path| self.bytes(p)).map_err(|e| load_error(e, false))
            }
            None if self.embedded.is_none() => load(file, false),
            None => Err(AppError::Invalid(format!(
                "error: the partial results do not hold {}\n  help: merge partial results written by this version of roadmap",
                file.display()
            ))),
        }
    }
}
