#!/bin/sh
# Merges the partial results in $PARTS_DIR (default: parts) into the output of one run; the
# arguments go to `roadmap merge` (--format json, --out DIR). When shards are missing it
# lists them and exits 2, so a workflow can rerun them (see deploy/run-shard.sh).
#
#   deploy/merge.sh --out out/run
#   PARTS_DIR=/parts deploy/merge.sh --format json > result.json
set -eu
parts=${PARTS_DIR:-parts}
roadmap=${ROADMAP:-roadmap}
if ! ls "$parts"/shard-*-of-*.json >/dev/null 2>&1; then
    echo "merge.sh: no partial results in $parts" >&2
    exit 2
fi
missing=$("$roadmap" merge --missing "$parts"/shard-*-of-*.json 2>/dev/null) || missing=""
if [ -n "$missing" ]; then
    echo "merge.sh: shards still to run: $(echo $missing)" >&2
    exit 2
fi
exec "$roadmap" merge "$parts"/shard-*-of-*.json "$@"
