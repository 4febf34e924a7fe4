//! Writing a command's results: to standard output in the asked format, with `--out` into a
//! folder in every format, charts included, and with `--raw` every simulated trial streamed to
//! a file.

use super::AppError;
use crate::model::Model;
use crate::report;
use crate::simulate::{self, Engine};
use anyhow::Context;
use std::path::Path;

/// The output formats; not every command has all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// `result` in the asked format, for stdout; with `out`, all three formats are also written
/// into that folder as `<stem>.txt`, `.json` and `.csv`, with `extra` files beside them.
pub(super) fn emit<T>(
    result: &T,
    format: Format,
    [text, json, csv]: [fn(&T) -> String; 3],
    out: Option<&Path>,
    stem: &str,
    extra: Vec<(&str, String)>,
) -> Result<String, AppError> {
    let mut stdout = match format {
        Format::Text => text(result),
        Format::Json => json(result),
        Format::Csv => csv(result),
    };
    if let Some(dir) = out {
        let names = [
            format!("{stem}.txt"),
            format!("{stem}.json"),
            format!("{stem}.csv"),
        ];
        let mut files = vec![
            (names[0].as_str(), text(result)),
            (names[1].as_str(), json(result)),
            (names[2].as_str(), csv(result)),
        ];
        files.extend(extra);
        stdout.push_str(&write_into(dir, &files)?);
    }
    Ok(stdout)
}

/// Writes each (name, text) into `dir`, atomically, and says what was written.
pub(super) fn write_into(dir: &Path, files: &[(&str, String)]) -> Result<String, AppError> {
    create_dir(dir)?;
    for (name, text) in files {
        write_file(&dir.join(name), text.as_bytes())?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    Ok(format!(
        "\nwrote {} into {}\n",
        names.join(", "),
        dir.display()
    ))
}

/// Writes each chart into `dir` as `<name>.svg` and `<name>.png`, atomically, and says so.
pub(super) fn write_charts(
    dir: &Path,
    charts: &[(&str, &report::charts::Chart)],
) -> Result<String, AppError> {
    create_dir(dir)?;
    let mut names = Vec::new();
    for (name, chart) in charts {
        for (ext, bytes) in [("svg", chart.svg.as_bytes()), ("png", chart.png.as_slice())] {
            let file = format!("{name}.{ext}");
            write_file(&dir.join(&file), bytes)?;
            names.push(file);
        }
    }
    Ok(format!(
        "wrote {} into {}\n",
        names.join(", "),
        dir.display()
    ))
}

/// Writes one file atomically: a reader never sees half of it.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    report::write::write_atomic(path, bytes).map_err(anyhow::Error::from)?;
    Ok(())
}

/// Creates `dir` and its parents.
pub(super) fn create_dir(dir: &Path) -> Result<(), AppError> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(())
}

/// Simulates with every trial's outcome streamed as a CSV row to `path`, atomically: the file
/// appears, whole, once the last trial is written. `simulate` runs the trials, handing each
/// chunk of them to the sink it is given.
pub(super) fn write_raw<T>(
    model: &Model,
    engine: &Engine,
    path: &Path,
    simulate: impl FnOnce(&mut simulate::RawSink) -> Result<T, simulate::SimError>,
) -> Result<T, AppError> {
    let mut file = report::write::AtomicFile::create(path).map_err(anyhow::Error::from)?;
    let ids: Vec<&str> = engine
        .active
        .iter()
        .map(|&f| model.features[f as usize].id.as_str())
        .collect();
    file.write(report::raw::header(&ids).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    let mut text = String::new();
    let labels = &model.time.labels;
    let mut sink = |chunk: &simulate::RawChunk| {
        text.clear();
        report::raw::rows(chunk, labels, &mut text);
        file.write(text.as_bytes())
    };
    let result = simulate(&mut sink).with_context(|| format!("writing {}", path.display()))?;
    file.commit().map_err(anyhow::Error::from)?;
    Ok(result)
}
