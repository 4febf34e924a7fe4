#!/bin/sh
# Runs one shard of a roadmap run, the shard's number taken from the scheduler, and writes its
# partial result into $PARTS_DIR. The arguments are the roadmap command to split, e.g.
#
#   deploy/run-shard.sh simulate scenarios/saas-annual-plan.toml --trials 1000000
#   deploy/run-shard.sh strategies --generate 2000 --features 40 --seed 1
#
# The shard K of N (K from 1) comes from, in this order:
#   JOB_COMPLETION_INDEX   a Kubernetes Indexed Job's pod index, from 0: K = index + 1
#   SLURM_ARRAY_TASK_ID    a Slurm job array's task id: K = id - SLURM_ARRAY_TASK_MIN + 1
#   SHARD_INDEX            K itself, from 1 (GNU parallel's {#}, or by hand)
# and N from SHARDS, or else from SLURM_ARRAY_TASK_COUNT.
#
# Other settings: PARTS_DIR (default: parts), ROADMAP (the binary; default: roadmap on PATH),
# RERUN=1 to run a shard again whose partial result is already there (by default it is kept,
# so that resubmitting a whole array or job reruns only the shards that did not finish).
set -eu

if [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
    k=$((JOB_COMPLETION_INDEX + 1))
elif [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
    k=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-1} + 1))
elif [ -n "${SHARD_INDEX:-}" ]; then
    k=$SHARD_INDEX
else
    echo "run-shard.sh: no shard number: set JOB_COMPLETION_INDEX (Kubernetes), SLURM_ARRAY_TASK_ID (Slurm) or SHARD_INDEX (from 1)" >&2
    exit 2
fi
n=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}
if [ -z "$n" ]; then
    echo "run-shard.sh: no shard count: set SHARDS to the number of shards (a Kubernetes Job's completions)" >&2
    exit 2
fi
if [ "$#" -eq 0 ]; then
    echo "run-shard.sh: give the roadmap command to split, e.g. run-shard.sh simulate plan.toml --trials 1000000" >&2
    exit 2
fi

parts=${PARTS_DIR:-parts}
part="$parts/shard-$k-of-$n.json"
mkdir -p "$parts"
if [ -s "$part" ] && [ "${RERUN:-0}" != 1 ]; then
    echo "shard $k/$n: $part is already written; set RERUN=1 to run it again" >&2
    exit 0
fi
exec "${ROADMAP:-roadmap}" "$@" --shard "$k/$n" --partial "$part"
