#!/usr/bin/env bash
# Throughput of tnasc's distributed search, one worker rank vs two on this
# host:
#   flock /tmp/tnas-build.lock bench/mpi_scaling/run.sh [build-dir]
# Runs the same grid search (scaling.tnas: 8 candidates, each trained with
# -j 1) under
#   mpirun --oversubscribe -n 2  (rank 0 coordinating + 1 worker) and
#   mpirun --oversubscribe -n 3  (rank 0 coordinating + 2 workers),
# one after the other, ROUNDS times each, and keeps each side's best
# candidates per minute, as tnasc's coordinator reports it: candidates over
# the search's wall time, from the moment every rank has its data loaded to
# the last record (start-up, data loading and the final training excluded).
# Goal: ratio >= 1.8.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
tnasc=$build/bin/tnasc
rounds=${ROUNDS:-1}
[[ -x $tnasc && -x $build/bin/tnasc-mpi ]] || { echo "bench: build tnasc (and tnasc-mpi) first: ninja -C $build tnasc" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "bench: mpirun not found (bash scripts/setup.sh)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # ranks -> candidates per minute
  rm -rf "$out/run"
  mpirun --allow-run-as-root --oversubscribe -n "$1" "$tnasc" \
    "$root/bench/mpi_scaling/scaling.tnas" -I "$root/stdlib" -o "$out/run" \
    -j 1 --emit=mlir-tnas > /dev/null 2> "$out/log"
  grep "candidates evaluated by" "$out/log" >&2
  # Where the time goes: the workers' summed evaluation time against the
  # wall time the coordinator measured (busy = that sum / (workers x wall)).
  python3 - "$out/run/checkpoint.jsonl" "$out/log" "$(($1 - 1))" >&2 <<'PY'
import json, re, sys
records = [json.loads(l) for l in open(sys.argv[1]) if '"key"' in l]
train = [r.get("train_s", 0) for r in records]
wall = float(re.search(r"in ([0-9.]+)s", open(sys.argv[2]).read()).group(1))
workers = int(sys.argv[3])
print(f"  per candidate {min(train):.2f}-{max(train):.2f}s, sum {sum(train):.1f}s, "
      f"wall {wall:.1f}s, workers busy {sum(train) / (workers * wall):.0%}")
PY
  sed -n 's/.*(\([0-9.]*\) per minute).*/\1/p' "$out/log"
}

best1=0 best2=0
for ((i = 1; i <= rounds; ++i)); do
  one=$(run 2)
  two=$(run 3)
  echo "round $i: one worker ${one} cpm, two workers ${two} cpm"
  best1=$(python3 -c "print(max($best1, $one))")
  best2=$(python3 -c "print(max($best2, $two))")
done
ratio=$(python3 -c "print(f'{$best2 / $best1:.2f}')")
echo "bench: mpi_scaling one_worker_cpm=$best1 two_workers_cpm=$best2 ratio=$ratio"
