//! Partial results: what one shard of a run (`--shard K/N --partial FILE`) writes, and what
//! `roadmap merge` reads back and checks before merging.
//!
//! A partial result is one JSON object, versioned and self-describing:
//!
//! ```text
//! { "format": "roadmap-partial", "version": 1,
//!   "command": "simulate" | "strategies" | "strategies --generate",
//!   "shard": { "index": K, "count": N },          K from 1 to N
//!   "run": "<fingerprint of the command, its options and the files it read>",
//!   "options": { every option that decides the numbers: trials, seed, ... },
//!   "files": [ { "path", "hash", "text" } ... ],   the scenario, backlog, plan or order read
//!   "data": { the shard's mergeable statistics },
//!   "checksum": "<fingerprint of all the above>" }
//! ```
//!
//! Numbers are carried exactly (`crate::wire`). It is written atomically, so a shard stopped
//! before the end leaves no file, and one that is changed or damaged afterwards fails its
//! checksum.

pub mod sources;

use super::output::write_file;
use super::AppError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "roadmap-partial";
pub const VERSION: u32 = 1;

/// Shard `index` of `count`, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// At most this many shards: each is a process, and more would be a typo.
    pub const MAX_COUNT: u64 = 1_000_000;

    /// Reads `K/N` (1 <= K <= N), as `--shard` takes it; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let help = "write K/N with 1 <= K <= N, e.g. 2/8 for the second of 8 shards";
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not K/N: {help}"))?;
        let number = |s: &str| s.trim().parse::<u64>().ok();
        match (number(k), number(n)) {
            (Some(index), Some(count))
                if (1..=count).contains(&index) && count <= Self::MAX_COUNT =>
            {
                Ok(Shard { index, count })
            }
            (Some(_), Some(count)) if count > Self::MAX_COUNT => Err(format!(
                "{count} shards are more than the {} a run splits into",
                Self::MAX_COUNT
            )),
            (Some(0), Some(_)) => Err(format!("shards count from 1: {help}")),
            (Some(_), Some(_)) => Err(format!("`{text}`: K is above N: {help}")),
            _ => Err(format!("`{text}` is not K/N: {help}")),
        }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a of `bytes`, in hex: to tell runs and files apart and to find damage, not
/// to resist forgery.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// What every partial result starts with: read first to know what the rest holds.
#[derive(Debug, Clone, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub command: String,
    pub shard: Shard,
    pub run: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial<O, D> {
    pub format: String,
    pub version: u32,
    pub command: String,
    pub shard: Shard,
    pub run: String,
    pub options: O,
    pub files: Vec<sources::SourceText>,
    pub data: D,
    pub checksum: String,
}

impl<O: Serialize, D: Serialize> Partial<O, D> {
    pub fn new(
        command: &str,
        shard: Shard,
        options: O,
        files: Vec<sources::SourceText>,
        data: D,
    ) -> Self {
        let mut identity = command.as_bytes().to_vec();
        identity.extend(serde_json::to_vec(&options).unwrap_or_default());
        for f in &files {
            identity.extend(f.path.as_bytes());
            identity.push(0);
            identity.extend(f.hash.as_bytes());
        }
        Partial {
            format: FORMAT.into(),
            version: VERSION,
            command: command.into(),
            shard,
            run: fingerprint(&identity),
            options,
            files,
            data,
            checksum: String::new(),
        }
    }

    /// The fingerprint of everything but the checksum.
    fn content_checksum(&mut self) -> Result<String, serde_json::Error> {
        let kept = std::mem::take(&mut self.checksum);
        let bytes = serde_json::to_vec(self);
        self.checksum = kept;
        Ok(fingerprint(&bytes?))
    }

    /// Writes the partial result to `path` atomically: whole, or not at all.
    pub fn write(mut self, path: &Path) -> Result<(), AppError> {
        let failed = |e: serde_json::Error| {
            AppError::Other(anyhow::anyhow!("writing {}: {e}", path.display()))
        };
        self.checksum = self.content_checksum().map_err(failed)?;
        let bytes = serde_json::to_vec(&self).map_err(failed)?;
        write_file(path, &bytes)
    }
}

/// An error about one part, with how to fix it (exit 2).
pub fn part_error(path: &Path, what: impl std::fmt::Display, help: &str) -> AppError {
    AppError::Invalid(format!("error: {}: {what}\n  help: {help}", path.display()))
}

pub const RERUN: &str = "rerun its shard to write it again (the same command with --shard K/N --partial FILE), then merge";

/// Reads the header of the partial result at `path`, with its bytes.
pub fn read_header(path: &Path) -> Result<(Header, Vec<u8>), AppError> {
    let bytes = std::fs::read(path).map_err(|e| {
        part_error(
            path,
            format!("cannot read it: {e}"),
            "give the files that --partial wrote",
        )
    })?;
    let header: Header = serde_json::from_slice(&bytes).map_err(|e| {
        part_error(
            path,
            format!("not a partial result of roadmap ({e})"),
            &format!("give the files that --partial wrote; a file cut short or changed cannot be merged: {RERUN}"),
        )
    })?;
    if header.format != FORMAT {
        return Err(part_error(
            path,
            format!("field `format` is {:?}, not {FORMAT:?}", header.format),
            "give the files that --partial wrote",
        ));
    }
    if header.version != VERSION {
        return Err(part_error(
            path,
            format!(
                "field `version` is {}; this roadmap reads version {VERSION} of partial results",
                header.version
            ),
            "merge with the version of roadmap that wrote it, or rerun every shard with this one",
        ));
    }
    Ok((header, bytes))
}

