#!/usr/bin/env bash
# Runs a search under mpirun with two worker ranks and stops worker rank 1
# (SIGSTOP: alive but silent, like a hung node) as soon as the search has
# started, so the candidate it holds must time out and go to rank 2. Once
# rank 0 has printed its result, rank 1 is let go (SIGCONT) so that the job
# can end: MPI_Finalize waits for every rank.
#   mpi_hang_worker.sh "<mpirun command>" <spec> <out> <stdlib> <timeout>
set -u
source "$(dirname "$0")/mpi_ranks.sh"
mpirun=$1 spec=$2 out=$3 stdlib=$4 timeout=$5
rm -rf "$out"
$mpirun -n 3 tnasc "$spec" -I "$stdlib" -o "$out" -j 1 --emit=mlir-tnas \
  --candidate-timeout="$timeout" > "$out.mlir" 2> "$out.log" &
launcher=$!
wait_for_lines "$out/checkpoint.jsonl" 1 # the header: the search started
worker=$(rank_pid $launcher 1)
kill -STOP "$worker"
for _ in $(seq 900); do
  [[ -s $out.mlir ]] && break
  sleep 0.2
done
kill -CONT "$worker"
wait $launcher
echo "exit: $?"
