//! Small scenarios written in tests: TOML text built table by table, and files on disk for
//! commands that read a path.

use std::path::PathBuf;

/// Scenario TOML built table by table, in the order the calls come.
#[derive(Clone, Debug, Default)]
pub struct Scenario {
    text: String,
}

impl Scenario {
    /// A plan of `periods` quarters from 2027Q1.
    pub fn quarters(periods: usize) -> Self {
        Scenario::plan(&format!("periods = {periods}\nstart = \"2027Q1\""))
    }

    /// A `[plan]` table with these fields (one `key = value` a line).
    pub fn plan(fields: &str) -> Self {
        Scenario {
            text: format!("[plan]\n{fields}\n\n"),
        }
    }

    /// A `[[teams]]` entry with `id` and these fields, e.g. `capacity = 10`.
    pub fn team(self, id: &str, fields: &str) -> Self {
        self.table("teams", id, fields)
    }

    /// A `[[features]]` entry with `id` and these fields, e.g. `effort = { web = 5 }`.
    pub fn feature(self, id: &str, fields: &str) -> Self {
        self.table("features", id, fields)
    }

    /// Any `[[kind]]` entry with `id` and these fields.
    pub fn table(mut self, kind: &str, id: &str, fields: &str) -> Self {
        self.text
            .push_str(&format!("[[{kind}]]\nid = \"{id}\"\n{fields}\n\n"));
        self
    }

    /// TOML written out in full, appended as it is.
    pub fn raw(mut self, toml: &str) -> Self {
        self.text.push_str(toml);
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Written to its own folder, for commands that take a path.
    pub fn write(&self) -> ScenarioFile {
        ScenarioFile::new(&self.text)
    }
}

/// A scenario written to its own folder under the system's temporary directory, removed with
/// the folder when dropped.
pub struct ScenarioFile {
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl ScenarioFile {
    pub fn new(text: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "roadmap-test-{}-{}-{n}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.toml");
        std::fs::write(&path, text).unwrap();
        ScenarioFile { dir, path }
    }

    /// The path as an argument for `roadmap`.
    pub fn arg(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

impl Drop for ScenarioFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