/// The whole partial result from its bytes, its checksum verified.
pub fn read_body<O, D>(path: &Path, bytes: &[u8]) -> Result<Partial<O, D>, AppError>
where
    O: Serialize + DeserializeOwned,
    D: Serialize + DeserializeOwned,
{
    let mut part: Partial<O, D> = serde_json::from_slice(bytes).map_err(|e| {
        part_error(
            path,
            format!("not a partial result this roadmap can read ({e})"),
            RERUN,
        )
    })?;
    let checksum = part
        .content_checksum()
        .map_err(|e| part_error(path, e, RERUN))?;
    if checksum != part.checksum {
        return Err(part_error(
            path,
            "field `checksum` does not match the content: the file was changed or damaged after it was written",
            RERUN,
        ));
    }
    Ok(part)
}

/// Checks that `parts` (path, header) are the shards of one run, each once, and returns the
/// shard indexes that are missing. Parts from different commands, scenarios, seeds or
/// options are refused, naming the field that differs.
pub fn check_set<O: Serialize>(
    parts: &[(PathBuf, Header, O, Vec<sources::SourceText>)],
) -> Result<Vec<Shard>, AppError> {
    let Some((first_path, first, first_options, first_files)) = parts.first() else {
        return Err(AppError::Invalid(
            "error: no partial results to merge\n  help: give the files written with --partial, e.g. roadmap merge parts/*.json".into(),
        ));
    };
    let one_run = "every shard of a run needs the same scenario files, seed and options";
    let mut seen: Vec<Option<&PathBuf>> = vec![None; first.shard.count as usize];
    for (path, header, options, files) in parts {
        if header.command != first.command {
            return Err(part_error(
                path,
                format!(
                    "a shard of `{}`, where {} is a shard of `{}`",
                    header.command,
                    first_path.display(),
                    first.command
                ),
                "merge the parts of one run at a time",
            ));
        }
        if header.shard.count != first.shard.count {
            return Err(part_error(
                path,
                format!(
                    "shard {} (field `shard.count`), where {} is shard {}",
                    header.shard,
                    first_path.display(),
                    first.shard
                ),
                "merge the parts of one split at a time: every shard of a run has the same N in --shard K/N",
            ));
        }
        if header.run != first.run {
            let what = differing_option(first_options, options)
                .map(|(field, mine, theirs)| {
                    format!(
                        "field `options.{field}` is {mine}, where {} has {theirs}",
                        first_path.display()
                    )
                })
                .or_else(|| differing_file(first_files, files, first_path))
                .unwrap_or_else(|| format!("field `run` differs from {}'s", first_path.display()));
            return Err(part_error(
                path,
                format!("not from the same run: {what}"),
                &format!("{one_run}; rerun this shard with those of the others"),
            ));
        }
        let index = header.shard.index;
        if index == 0 || index > header.shard.count {
            return Err(part_error(
                path,
                format!("field `shard` is {}, which no split has", header.shard),
                RERUN,
            ));
        }
        let slot = &mut seen[(index - 1) as usize];
        if let Some(other) = slot {
            return Err(AppError::Invalid(format!(
                "error: shard {} is given twice: {} and {}\n  help: give each shard once",
                header.shard,
                other.display(),
                path.display()
            )));
        }
        *slot = Some(path);
    }
    Ok(seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| Shard {
            index: i as u64 + 1,
            count: first.shard.count,
        })
        .collect())
}

/// The first option that differs between two runs' options, with both values.
fn differing_option<O: Serialize>(a: &O, b: &O) -> Option<(String, String, String)> {
    let (a, b) = (serde_json::to_value(a).ok()?, serde_json::to_value(b).ok()?);
    let (a, b) = (a.as_object()?, b.as_object()?);
    a.iter().find_map(|(key, value)| {
        let other = b.get(key).cloned().unwrap_or(serde_json::Value::Null);
        (*value != other).then(|| (key.clone(), other.to_string(), value.to_string()))
    })
}

/// The first file read differently by two runs, said.
fn differing_file(
    a: &[sources::SourceText],
    b: &[sources::SourceText],
    first: &Path,
) -> Option<String> {
    for f in b {
        match a.iter().find(|g| g.path == f.path) {
            Some(g) if g.hash != f.hash => {
                return Some(format!(
                    "it read {} with other content than {} did (field `files`)",
                    f.path,
                    first.display()
                ))
            }
            None => {
                return Some(format!(
                    "it read {}, which {} did not (field `files`)",
                    f.path,
                    first.display()
                ))
            }
            _ => {}
        }
    }
    (a.len() != b.len()).then(|| {
        format!(
            "it read other files than {} did (field `files`)",
            first.display()
        )
    })
}

/// The error for missing shards, naming them and how to run them.
pub fn missing_error(missing: &[Shard]) -> AppError {
    let listed: Vec<String> = missing.iter().map(Shard::to_string).collect();
    let shown = if listed.len() > 8 {
        format!("{} and {} more", listed[..8].join(", "), listed.len() - 8)
    } else {
        listed.join(", ")
    };
    AppError::Invalid(format!(
        "error: {} shard{} missing: {shown}\n  help: run {} with the same command and --shard K/N --partial FILE, then merge again; `roadmap merge --missing PARTS...` lists what is missing",
        missing.len(),
        if missing.len() == 1 { " is" } else { "s are" },
        if missing.len() == 1 { "it" } else { "them" },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_read_as_k_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "3", "a/4", "1/0", "-1/4", "1/2000000"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
