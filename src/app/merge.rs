//! `roadmap merge`: the partial results of a run split into shards, merged into exactly the
//! output one run prints; or, with `--missing`, the shards still to run.

use super::partial::{self, check_set, missing_error, read_body, read_header, Partial, Shard};
use super::{AppError, CommandOutput, Format};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::PathBuf;

pub struct MergeCommand {
    pub parts: Vec<PathBuf>,
    pub format: Format,
    pub out: Option<PathBuf>,
    /// List the missing shards instead of merging.
    pub missing: bool,
}

/// Where a shard is told to write its partial result.
#[derive(Debug, Clone)]
pub struct ShardOutput {
    pub shard: Shard,
    pub partial: PathBuf,
}

/// How to fix a part whose content cannot be merged.
pub(super) const RERUN_SHARD: &str = partial::RERUN;

pub fn merge(opts: &MergeCommand) -> Result<CommandOutput, AppError> {
    let mut parts: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(opts.parts.len());
    let mut command: Option<String> = None;
    for path in &opts.parts {
        let (header, bytes) = read_header(path)?;
        match &command {
            Some(first) if *first != header.command => {
                return Err(partial::part_error(
                    path,
                    format!(
                        "a shard of `{}`, where {} is a shard of `{first}`",
                        header.command,
                        parts[0].0.display()
                    ),
                    "merge the parts of one run at a time",
                ))
            }
            _ => command = Some(header.command),
        }
        parts.push((path.clone(), bytes));
    }
    let Some(command) = command else {
        return Err(AppError::Invalid(
            "error: no partial results to merge\n  help: give the files written with --partial, e.g. roadmap merge parts/*.json".into(),
        ));
    };
    if opts.missing {
        let missing = match command.as_str() {
            "simulate" => missing_shards::<
                super::simulate::SimulateRun,
                crate::simulate::shard::ChunkRun,
            >(&parts),
            "strategies" => missing_shards::<
                super::strategies::TournamentRun,
                Vec<super::strategies::StrategyPart>,
            >(&parts),
            _ => missing_shards::<super::strategies::ManyRun, super::strategies::PortfolioPart>(
                &parts,
            ),
        }?;
        let stdout: String = missing.iter().map(|s| format!("{s}\n")).collect();
        let stderr = if missing.is_empty() {
            "every shard is present\n".to_string()
        } else {
            format!("{} of {} shards missing\n", missing.len(), missing[0].count)
        };
        return Ok(CommandOutput { stdout, stderr });
    }
    match command.as_str() {
        "simulate" => super::simulate::merge(&parts, opts.format, opts.out.clone()),
        "strategies" => super::strategies::merge_tournament(&parts, opts.format, opts.out.clone()),
        "strategies --generate" => {
            super::strategies::merge_many(&parts, opts.format, opts.out.clone())
        }
        other => Err(partial::part_error(
            &parts[0].0,
            format!("field `command` is {other:?}, which roadmap cannot merge"),
            "give the files that --partial wrote",
        )),
    }
}

type Parts<O, D> = Vec<(PathBuf, Partial<O, D>)>;

/// Every part read whole, in the order given, and the shards missing from the set; mixes of
/// runs, repeated shards and damaged files are refused.
fn read_all<O, D>(parts: &[(PathBuf, Vec<u8>)]) -> Result<(Parts<O, D>, Vec<Shard>), AppError>
where
    O: Serialize + DeserializeOwned + Clone,
    D: Serialize + DeserializeOwned,
{
    let mut read = Vec::with_capacity(parts.len());
    for (path, bytes) in parts {
        let (header, _) = read_header(path)?;
        let part: Partial<O, D> = read_body(path, bytes)?;
        read.push((path.clone(), header, part));
    }
    let identities: Vec<_> = read
        .iter()
        .map(|(path, header, part)| {
            (
                path.clone(),
                header.clone(),
                part.options.clone(),
                part.files.clone(),
            )
        })
        .collect();
    let missing = check_set(&identities)?;
    Ok((
        read.into_iter().map(|(p, _, part)| (p, part)).collect(),
        missing,
    ))
}

fn missing_shards<O, D>(parts: &[(PathBuf, Vec<u8>)]) -> Result<Vec<Shard>, AppError>
where
    O: Serialize + DeserializeOwned + Clone,
    D: Serialize + DeserializeOwned,
{
    read_all::<O, D>(parts).map(|(_, missing)| missing)
}

/// The parts of one complete run, sorted by shard.
pub(super) fn read_parts<O, D>(parts: &[(PathBuf, Vec<u8>)]) -> Result<Parts<O, D>, AppError>
where
    O: Serialize + DeserializeOwned + Clone,
    D: Serialize + DeserializeOwned,
{
    let (mut read, missing) = read_all::<O, D>(parts)?;
    if !missing.is_empty() {
        return Err(missing_error(&missing));
    }
    read.sort_by_key(|(_, p)| p.shard.index);
    Ok(read)
}
