#!/usr/bin/env bash
# Starts a search under mpirun with two worker ranks, kills worker rank 1
# (SIGKILL) as soon as one candidate is in the checkpoint, then resumes it
# once under mpirun and once in a single process, each from a copy of the
# checkpoint the killed job left.
#   mpi_kill_and_resume.sh "<mpirun command>" <spec> <out> <stdlib>
set -u
source "$(dirname "$0")/mpi_ranks.sh"
mpirun=$1 spec=$2 out=$3 stdlib=$4
rm -rf "$out" "$out.single"
$mpirun -n 3 tnasc "$spec" -I "$stdlib" -o "$out" -j 1 --emit=mlir-tnas \
  > /dev/null 2> "$out.first.log" &
launcher=$!
wait_for_lines "$out/checkpoint.jsonl" 2
worker=$(rank_pid $launcher 1)
kill -KILL "$worker"
wait $launcher
echo "first run failed: $([[ $? -ne 0 ]] && echo yes || echo no)"
cp "$out/checkpoint.jsonl" "$out.after-kill.jsonl"
echo "finished before the kill: $(grep -c '"key"' "$out.after-kill.jsonl")"
mkdir -p "$out.single"
cp "$out.after-kill.jsonl" "$out.single/checkpoint.jsonl"

$mpirun -n 3 tnasc "$spec" -I "$stdlib" -o "$out" -j 1 --emit=mlir-tnas \
  --resume > /dev/null 2> "$out.mpi-resume.log"
echo "resume under mpirun exit: $?"
tnasc "$spec" -I "$stdlib" -o "$out.single" -j 1 --emit=mlir-tnas \
  --resume > /dev/null 2> "$out.single-resume.log"
echo "resume without mpirun exit: $?"
