//! A run split into shards that run anywhere and merge into exactly the numbers of one run.
//!
//! A shard is a contiguous range of chunks. Within it, chunks are computed and merged as in
//! one run; what it keeps is its [`Counts`] (which add up the same in any grouping) and each
//! chunk's own [`Sums`] (whose merge order decides their last bits). Merging shards adds up the
//! counts and then merges every chunk's sums in chunk order, exactly as one run does: the
//! result depends on the seed, the input and the trials, never on how they were split.

use super::accumulator::{Accumulator, Counts, Sums};
use super::{
    for_each_chunk, summarise, Engine, Progress, RawChunk, RawSink, SimError, SimOptions,
    SimResult, CHUNK_TRIALS,
};
use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The chunks of shard `index` (1-based) of `count` in a run of `trials` trials: contiguous,
/// as even as whole chunks allow, and empty when there are more shards than chunks.
pub fn shard_chunks(trials: u64, index: u64, count: u64) -> Range<u64> {
    let chunks = u128::from(trials.div_ceil(CHUNK_TRIALS));
    let at = |k: u64| (chunks * u128::from(k) / u128::from(count.max(1))) as u64;
    at(index.saturating_sub(1))..at(index)
}

/// The trials in `chunks` of a run of `trials` trials.
pub fn trials_in(trials: u64, chunks: &Range<u64>) -> u64 {
    let first = chunks.start.saturating_mul(CHUNK_TRIALS).min(trials);
    let end = chunks.end.saturating_mul(CHUNK_TRIALS).min(trials);
    end.saturating_sub(first)
}

/// The first trial of `chunks` and the trials after it, as a range of trial numbers.
pub fn trial_range(trials: u64, chunks: &Range<u64>) -> Range<u64> {
    let first = chunks.start.saturating_mul(CHUNK_TRIALS).min(trials);
    first..first + trials_in(trials, chunks)
}

/// What a shard keeps of its chunks to be merged with the others'.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChunkRun {
    pub chunks: Range<u64>,
    counts: Counts,
    /// One per chunk, in chunk order.
    sums: Vec<Sums>,
}

/// Runs the trials of `chunks` (see [`shard_chunks`]) and keeps what merging needs.
pub fn run_chunks(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    chunks: Range<u64>,
    progress: &dyn Progress,
    raw: Option<&mut RawSink>,
) -> Result<ChunkRun, SimError> {
    let mut counts = Accumulator::new(engine, model.deals.len()).c;
    let mut sums = Vec::with_capacity((chunks.end - chunks.start) as usize);
    for_each_chunk(
        model,
        engine,
        options,
        chunks.clone(),
        progress,
        raw,
        |acc| {
            counts.merge(&acc.c);
            sums.push(acc.s);
        },
    )?;
    Ok(ChunkRun {
        chunks,
        counts,
        sums,
    })
}

/// [`run_chunks`], also returning each trial's NPV in trial order (from the first trial of
/// `chunks`).
pub fn run_chunks_keeping_npv(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    chunks: Range<u64>,
    progress: &dyn Progress,
) -> Result<(ChunkRun, Vec<f64>), SimError> {
    let trials = trial_range(options.trials, &chunks);
    let mut npv = vec![0.0; (trials.end - trials.start) as usize];
    let mut sink = |chunk: &RawChunk| {
        for (i, row) in chunk.rows.chunks(chunk.stride).enumerate() {
            npv[(chunk.first_trial - trials.start) as usize + i] = row[0];
        }
        Ok(())
    };
    let run = run_chunks(model, engine, options, chunks, progress, Some(&mut sink))?;
    Ok((run, npv))
}

impl ChunkRun {
    /// Whether this run, read from a file, covers exactly `chunks` of a run of `engine` with
    /// `options`, with the shape of that engine's statistics: then merging it cannot fail. The
    /// error names the field.
    pub fn check(
        &self,
        model: &Model,
        engine: &Engine,
        options: &SimOptions,
        chunks: &Range<u64>,
    ) -> Result<(), String> {
        if self.chunks != *chunks {
            return Err(format!(
                "chunks: {}..{} where this shard runs {}..{}",
                self.chunks.start, self.chunks.end, chunks.start, chunks.end
            ));
        }
        if self.sums.len() as u64 != chunks.end - chunks.start {
            return Err(format!(
                "sums: {} chunks where this shard runs {}",
                self.sums.len(),
                chunks.end - chunks.start
            ));
        }
        let like = Accumulator::new(engine, model.deals.len());
        self.counts
            .check_like(&like.c, trials_in(options.trials, chunks))
            .map_err(|e| format!("counts.{e}"))?;
        for (i, (chunk, sums)) in chunks.clone().zip(&self.sums).enumerate() {
            sums.check_like(
                &like.s,
                trials_in(options.trials, &(chunk..chunk + 1)),
                engine.itemised,
            )
            .map_err(|e| format!("sums[{i}].{e}"))?;
        }
        Ok(())
    }
}

/// The result of one run from its shards' runs, given in chunk order and checked with
/// [`ChunkRun::check`]: the same numbers, bit for bit, as [`super::run`] gives.
pub fn summarise_runs(
    model: &Model,
    engine: &Engine,
    options: &SimOptions,
    runs: &[&ChunkRun],
) -> SimResult {
    let mut total = Accumulator::new(engine, model.deals.len());
    for run in runs {
        total.c.merge(&run.counts);
    }
    for sums in runs.iter().flat_map(|r| &r.sums) {
        total.s.merge(sums);
    }
    summarise(model, engine, options, &total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_chunk_once_in_order() {
        for trials in [0u64, 1, 1023, 1024, 1025, 10_000, 1_000_000] {
            let chunks = trials.div_ceil(CHUNK_TRIALS);
            for count in 1..=12 {
                let mut next = 0;
                let mut covered = 0;
                for index in 1..=count {
                    let range = shard_chunks(trials, index, count);
                    assert_eq!(range.start, next);
                    next = range.end;
                    covered += trials_in(trials, &range);
                }
                assert_eq!(next, chunks);
                assert_eq!(covered, trials);
            }
        }
        // More shards than chunks: some are empty.
        assert_eq!(shard_chunks(2000, 1, 4), 0..0);
        assert_eq!(shard_chunks(2000, 4, 4), 1..2);
    }
}
