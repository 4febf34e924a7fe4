#!/bin/bash
# Queues a roadmap run as a Slurm job array of shards and its merge, which starts only when
# every shard has succeeded (afterok) and writes the output of one run into out/<job id>/.
#
#   deploy/slurm/submit.sh 8 simulate scenarios/saas-annual-plan.toml --trials 1000000
#   deploy/slurm/submit.sh 16 strategies --generate 2000 --features 40 --seed 1
set -euo pipefail
shards=$1
shift
mkdir -p logs
array=$(sbatch --parsable --array="1-$shards" deploy/slurm/roadmap-shards.sbatch "$@")
sbatch --dependency="afterok:$array" --job-name=roadmap-merge --output="logs/roadmap-merge-$array.out" \
    --wrap="PARTS_DIR=parts/$array deploy/merge.sh --out out/$array"
echo "queued shards as job array $array; the merge writes out/$array/"
