#!/usr/bin/env bash
# bench/train_throughput: the NanoNAS benchmark network (stem conv3x3(8) +
# 2 cells maxpool2 -> batchnorm -> conv3x3 relu + global average pool +
# dense(10), 6,266 parameters) trained on Fashion-MNIST with Adam, 2 threads,
# batch 64 and 128: tnasc's JIT-compiled step, then PyTorch, one after the
# other (never in parallel: they would share the 2 cores).
#
# Ours runs each thread's part of the batch as micro-batches of at most
# MICRO_BATCH samples (default 16; 0: batch / threads in one call), so the
# batchnorm statistics are per 16 samples at both batch sizes; PyTorch's are
# per batch. bench/train_throughput/accuracy.sh compares the test accuracies
# over seeds.
#
# usage: [MICRO_BATCH=M] bench/train_throughput/run.sh [build-dir] [epochs]
# Run it under the build lock on an otherwise idle machine:
#   flock /tmp/tnas-build.lock bench/train_throughput/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
epochs="${2:-2}"
micro="${MICRO_BATCH:-16}"
ours_bin="$build/bin/train-throughput"
[ -x "$ours_bin" ] || { echo "bench: $ours_bin not built (ninja train-throughput)" >&2; exit 1; }

declare -A ours peer
for batch in 64 128; do
  line=$("$ours_bin" --batch=$batch --train-threads=2 --micro-batch="$micro" --epochs="$epochs" | grep '^ours:')
  echo "$line"
  ours[$batch]=$(sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
done

if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  for batch in 64 128; do
    line=$(/usr/bin/python3 "$here/torch_peer.py" --batch=$batch --threads=2 --epochs="$epochs" | grep '^peer:')
    echo "$line"
    peer[$batch]=$(sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
  done
else
  echo "bench: PyTorch (Debian python3-torch under /usr/bin/python3) is missing: peer skipped (bash scripts/setup.sh --bench installs it)"
  peer[64]=""
fi

if [ -n "${peer[64]}" ]; then
  for batch in 64 128; do
    echo "batch $batch: ratio=$(awk -v a="${ours[$batch]}" -v b="${peer[$batch]}" 'BEGIN{printf "%.2f", a/b}')"
  done
  ratio=$(awk -v a="${ours[64]}" -v b="${peer[64]}" 'BEGIN{printf "%.2f", a/b}')
  ratio128=$(awk -v a="${ours[128]}" -v b="${peer[128]}" 'BEGIN{printf "%.2f", a/b}')
  echo "bench: train_throughput ours_samples_per_s=${ours[64]} peer_samples_per_s=${peer[64]} ratio=$ratio ours_128=${ours[128]} peer_128=${peer[128]} ratio_128=$ratio128 micro_batch=$micro"
else
  echo "bench: train_throughput ours_samples_per_s=${ours[64]} peer_samples_per_s=n/a ratio=n/a"
fi
